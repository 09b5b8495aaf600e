"""The engine's figures: the cost of watching, the step latency, races that still show.

Free runs are measured as the app runs them: with summaries on (see engine/runtime.py).
"""

from __future__ import annotations

import statistics
import tempfile
import textwrap
import time
from pathlib import Path

from ipc_tui.engine import Session, find_scenario

# One worker times each operation pair on the raw primitive, behind a thin Python wrapper (the
# least any watcher written in Python adds), then watched, running free.
WATCHING = '''
"""Bench: each operation, raw, thinly wrapped and watched, in one worker."""
import time
from ipc_tui.scenario import Event, Lock, Process, Semaphore, Value, quick

N = 3_000 if quick() else 30_000
lock = Lock()
cell = Value("i", 0)
permits = Semaphore(1)
flag = Event()

class Thin:
    """One Python call in front of each real operation, and nothing else."""
    def __init__(self, raw):
        self.raw = raw
    def acquire(self):
        return self.raw.acquire()
    def release(self):
        self.raw.release()
    def set(self):
        self.raw.set()
    def clear(self):
        self.raw.clear()
    @property
    def value(self):
        return self.raw.value
    @value.setter
    def value(self, new):
        self.raw.value = new

def lock_pair(lk, n):
    for _ in range(n):
        lk.acquire()
        lk.release()

def value_pair(c, n):
    for _ in range(n):
        c.value = c.value + 1

def semaphore_pair(s, n):
    for _ in range(n):
        s.acquire()
        s.release()

def event_pair(e, n):
    for _ in range(n):
        e.set()
        e.clear()

def timed(pair, thing):
    began = time.perf_counter()
    pair(thing, N)
    return (time.perf_counter() - began) / N

def bench():
    for name, pair, thing in [
        ("Lock acquire+release", lock_pair, lock),
        ("Value read+write", value_pair, cell),
        ("Semaphore acquire+release", semaphore_pair, permits),
        ("Event set+clear", event_pair, flag),
    ]:
        raw = min(timed(pair, thing._raw) for _ in range(3))
        thin = min(timed(pair, Thin(thing._raw)) for _ in range(3))
        watched = min(timed(pair, thing) for _ in range(3))
        print(f"{name}|{raw}|{thin}|{watched}")

Process(target=bench)
'''

STEPPING = '''
"""Bench: a worker with many steps to take, one at a time."""
from ipc_tui.scenario import Process, Value

cell = Value("i", 0)

def reads():
    for _ in range(100_000):
        cell.value

Process(target=reads)
'''

RACE = '''
"""Bench: the race-condition code, watched or raw."""
from ipc_tui.scenario import Process, Value, quick, variant

VARIANTS = ("watched", "raw")
TIMES = 2_000 if quick() else 20_000
counter = Value("i", 0)
RAW = variant() == "raw"

def add():
    c = counter._raw if RAW else counter
    for _ in range(TIMES):
        c.value += 1

Process(target=add)
Process(target=add)
'''


def _file(source: str, name: str) -> str:
    path = Path(tempfile.mkdtemp(prefix="ipc-tui-bench-")) / name
    path.write_text(textwrap.dedent(source))
    return str(path)


def _run_free(session: Session, timeout: float = 120) -> list:
    session.start()
    session.run()
    events, deadline = [], time.monotonic() + timeout
    while not session.finished():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{session.info.name} did not finish in {timeout:g} s")
        events += session.drain_events()
        time.sleep(0.01)
    session.wait_exited()
    return events + session.drain_events()


def cost_of_watching(quick: bool) -> dict[tuple[str, str], tuple[float, float, float]]:
    """(raw, thinly wrapped, watched) seconds per operation pair, per mode."""
    path = _file(WATCHING, "watching.py")
    out = {}
    for mode in ("thread", "process"):
        session = Session(find_scenario(path), mode, quick=quick, summary=True)  # as the app
        try:
            events = _run_free(session)
        finally:
            session.close()
        for e in events:
            if e.kind == "output":
                name, *seconds = str(e.result).split("|")
                out[name, mode] = tuple(map(float, seconds))
    return out


