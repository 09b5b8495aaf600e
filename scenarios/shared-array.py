from multiprocessing import Array, Process


def fill(squares):
    for i in range(len(squares)):
        squares[i] = i * i


def count(counts):
    for i, _ in enumerate(counts):  # iterating reads each cell
        counts[i] = i + 1


def shout(word):
    word[0] = b"H"
    print(word.value)  # the whole byte string: b'Hello'


if __name__ == "__main__":
    squares = Array("i", [0, 0, 0, 0, 0])  # from a list
    counts = Array("i", 3)  # from a size: three zeros
    word = Array("c", b"hello")  # from bytes
    workers = [
        Process(target=fill, args=(squares,), name="filler"),
        Process(target=count, args=(counts,), name="counter"),
        Process(target=shout, args=(word,), name="shouter"),
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert list(squares) == [0, 1, 4, 9, 16] and list(counts) == [1, 2, 3]
    assert word.value == b"Hello", f"word is {word.value!r}"
    print("squares", list(squares), "counts", list(counts), "word", word.value)
