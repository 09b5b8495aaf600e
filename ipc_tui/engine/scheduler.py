"""The scheduler: who takes the next step. One step at a time (asked for by name, or the next
ready worker in turn), played at a rate, or every gate open (running free).

A step asked for while another is still in flight waits its turn: pressing 1 2 1 2 quickly is
the schedule w0,w1,w0,w1. A step is in flight until the board has settled (engine/board.py).
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Any

from ipc_tui.engine.board import Board, WorkerRecord
from ipc_tui.engine.host import Host
from ipc_tui.engine.runtime import FREE, GRAIN

# A worker that runs this long without a step (a long loop, or one that hangs outside any step)
# no longer holds up the steps asked of the others.
PATIENCE = 1.0


class Scheduler:
    def __init__(self, host: Host, cond: threading.Condition, flags: Any, closing: threading.Event):
        self.host = host
        self.board: Board = host.board
        self.cond = cond
        self.flags = flags
        self.closing = closing  # set when the session closes: the player stops
        self.requests: deque[str | None] = deque()  # steps asked for while one was in flight
        self.last = -1  # round-robin position
        self.rate = 2.0
        self.player: threading.Thread | None = None
        # What was done, in order, for a recording (engine/recording.py): ("step", worker,
        # seq, grain) for each step granted, ("free",) where everything ran free from, and
        # ("kill", worker) (the session notes its kills).
        self.taken: list[tuple] = []

    def step(self, worker: str | None = None) -> str | None:
        """Let one worker (by name, or the next ready one in turn) take one step. Returns the
        worker's name (`"next"` for a waiting turn of the next ready worker), or None when it
        cannot step now: blocked, done, failed, not started, or everything runs free."""
        with self.cond:
            w = None if worker is None else self.host.named(worker)
            if self.board.running_free or (w is not None and not w.live):
                return None
            if not self.requests and self.board.settled(PATIENCE):
                granted = self._grant(worker)
                return granted.name if granted else None
            self.requests.append(worker)
            return worker or "next"

    def _grant(self, worker: str | None) -> WorkerRecord | None:
        """Open the gate of `worker` (or of the next ready one), if it is at its gate."""
        workers = self.board.workers
        if worker is None:
            n = len(workers)
            order = [workers[(self.last + k) % n] for k in range(1, n + 1)]
            # Only daemons left: the program is ending, and they are cut off as it does (a
            # step given to one now races with the end: no replay could give it again)
            ending = not any(x.live and not x.daemon for x in workers)
            w = next((x for x in order if x.at_gate and x.live and not (ending and x.daemon)), None)
        else:
            w = self.host.by_name[worker]
        if w is None or not w.at_gate or not w.live:
            return None
        self.last = w.index
        self.taken.append(("step", w.name, w.steps + 1, int(self.flags[GRAIN])))
        self.host.open(w)
        return w

    def grant_waiting(self) -> None:
        """Take the next asked-for step once the one before has settled (collector thread,
        under the lock)."""
        while self.requests and self.board.settled(PATIENCE):
            if self._grant(self.requests.popleft()) is not None:
                return

    def run(self) -> None:
        """Run free at full speed: every gate stays open until `pause()`."""
        self.stop_player()
        with self.cond:
            if not self.board.running_free:
                self.taken.append(("free",))
            self.board.free(True)
            self.flags[FREE] = 1
            self.requests.clear()
            for w in self.board.workers:
                if w.at_gate and w.live:
                    self.host.open(w)

    def pause(self) -> None:
        self.stop_player()
        with self.cond:
            self.board.free(False)
            self.flags[FREE] = 0
            self.requests.clear()

    def play(self, rate: float = 2.0) -> None:
        """Step the next ready worker `rate` times a second until `pause()`."""
        self.pause()
        self.set_rate(rate)
        self.player = threading.Thread(target=self._play, name="ipc-tui-player", daemon=True)
        self.player.start()

    def set_rate(self, rate: float) -> None:
        self.rate = max(0.1, rate)

    @property
    def playing(self) -> bool:
        return self.player is not None

    def _play(self) -> None:
        me = threading.current_thread()
        while self.player is me and not self.closing.is_set():
            with self.cond:  # a tick while a step is still in flight (a sleep) is skipped
                if not self.requests and self.board.settled(PATIENCE):
                    self._grant(None)
            self.closing.wait(1 / self.rate)

    def stop_player(self) -> None:
        player, self.player = self.player, None
        if player is not None and player is not threading.current_thread():
            player.join(1)
