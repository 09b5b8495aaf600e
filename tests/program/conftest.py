"""Plain programs, run as themselves: sessions that are always closed and checked."""

from __future__ import annotations

import os
import textwrap
import time

import pytest

from ipc_tui.engine.loader import read_info
from ipc_tui.engine.program.session import ProgramSession


def group_gone(pgid: int, wait: float = 3.0) -> bool:
    """True once no process of the program's process group is left (zombies excepted)."""
    from tests.conftest import gone

    deadline = time.monotonic() + wait
    while True:
        left = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as f:
                        fields = f.read().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[2]) == pgid and not gone(int(entry)):
                    left.append(int(entry))
        if not left or time.monotonic() > deadline:
            return not left
        time.sleep(0.05)


@pytest.fixture
def program(tmp_path):
    """`program(source, start_method=None)`: a started session of that program, closed after
    the test, and every process of it checked gone."""
    opened: list[ProgramSession] = []

    def open_program(
        source: str, start_method: str | None = None, name: str = "prog.py", summary=False
    ):
        path = tmp_path / name
        path.write_text(textwrap.dedent(source))
        s = ProgramSession(read_info(path), start_method, summary=summary)
        opened.append(s)
        s.start()
        assert s.wait_started(15), "the program never began"
        return s

    yield open_program
    for s in opened:
        s.close()
        assert group_gone(s._pgid), "a process of the program outlived its session"


def run_free(s: ProgramSession, timeout: float = 20) -> None:
    s.run()
    assert s.wait_exited(timeout), "the program did not end"


def cells(s: ProgramSession) -> dict:
    return {c.name: c.value for c in s.snapshot().cells}
