"""The Results pane: what a measuring scenario measured, table by table, filled in live."""

from __future__ import annotations

from rich.console import Group
from textual.containers import VerticalScroll
from textual.widgets import Static

from ipc_tui.engine import Snapshot
from ipc_tui.present import rich_table


class ResultsPane(VerticalScroll):
    def __init__(self) -> None:
        super().__init__(id="results", classes="pane")
        self.border_title = "Results"
        self.text = Static()
        self._shown: tuple = ()

    def compose(self):
        yield self.text

    def show(self, snap: Snapshot) -> None:
        if snap.tables != self._shown:  # redraw only what changed: an idle app stays idle
            self._shown = snap.tables
            self.text.update(Group(*(rich_table(t) for t in snap.tables)))
