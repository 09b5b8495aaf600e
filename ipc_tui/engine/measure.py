"""Measurements a scenario's main() asks for: each one is a step of main, run in lab processes,
its figures shown as a table that fills in while it runs.

- `compare_ways`: the same tasks serially, on threads and as processes (the notes' GIL table)
- `who_runs`: which thread of a process runs, sampled from outside it every millisecond
- `compare_channels`: items moved from one process to another: items per second and latency
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from time import monotonic
from typing import Any

from ipc_tui.engine.lab import Lab
from ipc_tui.engine.reports import TableShown
from ipc_tui.engine.runtime import Subject, current, step

BARS = " ▁▂▃▄▅▆▇█"
WAYS = ("serial", "threads", "processes")
STRIP = 24  # samples shown in "which thread runs", one column each


def show_table(name: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], note: str = ""):
    """Show (or update) the table `name`; from a worker, as the scenario's results."""
    rt = current()
    if rt is None:
        raise RuntimeError("show_table() is for a scenario's workers")
    rt.send(TableShown(name, tuple(columns), tuple(tuple(r) for r in rows), note))


class Measurement(Subject):
    """A measurement, as one step of the worker that asks for it (main): it waits at its gate
    and shows in the trace by what it measures."""

    def __init__(self, what: str):
        self.name = what


def machine() -> str:
    """The facts that bound what threads and processes can gain here."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    gil = getattr(sys, "_is_gil_enabled", lambda: True)()
    version = ".".join(map(str, sys.version_info[:3]))
    return f"{cores} cores · {sys.implementation.name} {version} · " + (
        "GIL enabled: one thread runs Python at a time" if gil else "no GIL (free-threaded)"
    )


def _bars(progress: Any) -> str:
    return "".join(BARS[round(max(0.0, min(1.0, p)) * (len(BARS) - 1))] for p in progress)


# -- serial, threads, processes ------------------------------------------------------------


def compare_ways(
    workloads: dict[str, tuple[Callable, Any]],
    tasks: int = 10,
    notes: dict[tuple[str, str], float] | None = None,
    name: str = "serial, threads, processes",
) -> dict[str, dict[str, float]]:
    """Run each workload `func(arg, progress, me)` as `tasks` tasks in each way; return seconds
    by workload and way. A task sets `progress[me]` (0 to 1) as it goes: the table shows it."""
    # At the quick size the work is smaller: the notes' seconds (for the full work) would not
    # compare, so they are not shown beside ours.
    quick = _quick()
    notes = {} if quick else (notes or {})
    seconds: dict[str, dict[str, float]] = {w: {} for w in workloads}
    # seconds: while it runs, a bar per task; faster: serial's seconds / this way's
    columns = ("work", "way", "seconds", "faster", "notes")

    def table(running: tuple[str, str] | None = None, progress: Any = ()) -> None:
        rows = []
        for work in workloads:
            for way in WAYS:
                took = seconds[work].get(way)
                serial = seconds[work].get("serial")
                if took is None and (work, way) == running:
                    took = _bars(progress)
                faster = round(serial / took, 2) if serial and isinstance(took, float) else None
                rows.append((work, way, took, faster, notes.get((work, way))))
        said = (
            "the course's seconds are for the full work: not shown at the quick size"
            if quick
            else "notes: the course's seconds, on its machine"
        )
        note = f"{tasks} tasks each; {said} · {machine()}"
        show_table(name, columns, rows, note)

    def measure(lab: Lab, work: str, func: Callable, arg: Any, way: str) -> None:
        progress = lab.ctx.RawArray("d", tasks)
        began = time.perf_counter()
        if way == "processes":
            labs = [lab.start(func, arg, progress, i) for i in range(tasks)]
        else:
            labs = [lab.start(func, arg, progress, way=way, tasks=tasks, numbered=True)]
        for one in labs:
            lab.result(one, tick=lambda: table((work, way), progress[:]))
        seconds[work][way] = round(time.perf_counter() - began, 3)
        table()

    table()
    with Lab() as lab:
        for work, (func, arg) in workloads.items():
            for way in WAYS:  # each measurement is one step of the worker that asks for it
                step("measure", Measurement(f"{work}, {way}"), measure, (lab, work, func, arg, way))
    return seconds


# -- which thread runs ---------------------------------------------------------------------


def who_runs(
    spin: Callable, threads: int = 3, switch_ms: float = 5, seconds: float | None = None
) -> dict[str, float]:
    """Run `spin(counters, me)` on `threads` threads of one lab process, with
    `sys.setswitchinterval(switch_ms / 1000)`, and read the counters from outside every
    millisecond: whose moved. Returns the share of samples in which exactly one thread moved
    and the mean length of one thread's turn, in milliseconds."""
    seconds = seconds if seconds is not None else (1.0 if _quick() else 3.0)
    label = Measurement(f"who runs, switch {switch_ms:g} ms")
    return step("measure", label, _who_runs, (spin, threads, switch_ms, seconds))


