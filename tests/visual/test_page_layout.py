"""The step-through page as an outside reviewer measures it in Chromium, at a laptop's 1366×768 and
1280×720, at 1920×1080, on a phone (390×844) and at 200% browser zoom on a 1366×768 laptop (a
683×384 CSS px window at two device pixels per px): text sizes, no page scrolling, stepping that
never moves the panels, the keys written on the page and kept from typing, the focus ring, and
contrast with the system in dark mode. Every wait is on a state of the page, never on time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_browser import HEADER_CUT, KEY, SVG_TEXT_PX, errors, frame_is, low_contrast, until, value_mlp
from test_browser import page221 as page221  # noqa: F401  (the 2-2-1 page, a fixture)

from autograd import StepThrough, draw_graph
from autograd.visual import page

# (width, height, device pixels per CSS px, mobile)
VIEWPORTS = {
    "1366x768": (1366, 768, 1, False),
    "1280x720": (1280, 720, 1, False),
    "1920x1080": (1920, 1080, 1, False),
    "phone390x844": (390, 844, 2, True),
    "zoom200-1366x768": (683, 384, 2, False),
}
MIN_FONT = 12  # px: the computed font size of every visible HTML text
BODY_FONT = 16  # px: the body's

# The page's layout as a person sees it: the panels' boxes, page scrolling, and whether the caption
# and the claims line show whole lines only; with arguments[0], the visible HTML texts' font sizes.
LAYOUT = """
const box = (el) => { const r = el.getBoundingClientRect();
  return [r.left, r.top, r.width, r.height].map((v) => Math.round(v * 10) / 10); };
const ids = ['view', 'side', 'caption', 'claims', 'first', 'prev', 'next', 'last', 'zoomout', 'zoomin',
  'fit'];
const panels = ids.map((id) => [id, box(document.getElementById(id))]);
const fonts = [];
const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let t = arguments[0] && walk.nextNode(); t; t = walk.nextNode()) {
  const el = t.parentElement;
  if (!t.textContent.trim() || el.closest('svg, script, style')) continue;
  const r = document.createRange();
  r.selectNodeContents(t);
  if (r.getBoundingClientRect().width > 0) fonts.push([parseFloat(getComputedStyle(el).fontSize),
    t.textContent.trim().slice(0, 30)]);
}
// a box that scrolls shows whole lines: its inner height is a whole number of lines
const partial = ['caption', 'claims'].map((id) => document.getElementById(id)).filter((el) => {
  const s = getComputedStyle(el);
  if (s.display === 'none' || el.scrollHeight <= el.clientHeight + 1) return false;
  const lines = (el.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom))
    / parseFloat(s.lineHeight);
  return Math.abs(lines - Math.round(lines)) > 0.05;
}).map((el) => el.id);
const page = document.scrollingElement;
return {panels, fonts, partial, body: parseFloat(getComputedStyle(document.body).fontSize),
  sideways: page.scrollWidth - innerWidth, downwards: page.scrollHeight - innerHeight,
  frame: document.body.dataset.frame, caption: document.getElementById('caption').textContent};
