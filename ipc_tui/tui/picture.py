"""`--svg FILE`: the app's screen at a chosen step, drawn without a terminal, as an SVG file for
slides and printed notes. The step is chosen by `--schedule` (the steps taken first) or by a
recording (`--replay FILE`, `--at N`: its first N steps)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from ipc_tui.engine import ScenarioError
from ipc_tui.engine.schedule import Turn

SETTLE_SECONDS = 30.0  # at most, for the program to start and the steps to be taken


def save_picture(app: Any, turns: list[Turn], path: str, size: tuple[int, int]) -> list[str]:
    """Run `app` headless, take `turns`, draw, write the screen to `path`; the notes on turns
    that could not be taken (a ScenarioError when the program never came to its first step)."""
    notes: list[str] = []
    failure: list[str] = []

    async def auto_pilot(pilot: Any) -> None:
        try:
            session = app.session
            started = getattr(session, "wait_started", None)
            if started is not None and not await asyncio.to_thread(started, SETTLE_SECONDS):
                failure.append("the program never began")
                return
            notes.extend(await asyncio.to_thread(session.run_schedule, turns, SETTLE_SECONDS))
            await asyncio.to_thread(session.wait_settled, SETTLE_SECONDS)
            app.sample()
            await pilot.pause()
            app.sample()  # (what the first drawing moved: the trace's lines)
            await pilot.pause()
            folder = Path(path).resolve()
            app.save_screenshot(folder.name, str(folder.parent))
        except TimeoutError as exc:
            failure.append(str(exc))
        finally:
            app.exit()

    app.run(headless=True, size=size, auto_pilot=auto_pilot)
    if failure:
        raise ScenarioError(f"no picture: {failure[0]}")
    return notes


def parse_size(text: str) -> tuple[int, int]:
    """`100x30` -> (100, 30)."""
    width, _, height = text.lower().partition("x")
    try:
        size = int(width), int(height)
    except ValueError:
        raise ScenarioError(f"--size wants COLUMNSxROWS, e.g. 100x30, got {text!r}") from None
    if not (40 <= size[0] <= 400 and 12 <= size[1] <= 200):
        raise ScenarioError(f"--size {text!r} is out of range (40x12 to 400x200)")
    return size
