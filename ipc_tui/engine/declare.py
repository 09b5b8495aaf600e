"""Where a scenario's module-level declarations go while its file runs.

A scenario file runs twice under process mode: once in the session (which creates the real
primitives) and once in each child (which must get the session's primitives back, not new ones).
The constructors in `primitives` and `workers` ask the active `Declarations` for their real object;
the k-th declaration of the file is the k-th object in both places, because it is the same file.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any

from ipc_tui.engine.errors import ScenarioError

# Module-level on purpose: a scenario's top level calls `Value("i", 0)` with no handle on any
# session, so the constructors find the file being run here (one at a time: the lock).
_active: Declarations | None = None
_active_lock = threading.Lock()


class Declarations:
    """Collects one run of a scenario file: its resources and its workers, in order."""

    def __init__(
        self,
        path: str,
        create: Callable[[str, tuple], Any] | None,
        reals: list | None,
        variant: str = "",
        quick: bool = False,
    ):
        self.path = path
        self.variant = variant  # which of the scenario's VARIANTS this run is
        self.quick = quick  # the small size of a measuring scenario, for tests
        self._create = create  # session side: makes a real primitive from (kind, spec)
        self._reals = reals  # child side: the session's primitives, in declaration order
        self.resources: list = []
        self.workers: list = []

    def resource(self, wrapper: Any, kind: str, spec: tuple) -> Any:
        """Return the real primitive for the next declared resource."""
        index = len(self.resources)
        self.resources.append(wrapper)
        if self._reals is not None:
            return self._reals[index]
        assert self._create is not None
        return self._create(kind, spec)

    def worker(self, worker: Any) -> int:
        self.workers.append(worker)
        return len(self.workers) - 1

    def line(self) -> int | None:
        """The line of the scenario file that is declaring something now."""
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_filename == self.path:
                return frame.f_lineno
            frame = frame.f_back
        return None


# In a worker process, the file's declarations: a resource pickled by the session comes back
# as `resource_at(index)` (pickle rebuilds through a module-level function, not an object).
_loaded: Declarations | None = None


def remember(decl: Declarations) -> None:
    global _loaded
    _loaded = decl


def resource_at(index: int) -> object:
    """The resource declared `index`-th in the file this worker process loaded."""
    assert _loaded is not None, "a resource reached a process that has not loaded its scenario"
    return _loaded.resources[index]


def active(what: str) -> Declarations:
    if _active is None:
        raise ScenarioError(
            f"{what} must be declared at the top level of a scenario file, "
            "not inside a worker or outside ipc-tui"
        )
    return _active


class declaring:
    """`with declaring(decl): exec the file` makes `decl` receive the file's declarations."""

    def __init__(self, decl: Declarations):
        self.decl = decl

    def __enter__(self) -> Declarations:
        global _active
        _active_lock.acquire()
        _active = self.decl
        return self.decl

    def __exit__(self, *exc: object) -> None:
        global _active
        _active = None
        _active_lock.release()
