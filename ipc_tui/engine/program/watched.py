"""The program's primitives and workers, watched: each is the real one underneath.

A plain program imports these instead of the standard library's (hook.py) and cannot tell the
difference: the same arguments, results, exceptions and pickling rules (a lock sent through a
queue is refused by the standard library's own check, since the real lock is what pickles).
Each operation is one step (engine/runtime.step); making a primitive is not a step, it only
tells the session that it exists and what the code calls it (`counter`, `self.lock`,
`forks[2]`, else `Lock#3 (bank.py:14)`).
"""

from __future__ import annotations

import dis
import multiprocessing
import multiprocessing.context
import os
import sys
import threading
import time
from multiprocessing import sharedctypes
from operator import attrgetter, getitem, setitem
from typing import Any

from ipc_tui.engine.program.agent import here
from ipc_tui.engine.runtime import Subject, current, step

_OURS = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The built-in scenarios of an installed ipc-tui live inside it (ipc_tui/scenarios): programs,
# not ipc-tui's own code
_BUILT_IN = os.path.join(_OURS, "scenarios") + os.sep


# -- names from the code ---------------------------------------------------------------------

_STORES = {"STORE_NAME", "STORE_FAST", "STORE_GLOBAL", "STORE_DEREF"}
_LOADS = {"LOAD_NAME", "LOAD_FAST", "LOAD_GLOBAL", "LOAD_DEREF", "LOAD_CONST"}
_counted: dict[tuple, int] = {}


def _caller() -> Any:
    """The program's frame that called into this module (the first frame outside ipc_tui)."""
    frame = sys._getframe(2)
    while frame is not None and _ours(frame.f_code.co_filename):
        frame = frame.f_back
    return frame


def _ours(filename: str) -> bool:
    return filename.startswith(_OURS + os.sep) and not filename.startswith(_BUILT_IN)


def name_from_code(frame: Any) -> str | None:
    """What the code calls the object its current call makes: `x = Lock()` gives "x",
    `self.lock = Lock()` "self.lock", `forks[i] = Lock()` "forks[2]", a comprehension
    `forks = [Lock() for ...]` "forks[k]" in order. None when the code does not say."""
    if frame is None:
        return None
    try:
        instructions = _instructions(frame.f_code)
        at = max(k for k, ins in enumerate(instructions) if ins.offset <= frame.f_lasti)
    except (ValueError, TypeError):
        return None
    nxt = _following(instructions, at + 1)
    if nxt and nxt[0].opname == "LIST_APPEND":
        target = _comprehension_target(frame, instructions, at)
        if target:
            key = (id(frame), target)
            k = _counted.get(key, 0)
            _counted[key] = k + 1
            return f"{target}[{k}]"
        return None
    name = _stored_as(frame, nxt) or _pair(instructions, at)
    if name and name.startswith("self.") and frame.f_code.co_name == "__init__":
        # `self.lock = Lock()` in `Account.__init__`, called by `a = Account()`: "a.lock"
        owner = name_from_code(frame.f_back)
        if owner and not owner.startswith("self"):
            return owner + name[4:]
    return name


_SWAPS = ("SWAP", "ROT_TWO")
_CALLS = ("CALL", "CALL_FUNCTION", "CALL_FUNCTION_KW", "CALL_METHOD", "CALL_KW")


def _pair(instructions: list, at: int) -> str | None:
    """`a, b = Lock(), Lock()`: the two names, in the order the values are stored. Either
    swapped, then stored in order (`SWAP` or `ROT_TWO`, then `a`, then `b`), or stored as they
    come off the stack, the second value first (`b`, then `a`; on 3.13 in a function one
    `STORE_FAST_STORE_FAST b, a`)."""

    def names_after(k: int) -> list | None:
        """(the first value's name, the second's) if a pair's stores begin at k."""
        rest = _following(instructions, k)
        if (
            len(rest) >= 3
            and rest[0].opname in _SWAPS
            and all(i.opname in _STORES for i in rest[1:3])
        ):
            return [str(rest[1].argval), str(rest[2].argval)]
        if len(rest) >= 2 and all(i.opname in _STORES for i in rest[:2]):
            return [str(rest[1].argval), str(rest[0].argval)]
        if rest and rest[0].opname == "STORE_FAST_STORE_FAST":
            second, _, first = rest[0].argrepr.partition(", ")
            return [first, second] if first else None
        return None

    names = names_after(at + 1)
    if names:  # this call made the second value
        return names[1]
    for k in range(at + 1, min(at + 16, len(instructions))):
        if instructions[k].opname in _CALLS:
            names = names_after(k + 1)
            return names[0] if names else None
    return None


