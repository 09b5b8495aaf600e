"""`ipc-tui serve` started as a user starts it, on a free port, and always stopped."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading

import pytest

from tests.conftest import children_of
from tests.serve.browser import missing, open_browser


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """A running `ipc-tui serve`: its process, its address and what it printed."""

    def __init__(self, args: tuple[str, ...], env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ipc_tui", "serve", "--port", str(self.port), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        self.pid = self.proc.pid
        self.lines: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            self._lines.put(line)
        self._lines.put(None)

    def wait_for_line(self, text: str, timeout: float = 30) -> str:
        """The first line (from here on) that holds `text`; fails after `timeout` s."""
        try:
            while (line := self._lines.get(timeout=timeout)) is not None:
                if text in line:
                    return line
        except queue.Empty:
            pass
        pytest.fail(f"the server never said {text!r}; it said: {self.lines}")

    def app_pids(self) -> list[int]:
        """The tabs' apps: the server's children."""
        return children_of(self.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def serve(tmp_path):
    """serve(*options) starts `ipc-tui serve --port FREE *options` and waits until it listens."""
    started: list[Served] = []

    def start(*args: str) -> Served:
        env = dict(os.environ, TMPDIR=str(tmp_path), PYTHONUNBUFFERED="1")
        served = Served(args, env)
        started.append(served)
        served.wait_for_line("serving on")
        return served

    yield start
    for served in started:
        served.stop()


@pytest.fixture
def browser():
    """Headless Chromium (tests/serve/browser.py); skipped where there is none, failed in CI."""
    why = missing()
    if why:
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    driver = open_browser()
    try:
        yield driver
    finally:
        driver.quit()
