"""A Session: one run of one scenario, with real workers that step when their gate opens.

The one object front-ends use (engine/frontend.py writes down what they may use of it). It
loads the scenario and wires the parts, each with one job (docs/architecture.md):

    Board      what is shown: every worker's state, the trace, the verdict (engine/board.py)
    Host       what runs: the real threads and processes, and the scenario's calls into the
               session: start, join, a worker made at run time, a lab (engine/host.py)
    Collector  one thread that hands the workers' reports to the board (engine/collect.py)
    Scheduler  who takes the next step: one at a time, played, or free (engine/scheduler.py)

They share the session's lock (`cond`): the board changes only under it.
"""

from __future__ import annotations

import atexit
import itertools
import sys
import threading
import weakref
from multiprocessing import sharedctypes
from typing import Any

from ipc_tui.engine.board import Board
from ipc_tui.engine.check import run_check
from ipc_tui.engine.child import ChildSpec
from ipc_tui.engine.collect import Collector
from ipc_tui.engine.context import mp_context
from ipc_tui.engine.declare import Declarations
from ipc_tui.engine.errors import ScenarioError
from ipc_tui.engine.host import Host
from ipc_tui.engine.loader import (
    MODES,
    ScenarioInfo,
    check_of,
    execute,
    find_scenario,
    main_of,
    module_name,
)
from ipc_tui.engine.primitives import Resource
from ipc_tui.engine.runtime import FLAGS, STOP, SUMMARY
from ipc_tui.engine.scheduler import Scheduler
from ipc_tui.engine.steering import Steering
from ipc_tui.engine.workers import MainWorker

# Module-level on purpose: `atexit` runs functions, not methods of live objects, so the
# sessions still open at exit are found here (weakly: a session dropped is not kept); and the
# scenario modules of two sessions of one file need different names in sys.modules.
_open_sessions: weakref.WeakSet[Session] = weakref.WeakSet()
_session_ids = itertools.count(1)


class Session(Steering):
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
        try:
            self.module = execute(self.info, decl, self._module_name)
        except BaseException:
            sys.modules.pop(self._module_name, None)
            raise
        self.resources: tuple[Resource, ...] = tuple(decl.resources)
        self._cond = threading.Condition()
        self._stopping = threading.Event()  # set when the session closes: no news after it
        self._close_lock = threading.Lock()
        self._check = check_of(self.module)
        self._checking = False
        self._started = self._closed = False
        self.board = Board(
            self.info.name,
            self.info.path,
            self.mode,
            decl.resources,
            self.variant,
            self.keep_events,
        )
        self._flags: Any = self._ctx.RawArray("b", FLAGS) if self._ctx else [0] * FLAGS
        self._flags[SUMMARY] = int(self.summary)
        reals = tuple(r._raw for r in decl.resources) if self._ctx else ()
        spec = ChildSpec(
            self.info.path, self._module_name, reals, self.variant, self.quick, self.nice
        )
        main = main_of(self.module)
        self._main = MainWorker(main) if main else None
        self._host = Host(
            self.board,
            self._cond,
            spec,
            self._ctx,
            self._flags,
            self.mode,
            report=self._report,
            watch=self._watch,
            main=self._main,
        )
        self._collector = Collector(
            self._host, self._cond, self._ctx, self._stopping, self._after_batch
        )
        self._scheduler = Scheduler(self._host, self._cond, self._flags, self._stopping)
        for worker in decl.workers:
            self._host.add(worker)
        if self._main:
            self._host.add(self._main, "thread")  # main: the session process's own program

    def _report(self, w: Any, report: tuple) -> None:
        self._collector.report(w, report)

    def _watch(self, w: Any, reader: Any, sentinel: Any) -> None:
        self._collector.watch(w, reader, sentinel)

    def _create(self, kind: str, spec: tuple) -> Any:
        """The real primitive behind a declaration, for this session's mode."""
        ctx = self._ctx
        if kind in ("Value", "Array"):
            if ctx is not None:
                return getattr(ctx, kind)(*spec)
            return getattr(sharedctypes, kind)(*spec, lock=threading.RLock())
        return getattr(ctx or threading, kind)(*spec)

    def start(self) -> None:
        """Start the workers (or main, if the scenario has one); each waits at its gate."""
        if self._started:
            return
        self._started = True
        _open_sessions.add(self)
        self._collector.start()
        first = [self._host.by_name["main"]] if self._main else list(self.board.workers)
        with self._cond:
            for w in first:
                self._host.launch(w)

    def _after_batch(self) -> None:
        """After each batch of reports (collector thread, under the lock)."""
        self._host.cut_daemons()
        self._scheduler.grant_waiting()
        self._check_when_ended()

    def _check_when_ended(self) -> None:
        """Once no worker is left to run, the scenario's check() runs once, on a thread of its
        own (it is the scenario's code: should it hang, nothing else does). Not when the
        session is ending them: the run did not end, it was stopped."""
        if self._check is None or self._checking or self._stopping.is_set():
            return
        if any(w.live for w in self.board.workers):
            return
        self._checking = True
        board, check, cond = self.board, self._check, self._cond  # (a restart makes new ones)

        def run() -> None:
            checked = run_check(check)
            with cond:
                board.check(checked)
                cond.notify_all()

        threading.Thread(target=run, name="ipc-tui-check", daemon=True).start()

    # -- control (the rest: engine/steering.py) -----------------------------------------

    def real_worker(self, name: str) -> Any:
        """The real threading.Thread or multiprocessing.Process of worker `name` (None before
        its start)."""
        return self._host.plumbing[self._host.named(name)].handle

    def kill(self, name: str) -> None:
        """Kill worker process `name` with SIGKILL, as `kill -9` would: it gets no chance to
        release what it holds. A thread cannot be killed: that raises CannotKill."""
        self._host.kill(name)
        self._scheduler.taken.append(("kill", name))  # (a recording's: engine/recording.py)

    # -- reading ---------------------------------------------------------------------------

    def finished(self) -> bool:
        with self._cond:
            return not any(w.live for w in self.board.workers)

    def wait_exited(self, timeout: float = 5.0) -> bool:
        """After `finished()`: wait until every worker thread or process has really ended."""
        return self._host.wait_exited(timeout)

    def wait_checked(self, timeout: float = 5.0) -> bool:
        """After the run has ended: wait (at most `timeout`) for its check() to have run."""
        with self._cond:
            return self._cond.wait_for(
                lambda: self._check is None or self.board.checked is not None, timeout
            )

    # -- ending ----------------------------------------------------------------------------

    def restart(self) -> None:
        self.close()
        self._build()
        self.start()

    def close(self) -> None:
        """End every worker, blocked or not, and release what the session holds: its
        processes, threads, pipes, and the scenario's module."""
        with self._close_lock:  # a signal's watchdog may close at the same time as the app
            self._close()

    def _close(self) -> None:
        if self._closed:
            return
        self._closed = True
        sys.modules.pop(self._module_name, None)
        if not self._started:
            return
        self._scheduler.stop_player()
        with self._cond:
            self._flags[STOP] = 1
            self._stopping.set()
        self._host.end()
        self._collector.stop()
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
