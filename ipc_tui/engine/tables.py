"""Tables a program prints, in Markdown, shown as tables (the Results pane; `tables` in JSON).

A program needs nothing from ipc-tui to show what it measured: it prints

    which way is fastest
    | way | seconds |
    |---|---|
    | serial | 7.90 |
    | threads | 8.57 |

and the table fills in as its rows are printed. Its name is the line printed just before it
(without a leading `#`), else `table 1`, `table 2`, ... Figures that read as numbers are
numbers; under plain `python` the same lines are a Markdown table.
"""

from __future__ import annotations

import re
from typing import Any

from ipc_tui.engine.reports import TableShown

_SEPARATOR = re.compile(r":?-{3,}:?")


class TableReader:
    """The tables in one worker's printed lines, one line at a time."""

    def __init__(self) -> None:
        self.before = ""  # the last line that was not a table's
        self.header: list[str] | None = None  # a row that may be a table's header
        self.shown: TableShown | None = None  # the table being printed
        self.count = 0

    def line(self, text: str) -> TableShown | None:
        """The table as it stands after `text`, if `text` was a table's line."""
        s = text.strip()
        if not (len(s) >= 2 and s.startswith("|") and s.endswith("|")):
            self.header = self.shown = None
            if s:
                self.before = s.lstrip("#").strip()
            return None
        cells = [c.strip() for c in s[1:-1].split("|")]
        if self.shown is not None:
            shown = self.shown
            row = tuple(_figure(c) for c in cells)
            self.shown = shown._replace(rows=(*shown.rows, row))
            return self.shown
        if self.header is not None and all(_SEPARATOR.fullmatch(c) for c in cells):
            self.count += 1
            name = self.before or f"table {self.count}"
            self.shown = TableShown(name, tuple(self.header), (), "")
            self.header = None
            return self.shown
        self.header = cells
        return None


def _figure(cell: str) -> Any:
    """A number if it reads as one (`7.90`, `1,381,000`, `79%` stays text); an empty cell
    is no figure (None)."""
    if not cell:
        return None
    plain = cell.replace(",", "").replace("_", "")
    try:
        return int(plain)
    except ValueError:
        pass
    try:
        return float(plain)
    except ValueError:
        return cell
