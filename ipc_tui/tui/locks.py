"""The Locks pane: who holds each lock, and who waits for it, in order."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ipc_tui.engine import Snapshot
from ipc_tui.tui.redraw import show_text


class LocksPane(Static):
    def __init__(self) -> None:
        super().__init__(id="locks", classes="pane", markup=False)
        self.border_title = "Locks"

    def show(self, snap: Snapshot) -> None:
        out = Text(no_wrap=True, overflow="ellipsis")
        for lock in snap.locks:
            out.append(f"{lock.name} ", style="bold")
            if lock.holder and lock.holder_gone:
                gone = "is dead" if snap.worker(lock.holder).state == "killed" else "has ended"
                out.append(f"● held by {lock.holder}, which {gone}", style="bold magenta")
            elif lock.holder:
                out.append(f"● held by {lock.holder}", style="bold red")
            elif lock.locked:
                out.append("● held", style="bold red")
            else:
                out.append("○ free", style="green")
            if lock.waiters:
                out.append("   waiting: ", style="dim")
                out.append(" → ".join(lock.waiters), style="yellow")
            out.append("\n")
        out.rstrip()
        show_text(self, out)
