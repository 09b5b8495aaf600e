"""Fixed pictures of each built-in scenario in its lesson's state (tests/tui/states.py), for the
snapshot tests: recorded once from a real session, with what changes from run to run (pids,
thread ids, times, waits) made fixed, and kept in tests/tui/pictures/NAME.txt. After a change
to a scenario, or to what a session shows, record them again and look at the snapshots:

    python -m tests.tui.pictures [NAME ...]
"""

from __future__ import annotations

import ast
import asyncio
import dataclasses
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from pprint import pformat

from ipc_tui.engine import Snapshot, TraceEvent, find_scenario, open_session
from ipc_tui.engine.check import Checked
from ipc_tui.engine.snapshot import (
    Cell,
    EventState,
    LockState,
    PipeState,
    QueueState,
    SemaphoreState,
    State,
    Table,
    Verdict,
    Waiter,
    WorkerState,
)
from tests.tui.states import STATES, LessonState, bring_about

FOLDER = Path(__file__).parent / "pictures"
NOW = 1000.0  # the picture's time.monotonic()


@dataclass(frozen=True)
class Picture:
    source_hash: str  # of the scenario file it was recorded from
    snapshot: Snapshot  # (with its verdict, and its check)
    events: tuple[TraceEvent, ...]


def source_hash(scenario: str) -> str:
    return hashlib.sha256(find_scenario(scenario).source.encode()).hexdigest()[:16]


async def record(state: LessonState) -> Picture:
    """Bring a real session into `state` and take its picture, made fixed."""
    session = open_session(find_scenario(state.scenario), state.mode, quick=True)
    try:
        session.start()
        if hasattr(session, "wait_started"):  # a built-in plain program
            await asyncio.to_thread(session.wait_started, 15)
        await bring_about(state, session)
        snap = session.snapshot()
        events = session.drain_events()
        picture = Picture(source_hash(state.scenario), snap, tuple(events))
    finally:
        session.close()
    return fixed(picture)


def fixed(picture: Picture) -> Picture:
    """Pids and thread ids numbered 1001, 1002...; each event a tenth of a second after the
    one before; waits and run times 0; what a worker printed with the same ids."""
    snap = picture.snapshot
    ids: dict[int, int] = {}
    for w in snap.workers:
        for real in (w.pid, w.tid):
            if real is not None and real not in ids:
                ids[real] = 1001 + len(ids)

    def same_ids(text: str) -> str:
        return re.sub(r"\d{3,}", lambda m: str(ids.get(int(m.group()), m.group())), text)

    workers = tuple(
        dataclasses.replace(
            w,
            pid=ids.get(w.pid, w.pid),
            tid=ids.get(w.tid, w.tid),
            file=Path(w.file).name,  # (where the checkout is: not shown, and not fixed)
            waited=0.0,
            busy=0.0,
            blocked_for=0.0,
            error=same_ids(w.error) if w.error else w.error,
            at=None,  # (where in the bytecode: a path of the checkout; the fake shows none)
        )
        for w in snap.workers
    )
    trace = tuple(
        dataclasses.replace(
            e,
            t=round(0.1 * (k + 1), 1),
            result=same_ids(e.result) if e.kind == "output" else e.result,
        )
        for k, e in enumerate(picture.events)
    )
    last = trace[-1].t if trace else 0.0

    def deadline(waiter: Waiter) -> Waiter:
        if waiter.deadline is None:
            return waiter
        return Waiter(waiter.worker, NOW + round(waiter.deadline - snap.now, 1))

    flags = tuple(
        dataclasses.replace(e, waiters=tuple(deadline(x) for x in e.waiters)) for e in snap.events
    )
    snap = dataclasses.replace(snap, t=round(last + 0.1, 1), now=NOW, workers=workers, events=flags)
    return dataclasses.replace(picture, snapshot=snap, events=trace)


def _literal(value: object) -> object:
    """What `ast.literal_eval` reads back: a worker's State as its word."""
    if isinstance(value, State):
        return value.value
    if isinstance(value, dict):
        return {k: _literal(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_literal(v) for v in value)
    return value


def save(name: str, picture: Picture) -> None:
    FOLDER.mkdir(exist_ok=True)
    text = pformat(_literal(dataclasses.asdict(picture)), width=100, sort_dicts=False)
    (FOLDER / f"{name}.txt").write_text(text + "\n")


def load(name: str) -> Picture:
    d = ast.literal_eval((FOLDER / f"{name}.txt").read_text())
    s = d["snapshot"]
    snapshot = Snapshot(
        **{
            **s,
            "cells": tuple(Cell(**x) for x in s["cells"]),
            "locks": tuple(LockState(**x) for x in s["locks"]),
            "semaphores": tuple(SemaphoreState(**x) for x in s["semaphores"]),
            "events": tuple(
                EventState(**{**x, "waiters": tuple(Waiter(**w) for w in x["waiters"])})
                for x in s["events"]
            ),
            "workers": tuple(
                WorkerState(**{**x, "state": State(x["state"])}) for x in s["workers"]
            ),
            "tables": tuple(Table(**x) for x in s["tables"]),
            "verdict": Verdict(**s["verdict"]),
            "checked": Checked(**s["checked"]) if s["checked"] else None,
            "queues": tuple(QueueState(**x) for x in s.get("queues", ())),
            "pipes": tuple(PipeState(**x) for x in s.get("pipes", ())),
        }
    )
    events = tuple(TraceEvent(**x) for x in d["events"])
    return Picture(d["source_hash"], snapshot, events)


def main(names: list[str]) -> None:
    from ipc_tui.engine import start_helpers

    start_helpers()
    for state in STATES:
        if not names or state.scenario in names:
            save(state.scenario, asyncio.run(record(state)))
            print("recorded", state.scenario)


if __name__ == "__main__":
    main(sys.argv[1:])
