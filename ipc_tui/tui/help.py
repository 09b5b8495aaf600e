"""The help screen: every key, and what it does. It fits at 80x24; smaller, it scrolls with the
keyboard (it has the focus: up, down, PgUp, PgDn, Home, End)."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = [
    ("space", "play / pause: one step at a time, at the play speed"),
    ("n", "step the next ready worker (or a loaded schedule's: e)"),
    ("0-9", "step the worker in that row of Workers, or click its row (0: a program's main)"),
    ("f", "run free, at full speed"),
    ("+ / -", "play faster / slower"),
    ("k 1-9", "kill that worker's process (SIGKILL: it lets nothing go)"),
    ("r", "restart the scenario, with fresh primitives"),
    ("e", "explore: every outcome; enter loads one, n steps it"),
    ("m", "switch threads / processes, and restart"),
    ("v", "next variant (deadlock: fixed; gil: the switch), restart"),
    ("t", "trace / timeline"),
    ("b / i", "bytecode of each worker's line / a step: one instruction"),
    ("l", "show / hide the lesson (PgUp / PgDn scroll it)"),
    ("s, [ / ]", "scenario picker, previous / next scenario"),
    ("w / p", "save the run so far (a recording) / the screen (SVG)"),
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
        with VerticalScroll(id="help"):
            yield Static(key_table())
            yield Static(
                "A worker's row: ● ready  ▶ running  ■ blocked  ◔ sleeping  ✓ done  "
                "✗ failed  ☠ killed  ○ not started  ✂ cut off (a daemon)",
                classes="legend",
            )

    def on_mount(self) -> None:
        keys = self.query_one("#help")
        keys.border_title = "Keys"
        keys.border_subtitle = "escape closes"
        keys.focus()  # so that the keys scroll it

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
        with VerticalScroll(id="traceback"):
            yield Static(self.error, markup=False)

    def on_mount(self) -> None:
        traceback = self.query_one("#traceback")
        traceback.border_title = f"{self.worker} failed"
        traceback.border_subtitle = "escape closes"
        traceback.focus()  # a long one scrolls with the keys
