"""The scenario format: the stdlib's names and behaviour, in both modes."""

import pytest

from ipc_tui.engine import ScenarioError, Session
from tests.conftest import MODES, run_to_end

EVERYTHING = """
    '''Everything: each primitive used as the lesson uses it.

    The lesson text follows the title.
    '''
    from ipc_tui.scenario import Array, Event, Lock, Process, Semaphore, Thread, Value, sleep

    i = Value("i", 1)
    d = Value("d", 0.5)
    c = Value("c", b"a")
    nums = Array("i", [1, 2, 3])
    zeros = Array("i", 4)
    text = Array("c", b"hello")
    results = Array("i", 8)
    lock = Lock()
    sem = Semaphore(2)
    ev = Event()

    def work(scale, *, extra):
        i.value = i.value * scale + extra
        d.value += 0.25
        c.value = b"z"
        zeros[1] = len(nums) + sum(nums)  # len is not a step; iteration reads each cell
        text[0] = ord("j") if isinstance(text[0], int) else b"j"
        results[0] = int(lock.acquire(timeout=0.05))
        results[1] = int(lock.acquire(blocking=False))  # already held by us: False
        lock.release()
        with lock:
            results[2] = 1
        results[3] = int(sem.acquire()) + sem.get_value()
        sem.release()
        results[4] = int(ev.wait(0.01))  # unset: gives up, False
        ev.set()
        results[5] = int(ev.is_set()) + int(ev.wait())
        ev.clear()
        sleep(0.01)

    class Doubler(Thread):
        def __init__(self, times):
            super().__init__(name="doubler", daemon=True)
            self.times = times

        def run(self):
            for _ in range(self.times):
                results[7] = results[7] + 2

    Process(target=work, args=(10,), kwargs={"extra": 2})
    Doubler(3)
"""


@pytest.mark.parametrize("mode", MODES)
def test_every_primitive_behaves_like_the_stdlib(session_of, scenario_file, mode):
    s = session_of(scenario_file(EVERYTHING), mode)
    assert s.worker_names == ["w0", "doubler"]
    run_to_end(s)
    snap = s.snapshot()
    assert all(w.state == "done" for w in snap.workers), snap.workers
    cells = {c.name: c.value for c in snap.cells}
    assert cells["i"] == 12 and cells["d"] == 0.75 and cells["c"] == b"z"
    assert cells["nums"] == (1, 2, 3) and cells["zeros"] == (0, 9, 0, 0)
    assert b"".join(cells["text"]) == b"jello"
    assert cells["results"] == (1, 0, 1, 2, 0, 2, 0, 6)
    assert snap.worker("doubler").daemon and not snap.worker("w0").daemon
    assert snap.worker("doubler").target == "Doubler.run"
    assert not snap.event("ev").is_set and snap.semaphore("sem").value == 2


def test_title_and_lesson_come_from_the_docstring(scenario_file):
    s = Session(scenario_file(EVERYTHING), "thread")
    assert s.info.title == "Everything: each primitive used as the lesson uses it."
    assert s.info.lesson == "The lesson text follows the title."
    assert s.info.modes == ("process", "thread")


@pytest.mark.parametrize("mode, error", [("thread", RuntimeError), ("process", ValueError)])
def test_releasing_an_unheld_lock_raises_what_the_real_lock_raises(
    session_of, scenario_file, mode, error
):
    s = session_of(
        scenario_file(
            """
            from ipc_tui.scenario import Lock, Process
            lock = Lock()
            Process(target=lock.release)
            """
        ),
        mode,
    )
    run_to_end(s)
    w0 = s.snapshot().worker("w0")
    assert w0.state == "failed"
    assert error.__name__ in w0.error


def test_a_mode_the_scenario_does_not_support_is_refused(scenario_file):
    path = scenario_file(
        """
        from ipc_tui.scenario import Process
        MODES = ("process",)
        Process(target=print)
        """
    )
    with pytest.raises(ScenarioError, match="runs only in process mode"):
        Session(path, "thread")
    assert Session(path).mode == "process"


@pytest.mark.parametrize("mode", MODES)
def test_what_a_worker_prints_goes_to_the_trace(session_of, scenario_file, mode):
    s = session_of(
        scenario_file(
            """
            from ipc_tui.scenario import Process

            def hello(who):
                print("hello", who, sep=", ")

            Process(target=hello, args=("w0",))
            """
        ),
        mode,
    )
    run_to_end(s)
    out = [(e.worker, e.result, e.line) for e in s.drain_events() if e.kind == "output"]
    assert out == [("w0", "hello, w0", 5)]
