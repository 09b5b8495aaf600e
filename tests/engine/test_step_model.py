"""Steps, schedules, play, pause and free running, on real workers."""

import time

import pytest

from ipc_tui.engine import ScheduleError, parse_schedule
from ipc_tui.engine.schedule import UNTIL_BLOCKED, Turn
from tests.conftest import MODES, example, run_to_end


def test_schedule_tokens():
    assert parse_schedule("w0, w1x3,w2*", ["w0", "w1", "w2"]) == [
        Turn("w0", 1),
        Turn("w1", 3),
        Turn("w2", UNTIL_BLOCKED),
    ]
    assert parse_schedule("box", ["box"]) == [Turn("box", 1)]  # a name that ends in x


@pytest.mark.parametrize("bad", ["", "w0,,w1", "w0x", "w0x0", "w0*3", "0w", "w0 w1"])
def test_malformed_schedules_are_refused(bad):
    with pytest.raises(ScheduleError, match="malformed|no worker"):
        parse_schedule(bad, ["w0", "w1"])


def test_unknown_worker_is_named_with_the_known_ones():
    with pytest.raises(ScheduleError, match="no worker 'w7'.*w0, w1"):
        parse_schedule("w0,w7", ["w0", "w1"])


@pytest.mark.parametrize("mode", MODES)
def test_every_worker_waits_at_its_gate_until_stepped(session_of, mode):
    s = session_of(example("race-condition"), mode)
    snap = s.snapshot()
    assert [w.state for w in snap.workers] == ["ready", "ready"]
    assert all(w.steps == 0 and w.op == "read counter" for w in snap.workers)
    assert snap.worker("w0").line == snap.worker("w1").line > 0  # the line of the next step
    time.sleep(0.2)
    assert s.snapshot().cell("counter").value == 0  # nothing moves by itself
    assert s.step("w0") == "w0"
    assert s.wait_settled(10)
    assert s.snapshot().worker("w0").steps == 1
    assert s.snapshot().worker("w1").steps == 0


@pytest.mark.parametrize("mode", MODES)
def test_round_robin_and_counted_steps(session_of, mode):
    s = session_of(example("lock-contention"), mode)
    order = []
    for _ in range(3):
        order.append(s.step())
        assert s.wait_settled(10)
    assert order == ["w0", "w1", "w2"]  # w1 and w2 now block on the lock w0 holds
    assert s.step() == "w0"  # the only ready worker
    assert s.wait_settled(10)
    s.run_schedule("w0x2")
    assert s.snapshot().worker("w0").steps == 4  # acquire, read, write, release


@pytest.mark.parametrize("mode", MODES)
def test_star_runs_a_worker_until_it_blocks(session_of, mode):
    s = session_of(example("lock-contention"), mode)
    s.run_schedule("w0")  # w0 holds the lock
    s.run_schedule("w1*")  # w1 runs until its acquire blocks
    w1 = s.snapshot().worker("w1")
    assert (w1.state, w1.blocked_on, w1.steps) == ("blocked", "lock", 0)
    s.run_schedule("w0*")  # w0 releases; the real lock goes to w1; w0 blocks on its next turn
    snap = s.snapshot()
    assert (snap.worker("w0").state, snap.worker("w0").steps) == ("blocked", 4)
    assert snap.lock("lock").holder == "w1" and snap.lock("lock").waiters == ("w0",)


@pytest.mark.parametrize("mode", MODES)
def test_play_steps_by_itself_and_pause_stops_it(session_of, mode):
    s = session_of(example("race-condition"), mode)
    s.play(200)
    deadline = time.monotonic() + 20
    while sum(w.steps for w in s.snapshot().workers) < 4:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    s.pause()
    assert s.wait_settled(10)
    done = sum(w.steps for w in s.snapshot().workers)
    time.sleep(0.2)
    assert sum(w.steps for w in s.snapshot().workers) == done
    run_to_end(s)
    assert all(w.state == "done" for w in s.snapshot().workers)


