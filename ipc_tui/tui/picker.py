"""The scenario picker: every built-in scenario, by name and title."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, OptionList
from textual.widgets.option_list import Option

from ipc_tui.engine import ScenarioInfo
from ipc_tui.tui.footer import Footer


class PickerScreen(Screen[ScenarioInfo | None]):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(
        self, scenarios: list[ScenarioInfo], current: str | None = None, lang: str = "en"
    ) -> None:
        super().__init__()
        self.scenarios = scenarios
        self.current = current
        self.lang = lang

    def compose(self) -> ComposeResult:
        yield Header()
        options = [
            Option(f"{info.name:<20} {info.text(self.lang)[0]}", id=info.name)
            for info in self.scenarios
        ]
        yield OptionList(*options, id="picker")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "ipc-tui"
        self.sub_title = "pick a scenario (enter)"
        picker = self.query_one(OptionList)
        picker.border_title = "Scenarios"
        names = [info.name for info in self.scenarios]
        if self.current in names:
            picker.highlighted = names.index(self.current)
        picker.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(next(i for i in self.scenarios if i.name == event.option.id))

    def action_back(self) -> None:
        self.dismiss(None)
