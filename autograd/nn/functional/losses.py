"""``torch.nn.functional``'s losses: each a thin wrapper over its one definition in the ``losses``
package, called with PyTorch's ``(input, target)`` order and arguments (``losses`` itself takes
the truth first). The ``losses`` package is loaded on the first loss call, from beside this
package (see ``autograd/_siblings.py``), so ``import autograd`` does not import it."""

from __future__ import annotations

import builtins
import warnings
from functools import cache
from types import ModuleType
from typing import Any

import numpy as np

from ..._loss_docs import filled
from ..._siblings import sibling
from ..._tensor import Tensor
from ...grad_mode import is_grad_enabled
from ...graph import is_tracing
from ...value_array import ValueArray
from .distances import pairwise_distance

#: read by ``losses`` when it decides whether to warn about a swapped (y_true, y_pred): every loss
#: here is called in PyTorch's own explicit (input, target) order, so it never warns
_LOSS_ARGUMENT_ORDER = "input, target"


# each the one definition in the losses package, called in PyTorch's order
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


#: torch's warning when the regression losses broadcast a target of another shape
TARGET_SIZE = (
    "Using a target size (torch.Size({target})) that is different to the input size (torch.Size({input})). "
    "This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size."
)


def _broadcast(input: Any, target: Any, warn: bool = False, to_input: bool = False) -> tuple[Any, Any]:
    """``input`` and ``target`` broadcast to one shape, as torch's losses take a target of another
    shape: mse, l1, smooth_l1 and huber with torch's warning (``warn``), the others silently; with
    ``to_input``, only a target that broadcasts to ``input``'s shape (torch writes into one of it).
    The ``losses`` package itself wants equal shapes.

    Raises:
        RuntimeError: the shapes do not broadcast (torch's words).
    """
    if not (_numbers(input) and _numbers(target)):
        return input, target  # (the losses name what came in)
    a, b = tuple(_shape(input)), tuple(_shape(target))
    if a == b:
        return input, target
    if warn:
        warnings.warn(TARGET_SIZE.format(target=list(b), input=list(a)), UserWarning, stacklevel=3)
    try:
        shape = np.broadcast_shapes(a, b)
    except ValueError:  # (torch's words: the last dimension that differs, both padded with 1s)
        n = builtins.max(len(a), len(b))
        pa, pb = (1,) * (n - len(a)) + a, (1,) * (n - len(b)) + b
        i = builtins.max(i for i in range(n) if 1 not in (pa[i], pb[i]) and pa[i] != pb[i])
        raise RuntimeError(
            f"The size of tensor a ({pa[i]}) must match the size of tensor b ({pb[i]}) at non-singleton "
            f"dimension {i}"
        ) from None
    if to_input and shape != a:
        raise RuntimeError(f"output with shape {list(a)} doesn't match the broadcast shape {list(shape)}")
    return _expand(input, shape), _expand(target, shape)


def _constant(function: str, **arguments: Any) -> None:
    """torch's refusal of a gradient its fused loss kernel does not give (the weights of nll_loss,
    binary_cross_entropy, multi_margin_loss; soft_margin_loss's target): a Tensor argument that
    requires grad, while grad mode is on.

    Raises:
        RuntimeError: torch's words, naming the kernel and the argument.
    """
    if is_tracing():  # (a compiled step's arguments are traced as leaves that require grad)
        return
    for arg, x in arguments.items():
        if isinstance(x, Tensor) and x.requires_grad and is_grad_enabled():
            raise RuntimeError(
                f"The function '{function}' is not differentiable with respect to argument '{arg}'. "
                "This input cannot have requires_grad True."
            )


def _numbers(x: Any) -> bool:
    """Whether ``x`` is a node or real numbers (what the losses take): the others are left to them."""
    if isinstance(x, (Tensor, ValueArray)):
        return True
    try:
        return np.asarray(x).dtype.kind in "biuf"
    except (ValueError, TypeError):  # (a ragged list)
        return False


def _expand(x: Any, shape: tuple[int, ...]) -> Any:
    if tuple(_shape(x)) == shape:
        return x
    if isinstance(x, (Tensor, ValueArray)):
        return x.broadcast_to(shape)
    return np.broadcast_to(np.asarray(x), shape)


