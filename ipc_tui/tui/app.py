"""The ipc-tui app: draws what a Session exposes, and drives it from the keyboard.

The UI never gets one message per event: a timer samples the session's snapshot and drains its
event log 20 times a second, whatever the workers do.
"""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.widgets._toast import ToastHolder

from ipc_tui.engine import (
    CannotKill,
    ScenarioError,
    ScenarioInfo,
    Snapshot,
    list_scenarios,
    open_session,
)
from ipc_tui.engine.frontend import SessionView
from ipc_tui.engine.recording import Recorder
from ipc_tui.engine.replay import Replay
from ipc_tui.engine.trace_file import TraceRecorder
from ipc_tui.present import verdict_lines
from ipc_tui.tui.bytecode import BytecodePane
from ipc_tui.tui.code import CodePane
from ipc_tui.tui.commands import IpcCommands, Palette
from ipc_tui.tui.events import EventsPane
from ipc_tui.tui.explore import (
    STOP_SECONDS,
    Exploration,
    ExploreScreen,
    Row,
    explore_key,
    explorer_for,
)
from ipc_tui.tui.footer import Footer
from ipc_tui.tui.help import HelpScreen, TracebackScreen
from ipc_tui.tui.lesson import LessonPane
from ipc_tui.tui.locks import LocksPane
from ipc_tui.tui.memory import MemoryPane
from ipc_tui.tui.picker import PickerScreen
from ipc_tui.tui.queues import QueuesPane, channels_used
from ipc_tui.tui.recording import new_name, row_of, save_run
from ipc_tui.tui.replay import ScheduleBar
from ipc_tui.tui.results import ResultsPane
from ipc_tui.tui.semaphores import SemaphoresPane
from ipc_tui.tui.trace import TracePane
from ipc_tui.tui.verdict import VerdictBar
from ipc_tui.tui.workers import WorkerRow, WorkersPane, first_key

SAMPLE_HZ = 20
RATES = (0.5, 1, 2, 4, 8, 16, 32, 64)


def guards_of(snap: Snapshot) -> set[str]:
    """The names the code gives its locks and semaphores (`lock@Process-1` is `lock` there)."""
    names = {x.name for x in snap.locks} | {x.name for x in snap.semaphores}
    return {name.partition("@")[0].partition("#")[0] for name in names}


def mode_words(mode: str) -> str:
    return {"process": "processes", "thread": "threads"}.get(mode, mode)


SessionFactory = Callable[[ScenarioInfo, "str | None", "str | None"], SessionView]


def _terminal_answers() -> bool:
    """False once the terminal has hung up (even an empty write to it fails then)."""
    try:
        os.write(sys.__stderr__.fileno(), b"")
    except (OSError, ValueError, AttributeError):
        return False
    return True


