"""On Windows ipc-tui refuses to run a scenario: one line that says why, and exit code 2.

Simulated here by setting `sys.platform`; the front-ends are replaced by ones that fail the
test, so a missing refusal shows as a failure, not as an app opening in the test run."""

import sys

import pytest

import ipc_tui.headless
import ipc_tui.tui.run
from ipc_tui.cli import main, unsupported_platform


@pytest.fixture
def on_windows(monkeypatch):
    def started(*args: object, **kwargs: object) -> int:
        raise AssertionError("a front-end started on Windows")

    monkeypatch.setattr(ipc_tui.tui.run, "run_app", started)
    monkeypatch.setattr(ipc_tui.headless, "run_headless", started)
    monkeypatch.setattr(sys, "platform", "win32")


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--scenario", "race-condition"],
        ["--scenario", "race-condition", "--headless"],
        ["--scenario", "race-condition", "--headless", "--json", "--mode", "thread"],
        ["--headless"],
    ],
    ids=["picker", "app", "headless", "headless-json", "headless-without-scenario"],
)
def test_on_windows_the_app_and_headless_runs_are_refused_in_one_line(on_windows, capsys, args):
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1, err
    assert err.startswith("ipc-tui: Windows is not supported yet: ")
    assert err.rstrip().endswith("(use WSL; --list works)")


def test_on_windows_list_and_version_still_work(on_windows, capsys):
    assert main(["--list"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "race-condition" in {line.split()[0] for line in out.splitlines()}
    with pytest.raises(SystemExit) as leaving:
        main(["--version"])
    assert leaving.value.code == 0
    assert capsys.readouterr().out.startswith("ipc-tui ")


def test_elsewhere_nothing_is_refused(monkeypatch):
    for platform in ("linux", "darwin"):
        monkeypatch.setattr(sys, "platform", platform)
        assert unsupported_platform() is None
