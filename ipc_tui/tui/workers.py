"""The Workers pane: one row per worker; a click steps it (or opens its traceback)."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from ipc_tui.engine import Snapshot
from ipc_tui.engine.snapshot import WorkerState
from ipc_tui.tui.redraw import show_text

STATE_LOOK = {
    "new": ("○", "dim"),
    "ready": ("●", "green"),
    "running": ("▶", "bold cyan"),
    "blocked": ("■", "bold red"),
    "sleeping": ("◔", "yellow"),
    "done": ("✓", "dim green"),
    "failed": ("✗", "bold red"),
    "cut off": ("✂", "magenta"),
    "killed": ("☠", "bold magenta"),
}


def first_key(names: list[str] | tuple[str, ...]) -> int:
    """The key of the first row: 0 for a program's main thread (its first worker, which starts
    the others), so that 1 steps the first worker it starts; 1 for a scenario's workers."""
    return 0 if names and names[0] == "MainThread" else 1


def fitted(parts: list[tuple[str, str]], width: int) -> Text:
    """The parts that fit in `width` cells (0: all), whole: the first always, then the others
    while the next one fits (a row cut in the middle of a number reads as another number)."""
    line = Text()
    for k, (text, style) in enumerate(parts):
        if k and width and line.cell_len + len(text.rstrip()) > width:
            break
        line.append(text, style=style)
    line.rstrip()
    return line


def worker_line(key: int, w: WorkerState, name_width: int = 4, width: int = 0) -> Text:
    symbol, style = STATE_LOOK.get(w.state, ("?", ""))
    state = w.state + (f" on {w.blocked_on}" if w.blocked_on else "")
    if w.busy >= 2:  # a long loop, or a hang outside any step
        state = f"running {w.busy:.0f}s, no step"
    elif w.state == "killed" and w.error:
        state = w.error.replace("killed by ", "killed ")
    room = width - (name_width + 5)  # (the key, the name, the state's symbol)
    if width and len(state) > room > 1:  # cut, not dropped: "blocked on counter.get_l…"
        state = state[: room - 1] + "…"
    kind = "proc" if w.kind == "process" else "thread"
    parts = [
        (f"{key if key <= 9 else ' '} {w.name:<{name_width}} ", "bold"),
        (f"{symbol} {state:<16} ", style),
        (f"{w.steps:>5} ", "dim"),
        (f"{kind} {w.pid or '-'}" if w.kind == "process" else kind, "dim"),
    ]
    flags = ("daemon " if w.daemon else "") + ("alive" if w.alive else "")
    if flags:  # (before the wait: the lesson's flags go last when a row has no room)
        parts.append((f"  {flags.strip()}", "dim italic"))
    waited = w.waited + w.blocked_for  # (with the wait going on, as headless counts it)
    if waited >= 0.001:
        parts.append((f"  waited {waited:.2f}s", "dim yellow"))
    return fitted(parts, width)


class WorkerRow(Static):
    class Clicked(Message):
        def __init__(self, worker: str) -> None:
            self.worker = worker
            super().__init__()

    def __init__(self, worker: str) -> None:
        super().__init__(classes="worker-row", markup=False)
        self.worker = worker

    def on_click(self) -> None:
        self.post_message(self.Clicked(self.worker))


class WorkersPane(VerticalScroll):
    """Keys 1-9 step the worker in that row; so does a click on the row."""

    def __init__(self) -> None:
        super().__init__(id="workers", classes="pane")
        self.border_title = "Workers"
        self._names: tuple[str, ...] = ()
        self.rows: list[WorkerRow] = []
        self._lines: list[Text | None] = []

        self.header = Static(classes="pane-header")
        self._header: list[tuple[str, str]] = []
        self._snap: Snapshot | None = None  # the last one shown

    def compose(self):
        yield self.header

    def on_resize(self) -> None:
        if self._snap is not None:  # its rows keep the fields that fit the new width
            self.show(self._snap)

    def show(self, snap: Snapshot) -> None:
        self._snap = snap
        names = tuple(w.name for w in snap.workers)
        width = max((len(name) for name in names), default=4)
        if names != self._names:  # another scenario, or main() made a worker
            new = [WorkerRow(name) for name in names[len(self.rows) :]]
            self.mount_all(new)
            for row in self.rows[len(names) :]:
                row.remove()
            self.rows = (self.rows + new)[: len(names)]
            for row, name in zip(self.rows, names, strict=True):
                row.worker = name
            self._names = names
            self._lines = [None] * len(names)
            self._header = [
                (f"# {'name':<{width}}   {'state':<16} ", "dim"),
                (f"{'steps':>5} ", "dim"),
                ("kind", "dim"),
            ]
        room = self.header.content_size.width
        show_text(self.header, fitted(self._header, room))
        first = first_key(names)
        for i, w in enumerate(snap.workers):
            line = worker_line(i + first, w, width, room)
            if self._lines[i] != line:
                self._lines[i] = line
                show_text(self.rows[i], line)
                self.rows[i].set_class(w.state in ("failed", "killed"), "-failed")
