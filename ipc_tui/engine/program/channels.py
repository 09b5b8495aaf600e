"""The program's queues and pipes, watched: each is the real one underneath (watched.py's rules).

`multiprocessing.Queue`, `JoinableQueue`, `SimpleQueue`, `queue.Queue` (and its `LifoQueue`
and `PriorityQueue`, their items listed next out first) and both ends of a
`multiprocessing.Pipe()`: `put`, `get`, `task_done`, `join`, `send`, `recv`, `poll` and a
pipe end's `close` are steps (engine/runtime.step). A step that waits (a get on an empty queue,
a put on a full one, a join, a recv with nothing in flight) tries at once, and else is shown
blocked on the queue or the pipe's end and waits on the real object.

What each step put or got travels in its report as a short repr (`_Item`): the session keeps
a multiprocessing queue's items, and a pipe's messages in flight, from the steps (the real
ones are bytes in a pipe, unreadable without taking them). What a queue or an end says for
itself (`peek`) is what can be read for real: a queue's count (`qsize()`, the puts not yet
got), its unfinished tasks, a `queue.Queue`'s items themselves, whether a message waits at a
pipe's end (`poll()`).

The same arguments, results and exceptions as the standard library's: `queue.Empty`,
`queue.Full`, `EOFError` at a pipe's closed end, `ValueError` on a closed queue; a queue pickles
as the real one (a multiprocessing queue only while a process is being started) plus its id.
"""

from __future__ import annotations

import heapq
import itertools
import queue as queue_module
import reprlib
from multiprocessing.reduction import ForkingPickler
from time import monotonic
from typing import Any

from ipc_tui.engine.program import watched
from ipc_tui.engine.program.agent import here
from ipc_tui.engine.runtime import step

LONGEST = 24  # characters of an item's repr shown
SHOWN = 40  # items of a queue.Queue read at once


_REPR = reprlib.Repr()  # (bounded: a list of a million items is not written out to be cut)
_REPR.maxstring = _REPR.maxother = LONGEST
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 4


def said(item: Any) -> str:
    """An item as the panes show it: its repr, cut short."""
    try:
        text = _REPR.repr(item)
    except Exception:  # noqa: BLE001 (a repr that fails: say what it is)
        text = f"<{type(item).__name__}>"
    return text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"


class _Item:
    """What a put or a get moved: the program gets the item itself; the step's report (pickled
    to the session) a short repr of it."""

    __slots__ = ("item",)

    def __init__(self, item: Any):
        self.item = item

    def __reduce__(self):
        return (str, (said(self.item),))


class _Word:
    """A step's outcome that is no item: "empty", "full" (the method then raises)."""

    def __init__(self, word: str):
        self.word = word

    def __reduce__(self):
        return (str, (f"({self.word})",))


EMPTY, FULL = _Word("empty"), _Word("full")


def _check_timeout(timeout: Any) -> None:
    """queue.Queue's own refusal (a multiprocessing queue takes a negative timeout as 0)."""
    if timeout is not None and timeout < 0:
        raise ValueError("'timeout' must be a non-negative number")


# -- queues ------------------------------------------------------------------------------------


