"""At 80x24, what each built-in scenario's lesson says to watch is on the screen once its
lesson's keys are pressed: the holder, the queue, the cycle, the line that makes the bug."""

import pytest

from ipc_tui.engine import list_scenarios
from tests.tui.screen import screen_lines, settled, shows
from tests.tui.states import STATES, bring_about


def test_every_built_in_scenario_has_its_lesson_state():
    assert sorted(s.scenario for s in STATES) == [info.name for info in list_scenarios()]


@pytest.mark.parametrize("state", STATES, ids=lambda state: state.scenario)
async def test_what_the_lesson_says_to_watch_is_on_the_screen_at_80x24(app_on, state):
    app = app_on(state.scenario, state.mode)
    async with app.run_test(size=(80, 24)) as pilot:
        await bring_about(state, app.session)
        await settled(pilot, app)
        for _ in range(50):  # running free, the trace is written a few times a second
            if not app.trace_pane.behind:
                break
            await pilot.pause(0.05)
            app.sample()
        await pilot.pause()
        missing = [
            f"{pane}: {text}"
            for pane, texts in state.shown.items()
            for text in texts
            if not shows(app, text, getattr(app, pane), spaces=pane != "code_pane")
        ]
        assert not missing, "\n".join([*missing, *screen_lines(app)])
