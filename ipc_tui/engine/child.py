"""The trampoline a worker process starts in.

A function from a scenario file loaded by path cannot be pickled by reference, so the child gets
the file's path and the worker's index, runs the file's top level itself (its declarations get
the session's real primitives back, in order), and runs the worker.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ipc_tui.engine.declare import Declarations, remember
from ipc_tui.engine.loader import execute, read_info
from ipc_tui.engine.reports import Failed
from ipc_tui.engine.runtime import Runtime, format_failure, run_worker


@dataclass(frozen=True)
class ChildSpec:
    """What every child process of a session (a worker, a lab) needs to load the scenario as
    the session did. Made once per session; handed to each child as it starts."""

    path: str  # the scenario file
    module: str  # the session's name for the scenario's module
    reals: tuple  # the session's real primitives, in declaration order (a session of threads: ())
    variant: str = ""
    quick: bool = False
    nice: int = 0  # how much lower the child's priority is than the session's


def child_main(spec: ChildSpec, which: int | bytes, gate: Any, conn: Any, flags: Any) -> None:
    """Run worker `which` of the scenario: its place among the file's top-level workers, or
    the pickled worker that main() made at run time."""
    become_child(spec.nice)
    runtime = Runtime(spec.path, gate, flags, conn.send, time.sleep)
    try:
        decl = load_scenario(spec)
        worker = pickle.loads(which) if isinstance(which, bytes) else decl.workers[which]
    except BaseException as exc:
        conn.send(Failed(format_failure(exc, spec.path), time.monotonic()))
        sys.exit(1)
    code = run_worker(worker, runtime)
    conn.close()
    sys.exit(code)


def become_child(nice: int = 0) -> None:
    """A process the session started (a worker, a lab): the session stops it, not ctrl+c, and it
    ends with the session's process; `nice` lowers its priority by that much."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if nice:
        os.nice(nice)
    _exit_with_parent()


def load_scenario(spec: ChildSpec) -> Declarations:
    """Run the scenario file's top level in this process: its k-th declaration gets the
    session's k-th real primitive back."""
    decl = Declarations(spec.path, None, list(spec.reals), spec.variant, spec.quick)
    execute(read_info(Path(spec.path)), decl, spec.module)
    remember(decl)
    return decl


def _exit_with_parent() -> None:
    """End this worker when the session's process is gone, however it went."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="ipc-tui-parent-watch", daemon=True).start()
