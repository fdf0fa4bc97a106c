"""Metric-learning losses on pairs and triplets. Labels come first (truth first) where there are
labels; "mean" averages over the pairs or triplets."""

from __future__ import annotations

import math
from typing import Any

from ._core import Node, check_flag, check_number, check_range, check_values, prepare, reduce

_COSINE_EPS = 1e-12  # PyTorch's cosine_embedding_loss: added to each squared norm
_PAIR_LABELS = "pair labels in {-1, 1} (the labels come first here; PyTorch's order is (x1, x2, y))"


def contrastive(y_true: Any, y_pred: Any, *, margin: float = 1.0, reduction: str = "mean") -> Any:
    """``y·d² + (1 - y)·max(0, m - d)²`` for distances d = ŷ and pair labels y (1 = similar,
    0 = dissimilar), margin m ≥ 0 (TensorFlow Addons ``contrastive_loss``; Hadsell et al. add ½)."""
    m = check_number("contrastive", "margin", margin, 0.0)
    y, d = prepare("contrastive", reduction, y_true=y_true, y_pred=y_pred)
    check_range("contrastive", "y_true", y, 0.0, 1.0, "pair labels (1 similar, 0 dissimilar)")
    return reduce(y * d**2 + (1.0 - y) * (m - d).clip(min=0.0) ** 2, reduction)


def _distance(a: Node, b: Node, p: float, eps: float) -> Node:
    """``‖a - b + eps‖_p`` over the last axis (``torch.nn.functional.pairwise_distance``)."""
    return ((a - b + eps).abs() ** p).sum(-1) ** (1.0 / p)


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
    """``max(0, d(a, pos) - d(a, neg) + margin)`` with ``d(u, v) = ‖u - v + eps‖_p`` over the last
    axis; margin > 0, p ≥ 1 (``torch.nn.functional.triplet_margin_loss``). ``swap`` (Balntas et
    al.): the negative distance is ``min(d(a, neg), d(pos, neg))``, a tie splitting the gradient."""
    name = "triplet"
    margin = check_number(name, "margin", margin, 0.0, open_low=True)
    p = check_number(name, "p", p, 1.0)
    if math.isinf(p):
        raise ValueError(f"{name}: p must be a finite norm order >= 1; got {p!r}")
    swap = check_flag(name, "swap", swap)
    eps = check_number(name, "eps", eps, -math.inf)
    a, pos, neg = prepare(name, reduction, anchor=anchor, positive=positive, negative=negative)
    if a.ndim not in (1, 2):
        raise ValueError(f"{name}: anchor must have shape (D,) or (N, D); got shape {a.shape}")
    d_neg = _distance(a, neg, p, eps)
    if swap:
        d_neg = d_neg.minimum(_distance(pos, neg, p, eps))
    return reduce((_distance(a, pos, p, eps) - d_neg + margin).clip(min=0.0), reduction)


def cosine_embedding(y_true: Any, x1: Any, x2: Any, *, margin: float = 0.0, reduction: str = "mean") -> Any:
    """``1 - cos(x1, x2)`` for y = 1, ``max(0, cos(x1, x2) - margin)`` for y = -1, with
    ``cos = x1·x2 / √((‖x1‖² + 1e-12)(‖x2‖² + 1e-12))`` over the last axis and -1 ≤ margin ≤ 1
    (``torch.nn.functional.cosine_embedding_loss(x1, x2, y)``)."""
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
    similar = y.data == 1
    return reduce((1.0 - cos) * similar + (cos - margin).clip(min=0.0) * ~similar, reduction)


def hinge_embedding(y_true: Any, y_pred: Any, *, margin: float = 1.0, reduction: str = "mean") -> Any:
    """``x`` for similar pairs (y = 1) and ``max(0, margin - x)`` for dissimilar ones (y = -1), x a
    distance ŷ (``torch.nn.functional.hinge_embedding_loss(x, y)``)."""
    name = "hinge_embedding"
    margin = check_number(name, "margin", margin, -math.inf)
    y, x = prepare(name, reduction, y_true=y_true, y_pred=y_pred)
    check_values(name, "y_true", y, (-1.0, 1.0), "pair labels in {-1, 1}")
    similar = y.data == 1
    return reduce(x.where(similar, (margin - x).clip(min=0.0)), reduction)


def margin_ranking(y_true: Any, x1: Any, x2: Any, *, margin: float = 0.0, reduction: str = "mean") -> Any:
    """``max(0, -y·(x1 - x2) + margin)``: y = 1 asks for x1 > x2, y = -1 for x2 > x1; margin ≥ 0
    (``torch.nn.functional.margin_ranking_loss(x1, x2, y)``)."""
    margin = check_number("margin_ranking", "margin", margin, 0.0)
    y, a, b = prepare("margin_ranking", reduction, y_true=y_true, x1=x1, x2=x2)
    check_values("margin_ranking", "y_true", y, (-1.0, 1.0), _PAIR_LABELS)
    return reduce((-y * (a - b) + margin).clip(min=0.0), reduction)
