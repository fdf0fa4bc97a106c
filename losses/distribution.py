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
from ._engine import is_tracing, nograd


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
    r"""Kullback-Leibler divergence :math:`\mathrm{KL}(y \,\|\, p)` over the class axis.

    .. math::

        \ell = \sum_c y_c (\log y_c - \log p_c)

    This is ``torch.nn.functional.kl_div(log p, y)`` with "mean" as its ``batchmean`` (the sum
    divided by the batch size). A zero :math:`p_c` where :math:`y_c > 0` gives a large finite
    value, not inf. The KL of a single 1-D distribution is that KL (PyTorch's ``batchmean``
    divides it by C). ``kl_divergence(y, log_p, log_input=True, axis=None)`` is PyTorch's
    ``kl_div(log_p, y)`` term for term.

    Parameters
    ----------
    y_true : array_like, Tensor, Value or list of Values
        The target distribution :math:`y`, or :math:`\log y` with ``log_target``.
    y_pred : Tensor, Value, list of Values or array_like
        The predicted distribution :math:`p` (probabilities), or :math:`\log p` with
        ``log_input``.
    log_target : bool
        Whether ``y_true`` holds :math:`\log y \le 0`; the term is then
        :math:`e^{\log y}(\log y - \log p)`, and a -inf entry (y = 0) adds 0 with gradient 0
        (PyTorch gives nan there).
    log_input : bool
        Whether ``y_pred`` holds :math:`\log p \le 0` (as torch's ``input``), used as given (no
        clamp); a zero target on a -inf :math:`\log p` adds 0 (PyTorch: nan).
    axis : int or None
        The class axis (default -1, as Keras; pass 1 for PyTorch's ``(N, C, ...)`` layout). None:
        PyTorch's elementwise terms, no sum over a class axis, so "none" is one term per element
        and "mean" the mean over all elements, as ``kl_div``'s own "mean".
    reduction : {"mean", "sum", "none", "batchmean"}
        "mean" (default) averages over the distributions, "sum" adds, "none" returns one
        divergence per distribution; "batchmean" is the sum divided by N (for ``axis=None`` the
        length of axis 0, as torch), with a class axis the same as "mean".

    Returns
    -------
    Tensor or Value
        A scalar, or the per-sample losses with ``reduction="none"``. A Value when the inputs hold
        Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers, or ``log_target``, ``log_input`` or ``axis`` has
        the wrong type.
    ValueError
        If the shapes do not fit, ``reduction`` is unknown, or a probability (log-probability) is
        outside [0, 1] (above 0).

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    name = "kl_divergence"
    batchmean = reduction == "batchmean"
    y, p = _distributions(name, "mean" if batchmean else reduction, y_true, y_pred, log_target, log_input)
    if axis is not None:
        axis = class_axis(name, axis, p.ndim)
    zero = nograd(np.isneginf if log_target else lambda d: d == 0, y)
    some = is_tracing() or bool(zero.any())  # (a compiled step masks at every call)
    if log_target:  # y = 0: the term 0·(0 - log p) = 0, never e^{-inf}·(-inf - log p)
        log_y = y.where(~zero, 0.0) if some else y
        y = log_y.exp().where(~zero, 0.0) if some else log_y.exp()
    else:
        log_y = log_clamped(y)
    terms = y * (log_y - (p if log_input else log_clamped(p)))
    if log_input and some:  # 0·(log 0 - (-inf)) = 0, never 0·inf
        terms = terms.where(~zero, 0.0)
    if axis is not None:  # one divergence per distribution, "mean" over the N distributions
        return reduce(terms.sum(axis), "mean" if batchmean else reduction, _batch(p.shape, axis))
    return reduce(terms, "mean", _batch(p.shape, None)) if batchmean else reduce(terms, reduction)


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
    TypeError
        If an input is not made of real numbers, or ``axis`` is not an int.
    ValueError
        If the shapes do not fit, ``reduction`` is unknown, or a probability is outside [0, 1].

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    y, p = _distributions("js_divergence", reduction, y_true, y_pred)
    axis = class_axis("js_divergence", axis, p.ndim)
    m = 0.5 * (y + p)
    return reduce(0.5 * _kl(y, m, axis) + 0.5 * _kl(p, m, axis), reduction, _batch(p.shape, axis))
