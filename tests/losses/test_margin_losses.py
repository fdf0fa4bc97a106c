"""The margin losses of torch (multi_margin_loss, multilabel_margin_loss, multilabel_soft_margin_loss):
``losses.multiclass_hinge``, ``losses.multilabel_hinge``, ``losses.multilabel_soft_margin`` and their
``autograd.nn`` forms against torch 2.13 in float64 (values and gradients, rtol 1e-12): every shape torch
takes, its conventions (division by C, j != y, p = 2 squares, the target's weight, a term only where
z > 0, index lists cut at the first -1), nan and inf, ties at the hinge, its errors; second
derivatives against finite differences; compiled steps that read new labels at every call; and the
wrong variants that these comparisons catch."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn as tnn
import torch.nn.functional as TF

import autograd
import autograd.nn as nn
import autograd.nn.functional as F
import losses
from autograd import Tensor, ValueArray, gradgradcheck

torch.set_num_threads(1)
RTOL = 1e-12
REDUCTIONS = ("mean", "sum", "none")
rng = np.random.default_rng(913)


def run(fn: Callable[[Any], Any], x: np.ndarray, upstream: np.ndarray | None = None) -> tuple[Any, Any]:
    """``fn`` of ``x`` (a Tensor, or a torch tensor when ``fn`` is torch's) and the gradient of
    ``<upstream, fn(x)>``: both as numpy arrays."""
    torch_side = getattr(fn, "torch", False)
    xt = torch.tensor(x, requires_grad=True) if torch_side else Tensor(x, requires_grad=True)
    out = fn(xt)
    u = np.ones(np.shape(out.detach() if torch_side else out.data)) if upstream is None else upstream
    out.backward(torch.tensor(u) if torch_side else u)
    grad = (
        xt.grad.numpy()
        if torch_side
        else np.asarray(xt.grad.data if isinstance(xt.grad, Tensor) else xt.grad)
    )
    return (out.detach().numpy() if torch_side else out.data), grad


def torch_fn(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    fn.torch = True  # type: ignore[attr-defined]
    return fn


def same(ours: Callable[[Any], Any], theirs: Callable[[Any], Any], x: np.ndarray) -> bool:
    """Whether ours gives torch's value (shape included) and gradient, nan where torch has nan."""
    ref_out, _ = run(theirs, x)
    upstream = rng.uniform(0.5, 1.5, np.shape(ref_out))
    ref_out, ref_grad = run(theirs, x, upstream)
    out, grad = run(ours, x, upstream)
    if np.shape(out) != np.shape(ref_out):
        return False
    return all(
        np.allclose(a, b, rtol=RTOL, atol=0.0, equal_nan=True) and np.array_equal(np.isnan(a), np.isnan(b))
        for a, b in ((out, ref_out), (grad, ref_grad))
    )


def assert_same(ours: Callable[[Any], Any], theirs: Callable[[Any], Any], x: np.ndarray) -> None:
    ref_out, _ = run(theirs, x)
    upstream = rng.uniform(0.5, 1.5, np.shape(ref_out))
    ref_out, ref_grad = run(theirs, x, upstream)
    out, grad = run(ours, x, upstream)
    assert np.shape(out) == np.shape(ref_out)
    np.testing.assert_allclose(out, ref_out, rtol=RTOL, atol=0.0, err_msg="value")
    np.testing.assert_allclose(grad, ref_grad, rtol=RTOL, atol=0.0, err_msg="gradient")


# --------------------------------------------------------------------------- multi_margin_loss
#: (input shape, target shape): torch's (N, C) with (N,), a single sample (C,) with () or (1,),
#: (1, C) with (), a number (one class) with () or (1,)
MULTI_SHAPES = [((6, 4), (6,)), ((4,), ()), ((4,), (1,)), ((1, 4), ()), ((), ()), ((), (1,)), ((5, 1), (5,))]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("p", [1, 2])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("margin", [1.0, 0.3, -0.5])
@pytest.mark.parametrize("shapes", MULTI_SHAPES, ids=str)
def test_multi_margin_loss_equals_torch(shapes, margin, weighted, p, reduction) -> None:
    shape, target_shape = shapes
    c = shape[-1] if shape else 1
    x = rng.normal(size=shape) * 1.5
    k = rng.integers(0, c, target_shape)
    w = rng.uniform(0.2, 2.0, c) if weighted else None
    options = {"p": p, "margin": margin, "reduction": reduction}
    assert_same(
        lambda x: F.multi_margin_loss(x, k, weight=None if w is None else Tensor(w), **options),
        torch_fn(
            lambda x: TF.multi_margin_loss(
                x, torch.tensor(k), weight=None if w is None else torch.tensor(w), **options
            )
        ),
        x,
    )
    assert_same(  # the truth-first loss is the same definition
        lambda x: losses.multiclass_hinge(k, x, weight=w, **options),
        torch_fn(
            lambda x: TF.multi_margin_loss(
                x, torch.tensor(k), weight=None if w is None else torch.tensor(w), **options
            )
        ),
        x,
    )


@pytest.mark.parametrize("p", [1, 2])
def test_multi_margin_ties_nan_inf_and_odd_weights_as_torch(p: int) -> None:
    nan, inf = math.nan, math.inf
    x = np.array(
        [
            [1.0, 0.0, 0.5, 2.0],  # label 0: z = 0 exactly at j = 1 (no term, gradient 0), z = 2 at j = 3
            [nan, 0.0, 2.5, 0.1],  # a nan score elsewhere adds 0, with gradient 0
            [0.2, nan, 0.3, 0.4],  # the label's score is nan: every z is nan, the loss 0
            [inf, 0.0, 2.5, -inf],  # an inf score: an infinite term, finite gradient for p = 1
            [0.3, inf, 0.1, 0.0],  # the label's score is inf: every z is -inf, no term
            [inf, inf, 0.0, 1.0],  # z = inf - inf = nan at j = 0
            [0.5, 0.4, 1.2, -0.3],  # its label's weight is 0: active terms times 0
            [0.5, 0.4, 1.2, -0.3],  # its label's weight is inf: inf where active, 0 (not 0 · inf) elsewhere
        ]
    )
    k = np.array([0, 1, 1, 1, 1, 1, 3, 2])
    for w in (None, np.array([1.0, 0.5, inf, 0.0])):
        tw = None if w is None else torch.tensor(w)
        assert_same(
            lambda x, w=w: F.multi_margin_loss(x, k, p=p, weight=w, reduction="none"),
            torch_fn(
                lambda x, tw=tw: TF.multi_margin_loss(x, torch.tensor(k), p=p, weight=tw, reduction="none")
            ),
            x,
        )


def test_multi_margin_a_nan_or_inf_weight_of_an_inactive_sample_adds_nothing() -> None:
    x = np.array([[5.0, 0.0, 0.1], [0.0, 0.0, 3.0]])  # sample 0: no active term
    k = np.array([0, 2])
    for bad in (math.nan, math.inf):
        w = np.array([bad, 1.0, 2.0])
        ours = F.multi_margin_loss(Tensor(x), k, weight=w, reduction="none").data
        theirs = TF.multi_margin_loss(
            torch.tensor(x), torch.tensor(k), weight=torch.tensor(w), reduction="none"
        )
        np.testing.assert_array_equal(ours, theirs.numpy())
        assert ours[0] == 0.0


def test_multi_margin_extreme_margins_as_torch() -> None:
    x = rng.normal(size=(4, 3))
    k = np.array([0, 1, 2, 0])
    for margin in (math.inf, -math.inf, 1e300):
        assert_same(
            lambda x, m=margin: F.multi_margin_loss(x, k, margin=m, reduction="none"),
            torch_fn(
                lambda x, m=margin: TF.multi_margin_loss(x, torch.tensor(k), margin=m, reduction="none")
            ),
            x,
        )


def test_multi_margin_is_cs231n_svm_loss_divided_by_c() -> None:
    """CS231n's multiclass SVM loss, Σ_{j≠y} max(0, s_j - s_y + 1), on its worked example, over C."""
    scores = np.array([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]])  # (cat, car, frog) per image
    labels = np.array([0, 1, 2])
    expected = np.array([2.9, 0.0, 12.9]) / 3  # the notes' 2.9, 0 and 12.9 (their mean 5.27), over C
    np.testing.assert_allclose(
        losses.multiclass_hinge(labels, scores, reduction="none").data, expected, rtol=1e-14
    )
    assert losses.multiclass_hinge(labels, scores).item() == pytest.approx((2.9 + 12.9) / 3 / 3, rel=1e-14)


