"""Multi-label losses: each sample has C class scores ``s`` (the last axis) and any number of
classes that are its labels. Each sample's loss is divided by C; "mean" averages over the samples."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._core import (
    TorchInputError,
    bad_classes,
    check_order,
    class_scores,
    constant,
    first_bad,
    from_labels,
    lifted,
    prepare,
    real,
    reduce,
    trained,
)
from ._engine import nograd


def _slots(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Of index lists ``t`` (N, C), each cut at its first -1: the (N, C, C) one-hot of the kept
    entries (entry j of sample n is class c) and the (N, C) mask of the classes that are labels."""
    kept = np.cumprod(t >= 0, axis=1).astype(bool)
    one_hot = (t[..., None] == np.arange(t.shape[1])) & kept[..., None]
    return one_hot, one_hot.any(1)


def multilabel_hinge(y_true: Any, y_pred: Any, *, reduction: str = "mean") -> Any:
    r"""Multi-label hinge loss of class-index lists and class scores
    (``torch.nn.functional.multilabel_margin_loss``, ``torch.nn.MultiLabelMarginLoss``).

    .. math::

        \ell = \frac{1}{C} \sum_{k \in K} \sum_{j \notin K} \max(0,\ 1 - s_k + s_j)

    for a sample of scores :math:`s` (C classes) whose labels :math:`K` are the entries of its
    row of ``y_true`` before the first -1 (a label listed twice counts twice, as in torch). A term
    adds only where :math:`1 - s_k + s_j > 0` (a nan score adds 0, with gradient 0, as torch).

    Parameters
    ----------
    y_true : array_like of int
        Class indices in [0, C - 1], padded with -1: ``y_pred``'s shape (entries after the first -1
        are not read, but must still be in [-1, C - 1], as torch checks).
    y_pred : Tensor, Value, list of Values or array_like
        Scores :math:`s`, shape ``(N, C)`` or ``(C,)`` (a number is one class).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over samples, "sum" adds, "none" returns the per-sample losses
        (shape ``(N,)``, or ``()`` for a single sample).

    Returns
    -------
    Tensor or Value
        A scalar, or the per-sample losses with ``reduction="none"``. A Value when the inputs hold
        Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers.
    ValueError
        If ``reduction`` is unknown. A shape that does not fit or an index out of range raise an
        error that is also torch's RuntimeError, with its message.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    name = "multilabel_hinge"
    check_order(name, y_true, y_pred=y_pred)
    (x,) = prepare(name, reduction, y_pred=y_pred)
    s = class_scores(name, x)
    n, c = s.shape
    t = real(name, "y_true", y_true)
    if (t.shape != s.shape) if x.ndim == 2 else (t.ndim > 1 or t.size != c):
        raise TorchInputError(
            f"{name}: y_true and y_pred must have the same shape (inconsistent target size: "
            f"{list(t.shape)} for input of size: {list(x.shape)}); got y_true shape {t.shape} and "
            f"y_pred shape {x.shape}"
        )
    bad = bad_classes(t, -1, c)
    if bad.any():
        raise TorchInputError(
            f"{name}: y_true must be class indices in [0, {c - 1}] padded with -1 (argument #2 'target' "
            f"is out of range); got {first_bad(t, bad)}"
        )
    t = t.reshape(n, c)
    holds = lambda t: t.size == n * c and not bad_classes(t, -1, c).any()  # noqa: E731
    one_hot = from_labels(lambda t: _slots(t.reshape(n, c))[0], y_true, t, s, holds, "indices in range")
    labelled = nograd(lambda h: h.any(1), one_hot)
    s_k = s.reshape(n, 1, c).where(one_hot, 0.0).sum(2)  # (N, C): the score of each listed class
    z = (1.0 - s_k).reshape(n, c, 1) + s.reshape(n, 1, c)  # z[n, i, j] = 1 - s_{k_i} + s_j
    active = nograd(lambda z, h, lab: (z > 0) & h.any(2)[..., None] & ~lab[:, None, :], z, one_hot, labelled)
    loss = z.where(active, 0.0).sum((1, 2)) / c
    return reduce(loss if x.ndim == 2 else loss.reshape(()), reduction)


def multilabel_soft_margin(y_true: Any, y_pred: Any, *, weight: Any = None, reduction: str = "mean") -> Any:
    r"""Multi-label logistic loss: binary cross-entropy of logits averaged over the classes
    (``torch.nn.functional.multilabel_soft_margin_loss``, ``torch.nn.MultiLabelSoftMarginLoss``).

    .. math::

        \ell = \frac{1}{C} \sum_c w_c \bigl[-y_c \log \sigma(s_c) - (1 - y_c) \log \sigma(-s_c)\bigr]

    with :math:`\log \sigma(s) = -\operatorname{softplus}(-s)`, exact for any score (never the log
    of a rounded sigmoid).

    Parameters
    ----------
    y_true : array_like, Tensor, Value or list of Values
        Targets :math:`y` (1 for a label, 0 otherwise; any real number is accepted, as torch),
        ``y_pred``'s shape.
    y_pred : Tensor, Value, list of Values or array_like
        Scores (logits) :math:`s`, classes on the last axis, at least one dimension.
    weight : array_like, optional
        Weights :math:`w` broadcast to ``y_pred``'s shape (one per class: shape ``(C,)``).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over samples, "sum" adds, "none" returns the per-sample losses
        (``y_pred``'s shape without the last axis).

    Returns
    -------
    Tensor or Value
        A scalar, or the per-sample losses with ``reduction="none"``. A Value when the inputs hold
        Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers.
    ValueError
        If the shapes differ (no broadcasting), ``y_pred`` is a number, ``reduction`` is unknown
        or ``weight`` does not broadcast to ``y_pred``'s shape.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    name = "multilabel_soft_margin"
    y, x = prepare(name, reduction, y_true=y_true, y_pred=y_pred)
    if x.ndim == 0:
        raise TorchInputError(
            f"{name}: y_pred must have a class axis, at least one dimension (Dimension specified as -1 "
            "but tensor has no dimensions); got a number"
        )
    loss = y * (-x).softplus() + (1.0 - y) * x.softplus()  # -[y log σ(s) + (1 - y) log σ(-s)]
    if weight is not None:
        w = trained(weight, constant(name, "weight", weight, x.shape), x)
        loss = loss * lifted(w, loss)
    return reduce(loss.sum(-1) / x.shape[-1], reduction)
