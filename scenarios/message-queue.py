from multiprocessing import Process, Queue


def produce(jobs, count):
    for item in range(1, count + 1):
        jobs.put(item)  # blocks while the queue is full
    jobs.put(None)  # "no more": the consumer stops at it


def consume(jobs, results):
    got = []
    while True:
        item = jobs.get()  # blocks while the queue is empty
        if item is None:
            break
        got.append(item)
    results.put(got)


if __name__ == "__main__":
    jobs = Queue(2)  # at most 2 items in transit
    results = Queue()
    producer = Process(target=produce, args=(jobs, 5), name="producer")
    consumer = Process(target=consume, args=(jobs, results), name="consumer")
    producer.start()
    consumer.start()
    got = results.get()  # (before the joins: a process ends once what it put has gone)
    producer.join()
    consumer.join()
    print("got", got)
    assert got == [1, 2, 3, 4, 5], f"got {got}, expected 1 to 5 in order"
