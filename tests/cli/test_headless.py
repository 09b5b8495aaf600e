"""The headless front-end, run as a user runs it."""

import json

import pytest

from tests.conftest import MODES, example, run_cli
from tests.sources import DEADLOCK, RAISES


def final_of(stdout: str) -> dict:
    lines = stdout.strip().splitlines()
    for line in lines[:-1]:
        assert "final" not in json.loads(line)
    return json.loads(lines[-1])["final"]


@pytest.mark.parametrize("mode", MODES)
def test_the_interleaved_schedule_ends_below_the_serial_one(mode):
    for _ in range(2):
        race = ["--scenario", example("race-condition"), "--headless", "--json", "--mode", mode]
        lost = run_cli(*race, "--schedule", "w0,w1,w0,w1")
        exact = run_cli(*race, "--schedule", "w0*,w1*")
        assert exact.returncode == 0, exact.stderr
        assert lost.returncode == 1, lost.stderr  # the scenario's check() did not hold
        assert (
            final_of(lost.stdout)["cells"]["counter"] < final_of(exact.stdout)["cells"]["counter"]
        )
        assert final_of(exact.stdout)["cells"]["counter"] == 6


def test_json_lines_and_the_final_object():
    done = run_cli("--scenario", example("semaphore"), "--headless", "--json", "--mode", "process")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(x) for x in done.stdout.strip().splitlines()]
    steps = [x for x in lines[:-1] if x["kind"] == "step"]
    assert {"t", "worker", "seq", "op", "resource", "before", "after"} <= set(steps[0])
    for w in ("w0", "w1", "w2", "w3"):  # every step of every worker, numbered without gaps
        assert [x["seq"] for x in steps if x["worker"] == w] == [1, 2, 3, 4]
    final = lines[-1]["final"]
    assert final["semaphores"] == {"permits": {"value": 2, "initial": 2, "holders": []}}
    assert final["locks"] == {} and final["events"] == {} and final["cells"] == {}
    assert {w["state"] for w in final["workers"].values()} == {"done"}
    assert {w["exitcode"] for w in final["workers"].values()} == {0}


def test_events_and_cells_in_the_final_object():
    done = run_cli("--scenario", example("event"), "--headless", "--json", "--mode", "thread")
    final = final_of(done.stdout)
    assert final["events"] == {"go": False}  # set, then cleared
    assert final["cells"] == {"gave_up": 1, "late_gave_up": 1}
    assert final["workers"]["w0"] == final["workers"]["w0"] | {"state": "done", "exitcode": None}


def test_rich_output_shows_the_trace_and_the_final_state():
    done = run_cli("--scenario", example("lock-contention"), "--headless", "--schedule", "w0,w1")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "acquire lock" in out and "(blocked)" in out and "release lock" in out
    assert "Shared memory" in out and "Locks" in out and "Workers" in out
    assert "finished" in out.splitlines()[-1]


def test_a_failing_worker_exits_1_and_shows_its_traceback(scenario_file):
    path = scenario_file(RAISES)
    done = run_cli("--scenario", path, "--headless")
    assert done.returncode == 1
    assert "KeyError: 'missing'" in done.stdout and 'return {}["missing"]' in done.stdout
    assert "Traceback" not in done.stderr


def test_a_run_that_cannot_progress_exits_3_and_names_the_waits(scenario_file):
    path = scenario_file(DEADLOCK)
    done = run_cli(
        "--scenario", path, "--headless", "--json", "--schedule", "w0,w1", "--timeout", "30"
    )
    assert done.returncode == 3
    assert "w0 waits for b, a lock held by w1" in done.stderr
    assert "w1 waits for a, a lock held by w0" in done.stderr
    assert final_of(done.stdout)["outcome"] == "stalled"


def test_a_timeout_ends_a_run_that_is_still_going(scenario_file):
    path = scenario_file(
        """
        from ipc_tui.scenario import Process, sleep
        def slow():
            sleep(30)
        Process(target=slow)
        """
    )
    done = run_cli("--scenario", path, "--headless", "--timeout", "0.5", timeout=30)
    assert done.returncode == 3
    assert "w0 is sleeping" in done.stderr


def test_list_names_every_starting_scenario():
    done = run_cli("--list")
    assert done.returncode == 0
    names = [line.split()[0] for line in done.stdout.splitlines()]
    assert {"race-condition", "lock-contention", "semaphore", "event"} <= set(names)


def test_lang_chooses_the_lessons_language():
    zh = run_cli("--list", "--lang", "zh")
    en = run_cli("--list", "--lang", "en")
    assert "竞争条件" in zh.stdout and "Race condition" in en.stdout
    head = run_cli(
        "--scenario", example("event"), "--headless", "--lang", "zh"
    ).stdout.splitlines()[0]
    assert "事件" in head
