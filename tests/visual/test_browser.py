"""The step-through page in a real browser (Debian's Chromium via chromedriver and selenium), as a
person sees it at 1366×768, 1920×1080 and on a phone (390×844).

One browser for the session (``browser`` in conftest.py); each page load measures many things.
Every step waits on a state the page's script exposes (``document.body.dataset.frame``, the view
box), never on time, so a slow
machine only makes the tests slower. Skipped with a reason where no browser is installed; with
``CI=true`` a missing browser fails.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import chromium
import pytest

from autograd import Claim, StepThrough, Value, draw_graph
from autograd.visual import page
from autograd.visual.label import INK
from autograd.visual.steps import DIGITS
from autograd.visual.text import num

SIZES = [(1366, 768), (1920, 1080), (390, 844)]
SIZE_IDS = [f"{w}x{h}" for w, h in SIZES]
MIN_TEXT = 11  # px: the height of the smallest text of the active node's box
WAIT = 60  # s: the most any state may take to appear on a very busy machine


def until(browser: Any, script: str, *args: Any) -> Any:
    """Wait until ``script`` (a JS function body) returns something truthy, and return it."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, WAIT, poll_frequency=0.05).until(lambda d: d.execute_script(script, *args))


def frame_is(browser: Any, k: int | str) -> None:
    until(browser, "return document.body.dataset.frame === arguments[0]", str(k))