"""
# every frame in one script: the keys step synchronously, and each frame's layout is read after its
# step (reading a box lays the page out)
EVERY_FRAME = (
    "const layout = () => { "
    + LAYOUT.replace("arguments[0]", "false")
    + " };\nreturn [...Array(arguments[0]).keys()].map((k) => {"
    " document.dispatchEvent(new KeyboardEvent('keydown', {key: k ? 'ArrowRight' : 'Home'}));"
    " return layout(); });"
)


def open_in(browser: Any, url: str, viewport: str) -> None:
    w, h, dpr, mobile = VIEWPORTS[viewport]
    metrics = {"width": w, "height": h, "deviceScaleFactor": dpr, "mobile": mobile}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    browser.get(url)
    assert browser.execute_script("return [innerWidth, innerHeight, devicePixelRatio]") == [w, h, dpr]


@pytest.fixture(scope="module")
def mlp_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, StepThrough]:
    """A 2-4-1 MLP of Values (83 frames): its captions wrap to one to three lines at 1366×768."""
    st = StepThrough(value_mlp([2, 4, 1]), title="a 2-4-1 MLP of Values")
    return st.save(tmp_path_factory.mktemp("mlp") / "steps.html"), st


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("which", ["page221", "mlp_page"])
def test_stepping_never_moves_the_panels_and_text_is_never_small(
    browser: Any, request: pytest.FixtureRequest, which: str, viewport: str
) -> None:
    """In every frame: the drawing, the trace, the caption, the claims line and each button keep
    the place and size of the first frame (the caption used to grow from one line to three and push
    the drawing and the trace down by 37 px at 1366×768, 14-30 px on a phone); every visible HTML
    text is at least 12 px (body 16 px); the page itself never scrolls, sideways or down; a caption
    or claim longer than its box shows whole lines. With the system in dark mode, every text of the
    page (it turns dark) meets WCAG AA."""
    path, st = request.getfixturevalue(which)[:2]
    dark = [{"name": "prefers-color-scheme", "value": "dark"}]
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": dark})
    try:
        open_in(browser, path.as_uri(), viewport)
        frame_is(browser, 0)
        assert low_contrast(browser) == []
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    seen = browser.execute_script(EVERY_FRAME, len(st.frames))
    first = seen[0]
    for k, s in enumerate(seen):
        assert s["frame"] == str(k) and s["caption"] == st.frames[k].explanation
        moved = [(a, b) for a, b in zip(first["panels"], s["panels"]) if a != b]
        assert moved == [], (viewport, k, s["caption"][:60], moved)
        assert s["sideways"] <= 0 and s["downwards"] <= 0 and s["partial"] == [], (viewport, k, s)
    for k in (0, len(st.frames) - 1):  # the texts' sizes do not depend on the frame
        browser.execute_script(KEY, "End" if k else "Home")
        frame_is(browser, k)
        s = browser.execute_script(LAYOUT, True)
        small = [f for f in s["fonts"] if f[0] < MIN_FONT]
        assert s["body"] == BODY_FONT and len(s["fonts"]) > 10 and small == [], (viewport, k, small)
        assert browser.execute_script(HEADER_CUT) == [], (viewport, k)
    assert errors(browser) == []


def test_without_the_kept_height_a_caption_moves_the_panels(browser: Any, mlp_page: Any) -> None:
    """The check above can fail: with the caption's kept height taken away, stepping from a
    one-line caption to a three-line one pushes the drawing down (37 px, as before the fix)."""
    path, st = mlp_page
    open_in(browser, path.as_uri(), "1366x768")
    frame_is(browser, 0)
    browser.execute_script("document.getElementById('caption').style.minHeight = ''")
    seen = browser.execute_script(EVERY_FRAME, len(st.frames))
    tops = {dict(s["panels"])["view"][1] for s in seen}
    assert max(tops) - min(tops) > 30, tops


WHOLE = """const v = document.getElementById('view').getBoundingClientRect();
return [...document.querySelectorAll('g.node')].filter((g) => /^n\\d+/.test(g.id)).every((g) => {
  const b = g.getBoundingClientRect();
  return b.left >= v.left - 1 && b.right <= v.right + 1 && b.top >= v.top - 1 && b.bottom <= v.bottom + 1;
})"""
FOCUSED = """const el = document.activeElement, s = getComputedStyle(el);
return [el.id, s.outlineStyle, s.outlineWidth, s.outlineColor]"""


@pytest.mark.parametrize("viewport", ["1366x768", "phone390x844", "zoom200-1366x768"])
def test_keys_are_on_the_page_and_typing_is_not_stepping(browser: Any, page221: Any, viewport: str) -> None:
    """The keys are written on the page (beside the trace, at every size: the hint line is left out
    on narrow windows); each one written there does what it says; typing in a field of the page
    types; the trace panel, reached by Tab, shows the same focus ring as the buttons."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    path, st, _ = page221
    open_in(browser, path.as_uri(), viewport)
    frame_is(browser, 0)
    keys = browser.find_element("id", "keys")
    assert keys.is_displayed()
    written = keys.text
    for name in ["←", "→", "Home", "End", "+", "−", "0", "Tab", "Enter"]:
        assert name in written, (name, written)
    box = "return document.querySelector('#view svg').getAttribute('viewBox').split(' ').map(Number)"
    last = len(st.frames) - 1
    body = browser.find_element("tag name", "body")
    for key, frame in [(Keys.END, last), (Keys.HOME, 0), (Keys.ARROW_RIGHT, 1), (Keys.ARROW_LEFT, 0)]:
        body.send_keys(key)
        frame_is(browser, frame)
    for key, smaller in [("+", True), ("-", False)]:
        w = browser.execute_script(box)[2]
        body.send_keys(key)
        until(
            browser,
            f"const w = ({box.removeprefix('return ')})[2]; return arguments[1] ? w < arguments[0] * 0.9"
            " : w > arguments[0] * 1.1",
            w,
            smaller,
        )
    body.send_keys("0")
    until(browser, WHOLE)
    browser.execute_script(
        "document.querySelector('header').insertAdjacentHTML('beforeend',"
        ' \'<input id="typed"><div id="edited" contenteditable="true">x</div>\')'
    )
    for field, value in [
        ("typed", "return document.getElementById('typed').value"),
        ("edited", "return document.getElementById('edited').textContent"),
    ]:
        browser.find_element("id", field).click()
        ActionChains(browser).send_keys(
            Keys.END, "0+", Keys.ARROW_LEFT, Keys.HOME, Keys.ARROW_RIGHT
        ).perform()
        until(browser, value + ".includes('0+')")
        assert browser.execute_script("return document.body.dataset.frame") == "0", field
    browser.execute_script(
        "document.getElementById('typed').remove(); document.getElementById('edited').remove()"
    )
    # Tab from the last button: the trace panel, with the buttons' ring; the arrows still step there
    browser.find_element("id", "fit").click()
    ActionChains(browser).send_keys(Keys.TAB).perform()
    until(browser, "return document.activeElement.id === 'side'")
    assert browser.execute_script(FOCUSED)[1:3] == ["solid", "2px"]
    ActionChains(browser).send_keys(Keys.ARROW_RIGHT).perform()
    frame_is(browser, 1)
    assert errors(browser) == []


