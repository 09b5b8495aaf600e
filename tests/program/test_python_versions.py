"""The bytecode differs between CPython 3.10, 3.11, 3.12 and 3.13, and so does the way a
program is traced (engine/program/variables.py: a trace function before 3.12, sys.monitoring
from 3.12): the instruction grain is checked on each one this machine has, besides the one
running the tests (whose own tests are tests/program/test_globals.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OTHERS = [v for v in ("3.10", "3.11", "3.12", "3.13") if v != "{}.{}".format(*sys.version_info[:2])]


def interpreter(version: str) -> str | None:
    """That CPython: on the PATH, or installed by pyenv (whose shims answer only for the
    versions chosen: a shim that exits with an error is no interpreter)."""
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates = [shutil.which(f"python{version}")]
    candidates += sorted(str(p) for p in root.glob(f"versions/{version}.*/bin/python{version}"))
    for found in candidates:
        if found is None:
            continue
        probe = subprocess.run([found, "-c", "import sys"], capture_output=True, timeout=30)
        if probe.returncode == 0:
            return found
    return None


@pytest.mark.timeout(180)
@pytest.mark.parametrize("version", OTHERS)
def test_one_switch_inside_counter_plus_one_on_another_python(version):
    python = interpreter(version)
    if python is None:
        if os.environ.get("CI"):
            pytest.fail(f"python{version} is not on this machine: the CI machine has it")
        pytest.skip(f"python{version} is not on this machine")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [python, str(ROOT / "tests" / "program" / "versions_check.py")],
        capture_output=True,
        text=True,
        timeout=170,
        env=env,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["version"] == [int(x) for x in version.split(".")]
    line = report["line"]
    load, store = line.index("LOAD_GLOBAL"), line.index("STORE_GLOBAL")
    for seen in report["seen"]:
        k = seen["k"]
        assert seen["notes"] == [], seen
        assert seen["counter"] == (1 if load < k <= store else 2), (version, seen, line)
        if k:  # the instructions w0 stepped are this Python's, in order
            assert seen["w0"][1:] == line[1:k] and seen["w0"][0] == "read", (version, seen)
    explored = report["explored"]  # the explorer, on this Python too
    assert explored == {"counters": [1, 2], "complete": True, "diverged": 0}, (version, explored)
