"""The loss options of issue 13 (``weight`` in mse/mae/huber, ``log_target``, ``swap``, the class
axis of sparse cross-entropy) and the edges of issue 10 (masked -inf logits, every sample ignored,
batchmean KL): values and gradients against PyTorch 2.13 in float64."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from torch_reference import ATOL, REDUCTIONS, RTOL, compare, simplex

import losses
from autograd import Tensor, Value

INF = math.inf
rng = np.random.default_rng(2026)


def tensors(*arrays: np.ndarray) -> tuple[list[Tensor], list[torch.Tensor]]:
    ours = [Tensor(np.array(a, dtype=np.float64), requires_grad=True) for a in arrays]
    theirs = [torch.tensor(np.array(a, dtype=np.float64), requires_grad=True) for a in arrays]
    return ours, theirs


def assert_same(ours: Tensor, theirs: torch.Tensor) -> None:
    """Values equal (nan == nan, inf == inf)."""
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=RTOL, atol=ATOL)


# --------------------------------------------------------------------------- masked (-inf) logits
MASKED = np.array([[0.0, -INF, 1.0], [2.0, 0.5, -INF], [-INF, 0.3, -1.0], [0.1, 0.2, 0.3]])
MASKED_LABELS = np.array([0, 1, 2, 0])


def test_issue_repros_give_torch_numbers() -> None:
    assert float(
        losses.sparse_categorical_cross_entropy([0], [[0, -INF, 1]], from_logits=True).data
    ) == pytest.approx(1.3132616875182228, rel=1e-12)
    assert float(losses.nll([0], [[-0.5, -INF]]).data) == 0.5
    loss = losses.nll([0], [[Value(-0.5), Value(-INF)]])  # Values too: one Value, finite gradients
    loss.backward()
    assert loss.data == 0.5


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore_index", [None, 2])
def test_sparse_cross_entropy_masked_logits(reduction: str, weighted: bool, ignore_index: int | None) -> None:
    w = np.array([0.5, 1.0, 2.0]) if weighted else None
    tw = None if w is None else torch.tensor(w)
    compare(
        lambda x: losses.sparse_categorical_cross_entropy(
            MASKED_LABELS, x, from_logits=True, weight=w, ignore_index=ignore_index, reduction=reduction
        ),
        lambda x: F.cross_entropy(
            x,
            torch.tensor(MASKED_LABELS),
            weight=tw,
            ignore_index=-100 if ignore_index is None else ignore_index,
            reduction=reduction,
        ),
        [MASKED],
        (0,),
    )


def test_label_smoothing_with_a_masked_logit_is_inf_with_finite_gradients_as_torch() -> None:
    (x,), (tx,) = tensors(MASKED)
    ours = losses.sparse_categorical_cross_entropy(MASKED_LABELS, x, from_logits=True, label_smoothing=0.1)
    theirs = F.cross_entropy(tx, torch.tensor(MASKED_LABELS), label_smoothing=0.1)
    assert ours.data == theirs.item() == INF
    ours.backward()
    theirs.backward()
    assert np.isfinite(x.grad).all()
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=RTOL, atol=ATOL)


def test_ignored_sample_with_a_masked_logit_is_left_out_with_label_smoothing() -> None:
    x = np.array([[-INF, 0.5], [0.1, -2.0]])
    compare(
        lambda x: losses.sparse_categorical_cross_entropy(
            [-100, 0], x, from_logits=True, ignore_index=-100, label_smoothing=0.2
        ),
        lambda x: F.cross_entropy(x, torch.tensor([-100, 0]), label_smoothing=0.2),
        [x],
        (0,),
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll_masked_log_probabilities(reduction: str) -> None:
    lp = np.array([[-0.5, -INF], [-INF, -0.1], [-1.0, -0.4]])
    compare(
        lambda lp: losses.nll([0, 1, 1], lp, reduction=reduction),
        lambda lp: F.nll_loss(lp, torch.tensor([0, 1, 1]), reduction=reduction),
        [lp],
        (0,),
    )


def test_zero_weight_class_on_a_masked_target_adds_zero() -> None:
    """Deliberate: the sample weighs 0, so it adds 0 (torch computes -0·(-inf) = nan); gradients
    agree with torch's."""
    (x,), (tx,) = tensors([[-INF, -0.5]])
    ours = losses.nll([0], x, weight=[0.0, 1.0], reduction="sum")
    theirs = F.nll_loss(
        tx, torch.tensor([0]), weight=torch.tensor([0.0, 1.0], dtype=torch.float64), reduction="sum"
    )
    assert ours.data == 0.0 and math.isnan(theirs.item())
    ours.backward()
    theirs.backward()
    np.testing.assert_array_equal(x.grad, tx.grad.numpy())


