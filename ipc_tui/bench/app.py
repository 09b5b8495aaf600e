"""The app's figures, measured on the real app in a pseudo-terminal."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ipc_tui.bench.terminal import Terminal, cpu_seconds, rss_mb

# The busiest scenario there is: every worker reports without a pause, for ever.
BUSIEST = '''"""Busiest: three workers at full speed, for ever."""
from ipc_tui.scenario import Event, Lock, Process, Semaphore, Value

counter = Value("i", 0)
lock = Lock()
room = Semaphore(2)
seen = Event()


def work():
    while True:
        with room:
            with lock:
                counter.value += 1
        seen.set()


Process(target=work)
Process(target=work)
Process(target=work)
'''


def busiest_file() -> str:
    path = Path(tempfile.mkdtemp(prefix="ipc-tui-bench-")) / "busiest.py"
    path.write_text(BUSIEST)
    return str(path)


# ? opens the help and closes it; t shows the timeline, then the trace again. (Not escape: a
# terminal's lone escape byte waits out Textual's ESCDELAY, 100 ms, to be told apart from the
# start of a key's escape sequence.)
PROBES = ((b"?", b"this help"), (b"?", b"Workers"), (b"t", b"Timeline"), (b"t", b"Trace"))


def probe_keys(term: Terminal, presses: int) -> list[float]:
    """Seconds from each probe key written to the screen showing its effect, `presses` rounds."""
    latencies = []
    for _ in range(presses):
        for key, shows in PROBES:
            since = len(term.output)
            pressed = time.monotonic()
            os.write(term.fd, key)
            latencies.append(term.read_until(shows, since=since) - pressed)
            term.read(0.2)
    return latencies


def under_load(seconds: float, presses: int) -> dict:
    """Every worker of the busiest scenario free: frames per second, key press to screen
    change, and resident memory after the first frame and after `seconds`."""
    term = Terminal(["--scenario", busiest_file(), "--mode", "process"])
    try:
        term.read_until(b"Quit")
        term.read(2)
        start_mb = rss_mb(term.pid)
        began = time.monotonic()
        term.keys(b"f")
        term.read(2)
        fps = term.frames(5)
        latencies = probe_keys(term, presses)
        while time.monotonic() - began < seconds:
            term.read(1)
            term.output = term.output[-100_000:]
        end_mb = rss_mb(term.pid)
        term.keys(b"q")
        term.wait_exit()
    finally:
        term.kill_all()
    return {"fps": fps, "keys": latencies, "start MB": start_mb, "end MB": end_mb}


def idle(seconds: float) -> float:
    """Share of one core the app uses while paused (a scenario open, nothing stepping)."""
    term = Terminal(["--scenario", "lock-contention", "--mode", "process"])
    try:
        term.read_until(b"Quit")
        term.read(2)
        before = cpu_seconds(term.pid)
        term.read(seconds)
        used = cpu_seconds(term.pid) - before
        term.keys(b"q")
        term.wait_exit()
    finally:
        term.kill_all()
    return used / seconds


def start_up() -> dict:
    """`ipc-tui --list`; app start to its first full frame; one process worker started."""
    listing = []
    for _ in range(3):
        began = time.perf_counter()
        subprocess.run([sys.executable, "-m", "ipc_tui", "--list"], capture_output=True, check=True)
        listing.append(time.perf_counter() - began)
    frames = []
    for _ in range(3):
        began = time.monotonic()
        term = Terminal(["--scenario", "lock-contention"])
        try:
            frames.append(term.read_until(b"Quit") - began)
            term.keys(b"q")
            term.wait_exit()
        finally:
            term.kill_all()
    return {"list": statistics.median(listing), "first frame": statistics.median(frames)}


def one_worker() -> float:
    """Median seconds from Session.start() to one process worker waiting at its gate."""
    from ipc_tui.engine import Session, find_scenario

    path = Path(tempfile.mkdtemp(prefix="ipc-tui-bench-")) / "one.py"
    path.write_text(
        '"""One worker."""\nfrom ipc_tui.scenario import Process, Value\n'
        'n = Value("i", 0)\ndef one():\n    n.value = 1\nProcess(target=one)\n'
    )
    took = []
    for _ in range(5):
        session = Session(find_scenario(str(path)), "process")
        try:
            began = time.perf_counter()
            session.start()
            session.wait_settled(10)
            took.append(time.perf_counter() - began)
        finally:
            session.close()
    return statistics.median(took)


# A thread that spins without a step (a busy loop), written both ways: as a scenario of the
# ipc-tui dialect in thread mode (its threads are threads of the app's process, before issue
# 13) and as a plain program (its own process, after).
SPIN_SCENARIO = '''"""Spin: a thread that never pauses."""
from ipc_tui.scenario import Thread, Value

seen = Value("i", 0)


def spin():
    seen.value = 1
    n = 0
    while True:
        n += 1


Thread(target=spin)
'''

SPIN_PROGRAM = '''"""Spin: a thread that never pauses."""
import threading


def spin():
    n = 0
    while True:
        n += 1


if __name__ == "__main__":
    threading.Thread(target=spin, daemon=True).start()
    threading.Event().wait()
'''


def spinning(program: bool, presses: int) -> list[float]:
    """Key press to screen change while a thread of the opened file spins, running free."""
    path = Path(tempfile.mkdtemp(prefix="ipc-tui-bench-")) / "spin.py"
    path.write_text(SPIN_PROGRAM if program else SPIN_SCENARIO)
    term = Terminal([str(path)] if program else ["--scenario", str(path), "--mode", "thread"])
    latencies: list[float] = []
    try:
        term.read_until(b"Quit")
        term.read(1)
        term.keys(b"f")  # run free: the thread spins
        term.read(2)
        latencies = probe_keys(term, presses)
        term.keys(b"q")
        term.wait_exit()
    finally:
        term.kill_all()
    return latencies
