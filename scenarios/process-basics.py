"""Process basics: start and join processes; their name, pid, daemon, alive flag, exit code.

`Process(target, args, kwargs, name)` describes a process; `start()` creates it (only then
does it have a `pid`); `join()` waits for it to end; `exitcode` is 0 once it ended well.
A subclass of `Process` that overrides `run()` is the other way to say what it does.
Here `main()` is the parent process's own program: it starts both children and waits for them.

Watch: the Workers pane (pid empty before start, the alive flag, the exit code) and what main
prints in the trace. Try: step main one step at a time and read each line as it runs.
"""

from ipc_tui.scenario import Process, sleep

MODES = ("process",)

LESSON_ZH = """
进程基础:创建、启动和回收进程;查看进程的名称、pid、daemon 标志、是否存活和退出码。

`Process(target, args, kwargs, name)` 描述一个进程;`start()` 才真正创建它(之后才有 `pid`);`join()` 等待它结束;正常结束后 `exitcode` 是 0。继承 `Process` 并重写 `run()` 的自定义进程类是另一种写法。这里的 `main()` 是父进程自己的程序:它启动两个子进程并等待它们结束。

观察:Workers 面板(start 之前 pid 为空、是否存活、退出码)以及 main 在跟踪记录里打印的内容。试一试:一步一步地单步 main,看每一行代码执行时发生了什么。
"""


def greet(who, times=1):
    for _ in range(times):
        print("hello from", who)
        sleep(0.1)


class Counter(Process):  # a custom process class: run() is what it does
    def __init__(self, up_to):
        super().__init__(name="counter")
        self.up_to = up_to

    def run(self):
        for i in range(1, self.up_to + 1):
            print("count", i)


greeter = Process(target=greet, args=("greeter",), kwargs={"times": 2}, name="greeter")


def main():
    print("before start:", greeter.name, "pid", greeter.pid, "alive", greeter.is_alive())
    greeter.start()
    print("after start: pid", greeter.pid, "alive", greeter.is_alive(), "daemon", greeter.daemon)
    counter = Counter(3)
    counter.start()
    greeter.join()
    counter.join()
    print("exit codes:", greeter.exitcode, counter.exitcode, "alive", greeter.is_alive())
