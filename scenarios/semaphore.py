import time
from multiprocessing import Process, Semaphore


def visit(permits, seconds):
    permits.acquire()  # take a permit; at 0 this blocks
    permits.get_value()  # how many are left for the others
    time.sleep(seconds)  # inside: at most two workers here at once
    permits.release()  # give the permit back


if __name__ == "__main__":
    permits = Semaphore(2)
    workers = [Process(target=visit, args=(permits, 0.1), name=f"w{i}") for i in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print("permits left", permits.get_value())
    assert permits.get_value() == 2, f"{permits.get_value()} permits left, expected both back"