def _following(instructions: list, k: int) -> list:
    return [ins for ins in instructions[k : k + 8] if ins.opname != "CACHE"]


def _stored_as(frame: Any, nxt: list) -> str | None:
    """The name the value on top of the stack is stored under by the instructions `nxt`."""
    if not nxt:
        return None
    first = nxt[0]
    if first.opname in _STORES:
        return str(first.argval)
    if first.opname == "STORE_FAST_STORE_FAST":  # (3.13: `a, b = x, y` in a function)
        return None  # (a pair: _pair)
    if first.opname in _LOADS and len(nxt) > 1:
        second = nxt[1]
        if second.opname == "STORE_ATTR" and first.opname != "LOAD_CONST":
            return f"{first.argval}.{second.argval}"
        if second.opname in _LOADS and len(nxt) > 2 and nxt[2].opname == "STORE_SUBSCR":
            key = _value_of(frame, second)
            if key is not _UNKNOWN:
                return f"{first.argval}[{key!r}]"
    return None


_UNKNOWN = object()
_cache: dict[Any, list] = {}


def _instructions(code: Any) -> list:
    found = _cache.get(code)
    if found is None:
        found = _cache[code] = list(dis.get_instructions(code))
    return found


def _value_of(frame: Any, ins: Any) -> Any:
    if ins.opname == "LOAD_CONST":
        return ins.argval
    for scope in (frame.f_locals, frame.f_globals):
        if ins.argval in scope:
            value = scope[ins.argval]
            return value if isinstance(value, (int, str)) else _UNKNOWN
    return _UNKNOWN


def _comprehension_target(frame: Any, instructions: list, at: int) -> str | None:
    """The name a list comprehension's list is stored under: after the comprehension's
    call in the frame outside (3.10, 3.11), or after its loop in the same frame (3.12+: the
    loop's end, then its variable put back, then the store)."""
    if frame.f_code.co_name == "<listcomp>" and frame.f_back is not None:
        return name_from_code(frame.f_back)
    for k in range(at + 1, len(instructions)):
        if instructions[k].opname == "END_FOR":
            rest = _following(instructions, k + 1)
            while rest and rest[0].opname in ("POP_TOP", "SWAP"):
                if rest[0].opname == "SWAP" and len(rest) > 1 and rest[1].opname == "STORE_FAST":
                    rest = rest[2:]  # (the loop variable, as it was before the loop)
                else:
                    rest = rest[1:]
            return _stored_as(frame, rest)
    return None


# -- resources -------------------------------------------------------------------------------


class Watched(Subject):
    """A primitive the program made, watched: `_real` is the standard library's."""

    kind = "resource"
    shared = True  # multiprocessing's and shared memory: one object in every process

    def _made(self, real: Any, what: str, frame: Any = None, rid: str | None = None) -> None:
        self._real = real
        self.what = what
        frame = frame if frame is not None else _caller()
        self.suggested = name_from_code(frame) or ""
        self.line = frame.f_lineno if frame is not None else 0
        where = os.path.basename(frame.f_code.co_filename) if frame is not None else "?"
        self.where = f"{where}:{self.line}"
        self._ready()
        self.name = here().made(self, rid)

    def _ready(self) -> None:
        """Bind what the operations hand to step() (made once: see runtime.step)."""

    def details(self) -> dict:
        """What the session shows of it besides its state."""
        return {"what": self.what, "where": self.where, "shared": self.shared}

    def peek(self) -> Any:
        raise NotImplementedError

    def shown(self, op: str, index: Any) -> Any:
        return self.peek()

    def __reduce__(self):
        # The real primitive pickles by the standard library's rules (a lock only while a
        # process is being started); the child gets this wrapper back around it, same id.
        return (_rebuilt, (type(self), self._real, self._state()))

    def _state(self) -> dict:
        keys = ("name", "suggested", "line", "what", "where")
        return {key: getattr(self, key) for key in keys}

    def __repr__(self) -> str:
        return repr(self._real)


