"""Lines of a given width, broken where English and Chinese are both read well: at spaces, and
between two Chinese characters (never before a closing mark such as `,` or `)`, nor after an
opening one). Textual breaks only at spaces, so a run of Chinese without one went to the next
line whole and left the line before it half empty."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

# Marks that belong to the character before them (closing) or after them (opening), ASCII and
# full-width: "，。：；！？、）」』》…" and "（「『《"
CLOSING = frozenset(
    ",.:;!?)]}%\u201d\uff0c\u3002\uff1a\uff1b\uff01\uff1f\u3001\uff09\u300d\u300f\u300b\u2026"
)
OPENING = frozenset("([{\u201c\uff08\u300c\u300e\u300a")


def wide(char: str) -> bool:
    """A character two cells wide: Chinese, and its full-width marks."""
    return cell_len(char) == 2


def may_start_line(s: str, i: int, after: frozenset[str] = frozenset()) -> bool:
    """May a line begin at s[i] (after s[i - 1])? Also after any of the marks in `after`."""
    before, here = s[i - 1], s[i]
    if here == " ":
        return False
    if before == " " or (before in after and here not in CLOSING):
        return True
    if here in CLOSING or before in OPENING:
        return False
    return wide(before) or wide(here)


def line_starts(
    s: str, width: int, hang: int = 0, after: frozenset[str] = frozenset()
) -> list[int]:
    """Where each line after the first begins, so that each fits `width` cells (the lines
    after the first: `width - hang`). A line breaks after a mark in `after` only when it has
    no other place to; a word longer than a line is cut where it must be."""
    indent = len(s) - len(s.lstrip(" "))  # (a line never breaks inside its indentation)

    def last_break(begin: int, end: int) -> int | None:
        """The last place after `begin`, up to `end`, where a line may begin: best at a space
        or between Chinese characters, else after a mark in `after`."""
        for marks in (frozenset(), after):
            for j in range(end, max(begin, indent), -1):
                if may_start_line(s, j, marks):
                    return j
        return None

    starts: list[int] = []
    start, used, room = 0, 0, width
    for i, char in enumerate(s):
        size = cell_len(char)
        if used + size > room and char != " " and i > start:
            start = last_break(start, i) or i
            starts.append(start)
            room = max(1, width - hang)
            used = cell_len(s[start:i])
        used += size
    return starts


def wrap(text: Text, width: int, hang: int = 0, after: str = "") -> list[Text]:
    """`text` (one paragraph) as lines of at most `width` cells; the lines after the first are
    indented by `hang` spaces. Spaces where a line breaks are dropped; a line may also break
    after any mark in `after` (code: after an opening bracket or a comma)."""
    starts = line_starts(text.plain, width, hang, frozenset(after))
    lines = text.divide(starts) if starts else [text.copy()]
    out = []
    for k, line in enumerate(lines):
        line.rstrip()
        if k and hang:
            line = Text(" " * hang) + line
        out.append(line)
    return out
