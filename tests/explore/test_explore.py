"""The explorer, on real runs: the outcomes a student must see, the statement the search can
make, schedules that replay, and nothing left running."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from ipc_tui.engine import find_scenario
from ipc_tui.engine.explore import Explorer
from ipc_tui.engine.loader import read_info
from ipc_tui.explore_cli import replay_command
from tests.program.conftest import group_gone

pytestmark = pytest.mark.timeout(600)


def explore(name: str, mode: str | None = None, variant: str | None = None, **options):
    ex = Explorer(find_scenario(name), mode=mode, variant=variant, seconds=400, **options)
    rep = ex.explore()
    for pgid in ex.groups:
        assert group_gone(pgid), "a process of the explorer outlived it"
    return ex, rep


def counters(rep) -> dict[int, object]:
    return {dict(f.outcome.cells)["counter"]: f for f in rep.found}


def replayed(info, mode, variant, schedule: str) -> dict:
    """The final state of `ipc-tui --headless --schedule ...`, the command the explorer prints."""
    words = shlex.split(replay_command(info, mode, variant, None, (), schedule))
    assert words[0] == "ipc-tui"
    out = subprocess.run(
        [sys.executable, "-m", "ipc_tui", *words[1:], "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return json.loads(out.stdout.splitlines()[-1])["final"]


def same_outcome(final: dict, found) -> None:
    """The replayed run ended as the explored one did: its cells, who failed and how, and
    whether it deadlocked."""
    o = found.outcome
    assert final["cells"] == dict(o.cells), found.schedule
    failed = {
        name: w["error"].strip().splitlines()[-1].strip()
        for name, w in final["workers"].items()
        if w["state"] in ("failed", "killed")
    }
    assert failed == dict(o.failures), found.schedule
    if o.verdict == "deadlock":
        assert final["verdict"] == "deadlock", found.schedule
        assert final["cycle"] == list(o.cycle), found.schedule
    else:
        assert final["outcome"] == "finished", found.schedule


def test_race_condition_has_every_outcome_from_two_to_six_and_each_replays():
    ex, rep = explore("race-condition", "thread", budget=10_000)
    assert rep.complete and rep.bound is None, rep.statement()
    found = counters(rep)
    assert sorted(found) == [2, 3, 4, 5, 6]
    assert not found[6].outcome.failed
    for lost in (2, 3, 4, 5):
        f = found[lost]
        assert f.outcome.failed
        assert dict(f.outcome.failures)["MainThread"].startswith("AssertionError: counter is")
    assert found[2].preemptions >= 3  # (the lost update of four takes a few switches)
    assert rep.statement().startswith(f"complete: all {rep.interleavings} interleavings")
    assert 0 < rep.interleavings <= 924  # (12 steps on one counter; two reads commute)
    assert rep.pruned > 0  # main's starts and joins are independent of the counter's steps
    info = find_scenario("race-condition")
    for f in rep.found:
        same_outcome(replayed(info, "thread", None, f.schedule), f)


def test_critical_section_is_six_in_every_interleaving_in_both_modes():
    for mode in ("thread", "process"):
        ex, rep = explore("critical-section", mode)
        assert rep.complete and rep.bound is None, rep.statement()
        assert sorted(counters(rep)) == [6], rep.statement()
        assert not rep.failures
        assert rep.runs > 1
        assert "no failure" in rep.statement()


@pytest.mark.parametrize("strategy", ["exhaustive", "random", "pct"])
def test_every_strategy_finds_the_deadlock_and_its_schedule_replays(strategy):
    ex, rep = explore("deadlock", "process", strategy=strategy)
    deadlocks = [f for f in rep.found if f.outcome.verdict == "deadlock"]
    assert deadlocks, rep.statement()
    cycle = deadlocks[0].outcome.cycle
    assert set(cycle) == {"w0", "w1", "a", "b"}
    assert rep.first_failure is not None
    same_outcome(
        replayed(find_scenario("deadlock"), None, None, deadlocks[0].schedule), deadlocks[0]
    )


def test_the_fixed_deadlock_is_free_of_deadlock_in_every_interleaving():
    ex, rep = explore("deadlock", "process", variant="fixed")
    assert rep.complete, rep.statement()
    assert [f.outcome.verdict for f in rep.found] == ["finished"]
    assert dict(rep.found[0].outcome.cells) == {"moved": 2}


@pytest.mark.parametrize("strategy", ["exhaustive", "random", "pct"])
def test_every_strategy_finds_the_dining_philosophers_deadlock(strategy):
    ex, rep = explore("dining-philosophers", "thread", strategy=strategy, budget=300)
    deadlocks = [f for f in rep.found if f.outcome.verdict == "deadlock"]
    assert deadlocks, rep.statement()
    assert set(deadlocks[0].outcome.cycle) >= {"p0", "p1", "p2", "p3", "p4"}
    assert rep.cycles  # (found by the run aimed at the cycle in the order locks were taken)
    same_outcome(
        replayed(find_scenario("dining-philosophers"), "thread", None, deadlocks[0].schedule),
        deadlocks[0],
    )


def test_the_fixed_philosophers_never_deadlock_within_the_bound():
    ex, rep = explore("dining-philosophers", "thread", variant="fixed", preemptions=0)
    assert rep.complete and rep.bound == 0, rep.statement()
    assert rep.statement().startswith("all interleavings with at most 0 preemptions")
    assert "no failure" in rep.statement()
    assert [dict(f.outcome.cells)["meals"] for f in rep.found] == [[2, 2, 2, 2, 2]]
    assert not rep.cycles  # every philosopher takes the lower fork first: no cycle


def test_a_check_on_the_final_cells_fails_the_runs_where_it_is_false(tmp_path):
    path = tmp_path / "bank.py"
    path.write_text(
        textwrap.dedent(
            """
            import threading

            balance = 100

            def withdraw(amount):
                global balance
                if balance >= amount:
                    balance -= amount

            if __name__ == "__main__":
                a = threading.Thread(target=withdraw, args=(80,), name="a")
                b = threading.Thread(target=withdraw, args=(80,), name="b")
                a.start(); b.start(); a.join(); b.join()
            """
        )
    )
    ex = Explorer(read_info(path), check="balance >= 0", seconds=200)
    rep = ex.explore()
    by = {dict(f.outcome.cells)["balance"]: f for f in rep.found}
    assert rep.complete
    assert set(by) == {20, -60}  # both saw 100 and both took 80
    assert by[-60].outcome.check is False and by[-60].outcome.failed
    assert by[20].outcome.check is True and not by[20].outcome.failed


def test_stop_from_another_thread_ends_the_run_going_on_and_leaves_nothing():
    ex = Explorer(find_scenario("race-condition"), mode="process")
    threading.Timer(1.5, ex.stop).start()
    t0 = time.monotonic()
    rep = ex.explore()
    assert rep.over == "stopped"
    assert time.monotonic() - t0 < 30
    for pgid in ex.groups:
        assert group_gone(pgid)


def cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ipc_tui", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=dict(os.environ, COLUMNS="200"),
    )


def test_headless_explore_prints_the_table_the_first_failure_and_how_to_replay_it():
    out = cli("--scenario", "deadlock", "--mode", "thread", "--explore")
    assert out.returncode == 1, out.stderr
    text = out.stdout
    assert "moved = 2" in text and "deadlock: w0 → b → w1 → a → w0" in text
    assert "first failure" in text
    assert "ipc-tui --scenario deadlock --mode thread --headless --schedule" in text
    assert "complete: all 3 interleavings: 1 of 2 outcomes fail" in text
    assert "partial-order reduction skipped" in text


def test_headless_explore_json_has_the_outcomes_and_their_schedules_in_final():
    out = cli("--scenario", "critical-section", "--mode", "thread", "--explore", "--json")
    assert out.returncode == 0, out.stderr
    final = json.loads(out.stdout.splitlines()[-1])["final"]
    assert final["complete"] is True
    assert [o["cells"] for o in final["outcomes"]] == [{"counter": 6}]
    assert final["outcomes"][0]["schedule"].startswith("MainThread")
    assert final["first_failure"] is None


@pytest.mark.parametrize(
    "args, said",
    [
        (["--explore", "--check", "counter =="], "--check 'counter ==' is not a Python expression"),
        (["--explore", "--check", "nobody > 1"], "NameError"),
        (["--budget", "3"], "--budget goes with --explore"),
        (["--explore", "--budget", "0"], "--budget must be at least 1"),
        (["--explore", "--schedule", "w0"], "give it no --schedule"),
        (["--explore", "--strategy", "dfs"], "invalid choice"),
        (["--explore", "--depth", "2"], "--depth goes with --strategy pct"),
        (["--explore", "--strategy", "random", "--preemptions", "1"], "--preemptions goes with"),
        (["--seed", "3"], "--seed goes with --explore"),
    ],
)
def test_bad_explore_options_get_one_line_and_exit_2(args, said):
    out = cli("--scenario", "deadlock", "--mode", "thread", *args, timeout=120)
    assert out.returncode == 2
    assert said in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "Traceback" not in out.stderr


def zygotes_of(path: str) -> list[str]:
    """The explorer's warm launchers (and their runs, forked from them) for the program at
    `path`: their command line names it."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    words = f.read().split(b"\0")
            except OSError:
                continue
            if b"from ipc_tui.engine.program.zygote import main; main()" in words:
                if path.encode() in words:
                    found.append(entry)
    return found


def test_ctrl_c_says_what_was_found_and_leaves_nothing_running():
    import signal

    info = find_scenario("race-condition")
    p = subprocess.Popen(
        [sys.executable, "-m", "ipc_tui", "--scenario", "race-condition", "--explore"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, COLUMNS="200"),
        # (as a terminal's ctrl+c finds it: a background job, as CI runs, ignores SIGINT,
        # and a child inherits that)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while not zygotes_of(info.path) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(2)  # (some runs made)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 130, err
    assert "Traceback" not in err
    assert "counter = " in out and "when it was stopped" in out
    deadline = time.monotonic() + 5
    while zygotes_of(info.path) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert zygotes_of(info.path) == []
