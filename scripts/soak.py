"""Soak: run the app for a long time on a scenario that never stops, and watch its memory.

    python scripts/soak.py                # 30 minutes
    python scripts/soak.py --seconds 60   # a shorter run (CI runs one)

The app runs in a real pseudo-terminal (120x40), every worker running free for the whole time,
as a student might leave it. Its resident memory is read from /proc at the start (after a
warm-up) and every minute; the script prints the start, the end and the growth, and exits 1 if
it grew by more than --max-growth MB. Everything it started is ended, by pid, at the end.
"""

from __future__ import annotations

import argparse
import os
import pty
import select
import signal
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

# The busiest scenario there is: every worker reports without a pause, for ever.
BUSIEST = '''"""Soak: three workers at full speed, for ever."""
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


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30 * 60)
    parser.add_argument("--warm-up", type=float, default=10)
    parser.add_argument("--mode", choices=("process", "thread"), default="process")
    parser.add_argument("--max-growth", type=float, default=10.0, metavar="MB")
    args = parser.parse_args()

    scenario = Path(tempfile.mkdtemp()) / "soak.py"
    scenario.write_text(BUSIEST)
    pid, fd = pty.fork()
    if pid == 0:
        import fcntl

        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        cmd = [sys.executable, "-m", "ipc_tui", "--scenario", str(scenario), "--mode", args.mode]
        os.execvp(sys.executable, cmd)

    def drain(seconds: float) -> None:  # read the screen as a terminal would, and throw it away
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([fd], [], [], min(left, 0.2))
            if ready:
                try:
                    os.read(fd, 1 << 16)
                except OSError:
                    return

    family: set[int] = set()
    try:
        drain(3)
        os.write(fd, b"f")  # run free
        drain(args.warm_up)
        family = descendants(pid)
        start = rss_mb(pid)
        print(f"start: {start:.1f} MB resident (app pid {pid}, {len(family)} children)", flush=True)
        began = time.monotonic()
        while (left := args.seconds - (time.monotonic() - began)) > 0:
            drain(min(60.0, left))
            print(f"{(time.monotonic() - began) / 60:5.1f} min: {rss_mb(pid):.1f} MB", flush=True)
        end = rss_mb(pid)
        growth = end - start
        print(f"end: {end:.1f} MB resident; growth {growth:+.1f} MB in {args.seconds:g} s")
        os.write(fd, b"q")
        drain(2)
    finally:
        family |= descendants(pid)
        for p in [pid, *family]:
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os.waitpid(pid, 0)
        os.close(fd)
    return 0 if growth <= args.max_growth else 1


if __name__ == "__main__":
    sys.exit(main())