# --------------------------------------------------------------------------- multilabel_margin_loss
def index_lists(n: int, c: int) -> np.ndarray:
    """Random index lists (repeats in some), each padded with -1 and junk after it (not read)."""
    t = np.full((n, c), -1)
    for i in range(n):
        m = int(rng.integers(0, c + 1))
        t[i, :m] = rng.choice(c, m, replace=bool(i % 2))
        if m + 1 < c:
            t[i, m + 1 :] = rng.integers(-1, c, c - m - 1)
    return t


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", [(7, 5), (5,), (), (1, 5), (4, 1), (3, 2)], ids=str)
def test_multilabel_margin_loss_equals_torch(shape, reduction) -> None:
    c = shape[-1] if shape else 1
    for _ in range(3):
        x = rng.normal(size=shape)
        t = index_lists(shape[0] if len(shape) == 2 else 1, c).reshape(shape)
        assert_same(
            lambda x, t=t: F.multilabel_margin_loss(x, t, reduction=reduction),
            torch_fn(lambda x, t=t: TF.multilabel_margin_loss(x, torch.tensor(t), reduction=reduction)),
            x,
        )


def test_multilabel_margin_repeats_cut_ties_nan_inf_as_torch() -> None:
    nan, inf = math.nan, math.inf
    x = np.array(
        [
            [1.0, 0.0, 0.5, 2.0],
            [1.0, 0.0, 0.5, 2.0],
            [nan, 0.0, 0.3, 1.0],
            [0.0, inf, -inf, 1.0],
            [inf, 0.0, inf, 0.0],
            [0.2, 0.3, 0.4, 0.5],
        ]
    )
    t = np.array(
        [
            [0, 0, -1, 3],  # class 0 listed twice counts twice; 3 after the -1 is not a label; z = 0 at j = 1
            [-1, 0, 1, 2],  # nothing before the -1: loss 0
            [1, -1, -1, -1],  # a nan score: no term
            [1, 2, -1, 0],
            [0, -1, 2, 2],  # z = inf - inf = nan at j = 2
            [0, 1, 2, 3],  # every class a label: loss 0
        ]
    )
    assert_same(
        lambda x: F.multilabel_margin_loss(x, t, reduction="none"),
        torch_fn(lambda x: TF.multilabel_margin_loss(x, torch.tensor(t), reduction="none")),
        x,
    )


