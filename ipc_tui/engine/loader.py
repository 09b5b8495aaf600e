"""Finding scenario files, reading what they say about themselves, and running their top level."""

from __future__ import annotations

import ast
import difflib
import importlib.util
import inspect
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import ipc_tui
from ipc_tui.engine.declare import Declarations, declaring
from ipc_tui.engine.errors import ScenarioError
from ipc_tui.engine.lesson_file import lesson_beside
from ipc_tui.engine.primitives import Resource
from ipc_tui.engine.runtime import scenario_print
from ipc_tui.engine.source import parse
from ipc_tui.engine.workers import Worker

# "mixed": each worker as its class says, Thread a thread and Process a process, in one run
MODES = ("thread", "process", "mixed")
MAX_BYTES = 1_000_000  # a scenario is a lesson, not a library


@dataclass(frozen=True, slots=True)
class ScenarioInfo:
    """What a scenario file says about itself, read without running it."""

    name: str
    path: str
    title: str
    lesson: str
    modes: tuple[str, ...]  # the first is the default
    source: str
    variants: tuple[str, ...] = ()  # from VARIANTS; the first is the default
    title_zh: str = ""  # from LESSON_ZH, the lesson in Simplified Chinese
    lesson_zh: str = ""
    timeout: float = 10.0  # from TIMEOUT: how long a headless run may take, in seconds
    program: bool = False  # a plain Python program (no ipc_tui import): it runs as itself
    watched: bool = True  # False: a program that measures, run unhooked (its lesson says so)
    watched_variants: tuple[str, ...] = ()  # its variants that run watched all the same
    # A built-in program's thread mode written as a program of its own (with plain globals,
    # as the notes teach threads), instead of this one with Process and Thread swapped
    as_threads: str = ""

    def text(self, lang: str = "en") -> tuple[str, str]:
        """The title and the lesson in `lang` ("en" or "zh"), English where there is no zh."""
        if lang == "zh" and self.title_zh:
            return self.title_zh, self.lesson_zh
        return self.title, self.lesson


def builtin_dir() -> Path:
    """The built-in scenarios: inside the installed package, or the source tree's scenarios/."""
    package = Path(ipc_tui.__file__).resolve().parent
    shipped = package / "scenarios"
    return shipped if shipped.is_dir() else package.parent / "scenarios"


def is_builtin(info: ScenarioInfo) -> bool:
    """One of ipc-tui's own scenarios (its thread-mode program beside it included)."""
    try:
        return Path(info.path).resolve().is_relative_to(builtin_dir().resolve())
    except OSError:
        return False


def list_scenarios() -> list[ScenarioInfo]:
    return [read_info(p) for p in sorted(builtin_dir().glob("*.py")) if not p.name.startswith("_")]


