"""The lesson of lock-contention: one holder at a time, the others queue, the real lock decides."""

import random

import pytest

from tests.conftest import MODES, example, run_to_end


def holders_from_trace(events):
    """Replay the trace: fail if a lock is ever acquired while another worker holds it."""
    holder = None
    grants = []
    for e in events:
        if e.kind != "step" or e.resource != "lock":
            continue
        if e.op == "acquire" and e.result:
            assert holder is None, f"{e.worker} acquired the lock while {holder} held it"
            holder = e.worker
            grants.append(e.worker)
        elif e.op == "release":
            assert holder == e.worker, f"{e.worker} released a lock held by {holder}"
            holder = None
    return holder, grants


@pytest.mark.parametrize("mode", MODES)
def test_never_two_holders_under_random_stepping(session_of, mode):
    s = session_of(example("lock-contention"), mode)
    rng = random.Random(7)
    events = []
    while not s.finished():
        ready = [w.name for w in s.snapshot().workers if w.state == "ready"]
        assert ready, "nobody ready, yet not finished: the lock was lost"
        s.step(rng.choice(ready))
        assert s.wait_settled(10)
        events += s.drain_events()
        holder, _ = holders_from_trace(events)
        lock = s.snapshot().lock("lock")
        assert lock.holder == holder  # the snapshot agrees with the trace...
        assert lock.locked == (holder is not None)  # ...and with the real lock
        assert lock.holder not in lock.waiters
    assert s.snapshot().cell("total").value == 9


@pytest.mark.parametrize("mode", MODES)
def test_waiters_queue_in_order_and_the_real_lock_picks_the_next_holder(session_of, mode):
    s = session_of(example("lock-contention"), mode)
    s.run_schedule("w0")  # w0 takes the lock
    assert s.snapshot().lock("lock").holder == "w0"
    s.run_schedule("w2,w1")  # both block on it, w2 first
    snap = s.snapshot()
    assert snap.lock("lock").waiters == ("w2", "w1")
    assert snap.worker("w1").state == "blocked" and snap.worker("w1").blocked_on == "lock"
    assert snap.worker("w2").state == "blocked"

    s.run_schedule("w0x3")  # read, write, release: the real lock hands itself to a waiter
    snap = s.snapshot()
    _, grants = holders_from_trace(s.drain_events())
    assert grants[0] == "w0"
    new_holder = grants[-1]
    assert new_holder in ("w1", "w2")
    assert snap.lock("lock").holder == new_holder
    assert snap.lock("lock").waiters == tuple({"w1", "w2"} - {new_holder})
    assert snap.worker(new_holder).state == "ready"


@pytest.mark.parametrize("mode", MODES)
def test_free_run_keeps_mutual_exclusion_and_an_exact_total(session_of, mode):
    s = session_of(example("lock-contention"), mode)
    run_to_end(s)
    holder, grants = holders_from_trace(s.drain_events())
    assert holder is None and len(grants) == 9
    assert s.snapshot().cell("total").value == 9
