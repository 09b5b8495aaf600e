from multiprocessing import Process, Value


def add(counter, times):
    for _ in range(times):
        counter.value += 1  # a read step, then a write step


if __name__ == "__main__":
    counter = Value("i", 0)
    workers = [Process(target=add, args=(counter, 3), name=f"w{i}") for i in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print("counter", counter.value)
    lost = 6 - counter.value  # each lost update is one worker's write over the other's
    assert counter.value == 6, f"counter is {counter.value}, expected 6: {lost} update(s) lost"