# --------------------------------------------------------------------------- multilabel_soft_margin_loss
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weight_shape", [None, "C", "full", "N1"])
@pytest.mark.parametrize("shape", [(6, 5), (5,), (2, 3, 4)], ids=str)
def test_multilabel_soft_margin_loss_equals_torch(shape, weight_shape, reduction) -> None:
    x = rng.normal(size=shape) * 4
    y = np.where(rng.uniform(size=shape) < 0.5, 1.0, 0.0)
    y.flat[0] = 0.3  # soft targets are taken, as torch
    w = {
        None: None,
        "C": rng.uniform(0.2, 2.0, shape[-1]),
        "full": rng.uniform(0.2, 2.0, shape),
        "N1": rng.uniform(0.2, 2.0, shape[:-1] + (1,)),
    }[weight_shape]
    tw = None if w is None else torch.tensor(w)
    for target in ("constant", "trained"):
        if target == "constant":
            assert_same(
                lambda x: F.multilabel_soft_margin_loss(x, y, weight=w, reduction=reduction),
                torch_fn(
                    lambda x: TF.multilabel_soft_margin_loss(
                        x, torch.tensor(y), weight=tw, reduction=reduction
                    )
                ),
                x,
            )
        else:  # the gradient with respect to the target, torch's too
            assert_same(
                lambda y: F.multilabel_soft_margin_loss(Tensor(x), y, weight=w, reduction=reduction),
                torch_fn(
                    lambda y: TF.multilabel_soft_margin_loss(
                        torch.tensor(x), y, weight=tw, reduction=reduction
                    )
                ),
                y,
            )


