"""examples/tutorial.ipynb runs top to bottom: the graph, the trace (once), the page and one step."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from svgtext import node_texts
from test_browser import DARK_NOTEBOOK, MIN_TEXT, SIZES, SVG_TEXT_PX, errors, frame_is, low_contrast, open_at

from autograd import draw_graph
from autograd.visual.text import num

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def executed() -> Any:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.read(ROOT / "examples" / "tutorial.ipynb", as_version=4)
    nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "examples")}}
    ).execute()
    return [c for c in nb.cells if c.cell_type == "code"]


def outputs(cell: Any) -> list[dict[str, Any]]:
    assert not [o for o in cell.outputs if o.output_type == "error"], cell.outputs
    return [o for o in cell.outputs if o.output_type in ("execute_result", "display_data")]


def test_the_graph_shows_as_svg_and_as_the_zoomable_page(executed: Any, torch221: dict, ex221: Any) -> None:
    (out,) = outputs(executed[1])
    svg, page = out["data"]["image/svg+xml"], out["data"]["text/html"]
    assert svg.startswith("<svg") and "loss binary_cross_entropy" in svg and "grad —" in svg
    texts = [t for ts in node_texts(svg).values() for t in ts]
    for k in ("w11", "w13", "b3"):
        assert f"grad {num(torch221[k])}" in texts
    assert page.startswith("<iframe srcdoc=") and "&lt;svg" in page
    # the boxes read as the script's: every node named (∂/∂w11·x1, never ∂/∂#4)
    assert not [t for t in texts if "#" in t] and "∂/∂(w11·x1) = 1" in texts
    p = ex221.parameters()
    n = ex221.forward(p)
    n["L"].backward()
    script = draw_graph(n["L"], params=p.values()).svg()
    assert sorted(texts) == sorted(t for ts in node_texts(script).values() for t in ts)


def test_the_trace_shows_once(executed: Any, torch221: dict) -> None:
    (out,) = outputs(executed[2])
    text = out["data"]["text/plain"]
    assert text.startswith("Forward pass") and text.count("Backward pass") == 1
    assert f"{torch221['w13']:.6g}" in text and "<table" in out["data"]["text/html"]
    assert not [o for o in executed[2].outputs if o.output_type == "stream"]  # nothing printed besides


def test_the_step_through_page_is_inline_html(executed: Any) -> None:
    (out,) = outputs(executed[3])
    page = out["data"]["text/html"]
    assert page.startswith("<iframe srcdoc=") and "grad(z1) = ∂a1/∂z1 · grad(a1)" in page
    assert "✗ notes: z3 = 1.086; the engine: 1.01334. The slip is here" in page  # as the script prints


def test_one_gradient_descent_step_lowers_the_loss(executed: Any, torch221: dict, weights221: dict) -> None:
    cell = executed[4]
    printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    before, after = (float(x) for x in printed.split("loss ")[1].split(" -> "))
    assert before == pytest.approx(torch221["L"], abs=1e-6) and after < before
    (out,) = outputs(cell)
    new = eval(out["data"]["text/plain"])  # a dict literal of rounded floats
    for k, w in weights221.items():
        assert new[k] == pytest.approx(w - 0.1 * torch221[k], abs=1e-6)


# what would make a browser fetch something: an address outside the output (http:, https: or
# protocol-relative) in src/href/url(), a stylesheet import or link, a script with a src
FETCH = re.compile(
    r"""(?:\b(?:src|href|xlink:href|action|srcset)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//)"""
    r"""|url\(\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//|@import|<link\b|<script\b[^>]*\bsrc\s*=""",
    re.IGNORECASE,
)


def test_every_output_is_self_contained(executed: Any) -> None:
    """The drawing's SVG and HTML and the page's HTML hold everything they show: no address to
    fetch (the SVG's xmlns names are not fetched), so they show offline and in a saved notebook."""
    shown = [
        (k, html.unescape(v))
        for cell in executed
        for out in outputs(cell)
        for k, v in out["data"].items()
        if k in ("text/html", "image/svg+xml")
    ]
    assert {k for k, _ in shown} == {"text/html", "image/svg+xml"} and len(shown) >= 4
    for kind, text in shown:
        assert FETCH.findall(text) == [], kind
    assert FETCH.findall(shown[0][1] + "<img src='//cdn.example/x.png'>")  # the check can fail


def test_the_notebooks_outputs_as_a_reader_sees_them(executed: Any, browser: Any, tmp_path: Path) -> None:
    """The graph's and the page's outputs, as a notebook with a dark theme shows them at 1366×768:
    graph text of at least MIN_TEXT px, every text at WCAG AA contrast, no console errors."""
    for cell, frame in [(executed[1], "none"), (executed[3], "0")]:
        (out,) = outputs(cell)
        page = tmp_path / "cell.html"
        page.write_text(DARK_NOTEBOOK.format(out["data"]["text/html"]), encoding="utf-8")
        open_at(browser, page.as_uri(), SIZES[0])
        browser.switch_to.frame(browser.find_element("tag name", "iframe"))
        try:
            frame_is(browser, frame)
            assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
            shown, smallest = browser.execute_script(SVG_TEXT_PX)
            assert shown >= 10 and smallest >= MIN_TEXT, (frame, smallest)
            assert low_contrast(browser) == [], frame
        finally:
            browser.switch_to.default_content()
    assert errors(browser) == []
