"""The explorer: run a program again and again under chosen schedules, and collect every
distinct outcome it reaches, each with the shortest schedule that replays it.

A run is a real run of the program (engine/program: its real threads, processes, primitives and
shared memory), stepped one step at a time: at each *decision point* every worker at its gate
could go next, and the strategy chooses. The outcome of a run is what a student would call its
result: the final values of the cells, which workers failed and how (a failed `assert` is the
main thread's failure), a deadlock and its cycle, or no progress at all. The schedule a run
took, written as `--schedule` spells it (`MainThreadx2,w0,w1x3,...`), replays it exactly:
every step of every worker is in it, so nothing is left to chance.

Strategies:

- **exhaustive**: depth-first search over every choice, bounded by *preemptions* (a switch
  away from a worker that could have gone on; CHESS's iterative context bounding: all runs
  with 0 preemptions, then 1, ...), with *sleep sets* (Godefroid's partial-order reduction):
  two steps of different workers on different resources give the same result in either
  order, so once the subtree of one choice is done, a sibling does not try it again first.
  Sleep sets and a preemption bound together can lose a run (the one equivalent run the
  sleep set relies on may need more preemptions than the bound allows): a choice is put in its
  siblings' sleep sets only once its own subtree was searched without the bound cutting
  anything. A search that ends without a cut is complete: every interleaving was run.
- **random**: a random walk, each decision uniform among the workers at their gates.
- **pct**: probabilistic concurrency testing (Burckhardt et al. 2010) with depth `d`: random
  priorities, the highest-priority worker always goes, and at d-1 random steps the running
  worker's priority drops below all others. A bug that needs d ordering constraints is found
  with probability at least 1/(n k^(d-1)) per run (n workers, k steps).

A run's every decision waits until the board has settled (no step in flight, the reports agree
with the real primitives): the same as `--schedule` does, which is why a schedule replays.

Each run is a fresh process forked from a warm launcher (program/zygote.py), not a fresh
interpreter.
"""

from __future__ import annotations

import queue
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from time import monotonic
from typing import Any

from ipc_tui.engine.errors import ScenarioError
from ipc_tui.engine.loader import ScenarioInfo
from ipc_tui.engine.snapshot import cell_value

STRATEGIES = ("exhaustive", "random", "pct")
DEFAULT_BUDGET = 1000  # runs
DEFAULT_SECONDS = 60.0
RUN_SECONDS = 10.0  # one run that takes longer has made no progress
# Runs at once, for a random walk or PCT (2 cores, race-condition, 2026-12-02: 34 -> 59 runs
# a second with threads, 28 -> 46 with processes). The exhaustive search makes one at a time:
# a run made beside its sibling cannot skip what the sibling's subtree will have covered (sleep
# sets), and cost more runs than it saved time (critical-section: 70 runs alone, 120 three at
# a time).
PARALLEL = 4
UNBOUNDED = 1 << 30  # (a bound no run reaches)
READS = ("read", "get_value", "poll")

_STOP, _CUT = "sleep", "cut"  # why a run was ended before the program did


class ExploreError(ScenarioError):
    """A bad --check, or a program the explorer cannot run: said in one line."""


@dataclass(frozen=True)
class Outcome:
    """One distinct result of a run of the program."""

    cells: tuple[tuple[str, Any], ...]  # (name, final value), in the order the program made them
    failures: tuple[tuple[str, str], ...]  # (worker, the last line of its failure)
    verdict: str  # "finished", "deadlock", "stuck", "no progress"
    cycle: tuple[str, ...] = ()  # a deadlock's: w0, a, w1, b, w0
    check: bool | None = None  # --check on the final cells (None: not given)

    @property
    def failed(self) -> bool:
        return bool(self.failures) or self.verdict != "finished" or self.check is False

    def words(self) -> str:
        """The outcome in one line: `counter = 5; MainThread failed: AssertionError: ...`."""
        parts = [", ".join(f"{name} = {_shown(value)}" for name, value in self.cells)]
        if self.verdict == "deadlock":
            parts.append("deadlock: " + " → ".join(self.cycle))
        elif self.verdict != "finished":
            parts.append(self.verdict)
        parts += [f"{worker} failed: {line}" for worker, line in self.failures]
        if self.check is False:
            parts.append("--check does not hold")
        return "; ".join(p for p in parts if p) or "finished"


