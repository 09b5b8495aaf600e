"""Can the run still move? One verdict, from the board, for every front-end.

A worker blocked for ever (a wait with no timeout) can be let go only by another worker:

- a **Semaphore** or an **Event**: by any worker at all. A semaphore has no owner: the consumer
  of a bounded buffer releases the `slots` the producer took, and a ping-pong player releases
  the turn it never acquired;
- a **Lock**: by its holder, as `with lock:` does; but threading's and multiprocessing's `Lock`
  may be released by any worker, so only the holder *by convention*;
- a **join**: only by the joined worker's end.

The verdict is *certain* (`deadlock`, `stuck`) when some blocked workers can be let go by nobody
outside their own group, taking "any worker" literally: nothing can change that, ever. It is
*likely* when they wait for each other only through lock holders (or a lock whose holder is
gone) while another worker still runs: a deadlock, unless that worker releases a lock it does
not hold. Anything else is `running`: somebody who could let the blocked go can still move.

Only what the real primitives confirm counts as blocked: a waiter whose lock, semaphore or event
would let it go now is about to move (its report is on its way).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ipc_tui.engine import channels
from ipc_tui.engine.snapshot import Verdict

if TYPE_CHECKING:
    from ipc_tui.engine.board import Board, WorkerRecord

ANYONE = None  # who can release a semaphore or set an event: any worker that can still move


def judge(board: Board) -> Verdict:
    live = [w for w in board.workers if w.live]
    if not live:  # (a program still starting, or ending: it may yet start one)
        return Verdict("running" if board.pending else "finished")
    blocked = [w for w in live if _waits_for_ever(board, w)]
    if not blocked:
        return Verdict("running")
    names = {w.name for w in live}
    certain = _stuck(board, blocked, names, owned_locks=False)
    if certain and (certain != names or board.settled()):
        return _say(board, certain, "deadlock", "stuck")
    likely = _stuck(board, blocked, names, owned_locks=True)
    if likely:
        verdict = _say(board, likely, "likely", "likely")
        free = tuple(w.name for w in live if w.name not in likely)
        return Verdict(verdict.kind, verdict.waits, verdict.cycle, free, verdict.gone)
    return Verdict("running")


def _say(board: Board, stuck: set[str], with_cycle: str, without: str) -> Verdict:
    members = [w for w in board.workers if w.name in stuck]
    waits = tuple(waiting(board, w) for w in members)
    cycle = _cycle(board, members)
    gone = {h for w in members for h in _holders(board, w) if not board.worker_named(h).live}
    kind = with_cycle if cycle else without
    return Verdict(kind, waits, cycle, gone=tuple(sorted(gone)))


def _waits_for_ever(board: Board, w: WorkerRecord) -> bool:
    """Blocked with no timeout, and the real primitive confirms it cannot go now."""
    if w.state != "blocked" or not w.blocked_on or _gives_up(board, w):
        return False
    res = board.by_name(w.blocked_on)
    if _kind(res) == "lock":
        return res.peek()
    if _kind(res) == "semaphore":
        return res.peek() == 0
    if _kind(res) == "event":
        return not res.peek()
    if _kind(res) in channels.KINDS:  # a queue's get, put or join, a pipe end's recv
        return channels.confirms_wait(board, w, res)
    joined = board.worker_named(w.blocked_on)
    return joined is not None and joined.live


def _gives_up(board: Board, w: WorkerRecord) -> bool:
    tally = board.tallies.get(w.blocked_on or "")
    return bool(tally) and any(x.worker == w.name and x.deadline is not None for x in tally.waiters)


def _releasers(board: Board, w: WorkerRecord, owned_locks: bool) -> list[str] | None:
    """The workers that could let blocked `w` go (ANYONE: any worker that can move)."""
    res = board.by_name(w.blocked_on)
    if _kind(res) == "lock" and owned_locks:
        holder = board.tallies[res.name].holder
        return [holder] if holder else []
    if _kind(res) in ("lock", "semaphore", "event", *channels.KINDS):
        return ANYONE
    return [w.blocked_on]  # a join


def _stuck(board: Board, blocked: list, names: set[str], owned_locks: bool) -> set[str]:
    """The blocked workers that nobody outside them can let go: start from every blocked one,
    drop whoever waits for a live worker outside the group, until nobody drops."""
    stuck = {w.name for w in blocked}
    waits = {w.name: _releasers(board, w, owned_locks) for w in blocked}
    while True:
        moving = names - stuck  # live, and not stuck: they may still let somebody go
        free = {
            n
            for n in stuck
            if (waits[n] is ANYONE and moving) or any(x in moving for x in waits[n] or ())
        }
        if not free:
            return stuck
        stuck -= free


def _holders(board: Board, w: WorkerRecord) -> list[str]:
    """Who `w` waits for by ownership: a lock's holder, a semaphore's takers, a joined worker."""
    res, tally = board.by_name(w.blocked_on), board.tallies.get(w.blocked_on or "")
    if _kind(res) == "lock":
        return [tally.holder] if tally.holder else []
    if _kind(res) == "semaphore":
        return list(dict.fromkeys(tally.holders))
    if _kind(res) in ("event", *channels.KINDS):
        return []
    return [w.blocked_on]


def _cycle(board: Board, members: list) -> tuple[str, ...]:
    """A circle of waits among `members` through holders, as (w0, a, w1, b, w0), or ()."""
    inside = {w.name for w in members}
    edges = {
        w.name: [(w.blocked_on, h) for h in _holders(board, w) if h in inside] for w in members
    }

    def back_to(start: str, at: str, path: tuple, seen: set) -> tuple | None:
        for res, nxt in edges[at]:
            if nxt == start:
                return (*path, res, nxt)
            if nxt not in seen:
                seen.add(nxt)
                if found := back_to(start, nxt, (*path, res, nxt), seen):
                    return found
        return None

    for start in edges:  # in the workers' order: the cycle starts at the first one in it
        if found := back_to(start, start, (start,), {start}):
            return found
    return ()


def waiting(board: Board, w: WorkerRecord) -> str:
    """What a blocked worker waits for, in words."""
    res, tally = board.by_name(w.blocked_on), board.tallies.get(w.blocked_on or "")
    if _kind(res) == "lock":
        return f"{w.name} waits for {res.name}, a lock held by {_who(board, tally.holder)}"
    if _kind(res) == "semaphore":
        taken = ", ".join(_who(board, h) for h in dict.fromkeys(tally.holders))
        return f"{w.name} waits for {res.name}, a semaphore at 0" + (
            f" (its permits taken by {taken})" if taken else ""
        )
    if _kind(res) == "event":
        return f"{w.name} waits for {res.name}, an event nobody has set"
    if _kind(res) in channels.KINDS:
        return channels.waiting(board, w, res)
    return f"{w.name} waits for {w.blocked_on} to end (join)"


def _who(board: Board, name: str | None) -> str:
    """A holder's name, and whether it is gone (it will never release what it holds)."""
    holder = board.worker_named(name) if name else None
    if holder is None or holder.live:
        return str(name)
    if holder.state == "killed":
        return f"{name}, which is dead ({holder.error})"
    return f"{name}, which has {'ended' if holder.state == 'done' else holder.state}"


def _kind(res: object) -> str | None:
    """What a resource is ("lock", "semaphore", "event", "value", "array"); None: not one
    (a join waits on a worker)."""
    return getattr(res, "kind", None)
