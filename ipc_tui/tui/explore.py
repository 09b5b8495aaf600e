"""The Explore pane (e): the program run again and again under chosen schedules, and every
distinct outcome it reaches, filled in as they are found (the explorer: engine/explore.py).
Enter on an outcome closes the pane; the app restarts the scenario and loads that outcome's
schedule, for n to take step by step (tui/replay.py).

The explorer runs in a thread of its own and calls back in that thread after every run. The
callback copies what the pane shows, at most 10 times a second, into one slot; the pane reads
the slot 10 times a second. So the app gets no message per run (a flood of messages froze
Textual), and the explorer never waits for the UI: when the app ends, the UI waits for the
explorer to end, which it could not do if the explorer were waiting for the UI.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from time import monotonic
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static

from ipc_tui.engine.explore import ExploreError, Explorer, Report

PERIOD = 0.1  # seconds between two copies for the pane, and between two looks at the copy
STOP_SECONDS = 5.0  # how long the pane (or the app, as it ends) waits for the explorer to stop


@dataclass(frozen=True, slots=True)
class Row:
    """One outcome, as the pane shows it."""

    words: str
    failed: bool
    runs: int
    preemptions: int
    steps: int
    schedule: str
    origin: str = "the explorer's outcome"  # where it comes from, for the bar
    run: str = "the explorer's run"  # the run it was in, for a note on where it went otherwise


@dataclass(frozen=True, slots=True)
class Progress:
    """What the pane shows, copied from the explorer's report in the explorer's thread."""

    rows: tuple[Row, ...] = ()
    started: int = 0  # runs started
    per_second: float = 0.0
    searching: int | None = None  # the preemption bound being searched
    seconds: float = 0.0
    over: str = ""  # why it ended: "done", "budget", "seconds", "stopped" ("": it runs)
    statement: str = ""  # once it has ended
    error: str = ""  # the explorer failed

    @property
    def ended(self) -> bool:
        return bool(self.over or self.error)

    @property
    def finished(self) -> bool:
        """Ended on its own (searched all, or its budget ran out): the same search again
        would find the same."""
        return self.over in ("done", "budget", "seconds") and not self.error


def progress_of(rep: Report, ended: bool = False) -> Progress:
    rows = tuple(
        Row(f.outcome.words(), f.outcome.failed, f.runs, f.preemptions, f.steps, f.schedule)
        for f in rep.found
    )
    return Progress(
        rows,
        rep.started,
        rep.per_second(),
        rep.searching,
        rep.seconds,
        (rep.over or "done") if ended else "",
        rep.statement() if ended else "",
    )


def explorer_for(session: Any) -> Explorer:
    """An explorer of the program as `session` runs it: its mode, variant, start method and
    arguments. ExploreError (in one line) when there is nothing to explore."""
    info = session.info
    if not info.program:
        raise ExploreError(f"{info.name} is written for ipc-tui: Explore runs plain programs")
    if not getattr(session, "watched", True):
        raise ExploreError(f"{info.name} measures, unwatched: it has no steps to explore")
    argv = tuple(session.argv)
    if session.variant:  # (a program session gives its variant as the first argument)
        argv = argv[1:]
    return Explorer(
        info,
        mode=session.mode,
        variant=session.variant or None,
        start_method=session.start_method,
        argv=argv,
    )


def explore_key(session: Any) -> tuple:
    """What makes two explorations the same: the program and how it is run."""
    return (
        session.info.path,
        session.mode,
        session.variant,
        getattr(session, "start_method", None),
        tuple(getattr(session, "argv", ())),
    )


class Exploration:
    """One exploration, in a thread of its own; `latest` is what it has found so far."""

    def __init__(self, explorer: Explorer, key: tuple = ()) -> None:
        self.explorer = explorer
        self.key = key
        self.latest = Progress()  # replaced whole (one reference: no lock needed)
        self._next = 0.0
        self.thread = threading.Thread(target=self._run, name="ipc-tui-explore", daemon=True)

    def start(self) -> None:
        self.thread.start()

    @property
    def running(self) -> bool:
        return self.thread.is_alive()

    def stop(self, timeout: float = STOP_SECONDS) -> bool:
        """Stop exploring (the run going on ends) and wait for the thread, at most `timeout`
        seconds; True once it has ended."""
        self.explorer.stop()
        if self.thread.ident is not None:
            self.thread.join(timeout)
        return not self.thread.is_alive()

    def _progress(self, rep: Report) -> None:
        now = monotonic()
        if now >= self._next:
            self._next = now + PERIOD
            self.latest = progress_of(rep)

    def _run(self) -> None:
        try:
            rep = self.explorer.explore(self._progress)
        except Exception as exc:  # noqa: BLE001 (shown in the pane, in one line)
            error = str(exc) or type(exc).__name__
            self.latest = replace(self.latest, over="stopped", error=error)
        else:
            self.latest = progress_of(rep, ended=True)


def outcome_line(row: Row) -> Table:
    """An outcome's row: ✗ or ✓, its runs, preemptions and steps, and the outcome wrapped
    beside them."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=1)
    grid.add_column(width=5, justify="right")
    grid.add_column(width=11, justify="right")
    grid.add_column(width=5, justify="right")
    grid.add_column(ratio=1, overflow="fold")
    style = "bold red" if row.failed else "green"
    mark = Text("✗" if row.failed else "✓", style=style)
    grid.add_row(
        mark, str(row.runs), str(row.preemptions), str(row.steps), Text(row.words, style=style)
    )
    return grid


