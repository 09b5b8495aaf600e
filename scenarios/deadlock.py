import sys
from multiprocessing import Lock, Process, Value


def transfer(first, second, moved):
    with first:
        with second:  # here each may wait for the lock the other holds
            moved.value += 1


if __name__ == "__main__":
    fixed = sys.argv[1:] == ["fixed"]  # python deadlock.py fixed: both take a before b
    a = Lock()
    b = Lock()
    moved = Value("i", 0)
    order = (a, b) if fixed else (b, a)  # w1's order: the opposite of w0's, unless fixed
    w0 = Process(target=transfer, args=(a, b, moved), name="w0")
    w1 = Process(target=transfer, args=(*order, moved), name="w1")
    w0.start()
    w1.start()
    w0.join()
    w1.join()
    print("moved", moved.value, "times")
    assert moved.value == 2, f"moved {moved.value} times, expected 2"
