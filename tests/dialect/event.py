"""Event: one set() wakes every waiter; a timeout gives up

Try: press 1 2 3: w0, w1 and w2 wait for `go` (parked, in the Events pane); 0.2 s later w2's
`wait(0.2)` gives up and returns False (the trace). Then press 4 twice: w3 sleeps 0.5 s, then
sets `go`, and w0 and w1 go on at once. f runs the rest: w3 clears `go`, and w4, late, waits
again and gives up. Watch: the flag, who is parked, the timeouts counting down.

An Event starts unset. `wait()` blocks while it is unset; `set()` sets it and releases every
worker waiting on it at once; `clear()` unsets it again, re-armed; `is_set()` reads it.
w0 and w1 wait for ever; w2 waits at most 0.2 s; w3 sleeps, sets the event, then clears it;
w4 comes late, after the clear, and blocks again.
"""

from ipc_tui.scenario import Event, Process, Value, sleep

MODES = ("process", "thread")

LESSON_ZH = """
事件:一次 set() 唤醒所有等待者;超时的等待会放弃

试一试:按 1 2 3:w0、w1 和 w2 等待 `go`(停在 Events 面板里);0.2 秒后,w2 的 `wait(0.2)` 放弃并返回 False(见跟踪记录)。然后按两次 4:w3 睡眠 0.5 秒,然后 set `go`,w0 和 w1 立刻继续。按 f 运行剩下的:w3 clear `go`,来晚了的 w4 又开始等待,最后放弃。观察:标志、停在上面的工作者、倒计时的超时。

Event 开始时是未设置的。`wait()` 在未设置时阻塞;`set()` 设置它,并一次释放所有等待的工作者;`clear()` 再把它清除,重新布防;`is_set()` 读取它。w0 和 w1 一直等待;w2 最多等 0.2 秒;w3 先睡眠,然后 set,再 clear;w4 来晚了,在 clear 之后才等待,于是又被阻塞。
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


Process(target=waiter)
Process(target=waiter)
Process(target=impatient, args=(0.2,))
Process(target=starter, args=(0.5,))
Process(target=latecomer, args=(0.8, 0.2))


def check():  # what must hold at the end: ipc-tui checks it when every worker has ended
    assert not go.is_set(), "the event is still set: clear() re-arms it"
