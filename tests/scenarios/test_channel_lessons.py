"""The lessons of message-queue, pipe and condition happen, in both modes: blocking on a full
and an empty queue with the items in transit in order; messages in flight each way through a
pipe; a condition's wait letting its lock go and taking it back after the notify."""

import pytest

from tests.conftest import MODES, step_randomly

SEEDS = [1, 2]


def printed(events) -> list[str]:
    return [e.result for e in events if e.kind == "output"]


@pytest.mark.parametrize("mode", MODES)
def test_message_queue_blocks_when_full_and_when_empty(session_of, mode):
    s = session_of("message-queue", mode)
    s.run_schedule("MainThreadx2,producer*")  # 1 and 2 in transit; the put of 3 waits
    snap = s.snapshot()
    jobs = snap.queue("jobs")
    assert (jobs.size, jobs.full, jobs.items, jobs.putters) == (2, True, ("1", "2"), ("producer",))
    assert snap.worker("producer").blocked_on == "jobs" and snap.verdict.kind == "running"
    s.step("consumer")  # it gets 1: the producer's 3 goes in
    assert s.wait_settled(10)
    jobs = s.snapshot().queue("jobs")
    assert (jobs.items, jobs.putters) == (("2", "3"), ())
    t = session_of("message-queue", mode)
    t.run_schedule("MainThreadx2,consumer*")  # nothing put yet: the get waits
    jobs = t.snapshot().queue("jobs")
    assert (jobs.empty, jobs.getters) == (True, ("consumer",))
    for seed in SEEDS:  # whatever the order, everything comes out, in order, once
        u = session_of("message-queue", mode)
        assert printed(step_randomly(u, seed))[-1] == "got [1, 2, 3, 4, 5]"


@pytest.mark.parametrize("mode", MODES)
def test_pipe_carries_messages_each_way_and_recv_waits_for_them(session_of, mode):
    s = session_of("pipe", mode)
    s.run_schedule("MainThreadx3")  # start, send "ping", recv: nothing in flight toward it
    snap = s.snapshot()
    pipe = snap.pipe("parent_end")
    assert pipe.flight == ((), ("'ping'",)) and pipe.receivers == (("MainThread",), ())
    assert snap.worker("MainThread").blocked_on == "parent_end"
    s.run_schedule("childx2")  # it receives "ping" and sends "PING": main's recv takes it
    snap = s.snapshot()
    assert snap.pipe("parent_end").flight == ((), ()) and snap.worker("MainThread").state == "ready"
    for seed in SEEDS:
        u = session_of("pipe", mode)
        assert printed(step_randomly(u, seed))[-1] == "the parent heard ['PING', 'PONG']"


@pytest.mark.parametrize("mode", MODES)
def test_condition_wait_lets_the_lock_go_and_takes_it_back(session_of, mode):
    s = session_of("condition", mode)
    s.run_schedule("MainThreadx2,eater*")
    snap = s.snapshot()
    assert snap.conditions[0].waiters == ("eater",)
    assert snap.lock("kitchen.lock").holder is None  # let go while it waits
    s.run_schedule("cookx4,eater")  # notified; taking the lock back waits for the cook
    snap = s.snapshot()
    assert snap.conditions[0].waiters == () and snap.worker("eater").blocked_on == "kitchen.lock"
    assert snap.lock("kitchen.lock").holder == "cook"
    for seed in SEEDS:
        u = session_of("condition", mode)
        assert printed(step_randomly(u, seed))[-1] == "eaten 3 left 0"