@dataclass
class Found:
    """An outcome, how many runs reached it, and the shortest schedule that does (fewest
    preemptions, then fewest steps)."""

    outcome: Outcome
    runs: int
    schedule: str
    preemptions: int
    steps: int
    first: int  # the number of the run that found it first (1, 2, ...)


@dataclass
class Report:
    """What an exploration found so far (the explorer updates it after every run)."""

    strategy: str
    found: list[Found] = field(default_factory=list)
    runs: int = 0  # runs to the program's end (or a deadlock), each a distinct schedule
    interleavings: int = 0  # complete: the runs of the search that left nothing out
    started: int = 0  # runs started (with the ones ended early and the repeats)
    pruned: int = 0  # choices not tried: partial-order reduction showed them the same
    stopped: int = 0  # runs ended early: every next step would repeat a run (sleep sets)
    diverged: int = 0  # runs where the program did not follow its schedule
    seconds: float = 0.0
    complete: bool = False  # exhaustive: every interleaving (within `bound`) was run
    bound: int | None = None  # exhaustive: the preemptions searched in full (None: none yet)
    searching: int | None = None  # exhaustive: the bound being searched (None: no bound)
    over: str = ""  # why it ended: "done", "budget", "seconds", "stopped", "failure"
    first_failure: Found | None = None
    # Cycles in the order the runs took their locks, and what the run aimed at each found
    cycles: list[tuple[tuple[tuple[str, str, str], ...], str]] = field(default_factory=list)

    @property
    def failures(self) -> list[Found]:
        return [f for f in self.found if f.outcome.failed]

    def per_second(self) -> float:
        return self.started / self.seconds if self.seconds > 0 else 0.0

    def statement(self) -> str:
        """What a student may conclude, in one line."""
        bad = self.failures
        said = f"{len(bad)} of {len(self.found)} outcomes fail" if bad else "no failure"
        if not self.found:
            said = "no run reached the program's end"
        if self.strategy != "exhaustive":
            name = "random walk" if self.strategy == "random" else self.strategy.upper()
            return (
                f"{name}: {self.started} runs, {self.runs} distinct, {said} (a sample, not a "
                "proof: an outcome not seen may still happen; exhaustive search says what "
                "cannot)"
            )
        runs = f"{self.runs} distinct run{'s' if self.runs != 1 else ''}"
        if self.complete and self.bound is None:
            m = self.interleavings
            return f"complete: all {m} interleaving{'s' if m != 1 else ''}: {said}"
        if self.bound is None:
            return f"not complete ({runs}, {self.why()}): {said}"
        inside = [f for f in bad if f.preemptions <= self.bound]
        beyond = len(bad) - len(inside)
        said = f"{len(inside)} of {len(self.found)} outcomes fail" if inside else "no failure"
        if beyond:
            said += f"; beyond that, {beyond} failing outcome{'s' if beyond != 1 else ''} found"
        if self.complete:
            return f"all interleavings with at most {self.bound} preemptions: {said} ({runs})"
        more = "every interleaving" if self.searching is None else f"{self.searching} preemptions"
        return (
            f"all interleavings with at most {self.bound} preemptions: {said} ({runs}; "
            f"{self.why()}, searching {more})"
        )

    def why(self) -> str:
        """Why the search ended before it was complete, in words."""
        return {
            "budget": "when the budget of runs ran out",
            "seconds": "when the time ran out",
            "stopped": "when it was stopped",
            "failure": "at the first failure",
        }.get(self.over, "unfinished")


def parse_check(text: str | None) -> Any:
    if not text:
        return None
    try:
        return compile(text, "--check", "eval")
    except SyntaxError as exc:
        raise ExploreError(f"--check {text!r} is not a Python expression: {exc.msg}") from None


_SAFE = {
    name: __builtins__[name] if isinstance(__builtins__, dict) else getattr(__builtins__, name)
    for name in ("abs", "all", "any", "len", "list", "max", "min", "range", "set", "sorted",
                 "sum", "tuple", "True", "False", "None")
}  # fmt: skip


