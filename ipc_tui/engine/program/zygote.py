"""A launcher that is already warm: it forks one child per run of a program.

The explorer (engine/explore.py) runs a program hundreds of times. A fresh `python` per run
costs ~17 ms before the program's first line, and importing ipc-tui's launcher more; a fork of
a process that has imported everything costs ~1.6 ms (measured on 2 cores, 2026-12-02). So the
explorer starts this once, and each run is a child of it that does what the launcher does
(launcher.main: the hook, the agent, the file as `__main__`), in a session of its own, with
its configuration in the environment, as a launcher started by `subprocess` would have it.

The zygote stays single-threaded (a fork copies only the forking thread: a lock another thread
held would stay held in the child) and makes no worker of its own (the children's first
`Process` is `Process-1`, their first thread `Thread-1`, as under plain `python`).

Its protocol, one line each way per event, on its stdin and stdout:

    -> {"env": {...}, "cwd": "..."}      fork a run with these environment variables
    <- pid N                             the run's pid (its process group, too)
    <- exit N CODE                       the run N has ended (CODE < 0: killed by signal -CODE)

It exits when its stdin closes (the explorer has gone), leaving its runs to end themselves:
a run's agent ends its process when the session's socket closes.

    python -c "from ipc_tui.engine.program.zygote import main; main()"
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import threading
from typing import Any

# What a run would import before its program's first line, imported once, before any fork.
_WARM = (
    "atexit",
    "hashlib",
    "hmac",
    "queue",
    "runpy",
    "multiprocessing.connection",
    "multiprocessing.forkserver",
    "multiprocessing.heap",
    "multiprocessing.popen_fork",
    "multiprocessing.popen_forkserver",
    "multiprocessing.popen_spawn_posix",
    "multiprocessing.queues",
    "multiprocessing.resource_tracker",
    "multiprocessing.shared_memory",
    "multiprocessing.sharedctypes",
    "multiprocessing.spawn",
    "multiprocessing.synchronize",
    "ipc_tui.engine.program.agent",
    "ipc_tui.engine.program.channels",
    "ipc_tui.engine.program.conditions",
    "ipc_tui.engine.program.hook",
    "ipc_tui.engine.program.launcher",
    "ipc_tui.engine.program.variables",
    "ipc_tui.engine.program.watched",
)


def main() -> None:
    # Everything a run needs, imported once here, before any fork.
    import importlib

    for name in _WARM:
        try:
            importlib.import_module(name)
        except ImportError:  # (not on every system: _posixshmem)
            pass
    # One resource tracker for every run, not a fresh interpreter per run: the runs inherit
    # its pipe. (It ignores SIGTERM, so a run's own would also hold up ending the run; what a
    # killed run leaves, it unlinks when the zygote has gone.)
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()
    # The program itself, read once: its code, its shared globals, where libraries are
    from ipc_tui.engine.program import hook, launcher, variables

    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if isinstance(file, str):
            variables.realpath(file)
    for path in sys.argv[1:]:
        try:
            launcher.compiled(path)
            variables.shared_names_of(path)
            hook.libraries_below(os.path.dirname(os.path.realpath(path)))
        except (OSError, SyntaxError, ValueError):
            pass  # (the run says what is wrong with it)

    import gc

    gc.collect()
    gc.freeze()  # (a run's collector then leaves the zygote's objects alone: fewer pages copied)
    _become_subreaper()
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.set_wakeup_fd(wake_w)
    requests = sys.stdin.buffer
    out = sys.stdout
    buffer = b""
    children: set[int] = set()
    while True:
        try:
            ready, _, _ = select.select([requests, wake_r], [], [])
        except InterruptedError:
            continue
        if wake_r in ready:
            os.read(wake_r, 4096)
        while True:  # (a run's orphans come here too: see _become_subreaper)
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            if pid in children:
                children.discard(pid)
                out.write(f"exit {pid} {os.waitstatus_to_exitcode(status)}\n")
                out.flush()
        if requests in ready:
            chunk = os.read(requests.fileno(), 65536)
            if not chunk:
                return  # the explorer has gone
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                pid = _fork(json.loads(line), (wake_r, wake_w, requests.fileno(), out.fileno()))
                children.add(pid)
                out.write(f"pid {pid}\n")
                out.flush()


def _become_subreaper() -> None:
    """A run's processes whose parent has ended come to the zygote, which reaps them at once.
    (Else they go to the machine's first process, and stay zombies until it reaps them: in a
    container that can take a second, and ending a run waits until its processes are gone.)"""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def _fork(request: dict, ours: tuple[int, ...]) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        os.setsid()  # its own process group: every way out ends all of it
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        for fd in (*ours, null):
            if fd > 2:
                os.close(fd)
        os.environ.update(request["env"])
        os.chdir(request.get("cwd") or os.getcwd())
        code = _run()
    finally:
        os._exit(code)


def _run() -> int:
    """The launcher's life in this child, and then what `python` does at its end: wait for
    the program's non-daemon threads, run its exit functions (multiprocessing's joins its
    children), flush."""
    import atexit

    from ipc_tui.engine.program import launcher

    code: Any = 0
    try:
        launcher.main()
    except SystemExit as exc:
        code = exc.code
    except BaseException:  # noqa: BLE001 (the launcher says its own failures; this is a last word)
        code = 1
    try:
        threading._shutdown()  # type: ignore[attr-defined]
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:  # noqa: BLE001
        pass
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


class Zygote:
    """The explorer's handle on a zygote: `spawn(env)` forks a run and returns a handle that
    looks like the `subprocess.Popen` a launcher would have been (pid, poll, wait)."""

    def __init__(self, programs: tuple[str, ...] = ()) -> None:
        """`programs`: the paths of the programs it will run, read before any fork."""
        env = dict(os.environ)
        env.pop("PYTHONSTARTUP", None)
        command = "from ipc_tui.engine.program.zygote import main; main()"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", command, *programs],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        self._lock = threading.Lock()
        self._cond = threading.Condition()
        self._pids: list[int] = []
        self._exits: dict[int, int] = {}
        self._gone = False
        self._reader = threading.Thread(target=self._read, name="ipc-tui-zygote", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in iter(self.proc.stdout.readline, b""):
            words = raw.split()
            with self._cond:
                if words[:1] == [b"pid"]:
                    self._pids.append(int(words[1]))
                elif words[:1] == [b"exit"]:
                    self._exits[int(words[1])] = int(words[2])
                self._cond.notify_all()
        with self._cond:
            self._gone = True
            self._cond.notify_all()

    def spawn(self, env: dict[str, str], cwd: str | None = None) -> Run:
        with self._lock:
            assert self.proc.stdin is not None
            line = json.dumps({"env": env, "cwd": cwd or os.getcwd()}) + "\n"
            try:
                self.proc.stdin.write(line.encode())
                self.proc.stdin.flush()
            except (BrokenPipeError, ValueError):
                raise RuntimeError("the explorer's launcher has ended") from None
            with self._cond:
                if not self._cond.wait_for(lambda: self._pids or self._gone, 10):
                    raise RuntimeError("the explorer's launcher did not answer")
                if not self._pids:
                    raise RuntimeError("the explorer's launcher has ended")
                return Run(self, self._pids.pop(0))

    def _wait(self, pid: int, timeout: float | None) -> int | None:
        with self._cond:
            self._cond.wait_for(lambda: pid in self._exits or self._gone, timeout)
            return self._exits.get(pid, -signal.SIGKILL if self._gone else None)

    def close(self) -> None:
        proc = self.proc
        if proc.stdin is not None:
            try:
                proc.stdin.close()
            except OSError:
                pass
        try:
            proc.wait(2)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        self._reader.join(2)
        if proc.stdout is not None:
            proc.stdout.close()


class Run:
    """One run forked by a zygote, as much of a `subprocess.Popen` as ProgramSession uses."""

    stdout = None

    def __init__(self, zygote: Zygote, pid: int):
        self.zygote = zygote
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self.zygote._wait(self.pid, 0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            self.returncode = self.zygote._wait(self.pid, timeout)
            if self.returncode is None:
                raise subprocess.TimeoutExpired("run", timeout or 0)
        return self.returncode
