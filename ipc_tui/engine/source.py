"""What a scenario's source says about itself: where its critical sections are."""

from __future__ import annotations

import ast
import threading

_PARSING = threading.Lock()


def parse(source: str, filename: str = "<unknown>") -> ast.Module:
    """`ast.parse`, one thread at a time. CPython 3.11 keeps the AST builder's recursion depth
    per interpreter, not per call: when the garbage collector runs Python code in the middle of
    a parse and another thread parses then, it fails with `SystemError: AST constructor
    recursion depth mismatch` (seen in CI: a run's check() read its asserts on a thread while
    the next run's scenario was being read; 3.12 does not show it)."""
    with _PARSING:
        return ast.parse(source, filename=filename)


def critical_lines(source: str, guards: set[str]) -> frozenset[int]:
    """The lines run while holding one of `guards` (locks, semaphores): the bodies of
    `with guard:` blocks, and the statements between `guard.acquire()` and `guard.release()`."""
    try:
        tree = parse(source)
    except SyntaxError:
        return frozenset()
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.With) and any(
            _names(item.context_expr, guards) for item in node.items
        ):
            for stmt in node.body:
                lines.update(range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1))
        for field in ("body", "orelse", "finalbody"):
            stmts = getattr(node, field, None)
            if not isinstance(stmts, list):
                continue
            opened: dict[str, int] = {}
            for stmt in stmts:
                call = _method_call(stmt)
                if call and call[0] in guards and call[1] == "acquire":
                    opened[call[0]] = (stmt.end_lineno or stmt.lineno) + 1
                elif call and call[1] == "release" and call[0] in opened:
                    lines.update(range(opened.pop(call[0]), stmt.lineno))
    return frozenset(lines)


def _names(expr: ast.expr, guards: set[str]) -> bool:
    """`lock`, `self.lock`, `forks[0]`, `counter.get_lock()`: as the code writes it."""
    return ast.unparse(expr) in guards


def _method_call(stmt: ast.stmt) -> tuple[str, str] | None:
    """`name.method(...)` as a statement (or the value of an assignment or an `if`)."""
    expr = getattr(stmt, "value", None) if not isinstance(stmt, ast.If) else stmt.test
    if isinstance(expr, ast.UnaryOp):
        expr = expr.operand
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
        return ast.unparse(expr.func.value), expr.func.attr
    return None
