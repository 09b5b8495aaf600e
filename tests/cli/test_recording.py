"""Recordings: a run written down (--record) and opened again (--replay) goes the same way.

The runs recorded here are random walks (a seeded choice among the workers at their gates at
every step), not the next-ready order that headless steps by: a replay that ignored the
recording would go another way. Where several wait for one lock and it is let go, the real
lock picks who goes on: the replay's hand-offs make it pick the one the recording had.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from time import monotonic

import pytest

from ipc_tui.engine import find_scenario, list_scenarios, open_session
from ipc_tui.engine.board import LETS_GO
from ipc_tui.engine.recording import Recorder, save
from ipc_tui.headless import final_state, who_waits
from tests.conftest import gone, run_cli

EVERY = [(info.name, mode) for info in list_scenarios() for mode in info.modes]


def random_recording(name: str, mode: str, seed: int, path: Path) -> dict:
    """Run `name` stepping a randomly chosen worker at each step; write it down."""
    info = find_scenario(name)
    session = open_session(info, None if mode == "program" else mode, quick=True)
    recorder, rng, outcome, waits = Recorder(), random.Random(seed), "finished", []
    deadline = monotonic() + 90
    session.start()
    try:
        while not session.finished():
            assert monotonic() < deadline, f"{name} did not end"
            if session.wait_settled(0.05):
                choices = ready(session)
                if choices:
                    session.step(rng.choice(choices))
            recorder.add(session.drain_events())
            verdict = session.verdict()
            if verdict.certain:
                outcome, waits = "stalled", who_waits(verdict)
                break
        if outcome == "finished":
            session.wait_exited(10)
        recorder.add(session.drain_events())
        final = final_state(session.snapshot(), outcome, waits)
        run = recorder.recording(session, final, (), True)
        pids = [w.pid for w in session.snapshot().workers if w.kind == "process"]
    finally:
        session.close()
    assert all(pid is None or gone(pid) for pid in pids)
    save(run, path)
    return run


def ready(session) -> list[str]:
    """The workers at their gates; as n does, no daemon once only daemons are left (they are
    cut off as the program ends, and a step given then races with the end)."""
    with session._cond:
        workers = session.board.workers
        ending = not any(w.live and not w.daemon for w in workers)
        return [w.name for w in workers if w.at_gate and w.live and not (ending and w.daemon)]


def steps_of(run: dict) -> dict[str, list[tuple]]:
    """Each worker's steps: what it did and what it saw (not what a release or a get left
    behind: a semaphore's count just after a release is 0 or 1 as the worker it woke is quick
    or not; a get makes room for a put that waited)."""
    out: dict[str, list[tuple]] = {}
    for e in run["events"]:
        if e["kind"] == "step":
            after = None if e["op"] in (*LETS_GO, "get", "get_nowait", "recv") else e["after"]
            out.setdefault(e["worker"], []).append(
                (e["seq"], e["op"], e["resource"], e["index"], after, e["result"])
            )
    return {w: sorted(steps) for w, steps in out.items()}


def state_of(run: dict) -> dict:
    """The final state two runs of one interleaving share (not pids, times or timings)."""
    final = run["outcome"]
    keep = ("outcome", "verdict", "cells", "locks", "semaphores", "events", "queues", "pipes")
    return {
        **{k: final[k] for k in keep},
        **{k: final[k] for k in ("conditions", "barriers", "check", "cycle")},
        "workers": {
            name: (w["state"], w["exitcode"], w["steps"], (w["error"] or "").split("\n")[-1])
            for name, w in final["workers"].items()
        },
    }


@pytest.mark.timeout(240)
@pytest.mark.parametrize(("name", "mode"), EVERY, ids=[f"{n}-{m}" for n, m in EVERY])
def test_a_recorded_run_replays_to_the_same_steps_and_state(name, mode, tmp_path):
    recorded = random_recording(name, mode, seed=len(name), path=tmp_path / "run.json")
    again = tmp_path / "again.json"
    done = run_cli("--replay", str(tmp_path / "run.json"), "--headless", "--record", str(again))
    assert "Traceback" not in done.stderr, done.stderr
    replayed = json.loads(again.read_text())
    # the same steps, given in the same order, each doing and seeing the same
    order = [t[:3] for t in recorded["turns"]]
    assert order and [t[:3] for t in replayed["turns"]] == order
    assert steps_of(replayed) == steps_of(recorded)
    assert state_of(replayed) == state_of(recorded)
    assert "replayed as recorded" in done.stdout, done.stdout[-2000:]
    if recorded["outcome"]["outcome"] == "finished":
        assert done.returncode in (0, 1), done.stderr
    else:
        assert done.returncode == 3, done.stderr


def test_a_recording_holds_the_program_the_run_and_what_it_showed(tmp_path):
    path = tmp_path / "lost.json"
    done = run_cli(
        "--scenario", "race-condition", "--mode", "process", "--headless", "--record", str(path),
        "--schedule", "MainThreadx2,w0,w1,w0,w1",
    )  # fmt: skip
    assert done.returncode == 1, done.stderr  # two updates lost: the program's assert fails
    run = json.loads(path.read_text())
    prog = run["program"]
    source = Path(find_scenario("race-condition").path).read_text()
    assert prog["source"] == source and prog["builtin"] and prog["scenario"] == "race-condition"
    assert len(prog["sha256"]) == 64 and prog["mode"] == "process" and prog["method"]
    turns = [tuple(t[:2]) for t in run["turns"]]
    assert turns[:6] == [("MainThread", 1), ("MainThread", 2), ("w0", 1), ("w1", 1)] + [
        ("w0", 2),
        ("w1", 2),
    ]
    assert run["outcome"]["cells"]["counter"] < 6
    assert sum(e["kind"] == "step" for e in run["events"]) == len(run["turns"])
    replay = run_cli("--replay", str(path), "--headless", "--json")
    final = json.loads(replay.stdout.strip().splitlines()[-1])["final"]
    assert final["cells"] == run["outcome"]["cells"]
    assert "replayed as recorded" in replay.stderr


def test_a_changed_program_is_refused_and_forced_as_far_as_it_matches(tmp_path):
    program = tmp_path / "count.py"
    source = Path(find_scenario("race-condition").path).read_text()
    program.write_text(source)
    path = tmp_path / "run.json"
    done = run_cli(str(program), "--headless", "--record", str(path))
    assert done.returncode in (0, 1) and path.exists(), done.stderr  # (1: updates lost)
    program.write_text(source.replace("args=(counter, 3)", "args=(counter, 2)"))
    refused = run_cli("--replay", str(path), "--headless")
    assert refused.returncode == 2 and refused.stdout == ""
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "has changed since" in refused.stderr and "--force" in refused.stderr
    forced = run_cli("--replay", str(path), "--headless", "--force")
    assert "Traceback" not in forced.stderr
    said = " ".join(forced.stdout.split())  # (Rich wraps long lines)
    assert re.search(r"replay: step \d+: w\d has ended where the recording has read counter", said)
    assert "from here the run goes its own way" in said
    assert "replayed as recorded" not in forced.stdout


def test_a_recording_whose_program_is_gone_runs_its_own_copy(tmp_path):
    program = tmp_path / "mine.py"
    program.write_text(Path(find_scenario("lock-contention").path).read_text())
    path = tmp_path / "run.json"
    assert run_cli(str(program), "--headless", "--record", str(path)).returncode == 0
    program.unlink()
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = run_cli("--replay", str(path), "--headless", env=env)
    assert done.returncode == 0, done.stderr
    assert "is not here: its recorded copy runs" in " ".join(done.stdout.split())
    assert "replayed as recorded" in done.stdout
    assert list((tmp_path / "cache").rglob("mine.py"))
    (tmp_path / "nowhere").write_text("")  # (a file where the cache's folder would be)
    refused = run_cli(
        "--replay", str(path), "--headless", env={"XDG_CACHE_HOME": str(tmp_path / "nowhere")}
    )
    assert refused.returncode == 2 and "its recorded copy cannot be written" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr


def test_the_explorer_records_its_first_failure(tmp_path):
    path = tmp_path / "found.json"
    done = run_cli(
        "--scenario", "race-condition", "--explore", "--budget", "40", "--record", str(path)
    )
    assert done.returncode == 1, done.stderr
    assert f"ipc-tui --replay {path}" in done.stdout
    run = json.loads(path.read_text())
    assert run["outcome"]["cells"]["counter"] < 6
    replay = run_cli("--replay", str(path), "--headless")
    assert "replayed as recorded" in replay.stdout


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--replay", "{tmp}/none.json"], "cannot read the recording"),
        (["--replay", "{tmp}/bad.json"], "not JSON"),
        (["--replay", "{tmp}/other.json"], "not an ipc-tui recording"),
        (["--replay", "{tmp}/run.json", "--scenario", "semaphore"], "no --scenario"),
        (["--replay", "{tmp}/run.json", "--mode", "thread"], "no --mode"),
        (["--scenario", "semaphore", "--force"], "--force goes with --replay"),
        (["--scenario", "semaphore", "--headless", "--record", "{tmp}/no/x.json"], "no folder"),
        (["--scenario", "semaphore", "--headless", "--record", "{tmp}"], "is a folder"),
    ],
)
def test_bad_recordings_and_options_say_one_line(args, said, tmp_path):
    (tmp_path / "bad.json").write_text("{")
    (tmp_path / "other.json").write_text('{"format": "something else"}')
    (tmp_path / "run.json").write_text("{}")
    done = run_cli(*[a.format(tmp=tmp_path) for a in args])
    assert done.returncode == 2 and done.stdout == ""
    assert said in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_a_replay_says_where_the_real_lock_let_another_in(tmp_path):
    """A turn whose worker still waits (the lock went to another this time) ends the
    following there, with why: the real lock promises no order among its waiters."""
    path = tmp_path / "run.json"
    done = run_cli(
        "--scenario", "lock-contention", "--mode", "thread", "--headless", "--record", str(path),
        "--schedule", "MainThreadx3,w0,w1",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    run = json.loads(path.read_text())
    assert [t[:2] for t in run["turns"][:5]] == [["MainThread", k] for k in (1, 2, 3)] + [
        ["w0", 1],
        ["w1", 1],
    ]
    # As if the recorded run had let w1 in here, before w0 let the lock go
    run["turns"] = run["turns"][:5] + [["w1", 2, "operation", "step"]] + run["turns"][5:]
    path.write_text(json.dumps(run))
    replay = run_cli("--replay", str(path), "--headless")
    said = " ".join(replay.stdout.split())
    assert (
        "replay: step 6: w1 still waits for lock, which w0 took: the recording had w1 take it "
        "here, and this time the real lock let w0 in first" in said
    ), said
    assert "from here the run goes its own way" in said
    assert "replayed as recorded" not in said


def test_a_kill_is_recorded_and_replayed(tmp_path):
    """k in the app: the recording says whom it killed, after which step; a replay kills it
    there too, and the worker behind the dead holder is stuck the same way."""
    session = open_session(find_scenario("lock-contention"), "process", quick=True)
    recorder = Recorder()
    session.start()
    try:
        session.run_schedule("MainThreadx3,w0", 20)  # w0 takes the lock
        session.kill("w0")  # and dies holding it
        session.run_schedule("w1", 20)  # w1 waits for it for ever
        deadline = monotonic() + 20
        while session.verdict().kind != "likely":  # (once w0's end is known)
            assert monotonic() < deadline, session.verdict()
            session.wait_settled(0.05)
        recorder.add(session.drain_events())  # (saved here, as w saves it, the run going on)
        run = recorder.recording(session, final_state(session.snapshot(), "running", []))
    finally:
        session.close()
    assert [t[:2] for t in run["turns"]][3:6] == [["w0", 1], ["kill", "w0"], ["w1", 1]]
    save(run, tmp_path / "killed.json")
    done = run_cli("--replay", str(tmp_path / "killed.json"), "--headless")
    assert done.returncode == 1, done.stderr  # (a worker was killed)
    assert "replayed as recorded" in done.stdout, done.stdout[-2000:]
    again = run_cli("--replay", str(tmp_path / "killed.json"), "--headless", "--json")
    workers = json.loads(again.stdout.strip().splitlines()[-1])["final"]["workers"]
    assert workers["w0"]["state"] == "killed" and workers["w1"]["blocked_on"] == "lock"


def w1_let_in_first(mode: str, path: Path) -> dict:
    """A recorded run of lock-contention where w2 waits for the lock first, then w1, and w1
    is let in (hand-offs make that happen on purpose: a real lock may do it by itself)."""
    session = open_session(find_scenario("lock-contention"), mode, quick=True)
    recorder = Recorder()
    session.start()
    try:
        session.run_schedule("MainThreadx3,w0", 20)  # w0 takes the lock
        session.set_hand_offs(True)
        session.run_schedule("w2,w1", 20)  # w2 waits, then w1
        assert sorted(session.held()) == ["w1", "w2"]
        assert session.hand_over("w1")  # only w1 waits for real
        session.run_schedule("w0x3", 20)  # read, write, release: w1 gets it
        session.set_hand_offs(False)  # (w2 waits for real too now)
        assert session.wait_settled(10)
        recorder.add(session.drain_events())
        snap = session.snapshot()
        run = recorder.recording(session, final_state(snap, "running", []))
    finally:
        session.close()
    assert [(lk.holder, lk.waiters) for lk in snap.locks] == [("w1", ("w2",))]
    save(run, path)
    return run


@pytest.mark.parametrize("mode", ["thread", "process"])
def test_a_replay_lets_in_the_waiter_the_recording_let_in(mode, tmp_path):
    """The replay lets w1 in too, every time (without hand-offs a real lock lets in either,
    and most often the first that waited: w2)."""
    w1_let_in_first(mode, tmp_path / "w1-first.json")
    for _ in range(3):
        done = run_cli("--replay", str(tmp_path / "w1-first.json"), "--headless", "--json")
        final = json.loads(done.stdout.strip().splitlines()[-1])["final"]
        assert final["locks"] == {"lock": {"holder": "w1", "waiters": ["w2"]}}, done.stderr
        assert "replayed as recorded" in done.stderr, done.stderr


def test_a_program_broken_since_is_said_not_taken_for_gone(tmp_path):
    program = tmp_path / "mine.py"
    program.write_text(Path(find_scenario("lock-contention").path).read_text())
    path = tmp_path / "run.json"
    assert run_cli(str(program), "--headless", "--record", str(path)).returncode == 0
    program.write_text("def broken(:\n")
    done = run_cli("--replay", str(path), "--headless")
    assert done.returncode == 2 and done.stdout == "", done.stdout
    assert "mine.py" in done.stderr and "its recorded copy" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