def _independent(a: str, sa: tuple, b: str, sb: tuple, family: Callable[[Any], Any]) -> bool:
    """Whether worker a's next step `sa` and worker b's `sb` (op, resource, index) give the same
    result in either order, and neither changes whether the other can go."""
    if a == b:
        return False
    op1, r1, i1 = sa
    op2, r2, i2 = sb
    if r1 == b or r2 == a:  # a start or a join of the other worker
        return False
    if r1 is None or r2 is None:
        return True
    if family(r1) != family(r2):
        return True
    if op1 in READS and op2 in READS:
        return True
    # two cells of one array, two attributes of one object
    return type(i1) is type(i2) and isinstance(i1, (int, str)) and i1 != i2


class _Node:
    """A decision point of the exhaustive search: who could go, and what is left to try."""

    __slots__ = (
        "prefix",
        "enabled",
        "order",
        "sleep",
        "last",
        "pre",
        "parent",
        "via",
        "tried",
        "clean",
        "cut",
        "todo",
        "open",
        "finished",
    )

    def __init__(self, prefix, enabled, order, sleep, last, pre, parent, via):
        self.prefix: list[str] = prefix
        self.enabled: dict[str, tuple] = enabled
        self.order: list[str] = order
        self.sleep: dict[str, tuple] = sleep
        self.last: str | None = last
        self.pre: int = pre
        self.parent: _Node | None = parent
        self.via: str | None = via
        self.tried: list[str] = []
        self.clean: dict[str, bool] = {}  # child -> its subtree was searched without a cut
        self.cut = False
        self.todo: list[str] = []
        self.open = 0  # child nodes not finished and runs still going, below this one
        self.finished = False

    def cost(self, worker: str) -> int:
        """Preemptions after choosing `worker` here."""
        preempts = self.last is not None and self.last in self.enabled and worker != self.last
        return self.pre + (1 if preempts else 0)


@dataclass
class _Run:
    """What one run did."""

    path: list[str]
    nodes: list[tuple]  # (depth, enabled, order, sleep, last, pre, chosen)
    end: str  # "done", _STOP (sleep-blocked), _CUT (the bound), "diverged"
    outcome: Outcome | None
    preemptions: int


class _Runners:
    """Threads that drive runs side by side: a run mostly waits (for a step's round trip,
    for its processes to start), so on 2 cores two or three at once get through more runs
    a second. Each run is a session of its own: what one does cannot touch another."""

    def __init__(self, n: int):
        self.jobs: queue.Queue = queue.Queue()
        self.done: queue.Queue = queue.Queue()
        self.threads = [
            threading.Thread(target=self._work, name=f"ipc-tui-explore-{k}", daemon=True)
            for k in range(n)
        ]
        for t in self.threads:
            t.start()

    def submit(self, job: Callable[[], Any], tag: Any) -> None:
        self.jobs.put((job, tag))

    def _work(self) -> None:
        while True:
            item = self.jobs.get()
            if item is None:
                return
            job, tag = item
            try:
                result = job()
            except BaseException as exc:  # noqa: BLE001 (handed to the explorer's thread)
                result = exc
            self.done.put((tag, result))

    def close(self) -> None:
        for _ in self.threads:
            self.jobs.put(None)
        for t in self.threads:
            t.join(15)


