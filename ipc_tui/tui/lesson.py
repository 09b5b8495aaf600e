"""The Lesson pane: the keys that step the scenario's workers, then its own explanation, open
from the start, below the panes it speaks of. PgUp / PgDn scroll it, `l` hides it.

The text is laid out here rather than by Textual's Markdown, which breaks lines at spaces only
(a Chinese lesson left every line before a Latin word half empty): `code` and the title are
the only markup the lessons use."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from ipc_tui.engine import ScenarioInfo
from ipc_tui.tui.workers import first_key
from ipc_tui.tui.wrap import wide, wrap

CODE = "bold cyan"


def keys_line(names: list[str], lang: str = "en") -> Text:
    """Which key steps which worker: `Keys: 1 steps w0, 2 w1, 3 w2.` (a program's: `0 steps
    MainThread, 1 w0, ...`)"""
    verb = "单步" if lang == "zh" else "steps"
    first = first_key(names)
    parts = [
        f"{k} {verb} {name}" if k == first else f"{k} {name}"
        for k, name in enumerate(names[: 10 - first], first)
    ]
    text = Text("按键:" if lang == "zh" else "Keys: ", style="dim")
    text.append(("," if lang == "zh" else ", ").join(parts) + ("。" if lang == "zh" else "."))
    return text


def paragraph(source: str) -> Text:
    """One paragraph of a lesson: its lines joined (with no space between two Chinese
    characters), `code` shown as code."""
    lines = [line.strip() for line in source.splitlines() if line.strip()]
    joined = lines[0] if lines else ""
    for line in lines[1:]:
        joined += ("" if wide(joined[-1]) and wide(line[0]) else " ") + line
    text = Text()
    for k, part in enumerate(joined.split("`")):
        text.append(part, style=CODE if k % 2 else "")
    return text


class LessonPane(VerticalScroll):
    def __init__(self) -> None:
        super().__init__(id="lesson", classes="pane")
        self.border_title = "Lesson"
        self.text = Static(id="lesson-text", markup=False)
        self.lang = "en"
        self.title = Text()
        self.keys = Text()
        self.paragraphs: list[Text] = []
        self._names: list[str] = []
        self._width = 0

    def compose(self):
        yield self.text

    def load(self, info: ScenarioInfo, lang: str = "en") -> None:
        title, lesson = info.text(lang)
        self.lang = lang
        self.title = paragraph(title)
        self.title.stylize("bold")
        self.paragraphs = [paragraph(p) for p in lesson.split("\n\n") if p.strip()]
        self._names = []
        self._width = 0
        self.scroll_home(animate=False)

    def show_keys(self, names: list[str]) -> None:
        """The workers' names, in their rows' order (main() may add some as it runs)."""
        if names != self._names:
            self._names = names
            self.keys = keys_line(names, self.lang)
            self._width = 0
            self.draw()

    def draw(self) -> None:
        """Lay the lesson out for the pane's width (again only when that changed)."""
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._width:
            return
        self._width = width
        lines = [*wrap(self.keys, width), *wrap(self.title, width)]
        for text in self.paragraphs:
            lines += [Text(), *wrap(text, width)]
        self.text.update(Text("\n").join(lines))
        self.call_after_refresh(self._say_how_to_scroll)

    def _say_how_to_scroll(self) -> None:
        self.border_subtitle = "PgDn PgUp · l hides" if self.max_scroll_y else "l hides"

    def on_resize(self) -> None:
        self.draw()