def _rebuilt(cls: type, real: Any, state: dict) -> Watched:
    obj = cls.__new__(cls)
    vars(obj).update(state)
    obj._real = real
    obj._ready()
    here().known(obj.name, obj)
    return obj


def _typecode(type_: Any) -> str:
    """The typecode the cells show: 'i', 'd', 'c', ... (ctypes types carry theirs)."""
    if isinstance(type_, str):
        return type_
    return str(getattr(type_, "_type_", "?"))


_VALUE = attrgetter("value")


class _Synchronized:
    """A cell that takes its own lock around each read and write, as sharedctypes' do: a
    read waits while another worker holds `get_lock()`."""

    def _ready(self) -> None:
        real = self._real
        self._obj = real.get_obj() if hasattr(real, "get_obj") else real
        self._own = (self._obj,)
        inner = real.get_lock() if hasattr(real, "get_lock") else None
        self._inner = inner
        self._lock: WatchedLock | None = None  # made when the program asks for it
        self._on: _Ref | None = None  # what a step waits for while another holds the lock

    def get_lock(self) -> WatchedLock:
        if self._inner is None:
            return self._real.get_lock()  # (raises as the standard library does)
        if self._lock is None:  # one id in every process: the value's, and ".lock"
            self._lock = WatchedLock._around(self._inner, self)
        return self._lock

    def get_obj(self) -> Any:
        """The raw ctypes object (unwatched, as it is unlocked)."""
        return self._real.get_obj()

    def __enter__(self) -> Any:
        return self.get_lock().__enter__()

    def __exit__(self, *exc: object) -> None:
        self.get_lock().__exit__(*exc)

    def _locked(self, op: str, do: Any, args: tuple, index: Any = None) -> Any:
        inner = self._inner
        if inner is None:
            return step(op, self, do, args, index)
        if current() is None:  # outside any worker: not a step, but still under the lock
            with inner:
                return do(*args)

        def then() -> Any:
            try:
                return do(*args)
            finally:
                inner.release()

        on = self._on
        if on is None:  # (the id every process gives this value's lock: see get_lock)
            on = self._on = _Ref(f"{self.name}.lock")
        return step(op, self, None, index=index, take=self._take_inner, then=then, on=on)

    def _take_inner(self, block: bool, timeout: float | None = None) -> bool:
        inner = self._inner
        if not block:
            return inner.acquire(False)
        return inner.acquire(True) if timeout is None else inner.acquire(True, timeout)

    def _state(self) -> dict:
        state = super()._state()  # type: ignore[misc]
        state["typecode"] = self.typecode
        return state


class WatchedValue(_Synchronized, Watched):
    kind = "value"

    def details(self) -> dict:
        return {**super().details(), "typecode": self.typecode}

    @property
    def value(self) -> Any:
        return self._locked("read", _VALUE, self._own)

    @value.setter
    def value(self, new: Any) -> None:
        self._locked("write", setattr, (self._obj, "value", new))

    def peek(self) -> Any:
        return self._obj.value


class WatchedArray(_Synchronized, Watched):
    kind = "array"

    def details(self) -> dict:
        return {**super().details(), "typecode": self.typecode}

    def __len__(self) -> int:
        return len(self._obj)

    def __getitem__(self, index: Any) -> Any:
        return self._locked("read", getitem, (self._obj, index), _label(index))

    def __setitem__(self, index: Any, new: Any) -> None:
        self._locked("write", setitem, (self._obj, index, new), _label(index))

    def __iter__(self):  # (as the sequence protocol would, without a step that fails)
        for i in range(len(self)):
            yield self[i]

    @property
    def value(self) -> Any:
        return self._locked("read", _VALUE, self._own, "value")

    @value.setter
    def value(self, new: Any) -> None:
        self._locked("write", setattr, (self._obj, "value", new), "value")

    @property
    def raw(self) -> Any:
        return self._obj.raw

    def shown(self, op: str, index: Any) -> Any:
        if index == "value":  # a 'c' array's byte string
            return self._obj.value
        return self._obj[_unlabel(index)]

    def peek(self) -> tuple:
        items = self._obj[:]
        if isinstance(items, bytes):
            return tuple(items[i : i + 1] for i in range(len(items)))
        return tuple(items)


