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


def instructions_text(listing: tuple, offset: int) -> Text:
    """The line's instructions in order: those run dim, the next one reversed."""
    k, line = line_of(listing, offset)
    out = Text()
    for j, (_, ln, name, arg) in enumerate(listing):
        if ln != line:
            continue
        if out:
            out.append(" · ", style="dim")
        label = f"{name} {arg}".rstrip().replace(" ", "\xa0")  # (wraps between instructions)
        if j == k:
            out.append("▶" + label, style="reverse bold")
        else:
            out.append(label, style="dim" if j < k else "")
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
        out = Text()
        live = [w for w in snap.workers if w.live]
        live.sort(key=lambda w: w.name != self.selected)  # (stable: then in their order)
        for w in live:
            found = session.bytecode(w.at) if w.at else None
            if out:
                out.append("\n")
            out.append(f"{w.name} ", style="bold")
            if found is None:
                out.append(f"{w.state}: its next instruction is not known", style="dim")
                continue
            name, listing = found
            _, line = line_of(listing, w.at[1])
            out.append(f"{name}:{line}  ", style="dim")
            out.append_text(instructions_text(listing, w.at[1]))
        if not out:
            out = Text("No worker is running.", style="dim")
        show_text(self, out)
