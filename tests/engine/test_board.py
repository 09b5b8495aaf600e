"""The board as a reducer: sequences of reports in, the state a front-end draws out. No worker
runs here: the reports are written by hand, and the primitives are real but idle (threading's),
held or released by the test itself where a report says a worker did so."""

import threading
from multiprocessing import sharedctypes

import pytest

from ipc_tui.engine import reports as r
from ipc_tui.engine.board import Board, WorkerRecord
from ipc_tui.engine.declare import Declarations, declaring
from ipc_tui.engine.primitives import Event, Lock, Semaphore, Value
from ipc_tui.engine.snapshot import State


def create(kind, spec):
    if kind == "Value":
        return sharedctypes.Value(*spec, lock=threading.RLock())
    return getattr(threading, kind)(*spec)


@pytest.fixture
def board():
    decl = Declarations("/lesson.py", create, None)
    with declaring(decl):
        resources = {
            "lock": Lock(),
            "other": Lock(),
            "slots": Semaphore(2),
            "items": Semaphore(0),
            "go": Event(),
            "n": Value("i", 0),
        }
    for name, res in resources.items():
        res.name = name
    b = Board("lesson", "/lesson.py", "thread", list(resources.values()))
    for i, name in enumerate(("w0", "w1", "w2")):
        w = WorkerRecord(name, i, "thread", False, "work", 1, thread_alive=lambda: True)
        b.add(w)
        b.launched(w, False)
    b.real = resources
    return b


def w(board, name):
    return board.worker_named(name)


def done(board, worker, seq, op, res, result=None, t0=1.0, t1=1.0, before=None, after=None):
    board.apply(w(board, worker), r.Done(seq, op, res, None, before, after, result, 3, t0, t1))


def test_a_gate_then_a_step_moves_the_worker_and_bumps_the_version(board):
    v = board.version
    board.apply(w(board, "w0"), r.AtGate(1, "acquire", "lock", None, 7))
    assert w(board, "w0").state == State.READY and w(board, "w0").op == "acquire lock"
    assert w(board, "w0").at_gate and w(board, "w0").line == 7
    board.opened(w(board, "w0"))
    assert w(board, "w0").state == State.RUNNING and not w(board, "w0").at_gate
    board.real["lock"].real.acquire()
    done(board, "w0", 1, "acquire", "lock", True)
    assert board.version == v + 3  # every change a front-end could draw
    snap = board.snapshot()
    assert snap.lock("lock").holder == "w0" and snap.worker("w0").holds == ("lock",)
    assert [e.op for e in board.drain()] == ["acquire"]


def test_an_acquire_reported_before_the_release_that_allowed_it_keeps_its_holder(board):
    done(board, "w0", 1, "acquire", "lock", True, t0=1.0, t1=1.1)
    # w0 releases at 2.0; w1's acquire (ended 2.1) reaches the board first
    done(board, "w1", 1, "acquire", "lock", True, t0=1.5, t1=2.1)
    done(board, "w0", 2, "release", "lock", t0=2.0, t1=2.05)
    assert board.tallies["lock"].holder == "w1"
    events = board.drain()  # in time order: the release (placed where it began) first
    assert [(e.worker, e.op) for e in events] == [
        ("w0", "acquire"),
        ("w0", "release"),
        ("w1", "acquire"),
    ]
    assert events[-1].holding == ("w1",)


def test_a_semaphore_permit_given_back_by_another_worker(board):
    done(board, "w0", 1, "acquire", "slots", True)
    done(board, "w0", 2, "acquire", "slots", True)
    assert board.tallies["slots"].holders == ["w0", "w0"]
    done(board, "w1", 1, "release", "slots")  # a consumer gives back a place it never took
    assert board.tallies["slots"].holders == ["w0"]
    done(board, "w0", 3, "release", "items")  # a signal: nobody took a permit of items
    done(board, "w1", 2, "acquire", "items", True)  # ... and the consumer takes that one
    assert board.tallies["items"].holders == [] and board.tallies["items"].spare == 0


def test_a_block_is_a_wait_with_its_deadline_until_the_step_ends(board):
    board.apply(w(board, "w1"), r.Blocked(1, "wait", "go", 0.5, 10.0, 4))
    snap = board.snapshot()
    assert snap.worker("w1").state == State.BLOCKED and snap.worker("w1").blocked_on == "go"
    assert snap.event("go").waiters[0].deadline == 10.5
    done(board, "w1", 1, "wait", "go", False, t0=9.9, t1=10.5)
    snap = board.snapshot()
    assert snap.event("go").waiters == () and snap.worker("w1").waited == pytest.approx(0.5)


def test_a_summary_says_where_a_free_run_is_and_what_it_holds(board):
    board.real["lock"].real.acquire()
    board.apply(
        w(board, "w0"),
        r.Summary(
            40,
            39,
            {"lock": 1},
            {"lock": (10, 9), "slots": (5, 5)},
            ("read", "n", None),
            5,
            2.0,
            1.5,
        ),
    )
    snap = board.snapshot()
    assert snap.worker("w0").steps == 40 and snap.lock("lock").holder == "w0"
    assert board.tallies["slots"].holders == []  # five taken, five given back
    (event,) = board.drain()
    assert (event.kind, event.result, event.holding) == ("summary", 39, ("w0",))
    assert event.t == pytest.approx(1.5 - board.t0)  # where its first step began


def test_a_worker_cut_off_stays_cut_off_whatever_it_still_says(board):
    board.cut(w(board, "w2"), 3.0)
    board.apply(w(board, "w2"), r.AtGate(5, "read", "n", None, 9))
    board.apply(w(board, "w2"), r.Stopped())
    assert w(board, "w2").state == State.CUT_OFF and not w(board, "w2").live


@pytest.mark.parametrize(
    "exitcode, news, state, error",
    [
        (-9, True, State.KILLED, "killed by SIGKILL"),
        (1, True, State.FAILED, "the process ended with exit code 1"),
        (-15, False, State.RUNNING, None),  # the session ended it itself: no news
    ],
)
def test_a_process_reaped_without_a_word(board, exitcode, news, state, error):
    worker = w(board, "w0")
    worker.kind = "process"
    v = board.version
    board.reaped(worker, exitcode, news)
    assert board.version > v and worker.ended and not worker.alive
    assert (worker.state, worker.error, worker.exitcode) == (state, error, exitcode)


def test_a_stopped_worker_shows_as_done(board):
    board.apply(w(board, "w0"), r.Stopped())
    assert w(board, "w0").state == State.STOPPED
    assert board.snapshot().worker("w0").state == "done"


def test_two_holders_waiting_for_each_other_are_a_deadlock_once_nobody_else_runs(board):
    lock, other = board.real["lock"].real, board.real["other"].real
    lock.acquire()
    other.acquire()
    done(board, "w0", 1, "acquire", "lock", True)
    done(board, "w1", 1, "acquire", "other", True)
    board.apply(w(board, "w0"), r.Blocked(2, "acquire", "other", None, 2.0, 5))
    board.apply(w(board, "w1"), r.Blocked(2, "acquire", "lock", None, 2.0, 6))
    board.apply(w(board, "w2"), r.AtGate(1, "read", "n", None, 8))  # w2 could still run
    verdict = board.snapshot().verdict
    assert verdict.kind == "likely" and verdict.free == ("w2",)
    board.apply(w(board, "w2"), r.Finished(3.0))
    verdict = board.snapshot().verdict
    assert verdict.kind == "deadlock" and verdict.cycle == ("w0", "other", "w1", "lock", "w0")
