"""Shared Value: three processes write the same three cells; each write replaces the last.

`Value(typecode, data)` makes one cell of shared memory, visible to every process: `'i'` holds
an int, `'d'` a float (the notes' `'f'` is a smaller float), `'c'` one byte. Reading or
assigning `.value` reads or writes the shared memory itself. Nothing queues up: a write
overwrites whatever was there, and the value before it is gone.

Watch: the Shared memory pane; each cell flashes when a write lands and shows what it replaced.
Try: step w0, then w2, then w1: the cells end with w1's values, whoever wrote first.
"""

from ipc_tui.scenario import Process, Value

MODES = ("process", "thread")

LESSON_ZH = """
共享内存 Value:三个进程写同样的三个单元;每次写入都会覆盖上一次的内容。

`Value(ctype, data)` 开辟一块共享内存,对所有进程可见:`'i'` 存整数,`'d'` 存浮点数(笔记里的 `'f'` 是精度较低的浮点数),`'c'` 存一个字节。读取或赋值 `.value` 就是读写共享内存本身。写入不会排队:每次写入都覆盖之前的内容,之前的值就没有了。

观察:Shared memory 面板;每次写入时单元会闪烁,并显示被覆盖的值。试一试:单步 w0,然后 w2,然后 w1:无论谁先写,单元最后都是 w1 的值。
"""

number = Value("i", 0)
price = Value("d", 0.0)
letter = Value("c", b"-")


def write(n, p, c):
    number.value = n
    price.value = p
    letter.value = c


Process(target=write, args=(1, 1.5, b"a"))
Process(target=write, args=(2, 2.5, b"b"))
Process(target=write, args=(3, 3.5, b"c"))
