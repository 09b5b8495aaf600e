"""A Session: one run of one scenario, with real workers that step when their gate opens."""

from __future__ import annotations

import atexit
import itertools
import multiprocessing.connection
import queue
import threading
import weakref
from collections import deque
from multiprocessing import sharedctypes
from time import monotonic
from typing import Any

from ipc_tui.engine import launch
from ipc_tui.engine.board import Board, WorkerRecord
from ipc_tui.engine.check import run_check
from ipc_tui.engine.collect import Collector
from ipc_tui.engine.context import mp_context
from ipc_tui.engine.declare import Declarations
from ipc_tui.engine.errors import CannotKill, ScenarioError
from ipc_tui.engine.loader import (
    MODES,
    ScenarioInfo,
    check_of,
    execute,
    find_scenario,
    main_of,
    module_name,
)
from ipc_tui.engine.runtime import FLAGS, FREE, STOP, SUMMARY, Runtime
from ipc_tui.engine.schedule import UNTIL_BLOCKED, Turn, parse_schedule
from ipc_tui.engine.snapshot import Snapshot, TraceEvent, Verdict
from ipc_tui.engine.verdict import judge
from ipc_tui.engine.workers import MainWorker

# A worker that runs this long without a step (a long loop, or one that hangs outside any step)
# no longer holds up the steps asked of the others.
PATIENCE = 1.0

_open_sessions: weakref.WeakSet[Session] = weakref.WeakSet()
_session_ids = itertools.count(1)


