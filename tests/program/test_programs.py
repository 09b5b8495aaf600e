"""Plain Python programs, unchanged: they run as themselves, and each operation is a step."""

from __future__ import annotations

import json
import signal
import sys

import pytest

from tests.conftest import left_behind, run_cli
from tests.program.conftest import cells, run_free

DOCS_EXAMPLE = """\
    from multiprocessing import Process, Value, Array

    def f(n, a):
        n.value = 3.1415927
        for i in range(len(a)):
            a[i] = -a[i]

    if __name__ == '__main__':
        num = Value('d', 0.0)
        arr = Array('i', range(10))

        p = Process(target=f, args=(num, arr))
        p.start()
        p.join()

        print(num.value)
        print(arr[:])
"""

GET_LOCK = """\
    from multiprocessing import Process, Value

    def work(counter):
        for _ in range(3):
            with counter.get_lock():
                counter.value += 1

    if __name__ == "__main__":
        counter = Value("i", 0)
        ps = [Process(target=work, args=(counter,)) for _ in range(2)]
        for p in ps:
            p.start()
        for p in ps:
            p.join()
        print("counter", counter.value)
"""

COURSE = """\
    from multiprocessing import Process, Value

    counter = Value("i", 0)

    def work():
        for _ in range(3):
            counter.value += 1

    if __name__ == "__main__":
        ps = [Process(target=work) for _ in range(2)]
        for p in ps:
            p.start()
        for p in ps:
            p.join()
        print("counter", counter.value)
"""

THREADS = """\
    import threading

    def add(lock, box, n):
        for _ in range(n):
            with lock:
                box.append(1)

    if __name__ == "__main__":
        lock = threading.Lock()
        box = []
        ts = [threading.Thread(target=add, args=(lock, box, 3)) for _ in range(2)]
        for t in ts:
            t.start()
        print("threads", threading.active_count(), threading.current_thread().name)
        for t in ts:
            t.join()
        print("total", len(box))
"""


def output(s) -> list[str]:
    return [e.result for e in s.drain_events() if e.kind == "output"]


def test_the_documentations_example_ends_with_pi_and_the_negated_array(program):
    s = program(DOCS_EXAMPLE)
    run_free(s)
    assert cells(s) == {"num": 3.1415927, "arr": tuple(-i for i in range(10))}
    assert output(s) == ["3.1415927", str([-i for i in range(10)])]
    snap = s.snapshot()
    assert {w.name: w.state for w in snap.workers} == {"MainThread": "done", "Process-1": "done"}
    assert snap.worker("Process-1").exitcode == 0
    assert s.exit_code == 0 and snap.verdict.kind == "finished"


def test_get_lock_keeps_the_count_exact_and_steps_as_the_lock_it_is(program):
    s = program(GET_LOCK)
    s.run_schedule("MainThread,MainThread,Process-1,Process-2")
    snap = s.snapshot()
    (lock,) = snap.locks
    assert lock.name == "counter.get_lock()"
    assert (lock.holder, lock.waiters, lock.locked) == ("Process-1", ("Process-2",), True)
    assert snap.worker("Process-2").blocked_on == "counter.get_lock()"
    run_free(s)
    assert cells(s) == {"counter": 6}
    assert output(s)[-1] == "counter 6"


def test_a_read_waits_while_another_worker_holds_the_values_lock(program):
    """A synchronized Value takes its own lock around each read: a worker that reads while
    another holds get_lock() waits for it, and says so."""
    s = program(
        """\
        from multiprocessing import Process, Value

        def hold(v):
            with v.get_lock():
                v.value = 5

        def peek(v):
            print("saw", v.value)

        if __name__ == "__main__":
            v = Value("i", 0)
            a, b = Process(target=hold, args=(v,)), Process(target=peek, args=(v,))
            a.start(); b.start(); a.join(); b.join()
        """
    )
    s.run_schedule("MainThread,MainThread,Process-1,Process-2")
    snap = s.snapshot()
    assert snap.worker("Process-2").blocked_on == "v.get_lock()"
    assert snap.locks[0].waiters == ("Process-2",)
    assert snap.verdict.kind == "running"  # the holder can still let it go
    run_free(s)
    assert "saw 5" in output(s)


