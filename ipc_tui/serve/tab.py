"""One browser tab: its own app process, in a session of its own, and how all of it ends.

textual-serve runs a shell command per websocket and, when the tab closes, asks the app to quit
and waits for ever. A tab here runs `python -m ipc_tui ...` in a new session (so the app, its
forkserver, resource tracker and worker processes share one session id; each plain program it
runs is in a session of its own below it) and ends in bounded steps: asked to quit, then
SIGTERM (the app ends its workers: tui/run.py), then SIGKILL to every process of the tab's
sessions. The last step is not theoretical: an app whose browser closed before its first
screen was drawn was seen spinning, deaf to SIGTERM.
"""

from __future__ import annotations

import asyncio
import ctypes
import functools
import os
import shlex
import signal
import sys
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from time import monotonic
from typing import Any

from textual_serve.app_service import AppService

QUIT_WAIT = 2.0  # the app leaves by itself when textual-serve asks it to quit
TERM_WAIT = 2.0  # then SIGTERM: the app ends its workers and leaves
KILL_WAIT = 2.0  # then SIGKILL to every process of the tab: gone at once
SWEEP_WAIT = 1.0  # what outlives a clean exit (the resource tracker cleaning up), then SIGKILL
PROC = Path("/proc")
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


class Tab(AppService):
    """The app of one browser tab, and every process of its program."""

    def __init__(self, argv: list[str], **kwargs: Any) -> None:
        super().__init__(shlex.join(argv), **kwargs)
        self.argv = argv
        self.sessions: set[int] = set()  # the tab's session ids: the app's, its programs'
        self.ended: tuple[int, float] | None = None  # processes ended, seconds it took
        self._ending: asyncio.Future[None] | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
            start_new_session=True,  # its own session: the tab's processes are findable
            preexec_fn=_die_with_parent(),
        )
        self._stdin = process.stdin
        return process

    async def run(self) -> None:
        try:
            await super().run()
        except OSError:  # (it copies the app's stderr to the server's stdout: none left)
            pass
        # The app has gone (quit, or crashed): the page says "Session ended" rather than freeze.
        with suppress(Exception):
            await self.remote_close()

    async def stop(self) -> None:
        await self.end()

    async def end(self) -> None:
        """End the app and every process of its program; bounded, and safe to call again."""
        if self._ending is None:
            self._ending = asyncio.ensure_future(self._end())
        await asyncio.shield(self._ending)

    async def _end(self) -> None:
        process = self._process
        if process is None:
            return
        started = monotonic()
        self.sessions |= sessions_below(process.pid)
        seen = set(members(self.sessions))
        if process.returncode is None:
            try:
                await asyncio.wait_for(self._quit(process), QUIT_WAIT)
            except asyncio.TimeoutError:
                self.sessions |= sessions_below(process.pid)
                with suppress(ProcessLookupError):
                    process.send_signal(signal.SIGTERM)
                if not await _exits(process, TERM_WAIT):
                    kill(self.sessions)
                    await _exits(process, KILL_WAIT)
        # What is left: given a moment to finish by itself, then killed.
        deadline = monotonic() + SWEEP_WAIT
        while members(self.sessions) and monotonic() < deadline:
            await asyncio.sleep(0.05)
        deadline = monotonic() + KILL_WAIT
        while (left := members(self.sessions)) and monotonic() < deadline:
            seen.update(left)
            kill(self.sessions)
            await asyncio.sleep(0.05)
        self.ended = (len(seen), monotonic() - started)
        await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        if self._task is not None:  # reads the app's output: ends when the last writer has
            with suppress(asyncio.TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(self._task, KILL_WAIT)

    async def _quit(self, process: asyncio.subprocess.Process) -> None:
        await self.send_meta({"type": "quit"})
        await process.wait()


def _die_with_parent() -> Callable[[], None] | None:
    """Linux: the app gets SIGTERM should the server die without ending it (SIGKILL), and ends
    its workers as on any SIGTERM. Made before the fork: the child only makes one call."""
    if sys.platform != "linux":
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return functools.partial(prctl, PR_SET_PDEATHSIG, signal.SIGTERM)


async def _exits(process: asyncio.subprocess.Process, seconds: float) -> bool:
    try:
        await asyncio.wait_for(process.wait(), seconds)
    except asyncio.TimeoutError:
        return False
    return True


def _table() -> dict[int, tuple[int, int]]:
    """Every live process: pid -> (parent, session). A zombie is gone (PID 1 may not reap)."""
    table = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if fields[0] not in ("Z", "X"):
                table[int(entry.name)] = (int(fields[1]), int(fields[3]))
    return table


def _ours() -> set[int]:
    return {os.getsid(0)}


def sessions_below(pid: int) -> set[int]:
    """The sessions of `pid` and of every process below it."""
    if not PROC.is_dir():  # (not Linux: the app's own session, its process group)
        return {pid}
    children: dict[int, list[tuple[int, int]]] = {}
    for child, (parent, sid) in _table().items():
        children.setdefault(parent, []).append((child, sid))
    todo, sessions = [pid], {pid}
    while todo:
        for child, sid in children.get(todo.pop(), []):
            todo.append(child)
            sessions.add(sid)
    return sessions - _ours()


def members(sessions: set[int]) -> list[int]:
    """The live processes of these sessions."""
    sessions = sessions - _ours()
    if not PROC.is_dir():
        alive = []
        for sid in sessions:
            with suppress(ProcessLookupError, PermissionError):
                os.killpg(sid, 0)
                alive.append(sid)
        return alive
    me = os.getpid()
    return [pid for pid, (_, sid) in _table().items() if sid in sessions and pid != me]


def kill(sessions: set[int]) -> None:
    """SIGKILL to every process of these sessions."""
    if not PROC.is_dir():
        for sid in sessions - _ours():
            with suppress(ProcessLookupError, PermissionError):
                os.killpg(sid, signal.SIGKILL)
        return
    for pid in members(sessions):
        with suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
