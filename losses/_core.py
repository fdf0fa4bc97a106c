"""What every loss shares: input conversion, validation, reduction and the clamped logarithms.

A loss is written once against the Tensor method API. :func:`prepare` turns its
array arguments into one kind of node: ``Tensor`` normally, ``ValueArray``
when any argument holds ``Value``s (a Value, a nested list with Values, a
ValueArray), so the same expression builds one drawable Value graph and
:func:`reduce` hands back a ``Value``.
"""

from __future__ import annotations

import math
import os
import sys
import warnings
from collections.abc import Sequence
from typing import Any, Union

import numpy as np

from ._engine import (
    ArgumentOrderWarning,
    Tensor,
    Value,
    ValueArray,
    groups,
    guard,
    holds_values,
    is_tracing,
    nograd,
    numbers,
)

Node = Union[Tensor, ValueArray]
Axis = Union[int, tuple[int, ...], None]
REDUCTIONS = ("mean", "sum", "none")
#: PyTorch's floor for each log term of a probability loss (``binary_cross_entropy``).
LOG_FLOOR = -100.0
_TINY = math.exp(LOG_FLOOR)
# The clips below keep the branch that ``where`` discards finite (log 0 = -inf would give 0/0 = nan
# in backward); ``where`` then gives the clamped entries the constant -100 and gradient 0.


def _convert(name: str, arg: str, x: Any, use_values: bool, dtype: np.dtype) -> Node:
    if not holds_values(x):
        check_real(name, arg, x)
    try:
        if use_values:
            return x if isinstance(x, ValueArray) else ValueArray(x if holds_values(x) else numbers(x))
        if isinstance(x, Tensor):  # (bool or integer labels and masks: as numbers, as an array's)
            return x if x.dtype.kind == "f" else x.to(dtype)
        return Tensor(numbers(x), dtype=dtype)
    except (TypeError, ValueError) as e:
        raise TypeError(f"{name}: {arg} must be {_REAL}; got {type(x).__name__} ({e})") from None


_REAL = "real numbers (a Tensor, an array, a number or a nested list of them) or Values"
#: the array arguments where bools make sense (labels or masks: True is 1, False is 0)
BOOLS_ALLOWED = ("y_true", "weight")


def check_real(name: str, arg: str, x: Any) -> None:
    """``x`` holds real numbers, or a TypeError naming the loss, the argument, what is expected and
    what came in: None, text, complex numbers, Python objects, a ragged list, or bools where a
    prediction is meant (bools are accepted as labels and masks: see ``BOOLS_ALLOWED``)."""
    if isinstance(x, (Value, ValueArray)):
        return  # (they hold real numbers: Value(...) refuses anything else)
    if isinstance(x, (list, tuple)) and _holds_tensor(x):
        raise TypeError(
            f"{name}: {arg} must be {_REAL}; got a {type(x).__name__} holding Tensors that require grad, "
            "whose graph a list would lose: join them into one Tensor first, with autograd.stack(...)"
        )
    data = x.data if isinstance(x, Tensor) else x
    try:
        arr = np.asarray(data)
    except (ValueError, TypeError) as e:
        raise TypeError(f"{name}: {arg} must be {_REAL}; got a ragged nested sequence ({e})") from None
    kind = arr.dtype.kind
    if kind in "fiu" or (kind == "b" and arg in BOOLS_ALLOWED):
        return
    if data is None:
        found = "None"
    elif kind == "b":
        found = f"bools (dtype {arr.dtype}), where numbers are meant; for 0/1 pass x.astype(float)"
    elif kind == "c":
        found = f"complex numbers (dtype {arr.dtype}), whose imaginary part a loss would drop; pass x.real"
    elif kind in "US":
        found = f"text {data!r}" if arr.ndim == 0 else f"text (dtype {arr.dtype})"
    elif kind == "O":
        odd = next(v for v in arr.flat if not isinstance(v, (int, float, np.integer, np.floating)))
        found = f"{type(data).__name__} holding {type(odd).__name__} {odd!r}" if arr.ndim else repr(data)
    else:
        found = f"dtype {arr.dtype}"
    raise TypeError(f"{name}: {arg} must be {_REAL}; got {found}")


def _holds_tensor(x: Any) -> bool:
    """Whether the (nested) list or tuple ``x`` holds a Tensor that requires grad."""
    return any(
        _holds_tensor(v) if isinstance(v, (list, tuple)) else isinstance(v, Tensor) and v.requires_grad
        for v in x
    )


def real(name: str, arg: str, x: Any) -> np.ndarray:
    """The numbers in ``x`` as a float64 array (no graph), after :func:`check_real`."""
    check_real(name, arg, x)
    return numbers(x)


