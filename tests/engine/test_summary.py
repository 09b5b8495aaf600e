"""Running free with summaries on (the app's sessions): the same truth, at a fraction of the
cost. Workers count their steps and report every 20 ms; pausing brings back step by step."""

import os
import random

import pytest

from ipc_tui.bench.app import BUSIEST
from ipc_tui.engine import Session
from tests.conftest import MODES, example, run_to_end


def summarised(name: str, mode: str) -> Session:
    s = Session(name, mode, summary=True)
    s.start()
    assert s.wait_settled(10)
    return s


@pytest.mark.parametrize("mode", MODES)
def test_a_summarised_free_run_ends_with_the_same_state(mode):
    s = summarised(example("lock-contention"), mode)
    try:
        run_to_end(s)
        snap = s.snapshot()
        assert snap.cell("total").value == 9
        assert snap.lock("lock").holder is None and not snap.lock("lock").locked
        assert [w.steps for w in snap.workers] == [
            12,
            12,
            12,
        ]  # 3 x (acquire, read, write, release)
        events = s.drain_events()
        assert any(e.kind == "summary" for e in events)
        # No message per step: only the step each worker was waiting to take when run() came
        stepped = [e.worker for e in events if e.kind == "step"]
        assert sorted(stepped) == sorted(set(stepped)), stepped
    finally:
        s.close()


@pytest.mark.parametrize("mode", MODES)
def test_pausing_a_summarised_run_gives_back_exact_steps(scenario_file, mode):
    s = Session(scenario_file(BUSIEST), mode, summary=True)  # three workers, for ever
    s.start()
    try:
        assert s.wait_settled(10)
        s.run()
        events = []
        while not any(e.kind == "summary" for e in events):
            events += s.drain_events()
        s.pause()
        assert s.wait_settled(10)  # the summaries agree with the real primitives again
        rng = random.Random(1)
        for _ in range(60):  # and stepping is exact again, step by step
            ready = [w.name for w in s.snapshot().workers if w.state == "ready"]
            s.step(rng.choice(ready))
            assert s.wait_settled(10)
            snap = s.snapshot()
            lock, room = snap.lock("lock"), snap.semaphore("room")
            assert lock.locked == (lock.holder is not None)
            assert room.value == room.initial - len(room.holders)
        assert all(w.steps > 0 for w in s.snapshot().workers)
    finally:
        s.close()


@pytest.mark.parametrize("mode", MODES)
def test_short_waits_running_free_keep_their_meaning(scenario_file, mode):
    path = scenario_file(
        """
        from ipc_tui.scenario import Event, Lock, Process, Value, sleep
        lock = Lock()
        never = Event()
        got = Value("i", -1)
        waited = Value("i", -1)

        def holder():
            with lock:
                sleep(0.3)

        def impatient():
            sleep(0.1)
            got.value = lock.acquire(timeout=0.001)  # shorter than the grace: still False
            waited.value = never.wait(0.002)

        Process(target=holder)
        Process(target=impatient)
        """
    )
    s = Session(path, mode, summary=True)
    s.start()
    try:
        assert s.wait_settled(10)
        run_to_end(s)
        assert (s.snapshot().cell("got").value, s.snapshot().cell("waited").value) == (0, 0)
    finally:
        s.close()


def test_worker_processes_can_yield_the_cpu_to_the_app(scenario_file):
    """The app starts its worker processes `nice`r than itself, so its screen keeps up while
    they use every core; they compete among themselves as before."""
    path = scenario_file(
        """
        import os
        from ipc_tui.scenario import Process, sleep

        def report():
            sleep(0)
            print("niceness", os.nice(0))

        Process(target=report)
        Process(target=report)
        """
    )
    for nice in (0, 5):
        s = Session(path, "process", summary=True, nice=nice)
        try:
            s.start()
            run_to_end(s)
            said = [e.result for e in s.drain_events() if e.kind == "output"]
        finally:
            s.close()
        assert said == [f"niceness {min(19, os.nice(0) + nice)}"] * 2


@pytest.mark.parametrize("mode", MODES)
def test_every_operation_running_free_is_summarised_not_reported_one_by_one(scenario_file, mode):
    # Each kind of operation, many times: running free, none sends a message of its own
    # (Array.value and get_value used to skip the summary path and report every time).
    path = scenario_file(
        """
        from ipc_tui.scenario import Array, Event, Lock, Process, Semaphore, Value
        n = Value("i", 0)
        word = Array("c", b"ab")
        cells = Array("i", 3)
        lock = Lock()
        permits = Semaphore(2)
        flag = Event()

        def busy():
            for i in range(300):
                n.value = n.value + 1
                word.value = word.value
                cells[i % 3] = cells[(i + 1) % 3] + 1
                cells[0:2] = cells[1:3]
                with lock:
                    permits.get_value()
                with permits:
                    flag.set()
                    flag.is_set()
                    flag.wait(1)
                    flag.clear()

        Process(target=busy)
        """
    )
    s = Session(path, mode, summary=True)
    s.start()
    try:
        assert s.wait_settled(10)
        run_to_end(s)
        events = s.drain_events()
        assert s.snapshot().cell("n").value == 300
        stepped = [(e.op, e.resource) for e in events if e.kind == "step"]
        assert len(stepped) <= 1, stepped  # at most the step it waited to take at run()
        summed = sum(e.result for e in events if e.kind == "summary")
        assert summed + len(stepped) == 300 * 17  # 17 steps an iteration
    finally:
        s.close()


RELEASES_THEN_READS = """
    from ipc_tui.scenario import Lock, Process, Value
    lock = Lock()
    n = Value("i", 0)

    def first():
        with lock:
            n.value = 1
        for _ in range(30_000):  # and goes on running free long after its release
            n.value

    def second():
        with lock:
            n.value = 2

    Process(target=first)
    Process(target=second)
"""


@pytest.mark.parametrize("mode", MODES)
def test_a_summed_up_release_comes_before_the_acquire_it_allowed(scenario_file, mode):
    # w0 holds the lock, w1 blocks on it, then everything runs free: w0's release is inside a
    # summary (sent 20 ms later), w1's acquire a step of its own. The trace must not show w1
    # taking a lock w0 still seems to hold (seen trying it: the summary came where it was sent).
    s = Session(scenario_file(RELEASES_THEN_READS), mode, summary=True)
    s.start()
    try:
        assert s.wait_settled(10)
        s.run_schedule("w0,w1")  # w0 took the lock (its write waits); w1 blocks on it
        s.drain_events()
        run_to_end(s)
        events = s.drain_events()
        took = next(
            i for i, e in enumerate(events) if (e.worker, e.op, e.result) == ("w1", "acquire", True)
        )
        summed = next(i for i, e in enumerate(events) if e.worker == "w0" and e.kind == "summary")
        assert summed < took, [(e.worker, e.kind, e.op) for e in events]
    finally:
        s.close()
