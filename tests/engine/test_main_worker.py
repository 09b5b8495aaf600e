"""A scenario's main() is a worker of its own: it starts others, joins them, reads their state."""

import time

import pytest

from tests.conftest import MODES, run_to_end

MAIN = """
    from ipc_tui.scenario import Array, Process, Value, sleep

    total = Value("i", 0)
    seen = Array("i", 6)

    def add(n):
        total.value += n

    def dawdle(seconds):
        sleep(seconds)

    class Adder(Process):
        def __init__(self, n, cell):
            super().__init__(name="adder")
            self.n = n
            self.cell = cell

        def run(self):
            self.cell.value += self.n

    first = Process(target=add, args=(1,))

    def main():
        first.start()
        first.join()
        seen[0] = first.exitcode if first.exitcode is not None else -1
        seen[1] = int(first.is_alive())
        later = Adder(10, total)  # made at run time, with a resource among its fields
        later.start()
        later.join(timeout=10)
        slow = Process(target=dawdle, args=(30,), daemon=True)
        slow.start()
        slow.join(timeout=0.05)  # returns while slow is still alive
        seen[2] = int(slow.is_alive())
        seen[3] = int(slow.pid is not None)
"""


@pytest.mark.parametrize("mode", MODES)
def test_main_starts_and_joins_workers_made_before_and_during_the_run(
    session_of, scenario_file, mode
):
    s = session_of(scenario_file(MAIN), mode)
    snap = s.snapshot()
    assert [(w.name, w.state) for w in snap.workers] == [("w0", "new"), ("main", "ready")]
    assert snap.worker("w0").pid is None and not snap.worker("w0").alive  # no pid before start
    assert snap.worker("main").op == "start w0"

    s.run_schedule("main")  # start: w0 exists now and waits at its gate
    snap = s.snapshot()
    assert snap.worker("w0").state == "ready" and snap.worker("w0").alive
    assert snap.worker("w0").pid is not None
    s.run_schedule("main")  # join: main blocks until w0 ends
    assert s.snapshot().worker("main").blocked_on == "w0"
    s.run_schedule("w0*")
    s.run_schedule("main")  # first.exitcode and is_alive() are read, seen[0] written
    assert s.snapshot().worker("main").state == "ready"

    s.run()
    deadline = time.monotonic() + 20
    while s.snapshot().worker("main").state != "done" or s.snapshot().workers[-1].alive:
        assert time.monotonic() < deadline, s.snapshot().workers
        time.sleep(0.01)
    snap = s.snapshot()
    assert snap.cell("total").value == 11
    exitcode = 0 if mode == "process" else -1  # threads have no exit code
    assert snap.cell("seen").value[:4] == (exitcode, 0, 1, 1)
    # made at run time without a name: named as the stdlib would name it
    assert [w.name for w in snap.workers] == ["w0", "main", "adder", "Process-1"]
    assert snap.worker("adder").target == "Adder.run"
    # a daemon, still sleeping when main ended: cut off, as at the end of a real program
    assert snap.worker("Process-1").state == "cut off" and snap.worker("Process-1").daemon
    joins = [e for e in s.drain_events() if e.kind == "step" and e.op == "join"]
    assert [(e.resource, e.result) for e in joins] == [  # whether it had ended
        ("w0", True),
        ("adder", True),
        ("Process-1", False),  # join(timeout) returned while it still ran
    ]


@pytest.mark.parametrize("mode", MODES)
def test_a_main_that_waits_for_a_stuck_worker_is_reported(session_of, scenario_file, mode):
    s = session_of(
        scenario_file(
            """
            from ipc_tui.scenario import Event, Process
            never = Event()
            stuck = Process(target=never.wait)

            def main():
                stuck.start()
                stuck.join()
            """
        ),
        mode,
    )
    s.run()
    deadline = time.monotonic() + 20
    while not s.verdict().certain:
        assert time.monotonic() < deadline, s.snapshot().workers
        time.sleep(0.01)
    assert s.verdict().kind == "stuck"
    assert s.verdict().waits == (
        "w0 waits for never, an event nobody has set",
        "main waits for w0 to end (join)",
    )


def test_starting_a_worker_twice_raises_like_the_stdlib(session_of, scenario_file):
    s = session_of(
        scenario_file(
            """
            from ipc_tui.scenario import Thread
            t = Thread(target=print, args=("hi",))

            def main():
                t.start()
                t.start()
            """
        ),
        "thread",
    )
    run_to_end(s)
    assert "RuntimeError: threads can only be started once" in s.snapshot().worker("main").error