def test_probability_targets_with_a_masked_logit() -> None:
    """A zero target on a -inf logit adds 0 (0·log 0 = 0, the value of the class-index form);
    torch's probability-target cross_entropy gives nan there. The gradients equal torch's."""
    y = np.eye(3)[MASKED_LABELS]
    (x,), (tx,) = tensors(MASKED)
    ours = losses.categorical_cross_entropy(y, x, from_logits=True)
    reference = F.cross_entropy(tx, torch.tensor(MASKED_LABELS))
    assert math.isnan(F.cross_entropy(tx, torch.tensor(y)).item())
    assert_same(ours, reference)
    ours.backward()
    reference.backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=RTOL, atol=ATOL)


def test_probability_targets_with_a_masked_logit_and_smoothing_are_inf_as_torch() -> None:
    y = np.eye(3)[MASKED_LABELS]
    compare(
        lambda y, x: losses.categorical_cross_entropy(y, x, from_logits=True, label_smoothing=0.1),
        lambda y, x: F.cross_entropy(x, y, label_smoothing=0.1),
        [y, MASKED],
        (1,),
    )


@settings(max_examples=30)  # each example runs both libraries; the "dev" profile's count is not needed here
@given(data=st.data())
def test_masked_sparse_cross_entropy_matches_torch_for_any_mask(data: st.DataObject) -> None:
    """Random logits with random -inf masks (one finite logit per row at least), labels that may
    hit a masked class (loss inf, finite gradients) or be ignored, weights and smoothing."""
    n, c = data.draw(st.integers(1, 4)), data.draw(st.integers(2, 5))
    x = data.draw(arrays(np.float64, (n, c), elements=st.floats(-30, 30)))
    mask = data.draw(arrays(np.bool_, (n, c)))
    mask[np.arange(n), data.draw(arrays(np.int64, n, elements=st.integers(0, c - 1)))] = False
    x[mask] = -INF
    labels = data.draw(arrays(np.int64, n, elements=st.integers(-1, c - 1)))  # -1: ignored
    w = data.draw(st.none() | arrays(np.float64, c, elements=st.floats(0.1, 3.0)))
    smoothing = data.draw(st.sampled_from([0.0, 0.1]))
    reduction = data.draw(st.sampled_from(REDUCTIONS))
    tw = None if w is None else torch.tensor(w)
    compare(
        lambda x: losses.sparse_categorical_cross_entropy(
            labels,
            x,
            from_logits=True,
            weight=w,
            ignore_index=-1,
            label_smoothing=smoothing,
            reduction=reduction,
        ),
        lambda x: F.cross_entropy(
            x,
            torch.tensor(labels),
            weight=tw,
            ignore_index=-1,
            label_smoothing=smoothing,
            reduction=reduction,
        ),
        [x],
        (0,),
    )


@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_masked_logits_on_values_equal_tensors(smoothing: float) -> None:
    values = [[Value(v) for v in row] for row in MASKED]
    loss = losses.sparse_categorical_cross_entropy(
        MASKED_LABELS, values, from_logits=True, label_smoothing=smoothing, ignore_index=2
    )
    loss.backward()
    x = Tensor(MASKED, requires_grad=True)
    ref = losses.sparse_categorical_cross_entropy(
        MASKED_LABELS, x, from_logits=True, label_smoothing=smoothing, ignore_index=2
    )
    ref.backward()
    assert loss.data == pytest.approx(float(ref.data), rel=1e-12) or loss.data == ref.data == INF
    np.testing.assert_allclose([[v.grad for v in row] for row in values], x.grad, rtol=1e-12, atol=1e-15)


