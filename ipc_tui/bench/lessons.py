"""The measuring scenarios' lessons, as figures: what the gil and ipc-compare scenarios show a
student, measured here in one run each. These are timings: they belong here, not in a test (on
a shared machine a second core is sometimes busy elsewhere, and the figures move with it)."""

from __future__ import annotations

import json
import subprocess
import sys


def _tables(*args: str, quick: bool) -> dict:
    command = [sys.executable, "-m", "ipc_tui", "--headless", "--json", *args]
    done = subprocess.run(
        command + (["--quick"] if quick else []), capture_output=True, text=True, timeout=600
    )
    return json.loads(done.stdout.splitlines()[-1])["final"]["tables"]


def _rows(table: dict) -> dict:
    return {tuple(row[:2]): dict(zip(table["columns"], row, strict=True)) for row in table["rows"]}


def gil(quick: bool) -> dict[str, float]:
    """How much faster than serial threads and processes are, on CPU work and on waits; the
    share of 1 ms samples in which one thread alone moved."""
    tables = _tables("--scenario", "gil", quick=quick)
    seconds = {
        row[0]: dict(zip(("serial", "threads", "processes"), row[1:], strict=True))
        for row in tables["seconds for 10 tasks, each way"]["rows"]
    }
    who = _rows(tables["which thread runs"])
    return {
        "processes, CPU": seconds["CPU"]["serial"] / seconds["CPU"]["processes"],
        "threads, CPU": seconds["CPU"]["serial"] / seconds["CPU"]["threads"],
        "threads, waits": seconds["latency I/O"]["serial"] / seconds["latency I/O"]["threads"],
        "one alone": who["one alone", "share of samples"]["share"],
    }


def turns() -> float:
    """How much longer a thread runs alone at sys.setswitchinterval(0.1) than at 0.001 (gil's
    "which thread runs", at its quick size: its first second)."""
    turn = {}
    for ms in ("1ms", "100ms"):
        table = _tables("--scenario", "gil", "--variant", ms, quick=True)["which thread runs"]
        turn[ms] = _rows(table)["a turn", "ms alone, on average"]["share"]
    return turn["100ms"] / turn["1ms"] if turn["1ms"] else float("inf")


def channels(quick: bool) -> float:
    """Items a second through an Array a hundred at a time, against the faster of a Pipe and a
    Queue."""
    table = _tables("--scenario", "ipc-compare", quick=quick)["pipe, queue, shared memory"]
    rate = {
        row[0]: dict(zip(table["columns"], row, strict=True))["items/s"] for row in table["rows"]
    }
    return rate["Array ×100"] / max(rate["Pipe"], rate["Queue"])
