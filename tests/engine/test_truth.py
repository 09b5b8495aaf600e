"""The snapshot tells the truth: after every step it matches the real primitives and the trace,
whatever the schedule (random schedules from Hypothesis, over every stepping scenario). A
built-in plain program's primitives live in its own processes: there the snapshot shows what
they read of them, and it must agree with the trace the same way."""

import time
from collections import Counter, defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipc_tui.engine import Session, find_scenario, list_scenarios, open_session
from ipc_tui.engine.channels import NOT_MOVED
from ipc_tui.engine.check import from_failure
from tests.conftest import gone

MEASURING = {info.name for info in list_scenarios() if not info.watched}  # (they measure)
STEPPING = [
    (info.name, mode)
    for info in list_scenarios()
    if info.name not in MEASURING
    for mode in info.modes
]
EXAMPLES = 8  # per scenario and mode: 8 x 26 = 208 random schedules


def real(session, name):
    """The real primitive behind a scenario's resource (what the lesson's code touches); None
    in a plain program (it is in the program's processes: its agent reads it, engine/program)."""
    return next(r for r in session.resources if r.name == name).real


def check(session, events) -> None:
    """Every invariant a student relies on, on a settled session and its whole trace so far."""
    snap = session.snapshot()
    locks = {x.name for x in snap.locks}
    sems = {x.name for x in snap.semaphores}
    holder: dict[str, str | None] = {}
    taken: Counter = Counter()
    last_write, flags = {}, {}
    steps = defaultdict(list)
    for e in events:
        if e.kind != "step":
            continue
        steps[e.worker].append(e.seq)
        if e.resource in locks and e.op == "acquire" and e.result:
            assert holder.get(e.resource) is None, f"{e.worker} took {e.resource} while held"
            holder[e.resource] = e.worker
        elif e.resource in locks and e.op == "release":
            holder[e.resource] = None
        elif e.resource in sems and e.op == "acquire" and e.result:
            taken[e.resource] += 1
        elif e.resource in sems and e.op == "release":
            taken[e.resource] -= 1
        elif e.op == "write":
            last_write[e.resource, e.index] = e.after
        elif e.op in ("set", "clear"):
            flags[e.resource] = e.op == "set"
    for worker, seqs in steps.items():  # the trace has no holes: steps 1, 2, 3, ...
        assert seqs == list(range(1, len(seqs) + 1)), (worker, seqs)
    for cell in snap.cells:
        if real(session, cell.name) is not None:
            raw = real(session, cell.name).get_obj()
            assert cell.value == (raw.value if cell.kind == "value" else tuple(raw))
        for (name, index), value in last_write.items():
            if name == cell.name and index is None:
                assert cell.value == value  # the trace's last write is what is there
            elif name == cell.name and isinstance(index, int):
                assert cell.value[index] == value
    for sem in snap.semaphores:
        raw = real(session, sem.name)
        if raw is not None:
            assert sem.value == (raw.get_value() if hasattr(raw, "get_value") else raw._value)
        assert sem.value == sem.initial - taken[sem.name]  # minus the permits taken and held
        # whoever gives a permit back (a semaphore has no owner): "inside" counts those taken
        assert len(sem.holders) == max(0, taken[sem.name]), (sem.name, sem.holders)
    for ev in snap.events:
        raw = real(session, ev.name)
        assert (
            ev.is_set == (ev.is_set if raw is None else raw.is_set()) == flags.get(ev.name, False)
        )
    check_channels(snap, events)
    for lock in snap.locks:
        raw = real(session, lock.name)
        if raw is None:
            locked = lock.locked
        else:
            locked = raw.locked() if hasattr(raw, "locked") else raw._semlock._get_value() == 0
        assert lock.locked == locked == (lock.holder is not None)
        assert lock.holder == holder.get(lock.name)  # at most one holder, the trace's


