"""Queues and pipes on the board: their items in order, and who waits on which end.

A plain program's queues and pipe ends (engine/program/channels.py) say what can be read of
them for real (their `state`): a queue's count (`qsize()`), a `queue.Queue`'s items, its
unfinished tasks, whether a message waits at a pipe's end (`poll()`). A multiprocessing queue's
items, and a pipe's messages, are bytes in a pipe: nobody can read them without taking them.
So the board keeps them from the steps, in order: each put or send adds the item's repr, each
get or recv takes it off. That list is shown only while it accounts for the real count; once
it cannot (steps counted running free, not reported; an item got that no watched step put),
the pane says the items are not known, and why, until the queue or the direction is empty
again.

Who waits: a worker blocked on a queue is in get (empty), put (full) or join (unfinished
tasks); on a pipe's end, in recv (nothing in flight toward it). Any worker may let it go (put,
get, task_done, send), so the verdict (engine/verdict.py) counts such a wait only when the real
object confirms it (the count 0, the queue full, no message at the end), and only as "nobody
else can move".
"""

from __future__ import annotations

from collections import defaultdict
from time import monotonic
from typing import TYPE_CHECKING, Any

from ipc_tui.engine.snapshot import BarrierState, ConditionState, PipeState, QueueState

if TYPE_CHECKING:
    from ipc_tui.engine.board import Board, WorkerRecord

KINDS = ("queue", "connection", "condition", "barrier")
SAYS = 2.0  # seconds an end's process takes at most to say a message waits there (under load)
KEEP = 1000  # items kept one by one per queue or direction (past that: a count, not a list)
TOO_MANY = f"more than {KEEP} in transit are not kept one by one"
NOT_MOVED = ("(empty)", "(full)")  # what a get or put that moved nothing says (an item: a repr)
FREE_RUN = "running free, the steps were counted, not reported"
STRANGER = "an item came out that no watched step put in"


