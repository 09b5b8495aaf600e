"""What a worker tells its session: the report protocol, one named shape per kind.

A worker (engine/runtime.py) sends reports; the session's collector (engine/collect.py) hands
each to the board (engine/board.py), which dispatches on its type. Thread workers put them on a
queue, process workers send them through a pipe: each is a NamedTuple, which pickles as a tuple
plus a reference to its class, so adding a field is a change in this file and where it is read.

Times are `time.monotonic()`, one clock for every process on the machine. `seq` is the worker's
own step number (1, 2, ...); `line` the scenario's line of that step.

In the order a worker's life sends them:

    Started     once, first: its real pid and native thread id
    AtGate      waiting at its gate to take step `seq`
    Blocked     the real primitive is blocking step `seq`
    Sleeping    step `seq` is a sleep
    Done        step `seq` is over: what it did and what it changed
    Summary     running free with summaries on, instead of each step: many steps at once
    Output      what it print()ed
    TableShown  a measuring scenario's table, new or updated
    Finished | Failed | Stopped     once, last: how it ended
"""

from __future__ import annotations

from typing import Any, NamedTuple


class Started(NamedTuple):
    pid: int
    tid: int


class AtGate(NamedTuple):
    seq: int
    op: str
    resource: str | None
    index: Any
    line: int
    at: Any = None  # (code key, instruction offset) of the program's frame, when known


class Blocked(NamedTuple):
    seq: int
    op: str
    resource: str
    timeout: float | None  # None: it waits for ever
    t: float
    line: int
    held: bool = False  # a replay's hand-offs: it waits at its gate until let in (Steering)


class Sleeping(NamedTuple):
    seq: int
    seconds: float
    t: float
    line: int


class Done(NamedTuple):
    seq: int
    op: str
    resource: str | None
    index: Any
    before: Any  # the state the step shows, before it and after it
    after: Any
    result: Any
    line: int
    t0: float  # before the real operation began (a release is ordered before what it allows)
    t1: float  # after it ended


class Summary(NamedTuple):
    """Running free: `steps` steps up to step `seq`, what the worker holds now (`held`:
    resource -> locks or permits), what it acquired and released meanwhile (`taken`: resource ->
    (acquires, releases)), and the last step it began (`last`: (op, resource, index)), between
    `began` (its first step) and `t`. The trace places it where it began: a release it sums up
    then comes before the acquire it allowed."""

    seq: int
    steps: int
    held: dict[str, int]
    taken: dict[str, tuple[int, int]]
    last: tuple | None
    line: int
    t: float
    began: float


class Output(NamedTuple):
    text: str
    t: float
    line: int


class TableShown(NamedTuple):
    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    note: str


class Finished(NamedTuple):
    t: float


class Failed(NamedTuple):
    error: str  # the traceback, as a student needs it
    t: float


class Stopped(NamedTuple):
    """It met the session's stop flag (a close, a restart) and left where it was."""


Report = (
    Started
    | AtGate
    | Blocked
    | Sleeping
    | Done
    | Summary
    | Output
    | TableShown
    | Finished
    | Failed
    | Stopped
)
