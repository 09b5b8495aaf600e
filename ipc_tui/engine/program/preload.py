"""What the forkserver of a plain program preloads (hook.py): the hook first, then the
program's top level, as the forkserver would have run it (its default preload, `__main__`)."""

from __future__ import annotations

from multiprocessing import process, spawn

from ipc_tui.engine.program import agent, hook

_cfg = agent.config()
if _cfg:
    hook.install(_cfg)
    agent.here("ForkServer")
    process.current_process()._inheriting = True
    try:
        spawn.import_main_path(_cfg["path"])
    finally:
        del process.current_process()._inheriting