def test_multilabel_soft_margin_is_stable_and_nan_inf_as_torch() -> None:
    nan, inf = math.nan, math.inf
    x = np.array(
        [[1000.0, -1000.0, 745.0, -745.0, 40.0], [inf, -inf, nan, 0.0, -40.0], [inf, -inf, 1.0, 2.0, 3.0]]
    )
    y = np.array([[0.0, 1.0, 0.0, 1.0, 0.0], [1.0, 0.0, 1.0, 0.5, 1.0], [0.0, 1.0, 1.0, 0.0, 1.0]])
    assert_same(
        lambda x: F.multilabel_soft_margin_loss(x, y, reduction="none"),
        torch_fn(lambda x: TF.multilabel_soft_margin_loss(x, torch.tensor(y), reduction="none")),
        x,
    )
    row = F.multilabel_soft_margin_loss(Tensor(x[:1]), y[:1], reduction="none").data
    np.testing.assert_allclose(
        row, [(1000 + 1000 + 745 + 745 + 40 + math.log1p(math.exp(-40))) / 5], rtol=1e-15
    )


# --------------------------------------------------------------------------- modules, legacy arguments
def test_loss_modules_equal_torch() -> None:
    k, t = rng.integers(0, 4, 5), index_lists(5, 4)
    y = np.where(rng.uniform(size=(5, 4)) < 0.5, 1.0, 0.0)
    w = rng.uniform(0.2, 2.0, 4)
    pairs = [
        (
            nn.MultiMarginLoss(p=2, margin=0.5, weight=Tensor(w)),
            tnn.MultiMarginLoss(2, 0.5, torch.tensor(w)),
            k,
        ),
        (nn.MultiMarginLoss(reduction="none"), tnn.MultiMarginLoss(reduction="none"), k),
        (nn.MultiLabelMarginLoss(reduction="sum"), tnn.MultiLabelMarginLoss(reduction="sum"), t),
        (nn.MultiLabelSoftMarginLoss(weight=Tensor(w)), tnn.MultiLabelSoftMarginLoss(torch.tensor(w)), y),
    ]
    for ours, theirs, target in pairs:
        assert repr(ours) == repr(theirs)
        assert_same(
            lambda x, f=ours, t=target: f(x, t),
            torch_fn(lambda x, f=theirs, t=target: f(x, torch.tensor(t))),
            rng.normal(size=(5, 4)),
        )


@pytest.mark.parametrize("size_average, reduce", [(False, None), (None, False), (True, True)])
def test_legacy_size_average_and_reduce_as_torch(size_average, reduce) -> None:
    k, x = rng.integers(0, 4, 5), rng.normal(size=(5, 4))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for ours, theirs, target in [
            (F.multi_margin_loss, TF.multi_margin_loss, k),
            (F.multilabel_margin_loss, TF.multilabel_margin_loss, index_lists(5, 4)),
            (F.multilabel_soft_margin_loss, TF.multilabel_soft_margin_loss, (x > 0).astype(float)),
        ]:
            assert_same(
                lambda x, f=ours, t=target: f(x, t, size_average=size_average, reduce=reduce),
                torch_fn(
                    lambda x, f=theirs, t=target: f(
                        x, torch.tensor(t), size_average=size_average, reduce=reduce
                    )
                ),
                x,
            )
    with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
        nn.MultiLabelMarginLoss(size_average, reduce)


