"""A plain `pip install .` ships the scenarios; the README and CI run the same test command."""

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


def test_the_readme_example_scenario_runs_as_it_says(tmp_path):
    text = (ROOT / "README.md").read_text()
    start = text.index('```python\n"""Bank') + len("```python\n")
    path = tmp_path / "my_lesson.py"
    path.write_text(text[start : text.index("```", start)])
    for mode in ("process", "thread"):
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "ipc_tui",
                "--scenario",
                str(path),
                "--headless",
                "--json",
                "--mode",
                mode,
                "--schedule",
                "opener*,teller1x3,teller2x3",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert out.returncode == 0, out.stderr
        lines = out.stdout.splitlines()
        assert '"worker": "teller2", "seq": 3, "kind": "blocked"' in out.stdout
        assert '"final"' in lines[-1] and '"balance": 130' in lines[-1]