class Explorer:
    """Explore a program's interleavings; `explore()` returns the report (also in `report`
    while it runs, for a front-end to show)."""

    def __init__(
        self,
        info: ScenarioInfo,
        mode: str | None = None,
        variant: str | None = None,
        start_method: str | None = None,
        argv: tuple[str, ...] = (),
        strategy: str = "exhaustive",
        budget: int | None = None,
        seconds: float | None = None,
        check: str | None = None,
        preemptions: int | None = None,
        depth: int = 3,
        seed: int = 0,
        stop_at_failure: bool = False,
        parallel: int | None = None,
    ):
        if not info.program:
            raise ExploreError(f"{info.name} is written for ipc-tui: --explore runs programs")
        if not info.watched and variant not in info.watched_variants:
            raise ExploreError(f"{info.name} measures, unwatched: it has no steps to explore")
        if strategy not in STRATEGIES:
            raise ExploreError(f"no strategy {strategy!r}; use {', '.join(STRATEGIES)}")
        if budget is not None and budget < 1:
            raise ExploreError(f"--budget must be at least 1 run, got {budget}")
        if preemptions is not None and preemptions < 0:
            raise ExploreError(f"--preemptions must be 0 or more, got {preemptions}")
        if depth < 1:
            raise ExploreError(f"--depth must be at least 1, got {depth}")
        self.info = info
        self.options = {
            "mode": mode,
            "variant": variant,
            "start_method": start_method,
            "argv": tuple(argv),
        }
        self.strategy = strategy
        self.budget = budget or DEFAULT_BUDGET
        self.seconds = seconds or DEFAULT_SECONDS
        self.check_text = check
        self.check = parse_check(check)
        self.bound = preemptions
        self.depth = depth
        self.seed = seed
        self.stop_at_failure = stop_at_failure
        if parallel is None:
            parallel = 1 if strategy == "exhaustive" else PARALLEL
        self.parallel = max(1, parallel)
        self.report = Report(strategy)
        self._stop = threading.Event()
        self._families: dict[str, Any] = {}
        self._kinds: dict[str, str] = {}  # resource -> "lock", "semaphore", ...
        # (worker, a lock it held, the lock it then acquired), from every run so far
        self._edges: set[tuple[str, str, str]] = set()
        self._hunted: set[frozenset] = set()  # the lock cycles a run has been directed at
        self._seen: set[tuple[str, ...]] = set()
        self._longest = 0
        self.mode = mode
        # The process groups it made (its launcher's, each run's): all gone once it returns
        self.groups: list[int] = []

    # -- the outside -------------------------------------------------------------------------

    def stop(self) -> None:
        """End the exploration soon (from another thread): each run going on ends within a
        tenth of a second, and `explore()` returns once they have."""
        self._stop.set()

    def explore(self, progress: Callable[[Report], None] | None = None) -> Report:
        from ipc_tui.engine.program.session import ProgramSession
        from ipc_tui.engine.program.zygote import Zygote

        # Bad options fail here, before any process starts.
        probe = ProgramSession(self.info, self.options["start_method"], **self._session_options())
        self.mode = probe.mode
        self._progress = progress
        self._t0 = monotonic()
        self._zygote = Zygote((probe.info.path,))
        self.groups.append(self._zygote.proc.pid)
        self._runners = _Runners(self.parallel)
        self._inflight = 0
        try:
            if self.strategy == "exhaustive":
                self._exhaustive()
            else:
                self._sample()
        finally:
            self._stop.set()  # (an error: the runs still going end)
            while self._inflight:
                self._inflight -= 1
                self._runners.done.get()
            self._runners.close()
            self._zygote.close()
            self.report.seconds = monotonic() - self._t0
        return self.report

    def _submit(self, choose: Any, tag: Any) -> None:
        """Start a run on a runner thread; `_next()` hands back (tag, run)."""
        self.report.started += 1
        self._inflight += 1
        self._runners.submit(lambda: self._drive(choose), tag)

    def _next(self) -> tuple[Any, _Run]:
        tag, run = self._runners.done.get()
        self._inflight -= 1
        if isinstance(run, BaseException):
            raise run
        if run.end == "diverged":
            self.report.diverged += 1
        return tag, run

    def _session_options(self) -> dict:
        o = self.options
        return {"mode": o["mode"], "variant": o["variant"], "argv": o["argv"]}

    def _over(self) -> str:
        """Why the exploration must end now ("" while it may go on)."""
        if self._stop.is_set():
            return "stopped"
        if self.stop_at_failure and self.report.first_failure is not None:
            return "failure"
        if self.report.started >= self.budget:
            return "budget"
        if monotonic() - self._t0 >= self.seconds:
            return "seconds"
        return ""

    # -- one run -----------------------------------------------------------------------------

    def _drive(self, choose: Callable[..., Any]) -> _Run:
        """Run the program once; `choose(enabled, order, path, forced)` picks the next worker
        (or returns _STOP, _CUT, or "diverged" to end the run here). `enabled`: the workers at
        their gates whose step would not wait, with their steps; `forced`: when there are none,
        the first of those whose step would wait (its turn is no choice)."""
        from ipc_tui.engine.program.session import ProgramSession

        session = ProgramSession(
            self.info, self.options["start_method"], zygote=self._zygote, keep_events=0,
            **self._session_options(),
        )  # fmt: skip
        path: list[str] = []
        preemptions = 0
        end, outcome = "done", None
        deadline = monotonic() + RUN_SECONDS
        try:
            session.start()
            self.groups.append(session._pgid)
            while True:
                if self._stop.is_set():
                    end = "stopped"
                    break
                # (a tenth of a second at a time: stop() reaches a run that waits on a sleep)
                while not session.wait_settled(min(0.1, max(0.0, deadline - monotonic()))):
                    if self._stop.is_set() or monotonic() >= deadline:
                        break
                if self._stop.is_set():
                    end = "stopped"
                    break
                if monotonic() >= deadline and not session.wait_settled(0):
                    outcome = self._outcome(session, "no progress")
                    break
                with session._cond:
                    board = session.board
                    order = [w.name for w in board.workers]
                    at_gate = [w for w in board.workers if w.at_gate and w.live and w.next]
                    enabled = {w.name: w.next for w in at_gate if not would_block(board, w)}
                    # Nobody can go without waiting: let them wait for real, one by one (the
                    # board then says whether it is a deadlock)
                    forced = at_gate[0].name if at_gate and not enabled else None
                    if not at_gate:
                        stuck = self._stuck(session, board, deadline)
                    else:
                        steps = {w.name: w.next for w in at_gate}
                        self._learn(session, steps)
                        held = {
                            w: [x for x in names if self._kinds.get(x) == "lock"]
                            for w, names in board.holds().items()
                        }
                if not at_gate:
                    if stuck is None:  # (a timed wait, or the program on its way out)
                        continue
                    outcome = self._outcome(session, stuck)
                    break
                chosen = choose(enabled, order, path, forced, held)
                if chosen in (_STOP, _CUT, "diverged"):
                    end = chosen
                    break
                op, res, _index = steps[chosen]
                if op == "acquire" and self._kinds.get(res) == "lock":  # the order locks go in
                    self._edges.update((chosen, first, res) for first in held.get(chosen, ()))
                if session.step(chosen) is None:  # (it was at its gate: cannot happen)
                    end = "diverged"
                    break
                if path and path[-1] in enabled and chosen != path[-1]:
                    preemptions += 1
                path.append(chosen)
        finally:
            session.close()
        return _Run(path, getattr(choose, "nodes", []), end, outcome, preemptions)

    def _stuck(self, session: Any, board: Any, deadline: float) -> str | None:
        """Nobody at a gate and nothing in flight: the program's end, a deadlock, or a wait
        with a timeout (None: wait a moment and look again). Under the session's lock."""
        from ipc_tui.engine.verdict import judge

        if session._ended.is_set() and not session._conns:
            return "finished"
        if board.workers and not any(w.live or w.state == "new" for w in board.workers):
            return "finished"  # (every worker has ended: what is left is the launcher's exit)
        verdict = judge(board)
        if verdict.certain:
            return verdict.kind
        if monotonic() > deadline:
            return "no progress"
        session._cond.wait(0.005)
        return None

    def _learn(self, session: Any, enabled: dict) -> None:
        """What each resource a step names is (a lock?) and belongs to (two ends of one pipe,
        a value and its lock, a condition and its lock are one for the search)."""
        for _op, res, _index in enabled.values():
            if res is not None and res not in self._families:
                family = res.split(".", 1)[0]
                for remote in session._remote.values():
                    if remote.name == res:
                        self._kinds[res] = remote.kind
                        if "pipe" in remote.details:
                            family = ("pipe", remote.details["pipe"])
                self._families[res] = family

    def _family(self, res: Any) -> Any:
        return self._families.get(res, res)

    def _outcome(self, session: Any, how: str) -> Outcome:
        snap = session.snapshot()
        cells = tuple((c.name, cell_value(c)) for c in snap.cells)
        failures = tuple(
            (w.name, _last_line(w.error or w.state))
            for w in snap.workers
            if w.state in ("failed", "killed")
        )
        verdict = how if how != "finished" else "finished"
        cycle = tuple(snap.verdict.cycle) if verdict in ("deadlock", "stuck") else ()
        check = None
        if self.check is not None:
            names = {name: value for name, value in cells if name.isidentifier()}
            try:
                check = bool(eval(self.check, {"__builtins__": _SAFE}, names))  # noqa: S307
            except Exception as exc:  # noqa: BLE001 (said in one line, as bad input)
                known = ", ".join(names) or "none"
                raise ExploreError(
                    f"--check {self.check_text!r}: {type(exc).__name__}: {exc} (cells: {known})"
                ) from None
        return Outcome(cells, failures, verdict, cycle, check)

    def _record(self, run: _Run) -> None:
        """Count a run that reached the program's end (or a deadlock)."""
        if run.outcome is None:
            return
        key = tuple(run.path)
        if key in self._seen:
            return
        self._seen.add(key)
        self._longest = max(self._longest, len(run.path))
        rep = self.report
        rep.runs += 1
        schedule = write_schedule(run.path)
        for f in rep.found:
            if f.outcome == run.outcome:
                f.runs += 1
                if (run.preemptions, len(run.path)) < (f.preemptions, f.steps):
                    f.schedule, f.preemptions, f.steps = schedule, run.preemptions, len(run.path)
                break
        else:
            f = Found(run.outcome, 1, schedule, run.preemptions, len(run.path), rep.started)
            rep.found.append(f)
            if f.outcome.failed and rep.first_failure is None:
                rep.first_failure = f

    def _hunt(self) -> None:
        """Aim a run at each new cycle in the order the runs so far took their locks."""
        for cycle in lock_cycles(self._edges):
            key = frozenset(cycle)
            if key in self._hunted or self._over():
                continue
            self._hunted.add(key)
            self.report.started += 1
            run = self._drive(_Directed(cycle))
            if run.end == "diverged":
                self.report.diverged += 1
            self._record(run)
            o = run.outcome
            self.report.cycles.append((cycle, o.words() if o is not None else "did not end"))
            self._tell()

    def _tell(self) -> None:
        self.report.seconds = monotonic() - self._t0
        if self._progress is not None:
            self._progress(self.report)

    # -- random walks and PCT --------------------------------------------------------------------

    def _sample(self) -> None:
        """Random walks or PCT, `parallel` at once; run i's choices come from its own
        generator (seed, i), and PCT's number of steps from the first run: the same seed
        gives the same runs, however they overlap."""
        steps = 0
        index = 0
        while True:
            over = self._over()
            while not over and self._inflight < (self.parallel if steps else 1):
                rng = random.Random(f"{self.seed}/{index}")
                index += 1
                if self.strategy == "random":
                    self._submit(_random_walk(rng), None)
                else:
                    self._submit(_pct(rng, self.depth, max(steps, 20)), None)
                over = self._over()
            if not self._inflight:
                break
            _tag, run = self._next()
            steps = steps or int(len(run.path) * 1.2) + 1
            self._record(run)
            self._tell()
            self._hunt()
        self.report.over = over

    # -- exhaustive ------------------------------------------------------------------------------

    def _exhaustive(self) -> None:
        """With --preemptions K: every run with no preemption, then with at most one, ...
        up to K (a statement within the bound). Without: every run with no preemption, then
        every interleaving: the bounded searches cannot skip a choice by sleep sets while the
        bound cuts its subtree, and make a run again at each bound, so for a program whose
        interleavings can all be run, searching them whole is three times cheaper
        (race-condition: 493 runs against 1748); the first search still gives a bound to
        promise when the whole one runs out of budget."""
        rep = self.report
        cache: dict[tuple, _Run] = {}
        bounds = range(self.bound + 1) if self.bound is not None else (0, None)
        for k in bounds:
            rep.searching = k
            cut = self._search(UNBOUNDED if k is None else k, cache)
            over = self._over()
            if over:
                rep.over = over
                return
            if not cut:  # nothing was left out: every interleaving was run
                rep.complete, rep.bound, rep.over = True, None, "done"
                rep.interleavings = len(self._here)
                return
            rep.bound = k
        rep.complete, rep.over = True, "done"

    def _search(self, k: int, cache: dict) -> bool:
        """One depth-first search with at most `k` preemptions, `parallel` runs at once;
        True when the bound cut something off (or the search was not finished).

        Each run replays a prefix and goes on by itself (`_Guided`); its decision points
        become nodes, whose untried choices are the runs still to make. The deepest node with
        one goes first. A node is finished when nothing below it is still running or to run;
        then its parent learns whether its subtree was cut by the bound (a choice joins its
        siblings' sleep sets only when it was not)."""
        rep = self.report
        cut = False
        stack: list[_Node] = []
        here = self._here = set()  # the runs of this search that reached an end

        def finish(node: _Node | None) -> None:
            while node is not None and not node.finished and not node.todo and not node.open:
                node.finished = True
                parent = node.parent
                if parent is not None:
                    parent.clean[node.via] = not node.cut and all(node.clean.values())
                    parent.open -= 1
                node = parent

        def integrate(run: _Run, prefix: list[str], parent: _Node | None, via: str | None):
            nonlocal cut
            self._record(run)
            if run.outcome is not None:
                here.add(tuple(run.path))
            if run.end == _CUT:
                cut = True
            made: list[_Node] = []
            for d, enabled, order, sl, last, p, chosen in run.nodes:
                if d < len(prefix):
                    continue
                node = _Node(run.path[:d], enabled, order, sl, last, p, parent, via)
                node.tried.append(chosen)
                for w in order:
                    if w not in enabled or w == chosen:
                        continue
                    if w in sl:
                        rep.pruned += 1
                    elif node.cost(w) > k:
                        node.cut = True
                        cut = True
                    else:
                        node.todo.append(w)
                if parent is not None:
                    parent.open += 1
                made.append(node)
                parent, via = node, chosen
            # the last choice's subtree: nothing after it, or cut by the bound there
            if parent is not None and via is not None:
                parent.clean[via] = run.end not in (_CUT, "diverged", "stopped")
            stack.extend(made)
            finish(parent)

        def branch(prefix: list[str], sleep: dict, pre: int, parent: _Node | None, via: Any):
            key = (tuple(prefix), frozenset(sleep.items()))
            run = cache.get(key)
            if run is not None and run.end != _CUT:  # (run at a lower bound: the same run)
                integrate(run, prefix, parent, via)
                return
            if parent is not None:
                parent.open += 1
            self._submit(_Guided(self, prefix, sleep, pre, k), (prefix, key, parent, via))

        def deepest() -> _Node | None:
            while stack and stack[-1].finished:
                stack.pop()
            for node in reversed(stack):
                if node.todo:
                    return node
            return None

        branch([], {}, 0, None, None)
        while True:
            while self._inflight < self.parallel and not self._over():
                node = deepest()
                if node is None:
                    break
                u = node.todo.pop(0)
                sleep = dict(node.sleep)
                for c in node.tried:
                    if node.clean.get(c):
                        sleep[c] = node.enabled[c]
                step = node.enabled[u]
                sleep = {
                    x: s
                    for x, s in sleep.items()
                    if x != u and _independent(x, s, u, step, self._family)
                }
                node.tried.append(u)
                branch([*node.prefix, u], sleep, node.cost(u), node, u)
            if not self._inflight:
                break
            (prefix, key, parent, via), run = self._next()
            if parent is not None:
                parent.open -= 1
            if run.end in ("done", _STOP, _CUT):
                cache[key] = run
            if run.end == _STOP:
                rep.stopped += 1
            integrate(run, prefix, parent, via)
            self._tell()
            self._hunt()
        return cut or deepest() is not None or bool(self._over())


