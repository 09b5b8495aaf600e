"""A tab's app that hears nothing (not textual-serve's quit, not SIGTERM) is killed with every
process of its program: the escalation of ipc_tui/serve/tab.py, on a stand-in for the app seen
spinning when its browser closed before its first screen."""

import asyncio
import os
import signal
import sys

from textual_serve.download_manager import DownloadManager

from ipc_tui.serve.tab import Tab
from tests.conftest import descendants, gone

DEAF = """
import signal, subprocess, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
sleep = [sys.executable, "-c", "import time; time.sleep(120)"]
subprocess.Popen(sleep)  # a worker: in the app's session
subprocess.Popen(sleep, start_new_session=True)  # a program's launcher: a session of its own
print("__GANGLION__", flush=True)
time.sleep(120)  # and never reads its input: the quit goes unheard
"""


async def nowhere(*args: object) -> None:
    pass


async def test_an_app_deaf_to_quit_and_sigterm_is_killed_with_its_whole_program():
    tab = Tab(
        [sys.executable, "-c", DEAF],
        write_bytes=nowhere,
        write_str=nowhere,
        close=nowhere,
        download_manager=DownloadManager(),
    )
    await tab.start(80, 24)
    family = {tab.pid}
    try:
        for _ in range(200):  # (10 s at most)
            family |= descendants(tab.pid)
            if len(family) == 3:
                break
            await asyncio.sleep(0.05)
        assert len(family) == 3, family
        await tab.end()
        assert tab._process.returncode == -signal.SIGKILL  # neither quit nor SIGTERM did it
        assert not [pid for pid in family if not gone(pid)]
        assert tab.ended[0] == 3  # the app, its worker and the program's launcher
    finally:  # a failing run leaves nothing behind either
        for pid in family:
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)