def open_at(browser: Any, url: str, size: tuple[int, int]) -> None:
    """Load ``url`` in a window of ``size`` CSS px (a phone-like one below 700 px wide)."""
    w, h = size
    metrics = {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": w < 700}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    browser.get(url)
    assert browser.execute_script("return [innerWidth, innerHeight]") == [w, h]


def errors(browser: Any) -> list[Any]:
    return [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


# What a person sees in one frame: boxes are client rectangles in CSS px.
SEEN = """
const inside = (r, c) => r.width > 0 && r.left >= c.left - 1 && r.right <= c.right + 1
  && r.top >= c.top - 1 && r.bottom <= c.bottom + 1;
const win = {left: 0, top: 0, right: innerWidth, bottom: innerHeight};
const view = document.getElementById('view').getBoundingClientRect();
const side = document.getElementById('side');
const s = side.getBoundingClientRect();
const [x0, y0] = [s.left + side.clientLeft, s.top + side.clientTop];
const panel = {left: x0, top: y0, right: x0 + side.clientWidth, bottom: y0 + side.clientHeight};
const active = [...document.querySelectorAll('g.node.active')];
const shown = (g) => [...g.querySelectorAll('text')].filter((t) => !t.classList.contains('hidden'));
const rows = [...document.querySelectorAll('tr.current')];
const grey = (t) => t.classList.contains('unknown') || (t.getAttribute('fill') || '') === 'GREY_INK';
const ink = (el) => (el.getAttribute('fill') || '').toLowerCase();
const locals = (g) => shown(g).filter((t) => ink(t) === '#1565c0');
const cellsOf = (g) => [...g.querySelectorAll('polygon')].filter((p) => ink(p) === '#f5f9ff')
  .map((p) => p.getBoundingClientRect());
const ruleHeights = active.flatMap((g) => locals(g).map((t) => t.getBoundingClientRect().height));
return {
  rule: ruleHeights.length ? Math.min(...ruleHeights) : null,
  ruleLines: active.length ? locals(active[0]).map((t) => t.textContent) : [],
  ruleInCells: active.every((g) => locals(g).every((t) => cellsOf(g).some(
    (c) => inside(t.getBoundingClientRect(), c)))),
  frame: document.body.dataset.frame,
  caption: document.getElementById('caption').textContent,
  claims: [...document.querySelectorAll('#claims span')].map((x) => [x.className, x.textContent]),
  count: document.getElementById('count').textContent,
  activeInView: active.length > 0 && active.every((g) => inside(g.getBoundingClientRect(), view)
    && inside(g.getBoundingClientRect(), win)),
  text: Math.min(...active.flatMap((g) => shown(g).map((t) => t.getBoundingClientRect().height))),
  box: active.length ? shown(active[0]).map((t) => [t.textContent, grey(t)]) : [],
  rows: rows.map((r) => r.id),
  rowNumbersSeen: rows.length > 0 && rows.every((r) => [...r.querySelectorAll('td.num, td.rule')].every(
    (td) => inside(td.getBoundingClientRect(), panel) && inside(td.getBoundingClientRect(), win))),
  sideways: side.scrollWidth - side.clientWidth,
  stacked: s.top >= view.bottom - 1,
  red: [...document.querySelectorAll('g.node')].filter((g) => /^n\\d+$/.test(g.id)).map((g) => [g.id,
    shown(g).filter((t) => t.getAttribute('fill') === '#b71c1c' && !grey(t)).map((t) => t.textContent)]),
};
""".replace("GREY_INK", INK["none"])
# what of the header is cut off: clipped inside its box, or beyond the window
HEADER_CUT = """return [...document.querySelectorAll('h1, nav button, #count')].filter((el) => {
  const r = el.getBoundingClientRect();
  return r.width > 0 && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1
    || r.left < 0 || r.right > innerWidth || r.top < 0);
}).map((el) => el.id || el.tagName)"""
MARKS = """return [...document.querySelectorAll('g.node')].filter((g) => /^n\\d+/.test(g.id))
  .flatMap((g) => [...g.querySelectorAll('text')]).filter((t) => t.getAttribute('fill') === '#6a1b9a'
  && !t.classList.contains('hidden')).map((t) => t.textContent)"""
TEXT = "return document.getElementById(arguments[0]).textContent"
KEY = "document.dispatchEvent(new KeyboardEvent('keydown', {key: arguments[0]}))"


@pytest.fixture(scope="module")
def page221(ex221: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, StepThrough, dict]:
    """The example's own page: its title, the notes' numbers as claims."""
    p = ex221.parameters()
    n = ex221.forward(p)
    n["L"].backward()
    checks = ex221.check_notes(n, p)
    claims = ex221.page_claims(checks, n, p)
    st = StepThrough(n["L"], params=p.values(), claims=claims, claimed_by="notes", title=ex221.PAGE_TITLE)
    path = st.save(tmp_path_factory.mktemp("page") / "steps.html")
    return path, st, n


def seen_in_every_frame(browser: Any, st: StepThrough) -> list[dict[str, Any]]:
    seen = []
    for k in range(len(st.frames)):
        browser.execute_script(KEY, "Home" if k == 0 else "ArrowRight")
        frame_is(browser, k)
        seen.append(browser.execute_script(SEEN))
    return seen


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_every_frame_as_a_person_sees_it(browser: Any, page221: Any, size: tuple[int, int]) -> None:
    """In each of the 44 frames: the active node whole in the drawing's view and readable (its
    input cells' rules too, each inside its cell), its trace rows' numbers and rules in the panel
    with no sideways scrolling, its box showing the caption's
    number (or the grey — the caption names), no red gradient before backward reaches a node,
    and the notes' wrong numbers marked where they first go wrong."""
    path, st, n = page221
    open_at(browser, path.as_uri(), size)
    assert browser.execute_script(HEADER_CUT) == []  # the title and every control whole (a phone too)
    # from a file, with no network: nothing fetched (script, style and drawing are in the page)
    assert browser.execute_script("return performance.getEntriesByType('resource').map((r) => r.name)") == []
    names = {v: k for k, v in st.walk.name.items()}
    ids = {f"n{st.walk.index[node]}": node for node in st.walk.nodes}
    for k, (frame, s) in enumerate(zip(st.frames, seen_in_every_frame(browser, st))):
        where = (size, k, s["caption"])
        assert s["caption"] == frame.explanation and s["count"] == f"step {k + 1} of 44 ({frame.phase})"
        assert s["activeInView"] and s["text"] >= MIN_TEXT, (where, s["text"])
        assert s["rows"] and s["rowNumbersSeen"] and s["sideways"] <= 0, where
        assert s["stacked"] == (size[0] < 700), where  # a phone: the trace below the drawing
        # each input's cell: its rule with the numbers, readable and inside its cell
        assert s["ruleInCells"] and (s["rule"] is None or s["rule"] >= MIN_TEXT), (where, s["rule"])
        if frame.node is n["a1"] and frame.phase == "forward":
            a1 = n["a1"]
            assert s["ruleLines"] == [
                "∂/∂z1 = σ(z1)(1 − σ(z1))",
                f"= {num(a1.data)} × {num(1 - a1.data)}",
                f"= {num(a1.local_grads[0])}",
            ], where
        texts = dict((t.split(" ", 1)[0], (t, g)) for t, g in s["box"] if t.startswith(("data ", "grad ")))
        shown_value, grey = texts["data" if frame.phase == "forward" else "grad"]
        if frame.phase == "forward" or frame.node in st.walk.shows_grad:
            assert shown_value.endswith(" " + num(frame.value)) and not grey, where
            assert (
                frame.explanation.endswith(f"= {num(frame.value, DIGITS)}") or "the seed" in frame.explanation
            )
        else:  # the one grey state, in the box and in the caption
            assert shown_value == "grad —" and grey and " = —: not needed" in s["caption"], where
        reached = {f.node for f in st.frames[: k + 1] if f.phase == "backward"}
        for nid, red in s["red"]:
            assert not red or ids[nid] in reached, (where, nid, red)  # no red grad before it is computed
        if frame.node is n["z3"] and frame.phase == "forward":
            assert s["claims"] == [
                [
                    "wrong",
                    "✗ notes: z3 = 1.086; the engine: 1.01334. The slip is here: "
                    "the notes' own numbers give 1.0128.",
                ]
            ]
            assert ["notes 1.086 ✗", False] in s["box"]
        if frame.node is n["L"] and frame.phase == "forward":
            assert s["claims"][0][0] == "wrong" and "The slip is here" in s["claims"][0][1]
        if frame.node is n["a1"] and frame.phase == "forward":
            assert s["claims"] == [["ok", "✓ notes: a1 = 0.574, as the engine computes."]]
    last = s
    assert names and [t for t, _ in last["box"]][:2] == ["y", "data 1"]
    marks = browser.execute_script(MARKS)
    assert sorted(marks) == sorted(f"notes {c.text} ✗" for c in st.claims if not c.agrees())  # 13 wrong
    assert len(marks) == 13 and errors(browser) == []
    browser.execute_script(KEY, "Home")  # a rule wider than its cell is seen (the check can fail)
    frame_is(browser, 0)
    # (in one script: a resize seen between two would redraw the frame, rule text included)
    assert not browser.execute_script(WIDER + SEEN)["ruleInCells"]


WIDER = """{
const t = [...document.querySelectorAll('g.node.active text')]
  .find((t) => t.getAttribute('fill') === '#1565c0');
t.textContent += ' = a rule much wider than its cell';
}"""


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_keys_buttons_wheel_drag_and_whole_graph(browser: Any, page221: Any, size: tuple[int, int]) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions.wheel_input import ScrollOrigin
    from selenium.webdriver.common.keys import Keys

    path, st, n = page221
    open_at(browser, path.as_uri(), size)
    frame_is(browser, 0)
    z3 = f"n{st.walk.index[n['z3']]}"
    z3_texts = (
        "return [...document.getElementById(arguments[0]).querySelectorAll('text:not(.hidden)')]"
        ".map((t) => [t.textContent, t.classList.contains('unknown')])"
    )
    assert browser.execute_script(z3_texts, z3) == [  # not computed yet: one grey state
        ["∂/∂(w13·a1+w23·a2) = —", True],
        ["∂/∂b3 = —", True],
        ["z3", False],
        ["op +", False],
        ["data —", True],
        ["grad —", True],
    ]
    body = browser.find_element("tag name", "body")
    last = len(st.frames) - 1
    for key, frame in [
        (Keys.END, last),
        (Keys.ARROW_RIGHT, last),
        (Keys.HOME, 0),
        (Keys.ARROW_LEFT, 0),
        (Keys.ARROW_RIGHT, 1),
        (Keys.ARROW_RIGHT, 2),
        (Keys.ARROW_LEFT, 1),
    ]:
        body.send_keys(key)
        frame_is(browser, frame)
    browser.find_element("id", "next").click()
    frame_is(browser, 2)
    # Tab: the keyboard's place is plain to see; the buttons take Enter, and the arrows still step
    browser.execute_script("document.getElementById('prev').focus()")
    ActionChains(browser).send_keys(Keys.TAB).perform()
    until(browser, "return document.activeElement.id === 'next'")
    ring = "const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]"
    assert browser.execute_script(ring) == ["solid", "2px"]
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    frame_is(browser, 3)
    ActionChains(browser).send_keys(Keys.ARROW_RIGHT).perform()
    frame_is(browser, 4)

    box = "document.querySelector('#view svg').getAttribute('viewBox').split(' ').map(Number)"
    before = browser.execute_script(f"return {box}")
    view = browser.find_element("id", "view")
    ActionChains(browser).scroll_from_origin(ScrollOrigin.from_element(view), 0, 300).perform()
    # wheel down: zoom out, the view box grows (the wheel may arrive as several events: wait for all)
    zoomed = until(browser, f"const b = {box}; return b[2] > arguments[0] * 1.2 && b", before[2])
    ActionChains(browser).move_to_element(view).click_and_hold().move_by_offset(60, 30).release().perform()
    # a drag moves the view box in several steps: wait for the whole 60 px (at the zoomed scale)
    moved = f"const b = {box}; return b[0] < arguments[0] - 50 * arguments[1] && b"
    panned = until(
        browser,
        moved,
        zoomed[0],
        zoomed[2] / browser.execute_script("return document.getElementById('view').clientWidth"),
    )
    assert panned[2] == pytest.approx(zoomed[2])
    browser.find_element("id", "zoomin").click()
    until(browser, f"return ({box})[2] < arguments[0] * 0.85", panned[2])

    # the whole graph: every box inside the view; a click on one zooms to it, readable and whole
    browser.find_element("id", "fit").click()
    whole = """
      const v = document.getElementById('view').getBoundingClientRect();
      const gs = [...document.querySelectorAll('g.node')].filter((g) => /^n\\d+/.test(g.id));
      const r = gs.map((g) => g.getBoundingClientRect());
      return r.every((b) => b.left >= v.left - 1 && b.right <= v.right + 1 && b.top >= v.top - 1
        && b.bottom <= v.bottom + 1) && Math.min(...gs.map((g) => g.querySelector('text')
        .getBoundingClientRect().height));"""
    overview_text = until(browser, whole)
    z3_box = browser.find_element("css selector", f"g.node#{z3}")
    ActionChains(browser).move_to_element(z3_box).click().perform()
    readable = """
      const g = document.getElementById(arguments[0]);
      const v = document.getElementById('view').getBoundingClientRect();
      const b = g.getBoundingClientRect();
      const h = Math.min(...[...g.querySelectorAll('text:not(.hidden)')].map(
        (t) => t.getBoundingClientRect().height));
      return b.left >= v.left - 1 && b.right <= v.right + 1 && b.top >= v.top - 1 && b.bottom <= v.bottom + 1
        && h >= arguments[1] && h;"""
    zoomed_text = until(browser, readable, z3, MIN_TEXT)
    assert zoomed_text > overview_text
    if size[0] < 700:
        assert overview_text >= 4  # px: an overview (3 px before the legend moved below the output)
        pinch_and_pan_by_touch(browser, box)
    assert errors(browser) == []


def pinch_and_pan_by_touch(browser: Any, box: str) -> None:
    """On a phone, from the whole graph: two fingers spread zoom in, one finger drags."""
    browser.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})
    try:
        browser.find_element("id", "fit").click()
        whole = until(browser, f"const b = {box}; return b[2] > 0 && b")
        r = browser.execute_script(
            "const r = document.getElementById('view').getBoundingClientRect();"
            " return [r.left + r.width / 2, r.top + r.height / 2]"
        )

        def touch(kind: str, *dx: float) -> None:
            points = [{"x": r[0] + x, "y": r[1], "id": i} for i, x in enumerate(dx)]
            browser.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

        touch("touchStart", -20, 20)
        for step in range(1, 11):
            touch("touchMove", -20 - 8 * step, 20 + 8 * step)
        touch("touchEnd")
        pinched = until(browser, f"const b = {box}; return b[2] < arguments[0] / 2 && b", whole[2])
        touch("touchStart", 0)
        for step in range(1, 6):
            touch("touchMove", 10 * step)
        touch("touchEnd")
        until(browser, f"const b = {box}; return b[0] < arguments[0] - 20 && b", pinched[0])
    finally:
        browser.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": False})


