"""Lab processes: a scenario's own functions run at full speed, outside the step model.

The measuring scenarios (gil, ipc-compare) time plain code: no gates, no reports per operation.
A lab is a process from the session's context that loads the scenario file (as a worker's
trampoline does, so that its functions exist there), then runs one of its functions, or several
in a row, or several on threads, and sends back when it began and ended and what it returned.
The session's process starts, samples and ends every lab; a lab ends with the session's process.
"""

from __future__ import annotations

import pickle
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from ipc_tui.engine.child import ChildSpec, become_child, load_scenario
from ipc_tui.engine.errors import Stopped
from ipc_tui.engine.launch import end_processes
from ipc_tui.engine.runtime import STOP, current, format_failure


class Lab:
    """Starts labs for the scenario whose main() is running on this thread."""

    def __init__(self) -> None:
        rt = current()
        if rt is None or rt.spawner is None:
            raise RuntimeError("measurements run from a scenario's main()")
        self.runtime = rt
        self.ctx = rt.spawner.lab_context()
        self.spec = rt.spawner.spec
        self.running: list[Any] = []

    def start(
        self,
        func: Callable,
        *args: Any,
        way: str = "serial",
        tasks: int = 1,
        numbered: bool = False,
        gap: float = 0.0,
        switch: float | None = None,
    ) -> Any:
        """A process that runs `func(*args)` `tasks` times, one after the other ("serial", `gap`
        seconds apart) or on as many threads at once ("threads"); `numbered` adds the task's
        number as the last argument; `switch` is the lab's `sys.setswitchinterval`.
        Its result comes with `result()`."""
        reader, writer = self.ctx.Pipe(duplex=False)
        process = self.ctx.Process(
            target=lab_main,
            args=(self.spec, pickle.dumps(func)),
            kwargs={
                "args": args,
                "way": way,
                "tasks": tasks,
                "numbered": numbered,
                "gap": gap,
                "switch": switch,
                "conn": writer,
            },
            name=f"lab-{way}",
            daemon=True,
        )
        process.start()
        writer.close()
        process.reader = reader
        self.running.append(process)
        return process

    def stopping(self) -> bool:
        return bool(self.runtime.flags[STOP]) or self.runtime.cut

    def result(
        self, process: Any, timeout: float | None = None, tick: Callable[[], Any] | None = None
    ) -> tuple[float, float, Any]:
        """(began, ended, returned) of a lab, on time.perf_counter(); raises what it raised.
        While it runs, `tick()` is called ten times a second."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not process.reader.poll(0.1):
            if tick is not None:
                tick()
            if self.stopping():
                self.end()
                raise Stopped
            if not process.is_alive() and not process.reader.poll(0):
                raise RuntimeError(f"a lab process died (exit code {process.exitcode})")
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError("a lab process did not answer in time")
        answer = process.reader.recv()
        process.join(2)
        if answer[0] == "failed":
            raise RuntimeError("in a lab process:\n" + answer[1])
        return answer[1:]

    def pause(self, seconds: float) -> None:
        """Sleep, but stop at once when the session closes."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            if self.stopping():
                self.end()
                raise Stopped
            time.sleep(min(left, 0.05))

    def end(self) -> None:
        """Terminate every lab still running (a spinning one never ends by itself)."""
        end_processes(self.running, grace=0)
        for p in self.running:
            p.reader.close()
        self.running.clear()

    def __enter__(self) -> Lab:
        return self

    def __exit__(self, *exc: object) -> None:
        self.end()


def lab_main(
    spec: ChildSpec,
    func: bytes,
    *,
    args: tuple,
    way: str,
    tasks: int,
    numbered: bool,
    gap: float,
    switch: float | None,
    conn: Any,
) -> None:
    become_child(spec.nice)
    try:
        load_scenario(spec)
        target = pickle.loads(func)
        if switch is not None:
            sys.setswitchinterval(switch)
        calls = [(*args, i) if numbered else args for i in range(tasks)]
        began = time.perf_counter()
        if way == "threads":
            returned = _on_threads(target, calls)
        else:
            returned = []
            for i, call in enumerate(calls):
                if gap and i:
                    time.sleep(gap)
                returned.append(target(*call))
        conn.send(("ok", began, time.perf_counter(), returned))
    except BaseException as exc:
        conn.send(("failed", format_failure(exc, spec.path)))
        sys.exit(1)


def _on_threads(target: Callable, calls: list[tuple]) -> list:
    """One thread per call, all at once; the first exception of any is raised here."""
    returned: list = [None] * len(calls)
    raised: list[BaseException] = []

    def task(i: int) -> None:
        try:
            returned[i] = target(*calls[i])
        except BaseException as exc:
            raised.append(exc)

    threads = [threading.Thread(target=task, args=(i,), daemon=True) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if raised:
        raise raised[0]
    return returned
