"""Recordings: one run written down, to be opened again and stepped through (`--record`,
`--replay`).

A recording is a JSON file that holds everything the run needs and everything it showed:

    program   the built-in scenario's name or the file's path, its source and the source's
              SHA-256, the mode, the variant, the start method, the program's arguments
    turns     the steps in the order they were given (by a key, a schedule, play): [worker,
              seq, grain, "step"]; a worker killed (k): ["kill", worker]; where the run went
              free, ["free", steps]: the order of the steps it took running free is not known
              (a plain global's reads and writes are not traced then, the app counts steps)
    outcome   the run's final state (what `--headless --json` prints as "final")
    events    the trace, event for event

Replaying (engine/replay.py) takes the turns one by one, each once the step before has settled
(the way `--schedule` is followed), so the run goes the same way: the same steps in the same
order, the same final state. Where it cannot (the source changed, a turn's worker is not at its
gate, the recording ran free without saying in what order), the replay says so and where.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from time import strftime
from typing import Any

from ipc_tui.engine.errors import ScenarioError
from ipc_tui.engine.loader import ScenarioInfo, is_builtin
from ipc_tui.engine.snapshot import Snapshot, TraceEvent, cell_value, plain

FORMAT = "ipc-tui recording"
VERSION = 1
# A recording's events, at most: the first (a replay checks its steps against them). Kept as
# the board's TraceEvents until written: 100,000 took 34 MB (tracemalloc).
KEEP_EVENTS = 100_000
GRAINS = ("operation", "instruction")  # runtime.OPERATIONS, INSTRUCTIONS


def sha256(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


# -- a run as plain data ---------------------------------------------------------------------


def final_state(snap: Snapshot, outcome: str, waits: list[str], said: list[str]) -> dict:
    """The run's state at its end, as `--headless --json` prints it (`said`: the verdict in
    words)."""
    return {
        "scenario": snap.scenario,
        "mode": snap.mode,
        "variant": snap.variant,
        "outcome": outcome,
        "verdict": snap.verdict.kind,
        "said": said,
        "check": None
        if snap.checked is None
        else {"held": snap.checked.held, "says": snap.checked.says},
        "cycle": list(snap.verdict.cycle),
        "waits": waits,
        "cells": {c.name: cell_value(c) for c in snap.cells},
        "semaphores": {
            s.name: {"value": s.value, "initial": s.initial, "holders": list(s.holders)}
            for s in snap.semaphores
        },
        "locks": {lk.name: {"holder": lk.holder, "waiters": list(lk.waiters)} for lk in snap.locks},
        "events": {e.name: e.is_set for e in snap.events},
        "queues": {
            q.name: {
                "size": q.size,
                "maxsize": q.maxsize,
                "items": None if q.items is None else list(q.items),
                "getters": list(q.getters),
                "putters": list(q.putters),
                "unfinished": q.unfinished,
            }
            for q in snap.queues
        },
        "pipes": {
            p.name: {
                "ends": list(p.ends),
                "flight": [None if f is None else list(f) for f in p.flight],
                "receivers": [list(x) for x in p.receivers],
            }
            for p in snap.pipes
        },
        "conditions": {
            c.name: {"lock": c.lock, "waiting": c.waiting, "waiters": list(c.waiters)}
            for c in snap.conditions
        },
        "barriers": {
            b.name: {
                "parties": b.parties,
                "n_waiting": b.n_waiting,
                "broken": b.broken,
                "waiters": list(b.waiters),
            }
            for b in snap.barriers
        },
        "tables": {
            t.name: {"columns": list(t.columns), "rows": plain(t.rows), "note": t.note}
            for t in snap.tables
        },
        "workers": {
            w.name: {
                "state": w.state,
                "exitcode": w.exitcode,
                "steps": w.steps,
                "kind": w.kind,
                "pid": w.pid,
                "daemon": w.daemon,
                "alive": w.alive,
                "blocked_on": w.blocked_on,
                "waited": round(w.waited + w.blocked_for, 6),  # (with the wait going on)
                "error": w.error,
            }
            for w in snap.workers
        },
    }


def event_dict(e: TraceEvent) -> dict:
    return {
        "t": round(e.t, 6),
        "worker": e.worker,
        "seq": e.seq,
        "kind": e.kind,
        "op": e.op,
        "resource": e.resource,
        "index": e.index,
        "before": plain(e.before),
        "after": plain(e.after),
        "result": plain(e.result),
        "line": e.line,
    }


# -- recording ---------------------------------------------------------------------------------


class Recorder:
    """Keeps every event a front-end drains from its session (it hands them on as it reads
    them), so that the run can be written down at any moment."""

    def __init__(self) -> None:
        self.events: list[TraceEvent] = []
        self.dropped = 0

    def add(self, events: list[TraceEvent]) -> None:
        room = KEEP_EVENTS - len(self.events)
        if room < len(events):
            self.dropped += len(events) - max(room, 0)
            events = events[: max(room, 0)]
        self.events.extend(events)

    def recording(
        self, session: Any, final: dict, argv: tuple[str, ...] = (), quick: bool = False
    ) -> dict:
        """The run so far, as a recording (`final`: its state now, from `final_state`;
        `argv`, `quick`: as the front-end was given them)."""
        info: ScenarioInfo = session.info
        builtin = is_builtin(info)
        events = [event_dict(e) for e in sorted(self.events, key=lambda e: e.t)]
        return {
            "format": FORMAT,
            "version": VERSION,
            "recorded": strftime("%Y-%m-%dT%H:%M:%S%z"),
            "program": {
                "scenario": info.name if builtin else str(Path(info.path).resolve()),
                "builtin": builtin,
                "source": info.source,
                "sha256": sha256(info.source),
                "mode": getattr(session, "mode", None),
                "variant": getattr(session, "variant", None) or None,
                "start_method": getattr(session, "start_method", None),
                "method": getattr(session, "method", None),  # the one its processes used
                "argv": list(argv),
                "quick": quick,
            },
            "turns": turns_taken(getattr(session, "taken", []), events),
            "outcome": final,
            "events": events,
            "events_dropped": self.dropped,
        }


def turns_taken(taken: list[tuple], events: list[dict]) -> list[list]:
    """The steps in the order they were given (the scheduler's log), and where the run went
    free: ["free", steps], the steps it took meanwhile counted but not in order (running free,
    a plain global's reads and writes are not traced, and the app sums steps up)."""
    given = {(x[1], x[2]) for x in taken if x[0] == "step"}
    free = sum(e["result"] or 0 for e in events if e["kind"] == "summary")
    free += sum(1 for e in events if e["kind"] == "step" and (e["worker"], e["seq"]) not in given)
    turns: list[list] = []
    for entry in taken:
        if entry[0] == "step":
            turns.append([entry[1], entry[2], GRAINS[entry[3]], "step"])
        elif entry[0] == "kill":
            turns.append(["kill", entry[1]])
        else:
            turns.append(["free", free])
            free = 0
    return turns


def save(recording: dict, path: str | os.PathLike) -> None:
    """Write it whole or not at all (a half-written file is never left under its name)."""
    path = Path(path)
    part = path.with_name(f".{path.name}.part")
    try:
        part.write_text(json.dumps(recording, ensure_ascii=False, indent=1), encoding="utf-8")
        part.replace(path)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise ScenarioError(f"cannot write the recording {str(path)!r}: {exc.strerror}") from None
