"""What the app says in words: toasts for keys that do nothing here, and the panes' wording."""

import asyncio

from ipc_tui.engine import TraceEvent
from ipc_tui.present import what_happened
from tests.conftest import example
from tests.tui.screen import settled


def said(app) -> list[str]:
    return list(app.said)


async def test_0_and_a_digit_past_the_last_row_say_what_the_digits_do(app_on):
    app = app_on(example("lock-contention"), "thread")
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot, app)
        await pilot.press("0")
        await pilot.pause()
        assert said(app) == ["0 steps nobody; 1-3 step the workers."]
        await pilot.press("k", "7")
        await pilot.pause()
        assert said(app)[-1] == "7 kills nobody; 1-3 kill the workers."
        await settled(pilot, app)
        assert all(w.steps == 0 for w in app.session.snapshot().workers)


async def test_the_play_speed_is_said_in_good_english(app_on):
    app = app_on(example("lock-contention"), "thread")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("minus")
        await pilot.pause()
        assert said(app)[-1] == "Play speed: 1 step a second."
        await pilot.press("minus")
        await pilot.pause()
        assert said(app)[-1] == "Play speed: 0.5 steps a second."


async def test_a_semaphore_that_started_at_0_says_so(app_on):
    app = app_on(example("producer-consumer"), "thread")
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot, app)
        await asyncio.to_thread(app.session.run_schedule, "producer*")
        await settled(pilot, app)
        views = {view.sem_name: view for view in app.semaphores_pane.views}
        assert str(views["items"].text.content).startswith("items 3 (started at 0) ")
        assert str(views["slots"].text.content).startswith("slots 0 (started at 3) ")


def test_a_summary_of_steps_run_free_names_no_line_0():
    summary = TraceEvent(1.0, "w0", 40, "summary", "release", "lock", None, None, None, 36, 0)
    assert what_happened(summary).plain == "release lock  (running free: 36 steps up to this one)"


async def test_a_worker_in_a_deadlock_is_said_to_wait_for_ever_not_until_let_go(app_on):
    app = app_on(example("deadlock"), "thread")
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot, app)
        for key in "1212":
            await pilot.press(key)
            await settled(pilot, app)
        await pilot.press("1")
        await pilot.pause()
        assert said(app)[-1] == "w0 is blocked on b: it never will (the bar below)."


def test_a_join_says_whether_the_worker_ended_not_a_value_join_never_returns():
    def join(ended):
        return TraceEvent(1.0, "main", 3, "step", "join", "w0", None, None, None, ended, 9)

    assert what_happened(join(True)).plain == "join w0  (ended)  line 9"
    assert what_happened(join(False)).plain == "join w0  (still alive)  line 9"


def test_a_worker_blocked_now_counts_the_wait_going_on():
    """The Workers pane counts the wait that has not ended yet, as headless does (it showed
    nothing for a deadlocked worker, which had waited for ever)."""
    from ipc_tui.engine.snapshot import State, WorkerState
    from ipc_tui.tui.workers import worker_line

    blocked = WorkerState(
        "w1", "thread", State.BLOCKED, "lock", "acquire lock", "f.py", 3, 1, False,
        None, None, True, None, None, "f", waited=0.5, blocked_for=1.25,
    )  # fmt: skip
    assert "waited 1.75s" in worker_line(2, blocked).plain
    ready = WorkerState(
        "w0", "thread", State.READY, None, "read x", "f.py", 3, 1, False,
        None, None, True, None, None, "f",
    )  # fmt: skip
    assert "waited" not in worker_line(1, ready).plain
