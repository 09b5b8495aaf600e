"""Race condition: two workers add to one counter without a lock, and updates get lost.

`counter.value += 1` looks like one operation but is two steps: read the value, then write the
value plus one. If w1 reads before w0 has written, both write the same number and one update is
lost. In thread mode the counter stands for the notes' global variable; in process mode it is a
shared-memory Value. Either way the fix is a lock (see the critical-section scenario).

Watch: the counter cell and the trace. Try: step w0, w1, w0, w1 (schedule `w0,w1,w0,w1`) and
see the counter end one short; then restart and run `w0*,w1*` to see it exact.
"""

from ipc_tui.scenario import Process, Value

MODES = ("process", "thread")

counter = Value("i", 0)


def add(times):
    for _ in range(times):
        counter.value += 1  # a read step, then a write step


Process(target=add, args=(3,))
Process(target=add, args=(3,))