def test_a_lock_made_in_main_and_handed_to_two_threads_shows_its_holder_and_queue(program):
    s = program(THREADS)
    s.run_schedule("MainThread,MainThread,Thread-1,Thread-2")
    snap = s.snapshot()
    (lock,) = snap.locks
    assert (lock.name, lock.holder, lock.waiters) == ("lock", "Thread-1", ("Thread-2",))
    assert [w.kind for w in snap.workers] == ["thread", "thread", "thread"]
    run_free(s)
    said = output(s)
    # As under plain python: no thread of ipc-tui's is counted, the main thread's name is kept
    assert said[0] == "threads 3 MainThread" and said[-1] == "total 6"


def test_one_two_one_two_loses_an_update_in_real_processes_under_fork(program):
    s = program(COURSE, "fork")
    s.run_schedule("MainThread,MainThread,Process-1,Process-2,Process-1,Process-2")
    assert cells(s) == {"counter": 1}  # both read 0, both wrote 1
    run_free(s)
    assert 2 <= cells(s)["counter"] <= 5  # that update stays lost (running free may lose more)
    assert s.method == "fork"


def test_under_spawn_the_module_level_value_is_visibly_not_shared(program):
    s = program(COURSE, "spawn")
    run_free(s, 30)
    assert cells(s) == {"counter": 0, "counter@Process-1": 3, "counter@Process-2": 3}
    assert output(s)[-1] == "counter 0"  # as plain python prints it
    assert s.method == "spawn"


THREADING_LOCK_COPIED = """
    import threading
    from multiprocessing import Process

    lock = threading.Lock()  # a threading lock: each process gets its own copy


    def idle():
        pass


    def use():
        with lock:
            print("the child holds its own copy")


    if __name__ == "__main__":
        with lock:
            pass
        for target in (idle, use):
            p = Process(target=target, name=target.__name__)
            p.start()
            p.join()
"""


def test_a_forked_childs_copy_of_a_threading_lock_is_listed_when_it_uses_it(program):
    """Under fork each child has its own copy of a threading lock: the child that uses its
    copy shows it, marked as its own (`lock@use`); the child that never touches it lists
    nothing (it once showed `lock@idle`, a lock nobody in that process had used)."""
    s = program(THREADING_LOCK_COPIED, "fork")
    # main takes and lets go its lock, starts idle and joins it, starts use; use takes its copy
    assert s.run_schedule("MainThreadx5,use") == []
    locks = {lock.name: lock for lock in s.snapshot().locks}
    assert set(locks) == {"lock", "lock@use"}
    assert locks["lock@use"].holder == "use" and locks["lock"].holder is None
    run_free(s)
    assert {lock.name for lock in s.snapshot().locks} == {"lock", "lock@use"}
    # running free as the app does, a worker reports summaries: the copy is listed from one
    t = program(THREADING_LOCK_COPIED, "fork", name="free.py", summary=True)
    run_free(t)
    assert {lock.name for lock in t.snapshot().locks} == {"lock", "lock@use"}


@pytest.mark.skipif(sys.platform != "linux", reason="forkserver: Linux")
def test_under_forkserver_the_children_share_the_forkservers_copy(program):
    """The forkserver runs the top level once; its children inherit that copy, not main's."""
    s = program(COURSE, "forkserver")
    run_free(s, 30)
    found = cells(s)
    assert found["counter"] == 0 and found["counter@ForkServer"] in (3, 4, 5, 6)
    assert len(found) == 2


