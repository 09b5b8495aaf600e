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


FRONTRUN = """\
import time
import frontrun


class Counter:
    def __init__(self):
        self.value = 0

    def add3(self):
        for _ in range(3):
            temp = self.value
            self.value = temp + 1


began = time.perf_counter()
result = frontrun.explore(
    setup=Counter, workers=Counter.add3, count=2, invariant=lambda c: c.value == 6,
    stop_on_first=False, preemption_bound=None, reproduce_on_failure=0,
)
print("RESULT", result.num_explored, time.perf_counter() - began)
"""


def frontrun() -> dict[str, float] | None:
    """frontrun (PyPI; ../shared/EXPLORE.md's peer: threads only, in one process, functions
    called again per interleaving) on the same race, every interleaving: (interleavings,
    seconds); None when it is not installed (`pip install frontrun`: the benchmark's only)."""
    import importlib.util
    import os
    import tempfile

    if importlib.util.find_spec("frontrun") is None:
        return None
    runner = os.path.join(os.path.dirname(sys.executable), "frontrun")
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "race.py")
        with open(path, "w") as f:
            f.write(FRONTRUN)
        done = subprocess.run(
            [runner, sys.executable, path], capture_output=True, text=True, timeout=300
        )
    for line in done.stdout.splitlines():
        if line.startswith("RESULT"):
            _, count, seconds = line.split()
            return {"interleavings": int(count), "seconds": float(seconds)}
    return None


def every_interleaving_of_the_race() -> dict[str, float]:
    """ipc-tui's exhaustive search of race-condition with threads, to its end."""
    rep = Explorer(find_scenario("race-condition"), mode="thread", budget=20_000).explore()
    return {"interleavings": rep.runs, "seconds": rep.seconds, "complete": rep.complete}
