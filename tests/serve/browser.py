"""Headless Chromium on a page of `ipc-tui serve`, as the tests and docs/make_browser_screenshot.py
drive it: Debian's chromium and chromium-driver (.ci/run installs them), through Selenium."""

from __future__ import annotations

import os
import re
import tempfile
import time

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# Flags without which Chromium's own connections fail on a closed network, and a GPU-less one.
FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
).split()

# textual-serve's bundle keeps its xterm.js Terminal to itself (`this.terminal = new
# Terminal(...)`): a setter on Object.prototype catches it as it is made, so that the terminal's
# own buffer can be read, what the page shows (the cells are drawn on a canvas, not in the DOM).
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


def missing() -> str | None:
    """Why there is no browser here, in one line; None when there is one."""
    absent = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if absent:
        return (
            f"{' and '.join(absent)} not installed: the browser test needs Debian's chromium "
            "and chromium-driver (apt-get install chromium chromium-driver; .ci/run does)"
        )
    return None


def open_browser(width: int = 1280, height: int = 800):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="ipc-tui-chromium-")
    for flag in (*FLAGS, f"--window-size={width},{height}", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    # A driver path given: Selenium Manager (which would download one) is never asked.
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(10)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CATCH_TERMINAL})
    return driver


def screen(browser) -> str:
    """The text of the page's terminal, a line per row."""
    return browser.execute_script(READ_SCREEN)


def wait_screen(browser, pattern: str, timeout: float = 20) -> re.Match:
    """The first match of `pattern` on the page's terminal; AssertionError after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        text = screen(browser)
        found = re.search(pattern, text, re.MULTILINE)
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"never on the page: {pattern!r}; it shows:\n{text}")
        time.sleep(0.1)


def keys(browser, text: str) -> None:
    """Type into the terminal as a user does: xterm.js takes keys through its textarea."""
    from selenium.webdriver.common.by import By

    browser.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea").send_keys(text)


def lock_contention(browser) -> dict[str, int]:
    """From the picker: open lock-contention and step it until w0 holds the lock and w2, then
    w1, wait for it (the lesson's first steps); the workers' pids, as the page shows them."""
    from selenium.webdriver.common.keys import Keys

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
    return workers
