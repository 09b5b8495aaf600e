"""Critical section: the race-condition code under a lock

Try: press 1 2 1 2, the keys that lose an update in race-condition (headless:
`--schedule 'w0,w1,w0,w1'`): here w1 blocks on the lock while w0 holds it, and no update is
lost; f runs the rest free: the counter ends at 6, exact. Watch: the ▌ bar in the Code pane
marks the critical section: never two names inside it.

The lines inside `with lock:` are the critical section. Only the worker holding the lock runs
them, so a read and its write can no longer be split by another worker. This is mutual
exclusion: whoever uses the shared counter locks it, and the others wait.
"""

from ipc_tui.scenario import Lock, Process, Value

MODES = ("process", "thread")

LESSON_ZH = """
临界区:加了锁的竞争条件代码

试一试:按 1 2 1 2,也就是在 race-condition 里会丢失更新的按键(无界面运行:`--schedule 'w0,w1,w0,w1'`):这里 w0 持有锁时,w1 阻塞在锁上,没有更新会丢失;按 f 让剩下的自由运行:计数器最后是 6,准确无误。观察:Code 面板里的 ▌ 标出临界区;里面永远不会同时出现两个名字。

`with lock:` 里面的代码就是临界区。只有持有锁的工作者能执行它,所以读和写之间不会再被别的工作者插进来。这就是互斥:使用共享计数器的工作者先加锁,其他工作者等待它解锁。
"""

counter = Value("i", 0)
lock = Lock()


def add(times):
    for _ in range(times):
        with lock:
            counter.value += 1  # the critical section: one worker at a time


Process(target=add, args=(3,))
Process(target=add, args=(3,))


def check():  # what must hold at the end: ipc-tui checks it when every worker has ended
    lost = 6 - counter.value  # each lost update is one worker's write over the other's
    assert counter.value == 6, f"counter is {counter.value}, expected 6: {lost} update(s) lost"
