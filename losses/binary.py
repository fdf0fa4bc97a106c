"""Binary classification losses. ``y`` is the target, ``p`` a probability, ``x`` a logit
(``from_logits=True``) or a raw score (hinge losses); "mean" averages over all elements."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._core import (
    Node,
    check_flag,
    check_number,
    check_range,
    check_values,
    constant,
    log1m_clamped,
    log_clamped,
    prepare,
    reduce,
)


def _bce(y: Node, p: Node, from_logits: bool, pos_weight: np.ndarray | None = None) -> Node:
    """Elementwise binary cross-entropy, ``pos_weight`` scaling the positive term."""
    if from_logits:
        # -[w·y·log σ(x) + (1-y)·log(1-σ(x))] = (1-y)·x + (1 + (w-1)·y)·softplus(-x)
        log_weight = 1.0 if pos_weight is None else 1.0 + (pos_weight - 1.0) * y
        return (1.0 - y) * p + log_weight * (-p).softplus()
    positive = y * log_clamped(p)
    if pos_weight is not None:
        positive = pos_weight * positive
    return -(positive + (1.0 - y) * log1m_clamped(p))


def _probabilities(name: str, y: Node, p: Node, from_logits: bool) -> None:
    check_range(name, "y_true", y, 0.0, 1.0, "probabilities")
    if not from_logits:
        check_range(name, "y_pred", p, 0.0, 1.0, "probabilities", "pass from_logits=True for logits")


def binary_cross_entropy(
    y_true: Any,
    y_pred: Any,
    *,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    weight: Any = None,
    pos_weight: Any = None,
    reduction: str = "mean",
) -> Any:
    """``-w·[pw·y·log p + (1 - y)·log(1 - p)]``, each log clamped at ≥ -100 as PyTorch's
    ``binary_cross_entropy``; an exact 0 or 1 gives a finite loss and gradient 0 from the
    clamped term (PyTorch's own backward gives ±1e12 there).

    ``from_logits``: ``(1 - y)·x + (1 + (pw - 1)·y)·softplus(-x)`` (``binary_cross_entropy_with_logits``,
    exact for any logit). ``label_smoothing`` ε replaces y by ``y(1 - ε) + ε/2`` (Keras). ``weight``
    (w) and ``pos_weight`` (pw) broadcast to the loss; "mean" is ``mean(loss)`` as in PyTorch.
    """
    name = "binary_cross_entropy"
    ls = check_number(name, "label_smoothing", label_smoothing, 0.0, 1.0)
    from_logits = check_flag(name, "from_logits", from_logits)
    y, p = prepare(name, reduction, y_true=y_true, y_pred=y_pred)
    _probabilities(name, y, p, from_logits)
    if ls:
        y = y * (1.0 - ls) + 0.5 * ls
    pw = None if pos_weight is None else constant(name, "pos_weight", pos_weight, p.shape)
    loss = _bce(y, p, from_logits, pw)
    if weight is not None:
        loss = loss * constant(name, "weight", weight, p.shape)
    return reduce(loss, reduction)


def _hinge_labels(name: str, y: Node) -> Node:
    """Labels -1/1; labels that are all 0/1 become -1/1 (``2y - 1``) as Keras does."""
    check_values(name, "y_true", y, (-1.0, 0.0, 1.0), "labels in {-1, 1} (or {0, 1})")
    data = y.data
    if (data == 0).any() and (data == -1).any():
        raise ValueError(f"{name}: y_true must be labels in {{-1, 1}} or in {{0, 1}}; got both -1 and 0")
    return 2.0 * y - 1.0 if np.isin(data, (0.0, 1.0)).all() else y


def hinge(y_true: Any, y_pred: Any, *, reduction: str = "mean") -> Any:
    """``max(0, 1 - y·x)`` with labels y ∈ {-1, 1} (0/1 labels are converted; Keras ``hinge``)."""
    y, p = prepare("hinge", reduction, y_true=y_true, y_pred=y_pred)
    return reduce((1.0 - _hinge_labels("hinge", y) * p).clip(min=0.0), reduction)


def squared_hinge(y_true: Any, y_pred: Any, *, reduction: str = "mean") -> Any:
    """``max(0, 1 - y·x)²`` with labels y ∈ {-1, 1} (0/1 labels are converted; Keras ``squared_hinge``)."""
    y, p = prepare("squared_hinge", reduction, y_true=y_true, y_pred=y_pred)
    return reduce((1.0 - _hinge_labels("squared_hinge", y) * p).clip(min=0.0) ** 2, reduction)


def soft_margin(y_true: Any, y_pred: Any, *, reduction: str = "mean") -> Any:
    """Logistic loss ``log(1 + e^{-y·x})`` for labels y ∈ {-1, 1} and scores x, evaluated as
    ``softplus(-y·x)`` (``torch.nn.functional.soft_margin_loss``; finite where torch's
    ``log1p(exp(-y·x))`` overflows, for -y·x > 709)."""
    y, x = prepare("soft_margin", reduction, y_true=y_true, y_pred=y_pred)
    check_values("soft_margin", "y_true", y, (-1.0, 1.0), "labels in {-1, 1}")
    return reduce((-y * x).softplus(), reduction)


def binary_focal(
    y_true: Any,
    y_pred: Any,
    *,
    gamma: float = 2.0,
    alpha: float | None = None,
    from_logits: bool = False,
    reduction: str = "mean",
) -> Any:
    """Focal loss ``α_t·(1 - p_t)^γ·bce(y, p)`` with ``p_t = p·y + (1 - p)(1 - y)`` and
    ``α_t = α·y + (1 - α)(1 - y)`` (1 when ``alpha`` is None).

    With ``from_logits``, ``p = σ(x)`` and bce is the exact logit form: torchvision's
    ``sigmoid_focal_loss`` (its ``alpha=-1`` is our ``None``) and Keras ``BinaryFocalCrossentropy``.
    On probabilities, bce is :func:`binary_cross_entropy` (logs clamped at -100).
    """
    name = "binary_focal"
    gamma = check_number(name, "gamma", gamma, 0.0)
    from_logits = check_flag(name, "from_logits", from_logits)
    y, p = prepare(name, reduction, y_true=y_true, y_pred=y_pred)
    _probabilities(name, y, p, from_logits)
    prob = p.sigmoid() if from_logits else p
    p_t = prob * y + (1.0 - prob) * (1.0 - y)
    loss = _bce(y, p, from_logits) * (1.0 - p_t) ** gamma
    if alpha is not None:
        alpha = check_number(name, "alpha", alpha, 0.0, 1.0)
        loss = (alpha * y + (1.0 - alpha) * (1.0 - y)) * loss
    return reduce(loss, reduction)
