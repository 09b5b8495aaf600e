"""Explore in the app (e): the outcomes fill the pane as they are found, enter loads one's
schedule, and n followed to its end reaches that very outcome; escape, or leaving the app,
leaves nothing running. Real sessions, a real explorer, every wait bounded."""

from __future__ import annotations

import asyncio
import os
from time import monotonic

import pytest
from textual.widgets import OptionList

from ipc_tui.tui.explore import ExploreScreen
from tests.conftest import descendants, example, gone
from tests.tui.screen import drawn_in, flat, settled
from tests.tui.test_keys import burst


async def until(pilot, app, holds, seconds: float, what: str) -> None:
    """Wait until `holds()` (at most `seconds`), drawing as the app does."""
    deadline = monotonic() + seconds
    while not holds():
        assert monotonic() < deadline, f"{what}: not within {seconds:g} s"
        await pilot.pause(0.05)
        app.sample()


async def opened(pilot, app) -> None:
    """Until the program has begun and stands at its first step."""
    assert await asyncio.to_thread(app.session.wait_started, 15)
    await settled(pilot, app)


async def explored(pilot, app) -> ExploreScreen:
    """e, and the Explore pane once the exploration has ended and the pane shows it all."""
    await pilot.press("e")
    screen = app.screen
    assert isinstance(screen, ExploreScreen)
    await until(pilot, app, lambda: screen.exploration.latest.ended, 60, "the exploration")
    await until(pilot, app, lambda: screen._shown is screen.exploration.latest, 5, "the pane")
    return screen


def pane_text(app, screen: ExploreScreen) -> str:
    return flat(drawn_in(app, screen.query_one("#explore")))


async def test_e_fills_the_pane_with_both_outcomes_of_deadlock_and_says_it_is_complete(app_on):
    app = app_on("deadlock", "thread", summary=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, app)
        screen = await explored(pilot, app)
        text = pane_text(app, screen)
        assert "moved = 2" in text, text
        assert "✗" in text and "moved = 0; deadlock: w0 → b → w1 → a → w0" in text, text
        assert "complete: all" in text and "1 of 2 outcomes fail" in text, text
        words = [row.words for row in screen.exploration.latest.rows]
        assert sorted(words) == ["moved = 0; deadlock: w0 → b → w1 → a → w0", "moved = 2"]
        first = screen.exploration
        await pilot.press("escape")
        await until(pilot, app, lambda: not isinstance(app.screen, ExploreScreen), 10, "closed")
        await pilot.press("e")  # a finished exploration is shown again, not run again
        assert isinstance(app.screen, ExploreScreen) and app.screen.exploration is first
        await pilot.press("e")  # (e closes it too)
        await until(pilot, app, lambda: not isinstance(app.screen, ExploreScreen), 10, "closed")


@pytest.mark.parametrize(
    "pick, fast",
    [("deadlock", False), ("moved = 2", False), ("moved = 2", True)],
    ids=["the-deadlock", "the-finished-one", "the-finished-one-n-typed-fast"],
)
async def test_n_follows_the_chosen_outcomes_schedule_to_that_outcome(app_on, pick, fast):
    app = app_on("deadlock", "thread", summary=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, app)
        screen = await explored(pilot, app)
        rows = screen.exploration.latest.rows
        k = next(i for i, row in enumerate(rows) if pick in row.words)
        outcomes = screen.query_one(OptionList)
        for _ in range(len(rows)):  # the arrow keys to it, then enter
            if outcomes.highlighted == k:
                break
            await pilot.press("down" if outcomes.highlighted < k else "up")
        assert outcomes.highlighted == k
        old = app.session
        await pilot.press("enter")
        await until(pilot, app, lambda: app.session is not old, 10, "the scenario restarted")
        assert not isinstance(app.screen, ExploreScreen)
        session = app.session
        await opened(pilot, app)
        bar = app.schedule_bar
        steps = rows[k].steps
        assert bar.text == f"schedule: step 1 of {steps}, next: MainThread — n to take it"
        assert [w.steps for w in session.snapshot().workers] == [0] * len(
            session.snapshot().workers
        )  # paused at its first step
        if fast:  # all typed before the first is handled, as a terminal sends them
            burst(app, *["n"] * steps)
        else:
            for _ in range(steps):
                await pilot.press("n")
                await settled(pilot, app)
        await until(
            pilot, app, lambda: bar.replay is None or bar.replay.given == steps, 20, "the turns"
        )
        assert bar.replay is not None, bar.text  # (dropped: the bar says why)
        assert bar.text.startswith(f"schedule: all {steps} steps taken")
        assert "n steps as usual again" in bar.text
        if pick == "deadlock":
            await until(
                pilot, app, lambda: session.verdict().kind == "deadlock", 20, "the deadlock"
            )
            assert session.snapshot().cell("moved").value == 0
            said = "DEADLOCK: w0 → b → w1 → a → w0"
        else:
            await until(pilot, app, session.finished, 20, "the program's end")
            assert session.snapshot().cell("moved").value == 2
            said = "AS EXPECTED: moved.value == 2"
        await until(
            pilot,
            app,
            lambda: any(line.startswith(said) for line in app.verdict_bar.lines),
            5,
            "the verdict bar",
        )
        assert not bar.take()  # used up: n has its usual meaning again


