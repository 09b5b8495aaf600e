import threading

counter = 0  # the notes' way for threads to talk: a global variable
lock = threading.Lock()


def add(times):
    global counter
    for _ in range(times):
        with lock:
            counter += 1  # the critical section: one worker at a time


if __name__ == "__main__":
    workers = [threading.Thread(target=add, args=(3,), name=f"w{i}") for i in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print("counter", counter)
    lost = 6 - counter  # each lost update is one worker's write over the other's
    assert counter == 6, f"counter is {counter}, expected 6: {lost} update(s) lost"
