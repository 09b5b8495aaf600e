"""`ipc-tui --scenario X --explore`: the explorer (engine/explore.py), headless.

It shows its progress on stderr while it runs (one line, redrawn on a terminal; a line a
second otherwise), then the table of outcomes, the first failure with the command that replays
it, what the search can promise, and how fast it went. `--json` prints the same as one
`{"final": ...}` line (and `{"progress": ...}` lines while it runs).

Exit codes: 0 no run failed, 1 some run failed (its schedule is printed), 2 bad input.
"""

from __future__ import annotations

import json
import shlex
import sys
from time import monotonic
from typing import Any

from rich.console import Console
from rich.table import Column, Table
from rich.text import Text

from ipc_tui.engine.explore import Explorer, Found, Report
from ipc_tui.engine.loader import ScenarioInfo, is_builtin


def replay_command(
    info: ScenarioInfo,
    mode: str | None,
    variant: str | None,
    start_method: str | None,
    argv: tuple[str, ...],
    schedule: str,
) -> str:
    """The command that replays `schedule`, as the explorer ran it."""
    words = ["ipc-tui"]
    if is_builtin(info):
        words += ["--scenario", info.name]
    else:
        words += [info.path, *argv]
    if mode:
        words += ["--mode", mode]
    if variant:
        words += ["--variant", variant]
    if start_method:
        words += ["--start-method", start_method]
    words += ["--headless", "--schedule", schedule]
    return shlex.join(words)


def found_dict(f: Found) -> dict:
    o = f.outcome
    return {
        "outcome": o.words(),
        "failed": o.failed,
        "cells": dict(o.cells),
        "failures": {worker: line for worker, line in o.failures},
        "verdict": o.verdict,
        "cycle": list(o.cycle),
        "check": o.check,
        "runs": f.runs,
        "schedule": f.schedule,
        "preemptions": f.preemptions,
        "steps": f.steps,
        "first_run": f.first,
    }


def report_dict(rep: Report, replay: Any = None) -> dict:
    return {
        "strategy": rep.strategy,
        "statement": rep.statement(),
        "complete": rep.complete,
        "bound": rep.bound,
        "interleavings": rep.runs,
        "runs": rep.started,
        "seconds": round(rep.seconds, 3),
        "runs_per_second": round(rep.per_second(), 1),
        "pruned": rep.pruned,
        "stopped_early": rep.stopped,
        "diverged": rep.diverged,
        "ended": rep.over,
        "outcomes": [found_dict(f) for f in rep.found],
        "first_failure": None if rep.first_failure is None else found_dict(rep.first_failure),
        "lock_cycles": [
            {"cycle": [list(edge) for edge in cycle], "ended": ended} for cycle, ended in rep.cycles
        ],
        "replay": None
        if rep.first_failure is None or replay is None
        else replay(rep.first_failure.schedule),
    }


def run_explore(
    info: ScenarioInfo,
    mode: str | None,
    variant: str | None,
    start_method: str | None,
    argv: tuple[str, ...],
    as_json: bool,
    strategy: str,
    budget: int | None,
    seconds: float | None,
    check: str | None,
    preemptions: int | None,
    depth: int,
    seed: int,
    record: str | None = None,
) -> int:
    """`record`: the first failure's run (or, with none, the first outcome's) is run once
    more and written to this file as a recording (`--replay` opens it)."""
    explorer = Explorer(
        info,
        mode=mode,
        variant=variant,
        start_method=start_method,
        argv=argv,
        strategy=strategy,
        budget=budget,
        seconds=seconds,
        check=check,
        preemptions=preemptions,
        depth=depth,
        seed=seed,
    )
    shown_mode = mode if mode and mode != info.modes[0] else None

    def replay(schedule: str) -> str:
        return replay_command(info, shown_mode, variant, start_method, argv, schedule)

    progress = _Progress(as_json)
    interrupted = False
    try:
        rep = explorer.explore(progress)
    except KeyboardInterrupt:  # (ctrl+c: every run has ended; what was found is still said)
        rep, interrupted = explorer.report, True
        rep.over = "stopped"
    finally:
        progress.done()
    recorded = _record(info, explorer, rep, record) if record and not interrupted else None
    if as_json:
        final = report_dict(rep, replay)
        if record:
            final["recorded"] = recorded
        print(json.dumps({"final": final}), flush=True)
    else:
        _print(info, explorer, rep, replay)
        if recorded:
            Console(highlight=False).print(
                Text(f"recorded {recorded['outcome']!r}: ipc-tui --replay {record}"),
                soft_wrap=True,
            )
    if interrupted:
        return 130
    return 1 if rep.failures else 0


