"""A plain program in the app: the same panes and keys as a scenario, as the program makes
its workers and primitives."""

from __future__ import annotations

import asyncio
import textwrap

from ipc_tui.engine import open_session
from ipc_tui.engine.loader import read_info
from ipc_tui.tui.app import IpcApp
from tests.program.conftest import group_gone
from tests.tui.screen import drawn_in, settled

BANK = """\
    import threading

    def deposit(lock, box):
        for _ in range(2):
            with lock:
                box.append(1)

    if __name__ == "__main__":
        lock = threading.Lock()
        box = []
        tellers = [threading.Thread(target=deposit, args=(lock, box)) for _ in range(2)]
        for t in tellers:
            t.start()
        for t in tellers:
            t.join()
        print("deposits", len(box))
"""


async def test_stepping_a_program_by_keys_shows_the_lock_its_holder_and_its_queue(tmp_path):
    path = tmp_path / "bank.py"
    path.write_text(textwrap.dedent(BANK))
    session = open_session(read_info(path), summary=True)
    app = IpcApp(session)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            assert await asyncio.to_thread(session.wait_started, 15)
            await settled(pilot, app)
            assert "program · fork · paused" in app.sub_title
            for (
                key
            ) in "0012":  # main (0) starts both tellers; Thread-1 takes the lock, Thread-2 waits
                await pilot.press(key)
                await settled(pilot, app)
            locks = drawn_in(app, app.locks_pane)
            assert "lock" in locks and "Thread-1" in locks and "Thread-2" in locks
            snap = session.snapshot()
            assert (snap.locks[0].holder, snap.locks[0].waiters) == ("Thread-1", ("Thread-2",))
            # `with lock:` marks its body once the program has made the lock
            assert app.code_pane._critical == {6}
            assert app.code_pane.border_subtitle == "▌ critical section"
            await pilot.press("f")  # the rest, free
            assert await asyncio.to_thread(session.wait_exited, 15)
            await settled(pilot, app)
            assert "finished" in app.sub_title

            def printed() -> bool:
                written = app.trace_pane._written
                return any(getattr(e, "result", None) == "deposits 4" for e in written)

            for _ in range(40):  # (running free, the trace writes a few times a second)
                if printed():
                    break
                await asyncio.sleep(0.05)
                app.sample()
            assert printed()
    finally:
        app.close_session()
    assert group_gone(session._pgid)


async def test_global_race_by_instruction_in_the_app_at_80x24():
    """The lesson's keys: b, 0 0, i, 1 1 (w0 has loaded counter), i, 2 2 (w1 whole), i, 1 1:
    the Bytecode pane marks the next instruction, the header says the grain, one update lost."""
    from ipc_tui.engine import find_scenario
    from tests.tui.screen import flat

    session = open_session(find_scenario("global-race"), summary=True)
    app = IpcApp(session)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            assert await asyncio.to_thread(session.wait_started, 15)
            await settled(pilot, app)
            for key in "b00i11":
                await pilot.press(key)
                await settled(pilot, app)
            assert "by instruction" in app.sub_title
            code = flat(drawn_in(app, app.bytecode_pane))
            assert "w0 add:" in code and "▶BINARY_OP" in code, code  # loaded, not stored
            for key in "i22i11":
                await pilot.press(key)
                await settled(pilot, app)
            memory = flat(drawn_in(app, app.memory_pane))
            assert memory.startswith("counter 1") and "global" in memory, memory
            assert session.snapshot().cells[0].value == 1  # two additions, one left
            await pilot.press("i")
            await settled(pilot, app)
            assert "by instruction" not in app.sub_title
    finally:
        session.close()
        assert group_gone(session._pgid)
