"""The Code pane: the scenario's code, each worker's name on the line it runs next.

The lesson's texts (the docstring, `LESSON_ZH`) are the Lesson pane's, so they are left out
here. A line longer than the pane wraps, indented, so that the line that makes the bug is read
whole on a narrow screen; its comment, if it has no room left, is cut short."""

from __future__ import annotations

import ast
import io
import tokenize

from rich.syntax import Syntax
from rich.text import Text
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from ipc_tui.engine import Snapshot
from ipc_tui.engine.source import critical_lines, parse
from ipc_tui.tui.workers import STATE_LOOK
from ipc_tui.tui.wrap import wrap

MAX_GUTTER = 16
HANG = 4  # a wrapped line's rest: indented this much more than the line
NARROW = 48  # code narrower than this is indented by half (two spaces a level, not four)


def lesson_lines(source: str) -> set[int]:
    """The lines of the module docstring and of `LESSON_ZH = ...`, and the blank lines after
    each."""
    try:
        body = parse(source).body
    except SyntaxError:
        return set()
    hidden: set[int] = set()
    for k, stmt in enumerate(body):
        docstring = k == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
        lesson = isinstance(stmt, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "LESSON_ZH" for t in stmt.targets
        )
        if docstring or lesson:
            hidden.update(range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1))
    lines = source.splitlines()
    for number in sorted(hidden):
        after = number + 1
        while after not in hidden and after <= len(lines) and not lines[after - 1].strip():
            hidden.add(after)
            after += 1
    return hidden


