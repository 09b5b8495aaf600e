"""Barrier: nobody goes on until all have arrived

Try: hold 1 down until r0 blocks on `gate_in` (the 8th press), then hold 2 until r1 does (headless:
`--schedule 'r0*,r1*'`): both wait at the barrier, however long. Then hold 3: r2 arrives last
and opens the turnstile for everyone. Watch: the Workers pane (■ blocked on `gate_in`) and the
Semaphores pane (who is blocked at 0).

A barrier made of a lock, a counter and two semaphores (a turnstile to go in, one to go out).
Each runner counts itself in under the lock; the last to arrive opens the turnstile for
everyone. On the way out the same again, so the barrier is ready for the next round.
"""

from ipc_tui.scenario import Lock, Process, Semaphore, Value

MODES = ("process", "thread")

LESSON_ZH = """
屏障:所有人都到齐之前,谁也不能继续

试一试:按住 1,直到 r0 阻塞在 `gate_in` 上(第 8 次按键),再按住 2,直到 r1 也阻塞(无界面运行:`--schedule 'r0*,r1*'`):两人都在屏障前等待,无论多久。然后按住 3:r2 最后到达,为所有人打开闸门。观察:Workers 面板(■ 阻塞在 `gate_in` 上)和 Semaphores 面板(谁阻塞在 0)。

屏障由一把锁、一个计数器和两个信号量(一个进门的闸门,一个出门的闸门)组成。每个跑者在锁的保护下给自己计数;最后到达的人为所有人打开闸门。出去的时候再来一遍,这样屏障就为下一轮准备好了。
"""

RUNNERS = 3

inside = Value("i", 0)  # how many are at the barrier now
arrived = Value("i", 0)  # how many arrivals in all, every round
passed_after = Value("i", RUNNERS)  # the fewest arrivals anyone saw when it went through
lock = Lock()
gate_in = Semaphore(0)
gate_out = Semaphore(0)


def wait_for_all():
    with lock:
        inside.value += 1
        arrived.value += 1
        if inside.value == RUNNERS:  # the last one opens the way in for everyone
            for _ in range(RUNNERS):
                gate_in.release()
    gate_in.acquire()
    with lock:
        inside.value -= 1
        if inside.value == 0:  # the last one out opens the way out
            for _ in range(RUNNERS):
                gate_out.release()
    gate_out.acquire()


def run(rounds):
    for lap in range(1, rounds + 1):
        wait_for_all()
        with lock:  # everyone had arrived for this lap when anyone got through
            passed_after.value = min(passed_after.value, arrived.value - RUNNERS * (lap - 1))


for runner in range(RUNNERS):
    Process(target=run, args=(2,), name=f"r{runner}")


def check():  # what must hold at the end: ipc-tui checks it when every worker has ended
    assert passed_after.value == RUNNERS, f"one went through after {passed_after.value} arrived"
