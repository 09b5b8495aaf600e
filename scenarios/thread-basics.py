import threading
import time

ticks = 0  # plain globals: every thread of the process sees them
done = 0


def work(seconds):
    global done
    print("I am", threading.current_thread().name)
    time.sleep(seconds)
    done = 1


def tick():
    global ticks
    while True:  # never ends by itself
        time.sleep(0.05)
        ticks += 1


class Greeter(threading.Thread):  # a custom thread class: run() is overridden
    def __init__(self, who):
        super().__init__(name="greeter")
        self.who = who

    def run(self):
        print("hello,", self.who)


if __name__ == "__main__":
    worker = threading.Thread(target=work, args=(0.3,))  # no name: Thread-1 (work)
    ticker = threading.Thread(target=tick)
    ticker.daemon = True  # before start(): cut off when the main work ends
    print("names:", worker.name, ticker.name, "daemon:", worker.daemon, ticker.daemon)
    ticker.setName("ticker")  # the notes' spelling; today: ticker.name = "ticker"
    worker.start()
    ticker.start()
    greeter = Greeter("class")
    greeter.start()
    greeter.join()
    worker.join(timeout=0.05)  # returns before the worker is done
    print("after join(0.05): worker alive?", worker.is_alive())
    print("main is", threading.current_thread().name, "- ticker.isDaemon():", ticker.isDaemon())
