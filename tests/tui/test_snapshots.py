"""What the app looks like, from a fake session with a fixed picture (never flaky)."""

import pytest

from ipc_tui.tui.app import IpcApp
from tests.tui.fake import INFO, OTHER, FakeSession

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
