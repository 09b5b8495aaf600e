import multiprocessing
import sys
from multiprocessing import Lock, Process, Semaphore, Value

RUNNERS = 3


class Barrier:
    """A barrier made of a lock, a counter and two turnstiles (semaphores)."""

    def __init__(self, parties):
        self.parties = parties
        self.inside = Value("i", 0)  # how many are at the barrier now
        self.arrived = Value("i", 0)  # how many arrivals in all, every round
        self.passed_after = Value("i", parties)  # the fewest arrivals anyone saw going through
        self.lock = Lock()
        self.gate_in = Semaphore(0)
        self.gate_out = Semaphore(0)

    def wait(self):
        with self.lock:
            self.inside.value += 1
            self.arrived.value += 1
            if self.inside.value == self.parties:  # the last one opens the way in for everyone
                for _ in range(self.parties):
                    self.gate_in.release()
        self.gate_in.acquire()
        with self.lock:
            self.inside.value -= 1
            if self.inside.value == 0:  # the last one out opens the way out
                for _ in range(self.parties):
                    self.gate_out.release()
        self.gate_out.acquire()


class LibraryBarrier:
    """The same barrier, with the standard library's own doing the waiting."""

    def __init__(self, parties):
        self.parties = parties
        self.arrived = Value("i", 0)
        self.passed_after = Value("i", parties)
        self.lock = Lock()
        self.gate = multiprocessing.Barrier(parties)  # parties, n_waiting, broken

    def wait(self):
        with self.lock:
            self.arrived.value += 1
        self.gate.wait()  # the last to arrive lets everyone go; then it is ready again


def run(barrier, rounds):
    for lap in range(1, rounds + 1):
        barrier.wait()
        with barrier.lock:  # everyone had arrived for this lap when anyone got through
            seen = barrier.arrived.value - barrier.parties * (lap - 1)
            barrier.passed_after.value = min(barrier.passed_after.value, seen)


if __name__ == "__main__":
    if sys.argv[1:] == ["library"]:  # python barrier.py library: multiprocessing.Barrier
        barrier = LibraryBarrier(RUNNERS)
    else:
        barrier = Barrier(RUNNERS)
    runners = [Process(target=run, args=(barrier, 2), name=f"r{k}") for k in range(RUNNERS)]
    for r in runners:
        r.start()
    for r in runners:
        r.join()
    after = barrier.passed_after.value
    assert after == RUNNERS, f"one went through after {after} arrived"
    print("everyone went through after all", after, "had arrived")
