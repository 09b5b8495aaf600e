"""The state board: what the workers reported, checked against the real primitives.

The board is the one place a worker's shown state changes, and the one place that says so
(`version`, which front-ends compare to know when to draw): from the reports (engine/reports.py)
and from what the session does to a worker (opens its gate, starts it, reaps it, cuts it off).
It is a reducer: each change is a method here, called by the session's collector or the session
under the session's lock. Front-ends read it only through immutable snapshots.

No primitive says who holds it or who waits for it, so that part comes from the reports;
everything else (cells, semaphore values, event flags, whether a lock is held) is read from the
real objects each time.
"""

from __future__ import annotations

import signal
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from time import monotonic
from typing import Any

from ipc_tui.engine import reports as r
from ipc_tui.engine.channels import KINDS as CHANNELS
from ipc_tui.engine.channels import Channels
from ipc_tui.engine.check import Checked
from ipc_tui.engine.primitives import Resource
from ipc_tui.engine.snapshot import (
    ENDED,
    Cell,
    EventState,
    LockState,
    SemaphoreState,
    Snapshot,
    State,
    Table,
    TraceEvent,
    Waiter,
    WorkerState,
)
from ipc_tui.engine.tables import TableReader
from ipc_tui.engine.verdict import judge


@dataclass(eq=False)  # one record per worker: equal only to itself
class WorkerRecord:
    """What the board knows of one worker (what is shown; the session keeps its plumbing: the
    real thread or process, its gate, its connection)."""

    name: str
    index: int
    kind: str  # "thread" or "process"
    daemon: bool
    target: str
    line: int
    state: State = State.RUNNING
    op: str | None = None
    at: Any = None  # where its next step is in the bytecode: (code key, offset), when known
    next: tuple | None = None  # at its gate: (op, resource, index) of the step it waits to take
    blocked_on: str | None = None
    blocked_at: float = 0.0
    waited: float = 0.0  # seconds spent blocked in all, over the finished waits
    at_gate: bool = False
    held: bool = False  # blocked, and held at its gate by a replay's hand-offs (Steering)
    steps: int = 0
    pid: int | None = None
    tid: int | None = None
    error: str | None = None
    exitcode: int | None = None
    started: bool = False
    ended: bool = False  # a process: its sentinel fired and the collector reaped it
    since: float = field(default_factory=monotonic)  # when it last reported
    # A thread's is_alive() (a process is alive from its start until it is reaped).
    thread_alive: Callable[[], bool] | None = None

    @property
    def live(self) -> bool:
        """Started and not ended: it may still take a step."""
        return self.state not in (State.NEW, State.STOPPED, *ENDED)

    @property
    def alive(self) -> bool:
        # Only the collector reaps a process (two threads in waitpid lose its exit code).
        if self.kind == "process":
            return self.started and not self.ended
        return self.thread_alive is not None and self.thread_alive()


@dataclass
class Tally:
    """Per-resource bookkeeping from the reports."""

    holder: str | None = None  # locks
    holder_since: float = 0.0
    depth: int = 0  # how many times the holder acquired it (more than 1: an RLock)
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


# Steps that let others go (a put or a send: a get or a recv): placed where they began
LETS_GO = ("release", "set", "start", "put", "send", "task_done")


def describe(op: str, resource: str | None, index: Any) -> str:
    if resource is None:
        return op
    if isinstance(index, str) and index.startswith("."):  # an object's attribute
        return f"{op} {resource}{index}"
    where = resource if index is None else f"{resource}[{index}]"
    return f"{op} {where}"


