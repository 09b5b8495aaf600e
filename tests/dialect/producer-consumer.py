"""Producer-consumer: a bounded buffer, full and empty

Try: hold 1 down until the producer blocks on `slots` (the 25th press; headless:
`--schedule 'producer*'`): the buffer is full. Then press 2 until the consumer releases `slots`
(11 presses): the producer may put one more. Or start with 2: the consumer blocks on `items`, the
buffer empty. Watch: the buffer cells, and who is blocked on what: the producer on `slots`
(full), the consumer on `items` (empty).

The producer puts items into a buffer of 3 places; the consumer takes them out, in order.
`slots` counts the free places, `items` the filled ones. The lock keeps the two from updating
the buffer's ends at the same moment.
"""

from ipc_tui.scenario import Array, Lock, Process, Semaphore, Value

MODES = ("process", "thread")

LESSON_ZH = """
生产者-消费者:有界缓冲区,满了和空了

试一试:按住 1,直到生产者阻塞在 `slots` 上(第 25 次按键;无界面运行:`--schedule 'producer*'`):缓冲区满了。然后按 2,直到消费者释放 `slots`(11 次按键):生产者又可以放一个。或者先按 2:消费者阻塞在 `items` 上,缓冲区是空的。观察:缓冲区单元,以及谁阻塞在什么上:生产者阻塞在 `slots` 上(满),消费者阻塞在 `items` 上(空)。

生产者把物品放进有 3 个位置的缓冲区;消费者按顺序取出。`slots` 记录空位,`items` 记录已放入的物品。锁保证两者不会同时修改缓冲区的两端。
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


Process(target=produce, args=(6,), name="producer")
Process(target=consume, args=(6,), name="consumer")


def check():  # what must hold at the end: ipc-tui checks it when every worker has ended
    assert list(eaten) == [1, 2, 3, 4, 5, 6], f"eaten {list(eaten)}, expected 1 to 6 in order"
