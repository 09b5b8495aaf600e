"""The Queues pane, on real sessions at 80x24: only when the program has a queue, a pipe, a
condition or a barrier; its items in order while stepping, and, running free (counted, not
reported), the honest word that ipc-tui does not know which items are in transit."""

import asyncio

from tests.tui.screen import settled, shows

SMALL = (80, 24)


async def test_the_pane_shows_only_when_the_program_has_a_queue(app_on):
    app = app_on("semaphore", "process")
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot, app)
        await asyncio.to_thread(app.session.run_schedule, "MainThreadx4,w0", 30)
        await settled(pilot, app)
        assert not app.queues_pane.display
    app = app_on("message-queue", "process")
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot, app)
        assert app.queues_pane.display and app.queues_pane.border_title == "Queues"
        assert shows(app, "jobs Queue 0/2 empty", app.queues_pane)


async def test_running_free_the_pane_says_the_items_are_not_known_and_why(app_on, tmp_path):
    path = tmp_path / "left.py"
    path.write_text(
        "from multiprocessing import Queue\n\n"
        "if __name__ == '__main__':\n"
        "    q = Queue()\n"
        "    for item in range(3):\n"
        "        q.put(item)\n"
        "    for _ in range(500):  # (long enough for the flags to come: summaries)\n"
        "        q.put('x')\n"
        "        q.get()\n"
    )
    app = app_on(str(path), summary=True)
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot, app)
        await asyncio.to_thread(app.session.run_schedule, "MainThreadx2", 30)
        await settled(pilot, app)
        assert shows(app, "in transit: 0 · 1", app.queues_pane)  # stepped: known
        await pilot.press("f")  # running free: steps are counted, not reported
        for _ in range(200):
            if app.session.finished():
                break
            await asyncio.sleep(0.05)
        app.sample()
        await pilot.pause()
        jobs = app.session.snapshot().queue("q")
        assert (jobs.size, jobs.items) == (3, None) and "running free" in jobs.unknown
        assert shows(app, "3 in transit: which, not known (running free", app.queues_pane)


async def test_ipc_compares_picture_is_watched_and_says_so(app_on):
    app = app_on("ipc-compare", variant="picture")
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot, app)
        await asyncio.to_thread(app.session.run_schedule, "MainThreadx2,pipe-sender*", 30)
        await settled(pilot, app)
        assert "unwatched" not in app.sub_title and "variant picture" in app.sub_title
        assert not app.main_box.has_class("-unwatched")
        assert shows(app, "receiving_end ← sending_end", app.queues_pane)
        assert app.queues_pane.border_title == "Queues and Pipes"
    app = app_on("ipc-compare")
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot, app)
        assert "unwatched" in app.sub_title and app.main_box.has_class("-unwatched")
