"""The app in a real pseudo-terminal, as a user's terminal runs it; and what /proc says of it.

Used by the benchmark, the soak script and the tests of every way out.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

FRAME_GAP = 0.004  # output this far apart belongs to two frames


class Terminal:
    """`python -m ipc_tui ARGS` in a pseudo-terminal of `columns` x `rows`."""

    def __init__(self, args: list[str], env: dict | None = None, size: tuple = (120, 40)):
        columns, rows = size
        env = dict(os.environ if env is None else env)
        # The size, also for a program that asks the environment first (as shutil does: a
        # harness that sets COLUMNS would otherwise squeeze the app).
        env.update(COLUMNS=str(columns), LINES=str(rows))
        env.setdefault("TERM", "xterm-256color")
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: size the terminal, become ipc-tui
            import fcntl

            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
            cmd = [sys.executable, "-m", "ipc_tui", *args]
            os.execvpe(sys.executable, cmd, env)
        self.output = b""
        self.stamps: list[float] = []  # when each read returned something

    def read(self, seconds: float) -> None:
        """Read what the app draws for `seconds`, as a terminal would."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            if not self._read_once(min(left, 0.05)):
                return

    def _read_once(self, wait: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], wait)
        if ready:
            try:
                self.output += os.read(self.fd, 1 << 16)
            except OSError:
                return False
            self.stamps.append(time.monotonic())
        return True

    def screen_text(self, since: int = 0) -> bytes:
        import re

        return re.sub(rb"\x1b\[[0-9;?<>=$]*[A-Za-z~]", b"", self.output[since:])

    def read_until(self, marker: bytes, timeout: float = 20, since: int = 0) -> float:
        """Read until `marker` is on the screen (after byte `since`); return when it came."""
        deadline = time.monotonic() + timeout
        while marker not in self.screen_text(since):
            if time.monotonic() > deadline:
                seen = self.screen_text(since)[-400:]
                raise AssertionError(f"no {marker!r} on the screen; its end: {seen!r}")
            if not self._read_once(0.02):
                break
        return time.monotonic()

    def keys(self, *keys: bytes, pause: float = 0.15) -> None:
        for key in keys:
            os.write(self.fd, key)
            time.sleep(pause)

    def frames(self, seconds: float) -> float:
        """Frames drawn per second over the next `seconds` (bursts of output)."""
        first = len(self.stamps)
        self.read(seconds)
        stamps = self.stamps[first:]
        if not stamps:
            return 0.0
        return (
            1 + sum(b - a > FRAME_GAP for a, b in zip(stamps, stamps[1:], strict=False))
        ) / seconds

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

    def kill_all(self) -> None:
        """End the app and everything it started, by pid (a benchmark's last resort)."""
        family = descendants(self.pid)
        for pid in [self.pid, *family]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        try:
            os.close(self.fd)
        except OSError:
            pass


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
