"""Plain globals as shared state, and stepping one bytecode instruction at a time
(engine/program/variables.py): real threads, real processes, the real module's globals."""

from __future__ import annotations

import dis
import sys
import textwrap
import time

import pytest

from ipc_tui.engine.runtime import INSTRUCTIONS, OPERATIONS
from tests.conftest import left_behind, run_cli
from tests.program.conftest import cells, run_free

ONE_EACH = """\
    import threading

    counter = 0


    def add():
        global counter
        counter += 1


    if __name__ == "__main__":
        workers = [threading.Thread(target=add, name=f"w{i}") for i in range(2)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        print("counter", counter)
"""

THREE_EACH = """\
    import threading

    counter = 0


    def add(times):
        global counter
        for _ in range(times):
            counter += 1


    if __name__ == "__main__":
        workers = [threading.Thread(target=add, args=(3,), name=f"w{i}") for i in range(2)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        print("counter", counter)
"""


def _add():
    global counter  # noqa: PLW0603 (the program's function, compiled here for its bytecode)
    counter += 1  # noqa: F821


def line_instructions() -> list[str]:
    """`counter += 1` as this Python compiles it, from its load to its store and on: what a
    worker at its first operation gate (the load) steps through, one instruction a step."""
    names = [i.opname for i in dis.get_instructions(_add) if i.opname not in ("CACHE", "RESUME")]
    return names[names.index("LOAD_GLOBAL") :]


def events(s) -> list:
    """Every event of the session so far (drained once, kept on the session)."""
    s.seen = [*getattr(s, "seen", []), *s.drain_events()]
    return s.seen


def steps(s, worker: str) -> list:
    return [e for e in events(s) if e.kind == "step" and e.worker == worker]


def said(s) -> list:
    return [e.result for e in events(s) if e.kind == "output"]


LINE = line_instructions()
LOAD, STORE = LINE.index("LOAD_GLOBAL"), LINE.index("STORE_GLOBAL")


@pytest.mark.parametrize("k", range(STORE + 2))
def test_one_switch_inside_counter_plus_one_loses_the_update_only_between_load_and_store(
    program, k
):
    """w0 takes k instructions of `counter += 1`, then w1 runs its whole, then w0 its rest:
    the update is lost exactly when w0 has loaded and not yet stored."""
    s = program(ONE_EACH)
    turns = "MainThreadx2" + (f",w0:ix{k}" if k else "") + ",w1*,w0*"
    assert s.run_schedule(turns, timeout=20) == []
    run_free(s)
    lost = LOAD < k <= STORE
    assert cells(s)["counter"] == (1 if lost else 2), (k, LINE, cells(s))
    taken = [e.op.split()[0] for e in steps(s, "w0")][:k]
    if k:  # the steps w0 took one instruction each are those instructions, in order
        assert taken[1:] == LINE[1:k], taken  # (its first, begun by operations: "read")
        assert taken[0] == "read"


def test_one_two_one_two_loses_an_update_on_a_plain_global_every_run(program):
    for _ in range(3):
        s = program(THREE_EACH)
        s.run_schedule("MainThreadx2,w0,w1,w0,w1", timeout=20)
        ops = [(e.worker, e.op, e.before, e.after) for e in events(s) if e.kind == "step"]
        assert ("w0", "read", 0, 0) in ops and ("w1", "read", 0, 0) in ops
        assert ("w0", "write", 0, 1) in ops and ("w1", "write", 1, 1) in ops  # 1 over 1
        assert cells(s)["counter"] == 1
        s.run_schedule("w0*,w1*", timeout=20)  # (then one at a time: nothing else lost)
        run_free(s)
        assert cells(s)["counter"] == 5, "one update lost, the rest kept"
        assert "counter 5" in said(s)
        s.close()


def test_a_global_is_a_cell_of_its_process_and_processes_do_not_share_it(program):
    s = program(
        """\
        from multiprocessing import Process

        counter = 0
        items = []


        def add(times):
            global counter
            for _ in range(times):
                counter += 1
                items.append(counter)


        if __name__ == "__main__":
            workers = [Process(target=add, args=(2,), name=f"w{i}") for i in range(2)]
            for w in workers:
                w.start()
            for w in workers:
                w.join()
            print("main sees", counter, items)
        """,
        "fork",
    )
    s.run_schedule("MainThreadx2,w0x3", timeout=20)
    ops = [(e.op, e.resource, e.after) for e in steps(s, "w0")]
    assert ops == [
        ("read", "counter@w0", 0),
        ("write", "counter@w0", 1),
        ("write", "items@w0", (1,)),
    ]
    run_free(s)
    assert cells(s) == {
        "counter": 0,
        "items": (),
        "counter@w0": 2,
        "items@w0": (1, 2),
        "counter@w1": 2,
        "items@w1": (1, 2),
    }
    assert "main sees 0 []" in said(s)
    kinds = {c.name: c.what for c in s.snapshot().cells}
    assert set(kinds.values()) == {"global"}


def test_a_dict_is_written_by_its_statement_an_objects_attribute_read_then_written(program):
    s = program(
        """\
        import threading


        class Totals:
            def __init__(self):
                self.count = 0


        seen = {}
        totals = Totals()
        LIMIT = 3  # read, never changed: not a cell


        def work(name):
            for k in range(2):
                seen[name] = k
                totals.count += 1
            return LIMIT


        if __name__ == "__main__":
            t = threading.Thread(target=work, args=("a",), name="w0")
            t.start()
            t.join()
        """
    )
    s.run_schedule("MainThread,w0x6", timeout=20)
    ops = [(e.op, e.resource, e.index, e.after) for e in steps(s, "w0")]
    assert ops == [
        ("write", "seen", None, "{'a': 0}"),
        ("read", "totals", ".count", 0),
        ("write", "totals", ".count", 1),
        ("write", "seen", None, "{'a': 1}"),
        ("read", "totals", ".count", 1),
        ("write", "totals", ".count", 2),
    ]
    run_free(s)
    assert set(cells(s)) == {"seen", "totals"}