class _Guided:
    """The exhaustive search's choices in one run: the prefix, then the worker that went last
    while it can (no preemption), else the first awake one, keeping the sleep set."""

    def __init__(self, explorer: Explorer, prefix: list[str], sleep: dict, pre: int, k: int):
        self.explorer = explorer
        self.prefix = prefix
        self.sleep = dict(sleep)
        self.pre = pre
        self.k = k
        self.nodes: list[tuple] = []

    def __call__(
        self, enabled: dict, order: list, path: list, forced: str | None, held: dict
    ) -> Any:
        i = len(path)
        if i < len(self.prefix):
            chosen = self.prefix[i]
            return chosen if chosen in enabled or chosen == forced else "diverged"
        if forced is not None:
            return forced
        last = path[-1] if path else None
        sleep = self.sleep
        awake = [w for w in order if w in enabled and w not in sleep]
        if not awake:
            return _STOP
        if last in enabled and last not in sleep:
            chosen = last
        else:
            chosen = awake[0]
            if last in enabled:  # (the last one is asleep: going on means a preemption)
                if self.pre + 1 > self.k:
                    return _CUT
        self.nodes.append((i, dict(enabled), list(order), dict(sleep), last, self.pre, chosen))
        if last in enabled and chosen != last:
            self.pre += 1
        step = enabled[chosen]
        family = self.explorer._family
        self.sleep = {
            x: s
            for x, s in sleep.items()
            if x != chosen and _independent(x, s, chosen, step, family)
        }
        return chosen


