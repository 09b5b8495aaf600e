"""What the app looks like, from a fake session with a fixed picture (never flaky)."""

import pytest

from ipc_tui.engine import find_scenario
from ipc_tui.tui.app import IpcApp
from tests.tui.fake import INFO, OTHER, FakeSession
from tests.tui.pictures import load, source_hash
from tests.tui.states import STATES

SIZES = [(80, 24), (120, 40)]


def app_with(session):
    return IpcApp(session, factory=FakeSession, scenarios=[INFO, OTHER])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_main_screen(snap_compare, size):
    assert snap_compare(app_with(FakeSession()), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_main_screen_with_the_timeline_and_the_lesson(snap_compare, size):
    assert snap_compare(app_with(FakeSession()), press=["t", "l"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_picker(snap_compare, size):
    assert snap_compare(app_with(None), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help(snap_compare, size):
    assert snap_compare(app_with(FakeSession()), press=["question_mark"], terminal_size=size)


@pytest.mark.parametrize("name", [state.scenario for state in STATES])
def test_each_scenario_in_its_lessons_state_at_80x24(snap_compare, name):
    """A picture recorded from a real session brought into the lesson's state (what must be on
    the screen then is checked on real sessions in test_lessons_on_screen.py)."""
    picture = load(name)
    assert picture.source_hash == source_hash(name), (
        f"record it again: python -m tests.tui.pictures {name}"
    )
    info = find_scenario(name)
    app = IpcApp(FakeSession(info, picture=picture), factory=FakeSession, scenarios=[info])
    assert snap_compare(app, terminal_size=(80, 24))
