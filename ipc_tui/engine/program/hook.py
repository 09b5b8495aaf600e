"""The program's `import multiprocessing`, `import threading`, `import time` and `import queue`,
watched.

A hook on `builtins.__import__` hands the program's own files (the program's folder, but no
library inside it) modules that look like the standard library's and are, except that
their primitives and workers are the watched ones (watched.py). Everybody else, the standard
library first (`Thread.__init__` makes an Event), keeps the real modules: patching them would
watch the library's insides too. Queues and pipes are channels.py's, conditions and
barriers conditions.py's. What ipc-tui does not watch (a Pool, a Manager, a Timer) is the
real thing, with a notice naming the line.

Children get the hook too: under fork they inherit it; under spawn and forkserver the data
multiprocessing sends a child carries one object whose unpickling installs it, before the
child runs the program's top level again (`spawn.get_preparation_data`, wrapped here).
"""

from __future__ import annotations

import builtins
import functools
import multiprocessing
import os
import queue
import sys
import threading
import time
import types
from typing import Any

from ipc_tui.engine.program import agent as agent_module
from ipc_tui.engine.program import channels, conditions, variables, watched

UNWATCHED = {
    "multiprocessing": (
        "Manager",
        "Pool",
    ),
    "threading": ("Timer",),
    "queue": ("SimpleQueue",),
    # made for the program when it imports them (importing asyncio costs every program time)
    "concurrent.futures": ("ThreadPoolExecutor", "ProcessPoolExecutor"),
    "asyncio": ("run", "Runner"),
}
LATER = ("concurrent.futures", "asyncio")

_installed: dict[str, Any] = {}


def _is_program(globals_: Any, folder: str, libraries: tuple[str, ...] = ()) -> bool:
    """A module of the program: a file in its folder, and not in a library below that folder
    (`libraries_below`). Without a file: the program's `__main__` itself."""
    if not isinstance(globals_, dict):
        return False
    file = globals_.get("__file__")
    if not isinstance(file, str):
        return globals_.get("__name__") in ("__main__", "__mp_main__")
    path = variables.realpath(file)
    if not path.startswith(folder + os.sep):
        return False
    return not any(path.startswith(library + os.sep) for library in libraries)


@functools.cache
def libraries_below(folder: str) -> tuple[str, ...]:
    """Where libraries live (the interpreter's prefixes, site-packages, ipc-tui itself), when
    that is inside the program's folder: a program saved at a virtual environment's top must
    not have every library in it watched. A library folder *above* the program's is no reason
    to leave it unwatched: the built-in scenarios of an installed ipc-tui live in
    `site-packages/ipc_tui/scenarios`."""
    places = [sys.prefix, sys.base_prefix, watched._OURS, *_site_packages()]
    found = {os.path.realpath(p) for p in places if p}
    return tuple(sorted(p for p in found if p.startswith(folder + os.sep)))


def _site_packages() -> list[str]:
    import site

    try:
        return [*site.getsitepackages(), site.getusersitepackages()]
    except AttributeError:  # (a virtualenv's old site module)
        return []


def install(cfg: dict) -> None:
    """Watch the imports of the program at `cfg["path"]` in this process (once)."""
    if _installed:
        return
    folder = os.path.dirname(os.path.realpath(cfg["path"]))
    libraries = libraries_below(folder)
    method = cfg.get("method") or None
    swap = cfg.get("swap") or ""  # a built-in scenario in its other mode: "thread", "process"
    modules = {
        "multiprocessing": _multiprocessing(method, swap),
        "threading": _threading(swap),
        "time": _time(),
        "queue": _proxy("queue", queue, channels.queue_members()),
    }
    real_import = builtins.__import__

    def hooked(name, globals=None, locals=None, fromlist=(), level=0):  # noqa: A002
        module = real_import(name, globals, locals, fromlist, level)
        dotted = not fromlist and "." in name  # `import multiprocessing.pool` binds the top
        if level != 0 or not (name in modules or name in LATER or dotted):
            return module
        if not _is_program(globals, folder, libraries):
            return module
        if name in LATER and name not in modules:
            _later(name, modules)
        if dotted:
            return modules.get(name.partition(".")[0], module)
        return modules.get(name, module)

    builtins.__import__ = hooked
    if not cfg.get("stdin"):  # (headless with something piped in: input() reads it)
        builtins.input = _no_input
    _installed.update(modules)
    _installed["config"] = cfg
    if method:
        multiprocessing.set_start_method(method, force=True)
    _wrap_preparation_data()
    _preload_for_forkserver(cfg)


def _later(name: str, modules: dict) -> None:
    """What the program uses of `name` that ipc-tui does not watch: the real thing, with a
    notice (`concurrent.futures`' pools, `asyncio.run`); `import concurrent.futures` binds
    `concurrent`, whose `futures` is this one."""
    modules[name] = _proxy(name, sys.modules[name], {})
    top, _, attr = name.partition(".")
    if attr:
        modules[top] = _proxy(top, sys.modules[top], {attr: modules[name]})


def _no_input(prompt: object = "") -> str:
    """`input()`: the program runs without a keyboard (its stdin is empty), so it gets the
    EOFError plain `python` gives on an empty stdin, saying why."""
    if prompt:
        print(prompt)
    raise EOFError(
        "input() has no keyboard under ipc-tui: give the value as an argument "
        "(ipc-tui prog.py VALUE, read from sys.argv) or pipe it in (echo VALUE | ipc-tui "
        "prog.py --headless)"
    )


