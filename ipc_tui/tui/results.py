"""The Results pane: what a measuring scenario measured, table by table, filled in live.

The tables stay in the order they first appeared (in `gil`, which thread runs, then the
timings), and the pane scrolls to the one being filled in; a table that has only appeared
(its figures still to come) does not take the view from the one just measured."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Static

from ipc_tui.engine import Snapshot
from ipc_tui.engine.snapshot import Table
from ipc_tui.present import rich_table


class ResultsPane(VerticalScroll):
    def __init__(self) -> None:
        super().__init__(id="results", classes="pane")
        self.border_title = "Results"
        self.tables: dict[str, tuple[Table, Static]] = {}  # by name, in their first order
        self._drawn_at = 0  # the width they were drawn for

    def reset(self) -> None:
        self.remove_children()
        self.tables = {}

    @property
    def width(self) -> int:
        return self.scrollable_content_region.width

    def on_resize(self) -> None:
        if self.width != self._drawn_at:  # each row one line at the new width
            self._drawn_at = self.width
            for table, view in self.tables.values():
                view.update(rich_table(table, self.width))

    def show(self, snap: Snapshot) -> None:
        changed = None
        for table in reversed(snap.tables):  # (the one changed last comes first)
            if table.name not in self.tables:
                view = Static(rich_table(table, self.width))
                self.mount(view)
                self.tables[table.name] = (table, view)
            elif self.tables[table.name][0] != table:  # redraw only what changed
                view = self.tables[table.name][1]
                view.update(rich_table(table, self.width))
                self.tables[table.name] = (table, view)
                changed = view
        if changed is not None:
            self.call_after_refresh(self.scroll_to_widget, changed, animate=False)
