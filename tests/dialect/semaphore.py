"""Semaphore: four workers share two permits

Try: press 1 and 2: w0 and w1 take the two permits; then 3: w2 blocks at 0 (headless:
`--schedule 'w0,w1,w2'`). Then press 1 three times: w0 reads the count, sleeps and releases,
and w2 gets in. Watch: the Semaphores pane: the count, who is inside, who is blocked at 0.

`Semaphore(2)` holds a count of 2. `acquire()` takes one and blocks while the count is 0;
`release()` gives one back and wakes a blocked worker; `get_value()` reads the count. So never
more than two workers are between their acquire and their release at once.
"""

from ipc_tui.scenario import Process, Semaphore, sleep

MODES = ("process", "thread")

LESSON_ZH = """
信号量:四个工作者共用两个许可

试一试:按 1 和 2:w0 和 w1 拿走两个许可;再按 3:w2 阻塞在 0(无界面运行:`--schedule 'w0,w1,w2'`)。然后按三次 1:w0 读取数量、睡眠、release,w2 就进去了。观察:Semaphores 面板:数量、谁在里面、谁阻塞在 0。

`Semaphore(2)` 的数量是 2。`acquire()` 消耗一个,数量为 0 时阻塞;`release()` 增加一个并唤醒一个阻塞的工作者;`get_value()` 读取数量。所以任何时候,处在 acquire 和 release 之间的工作者不会超过两个。
"""

permits = Semaphore(2)


def visit(seconds):
    permits.acquire()  # take a permit; at 0 this blocks
    permits.get_value()  # how many are left for the others
    sleep(seconds)  # inside: at most two workers here at once
    permits.release()  # give the permit back


for _ in range(4):
    Process(target=visit, args=(0.1,))


def check():  # what must hold at the end: ipc-tui checks it when every worker has ended
    assert permits.get_value() == 2, f"{permits.get_value()} permits left, expected both back"