_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def requires_grad(x: Any) -> bool:
    """Whether ``x`` is being trained: a Tensor with ``requires_grad``, or a Value (alone, in a
    list or a ValueArray) that is an operation's result or a labelled leaf. Numbers, arrays and
    unlabelled leaf Values are constants."""
    if isinstance(x, Tensor):
        return x.requires_grad
    if isinstance(x, Value):
        return bool(x.op or x.label)
    if isinstance(x, ValueArray):
        x = x.values
    if isinstance(x, (list, tuple)):
        try:
            x = np.asarray(x)  # numbers stay out of the Python loop below
        except (ValueError, TypeError):  # ragged, or holding a Tensor that requires grad
            return any(map(requires_grad, x))
    return isinstance(x, np.ndarray) and x.dtype == object and any(map(requires_grad, x.flat))


def check_order(name: str, y_true: Any, **others: Any) -> None:
    """Warn (:class:`ArgumentOrderWarning`, once per call site) when ``y_true`` requires grad and
    none of the ``others`` (``y_pred``, ...) does. The warning points at the user's line."""
    if not requires_grad(y_true) or any(map(requires_grad, others.values())):
        return
    frame, level = sys._getframe(), 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    if frame is not None and frame.f_globals.get("_LOSS_ARGUMENT_ORDER") == "input, target":
        return  # called with PyTorch's explicit order (autograd.nn.functional): nothing is swapped
    args = ", ".join(others)
    warnings.warn(
        f"{name}: y_true requires grad but {args} {'does' if len(others) == 1 else 'do'} not; the arguments "
        f"may be in PyTorch's (input, target) order, while here the truth comes first: "
        f"{name}(y_true, {args})",
        ArgumentOrderWarning,
        stacklevel=level,
    )


def prepare(name: str, reduction: str, *, same_shape: bool = True, **arrays: Any) -> list[Node]:
    """The array arguments of loss ``name`` as nodes of one kind, in the order given.

    Checks ``reduction``, the argument order (:func:`check_order`, when there is a ``y_true``)
    and, with ``same_shape``, that all arrays have one shape.
    """
    check_reduction(name, reduction)
    if "y_true" in arrays:
        check_order(name, **arrays)
    use_values = any(holds_values(x) for x in arrays.values())
    floats = (x.dtype for x in arrays.values() if isinstance(x, Tensor) and x.dtype.kind == "f")
    dtype = next(floats, np.dtype(np.float64))
    nodes = {arg: _convert(name, arg, x, use_values, dtype) for arg, x in arrays.items()}
    if same_shape:
        check_same_shape(name, **nodes)
    groups.begin(name, nodes.values())  # so drawings can show the loss as one box
    return list(nodes.values())


def check_same_shape(name: str, **nodes: Node) -> None:
    """All ``nodes`` have one shape (no silent broadcasting)."""
    (first, a), *rest = nodes.items()
    for arg, node in rest:
        if node.shape != a.shape:
            raise ValueError(
                f"{name}: {first} and {arg} must have the same shape (no broadcasting); "
                f"got {first} shape {a.shape} and {arg} shape {node.shape}"
            )


def reduce(loss: Node, reduction: str, denominator: float | Node | None = None) -> Any:
    """``mean`` (``sum / denominator``, a number or a node; by default the element count), ``sum``
    or ``none``.

    A mean over a zero ``denominator`` (every sample ignored or weighted 0) is nan, as in PyTorch,
    with gradient 0 (selected by ``where``, never ``0 · inf``). A one-element ValueArray comes back
    as its ``Value``.
    """
    if reduction == "mean" and isinstance(denominator, (int, float)) and denominator == 0:
        loss = loss.sum().where(np.zeros((), dtype=bool), math.nan)
    elif reduction == "mean":
        loss = loss.mean() if denominator is None else loss.sum() / denominator
    elif reduction == "sum":
        loss = loss.sum()
    if isinstance(loss, ValueArray) and loss.ndim == 0:
        loss = loss.to_value()
    groups.end(loss)
    return loss


# -- validation: each error names the loss, the argument, what was expected and what came in
class TorchInputError(ValueError, RuntimeError):
    """A shape, label or value that PyTorch's loss refuses in C++ (a probability outside [0, 1] too):
    a ValueError, as all bad input of a loss, and the RuntimeError torch raises."""


class LabelError(ValueError, IndexError):
    """A class label out of range: a ValueError, as all bad input of a loss, and the IndexError torch
    raises ("Target 4 is out of bounds.")."""


def check_reduction(name: str, reduction: Any) -> None:
    if reduction not in REDUCTIONS:
        expected = ", ".join(map(repr, REDUCTIONS))
        raise ValueError(f"{name}: reduction must be one of {expected}; got {reduction!r}")


