"""Reductions and scans: sum, max, var, logsumexp and log_softmax (PyTorch has the last three as
primitives too), prod, cumsum and cumprod."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .primitive import ARRAYS, Array, Primitive, exact_reduce, sum_arrays
from .shape import CONCATENATE


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
    """Gradient flows to the maxima, split evenly between ties (like ``torch.amax``: a product). A
    max over all axes that is nan goes to the nans, split evenly (torch's ``max()``; ``amax`` over
    some axes gives nan there, as here)."""
    hit = ns.num(a) == _kept(ns.num(out), a.shape, axis, keepdims)
    if axis is None and np.isnan(ns.num(out)).any():
        hit = np.isnan(ns.num(a))
    share = (hit / exact_reduce(np.add, hit, axis, True)).astype(a.dtype)
    return expand(ns, g, a.shape, axis, keepdims) * share


def _sum(a: Array, axis: Any, keepdims: bool) -> Array:
    """``sum_arrays``; a float32 sum over axes that are not the last ones first moves them there, so
    numpy adds them pairwise (along a leading axis it adds row after row: the column sums of
    1000 x 5000 uniforms were 1.6e-6 off, torch's cascade 1.7e-7, pairwise 1.3e-7)."""
    if axis is None or a.ndim < 2 or a.dtype.char != "f":  # (a total, the common case, first)
        return sum_arrays(a, axis, keepdims)
    axes = axis if isinstance(axis, tuple) else (axis,)
    n = len(axes)
    if sorted(axes) == list(range(a.ndim - n, a.ndim)) or math.prod(a.shape[i] for i in axes) <= _PAIRWISE:
        return sum_arrays(a, axis, keepdims)
    rest = [i for i in range(a.ndim) if i not in axes]
    moved = np.ascontiguousarray(a.transpose(rest + sorted(axes)))
    total = np.add.reduce(moved.reshape(moved.shape[: len(rest)] + (-1,)), axis=-1)
    return _kept(total, a.shape, axis, False) if keepdims else total


#: numpy adds at most 7 elements in order along any axis: such short sums need no copy
_PAIRWISE = 7


def _max(a: Array, axis: Any, keepdims: bool) -> Array:
    return exact_reduce(np.maximum, a, axis, keepdims)


def max_shift(a: Array, axis: Any, inf: bool = False) -> Array:
    """m = max(a) over ``axis`` (kept), 0 where that max is not finite or the axis is empty, so
    exp(a - m) never overflows. ``inf``: a max of +inf is kept (log_softmax of a slice holding
    +inf is then nan throughout, as torch's; logsumexp's is +inf, as torch's, with the shift 0)."""
    m = exact_reduce(np.maximum, a, axis, True, initial=-np.inf)
    # (the sum is finite only if every max is; one that overflows takes the slow way)
    if not math.isfinite(np.add.reduce(m, axis=None)):  # an all -inf (or inf/nan, or empty) slice
        keep = np.isfinite(m) | (m == np.inf) if inf else np.isfinite(m)
        m = np.where(keep, m, 0).astype(a.dtype)
    return m


def _logsumexp(a: Array, axis: Any, keepdims: bool) -> Array:
    """log Σ exp(a) = m + log Σ exp(a - m)."""
    m = max_shift(a, axis)
    total = exact_reduce(np.add, np.exp(a - m), axis, keepdims)
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
    return shifted - np.log(exact_reduce(np.add, np.exp(shifted), axis, True))


def _axes(ndim: int, axis: Any) -> tuple[int, ...]:
    """The axes a reduction over ``axis`` (None: every one) of an ``ndim``-d array reduces."""
    return tuple(range(ndim)) if axis is None else (axis,) if isinstance(axis, int) else tuple(axis)


def _count(shape: tuple[int, ...], axis: Any) -> int:
    """How many elements each reduction over ``axis`` of an array of ``shape`` combines."""
    return math.prod(shape[i] for i in _axes(len(shape), axis))


def _var(a: Array, axis: Any, keepdims: bool, correction: float) -> Array:
    """Σ(a - mean)² / max(0, n - correction) over ``axis``, the mean being sum · (1/n) as ``mean``'s."""
    total = _sum(a, axis, True)
    if total.size != a.size:
        total = total * (total.size / a.size if a.size else np.nan)
    centred = a - total
    n = _count(a.shape, axis)
    return _sum(centred * centred, axis, keepdims) / a.dtype.type(max(0, n - correction))


def _var_vjp(ns: Any, g: Any, out: Any, a: Any, axis: Any, keepdims: bool, correction: float) -> Any:
    """torch's ``var_backward``: g · 2/(n - correction) · (a - mean(a)), not the chain rule through
    the mean (whose term is 0 in exact numbers but nan where the slice holds ±inf: torch gives
    ±inf there). With n - correction = 0 the factor is inf (negative: a negative factor, as
    torch's); of a total (no dim, or a 0-d input) with n - correction ≤ 0, g · (nan where a equals
    its mean, else inf). (torch's dim=() counts one element there, n = 1: kept as dim=None here.)"""
    n = _count(a.shape, axis)
    dof = n - correction
    g = expand(ns, g, a.shape, axis, keepdims)
    if dof <= 0 and axis is None:  # (a 0-d input's axis is None too)
        x = ns.num(a)
        level = np.add.reduce(x, axis=None) / n
        return g * ns.where(x == level, np.nan, np.inf, a)
    mean = ns.sum(a, axis, True) / n
    return (2.0 / dof if dof else math.inf) * g * (a - mean)


#: a float64 slice holding a number this large may overflow Welford's x - m: updated one by one
_HUGE = 2.0**1022


def _welford_mean(a: Array, axis: Any, keepdims: bool) -> Array:
    """The mean as torch's var_mean and std_mean give it: their kernel's Welford update,
    m += (x - m)/k in float64, along the reduced elements in C order. Of a slice of numbers below
    2**1022 that is sum / n up to rounding (float32 summed in float64, as there); a slice holding
    ±inf (no nan) gives that inf only where it is the slice's last element and its only one (an
    inf followed by anything makes inf - inf: nan); a slice with a larger number is updated element
    by element, as the kernel."""
    n = _count(a.shape, axis)
    wide = a.astype(np.float64, copy=False)
    with np.errstate(all="ignore"):
        mean = _sum(wide, axis, True) / n
        if a.size and not np.abs(wide).max() < _HUGE:  # (inf, nan or a huge number somewhere)
            mean = _welford_slices(wide, axis, n, mean)
    out = mean.astype(a.dtype, copy=False)
    return out if keepdims else np.squeeze(out, _axes(a.ndim, axis))


def _welford_slices(wide: Array, axis: Any, n: int, mean: Array) -> Array:
    """``mean`` (kept axes) with Welford's result in the slices holding ±inf or a huge number and no nan."""
    axes = _axes(wide.ndim, axis)
    rest = [i for i in range(wide.ndim) if i not in axes]
    rows = wide.transpose(rest + sorted(axes)).reshape(-1, n)
    odd = ~(np.abs(rows) < _HUGE).all(axis=1) & ~np.isnan(rows).any(axis=1)
    part = rows[odd]
    infs = np.isinf(part)
    got = np.where((infs.sum(axis=1) == 1) & infs[:, -1], part[:, -1], np.nan)
    huge = (~infs & ~(np.abs(part) < _HUGE)).any(axis=1)
    if huge.any():  # (the kernel's own steps: delta = x - m; m = m + delta / k)
        m = np.zeros(int(huge.sum()))
        for k, column in enumerate(part[huge].T):
            m = m + (column - m) / (k + 1)
        got[huge] = m
    flat = mean.reshape(-1).copy()
    flat[odd] = got
    return flat.reshape(mean.shape)


def _welford_mean_vjp(ns: Any, g: Any, out: Any, a: Any, axis: Any, keepdims: bool) -> Any:
    """torch's ``mean_backward``: g spread over the slice, divided by its length."""
    return ns.broadcast_to(expand(ns, g, a.shape, axis, keepdims), a.shape) / _count(a.shape, axis)


SUM = Primitive(
    "sum",
    _sum,
    (_sum_vjp,),
    ("broadcast g",),
)
MAX = Primitive(
    "max",
    _max,
    (_max_vjp,),
    ("g·[a = max] / #ties",),
)
#: the variance over ``axis`` with ``correction`` (PyTorch has it as a primitive, with its own rule)
VAR = Primitive("var", _var, (_var_vjp,), ("g·2(a − mean)/(n − correction)",))
#: var_mean's and std_mean's mean: the value of torch's Welford kernel, the gradient of a mean
WELFORD_MEAN = Primitive("welford_mean", _welford_mean, (_welford_mean_vjp,), ("broadcast g / n",))
LOGSUMEXP = Primitive("logsumexp", _logsumexp, (_logsumexp_vjp,), ("g·softmax(a)",))
LOG_SOFTMAX = Primitive(
    "log_softmax",
    _log_softmax,
    # the Jacobian is I - softmax(a) along the axis: g - softmax(a) Σg, with softmax(a) = exp(out)
    (lambda ns, g, out, a, axis: g - ns.exp(out) * ns.sum(g, axis, True),),
    ("g − softmax(a)·Σg",),
)


# ---------------------------------------------------------------------------- products and scans
def _along(axis: int, part: slice) -> tuple[slice, ...]:
    """The index taking ``part`` of axis ``axis`` (and everything of the others)."""
    return (slice(None),) * axis + (part,)


def _others(ns: Any, a: Any, axis: int) -> Any:
    """∏_{j≠i} a_j along ``axis`` for every i, without a division: the products of the elements
    before i times those after it (exact where ``a`` holds zeros), each a cumprod of ``a`` shifted
    by a 1, as PyTorch builds them."""
    n = a.shape[axis]
    ones = np.ones(a.shape[:axis] + (1,) + a.shape[axis + 1 :], a.dtype)
    before = ns.apply(CONCATENATE, ones, ns.getitem(a, _along(axis, slice(0, n - 1))), axis=axis)
    after = ns.apply(CONCATENATE, ns.getitem(a, _along(axis, slice(1, n))), ones, axis=axis)
    left = ns.apply(CUMPROD, before, axis=axis, reverse=False)
    return left * ns.apply(CUMPROD, after, axis=axis, reverse=True)


def _prod(a: Array, axis: int | None, keepdims: bool) -> Array:
    return np.multiply.reduce(a, axis=axis, keepdims=keepdims)


def _prod_vjp(ns: Any, g: Any, out: Any, a: Any, axis: int | None, keepdims: bool) -> Any:
    """g · ∏ of the other elements: g · out / a (PyTorch's rule) when no element of ``a`` is 0;
    otherwise the product of the others itself (exclusive products, no division), as PyTorch."""
    if a.ndim == 0:
        return g
    if not (ns.num(a) == 0).any():
        return expand(ns, g, a.shape, axis, keepdims) * (expand(ns, out, a.shape, axis, keepdims) / a)
    if axis is None:
        flat = ns.reshape(a, (math.prod(a.shape),))
        return ns.reshape(g, (1,) * a.ndim) * ns.reshape(_others(ns, flat, 0), a.shape)
    return expand(ns, g, a.shape, axis, keepdims) * _others(ns, a, axis)


def _flip(a: Array, axis: int) -> Array:
    return a[_along(axis, slice(None, None, -1))]


def _cumsum(a: Array, axis: int, reverse: bool) -> Array:
    return _flip(np.cumsum(_flip(a, axis), axis), axis) if reverse else np.cumsum(a, axis)


def _logcumsumexp(a: Array, axis: int, reverse: bool) -> Array:
    """log Σ_{j≤i} exp(a_j), a running log-add-exp (each step exact to rounding: no shift needed)."""
    if reverse:
        return _flip(np.logaddexp.accumulate(_flip(a, axis), axis), axis)
    return np.logaddexp.accumulate(a, axis)


def _logcumsumexp_vjp(ns: Any, g: Any, out: Any, a: Any, axis: int, reverse: bool) -> Any:
    """Σ_{i≥j} g_i exp(a_j - out_i), as PyTorch: g's positive and negative parts apart, each summed
    in logs, ``exp(a + logcumsumexp(log g± - out) from the other end)``; where g± is 0 its log is
    the most negative float, as PyTorch's (not -inf, so -inf - out is never nan)."""
    lowest = np.finfo(a.dtype).min
    signs = np.sign(ns.num(g))
    log_g = ns.log(ns.abs(g))
    parts = []
    for sign in (1, -1):
        keep = signs == sign
        log_part = ns.mask(log_g, keep) + np.where(keep, 0, lowest).astype(a.dtype)
        summed = ns.apply(LOGCUMSUMEXP, log_part - out, axis=axis, reverse=not reverse)
        parts.append(ns.exp(summed + a))
    return parts[0] - parts[1]


def _cumprod(a: Array, axis: int, reverse: bool) -> Array:
    return _flip(np.cumprod(_flip(a, axis), axis), axis) if reverse else np.cumprod(a, axis)


def _cumprod_vjp(ns: Any, g: Any, out: Any, a: Any, axis: int, reverse: bool) -> Any:
    """Σ_{j≥i} g_j ∏_{k≤j, k≠i} a_k (j ≤ i and k ≥ j when ``reverse``): the reversed cumulative sum
    of g · out, over a, where no element of ``a`` is 0 (PyTorch's rule); otherwise those
    products themselves, exactly (PyTorch's rule at second order; O(n²) along the axis)."""
    if a.shape[axis] <= 1:
        return g
    if not (ns.num(a) == 0).any():
        return ns.apply(CUMSUM, out * g, axis=axis, reverse=not reverse) / a
    n, last = a.shape[axis], a.ndim  # (the (n, n) products go on two new last axes)
    order = tuple(i for i in range(a.ndim) if i != axis) + (axis,)
    x, gx = ns.transpose(a, order), ns.transpose(g, order)
    if reverse:
        x, gx = (ns.getitem(v, (Ellipsis, slice(None, None, -1))) for v in (x, gx))
    lead = x.shape[:-1]
    eye = np.eye(n, dtype=bool)
    rows = ns.broadcast_to(ns.reshape(x, lead + (1, n)), lead + (n, n))  # rows[.., i, k] = a_k
    omitted = ns.mask(rows, ~eye) + eye.astype(a.dtype)  # a_k, with 1 at k = i
    products = ns.apply(CUMPROD, omitted, axis=last, reverse=False)  # ∏_{k≤j, k≠i} a_k
    terms = ns.mask(products * ns.reshape(gx, lead + (1, n)), np.triu(np.ones((n, n), dtype=bool)))
    grad = ns.sum(terms, last, False)
    if reverse:
        grad = ns.getitem(grad, (Ellipsis, slice(None, None, -1)))
    return ns.transpose(grad, tuple(np.argsort(order)))


PROD = Primitive("prod", _prod, (_prod_vjp,), ("g·∏ of the others",))
#: the cumulative sum along ``axis``, from the end when ``reverse`` (its VJP: the other direction)
CUMSUM = Primitive(
    "cumsum",
    _cumsum,
    (lambda ns, g, out, a, axis, reverse: ns.apply(CUMSUM, g, axis=axis, reverse=not reverse),),
    ("cumsum of g from the other end",),
)
CUMPROD = Primitive("cumprod", _cumprod, (_cumprod_vjp,), ("Σ g·∏ of the others up to there",))
#: log Σ exp along ``axis`` up to each place (from the end when ``reverse``)
LOGCUMSUMEXP = Primitive(
    "logcumsumexp", _logcumsumexp, (_logcumsumexp_vjp,), ("Σ_{i≥j} g_i·exp(a_j − out_i)",)
)
