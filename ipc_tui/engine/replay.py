"""Replaying a recording (engine/recording.py): the same program and options, its steps taken
again one by one, and what went otherwise said (`--replay`).

`follow` takes the turns one step a turn, each once the step before has settled, after
checking that the worker is at its gate about to do what the recording says it did (with
`--force`, the first step that is not ends the following: a changed program), and makes the
real primitives let in the waiters the recording let in (`HandOffs`). The replay is a run of
its own, recorded the same way, and `differences` compares the two.
"""

from __future__ import annotations

import json
import os
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from time import monotonic, sleep
from typing import Any

from ipc_tui.engine.board import ENDED, LETS_GO
from ipc_tui.engine.errors import CannotKill, ScenarioError
from ipc_tui.engine.loader import ScenarioInfo, find_scenario
from ipc_tui.engine.recording import FORMAT, GRAINS, VERSION, sha256
from ipc_tui.engine.steering import GATE_GRACE

LETS_OTHERS_GO = (*LETS_GO, "get", "get_nowait", "recv")  # (a get makes room for a put)


@dataclass(frozen=True)
class Replay:
    """A recording, opened: what to run, and how."""

    path: str
    info: ScenarioInfo
    mode: str | None
    variant: str | None
    start_method: str | None
    argv: tuple[str, ...]
    quick: bool
    sha256: str
    turns: tuple[tuple, ...]  # (worker, seq, grain, "step"), ("kill", worker), ("free", steps)
    outcome: dict
    events: tuple[dict, ...]
    complete: bool  # every event is there (False: the newest were left out: KEEP_EVENTS)
    note: str  # where the program came from, when that needs saying ("": from where it was)
    upto: int | None = None  # how many of them to follow (`first`; None: all)

    @property
    def to_follow(self) -> list[tuple]:
        """The turns to take one by one (steps and kills): up to a free stretch, whose order
        is not known, or to where `first` cut them."""
        return self._followable[: self.upto]

    @property
    def _followable(self) -> list[tuple]:
        out = []
        for turn in self.turns:
            if turn[0] == "free" and len(turn) == 2:
                break
            out.append(turn)
        return out

    @property
    def steps(self) -> list[tuple]:
        """The steps to take one by one: (worker, seq, grain, "step")."""
        return [t for t in self.to_follow if len(t) == 4]

    @property
    def first_kill(self) -> tuple[int, str] | None:
        """(steps before it, worker) of the first kill, if any."""
        steps = 0
        for turn in self.to_follow:
            if len(turn) == 2:
                return steps, turn[1]
            steps += 1
        return None

    def first(self, n: int | None) -> Replay:
        """The recording up to its `n`th step (None: whole), kills before it included."""
        if n is None:
            return self
        upto, steps = 0, 0
        for turn in self.to_follow:
            if len(turn) == 4:
                if steps == n:
                    break
                steps += 1
            upto += 1
        return replace(self, upto=upto)

    @property
    def schedule_text(self) -> str:
        """The steps as `--schedule` writes them, `MainThreadx2,w0,w1:ix3`, up to the first
        kill (a schedule has no word for one)."""
        runs: list[list] = []
        kill = self.first_kill
        for worker, _seq, grain, _how in self.steps[: None if kill is None else kill[0]]:
            if runs and runs[-1][0] == worker and runs[-1][1] == grain:
                runs[-1][2] += 1
            else:
                runs.append([worker, grain, 1])
        return ",".join(
            f"{w}{':i' if g == GRAINS[1] else ''}{f'x{n}' if n > 1 else ''}" for w, g, n in runs
        )

    @property
    def saved_running(self) -> bool:
        """It was saved while the run went on (the app's w): a replay ends where it did."""
        return self.outcome.get("outcome") == "running"

    @property
    def ran_free_after(self) -> int | None:
        """The recording ran free after this many steps (None: it did not, or `first` cut it
        before)."""
        if len(self._followable) == len(self.turns) or self.upto is not None:
            return None
        return len(self.steps)

    @cached_property
    def hand_offs(self) -> list[tuple[int, str]]:
        """(turn, worker): each step that waited and then went on, and the turn of
        `to_follow` just before which it was let through (the last turn begun before it
        ended, among all the recording's: a wait that ended after where `first` cut the
        turns is not let in)."""
        begun: dict[tuple, float] = {}
        ended: dict[tuple, float] = {}
        waited = set()
        for e in self.events:
            key = (e["worker"], e["seq"])
            if e["kind"] in ("blocked", "sleeping", "step"):
                begun[key] = min(begun.get(key, e["t"]), e["t"])
            if e["kind"] == "blocked":
                waited.add(key)
            elif e["kind"] == "step":
                ended[key] = e["t"]
        # (the turns began one after another: their times rise, and bisect finds the last one)
        starts = [
            (begun[(t[0], t[1])], idx)
            for idx, t in enumerate(self._followable)
            if len(t) == 4 and (t[0], t[1]) in begun
        ]
        times = [t for t, _idx in starts]
        out = []
        for key in waited & set(ended):
            k = bisect_left(times, ended[key])
            if k and starts[k - 1][1] < len(self.to_follow):
                out.append((starts[k - 1][1], key[0]))
        return sorted(out)

    @cached_property
    def recorded_steps(self) -> dict[tuple, tuple]:
        """(worker, seq) -> (op, resource) of each recorded step."""
        return {
            (e["worker"], e["seq"]): (e["op"], e["resource"])
            for e in self.events
            if e["kind"] == "step"
        }

    def words(self) -> str:
        """The recorded outcome, in a few words (for the app's bar, which is short at 80x24:
        the verdict has a bar of its own)."""
        o = self.outcome
        cells = ", ".join(f"{k} = {v!r}" for k, v in (o.get("cells") or {}).items())
        how = o.get("outcome", "")
        if not cells:
            return "; ".join(o.get("said") or []) or how
        return cells if how == "finished" else f"{cells} ({how})"

    @property
    def failed(self) -> bool:
        o = self.outcome
        check = o.get("check")
        return (
            o.get("outcome") in ("stalled", "timeout")
            or (check is not None and not check.get("held"))
            or any(w["state"] in ("failed", "killed") for w in o.get("workers", {}).values())
        )


