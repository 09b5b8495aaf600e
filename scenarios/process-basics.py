import time
from multiprocessing import Process


def greet(who, times=1):
    for _ in range(times):
        print("hello from", who)
        time.sleep(0.1)


class Counter(Process):  # a custom process class: run() is what it does
    def __init__(self, up_to):
        super().__init__(name="counter")
        self.up_to = up_to

    def run(self):
        for i in range(1, self.up_to + 1):
            print("count", i)


if __name__ == "__main__":
    greeter = Process(target=greet, args=("greeter",), kwargs={"times": 2}, name="greeter")
    print("before start:", greeter.name, "pid", greeter.pid, "alive", greeter.is_alive())
    greeter.start()
    print("after start: pid", greeter.pid, "alive", greeter.is_alive(), "daemon", greeter.daemon)
    counter = Counter(3)
    counter.start()
    greeter.join()
    counter.join()
    print("exit codes:", greeter.exitcode, counter.exitcode, "alive", greeter.is_alive())
