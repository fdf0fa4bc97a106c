"""Reductions: sum, max, logsumexp and log_softmax (PyTorch has the last two as primitives too)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .primitive import ARRAYS, Array, Primitive


def expand(ns: Any, g: Any, shape: tuple[int, ...], axis: Any, keepdims: bool) -> Any:
    """Re-insert the axes a reduction of an array of ``shape`` removed, so ``g`` broadcasts against it."""
    if keepdims or axis is None:
        return g
    axes = axis if isinstance(axis, tuple) else (axis,)
    return ns.reshape(g, tuple(1 if i in axes else n for i, n in enumerate(shape)))


def _kept(x: Array, shape: tuple[int, ...], axis: Any, keepdims: bool) -> Array:
    """A reduction's result (data) with the reduced axes back as length 1."""
    return expand(ARRAYS, np.asarray(x), shape, axis, keepdims)


def _sum_vjp(ns: Any, g: Any, out: Any, a: Any, axis: Any, keepdims: bool) -> Any:
    """Every element of ``a`` gets the gradient of the sum it went into."""
    return ns.broadcast_to(expand(ns, g, a.shape, axis, keepdims), a.shape)


def _max_vjp(ns: Any, g: Any, out: Any, a: Any, axis: Any, keepdims: bool) -> Any:
    """Gradient flows to the maxima, split evenly between ties (like ``torch.amax``: a product)."""
    hit = ns.num(a) == _kept(ns.num(out), a.shape, axis, keepdims)
    share = (hit / hit.sum(axis=axis, keepdims=True)).astype(a.dtype)
    return expand(ns, g, a.shape, axis, keepdims) * share


def max_shift(a: Array, axis: Any, inf: bool = False) -> Array:
    """m = max(a) over ``axis`` (kept), 0 where that max is not finite or the axis is empty, so
    exp(a - m) never overflows. ``inf``: a max of +inf is kept (log_softmax of a slice holding
    +inf is then nan throughout, as torch's; logsumexp's is +inf, as torch's, with the shift 0)."""
    m = np.max(a, axis=axis, keepdims=True, initial=-np.inf)
    if not np.isfinite(m).all():  # an all -inf (or inf/nan, or empty) slice
        keep = np.isfinite(m) | (m == np.inf) if inf else np.isfinite(m)
        m = np.where(keep, m, 0).astype(a.dtype)
    return m


def _logsumexp(a: Array, axis: Any, keepdims: bool) -> Array:
    """log Σ exp(a) = m + log Σ exp(a - m)."""
    m = max_shift(a, axis)
    total = np.add.reduce(np.exp(a - m), axis=axis, keepdims=keepdims)
    return np.log(total) + (m if keepdims else m.reshape(np.shape(total)))


def _logsumexp_vjp(ns: Any, g: Any, out: Any, a: Any, axis: Any, keepdims: bool) -> Any:
    """g · softmax(a), with softmax(a) = p / Σp for p = exp(a - logsumexp(a)).

    Σp is 1 up to rounding; dividing by it keeps the result exact where ``out``
    absorbed log Σ (all of a ≈ 1e308: then p = 1 and softmax = 1/n, where
    PyTorch gives 1). Σp is a constant of the rule: its derivative is exactly 0.
    """
    p = ns.exp(a - expand(ns, out, a.shape, axis, keepdims))
    total = np.add.reduce(ns.num(p), axis=axis, keepdims=True)
    scale = np.where(np.isfinite(total), total, 1.0).astype(a.dtype)  # (an inf in a: exp(a - out) as torch)
    return expand(ns, g, a.shape, axis, keepdims) * (p / scale)


def _log_softmax(a: Array, axis: Any) -> Array:
    """a - logsumexp(a) = (a - m) - log Σ exp(a - m)."""
    shifted = a - max_shift(a, axis, inf=True)
    return shifted - np.log(np.add.reduce(np.exp(shifted), axis=axis, keepdims=True))


SUM = Primitive(
    "sum",
    lambda a, axis, keepdims: np.add.reduce(a, axis=axis, keepdims=keepdims),
    (_sum_vjp,),
    ("broadcast g",),
)
MAX = Primitive(
    "max",
    lambda a, axis, keepdims: np.max(a, axis=axis, keepdims=keepdims),
    (_max_vjp,),
    ("g·[a = max] / #ties",),
)
LOGSUMEXP = Primitive("logsumexp", _logsumexp, (_logsumexp_vjp,), ("g·softmax(a)",))
LOG_SOFTMAX = Primitive(
    "log_softmax",
    _log_softmax,
    # the Jacobian is I - softmax(a) along the axis: g - softmax(a) Σg, with softmax(a) = exp(out)
    (lambda ns, g, out, a, axis: g - ns.exp(out) * ns.sum(g, axis, True),),
    ("g − softmax(a)·Σg",),
)
