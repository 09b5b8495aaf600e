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
import sys
import time

from ipc_tui.bench.app import busiest_file  # three workers at full speed, for ever
from ipc_tui.bench.terminal import Terminal, descendants, rss_mb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30 * 60)
    parser.add_argument("--warm-up", type=float, default=10)
    parser.add_argument("--mode", choices=("process", "thread"), default="process")
    parser.add_argument("--max-growth", type=float, default=10.0, metavar="MB")
    args = parser.parse_args()

    term = Terminal(["--scenario", busiest_file(), "--mode", args.mode])
    growth = 0.0
    try:
        term.read_until(b"Workers")
        term.keys(b"f")  # run free
        term.read(args.warm_up)
        term.output = b""  # what is drawn is read, and thrown away
        start = rss_mb(term.pid)
        children = len(descendants(term.pid))
        print(f"start: {start:.1f} MB resident (app pid {term.pid}, {children} children)")
        began = time.monotonic()
        while (left := args.seconds - (time.monotonic() - began)) > 0:
            term.read(min(60.0, left))
            term.output = b""
            minutes = (time.monotonic() - began) / 60
            print(f"{minutes:5.1f} min: {rss_mb(term.pid):.1f} MB", flush=True)
        end = rss_mb(term.pid)
        growth = end - start
        print(f"end: {end:.1f} MB resident; growth {growth:+.1f} MB in {args.seconds:g} s")
        term.keys(b"q")
        term.wait_exit()
    finally:
        term.kill_all()  # should the app not have quit: everything it started, by pid
    return 0 if growth <= args.max_growth else 1


if __name__ == "__main__":
    sys.exit(main())
