"""The state board: what the workers reported, checked against the real primitives.

The session's collector applies each report here under the session's lock; front-ends read it
only through immutable snapshots. No primitive says who holds it or who waits for it, so that
part comes from the reports; everything else (cells, semaphore values, event flags, whether a
lock is held) is read from the real objects each time.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from time import monotonic
from typing import Any

from ipc_tui.engine.check import Checked
from ipc_tui.engine.primitives import Array, Event, Lock, Resource, Semaphore, Value
from ipc_tui.engine.snapshot import (
    ENDED,
    Cell,
    EventState,
    LockState,
    SemaphoreState,
    Snapshot,
    Table,
    TraceEvent,
    Waiter,
    WorkerState,
)
from ipc_tui.engine.verdict import judge


@dataclass
class WorkerRecord:
    """The board's live entry for one worker (mutable; snapshots copy it out)."""

    name: str
    index: int
    kind: str
    daemon: bool
    target: str
    line: int
    state: str = "running"
    op: str | None = None
    blocked_on: str | None = None
    blocked_at: float = 0.0
    waited: float = 0.0  # seconds spent blocked in all, over the finished waits
    at_gate: bool = False
    steps: int = 0
    pid: int | None = None
    tid: int | None = None
    error: str | None = None
    exitcode: int | None = None
    obj: Any = None  # the scenario's Process/Thread object (or main)
    started: bool = False
    ended: bool = False  # a process: its sentinel fired and the collector reaped it
    handle: Any = None  # the real threading.Thread or multiprocessing Process
    gate: Any = None
    runtime: Any = None  # a thread worker's Runtime (a process's lives in the process)
    wake: Any = None  # a thread worker's threading.Event that ends its sleep early
    since: float = field(default_factory=monotonic)  # when it last reported

    @property
    def live(self) -> bool:
        return self.state not in ("new", "stopped", *ENDED)

    @property
    def alive(self) -> bool:
        # Only the collector reaps a process (two threads in waitpid lose its exit code).
        if self.kind == "process":
            return self.started and not self.ended
        return self.handle is not None and self.handle.is_alive()


@dataclass
class Tally:
    """Per-resource bookkeeping from the reports."""

    holder: str | None = None  # locks
    holder_since: float = 0.0
    holders: list[str] = field(default_factory=list)  # semaphore permits taken, in order
    spare: int = 0  # semaphore permits released beyond those taken (see `Tally.took`)
    acquired: int = 0
    released: int = 0
    waiters: list[Waiter] = field(default_factory=list)

    # A semaphore has no owner: the consumer of a bounded buffer releases the places the
    # producer took, and a ping-pong player releases a turn it never acquired. So a release
    # gives back a permit its worker took if it has one, else the oldest taken by anyone, else
    # it adds a spare one; an acquire takes a spare permit first. Then `holders` is always the
    # permits taken and not given back, whoever gives them back.

    def took(self, worker: str) -> None:
        self.acquired += 1
        if self.spare:
            self.spare -= 1
        else:
            self.holders.append(worker)

    def gave(self, worker: str) -> None:
        self.released += 1
        if worker in self.holders:
            self.holders.remove(worker)
        elif self.holders:
            del self.holders[0]
        else:
            self.spare += 1


def describe(op: str, resource: str | None, index: Any) -> str:
    if resource is None:
        return op
    where = resource if index is None else f"{resource}[{index}]"
    return f"{op} {where}"