def mse_loss(
    input: Any,
    target: Any,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: Any = None,
) -> Any:
    """Mean squared error :math:`(x - y)^2` (``torch.nn.functional.mse_loss``):
    :func:`losses.mse` with the arguments in torch's order.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The prediction.
    target : array_like, Tensor, ValueArray or Value
        The target, ``input``'s shape.
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    weight : array_like, optional
        Per-element weights of ``input``'s shape, finite.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.mse` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    input, target = _broadcast(input, target, warn=True)
    return _losses().mse(target, input, weight=weight, reduction=_reduction(size_average, reduce, reduction))


def l1_loss(
    input: Any,
    target: Any,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: Any = None,
) -> Any:
    """Mean absolute error :math:`|x - y|` (``torch.nn.functional.l1_loss``): :func:`losses.mae`
    with the arguments in torch's order.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The prediction.
    target : array_like, Tensor, ValueArray or Value
        The target, ``input``'s shape.
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    weight : array_like, optional
        Per-element weights of ``input``'s shape, finite.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.mae` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    input, target = _broadcast(input, target, warn=True)
    return _losses().mae(target, input, weight=weight, reduction=_reduction(size_average, reduce, reduction))


def huber_loss(
    input: Any, target: Any, reduction: str = "mean", delta: float = 1.0, weight: Any = None
) -> Any:
    r"""Huber loss, :math:`\tfrac12 e^2` for :math:`|e| < \delta`, else
    :math:`\delta (|e| - \tfrac12 \delta)` (``torch.nn.functional.huber_loss``):
    :func:`losses.huber` with the arguments in torch's order.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The prediction.
    target : array_like, Tensor, ValueArray or Value
        The target, ``input``'s shape.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    delta : float
        The threshold :math:`\delta > 0` (default 1).
    weight : array_like, optional
        Per-element weights of ``input``'s shape, finite.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.huber` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    input, target = _broadcast(input, target, warn=True)
    return _losses().huber(target, input, delta=delta, weight=weight, reduction=reduction)


def smooth_l1_loss(
    input: Any,
    target: Any,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Any:
    r"""Smooth L1 loss, the Huber loss divided by ``beta`` (``torch.nn.functional.smooth_l1_loss``):
    :func:`losses.smooth_l1` with the arguments in torch's order.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The prediction.
    target : array_like, Tensor, ValueArray or Value
        The target, ``input``'s shape.
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    beta : float
        The threshold :math:`\beta \ge 0` (default 1); 0 gives :math:`|e|`.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.smooth_l1` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    input, target = _broadcast(input, target, warn=True)
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
    """Binary cross-entropy of probabilities, each log clamped at -100
    (``torch.nn.functional.binary_cross_entropy``): :func:`losses.binary_cross_entropy` with the
    arguments in torch's order.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        Probabilities in [0, 1].
    target : array_like, Tensor, ValueArray or Value
        The target, ``input``'s shape.
    weight : array_like, optional
        Weights broadcast to the loss.
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.binary_cross_entropy` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    _constant("binary_cross_entropy", weight=weight)
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
    """Binary cross-entropy of logits, exact for any logit
    (``torch.nn.functional.binary_cross_entropy_with_logits``):
    ``losses.binary_cross_entropy(target, input, from_logits=True)``.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        Logits.
    target : array_like, Tensor, ValueArray or Value
        The target, ``input``'s shape.
    weight : array_like, optional
        Weights broadcast to the loss.
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    pos_weight : array_like, optional
        The weight of the positive term, broadcast to the loss (per class on the last axis).

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.binary_cross_entropy` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    _constant("binary_cross_entropy_with_logits", weight=weight, pos_weight=pos_weight)
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
    """Cross-entropy of logits ``input`` against class indices or class probabilities
    (``torch.nn.functional.cross_entropy``).

    Classes are on axis 1, or axis 0 for a single ``(C,)`` sample. A ``target`` of ``input``'s
    shape holds class probabilities (:func:`losses.categorical_cross_entropy`); otherwise it
    holds class indices, one per sample (:func:`losses.sparse_categorical_cross_entropy`).

    Parameters
    ----------
    input : Tensor, ValueArray or array_like
        Logits, shape ``(N, C, ...)`` or ``(C,)``.
    target : array_like or Tensor
        Class indices, shape ``(N, ...)`` or ``()``; or probabilities of ``input``'s shape.
    weight : array_like, optional
        One weight per class, shape ``(C,)``.
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    ignore_index : int
        A class index whose samples add 0 and are left out of the mean (default -100; indices
        only).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    label_smoothing : float
        ε in [0, 1]: the target becomes :math:`y(1 - ε) + ε/C` (default 0).

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.sparse_categorical_cross_entropy` (an input not made of real numbers,
        shapes that differ, an unknown ``reduction``, an option out of range).
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
    _constant("nll_loss_forward", weight=weight)
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
    """Negative log-likelihood of log-probabilities ``input`` and class indices
    (``torch.nn.functional.nll_loss``): :func:`losses.nll` with the arguments in torch's order.

    Parameters
    ----------
    input : Tensor, ValueArray or array_like
        Log-probabilities, classes on axis 1 (or 0 for a single ``(C,)`` sample).
    target : array_like or Tensor
        Class indices, one per sample.
    weight : array_like, optional
        One weight per class, shape ``(C,)``.
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    ignore_index : int
        A class index whose samples add 0 and are left out of the mean (default -100).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.nll` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    _constant("nll_loss_forward", weight=weight)
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
    r"""KL terms :math:`y (\log y - x)` of log-probabilities :math:`x`, elementwise as torch
    (``torch.nn.functional.kl_div``): ``losses.kl_divergence(target, input, log_input=True,
    axis=None)``.

    Parameters
    ----------
    input : Tensor, ValueArray or array_like
        Log-probabilities :math:`x = \log p`.
    target : array_like or Tensor
        Probabilities :math:`y`, or :math:`\log y` with ``log_target``.
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "batchmean", "sum", "none"}
        "batchmean" divides the sum by the batch size (the KL divergence); "mean" by the element
        count, with torch's warning; "sum" adds; "none" returns the terms.
    log_target : bool
        ``target`` holds :math:`\log y` (default False).

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.kl_divergence` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    reduction = _reduction(size_average, reduce, reduction)
    if reduction == "mean":
        warnings.warn(
            "reduction: 'mean' divides the total loss by both the batch size and the support size."
            "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
            "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
            UserWarning,
            stacklevel=2,
        )
    input, target = _broadcast(input, target)
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
    r"""Cosine embedding loss, :math:`1 - \cos(x_1, x_2)` for y = 1 and
    :math:`\max(0, \cos(x_1, x_2) - \text{margin})` for y = -1
    (``torch.nn.functional.cosine_embedding_loss``): :func:`losses.cosine_embedding`.

    Parameters
    ----------
    input1, input2 : Tensor, ValueArray or array_like
        The two embeddings, shape ``(N, D)`` or ``(D,)``.
    target : array_like
        Pair labels in {-1, 1}, shape ``(N,)`` or ``()``.
    margin : float
        The margin, in [-1, 1] (default 0).
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.cosine_embedding` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
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
    r"""Margin ranking loss, :math:`\max(0, -y (x_1 - x_2) + \text{margin})`
    (``torch.nn.functional.margin_ranking_loss``): :func:`losses.margin_ranking`.

    Parameters
    ----------
    input1, input2 : Tensor, ValueArray, Value or array_like
        The two scores.
    target : array_like
        Labels in {-1, 1}: 1 asks for ``input1 > input2``.
    margin : float
        The margin :math:`\ge 0` (default 0).
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.margin_ranking` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
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
    r"""Triplet margin loss, :math:`\max(0, d(a, p) - d(a, n) + \text{margin})`, :math:`d` the
    p-norm distance (``torch.nn.functional.triplet_margin_loss``): :func:`losses.triplet`.

    Parameters
    ----------
    anchor, positive, negative : Tensor, ValueArray or array_like
        The embeddings, shape ``(N, D)``, ``(D,)`` or ``(..., D)``.
    margin : float
        The margin :math:`> 0` (default 1).
    p : float
        The norm's order, :math:`p \ge 0` or inf, as torch's vector norm (default 2).
    eps : float
        Added to the difference before the norm (default 1e-6), as torch.
    swap : bool
        Use :math:`\min(d(a, n), d(p, n))` as the negative distance (default False).
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.triplet` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
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


def triplet_margin_with_distance_loss(
    anchor: Tensor,
    positive: Tensor,
    negative: Tensor,
    *,
    distance_function: Any = None,
    margin: float = 1.0,
    swap: bool = False,
    reduction: str = "mean",
) -> Tensor:
    r""":math:`\max(0, \text{margin} + d(a, p) - d(a, n))` with any distance :math:`d`
    (``torch.nn.functional.triplet_margin_with_distance_loss``), composed as torch composes it.

    Parameters
    ----------
    anchor, positive, negative : Tensor
        The embeddings, of one number of dimensions.
    distance_function : callable, optional
        ``d(x1, x2)``, a Tensor of distances (default :func:`pairwise_distance`, the Euclidean one).
    margin : float
        The margin :math:`> 0` (default 1).
    swap : bool
        Use :math:`\min(d(a, n), d(p, n))` as the negative distance (default False).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-triplet losses.

    Returns
    -------
    Tensor
        The loss.

    Raises
    ------
    ValueError
        An unknown ``reduction`` or a ``margin`` not above 0 (torch's words).
    RuntimeError
        Inputs of different numbers of dimensions (torch's words).
    """
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction (expected 'mean', 'sum' or 'none')")
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    dims = [np.ndim(x.data if isinstance(x, Tensor) else x) for x in (anchor, positive, negative)]
    if len(set(dims)) != 1:
        raise RuntimeError(
            "The anchor, positive, and negative tensors are expected to have the same number of "
            f"dimensions, but got: anchor {dims[0]}D, positive {dims[1]}D, and negative {dims[2]}D inputs"
        )
    distance = pairwise_distance if distance_function is None else distance_function
    to_positive, to_negative = distance(anchor, positive), distance(anchor, negative)
    if swap:
        to_negative = to_negative.minimum(distance(positive, negative))
    loss = (margin + to_positive - to_negative).clamp_min(0)
    return loss.sum() if reduction == "sum" else loss.mean() if reduction == "mean" else loss


def hinge_embedding_loss(
    input: Any,
    target: Any,
    margin: float = 1.0,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Any:
    r"""Hinge embedding loss, :math:`x` for y = 1 and :math:`\max(0, \text{margin} - x)` for y = -1
    (``torch.nn.functional.hinge_embedding_loss``): :func:`losses.hinge_embedding`.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The distances :math:`x`.
    target : array_like
        Pair labels in {-1, 1}, ``input``'s shape.
    margin : float
        The margin (default 1).
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.hinge_embedding` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    input, target = _broadcast(input, target)
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
    r"""Soft margin loss, :math:`\log(1 + e^{-y x})` (``torch.nn.functional.soft_margin_loss``):
    :func:`losses.soft_margin`.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The scores :math:`x`.
    target : array_like
        Labels in {-1, 1}, ``input``'s shape.
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.soft_margin` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    input, target = _broadcast(input, target, to_input=True)
    _constant("soft_margin_loss", target=target)
    return _losses().soft_margin(target, input, reduction=_reduction(size_average, reduce, reduction))


def gaussian_nll_loss(
    input: Any, target: Any, var: Any, full: bool = False, eps: float = 1e-06, reduction: str = "mean"
) -> Any:
    r"""Gaussian negative log-likelihood, :math:`\tfrac12 (\log v + (x - y)^2 / v)` with
    :math:`v = \max(\text{var}, \text{eps})` (``torch.nn.functional.gaussian_nll_loss``):
    :func:`losses.gaussian_nll`.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The predicted mean :math:`x`.
    target : array_like, Tensor, ValueArray or Value
        The target, ``input``'s shape.
    var : Tensor, ValueArray, Value or array_like
        The predicted variance, non-negative (broadcast to ``input`` as torch allows).
    full : bool
        Add the constant :math:`\tfrac12 \log 2\pi` (default False).
    eps : float
        The floor of the variance (default 1e-6).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.gaussian_nll` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    input, target = _broadcast(input, target)
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
    r"""Poisson negative log-likelihood (``torch.nn.functional.poisson_nll_loss``):
    :math:`e^x - y x` with ``log_input`` (torch's default), else :math:`x - y \log(x + \text{eps})`;
    :func:`losses.poisson`.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The log-rate (with ``log_input``) or the rate.
    target : array_like, Tensor, ValueArray or Value
        The target, ``input``'s shape.
    log_input : bool
        ``input`` is the log of the rate (default True, as torch; ``losses.poisson``'s default
        is False).
    full : bool
        Add the Stirling term :math:`y \log y - y + \tfrac12 \log(2\pi y)` where :math:`y > 1`
        (default False).
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    eps : float
        Added to the rate inside the log when not ``log_input`` (default 1e-8).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.poisson` (an input not made of real numbers, shapes that differ, an
        unknown ``reduction``, an option out of range).
    """
    input, target = _broadcast(input, target)
    return _losses().poisson(
        target,
        input,
        log_input=log_input,
        full=full,
        eps=eps,
        reduction=_reduction(size_average, reduce, reduction),
    )


def multi_margin_loss(
    input: Any,
    target: Any,
    p: int = 1,
    margin: float = 1.0,
    weight: Any = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Any:
    r"""Multi-class hinge loss, :math:`\tfrac1C \sum_{j \ne y} w_y \max(0, \text{margin} - x_y +
    x_j)^p` (``torch.nn.functional.multi_margin_loss``): :func:`losses.multiclass_hinge`.

    Parameters
    ----------
    input : Tensor, ValueArray or array_like
        Scores, shape ``(N, C)`` or ``(C,)``.
    target : array_like or Tensor
        Class indices in [0, C - 1], shape ``(N,)``; ``()`` or ``(1,)`` for a ``(C,)`` input.
    p : {1, 2}
        1 (default) for the hinge, 2 for its square.
    margin : float
        The margin (default 1).
    weight : array_like, optional
        One weight per class, shape ``(C,)``: a sample's terms take its target's weight.
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-sample losses (the target's
        shape).

    Returns
    -------
    Tensor or Value
        A scalar, or the per-sample losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.multiclass_hinge`: torch's shape and range errors are also RuntimeErrors
        carrying torch's message.
    """
    reduction = _reduction(size_average, reduce, reduction)
    _constant("multi_margin_loss", weight=weight)
    return _losses().multiclass_hinge(target, input, p=p, margin=margin, weight=weight, reduction=reduction)


def multilabel_margin_loss(
    input: Any,
    target: Any,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Any:
    r"""Multi-label hinge loss, :math:`\tfrac1C \sum_{k \in K} \sum_{j \notin K} \max(0, 1 - x_k +
    x_j)`, :math:`K` the target's indices before its first -1
    (``torch.nn.functional.multilabel_margin_loss``): :func:`losses.multilabel_hinge`.

    Parameters
    ----------
    input : Tensor, ValueArray or array_like
        Scores, shape ``(N, C)`` or ``(C,)``.
    target : array_like or Tensor
        Class indices padded with -1, ``input``'s shape.
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-sample losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-sample losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.multilabel_hinge`: torch's shape and range errors are also RuntimeErrors
        carrying torch's message.
    """
    return _losses().multilabel_hinge(target, input, reduction=_reduction(size_average, reduce, reduction))


def multilabel_soft_margin_loss(
    input: Any,
    target: Any,
    weight: Any = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Any:
    r"""Multi-label logistic loss, :math:`-\tfrac1C \sum_c w_c [y_c \log \sigma(x_c) + (1 - y_c)
    \log \sigma(-x_c)]` with a stable log-sigmoid (``torch.nn.functional.multilabel_soft_margin_loss``):
    :func:`losses.multilabel_soft_margin`.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        Scores (logits), classes on the last axis.
    target : array_like, Tensor, ValueArray or Value
        Targets (1 for a label, 0 otherwise), ``input``'s shape.
    weight : array_like, optional
        Weights broadcast to ``input``'s shape (one per class: shape ``(C,)``).
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-sample losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-sample losses with ``reduction="none"``.

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.multilabel_soft_margin` (an input not made of real numbers, shapes that
        differ, an unknown ``reduction``, a weight that does not broadcast).
    """
    return _losses().multilabel_soft_margin(
        target, input, weight=weight, reduction=_reduction(size_average, reduce, reduction)
    )


@filled
def ctc_loss(
    log_probs: Any,
    targets: Any,
    input_lengths: Any,
    target_lengths: Any,
    blank: int = 0,
    reduction: str = "mean",
    zero_infinity: bool = False,
) -> Any:
    """Connectionist temporal classification loss (``torch.nn.functional.ctc_loss``):
    :func:`losses.ctc` with the arguments in torch's order.

    Parameters
    ----------
    {CTC_LOG_PROBS}
    {CTC_TARGETS}
    {CTC_LENGTHS}
    {CTC_OPTIONS}

    {CTC_RETURNS}

    Raises
    ------
    TypeError, ValueError
        As :func:`losses.ctc` (a shape, length, label or ``blank`` out of range, an unknown
        ``reduction``).
    """
    return _losses().ctc(
        targets,
        log_probs,
        input_lengths,
        target_lengths,
        blank=blank,
        reduction=reduction,
        zero_infinity=zero_infinity,
    )
