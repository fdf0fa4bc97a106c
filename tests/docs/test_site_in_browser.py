"""The built site in a real browser (Debian's Chromium via chromedriver and selenium) at 1366×768,
served over HTTP from localhost: math is typeset, pictures load, nothing comes from outside.

Screenshots of the home page, a tutorial and an API page go to ``docs/_build/screenshots/``.
Skipped where no browser is installed; with ``CI=true`` a missing browser fails.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docsite import HTML

IN_CI = os.environ.get("CI", "").lower() == "true"
SHOTS = HTML.parent / "screenshots"
PAGES = {
    "home": "index.html",
    "tutorial": "tutorials/check_your_derivative.html",
    "api": "api/generated/losses.huber.html",
}
TIMEOUT = 60  # seconds to wait for a condition on a busy machine


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def origin(site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


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
    d = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    d.set_script_timeout(TIMEOUT)
    try:
        yield d
    finally:
        d.quit()


def _missing(why: str) -> None:
    if IN_CI:
        pytest.fail(f"CI must run the browser tests: {why} (.ci/run installs chromium and chromium-driver)")
    pytest.skip(why)


def _open(browser: Any, url: str) -> None:
    """Load ``url`` and wait until the page, its images and MathJax's typesetting are done."""
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(url)
    loaded = "return document.readyState === 'complete'"
    WebDriverWait(browser, TIMEOUT).until(lambda d: d.execute_script(loaded))
    browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "const typeset = window.MathJax && MathJax.startup ? MathJax.startup.promise : Promise.resolve();"
        "const images = [...document.images].map((img) => { img.loading = 'eager';"
        "  return img.complete ? null : new Promise((r) => { img.onload = img.onerror = r; }); });"
        "Promise.all([typeset, ...images]).then(() => done(true));"
    )


MATH = """
const prose = document.body.cloneNode(true);  // LaTeX in code and its output is meant to be seen
prose.querySelectorAll('pre, code').forEach((el) => el.remove());
const shown = prose.innerText;
return {
  typeset: [...document.querySelectorAll('mjx-container')].map((m) => m.getBoundingClientRect().width),
  raw: ['\\\\frac', '\\\\sum', '\\\\partial', '$$'].filter((s) => shown.includes(s)),
};
"""


@pytest.mark.parametrize("name", PAGES)
def test_pages_render_with_their_math_typeset(browser: Any, origin: str, name: str) -> None:
    _open(browser, f"{origin}/{PAGES[name]}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / f"{name}.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    assert browser.get_window_size()["width"] == 1366
    math = browser.execute_script(MATH)
    assert math["raw"] == [], f"{name}: raw TeX visible: {math['raw']}"
    if name != "home":
        assert math["typeset"] and min(math["typeset"]) > 0, f"{name}: no typeset math"


@pytest.mark.parametrize("page", ["gallery/index.html", "gallery/loss_gallery.html", "index.html"])
def test_the_gallery_images_load(browser: Any, origin: str, page: str) -> None:
    _open(browser, f"{origin}/{page}")
    images = browser.execute_script(
        "return [...document.images].map((img) => [img.getAttribute('src'), img.naturalWidth]);"
    )
    assert images, f"{page} shows no image"
    assert [src for src, width in images if width == 0] == []


def _step_page_counter(browser: Any) -> str:
    """The counter of the last iframe on the page (the step-through page), once its script set it."""
    from selenium.webdriver.support.ui import WebDriverWait

    frames = browser.find_elements("css selector", "iframe")
    assert len(frames) >= 2, "the drawing and the step-through page should both be embedded"
    browser.switch_to.frame(frames[-1])
    try:
        return WebDriverWait(browser, TIMEOUT).until(lambda d: d.find_element("id", "count").text)
    finally:
        browser.switch_to.default_content()


def test_the_live_pages_run_and_nothing_is_fetched_from_outside(browser: Any, origin: str) -> None:
    """The getting-started page embeds the drawing and the step-through page in iframes."""
    _open(browser, f"{origin}/getting_started.html")
    count = _step_page_counter(browser)
    assert count.startswith("step 1 of "), count
    resources = browser.execute_script("return performance.getEntriesByType('resource').map((r) => r.name);")
    assert [r for r in resources if not r.startswith(origin)] == []


def test_an_embedded_page_leaves_the_reader_at_the_top(browser: Any, origin: str) -> None:
    _open(browser, f"{origin}/getting_started.html")
    _step_page_counter(browser)
    assert browser.execute_script("return window.scrollY") == 0


#: pages whose tables are mostly code (torch's spellings beside this library's)
TABLE_PAGES = ["guides/from_pytorch.html", "guides/losses.html", "guides/from_numpy.html"]
TABLES = """
return [...document.querySelectorAll('.bd-article table')].map((t) => {
  const box = t.parentElement;
  const text = [...t.querySelectorAll('th, td, td code, td span.pre')];
  const font = Math.min(...text.map((e) => parseFloat(getComputedStyle(e).fontSize)));
  return {rows: t.rows.length, table: t.scrollWidth, scroll: box.scrollWidth, client: box.clientWidth, font};
});
"""


@pytest.mark.parametrize("page", TABLE_PAGES)
def test_tables_of_code_fit_the_column(browser: Any, origin: str, page: str) -> None:
    """At 1366×768 each table fits its content column (the From-PyTorch mapping was 811 px wide in a
    677 px column): long inline code wraps instead, and its text stays at least 12 px."""
    _open(browser, f"{origin}/{page}")
    tables = browser.execute_script(TABLES)
    assert tables, f"{page}: no table"
    for k, t in enumerate(tables):
        assert t["scroll"] <= t["client"] and t["table"] <= t["client"], (
            f"{page}: table {k} scrolls sideways: {t}"
        )
        assert t["font"] >= 12, f"{page}: table {k} has text under 12 px: {t}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / f"tables-{page.replace('/', '-').removesuffix('.html')}.png"
    browser.execute_script("document.querySelector('.bd-article table').scrollIntoView()")
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
