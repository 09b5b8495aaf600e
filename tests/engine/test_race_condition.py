"""The lesson of race-condition: `counter.value += 1` is a read and a write, so updates get lost."""

import pytest

from tests.conftest import MODES, example, run_to_end


@pytest.mark.parametrize("mode", MODES)
def test_interleaved_schedule_loses_an_update_every_time(session_of, mode):
    for _ in range(3):  # deterministic: the same schedule loses the same update every run
        s = session_of(example("race-condition"), mode)
        s.run_schedule("w0,w1,w0,w1")
        assert s.snapshot().cell("counter").value == 1  # two increments, one survived
        run_to_end(s)
        interleaved = s.snapshot().cell("counter").value

        t = session_of(example("race-condition"), mode)
        t.run_schedule("w0*,w1*")
        run_to_end(t)
        serial = t.snapshot().cell("counter").value

        assert serial == 6  # 2 workers x 3 increments, one after the other: nothing lost
        assert interleaved < serial


@pytest.mark.parametrize("mode", MODES)
def test_the_trace_shows_read_read_write_write(session_of, mode):
    s = session_of(example("race-condition"), mode)
    s.run_schedule("w0,w1,w0,w1")
    steps = [(e.worker, e.op, e.before, e.after) for e in s.drain_events() if e.kind == "step"]
    assert steps == [
        ("w0", "read", 0, 0),
        ("w1", "read", 0, 0),
        ("w0", "write", 0, 1),
        ("w1", "write", 1, 1),  # w1 overwrote w0's 1 with its own stale 0 + 1
    ]
