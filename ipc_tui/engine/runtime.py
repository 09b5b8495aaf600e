"""The worker's side of the step model: its gate, its reports, and how it ends.

Every instrumented operation calls `enter` before it runs (the worker waits at its gate unless
the session runs free) and `done` after it. Reports are plain tuples sent to the session:

    ("started", pid, native_thread_id)
    ("gate", seq, op, resource, index, line)         waiting to take step `seq`
    ("blocked", seq, op, resource, timeout, t, line)  the real primitive is blocking it
    ("sleeping", seq, seconds, t, line)
    ("done", seq, op, resource, index, before, after, result, line, t0, t1)
    ("output", text, t, line)                        what the worker print()ed
    ("finished", t) | ("failed", traceback_text, t) | ("stopped",)

`t0` is taken before the real operation and `t1` after it, on `time.monotonic()` (one clock for
every process on the machine), so the session can order a release before the acquire it allowed.
"""

from __future__ import annotations

import os
import sys
import threading
import traceback
from collections.abc import Callable
from time import monotonic
from typing import Any

from ipc_tui.engine.errors import Stopped

FREE, STOP = 0, 1  # slots of the session's flag array, read before every step

_local = threading.local()


def current() -> Runtime | None:
    """The runtime of the worker running on this thread, or None outside any worker."""
    return getattr(_local, "runtime", None)


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

    def line(self) -> int:
        """The scenario line that called the operation now being done."""
        frame = sys._getframe(2)
        while frame is not None:
            if frame.f_code.co_filename == self.path:
                return frame.f_lineno
            frame = frame.f_back
        return 0

    def enter(self, op: str, resource: str | None, index: Any = None) -> int:
        """Wait at the gate before a step; return the scenario line of the step."""
        self.seq += 1
        line = self.at = self.line()
        flags = self.flags
        if flags[STOP] or self.cut:
            raise Stopped
        if not flags[FREE]:
            self.send(("gate", self.seq, op, resource, index, line))
            self.gate.acquire()
            if flags[STOP] or self.cut:
                raise Stopped
        return line

    def blocked(self, op: str, resource: str, timeout: float | None) -> None:
        self.send(("blocked", self.seq, op, resource, timeout, monotonic(), self.at))

    def sleeping(self, seconds: float) -> None:
        self.send(("sleeping", self.seq, seconds, monotonic(), self.at))

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
        self.send(
            ("done", self.seq, op, resource, index, before, after, result, line, t0, monotonic())
        )


def scenario_print(*args: Any, sep: str | None = " ", end: str | None = "\n", **kw: Any) -> None:
    """`print` as a scenario file sees it: a worker's output goes to the trace, not the screen
    (where it would tear the app's frame or a --json stream apart)."""
    rt = current()
    if rt is None or kw.get("file") is not None:
        print(*args, sep=sep, end=end, **kw)
        return
    text = ("" if sep is None else sep).join(map(str, args)) + ("\n" if end is None else end)
    rt.send(("output", text.rstrip("\n"), monotonic(), rt.line()))


def run_worker(worker: Any, runtime: Runtime) -> int:
    """Run one worker to its end under `runtime`; report how it ended; return an exit code."""
    _local.runtime = runtime
    runtime.worker = worker
    runtime.send(("started", os.getpid(), threading.get_native_id()))
    try:
        worker.run()
    except Stopped:
        runtime.send(("stopped",))
        return 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if code:
            runtime.send(("failed", f"SystemExit: {exc.code}", monotonic()))
        else:
            runtime.send(("finished", monotonic()))
        return code
    except BaseException as exc:  # a worker that raises is shown, not fatal
        runtime.send(("failed", format_failure(exc, runtime.path), monotonic()))
        return 1
    else:
        runtime.send(("finished", monotonic()))
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
