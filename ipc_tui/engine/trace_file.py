"""A run as a trace file: the Chrome trace-event JSON format, which Perfetto (ui.perfetto.dev)
and chrome://tracing open (`--trace FILE.json`).

Made from what the board recorded (engine/board.py: TraceEvent) and what the snapshots say of
the workers and the locks; nothing here reads a live primitive.

- a track per worker, on its real pid and thread id (metadata events `M` name the process and
  the thread after the worker);
- each step a complete slice (`X`), named as the trace pane names it (`acquire lock`,
  `write counter[2]`), with its seq, line, before, after and result as args; a wait or a sleep
  inside a step a slice of its own within it (`blocked on lock`, `sleep 0.5 s`);
- running free with summaries (the app), one slice per summary (`running free: 40 steps`);
- a track per lock, on ipc-tui's own process: a slice for each holding, from the acquire's end
  to the release's start (so that two holdings never overlap);
- an arrow (flow events `s`, `f`) from each release that let a lock go to the acquire that took
  it next, whoever took it (an acquire that waited: into its wait, which the release ended).

A trace file holds at most `KEEP` events of the board's (the newest: `TraceRecorder`); its
`otherData` says how many older ones were not kept, and so does an instant event at its start.
"""

from __future__ import annotations

import itertools
import json
import os
from collections import deque
from collections.abc import Iterable
from typing import Any

from ipc_tui.engine.board import describe
from ipc_tui.engine.snapshot import Snapshot, TraceEvent, plain

KEEP = 20_000  # the board's events a trace file keeps, the newest: about 4 trace events each
FAKE_TID = 1_000_000_000  # tracks that are no thread: a lock's, a worker that never started


class TraceRecorder:
    """The newest `keep` events of a run, and what the snapshots said of its workers (pid,
    thread id) and locks: all a trace file needs, written at the run's end."""

    def __init__(self, keep: int = KEEP) -> None:
        self.keep = keep
        self.runs = 0  # runs before this one (restarts in the app)
        self.lanes: dict[str, tuple[int | None, int | None]] = {}  # worker -> (pid, tid)
        self.clear()

    def clear(self) -> None:
        """A new run (the app restarted its scenario): the file holds the newest run only."""
        if self.lanes:  # (the app's first run is loaded before anything was seen)
            self.runs += 1
        self.events: deque[TraceEvent] = deque(maxlen=self.keep)
        self.seen = 0
        self.lanes = {}  # worker -> (pid, tid)
        self.locks: dict[str, None] = {}  # the locks' names, in order
        self.about: dict[str, Any] = {}
        self.end = 0.0
        self.finished = False  # the run was closed: what comes after is its ending, not its own

    @property
    def dropped(self) -> int:
        return self.seen - len(self.events)

    def add(self, events: Iterable[TraceEvent]) -> None:
        if self.finished:
            return
        for e in events:
            self.events.append(e)
            self.seen += 1

    def finish(self, events: Iterable[TraceEvent]) -> None:
        """The run's last events, before its session closes: closing wakes what was blocked
        (engine/session.py), and those steps are none of the run's."""
        self.add(events)
        self.finished = True

    def saw(self, snap: Snapshot) -> None:
        for w in snap.workers:
            if w.pid is not None or w.name not in self.lanes:
                self.lanes[w.name] = (w.pid, w.tid)
        self.locks.update(dict.fromkeys(lock.name for lock in snap.locks))
        self.about = {"scenario": snap.scenario, "mode": snap.mode, "variant": snap.variant}
        self.end = max(self.end, snap.t)

    def trace(self) -> dict:
        about = dict(self.about, events=len(self.events), dropped=self.dropped, keep=self.keep)
        if self.runs:
            about["earlier_runs"] = self.runs  # (restarts in the app: not in this file)
        return chrome_trace(self.events, self.lanes, list(self.locks), self.end, about)

    def write(self, path: str) -> None:
        """Write the trace file (OSError when it cannot be written)."""
        text = json.dumps(self.trace(), default=repr, separators=(",", ":"))
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def us(t: float) -> float:
    """Seconds since the session started, as the format's microseconds."""
    return round(t * 1e6, 3)


