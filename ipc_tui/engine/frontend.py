"""What a front-end may use of a session, written down.

The app (ipc_tui/tui) draws and drives any object that keeps to `SessionView`: a real `Session`,
or the tests' fake session that feeds the snapshot tests fixed pictures. A test
(tests/tui/test_frontend.py) fails when either drifts from it.
"""

from __future__ import annotations

from typing import Any, Protocol

from ipc_tui.engine.loader import ScenarioInfo
from ipc_tui.engine.snapshot import Snapshot, TraceEvent, Verdict


class SessionView(Protocol):
    info: ScenarioInfo
    mode: str  # "thread", "process" or "mixed"
    variant: str  # "" when the scenario has no VARIANTS

    @property
    def playing(self) -> bool:
        """Stepping on its own at a rate (`play`)."""
        ...

    def start(self) -> None:
        """Start the workers; each stops at its first gate."""
        ...

    def step(self, worker: str | None = None) -> str | None:
        """One step of `worker` (or the next ready one): its name, or None if it cannot."""
        ...

    def run(self) -> None:
        """Every gate open, until `pause()`."""
        ...

    def pause(self) -> None: ...

    def play(self, rate: float = 2.0) -> None:
        """The next ready worker steps `rate` times a second, until `pause()`."""
        ...

    def set_rate(self, rate: float) -> None: ...

    def kill(self, name: str) -> None:
        """SIGKILL to a worker process (CannotKill for a thread)."""
        ...

    def wait_settled(self, timeout: float = 5.0) -> bool:
        """Until no step is in flight (a loaded schedule's next turn waits for it; 0: look
        without waiting)."""
        ...

    def snapshot(self) -> Snapshot:
        """What is true now, immutable (with the verdict and the check)."""
        ...

    def drain_events(self) -> list[TraceEvent]:
        """The trace since the last call, in time order."""
        ...

    def verdict(self) -> Verdict: ...

    def changes(self) -> Any:
        """Changes whenever a snapshot may have (cheap: the app draws only then)."""
        ...

    def close(self) -> None:
        """End every worker, and everything the session holds."""
        ...

    can_step_instructions: bool  # a plain program: a step may be one bytecode instruction

    @property
    def grain(self) -> int:
        """What one step is: runtime.OPERATIONS or runtime.INSTRUCTIONS."""
        ...

    def set_grain(self, grain: int) -> None: ...

    def bytecode(self, at: Any) -> tuple[str, tuple] | None:
        """The instructions of the code at a worker's `at`: (its name, ((offset, line, name,
        arg), ...)); None when not known."""
        ...
