"""`ipc-tui --version` says which ipc-tui this is, installed or not."""

from importlib import metadata

import pytest

import ipc_tui
from ipc_tui.cli import main
from tests.conftest import left_behind, run_cli


def test_version_prints_the_installed_packages_version():
    done = run_cli("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"ipc-tui {metadata.version('ipc-tui')}\n"
    assert done.stderr == ""
    assert not left_behind(done)


def test_the_version_comes_from_the_package_metadata(monkeypatch, capsys):
    monkeypatch.setattr(metadata, "version", lambda name: {"ipc-tui": "9.8.7"}[name])
    with pytest.raises(SystemExit) as leaving:
        main(["--version"])
    assert leaving.value.code == 0
    assert capsys.readouterr().out == "ipc-tui 9.8.7\n"


def test_without_package_metadata_it_prints_the_source_trees_version(monkeypatch, capsys):
    def not_installed(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", not_installed)
    with pytest.raises(SystemExit) as leaving:
        main(["--version"])
    assert leaving.value.code == 0
    assert capsys.readouterr().out == f"ipc-tui {ipc_tui.__version__}\n"
