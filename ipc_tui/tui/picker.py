"""The scenario picker: every built-in scenario, by name and title, filtered as you type."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Input, OptionList
from textual.widgets.option_list import Option

from ipc_tui.engine import ScenarioInfo
from ipc_tui.tui.footer import Footer


def matches(info: ScenarioInfo, words: str, lang: str) -> bool:
    """Every word typed is in the scenario's name or title (either language), in any case."""
    text = " ".join((info.name, info.text(lang)[0], info.title, info.title_zh or "")).lower()
    return all(word in text for word in words.lower().split())


def rank(info: ScenarioInfo, words: str) -> int:
    """Names that start with what was typed first, then names that hold it, then titles."""
    first = (words.lower().split() or [""])[0]
    return 0 if info.name.startswith(first) else 1 if first in info.name else 2


class PickerScreen(Screen[ScenarioInfo | None]):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+q", "app.quit", "Quit"),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("pagedown", "move(5)", show=False),
        Binding("pageup", "move(-5)", show=False),
    ]

    def __init__(
        self, scenarios: list[ScenarioInfo], current: str | None = None, lang: str = "en"
    ) -> None:
        super().__init__()
        self.scenarios = scenarios
        self.current = current
        self.lang = lang
        self.shown: list[ScenarioInfo] = list(scenarios)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="type to filter (name or title) · escape: back · ctrl+q: quit",
            id="picker-filter",
        )
        yield OptionList(*self._options(), id="picker")
        yield Footer()

    def _options(self) -> list[Option]:
        return [
            Option(f"{info.name:<20} {info.text(self.lang)[0]}", id=info.name)
            for info in self.shown
        ]

    def on_mount(self) -> None:
        self.title = "ipc-tui"
        self.sub_title = "pick a scenario: type to filter, ↑↓, enter"
        picker = self.query_one(OptionList)
        picker.border_title = "Scenarios"
        names = [info.name for info in self.scenarios]
        picker.highlighted = names.index(self.current) if self.current in names else 0
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        found = [i for i in self.scenarios if matches(i, event.value, self.lang)]
        self.shown = sorted(found, key=lambda info: rank(info, event.value))
        picker = self.query_one(OptionList)
        picker.clear_options()
        picker.add_options(self._options())
        picker.highlighted = 0 if self.shown else None
        picker.border_title = (
            f"Scenarios: {len(self.shown)} of {len(self.scenarios)}" if event.value else "Scenarios"
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        picker = self.query_one(OptionList)
        if picker.highlighted is not None and self.shown:
            self.dismiss(self.shown[picker.highlighted])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(next(i for i in self.scenarios if i.name == event.option.id))

    def action_move(self, rows: int) -> None:
        picker = self.query_one(OptionList)
        if self.shown:
            at = rows if picker.highlighted is None else picker.highlighted + rows
            picker.highlighted = max(0, min(len(self.shown) - 1, at))

    def action_back(self) -> None:
        """escape: first clear what was typed, then go back."""
        typed = self.query_one(Input)
        if typed.value:
            typed.value = ""
        else:
            self.dismiss(None)