def step_latency(quick: bool) -> dict[str, list[float]]:
    """Seconds from `step(w)` to a snapshot that shows the step done, per mode."""
    path = _file(STEPPING, "stepping.py")
    out = {}
    for mode in ("thread", "process"):
        session = Session(find_scenario(path), mode)
        latencies = []
        try:
            session.start()
            session.wait_settled(10)
            for _ in range(100 if quick else 500):
                before = session.snapshot().worker("w0").steps
                began = time.perf_counter()
                session.step("w0")
                while session.snapshot().worker("w0").steps == before:
                    time.sleep(0.00002)  # a busy loop would hold the GIL the step needs
                latencies.append(time.perf_counter() - began)
                session.wait_settled(5)
        finally:
            session.close()
        out[mode] = latencies
    return out


def races(quick: bool) -> dict[str, float]:
    """Share of free runs (processes) that lose updates, watched and raw."""
    path = _file(RACE, "race.py")
    runs = 5 if quick else 20
    out = {}
    for variant in ("watched", "raw"):
        lost = 0
        for _ in range(runs):
            session = Session(find_scenario(path), "process", variant, quick=quick, summary=True)
            try:
                _run_free(session)
                expected = 2 * (2_000 if quick else 20_000)
                lost += session.snapshot().cell("counter").value < expected
            finally:
                session.close()
        out[variant] = lost / runs
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


# A thread program that talks through plain globals, as the notes teach: timed whole, under
# plain python and watched (ipc-tui headless, running free: by operations).
GLOBALS = """
import sys
import threading
import time

N = int(sys.argv[1])
counter = 0
last = {}


def score(i):
    return i % 7


def work(name):
    global counter
    for i in range(N):
        counter += score(i)
        last[name] = i


if __name__ == "__main__":
    began = time.perf_counter()
    workers = [threading.Thread(target=work, args=(f"w{k}",)) for k in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print(f"loop|{time.perf_counter() - began}|{counter}")
"""


def _timed_run(argv: list[str]) -> tuple[float, float]:
    """(the whole run's seconds, the loop's as the program printed it)."""
    import subprocess
    import sys

    began = time.perf_counter()
    done = subprocess.run([sys.executable, *argv], capture_output=True, text=True, timeout=300)
    whole = time.perf_counter() - began
    loop = next(float(line.split("|")[1]) for line in done.stdout.splitlines() if "loop|" in line)
    return whole, loop


def plain_globals(quick: bool) -> dict[str, float]:
    """A program whose two threads update plain globals (a number and a dict), run whole:
    plain python against watched (ipc-tui headless, free); best of three each. Also the
    cost of one access of a global, raw and while stepping (one step of a worker, from
    `step()` to the snapshot that shows it)."""
    n = 300_000 if quick else 3_000_000
    path = _file(GLOBALS, "globals.py")
    out: dict[str, float] = {}
    plain = [_timed_run([path, str(n)]) for _ in range(3)]
    watched = [_timed_run(["-m", "ipc_tui", path, str(n), "--headless"]) for _ in range(3)]
    out["plain"], out["plain loop"] = min(p[0] for p in plain), min(p[1] for p in plain)
    out["watched"] = min(w[0] for w in watched)
    out["watched loop"] = min(w[1] for w in watched)
    accesses = 2 * n * 3  # per iteration: counter read, written, the dict written
    out["raw access"] = out["plain loop"] / accesses
    out["free access"] = out["watched loop"] / accesses
    out["stepped access"] = statistics.median(_stepped_globals(path))
    return out


def _stepped_globals(path: str) -> list[float]:
    from ipc_tui.engine.loader import read_info
    from ipc_tui.engine.program.session import ProgramSession

    session = ProgramSession(read_info(Path(path)), argv=("50",))
    latencies = []
    try:
        session.start()
        session.wait_started(15)
        session.run_schedule("MainThreadx2", timeout=20)
        w0 = next(w for w in session.snapshot().workers if w.name.startswith("Thread-1"))
        for _ in range(100):
            before = session.snapshot().worker(w0.name).steps
            began = time.perf_counter()
            session.step(w0.name)
            while session.snapshot().worker(w0.name).steps == before:
                time.sleep(0.00002)
            latencies.append(time.perf_counter() - began)
            session.wait_settled(5)
    finally:
        session.close()
    return latencies
