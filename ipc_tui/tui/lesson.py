"""The Lesson pane: the scenario's own explanation, so the app doubles as the lesson."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Markdown

from ipc_tui.engine import ScenarioInfo


class LessonPane(VerticalScroll):
    def __init__(self) -> None:
        super().__init__(id="lesson", classes="pane")
        self.border_title = "Lesson"
        self.markdown = Markdown()

    def compose(self):
        yield self.markdown

    def load(self, info: ScenarioInfo, lang: str = "en") -> None:
        title, lesson = info.text(lang)
        self.markdown.update(f"**{title}**\n\n{lesson}")
