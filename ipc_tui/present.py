"""How front-ends show engine values and trace events (shared by headless and the app)."""

from __future__ import annotations

import io
from typing import Any

from rich import box
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from ipc_tui.engine import TraceEvent
from ipc_tui.engine.check import Checked
from ipc_tui.engine.snapshot import Verdict


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


def rich_table(table: Any, width: int = 0) -> Table:
    """A measured table (engine Table) as Rich draws it, its note below. With a `width`, each
    row stays one line in it: the widest column of words is cut short (…), not the figures."""
    texts = [[figure(v) for v in row] for row in table.rows]
    out = _table(table, texts, no_wrap=bool(width))
    excess = Measurement.get(_MEASURE, _MEASURE.options, out).maximum - width
    words = [k for k in range(len(table.columns)) if all(isinstance(r[k], str) for r in table.rows)]
    if width and excess > 0 and words:
        size = [
            max(len(name), *(len(row[k]) for row in texts)) for k, name in enumerate(table.columns)
        ]
        widest = max(words, key=lambda k: size[k])
        out = _table(table, texts, no_wrap=True, most={widest: max(6, size[widest] - excess)})
    return out


_MEASURE = Console(width=10_000, file=io.StringIO())  # (measures tables, prints nothing)


def _table(table: Any, texts: list[list[str]], no_wrap: bool, most: dict | None = None) -> Table:
    out = Table(
        title=table.name,
        title_justify="left",
        caption=table.note,
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    for k, name in enumerate(table.columns):
        max_width = (most or {}).get(k)
        out.add_column(name, no_wrap=no_wrap, overflow="ellipsis", max_width=max_width)
    for row in texts:
        out.add_row(*row)
    return out


def writes(op: str) -> bool:
    """A step that writes its cell: a write, or a store instruction (the instruction grain)."""
    return op == "write" or op.startswith("STORE_")


def reads(op: str) -> bool:
    return op in ("read", "get_value") or op.startswith("LOAD_")


def trace_line(e: TraceEvent) -> Text:
    """One line of the trace: when, who, its step number, then what happened."""
    text = Text(f"{e.t:7.3f} {e.worker:<6} ")
    text.append(f"#{e.seq:<3} " if e.seq else "     ", style="dim")
    return text + what_happened(e)


CHANNEL_OPS = ("put", "get", "send", "recv", "join")  # (a queue's join says it is all done)


def what_happened(e: TraceEvent, space: str = " ") -> Text:
    """The step (or what happened to the worker), its result, and its line (`line` and its
    number joined by `space`)."""
    where = e.resource or ""
    if isinstance(e.index, str) and e.index.startswith("."):  # an object's attribute
        where += e.index
    elif e.index is not None:
        where += f"[{e.index}]"
    text = Text(f"{e.op} {where}".rstrip(), style="bold" if e.kind == "step" else "yellow")
    if e.kind == "step":
        if e.op in CHANNEL_OPS and isinstance(e.result, str):  # the item moved, as its repr
            text.append(f"  {e.result}", style="cyan")
            counts = [x for x in (e.before, e.after) if type(x) is int]  # (not a bool: poll())
            if e.before != e.after and len(counts) == 2:
                text.append(f"  ({e.before} -> {e.after} in it)", style="dim")
        elif (writes(e.op) and e.resource) or (e.before != e.after and e.before is not None):
            text.append(f"  {e.before!r} -> {e.after!r}")
        elif reads(e.op) and e.resource:
            text.append(f"  = {e.after!r}")
        elif e.op == "sleep":
            text.append(f"  {e.result:g} s")
        elif e.op == "join":  # (join returns None: what it shows is whether the worker ended)
            text.append("  (ended)" if e.result else "  (still alive)")
        elif e.result is not None:
            text.append(f"  -> {e.result!r}")
    elif e.kind == "blocked":
        text.append("  (blocked)", style="red")
    elif e.kind == "output":
        text.append(f"  {e.result}", style="cyan")
    elif e.kind == "sleeping":
        text.append(f"  {e.result:g} s (sleeping)", style="yellow")
    elif e.kind == "summary":
        steps = "1 step" if e.result == 1 else f"{e.result} steps"
        text.append(f"  (running free: {steps} up to this one)", style="dim")
    # (0: not known, as for a worker's summary of its steps running free; a worker's end is
    # not a line of its code)
    if e.line and e.kind not in ("finished", "killed", "cut off", "failed"):
        text.append(f"  line{space}{e.line}", style="dim")
    return text


def verdict_lines(v: Verdict, checked: Checked | None = None) -> list[str]:
    """What a run has come to, as every front-end says it (the app's verdict bar, headless):
    one line each, `WORD: what`. None while somebody can still move and nothing was checked."""
    cycle = " → ".join(v.cycle)
    if v.kind == "deadlock":
        return [f"DEADLOCK: {cycle} (each waits for the next, for ever)"]
    if v.kind == "stuck":
        return [f"STUCK: {wait}" for wait in v.waits]
    if v.kind == "likely":
        free = ", ".join(v.free)
        unless = f"unless {free} releases a lock it does not hold"
        if cycle:
            return [f"LIKELY DEADLOCK: {cycle} ({unless})"]
        return [f"LIKELY STUCK: {wait} ({unless})" for wait in v.waits]
    if v.kind == "finished" and checked is not None:
        if checked.held:
            return [f"AS EXPECTED: {checked.says}"]
        return [f"NOT AS EXPECTED: {checked.says}"]
    return []


def written(record: str | None, trace: str | None) -> list[str]:
    """What was written where, and what opens it."""
    said = []
    if record:
        said.append(f"ipc-tui: the run is in {record} (ipc-tui --replay {record} opens it)")
    if trace:
        said.append(f"ipc-tui: the trace is in {trace} (open it at ui.perfetto.dev)")
    return said
