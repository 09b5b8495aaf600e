"""Dining philosophers: five forks, and a deadlock

Try: press 1 2 3 4 5, then 1 2 3 4 5 again (headless:
`--schedule 'p0,p1,p2,p3,p4,p0,p1,p2,p3,p4'`): each philosopher picks up its left fork, then
waits for its right one, which its neighbour holds: nobody can move. Watch: the Locks pane
(every fork held, a philosopher waiting for each) and the cycle named above the keys. Then press
v and the same keys: someone always eats.

Each philosopher needs the fork on its left and the fork on its right to eat. If every one
picks up its left fork first, all five can hold one fork and wait for ever for the next.
The fix (variant `fixed`) is one global order again: each picks up the lower-numbered fork
first, so the last philosopher reaches for fork 0 before fork 4, and the circle is broken.
"""

from ipc_tui.scenario import Array, Lock, Process, variant

MODES = ("process", "thread")
VARIANTS = ("deadlock", "fixed")

LESSON_ZH = """
哲学家就餐:五把叉子,一个死锁

试一试:按 1 2 3 4 5,再按一遍 1 2 3 4 5(无界面运行:`--schedule 'p0,p1,p2,p3,p4,p0,p1,p2,p3,p4'`):每个哲学家先拿起左边的叉子,然后等待右边那把,而它在邻座手里:谁也动不了。观察:Locks 面板(每把叉子都被拿着,每把都有一个哲学家在等)以及按键栏上方指出的环。然后按 v,再按同样的键:总有人能吃上饭。

每个哲学家需要左边和右边的两把叉子才能吃饭。如果每个人都先拿左边的叉子,五个人可能各拿一把,然后永远等待下一把。解决办法(变体 `fixed`)同样是全局顺序:每个人先拿编号小的叉子,于是最后一位哲学家先去拿 0 号叉子而不是 4 号,环就被打破了。
"""

SEATS = 5

forks = [Lock() for _ in range(SEATS)]
meals = Array("i", SEATS)
FIXED = variant() == "fixed"


def philosopher(seat, rounds):
    left, right = seat, (seat + 1) % SEATS
    first, second = sorted((left, right)) if FIXED else (left, right)
    for _ in range(rounds):
        with forks[first]:
            with forks[second]:
                meals[seat] += 1  # eat


for seat in range(SEATS):
    Process(target=philosopher, args=(seat, 2), name=f"p{seat}")


def check():  # what must hold at the end: ipc-tui checks it when every worker has ended
    assert list(meals) == [2] * SEATS, f"meals {list(meals)}, expected 2 each"