class _QueueCore(watched.Watched):
    """What every watched queue does: put and get are steps."""

    kind = "queue"
    readable = False  # its items can be read for real (queue.Queue's)
    joinable = False

    def __init__(self, real: Any, what: str, maxsize: int = 0, frame: Any = None):
        self.maxsize = maxsize if maxsize and maxsize > 0 else 0
        self._made(real, what, frame if frame is not None else watched._caller())

    def _ready(self) -> None:
        self.shared = not self.readable

    def details(self) -> dict:
        return {
            **super().details(),
            "maxsize": self.maxsize,
            "readable": self.readable,
            "joinable": self.joinable,
        }

    def _state(self) -> dict:
        return {**super()._state(), "maxsize": self.maxsize}

    # What can be read for real

    def size(self) -> int | None:
        try:
            return self._real.qsize()
        except (NotImplementedError, OSError, ValueError):
            return None

    def unfinished(self) -> int | None:
        return None

    def peek(self) -> dict:
        return {"size": self.size(), "items": None, "unfinished": self.unfinished()}

    def shown(self, op: str, index: Any) -> Any:
        return self.size()

    # The operations

    def _put_block(self, obj: Any, block: bool, timeout: float | None = None) -> bool:
        try:
            if not block:
                self._real.put(obj, False)
            elif timeout is None:
                self._real.put(obj)
            else:
                self._real.put(obj, True, timeout)
        except queue_module.Full:
            return False
        return True

    def _put_now(self, obj: Any) -> Any:
        return _Item(obj) if self._put_block(obj, False) else FULL

    def _put_wait(self, obj: Any, timeout: float | None) -> Any:
        return _Item(obj) if self._put_block(obj, True, timeout) else FULL

    def put(self, obj: Any, block: bool = True, timeout: float | None = None) -> None:
        if self.readable:
            _check_timeout(timeout if block else None)
        if not block:
            outcome = step("put", self, self._put_now, (obj,))
        else:

            def take(block: bool, timeout: float | None = None) -> bool:
                return self._put_block(obj, block, timeout)

            outcome = step(
                "put",
                self,
                self._put_wait,
                (obj, timeout),
                take=take,
                timeout=timeout,
                then=lambda: _Item(obj),
            )
        if outcome is FULL or outcome is False:
            raise queue_module.Full

    def _get_block(self, box: list, block: bool, timeout: float | None = None) -> bool:
        try:
            if not block:
                box.append(self._real.get(False))
            elif timeout is None:
                box.append(self._real.get())
            else:
                box.append(self._real.get(True, timeout))
        except queue_module.Empty:
            return False
        return True

    def _get_now(self) -> Any:
        box: list = []
        return _Item(box[0]) if self._get_block(box, False) else EMPTY

    def _get_wait(self, timeout: float | None) -> Any:
        box: list = []
        return _Item(box[0]) if self._get_block(box, True, timeout) else EMPTY

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        if self.readable:
            _check_timeout(timeout if block else None)
        if not block:
            outcome = step("get", self, self._get_now)
        else:
            box: list = []

            def take(block: bool, timeout: float | None = None) -> bool:
                return self._get_block(box, block, timeout)

            outcome = step(
                "get",
                self,
                self._get_wait,
                (timeout,),
                take=take,
                timeout=timeout,
                then=lambda: _Item(box.pop()),
            )
        if outcome is EMPTY or outcome is False:
            raise queue_module.Empty
        return outcome.item

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._real, name)


class WatchedQueue(_QueueCore):
    """multiprocessing's Queue."""

    def put_nowait(self, obj: Any) -> None:
        self.put(obj, False)

    def get_nowait(self) -> Any:
        return self.get(False)


def _all_done() -> str:
    return "(all tasks done)"


class _Joinable:
    """task_done and join, as steps (JoinableQueue's and queue.Queue's)."""

    joinable = True

    def task_done(self) -> None:
        step("task_done", self, self._real.task_done)  # type: ignore[attr-defined]

    def _all_done(self) -> bool:
        return self.unfinished() == 0  # type: ignore[attr-defined]

    def _joined(self, block: bool, timeout: float | None = None) -> bool:
        if not block:
            return self._all_done()
        with self._condition():
            return self._condition().wait_for(self._all_done, timeout)

    def join(self) -> None:
        step("join", self, self._real.join, take=self._joined, then=_all_done)  # type: ignore[attr-defined]


class WatchedJoinableQueue(_Joinable, WatchedQueue):
    def unfinished(self) -> int | None:
        try:
            return self._real._unfinished_tasks._semlock._get_value()
        except (AttributeError, NotImplementedError, OSError):
            return None

    def _all_done(self) -> bool:
        return self._real._unfinished_tasks._semlock._is_zero()

    def _condition(self) -> Any:
        return self._real._cond


class WatchedSimpleQueue(_QueueCore):
    """multiprocessing's SimpleQueue: no size to ask, no blocking arguments; whether it is
    empty is read for real (a message waits in its pipe)."""

    def size(self) -> int | None:
        return None

    def peek(self) -> dict:
        try:
            empty = self._real.empty()
        except (OSError, ValueError):
            empty = None
        return {"size": None, "items": None, "unfinished": None, "empty": empty}

    def shown(self, op: str, index: Any) -> Any:
        return None

    def put(self, obj: Any) -> None:  # type: ignore[override]
        step("put", self, self._put_item, (obj,))

    def _put_item(self, obj: Any) -> _Item:
        self._real.put(obj)
        return _Item(obj)

    def _get_block(self, box: list, block: bool, timeout: float | None = None) -> bool:
        real = self._real
        if block and timeout is None:
            box.append(real.get())
            return True
        deadline = monotonic() + (timeout or 0.0)
        if not (real._rlock.acquire(True, timeout) if block else real._rlock.acquire(False)):
            return False
        try:
            if not real._reader.poll(max(0.0, deadline - monotonic()) if block else 0.0):
                return False
            res = real._reader.recv_bytes()
        finally:
            real._rlock.release()
        box.append(ForkingPickler.loads(res))
        return True

    def get(self) -> Any:  # type: ignore[override]
        box: list = []

        def take(block: bool, timeout: float | None = None) -> bool:
            return self._get_block(box, block, timeout)

        return step(
            "get", self, self._get_wait, (None,), take=take, then=lambda: _Item(box.pop())
        ).item


