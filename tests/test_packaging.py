"""A plain `pip install .` ships the scenarios; the README and CI run the same test command."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_non_editable_install_finds_the_built_in_scenarios(tmp_path):
    wheels, target = tmp_path / "wheels", tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(wheels.glob("ipc_tui-*.whl"))
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    env = dict(os.environ, PYTHONPATH=str(target))
    out = subprocess.run(
        [sys.executable, "-m", "ipc_tui", "--list"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    names = {line.split()[0] for line in out.stdout.splitlines()}
    assert {"race-condition", "lock-contention", "semaphore", "event"} <= names
    assert (target / "ipc_tui" / "scenarios" / "race-condition.py").is_file()
    # a built-in plain program's lesson lives beside it, and ships with it
    assert (target / "ipc_tui" / "scenarios" / "shared-value.md").is_file()
    listed = {line.split()[0]: line for line in out.stdout.splitlines()}
    assert "each write replaces the last" in listed["shared-value"]
    # and installed, a built-in program is watched and stepped (it once ran unwatched: its
    # folder is inside the installed ipc_tui, which the program's hook left alone)
    lossy = "MainThreadx2,w0,w1,w0,w1,w0*,w1*"
    out = subprocess.run(
        [sys.executable, "-m", "ipc_tui", "--scenario", "race-condition", "--headless",
         "--json", "--schedule", lossy],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    final = json.loads(out.stdout.splitlines()[-1])["final"]
    assert final["said"] == ["NOT AS EXPECTED: counter is 5, expected 6: 1 update(s) lost"]
    assert out.returncode == 1 and final["workers"]["w1"]["steps"] == 6
    # with the names its code gives (the program's frames are not ipc-tui's, though they are
    # inside the installed ipc_tui: they were once skipped, and the counter was `Value#1`)
    assert final["cells"] == {"counter": 5}, final["cells"]


def test_a_program_in_a_library_folder_is_watched_but_not_a_library_below_it(tmp_path):
    from ipc_tui.engine.program import hook

    site = tmp_path / "venv" / "lib" / "site-packages"
    here = str((site / "ipc_tui" / "scenarios").resolve())
    mine = {"__file__": f"{here}/race-condition.py", "__name__": "__main__"}
    assert hook._is_program(mine, here, hook.libraries_below(here))
    top = str(tmp_path.resolve())  # a program saved above the interpreter's own libraries
    lib = {"__file__": f"{sys.prefix}/lib/x.py", "__name__": "x"}
    libraries = hook.libraries_below(os.path.dirname(os.path.realpath(sys.prefix)))
    assert os.path.realpath(sys.prefix) in libraries
    assert not hook._is_program(lib, os.path.dirname(os.path.realpath(sys.prefix)), libraries)
    assert hook._is_program({"__file__": f"{top}/prog.py"}, top, hook.libraries_below(top))


def test_the_readme_starts_with_the_two_commands_and_ci_runs_the_test_one():
    lines = [x for x in (ROOT / "README.md").read_text().splitlines() if x.strip()]
    assert lines[1] == "```sh"  # the README begins with them, under its title
    block = lines[2 : lines.index("```")]
    assert len(block) == 2, block
    app, test = block
    # Both make (or reuse) the same virtual environment and run everything from it: a system
    # Python's pip installs nothing outside one (PEP 668).
    venv = "python3 -m venv .venv && "
    assert app == venv + ".venv/bin/pip install . && .venv/bin/ipc-tui"
    assert test == venv + ".venv/bin/pip install -e '.[test]' && .venv/bin/pytest"
    assert ".venv/" in (ROOT / ".gitignore").read_text().splitlines()
    # CI runs the test command verbatim, on a line of its own (`|| exit`: see .ci/run), then
    # ruff from the same environment.
    ci = [x for x in (ROOT / ".ci" / "run").read_text().splitlines() if not x.startswith("#")]
    assert f"{test} || exit" in ci
    assert ".venv/bin/ruff check . && .venv/bin/ruff format --check ." in ci


def readme_block(text: str, opening: str) -> str:
    start = text.index(opening) + len(opening.split("\n", 1)[0]) + 1
    return text[start : text.index("```", start)]


def test_the_readmes_lesson_beside_a_program_runs_as_it_says(tmp_path):
    """The README's bank.py and bank.md: the lesson is read, teller2 blocks on the lock, and
    the variant `unlocked` loses a deposit, which the program's own assert names."""
    text = (ROOT / "README.md").read_text()
    (tmp_path / "bank.py").write_text(readme_block(text, "```python\nimport sys\n"))
    (tmp_path / "bank.md").write_text(readme_block(text, "```markdown\n# Bank"))

    def run(*args: str) -> tuple[int, list[dict]]:
        command = [sys.executable, "-m", "ipc_tui", str(tmp_path / "bank.py"), "--headless"]
        out = subprocess.run(
            [*command, "--json", *args], capture_output=True, text=True, timeout=60
        )
        return out.returncode, [json.loads(line) for line in out.stdout.splitlines()]

    for mode in ("process", "thread"):
        code, lines = run("--mode", mode, "--schedule", "MainThreadx2,teller1,teller2")
        assert code == 0
        blocked = [
            e["worker"] for e in lines if e.get("kind") == "blocked" and e["resource"] == "lock"
        ]
        assert blocked == ["teller2"]  # behind teller1, which holds it
        final = lines[-1]["final"]
        assert final["cells"]["balance"] == 130 and final["variant"] == "locked"
    lossy = "MainThreadx2,teller1,teller2,teller1,teller2"
    code, lines = run("--variant", "unlocked", "--schedule", lossy)
    assert code == 1
    assert lines[-1]["final"]["said"] == ["NOT AS EXPECTED: balance 120, expected 130"]
    head = subprocess.run(
        [sys.executable, "-m", "ipc_tui", str(tmp_path / "bank.py"), "--headless"],
        capture_output=True, text=True, timeout=60,
    ).stdout.splitlines()[0]  # fmt: skip
    assert "Bank: two tellers deposit into one account, under a lock" in head
