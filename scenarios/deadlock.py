"""Deadlock: two workers take two locks in opposite orders, and wait for each other for ever.

w0 takes lock `a`, then `b`; w1 takes `b`, then `a`. If each gets its first lock before
the other asks for it, each holds what the other needs: neither can move,
and nothing will ever change that. The fix is one global order: every worker takes `a` before
`b` (variant `fixed`), so a cycle of waits cannot form.

Watch: the Locks pane and the header: the cycle w0 → b → w1 → a → w0 is named as soon as it
forms. Try: step w0, w1, w0, w1. Then press v for the fixed variant and try the same steps.
"""

from ipc_tui.scenario import Lock, Process, Value, variant

MODES = ("process", "thread")
VARIANTS = ("deadlock", "fixed")

LESSON_ZH = """
死锁:两个工作者以相反的顺序获取两把锁,然后永远互相等待。

w0 先拿锁 `a` 再拿 `b`;w1 先拿 `b` 再拿 `a`。如果两者都在对方请求之前拿到了自己的第一把锁,每一方都持有对方需要的锁:谁都动不了,而且永远不会改变。解决办法是统一的全局顺序:所有工作者都先拿 `a` 再拿 `b`(变体 `fixed`),这样等待就不可能形成环。

观察:Locks 面板和标题栏:环 w0 → b → w1 → a → w0 一形成就会被指出。试一试:单步 w0、w1、w0、w1。然后按 v 切换到修正后的变体,再试同样的步骤。
"""

a = Lock()
b = Lock()
moved = Value("i", 0)
FIXED = variant() == "fixed"


def transfer(first, second):
    with first:
        with second:  # here each may wait for the lock the other holds
            moved.value += 1


def check():  # what must hold at the end: ipc-tui checks it when every worker has ended
    assert moved.value == 2, f"moved {moved.value} times, expected 2"


Process(target=transfer, args=(a, b), name="w0")
Process(target=transfer, args=((a, b) if FIXED else (b, a)), name="w1")
