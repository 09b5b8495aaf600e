"""The Code pane: the scenario's source, each worker's name on the line it runs next."""

from __future__ import annotations

import ast

from rich.syntax import Syntax
from rich.text import Text
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from ipc_tui.engine import Snapshot
from ipc_tui.engine.source import critical_lines
from ipc_tui.tui.workers import STATE_LOOK

MAX_GUTTER = 16


def first_code_line(source: str) -> int:
    """The first line after the module docstring and the blank lines after it."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return 1
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        after = body[0].end_lineno or 0
        lines = source.splitlines()
        while after < len(lines) and not lines[after].strip():
            after += 1
        return after + 1
    return 1


class CodePane(VerticalScroll):
    """Two columns scrolled together: the workers' names (redrawn as they move) beside the
    code (drawn once per scenario: running free, redrawing it every frame was the costliest
    part of a frame)."""

    def __init__(self) -> None:
        super().__init__(id="code", classes="pane")
        self.border_title = "Code"
        self._count = 0  # code lines shown (after the docstring)
        self._first = 1
        self.names = Static(id="code-names", markup=False)
        self.text = Static(id="code-text", markup=False)
        self._markers: dict[int, list[tuple[str, str]]] | None = None
        self._gutter_width = 0

    def compose(self):
        with Horizontal(id="code-lines"):
            yield self.names
            yield self.text

    def load(self, source: str, guards: set[str]) -> None:
        """A new scenario: highlight its source once; mark the critical sections."""
        highlighted = Syntax(source, "python", theme="ansi_dark").highlight(source)
        lines = highlighted.split("\n", allow_blank=True)
        self._first = first_code_line(source)
        critical = critical_lines(source, guards)
        out = Text(no_wrap=True, overflow="crop")
        for number, code in enumerate(lines[self._first - 1 :], self._first):
            out.append("▌" if number in critical else " ", style="magenta")
            out.append(f"{number:>3} ", style="dim")
            out.append_text(code)
            out.append("\n")
        out.rstrip()
        self._count = len(out.plain.split("\n"))
        self.text.update(out)
        self._markers, self._gutter_width = None, 0  # (a new column: its size is laid out anew)
        self.border_subtitle = "▌ critical section" if critical else ""

    def show(self, snap: Snapshot) -> None:
        markers: dict[int, list[tuple[str, str]]] = {}
        for w in snap.workers:
            if w.live and w.line:
                markers.setdefault(w.line, []).append((w.name, STATE_LOOK[w.state][1]))
        if markers == self._markers:
            return
        self._markers = markers
        # Room for every worker's name side by side, up to a limit; past it, "+N" counts the rest.
        names = sum(len(w.name) + 1 for w in snap.workers)
        gutter_width = max(4, min(names, MAX_GUTTER))
        lines = []
        for number in range(self._first, self._first + self._count):
            gutter = Text()
            here = markers.get(number, [])
            for k, (name, style) in enumerate(here):
                rest = len(here) - k - 1
                room = gutter_width - gutter.cell_len - (len(f"+{rest}") if rest else 0)
                if len(name) + 1 > room:
                    gutter.append(f"+{len(here) - k}", style=style)
                    break
                gutter.append(name, style=f"reverse {style}")
                gutter.append(" ")
            gutter.pad_left(gutter_width - gutter.cell_len)
            lines.append(gutter)
        # One line for every line of code, always: the column keeps its size, so redrawing it
        # needs no layout pass.
        out = Text("\n", no_wrap=True, overflow="crop").join(lines)
        self.names.update(out, layout=gutter_width != self._gutter_width)
        self._gutter_width = gutter_width
        if markers:  # keep the first marked line in view
            row = min(markers) - self._first
            if not self.scroll_y <= row < self.scroll_y + self.size.height - 1:
                self.scroll_to(y=max(0, row - 2), animate=False)