HOSTILE = [
    "<!--<script>",
    "</script><script>document.title='pwned'</script>",
    "<!--",
    "-->",
    "]]>",
    "&lt;b&gt;",
    "{{title}}",
    "a\u2028b",
    "\u202eevil",
    "x\u2066y\u2069",
]


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, StepThrough]:
    leaves = [Value(float(i + 1), label) for i, label in enumerate(HOSTILE)]
    out = leaves[0]
    for leaf in leaves[1:]:
        out = out * leaf
    out.label = "<!--<script>out"
    claims = [Claim(leaves[0], "2", note="<!--<script> a note </script>")]
    st = StepThrough(out, title="\u202eevil <!--<script> title", claims=claims, claimed_by="<!--<script>")
    return st.save(tmp_path_factory.mktemp("hostile") / "steps.html"), st


def test_hostile_labels_cannot_stop_the_page_saved_or_in_jupyter(
    browser: Any, hostile_page: Any, tmp_path: Path
) -> None:
    """A label with ``<!--<script>`` used to stop the page: the JSON escaped ``</`` but not ``<!--``.
    Every label, the title, the claims and their notes reach the page as text."""
    path, st = hostile_page
    cell = tmp_path / "cell.html"
    cell.write_text(f"<html><body><p>a notebook cell</p>{st._repr_html_()}</body></html>", encoding="utf-8")
    for url, in_frame in [(path.as_uri(), False), (cell.as_uri(), True)]:
        open_at(browser, url, SIZES[0])
        if in_frame:
            browser.switch_to.frame(browser.find_element("tag name", "iframe"))
        try:
            frame_is(browser, 0)
            browser.execute_script(KEY, "End")
            frame_is(browser, len(st.frames) - 1)
            captions, claims = [], []
            for k in range(len(st.frames)):
                browser.execute_script(KEY, "Home" if k == 0 else "ArrowRight")
                frame_is(browser, k)
                captions.append(browser.execute_script(TEXT, "caption"))
                claims.append(browser.execute_script(TEXT, "claims"))
            assert captions == [f.explanation for f in st.frames]
            note = "<!--<script> a note </script>"
            assert claims[0] == f"✗ <!--<script>: <!--<script> = 2; the engine: 1. {note}"
            assert not any(claims[1:]) and browser.execute_script("return document.scripts.length") == 2
            title = browser.execute_script("return document.title + document.querySelector('h1').textContent")
            assert (
                "\u202e" not in title and "\\u202eevil <!--<script> title" in title and "pwned" not in title
            )
            text = browser.execute_script("return document.body.innerText")
            assert not re.search("[\u202a-\u202e\u2066-\u2069\u200e\u200f]", text)
        finally:
            browser.switch_to.default_content()
    assert errors(browser) == []
    assert "x\\u2066y\\u2069" in " ".join(c for c in captions)