class Channels:
    """The board's bookkeeping of queues and pipes (one per board)."""

    def __init__(self) -> None:
        self.items: dict[str, list[str] | None] = {}  # queue -> reprs in order (None: unknown)
        self.why: dict[str, str] = {}  # queue or (pipe, side) -> why it is not known
        # pipe -> [toward end 0, toward end 1]: reprs in order (None: unknown)
        self.flight: defaultdict[str, list[list[str] | None]] = defaultdict(self._nothing_yet)
        self.blocked_op: dict[str, str] = {}  # worker -> the op it is blocked in
        self.sent: dict[tuple[str, int], float] = {}  # (pipe, side) -> when a send toward it
        self.owed: defaultdict[Any, list[str]] = defaultdict(list)  # got before its put came
        self.touched: dict[str, float] = {}  # queue or end -> when its last step was reported
        self.free_until = 0.0  # the end of the last steps counted running free

    def _nothing_yet(self) -> list:
        """A pipe's flights before its first step: empty, unless steps were counted running
        free meanwhile (they may have been its)."""
        return [None, None] if self.free_until else [[], []]

    def _kept(self, name: str) -> list[str] | None:
        if name not in self.items:  # (its first step: it was empty, unless running free)
            self.items[name] = None if self.free_until else []
            if self.free_until:
                self.why[name] = FREE_RUN
        return self.items[name]

    # -- from the reports -------------------------------------------------------------------

    def blocked(self, worker: str, op: str) -> None:
        self.blocked_op[worker] = op

    def done(self, res: Any, op: str, result: Any, after: Any, t1: float = 0.0) -> None:
        self.touched[res.name] = monotonic()
        # A step that shows the queue (or the end) empty may make the items known again, if
        # it came after every step counted running free (reports come in any order)
        fresh = t1 > self.free_until
        if res.kind == "queue":
            self._queue_step(res.name, op, result, after if fresh else None)
        elif res.kind == "connection":
            self._pipe_step(res, op, result, after if fresh else None)

    # Reports come through one connection per process: a get may be read before the put that
    # it took (the getter's process said it first). Such a get is owed its put: the put, when
    # it comes, is not added. What stays owed came from nowhere watched (unwatched code).

    def _queue_step(self, name: str, op: str, result: Any, after: Any) -> None:
        items = self._kept(name)
        owed = self.owed[name]
        moved = isinstance(result, str) and result not in NOT_MOVED
        if op == "put" and moved:
            if result in owed:
                owed.remove(result)
            elif items is not None and len(items) >= KEEP:
                self.items[name], self.why[name] = None, TOO_MANY
            elif items is not None:
                items.append(result)
            elif after == 1:  # it holds this item alone: known again
                self.items[name] = [result]
        elif op == "get" and moved:
            if items is None:
                if after == 0:  # empty right after it: nothing in transit, known again
                    self.items[name] = []
            elif result in items:  # the first out (another putter's may come first)
                items.remove(result)
            else:
                owed.append(result)

    def _pipe_step(self, res: Any, op: str, result: Any, after: Any) -> None:
        pipe, side = res.details.get("pipe"), res.details.get("side", 0)
        flight = self.flight[pipe]
        if op == "send" and isinstance(result, str):
            owed = self.owed[(pipe, 1 - side)]
            toward = flight[1 - side]
            if result in owed:
                owed.remove(result)
            elif toward is not None and len(toward) >= KEEP:
                flight[1 - side], self.why[(pipe, 1 - side)] = None, TOO_MANY
            elif toward is not None:
                toward.append(result)
            self.sent[(pipe, 1 - side)] = monotonic()
        elif op == "recv" and isinstance(result, str):
            toward = flight[side]
            if toward is None:
                if after is False:  # nothing more waits at this end: known again
                    flight[side] = []
            elif toward and toward[0] == result:
                toward.pop(0)
            else:
                self.owed[(pipe, side)].append(result)

    def summarised(self, t: float = 0.0) -> None:
        """Steps taken running free, counted, not reported: the items kept are no longer
        known (a queue.Queue's are read for real all the same)."""
        self.free_until = max(self.free_until, t)
        for name in self.items:
            self.items[name], self.why[name] = None, FREE_RUN
        for pipe, flight in self.flight.items():
            for side in (0, 1):
                flight[side], self.why[(pipe, side)] = None, FREE_RUN
        self.owed.clear()

    # -- the picture ------------------------------------------------------------------------

    def _waiters(self, board: Board, name: str, ops: tuple[str, ...]) -> tuple[str, ...]:
        tally = board.tallies.get(name)
        if tally is None:
            return ()
        return tuple(x.worker for x in tally.waiters if self.blocked_op.get(x.worker) in ops)

    def queues(self, board: Board) -> tuple[QueueState, ...]:
        out = []
        for res in board.resources:
            if res.kind != "queue":
                continue
            state = res.peek() or {}
            details = getattr(res, "details", {})
            size = state.get("size")
            read = bool(details.get("readable"))
            unknown = ""
            if read:
                items = state.get("items")
            else:
                kept = self._kept(res.name)
                if kept is None and size == 0 and not self.owed.get(res.name):
                    items = ()  # (which items, unknown; but the real count says none)
                elif kept is None:
                    items, unknown = None, self.why.get(res.name, "")
                elif self.owed.get(res.name):
                    items, unknown = None, STRANGER
                elif size is not None and len(kept) != size:
                    items = None
                    unknown = f"the steps account for {len(kept)} of {size}"
                elif (
                    size is None and state.get("empty") is not None and state["empty"] != (not kept)
                ):  # (a SimpleQueue says only whether it is empty)
                    items = None
                    unknown = f"the steps account for {len(kept)}, and the queue disagrees"
                else:
                    items = tuple(kept)
            empty = state.get("empty")
            if empty is None and size is not None:
                empty = size == 0
            out.append(
                QueueState(
                    name=res.name,
                    what=details.get("what", "Queue"),
                    size=size,
                    maxsize=details.get("maxsize", 0),
                    items=items,
                    read=read,
                    unknown=unknown,
                    unfinished=state.get("unfinished"),
                    getters=self._waiters(board, res.name, ("get",)),
                    putters=self._waiters(board, res.name, ("put",)),
                    joiners=self._waiters(board, res.name, ("join",)),
                    line=res.line,
                    empty=empty,
                )
            )
        return tuple(out)

    def pipes(self, board: Board) -> tuple[PipeState, ...]:
        ends: dict[str, list] = {}
        for res in board.resources:
            if res.kind == "connection":
                details = getattr(res, "details", {})
                ends.setdefault(details.get("pipe", res.name), [None, None])
                ends[details.get("pipe", res.name)][details.get("side", 0)] = res
        out = []
        for pipe, pair in ends.items():
            if None in pair:
                continue  # (its other end is not listed yet)
            a, b = pair
            duplex = bool(a.details.get("duplex", True))
            states = [res.peek() or {} for res in pair]
            flight = list(self.flight[pipe])
            for side in (0, 1):
                if self.owed.get((pipe, side)):
                    flight[side] = None
                elif flight[side] == [] and states[side].get("waiting"):
                    # poll() says something is there that no watched step sent (or the other
                    # end is closed, which poll() cannot tell apart): not known
                    flight[side] = None
                elif (
                    flight[side]
                    and states[side].get("waiting") is False
                    and not states[side].get("closed")
                    and monotonic() - self.sent.get((pipe, side), 0.0) > SAYS
                ):  # nothing there, long after the send: taken where nobody watched
                    flight[side] = None
            out.append(
                PipeState(
                    name=f"{a.name} ⇄ {b.name}" if duplex else f"{a.name} ← {b.name}",
                    ends=(a.name, b.name),
                    duplex=duplex,
                    flight=tuple(None if f is None else tuple(f) for f in flight),  # type: ignore[arg-type]
                    waiting=tuple(s.get("waiting") for s in states),  # type: ignore[arg-type]
                    closed=tuple(bool(s.get("closed")) for s in states),  # type: ignore[arg-type]
                    receivers=tuple(
                        self._waiters(board, res.name, ("recv", "poll")) for res in pair
                    ),  # type: ignore[arg-type]
                    line=a.line,
                )
            )
        return tuple(out)

    def conditions(self, board: Board) -> tuple[ConditionState, ...]:
        out = []
        for res in board.resources:
            if res.kind != "condition":
                continue
            state = res.peek() or {}
            lock = res.details.get("lock")
            named = next((x.name for x in board.resources if getattr(x, "rid", None) == lock), "")
            out.append(
                ConditionState(
                    name=res.name,
                    lock=named or str(lock),
                    waiting=state.get("waiting", 0),
                    waiters=self._waiters(board, res.name, ("wait",)),
                    notifiers=self._waiters(board, res.name, ("notify", "notify_all")),
                    line=res.line,
                )
            )
        return tuple(out)

    def barriers(self, board: Board) -> tuple[BarrierState, ...]:
        out = []
        for res in board.resources:
            if res.kind != "barrier":
                continue
            state = res.peek() or {}
            out.append(
                BarrierState(
                    name=res.name,
                    parties=state.get("parties", res.details.get("parties", 0)),
                    n_waiting=state.get("n_waiting", 0),
                    broken=bool(state.get("broken")),
                    waiters=self._waiters(board, res.name, ("wait",)),
                    line=res.line,
                )
            )
        return tuple(out)

    # -- questions --------------------------------------------------------------------------

    def settled(self, board: Board) -> bool:
        """No wait the real object would let go now (its report is on its way)."""
        for w in board.workers:
            if w.state != "blocked" or not w.blocked_on:
                continue
            res = board.by_name(w.blocked_on)
            if getattr(res, "kind", None) in KINDS and not confirms_wait(board, w, res):
                return False
        now = monotonic()
        for q in self.queues(board):
            # A blocked put or get whose real operation has just gone through (the step that
            # let it go was reported): its report is on its way when the count disagrees.
            kept = self.items.get(q.name)
            blocked = q.getters or q.putters
            recent = now - self.touched.get(q.name, 0.0) < SAYS
            if blocked and recent and kept is not None:
                if q.size is not None and q.size != len(kept):
                    return False
                if q.size is None and q.empty is not None and q.empty != (not kept):
                    return False
        for pipe in self.pipes(board):  # a message sent: its end's poll() is on its way
            for side in (0, 1):
                flight, waits = pipe.flight[side], pipe.waiting[side]
                pid = board.by_name(pipe.ends[side]).details.get("pipe")
                recent = monotonic() - self.sent.get((pid, side), 0.0) < SAYS
                if flight and waits is False and not pipe.closed[side] and recent:
                    return False
        return True