# --------------------------------------------------------------------------- every sample ignored
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
@pytest.mark.parametrize("weighted", [False, True])
def test_every_sample_ignored_has_gradient_zero(reduction: str, smoothing: float, weighted: bool) -> None:
    x = rng.normal(size=(3, 4))
    w = rng.uniform(0.5, 2.0, 4) if weighted else None
    tw = None if w is None else torch.tensor(w)
    labels = np.full(3, -100)
    compare(  # mean: nan (0/0) as torch; the gradient 0, as torch (never nan)
        lambda x: losses.sparse_categorical_cross_entropy(
            labels,
            x,
            from_logits=True,
            ignore_index=-100,
            label_smoothing=smoothing,
            weight=w,
            reduction=reduction,
        ),
        lambda x: F.cross_entropy(
            x, torch.tensor(labels), label_smoothing=smoothing, weight=tw, reduction=reduction
        ),
        [x],
        (0,),
    )


def test_every_sample_ignored_on_values() -> None:
    values = [[Value(1.0), Value(2.0)], [Value(-1.0), Value(0.5)]]
    loss = losses.nll([1, 1], values, ignore_index=1)
    loss.backward()
    assert math.isnan(loss.data)
    assert all(v.grad == 0.0 for row in values for v in row)


# --------------------------------------------------------------------------- class axis 1
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("logits", [True, False], ids=["cross_entropy", "nll"])
def test_sparse_cross_entropy_axis_1_on_n_c_d(reduction: str, logits: bool) -> None:
    x = rng.normal(size=(3, 4, 5)) * 2
    x[0, 1, 2] = -INF
    labels = rng.integers(0, 4, (3, 5))
    labels[1, 0] = -100
    w = np.array([0.3, 1.0, 2.0, 0.7])
    kwargs = dict(axis=1, weight=w, ignore_index=-100, reduction=reduction)
    ref = dict(target=torch.tensor(labels), weight=torch.tensor(w), reduction=reduction)
    if logits:
        kwargs["from_logits"] = True
        ours, theirs = (
            lambda x: losses.sparse_categorical_cross_entropy(labels, x, **kwargs),
            lambda x: F.cross_entropy(x, **ref),
        )
    else:
        x = torch.log_softmax(torch.tensor(x), 1).numpy()
        ours, theirs = lambda x: losses.nll(labels, x, **kwargs), lambda x: F.nll_loss(x, **ref)
    compare(ours, theirs, [x], (0,))


def test_n_c_d_with_the_default_axis_says_which_axis_to_pass() -> None:
    x, labels = np.zeros((2, 3, 4)), np.zeros((2, 4), dtype=int)
    for fn in (losses.sparse_categorical_cross_entropy, losses.nll):
        with pytest.raises(ValueError, match=r"shape \(2, 3\).*got shape \(2, 4\).*pass axis=1"):
            fn(labels, x)
    with pytest.raises(ValueError, match=r"got shape \(7,\)$"):  # no axis fits: no hint
        losses.nll(np.zeros(7), x)


# --------------------------------------------------------------------------- KL divergence
@pytest.mark.parametrize("shape", [(4, 5), (2, 3, 5)])
@pytest.mark.parametrize("log_target", [False, True])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_kl_divergence_mean_is_torch_batchmean(
    shape: tuple[int, ...], log_target: bool, reduction: str
) -> None:
    y = simplex(int(np.prod(shape[:-1])), shape[-1]).reshape(shape)
    p = simplex(int(np.prod(shape[:-1])), shape[-1]).reshape(shape)
    if not log_target:  # a zero target: 0·log 0 = 0 (a -inf log target: see the test below)
        y.flat[0] = 0.0
        y /= y.sum(-1, keepdims=True)
    target = np.log(y) if log_target else y
    compare(
        lambda y, p: losses.kl_divergence(y, p, log_target=log_target, reduction=reduction),
        lambda y, p: F.kl_div(
            torch.log(p), y, log_target=log_target, reduction="batchmean" if reduction == "mean" else "sum"
        ),
        [target, p],
        (0, 1) if log_target else (1,),
    )


