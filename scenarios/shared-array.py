"""Shared Array: from a list, from a size, from bytes

Try: press 1 a few times: filler writes the squares into `squares`, a cell a step. Then 2:
counter reads each cell of `counts` before it writes it; then 3 3: shouter writes `H` into
`word` and prints the whole byte string. Watch: the Shared memory pane: each cell with its
index, and the `'c'` array as bytes too.

`Array(typecode, obj)` makes several cells of shared memory. `obj` is the initial items (a
list, or bytes for `'c'`) or a number, the size: `Array('i', 3)` is three zeros. Index it and
iterate over it like a list; `len()` is its size. A `'c'` array's `.value` is its byte string.
"""

from ipc_tui.scenario import Array, Process

MODES = ("process", "thread")

LESSON_ZH = """
共享内存 Array:用列表、用大小、用字节串开辟

试一试:按几次 1:filler 把平方数写进 `squares`,每一步一个单元。然后按 2:counter 先读 `counts` 的每个单元再写入;再按两次 3:shouter 把 `H` 写进 `word`,并打印整个字节串。观察:Shared memory 面板:每个单元都标出下标,`'c'` 数组还显示成字节串。

`Array(ctype, obj)` 开辟多个共享内存单元。`obj` 是初始数据(列表,`'c'` 类型用字节串),或者是一个数字,表示大小:`Array('i', 3)` 是三个 0。可以像列表一样用下标访问和循环遍历;`len()` 是它的大小。`'c'` 数组的 `.value` 就是它的字节串。
"""

squares = Array("i", [0, 0, 0, 0, 0])  # from a list
counts = Array("i", 3)  # from a size: three zeros
word = Array("c", b"hello")  # from bytes


def fill():
    for i in range(len(squares)):
        squares[i] = i * i


def count():
    for i, _ in enumerate(counts):  # iterating reads each cell
        counts[i] = i + 1


def shout():
    word[0] = b"H"
    print(word.value)  # the whole byte string: b'Hello'


Process(target=fill, name="filler")
Process(target=count, name="counter")
Process(target=shout, name="shouter")


def check():  # what must hold at the end: ipc-tui checks it when every worker has ended
    assert list(squares) == [0, 1, 4, 9, 16] and list(counts) == [1, 2, 3]
    assert word.value == b"Hello", f"word is {word.value!r}"
