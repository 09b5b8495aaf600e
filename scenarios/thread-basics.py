"""Thread basics: start, join, names, daemon threads

Try: press 1 again and again: each press runs main one step further: it starts Thread-1, the
ticker and the greeter, joins the greeter, and stops waiting for Thread-1 after 0.05 s; f runs
the rest. Watch: main's lines in the trace (the names, the daemon flags, `is_alive()` after the
join that gave up), and the Workers pane: at the end the ticker is cut off (✂) while Thread-1
is waited for.

`Thread(target, args, kwargs, name)` describes a thread; unnamed ones are called `Thread-1`,
`Thread-2`, ... `start()` runs it; `join(timeout)` waits at most that long and may return while
the thread is still alive: ask `is_alive()`. `current_thread()` is the thread running the code.
A daemon thread (`daemon=True`, set before `start()`) is cut off when the main work ends; a
non-daemon one is waited for. A `Thread` subclass overriding `run()` is the other way to say
what a thread does. The notes' `setName()/getName()/isDaemon()/setDaemon()/currentThread()`
still work but are deprecated since Python 3.10: use `name`, `daemon`, `current_thread()`.
"""

from ipc_tui.scenario import Thread, Value, current_thread, sleep

MODES = ("thread",)

LESSON_ZH = """
线程基础:启动和回收线程,线程名、守护线程

试一试:一次又一次地按 1:每按一次,main 就往下走一步:它启动 Thread-1、ticker 和 greeter,回收 greeter,等 Thread-1 等到 0.05 秒就不再等了;按 f 运行剩下的。观察:跟踪记录里 main 打印的内容(线程名、daemon 标志、放弃等待之后的 `is_alive()`),以及 Workers 面板:最后 ticker 被切断(✂),而 Thread-1 被等待。

`Thread(target, args, kwargs, name)` 描述一个线程;没有名字的线程叫 `Thread-1`、`Thread-2` 等。`start()` 启动它;`join(timeout)` 最多等待这么久,返回时线程可能还活着:用 `is_alive()` 查看。`current_thread()` 是正在执行这段代码的线程。守护线程(`daemon=True`,要在 `start()` 之前设置)在主线程的工作结束时被切断;非守护线程会被等待。继承 `Thread` 并重写 `run()` 是另一种写法。笔记里的 `setName()/getName()/isDaemon()/setDaemon()/currentThread()` 仍然可用,但从 Python 3.10 起已经不推荐:请用 `name`、`daemon`、`current_thread()`。
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
    print("main is", current_thread().name, "- ticker.isDaemon():", ticker.isDaemon())
