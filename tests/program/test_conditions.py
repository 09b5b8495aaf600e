"""Conditions and barriers in plain programs: a wait lets the lock go, waits for a notify, and
takes the lock back, each a step; a barrier's wait blocks until the last party arrives; the
snapshot says who waits where, and the verdict calls a wait stuck only when nobody can end it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest

from tests.program.conftest import run_free


def output(s) -> list[str]:
    return [e.result for e in s.drain_events() if e.kind == "output"]


def settle(s) -> None:
    assert s.wait_settled(10), s.snapshot().workers


def until(s, kind: str, wait: float = 10) -> None:
    deadline = time.monotonic() + wait
    while s.snapshot().verdict.kind != kind:
        assert time.monotonic() < deadline, s.snapshot().verdict
        time.sleep(0.02)


KITCHEN = """\
    import {module} as lib
    from multiprocessing import Value

    def eat(meals, kitchen):
        with kitchen:
            kitchen.wait_for(lambda: meals.value > 0)
            meals.value -= 1

    def cook(meals, kitchen):
        with kitchen:
            meals.value += 1
            kitchen.notify()

    if __name__ == "__main__":
        kitchen = lib.Condition()
        meals = Value("i", 0)
        eater = lib.{worker}(target=eat, args=(meals, kitchen), name="eater")
        chef = lib.{worker}(target=cook, args=(meals, kitchen), name="cook")
        eater.start()
        chef.start()
        eater.join()
        chef.join()
        print("left", meals.value)
"""


@pytest.mark.parametrize(
    "module, worker, method",
    [
        ("threading", "Thread", None),
        ("multiprocessing", "Process", "fork"),
        ("multiprocessing", "Process", "spawn"),
    ],
)
def test_a_wait_lets_the_lock_go_and_a_notify_hands_it_back_through_the_lock(
    program, module, worker, method
):
    s = program(KITCHEN.format(module=module, worker=worker), method)
    s.run_schedule("MainThreadx2,eater*")  # acquire, read, release, wait: blocked
    settle(s)
    snap = s.snapshot()
    cond = snap.conditions[0]
    assert (cond.name, cond.lock, cond.waiters, cond.waiting) == (
        "kitchen",
        "kitchen.lock",
        ("eater",),
        1,
    )
    assert snap.lock("kitchen.lock").holder is None  # let go while it waits
    steps = [(e.op, e.resource) for e in s.drain_events() if e.worker == "eater"]
    assert steps[-3:] == [("read", "meals"), ("release", "kitchen.lock"), ("wait", "kitchen")]
    assert snap.verdict.kind == "running"  # the cook can notify
    s.run_schedule("cookx4")  # acquire, read, write, notify: the eater's wait is over
    settle(s)
    snap = s.snapshot()
    assert snap.conditions[0].waiters == () and snap.worker("eater").state == "ready"
    s.step("eater")  # it takes the lock back: the cook still holds it
    settle(s)
    snap = s.snapshot()
    assert snap.worker("eater").blocked_on == "kitchen.lock"
    assert snap.lock("kitchen.lock").waiters == ("eater",)
    run_free(s)
    assert output(s) == ["left 0"]


def test_a_multiprocessing_notify_waits_until_the_woken_has_woken(program):
    s = program(KITCHEN.format(module="multiprocessing", worker="Process"))
    s.run_schedule("MainThreadx2,eaterx3,cookx4")  # the eater is at its gate, about to wait
    settle(s)
    snap = s.snapshot()
    assert snap.conditions[0].notifiers == ("cook",)
    assert snap.worker("cook").blocked_on == "kitchen"
    assert snap.verdict.kind == "running"  # the eater's step lets it go
    s.step("eater")
    settle(s)
    snap = s.snapshot()
    assert snap.conditions[0].notifiers == () and snap.worker("cook").state == "ready"


def test_a_wait_nobody_notifies_is_stuck_and_says_so(program):
    s = program(
        """\
        import threading

        cond = threading.Condition()

        if __name__ == "__main__":
            with cond:
                cond.wait()
        """
    )
    s.run()
    until(s, "stuck")
    assert s.snapshot().verdict.waits == (
        "MainThread waits in cond.wait() for a notify nobody is left to give",
    )


@pytest.mark.parametrize(
    "module, worker, method",
    [("threading", "Thread", None), ("multiprocessing", "Process", "spawn")],
)
def test_a_barrier_holds_each_party_until_the_last_arrives(program, module, worker, method):
    s = program(
        f"""\
        import {module} as lib

        def run(gate):
            gate.wait()

        if __name__ == "__main__":
            gate = lib.Barrier(3)
            ws = [lib.{worker}(target=run, args=(gate,), name=f"w{{k}}") for k in range(3)]
            for w in ws:
                w.start()
            for w in ws:
                w.join()
            print("through", gate.n_waiting, gate.broken)
        """,
        method,
    )
    s.run_schedule("MainThreadx3,w0,w1")
    settle(s)
    snap = s.snapshot()
    gate = snap.barriers[0]
    assert (gate.parties, gate.n_waiting, gate.broken, gate.waiters) == (3, 2, False, ("w0", "w1"))
    assert snap.worker("w0").blocked_on == "gate" and snap.verdict.kind == "running"
    s.step("w2")  # the last one: nobody waits any more
    settle(s)
    snap = s.snapshot()
    assert snap.barriers[0].n_waiting == 0 and snap.barriers[0].waiters == ()
    assert all(snap.worker(f"w{k}").state == "done" for k in range(3))
    run_free(s)
    assert output(s) == ["through 0 False"]


def test_a_barrier_a_party_never_reaches_is_stuck(program):
    s = program(
        """\
        import threading

        gate = threading.Barrier(3)

        if __name__ == "__main__":
            w = threading.Thread(target=gate.wait, name="w0")
            w.start()
            gate.wait()
        """
    )
    s.run()
    until(s, "stuck")
    waits = s.snapshot().verdict.waits
    assert "w0 waits at gate, a barrier of 3 parties where 2 have arrived" in waits


ANSWERS = """\
    import multiprocessing
    import threading

    if __name__ == "__main__":
        c = threading.Condition()
        for call in (c.wait, c.notify, c.notify_all):
            try:
                call()
            except RuntimeError as e:
                print("refused:", e)
        with c:
            print("timed out", c.wait(0.01), c.wait_for(lambda: 7, 0.01))
            print("never", c.wait_for(lambda: 0, 0.01))
        m = multiprocessing.Condition()
        try:
            m.notify()
        except AssertionError as e:
            print("refused:", e)
        with m:
            print("mp timed out", m.wait(0.01))
            m.notify_all()
        b = threading.Barrier(1)
        print("alone", b.wait(), b.parties, b.n_waiting, b.broken)
        b2 = threading.Barrier(2, timeout=0.02)
        try:
            b2.wait()
        except threading.BrokenBarrierError:
            print("timed out, broken:", b2.broken)
        b2.reset()
        print("reset, broken:", b2.broken)
        b2.abort()
        try:
            b2.wait()
        except threading.BrokenBarrierError:
            print("aborted")
        mb = multiprocessing.Barrier(1, action=lambda: print("action"))
        print("mp alone", mb.wait(), mb.parties)
