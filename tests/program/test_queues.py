"""Queues and pipes in plain programs: each put, get, task_done, join, send and recv is a step;
the snapshot lists each queue's items in order and each pipe's messages in flight, and says
who is blocked on which end; the verdict never calls a wait somebody can end a deadlock."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest

from ipc_tui.engine import channels
from tests.program.conftest import run_free


def output(s) -> list[str]:
    return [e.result for e in s.drain_events() if e.kind == "output"]


def settle(s) -> None:
    assert s.wait_settled(10), s.snapshot().workers


PRODUCER_CONSUMER = """\
    from multiprocessing import Process, Queue

    def produce(q):
        for item in ("a", "b", "c", "d"):
            q.put(item)

    def consume(q):
        for _ in range(4):
            print("got", q.get())

    if __name__ == "__main__":
        q = Queue(2)
        p = Process(target=produce, args=(q,), name="producer")
        c = Process(target=consume, args=(q,), name="consumer")
        p.start()
        c.start()
        p.join()
        c.join()
"""


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_a_full_queue_blocks_the_producer_and_its_items_show_in_order(program, method):
    s = program(PRODUCER_CONSUMER, method)
    s.run_schedule("MainThreadx2,producer*")
    settle(s)
    snap = s.snapshot()
    q = snap.queue("q")
    assert (q.size, q.maxsize, q.full, q.items) == (2, 2, True, ("'a'", "'b'"))
    assert q.putters == ("producer",) and q.getters == ()
    assert snap.worker("producer").blocked_on == "q"
    assert snap.verdict.kind == "running"  # the consumer can make room
    s.step("consumer")  # it gets 'a': the producer's 'c' goes in
    settle(s)
    q = s.snapshot().queue("q")
    assert (q.size, q.items, q.putters) == (2, ("'b'", "'c'"), ())
    steps = [(e.worker, e.op, e.result) for e in s.drain_events() if e.kind == "step"]
    assert ("consumer", "get", "'a'") in steps
    assert [r for w, op, r in steps if op == "put"] == ["'a'", "'b'", "'c'"]
    run_free(s)
    assert s.snapshot().queue("q").items == ()
    assert s.snapshot().verdict.kind == "finished"


def test_an_empty_queue_blocks_the_consumer_and_nobody_left_to_put_is_stuck(program):
    s = program(
        """\
        import queue
        import threading

        q = queue.Queue()

        def consume():
            q.get()
            q.get()  # nobody puts a second item

        if __name__ == "__main__":
            t = threading.Thread(target=consume, name="consumer")
            t.start()
            q.put("one")
            t.join()
        """
    )
    s.run_schedule("MainThread,consumer")
    settle(s)
    snap = s.snapshot()
    assert snap.queue("q").getters == ("consumer",) and snap.queue("q").empty
    assert snap.verdict.kind == "running"  # main can still put
    s.run_schedule("MainThread,consumer,MainThread")  # put, get it, join: nobody puts again
    deadline = time.monotonic() + 5
    while s.snapshot().verdict.kind != "stuck":
        assert time.monotonic() < deadline, s.snapshot().verdict
        time.sleep(0.02)
    waits = s.snapshot().verdict.waits
    assert "consumer waits to get from q, an empty queue (a put would wake it)" in waits


def test_a_thread_queues_items_are_read_for_real_and_join_waits_for_task_done(program):
    s = program(
        """\
        import queue
        import threading

        def work(q):
            while True:
                item = q.get()
                if item is None:
                    q.task_done()
                    break
                q.task_done()

        if __name__ == "__main__":
            q = queue.Queue()
            for item in (1, 2, None):
                q.put(item)
            t = threading.Thread(target=work, args=(q,), name="worker")
            t.start()
            q.join()
            print("all done", q.unfinished_tasks)
        """
    )
    s.run_schedule("MainThreadx5")  # three puts, start, join: blocked
    settle(s)
    snap = s.snapshot()
    q = snap.queue("q")
    assert (q.items, q.read, q.unfinished, q.joiners) == (
        ("1", "2", "None"),
        True,
        3,
        ("MainThread",),
    )
    assert snap.worker("MainThread").blocked_on == "q"
    s.run_schedule("worker,worker")  # gets 1, marks it done
    settle(s)
    assert s.snapshot().queue("q").items == ("2", "None")
    assert s.snapshot().queue("q").unfinished == 2
    run_free(s)
    assert output(s) == ["all done 0"]


def test_a_joinable_queue_between_processes_counts_unfinished_tasks(program):
    s = program(
        """\
        from multiprocessing import JoinableQueue, Process

        def work(q):
            for _ in range(2):
                q.get()
                q.task_done()

        if __name__ == "__main__":
            q = JoinableQueue()
            q.put("x")
            q.put("y")
            p = Process(target=work, args=(q,), name="worker")
            p.start()
            q.join()
            print("joined")
            p.join()
        """
    )
    s.run_schedule("MainThreadx4")
    settle(s)
    q = s.snapshot().queue("q")
    assert (q.what, q.unfinished, q.items, q.joiners) == (
        "JoinableQueue",
        2,
        ("'x'", "'y'"),
        ("MainThread",),
    )
    s.run_schedule("worker,worker")
    settle(s)
    q = s.snapshot().queue("q")
    assert (q.unfinished, q.items, q.size) == (1, ("'y'",), 1)
    run_free(s)
    assert output(s) == ["joined"]


ANSWERS = """\
    import queue
    from multiprocessing import JoinableQueue, Pipe, Queue, SimpleQueue

    if __name__ == "__main__":
        q = Queue(1)
        for attempt in (q.get_nowait, lambda: q.get(timeout=0.05), lambda: q.get(False)):
            try:
                attempt()
            except queue.Empty as e:
                print("empty", type(e).__name__)
        q.put(1)
        for attempt in (lambda: q.put_nowait(2), lambda: q.put(2, timeout=0.05)):
            try:
                attempt()
            except queue.Full as e:
                print("full", type(e).__name__)
        print("got", q.get(), q.qsize(), q.empty(), q.full())
        q.close()
        try:
            q.put(3)
        except ValueError as e:
            print("closed:", str(e).split(" is ")[1])
        t = queue.Queue(1)
        try:
            t.get(timeout=-1)
        except ValueError as e:
            print("refused:", e)
        t.put("x")
        print("thread queue", t.qsize(), t.full(), list(t.queue), t.get_nowait(), t.empty())
        try:
            t.task_done(); t.task_done()
        except ValueError as e:
            print("task_done:", e)
        sq = SimpleQueue()
        sq.put([1, 2])
        print("simple", sq.get(), sq.empty(), hasattr(sq, "put_nowait"), hasattr(q, "task_done"))
        j = JoinableQueue()
        j.put(1); j.get(); j.task_done(); j.join()
        try:
            j.task_done()
        except ValueError as e:
            print("joinable:", e)
        a, b = Pipe()
        a.send({"k": 1})
        print("pipe", b.poll(), b.recv(), b.poll(), b.poll(0.01))
        b.send_bytes(b"raw")
        print("bytes", a.recv_bytes())
        b.close()
        try:
            a.recv()
        except EOFError:
            print("EOFError at a closed end")
        r, w = Pipe(duplex=False)
        print("one way", r.readable, r.writable, w.readable, w.writable)
        try:
            r.send(1)
        except OSError as e:
            print("refused:", e)