def comment_columns(source: str) -> dict[int, int]:
    """Where each line's comment starts, by line number."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return {}
    return {t.start[0]: t.start[1] for t in tokens if t.type == tokenize.COMMENT}


def code_rows(code: Text, width: int, comment_at: int | None) -> list[Text]:
    """A line of code as rows of `width` cells: the code wrapped, indented; a comment after it
    goes on its last row, cut short (…) if it does not fit there."""
    if code.cell_len <= width:
        return [code]
    comment = None
    if comment_at is not None and code.plain[:comment_at].strip():
        code, comment = code[:comment_at], code[comment_at:]
        code.rstrip()
    indent = len(code.plain) - len(code.plain.lstrip())
    rows = wrap(code, width, min(indent + HANG, width // 4), after="([{,")
    room = width - rows[-1].cell_len - 2
    if comment is not None and room >= 6:
        comment.truncate(room, overflow="ellipsis")
        rows[-1].append_text(Text("  ") + comment)
    return rows


class CodePane(VerticalScroll):
    """Two columns scrolled together: the workers' names (redrawn as they move) beside the
    code (drawn once per scenario and width: running free, redrawing it every frame was the
    costliest part of a frame)."""

    def __init__(self) -> None:
        super().__init__(id="code", classes="pane")
        self.border_title = "Code"
        self.names = Static(id="code-names", markup=False)
        self.text = Static(id="code-text", markup=False)
        self._code: list[tuple[int, Text]] = []  # each line shown: its number, highlighted
        self._critical: frozenset[int] = frozenset()
        self._source, self._guards = "", set()
        self._comments: dict[int, int] = {}
        self._rows: list[int | None] = []  # each row's line (None: the rest of a wrapped one)
        self._width = 0  # the width the code was wrapped to
        self._markers: dict[int, list[tuple[str, str]]] | None = None
        self._gutter_width = 0
        self._names_shape = (0, 0)  # the names column's rows and width, as laid out
        self._realign = False  # the code was wrapped anew: scroll to the first name again
        self._snap: Snapshot | None = None  # the last one shown

    def compose(self):
        with Horizontal(id="code-lines"):
            yield self.names
            yield self.text

    def load(self, source: str, guards: set[str]) -> None:
        """A new scenario: highlight its source once; mark the critical sections."""
        highlighted = Syntax(source, "python", theme="ansi_dark").highlight(source)
        lines = highlighted.split("\n", allow_blank=True)
        hidden = lesson_lines(source)
        self._code = [(n, line) for n, line in enumerate(lines, 1) if n not in hidden]
        while self._code and not self._code[-1][1].plain.strip():
            self._code.pop()
        self._source, self._guards = source, guards
        self._critical = critical_lines(source, guards)
        self._comments = comment_columns(source)
        self._markers, self._gutter_width, self._width, self._snap = None, 0, 0, None
        self.border_subtitle = "▌ critical section" if self._critical else ""
        self.scroll_home(animate=False)

    def guard(self, guards: set[str]) -> None:
        """The locks and semaphores known now (a program makes them as it runs): mark the
        critical sections again if they changed."""
        if guards == self._guards:
            return
        self._guards = guards
        critical = critical_lines(self._source, guards)
        if critical != self._critical:
            self._critical = critical
            self.border_subtitle = "▌ critical section" if critical else ""
            self._width = 0  # drawn again, and the names beside it
            self._markers = None
            self._draw_code()

    def _draw_code(self) -> None:
        """The code column, wrapped to what the pane leaves it beside the names."""
        room = self.scrollable_content_region.width - self._gutter_width
        if room == self._width:
            return
        self._width = room
        digits = len(str(self._code[-1][0])) if self._code else 1
        width = room - digits - 2
        rows: list[int | None] = []
        out = []
        for number, code in self._code:
            bar = Text("▌" if number in self._critical else " ", style="magenta")
            comment_at = self._comments.get(number)
            if 0 < width < NARROW:
                cut = (len(code.plain) - len(code.plain.lstrip(" "))) // 2
                code = code[cut:]
                comment_at = None if comment_at is None else comment_at - cut
            pieces = code_rows(code, width, comment_at) if width > 16 else [code]
            for k, piece in enumerate(pieces):
                label = f"{number:>{digits}} " if k == 0 else " " * (digits + 1)
                out.append(Text.assemble(bar, (label, "dim"), piece))
                rows.append(None if k else number)
        self._rows = rows
        self.text.update(Text("\n", no_wrap=True, overflow="crop").join(out))
        self._markers = None  # the names' rows moved with the code's,
        self._realign = True  # and the view must follow them

    def on_resize(self) -> None:
        self._draw_code()
        if self._snap is not None and self._markers is None:
            self.show(self._snap)  # the names beside the code's new rows

    def show(self, snap: Snapshot) -> None:
        self._snap = snap
        markers: dict[int, list[tuple[str, str]]] = {}
        for w in snap.workers:
            if w.live and w.line and w.busy < 2:  # (running code with no step: where, unknown)
                markers.setdefault(w.line, []).append((w.name, STATE_LOOK[w.state][1]))
        # Room for every worker's name side by side, up to a limit; past it, "+N" counts the rest.
        names = sum(len(w.name) + 1 for w in snap.workers)
        limit = min(MAX_GUTTER, self.scrollable_content_region.width // 4 or MAX_GUTTER)
        gutter_width = max(4, min(names, limit))
        if gutter_width != self._gutter_width:
            self._gutter_width = gutter_width
            self._draw_code()
        if markers == self._markers:
            return
        self._markers = markers
        lines = []
        for number in self._rows:
            gutter = Text()
            here = markers.get(number, []) if number else []
            for k, (name, style) in enumerate(here):
                rest = len(here) - k - 1
                room = gutter_width - gutter.cell_len - (len(f"+{rest}") if rest else 0)
                if len(name) + 1 > room:
                    if not rest and room >= 4:  # the last one here: its name, cut ("MainTh…")
                        gutter.append(name[: room - 2] + "…", style=f"reverse {style}")
                        gutter.append(" ")
                    else:
                        gutter.append(f"+{len(here) - k}", style=style)
                    break
                gutter.append(name, style=f"reverse {style}")
                gutter.append(" ")
            gutter.pad_left(gutter_width - gutter.cell_len)
            lines.append(gutter)
        # One line for every row of code, always: the column keeps its size, so redrawing it
        # needs no layout pass.
        out = Text("\n", no_wrap=True, overflow="crop").join(lines)
        shape = (len(lines), gutter_width)
        self.names.update(out, layout=shape != self._names_shape)
        self._names_shape = shape
        if markers:  # keep the first marked line in view, the line before it, and what follows
            row = self._rows.index(min(markers)) if min(markers) in self._rows else 0
            seen = self.scroll_y <= row < self.scroll_y + self.size.height - 1
            if self._realign or not seen:
                self._realign = False
                self.call_after_refresh(self._first_name_in_view)

    def _first_name_in_view(self) -> None:
        """Scroll to the first marked line, and the line before it, as the names are when the
        scroll happens (after the refresh): names drawn meanwhile must not be scrolled away by
        an older target (seen: main's line kept in view while w0 and w1 had moved above it)."""
        if not self._markers:
            return
        first = min(self._markers)
        row = self._rows.index(first) if first in self._rows else 0
        top = next((k for k in range(row - 1, -1, -1) if self._rows[k]), row)
        # At once: scroll_to defers to the next refresh by default, and a show() meanwhile would
        # judge "in view" by the old position and keep this older target (seen in CI).
        self.scroll_to(y=top, animate=False, immediate=True)
