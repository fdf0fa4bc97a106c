"""Selection by a condition or by positions: where, take_along (positions that are an input), and
the node a selected derivative becomes under create_graph."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .primitive import PerInput, Primitive

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


def _link_vjp(i: int) -> Callable[..., Any]:
    if i == 0:
        return lambda ns, g, out, *inputs: g
    return lambda ns, g, out, *inputs: None  # no gradient at all, not zeros (0 · inf upstream is nan)


#: ``g`` recorded as depending on the nodes a VJP selected it by (relu's mask reads the output,
#: abs's sign the input), with derivative 0 there: so a create_graph gradient of a piecewise-linear
#: function is a node (torch's rule) whose own derivative is 0 wherever it is defined. As torch's
#: sign, the link carries no gradient at all (a VJP returning None), so no inf upstream meets it
SELECTED = Primitive("selected", lambda g, *by: g, PerInput(_link_vjp), ("g", "0"))
