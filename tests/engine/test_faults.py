"""Faults a student makes on purpose: a killed process, an endless loop, a partial deadlock."""

import time

import pytest

from ipc_tui.engine import CannotKill
from tests.conftest import MODES, example, gone, run_to_end
from tests.sources import HOLDERS, LOOPS


def wait_for(predicate, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "it never happened"
        time.sleep(0.02)


def test_a_process_killed_holding_a_lock_leaves_it_taken_for_ever(session_of, scenario_file):
    s = session_of(scenario_file(HOLDERS), "process")
    s.run_schedule("w0,w2")  # w0 holds the lock, w2 a permit
    pid = s.snapshot().worker("w0").pid
    s.kill("w0")
    s.kill("w2")
    wait_for(lambda: s.snapshot().worker("w2").state == "killed")
    wait_for(lambda: s.snapshot().worker("w0").state == "killed")
    snap = s.snapshot()
    assert gone(pid) and snap.worker("w0").exitcode == -9
    assert snap.worker("w0").error == "killed by SIGKILL"
    lock = snap.lock("lock")
    assert lock.holder == "w0" and lock.holder_gone and lock.locked  # the real lock: still held
    assert not s.resources[0].real.acquire(timeout=0.2)  # nobody can take it
    assert snap.semaphore("permits").value == 0 and snap.semaphore("permits").lost == 1
    s.run_schedule("w1,w3")  # both block behind what the dead took
    verdict = s.verdict()
    assert verdict.kind == "stuck" and verdict.gone == ("w0", "w2")
    assert verdict.waits == (
        "w1 waits for lock, a lock held by w0, which is dead (killed by SIGKILL)",
        "w3 waits for permits, a semaphore at 0 (its permits taken by w2, which is dead "
        "(killed by SIGKILL))",
    )
    s.restart()  # fresh primitives: the scenario runs again, and to its end
    assert s.wait_settled(10)
    run_to_end(s)
    assert (s.snapshot().cell("total").value, s.snapshot().cell("tens").value) == (2, 20)
    with pytest.raises(CannotKill, match="w0 is not running"):
        s.kill("w0")


def test_a_thread_cannot_be_killed_and_says_so(session_of, scenario_file):
    s = session_of(scenario_file(HOLDERS), "thread")
    with pytest.raises(CannotKill, match="w0 is a thread"):
        s.kill("w0")
    run_to_end(s)  # and nothing else changed
    assert (s.snapshot().cell("total").value, s.snapshot().cell("tens").value) == (2, 20)


@pytest.mark.parametrize("mode", MODES)
def test_an_endless_loop_holds_up_nobody_and_ends_with_the_session(session_of, scenario_file, mode):
    s = session_of(scenario_file(LOOPS), mode)
    assert s.step("w0") is not None  # the write; then w0 loops for ever without a step
    wait_for(lambda: s.snapshot().worker("w0").busy > 1.5)  # shown as running for long
    for _ in range(6):  # the other worker still steps, one step at a time
        assert s.step("w1") is not None
        wait_for(lambda: s.snapshot().worker("w1").state != "running")
    assert s.snapshot().worker("w1").state == "done"
    assert s.snapshot().cell("n").value == 4
    handle = s.real_worker("w0")
    s.close()
    assert not handle.is_alive()  # a thread too: Stopped is raised inside its loop


def test_a_semaphore_cycle_and_a_timeout_that_breaks_it(session_of, scenario_file):
    path = scenario_file(
        """
        from ipc_tui.scenario import Lock, Process
        a = Lock()
        b = Lock()

        def one():
            with a:
                b.acquire(timeout=5)  # gives up: not a deadlock

        def two():
            with b:
                with a:
                    pass

        Process(target=one)
        Process(target=two)
        """
    )
    s = session_of(path, "thread")
    s.run_schedule("w0,w1,w0,w1")
    assert s.verdict().kind == "running"


def test_a_process_killed_at_its_gate_stays_dead_when_the_run_goes_free(session_of):
    # (seen trying it: 1, k 1, 2 3 then f showed the dead w0 as running and the lock as live)
    s = session_of(example("lock-contention"), "process")
    s.run_schedule("w0")  # w0 holds the lock, and waits at its gate for its next step
    s.kill("w0")
    wait_for(lambda: s.snapshot().worker("w0").state == "killed")
    s.run_schedule("w1,w2")  # both block behind the dead holder
    assert s.verdict().kind == "stuck"
    s.run()
    assert s.step("w0") is None
    snap = s.snapshot()
    assert snap.worker("w0").state == "killed" and not snap.worker("w0").live
    assert snap.lock("lock").holder_gone and s.verdict().kind == "stuck"
    s.pause()
    assert s.snapshot().worker("w0").state == "killed" and s.verdict().kind == "stuck"