"""


def test_queues_and_pipes_answer_as_under_plain_python(program, tmp_path):
    path = tmp_path / "answers.py"
    path.write_text(textwrap.dedent(ANSWERS))
    plain = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=60)
    assert plain.returncode == 0, plain.stderr
    s = program(ANSWERS)
    run_free(s, 30)
    said = output(s)
    assert said == plain.stdout.splitlines()
    assert not any("unwatched" in line for line in said)


def test_a_pipe_shows_its_messages_in_flight_each_way_and_who_waits_at_which_end(program):
    s = program(
        """\
        from multiprocessing import Pipe, Process

        def child(conn):
            conn.send(conn.recv() * 2)

        if __name__ == "__main__":
            mine, theirs = Pipe()
            p = Process(target=child, args=(theirs,), name="child")
            p.start()
            mine.send(21)
            mine.send(0)
            print(mine.recv())
            p.join()
        """
    )
    s.run_schedule("MainThreadx4")  # start, two sends, recv: blocked
    settle(s)
    snap = s.snapshot()
    pipe = snap.pipe("mine")
    assert pipe.name == "mine ⇄ theirs" and pipe.flight == ((), ("21", "0"))
    assert pipe.receivers == (("MainThread",), ()) and pipe.waiting[1] is True
    assert snap.worker("MainThread").blocked_on == "mine"
    assert snap.verdict.kind == "running"  # the child can send
    s.step("child")  # its recv takes 21
    settle(s)
    assert s.snapshot().pipe("mine").flight == ((), ("0",))
    run_free(s)
    assert output(s) == ["42"]
    assert s.snapshot().pipe("mine").flight == ((), ("0",))  # never received: still there


def test_a_recv_nobody_can_answer_is_stuck_and_says_so(program):
    s = program(
        """\
        from multiprocessing import Pipe

        if __name__ == "__main__":
            left, right = Pipe()
            left.recv()  # nobody else holds an end, nobody sends
        """
    )
    s.run()
    deadline = time.monotonic() + 10
    while s.snapshot().verdict.kind != "stuck":
        assert time.monotonic() < deadline, s.snapshot().verdict
        time.sleep(0.02)
    assert s.snapshot().verdict.waits == (
        "MainThread waits in recv at left: no message is in flight toward it",
    )


def test_running_free_with_summaries_the_items_are_not_known_and_it_says_why(program):
    s = program(
        PRODUCER_CONSUMER.replace('("a", "b", "c", "d")', "range(2000)")
        .replace("range(4)", "range(1990)")
        .replace("Queue(2)", "Queue()"),
        summary=True,
    )
    run_free(s, 60)
    q = s.snapshot().queue("q")
    assert q.size == 10
    assert q.items is None and "running free" in q.unknown  # (honest: not made up)


def test_a_simple_queue_lists_what_was_put_tuples_too(program):
    s = program(
        """\
        from multiprocessing import Process, SimpleQueue

        def answer(q):
            q.put(("sender", 1.5))

        if __name__ == "__main__":
            q = SimpleQueue()
            p = Process(target=answer, args=(q,), name="child")
            p.start()
            p.join()
            print(q.get())
        """
    )
    s.run_schedule("MainThreadx2,child")
    settle(s)
    q = s.snapshot().queue("q")
    assert (q.what, q.size, q.empty, q.items) == ("SimpleQueue", None, False, ("('sender', 1.5)",))
    run_free(s)
    assert output(s) == ["('sender', 1.5)"]
    assert s.snapshot().queue("q").items == ()


def test_what_a_pipe_carries_unseen_is_said_not_known(program):
    """recv_bytes_into is not a step: what it takes, the steps never saw taken."""
    s = program(
        """\
        from multiprocessing import Pipe

        if __name__ == "__main__":
            a, b = Pipe()
            a.send_bytes(b"seen")
            b.recv_bytes_into(bytearray(10))
            a.send_bytes(b"again")
        """
    )
    s.run_schedule("MainThread")
    settle(s)
    assert s.snapshot().pipe("a").flight == ((), ("b'seen'",))
    s.run_schedule("MainThreadx2")  # recv_bytes_into (unseen), send again
    settle(s)
    time.sleep(channels.SAYS + 0.2)  # (in flight at least until its end says otherwise)
    pipe = s.snapshot().pipe("a")
    assert pipe.flight[1] == ("b'seen'", "b'again'") or pipe.flight[1] is None
    assert pipe.waiting[1] is True  # the second one is there for real


def test_a_queue_holding_thousands_says_so_instead_of_keeping_them(program):
    s = program(
        """\
        from multiprocessing import Queue

        if __name__ == "__main__":
            q = Queue()
            for k in range(1100):
                q.put(k)
            for k in range(1100):
                q.get()
        """
    )
    s.run_schedule("MainThreadx1050", timeout=60)
    settle(s)
    q = s.snapshot().queue("q")
    assert (q.size, q.items) == (1050, None) and q.unknown == channels.TOO_MANY
    run_free(s)
    q = s.snapshot().queue("q")
    assert (q.size, q.items) == (0, ())  # emptied: known again


def test_lifo_and_priority_queues_list_their_items_next_out_first(program):
    s = program(
        """\
        import queue

        if __name__ == "__main__":
            stack, ranks = queue.LifoQueue(), queue.PriorityQueue()
            for k in (2, 3, 1):
                stack.put(k)
                ranks.put(k)
            print(stack.get(), ranks.get(), isinstance(stack, queue.Queue))
            print(stack.queue, ranks.queue)
        """
    )
    s.run_schedule("MainThreadx6")
    settle(s)
    snap = s.snapshot()
    assert snap.queue("stack").items == ("1", "3", "2") and snap.queue("ranks").items == (
        "1",
        "2",
        "3",
    )
    assert (snap.queue("stack").what, snap.queue("ranks").what) == (
        "queue.LifoQueue",
        "queue.PriorityQueue",
    )
    run_free(s)
    assert output(s) == ["1 1 True", "[2, 3] [2, 3]"]