class WatchedThreadQueue(_Joinable, WatchedQueue):
    """queue.Queue: one process's, its items read for real."""

    readable = True

    def size(self) -> int:
        return self._real.qsize()

    def unfinished(self) -> int:
        return self._real.unfinished_tasks

    def _all_done(self) -> bool:
        return not self._real.unfinished_tasks

    def _condition(self) -> Any:
        return self._real.all_tasks_done

    def _next_out(self, items: Any) -> list:
        """The first items to come out, in the order they will (at most SHOWN)."""
        return list(itertools.islice(items, SHOWN))

    def peek(self) -> dict:
        real = self._real
        with real.mutex:  # (the items' reprs are the program's code: not under its lock)
            first = self._next_out(real.queue)
            size, unfinished = len(real.queue), real.unfinished_tasks
        return {"size": size, "items": tuple(said(x) for x in first), "unfinished": unfinished}

    # (what code written for queue.Queue reads of it directly)
    @property
    def queue(self) -> Any:
        return self._real.queue

    @property
    def mutex(self) -> Any:
        return self._real.mutex

    @property
    def unfinished_tasks(self) -> int:
        return self._real.unfinished_tasks


# -- pipes -------------------------------------------------------------------------------------


class WatchedEnd(watched.Watched):
    """One end of a `Pipe()`: send, recv and poll are steps. Its peek says whether a message
    waits to be read here (the real `poll()`), and whether it is closed."""

    kind = "connection"

    def __init__(self, real: Any, pipe: str, side: int, duplex: bool, frame: Any):
        self.pipe, self.side, self.duplex = pipe, side, duplex
        self.peer: str | None = None  # the other end's id, once made
        self._made(real, f"Pipe end {side}", frame, None)

    def _made(self, real: Any, what: str, frame: Any = None, rid: str | None = None) -> None:
        # (named before it is listed: the code's name, else the pipe's and the end's number)
        self._real = real
        self.what = what
        self.suggested = ""
        self.line = frame.f_lineno if frame is not None else 0
        where = frame.f_code.co_filename.rpartition("/")[2] if frame is not None else "?"
        self.where = f"{where}:{self.line}"
        self._ready()

    def _list(self, name: str) -> None:
        self.suggested = name
        self.name = here().made(self)

    def _ready(self) -> None:
        self.shared = True

    def details(self) -> dict:
        return {
            **super().details(),
            "pipe": self.pipe,
            "side": self.side,
            "duplex": self.duplex,
            "readable": self._real.readable,
            "writable": self._real.writable,
        }

    def _state(self) -> dict:
        keys = ("pipe", "side", "duplex", "peer")
        return {**super()._state(), **{key: getattr(self, key) for key in keys}}

    def _waiting(self) -> bool | None:
        real = self._real
        if real.closed or not real.readable:
            return None
        try:
            return real.poll()
        except (OSError, ValueError, EOFError):
            return None

    def peek(self) -> dict:
        return {"waiting": self._waiting(), "closed": self._real.closed}

    def shown(self, op: str, index: Any) -> Any:
        return self._waiting()

    def _send(self, obj: Any) -> _Item:
        self._real.send(obj)
        return _Item(obj)

    def send(self, obj: Any) -> None:
        step("send", self, self._send, (obj,))
        agent = here()
        if self.peer in agent.resources:  # what waits at the other end now, said at once
            agent._send_state((self.peer,))

    def _send_bytes(self, buf: Any, offset: int, size: int | None) -> _Item:
        self._real.send_bytes(buf, offset, size)
        view = memoryview(buf).cast("B")  # (what the receiver gets: these bytes)
        return _Item(bytes(view[offset : None if size is None else offset + size]))

    def send_bytes(self, buf: Any, offset: int = 0, size: int | None = None) -> None:
        step("send", self, self._send_bytes, (buf, offset, size))
        agent = here()
        if self.peer in agent.resources:
            agent._send_state((self.peer,))

    def _receive(self, get: Any) -> Any:
        """recv and recv_bytes: a step that waits, shown blocked, while nothing is here."""
        real, box = self._real, []

        def take(block: bool, timeout: float | None = None) -> bool:
            if not block:
                if not real.poll():
                    return False
            elif timeout is not None and not real.poll(timeout):
                return False
            box.append(get())  # (EOFError at a closed end, as the real recv)
            return True

        return step(
            "recv", self, lambda: _Item(get()), take=take, then=lambda: _Item(box.pop())
        ).item

    def recv(self) -> Any:
        return self._receive(self._real.recv)

    def recv_bytes(self, maxlength: int | None = None) -> bytes:
        if maxlength is not None and maxlength < 0:
            raise ValueError("negative maxlength")
        return self._receive(lambda: self._real.recv_bytes(maxlength))

    def poll(self, timeout: float | None = 0.0) -> bool:
        real = self._real

        def take(block: bool, wait: float | None = None) -> bool:
            if not block:
                return real.poll()
            return real.poll(wait)

        if timeout is not None and timeout <= 0:
            return step("poll", self, real.poll, (timeout,))
        return bool(step("poll", self, real.poll, (timeout,), take=take, timeout=timeout))

    def close(self) -> None:
        step("close", self, self._real.close)

    def __enter__(self) -> WatchedEnd:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._real, name)


