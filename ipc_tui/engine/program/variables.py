"""Plain globals as shared state, and steps of one bytecode instruction.

The notes say threads talk through global variables. A program's module-level variables that
its functions rebind (`global counter; counter += 1`), and the module-level lists, dicts, sets
and objects its functions use and some code changes, are *shared globals*: each is a cell in
the Shared memory pane (a global of one process: each process has its own copy) and each read
or write of one is a step, as a `Value`'s is. `counter += 1` is then a read step
(`LOAD_GLOBAL`) and a write step (`STORE_GLOBAL`), and the schedule `w0,w1,w0,w1` loses an
update. An object's attribute (`totals.count += 1`) is read and written the same way; a list,
a dict or a set is read or written by more than its load (`items.append`, `d[k] = v`), so its
step ends when its statement does, and is a write when the statement changes it (looked up in
the statement's bytecode: a store into it, a mutating method).

How: on the code that touches a shared global and on nothing else, a trace function
(`Tracer`: `sys.settrace` with `f_trace_opcodes`, per worker thread, Python 3.10 and 3.11) or
INSTRUCTION events (`MonitoredTracer`: `sys.monitoring`, per code object, 3.12 and later).
Each instruction is looked up in a table made once per code object; a load or a store of a
shared global is a step (`Runtime.enter`, the gate), ended at the next event, once the
instruction has run (`Runtime.pending`).

The instruction grain (flag GRAIN): every instruction of the program's own code is a step,
its name the instruction's (`LOAD_GLOBAL`, `BINARY_OP +=`, `STORE_GLOBAL`), so that a thread
switch can be put between a load and its store by hand.

Running free, nothing is traced (a step going on is first let end). A pause traces again from
the agent's thread (`attach_all`): on 3.12 and later at once; before, a thread's trace
function can be set only by the thread itself, so a worker that ran free untraced is traced
again at its next step of a primitive.
"""

from __future__ import annotations

import atexit
import collections
import dis
import functools
import multiprocessing.process
import os
import sys
import threading
import types
from time import monotonic
from typing import Any

from ipc_tui.engine import errors
from ipc_tui.engine.runtime import FREE, GRAIN, Runtime, _local

_LOADS = ("LOAD_GLOBAL", "LOAD_NAME")
_STORES = ("STORE_GLOBAL", "STORE_NAME")
_DELETES = ("DELETE_GLOBAL", "DELETE_NAME")
_NAMES = (*_LOADS, *_STORES, *_DELETES)
_CHANGES = ("STORE_SUBSCR", "DELETE_SUBSCR", "STORE_ATTR", "DELETE_ATTR")
MUTATORS = frozenset(
    (
        "append appendleft extend extendleft insert pop popleft popitem remove clear update "
        "setdefault add discard sort reverse __setitem__ __delitem__ __iadd__"
    ).split()
)
_SCALARS = (int, float, complex, str, bytes, bool, type(None))
_CONTAINERS = (list, dict, set, bytearray, collections.deque)
_NOT_DATA = (
    types.ModuleType,
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    type,
)
_WORKERS = (threading.Thread, multiprocessing.process.BaseProcess)
_UNBOUND = object()
# A top-level name bound by these is a constant, a module, a function: not shared data
# (a class or a decorated function is made by a call: seen when used, see Tracer._data)
_NOT_MADE = ("LOAD_CONST", "IMPORT_NAME", "IMPORT_FROM", "MAKE_FUNCTION", "SET_FUNCTION_ATTRIBUTE")
SHOWN_CHARS = 60  # a dict's or an object's cell: its text, cut to this


_INLINE = ("<listcomp>", "<genexpr>", "<dictcomp>", "<setcomp>")


def _codes(code: types.CodeType, top: bool = True):
    """The code objects of a module: (code, whether it runs as part of the top level: the
    module's own, and a comprehension in it, a function of its own before 3.12)."""
    yield code, top
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _codes(const, top and const.co_name in _INLINE)