def test_names_come_from_the_code(program):
    s = program(
        """\
        import threading
        from multiprocessing import Lock, Semaphore

        class Bank:
            def __init__(self):
                self.lock = threading.Lock()

        def pair():
            empty, full = Semaphore(1), Semaphore(0)  # (in a function: stored without a swap)
            return empty, full

        if __name__ == "__main__":
            turns = pair()
            bank = Bank()
            forks = [threading.Lock() for _ in range(3)]
            table = {}
            seat = 2
            table[seat] = Semaphore(1)
            print(len([Lock()]))
            left, right = Lock(), threading.Lock()
        """
    )
    run_free(s)
    snap = s.snapshot()
    names = [x.name for x in snap.locks] + [x.name for x in snap.semaphores]
    assert names[:4] == ["bank.lock", "forks[0]", "forks[1]", "forks[2]"]  # (self: bank)
    assert "table[2]" in names
    assert any(n.startswith("Lock#1 (prog.py:") for n in names), names
    assert {"left", "right"} <= set(names)  # a, b = Lock(), Lock()
    assert {"empty", "full"} <= set(names), names  # and with arguments, in a function


def test_a_lock_sent_through_a_queue_is_refused_as_the_standard_library_refuses_it(program):
    """The real lock is what pickles: the Queue's feeder thread refuses it, as under plain
    python (the watched Queue hands the real one the real lock)."""
    s = program(
        """\
        import queue
        from multiprocessing import Lock, Queue

        if __name__ == "__main__":
            q = Queue()
            q.put(Lock())
            try:
                q.get(timeout=0.5)
            except queue.Empty:
                print("nothing came")
        """
    )
    run_free(s)
    said = output(s)
    assert not any("runs for real, unwatched" in line for line in said)  # (a Queue is watched)
    assert (
        "RuntimeError: Lock objects should only be shared between processes through "
        "inheritance" in said
    )
    assert said[-1] == "nothing came"


def test_an_exception_at_the_top_level_fails_main_with_the_programs_traceback(program):
    s = program(
        """\
        import threading
        lock = threading.Lock()
        raise ValueError("no such account")
        """
    )
    assert s.wait_exited(15)
    main = s.snapshot().worker("MainThread")
    assert main.state == "failed" and "ValueError: no such account" in main.error
    assert "line 3" in main.error and s.exit_code == 1


def test_sys_exit_in_a_child_gives_its_exit_code(program):
    s = program(
        """\
        import sys
        from multiprocessing import Process

        def leave():
            sys.exit(3)

        if __name__ == "__main__":
            p = Process(target=leave)
            p.start()
            p.join()
            print("exit code", p.exitcode)
        """
    )
    run_free(s)
    p = s.snapshot().worker("Process-1")
    assert p.exitcode == 3 and p.state == "done"  # an end it chose, not a failure
    assert output(s)[-1] == "exit code 3"


def test_a_killed_child_is_shown_killed_and_its_lock_stays_taken(program):
    s = program(
        """\
        from multiprocessing import Process, Lock

        def hold(lock):
            lock.acquire()
            lock.acquire()  # never: it holds it already

        if __name__ == "__main__":
            lock = Lock()
            p = Process(target=hold, args=(lock,))
            p.start()
            p.join()
        """
    )
    s.run_schedule("MainThread,Process-1,Process-1")
    s.kill("Process-1")
    deadline = __import__("time").monotonic() + 10
    while s.snapshot().worker("Process-1").state != "killed":
        assert __import__("time").monotonic() < deadline
        __import__("time").sleep(0.02)
    snap = s.snapshot()
    assert snap.worker("Process-1").exitcode == -signal.SIGKILL
    assert snap.locks[0].holder == "Process-1" and snap.locks[0].holder_gone


def test_headless_runs_a_program_as_the_user_types_it(tmp_path):
    path = tmp_path / "docs.py"
    path.write_text(__import__("textwrap").dedent(DOCS_EXAMPLE))
    done = run_cli(str(path), "--headless", "--json")
    assert done.returncode == 0, done.stderr
    final = json.loads(done.stdout.splitlines()[-1])["final"]
    assert final["cells"] == {"num": 3.1415927, "arr": [-i for i in range(10)]}
    assert final["mode"] == "program" and final["outcome"] == "finished"
    assert left_behind(done) == []


