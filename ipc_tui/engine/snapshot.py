"""Immutable pictures of a session, for every front-end to draw."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from ipc_tui.engine.check import Checked


class State(str, Enum):
    """A worker's state. Its value is the word the front-ends and the JSON show; a State is a
    str, so `state == "done"` holds for State.DONE."""

    NEW = "new"  # made but not started yet (a scenario whose main() starts its workers)
    READY = "ready"  # at its gate: the next step is its to take
    RUNNING = "running"  # in a step, or between steps
    BLOCKED = "blocked"  # the real primitive is blocking its step
    SLEEPING = "sleeping"
    DONE = "done"
    FAILED = "failed"  # it raised (its traceback is its error)
    CUT_OFF = "cut off"  # a daemon, ended where it was because the main work had ended
    KILLED = "killed"  # a process ended by a signal (Session.kill, or kill -9 from outside)
    STOPPED = "stopped"  # ended by the session (a close, a restart); shown as done

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


# A worker in one of these will not step again.
ENDED = (State.DONE, State.FAILED, State.CUT_OFF, State.KILLED)


@dataclass(frozen=True, slots=True)
class Cell:
    """A Value (one cell) or an Array (several), read from the real shared memory."""

    name: str
    kind: str  # "value" or "array"
    typecode: str
    value: Any  # a number or bytes for a Value, a tuple of them for an Array
    line: int
    what: str = ""  # how it was made: "Value", "RawArray", "global" (a plain global variable)


@dataclass(frozen=True, slots=True)
class LockState:
    name: str
    holder: str | None
    waiters: tuple[str, ...]  # in the order they started waiting
    locked: bool  # the real lock's state
    line: int
    holder_gone: bool = False  # its holder has died or ended: nobody will release it


@dataclass(frozen=True, slots=True)
class SemaphoreState:
    name: str
    value: int  # the real get_value()
    initial: int
    holders: tuple[str, ...]  # one entry per permit a worker took and has not released
    waiters: tuple[str, ...]
    line: int
    lost: int = 0  # permits held by workers that have died or ended: never given back


@dataclass(frozen=True, slots=True)
class Waiter:
    worker: str
    deadline: float | None  # time.monotonic() at which its wait(timeout) gives up


@dataclass(frozen=True, slots=True)
class EventState:
    name: str
    is_set: bool  # the real is_set()
    waiters: tuple[Waiter, ...]
    line: int


@dataclass(frozen=True, slots=True)
class QueueState:
    """A queue (engine/channels.py): its real count, and its items in order, first out first:
    read for real (a `queue.Queue`'s), else kept from the steps (a multiprocessing queue's are
    bytes in a pipe); None when ipc-tui does not know them, and `unknown` says why."""

    name: str
    what: str  # "Queue", "JoinableQueue", "SimpleQueue", "queue.Queue"
    size: int | None  # the real count, puts not yet got (None: SimpleQueue cannot say)
    maxsize: int  # 0: no bound
    items: tuple[str, ...] | None  # their reprs, first out first
    read: bool  # the items were read from the real queue (else: from the steps)
    unknown: str  # why the items are not known ("" when they are)
    unfinished: int | None  # a joinable queue's tasks not marked done
    getters: tuple[str, ...]  # blocked in get (empty)
    putters: tuple[str, ...]  # blocked in put (full)
    joiners: tuple[str, ...]  # blocked in join (tasks unfinished)
    line: int
    empty: bool | None = None  # the real queue's answer (None: not known)

    @property
    def full(self) -> bool:
        return bool(self.maxsize) and self.size is not None and self.size >= self.maxsize


@dataclass(frozen=True, slots=True)
class PipeState:
    """A `Pipe()`: its two ends, and the messages in flight toward each (sent and not yet
    received, from the steps; None: not known), checked against the real `poll()` there."""

    name: str  # "a ⇄ b" (duplex) or "a ← b" (end 0 receives, end 1 sends)
    ends: tuple[str, str]
    duplex: bool
    flight: tuple[tuple[str, ...] | None, tuple[str, ...] | None]  # toward end 0, end 1
    waiting: tuple[bool | None, bool | None]  # the real poll() at each end (None: cannot say)
    closed: tuple[bool, bool]
    receivers: tuple[tuple[str, ...], tuple[str, ...]]  # blocked in recv at each end
    line: int


@dataclass(frozen=True, slots=True)
class ConditionState:
    """A Condition: the lock it wraps, and who waits in wait() for a notify."""

    name: str
    lock: str  # the lock's name (the Locks pane shows who holds it)
    waiting: int  # as the real condition counts its waiters
    waiters: tuple[str, ...]  # blocked in wait(), in order
    notifiers: tuple[str, ...]  # a multiprocessing notify, waiting for the woken to wake
    line: int


@dataclass(frozen=True, slots=True)
class BarrierState:
    """A Barrier: how many of its parties wait there now, and whether it is broken."""

    name: str
    parties: int
    n_waiting: int  # the real n_waiting
    broken: bool
    waiters: tuple[str, ...]  # blocked in wait(), in order
    line: int


@dataclass(frozen=True, slots=True)
class WorkerState:
    name: str
    kind: str  # "thread" or "process"
    state: State
    blocked_on: str | None
    op: str | None  # the next step (ready) or the one being done
    file: str
    line: int  # the line of the next step, or of the last one while running free
    steps: int
    daemon: bool
    pid: int | None
    tid: int | None
    alive: bool
    exitcode: int | None
    error: str | None  # the traceback of a failed worker
    target: str  # how the scenario spells the worker's code
    waited: float = 0.0  # seconds it has spent blocked, over the waits that have ended
    busy: float = 0.0  # running: seconds since its last step (a long loop shows here)
    blocked_for: float = 0.0  # blocked: seconds in the wait going on (not yet in `waited`)
    holds: tuple[str, ...] = ()  # the locks, and the semaphores' permits, it holds now
    at: Any = None  # at its gate: where in the bytecode, (code key, offset), when known

    @property
    def live(self) -> bool:
        """Started and not ended: it may still take a step."""
        return self.state != "new" and self.state not in ENDED


@dataclass(frozen=True, slots=True)
class TraceEvent:
    """One step (or one thing that happened to a worker), for the trace and the timeline."""

    t: float  # seconds since the session started
    worker: str
    seq: int  # the worker's own step number, 1, 2, ... (0 for lifecycle events)
    kind: str  # "step", or "blocked", "sleeping", "output", "finished", "failed"
    op: str
    resource: str | None
    index: Any
    before: Any
    after: Any
    result: Any
    line: int
    holding: tuple[str, ...] = ()  # the workers that hold a lock just after it happened
    # What it covers, (from, to) in seconds since the session started: a step's real operation
    # (from before it began to after it ended, a wait in it included), a summary's steps; None
    # for a moment (blocked, sleeping, output, an end: `t` alone)
    span: tuple[float, float] | None = None


@dataclass(frozen=True, slots=True)
class Table:
    """Figures a worker measured (engine/measure.py), as the scenario shows them."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]  # numbers stay numbers; None is a figure not there yet
    note: str


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether the run can still move (engine/verdict.py says how it is decided).

    kind: "running" (somebody can still move), "finished" (no worker left to run),
    "deadlock" (certain: workers wait for each other in a circle, `cycle`), "stuck" (certain,
    no circle: they wait for what nobody can give: an event never set, a lock whose holder is
    gone), "likely" (a circle of lock holders, or a lock whose holder is gone, while `free`
    workers still run: a deadlock unless one of them releases a lock it does not hold).
    """

    kind: str = "running"
    waits: tuple[str, ...] = ()  # who waits for what, in words
    cycle: tuple[str, ...] = ()  # w0, a, w1, b, w0: workers and what each waits for
    free: tuple[str, ...] = ()  # "likely": the workers that still run
    gone: tuple[str, ...] = ()  # ended or killed workers that hold what the stuck wait for

    @property
    def certain(self) -> bool:
        """No worker can ever move again: nothing will change this."""
        return self.kind in ("deadlock", "stuck")


@dataclass(frozen=True, slots=True)
class Snapshot:
    scenario: str
    mode: str
    variant: str  # "" when the scenario has no VARIANTS
    t: float  # seconds since the session started
    now: float  # time.monotonic() when it was taken: event deadlines count down from it
    cells: tuple[Cell, ...]
    locks: tuple[LockState, ...]
    semaphores: tuple[SemaphoreState, ...]
    events: tuple[EventState, ...]
    workers: tuple[WorkerState, ...]
    running_free: bool
    tables: tuple[Table, ...] = ()  # the one a worker changed last first
    verdict: Verdict = Verdict()
    checked: Checked | None = None  # the scenario's check(), once the run has ended
    queues: tuple[QueueState, ...] = ()
    pipes: tuple[PipeState, ...] = ()
    conditions: tuple[ConditionState, ...] = ()
    barriers: tuple[BarrierState, ...] = ()

    def table(self, name: str) -> Table:
        return next(x for x in self.tables if x.name == name)

    def worker(self, name: str) -> WorkerState:
        return next(w for w in self.workers if w.name == name)

    def cell(self, name: str) -> Cell:
        return next(c for c in self.cells if c.name == name)

    def lock(self, name: str) -> LockState:
        return next(x for x in self.locks if x.name == name)

    def semaphore(self, name: str) -> SemaphoreState:
        return next(x for x in self.semaphores if x.name == name)

    def event(self, name: str) -> EventState:
        return next(x for x in self.events if x.name == name)

    def queue(self, name: str) -> QueueState:
        return next(x for x in self.queues if x.name == name)

    def pipe(self, end: str) -> PipeState:
        """The pipe one of whose ends is `end`."""
        return next(x for x in self.pipes if end in x.ends)


def plain(value: Any) -> Any:
    """A value as JSON has it: bytes as text, tuples as lists."""
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    return value


def cell_value(cell: Any) -> Any:
    """A 'c' array reads as its byte string, as `.value` gives it; other cells as they are."""
    if cell.kind == "array" and cell.typecode == "c":
        return b"".join(cell.value).split(b"\0", 1)[0].decode("latin-1")
    return plain(cell.value)
