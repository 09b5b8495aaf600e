"""The GIL: threads take turns, processes run at once

Try: press n: main measures which thread runs (a second or three). Press n again for each row
of the table, or f for all of it (about a minute; `--quick`: seconds). Then press v: it
switches `sys.setswitchinterval` (5 ms, the default, then 1, 20, 100 ms) and restarts: the
turns grow. Watch: the "which thread runs" strips (one thread at a time), then the table fill
in.

CPython's global interpreter lock lets one thread run Python bytecode at a time. A thread lets
it go while it waits (for a file, a socket, a sleep), so threads suit waiting, not computing:
for CPU work, use processes, one per core. This scenario times the same ten tasks run one after
the other, on ten threads and as ten processes, for three kinds of work (a counting loop, a
file written and read back, and waits), on this machine, beside the notes' figures. First it
shows which thread runs: three threads each bump their own counter, and ipc-tui reads the
counters from outside their process every millisecond.
"""

import os
import tempfile
import time

from ipc_tui.engine.measure import compare_ways, who_runs
from ipc_tui.scenario import quick, variant

MODES = ("process",)

LESSON_ZH = """
GIL:线程轮流运行,进程才真正同时运行

试一试:按 n:main 测量"哪个线程在运行"(一到三秒)。表格的每一行再按一次 n,或者按 f 一次测完(大约一分钟;`--quick`:几秒钟)。然后按 v:切换 `sys.setswitchinterval`(默认 5 毫秒,然后 1、20、100 毫秒)并重新开始:每个线程一次运行的时间变长。观察:"which thread runs" 一栏的条带(同一时刻只有一个线程在动),然后表格逐行填满。

CPython 的全局解释器锁(GIL)让同一时刻只有一个线程执行 Python 字节码。线程在等待(文件、套接字、sleep)时会让出解释器,所以线程适合大量 IO 阻塞或高延迟的 IO 程序,不适合计算密集的程序:计算密集的工作请用多进程,每个核一个。这个场景在这台机器上计时:同样的十个任务依次运行、用十个线程运行、用十个进程运行,三种工作(计数循环、写一个文件再读回来、等待),旁边是笔记里的数字。开始时先看"哪个线程在运行":三个线程各自给自己的计数器加一,ipc-tui 每毫秒从它们的进程外面读一次计数器。
"""
VARIANTS = ("5ms", "1ms", "20ms", "100ms")  # how often a waiting thread may take the GIL
SWITCH_MS = int(variant().removesuffix("ms"))
TIMEOUT = 180

# Sizes: about a minute on 2 cores, or a few seconds with --quick
COUNT_TO = 3_000_000 if quick() else 15_000_000
LINES = 200_000 if quick() else 1_500_000
WAIT = 0.1 if quick() else 0.5

# The notes' seconds, on the course's machine
NOTES = {
    ("CPU", "serial"): 8.69,
    ("CPU", "threads"): 8.57,
    ("CPU", "processes"): 4.01,
    ("file I/O", "serial"): 4.22,
    ("file I/O", "threads"): 4.17,
    ("file I/O", "processes"): 2.19,
}


def count(n, progress, me):  # CPU: the notes' counting loop
    c = 0
    while c < n:
        c += 1
        if c % 100_000 == 0:
            progress[me] = c / n


def write_and_read(lines, progress, me):  # file I/O: write a file, then read it back
    with tempfile.TemporaryFile("w+") as f:
        for i in range(lines):
            f.write("hello world\n")
            if i % 50_000 == 0:
                progress[me] = i / lines / 2
        f.flush()
        os.fsync(f.fileno())
        f.seek(0)
        f.readlines()
    progress[me] = 1


def wait(seconds, progress, me):  # latency I/O: a reply that takes a while
    time.sleep(seconds)
    progress[me] = 1


def spin(counters, me):  # for "which thread runs": bump my own counter, for ever
    while True:
        counters[me] += 1


def main():
    who_runs(spin, threads=3, switch_ms=SWITCH_MS)
    compare_ways(
        {
            "CPU": (count, COUNT_TO),
            "file I/O": (write_and_read, LINES),
            "latency I/O": (wait, WAIT),
        },
        tasks=10,
        notes=NOTES,
    )