def test_headless_schedule_names_workers_the_program_starts_later(tmp_path):
    path = tmp_path / "course.py"
    path.write_text(__import__("textwrap").dedent(COURSE))
    done = run_cli(
        "--scenario",
        str(path),
        "--headless",
        "--json",
        "--start-method",
        "fork",
        "--schedule",
        "MainThread,MainThread,Process-1,Process-2,Process-1,Process-2",
    )
    assert done.returncode == 0, done.stderr
    final = json.loads(done.stdout.splitlines()[-1])["final"]
    assert 2 <= final["cells"]["counter"] <= 5  # one update lost, by the schedule
    assert left_behind(done) == []


def test_a_syntax_error_is_one_line_and_exit_2(tmp_path):
    path = tmp_path / "broken.py"
    path.write_text("import threading\nif True print(1)\n")
    done = run_cli(str(path), "--headless")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "syntax error" in done.stderr


ANSWERS = """\
    import multiprocessing as mp
    import os
    import threading
    import time

    def child(q_pid):
        me = mp.current_process()
        print("child", me.name, me.daemon, mp.parent_process().name, os.getpid() == me.pid)

    def spin(n):
        print("thread", threading.current_thread().name, threading.main_thread().name, n)

    if __name__ == "__main__":
        p = mp.Process(target=child, args=(0,), name="kid")
        print("before", p.is_alive(), p.exitcode, p.pid is None, p.daemon)
        p.start()
        p.join()
        print("after", p.is_alive(), p.exitcode, mp.active_children())
        t = threading.Thread(target=spin, args=(7,))
        t.start()
        t.join()
        print("main", threading.current_thread().name, threading.active_count(), t.is_alive())
        d = mp.Process(target=time.sleep, args=(30,), daemon=True)
        d.start()
        print("daemon", d.daemon, [c.name for c in mp.active_children()])
"""


def test_a_program_answers_as_it_does_under_plain_python(program, tmp_path):
    path = tmp_path / "answers.py"
    path.write_text(__import__("textwrap").dedent(ANSWERS))
    plain = __import__("subprocess").run(
        [sys.executable, str(path)], capture_output=True, text=True, timeout=60
    )
    assert plain.returncode == 0, plain.stderr
    s = program(ANSWERS)
    run_free(s, 30)
    assert output(s) == plain.stdout.splitlines()
    # the daemon child was ended at exit, by multiprocessing, as under plain python
    daemon = s.snapshot().worker("Process-2")
    assert daemon.state == "killed" and daemon.exitcode == -signal.SIGTERM


def test_the_program_chooses_its_start_method_and_the_header_says_it(program):
    s = program(
        """\
        import multiprocessing as mp

        def work(v):
            v.value += 1

        if __name__ == "__main__":
            mp.set_start_method("spawn")
            a = mp.Value("i", 0)  # (kept: a Value made in the call dies once p has started)
            p = mp.Process(target=work, args=(a,))
            ctx = mp.get_context("forkserver")
            b = ctx.Value("i", 0)
            q = ctx.Process(target=work, args=(b,))
            for w in (p, q):
                w.start()
                w.join()
            print(mp.get_start_method(), p._start_method, q._start_method)
        """
    )
    s.run_schedule("MainThread,MainThread")
    assert s.method == "spawn"  # as it asked: the header says so
    run_free(s, 30)
    assert s.method == "forkserver"  # the last one used
    assert cells(s) == {"a": 1, "b": 1}
    assert output(s) == ["spawn None forkserver"]


def test_input_says_why_it_gets_nothing(program):
    s = program('name = input("your name? ")\nprint("hello", name)\n')
    assert s.wait_exited(15)
    main = s.snapshot().worker("MainThread")
    assert main.state == "failed"
    assert "EOFError: input() has no keyboard under ipc-tui" in main.error
    assert output(s) == ["your name? "]