class MainScreen(Screen):
    """The panes, and the keys that drive the session (the picker and help have their own)."""

    BINDINGS = [
        Binding("space", "app.play_pause", "Play/pause"),
        Binding("n", "app.step_next", "Step"),
        Binding("f", "app.run_free", "Free"),
        Binding("plus", "app.faster", "+", show=False),
        Binding("minus", "app.slower", "-", show=False),
        Binding("k", "app.arm_kill", "Kill", show=False),
        Binding("r", "app.restart", "Restart"),
        Binding("e", "app.explore", "Explore"),
        Binding("m", "app.switch_mode", "Mode"),
        Binding("v", "app.next_variant", "Variant", show=False),
        Binding("t", "app.toggle_timeline", "Timeline"),
        Binding("b", "app.toggle_bytecode", "Bytecode", show=False),
        Binding("i", "app.toggle_grain", "Instructions", show=False),
        Binding("l", "app.toggle_lesson", "Lesson"),
        Binding("pagedown", "app.scroll_lesson(1)", "Lesson: on", show=False, priority=True),
        Binding("pageup", "app.scroll_lesson(-1)", "Lesson: back", show=False, priority=True),
        Binding("left_square_bracket", "app.prev_scenario", "Prev", show=False),
        Binding("right_square_bracket", "app.next_scenario", "Next", show=False),
        Binding("s", "app.picker", "Scenarios"),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.quit", "Quit"),
        Binding("w", "app.save_run", "Save run", show=False),
        Binding("p", "app.save_picture", "Picture", show=False),
        *[
            Binding(str(k), f"app.step_worker({k})", f"Step worker {k}", show=False)
            for k in range(10)  # 0: a program's main thread (else it says what the digits do)
        ],
    ]

    def compose(self) -> ComposeResult:
        app = self.app
        yield Header()
        with app.main_box:
            with VerticalScroll(id="left"):
                yield app.workers_pane
                yield app.memory_pane
                yield app.locks_pane
                yield app.semaphores_pane
                yield app.events_pane
                yield app.queues_pane
                yield app.lesson_pane
            with Vertical(id="right"):
                yield app.results_pane
                yield app.bytecode_pane
                yield app.code_pane
                yield app.trace_pane
        yield app.empty_box
        yield app.schedule_bar
        yield app.verdict_bar
        yield Footer()

    def on_mount(self) -> None:
        self.app.start_up()


def settle_memory() -> None:
    """After the first frame: what the app is made of (widgets, styles, modules) need not be
    scanned again by the garbage collector. A full collection under load took 50-90 ms, a
    frame or two of frozen screen, every few seconds; after this, 15 ms."""
    gc.collect()
    gc.freeze()


class IpcApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "ipc-tui"
    COMMANDS = App.COMMANDS | {IpcCommands}
    # The screen's classes by its size, for app.tcss: 80x24 is -narrow and -short
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide"), (130, "-roomy")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    def __init__(
        self,
        session: SessionView | None = None,
        factory: SessionFactory = open_session,
        scenarios: list[ScenarioInfo] | None = None,
        sample: bool = True,
        lang: str = "en",
        record: str | None = None,
        replay: Replay | None = None,
        argv: tuple[str, ...] = (),
        quick: bool = False,
        tracer: TraceRecorder | None = None,
    ) -> None:
        super().__init__()
        self.record = record  # --record: the run is written there as the app quits
        self.replay = replay  # --replay: its turns are loaded once the scenario is open
        self.recorder = Recorder()  # every event of the session open, for w and --record
        self.run_options = (argv, quick)  # (a recording says what the program was given)
        self.record_error = ""
        self.lang = lang
        self.tracer = tracer  # --trace: what the app saw of the run open now
        self.session = session
        self.factory = factory
        self.scenarios = scenarios if scenarios is not None else list_scenarios()
        self.sampling = sample
        self.rate_index = RATES.index(2)
        self._kill_armed = False  # k was pressed: the next digit kills that worker
        self._drawn: object = None  # the session's changes() when the panes were last drawn
        self._moving = True
        self.leaving = False  # q (or a signal) asked the app to end: actions do nothing now
        self.said: deque[str] = deque(maxlen=50)  # the toasts' messages, newest last
        self.exploration: Exploration | None = None  # the last one (e shows it again)
        self._explorations: list[Exploration] = []  # every one started: each ends with the app
        # The panes, kept at hand: the sampling timer must reach them under any screen.
        self.workers_pane = WorkersPane()
        self.memory_pane = MemoryPane()
        self.locks_pane = LocksPane()
        self.semaphores_pane = SemaphoresPane()
        self.events_pane = EventsPane()
        self.queues_pane = QueuesPane()
        self.lesson_pane = LessonPane()
        self.results_pane = ResultsPane()
        self.code_pane = CodePane()
        self.bytecode_pane = BytecodePane()
        self.trace_pane = TracePane()
        self.verdict_bar = VerdictBar()
        self.schedule_bar = ScheduleBar()  # a schedule the explorer found, loaded: n steps it
        self.main_box = Horizontal(id="main")
        self.empty_box = Static("Press s to pick a scenario, ? for the keys.", id="empty")

    def get_default_screen(self) -> Screen:
        return MainScreen()

    def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            try:
                loop.add_signal_handler(sig, self.leave, sig == signal.SIGHUP)
            except (NotImplementedError, RuntimeError, ValueError):
                pass  # not the main thread (tests), or not supported here

    def start_up(self) -> None:
        """Once the main screen is up: the scenario given, or the picker."""
        if self.session is None:
            self._show_panes(False)
            self.action_picker()
        else:
            self._load(self.session)
            if self.replay is not None:
                self._load_replay(self.replay)
        if self.sampling:
            self.set_interval(1 / SAMPLE_HZ, self.sample)
        self.call_after_refresh(settle_memory)

    def _show_panes(self, shown: bool) -> None:
        self.main_box.display = shown
        self.empty_box.display = not shown

    # -- opening scenarios -----------------------------------------------------------------

    def open_scenario(
        self, info: ScenarioInfo, mode: str | None = None, variant: str | None = None
    ) -> bool:
        """Close the running scenario (every worker ends) and start `info`; False when it
        cannot be opened (the toast says why)."""
        if mode is None and self.session is not None and self.session.mode in info.modes:
            mode = self.session.mode  # keep threads or processes across scenarios
        try:
            session = self.factory(info, mode, variant)
        except ScenarioError as exc:
            self.notify(str(exc), title="Cannot open the scenario", severity="error")
            return False
        self.close_session()
        self._load(session)
        return True

    def _load(self, session: SessionView) -> None:
        replay = self.schedule_bar.replay
        if replay is not None and replay.session is not session:
            self.schedule_bar.drop("")  # (its run has gone)
        self.session = session
        self.recorder = Recorder()
        session.start()
        snap = session.snapshot()
        if self.tracer is not None:
            self.tracer.clear()  # (the file holds the newest run)
        info = session.info
        self.title = info.name  # its title is the Lesson pane's first line; room for the state
        self.code_pane.load(info.source, guards_of(snap))
        self.lesson_pane.load(info, self.lang)
        self.memory_pane.reset()
        self.results_pane.reset()
        self.trace_pane.reset()
        self.semaphores_pane.reset()
        self.memory_pane.display = bool(snap.cells)
        self.locks_pane.display = bool(snap.locks)
        self.semaphores_pane.display = bool(snap.semaphores)
        self.events_pane.display = bool(snap.events)
        self.queues_pane.display = channels_used(snap)
        self.results_pane.display = False  # until the scenario measures something
        self.bytecode_pane.display = False  # (b; a new session steps by operations: i)
        # A program that measures runs unwatched: its tables are what there is to see
        self.main_box.set_class(not getattr(session, "watched", info.watched), "-unwatched")
        self._show_panes(True)
        self._drawn = None
        self.sample()

    def close_session(self) -> None:
        if self.session is not None:
            if self.tracer is not None:  # (what came since the last sample)
                self.tracer.finish(self.session.drain_events())
            self.session.close()

    # -- sampling --------------------------------------------------------------------------

    def sample(self) -> None:
        session = self.session
        if session is None:
            return
        self.schedule_bar.follow()
        stamp = session.changes()
        if stamp == self._drawn and not (stamp is None or self._moving or self.trace_pane.behind):
            return  # nothing to draw: a paused app stays idle
        self._drawn = stamp
        snap = session.snapshot()
        # Running workers show how long they run, and waits count down: draw those anyway.
        self._moving = any(w.state in ("running", "sleeping") for w in snap.workers) or any(
            x.deadline is not None for e in snap.events for x in e.waiters
        )
        events = session.drain_events()
        self.recorder.add(events)
        if self.tracer is not None:
            self.tracer.add(events)
            self.tracer.saw(snap)
        with self.batch_update():
            self.memory_pane.writes(events)
            self.workers_pane.show(snap)
            self.lesson_pane.show_keys([w.name for w in snap.workers])
            if session.info.program:  # its locks come as it makes them
                self.code_pane.guard(guards_of(snap))
            self.code_pane.show(snap)
            if self.bytecode_pane.display:
                self.bytecode_pane.show(snap, session)
            self.results_pane.display = bool(snap.tables)
            for pane, used in (
                (self.results_pane, snap.tables),
                (self.memory_pane, snap.cells),
                (self.locks_pane, snap.locks),
                (self.semaphores_pane, snap.semaphores),
                (self.events_pane, snap.events),
                (self.queues_pane, channels_used(snap)),
            ):
                if used:
                    pane.display = True  # (a program makes its primitives as it runs)
                    pane.show(snap)
            self.trace_pane.add(events, snap.running_free)
            self.trace_pane.show(snap)
            verdicts = self.verdicts(snap)
            self.verdict_bar.show(verdicts)
            self.sub_title = self.status(snap, verdicts)

    def verdicts(self, snap: Snapshot) -> list[str]:
        """What the run has come to, in full, for the verdict bar: one line each, `WORD: what`
        (the header shows the first WORD), as headless says it too (present.verdict_lines).
        Empty while the workers can still move."""
        lines = verdict_lines(snap.verdict, snap.checked)
        if snap.verdict.gone and snap.verdict.kind in ("stuck", "likely"):
            lines.append("r restarts with fresh primitives")
        return lines

    def status(self, snap: Snapshot, verdicts: list[str]) -> str:
        """The header's line: mode, variant, and the state in a few words."""
        session = self.session
        below = f"{verdicts[0].partition(':')[0]} ↓" if verdicts else ""  # (in the bar below)
        if snap.verdict.kind == "running" and not any(w.live for w in snap.workers):
            state = "starting" if not snap.workers else "ending"  # (a program, between workers)
        elif not any(w.live for w in snap.workers):
            failed = [w.name for w in snap.workers if w.state == "failed"]
            state = f"finished, {', '.join(failed)} failed" if failed else "finished"
            state += f" · {below}" if below else ""
        elif below:
            state = below
        elif snap.running_free:
            state = "running free"
        elif session.playing:
            state = f"playing, {RATES[self.rate_index]:g} steps/s"
        else:
            state = "paused"  # (the key bar says how to step and play)
        mode = mode_words(session.mode)
        if getattr(session, "swapped", False):  # a built-in scenario run the other way
            mode = f"{mode} (swapped)"
        method = getattr(session, "method", None)  # a program's start method
        if method and session.mode != "thread":
            mode = f"{mode} · {method}"
        if session.grain:
            mode = f"{mode} · by instruction"  # (i: a step is one bytecode instruction)
        if not getattr(session, "watched", session.info.watched):
            mode = f"{mode} · unwatched"  # a program that measures: run as plain python runs it
        # ("variant": deadlock's variant "deadlock" must not read as a verdict)
        variant = f" · variant {session.variant}" if session.variant else ""
        return f"{mode}{variant} · {state}"

    # -- actions ---------------------------------------------------------------------------

    def action_step_next(self) -> None:
        if self.session is None:
            return
        if self.schedule_bar.take():
            return  # (the loaded schedule's next step: the bar says whose)
        if self.session.step() is None:
            self.notify("No worker is ready to step.", timeout=2)

    def action_step_worker(self, key: int) -> None:
        if self.session is None:
            return
        workers = self.session.snapshot().workers
        armed, self._kill_armed = self._kill_armed, False
        first = first_key([w.name for w in workers])  # (0: a program's main thread)
        last = min(9, len(workers) - 1 + first)
        if not first <= key <= last:  # a row nobody is in: say what the digits do
            rows = str(first) if last == first else f"{first}-{last}"
            verb = "kill" if armed else "step"
            self.notify(f"{key} {verb}s nobody; {rows} {verb} the workers.", timeout=3)
            return
        if armed:
            self.kill(workers[key - first].name)  # (its toast replaces the question's)
        else:
            self.bytecode_pane.selected = workers[key - first].name  # (shown first there)
            self.step(workers[key - first].name)

    def action_arm_kill(self) -> None:
        if self.session is None:
            return
        self._kill_armed = True
        self.notify("Kill which worker? Press its number.", timeout=3)

    def notify(self, message: str, **kwargs: Any) -> None:
        """One toast at a time: a new one replaces the one before (stacked, they would reach
        down over the code's marked lines). The old ones go with their holders: Textual's
        clearing leaves each holder behind, and the next toast below it (`ToastHolder` is
        Textual's own). What was said is kept in `said`, for whoever asks (the tests)."""
        self.said.append(message)
        for holder in self.screen.query(ToastHolder):
            holder.remove()
        self.clear_notifications()
        super().notify(message, **kwargs)

    def kill(self, name: str) -> None:
        try:
            self.session.kill(name)
        except CannotKill as exc:  # (what follows its first clause would take two more lines)
            self.notify(str(exc).split(" (")[0] + ".", severity="warning")
        else:
            self.schedule_bar.drop(f"{name} was killed")
            self.notify(f"{name} killed (SIGKILL): it released nothing it held.", timeout=4)

    def step(self, name: str) -> None:
        if self.schedule_bar.by_hand(name):
            return  # the loaded schedule's own next step, by its key
        if self.session.step(name) is None:
            snap = self.session.snapshot()
            w = snap.worker(name)
            if w.state == "failed" and w.error:  # its key, like its row, shows why
                self.push_screen(TracebackScreen(w.name, w.error))
                return
            waits = snap.verdict.certain and any(
                x.startswith(f"{name} waits") for x in snap.verdict.waits
            )
            moves = "it never will (the bar below)" if waits else "it moves when that lets it go"
            why = {
                "blocked": f"is blocked on {w.blocked_on}: {moves}",
                "new": "is not started yet",
                "running": "is in the middle of a step",
                "sleeping": "is sleeping",
                "done": "has ended",
                "killed": "was killed",
                "cut off": "was cut off (a daemon, at the program's end)",
            }.get(w.state, f"is {w.state}")
            self.notify(f"{name} {why}.", timeout=2)

    def on_worker_row_clicked(self, message: WorkerRow.Clicked) -> None:
        if self.session is None:
            return
        w = self.session.snapshot().worker(message.worker)
        if w.state == "failed" and w.error:
            self.push_screen(TracebackScreen(w.name, w.error))
        else:
            self.step(message.worker)

    def action_play_pause(self) -> None:
        if self.session is None:
            return
        if self.session.playing or self.session.snapshot().running_free:
            self.session.pause()
        else:
            self.schedule_bar.drop("playing, the next ready worker steps")
            self.session.play(RATES[self.rate_index])

    def action_run_free(self) -> None:
        if self.session is not None:
            self.schedule_bar.drop("running free")
            self.session.run()

    def _set_rate(self, change: int) -> None:
        self.rate_index = max(0, min(len(RATES) - 1, self.rate_index + change))
        if self.session is not None:
            self.session.set_rate(RATES[self.rate_index])
        rate = RATES[self.rate_index]
        self.notify(f"Play speed: {rate:g} step{'' if rate == 1 else 's'} a second.", timeout=1.5)

    def action_faster(self) -> None:
        self._set_rate(+1)

    def action_slower(self) -> None:
        self._set_rate(-1)

    def action_restart(self) -> None:
        if self.session is not None:
            self.schedule_bar.drop("the scenario restarted (e: the outcomes again)")
            self.open_scenario(self.session.info, self.session.mode, self.session.variant)

    # -- exploring ---------------------------------------------------------------------------

    def action_explore(self) -> None:
        """The Explore pane: every outcome of the program as it is open now (a finished
        exploration of it is shown again, not run again)."""
        session = self.session
        if session is None:
            return
        key = explore_key(session)
        found = self.exploration
        if found is None or found.key != key or not found.latest.finished:
            try:
                found = Exploration(explorer_for(session), key)
            except ScenarioError as exc:
                self.notify(str(exc), timeout=4)
                return
            self.exploration = found
            self._explorations = [x for x in self._explorations if x.running] + [found]
            found.start()
        variant = f" · variant {session.variant}" if session.variant else ""
        title = f"{session.info.name} · {mode_words(session.mode)}{variant}"
        self.push_screen(ExploreScreen(found, title), self.load_schedule)

    def load_schedule(self, row: Row | None) -> None:
        """An outcome picked in the Explore pane: the scenario restarts, paused at its
        first step, with that outcome's schedule loaded for n."""
        session = self.session
        if row is None or session is None:
            return
        self.schedule_bar.drop("")
        if self.open_scenario(session.info, session.mode, session.variant):
            self.schedule_bar.load(self.session, row)

    # -- recordings and pictures ---------------------------------------------------------

    def _load_replay(self, replay: Replay) -> None:
        if replay.note:
            self.notify(replay.note, timeout=8)
        if replay.schedule_text:
            self.schedule_bar.load(self.session, row_of(replay), replay.hand_offs)
        if replay.first_kill is not None:
            steps, worker = replay.first_kill
            self.notify(
                f"The recording killed {worker} after step {steps}: the steps up to there are "
                f"loaded; then k and {worker}'s number do the same.",
                timeout=10,
            )
        elif replay.ran_free_after is not None:
            self.notify(
                f"The recording ran free after step {replay.ran_free_after}: its steps from "
                "there are not in order (f runs free as it did).",
                timeout=8,
            )

    def action_save_run(self) -> None:
        """w: the run so far, written down (to --record's file, or a new one here)."""
        session = self.session
        if session is None:
            return
        path = self.record or new_name(session.info.name, ".json")
        try:
            save_run(session, self.recorder, path, *self.run_options)
        except ScenarioError as exc:
            self.notify(str(exc), title="Cannot save the run", severity="error")
            return
        self.notify(f"Saved the run to {path} (ipc-tui --replay {path} opens it)", timeout=6)

    def action_save_picture(self) -> None:
        """p: the screen as an SVG file in the current folder (for slides and handouts),
        without the notices on it."""
        self.clear_notifications()
        self.call_after_refresh(self._save_picture)

    def _save_picture(self) -> None:
        name = self.session.info.name if self.session is not None else "picker"
        try:
            path = self.save_screenshot(new_name(name, ".svg"), path=".")
        except OSError as exc:
            self.notify(f"{exc.strerror}", title="Cannot save the picture", severity="error")
            return
        self.notify(f"Saved the screen to {path}", timeout=6)

    def _stop_explorations(self) -> None:
        """Every exploration ends (the run going on too) and its thread is waited for."""
        for exploration in self._explorations:
            exploration.explorer.stop()  # (all asked at once: they end together)
        for exploration in self._explorations:
            exploration.stop(STOP_SECONDS)

    def action_next_variant(self) -> None:
        if self.session is None:
            return
        variants = self.session.info.variants
        if not variants:
            self.notify(f"{self.session.info.name} has no variants.", timeout=2)
            return
        at = variants.index(self.session.variant)
        self.open_scenario(self.session.info, self.session.mode, variants[(at + 1) % len(variants)])

    def action_switch_mode(self) -> None:
        if self.session is None:
            return
        info = self.session.info
        other = "thread" if self.session.mode == "process" else "process"
        if info.program and len(info.modes) < 2:
            self.notify(
                f"{info.name} runs as it is written: its own threads and processes.", timeout=3
            )
            return
        if other not in info.modes:
            self.notify(f"{info.name} runs only in {self.session.mode} mode.", timeout=2)
            return
        self.open_scenario(info, other, self.session.variant)

    def action_toggle_bytecode(self) -> None:
        self.bytecode_pane.display = not self.bytecode_pane.display
        self._drawn = None  # drawn by the next sample

    def action_toggle_grain(self) -> None:
        """A step: one operation (the default), or one bytecode instruction of the program."""
        session = self.session
        if session is None:
            return
        if not session.can_step_instructions:
            self.notify("This scenario steps by operations only.", timeout=3)
            return
        self.schedule_bar.drop("its steps are operations, and a step is now an instruction")
        session.set_grain(0 if session.grain else 1)
        if session.grain:
            self.bytecode_pane.display = True  # (what a step is now is shown there)
        self._drawn = None

    def action_toggle_timeline(self) -> None:
        self.trace_pane.toggle()
        self._drawn = None  # the timeline is drawn by the next sample

    def on_resize(self) -> None:
        self._drawn = None

    def action_toggle_lesson(self) -> None:
        self.lesson_pane.toggle_class("-hidden")

    def action_scroll_lesson(self, pages: int) -> None:
        lesson = self.lesson_pane
        if lesson.has_class("-hidden"):
            lesson.remove_class("-hidden")
        elif pages > 0:
            lesson.scroll_page_down(animate=False)
        else:
            lesson.scroll_page_up(animate=False)

    def _neighbour(self, step: int) -> None:
        names = [i.name for i in self.scenarios]
        current = self.session.info.name if self.session else None
        index = names.index(current) + step if current in names else 0
        self.open_scenario(self.scenarios[index % len(self.scenarios)])

    def action_prev_scenario(self) -> None:
        self._neighbour(-1)

    def action_next_scenario(self) -> None:
        self._neighbour(+1)

    def action_picker(self) -> None:
        current = self.session.info.name if self.session else None

        def picked(info: ScenarioInfo | None) -> None:
            if info is not None:
                self.open_scenario(info)

        self.push_screen(PickerScreen(self.scenarios, current, self.lang), picked)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not Palette.is_open(self):
            self.push_screen(Palette(id="--command-palette"))

    def action_help(self) -> None:
        if not self.is_screen_installed("help"):  # built once: composing it took ~50 ms a time
            self.install_screen(HelpScreen(), "help")
        self.push_screen("help")

    async def action_quit(self) -> None:
        self.exit()

    def exit(self, *args: Any, **kwargs: Any) -> None:
        self.leaving = True
        super().exit(*args, **kwargs)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Keys typed right after q (one burst: `q s`) come in while the app is going: they
        # must not open a screen that will never be composed.
        return not self.leaving

    def leave(self, terminal_gone: bool = False) -> None:
        """A signal asked us to go: SIGTERM, SIGINT, or SIGHUP (the terminal closed)."""
        if terminal_gone and not _terminal_answers():
            # Writes to a hung-up terminal fail, and Textual's shutdown then waits for ever on
            # its output queue (seen here): let them go to /dev/null instead.
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
        # Should the shutdown still hang, the workers end anyway, and so do we.
        watchdog = threading.Timer(3.0, self._force_exit)
        watchdog.daemon = True
        watchdog.start()
        self.exit()

    def _force_exit(self) -> None:
        for exploration in self._explorations:
            exploration.explorer.stop()
        self.close_session()
        os._exit(1)

    def on_unmount(self) -> None:
        for exploration in self._explorations:
            exploration.explorer.stop()
        if self.record and self.session is not None:
            try:
                save_run(self.session, self.recorder, self.record, *self.run_options)
            except ScenarioError as exc:  # (said once the terminal is back: run.py)
                self.record_error = str(exc)
        self.close_session()
        self._stop_explorations()