def _label(index: Any) -> Any:
    if isinstance(index, slice):
        start = "" if index.start is None else index.start
        stop = "" if index.stop is None else index.stop
        step_ = "" if index.step is None else f":{index.step}"
        return f"{start}:{stop}{step_}"
    return index


def _unlabel(index: Any) -> Any:
    if isinstance(index, str):
        parts = [int(p) if p else None for p in index.split(":")]
        return slice(*parts)
    return index


class WatchedLock(Watched):
    """A Lock or an RLock, threading's or multiprocessing's, with its own signature."""

    kind = "lock"

    def __init__(self, real: Any, what: str = "Lock", frame: Any = None):
        self._made(real, what, frame)

    @classmethod
    def _around(cls, real: Any, owner: Watched) -> WatchedLock:
        """A synchronized Value's or Array's own lock, `get_lock()`."""
        lock = cls.__new__(cls)
        lock._real, lock.what = real, "get_lock()"
        lock.suggested = f"{owner.suggested or owner.what}.get_lock()"
        lock.line, lock.where = owner.line, owner.where
        lock._ready()
        lock.name = here().made(lock, f"{owner.name}.lock")
        return lock

    def _ready(self) -> None:
        real = self._real
        self._mp = hasattr(real, "_semlock")
        self._reentrant = "RLock" in type(real).__name__
        self.shared = self._mp
        self._acquire, self._release = real.acquire, real.release
        self._for_ever = (True,)
        self._try = (False,)

    def details(self) -> dict:
        return {**super().details(), "reentrant": self._reentrant}

    def _take(self, block: bool, timeout: float | None = None) -> bool:
        if not block:
            return self._acquire(False)
        return self._acquire(True) if timeout is None else self._acquire(True, timeout)

    def acquire(self, *args: Any, **kwargs: Any) -> bool:
        block, timeout = _wants(self._mp, args, kwargs, -1)
        if not block:
            return step("acquire", self, self._acquire, self._try)
        if timeout is None:
            return step("acquire", self, self._take, self._for_ever, take=self._take)
        return step("acquire", self, self._take, (True, timeout), take=self._take, timeout=timeout)

    def release(self) -> None:
        step("release", self, self._release)

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

    def locked(self) -> bool:
        return self._real.locked()

    def _at_fork_reinit(self) -> None:  # (what threading does to its locks in a forked child)
        self._real._at_fork_reinit()

    # What threading.Condition uses of an RLock: whether it is held, and letting go of it
    # wholly while it waits (a release), then taking it back as it was (an acquire).

    def _is_owned(self) -> bool:
        return self._real._is_owned()

    def _recursion_count(self) -> int:
        return self._real._recursion_count()

    def _release_save(self) -> Any:
        return step("release", self, self._real._release_save)

    def _acquire_restore(self, state: Any) -> None:
        real = self._real

        def take(block: bool, timeout: float | None = None) -> bool:
            if block:
                real._acquire_restore(state)
                return True
            if not real.acquire(False):
                return False
            for _ in range(state[0] - 1):  # (as _acquire_restore: its count back)
                real.acquire()
            return True

        step("acquire", self, take, self._for_ever, take=take)

    def shown(self, op: str, index: Any) -> None:
        return None

    def peek(self) -> bool:
        real = self._real
        if self._mp:
            return real._semlock._get_value() == 0
        if self._reentrant:
            return repr(real).startswith("<locked")
        return real.locked()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # (a Condition looks for _release_save: use acquire/release)
            raise AttributeError(name)
        return getattr(self._real, name)