_pipes = itertools.count(1)


def _unpacked(frame: Any) -> tuple[str, str] | None:
    """`a, b = Pipe()`: the two names the pair is unpacked into."""
    if frame is None:
        return None
    try:
        instructions = watched._instructions(frame.f_code)
        at = max(k for k, ins in enumerate(instructions) if ins.offset <= frame.f_lasti)
    except (ValueError, TypeError):
        return None
    nxt = watched._following(instructions, at + 1)
    if len(nxt) >= 3 and nxt[0].opname == "UNPACK_SEQUENCE" and nxt[0].argval == 2:
        if nxt[1].opname in watched._STORES and nxt[2].opname in watched._STORES:
            return str(nxt[1].argval), str(nxt[2].argval)
        if nxt[1].opname in watched._LOADS and len(nxt) >= 5:  # self.a, self.b = Pipe()
            pair = watched._following(instructions, at + 2)
            if [i.opname for i in pair[:4]] == [pair[0].opname, "STORE_ATTR"] * 2:
                return (
                    f"{pair[0].argval}.{pair[1].argval}",
                    f"{pair[2].argval}.{pair[3].argval}",
                )
    return None


def make_pipe(real_pipe: Any, duplex: bool, frame: Any) -> tuple[WatchedEnd, WatchedEnd]:
    a, b = real_pipe(duplex)
    agent = here()
    pipe = f"{agent.pid}.{next(_pipes)}"
    names = _unpacked(frame)
    number = pipe.rpartition(".")[2]
    ends = (
        WatchedEnd(a, pipe, 0, duplex, frame),
        WatchedEnd(b, pipe, 1, duplex, frame),
    )
    for k, end in enumerate(ends):
        end._list(names[k] if names else f"Pipe#{number}[{k}]")
    ends[0].peer, ends[1].peer = ends[1].name, ends[0].name
    return ends


# -- the constructors the program calls --------------------------------------------------------


def multiprocessing_members(real: Any) -> dict:
    """`Queue`, `JoinableQueue`, `SimpleQueue` and `Pipe` of the module or a context `real`."""

    def Queue(maxsize: int = 0) -> WatchedQueue:  # noqa: N802
        return WatchedQueue(real.Queue(maxsize), "Queue", maxsize, watched._caller())

    def JoinableQueue(maxsize: int = 0) -> WatchedJoinableQueue:  # noqa: N802
        return WatchedJoinableQueue(
            real.JoinableQueue(maxsize), "JoinableQueue", maxsize, watched._caller()
        )

    def SimpleQueue() -> WatchedSimpleQueue:  # noqa: N802
        return WatchedSimpleQueue(real.SimpleQueue(), "SimpleQueue", 0, watched._caller())

    def Pipe(duplex: bool = True) -> tuple[WatchedEnd, WatchedEnd]:  # noqa: N802
        return make_pipe(real.Pipe, duplex, watched._caller())

    return {
        "Queue": Queue,
        "JoinableQueue": JoinableQueue,
        "SimpleQueue": SimpleQueue,
        "Pipe": Pipe,
    }


class Queue(WatchedThreadQueue):
    """`queue.Queue(maxsize)` as the program calls it."""

    def __init__(self, maxsize: int = 0):
        super().__init__(queue_module.Queue(maxsize), "queue.Queue", maxsize, watched._caller())


class LifoQueue(Queue):  # (a queue.Queue, as the standard library's is)
    def __init__(self, maxsize: int = 0):
        real = queue_module.LifoQueue(maxsize)
        WatchedThreadQueue.__init__(self, real, "queue.LifoQueue", maxsize, watched._caller())

    def _next_out(self, items: Any) -> list:
        return list(items)[::-1][:SHOWN]  # (last in, first out)


class PriorityQueue(Queue):
    def __init__(self, maxsize: int = 0):
        real = queue_module.PriorityQueue(maxsize)
        WatchedThreadQueue.__init__(self, real, "queue.PriorityQueue", maxsize, watched._caller())

    def _next_out(self, items: Any) -> list:
        return heapq.nsmallest(SHOWN, items)  # (the smallest first)


def queue_members() -> dict:
    return {"Queue": Queue, "LifoQueue": LifoQueue, "PriorityQueue": PriorityQueue}
