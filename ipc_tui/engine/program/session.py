"""ProgramSession: a plain program, run in a process of its own, watched and stepped.

The same board, verdict and scheduler as a scenario's session (engine/board.py,
engine/verdict.py, engine/scheduler.py); what differs is where the workers are. The program runs
in a launcher process started in a session of its own (`start_new_session`), and every process
it makes connects back to the session's socket (authenticated with a key made per run). Over
each connection the session gets the reports of that process's workers, what it made, and the
real state of its primitives (agent.py); it sends back "open this gate" and the flags.

Workers and resources appear as the program makes them. The program names them with ids
(`"4242.3"`, `"r4242.5"`); the session shows them by name: a worker by the name the standard
library gives it (`MainThread`, `Process-1`, `Thread-2`), a resource by what the code calls
it, marked with the process that made it when that is not the main one (`counter@Process-1`:
the module-level Value a spawned child made for itself).

Every way out ends the whole program: SIGTERM to its process group (multiprocessing's
resource tracker ignores it and cleans up after the others), then SIGKILL to what is left.
"""

from __future__ import annotations

import atexit
import dataclasses
import functools
import json
import multiprocessing.connection
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import weakref
from pathlib import Path
from time import monotonic
from typing import Any

from ipc_tui.engine import reports as r
from ipc_tui.engine.board import Board, WorkerRecord
from ipc_tui.engine.check import Checked, asserts_in, from_failure
from ipc_tui.engine.errors import CannotKill, ScenarioError
from ipc_tui.engine.loader import ScenarioInfo
from ipc_tui.engine.program.agent import ENV
from ipc_tui.engine.runtime import FLAGS, HANDOFF, SUMMARY
from ipc_tui.engine.schedule import Turn
from ipc_tui.engine.scheduler import Scheduler
from ipc_tui.engine.snapshot import State
from ipc_tui.engine.steering import Steering

START_METHODS = ("fork", "spawn", "forkserver")
BATCH = 2000
_open: weakref.WeakSet[ProgramSession] = weakref.WeakSet()


@functools.lru_cache(maxsize=64)
def _asserts_in(path: str, mtime: int, size: int) -> tuple[str, ...]:
    return tuple(asserts_in(Path(path).read_text(encoding="utf-8", errors="replace")))


def _asserts_of(path: str) -> list[str]:
    """The program's asserts, read once per version of its file (the explorer makes a
    session per run)."""
    st = os.stat(path)
    return list(_asserts_in(path, st.st_mtime_ns, st.st_size))


class Remote:
    """A resource of the program, as the session sees it: what it is, what the code calls it,
    and its real state as last read in the program (`peek`)."""

    def __init__(self, rid: str, kind: str, name: str, line: int, details: dict):
        self.rid = rid
        self.kind = kind
        self.name = name
        self.line = line
        self.what = details.get("what", kind)
        self.typecode = details.get("typecode", "")
        self.initial = details.get("initial", 0)
        self.reentrant = details.get("reentrant", False)
        self.shared = details.get("shared", True)  # one object in every process
        self.details = details  # (a queue's maxsize, a pipe end's pipe and side: channels.py)
        self.state: Any = None
        self.t = -1.0  # when the state was read
        self.real = None  # (it lives in the program's processes)

    def peek(self) -> Any:
        return self.state


class _Flags(list):
    """The flags every process of the program reads before a step (runtime.FREE, STOP,
    SUMMARY): set here, sent to each."""

    def __init__(self, session: ProgramSession):
        super().__init__([0] * FLAGS)
        self.session = session

    def __setitem__(self, index: Any, value: Any) -> None:
        super().__setitem__(index, value)
        self.session._broadcast(("flags", list(self)))


class _Host:
    """What the scheduler uses to open gates (engine/scheduler.py)."""

    def __init__(self, session: ProgramSession):
        self.session = session
        self.board = session.board
        self.by_name: dict[str, WorkerRecord] = {}

    def named(self, name: str) -> WorkerRecord:
        w = self.by_name.get(name)
        if w is None:
            known = ", ".join(self.by_name) or "none yet"
            raise ScenarioError(f"no worker {name!r}; workers: {known}")
        return w

    def open(self, w: WorkerRecord) -> None:
        if not w.live:
            return
        self.board.opened(w)
        self.session._send_to(w, ("open", self.session._wid_of[w]))


