"""The program's conditions and barriers, watched: each is the real one underneath.

`threading.Condition` and `multiprocessing.Condition`: the lock it wraps is a watched lock
(the program's, or one made for it, named after it: `cond.lock`), so `with cond:` is that
lock's acquire and release. `wait()` is three steps, as the standard library does it: the lock
let go (a release), the wait itself (shown blocked on the condition until a notify), the lock
taken back (an acquire, which may block). `wait_for` is the standard library's own loop of
waits; `notify` and `notify_all` are steps (a multiprocessing notify waits, for real, until the
woken have woken: shown blocked on the condition meanwhile).

`threading.Barrier` and `multiprocessing.Barrier`: `wait` is a step, blocked until the last
party arrives (the last one's wait goes through at once); `abort` and `reset` are steps;
`parties`, `n_waiting` and `broken` are read from the real barrier.
"""

from __future__ import annotations

import _thread
import os
import threading
from typing import Any

from ipc_tui.engine.program import watched
from ipc_tui.engine.program.agent import here
from ipc_tui.engine.runtime import GRACE, current, step


def _listed(obj: watched.Watched, real: Any, what: str, frame: Any, suggested: str) -> None:
    """`_made` with the name given (the code's name is read once, for the condition)."""
    obj._real, obj.what = real, what
    obj.suggested = suggested
    obj.line = frame.f_lineno if frame is not None else 0
    where = os.path.basename(frame.f_code.co_filename) if frame is not None else "?"
    obj.where = f"{where}:{obj.line}"
    obj._ready()
    obj.name = here().made(obj)


def _nothing() -> None:
    return None


class WatchedCondition(watched.Watched):
    kind = "condition"

    def __init__(self, lock: Any, make_rlock: Any, make_cond: Any, mp: bool, frame: Any):
        name = watched.name_from_code(frame) or ""
        self._mp = mp
        if lock is None:  # its own RLock, named after it
            lock = watched.WatchedLock.__new__(watched.WatchedLock)
            _listed(lock, make_rlock(), "RLock", frame, f"{name}.lock" if name else "")
        self.lock = lock
        real = make_cond(lock._real)
        _listed(self, real, "Condition", frame, name)

    def _ready(self) -> None:
        self.shared = self._mp

    def details(self) -> dict:
        return {**super().details(), "lock": self.lock.name}

    def _state(self) -> dict:
        return {**super()._state(), "lock": self.lock, "_mp": self._mp}

    def peek(self) -> dict:
        """How many wait for a notify, as the real condition counts them."""
        real = self._real
        if self._mp:  # (asleep, minus those woken, minus the wakes not taken yet)
            waiting = (
                real._sleeping_count.get_value()
                - real._woken_count.get_value()
                - real._wait_semaphore.get_value()
            )
        else:
            waiting = len(real._waiters)
        return {"waiting": waiting}

    def shown(self, op: str, index: Any) -> Any:
        return self.peek()["waiting"]

    def __enter__(self) -> bool:
        return self.lock.__enter__()

    def __exit__(self, *exc: object) -> None:
        self.lock.__exit__(*exc)

    def acquire(self, *args: Any, **kwargs: Any) -> bool:
        return self.lock.acquire(*args, **kwargs)

    def release(self) -> None:
        self.lock.release()

    def _owned(self) -> bool:
        real = self.lock._real
        if self._mp:
            return real._semlock._is_mine()
        if hasattr(real, "_is_owned"):
            return real._is_owned()
        if real.acquire(False):  # (threading.Condition's own test for a plain Lock)
            real.release()
            return False
        return True

    # -- wait ------------------------------------------------------------------------------

    def wait(self, timeout: float | None = None) -> bool:
        if self._mp:
            return self._mp_wait(timeout)
        if not self._owned():
            raise RuntimeError("cannot wait on un-acquired lock")
        real, lock = self._real, self.lock
        waiter = _thread.allocate_lock()
        waiter.acquire()
        real._waiters.append(waiter)
        held = lock._real._recursion_count() if lock._reentrant else 1
        for _ in range(held):  # let the lock go wholly (an RLock taken twice: twice)
            lock.release()
        gotit = False
        try:

            def take(block: bool, t: float | None = None) -> bool:
                if not block:
                    return waiter.acquire(False)
                return waiter.acquire(True, -1 if t is None else t)

            gotit = bool(step("wait", self, take, (True, timeout), take=take, timeout=timeout))
            return gotit
        finally:
            for _ in range(held):
                lock.acquire()
            if not gotit:
                try:
                    real._waiters.remove(waiter)
                except ValueError:
                    pass

    def _mp_wait(self, timeout: float | None) -> bool:
        real, lock = self._real, self.lock
        assert real._lock._semlock._is_mine(), "must acquire() condition before using wait()"
        real._sleeping_count.release()
        held = real._lock._semlock._count()
        for _ in range(held):
            lock.release()
        try:

            def take(block: bool, t: float | None = None) -> bool:
                if not block:
                    return real._wait_semaphore.acquire(False)
                return real._wait_semaphore.acquire(True, t)

            return bool(step("wait", self, take, (True, timeout), take=take, timeout=timeout))
        finally:
            real._woken_count.release()
            for _ in range(held):
                lock.acquire()

    def wait_for(self, predicate: Any, timeout: float | None = None) -> Any:
        return threading.Condition.wait_for(self, predicate, timeout)  # type: ignore[arg-type]

    # -- notify ----------------------------------------------------------------------------

    def notify(self, n: int = 1) -> None:
        if not self._mp:
            if not self._owned():
                raise RuntimeError("cannot notify on un-acquired lock")
            step("notify", self, self._real.notify, (n,))
            return
        self._mp_notify(n, "notify")

    def notify_all(self) -> None:
        if not self._mp:
            if not self._owned():
                raise RuntimeError("cannot notify on un-acquired lock")
            step("notify_all", self, self._real.notify_all)
            return
        self._mp_notify(None, "notify_all")

    notifyAll = notify_all  # noqa: N815

    def _mp_notify(self, n: int | None, op: str) -> None:
        """multiprocessing's notify: wake up to `n` sleepers (None: all), then wait until they
        have woken (their wait goes on only when their worker steps: shown blocked here)."""
        real = self._real
        assert real._lock._semlock._is_mine(), "lock is not owned"
        woken = [None]  # sleepers woken, and still to wake (once the step has begun)

        def wake() -> int:
            assert not real._wait_semaphore.acquire(False), (
                "notify: Should not have been able to acquire _wait_semaphore"
            )
            while real._woken_count.acquire(False):
                res = real._sleeping_count.acquire(False)
                assert res, "notify: Bug in sleeping_count.acquire - res should not be False"
            sleepers = 0
            while (n is None or sleepers < n) and real._sleeping_count.acquire(False):
                real._wait_semaphore.release()
                sleepers += 1
            return sleepers

        def take(block: bool, t: float | None = None) -> bool:
            if woken[0] is None:
                woken[0] = wake()
            while woken[0]:
                if not real._woken_count.acquire(block, t):
                    return False
                woken[0] -= 1
            while real._wait_semaphore.acquire(False):  # (as the real one: timeouts' leftovers)
                pass
            return True

        step(op, self, take, (True,), take=take, then=_nothing)  # (notify returns None)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._real, name)


