"""``torch.nn.functional``'s names and signatures: ``import autograd.nn.functional as F``.

Activations are composed from the engine's operations (their gradients come from the chain rule),
and take a Tensor, a ValueArray or a Value (numbers and arrays become a constant Tensor). Every
loss is a thin wrapper over its one definition in the ``losses`` package, called with PyTorch's
``(input, target)`` order and arguments; ``losses`` itself takes the truth first. The ``losses``
package is loaded on the first loss call, from beside this package (see ``autograd/_siblings.py``),
so ``import autograd`` does not import it.

Known differences from torch: ``inplace=True`` is accepted and computes a new tensor; results of
``one_hot`` are float Tensors of 0s and 1s (torch: int64); ``dropout`` masks come from this library's
generator (``manual_seed``), not torch's stream; a loss refuses input and target of different shapes
(torch broadcasts them with a warning).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from functools import cache
from types import ModuleType
from typing import Any

import numpy as np

from .. import numpy_shapes
from .._siblings import sibling
from .._tensor import Tensor
from ..factories import default_generator
from ..value import Value
from ..value_array import ValueArray

#: read by ``losses`` when it decides whether to warn about a swapped (y_true, y_pred): every loss
#: here is called in PyTorch's own explicit (input, target) order, so it never warns
_LOSS_ARGUMENT_ORDER = "input, target"


def _node(x: Any) -> Any:
    """A Tensor, ValueArray or Value as given; numbers and arrays as a constant Tensor."""
    return x if isinstance(x, (Tensor, ValueArray, Value)) else Tensor(x)


def _composed(x: Any, fn: Callable[[Any], Any]) -> Any:
    """``fn`` (written with the array API: ``where``, ``.data``) applied to ``x``; a Value goes
    through it as a 0-d ValueArray and comes back a Value."""
    if isinstance(x, Value):
        return fn(ValueArray(x)).to_value()
    return fn(_node(x))


def _real(op: str, name: str, value: Any) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{op}: {name} must be a real number, got {type(value).__name__} {value!r}")
    return float(value)


# -- activations
def relu(input: Any, inplace: bool = False) -> Any:
    """``max(x, 0)``, elementwise (gradient 0 at 0, as torch)."""
    return _node(input).relu()


def sigmoid(input: Any) -> Any:
    """``1 / (1 + e^{-x})``, elementwise."""
    return _node(input).sigmoid()


def tanh(input: Any) -> Any:
    """``tanh x``, elementwise."""
    return _node(input).tanh()


def _softmax_dim(op: str, input: Any, dim: int | None, dtype: Any, stacklevel: int) -> int:
    """``dim``, or torch's implicit choice (with its deprecation warning): 0 for 0-, 1- and 3-d
    input, else 1. A ``dtype`` other than the input's is refused (cast the input first)."""
    if dtype is not None and np.dtype(dtype) != np.asarray(input.data).dtype:
        raise TypeError(
            f"{op}: dtype={dtype!r} differs from the input's {input.data.dtype}; cast the input first"
        )
    if dim is not None:
        return dim
    warnings.warn(
        f"Implicit dimension choice for {op} has been deprecated. Change the call to include dim=X as an "
        "argument.",
        UserWarning,
        stacklevel=stacklevel,
    )
    return 0 if input.ndim in (0, 1, 3) else 1


