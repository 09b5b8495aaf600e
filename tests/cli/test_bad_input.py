"""Bad input gets one line on stderr and exit code 2, never a traceback."""

import pytest

from tests.conftest import example, left_behind, run_cli


def refused(*args: str) -> str:
    """Exit 2, one line on stderr (no traceback, no warning), no process left running."""
    done = run_cli(*args)
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert not left_behind(done)
    return lines[0]


def test_unknown_scenario_lists_the_known_ones_and_suggests_the_closest():
    line = refused("--scenario", "race-conditon", "--headless")
    assert "unknown scenario 'race-conditon'" in line
    assert "did you mean 'race-condition'" in line and "lock-contention" in line


def test_missing_file(tmp_path):
    line = refused("--scenario", str(tmp_path / "nope.py"), "--headless")
    assert "cannot read" in line and "nope.py" in line
    # named as the user typed it, ./ and all
    assert "cannot read scenario file './nope.py'" in refused("--scenario", "./nope.py")


def test_unreadable_file(tmp_path):
    path = tmp_path / "dir.py"
    path.mkdir()
    assert "cannot read" in refused("--scenario", str(path), "--headless")


@pytest.mark.parametrize(
    "source, expected",
    [
        ("x = (\n", "scenario.py:1: syntax error"),
        (
            "from ipc_tui.scenario import Value\nn = Value('x', 0)\n",
            "scenario.py:2: Value('x', 0): unknown typecode 'x'",
        ),
        (
            "from ipc_tui.scenario import Value\nn = Value('i', 'abc')\n",
            "scenario.py:2: Value('i', 'abc')",
        ),
        (
            "from ipc_tui.scenario import Semaphore\ns = Semaphore(-1)\n",
            "scenario.py:2: Semaphore(-1): the initial value must be 0 or more",
        ),
        (
            "from ipc_tui.scenario import Array\na = Array('i', 2.5)\n",
            "scenario.py:2: Array('i', 2.5): give a size",
        ),
        (
            "from ipc_tui.scenario import Value\nValue('i', 0)\n",
            "is not kept in a top-level variable",
        ),
        ("from ipc_tui.scenario import Value\nn = Value('i', 0)\n", "no workers"),
        ("from ipc_tui.scenario import Process\nProcess(target=3)\n", "is not a function"),
        (
            "from ipc_tui.scenario import Value\nimport no_such_module\n",
            "scenario.py:2: ModuleNotFoundError",
        ),
        ("from ipc_tui.scenario import Value\n", "no workers"),
        ("This is a lesson plan, not Python.\n", "scenario.py:1: syntax error"),
        (
            "from ipc_tui.scenario import Lock, Process\n"
            "a = Lock()\na = Lock()\nProcess(target=print)\n",
            "scenario.py:2: Lock() is not kept in a top-level variable, or its name is used twice",
        ),
        (
            "from ipc_tui.scenario import Process, Value\n"
            "n = Value('i', 0)\nProcess(target=print, name='x')\nProcess(target=print, name='x')\n",
            "two workers are named 'x'",
        ),
    ],
)
def test_a_broken_scenario_file_says_where_and_what(scenario_file, source, expected):
    path = scenario_file(source)
    assert expected in refused("--scenario", path, "--headless")


def test_a_huge_file(scenario_file):
    path = scenario_file(
        "from ipc_tui.scenario import Process\nProcess(target=print)\n" + "#" * 2**20
    )
    assert "too big for a scenario (1 MB at most)" in refused("--scenario", path, "--headless")


def test_a_binary_file(tmp_path):
    path = tmp_path / "blob.py"
    path.write_bytes(b"\x00\x01\x02\xff")
    assert "not a Python file" in refused("--scenario", str(path), "--headless")


@pytest.mark.parametrize(
    "schedule, expected",
    [
        ("w0,w9", "no worker 'w9'"),
        ("w0,,w1", "malformed"),
        ("w0x", "malformed"),
    ],
)
def test_a_bad_schedule(schedule, expected):
    line = refused("--scenario", example("race-condition"), "--headless", "--schedule", schedule)
    assert expected in line


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--mode", "fibers"], "invalid choice"),
        (["--timeout", "0"], "more than 0"),
        (["--timeout", "-3"], "more than 0"),
        (["--timeout", "soon"], "wants seconds"),
        (["--frobnicate"], "unrecognized arguments"),
        (["--lang", "fr"], "invalid choice"),
        (["--mode", ""], "invalid choice"),
        (["--timeout", "inf"], "more than 0"),
        (["--timeout", "nan"], "more than 0"),
    ],
)
def test_bad_options(args, expected):
    assert expected in refused("--scenario", example("race-condition"), "--headless", *args)


def test_a_reader_that_goes_away_gets_no_traceback(scenario_file):
    import subprocess
    import sys

    path = scenario_file(
        """
        from ipc_tui.scenario import Process, Value
        n = Value("i", 0)
        def count():
            for _ in range(20_000):  # far more output than a pipe holds
                n.value += 1
        Process(target=count)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "ipc_tui", "--scenario", path, "--headless", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    _, err = proc.communicate(timeout=30)
    assert b"Traceback" not in err


def test_an_unknown_variant():
    line = refused("--scenario", example("deadlock"), "--headless", "--variant", "nope")
    assert "no variant 'nope'" in line and "fixed" in line


@pytest.mark.parametrize(
    "declaration, expected",
    [
        ("MODES = 5", "MODES must list"),
        ('MODES = ("fibers",)', "MODES must list"),
        ("VARIANTS = 5", "VARIANTS must list names"),
        ("VARIANTS = ()", "VARIANTS must list names"),
        ("TIMEOUT = -1", "TIMEOUT must be a number"),
        ('TIMEOUT = "long"', "TIMEOUT must be a number"),
    ],
)
def test_modes_and_variants_declared_wrong(scenario_file, declaration, expected):
    path = scenario_file(
        f"from ipc_tui.scenario import Process\n{declaration}\nProcess(target=print)\n"
    )
    assert expected in refused("--scenario", path, "--headless")
