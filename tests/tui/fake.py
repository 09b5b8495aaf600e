"""A stand-in session with fixed snapshots, so that snapshot tests never run a process or a
clock (docs/architecture.md, Tests). Pilot tests use real sessions instead."""

from __future__ import annotations

from typing import Any

from ipc_tui.engine import ScenarioInfo, Snapshot, TraceEvent
from ipc_tui.engine.snapshot import (
    Cell,
    EventState,
    LockState,
    SemaphoreState,
    Verdict,
    Waiter,
    WorkerState,
)

SOURCE = '''"""Everything at once: a fixed picture for the snapshot tests.

Each pane has something to show.
"""

from ipc_tui.scenario import Array, Event, Lock, Process, Semaphore, Value

counter = Value("i", 0)
slots = Array("c", b"ab")
lock = Lock()
permits = Semaphore(2)
go = Event()


def work():
    go.wait(1.5)
    with permits:
        with lock:
            counter.value += 1
            slots[0] = b"z"


for _ in range(4):
    Process(target=work)
'''

INFO = ScenarioInfo(
    name="everything",
    path="/fixed/everything.py",
    title="Everything at once: a fixed picture for the snapshot tests.",
    lesson="Each pane has something to show.",
    modes=("process", "thread"),
    source=SOURCE,
)
OTHER = ScenarioInfo(
    name="another",
    path="/fixed/another.py",
    title="Another scenario, for the picker.",
    lesson="",
    modes=("thread",),
    source='"""Another."""\n',
)


def worker(name, state, line, steps, pid, blocked_on=None, error=None):
    return WorkerState(
        name=name,
        kind="process",
        state=state,
        blocked_on=blocked_on,
        op=None,
        file=INFO.path,
        line=line,
        steps=steps,
        daemon=False,
        pid=pid,
        tid=pid,
        alive=state not in ("done", "failed"),
        exitcode=None if state != "done" else 0,
        error=error,
        target="work",
    )


SNAPSHOT = Snapshot(
    scenario="everything",
    mode="process",
    variant="",
    t=2.0,
    now=100.0,
    cells=(
        Cell("counter", "value", "i", 1, 8),
        Cell("slots", "array", "c", (b"z", b"b"), 9),
    ),
    locks=(LockState("lock", "w0", ("w1",), True, 10),),
    semaphores=(SemaphoreState("permits", 0, 2, ("w0", "w1"), ("w2",), 11),),
    events=(EventState("go", False, (Waiter("w3", 100.8),), 12),),
    workers=(
        worker("w0", "ready", 20, 5, 4101),
        worker("w1", "blocked", 19, 3, 4102, blocked_on="lock"),
        worker("w2", "blocked", 18, 1, 4103, blocked_on="permits"),
        worker("w3", "blocked", 17, 0, 4104, blocked_on="go"),
    ),
    running_free=False,
)


def event(t, name, seq, kind, op, res, before=None, after=None, result=None, line=17):
    holding = ("w0",) if t >= 0.7 else ()  # w0 takes the lock at 0.7 and keeps it
    return TraceEvent(t, name, seq, kind, op, res, None, before, after, result, line, holding)


EVENTS = [
    event(0.10, "w0", 1, "step", "wait", "go", result=True),
    event(0.20, "w0", 2, "step", "acquire", "permits", 2, 1, True, 18),
    event(0.30, "w1", 1, "step", "wait", "go", result=True),
    event(0.40, "w1", 2, "step", "acquire", "permits", 1, 0, True, 18),
    event(0.50, "w2", 1, "step", "wait", "go", result=True),
    event(0.60, "w2", 2, "blocked", "acquire", "permits", line=18),
    event(0.70, "w0", 3, "step", "acquire", "lock", result=True, line=19),
    event(0.80, "w1", 3, "blocked", "acquire", "lock", line=19),
    event(0.90, "w0", 4, "step", "read", "counter", 0, 0, line=20),
    event(1.00, "w0", 5, "step", "write", "counter", 0, 1, line=20),
    event(1.10, "w3", 1, "blocked", "wait", "go"),
]


class FakeSession:
    """The parts of a Session the app uses, answering with a fixed picture: the one above, or
    one recorded from a real session (tests/tui/pictures.py)."""

    def __init__(
        self, info: ScenarioInfo = INFO, mode: str | None = None, variant=None, picture=None
    ):
        self.info = info
        self.picture = picture
        snap = picture.snapshot if picture else SNAPSHOT
        self._snapshot = snap
        self.mode = mode or (snap.mode if picture else info.modes[0])
        self.variant = variant or (snap.variant if picture else "")
        self.playing = False
        self.steps: list[str | None] = []
        self.killed: list[str] = []
        self.closed = False
        self._events = list(picture.events if picture else EVENTS)

    def start(self) -> None:
        pass

    def snapshot(self) -> Snapshot:
        return self._snapshot

    def wait_settled(self, timeout: float = 5.0) -> bool:
        return True

    def drain_events(self) -> list[TraceEvent]:
        events, self._events = self._events, []
        return events

    def step(self, worker: str | None = None) -> str | None:
        self.steps.append(worker)
        return worker

    def kill(self, name: str) -> None:
        self.killed.append(name)

    def verdict(self) -> Verdict:
        return self._snapshot.verdict

    def changes(self) -> None:
        return None  # always draw

    def play(self, rate: float = 2.0) -> None:
        self.playing = True

    def pause(self) -> None:
        self.playing = False

    def run(self) -> None:
        pass

    def set_rate(self, rate: float) -> None:
        pass

    can_step_instructions = False
    grain = 0

    def set_grain(self, grain: int) -> None:
        self.grain = grain

    def bytecode(self, at: Any) -> tuple[str, tuple] | None:
        return None

    def close(self) -> None:
        self.closed = True
