"""Every loss PyTorch has: value and gradients equal PyTorch's in float64 (1e-10), for all
reductions, weights, ignore_index, label smoothing, pos_weight and extreme logits."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch_reference import REDUCTIONS, compare, probs, simplex

import losses

rng = np.random.default_rng(1234)


Y, P = rng.normal(size=(4, 5)), rng.normal(size=(4, 5)) * 2


# --------------------------------------------------------------------------- regression
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    "ours, theirs",
    [
        (losses.mse, F.mse_loss),
        (losses.mae, F.l1_loss),
        (lambda y, p, **k: losses.huber(y, p, **k), lambda p, y, **k: F.huber_loss(p, y, delta=1.0, **k)),
        (
            lambda y, p, **k: losses.huber(y, p, delta=0.3, **k),
            lambda p, y, **k: F.huber_loss(p, y, delta=0.3, **k),
        ),
        (losses.smooth_l1, F.smooth_l1_loss),
        (
            lambda y, p, **k: losses.smooth_l1(y, p, beta=0.5, **k),
            lambda p, y, **k: F.smooth_l1_loss(p, y, beta=0.5, **k),
        ),
        (
            lambda y, p, **k: losses.smooth_l1(y, p, beta=0.0, **k),
            lambda p, y, **k: F.smooth_l1_loss(p, y, beta=0.0, **k),
        ),
    ],
    ids=["mse", "mae", "huber", "huber_0.3", "smooth_l1", "smooth_l1_0.5", "smooth_l1_0"],
)
def test_elementwise_regression(ours: Any, theirs: Any, reduction: str) -> None:
    y = Y.copy()
    p = P.copy()
    p[0, :3] = y[0, :3]  # zero error: the kink of mae / smooth_l1(β=0)
    p[1, 0] = y[1, 0] + 1.0  # exactly at δ = β = 1
    compare(
        lambda y, p: ours(y, p, reduction=reduction),
        lambda y, p: theirs(p, y, reduction=reduction),
        [y, p],
        (0, 1),
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("log_input", [False, True])
@pytest.mark.parametrize("full", [False, True])
def test_poisson(reduction: str, log_input: bool, full: bool) -> None:
    y = rng.integers(0, 6, (3, 4)).astype(float)
    y[0, :3] = [0.0, 1.0, 2.0]
    p = rng.normal(size=(3, 4)) if log_input else rng.uniform(0.1, 4.0, (3, 4))
    compare(
        lambda y, p: losses.poisson(y, p, log_input=log_input, full=full, reduction=reduction),
        lambda y, p: F.poisson_nll_loss(p, y, log_input=log_input, full=full, reduction=reduction),
        [y, p],
        (1,),
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("var_shape", [(4, 3), (4, 1), (4,)])
def test_gaussian_nll(reduction: str, full: bool, var_shape: tuple[int, ...]) -> None:
    y, p = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    var = rng.uniform(0.1, 2.0, var_shape)
    var.flat[0] = 1e-9  # below eps: clamped in value, gradient as if unclamped (PyTorch)
    compare(
        lambda y, p, v: losses.gaussian_nll(y, p, v, full=full, reduction=reduction),
        lambda y, p, v: F.gaussian_nll_loss(p, y, v, full=full, reduction=reduction),
        [y, p, var],
        (0, 1, 2),
    )


def test_gaussian_nll_scalar_var() -> None:
    y, p = rng.normal(size=5), rng.normal(size=5)
    compare(
        lambda y, p: losses.gaussian_nll(y, p, 0.7), lambda y, p: F.gaussian_nll_loss(p, y, 0.7), [y, p], (1,)
    )


# --------------------------------------------------------------------------- binary
EDGE_P = np.array([1e-7, 1 - 1e-7, 1e-12 * 2, 0.5, 0.999, 0.001])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_bce_probabilities(reduction: str, weighted: bool) -> None:
    y = np.concatenate([rng.integers(0, 2, 6).astype(float), [1, 0, 1, 0, 0.3, 0.7], rng.uniform(size=6)])
    p = np.concatenate([probs(6), EDGE_P, probs(6)])
    w = rng.uniform(0.2, 2.0, 18) if weighted else None
    tw = None if w is None else torch.tensor(w)
    compare(
        lambda y, p: losses.binary_cross_entropy(y, p, weight=w, reduction=reduction),
        lambda y, p: F.binary_cross_entropy(p, y, weight=tw, reduction=reduction),
        [y, p],
        (0, 1),
    )


def test_bce_label_smoothing_is_keras_target_smoothing() -> None:
    y, p = rng.integers(0, 2, (3, 4)).astype(float), probs(3, 4)
    compare(
        lambda y, p: losses.binary_cross_entropy(y, p, label_smoothing=0.2),
        lambda y, p: F.binary_cross_entropy(p, y * 0.8 + 0.1),
        [y, p],
        (1,),
    )


LOGITS = np.array([[1000.0, -1000.0, 30.0, -30.0, 0.0], [2.5, -0.3, 700.0, -700.0, 1e-3]])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("pos_weighted", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_bce_logits(reduction: str, weighted: bool, pos_weighted: bool, smoothing: float) -> None:
    x = np.concatenate([LOGITS, rng.normal(size=(2, 5)) * 3])
    y = np.concatenate([[[1, 1, 0, 0, 1], [0, 1, 1, 0, 0.5]], rng.integers(0, 2, (2, 5))]).astype(float)
    w = rng.uniform(0.2, 2.0, (4, 1)) if weighted else None
    pw = rng.uniform(0.5, 3.0, 5) if pos_weighted else None
    tw, tpw = (None if a is None else torch.tensor(a) for a in (w, pw))
    compare(
        lambda y, x: losses.binary_cross_entropy(
            y, x, from_logits=True, weight=w, pos_weight=pw, label_smoothing=smoothing, reduction=reduction
        ),
        lambda y, x: F.binary_cross_entropy_with_logits(
            x, y * (1 - smoothing) + 0.5 * smoothing, weight=tw, pos_weight=tpw, reduction=reduction
        ),
        [y, x],
        (0, 1),
    )


def test_bce_pos_weight_on_probabilities_is_the_logit_formula() -> None:
    y, x = rng.integers(0, 2, (3, 4)).astype(float), rng.normal(size=(3, 4))
    pw = np.array([0.5, 1.0, 2.0, 4.0])
    compare(
        lambda y, x: losses.binary_cross_entropy(y, x.sigmoid(), pos_weight=pw),
        lambda y, x: F.binary_cross_entropy_with_logits(x, y, pos_weight=torch.tensor(pw)),
        [y, x],
        (1,),
    )


def torchvision_focal(x: torch.Tensor, y: torch.Tensor, alpha: float, gamma: float) -> torch.Tensor:
    """torchvision.ops.sigmoid_focal_loss (reduction="none"), as published."""
    p = torch.sigmoid(x)
    ce = F.binary_cross_entropy_with_logits(x, y, reduction="none")
    p_t = p * y + (1 - p) * (1 - y)
    loss = ce * ((1 - p_t) ** gamma)
    if alpha >= 0:
        loss = (alpha * y + (1 - alpha) * (1 - y)) * loss
    return loss


@pytest.mark.parametrize("alpha", [None, 0.25])
@pytest.mark.parametrize("gamma", [0.0, 2.0, 1.5])
def test_binary_focal(alpha: float | None, gamma: float) -> None:
    x = np.concatenate([LOGITS, rng.normal(size=(2, 5)) * 3])
    y = np.concatenate([[[1, 1, 0, 0, 1], [0, 1, 1, 0, 1]], rng.integers(0, 2, (2, 5))]).astype(float)
    a = -1.0 if alpha is None else alpha
    compare(
        lambda y, x: losses.binary_focal(y, x, gamma=gamma, alpha=alpha, from_logits=True, reduction="none"),
        lambda y, x: torchvision_focal(x, y, a, gamma),
        [y, x],
        (1,),
    )
    p = probs(4, 5)
    compare(  # on probabilities: the same with the torch-clamped BCE
        lambda y, p: losses.binary_focal(y, p, gamma=gamma, alpha=alpha),
        lambda y, p: torchvision_focal(torch.logit(p), y, a, gamma).mean(),
        [y, p],
        (1,),
    )


# --------------------------------------------------------------------------- multi-class
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.15])
def test_categorical_cross_entropy_logits(reduction: str, weighted: bool, smoothing: float) -> None:
    x = rng.normal(size=(5, 4)) * 3
    x[0] = [1000.0, -1000.0, 0.0, 999.0]
    y = simplex(5, 4)
    y[1] = [0, 0, 1, 0]
    w = rng.uniform(0.2, 2.0, 4) if weighted else None
    tw = None if w is None else torch.tensor(w)
    compare(
        lambda y, x: losses.categorical_cross_entropy(
            y, x, from_logits=True, weight=w, label_smoothing=smoothing, reduction=reduction
        ),
        lambda y, x: F.cross_entropy(x, y, weight=tw, label_smoothing=smoothing, reduction=reduction),
        [y, x],
        (0, 1),
    )


def test_categorical_cross_entropy_class_axis_1() -> None:
    x, y = rng.normal(size=(2, 3, 4)), np.moveaxis(simplex(8, 3).reshape(2, 4, 3), -1, 1)
    compare(
        lambda y, x: losses.categorical_cross_entropy(y, x, from_logits=True, axis=1),
        lambda y, x: F.cross_entropy(x, y),
        [y, x],
        (1,),
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_categorical_cross_entropy_probabilities(reduction: str) -> None:
    """PyTorch's cross_entropy wants logits; on probabilities the reference is -Σ w·y·log p."""
    p, y = simplex(4, 3), simplex(4, 3)
    p[0] = [1e-9, 1 - 2e-9, 1e-9]
    y[0] = [0.0, 1.0, 0.0]
    w = np.array([0.5, 1.0, 2.0])

    def reference(y: torch.Tensor, p: torch.Tensor) -> torch.Tensor:
        loss = -(torch.tensor(w) * y * torch.log(p)).sum(-1)
        return loss if reduction == "none" else getattr(loss, reduction)()

    compare(
        lambda y, p: losses.categorical_cross_entropy(y, p, weight=w, reduction=reduction),
        reference,
        [y, p],
        (0, 1),
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
@pytest.mark.parametrize("ignore_index", [None, 2, -100])
def test_sparse_categorical_cross_entropy(
    reduction: str, weighted: bool, smoothing: float, ignore_index: int | None
) -> None:
    x = rng.normal(size=(6, 4)) * 3
    x[0] = [-1000.0, 1000.0, 0.0, 5.0]
    labels = np.array([0, 1, 2, 3, 2, 1])
    if ignore_index == -100:
        labels[4] = -100
    w = rng.uniform(0.2, 2.0, 4) if weighted else None
    tw = None if w is None else torch.tensor(w)
    compare(
        lambda x: losses.sparse_categorical_cross_entropy(
            labels,
            x,
            from_logits=True,
            weight=w,
            label_smoothing=smoothing,
            ignore_index=ignore_index,
            reduction=reduction,
        ),
        lambda x: F.cross_entropy(
            x,
            torch.tensor(labels),
            weight=tw,
            label_smoothing=smoothing,
            ignore_index=-100 if ignore_index is None else ignore_index,
            reduction=reduction,
        ),
        [x],
        (0,),
    )


def test_sparse_categorical_cross_entropy_spatial_and_probabilities() -> None:
    x = rng.normal(size=(2, 3, 4))
    labels = rng.integers(0, 3, (2, 4))
    w = np.array([1.0, 0.3, 2.0])
    compare(
        lambda x: losses.sparse_categorical_cross_entropy(labels, x, from_logits=True, weight=w, axis=1),
        lambda x: F.cross_entropy(x, torch.tensor(labels), weight=torch.tensor(w)),
        [x],
        (0,),
    )
    p = simplex(5, 3)
    p[0] = [1 - 2e-9, 1e-9, 1e-9]
    labels = np.array([1, 0, 2, 2, 1])
    compare(
        lambda p: losses.sparse_categorical_cross_entropy(labels, p, weight=w),
        lambda p: F.nll_loss(torch.log(p), torch.tensor(labels), weight=torch.tensor(w)),
        [p],
        (0,),
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore_index", [None, 0])
def test_nll(reduction: str, weighted: bool, ignore_index: int | None) -> None:
    logp = np.log(simplex(6, 3))
    labels = np.array([0, 1, 2, 0, 1, 2])
    w = rng.uniform(0.2, 2.0, 3) if weighted else None
    tw = None if w is None else torch.tensor(w)
    compare(
        lambda lp: losses.nll(labels, lp, weight=w, ignore_index=ignore_index, reduction=reduction),
        lambda lp: F.nll_loss(
            lp,
            torch.tensor(labels),
            weight=tw,
            ignore_index=-100 if ignore_index is None else ignore_index,
            reduction=reduction,
        ),
        [logp],
        (0,),
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("p", [1, 2])
@pytest.mark.parametrize("weighted", [False, True])
def test_multiclass_hinge(reduction: str, p: int, weighted: bool) -> None:
    """F.multi_margin_loss (more in test_margin_losses.py)."""
    x = rng.normal(size=(6, 4)) * 2
    labels = np.array([0, 1, 2, 3, 2, 1])
    w = rng.uniform(0.2, 2.0, 4) if weighted else None
    tw = None if w is None else torch.tensor(w)
    compare(
        lambda x: losses.multiclass_hinge(labels, x, p=p, margin=0.8, weight=w, reduction=reduction),
        lambda x: F.multi_margin_loss(
            x, torch.tensor(labels), p=p, margin=0.8, weight=tw, reduction=reduction
        ),
        [x],
        (0,),
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_multilabel_hinge(reduction: str) -> None:
    """F.multilabel_margin_loss (more in test_margin_losses.py)."""
    x = rng.normal(size=(4, 5))
    lists = np.array([[3, 0, -1, 1, 2], [1, 1, 4, -1, -1], [-1, 2, 2, 2, 2], [0, 1, 2, 3, 4]])
    compare(
        lambda x: losses.multilabel_hinge(lists, x, reduction=reduction),
        lambda x: F.multilabel_margin_loss(x, torch.tensor(lists), reduction=reduction),
        [x],
        (0,),
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_multilabel_soft_margin(reduction: str, weighted: bool) -> None:
    """F.multilabel_soft_margin_loss, extreme logits included (more in test_margin_losses.py)."""
    x = np.concatenate([LOGITS, rng.normal(size=(2, 5)) * 3])
    y = np.concatenate([[[0, 1, 0, 1, 1], [1, 0, 1, 0, 0.5]], rng.integers(0, 2, (2, 5))]).astype(float)
    w = rng.uniform(0.2, 2.0, 5) if weighted else None
    tw = None if w is None else torch.tensor(w)
    compare(
        lambda y, x: losses.multilabel_soft_margin(y, x, weight=w, reduction=reduction),
        lambda y, x: F.multilabel_soft_margin_loss(x, y, weight=tw, reduction=reduction),
        [y, x],
        (0, 1),
    )


# --------------------------------------------------------------------------- distributions
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_kl_divergence_is_torch_batchmean(reduction: str) -> None:
    y, p = simplex(4, 5), simplex(4, 5)
    y[0] = [0.0, 0.5, 0.5, 0.0, 0.0]  # zero targets: 0·log 0 = 0
    torch_reduction = "batchmean" if reduction == "mean" else "sum"
    compare(
        lambda y, p: losses.kl_divergence(y, p, reduction=reduction),
        lambda y, p: F.kl_div(torch.log(p), y, reduction=torch_reduction),
        [y, p],
        (1,),
    )
    compare(
        lambda y, p: losses.kl_divergence(y, p, reduction="none"),
        lambda y, p: F.kl_div(torch.log(p), y, reduction="none").sum(-1),
        [y, p],
        (1,),
    )


# --------------------------------------------------------------------------- similarity
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("p", [1.0, 2.0, 3.0])
@pytest.mark.parametrize("margin", [1.0, 0.2])
def test_triplet(reduction: str, p: float, margin: float) -> None:
    a, pos, neg = (rng.normal(size=(6, 3)) for _ in range(3))
    compare(
        lambda a, pos, neg: losses.triplet(a, pos, neg, margin=margin, p=p, reduction=reduction),
        lambda a, pos, neg: F.triplet_margin_loss(a, pos, neg, margin=margin, p=p, reduction=reduction),
        [a, pos, neg],
        (0, 1, 2),
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("margin", [0.0, 0.3, -0.4])
def test_cosine_embedding(reduction: str, margin: float) -> None:
    x1, x2 = rng.normal(size=(6, 4)), rng.normal(size=(6, 4))
    y = np.array([1.0, -1.0, 1.0, -1.0, -1.0, 1.0])
    compare(
        lambda y, a, b: losses.cosine_embedding(y, a, b, margin=margin, reduction=reduction),
        lambda y, a, b: F.cosine_embedding_loss(a, b, y, margin=margin, reduction=reduction),
        [y, x1, x2],
        (1, 2),
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("margin", [0.0, 0.5])
def test_margin_ranking(reduction: str, margin: float) -> None:
    x1, x2 = rng.normal(size=7), rng.normal(size=7)
    y = np.array([1.0, -1.0, 1.0, -1.0, -1.0, 1.0, 1.0])
    compare(
        lambda y, a, b: losses.margin_ranking(y, a, b, margin=margin, reduction=reduction),
        lambda y, a, b: F.margin_ranking_loss(a, b, y, margin=margin, reduction=reduction),
        [y, x1, x2],
        (1, 2),
    )
