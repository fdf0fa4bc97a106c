"""Every loss: the hand-derived ∂L/∂ŷ agrees with the engine (check_derivative), the engine
agrees with finite differences (gradcheck), and the Value path gives the Tensor path's numbers.

The formulas below are the things being checked; the library itself has none.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

import losses
from autograd import Tensor, Value, ValueArray, gradcheck
from autograd.derivcheck import check_derivative

rng = np.random.default_rng(7)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def away_from(e: np.ndarray, kinks: tuple[float, ...], gap: float = 0.05) -> np.ndarray:
    """``e`` nudged so that no entry is within ``gap`` of a kink (finite differences need that)."""
    for k in kinks:
        e = np.where(np.abs(e - k) < gap, k + np.copysign(gap, e - k + 1e-12), e)
    return e


@dataclass
class Case:
    id: str
    f: Callable[..., Any]
    formula: Callable[..., np.ndarray]
    inputs: list[np.ndarray]
    wrt: int = -1
    diff: tuple[int, ...] = (1,)  # inputs checked by gradcheck


N, C = 4, 3
Y = rng.normal(size=(N, C))
E = away_from(rng.normal(size=(N, C)) * 1.5, (-1.0, 0.0, 1.0, -0.5, 0.5))
P = Y + E
n = Y.size
YP, PP = rng.uniform(0.1, 0.9, (N, C)), rng.uniform(0.05, 0.95, (N, C))  # probabilities
LABELS = rng.integers(0, 2, (N, C)).astype(float)
X = rng.normal(size=(N, C)) * 2  # logits
PM = rng.uniform(0.5, 1.5, (N, C))  # margins for hinge
YT, PT = rng.uniform(0.05, 3.0, (N, C)), rng.uniform(0.05, 3.0, (N, C))  # positive targets/rates
ONEHOT = np.eye(C)[[0, 2, 1, 2]]
KLASS = np.array([0, 2, 1, 2])
W = np.array([0.5, 2.0, 1.5])
SIMPLEX_Y, SIMPLEX_P = softmax(rng.normal(size=(N, C))), softmax(rng.normal(size=(N, C)))
VAR = rng.uniform(0.3, 2.0, (N, C))
# scores whose margins (1 - s_k + s_j, and 0.5 - ...) are all at least 0.1 from the kink at 0
HINGE_S = np.array([[0.0, 0.3, 1.6], [2.0, -0.8, 0.35], [0.9, 0.1, -1.4], [-0.3, 1.2, 0.45]])
INDEX_LISTS = np.array([[0, -1, 2], [2, 0, -1], [1, 1, -1], [-1, 0, 1]])


def focal_dx(y: np.ndarray, x: np.ndarray, gamma: float) -> np.ndarray:
    """d/dx of -(1 - s_z)^γ log s_z with z = ±x (sign by label), s_z = σ(z)."""
    sign = np.where(y == 1, 1.0, -1.0)
    s = sigmoid(sign * x)
    return sign * (gamma * s * (1 - s) ** gamma * np.log(s) - (1 - s) ** (gamma + 1))


def cat_hinge_dp(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    neg = (1 - y) * p
    top = np.eye(p.shape[-1])[neg.argmax(-1)]
    active = (1 + neg.max(-1) - (y * p).sum(-1) > 0)[:, None]
    return active * (top * (1 - y) - y) / len(p)


def multiclass_hinge_dx(
    k: np.ndarray, x: np.ndarray, p: int = 1, w: np.ndarray | None = None, margin: float = 1.0
) -> np.ndarray:
    """∂/∂x of mean_n (1/C) Σ_{j≠k} w_k max(0, margin - x_k + x_j)^p."""
    n, c = x.shape
    k = k.astype(int)
    z = margin - x[np.arange(n), k][:, None] + x
    active = (z > 0) & (np.arange(c) != k[:, None])
    g = (active if p == 1 else 2 * z * active) * (1.0 if w is None else w[k][:, None]) / (n * c)
    g[np.arange(n), k] = -g.sum(1)
    return g


def multilabel_hinge_dx(t: np.ndarray, x: np.ndarray) -> np.ndarray:
    """∂/∂x of mean_n (1/C) Σ_{k∈K} Σ_{j∉K} max(0, 1 - x_k + x_j), K the indices before the first -1."""
    n, c = x.shape
    g = np.zeros_like(x)
    for i in range(n):
        labels = [int(v) for v in t[i][: list(t[i]).index(-1) if -1 in t[i] else c]]
        for k in labels:
            for j in set(range(c)) - set(labels):
                if 1 - x[i, k] + x[i, j] > 0:
                    g[i, j] += 1.0
                    g[i, k] -= 1.0
    return g / (n * c)


def overlap_terms(y: np.ndarray, p: np.ndarray) -> tuple[float, float, float]:
    return float((y * p).sum()), float(y.sum()), float(p.sum())


def dice_dp(y: np.ndarray, p: np.ndarray, s: float = 1.0) -> np.ndarray:
    i, sy, sp = overlap_terms(y, p)
    u = sy + sp + s
    return -(2 * y * u - (2 * i + s)) / u**2


def iou_dp(y: np.ndarray, p: np.ndarray, s: float = 1.0) -> np.ndarray:
    i, sy, sp = overlap_terms(y, p)
    d = sy + sp - i + s
    return -(y * d - (i + s) * (1 - y)) / d**2


def tversky_dp(y: np.ndarray, p: np.ndarray, a: float = 0.7, b: float = 0.3, s: float = 1.0) -> np.ndarray:
    i, sy, sp = overlap_terms(y, p)
    d = i + a * (sp - i) + b * (sy - i) + s
    return -(y * d - (i + s) * (y + a * (1 - y) - b * y)) / d**2


def triplet_da(a: np.ndarray, pos: np.ndarray, neg: np.ndarray, margin: float = 1.0) -> np.ndarray:
    dp, dn = a - pos + 1e-6, a - neg + 1e-6
    np_, nn_ = np.linalg.norm(dp, axis=-1, keepdims=True), np.linalg.norm(dn, axis=-1, keepdims=True)
    active = (np_ - nn_ + margin) > 0
    return active * (dp / np_ - dn / nn_) / len(a)


def cosine_dx1(y: np.ndarray, x1: np.ndarray, x2: np.ndarray, margin: float = 0.1) -> np.ndarray:
    n1, n2 = (x1 * x1).sum(-1, keepdims=True) + 1e-12, (x2 * x2).sum(-1, keepdims=True) + 1e-12
    cos = (x1 * x2).sum(-1, keepdims=True) / np.sqrt(n1 * n2)
    dcos = x2 / np.sqrt(n1 * n2) - cos * x1 / n1
    yy = y[:, None]
    return np.where(yy == 1, -dcos, (cos > margin) * dcos) / len(x1)


CTC_TARGETS, CTC_IL, CTC_TL = np.array([[1, 2], [1, 1]]), np.array([4, 3]), np.array([2, 1])
CTC_LP = np.log(softmax(rng.normal(size=(4, 2, 3))))


def ctc_dlp(targets: np.ndarray, lp: np.ndarray) -> np.ndarray:
    """d mean CTC / d log_probs by brute force: every path of frames, kept if it collapses (merge
    repeats, drop blanks 0) to the target; the gradient is -(the paths' probability through each
    (t, class)) / (all kept paths' probability), over the target length and the batch."""
    g = np.zeros_like(lp)
    for i, (frames, k) in enumerate(zip(CTC_IL, CTC_TL)):
        through, total = np.zeros((frames, lp.shape[2])), 0.0
        for path in itertools.product(range(lp.shape[2]), repeat=int(frames)):
            merged = [c for j, c in enumerate(path) if c and (j == 0 or c != path[j - 1])]
            if merged == list(targets[i, :k]):
                prob = np.exp(sum(lp[t, i, c] for t, c in enumerate(path)))
                total += prob
                through[np.arange(frames), path] += prob
        g[:frames, i] = -through / total / max(k, 1) / len(CTC_IL)
    return g


A3 = [rng.normal(size=(5, 3)) for _ in range(3)]
PAIR_Y = np.array([1.0, -1.0, 1.0, -1.0, -1.0])
PAIR_X = [rng.normal(size=(5, 3)), rng.normal(size=(5, 3))]
RANK = [np.array([1.0, -1.0, 1.0, -1.0, 1.0]), rng.normal(size=5), rng.normal(size=5)]
RANK[2] = away_from(RANK[2] - RANK[1], (-0.2, 0.2)) + RANK[1]
DIST = rng.uniform(0.1, 2.0, 6)
DIST = away_from(DIST, (1.0,))
PAIRS = np.array([1.0, 0.0, 1.0, 0.0, 0.0, 1.0])

CASES = [
    Case("mse", losses.mse, lambda y, p: 2 * (p - y) / n, [Y, P], diff=(0, 1)),
    Case("mae", losses.mae, lambda y, p: np.sign(p - y) / n, [Y, P], diff=(0, 1)),
    Case("log_cosh", losses.log_cosh, lambda y, p: np.tanh(p - y) / n, [Y, P], diff=(0, 1)),
    Case(
        "msle", losses.msle, lambda y, p: 2 * (np.log1p(p) - np.log1p(y)) / (1 + p) / n, [YT, PT], diff=(0, 1)
    ),
    Case("mape", losses.mape, lambda y, p: 100 * np.sign(p - y) / np.abs(y) / n, [Y, P], diff=(0, 1)),
    Case(
        "huber",
        losses.huber,
        lambda y, p: np.where(np.abs(p - y) < 1, p - y, np.sign(p - y)) / n,
        [Y, P],
        diff=(0, 1),
    ),
    Case(
        "smooth_l1",
        lambda y, p, **kw: losses.smooth_l1(y, p, beta=0.5, **kw),
        lambda y, p: np.where(np.abs(p - y) < 0.5, (p - y) / 0.5, np.sign(p - y)) / n,
        [Y, P],
        diff=(0, 1),
    ),
    Case(
        "quantile",
        lambda y, p, **kw: losses.quantile(y, p, q=0.3, **kw),
        lambda y, p: np.where(y > p, -0.3, 0.7) / n,
        [Y, P],
        diff=(0, 1),
    ),
    Case("poisson", losses.poisson, lambda y, p: (1 - y / (p + 1e-8)) / n, [YT, PT], diff=(0, 1)),
    Case(
        "poisson_log_input",
        lambda y, p, **kw: losses.poisson(y, p, log_input=True, full=True, **kw),
        lambda y, p: (np.exp(p) - y) / n,
        [YT, X],
    ),
    Case(
        "gaussian_nll_mean",
        losses.gaussian_nll,
        lambda y, p, v: (p - y) / v / n,
        [Y, P, VAR],
        wrt=1,
        diff=(0, 1, 2),
    ),
    Case(
        "gaussian_nll_var",
        losses.gaussian_nll,
        lambda y, p, v: 0.5 * (1 / v - (p - y) ** 2 / v**2) / n,
        [Y, P, VAR],
        wrt=2,
        diff=(2,),
    ),
    Case(
        "binary_cross_entropy",
        losses.binary_cross_entropy,
        lambda y, p: (p - y) / (p * (1 - p)) / n,
        [YP, PP],
        diff=(0, 1),
    ),
    Case(
        "binary_cross_entropy_logits_smoothed",
        lambda y, x, **kw: losses.binary_cross_entropy(y, x, from_logits=True, label_smoothing=0.2, **kw),
        lambda y, x: (sigmoid(x) - (0.8 * y + 0.1)) / n,
        [LABELS, X],
    ),
    Case(
        "binary_cross_entropy_logits_pos_weight",
        lambda y, x, **kw: losses.binary_cross_entropy(y, x, from_logits=True, pos_weight=W, **kw),
        lambda y, x: ((1 + (W - 1) * y) * sigmoid(x) - W * y) / n,
        [LABELS, X],
    ),
    Case(
        "binary_cross_entropy_weight",
        lambda y, p, **kw: losses.binary_cross_entropy(y, p, weight=W, **kw),
        lambda y, p: W * (p - y) / (p * (1 - p)) / n,
        [YP, PP],
    ),
    Case(
        "hinge",
        losses.hinge,
        lambda y, p: np.where(1 - (2 * y - 1) * p > 0, -(2 * y - 1), 0) / n,
        [LABELS, PM * np.where(rng.uniform(size=(N, C)) < 0.5, -1, 1)],
    ),
    Case(
        "squared_hinge",
        losses.squared_hinge,
        lambda y, p: -2 * (2 * y - 1) * np.maximum(0, 1 - (2 * y - 1) * p) / n,
        [LABELS, X],
    ),
    Case(
        "binary_focal",
        lambda y, x, **kw: losses.binary_focal(y, x, gamma=2.0, from_logits=True, **kw),
        lambda y, x: focal_dx(y, x, 2.0) / n,
        [LABELS, X],
    ),
    Case(
        "binary_focal_alpha",
        lambda y, x, **kw: losses.binary_focal(y, x, gamma=1.5, alpha=0.25, from_logits=True, **kw),
        lambda y, x: np.where(y == 1, 0.25, 0.75) * focal_dx(y, x, 1.5) / n,
        [LABELS, X],
    ),
    Case(
        "categorical_cross_entropy_logits",
        lambda y, x, **kw: losses.categorical_cross_entropy(y, x, from_logits=True, weight=W, **kw),
        lambda y, x: (softmax(x) * (W * y).sum(-1, keepdims=True) - W * y) / N,
        [SIMPLEX_Y, X],
        diff=(0, 1),
    ),
    Case(
        "categorical_cross_entropy_probabilities",
        losses.categorical_cross_entropy,
        lambda y, p: -y / p / N,
        [SIMPLEX_Y, SIMPLEX_P],
        diff=(0, 1),
    ),
    Case(
        "sparse_categorical_cross_entropy",
        lambda k, x, **kw: losses.sparse_categorical_cross_entropy(k, x, from_logits=True, weight=W, **kw),
        lambda k, x: (
            W[k.astype(int)][:, None] * (softmax(x) - np.eye(C)[k.astype(int)]) / W[k.astype(int)].sum()
        ),
        [KLASS, X],
    ),
    Case(
        "nll",
        lambda k, lp, **kw: losses.nll(k, lp, weight=W, **kw),
        lambda k, lp: -W * np.eye(C)[KLASS] / W[KLASS].sum(),
        [KLASS, np.log(SIMPLEX_P)],
    ),
    Case("categorical_hinge", losses.categorical_hinge, cat_hinge_dp, [ONEHOT, X]),
    Case("multiclass_hinge", losses.multiclass_hinge, multiclass_hinge_dx, [KLASS, HINGE_S]),
    Case(
        "multiclass_hinge_squared_weighted",
        lambda k, x, **kw: losses.multiclass_hinge(k, x, p=2, margin=0.5, weight=W, **kw),
        lambda k, x: multiclass_hinge_dx(k, x, p=2, w=W, margin=0.5),
        [KLASS, HINGE_S],
    ),
    Case("multilabel_hinge", losses.multilabel_hinge, multilabel_hinge_dx, [INDEX_LISTS, HINGE_S]),
    Case(
        "multilabel_soft_margin",
        lambda y, x, **kw: losses.multilabel_soft_margin(y, x, weight=W, **kw),
        lambda y, x: W * (sigmoid(x) - y) / y.size,
        [YP, X],
        diff=(0, 1),
    ),
    Case(
        "categorical_focal",
        lambda y, p, **kw: losses.categorical_focal(y, p, gamma=2.0, alpha=0.5, **kw),
        lambda y, p: 0.5 * y * (2 * (1 - p) * np.log(p) - (1 - p) ** 2 / p) / N,
        [ONEHOT, SIMPLEX_P],
    ),
    Case("kl_divergence", losses.kl_divergence, lambda y, p: -y / p / N, [SIMPLEX_Y, SIMPLEX_P], diff=(0, 1)),
    Case(
        "kl_divergence_log_input_elementwise",
        lambda y, lp, **kw: losses.kl_divergence(y, lp, log_input=True, axis=None, **kw),
        lambda y, lp: -y / y.size,
        [SIMPLEX_Y, np.log(SIMPLEX_P)],
        diff=(0, 1),
    ),
    Case(
        "js_divergence",
        losses.js_divergence,
        lambda y, p: 0.5 * np.log(2 * p / (y + p)) / N,
        [SIMPLEX_Y, SIMPLEX_P],
        diff=(0, 1),
    ),
    Case("dice", losses.dice, dice_dp, [YP, PP], diff=(0, 1)),
    Case("iou", losses.iou, iou_dp, [YP, PP], diff=(0, 1)),
    Case(
        "tversky",
        lambda y, p, **kw: losses.tversky(y, p, alpha=0.7, beta=0.3, **kw),
        tversky_dp,
        [YP, PP],
        diff=(0, 1),
    ),
    Case(
        "contrastive",
        losses.contrastive,
        lambda y, d: (2 * y * d - 2 * (1 - y) * np.maximum(0, 1 - d)) / len(d),
        [PAIRS, DIST],
    ),
    Case("triplet", losses.triplet, triplet_da, A3, wrt=0, diff=(0, 1, 2)),
    Case(
        "cosine_embedding",
        lambda y, a, b, **kw: losses.cosine_embedding(y, a, b, margin=0.1, **kw),
        cosine_dx1,
        [PAIR_Y, *PAIR_X],
        wrt=1,
        diff=(1, 2),
    ),
    Case(
        "soft_margin",
        losses.soft_margin,
        lambda y, x: -y * sigmoid(-y * x) / y.size,
        [2 * LABELS - 1, X],
    ),
    Case(
        "hinge_embedding",
        lambda y, x, **kw: losses.hinge_embedding(y, x, margin=1.5, **kw),
        lambda y, x: np.where(y == 1, 1.0, np.where(1.5 - x > 0, -1.0, 0.0)) / y.size,
        [2 * LABELS - 1, away_from(PT, (1.5,))],
    ),
    Case(
        "margin_ranking",
        lambda y, a, b, **kw: losses.margin_ranking(y, a, b, margin=0.2, **kw),
        lambda y, a, b: np.where(-y * (a - b) + 0.2 > 0, -y, 0.0) / len(y),
        RANK,
        wrt=1,
        diff=(1, 2),
    ),
    Case("ctc", lambda y, lp, **kw: losses.ctc(y, lp, CTC_IL, CTC_TL, **kw), ctc_dlp, [CTC_TARGETS, CTC_LP]),
]


def test_every_loss_has_a_case() -> None:
    names = set(losses.__all__) - {"ArgumentOrderWarning"}
    missing = [name for name in names if not any(c.id.startswith(name) for c in CASES)]
    assert not missing


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_hand_derivative_agrees_with_engine(case: Case) -> None:
    report = check_derivative(case.f, case.formula, *case.inputs, wrt=case.wrt)
    assert report, str(report)


def _values(a: np.ndarray) -> Any:
    """``a`` as a nested list of Values (a scalar as one Value)."""
    return Value(float(a)) if a.ndim == 0 else [_values(row) for row in a]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_hand_derivative_on_values(case: Case) -> None:
    inputs = [_values(a) if i in case.diff else a for i, a in enumerate(case.inputs)]
    report = check_derivative(case.f, case.formula, *inputs, wrt=case.wrt)
    assert report, str(report)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_gradcheck(case: Case) -> None:
    inputs = [Tensor(a, requires_grad=i in case.diff) for i, a in enumerate(case.inputs)]
    assert gradcheck(case.f, *inputs, eps=1e-6, atol=1e-5, rtol=1e-3)


@pytest.mark.parametrize("reduction", ["none", "sum"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_gradcheck_on_values(case: Case, reduction: str) -> None:
    inputs = [ValueArray(a) if i in case.diff else a for i, a in enumerate(case.inputs)]
    assert gradcheck(lambda *xs: case.f(*xs, reduction=reduction), *inputs, eps=1e-6, atol=1e-5, rtol=1e-3)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_value_path_equals_tensor_path(case: Case, reduction: str) -> None:
    tensors = [Tensor(a, requires_grad=i in case.diff) for i, a in enumerate(case.inputs)]
    values = [_values(a) if i in case.diff else a for i, a in enumerate(case.inputs)]
    t_out = case.f(*tensors, reduction=reduction)
    v_out = case.f(*values, reduction=reduction)
    if isinstance(v_out, ValueArray):
        np.testing.assert_allclose(v_out.data, t_out.data, rtol=1e-12, atol=1e-14)
        weights = rng.uniform(0.5, 1.5, t_out.shape)
        (v_out * weights).sum().backward()
        t_out.backward(weights)
    else:
        assert isinstance(v_out, Value) and t_out.numel() == 1
        np.testing.assert_allclose(v_out.data, t_out.item(), rtol=1e-12)
        v_out.backward()
        t_out.backward()
    for i in case.diff:
        v_grad = ValueArray(values[i]).grad
        np.testing.assert_allclose(v_grad, tensors[i].grad, rtol=1e-10, atol=1e-14, err_msg=f"input {i}")
