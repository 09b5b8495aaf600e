"""The help screen: every key, and what it does."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = [
    ("space", "play / pause (one step at a time, at the play speed)"),
    ("n", "step the next ready worker (round-robin)"),
    ("1-9", "step that worker (its row in Workers); a click on a row too"),
    ("f", "run free, at full speed"),
    ("+ / -", "play faster / slower"),
    ("k 1-9", "kill that worker's process with SIGKILL (what it holds stays taken)"),
    ("r", "restart the scenario (fresh primitives: recovers from a kill)"),
    ("m", "switch threads / processes, and restart"),
    ("v", "the next variant of the scenario (deadlock: the fix), and restart"),
    ("t", "trace / timeline"),
    ("l", "show / hide the lesson"),
    ("[ / ]", "previous / next scenario"),
    ("s", "scenario picker"),
    ("ctrl+p", "command palette: every scenario and every action"),
    ("?", "this help"),
    ("q, ctrl+q", "quit (every worker is stopped)"),
]


def key_table() -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for key, what in KEYS:
        table.add_row(key, what)
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Static(key_table())
            yield Static(
                "A worker's row: ● ready  ▶ running  ■ blocked  ◔ sleeping  "
                "✓ done  ✗ failed  ○ not started  ✂ cut off (a daemon)",
                classes="legend",
            )

    def on_mount(self) -> None:
        self.query_one("#help").border_title = "Keys"
        self.query_one("#help").border_subtitle = "escape closes"

    def on_click(self) -> None:
        self.dismiss()


class TracebackScreen(ModalScreen[None]):
    """What a failed worker raised."""

    BINDINGS = [("escape,q,enter", "dismiss", "Close")]

    def __init__(self, worker: str, error: str) -> None:
        super().__init__()
        self.worker = worker
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(id="traceback"):
            yield Static(self.error, markup=False)

    def on_mount(self) -> None:
        self.query_one("#traceback").border_title = f"{self.worker} failed"
        self.query_one("#traceback").border_subtitle = "escape closes"
