"""The explorer's speed (engine/explore.py): runs a second on race-condition in thread and
process mode, beside what one plain `python` run of it takes; interleavings a second of an
exhaustive search that completes, and what partial-order reduction saved."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from ipc_tui.engine import find_scenario
from ipc_tui.engine.explore import Explorer


def _plain_run(path: str) -> float:
    """One `python file.py`, whole (its assert may fail: the race is rare unwatched)."""
    began = time.perf_counter()
    subprocess.run([sys.executable, path], capture_output=True, timeout=60)
    return time.perf_counter() - began


def runs_per_second(quick: bool) -> dict[str, dict[str, float]]:
    """mode -> {"runs/s": random walks of race-condition a second, "plain": one python run's
    seconds (median of five)}."""
    info = find_scenario("race-condition")
    out = {}
    for mode in ("thread", "process"):
        path = info.as_threads if mode == "thread" else info.path
        plain = statistics.median(_plain_run(path) for _ in range(5))
        ex = Explorer(info, mode=mode, strategy="random", budget=60 if quick else 400)
        rep = ex.explore()
        out[mode] = {"runs/s": rep.started / rep.seconds, "plain": plain}
    return out


def exhaustive(quick: bool) -> dict[str, float]:
    """An exhaustive search to its end: critical-section with threads (--quick: deadlock)."""
    name = "deadlock" if quick else "critical-section"
    rep = Explorer(find_scenario(name), mode="thread").explore()
    return {
        "scenario": name,
        "interleavings": rep.runs,
        "runs": rep.started,
        "seconds": rep.seconds,
        "pruned": rep.pruned,
        "stopped": rep.stopped,
        "complete": rep.complete,
    }
