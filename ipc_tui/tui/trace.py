"""The Trace pane: the event log, newest last; `t` switches it to a timeline, one lane per
worker, one column per step, showing who ran, who waited and who held a lock."""

from __future__ import annotations

from collections import deque
from time import monotonic
from typing import Any

from rich.text import Text
from textual.cache import LRUCache
from textual.containers import Vertical
from textual.widgets import ContentSwitcher, RichLog, Static

from ipc_tui.engine import Snapshot, TraceEvent
from ipc_tui.present import trace_line

MAX_LINES = 500  # scrollback, in lines
LINE_CACHE = 128  # rendered lines kept (a few screens)
MAX_PER_WRITE = 25  # running free makes hundreds a second: show the newest (nobody reads them all)
FREE_WRITES_PER_SECOND = 4  # and the log scrolls a few times a second, not at every frame


class Timeline:
    """Columns built from the trace as it comes: per worker a mark for each step (running free,
    one for each summary: the worker ran many steps since its last one)."""

    def __init__(self, width: int = 400) -> None:
        self.columns: deque[dict[str, tuple[str, str]]] = deque(maxlen=width)
        self.blocked: set[str] = set()
        self.holding: dict[str, set[str]] = {}  # worker -> locks it holds

    def add(self, e: TraceEvent, locks: set[str]) -> None:
        if e.kind == "blocked":
            self.blocked.add(e.worker)
            return
        if e.kind not in ("step", "summary"):
            return
        self.blocked.discard(e.worker)
        column = {w: ("░", "red") for w in self.blocked}
        if e.kind == "summary":  # many steps since its last column: what it holds is not drawn
            self.holding.pop(e.worker, None)  # (nor what it held at its last step: released?)
            column[e.worker] = ("▒", "green")
        else:
            held = self.holding.setdefault(e.worker, set())
            if e.resource in locks:
                if e.op == "acquire" and e.result:
                    held.add(e.resource)
                elif e.op == "release":
                    for owned in self.holding.values():
                        owned.discard(e.resource)
            column.update({w: ("─", "magenta") for w, h in self.holding.items() if h})
            column[e.worker] = ("█", "magenta" if held else "green")
        self.columns.append(column)

    def render(self, workers: list[str], width: int) -> Text:
        out = Text(no_wrap=True, overflow="crop")
        label = max((len(w) for w in workers), default=2) + 1
        shown = list(self.columns)[-max(1, width - label - 2) :]
        for w in workers:
            out.append(f"{w:<{label}}", style="bold")
            for column in shown:
                char, style = column.get(w, ("·", "dim"))
                out.append(char, style=style)
            out.append("\n")
        out.append("█ step  ▒ steps running free  ", style="green")
        out.append("█ step holding a lock  ─ holds a lock  ", style="magenta")
        out.append("░ blocked", style="red")
        return out


class TraceLog(RichLog):
    """A RichLog keeping fewer rendered lines: it keeps 1,024 besides the lines themselves, and
    running free it scrolls a few times a second, so the cache filled up with lines rendered at
    old positions (about 4 MB of the app's growth in its first minute running free).
    (`_line_cache` is Textual's own: tests/tui/test_app.py checks it is still there.)"""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._line_cache = LRUCache(LINE_CACHE)


class TracePane(Vertical):
    def __init__(self) -> None:
        super().__init__(id="trace", classes="pane")
        self.border_title = "Trace"
        self.timeline = Timeline()
        self._locks: set[str] = set()
        self.log_view = TraceLog(id="trace-log", max_lines=MAX_LINES, markup=False, wrap=False)
        self.timeline_view = Static(id="timeline", markup=False)
        self.switcher = ContentSwitcher(initial="trace-log")
        self._unwritten: list[TraceEvent] = []  # the newest, up to MAX_PER_WRITE
        self._skipped = 0  # and how many came before them since the last write
        self._written_at = 0.0

    def compose(self):
        with self.switcher:
            yield self.log_view
            yield self.timeline_view

    def reset(self, locks: set[str]) -> None:
        self.log_view.clear()
        self._unwritten, self._skipped = [], 0
        self.timeline = Timeline()
        self._locks = locks

    def toggle(self) -> None:
        switcher = self.switcher
        switcher.current = "timeline" if switcher.current == "trace-log" else "trace-log"
        self.border_title = "Timeline" if switcher.current == "timeline" else "Trace"

    @property
    def showing_timeline(self) -> bool:
        return self.switcher.current == "timeline"

    @property
    def behind(self) -> bool:
        """Events kept back for the next write (running free)."""
        return bool(self._unwritten or self._skipped)

    def add(self, events: list[TraceEvent], running_free: bool = False) -> None:
        for e in events:
            self.timeline.add(e, self._locks)
        unwritten = self._unwritten
        unwritten += events
        if len(unwritten) > MAX_PER_WRITE:
            self._skipped += len(unwritten) - MAX_PER_WRITE
            del unwritten[:-MAX_PER_WRITE]
        now = monotonic()
        if running_free and now - self._written_at < 1 / FREE_WRITES_PER_SECOND:
            return
        log = self.log_view
        if self._skipped:
            log.write(Text(f"… {self._skipped} more events", style="dim"))
        events, self._unwritten, self._skipped, self._written_at = unwritten, [], 0, now
        for e in events:
            log.write(trace_line(e))
            if e.kind == "failed":
                log.write(Text(str(e.result), style="red"))

    def show(self, snap: Snapshot) -> None:
        if self.showing_timeline:
            workers = [w.name for w in snap.workers]
            width = self.size.width or 80
            timeline = self.timeline_view
            text = self.timeline.render(workers, width)
            if text != timeline.content:
                timeline.update(text)
