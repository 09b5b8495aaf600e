"""Thread basics: create, start and join threads; names, daemon threads, current_thread().

`Thread(target, args, kwargs, name)` describes a thread; unnamed ones are called `Thread-1`,
`Thread-2`, ... `start()` runs it; `join(timeout)` waits at most that long and may return while
the thread is still alive: ask `is_alive()`. `current_thread()` is the thread running the code.
A daemon thread (`daemon=True`, set before `start()`) is cut off when the main work ends; a
non-daemon one is waited for. A `Thread` subclass overriding `run()` is the other way to say
what a thread does. The notes' `setName()/getName()/isDaemon()/setDaemon()/currentThread()`
still work but are deprecated since Python 3.10: use `name`, `daemon`, `current_thread()`.

Watch: the Workers pane (names, the daemon flag) and main's lines in the trace; at the end the
ticker is cut off (✂) while the worker is waited for. Try: step main through its lines.
"""

from ipc_tui.scenario import Thread, Value, current_thread, sleep

MODES = ("thread",)

LESSON_ZH = """
线程基础:创建、启动和回收线程;线程名、守护线程、current_thread()。

`Thread(target, args, kwargs, name)` 描述一个线程;没有名字的线程叫 `Thread-1`、`Thread-2`……`start()` 启动它;`join(timeout)` 最多等待这么久,返回时线程可能还活着:用 `is_alive()` 查看。`current_thread()` 是正在执行这段代码的线程。守护线程(`daemon=True`,要在 `start()` 之前设置)在主线程的工作结束时被切断;非守护线程会被等待。继承 `Thread` 并重写 `run()` 是另一种写法。笔记里的 `setName()/getName()/isDaemon()/setDaemon()/currentThread()` 仍然可用,但从 Python 3.10 起已经不推荐:请用 `name`、`daemon`、`current_thread()`。

观察:Workers 面板(线程名、daemon 标志)和跟踪记录里 main 打印的内容;最后 ticker 被切断(✂),而 worker 被等待。试一试:一步一步地单步 main。
"""

ticks = Value("i", 0)
done = Value("i", 0)


def work(seconds):
    print("I am", current_thread().name)
    sleep(seconds)
    done.value = 1


def tick():
    while True:  # never ends by itself
        sleep(0.05)
        ticks.value += 1


class Greeter(Thread):  # a custom thread class: __init__ calls the parent's, run() is overridden
    def __init__(self, who):
        super().__init__(name="greeter")
        self.who = who

    def run(self):
        print("hello,", self.who)


def main():
    worker = Thread(target=work, args=(0.3,))  # no name: Thread-1
    ticker = Thread(target=tick)
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
    print("main is", current_thread().name, "- isDaemon():", ticker.isDaemon())
