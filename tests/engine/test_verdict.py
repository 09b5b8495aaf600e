"""The verdict never cries deadlock while somebody could still let the blocked go.

A semaphore has no owner and an event has no setter of its own: a worker blocked on one is in a
deadlock only if no worker that could still run could release or set it. A lock is released by
its holder by convention only: a circle of lock holders while another worker runs is *likely*
a deadlock, never a certain one.
"""

import time

import pytest

from tests.conftest import MODES, example, run_cli
from tests.sources import DEADLOCK, PARTIAL_DEADLOCK, SEMAPHORE_CIRCLE


def wait_for(predicate, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "it never happened"
        time.sleep(0.02)


@pytest.mark.parametrize("mode", MODES)
def test_a_full_bounded_buffer_is_not_a_deadlock(session_of, mode):
    s = session_of(example("producer-consumer"), mode)
    s.run_schedule("producer*")  # three items in, then blocked on `slots`: the buffer is full
    snap = s.snapshot()
    assert snap.worker("producer").blocked_on == "slots"
    assert snap.semaphore("slots").value == 0
    assert snap.worker("consumer").state == "ready"  # and its steps will release `slots`
    assert snap.verdict.kind == "running", snap.verdict
    assert s.verdict() == snap.verdict
    s.run_schedule("consumer*")  # the consumer empties the buffer: the producer goes on
    assert s.snapshot().worker("producer").state != "blocked"
    assert s.snapshot().verdict.kind == "running"


@pytest.mark.parametrize("mode", MODES)
def test_a_ping_pong_whose_other_player_is_ready_is_not_a_deadlock(session_of, mode):
    s = session_of("ping-pong", mode)
    s.run_schedule("MainThreadx2,pong")  # pong waits for its turn, only ping can hand it over
    snap = s.snapshot()
    assert snap.worker("pong").state == "blocked" and snap.worker("ping").state == "ready"
    assert snap.verdict.kind == "running", snap.verdict
    s.run_schedule("ping*")
    assert s.snapshot().worker("pong").state != "blocked"


@pytest.mark.parametrize("mode", MODES)
def test_a_real_deadlock_is_named_as_soon_as_the_steps_have_settled(session_of, mode):
    s = session_of(example("deadlock"), mode)
    s.run_schedule("w0,w1,w0,w1")  # returns once the last step has settled: no waiting after
    verdict = s.verdict()
    assert verdict.kind == "deadlock" and verdict.certain
    assert verdict.cycle == ("w0", "b", "w1", "a", "w0")
    assert verdict.waits == (
        "w0 waits for b, a lock held by w1",
        "w1 waits for a, a lock held by w0",
    )


def test_a_circle_through_a_semaphore_is_no_deadlock_until_nobody_else_can_run(
    session_of, scenario_file
):
    s = session_of(scenario_file(SEMAPHORE_CIRCLE), "thread")
    s.run_schedule("w0,w1,w0,w1")  # w0 holds a, waits for b; w1 took b, waits for a
    assert s.snapshot().worker("w2").state == "ready"
    assert s.verdict().kind == "running"  # the bystander could still release b
    s.run_schedule("w2*")  # it sleeps, runs to its end, and releases nothing
    wait_for(lambda: s.snapshot().worker("w2").state == "done")
    wait_for(lambda: s.verdict().certain)
    verdict = s.verdict()
    assert verdict.kind == "deadlock" and verdict.cycle == ("w0", "b", "w1", "a", "w0")


@pytest.mark.parametrize("mode", MODES)
def test_a_circle_of_lock_holders_while_another_runs_is_likely_not_certain(
    session_of, scenario_file, mode
):
    s = session_of(scenario_file(PARTIAL_DEADLOCK), mode)
    s.run_schedule("w0,w1,w0,w1,w2")
    verdict = s.verdict()
    assert verdict.kind == "likely" and not verdict.certain
    assert verdict.cycle == ("w0", "b", "w1", "a", "w0") and verdict.free == ("w2",)


def test_a_lock_released_by_a_worker_that_does_not_hold_it_is_no_deadlock(
    session_of, scenario_file
):
    # A Lock used as a signal: main takes it, then waits on it again; w0 releases it.
    s = session_of(
        scenario_file(
            """
            from ipc_tui.scenario import Lock, Thread
            ready = Lock()

            def announce():
                ready.release()

            t = Thread(target=announce)

            def main():
                ready.acquire()
                t.start()
                ready.acquire()  # until t releases it
            """
        ),
        "thread",
    )
    s.run_schedule("main,main,main")
    assert s.snapshot().worker("main").blocked_on == "ready"
    verdict = s.verdict()
    assert not verdict.certain and verdict.kind == "likely", verdict
    s.run_schedule("w0")
    wait_for(lambda: s.verdict().kind == "finished")


def test_an_event_nobody_can_set_is_stuck_once_the_last_setter_has_gone(session_of, scenario_file):
    s = session_of(
        scenario_file(
            """
            from ipc_tui.scenario import Event, Process
            go = Event()

            def wait():
                go.wait()

            def leave():
                go.is_set()  # looks, and leaves without setting it

            Process(target=wait)
            Process(target=leave)
            """
        ),
        "thread",
    )
    s.run_schedule("w0")
    assert s.verdict().kind == "running"  # w1 could still set it
    s.run_schedule("w1*")
    wait_for(lambda: s.verdict().certain)
    assert s.verdict().kind == "stuck"
    assert s.verdict().waits == ("w0 waits for go, an event nobody has set",)


def test_headless_exits_3_at_once_on_a_deadlock_and_runs_on_past_a_full_buffer(scenario_file):
    done = run_cli("--headless", "--scenario", scenario_file(DEADLOCK), "--schedule", "w0,w1,w0,w1")
    assert done.returncode == 3 and "a deadlock" in done.stderr
    done = run_cli(
        "--headless", "--scenario", example("producer-consumer"), "--schedule", "producer*"
    )
    assert done.returncode == 0, done.stderr
    assert "DEADLOCK" not in done.stdout + done.stderr
