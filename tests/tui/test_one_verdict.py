"""One verdict: the app and headless say the same thing about the same run (the verdict is
computed once, in the snapshot; present.verdict_lines words it for both)."""

import json

import pytest

from ipc_tui.engine import Session, find_scenario
from ipc_tui.tui.app import IpcApp
from tests.conftest import example, run_cli
from tests.sources import PARTIAL_DEADLOCK
from tests.tui.screen import settled

NOBODY_SETS = """
    from ipc_tui.scenario import Event, Process
    go = Event()

    def wait():
        go.wait()

    def leave():
        go.is_set()

    Process(target=wait)
    Process(target=leave)
"""

SITUATIONS = [
    # (scenario or source, keys in the app, the same as a schedule, exit code, first word)
    (example("deadlock"), "1212", "w0,w1,w0,w1", 3, "DEADLOCK"),
    (
        example("race-condition"),
        "1212" + "1111" + "2222",
        "w0,w1,w0,w1,w0*,w1*",
        1,
        "NOT AS EXPECTED",
    ),
    (example("critical-section"), "1212f", "w0,w1,w0,w1", 0, "AS EXPECTED"),  # (f: run free)
    (NOBODY_SETS, "12", "w0,w1", 3, "STUCK"),
    (PARTIAL_DEADLOCK, "12123", "w0,w1,w0,w1,w2", 3, "LIKELY DEADLOCK"),
]


@pytest.mark.parametrize("scenario, keys, schedule, code, word", SITUATIONS, ids=lambda x: "")
async def test_the_app_and_headless_say_the_same(
    scenario_file, scenario, keys, schedule, code, word
):
    path = scenario if "\n" not in scenario else scenario_file(scenario)
    app = IpcApp(Session(find_scenario(path), "thread"))
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settled(pilot, app)
            for key in keys:
                await pilot.press(key)
                await settled(pilot, app)
            app.session.wait_checked(5)
            app.sample()
            await pilot.pause()
            shown = list(app.verdict_bar.lines)
            header = app.sub_title
    finally:
        app.close_session()
    # headless: the schedule, then free; a likely deadlock never resolves: 3 s of it is enough
    done = run_cli(
        "--headless", "--json", "--mode", "thread", "--scenario", path,
        "--schedule", schedule, "--timeout", "3",
    )  # fmt: skip
    final = json.loads(done.stdout.splitlines()[-1])["final"]
    assert done.returncode == code, done.stderr
    assert shown and shown == final["said"], (shown, final["said"])
    assert shown[0].startswith(word + ":") and f"{word} ↓" in header
