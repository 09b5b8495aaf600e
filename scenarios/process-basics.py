"""Process basics: start, join, pid, daemon, exit code

Try: press 2 again and again: each press runs main, the parent, one step further; when main
waits in `join()` for a child, press that child's number to step it to its end (the Workers
pane says who main is blocked on); f runs the rest. Watch: what main prints, in the trace: before `start()` greeter has no pid and is not
alive; after it, it has a pid and is alive; at the end, the exit codes.

`Process(target, args, kwargs, name)` describes a process; `start()` creates it (only then
does it have a `pid`); `join()` waits for it to end; `exitcode` is 0 once it ended well.
A subclass of `Process` that overrides `run()` is the other way to say what it does.
Here `main()` is the parent process's own program: it starts both children and waits for them.
"""

from ipc_tui.scenario import Process, sleep

MODES = ("process",)

LESSON_ZH = """
进程基础:创建、启动和回收进程,pid、daemon 和退出码

试一试:一次又一次地按 2:每按一次,父进程 main 就往下走一步;当 main 在 `join()` 里等某个子进程时,按那个子进程的编号,一步步让它运行到结束(Workers 面板显示 main 阻塞在谁上);按 f 运行剩下的。观察:main 在跟踪记录里打印的内容:`start()` 之前,greeter 没有 pid,也不存活;之后它有了 pid,而且存活;最后是退出码。

`Process(target, args, kwargs, name)` 描述一个进程;`start()` 才真正创建它(之后才有 `pid`);`join()` 等待它结束;正常结束后 `exitcode` 是 0。继承 `Process` 并重写 `run()` 的自定义进程类是另一种写法。这里的 `main()` 是父进程自己的程序:它启动两个子进程并等待它们结束。
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
