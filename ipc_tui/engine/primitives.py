"""Value, Array, Lock, Semaphore, Event and sleep, as a scenario file uses them.

Each one wraps the real primitive of the session's mode (threading's in thread mode,
multiprocessing's in process mode; Value and Array are real shared memory in both) and behaves
like it: the same arguments, the same results, the same exceptions. Inside a worker, every
operation is one step: the worker waits at its gate, does the real operation, and reports it.
Outside a worker (at import, or when the session reads state) the operation is done directly.
"""

from __future__ import annotations

from multiprocessing.sharedctypes import typecode_to_type
from time import monotonic
from typing import Any

from ipc_tui.engine.declare import active, resource_at
from ipc_tui.engine.errors import ScenarioError
from ipc_tui.engine.runtime import SUMMARISED, current

TYPECODES = "'i' int, 'd'/'f' float, 'c' char (bytes of length 1)"


class Resource:
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

    def declaration(self) -> str:
        return f"{type(self).__name__}({', '.join(map(repr, self.spec))})"

    def _check(self, *spec: Any) -> None:
        """Reject a wrong declaration with a message that says what is allowed."""

    def _wrong(self, why: str) -> ScenarioError:
        decl = active("resource")
        return ScenarioError(f"{decl.path}:{self.line}: {self.declaration()}: {why}")

    def peek(self) -> Any:
        """The real current state, read without being a step."""
        raise NotImplementedError

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
        rt = current()
        if rt is None:
            return self._raw.value
        line = rt.enter("read", self.name)
        if line == SUMMARISED:
            return self._raw.value
        t0 = monotonic()
        got = self._raw.value
        rt.done("read", self.name, None, got, got, None, line, t0)
        return got

    @value.setter
    def value(self, new: Any) -> None:
        rt = current()
        if rt is None:
            self._raw.value = new
            return
        line = rt.enter("write", self.name)
        if line == SUMMARISED:
            self._raw.value = new
            return
        t0 = monotonic()
        before = self.peek()
        self._raw.value = new
        rt.done("write", self.name, None, before, self.peek(), None, line, t0)

    def get_lock(self) -> Any:
        return self._raw.get_lock()

    def peek(self) -> Any:
        return self._raw.get_obj().value


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
        rt = current()
        if rt is None:
            return self._raw[index]
        label = _index_label(index)
        line = rt.enter("read", self.name, label)
        if line == SUMMARISED:
            return self._raw[index]
        t0 = monotonic()
        got = self._raw[index]
        rt.done("read", self.name, label, got, got, None, line, t0)
        return got

    def __setitem__(self, index: Any, new: Any) -> None:
        rt = current()
        if rt is None:
            self._raw[index] = new
            return
        label = _index_label(index)
        line = rt.enter("write", self.name, label)
        if line == SUMMARISED:
            self._raw[index] = new
            return
        t0 = monotonic()
        obj = self._raw.get_obj()
        before = obj[index]
        self._raw[index] = new
        rt.done("write", self.name, label, before, obj[index], None, line, t0)

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    @property
    def value(self) -> bytes:
        """A 'c' array read back as its byte string (up to the first NUL), as one step."""
        rt = current()
        if rt is None:
            return self._raw.value
        line = rt.enter("read", self.name, ":")
        t0 = monotonic()
        got = self._raw.value
        rt.done("read", self.name, ":", got, got, None, line, t0)
        return got

    @value.setter
    def value(self, new: bytes) -> None:
        rt = current()
        if rt is None:
            self._raw.value = new
            return
        line = rt.enter("write", self.name, ":")
        t0 = monotonic()
        before = self._raw.get_obj().value
        self._raw.value = new
        rt.done("write", self.name, ":", before, self._raw.get_obj().value, None, line, t0)

    def get_lock(self) -> Any:
        return self._raw.get_lock()

    def peek(self) -> tuple:
        items = self._raw.get_obj()[:]
        if isinstance(items, bytes):  # a 'c' array: one bytes object per cell, as indexing gives
            return tuple(items[i : i + 1] for i in range(len(items)))
        return tuple(items)


def _index_label(index: Any) -> Any:
    if isinstance(index, slice):
        start = "" if index.start is None else index.start
        stop = "" if index.stop is None else index.stop
        return f"{start}:{stop}"
    return index


GRACE = 0.005  # running free with summaries: a wait this short is part of the run, not news


def _briefly(line: int, wait: Any, timeout: float | None) -> tuple[bool, float | None]:
    """Running free with summaries on, wait up to GRACE before a block is reported (under
    contention most acquires wait a little, and a report each would flood the session).
    Returns whether the wait succeeded, and the timeout left (None or negative: for ever)."""
    if line != SUMMARISED:
        return False, timeout
    if timeout is None or timeout < 0:
        return wait(GRACE), timeout
    grace = min(GRACE, timeout)
    return wait(grace), max(0.0, timeout - grace)


def _is_mp(raw: Any) -> bool:
    return hasattr(raw, "_semlock")


