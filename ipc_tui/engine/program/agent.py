"""The agent: one per process of a plain program, its line to the session.

It connects to the session's socket (the address and key come in the environment, so that
every process of the program finds it however it was started), and then:

- sends what the program's workers report (engine/reports.py), each tagged with its worker's
  id, and what the program made (a worker, a lock, a cell), with the name the code gives it;
- listens on a thread of its own for the session's word: open a worker's gate, the flags
  (running free, stopping, summaries), and answers nothing else;
- every PEEK_SECONDS, and after each step, sends the real state of what this process holds
  (a cell's value, whether a lock is held), so that the board shows what is true;
- catches what the program prints (`sys.stdout`, `sys.stderr`) and sends it as the output of
  the worker that printed it.

Its thread is started with `_thread`, not `threading`: the program's `threading.enumerate()`
and `active_count()` answer as they would under plain `python`.

Ids: a worker is `"<pid>.<n>"`, a resource `"r<pid>.<n>"`, unique across the program's
processes; the session shows them by name.
"""

from __future__ import annotations

import _thread
import io
import itertools
import json
import multiprocessing
import multiprocessing.connection
import os
import sys
import threading
import weakref
from collections import deque
from time import monotonic
from typing import Any

from ipc_tui.engine.reports import Done, Failed, Finished, Output, Started, Stopped, Summary
from ipc_tui.engine.runtime import FLAGS, GRAIN, SUMMARY, Runtime, _local

ENV = "IPC_TUI_PROGRAM"  # the session's address, its key, the program's path, overrides
PEEK_SECONDS = 0.05

# Module-level on purpose: one agent per process, found by the watched primitives, which have
# no handle on anything (the program calls `Lock()` with no arguments).
_agent: Agent | None = None
_agent_lock = threading.Lock()


def config() -> dict | None:
    text = os.environ.get(ENV)
    return json.loads(text) if text else None


def here(process: str | None = None) -> Agent:
    """This process's agent (made on first use, and again in a child made by fork).
    `process`: this process's name, when multiprocessing does not know it yet (a child
    process at its very start)."""
    global _agent
    agent = _agent
    if agent is not None and agent.pid == os.getpid():
        return agent
    with _agent_lock:
        if _agent is None or _agent.pid != os.getpid():
            inherited = _agent
            _agent = Agent(config() or {}, inherited, process)
        return _agent


