"""The step-through page in the reader's colour scheme and in a short window, measured in Chromium.

Dark: with ``prefers-color-scheme: dark`` (the system's or the browser's setting, emulated through
the DevTools ``Emulation.setEmulatedMedia`` command) or inside a notebook whose theme declares
``color-scheme: dark`` (JupyterLab 4.2 and later), the page and its drawing turn dark, and every
text, the drawing's too, keeps WCAG AA contrast (4.5:1) with what is behind it, the highlighted
step included. Short: at 200% zoom on a 1366×768 laptop (683×384 CSS px) and on a phone held
sideways the drawing gets most of the height, the trace its numbers whole. Every wait is on a state
of the page, never on time.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from test_browser import KEY, SEEN, errors, frame_is, low_contrast, seen_in_every_frame
from test_browser import page221 as page221  # noqa: F401  (the 2-2-1 page, a fixture)
from test_page_layout import VIEWPORTS, open_in
from test_page_layout import mlp_page as mlp_page  # noqa: F401  (a 2-4-1 MLP's page, a fixture)

from autograd.visual import draw, label, page

DARK = [{"name": "prefers-color-scheme", "value": "dark"}]
# what the reader sees behind the page and behind the drawing, the highlighted node's fill, and the
# fill of a node of its kind that is not highlighted
SCHEME = """
const bg = (el) => getComputedStyle(el).backgroundColor;
const active = document.querySelector('g.node.active > polygon');
const kind = active && active.getAttribute('fill');
const other = [...document.querySelectorAll('g.node:not(.active):not(.near) > polygon:first-of-type')]
  .find((p) => p.getAttribute('fill') === kind);
return {page: bg(document.documentElement), view: bg(document.getElementById('view')),
  graph: getComputedStyle(document.querySelector('#view svg g.graph > polygon')).fill,
  active: active && getComputedStyle(active).fill, own: other && getComputedStyle(other).fill,
  dark: matchMedia('(prefers-color-scheme: dark)').matches};
"""


def luminance(css: str) -> float:
    """WCAG's relative luminance of a CSS ``rgb(...)`` colour."""
    channels = [int(v) / 255 for v in re.findall(r"\d+", css)[:3]]
    linear = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


GOTO = """const press = (key) => document.dispatchEvent(new KeyboardEvent('keydown', {key}));
press('Home');
for (let j = 0; j < arguments[0]; j++) press('ArrowRight');"""


