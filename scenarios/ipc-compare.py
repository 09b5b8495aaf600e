import os
import statistics
import sys
import time
from functools import partial
from multiprocessing import Array, Pipe, Process, Queue, Semaphore, SimpleQueue, Value

QUICK = "--quick" in sys.argv  # python ipc-compare.py --quick: a small size, in seconds
ITEMS = 20_000 if QUICK else 200_000
BATCH = 100  # items per hand-over through the Array


def make_pipe():
    receiving_end, sending_end = Pipe(duplex=False)
    return sending_end, receiving_end


def pipe_send(end, n):
    for _ in range(n):
        end.send(time.perf_counter())


def pipe_receive(end, n):
    delays = []
    for _ in range(n):
        sent = end.recv()
        delays.append(time.perf_counter() - sent)
    return delays


def make_queue():
    q = Queue()
    return q, q


def queue_send(q, n):
    for _ in range(n):
        q.put(time.perf_counter())


def queue_receive(q, n):
    delays = []
    for _ in range(n):
        sent = q.get()
        delays.append(time.perf_counter() - sent)
    return delays


def make_value():  # one cell; `empty` and `full` say whose turn it is
    cell = Value("d", lock=False)
    empty, full = Semaphore(1), Semaphore(0)
    box = cell, empty, full
    return box, box


def value_send(box, n):
    cell, empty, full = box
    for _ in range(n):
        empty.acquire()
        cell.value = time.perf_counter()  # overwrites the item before it
        full.release()


def value_receive(box, n):
    cell, empty, full = box
    delays = []
    for _ in range(n):
        full.acquire()
        delays.append(time.perf_counter() - cell.value)
        empty.release()
    return delays


def make_array():  # BATCH cells, how many of them are filled, and whose turn it is
    cells = Array("d", BATCH, lock=False)
    filled = Value("i", lock=False)
    empty, full = Semaphore(1), Semaphore(0)
    box = cells, filled, empty, full
    return box, box


def array_send(box, n):
    cells, filled, empty, full = box
    for start in range(0, n, BATCH):
        k = min(BATCH, n - start)
        empty.acquire()
        cells[:k] = [time.perf_counter()] * k
        filled.value = k
        full.release()


def array_receive(box, n):
    cells, filled, empty, full = box
    delays = []
    while len(delays) < n:
        full.acquire()
        now = time.perf_counter()
        delays += [now - sent for sent in cells[: filled.value]]
        empty.release()
    return delays


# The notes' table: how each is read · its efficiency · what it is used for
PIPE = "both ends · normal · parent-child"
QUEUE = "first in first out · normal · many libraries"
SHARED = "overwritten · higher · beware contention"

CHANNELS = [
    ("Pipe", PIPE, make_pipe, pipe_send, pipe_receive),
    ("Queue", QUEUE, make_queue, queue_send, queue_receive),
    ("Value", SHARED, make_value, value_send, value_receive),
    (f"Array ×{BATCH}", SHARED, make_array, array_send, array_receive),
]


def timed(work, end, n, times, who):
    began = time.perf_counter()
    delays = work(end, n)
    times.put((who, began, time.perf_counter(), delays))


def one_at_a_time(send, end, n):  # an item nobody queues behind: one, then a pause
    for _ in range(n):
        send(end, 1)
        time.sleep(0.002)


def run(receive, send, receive_end, send_end, n, names=("receiver", "sender")):
    """Receive n items in one process while another sends them: when each began and ended,
    and the delays the receiver saw."""
    times = SimpleQueue()
    workers = [
        Process(target=timed, args=(receive, receive_end, n, times, "receiver"), name=names[0]),
        Process(target=timed, args=(send, send_end, n, times, "sender"), name=names[1]),
    ]
    for w in workers:
        w.start()
    said = {who: rest for who, *rest in (times.get(), times.get())}
    for w in workers:
        w.join()
    return said["sender"][0], said["receiver"][1], said["receiver"][2]


def picture(n=3):
    """The same items, a few, through each channel in turn, for ipc-tui to step (python
    ipc-compare.py picture): nothing is timed."""
    for channel, _, make, send, receive in CHANNELS:
        who = channel.split()[0].lower()  # pipe, queue, value, array
        send_end, receive_end = make()
        run(receive, send, receive_end, send_end, n, (f"{who}-receiver", f"{who}-sender"))
    print(f"{n} items through each: a pipe, a queue, a Value and an Array")


if __name__ == "__main__" and sys.argv[1:2] == ["picture"]:
    picture()
elif __name__ == "__main__":
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{cores} cores, Python {sys.version.split()[0]}")
    print("pipe, queue, shared memory")
    print("| channel | the notes say | items/s | latency µs |")
    print("|---|---|---:|---:|")
    for channel, words, make, send, receive in CHANNELS:
        send_end, receive_end = make()
        began, ended, _ = run(receive, send, receive_end, send_end, ITEMS)
        send_end, receive_end = make()
        _, _, delays = run(receive, partial(one_at_a_time, send), receive_end, send_end, 50)
        latency = statistics.median(delays) * 1e6
        print(f"| {channel} | {words} | {ITEMS / (ended - began):.0f} | {latency:.1f} |")
    print(f"{ITEMS:,} items in a burst; 50 sent alone, 2 ms apart")
