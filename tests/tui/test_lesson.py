"""The Lesson pane: open from the start, with the keys that step the workers, readable in
English and in Chinese, and scrolled with PgDn / PgUp whatever has the focus."""

import pytest
from rich.cells import cell_len
from rich.text import Text

from ipc_tui.engine import find_scenario
from ipc_tui.tui.wrap import may_start_line, wrap
from tests.conftest import example
from tests.tui.screen import drawn_in, settled, shows


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=["80x24", "200x60"])
async def test_the_lesson_is_open_from_the_start_with_the_keys_that_step_each_worker(app_on, size):
    app = app_on(example("lock-contention"), "thread")
    async with app.run_test(size=size) as pilot:
        await settled(pilot, app)
        lesson = app.lesson_pane
        assert shows(app, "Keys: 1 steps w0, 2 w1, 3 w2.", lesson)
        assert shows(app, find_scenario(example("lock-contention")).title, lesson)
        await pilot.press("l")
        await pilot.pause()
        assert not shows(app, "Keys: 1 steps w0")
        await pilot.press("l")
        await pilot.pause()
        assert shows(app, "Keys: 1 steps w0", lesson)


async def test_the_keys_line_names_every_worker_in_the_lessons_language(app_on):
    app = app_on(example("dining-philosophers"), "thread", lang="zh")
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot, app)
        assert shows(app, "按键:1 单步 p0,2 p1,3 p2,4 p3,5 p4。", app.lesson_pane)


async def test_pgdn_reads_on_to_the_end_of_the_lesson_and_pgup_back(app_on):
    app = app_on("deadlock", "thread")
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot, app)
        last = find_scenario("deadlock").lesson.split()[-3:]
        first = find_scenario("deadlock").title
        assert shows(app, first) and not shows(app, " ".join(last), app.lesson_pane)
        for _ in range(10):
            await pilot.press("pagedown")
            await pilot.pause()
        assert shows(app, " ".join(last), app.lesson_pane) and not shows(app, first)
        for _ in range(10):
            await pilot.press("pageup")
            await pilot.pause()
        assert shows(app, first)


def first_word(row: str) -> str:
    """What the wrapping had to put at the start of `row` whole: up to where a line may break
    (a Latin word, or a Chinese character with the marks that belong to it)."""
    return row[: next((k for k in range(1, len(row)) if may_start_line(row, k)), len(row))]


@pytest.mark.parametrize("scenario", ["deadlock", "gil", "thread-basics"])
async def test_a_chinese_lesson_fills_its_lines(app_on, scenario):
    """A line of a paragraph ends early only when what comes next would not fit in it: Chinese
    breaks between any two characters, not only at the spaces around a Latin word."""
    app = app_on(scenario, None, lang="zh")
    async with app.run_test(size=(80, 60)) as pilot:
        await pilot.pause()
        lesson = app.lesson_pane
        title = find_scenario(scenario).title_zh
        if not shows(app, title[:6], lesson):  # (the lesson was once hidden at first)
            await pilot.press("l")
            await pilot.pause()
        width = lesson.scrollable_content_region.width
        rows = [row.rstrip() for row in drawn_in(app, lesson).splitlines()]
        paragraphs = "\n".join(rows).split("\n\n")[1:]  # after the title and the keys
        assert paragraphs, rows
        for text in paragraphs:
            lines = text.splitlines()
            for row, after in zip(lines, lines[1:], strict=False):
                assert cell_len(row) + 1 + cell_len(first_word(after)) > width, (row, after)


def test_lines_break_at_spaces_and_between_chinese_characters_never_inside_a_word():
    def lines(text: str, width: int, hang: int = 0) -> list[str]:
        return [line.plain for line in wrap(Text(text), width, hang)]

    assert lines("观察:Locks 面板和标题栏:环。", 10) == ["观察:Locks", "面板和标题", "栏:环。"]
    assert lines("一二三四,五", 8) == ["一二三", "四,五"]  # no line starts with a comma
    assert lines("take lock a, then b", 10) == ["take lock", "a, then b"]
    assert lines("with second:  # each may wait here", 20, 4) == [
        "with second:  # each",
        "    may wait here",  # the lines after the first, indented
    ]
    assert lines("abcdefghij", 4) == ["abcd", "efgh", "ij"]  # too long for a line: cut


def test_code_may_also_break_after_an_opening_bracket_or_a_comma():
    def lines(after: str) -> list[str]:
        return [line.plain for line in wrap(Text("print(value)"), 10, 2, after)]

    assert lines("") == ["print(valu", "  e)"]  # cut where it must be
    assert lines("([{,") == ["print(", "  value)"]