"""


def test_conditions_and_barriers_answer_as_under_plain_python(program, tmp_path):
    path = tmp_path / "answers.py"
    path.write_text(textwrap.dedent(ANSWERS))
    plain = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=60)
    assert plain.returncode == 0, plain.stderr
    s = program(ANSWERS)
    run_free(s, 30)
    said = output(s)
    assert said == plain.stdout.splitlines()
    assert not any("unwatched" in line for line in said)


def test_headless_json_says_who_waits_on_a_condition_and_at_a_barrier(tmp_path):
    import json

    from tests.conftest import left_behind, run_cli

    path = tmp_path / "meet.py"
    path.write_text(
        textwrap.dedent(
            """\
            import threading

            cond = threading.Condition()
            gate = threading.Barrier(2)

            def wait_there():
                with cond:
                    cond.wait()

            if __name__ == "__main__":
                threading.Thread(target=wait_there, name="sleeper", daemon=True).start()
                gate.wait()  # nobody else comes
            """
        )
    )
    done = run_cli(str(path), "--headless", "--json", "--timeout", "5", timeout=60)
    final = json.loads(done.stdout.splitlines()[-1])["final"]
    assert final["conditions"]["cond"] == {
        "lock": "cond.lock",
        "waiting": 1,
        "waiters": ["sleeper"],
    }
    assert final["barriers"]["gate"] == {
        "parties": 2,
        "n_waiting": 1,
        "broken": False,
        "waiters": ["MainThread"],
    }
    assert final["verdict"] == "stuck" and done.returncode == 3
    assert left_behind(done) == []