def _who_runs(spin: Callable, threads: int, switch_ms: float, seconds: float) -> dict[str, float]:
    name = "which thread runs"
    strips: list[deque[str]] = [deque(" " * STRIP, maxlen=STRIP) for _ in range(threads)]
    samples = one_moved = 0
    moved_count = [0] * threads
    turns: list[int] = []  # the length of each turn of one thread alone, in samples
    with Lab() as lab:
        counters = lab.ctx.RawArray("Q", threads)
        lab.start(
            spin, counters, way="threads", tasks=threads, numbered=True, switch=switch_ms / 1000
        )
        while not any(counters[:]):
            lab.pause(0.01)
        before, began, shown = counters[:], monotonic(), 0.0
        last, run = None, 0
        while (now := monotonic()) - began < seconds:
            lab.pause(0.001)
            after = counters[:]
            moved = [i for i in range(threads) if after[i] != before[i]]
            before = after
            samples += 1
            for i, strip in enumerate(strips):
                strip.append("█" if i in moved else " ")
            for i in moved:
                moved_count[i] += 1
            alone = moved[0] if len(moved) == 1 else None
            one_moved += alone is not None
            if alone is not None and alone == last:
                run += 1
            else:
                if last is not None:
                    turns.append(run)
                last, run = alone, 1
            if now - shown > 0.1:
                figures = (strips, moved_count, samples, one_moved, turns, switch_ms)
                _show_who(name, *figures, now - began)
                shown = now
        _show_who(name, strips, moved_count, samples, one_moved, turns, switch_ms, now - began)
        period_ms = (monotonic() - began) * 1000 / max(1, samples)
    return {
        "one alone": round(one_moved / max(1, samples), 3),
        "turn ms": round(statistics.mean(turns) * period_ms, 2) if turns else 0.0,
    }


def _show_who(name, strips, moved, samples, one_moved, turns, switch_ms, elapsed) -> None:
    period = elapsed * 1000 / max(1, samples)
    rows = [
        (f"thread {i}", "".join(strip), round(moved[i] / max(1, samples), 3))
        for i, strip in enumerate(strips)
    ]
    rows.append(
        (
            "one alone",
            "share of samples",
            round(one_moved / max(1, samples), 3),
        )
    )
    rows.append(
        (
            "a turn",
            "ms alone, on average",
            round(statistics.mean(turns) * period, 2) if turns else None,
        )
    )
    note = (
        f"sys.setswitchinterval({switch_ms / 1000:g}) · one column a sample: every "
        f"{period:.1f} ms, the threads' counters read from outside their process; "
        f"one alone: in how many samples only one thread moved · {machine()}"
    )
    show_table(name, ("thread", "moved? (newest right)", "share"), rows, note)


def _quick() -> bool:
    rt = current()
    return bool(rt and rt.spawner and rt.spawner.spec.quick)


# -- pipe, queue, shared memory ------------------------------------------------------------


def compare_channels(
    channels: Sequence[tuple[str, str, Callable, Callable, Callable]],
    items: int,
    name: str = "pipe, queue, shared memory",
) -> dict[str, dict[str, float]]:
    """For each channel `(name, the notes' words, make, send, receive)`: `make(mp)` returns the
    sending and receiving ends; `send(end, n)` sends n items, each the `time.perf_counter()` at
    which it was sent; `receive(end, n)` returns the n delays it saw. Measured in lab processes:
    items per second in a burst of `items`, and the median delay of one item sent alone."""
    figures: dict[str, dict[str, float]] = {}
    columns = ("channel", "the notes say", "items/s", "latency µs")

    def table(measuring: str = "") -> None:
        rows = []
        for channel, words, *_ in channels:
            got = figures.get(channel, {})
            rate = got.get("items/s", "measuring…" if channel == measuring else None)
            rows.append((channel, words, rate, got.get("latency µs")))
        show_table(name, columns, rows, f"{items:,} items in a burst, 50 sent alone · {machine()}")

    def measure(lab: Lab, channel: str, make: Callable, send: Callable, receive: Callable) -> None:
        table(channel)
        send_end, receive_end = make(lab.ctx)
        receiver = lab.start(receive, receive_end, items)
        sender = lab.start(send, send_end, items)
        began = lab.result(sender)[0]
        ended = lab.result(receiver, timeout=60)[1]
        # One item at a time, 2 ms apart: the delay of an item nobody queues behind.
        send_end, receive_end = make(lab.ctx)
        receiver = lab.start(receive, receive_end, 1, tasks=50)
        sender = lab.start(send, send_end, 1, tasks=50, gap=0.002)
        lab.result(sender)
        delays = [d for got in lab.result(receiver, timeout=60)[2] for d in got]
        figures[channel] = {
            "items/s": round(items / (ended - began)),
            "latency µs": round(statistics.median(delays) * 1e6, 1),
        }
        table()

    table()
    with Lab() as lab:
        for channel, _words, make, send, receive in channels:
            step("measure", Measurement(channel), measure, (lab, channel, make, send, receive))
    return figures