# the drawing's texts that one step rewrites: each written text is one childList record of a <text>
WRITTEN = """
const written = [];
const watch = new MutationObserver((records) => records.forEach((r) => written.push(r.target)));
watch.observe(document.querySelector('#view svg'), {childList: true, subtree: true, characterData: true});
return [...Array(arguments[0]).keys()].map((k) => {
  document.dispatchEvent(new KeyboardEvent('keydown', {key: k ? 'ArrowRight' : 'Home'}));
  const n = new Set([...written, ...watch.takeRecords().map((r) => r.target)]).size;
  written.length = 0;
  return n;
});
"""


def test_a_step_rewrites_only_the_texts_it_changes(browser: Any, mlp_page: Any) -> None:
    """A step writes the texts whose number it makes known, or hides again: the node's data and
    its input cells' rules going forward, its gradient going back: 0 to 3 of the 52-node MLP's 281
    box texts from one frame to the next. Each step used to rewrite all 164 texts with a number."""
    path, st = mlp_page
    open_in(browser, path.as_uri(), "1366x768")
    frame_is(browser, 0)
    browser.execute_script(KEY, "End")
    frame_is(browser, len(st.frames) - 1)
    written = browser.execute_script(WRITTEN, len(st.frames))
    texts = browser.execute_script("return document.querySelectorAll('#view svg g.node text').length")
    assert written[0] > texts / 3  # from the last frame to the first: every number goes back to grey
    assert max(written[1:]) <= 5 and sum(written[1:]) >= len(st.frames), written


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_drawing_alone_at_every_size(browser: Any, tmp_path: Path, viewport: str) -> None:
    """The zoomable drawing of a 52-node MLP (draw_graph's page): its keys and gestures written
    on it (on a phone too: it has no trace panel to hold them), every button's label whole (the
    phone's "whole" button was squeezed to 37 px around its 39 px word, which overflowed the page
    by 6 px), no page scrolling, HTML text of at least 12 px and node text of at least 11 px."""
    viewer = tmp_path / "viewer.html"
    viewer.write_text(page.build(draw_graph(value_mlp([2, 4, 1])).svg(), "graph"), encoding="utf-8")
    open_in(browser, viewer.as_uri(), viewport)
    frame_is(browser, "none")
    hint = browser.find_element("css selector", ".hint")
    assert hint.is_displayed() and "keys: arrows pan, + − zoom, 0 whole graph" in hint.text
    assert browser.execute_script(HEADER_CUT) == []
    buttons = "return [...document.querySelectorAll('button')].filter((b) => b.getClientRects().length"
    squeezed = buttons + " && b.scrollWidth > b.clientWidth).map((b) => b.id)"
    assert browser.execute_script(squeezed) == []
    s = browser.execute_script(LAYOUT, True)
    assert s["sideways"] <= 0 and s["downwards"] <= 0 and s["body"] == BODY_FONT, s
    assert [f for f in s["fonts"] if f[0] < MIN_FONT] == []
    shown, smallest = browser.execute_script(SVG_TEXT_PX)
    assert shown >= 10 and smallest >= 11, (shown, smallest)
    assert browser.execute_script("return innerWidth") == VIEWPORTS[viewport][0] and errors(browser) == []
