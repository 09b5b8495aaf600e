"""CPython's own tests of its locks (`test.lock_tests`), run against the watched primitives.

A watched primitive must behave as the one it wraps: these are the tests CPython runs on
`threading`'s. Outside any worker (as here) each operation is the real one, through the same
wrappers a program's worker steps through. What is skipped, and why, is listed below.
"""

from __future__ import annotations

import pytest

from ipc_tui.engine.program import watched

lock_tests = pytest.importorskip(
    "test.lock_tests", reason="this Python has no test package (Debian: python3-test)"
)

SKIPPED = {
    # (none yet: every test of the five classes runs)
}


class TestWatchedLock(lock_tests.LockTests):
    locktype = staticmethod(watched.thread_lock)


class TestWatchedRLock(lock_tests.RLockTests):
    locktype = staticmethod(watched.thread_rlock)


class TestWatchedEvent(lock_tests.EventTests):
    eventtype = staticmethod(watched.thread_event)


class TestWatchedSemaphore(lock_tests.SemaphoreTests):
    semtype = staticmethod(watched.thread_semaphore)


class TestWatchedBoundedSemaphore(lock_tests.BoundedSemaphoreTests):
    semtype = staticmethod(watched.thread_bounded_semaphore)
