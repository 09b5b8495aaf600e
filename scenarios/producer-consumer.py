"""Producer-consumer: a bounded buffer in an Array, two semaphores and a lock.

The producer puts items into a buffer of 3 places; the consumer takes them out, in order.
`slots` counts the free places: the producer blocks on it when the buffer is full. `items`
counts the filled places: the consumer blocks on it when the buffer is empty. The lock keeps
the two from updating the buffer's ends at the same moment.

Watch: the buffer cells, and who is blocked: the producer on `slots` (full), the consumer on
`items` (empty). Try: `producer*`: it fills 3 places and blocks, full; then step the consumer.
"""

from ipc_tui.scenario import Array, Lock, Process, Semaphore, Value

MODES = ("process", "thread")

LESSON_ZH = """
生产者-消费者:用 Array 做的有界缓冲区,两个信号量和一把锁。

生产者把物品放进有 3 个位置的缓冲区;消费者按顺序取出。`slots` 记录空位:缓冲区满时,生产者阻塞在它上面。`items` 记录已放入的物品:缓冲区空时,消费者阻塞在它上面。锁保证两者不会同时修改缓冲区的两端。

观察:缓冲区单元,以及谁在阻塞:生产者阻塞在 `slots` 上(满),消费者阻塞在 `items` 上(空)。试一试:`producer*`:它放满 3 个位置后阻塞(满);然后单步消费者。
"""

buffer = Array("i", 3)
slots = Semaphore(3)  # free places
items = Semaphore(0)  # filled places
lock = Lock()
put_at = Value("i", 0)  # the next place to put into
take_at = Value("i", 0)  # the next place to take from
eaten = Array("i", 6)


def produce(count):
    for item in range(1, count + 1):
        slots.acquire()  # blocks while the buffer is full
        with lock:
            buffer[put_at.value] = item
            put_at.value = (put_at.value + 1) % len(buffer)
        items.release()


def consume(count):
    for k in range(count):
        items.acquire()  # blocks while the buffer is empty
        with lock:
            eaten[k] = buffer[take_at.value]
            buffer[take_at.value] = 0
            take_at.value = (take_at.value + 1) % len(buffer)
        slots.release()


def check():  # what must hold at the end: ipc-tui checks it when every worker has ended
    assert list(eaten) == [1, 2, 3, 4, 5, 6], f"eaten {list(eaten)}, expected 1 to 6 in order"


Process(target=produce, args=(6,), name="producer")
Process(target=consume, args=(6,), name="consumer")
