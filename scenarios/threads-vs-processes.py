import os
import resource
import threading
import time
from multiprocessing import Lock, Process, Value
from threading import Thread

hits = 0  # a plain global: shared by threads, copied by processes


def work(kind, shared_hits, lock):
    global hits
    hits += 1
    with lock:
        shared_hits.value += 1  # shared memory: shared by both
    memory_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{kind}: pid {os.getpid()} thread id {threading.get_native_id()} "
        f"memory {memory_mb:.0f} MB, my hits {hits}"
    )


if __name__ == "__main__":
    shared_hits = Value("i", 0)
    lock = Lock()
    print("pid", os.getpid(), "thread id", threading.get_native_id())
    workers = [Thread(target=work, args=("thread", shared_hits, lock)) for _ in range(2)]
    workers += [Process(target=work, args=("process", shared_hits, lock)) for _ in range(2)]
    for w in workers:
        began = time.perf_counter()
        w.start()
        print(f"start {w.name} took {(time.perf_counter() - began) * 1000:.1f} ms")
    for w in workers:
        w.join()
    everyone = shared_hits.value
    print("main sees hits =", hits, "(threads' increments only)")
    print("main sees shared_hits =", everyone, "(everyone's)")
    assert hits == 2, f"main sees hits = {hits}: only its own threads' increments count"
    assert everyone == 4, f"shared_hits = {everyone}, expected 4"