def first_bad(data: np.ndarray, bad: np.ndarray) -> str:
    """The first offending entry of ``data`` and its index, for messages."""
    where = tuple(int(i) for i in np.argwhere(bad)[0])
    return f"{float(data[where])!r}" + (f" at index {where}" if where else "")


def check_range(name: str, arg: str, x: Any, low: float, high: float, what: str, hint: str = "") -> None:
    """All entries of ``x`` lie in ``[low, high]`` (nan never does)."""
    data = numbers(x)
    bad = ~((data >= low) & (data <= high))
    if bad.any():
        hint = f" ({hint})" if hint else ""
        raise TorchInputError(
            f"{name}: {arg} must be {what} in [{low:g}, {high:g}]; got {first_bad(data, bad)}{hint}"
        )


def check_values(name: str, arg: str, x: Any, allowed: Sequence[float], what: str) -> None:
    """Every entry of ``x`` is one of ``allowed``."""
    data = numbers(x)
    bad = ~np.isin(data, allowed)
    if bad.any():
        raise ValueError(f"{name}: {arg} must be {what}; got {first_bad(data, bad)}")


def check_number(
    name: str,
    arg: str,
    value: Any,
    low: float,
    high: float = math.inf,
    *,
    open_low: bool = False,
    torch_says: str = "",
) -> float:
    """``value`` is a real number in ``[low, high]`` (``(low, high]`` with ``open_low``); text and
    bools are refused, not read as numbers. ``torch_says``: the words of torch's RuntimeError for a
    number out of range, which the error then also is (:class:`TorchInputError`)."""
    try:
        if isinstance(value, (str, bytes, bool, np.bool_)):
            raise TypeError
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: {arg} must be a real number; got {value!r}") from None
    if not (x > low if open_low else x >= low) or not x <= high:
        bound = f"> {low:g}" if open_low else f">= {low:g}"
        expected = bound if high == math.inf else f"in {'(' if open_low else '['}{low:g}, {high:g}]"
        if torch_says:
            raise TorchInputError(f"{name}: {arg} must be {expected}; got {value!r} ({torch_says})")
        raise ValueError(f"{name}: {arg} must be {expected}; got {value!r}")
    return x


def check_flag(name: str, arg: str, value: Any) -> bool:
    """``value`` is a bool (``"False"`` would be true): a TypeError naming it otherwise."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: {arg} must be True or False; got {type(value).__name__} {value!r}")
    return bool(value)


def check_index(name: str, arg: str, value: Any) -> int | None:
    """``value`` is an int or None (a class label such as ``ignore_index``)."""
    if value is not None and (
        isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer))
    ):
        raise TypeError(f"{name}: {arg} must be an int or None; got {type(value).__name__} {value!r}")
    return value


def constant(name: str, arg: str, value: Any, shape: tuple[int, ...]) -> np.ndarray:
    """A weight-like constant as a float array that broadcasts to ``shape`` without enlarging it."""
    arr = real(name, arg, value)
    try:
        ok = np.broadcast_shapes(arr.shape, shape) == shape
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"{name}: {arg} must broadcast to the loss shape {shape}; got shape {arr.shape}")
    return arr


def class_weight(name: str, arg: str, weight: Any, n_classes: int, ndim: int, axis: int) -> np.ndarray:
    """A per-class vector of length ``n_classes``, shaped to broadcast along ``axis``."""
    w = real(name, arg, weight)
    if w.shape != (n_classes,):
        raise ValueError(f"{name}: {arg} must have one entry per class, shape ({n_classes},); got {w.shape}")
    shape = [1] * ndim
    shape[axis] = n_classes
    return w.reshape(shape)


def followed(value: Any, arr: np.ndarray, like: Any) -> Any:
    """A weight (``arr``, checked from ``value``) as a compiled step reads it at every call: while a
    Tensor loss is traced, a Tensor ``value`` becomes its float64 numbers as a node (no gradient,
    recomputed each call: ``nograd``) and anything else a constant Tensor, so that what the loss
    computes from it is part of the graph. Otherwise (eager, ValueArrays) ``arr`` itself."""
    if not (is_tracing() and isinstance(like, Tensor)):
        return arr
    if isinstance(value, Tensor):
        return nograd(lambda d: _shaped(np.asarray(d, dtype=np.float64), arr.shape), value)
    return Tensor(arr)


def trained(value: Any, arr: np.ndarray, like: Any) -> Any:
    """A weight that enters the loss only as a factor, as :func:`followed`, except that a Tensor
    ``value`` that requires grad stays in the graph (shaped as ``arr``), so the loss's gradient
    reaches it, as torch's composite losses' (cross-entropy of class probabilities,
    multilabel_soft_margin_loss)."""
    if isinstance(value, Tensor) and value.requires_grad and isinstance(like, Tensor):
        return value.reshape(arr.shape) if value.numel() == arr.size else value.broadcast_to(arr.shape)
    return followed(value, arr, like)


def lifted(w: Any, x: Any) -> Any:
    """A weight ``w`` as it meets the Tensor ``x`` in an operation: a weight node (:func:`followed`,
    float64) cast to ``x``'s dtype, as a numpy array would be lifted to it (so a compiled step has
    the eager numbers in float32 too); anything else as it is."""
    if isinstance(w, Tensor) and isinstance(x, Tensor) and w.data.dtype != x.data.dtype:
        return w.to(x.data.dtype)
    return w


def _shaped(d: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``d``'s numbers in ``shape``: reshaped (a class weight laid along its axis), or a number broadcast."""
    return d.reshape(shape).copy() if d.size == int(np.prod(shape)) else np.broadcast_to(d, shape).copy()