def _wants(mp: bool, args: tuple, kwargs: dict, forever: Any) -> tuple[bool, float | None]:
    """(blocking, timeout) from acquire's arguments as the real class spells them; timeout
    None: for ever."""
    names = ("block", "timeout") if mp else ("blocking", "timeout")
    if len(args) > 2:
        raise TypeError(f"acquire() takes at most 2 arguments ({len(args)} given)")
    given = dict(zip(names, args, strict=False))
    for key, value in kwargs.items():
        if key not in names:
            raise TypeError(f"acquire() got an unexpected keyword argument {key!r}")
        given[key] = value
    block = given.get(names[0], True)
    timeout = given.get("timeout", None if mp else forever)
    if not mp:
        if not block and timeout not in (-1, None):
            raise ValueError("can't specify a timeout for a non-blocking call")
        if timeout is not None and timeout < 0 and timeout != -1:
            raise ValueError("timeout value must be a non-negative number")
        if forever == -1 and timeout is not None and timeout > threading.TIMEOUT_MAX:
            raise OverflowError("timeout value is too large")  # (a lock's, before it tries)
        if timeout == -1:
            timeout = None
    elif timeout is not None and timeout < 0:
        timeout = 0
    return bool(block), timeout


class WatchedSemaphore(Watched):
    kind = "semaphore"

    def __init__(self, real: Any, initial: int, what: str = "Semaphore"):
        self.initial = initial
        self._made(real, what)

    def _ready(self) -> None:
        real = self._real
        self._mp = hasattr(real, "_semlock")
        self.shared = self._mp
        self._acquire, self._release = real.acquire, real.release

    def details(self) -> dict:
        return {**super().details(), "initial": self.initial}

    def _state(self) -> dict:
        return {**super()._state(), "initial": self.initial}

    def _take(self, block: bool, timeout: float | None = None) -> bool:
        if not block:
            return self._acquire(False)
        return self._acquire(True, timeout)

    def acquire(self, *args: Any, **kwargs: Any) -> bool:
        block, timeout = _wants(self._mp, args, kwargs, None)
        if not block:
            return step("acquire", self, self._acquire, (False,))
        return step("acquire", self, self._take, (True, timeout), take=self._take, timeout=timeout)

    def release(self, *n: int) -> None:
        step("release", self, self._release, n)

    def get_value(self) -> int:
        return step("get_value", self, self._real.get_value)

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

    def peek(self) -> int:
        if self._mp:
            return self._real.get_value()
        return self._real._value

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._real, name)


class WatchedEvent(Watched):
    kind = "event"

    def __init__(self, real: Any):
        self._made(real, "Event")

    def _ready(self) -> None:
        real = self._real
        self.shared = (
            hasattr(real, "_cond")
            and hasattr(real._cond, "_lock")
            and hasattr(real._cond._lock, "_semlock")
        )
        self._wait, self._set, self._clear, self._is_set = (
            real.wait,
            real.set,
            real.clear,
            real.is_set,
        )

    def _take(self, block: bool, timeout: float | None = None) -> bool:
        return self._wait(timeout) if block else self._is_set()

    def shown(self, op: str, index: Any) -> Any:
        return None if op == "wait" else self._is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return step("wait", self, self._wait, (timeout,), take=self._take, timeout=timeout)

    def set(self) -> None:
        step("set", self, self._set)

    def clear(self) -> None:
        step("clear", self, self._clear)

    def is_set(self) -> bool:
        return step("is_set", self, self._is_set)

    isSet = is_set  # noqa: N815 (threading's old spelling)

    @property
    def _cond(self) -> Any:
        return self._real._cond

    def _at_fork_reinit(self) -> None:
        self._real._at_fork_reinit()

    def peek(self) -> bool:
        return self._is_set()


# -- the constructors the program calls --------------------------------------------------------


def _cell(cls: type, real: Any, type_: Any, what: str) -> Any:
    obj = cls.__new__(cls)
    obj.typecode = _typecode(type_)
    obj._made(real, what, _caller())
    return obj


