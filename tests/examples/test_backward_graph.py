"""backward_graph: dy/dx built with create_graph=True is a graph that is drawn and differentiated again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import torch
from examples_helpers import load_example, run_small

from autograd import Value, dot_available, draw_graph, toposort


@pytest.fixture(scope="module")
def result(out_dir: Path) -> dict[str, Any]:
    return run_small("backward_graph", out_dir)


def test_derivatives_match_closed_forms_and_torch(result: dict[str, Any]) -> None:
    y, dy, d2y = result["closed_forms"]
    assert isinstance(result["dy_dx"], Value) and isinstance(result["d2y_dx2"], float)
    assert result["y"].data == pytest.approx(y, rel=1e-15)
    assert result["dy_dx"].data == pytest.approx(dy, rel=1e-14)
    assert result["d2y_dx2"] == pytest.approx(d2y, rel=1e-13)
    x = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(torch.tanh(x * x), [x], create_graph=True)
    (h,) = torch.autograd.grad(g, [x])
    assert result["dy_dx"].data == pytest.approx(g.item(), rel=1e-14)
    assert result["d2y_dx2"] == pytest.approx(h.item(), rel=1e-13)
    # the closed forms themselves, against central differences of tanh(x²)
    mod = load_example("backward_graph")
    eps = 1e-5
    f = lambda v: mod.closed_forms(v)[0]  # noqa: E731
    assert dy == pytest.approx((f(0.7 + eps) - f(0.7 - eps)) / (2 * eps), rel=1e-9)
    assert d2y == pytest.approx((f(0.7 + eps) - 2 * f(0.7) + f(0.7 - eps)) / eps**2, rel=1e-5)


def test_the_gradient_graph_is_the_backward_pass(result: dict[str, Any]) -> None:
    g, x, y = result["dy_dx"], result["x"], result["y"]
    nodes = toposort(g)
    assert any(n is x for n in nodes)  # dy/dx depends on x: it can be differentiated again
    forward = toposort(y)
    x_squared = forward[[n.data for n in forward].index(pytest.approx(0.49))]
    assert any(n is x_squared for n in nodes)  # the forward node x·x is shared
    ops = [n.op for n in nodes if n.children]
    # x·x; tanh(x²) again; t·t; 1 − t²; (1 − t²)·x twice (the product rule); their sum
    assert sorted(ops) == sorted(["*", "tanh", "*", "-", "*", "*", "+"])
    # the drawing shows every one of them (the DOT source names the nodes and the ops)
    source = draw_graph(g).source
    for text in ("dy/dx", "1.111", "x", "0.7", "tanh"):
        assert text in source, text


def test_both_graphs_are_rendered(result: dict[str, Any], out_dir: Path) -> None:
    names = sorted(Path(f).name for f in result["files"])
    if dot_available():
        assert names == ["backward_graph.svg", "backward_graph_forward.svg"]
        svg = (out_dir / "backward_graph.svg").read_text()
        assert svg.lstrip().startswith("<?xml") and "tanh" in svg and "dy/dx" in svg
    else:
        assert names == ["backward_graph.gv", "backward_graph_forward.gv"]
    assert "tanh" in (out_dir / "backward_graph.gv").read_text()
