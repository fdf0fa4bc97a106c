"""Divergences between probability distributions along ``axis`` (default -1). ``y`` is the
target distribution, ``p`` the predicted one; logs are clamped at ≥ -100, so ``0·log 0 = 0`` and
zero entries give finite values and gradients. "mean" is the sum divided by the batch size N, the
length of the first axis that is not ``axis`` (1 for a single distribution): PyTorch's
``reduction="batchmean"`` for inputs of 2 or more dimensions with the class axis not first (for a
1-D input PyTorch divides by its length C instead). "none" gives one divergence per distribution."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._core import Node, check_range, class_axis, log_clamped, prepare, reduce


def _kl(a: Node, b: Node, axis: int, log_a: Node | None = None) -> Node:
    """``Σ a·(log a - log b)`` over ``axis`` (``log_a``: log a when given, else clamped)."""
    return (a * ((log_clamped(a) if log_a is None else log_a) - log_clamped(b))).sum(axis)


def _distributions(
    name: str, reduction: str, y_true: Any, y_pred: Any, axis: int, log_target: bool = False
) -> tuple[Node, Node, int]:
    y, p = prepare(name, reduction, y_true=y_true, y_pred=y_pred)
    if log_target:
        check_range(name, "y_true", y, -np.inf, 0.0, "log-probabilities (log_target=True)")
    else:
        hint = "pass log_target=True for log-probabilities"
        check_range(name, "y_true", y, 0.0, 1.0, "probabilities", hint)
    check_range(name, "y_pred", p, 0.0, 1.0, "probabilities")
    return y, p, class_axis(name, axis, p.ndim)


def _batchmean(loss: Node, reduction: str, shape: tuple[int, ...], axis: int) -> Any:
    """``reduce`` with "mean" dividing by the batch size (see the module docstring)."""
    batch = next((n for i, n in enumerate(shape) if i != axis), 1)
    return reduce(loss, reduction, batch)


def kl_divergence(
    y_true: Any, y_pred: Any, *, log_target: bool = False, axis: int = -1, reduction: str = "mean"
) -> Any:
    r"""Kullback-Leibler divergence :math:`\mathrm{KL}(y \,\|\, p)` over the class axis.

    .. math::

        \ell = \sum_c y_c \log\frac{y_c}{p_c}

    This is ``torch.nn.functional.kl_div(log p, y)`` with "mean" as its ``batchmean`` (the sum
    divided by the batch size). A zero :math:`p_c` where :math:`y_c > 0` gives a large finite
    value, not inf. The KL of a single 1-D distribution is that KL (PyTorch's ``batchmean``
    divides it by C).

    Parameters
    ----------
    y_true : array_like, Tensor, Value or list of Values
        The target distribution :math:`y`, or :math:`\log y` with ``log_target``.
    y_pred : Tensor, Value, list of Values or array_like
        The predicted distribution :math:`p` (probabilities).
    log_target : bool
        Whether ``y_true`` holds :math:`\log y \le 0`; a -inf entry (y = 0) adds 0 with
        gradient 0 (PyTorch gives nan there).
    axis : int
        The class axis (default -1, as Keras; pass 1 for PyTorch's ``(N, C, ...)`` layout).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over samples, "sum" adds, "none" returns the per-sample losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-sample losses with ``reduction="none"``. A Value when the inputs hold
        Values (then the whole graph is drawable).

    Raises
    ------
    ValueError
        If the shapes do not fit, ``reduction`` is unknown, or a probability is outside [0, 1].

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    name = "kl_divergence"
    y, p, axis = _distributions(name, reduction, y_true, y_pred, axis, log_target)
    if not log_target:
        return _batchmean(_kl(y, p, axis), reduction, p.shape, axis)
    zero = np.isneginf(y.data)  # y = 0: the term 0·(0 - log p) = 0, never e^{-inf}·(-inf - log p)
    log_y = y.where(~zero, 0.0) if zero.any() else y
    target = log_y.exp().where(~zero, 0.0) if zero.any() else log_y.exp()
    return _batchmean(_kl(target, p, axis, log_y), reduction, p.shape, axis)


def js_divergence(y_true: Any, y_pred: Any, *, axis: int = -1, reduction: str = "mean") -> Any:
    r"""Jensen-Shannon divergence: the symmetric, bounded cousin of KL (natural log, ≤ log 2).

    .. math::

        \ell = \tfrac12 \mathrm{KL}(y \,\|\, m) + \tfrac12 \mathrm{KL}(p \,\|\, m), \qquad m =
        \tfrac12 (y + p)

    Parameters
    ----------
    y_true : array_like, Tensor, Value or list of Values
        The target distribution :math:`y`.
    y_pred : Tensor, Value, list of Values or array_like
        The predicted distribution :math:`p`.
    axis : int
        The class axis (default -1, as Keras; pass 1 for PyTorch's ``(N, C, ...)`` layout).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over samples, "sum" adds, "none" returns the per-sample losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-sample losses with ``reduction="none"``. A Value when the inputs hold
        Values (then the whole graph is drawable).

    Raises
    ------
    ValueError
        If the shapes do not fit, ``reduction`` is unknown, or a probability is outside [0, 1].

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    y, p, axis = _distributions("js_divergence", reduction, y_true, y_pred, axis)
    m = 0.5 * (y + p)
    return _batchmean(0.5 * _kl(y, m, axis) + 0.5 * _kl(p, m, axis), reduction, p.shape, axis)
