"""The Queues pane: each queue's items in order (first out first), its size against its bound,
full or empty, who is blocked on which end; each pipe's messages in flight, each way.

Shown only when the program has a queue or a pipe. A multiprocessing queue's items are bytes in
a pipe: what the pane lists was kept from the steps ("in transit"), and when that cannot be
told it says so and why (engine/channels.py)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ipc_tui.engine import Snapshot
from ipc_tui.engine.snapshot import BarrierState, ConditionState, PipeState, QueueState
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
            if waits:
                said = "poll() says something waits (which: not known; or the other end closed)"
            else:
                said = "nothing waits" if waits is False else "not known"
            out.append(said, style="dim italic")
        elif flight:
            _items(out, flight)
        else:
            out.append("nothing in flight", style="dim")
        if p.receivers[side]:
            out.append("\n    blocked in recv: ", style="dim")
            out.append(", ".join(p.receivers[side]), style="bold red")


def _condition(out: Text, c: ConditionState) -> None:
    out.append(f"{c.name} ", style="bold")
    out.append(f"Condition, its lock {c.lock}", style="dim")
    if c.waiters:
        out.append("\n  waiting for a notify: ", style="dim")
        out.append(", ".join(c.waiters), style="bold red")
    elif c.waiting:  # (wait() counts itself in before it lets the lock go, as it must)
        out.append(f"\n  {c.waiting} inside wait(), not blocked yet", style="dim")
    if c.notifiers:
        out.append("\n  notifying, until the woken wake: ", style="dim")
        out.append(", ".join(c.notifiers), style="yellow")


def _barrier(out: Text, b: BarrierState) -> None:
    out.append(f"{b.name} ", style="bold")
    out.append(f"Barrier {b.n_waiting}/{b.parties} arrived", style="dim")
    if b.broken:
        out.append(" broken", style="bold magenta")
    if b.waiters:
        out.append("\n  waiting for the rest: ", style="dim")
        out.append(", ".join(b.waiters), style="bold red")


def channels_used(snap: Snapshot) -> bool:
    """The program has a queue, a pipe, a condition or a barrier: the pane shows."""
    return bool(snap.queues or snap.pipes or snap.conditions or snap.barriers)


class QueuesPane(Static):
    def __init__(self) -> None:
        super().__init__(id="queues", classes="pane", markup=False)
        self.border_title = "Queues and pipes"

    def show(self, snap: Snapshot) -> None:
        out = Text(overflow="fold")
        for things, draw in (
            (snap.queues, _queue),
            (snap.pipes, _pipe),
            (snap.conditions, _condition),
            (snap.barriers, _barrier),
        ):
            for thing in things:
                draw(out, thing)  # type: ignore[operator]
                out.append("\n")
        out.rstrip()
        titles = [
            title
            for title, things in (
                ("Queues", snap.queues),
                ("Pipes", snap.pipes),
                ("Conditions", snap.conditions),
                ("Barriers", snap.barriers),
            )
            if things
        ]
        title = " and ".join([", ".join(titles[:-1]), titles[-1]] if len(titles) > 1 else titles)
        if title != self.border_title:
            self.border_title = title
        show_text(self, out)
