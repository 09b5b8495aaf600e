"""No key sequence, however fast, crashes the app: every key right after `q`, on every screen,
and random sequences (Hypothesis) on a real session."""

from __future__ import annotations

import asyncio
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual import events
from textual.binding import Binding

from ipc_tui.engine import Session, find_scenario
from ipc_tui.tui.app import IpcApp, MainScreen
from ipc_tui.tui.help import HelpScreen
from ipc_tui.tui.picker import PickerScreen
from tests.conftest import example
from tests.tui.fake import INFO, OTHER, FakeSession

MOVING = ["up", "down", "pageup", "pagedown", "home", "end", "tab", "shift+tab", "enter"]


def bound_keys() -> list[str]:
    """Every key any of the app's screens binds, and the keys that move around in them."""
    keys = set(MOVING) | {str(k) for k in range(10)} | {"escape", "space", "x", "ctrl+p"}
    for owner in (IpcApp, MainScreen, PickerScreen, HelpScreen):
        for binding in owner.BINDINGS:
            spec = binding.key if isinstance(binding, Binding) else binding[0]
            keys.update(spec.split(","))
    return sorted(keys)


KEYS = bound_keys()


@pytest.fixture(scope="module", autouse=True)
def _in_a_folder_of_its_own(tmp_path_factory):
    """w and p write files in the current folder: here, not the project's."""
    here = os.getcwd()
    os.chdir(tmp_path_factory.mktemp("keys"))
    yield
    os.chdir(here)


CHARS = {
    "space": " ",
    "question_mark": "?",
    "plus": "+",
    "minus": "-",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
}


def burst(app: IpcApp, *keys: str) -> None:
    """Keys as a terminal sends them typed fast: all queued before the first one is handled
    (`Pilot.press` waits for each key's effect instead)."""
    for key in keys:
        char = key if len(key) == 1 else CHARS.get(key)
        app.post_message(events.Key(key, char))


async def first_screen(pilot, screen: str) -> None:
    if screen == "picker":
        await pilot.press("s")
    await pilot.pause()


@pytest.mark.parametrize("screen", ["main", "picker"])
@pytest.mark.parametrize("key", KEYS)
async def test_any_key_right_after_q_ends_the_app_cleanly(screen, key):
    app = IpcApp(FakeSession(), factory=FakeSession, scenarios=[INFO, OTHER])
    async with app.run_test(size=(80, 24)) as pilot:
        await first_screen(pilot, screen)
        burst(app, "q" if screen == "main" else "ctrl+q", key)  # (the picker's q types: a filter)
        await pilot.pause()
    # run_test raises what the app raised: a crash fails there. (ctrl+p is a priority key: the
    # palette opens before q reaches the screen, and q is typed into it: no quit, no crash.)
    assert app.return_code == 0 or key == "ctrl+p"


@pytest.mark.parametrize("key", ["pagedown", "pageup", "down", "end"])
async def test_a_key_typed_the_moment_the_palette_opens_does_not_crash(key):
    # (found by the random sequences below: Textual's palette paged a list not laid out yet)
    app = IpcApp(FakeSession(), factory=FakeSession, scenarios=[INFO, OTHER])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, "ctrl+p", key)
        await pilot.pause()
        assert app.screen.id == "--command-palette"


def test_the_keys_tried_include_every_binding():
    assert {"q", "s", "question_mark", "ctrl+p", "ctrl+q", "space", "1", "k", "escape"} <= set(KEYS)


@pytest.mark.timeout(600)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    keys=st.lists(
        st.tuples(st.sampled_from(KEYS), st.booleans()),  # (key, typed in a burst with the next)
        min_size=1,
        max_size=12,
    )
)
def test_random_key_sequences_on_a_real_session_never_crash(scenario_file, keys):
    path = scenario_file(
        """
        from ipc_tui.scenario import Lock, Process, Value
        lock = Lock()
        n = Value("i", 0)

        def add():
            with lock:
                n.value += 1

        Process(target=add)
        Process(target=add)
        """
    )

    def factory(info, mode, variant):
        return Session(info, mode or "thread", variant, quick=True, summary=True)

    info = find_scenario(path)
    scenarios = [info, find_scenario(example("race-condition"))]

    async def run() -> IpcApp:
        app = IpcApp(factory(info, "thread", None), factory=factory, scenarios=scenarios)
        try:
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                pending: list[str] = []
                for key, fast in keys:
                    pending.append(key)
                    if not fast:
                        burst(app, *pending)
                        pending = []
                        await pilot.pause()
                burst(app, *pending)
                await pilot.pause()
                burst(app, "escape", "escape", "q")  # out of any screen or palette, then quit
                await pilot.pause()
        finally:
            app.close_session()
        return app

    app = asyncio.run(asyncio.wait_for(run(), 60))
    assert app.return_code in (0, None)
