"""The glyph font of `ipc-tui serve`'s page (fonts/glyphs.woff): DejaVu Sans Mono cut down to
the characters the app draws, so that a browser with no font of its own for `▶ → ✓ ⭘` draws
them anyway, with nothing fetched from outside. Run it again when the app draws a new one
(tests/serve/test_glyphs.py fails until then):

    pip install fonttools     # a tool for this script only, not a dependency of ipc-tui
    python -m ipc_tui.serve.make_glyphs           # collect, cut the font, say what it holds
    python -m ipc_tui.serve.make_glyphs --list    # only print what was collected

The characters come from two places. The sources (`drawn_in_sources`, cheap: the test uses it):
every non-ASCII character in the package's Python and .tcss files, the built-in scenarios'
programs (the Code pane) and their English lessons. The screens (`drawn_on_screens`): the app
run headless on every built-in scenario at 80x24 and 120x40, at its start, run free to its end
and with the timeline, then the picker, the help screen, the command palette and the Explore
pane and a toast, each screen read back as text: what Textual's own widgets draw (the header's
`⭘`, the footer's separators) is there too, and every scrollbar's bars (one at each position).
Chinese is left out: a Chinese lesson needs a CJK font on the browser's machine (README, In a
browser).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import struct
import subprocess
import sys
import unicodedata
import zlib
from pathlib import Path

import ipc_tui
from ipc_tui.engine.lesson_file import read_lesson
from ipc_tui.engine.loader import builtin_dir

FONTS = Path(__file__).resolve().parent / "fonts"
GLYPHS = FONTS / "glyphs.woff"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
SIZES = ((80, 24), (120, 40))
# What DejaVu Sans Mono has no glyph for, drawn with one of its own that looks alike: the
# header's icon (Textual's Header) and the command palette's (2 cells wide: drawn in the first).
ALIASES = {"⭘": "◯", "🔎": "⌕"}
# Chinese, Japanese and Korean: left to the browser's machine's own CJK font.
CJK = (
    (0x1100, 0x11FF),
    (0x2E80, 0xA4CF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
    (0x20000, 0x3FFFF),
)


def drawable(char: str) -> bool:
    """A character the font must draw: not ASCII, not CJK, not a control or format one."""
    point = ord(char)
    if point < 0x80 or any(low <= point <= high for low, high in CJK):
        return False
    return unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


def drawn_in_sources() -> set[str]:
    """Every drawable character in the package's sources and the built-in scenarios' English."""
    package = Path(ipc_tui.__file__).resolve().parent
    here = Path(__file__).resolve()  # (whose ALIASES are not drawn)
    texts = [p.read_text(encoding="utf-8") for p in sorted(package.rglob("*.py")) if p != here]
    texts += [p.read_text(encoding="utf-8") for p in sorted(package.rglob("*.tcss"))]
    scenarios = builtin_dir()
    texts += [p.read_text(encoding="utf-8") for p in sorted(scenarios.rglob("*.py"))]
    for path in sorted(scenarios.glob("*.md")):
        lesson = read_lesson(path)
        texts += [lesson.title, lesson.lesson]
    return {char for text in texts for char in text if drawable(char)}


def drawn_on_screens() -> set[str]:
    """Every drawable character on the app's screens, run headless (see the module's doc)."""
    from textual.scrollbar import ScrollBarRender

    from ipc_tui.engine import start_helpers

    start_helpers()
    bars = {*ScrollBarRender.VERTICAL_BARS, *ScrollBarRender.HORIZONTAL_BARS}
    return {char for char in asyncio.run(_screens()) | bars if drawable(char)}


async def _screens() -> set[str]:
    from ipc_tui.engine import list_scenarios, open_session
    from ipc_tui.tui.app import IpcApp

    seen: set[str] = set()
    for size in SIZES:
        app = IpcApp(None)  # the picker
        async with app.run_test(size=size, notifications=True) as pilot:
            await pilot.pause(0.3)
            seen |= _drawn(app)
            await pilot.press("l", "o", "c", "k")  # (a filter typed)
            await pilot.pause(0.2)
            seen |= _drawn(app)
        for info in list_scenarios():
            app = IpcApp(open_session(info, quick=True, summary=True))
            try:
                async with app.run_test(size=size, notifications=True) as pilot:
                    await asyncio.to_thread(app.session.wait_started, 15)
                    seen |= await _settled(pilot, app)
                    await pilot.press("t")  # the timeline
                    seen |= await _settled(pilot, app)
                    await pilot.press("t", "f")  # run free, to the end and its verdict
                    await asyncio.to_thread(app.session.wait_exited, 30)
                    seen |= await _settled(pilot, app)
                    if info.name == "deadlock":
                        seen |= await _others(pilot, app)
            finally:
                app.close_session()
    return seen


async def _others(pilot, app) -> set[str]:
    """The help screen, the command palette and the Explore pane, over a finished run."""
    from ipc_tui.tui.explore import ExploreScreen

    seen: set[str] = set()
    await pilot.press("question_mark")
    seen |= await _settled(pilot, app)
    await pilot.press("escape", "ctrl+p")
    seen |= await _settled(pilot, app)
    await pilot.press("escape")
    app.notify("a toast", title="Saved", severity="warning")
    seen |= await _settled(pilot, app)
    await pilot.press("r")
    await asyncio.to_thread(app.session.wait_started, 15)
    await _settled(pilot, app)
    await pilot.press("e")
    screen = app.screen
    if isinstance(screen, ExploreScreen):
        for _ in range(600):  # (60 s at most)
            if screen.exploration.latest.ended and screen._shown is screen.exploration.latest:
                break
            await pilot.pause(0.1)
            app.sample()
        seen |= await _settled(pilot, app)
        await pilot.press("down")
        seen |= await _settled(pilot, app)
    return seen


async def _settled(pilot, app) -> set[str]:
    await asyncio.to_thread(app.session.wait_settled, 10)
    app.sample()
    await pilot.pause(0.2)
    return _drawn(app)


def _drawn(app) -> set[str]:
    """The characters on the screen as drawn (toasts and modal screens included)."""
    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True)
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return set(console.export_text())


def characters_in(font: Path) -> set[str]:
    """The characters `font` (TrueType/OpenType, or WOFF) has a glyph for: its cmap's Unicode
    subtables (formats 4 and 12), read without fontTools (not a dependency of ipc-tui)."""
    data = font.read_bytes()
    if data[:4] == b"wOFF":
        (count,) = struct.unpack(">H", data[12:14])
        for k in range(count):
            tag, offset, length, original, _ = struct.unpack(
                ">4sIIII", data[44 + 20 * k : 64 + 20 * k]
            )
            if tag == b"cmap":
                table = data[offset : offset + length]
                cmap = zlib.decompress(table) if length < original else table
                break
        else:
            raise ValueError(f"{font}: no cmap")
    else:
        (count,) = struct.unpack(">H", data[4:6])
        tables = {
            data[12 + 16 * k : 16 + 16 * k]: struct.unpack(">II", data[20 + 16 * k : 28 + 16 * k])
            for k in range(count)
        }
        offset, length = tables[b"cmap"]
        cmap = data[offset : offset + length]
    points: set[int] = set()
    (subtables,) = struct.unpack(">H", cmap[2:4])
    for k in range(subtables):
        platform, encoding, at = struct.unpack(">HHI", cmap[4 + 8 * k : 12 + 8 * k])
        if (platform, encoding) not in ((0, 3), (0, 4), (3, 1), (3, 10)):
            continue
        (form,) = struct.unpack(">H", cmap[at : at + 2])
        if form == 4:
            (doubled,) = struct.unpack(">H", cmap[at + 6 : at + 8])
            n = doubled // 2
            ends = struct.unpack(f">{n}H", cmap[at + 14 : at + 14 + doubled])
            starts = struct.unpack(f">{n}H", cmap[at + 16 + doubled : at + 16 + 2 * doubled])
            deltas = struct.unpack(f">{n}h", cmap[at + 16 + 2 * doubled : at + 16 + 3 * doubled])
            ranges_at = at + 16 + 3 * doubled
            ranges = struct.unpack(f">{n}H", cmap[ranges_at : ranges_at + doubled])
            for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
                for point in range(start, end + 1):
                    if ranges[i]:
                        where = ranges_at + 2 * i + ranges[i] + 2 * (point - start)
                        (glyph,) = struct.unpack(">H", cmap[where : where + 2])
                        glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
                    else:
                        glyph = (point + deltas[i]) & 0xFFFF
                    if glyph:
                        points.add(point)
        elif form == 12:
            (groups,) = struct.unpack(">I", cmap[at + 12 : at + 16])
            for g in range(groups):
                start, end, _ = struct.unpack(">III", cmap[at + 16 + 12 * g : at + 28 + 12 * g])
                points.update(range(start, end + 1))
    points.discard(0xFFFF)
    return {chr(p) for p in points}


def make_font(chars: set[str], source: Path = DEJAVU, out: Path = GLYPHS) -> None:
    """Cut `source` down to `chars` with fontTools' pyftsubset: WOFF (zlib, so that the test
    reads its cmap with the standard library), no hinting, no layout features; then map each
    of ALIASES to its look-alike's glyph."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    kept = (chars - ALIASES.keys()) | {ALIASES[c] for c in chars & ALIASES.keys()}
    unicodes = ",".join(f"U+{ord(c):04X}" for c in sorted(kept))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "fontTools.subset",
            str(source),
            f"--unicodes={unicodes}",
            f"--output-file={out}",
            "--flavor=woff",
            "--layout-features=",
            "--no-hinting",
            "--desubroutinize",
            "--notdef-outline",
        ],
        check=True,
    )
    font = TTFont(out)
    mapping = font.getBestCmap()
    mapping.update({ord(c): mapping[ord(ALIASES[c])] for c in chars & ALIASES.keys()})
    tables = []  # Windows' Unicode subtables: BMP (format 4) and all (12), what browsers read
    for form, encoding, points in (
        (4, 1, {p: g for p, g in mapping.items() if p <= 0xFFFF}),
        (12, 10, mapping),
    ):
        table = CmapSubtable.newSubtable(form)
        table.platformID, table.platEncID, table.language, table.cmap = 3, encoding, 0, points
        tables.append(table)
    font["cmap"].tables = tables
    font.save(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="only print what was collected")
    args = parser.parse_args()
    sources = drawn_in_sources()
    screens = drawn_on_screens()
    wanted = sources | screens
    if args.list:
        print("".join(sorted(wanted)))
        return 0
    lacking = wanted - characters_in(DEJAVU) - ALIASES.keys()
    if lacking:
        print(f"not in {DEJAVU.name}: {''.join(sorted(lacking))}", file=sys.stderr)
        return 1
    make_font(wanted)
    from textual_serve import __file__ as served

    roboto = Path(served).parent / "static/fonts/RobotoMono-VariableFont_wght.ttf"
    size = GLYPHS.stat().st_size / 1024
    print(f"{GLYPHS}: {len(wanted)} characters drawn, {size:.1f} KB")
    print(f"  in its cmap: {len(characters_in(GLYPHS))} (ALIASES' look-alikes are there too)")
    print(f"  from the sources: {len(sources)}; only on the screens: {len(screens - sources)}")
    print(f"  only on the screens: {''.join(sorted(screens - sources))}")
    print(f"  not in Roboto Mono: {''.join(sorted(wanted - characters_in(roboto)))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
