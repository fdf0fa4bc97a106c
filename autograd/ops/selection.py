"""Selection by a condition or by positions: where, take_along (positions that are an input), the
node a selected derivative becomes under create_graph, a saved tensor a hook unpacked, and
max_unpool (values written at positions that are an input)."""

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


def _link_vjp(i: int) -> Callable[..., Any]:
    if i == 0:
        return lambda ns, g, out, *inputs: g
    return lambda ns, g, out, *inputs: None  # no gradient at all, not zeros (0 · inf upstream is nan)


#: ``g`` recorded as depending on the nodes a VJP selected it by (relu's mask reads the output,
#: abs's sign the input), with derivative 0 there: so a create_graph gradient of a piecewise-linear
#: function is a node (torch's rule) whose own derivative is 0 wherever it is defined. As torch's
#: sign, the link carries no gradient at all (a VJP returning None), so no inf upstream meets it
SELECTED = Primitive("selected", lambda g, *by: g, PerInput(_link_vjp), ("g", "0"))

#: A saved tensor's value as a saved-tensor hook unpacked it, under create_graph (autograd/_packed.py):
#: its numbers ``value``, its gradient its input's, as torch's unpacked variable keeps the saved one's grad_fn
UNPACKED = Primitive("unpacked", lambda x, value: value, (lambda ns, g, out, x, value: g,), ("g",))


def _unpool_forward(a: np.ndarray, sources: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """``a`` (N, C, L) written into channels of ``sources``' length: each output element the input
    element ``sources`` names there (``L``: none, a zero)."""
    padded = np.concatenate((a, np.zeros(a.shape[:2] + (1,), a.dtype)), axis=2)
    return np.take_along_axis(padded, sources, axis=2)


def _unpool_vjp(i: int) -> Callable[..., Any]:
    if i == 0:  # (each input element gets its position's gradient, also where two share one: torch's)
        return lambda ns, g, out, a, sources, positions: ns.getitem(g, along(ns.num(positions), 2, a.shape))
    return lambda ns, g, out, *inputs: None  # (positions: no gradient)


#: torch's ``max_unpool`` on (N, C, L) channels: its inputs are the values, ``sources`` (for each
#: output element, the input element written there: the last whose position it is, as torch's CPU
#: kernel writes) and ``positions`` (``indices``: each input element's place in its output channel),
#: all found by the caller from each call's indices. The gradient is torch's: the output's gathered
#: at ``positions``, so two elements sharing a place both get its gradient
MAX_UNPOOL = Primitive(
    "max_unpool",
    _unpool_forward,
    PerInput(_unpool_vjp),
    ("g at the element's position", "0", "0"),
)
