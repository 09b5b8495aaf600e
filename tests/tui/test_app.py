"""The app on real sessions: keys drive real workers, the panes show what really happened."""

import asyncio
import gc
import io

import pytest
from rich.console import Console
from textual.widgets._footer import FooterKey

from ipc_tui.engine import Session, TraceEvent, find_scenario, open_session
from ipc_tui.tui import trace
from ipc_tui.tui.app import IpcApp
from ipc_tui.tui.help import HelpScreen, TracebackScreen
from ipc_tui.tui.locks import LocksPane
from ipc_tui.tui.memory import MemoryPane
from ipc_tui.tui.picker import PickerScreen
from ipc_tui.tui.results import ResultsPane
from ipc_tui.tui.trace import LINE_CACHE, Timeline, TraceLog, TracePane
from ipc_tui.tui.workers import WorkersPane
from tests.conftest import MODES, example, gone
from tests.sources import COUNTING, LOOPS, PARTIAL_DEADLOCK, RAISES
from tests.tui.screen import settled, shows


def text_of(widget) -> str:
    content = widget.content
    text = content.plain if hasattr(content, "plain") else str(content)
    return text.replace("\xa0", " ")  # (no-break spaces read as spaces)


def workers_text(app) -> str:
    return "\n".join(text_of(row) for row in app.query_one(WorkersPane).query(".worker-row"))


@pytest.mark.parametrize("mode", MODES)
async def test_keys_make_an_update_get_lost_and_the_memory_pane_shows_it(app_on, mode):
    app = app_on(example("race-condition"), mode)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot, app)
        await pilot.press("1", "2", "1", "2")
        await settled(pilot, app)
        assert app.session.snapshot().cell("counter").value == 1
        memory = text_of(app.query_one(MemoryPane))
        assert "counter  1 " in memory and "was 1" in memory  # w1 wrote 1 over w0's 1
        assert workers_text(app).count("ready") == 2
        pids = [w.pid for w in app.session.snapshot().workers]
        await pilot.press("q")
    await asyncio.sleep(0)
    if mode == "process":
        assert all(gone(pid) for pid in pids)


async def test_the_code_pane_shows_each_worker_on_the_line_it_runs_next(app_on):
    app = app_on(example("lock-contention"), "thread")
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.code_pane

        def line_of(worker: str) -> int:
            """The code line whose gutter shows `worker`, as drawn."""
            names = text_of(pane.names).split("\n")
            rows = [i for i, names_here in enumerate(names) if worker in names_here.split()]
            assert len(rows) == 1, names
            # the column is drawn at its full size, beside the code's lines
            assert pane.names.size.height == pane.text.size.height == len(names)
            return int(text_of(pane.text).split("\n")[rows[0]].lstrip("▌ ").split()[0])

        await settled(pilot, app)
        assert line_of("w0") == line_of("w1") == 31  # with lock:
        await pilot.press("1")
        await settled(pilot, app)
        assert line_of("w0") == 32 and line_of("w1") == 31  # total.value += 1
        await pilot.press("1", "1", "1")
        await settled(pilot, app)
        assert line_of("w0") == 31  # the next time round


@pytest.mark.parametrize("mode", MODES)
async def test_the_locks_pane_shows_the_holder_and_the_queue(app_on, mode):
    app = app_on(example("lock-contention"), mode)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot, app)
        await pilot.press("1", "3", "2")
        await settled(pilot, app)
        locks = app.query_one(LocksPane)  # at 80 columns, a table: lock, held by, waiting
        assert shows(app, "lock held by waiting lock ● w0 w2 → w1", locks)
        assert "blocked on lock" in workers_text(app)


async def test_clicking_a_worker_row_steps_it(app_on):
    app = app_on(example("race-condition"), "thread")
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot, app)
        await pilot.click(app.workers_pane.rows[1])
        await settled(pilot, app)
        assert [w.steps for w in app.session.snapshot().workers] == [0, 1]


async def test_a_failed_worker_row_opens_its_traceback(app_on, scenario_file):
    app = app_on(scenario_file(RAISES), "thread")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f")
        for _ in range(200):
            if app.session.finished():
                break
            await pilot.pause(0.02)
        app.sample()
        await pilot.pause()
        await pilot.click(app.workers_pane.rows[0])
        await pilot.pause()
        assert isinstance(app.screen, TracebackScreen)
        assert "KeyError" in app.screen.error


