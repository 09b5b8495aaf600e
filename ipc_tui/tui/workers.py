"""The Workers pane: one row per worker; a click steps it (or opens its traceback)."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from ipc_tui.engine import Snapshot
from ipc_tui.engine.snapshot import WorkerState

STATE_LOOK = {
    "new": ("○", "dim"),
    "ready": ("●", "green"),
    "running": ("▶", "bold cyan"),
    "blocked": ("■", "bold red"),
    "sleeping": ("◔", "yellow"),
    "done": ("✓", "dim green"),
    "failed": ("✗", "bold red"),
}


def worker_line(key: int, w: WorkerState) -> Text:
    symbol, style = STATE_LOOK.get(w.state, ("?", ""))
    state = w.state + (f" on {w.blocked_on}" if w.blocked_on else "")
    line = Text()
    line.append(f"{key if key <= 9 else ' '} ", style="bold")
    line.append(f"{w.name:<8} ", style="bold")
    line.append(f"{symbol} {state:<16} ", style=style)
    line.append(f"{w.steps:>3} ", style="dim")
    kind = "proc" if w.kind == "process" else "thread"
    line.append(f"{kind} {w.pid or '-'}" if w.kind == "process" else kind, style="dim")
    flags = ("daemon " if w.daemon else "") + ("alive" if w.alive else "")
    if flags:
        line.append(f"  {flags.strip()}", style="dim italic")
    return line


class WorkerRow(Static):
    class Clicked(Message):
        def __init__(self, worker: str) -> None:
            self.worker = worker
            super().__init__()

    def __init__(self, worker: str) -> None:
        super().__init__(id=f"worker-{worker}", classes="worker-row", markup=False)
        self.worker = worker

    def on_click(self) -> None:
        self.post_message(self.Clicked(self.worker))


class WorkersPane(VerticalScroll):
    """Keys 1-9 step the worker in that row; so does a click on the row."""

    def __init__(self) -> None:
        super().__init__(id="workers", classes="pane")
        self.border_title = "Workers"
        self._names: tuple[str, ...] = ()
        self._lines: dict[str, Text] = {}

    def compose(self):
        yield Static(
            Text("# worker   state            steps kind", style="dim"), classes="pane-header"
        )

    def show(self, snap: Snapshot) -> None:
        names = tuple(w.name for w in snap.workers)
        if names != self._names:
            for row in self.query(WorkerRow):
                row.remove()
            self.mount_all(WorkerRow(name) for name in names)
            self._names = names
            self._lines = {}
        for key, w in enumerate(snap.workers, 1):
            line = worker_line(key, w)
            if self._lines.get(w.name) != line:
                self._lines[w.name] = line
                row = self.query_one(f"#worker-{w.name}", WorkerRow)
                row.update(line)
                row.set_class(w.state == "failed", "-failed")
