"""The snapshot tells the truth: after every step it matches the real primitives and the trace."""

import random
import time

import pytest

from tests.conftest import MODES


def real(session, name):
    """The real primitive behind a scenario's resource (what the lesson's code touches)."""
    return getattr(session.module, name)._raw


def check(session, events):
    snap = session.snapshot()
    last_write = {}
    flags = {}
    for e in events:
        if e.kind == "step" and e.op == "write" and e.index is None:
            last_write[e.resource] = e.after
        if e.kind == "step" and e.op in ("set", "clear"):
            flags[e.resource] = e.op == "set"
    for cell in snap.cells:
        raw = real(session, cell.name).get_obj()
        assert cell.value == (raw.value if cell.kind == "value" else tuple(raw))
        if cell.name in last_write:
            assert cell.value == last_write[cell.name]  # the trace's last write is what is there
    for sem in snap.semaphores:
        raw = real(session, sem.name)
        value = raw.get_value() if hasattr(raw, "get_value") else raw._value
        assert sem.value == value
        assert sem.value == sem.initial - len(sem.holders)  # permits taken are the ones missing
    for ev in snap.events:
        assert ev.is_set == real(session, ev.name).is_set()
        assert ev.is_set == flags.get(ev.name, False)
    for lock in snap.locks:
        raw = real(session, lock.name)
        locked = raw.locked() if hasattr(raw, "locked") else raw._semlock._get_value() == 0
        assert lock.locked == locked == (lock.holder is not None)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("scenario", ["race-condition", "lock-contention", "semaphore", "event"])
def test_snapshot_matches_the_real_primitives_after_every_step(session_of, scenario, mode):
    s = session_of(scenario, mode)
    rng = random.Random(scenario)
    events = []
    for _ in range(400):
        ready = [w.name for w in s.snapshot().workers if w.state == "ready"]
        if not ready:
            if s.finished() or s.stall():
                break
            time.sleep(0.05)  # a wait(timeout) still running out
            continue
        s.step(rng.choice(ready))
        assert s.wait_settled(10)
        events += s.drain_events()
        check(s, events)
    assert s.finished() or s.stall()  # event: a wait that comes after clear() waits for ever