async def test_keys_answer_while_every_worker_runs_free(app_on, scenario_file):
    path = scenario_file(
        """
        from ipc_tui.scenario import Process, Value
        n = Value("i", 0)
        def count():
            for _ in range(10_000_000):
                n.value += 1
        for _ in range(3):
            Process(target=count)
        """
    )
    app = app_on(path, "process")
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot, app)
        await pilot.press("f")
        await pilot.pause(0.3)
        await pilot.press("t")  # a key while three processes run flat out
        await pilot.pause()
        assert app.query_one(TracePane).showing_timeline
        assert app.session.snapshot().running_free
        await pilot.press("space")  # pause
        await settled(pilot, app)
        assert all(w.state == "ready" for w in app.session.snapshot().workers)
        assert "more events" in "\n".join(
            str(line.text) for line in app.query_one("#trace-log").lines
        )


async def test_a_free_run_that_ends_leaves_no_event_out_of_the_trace(
    app_on, scenario_file, monkeypatch
):
    """Running free, the trace is written a few times a second: what came last still shows."""
    monkeypatch.setattr(trace, "FREE_WRITES_PER_SECOND", 0.5)  # the end surely comes between
    app = app_on(scenario_file(COUNTING.format(times=2_000)), "process", summary=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot, app)
        await pilot.press("f")
        assert await asyncio.to_thread(app.session.wait_exited, 20)
        for _ in range(200):  # the sampling timer writes what was kept back (bounded)
            if not app.trace_pane.behind:
                break
            await pilot.pause(0.05)
        lines = [str(line.text) for line in app.query_one("#trace-log").lines]
        assert sum("finished" in line for line in lines) == 2, lines[-10:]


async def test_opening_the_help_again_and_again_leaves_no_old_footer_keys_alive(app_on):
    """Each time the help opens or closes, the footer rebuilds its keys: the old ones must go
    (Textualize/textual#6666 kept every one of them; our Footer drops them)."""
    app = app_on(example("lock-contention"), "thread")
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot, app)
        for _ in range(15):
            await pilot.press("question_mark")
            await pilot.pause()
            await pilot.press("question_mark")
            await pilot.pause()
        gc.collect()
        keys = [o for o in gc.get_objects() if isinstance(o, FooterKey)]
        shown = [key for key in keys if key.is_attached]
        assert shown and len(keys) <= 2 * len(shown), (len(keys), len(shown))


async def test_the_timeline_moves_while_workers_run_free(app_on, scenario_file):
    app = app_on(scenario_file(COUNTING.format(times=20_000)), "process", summary=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot, app)
        await pilot.press("t", "f")
        assert await asyncio.to_thread(app.session.wait_exited, 30)
        for _ in range(100):  # (bounded) until the last events are drawn
            app.sample()
            lanes = text_of(app.query_one("#timeline")).split("\n")
            if all("▒" in lanes[i] for i in (0, 1)):
                break
            await pilot.pause(0.05)
        assert all("▒" in lanes[i] for i in (0, 1)), lanes  # each worker's summaries


def test_the_timeline_draws_who_holds_a_lock_as_the_board_says():
    def event(worker, kind, holding, op="acquire"):
        return TraceEvent(0.0, worker, 1, kind, op, "lock", None, None, None, True, 1, holding)

    timeline = Timeline()
    timeline.add(event("w0", "step", ("w0",)))  # w0 takes the lock, step by step
    assert timeline.columns[-1]["w0"] == ("█", "magenta")
    timeline.add(event("w0", "summary", (), "release"))  # then runs free: it let it go
    timeline.add(event("w1", "step", (), "read"))
    assert "w0" not in timeline.columns[-1]  # not "─ holds a lock"
    timeline.add(event("w0", "summary", ("w0",)))  # running free, and holding it now
    timeline.add(event("w1", "step", ("w0",), "read"))
    assert timeline.columns[-1]["w0"] == ("─", "magenta")


