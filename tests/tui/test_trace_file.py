"""--trace in the app: the run open when it quits, from the events the app saw."""

import json

from ipc_tui.engine import find_scenario, open_session
from ipc_tui.engine.trace_file import TraceRecorder
from ipc_tui.tui.app import IpcApp
from tests.conftest import example
from tests.engine.test_trace_file import lanes_of, valid
from tests.tui.screen import settled


def app_with_trace(scenario: str, mode: str) -> tuple[IpcApp, TraceRecorder]:
    recorder = TraceRecorder()
    session = open_session(find_scenario(scenario), mode, summary=True)
    return IpcApp(session, tracer=recorder), recorder


async def test_the_app_writes_what_it_saw_when_it_quits(tmp_path):
    app, recorder = app_with_trace(example("lock-contention"), "thread")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settled(pilot, app)
            await pilot.press("1", "3", "2")  # w0 takes the lock, w2 and w1 queue
            await settled(pilot, app)
            await pilot.press("1", "1", "1")  # w0 reads, writes, releases: the next takes it
            await settled(pilot, app)
            workers = {w.name: w for w in app.session.snapshot().workers}
            await pilot.press("q")
    finally:
        app.close_session()
    path = tmp_path / "app.json"
    recorder.write(str(path))
    events = valid(json.loads(path.read_text()))
    lanes = lanes_of(events)
    slices = [e for e in events if e["ph"] == "X"]
    steps = sorted(
        (lanes[e["pid"], e["tid"]], e["args"]["seq"], e["name"])
        for e in slices
        if e["cat"] == "step"
    )
    taken = [x for x in ("w1", "w2") if (x, 1, "acquire lock") in steps]
    assert len(taken) == 1  # the real lock chose one of the two that waited
    assert steps == sorted(
        [
            ("w0", 1, "acquire lock"),
            ("w0", 2, "read total"),
            ("w0", 3, "write total"),
            ("w0", 4, "release lock"),
            (taken[0], 1, "acquire lock"),
        ]
    )
    waits = sorted((lanes[e["pid"], e["tid"]], e["name"]) for e in slices if e["cat"] == "blocked")
    assert waits == [("w1", "blocked on lock"), ("w2", "blocked on lock")]
    for e in slices:  # on the workers' real threads
        name = lanes[e["pid"], e["tid"]]
        if name in workers:
            assert (e["pid"], e["tid"]) == (workers[name].pid, workers[name].tid)
    assert [e["ph"] for e in events if e.get("cat") == "handover"] == ["s", "f"]


async def test_after_a_restart_the_file_holds_the_newest_run(tmp_path):
    app, recorder = app_with_trace(example("lock-contention"), "thread")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settled(pilot, app)
            await pilot.press("1", "2")
            await settled(pilot, app)
            await pilot.press("r")
            await settled(pilot, app)
            await pilot.press("3")
            await settled(pilot, app)
            await pilot.press("q")
    finally:
        app.close_session()
    path = tmp_path / "app.json"
    recorder.write(str(path))
    trace = json.loads(path.read_text())
    events = valid(trace)
    lanes = lanes_of(events)
    steps = [(lanes[e["pid"], e["tid"]], e["name"]) for e in events if e.get("cat") == "step"]
    assert steps == [("w2", "acquire lock")]
    assert trace["otherData"]["earlier_runs"] == 1
