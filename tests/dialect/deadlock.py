"""Deadlock: two locks taken in opposite orders

Try: press 1 2 1 2 (headless: `--schedule 'w0,w1,w0,w1'`): w0 takes `a`, w1 takes `b`, then
each waits for the lock the other holds. Watch: the Locks pane, and the bar above the keys
naming the cycle w0 → b → w1 → a → w0. Then press v for the fixed variant and 1 2 1 2 again:
w1 now waits for `a`, and w0 goes through.

w0 takes lock `a`, then `b`; w1 takes `b`, then `a` (the last line of the code). If each gets
its first lock before the other asks for it, each holds what the other needs: neither can
move, and nothing will ever change that. The fix is one global order: every worker takes `a`
before `b` (variant `fixed`), so a cycle of waits cannot form.
"""

from ipc_tui.scenario import Lock, Process, Value, variant

MODES = ("process", "thread")
VARIANTS = ("deadlock", "fixed")

LESSON_ZH = """
死锁:以相反的顺序获取两把锁

试一试:按 1 2 1 2(无界面运行:`--schedule 'w0,w1,w0,w1'`):w0 拿到 `a`,w1 拿到 `b`,然后各自等待对方持有的锁。观察:Locks 面板,以及按键栏上方那一行指出的环 w0 → b → w1 → a → w0。然后按 v 切换到修正后的变体,再按 1 2 1 2:这次 w1 等待 `a`,而 w0 顺利通过。

w0 先拿锁 `a` 再拿 `b`;w1 先拿 `b` 再拿 `a`(代码的最后一行)。如果两者都在对方请求之前拿到了自己的第一把锁,每一方都持有对方需要的锁:谁都动不了,而且永远不会改变。解决办法是统一的全局顺序:所有工作者都先拿 `a` 再拿 `b`(变体 `fixed`),这样等待就不可能形成环。
"""

a = Lock()
b = Lock()
moved = Value("i", 0)
FIXED = variant() == "fixed"


def transfer(first, second):
    with first:
        with second:  # here each may wait for the lock the other holds
            moved.value += 1


Process(target=transfer, args=(a, b), name="w0")
Process(target=transfer, args=((a, b) if FIXED else (b, a)), name="w1")


def check():  # what must hold at the end: ipc-tui checks it when every worker has ended
    assert moved.value == 2, f"moved {moved.value} times, expected 2"