def test_the_trace_keeps_a_few_screens_of_rendered_lines():
    """TraceLog replaces RichLog's private line cache (Textual is pinned): if a new Textual
    renames it, this fails instead of the app's memory quietly growing again."""
    log = TraceLog()
    assert log._line_cache.maxsize == LINE_CACHE


async def test_play_steps_on_its_own_and_space_pauses(app_on):
    app = app_on(example("lock-contention"), "thread")
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot, app)
        await pilot.press("plus", "plus", "plus", "space")  # 16 steps a second
        for _ in range(300):
            if sum(w.steps for w in app.session.snapshot().workers) >= 3:
                break
            await pilot.pause(0.02)
        await pilot.press("space")
        assert not app.session.playing
        assert sum(w.steps for w in app.session.snapshot().workers) >= 3


async def test_restart_switch_mode_and_next_scenario(app_on):
    app = app_on(example("race-condition"), "process")
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot, app)
        await pilot.press("1", "1")
        await settled(pilot, app)
        assert app.session.snapshot().cell("counter").value == 1
        await pilot.press("r")
        await settled(pilot, app)
        assert app.session.snapshot().cell("counter").value == 0
        await pilot.press("m")
        await settled(pilot, app)
        assert app.session.mode == "thread" and app.session.info.name == "race-condition"
        names = [info.name for info in app.scenarios]
        at = names.index("race-condition")
        await pilot.press("right_square_bracket")
        await settled(pilot, app)
        assert app.session.info.name == names[(at + 1) % len(names)]  # the next one by name
        assert app.session.mode == "thread"
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settled(pilot, app)
        assert app.session.info.name == names[at - 1]


async def test_the_picker_opens_a_scenario_and_help_opens_and_closes():
    app = IpcApp(None)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, PickerScreen)
            await pilot.press("down", "enter")  # the second one
            await pilot.pause()
            second = app.scenarios[1].name
            assert app.session.info.name == second
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, HelpScreen)
            await pilot.press("question_mark")  # built once, opened again
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("question_mark")
            await pilot.pause()
            assert not isinstance(app.screen, HelpScreen)
            await pilot.press("s", "escape")
            await pilot.pause()
            assert app.session.info.name == second
    finally:
        app.close_session()


async def test_the_picker_filters_as_you_type():
    app = IpcApp(None)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            picker = app.screen
            assert isinstance(picker, PickerScreen)
            await pilot.press(*"dead")
            await pilot.pause()
            assert [i.name for i in picker.shown] == ["deadlock", "dining-philosophers"]
            assert picker.query_one("#picker").option_count == 2  # what is drawn: those two
            await pilot.press(*"lock q")  # every word counts; q is typed, it does not quit
            await pilot.pause()
            assert picker.shown == [] and app.return_code is None
            await pilot.press("enter")  # nothing to open
            await pilot.pause()
            assert app.screen is picker
            await pilot.press("escape")  # clears what was typed
            await pilot.pause()
            assert len(picker.shown) == len(app.scenarios)
            await pilot.press(*"sema", "enter")
            await pilot.pause()
            assert app.session.info.name == "semaphore"
    finally:
        app.close_session()


async def test_the_command_palette_opens_any_scenario(app_on):
    app = app_on(example("race-condition"), "thread")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Open scenario: event")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.info.name == "event"


async def test_the_lesson_pane_speaks_the_chosen_language():
    app = IpcApp(Session(find_scenario(example("semaphore")), "thread"), lang="zh")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert "信号量" in str(app.lesson_pane.text.content)
    finally:
        app.close_session()


async def test_the_results_pane_fills_in_what_a_measuring_program_measured():
    def shown(app) -> str:
        console = Console(width=100, record=True, file=io.StringIO())
        for _, view in app.query_one(ResultsPane).tables.values():
            console.print(view.content)
        return console.export_text()

    app = IpcApp(open_session(find_scenario("ipc-compare"), quick=True))
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settled(pilot, app)
            assert "unwatched" in app.sub_title  # it measures: run as plain python runs it
            assert not app.session.snapshot().tables  # (nothing printed yet: it waits for a key)
            await pilot.press("n")  # one step of main: the whole program, its table printed
            for _ in range(1200):
                if app.session.finished():
                    break
                await asyncio.sleep(0.05)
            await settled(pilot, app)
            rows = app.session.snapshot().table("pipe, queue, shared memory").rows
            assert [row[0] for row in rows] == ["Pipe", "Queue", "Value", "Array ×100"]
            assert app.query_one(ResultsPane).display
            assert "both ends · normal" in shown(app) and f"{rows[0][2]:,}" in shown(app)
            await pilot.press("q")
    finally:
        app.close_session()


