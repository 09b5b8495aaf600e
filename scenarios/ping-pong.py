"""Ping-pong: two workers take turns, each waiting for the other's signal.

Synchronisation is cooperation in order: `ping` may hit only after `pong` has, and the other
way round. Two semaphores carry the turn: `my_turn.acquire()` waits for it, and
`their_turn.release()` hands it over. Whatever the schedule, the rally alternates.

Watch: the Semaphores pane (the turn moving between them) and the `rally` cells.
Try: step `pong` first: it blocks until `ping` has hit and released its turn.
"""

from ipc_tui.scenario import Array, Process, Semaphore, Value

MODES = ("process", "thread")

LESSON_ZH = """
乒乓:两个工作者轮流行动,每个都等待对方的信号。

同步是一种有序的合作:`ping` 只能在 `pong` 击球之后击球,反过来也一样。两个信号量传递轮次:`my_turn.acquire()` 等待轮到自己,`their_turn.release()` 把轮次交给对方。无论怎样调度,来回都是交替的。

观察:Semaphores 面板(轮次在两者之间传递)和 `rally` 单元。试一试:先单步 `pong`:它会阻塞,直到 `ping` 击球并交出轮次。
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


def check():  # what must hold at the end: ipc-tui checks it when every worker has ended
    assert list(rally) == [1, 2, 1, 2, 1, 2], f"the rally went {list(rally)}"


Process(target=player, args=(1, ping_turn, pong_turn, 3), name="ping")
Process(target=player, args=(2, pong_turn, ping_turn, 3), name="pong")
