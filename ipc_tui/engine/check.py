"""A scenario's `check()`: what must hold once the run has ended, in plain `assert`s.

    def check():
        assert counter.value == 6, f"counter is {counter.value}, expected 6"

The session calls it once, when no worker is left to run, in its own process (outside every
worker: its reads are not steps). Its first failing assert says what went wrong, in the
scenario's own words; when all hold, the conditions themselves say what held.
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
