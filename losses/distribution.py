"""Divergences between probability distributions along ``axis`` (default -1). ``y`` is the
target distribution, ``p`` the predicted one; logs are clamped at ≥ -100, so ``0·log 0 = 0`` and
zero entries give finite values and gradients. "mean" averages over the distributions (PyTorch's
``reduction="batchmean"``)."""

from __future__ import annotations

from typing import Any

from ._core import Node, check_range, class_axis, log_clamped, prepare, reduce


def _kl(a: Node, b: Node, axis: int) -> Node:
    """``Σ a·(log a - log b)`` over ``axis``."""
    return (a * (log_clamped(a) - log_clamped(b))).sum(axis)


def _distributions(name: str, reduction: str, y_true: Any, y_pred: Any, axis: int) -> tuple[Node, Node, int]:
    y, p = prepare(name, reduction, y_true=y_true, y_pred=y_pred)
    check_range(name, "y_true", y, 0.0, 1.0, "probabilities")
    check_range(name, "y_pred", p, 0.0, 1.0, "probabilities")
    return y, p, class_axis(name, axis, p.ndim)


def kl_divergence(y_true: Any, y_pred: Any, *, axis: int = -1, reduction: str = "mean") -> Any:
    """``KL(y ‖ p) = Σ y·log(y / p)`` (``torch.nn.functional.kl_div(log p, y)`` summed over the
    axis; a zero p where y > 0 gives a large finite value, not inf)."""
    y, p, axis = _distributions("kl_divergence", reduction, y_true, y_pred, axis)
    return reduce(_kl(y, p, axis), reduction)


def js_divergence(y_true: Any, y_pred: Any, *, axis: int = -1, reduction: str = "mean") -> Any:
    """Jensen-Shannon ``½KL(y ‖ m) + ½KL(p ‖ m)`` with ``m = ½(y + p)`` (natural log, ≤ log 2)."""
    y, p, axis = _distributions("js_divergence", reduction, y_true, y_pred, axis)
    m = 0.5 * (y + p)
    return reduce(0.5 * _kl(y, m, axis) + 0.5 * _kl(p, m, axis), reduction)
