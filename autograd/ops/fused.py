"""Fused multiply-add: ``a · b + c`` rounded once, as torch's CPU kernels compute ``add``/``sub``
with ``alpha``, ``addcmul`` and ``lerp`` (ATen's ``fmadd``; numpy's ``a * b + c`` rounds twice and
differs in the last bit on a few percent of the elements).

Two primitives, each one rule:

- :data:`FMA`: ``fma(scale · a, b, c)`` (``scale`` a number, absent: 1); ``add(x, y, alpha=k)`` is
  ``FMA(y, k, x)``, ``addcmul(x, t1, t2, value=v)`` is ``FMA(t1, t2, x, scale=v)``. The gradients
  are torch's (its backward is not fused): ``a`` gets ``g · (b · scale)``, ``b`` gets
  ``g · (a · scale)``, ``c`` gets ``g``.
- :data:`LERP`: ``start + weight · (end − start)``, as torch's kernel picks its formula: for
  ``|weight| < 0.5`` ``fma(weight, end − start, start)``, else ``fma(weight − 1, end − start, end)``
  (exact at ``weight = 1``). Its gradients are torch's: ``start`` gets ``g · (1 − weight)``, ``end``
  ``g · weight``, ``weight`` ``g · (end − start)``; composed of ``FMA`` nodes, ``start``'s and
  ``end``'s would be rounded otherwise (``g − g · weight``) on 8% and 24% of float32 elements.
  ``weight`` is a third input (a Tensor: :data:`LERP_TENSOR`, the same rule) or the parameter
  ``weight`` (a number, as torch's ``lerp.Scalar``: rounded to the dtype for the forward,
  ``1 − weight`` taken in float64 first for ``start``'s gradient, as torch's).

:data:`ADDCDIV` (``c + (value · a) / b``) is not fused in torch; its rule gives torch's gradients.

Each is also named as torch's ops (``fma_as("addcmul")``, ``LERP_TENSOR``), so that ``grad_fn``
is torch's; the rule is the one written here.
"""

from __future__ import annotations

import types
from typing import Any

import numpy as np

from .._fma import axpy_, fma
from .primitive import Primitive

Array = np.ndarray
_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def _scaled(x: Any, scale: float | None) -> Any:
    return x if scale is None else x * scale


def _fma_forward(a: Array, b: Array, c: Array, scale: float | None = None) -> Array:
    """``fma(scale · a, b, c)``: the product ``scale · a`` rounded to the dtype first, as torch's
    ``addcmul`` (a Python ``scale`` is taken in ``a``'s dtype). One number ``b`` (add's alpha, lerp's
    weight) beside ``a`` and ``c`` of one shape and float dtype: ``axpy_`` on a copy of ``c``
    (OpenBLAS's fused kernel where it is fused: 5-20x faster than the emulation)."""
    a = _scaled(a, scale)
    if np.ndim(a) == 0:  # (the number first: fma(a, b, c) is fma(b, a, c))
        a, b = b, a
    if (
        np.ndim(b) == 0
        and type(c) is np.ndarray
        and a.shape == c.shape
        and a.dtype == c.dtype == np.result_type(b)
        and c.dtype in _FLOATS
    ):
        out = c.copy()
        axpy_(out, float(b), a)
    else:
        out = fma(a, b, c)
    return out


#: ``scale · a · b + c`` with one rounding after ``scale · a`` (inputs of one dtype, broadcast)
FMA = Primitive(
    "fma",
    _fma_forward,
    (
        lambda ns, g, out, a, b, c, scale=None: g * _scaled(b, scale),
        lambda ns, g, out, a, b, c, scale=None: g * _scaled(a, scale),
        lambda ns, g, out, a, b, c, scale=None: g,
    ),
    ("g·(the other factor)·scale", "g·(the first factor)·scale", "g"),
)
_AS = {FMA.name: FMA}


def _renamed(prim: Primitive, name: str) -> Primitive:
    """``prim``'s rule under the name ``name``: the same VJPs, and its forward's code as a function
    of its own (so a compiled step's source calls it ``<name>_forward``)."""
    f = prim.forward
    forward = types.FunctionType(f.__code__, f.__globals__, name, f.__defaults__, f.__closure__)
    return Primitive(name, forward, prim.vjps, prim.local)


def fma_as(name: str) -> Primitive:
    """:data:`FMA` (the same rule) under torch's op ``name``, "add", "sub" or "addcmul", so that a
    node's ``grad_fn`` is torch's (``AddcmulBackward0``)."""
    found = _AS.get(name)
    if found is None:
        found = _AS[name] = _renamed(FMA, name)
    return found


def _lerp_forward(start: Array, end: Array, weight: Any) -> Array:
    """torch's ``lerp``: one fused multiply-add from ``start`` or from ``end`` by ``|weight| < 0.5``."""
    w = np.asarray(weight, start.dtype) if not isinstance(weight, np.ndarray) else weight
    gap = end - start
    if w.ndim == 0:  # (one weight: one formula)
        small = bool(np.abs(w) < 0.5)
        return _fma_forward(w if small else w - 1, gap, start if small else end)
    small = np.abs(w) < 0.5
    return _fma_forward(np.where(small, w, w - 1), gap, np.where(small, start, end))


def _lerp_start(ns: Any, g: Any, out: Any, start: Any, end: Any, weight: Any) -> Any:
    return g * (1 - weight)  # (a number weight: 1 - weight in float64, then rounded, as torch's)


#: ``lerp(start, end, weight=number)``, or with a Tensor ``weight``, ``lerp(start, end, weight)``
#: (as :data:`LERP_TENSOR`: the same rule under torch's other name, its ``grad_fn`` LerpBackward1)
LERP = Primitive(
    "lerp",
    _lerp_forward,
    (
        _lerp_start,
        lambda ns, g, out, start, end, weight: g * weight,
        lambda ns, g, out, start, end, weight: g * (end - start),
    ),
    ("g·(1 − w)", "g·w", "g·(end − start)"),
)
LERP_TENSOR = _renamed(LERP, "lerp_tensor")


def _addcdiv_forward(c: Array, a: Array, b: Array, value: float | None = None) -> Array:
    """``c + (value · a) / b``, rounded after each step, as torch's kernel (no fused multiply-add)."""
    return c + _scaled(a, value) / b


def _one(value: float | None) -> float:
    return 1.0 if value is None else value


#: torch's ``addcdiv(c, a, b, value=v)``, which torch does not fuse: ``c + (v · a) / b``, with its own
#: rule for torch's gradients (``a`` gets ``g · (v / b)``, ``b`` gets ``-g · ((v · a) / (b · b))``;
#: composed of a product, a quotient and a sum, they would be rounded otherwise on a third of the
#: elements)
ADDCDIV = Primitive(
    "addcdiv",
    _addcdiv_forward,
    (
        lambda ns, g, out, c, a, b, value=None: g,
        lambda ns, g, out, c, a, b, value=None: g * ns.divide(_one(value), b),  # (ATen's v / b: a quotient)
        lambda ns, g, out, c, a, b, value=None: -g * (_scaled(a, value) / (b * b)),
    ),
    ("g", "g·v/b", "−g·v·a/b²"),
)