def test_kl_divergence_issue_repro_3d() -> None:
    """batchmean divides by N = 2, not by the 2·3 distributions (issue 10: 1.8223, not 0.6074)."""
    y, p = simplex(6, 4).reshape(2, 3, 4), simplex(6, 4).reshape(2, 3, 4)
    ours = float(losses.kl_divergence(y, p).data)
    batchmean = F.kl_div(torch.tensor(np.log(p)), torch.tensor(y), reduction="batchmean").item()
    per_distribution = losses.kl_divergence(y, p, reduction="none").data
    assert per_distribution.shape == (2, 3)
    assert (
        ours == pytest.approx(batchmean, rel=1e-12) == pytest.approx(3 * per_distribution.mean(), rel=1e-12)
    )


def test_kl_divergence_log_target_gradient_of_the_target() -> None:
    y, p = simplex(3, 4), simplex(3, 4)
    compare(
        lambda y, p: losses.kl_divergence(y, p, log_target=True),
        lambda y, p: F.kl_div(torch.log(p), y, log_target=True, reduction="batchmean"),
        [np.log(y), p],
        (0, 1),
    )


def test_kl_divergence_log_target_minus_inf_adds_zero() -> None:
    """torch gives nan for a -inf log target (0·(-inf)); here the term is 0 and its gradients 0,
    the value of log_target=False at y = 0. The finite entries' gradients equal torch's."""
    (lt, p), (tlt, tp) = tensors([[-INF, 0.0, -INF]], [[0.2, 0.3, 0.5]])
    ours = losses.kl_divergence(lt, p, log_target=True)
    theirs = F.kl_div(torch.log(tp), tlt, log_target=True, reduction="batchmean")
    assert math.isnan(theirs.item())
    assert float(ours.data) == pytest.approx(-math.log(0.3), rel=1e-12)
    assert float(ours.data) == float(losses.kl_divergence([[0.0, 1.0, 0.0]], [[0.2, 0.3, 0.5]]).data)
    ours.backward()
    theirs.backward()
    np.testing.assert_allclose(p.grad, tp.grad.numpy(), rtol=RTOL)
    np.testing.assert_array_equal(lt.grad[0, [0, 2]], 0.0)
    np.testing.assert_allclose(lt.grad[0, 1], tlt.grad[0, 1].item(), rtol=RTOL)


def test_kl_divergence_1d_is_one_distribution_and_axis_0() -> None:
    """A 1-D input is one distribution: "mean" is its KL (torch's batchmean divides by C)."""
    y, p = simplex(1, 5)[0], simplex(1, 5)[0]
    kl = float((y * np.log(y / p)).sum())
    assert float(losses.kl_divergence(y, p).data) == pytest.approx(kl, rel=1e-12)
    y2, p2 = simplex(3, 4), simplex(3, 4)  # classes on axis 0: N is the length of axis 1
    full = float((y2 * np.log(y2 / p2)).sum())
    assert float(losses.kl_divergence(y2.T, p2.T, axis=0).data) == pytest.approx(full / 3, rel=1e-12)
    assert float(losses.js_divergence(y2.T, p2.T, axis=0).data) == pytest.approx(
        float(losses.js_divergence(y2, p2, reduction="sum").data) / 3, rel=1e-12
    )


def test_kl_divergence_log_target_refuses_probabilities_above_0() -> None:
    with pytest.raises(ValueError, match=r"y_true must be log-probabilities \(log_target=True\).*0\.5"):
        losses.kl_divergence([[0.5, 0.5]], [[0.5, 0.5]], log_target=True)
    with pytest.raises(ValueError, match="pass log_target=True"):
        losses.kl_divergence([[-0.7, -0.7]], [[0.5, 0.5]])


# --------------------------------------------------------------------------- weight in mse / mae / huber
WEIGHTED = [
    ("mse", losses.mse, F.mse_loss),
    ("mae", losses.mae, F.l1_loss),
    (
        "huber",
        lambda y, p, **k: losses.huber(y, p, delta=0.7, **k),
        lambda p, y, **k: F.huber_loss(p, y, delta=0.7, **k),
    ),
]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name, ours, theirs", WEIGHTED, ids=[w[0] for w in WEIGHTED])
def test_weight(name: str, ours, theirs, reduction: str) -> None:
    y, p = rng.normal(size=(4, 3)), rng.normal(size=(4, 3)) * 2
    p[0, 0] = y[0, 0]  # the kink of mae
    w = rng.uniform(0.0, 3.0, (4, 3))
    w[1, 1] = 0.0
    w[2, 0] = -0.5  # torch accepts negative weights
    compare(
        lambda y, p: ours(y, p, weight=w, reduction=reduction),
        lambda y, p: theirs(p, y, weight=torch.tensor(w), reduction=reduction),
        [y, p],
        (0, 1),
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name, ours, theirs", WEIGHTED, ids=[w[0] for w in WEIGHTED])
def test_weight_gradient(name: str, ours, theirs, reduction: str) -> None:
    """A weight that requires grad gets torch's gradient (Σ w in the mean's denominator too)."""
    y, p, w = rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), rng.uniform(0.1, 2.0, (3, 4))
    compare(
        lambda y, p, w: ours(y, p, weight=w, reduction=reduction),
        lambda y, p, w: theirs(p, y, weight=w, reduction=reduction),
        [y, p, w],
        (1, 2),
    )


