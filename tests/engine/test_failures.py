"""A worker that raises is shown, not fatal; a run that cannot progress names who waits for what."""

import pytest

from tests.conftest import MODES, run_to_end
from tests.sources import DEADLOCK, RAISES


@pytest.mark.parametrize("mode", MODES)
def test_a_worker_that_raises_fails_alone_with_its_traceback(session_of, scenario_file, mode):
    s = session_of(scenario_file(RAISES), mode)
    run_to_end(s)
    snap = s.snapshot()
    bad, good = snap.worker("w0"), snap.worker("w1")
    assert bad.state == "failed" and good.state == "done"
    assert "KeyError: 'missing'" in bad.error and 'return {}["missing"]' in bad.error
    if mode == "process":
        assert (bad.exitcode, good.exitcode) == (1, 0)
    failed = [e for e in s.drain_events() if e.kind == "failed"]
    assert [e.worker for e in failed] == ["w0"] and "KeyError" in failed[0].result


@pytest.mark.parametrize("mode", MODES)
def test_a_deadlock_is_reported_as_who_waits_for_what(session_of, scenario_file, mode):
    s = session_of(scenario_file(DEADLOCK), mode)
    s.run_schedule("w0,w1,w0,w1")
    assert s.verdict().waits == (
        "w0 waits for b, a lock held by w1",
        "w1 waits for a, a lock held by w0",
    )