def test_a_claim_on_the_first_frame_shows_there(browser: Any, hostile_page: Any) -> None:
    path, st = hostile_page
    browser.get(path.as_uri())
    browser.execute_script(KEY, "End")
    frame_is(browser, len(st.frames) - 1)
    marks = browser.execute_script(MARKS)
    assert marks == ["<!--<script> 2 ✗"]  # the leaf's value is 1, not 2: marked from its first frame


def test_drawing_viewer_page_has_no_errors(browser: Any, net221: Any, tmp_path: Path) -> None:
    p, n = net221
    viewer = tmp_path / "viewer.html"
    viewer.write_text(page.build(draw_graph(n["L"], params=p.values()).svg(), "graph"), encoding="utf-8")
    open_at(browser, viewer.as_uri(), SIZES[0])
    frame_is(browser, "none")
    assert browser.execute_script("return document.body.classList.contains('static')")
    # readable whole at 1366×768 (11 px text): it opens whole, not at a part
    whole = """const v = document.getElementById('view').getBoundingClientRect();
      return [...document.querySelectorAll('g.node')].filter((g) => /^n\\d+/.test(g.id)).every((g) => {
        const b = g.getBoundingClientRect();
        return b.left >= v.left - 1 && b.right <= v.right + 1 && b.top >= v.top - 1
          && b.bottom <= v.bottom + 1;
      })"""
    assert browser.execute_script(whole) and browser.execute_script(TEXT, "count") == ""
    assert browser.execute_script(SVG_TEXT_PX)[1] >= 10
    assert errors(browser) == []


