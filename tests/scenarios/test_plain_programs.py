"""The built-in scenarios that are plain programs run under plain `python` and under ipc-tui,
in each of their modes, with the same lesson outcome (what the program prints last).

Every built-in scenario is a plain program with its lesson beside it (`NAME.md`). The two that
measure (gil, ipc-compare) run unwatched, at their quick size here; the figures they print are
tested in tests/scenarios/test_measuring.py.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ipc_tui.engine import list_scenarios
from tests.conftest import left_behind, run_cli

PROGRAMS = [info for info in list_scenarios() if info.program]

# What each prints last, as its lesson says (a free run may take any interleaving)
OUTCOMES = {
    "shared-value": r"number [123] price [123]\.5 letter b'[abc]'",
    "shared-array": r"squares \[0, 1, 4, 9, 16\] counts \[1, 2, 3\] word b'Hello'",
    "process-basics": r"exit codes: 0 0 alive False",
    "readers-writers": r"edition 2 - at most [12] readers at once",
    "ping-pong": r"the rally went \[1, 2, 1, 2, 1, 2\]",
    "barrier": r"everyone went through after all 3 had arrived",
    "thread-basics": r"main is MainThread - ticker\.isDaemon\(\): True",
    "race-condition": r"counter [2-6]",
    "global-race": r"counter [0-6]",  # (as processes, main's own copy: 0)
    "critical-section": r"counter 6",
    "lock-contention": r"total 9",
    "deadlock": r"moved 2 times",
    "semaphore": r"permits left 2",
    "event": r"set False - w2 gave up 1 - w4 gave up 1",
    "producer-consumer": r"eaten \[1, 2, 3, 4, 5, 6\]",
    "message-queue": r"got \[1, 2, 3, 4, 5\]",
    "condition": r"eaten 3 left 0",
    "pipe": r"the parent heard \['PING', 'PONG'\]",
    "dining-philosophers": r"meals \[2, 2, 2, 2, 2\]",
    "threads-vs-processes": r"main sees shared_hits = 4 \(everyone's\)",
    "gil": r"the quick size: not the notes' work",
    "ipc-compare": r"20,000 items in a burst; 50 sent alone, 2 ms apart",
}
QUICK = {"gil", "ipc-compare"}  # (measuring: a minute each at full size)
# Run free, the lesson's deadlock may happen (and would hang plain python): the fix is run
FIXED = {"deadlock": ("fixed",), "dining-philosophers": ("fixed",)}
# A free run may lose an update here, and then the program's own assert says so (exit 1)
RACY = {
    "race-condition": r"counter is [2-5], expected 6",
    "global-race": r"counter is [0-5], expected 6",
}


def ended_as_its_lesson_says(name: str, code: int, errors: str) -> bool:
    if code == 0:
        return True
    return name in RACY and code == 1 and re.search(RACY[name], errors) is not None


def test_every_built_in_program_has_its_outcome_here():
    assert sorted(info.name for info in PROGRAMS) == sorted(OUTCOMES)


@pytest.mark.parametrize("info", PROGRAMS, ids=lambda info: info.name)
def test_a_built_in_program_gives_its_lesson_under_plain_python(info):
    quick = ["--quick"] if info.name in QUICK else []
    argv = [sys.executable, info.path, *FIXED.get(info.name, ()), *quick]
    plain = subprocess.run(argv, capture_output=True, text=True, timeout=90)
    assert ended_as_its_lesson_says(info.name, plain.returncode, plain.stderr), plain.stderr
    assert re.fullmatch(OUTCOMES[info.name], plain.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "info, mode",
    [(info, mode) for info in PROGRAMS for mode in info.modes],
    ids=lambda x: x if isinstance(x, str) else x.name,
)
def test_a_built_in_program_gives_its_lesson_under_ipc_tui(info, mode):
    variant = [arg for fixed in FIXED.get(info.name, ()) for arg in ("--variant", fixed)]
    as_written = [] if mode == "program" else ["--mode", mode]  # (a program with no modes)
    quick = ["--quick"] if info.name in QUICK else []
    done = run_cli(
        "--scenario", info.name, "--headless", "--json", *as_written, *variant, *quick, timeout=90
    )
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    said = " ".join(lines[-1]["final"]["said"])
    assert ended_as_its_lesson_says(info.name, done.returncode, said), (said, done.stderr)
    printed = [e["result"] for e in lines if e.get("kind") == "output"]
    assert re.fullmatch(OUTCOMES[info.name], printed[-1])
    final = lines[-1]["final"]
    kinds = {w["kind"] for name, w in final["workers"].items() if name != "MainThread"}
    if not info.watched:  # (it measures: it runs as plain python runs it, one step of main)
        assert kinds == set() and final["workers"]["MainThread"]["steps"] == 1
    else:  # the other mode swaps Process and Thread; a program with no modes runs as written
        assert kinds == ({mode} if mode != "program" else {"thread", "process"})
    assert left_behind(done) == []


@pytest.mark.parametrize("info", [i for i in PROGRAMS if i.as_threads], ids=lambda info: info.name)
def test_a_thread_mode_written_apart_gives_its_lesson_under_plain_python(info):
    """(race-condition and critical-section: their thread mode is a program of its own,
    with a plain global, in scenarios/threads/)"""
    plain = subprocess.run(
        [sys.executable, info.as_threads], capture_output=True, text=True, timeout=90
    )
    assert ended_as_its_lesson_says(info.name, plain.returncode, plain.stderr), plain.stderr
    assert re.fullmatch(OUTCOMES[info.name], plain.stdout.strip().splitlines()[-1])
    assert "global counter" in Path(info.as_threads).read_text()