class WatchedBarrier(watched.Watched):
    kind = "barrier"

    def __init__(self, real: Any, mp: bool, frame: Any):
        self._mp = mp
        self._made(real, "Barrier", frame)

    def _ready(self) -> None:
        self.shared = self._mp

    def details(self) -> dict:
        return {**super().details(), "parties": self._real.parties}

    def _state(self) -> dict:
        return {**super()._state(), "_mp": self._mp}

    def peek(self) -> dict:
        real = self._real
        return {"parties": real.parties, "n_waiting": real.n_waiting, "broken": real.broken}

    def shown(self, op: str, index: Any) -> Any:
        return self._real.n_waiting

    def wait(self, timeout: float | None = None) -> int:
        real, box = self._real, []
        limit = real._timeout if timeout is None else timeout

        def take(block: bool, t: float | None = None) -> bool:
            # The last to arrive goes through at once; the others wait for it. (An arrival
            # cannot be taken back: running free, the moment's grace is not waited.)
            last = real.broken or real.n_waiting >= real.parties - 1
            if not last and (not block or (t is not None and t <= GRACE and t != limit)):
                return False
            box.append(real.wait(timeout))  # (BrokenBarrierError, as the real wait raises)
            return True

        def do(t: float | None) -> int:
            return real.wait(t)

        if current() is None:
            return real.wait(timeout)
        # (the step's result is the real wait's: the arrival's index, as the trace shows it)
        return step("wait", self, do, (timeout,), take=take, timeout=limit, then=box.pop)

    def abort(self) -> None:
        step("abort", self, self._real.abort)

    def reset(self) -> None:
        step("reset", self, self._real.reset)

    @property
    def parties(self) -> int:
        return self._real.parties

    @property
    def n_waiting(self) -> int:
        return self._real.n_waiting

    @property
    def broken(self) -> bool:
        return self._real.broken

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._real, name)


# -- the constructors the program calls --------------------------------------------------------


def threading_members() -> dict:
    def Condition(lock: Any = None) -> Any:  # noqa: N802
        if lock is not None and not isinstance(lock, watched.WatchedLock):
            return threading.Condition(lock)  # (a lock made where nobody watched: unwatched)
        return WatchedCondition(
            lock, threading.RLock, threading.Condition, False, watched._caller()
        )

    def Barrier(parties: int, action: Any = None, timeout: float | None = None) -> Any:  # noqa: N802
        return WatchedBarrier(threading.Barrier(parties, action, timeout), False, watched._caller())

    return {"Condition": Condition, "Barrier": Barrier}


def multiprocessing_members(real: Any) -> dict:
    def Condition(lock: Any = None) -> Any:  # noqa: N802
        if lock is not None and not isinstance(lock, watched.WatchedLock):
            return real.Condition(lock)  # (a lock made where nobody watched: unwatched)
        return WatchedCondition(lock, real.RLock, real.Condition, True, watched._caller())

    def Barrier(parties: int, action: Any = None, timeout: float | None = None) -> Any:  # noqa: N802
        return WatchedBarrier(real.Barrier(parties, action, timeout), True, watched._caller())

    return {"Condition": Condition, "Barrier": Barrier}
