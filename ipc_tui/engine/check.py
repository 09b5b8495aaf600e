"""What must hold once the run has ended, in plain `assert`s, and whether it did.

A plain program says it in its own code, as it would under plain `python`:

    assert counter.value == 6, f"counter is {counter.value}, expected 6"

and the run's check is its asserts: the first that failed (`from_failure`, read from the
worker's traceback) says what went wrong in the program's own words; when the program ended with
none failed and nothing else going wrong, the conditions of its asserts say what held
(`asserts_in`). A scenario of the older form has a `check()` of asserts instead, which the
session calls once, when no worker is left to run, outside every worker (`run_check`).
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from ipc_tui.engine.source import parse


@dataclass(frozen=True, slots=True)
class Checked:
    held: bool
    says: str  # in plain words: what held, or what did not


def conditions(check: Callable[[], object]) -> list[str]:
    """The conditions of the asserts in `check`, as written."""
    try:
        source = textwrap.dedent(inspect.getsource(check))
        tree = parse(source)
    except (OSError, TypeError, SyntaxError):
        return []
    return [
        ast.get_source_segment(source, node.test) or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.Assert)
    ]


def asserts_in(source: str) -> list[str]:
    """The conditions of every assert in a program's source, as written."""
    try:
        tree = parse(source)
    except (SyntaxError, ValueError):
        return []
    return [
        ast.get_source_segment(source, node.test) or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.Assert)
    ]


def from_failure(error: str) -> Checked | None:
    """A worker's failure, as a check that did not hold if an assert failed (None if not)."""
    lines = error.rstrip().splitlines()
    at = next((i for i in range(len(lines) - 1, -1, -1) if _raised_here(lines[i])), None)
    if at is None:
        return None
    first = lines[at].removeprefix("AssertionError").removeprefix(":").strip()
    message = "\n".join([first, *lines[at + 1 :]]).strip()  # (a message of several lines)
    if message:
        return Checked(False, message)
    code = next((x.strip() for x in reversed(lines[:at]) if x.strip().startswith("assert ")), "")
    condition = _condition(code)
    return Checked(False, f"{condition} does not hold" if condition else "an assert failed")


def _raised_here(line: str) -> bool:
    return line == "AssertionError" or line.startswith("AssertionError: ")


def _condition(code: str) -> str:
    """`assert n.value == 2, "..."` -> `n.value == 2`."""
    try:
        node = parse(code).body[0]
    except (SyntaxError, ValueError, IndexError):
        return code.removeprefix("assert ").split(", ")[0]
    return ast.get_source_segment(code, node.test) or "" if isinstance(node, ast.Assert) else ""


def run_check(check: Callable[[], object]) -> Checked:
    try:
        check()
    except AssertionError as exc:
        if str(exc):
            return Checked(False, str(exc))
        line = next((f.line for f in reversed(traceback.extract_tb(exc.__traceback__))), "")
        condition = (line or "").strip().removeprefix("assert ").split(", ")[0]
        return Checked(False, f"{condition} does not hold" if condition else "an assert failed")
    except Exception as exc:  # a check that cannot run is no check that held
        return Checked(False, f"check() raised {type(exc).__name__}: {exc}")
    return Checked(True, "; ".join(conditions(check)) or "check() passed")