def load(path: str, force: bool = False) -> Replay:
    """Open a recording; a bad file, or a program changed since (without `force`), is a
    ScenarioError in one line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"cannot read the recording {path!r}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path!r} is not a recording (not UTF-8 text)") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError(f"{path!r} is not a recording (not JSON: {exc.msg})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ScenarioError(f"{path!r} is not an ipc-tui recording")
    if data.get("version") != VERSION:
        raise ScenarioError(
            f"{path!r} is a recording of version {data.get('version')!r}; "
            f"this ipc-tui reads version {VERSION}"
        )
    try:
        prog = data["program"]
        turns = tuple(tuple(t) for t in data["turns"])
        for turn in turns:
            if not _well_formed(turn):
                raise ValueError(f"a turn {list(turn)!r} is none that ipc-tui writes")
        info, note = _program(prog, path, force)
        return Replay(
            path=path,
            info=info,
            mode=prog["mode"],
            variant=prog["variant"],
            start_method=prog["start_method"],
            argv=tuple(prog["argv"]),
            quick=bool(prog["quick"]),
            sha256=prog["sha256"],
            turns=turns,
            outcome=data["outcome"],
            events=tuple(data["events"]),
            complete=not data.get("events_dropped"),
            note=note,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ScenarioError(f"{path!r} is a damaged recording ({type(exc).__name__}: {exc})")


def _well_formed(turn: tuple) -> bool:
    if len(turn) == 4:
        worker, seq, grain, how = turn
        return (
            isinstance(worker, str) and isinstance(seq, int) and grain in GRAINS and how == "step"
        )
    if len(turn) == 2:
        return (turn[0] == "kill" and isinstance(turn[1], str)) or (
            turn[0] == "free" and isinstance(turn[1], int)
        )
    return False


def _program(prog: dict, path: str, force: bool) -> tuple[ScenarioInfo, str]:
    """The program to run: where it was recorded from, if it is there; else the recording's own
    copy of it, written out (a recording handed out to students carries its program)."""
    recorded = prog["sha256"]
    if sha256(prog["source"]) != recorded:
        raise ScenarioError(f"{path!r} is a damaged recording (its source does not match its hash)")
    name = prog["scenario"]
    if prog["builtin"] or Path(name).is_file():  # (there, but unreadable: it says why)
        here = find_scenario(name)
        sources = {here.source}
        if here.as_threads:  # (a built-in's thread mode is a program of its own)
            sources.add(Path(here.as_threads).read_text(encoding="utf-8"))
        if recorded in {sha256(s) for s in sources}:
            return here, ""
        if force:
            return here, f"{name} has changed since it was recorded: replayed as far as it matches"
        raise ScenarioError(
            f"{name} has changed since {path!r} was recorded (its SHA-256 was "
            f"{recorded[:12]}…, now {sha256(here.source)[:12]}…); --force replays it as far "
            "as it still matches"
        )
    copy = _cache_dir() / recorded[:16] / (Path(name).name if name.endswith(".py") else "prog.py")
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(prog["source"], encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(
            f"{name} is not here, and its recorded copy cannot be written to {str(copy)!r}: "
            f"{exc.strerror}"
        ) from None
    return find_scenario(str(copy)), f"{name} is not here: its recorded copy runs ({copy})"


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ipc-tui" / "recordings"


def follow(session: Any, replay: Replay, timeout: float, force: bool = False) -> list[str]:
    """Take the recording's turns one by one (each once the step before has settled); the
    notes say where the run did not go as recorded. With `force` it stops following at the
    first step that is not the recorded one (a changed program).

    Where workers waited for one lock (or semaphore, queue...) and it was let go, the real
    primitive chose who went on; the replay makes it choose the same by hand-offs (Steering's
    `hand_over`): a step that would wait for ever is held at its gate, and let into its real
    wait only just before the turn that let it through in the recording."""
    notes: list[str] = []
    deadline = monotonic() + timeout
    hands = HandOffs(session, replay.hand_offs)
    try:
        k = 0
        for idx, turn in enumerate(replay.to_follow):
            hands.settle(idx, deadline)
            if len(turn) == 2:  # ("kill", worker), as k did
                try:
                    session.kill(turn[1])
                except CannotKill as exc:
                    notes.append(f"after step {k}: the recording killed {turn[1]} here; {exc}")
                    continue
                while session.snapshot().worker(turn[1]).state != "killed":  # (its end known)
                    if monotonic() > deadline:
                        raise TimeoutError(f"the replay did not finish within {timeout:g} s")
                    sleep(0.01)
                continue
            worker, seq, grain, _how = turn
            k += 1
            wait_for = getattr(session, "wait_for_worker", None)  # (a program makes its own)
            if wait_for is not None and not wait_for(
                worker, min(GATE_GRACE, deadline - monotonic())
            ):
                why = why_not(session.snapshot(), worker)
                notes.append(f"step {k}: {why}; from here the run goes its own way")
                return notes
            with session._cond:
                w = session.board.worker_named(worker)
                ended = w is not None and w.state in ENDED
                nxt = w.next if w is not None and w.at_gate else None
            want = replay.recorded_steps.get((worker, seq))
            if want is not None and (ended or (nxt is not None and (nxt[0], nxt[1]) != want)):
                now = "has ended" if ended else f"is to {_op(nxt)}"
                said = f"step {k}: {worker} {now} where the recording has {_op(want)}"
                if force:
                    notes.append(f"{said}; from here the run goes its own way")
                    return notes
                notes.append(said)
            if GRAINS.index(grain) != session.grain:
                session.set_grain(GRAINS.index(grain))
            session._wait_at_gate(worker, min(GATE_GRACE, deadline - monotonic()))
            if session.step(worker) is None:  # (not at its gate, as it was: the rest is moot)
                why = why_not(session.snapshot(), worker)
                notes.append(f"step {k}: {why}; from here the run goes its own way")
                return notes
        hands.settle(len(replay.to_follow), deadline)
    finally:
        hands.done()
    if replay.ran_free_after is not None:
        notes.append(
            f"the recording ran free after step {replay.ran_free_after}: from here on the "
            "run is not the recorded one (it runs free too)"
        )
    return notes


class HandOffs:
    """The hand-offs of a replay (see `follow`): who is let into its real wait before which
    turn, and the flag that holds the others at their gates meanwhile (on only where there is
    somebody to let in: a waiter alone needs no help)."""

    PATIENCE = 2.0  # held workers, nobody let in and nothing moving: the run went otherwise

    def __init__(self, session: Any, hand_offs: list[tuple[int, str]]):
        self.session = session
        self.on = bool(getattr(session, "can_hand_over", False)) and bool(hand_offs)
        self.due = list(hand_offs) if self.on else []
        self.stuck_since: float | None = None
        if self.on:
            session.set_hand_offs(True)

    def let_in(self, idx: int) -> None:
        """Let in whoever is due before turn `idx` (without waiting)."""
        for entry in [d for d in self.due if d[0] <= idx]:
            if self.session.hand_over(entry[1]):
                self.due.remove(entry)

    def unstick(self, settled: bool) -> None:
        """Not settled for a while with workers held: the run went otherwise than recorded
        (the held wait for a step that is not coming): let them all wait for real."""
        if settled or not self.on:
            self.stuck_since = None
            return
        now = monotonic()
        if self.stuck_since is None:
            self.stuck_since = now
        elif now - self.stuck_since > self.PATIENCE:
            for name in self.session.held():
                self.session.hand_over(name)
            self.stuck_since = None

    def settle(self, idx: int, deadline: float) -> None:
        """Let in whoever is due before turn `idx`, then wait until the run has settled."""
        while True:
            if self.on:
                self.let_in(idx)
            settled = self.session.wait_settled(0.02)
            if settled:
                return
            if monotonic() > deadline:
                raise TimeoutError("the replay did not finish in time")
            self.unstick(settled)

    def done(self) -> None:
        """The recording is followed (or given up): every held worker into its real wait,
        and steps that would wait wait for real again."""
        if self.on:
            self.on, self.due = False, []
            self.session.set_hand_offs(False)


def why_not(snap: Any, worker: str, had: str = "the recording") -> str:
    """Why `worker` cannot take the step a recording (or a schedule) gives it now, in words.
    The usual reason: several workers waited for one lock or semaphore, and this time the real
    one let another in first (it promises no order among its waiters)."""
    if worker not in {w.name for w in snap.workers}:
        return f"there is no {worker} (this run went another way)"
    w = snap.worker(worker)
    res = w.blocked_on
    if w.state != "blocked" or res is None:
        return f"{worker} is {w.state}, where {had} had it at its gate"
    holder = next((lk.holder for lk in snap.locks if lk.name == res), None)
    if holder:
        return (
            f"{worker} still waits for {res}, which {holder} took: {had} had {worker} "
            f"take it here, and this time the real lock let {holder} in first (a lock promises "
            "no order among the workers waiting for it)"
        )
    if any(x.name == res for x in snap.semaphores):
        return (
            f"{worker} still waits for {res}: {had} had it go on here, and this time "
            "the real semaphore let another waiter in first (it promises no order among them)"
        )
    return f"{worker} still waits for {res}, where {had} had it at its gate"


def _op(step: tuple) -> str:
    op, resource = step[0], step[1]
    return f"{op} {resource}" if resource else str(op)


def differences(replay: Replay, run: dict) -> list[str]:
    """Where a replayed run (`run`: its own recording) went otherwise than the recording
    ([]: the same steps in the same order, each doing the same, and the same final state)."""
    said = []
    free = replay.ran_free_after  # (what it did running free is not in order: up to there)
    want = [tuple(t[:3]) for t in replay.steps]
    got = [tuple(t[:3]) for t in run["turns"] if len(t) == 4][: len(want)]
    for k, (a, b) in enumerate(zip(want, got, strict=False), 1):
        if a != b:
            said.append(f"step {k}: recorded {a[0]} step {a[1]}, replayed {b[0]} step {b[1]}")
            break
    if len(got) < len(want) and not said:
        said.append(f"recorded {len(want)} steps, replayed {len(got)}")
    if free is None and replay.complete and not run.get("events_dropped"):
        recorded, replayed = by_worker(list(replay.events)), by_worker(run["events"])
        for worker in {**recorded, **replayed}:
            a, b = recorded.get(worker, []), replayed.get(worker, [])
            if a != b:
                k = next(
                    (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                    min(len(a), len(b)),
                )
                said.append(
                    f"{worker}'s step {k + 1}: recorded {_did(a, k)}, replayed {_did(b, k)}"
                )
    if free is not None:
        return said
    want, got = comparable(replay.outcome), comparable(run["outcome"])
    for key in want:
        if want[key] != got.get(key):
            said.append(f"{key}: recorded {_short(want[key])}, replayed {_short(got.get(key))}")
    return said


def by_worker(events: list[dict]) -> dict[str, list[tuple]]:
    """Each worker's steps, in its own order: what each did and what it saw. (Not what a step
    that lets others go left behind: a semaphore's count just after a release is 0 or 1 as the
    worker it woke is quick or not, whatever the order of the steps; a get makes room for a
    put that waited.)"""
    out: dict[str, list[tuple]] = {}
    for e in sorted(events, key=lambda e: (e["worker"], e["seq"])):
        if e["kind"] == "step":
            after = None if e["op"] in LETS_OTHERS_GO else e["after"]
            out.setdefault(e["worker"], []).append(
                (e["seq"], e["op"], e["resource"], e["index"], after, e["result"])
            )
    return out


def _did(steps: list[tuple], k: int) -> str:
    if k >= len(steps):
        return "nothing"
    _seq, op, resource, index, after, result = steps[k]
    what = _op((op, resource if index is None else f"{resource}[{index}]"))
    return f"{what} -> {_short(result if after is None else after)}"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 120 else text[:117] + "..."


def comparable(final: dict) -> dict:
    """What two runs of one interleaving must agree on: not pids, not times, not what was
    measured (a measuring program's figures are timings), and of a traceback its last line
    (the file's place may differ)."""

    def last_line(error: str | None) -> str | None:
        return None if error is None else error.strip().splitlines()[-1]

    return {
        **{k: final.get(k) for k in ("outcome", "verdict", "check", "cycle", "cells")},
        **{
            k: final.get(k)
            for k in ("semaphores", "locks", "events", "queues", "pipes", "conditions", "barriers")
        },
        "tables": {name: t["columns"] for name, t in final.get("tables", {}).items()},
        "workers": {
            name: {
                "state": w["state"],
                "exitcode": w["exitcode"],
                "steps": w["steps"],
                "kind": w["kind"],
                "blocked_on": w["blocked_on"],
                "error": last_line(w["error"]),
            }
            for name, w in final.get("workers", {}).items()
        },
    }