def confirms_wait(board: Board, w: WorkerRecord, res: Any) -> bool:
    """The real queue or pipe end confirms that `w`'s wait cannot end now."""
    op = board.channels.blocked_op.get(w.name)
    state = res.peek() or {}
    if res.kind == "queue":
        # The real count, and the steps' when they are known: both must say it (a getter
        # that has just taken the last item, its report on its way, is not waiting any more)
        size = state.get("size")
        kept = board.channels.items.get(res.name)
        if op == "get":
            if size is None:
                return state.get("empty") is True and not kept
            return size == 0 and not kept
        if op == "put":
            maxsize = getattr(res, "details", {}).get("maxsize", 0)
            full = bool(maxsize) and size is not None and size >= maxsize
            return full and (kept is None or len(kept) >= maxsize)
        if op == "join":
            return (state.get("unfinished") or 0) > 0
        return False
    if res.kind == "connection" and op in ("recv", "poll"):
        return state.get("waiting") is False and not state.get("closed")
    if res.kind in ("condition", "barrier") and op == "wait":
        # still waiting, all of them, as the real object counts them
        waiting = state.get("waiting", state.get("n_waiting", 0))
        return not state.get("broken") and waiting >= len(
            board.channels._waiters(board, res.name, ("wait",))
        )
    if res.kind == "condition":  # a multiprocessing notify: until the woken have woken
        # (those in their wait step wake by themselves: only one at its gate needs a step)
        return any(x.at_gate and x.op == f"wait {res.name}" for x in board.workers)
    return False


def waiting(board: Board, w: WorkerRecord, res: Any) -> str:
    """What a worker blocked on a queue or a pipe's end waits for, in words."""
    op = board.channels.blocked_op.get(w.name)
    state = res.peek() or {}
    if res.kind == "queue":
        if op == "put":
            return f"{w.name} waits to put into {res.name}, a full queue (a get makes room)"
        if op == "join":
            left = state.get("unfinished")
            return f"{w.name} waits in {res.name}.join() for {left} task_done() calls"
        return f"{w.name} waits to get from {res.name}, an empty queue (a put would wake it)"
    if res.kind == "condition":
        if op != "wait":
            return f"{w.name} waits in {res.name}.{op}() for the woken to wake"
        return f"{w.name} waits in {res.name}.wait() for a notify nobody is left to give"
    if res.kind == "barrier":
        arrived = state.get("n_waiting", 0)
        return (
            f"{w.name} waits at {res.name}, a barrier of {state.get('parties', '?')} "
            f"parties where {arrived} have arrived"
        )
    return f"{w.name} waits in recv at {res.name}: no message is in flight toward it"