def lock_cycles(edges: set[tuple[str, str, str]]) -> list[tuple[tuple[str, str, str], ...]]:
    """Cycles in the order locks were taken, each edge by another worker: w0 took a then b,
    w1 took b then a. Each is a deadlock waiting for its interleaving (iGoodlock, Joshi et al.
    2009): (worker, the lock it holds, the lock it then wants), in the cycle's order."""
    by_first: dict[str, list[tuple[str, str, str]]] = {}
    for edge in sorted(edges):
        by_first.setdefault(edge[1], []).append(edge)
    found: dict[frozenset, tuple] = {}

    def walk(chain: list[tuple[str, str, str]]) -> None:
        if len(found) >= 20 or len(chain) > 8:
            return
        for edge in by_first.get(chain[-1][2], ()):
            if edge[0] in {e[0] for e in chain}:
                continue
            if edge[2] == chain[0][1]:
                cycle = (*chain, edge)
                found.setdefault(frozenset(cycle), cycle)
            elif edge[2] not in {e[1] for e in chain}:
                walk([*chain, edge])

    for edge in sorted(edges):
        walk([edge])
    return list(found.values())


class _Directed:
    """A run aimed at one lock cycle (DeadlockFuzzer, Joshi et al. 2009): each worker of the
    cycle goes until it holds its first lock and is about to take its second, and waits there
    while anybody else can go; then they all take their second, which waits for ever if the
    cycle closed. Otherwise the worker that went last goes on, else the first one that can."""

    def __init__(self, cycle: tuple[tuple[str, str, str], ...]):
        self.cycle = cycle

    def __call__(
        self, enabled: dict, order: list, path: list, forced: str | None, held: dict
    ) -> str:
        if forced is not None:
            return forced

        def paused(w: str) -> bool:
            op, res, _ = enabled[w]
            return op == "acquire" and any(
                w == who and res == second and first in held.get(w, ())
                for who, first, second in self.cycle
            )

        free = [w for w in order if w in enabled and not paused(w)]
        last = path[-1] if path else None
        if last in free:
            return last
        return free[0] if free else next(w for w in order if w in enabled)


