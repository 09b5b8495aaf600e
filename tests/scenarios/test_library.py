"""Each scenario of the library shows its lesson: checked on the final state or the trace."""

import pytest

from ipc_tui.engine import find_scenario
from tests.conftest import MODES, run_to_end, step_randomly
from tests.engine.test_locks import holders_from_trace

SEEDS = [1, 2, 3]


def cells(session) -> dict:
    return {c.name: c.value for c in session.snapshot().cells}


@pytest.mark.parametrize("mode", MODES)
def test_critical_section_never_two_inside_and_nothing_lost(session_of, mode):
    s = session_of("critical-section", mode)
    s.run_schedule("MainThreadx2,w0,w1,w0,w1")  # the schedule that loses an update without the lock
    assert s.snapshot().worker("w1").blocked_on == "lock"
    run_to_end(s)
    assert cells(s)["counter"] == 6
    for seed in SEEDS:
        t = session_of("critical-section", mode)
        holders_from_trace(step_randomly(t, seed))  # fails on a second holder
        assert cells(t)["counter"] == 6


@pytest.mark.parametrize("mode", MODES)
def test_shared_value_each_write_overwrites_the_last(session_of, mode):
    s = session_of("shared-value", mode)
    s.run_schedule("MainThreadx3,w0*,w2*,w1*")  # main starts the three writers
    assert cells(s) == {"number": 2, "price": 2.5, "letter": b"b"}  # the last writer's
    writes = [e for e in s.drain_events() if e.kind == "step" and e.op == "write"]
    for name in ("number", "price", "letter"):
        mine = [e for e in writes if e.resource == name]
        assert len(mine) == 3
        for before, after in zip(mine, mine[1:], strict=False):
            assert after.before == before.after  # what the next write replaced