def chrome_trace(
    events: Iterable[TraceEvent],
    lanes: dict[str, tuple[int | None, int | None]],
    locks: list[str],
    end: float,
    about: dict[str, Any],
    home: int | None = None,
) -> dict:
    """The JSON object of a trace file. `lanes`: each worker's (pid, thread id); `locks`: the
    names of the resources that are locks; `end`: when the run was last seen (what is still
    going on then ends there); `home`: ipc-tui's own pid (the locks' tracks are there)."""
    home = os.getpid() if home is None else home
    events = sorted(events, key=lambda e: e.t)
    end = max([end, *(e.span[1] if e.span else e.t for e in events)])
    ours = _Lanes(home, about.get("scenario", ""))
    for name in [*lanes, *(e.worker for e in events)]:
        ours.worker(name, *lanes.get(name, (None, None)))
    out: list[dict] = []
    steps = {(e.worker, e.seq): e for e in events if e.kind == "step"}
    by_worker: dict[str, list[TraceEvent]] = {}
    for e in events:
        by_worker.setdefault(e.worker, []).append(e)
    for name, mine in by_worker.items():
        pid, tid = ours.worker(name)
        for i, e in enumerate(mine):
            where = {"pid": pid, "tid": tid}
            if e.kind in ("step", "summary"):
                t0, t1 = e.span or (e.t, e.t)
                out.append(_slice(_name(e), e.kind, t0, t1, where, _args(e)))
            elif e.kind in ("blocked", "sleeping"):
                t0, t1 = _wait(e, mine[i + 1 :], steps.get((e.worker, e.seq)), end)
                what = (
                    f"blocked on {e.resource}" if e.kind == "blocked" else f"sleep {e.result:g} s"
                )
                args = {"seq": e.seq, "op": e.op, "line": e.line}
                if t1 >= end and (e.worker, e.seq) not in steps:
                    args["ended"] = False  # still waiting when the trace ends
                out.append(_slice(what, e.kind, t0, t1, where, args))
            else:  # output, finished, failed, killed, cut off
                args = {"line": e.line} if e.result is None else {"line": e.line, "said": e.result}
                said = e.op if e.kind == "output" else e.kind
                out.append(_event(said, e.kind, "i", e.t, where, s="t", args=args))
    ids = itertools.count(1)  # the arrows' ids
    for lock in locks:
        out += _holdings(lock, events, ours, end, ids)
    if about.get("dropped"):
        kept = about["keep"]
        said = f"{about['dropped']} older events not kept (a trace file keeps the newest {kept})"
        where = {"pid": home, "tid": home}
        first = events[0].t if events else 0.0
        out.append(_event(said, "dropped", "i", first, where, s="g", args=about))
    out.sort(key=lambda x: (x["ts"], -x.get("dur", 0)))
    return {"traceEvents": ours.metadata() + out, "displayTimeUnit": "ms", "otherData": about}


class _Lanes:
    """The tracks: each worker's (pid, tid), and the locks' on ipc-tui's own process."""

    def __init__(self, home: int, scenario: str) -> None:
        self.home, self.scenario = home, scenario
        self.lanes: dict[str, tuple[int, int, str]] = {}  # name -> (pid, tid, thread name)

    def worker(self, name: str, pid: int | None = None, tid: int | None = None) -> tuple[int, int]:
        if name not in self.lanes:
            if pid is None:  # never started (it only failed or was cut off)
                pid, tid = self.home, FAKE_TID + len(self.lanes)
            self.lanes[name] = (pid, pid if tid is None else tid, name)
        return self.lanes[name][:2]

    def lock(self, name: str) -> tuple[int, int]:
        key = ("lock", name)
        if key not in self.lanes:
            self.lanes[key] = (self.home, FAKE_TID + len(self.lanes), f"{name} (lock)")
        return self.lanes[key][:2]

    def metadata(self) -> list[dict]:
        out, processes = [], {self.home: f"ipc-tui: {self.scenario}"}
        for i, (pid, tid, name) in enumerate(self.lanes.values()):
            if tid == pid or pid not in processes:  # a process is named after its main thread
                processes[pid] = name
            where = {"pid": pid, "tid": tid}
            out.append(_event("thread_name", None, "M", 0, where, args={"name": name}))
            out.append(_event("thread_sort_index", None, "M", 0, where, args={"sort_index": i}))
        for i, (pid, name) in enumerate(processes.items()):
            where = {"pid": pid, "tid": pid}
            out.append(_event("process_name", None, "M", 0, where, args={"name": name}))
            out.append(_event("process_sort_index", None, "M", 0, where, args={"sort_index": i}))
        return out


def _event(name: str, cat: str | None, ph: str, t: float, where: dict, **more: Any) -> dict:
    """One trace event: `t` in seconds since the session started, `where` its pid and tid."""
    event = {"name": name, "ph": ph, "ts": us(t), **where, **more}
    if cat is not None:
        event["cat"] = cat
    return event