class Session(Collector):
    """Start real workers, open their gates one step at a time or all at once, watch them."""

    def __init__(
        self,
        scenario: ScenarioInfo | str,
        mode: str | None = None,
        variant: str | None = None,
        quick: bool = False,
        keep_events: int = 100_000,
        summary: bool = False,
        nice: int = 0,
    ):
        self.info = scenario if isinstance(scenario, ScenarioInfo) else find_scenario(scenario)
        mode = mode or self.info.modes[0]
        if mode not in MODES:
            raise ScenarioError(f"unknown mode {mode!r}; use 'thread', 'process' or 'mixed'")
        if mode not in self.info.modes:
            modes = " or ".join(self.info.modes)
            raise ScenarioError(f"{self.info.name} runs only in {modes} mode")
        self.mode = mode
        variants = self.info.variants
        if variant and variant not in variants:
            known = ", ".join(variants) or "none"
            raise ScenarioError(f"{self.info.name} has no variant {variant!r}; variants: {known}")
        self.variant = variant or (variants[0] if variants else "")
        self.quick = quick  # the small size, for the measuring scenarios
        self.keep_events = keep_events  # undrained events kept, at most (the newest)
        # Running free, workers report a summary every 20 ms instead of every step: a free run
        # then costs a few counters per operation (the app); without it, every step is traced.
        self.summary = summary
        # How much lower than ours the priority of the worker and lab processes is (`os.nice`):
        # the app gives its processes 10, so that the screen keeps up while they use every core.
        self.nice = nice
        self._build()

    # -- building and starting -------------------------------------------------------------

    def _build(self) -> None:
        self._ctx = mp_context() if self.mode in ("process", "mixed") else None
        self._module_name = f"{module_name(self.info.path)}_{next(_session_ids)}"
        decl = Declarations(self.info.path, self._create, None, self.variant, self.quick)
        self.module = execute(self.info, decl, self._module_name)
        self._decl = decl
        self._cond = threading.Condition()
        self._workers: list[WorkerRecord] = []
        self._by_name: dict[str, WorkerRecord] = {}
        self._check = check_of(self.module)
        self._checking = False
        main = main_of(self.module)
        self._main = MainWorker(main) if main else None
        for worker in decl.workers:
            self._add(worker, self._kind_of(worker))
        if self._main:
            self._add(self._main, "thread")  # main is the session process's own program
        self.board = Board(
            self.info.name,
            self.info.path,
            self.mode,
            decl.resources,
            self._workers,
            self.variant,
            self.keep_events,
        )
        self._flags: Any = self._ctx.RawArray("b", FLAGS) if self._ctx else [0] * FLAGS
        self._flags[SUMMARY] = int(self.summary)
        self._stopping = threading.Event()
        self._reaping = threading.Lock()  # one thread at a time in waitpid()
        self._close_lock = threading.Lock()
        self._inbox: queue.SimpleQueue = queue.SimpleQueue()
        self._conns: dict[Any, WorkerRecord] = {}
        self._sentinels: dict[Any, WorkerRecord] = {}
        self._all_conns: list = []
        self._wake_r, self._wake_w = (self._ctx or multiprocessing).Pipe(duplex=False)
        self._collector: threading.Thread | None = None
        self._player: threading.Thread | None = None
        self._rate = 2.0
        self._requests: deque[str | None] = deque()  # steps asked for while one was in flight
        self._last = -1  # round-robin position
        self._started = False
        self._closed = False
        self._daemons_cut = False

    def _kind_of(self, worker: Any) -> str:
        """Thread or process: the session's mode, or in mixed mode the worker's own class."""
        if self.mode != "mixed":
            return self.mode
        return "thread" if getattr(worker, "stdlib_name", "") == "Thread" else "process"

    def _create(self, kind: str, spec: tuple) -> Any:
        """The real primitive behind a declaration, for this session's mode."""
        ctx = self._ctx
        if kind in ("Value", "Array"):
            if ctx is not None:
                return getattr(ctx, kind)(*spec)
            return getattr(sharedctypes, kind)(*spec, lock=threading.RLock())
        return getattr(ctx or threading, kind)(*spec)

    def _add(self, worker: Any, kind: str) -> WorkerRecord:
        """A worker the session knows of: declared, made by main at run time, or main itself."""
        if not worker.name:
            taken = {w.name for w in self._workers}
            # Made at run time (by main): named as the stdlib names them, Thread-1, Process-1...
            stem = getattr(worker, "stdlib_name", "w") if worker.index is None else "w"
            first = 1 if stem != "w" else 0
            sep = "-" if stem != "w" else ""
            worker.name = next(
                f"{stem}{sep}{i}" for i in itertools.count(first) if f"{stem}{sep}{i}" not in taken
            )
        if worker.name in self._by_name:
            raise ScenarioError(f"two workers are named {worker.name!r}")
        first = "new" if self._main is not None and worker is not self._main else "running"
        record = WorkerRecord(
            worker.name,
            len(self._workers),
            kind,
            worker.daemon,
            worker.code_name(),
            worker.line,
            state=first,
            obj=worker,
        )
        self._workers.append(record)
        self._by_name[record.name] = record
        worker._life = record
        worker._session = self
        return record

    @property
    def worker_names(self) -> list[str]:
        return [w.name for w in self._workers]

    def start(self) -> None:
        """Start the workers (or main, if the scenario has one); each waits at its gate."""
        if self._started:
            return
        self._started = True
        _open_sessions.add(self)
        target = self._collect_threads if self._ctx is None else self._collect_processes
        self._collector = threading.Thread(target=target, name="ipc-tui-collector", daemon=True)
        self._collector.start()
        first = [self._by_name["main"]] if self._main else self._workers
        for record in list(first):
            self._launch(record)

    def _launch(self, w: WorkerRecord) -> None:
        w.started = True
        w.daemon = w.obj.daemon  # it may have been set between creation and start()
        if w.kind == "thread":
            w.gate = threading.Semaphore(0)
            if self._ctx is None:
                inbox = self._inbox

                def send(msg: tuple, w: WorkerRecord = w) -> None:
                    inbox.put((w, msg))
            else:  # main, in process mode, reports through a pipe like the processes
                reader, writer = self._ctx.Pipe(duplex=False)
                send = writer.send
                self._watch(w, reader)
            w.wake = threading.Event()  # ends its sleep early: at close, or when cut off
            runtime = Runtime(self.info.path, w.gate, self._flags, send, w.wake.wait, spawner=self)
            w.runtime = runtime
            w.handle = launch.start_thread(w.obj, runtime)
        else:
            w.gate = self._ctx.Semaphore(0)
            w.handle, reader = launch.start_process(
                self._ctx,
                self.info.path,
                self._module_name,
                w.obj,
                self.lab_reals(),
                w.gate,
                self._flags,
                self.variant,
                self.quick,
                self.nice,
            )
            self._watch(w, reader, w.handle.sentinel)
        w.obj._handle = w.handle

    def _watch(self, w: WorkerRecord, reader: Any, sentinel: Any = None) -> None:
        with self._cond:
            self._conns[reader] = w
            self._all_conns.append(reader)
            if sentinel is not None:
                self._sentinels[sentinel] = w
        self._wake_w.send_bytes(b"")

    # -- what main() calls, from its own thread ----------------------------------------------

    def register(self, worker: Any) -> None:
        """A worker made at run time (by main): known at once, started by its start()."""
        with self._cond:
            self._add(worker, self._kind_of(worker))
            self.board.version += 1

    def rename(self, worker: Any, new: str) -> None:
        """`worker.name = new` (or setName), allowed until the worker has started."""
        with self._cond:
            w = self._by_name.get(worker.name)
            if w is None or w.obj is not worker:
                return
            if w.started:
                raise RuntimeError("ipc-tui renames a worker only before its start()")
            if new in self._by_name:
                raise RuntimeError(f"a worker is already named {new!r}")
            del self._by_name[w.name]
            w.name = new
            self._by_name[new] = w
            self.board.version += 1

    def start_worker(self, worker: Any) -> None:
        w = self._by_name.get(worker.name)
        if w is None or w.obj is not worker:
            raise RuntimeError(f"{worker.name} is not a worker of this scenario")
        if w.started:
            if self.mode == "thread":
                raise RuntimeError("threads can only be started once")
            raise AssertionError("cannot start a process twice")
        with self._cond:
            w.state = "running"
            self.board.version += 1
        self._launch(w)

    def lab_context(self) -> Any:
        """Where lab processes (engine/lab.py) come from: this session's context, or, for a
        session of threads, the one every process primitive comes from."""
        return self._ctx or mp_context()

    def lab_module(self) -> str:
        return self._module_name

    def lab_reals(self) -> list:
        """The real primitives a child process (a worker, a lab) gets, in declaration order."""
        return [r._raw for r in self._decl.resources] if self._ctx else []

    # -- control ---------------------------------------------------------------------------

    def step(self, worker: str | None = None) -> str | None:
        """Let one worker (by name, or the next ready one in turn) take one step.

        Steps asked for while another is still in flight wait in order and are taken one
        after the other, each when the one before has settled: pressing 1 2 1 2 quickly is
        the schedule w0,w1,w0,w1. Returns the worker's name (`"next"` for a waiting turn of
        the next ready worker), or None when it cannot step now: blocked, done, failed, not
        started, or everything runs free.
        """
        with self._cond:
            w = None if worker is None else self._by_name.get(worker)
            if worker is not None and w is None:
                raise ScenarioError(f"no worker {worker!r}; workers: {self.worker_names}")
            if self.board.running_free or (w is not None and not w.live):
                return None
            if not self._requests and self.board.settled(PATIENCE):
                granted = self._grant(worker)
                return granted.name if granted else None
            self._requests.append(worker)
            return worker or "next"

    def _grant(self, worker: str | None) -> WorkerRecord | None:
        """Open the gate of `worker` (or of the next ready one), if it is at its gate."""
        if worker is None:
            n = len(self._workers)
            order = [self._workers[(self._last + k) % n] for k in range(1, n + 1)]
            w = next((x for x in order if x.at_gate), None)
        else:
            w = self._by_name[worker]
        if w is None or not w.at_gate:
            return None
        self._last = w.index
        self._open(w)
        return w

    def _grant_waiting(self) -> None:
        """Take the next asked-for step once the one before has settled (collector thread)."""
        while self._requests and self.board.settled(PATIENCE):
            if self._grant(self._requests.popleft()) is not None:
                return

    def run(self) -> None:
        """Run free at full speed: every gate stays open until `pause()`."""
        self._stop_player()
        with self._cond:
            self.board.running_free = True
            self.board.version += 1
            self._flags[FREE] = 1
            self._requests.clear()
            for w in self._workers:
                if w.at_gate:
                    self._open(w)

    def pause(self) -> None:
        self._stop_player()
        with self._cond:
            self.board.running_free = False
            self.board.version += 1
            self._flags[FREE] = 0
            self._requests.clear()

    def play(self, rate: float = 2.0) -> None:
        """Step the next ready worker `rate` times a second until `pause()`."""
        self.pause()
        self.set_rate(rate)
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
            with self._cond:  # a tick while a step is still in flight (a sleep) is skipped
                if not self._requests and self.board.settled(PATIENCE):
                    self._grant(None)
            self._stopping.wait(1 / self._rate)

    def _stop_player(self) -> None:
        player, self._player = self._player, None
        if player is not None and player is not threading.current_thread():
            player.join(1)

    def wait_settled(self, timeout: float = 5.0) -> bool:
        """Wait until no step is in flight and the reports agree with the real primitives."""
        deadline = monotonic() + timeout
        with self._cond:
            while self._requests or not self.board.settled():
                remaining = deadline - monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(min(remaining, 0.02))
            return True

    def run_schedule(self, schedule: str | list[Turn], timeout: float = 10.0) -> list[str]:
        """Follow a schedule step by step; return notes on turns that could not be taken."""
        if isinstance(schedule, str):
            turns = parse_schedule(schedule, self.worker_names)
        else:
            turns = schedule
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

    def check_when_ended(self) -> None:
        """Once no worker is left to run, the scenario's check() runs once, on a thread of its
        own (it is the scenario's code: should it hang, nothing else does). Called under the
        lock by the collector."""
        if self._check is None or self._checking or any(w.live for w in self._workers):
            return
        self._checking = True
        board, check = self.board, self._check

        def run() -> None:
            checked = run_check(check)
            with self._cond:
                board.checked = checked
                board.version += 1
                self._cond.notify_all()

        threading.Thread(target=run, name="ipc-tui-check", daemon=True).start()

    def wait_checked(self, timeout: float = 5.0) -> bool:
        """After the run has ended: wait (at most `timeout`) for its check() to have run."""
        with self._cond:
            return self._cond.wait_for(
                lambda: self._check is None or self.board.checked is not None, timeout
            )

    def finished(self) -> bool:
        with self._cond:
            return not any(w.live for w in self._workers)

    def wait_exited(self, timeout: float = 5.0) -> bool:
        """After `finished()`: wait until every worker thread or process has really ended."""
        deadline = monotonic() + timeout
        return all(
            self.join_worker(w.obj, max(0.0, deadline - monotonic()))
            for w in list(self._workers)
            if w.started
        )

    def join_worker(self, worker: Any, timeout: float | None) -> bool:
        """Wait for one worker to end (at most `timeout` s); True if it has."""
        w = self._by_name[worker.name]
        if w.kind == "thread":
            w.handle.join(timeout)
        else:
            with self._cond:
                self._cond.wait_for(lambda: w.ended, timeout)
        return not w.alive

    def verdict(self) -> Verdict:
        """Whether the run can still move: running, finished, a deadlock (certain), stuck
        (certain), or likely a deadlock (engine/verdict.py)."""
        with self._cond:
            return judge(self.board)

    def kill(self, name: str) -> None:
        """Kill worker process `name` with SIGKILL, as `kill -9` would: it gets no chance to
        release what it holds. A thread cannot be killed: that raises CannotKill."""
        with self._cond:
            w = self._by_name.get(name)
            if w is None:
                raise ScenarioError(f"no worker {name!r}; workers: {self.worker_names}")
            if w.kind == "thread":
                raise CannotKill(
                    f"{name} is a thread: Python cannot kill one thread of a process "
                    "(only the whole process, or the thread itself by returning)"
                )
            if not w.started or not w.alive:
                raise CannotKill(f"{name} is not running (it is {w.state})")
            w.handle.kill()

    # -- ending ----------------------------------------------------------------------------

    def restart(self) -> None:
        self.close()
        self._build()
        self.start()

    def close(self) -> None:
        """End every worker, blocked or not, and release what the session holds."""
        with self._close_lock:  # a signal's watchdog may close at the same time as the app
            self._close()

    def _close(self) -> None:
        if self._closed or not self._started:
            self._closed = True
            return
        self._stop_player()
        with self._cond:
            self._flags[STOP] = 1
            self._stopping.set()
            started = [w for w in self._workers if w.started]
            for w in started:
                w.gate.release()
                if w.wake is not None:
                    w.wake.set()
        with self._reaping:
            launch.end_processes([w.handle for w in started if w.kind == "process"])
        with self._cond:
            for w in started:
                if w.kind == "process":
                    w.exitcode, w.ended = w.handle.exitcode, True
            self._cond.notify_all()  # a main blocked in join() sees its workers gone
        launch.end_threads(
            [w.handle for w in started if w.kind == "thread"],
            self._decl.resources,
            len(self._workers),
        )
        self._closed = True
        self._inbox.put(None)
        self._wake_w.send_bytes(b"")
        if self._collector is not None:
            self._collector.join(1)
        for conn in [*self._all_conns, self._wake_r, self._wake_w]:
            conn.close()
        _open_sessions.discard(self)

    def __enter__(self) -> Session:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@atexit.register
def _close_open_sessions() -> None:
    for session in list(_open_sessions):
        session.close()