def _random_walk(rng: random.Random) -> Callable:
    def choose(enabled: dict, order: list, path: list, forced: str | None, held: dict) -> str:
        return forced or rng.choice([w for w in order if w in enabled])

    return choose


def _pct(rng: random.Random, depth: int, steps: int) -> Callable:
    """PCT: random priorities; at d-1 random steps the running worker drops to the lowest."""
    change = {rng.randint(1, steps): j for j in range(1, depth)}  # step -> its new priority
    priority: dict[str, float] = {}

    def choose(enabled: dict, order: list, path: list, forced: str | None, held: dict) -> str:
        if forced is not None:
            return forced
        for w in order:
            if w not in priority:
                priority[w] = depth + rng.random()
        chosen = max((w for w in order if w in enabled), key=priority.__getitem__)
        j = change.get(len(path) + 1)
        if j is not None:
            priority[chosen] = depth - j - rng.random() * 0.001  # below every other
            chosen = max((w for w in order if w in enabled), key=priority.__getitem__)
        return chosen

    return choose


def would_block(board: Any, w: Any) -> bool:
    """Whether worker `w`'s next step would wait now: an acquire of a lock somebody holds or
    of a semaphore at 0, a wait for an event not set, a join of a worker still running.
    The search does not choose such a step (it could go later, once it would not wait: under
    a real scheduler somebody else may take the lock first); when nobody else can go, it
    lets it wait for real. Another step that may wait is chosen as it comes, and waits."""
    op, res, _index = w.next
    if res is None:
        return False
    if op == "join":
        target = board.worker_named(res)
        return target is not None and target.live
    resource = board.by_name(res)
    kind = getattr(resource, "kind", None)
    if op == "acquire" and kind == "lock":
        holder = board.tallies[res].holder
        return holder is not None and not (
            getattr(resource, "reentrant", False) and holder == w.name
        )
    if op == "acquire" and kind == "semaphore":
        return not resource.peek()
    if op == "wait" and kind == "event":
        return not resource.peek()
    return False


def write_schedule(path: list[str]) -> str:
    """A path of worker names as `--schedule` spells it: `MainThreadx2,w0,w1x3`."""
    out: list[str] = []
    i = 0
    while i < len(path):
        j = i
        while j < len(path) and path[j] == path[i]:
            j += 1
        n = j - i
        out.append(path[i] if n == 1 else f"{path[i]}x{n}")
        i = j
    return ",".join(out)


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    return repr(value) if isinstance(value, str) else str(value)


def _last_line(text: str) -> str:
    lines = [line for line in str(text).strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else str(text)