class Board:
    def __init__(
        self,
        scenario: str,
        path: str,
        mode: str,
        resources: list[Resource],
        workers,
        variant="",
        keep: int = 100_000,
    ):
        self.scenario = scenario
        self.variant = variant
        self.path = path
        self.mode = mode
        self.t0 = monotonic()
        self.resources = resources
        self.tallies = {r.name: Tally() for r in resources}
        self.workers = workers  # list[WorkerRecord]
        # The bounded event log: every step and lifecycle event, until a front-end drains it;
        # past `keep` undrained events the oldest go (a flood outruns any reader).
        self.new: deque[TraceEvent] = deque(maxlen=keep)
        self.running_free = False
        self.version = 0  # bumped on every change a front-end could draw
        self.tables: dict[str, Table] = {}  # what measuring workers showed, by name
        self.checked: Checked | None = None  # the scenario's check(), once the run has ended

    # -- reports ---------------------------------------------------------------------------

    def apply(self, w: WorkerRecord, msg: tuple) -> None:
        kind = msg[0]
        w.since = monotonic()
        self.version += 1
        if kind == "gate":
            _, seq, op, res, index, line = msg
            w.state, w.at_gate, w.op, w.line = "ready", True, describe(op, res, index), line
        elif kind == "done":
            self._done(w, *msg[1:])
        elif kind == "blocked":
            _, seq, op, res, timeout, t, w.line = msg
            w.state, w.blocked_on, w.blocked_at = "blocked", res, t
            deadline = None if timeout is None else t + timeout
            # A join waits on a worker, which gets a tally of its own on first use.
            self.tallies.setdefault(res, Tally()).waiters.append(Waiter(w.name, deadline))
            self._record(t, w, seq, "blocked", op, res)
        elif kind == "sleeping":
            _, seq, seconds, t, w.line = msg
            w.state = "sleeping"
            self._record(t, w, seq, "sleeping", "sleep", None, result=seconds)
        elif kind == "output":
            self._record(msg[2], w, 0, "output", "print", None, result=msg[1], line=msg[3])
        elif kind == "summary":
            self._summary(w, *msg[1:])
        elif kind == "table":  # the one filled in last comes first
            self.tables.pop(msg[1], None)
            self.tables = {msg[1]: Table(*msg[1:]), **self.tables}
        elif kind == "started":
            w.pid, w.tid = msg[1], msg[2]
        elif kind == "finished":
            w.state, w.op = "done", None
            self._record(msg[1], w, 0, "finished", "finished", None)
        elif kind == "failed":
            self.fail(w, msg[1], msg[2])
        elif kind == "stopped" and w.state != "cut off":
            w.state = "stopped"

    def _done(self, w, seq, op, res, index, before, after, result, line, t0, t1) -> None:
        if w.state == "blocked":
            w.waited += t1 - w.blocked_at
        w.steps, w.state, w.line, w.blocked_on = seq, "running", line, None
        w.op = describe(op, res, index)
        if res in self.tallies:
            tally = self.tallies[res]
            tally.waiters = [x for x in tally.waiters if x.worker != w.name]
            resource = self.by_name(res)
            if isinstance(resource, Lock):
                if op == "acquire" and result:
                    tally.holder, tally.holder_since = w.name, t1
                elif op == "release" and tally.holder_since < t0:
                    # An acquire stamped after this release began came in first: keep its holder.
                    tally.holder = None
            elif isinstance(resource, Semaphore):
                if op == "acquire" and result:
                    tally.took(w.name)
                elif op == "release":
                    tally.gave(w.name)
        # A step that lets others go (release, set) is placed where it began, so that it comes
        # before the steps it ended; any other step where it ended.
        t = t0 if op in ("release", "set") else t1
        self._record(t, w, seq, "step", op, res, index, before, after, result, line)

    def _summary(self, w, seq, steps, held, taken, last, line, t) -> None:
        """Steps taken running free, summed up by the worker: its place, and what it holds."""
        if w.state == "blocked":
            w.waited += t - w.blocked_at
            self._forget_waits(w)
        w.steps, w.state, w.line, w.blocked_on = seq, "running", line, None
        for name, (acquires, releases) in taken.items():
            tally = self.tallies.get(name)
            if tally is None:
                continue
            resource = self.by_name(name)
            if isinstance(resource, Lock):
                if held.get(name) and t >= tally.holder_since:  # not older news than the last
                    tally.holder, tally.holder_since = w.name, t
                elif tally.holder == w.name:
                    tally.holder = None
            elif isinstance(resource, Semaphore):  # (their order is lost: takes first)
                for _ in range(acquires):
                    tally.took(w.name)
                for _ in range(releases):
                    tally.gave(w.name)
        if steps:  # (none: only the end of a step that blocked or slept, already in the trace)
            op, res, index = last
            self._record(t, w, seq, "summary", op, res, index, result=steps, line=line)

    def cut(self, w: WorkerRecord, t: float) -> None:
        """A daemon worker cut off because the program's main work has ended."""
        self.version += 1
        w.state, w.blocked_on = "cut off", None
        self._forget_waits(w)
        self._record(t, w, 0, "cut off", "cut off", None)

    def fail(self, w: WorkerRecord, error: str, t: float) -> None:
        self.version += 1
        w.state, w.error, w.blocked_on = "failed", error, None
        self._forget_waits(w)
        self._record(t, w, 0, "failed", "failed", None, result=error)

    def killed(self, w: WorkerRecord, signal_name: str, t: float) -> None:
        """A process killed by a signal: what it held stays taken (see `abandoned`)."""
        self.version += 1
        w.state, w.error, w.blocked_on = "killed", f"killed by {signal_name}", None
        self._forget_waits(w)
        self._record(t, w, 0, "killed", "killed", None, result=signal_name)

    def _forget_waits(self, w: WorkerRecord) -> None:
        for tally in self.tallies.values():
            tally.waiters = [x for x in tally.waiters if x.worker != w.name]

    def _record(
        self, t, w, seq, kind, op, res, index=None, before=None, after=None, result=None, line=None
    ) -> None:
        event = TraceEvent(
            t=t - self.t0,
            worker=w.name,
            seq=seq,
            kind=kind,
            op=op,
            resource=res,
            index=index,
            before=before,
            after=after,
            result=result,
            line=w.line if line is None else line,
        )
        self.new.append(event)

    def drain(self) -> list[TraceEvent]:
        events = sorted(self.new, key=lambda e: e.t)
        self.new.clear()
        return events

    def by_name(self, name: str) -> Resource | None:
        return next((r for r in self.resources if r.name == name), None)

    def worker_named(self, name: str) -> WorkerRecord | None:
        return next((w for w in self.workers if w.name == name), None)

    # -- questions -------------------------------------------------------------------------

    def settled(self, patience: float | None = None) -> bool:
        """No step in flight, and the reports agree with the real primitives. With `patience`,
        a worker that has run that many seconds without a step (a long loop, a hang outside
        any step) no longer counts as a step in flight: the others may go on."""
        now = monotonic()
        for w in self.workers:
            if w.state == "sleeping":
                return False
            if w.state == "running" and (patience is None or now - w.since < patience):
                return False
        for res in self.resources:
            tally = self.tallies[res.name]
            if isinstance(res, Lock):
                locked = res.peek()
                if locked != (tally.holder is not None) or (not locked and tally.waiters):
                    return False
            elif isinstance(res, Semaphore):
                value = res.peek()
                if value != res.initial - tally.acquired + tally.released:
                    return False
                if value > 0 and tally.waiters:
                    return False
            elif isinstance(res, Event) and res.peek() and tally.waiters:
                return False
        for w in self.workers:  # a join of a worker that has ended is about to return
            tally = self.tallies.get(w.name)
            if tally and tally.waiters and w.started and not (w.alive and w.live):
                return False
        return True

    # -- the picture -----------------------------------------------------------------------

    def _live(self, name: str) -> bool:
        w = self.worker_named(name)
        return w is None or w.live

    def snapshot(self) -> Snapshot:
        now = monotonic()
        cells, locks, sems, events = [], [], [], []
        for res in self.resources:
            tally = self.tallies[res.name]
            waiting = tuple(x.worker for x in tally.waiters)
            if isinstance(res, (Value, Array)):
                cells.append(Cell(res.name, res.kind, res.typecode, res.peek(), res.line))
            elif isinstance(res, Lock):
                gone = tally.holder is not None and not self._live(tally.holder)
                locks.append(LockState(res.name, tally.holder, waiting, res.peek(), res.line, gone))
            elif isinstance(res, Semaphore):
                holders = tuple(tally.holders)
                lost = sum(not self._live(h) for h in holders)
                sems.append(
                    SemaphoreState(
                        res.name, res.peek(), res.initial, holders, waiting, res.line, lost
                    )
                )
            elif isinstance(res, Event):
                events.append(EventState(res.name, res.peek(), tuple(tally.waiters), res.line))
        workers = tuple(
            WorkerState(
                name=w.name,
                kind=w.kind,
                state="done" if w.state == "stopped" else w.state,
                blocked_on=w.blocked_on,
                op=w.op,
                file=self.path,
                line=w.line,
                steps=w.steps,
                daemon=w.daemon,
                pid=w.pid,
                tid=w.tid,
                alive=w.alive,
                exitcode=w.exitcode,
                error=w.error,
                target=w.target,
                waited=w.waited,
                busy=now - w.since if w.state == "running" else 0.0,
            )
            for w in self.workers
        )
        return Snapshot(
            scenario=self.scenario,
            mode=self.mode,
            variant=self.variant,
            t=now - self.t0,
            now=now,
            cells=tuple(cells),
            locks=tuple(locks),
            semaphores=tuple(sems),
            events=tuple(events),
            workers=workers,
            running_free=self.running_free,
            tables=tuple(self.tables.values()),
            verdict=judge(self),
            checked=self.checked,
        )