class Agent:
    def __init__(self, cfg: dict, inherited: Agent | None = None, process: str | None = None):
        self.pid = os.getpid()
        self.path = cfg.get("path", "")
        self.process = process or multiprocessing.current_process().name
        self.sending = threading.Lock()
        self.looking = threading.Lock()  # a reading of the state and its stamp (_send_state)
        self.flags: list[int] = [0] * FLAGS
        self.flags[SUMMARY] = 1
        self.gates: dict[str, threading.Semaphore] = {}
        self.wakes: dict[str, threading.Event] = {}
        # id -> the watched object, for its state (weakly: a program that drops a lock
        # drops it; the session is told it is gone)
        self.resources: weakref.WeakValueDictionary[str, Any] = weakref.WeakValueDictionary()
        self.copies: dict[str, Any] = {}  # inherited by fork, not listed yet (`_inherit`)
        self.copied: dict[str, str] = {}  # inherited id -> the id it was listed under here
        self.copies_seen: frozenset[str] = frozenset()
        self._copying = threading.Lock()
        self.dropped: deque[str] = deque()  # ids collected since the last look (said by _listen)
        self.shown: dict[str, Any] = {}  # id -> the state last sent
        self.ids = itertools.count(1)
        self.main_worker: str | None = None  # this process's first worker: unclaimed output
        self.by_thread: dict[int, Runtime] = {}  # thread ident -> its worker's runtime
        self.reported = 0  # reports sent by this process's workers (see _send_state)
        self.tracer = None  # plain globals and the instruction grain (variables.py)
        self.codes: dict[Any, str] = {}  # code object -> its key, sent to the session
        if self.path and not cfg.get("unwatched"):
            from ipc_tui.engine.program import hook, variables

            folder = os.path.dirname(os.path.realpath(self.path))
            self.tracer = variables.make_tracer(
                self.path, folder, hook.libraries_below(folder), self.made, self.flags
            )
            self.tracer.notice = lambda text: self.send(("notice", text, 0))
        # The explorer's runs (cfg "batch"): a worker's step's end and the state after it are
        # sent with what the worker says next (its next gate, mostly a moment later): one
        # message a step, not three. A session that shows a run as it goes does not batch.
        self.batch = bool(cfg.get("batch"))
        self.held = threading.local()  # .items: this worker thread's messages held back
        self.conn = None
        if cfg.get("address"):
            self.conn = multiprocessing.connection.Client(
                cfg["address"],
                family="AF_UNIX",
                authkey=bytes.fromhex(cfg["key"]) if cfg.get("key") else None,
            )
            self.send(("hello", self.pid, self.process))
            _thread.start_new_thread(self._listen, ())
        if inherited is not None:
            if inherited.conn is not None:
                inherited.conn.close()  # this process's copy: the parent's end stays open
            self._inherit(inherited)
            if self.tracer is not None and inherited.tracer is not None:
                self.tracer.adopt(inherited.tracer)
        capture_output()

    # -- to the session ----------------------------------------------------------------------

    def send(self, message: tuple) -> None:
        conn = self.conn
        if conn is None:
            return
        if self.batch:  # (the explorer's runs: see __init__)
            held = getattr(self.held, "items", None)
            if (len(message) == 2 and type(message[1]) is Done and _local.runtime is not None) or (
                held is not None and message[0] == "state"
            ):
                if held is None:
                    self.held.items = held = []
                held.append(message)
                return
            if held:
                self.held.items = None
                message = ("batch", [*held, message])
        with self.sending:
            try:
                conn.send(message)
            except (OSError, ValueError):  # the session is gone: so is the program
                os._exit(1)

    def report(self, wid: str, report: tuple) -> None:
        """A worker's report; after a step, the state of what it touched."""
        self.reported += 1  # (first: a look by the agent's thread meanwhile may be older)
        if self.copies_seen:  # (a forked child's copies of threading primitives: listed when used)
            report = self._list_copies(report)
        kind = type(report)
        if kind in _ENDS:  # what it leaves (a global changed running free: no step said it)
            self._send_changes()
        self.send((wid, report))
        if kind is Done and report.resource in self.resources:
            self._send_state((report.resource,))
        elif kind is Summary:
            self._send_state(self.resources)

    def _send_state(self, ids: Any, since: int | None = None) -> None:
        """The state of `ids`, stamped once read: it shows what every step before it did.
        `since`: this agent's own look every PEEK_SECONDS, begun when `reported` was that; if
        a worker reported meanwhile, its reading may be older than the worker's (read before
        a step, sent after it: seen in the truth tests, a global's cell one write behind), and
        is not sent (the worker sends its own after the step).

        Reading and stamping are one, under `looking`: two workers of one process reading
        the same thing (a pipe's poll() before and after the other end's recv) otherwise
        stamp in the other order than they read, and the older reading wins (found by the
        truth tests on pipe, thread mode: one run in about sixty)."""
        state = {}
        with self.looking:
            for rid in list(ids):
                res = self.resources.get(rid)
                if res is None:
                    continue
                try:
                    state[rid] = res.peek()
                except Exception:  # noqa: BLE001 (a state that cannot be read is not sent)
                    continue
            t = monotonic()
        if since is not None and since != self.reported:
            return
        if state:
            self.shown.update(state)
            self.send(("state", state, t))

    def new_id(self, prefix: str = "") -> str:
        return f"{prefix}{self.pid}.{next(self.ids)}"

    def made(self, res: Any, rid: str | None = None) -> str:
        """A resource made in this process (or first used here, with the `rid` every process
        gives it): its id. The session names it from what the code calls it."""
        rid = rid or self.new_id("r")
        self.resources[rid] = res
        weakref.finalize(res, self.dropped.append, rid)  # (no send here: any thread, any time)
        state = res.peek()
        self.shown[rid] = state
        details = res.details()
        self.send(("made", rid, res.kind, res.suggested, res.line, self.process, details, state))
        return rid

    def known(self, rid: str, res: Any) -> None:
        """A resource that came from another process (pickled or inherited): the same one."""
        self.resources.setdefault(rid, res)

    def worker(self, wid: str, name: str, kind: str, daemon: bool, target: str, line: int):
        """A worker about to start (by the program's `start()`)."""
        self.gates.setdefault(wid, threading.Semaphore(0))
        self.send(("worker", wid, name, kind, daemon, target, line))

    def runtime(self, wid: str, worker: Any = None) -> Runtime:
        """The runtime of worker `wid` (the program's thread or process object `worker`),
        running on this thread from now on."""
        gate = self.gates.setdefault(wid, threading.Semaphore(0))
        wake = self.wakes.setdefault(wid, threading.Event())

        def send(report: tuple, wid: str = wid) -> None:
            self.report(wid, report)

        # An explorer's run (batch) sleeps no time: a sleep is a step like any other there,
        # and how long it lasts changes no order the explorer chooses
        rt = Runtime(self.path, gate, self.flags, send, _no_time if self.batch else wake.wait)
        rt.worker = worker
        _local.runtime = rt
        self.by_thread[threading.get_ident()] = rt
        rt.locate = self.locate
        tracer = self.tracer
        if tracer is not None:
            rt.after_gate = tracer.after_gate
            if tracer.needed or self.flags[GRAIN]:
                rt.grain = self.flags[GRAIN]
                tracer.on(rt)
        if self.main_worker is None:
            self.main_worker = wid
        rt.send(Started(os.getpid(), threading.get_native_id()))
        return rt

    def locate(self, frame: Any) -> tuple:
        """Where a frame is, for the bytecode view: (its code's key, the instruction's
        offset); the code's instructions are sent once."""
        code = frame.f_code
        key = self.codes.get(code)
        if key is None:
            from ipc_tui.engine.program.variables import listing

            key = self.codes[code] = f"{code.co_filename}:{code.co_firstlineno}:{code.co_name}"
            self.send(("code", key, code.co_name, listing(code)))
        return (key, frame.f_lasti)

    # -- from the session --------------------------------------------------------------------

    def _listen(self) -> None:
        conn, due = self.conn, monotonic() + PEEK_SECONDS
        try:
            while True:
                if conn.poll(max(0.0, due - monotonic())):
                    self._obey(conn.recv())
                if monotonic() >= due:
                    if self.dropped:
                        dropped = []
                        while self.dropped:
                            dropped.append(self.dropped.popleft())
                        self.send(("dropped", dropped))
                    self._send_changes(self.reported)
                    due = monotonic() + PEEK_SECONDS
        except (EOFError, OSError):  # the session has gone: end the program's process
            os._exit(1)

    def _obey(self, message: tuple) -> None:
        what = message[0]
        if what == "open":
            gate = self.gates.get(message[1])
            if gate is not None:
                gate.release()
        elif what == "flags":
            was = list(self.flags)
            self.flags[:] = message[1]
            tracer = self.tracer
            if tracer is not None and was[: GRAIN + 1] != self.flags[: GRAIN + 1]:
                tracer.attach_all(self.by_thread)  # (free: 3.12+ turns its events off)
            if any(message[1][1:2]):  # stopping: let every gate and sleep go
                for gate in list(self.gates.values()):
                    gate.release()
                for wake in list(self.wakes.values()):
                    wake.set()

    def _send_changes(self, since: int | None = None) -> None:
        changed = []
        for rid, res in list(self.resources.items()):
            try:
                now = res.peek()
            except Exception:  # noqa: BLE001
                continue
            if self.shown.get(rid, _NEVER) != now:
                changed.append(rid)
        if changed:
            self._send_state(changed, since)

    # -- a child made by fork ----------------------------------------------------------------

    def _inherit(self, parent: Agent) -> None:
        """What a forked child holds of its parent's: shared memory and multiprocessing's
        primitives are the same ones; threading's are copies, this process's own, and shown
        as new ones made here (the classic mistake of a threading.Lock between processes)
        when the child first uses one: a child that never touches its copy lists nothing."""
        for rid, res in parent.resources.items():
            if res.shared:
                self.resources[rid] = res
            else:
                self.copies[rid] = res
        self.copies_seen = frozenset(self.copies)  # their ids as inherited, listed or not

    def _list_copies(self, report: tuple) -> tuple:
        """A report naming an inherited copy not listed yet: list it, and name it so."""
        kind = type(report)
        if kind is Summary:
            last = report.last
            named = {*report.held, *report.taken, *([last[1]] if last else [])}
            new = {rid: self._list_copy(rid) for rid in named if rid in self.copies_seen}
            if not new:
                return report
            if last is not None and last[1] in new:
                last = (last[0], new[last[1]], last[2])
            return report._replace(
                held={new.get(k, k): v for k, v in report.held.items()},
                taken={new.get(k, k): v for k, v in report.taken.items()},
                last=last,
            )
        resource = getattr(report, "resource", None)
        if resource in self.copies_seen:  # (a step's AtGate, Blocked or Done)
            return report._replace(resource=self._list_copy(resource))
        return report

    def _list_copy(self, rid: str) -> str:
        with self._copying:  # (two threads may step on the same copy at once)
            if rid not in self.copied:
                res = self.copies.pop(rid)
                res.name = self.copied[rid] = self.made(res)
            return self.copied[rid]