@pytest.mark.parametrize("mode", MODES)
def test_shared_array_from_a_list_a_size_and_bytes(session_of, mode):
    s = session_of("shared-array", mode)
    assert cells(s)["counts"] == (0, 0, 0)  # Array('i', 3): three zeros
    events = step_randomly(s, 1)
    assert cells(s)["squares"] == (0, 1, 4, 9, 16)
    assert cells(s)["counts"] == (1, 2, 3)
    assert b"".join(cells(s)["word"]) == b"Hello"
    said = [e.result for e in events if e.kind == "output"]
    assert said == ["b'Hello'", "squares [0, 1, 4, 9, 16] counts [1, 2, 3] word b'Hello'"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("seed", SEEDS)
def test_ping_pong_alternates_whatever_the_schedule(session_of, mode, seed):
    s = session_of("ping-pong", mode)
    step_randomly(s, seed)
    assert cells(s)["rally"] == (1, 2, 1, 2, 1, 2)


@pytest.mark.parametrize("mode", MODES)
def test_producer_consumer_blocks_when_full_and_when_empty(session_of, mode):
    s = session_of("producer-consumer", mode)
    s.run_schedule("MainThreadx2,consumer*")
    assert s.snapshot().worker("consumer").blocked_on == "buf.items"  # empty
    s.run_schedule("producer*")
    snap = s.snapshot()
    assert snap.worker("producer").blocked_on == "buf.slots"  # full, once the consumer took one
    assert snap.semaphore("buf.slots").value == 0
    for seed in SEEDS:
        t = session_of("producer-consumer", mode)
        step_randomly(t, seed)
        assert cells(t)["eaten"] == (1, 2, 3, 4, 5, 6)  # every item, in order, once


@pytest.mark.parametrize("mode", MODES)
def test_barrier_nobody_passes_before_all_arrive(session_of, mode):
    s = session_of("barrier", mode)
    s.run_schedule("MainThreadx3,r0*,r1*")  # main starts the runners; two arrive
    snap = s.snapshot()
    gate = "barrier.gate_in"
    assert snap.worker("r0").blocked_on == snap.worker("r1").blocked_on == gate
    s.run_schedule("r2*")  # the last one arrives: the turnstile lets everyone through
    snap = s.snapshot()
    assert snap.worker("r0").blocked_on != gate and snap.worker("r1").blocked_on != gate
    for seed in SEEDS:
        t = session_of("barrier", mode)
        step_randomly(t, seed)
        assert cells(t)["barrier.passed_after"] == 3


def test_every_scenario_has_its_lesson_in_english_and_chinese():
    from ipc_tui.engine import list_scenarios

    for info in list_scenarios():
        assert info.title and info.lesson, info.name
        assert info.title_zh and info.lesson_zh, info.name
        assert info.text("zh")[0] == info.title_zh
        assert find_scenario(info.name).path == info.path


@pytest.mark.parametrize("mode", MODES)
def test_deadlock_forms_a_named_cycle_and_the_global_order_fixes_it(session_of, mode):
    s = session_of("deadlock", mode)
    s.run_schedule("MainThreadx2,w0,w1,w0,w1")
    assert s.verdict().kind == "likely"  # main could still release a lock it does not hold
    s.run_schedule("MainThread")  # it waits to join w0: nobody can move
    assert s.verdict().kind == "deadlock"
    assert s.verdict().cycle == ("w0", "b", "w1", "a", "w0")
    fixed = session_of("deadlock", mode, "fixed")
    fixed.run_schedule("MainThreadx2,w0,w1,w0,w1")
    assert fixed.verdict().kind == "running"
    for seed in SEEDS:
        step_randomly(fixed, seed)
        assert cells(fixed)["moved"] == 2
        fixed.restart()
        assert fixed.wait_started(15) and fixed.wait_settled(10)


@pytest.mark.parametrize("mode", MODES)
def test_dining_philosophers_deadlock_by_stepping_and_the_fixed_variant(session_of, mode):
    everyone_left = ",".join(f"p{i}" for i in range(5))
    s = session_of("dining-philosophers", mode)
    s.run_schedule(f"MainThreadx5,{everyone_left},{everyone_left},MainThread")
    cycle = s.verdict().cycle
    assert s.verdict().kind == "deadlock" and len(cycle) == 11  # five of each, and p0 again
    states = {w.name: w.state for w in s.snapshot().workers}
    assert all(states[p] == "blocked" for p in everyone_left.split(","))
    fixed = session_of("dining-philosophers", mode, "fixed")
    fixed.run_schedule(f"MainThreadx5,{everyone_left},{everyone_left}")
    assert fixed.verdict().kind == "running"
    step_randomly(fixed, 1)
    assert cells(fixed)["meals"] == (2, 2, 2, 2, 2)


def step_until(session, worker: str, op: str, most: int = 100) -> None:
    """Step `worker` until the step it waits to take is `op` (e.g. "read book")."""
    for _ in range(most):
        if session.snapshot().worker(worker).op == op:
            return
        session.run_schedule(worker)
    raise AssertionError(f"{worker} never reached {op}")


def readers_while_writing(events) -> list[str]:
    """Reads of the book that happened while the writer held the room."""
    writing, wrong = False, []
    for e in events:
        if e.kind != "step":
            continue
        if e.worker == "writer" and e.resource == "room.empty":
            writing = e.op == "acquire" and bool(e.result)
        elif writing and e.resource == "room.book" and e.worker != "writer":
            wrong.append(e.worker)
    return wrong


@pytest.mark.parametrize("mode", MODES)
def test_readers_share_the_room_the_writer_is_alone_and_can_starve(session_of, mode):
    s = session_of("readers-writers", mode)
    s.run_schedule("MainThreadx3")  # main starts both readers and the writer
    step_until(s, "r0", "read room.book")  # r0 is in the room, about to read
    step_until(s, "r1", "read room.book")  # and r1 with it
    s.run_schedule("writer")
    snap = s.snapshot()
    assert snap.cell("room.readers_inside").value == 2
    assert snap.cell("room.most_readers").value == 2
    assert snap.worker("writer").blocked_on == "room.empty"
    # r0 leaves and comes back while r1 stays: the room never empties, the writer waits.
    s.run_schedule("r0")
    step_until(s, "r0", "read room.book")
    assert s.snapshot().worker("writer").blocked_on == "room.empty"
    for seed in SEEDS:
        t = session_of("readers-writers", mode)
        events = step_randomly(t, seed)
        assert readers_while_writing(events) == []
        assert cells(t)["room.book"] == 2


def test_process_basics_pid_only_after_start_and_exit_codes_after_join(session_of):
    s = session_of("process-basics", "process")
    snap = s.snapshot()  # main waits to take its start(): greeter is known, not started
    assert snap.worker("greeter").state == "new" and snap.worker("greeter").pid is None
    run_to_end(s)
    snap = s.snapshot()
    said = [e.result for e in s.drain_events() if e.kind == "output" and e.worker == "MainThread"]
    assert said[0] == "before start: greeter pid None alive False"
    assert said[1] == f"after start: pid {snap.worker('greeter').pid} alive True daemon False"
    assert said[2] == "exit codes: 0 0 alive False"
    counter = snap.worker("counter")
    assert counter.kind == "process" and counter.target == "Counter.run"
    assert (counter.exitcode, snap.worker("greeter").exitcode) == (0, 0)


@pytest.mark.parametrize("mode", MODES)
def test_lock_contention_shows_who_waited_and_for_how_long(session_of, mode):
    s = session_of("lock-contention", mode)
    s.run_schedule("MainThreadx3,w0,w1,w2")  # w0 holds the lock; w1 and w2 queue behind it
    s.run_schedule("w0x3")  # read, write, release: the lock goes to a waiter
    snap = s.snapshot()
    granted = snap.lock("lock").holder
    assert snap.worker(granted).waited > 0  # its wait ended, and it is counted
    assert snap.worker("w0").waited == 0  # w0 never waited
    step_randomly(s, 1)
    final = s.snapshot()
    assert final.worker("w1").waited > 0 and final.worker("w2").waited > 0


@pytest.mark.parametrize("mode", MODES)
def test_event_clear_re_arms_it(session_of, mode):
    s = session_of("event", mode)
    s.run_schedule("MainThreadx5,w0,w1,w3x3")  # two wait; w3 sleeps, sets, clears
    snap = s.snapshot()
    assert snap.worker("w0").state == snap.worker("w1").state == "done"  # released by set()
    assert not snap.event("go").is_set  # and re-armed by clear()
    s.run_schedule("w4x2")  # the latecomer sleeps, then waits: it blocks again
    assert s.snapshot().worker("w4").blocked_on == "go"
    run_to_end(s)
    assert cells(s)["late_gave_up"] == 1


def test_thread_basics_names_join_timeout_current_thread_and_daemon_cut_off(session_of):
    s = session_of("thread-basics", "thread")
    run_to_end(s)
    snap = s.snapshot()
    out = [(e.worker, e.result) for e in s.drain_events() if e.kind == "output"]
    # the standard library's default names: after the target, since Python 3.10
    assert ("MainThread", "names: Thread-1 (work) Thread-2 (tick) daemon: False True") in out
    assert ("Thread-1", "I am Thread-1 (work)") in out  # current_thread() inside the worker
    assert ("greeter", "hello, class") in out  # the Thread subclass's run()
    assert ("MainThread", "after join(0.05): worker alive? True") in out  # join gave up
    assert ("MainThread", "main is MainThread - ticker.isDaemon(): True") in out
    assert [w.name for w in snap.workers] == ["MainThread", "Thread-1", "ticker", "greeter"]
    assert snap.worker("greeter").target == "Greeter.run"
    assert snap.worker("Thread-1").state == "done"  # the non-daemon one was waited for
    assert snap.worker("ticker").state == "cut off" and snap.worker("ticker").daemon
    globals_ = {c.name: (c.what, c.value) for c in snap.cells}  # the notes' plain globals
    assert globals_["done"] == ("global", 1) and globals_["ticks"][0] == "global"


@pytest.mark.parametrize("name", ["race-condition", "critical-section"])
def test_in_thread_mode_the_counter_is_a_plain_global_in_process_mode_a_value(session_of, name):
    for mode, what in (("thread", "global"), ("process", "Value")):
        s = session_of(name, mode)
        s.run_schedule("MainThreadx2,w0,w1")
        cell = s.snapshot().cell("counter")
        assert (cell.what, cell.value) == (what, 0), mode
        assert ("global counter" in s.info.source) == (mode == "thread")


def test_threads_share_the_process_and_its_globals_processes_do_not(session_of):
    s = session_of("threads-vs-processes", "program")
    run_to_end(s)
    snap = s.snapshot()
    said = [(e.worker, e.result) for e in s.drain_events() if e.kind == "output"]
    main_pid = snap.worker("MainThread").pid
    kinds = {w.name: (w.kind, w.pid) for w in snap.workers}
    assert kinds["Thread-1"] == kinds["Thread-2"] == ("thread", main_pid)  # one process
    pids = {kinds["Process-1"][1], kinds["Process-2"][1], main_pid}
    assert len(pids) == 3 and kinds["Process-1"][0] == "process"  # a process each
    assert ("MainThread", "main sees hits = 2 (threads' increments only)") in said
    assert ("MainThread", "main sees shared_hits = 4 (everyone's)") in said
    assert sum("took" in text for who, text in said if who == "MainThread") == 4
    # a process gets a copy of the global as it was when it started (under fork: both
    # threads' increments), and its own increment stays in its copy
    mine = [text for who, text in said if who.startswith("Process")]
    assert len(mine) == 2 and all(text.startswith("process: pid") for text in mine)


def every_scenario_and_mode():
    from ipc_tui.engine import list_scenarios

    return [(info.name, mode) for info in list_scenarios() for mode in info.modes]


@pytest.mark.parametrize("name, mode", every_scenario_and_mode())
def test_every_scenario_runs_to_its_end_running_free(session_of, name, mode):
    import time

    s = session_of(name, mode)
    s.run()
    deadline = time.monotonic() + 30
    while (
        not s.finished() and not s.verdict().certain
    ):  # a deadlock scenario may deadlock: reported
        assert time.monotonic() < deadline, s.snapshot().workers
        time.sleep(0.01)
    failed = [w for w in s.snapshot().workers if w.state == "failed"]
    if name in ("race-condition", "global-race"):  # running free, updates may be lost (as
        # processes, global-race's main sees its own copy): the assert says so
        failed = [w for w in failed if "AssertionError: counter is" not in (w.error or "")]
    assert not [w.name for w in failed]


def test_global_race_loses_an_update_between_load_and_store_and_the_lock_fixes_it(session_of):
    s = session_of("global-race", "thread")
    s.run_schedule("MainThreadx2,w0:ix2,w1x2,w0:ix2")  # the lesson's: w0 loads, w1 whole, w0 stores
    steps = [(e.worker, e.op, e.after) for e in s.drain_events() if e.kind == "step"]
    assert ("w1", "write", 1) in steps and ("w0", "STORE_GLOBAL", 1) in steps
    assert cells(s)["counter"] == 1  # two additions, one left
    assert [c.what for c in s.snapshot().cells] == ["global"]
    run_to_end(s)
    w = s.snapshot().worker("MainThread")
    assert w.state == "failed" and "AssertionError: counter is" in w.error

    t = session_of("global-race", "thread", "locked")
    t.run_schedule("MainThreadx2,w0:ix4,w1")  # w0 inside the lock, halfway through; w1 waits
    assert t.snapshot().worker("w1").blocked_on == "lock"
    run_to_end(t)
    assert cells(t)["counter"] == 6


def test_global_race_as_processes_each_has_its_own_copy(session_of):
    s = session_of("global-race", "process")
    run_to_end(s)
    assert cells(s) == {"counter": 0, "counter@w0": 3, "counter@w1": 3}
