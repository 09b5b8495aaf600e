"""Value, Array, Lock, Semaphore, Event and sleep, as a scenario file uses them.

Each one wraps the real primitive of the session's mode (threading's in thread mode,
multiprocessing's in process mode; Value and Array are real shared memory in both) and behaves
like it: the same arguments, the same results, the same exceptions. Inside a worker, every
operation is one step: the worker waits at its gate, does the real operation, and reports it.
Outside a worker (at import, or when the session reads state) the operation is done directly.
"""

from __future__ import annotations

import time
from multiprocessing.sharedctypes import typecode_to_type
from operator import attrgetter, getitem, setitem
from typing import Any

from ipc_tui.engine.declare import active, resource_at
from ipc_tui.engine.errors import ScenarioError
from ipc_tui.engine.runtime import Subject, step

TYPECODES = "'i' int, 'd'/'f' float, 'c' char (bytes of length 1)"


class Resource(Subject):
    """A shared resource declared at the top level of a scenario file, named by its variable."""

    kind = "resource"

    def __init__(self, *spec: Any):
        decl = active(f"{type(self).__name__}()")
        self.name: str | None = None
        self.line = decl.line()
        self.spec = spec
        self._check(*spec)
        self.index = len(decl.resources)
        try:
            self._raw = decl.resource(self, type(self).__name__, spec)
        except (TypeError, ValueError, OverflowError, OSError) as exc:
            raise ScenarioError(f"{decl.path}:{self.line}: {self.declaration()}: {exc}") from None
        # What the operations hand to step(), made once: on a free run's hot path, making a
        # bound method (`raw.acquire`) or a tuple at every call costs as much as the rest.
        self._own = (self._raw,)

    def declaration(self) -> str:
        return f"{type(self).__name__}({', '.join(map(repr, self.spec))})"

    def _check(self, *spec: Any) -> None:
        """Reject a wrong declaration with a message that says what is allowed."""

    def _wrong(self, why: str) -> ScenarioError:
        decl = active("resource")
        return ScenarioError(f"{decl.path}:{self.line}: {self.declaration()}: {why}")

    @property
    def real(self) -> Any:
        """The real primitive underneath (threading's or multiprocessing's), unwatched."""
        return self._raw

    def peek(self) -> Any:
        """The real current state, read without being a step."""
        raise NotImplementedError

    def shown(self, op: str, index: Any) -> Any:
        """What a watched step shows before and after it: the state it changes."""
        return self.peek()

    def __reduce__(self):
        # In a worker process the same declaration already holds the same real primitive.
        return (resource_at, (self.index,))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


class Value(Resource):
    """`Value(typecode, value)`: one cell of shared memory; `.value` reads or writes it."""

    kind = "value"

    def __init__(self, typecode: str, value: Any = 0):
        self.typecode = typecode
        super().__init__(typecode, value)

    def _check(self, typecode: Any, value: Any = 0) -> None:
        if typecode not in typecode_to_type:
            raise self._wrong(f"unknown typecode {typecode!r}; use {TYPECODES}")

    @property
    def value(self) -> Any:
        return step("read", self, _VALUE, self._own)

    @value.setter
    def value(self, new: Any) -> None:
        step("write", self, setattr, (self._raw, "value", new))

    def get_lock(self) -> Any:
        return self._raw.get_lock()

    def peek(self) -> Any:
        return self._raw.get_obj().value


_VALUE = attrgetter("value")


class Array(Resource):
    """`Array(typecode, list | bytes | size)`: cells of shared memory, indexed and iterable."""

    kind = "array"

    def __init__(self, typecode: str, size_or_initializer: Any):
        self.typecode = typecode
        super().__init__(typecode, size_or_initializer)

    def _check(self, typecode: Any, init: Any) -> None:
        if typecode not in typecode_to_type:
            raise self._wrong(f"unknown typecode {typecode!r}; use {TYPECODES}")
        if isinstance(init, bool) or not isinstance(init, (int, list, tuple, bytes, str)):
            raise self._wrong(
                "give a size (an int) or the initial items (a list, or bytes for 'c')"
            )
        if isinstance(init, int) and init < 0:
            raise self._wrong("the size must be 0 or more")

    def __len__(self) -> int:
        return len(self._raw)

    def __getitem__(self, index: Any) -> Any:
        return step("read", self, getitem, (self._raw, index), _label(index))

    def __setitem__(self, index: Any, new: Any) -> None:
        step("write", self, setitem, (self._raw, index, new), _label(index))

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    @property
    def value(self) -> bytes:
        """A 'c' array read back as its byte string (up to the first NUL), as one step."""
        return step("read", self, _VALUE, self._own, ":")

    @value.setter
    def value(self, new: bytes) -> None:
        step("write", self, setattr, (self._raw, "value", new), ":")

    def get_lock(self) -> Any:
        return self._raw.get_lock()

    def shown(self, op: str, index: Any) -> Any:
        """The cell (or cells, a slice; the byte string, ":") a step reads or writes."""
        cells = self._raw.get_obj()
        if index == ":":
            return cells.value
        return cells[_unlabel(index)]

    def peek(self) -> tuple:
        items = self._raw.get_obj()[:]
        if isinstance(items, bytes):  # a 'c' array: one bytes object per cell, as indexing gives
            return tuple(items[i : i + 1] for i in range(len(items)))
        return tuple(items)


