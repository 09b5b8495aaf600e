"""The host: the scenario's workers as real threads and processes, and the calls the scenario
makes into its session (a worker made, renamed, started, joined; a lab asked for).

What is shown of a worker lives on the board (engine/board.py); the host keeps what runs it:
its real thread or process, its gate, its runtime (a thread's), the event that ends its sleep.
Workers in the session's process (threads, and main) reach the host as their runtime's
`spawner`; process workers report through a pipe the collector watches.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from time import monotonic
from typing import Any

from ipc_tui.engine import launch
from ipc_tui.engine.board import Board, WorkerRecord
from ipc_tui.engine.child import ChildSpec
from ipc_tui.engine.context import mp_context
from ipc_tui.engine.errors import CannotKill, ScenarioError
from ipc_tui.engine.runtime import Runtime
from ipc_tui.engine.snapshot import State


@dataclass(eq=False)
class Plumbing:
    """What runs one worker (nothing here is shown)."""

    obj: Any  # the scenario's Process/Thread object (or main)
    handle: Any = None  # the real threading.Thread or multiprocessing Process
    gate: Any = None  # a semaphore: released once per step the worker may take
    runtime: Runtime | None = None  # a thread worker's (a process's lives in the process)
    wake: threading.Event | None = None  # a thread's: ends its sleep early (close, cut off)


class Host:
    def __init__(
        self,
        board: Board,
        cond: threading.Condition,
        spec: ChildSpec,
        ctx: Any,
        flags: Any,
        mode: str,
        report: Callable[[WorkerRecord, tuple], None],
        watch: Callable[[WorkerRecord, Any, Any], None],
        main: Any = None,
    ):
        self.board = board
        self.cond = cond  # the session's lock: the board changes only under it
        self.spec = spec
        self.ctx = ctx  # the session's multiprocessing context (None: a session of threads)
        self.flags = flags
        self.mode = mode
        self.report = report  # a thread worker's report, to the collector
        self.watch = watch  # a pipe (and a process sentinel) for the collector to read
        self.main = main  # the scenario's main(), as a worker (engine/workers.MainWorker)
        self.plumbing: dict[WorkerRecord, Plumbing] = {}
        self.by_name: dict[str, WorkerRecord] = {}
        self.reaping = threading.Lock()  # one thread at a time in waitpid()

    @property
    def workers(self) -> list[WorkerRecord]:
        return self.board.workers

    def kind_of(self, worker: Any) -> str:
        """Thread or process: the session's mode, or in mixed mode the worker's own class."""
        if self.mode != "mixed":
            return self.mode
        return "thread" if getattr(worker, "stdlib_name", "") == "Thread" else "process"

    def add(self, worker: Any, kind: str | None = None) -> WorkerRecord:
        """A worker the session knows of: declared, made by main at run time, or main itself
        (a thread of the session's process, like the parent in the lesson)."""
        if not worker.name:
            taken = {w.name for w in self.workers}
            # Made at run time (by main): named as the stdlib names them, Thread-1, Process-1...
            stem = getattr(worker, "stdlib_name", "w") if worker.index is None else "w"
            first, sep = (1, "-") if stem != "w" else (0, "")
            worker.name = next(
                f"{stem}{sep}{i}" for i in itertools.count(first) if f"{stem}{sep}{i}" not in taken
            )
        if worker.name in self.by_name:
            raise ScenarioError(f"two workers are named {worker.name!r}")
        # With a main(), main starts the others: they are new until it does.
        waits = self.main is not None and worker is not self.main
        record = WorkerRecord(
            worker.name,
            len(self.workers),
            kind or self.kind_of(worker),
            worker.daemon,
            worker.code_name(),
            worker.line,
            state=State.NEW if waits else State.RUNNING,
        )
        self.board.add(record)
        self.plumbing[record] = Plumbing(worker)
        self.by_name[record.name] = record
        worker._life = record
        worker._session = self
        return record

    def named(self, name: str) -> WorkerRecord:
        w = self.by_name.get(name)
        if w is None:
            raise ScenarioError(f"no worker {name!r}; workers: {list(self.by_name)}")
        return w

    # -- running workers -------------------------------------------------------------------

    def launch(self, w: WorkerRecord) -> None:
        """Start `w`'s real thread or process; it stops at its first gate."""
        p = self.plumbing[w]
        daemon = p.obj.daemon  # (it may have been set since the worker was made)
        if w.kind == "thread":
            p.gate = threading.Semaphore(0)
            if self.ctx is None:

                def send(report: tuple, w: WorkerRecord = w) -> None:
                    self.report(w, report)
            else:  # main, in process mode, reports through a pipe like the processes
                reader, writer = self.ctx.Pipe(duplex=False)
                send = writer.send
                self.watch(w, reader, None)
            p.wake = threading.Event()
            p.runtime = Runtime(self.spec.path, p.gate, self.flags, send, p.wake.wait, self)
            p.handle = launch.start_thread(p.obj, p.runtime)
            self.board.launched(w, daemon, p.handle.is_alive)
        else:
            p.gate = self.ctx.Semaphore(0)
            p.handle, reader = launch.start_process(self.ctx, self.spec, p.obj, p.gate, self.flags)
            self.board.launched(w, daemon)
            self.watch(w, reader, p.handle.sentinel)
        p.obj._handle = p.handle

    def open(self, w: WorkerRecord) -> None:
        """Let `w` take one step (the caller holds the lock and knows `w` is at its gate)."""
        if not w.live:
            return
        self.board.opened(w)
        self.plumbing[w].gate.release()

    def reap(self, w: WorkerRecord, news: bool) -> None:
        """`w`'s process has ended: its exit code, and how it ended if it never said."""
        handle = self.plumbing[w].handle
        with self.reaping:
            handle.join(0)
        self.board.reaped(w, handle.exitcode, news)

    def cut_daemons(self) -> None:
        """When main and every non-daemon worker have ended, the program ends, and daemon
        workers are cut off where they are, as at the end of a real Python program. (Under
        the lock, from the collector.)"""
        main = self.by_name.get("main") if self.main is not None else None
        if main is None or main.live or any(w.live and not w.daemon for w in self.workers):
            return
        for w in self.workers:
            if w.started and w.daemon and w.live:
                self.board.cut(w, monotonic())
                p = self.plumbing[w]
                if w.kind == "process":
                    p.handle.terminate()  # what multiprocessing does to daemons at exit
                else:
                    p.runtime.cut = True  # it stops at its next step
                    p.wake.set()
                    p.gate.release()

    def kill(self, name: str) -> None:
        """SIGKILL to worker process `name`, as `kill -9`: it releases nothing it holds."""
        with self.cond:
            w = self.named(name)
            if w.kind == "thread":
                raise CannotKill(
                    f"{name} is a thread: Python cannot kill one thread of a process "
                    "(only the whole process, or the thread itself by returning)"
                )
            if not w.started or not w.alive:
                raise CannotKill(f"{name} is not running (it is {w.state})")
            self.plumbing[w].handle.kill()

    def end(self) -> None:
        """End every worker, blocked or not (the caller has set the stop flag)."""
        with self.cond:
            started = [(w, p) for w, p in self.plumbing.items() if w.started]
            for _, p in started:
                p.gate.release()
                if p.wake is not None:
                    p.wake.set()
        with self.reaping:
            launch.end_processes([p.handle for w, p in started if w.kind == "process"])
        with self.cond:
            for w, p in started:
                if w.kind == "process" and not w.ended:
                    self.board.reaped(w, p.handle.exitcode, news=False)
            self.cond.notify_all()  # a main blocked in join() sees its workers gone
        launch.end_threads(
            [p.handle for w, p in started if w.kind == "thread"],
            self.board.resources,
            len(self.workers),
        )

    def wait_exited(self, timeout: float) -> bool:
        """Wait until every started worker's thread or process has really ended."""
        deadline = monotonic() + timeout
        return all(
            self.join_worker(p.obj, max(0.0, deadline - monotonic()))
            for w, p in list(self.plumbing.items())
            if w.started
        )

    # -- what the scenario calls, from a worker of the session's process (main) ------------

    def register(self, worker: Any) -> None:
        """A worker made at run time (by main): known at once, started by its start()."""
        with self.cond:
            self.add(worker)

    def rename(self, worker: Any, new: str) -> None:
        """`worker.name = new` (or setName), allowed until the worker has started."""
        with self.cond:
            w = self.by_name.get(worker.name)
            if w is None or self.plumbing[w].obj is not worker:
                return
            if w.started:
                raise RuntimeError("ipc-tui renames a worker only before its start()")
            if new in self.by_name:
                raise RuntimeError(f"a worker is already named {new!r}")
            del self.by_name[w.name]
            self.board.rename(w, new)
            self.by_name[new] = w

    def start_worker(self, worker: Any) -> None:
        w = self.by_name.get(worker.name)
        if w is None or self.plumbing[w].obj is not worker:
            raise RuntimeError(f"{worker.name} is not a worker of this scenario")
        if w.started:
            if self.mode == "thread":
                raise RuntimeError("threads can only be started once")
            raise AssertionError("cannot start a process twice")
        with self.cond:
            self.launch(w)

    def join_worker(self, worker: Any, timeout: float | None) -> bool:
        """Wait for one worker to end (at most `timeout` s); True if it has."""
        w = self.by_name[worker.name]
        if w.kind == "thread":
            self.plumbing[w].handle.join(timeout)
        else:
            with self.cond:
                self.cond.wait_for(lambda: w.ended, timeout)
        return not w.alive

    def lab_context(self) -> Any:
        """Where lab processes (engine/lab.py) come from: this session's context, or, for a
        session of threads, the one every process primitive comes from."""
        return self.ctx or mp_context()
