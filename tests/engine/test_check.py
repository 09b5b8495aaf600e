"""A scenario's check(): the lost update named in plain words when the run ends."""

import json
from pathlib import Path

import pytest

from ipc_tui.engine.check import Checked
from tests.conftest import MODES, example, run_cli, run_to_end


def checked_after(session) -> Checked:
    run_to_end(session)
    assert session.wait_checked(10), "the check never ran"
    return session.snapshot().checked


@pytest.mark.parametrize("mode", MODES)
def test_the_lost_update_is_named_when_the_run_ends(session_of, mode):
    s = session_of(example("race-condition"), mode)
    assert s.snapshot().checked is None  # not before the end
    s.run_schedule("w0,w1,w0,w1,w0*,w1*")  # one update lost, then the rest one after the other
    assert checked_after(s) == Checked(False, "counter is 5, expected 6: 1 update(s) lost")
    t = session_of(example("race-condition"), mode)
    t.run_schedule("w0*,w1*")
    assert checked_after(t) == Checked(True, "counter.value == 6")


def test_under_a_lock_the_same_schedule_holds(session_of):
    s = session_of(example("critical-section"), "process")
    s.run_schedule("w0,w1,w0,w1")
    assert checked_after(s).held


def test_a_bare_assert_says_its_condition_and_a_broken_check_says_so(session_of, scenario_file):
    source = """
        from ipc_tui.scenario import Process, Value
        n = Value("i", 0)

        def bump():
            n.value += 1

        def check():
            assert n.value == 1
            assert n.value == 2
        Process(target=bump)
        """
    s = session_of(scenario_file(source), "thread")
    assert checked_after(s) == Checked(False, "n.value == 2 does not hold")
    broken = source.replace("assert n.value == 2", "assert n.missing")
    s = session_of(scenario_file(broken, "broken.py"), "thread")
    says = checked_after(s).says
    assert says.startswith("check() raised AttributeError") and "missing" in says


def test_no_check_no_verdict(session_of, scenario_file):
    s = session_of(
        scenario_file(
            """
            from ipc_tui.scenario import Process, Value
            n = Value("i", 0)
            def bump():
                n.value += 1
            Process(target=bump)
            """
        ),
        "thread",
    )
    run_to_end(s)
    assert s.wait_checked(1) and s.snapshot().checked is None


def test_headless_says_it_and_exits_1_when_the_check_fails():
    lossy = "w0,w1,w0,w1,w0*,w1*"
    done = run_cli("--headless", "--scenario", example("race-condition"), "--schedule", lossy)
    assert done.returncode == 1, done.stderr
    assert "NOT AS EXPECTED: counter is 5, expected 6: 1 update(s) lost" in done.stdout
    done = run_cli(
        "--headless", "--scenario", example("critical-section"), "--schedule", "w0,w1,w0,w1"
    )
    assert done.returncode == 0, done.stderr
    assert "AS EXPECTED: counter.value == 6" in done.stdout
    done = run_cli(
        "--headless", "--json", "--scenario", example("race-condition"), "--schedule", "w0*,w1*"
    )
    final = json.loads(done.stdout.splitlines()[-1])["final"]
    assert final["check"] == {"held": True, "says": "counter.value == 6"}


@pytest.mark.parametrize("mode", MODES)
def test_a_run_stopped_by_closing_it_is_not_checked(session_of, mode):
    # Closed mid-run, its workers end (stopped): the run did not end, so nothing is checked
    # (a check then ran on a thread of its own and raced the next restart's lock).
    s = session_of(example("race-condition"), mode)
    s.run_schedule("w0,w1,w0")
    s.close()
    assert not s.wait_checked(0.5) and s.snapshot().checked is None


def test_parsing_from_two_threads_at_once_never_fails():
    """CI failed once with `SystemError: AST constructor recursion depth mismatch`: a run's
    check() read its asserts on a thread while the next run's scenario was being read. CPython
    3.11 keeps the AST builder's depth per interpreter; a finalizer run by the garbage collector
    in the middle of a parse lets another thread parse too. Our parses take turns."""
    import sys
    import threading

    from ipc_tui.engine.source import parse

    source = (Path(__file__).parents[2] / "scenarios" / "producer-consumer.py").read_text()
    errors: list[BaseException] = []

    class Garbage:
        def __del__(self):  # Python code run by the collector: a chance to switch threads
            sum(range(50))

    def make_garbage():
        for _ in range(20000):
            a, b = Garbage(), Garbage()
            a.other, b.other = b, a

    def parse_often():
        try:
            for _ in range(200):
                parse(source)
        except SystemError as exc:
            errors.append(exc)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=parse_often) for _ in range(2)]
        threads.append(threading.Thread(target=make_garbage))
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        sys.setswitchinterval(interval)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
