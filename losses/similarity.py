"""Metric-learning losses on pairs and triplets. Labels come first (truth first) where there are
labels; "mean" averages over the pairs or triplets."""

from __future__ import annotations

import math
from typing import Any

from ._core import Node, Tensor, check_flag, check_number, check_range, check_values, prepare, reduce
from ._engine import nograd

_COSINE_EPS = 1e-12  # PyTorch's cosine_embedding_loss: added to each squared norm
_PAIR_LABELS = "pair labels in {-1, 1} (the labels come first here; PyTorch's order is (x1, x2, y))"


def contrastive(y_true: Any, y_pred: Any, *, margin: float = 1.0, reduction: str = "mean") -> Any:
    r"""Contrastive loss of pair distances (TensorFlow Addons ``contrastive_loss``).

    .. math::

        \ell = y\, d^2 + (1 - y) \max(0,\ m - d)^2

    Hadsell et al. (2006) write it with a factor ½.

    Parameters
    ----------
    y_true : array_like
        Pair labels :math:`y`: 1 similar, 0 dissimilar.
    y_pred : Tensor, Value, list of Values or array_like
        The distances :math:`d` between the pairs' embeddings.
    margin : float
        The margin :math:`m \ge 0` (default 1) that dissimilar pairs are pushed beyond.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over all elements, "sum" adds, "none" returns the per-element
        losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``. A Value when the inputs hold
        Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers, or an option has the wrong type.
    ValueError
        If the shapes do not fit, ``reduction`` is unknown, a label is outside [0, 1], or ``margin``
        is negative.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    m = check_number("contrastive", "margin", margin, 0.0)
    y, d = prepare("contrastive", reduction, y_true=y_true, y_pred=y_pred)
    check_range("contrastive", "y_true", y, 0.0, 1.0, "pair labels (1 similar, 0 dissimilar)")
    return reduce(y * d**2 + (1.0 - y) * (m - d).clip(min=0.0) ** 2, reduction)


def _distance(a: Node, b: Node, p: float, eps: float) -> Node:
    """``‖a - b + eps‖_p`` over the last axis (``torch.nn.functional.pairwise_distance``): torch's
    vector norm of every order p >= 0 on Tensors (its gradients too), the sum of powers on Values."""
    d = a - b + eps
    if isinstance(d, Tensor):
        return d.norm(p, dim=-1)
    if p < 1 or math.isinf(p):
        raise ValueError(f"triplet: p must be a finite norm order >= 1 on Values; got {p!r}")
    return (d.abs() ** p).sum(-1) ** (1.0 / p)


def triplet(
    anchor: Any,
    positive: Any,
    negative: Any,
    *,
    margin: float = 1.0,
    p: float = 2.0,
    eps: float = 1e-6,
    swap: bool = False,
    reduction: str = "mean",
) -> Any:
    r"""Triplet margin loss (``torch.nn.functional.triplet_margin_loss``).

    .. math::

        \ell = \max\bigl(0,\ d(a, p) - d(a, n) + \text{margin}\bigr), \qquad d(u, v) = \lVert u - v
        + \epsilon \rVert_p

    Parameters
    ----------
    anchor : Tensor, list of Values or array_like
        The anchors :math:`a`, embeddings on the last axis.
    positive : Tensor, list of Values or array_like
        Embeddings that should be near the anchors.
    negative : Tensor, list of Values or array_like
        Embeddings that should be far from them.
    margin : float
        The margin (> 0, default 1).
    p : float
        The norm's order, :math:`p \ge 0` and inf as PyTorch's (default 2); on Values a finite
        :math:`p \ge 1`.
    eps : float
        Added to the difference before the norm (default 1e-6), as PyTorch.
    swap : bool
        Use :math:`\min(d(a, n), d(p, n))` as the negative distance (Balntas et al.);
        a tie splits the gradient.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over triplets, "sum" adds, "none" returns the per-triplet losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-triplet losses with ``reduction="none"``. A Value when the inputs hold
        Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers, or an option has the wrong type.
    ValueError
        If the shapes do not fit or are 0-d, ``reduction`` is unknown, ``margin`` is not positive,
        or ``p`` is negative (on Values: below 1 or infinite).
    """
    name = "triplet"
    margin = check_number(name, "margin", margin, 0.0, open_low=True)
    p = check_number(name, "p", p, 0.0)
    swap = check_flag(name, "swap", swap)
    eps = check_number(name, "eps", eps, -math.inf)
    a, pos, neg = prepare(name, reduction, anchor=anchor, positive=positive, negative=negative)
    if a.ndim == 0:
        raise ValueError(f"{name}: anchor must have an axis of embeddings, shape (..., D); got a number")
    d_neg = _distance(a, neg, p, eps)
    if swap:
        d_neg = d_neg.minimum(_distance(pos, neg, p, eps))
    return reduce((_distance(a, pos, p, eps) - d_neg + margin).clip(min=0.0), reduction)


def cosine_embedding(y_true: Any, x1: Any, x2: Any, *, margin: float = 0.0, reduction: str = "mean") -> Any:
    r"""Cosine embedding loss (``torch.nn.functional.cosine_embedding_loss(x1, x2, y)``).

    .. math::

        \ell = \begin{cases} 1 - \cos(x_1, x_2) & y = 1 \\ \max(0,\ \cos(x_1, x_2) - \text{margin})
        & y = -1 \end{cases}

    The cosine is :math:`x_1 \cdot x_2 / \sqrt{(\lVert x_1 \rVert^2 + 10^{-12})(\lVert x_2 \rVert^2
    + 10^{-12})}` over
    the last axis, as PyTorch.

    Parameters
    ----------
    y_true : array_like
        Pair labels :math:`y \in \{-1, 1\}` (first here; PyTorch's order is ``(x1, x2, y)``).
    x1 : Tensor, list of Values or array_like
        The first embeddings, on the last axis.
    x2 : Tensor, list of Values or array_like
        The second embeddings.
    margin : float
        In [-1, 1] (default 0).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over pairs, "sum" adds, "none" returns the per-pair losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-pair losses with ``reduction="none"``. A Value when the inputs hold
        Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers, or an option has the wrong type.
    ValueError
        If the shapes do not fit, ``reduction`` is unknown, a label is not in {-1, 1}, or ``margin``
        is outside [-1, 1].

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``x1``, ``x2`` do not: probably PyTorch's order.
    """
    name = "cosine_embedding"
    margin = check_number(name, "margin", margin, -1.0, 1.0)
    y, a, b = prepare(name, reduction, same_shape=False, y_true=y_true, x1=x1, x2=x2)
    check_values(name, "y_true", y, (-1.0, 1.0), _PAIR_LABELS)
    if a.shape != b.shape or a.ndim not in (1, 2) or y.shape != a.shape[:-1]:
        raise ValueError(
            f"{name}: expected x1 and x2 of shape (D,) or (N, D) and y_true of shape () or (N,); "
            f"got y_true {y.shape}, x1 {a.shape}, x2 {b.shape}"
        )
    norms = ((a * a).sum(-1) + _COSINE_EPS) * ((b * b).sum(-1) + _COSINE_EPS)
    cos = (a * b).sum(-1) / norms.sqrt()
    similar = nograd(lambda d: d == 1, y)
    return reduce((1.0 - cos) * similar + (cos - margin).clip(min=0.0) * ~similar, reduction)


def hinge_embedding(y_true: Any, y_pred: Any, *, margin: float = 1.0, reduction: str = "mean") -> Any:
    r"""Hinge embedding loss: the distance :math:`x` for similar pairs, the hinge
    :math:`\max(0, m - x)` for dissimilar ones (``torch.nn.functional.hinge_embedding_loss(x, y)``).

    .. math::

        \ell = \begin{cases} x & y = 1 \\ \max(0,\ m - x) & y = -1 \end{cases}

    Parameters
    ----------
    y_true : array_like
        Pair labels :math:`y \in \{-1, 1\}`: 1 similar, -1 dissimilar (first here; PyTorch's order
        is ``(x, y)``).
    y_pred : Tensor, Value, list of Values or array_like
        The distances :math:`x`, ``y_true``'s shape.
    margin : float
        The margin :math:`m` (default 1).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over all elements, "sum" adds, "none" returns the per-element
        losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``. A Value when the inputs hold
        Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers.
    ValueError
        If the shapes differ, ``reduction`` is unknown, a label is not in {-1, 1}, or ``margin``
        is not a real number.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``y_pred`` does not: probably PyTorch's order.
    """
    name = "hinge_embedding"
    margin = check_number(name, "margin", margin, -math.inf)
    y, x = prepare(name, reduction, y_true=y_true, y_pred=y_pred)
    check_values(name, "y_true", y, (-1.0, 1.0), "pair labels in {-1, 1}")
    similar = nograd(lambda d: d == 1, y)
    return reduce(x.where(similar, (margin - x).clip(min=0.0)), reduction)


def margin_ranking(y_true: Any, x1: Any, x2: Any, *, margin: float = 0.0, reduction: str = "mean") -> Any:
    r"""Margin ranking loss (``torch.nn.functional.margin_ranking_loss(x1, x2, y)``).

    .. math::

        \ell = \max\bigl(0,\ -y\,(x_1 - x_2) + \text{margin}\bigr)

    Parameters
    ----------
    y_true : array_like
        Labels :math:`y \in \{-1, 1\}`: 1 asks for :math:`x_1 > x_2`, -1 for :math:`x_2 > x_1`
        (first here; PyTorch's order is ``(x1, x2, y)``).
    x1 : Tensor, Value, list of Values or array_like
        The first scores.
    x2 : Tensor, Value, list of Values or array_like
        The second scores, ``x1``'s shape.
    margin : float
        The margin :math:`\ge 0` (default 0).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages over all elements, "sum" adds, "none" returns the per-element
        losses.

    Returns
    -------
    Tensor or Value
        A scalar, or the per-element losses with ``reduction="none"``. A Value when the inputs hold
        Values (then the whole graph is drawable).

    Raises
    ------
    TypeError
        If an input is not made of real numbers, or an option has the wrong type.
    ValueError
        If the shapes do not fit, ``reduction`` is unknown, a label is not in {-1, 1}, or ``margin``
        is negative.

    Warns
    -----
    losses.ArgumentOrderWarning
        When ``y_true`` requires a gradient and ``x1``, ``x2`` do not: probably PyTorch's order.
    """
    margin = check_number("margin_ranking", "margin", margin, 0.0)
    y, a, b = prepare("margin_ranking", reduction, y_true=y_true, x1=x1, x2=x2)
    check_values("margin_ranking", "y_true", y, (-1.0, 1.0), _PAIR_LABELS)
    return reduce((-y * (a - b) + margin).clip(min=0.0), reduction)
