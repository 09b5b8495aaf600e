"""Redrawing a pane's text at 20 frames a second without redoing the screen's layout."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


def show_text(widget: Static, text: Text) -> None:
    """Show `text` in `widget` if it is new. The layout is redone only when the number of lines
    changes: running free, panes change every frame, and a layout pass each time was a large
    part of every frame (our panes do not wrap, so their lines are their height)."""
    old = widget.content
    if text == old:
        return  # an idle app stays idle
    same = isinstance(old, Text) and old.plain.count("\n") == text.plain.count("\n")
    widget.update(text, layout=not same)