def _unlabel(index: Any) -> Any:
    """The index back from its label ("1:3" is a slice)."""
    if isinstance(index, str):
        start, stop = index.split(":")
        return slice(int(start) if start else None, int(stop) if stop else None)
    return index


def _label(index: Any) -> Any:
    """An index as the trace shows it: a slice as "1:3"."""
    if isinstance(index, slice):
        start = "" if index.start is None else index.start
        stop = "" if index.stop is None else index.stop
        return f"{start}:{stop}"
    return index


_TRY = (False,)  # acquire(False): take it if it is free, never wait


def _is_mp(raw: Any) -> bool:
    return hasattr(raw, "_semlock")


class Lock(Resource):
    """`Lock()`: `acquire(blocking=True, timeout=-1)`, `release()`, `with lock:`."""

    kind = "lock"

    def __init__(self):
        super().__init__()
        raw = self._raw
        self._for_ever = (True, None if _is_mp(raw) else -1)  # as each Lock spells it
        self._acquire, self._release = raw.acquire, raw.release

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if not blocking and timeout != -1:
            raise ValueError("can't specify a timeout for a non-blocking call")
        take = self._acquire
        if not blocking:
            return step("acquire", self, take, _TRY)
        if timeout is None or timeout < 0:  # for ever
            return step("acquire", self, take, self._for_ever, take=take)
        return step("acquire", self, take, (True, timeout), take=take, timeout=timeout)

    def release(self) -> None:
        step("release", self, self._release)

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

    def shown(self, op: str, index: Any) -> None:
        return None  # the Locks pane shows who holds it: nothing to show before and after

    def peek(self) -> bool:
        """True while the real lock is held."""
        if _is_mp(self._raw):
            return self._raw._semlock._get_value() == 0
        return self._raw.locked()


class Semaphore(Resource):
    """`Semaphore(value)`: `acquire()` takes a permit, blocking at 0; `release()`; `get_value()`."""

    kind = "semaphore"

    def __init__(self, value: int = 1):
        self.initial = value
        super().__init__(value)
        self._acquire, self._release = self._raw.acquire, self._raw.release

    def _check(self, value: Any = 1) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._wrong("the initial value must be an int")
        if value < 0:
            raise self._wrong("the initial value must be 0 or more")

    def acquire(self, blocking: bool = True, timeout: float | None = None) -> bool:
        if not blocking and timeout is not None:
            raise ValueError("can't specify timeout for non-blocking acquire")
        take = self._acquire
        if not blocking:
            return step("acquire", self, take, _TRY)
        return step("acquire", self, take, (True, timeout), take=take, timeout=timeout)

    def release(self) -> None:
        step("release", self, self._release)

    def get_value(self) -> int:
        return step("get_value", self, self.peek)

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

    def peek(self) -> int:
        if _is_mp(self._raw):
            return self._raw.get_value()
        return self._raw._value  # threading.Semaphore keeps its counter here


class Event(Resource):
    """`Event()`: starts unset; `wait(timeout=None)` gives True/False; `set`, `clear`, `is_set`."""

    kind = "event"

    def __init__(self):
        super().__init__()
        raw = self._raw
        self._wait, self._set, self._clear, self._is_set = raw.wait, raw.set, raw.clear, raw.is_set
        self._take = self._wait_or_look

    def shown(self, op: str, index: Any) -> Any:
        return None if op == "wait" else self._is_set()  # a wait shows what it returns

    def wait(self, timeout: float | None = None) -> bool:
        return step("wait", self, self._wait, (timeout,), take=self._take, timeout=timeout)

    def _wait_or_look(self, block: bool, timeout: float | None = None) -> bool:
        return self._wait(timeout) if block else self._is_set()

    def set(self) -> None:
        step("set", self, self._set)

    def clear(self) -> None:
        step("clear", self, self._clear)

    def is_set(self) -> bool:
        return step("is_set", self, self._is_set)

    def peek(self) -> bool:
        return self._raw.is_set()


def variant() -> str:
    """Which of the scenario's VARIANTS this run is (call it at the top level of the file)."""
    return active("variant()").variant


def quick() -> bool:
    """True when the run asked for the small size (`--quick`): measuring scenarios size their
    work by it (call it at the top level of the file)."""
    return active("quick()").quick


def sleep(seconds: float) -> None:
    """`sleep(seconds)`, as `time.sleep`: one step, during which the worker shows as sleeping."""
    step("sleep", None, time.sleep, (seconds,))
