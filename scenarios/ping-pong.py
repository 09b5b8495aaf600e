"""Ping-pong: two workers take turns, by two semaphores

Try: press 2 first: pong blocks, its turn `pong_turn` at 0. Then press 1 six times: ping takes
its turn, hits (a mark in `rally`) and hands the turn over, and pong goes on. Then press 1 and
2 in any order you like, or f: the rally alternates 1 2 1 2 1 2 whatever the schedule. Watch:
the Semaphores pane, the turn moving from one to the other, and the `rally` cells.

Synchronisation is cooperation in order: `ping` may hit only after `pong` has, and the other
way round. Two semaphores carry the turn: `my_turn.acquire()` waits for it, and
`their_turn.release()` hands it over.
"""

from ipc_tui.scenario import Array, Process, Semaphore, Value

MODES = ("process", "thread")

LESSON_ZH = """
乒乓:两个工作者通过两个信号量轮流行动

试一试:先按 2:pong 阻塞,它的轮次 `pong_turn` 为 0。再按六次 1:ping 拿到轮次,击球(在 `rally` 里记一笔),把轮次交出去,pong 就继续了。然后随意按 1 和 2,或者按 f:无论怎样调度,来回都是 1 2 1 2 1 2 交替的。观察:Semaphores 面板(轮次在两者之间传递)和 `rally` 单元。

同步是一种有序的合作:`ping` 只能在 `pong` 击球之后击球,反过来也一样。两个信号量传递轮次:`my_turn.acquire()` 等待轮到自己,`their_turn.release()` 把轮次交给对方。
"""

ping_turn = Semaphore(1)  # ping serves first
pong_turn = Semaphore(0)
rally = Array("i", 6)  # who hit each ball: 1 for ping, 2 for pong
hits = Value("i", 0)


def player(me, my_turn, their_turn, balls):
    for _ in range(balls):
        my_turn.acquire()  # wait for my turn
        rally[hits.value] = me
        hits.value += 1
        their_turn.release()  # hand the turn over


Process(target=player, args=(1, ping_turn, pong_turn, 3), name="ping")
Process(target=player, args=(2, pong_turn, ping_turn, 3), name="pong")


def check():  # what must hold at the end: ipc-tui checks it when every worker has ended
    assert list(rally) == [1, 2, 1, 2, 1, 2], f"the rally went {list(rally)}"
