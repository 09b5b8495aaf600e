"""The worker's side of the step model: its gate, its reports, and how it ends.

Every operation is one step, taken through `step()`: the worker waits at its gate unless the
session runs free (`Runtime.enter`), does the operation, and reports it (`Runtime.done`). What
it reports, and in which shapes, is engine/reports.py.

Running free with summaries on (the app's sessions), a step sends nothing: the worker counts it,
and every SUMMARY_SECONDS (and before anything else it reports) it sends one summary: how many
steps, what it holds now (`held`: resource -> locks/permits held), what it acquired and
released meanwhile (`taken`: resource -> (acquires, releases)), and its last step begun. It looks at
the session's flags only then too, so pausing or closing reaches a free-running worker within
SUMMARY_SECONDS or at its next step, whichever comes later. So watching a free run costs a clock
read and a few counters per operation, not a message.

`t0` is taken before the real operation and `t1` after it, on `time.monotonic()` (one clock for
every process on the machine), so the session can order a release before the acquire it allowed.
"""

from __future__ import annotations

import os
import sys
import threading
import traceback
from collections import defaultdict
from collections.abc import Callable
from time import monotonic
from typing import Any

from ipc_tui.engine import errors
from ipc_tui.engine.reports import (
    AtGate,
    Blocked,
    Done,
    Failed,
    Finished,
    Output,
    Sleeping,
    Started,
    Stopped,
    Summary,
)

FREE, STOP, SUMMARY, GRAIN, HANDOFF = 0, 1, 2, 3, 4  # slots of the session's flag array
FLAGS = 5
OPERATIONS, INSTRUCTIONS = 0, 1  # the grain of a step (GRAIN): one operation, or one bytecode
SUMMARY_SECONDS = 0.02
SUMMARISED = -1  # the "line" of a step taken running free with summaries on


# Module-level on purpose: `lock.acquire()` in a scenario has no handle on its worker, so each
# worker's thread finds its runtime here.
class _Local(threading.local):
    runtime: Runtime | None = None  # the worker running on this thread, if any


_local = _Local()


def current() -> Runtime | None:
    """The runtime of the worker running on this thread, or None outside any worker."""
    return _local.runtime


