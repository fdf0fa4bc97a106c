"""Soft overlap losses for segmentation, on probabilities y (target) and p (prediction).

Sums run over ``axis`` (default None: the whole input is one set, as Keras; pass e.g.
``axis=(1, 2)`` for one loss per image, which "mean" then averages). With ``TP = Σ y·p``,
``FP = Σ (1 - y)·p``, ``FN = Σ y·(1 - p)`` and a smoothing term s ≥ 0 (s > 0 makes two empty
sets give 0 instead of 0/0), each docstring below gives the loss (not in PyTorch; Keras adds no
s to the numerator and 1e-7 to the denominator).
"""

from __future__ import annotations

from typing import Any

from ._core import Axis, Node, check_number, check_range, prepare, reduce


def _sums(name: str, reduction: str, y_true: Any, y_pred: Any, axis: Axis) -> tuple[Node, Node, Node]:
    """``TP, Σ y, Σ p`` over ``axis``."""
    y, p = prepare(name, reduction, y_true=y_true, y_pred=y_pred)
    check_range(name, "y_true", y, 0.0, 1.0, "probabilities")
    check_range(name, "y_pred", p, 0.0, 1.0, "probabilities")
    return (y * p).sum(axis), y.sum(axis), p.sum(axis)


def dice(y_true: Any, y_pred: Any, *, smooth: float = 1.0, axis: Axis = None, reduction: str = "mean") -> Any:
    r"""Soft Dice loss, one minus the Dice coefficient of the overlap.

    .. math::

        \ell = 1 - \frac{2\,TP + s}{\sum y + \sum p + s}

    :math:`TP = \sum y\,p`, :math:`FP = \sum (1 - y)\,p`, :math:`FN = \sum y\,(1 - p)` (soft
    counts).

    Parameters
    ----------
    y_true : array_like, Tensor, Value or list of Values
        The target mask :math:`y \in [0, 1]`.
    y_pred : Tensor, Value, list of Values or array_like
        The predicted probabilities :math:`p`, ``y_true``'s shape.
    smooth : float
        The smoothing term :math:`s \ge 0` (default 1), which keeps empty masks finite.
    axis : int, tuple of int or None
        The axes summed over for one score; None (default) sums everything, so the loss is one
        score.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over the scores, "sum" adds, "none" returns the per-score losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-score losses with ``reduction="none"``. A Value when the inputs hold
        Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers, or an option has the wrong type.
    ValueError
        If the shapes do not fit, ``reduction`` is unknown, a probability is outside [0, 1], or
        ``smooth`` is negative.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    s = check_number("dice", "smooth", smooth, 0.0)
    tp, sum_y, sum_p = _sums("dice", reduction, y_true, y_pred, axis)
    return reduce(1.0 - (2.0 * tp + s) / (sum_y + sum_p + s), reduction)


def iou(y_true: Any, y_pred: Any, *, smooth: float = 1.0, axis: Axis = None, reduction: str = "mean") -> Any:
    r"""Soft Jaccard (IoU) loss, one minus intersection over union.

    .. math::

        \ell = 1 - \frac{TP + s}{\sum y + \sum p - TP + s}

    :math:`TP = \sum y\,p`, :math:`FP = \sum (1 - y)\,p`, :math:`FN = \sum y\,(1 - p)` (soft
    counts).

    Parameters
    ----------
    y_true : array_like, Tensor, Value or list of Values
        The target mask :math:`y \in [0, 1]`.
    y_pred : Tensor, Value, list of Values or array_like
        The predicted probabilities :math:`p`, ``y_true``'s shape.
    smooth : float
        The smoothing term :math:`s \ge 0` (default 1), which keeps empty masks finite.
    axis : int, tuple of int or None
        The axes summed over for one score; None (default) sums everything, so the loss is one
        score.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over the scores, "sum" adds, "none" returns the per-score losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-score losses with ``reduction="none"``. A Value when the inputs hold
        Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers, or an option has the wrong type.
    ValueError
        If the shapes do not fit, ``reduction`` is unknown, a probability is outside [0, 1], or
        ``smooth`` is negative.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    s = check_number("iou", "smooth", smooth, 0.0)
    tp, sum_y, sum_p = _sums("iou", reduction, y_true, y_pred, axis)
    return reduce(1.0 - (tp + s) / (sum_y + sum_p - tp + s), reduction)


def tversky(
    y_true: Any,
    y_pred: Any,
    *,
    alpha: float = 0.5,
    beta: float = 0.5,
    smooth: float = 1.0,
    axis: Axis = None,
    reduction: str = "mean",
) -> Any:
    r"""Tversky loss: Dice with separate weights on false positives and false negatives.

    .. math::

        \ell = 1 - \frac{TP + s}{TP + \alpha\,FP + \beta\,FN + s}

    :math:`TP = \sum y\,p`, :math:`FP = \sum (1 - y)\,p`, :math:`FN = \sum y\,(1 - p)` (soft
    counts). α = β = ½ is Dice with :math:`s/2`; α = β = 1 is IoU.

    Parameters
    ----------
    y_true : array_like, Tensor, Value or list of Values
        The target mask :math:`y \in [0, 1]`.
    y_pred : Tensor, Value, list of Values or array_like
        The predicted probabilities :math:`p`, ``y_true``'s shape.
    alpha : float
        The weight :math:`\alpha \ge 0` of false positives (default ½).
    beta : float
        The weight :math:`\beta \ge 0` of false negatives (default ½).
    smooth : float
        The smoothing term :math:`s \ge 0` (default 1), which keeps empty masks finite.
    axis : int, tuple of int or None
        The axes summed over for one score; None (default) sums everything, so the loss is one
        score.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over the scores, "sum" adds, "none" returns the per-score losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-score losses with ``reduction="none"``. A Value when the inputs hold
        Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers, or an option has the wrong type.
    ValueError
        If the shapes do not fit, ``reduction`` is unknown, a probability is outside [0, 1], or
        ``alpha``, ``beta`` or ``smooth`` is negative.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    alpha = check_number("tversky", "alpha", alpha, 0.0)
    beta = check_number("tversky", "beta", beta, 0.0)
    s = check_number("tversky", "smooth", smooth, 0.0)
    tp, sum_y, sum_p = _sums("tversky", reduction, y_true, y_pred, axis)
    return reduce(1.0 - (tp + s) / (tp + alpha * (sum_p - tp) + beta * (sum_y - tp) + s), reduction)