def test_a_missing_browser_fails_in_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chromium, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="CI must run the browser tests: no browser"):
        chromium.missing("no browser")
    monkeypatch.setattr(chromium, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception, match="no browser"):
        chromium.missing("no browser")


def test_the_page_embedded_as_in_jupyter_zooms_to_the_active_node(
    browser: Any, page221: Any, tmp_path: Path
) -> None:
    _, st, _ = page221
    cell = tmp_path / "cell.html"
    cell.write_text(f"<html><body><p>a notebook cell</p>{st._repr_html_()}</body></html>", encoding="utf-8")
    open_at(browser, cell.as_uri(), SIZES[0])
    browser.switch_to.frame(browser.find_element("tag name", "iframe"))
    try:
        frame_is(browser, 0)
        s = browser.execute_script(SEEN)
        assert s["caption"] == st.frames[0].explanation
        assert s["activeInView"] and s["text"] >= MIN_TEXT
    finally:
        browser.switch_to.default_content()
    assert errors(browser) == []


# -- what every reader needs: contrast, a readable opening view, the browser's own keys
# WCAG 2 contrast of each visible text with what is behind it: an HTML text with the first opaque
# background of its ancestors (none at all inside a frame: the notebook around shows through), an
# SVG text with the smallest filled shape of its node under it, else what is behind the drawing.
CONTRAST = """
const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
const lum = (c) => c.slice(0, 3).map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92
  : ((v + 0.055) / 1.055) ** 2.4)).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
const ratio = (a, b) => {
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};
const framed = window.parent !== window;
function behind(el) {
  for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
    const c = rgb(getComputedStyle(e).backgroundColor);
    if (c.length === 3 || c[3] > 0.99) return c;
  }
  return framed ? null : [255, 255, 255];
}
const seen = (r) => r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth
  && r.top < innerHeight;
const low = [];
let n = 0;
function judge(text, ink, bg) {
  n += 1;
  const c = bg && ratio(ink, bg);
  if (!bg || c < 4.5) low.push([text.slice(0, 30), c && Math.round(c * 100) / 100, `${ink}`, bg && `${bg}`]);
}
const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let t = walk.nextNode(); t; t = walk.nextNode()) {
  const el = t.parentElement;
  if (!t.textContent.trim() || el.closest('svg, script, style')) continue;
  const r = document.createRange();
  r.selectNodeContents(t);
  if (seen(r.getBoundingClientRect())) judge(t.textContent, rgb(getComputedStyle(el).color), behind(el));
}
for (const t of document.querySelectorAll('svg text')) {
  const r = t.getBoundingClientRect();
  if (getComputedStyle(t).display === 'none' || !seen(r)) continue;
  const [x, y] = [(r.left + r.right) / 2, (r.top + r.bottom) / 2];
  const under = [...(t.closest('g.node, g.cluster') || t).querySelectorAll('polygon, path')]
    .filter((p) => !['none', 'transparent'].includes(p.getAttribute('fill') || 'none'))
    .map((p) => [p.getBoundingClientRect(), p]).filter(([b]) => x >= b.left && x <= b.right && y >= b.top
      && y <= b.bottom).sort(([a], [b]) => a.width * a.height - b.width * b.height);
  const bg = under.length ? rgb(getComputedStyle(under[0][1]).fill) : behind(t.closest('svg'));
  judge(t.textContent, rgb(getComputedStyle(t).fill), bg);
}
return [n, low];
"""
DARK_NOTEBOOK = "<html><body style='background:#111;color:#eee'><p>a notebook cell, dark</p>{}</body></html>"


