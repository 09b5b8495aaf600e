"""The measuring scenarios (gil, ipc-compare) show their lessons in figures measured here.

Ratios only, each from one run: these machines are shared and noisy.
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
def test_gil_processes_win_on_cpu_threads_do_not_and_threads_win_on_waits():
    final, rows = gil_run()
    if HAS_GIL and rows["CPU", "processes"]["faster"] <= 1.3:
        # A shared machine's second core is sometimes busy elsewhere (measured here: two
        # processes 2.1x faster than one, then 1.5x, a second apart): one more run decides.
        final, rows = gil_run()
    table = final["tables"]["serial, threads, processes"]
    assert len(rows) == 9 and all(r["seconds"] > 0 for r in rows.values())
    assert rows["CPU", "serial"]["notes"] == 8.69  # the notes' figure beside ours
    assert rows["file I/O", "processes"]["notes"] == 2.19
    faster = {key: r["faster"] for key, r in rows.items()}
    assert faster["latency I/O", "threads"] > 3  # a waiting thread lets the others run
    assert "cores" in table["note"] and "GIL" in table["note"] and "10 tasks" in table["note"]
    if HAS_GIL:
        # Two cores at once, against one interpreter taken in turns (no gain, up to noise:
        # without the GIL, ten threads on two cores would come near 2).
        assert faster["CPU", "processes"] > 1.3, faster
        assert faster["CPU", "threads"] < 1.35, faster
        assert faster["CPU", "processes"] > 1.2 * faster["CPU", "threads"], faster
        who = rows_of(final["tables"]["which thread runs"])
        # Sampled from outside: most of the time, exactly one of the three threads moved.
        assert who["one alone", "share of samples"]["share"] > 0.5


@pytest.mark.skipif(not HAS_GIL, reason="without a GIL every thread runs at once")
@pytest.mark.timeout(60)
def test_a_longer_switch_interval_gives_longer_turns(scenario_file):
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
    turn = {}
    for ms in ("1", "50"):
        table = final_of("--scenario", path, "--variant", ms)["tables"]["which thread runs"]
        turn[ms] = rows_of(table)["a turn", "ms alone, on average"]["share"]
        assert f"sys.setswitchinterval({int(ms) / 1000:g})" in table["note"]
    assert turn["50"] > 3 * turn["1"], turn


@pytest.mark.timeout(60)
def test_ipc_compare_measures_every_channel_and_batches_in_shared_memory_move_most():
    table = final_of("--scenario", "ipc-compare")["tables"]["pipe, queue, shared memory"]
    rows = {row[0]: dict(zip(table["columns"], row, strict=True)) for row in table["rows"]}
    assert list(rows) == ["Pipe", "Queue", "Value", "Array ×100"]
    for r in rows.values():
        assert r["items/s"] > 0 and r["latency µs"] > 0, r
    assert rows["Pipe"]["the notes say"].startswith("both ends · normal")
    assert rows["Value"]["the notes say"].startswith("overwritten · higher")
    array = rows["Array ×100"]["items/s"]
    assert array > rows["Pipe"]["items/s"] and array > rows["Queue"]["items/s"]


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
