"""Every way out of the app, in a real pseudo-terminal: the terminal comes back to its normal
mode, and no worker, forkserver or resource tracker is left running, even mid-deadlock."""

import os
import signal
import time

import pytest

from ipc_tui.bench.terminal import Terminal
from tests.conftest import descendants, example, gone
from tests.sources import DEADLOCK, LOOPS, RAISES

BUSY = """
    from ipc_tui.scenario import Process, Value
    n = Value("i", 0)
    def count():
        while True:
            n.value += 1
    Process(target=count)
    Process(target=count)
"""

WAYS_OUT = {
    "q": lambda t: t.keys(b"q"),
    "ctrl+q": lambda t: t.keys(b"\x11"),
    "SIGTERM": lambda t: os.kill(t.pid, signal.SIGTERM),
    "SIGINT": lambda t: os.kill(t.pid, signal.SIGINT),
    "SIGHUP": lambda t: os.kill(t.pid, signal.SIGHUP),
    "hang-up": lambda t: os.close(t.fd),  # the terminal window closes
    "SIGKILL": lambda t: os.kill(t.pid, signal.SIGKILL),  # no chance to clean up at all
}

# state: (scenario, mode, keys that bring it about, what the screen then shows)
STATES = {
    "stepping": (example("lock-contention"), "process", [b"1", b"2"], b"blocked"),
    "deadlocked": (DEADLOCK, "process", [b"1", b"2", b"1", b"2"], b"DEADLOCK"),
    "running free": (BUSY, "process", [b"f"], b"running free"),
    "a worker raised": (RAISES, "process", [b"1"], b"failed"),
    "killed holding a lock": (example("lock-contention"), "process", [b"1", b"k", b"1"], b"killed"),
    "endless loop": (LOOPS, "process", [b"1"], b"no step"),
    "endless loop in a thread": (LOOPS, "thread", [b"1"], b"no step"),
}


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("way", list(WAYS_OUT))
def test_every_way_out_restores_the_terminal_and_ends_every_process(
    tmp_path, scenario_file, way, state
):
    env = dict(os.environ, TMPDIR=str(tmp_path), TERM="xterm-256color")
    env.pop("CI", None)
    scenario, mode, keys, shown = STATES[state]
    if "\n" in scenario:
        scenario = scenario_file(scenario)
    term = Terminal(["--scenario", scenario, "--mode", mode], env)
    try:
        term.read_until(b"Workers")
        term.keys(*keys)
        term.read_until(shown)
        time.sleep(0.3)
        family = descendants(term.pid)
        # the resource tracker, the forkserver, and a worker process still running
        assert len(family) >= (3 if mode == "process" else 2)
        WAYS_OUT[way](term)
        code = term.wait_exit()
    finally:
        if not gone(term.pid):
            os.kill(term.pid, signal.SIGKILL)
    assert code in ((-9,) if way == "SIGKILL" else (0, 1)), code
    deadline = time.monotonic() + 5  # each child watches its parent: gone in about 1 s
    while not all(gone(pid) for pid in family):
        assert time.monotonic() < deadline, [p for p in family if not gone(p)]
        time.sleep(0.05)
    # Nothing printed over the terminal on the way out (the screen itself may show a worker's
    # traceback: that one is the lesson).
    said = term.output
    if state == "a worker raised":  # what came after the app's last frame, if it drew one
        said = said.rsplit(b"\x1b[?1049l", 1)[-1] if b"\x1b[?1049l" in said else b""
    assert b"Traceback" not in said and b"leaked" not in said
    log = tmp_path / f"ipc-tui-{os.getuid()}.log"
    if way != "SIGKILL":  # after a SIGKILL the resource tracker warns, into the log only
        assert "leaked" not in (log.read_text() if log.exists() else "")
    if way not in ("hang-up", "SIGKILL"):  # nothing is left to restore the terminal
        assert b"\x1b[?1049l" in term.output  # it left the alternate screen
        assert term.cooked()
    if way != "hang-up":
        os.close(term.fd)
