"""--trace FILE.json: a real run as a Chrome trace-event file, checked against the format's
documented fields and, event for event, against the run's own trace (headless --json)."""

import json
import os
import time
from collections import Counter

import pytest

from ipc_tui.bench.app import BUSIEST
from ipc_tui.engine import Session
from ipc_tui.engine.trace_file import TraceRecorder
from tests.conftest import MODES, left_behind, run_cli

# w0 takes the lock, w1 and w2 queue behind it, then the rest runs free
CONTENDED = "MainThreadx3,w0,w1,w2"
PHASES = {"X", "i", "M", "s", "f"}  # what ipc-tui writes, of the format's phases


def valid(trace: dict) -> list[dict]:
    """The trace's events, after checking each against the format's documented fields."""
    assert isinstance(trace, dict) and isinstance(trace["traceEvents"], list)
    assert trace["displayTimeUnit"] in ("ms", "ns")
    events = trace["traceEvents"]
    for e in events:
        assert isinstance(e["name"], str) and e["name"], e
        assert e["ph"] in PHASES, e
        for key in ("ts", "pid", "tid"):
            assert type(e[key]) in ((int, float) if key == "ts" else (int,)), e
        assert e["ts"] >= 0, e
        if "args" in e:
            assert isinstance(e["args"], dict), e
        if e["ph"] == "X":
            assert type(e["dur"]) in (int, float) and e["dur"] >= 0, e
            assert isinstance(e["cat"], str), e
        elif e["ph"] == "M":
            assert e["name"] in ("process_name", "thread_name", "process_sort_index",
                                 "thread_sort_index"), e  # fmt: skip
            if e["name"].endswith("_name"):
                assert isinstance(e["args"]["name"], str) and e["args"]["name"], e
            else:
                assert isinstance(e["args"]["sort_index"], int), e
        elif e["ph"] == "i":
            assert e["s"] in ("g", "p", "t"), e
        elif e["ph"] == "f":
            assert e["bp"] == "e", e  # bound to the slice that encloses it
    flows: dict = {}
    for e in events:
        if e["ph"] in "sf":
            assert isinstance(e["id"], int) and isinstance(e["cat"], str), e
            flows.setdefault(e["id"], {}).setdefault(e["ph"], []).append(e)
    for pair in flows.values():  # each arrow: one start, one end, the same id and category
        assert len(pair.get("s", ())) == len(pair.get("f", ())) == 1, pair
        assert pair["s"][0]["cat"] == pair["f"][0]["cat"], pair
        assert pair["s"][0]["ts"] <= pair["f"][0]["ts"], pair
    # Perfetto wants the slices of a track to nest: never two that overlap in part
    tracks: dict = {}
    for e in events:
        if e["ph"] == "X":
            tracks.setdefault((e["pid"], e["tid"]), []).append(e)
    for slices in tracks.values():
        open_ends: list[float] = []
        for e in sorted(slices, key=lambda x: (x["ts"], -x["dur"])):
            while open_ends and open_ends[-1] <= e["ts"]:
                open_ends.pop()
            end = round(e["ts"] + e["dur"], 3)
            assert not open_ends or end <= open_ends[-1], ("overlaps its parent", e)
            open_ends.append(end)
    return events


def lanes_of(events: list[dict]) -> dict[tuple[int, int], str]:
    """(pid, tid) -> the thread's name, from the metadata events."""
    return {(e["pid"], e["tid"]): e["args"]["name"] for e in events if e["name"] == "thread_name"}


def slice_at(events: list[dict], pid: int, tid: int, ts: float) -> dict:
    """The innermost slice on that track that encloses `ts`: where a flow event binds."""
    track = [e for e in events if e["ph"] == "X" and (e["pid"], e["tid"]) == (pid, tid)]
    around = [e for e in track if e["ts"] <= ts <= e["ts"] + e["dur"]]
    assert around, (pid, tid, ts)
    return min(around, key=lambda e: e["dur"])