class Context:
    """multiprocessing's primitives for one start method (None: the default context), as the
    program sees them: `multiprocessing.Lock()` and `get_context("spawn").Lock()` alike."""

    def __init__(self, real: Any):
        self._real = real  # the real module or context

    def Value(self, typecode_or_type: Any, *args: Any, lock: Any = True) -> Any:  # noqa: N802
        real = self._real.Value(typecode_or_type, *args, lock=_unwrap(lock))
        return _cell(WatchedValue, real, typecode_or_type, "Value")

    def RawValue(self, typecode_or_type: Any, *args: Any) -> Any:  # noqa: N802
        real = self._real.RawValue(typecode_or_type, *args)
        return _cell(WatchedValue, real, typecode_or_type, "RawValue")

    def Array(self, typecode_or_type: Any, size_or_initializer: Any, *, lock: Any = True) -> Any:  # noqa: N802
        real = self._real.Array(typecode_or_type, size_or_initializer, lock=_unwrap(lock))
        return _cell(WatchedArray, real, typecode_or_type, "Array")

    def RawArray(self, typecode_or_type: Any, size_or_initializer: Any) -> Any:  # noqa: N802
        real = self._real.RawArray(typecode_or_type, size_or_initializer)
        return _cell(WatchedArray, real, typecode_or_type, "RawArray")

    def Lock(self) -> WatchedLock:  # noqa: N802
        return WatchedLock(self._real.Lock(), "Lock", _caller())

    def RLock(self) -> WatchedLock:  # noqa: N802
        return WatchedLock(self._real.RLock(), "RLock", _caller())

    def Semaphore(self, value: int = 1) -> WatchedSemaphore:  # noqa: N802
        return WatchedSemaphore(self._real.Semaphore(value), value)

    def BoundedSemaphore(self, value: int = 1) -> WatchedSemaphore:  # noqa: N802
        return WatchedSemaphore(self._real.BoundedSemaphore(value), value, "BoundedSemaphore")

    def Event(self) -> WatchedEvent:  # noqa: N802
        return WatchedEvent(self._real.Event())


def _unwrap(lock: Any) -> Any:
    """`Value(..., lock=a_watched_lock)`: the real lock goes to the standard library."""
    return lock._real if isinstance(lock, WatchedLock) else lock


def thread_lock() -> WatchedLock:
    return WatchedLock(threading.Lock(), "Lock", _caller())


def thread_rlock() -> WatchedLock:
    return WatchedLock(threading.RLock(), "RLock", _caller())


def thread_semaphore(value: int = 1) -> WatchedSemaphore:
    return WatchedSemaphore(threading.Semaphore(value), value)


def thread_bounded_semaphore(value: int = 1) -> WatchedSemaphore:
    return WatchedSemaphore(threading.BoundedSemaphore(value), value, "BoundedSemaphore")


def thread_event() -> WatchedEvent:
    return WatchedEvent(threading.Event())


def sleep(seconds: float) -> None:
    """`time.sleep`: one step, shown as sleeping."""
    step("sleep", None, time.sleep, (seconds,))


# -- workers ---------------------------------------------------------------------------------


class _Ref(Subject):
    """A worker as the subject of a step (its start, its join): named by its id."""

    def __init__(self, wid: str):
        self.name = wid


def _declare(worker: Any, kind: str) -> str:
    agent = here()
    wid = agent.new_id()
    worker._ipc_wid = wid
    frame = _caller()
    target = getattr(worker, "_target", None)
    if type(worker).run not in (threading.Thread.run, multiprocessing.Process.run):
        code = f"{type(worker).__name__}.run"
    else:
        code = getattr(target, "__qualname__", repr(target))
    line = frame.f_lineno if frame is not None else 0
    agent.worker(wid, worker.name, kind, bool(worker.daemon), code, line)
    if kind == "process":
        agent.send(("method", worker._start_method or multiprocessing.get_start_method()))
    return wid


class Thread(threading.Thread):
    """threading.Thread, watched: its start and join are steps, its run a worker's."""

    def start(self) -> None:
        if getattr(self, "_ipc_wid", None) is not None or current() is None:
            return super().start()  # (started twice: the real error; outside any worker: real)
        wid = _declare(self, "thread")
        step("start", _Ref(wid), super().start)

    def _bootstrap_inner(self) -> None:
        wid = getattr(self, "_ipc_wid", None)
        if wid is None:
            return super()._bootstrap_inner()
        from ipc_tui.engine.program.launcher import run_as_worker

        run_as_worker(wid, self, super()._bootstrap_inner)

    def join(self, timeout: float | None = None) -> None:
        wid = getattr(self, "_ipc_wid", None)
        if wid is None or not self._started.is_set() or self is threading.current_thread():
            return super().join(timeout)
        step("join", _Ref(wid), super().join, (timeout,), take=self._joined, timeout=timeout)

    def _joined(self, block: bool, timeout: float | None = None) -> bool:
        if block:
            threading.Thread.join(self, timeout)
        return not self.is_alive()


