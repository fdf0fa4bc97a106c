"""The graph that backward builds
==============================

The graph that backward builds: dy/dx as a graph of its own, drawn, and differentiated again.

For y = tanh(x²) at x = 0.7, ``grad(y, [x], create_graph=True)`` runs the chain rule on
Values instead of floats, so dy/dx comes back as a node whose graph is the backward pass
itself: the local derivative of tanh, 1 − tanh², times the local derivative of x·x, which
is x along each of its two edges (x·1 + 1·x, the product rule). The forward node x·x is
shared by both graphs; tanh's rule computes tanh(x²) again (a new node) rather than reading y.
``draw_graph`` draws it; ``grad`` of it gives the second derivative. Both are checked
against the closed forms

    dy/dx   = 2x·sech²(x²)
    d²y/dx² = 2·sech²(x²) − 8x²·tanh(x²)·sech²(x²)

    python examples/backward_graph.py [--out DIR] [--small]

writes ``backward_graph_forward.svg`` (the graph of y) and ``backward_graph.svg`` (the graph
of dy/dx), each with its DOT source (``.gv``); without Graphviz's ``dot`` only the ``.gv``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from _common import make_parser, out_dir

from autograd import Value, draw_graph, grad, render

X0 = 0.7


def closed_forms(x: float) -> tuple[float, float, float]:
    """y, dy/dx and d²y/dx² of y = tanh(x²), by hand."""
    t = math.tanh(x * x)
    sech2 = 1.0 - t * t
    return t, 2 * x * sech2, 2 * sech2 - 8 * x * x * t * sech2


def derivatives(x0: float) -> dict[str, Any]:
    """y = tanh(x²); dy/dx as a graph node (create_graph=True) and d²y/dx² as a float."""
    x = Value(x0, label="x")
    y = (x * x).tanh()
    y.label = "y"
    (dy_dx,) = grad(y, [x], create_graph=True)  # a Value: the backward pass, recorded
    dy_dx.label = "dy/dx"
    (d2y_dx2,) = grad(dy_dx, [x])  # a float: torch.autograd.grad semantics
    return {"x": x, "y": y, "dy_dx": dy_dx, "d2y_dx2": d2y_dx2}


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = make_parser(__doc__).parse_args(argv)
    d = derivatives(X0)
    y, dy, d2y = closed_forms(X0)
    print(f"y = tanh(x²) at x = {X0}")
    print(f"  y       = {d['y'].data:.15f}   closed form {y:.15f}")
    print(f"  dy/dx   = {d['dy_dx'].data:.15f}   closed form 2x·sech²(x²) = {dy:.15f}")
    print(f"  d²y/dx² = {d['d2y_dx2']:.15f}   closed form 2·sech²(x²) − 8x²·tanh(x²)·sech²(x²) = {d2y:.15f}")
    print(f"  dy/dx is a {type(d['dy_dx']).__name__} with a graph of its own; its inputs: x and constants")

    folder = out_dir(args.out)
    d["files"] = [
        str(render(draw_graph(d["y"]), folder / "backward_graph_forward.svg")),
        str(render(draw_graph(d["dy_dx"]), folder / "backward_graph.svg")),
    ]
    for f in d["files"]:
        print(f"wrote {f}")
    d["closed_forms"] = (y, dy, d2y)
    return d


if __name__ == "__main__":
    main()