HEAD = f"  {'runs':>5} {'preemptions':>11} {'steps':>5} outcome"


class ExploreScreen(ModalScreen[Row | None]):
    """The outcomes of one exploration; enter (or a click) picks one, escape stops and closes."""

    BINDINGS = [Binding("escape,e", "close", "Stop, close")]

    def __init__(self, exploration: Exploration, title: str) -> None:
        super().__init__()
        self.exploration = exploration
        self.title_text = title
        self._shown: Progress | None = None
        self._auto: int | None = None  # the row highlighted for the student, until they move
        self._moved = False
        # (the row picked, a deadline) once closing: not `_closing`, which is Textual's own
        self._ending: tuple[Row | None, float] | None = None
        self._left = False

    def compose(self) -> ComposeResult:
        with Vertical(id="explore"):
            yield Static(id="explore-progress", markup=False)
            yield Static(HEAD, id="explore-head", markup=False)
            yield OptionList(id="explore-outcomes")
            yield Static(id="explore-schedule", markup=False)
            yield Static(id="explore-statement", markup=False)

    def on_mount(self) -> None:
        box = self.query_one("#explore")
        box.border_title = f"Explore: {self.title_text}"
        box.border_subtitle = "↑↓ enter: load its schedule, n steps it · escape: stop, close"
        self.query_one(OptionList).focus()
        self.show()
        self.set_interval(PERIOD, self.show)

    def show(self) -> None:
        """Draw the latest copy, if it is new."""
        if self._ending is not None:
            self._close_when_stopped()
            return
        p = self.exploration.latest
        if p is self._shown:
            return
        shown, self._shown = self._shown, p
        outcomes = self.query_one(OptionList)
        before = shown.rows if shown is not None else ()
        for k, row in enumerate(p.rows):
            if k >= len(before):
                outcomes.add_option(outcome_line(row))
            elif row != before[k]:
                outcomes.replace_option_prompt_at_index(k, outcome_line(row))
        if not self._moved and p.rows:  # the first failure, for the student to pick
            self._auto = next((k for k, row in enumerate(p.rows) if row.failed), 0)
            if outcomes.highlighted != self._auto:
                outcomes.highlighted = self._auto
        self.query_one("#explore-progress", Static).update(self._progress_line(p))
        statement = self.query_one("#explore-statement", Static)
        if p.error:
            statement.update(Text(f"the explorer stopped: {p.error}", style="bold red"))
        elif p.statement:
            bad = any(row.failed for row in p.rows)
            statement.update(Text(p.statement, style="bold red" if bad else "bold green"))
        if p.ended:
            box = self.query_one("#explore")
            box.border_subtitle = "↑↓ enter: load its schedule, n steps it · escape: close"
        self._show_schedule()

    def _progress_line(self, p: Progress) -> str:
        bad = sum(row.failed for row in p.rows)
        found = f"{len(p.rows)} outcome{'' if len(p.rows) == 1 else 's'}, {bad} failing"
        if p.ended:
            return f"{p.started} runs in {p.seconds:.1f} s ({p.per_second:.0f} a second): {found}"
        bound = f" · preemptions ≤ {p.searching}" if p.searching is not None else ""
        return f"exploring: {p.started} runs · {p.per_second:.0f} a second{bound} · {found}"

    def _show_schedule(self) -> None:
        at = self.query_one(OptionList).highlighted
        rows = self._shown.rows if self._shown is not None else ()
        line = self.query_one("#explore-schedule", Static)
        if at is None or at >= len(rows):
            line.update("")
        else:
            line.update(f"schedule ({rows[at].steps} steps): {rows[at].schedule}")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index != self._auto:
            self._moved = True  # the student's choice: not moved again
        self._show_schedule()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        rows = self._shown.rows if self._shown is not None else ()
        if event.option_index < len(rows):
            self._stop_and_dismiss(rows[event.option_index])

    def action_close(self) -> None:
        self._stop_and_dismiss(None)

    def _stop_and_dismiss(self, row: Row | None) -> None:
        """Stop exploring, and close once the explorer's thread has ended, or after
        STOP_SECONDS: the timer looks, the UI never waits for it."""
        if self._ending is None:
            self._ending = (row, monotonic() + STOP_SECONDS)
            self.exploration.explorer.stop()
        self._close_when_stopped()

    def _close_when_stopped(self) -> None:
        if self._ending is None or self._left:
            return
        row, deadline = self._ending
        if self.exploration.running:
            if monotonic() < deadline:
                self.query_one("#explore-progress", Static).update(
                    "stopping: the run going on ends"
                )
                return
            self.app.notify("The exploration is still ending.", severity="warning")
        self._left = True
        self.dismiss(row)