# --------------------------------------------------------------------------- errors
def torch_error(fn: Callable[[], Any]) -> str:
    with pytest.raises(Exception) as info:
        fn()
    return str(info.value).splitlines()[0]


X24 = np.zeros((2, 4))


@pytest.mark.parametrize(
    "ours, theirs, names",
    [
        (  # a label out of range (also a negative one)
            lambda: F.multi_margin_loss(X24, np.array([0, 4])),
            lambda: TF.multi_margin_loss(torch.tensor(X24), torch.tensor([0, 4])),
            ["multiclass_hinge: y_true", "[0, 3]", "got 4.0 at index (1,)"],
        ),
        (
            lambda: F.multi_margin_loss(X24, np.array([-1, 0])),
            lambda: TF.multi_margin_loss(torch.tensor(X24), torch.tensor([-1, 0])),
            ["got -1.0 at index (0,)"],
        ),
        (  # one label per sample
            lambda: F.multi_margin_loss(X24, np.array([[0], [1]])),
            lambda: TF.multi_margin_loss(torch.tensor(X24), torch.tensor([[0], [1]])),
            ["multiclass_hinge: y_true", "shape (2,)", "got shape (2, 1)"],
        ),
        (
            lambda: F.multi_margin_loss(np.zeros((2, 3, 4)), np.array([0, 1])),
            lambda: TF.multi_margin_loss(torch.zeros(2, 3, 4), torch.tensor([0, 1])),
            ["multiclass_hinge: y_pred", "(C,) or (N, C)", "got shape (2, 3, 4)"],
        ),
        (  # no classes
            lambda: F.multi_margin_loss(np.zeros((2, 0)), np.array([0, 1])),
            lambda: TF.multi_margin_loss(torch.zeros(2, 0), torch.tensor([0, 1])),
            ["got shape (2, 0)"],
        ),
        (
            lambda: F.multi_margin_loss(X24, np.array([0, 1]), weight=np.ones(3)),
            lambda: TF.multi_margin_loss(torch.tensor(X24), torch.tensor([0, 1]), weight=torch.ones(3)),
            ["multiclass_hinge: weight", "shape (4,)", "got shape (3,)"],
        ),
        (
            lambda: F.multilabel_margin_loss(X24, np.array([[0, 4, -1, 0], [0, -1, 0, 0]])),
            lambda: TF.multilabel_margin_loss(
                torch.tensor(X24), torch.tensor([[0, 4, -1, 0], [0, -1, 0, 0]])
            ),
            ["multilabel_hinge: y_true", "[0, 3] padded with -1", "got 4.0 at index (0, 1)"],
        ),
        (  # checked after the first -1 too, as torch
            lambda: F.multilabel_margin_loss(X24, np.array([[0, -1, -2, 0], [0, -1, 0, 0]])),
            lambda: TF.multilabel_margin_loss(
                torch.tensor(X24), torch.tensor([[0, -1, -2, 0], [0, -1, 0, 0]])
            ),
            ["got -2.0 at index (0, 2)"],
        ),
        (
            lambda: F.multilabel_margin_loss(X24, np.array([[0, 1, -1], [0, 1, -1]])),
            lambda: TF.multilabel_margin_loss(torch.tensor(X24), torch.tensor([[0, 1, -1], [0, 1, -1]])),
            ["multilabel_hinge: y_true and y_pred", "got y_true shape (2, 3) and y_pred shape (2, 4)"],
        ),
        (
            lambda: F.multilabel_margin_loss(np.zeros(4), np.array([[0, 1, -1, 0]])),
            lambda: TF.multilabel_margin_loss(torch.zeros(4), torch.tensor([[0, 1, -1, 0]])),
            ["got y_true shape (1, 4) and y_pred shape (4,)"],
        ),
        (
            lambda: F.multilabel_margin_loss(np.zeros((2, 3, 4)), np.zeros((2, 3, 4), dtype=int)),
            lambda: TF.multilabel_margin_loss(torch.zeros(2, 3, 4), torch.zeros(2, 3, 4, dtype=torch.long)),
            ["multilabel_hinge: y_pred", "got shape (2, 3, 4)"],
        ),
    ],
)
def test_shape_and_range_errors_are_torchs(ours, theirs, names) -> None:
    """Also a RuntimeError, as torch raises, with torch's message inside ours, and ours names the
    argument, what was expected and what came in."""
    theirs_message = torch_error(theirs)
    with pytest.raises(RuntimeError) as info:
        ours()
    assert isinstance(info.value, ValueError)
    message = str(info.value)
    assert f"({theirs_message}" in message or theirs_message in message, (theirs_message, message)
    for part in names:
        assert part in message, (part, message)


