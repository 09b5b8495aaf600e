from multiprocessing import Lock, Process, Value


def deposit(total, lock, times):
    for _ in range(times):
        with lock:  # acquire: blocks while another worker holds the lock
            total.value += 1  # the critical section: one worker at a time
        # leaving the with block releases the lock


if __name__ == "__main__":
    lock = Lock()
    total = Value("i", 0)
    workers = [Process(target=deposit, args=(total, lock, 3), name=f"w{i}") for i in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print("total", total.value)
    assert total.value == 9, f"total is {total.value}, expected 9"
