"""The measuring programs (gil, ipc-compare) show their lessons in figures measured here: every
row measured, the notes' figures beside ours where they compare, what each measured said. How
the figures compare (processes faster than serial on CPU, threads on waits, the batched Array
the fastest) is a timing: the benchmark measures it (`python -m ipc_tui.bench`,
ipc_tui/bench/lessons.py), not these tests; on a shared 2-core machine one run can come out
either way.

They measure, so they run unwatched (`watched: no` in their lesson): as plain `python` runs
them, the whole program one step of MainThread, its printed tables in the Results pane.
"""

import dis
import json
import os
import re
import runpy
import sys
import textwrap
import time

import pytest

from ipc_tui.engine import find_scenario, open_session
from tests.conftest import descendants, gone, left_behind, run_cli

HAS_GIL = getattr(sys, "_is_gil_enabled", lambda: True)()


def run_quick(*args: str, timeout: float = 120) -> tuple[dict, list[str]]:
    done = run_cli("--headless", "--json", "--quick", *args, timeout=timeout)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert left_behind(done) == []
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    printed = [e["result"] for e in lines if e.get("kind") == "output"]
    return lines[-1]["final"], printed


def rows_of(table: dict) -> dict:
    return {tuple(row[:2]): dict(zip(table["columns"], row, strict=True)) for row in table["rows"]}


@pytest.fixture(scope="module")
def gil_run() -> tuple[dict, list[str]]:
    """gil at its quick size, headless, once for the tests that read what it printed."""
    return run_quick("--scenario", "gil")


@pytest.mark.timeout(180)
def test_gil_measures_every_way_of_every_work_and_which_thread_runs(gil_run):
    final, printed = gil_run
    table = final["tables"]["seconds for 10 tasks, each way"]
    assert table["columns"] == ["work", "serial", "threads", "processes"]
    # (quick: a smaller work; the notes' seconds, for the full work, are not shown beside it)
    assert [row[0] for row in table["rows"]] == ["CPU", "file I/O", "latency I/O"]
    assert all(seconds > 0 for row in table["rows"] for seconds in row[1:])
    assert "cores" in printed[0] and "GIL" in printed[0]
    assert printed[-1] == "the quick size: not the notes' work"
    who = rows_of(final["tables"]["which thread runs"])
    assert [k[0] for k in who if k[0].startswith("thread ")] == ["thread 0", "thread 1", "thread 2"]
    assert 0 <= who["one alone", "share of samples"]["share"] <= 1
    assert "sys.setswitchinterval(0.005)" in " ".join(printed)  # the default variant: 5 ms
    workers = final["workers"]
    assert list(workers) == ["MainThread"] and workers["MainThread"]["steps"] == 1


# Where CPython 3.10+ lets a running thread give the GIL up: only where the interpreter checks
# whether another thread asked for it (its "eval breaker"): a loop's jump back, a function's
# start (RESUME; on 3.10, before its first instruction: f_lasti -1, "(start)"), after a call
CHECKS_FOR_A_SWITCH = {"JUMP_ABSOLUTE", "JUMP_BACKWARD", "RESUME", "(start)", "CALL"}


@pytest.mark.skipif(not HAS_GIL, reason="without a GIL no thread waits for another")
@pytest.mark.timeout(180)
def test_gil_shows_where_the_switches_landed_and_none_inside_counter_plus_one(gil_run):
    final, printed = gil_run
    said = next(line for line in printed if line.startswith("where the switches landed, of "))
    places = re.findall(r"(\S+) on (\d+) `([^`]*)` ([\d.]+)", said)
    assert places, said
    for opname, _line, source, _share in places:
        assert opname in dis.opmap or opname == "(start)", said  # (a name this Python has)
        assert opname in CHECKS_FOR_A_SWITCH, said
        assert source != "counter += 1", said
    assert "other" not in said  # (every place named)
    jump = "JUMP_ABSOLUTE" if sys.version_info < (3, 11) else "JUMP_BACKWARD"
    assert (jump, "while True:") in [(op, source) for op, _, source, _ in places], said
    assert said.endswith(", inside `counter += 1` 0.000"), said
    assert abs(sum(float(share) for *_, share in places) - 1) <= 0.001 * len(places)
    opname, line, _, share = places[0]  # where most landed: a row of "which thread runs"
    who = rows_of(final["tables"]["which thread runs"])
    assert who["switch at", f"{opname}, line {line}"]["share"] == float(share)