def frames_to_judge(n: int) -> list[int]:
    """The first frame (values grey), the middle one, and the last three (greys on the
    highlighted node and on the current trace row)."""
    return [0, n // 2, n - 3, n - 2, n - 1]


@pytest.fixture
def dark_system(browser: Any) -> Any:
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": DARK})
    yield browser
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


@pytest.mark.parametrize("viewport", ["1366x768", "phone390x844", "zoom200-1366x768"])
@pytest.mark.parametrize("which", ["page221", "mlp_page"])
def test_the_page_follows_a_dark_system_at_wcag_aa(
    dark_system: Any, request: pytest.FixtureRequest, which: str, viewport: str
) -> None:
    """With the system dark the page, the drawing's background and the highlighted node are dark
    (luminance below 0.05; they were white and light amber), the highlighted node still filled
    unlike the other nodes of its kind, and every visible text, HTML and SVG, has at least 4.5:1
    with what is behind it in five frames, the highlighted step included."""
    browser = dark_system
    path, st = request.getfixturevalue(which)[:2]
    open_in(browser, path.as_uri(), viewport)
    frame_is(browser, 0)
    for k in frames_to_judge(len(st.frames)):
        browser.execute_script(GOTO, k)
        frame_is(browser, k)
        s = browser.execute_script(SCHEME)
        assert s["dark"] and all(luminance(s[part]) < 0.05 for part in ("page", "view", "graph", "active")), s
        assert s["own"] and s["active"] != s["own"], s  # the step's node stands out from its kind
        assert low_contrast(browser) == [], (viewport, k)
    assert errors(browser) == []


def test_the_page_stays_light_on_a_light_system(browser: Any, page221: Any) -> None:
    """The check above can fail: on a light system the same page is white (and still at AA)."""
    path, st, _ = page221
    open_in(browser, path.as_uri(), "1366x768")
    frame_is(browser, 0)
    s = browser.execute_script(SCHEME)
    assert not s["dark"] and all(luminance(s[part]) > 0.9 for part in ("page", "view", "graph")), s
    assert (
        luminance(s["active"]) > 0.6 and s["own"] and s["active"] != s["own"] and low_contrast(browser) == []
    )


NOTEBOOK = (
    "<html><body style='background:{bg};color-scheme:{scheme}'><p>a notebook cell</p>{cell}</body></html>"
)


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_in_a_notebook_the_page_follows_the_notebooks_theme(
    browser: Any, page221: Any, tmp_path: Path, scheme: str
) -> None:
    """JupyterLab (4.2 and later) declares its theme as the CSS ``color-scheme`` of its body; the
    page in its sandboxed frame follows it (Chromium gives a frame its embedder's scheme once the
    frame has loaded), on a light system too."""
    _, st, _ = page221
    cell = tmp_path / "cell.html"
    bg = "#111" if scheme == "dark" else "#fff"
    cell.write_text(NOTEBOOK.format(bg=bg, scheme=scheme, cell=st._repr_html_()), encoding="utf-8")
    open_in(browser, cell.as_uri(), "1366x768")
    browser.switch_to.frame(browser.find_element("tag name", "iframe"))
    try:
        frame_is(browser, 0)
        browser.execute_script(KEY, "End")
        frame_is(browser, len(st.frames) - 1)
        s = browser.execute_script(SCHEME)
        assert s["dark"] == (scheme == "dark"), s
        assert (luminance(s["page"]) < 0.05) == (scheme == "dark"), s
        assert low_contrast(browser) == []
    finally:
        browser.switch_to.default_content()
    assert errors(browser) == []


def test_every_colour_of_the_drawing_has_its_dark_one() -> None:
    """Each colour Graphviz writes into the drawing (label.py's fills and inks, draw.py's
    arrows, borders and notes) is matched by an attribute rule in the page's dark block, so a new
    light colour cannot stay light (and unreadable) in the dark page."""
    css = page.asset("steps.css")
    dark = css[css.index("@media (prefers-color-scheme: dark)") :]
    source = "".join(Path(m.__file__).read_text(encoding="utf-8") for m in (draw, label))
    used = set(re.findall(r'"(#[0-9a-fA-F]{6})"', source)) - {"#000000"}
    overridden = set(re.findall(r'#view svg \[(?:fill|stroke)="(#[0-9a-fA-F]{6})"\]', dark))
    assert used and used - overridden == set(), sorted(used - overridden)
    assert '[fill="#000000"]' in dark and '[stroke="black"]' in dark and 'polygon[fill="white"]' in dark


SHORT = {"zoom200-1366x768": VIEWPORTS["zoom200-1366x768"], "phone-sideways844x390": (844, 390, 3, True)}
ROOM = """const v = document.getElementById('view').getBoundingClientRect();
const side = document.getElementById('side');
return [v.height / innerHeight, side.scrollWidth - side.clientWidth]"""


@pytest.mark.parametrize("viewport", SHORT)
@pytest.mark.parametrize("which", ["page221", "mlp_page"])
def test_a_short_window_gives_the_drawing_the_height(
    browser: Any, request: pytest.FixtureRequest, which: str, viewport: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 683×384 (200% zoom on a 1366×768 laptop) the drawing had 162 of 384 px (42%) with the
    trace stacked below it; now the trace sits beside it and the drawing has at least 60% of the
    height. The trace's numbers stay whole (no sideways scrolling in its panel), and in every
    frame the active node is whole in the drawing's view."""
    monkeypatch.setitem(VIEWPORTS, viewport, SHORT[viewport])
    path, st = request.getfixturevalue(which)[:2]
    open_in(browser, path.as_uri(), viewport)
    frame_is(browser, 0)
    share, sideways = browser.execute_script(ROOM)
    assert share >= 0.6 and sideways <= 0, (share, sideways)
    for k, s in enumerate(seen_in_every_frame(browser, st)):
        assert s["activeInView"] and s["sideways"] <= 0 and not s["stacked"], (k, s["caption"][:50])
    assert browser.execute_script(SEEN)["frame"] == str(len(st.frames) - 1) and errors(browser) == []
