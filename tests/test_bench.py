"""The benchmark runs (its quick size) and prints every figure: so it never rots. Its numbers
are not asserted here: timings belong to the benchmark, on a machine that is not shared."""

import subprocess
import sys

import pytest


@pytest.mark.timeout(240)
def test_the_quick_benchmark_prints_every_figure():
    done = subprocess.run(
        [sys.executable, "-m", "ipc_tui.bench", "--quick"],
        capture_output=True,
        text=True,
        timeout=220,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    for figure in (
        "cost of watching: Lock acquire+release, processes",
        "cost of watching: Event set+clear, threads",
        "step latency, processes",
        "races still show",
        "plain globals: a thread program, whole, watched vs python",
        "plain globals: one access",
        "UI under load: key to screen",
        "UI under load: frames",
        "memory after",
        "UI with a thread spinning (a scenario's, in the app's process): key to screen",
        "UI with a thread spinning (a program's): key to screen",
        "idle (paused)",
        "start-up: ipc-tui --list",
        "start-up: first full frame",
        "start-up: one process worker",
        "gil: processes vs serial, CPU",
        "gil: turns at a 100 ms vs 1 ms switch",
        "ipc-compare: Array ×100 vs Pipe/Queue",
    ):
        assert figure in done.stdout, figure