class Runtime:
    """One worker's connection to its session."""

    def __init__(
        self,
        path: str,
        gate: Any,
        flags: Any,
        send: Callable[[tuple], None],
        sleep: Callable[[float], Any],
        spawner: Any = None,
    ):
        self.path = path
        self.gate = gate
        self.flags = flags
        self.send = send
        self.sleep = sleep
        self.spawner = spawner  # the session, for workers in its process: start() goes there
        self.seq = 0
        self.worker: Any = None  # the scenario's object for this worker: current_thread()
        self.cut = False  # a daemon worker whose main work has ended: stop at the next step
        self.at = 0  # the line of the step being taken
        self.steps = 0  # steps begun running free and not yet reported
        self.unsaid = False  # a summarised step blocked or slept: its end is still to report
        # resource -> [acquired, released, held now]
        self.tally: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        self.last: tuple | None = None
        self.free = False  # running free with summaries, as the flags said at the last look
        self.due = 0.0  # when to send the next summary and look at the flags again
        self.began = 0.0  # when the first step of the next summary began
        self.frame: Any = None  # the program's frame of the step being taken (self.line)
        # (frame) -> where it is, (code key, offset), for the bytecode view: a plain
        # program's agent sets it
        self.locate: Callable[[Any], Any] | None = None
        self.pending: Callable[[], None] | None = None  # a step to end before the next begins
        self.after_gate: Callable[[Runtime], None] | None = None  # (the tracer: variables.py)
        self.grain = -1  # the grain last seen past the gate
        # The frame the worker's life runs in: frames below it are not its own (a forked
        # child's stack holds its parent's, down to the parent's `start()`)
        self.base: Any = None

    def line(self, depth: int = 2) -> int:
        """The scenario line that called the operation now being done."""
        frame = sys._getframe(depth)
        base = self.base
        while frame is not None and frame is not base:
            if frame.f_code.co_filename == self.path:
                self.frame = frame
                return frame.f_lineno
            frame = frame.f_back
        self.frame = None
        return 0

    def enter(self, op: str, subject: Any, index: Any = None) -> int:
        """Wait at the gate before a step; return the scenario line of the step (SUMMARISED
        when running free with summaries on). (`step` has the first lines inlined.)"""
        if self.pending is not None:
            self.pending()
        if self.steps or self.unsaid:
            self.flush()
        flags = self.flags
        if flags[STOP] or self.cut:
            raise errors.Stopped
        self.seq += 1
        self.free = bool(flags[FREE] and flags[SUMMARY])
        if self.free:
            self.began = monotonic()  # the first step the next summary sums up
            self.at, self.due = 0, self.began + SUMMARY_SECONDS
            self.steps += 1
            self.last = (op, subject, index)
            return SUMMARISED
        line = self.at = self.line()
        if not flags[FREE]:
            name = subject.name if subject is not None else None
            at = None
            if self.locate is not None and self.frame is not None:
                at = self.locate(self.frame)
            self.send(AtGate(self.seq, op, name, index, line, at))
            self.gate.acquire()
            if flags[STOP] or self.cut:
                raise errors.Stopped
        if self.after_gate is not None:
            self.after_gate(self)
        return line

    def blocked(self, op: str, resource: str, timeout: float | None, held: bool = False) -> None:
        self._before_news()
        self.send(Blocked(self.seq, op, resource, timeout, monotonic(), self.at, held))

    def sleeping(self, seconds: float) -> None:
        self._before_news()
        self.send(Sleeping(self.seq, seconds, monotonic(), self.at))

    def _before_news(self) -> None:
        """A summarised step that blocks or sleeps: say what came before it (up to this step,
        begun), and where; after it, report its end and look at the flags again."""
        if self.at == 0:  # (a step that went through the gate has its line already)
            self.at = self.line(3)
            if self.steps:
                self.flush()
            self.unsaid, self.free = True, False

    def flush(self) -> None:
        """Send the summary of the steps taken since the last one."""
        held = {name: c[2] for name, c in self.tally.items() if c[2]}
        taken = {name: (c[0], c[1]) for name, c in self.tally.items() if c[0] or c[1]}
        last = None
        if self.last is not None:  # (op, subject, index): the subject by its name
            op, subject, index = self.last
            last = (op, subject.name if subject is not None else None, index)
        now = monotonic()
        began = self.began or now
        self.send(Summary(self.seq, self.steps, held, taken, last, self.line(2), now, began))
        self.steps, self.unsaid = 0, False
        for c in self.tally.values():
            c[0] = c[1] = 0

    # Running free with summaries on, `enter` counts each step; the primitives add what was
    # acquired and released.

    def took(self, resource: str) -> None:
        c = self.tally[resource]
        c[0] += 1
        c[2] += 1

    def gave(self, resource: str) -> None:
        c = self.tally[resource]
        c[1] += 1
        if c[2]:
            c[2] -= 1

    def count(self, op: str, resource: str | None, result: Any) -> None:
        """A step taken running free with summaries on: only what it took or gave back counts."""
        if op == "acquire":
            if result:
                self.took(resource)
        elif op == "release":
            self.gave(resource)

    def done(
        self,
        op: str,
        resource: str | None,
        index: Any,
        before: Any,
        after: Any,
        result: Any,
        line: int,
        t0: float,
    ) -> None:
        if line == SUMMARISED:
            self.count(op, resource, result)
            return
        self.send(Done(self.seq, op, resource, index, before, after, result, line, t0, monotonic()))


GRACE = 0.005  # running free with summaries: a wait this short is part of the run, not news
READS = ("read", "get_value")  # steps that show what they read, before and after


class Subject:
    """What a step is an operation on: a resource, a worker (its start, its join), a
    measurement. A step shows its name, and `shown(op, index)` before and after it."""

    name: str | None = None

    def shown(self, op: str, index: Any) -> Any:
        """The state a watched step `op` shows before and after it (None: nothing to show)."""
        return None


