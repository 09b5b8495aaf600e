from multiprocessing import Lock, Process, Semaphore, Value


class Room:
    """A book, its readers and a writer: the readers share the room, the writer is alone."""

    def __init__(self):
        self.book = Value("i", 0)  # the shared data: its edition
        self.readers_inside = Value("i", 0)
        self.most_readers = Value("i", 0)  # the most readers ever inside together
        self.mutex = Lock()  # guards readers_inside
        self.empty = Semaphore(1)  # taken by the writer, or by the readers as a group


def reader(room, visits):
    for _ in range(visits):
        with room.mutex:
            room.readers_inside.value += 1
            if room.readers_inside.value == 1:
                room.empty.acquire()  # the first reader in locks the writers out
            room.most_readers.value = max(room.most_readers.value, room.readers_inside.value)
        print("read edition", room.book.value)
        with room.mutex:
            room.readers_inside.value -= 1
            if room.readers_inside.value == 0:
                room.empty.release()  # the last reader out lets a writer in


def writer(room, editions):
    for _ in range(editions):
        with room.empty:  # alone in the room
            room.book.value += 1


if __name__ == "__main__":
    room = Room()
    workers = [
        Process(target=reader, args=(room, 3), name="r0"),
        Process(target=reader, args=(room, 3), name="r1"),
        Process(target=writer, args=(room, 2), name="writer"),
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert room.book.value == 2, f"edition {room.book.value}, expected 2"
    assert room.readers_inside.value == 0, f"{room.readers_inside.value} readers still inside"
    print("edition", room.book.value, "- at most", room.most_readers.value, "readers at once")
