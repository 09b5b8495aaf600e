"""A Session: one run of one scenario, with real workers that step when their gate opens."""

from __future__ import annotations

import atexit
import multiprocessing.connection
import queue
import threading
import weakref
from multiprocessing import sharedctypes
from time import monotonic
from typing import Any

from ipc_tui.engine.board import Board, WorkerRecord
from ipc_tui.engine.child import child_main
from ipc_tui.engine.context import mp_context
from ipc_tui.engine.declare import Declarations
from ipc_tui.engine.errors import ScenarioError
from ipc_tui.engine.loader import MODES, ScenarioInfo, execute, find_scenario
from ipc_tui.engine.runtime import FREE, STOP, Runtime, run_worker
from ipc_tui.engine.schedule import UNTIL_BLOCKED, Turn, parse_schedule
from ipc_tui.engine.snapshot import Snapshot, TraceEvent

_open_sessions: weakref.WeakSet[Session] = weakref.WeakSet()


class Session:
    """Start real workers, open their gates one step at a time or all at once, watch them."""

    def __init__(self, scenario: ScenarioInfo | str, mode: str | None = None):
        self.info = scenario if isinstance(scenario, ScenarioInfo) else find_scenario(scenario)
        mode = mode or self.info.modes[0]
        if mode not in MODES:
            raise ScenarioError(f"unknown mode {mode!r}; use 'thread' or 'process'")
        if mode not in self.info.modes:
            raise ScenarioError(f"{self.info.name} runs only as {' or '.join(self.info.modes)}")
        self.mode = mode
        self._build()

    # -- building and starting -------------------------------------------------------------

    def _build(self) -> None:
        self._ctx = mp_context() if self.mode == "process" else None
        decl = Declarations(self.info.path, self._create, None)
        self.module = execute(self.info, decl)
        self._decl = decl
        kind = self.mode
        self._workers = [
            WorkerRecord(w.name, w.index, kind, w.daemon, w.code_name(), w.line)
            for w in decl.workers
        ]
        self._by_name = {w.name: w for w in self._workers}
        self.board = Board(self.info.name, self.info.path, self.mode, decl.resources, self._workers)
        self._cond = threading.Condition()
        self._flags: Any = self._ctx.RawArray("b", 2) if self._ctx else [0, 0]
        self._stopping = threading.Event()
        self._inbox: queue.SimpleQueue = queue.SimpleQueue()
        self._conns: dict[Any, WorkerRecord] = {}
        self._collector: threading.Thread | None = None
        self._player: threading.Thread | None = None
        self._rate = 2.0
        self._last = -1  # round-robin position
        self._started = False
        self._closed = False

    def _create(self, kind: str, spec: tuple) -> Any:
        """The real primitive behind a declaration, for this session's mode."""
        ctx = self._ctx
        if kind in ("Value", "Array"):
            if ctx is not None:
                return getattr(ctx, kind)(*spec)
            return getattr(sharedctypes, kind)(*spec, lock=threading.RLock())
        return getattr(ctx or threading, kind)(*spec)

    @property
    def worker_names(self) -> list[str]:
        return [w.name for w in self._workers]

    def start(self) -> None:
        """Start every worker; each waits at its gate before its first step."""
        if self._started:
            return
        self._started = True
        _open_sessions.add(self)
        for w, decl in zip(self._workers, self._decl.workers, strict=True):
            if self._ctx is None:
                self._start_thread(w, decl)
            else:
                self._start_process(w)
        target = self._collect_threads if self._ctx is None else self._collect_processes
        self._collector = threading.Thread(target=target, name="ipc-tui-collector", daemon=True)
        self._collector.start()

    def _start_thread(self, w: WorkerRecord, decl: Any) -> None:
        w.gate = threading.Semaphore(0)
        inbox = self._inbox

        def send(msg: tuple, w: WorkerRecord = w) -> None:
            inbox.put((w, msg))

        runtime = Runtime(self.info.path, w.gate, self._flags, send, self._stopping.wait)
        # Real daemon threads, whatever the scenario says, so that a blocked one never holds
        # the interpreter open; the scenario's flag is what the snapshot shows.
        w.handle = threading.Thread(
            target=run_worker, args=(decl, runtime), name=w.name, daemon=True
        )
        w.handle.start()

    def _start_process(self, w: WorkerRecord) -> None:
        ctx = self._ctx
        w.gate = ctx.Semaphore(0)
        reader, writer = ctx.Pipe(duplex=False)
        reals = [r._raw for r in self._decl.resources]
        w.handle = ctx.Process(
            target=child_main,
            args=(self.info.path, w.index, reals, w.gate, writer, self._flags),
            name=w.name,
            daemon=w.daemon,
        )
        w.handle.start()
        writer.close()
        self._conns[reader] = w

    # -- collecting reports ----------------------------------------------------------------

    def _collect_threads(self) -> None:
        inbox = self._inbox
        while not self._closed:
            try:
                item = inbox.get(timeout=0.1)
            except queue.Empty:
                continue
            with self._cond:
                while item is not None:  # None only wakes the loop at close
                    self._apply(*item)
                    try:
                        item = inbox.get_nowait()
                    except queue.Empty:
                        item = None
                self._cond.notify_all()

    def _collect_processes(self) -> None:
        sentinels = {w.handle.sentinel: w for w in self._workers}
        conns = dict(self._conns)
        while (conns or sentinels) and not self._closed:
            ready = multiprocessing.connection.wait([*conns, *sentinels], timeout=0.05)
            with self._cond:
                for obj in ready:
                    if obj in conns:
                        self._read_all(obj, conns)
                for obj in ready:
                    if obj in sentinels:
                        w = sentinels.pop(obj)
                        for conn, owner in list(conns.items()):
                            if owner is w:
                                self._read_all(conn, conns)
                        self._ended(w)
                self._cond.notify_all()

    def _read_all(self, conn: Any, conns: dict) -> None:
        w = conns[conn]
        try:
            while conn.poll():
                self._apply(w, conn.recv())
        except (EOFError, OSError):
            del conns[conn]

    def _ended(self, w: WorkerRecord) -> None:
        """A worker process is gone: if it never said how it ended, it failed."""
        w.handle.join(0)
        w.exitcode = w.handle.exitcode
        if w.live and not self._stopping.is_set():
            self.board.fail(w, f"the process ended with exit code {w.exitcode}", monotonic())

    def _apply(self, w: WorkerRecord, msg: tuple) -> None:
        self.board.apply(w, msg)
        if msg[0] == "gate" and self.board.running_free:
            self._open(w)

    def _open(self, w: WorkerRecord) -> None:
        """Let `w` take one step (the caller holds the lock and knows `w` is at its gate)."""
        w.at_gate = False
        w.state = "running"
        w.gate.release()

    # -- control ---------------------------------------------------------------------------

    def step(self, worker: str | None = None) -> str | None:
        """Let one worker (by name, or the next ready one in turn) take one step.

        Returns the worker's name, or None when that worker (or every worker) is not at its
        gate: blocked, sleeping, running, done or failed.
        """
        with self._cond:
            if worker is None:
                n = len(self._workers)
                order = [self._workers[(self._last + k) % n] for k in range(1, n + 1)]
                w = next((x for x in order if x.at_gate), None)
            else:
                w = self._by_name.get(worker)
                if w is None:
                    raise ScenarioError(f"no worker {worker!r}; workers: {self.worker_names}")
            if w is None or not w.at_gate:
                return None
            self._last = w.index
            self._open(w)
            return w.name

    def run(self) -> None:
        """Run free at full speed: every gate stays open until `pause()`."""
        self._stop_player()
        with self._cond:
            self.board.running_free = True
            self._flags[FREE] = 1
            for w in self._workers:
                if w.at_gate:
                    self._open(w)

    def pause(self) -> None:
        self._stop_player()
        with self._cond:
            self.board.running_free = False
            self._flags[FREE] = 0

    def play(self, rate: float = 2.0) -> None:
        """Step the next ready worker `rate` times a second until `pause()`."""
        self.pause()
        self._rate = rate
        self._player = threading.Thread(target=self._play, name="ipc-tui-player", daemon=True)
        self._player.start()

    def set_rate(self, rate: float) -> None:
        self._rate = max(0.1, rate)

    @property
    def playing(self) -> bool:
        return self._player is not None

    def _play(self) -> None:
        me = threading.current_thread()
        while self._player is me and not self._closed:
            self.step()
            self._stopping.wait(1 / self._rate)

    def _stop_player(self) -> None:
        player, self._player = self._player, None
        if player is not None and player is not threading.current_thread():
            player.join(1)

    def wait_settled(self, timeout: float = 5.0) -> bool:
        """Wait until no step is in flight and the reports agree with the real primitives."""
        deadline = monotonic() + timeout
        with self._cond:
            while not self.board.settled():
                remaining = deadline - monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(min(remaining, 0.02))
            return True

    def run_schedule(self, schedule: str | list[Turn], timeout: float = 10.0) -> list[str]:
        """Follow a schedule step by step; return notes on turns that could not be taken."""
        turns = (
            parse_schedule(schedule, self.worker_names) if isinstance(schedule, str) else schedule
        )
        deadline = monotonic() + timeout
        notes = []
        for turn in turns:
            taken = 0
            while turn.steps == UNTIL_BLOCKED or taken < turn.steps:
                if not self.wait_settled(max(0.0, deadline - monotonic())):
                    raise TimeoutError(f"the schedule did not finish within {timeout:g} s")
                if self.step(turn.worker) is None:
                    if taken == 0 or turn.steps != UNTIL_BLOCKED:
                        state = self._by_name[turn.worker].state
                        notes.append(f"{turn.worker} is {state}: a turn of it was skipped")
                    break
                taken += 1
        if not self.wait_settled(max(0.0, deadline - monotonic())):
            raise TimeoutError(f"the schedule did not finish within {timeout:g} s")
        return notes

    # -- reading ---------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        with self._cond:
            alive = {w.name: w.handle is not None and w.handle.is_alive() for w in self._workers}
            codes = {w.name: self._exitcode(w) for w in self._workers}
            return self.board.snapshot(alive, codes)

    def _exitcode(self, w: WorkerRecord) -> int | None:
        if self._ctx is None or w.handle is None:
            return None
        return w.handle.exitcode

    def drain_events(self) -> list[TraceEvent]:
        """The events recorded since the last call, in time order."""
        with self._cond:
            return self.board.drain()

    def finished(self) -> bool:
        with self._cond:
            return not any(w.live for w in self._workers)

    def wait_exited(self, timeout: float = 5.0) -> bool:
        """After `finished()`: wait until every worker thread or process has really ended."""
        deadline = monotonic() + timeout
        for w in self._workers:
            w.handle.join(max(0.0, deadline - monotonic()))
        return not any(w.handle.is_alive() for w in self._workers)

    def stall(self) -> list[str] | None:
        """Who waits for what, when every live worker waits for ever; else None."""
        with self._cond:
            return self.board.stall()

    # -- ending ----------------------------------------------------------------------------

    def restart(self) -> None:
        self.close()
        self._build()
        self.start()

    def close(self) -> None:
        """End every worker, blocked or not, and release what the session holds."""
        if self._closed or not self._started:
            self._closed = True
            return
        self._stop_player()
        with self._cond:
            self._flags[STOP] = 1
            self._stopping.set()
            for w in self._workers:
                w.gate.release()
        if self._ctx is None:
            self._end_threads()
        else:
            self._end_processes()
        self._closed = True
        self._inbox.put(None)
        if self._collector is not None:
            self._collector.join(1)
        for conn in self._conns:
            conn.close()
        _open_sessions.discard(self)

    def _end_threads(self) -> None:
        """Threads cannot be killed: wake every blocked one so that it meets its stop flag."""
        deadline = monotonic() + 2
        while monotonic() < deadline:
            alive = [w.handle for w in self._workers if w.handle.is_alive()]
            if not alive:
                return
            for res in self._decl.resources:
                raw = res._raw
                if hasattr(raw, "locked") and raw.locked():
                    raw.release()
                elif hasattr(raw, "set"):
                    raw.set()
                elif isinstance(raw, threading.Semaphore):
                    raw.release(len(self._workers))
            for t in alive:
                t.join(0.05)

    def _end_processes(self) -> None:
        procs = [w.handle for w in self._workers]
        deadline = monotonic() + 0.5
        for p in procs:
            p.join(max(0.0, deadline - monotonic()))
        for p in procs:
            if p.is_alive():
                p.terminate()
        for p in procs:
            p.join(1)
            if p.is_alive():
                p.kill()
                p.join()
        for w in self._workers:
            w.exitcode = w.handle.exitcode

    def __enter__(self) -> Session:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@atexit.register
def _close_open_sessions() -> None:
    for session in list(_open_sessions):
        session.close()
