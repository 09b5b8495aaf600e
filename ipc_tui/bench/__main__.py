"""`python -m ipc_tui.bench [--quick]`: what watching costs, measured in one run on this machine.

Each figure is a ratio against its baseline or a latency, measured in the same run; the table
says the target beside it. Nothing here is asserted: machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics

from rich.console import Console
from rich.table import Table

from ipc_tui.bench import app, engine, explore, lessons
from ipc_tui.engine import start_helpers


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m ipc_tui.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes: under a minute")
    args = parser.parse_args()
    quick = args.quick
    start_helpers()
    console = Console(highlight=False)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    console.print(
        f"ipc-tui benchmark, {datetime.date.today()}, {cores} cores, "
        f"{platform.python_implementation()} {platform.python_version()}"
        + (" (--quick)" if quick else "")
    )
    rows: list[tuple[str, str, str, bool]] = []

    def row(figure: str, measured: str, target: str, met: bool) -> None:
        rows.append((figure, measured, target, met))
        console.print(f"  {figure}: {measured}", style="dim")

    plural = {"thread": "threads", "process": "processes"}
    for (op, mode), (raw, thin, watched) in engine.cost_of_watching(quick).items():
        ratio = watched / raw
        row(
            f"cost of watching: {op}, {plural[mode]}",
            f"{raw * 1e6:.2f} → {watched * 1e6:.2f} µs ({ratio:.1f}x;"
            f" a bare Python wrapper {thin / raw:.1f}x)",
            "≤ 5x",
            ratio <= 5,
        )
    for mode, latencies in engine.step_latency(quick).items():
        median, p95 = statistics.median(latencies), engine.p95(latencies)
        row(
            f"step latency, {plural[mode]}",
            f"median {median * 1e3:.2f} ms, p95 {p95 * 1e3:.2f} ms",
            "p95 < 1 ms",
            p95 < 0.001,
        )
    rates = engine.races(quick)
    share = rates["watched"] / rates["raw"] if rates["raw"] else float("inf")
    row(
        "races still show (processes, free)",
        f"{rates['watched']:.0%} of runs lose updates watched, {rates['raw']:.0%} raw",
        "≥ 80% of raw",
        share >= 0.8,
    )
    g = engine.plain_globals(quick)
    ratio = g["watched"] / g["plain"]
    row(
        "plain globals: a thread program, whole, watched vs python",
        f"{g['plain']:.2f} → {g['watched']:.2f} s ({ratio:.1f}x; its loop"
        f" {g['watched loop'] / g['plain loop']:.1f}x)",
        "≤ 5x",
        ratio <= 5,
    )
    row(
        "plain globals: one access",
        f"raw {g['raw access'] * 1e9:.0f} ns, running free {g['free access'] * 1e9:.0f} ns,"
        f" stepped {g['stepped access'] * 1e3:.2f} ms (median, step to screen)",
        "(free: untraced)",
        True,
    )
    for mode, speed in explore.runs_per_second(quick).items():
        aim = 200 if mode == "thread" else 50
        row(
            f"explore: race-condition, {plural[mode]}",
            f"{speed['runs/s']:.0f} runs/s (one plain python run: {speed['plain'] * 1e3:.0f} ms,"
            f" {1 / speed['plain']:.0f} a second)",
            f"≥ {aim} runs/s",
            speed["runs/s"] >= aim,
        )
    done = explore.exhaustive(quick)
    row(
        f"explore: exhaustive, {done['scenario']}, threads",
        f"{done['interleavings'] / done['seconds']:.0f} interleavings/s"
        f" ({done['interleavings']} in {done['seconds']:.1f} s, complete: {done['complete']});"
        f" reduction skipped {done['pruned']} choices, {done['stopped']} runs ended early",
        "(measured)",
        True,
    )
    if not quick:  # (a minute: every interleaving of race-condition, and frontrun's)
        ours = explore.every_interleaving_of_the_race()
        theirs = explore.frontrun()
        mine = ours["interleavings"] / ours["seconds"]
        said = (
            "frontrun not installed (pip install frontrun)"
            if theirs is None
            else f"frontrun {theirs['interleavings']} in {theirs['seconds']:.1f} s"
            f" ({theirs['interleavings'] / theirs['seconds']:.0f}/s)"
        )
        row(
            "explore: every interleaving of race-condition, threads",
            f"ipc-tui {ours['interleavings']} in {ours['seconds']:.1f} s ({mine:.0f}/s); {said}",
            "as fast as frontrun",
            theirs is not None and mine >= theirs["interleavings"] / theirs["seconds"],
        )
    load = app.under_load(20 if quick else 240, 3 if quick else 10)
    keys_p95 = engine.p95(load["keys"])
    row("UI under load: key to screen", f"p95 {keys_p95 * 1e3:.0f} ms", "< 100 ms", keys_p95 < 0.1)
    row("UI under load: frames", f"{load['fps']:.1f} per second", "≥ 20 fps", load["fps"] >= 20)
    growth = load["end MB"] - load["start MB"]
    minutes = (20 if quick else 240) / 60
    row(
        f"memory after {minutes:g} min free",
        f"{load['start MB']:.0f} → {load['end MB']:.0f} MB ({growth:+.1f})",
        "growth < 10 MB",
        growth < 10,
    )
    for program, where in ((False, "a scenario's, in the app's process"), (True, "a program's")):
        spun = engine.p95(app.spinning(program, 2 if quick else 8))
        row(
            f"UI with a thread spinning ({where}): key to screen",
            f"p95 {spun * 1e3:.0f} ms",
            "< 100 ms" if program else "(before)",
            spun < 0.1 if program else True,
        )
    used = app.idle(3 if quick else 10)
    row("idle (paused)", f"{used:.1%} of a core", "< 2%", used < 0.02)
    times = app.start_up()
    row("start-up: ipc-tui --list", f"{times['list']:.2f} s", "0.3 s", times["list"] <= 0.3)
    row(
        "start-up: first full frame",
        f"{times['first frame']:.2f} s",
        "1 s",
        times["first frame"] <= 1,
    )
    one = app.one_worker()
    row("start-up: one process worker", f"{one * 1e3:.0f} ms", "150 ms", one <= 0.15)
    gil = lessons.gil(quick)
    row(
        "gil: processes vs serial, CPU",
        f"{gil['processes, CPU']:.2f}x",
        "> 1.3x",
        gil["processes, CPU"] > 1.3,
    )
    row(
        "gil: threads vs serial, CPU",
        f"{gil['threads, CPU']:.2f}x",
        "< 1.35x",
        gil["threads, CPU"] < 1.35,
    )
    row(
        "gil: threads vs serial, waits",
        f"{gil['threads, waits']:.1f}x",
        "> 3x",
        gil["threads, waits"] > 3,
    )
    row(
        "gil: one thread alone moved",
        f"{gil['one alone']:.0%} of samples",
        "> 50%",
        gil["one alone"] > 0.5,
    )
    longer = lessons.turns()
    row("gil: turns at a 100 ms vs 1 ms switch", f"{longer:.1f}x longer", "> 3x", longer > 3)
    batched = lessons.channels(quick)
    row("ipc-compare: Array ×100 vs Pipe/Queue", f"{batched:.1f}x the items/s", "> 1x", batched > 1)

    console.width = max(console.width, 110)  # one row a figure, also when piped
    table = Table("figure", "measured", "target", "met", title="ipc-tui: the cost of watching")
    for figure, measured, target, met in rows:
        table.add_row(figure, measured, target, "yes" if met else "NO")
    console.print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
