"""Save docs/screenshot.svg from a real run: lock-contention, stepped by keys.

python docs/make_screenshot.py
"""

import asyncio
from pathlib import Path

from ipc_tui.engine import Session, find_scenario, start_helpers
from ipc_tui.tui.app import IpcApp


async def main() -> None:
    app = IpcApp(Session(find_scenario("lock-contention"), "process"))
    try:
        async with app.run_test(size=(120, 34)) as pilot:
            for key in ["1", "1", "3", "2", "1"]:
                await pilot.press(key)
                await asyncio.to_thread(app.session.wait_settled, 10)
            app.sample()
            await pilot.pause(0.2)
            app.save_screenshot("screenshot.svg", str(Path(__file__).parent))
    finally:
        app.close_session()


if __name__ == "__main__":
    start_helpers()
    asyncio.run(main())
