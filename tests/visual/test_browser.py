"""The step-through page in a real browser (Debian's Chromium via chromedriver and selenium).

Skipped with a reason where no browser is installed; with ``CI=true`` a missing browser fails.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from autograd import StepThrough, draw_graph
from autograd.visual import page
from autograd.visual.text import num

IN_CI = os.environ.get("CI", "").lower() == "true"


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
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1366,768"]:
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service(executable_path=driver), options=options)  # no selenium-manager
    try:
        yield d
    finally:
        d.quit()


@pytest.fixture(scope="module")
def page221(ex221: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, StepThrough]:
    p = ex221.parameters()
    n = ex221.forward(p)
    st = StepThrough(n["L"], params=p.values())
    path = st.save(tmp_path_factory.mktemp("page") / "steps.html")
    return path, st


def errors(browser: Any) -> list[Any]:
    return [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


ACTIVE = """
const view = document.getElementById('view').getBoundingClientRect();
const boxes = [...document.querySelectorAll('g.node.active, g.node.near')].map((g) => {
  const r = g.getBoundingClientRect();
  return {active: g.classList.contains('active'), inside: r.left >= view.left - 1 && r.right <= view.right + 1
    && r.top >= view.top - 1 && r.bottom <= view.bottom + 1,
    text: Math.min(...[...g.querySelectorAll('text')].map((t) => t.getBoundingClientRect().height))};
});
return {boxes, caption: document.getElementById('caption').textContent,
  count: document.getElementById('count').textContent,
  box: document.querySelector('#view svg').getAttribute('viewBox'),
  rows: [...document.querySelectorAll('tr.current')].map((r) => r.id)};
"""


def test_active_node_is_on_screen_and_readable_without_user_action(browser: Any, page221: Any) -> None:
    path, st = page221
    browser.get(path.as_uri())
    w, h = browser.execute_script("return [window.innerWidth, window.innerHeight]")
    assert abs(w - 1366) < 40 and abs(h - 768) < 150
    s = browser.execute_script(ACTIVE)
    assert s["caption"] == st.frames[0].explanation and s["count"].startswith("step 1 of")
    active = [b for b in s["boxes"] if b["active"]]
    assert active and all(b["inside"] for b in active)
    assert min(b["text"] for b in active) >= 11  # px, node text
    assert all(b["inside"] for b in s["boxes"])  # its inputs too
    assert errors(browser) == []


def test_keys_step_through_every_frame_with_the_engines_numbers(browser: Any, page221: Any) -> None:
    from selenium.webdriver.common.keys import Keys

    path, st = page221
    browser.get(path.as_uri())
    body = browser.find_element("tag name", "body")
    for k, frame in enumerate(st.frames):
        if k:
            body.send_keys(Keys.ARROW_RIGHT)
        s = browser.execute_script(ACTIVE)
        assert s["caption"] == frame.explanation, k
        value = frame.node.data if frame.phase == "forward" else frame.node.grad
        if frame.phase == "forward" or frame.node in st.walk.needs_grad:
            assert s["caption"].endswith(f"= {num(value, 6)}") or s["caption"].endswith("∂L/∂L"), s["caption"]
        active = [b for b in s["boxes"] if b["active"]]
        assert active and all(b["inside"] and b["text"] >= 11 for b in active), (k, s)
        assert s["rows"], k  # the trace row of this step is highlighted
    body.send_keys(Keys.ARROW_RIGHT)  # past the end: stays on the last frame
    assert browser.execute_script(ACTIVE)["caption"] == st.frames[-1].explanation
    body.send_keys(Keys.HOME)
    assert browser.execute_script(ACTIVE)["caption"] == st.frames[0].explanation
    body.send_keys(Keys.END)
    assert browser.execute_script(ACTIVE)["count"] == f"step {len(st.frames)} of {len(st.frames)} (backward)"
    assert errors(browser) == []


def test_gradients_appear_only_once_reached(browser: Any, page221: Any) -> None:
    from selenium.webdriver.common.keys import Keys

    path, st = page221
    browser.get(path.as_uri())
    grads = (
        "return [...document.querySelectorAll('g.node')].filter((g) => /^n\\d+$/.test(g.id))"
        ".flatMap((g) => [...g.querySelectorAll('text')]).filter((t) => t.textContent.startsWith('grad ')"
        " && t.textContent !== 'grad ?' && t.textContent !== 'grad —').length"
    )
    assert browser.execute_script(grads) == 0  # forward: no gradient yet
    first_backward = [f.phase for f in st.frames].index("backward")
    body = browser.find_element("tag name", "body")
    for _ in range(first_backward):
        body.send_keys(Keys.ARROW_RIGHT)
    assert browser.execute_script(grads) == 1  # the seed
    body.send_keys(Keys.END)
    assert browser.execute_script(grads) == len(st.walk.needs_grad)


def test_wheel_zooms_and_drag_pans(browser: Any, page221: Any) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions.wheel_input import ScrollOrigin

    path, _ = page221
    browser.get(path.as_uri())
    box = lambda: [float(v) for v in browser.execute_script(ACTIVE)["box"].split()]  # noqa: E731
    before = box()
    view = browser.find_element("id", "view")
    ActionChains(browser).scroll_from_origin(ScrollOrigin.from_element(view), 0, 300).perform()
    zoomed = box()
    assert zoomed[2] > before[2] * 1.2  # wheel down: zoom out, the view box grows
    ActionChains(browser).move_to_element(view).click_and_hold().move_by_offset(120, 40).release().perform()
    panned = box()
    assert panned[0] < zoomed[0] and panned[2] == pytest.approx(zoomed[2])
    browser.find_element("id", "fit").click()
    assert errors(browser) == []


def test_drawing_viewer_page_has_no_errors(browser: Any, net221: Any, tmp_path: Path) -> None:
    p, n = net221
    viewer = tmp_path / "viewer.html"
    viewer.write_text(page.build(draw_graph(n["L"], params=p.values()).svg(), "graph"), encoding="utf-8")
    browser.get(viewer.as_uri())
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
    _, st = page221
    cell = tmp_path / "cell.html"
    cell.write_text(f"<html><body><p>a notebook cell</p>{st._repr_html_()}</body></html>", encoding="utf-8")
    browser.get(cell.as_uri())
    browser.switch_to.frame(browser.find_element("tag name", "iframe"))
    try:
        s = browser.execute_script(ACTIVE)
        active = [b for b in s["boxes"] if b["active"]]
        assert s["caption"] == st.frames[0].explanation
        assert active and all(b["inside"] and b["text"] >= 11 for b in active)
    finally:
        browser.switch_to.default_content()
    assert errors(browser) == []