@pytest.mark.parametrize(
    "source, code, said",
    [
        ("", 0, "finished"),  # a program that does nothing: it ends
        ('{"workers": ["w0", "w1"]}\n', 0, "finished"),  # (an expression: Python runs it)
        ("import no_such_module\n", 1, "ModuleNotFoundError: No module named 'no_such_module'"),
    ],
)
def test_a_file_without_ipc_tui_is_a_plain_program_and_runs_as_one(tmp_path, source, code, said):
    path = tmp_path / "plain.py"
    path.write_text(source)
    done = run_cli(str(path), "--headless")
    assert done.returncode == code, done.stderr
    assert said in done.stdout
    assert left_behind(done) == []


def test_the_standard_librarys_signatures(program):
    """ctypes types, RawValue, RawArray, lock=False and a lock of one's own, bytes, slices,
    get_obj(), RLock, BoundedSemaphore and Event from both modules, a Process subclass."""
    s = program(
        """\
        import ctypes
        import multiprocessing as mp
        import threading
        from multiprocessing import Array, RawArray, RawValue, Value

        class Worker(mp.Process):
            def __init__(self, cells):
                super().__init__(name="worker")
                self.cells = cells

            def run(self):
                self.cells[2:4] = [7, 8]

        if __name__ == "__main__":
            d = Value(ctypes.c_double, 1.5)
            c = Value("c", b"x")
            raw = RawValue("i", 3)
            free = Value("i", 4, lock=False)
            own = mp.RLock()
            mine = Value("i", 5, lock=own)
            text = Array("c", b"hello")
            cells = RawArray(ctypes.c_int, 5)
            w = Worker(cells)
            w.start()
            w.join()
            d.value *= 2
            c.value = b"y"
            raw.value += 1
            free.value += 1
            with mine.get_lock():
                mine.value += 1
            print(mine.get_lock() is own, type(d.get_obj()).__name__, text.value, cells[:])
            r = threading.RLock()
            with r:
                with r:
                    pass
            b = mp.BoundedSemaphore(1)
            b.acquire()
            b.release()
            try:
                b.release()
            except ValueError as exc:
                print("bounded:", exc)
            e, f = threading.Event(), mp.Event()
            e.set()
            print(e.is_set(), f.wait(0.01), e.isSet())
        """
    )
    run_free(s)
    said = output(s)
    assert said[0] == "False c_double b'hello' [0, 0, 7, 8, 0]", said
    assert said[1] == "bounded: semaphore or lock released too many times"  # (as mp says it)
    assert said[2] == "True False True"
    found = cells(s)
    assert found["d"] == 3.0 and found["c"] == b"y" and found["raw"] == 4
    assert found["free"] == 5 and found["mine"] == 6
    assert found["text"] == tuple(bytes([b]) for b in b"hello")
    assert found["cells"] == (0, 0, 7, 8, 0)
    assert s.snapshot().worker("worker").state == "done"
    names = {x.name for x in s.snapshot().locks} | {x.name for x in s.snapshot().semaphores}
    assert {"own", "mine.get_lock()", "r", "b"} <= names
    assert not any(x.holder for x in s.snapshot().locks)  # the RLock let go at its last release


DEADLOCK = """\
    import threading

    a = threading.Lock()
    b = threading.Lock()

    def one():
        with a:
            with b:
                pass

    def two():
        with b:
            with a:
                pass

    if __name__ == "__main__":
        t1 = threading.Thread(target=one, name="w0")
        t2 = threading.Thread(target=two, name="w1")
        t1.start(); t2.start()
        t1.join(); t2.join()
"""


