"""How front-ends show engine values and trace events (shared by headless and the app)."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from ipc_tui.engine import TraceEvent
from ipc_tui.engine.check import Checked
from ipc_tui.engine.snapshot import Verdict


def plain(value: Any) -> Any:
    """A value as JSON has it: bytes as text, tuples as lists."""
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    return value


def cell_value(cell: Any) -> Any:
    """A 'c' array reads as its byte string, as `.value` gives it; other cells as they are."""
    if cell.kind == "array" and cell.typecode == "c":
        return b"".join(cell.value).split(b"\0", 1)[0].decode("latin-1")
    return plain(cell.value)


def figure(value: Any) -> str:
    """A measured figure as a table shows it: about three significant digits."""
    if value is None:
        return ""
    if isinstance(value, float):
        if abs(value) >= 100:
            return f"{value:,.0f}"
        return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def rich_table(table: Any) -> Table:
    """A measured table (engine Table) as Rich draws it, its note below."""
    out = Table(
        *table.columns,
        title=table.name,
        title_justify="left",
        caption=table.note,
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    for row in table.rows:
        out.add_row(*(figure(v) for v in row))
    return out


def trace_line(e: TraceEvent) -> Text:
    where = e.resource or ""
    if e.index is not None:
        where += f"[{e.index}]"
    text = Text(f"{e.t:7.3f} {e.worker:<6} ")
    text.append(f"#{e.seq:<3}" if e.seq else "    ", style="dim")
    text.append(f" {e.op} {where}".rstrip(), style="bold" if e.kind == "step" else "yellow")
    if e.kind == "step":
        if e.op == "write" or (e.before != e.after and e.before is not None):
            text.append(f"  {e.before!r} -> {e.after!r}")
        elif e.op in ("read", "get_value"):
            text.append(f"  = {e.after!r}")
        elif e.op == "sleep":
            text.append(f"  {e.result:g} s")
        elif e.result is not None:
            text.append(f"  -> {e.result!r}")
    elif e.kind == "blocked":
        text.append("  (blocked)", style="red")
    elif e.kind == "output":
        text.append(f"  {e.result}", style="cyan")
    elif e.kind == "sleeping":
        text.append(f"  {e.result:g} s (sleeping)", style="yellow")
    elif e.kind == "summary":
        text.append(f"  (running free: {e.result} steps up to this one)", style="dim")
    text.append(f"  line {e.line}", style="dim")
    return text


def verdict_words(v: Verdict) -> tuple[str, list[str]]:
    """A verdict as every front-end says it: a headline, and the lines that explain it."""
    cycle = " → ".join(v.cycle)
    if v.kind == "deadlock":
        return f"DEADLOCK: {cycle}", [*v.waits, f"cycle: {cycle}"]
    if v.kind == "stuck":
        return "STUCK: " + "; ".join(v.waits), list(v.waits)
    if v.kind == "likely":
        free = ", ".join(v.free)
        runs = "runs" if len(v.free) == 1 else "run"
        unless = f"{free} still {runs}: unless it releases a lock it does not hold, this never ends"
        if len(v.free) > 1:
            unless = unless.replace("unless it", "unless one of them")
        if cycle:
            return f"LIKELY DEADLOCK: {cycle}", [*v.waits, f"cycle: {cycle}", unless]
        return "LIKELY STUCK: " + "; ".join(v.waits), [*v.waits, unless]
    return v.kind, []


def check_line(checked: Checked) -> Text:
    """The scenario's check() as every front-end says it."""
    if checked.held:
        return Text(f"✓ as expected: {checked.says}", style="green")
    return Text(f"✗ not as expected: {checked.says}", style="bold red")
