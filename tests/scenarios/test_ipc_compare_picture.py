"""ipc-compare measures unwatched, and its picture variant steps the same items through a pipe,
a queue and shared memory first (`watched: only picture`): the notes' table gets a picture."""

import pytest

from ipc_tui.engine import ScenarioError, find_scenario
from ipc_tui.engine.lesson_file import read_lesson


def test_only_the_picture_variant_is_watched(session_of):
    info = find_scenario("ipc-compare")
    assert (info.watched, info.variants, info.watched_variants) == (
        False,
        ("measure", "picture"),
        ("picture",),
    )
    s = session_of("ipc-compare", None, "picture")
    assert s.watched
    s.run_schedule("MainThreadx2,pipe-sender*")  # the pipe's receiver is ready, not started
    assert s.wait_settled(10)
    snap = s.snapshot()
    pipe = snap.pipe("sending_end")
    assert pipe.name == "receiving_end ← sending_end" and not pipe.duplex
    assert len(pipe.flight[0]) == 3  # three items in flight toward the receiving end
    s.run_schedule("pipe-receiver*")
    assert s.wait_settled(10)
    assert s.snapshot().pipe("sending_end").flight[0] == ()
    s.run()
    assert s.wait_exited(30)
    said = [e.result for e in s.drain_events() if e.kind == "output"]
    assert said[-1] == "3 items through each: a pipe, a queue, a Value and an Array"
    snap = s.snapshot()
    assert {q.what for q in snap.queues} >= {"Queue", "SimpleQueue"}
    assert {c.name for c in snap.cells} == {"cell", "cells", "filled"}  # the Value, the Array
    measured = session_of("ipc-compare", None, "measure")
    assert not measured.watched


def test_watched_only_names_some_of_its_variants(tmp_path):
    path = tmp_path / "x.md"
    path.write_text("# X\nvariants: a, b\nwatched: only c\n\nTry: press f. Watch: it.\n")
    with pytest.raises(ScenarioError, match="watched: only names some of its variants"):
        read_lesson(path)
