"""The app on real sessions, closed after each test."""

import pytest

from ipc_tui.engine import find_scenario, open_session
from ipc_tui.tui.app import IpcApp


@pytest.fixture
def app_on():
    apps = []

    def make(
        scenario: str,
        mode: str | None = None,
        summary: bool = False,
        variant: str | None = None,
        lang: str = "en",
    ) -> IpcApp:
        # summary=True: running free, workers report summaries, as the app's sessions do;
        # the measuring scenarios run at their small size
        info = find_scenario(scenario)
        session = open_session(info, mode, variant, quick=True, summary=summary)
        app = IpcApp(session, lang=lang)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.close_session()
