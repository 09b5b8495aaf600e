"""The engine: runs scenarios on real threads and processes under step control.

It never imports Textual or Rich; every front-end goes through `Session`.
"""

from ipc_tui.engine.context import mp_context, start_helpers
from ipc_tui.engine.errors import CannotKill, ScenarioError, ScheduleError
from ipc_tui.engine.loader import ScenarioInfo, find_scenario, list_scenarios
from ipc_tui.engine.schedule import parse_schedule
from ipc_tui.engine.session import Session
from ipc_tui.engine.snapshot import Snapshot, TraceEvent


def open_session(
    info: ScenarioInfo,
    mode: str | None = None,
    variant: str | None = None,
    quick: bool = False,
    start_method: str | None = None,
    **options,
):
    """A session for `info`: a plain program runs as itself (engine/program), a scenario
    written for ipc-tui in its own Session. `options`: keep_events, summary (both), nice
    (a scenario's)."""
    if info.program:
        from ipc_tui.engine.program.session import ProgramSession

        options.pop("nice", None)
        if quick and not info.watched:  # a measuring program's small size: `gil.py 5ms --quick`
            options["argv"] = (*options.get("argv", ()), "--quick")
        return ProgramSession(info, start_method, mode=mode, variant=variant, **options)
    if start_method:
        raise ScenarioError("--start-method is for plain programs (a scenario's is forkserver)")
    return Session(info, mode, variant, quick, **options)


__all__ = [
    "CannotKill",
    "ScenarioError",
    "ScenarioInfo",
    "ScheduleError",
    "Session",
    "Snapshot",
    "TraceEvent",
    "find_scenario",
    "list_scenarios",
    "mp_context",
    "open_session",
    "parse_schedule",
    "start_helpers",
]
