"""The Tensor primitives: one table entry per operation, forward beside its derivative.

Each :class:`Primitive` holds the forward numpy function and one
vector-Jacobian product per input, ``vjp(ns, g, out, *inputs, **params) -> ∂L/∂input``,
where ``g`` is ∂L/∂out. Each VJP is written once and runs in two number systems
``ns``: :data:`ARRAYS` (``g``, ``out`` and the inputs are ndarrays: the fast
first-order backward) and the Tensor system in :mod:`autograd._tensor` (they are
graph nodes, so the VJP is itself recorded and can be differentiated again:
``create_graph=True``). Masks (relu, clip, maximum, where, ``x ** 0``) are
``ns.mask(g, keep)``, a selection by the data, never a multiplication, so a
masked input gets 0 even from an inf or nan ``g``, as in PyTorch.

The VJPs may return gradients in the broadcast shape of ``out``; the backward
driver reduces them to each input's shape in one place (:func:`unbroadcast`).
``local`` is the same rule written for people, shown on the edges of graph
drawings: the vector-Jacobian product, what is sent to that input given
g = ∂L/∂out.

Everything else (mean, min, softmax, stack, the losses) is composed from
these primitives.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any, NamedTuple

import numpy as np

Array = np.ndarray


class Primitive(NamedTuple):
    name: str
    forward: Callable[..., Array]
    vjps: Sequence[Callable[..., Any]]
    local: tuple[str, ...]


def unbroadcast(grad: Any, shape: tuple[int, ...], ns: Any = None) -> Any:
    """Sum ``grad`` over the axes that broadcasting added or stretched, giving ``shape``."""
    if grad.shape == shape:
        return grad
    lead = len(grad.shape) - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and grad.shape[lead + i] != 1
    )
    if ns is None:  # (arrays, without the namespace's Python-level wrappers: the hot path)
        summed = np.add.reduce(grad, axis=axes)
        return summed if summed.shape == shape else summed.reshape(shape)
    summed = ns.sum(grad, axes, False)
    return summed if summed.shape == shape else ns.reshape(summed, shape)


def _sigmoid(a: Array) -> Array:
    """1/(1+e^-a), evaluated without overflow for either sign of ``a``."""
    e = np.exp(-np.abs(a))
    return np.asarray(np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e)), dtype=a.dtype)


def _power(a: Array, b: Array) -> Array:
    """a ** b; a constant exponent ±0.5 is a square root, as PyTorch's ``x ** 0.5`` (rsqrt at -0.5):
    (-inf) ** 0.5 is nan and (-0.0) ** -0.5 is -inf (the C pow gives inf for both)."""
    if b.ndim == 0 and (b == 0.5 or b == -0.5):
        root = np.sqrt(a)
        return root if b > 0 else np.divide(1, root, dtype=root.dtype)
    return np.power(a, b)


def _broadcast_to(x: Array, shape: tuple[int, ...]) -> Array:
    out = np.empty(shape, x.dtype)
    np.copyto(out, x)  # (an owned array; cheaper than np.broadcast_to(...).copy() for small arrays)
    return out


def _scatter_add(g: Array, index: Any, shape: tuple[int, ...]) -> Array:
    """Zeros of ``shape`` with ``g`` added at ``index`` (repeated indices accumulate)."""
    out = np.zeros(shape, g.dtype)
    np.add.at(out, index, g)
    return out


def _mask(x: Array, keep: Array) -> Array:
    """``x`` where ``keep``, else 0, also where ``x`` is inf or nan (a selection, as PyTorch's masks).

    Computed as ``x · keep`` (np.where is several times slower on an irregular mask), redone as
    a selection only when that product holds an inf or nan somewhere, where 0 · inf may be."""
    if keep.ndim == 0:  # (one flag: the common case of a scalar exponent)
        return x if keep else np.zeros_like(x)
    out = x * keep
    if not np.isfinite(np.add.reduce(out, axis=None)):
        out = np.where(keep, x, 0)
    return out


#: the first-order number system: ndarrays and numpy functions
ARRAYS = SimpleNamespace(
    name="arrays",
    num=np.asarray,
    exp=np.exp,
    log=np.log,
    pow=_power,
    sigmoid=_sigmoid,
    mask=_mask,
    sum=lambda x, axis, keepdims: np.add.reduce(x, axis=axis, keepdims=keepdims),
    broadcast_to=_broadcast_to,
    reshape=lambda x, shape: x.reshape(shape),
    astype=lambda x, dtype: x.astype(dtype, copy=False),
    transpose=lambda x, axes: x.transpose(axes),
    mT=lambda x: x.swapaxes(-1, -2),  # (the method: np.swapaxes adds a Python-level wrapper)
    scatter_add=_scatter_add,
    getitem=lambda x, index: x[index],
)


# -- helpers of the VJPs, generic in ``ns``
def _insert(ns: Any, x: Any, axis: int) -> Any:
    """``x`` with a length-1 axis inserted at ``axis`` (negative: counted from the end)."""
    shape = list(x.shape)
    shape.insert(axis if axis >= 0 else len(shape) + 1 + axis, 1)
    return ns.reshape(x, tuple(shape))


def _drop(ns: Any, x: Any, axis: int) -> Any:
    """``x`` without its length-1 axis ``axis``."""
    shape = list(x.shape)
    del shape[axis]
    return ns.reshape(x, tuple(shape))


def _expand(ns: Any, g: Any, shape: tuple[int, ...], axis: Any, keepdims: bool) -> Any:
    """Re-insert the axes a reduction of an array of ``shape`` removed, so ``g`` broadcasts against it."""
    if keepdims or axis is None:
        return g
    axes = axis if isinstance(axis, tuple) else (axis,)
    return ns.reshape(g, tuple(1 if i in axes else n for i, n in enumerate(shape)))


def _kept(x: Array, shape: tuple[int, ...], axis: Any, keepdims: bool) -> Array:
    """A reduction's result (data) with the reduced axes back as length 1."""
    return _expand(ARRAYS, np.asarray(x), shape, axis, keepdims)


def _sum_vjp(ns: Any, g: Any, out: Any, a: Any, axis: Any, keepdims: bool) -> Any:
    """Every element of ``a`` gets the gradient of the sum it went into."""
    return ns.broadcast_to(_expand(ns, g, a.shape, axis, keepdims), a.shape)


# -- matmul: numpy's rules for 1-D operands (a 1 axis is prepended/appended, then dropped)
def _matmul_da(ns: Any, g: Any, out: Any, a: Any, b: Any) -> Any:
    if b.ndim == 1:
        return g * b if a.ndim == 1 else _insert(ns, g, -1) * b
    if a.ndim == 1:
        return _drop(ns, _insert(ns, g, -2) @ ns.mT(b), -2)
    return g @ ns.mT(b)


def _matmul_db(ns: Any, g: Any, out: Any, a: Any, b: Any) -> Any:
    if a.ndim == 1:
        return g * a if b.ndim == 1 else _insert(ns, a, -1) * _insert(ns, g, -2)
    if b.ndim == 1:
        return _drop(ns, ns.mT(a) @ _insert(ns, g, -1), -1)
    return ns.mT(a) @ g


def _getitem_vjp(ns: Any, g: Any, out: Any, a: Any, index: Any) -> Any:
    return ns.scatter_add(g, index, a.shape)


def _max_vjp(ns: Any, g: Any, out: Any, a: Any, axis: Any, keepdims: bool) -> Any:
    """Gradient flows to the maxima, split evenly between ties (like ``torch.amax``: a product)."""
    hit = ns.num(a) == _kept(ns.num(out), a.shape, axis, keepdims)
    share = (hit / hit.sum(axis=axis, keepdims=True)).astype(a.dtype)
    return _expand(ns, g, a.shape, axis, keepdims) * share


def max_shift(a: Array, axis: Any) -> Array:
    """m = max(a) over ``axis`` (kept), 0 where that max is not finite or the axis is empty:
    exp(a - m) never overflows."""
    m = np.max(a, axis=axis, keepdims=True, initial=-np.inf)
    if not np.isfinite(m).all():  # an all -inf (or inf/nan, or empty) slice
        m = np.where(np.isfinite(m), m, 0).astype(a.dtype)
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
    p = ns.exp(a - _expand(ns, out, a.shape, axis, keepdims))
    total = np.add.reduce(ns.num(p), axis=axis, keepdims=True)
    scale = np.where(np.isfinite(total), total, 1.0).astype(a.dtype)  # (an inf in a: exp(a - out) as torch)
    return _expand(ns, g, a.shape, axis, keepdims) * (p / scale)


def _log_softmax(a: Array, axis: Any) -> Array:
    """a - logsumexp(a) = (a - m) - log Σ exp(a - m)."""
    shifted = a - max_shift(a, axis)
    return shifted - np.log(np.add.reduce(np.exp(shifted), axis=axis, keepdims=True))


def _concat_vjp(i: int) -> Callable[..., Any]:
    def vjp(ns: Any, g: Any, out: Any, *inputs: Any, axis: int) -> Any:
        start = sum(x.shape[axis] for x in inputs[:i])
        index = [slice(None)] * g.ndim
        index[axis] = slice(start, start + inputs[i].shape[axis])
        return ns.getitem(g, tuple(index))

    return vjp


def _div_db(ns: Any, g: Any, out: Any, a: Any, b: Any) -> Any:
    """The divisor's share, -(g/b)·out: for x/x (out = 1) exactly minus the dividend's g/b, so the
    gradient of x/x is exactly 0. Where that order overflows or meets 0·inf (g/b = inf while out is
    tiny, or any inf/nan), PyTorch's order -g·(out/b), finite wherever the true value is and
    torch's otherwise."""
    d = -(g / b) * out
    if np.isfinite(np.add.reduce(ns.num(d), axis=None)):
        return d
    finite = np.isfinite(ns.num(d))
    return ns.mask(d, finite) + ns.mask(-g * (out / b), ~finite)


class _PerInput:
    """VJPs of a variadic primitive: ``vjps[i]`` is made on demand for input ``i``."""

    def __init__(self, make: Callable[[int], Callable[..., Any]]) -> None:
        self.make = make

    def __getitem__(self, i: int) -> Callable[..., Any]:
        return self.make(i)


def _relu_select(a: Array) -> Array:
    return np.where(a < 0, 0.0, a)


def _relu_keeps_zero_sign() -> bool:
    """Whether ``np.maximum(0.0, a)`` passes -0.0 through (x86 max semantics, numpy's SIMD loops)."""
    for n in (0, 1, 3, 8, 17):
        a = np.full((n, 2), -0.0)
        if not np.signbit(np.maximum(0.0, a)).all() or not np.signbit(np.maximum(0.0, a[:, ::2])).all():
            return False
    return bool(np.signbit(np.maximum(0.0, np.array(-0.0))))


#: relu's forward, torch's: 0 below 0, x elsewhere (-0.0 stays -0.0, nan stays nan). np.maximum(0.0, a)
#: is that where numpy's max gives its second operand at a tie of zeros, at a tenth of np.where's cost
_relu = (lambda a: np.maximum(0.0, a)) if _relu_keeps_zero_sign() else _relu_select


def _tie_weight(a: Array, b: Array, dtype: Any) -> Array:
    """1, or ½ where a = b (the share of a tie in maximum/minimum)."""
    return np.where(a == b, 0.5, 1.0).astype(dtype)


def _sign(a: Array) -> Array:
    """sign(a), 0 at nan (PyTorch's ``sgn``, which abs's gradient uses)."""
    return np.greater(a, 0).astype(a.dtype) - np.less(a, 0)


def _clip_inside(a: Array, min: Any, max: Any) -> Array:
    return (a >= (-np.inf if min is None else min)) & (a <= (np.inf if max is None else max))


# ---------------------------------------------------------------------------
# The table. Binary elementwise ops broadcast; their VJPs are unbroadcast later.
# ---------------------------------------------------------------------------
ADD = Primitive("+", np.add, (lambda ns, g, out, a, b: g, lambda ns, g, out, a, b: g), ("g", "g"))
SUB = Primitive("-", np.subtract, (lambda ns, g, out, a, b: g, lambda ns, g, out, a, b: -g), ("g", "−g"))
MUL = Primitive(
    "*", np.multiply, (lambda ns, g, out, a, b: g * b, lambda ns, g, out, a, b: g * a), ("g·b", "g·a")
)
DIV = Primitive("/", np.divide, (lambda ns, g, out, a, b: g / b, _div_db), ("g/b", "−g·a/b²"))
POW = Primitive(
    "**",
    _power,
    (
        # x**0 is constant, also at x = 0: masked (never 0 · inf), as PyTorch; there the power is
        # a**0 (not a**-1), so differentiating this rule again meets no inf either
        lambda ns, g, out, a, b: ns.mask(g * (b * ns.pow(a, ns.mask(b - 1, ns.num(b) != 0))), ns.num(b) != 0),
        # d(a^b)/db = a^b ln a, taken as 0 at a = 0 (b >= 0); PyTorch multiplies g by that 0
        lambda ns, g, out, a, b: g * ns.mask(out * ns.log(a), (ns.num(a) != 0) | (ns.num(b) < 0)),
    ),
    ("g·b·a^(b−1)", "g·a^b·ln a"),
)
MAXIMUM = Primitive(
    "maximum",
    np.maximum,
    (
        # the smaller input is masked; a tie splits g; nan (either side) sends g to both, as PyTorch
        lambda ns, g, out, a, b: ns.mask(
            g * _tie_weight(ns.num(a), ns.num(b), g.dtype), ~(ns.num(a) < ns.num(b))
        ),
        lambda ns, g, out, a, b: ns.mask(
            g * _tie_weight(ns.num(a), ns.num(b), g.dtype), ~(ns.num(b) < ns.num(a))
        ),
    ),
    ("g·[a≥b] (g/2 at a tie)", "g·[b≥a] (g/2 at a tie)"),
)
MINIMUM = Primitive(
    "minimum",
    np.minimum,
    (
        lambda ns, g, out, a, b: ns.mask(
            g * _tie_weight(ns.num(a), ns.num(b), g.dtype), ~(ns.num(a) > ns.num(b))
        ),
        lambda ns, g, out, a, b: ns.mask(
            g * _tie_weight(ns.num(a), ns.num(b), g.dtype), ~(ns.num(b) > ns.num(a))
        ),
    ),
    ("g·[a≤b] (g/2 at a tie)", "g·[b≤a] (g/2 at a tie)"),
)
WHERE = Primitive(
    "where",
    lambda a, b, condition: np.where(condition, a, b),
    (
        lambda ns, g, out, a, b, condition: ns.mask(g, condition),
        lambda ns, g, out, a, b, condition: ns.mask(g, ~condition),
    ),
    ("g·[cond]", "g·[not cond]"),
)
MATMUL = Primitive("@", np.matmul, (_matmul_da, _matmul_db), ("g @ bᵀ", "aᵀ @ g"))

# Unary elementwise ops: out = f(a), derivative f'(a) written with out where it is cheaper.
NEG = Primitive("neg", np.negative, (lambda ns, g, out, a: -g,), ("−g",))
EXP = Primitive("exp", np.exp, (lambda ns, g, out, a: g * out,), ("g·exp(a)",))
LOG = Primitive("log", np.log, (lambda ns, g, out, a: g / a,), ("g/a",))
LOG1P = Primitive("log1p", np.log1p, (lambda ns, g, out, a: g / (a + 1),), ("g/(1+a)",))
SQRT = Primitive("sqrt", np.sqrt, (lambda ns, g, out, a: g / (2 * out),), ("g/(2√a)",))
TANH = Primitive("tanh", np.tanh, (lambda ns, g, out, a: g * (1 - out * out),), ("g·(1−tanh²a)",))
SIGMOID = Primitive("sigmoid", _sigmoid, (lambda ns, g, out, a: g * (out * (1 - out)),), ("g·σ(a)(1−σ(a))",))
RELU = Primitive(
    "relu",
    _relu,
    (lambda ns, g, out, a: ns.mask(g, ~(ns.num(out) <= 0)),),  # masked; nan passes g on, as PyTorch
    ("g·[a>0]",),
)
ABS = Primitive("abs", np.abs, (lambda ns, g, out, a: g * _sign(ns.num(a)),), ("g·sign(a)",))
SOFTPLUS = Primitive(
    "softplus",
    lambda a: np.logaddexp(0, a).astype(a.dtype, copy=False),
    (lambda ns, g, out, a: g * ns.sigmoid(a),),
    ("g·σ(a)",),
)
CLIP = Primitive(
    "clip",
    lambda a, min, max: np.clip(a, min, max).astype(a.dtype, copy=False),
    # gradient g inside [min, max], bounds included (as torch.clamp); masked outside and at nan
    (lambda ns, g, out, a, min, max: ns.mask(g, _clip_inside(ns.num(a), min, max)),),
    ("g·[min≤a≤max]",),
)

# Reductions and shape ops.
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
RESHAPE = Primitive(
    "reshape",
    lambda a, shape: np.reshape(a, shape),
    (lambda ns, g, out, a, shape: ns.reshape(g, a.shape),),
    ("g reshaped",),
)
TRANSPOSE = Primitive(
    "transpose",
    lambda a, axes: np.transpose(a, axes),
    (lambda ns, g, out, a, axes: ns.transpose(g, None if axes is None else tuple(np.argsort(axes))),),
    ("g transposed back",),
)
GETITEM = Primitive("getitem", lambda a, index: a[index], (_getitem_vjp,), ("g scatter-added",))
CONCATENATE = Primitive(
    "concatenate",
    lambda *inputs, axis: np.concatenate(inputs, axis=axis),
    _PerInput(_concat_vjp),
    ("g's slice",),
)


def _link_vjp(i: int) -> Callable[..., Any]:
    if i == 0:
        return lambda ns, g, out, *inputs: g
    return lambda ns, g, out, *inputs: ns.mask(inputs[i], np.False_)  # zeros: a selection's derivative


#: ``g`` recorded as depending on the nodes a VJP selected it by (relu's mask reads the output,
#: abs's sign the input), with derivative 0 there: so a create_graph gradient of a piecewise-linear
#: function is a node (torch's rule) whose own derivative is 0 wherever it is defined
SELECTED = Primitive("selected", lambda g, *by: g, _PerInput(_link_vjp), ("g", "0"))

#: a cast, where a create_graph gradient of mixed dtypes is brought back to its input's dtype
ASTYPE = Primitive(
    "astype",
    lambda a, dtype: a.astype(dtype),
    (lambda ns, g, out, a, dtype: ns.astype(g, a.dtype),),
    ("g in a's dtype",),
)

# The two linear maps the VJPs above use (so a VJP run on Tensors can be differentiated again).
BROADCAST_TO = Primitive(
    "broadcast_to",
    _broadcast_to,
    (lambda ns, g, out, a, shape: g,),  # (the driver sums g back to a's shape)
    ("g summed over the broadcast axes",),
)
SCATTER_ADD = Primitive(
    "scatter_add",
    _scatter_add,
    (lambda ns, g, out, a, index, shape: ns.getitem(g, index),),
    ("g[index]",),
)
