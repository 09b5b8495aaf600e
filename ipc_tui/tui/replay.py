"""A schedule the explorer found, loaded (Explore, enter on an outcome): n takes its next step,
and the bar above the keys says where the student is in it.

Each turn is taken once the step before has settled, as headless follows --schedule
(Steering.run_schedule): that is what makes the run reach the outcome the explorer found. The
program makes its workers as it runs, so a turn may name a worker that is not there yet: it
waits until the step that starts it has ended. The app looks again at every sample (20 times a
second), so n typed fast is taken in order, one turn after another, and the UI never waits.
"""

from __future__ import annotations

from time import monotonic
from typing import Any

from textual.widgets import Static

from ipc_tui.engine import parse_schedule
from ipc_tui.engine.replay import HandOffs, why_not
from ipc_tui.tui.explore import Row

GRACE = 2.0  # a turn's worker still not there this long after the run settled: it never comes
ON_ITS_WAY = ("running", "blocked", "sleeping")  # (states a worker comes to its gate from)


class Replay:
    """The turns of one schedule, one worker name each, and how far the student has got."""

    def __init__(self, session: Any, row: Row, hand_offs: list | None = None) -> None:
        self.session = session
        # a recording's: who the real lock let in, and before which turn (engine/replay.py)
        self.hands = HandOffs(session, hand_offs or [])
        self.outcome = row.words
        self.origin, self.run = row.origin, row.run
        self.failed = row.failed
        turns = parse_schedule(row.schedule, None)  # (the program names its workers later)
        self.names = [turn.worker for turn in turns for _ in range(turn.steps)]
        self.grains = [turn.grain for turn in turns for _ in range(turn.steps)]
        self.asked = 0  # turns asked for (n pressed)
        self.given = 0  # turns handed to the session (the others wait for the step before)
        self._missing_since: float | None = None

    @property
    def total(self) -> int:
        return len(self.names)

    @property
    def used_up(self) -> bool:
        return self.asked >= self.total

    @property
    def next_name(self) -> str | None:
        return None if self.used_up else self.names[self.asked]

    @property
    def waiting(self) -> bool:
        return self.given < self.asked

    def take(self) -> str | None:
        """Ask for the next turn; a note when the run no longer follows the schedule."""
        if not self.used_up:
            self.asked += 1
        return self.follow()

    def follow(self) -> str | None:
        """Hand the session each turn asked for, in order, each once the one before has
        settled; a note when the run no longer follows the schedule (None: all is well)."""
        session = self.session
        self.hands.let_in(self.given)
        if self.used_up and not self.waiting:
            settled = session.wait_settled(0)
            self.hands.unstick(settled)
            if settled:
                self.hands.done()  # (every turn taken, its hand-offs made: n as usual again)
        while self.given < self.asked:
            settled = session.wait_settled(0)
            self.hands.unstick(settled)
            if not settled:
                return None  # (the next sample looks again)
            name = self.names[self.given]
            snap = session.snapshot()
            here = name in {w.name for w in snap.workers}
            # Not there yet, or not at its gate yet (woken by the step before, its news still
            # on the way): look again, for a while
            if not here or snap.worker(name).state in ON_ITS_WAY:
                now = monotonic()
                if self._missing_since is None:
                    self._missing_since = now
                if now - self._missing_since < GRACE:
                    return None
                if not here:
                    return f"there is no {name}: this run went another way"
            self._missing_since = None
            grain = self.grains[self.given]
            if grain != session.grain:  # (a recording's turn of one bytecode instruction)
                session.set_grain(grain)
            if session.step(name) is None:
                return f"step {self.given + 1}: {why_not(session.snapshot(), name, self.run)}"
            self.given += 1
        return None

    def line(self) -> str:
        """Where the student is, for the bar above the keys."""
        if self.used_up:
            return (
                f"schedule: all {self.total} steps taken; {self.origin} was: "
                f"{self.outcome} (n steps as usual again)"
            )
        return (
            f"schedule: step {self.asked + 1} of {self.total}, next: {self.next_name} "
            "— n to take it"
        )


class ScheduleBar(Static):
    """The bar above the keys while a schedule is loaded: it holds the schedule (`replay`),
    hands its turns on, and says where the student is; once dropped, for a while, why."""

    NOTE_SECONDS = 10.0

    def __init__(self) -> None:
        super().__init__(id="schedule", markup=False)
        self.replay: Replay | None = None
        self.text = ""
        self._note = 0  # the last note said (a newer one is not cleared by an older one's timer)
        self.display = False

    def load(self, session: Any, row: Row, hand_offs: list | None = None) -> None:
        self.replay = Replay(session, row, hand_offs)
        self.follow()

    def take(self) -> bool:
        """n: the schedule's next turn; False when none is loaded (or all are taken)."""
        if self.replay is None or self.replay.used_up:
            return False
        self.replay.take()
        self.follow()
        return True

    def by_hand(self, name: str) -> bool:
        """A worker stepped by its key: the schedule's next turn when it is that worker's
        (True: taken as such); else the schedule is dropped."""
        replay = self.replay
        if replay is not None and name == replay.next_name and not replay.waiting:
            return self.take()
        self.drop(f"{name} stepped by hand (n steps the next ready worker again)")
        return False

    def follow(self) -> None:
        """The turns asked for, handed on as the run lets them (at every sample)."""
        if self.replay is None:
            return
        note = self.replay.follow()
        if note:
            self.drop(note)
        else:
            self._say(self.replay.line())

    def drop(self, why: str) -> None:
        """Unload the schedule; the bar says why, for a while (`why` "": it just goes, and so
        it does once every turn was taken)."""
        replay, self.replay = self.replay, None
        if replay is None:
            return
        replay.hands.done()  # (held workers wait for real again)
        if replay.used_up or not why:
            self._say("")
            return
        self._note += 1
        note = self._note
        self._say(f"schedule dropped at step {replay.asked + 1}: {why}")

        def clear() -> None:
            if self._note == note and self.replay is None:
                self._say("")

        self.set_timer(self.NOTE_SECONDS, clear)

    def _say(self, text: str) -> None:
        if text == self.text:
            return  # an idle app stays idle
        self.text = text
        self.update(text)
        self.display = bool(text)
