"""The Bytecode pane (b): for each worker at its gate, the instructions of the line it is on
(`dis`), the one it runs next marked. With i, a step is one of them."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from ipc_tui.engine import Snapshot
from ipc_tui.tui.redraw import show_text


def line_of(listing: tuple, offset: int) -> tuple[int, int]:
    """(the index of the instruction at `offset`, or the last one before it: a frame inside
    a call is at the call; its line)."""
    k = 0
    for j, ins in enumerate(listing):
        if ins[0] <= offset:
            k = j
        else:
            break
    return k, listing[k][1]


def instructions_text(listing: tuple, offset: int, width: int = 0) -> Text:
    """The line's instructions in order: those run dim, the next one reversed; with `width`,
    those around the next one that fit in it, on one row (… where some are left out)."""
    k, line = line_of(listing, offset)
    mine = [j for j, ins in enumerate(listing) if ins[1] == line]
    labels = {j: f"{listing[j][2]} {listing[j][3]}".rstrip() for j in mine}
    labels[k] = "▶" + labels[k]
    shown = [k]
    if width:
        room = width - len(labels[k]) - 2  # (an … at each end)
        before = [j for j in mine if j < k][::-1]
        after = [j for j in mine if j > k]
        while before or after:  # one after, then one before, while they fit
            for side in (after, before):
                if side and len(labels[side[0]]) + 3 <= room:
                    room -= len(labels[side[0]]) + 3
                    shown.append(side.pop(0))
                elif side:
                    side.clear()
        shown.sort()
    else:
        shown = mine
    out = Text()
    if shown[0] != mine[0]:
        out.append("… ", style="dim")
    for n, j in enumerate(shown):
        if n:
            out.append(" · ", style="dim")
        if j == k:
            out.append(labels[j], style="reverse bold")
        else:
            out.append(labels[j], style="dim" if j < k else "")
    if shown[-1] != mine[-1]:
        out.append(" …", style="dim")
    return out


class BytecodePane(Static):
    def __init__(self) -> None:
        super().__init__(id="bytecode", classes="pane", markup=False)
        self.border_title = "Bytecode"
        self.display = False
        self.selected = ""  # the worker last stepped by its key: shown first

    def show(self, snap: Snapshot, session: Any) -> None:
        instructions = session is not None and session.grain
        self.border_subtitle = "i: one instruction a step" if instructions else "i: by instruction"
        if session is None or not session.can_step_instructions:
            show_text(self, Text("Only a plain program's bytecode is shown.", style="dim"))
            return
        out = Text(no_wrap=True, overflow="ellipsis")
        live = [w for w in snap.workers if w.live]
        live.sort(key=lambda w: w.name != self.selected)  # (stable: then in their order)
        width = self.content_size.width
        for w in live:
            found = session.bytecode(w.at) if w.at else None
            if out:
                out.append("\n")
            out.append(f"{w.name} ", style="bold")
            if found is None:  # (not at a gate: where it is, its state says)
                said = f"blocked on {w.blocked_on}" if w.blocked_on else w.state
                out.append(f"{said}: between steps", style="dim")
                continue
            name, listing = found
            _, line = line_of(listing, w.at[1])
            head = f"{name}:{line} "
            out.append(head, style="dim")
            room = max(12, width - len(w.name) - 1 - len(head)) if width else 0
            out.append_text(instructions_text(listing, w.at[1], room))
        if not out:
            out = Text("No worker is running.", style="dim")
        show_text(self, out)
