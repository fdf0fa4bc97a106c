"""render and the pages with the system dot, with graphviz-pure only, and with no renderer:
the format the extension names, a time limit, never a traceback, one line of help."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from svgtext import node_texts

from autograd import StepThrough, Value, backward_html, draw_graph, render
from autograd.visual import render as rnd


def small_graph() -> Value:
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    out = a * b + a
    out.label = "out"
    out.backward()
    return out


@pytest.fixture(params=["dot", "graphviz-pure"])
def renderer(request: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """Run with the system dot, or with dot hidden from PATH so graphviz-pure draws."""
    if request.param == "dot":
        if shutil.which("dot") is None:
            pytest.skip("Graphviz's dot is not installed")
    else:
        if rnd.find("graphviz-pure") is None:
            pytest.skip("graphviz-pure is not installed")
        request.getfixturevalue("no_dot")
    return request.param


@pytest.mark.parametrize("suffix, magic", [(".svg", b"<?xml"), (".png", b"\x89PNG")])
def test_render_writes_the_format_the_extension_names(
    tmp_path: Path, renderer: str, suffix: str, magic: bytes, capsys: Any
) -> None:
    image = render(draw_graph(small_graph()), tmp_path / "sub" / f"g{suffix}")
    assert image == tmp_path / "sub" / f"g{suffix}" and image.read_bytes().startswith(magic)
    assert (tmp_path / "sub" / "g.gv").read_text().startswith("digraph")
    assert not (tmp_path / "sub" / f"g{suffix}{suffix}").exists() and capsys.readouterr() == ("", "")
    assert Path(rnd.renderer("svg")).name == renderer
    g = draw_graph(small_graph())  # graphviz's own pipe() goes through the same renderers
    assert g.pipe(format="png").startswith(b"\x89PNG") and g.pipe(encoding="utf-8").startswith("<?xml")


def test_pdf_with_dot(tmp_path: Path, require_dot: None) -> None:
    assert render(small_graph(), tmp_path / "g.pdf").read_bytes().startswith(b"%PDF")


def test_pdf_without_dot_says_what_to_do(tmp_path: Path, no_dot: None, capsys: Any) -> None:
    if rnd.find("graphviz-pure") is None:
        pytest.skip("graphviz-pure is not installed")
    assert render(small_graph(), tmp_path / "g.pdf") is None
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "PDF needs Graphviz's dot" in err and "Traceback" not in err


def test_an_unknown_extension_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"path must end in .svg, .png or .pdf; got '.*g\.jpg'"):
        render(small_graph(), tmp_path / "g.jpg")
    with pytest.raises(ValueError, match="path must end in"):
        render(small_graph(), tmp_path / "g")


def test_both_renderers_show_the_same_texts(require_dot: None, net221: Any, monkeypatch: Any) -> None:
    p, n = net221
    source = draw_graph(n["L"], params=p.values()).source
    with_dot = node_texts(rnd.svg(source))
    monkeypatch.setitem(rnd.FORMATS, "svg", ("graphviz-pure",))
    assert node_texts(rnd.svg(source)) == with_dot


BACKSLASHES = [r"C:\New\Gain", r"\T\H\L\E\G\N\n\l\r", "end\\", "two\\\\", r"\x1b"]


def test_backslashes_in_labels_are_drawn_literally(renderer: str) -> None:
    """Graphviz reads ``\\N``, ``\\G``, ``\\E``, ... in a label as object names: ``C:\\New\\Gain`` was drawn
    as ``C:n0ewbackpropain``. Node labels, input cells and a loss's frame show them as typed."""
    from autograd.visual import groups

    leaves = [Value(float(i), label) for i, label in enumerate(BACKSLASHES)]
    groups.begin(r"loss\G", leaves)
    out = sum(leaves[1:], leaves[0])
    groups.end(out)
    out.label = r"\N"
    texts = [t for ts in node_texts(rnd.svg(draw_graph(out).source)).values() for t in ts]
    for label in [*BACKSLASHES, r"\N"]:
        assert label in texts, (label, texts)
    assert r"∂/∂(C:\New\Gain) = 1" in texts
    framed = rnd.svg(draw_graph(out, expand_losses=True).source)
    assert r">loss\G<" in framed and "lossbackprop" not in framed


@pytest.fixture
def nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """No renderer at all: neither dot nor graphviz-pure."""
    monkeypatch.setattr(rnd, "find", lambda program: None)


def test_without_any_renderer_one_line_and_no_traceback(tmp_path: Path, nothing: None, capsys: Any) -> None:
    assert render(small_graph(), tmp_path / "g.svg") is None
    assert (tmp_path / "g.gv").read_text().startswith("digraph") and not (tmp_path / "g.svg").exists()
    assert backward_html(small_graph(), tmp_path / "steps.html") is None
    assert not (tmp_path / "steps.html").exists()
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert out == "" and len(lines) == 2 and all("pip install graphviz-pure" in x for x in lines)
    assert "Traceback" not in err


def test_jupyter_display_without_renderer_is_one_line(nothing: None) -> None:
    bundle = draw_graph(small_graph())._repr_mimebundle_()
    assert list(bundle) == ["text/plain"] and "pip install graphviz-pure" in bundle["text/plain"]
    assert "pip install graphviz-pure" in StepThrough(small_graph())._repr_html_()


def test_jupyter_display_shows_svg_and_the_zoomable_page() -> None:
    bundle = draw_graph(small_graph())._repr_mimebundle_()
    assert bundle["image/svg+xml"].startswith("<svg") and "<iframe srcdoc=" in bundle["text/html"]
    assert draw_graph(small_graph())._repr_svg_() == bundle["image/svg+xml"]


def test_a_slow_layout_is_stopped_with_a_clear_message(tmp_path: Path, monkeypatch: Any, capsys: Any) -> None:
    slow = tmp_path / "slow"
    slow.write_text("#!/bin/sh\nsleep 5\n")
    slow.chmod(0o755)
    monkeypatch.setattr(rnd, "find", lambda program: str(slow))
    assert render(small_graph(), tmp_path / "g.svg", timeout=0.3) is None
    err = capsys.readouterr().err
    assert "took longer than 0.3 s" in err and "max_nodes" in err and err.count("\n") == 1


def test_a_failing_renderer_says_why(tmp_path: Path, monkeypatch: Any) -> None:
    bad = tmp_path / "bad"
    bad.write_text("#!/bin/sh\necho 'syntax error in line 1' >&2\nexit 1\n")
    bad.chmod(0o755)
    monkeypatch.setattr(rnd, "find", lambda program: str(bad))
    with pytest.raises(rnd.RenderError, match="bad failed: syntax error in line 1"):
        rnd.svg("digraph {}")


def test_graphviz_pure_is_found_outside_an_activated_environment(no_dot: None) -> None:
    found = rnd.find("graphviz-pure")
    if found is None:
        pytest.skip("graphviz-pure is not installed")
    assert subprocess.run([found, "-V"], capture_output=True).returncode == 0