def check_channels(snap, events) -> None:
    """Queues and pipes: the items in order, and the messages in flight each way, are what the
    trace put (sent) and did not get (receive), and the real count (`qsize()`), emptiness and
    `poll()` agree; whoever is blocked on one is listed at the end it waits on."""
    queues = {q.name: [] for q in snap.queues}
    ends = {end: (p.name, side) for p in snap.pipes for side, end in enumerate(p.ends)}
    flight = {p.name: ([], []) for p in snap.pipes}
    owed: dict[str, list] = {name: [] for name in queues}  # got just before its put's record
    for e in events:
        if e.kind != "step" or not isinstance(e.result, str) or e.result in NOT_MOVED:
            continue
        if e.resource in queues and e.op == "put":
            if e.result in owed[e.resource]:  # (a put that waited for room ends after its wait,
                owed[e.resource].remove(e.result)  # and its getter may say so a moment sooner)
            else:
                queues[e.resource].append(e.result)
        elif e.resource in queues and e.op == "get":
            if e.result in queues[e.resource]:
                queues[e.resource].remove(e.result)
            else:
                owed[e.resource].append(e.result)
        elif e.resource in ends and e.op == "send":
            pipe, side = ends[e.resource]
            flight[pipe][1 - side].append(e.result)
        elif e.resource in ends and e.op == "recv":
            pipe, side = ends[e.resource]
            assert flight[pipe][side][0] == e.result  # a pipe is in order
            flight[pipe][side].pop(0)
    blocked = {w.name: w.blocked_on for w in snap.workers if w.state == "blocked"}
    assert not any(owed.values()), owed  # every item got was put
    for q in snap.queues:
        assert q.items is not None and list(q.items) == queues[q.name], (q, queues[q.name])
        if q.size is not None:
            assert q.size == len(queues[q.name]), q
            assert q.full == (bool(q.maxsize) and q.size >= q.maxsize)
        assert q.empty in (None, not queues[q.name])
        waiting = sorted([*q.getters, *q.putters, *q.joiners])
        assert waiting == sorted(w for w, on in blocked.items() if on == q.name)
        if q.getters:
            assert not queues[q.name]  # blocked in get: it is empty
    for c in snap.conditions:  # blocked in wait for a notify (or a notify, for the woken)
        waiting = sorted([*c.waiters, *c.notifiers])
        assert waiting == sorted(w for w, on in blocked.items() if on == c.name), c
        assert c.waiting >= len(c.waiters), c  # (the real count: with one at its gate to wait)
    for b in snap.barriers:  # the real count of arrivals is who is blocked there
        assert not b.broken and b.n_waiting == len(b.waiters), b
        assert sorted(b.waiters) == sorted(w for w, on in blocked.items() if on == b.name)
    for p in snap.pipes:
        for side in (0, 1):
            if p.flight[side] is None and p.closed[1 - side] and not flight[p.name][side]:
                continue  # (the other end closed: poll() is true here, and cannot say why)
            assert p.flight[side] is not None and list(p.flight[side]) == flight[p.name][side]
            if not p.closed[side] and p.waiting[side] is not None:
                assert p.waiting[side] == bool(flight[p.name][side]), (p, side)
            assert sorted(p.receivers[side]) == sorted(
                w for w, on in blocked.items() if on == p.ends[side]
            )


def step_at_random(session: Session, choose, most: int = 600) -> list:
    """Step workers chosen by `choose(ready)` until nothing can move; check after every step."""
    events = []
    deadline = time.monotonic() + 30
    for _ in range(most):
        ready = [w.name for w in session.snapshot().workers if w.state == "ready"]
        if not ready:
            if session.finished() or session.verdict().certain:
                break
            assert time.monotonic() < deadline, session.snapshot().workers  # never hung
            time.sleep(0.01)  # a sleep, or a wait(timeout), still running out
            continue
        session.step(choose(ready))
        assert session.wait_settled(10), session.snapshot().workers
        events += session.drain_events()
        check(session, events)
    # Every run ends: finished, or deadlocked and reported. No built-in worker fails, but for a
    # program's own assert saying what did not hold (race-condition's lost update).
    while not (session.finished() or session.verdict().certain):  # (a program's processes exit)
        assert time.monotonic() < deadline, session.snapshot().workers
        time.sleep(0.01)
    workers = session.snapshot().workers
    assert not [w.name for w in workers if w.state == "failed" and not from_failure(w.error)]
    return events


@pytest.mark.timeout(300)
@pytest.mark.parametrize("name, mode", STEPPING)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_schedules_keep_every_invariant(name, mode, data):
    run_at_random(name, mode, None, data)


# The variants that use what the default does not: a Condition, multiprocessing's Barrier
WATCHING_VARIANTS = [
    (name, mode, variant)
    for name, variant in (("producer-consumer", "condition"), ("barrier", "library"))
    for mode in ("process", "thread")
] + [("ipc-compare", "program", "picture")]  # (a measuring program's watched variant)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("name, mode, variant", WATCHING_VARIANTS)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_schedules_keep_every_invariant_in_the_variants(name, mode, variant, data):
    run_at_random(name, mode, variant, data)


def run_at_random(name, mode, variant, data) -> None:
    s = open_session(find_scenario(name), mode, variant)
    s.start()
    try:
        if hasattr(s, "wait_started"):  # a built-in plain program
            assert s.wait_started(15)
        assert s.wait_settled(10)
        step_at_random(s, lambda ready: data.draw(st.sampled_from(ready)))
        pids = [w.pid for w in s.snapshot().workers if w.kind == "process"]
    finally:
        s.close()
    assert all(pid is None or gone(pid) for pid in pids)
