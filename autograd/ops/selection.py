"""Selection by a condition or by positions: where, take_along (positions that are an input), and
the node a selected derivative becomes under create_graph."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .primitive import PerInput, Primitive
from .shape import along

#: ``where(condition, a, b)``, the condition its third input (a bool node no gradient reaches: a
#: comparison of the same call's numbers in a compiled step)
WHERE = Primitive(
    "where",
    lambda a, b, condition: np.where(condition, a, b),
    (
        lambda ns, g, out, a, b, condition: ns.mask(g, condition),
        lambda ns, g, out, a, b, condition: ns.mask(g, ~condition),
        lambda ns, g, out, a, b, condition: None,
    ),
    ("g·[cond]", "g·[not cond]", "0"),
)


def _take_along_vjp(i: int) -> Callable[..., Any]:
    if i == 0:
        return lambda ns, g, out, a, index, axis: ns.scatter_add(
            g, along(ns.num(index), axis, a.shape), a.shape
        )
    return lambda ns, g, out, a, index, axis: None  # (positions: no gradient)


#: ``a``'s elements at ``index`` along ``axis`` (numpy's ``take_along_axis``), the positions its
#: second input: an int node no gradient reaches, computed from the same call's numbers in a
#: compiled step (the place a median, a k-th value or a running maximum takes its value from)
TAKE_ALONG = Primitive(
    "take_along",
    lambda a, index, axis: a[along(index, axis, a.shape)],
    PerInput(_take_along_vjp),
    ("g scatter-added at index", "0"),
)


class Slot:
    """In ``INDEX``'s key: where input ``1 + position`` (an int node) goes."""

    __slots__ = ("position",)

    def __init__(self, position: int) -> None:
        self.position = position

    def __repr__(self) -> str:
        return f"Slot({self.position})"


def fill(key: tuple, positions: Any) -> tuple:
    """``key`` with each :class:`Slot` replaced by its array of positions."""
    return tuple(positions[k.position] if isinstance(k, Slot) else k for k in key)


def _index_vjp(i: int) -> Callable[..., Any]:
    if i == 0:
        return lambda ns, g, out, a, *positions, key: ns.scatter_add(
            g, fill(key, [ns.num(p) for p in positions]), a.shape
        )
    return lambda ns, g, out, a, *positions, key: None  # (positions: no gradient)


#: ``a[key]`` where the key's integer arrays are inputs (``Slot``s): positions computed in the graph
#: (an argmax, a top-k's indices), so that a compiled step indexes by each call's positions
INDEX = Primitive(
    "index",
    lambda a, *positions, key: a[fill(key, positions)],
    PerInput(_index_vjp),
    ("g scatter-added at the positions", "0"),
)


def _link_vjp(i: int) -> Callable[..., Any]:
    if i == 0:
        return lambda ns, g, out, *inputs: g
    return lambda ns, g, out, *inputs: None  # no gradient at all, not zeros (0 · inf upstream is nan)


#: ``g`` recorded as depending on the nodes a VJP selected it by (relu's mask reads the output,
#: abs's sign the input), with derivative 0 there: so a create_graph gradient of a piecewise-linear
#: function is a node (torch's rule) whose own derivative is 0 wherever it is defined. As torch's
#: sign, the link carries no gradient at all (a VJP returning None), so no inf upstream meets it
SELECTED = Primitive("selected", lambda g, *by: g, PerInput(_link_vjp), ("g", "0"))