def hand_overs(lines: list[dict], lock: str) -> list[tuple]:
    """From the run's own trace: each release of `lock` and the acquire that took it next."""
    steps = sorted(
        (x for x in lines if x["kind"] == "step" and x["resource"] == lock), key=lambda x: x["t"]
    )
    out, released = [], None
    for x in steps:
        if x["op"] == "release":
            released = x
        elif x["op"] == "acquire" and x["result"] and released is not None:
            out.append(((released["worker"], released["seq"]), (x["worker"], x["seq"])))
            released = None
    return out


@pytest.mark.parametrize("mode", MODES)
def test_a_contended_run_traces_every_step_wait_holding_and_hand_over(tmp_path, mode):
    path = tmp_path / "run.json"
    done = run_cli(
        "--scenario", "lock-contention", "--headless", "--json", "--mode", mode,
        "--schedule", CONTENDED, "--trace", str(path),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert not left_behind(done)
    lines = [json.loads(x) for x in done.stdout.splitlines()]
    final = lines.pop()["final"]
    events = valid(json.loads(path.read_text()))
    lanes = lanes_of(events)
    slices = [e for e in events if e["ph"] == "X"]

    # A track per worker, on its real pid and thread id
    where = {name: lane for lane, name in lanes.items()}
    workers = final["workers"]
    assert set(workers) <= set(where)
    for name, w in workers.items():
        assert where[name][0] == w["pid"], (name, where[name], w["pid"])
    pids = {where[name][0] for name in ("w0", "w1", "w2")}
    assert len(pids) == (3 if mode == "process" else 1)
    assert len({where[name] for name in workers}) == len(workers)  # a thread each
    names = {e["pid"]: e["args"]["name"] for e in events if e["name"] == "process_name"}
    if mode == "process":
        assert [names[where[w][0]] for w in ("w0", "w1", "w2")] == ["w0", "w1", "w2"]

    # Each step: exactly one slice, on its worker's track, named by its operation and resource
    def step_key(x: dict) -> tuple:
        return x["worker"], x["seq"], x["op"], x["resource"]

    steps = Counter(step_key(x) for x in lines if x["kind"] == "step")
    traced = Counter(
        (lanes[e["pid"], e["tid"]], e["args"]["seq"], e["args"]["op"], e["args"]["resource"])
        for e in slices
        if e["cat"] == "step"
    )
    assert traced == steps
    assert max(steps.values()) == 1
    for e in slices:
        if e["cat"] == "step":
            assert e["name"] == f"{e['args']['op']} {e['args']['resource']}"
    by_key = {step_key(x): x for x in lines if x["kind"] == "step"}
    for e in slices:  # with what it did
        if e["cat"] == "step" and e["args"]["op"] == "write":
            x = by_key[lanes[e["pid"], e["tid"]], e["args"]["seq"], "write", "total"]
            assert (e["args"]["before"], e["args"]["after"]) == (x["before"], x["after"])

    # Each wait: a slice of its own, inside the step that waited
    waits = Counter((x["worker"], x["seq"], f"blocked on {x['resource']}")
                    for x in lines if x["kind"] == "blocked")  # fmt: skip
    traced_waits = Counter(
        (lanes[e["pid"], e["tid"]], e["args"]["seq"], e["name"])
        for e in slices
        if e["cat"] == "blocked"
    )
    assert traced_waits == waits
    assert waits[("w1", 1, "blocked on lock")] == waits[("w2", 1, "blocked on lock")] == 1

    # Each holding of the lock: a slice on the lock's track, one at a time
    acquired = [x for x in lines if x["op"] == "acquire" and x["kind"] == "step" and x["result"]]
    held = sorted((e for e in slices if e["cat"] == "lock"), key=lambda e: e["ts"])
    assert len(held) == len(acquired) == 9
    assert {lanes[e["pid"], e["tid"]] for e in held} == {"lock (lock)"}
    assert Counter(e["args"]["holder"] for e in held) == {"w0": 3, "w1": 3, "w2": 3}
    for a, b in zip(held, held[1:], strict=False):
        assert a["ts"] + a["dur"] <= b["ts"] + 0.001, (a, b)

    # Each arrow: from a release to the acquire that took the lock next, as the run had it
    arrows = []
    flows = {e["id"]: e for e in events if e["ph"] == "s"}
    for f in (e for e in events if e["ph"] == "f"):
        ends = []
        for e, cats in ((flows[f["id"]], ("step",)), (f, ("step", "blocked"))):
            bound = slice_at(events, e["pid"], e["tid"], e["ts"])
            assert bound["cat"] in cats, bound  # (an acquire that waited: its wait, in it)
            ends.append((lanes[e["pid"], e["tid"]], bound["args"]["seq"], bound["args"]["op"]))
        assert [op for *_, op in ends] == ["release", "acquire"]
        arrows.append(tuple(end[:2] for end in ends))
    expected = hand_overs(lines, "lock")
    assert sorted(arrows) == sorted(expected)
    assert len(expected) == 8  # nine holdings, one after another
    assert any(a[0] != b[0] for a, b in expected)  # the lock went from one worker to another


def test_a_bad_trace_path_is_one_line_and_exit_2(tmp_path):
    for bad in (tmp_path / "nowhere" / "run.json", tmp_path):
        done = run_cli("--scenario", "lock-contention", "--headless", "--trace", str(bad))
        assert done.returncode == 2, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "--trace" in done.stderr and "Traceback" not in done.stderr
        assert done.stdout == ""  # refused before anything ran
    done = run_cli("--scenario", "lock-contention", "--explore", "--trace", str(tmp_path / "x"))
    assert done.returncode == 2 and "--trace" in done.stderr


def run_free(path: str, mode: str, summary: bool, recorder: TraceRecorder, least: int) -> None:
    """Three workers for ever, run free until the recorder has seen `least` events (at most
    20 s), then closed."""
    s = Session(path, mode, summary=summary)
    s.start()
    try:
        assert s.wait_settled(10)
        s.run()
        deadline = time.monotonic() + 20
        while recorder.seen < least and time.monotonic() < deadline:
            time.sleep(0.02)
            recorder.add(s.drain_events())
            recorder.saw(s.snapshot())
        assert recorder.seen >= least, recorder.seen
    finally:
        s.close()


@pytest.mark.parametrize("mode", MODES)
def test_running_free_a_summary_is_one_slice(scenario_file, tmp_path, mode):
    """As the app runs free: each worker sums its steps up every 20 ms, and the trace file has
    one slice per summary, not one per step."""
    recorder = TraceRecorder()
    run_free(scenario_file(BUSIEST), mode, True, recorder, least=150)
    path = tmp_path / "free.json"
    recorder.write(str(path))
    events = valid(json.loads(path.read_text()))
    summaries = [e for e in recorder.events if e.kind == "summary"]
    slices = [e for e in events if e.get("cat") == "summary"]
    assert len(slices) == len(summaries) >= 100
    for e in slices:
        n = e["args"]["steps"]
        assert e["name"] == f"running free: {n} step{'' if n == 1 else 's'}"
    steps = sum(e["args"]["steps"] for e in slices)
    assert steps > 10 * len(slices)  # (each sums up many steps)
    assert len(events) < 2 * recorder.seen + 50  # slices, waits and the tracks' names


def test_a_trace_file_keeps_the_newest_events_and_says_so(scenario_file, tmp_path):
    """Every step reported (headless runs free that way): past its bound, the file keeps the
    newest events and says how many older ones it left out."""
    recorder = TraceRecorder(keep=500)
    run_free(scenario_file(BUSIEST), "thread", False, recorder, least=2000)
    path = tmp_path / "capped.json"
    recorder.write(str(path))
    trace = json.loads(path.read_text())
    events = valid(trace)
    assert len(recorder.events) == 500 and recorder.dropped == recorder.seen - 500
    assert trace["otherData"]["dropped"] == recorder.dropped > 0
    said = [e for e in events if e.get("cat") == "dropped"]
    assert len(said) == 1 and said[0]["name"].startswith(f"{recorder.dropped} older events")
    assert len(events) <= 4 * 500 + 50
    assert os.path.getsize(path) < 500 * 1000
