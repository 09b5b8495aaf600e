"""Lock contention: three workers fight for one lock around a shared update.

`with lock:` takes the lock before the update and gives it back after: the lines inside are the
critical section, and only the worker holding the lock runs them. The others block in
`acquire()` and queue up; the real lock decides who gets it next. The total ends exact.

Watch: the Locks pane (who holds it, who waits, in order) and the trace. Try: step w0 into the
critical section, then step w1 and w2: they block on the lock until w0 releases it.
"""

from ipc_tui.scenario import Lock, Process, Value

MODES = ("process", "thread")

LESSON_ZH = """
锁的争夺:三个工作者争夺同一把锁来更新共享数据。

`with lock:` 在更新之前加锁,之后解锁:里面的代码就是临界区,只有持有锁的工作者能执行。其他工作者阻塞在 `acquire()` 里排队,由真正的锁决定下一个获得者。总数最后是准确的。

观察:Locks 面板(谁持有锁、谁在等待、按什么顺序)和跟踪记录。试一试:单步 w0 进入临界区,再单步 w1 和 w2:它们阻塞在锁上,直到 w0 解锁。
"""

lock = Lock()
total = Value("i", 0)


def deposit(times):
    for _ in range(times):
        with lock:  # acquire: blocks while another worker holds the lock
            total.value += 1  # the critical section: one worker at a time
        # leaving the with block releases the lock


def check():  # what must hold at the end: ipc-tui checks it when every worker has ended
    assert total.value == 9, f"total is {total.value}, expected 9"


Process(target=deposit, args=(3,))
Process(target=deposit, args=(3,))
Process(target=deposit, args=(3,))
