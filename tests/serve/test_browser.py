"""`ipc-tui serve` in a real browser: headless Chromium, driven through ChromeDriver (Debian's
chromium and chromium-driver; .ci/run installs them). The picker shows, a scenario opens, keys
step it, the Locks pane shows the holder, and closing the tab ends every process of its app."""

from __future__ import annotations

import os
import re
import signal
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import descendants, gone

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# Flags without which Chromium's own connections fail on a closed network, and a GPU-less one.
FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync "
    "--window-size=1280,800"
).split()

# textual-serve's bundle keeps its xterm.js Terminal to itself (`this.terminal = new
# Terminal(...)`): a setter on Object.prototype catches it as it is made, so the test reads the
# terminal's own buffer, what the page shows (the cells are drawn on a canvas, not in the DOM).
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, enumerable: true});
    window.ipcTerminal = value;
  },
});
"""
READ_SCREEN = """
const t = window.ipcTerminal;
if (!t) return "";
const b = t.buffer.active, rows = [];
for (let y = 0; y < t.rows; y++) {
  const line = b.getLine(b.viewportY + y);
  rows.push(line ? line.translateToString(true) : "");
}
return rows.join("\\n");
"""


def _browser_or_skip():
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if missing:
        why = (
            f"{' and '.join(missing)} not installed: the browser test needs Debian's chromium "
            "and chromium-driver (apt-get install chromium chromium-driver; .ci/run does)"
        )
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={tempfile.mkdtemp(prefix='ipc-tui-chromium-')}"):
        options.add_argument(flag)
    # A driver path given: Selenium Manager (which would download one) is never asked.
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


@pytest.fixture
def browser():
    driver = _browser_or_skip()
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(10)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CATCH_TERMINAL})
    try:
        yield driver
    finally:
        driver.quit()


def screen(browser) -> str:
    return browser.execute_script(READ_SCREEN)


def wait_screen(browser, pattern: str, timeout: float = 20) -> re.Match:
    """The first match of `pattern` on the page's terminal; fails after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        text = screen(browser)
        found = re.search(pattern, text, re.MULTILINE)
        if found:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"never on the page: {pattern!r}; it shows:\n{text}")
        time.sleep(0.1)


def keys(browser, text: str) -> None:
    """Type into the terminal as a user does: xterm.js takes keys through its textarea."""
    from selenium.webdriver.common.by import By

    browser.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea").send_keys(text)


@pytest.mark.timeout(120)
def test_a_tab_opens_steps_and_ends_every_process_of_its_app(serve, browser):
    from selenium.webdriver.common.keys import Keys

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
    keys(browser, "lock-contention")
    keys(browser, Keys.ENTER)
    wait_screen(browser, r"^ *0 MainThread +● ready")
    keys(browser, "000")  # MainThread starts w0, w1 and w2
    workers = {
        name: int(wait_screen(browser, rf"^ *\d {name} +● ready .* proc (\d+)")[1])
        for name in ("w0", "w1", "w2")
    }
    keys(browser, "1")  # w0 takes the lock
    wait_screen(browser, r"lock ● held by w0")
    keys(browser, "3")
    wait_screen(browser, r"w2 +■ blocked on lock")
    keys(browser, "2")
    wait_screen(browser, r"lock ● held by w0 +waiting: w2 → w1")
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