@pytest.mark.parametrize("mode", MODES)
def test_pause_after_running_free_closes_the_gates_again(session_of, scenario_file, mode):
    path = scenario_file(
        """
        from ipc_tui.scenario import Process, Value
        n = Value("i", 0)
        def count():
            for _ in range(100_000):
                n.value += 1
        Process(target=count)
        """
    )
    s = session_of(path, mode)
    s.run()
    time.sleep(0.05)
    s.pause()
    assert s.wait_settled(10)
    stopped_at = s.snapshot().cell("n").value
    assert s.snapshot().worker("w0").state in ("ready", "done")
    time.sleep(0.1)
    assert s.snapshot().cell("n").value == stopped_at


@pytest.mark.parametrize("mode", MODES)
def test_blocked_on_a_semaphore_at_zero_until_a_release(session_of, mode):
    s = session_of(example("semaphore"), mode)
    s.run_schedule("w0,w1,w2")
    snap = s.snapshot()
    assert snap.semaphore("permits").value == 0
    assert snap.semaphore("permits").holders == ("w0", "w1")
    assert (snap.worker("w2").state, snap.worker("w2").blocked_on) == ("blocked", "permits")
    assert snap.semaphore("permits").waiters == ("w2",)
    s.run_schedule("w0x3")  # get_value, sleep, release
    snap = s.snapshot()
    assert snap.semaphore("permits").holders == ("w1", "w2")
    assert snap.worker("w2").state == "ready"
    assert snap.semaphore("permits").value == 0
    took = [e for e in s.drain_events() if (e.worker, e.kind, e.op) == ("w2", "step", "acquire")]
    # What the counter was just before w2 took its permit is not known (w0's release came in
    # between): the step says what it left, not a "before" from when it began to wait.
    assert (took[0].before, took[0].after, took[0].result) == (None, 0, True)


@pytest.mark.parametrize("mode", MODES)
def test_one_set_releases_every_waiter_and_a_timed_wait_returns_false(session_of, mode):
    s = session_of(example("event"), mode)
    s.run_schedule("w0,w1,w2")
    ev = s.snapshot().event("go")
    assert not ev.is_set
    assert [w.worker for w in ev.waiters] == ["w0", "w1", "w2"]
    assert [w.deadline is None for w in ev.waiters] == [True, True, False]
    deadline = time.monotonic() + 10
    while s.snapshot().worker("w2").state == "blocked":  # its 0.2 s run out for real
        assert time.monotonic() < deadline
        time.sleep(0.01)
    waits = [e for e in s.drain_events() if e.kind == "step" and e.op == "wait"]
    assert [(e.worker, e.result) for e in waits] == [("w2", False)]
    s.run_schedule("w3x2")  # sleep, set
    assert s.wait_settled(10)
    snap = s.snapshot()
    assert snap.event("go").is_set and snap.event("go").waiters == ()
    assert snap.worker("w0").state == snap.worker("w1").state == "done"


@pytest.mark.parametrize("mode", MODES)
def test_steps_asked_faster_than_they_finish_are_taken_in_order(session_of, mode):
    s = session_of(example("race-condition"), mode)
    for name in ["w0", "w1", "w0", "w1"]:  # as fast as keys can be pressed
        assert s.step(name) == name
    assert s.wait_settled(10)
    snap = s.snapshot()
    assert (snap.worker("w0").steps, snap.worker("w1").steps) == (2, 2)
    assert snap.cell("counter").value == 1  # the schedule w0,w1,w0,w1: an update lost
    steps = [(e.worker, e.op) for e in s.drain_events() if e.kind == "step"]
    assert steps == [("w0", "read"), ("w1", "read"), ("w0", "write"), ("w1", "write")]


@pytest.mark.parametrize("mode", MODES)
def test_steps_asked_for_quickly_after_a_long_pause_still_queue(session_of, mode):
    s = session_of(example("race-condition"), mode)
    time.sleep(1.5)  # a student reads the screen for a while (longer than any patience)...
    for name in ("w0", "w1", "w0", "w1"):  # ...then types 1 2 1 2 quickly
        assert s.step(name) is not None
    assert s.wait_settled(10)
    assert s.snapshot().cell("counter").value == 1  # the update got lost, as typed