def _name(e: TraceEvent) -> str:
    if e.kind == "summary":
        return f"running free: {e.result} step{'' if e.result == 1 else 's'}"
    return describe(e.op, e.resource, e.index)


def _args(e: TraceEvent) -> dict:
    if e.kind == "summary":  # (op, resource, index: the last step it began)
        return {"seq": e.seq, "steps": e.result, "line": e.line, "last": _last(e)}
    args = {"seq": e.seq, "op": e.op, "resource": e.resource, "line": e.line}
    if e.index is not None:
        args["index"] = plain(e.index)
    for key in ("before", "after", "result"):
        value = getattr(e, key)
        if value is not None:
            args[key] = plain(value)
    return args


def _last(e: TraceEvent) -> str:
    """The last step a summary's worker began."""
    return describe(e.op, e.resource, e.index)


def _slice(name: str, cat: str, t0: float, t1: float, where: dict, args: dict) -> dict:
    dur = max(0.0, round(us(t1) - us(t0), 3))
    return _event(name, cat, "X", t0, where, dur=dur, args=args)


def _wait(
    e: TraceEvent, after: list[TraceEvent], step: TraceEvent | None, end: float
) -> tuple[float, float]:
    """When a wait (blocked, sleeping) began and ended: within its step when the step ended,
    else until the worker's next news (a summary's end of a wait is not in the trace), else
    until the trace ends."""
    if step is not None and step.span is not None and step.span[1] >= e.t:
        return max(e.t, step.span[0]), step.span[1]
    for later in after:
        if later.kind != "output":
            return e.t, max(e.t, later.span[0] if later.span else later.t)
    return e.t, max(e.t, end)


def _holdings(
    lock: str,
    events: list[TraceEvent],
    lanes: _Lanes,
    end: float,
    ids: Iterable[int],
) -> list[dict]:
    """A lock's holdings as slices on its track, and an arrow from each release that let it go
    to the acquire that took it next. Events in the board's order: an acquire where it ended,
    a release where it began (so that it comes before the acquire it allowed)."""
    pid, tid = lanes.lock(lock)
    where = {"pid": pid, "tid": tid}
    out: list[dict] = []
    holder: TraceEvent | None = None  # the acquire that took it
    depth = 0  # an RLock is let go by its last release
    let_go: TraceEvent | None = None  # the release that let it go, while nobody took it since

    def hold(until: float, released: bool) -> None:
        since = holder.span[1]
        args = {"holder": holder.worker, "seq": holder.seq, "released": released}
        out.append(
            _slice(f"held by {holder.worker}", "lock", since, max(since, until), where, args)
        )

    for e in events:
        if e.kind == "summary":  # running free: its acquires and releases are not known
            if holder is not None and holder.worker == e.worker:
                hold(e.span[0] if e.span else e.t, False)
                holder, depth = None, 0
            let_go = None
            continue
        if e.kind != "step" or e.resource != lock or e.span is None:
            continue
        if e.op == "acquire" and e.result:
            if holder is not None and holder.worker == e.worker:
                depth += 1
                continue
            if holder is not None:  # (its release is not in the trace)
                hold(e.span[0], False)
            holder, depth = e, 1
            if let_go is not None:
                out += _arrow(lock, let_go, e, lanes, next(ids))
            let_go = None
        elif e.op == "release":
            if holder is not None and holder.worker == e.worker:
                depth -= 1
                if depth > 0:
                    continue
            if holder is not None:  # (a Lock may be released by another worker)
                hold(e.span[0], True)
            holder, depth, let_go = None, 0, e
    if holder is not None:
        hold(end, False)  # still held when the trace ends
    return out


def _arrow(
    lock: str,
    release: TraceEvent,
    acquire: TraceEvent,
    lanes: _Lanes,
    flow: int,
) -> list[dict]:
    """Flow events from inside the release's slice to inside the acquire's, after the release
    (`bp: e`: bound to the slice that encloses it, not to the next one). An acquire that
    waited began before the release: the arrow ends in its wait, which the release ended."""
    r0, r1 = release.span
    a0, a1 = acquire.span
    let_go = (r0 + min(r1, max(r0, a1))) / 2  # (another process may take it before r1)
    name = f"{lock} handed over"
    pid, tid = lanes.worker(release.worker)
    start = _event(name, "handover", "s", let_go, {"pid": pid, "tid": tid}, id=flow)
    pid, tid = lanes.worker(acquire.worker)
    where = {"pid": pid, "tid": tid}
    took = (max(a0, let_go) + a1) / 2
    return [start, _event(name, "handover", "f", took, where, id=flow, bp="e")]
