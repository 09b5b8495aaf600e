"""What is on the screen, as a student sees it: the app's last frame as text."""

from __future__ import annotations

import asyncio
import io

from rich.cells import cell_len
from rich.console import Console
from textual.widget import Widget


def screen_lines(app) -> list[str]:
    """Every row of the screen as drawn (toasts and modal screens included)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True)
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text().splitlines()


def drawn_in(app, widget: Widget) -> str:
    """The text drawn where `widget`'s content is visible on the screen (its rows, cut to its
    columns, without its border, padding and scrollbars), one line a row; empty if it is not
    visible at all."""
    try:
        geometry = app.screen.find_widget(widget)
    except Exception:  # not on the screen (hidden, or another screen is on top)
        return ""
    region = widget.scrollable_content_region.intersection(geometry.clip)
    rows = screen_lines(app)[region.y : region.bottom]
    return "\n".join(cut(row, region.x, region.right) for row in rows)


def cut(row: str, start: int, end: int) -> str:
    """The characters of `row` in cells `start` to `end` (a Chinese character is two cells)."""
    out, at = [], 0
    for char in row:
        if start <= at < end:
            out.append(char)
        at += cell_len(char)
    return "".join(out)


SIDES = str.maketrans("│┃▌▐", "    ")  # the sides of panes and toasts, drawn on every row


def flat(text: str) -> str:
    """Text with every run of whitespace (line ends included) made one space, without the sides
    of boxes: what wrapped across rows reads as one line again."""
    return " ".join(text.translate(SIDES).split())


def shows(app, text: str, widget: Widget | None = None, spaces: bool = True) -> bool:
    """True if `text` is on the screen, in `widget` or in any widget: on one row, or wrapped
    over the widget's rows (`spaces=False`: wrapped where there was no space, as code is)."""
    widgets = [widget] if widget is not None else list(app.screen.query("*"))
    if not spaces:
        packed = flat(text).replace(" ", "")
        return any(packed in flat(drawn_in(app, w)).replace(" ", "") for w in widgets)
    return any(flat(text) in flat(drawn_in(app, w)) for w in widgets)


async def settled(pilot, app) -> None:
    """Wait (bounded) until the session has settled, then draw what it shows now."""
    assert await asyncio.to_thread(app.session.wait_settled, 10)
    app.sample()
    await pilot.pause()
