import sys
import threading

counter = 0  # the notes' way for threads to talk: a global variable
lock = threading.Lock()
LOCKED = sys.argv[1:] == ["locked"]  # python global-race.py locked: the fix


def add(times):
    global counter
    for _ in range(times):
        if LOCKED:
            with lock:
                counter += 1
        else:
            counter += 1  # four instructions: load, the 1, add, store


if __name__ == "__main__":
    workers = [threading.Thread(target=add, args=(3,), name=f"w{i}") for i in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print("counter", counter)
    assert counter == 6, f"counter is {counter}, expected 6: {6 - counter} update(s) lost"
