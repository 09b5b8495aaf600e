"""The Locks pane: who holds each lock, and who waits for it, in order.

A line a lock, `a ● held by w0   waiting: w1 → w2`, when every such line fits the pane; on a
narrow screen, a table instead (lock, held by, waiting), still a line a lock, so that five
forks and their queues show in seven lines."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from ipc_tui.engine import Snapshot
from ipc_tui.engine.snapshot import LockState
from ipc_tui.tui.redraw import show_text


def holder(lock: LockState, snap: Snapshot, short: bool) -> tuple[str, str]:
    """What holds the lock, in words, and its style."""
    if lock.holder and lock.holder_gone:
        gone = "dead" if snap.worker(lock.holder).state == "killed" else "ended"
        if short:
            return f"● {lock.holder} ({gone})", "bold magenta"
        which = "is dead" if gone == "dead" else "has ended"
        return f"● held by {lock.holder}, which {which}", "bold magenta"
    if lock.holder:
        return (f"● {lock.holder}" if short else f"● held by {lock.holder}"), "bold red"
    if lock.locked:
        return "● held", "bold red"
    return "○ free", "green"


class LocksPane(Static):
    def __init__(self) -> None:
        super().__init__(id="locks", classes="pane", markup=False)
        self.border_title = "Locks"

    def show(self, snap: Snapshot) -> None:
        width = self.content_size.width
        lines = []
        for lock in snap.locks:
            held, _ = holder(lock, snap, short=False)
            queue = f"   waiting: {' → '.join(lock.waiters)}" if lock.waiters else ""
            lines.append(f"{lock.name} {held}{queue}")
        if width and any(cell_len(line) > width for line in lines):
            table = self.table(snap)
            fits = all(cell_len(line) <= width for line in table.plain.split("\n"))
            show_text(self, table if fits else self.stacked(snap))
        else:
            show_text(self, self.sentences(snap))

    def stacked(self, snap: Snapshot) -> Text:
        """Narrower still (long names: `counter.get_lock()`): each lock's name on a line of
        its own, its holder and queue indented under it, so that a waiter never reads as
        another lock."""
        out = Text()
        for lock in snap.locks:
            out.append(f"{lock.name}\n", style="bold")
            out.append("  ")
            out.append(*holder(lock, snap, short=True))
            if lock.waiters:
                out.append("  waiting: ", style="dim")
                out.append(" → ".join(lock.waiters), style="yellow")
            out.append("\n")
        out.rstrip()
        return out

    def sentences(self, snap: Snapshot) -> Text:
        out = Text()
        for lock in snap.locks:
            out.append(f"{lock.name} ", style="bold")
            out.append(*holder(lock, snap, short=False))
            if lock.waiters:
                out.append("   waiting: ", style="dim")
                out.append(" → ".join(lock.waiters), style="yellow")
            out.append("\n")
        out.rstrip()
        return out

    def table(self, snap: Snapshot) -> Text:
        held = [holder(lock, snap, short=True) for lock in snap.locks]
        name_width = max(len("lock"), *(cell_len(x.name) for x in snap.locks))
        held_width = max(len("held by"), *(cell_len(text) for text, _ in held))
        out = Text(f"{'lock':<{name_width}}  {'held by':<{held_width}}  waiting\n", style="dim")
        for lock, (text, style) in zip(snap.locks, held, strict=True):
            out.append(f"{lock.name:<{name_width}}  ", style="bold")
            out.append(f"{text:<{held_width}}  ", style=style)
            out.append(" → ".join(lock.waiters), style="yellow")
            out.append("\n")
        out.rstrip()
        return out
