"""Lock contention: three workers queue for one lock

Try: press 1: w0 takes the lock; then 3 and 2: w2 and w1 block on it and queue, in that order
(headless: `--schedule 'w0,w2,w1'`). Press 1 three times: w0 updates the total and releases
the lock, and the real lock decides who is next. Watch: the Locks pane (who holds it, who
waits, in order) and the trace.

`with lock:` takes the lock before the update and gives it back after: the lines inside are the
critical section, and only the worker holding the lock runs them. The others block in
`acquire()` and queue up; the real lock decides who gets it next. The total ends exact.
"""

from ipc_tui.scenario import Lock, Process, Value

MODES = ("process", "thread")

LESSON_ZH = """
锁的争夺:三个工作者排队等一把锁

试一试:按 1:w0 拿到锁;再按 3 和 2:w2 和 w1 阻塞在锁上,按这个顺序排队(无界面运行:`--schedule 'w0,w2,w1'`)。按三次 1:w0 更新总数并解锁,由真正的锁决定下一个是谁。观察:Locks 面板(谁持有锁、谁在等待、按什么顺序)和跟踪记录。

`with lock:` 在更新之前加锁,之后解锁:里面的代码就是临界区,只有持有锁的工作者能执行。其他工作者阻塞在 `acquire()` 里排队,由真正的锁决定下一个获得者。总数最后是准确的。
"""

lock = Lock()
total = Value("i", 0)


def deposit(times):
    for _ in range(times):
        with lock:  # acquire: blocks while another worker holds the lock
            total.value += 1  # the critical section: one worker at a time
        # leaving the with block releases the lock


Process(target=deposit, args=(3,))
Process(target=deposit, args=(3,))
Process(target=deposit, args=(3,))


def check():  # what must hold at the end: ipc-tui checks it when every worker has ended
    assert total.value == 9, f"total is {total.value}, expected 9"