def test_weight_mean_divides_as_torch_does() -> None:
    """mse/mae "mean" is Σ w·loss / Σ w; huber's is the element mean of w·loss (PyTorch 2.13)."""
    y, p, w = np.zeros(4), np.array([1.0, 2.0, 0.5, 3.0]), np.array([1.0, 2.0, 3.0, 4.0])
    assert float(losses.mse(y, p, weight=w).data) == pytest.approx((w * p**2).sum() / w.sum())
    assert float(losses.mae(y, p, weight=w).data) == pytest.approx((w * p).sum() / w.sum())
    huber = np.where(p < 1, 0.5 * p**2, p - 0.5)
    assert float(losses.huber(y, p, weight=w).data) == pytest.approx((w * huber).mean())


def test_weight_on_values_equals_tensors() -> None:
    y, p, w = [1.0, -2.0, 0.5], [0.5, 1.0, 0.5], [2.0, 1.0, 0.5]
    for fn in (losses.mse, losses.mae, losses.huber):
        values, weights = [Value(v, label="p") for v in p], [Value(v, label="w") for v in w]
        loss = fn(y, values, weight=weights)
        loss.backward()
        x, tw = Tensor(p, requires_grad=True), Tensor(w, requires_grad=True)
        ref = fn(y, x, weight=tw)
        ref.backward()
        assert loss.data == pytest.approx(float(ref.data), rel=1e-12)
        np.testing.assert_allclose([v.grad for v in values], x.grad, rtol=1e-12)
        np.testing.assert_allclose([v.grad for v in weights], tw.grad, rtol=1e-12)


@pytest.mark.parametrize("fn", [losses.mse, losses.mae])
def test_zero_total_weight_mean_is_nan_with_gradient_zero(fn) -> None:
    """Deliberate: torch gives nan gradients (0·(1/0)); here, as for every ignored sample, 0."""
    p = Tensor([1.0, 2.0], requires_grad=True)
    loss = fn([0.0, 0.0], p, weight=[0.0, 0.0])
    loss.backward()
    assert math.isnan(float(loss.data))
    np.testing.assert_array_equal(p.grad, [0.0, 0.0])
    assert float(fn([0.0, 0.0], p, weight=[0.0, 0.0], reduction="sum").data) == 0.0


@pytest.mark.parametrize("fn", [losses.mse, losses.mae, losses.huber])
def test_bad_weight(fn) -> None:
    y, p = np.zeros((2, 3)), np.ones((2, 3))
    name = fn.__name__
    for shape in [(3,), (2, 1), (1, 2, 3), (3, 2)]:  # no broadcasting, as torch
        with pytest.raises(ValueError, match=rf"{name}: weight must have y_pred's shape \(2, 3\).*got shape"):
            fn(y, p, weight=np.ones(shape))
    for bad in [np.nan, INF]:
        w = np.ones((2, 3))
        w[1, 2] = bad
        with pytest.raises(
            ValueError, match=rf"{name}: weight must be finite; got {bad!r} at index \(1, 2\)"
        ):
            fn(y, p, weight=w)
    with pytest.raises(TypeError, match=rf"{name}: weight must be real numbers.*; got text 'heavy'"):
        fn(y, p, weight="heavy")