def _record(info: ScenarioInfo, explorer: Explorer, rep: Report, path: str) -> dict | None:
    """Run the first failure's schedule (or the first outcome's) once more, recorded."""
    from ipc_tui.headless import run_headless

    chosen = rep.first_failure or (rep.found[0] if rep.found else None)
    if chosen is None:
        return None
    o = explorer.options
    run_headless(
        info,
        o["mode"],
        chosen.schedule,
        info.timeout,
        False,
        variant=o["variant"],
        start_method=o["start_method"],
        argv=o["argv"],
        record=path,
        quiet=True,
    )
    return {"path": path, "outcome": chosen.outcome.words(), "schedule": chosen.schedule}


class _Progress:
    """How far it has got, on stderr: one line redrawn on a terminal, a line a second (or
    a JSON line) otherwise."""

    def __init__(self, as_json: bool):
        self.as_json = as_json
        self.tty = sys.stderr.isatty() and not as_json
        self.next = monotonic() + 1.0
        self.drawn = False

    def __call__(self, rep: Report) -> None:
        now = monotonic()
        if not self.tty and now < self.next:
            return
        self.next = now + (0.1 if self.tty else 1.0)
        bad = len(rep.failures)
        searching = f", preemptions ≤ {rep.searching}" if rep.searching is not None else ""
        line = (
            f"exploring: {rep.started} runs, {len(rep.found)} outcomes ({bad} failing)"
            f"{searching}, {rep.per_second():.0f} runs/s"
        )
        if self.as_json:
            progress = {"runs": rep.started, "outcomes": len(rep.found), "failing": bad}
            print(json.dumps({"progress": progress}), flush=True)
        elif self.tty:
            sys.stderr.write("\r" + line[:200] + "\x1b[K")
            sys.stderr.flush()
            self.drawn = True
        else:
            print(line, file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.drawn:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def _print(info: ScenarioInfo, explorer: Explorer, rep: Report, replay: Any) -> None:
    c = Console(highlight=False)
    how = {
        "exhaustive": "exhaustive search (every run with no preemption, then every "
        "interleaving; sleep sets)"
        if explorer.bound is None
        else f"exhaustive search (at most 0, 1, ... {explorer.bound} preemptions; sleep sets)",
        "random": f"random walk (seed {explorer.seed})",
        "pct": f"PCT, depth {explorer.depth} (seed {explorer.seed})",
    }[rep.strategy]
    mode = f"{explorer.mode} mode" if len(info.modes) > 1 else "program"
    variant = f", {explorer.options['variant']}" if explorer.options["variant"] else ""
    c.print(Text(f"{info.name} ({mode}{variant}): {how}", style="bold"))
    table = Table(
        "distinct runs",
        "outcome",
        "preemptions",
        Column("schedule", overflow="fold"),  # (whole: it is the thing to copy)
        title="Outcomes",
        title_justify="left",
    )
    for f in sorted(rep.found, key=lambda f: (f.outcome.failed, f.preemptions, f.steps)):
        style = "red" if f.outcome.failed else "green"
        table.add_row(
            str(f.runs), Text(f.outcome.words(), style=style), str(f.preemptions), f.schedule
        )
    c.print(table)
    for cycle, ended in rep.cycles:
        took = "; ".join(f"{w} took {first} then {second}" for w, first, second in cycle)
        c.print(
            Text(f"lock order: {took}: a cycle; a run aimed at it ended: {ended}", style="yellow")
        )
    first = rep.first_failure
    if first is not None:
        c.print(Text(f"first failure (run {first.first}): {first.outcome.words()}", style="red"))
        c.print(Text("replay it, step by step in the app or headless:"))
        c.print(Text("  " + replay(first.schedule)), soft_wrap=True)
        if explorer.check_text and first.outcome.check is False:
            c.print(
                Text(
                    f"  (--check {explorer.check_text!r} is the explorer's: the replayed run ends"
                    " as above, and it is that end which breaks it)"
                )
            )
    said = rep.statement()
    c.print(Text(said, style="bold red" if rep.failures else "bold green"))
    saved = ""
    if rep.strategy == "exhaustive":
        saved = (
            f"; partial-order reduction skipped {rep.pruned} choices and ended "
            f"{rep.stopped} run{'s' if rep.stopped != 1 else ''} early"
        )
    c.print(
        f"{rep.started} run{'s' if rep.started != 1 else ''} in {rep.seconds:.1f} s"
        f" ({rep.per_second():.0f} a second, "
        f"{rep.runs / rep.seconds if rep.seconds else 0:.0f} interleavings a second){saved}"
    )
    if rep.diverged:
        c.print(
            Text(
                f"{rep.diverged} runs did not follow their schedule: the program does something "
                "ipc-tui does not step (a timer, a wait with a timeout, an unwatched pool), so "
                "the search may have missed runs",
                style="yellow",
            )
        )