def instructions(code: types.CodeType) -> list:
    return [i for i in dis.get_instructions(code) if i.opname != "CACHE"]


def listing(code: types.CodeType) -> tuple:
    """The code's instructions as the bytecode view shows them: (offset, line, name, arg)."""
    out, line = [], code.co_firstlineno
    for ins in instructions(code):
        positions = getattr(ins, "positions", None)
        found = positions.lineno if positions is not None else ins.starts_line
        if isinstance(found, int) and found > 0:
            line = found
        out.append((ins.offset, line, ins.opname, ins.argrepr))
    return tuple(out)


def shared_names(module_code: types.CodeType) -> tuple[frozenset[str], frozenset[str]]:
    """The module-level names a program's functions share: those they rebind (`global x`),
    and those bound at the top level that they use and that some code changes (a list
    appended to, a dict stored into, an object's attribute set or its method called: whether
    it is data is seen when it is used). A table the program only reads (a list of constants)
    is not shared state. Returns (all of them, the rebound ones)."""
    rebound, top, used, changed = set(), set(), set(), set()
    for code, at_top in _codes(module_code):
        before = None
        found = instructions(code)
        lines = listing(code)
        for k, ins in enumerate(found):
            if at_top and ins.opname == "STORE_NAME" and before not in _NOT_MADE:
                top.add(ins.argval)  # (bound to what may be data: a list, a call's result)
            elif not at_top and ins.opname in ("STORE_GLOBAL", "DELETE_GLOBAL"):
                rebound.add(ins.argval)
            elif not at_top and ins.opname == "LOAD_GLOBAL":
                used.add(ins.argval)
            if ins.opname in _LOADS and _changes_after(found, k, lines, any_method=True):
                changed.add(ins.argval)
            before = ins.opname
    return frozenset(rebound | (top & used & changed)), frozenset(rebound)


# A file's real path, once per process (and once for the explorer's runs: its warm launcher
# reads those of every module it has imported before it forks them)
realpath = functools.lru_cache(maxsize=8192)(os.path.realpath)

_known: dict[tuple, tuple[frozenset[str], frozenset[str]]] = {}


def shared_names_of(path: str) -> tuple[frozenset[str], frozenset[str]]:
    """`shared_names` of the program at `path`, read once per version of the file (the
    explorer's warm launcher reads it before it forks its runs: program/zygote.py)."""
    try:
        st = os.stat(path)
        key = (path, st.st_mtime_ns, st.st_size)
        if key not in _known:
            with open(path, encoding="utf-8") as f:
                module_code = compile(f.read(), path, "exec", dont_inherit=True)
            _known[key] = shared_names(module_code)
        return _known[key]
    except (OSError, SyntaxError, ValueError):
        return frozenset(), frozenset()


class GlobalCell:
    """A shared global of this process, as a resource: a cell (a list: cells) in the pane."""

    shared = False  # each process has its own: the lesson's point about processes
    what = "global"

    def __init__(self, var: str, globals_: dict, line: int):
        self.var = var
        self.suggested = var
        self.line = line
        self._globals = globals_
        self.kind = (
            "array" if isinstance(globals_.get(var), (list, tuple, collections.deque)) else "value"
        )
        self.name: str | None = None
        self.typecode = ""

    def details(self) -> dict:
        return {"what": "global", "where": f"line {self.line}", "shared": False, "typecode": ""}

    def value(self) -> Any:
        return self._globals.get(self.var, _UNBOUND)

    def peek(self) -> Any:
        return shown(self.value(), self.kind)

    def shown(self, op: str, index: Any) -> Any:
        if isinstance(index, str) and index.startswith("."):  # an attribute of an object
            return shown(getattr(self.value(), index[1:], _UNBOUND))
        return self.peek()


