"""Nothing is left behind: no worker process, no resource_tracker warning, on every way out."""

import json
import os

import pytest

from tests.conftest import MODES, children_of, example, gone, left_behind, run_cli
from tests.sources import DEADLOCK, LOOPS

HOLDS_FOR_EVER = """
    from ipc_tui.scenario import Lock, Process
    lock = Lock()

    def keep():
        lock.acquire()  # and never release

    def wait():
        lock.acquire()

    Process(target=keep)
    Process(target=wait)
"""

RAISES = """
    from ipc_tui.scenario import Process, Value
    n = Value("i", 0)

    def bad():
        n.value = 1 / 0

    Process(target=bad)
"""


def worker_pids(stdout: str) -> list[int]:
    final = json.loads(stdout.strip().splitlines()[-1])["final"]
    return [w["pid"] for w in final["workers"].values()]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "case, code",
    [("normal", 0), ("blocked", 3), ("raised", 1), ("deadlocked", 3), ("endless loop", 3)],
)
def test_the_cli_leaves_no_process_and_no_leak_warning(scenario_file, mode, case, code):
    target, *more = {
        "normal": lambda: [example("lock-contention")],
        "blocked": lambda: [scenario_file(HOLDS_FOR_EVER)],
        "raised": lambda: [scenario_file(RAISES)],
        "deadlocked": lambda: [scenario_file(DEADLOCK), "--schedule", "w0,w1,w0,w1"],
        "endless loop": lambda: [scenario_file(LOOPS), "--timeout", "2"],
    }[case]()
    done = run_cli("--scenario", target, "--headless", "--json", "--mode", mode, *more)
    assert done.returncode == code, done.stderr
    assert "resource_tracker" not in done.stderr and "leaked" not in done.stderr
    assert "Traceback" not in done.stderr
    for pid in worker_pids(done.stdout):
        assert gone(pid), f"worker {pid} outlived ipc-tui"
    assert not left_behind(done)  # nor the forkserver, nor the resource tracker


@pytest.mark.parametrize("mode", MODES)
def test_closing_a_session_with_a_blocked_worker_ends_it(session_of, scenario_file, mode):
    s = session_of(scenario_file(HOLDS_FOR_EVER), mode)
    s.run_schedule("w0,w1")
    assert s.snapshot().worker("w1").state == "blocked"
    pids = [w.pid for w in s.snapshot().workers]
    threads = [s.real_worker(name) for name in s.worker_names]
    s.close()
    if mode == "process":
        assert all(gone(pid) for pid in pids)
        assert not [p for p in children_of(os.getpid()) if p in pids]
    else:
        assert not any(t.is_alive() for t in threads)


@pytest.mark.parametrize("mode", MODES)
def test_restart_starts_afresh_and_ends_the_old_workers(session_of, mode):
    s = session_of(example("race-condition"), mode)
    s.run_schedule("w0,w0")
    old = [w.pid for w in s.snapshot().workers]
    s.restart()
    assert s.wait_settled(10)
    snap = s.snapshot()
    assert snap.cell("counter").value == 0 and all(w.steps == 0 for w in snap.workers)
    if mode == "process":
        assert all(gone(pid) for pid in old)
    s.run_schedule("w0*,w1*")
    assert s.snapshot().cell("counter").value == 6


def _kept() -> dict[str, int]:
    """What a session could keep by accident in this process: scenario modules, the wrappers of
    their primitives, workers' records, threads and open file descriptors."""
    import gc
    import sys
    import threading

    from ipc_tui.engine.board import WorkerRecord
    from ipc_tui.engine.primitives import Resource

    gc.collect()
    objects = gc.get_objects()
    return {
        "scenario modules": sum(name.startswith("ipc_tui_scenario_") for name in sys.modules),
        "primitives": sum(isinstance(o, Resource) for o in objects),
        "worker records": sum(isinstance(o, WorkerRecord) for o in objects),
        "threads": threading.active_count(),
        "file descriptors": len(os.listdir("/proc/self/fd")),
    }


@pytest.mark.timeout(300)
@pytest.mark.parametrize("mode", MODES)
def test_fifty_restarts_keep_nothing_the_first_did_not(session_of, mode):
    s = session_of(example("producer-consumer"), mode)
    s.run_schedule("producer,consumer")
    s.restart()
    assert s.wait_settled(10)
    s.run_schedule("producer,consumer")
    after_one = _kept()
    for _ in range(49):
        s.restart()
        assert s.wait_settled(10)
        s.run_schedule("producer,consumer")
    assert _kept() == after_one
