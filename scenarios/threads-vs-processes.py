"""Threads vs processes: the same work, side by side

Try: press f to run it all (the times it prints are only true running free: stepping, each
`start()` also waits for your key). Watch: the trace: each worker's line gives its pid, its
thread id, its memory and its hits; main's lines give how long each `start()` took and the hits
it sees at the end.

Threads are parts of one process: they share its memory (a global changed by a thread is
changed for main too), its pid, and cost little to start. Each process has its own memory
(its changes to a global stay in its copy: only shared memory such as `Value` is shared),
its own pid, and costs more to start. Every worker reports its pid, its thread id, how long
its `start()` took, and the memory of its process.
"""

import os
import resource
import threading
import time

from ipc_tui.scenario import Lock, Process, Thread, Value

MODES = ("mixed",)

LESSON_ZH = """
线程与进程:同样的工作,并排比较

试一试:按 f 全部运行(它打印的时间只有在自由运行时才是真的:单步时,每次 `start()` 还要等你按键)。观察:跟踪记录:每个工作者的那一行给出它的 pid、线程 id、内存和它看到的 hits;main 的几行给出每次 `start()` 花了多长时间,以及最后它看到的 hits。

线程是一个进程的一部分:它们共享进程的内存(线程修改的全局变量,main 也能看到),共享 pid,启动的开销很小。每个进程有自己的内存(它对全局变量的修改只留在自己的副本里:只有 `Value` 这样的共享内存才是共享的),有自己的 pid,启动的开销更大。每个工作者报告自己的 pid、线程 id、`start()` 花了多长时间,以及所在进程占用的内存。
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
