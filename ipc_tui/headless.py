"""The headless front-end: run a schedule, then the rest free, and print what happened.

Exit codes: 0 every worker finished, 1 a worker failed or the scenario's check() did not hold,
2 bad input, 3 no progress (every live worker waits for ever, or the timeout ran out).
"""

from __future__ import annotations

import json
import sys
from time import monotonic, sleep
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ipc_tui.engine import (
    ScenarioInfo,
    Snapshot,
    TraceEvent,
    open_session,
    parse_schedule,
    recording,
)
from ipc_tui.engine import (
    replay as replaying,
)
from ipc_tui.engine.context import start_helpers
from ipc_tui.engine.recording import event_dict
from ipc_tui.engine.snapshot import Verdict, cell_value
from ipc_tui.engine.trace_file import TraceRecorder
from ipc_tui.present import rich_table, trace_line, verdict_lines, written

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_STUCK = 0, 1, 2, 3


def run_headless(
    info: ScenarioInfo,
    mode: str | None,
    schedule: str | None,
    timeout: float,
    as_json: bool,
    lang: str = "en",
    variant: str | None = None,
    quick: bool = False,
    start_method: str | None = None,
    argv: tuple[str, ...] = (),
    record: str | None = None,
    replay: replaying.Replay | None = None,
    force: bool = False,
    quiet: bool = False,
    trace: str | None = None,
) -> int:
    """`record`: write the run down in this file; `replay`: take a recording's turns instead
    of a schedule, and say whether the run went as recorded."""
    # Bad files fail here, before any process starts. A plain program gets its arguments, and
    # what is piped in as its stdin (`echo alice | ipc-tui hello.py --headless`).
    extra = (
        {"argv": argv, "stdin": None if sys.stdin.isatty() else sys.stdin} if info.program else {}
    )
    session = open_session(info, mode, variant, quick, start_method, **extra)
    # (a plain program's workers appear as it starts them: any name may come)
    names = None if info.program else session.worker_names
    turns = parse_schedule(schedule, names) if schedule else []
    shown = f"program, {session.method}" if info.program else session.mode  # (start method)
    watched = getattr(session, "watched", info.watched)  # (a measuring program's variant may)
    if quiet:  # (the explorer records a run it found: it says what it wants said)
        printer: Any = QuietPrinter()
    else:
        printer = JsonPrinter() if as_json else RichPrinter(info, shown, lang, watched)
    recorder = recording.Recorder() if record or replay else None
    tracer = TraceRecorder() if trace is not None else None
    printer = Keeping(printer, [k for k in (recorder, tracer) if k is not None])
    if replay is not None and replay.note:
        printer.notes([replay.note], "replay")
    if session.mode == "process":
        start_helpers()
    deadline = monotonic() + timeout
    outcome, waits, stuck = "finished", [], None
    try:
        session.start()
        try:
            if replay is not None:
                printer.notes(replaying.follow(session, replay, timeout, force), "replay")
            else:
                printer.notes(session.run_schedule(turns, timeout))
        except TimeoutError:
            outcome = "timeout"
        if outcome == "finished" and replay is not None and replay.saved_running:
            outcome = "running"  # (it was saved there, the run going on: it ends there too)
        # Recorded, the rest is stepped (the next ready worker, as n does), not run free: a
        # free run is not traced step by step (a plain global's reads and writes are not
        # steps then), so its order could not be replayed.
        stepping = recorder is not None and (replay is None or replay.ran_free_after is None)
        if outcome == "finished" and not stepping:
            session.run()
        while outcome == "finished" and not session.finished():
            stepped = stepping and session.wait_settled(0.01) and session.step() is not None
            printer.events(session.drain_events())
            verdict = session.verdict()
            if verdict.certain:  # a cycle never untangles, even while others still run
                outcome, waits, stuck = "stalled", who_waits(verdict), verdict
            elif monotonic() > deadline:
                outcome = "timeout"
            elif not stepped:
                sleep(0.01)
        if outcome == "timeout":
            waits = _who_waits(session.snapshot())
        if outcome == "finished":
            session.wait_exited(max(1.0, deadline - monotonic()))  # so exit codes are known
            session.wait_checked(max(1.0, deadline - monotonic()))
        printer.events(session.drain_events())
        final = session.snapshot()
        if recorder is not None:
            run = recorder.recording(session, final_state(final, outcome, waits), argv, quick)
            if record:
                recording.save(run, record)
    finally:
        session.close()
    printer.final(final, outcome, waits)
    if tracer is not None:
        try:
            tracer.write(trace)
        except OSError as exc:
            print(f"ipc-tui: cannot write the trace: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
    if not quiet:
        for said in written(record, trace):
            print(said, file=sys.stderr)
    if replay is not None and not quiet:
        state = "state where it was saved" if replay.saved_running else "final state"
        said = replaying.differences(replay, run) or [
            f"replayed as recorded: the same {len(replay.steps)} steps in the same order, "
            f"each doing the same, and the same {state}"
        ]
        for line in said:
            print(f"ipc-tui: replay: {line}", file=sys.stderr if as_json else sys.stdout)
    if outcome == "running":
        failed = any(w.state in ("failed", "killed") for w in final.workers)
        return EXIT_FAILED if failed else EXIT_OK
    if outcome != "finished":
        why = {"stalled": "every live worker waits for ever", "timeout": "timed out"}[outcome]
        if stuck is not None and stuck.kind == "deadlock":
            why = "a deadlock"
        print(
            f"ipc-tui: no progress ({why}): {'; '.join(waits) or 'workers still running'}",
            file=sys.stderr,
        )
        return EXIT_STUCK
    if any(w.state in ("failed", "killed") for w in final.workers):
        return EXIT_FAILED
    if final.checked is not None and not final.checked.held:
        return EXIT_FAILED
    return EXIT_OK


def who_waits(verdict: Verdict) -> list[str]:
    """Who waits for what, and the circle they make, in words."""
    cycle = ["cycle: " + " → ".join(verdict.cycle)] if verdict.cycle else []
    return [*verdict.waits, *cycle]


def _who_waits(snap: Snapshot) -> list[str]:
    if snap.verdict.kind == "likely":  # a circle, while others still run
        return who_waits(snap.verdict)
    return [
        f"{w.name} is {w.state}"
        + (f" on {w.blocked_on}" if w.blocked_on else "")
        + (f" ({w.busy:.1f} s without a step)" if w.busy >= 1 else "")
        for w in snap.workers
        if w.live or w.state == "new"
    ]


def final_state(snap: Snapshot, outcome: str, waits: list[str]) -> dict:
    return recording.final_state(snap, outcome, waits, verdict_lines(snap.verdict, snap.checked))


class Keeping:
    """A printer that also hands every event to what keeps them: a recording (`--record`,
    engine/recording.py), a trace file (`--trace`, engine/trace_file.py)."""

    def __init__(self, printer: Any, keepers: list[Any]) -> None:
        self.printer, self.keepers = printer, keepers

    def notes(self, notes: list[str], label: str = "schedule") -> None:
        self.printer.notes(notes, label)

    def events(self, events: list[TraceEvent]) -> None:
        for keeper in self.keepers:
            keeper.add(events)
        self.printer.events(events)

    def final(self, snap: Snapshot, outcome: str, waits: list[str]) -> None:
        for keeper in self.keepers:
            saw = getattr(keeper, "saw", None)  # (the trace: each worker's pid and thread)
            if saw is not None:
                saw(snap)
        self.printer.final(snap, outcome, waits)


class QuietPrinter:
    def notes(self, notes: list[str], label: str = "schedule") -> None:
        pass

    def events(self, events: list[TraceEvent]) -> None:
        pass

    def final(self, snap: Snapshot, outcome: str, waits: list[str]) -> None:
        pass


class JsonPrinter:
    def notes(self, notes: list[str], label: str = "schedule") -> None:
        for note in notes:
            print(f"ipc-tui: {label}: {note}", file=sys.stderr)

    def events(self, events: list[TraceEvent]) -> None:
        for e in events:
            print(json.dumps(event_dict(e)))

    def final(self, snap: Snapshot, outcome: str, waits: list[str]) -> None:
        print(json.dumps({"final": final_state(snap, outcome, waits)}), flush=True)


class RichPrinter:
    def __init__(self, info: ScenarioInfo, mode: str, lang: str = "en", watched: bool = True):
        self.console = Console(highlight=False)
        title = info.text(lang)[0]
        said = mode if info.program else f"{mode} mode"  # "program, fork": its start method
        said += "" if watched else ", unwatched"  # (it measures: plain python's run)
        self.console.print(Text(f"{info.name} ({said}): {title}", style="bold"))

    def notes(self, notes: list[str], label: str = "schedule") -> None:
        for note in notes:
            self.console.print(Text(f"{label}: {note}", style="yellow"))

    def events(self, events: list[TraceEvent]) -> None:
        for e in events:
            self.console.print(trace_line(e))
            if e.kind == "failed":
                self.console.print(Text(str(e.result), style="red"))

    def final(self, snap: Snapshot, outcome: str, waits: list[str]) -> None:
        c = self.console
        for measured in reversed(snap.tables):  # (in the order they were made, as printed)
            c.print(rich_table(measured))
        if snap.cells:
            table = Table("cell", "value", title="Shared memory", title_justify="left")
            for cell in snap.cells:
                table.add_row(cell.name, repr(cell_value(cell)))
            c.print(table)
        if snap.locks:
            table = Table("lock", "holder", "waiters", title="Locks", title_justify="left")
            for lk in snap.locks:
                table.add_row(lk.name, lk.holder or "free", ", ".join(lk.waiters))
            c.print(table)
        if snap.semaphores:
            table = Table(
                "semaphore", "value", "inside", "waiters", title="Semaphores", title_justify="left"
            )
            for s in snap.semaphores:
                table.add_row(
                    s.name, f"{s.value}/{s.initial}", ", ".join(s.holders), ", ".join(s.waiters)
                )
            c.print(table)
        if snap.events:
            table = Table("event", "flag", "waiters", title="Events", title_justify="left")
            for e in snap.events:
                table.add_row(
                    e.name, "set" if e.is_set else "clear", ", ".join(x.worker for x in e.waiters)
                )
            c.print(table)
        if snap.queues or snap.pipes:
            table = Table("queue or pipe", "in it", "blocked", title="Queues", title_justify="left")
            for q in snap.queues:
                items = "not known" if q.items is None else " · ".join(q.items)
                blocked = [*q.getters, *q.putters, *q.joiners]
                table.add_row(q.name, items, ", ".join(blocked))
            for p in snap.pipes:
                for side in (0, 1):
                    flight = p.flight[side]
                    items = "not known" if flight is None else " · ".join(flight)
                    table.add_row(f"{p.name} → {p.ends[side]}", items, ", ".join(p.receivers[side]))
            c.print(table)
        table = Table(
            "worker",
            "kind",
            "pid",
            "state",
            "steps",
            "waited",
            "exit code",
            title="Workers",
            title_justify="left",
        )
        for w in snap.workers:
            state = w.state + (f" on {w.blocked_on}" if w.blocked_on else "")
            table.add_row(
                w.name,
                w.kind,
                str(w.pid or ""),
                state,
                str(w.steps),
                f"{w.waited + w.blocked_for:.3f} s" if w.waited + w.blocked_for else "",
                "" if w.exitcode is None else str(w.exitcode),
            )
        c.print(table)
        for wait in waits:
            c.print(Text(wait, style="red"))
        for line in verdict_lines(snap.verdict, snap.checked):
            held = line.startswith("AS EXPECTED")
            c.print(Text(line, style="green" if held else "bold red"))
        failed = [w.name for w in snap.workers if w.state in ("failed", "killed")]
        if outcome == "finished" and failed:  # (exit code 1: say why on the last line too)
            c.print(Text(f"finished, {', '.join(failed)} failed", style="bold red"))
        else:
            style = {"finished": "green", "running": "yellow"}.get(outcome, "bold red")
            c.print(Text(outcome, style=style))