def test_option_errors_as_torch() -> None:
    k = np.array([0, 1])
    with pytest.raises(ValueError, match=r"only p == 1 and p == 2 supported.*got 3"):
        F.multi_margin_loss(X24, k, p=3)
    with pytest.raises(ValueError, match=r"only p == 1 and p == 2 supported"):
        nn.MultiMarginLoss(p=3)
    with pytest.raises(ValueError, match=r"expected weight to be None or 1D tensor, got 2D instead"):
        nn.MultiMarginLoss(weight=Tensor(np.ones((1, 4))))
    with pytest.raises(
        ValueError, match=r"multiclass_hinge: weight must be one-dimensional.*got shape \(1, 4\)"
    ):
        F.multi_margin_loss(X24, k, weight=np.ones((1, 4)))
    with pytest.raises(ValueError, match=r"multiclass_hinge: reduction must be one of"):
        F.multi_margin_loss(X24, k, reduction="avg")
    with pytest.raises(ValueError, match=r"multiclass_hinge: margin must be a real number; got 'a'"):
        F.multi_margin_loss(X24, k, margin="a")
    with pytest.raises(ValueError, match=r"multiclass_hinge: y_true must be class labels.*got 0.5"):
        F.multi_margin_loss(X24, np.array([0.5, 1.0]))
    with pytest.raises(
        ValueError, match=r"multilabel_soft_margin: y_true and y_pred must have the same shape"
    ):
        F.multilabel_soft_margin_loss(X24, np.ones((2, 5)))
    with pytest.raises(ValueError, match=r"multilabel_soft_margin: weight must broadcast.*got shape \(3,\)"):
        F.multilabel_soft_margin_loss(X24, np.ones((2, 4)), weight=np.ones(3))
    message = torch_error(lambda: TF.multilabel_soft_margin_loss(torch.tensor(1.0), torch.tensor(1.0)))
    with pytest.raises(RuntimeError, match=message):
        F.multilabel_soft_margin_loss(1.0, 1.0)


