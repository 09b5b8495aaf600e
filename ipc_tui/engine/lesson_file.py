"""A built-in scenario's lesson, beside its program: `NAME.md` next to `NAME.py`.

The program is what a student would write and runs under plain `python`; what is not code
lives here, so that the Code pane shows only the program:

    # Shared Value: each write replaces the last
    modes: process, thread
    variants: deadlock, fixed
    timeout: 10
    watched: no

    The lesson, in English (what to try, what to watch, why) ...

    ## 中文

    共享内存 Value:每次写入都覆盖上一次

    课文 ...

The first line is the title. The settings come next, one a line, all optional: `modes` (how
the program is written first; the other one swaps `Process` and `Thread`: `m`, `--mode`),
`variants` (given to the program as its first argument: `python NAME.py fixed`), `timeout`
(seconds a headless run may take), `watched: no` (a program that measures: it runs as plain
`python` runs it, unhooked, as one step of its main thread; its printed tables fill the Results
pane, and the header says it is not watched), or `watched: only picture` (such a program
whose variants named there run watched, stepped: `python ipc-compare.py picture`),
`threads: threads/NAME.py` (the program its thread mode runs instead of this one with Process
and Thread swapped: written with threads and plain global variables, as the notes teach
threads). Then the lesson; after `## 中文`, the title and
the lesson in Simplified Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ipc_tui.engine.errors import ScenarioError

SWAPS = ("process", "thread")
SETTINGS = ("modes", "variants", "timeout", "watched", "threads")
ZH = "## 中文"


@dataclass(frozen=True)
class LessonFile:
    title: str
    lesson: str
    title_zh: str = ""
    lesson_zh: str = ""
    modes: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()
    timeout: float | None = None
    watched: bool = True
    watched_variants: tuple[str, ...] = ()  # `watched: only v1, v2`: those run watched
    threads: str = ""  # the program to run in thread mode, when it is written apart


def lesson_beside(program: Path) -> LessonFile | None:
    """The lesson file beside `program`, read; None when there is none."""
    path = program.with_suffix(".md")
    if not path.is_file():
        return None
    return read_lesson(path)


def read_lesson(path: Path) -> LessonFile:
    text = path.read_text(encoding="utf-8")
    english, _, chinese = text.partition(ZH)
    lines = english.strip().splitlines()
    if not lines or not lines[0].startswith("# "):
        raise ScenarioError(f"{path}:1: a lesson file begins with '# Title'")
    title = lines[0][2:].strip()
    settings: dict[str, str] = {}
    k = 1
    while k < len(lines):
        key, sep, value = lines[k].partition(":")
        if lines[k].strip() and not (sep and key.strip() in SETTINGS):
            break  # the lesson begins
        if sep:
            settings[key.strip()] = value.strip()
        k += 1
    lesson = "\n".join(lines[k:]).strip()
    zh = chinese.strip().splitlines()
    title_zh = zh[0].strip() if zh else ""
    lesson_zh = "\n".join(zh[1:]).strip()
    modes = tuple(m.strip() for m in settings.get("modes", "").split(",") if m.strip())
    if any(m not in SWAPS for m in modes):
        raise ScenarioError(f"{path}: modes are 'process' and 'thread'")
    variants = tuple(v.strip() for v in settings.get("variants", "").split(",") if v.strip())
    timeout = None
    if "timeout" in settings:
        try:
            timeout = float(settings["timeout"])
        except ValueError:
            raise ScenarioError(f"{path}: timeout is a number of seconds") from None
    watched = settings.get("watched", "yes").lower()
    only: tuple[str, ...] = ()
    if watched.startswith("only "):  # a measuring program whose variants named here step
        only = tuple(v.strip() for v in watched[5:].split(",") if v.strip())
        if not only or any(v not in variants for v in only):
            raise ScenarioError(f"{path}: watched: only names some of its variants")
        watched = "no"
    if watched not in ("yes", "no"):
        raise ScenarioError(f"{path}: watched is 'yes', 'no' or 'only' some variants")
    threads = settings.get("threads", "")
    if threads and not (path.parent / threads).is_file():
        raise ScenarioError(f"{path}: threads names a program that is not there: {threads}")
    return LessonFile(
        title,
        lesson,
        title_zh,
        lesson_zh,
        modes,
        variants,
        timeout,
        watched == "yes",
        only,
        threads,
    )
