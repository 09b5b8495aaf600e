"""The command palette (ctrl+p): every scenario and every action."""

from __future__ import annotations

from functools import partial

from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider

from ipc_tui.engine import list_scenarios

ACTIONS = [
    ("Play / pause", "play_pause"),
    ("Step the next ready worker", "step_next"),
    ("Run free", "run_free"),
    ("Play faster", "faster"),
    ("Play slower", "slower"),
    ("Kill a worker's process (then its number)", "arm_kill"),
    ("Restart the scenario", "restart"),
    ("Explore: every outcome of the program, each with its schedule", "explore"),
    ("Switch threads / processes", "switch_mode"),
    ("Next variant (e.g. the fix)", "next_variant"),
    ("Trace / timeline", "toggle_timeline"),
    ("Show / hide the bytecode of each worker's line", "toggle_bytecode"),
    ("Step by bytecode instructions / by operations", "toggle_grain"),
    ("Show / hide the lesson", "toggle_lesson"),
    ("Previous scenario", "prev_scenario"),
    ("Next scenario", "next_scenario"),
    ("Scenario picker", "picker"),
    ("Save the run so far as a recording (--replay opens it)", "save_run"),
    ("Save the screen as an SVG picture", "save_picture"),
    ("Help: the keys", "help"),
    ("Quit", "quit"),
]


class IpcCommands(Provider):
    def _commands(self):
        for info in list_scenarios():
            yield (f"Open scenario: {info.name}", partial(self.app.open_scenario, info), info.title)
        for label, action in ACTIONS:
            yield (label, partial(self.app.run_action, action), None)

    async def discover(self) -> Hits:
        for label, callback, help_text in self._commands():
            yield DiscoveryHit(label, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, callback, help_text in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), callback, help=help_text)


class Palette(CommandPalette):
    """Textual's command palette, minus one crash: a page key typed the moment it opens (in one
    burst with ctrl+p) pages an option list not laid out yet, and Textual 8.2.8 raises KeyError
    (found by tests/tui/test_keys.py). Then the key does nothing, as it would on an empty list."""

    def _action_command_list(self, action: str) -> None:
        try:
            super()._action_command_list(action)
        except KeyError:
            pass
