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

from ipc_tui.engine.primitives import Array, Event, Lock, Resource, Semaphore, Value
from ipc_tui.engine.snapshot import (
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

    @property
    def live(self) -> bool:
        return self.state not in ("new", "done", "failed", "stopped", "cut off")

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
    acquired: int = 0
    released: int = 0
    waiters: list[Waiter] = field(default_factory=list)


def describe(op: str, resource: str | None, index: Any) -> str:
    if resource is None:
        return op
    where = resource if index is None else f"{resource}[{index}]"
    return f"{op} {where}"


class Board:
    def __init__(
        self, scenario: str, path: str, mode: str, resources: list[Resource], workers, variant=""
    ):
        self.scenario = scenario
        self.variant = variant
        self.path = path
        self.mode = mode
        self.t0 = monotonic()
        self.resources = resources
        self.tallies = {r.name: Tally() for r in resources}
        self.workers = workers  # list[WorkerRecord]
        # The bounded event log: every step and lifecycle event, until a front-end drains it.
        self.new: deque[TraceEvent] = deque(maxlen=100_000)
        self.running_free = False
        self.tables: dict[str, Table] = {}  # what measuring workers showed, by name

    # -- reports ---------------------------------------------------------------------------

    def apply(self, w: WorkerRecord, msg: tuple) -> None:
        kind = msg[0]
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
                    tally.acquired += 1
                    tally.holders.append(w.name)
                elif op == "release":
                    tally.released += 1
                    if w.name in tally.holders:
                        tally.holders.remove(w.name)
        # A step that lets others go (release, set) is placed where it began, so that it comes
        # before the steps it ended; any other step where it ended.
        t = t0 if op in ("release", "set") else t1
        self._record(t, w, seq, "step", op, res, index, before, after, result, line)

    def cut(self, w: WorkerRecord, t: float) -> None:
        """A daemon worker cut off because the program's main work has ended."""
        w.state, w.blocked_on = "cut off", None
        self._forget_waits(w)
        self._record(t, w, 0, "cut off", "cut off", None)

    def fail(self, w: WorkerRecord, error: str, t: float) -> None:
        w.state, w.error, w.blocked_on = "failed", error, None
        self._forget_waits(w)
        self._record(t, w, 0, "failed", "failed", None, result=error)

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

    def settled(self) -> bool:
        """No step in flight, and the reports agree with the real primitives."""
        if any(w.state in ("running", "sleeping") for w in self.workers):
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

    def stall(self) -> list[str] | None:
        """If every live worker waits for ever on something, say who waits for what."""
        live = [w for w in self.workers if w.live]
        if not live or any(w.state != "blocked" for w in live) or not self.settled():
            return None
        waits = []
        for w in live:
            tally = self.tallies[w.blocked_on]
            if any(x.worker == w.name and x.deadline is not None for x in tally.waiters):
                return None  # its wait(timeout) will give up by itself
            res = self.by_name(w.blocked_on)
            if res is None:
                waits.append(f"{w.name} waits for {w.blocked_on} to end (join)")
            elif isinstance(res, Lock):
                waits.append(f"{w.name} waits for lock {res.name} held by {tally.holder}")
            elif isinstance(res, Semaphore):
                inside = ", ".join(tally.holders) or "nobody"
                waits.append(f"{w.name} waits for semaphore {res.name} at 0 (taken by {inside})")
            else:
                waits.append(f"{w.name} waits for event {res.name}, which nobody will set")
        return waits

    def cycle(self) -> list[str] | None:
        """A cycle of lock waits, as [worker, lock, worker, lock, ..., first worker], or None."""
        waits_for = {}  # worker -> (lock, its holder)
        for w in self.workers:
            res = self.by_name(w.blocked_on) if w.state == "blocked" and w.blocked_on else None
            holder = self.tallies[res.name].holder if isinstance(res, Lock) else None
            if holder:
                waits_for[w.name] = (res.name, holder)
        for start in waits_for:
            path, at = [start], start
            while at in waits_for:
                lock, at = waits_for[at]
                path += [lock, at]
                if at == start:
                    return path
                if at in path[:-1]:
                    break
        return None

    # -- the picture -----------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        cells, locks, sems, events = [], [], [], []
        for res in self.resources:
            tally = self.tallies[res.name]
            waiting = tuple(x.worker for x in tally.waiters)
            if isinstance(res, (Value, Array)):
                cells.append(Cell(res.name, res.kind, res.typecode, res.peek(), res.line))
            elif isinstance(res, Lock):
                locks.append(LockState(res.name, tally.holder, waiting, res.peek(), res.line))
            elif isinstance(res, Semaphore):
                sems.append(
                    SemaphoreState(
                        res.name, res.peek(), res.initial, tuple(tally.holders), waiting, res.line
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
            )
            for w in self.workers
        )
        now = monotonic()
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
        )
