"""Multi-class losses over a class axis (``axis``, default -1) of C classes. ``y`` is a target
distribution (one-hot or soft), ``k`` an integer label, ``p`` the predicted probabilities, ``log p``
their logarithm (``log_softmax`` of logits with ``from_logits=True``, else the log clamped at
≥ -100). Each sample's loss sums over the class axis; "mean" averages over the samples."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._core import (
    Node,
    check_number,
    check_range,
    class_axis,
    class_weight,
    first_bad,
    log_clamped,
    numbers,
    prepare,
    reduce,
)


def _log_probs(name: str, p: Node, from_logits: bool, axis: int) -> Node:
    if from_logits:
        return p.log_softmax(axis)
    check_range(name, "y_pred", p, 0.0, 1.0, "probabilities", "pass from_logits=True for logits")
    return log_clamped(p)


def _cross_entropy(target: Any, log_p: Node, weight: np.ndarray | None, axis: int) -> Node:
    """``-Σ_c w_c·t_c·log p_c`` over the class axis."""
    terms = target * log_p
    return -(terms if weight is None else weight * terms).sum(axis)


def categorical_cross_entropy(
    y_true: Any,
    y_pred: Any,
    *,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    weight: Any = None,
    axis: int = -1,
    reduction: str = "mean",
) -> Any:
    """``-Σ_c w_c·y_c·log p_c`` for target distributions y (``torch.nn.functional.cross_entropy``
    with probability targets). ``label_smoothing`` ε: ``y(1 - ε) + ε/C``. ``weight``: per-class
    w_c. "mean" averages over samples (not weights), as PyTorch does for probability targets.
    Probabilities are not renormalised (Keras divides p by its sum).
    """
    name = "categorical_cross_entropy"
    ls = check_number(name, "label_smoothing", label_smoothing, 0.0, 1.0)
    y, p = prepare(name, reduction, y_true=y_true, y_pred=y_pred)
    axis = class_axis(name, axis, p.ndim)
    check_range(name, "y_true", y, 0.0, 1.0, "probabilities")
    n_classes = p.shape[axis]
    if ls:
        y = y * (1.0 - ls) + ls / n_classes
    w = None if weight is None else class_weight(name, "weight", weight, n_classes, p.ndim, axis)
    return reduce(_cross_entropy(y, _log_probs(name, p, from_logits, axis), w, axis), reduction)


def _sparse(
    name: str,
    y_true: Any,
    log_p: Node,
    label_smoothing: float,
    weight: Any,
    ignore_index: int | None,
    axis: int,
    reduction: str,
) -> Any:
    """``torch.nn.functional.nll_loss`` on ``log_p`` with label smoothing as ``cross_entropy``:
    one-hot targets smoothed to ``(1 - ε)·onehot + ε/C``, ignored samples weighted 0, and "mean"
    dividing by ``Σ w_k`` over the kept samples."""
    n_classes = log_p.shape[axis]
    labels = numbers(y_true)
    expected = log_p.shape[:axis] + log_p.shape[axis + 1 :]
    if labels.shape != expected:
        raise ValueError(
            f"{name}: y_true must hold one class label per sample, shape {expected} (y_pred's shape "
            f"without the class axis {axis}); got shape {labels.shape}"
        )
    kept = np.ones(labels.shape, dtype=bool) if ignore_index is None else labels != ignore_index
    bad = kept & ~((labels >= 0) & (labels < n_classes) & (labels == np.round(labels)))
    if bad.any():
        allowed = "" if ignore_index is None else f" or ignore_index {ignore_index}"
        raise ValueError(
            f"{name}: y_true must be integer class labels in [0, {n_classes - 1}]{allowed}; "
            f"got {first_bad(labels, bad)}"
        )
    k = np.where(kept, labels, 0).astype(np.intp)
    onehot = np.moveaxis(np.eye(n_classes)[k], -1, axis)
    target = (1.0 - label_smoothing) * onehot + label_smoothing / n_classes
    target = target * np.expand_dims(kept, axis)
    w = None if weight is None else class_weight(name, "weight", weight, n_classes, log_p.ndim, axis)
    counted = kept if w is None else numbers(weight)[k] * kept
    return reduce(_cross_entropy(target, log_p, w, axis), reduction, float(counted.sum()))


def sparse_categorical_cross_entropy(
    y_true: Any,
    y_pred: Any,
    *,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    weight: Any = None,
    ignore_index: int | None = None,
    axis: int = -1,
    reduction: str = "mean",
) -> Any:
    """``-w_k·log p_k`` for integer labels k (``torch.nn.functional.cross_entropy`` with class
    indices). ``label_smoothing`` ε: ``(1 - ε)·w_k·(-log p_k) + (ε/C)·Σ_c w_c·(-log p_c)``;
    samples with label ``ignore_index`` give 0; "mean" is ``Σ loss / Σ w_k`` over kept samples.
    """
    name = "sparse_categorical_cross_entropy"
    ls = check_number(name, "label_smoothing", label_smoothing, 0.0, 1.0)
    (p,) = prepare(name, reduction, y_pred=y_pred)
    axis = class_axis(name, axis, p.ndim)
    log_p = _log_probs(name, p, from_logits, axis)
    return _sparse(name, y_true, log_p, ls, weight, ignore_index, axis, reduction)


def nll(
    y_true: Any,
    y_pred: Any,
    *,
    weight: Any = None,
    ignore_index: int | None = None,
    axis: int = -1,
    reduction: str = "mean",
) -> Any:
    """Negative log-likelihood ``-w_k·ŷ_k`` of integer labels k, ŷ holding log-probabilities
    (``torch.nn.functional.nll_loss``); "mean" is ``Σ loss / Σ w_k`` over non-ignored samples."""
    (log_p,) = prepare("nll", reduction, y_pred=y_pred)
    axis = class_axis("nll", axis, log_p.ndim)
    return _sparse("nll", y_true, log_p, 0.0, weight, ignore_index, axis, reduction)


def categorical_hinge(y_true: Any, y_pred: Any, *, axis: int = -1, reduction: str = "mean") -> Any:
    """``max(0, 1 + max_c (1 - y_c)·ŷ_c - Σ_c y_c·ŷ_c)`` for one-hot y and scores ŷ (Keras
    ``categorical_hinge``)."""
    y, p = prepare("categorical_hinge", reduction, y_true=y_true, y_pred=y_pred)
    axis = class_axis("categorical_hinge", axis, p.ndim)
    check_range("categorical_hinge", "y_true", y, 0.0, 1.0, "one-hot targets")
    positive = (y * p).sum(axis)
    negative = ((1.0 - y) * p).max(axis)
    return reduce((1.0 + negative - positive).clip(min=0.0), reduction)


def categorical_focal(
    y_true: Any,
    y_pred: Any,
    *,
    gamma: float = 2.0,
    alpha: Any = None,
    from_logits: bool = False,
    axis: int = -1,
    reduction: str = "mean",
) -> Any:
    """``-Σ_c α_c·(1 - p_c)^γ·y_c·log p_c`` (Keras ``CategoricalFocalCrossentropy``); ``alpha`` is
    a number or one per class (None: 1). With ``from_logits``, ``p = softmax(x)`` and ``log p =
    log_softmax(x)``; probabilities are not renormalised and their log is clamped at ≥ -100
    (Keras renormalises and clips p to [1e-7, 1 - 1e-7])."""
    name = "categorical_focal"
    gamma = check_number(name, "gamma", gamma, 0.0)
    y, p = prepare(name, reduction, y_true=y_true, y_pred=y_pred)
    axis = class_axis(name, axis, p.ndim)
    check_range(name, "y_true", y, 0.0, 1.0, "probabilities")
    log_p = _log_probs(name, p, from_logits, axis)
    prob = log_p.exp() if from_logits else p
    w = None
    if alpha is not None:
        n_classes = p.shape[axis]
        w = np.full(n_classes, numbers(alpha)) if np.ndim(alpha) == 0 else alpha
        w = class_weight(name, "alpha", w, n_classes, p.ndim, axis)
    return reduce(_cross_entropy(y * (1.0 - prob) ** gamma, log_p, w, axis), reduction)
