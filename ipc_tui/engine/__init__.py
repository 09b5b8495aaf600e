"""The engine: runs scenarios on real threads and processes under step control.

It never imports Textual or Rich; every front-end goes through `Session`.
"""

from ipc_tui.engine.context import mp_context, start_helpers
from ipc_tui.engine.errors import CannotKill, ScenarioError, ScheduleError
from ipc_tui.engine.loader import ScenarioInfo, find_scenario, list_scenarios
from ipc_tui.engine.schedule import parse_schedule
from ipc_tui.engine.session import Session
from ipc_tui.engine.snapshot import Snapshot, TraceEvent

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
    "parse_schedule",
    "start_helpers",
]