def test_a_real_deadlock_in_a_program_is_found_and_a_wait_that_can_end_is_not(program):
    s = program(DEADLOCK)
    s.run_schedule("MainThread,MainThread,w0,w1")  # each holds its first lock
    assert s.snapshot().verdict.kind == "running"  # nobody waits yet
    s.step("w0")  # w0 waits for b, which w1 holds: w1 can still let it go
    assert s.wait_settled(10)
    assert s.snapshot().verdict.kind == "running"
    s.step("w1")  # and now w1 waits for a: a circle
    assert s.wait_settled(10)
    # main could still release a lock it does not hold: likely, not certain, while it can move
    assert s.snapshot().verdict.kind == "likely"
    s.step("MainThread")  # its join of w0: now nobody can move
    deadline = __import__("time").monotonic() + 5
    while s.snapshot().verdict.kind != "deadlock":
        assert __import__("time").monotonic() < deadline, s.snapshot().verdict
        __import__("time").sleep(0.02)
    verdict = s.snapshot().verdict
    assert verdict.cycle in (("w0", "b", "w1", "a", "w0"), ("w1", "a", "w0", "b", "w1"))
    assert s.snapshot().worker("MainThread").blocked_on == "w0"  # its join


def test_a_full_bounded_buffer_in_a_program_is_not_a_deadlock(program):
    s = program(
        """\
        import threading

        slots = threading.Semaphore(1)
        items = threading.Semaphore(0)

        def produce():
            for _ in range(3):
                slots.acquire()
                items.release()

        def consume():
            for _ in range(3):
                items.acquire()
                slots.release()

        if __name__ == "__main__":
            p = threading.Thread(target=produce, name="producer")
            c = threading.Thread(target=consume, name="consumer")
            p.start(); c.start(); p.join(); c.join()
        """
    )
    s.run_schedule("MainThread,MainThread,producer*")
    snap = s.snapshot()
    assert snap.worker("producer").blocked_on == "slots"
    assert snap.verdict.kind == "running"  # the consumer can release a slot
    run_free(s)
    assert s.snapshot().verdict.kind == "finished"


def test_a_child_that_ends_before_the_session_answers_it_still_says_everything(program):
    """A child that prints and ends at once is gone before the session has answered its
    hello: what it said is still read (it was dropped once: the answer's broken pipe)."""
    s = program(
        """\
        from multiprocessing import Process

        def say(k):
            print("child", k)

        if __name__ == "__main__":
            children = [Process(target=say, args=(k,), name=f"c{k}") for k in range(12)]
            for c in children:
                c.start()
            for c in children:
                c.join()
        """
    )
    run_free(s, 30)
    snap = s.snapshot()
    assert {w.name: w.state for w in snap.workers if w.name != "MainThread"} == {
        f"c{k}": "done" for k in range(12)
    }
    said = {e.worker: e.result for e in s.drain_events() if e.kind == "output"}
    assert said == {f"c{k}": f"child {k}" for k in range(12)}


def test_a_workers_exception_shows_once_with_the_programs_frames_only(program):
    s = program(
        """\
        from multiprocessing import Process
        import threading

        def divide():
            return 1 / 0

        if __name__ == "__main__":
            p = Process(target=divide)
            t = threading.Thread(target=divide)
            p.start(); t.start(); p.join(); t.join()
            print("exit code", p.exitcode)
        """
    )
    run_free(s)
    snap = s.snapshot()
    for name in ("Process-1", "Thread-1"):
        w = snap.worker(name)
        assert w.state == "failed" and "ZeroDivisionError: division by zero" in w.error
        assert "ipc_tui" not in w.error and 'prog.py", line 5, in divide' in w.error
    said = output(s)
    assert said == ["exit code 1"]  # no second copy of the tracebacks, as printed output


def test_headless_counts_the_wait_a_deadlock_leaves_going_on(tmp_path):
    path = tmp_path / "deadlock.py"
    path.write_text(__import__("textwrap").dedent(DEADLOCK))
    done = run_cli(
        str(path),
        "--headless",
        "--json",
        "--schedule",
        "MainThreadx3,w0,w1,w0,w1",
        "--timeout",
        "5",
    )
    assert done.returncode == 3, done.stderr  # no progress: a deadlock
    workers = json.loads(done.stdout.splitlines()[-1])["final"]["workers"]
    assert workers["w0"]["waited"] > 0 and workers["w1"]["waited"] > 0  # blocked for ever, so far


