"""Shared Value: each write replaces the last

Try: press 1 1 1, then 3 3 3, then 2 2 2 (headless: `--schedule 'w0*,w2*,w1*'`): the cells end
with w1's values, the last writer's, whoever wrote first. Watch: the Shared memory pane; each
cell flashes when a write lands and shows what it replaced.

`Value(typecode, data)` makes one cell of shared memory, visible to every process: `'i'` holds
an int, `'d'` a float (the notes' `'f'` is a smaller float), `'c'` one byte. Reading or
assigning `.value` reads or writes the shared memory itself. Nothing queues up: a write
overwrites whatever was there, and the value before it is gone.
"""

from ipc_tui.scenario import Process, Value

MODES = ("process", "thread")

LESSON_ZH = """
共享内存 Value:每次写入都覆盖上一次

试一试:按 1 1 1,再按 3 3 3,再按 2 2 2(无界面运行:`--schedule 'w0*,w2*,w1*'`):无论谁先写,单元最后都是最后一个写入者 w1 的值。观察:Shared memory 面板;每次写入时单元会闪烁,并显示被覆盖的值。

`Value(ctype, data)` 开辟一块共享内存,对所有进程可见:`'i'` 存整数,`'d'` 存浮点数(笔记里的 `'f'` 是精度较低的浮点数),`'c'` 存一个字节。读取或赋值 `.value` 就是读写共享内存本身。写入不会排队:每次写入都覆盖之前的内容,之前的值就没有了。
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