def low_contrast(browser: Any) -> list[Any]:
    """The visible texts below WCAG AA's 4.5:1 (text, ratio, ink, background), after checking
    that there are texts to judge."""
    n, low = browser.execute_script(CONTRAST)
    assert n > 10
    return low


def test_every_text_meets_wcag_aa_contrast(browser: Any, page221: Any, tmp_path: Path) -> None:
    """In the frames with the grey "—" (on the highlighted node, on the current trace row), and in
    a notebook with a dark theme around the page's frame. The grey was #9e9e9e: 1.9:1 on the
    highlight; the frame was transparent: black text on the notebook's dark background."""
    path, st, _ = page221
    open_at(browser, path.as_uri(), SIZES[0])
    last = len(st.frames) - 1
    # the first frame (values not computed yet: grey), the last four (gradients not needed: grey rows,
    # and the last on the highlighted node)
    for key, k in [("Home", 0), ("End", last)] + [("ArrowLeft", last - j) for j in (1, 2, 3)]:
        browser.execute_script(KEY, key)
        frame_is(browser, k)
        assert low_contrast(browser) == [], k
    cell = tmp_path / "cell.html"
    cell.write_text(DARK_NOTEBOOK.format(st._repr_html_()), encoding="utf-8")
    dark = [{"name": "prefers-color-scheme", "value": "dark"}]  # and the system in dark mode
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": dark})
    try:
        open_at(browser, cell.as_uri(), SIZES[0])
        browser.switch_to.frame(browser.find_element("tag name", "iframe"))
        frame_is(browser, 0)
        assert low_contrast(browser) == []
    finally:
        browser.switch_to.default_content()
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def value_mlp(widths: list[int], seed: int = 0) -> Value:
    """A micrograd-style MLP of Values (tanh hidden layers), its squared error, after backward."""
    rng = __import__("numpy").random.default_rng(seed)
    layer = [Value(float(v), f"x{i}") for i, v in enumerate(rng.normal(size=widths[0]))]
    for k, width in enumerate(widths[1:], 1):
        sums = []
        for j in range(width):
            s = Value(0.0, f"b{k}{j}")
            for i, x in enumerate(layer):
                s = s + Value(float(rng.normal()), f"w{k}{i}{j}") * x
            sums.append(s.tanh() if k < len(widths) - 1 else s)
        layer = sums
    loss = sum(((o - 1.0) ** 2 for o in layer), Value(0.0))
    loss.label = "L"
    loss.backward()
    return loss


