"""Divergences between probability distributions along ``axis`` (default -1). ``y`` is the
target distribution, ``p`` the predicted one; logs are clamped at ≥ -100, so ``0·log 0 = 0`` and
zero entries give finite values and gradients. "mean" is the sum divided by the batch size N, the
length of the first axis that is not ``axis`` (1 for a single distribution): PyTorch's
``reduction="batchmean"`` for inputs of 2 or more dimensions with the class axis not first (for a
1-D input PyTorch divides by its length C instead). "none" gives one divergence per distribution.
``kl_divergence(..., log_input=True, axis=None)`` is PyTorch's ``kl_div`` term for term."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._core import Node, check_flag, check_range, class_axis, log_clamped, prepare, reduce


def _kl(a: Node, b: Node, axis: int) -> Node:
    """``Σ a·(log a - log b)`` over ``axis``, both logs clamped."""
    return (a * (log_clamped(a) - log_clamped(b))).sum(axis)


def _distributions(
    name: str, reduction: str, y_true: Any, y_pred: Any, log_target: bool = False, log_input: bool = False
) -> tuple[Node, Node]:
    y, p = prepare(name, reduction, y_true=y_true, y_pred=y_pred)
    if check_flag(name, "log_target", log_target):
        check_range(name, "y_true", y, -np.inf, 0.0, "log-probabilities (log_target=True)")
    else:
        hint = "pass log_target=True for log-probabilities"
        check_range(name, "y_true", y, 0.0, 1.0, "probabilities", hint)
    if check_flag(name, "log_input", log_input):
        hint = "log_input=True: pass log_softmax(logits), not the logits or probabilities"
        check_range(name, "y_pred", p, -np.inf, 0.0, "log-probabilities", hint)
    else:
        check_range(name, "y_pred", p, 0.0, 1.0, "probabilities", "pass log_input=True for log-probabilities")
    return y, p


def _batch(shape: tuple[int, ...], axis: int | None) -> int:
    """The batch size N: the length of the first axis that is not ``axis`` (1 if there is none)."""
    return next((n for i, n in enumerate(shape) if i != axis), 1)


def kl_divergence(
    y_true: Any,
    y_pred: Any,
    *,
    log_target: bool = False,
    log_input: bool = False,
    axis: int | None = -1,
    reduction: str = "mean",
) -> Any:
    """``KL(y ‖ p) = Σ y·(log y - log p)`` over the class axis: ``torch.nn.functional.kl_div(log p, y)``
    with "mean" as its ``batchmean``; a zero p where y > 0 gives a large finite value, not inf.

    ``log_target``: y_true holds ``log y`` (≤ 0), and the term is ``e^{log y}·(log y - log p)``; a
    ``-inf`` entry (y = 0) adds 0 with gradient 0 (PyTorch gives nan there). ``log_input``: y_pred
    holds ``log p`` (≤ 0, as torch's ``input``), used as given (no clamp); a zero target on a
    ``-inf`` log p adds 0 (PyTorch: nan). ``axis=None``: PyTorch's elementwise terms, no sum over
    a class axis, so "none" is one term per element and "mean" the mean over all elements, as
    ``kl_div``'s own "mean". ``reduction="batchmean"``: the sum divided by N (for ``axis=None``
    the length of axis 0, as torch); with a class axis that is "mean".
    """
    name = "kl_divergence"
    batchmean = reduction == "batchmean"
    y, p = _distributions(name, "mean" if batchmean else reduction, y_true, y_pred, log_target, log_input)
    if axis is not None:
        axis = class_axis(name, axis, p.ndim)
    zero = np.isneginf(y.data) if log_target else y.data == 0
    if log_target:  # y = 0: the term 0·(0 - log p) = 0, never e^{-inf}·(-inf - log p)
        log_y = y.where(~zero, 0.0) if zero.any() else y
        y = log_y.exp().where(~zero, 0.0) if zero.any() else log_y.exp()
    else:
        log_y = log_clamped(y)
    terms = y * (log_y - (p if log_input else log_clamped(p)))
    if log_input and zero.any():  # 0·(log 0 - (-inf)) = 0, never 0·inf
        terms = terms.where(~zero, 0.0)
    if axis is not None:  # one divergence per distribution, "mean" over the N distributions
        return reduce(terms.sum(axis), "mean" if batchmean else reduction, _batch(p.shape, axis))
    return reduce(terms, "mean", _batch(p.shape, None)) if batchmean else reduce(terms, reduction)


def js_divergence(y_true: Any, y_pred: Any, *, axis: int = -1, reduction: str = "mean") -> Any:
    """Jensen-Shannon ``½KL(y ‖ m) + ½KL(p ‖ m)`` with ``m = ½(y + p)`` (natural log, ≤ log 2)."""
    y, p = _distributions("js_divergence", reduction, y_true, y_pred)
    axis = class_axis("js_divergence", axis, p.ndim)
    m = 0.5 * (y + p)
    return reduce(0.5 * _kl(y, m, axis) + 0.5 * _kl(p, m, axis), reduction, _batch(p.shape, axis))