# --------------------------------------------------------------------------- triplet swap
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("p", [1.0, 2.0, 3.0])
@pytest.mark.parametrize("swap", [False, True])
def test_triplet_swap(reduction: str, p: float, swap: bool) -> None:
    a, pos, neg = (rng.normal(size=(8, 3)) for _ in range(3))
    neg[:3] = pos[:3] + rng.normal(size=(3, 3)) * 0.05  # the swap distance is the smaller one here
    pos[3] = a[3]  # a tie: d(a, neg) == d(pos, neg) splits the gradient as torch.min
    compare(
        lambda a, q, n: losses.triplet(a, q, n, p=p, swap=swap, reduction=reduction),
        lambda a, q, n: F.triplet_margin_loss(a, q, n, p=p, swap=swap, reduction=reduction),
        [a, pos, neg],
        (0, 1, 2),
    )


def test_triplet_swap_changes_the_loss() -> None:
    """The test above can fail: swap picks d(pos, neg) when it is smaller."""
    a, pos, neg = np.array([[0.0, 0.0]]), np.array([[3.0, 0.0]]), np.array([[3.0, 0.5]])
    plain = float(losses.triplet(a, pos, neg, reduction="sum").data)
    swapped = float(losses.triplet(a, pos, neg, swap=True, reduction="sum").data)
    assert swapped - plain == pytest.approx(math.hypot(3.0, 0.5) - 0.5, abs=1e-5)


# --------------------------------------------------------------------------- the same on Values
def _values(a: np.ndarray) -> list:
    return np.vectorize(lambda v: Value(float(v), label="x"), otypes=[object])(a).tolist()


@pytest.mark.parametrize(
    "call, arrays",
    [
        (
            lambda a, q, n: losses.triplet(a, q, n, swap=True, reduction="sum"),
            [
                np.array([[0.0, 0.0], [1.0, 1.0]]),
                np.array([[3.0, 0.0], [1.0, 1.0]]),
                np.array([[3.0, 0.5], [2.0, 0.0]]),
            ],
        ),
        (
            lambda lt, p: losses.kl_divergence(lt, p, log_target=True),
            [
                np.array(
                    [[-INF, math.log(0.4), math.log(0.6)], [math.log(0.2), math.log(0.3), math.log(0.5)]]
                ),
                np.array([[0.2, 0.3, 0.5], [0.6, 0.2, 0.2]]),
            ],
        ),
        (
            lambda x: losses.sparse_categorical_cross_entropy(
                np.array([[0, 2], [1, -100]]), x, from_logits=True, axis=1, ignore_index=-100
            ),
            [np.array([[[0.5, -INF], [-INF, 0.2], [1.0, 0.3]], [[0.1, 0.2], [0.3, -INF], [-INF, 0.0]]])],
        ),
    ],
    ids=["triplet_swap", "kl_log_target", "sparse_axis_1_masked"],
)
def test_new_options_on_values_equal_tensors(call, arrays: list[np.ndarray]) -> None:
    values = [_values(a) for a in arrays]
    loss = call(*values)
    loss.backward()
    tensors_ = [Tensor(a, requires_grad=True) for a in arrays]
    ref = call(*tensors_)
    ref.backward()
    assert loss.data == pytest.approx(float(ref.data), rel=1e-12)
    for v, t in zip(values, tensors_):
        grads = np.vectorize(lambda x: x.grad, otypes=[float])(np.array(v, dtype=object))
        np.testing.assert_allclose(grads, t.grad, rtol=1e-12, atol=1e-15)


def test_bool_and_integer_label_tensors_are_numbers() -> None:
    """A bool or int64 Tensor of labels reads as 0/1 numbers, as an array of them does (torch's
    promotion refuses ``1 - mask`` for a bool tensor: the losses convert first), in the predictions'
    float dtype, and a compiled step reads the labels at every call."""
    import autograd as ag
    import losses as L

    p = ag.tensor(np.array([0.2, 0.7, 0.9], np.float32), requires_grad=True)
    for labels in (ag.tensor([True, False, True]), ag.tensor([1, 0, 1])):
        for loss in (L.binary_cross_entropy, L.binary_focal, L.mse):
            got = loss(labels, p)
            assert got.dtype == np.float32
            assert got.item() == loss(np.array([1.0, 0.0, 1.0], np.float32), p).item()
    step = ag.compile(lambda y: L.binary_focal(y, p))
    for y in ([True, False, True], [False, False, True]):
        assert step(ag.tensor(y)).item() == L.binary_focal(np.array(y, np.float32), p).item()
    assert step.trace_count == 1