class Board:
    def __init__(
        self,
        scenario: str,
        path: str,
        mode: str,
        resources: list[Resource],
        variant: str = "",
        keep: int = 100_000,
    ):
        self.scenario = scenario
        self.variant = variant
        self.path = path
        self.mode = mode
        self.t0 = monotonic()
        self.resources = resources
        self.tallies = {res.name: Tally() for res in resources}
        self.workers: list[WorkerRecord] = []
        # The bounded event log: every step and lifecycle event, until a front-end drains it;
        # past `keep` undrained events the oldest go (a flood outruns any reader).
        self.new: deque[TraceEvent] = deque(maxlen=keep)
        self.running_free = False
        self.version = 0  # bumped on every change a front-end could draw
        self.tables: dict[str, Table] = {}  # what measuring workers showed, by name
        self._readers: dict[str, TableReader] = {}  # each worker's printed tables (tables.py)
        self.checked: Checked | None = None  # the scenario's check(), once the run has ended
        self.pending = False  # a program not ended yet: with no worker live, more may come
        self.channels = Channels()  # queues' items and pipes' messages (engine/channels.py)

    # -- what the session does to a worker -------------------------------------------------

    def add(self, w: WorkerRecord) -> None:
        """A worker the session knows of: declared, made by main at run time, or main."""
        self.workers.append(w)
        self.version += 1

    def add_resource(self, res: Resource) -> None:
        """A resource made while the program runs (a plain program makes them anywhere)."""
        self.resources.append(res)
        self.tallies.setdefault(res.name, Tally())
        self.version += 1

    def drop_resource(self, res: Resource) -> None:
        """A program's resource it let go of (garbage: nobody can use it any more)."""
        if res in self.resources:
            self.resources.remove(res)
            self.version += 1

    def peeked(self) -> None:
        """A program's primitives were read again (their state lives in its processes)."""
        self.version += 1

    def rename(self, w: WorkerRecord, new: str) -> None:
        w.name = new
        self.version += 1

    def launched(
        self, w: WorkerRecord, daemon: bool, thread_alive: Callable[[], bool] | None = None
    ) -> None:
        """Its real thread or process is starting (it will report Started); a thread's
        `is_alive` says when it has really ended."""
        w.started, w.daemon, w.state, w.since = True, daemon, State.RUNNING, monotonic()
        w.thread_alive = thread_alive
        self.version += 1

    def opened(self, w: WorkerRecord) -> None:
        """Its gate opened: it takes its step now, however long it waited for it."""
        if not w.live:  # (ended at its gate: killed, cut off; nothing opens it again)
            return
        w.at_gate, w.state, w.since = False, State.RUNNING, monotonic()
        self.version += 1

    def free(self, running_free: bool) -> None:
        """The session runs free (every gate open) or steps."""
        self.running_free = running_free
        self.version += 1

    def reaped(self, w: WorkerRecord, exitcode: int | None, news: bool = True) -> None:
        """Its process is gone. If it never said how it ended (and `news`: the session is not
        ending it), it failed, or a signal killed it."""
        w.exitcode, w.ended = exitcode, True
        self.version += 1  # no longer alive: a paused app must draw that too
        if w.live and news:
            if exitcode is not None and exitcode < 0:
                self.killed(w, _signal_name(-exitcode), monotonic())
            elif exitcode is None:
                self.fail(w, "the process ended without saying how", monotonic())
            else:
                self.fail(w, f"the process ended with exit code {exitcode}", monotonic())

    def cut(self, w: WorkerRecord, t: float) -> None:
        """A daemon worker cut off because the program's main work has ended."""
        self.version += 1
        w.state, w.blocked_on, w.at_gate = State.CUT_OFF, None, False
        self._forget_waits(w)
        self._record(t, w, 0, "cut off", "cut off", None)

    def fail(self, w: WorkerRecord, error: str, t: float) -> None:
        self.version += 1
        w.state, w.error, w.blocked_on, w.at_gate = State.FAILED, error, None, False
        self._forget_waits(w)
        self._record(t, w, 0, "failed", "failed", None, result=error)

    def killed(self, w: WorkerRecord, signal_name: str, t: float) -> None:
        """A process killed by a signal: what it held stays taken (see engine/verdict.py)."""
        self.version += 1
        w.state, w.error, w.blocked_on = State.KILLED, f"killed by {signal_name}", None
        w.at_gate = False
        self._forget_waits(w)
        self._record(t, w, 0, "killed", "killed", None, result=signal_name)

    def check(self, checked: Checked) -> None:
        """The scenario's check() has run, once the run had ended."""
        self.checked = checked
        self.version += 1

    # -- reports ---------------------------------------------------------------------------

    def apply(self, w: WorkerRecord, report: r.Report) -> None:
        """One report of worker `w`. A worker cut off is no longer obeyed: what it still says
        on its way out goes to the trace, its state stays."""
        w.since = monotonic()
        self.version += 1
        if w.state == State.CUT_OFF:
            self._APPLY[type(report)](self, w, report)
            w.state, w.at_gate, w.blocked_on = State.CUT_OFF, False, None
        else:
            self._APPLY[type(report)](self, w, report)

    def _started(self, w: WorkerRecord, report: r.Started) -> None:
        w.pid, w.tid = report.pid, report.tid

    def _at_gate(self, w: WorkerRecord, report: r.AtGate) -> None:
        w.state, w.at_gate, w.line = State.READY, True, report.line
        w.op = describe(report.op, report.resource, report.index)
        w.at = report.at
        w.next = (report.op, report.resource, report.index)

    def _blocked(self, w: WorkerRecord, report: r.Blocked) -> None:
        w.state, w.blocked_on, w.blocked_at, w.line = (
            State.BLOCKED,
            report.resource,
            report.t,
            report.line,
        )
        w.held = report.held
        deadline = None if report.timeout is None else report.t + report.timeout
        # A join waits on a worker, which gets a tally of its own on first use.
        tally = self.tallies.setdefault(report.resource, Tally())
        tally.waiters.append(Waiter(w.name, deadline))
        self.channels.blocked(w.name, report.op)
        self._record(report.t, w, report.seq, "blocked", report.op, report.resource)

    def _sleeping(self, w: WorkerRecord, report: r.Sleeping) -> None:
        w.state, w.line = State.SLEEPING, report.line
        self._record(report.t, w, report.seq, "sleeping", "sleep", None, result=report.seconds)

    def _done(self, w: WorkerRecord, report: r.Done) -> None:
        seq, op, res, index, before, after, result, line, t0, t1 = report
        waited = w.state == State.BLOCKED
        if waited:
            w.waited += t1 - w.blocked_at
        w.steps, w.state, w.line, w.blocked_on = seq, State.RUNNING, line, None
        w.held = False
        w.op = describe(op, res, index)
        self._forget_waits(w)  # (a step that waited on a lock it does not name: a Value's)
        if res in self.tallies:
            tally = self.tallies[res]
            kind = getattr(self.by_name(res), "kind", None)  # (None: a join's worker)
            if kind == "lock":
                if op == "acquire" and result:
                    tally.depth = tally.depth + 1 if tally.holder == w.name else 1
                    tally.holder, tally.holder_since = w.name, t1
                elif op == "release" and tally.holder_since < t0:
                    # An acquire stamped after this release began came in first: keep its holder.
                    # (An RLock is let go by its last release.)
                    tally.depth -= 1
                    if tally.depth <= 0:
                        tally.holder, tally.depth = None, 0
            elif kind == "semaphore":
                if op == "acquire" and result:
                    tally.took(w.name)
                elif op == "release":
                    tally.gave(w.name)
            elif kind in CHANNELS:
                self.channels.done(self.by_name(res), op, result, after, t1)
        # A step that lets others go (release, set, start, put, send) is placed where it began,
        # so that it comes before the steps it allowed; any other step where it ended (a put
        # that waited for room too: after its wait).
        t = t0 if op in LETS_GO and not (waited and op in ("put", "send")) else t1
        span = (t0 - self.t0, t1 - self.t0)
        self._record(t, w, seq, "step", op, res, index, before, after, result, line, span)

    def _summary(self, w: WorkerRecord, report: r.Summary) -> None:
        """Steps taken running free, summed up by the worker: its place, and what it holds."""
        seq, steps, held, taken, last, line, t, began = report
        if w.state == State.BLOCKED:
            w.waited += t - w.blocked_at
            self._forget_waits(w)
        w.steps, w.state, w.line, w.blocked_on = seq, State.RUNNING, line, None
        for name, (acquires, releases) in taken.items():
            tally = self.tallies.get(name)
            if tally is None:
                continue
            kind = getattr(self.by_name(name), "kind", None)
            if kind == "lock":
                if held.get(name) and t >= tally.holder_since:  # not older news than the last
                    tally.holder, tally.holder_since, tally.depth = w.name, t, held[name]
                elif tally.holder == w.name:
                    tally.holder, tally.depth = None, 0
            elif kind == "semaphore":  # (their order is lost: takes first)
                for _ in range(acquires):
                    tally.took(w.name)
                for _ in range(releases):
                    tally.gave(w.name)
        if steps:
            self.channels.summarised(t)
        if steps:  # (none: only the end of a step that blocked or slept, already in the trace)
            op, res, index = last
            span = (began - self.t0, t - self.t0)
            self._record(
                began, w, seq, "summary", op, res, index, result=steps, line=line, span=span
            )

    def _output(self, w: WorkerRecord, report: r.Output) -> None:
        self._record(report.t, w, 0, "output", "print", None, result=report.text, line=report.line)
        reader = self._readers.get(w.name)
        if reader is None:
            reader = self._readers[w.name] = TableReader()
        table = reader.line(report.text)  # a printed Markdown table is shown as a table
        if table is not None:
            self._table(w, table)

    def _table(self, w: WorkerRecord, report: r.TableShown) -> None:
        self.tables.pop(report.name, None)  # the one filled in last comes first
        self.tables = {report.name: Table(*report), **self.tables}

    def _finished(self, w: WorkerRecord, report: r.Finished) -> None:
        w.state, w.op = State.DONE, None
        self._record(report.t, w, 0, "finished", "finished", None)

    def _failed(self, w: WorkerRecord, report: r.Failed) -> None:
        self.fail(w, report.error, report.t)

    def _stopped(self, w: WorkerRecord, report: r.Stopped) -> None:
        w.state = State.STOPPED

    _APPLY: dict[type, Callable[..., None]] = {
        r.Started: _started,
        r.AtGate: _at_gate,
        r.Blocked: _blocked,
        r.Sleeping: _sleeping,
        r.Done: _done,
        r.Summary: _summary,
        r.Output: _output,
        r.TableShown: _table,
        r.Finished: _finished,
        r.Failed: _failed,
        r.Stopped: _stopped,
    }

    # -- the trace -------------------------------------------------------------------------

    def _forget_waits(self, w: WorkerRecord) -> None:
        for tally in self.tallies.values():
            tally.waiters = [x for x in tally.waiters if x.worker != w.name]

    def _record(
        self,
        t,
        w,
        seq,
        kind,
        op,
        res,
        index=None,
        before=None,
        after=None,
        result=None,
        line=None,
        span=None,
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
            holding=self._holding(),
            span=span,
        )
        self.new.append(event)

    def _holding(self) -> tuple[str, ...]:
        """The workers that hold a lock now (the timeline draws them)."""
        return tuple(
            dict.fromkeys(
                tally.holder
                for res in self.resources
                if res.kind == "lock" and (tally := self.tallies[res.name]).holder
            )
        )

    def drain(self) -> list[TraceEvent]:
        events = sorted(self.new, key=lambda e: e.t)
        self.new.clear()
        return events

    def by_name(self, name: str) -> Resource | None:
        return next((res for res in self.resources if res.name == name), None)

    def worker_named(self, name: str) -> WorkerRecord | None:
        return next((w for w in self.workers if w.name == name), None)

    # -- questions -------------------------------------------------------------------------

    def settled(self, patience: float | None = None) -> bool:
        """No step in flight, and the reports agree with the real primitives. With `patience`,
        a worker that has run that many seconds without a step (a long loop, a hang outside
        any step) no longer counts as a step in flight: the others may go on."""
        now = monotonic()
        for w in self.workers:
            if w.state == State.SLEEPING:
                return False
            if w.state == State.RUNNING and (patience is None or now - w.since < patience):
                return False
        for res in self.resources:
            tally = self.tallies[res.name]
            if res.kind == "lock":
                locked = res.peek()
                if locked != (tally.holder is not None) or (not locked and tally.waiters):
                    return False
            elif res.kind == "semaphore":
                value = res.peek()
                if value != res.initial - tally.acquired + tally.released:
                    return False
                if value > 0 and tally.waiters:
                    return False
            elif res.kind == "event" and res.peek() and tally.waiters:
                return False
        for w in self.workers:  # a join of a worker that has ended is about to return
            tally = self.tallies.get(w.name)
            if tally and tally.waiters and w.started and not (w.alive and w.live):
                return False
        return self.channels.settled(self)

    # -- the picture -----------------------------------------------------------------------

    def _live(self, name: str) -> bool:
        w = self.worker_named(name)
        return w is None or w.live

    def holds(self) -> dict[str, list[str]]:
        """What each worker holds now: its locks, and a semaphore's name per permit it took."""
        out: dict[str, list[str]] = {}
        for res in self.resources:
            tally = self.tallies[res.name]
            if res.kind == "lock" and tally.holder:
                out.setdefault(tally.holder, []).append(res.name)
            elif res.kind == "semaphore":
                for holder in tally.holders:
                    out.setdefault(holder, []).append(res.name)
        return out

    def snapshot(self) -> Snapshot:
        now = monotonic()
        cells, locks, sems, events = [], [], [], []
        for res in self.resources:
            tally = self.tallies[res.name]
            waiting = tuple(x.worker for x in tally.waiters)
            if res.kind in ("value", "array"):
                what = getattr(res, "what", "")
                cells.append(Cell(res.name, res.kind, res.typecode, res.peek(), res.line, what))
            elif res.kind == "lock":
                gone = tally.holder is not None and not self._live(tally.holder)
                locks.append(LockState(res.name, tally.holder, waiting, res.peek(), res.line, gone))
            elif res.kind == "semaphore":
                holders = tuple(tally.holders)
                lost = sum(not self._live(h) for h in holders)
                sems.append(
                    SemaphoreState(
                        res.name, res.peek(), res.initial, holders, waiting, res.line, lost
                    )
                )
            elif res.kind == "event":
                events.append(EventState(res.name, res.peek(), tuple(tally.waiters), res.line))
        holds = self.holds()
        workers = tuple(
            WorkerState(
                name=w.name,
                kind=w.kind,
                state=State.DONE if w.state == State.STOPPED else w.state,
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
                busy=now - w.since if w.state == State.RUNNING else 0.0,
                blocked_for=now - w.blocked_at if w.state == State.BLOCKED else 0.0,
                holds=tuple(holds.get(w.name, ())),
                at=w.at if w.at_gate else None,
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
            queues=self.channels.queues(self),
            pipes=self.channels.pipes(self),
            conditions=self.channels.conditions(self),
            barriers=self.channels.barriers(self),
        )


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
