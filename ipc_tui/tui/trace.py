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
from ipc_tui.present import what_happened
from ipc_tui.tui.wrap import wrap

MAX_LINES = 500  # scrollback, in lines
LINE_CACHE = 128  # rendered lines kept (a few screens)
MAX_PER_WRITE = 25  # running free makes hundreds a second: show the newest (nobody reads them all)
FREE_WRITES_PER_SECOND = 4  # and the log scrolls a few times a second, not at every frame
NARROW = 60  # a trace narrower than this leaves out the time of each line


def trace_lines(e: TraceEvent, width: int) -> Text:
    """An event as the trace shows it, its words wrapped under themselves to `width` (0: as one
    line). Narrow, the time is left out: the order, who and what matter most."""
    narrow = 0 < width < NARROW
    head = Text(f"{e.worker} " if narrow else f"{e.t:7.3f} {e.worker:<6} ")
    number = f"#{e.seq:<2} " if narrow else f"#{e.seq:<3} "
    head.append(number if e.seq else " " * len(number), style="dim")
    body = what_happened(e, space="\u00a0")  # (never `line` at a line's end, its number after)
    if width <= head.cell_len + 10:
        return head + body
    lines = wrap(body, width - head.cell_len, 2)
    indent = " " * head.cell_len
    return Text("\n").join([head + lines[0], *(Text(indent) + line for line in lines[1:])])


LEGEND = [
    ("█ step", "green"),
    ("▒ steps running free", "green"),
    ("█ step holding a lock", "magenta"),
    ("─ holds a lock", "magenta"),
    ("░ blocked", "red"),
]


class Timeline:
    """Columns built from the trace as it comes: per worker a mark for each step (running free,
    one for each summary: the worker ran many steps since its last one)."""

    def __init__(self, width: int = 400) -> None:
        self.columns: deque[dict[str, tuple[str, str]]] = deque(maxlen=width)
        self.blocked: set[str] = set()

    def add(self, e: TraceEvent) -> None:
        """Who holds a lock comes with each event, from the board (`TraceEvent.holding`): the
        timeline works nothing out for itself."""
        if e.kind == "blocked":
            self.blocked.add(e.worker)
            return
        if e.kind not in ("step", "summary"):
            return
        self.blocked.discard(e.worker)
        column = {w: ("░", "red") for w in self.blocked}
        column.update({w: ("─", "magenta") for w in e.holding})
        if e.kind == "summary":  # many steps since its last column
            column[e.worker] = ("▒", "green")
        else:
            column[e.worker] = ("█", "magenta" if e.worker in e.holding else "green")
        self.columns.append(column)

    def render(self, workers: list[str], width: int) -> Text:
        """A lane per worker, as many of the newest columns as `width` holds, and the legend
        (wrapped to `width`)."""
        label = max((len(w) for w in workers), default=2) + 1
        shown = list(self.columns)[-max(1, width - label - 2) :]
        lanes = []
        for w in workers:
            lane = Text(f"{w:<{label}}", style="bold")
            for column in shown:
                lane.append(*column.get(w, ("·", "dim")))
            lanes.append(lane)
        legend = Text()
        for words, style in LEGEND:  # (a line may break between two, not inside one)
            legend.append(words.replace(" ", "\u00a0") + "  ", style=style)
        rows = [*lanes, *wrap(legend, max(width, 20))]
        return Text("\n", no_wrap=True, overflow="crop").join(rows)


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
        self.log_view = TraceLog(
            id="trace-log", max_lines=MAX_LINES, markup=False, wrap=True, min_width=20
        )
        self.timeline_view = Static(id="timeline", markup=False)
        self.switcher = ContentSwitcher(initial="trace-log")
        self._unwritten: list[TraceEvent] = []  # the newest, up to MAX_PER_WRITE
        self._relaying = False  # the log was just shown again: it waits for its layout
        self._skipped = 0  # and how many came before them since the last write
        self._written_at = 0.0
        # What the log shows, to wrap again when its width changes (a resized terminal)
        self._written: deque[TraceEvent | Text] = deque(maxlen=MAX_LINES)
        self._width = 0  # the width they were wrapped to

    def compose(self):
        with self.switcher:
            yield self.log_view
            yield self.timeline_view

    def reset(self) -> None:
        self.log_view.clear()
        self._written.clear()
        self._unwritten, self._skipped = [], 0
        self.timeline = Timeline()

    def toggle(self) -> None:
        switcher = self.switcher
        switcher.current = "timeline" if switcher.current == "trace-log" else "trace-log"
        self.border_title = "Timeline" if switcher.current == "timeline" else "Trace"
        if not self.showing_timeline:  # the log back: what came meanwhile, written once laid out
            self._relaying = True  # (the app's next sample may come first: it waits too)
            self.call_after_refresh(self._laid_out)

    def _laid_out(self) -> None:
        self._relaying = False
        self.add([])

    @property
    def showing_timeline(self) -> bool:
        return self.switcher.current == "timeline"

    @property
    def behind(self) -> bool:
        """Events kept back for the next write (running free)."""
        return bool(self._unwritten or self._skipped) and not self.showing_timeline

    def add(self, events: list[TraceEvent], running_free: bool = False) -> None:
        for e in events:
            self.timeline.add(e)
        unwritten = self._unwritten
        unwritten += events
        if len(unwritten) > MAX_PER_WRITE:
            self._skipped += len(unwritten) - MAX_PER_WRITE
            del unwritten[:-MAX_PER_WRITE]
        now = monotonic()
        if running_free and now - self._written_at < 1 / FREE_WRITES_PER_SECOND:
            return
        if self.showing_timeline or self._relaying:
            return  # a hidden log would wrap what it is given to its least width: they wait
        # Not laid out yet (or just shown again): the log would wrap them to its least width
        # (CI saw lines wrapped at 20 columns), so they wait for the next sample.
        width = self.log_view.scrollable_content_region.width
        if not width:
            return
        if width != self._width:
            self._wrap_again(width)
        if self._skipped:
            self._write(Text(f"… {self._skipped} more events", style="dim"), width)
        events, self._unwritten, self._skipped, self._written_at = unwritten, [], 0, now
        for e in events:
            self._write(e, width)

    def _log_width(self) -> int:
        """The log's width (the pane's while the timeline hides the log); 0 before layout."""
        return self.log_view.scrollable_content_region.width or max(0, self.content_size.width - 1)

    def _write(self, item: TraceEvent | Text, width: int, again: bool = False) -> None:
        if not again:
            self._written.append(item)
        if isinstance(item, Text):
            self.log_view.write(item)
            return
        self.log_view.write(trace_lines(item, width))
        if item.kind == "failed":
            self.log_view.write(Text(str(item.result), style="red"))

    def _wrap_again(self, width: int) -> None:
        self._width = width
        self.log_view.clear()
        for item in self._written:
            self._write(item, width, again=True)

    def on_resize(self) -> None:
        width = self._log_width()
        if width and width != self._width and self._written:
            self._wrap_again(width)

    def show(self, snap: Snapshot) -> None:
        if self.showing_timeline:
            workers = [w.name for w in snap.workers]
            width = self.content_size.width or 80
            timeline = self.timeline_view
            text = self.timeline.render(workers, width)
            if text != timeline.content:
                timeline.update(text)