# --------------------------------------------------------------------------- second derivatives
def test_second_derivatives_against_finite_differences() -> None:
    """torch has no double backward for multi_margin_loss and multilabel_margin_loss; here they are
    the engine's, checked against finite differences of the gradient (p = 2: 2·w_k/C on active
    pairs; p = 1 and the multi-label hinge: 0), and the soft margin's against torch's too."""
    s = np.array([[0.0, 0.3, 1.6], [2.0, -0.8, 0.35], [0.9, 0.1, -1.4], [-0.3, 1.2, 0.45]])  # no z near 0
    k, t = np.array([0, 2, 1, 2]), np.array([[0, -1, 2], [2, 0, -1], [1, 1, -1], [-1, 0, 1]])
    w = np.array([0.5, 2.0, 1.5])
    for f in (
        lambda x: losses.multiclass_hinge(k, x, p=2, margin=0.5, weight=w, reduction="sum"),
        lambda x: losses.multiclass_hinge(k, x, reduction="none"),
        lambda x: losses.multilabel_hinge(t, x, reduction="none"),
    ):
        assert gradgradcheck(f, Tensor(s, requires_grad=True))
    y = rng.uniform(size=(4, 3))
    assert gradgradcheck(
        lambda x, y: losses.multilabel_soft_margin(y, x, weight=w, reduction="none"),
        Tensor(s * 3, requires_grad=True),
        Tensor(y, requires_grad=True),
    )
    # the Hessian-vector product of the squared hinge, in closed form
    x = Tensor(s, requires_grad=True)
    (g,) = autograd.grad(
        losses.multiclass_hinge(k, x, p=2, margin=0.5, weight=w, reduction="sum"), [x], create_graph=True
    )
    v = rng.normal(size=s.shape)
    (hv,) = autograd.grad((g * Tensor(v)).sum(), [x])
    z = 0.5 - s[np.arange(4), k][:, None] + s
    active = (z > 0) & (np.arange(3) != k[:, None])
    dz = v - v[np.arange(4), k][:, None]  # z's change along v
    d = 2 * w[k][:, None] * active * dz / 3
    expected = d.copy()
    expected[np.arange(4), k] = -d.sum(1)
    np.testing.assert_allclose(np.asarray(hv.data), expected, rtol=1e-12, atol=1e-15)
    # and the soft margin's Hessian-vector product equals torch's double backward
    xt = torch.tensor(s * 3, requires_grad=True)
    (gt,) = torch.autograd.grad(
        TF.multilabel_soft_margin_loss(xt, torch.tensor(y), weight=torch.tensor(w)), [xt], create_graph=True
    )
    (hvt,) = torch.autograd.grad((gt * torch.tensor(v)).sum(), [xt])
    x = Tensor(s * 3, requires_grad=True)
    (g,) = autograd.grad(losses.multilabel_soft_margin(y, x, weight=w), [x], create_graph=True)
    (hv,) = autograd.grad((g * Tensor(v)).sum(), [x])
    np.testing.assert_allclose(np.asarray(hv.data), hvt.numpy(), rtol=1e-12, atol=1e-15)


def test_values_give_the_tensor_numbers() -> None:
    """The Value path (drawable graphs) computes the same losses and gradients."""
    s, k, t = rng.normal(size=(3, 4)), np.array([0, 3, 1]), index_lists(3, 4)
    for f in (
        lambda x: losses.multiclass_hinge(k, x, p=2, weight=np.array([1.0, 2.0, 0.5, 1.5]), reduction="none"),
        lambda x: losses.multilabel_hinge(t, x, reduction="none"),
        lambda x: losses.multilabel_soft_margin((s > 0).astype(float), x, reduction="none"),
    ):
        xt, xv = Tensor(s, requires_grad=True), ValueArray(s)
        out_t, out_v = f(xt), f(xv)
        np.testing.assert_allclose(out_v.data, out_t.data, rtol=1e-14)
        out_t.sum().backward()
        out_v.sum().backward()
        np.testing.assert_allclose(xv.grad, xt.grad.data, rtol=1e-14, atol=1e-16)


# --------------------------------------------------------------------------- compiled steps
def test_compiled_steps_read_new_labels_without_tracing_again_and_refuse_bad_ones() -> None:
    lin = nn.Linear(4, 3).double()
    step = autograd.compile(
        lambda x, k, t: F.multi_margin_loss(lin(x), k, p=2) + F.multilabel_margin_loss(lin(x), t)
    )
    for _ in range(4):
        x = Tensor(rng.normal(size=(5, 4)))
        k, t = autograd.tensor(rng.integers(0, 3, 5)), autograd.tensor(index_lists(5, 3))
        got = step(x, k, t).item()
        grads = [p.grad.data.copy() for p in lin.parameters()]
        lin.zero_grad()
        want = F.multi_margin_loss(lin(x), k, p=2) + F.multilabel_margin_loss(lin(x), t)
        want.backward()
        assert got == want.item()
        for g, p in zip(grads, lin.parameters()):
            np.testing.assert_array_equal(g, p.grad.data)
        lin.zero_grad()
    assert step.trace_count == 1
    with pytest.raises(RuntimeError, match=r"multiclass_hinge: y_true.*target out of range.*got 3"):
        step(x, autograd.tensor(np.array([0, 1, 2, 3, 0])), t)
    with pytest.raises(RuntimeError, match=r"multilabel_hinge: y_true.*out of range.*got 3"):
        step(x, k, autograd.tensor(np.array([[3, -1, 0]] * 5)))


