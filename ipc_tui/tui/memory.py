"""The Shared memory pane: each Value and Array as cells; a write flashes and shows what it
overwrote."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from ipc_tui.engine import Snapshot, TraceEvent
from ipc_tui.engine.snapshot import cell_value
from ipc_tui.present import writes
from ipc_tui.tui.redraw import show_text

FLASH_SECONDS = 0.8
_GONE = object()  # no write seen: equal to no value


def _show(value: Any) -> str:
    """As the trace shows it (0.0, not 0: a float cell holds a float)."""
    return repr(value) if isinstance(value, (bytes, float)) else str(value)


class MemoryPane(Static):
    """Cells from the snapshot (the real shared memory); flashes and "was" from the trace's
    writes, so a write that leaves the value as it was still shows that it landed. "was" is
    shown only while it is true: the cell still holds what that write left, and no step since
    went by unseen (running free, a summary stands for many steps: any of them may have
    written)."""

    def __init__(self) -> None:
        super().__init__(id="memory", classes="pane", markup=False)
        self.border_title = "Shared memory"
        self._written_at: dict[tuple[str, Any], float] = {}
        self._overwrote: dict[tuple[str, Any], Any] = {}

    def reset(self) -> None:
        self._written_at.clear()
        self._overwrote.clear()

    def writes(self, events: list[TraceEvent]) -> None:
        for e in events:
            if e.kind == "summary":
                self._overwrote.clear()
            elif (
                e.kind == "step"
                and e.resource
                and isinstance(e.after, tuple)
                and (
                    writes(e.op) or e.before != e.after  # (an instruction that appended: CALL)
                )
            ):
                # (a list global, written whole: its items that changed flash)
                before = e.before if isinstance(e.before, tuple) else ()
                for i, item in enumerate(e.after):
                    if i >= len(before) or before[i] != item:
                        self._written_at[(e.resource, i)] = e.t
            elif (
                e.kind == "step"
                and writes(e.op)
                and isinstance(e.index, str)
                and e.index[:1] == "."
            ):
                self._written_at[(e.resource, 0)] = e.t  # (an object's attribute: it flashes)
            elif e.kind == "step" and writes(e.op) and e.resource and e.index != ":":
                key = (e.resource, e.index or 0)
                self._written_at[key] = e.t
                self._overwrote[key] = (e.before, e.after)

    def show(self, snap: Snapshot) -> None:
        out = Text(no_wrap=True, overflow="ellipsis")
        width = max((len(c.name) for c in snap.cells), default=0)
        for cell in snap.cells:
            values = cell.value if cell.kind == "array" else (cell.value,)
            out.append(f"{cell.name:<{width}} ", style="bold")
            for i, value in enumerate(values):
                flashing = snap.t - self._written_at.get((cell.name, i), -1e9) < FLASH_SECONDS
                # (no-break spaces inside a cell: a long array wraps between cells, never
                # between an index and its value)
                if cell.kind == "array":
                    out.append(f"{i}:", style="dim")
                shown = f"\xa0{_show(value)}\xa0"
                out.append(shown, style="reverse yellow" if flashing else "reverse")
                out.append(" ")
            if cell.kind == "array" and not values:
                out.append("(empty)", style="dim")
            if cell.kind == "array" and cell.typecode == "c":
                out.append(f" = {cell_value(cell)!r}", style="cyan")
            if cell.what == "global":  # a plain global: this process's own (name@w0: w0's)
                out.append(" global", style="dim")
            was = [
                (i, before)
                for i, value in enumerate(values)
                for before, after in [self._overwrote.get((cell.name, i), (None, _GONE))]
                if after == value
            ]
            if cell.kind == "value" and was:
                out.append(f"  was {_show(was[0][1])}", style="dim italic")
            out.append("\n")
            if cell.kind == "array" and was:
                listed = ", ".join(f"[{i}] {_show(v)}" for i, v in was)
                out.append(" " * (width + 1) + f"was {listed}\n", style="dim italic")
        out.rstrip()
        globals_ = any(cell.what == "global" for cell in snap.cells)
        self.border_subtitle = "global: each process its own" if globals_ else ""
        show_text(self, out)