async def test_k_kills_a_process_the_lock_stays_taken_and_r_recovers(app_on):
    app = app_on(example("lock-contention"), "process")
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot, app)
        await pilot.press("1")  # w0 takes the lock
        await settled(pilot, app)
        await pilot.press("k", "1")
        for _ in range(100):
            await asyncio.sleep(0.02)
            if app.session.snapshot().worker("w0").state == "killed":
                break
        await pilot.press("2")  # w1 blocks behind the dead holder
        await settled(pilot, app)
        assert "w0 ☠ killed SIGKILL" in workers_text(app)
        assert "● w0 (dead)" in text_of(app.query_one(LocksPane))
        # w2 could still release it (any worker may release a Lock): likely, not certain
        assert app.sub_title == "processes · LIKELY STUCK ↓"
        assert app.verdict_bar.lines[0].startswith(
            "LIKELY STUCK: w1 waits for lock, a lock held by w0, which is dead"
        )
        await pilot.press("3")  # and now nobody can
        await settled(pilot, app)
        assert app.sub_title == "processes · STUCK ↓"
        assert app.verdict_bar.lines[0].startswith(
            "STUCK: w1 waits for lock, a lock held by w0, which is dead"
        )
        assert "r restarts with fresh primitives" in app.verdict_bar.lines
        await pilot.press("r")
        await settled(pilot, app)
        assert workers_text(app).count("ready") == 3
        assert "○ free" in text_of(app.query_one(LocksPane))


async def test_k_on_a_thread_says_it_cannot_be_killed(app_on):
    app = app_on(example("lock-contention"), "thread")
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot, app)
        await pilot.press("k", "1")
        await pilot.pause()
        said = list(app.said)
        assert any("w0 is a thread: Python cannot kill one thread" in m for m in said), said
        assert app.session.snapshot().worker("w0").state == "ready"


@pytest.mark.parametrize("mode", MODES)
async def test_a_worker_looping_without_steps_freezes_nothing(app_on, scenario_file, mode):
    app = IpcApp(Session(find_scenario(scenario_file(LOOPS)), mode))
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settled(pilot, app)
            await pilot.press("1")  # w0's write, then its endless loop
            for _ in range(150):
                await asyncio.sleep(0.02)
                if app.session.snapshot().worker("w0").busy >= 2:
                    break
            app.sample()
            await pilot.pause()
            assert "s, no step" in workers_text(app)  # running 2s (or more), no step
            for _ in range(6):  # w1 still steps, key by key
                await pilot.press("2")
                for _ in range(100):
                    await asyncio.sleep(0.01)
                    if app.session.snapshot().worker("w1").state != "running":
                        break
            assert app.session.snapshot().worker("w1").state == "done"
            await pilot.press("q")
    finally:
        app.close_session()


async def test_a_cycle_is_named_in_the_verdict_bar_while_another_worker_still_runs(scenario_file):
    app = IpcApp(Session(find_scenario(scenario_file(PARTIAL_DEADLOCK)), "thread"))
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settled(pilot, app)
            await pilot.press("1", "2", "1", "2", "3")
            await settled(pilot, app)
            assert app.session.snapshot().worker("w2").live  # the bystander carries on
            assert app.sub_title == "threads · LIKELY DEADLOCK ↓"
            assert app.verdict_bar.lines[0].startswith("LIKELY DEADLOCK: w0 → b → w1 → a → w0 (")
    finally:
        app.close_session()


