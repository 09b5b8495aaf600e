"""Each built-in scenario in the state its lesson is about, and what its lesson says to watch
then, pane by pane: the Pilot tests check it is on the screen at 80x24, and the snapshot
tests draw a picture recorded from it (tests/tui/pictures.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from ipc_tui.engine import Snapshot

FREE = "f"  # instead of a schedule: run free until every worker has ended


@dataclass(frozen=True)
class LessonState:
    scenario: str
    mode: str
    schedule: str  # what the lesson says to press, as a schedule (or FREE)
    shown: dict[str, list[str]]  # a pane of the app (its attribute) -> what must show in it
    until: Callable[[Snapshot], bool] | None = field(default=None, compare=False)


def cycle_of(names: list[str], resources: list[str]) -> str:
    steps = [x for pair in zip(names, resources, strict=True) for x in pair]
    return "DEADLOCK: " + " → ".join([*steps, names[0]])


PHILOSOPHERS = [f"p{i}" for i in range(5)]
FORKS = [f"forks[{(i + 1) % 5}]" for i in range(5)]

STATES = [
    LessonState(
        "barrier",
        "process",
        "MainThreadx3,r0*,r1*",
        {
            # (cut at 80 columns, by a column or two more while a scrollbar shows: the
            # Semaphores pane names the gate, and who waits at it)
            "workers_pane": ["r0 ■ blocked on bar", "r1 ■ blocked on bar"],
            "semaphores_pane": ["barrier.gate_in 0 (started at 0)", "blocked at 0: r0, r1"],
        },
    ),
    LessonState(
        "condition",
        "process",
        "MainThreadx2,eater*",
        {
            "queues_pane": [
                "kitchen Condition, its lock kitchen.lock",
                "waiting for a notify: eater",
            ],
            "locks_pane": ["kitchen.lock ○ free"],
        },
    ),
    LessonState(
        "critical-section",
        "process",
        "MainThreadx2,w0,w1",
        {
            "locks_pane": ["lock ● held by w0 waiting: w1"],
            "code_pane": ["w1 6 with lock:", "w0 ▌7 counter.value += 1"],
        },
    ),
    LessonState(
        "deadlock",
        "process",
        "MainThreadx2,w0,w1,w0,w1,MainThread",
        {
            "verdict_bar": [cycle_of(["w0", "w1"], ["b", "a"])],
            "locks_pane": ["a ● held by w0 waiting: w1", "b ● held by w1 waiting: w0"],
            # both inside their first lock, each waiting at its second (main's join, below,
            # moved last: the pane still keeps the first names in view)
            "code_pane": ["w0 w1 7 with second:"],
        },
    ),
    LessonState(
        "dining-philosophers",
        "process",
        ",".join(["MainThreadx5", *PHILOSOPHERS * 2, "MainThread"]),
        {
            "verdict_bar": [cycle_of(PHILOSOPHERS, FORKS)],
            "locks_pane": [f"forks[{i}] ● p{i} p{(i - 1) % 5}" for i in range(5)],
        },
    ),
    LessonState(
        "event",
        "process",
        "MainThreadx5,w0,w1,w2",
        {
            "events_pane": ["go ○ clear parked: w0, w1"],
            "trace_pane": ["w2 #1 wait go -> False"],
        },
        until=lambda snap: snap.worker("w2").state == "ready",  # its wait(0.2) gave up
    ),
    LessonState(
        "gil",
        "program",
        FREE,  # (it measures: the whole program is one step, its tables printed)
        {  # the strips (one thread at a time), then the seconds of each way
            "results_pane": [
                "which thread runs",
                "thread 0",
                "thread 2",
                "one alone",
                "switch at",
                "seconds for 10 tasks, each way",
                "latency I/O",
            ]
        },
    ),
    LessonState(
        "ipc-compare",
        "program",
        FREE,
        {"results_pane": ["pipe, queue, shared memory", "items/s", "Pipe", "Array ×100"]},
    ),
    LessonState(
        "lock-contention",
        "process",
        "MainThreadx3,w0,w2,w1",
        {"locks_pane": ["lock ● w0 w2 → w1"]},
    ),
    LessonState(
        "message-queue",
        "process",
        "MainThreadx2,producer*",
        {
            "queues_pane": [
                "jobs Queue 2/2 full",
                "in transit: 1 · 2",
                "blocked in put (full): producer",
            ],
        },
    ),
    LessonState(
        "ping-pong",
        "process",
        "MainThreadx2,pong",
        {
            "workers_pane": ["pong ■ blocked on pong"],  # (cut at 80 columns)
            "semaphores_pane": ["pong_turn 0 (started at 0)", "blocked at 0: pong"],
        },
    ),
    LessonState(
        "pipe",
        "process",
        "MainThreadx3",
        {
            "queues_pane": [
                "parent_end ⇄ child_end",
                "→ parent_end: nothing in flight blocked in recv: MainThread",
                "→ child_end: 'ping'",
            ],
        },
    ),
    LessonState(
        "process-basics",
        "process",
        "MainThread",
        {"trace_pane": ["pid None alive False", "alive True daemon False"]},
    ),
    LessonState(
        "producer-consumer",
        "process",
        "MainThreadx2,producer*",
        {
            "workers_pane": ["producer ■ blocked on buf"],  # (cut: the Semaphores pane says it)
            "memory_pane": ["buf.places 0: 1 1: 2 2: 3"],
            "semaphores_pane": ["buf.slots 0 (started at 3)", "blocked at 0: producer"],
        },
    ),
    LessonState(
        "global-race",
        "thread",
        "MainThreadx2,w0:ix2,w1x2,w0:ix2",
        {
            "memory_pane": ["counter 1 global"],
            "trace_pane": ["w1 #2 write counter 0 -> 1", "w0 #4 STORE_GLOBAL counter 1 -> 1"],
        },
    ),
    LessonState(
        "race-condition",
        "process",
        "MainThreadx2,w0,w1,w0,w1",
        {
            "memory_pane": ["counter 1"],
            "trace_pane": ["w0 #2 write counter 0 -> 1", "w1 #2 write counter 1 -> 1"],
        },
    ),
    LessonState(
        "readers-writers",
        "process",
        "MainThreadx3,r0x10,r1x9,writer",
        {
            "workers_pane": ["writer ■ blocked on room"],  # (cut: the Semaphores pane says it)
            "memory_pane": ["room.readers_inside 2"],
            "semaphores_pane": ["room.empty 0 (started at 1)", "blocked at 0: writer"],
        },
    ),
    LessonState(
        "semaphore",
        "process",
        "MainThreadx4,w0,w1,w2",
        {"semaphores_pane": ["permits 0 (started at 2)", "taken by: w0, w1", "blocked at 0: w2"]},
    ),
    LessonState(
        "shared-array",
        "process",
        "MainThreadx3,filler,filler,filler",
        {"memory_pane": ["squares 0: 0 1: 1 2: 4"]},
    ),
    LessonState(
        "shared-value",
        "process",
        "MainThreadx3,w0*,w2*,w1*",
        {"memory_pane": ["number 2", "price 2.5", "letter b'b'"]},
    ),
    LessonState(
        "thread-basics",
        "thread",
        FREE,
        {"workers_pane": ["ticker ✂ cut off"], "trace_pane": ["ticker cut off"]},
    ),
    LessonState(
        "threads-vs-processes",
        "program",
        FREE,
        {
            "trace_pane": [
                "main sees hits = 2 (threads' increments only)",
                "main sees shared_hits = 4 (everyone's)",
            ]
        },
    ),
]


async def bring_about(state: LessonState, session) -> None:
    """Drive a started session into `state` (bounded: each wait fails rather than hangs)."""
    if hasattr(session, "wait_started"):  # a built-in plain program: until main has begun
        assert await asyncio.to_thread(session.wait_started, 15)
    assert await asyncio.to_thread(session.wait_settled, 10)
    if state.schedule == FREE:
        session.run()
        for _ in range(600):
            if session.finished():
                break
            await asyncio.sleep(0.05)
        assert session.finished(), session.snapshot().workers
        assert await asyncio.to_thread(session.wait_exited, 10)
    else:
        await asyncio.to_thread(session.run_schedule, state.schedule, 60)
    for _ in range(200):
        if state.until is None or state.until(session.snapshot()):
            break
        await asyncio.sleep(0.02)
    assert state.until is None or state.until(session.snapshot())
    assert await asyncio.to_thread(session.wait_settled, 10)
