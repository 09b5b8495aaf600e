"""Dining philosophers: five workers, five forks, and a deadlock you can step into.

Each philosopher needs the fork on its left and the fork on its right to eat. If every one
picks up its left fork first, all five can hold one fork and wait for ever for the next.
The fix (variant `fixed`) is one global order again: each picks up the lower-numbered fork
first, so the last philosopher reaches for fork 0 before fork 4, and the circle is broken.

Watch: the Locks pane: forks held and the philosophers waiting. Try: step p0, p1, p2, p3, p4
once each: every left fork is taken; one more step each and nobody can move. Press v, then
the same steps: someone always eats.
"""

from ipc_tui.scenario import Array, Lock, Process, variant

MODES = ("process", "thread")
VARIANTS = ("deadlock", "fixed")

LESSON_ZH = """
哲学家就餐:五个工作者,五把叉子,以及一个可以一步步走进去的死锁。

每个哲学家需要左边和右边的两把叉子才能吃饭。如果每个人都先拿左边的叉子,五个人可能各拿一把,然后永远等待下一把。解决办法(变体 `fixed`)同样是全局顺序:每个人先拿编号小的叉子,于是最后一位哲学家先去拿 0 号叉子而不是 4 号,环就被打破了。

观察:Locks 面板:被拿起的叉子和等待的哲学家。试一试:依次单步 p0、p1、p2、p3、p4 各一次:每把左叉子都被拿起;每人再走一步,谁也动不了了。按 v,再走同样的步骤:总有人能吃上饭。
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


def check():  # what must hold at the end: ipc-tui checks it when every worker has ended
    assert list(meals) == [2] * SEATS, f"meals {list(meals)}, expected 2 each"


for seat in range(SEATS):
    Process(target=philosopher, args=(seat, 2), name=f"p{seat}")
