"""The measuring scenarios (gil, ipc-compare) show their lessons in figures measured here: every
row measured, the notes' figures beside ours, what each table says it measured. How the figures
compare (processes faster than serial on CPU, threads on waits, the batched Array the fastest)
is a timing: the benchmark measures it (`python -m ipc_tui.bench`, ipc_tui/bench/lessons.py),
not these tests; on a shared 2-core machine one run can come out either way.
"""

import json
import sys
import time

import pytest

from ipc_tui.engine import Session
from tests.conftest import descendants, gone, run_cli

HAS_GIL = getattr(sys, "_is_gil_enabled", lambda: True)()


def final_of(*args: str, timeout: float = 90) -> dict:
    done = run_cli("--headless", "--json", "--quick", *args, timeout=timeout)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return json.loads(done.stdout.splitlines()[-1])["final"]


def rows_of(table: dict) -> dict:
    return {tuple(row[:2]): dict(zip(table["columns"], row, strict=True)) for row in table["rows"]}


def gil_run() -> tuple[dict, dict]:
    final = final_of("--scenario", "gil")
    table = final["tables"]["serial, threads, processes"]
    return final, rows_of(table)


@pytest.mark.timeout(180)
def test_gil_measures_every_way_of_every_work_beside_the_notes():
    final, rows = gil_run()
    table = final["tables"]["serial, threads, processes"]
    assert len(rows) == 9 and all(r["seconds"] > 0 for r in rows.values())
    assert all(r["faster"] > 0 for r in rows.values()) and rows["CPU", "serial"]["faster"] == 1
    # (--quick: a smaller work; the notes' seconds, for the full work, are not shown beside it)
    assert all(r["notes"] is None for r in rows.values()) and "quick size" in table["note"]
    assert "cores" in table["note"] and "GIL" in table["note"] and "10 tasks" in table["note"]
    who = rows_of(final["tables"]["which thread runs"])
    assert len([k for k in who if k[0].startswith("thread ")]) == 3  # a strip per thread
    assert 0 <= who["one alone", "share of samples"]["share"] <= 1


@pytest.mark.skipif(not HAS_GIL, reason="without a GIL every thread runs at once")
@pytest.mark.timeout(60)
def test_the_switch_interval_asked_for_is_the_one_measured(scenario_file):
    path = scenario_file(
        """
        '''Turns.'''
        from ipc_tui.engine.measure import who_runs
        from ipc_tui.scenario import variant

        MODES = ("process",)
        VARIANTS = ("1", "50")

        def spin(counters, me):
            while True:
                counters[me] += 1

        SWITCH = int(variant())

        def main():
            who_runs(spin, threads=2, switch_ms=SWITCH, seconds=1.0)
        """
    )
    for ms in ("1", "50"):
        table = final_of("--scenario", path, "--variant", ms)["tables"]["which thread runs"]
        assert f"sys.setswitchinterval({int(ms) / 1000:g})" in table["note"]
        assert rows_of(table)["a turn", "ms alone, on average"]["share"] is not None


@pytest.mark.timeout(60)
def test_ipc_compare_measures_every_channel_beside_the_notes():
    table = final_of("--scenario", "ipc-compare")["tables"]["pipe, queue, shared memory"]
    rows = {row[0]: dict(zip(table["columns"], row, strict=True)) for row in table["rows"]}
    assert list(rows) == ["Pipe", "Queue", "Value", "Array ×100"]
    for r in rows.values():
        assert r["items/s"] > 0 and r["latency µs"] > 0, r
    assert rows["Pipe"]["the notes say"].startswith("both ends · normal")
    assert rows["Value"]["the notes say"].startswith("overwritten · higher")


@pytest.mark.timeout(60)
def test_closing_mid_measurement_ends_every_lab_process():
    import os

    before = descendants(os.getpid())  # multiprocessing's helpers
    s = Session("gil", "process", quick=True)
    s.start()
    try:
        s.run()
        deadline = time.monotonic() + 20
        while not s.snapshot().tables:
            assert time.monotonic() < deadline, "no table appeared"
            time.sleep(0.05)
        labs = descendants(os.getpid()) - before
        assert labs, "the threads' lab process should be running"
    finally:
        s.close()
    deadline = time.monotonic() + 5
    while not all(gone(pid) for pid in labs):
        assert time.monotonic() < deadline, [p for p in labs if not gone(p)]
        time.sleep(0.05)


@pytest.mark.timeout(60)
def test_a_workload_that_raises_fails_main_and_shows_where(scenario_file):
    path = scenario_file(
        """
        '''Broken work.'''
        from ipc_tui.engine.measure import compare_ways

        MODES = ("process",)

        def work(n, progress, me):
            raise ValueError("no such work")

        def main():
            compare_ways({"bad": (work, 1)}, tasks=2)
        """
    )
    done = run_cli("--headless", "--json", "--scenario", path, timeout=60)
    assert done.returncode == 1, done.stderr  # a worker failed: shown, not fatal
    error = json.loads(done.stdout.splitlines()[-1])["final"]["workers"]["main"]["error"]
    assert "no such work" in error and "line 8" in error, error
