"""Threads vs processes: the same work as two threads and two processes, side by side.

Threads are parts of one process: they share its memory (a global changed by a thread is
changed for main too), its pid, and cost little to start. Each process has its own memory
(its changes to a global stay in its copy: only shared memory such as `Value` is shared),
its own pid, and costs more to start. Every worker reports its pid, its thread id, how long
its `start()` took, and the memory of its process.

Watch: main's lines in the trace. Try: run free (f) and compare the two kinds line by line.
"""

import os
import resource
import threading
import time

from ipc_tui.scenario import Lock, Process, Thread, Value

MODES = ("mixed",)

LESSON_ZH = """
线程与进程:同样的工作,由两个线程和两个进程并排完成。

线程是一个进程的一部分:它们共享进程的内存(线程修改的全局变量,main 也能看到),共享 pid,启动的开销很小。每个进程有自己的内存(它对全局变量的修改只留在自己的副本里:只有 `Value` 这样的共享内存才是共享的),有自己的 pid,启动的开销更大。每个工作者报告自己的 pid、线程 id、`start()` 花了多长时间,以及所在进程占用的内存。

观察:跟踪记录里 main 打印的内容。试一试:自由运行(f),逐行比较两种工作者。
"""

hits = 0  # a plain global: shared by threads, copied by processes
shared_hits = Value("i", 0)  # shared memory: shared by both
lock = Lock()


def work(kind):
    global hits
    hits += 1
    with lock:
        shared_hits.value += 1
    memory_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{kind}: pid {os.getpid()} thread id {threading.get_native_id()} "
        f"memory {memory_mb:.0f} MB, my hits {hits}"
    )


def main():
    print("pid", os.getpid(), "thread id", threading.get_native_id())
    workers = [Thread(target=work, args=("thread",)) for _ in range(2)]
    workers += [Process(target=work, args=("process",)) for _ in range(2)]
    for w in workers:
        began = time.perf_counter()
        w.start()
        print(f"start {w.name} took {(time.perf_counter() - began) * 1000:.1f} ms")
    for w in workers:
        w.join()
    print("main sees hits =", hits, "(threads' increments only)")
    print("main sees shared_hits =", shared_hits.value, "(everyone's)")
