"""Readers-writers: many read at once, a writer starves

Try: press 1 until r0 reads (10 times: the trace says `read edition 0`), then 2 until r1 reads
too (9 times), then 3: the writer blocks on `room_empty` (headless:
`--schedule 'r0x10,r1x9,writer'`). Keep r0 and r1 going in and out (1, 2, ...): the writer gets
in only when both are out at the same time. Watch: `readers_inside`, and the writer blocked on
`room_empty`.

Readers only look, so any number may read at once; a writer changes the book, so it must be
alone. The first reader in takes `room_empty` for all the readers (the light switch), the last
one out gives it back. The writer needs `room_empty` for itself. While readers keep coming
and going, the room is never empty, and the writer waits: it starves.
"""

from ipc_tui.scenario import Lock, Process, Semaphore, Value

MODES = ("process", "thread")

LESSON_ZH = """
读者-写者:许多读者同时读,写者被饿死

试一试:按 1 直到 r0 开始读(10 次:跟踪记录里出现 `read edition 0`),再按 2 直到 r1 也开始读(9 次),然后按 3:写者阻塞在 `room_empty` 上(无界面运行:`--schedule 'r0x10,r1x9,writer'`)。让 r0 和 r1 不断进出(1、2……):只有两人同时都在外面时,写者才进得去。观察:`readers_inside` 和阻塞在 `room_empty` 上的写者。

读者只看,所以任意多个读者可以同时读;写者要修改书,所以必须独自一人。第一个进来的读者替所有读者拿走 `room_empty`(电灯开关),最后一个出去的读者把它还回去。写者需要独占 `room_empty`。只要读者不断地进进出出,房间就永远不空,写者只能一直等待:它被饿死了。
"""

book = Value("i", 0)  # the shared data: its edition
readers_inside = Value("i", 0)
most_readers = Value("i", 0)  # the most readers ever inside together
mutex = Lock()  # guards readers_inside
room_empty = Semaphore(1)  # taken by the writer, or by the readers as a group


def reader(visits):
    for _ in range(visits):
        with mutex:
            readers_inside.value += 1
            if readers_inside.value == 1:
                room_empty.acquire()  # the first reader in locks the writers out
            most_readers.value = max(most_readers.value, readers_inside.value)
        print("read edition", book.value)
        with mutex:
            readers_inside.value -= 1
            if readers_inside.value == 0:
                room_empty.release()  # the last reader out lets a writer in


def writer(editions):
    for _ in range(editions):
        with room_empty:  # alone in the room
            book.value += 1


Process(target=reader, args=(3,), name="r0")
Process(target=reader, args=(3,), name="r1")
Process(target=writer, args=(2,), name="writer")


def check():  # what must hold at the end: ipc-tui checks it when every worker has ended
    assert book.value == 2, f"edition {book.value}, expected 2"
    assert readers_inside.value == 0, f"{readers_inside.value} readers still inside"