def test_an_attribute_of_a_shared_object_loses_an_update_as_a_value_does(program):
    s = program(
        """\
        import threading


        class Totals:
            def __init__(self):
                self.count = 0


        totals = Totals()


        def work():
            totals.count += 1


        if __name__ == "__main__":
            ts = [threading.Thread(target=work, name=f"w{i}") for i in range(2)]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
            print("count", totals.count)
        """
    )
    s.run_schedule("MainThreadx2,w0,w1,w0,w1", timeout=20)
    run_free(s)
    ops = [
        (e.worker, e.op, e.resource + e.index, e.before, e.after)
        for e in events(s)
        if e.kind == "step" and e.resource == "totals"
    ]
    assert ops == [
        ("w0", "read", "totals.count", 0, 0),
        ("w1", "read", "totals.count", 0, 0),
        ("w0", "write", "totals.count", 0, 1),
        ("w1", "write", "totals.count", 1, 1),
    ]
    assert said(s)[-1] == "count 1"


def test_a_program_without_shared_globals_is_not_traced(program):
    s = program(
        """\
        import sys
        import threading

        N = 3
        lock = threading.Lock()  # a global lock is not a cell: its steps are its own


        def traced(code):
            if sys.version_info >= (3, 12):  # any tool's events on this code (ipc-tui's: 4)
                m = sys.monitoring
                return any(m.get_local_events(t, code) for t in range(6) if m.get_tool(t))
            return sys.gettrace() is not None


        def work():
            with lock:
                print("traced:", traced(work.__code__))
            return N


        if __name__ == "__main__":
            t = threading.Thread(target=work, name="w0")
            t.start()
            t.join()
            print("main traced:", traced(sys._getframe().f_code))
        """
    )
    run_free(s)
    assert said(s) == ["traced: False", "main traced: False"]
    assert cells(s) == {}


def test_the_instruction_grain_is_a_mode_of_the_session(program):
    s = program(ONE_EACH)
    assert s.grain == OPERATIONS
    s.run_schedule("MainThreadx2", timeout=20)
    s.set_grain(INSTRUCTIONS)
    for _ in range(len(LINE)):
        assert s.step("w0") == "w0"
        assert s.wait_settled(10)
    ops = [e.op.split()[0] for e in steps(s, "w0")]
    assert ops[0] == "read" and ops[1:] == LINE[1:]
    w0 = next(w for w in s.snapshot().workers if w.name == "w0")
    assert w0.state in ("ready", "done")
    s.set_grain(OPERATIONS)
    run_free(s)
    assert cells(s)["counter"] == 2


def test_headless_steps_instructions_by_schedule(tmp_path):
    path = tmp_path / "race.py"
    path.write_text(textwrap.dedent(ONE_EACH))
    k = STORE  # w0 has loaded, not stored
    done = run_cli(str(path), "--headless", "--schedule", f"MainThreadx2,w0:ix{k},w1*,w0*")
    assert done.returncode == 0, done.stderr
    assert "counter 1" in done.stdout
    assert "write counter  0 -> 1" in done.stdout  # w1 whole, between w0's load and store
    assert not left_behind(done)
    done = run_cli(str(path), "--headless", "--schedule", "w0:x")
    assert done.returncode == 2 and "NAME:i" in done.stderr


LONG_LOOP = """\
    import threading

    counter = 0


    def add():
        global counter
        for _ in range(100_000_000):
            counter += 1


    if __name__ == "__main__":
        w = threading.Thread(target=add, name="w0")
        w.start()
        w.join()
"""


@pytest.mark.skipif(
    sys.version_info < (3, 12),
    reason="before 3.12 only a thread sets its own trace function: a worker that ran free "
    "untraced stops at its next step of a primitive (engine/program/variables.py)",
)
def test_a_pause_reaches_a_worker_that_runs_free_on_globals_only(program):
    s = program(LONG_LOOP, summary=True)
    s.run_schedule("MainThread,w0x2", timeout=20)  # w0 read and wrote counter
    s.run()
    time.sleep(0.3)
    s.pause()
    deadline = time.monotonic() + 5
    while s.snapshot().worker("w0").state != "ready":
        assert time.monotonic() < deadline, "the pause never reached w0"
        time.sleep(0.02)
    assert s.wait_settled(5)
    before = cells(s)["counter"]
    assert before > 1  # it ran free
    assert s.step("w0") == "w0" and s.wait_settled(5)
    assert s.step("w0") == "w0" and s.wait_settled(5)
    assert cells(s)["counter"] in (before, before + 1)  # stepped again: one at a time


def test_a_global_whose_repr_fails_is_stepped_and_the_program_is_not_disturbed(program):
    s = program(
        """\
        import threading


        class Odd:
            def __repr__(self):
                raise ValueError("no")


        box = []


        def work():
            box.append(Odd())
            box.append(1)


        if __name__ == "__main__":
            t = threading.Thread(target=work, name="w0")
            t.start()
            t.join()
            print("box has", len(box))
        """
    )
    s.run_schedule("MainThread,w0x2", timeout=20)
    ops = [(e.op, e.resource, e.after) for e in steps(s, "w0")]
    assert ops == [
        ("write", "box", ("(its repr failed: ValueError)",)),
        ("write", "box", ("(its repr failed: ValueError)", 1)),
    ]
    run_free(s)
    assert said(s) == ["box has 2"]
