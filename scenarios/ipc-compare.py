"""Pipe, queue, shared memory: the notes' table, measured

Try: press n for each channel in turn, or f for all four (about a minute; `--quick`: seconds).
Watch: the table fill in, channel by channel, then compare its two columns. A Value hands over
one item at a time, and each waits for the other process to wake: few items a second, yet a
short delay. An Array hands over a hundred at once and moves the most. A pipe and a queue
buffer items, so a burst flows, but each item is pickled and copied on its way.

The notes compare three ways for processes to talk. All three live in memory. A pipe is read
and written at its two ends (mostly between a parent and its child); a message queue is first
in, first out (and many libraries offer one); shared memory is overwritten in place, which is
fast but needs care, because every process can touch it at once. Here the same items (each one
the moment it was sent) go from one process to another through each, with the synchronisation
each needs: a Value or an Array alone does not say "a new item is here", so two semaphores do.
"""

import time

from ipc_tui.engine.measure import compare_channels
from ipc_tui.scenario import quick

MODES = ("process",)

LESSON_ZH = """
管道、消息队列、共享内存:笔记里的对比表,实测

试一试:按 n 依次测量每一种通道,或者按 f 一次测完四种(大约一分钟;`--quick`:几秒钟)。观察:表格一行一行地填满,然后比较两栏。Value 一次只交接一项,每一项都要等另一个进程被唤醒:每秒传的项数少,但延迟短。Array 一次交接一百项,传得最多。管道和队列会缓冲数据,所以成批的数据可以连续流过,但每一项都要经过序列化(pickle)和复制。

笔记比较了进程间通信的三种方式。三者都在内存中开辟空间。管道两端读写(多用于父子进程);消息队列先进先出(第三方库较多);共享内存的内容每次写入都会覆盖之前的内容,效率较高,但操作时要注意争夺内存资源,因为每个进程都可能同时访问它。这里让同样的数据项(每一项就是它被发送的时刻)从一个进程传到另一个进程,每种方式都配上它需要的同步:单独的 Value 或 Array 不会告诉对方"新数据到了",所以用两个信号量来通知。
"""
TIMEOUT = 120

ITEMS = 20_000 if quick() else 200_000
BATCH = 100  # items per hand-over through the Array


def make_pipe(mp):
    receiving_end, sending_end = mp.Pipe(duplex=False)
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


def make_queue(mp):
    q = mp.Queue()
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


def make_value(mp):  # one cell; `empty` and `full` say whose turn it is
    box = mp.Value("d", lock=False), mp.Semaphore(1), mp.Semaphore(0)
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


def make_array(mp):  # BATCH cells, how many of them are filled, and whose turn it is
    box = mp.Array("d", BATCH, lock=False), mp.Value("i", lock=False)
    box += mp.Semaphore(1), mp.Semaphore(0)
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


def main():
    compare_channels(CHANNELS, items=ITEMS)