def find_scenario(name_or_path: str) -> ScenarioInfo:
    """A built-in scenario by name, or any scenario file by path."""
    if "/" in name_or_path or name_or_path.endswith(".py") or Path(name_or_path).is_file():
        return read_info(Path(name_or_path), given=name_or_path)
    path = builtin_dir() / f"{name_or_path.replace('_', '-')}.py"
    if path.is_file():
        return read_info(path)
    known = sorted(p.stem for p in builtin_dir().glob("*.py") if not p.name.startswith("_"))
    close = difflib.get_close_matches(name_or_path, known, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise ScenarioError(
        f"unknown scenario {name_or_path!r}; {hint}known: {', '.join(known)} (or give a file path)"
    )


def read_info(path: Path, given: str | None = None) -> ScenarioInfo:
    """`given`: the path as the user typed it (`./x.py`: Path drops the `./`), for messages."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        shown = given or str(path)
        raise ScenarioError(f"cannot read scenario file {shown!r}: {exc.strerror}") from None
    if len(data) > MAX_BYTES:
        raise ScenarioError(f"{path}: {len(data)} bytes is too big for a scenario (1 MB at most)")
    if b"\0" in data:
        raise ScenarioError(f"{path}: not a Python file (it holds binary data)")
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not a Python file (not UTF-8 text)") from None
    try:
        tree = parse(source, filename=str(path))
    except SyntaxError as exc:
        raise ScenarioError(f"{path}:{exc.lineno}: syntax error: {exc.msg}") from None
    doc = (ast.get_docstring(tree) or "").strip()
    title, _, lesson = doc.partition("\n")
    if not _uses_ipc_tui(tree):
        beside = lesson_beside(path)  # a built-in scenario's lesson, beside its program
        if beside is not None:
            return ScenarioInfo(
                name=path.stem,
                path=str(path.resolve()),
                title=beside.title,
                lesson=beside.lesson,
                modes=beside.modes or ("program",),
                source=source,
                variants=beside.variants,
                title_zh=beside.title_zh,
                lesson_zh=beside.lesson_zh,
                timeout=beside.timeout or 10.0,
                program=True,
                watched=beside.watched,
                watched_variants=beside.watched_variants,
                as_threads=str((path.parent / beside.threads).resolve()) if beside.threads else "",
            )
        return ScenarioInfo(
            name=path.stem,
            path=str(path.resolve()),
            title=title.strip() or path.name,
            lesson=lesson.strip(),
            modes=("program",),
            source=source,
            timeout=_declared_timeout(tree, path),
            program=True,
        )
    title_zh, _, lesson_zh = _string_constant(tree, "LESSON_ZH").strip().partition("\n")
    return ScenarioInfo(
        name=path.stem,
        path=str(path.resolve()),
        title=title.strip() or path.stem,
        lesson=lesson.strip(),
        modes=_declared_modes(tree, path),
        source=source,
        variants=_declared_variants(tree, path),
        title_zh=title_zh.strip(),
        lesson_zh=lesson_zh.strip(),
        timeout=_declared_timeout(tree, path),
    )


_MISSING = object()


def _uses_ipc_tui(tree: ast.Module) -> bool:
    """Written for ipc-tui (`from ipc_tui.scenario import ...`), or a plain program."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "ipc_tui":
            return True
        if isinstance(node, ast.Import) and any(
            a.name.split(".")[0] == "ipc_tui" for a in node.names
        ):
            return True
    return False


def _top_level(tree: ast.Module, name: str) -> tuple[object, int]:
    """The literal value of `NAME = ...` at the top level and its line; (_MISSING, 0) if none,
    (None, line) if it is not a literal."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            try:
                return ast.literal_eval(node.value), node.lineno
            except ValueError:
                return None, node.lineno
    return _MISSING, 0


def _declared_modes(tree: ast.Module, path: Path) -> tuple[str, ...]:
    """`MODES = ("process", "thread")` at the top level; the first is the default."""
    modes, line = _top_level(tree, "MODES")
    if modes is _MISSING:
        return ("process", "thread")
    if isinstance(modes, str):
        modes = (modes,)
    if not isinstance(modes, (tuple, list)) or not modes or not all(m in MODES for m in modes):
        raise ScenarioError(f"{path}:{line}: MODES must list 'process', 'thread' or 'mixed'")
    return tuple(modes)


def _declared_variants(tree: ast.Module, path: Path) -> tuple[str, ...]:
    """`VARIANTS = ("deadlock", "fixed")`: ways to run one file; `variant()` says which."""
    variants, line = _top_level(tree, "VARIANTS")
    if variants is _MISSING:
        return ()
    if (
        not isinstance(variants, (tuple, list))
        or not variants
        or not all(isinstance(v, str) and v for v in variants)
    ):
        raise ScenarioError(f"{path}:{line}: VARIANTS must list names, as strings")
    return tuple(variants)


def _declared_timeout(tree: ast.Module, path: Path) -> float:
    """`TIMEOUT = 180`: a scenario that needs longer than 10 s says so."""
    seconds, line = _top_level(tree, "TIMEOUT")
    if seconds is _MISSING:
        return 10.0
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 < seconds:
        raise ScenarioError(f"{path}:{line}: TIMEOUT must be a number of seconds above 0")
    return float(seconds)


def _string_constant(tree: ast.Module, name: str) -> str:
    """The text of `NAME = "..."` at the top level (dedented), or ""."""
    text, _ = _top_level(tree, name)
    return inspect.cleandoc(text) if isinstance(text, str) else ""


def module_name(path: str) -> str:
    return "ipc_tui_scenario_" + "".join(c if c.isalnum() else "_" for c in Path(path).stem)


def execute(info: ScenarioInfo, decl: Declarations, name: str | None = None) -> ModuleType:
    """Run the scenario file's top level, sending its declarations to `decl`."""
    name = name or module_name(info.path)
    spec = importlib.util.spec_from_file_location(name, info.path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    module.print = scenario_print  # type: ignore[attr-defined]
    sys.modules[name] = module
    try:
        with declaring(decl):
            spec.loader.exec_module(module)
    except ScenarioError:
        raise
    except Exception as exc:
        raise ScenarioError(f"{_where(exc, info.path)}: {type(exc).__name__}: {exc}") from None
    _name_declarations(module, decl, info.path)
    return module


def main_of(module: ModuleType) -> Callable[[], object] | None:
    """The scenario's own `main()`, if it defines one."""
    return _own_function(module, "main")


def check_of(module: ModuleType) -> Callable[[], object] | None:
    """The scenario's own `check()`, what must hold at the end (engine/check.py), if any."""
    return _own_function(module, "check")


def _own_function(module: ModuleType, name: str) -> Callable[[], object] | None:
    found = vars(module).get(name)
    if callable(found) and getattr(found, "__module__", None) == module.__name__:
        return found
    return None


def _where(exc: BaseException, path: str) -> str:
    if isinstance(exc, SyntaxError) and exc.filename == path:
        return f"{path}:{exc.lineno}"
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == path]
    return f"{path}:{lines[-1]}" if lines else path


def _name_declarations(module: ModuleType, decl: Declarations, path: str) -> None:
    """Resources are named after their variable; workers by `name=` or w0, w1, ..."""
    for var, obj in vars(module).items():
        if isinstance(obj, Resource) and obj.name is None:
            obj.name = var
        elif isinstance(obj, (list, tuple)):  # forks = [Lock() for _ in range(5)]
            for i, item in enumerate(obj):
                if isinstance(item, Resource) and item.name is None:
                    item.name = f"{var}[{i}]"
    for res in decl.resources:
        if res.name is None:
            raise ScenarioError(
                f"{path}:{res.line}: {res.declaration()} is not kept in a top-level variable, "
                "or its name is used twice (give each one a name of its own, "
                "e.g. `counter = Value('i', 0)`)"
            )
    if not decl.workers and main_of(module) is None:
        raise ScenarioError(
            f"{path}: no workers; declare at least one, e.g. `Process(target=work)` "
            "at the top level, or define main()"
        )
    seen: dict[str, int] = {}
    for worker in decl.workers:
        if worker._target is None and type(worker).run is Worker.run:
            raise ScenarioError(f"{path}:{worker.line}: a worker needs a target or a run method")
        if worker._target is not None and not callable(worker._target):
            raise ScenarioError(
                f"{path}:{worker.line}: target={worker._target!r} is not a function"
            )
        worker.name = worker.declared_name or f"w{worker.index}"
        if worker.name in seen:
            raise ScenarioError(
                f"{path}:{worker.line}: two workers are named {worker.name!r} "
                f"(lines {seen[worker.name]} and {worker.line})"
            )
        seen[worker.name] = worker.line
