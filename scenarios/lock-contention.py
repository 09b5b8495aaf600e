"""Lock contention: three workers fight for one lock around a shared update.

`with lock:` takes the lock before the update and gives it back after: the lines inside are the
critical section, and only the worker holding the lock runs them. The others block in
`acquire()` and queue up; the real lock decides who gets it next. The total ends exact.

Watch: the Locks pane (who holds it, who waits, in order) and the trace. Try: step w0 into the
critical section, then step w1 and w2: they block on the lock until w0 releases it.
"""

from ipc_tui.scenario import Lock, Process, Value

MODES = ("process", "thread")

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