async def test_a_click_loads_an_outcome_and_a_step_by_hand_of_another_worker_drops_it(app_on):
    app = app_on("deadlock", "thread", summary=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, app)
        screen = await explored(pilot, app)
        rows = screen.exploration.latest.rows
        k = next(i for i, row in enumerate(rows) if "deadlock" in row.words)
        old = app.session
        await pilot.click(OptionList, offset=(10, k))  # (each outcome is one line at 80x24)
        await until(pilot, app, lambda: app.session is not old, 10, "the scenario restarted")
        await opened(pilot, app)
        bar = app.schedule_bar
        assert bar.replay is not None and bar.replay.outcome == rows[k].words
        await pilot.press("0", "0")  # MainThread's own two turns, by its key: taken as such
        await settled(pilot, app)
        assert bar.replay is not None and bar.replay.asked == 2
        assert "step 3 of" in bar.text and "next: w0" in bar.text
        await pilot.press("2")  # w1: not the schedule's next
        await settled(pilot, app)
        assert bar.replay is None
        assert bar.text.startswith("schedule dropped at step 3: w1 stepped by hand")
        assert screen.exploration.latest.rows  # (the pane's exploration is kept for e)


def spawned_since(before: set[int]) -> set[int]:
    return descendants(os.getpid()) - before


@pytest.mark.parametrize("how", ["escape", "quit"])
async def test_escape_or_quitting_while_exploring_stops_it_and_leaves_no_run(app_on, how):
    # race-condition in process mode: its exploration takes about a minute, so it is surely
    # going on when the key comes; each run has processes of its own
    app = app_on("race-condition", "process", summary=True)
    seen: set[int] = set()
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, app)
        before = descendants(os.getpid())
        await pilot.press("e")
        screen = app.screen
        assert isinstance(screen, ExploreScreen)
        exploration = screen.exploration

        def runs_seen() -> bool:
            seen.update(spawned_since(before))
            return exploration.latest.started >= 3

        await until(pilot, app, runs_seen, 60, "three runs started")
        assert exploration.running and seen  # the zygote, a run, its workers
        if how == "escape":
            await pilot.press("escape")
            await until(pilot, app, lambda: not isinstance(app.screen, ExploreScreen), 10, "closed")
            assert not exploration.running, "the pane closed before the explorer had ended"
            assert exploration.latest.rows  # (what it found so far was shown)
            await left_nothing(seen, before)  # (the app and its session go on)
        else:
            await pilot.press("ctrl+q")
    if how == "quit":
        exploration.thread.join(10)
        assert not exploration.running, "the explorer's thread outlived the app"
        await left_nothing(seen, before)


async def left_nothing(seen: set[int], before: set[int]) -> None:
    """Every process the exploration made has ended (within a bounded wait), and the test's
    process has no child but those it had `before`."""
    deadline = monotonic() + 10
    while monotonic() < deadline:
        if all(gone(pid) for pid in seen) and not live(spawned_since(before)):
            break
        await asyncio.sleep(0.05)
    assert [pid for pid in seen if not gone(pid)] == []
    assert live(spawned_since(before)) == set()


def live(pids: set[int]) -> set[int]:
    return {pid for pid in pids if not gone(pid)}


async def test_e_on_a_scenario_written_for_ipc_tui_says_explore_runs_programs(app_on):
    app = app_on(example("race-condition"), "thread")
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot, app)
        await pilot.press("e")
        assert not isinstance(app.screen, ExploreScreen)
        assert "Explore runs plain programs" in app.said[-1]
