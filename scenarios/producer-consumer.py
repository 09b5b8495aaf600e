from multiprocessing import Array, Lock, Process, Semaphore, Value


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


if __name__ == "__main__":
    buf = Buffer(3)
    eaten = Array("i", 6)
    producer = Process(target=produce, args=(buf, 6), name="producer")
    consumer = Process(target=consume, args=(buf, eaten), name="consumer")
    producer.start()
    consumer.start()
    producer.join()
    consumer.join()
    print("eaten", list(eaten))
    assert list(eaten) == [1, 2, 3, 4, 5, 6], f"eaten {list(eaten)}, expected 1 to 6 in order"
