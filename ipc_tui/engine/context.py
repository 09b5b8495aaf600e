"""The one multiprocessing context every process primitive and worker comes from.

forkserver on Linux (never fork: a front-end may already run threads), spawn where forkserver is
missing; `IPC_TUI_START_METHOD=spawn` chooses spawn anywhere. The forkserver preloads only the
worker trampoline, so children start fast and never import a front-end.
"""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing.context import BaseContext

# Module-level on purpose: the forkserver is one per process in the standard library, and every
# session, worker and lab of this process must come from the same context.
_context: BaseContext | None = None


def mp_context() -> BaseContext:
    global _context
    if _context is None:
        wanted = os.environ.get("IPC_TUI_START_METHOD", "forkserver")
        if wanted not in ("forkserver", "spawn"):
            wanted = "forkserver"
        if wanted not in multiprocessing.get_all_start_methods():
            wanted = "spawn"
        _context = multiprocessing.get_context(wanted)
        if wanted == "forkserver":
            _context.set_forkserver_preload(["ipc_tui.engine.child"])
    return _context


def start_helpers() -> None:
    """Start multiprocessing's helper processes now rather than lazily: inside a running
    Textual app fd 2 is not usable and a lazy start fails (docs/architecture.md, Processes)."""
    from multiprocessing import resource_tracker

    context = mp_context()
    resource_tracker.ensure_running()
    if context.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()
