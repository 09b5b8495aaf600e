"""Race condition: two workers add to one counter without a lock, and updates get lost.

`counter.value += 1` looks like one operation but is two steps: read the value, then write the
value plus one. If w1 reads before w0 has written, both write the same number and one update is
lost. In thread mode the counter stands for the notes' global variable; in process mode it is a
shared-memory Value. Either way the fix is a lock (see the critical-section scenario).

Watch: the counter cell and the trace. Try: step w0, w1, w0, w1 (schedule `w0,w1,w0,w1`) and
see the counter end one short; then restart and run `w0*,w1*` to see it exact.
"""

from ipc_tui.scenario import Process, Value

MODES = ("process", "thread")

LESSON_ZH = """
竞争条件:两个工作者不加锁地给同一个计数器加一,更新丢失了。

`counter.value += 1` 看起来是一个操作,其实是两步:先读出值,再写回值加一。如果 w1 在 w0 写回之前就读了,两者写回同一个数,其中一次更新就丢失了。线程模式下,这个计数器代表笔记里线程间通信用的全局变量;进程模式下,它是共享内存 Value。两种情况的解决办法都是加锁(见 critical-section 场景)。

观察:计数器单元格和跟踪记录。试一试:依次单步 w0、w1、w0、w1(调度 `w0,w1,w0,w1`),看计数器少了一;然后重新开始,运行 `w0*,w1*`,结果就准确了。
"""

counter = Value("i", 0)


def add(times):
    for _ in range(times):
        counter.value += 1  # a read step, then a write step


def check():  # what must hold at the end: ipc-tui checks it when every worker has ended
    lost = 6 - counter.value  # each lost update is one worker's write over the other's
    assert counter.value == 6, f"counter is {counter.value}, expected 6: {lost} update(s) lost"


Process(target=add, args=(3,))
Process(target=add, args=(3,))
