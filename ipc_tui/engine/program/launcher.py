"""The program's first process: it runs the program's file as `__main__`, as `python file.py`
would, with the hook installed and its main thread a worker (`MainThread`).

Started by the session (session.py) in a session of its own, with the session's address in
the environment; everything the program starts descends from it and ends with it.

    python -c "from ipc_tui.engine.program.launcher import main; main()"
"""

from __future__ import annotations

import os
import sys
import threading
import types
from collections.abc import Callable
from time import monotonic
from typing import Any

from ipc_tui.engine import errors
from ipc_tui.engine.program import agent as agent_module
from ipc_tui.engine.program import hook
from ipc_tui.engine.reports import Failed, Finished
from ipc_tui.engine.runtime import _local, format_failure, step


def _ended(rt: Any, failure: str | None) -> None:
    if rt.pending is not None:
        rt.pending()
    if rt.steps or rt.unsaid:
        rt.flush()
    _local.runtime = None
    rt.send(Failed(failure, monotonic()) if failure else Finished(monotonic()))


def _failure(exc: BaseException, path: str) -> str | None:
    """What a worker's end says, or None when it ended by itself: `sys.exit(n)` is an end the
    program chose (its exit code says n), not a failure."""
    if isinstance(exc, (SystemExit, errors.Stopped)):
        return None
    return format_failure(exc, path)


_default_hook = threading.excepthook


def run_as_worker(wid: str, obj: Any, body: Callable[[], Any]) -> Any:
    """Run a thread (its `_bootstrap_inner`, `body`) or a process (its `_bootstrap`) as
    worker `wid`: its `run()` is the worker's life; what the standard library does around it
    (exception hooks, joining children at exit) stays the standard library's."""
    agent = agent_module.here(getattr(obj, "name", None))
    rt = agent.runtime(wid, obj)
    rt.base = sys._getframe()  # (a forked child's stack holds its parent's frames below)
    real_run = obj.run

    def run() -> None:
        failure = None
        try:
            real_run()
        except SystemExit:
            raise  # (the standard library gives it its exit code, and says nothing)
        except BaseException as exc:
            failure = _failure(exc, agent.path)
            if isinstance(obj, threading.Thread) and threading.excepthook is not _default_hook:
                raise  # the program's own hook wants it
            # Shown once, as the worker's failure, with the program's frames only: the
            # standard library's printout would repeat it, through this function. A process
            # still ends with exit code 1, as it would.
            if not isinstance(obj, threading.Thread):
                raise SystemExit(1) from None
        finally:
            _ended(rt, failure)

    obj.run = run
    try:
        return body()
    finally:
        vars(obj).pop("run", None)


def run_process(wid: str, process: Any, body: Callable[[], int]) -> int:
    """A watched Process's `_bootstrap` in its child: its life as a worker, then its exit
    code, said before the process ends (a process that ends without it was killed)."""
    agent = agent_module.here(process.name)
    code = run_as_worker(wid, process, body)
    agent.send(("exit", wid, code))
    return code


_compiled: dict[tuple, Any] = {}


def compiled(path: str) -> Any:
    """The program's code, compiled once per version of its file (the explorer's warm
    launcher compiles it before it forks its runs: program/zygote.py)."""
    st = os.stat(path)
    key = (path, st.st_mtime_ns, st.st_size)
    if key not in _compiled:
        with open(path, encoding="utf-8") as f:
            _compiled[key] = compile(f.read(), path, "exec", dont_inherit=True)
    return _compiled[key]


def main() -> None:
    cfg = agent_module.config()
    if not cfg:
        sys.exit("ipc-tui: the launcher runs a program for a session (see ipc-tui --help)")
    path = cfg["path"]
    sys.argv = [path, *cfg.get("argv", [])]
    sys.path[0] = os.path.dirname(path)
    unwatched = bool(cfg.get("unwatched"))
    if not unwatched:
        hook.install(cfg)
    agent = agent_module.here()
    wid = agent.new_id()
    agent.worker(wid, "MainThread", "thread", False, "<module>", 1)
    module = types.ModuleType("__main__")
    module.__file__ = path
    module.__builtins__ = __builtins__
    sys.modules["__main__"] = module  # as `python file.py` has it: spawn finds the file here
    code_object = compiled(path)
    if agent.conn is None:  # no session (a test, a debugger): the program, unwatched
        exec(code_object, module.__dict__)
        return
    rt = agent.runtime(wid, threading.current_thread())
    failure, code = None, 0
    try:
        if unwatched:  # (a program that measures) all of it, as one step: plain python's run
            step("run", None, exec, (code_object, module.__dict__))
        else:
            exec(code_object, module.__dict__)
    except BaseException as exc:  # as python does: the traceback, exit code 1 (or sys.exit's)
        failure = _failure(exc, path)
        if isinstance(exc, SystemExit):
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        else:
            code = 1
    finally:
        _ended(rt, failure)
    sys.stdout.flush()
    sys.exit(code)