def _timeout_arg(raw: Any, timeout: float) -> float | None:
    """threading's `timeout=-1` (forever) is multiprocessing's `timeout=None`."""
    if _is_mp(raw) and timeout is not None and timeout < 0:
        return None
    return timeout


class Lock(Resource):
    """`Lock()`: `acquire(blocking=True, timeout=-1)`, `release()`, `with lock:`."""

    kind = "lock"

    def __init__(self):
        super().__init__()

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if not blocking and timeout != -1:
            raise ValueError("can't specify a timeout for a non-blocking call")
        rt = current()
        if rt is None:
            return self._raw.acquire(blocking, _timeout_arg(self._raw, timeout))
        line = rt.enter("acquire", self.name)
        if line == SUMMARISED and self._raw.acquire(False):
            rt.took(self.name)  # running free and it was free: only counted
            return True
        t0 = monotonic()
        ok = self._raw.acquire(False)
        if not ok and blocking and timeout != 0:
            ok, timeout = _briefly(line, lambda s: self._raw.acquire(True, s), timeout)
            if not ok and timeout != 0:
                rt.blocked("acquire", self.name, None if timeout < 0 else timeout)
                ok = self._raw.acquire(True, _timeout_arg(self._raw, timeout))
        rt.done("acquire", self.name, None, None, None, ok, line, t0)
        return ok

    def release(self) -> None:
        rt = current()
        if rt is None:
            self._raw.release()
            return
        line = rt.enter("release", self.name)
        if line == SUMMARISED:
            self._raw.release()
            rt.gave(self.name)
            return
        t0 = monotonic()  # before the real release: it orders this before the acquire it allows
        self._raw.release()
        rt.done("release", self.name, None, None, None, None, line, t0)

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

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

    def _check(self, value: Any = 1) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._wrong("the initial value must be an int")
        if value < 0:
            raise self._wrong("the initial value must be 0 or more")

    def acquire(self, blocking: bool = True, timeout: float | None = None) -> bool:
        if not blocking and timeout is not None:
            raise ValueError("can't specify timeout for non-blocking acquire")
        rt = current()
        if rt is None:
            return self._raw.acquire(blocking, timeout)
        line = rt.enter("acquire", self.name)
        if line == SUMMARISED and self._raw.acquire(False):
            rt.took(self.name)  # running free and a permit was there: only counted
            return True
        t0 = monotonic()
        before = self.peek()
        ok = self._raw.acquire(False)
        if not ok and blocking and timeout != 0:
            ok, timeout = _briefly(line, lambda s: self._raw.acquire(True, s), timeout)
            if not ok and timeout != 0:
                rt.blocked("acquire", self.name, timeout)
                ok = self._raw.acquire(True, timeout)
        rt.done("acquire", self.name, None, before, self.peek(), ok, line, t0)
        return ok

    def release(self) -> None:
        rt = current()
        if rt is None:
            self._raw.release()
            return
        line = rt.enter("release", self.name)
        if line == SUMMARISED:
            self._raw.release()
            rt.gave(self.name)
            return
        t0 = monotonic()
        before = self.peek()
        self._raw.release()
        rt.done("release", self.name, None, before, self.peek(), None, line, t0)

    def get_value(self) -> int:
        rt = current()
        if rt is None:
            return self.peek()
        line = rt.enter("get_value", self.name)
        t0 = monotonic()
        got = self.peek()
        rt.done("get_value", self.name, None, got, got, got, line, t0)
        return got

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

    def wait(self, timeout: float | None = None) -> bool:
        rt = current()
        if rt is None:
            return self._raw.wait(timeout)
        line = rt.enter("wait", self.name)
        t0 = monotonic()
        ok = self._raw.is_set()
        if not ok and (timeout is None or timeout > 0):
            ok, timeout = _briefly(line, self._raw.wait, timeout)
            if not ok and (timeout is None or timeout > 0):
                rt.blocked("wait", self.name, timeout)
                ok = self._raw.wait(timeout)
        rt.done("wait", self.name, None, None, None, ok, line, t0)
        return ok

    def _flag_step(self, op: str, action: Any) -> Any:
        rt = current()
        if rt is None:
            return action()
        line = rt.enter(op, self.name)
        if line == SUMMARISED:
            return action()
        t0 = monotonic()
        before = self._raw.is_set()
        got = action()
        after = self._raw.is_set()
        rt.done(op, self.name, None, before, after, got, line, t0)
        return got

    def set(self) -> None:
        self._flag_step("set", self._raw.set)

    def clear(self) -> None:
        self._flag_step("clear", self._raw.clear)

    def is_set(self) -> bool:
        return self._flag_step("is_set", self._raw.is_set)

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
    rt = current()
    if rt is None:
        import time

        time.sleep(seconds)
        return
    line = rt.enter("sleep", None)
    t0 = monotonic()
    rt.sleeping(seconds)
    rt.sleep(seconds)
    rt.done("sleep", None, None, None, None, seconds, line, t0)