def softmax(input: Any, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Any:
    """``e^{x_i} / Σ_j e^{x_j}`` along ``dim`` (computed from the max-shifted x)."""
    x = _node(input)
    return x.softmax(_softmax_dim("softmax", x, dim, dtype, _stacklevel))


def log_softmax(input: Any, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Any:
    """``x_i - log Σ_j e^{x_j}`` along ``dim`` (no overflow, no log 0)."""
    x = _node(input)
    return x.log_softmax(_softmax_dim("log_softmax", x, dim, dtype, _stacklevel))


def leaky_relu(input: Any, negative_slope: float = 0.01, inplace: bool = False) -> Any:
    """``x`` where x > 0, else ``negative_slope·x`` (gradient ``negative_slope`` at 0, as torch)."""
    slope = _real("leaky_relu", "negative_slope", negative_slope)
    return _composed(input, lambda x: x.where(x.data > 0, slope * x))


def elu(input: Any, alpha: float = 1.0, inplace: bool = False) -> Any:
    """``x`` where x > 0, else ``α·(e^x - 1)``, with ``expm1`` once the engine has it. Until then
    ``e^x - 1`` loses relative precision for |x| < 1e-8 (1e-7 relative at x = -1e-10). The
    exponential sees 0 in place of the positive x, so the discarded branch never overflows."""
    a = _real("elu", "alpha", alpha)

    def f(x: Any) -> Any:
        negative = x.where(~(x.data > 0), 0.0)  # (nan stays: torch's nan value and gradient)
        em1 = negative.expm1() if hasattr(negative, "expm1") else negative.exp() - 1.0
        return x.where(x.data > 0, a * em1)

    return _composed(input, f)


_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def gelu(input: Any, approximate: str = "none") -> Any:
    """``x·Φ(x) = ½x·(1 + erf(x/√2))``; ``approximate="tanh"``:
    ``½x·(1 + tanh(u))`` with ``u = √(2/π)·(x + 0.044715·x³)``, evaluated as ``x·σ(2u)`` (the same
    number without the cancellation in ``1 + tanh u``: full precision for x < -3, where torch's
    form loses digits and gives 0 from x ≈ -8).

    Raises:
        ValueError: ``approximate`` is not "none" or "tanh".
        NotImplementedError: "none" while the engine has no ``erf`` yet (use "tanh").
    """
    if approximate == "tanh":
        return _composed(
            input, lambda x: x * (2.0 * _SQRT_2_OVER_PI * (x + 0.044715 * (x * x * x))).sigmoid()
        )
    if approximate != "none":
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    x = _node(input)
    if not hasattr(x, "erf"):
        raise NotImplementedError(
            "gelu(approximate='none') needs erf, which this engine does not have yet; "
            "use gelu(x, approximate='tanh') (within 1e-3 of the exact GELU)"
        )
    return _composed(x, lambda x: 0.5 * x * (1.0 + (x * (1.0 / math.sqrt(2.0))).erf()))


def silu(input: Any, inplace: bool = False) -> Any:
    """``x·σ(x)`` (also called swish)."""
    return _composed(input, lambda x: x * x.sigmoid())


def softplus(input: Any, beta: float = 1.0, threshold: float = 20.0) -> Any:
    """``log(1 + e^{βx}) / β``, and ``x`` itself where ``βx > threshold`` (torch's switch)."""
    b = _real("softplus", "beta", beta)
    t = _real("softplus", "threshold", threshold)
    return _composed(input, lambda x: x.where(x.data * b > t, (b * x).softplus() / b))


# -- layers
def linear(input: Any, weight: Any, bias: Any = None) -> Tensor:
    """``input @ weight.T + bias``, weight shaped (out_features, in_features)."""
    y = _node(input) @ _node(weight).T
    return y if bias is None else y + bias


def dropout(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False) -> Any:
    """Zero each element with probability ``p`` and scale the rest by ``1/(1 - p)`` (inverted
    dropout, as torch), so the expected value is unchanged; ``input`` itself when not ``training``
    or ``p == 0``. The mask is drawn from the library's generator (``manual_seed``).

    Raises:
        ValueError: ``p`` is not in [0, 1].
    """
    p = _probability("dropout", p)
    if not training or p == 0.0:
        return input

    def drop(x: Any) -> Any:
        if p == 1.0:
            return x * 0.0
        return x * ((default_generator().random(x.shape) >= p) / (1.0 - p))

    return _composed(input, drop)


def _probability(op: str, p: Any) -> float:
    """``p`` as a float in [0, 1], or torch's ValueError."""
    p = _real(op, "p", p)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    return p


def one_hot(tensor: Any, num_classes: int = -1) -> Tensor:
    """Class labels (non-negative integers) as one-hot rows: shape ``tensor.shape + (C,)``, C =
    ``num_classes`` or, for -1, the largest label + 1. A Tensor of 0.0 and 1.0 (torch: int64).

    Raises:
        ValueError: a label that is negative, not a whole number, or not below ``num_classes``.
    """
    labels = np.asarray(tensor.data if isinstance(tensor, Tensor) else tensor)
    if labels.dtype.kind not in "iuf" or not np.all(labels == np.round(labels)) or (labels < 0).any():
        raise ValueError(f"one_hot: expected non-negative integer class labels, got {labels!r}")
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) or num_classes < -1:
        raise TypeError(f"one_hot: num_classes must be a non-negative int or -1, got {num_classes!r}")
    if num_classes == -1:
        if not labels.size:
            raise ValueError("one_hot: cannot infer the number of classes from no labels; pass num_classes")
        num_classes = int(labels.max()) + 1
    if labels.size and labels.max() >= num_classes:
        raise ValueError(
            f"one_hot: class values must be smaller than num_classes={num_classes}, got {labels.max()}"
        )
    return Tensor(np.eye(num_classes)[labels.astype(np.intp)])


#: torch's padding modes, as numpy's pad names them
_PAD_MODES = {"constant": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def pad(input: Any, pad: Sequence[int], mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad (or, with negative sizes, crop) the last ``len(pad) // 2`` dimensions; ``pad`` is
    ``(last_left, last_right, second_last_left, ...)`` as torch. ``mode``: "constant" (``value``,
    default 0), "reflect" (mirror without the edge), "replicate" (repeat the edge), "circular"
    (wrap around); the last three pad 1 to 3 dimensions of an input with one or two more, as torch.
    The padding is numpy's ``pad`` on Tensors (``autograd.numpy_shapes.pad``: edge, reflect, wrap),
    the cropping a slice: after the padding, as torch's, or before it for "circular".

    Raises:
        TypeError: ``pad`` is not a sequence of ints. ValueError: an odd length, more sizes than
        dimensions, an unknown mode, or sizes that the mode cannot take.
        NotImplementedError: a non-constant mode on a dimension count torch does not support.
    """
    x = input if isinstance(input, Tensor) else Tensor(input)
    if (
        isinstance(pad, (str, bytes))
        or not isinstance(pad, Sequence)
        or not all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in pad)
    ):
        raise TypeError(f"pad: pad must be a tuple of ints, got {pad!r}")
    if len(pad) % 2:
        raise ValueError(f"pad: padding length must be divisible by 2, got {len(pad)} ({tuple(pad)})")
    dims = len(pad) // 2
    if dims > x.ndim:
        raise ValueError(
            f"pad: {len(pad)} padding sizes for an input of {x.ndim} dimension(s); at most {2 * x.ndim}"
        )
    if mode not in _PAD_MODES:
        raise ValueError(f"pad: mode must be one of {tuple(_PAD_MODES)}, got {mode!r}")
    if mode != "constant":
        if value is not None:
            raise ValueError(
                f'pad: padding mode "{mode}" does not take a value argument, got value={value!r}'
            )
        if not 1 <= dims <= 3 or x.ndim not in (dims + 1, dims + 2):
            raise NotImplementedError(
                f"pad: mode {mode!r} pads the last 1, 2 or 3 dimensions of an input with one or two more "
                f"(as torch); got {len(pad)} sizes for an input of {x.ndim} dimension(s)"
            )
    widths = [(0, 0)] * (x.ndim - dims) + [
        (int(pad[2 * i]), int(pad[2 * i + 1])) for i in reversed(range(dims))
    ]
    for dim in range(x.ndim - dims, x.ndim):
        _check_pad(dim, x.shape[dim], *widths[dim], mode)
    grow = [(max(left, 0), max(right, 0)) for left, right in widths]
    options = (
        {"constant_values": 0.0 if value is None else _real("pad", "value", value)}
        if mode == "constant"
        else {}
    )

    def crop(t: Tensor) -> Tensor:
        return t[tuple(slice(max(-left, 0), n - max(-right, 0)) for n, (left, right) in zip(t.shape, widths))]

    if mode == "circular":  # (torch crops first, then wraps around what is left)
        return numpy_shapes.pad(crop(x), grow, "wrap")
    return crop(numpy_shapes.pad(x, grow, _PAD_MODES[mode], **options))


def _check_pad(dim: int, n: int, left: int, right: int, mode: str) -> None:
    """torch's limits on the sizes of one dimension's padding."""
    if n + left + right < 0:
        raise ValueError(
            f"pad: padding ({left}, {right}) of dimension {dim} (size {n}) leaves a negative size"
        )
    if mode == "reflect" and max(left, right) >= n:
        raise ValueError(
            f"pad: reflect padding ({left}, {right}) must be less than the size {n} of dimension {dim}"
        )
    if mode == "circular" and max(left, right) > n:
        raise ValueError(
            f"pad: circular padding ({left}, {right}) must be at most the size {n} of dimension {dim}"
        )


# -- losses: each the one definition in the losses package, called in PyTorch's order
@cache
def _losses() -> ModuleType:
    return sibling("losses")


def _reduction(size_average: bool | None, reduce: bool | None, reduction: str) -> str:
    """``reduction``, or torch's reading of its deprecated ``size_average``/``reduce`` pair (with
    torch's warning)."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    legacy = ("mean" if size_average else "sum") if reduce else "none"
    warnings.warn(
        f"size_average and reduce args will be deprecated, please use reduction='{legacy}' instead.",
        UserWarning,
        stacklevel=3,
    )
    return legacy


def _ndim(x: Any) -> int:
    return x.ndim if isinstance(x, (Tensor, ValueArray)) else np.ndim(x)


def _shape(x: Any) -> tuple[int, ...]:
    return x.shape if isinstance(x, (Tensor, ValueArray)) else np.shape(x)


def mse_loss(
    input: Any,
    target: Any,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: Any = None,
) -> Any:
    """Squared error ``(x - y)²``: ``losses.mse(target, input)``."""
    return _losses().mse(target, input, weight=weight, reduction=_reduction(size_average, reduce, reduction))


def l1_loss(
    input: Any,
    target: Any,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: Any = None,
) -> Any:
    """Absolute error ``|x - y|``: ``losses.mae(target, input)``."""
    return _losses().mae(target, input, weight=weight, reduction=_reduction(size_average, reduce, reduction))


def huber_loss(
    input: Any, target: Any, reduction: str = "mean", delta: float = 1.0, weight: Any = None
) -> Any:
    """Huber loss with threshold ``delta``: ``losses.huber(target, input)``."""
    return _losses().huber(target, input, delta=delta, weight=weight, reduction=reduction)


def smooth_l1_loss(
    input: Any,
    target: Any,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Any:
    """Huber loss divided by ``beta``: ``losses.smooth_l1(target, input)``."""
    return _losses().smooth_l1(
        target, input, beta=beta, reduction=_reduction(size_average, reduce, reduction)
    )


def binary_cross_entropy(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Any:
    """BCE on probabilities, each log clamped at -100: ``losses.binary_cross_entropy(target, input)``."""
    return _losses().binary_cross_entropy(
        target, input, weight=weight, reduction=_reduction(size_average, reduce, reduction)
    )


def binary_cross_entropy_with_logits(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    pos_weight: Any = None,
) -> Any:
    """BCE on logits, exact for any logit:
    ``losses.binary_cross_entropy(target, input, from_logits=True)``."""
    return _losses().binary_cross_entropy(
        target,
        input,
        from_logits=True,
        weight=weight,
        pos_weight=pos_weight,
        reduction=_reduction(size_average, reduce, reduction),
    )


def cross_entropy(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: bool | None = None,
    ignore_index: int = -100,
    reduce: bool | None = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Any:
    """Cross-entropy of logits ``input`` (classes on axis 1, or axis 0 for a single (C,) sample).

    ``target`` of ``input``'s shape holds class probabilities
    (``losses.categorical_cross_entropy``); otherwise class indices, one per sample
    (``losses.sparse_categorical_cross_entropy``, skipping ``ignore_index``).
    """
    axis = 1 if _ndim(input) >= 2 else 0
    reduction = _reduction(size_average, reduce, reduction)
    if _shape(target) == _shape(input):
        return _losses().categorical_cross_entropy(
            target,
            input,
            from_logits=True,
            label_smoothing=label_smoothing,
            weight=weight,
            axis=axis,
            reduction=reduction,
        )
    return _losses().sparse_categorical_cross_entropy(
        target,
        input,
        from_logits=True,
        label_smoothing=label_smoothing,
        weight=weight,
        ignore_index=ignore_index,
        axis=axis,
        reduction=reduction,
    )


def nll_loss(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: bool | None = None,
    ignore_index: int = -100,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Any:
    """Negative log-likelihood of log-probabilities ``input`` (classes on axis 1, or 0 for (C,)):
    ``losses.nll(target, input)``."""
    return _losses().nll(
        target,
        input,
        weight=weight,
        ignore_index=ignore_index,
        axis=1 if _ndim(input) >= 2 else 0,
        reduction=_reduction(size_average, reduce, reduction),
    )


def kl_div(
    input: Any,
    target: Any,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    log_target: bool = False,
) -> Any:
    """KL terms ``y·(log y - input)`` of log-probabilities ``input``, elementwise as torch:
    ``losses.kl_divergence(target, input, log_input=True, axis=None)``. "batchmean" divides the sum
    by the batch size (the KL divergence); "mean" by the element count (with torch's warning)."""
    reduction = _reduction(size_average, reduce, reduction)
    if reduction == "mean":
        warnings.warn(
            "reduction: 'mean' divides the total loss by both the batch size and the support size."
            "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
            "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
            UserWarning,
            stacklevel=2,
        )
    return _losses().kl_divergence(
        target, input, log_input=True, log_target=log_target, axis=None, reduction=reduction
    )


def cosine_embedding_loss(
    input1: Any,
    input2: Any,
    target: Any,
    margin: float = 0,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Any:
    """``1 - cos`` for y = 1, ``max(0, cos - margin)`` for y = -1: ``losses.cosine_embedding``."""
    return _losses().cosine_embedding(
        target, input1, input2, margin=margin, reduction=_reduction(size_average, reduce, reduction)
    )


def margin_ranking_loss(
    input1: Any,
    input2: Any,
    target: Any,
    margin: float = 0,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Any:
    """``max(0, -y·(x1 - x2) + margin)``: ``losses.margin_ranking(target, input1, input2)``."""
    return _losses().margin_ranking(
        target, input1, input2, margin=margin, reduction=_reduction(size_average, reduce, reduction)
    )


def triplet_margin_loss(
    anchor: Any,
    positive: Any,
    negative: Any,
    margin: float = 1.0,
    p: float = 2,
    eps: float = 1e-06,
    swap: bool = False,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Any:
    """``max(0, d(a, pos) - d(a, neg) + margin)``: ``losses.triplet``."""
    return _losses().triplet(
        anchor,
        positive,
        negative,
        margin=margin,
        p=p,
        eps=eps,
        swap=swap,
        reduction=_reduction(size_average, reduce, reduction),
    )


def hinge_embedding_loss(
    input: Any,
    target: Any,
    margin: float = 1.0,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Any:
    """``x`` for y = 1, ``max(0, margin - x)`` for y = -1: ``losses.hinge_embedding(target, input)``."""
    return _losses().hinge_embedding(
        target, input, margin=margin, reduction=_reduction(size_average, reduce, reduction)
    )


def soft_margin_loss(
    input: Any,
    target: Any,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Any:
    """``log(1 + e^{-y·x})``: ``losses.soft_margin(target, input)``."""
    return _losses().soft_margin(target, input, reduction=_reduction(size_average, reduce, reduction))


def gaussian_nll_loss(
    input: Any, target: Any, var: Any, full: bool = False, eps: float = 1e-06, reduction: str = "mean"
) -> Any:
    """``½(log v + (x - y)²/v)``: ``losses.gaussian_nll(target, input, var)``."""
    return _losses().gaussian_nll(target, input, var, full=full, eps=eps, reduction=reduction)


def poisson_nll_loss(
    input: Any,
    target: Any,
    log_input: bool = True,
    full: bool = False,
    size_average: bool | None = None,
    eps: float = 1e-08,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Any:
    """Poisson NLL, ``e^x - y·x`` for ``log_input`` (torch's default), else ``x - y·log(x + eps)``:
    ``losses.poisson(target, input)``."""
    return _losses().poisson(
        target,
        input,
        log_input=log_input,
        full=full,
        eps=eps,
        reduction=_reduction(size_average, reduce, reduction),
    )
