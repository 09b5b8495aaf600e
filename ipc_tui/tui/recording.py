"""The app's recordings: the run so far written down (w, and --record when the app quits), and
a recording opened (--replay): paused at its first step, its turns loaded for n. And the names
of what w and p write."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from ipc_tui.engine import recording
from ipc_tui.engine.recording import Recorder
from ipc_tui.engine.replay import Replay
from ipc_tui.present import verdict_lines
from ipc_tui.tui.explore import Row


def outcome_now(session: Any) -> str:
    """How the run stands, in headless's words: finished, stalled, or still running."""
    verdict = session.verdict()
    if verdict.certain:
        return "stalled"
    finished = getattr(session, "finished", None)
    return "finished" if finished is not None and finished() else "running"


def save_run(
    session: Any, recorder: Recorder, path: str, argv: tuple[str, ...], quick: bool
) -> str:
    """Write the run so far to `path`; the path written (a ScenarioError says why not)."""
    snap = session.snapshot()
    said = verdict_lines(snap.verdict, snap.checked)
    final = recording.final_state(snap, outcome_now(session), [], said)
    recording.save(recorder.recording(session, final, argv, quick), path)
    return path


def new_name(scenario: str, suffix: str) -> str:
    """A new file in the current folder: `ipc-tui-race-condition-153012.json` (w), `.svg` (p);
    `-2`, `-3`... when one of that second is there already."""
    stem = f"ipc-tui-{Path(scenario).stem}-{time.strftime('%H%M%S')}"
    name, k = f"{stem}{suffix}", 1
    while Path(name).exists():
        k += 1
        name = f"{stem}-{k}{suffix}"
    return name


def row_of(replay: Replay) -> Row:
    """A recording as the schedule bar takes it (as it takes an outcome the explorer found)."""
    return Row(
        words=replay.words(),
        failed=replay.failed,
        runs=1,
        preemptions=0,
        steps=len(replay.steps),
        schedule=replay.schedule_text,
        origin="the recorded outcome",
        run="the recording",
    )