@pytest.fixture(scope="module")
def big_drawing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A drawing of 121 Values (a 3-8-1 MLP) as draw_graph shows it in Jupyter: the page alone
    and in a notebook cell."""
    drawing = draw_graph(value_mlp([3, 8, 1]))
    assert len(set(re.findall(r"id=(n\d+)", drawing.source))) == 121 and "n120 -> legend" in drawing.source
    folder = tmp_path_factory.mktemp("big")
    viewer = folder / "viewer.html"
    viewer.write_text(page.build(drawing.svg(), "graph"), encoding="utf-8")
    return viewer, drawing._repr_html_()


# the rendered size of each visible SVG text: its font size times the drawing's scale on screen
SVG_TEXT_PX = """
const px = [...document.querySelectorAll('svg g.node text')].filter((t) => {
  const r = t.getBoundingClientRect();
  return getComputedStyle(t).display !== 'none' && r.width > 0 && r.right > 0 && r.bottom > 0
    && r.left < innerWidth && r.top < innerHeight;
}).map((t) => {
  const m = t.getScreenCTM();
  return parseFloat(t.getAttribute('font-size')) * Math.hypot(m.a, m.b);
});
return [px.length, Math.min(...px)];
"""
VIEW_BOX = "return document.querySelector('#view svg').getAttribute('viewBox').split(' ').map(Number)"


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_a_big_drawing_opens_readable_at_its_output(browser: Any, big_drawing: Any, size: tuple) -> None:
    """A drawing too big to read whole (121 nodes: 2 px text whole at 1366×768, 0.6 px on a
    phone) opens at its output with text of at least MIN_TEXT px, says it shows a part; 0 shows
    the whole, the arrows pan and Ctrl with + or 0 is left to the browser (its own zoom)."""
    viewer, _ = big_drawing
    open_at(browser, viewer.as_uri(), size)
    frame_is(browser, "none")
    shown, smallest = browser.execute_script(SVG_TEXT_PX)
    assert shown >= 10 and smallest >= MIN_TEXT, (shown, smallest)
    output_seen = """const r = document.getElementById('n120').getBoundingClientRect();
      const v = document.getElementById('view').getBoundingClientRect();
      return r.left >= v.left && r.right <= v.right && r.top >= v.top && r.bottom <= v.bottom"""
    assert browser.execute_script(output_seen)
    assert browser.execute_script(TEXT, "count") == "part of the graph: drag to pan, 0 for the whole"
    opened = browser.execute_script(VIEW_BOX)
    browser.execute_script(KEY, "ArrowRight")
    box = VIEW_BOX.removeprefix("return ")
    until(browser, f"const b = ({box}); return b[0] > arguments[0] && b", opened[0])
    browser.execute_script(KEY, "ArrowUp")
    until(browser, f"const b = ({box}); return b[1] < arguments[0] && b", opened[1])
    ctrl = "const e = new KeyboardEvent('keydown', {key: arguments[0], ctrlKey: true, cancelable: true});"
    for key in ["+", "-", "0"]:  # with Ctrl: the browser's zoom, not the drawing's
        assert browser.execute_script(f"{ctrl} document.dispatchEvent(e); return !e.defaultPrevented", key)
    browser.execute_script(KEY, "0")
    until(browser, "return document.getElementById('count').textContent === ''")
    assert browser.execute_script(SVG_TEXT_PX)[0] > shown and errors(browser) == []


def test_a_big_drawing_in_a_notebook_opens_readable(browser: Any, big_drawing: Any, tmp_path: Path) -> None:
    _, cell_html = big_drawing
    cell = tmp_path / "cell.html"
    cell.write_text(DARK_NOTEBOOK.format(cell_html), encoding="utf-8")
    open_at(browser, cell.as_uri(), SIZES[0])
    browser.switch_to.frame(browser.find_element("tag name", "iframe"))
    try:
        frame_is(browser, "none")
        shown, smallest = browser.execute_script(SVG_TEXT_PX)
        assert shown >= 10 and smallest >= MIN_TEXT, (shown, smallest)
        assert low_contrast(browser) == []
    finally:
        browser.switch_to.default_content()
    assert errors(browser) == []


PHONE_CELL = (
    '<html><head><meta name="viewport" content="width=device-width, initial-scale=1"></head>'
    "<body><p>a notebook cell</p>{}</body></html>"
)


def test_a_tensor_models_page_in_a_notebook_on_a_phone(browser: Any, tmp_path: Path) -> None:
    """A Tensor MLP's page (its trace rows hold Tensor summaries: mean, min, max) in a notebook's
    frame on a phone, 16 px narrower than the phone: in every frame its trace rows' numbers in
    the panel with no sideways scrolling (40 px of it before), the active node whole, readable."""
    import numpy as np

    import losses
    from autograd import Tensor
    from autograd.nn import TensorMLP

    x, t = np.random.default_rng(0).normal(size=(8, 2)), np.random.default_rng(1).normal(size=(8, 1))
    loss = losses.mse(t, TensorMLP(2, [16, 16, 1], activation="tanh", rng=0)(Tensor(x)))
    st = StepThrough(loss)
    cell = tmp_path / "cell.html"
    cell.write_text(PHONE_CELL.format(st._repr_html_()), encoding="utf-8")
    open_at(browser, cell.as_uri(), SIZES[2])
    browser.switch_to.frame(browser.find_element("tag name", "iframe"))
    try:
        for k, s in enumerate(seen_in_every_frame(browser, st)):
            where = (k, s["caption"][:40], s["text"], s["sideways"])
            assert s["activeInView"] and s["rowNumbersSeen"] and s["sideways"] <= 0, where
            assert s["text"] >= MIN_TEXT, where
    finally:
        browser.switch_to.default_content()
    assert errors(browser) == []