# --------------------------------------------------------------------------- the checks catch wrong variants
def _wrong_multi_margin(variant: str) -> Callable[..., Any]:
    """torch's multi_margin_loss with one convention changed, written on engine operations."""

    def loss(x: Tensor, k: np.ndarray, p: int, margin: float, w: np.ndarray) -> Tensor:
        n, c = x.shape
        picked = np.arange(c) == k[:, None]
        z = (margin - x.where(picked, 0.0).sum(1).reshape(n, 1)) + x
        keep = (z.data > 0) & (~picked if variant != "j == y counted" else True)
        terms = (
            z.where(keep, 0.0)
            if variant != "clip (gradient 1 at z = 0)"
            else z.clip(min=0.0).where(~picked, 0.0)
        )
        terms = terms * terms if p == 2 and variant != "p = 2 not squared" else terms
        weight = w[None, :] if variant == "weight of class j" else w[k][:, None]
        out = (terms * weight).sum(1)
        return (out if variant == "no division by C" else out / c).mean()

    return loss


@pytest.mark.parametrize(
    "variant",
    [
        "none",
        "j == y counted",
        "no division by C",
        "p = 2 not squared",
        "weight of class j",
        "clip (gradient 1 at z = 0)",
    ],
)
def test_the_comparison_with_torch_catches_a_wrong_variant(variant: str) -> None:
    x = np.array([[1.0, 0.0, 0.5, 2.0], [0.3, 1.2, -0.4, 0.1], [2.0, 1.5, 0.2, 0.9]])  # z = 0 at (0, 1)
    k, w = np.array([0, 1, 3]), np.array([0.5, 1.0, 2.0, 1.5])
    wrong = _wrong_multi_margin(variant)
    agrees = same(
        lambda x: wrong(x, k, 2, 1.0, w),
        torch_fn(lambda x: TF.multi_margin_loss(x, torch.tensor(k), p=2, weight=torch.tensor(w))),
        x,
    ) and same(
        lambda x: wrong(x, k, 1, 1.0, w),
        torch_fn(lambda x: TF.multi_margin_loss(x, torch.tensor(k), p=1, weight=torch.tensor(w))),
        x,
    )
    assert agrees == (variant == "none")


@pytest.mark.parametrize("variant", ["none", "all non-negative entries", "repeats once", "log of sigmoid"])
def test_the_multilabel_comparisons_catch_a_wrong_variant(variant: str) -> None:
    if variant == "log of sigmoid":
        x = np.array([[40.0, -800.0, 1.0]])
        y = np.array([[0.0, 1.0, 1.0]])

        def naive(x: Tensor) -> Tensor:
            return -(Tensor(y) * x.sigmoid().log() + (1 - Tensor(y)) * (-x).sigmoid().log()).sum(-1) / 3

        ok = same(
            naive, torch_fn(lambda x: TF.multilabel_soft_margin_loss(x, torch.tensor(y), reduction="none")), x
        )
        assert not ok
        assert same(
            lambda x: F.multilabel_soft_margin_loss(x, y, reduction="none"),
            torch_fn(lambda x: TF.multilabel_soft_margin_loss(x, torch.tensor(y), reduction="none")),
            x,
        )
        return
    x = np.array([[0.2, 0.1, 0.7, -0.3], [0.4, 0.0, 0.9, 0.5]])
    t = np.array([[1, 1, -1, 2], [0, -1, 3, 1]])
    read = {
        "none": t,
        "all non-negative entries": np.array([[1, 1, 2, -1], [0, 3, 1, -1]]),
        "repeats once": np.array([[1, -1, 2, 0], [0, -1, 3, 1]]),
    }[variant]
    agrees = same(
        lambda x: F.multilabel_margin_loss(x, read, reduction="none"),
        torch_fn(lambda x: TF.multilabel_margin_loss(x, torch.tensor(t), reduction="none")),
        x,
    )
    assert agrees == (variant == "none")
