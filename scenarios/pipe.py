from multiprocessing import Pipe, Process


def child(conn):
    while True:
        word = conn.recv()  # blocks until the parent sends something
        if word is None:
            break
        conn.send(word.upper())  # the answer goes back through the same pipe
    conn.close()


if __name__ == "__main__":
    parent_end, child_end = Pipe()  # two ends; each can send and receive
    talker = Process(target=child, args=(child_end,), name="child")
    talker.start()
    heard = []
    for word in ("ping", "pong"):
        parent_end.send(word)
        heard.append(parent_end.recv())  # blocks until the child answers
    parent_end.send(None)  # "that's all"
    talker.join()
    print("the parent heard", heard)
    assert heard == ["PING", "PONG"], f"heard {heard}"
