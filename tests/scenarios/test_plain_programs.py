"""The built-in scenarios that are plain programs run under plain `python` and under ipc-tui,
in each of their modes, with the same lesson outcome (what the program prints last).

(Issue 13 moves every built-in scenario to a plain program with its lesson beside it,
`NAME.md`; those moved so far are checked here, each against what its lesson says it shows.)
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

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
}


def test_every_built_in_program_has_its_outcome_here():
    assert sorted(info.name for info in PROGRAMS) == sorted(OUTCOMES)


@pytest.mark.parametrize("info", PROGRAMS, ids=lambda info: info.name)
def test_a_built_in_program_gives_its_lesson_under_plain_python(info):
    plain = subprocess.run([sys.executable, info.path], capture_output=True, text=True, timeout=60)
    assert plain.returncode == 0, plain.stderr
    assert re.fullmatch(OUTCOMES[info.name], plain.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "info, mode",
    [(info, mode) for info in PROGRAMS for mode in info.modes],
    ids=lambda x: x if isinstance(x, str) else x.name,
)
def test_a_built_in_program_gives_its_lesson_under_ipc_tui(info, mode):
    done = run_cli("--scenario", info.name, "--headless", "--json", "--mode", mode)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    printed = [e["result"] for e in lines if e.get("kind") == "output"]
    assert re.fullmatch(OUTCOMES[info.name], printed[-1])
    final = lines[-1]["final"]
    kinds = {w["kind"] for name, w in final["workers"].items() if name != "MainThread"}
    assert kinds == {mode}  # the other mode swaps Process and Thread
    assert left_behind(done) == []
