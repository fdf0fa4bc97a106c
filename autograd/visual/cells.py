"""What each part of a node's box says: its data, its gradient, and the derivative on each input edge.

The drawing, the step-through captions and the page take these texts from here, so
a cell reads the same everywhere. An edge's cell is written by :func:`local_text`.
"""

from __future__ import annotations

from .text import cell, num
from .walk import Edge, Node, Walk, is_node


def data_text(node: Node, digits: int = 4) -> str:
    """The node's value: a number, or an array's values or summary."""
    return cell(node.data, digits)


def grad_text(node: Node, digits: int = 4) -> str:
    """The node's gradient (a ``create_graph`` gradient by its numbers); ``None`` when it has none."""
    g = node.grad
    if is_node(g):  # a create_graph gradient is itself a graph node: show its numbers
        g = g.data
    return "None" if g is None else cell(g, digits)


def local_text(walk: Walk, edge: Edge) -> str:
    """The cell of ``edge``: ``∂/∂a = 0.5`` for a Value, the rule and shapes for a Tensor."""
    if isinstance(edge.local, str):
        shapes = "" if edge.child.shape == edge.out.shape else f"  {edge.out.shape}→{edge.child.shape}"
        return f"{walk.ref(edge.child)}: {edge.local}{shapes}"
    return f"∂/∂{walk.ref(edge.child)} = {num(edge.local)}"
