"""The collector: one thread that hands each worker's reports to the board.

Thread workers report through a queue, process workers (and main, in process mode) through a
pipe each; a process that ends without a word is seen through its sentinel. Reports are applied
in batches under the session's lock, so that a worker flooding reports never keeps a snapshot
waiting; after each batch, `after_batch()` (the session's: cut daemons off, take the steps asked
for, check the end) runs under the same lock.
"""

from __future__ import annotations

import multiprocessing.connection
import pickle
import queue
import threading
from collections.abc import Callable
from typing import Any

from ipc_tui.engine import reports
from ipc_tui.engine.board import WorkerRecord
from ipc_tui.engine.host import Host

BATCH = 2000  # reports applied per hold of the session's lock


class Collector:
    def __init__(
        self,
        host: Host,
        cond: threading.Condition,
        ctx: Any,
        stopping: threading.Event,
        after_batch: Callable[[], None],
    ):
        self.host = host
        self.board = host.board
        self.cond = cond
        self.stopping = stopping  # set while the session ends its workers: no news then
        self.after_batch = after_batch
        self.inbox: queue.SimpleQueue = queue.SimpleQueue()  # thread workers' reports
        self.conns: dict[Any, WorkerRecord] = {}  # pipes still open, and whose
        self.sentinels: dict[Any, WorkerRecord] = {}
        self.opened: list = []  # every pipe ever watched, to close at the end
        self.wake_r, self.wake_w = (ctx or multiprocessing).Pipe(duplex=False)
        self.thread: threading.Thread | None = None
        self.closed = False

    def start(self) -> None:
        run = self._from_queue if self.host.ctx is None else self._from_pipes
        self.thread = threading.Thread(target=run, name="ipc-tui-collector", daemon=True)
        self.thread.start()

    def report(self, w: WorkerRecord, report: tuple) -> None:
        """A thread worker's report (from its own thread)."""
        self.inbox.put((w, report))

    def watch(self, w: WorkerRecord, reader: Any, sentinel: Any) -> None:
        """Read `w`'s reports from `reader`; its process's end from `sentinel` (or None)."""
        with self.cond:
            self.conns[reader] = w
            self.opened.append(reader)
            if sentinel is not None:
                self.sentinels[sentinel] = w
        self.wake_w.send_bytes(b"")

    def stop(self) -> None:
        """End the thread (after the workers have ended) and close every pipe."""
        self.closed = True
        self.inbox.put(None)
        self.wake_w.send_bytes(b"")
        if self.thread is not None:
            self.thread.join(1)
        for conn in [*self.opened, self.wake_r, self.wake_w]:
            conn.close()

    # -- on the collector thread -----------------------------------------------------------

    def _from_queue(self) -> None:
        inbox = self.inbox
        while not self.closed:
            try:
                item = inbox.get(timeout=0.02)
            except queue.Empty:
                item = None
            with self.cond:
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
                self._batch_done()

    def _from_pipes(self) -> None:
        while not self.closed:
            with self.cond:
                watched = [*self.conns, *self.sentinels, self.wake_r]
            ready = multiprocessing.connection.wait(watched, timeout=0.02)
            with self.cond:
                if self.wake_r in ready:
                    while self.wake_r.poll():
                        self.wake_r.recv_bytes()
                for obj in ready:
                    if obj in self.conns:
                        self._read_all(obj)
                for obj in ready:
                    if obj in self.sentinels:
                        w = self.sentinels.pop(obj)
                        for conn, owner in list(self.conns.items()):
                            if owner is w:
                                self._read_all(conn, most=-1)  # all it said before it ended
                        self.host.reap(w, news=not self.stopping.is_set())
                self._batch_done()

    def _read_all(self, conn: Any, most: int = BATCH) -> None:
        """Apply what `conn` holds, up to `most` reports: a worker running free writes faster
        than they are read, and snapshots must not wait for it (the lock is held here)."""
        w = self.conns[conn]
        try:
            while most and conn.poll():
                self._apply(w, conn.recv())
                most -= 1
        except (EOFError, OSError, ValueError, pickle.UnpicklingError):
            del self.conns[conn]  # closed, or cut mid-report by a kill

    def _apply(self, w: WorkerRecord, report: tuple) -> None:
        self.board.apply(w, report)
        if type(report) is reports.AtGate and self.board.running_free and w.live:
            self.host.open(w)

    def _batch_done(self) -> None:
        self.after_batch()
        self.cond.notify_all()
