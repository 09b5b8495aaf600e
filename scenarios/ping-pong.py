from multiprocessing import Array, Process, Semaphore, Value


def player(me, my_turn, their_turn, rally, hits, balls):
    for _ in range(balls):
        my_turn.acquire()  # wait for my turn
        rally[hits.value] = me
        hits.value += 1
        their_turn.release()  # hand the turn over


if __name__ == "__main__":
    ping_turn = Semaphore(1)  # ping serves first
    pong_turn = Semaphore(0)
    rally = Array("i", 6)  # who hit each ball: 1 for ping, 2 for pong
    hits = Value("i", 0)
    ping = Process(target=player, args=(1, ping_turn, pong_turn, rally, hits, 3), name="ping")
    pong = Process(target=player, args=(2, pong_turn, ping_turn, rally, hits, 3), name="pong")
    for p in (ping, pong):
        p.start()
    for p in (ping, pong):
        p.join()
    assert list(rally) == [1, 2, 1, 2, 1, 2], f"the rally went {list(rally)}"
    print("the rally went", list(rally))
