"""The verdict bar, above the keys: what the run has come to, in full (a deadlock's cycle, who
is stuck on what a dead worker held), as many lines as it takes, wrapped to the screen's width.
The app says which lines (`IpcApp.verdicts`); the bar is hidden while there are none."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import Static


class VerdictBar(Static):
    def __init__(self) -> None:
        super().__init__(id="verdict", markup=False)
        self.lines: tuple[str, ...] = ()
        self.display = False

    def show(self, lines: Sequence[str]) -> None:
        if tuple(lines) == self.lines:
            return  # an idle app stays idle
        self.lines = tuple(lines)
        self.update("\n".join(lines))
        self.display = bool(lines)