def test_gil_names_the_instruction_a_stop_in_its_cache_entries_belongs_to(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["gil.py"])
    gil = runpy.run_path(find_scenario("gil").path)  # (not as __main__: nothing runs)
    spin, instruction_at = gil["spin"], gil["instruction_at"]
    instructions = list(dis.get_instructions(spin))
    for instruction, after in zip(instructions, instructions[1:], strict=False):
        for lasti in range(instruction.offset, after.offset, 2):  # its CACHE entries too
            assert instruction_at(lasti) == instruction.opname, (lasti, instruction)
    assert instruction_at(-1) == "(start)"  # (3.10's f_lasti before the first instruction)


@pytest.mark.skipif(not HAS_GIL, reason="without a GIL every thread runs at once")
@pytest.mark.timeout(180)
def test_the_switch_interval_asked_for_is_the_one_measured():
    final, printed = run_quick("--scenario", "gil", "--variant", "100ms")
    assert "sys.setswitchinterval(0.1)" in " ".join(printed)
    turn = rows_of(final["tables"]["which thread runs"])["a turn", "ms alone, on average"]
    assert turn["share"] > 0


@pytest.mark.timeout(120)
def test_ipc_compare_measures_every_channel_beside_the_notes():
    final, printed = run_quick("--scenario", "ipc-compare")
    table = final["tables"]["pipe, queue, shared memory"]
    rows = {row[0]: dict(zip(table["columns"], row, strict=True)) for row in table["rows"]}
    assert list(rows) == ["Pipe", "Queue", "Value", "Array ×100"]
    for r in rows.values():
        assert r["items/s"] > 0 and r["latency µs"] > 0, r
    assert rows["Pipe"]["the notes say"].startswith("both ends · normal")
    assert rows["Value"]["the notes say"].startswith("overwritten · higher")
    assert printed[-1] == "20,000 items in a burst; 50 sent alone, 2 ms apart"


@pytest.mark.timeout(60)
def test_closing_mid_measurement_ends_every_process_of_it():
    before = descendants(os.getpid())  # (multiprocessing's helpers, from other tests)
    s = open_session(find_scenario("gil"), quick=True)
    s.start()
    try:
        assert s.wait_started(15)
        s.run()
        deadline = time.monotonic() + 30
        while not s.snapshot().tables:
            assert time.monotonic() < deadline, "no table appeared"
            time.sleep(0.05)
        measuring = descendants(os.getpid()) - before
        assert measuring, "the program's processes should be running"
    finally:
        s.close()
    deadline = time.monotonic() + 5
    while not all(gone(pid) for pid in measuring):
        assert time.monotonic() < deadline, [p for p in measuring if not gone(p)]
        time.sleep(0.05)


def test_an_unwatched_program_that_raises_fails_main_and_shows_where(tmp_path):
    program = tmp_path / "broken.py"
    program.write_text(
        textwrap.dedent(
            """\
            from threading import Thread

            def work():
                pass

            Thread(target=work).start()
            print("| way | s |")
            print("|---|---|")
            raise ValueError("no such work")
            """
        )
    )
    (tmp_path / "broken.md").write_text("# Broken work\nwatched: no\n\nIt measures nothing.\n")
    done = run_cli("--headless", "--json", str(program), timeout=60)
    assert done.returncode == 1, done.stderr  # a worker failed: shown, not fatal
    final = json.loads(done.stdout.splitlines()[-1])["final"]
    assert list(final["workers"]) == ["MainThread"]  # (its thread ran, unwatched)
    error = final["workers"]["MainThread"]["error"]
    assert "no such work" in error and "line 9" in error, error
    assert left_behind(done) == []
