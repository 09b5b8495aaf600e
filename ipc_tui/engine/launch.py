"""Starting real threads and processes for workers, and ending them on every way out."""

from __future__ import annotations

import ctypes
import pickle
import threading
from time import monotonic
from typing import Any

from ipc_tui.engine.child import ChildSpec, child_main
from ipc_tui.engine.errors import Stopped
from ipc_tui.engine.primitives import Event, Lock, Resource, Semaphore
from ipc_tui.engine.runtime import Runtime, run_worker


def start_thread(worker: Any, runtime: Runtime) -> threading.Thread:
    # Real daemon threads, whatever the scenario says, so that a blocked one never holds the
    # interpreter open; the scenario's flag is what the snapshot shows.
    thread = threading.Thread(
        target=run_worker, args=(worker, runtime), name=worker.name, daemon=True
    )
    thread.start()
    return thread


def start_process(ctx: Any, spec: ChildSpec, worker: Any, gate: Any, flags: Any) -> tuple[Any, Any]:
    """Start `worker` in a process; return the process and the reading end of its reports."""
    if worker.index is not None:
        which: int | bytes = worker.index  # declared at the top level: the child finds it there
    else:
        try:
            which = pickle.dumps(worker)
        except (pickle.PicklingError, AttributeError, TypeError) as exc:
            raise RuntimeError(
                f"{worker.name} cannot run in a process: its target and arguments must be "
                f"top-level functions, resources or plain values of the scenario ({exc})"
            ) from None
    reader, writer = ctx.Pipe(duplex=False)
    process = ctx.Process(
        target=child_main,
        args=(spec, which, gate, writer, flags),
        name=worker.name,
        daemon=worker.daemon,
    )
    process.start()
    writer.close()
    return process, reader


def _raise_in(thread: threading.Thread, exc: type[BaseException]) -> None:
    """Raise `exc` in `thread` at its next bytecode: how a pure-Python endless loop ends.
    (It cannot end a thread blocked inside C code; the wake-ups above handle those.)"""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread.ident or 0), ctypes.py_object(exc)
    )


def end_processes(processes: list, grace: float = 0.5) -> None:
    """Stop flag first (the caller set it; `grace` seconds to see it), then terminate, then
    kill: nothing outlives us."""
    deadline = monotonic() + grace
    for p in processes:
        p.join(max(0.0, deadline - monotonic()))
    for p in processes:
        if p.is_alive():
            p.terminate()
    for p in processes:
        p.join(1)
        if p.is_alive():
            p.kill()
            p.join()


def end_threads(threads: list, resources: list[Resource], workers: int) -> None:
    """Threads cannot be killed: wake every blocked one so that it meets its stop flag, and
    raise Stopped inside one that loops without ever taking a step."""
    began = monotonic()
    deadline, interrupted = began + 2, False
    while monotonic() < deadline:
        if not interrupted and monotonic() - began > 0.2:
            interrupted = True
            for t in threads:
                if t.is_alive():
                    _raise_in(t, Stopped)
        alive = [t for t in threads if t.is_alive()]
        if not alive:
            return
        for res in resources:
            raw = res._raw
            if isinstance(res, Lock) and res.peek():
                raw.release()  # a plain Lock may be released by any thread or process
            elif isinstance(res, Event) and isinstance(raw, threading.Event):
                # Only threading's: a multiprocessing Event's set() waits for every sleeper
                # to wake, and one that was killed never does (measured: it hangs for ever).
                raw.set()
            elif isinstance(res, Semaphore):
                for _ in range(workers):
                    raw.release()
        for t in alive:
            t.join(0.05)
