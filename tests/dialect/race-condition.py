"""Race condition: two workers, one counter, lost updates

Try: press 1 2 1 2 (headless: `--schedule 'w0,w1,w0,w1'`): w0 reads 0, w1 reads 0, both write
1: two additions, and the counter says 1. Hold 1 until w0 is done, then 2 until w1 is: it ends
at 5, one update lost (f instead runs both at once, and may lose more). Then press r to
restart, and hold 1 then 2 from the start (headless: `--schedule 'w0*,w1*'`): 6, exact. Watch: the counter cell (it shows the
value each write replaced) and the trace.

`counter.value += 1` looks like one operation but is two steps: read the value, then write the
value plus one. If w1 reads before w0 has written, both write the same number and one update is
lost. In thread mode the counter stands for the notes' global variable; in process mode it is a
shared-memory Value. Either way the fix is a lock (see the critical-section scenario).
"""

from ipc_tui.scenario import Process, Value

MODES = ("process", "thread")

LESSON_ZH = """
竞争条件:两个工作者,一个计数器,丢失的更新

试一试:按 1 2 1 2(无界面运行:`--schedule 'w0,w1,w0,w1'`):w0 读到 0,w1 也读到 0,两者都写回 1:加了两次,计数器却是 1。按住 1 直到 w0 结束,再按住 2 直到 w1 结束:最后是 5,丢了一次更新(按 f 则让两者同时运行,可能丢得更多)。然后按 r 重新开始,从头按住 1 再按住 2(无界面运行:`--schedule 'w0*,w1*'`):结果是 6,准确无误。观察:计数器单元格(它显示每次写入覆盖掉的值)和跟踪记录。

`counter.value += 1` 看起来是一个操作,其实是两步:先读出值,再写回值加一。如果 w1 在 w0 写回之前就读了,两者写回同一个数,其中一次更新就丢失了。线程模式下,这个计数器代表笔记里线程间通信用的全局变量;进程模式下,它是共享内存 Value。两种情况的解决办法都是加锁(见 critical-section 场景)。
"""

counter = Value("i", 0)


def add(times):
    for _ in range(times):
        counter.value += 1  # a read step, then a write step


Process(target=add, args=(3,))
Process(target=add, args=(3,))


def check():  # what must hold at the end: ipc-tui checks it when every worker has ended
    lost = 6 - counter.value  # each lost update is one worker's write over the other's
    assert counter.value == 6, f"counter is {counter.value}, expected 6: {lost} update(s) lost"
