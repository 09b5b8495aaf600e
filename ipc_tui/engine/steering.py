"""What every session does the same way: steering its workers through the scheduler, and
reading its board. A scenario's `Session` and a program's `ProgramSession` are both one.

A subclass gives `board`, `_scheduler`, `_host` (with `by_name`) and `_cond`, and may say how a
schedule's names are known (`_schedule_names`) and what to do about a worker a turn names that
does not exist yet (`_missing`).
"""

from __future__ import annotations

from time import monotonic
from typing import Any

from ipc_tui.engine.runtime import GRAIN, HANDOFF, INSTRUCTIONS, OPERATIONS
from ipc_tui.engine.schedule import UNTIL_BLOCKED, Turn, parse_schedule
from ipc_tui.engine.snapshot import Snapshot, TraceEvent, Verdict
from ipc_tui.engine.verdict import judge

# How long a turn waits for its worker to come to its gate (its wake-up may still be on its way)
GATE_GRACE = 2.0


class Steering:
    board: Any
    _scheduler: Any
    _host: Any
    _cond: Any

    # -- control ---------------------------------------------------------------------------

    def step(self, worker: str | None = None) -> str | None:
        """Let one worker (by name, or the next ready one in turn) take one step; see
        Scheduler.step."""
        return self._scheduler.step(worker)

    def run(self) -> None:
        """Run free at full speed: every gate stays open until `pause()`."""
        self._scheduler.run()

    def pause(self) -> None:
        self._scheduler.pause()

    def play(self, rate: float = 2.0) -> None:
        """Step the next ready worker `rate` times a second until `pause()`."""
        self._scheduler.play(rate)

    def set_rate(self, rate: float) -> None:
        self._scheduler.set_rate(rate)

    @property
    def taken(self) -> list[tuple]:
        """What was done so far, in order: each step given, and where it all ran free (the
        scheduler's log, for a recording: engine/recording.py)."""
        return list(self._scheduler.taken)

    @property
    def playing(self) -> bool:
        return self._scheduler.playing

    # What one step is: one operation (the default), or one bytecode instruction of the
    # program's own code (a plain program only: engine/program/variables.py).
    can_step_instructions = False

    @property
    def grain(self) -> int:
        return int(self._scheduler.flags[GRAIN])

    def set_grain(self, grain: int) -> None:
        if grain not in (OPERATIONS, INSTRUCTIONS):
            raise ValueError(f"no grain {grain!r}")
        if grain and not self.can_step_instructions:
            raise ValueError("this session steps by operations only")
        with self._cond:
            if self._scheduler.flags[GRAIN] != grain:
                self._scheduler.flags[GRAIN] = grain
                self.board.version += 1

    def bytecode(self, at: Any) -> tuple[str, tuple] | None:
        """The instructions of the code a worker is in (its snapshot's `at`): (the code's
        name, ((offset, line, name, arg), ...)); None when not known."""
        return None

    def wait_settled(self, timeout: float = 5.0) -> bool:
        """Wait until no step is in flight and the reports agree with the real primitives."""
        deadline = monotonic() + timeout
        with self._cond:
            while self._scheduler.requests or not self.board.settled():
                remaining = deadline - monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(min(remaining, 0.02))
            return True

    def _schedule_names(self) -> list[str] | None:
        """The names a schedule may use (None: any, they come later)."""
        return self.worker_names

    def _missing(self, worker: str, deadline: float) -> str | None:
        """A note when `worker` does not exist (None: it does)."""
        return None

    def run_schedule(self, schedule: str | list[Turn], timeout: float = 10.0) -> list[str]:
        """Follow a schedule step by step; return notes on turns that could not be taken."""
        if isinstance(schedule, str):
            turns = parse_schedule(schedule, self._schedule_names())
        else:
            turns = schedule
        deadline = monotonic() + timeout
        notes = []
        grain = self.grain
        for turn in turns:
            taken = 0
            while turn.steps == UNTIL_BLOCKED or taken < turn.steps:
                if not self.wait_settled(max(0.0, deadline - monotonic())):
                    raise TimeoutError(f"the schedule did not finish within {timeout:g} s")
                missing = self._missing(turn.worker, deadline)
                if missing:
                    notes.append(missing)
                    break
                if turn.grain != self.grain:  # (once the step before has ended: see above)
                    self.set_grain(turn.grain)
                if turn.steps != UNTIL_BLOCKED:
                    self._wait_at_gate(turn.worker, min(GATE_GRACE, deadline - monotonic()))
                if self.step(turn.worker) is None:
                    if taken == 0 or turn.steps != UNTIL_BLOCKED:
                        state = self._host.by_name[turn.worker].state
                        notes.append(f"{turn.worker} is {state}: a turn of it was skipped")
                    break
                taken += 1
        if not self.wait_settled(max(0.0, deadline - monotonic())):
            raise TimeoutError(f"the schedule did not finish within {timeout:g} s")
        if self.grain != grain:
            self.set_grain(grain)
        return notes

    # -- a replay's hand-offs ------------------------------------------------------------
    # Several workers waiting for one lock: when it is let go, the real lock picks one. A
    # replay makes it pick the one its recording had: with the HANDOFF flag on, a step that
    # would wait for ever reports that it is blocked and then waits at its gate, not in the
    # real primitive; `hand_over` lets it into the real wait when its turn comes (a plain
    # program's session only: engine/program/session.py).

    can_hand_over = False

    def set_hand_offs(self, on: bool) -> None:
        """Hold every wait for ever (on), or let every held one in and hold no more (off; one
        that said it was held after this is let in as its word comes)."""
        with self._cond:
            if self._scheduler.flags[HANDOFF] != int(on):
                self._scheduler.flags[HANDOFF] = int(on)
        if not on:
            for name in self.held():
                self.hand_over(name)

    def held(self) -> list[str]:
        """The workers held at their gate until their turn to wait for real."""
        with self._cond:
            return [w.name for w in self.board.workers if w.held and w.live]

    def hand_over(self, worker: str) -> bool:
        """Let a held worker into its real wait (False: it is not held)."""
        with self._cond:
            w = self.board.worker_named(worker)
            if w is None or not w.held or not w.live:
                return False
            w.held = False
            self._open_held(w)
        return True

    def _open_held(self, w: Any) -> None:
        raise NotImplementedError

    def _wait_at_gate(self, worker: str, seconds: float) -> None:
        """A worker a turn names may be on its way to its gate still: just started, or woken
        by the step before (a release, a barrier's last arrival), its news not in yet, while
        the board already looks settled. Wait for it (bounded) rather than skip its turn."""
        deadline = monotonic() + seconds
        with self._cond:
            while monotonic() < deadline:
                w = self.board.worker_named(worker)
                if w is None or w.at_gate or not (w.live or w.state.value == "new"):
                    return  # (new: on its way to its first gate)
                self._cond.wait(0.005)

    # -- reading ---------------------------------------------------------------------------

    @property
    def worker_names(self) -> list[str]:
        return [w.name for w in self.board.workers]

    def changes(self) -> tuple:
        """Changes whenever anything a snapshot shows may have changed (cheap: no lock)."""
        return (id(self.board), self.board.version, self.playing)

    def snapshot(self) -> Snapshot:
        with self._cond:
            return self.board.snapshot()

    def drain_events(self) -> list[TraceEvent]:
        """The events recorded since the last call, in time order."""
        with self._cond:
            return self.board.drain()

    def verdict(self) -> Verdict:
        """Whether the run can still move: running, finished, a deadlock (certain), stuck
        (certain), or likely a deadlock (engine/verdict.py)."""
        with self._cond:
            return judge(self.board)
