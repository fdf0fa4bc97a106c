"""The loss modules and nn.functional's losses against torch (float64 values and gradients, every
option torch has), and the proof that each one is the losses package's definition, not a copy."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn as tnn
import torch.nn.functional as TF
from nn_reference import compare

import autograd.nn as nn
import autograd.nn.functional as F
import losses
from autograd import Tensor

rng = np.random.default_rng(11)
N, C = 5, 4
X, Y = rng.normal(size=(N, C)), rng.normal(size=(N, C))
P, T01 = rng.uniform(0.05, 0.95, (N, C)), rng.integers(0, 2, (N, C)).astype(float)
W_ELEM, W_CLASS = rng.uniform(0.2, 2.0, (N, C)), rng.uniform(0.2, 2.0, C)
LABELS = np.array([0, 3, 1, 3, 2])
IGNORED = np.array([0, -100, 1, 3, -100])
X3, LABELS3 = rng.normal(size=(N, C, 3)), rng.integers(0, C, (N, 3))
SOFT = rng.dirichlet(np.ones(C), N)
SIGNS = np.where(rng.uniform(size=(N, C)) < 0.5, -1.0, 1.0)
PAIR_LABELS = np.array([1.0, -1.0, -1.0, 1.0, -1.0])
RATES = rng.uniform(0.1, 3.0, (N, C))
COUNTS = rng.poisson(2.0, (N, C)).astype(float)
LOG_Q = np.log(rng.dirichlet(np.ones(C), N))
INDEX_LISTS = np.array([[3, 0, -1, 1], [1, 1, -1, -1], [-1, 2, 2, 2], [0, 1, 2, 3], [2, -1, 0, 0]])


def labels(a: np.ndarray) -> torch.Tensor:
    return torch.tensor(a)


# id -> (ours, torch's, inputs, inputs whose gradient is compared); the loss modules with the
# same options are compared too (see MODULES below)
CASES: dict[str, tuple[Any, Any, list, tuple]] = {}
for red in ("mean", "sum", "none"):
    CASES |= {
        f"mse_loss-{red}": (
            lambda x, y, r=red: F.mse_loss(x, y, reduction=r),
            lambda x, y, r=red: TF.mse_loss(x, y, reduction=r),
            [X, Y],
            (0, 1),
        ),
        f"l1_loss-{red}": (
            lambda x, y, r=red: F.l1_loss(x, y, reduction=r),
            lambda x, y, r=red: TF.l1_loss(x, y, reduction=r),
            [X, Y],
            (0, 1),
        ),
        f"cross_entropy-{red}": (
            lambda x, r=red: F.cross_entropy(x, LABELS, reduction=r),
            lambda x, r=red: TF.cross_entropy(x, labels(LABELS), reduction=r),
            [X],
            (0,),
        ),
        f"kl_div-{red}": (
            lambda q, y, r=red: F.kl_div(q, y, reduction=r),
            lambda q, y, r=red: TF.kl_div(q, y, reduction=r),
            [LOG_Q, SOFT],
            (0, 1),
        ),
    }
CASES |= {
    "mse_loss-weight": (
        lambda x, y, w: F.mse_loss(x, y, weight=w),
        lambda x, y, w: TF.mse_loss(x, y, weight=w),
        [X, Y, W_ELEM],
        (0, 1),
    ),
    "l1_loss-weight-sum": (
        lambda x, y, w: F.l1_loss(x, y, reduction="sum", weight=w),
        lambda x, y, w: TF.l1_loss(x, y, reduction="sum", weight=w),
        [X, Y, W_ELEM],
        (0,),
    ),
    "huber_loss-delta-weight": (
        lambda x, y, w: F.huber_loss(x, y, delta=0.7, weight=w),
        lambda x, y, w: TF.huber_loss(x, y, delta=0.7, weight=w),
        [X, Y, W_ELEM],
        (0, 1),
    ),
    "smooth_l1_loss-beta": (
        lambda x, y: F.smooth_l1_loss(x, y, beta=0.6),
        lambda x, y: TF.smooth_l1_loss(x, y, beta=0.6),
        [X, Y],
        (0, 1),
    ),
    "smooth_l1_loss-beta0": (
        lambda x, y: F.smooth_l1_loss(x, y, beta=0.0),
        lambda x, y: TF.smooth_l1_loss(x, y, beta=0.0),
        [X, Y],
        (0,),
    ),
    "binary_cross_entropy-weight": (
        lambda p, t, w: F.binary_cross_entropy(p, t, w),
        lambda p, t, w: TF.binary_cross_entropy(p, t, w),
        [P, T01, W_ELEM],
        (0,),
    ),
    "binary_cross_entropy_with_logits-weight-pos_weight-sum": (
        lambda x, t, w, pw: F.binary_cross_entropy_with_logits(x, t, w, reduction="sum", pos_weight=pw),
        lambda x, t, w, pw: TF.binary_cross_entropy_with_logits(x, t, w, reduction="sum", pos_weight=pw),
        [X * 3, T01, W_ELEM, W_CLASS],
        (0, 1),
    ),
    "cross_entropy-weight-ignore_index-label_smoothing": (
        lambda x, w: F.cross_entropy(x, IGNORED, weight=w, label_smoothing=0.2),
        lambda x, w: TF.cross_entropy(x, labels(IGNORED), weight=w, label_smoothing=0.2),
        [X, W_CLASS],
        (0,),
    ),
    "cross_entropy-NCd": (
        lambda x: F.cross_entropy(x, LABELS3),
        lambda x: TF.cross_entropy(x, labels(LABELS3)),
        [X3],
        (0,),
    ),
    "cross_entropy-one-sample": (
        lambda x: F.cross_entropy(x, np.array(2)),
        lambda x: TF.cross_entropy(x, torch.tensor(2)),
        [X[0]],
        (0,),
    ),
    "cross_entropy-probabilities-weight-label_smoothing": (
        lambda x, y, w: F.cross_entropy(x, y, weight=w, label_smoothing=0.1),
        lambda x, y, w: TF.cross_entropy(x, y, weight=w, label_smoothing=0.1),
        [X, SOFT, W_CLASS],
        (0, 1),
    ),
    "nll_loss-weight-ignore_index": (
        lambda q, w: F.nll_loss(q, IGNORED, w),
        lambda q, w: TF.nll_loss(q, labels(IGNORED), w),
        [LOG_Q, W_CLASS],
        (0,),
    ),
    "nll_loss-NCd-sum": (
        lambda q: F.nll_loss(q, LABELS3, reduction="sum"),
        lambda q: TF.nll_loss(q, labels(LABELS3), reduction="sum"),
        [np.log(rng.dirichlet(np.ones(C), (N, 3)).transpose(0, 2, 1))],
        (0,),
    ),
    "kl_div-batchmean": (
        lambda q, y: F.kl_div(q, y, reduction="batchmean"),
        lambda q, y: TF.kl_div(q, y, reduction="batchmean"),
        [LOG_Q, SOFT],
        (0, 1),
    ),
    "kl_div-log_target-batchmean": (
        lambda q, y: F.kl_div(q, y, reduction="batchmean", log_target=True),
        lambda q, y: TF.kl_div(q, y, reduction="batchmean", log_target=True),
        [LOG_Q, np.log(SOFT)],
        (0, 1),
    ),
    "cosine_embedding_loss-margin": (
        lambda a, b, y: F.cosine_embedding_loss(a, b, y, margin=0.2),
        lambda a, b, y: TF.cosine_embedding_loss(a, b, y, margin=0.2),
        [X, Y, PAIR_LABELS],
        (0, 1),
    ),
    "margin_ranking_loss-margin": (
        lambda a, b, y: F.margin_ranking_loss(a, b, y, margin=0.3),
        lambda a, b, y: TF.margin_ranking_loss(a, b, y, margin=0.3),
        [X[:, 0], Y[:, 0], PAIR_LABELS],
        (0, 1),
    ),
    "triplet_margin_loss-p-swap": (
        lambda a, p, n: F.triplet_margin_loss(a, p, n, margin=0.5, p=3, swap=True),
        lambda a, p, n: TF.triplet_margin_loss(a, p, n, margin=0.5, p=3, swap=True),
        [X, Y, rng.normal(size=(N, C))],
        (0, 1, 2),
    ),
    "hinge_embedding_loss-margin": (
        lambda x, y: F.hinge_embedding_loss(x, y, margin=1.5),
        lambda x, y: TF.hinge_embedding_loss(x, y, margin=1.5),
        [RATES, SIGNS],
        (0,),
    ),
    "soft_margin_loss": (F.soft_margin_loss, TF.soft_margin_loss, [X * 3, SIGNS], (0,)),
    "multi_margin_loss-p2-weight": (
        lambda x: F.multi_margin_loss(x, LABELS, p=2, margin=0.7, weight=W_CLASS),
        lambda x: TF.multi_margin_loss(x, labels(LABELS), p=2, margin=0.7, weight=torch.tensor(W_CLASS)),
        [X],
        (0,),
    ),
    "multilabel_margin_loss": (
        lambda x: F.multilabel_margin_loss(x, INDEX_LISTS, reduction="none"),
        lambda x: TF.multilabel_margin_loss(x, labels(INDEX_LISTS), reduction="none"),
        [X],
        (0,),
    ),
    "multilabel_soft_margin_loss-weight": (
        lambda x, y: F.multilabel_soft_margin_loss(x, y, weight=W_CLASS),
        lambda x, y: TF.multilabel_soft_margin_loss(x, y, weight=torch.tensor(W_CLASS)),
        [X * 3, T01],
        (0, 1),
    ),
    "gaussian_nll_loss-full": (
        lambda x, y, v: F.gaussian_nll_loss(x, y, v, full=True),
        lambda x, y, v: TF.gaussian_nll_loss(x, y, v, full=True),
        [X, Y, RATES],
        (0, 1, 2),
    ),
    "gaussian_nll_loss-shared-var": (
        F.gaussian_nll_loss,
        TF.gaussian_nll_loss,
        [X, Y, RATES[:, :1]],
        (0, 2),
    ),
    "gaussian_nll_loss-float-var": (
        lambda x, y: F.gaussian_nll_loss(x, y, 0.5, reduction="sum"),
        lambda x, y: TF.gaussian_nll_loss(x, y, 0.5, reduction="sum"),
        [X, Y],
        (0, 1),
    ),
    "poisson_nll_loss-log_input": (F.poisson_nll_loss, TF.poisson_nll_loss, [X, COUNTS], (0,)),
    "poisson_nll_loss-rate-full": (
        lambda x, y: F.poisson_nll_loss(x, y, log_input=False, full=True),
        lambda x, y: TF.poisson_nll_loss(x, y, log_input=False, full=True),
        [RATES, COUNTS],
        (0,),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_functional_loss_equals_torch(case: str) -> None:
    ours, theirs, arrays, grad_of = CASES[case]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # torch's and ours: kl_div's "mean"
        compare(ours, theirs, arrays, grad_of, rtol=1e-10, atol=1e-12)


MODULES = [
    (nn.MSELoss(reduction="sum"), tnn.MSELoss(reduction="sum"), [X, Y]),
    (nn.L1Loss(), tnn.L1Loss(), [X, Y]),
    (nn.HuberLoss(delta=0.5), tnn.HuberLoss(delta=0.5), [X, Y]),
    (nn.SmoothL1Loss(beta=2.0), tnn.SmoothL1Loss(beta=2.0), [X, Y]),
    (nn.BCELoss(weight=Tensor(W_CLASS)), tnn.BCELoss(weight=torch.tensor(W_CLASS)), [P, T01]),
    (
        nn.BCEWithLogitsLoss(pos_weight=Tensor(W_CLASS)),
        tnn.BCEWithLogitsLoss(pos_weight=torch.tensor(W_CLASS)),
        [X, T01],
    ),
    (nn.CrossEntropyLoss(label_smoothing=0.3), tnn.CrossEntropyLoss(label_smoothing=0.3), [X, SOFT]),
    (nn.KLDivLoss(reduction="batchmean"), tnn.KLDivLoss(reduction="batchmean"), [LOG_Q, SOFT]),
    (nn.CosineEmbeddingLoss(margin=0.1), tnn.CosineEmbeddingLoss(margin=0.1), [X, Y, PAIR_LABELS]),
    (nn.MarginRankingLoss(0.2), tnn.MarginRankingLoss(0.2), [X[:, 1], Y[:, 1], PAIR_LABELS]),
    (nn.TripletMarginLoss(p=1.0), tnn.TripletMarginLoss(p=1.0), [X, Y, P]),
    (nn.HingeEmbeddingLoss(margin=2.0), tnn.HingeEmbeddingLoss(margin=2.0), [RATES, SIGNS]),
    (nn.SoftMarginLoss(reduction="none"), tnn.SoftMarginLoss(reduction="none"), [X, SIGNS]),
    (
        nn.MultiLabelSoftMarginLoss(weight=Tensor(W_CLASS), reduction="sum"),
        tnn.MultiLabelSoftMarginLoss(torch.tensor(W_CLASS), reduction="sum"),
        [X, T01],
    ),
    (nn.GaussianNLLLoss(full=True, eps=0.5), tnn.GaussianNLLLoss(full=True, eps=0.5), [X, Y, RATES]),
    (nn.PoissonNLLLoss(log_input=False), tnn.PoissonNLLLoss(log_input=False), [RATES, COUNTS]),
]


@pytest.mark.parametrize(
    "ours, theirs, arrays", MODULES, ids=lambda m: type(m).__name__ if isinstance(m, nn.Module) else ""
)
def test_loss_module_equals_torch(ours: nn.Module, theirs: tnn.Module, arrays: list) -> None:
    assert repr(ours) == repr(theirs)
    compare(ours, theirs, arrays, grad_of=(0,), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (
            nn.CrossEntropyLoss(weight=Tensor(W_CLASS), ignore_index=3),
            tnn.CrossEntropyLoss(torch.tensor(W_CLASS), ignore_index=3),
        ),
        (nn.NLLLoss(reduction="none"), tnn.NLLLoss(reduction="none")),
        (
            nn.MultiMarginLoss(p=2, margin=0.5, weight=Tensor(W_CLASS)),
            tnn.MultiMarginLoss(p=2, margin=0.5, weight=torch.tensor(W_CLASS)),
        ),
    ],
)
def test_class_index_modules_equal_torch(ours: nn.Module, theirs: tnn.Module) -> None:
    compare(lambda x: ours(x, LABELS), lambda x: theirs(x, labels(LABELS)), [LOG_Q], rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("size_average, reduce", [(False, None), (None, False), (True, True), (False, True)])
def test_deprecated_size_average_and_reduce_as_torch(size_average: Any, reduce: Any) -> None:
    with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated") as ours_warned:
        ours = nn.MSELoss(size_average, reduce)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = tnn.MSELoss(size_average, reduce)
    assert ours.reduction == theirs.reduction
    assert ours_warned[0].filename == __file__
    compare(ours, theirs, [X, Y], rtol=1e-12)


def test_every_loss_module_is_the_losses_packages_definition(monkeypatch: pytest.MonkeyPatch) -> None:
    """No second formula: replacing a loss in ``losses`` changes the module and the function."""
    monkeypatch.setattr(losses, "mse", lambda y_true, y_pred, **kw: "losses.mse")
    monkeypatch.setattr(losses, "sparse_categorical_cross_entropy", lambda *a, **kw: "sparse")
    monkeypatch.setattr(losses, "soft_margin", lambda *a, **kw: "soft_margin")
    assert nn.MSELoss()(X, Y) == F.mse_loss(X, Y) == "losses.mse"
    assert nn.CrossEntropyLoss()(X, LABELS) == "sparse"
    assert nn.SoftMarginLoss()(X, SIGNS) == "soft_margin"
    for name in ("multiclass_hinge", "multilabel_hinge", "multilabel_soft_margin"):
        monkeypatch.setattr(losses, name, lambda *a, name=name, **kw: name)
    assert nn.MultiMarginLoss()(X, LABELS) == F.multi_margin_loss(X, LABELS) == "multiclass_hinge"
    assert nn.MultiLabelMarginLoss()(X, INDEX_LISTS) == "multilabel_hinge"
    assert nn.MultiLabelSoftMarginLoss()(X, T01) == "multilabel_soft_margin"


def test_the_functional_order_never_warns_of_swapped_arguments() -> None:
    target = Tensor(Y, requires_grad=True)  # a target that is trained, with a constant input
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        F.mse_loss(X, target).backward()
        nn.CrossEntropyLoss()(Tensor(X), SOFT)
    with pytest.warns(losses.ArgumentOrderWarning):  # the truth-first API still warns
        losses.mse(target, X)


def test_loss_errors_name_the_loss_the_argument_and_what_came_in() -> None:
    with pytest.raises(RuntimeError, match=r"The size of tensor a \(\d\) must match the size of tensor b"):
        with pytest.warns(UserWarning, match="Using a target size"):  # (torch's, then its broadcast error)
            F.mse_loss(X, np.zeros(X.shape[-1] + 1))  # (a target that does not broadcast)
    with pytest.raises(TypeError, match="mse: y_pred must be real numbers.*got None"):
        nn.MSELoss()(None, Y)
    with pytest.raises(ValueError, match="sparse_categorical_cross_entropy: y_true must be integer class"):
        F.cross_entropy(X, np.array([0, 1, 2, 3, 4]))
    with pytest.raises(ValueError, match="kl_divergence: y_pred must be log-probabilities.*log_softmax"):
        F.kl_div(P, SOFT, reduction="batchmean")  # probabilities where torch wants log-probabilities
