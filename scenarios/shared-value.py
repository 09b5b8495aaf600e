from multiprocessing import Process, Value


def write(number, price, letter, n, p, c):
    number.value = n
    price.value = p
    letter.value = c


if __name__ == "__main__":
    number = Value("i", 0)
    price = Value("d", 0.0)
    letter = Value("c", b"-")
    cells = (number, price, letter)
    writers = [
        Process(target=write, args=(*cells, 1, 1.5, b"a"), name="w0"),
        Process(target=write, args=(*cells, 2, 2.5, b"b"), name="w1"),
        Process(target=write, args=(*cells, 3, 3.5, b"c"), name="w2"),
    ]
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    print("number", number.value, "price", price.value, "letter", letter.value)
