"""Process and Thread, as a scenario file declares its workers.

They take the stdlib's arguments (`target`, `name`, `args`, `kwargs`, `daemon`), and a subclass
may override `run` instead of passing a target. A scenario declares them at the top level; the
session starts every one of them, as threads or as processes according to its mode, and each
then waits at its gate before its first step. Unnamed workers are called w0, w1, ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ipc_tui.engine.declare import active


class Worker:
    """One worker of a scenario: what it runs, with which arguments, under which name."""

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
        decl = active(f"{type(self).__name__}()")
        self._target = target
        self._args = tuple(args)
        self._kwargs = dict(kwargs or {})
        self.declared_name = name
        self.name = name or ""
        self.daemon = bool(daemon)
        self.line = decl.line()
        self.index = decl.worker(self)

    def run(self) -> None:
        """What the worker does: call the target, or override this in a subclass."""
        if self._target is not None:
            self._target(*self._args, **self._kwargs)

    def code_name(self) -> str:
        """How the scenario spells this worker's code, for messages and the Code pane."""
        if type(self).run is not Worker.run:
            return f"{type(self).__name__}.run"
        return getattr(self._target, "__qualname__", repr(self._target))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


class Process(Worker):
    """A worker written like `multiprocessing.Process`."""


class Thread(Worker):
    """A worker written like `threading.Thread`."""