@pytest.mark.parametrize("mode", MODES)
async def test_a_full_buffer_is_not_called_a_deadlock_while_the_consumer_is_ready(app_on, mode):
    app = app_on(example("producer-consumer"), mode)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot, app)
        await pilot.press(*["1"] * 30)  # the lesson's "producer*": fill the buffer, then block
        await settled(pilot, app)
        snap = app.session.snapshot()
        assert snap.worker("producer").blocked_on == "slots"
        assert "DEADLOCK" not in app.sub_title and "paused" in app.sub_title
        assert not app.verdict_bar.lines  # nor does the bar
        semaphores = app.query_one("#semaphores")
        shown = "\n".join(text_of(t) for t in semaphores.query(".sem-text"))
        assert "taken by: producer ×3" in shown  # the three places it filled
        await pilot.press(*"2" * 11)  # the consumer takes an item, and releases its place...
        await settled(pilot, app)
        assert app.session.snapshot().worker("producer").state != "blocked"  # ...so it goes on
        await pilot.press("q")


async def test_a_process_that_ends_after_its_last_report_is_redrawn_not_alive(scenario_file):
    # The worker says it has finished, then its process lingers (a real non-daemon thread keeps
    # it up for a moment): the row said "alive" then, and must not once the process is gone.
    path = scenario_file(
        """
        import threading
        import time
        from ipc_tui.scenario import Process, Value
        n = Value("i", 0)

        def work():
            n.value = 1
            threading.Thread(target=time.sleep, args=(0.5,)).start()

        Process(target=work)
        """
    )
    app = IpcApp(Session(find_scenario(path), "process"))
    try:
        async with app.run_test(size=(200, 60)) as pilot:
            await settled(pilot, app)
            await pilot.press("1")
            await settled(pilot, app)
            assert app.session.snapshot().worker("w0").state == "done"
            assert "alive" in workers_text(app)  # finished, and its process still there
            assert await asyncio.to_thread(app.session.wait_exited, 10)
            app.sample()
            await pilot.pause()
            assert "alive" not in workers_text(app), workers_text(app)
    finally:
        app.close_session()


@pytest.mark.parametrize("mode", MODES)
async def test_after_a_free_run_the_memory_pane_shows_no_stale_was(app_on, mode):
    app = app_on(
        example("race-condition"), mode, summary=True
    )  # as the app runs: summaries running free
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot, app)
        await pilot.press("1", "2", "1", "2")
        await settled(pilot, app)
        assert "was 1" in text_of(app.query_one(MemoryPane))  # a stepped write: known
        await pilot.press("f")
        assert await asyncio.to_thread(app.session.wait_settled, 10)
        assert app.session.finished()
        app.sample()
        await pilot.pause()
        memory = text_of(app.query_one(MemoryPane))
        final = app.session.snapshot().cell("counter").value
        assert memory.split() == ["counter", str(final)], memory
        # What it held before its last change is not known from a summary: nothing, not "was 1"
        assert "was" not in memory, memory


@pytest.mark.parametrize("mode", MODES)
async def test_when_the_run_ends_the_lost_update_is_named(app_on, mode):
    app = app_on(example("race-condition"), mode, summary=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot, app)
        await pilot.press("1", "2", "1", "2", *"1111", *"2222")  # then one after the other
        assert await asyncio.to_thread(app.session.wait_settled, 10)
        assert await asyncio.to_thread(app.session.wait_checked, 10)
        app.sample()
        await pilot.pause()
        assert app.sub_title.endswith("finished · NOT AS EXPECTED ↓")
        lost = "NOT AS EXPECTED: counter is 5, expected 6: 1 update(s) lost"
        assert app.verdict_bar.lines == (lost,)


async def test_trace_lines_written_behind_the_timeline_are_as_wide_as_the_trace(app_on):
    # (seen trying it: steps taken while the timeline showed came back wrapped at 20 columns)
    app = app_on(example("lock-contention"), "thread")
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot, app)
        await pilot.press("t")
        for key in "123":
            await pilot.press(key)
            await settled(pilot, app)
        await pilot.press("t")
        app.sample()  # the app's timer may come before the log is laid out again (CI did)
        await pilot.pause()
        app.sample()
        await pilot.pause()
        log = app.trace_pane.log_view
        lines = [strip.text.rstrip().replace("\xa0", " ") for strip in log.lines]
        acquire = [x for x in lines if "acquire lock" in x]
        assert len(acquire) == 3 and all("line 31" in x for x in acquire), lines
