"""The session's side of the reports: one collector thread applies what the workers say.

Thread workers report through a queue, process workers (and main, in process mode) through a
pipe each; a process that ends without a word is seen through its sentinel. Reports are applied
in batches under the session's lock, so that a worker flooding reports never keeps a snapshot
waiting.
"""

from __future__ import annotations

import multiprocessing.connection
import pickle
import queue
import signal
from time import monotonic
from typing import Any

from ipc_tui.engine.board import WorkerRecord

BATCH = 2000  # reports applied per hold of the session's lock


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


class Collector:
    """Mixed into Session: everything here runs on the collector thread, under the lock."""

    def _collect_threads(self) -> None:
        inbox = self._inbox
        while not self._closed:
            try:
                item = inbox.get(timeout=0.02)
            except queue.Empty:
                item = None
            with self._cond:
                most = BATCH  # then let snapshots in (see _read_all)
                while item is not None:  # None only wakes the loop at close
                    self._apply(*item)
                    most -= 1
                    if not most:
                        break
                    try:
                        item = inbox.get_nowait()
                    except queue.Empty:
                        item = None
                self._cut_daemons()
                self._grant_waiting()
                self.check_when_ended()
                self._cond.notify_all()

    def _collect_processes(self) -> None:
        while not self._closed:
            with self._cond:
                watched = [*self._conns, *self._sentinels, self._wake_r]
            ready = multiprocessing.connection.wait(watched, timeout=0.02)
            with self._cond:
                if self._wake_r in ready:
                    while self._wake_r.poll():
                        self._wake_r.recv_bytes()
                for obj in ready:
                    if obj in self._conns:
                        self._read_all(obj)
                for obj in ready:
                    if obj in self._sentinels:
                        w = self._sentinels.pop(obj)
                        for conn, owner in list(self._conns.items()):
                            if owner is w:
                                self._read_all(conn, most=-1)  # all it said before it ended
                        self._ended(w)
                self._cut_daemons()
                self._grant_waiting()
                self.check_when_ended()
                self._cond.notify_all()

    def _read_all(self, conn: Any, most: int = BATCH) -> None:
        """Apply what `conn` holds, up to `most` reports: a worker running free writes faster
        than they are read, and snapshots must not wait for it (the lock is held here)."""
        w = self._conns[conn]
        try:
            while most and conn.poll():
                self._apply(w, conn.recv())
                most -= 1
        except (EOFError, OSError, ValueError, pickle.UnpicklingError):
            del self._conns[conn]  # closed, or cut mid-report by a kill

    def _ended(self, w: WorkerRecord) -> None:
        """A worker process is gone: if it never said how it ended, it failed."""
        with self._reaping:
            w.handle.join(0)
            w.exitcode = w.handle.exitcode
        w.ended = True
        self.board.version += 1  # no longer alive: a paused app must draw that too
        if w.live and not self._stopping.is_set():
            code = w.exitcode
            if code is not None and code < 0:
                self.board.killed(w, _signal_name(-code), monotonic())
            else:
                self.board.fail(w, f"the process ended with exit code {code}", monotonic())

    def _apply(self, w: WorkerRecord, msg: tuple) -> None:
        if w.state == "cut off":  # what it still says on its way out is traced, not obeyed
            self.board.apply(w, msg)
            w.state, w.at_gate, w.blocked_on = "cut off", False, None
            return
        self.board.apply(w, msg)
        if msg[0] == "gate" and self.board.running_free:
            self._open(w)

    def _open(self, w: WorkerRecord) -> None:
        """Let `w` take one step (the caller holds the lock and knows `w` is at its gate)."""
        w.at_gate = False
        w.state, w.since = "running", monotonic()  # its step starts now, however long it waited
        self.board.version += 1
        w.gate.release()

    def _cut_daemons(self) -> None:
        """When main and every non-daemon worker have ended, the program ends, and daemon
        workers are cut off where they are, as at the end of a real Python program."""
        main = self._by_name.get("main") if self._main else None
        if main is None or main.live or self._daemons_cut:
            return
        if any(w.live and not w.daemon for w in self._workers):
            return
        self._daemons_cut = True
        for w in self._workers:
            if w.started and w.daemon and w.live:
                self.board.cut(w, monotonic())
                if w.kind == "process":
                    w.handle.terminate()  # what multiprocessing does to daemons at exit
                else:
                    w.runtime.cut = True  # it stops at its next step
                    w.wake.set()
                    w.gate.release()
