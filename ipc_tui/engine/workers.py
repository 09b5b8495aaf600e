"""Process and Thread, as a scenario file declares its workers.

They take the stdlib's arguments (`target`, `name`, `args`, `kwargs`, `daemon`), and a subclass
may override `run` instead of passing a target. Unnamed workers are called w0, w1, ...

Two ways to start them:
- a file without `main()`: the session starts every worker declared at the top level;
- a file with `main()`: the session runs `main` as a worker of its own (the lesson's main
  program), and `main` starts workers with `start()` and waits for them with `join(timeout)`,
  each one step; it may also create new workers. `name`, `pid`, `daemon`, `is_alive()` and
  `exitcode` read the real thread or process.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from ipc_tui.engine import declare
from ipc_tui.engine.errors import ScenarioError
from ipc_tui.engine.runtime import Subject, current, step


class Worker(Subject):
    """One worker of a scenario: what it runs, with which arguments, under which name."""

    kind_hint = "worker"

    def __init__(
        self,
        group: None = None,
        target: Callable[..., Any] | None = None,
        name: str | None = None,
        args: tuple = (),
        kwargs: dict | None = None,
        *,
        daemon: bool | None = None,
    ):
        self._target = target
        self._args = tuple(args)
        self._kwargs = dict(kwargs or {})
        self.declared_name = name
        self._name = name or ""
        self._session: Any = None  # set once a session knows this worker
        self.daemon = bool(daemon)
        self._handle: Any = None  # the real threading.Thread or multiprocessing Process
        self._life: Any = None  # the session's record of it: alive, exit code
        decl = declare._active
        rt = current()
        if decl is not None:
            self.line = decl.line()
            self.index: int | None = decl.worker(self)
        elif rt is not None and rt.spawner is not None:
            self.line = rt.line()
            self.index = None
            rt.spawner.register(self)
        else:
            raise ScenarioError(
                f"{type(self).__name__}() is made at the top level of a scenario or inside a "
                "worker running in the session's process (such as main)"
            )

    def run(self) -> None:
        """What the worker does: call the target, or override this in a subclass."""
        if self._target is not None:
            self._target(*self._args, **self._kwargs)

    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, new: str) -> None:
        if self._session is not None and new != self._name:
            self._session.rename(self, new)
        self._name = new

    # The lesson's spellings, deprecated since Python 3.10 (they warn, as threading's do).
    def getName(self) -> str:  # noqa: N802
        _deprecated("getName()", "the name attribute")
        return self.name

    def setName(self, name: str) -> None:  # noqa: N802
        _deprecated("setName()", "the name attribute")
        self.name = name

    def isDaemon(self) -> bool:  # noqa: N802
        _deprecated("isDaemon()", "the daemon attribute")
        return self.daemon

    def setDaemon(self, daemonic: bool) -> None:  # noqa: N802
        _deprecated("setDaemon()", "the daemon attribute")
        self.daemon = daemonic

    # -- lifecycle, as the lesson's main program uses it ---------------------------------

    def start(self) -> None:
        """Start the real thread or process (one step of the worker that calls it)."""
        rt = current()
        if rt is None or rt.spawner is None:
            raise RuntimeError("start() is called by main or another worker in the session")
        step("start", self, rt.spawner.start_worker, (self,))

    def join(self, timeout: float | None = None) -> None:
        """Wait until the worker ends, or `timeout` seconds (one step; blocks for real). The
        trace shows whether it has ended."""
        handle = self._handle
        if handle is None:
            raise RuntimeError("cannot join a worker before it is started")
        step("join", self, handle.join, (timeout,), take=self._ended, timeout=timeout)

    def _ended(self, block: bool, timeout: float | None = None) -> bool:
        if block:
            current().spawner.join_worker(self, timeout)
        return not self.is_alive()

    def is_alive(self) -> bool:
        return self._life is not None and self._life.alive

    @property
    def pid(self) -> int | None:
        """The process id once started (a thread worker has its process's)."""
        if self._handle is None:
            return None
        return getattr(self._handle, "pid", None) or getattr(self._handle, "native_id", None)

    @property
    def exitcode(self) -> int | None:
        return None if self._life is None else self._life.exitcode

    def code_name(self) -> str:
        """How the scenario spells this worker's code, for messages and the Code pane."""
        if type(self).run is not Worker.run:
            return f"{type(self).__name__}.run"
        return getattr(self._target, "__qualname__", repr(self._target))

    def __reduce__(self):
        # A worker made at run time reaches its process by pickle: its class and target by
        # reference to the scenario module, its resources by their place in the file.
        state = {k: v for k, v in vars(self).items() if k not in ("_handle", "_life", "_session")}
        return (_rebuild, (type(self), state))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


def _rebuild(cls: type, state: dict) -> Worker:
    worker = cls.__new__(cls)
    vars(worker).update(state)
    worker._handle = worker._life = worker._session = None
    return worker


def _deprecated(old: str, new: str) -> None:
    warnings.warn(f"{old} is deprecated, use {new} instead", DeprecationWarning, stacklevel=3)


def current_thread() -> Any:
    """The worker running this code (threading.current_thread() outside any worker)."""
    rt = current()
    if rt is None or rt.worker is None:
        import threading

        return threading.current_thread()
    return rt.worker


current_process = current_thread


def currentThread() -> Any:  # noqa: N802
    """The lesson's spelling of current_thread(), deprecated since Python 3.10."""
    _deprecated("currentThread()", "current_thread()")
    return current_thread()


class Process(Worker):
    """A worker written like `multiprocessing.Process`."""

    stdlib_name = "Process"


class Thread(Worker):
    """A worker written like `threading.Thread`."""

    stdlib_name = "Thread"


class MainWorker:
    """The scenario's `main()`, run by the session as a worker of its own."""

    def __init__(self, main: Callable[[], Any]):
        self.main = main
        self.name = "main"
        self.daemon = False
        self._session = None
        self.line = main.__code__.co_firstlineno
        self.index = None
        self._handle = self._life = None

    def run(self) -> None:
        self.main()

    def code_name(self) -> str:
        return "main"
