"""Shared helpers: real sessions, real subprocesses, and checks that nothing is left running."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from ipc_tui.bench.terminal import descendants  # noqa: F401  (the tests' helper too)
from ipc_tui.engine import Session, find_scenario, start_helpers
from ipc_tui.engine import open_session as engine_open_session

MODES = ["thread", "process"]


@pytest.fixture(scope="session", autouse=True)
def _helpers_started():
    """Start multiprocessing's helpers once, before any test (as the app does before it runs)."""
    start_helpers()


@pytest.fixture
def scenario_file(tmp_path):
    """Write a scenario file from an indented source string; return its path."""

    def write(source: str, name: str = "scenario.py") -> str:
        path = tmp_path / name
        path.write_text(textwrap.dedent(source))
        return str(path)

    return write


@pytest.fixture
def session_of():
    """Open sessions that are always closed, and checked for leftover workers, after the test."""
    opened: list[Session] = []

    def open_session(scenario: str, mode: str, variant: str | None = None) -> Session:
        # (the measuring scenarios at their small size; a built-in plain program as itself)
        s = engine_open_session(find_scenario(scenario), mode, variant, quick=True)
        opened.append(s)
        s.start()
        if hasattr(s, "wait_started"):
            assert s.wait_started(15), "the program never began"
        assert s.wait_settled(10), "the workers never reached their first gate"
        return s

    yield open_session
    for s in opened:
        pids = [w.pid for w in s.snapshot().workers if w.kind == "process"]
        s.close()
        for pid in pids:
            assert pid is None or gone(pid), f"worker process {pid} outlived its session"


def gone(pid: int) -> bool:
    """True if the process has ended (a zombie counts: PID 1 here does not reap orphans)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


def children_of(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                out.append(int(entry.name))
    return out


def run_cli(
    *args: str, timeout: float = 60, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run `python -m ipc_tui ARGS` as a user would, capturing its output. Every process it
    starts carries a mark in its environment: `left_behind(done)` finds any still running."""
    mark = uuid.uuid4().hex
    env = dict(os.environ, **(env or {}), PYTHONWARNINGS="default", IPC_TUI_TEST_MARK=mark)
    done = subprocess.run(
        [sys.executable, "-m", "ipc_tui", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    done.mark = mark
    return done


def left_behind(done: subprocess.CompletedProcess, wait: float = 3) -> list[int]:
    """Processes of that run still alive (zombies count as gone), after up to `wait` s."""
    import time

    needle = f"IPC_TUI_TEST_MARK={done.mark}".encode()
    deadline = time.monotonic() + wait
    while True:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    marked = needle in (entry / "environ").read_bytes()
                except OSError:
                    continue
                if marked and not gone(int(entry.name)):
                    found.append(int(entry.name))
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def run_to_end(session: Session, timeout: float = 20) -> None:
    """Run free until every worker has ended and exited; fail (not hang) if it takes longer."""
    import time

    session.run()
    deadline = time.monotonic() + timeout
    while not session.finished():
        assert time.monotonic() < deadline, f"still running: {session.snapshot().workers}"
        time.sleep(0.01)
    assert session.wait_exited(timeout), "a worker reported its end but never exited"


def step_randomly(session: Session, seed: int, most: int = 2000) -> list:
    """Step random ready workers, one settled step at a time, until every worker has ended;
    return the trace."""
    import random

    rng = random.Random(seed)
    events = []
    assert session.wait_settled(10), "the workers never reached their first gate"
    for _ in range(most):
        ready = [w.name for w in session.snapshot().workers if w.state == "ready"]
        if not ready:
            break
        session.step(rng.choice(ready))
        assert session.wait_settled(10)
        events += session.drain_events()
    import time

    deadline = time.monotonic() + 10  # (a program has ended once its processes have exited)
    while not session.finished() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert session.finished(), session.snapshot().workers
    return events + session.drain_events()


DIALECT = Path(__file__).parent / "dialect"


def example(name: str) -> str:
    """A worked example in the first scenario form (tests/dialect/), by its name."""
    return str(DIALECT / f"{name}.py")
