"""Redrawing a pane's text at 20 frames a second without redoing the screen's layout."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.widgets import Static


def show_text(widget: Static, text: Text) -> None:
    """Show `text` in `widget` if it is new. The layout is redone only when the text's height
    (its lines, wrapped to the widget's width: a narrow screen wraps them) is not the one laid
    out: running free, panes change every frame, and a layout pass each time was a large part
    of every frame."""
    old = widget.content
    if text == old:
        return  # an idle app stays idle
    width, height = widget.content_size
    same = width > 0 and isinstance(old, Text) and height == text_height(widget, old, width)
    widget.update(text, layout=not (same and text_height(widget, text, width) == height))


def text_height(widget: Static, text: Text, width: int) -> int:
    return Content.from_rich_text(text).get_height(widget.styles, width)
