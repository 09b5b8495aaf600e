import time
from multiprocessing import Event, Process, Value


def waiter(go):
    go.wait()  # blocks while the event is unset


def impatient(go, gave_up, timeout):
    if not go.wait(timeout):  # False: the timeout ran out before anyone called set()
        gave_up.value = 1


def starter(go, delay):
    time.sleep(delay)
    go.set()  # every waiter is released at once
    go.clear()  # re-armed: whoever waits from now on blocks again


def latecomer(go, late_gave_up, delay, timeout):
    time.sleep(delay)
    if not go.wait(timeout):  # cleared again: it blocks, and gives up
        late_gave_up.value = 1


if __name__ == "__main__":
    go = Event()
    gave_up = Value("i", 0)  # 1 once w2's wait(timeout) has returned False
    late_gave_up = Value("i", 0)  # 1 once w4's wait, after the clear(), has returned False
    workers = [
        Process(target=waiter, args=(go,), name="w0"),
        Process(target=waiter, args=(go,), name="w1"),
        Process(target=impatient, args=(go, gave_up, 0.2), name="w2"),
        Process(target=starter, args=(go, 0.5), name="w3"),
        Process(target=latecomer, args=(go, late_gave_up, 0.8, 0.2), name="w4"),
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print("set", go.is_set(), "- w2 gave up", gave_up.value, "- w4 gave up", late_gave_up.value)
    assert not go.is_set(), "the event is still set: clear() re-arms it"
