"""The Queues pane: each queue's items in order (first out first), its size against its bound,
full or empty, who is blocked on which end; each pipe's messages in flight, each way.

Shown only when the program has a queue or a pipe. A multiprocessing queue's items are bytes in
a pipe: what the pane lists was kept from the steps ("in transit"), and when that cannot be
told it says so and why (engine/channels.py)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ipc_tui.engine import Snapshot
from ipc_tui.engine.snapshot import PipeState, QueueState
from ipc_tui.tui.redraw import show_text


def _items(out: Text, items: tuple[str, ...]) -> None:
    for k, item in enumerate(items):
        if k:
            out.append(" · ", style="dim")
        out.append(item, style="bold cyan" if k == 0 else "cyan")


def _queue(out: Text, q: QueueState) -> None:
    out.append(f"{q.name} ", style="bold")
    size = "?" if q.size is None else str(q.size)
    bound = f"{size}/{q.maxsize}" if q.maxsize else size
    out.append(f"{q.what} {bound}" if q.size is not None else q.what, style="dim")
    if q.full:
        out.append(" full", style="bold yellow")
    elif q.empty:
        out.append(" empty", style="dim")
    if q.unfinished:
        out.append(f"  {q.unfinished} unfinished", style="magenta")
    where = "in the queue" if q.read else "in transit"
    if q.items is None:
        count = f"{q.size} " if q.size is not None else ""
        out.append(f"\n  {count}{where}: which, not known ({q.unknown})", style="dim italic")
    elif q.items:
        out.append(f"\n  {where}: ", style="dim")
        _items(out, q.items)
        if q.size is not None and q.size > len(q.items):
            out.append(f" … +{q.size - len(q.items)}", style="dim")
    for label, names in (
        ("blocked in get (empty)", q.getters),
        ("blocked in put (full)", q.putters),
        ("blocked in join", q.joiners),
    ):
        if names:
            out.append(f"\n  {label}: ", style="dim")
            out.append(", ".join(names), style="bold red")


def _pipe(out: Text, p: PipeState) -> None:
    out.append(p.name, style="bold")
    out.append(" Pipe" if p.duplex else " Pipe, one way", style="dim")
    for side in (0, 1):
        if not p.duplex and side == 1:
            continue  # (end 1 only sends)
        end, flight = p.ends[side], p.flight[side]
        out.append(f"\n  → {end}: ", style="dim")
        if p.closed[side]:
            out.append("closed", style="magenta")
        elif flight is None:
            waits = p.waiting[side]
            said = "something waits" if waits else "nothing waits" if waits is False else "?"
            out.append(f"{said} (which: not known)", style="dim italic")
        elif flight:
            _items(out, flight)
        else:
            out.append("nothing in flight", style="dim")
        if p.receivers[side]:
            out.append("\n    blocked in recv: ", style="dim")
            out.append(", ".join(p.receivers[side]), style="bold red")


class QueuesPane(Static):
    def __init__(self) -> None:
        super().__init__(id="queues", classes="pane", markup=False)
        self.border_title = "Queues and pipes"

    def show(self, snap: Snapshot) -> None:
        out = Text(overflow="fold")
        for q in snap.queues:
            _queue(out, q)
            out.append("\n")
        for p in snap.pipes:
            _pipe(out, p)
            out.append("\n")
        out.rstrip()
        show_text(self, out)
