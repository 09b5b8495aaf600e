"""`--svg FILE`: the app's screen at a chosen step, drawn without a terminal, as an SVG file for
slides and printed notes. The step is chosen by `--schedule` (the steps taken first) or by a
recording (`--replay FILE`, `--at N`: its first N steps)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ipc_tui.engine import ScenarioError
from ipc_tui.engine.replay import Replay, follow

SETTLE_SECONDS = 30.0  # at most, for the program to start and the steps to be taken


def schedule_steps(schedule: str | None) -> Callable[[Any], list[str]]:
    """The steps of `--schedule` (none: the first screen)."""
    return lambda session: session.run_schedule(schedule or [], SETTLE_SECONDS)


def replay_steps(replay: Replay, at: int | None) -> Callable[[Any], list[str]]:
    """A recording's first `at` steps (None: all), followed as `--replay` follows them: the
    real locks let in the waiters the recording let in."""
    if at is not None and at > len(replay.steps):
        raise ScenarioError(f"--at {at}: the recording has {len(replay.steps)} steps")
    first = replay.first(at)
    return lambda session: follow(session, first, SETTLE_SECONDS)


def save_picture(
    app: Any, steps: Callable[[Any], list[str]], path: str, size: tuple[int, int]
) -> list[str]:
    """Run `app` headless, take the steps (`steps(session)`: a schedule's, or a recording's
    first N, followed as a replay is), draw, write the screen to `path`; the notes on steps
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
            notes.extend(await asyncio.to_thread(steps, session))
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
