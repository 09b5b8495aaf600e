"""Semaphore: four workers share two permits.

`Semaphore(2)` holds a count of 2. `acquire()` takes one and blocks while the count is 0;
`release()` gives one back and wakes a blocked worker; `get_value()` reads the count. So never
more than two workers are between their acquire and their release at once.

Watch: the Semaphores pane (the count, who is inside, who is blocked at 0). Try: step w0 and w1
through their acquire, then step w2: it blocks at 0 until w0 or w1 releases.
"""

from ipc_tui.scenario import Process, Semaphore, sleep

MODES = ("process", "thread")

LESSON_ZH = """
信号量:四个工作者共用两个许可。

`Semaphore(2)` 的数量是 2。`acquire()` 消耗一个,数量为 0 时阻塞;`release()` 增加一个并唤醒一个阻塞的工作者;`get_value()` 读取数量。所以任何时候,处在 acquire 和 release 之间的工作者不会超过两个。

观察:Semaphores 面板(数量、谁在里面、谁阻塞在 0)。试一试:单步 w0 和 w1 通过 acquire,再单步 w2:它阻塞在 0,直到 w0 或 w1 release。
"""

permits = Semaphore(2)


def visit(seconds):
    permits.acquire()  # take a permit; at 0 this blocks
    permits.get_value()  # how many are left for the others
    sleep(seconds)  # inside: at most two workers here at once
    permits.release()  # give the permit back


def check():  # what must hold at the end: ipc-tui checks it when every worker has ended
    assert permits.get_value() == 2, f"{permits.get_value()} permits left, expected both back"


for _ in range(4):
    Process(target=visit, args=(0.1,))
