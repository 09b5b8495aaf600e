"""Every way out of the app, in a real pseudo-terminal: the terminal comes back to its normal
mode, and no worker, forkserver or resource tracker is left running, even mid-deadlock."""

import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time

import pytest

from tests.conftest import descendants, gone
from tests.sources import DEADLOCK


class Terminal:
    """The app running in a pseudo-terminal of 120x40, as a user's terminal would run it."""

    def __init__(self, args: list[str], env: dict[str, str]):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: size the terminal, become ipc-tui
            import fcntl

            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
            os.execvpe(sys.executable, [sys.executable, "-m", "ipc_tui", *args], env)
        self.output = b""

    def screen_text(self) -> bytes:
        return re.sub(rb"\x1b\[[0-9;?<>=$]*[A-Za-z~]", b"", self.output)

    def read_until(self, marker: bytes, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while marker not in self.screen_text():
            assert time.monotonic() < deadline, f"no {marker!r} on the screen"
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    self.output += os.read(self.fd, 65536)
                except OSError:
                    break

    def keys(self, *keys: bytes) -> None:
        for key in keys:
            os.write(self.fd, key)
            time.sleep(0.15)

    def wait_exit(self, timeout: float = 15) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                ready, _, _ = select.select([self.fd], [], [], 0.05)
                if ready:
                    self.output += os.read(self.fd, 65536)
            except (OSError, ValueError):
                time.sleep(0.05)  # the terminal is closed, or has nothing more to say
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        raise AssertionError("the app did not exit")

    def cooked(self) -> bool:
        """The terminal is back in its normal mode: echo and line editing on."""
        lflag = termios.tcgetattr(self.fd)[3]
        return bool(lflag & termios.ECHO) and bool(lflag & termios.ICANON)


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
}


@pytest.mark.parametrize("state", ["stepping", "deadlocked", "running free"])
@pytest.mark.parametrize("way", list(WAYS_OUT))
def test_every_way_out_restores_the_terminal_and_ends_every_process(
    tmp_path, scenario_file, way, state
):
    env = dict(os.environ, TMPDIR=str(tmp_path), TERM="xterm-256color")
    env.pop("CI", None)
    scenario = {
        "stepping": lambda: "lock-contention",
        "deadlocked": lambda: scenario_file(DEADLOCK),
        "running free": lambda: scenario_file(BUSY),
    }[state]()
    term = Terminal(["--scenario", scenario, "--mode", "process"], env)
    try:
        term.read_until(b"Workers")
        if state == "deadlocked":
            term.keys(b"1", b"2", b"1", b"2")  # each takes its first lock, then waits for ever
            term.read_until(b"DEADLOCK")
        elif state == "running free":
            term.keys(b"f")
        else:
            term.keys(b"1", b"2")
        time.sleep(0.3)
        family = descendants(term.pid)
        assert len(family) >= 4  # resource tracker, forkserver, and the workers
        WAYS_OUT[way](term)
        code = term.wait_exit()
    finally:
        if not gone(term.pid):
            os.kill(term.pid, signal.SIGKILL)
    assert code in (0, 1), code
    deadline = time.monotonic() + 5
    while not all(gone(pid) for pid in family):
        assert time.monotonic() < deadline, [p for p in family if not gone(p)]
        time.sleep(0.05)
    log = tmp_path / f"ipc-tui-{os.getuid()}.log"
    assert "leaked" not in (log.read_text() if log.exists() else "")
    assert b"Traceback" not in term.output
    if way != "hang-up":  # a terminal that is gone has no mode to restore
        assert b"\x1b[?1049l" in term.output  # it left the alternate screen
        assert term.cooked()
        os.close(term.fd)