class ProgramSession(Steering):
    """Run a plain program; open its workers' gates one step at a time or all at once."""

    def __init__(
        self,
        info: ScenarioInfo,
        start_method: str | None = None,
        keep_events: int = 100_000,
        summary: bool = False,
        argv: tuple[str, ...] = (),
        mode: str | None = None,
        variant: str | None = None,
        stdin: Any = None,
        zygote: Any = None,
    ):
        if start_method is not None and start_method not in START_METHODS:
            raise ScenarioError(
                f"unknown start method {start_method!r}; use {', '.join(START_METHODS)}"
            )
        if start_method and start_method not in multiprocessing.get_all_start_methods():
            raise ScenarioError(f"the start method {start_method!r} is not available here")
        self.info = info
        # A built-in scenario says how it is written (its first mode) and may run the other
        # way: Process and Thread swapped, and the screen says so; anything else: "program".
        written = info.modes[0]
        self.mode = mode or written
        if self.mode not in info.modes:
            if written == "program":
                raise ScenarioError(
                    f"{info.name} is a plain program: it runs its threads and processes as it "
                    "is written (--mode is for the built-in scenarios)"
                )
            raise ScenarioError(f"{info.name} runs only in {' or '.join(info.modes)} mode")
        self.swapped = self.mode != written
        if self.mode == "thread" and info.as_threads:  # its thread mode, written apart
            alt = Path(info.as_threads)
            info = dataclasses.replace(info, path=str(alt), source=alt.read_text(encoding="utf-8"))
            self.info, self.swapped = info, False
        if variant and variant not in info.variants:
            known = ", ".join(info.variants) or "none"
            raise ScenarioError(f"{info.name} has no variant {variant!r}; variants: {known}")
        self.variant = variant or (info.variants[0] if info.variants else "")
        # a measuring program runs unwatched, but for its variants that step (`watched: only`)
        self.watched = info.watched or self.variant in info.watched_variants
        if self.variant:  # the program reads it as its first argument
            argv = (self.variant, *argv)
        self.start_method = start_method
        self.keep_events = keep_events
        self.summary = summary
        self.argv = tuple(argv)
        self.stdin = stdin  # what the program reads (None: nothing, as there is no keyboard)
        self.zygote = zygote  # a warm launcher that forks each run (program/zygote.py), or None
        self._asserts = _asserts_of(info.path)
        self._build()

    def _build(self) -> None:
        self._cond = threading.Condition()
        self._stopping = threading.Event()
        self.board = Board(
            self.info.name, self.info.path, self.mode, [], self.variant, self.keep_events
        )
        self.board.pending = True  # until the program has ended: more workers may come
        self._host = _Host(self)
        self._flags = _Flags(self)
        list.__setitem__(self._flags, SUMMARY, int(self.summary))
        self._scheduler = Scheduler(self._host, self._cond, self._flags, self._stopping)
        self._conns: dict[Any, dict] = {}  # open connection -> {"pid", "process", "wids"}
        self._workers: dict[str, WorkerRecord] = {}  # id -> record
        self._wid_of: dict[WorkerRecord, str] = {}
        self._conn_of: dict[str, Any] = {}  # worker id -> the connection of its process
        self._pending: dict[str, list] = {}  # reports of a worker not declared yet
        self._exit: dict[str, int] = {}  # a process worker's exit code, as it said
        self._killed: set[str] = set()
        self._unexplained: set[str] = set()  # processes gone without a word, exit code unknown
        self._remote: dict[str, Remote] = {}
        self._codes: dict[str, tuple] = {}  # code key -> (name, instructions)
        self._names: dict[str, str] = {}  # id -> shown name (workers and resources)
        self._unnamed: dict[str, int] = {}  # kind -> how many the code did not name
        self.methods: list[str] = []  # the start methods the program's processes used
        self._proc: subprocess.Popen | None = None
        self._server: socket.socket | None = None
        self._dir: str | None = None
        self._threads: list[threading.Thread] = []
        self._started = self._closed = False
        self._ended = threading.Event()  # the launcher has exited and every report is in
        self._launcher_exited = False
        self._close_lock = threading.Lock()
        self.early_output: list[str] = []  # the launcher's words before the program's first

    # -- starting --------------------------------------------------------------------------

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        _open.add(self)
        self._dir = tempfile.mkdtemp(prefix="ipc-tui-")
        address = os.path.join(self._dir, "s")
        self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._server.bind(address)
        self._server.listen(64)
        # The socket is in a folder only this user can enter (mkdtemp); the key keeps out the
        # user's other programs. The explorer's runs go without (a challenge each way per
        # process: a tenth of a run's start).
        self._key = b"" if self.zygote is not None else os.urandom(32)
        cfg = {
            "address": address,
            "key": self._key.hex(),
            "path": self.info.path,
            "method": self.start_method or "",
            "argv": list(self.argv),
            "swap": self.mode if self.swapped else "",
            "stdin": self.stdin is not None,
            "unwatched": not self.watched,
            "batch": self.zygote is not None,  # (nobody watches an explorer's run as it goes)
        }
        self._wake_r, self._wake_w = os.pipe()  # (close wakes the collector at once)
        if self.zygote is not None:  # (its output is not read: the explorer wants none)
            self._proc = self.zygote.spawn({ENV: json.dumps(cfg)}, os.getcwd())
        else:
            env = dict(os.environ, **{ENV: json.dumps(cfg)})
            env.pop("PYTHONSTARTUP", None)
            command = [
                sys.executable,
                "-c",
                "from ipc_tui.engine.program.launcher import main; main()",
            ]
            self._proc = subprocess.Popen(
                command,
                env=env,
                stdin=subprocess.DEVNULL if self.stdin is None else self.stdin,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                cwd=os.getcwd(),
            )
        self._pgid = self._proc.pid
        for target, name in ((self._collect, "collector"), (self._read_output, "output")):
            t = threading.Thread(target=target, name=f"ipc-tui-program-{name}", daemon=True)
            t.start()
            self._threads.append(t)

    def _read_output(self) -> None:
        """What reached the launcher's real stdout or stderr (written past `sys.stdout`: by C
        code, or before the program's first line): the main thread's output."""
        assert self._proc is not None
        stdout = self._proc.stdout
        for raw in iter(stdout.readline, b"") if stdout is not None else ():
            text = raw.decode("utf-8", "replace").rstrip("\n")
            with self._cond:
                main = self._host.by_name.get("MainThread")
                if main is not None:
                    self.board.apply(main, r.Output(text, monotonic(), 0))
                else:
                    self.early_output.append(text)
        self._proc.wait()
        self._launcher_exited = True  # (the collector ends the run once every report is in)
        try:
            os.write(self._wake_w, b"x")
        except OSError:  # (closed: the session has ended)
            pass

    # -- the collector ---------------------------------------------------------------------

    def _collect(self) -> None:
        server = self._server
        while not self._closed:
            with self._cond:
                watched = [server, self._wake_r, *self._conns]
            try:
                ready = multiprocessing.connection.wait(watched, timeout=0.02)
            except (OSError, ValueError):
                ready = []
            if self._wake_r in ready:  # close(), or the launcher has exited: look again
                os.read(self._wake_r, 64)
            if server in ready:
                self._accept()
            with self._cond:
                for conn in ready:
                    if conn in self._conns:
                        self._read(conn)
                if self._launcher_exited and not self._conns and server not in ready:
                    self._launcher_gone()
                self._scheduler.grant_waiting()
                self._cond.notify_all()

    def _accept(self) -> None:
        try:
            sock, _ = self._server.accept()
        except OSError:
            return
        conn = multiprocessing.connection.Connection(sock.detach())
        try:
            if self._key:
                multiprocessing.connection.deliver_challenge(conn, self._key)
                multiprocessing.connection.answer_challenge(conn, self._key)
        except (OSError, EOFError, multiprocessing.AuthenticationError):
            conn.close()
            return
        with self._cond:
            self._conns[conn] = {"pid": None, "process": "?", "wids": []}

    def _read(self, conn: Any) -> None:
        most = BATCH
        try:
            while most and conn.poll():
                self._message(conn, conn.recv())
                most -= 1
        except (EOFError, OSError, ValueError):
            self._gone(conn)

    def _message(self, conn: Any, message: tuple) -> None:
        what = message[0]
        if what == "batch":  # (a run of the explorer's: agent.py)
            for one in message[1]:
                self._message(conn, one)
        elif what == "hello":
            self._conns[conn].update(pid=message[1], process=message[2])
            try:
                conn.send(("flags", list(self._flags)))
            except OSError:  # it has ended already (a quick child): what it said is still to read
                pass
        elif what == "worker":
            self._declare(*message[1:])
        elif what == "made":
            self._made(*message[1:])
        elif what == "state":
            self._state(message[1], message[2])
        elif what == "dropped":  # the program let go of them (a lock made per call)
            for rid in message[1]:
                res = self._remote.get(rid)
                if res is not None and not res.shared:
                    del self._remote[rid]
                    self.board.drop_resource(res)
        elif what == "exit":  # said by the child as it ends, or seen by its parent's join
            wid, code = message[1], message[2]
            self._exit.setdefault(wid, code)
            if wid in self._unexplained:  # its process went without a word: now we know
                self._unexplained.discard(wid)
                self.board.reaped(self._workers[wid], code, not self._stopping.is_set())
        elif what == "code":  # a code object's instructions, for the bytecode view
            self._codes[message[1]] = (message[2], message[3])
        elif what == "method":
            if message[1] not in self.methods:
                self.methods.append(message[1])
        elif what == "notice":
            info = self._conns[conn]
            wid = info["wids"][0] if info["wids"] else None
            w = self._workers.get(wid) if wid else self._host.by_name.get("MainThread")
            if w is not None:
                self.board.apply(w, r.Output(f"ipc-tui: {message[1]}", monotonic(), message[2]))
        else:
            self._report(conn, what, message[1])

    can_step_instructions = True

    def bytecode(self, at: Any) -> tuple[str, tuple] | None:
        if not at:
            return None
        return self._codes.get(at[0])

    def _unique(self, name: str, process: str | None = None) -> str:
        """`name`, marked with the process that made it unless that is the main one, and
        numbered when it is taken (`lock#2`)."""
        if process and process != "MainProcess":
            name = f"{name}@{process}"
        taken = set(self._names.values())
        if name not in taken:
            return name
        k = 2
        while f"{name}#{k}" in taken:
            k += 1
        return f"{name}#{k}"

    def _declare(self, wid: str, name: str, kind: str, daemon: bool, target: str, line: int):
        # "Thread-1 (count)" shows as Thread-1; a name a schedule cannot spell, with dashes
        plain = re.sub(r"[^\w.@#-]+", "-", re.sub(r" \(.*\)$", "", name)).strip("-")
        shown = self._unique(plain or "worker")
        self._names[wid] = shown
        w = WorkerRecord(
            shown, len(self.board.workers), kind, daemon, target, line, state=State.NEW
        )
        self.board.add(w)
        self._workers[wid] = w
        self._wid_of[w] = wid
        self._host.by_name[shown] = w
        for conn, report in self._pending.pop(wid, []):
            self._report(conn, wid, report)

    def _made(
        self, rid: str, kind: str, suggested: str, line: int, process: str, details: dict, state
    ) -> None:
        if rid not in self._remote:  # (a Value's get_lock() is made once in each process)
            if not suggested:  # the code does not name it: Lock#3 (bank.py:14), in order
                what = details.get("what", kind)
                count = self._unnamed[what] = self._unnamed.get(what, 0) + 1
                suggested = f"{what}#{count} ({details.get('where', '?')})"
            owner = self._names.get(rid.removesuffix(".lock")) if rid.endswith(".lock") else None
            if owner is not None:  # a Value's own lock: named after it, wherever first used
                name = self._unique(f"{owner}.get_lock()")
            else:
                name = self._unique(suggested, process)
            self._names[rid] = name
            res = Remote(rid, kind, name, line, details)
            self._remote[rid] = res
            self.board.add_resource(res)
        self._state({rid: state}, -0.5)

    def _state(self, states: dict, t: float) -> None:
        for rid, value in states.items():
            res = self._remote.get(rid)
            if res is not None and t >= res.t:
                res.state, res.t = value, t
        self.board.peeked()

    def _report(self, conn: Any, wid: str, report: tuple) -> None:
        w = self._workers.get(wid)
        if w is None:  # its parent's word that it exists is still on its way
            self._pending.setdefault(wid, []).append((conn, report))
            return
        kind = type(report)
        if kind is r.Started:
            self._conn_of[wid] = conn
            info = self._conns.get(conn)
            if info is not None:
                info["wids"].append(wid)
            self._launched(w)
        elif kind is r.Done and report.op == "start" and report.resource in self._workers:
            self._launched(self._workers[report.resource])  # (its Started may come later)
        self.board.apply(w, self._translate(report))
        if kind is r.AtGate and self.board.running_free and w.live:
            self._host.open(w)
        elif kind is r.Blocked and report.held and not self._flags[HANDOFF]:
            self.hand_over(w.name)  # (held just as the replay ended: no longer)

    def _launched(self, w: WorkerRecord) -> None:
        if not w.started:  # running until it reports at its first gate
            self.board.launched(w, w.daemon, (lambda w=w: w.live and not w.ended))

    def _translate(self, report: tuple) -> tuple:
        """Ids to names, in what a report names."""
        names = self._names
        kind = type(report)
        if kind in (r.AtGate, r.Blocked, r.Done):
            if report.resource is not None:
                return report._replace(resource=names.get(report.resource, report.resource))
        elif kind is r.Summary:
            last = report.last
            if last is not None and last[1] is not None:
                last = (last[0], names.get(last[1], last[1]), last[2])
            return report._replace(
                held={names.get(k, k): v for k, v in report.held.items()},
                taken={names.get(k, k): v for k, v in report.taken.items()},
                last=last,
            )
        return report

    def _gone(self, conn: Any) -> None:
        """A process of the program has ended (its connection closed)."""
        info = self._conns.pop(conn, None)
        conn.close()
        if info is None:
            return
        now = monotonic()
        news = not self._stopping.is_set()
        for wid in info["wids"]:
            w = self._workers[wid]
            if w.kind == "process":
                code = self._exit.get(wid)
                if wid in self._killed and w.live:
                    self.board.killed(w, "SIGKILL", now)
                    code = -signal.SIGKILL
                if code is None and w.live and news:  # its parent's join may say how it ended
                    self._unexplained.add(wid)
                    continue
                self.board.reaped(w, code, news)
            else:
                if w.live and news:
                    if w.daemon:
                        self.board.cut(w, now)
                    else:
                        self.board.fail(w, "its process ended while it ran", now)
                w.ended = True

    def _launcher_gone(self) -> None:
        """The program's first process has exited and every connection is closed: the
        program has ended."""
        if not self._ended.is_set():
            for wid in list(self._unexplained):  # nobody saw how they ended
                self.board.reaped(self._workers[wid], None, not self._stopping.is_set())
            for wid, w in self._workers.items():  # started, and never connected (killed at once)
                if w.kind == "process" and w.live and wid not in self._conn_of:
                    self.board.reaped(w, self._exit.get(wid), not self._stopping.is_set())
            self._unexplained.clear()
            if not self._stopping.is_set():
                self._judge_asserts()
            self.board.pending = False
            self.board.peeked()
            self._ended.set()

    def _judge_asserts(self) -> None:
        """The program's asserts are its check (engine/check.py): the first worker's that failed
        says what did not hold; a program that ended with none failed, and no worker failed or
        killed, held them all."""
        workers = self.board.workers
        for w in workers:
            failed = from_failure(w.error) if w.state == "failed" and w.error else None
            if failed is not None:
                self.board.check(failed)
                return
        if self._asserts and all(w.state == "done" for w in workers):
            self.board.check(Checked(True, "; ".join(self._asserts)))

    # -- to the program ----------------------------------------------------------------------

    def _broadcast(self, message: tuple) -> None:
        for conn in list(self._conns):
            try:
                conn.send(message)
            except (OSError, ValueError):
                pass

    def _send_to(self, w: WorkerRecord, message: tuple) -> None:
        conn = self._conn_of.get(self._wid_of[w])
        if conn is not None:
            try:
                conn.send(message)
            except (OSError, ValueError):
                pass

    # -- control (as Session's) ----------------------------------------------------------------

    @property
    def method(self) -> str:
        """The start method the program's processes get: the one they used, else the one
        plain `python` would give them here (or --start-method)."""
        if self.methods:
            return self.methods[-1]
        return self.start_method or multiprocessing.get_context().get_start_method()

    @property
    def resources(self) -> tuple:
        return tuple(self.board.resources)

    def wait_started(self, timeout: float = 10.0) -> bool:
        """Until the program's main thread has begun (or the program has ended)."""
        with self._cond:
            return self._cond.wait_for(
                lambda: any(w.started for w in self.board.workers) or self._ended.is_set(),
                timeout,
            )

    def wait_for_worker(self, name: str, timeout: float) -> bool:
        """Until worker `name` exists (the program makes workers as it runs)."""
        with self._cond:
            return (
                self._cond.wait_for(
                    lambda: name in self._host.by_name or self._ended.is_set(), timeout
                )
                and name in self._host.by_name
            )

    def _schedule_names(self) -> None:
        return None  # (a program's workers appear as it starts them)

    def run_schedule(self, schedule: str | list[Turn], timeout: float = 10.0) -> list[str]:
        """Follow a schedule; a worker it names may not exist yet (the program starts it
        later): its turn waits until the others have settled, then for it to appear."""
        self.wait_started(timeout)
        return super().run_schedule(schedule, timeout)

    def _missing(self, worker: str, deadline: float) -> str | None:
        # A worker appears when its starter calls start(): a moment for one running free
        if worker in self._host.by_name or self.wait_for_worker(
            worker, min(0.2, max(0.0, deadline - monotonic()))
        ):
            return None
        known = ", ".join(self.worker_names) or "none"
        return (
            f"no worker {worker} yet (workers so far: {known}): skipped; a program starts its "
            "workers itself: if it starts this one, first give steps to the worker that does "
            "(MainThread, in most programs)"
        )

    can_hand_over = True

    def _open_held(self, w: WorkerRecord) -> None:
        self._send_to(w, ("open", self._wid_of[w]))  # (no board.opened: it is still blocked)

    def kill(self, name: str) -> None:
        with self._cond:
            w = self._host.named(name)
            if w.kind == "thread":
                raise CannotKill(
                    f"{name} is a thread: Python cannot kill one thread of a process "
                    "(only the whole process, or the thread itself by returning)"
                )
            if not w.started or not w.alive or w.pid is None:
                raise CannotKill(f"{name} is not running (it is {w.state})")
            self._killed.add(self._wid_of[w])
            try:
                os.kill(w.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._scheduler.taken.append(("kill", name))  # (a recording's)

    def real_worker(self, name: str) -> Any:
        return None  # (it lives in the program's process)

    # -- reading -------------------------------------------------------------------------------

    def finished(self) -> bool:
        """The program has ended: its first process has exited and its reports are in."""
        with self._cond:
            return self._ended.is_set() and not self._conns

    def wait_exited(self, timeout: float = 5.0) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: self._ended.is_set() and not self._conns, timeout)

    def wait_checked(self, timeout: float = 5.0) -> bool:
        """A program's asserts are judged as it ends (`_judge_asserts`)."""
        return self.wait_exited(timeout)

    @property
    def exit_code(self) -> int | None:
        """The program's own exit code, as `python file.py` would have ended."""
        return None if self._proc is None else self._proc.poll()

    # -- ending --------------------------------------------------------------------------------

    def restart(self) -> None:
        self.close()
        self._build()
        self.start()

    def close(self) -> None:
        with self._close_lock:
            self._close()

    def _close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if not self._started:
            return
        self._scheduler.stop_player()
        with self._cond:
            self._stopping.set()
        end_group(self._pgid, self._proc)
        os.write(self._wake_w, b"x")
        for t in self._threads:
            t.join(2)
        stdout = self._proc.stdout if self._proc is not None else None
        if stdout is not None and not any(t.is_alive() for t in self._threads):
            stdout.close()  # (read to its end: closed here, or Python warns of it at exit)
        with self._cond:
            for conn in list(self._conns):
                self._gone(conn)
        if self._server is not None:
            self._server.close()
        os.close(self._wake_r)
        os.close(self._wake_w)
        if self._dir:
            for name in os.listdir(self._dir):
                os.unlink(os.path.join(self._dir, name))
            os.rmdir(self._dir)
        _open.discard(self)

    def __enter__(self) -> ProgramSession:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def end_group(pgid: int, proc: subprocess.Popen | None, grace: float = 1.0) -> None:
    """End every process of the program's process group: SIGTERM (multiprocessing's resource
    tracker ignores it, and cleans up once the others are gone), then SIGKILL to the rest."""
    try:
        os.killpg(pgid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        pass
    if proc is not None:
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    deadline = monotonic() + grace
    while monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            break
        threading.Event().wait(0.02)
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if proc is not None:
        proc.wait()


@atexit.register
def _close_open_sessions() -> None:
    for session in list(_open):
        session.close()
