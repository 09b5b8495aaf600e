"""`ipc-tui serve` in a real browser: headless Chromium, driven through ChromeDriver (Debian's
chromium and chromium-driver; .ci/run installs them). The picker shows, a scenario opens, keys
step it, the Locks pane shows the holder, and closing the tab ends every process of its app."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tests.conftest import descendants, gone
from tests.serve.browser import lock_contention, wait_screen


@pytest.mark.timeout(120)
def test_a_tab_opens_steps_and_ends_every_process_of_its_app(serve, browser):
    served = serve()
    browser.get(served.url)
    wait_screen(browser, r"lock-contention +Lock contention")  # the picker
    # Everything the page fetched came from the server: no font, script or stylesheet from
    # the internet, which a classroom may not have; the terminal's font among them.
    fetched = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert fetched and all(url.startswith(served.url) for url in fetched), fetched
    assert browser.execute_script("return document.fonts.check('16px \"Roboto Mono\"')")
    assert any(url.endswith("/RobotoMono-VariableFont_wght.ttf") for url in fetched), fetched
    apps = served.app_pids()
    assert len(apps) == 1, apps  # the tab's app, a child of the server
    (app,) = apps
    workers = lock_contention(browser)  # keys step it; w0 holds the lock, w2 and w1 wait
    tab = descendants(app) | {app}
    # the workers on the screen are the tab's, beside its program's launcher, the forkserver...
    assert set(workers.values()) < tab, (workers, tab)

    first = browser.current_window_handle
    browser.switch_to.new_window("tab")  # (the browser stays open: only the app's tab closes)
    browser.switch_to.window(first)
    browser.close()
    deadline = time.monotonic() + 15
    try:
        while left := [pid for pid in tab if not gone(pid)]:
            if time.monotonic() > deadline:
                pytest.fail(f"left running after the tab closed: {[_command(p) for p in left]}")
            time.sleep(0.1)
    finally:  # a failing run leaves nothing on a shared machine either
        for pid in tab:
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)
    served.wait_for_line("tab 1 closed")
    assert served.proc.poll() is None  # the server goes on serving


def _command(pid: int) -> str:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        command = "(gone)"
    return f"{pid}: {command}"
