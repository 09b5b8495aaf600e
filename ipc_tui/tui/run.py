"""Starting the app the way that leaves nothing behind (docs/architecture.md: "Processes" and
"How everything ends")."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ipc_tui.engine import ScenarioInfo, list_scenarios, open_session, start_helpers
from ipc_tui.engine.frontend import SessionView
from ipc_tui.engine.replay import Replay
from ipc_tui.engine.trace_file import TraceRecorder
from ipc_tui.present import written

APP_KEEPS = 5_000  # undrained events the app's sessions keep (20 samples a second drain them)
APP_NICE = 10  # the app's worker processes yield the CPU to it: keys answer while they run free


def log_path() -> Path:
    return Path(tempfile.gettempdir()) / f"ipc-tui-{os.getuid()}.log"


@contextmanager
def stderr_to_log():
    """Point fd 2 at a log file while multiprocessing's helpers start: they keep it, so their
    output (and any warning) never draws over the app."""
    sys.stderr.flush()
    saved = os.dup(2)
    log = os.open(log_path(), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(log)


def app_session(
    info: ScenarioInfo,
    mode: str | None,
    variant: str | None,
    quick: bool,
    start_method: str | None,
    argv: tuple[str, ...],
) -> SessionView:
    """A session as the app runs one. It draws the newest events only: a flood keeps the last
    few thousand, not all; running free, workers report a summary every 20 ms, not every step."""
    return open_session(
        info,
        mode,
        variant,
        quick,
        start_method if info.program else None,
        keep_events=APP_KEEPS,
        summary=True,
        nice=APP_NICE,
        **({"argv": argv} if info.program else {}),
    )


def run_app(
    info: ScenarioInfo | None,
    mode: str | None,
    lang: str = "en",
    variant: str | None = None,
    quick: bool = False,
    start_method: str | None = None,
    argv: tuple[str, ...] = (),
    record: str | None = None,
    replay: Replay | None = None,
    trace: str | None = None,
) -> int:
    """Run the app on `info` (or the picker); every worker ends on every way out. `trace`:
    the run open when it quits is written there (engine/trace_file.py)."""

    def factory(info: ScenarioInfo, mode: str | None, variant: str | None) -> SessionView:
        return app_session(info, mode, variant, quick, start_method, argv)

    session = factory(info, mode, variant) if info is not None else None  # bad input: here
    with stderr_to_log():
        start_helpers()
    from ipc_tui.tui.app import IpcApp

    # Your own file first in the picker (and [ ]): the built-in scenarios never hide it
    scenarios = list_scenarios()
    if info is not None and all(x.path != info.path for x in scenarios):
        scenarios.insert(0, info)
    tracer = TraceRecorder() if trace else None
    app = IpcApp(
        session,
        factory=factory,
        lang=lang,
        scenarios=scenarios,
        record=record,
        replay=replay,
        argv=argv,
        quick=quick,
        tracer=tracer,
    )
    try:
        app.run()
    finally:
        app.close_session()
    if tracer is not None:
        try:
            tracer.write(trace)
        except OSError as exc:
            print(f"ipc-tui: cannot write the trace: {exc}", file=sys.stderr)
            return 2
    if app.record_error:  # (--record could not be written as the app quit)
        print(f"ipc-tui: {app.record_error}", file=sys.stderr)
        return 2
    for said in written(record, trace):
        print(said, file=sys.stderr)
    return app.return_code or 0


def run_picture(
    info: ScenarioInfo,
    mode: str | None,
    lang: str,
    variant: str | None,
    quick: bool,
    start_method: str | None,
    argv: tuple[str, ...],
    steps: Callable[[Any], list[str]],
    path: str,
    size: tuple[int, int],
) -> int:
    """--svg: the app drawn without a terminal once `steps(session)` has taken its steps, its
    screen saved to `path`."""
    from ipc_tui.tui.app import IpcApp
    from ipc_tui.tui.picture import save_picture

    session = app_session(info, mode, variant, quick, start_method, argv)
    with stderr_to_log():
        start_helpers()
    app = IpcApp(session, lang=lang, sample=False)
    try:
        notes = save_picture(app, steps, path, size)
    finally:
        app.close_session()
    for note in notes:
        print(f"ipc-tui: schedule: {note}", file=sys.stderr)
    print(f"saved the screen to {path}")
    return 0