def class_axis(name: str, axis: int, ndim: int) -> int:
    """``axis`` of a ``ndim``-dimensional prediction as a non-negative index."""
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{name}: axis must be an int (the class axis); got {type(axis).__name__} {axis!r}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name}: axis must be a class axis of y_pred ({ndim} dimension(s)); got {axis}")
    return axis % ndim


# -- logarithms clamped at LOG_FLOOR, with finite gradients at 0 and 1
def log_clamped(x: Node) -> Node:
    """max(log x, -100); where clamped (x ≤ e^-100, so x = 0 too) the gradient is 0."""
    return x.clip(min=_TINY).log().where(nograd(lambda d: d > _TINY, x), LOG_FLOOR)


def log1m_clamped(x: Node) -> Node:
    """max(log(1 - x), -100), computed as log1p(-x); at x = 1 the gradient is 0."""
    below_one = float(np.nextafter(np.ones((), x.data.dtype), 0))
    return (-x.clip(max=below_one)).log1p().where(nograd(lambda d: d < 1, x), LOG_FLOOR)


def focal_factor(q: Node, gamma: float) -> Node:
    """``q ** gamma`` for ``q = 1 - p ∈ [0, 1]``, the focal losses' weight. For 0 < γ < 1 its
    derivative γ·q^(γ-1) is infinite at q = 0 (p = 1), where the loss it multiplies, -log p, is 0:
    there the factor is 0 with gradient 0 (selected by ``where``, never ``0 · inf``), which is the
    product's true derivative (q^γ·(-log(1 - q)) ≈ q^(1+γ))."""
    if not 0 < gamma < 1:
        return q**gamma
    positive = nograd(lambda d: d > 0, q)
    return (q.where(positive, 1.0) ** gamma).where(positive, 0.0)


# -- the margin losses over class scores (PyTorch's multi_margin_loss and multilabel losses)
def class_scores(name: str, x: Node) -> Node:
    """Scores of shape (C,), (N, C) or () (one class) as an (N, C) node, with torch's check of the
    dimensions (no other shape, no zero classes)."""
    if x.ndim > 2 or (x.ndim and x.shape[-1] == 0):
        raise TorchInputError(
            f"{name}: y_pred must be class scores of shape (C,) or (N, C) with C > 0, or a number (Expected "
            f"non-empty vector or matrix with optional 0-dim batch size, but got: {list(x.shape)}); "
            f"got shape {x.shape}"
        )
    return x.reshape(1, 1) if x.ndim == 0 else x.reshape(-1, x.shape[-1])


def bad_classes(labels: np.ndarray, low: int, n_classes: int) -> np.ndarray:
    """Where ``labels`` are not integers in ``[low, n_classes - 1]`` (nan and inf included)."""
    return ~((labels >= low) & (labels < n_classes) & (labels == np.round(labels)))


def from_labels(fn: Any, y_true: Any, labels: np.ndarray, like: Node, holds: Any, what: str) -> Any:
    """``fn`` of the integer labels (a mask, a gather's selection) as a compiled step recomputes it
    at every call: while the Tensor ``like`` is traced, a node computed from ``y_true`` (a Tensor
    argument, read at every call; ``holds`` guards it, so labels out of range trace again and raise)
    or from the constant ``labels``. Otherwise ``fn(labels)`` itself, a numpy array."""
    if not (is_tracing() and isinstance(like, Tensor)):
        return fn(labels.astype(np.intp))
    if isinstance(y_true, Tensor):
        guard(lambda t: bool(holds(np.asarray(t))), y_true.data, what=what)
        source = y_true
    else:
        source = Tensor(labels)
    return nograd(lambda t: fn(np.asarray(t).astype(np.intp)), source)
