"""The engine and its worker processes never import Textual; processes use spawn or forkserver."""

import subprocess
import sys
from pathlib import Path

from ipc_tui.engine import mp_context
from tests.conftest import example, run_to_end


def test_importing_the_engine_pulls_in_no_textual():
    code = (
        "import sys, ipc_tui.engine\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_workers_start_from_an_explicit_spawn_or_forkserver_context():
    assert mp_context().get_start_method() in ("forkserver", "spawn")


CHECK_CHILD = """
import sys
from ipc_tui.scenario import Process, Value

textual_in_child = Value("i", -1)

def look():
    textual_in_child.value = int(any(m.split(".")[0] == "textual" for m in sys.modules))

Process(target=look)
"""


def test_a_worker_process_never_imports_textual(tmp_path, session_of):
    import textual  # noqa: F401  (the app's process has Textual loaded; its children must not)

    path = tmp_path / "look.py"
    path.write_text(CHECK_CHILD)
    s = session_of(str(path), "process")
    assert s.real_worker(s.worker_names[0])._popen.method in ("forkserver", "spawn")
    run_to_end(s)
    assert s.snapshot().cell("textual_in_child").value == 0


def test_a_session_is_independent_of_the_caller_main_guard(tmp_path):
    """A user's script that drives a Session works in process mode."""
    script = tmp_path / "drive.py"
    script.write_text(
        "from ipc_tui.engine import Session\n"
        "if __name__ == '__main__':\n"
        f"    with Session({example('race-condition')!r}, 'process') as s:\n"
        "        s.run_schedule('w0,w1,w0,w1')\n"
        "        print(s.snapshot().cell('counter').value)\n"
    )
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "1"


def test_the_readmes_engine_example_runs_as_it_says(tmp_path):
    """The README's *Using the engine from Python*, as it stands, loses one update of two."""
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    part = readme.split("## Using the engine from Python", 1)[1]
    code = part.split("```python\n", 1)[1].split("```", 1)[0]
    script = tmp_path / "drive.py"
    script.write_text(code)
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "1"