def step(
    op: str,
    subject: Subject | None,
    do: Callable[..., Any],
    args: tuple = (),
    index: Any = None,
    take: Callable[..., Any] | None = None,
    timeout: float | None = None,
    then: Callable[[], Any] | None = None,
    on: Subject | None = None,
) -> Any:
    """One operation as one step: the step model, written once. Every operation of every
    primitive, and the lesson's start, join, sleep and measurements, come through here.

    Outside any worker (a file's top level, the session reading state) it is `do(*args)`, and
    nothing more. In a worker, the worker first waits at its gate (`Runtime.enter`); then:

    - running free with summaries on, it is done and counted (an acquire, a release);
    - otherwise it is done watched: the subject's state is `shown` before and after it (a read
      shows what it read), and it is reported with its result, its line and its times.

    An operation that may wait (an acquire, an event's wait, a join) also gives `take`:
    `take(False)` succeeds at once or not at all, `take(True, t)` waits up to `t` seconds and
    `take(True)` for ever (as `acquire` spells them), for the `timeout` asked for (None: for
    ever; 0 or less: it does not wait). The worker tries at once; running free it may wait
    GRACE more (under contention most waits are that short: a report each would flood the
    session); then it reports that it is blocked and waits for real. A "sleep" sleeps
    `args[0]` seconds, shown as sleeping (and ended early when the session closes).

    An operation that must first take a lock it does not name (a synchronized `Value`'s read
    takes the value's own lock, `get_lock()`) gives that lock's `take`, the lock as `on` (what
    a blocked step waits for) and `then`: the operation, done once the take succeeded (it
    lets the lock go itself); its result is the step's.

    (The hot path of a free run is a few lines: `args` is a tuple, and the bound methods and
    tuples the primitives hand over are made once, not at each call: making them cost as much
    as all the rest.)
    """
    rt = _local.runtime
    if rt is None:
        return do(*args)
    if rt.free and rt.pending is None and monotonic() < rt.due:  # Runtime.enter's, inlined
        rt.seq += 1
        rt.steps += 1
        rt.last = (op, subject, index)
        if take is None:
            if op != "sleep":
                result = do(*args)
                if op == "release":
                    rt.gave(subject.name)
                return result
        elif take(False):
            if then is not None:
                return then()
            if op == "acquire":
                rt.took(subject.name)
            return True
        line = SUMMARISED
    else:
        line = rt.enter(op, subject, index)
    name = subject.name if subject is not None else None
    t0 = monotonic()  # before the operation: a release is ordered before the acquire it allows
    before = subject.shown(op, index) if subject is not None else None
    if op == "sleep":
        rt.sleeping(args[0])
        rt.sleep(args[0])
        result = args[0]
    elif take is None:
        result = do(*args)
    else:
        waits_on = name if on is None else on.name
        result, waited = _take(rt, line, op, waits_on, take, timeout)
        if waited:  # what it was just before the take is not known (others moved meanwhile)
            before = None
        if then is not None and result:
            result = then()
    if op in READS:
        before = after = result
    else:
        after = subject.shown(op, index) if subject is not None else None
    rt.done(op, name, index, before, after, result, line, t0)
    return result


def _take(
    rt: Runtime, line: int, op: str, name: Any, take: Callable, timeout: Any
) -> tuple[Any, bool]:
    """Try at once; running free, wait a moment more; then report the block and wait.
    Returns what the take returned, and whether it waited."""
    if take(False):
        return True, False
    if timeout is not None and timeout <= 0:
        return False, False
    if line == SUMMARISED:
        grace = GRACE if timeout is None else min(GRACE, timeout)  # (a number: never for ever)
        if take(True, grace):
            return True, True
        if timeout is not None:
            timeout = max(0.0, timeout - grace)
            if timeout == 0:
                return False, True
    # A replay (engine/replay.py) holds a wait for ever at the gate, and lets it into the
    # real wait only when it is this worker's turn to be let in: the real primitive then has
    # one waiter to choose (Steering.hand_over opens the gate again)
    held = timeout is None and line != SUMMARISED and bool(rt.flags[HANDOFF])
    rt.blocked(op, name, timeout, held)
    if held:
        rt.gate.acquire()
        if rt.flags[STOP] or rt.cut:
            raise errors.Stopped
    return (take(True) if timeout is None else take(True, timeout)), True


def scenario_print(*args: Any, sep: str | None = " ", end: str | None = "\n", **kw: Any) -> None:
    """`print` as a scenario file sees it: a worker's output goes to the trace, not the screen
    (where it would tear the app's frame or a --json stream apart)."""
    rt = current()
    if rt is None or kw.get("file") is not None:
        print(*args, sep=sep, end=end, **kw)
        return
    text = ("" if sep is None else sep).join(map(str, args)) + ("\n" if end is None else end)
    rt.send(Output(text.rstrip("\n"), monotonic(), rt.line()))


def run_worker(worker: Any, runtime: Runtime) -> int:
    """Run one worker to its end under `runtime`; report how it ended; return an exit code."""
    _local.runtime = runtime
    runtime.worker = worker
    runtime.send(Started(os.getpid(), threading.get_native_id()))
    try:
        try:
            worker.run()
        finally:
            if runtime.pending is not None:
                runtime.pending()
            if runtime.steps or runtime.unsaid:
                runtime.flush()
    except errors.Stopped:
        runtime.send(Stopped())
        return 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if code:
            runtime.send(Failed(f"SystemExit: {exc.code}", monotonic()))
        else:
            runtime.send(Finished(monotonic()))
        return code
    except BaseException as exc:  # a worker that raises is shown, not fatal
        runtime.send(Failed(format_failure(exc, runtime.path), monotonic()))
        return 1
    else:
        runtime.send(Finished(monotonic()))
        return 0
    finally:
        _local.runtime = None


def format_failure(exc: BaseException, path: str) -> str:
    """The traceback a student needs: only the scenario file's frames, then the error."""
    tb = traceback.TracebackException.from_exception(exc)
    frames = [f for f in tb.stack if f.filename == path]
    if frames:
        tb.stack = traceback.StackSummary.from_list(frames)
    return "".join(tb.format()).rstrip()
