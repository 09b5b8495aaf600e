"""Each lesson speaks in the app's keys, first thing after its title, in English and in Chinese,
and the schedules it gives for running headless are ones the scenario takes."""

import re

import pytest

from ipc_tui.engine import Session, list_scenarios, open_session
from ipc_tui.engine.schedule import parse_schedule

SCENARIOS = list_scenarios()
SCHEDULE = re.compile(r"--schedule '([^']*)'")


@pytest.mark.parametrize("info", SCENARIOS, ids=lambda info: info.name)
def test_the_lesson_says_first_which_keys_to_press(info):
    try_en = info.lesson.split("\n\n")[0]
    try_zh = info.lesson_zh.split("\n\n")[0]
    assert try_en.startswith("Try: ") and re.search(r"\b(press|hold) ", try_en), try_en
    assert try_zh.startswith("试一试:") and "按" in try_zh, try_zh
    assert re.search(r"\bWatch:\s", try_en) and "观察:" in try_zh  # and what to look at meanwhile


@pytest.mark.parametrize("info", SCENARIOS, ids=lambda info: info.name)
def test_the_schedules_a_lesson_gives_are_the_scenarios_own_in_both_languages(info):
    schedules = SCHEDULE.findall(info.lesson)
    assert schedules == SCHEDULE.findall(info.lesson_zh)
    if schedules and info.program:  # its workers come as it starts them: take the schedule
        for schedule in schedules:
            with open_session(info, "thread" if "thread" in info.modes else None) as s:
                assert s.run_schedule(schedule, timeout=20) == [], schedule
    elif schedules:
        workers = Session(info, "thread" if "thread" in info.modes else None).worker_names
        for schedule in schedules:
            assert parse_schedule(schedule, workers), schedule
