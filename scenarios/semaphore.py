"""Semaphore: four workers share two permits.

`Semaphore(2)` holds a count of 2. `acquire()` takes one and blocks while the count is 0;
`release()` gives one back and wakes a blocked worker; `get_value()` reads the count. So never
more than two workers are between their acquire and their release at once.

Watch: the Semaphores pane (the count, who is inside, who is blocked at 0). Try: step w0 and w1
through their acquire, then step w2: it blocks at 0 until w0 or w1 releases.
"""

from ipc_tui.scenario import Process, Semaphore, sleep

MODES = ("process", "thread")

permits = Semaphore(2)


def visit(seconds):
    permits.acquire()  # take a permit; at 0 this blocks
    permits.get_value()  # how many are left for the others
    sleep(seconds)  # inside: at most two workers here at once
    permits.release()  # give the permit back


for _ in range(4):
    Process(target=visit, args=(0.1,))
