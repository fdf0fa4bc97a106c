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
    """``1 - (2·TP + s) / (Σy + Σp + s)``."""
    s = check_number("dice", "smooth", smooth, 0.0)
    tp, sum_y, sum_p = _sums("dice", reduction, y_true, y_pred, axis)
    return reduce(1.0 - (2.0 * tp + s) / (sum_y + sum_p + s), reduction)


def iou(y_true: Any, y_pred: Any, *, smooth: float = 1.0, axis: Axis = None, reduction: str = "mean") -> Any:
    """Soft Jaccard ``1 - (TP + s) / (Σy + Σp - TP + s)``."""
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
    """``1 - (TP + s) / (TP + α·FP + β·FN + s)`` (α = β = ½: dice with s/2; α = β = 1: iou)."""
    alpha = check_number("tversky", "alpha", alpha, 0.0)
    beta = check_number("tversky", "beta", beta, 0.0)
    s = check_number("tversky", "smooth", smooth, 0.0)
    tp, sum_y, sum_p = _sums("tversky", reduction, y_true, y_pred, axis)
    return reduce(1.0 - (tp + s) / (tp + alpha * (sum_p - tp) + beta * (sum_y - tp) + s), reduction)