def test_pools_and_asyncio_run_for_real_unwatched_with_a_notice_naming_the_line(program):
    """What ipc-tui does not watch runs as under plain python, and says so once per line."""
    s = program(
        """\
        import asyncio
        import concurrent.futures
        from concurrent.futures import ThreadPoolExecutor
        from threading import Lock

        lock = Lock()

        async def later():
            await asyncio.sleep(0.01)
            return "async done"

        if __name__ == "__main__":
            with ThreadPoolExecutor(2) as pool:
                print(sum(pool.map(abs, [-1, -2])))
            with concurrent.futures.ThreadPoolExecutor(2) as pool:
                print(pool.submit(abs, -3).result())
            print(asyncio.run(later()))
        """
    )
    run_free(s)
    said = output(s)
    for what, line in (
        ("concurrent.futures.ThreadPoolExecutor()", 13),
        ("concurrent.futures.ThreadPoolExecutor()", 15),
        ("asyncio.run()", 17),
    ):
        assert f"ipc-tui: {what} at line {line} runs for real, unwatched" in " ".join(said), said
    assert [x for x in said if not x.startswith("ipc-tui:")] == ["3", "3", "async done"]
    assert s.snapshot().worker("MainThread").state == "done"


def test_os_exit_in_a_child_is_its_exit_code_and_a_failure_said_plainly(tmp_path):
    path = tmp_path / "leave.py"
    path.write_text(
        "import os\nfrom multiprocessing import Process\n\n\ndef leave():\n    os._exit(7)\n\n\n"
        'if __name__ == "__main__":\n    p = Process(target=leave)\n    p.start()\n'
        '    p.join()\n    print("exit code", p.exitcode)\n'
    )
    done = run_cli(str(path), "--headless", "--json")
    final = json.loads(done.stdout.splitlines()[-1])["final"]
    child = final["workers"]["Process-1"]
    assert (child["state"], child["exitcode"]) == ("failed", 7)
    assert "the process ended with exit code 7" in done.stdout
    assert "exit code 7" in [e["result"] for e in map(json.loads, done.stdout.splitlines()[:-1])]
    assert left_behind(done) == []


def test_a_loop_at_the_top_level_times_out_headless_and_leaves_nothing(tmp_path):
    path = tmp_path / "loop.py"
    path.write_text("n = 0\nwhile True:\n    n += 1\n")
    done = run_cli(str(path), "--headless", "--timeout", "2")
    assert done.returncode == 3, done.stderr  # no progress
    assert done.stderr.strip() == (
        "ipc-tui: no progress (timed out): MainThread is running (2.0 s without a step)"
    )
    assert left_behind(done) == []


@pytest.mark.timeout(120)
def test_a_program_that_starts_hundreds_of_processes_runs_them_all_and_leaves_nothing(tmp_path):
    path = tmp_path / "many.py"
    path.write_text(
        "import time\nfrom multiprocessing import Process\n\n"
        'if __name__ == "__main__":\n'
        "    ps = [Process(target=time.sleep, args=(0.1,)) for _ in range(200)]\n"
        "    for p in ps:\n        p.start()\n    for p in ps:\n        p.join()\n"
        '    print("joined", sum(p.exitcode == 0 for p in ps))\n'
    )
    done = run_cli(str(path), "--headless", "--json", "--timeout", "60", timeout=100)
    assert done.returncode == 0, done.stderr
    final = json.loads(done.stdout.splitlines()[-1])["final"]
    assert len(final["workers"]) == 201
    assert all(w["state"] == "done" for w in final["workers"].values())
    said = [json.loads(line) for line in done.stdout.splitlines()[:-1]]
    assert [e["result"] for e in said if e.get("kind") == "output"] == ["joined 200"]
    assert left_behind(done) == []