_NEVER = object()


def _no_time(seconds: float) -> None:
    return None


_ENDS = (Finished, Failed, Stopped)


# -- what the program prints -------------------------------------------------------------------


class _Capture(io.TextIOBase):
    """`sys.stdout` or `sys.stderr` of a program process: each line, as the output of the
    worker that printed it."""

    def __init__(self, name: str, real: Any):
        self.name = name
        self.real = real
        self.parts = threading.local()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self.real.fileno()

    def write(self, text: str) -> int:
        buffer = getattr(self.parts, "text", "") + text
        *lines, rest = buffer.split("\n")
        self.parts.text = rest
        for line in lines:
            self._send(line)
        return len(text)

    def flush(self) -> None:
        rest = getattr(self.parts, "text", "")
        if rest:
            self.parts.text = ""
            self._send(rest)

    def _send(self, line: str) -> None:
        rt = _local.runtime
        agent = _agent
        if agent is None or agent.pid != os.getpid() or agent.conn is None:
            self.real.write(line + "\n")
            return
        if rt is not None:
            rt.send(Output(line, monotonic(), rt.line()))
        elif agent.main_worker is not None:
            agent.report(agent.main_worker, Output(line, monotonic(), 0))
        else:
            self.real.write(line + "\n")


def capture_output() -> None:
    if not isinstance(sys.stdout, _Capture) and sys.stdout is not None:
        sys.stdout = _Capture("<stdout>", sys.stdout)
    if not isinstance(sys.stderr, _Capture) and sys.stderr is not None:
        sys.stderr = _Capture("<stderr>", sys.stderr)