class _ProcessMixin:
    """multiprocessing's Process, watched: start and join are steps of the worker that calls
    them; the child runs as a worker of its own."""

    def start(self) -> None:
        if getattr(self, "_ipc_wid", None) is not None or current() is None:
            return super().start()  # type: ignore[misc]
        wid = _declare(self, "process")
        step("start", _Ref(wid), super().start)  # type: ignore[misc]

    def _bootstrap(self, parent_sentinel: Any = None) -> int:
        wid = getattr(self, "_ipc_wid", None)
        if wid is None:
            return super()._bootstrap(parent_sentinel)  # type: ignore[misc]
        from ipc_tui.engine.program.launcher import run_process

        return run_process(
            wid, self, lambda: super(_ProcessMixin, self)._bootstrap(parent_sentinel)
        )

    def join(self, timeout: float | None = None) -> None:
        wid = getattr(self, "_ipc_wid", None)
        if wid is None or self._popen is None:  # type: ignore[attr-defined]
            return super().join(timeout)  # type: ignore[misc]
        step("join", _Ref(wid), super().join, (timeout,), take=self._joined, timeout=timeout)  # type: ignore[misc]
        code = self.exitcode  # type: ignore[attr-defined]
        if code is not None:  # what the parent saw: a child killed never says it
            here().send(("exit", wid, code))

    def _joined(self, block: bool, timeout: float | None = None) -> bool:
        if block:
            multiprocessing.process.BaseProcess.join(self, timeout)  # type: ignore[arg-type]
        return self.exitcode is not None  # type: ignore[attr-defined]


class Process(_ProcessMixin, multiprocessing.Process):
    pass


def process_class(base: type) -> type:
    """The watched Process of a context (`get_context("spawn").Process`)."""
    return _PROCESS_CLASSES.get(base, Process)


_PROCESS_CLASSES: dict[type, type] = {multiprocessing.Process: Process}
for _name in ("ForkProcess", "SpawnProcess", "ForkServerProcess"):
    _base = getattr(multiprocessing.context, _name, None)
    if _base is not None:
        _cls = type(_name, (_ProcessMixin, _base), {"__module__": __name__})
        globals()[_name] = _cls
        _PROCESS_CLASSES[_base] = _cls

__all__ = ["Context", "Process", "Thread", "sharedctypes"]


# -- threads or processes: a built-in scenario's other mode (`m`, `--mode`) --------------------


class ThreadAsProcess(Thread):
    """`multiprocessing.Process` when a scenario written with processes runs as threads: a
    watched thread with a process's answers (`pid` its process's, `exitcode` once ended)."""

    def __init__(self, group=None, target=None, name=None, args=(), kwargs=None, *, daemon=None):
        super().__init__(group, target, name, args, kwargs, daemon=daemon)
        self._failed = False

    def run(self) -> None:
        try:
            super().run()
        except BaseException:
            self._failed = True
            raise

    @property
    def pid(self) -> int | None:
        return os.getpid() if self._started.is_set() else None

    @property
    def exitcode(self) -> int | None:
        if not self._started.is_set() or self.is_alive():
            return None
        return 1 if self._failed else 0

    def terminate(self) -> None:
        raise RuntimeError("a thread cannot be terminated (this scenario runs as threads: m)")

    kill = terminate

    def close(self) -> None:
        pass


class ProcessAsThread(Process):
    """`threading.Thread` when a scenario written with threads runs as processes: a watched
    process with a thread's spellings too."""

    def getName(self) -> str:  # noqa: N802
        return self.name

    def setName(self, name: str) -> None:  # noqa: N802
        self.name = name

    def isDaemon(self) -> bool:  # noqa: N802
        return self.daemon

    def setDaemon(self, daemonic: bool) -> None:  # noqa: N802
        self.daemon = daemonic

    @property
    def ident(self) -> int | None:
        return self.pid

    native_id = ident
