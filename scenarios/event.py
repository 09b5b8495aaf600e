"""Event: one set() releases every waiter; a wait(timeout) gives up and returns False.

An Event starts unset. `wait()` blocks while it is unset; `set()` sets it and releases every
worker waiting on it at once; `clear()` unsets it again, re-armed; `is_set()` reads it.
w0 and w1 wait for ever; w2 waits at most 0.2 s and gives up (its wait returns False);
w3 sleeps, sets the event, then clears it; w4 comes late, after the clear, and blocks again.

Watch: the Events pane (the flag and who is parked on it) and the result of each wait in the
trace. Try: step w0, w1 and w2 into their waits, let w2's timeout run out, then step w3.
"""

from ipc_tui.scenario import Event, Process, Value, sleep

MODES = ("process", "thread")

LESSON_ZH = """
事件:一次 set() 释放所有等待者;带超时的 wait(timeout) 会放弃并返回 False。

Event 开始时是未设置的。`wait()` 在未设置时阻塞;`set()` 设置它,并一次释放所有等待的工作者;`clear()` 再把它清除,重新布防;`is_set()` 读取它。w0 和 w1 一直等待;w2 最多等 0.2 秒就放弃(它的 wait 返回 False);w3 先睡眠,然后 set,再 clear;w4 来晚了,在 clear 之后才等待,于是又被阻塞。

观察:Events 面板(标志和停在上面的工作者)以及跟踪记录里每次 wait 的结果。试一试:单步 w0、w1、w2 进入 wait,让 w2 的超时耗尽,再单步 w3。
"""

go = Event()
gave_up = Value("i", 0)  # 1 once w2's wait(timeout) has returned False
late_gave_up = Value("i", 0)  # 1 once w4's wait, after the clear(), has returned False


def waiter():
    go.wait()  # blocks while the event is unset


def impatient(timeout):
    if not go.wait(timeout):  # False: the timeout ran out before anyone called set()
        gave_up.value = 1


def starter(delay):
    sleep(delay)
    go.set()  # every waiter is released at once
    go.clear()  # re-armed: whoever waits from now on blocks again


def latecomer(delay, timeout):
    sleep(delay)
    if not go.wait(timeout):  # cleared again: it blocks, and gives up
        late_gave_up.value = 1


def check():  # what must hold at the end: ipc-tui checks it when every worker has ended
    assert not go.is_set(), "the event is still set: clear() re-arms it"


Process(target=waiter)
Process(target=waiter)
Process(target=impatient, args=(0.2,))
Process(target=starter, args=(0.5,))
Process(target=latecomer, args=(0.8, 0.2))
