"""The glyphs the app draws are in the fonts the page gets from the server (ipc_tui/serve/fonts,
made by make_glyphs.py): none is left to the browser's machine, which may have no font for it."""

from __future__ import annotations

from ipc_tui.serve.make_glyphs import GLYPHS, characters_in, drawn_in_sources
from tests.serve.browser import wait_screen

# Each character of the glyph font in a span of its own, in the terminal's own font stack, as
# xterm.js draws it: regular and bold.
PROBES = """
const [chars, size] = arguments;
const t = window.ipcTerminal, family = t.options.fontFamily;
chars.forEach((char, k) => {
  for (const weight of [t.options.fontWeight, t.options.fontWeightBold]) {
    const span = document.createElement("span");
    span.id = `glyph-${weight}-${k}`;
    span.style.font = `${weight} ${size}px ${family}`;
    span.textContent = char;
    document.body.appendChild(span);
  }
});
return [family, t.options.fontWeight, t.options.fontWeightBold];
"""


def test_every_character_in_the_sources_is_in_the_glyph_font():
    missing = drawn_in_sources() - characters_in(GLYPHS)
    assert not missing, (
        f"not in {GLYPHS.name}: {''.join(sorted(missing))} "
        "(make it again: pip install fonttools; python -m ipc_tui.serve.make_glyphs)"
    )


def test_the_page_draws_each_glyph_in_a_font_from_the_server(serve, browser):
    served = serve()
    browser.get(served.url)
    wait_screen(browser, r"lock-contention +Lock contention")  # the terminal is open
    fetched = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert f"{served.url}fonts/glyphs.woff" in fetched, fetched
    faces = browser.execute_script(
        "return [...document.fonts].map(f => [f.family, f.style, f.status])"
    )
    assert faces.count(["Roboto Mono", "normal", "loaded"]) == 2, faces  # the glyphs', Roboto's
    assert browser.execute_script("return document.fonts.check('16px \"Roboto Mono\"', '▶⭘✓')")

    chars = sorted(characters_in(GLYPHS))
    family, *weights = browser.execute_script(PROBES, chars, 16)
    assert family.startswith("'Roboto Mono'"), family  # (textual-serve's bundle says so)
    browser.execute_cdp_cmd("DOM.enable", {})
    browser.execute_cdp_cmd("CSS.enable", {})
    root = browser.execute_cdp_cmd("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    drawn = {}  # character: the fonts Chromium drew it in, and whether each is a web font
    for k, char in enumerate(chars):
        drawn[char] = set()
        for weight in weights:
            node = browser.execute_cdp_cmd(
                "DOM.querySelector", {"nodeId": root, "selector": f"#glyph-{weight}-{k}"}
            )["nodeId"]
            fonts = browser.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node})
            drawn[char] |= {(f["familyName"], f["isCustomFont"]) for f in fonts["fonts"]}
    from_elsewhere = {c: f for c, f in drawn.items() if any(not web for _, web in f)}
    assert not from_elsewhere, from_elsewhere  # a font of this machine's, not the server's
    # Roboto Mono draws what it has; the glyph font the rest.
    roboto = {c for c, f in drawn.items() if f == {("Roboto Mono", True)}}
    dejavu = {c for c, f in drawn.items() if f == {("DejaVu Sans Mono", True)}}
    assert roboto | dejavu == set(chars), drawn
    assert {"µ", "—", "…"} <= roboto and {"▶", "→", "✓", "⭘", "🔎"} <= dejavu, drawn
