"""The Events pane: each event's flag, and the workers parked in wait(), with their timeouts."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ipc_tui.engine import Snapshot
from ipc_tui.tui.redraw import show_text


class EventsPane(Static):
    def __init__(self) -> None:
        super().__init__(id="events", classes="pane", markup=False)
        self.border_title = "Events"

    def show(self, snap: Snapshot) -> None:
        out = Text(no_wrap=True, overflow="ellipsis")
        for event in snap.events:
            out.append(f"{event.name} ", style="bold")
            out.append(
                "● set" if event.is_set else "○ clear",
                style="bold green" if event.is_set else "dim",
            )
            if event.waiters:
                out.append("   parked: ", style="dim")
                for i, waiter in enumerate(event.waiters):
                    out.append(", " if i else "")
                    out.append(waiter.worker, style="yellow")
                    if waiter.deadline is not None:
                        left = max(0.0, waiter.deadline - snap.now)
                        out.append(f" ({left:.1f} s)", style="dim")
            out.append("\n")
        out.rstrip()
        show_text(self, out)
