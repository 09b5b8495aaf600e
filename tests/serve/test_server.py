"""`ipc-tui serve` from the command line: bad input is one line and exit 2; stopping the server
ends every tab's app and program (each tab here is a websocket, as a browser's page opens)."""

import asyncio
import json
import os
import signal
import time
from pathlib import Path

import aiohttp

from tests.cli.test_bad_input import refused
from tests.conftest import descendants, gone, run_cli


def test_bad_input_is_one_line_and_exit_2():
    assert "--port must be from 1 to 65535, got '70000'" in refused("serve", "--port", "70000")
    assert "--port wants a port number, got 'http'" in refused("serve", "--port", "http")
    assert "--public-url wants an address" in refused("serve", "--public-url", "projector")
    assert "unknown scenario 'lock-contnetion'" in refused("serve", "--scenario", "lock-contnetion")
    assert "deadlock has no variant 'nope'" in refused(
        "serve", "--scenario", "deadlock", "--variant", "nope"
    )
    assert "--variant goes with --scenario" in refused("serve", "--variant", "fixed")
    assert "unrecognized arguments: race.py" in refused("serve", "race.py")
    assert "see ipc-tui serve --help" in refused("serve", "--hots", "0.0.0.0")


def test_a_port_in_use_is_one_line_and_exit_2(serve):
    served = serve()
    line = refused("serve", "--port", str(served.port))
    assert line == f"ipc-tui: cannot listen on 127.0.0.1:{served.port}: Address already in use"


READERS: set[asyncio.Task] = set()  # (a task nobody holds may be collected mid-way)


async def open_tabs(served, http: aiohttp.ClientSession, count: int) -> set[int]:
    """Open `count` tabs (websockets, as a page does), each on lock-contention with its three
    workers started; the processes of all of them."""
    tabs = [await http.ws_connect(f"{served.url}ws?width=100&height=30") for _ in range(count)]
    for ws in tabs:
        reader = asyncio.create_task(_drain(ws))
        READERS.add(reader)
        reader.add_done_callback(READERS.discard)
    deadline = time.monotonic() + 30
    apps: list[int] = []
    while len(apps) < count:
        assert time.monotonic() < deadline, served.lines
        apps = served.app_pids()
        await asyncio.sleep(0.1)
    # in each, MainThread starts w0, w1 and w2: the app, its forkserver and resource tracker,
    # the program's launcher (in a session of its own) and three workers
    family: set[int] = set()
    while len(family) < count * 7:
        assert time.monotonic() < deadline, (served.lines, family)
        for ws in tabs:  # (a key before the app is up is lost: again until it is)
            await ws.send_str(json.dumps(["stdin", "0"]))
        await asyncio.sleep(0.5)
        family = set(apps).union(*(descendants(app) for app in apps))
    return family


async def _drain(ws: aiohttp.ClientWebSocketResponse) -> None:
    async for _ in ws:
        pass


def wait_gone(family: set[int], seconds: float) -> list[int]:
    """Those of `family` still running after `seconds` (none, as soon as all are gone); those
    are then killed: a failing run leaves nothing behind either."""
    deadline = time.monotonic() + seconds
    while (left := [pid for pid in family if not gone(pid)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return left


async def test_stopping_the_server_ends_every_tab(serve):
    served = serve("--scenario", "lock-contention")  # each tab opens it: a program at once
    family: set[int] = set()
    try:
        async with aiohttp.ClientSession() as http:
            family = await open_tabs(served, http, 2)
            served.proc.send_signal(signal.SIGTERM)
            code = await asyncio.to_thread(served.proc.wait, 30)
    finally:
        left = wait_gone(family, 0)
    assert code == 0, served.lines
    assert any(line.endswith("stopping: ending 2 tab(s)") for line in served.lines)
    assert not left, left


async def test_a_server_killed_outright_leaves_no_tab_running(serve):
    served = serve("--scenario", "lock-contention")
    family: set[int] = set()
    try:
        async with aiohttp.ClientSession() as http:
            family = await open_tabs(served, http, 1)
            served.proc.send_signal(signal.SIGKILL)  # no chance to end its tabs itself
            await asyncio.to_thread(served.proc.wait, 30)
    finally:
        left = await asyncio.to_thread(wait_gone, family, 15)
    assert not left, left


async def test_serve_replay_opens_the_recording_in_every_tab(serve, tmp_path):
    path = tmp_path / "run.json"
    made = run_cli("--scenario", "lock-contention", "--headless", "--record", str(path))
    assert made.returncode == 0, made.stderr
    assert "no --scenario" in refused("serve", "--replay", str(path), "--scenario", "event")
    assert "cannot read the recording" in refused("serve", "--replay", str(tmp_path / "x.json"))
    served = serve("--replay", str(path))
    family: set[int] = set()
    try:
        async with aiohttp.ClientSession() as http:
            ws = await http.ws_connect(f"{served.url}ws?width=100&height=30")
            reader = asyncio.create_task(_drain(ws))
            deadline = time.monotonic() + 30
            while not (apps := served.app_pids()):
                assert time.monotonic() < deadline, served.lines
                await asyncio.sleep(0.1)
            command = Path(f"/proc/{apps[0]}/cmdline").read_bytes().split(b"\0")
            assert [b"--replay", str(path).encode()] == command[-3:-1], command
            family = set(apps).union(descendants(apps[0]))
            served.proc.send_signal(signal.SIGTERM)
            await asyncio.to_thread(served.proc.wait, 30)
            reader.cancel()
    finally:
        left = await asyncio.to_thread(wait_gone, family, 15)
    assert not left, left
