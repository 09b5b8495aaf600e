"""What a scenario file imports: the stdlib's names, instrumented so that each use is a step.

from ipc_tui.scenario import Array, Event, Lock, Process, Semaphore, Thread, Value, sleep
"""

from ipc_tui.engine.primitives import (
    Array,
    Event,
    Lock,
    Semaphore,
    Value,
    quick,
    sleep,
    variant,
)
from ipc_tui.engine.workers import (
    Process,
    Thread,
    current_process,
    current_thread,
    currentThread,
)

__all__ = [
    "Array",
    "Event",
    "Lock",
    "Process",
    "Semaphore",
    "Thread",
    "Value",
    "current_process",
    "current_thread",
    "currentThread",
    "quick",
    "sleep",
    "variant",
]
