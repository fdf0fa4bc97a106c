"""render and backward_html with and without Graphviz's ``dot``: never a traceback, one line of help."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from autograd import Value
from autograd import draw as draw_module
from autograd.draw import draw_graph, render
from autograd.steps import backward_html


def small_graph() -> Value:
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    out = a * b + a
    out.label = "out"
    out.backward()
    return out


def test_render_writes_source_and_svg(tmp_path: Path, require_dot: None, capsys: Any) -> None:
    image = render(draw_graph(small_graph()), tmp_path / "sub" / "g.svg")
    assert image == tmp_path / "sub" / "g.svg"
    assert "<svg" in image.read_text() and "grad &#45;2" in image.read_text()  # dot writes - as &#45;
    assert (tmp_path / "sub" / "g.gv").read_text().startswith("digraph")
    assert capsys.readouterr() == ("", "")


def test_render_accepts_a_root_and_other_formats(tmp_path: Path, require_dot: None) -> None:
    image = render(small_graph(), tmp_path / "g", format="png")
    assert image == tmp_path / "g.png" and image.read_bytes().startswith(b"\x89PNG")


@pytest.fixture(params=["empty PATH", "which() finds nothing"])
def dot_missing(request: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    if request.param == "empty PATH":
        request.getfixturevalue("no_dot")
    else:
        monkeypatch.setattr(draw_module.shutil, "which", lambda name: None)


def test_render_without_dot_writes_source_and_one_line(
    tmp_path: Path, dot_missing: None, capsys: Any
) -> None:
    result = render(small_graph(), tmp_path / "g.svg")
    assert result == tmp_path / "g.gv" and result.read_text().startswith("digraph")
    assert not (tmp_path / "g.svg").exists()
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert "apt-get install graphviz" in err and "brew install graphviz" in err and str(result) in err
    assert f"dot -Tsvg {result} -o {tmp_path / 'g.svg'}" in err and "Traceback" not in err


def test_step_page_without_dot_says_one_line(tmp_path: Path, dot_missing: None, capsys: Any) -> None:
    assert backward_html(small_graph(), tmp_path / "steps.html") is None
    assert not (tmp_path / "steps.html").exists()
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "install Graphviz" in err


def test_the_real_dot_is_found_when_installed() -> None:
    assert draw_module.dot_available() == (shutil.which("dot") is not None)
