"""The Tensor primitives: one table entry per operation, forward beside its derivative.

Each :class:`Primitive` holds the forward numpy function and one
vector-Jacobian product per input, ``vjp(g, out, *inputs, **params) -> ∂L/∂input``,
where ``g`` is ∂L/∂out. The VJPs may return gradients in the broadcast shape
of ``out``; the backward driver reduces them to each input's shape in one
place (:func:`unbroadcast`). ``local`` is the same rule written for people,
shown on the edges of graph drawings.

Everything else (mean, min, softmax, stack, the losses) is composed from
these primitives.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np

Array = np.ndarray


class Primitive(NamedTuple):
    name: str
    forward: Callable[..., Array]
    vjps: Sequence[Callable[..., Array]]
    local: tuple[str, ...]


def unbroadcast(grad: Array, shape: tuple[int, ...]) -> Array:
    """Sum ``grad`` over the axes that broadcasting added or stretched, giving ``shape``."""
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and grad.shape[lead + i] != 1
    )
    summed = np.add.reduce(grad, axis=axes)  # (grad.sum without its Python-level wrapper)
    return summed if summed.shape == shape else summed.reshape(shape)


def _mT(x: Array) -> Array:
    return x.swapaxes(-1, -2)  # (the method: np.swapaxes adds a Python-level wrapper)


def _sigmoid(a: Array) -> Array:
    """1/(1+e^-a), evaluated without overflow for either sign of ``a``."""
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(a.dtype, copy=False)


def _expand(g: Array, shape: tuple[int, ...], axis: int | tuple[int, ...] | None, keepdims: bool) -> Array:
    """Re-insert the axes a reduction of an array of ``shape`` removed, so ``g`` broadcasts against it."""
    if keepdims or axis is None:
        return g
    axes = axis if isinstance(axis, tuple) else (axis,)
    return g.reshape([1 if i in axes else n for i, n in enumerate(shape)])


def _sum_vjp(g: Array, out: Array, a: Array, axis: Any, keepdims: bool) -> Array:
    """Every element of ``a`` gets the gradient of the sum it went into."""
    grad = np.empty(a.shape, g.dtype)
    np.copyto(grad, _expand(g, a.shape, axis, keepdims))  # (cheaper than np.broadcast_to for small arrays)
    return grad


# -- matmul: numpy's rules for 1-D operands (a 1 axis is prepended/appended, then dropped)
def _matmul_da(g: Array, out: Array, a: Array, b: Array) -> Array:
    if b.ndim == 1:
        return g * b if a.ndim == 1 else g[..., None] * b
    if a.ndim == 1:
        return (g[..., None, :] @ _mT(b))[..., 0, :]
    return g @ _mT(b)


def _matmul_db(g: Array, out: Array, a: Array, b: Array) -> Array:
    if a.ndim == 1:
        return g * a if b.ndim == 1 else a[:, None] * g[..., None, :]
    if b.ndim == 1:
        return (_mT(a) @ g[..., None])[..., 0]
    return _mT(a) @ g


def _getitem_vjp(g: Array, out: Array, a: Array, index: Any) -> Array:
    grad = np.zeros(a.shape, a.dtype)
    np.add.at(grad, index, g)  # scatter-add: repeated indices accumulate
    return grad


def _max_vjp(g: Array, out: Array, a: Array, axis: Any, keepdims: bool) -> Array:
    """Gradient flows to the maxima, split evenly between ties (like ``torch.amax``)."""
    hit = a == _expand(out, a.shape, axis, keepdims)
    share = hit / hit.sum(axis=axis, keepdims=True)
    return _expand(g, a.shape, axis, keepdims) * share.astype(a.dtype, copy=False)


def max_shift(a: Array, axis: Any) -> Array:
    """m = max(a) over ``axis`` (kept), 0 where that max is not finite: exp(a - m) never overflows."""
    m = a.max(axis=axis, keepdims=True)
    if not np.isfinite(m).all():  # an all -inf (or inf/nan) slice
        m = np.where(np.isfinite(m), m, 0).astype(a.dtype)
    return m


def _logsumexp(a: Array, axis: Any, keepdims: bool) -> Array:
    """log Σ exp(a) = m + log Σ exp(a - m)."""
    m = max_shift(a, axis)
    total = np.add.reduce(np.exp(a - m), axis=axis, keepdims=keepdims)
    return np.log(total) + (m if keepdims else m.reshape(total.shape))


def _logsumexp_vjp(g: Array, out: Array, a: Array, axis: Any, keepdims: bool) -> Array:
    """g · softmax(a), with softmax(a) = p / Σp for p = exp(a - logsumexp(a)).

    Σp is 1 up to rounding; dividing by it keeps the result exact where ``out``
    absorbed log Σ (all of a ≈ -1e300: then p = 1 and softmax = 1/n).
    """
    p = np.exp(a - _expand(out, a.shape, axis, keepdims))
    total = np.add.reduce(p, axis=axis, keepdims=True)
    np.divide(p, total, out=p, where=np.isfinite(total))  # (an inf in a: exp(a - out) as torch)
    return _expand(g, a.shape, axis, keepdims) * p


def _log_softmax(a: Array, axis: Any) -> Array:
    """a - logsumexp(a) = (a - m) - log Σ exp(a - m)."""
    shifted = a - max_shift(a, axis)
    return shifted - np.log(np.add.reduce(np.exp(shifted), axis=axis, keepdims=True))


def _concat_vjp(i: int) -> Callable[..., Array]:
    def vjp(g: Array, out: Array, *inputs: Array, axis: int) -> Array:
        start = sum(x.shape[axis] for x in inputs[:i])
        index = [slice(None)] * g.ndim
        index[axis] = slice(start, start + inputs[i].shape[axis])
        return g[tuple(index)]

    return vjp


class _PerInput:
    """VJPs of a variadic primitive: ``vjps[i]`` is made on demand for input ``i``."""

    def __init__(self, make: Callable[[int], Callable[..., Array]]) -> None:
        self.make = make

    def __getitem__(self, i: int) -> Callable[..., Array]:
        return self.make(i)


# ---------------------------------------------------------------------------
# The table. Binary elementwise ops broadcast; their VJPs are unbroadcast later.
# ---------------------------------------------------------------------------
ADD = Primitive("+", np.add, (lambda g, out, a, b: g, lambda g, out, a, b: g), ("1", "1"))
SUB = Primitive("-", np.subtract, (lambda g, out, a, b: g, lambda g, out, a, b: -g), ("1", "-1"))
MUL = Primitive("*", np.multiply, (lambda g, out, a, b: g * b, lambda g, out, a, b: g * a), ("b", "a"))
DIV = Primitive(
    "/",
    np.divide,
    (lambda g, out, a, b: g / b, lambda g, out, a, b: -g * out / b),
    ("1/b", "-a/b²"),
)
POW = Primitive(
    "**",
    np.power,
    (
        # x**0 has derivative 0 everywhere, also at x = 0 (never 0 * inf)
        lambda g, out, a, b: np.where(b == 0, 0.0, g * b * np.power(a, b - 1)).astype(a.dtype, copy=False),
        # d(a^b)/db = a^b log a, defined as 0 at a = 0 (b >= 0), as PyTorch does
        lambda g, out, a, b: np.where((a == 0) & (b >= 0), 0.0, g * out * np.log(a)).astype(
            out.dtype, copy=False
        ),
    ),
    ("b·a^(b-1)", "a^b·ln a"),
)
MAXIMUM = Primitive(
    "maximum",
    np.maximum,
    (
        lambda g, out, a, b: g * ((a > b) + 0.5 * (a == b)).astype(g.dtype, copy=False),
        lambda g, out, a, b: g * ((b > a) + 0.5 * (a == b)).astype(g.dtype, copy=False),
    ),
    ("[a>b] (½ at a tie)", "[b>a] (½ at a tie)"),
)
MINIMUM = Primitive(
    "minimum",
    np.minimum,
    (
        lambda g, out, a, b: g * ((a < b) + 0.5 * (a == b)).astype(g.dtype, copy=False),
        lambda g, out, a, b: g * ((b < a) + 0.5 * (a == b)).astype(g.dtype, copy=False),
    ),
    ("[a<b] (½ at a tie)", "[b<a] (½ at a tie)"),
)
WHERE = Primitive(
    "where",
    lambda a, b, condition: np.where(condition, a, b),
    (
        lambda g, out, a, b, condition: np.where(condition, g, 0.0).astype(g.dtype, copy=False),
        lambda g, out, a, b, condition: np.where(condition, 0.0, g).astype(g.dtype, copy=False),
    ),
    ("[cond]", "[not cond]"),
)
MATMUL = Primitive("@", np.matmul, (_matmul_da, _matmul_db), ("g @ bᵀ", "aᵀ @ g"))

# Unary elementwise ops: out = f(a), derivative f'(a) written with out where it is cheaper.
NEG = Primitive("neg", np.negative, (lambda g, out, a: -g,), ("-1",))
EXP = Primitive("exp", np.exp, (lambda g, out, a: g * out,), ("exp(a)",))
LOG = Primitive("log", np.log, (lambda g, out, a: g / a,), ("1/a",))
LOG1P = Primitive("log1p", np.log1p, (lambda g, out, a: g / (1 + a),), ("1/(1+a)",))
SQRT = Primitive("sqrt", np.sqrt, (lambda g, out, a: g * 0.5 / out,), ("1/(2√a)",))
TANH = Primitive("tanh", np.tanh, (lambda g, out, a: g * (1 - out * out),), ("1-tanh²(a)",))
SIGMOID = Primitive("sigmoid", _sigmoid, (lambda g, out, a: g * out * (1 - out),), ("σ(a)(1-σ(a))",))
RELU = Primitive("relu", lambda a: np.maximum(a, 0), (lambda g, out, a: g * (a > 0),), ("[a>0]",))
ABS = Primitive("abs", np.abs, (lambda g, out, a: g * np.sign(a),), ("sign(a)",))
SOFTPLUS = Primitive(
    "softplus",
    lambda a: np.logaddexp(0, a).astype(a.dtype, copy=False),
    (lambda g, out, a: g * _sigmoid(a),),
    ("σ(a)",),
)
CLIP = Primitive(
    "clip",
    lambda a, min, max: np.clip(a, min, max).astype(a.dtype, copy=False),
    (
        # gradient 1 inside [min, max], bounds included (as torch.clamp)
        lambda g, out, a, min, max: (
            g * ((a >= (-np.inf if min is None else min)) & (a <= (np.inf if max is None else max)))
        ),
    ),
    ("[min≤a≤max]",),
)

# Reductions and shape ops.
SUM = Primitive(
    "sum",
    lambda a, axis, keepdims: np.add.reduce(a, axis=axis, keepdims=keepdims),
    (_sum_vjp,),
    ("1",),
)
MAX = Primitive(
    "max",
    lambda a, axis, keepdims: np.max(a, axis=axis, keepdims=keepdims),
    (_max_vjp,),
    ("[a = max] / #ties",),
)
LOGSUMEXP = Primitive("logsumexp", _logsumexp, (_logsumexp_vjp,), ("softmax(a)",))
LOG_SOFTMAX = Primitive(
    "log_softmax",
    _log_softmax,
    # the Jacobian is I - softmax(a) along the axis: g - softmax(a) Σg, with softmax(a) = exp(out)
    (lambda g, out, a, axis: g - np.exp(out) * np.add.reduce(g, axis=axis, keepdims=True),),
    ("δ - softmax(a)",),
)
RESHAPE = Primitive(
    "reshape", lambda a, shape: np.reshape(a, shape), (lambda g, out, a, shape: g.reshape(a.shape),), ("1",)
)
TRANSPOSE = Primitive(
    "transpose",
    lambda a, axes: np.transpose(a, axes),
    (lambda g, out, a, axes: np.transpose(g, None if axes is None else np.argsort(axes)),),
    ("1",),
)
GETITEM = Primitive("getitem", lambda a, index: a[index], (_getitem_vjp,), ("scatter-add",))
CONCATENATE = Primitive(
    "concatenate",
    lambda *inputs, axis: np.concatenate(inputs, axis=axis),
    _PerInput(_concat_vjp),
    ("slice",),
)
