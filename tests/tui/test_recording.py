"""Recordings in the app: --replay opens one paused with its turns loaded for n, and n followed
to the end reaches the recorded state; w writes the run so far, --record as the app quits; p
saves the screen as SVG. Real sessions, every wait bounded."""

from __future__ import annotations

import html
import json
import re

from ipc_tui.engine import open_session
from ipc_tui.engine.replay import load
from ipc_tui.tui.app import IpcApp
from tests.cli.test_recording import w1_let_in_first
from tests.conftest import left_behind, run_cli
from tests.tui.screen import settled
from tests.tui.test_explore import opened, until


def app_replaying(path) -> IpcApp:
    """The app as `ipc-tui --replay PATH` makes it (tui/run.py)."""
    replay = load(str(path))
    session = open_session(
        replay.info, replay.mode, replay.variant, replay.quick, replay.start_method,
        argv=replay.argv, summary=True,
    )  # fmt: skip
    return IpcApp(session, replay=replay)


async def test_replay_opens_paused_and_n_follows_the_recording_to_its_state(tmp_path):
    path = tmp_path / "lost.json"
    lost = "MainThreadx2,w0,w1,w0,w1,w0,w1"  # (then the next ready worker, recorded)
    done = run_cli(
        "--scenario", "race-condition", "--mode", "process", "--headless", "--record",
        str(path), "--schedule", lost,
    )  # fmt: skip
    recorded = json.loads(path.read_text())
    assert recorded["outcome"]["cells"]["counter"] < 6, done.stdout
    app = app_replaying(path)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await opened(pilot, app)
            bar = app.schedule_bar
            total = len(recorded["turns"])
            assert bar.text == f"schedule: step 1 of {total}, next: MainThread — n to take it"
            assert all(w.steps == 0 for w in app.session.snapshot().workers)  # paused
            for _ in range(total):
                await pilot.press("n")
                await until(pilot, app, lambda: not bar.replay or not bar.replay.waiting, 10, "n")
            await until(pilot, app, app.session.finished, 20, "the end of the program")
            await settled(pilot, app)
            cells = {c.name: c.value for c in app.session.snapshot().cells}
            assert cells == recorded["outcome"]["cells"]
            assert "the recorded outcome was: counter = " in bar.text, bar.text
    finally:
        app.close_session()


async def test_w_writes_the_run_so_far_and_it_replays(app_on, tmp_path):
    app = app_on("lock-contention", "thread", summary=True)
    app.record = str(tmp_path / "so-far.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, app)
        for key in "0001211":  # MainThread starts w0, w1, w2; w0 takes the lock, w1 waits
            await pilot.press(key)
            await settled(pilot, app)
        await pilot.press("w")
        assert any("Saved the run to" in said for said in app.said), list(app.said)
    run = json.loads((tmp_path / "so-far.json").read_text())
    given = [t[0] for t in run["turns"]]
    assert given == ["MainThread"] * 3 + ["w0", "w1", "w0", "w0"]
    assert run["outcome"]["outcome"] == "running" and run["program"]["mode"] == "thread"
    again = run_cli("--replay", str(tmp_path / "so-far.json"), "--headless")
    assert "replayed as recorded" in again.stdout, again.stdout[-1500:]


async def test_record_writes_the_run_as_the_app_quits(app_on, tmp_path):
    app = app_on("semaphore", "process", summary=True)
    app.record = str(tmp_path / "quit.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, app)
        for key in "0000":
            await pilot.press(key)
            await settled(pilot, app)
        await pilot.press("q")
    run = json.loads((tmp_path / "quit.json").read_text())
    assert [t[:2] for t in run["turns"]] == [["MainThread", k] for k in range(1, 5)]
    assert {e["resource"] for e in run["events"] if e["kind"] == "step"} == {
        "w0",
        "w1",
        "w2",
        "w3",
    }


async def test_p_saves_the_screen_as_svg(app_on, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = app_on("lock-contention", "thread")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await opened(pilot, app)
        await pilot.press("w")  # (a notice: not in the picture)
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause(0.3)
        assert any("Saved the screen to" in said for said in app.said), list(app.said)
    pictures = list(tmp_path.glob("ipc-tui-lock-contention-*.svg"))
    assert len(pictures) == 1
    svg = pictures[0].read_text()
    assert svg.lstrip().startswith("<svg") and "Workers" in svg and "MainThread" in svg
    assert "Saved" not in svg_text(pictures[0])


def svg_text(path) -> str:
    """The SVG's text, as read (its spaces are &#160;)."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text())).replace("\xa0", " ")


def test_svg_draws_the_app_at_the_step_a_schedule_reaches(tmp_path):
    path = tmp_path / "queue.svg"
    done = run_cli(
        "--scenario", "lock-contention", "--mode", "thread", "--schedule",
        "MainThreadx3,w0,w2,w1", "--svg", str(path), "--size", "120x34",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"saved the screen to {path}" in done.stdout
    text = svg_text(path)
    assert "held by w0" in text and "w2 → w1" in text, text
    assert left_behind(done) == []


def test_svg_at_a_recordings_step(tmp_path):
    path = tmp_path / "run.json"
    schedule = "MainThreadx3,w0,w2,w1,w0,w0,w0"
    run_cli("--scenario", "lock-contention", "--headless", "--schedule", schedule,
            "--record", str(path))  # fmt: skip
    picture = tmp_path / "at5.svg"
    done = run_cli("--replay", str(path), "--svg", str(picture), "--at", "5")
    assert done.returncode == 0, done.stderr
    text = svg_text(picture)
    assert (
        "held by w0" in text and "waiting: w2" in text and "w1" not in text.split("waiting")[1][:20]
    )
    done = run_cli("--replay", str(path), "--svg", str(picture), "--at", "9")
    assert "held by w2" in svg_text(picture), done.stderr  # (w0 released: w2 was first in line)


async def test_replay_in_the_app_lets_in_the_waiter_the_recording_let_in(tmp_path):
    path = tmp_path / "w1-first.json"
    run = w1_let_in_first("process", path)
    app = app_replaying(path)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await opened(pilot, app)
            bar = app.schedule_bar
            for _ in range(len(run["turns"])):
                await pilot.press("n")
                await until(pilot, app, lambda: not bar.replay or not bar.replay.waiting, 10, "n")
            await until(pilot, app, lambda: not app.session.held(), 10, "w2 let in at the end")
            await settled(pilot, app)
            locks = [(lk.holder, lk.waiters) for lk in app.session.snapshot().locks]
            assert locks == [("w1", ("w2",))], locks
            assert "the recorded outcome was" in bar.text, bar.text
    finally:
        app.close_session()


def test_svg_of_a_recording_lets_in_the_waiter_it_let_in(tmp_path):
    w1_let_in_first("process", tmp_path / "w1-first.json")
    picture = tmp_path / "w1.svg"
    done = run_cli("--replay", str(tmp_path / "w1-first.json"), "--svg", str(picture))
    assert done.returncode == 0, done.stderr
    assert "held by w1" in svg_text(picture) and "waiting: w2" in svg_text(picture)
