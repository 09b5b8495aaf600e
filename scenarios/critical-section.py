from multiprocessing import Lock, Process, Value


def add(counter, lock, times):
    for _ in range(times):
        with lock:
            counter.value += 1  # the critical section: one worker at a time


if __name__ == "__main__":
    counter = Value("i", 0)
    lock = Lock()
    workers = [Process(target=add, args=(counter, lock, 3), name=f"w{i}") for i in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print("counter", counter.value)
    lost = 6 - counter.value  # each lost update is one worker's write over the other's
    assert counter.value == 6, f"counter is {counter.value}, expected 6: {lost} update(s) lost"
