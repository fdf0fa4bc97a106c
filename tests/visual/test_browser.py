"""The step-through page in a real browser (Debian's Chromium via chromedriver and selenium), as a
person sees it at 1366×768, 1920×1080 and on a phone (390×844).

One browser per module; each page load measures many things. Every step waits on a state the
page's script exposes (``document.body.dataset.frame``, the view box), never on time, so a slow
machine only makes the tests slower. Skipped with a reason where no browser is installed; with
``CI=true`` a missing browser fails.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from autograd import Claim, StepThrough, Value, draw_graph
from autograd.visual import page
from autograd.visual.steps import DIGITS
from autograd.visual.text import num

IN_CI = os.environ.get("CI", "").lower() == "true"
SIZES = [(1366, 768), (1920, 1080), (390, 844)]
SIZE_IDS = [f"{w}x{h}" for w, h in SIZES]
MIN_TEXT = 11  # px: the height of the smallest text of the active node's box
WAIT = 60  # s: the most any state may take to appear on a very busy machine


def _missing(why: str) -> None:
    if IN_CI:
        pytest.fail(f"CI must run the browser tests: {why} (.ci/run installs chromium and chromium-driver)")
    pytest.skip(why)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _missing("selenium is not installed")
    chrome = next(filter(None, map(shutil.which, ["chromium", "chromium-browser", "google-chrome"])), None)
    driver = shutil.which("chromedriver")
    if chrome is None or driver is None:
        _missing("no Chromium/chromedriver on PATH (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = chrome
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1920,1080"]:
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service(executable_path=driver), options=options)  # no selenium-manager
    try:
        yield d
    finally:
        d.quit()


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
const grey = (t) => t.classList.contains('unknown') || (t.getAttribute('fill') || '') === '#9e9e9e';
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
"""
MARKS = """return [...document.querySelectorAll('g.node')].filter((g) => /^n\\d+/.test(g.id))
  .flatMap((g) => [...g.querySelectorAll('text')]).filter((t) => t.getAttribute('fill') === '#6a1b9a'
  && !t.classList.contains('hidden')).map((t) => t.textContent)"""
TEXT = "return document.getElementById(arguments[0]).textContent"
KEY = "document.dispatchEvent(new KeyboardEvent('keydown', {key: arguments[0]}))"


@pytest.fixture(scope="module")
def page221(ex221: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, StepThrough, dict]:
    """The example's own page: the notes' numbers as claims."""
    p = ex221.parameters()
    n = ex221.forward(p)
    n["L"].backward()
    checks = ex221.check_notes(n, p)
    st = StepThrough(n["L"], params=p.values(), claims=ex221.page_claims(checks, n, p), claimed_by="notes")
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
                f"= {num(a1.data)} × {num(1 - a1.data)} = {num(a1.local_grads[0])}",
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
    browser.get(viewer.as_uri())
    frame_is(browser, "none")
    assert browser.execute_script("return document.body.classList.contains('static')")
    assert errors(browser) == []


def test_a_missing_browser_fails_in_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    module = sys.modules[__name__]
    monkeypatch.setattr(module, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="CI must run the browser tests: no browser"):
        _missing("no browser")
    monkeypatch.setattr(module, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception, match="no browser"):
        _missing("no browser")


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