def shown(value: Any, kind: str = "value") -> Any:
    """What a cell shows of a value: a number or a string as it is, a list's items, else its
    text (cut to SHOWN_CHARS). Plain data: it travels to the session. (The program's own
    `__repr__` may fail: the cell says so, and the program is not disturbed.)"""
    try:
        if value is _UNBOUND:
            return "(unbound)"
        if kind == "array" and isinstance(value, (list, tuple, collections.deque)):
            return tuple(v if isinstance(v, _SCALARS) else shown(v) for v in list(value))
        if isinstance(value, _SCALARS):
            return value
        if type(value).__repr__ is object.__repr__ and hasattr(value, "__dict__"):
            text = ", ".join(f"{k}={v!r}" for k, v in vars(value).items())
            return _cut(f"{type(value).__name__}({text})")
        return _cut(repr(value))
    except Exception as exc:  # noqa: BLE001
        return f"(its repr failed: {type(exc).__name__})"


def _cut(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


class _Pending:
    """A step begun at a gate whose instruction (or statement) has not run yet: ended at the
    next event (`Runtime.pending`, called before any other step too)."""

    __slots__ = (
        *("rt", "cell", "op", "index", "before", "line", "t0", "frame", "lineno", "whole"),
        *("on_end", "cut", "others"),
    )

    def __init__(self, rt, cell, op, index, before, line, t0, frame, whole):
        self.rt, self.cell, self.op, self.index, self.before = rt, cell, op, index, before
        self.line, self.t0 = line, t0
        self.frame, self.lineno, self.whole = frame, frame.f_lineno, whole
        self.on_end: Any = None
        self.cut = False
        self.others: dict | None = None  # an instruction's: the cells of this process, before

    def within(self, frame: Any) -> bool:
        """A statement's step, and `frame` still on its statement."""
        return self.whole and self.frame is frame and frame.f_lineno == self.lineno

    def __call__(self) -> None:
        rt = self.rt
        rt.pending = None
        if self.on_end is not None:
            self.on_end(self)
        cell = self.cell
        if cell is None and self.others:  # an instruction that touches no global by name:
            for other, before in self.others.items():  # did it change one (an append)?
                after = other.peek()
                if after != before:
                    rt.done(self.op, other.name, None, before, after, None, self.line, self.t0)
                    return
        if cell is None:  # an instruction that touches no shared global
            rt.done(self.op, None, None, None, None, None, self.line, self.t0)
            return
        after = cell.shown(self.op, self.index)
        op = "read" if self.cut else self.op
        reads = op == "read" or op.startswith("LOAD_")
        before = after if reads else self.before
        result = after if reads else None
        rt.done(op, cell.name, self.index, before, after, result, self.line, self.t0)


class Tracer:
    """One process's tracing of a program: which code it traces, its cells."""

    def __init__(self, path: str, folder: str, libraries: tuple[str, ...], made: Any):
        self.path = path
        self.folder = folder
        self.libraries = libraries
        self.made = made  # (cell) -> its id: the agent lists it with the session
        self.names, self.rebound = shared_names_of(path)
        self.cells: dict[str, GlobalCell] = {}
        self.refused: set[str] = set()  # names whose value is not data (a function, a lock)
        self.tables: dict[types.CodeType, dict | None] = {}  # code -> offset -> instruction
        self.threads: set[int] = set()  # idents of the threads with the trace function on
        self.undecided = set(self.names)  # neither a cell nor refused yet
        self.faulted = False  # a fault of the tracer's said once (guarded)
        self.notice: Any = lambda text: None  # (the agent's: to the trace)
        self._lock = threading.Lock()

    @property
    def needed(self) -> bool:
        """Whether the program may share a global still: a name that is not known yet not to
        be data (a global lock is not a cell). Else nothing is traced, until the instruction
        grain is asked for."""
        return not self.names <= self.refused

    # -- which code -------------------------------------------------------------------------

    def ours(self, filename: str) -> bool:
        if filename == self.path:
            return True
        path = realpath(filename)
        if not path.startswith(self.folder + os.sep):
            return False
        return not any(path.startswith(lib + os.sep) for lib in self.libraries)

    def table(self, code: types.CodeType) -> dict | None:
        """offset -> (op name, arg, action), for code of the program; action: None, or
        (kind, var, writes) for a load, store or delete of a shared global. None: not ours."""
        found = self.tables.get(code, _UNBOUND)
        if found is not _UNBOUND:
            return found
        table = None
        if self.ours(code.co_filename):
            found_ins = instructions(code)
            lines = listing(code)
            table = {}
            mine = code.co_filename == self.path
            attrs = _attribute_uses(found_ins, lines, self.names) if mine else {}
            for k, ins in enumerate(found_ins):
                action = attrs.get(ins.offset)
                if ins.opname in _NAMES and ins.argval in self.names and mine:
                    kind = "load" if ins.opname in _LOADS else "store"
                    action = (kind, ins.argval, _changes_after(found_ins, k, lines))
                    if attrs.get(ins.offset) == "attr":  # (its attribute is the step)
                        action = (*action, "attr")
                table[ins.offset] = (ins.opname, ins.argrepr, action)
        self.tables[code] = table
        return table

    def touches(self, code: types.CodeType) -> bool:
        table = self.table(code)
        return table is not None and any(v[2] is not None for v in table.values())

    # -- the trace functions ----------------------------------------------------------------

    def on_call(self, frame: Any, event: str, arg: Any) -> Any:
        """The global trace function: a frame of code that needs it gets `on_event`."""
        rt = _local.runtime
        if rt is None:
            return None
        if rt.flags[FREE]:  # running free: nothing traced, not even calls (see attach_all)
            self.off(frame)
            return None
        code = frame.f_code
        if not rt.flags[GRAIN] and not self.needed:
            self.off(frame)
            return None
        if rt.flags[GRAIN]:
            if self.table(code) is None:
                return None
        elif not self.touches(code):
            return None
        frame.f_trace_opcodes = True
        return self.on_event

    def on_event(self, frame: Any, event: str, arg: Any) -> Any:
        rt = _local.runtime
        if rt is None:
            return None
        if event != "opcode":  # (a line, a return: an instruction or a statement has ended)
            if rt.pending is not None:
                rt.pending()
            return self.on_event
        if rt.flags[FREE]:  # running free: untraced, until a pause (attach_all)
            if rt.pending is not None:
                if rt.pending.within(frame):
                    return self.on_event  # (its statement first: then what it did is known)
                rt.pending()
            self.off(frame)
            return None
        if not rt.flags[GRAIN] and not self.needed:
            self.off(frame)
            return None
        self.guarded(rt, frame, frame.f_lasti)
        return self.on_event

    def guarded(self, rt: Runtime, frame: Any, offset: int) -> None:
        """`at`, kept from failing silently: a trace function that raises is dropped by
        CPython without a word, and the globals' steps would be missing from then on."""
        try:
            self.at(rt, frame, offset)
        except errors.Stopped:
            raise  # (the session is closing: the worker ends)
        except Exception as exc:  # noqa: BLE001 (a fault of ipc-tui's: said, and watched on)
            rt.pending = None
            if not self.faulted:
                self.faulted = True
                self.notice(f"ipc-tui could not watch a global at line {frame.f_lineno}: {exc!r}")

    def at(self, rt: Runtime, frame: Any, offset: int) -> None:
        """The instruction at `offset` of `frame` is about to run: end the step before, and
        begin a step if this is one."""
        pending = rt.pending
        if pending is not None and not pending.within(frame):
            pending()
        table = self.table(frame.f_code)
        found = table.get(offset) if table else None
        if found is None:
            return
        opname, arg_, action = found
        if rt.flags[GRAIN]:
            pending = rt.pending
            if pending is not None:  # a statement's step, begun by operations: cut short,
                pending.cut = True  # it has only read so far
                pending()
            self._instruction(rt, frame, opname, arg_, action)
        elif action is not None and rt.pending is None:
            self._access(rt, frame, action)

    def _cell(self, rt: Runtime, frame: Any, var: str, storing: bool) -> GlobalCell | None:
        """The cell of global `var` in this process; None when it is not data (a function,
        a lock), or when this store is its first binding (made, not a step: see _access)."""
        cell = self.cells.get(var)
        if cell is not None or var in self.refused:
            return cell
        g = frame.f_globals
        if var not in g:
            return None
        value = g[var]
        if not self._data(var, value):
            self.refused.add(var)
            return None
        with self._lock:
            cell = self.cells.get(var)
            if cell is None:
                cell = GlobalCell(var, g, frame.f_lineno)
                cell.name = self.made(cell)
                self.cells[var] = cell
        return cell

    def _data(self, var: str, value: Any) -> bool:
        if isinstance(value, _NOT_DATA) or hasattr(value, "_real") or isinstance(value, _WORKERS):
            return False  # (a watched primitive, a thread, a process)
        if var in self.rebound or isinstance(value, _CONTAINERS):
            return True
        kind = type(value)
        return kind.__module__ in ("__main__", "__mp_main__") and hasattr(value, "__dict__")

    def _access(self, rt: Runtime, frame: Any, action: tuple) -> None:
        kind, var, writes = action[:3]
        if kind in ("read", "write"):  # an attribute of an object: `totals.count`
            cell = self._cell(rt, frame, var, False)
            if cell is None or not _object(cell.value()):
                return
            index = "." + action[3]
            line = rt.enter(kind, cell, index)
            t0 = monotonic()
            before = cell.shown(kind, index) if kind == "write" else None
            rt.pending = _Pending(rt, cell, kind, index, before, line, t0, frame, False)
            self.hold(rt.pending)
            return
        cell = self._cell(rt, frame, var, kind == "store")
        if cell is None:
            if kind == "store" and var not in self.refused and var not in self.cells:
                rt.pending = _Bind(self, rt, frame, var)  # its first binding: made once stored
            return
        value = cell.value()
        if kind == "load" and len(action) > 3 and _object(value):
            return  # (its attribute's read or write is the step)
        whole = kind == "load" and not isinstance(value, _SCALARS)
        op = "write" if kind == "store" or (whole and writes) else "read"
        line = rt.enter(op, cell)
        t0 = monotonic()
        before = cell.peek() if op == "write" else None
        rt.pending = _Pending(rt, cell, op, None, before, line, t0, frame, whole)
        self.hold(rt.pending)

    def _instruction(self, rt: Runtime, frame: Any, opname: str, arg: str, action: Any) -> None:
        cell, index = None, None
        if action is not None:
            cell = self._cell(rt, frame, action[1], action[0] == "store")
            if action[0] in ("read", "write"):
                index = "." + action[3]
                if cell is not None and not _object(cell.value()):
                    cell = index = None
        op = opname if cell is not None or not arg else f"{opname} {arg}"
        line = rt.enter(op, cell, index)
        t0 = monotonic()
        before = cell.shown(op, index) if cell is not None else None
        rt.pending = _Pending(rt, cell, op, index, before, line, t0, frame, False)
        if cell is None and self.cells:  # (a CALL may append to a list: seen at its end)
            rt.pending.others = {c: c.peek() for c in list(self.cells.values())}
        self.hold(rt.pending)

    def hold(self, pending: _Pending) -> None:
        """A step going on: traced until it ends (its instruction's, or its statement's),
        even once running free (a trace function stays until then)."""

    # -- switching it on --------------------------------------------------------------------

    def adopt(self, parent: Tracer) -> None:
        """A child made by fork (its threads' trace functions are its own: nothing to take)."""

    def after_gate(self, rt: Runtime) -> None:
        """A worker's step begins (Runtime.enter): the grain may have changed, or the globals
        bound since may all have turned out not to be data (then nothing is traced)."""
        grain = rt.flags[GRAIN]
        traced = threading.get_ident() in self.threads
        if not grain and traced:
            self.list_bound()
        if grain == rt.grain and traced == bool(grain or self.needed):
            return
        rt.grain = grain
        if grain or self.needed:
            self.on(rt)
        else:
            self.off(sys._getframe(1))

    def on(self, rt: Runtime) -> None:
        """This worker's thread: trace from now on (its new calls and its frames now)."""
        self.list_bound()
        if not rt.flags[GRAIN] and not self.needed:
            return
        ident = threading.get_ident()
        if ident not in self.threads:
            self.threads.add(ident)
            sys.settrace(self.on_call)
        self.attach(sys._getframe(1), rt)

    def off(self, frame: Any) -> None:
        """This thread: nothing to trace (by operations, no global is data): its frames from
        `frame` up, and its calls from now on."""
        while frame is not None:
            if frame.f_trace == self.on_event:
                frame.f_trace_opcodes = False
                frame.f_trace = None
            frame = frame.f_back
        sys.settrace(None)
        self.threads.discard(threading.get_ident())

    def globals_of(self, rt: Runtime | None) -> dict | None:
        """The program's globals as a worker's code sees them: its target's (under spawn a
        child's functions keep the namespace runpy ran the file in, not the `__main__`
        module's copy of it), else the `__main__` module's."""
        worker = getattr(rt, "worker", None)
        for func in (getattr(worker, "_target", None), getattr(type(worker), "run", None)):
            code = getattr(func, "__code__", None)
            if code is not None and code.co_filename == self.path:
                return func.__globals__
        main = sys.modules.get("__main__")
        g = getattr(main, "__dict__", None)
        if not isinstance(g, dict) or not isinstance(g.get("__file__"), str):
            return None
        if os.path.realpath(g["__file__"]) != os.path.realpath(self.path):
            return None
        return g

    def list_bound(self, rt: Runtime | None = None) -> None:
        """The shared globals bound already in this process (a child's copies): cells now,
        so that what a worker changes running free (untraced) shows too."""
        if not self.undecided:
            return
        g = self.globals_of(rt if rt is not None else _local.runtime)
        if g is None:
            return
        for var in sorted(self.undecided):
            if var in g and var not in self.cells and var not in self.refused:
                if not self._data(var, g[var]):
                    self.refused.add(var)
                    continue
                with self._lock:
                    if var not in self.cells:
                        cell = GlobalCell(var, g, 0)
                        cell.name = self.made(cell)
                        self.cells[var] = cell
        self.undecided = self.names - self.refused - set(self.cells)

    def attach(self, frame: Any, rt: Runtime) -> None:
        grain = rt.flags[GRAIN]
        while frame is not None:
            code = frame.f_code
            if (self.table(code) is not None) if grain else self.touches(code):
                frame.f_trace_opcodes = True
                frame.f_trace = self.on_event
            frame = frame.f_back

    def attach_all(self, runtimes: dict[int, Runtime]) -> None:
        """The flags changed (a pause, the instruction grain): trace again, from the agent's
        thread, the frames of the worker threads traced before. (A thread's trace function
        can be set only by the thread itself before 3.12: a worker that ran free untraced is
        traced again at its next step, Runtime.enter.) Running free: nothing to do."""
        if any(rt.flags[FREE] for rt in runtimes.values()):
            return
        frames = sys._current_frames()
        for ident in list(self.threads):
            frame, rt = frames.get(ident), runtimes.get(ident)
            if frame is not None and rt is not None:
                self.attach(frame, rt)


class MonitoredTracer(Tracer):
    """Python 3.12 and later: `sys.monitoring` instead of a trace function (settrace's
    opcode events crashed CPython 3.12.1 and were lost on 3.13 when turned on from a call
    event). A program's code, seen once at its first call (PY_START, then disabled for it:
    other code costs nothing after its first call), gets INSTRUCTION events while stepping
    if it touches a shared global (every instruction of it by instructions), and none while
    running free. The events are the interpreter's, for every thread: switching them from
    the agent's thread reaches a worker at its next instruction, also one that ran free."""

    def __init__(self, *args: Any, flags: Any = None):
        super().__init__(*args)
        self.flags = flags if flags is not None else [0] * (GRAIN + 1)
        self.codes: set[types.CodeType] = set()  # the program's, seen running
        self.lit: set[types.CodeType] = set()  # those with INSTRUCTION events on
        self.held: dict[types.CodeType, int] = {}  # code -> statements' steps still going on
        self.tool: int | None = None

    def _start(self) -> None:
        if self.tool is not None:
            return
        m = sys.monitoring
        # (a child made by fork has its parent's tool, calling the parent's copy: take it)
        tool = next((t for t in range(6) if m.get_tool(t) == "ipc-tui"), None)
        if tool is None:
            tool = next((t for t in (4, 3, 5, 2) if m.get_tool(t) is None), None)
            if tool is None:  # (every id taken by debuggers and profilers: nothing watched)
                return
            m.use_tool_id(tool, "ipc-tui")
            atexit.register(self._stop)  # (the program's end: nothing more to watch)
        m.register_callback(tool, m.events.PY_START, self._py_start)
        m.register_callback(tool, m.events.INSTRUCTION, self._instruction_event)
        m.set_events(tool, m.events.PY_START)
        self.tool = tool

    def _stop(self) -> None:
        tool, self.tool = self.tool, None
        if tool is not None:
            sys.monitoring.set_events(tool, 0)
            for code in self.lit:
                sys.monitoring.set_local_events(tool, code, 0)
            sys.monitoring.free_tool_id(tool)

    def _py_start(self, code: types.CodeType, offset: int) -> Any:
        if self.tool is None:
            return None
        if self.table(code) is not None:
            with self._lock:
                self.codes.add(code)
            self._light(code)
        return sys.monitoring.DISABLE  # (once is enough: relight() does the rest)

    def hold(self, pending: _Pending) -> None:
        code = pending.frame.f_code
        with self._lock:
            self.held[code] = self.held.get(code, 0) + 1
        pending.on_end = self._let_go

    def _let_go(self, pending: _Pending) -> None:
        code = pending.frame.f_code
        with self._lock:
            left = self.held[code] = self.held.get(code, 1) - 1
            if left <= 0:
                self.held.pop(code, None)
                self._light(code)

    def _wants(self, code: types.CodeType) -> bool:
        flags = self.flags
        if flags[FREE]:
            return code in self.held
        if flags[GRAIN]:
            return True
        table = self.tables.get(code)
        return bool(table) and any(
            v[2] is not None and v[2][1] not in self.refused for v in table.values()
        )

    def _light(self, code: types.CodeType) -> None:
        if self.tool is None:
            return
        want = self._wants(code)
        if want != (code in self.lit):
            m = sys.monitoring
            m.set_local_events(self.tool, code, m.events.INSTRUCTION if want else 0)
            if want:
                self.lit.add(code)
            else:
                self.lit.discard(code)

    def relight(self) -> None:
        if self.tool is None:
            return
        with self._lock:
            for code in list(self.codes):
                self._light(code)

    def _instruction_event(self, code: types.CodeType, offset: int) -> Any:
        rt = _local.runtime
        if rt is None or self.tool is None:
            return None
        frame = sys._getframe(1)
        if self.flags[FREE]:
            if rt.pending is not None and not rt.pending.within(frame):
                rt.pending()
            return None
        self.guarded(rt, frame, offset)
        return None

    def on(self, rt: Runtime) -> None:
        self.list_bound()
        self._start()
        self.relight()

    def adopt(self, parent: Tracer) -> None:
        """A child made by fork: the code its parent's tracer switched events on for."""
        if isinstance(parent, MonitoredTracer):
            self.codes |= parent.codes
            self.lit |= parent.lit

    def after_gate(self, rt: Runtime) -> None:
        grain = rt.flags[GRAIN]
        if not grain:
            self.list_bound()
        if grain != rt.grain:
            rt.grain = grain
            self.on(rt)

    def attach_all(self, runtimes: dict[int, Runtime]) -> None:
        self.list_bound()
        self.relight()


def make_tracer(path: str, folder: str, libraries: tuple, made: Any, flags: Any) -> Tracer:
    if sys.version_info >= (3, 12):
        return MonitoredTracer(path, folder, libraries, made, flags=flags)
    return Tracer(path, folder, libraries, made)


class _Bind:
    """A shared global's first binding (`counter = 0` at the top): not a step; its cell is
    made once the store has run."""

    __slots__ = ("tracer", "rt", "frame", "var")

    def __init__(self, tracer: Tracer, rt: Runtime, frame: Any, var: str):
        self.tracer, self.rt, self.frame, self.var = tracer, rt, frame, var

    def within(self, frame: Any) -> bool:
        return False

    def __call__(self) -> None:
        self.rt.pending = None
        self.tracer._cell(self.rt, self.frame, self.var, False)


def _object(value: Any) -> bool:
    """An object of the program's own class (not a list, a dict, a number)."""
    kind = type(value)
    return kind.__module__ in ("__main__", "__mp_main__") and hasattr(value, "__dict__")


def _attribute_uses(found: list, lines: tuple, names: frozenset) -> dict:
    """offset -> ("read" | "write", var, attr) for a shared global's attribute, read or written
    on its own line: `x = g.a` (a load, then the attribute's), `g.a = v` (a load, then the
    store), `g.a += v` (a load, a copy, the attribute's load, ..., its store). The load of `g`
    gets a fourth item: its attribute is the step (a method call is not: its statement is)."""
    out: dict = {}
    for k, ins in enumerate(found[:-1]):
        if ins.opname not in _LOADS or ins.argval not in names:
            continue
        j, copied = k + 1, False
        if found[j].opname in ("COPY", "DUP_TOP") and j + 1 < len(found):
            j, copied = j + 1, True
        nxt = found[j]
        if lines[j][1] != lines[k][1]:
            continue
        if nxt.opname == "LOAD_ATTR" and "NULL" not in nxt.argrepr:
            out[nxt.offset] = ("read", ins.argval, None, nxt.argval)
            if copied:  # `g.a += v`: its store, later on the line
                for m in range(j + 1, len(found)):
                    if lines[m][1] != lines[k][1]:
                        break
                    if found[m].opname == "STORE_ATTR" and found[m].argval == nxt.argval:
                        out[found[m].offset] = ("write", ins.argval, None, nxt.argval)
                        break
        elif nxt.opname == "STORE_ATTR" and not copied:
            out[nxt.offset] = ("write", ins.argval, None, nxt.argval)
        else:
            continue
        out[ins.offset] = "attr"  # (marks the load: made an action below)
    return out


# Methods of lists, dicts, sets and strings that change nothing (any other method called on
# an object may change it: `totals.add(5)`)
READERS = frozenset(
    "count index copy get keys values items startswith endswith join split format "
    "issubset issuperset isdisjoint union intersection difference __len__ __contains__".split()
)


def _changes_after(found: list, k: int, lines: tuple, any_method: bool = False) -> bool:
    """Whether the statement of instruction k changes what it loaded: a store into it, or a
    mutating method called on it, later on the same line (`any_method`: or any method not
    known to only read)."""
    line = lines[k][1]
    for j in range(k + 1, len(found)):
        if lines[j][1] != line:
            break
        ins = found[j]
        if ins.opname in _CHANGES:
            return True
        if ins.opname in ("LOAD_METHOD", "LOAD_ATTR") and ins.argval in MUTATORS:
            return True
        method = ins.opname == "LOAD_METHOD" or (
            ins.opname == "LOAD_ATTR" and "NULL" in ins.argrepr
        )
        if any_method and method and ins.argval not in READERS and j == k + 1:
            return True  # (a method called on it, right after its load)
        if ins.opname in ("BINARY_OP", "INPLACE_ADD") and "=" in ins.argrepr:
            return True
    return False
