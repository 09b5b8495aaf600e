"""CPython's own tests of its locks (`test.lock_tests`), run against the watched primitives.

A watched primitive must behave as the one it wraps: these are the tests CPython runs on
`threading`'s, run twice. Outside any worker each operation is the real one, through the same
wrappers a program's worker steps through. Then the test's own thread is a worker running free,
as a program's thread is after `f`: each of its operations is a step (`runtime.step`: tried at
once, a short grace, then reported as blocked and waited for for real), reported to a list
instead of a session, with and without summaries. (The helper threads the tests start are not
workers: theirs are the real operations.) What is skipped, and why, is listed below.
"""

from __future__ import annotations

import threading
import time
import unittest

import pytest

from ipc_tui.engine import runtime
from ipc_tui.engine.program import watched

lock_tests = pytest.importorskip(
    "test.lock_tests", reason="this Python has no test package (Debian: python3-test)"
)

SKIPPED = {
    # (none yet: every test of the five classes runs)
}


class InAWorker:
    """The test's thread as a worker running free (summaries on or off), its reports kept."""

    summary = 1

    def setUp(self):
        super().setUp()
        flags = [0] * runtime.FLAGS
        flags[runtime.FREE], flags[runtime.SUMMARY] = 1, self.summary
        self.reports: list[tuple] = []
        gate = threading.Semaphore(0)
        rt = runtime.Runtime("<test>", gate, flags, self.reports.append, time.sleep)
        self._outside, runtime._local.runtime = runtime._local.runtime, rt

    def tearDown(self):
        rt, runtime._local.runtime = runtime._local.runtime, self._outside
        if rt.steps or rt.unsaid:
            rt.flush()
        super().tearDown()


PRIMITIVES = [
    (lock_tests.LockTests, "locktype", watched.thread_lock),
    (lock_tests.RLockTests, "locktype", watched.thread_rlock),
    (lock_tests.EventTests, "eventtype", watched.thread_event),
    (lock_tests.SemaphoreTests, "semtype", watched.thread_semaphore),
    (lock_tests.BoundedSemaphoreTests, "semtype", watched.thread_bounded_semaphore),
]

for _base, _attr, _make in PRIMITIVES:
    _name = _base.__name__.removesuffix("Tests")
    for _where, _mixins, _summary in (
        ("", (), 1),
        ("InAWorker", (InAWorker,), 1),
        ("InAWorkerUnsummarised", (InAWorker,), 0),
    ):
        _class = f"TestWatched{_name}{_where}"
        globals()[_class] = type(
            _class, (*_mixins, _base), {_attr: staticmethod(_make), "summary": _summary}
        )

del _base, _attr, _make, _name, _where, _mixins, _summary, _class  # (not tests themselves)


def test_in_a_worker_each_operation_is_a_step_and_says_so():
    """The adapter can fail: the test's thread really went through the step model."""
    for where, kind in (("InAWorkerUnsummarised", "Done"), ("InAWorker", "Summary")):
        test = globals()[f"TestWatchedLock{where}"]("test_acquire_release")
        result = unittest.TestResult()
        test.run(result)
        assert result.wasSuccessful(), result.errors + result.failures
        said = [type(r).__name__ for r in test.reports]
        assert kind in said, said
        if kind == "Done":
            assert [r.op for r in test.reports] == ["acquire", "release"]
