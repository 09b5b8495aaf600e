"""The key bar at the bottom: Textual's Footer, without the memory its rebuilds leave behind."""

from __future__ import annotations

from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

# Keys left out of the bar on a narrow screen (app.tcss), so that `? Help` and `q Quit` stay
# in it: they are in the help and the command palette.
OPTIONAL = {"app.switch_mode", "app.toggle_timeline", "app.picker"}
# Keys in the bar only on a roomy screen (130 columns: at 120, `q Quit` would be cut off)
ROOMY = {"app.explore"}


class Footer(TextualFooter):
    """Textual's Footer rebuilds its keys whenever the screen's bindings change (each time the
    help opens or closes, for one), and each old key stays referenced by a watcher on the
    Footer itself (Textualize/textual#6666, open in the Textual we pin): about 0.2 MB a
    rebuild, 15 MB after a minute of pressing `?`. The watchers of keys that are gone are
    dropped after each rebuild. (`__watchers` and `_closing` are Textual's own: a test in
    tests/tui/test_app.py opens the help many times and counts the keys still alive.)"""

    def compose(self):
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.action in OPTIONAL:
                widget.add_class("-optional")
            if isinstance(widget, FooterKey) and widget.action in ROOMY:
                widget.add_class("-roomy")
            yield widget

    async def recompose(self) -> None:
        await super().recompose()
        for entries in getattr(self, "__watchers", {}).values():
            entries[:] = [(node, callback) for node, callback in entries if not node._closing]
