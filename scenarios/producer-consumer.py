import sys
from multiprocessing import Array, Condition, Lock, Process, Semaphore, Value


class Buffer:
    """A bounded buffer of 3 places: the producer puts items in, the consumer takes them out."""

    def __init__(self, size):
        self.places = Array("i", size)
        self.slots = Semaphore(size)  # free places
        self.items = Semaphore(0)  # filled places
        self.lock = Lock()
        self.put_at = Value("i", 0)  # the next place to put into
        self.take_at = Value("i", 0)  # the next place to take from


def produce(buf, count):
    for item in range(1, count + 1):
        buf.slots.acquire()  # blocks while the buffer is full
        with buf.lock:
            buf.places[buf.put_at.value] = item
            buf.put_at.value = (buf.put_at.value + 1) % len(buf.places)
        buf.items.release()


def consume(buf, eaten):
    for k in range(len(eaten)):
        buf.items.acquire()  # blocks while the buffer is empty
        with buf.lock:
            eaten[k] = buf.places[buf.take_at.value]
            buf.places[buf.take_at.value] = 0
            buf.take_at.value = (buf.take_at.value + 1) % len(buf.places)
        buf.slots.release()


class WaitingBuffer:
    """The same buffer, with one Condition instead of the two semaphores: wait until there is
    room (or an item), and tell the other side when that changed."""

    def __init__(self, size):
        self.places = Array("i", size)
        self.filled = Value("i", 0)  # how many places hold an item
        self.changed = Condition()  # its own lock guards everything here
        self.put_at = Value("i", 0)
        self.take_at = Value("i", 0)


def produce_waiting(buf, count):
    for item in range(1, count + 1):
        with buf.changed:
            buf.changed.wait_for(lambda: buf.filled.value < len(buf.places))  # full: wait
            buf.places[buf.put_at.value] = item
            buf.put_at.value = (buf.put_at.value + 1) % len(buf.places)
            buf.filled.value += 1
            buf.changed.notify()  # the consumer may be waiting for an item


def consume_waiting(buf, eaten):
    for k in range(len(eaten)):
        with buf.changed:
            buf.changed.wait_for(lambda: buf.filled.value > 0)  # empty: wait
            eaten[k] = buf.places[buf.take_at.value]
            buf.places[buf.take_at.value] = 0
            buf.take_at.value = (buf.take_at.value + 1) % len(buf.places)
            buf.filled.value -= 1
            buf.changed.notify()  # the producer may be waiting for room


if __name__ == "__main__":
    if sys.argv[1:] == ["condition"]:  # python producer-consumer.py condition
        buf = WaitingBuffer(3)
        put, take = produce_waiting, consume_waiting
    else:
        buf = Buffer(3)
        put, take = produce, consume
    eaten = Array("i", 6)
    producer = Process(target=put, args=(buf, 6), name="producer")
    consumer = Process(target=take, args=(buf, eaten), name="consumer")
    producer.start()
    consumer.start()
    producer.join()
    consumer.join()
    print("eaten", list(eaten))
    assert list(eaten) == [1, 2, 3, 4, 5, 6], f"eaten {list(eaten)}, expected 1 to 6 in order"
