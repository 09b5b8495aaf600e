"""At 80x24, the size of a default terminal and of a classroom projector, what matters is on the
screen: the verdicts in full, the help to its end, the keys to quit, toasts beside the trace."""

import asyncio

from textual.geometry import Region
from textual.widgets import Footer
from textual.widgets._toast import Toast

from tests.conftest import example
from tests.tui.screen import settled, shows

SMALL = (80, 24)
EVERYONE_LEFT = "p0,p1,p2,p3,p4"


async def run_schedule(pilot, app, schedule: str) -> None:
    await asyncio.to_thread(app.session.run_schedule, schedule, 30)
    await settled(pilot, app)


async def test_a_long_cycle_is_on_screen_in_full(app_on):
    app = app_on(example("dining-philosophers"), "thread")
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot, app)
        await run_schedule(pilot, app, f"{EVERYONE_LEFT},{EVERYONE_LEFT}")
        await pilot.pause(0.3)  # (a toast, if any, has come)
        cycle = " → ".join(f"p{i} → forks[{(i + 1) % 5}]" for i in range(5)) + " → p0"
        assert shows(app, f"DEADLOCK: {cycle}")
        assert "DEADLOCK" in app.sub_title


async def test_who_is_stuck_on_what_a_dead_worker_held_is_on_screen_in_full(app_on):
    app = app_on(example("lock-contention"), "process")
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot, app)
        await pilot.press("1", "k", "1")  # w0 takes the lock, and is killed holding it
        for _ in range(100):
            await asyncio.sleep(0.02)
            if app.session.snapshot().worker("w0").state == "killed":
                break
        await pilot.press("2", "3")
        await settled(pilot, app)
        waits = app.session.verdict().waits
        assert app.session.verdict().kind == "stuck" and len(waits) == 2
        for said in waits:
            assert shows(app, f"STUCK: {said}"), said
        assert shows(app, "r restarts with fresh primitives")


async def test_toasts_leave_the_newest_lines_of_the_trace_in_view(app_on):
    app = app_on(example("lock-contention"), "process")
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settled(pilot, app)
        await pilot.press("1", "k", "1")
        for _ in range(100):
            await asyncio.sleep(0.02)
            if app.session.snapshot().worker("w0").state == "killed":
                break
        await pilot.press("2")  # w1 blocks behind the dead holder
        await settled(pilot, app)
        await pilot.press("2")  # and a toast says so
        await pilot.pause(0.3)
        toasts = list(app.screen.query(Toast))
        assert len(toasts) == 1  # one at a time: the newest
        code = app.code_pane  # and the first line with a worker's name on it
        row = code._rows.index(min(code._markers)) - round(code.scroll_y)
        marked = Region(code.content_region.x, code.content_region.y + row, code.size.width, 1)
        kept = [app.trace_pane.region, app.verdict_bar.region, marked]  # what just happened
        assert app.verdict_bar.lines  # (w1 is stuck)
        assert not any(toast.region.overlaps(region) for toast in toasts for region in kept)
        assert shows(app, "killed", app.trace_pane)
        assert shows(app, "w1 is blocked on lock: it moves when that lets it go.")


async def test_the_help_shows_every_key_and_the_legend_and_scrolls_on_a_smaller_screen(app_on):
    ends = ["command palette: every scenario and every action", "quit (every worker is stopped)"]
    legend = "✂ cut off (a daemon)"
    app = app_on(example("lock-contention"), "thread")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert all(shows(app, what) for what in [*ends, legend])
    app = app_on(example("lock-contention"), "thread")
    async with app.run_test(size=(80, 14)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert not shows(app, legend)
        await pilot.press("end")
        await pilot.pause()
        assert all(shows(app, what) for what in [*ends, legend])
        await pilot.press("home")
        await pilot.pause()
        assert shows(app, "play / pause") and not shows(app, legend)


async def test_the_key_bar_keeps_help_and_quit(app_on):
    app = app_on(example("lock-contention"), "thread")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        assert shows(app, "? Help", footer) and shows(app, "q Quit", footer)