# -- the modules the program sees -------------------------------------------------------------


def _proxy(name: str, real: types.ModuleType, members: dict) -> types.ModuleType:
    module = types.ModuleType(name, real.__doc__)
    module.__dict__.update(members)

    def __getattr__(attr: str) -> Any:  # noqa: N807 (PEP 562)
        return getattr(real, attr)

    module.__getattr__ = __getattr__  # type: ignore[method-assign]
    module.__file__ = getattr(real, "__file__", None)
    module.__path__ = getattr(
        real, "__path__", []
    )  # (a package: `from multiprocessing import pool`)
    module.__ipc_tui_real__ = real
    for attr in UNWATCHED.get(name, ()):
        if hasattr(real, attr) and attr not in members:
            setattr(module, attr, _unwatched(f"{name}.{attr}", getattr(real, attr)))
    return module


def _unwatched(what: str, real: Any) -> Any:
    said: set = set()

    def make(*args: Any, **kwargs: Any) -> Any:
        frame = sys._getframe(1)
        where = (frame.f_code.co_filename, frame.f_lineno)
        if where not in said:
            said.add(where)
            agent_module.here().send(
                (
                    "notice",
                    f"{what}() at line {frame.f_lineno} runs for real, unwatched: "
                    "its operations are not steps",
                    frame.f_lineno,
                )
            )
        return real(*args, **kwargs)

    make.__name__ = make.__qualname__ = what.rpartition(".")[2]
    make.__wrapped__ = real  # type: ignore[attr-defined]
    return make


class _Context(watched.Context):
    """`multiprocessing.get_context(method)` as the program sees it."""

    def __init__(self, real: Any):
        super().__init__(real)
        self.Process = watched.process_class(real.Process)
        for attr in UNWATCHED["multiprocessing"]:
            if hasattr(real, attr):
                setattr(self, attr, _unwatched(attr, getattr(real, attr)))
        vars(self).update(channels.multiprocessing_members(real))  # (queues and pipes: watched)
        vars(self).update(conditions.multiprocessing_members(real))

    def get_context(self, method: str | None = None) -> Any:
        return _contexts(method)

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._real, attr)


_context_cache: dict[Any, _Context] = {}


def _contexts(method: str | None) -> _Context:
    override = _installed.get("config", {}).get("method") or None
    real = multiprocessing.get_context(override or method)
    if real not in _context_cache:
        _context_cache[real] = _Context(real)
    return _context_cache[real]


PRIMITIVES = ("Lock", "RLock", "Semaphore", "BoundedSemaphore", "Event")


def _multiprocessing(method: str | None, swap: str = "") -> types.ModuleType:
    default = watched.Context(multiprocessing)
    members = {
        name: getattr(default, name)
        for name in ("Value", "RawValue", "Array", "RawArray", *PRIMITIVES)
    }
    # A scenario written with processes, run as threads: its processes are threads (its
    # primitives stay multiprocessing's: they work between threads too)
    members["Process"] = watched.ThreadAsProcess if swap == "thread" else watched.Process

    def get_context(method: str | None = None) -> Any:
        return _contexts(method)

    def set_start_method(name: str, force: bool = False) -> None:
        if method:  # --start-method: the command line decides
            return
        multiprocessing.set_start_method(name, force)

    members.update(channels.multiprocessing_members(multiprocessing))
    members.update(conditions.multiprocessing_members(multiprocessing))
    members["get_context"] = get_context
    members["set_start_method"] = set_start_method
    return _proxy("multiprocessing", multiprocessing, members)


def _threading(swap: str = "") -> types.ModuleType:
    members = {
        "Thread": watched.Thread,
        "Lock": watched.thread_lock,
        "RLock": watched.thread_rlock,
        "Semaphore": watched.thread_semaphore,
        "BoundedSemaphore": watched.thread_bounded_semaphore,
        "Event": watched.thread_event,
        **conditions.threading_members(),
    }
    if swap == "process":  # written with threads, run as processes: their primitives too
        default = watched.Context(multiprocessing)
        members.update({name: getattr(default, name) for name in PRIMITIVES})
        members.update(conditions.multiprocessing_members(multiprocessing))
        members["Thread"] = watched.ProcessAsThread
    return _proxy("threading", threading, members)


def _time() -> types.ModuleType:
    return _proxy("time", time, {"sleep": watched.sleep})


# -- children started by spawn and forkserver ---------------------------------------------------


class _Install:
    """Unpickled first thing in a child started by spawn or forkserver: installs the hook."""

    def __reduce__(self):
        return (_install_from_environment, ())


def _install_from_environment() -> None:
    cfg = agent_module.config()
    if cfg:
        install(cfg)


def _wrap_preparation_data() -> None:
    from multiprocessing import spawn

    real = spawn.get_preparation_data
    if getattr(real, "__ipc_tui__", False):
        return

    def get_preparation_data(name: str) -> dict:
        data = real(name)
        data = {"ipc_tui_hook": _Install(), **data}  # (first: unpickled before the rest)
        return data

    get_preparation_data.__ipc_tui__ = True  # type: ignore[attr-defined]
    spawn.get_preparation_data = get_preparation_data


def _preload_for_forkserver(cfg: dict) -> None:
    """The forkserver runs the program's top level before anything else it preloads: it
    preloads this instead, which installs the hook, then does the same."""
    from multiprocessing import forkserver

    server = forkserver._forkserver
    if server._preload_modules == ["__main__"]:
        server._preload_modules = ["ipc_tui.engine.program.preload"]
