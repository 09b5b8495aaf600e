"""Save docs/browser.png from a real run: `ipc-tui serve` in headless Chromium, lock-contention
stepped by keys until w0 holds the lock and w2 and w1 wait (Debian's chromium and
chromium-driver; the browser test's helpers, tests/serve/browser.py).

python docs/make_browser_screenshot.py
"""

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.serve.browser import lock_contention, open_browser, wait_screen  # noqa: E402


def main() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen([sys.executable, "-m", "ipc_tui", "serve", "--port", str(port)])
    browser = None
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server never answered") from None
                time.sleep(0.1)
        browser = open_browser(1200, 760)
        browser.get(url)
        wait_screen(browser, r"lock-contention +Lock contention")
        lock_contention(browser)
        time.sleep(0.5)  # (the trace's last line, the cell's flash)
        browser.save_screenshot(str(ROOT / "docs" / "browser.png"))
    finally:
        if browser is not None:
            browser.quit()
        server.send_signal(signal.SIGTERM)
        server.wait(30)


if __name__ == "__main__":
    main()
