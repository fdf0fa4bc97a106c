"""MyGrad's ``tests/nnet``: activations, losses and layers, in torch's spelling
(``autograd.nn.functional`` as ``F``, and the ``losses`` package), with MyGrad's draws.

Mapped onto torch (each a difference in mygrad_harness.DIFFERENCES where the numbers differ):
``elu``/``leaky_relu`` take a number for ``alpha``/``slope`` (MyGrad also takes an array or a
Tensor); ``hard_tanh(x, lower_bound, upper_bound)`` is ``F.hardtanh(x, min_val, max_val)``, which
refuses ``min_val > max_val`` (drawn ordered here); ``softmax``/``logsoftmax`` take an int or a
tuple ``dim`` (torch: an int); ``softmax_crossentropy`` is ``F.cross_entropy``;
``negative_log_likelihood`` is ``F.nll_loss``
(a weighted mean); ``multiclass_hinge`` is ``F.multi_margin_loss`` and ``losses.multiclass_hinge``
(both divide by C); ``margin_ranking_loss`` is ``F.margin_ranking_loss`` with the labels as a
column for 2-d scores (torch broadcasts from the right); ``focal_loss``/``softmax_focal_loss`` are
``losses.categorical_focal`` (truth first, one-hot, ``reduction="none"``, ``from_logits``), on
probabilities (MyGrad's forward test draws scores up to 100 and clips ``1 - p`` at 0: not a
probability); ``batchnorm`` is ``F.batch_norm(training=True)``, which refuses one value per channel
(as torch); ``conv_nd`` is ``F.conv1d/2d/3d``; ``max_pool`` is ``F.max_pool1d/2d/3d``.
MyGrad's GRU is Cho et al.'s cell, not torch's: not ported (DIFFERENCES).
"""

from __future__ import annotations

import sys
from typing import Any

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import assume, given
from mygrad_harness import (
    SETTINGS,
    backprop_test_factory,
    fwdprop_test_factory,
    numerical_gradient_full,
    valid_axes,
)
from numpy.testing import assert_allclose

import autograd as ag
import autograd.nn.functional as F
import losses
from autograd import Tensor

_reasonable_floats = st.floats(-100, 100)
_big = np.log(sys.float_info.max)


def _away_from_zero(x: Any, **kwargs: Any) -> bool:
    return bool(np.all(np.abs(np.asarray(x)) > 1e-8))


# ----------------------------------------------------------------------------- activations
def _np_elu(x: Any, alpha: float) -> Any:
    return np.where(x < 0, alpha * (np.exp(x) - 1), x)


def _np_leaky_relu(x: Any, negative_slope: float) -> Any:
    slope = negative_slope
    return (
        np.maximum(x, 0) + slope * np.minimum(x, 0) if np.isrealobj(x) else np.where(x.real > 0, x, slope * x)
    )


_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
_selu_bound = np.log(sys.float_info.max / (_SELU_ALPHA * _SELU_SCALE))


def _np_selu(x: Any) -> Any:
    return _SELU_SCALE * np.where(
        x.real < 0 if np.iscomplexobj(x) else x < 0, _SELU_ALPHA * (np.exp(x) - 1), x
    )


def _np_relu(x: Any) -> Any:
    return np.where(np.real(x) > 0, x, 0)


def _np_soft_sign(x: Any) -> Any:
    return x / (1 + np.abs(x))


def _np_hard_tanh(x: Any, min_val: float, max_val: float) -> Any:
    return np.maximum(np.minimum(x, max_val), min_val)


def _hard_tanh_bounds(x: Any) -> st.SearchStrategy[dict[str, float]]:
    finite = st.floats(allow_infinity=False, allow_nan=False)
    return st.tuples(finite, finite).map(sorted).map(lambda b: {"min_val": b[0], "max_val": b[1]})


def _glu_shape() -> st.SearchStrategy[tuple[int, ...]]:
    def even(shape: tuple[int, ...], index: int, side: int) -> tuple[int, ...]:
        if any(n % 2 == 0 for n in shape):
            return shape
        return tuple(2 * side if i == index % len(shape) else n for i, n in enumerate(shape))

    return st.builds(even, hnp.array_shapes(), st.integers(0, 31), st.integers(0, 3))


def _glu_dim(x: Any) -> st.SearchStrategy[dict[str, int]]:
    return st.sampled_from([i for i, n in enumerate(x.shape) if n % 2 == 0]).map(lambda d: {"dim": d})


def _np_glu(x: Any, dim: int) -> Any:
    a, b = np.split(x, 2, axis=dim)
    return a * (1 / (1 + np.exp(-b)))


_glu_bound = np.sqrt(_big)

ACTIVATIONS: list[Any] = [
    # id, ours, numpy, factory keywords (both tests), backward-only keywords
    (
        "elu",
        F.elu,
        _np_elu,
        {"index_to_bnds": {0: (-_big / 100, _big / 100)}, "kwargs": {"alpha": lambda x: _reasonable_floats}},
        {"assumptions": _away_from_zero},  # the kink at 0: DIFFERENCES["elu at 0"]
    ),
    (
        "glu",
        F.glu,
        _np_glu,
        {
            "index_to_bnds": {0: (-_glu_bound, _glu_bound)},
            "kwargs": _glu_dim,
            "index_to_arr_shapes": {0: _glu_shape()},
        },
        {"vary_each_element": True},
    ),
    ("hardtanh", F.hardtanh, _np_hard_tanh, {"kwargs": _hard_tanh_bounds}, {"assumptions": None}),
    (
        "leaky_relu",
        F.leaky_relu,
        _np_leaky_relu,
        {"kwargs": {"negative_slope": lambda x: _reasonable_floats}},
        {"assumptions": _away_from_zero},
    ),
    ("relu", F.relu, _np_relu, {}, {"assumptions": _away_from_zero}),
    ("selu", F.selu, _np_selu, {"index_to_bnds": {0: (-_selu_bound, _selu_bound)}}, {}),
    ("sigmoid", ag.sigmoid, lambda x: 1 / (1 + np.exp(-x)), {"index_to_bnds": {0: (-_big, 1e300)}}, {}),
    (
        "softsign",
        F.softsign,
        _np_soft_sign,
        {},
        {"assumptions": _away_from_zero, "atol": 1e-5, "use_finite_difference": True, "h": 1e-8},
    ),
]


def _not_on_bounds(x: Any, min_val: float, max_val: float) -> bool:
    return bool(np.all((x != min_val) & (x != max_val)))


@pytest.mark.parametrize(("ours", "ref", "kw"), [pytest.param(*a[1:4], id=a[0]) for a in ACTIVATIONS])
def test_activation_fwd(ours: Any, ref: Any, kw: dict[str, Any]) -> None:
    fwdprop_test_factory(mygrad_func=ours, true_func=ref, num_arrays=1, permit_0d_array_as_float=False, **kw)(
        test_activation_fwd
    )()


@pytest.mark.parametrize(
    ("ours", "ref", "kw", "bkwd"), [pytest.param(*a[1:], id=a[0]) for a in ACTIVATIONS if a[0] != "hardtanh"]
)
def test_activation_bkwd(ours: Any, ref: Any, kw: dict[str, Any], bkwd: dict[str, Any]) -> None:
    backprop_test_factory(mygrad_func=ours, true_func=ref, num_arrays=1, **kw, **bkwd)(test_activation_bkwd)()


@backprop_test_factory(
    mygrad_func=F.hardtanh,
    true_func=_np_hard_tanh,
    num_arrays=1,
    kwargs=_hard_tanh_bounds,
    assumptions=_not_on_bounds,
)
def test_hard_tanh_bkwd() -> None:
    pass


def numpy_softmax(x: Any, dim: int) -> Any:
    x = np.asarray(x)
    x = np.exp(x - x.real.max(dim, keepdims=True))
    return x / x.sum(dim, keepdims=True)


def numpy_logsoftmax(x: Any, dim: int) -> Any:
    return np.log(numpy_softmax(x, dim))


def _one_dim(x: Any) -> st.SearchStrategy[dict[str, Any]]:
    """MyGrad's valid_axes: an int or a non-empty tuple (DIFFERENCES["softmax over several axes"])."""
    return _softmax_dims(x.ndim).map(lambda d: {"dim": d})


def _softmax_dims(ndim: int) -> st.SearchStrategy[Any]:
    return valid_axes(ndim, permit_none=False, min_dim=1) if ndim else st.sampled_from([0, -1])


#: softmax and log-softmax with MyGrad's domains (log-softmax: [-10, 10])
_SOFTMAXES = pytest.mark.parametrize(
    ("ours", "ref", "bounds"),
    [
        pytest.param(F.softmax, numpy_softmax, {}, id="softmax"),
        pytest.param(F.log_softmax, numpy_logsoftmax, {"index_to_bnds": {0: (-10, 10)}}, id="logsoftmax"),
    ],
)


@_SOFTMAXES
def test_softmax_fwd(ours: Any, ref: Any, bounds: dict[str, Any]) -> None:
    fwdprop_test_factory(
        mygrad_func=ours,
        true_func=ref,
        num_arrays=1,
        kwargs=_one_dim,
        permit_0d_array_as_float=False,
        **bounds,
    )(test_softmax_fwd)()


@_SOFTMAXES
def test_softmax_bkwd(ours: Any, ref: Any, bounds: dict[str, Any]) -> None:
    backprop_test_factory(
        mygrad_func=ours, true_func=ref, num_arrays=1, kwargs=_one_dim, vary_each_element=True, **bounds
    )(test_softmax_bkwd)()


@pytest.mark.parametrize("log", [False, True])
@SETTINGS
@given(
    x=hnp.arrays(shape=hnp.array_shapes(min_dims=0), dtype=np.float64, elements=st.floats(-_big, _big)),
    data=st.data(),
)
def test_softmax_numerical_stability(log: bool, x: np.ndarray, data: st.DataObject) -> None:
    dim = data.draw(_softmax_dims(x.ndim), label="dim")
    out = (F.log_softmax if log else F.softmax)(Tensor(x), dim).numpy()
    out = np.exp(out) if log else out
    assert np.all((0 <= out) & (out <= 1)), out
    assert_allclose(out.sum(axis=dim), 1.0)


SKEW = np.array(
    [
        [0.87566484, 0.53596079, 0.85693981, 0.09526036],
        [0.32024455, 0.81532148, 0.2480434, 0.85119342],
        [0.57943085, 0.33958252, 0.95864464, 0.22881712],
    ]
)
STATIC = {  # MyGrad's test_static_(log)softmax1d/2d: (function, rows, value, gradient) from theano
    "softmax1d": (F.softmax, 1, 0.33911235096116465, [[0.01720112, 0.01715422, 0.12266443, -0.15701977]]),
    "softmax2d": (
        F.softmax,
        3,
        1.449875865467131,
        [
            [0.01720112, 0.01715422, 0.12266443, -0.15701977],
            [-0.01179518, 0.01108053, -0.10425844, 0.10497309],
            [0.00502799, -0.00723393, 0.12698131, -0.12477536],
        ],
    ),
    "logsoftmax1d": (
        F.log_softmax,
        1,
        -5.596387676353177,
        [[0.79988389, 0.3299668, 0.29699009, -1.42684078]],
    ),
    "logsoftmax2d": (
        F.log_softmax,
        3,
        -13.722895761739732,
        [
            [0.79988389, 0.3299668, 0.29699009, -1.42684078],
            [0.24859989, 0.62057111, -0.281343, -0.587828],
            [0.5119002, 0.15601518, 0.45965687, -1.12757225],
        ],
    ),
}


@pytest.mark.parametrize("name", STATIC)
def test_static_softmax(name: str) -> None:
    fn, rows, value, dx = STATIC[name]
    x = Tensor(np.arange(4.0 * rows).reshape(rows, 4), requires_grad=True)
    skew = SKEW[:rows]
    if rows == 1:
        x, skew = Tensor(np.arange(4.0), requires_grad=True), SKEW[0]
    f = (fn(x, -1) * Tensor(skew)).sum()
    assert_allclose(f.item(), value)
    f.backward()
    assert_allclose(x.grad.numpy(), np.asarray(dx).reshape(x.shape), atol=1e-5, rtol=1e-5)


# ----------------------------------------------------------------------------- losses
@st.composite
def _targets(draw: Any, scores: Any, name: str = "target") -> dict[str, Any]:
    out = np.array(
        draw(st.lists(st.integers(0, scores.shape[1] - 1), min_size=len(scores), max_size=len(scores)))
    )
    return {name: Tensor(out, dtype=ag.int64) if draw(st.booleans()) else out}


def _labels(y: Any) -> np.ndarray:
    return np.asarray(y.numpy() if isinstance(y, Tensor) else y, dtype=np.int64)


def _cross_entropy(x: Any, target: Any) -> Any:
    return F.cross_entropy(x, ag.as_tensor(_labels(target)))


def numpy_cross_entropy(x: Any, target: Any) -> Any:
    rows = np.arange(len(x))
    return -np.mean(numpy_logsoftmax(x, 1)[rows, _labels(target)])


_SCORES = {0: hnp.array_shapes(min_dims=2, max_dims=2)}


@fwdprop_test_factory(
    mygrad_func=_cross_entropy,
    true_func=numpy_cross_entropy,
    index_to_arr_shapes=_SCORES,
    index_to_bnds={0: (1e-14, 100)},
    num_arrays=1,
    kwargs=_targets,
)
def test_softmax_crossentropy_fwd() -> None:
    pass


@backprop_test_factory(
    mygrad_func=_cross_entropy,
    true_func=numpy_cross_entropy,
    index_to_arr_shapes=_SCORES,
    index_to_bnds={0: (1e-14, 100)},
    num_arrays=1,
    kwargs=_targets,
    vary_each_element=True,
)
def test_softmax_crossentropy_bkwd() -> None:
    pass


def _nll_args(s: Any) -> st.SearchStrategy[dict[str, Any]]:
    target = hnp.arrays(
        shape=(s.shape[0],), dtype=np.int64, elements=st.integers(min_value=0, max_value=s.shape[1] - 1)
    )
    weight = st.none() | hnp.arrays(shape=(s.shape[1],), dtype=float, elements=st.floats(1e-8, 100))
    return st.fixed_dictionaries({"target": target, "weight": weight})


def _nll(x: Any, target: Any, weight: Any) -> Any:
    return F.nll_loss(x, ag.as_tensor(target), weight=None if weight is None else Tensor(weight))


def numpy_nll(x: Any, target: Any, weight: Any = None) -> Any:
    """torch's nll_loss: the weighted mean (MyGrad's divides by N: DIFFERENCES["weighted nll"])."""
    w = np.ones(x.shape[1]) if weight is None else weight
    return -np.sum(x[np.arange(len(target)), target] * w[target]) / np.sum(w[target])


@fwdprop_test_factory(
    num_arrays=1, index_to_arr_shapes=_SCORES, mygrad_func=_nll, true_func=numpy_nll, kwargs=_nll_args
)
def test_nll_fwd() -> None:
    pass


@backprop_test_factory(
    num_arrays=1,
    index_to_arr_shapes=_SCORES,
    mygrad_func=_nll,
    true_func=numpy_nll,
    kwargs=_nll_args,
    vary_each_element=True,
)
def test_nll_bkwd() -> None:
    pass


def _scores_and_labels(data: st.DataObject) -> tuple[np.ndarray, np.ndarray]:
    s = data.draw(
        hnp.arrays(
            shape=hnp.array_shapes(max_side=10, min_dims=2, max_dims=2),
            dtype=float,
            elements=st.floats(-100, 100),
        ),
        label="scores",
    )
    y = data.draw(
        hnp.arrays(shape=(s.shape[0],), dtype=np.int64, elements=st.integers(0, s.shape[1] - 1)),
        label="labels",
    )
    return s, y


@SETTINGS
@given(data=st.data())
def test_negative_log_likelihood_vs_softmax_cross_entropy(data: st.DataObject) -> None:
    s, y = _scores_and_labels(data)
    scores, ce_scores = Tensor(s, requires_grad=True), Tensor(s, requires_grad=True)
    nll = F.nll_loss(ag.log(F.softmax(scores, 1)), Tensor(y))
    nll.backward()
    ce = F.cross_entropy(ce_scores, Tensor(y))
    ce.backward()
    assert_allclose(nll.item(), ce.item(), atol=1e-5, rtol=1e-5)
    assert_allclose(scores.grad.numpy(), ce_scores.grad.numpy(), atol=1e-5, rtol=1e-5)


@SETTINGS
@given(data=st.data())
def test_softmax_crossentropy_via_elementary_ops(data: st.DataObject) -> None:
    s, y = _scores_and_labels(data)
    scores, ours = Tensor(s, requires_grad=True), Tensor(s, requires_grad=True)
    F.cross_entropy(scores, Tensor(y)).backward()
    truth = np.zeros(s.shape)
    truth[np.arange(len(y)), y] = 1
    cross = (-1 / s.shape[0]) * (ag.log(F.softmax(ours, 1)) * Tensor(truth)).sum()
    cross.backward()
    assert_allclose(scores.grad.numpy(), ours.grad.numpy(), atol=1e-5, rtol=1e-5)


@SETTINGS
@given(data=st.data())
def test_multiclass_hinge(data: st.DataObject) -> None:
    """MyGrad's test_multiclass_hinge: the built-in against the hinge built of elementary ops, here
    times C (torch's multi_margin_loss and losses.multiclass_hinge divide by the number of classes)."""
    s, y = _scores_and_labels(data)
    c = s.shape[1]
    rows = np.arange(len(y))
    margins = s - s[rows, y][:, None] + 1.0
    assume(np.all(margins != 0))  # the hinge's kink
    ref = Tensor(s, requires_grad=True)
    lij = ref - ref[rows, y][:, None] + 1.0
    mask = (lij.detach().numpy() > 0).astype(float)
    mask[rows, y] = 0
    ref_loss = (lij * Tensor(mask)).sum() / s.shape[0]
    ref_loss.backward()
    for hinge in (lambda t: F.multi_margin_loss(t, Tensor(y)), lambda t: losses.multiclass_hinge(y, t)):
        t = Tensor(s, requires_grad=True)
        loss = hinge(t) * c
        loss.backward()
        assert_allclose(loss.item(), ref_loss.item(), rtol=1e-9, atol=1e-9)
        assert_allclose(t.grad.numpy() * 1.0, ref.grad.numpy(), rtol=1e-9, atol=1e-9)


@SETTINGS
@given(
    shape=hnp.array_shapes(min_dims=1, max_dims=2),
    margin=st.floats(0, 1000),
    labels_as_tensor=st.booleans(),
    data=st.data(),
)
def test_ranked_margin(
    shape: tuple[int, ...], margin: float, labels_as_tensor: bool, data: st.DataObject
) -> None:
    x1 = data.draw(hnp.arrays(shape=shape, dtype=float, elements=st.floats(-1000, 1000)), label="x1")
    x2 = data.draw(hnp.arrays(shape=shape, dtype=float, elements=st.floats(-1000, 1000)), label="x2")
    y = data.draw(
        st.sampled_from((-1.0, 1.0))
        | hnp.arrays(shape=shape[:1], dtype=float, elements=st.sampled_from((-1.0, 1.0))),
        label="y",
    )
    y_col = np.asarray(y).reshape(-1, 1) if np.ndim(y) and x1.ndim == 2 else np.asarray(y)
    assume(np.all(margin - y_col * (x1 - x2) != 0))  # the hinge's kink (torch: clamp_min's 1, max's 1/2)
    x1_copy, x2_copy = x1.copy(), x2.copy()
    t1, t2 = Tensor(x1, requires_grad=True), Tensor(x2, requires_grad=True)
    target = Tensor(y_col) if labels_as_tensor or np.ndim(y) else Tensor(np.asarray(y))
    loss = F.margin_ranking_loss(t1, t2, target.expand(t1.shape), margin=margin)
    d1, d2 = Tensor(x1, requires_grad=True), Tensor(x2, requires_grad=True)
    simple = ag.mean(ag.maximum(ag.zeros(()), margin - Tensor(y_col) * (d1 - d2)))
    assert_allclose(loss.item(), simple.item(), err_msg="losses don't match")
    loss.backward()
    simple.backward()
    assert_allclose(t1.grad.numpy(), d1.grad.numpy(), err_msg="x1.grad doesn't match")
    assert_allclose(t2.grad.numpy(), d2.grad.numpy(), err_msg="x2.grad doesn't match")
    np.testing.assert_array_equal(x1, x1_copy)
    np.testing.assert_array_equal(x2, x2_copy)


def _focal_kwargs(scores: Any) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "target": _targets(scores).map(lambda d: d["target"]),
            "alpha": st.floats(-2, 2),
            "gamma": st.floats(1e-14, 10) | st.sampled_from([0.0, 1.0]),
        }
    )


def _one_hot(target: Any, c: int) -> np.ndarray:
    return np.eye(c)[_labels(target)]


def _focal(x: Any, target: Any, alpha: float, gamma: float, from_logits: bool = False) -> Any:
    one_hot = _one_hot(target, x.shape[1])
    return losses.categorical_focal(
        one_hot, x, gamma=gamma, alpha=alpha, from_logits=from_logits, reduction="none"
    )


def numpy_focal_loss(scores: Any, target: Any, alpha: float, gamma: float, from_logits: bool = False) -> Any:
    pc = numpy_focal_loss_p(scores, target, from_logits)
    return -alpha * (1 - pc) ** gamma * np.log(pc)


def _below_one(from_logits: bool) -> Any:
    def below_one(x: Any, target: Any, **kwargs: Any) -> bool:
        return bool(np.all(numpy_focal_loss_p(x, target, from_logits) < 1))

    return below_one


def numpy_focal_loss_p(scores: Any, target: Any, from_logits: bool) -> Any:
    if from_logits:
        scores = numpy_softmax(scores, 1)
    return scores[np.arange(len(scores)), _labels(target)]


def _softmax_focal(x: Any, target: Any, alpha: float, gamma: float) -> Any:
    return _focal(x, target, alpha, gamma, from_logits=True)


def numpy_softmax_focal_loss(scores: Any, target: Any, alpha: float, gamma: float) -> Any:
    return numpy_focal_loss(scores, target, alpha, gamma, from_logits=True)


@pytest.mark.parametrize(
    ("ours", "ref", "bounds"),
    [
        pytest.param(_focal, numpy_focal_loss, (1e-14, 1), id="focal"),
        pytest.param(_softmax_focal, numpy_softmax_focal_loss, (-10, 10), id="softmax_focal"),
    ],
)
def test_focal_fwd(ours: Any, ref: Any, bounds: tuple[float, float]) -> None:
    fwdprop_test_factory(
        mygrad_func=ours,
        true_func=ref,
        index_to_arr_shapes=_SCORES,
        index_to_bnds={0: bounds},
        num_arrays=1,
        kwargs=_focal_kwargs,
        atol=1e-7,
        rtol=1e-7,
    )(test_focal_fwd)()


@pytest.mark.parametrize(
    ("ours", "ref", "bounds", "logits"),
    [
        pytest.param(_focal, numpy_focal_loss, (1e-14, 1), False, id="focal"),
        pytest.param(_softmax_focal, numpy_softmax_focal_loss, (1e-14, 1), True, id="softmax_focal"),
    ],
)
def test_focal_bkwd(ours: Any, ref: Any, bounds: tuple[float, float], logits: bool) -> None:
    """Drawn with p_y < 1: at p_y = 1 and gamma < 1 the engine's gradient is nan where MyGrad's (and
    the one-sided derivative) is 0 (test_mygrad_findings.py, open)."""
    backprop_test_factory(
        assumptions=_below_one(logits),
        mygrad_func=ours,
        true_func=ref,
        index_to_arr_shapes=_SCORES,
        index_to_bnds={0: bounds},
        num_arrays=1,
        kwargs=_focal_kwargs,
        vary_each_element=True,
        # MyGrad's 1e-8: (1 - p)^gamma for p within 1e-14 of 1 and a small gamma is steep
        rtol=1e-6,
        atol=1e-6,
    )(test_focal_bkwd)()


# ----------------------------------------------------------------------------- batchnorm
def numpy_batchnorm(x: Any, weight: Any = None, bias: Any = None, eps: float = 0.0) -> Any:
    """MyGrad's simple_batchnorm in NumPy (the biased variance, over every axis but 1)."""
    axes = tuple(i for i in range(x.ndim) if i != 1)
    shape = tuple(n if i == 1 else 1 for i, n in enumerate(x.shape))
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    norm = (x - mean) / np.sqrt(var + eps)
    if weight is not None:
        norm = norm * np.reshape(weight, shape)
    if bias is not None:
        norm = norm + np.reshape(bias, shape)
    return norm


def _batch_norm(x: Any, eps: float, weight: Any = None, bias: Any = None) -> Any:
    return F.batch_norm(x, None, None, weight=weight, bias=bias, training=True, eps=eps)


def _more_than_one_per_channel(x: Any, **kwargs: Any) -> bool:
    """torch refuses one value per channel in training (MyGrad normalises it to 0)."""
    return x.size // x.shape[1] > 1 if x.shape[1] else True


_BN_SHAPES = {0: hnp.array_shapes(min_dims=2, max_dims=4)}


@fwdprop_test_factory(
    mygrad_func=_batch_norm,
    true_func=numpy_batchnorm,
    num_arrays=1,
    index_to_arr_shapes=_BN_SHAPES,
    kwargs=lambda x: st.fixed_dictionaries({"eps": st.floats(1e-20, 1e0)}),
    assumptions=_more_than_one_per_channel,
    atol=1e-5,
)
def test_batchnorm_fwd() -> None:
    pass


@backprop_test_factory(
    mygrad_func=_batch_norm,
    true_func=numpy_batchnorm,
    num_arrays=1,
    index_to_arr_shapes=_BN_SHAPES,
    kwargs=lambda x: st.fixed_dictionaries({"eps": st.floats(1e-10, 1e0, allow_subnormal=False)}),
    assumptions=_more_than_one_per_channel,
    vary_each_element=True,
    atol=1e-3,
    rtol=1e-5,
)
def test_batchnorm_bkwd() -> None:
    pass


@SETTINGS
@given(
    x=hnp.arrays(shape=hnp.array_shapes(min_dims=2, max_dims=4), dtype=float, elements=st.floats(-100, 100)),
    data=st.data(),
)
def test_batchnorm(x: np.ndarray, data: st.DataObject) -> None:
    """MyGrad's test_batchnorm: with drawn affine parameters, values and all three gradients against
    the complex step of the NumPy reference."""
    assume(_more_than_one_per_channel(x))
    affine = hnp.arrays(shape=x.shape[1:2], dtype=float, elements=st.floats(-10, 10))
    gamma = data.draw(st.none() | affine, label="gamma")
    beta = data.draw(st.none() | affine, label="beta")
    t = Tensor(x, requires_grad=True)
    g = None if gamma is None else Tensor(gamma, requires_grad=True)
    b = None if beta is None else Tensor(beta, requires_grad=True)
    y = _batch_norm(t, 1e-10, g, b)
    assert_allclose(y.detach().numpy(), numpy_batchnorm(x, gamma, beta, 1e-10), atol=1e-4, rtol=1e-4)
    grad = data.draw(hnp.arrays(shape=y.shape, dtype=float, elements=st.floats(-10, 10)), label="grad")
    y.backward(Tensor(grad))

    names = [n for n, a in (("x", x), ("gamma", gamma), ("beta", beta)) if a is not None]

    def ref(*args: Any) -> Any:
        kw = dict(zip(names, args))
        return numpy_batchnorm(kw["x"], kw.get("gamma"), kw.get("beta"), 1e-10)

    args = [a for a in (x, gamma, beta) if a is not None]
    expected = numerical_gradient_full(ref, *args, back_grad=grad)
    for tensor, want in zip([a for a in (t, g, b) if a is not None], expected):
        assert_allclose(tensor.grad.numpy(), want, atol=1e-4, rtol=1e-4)


# ----------------------------------------------------------------------------- conv_nd
def get_outshape(x_shape: Any, w_shape: Any, stride: Any, dilation: Any) -> tuple[int, ...] | None:
    """MyGrad's: the output's spatial shape, or None where the windows do not tile the input."""
    out = (np.array(x_shape) - ((np.array(w_shape) - 1) * np.array(dilation) + 1)) / np.array(stride) + 1
    if not all(i.is_integer() and i > 0 for i in out):
        return None
    return tuple(int(i) for i in out)


def conv_bank(x: Any, w: Any, stride: Any, dilation: Any = None, padding: Any = 0) -> Any:
    """MyGrad's conv_bank (cross-correlation of every filter with every image), complex-capable."""
    nd = x.ndim - 2
    padding = (padding,) * nd if isinstance(padding, int) else tuple(padding)
    stride = (stride,) * nd if isinstance(stride, int) else tuple(stride)
    dilation = (
        (1,) * nd if dilation is None else ((dilation,) * nd if isinstance(dilation, int) else dilation)
    )
    if sum(padding):
        x = np.pad(x, tuple((p, p) for p in (0, 0, *padding)), mode="constant")
    out_shape = get_outshape(x.shape[2:], w.shape[2:], stride, dilation)
    out = np.empty((len(x), len(w), *out_shape), dtype=np.result_type(x, w))
    for ind in np.ndindex(*out_shape):
        window = (slice(None), slice(None)) + tuple(
            slice(i * s, i * s + k * d, d) for i, k, s, d in zip(ind, w.shape[2:], stride, dilation)
        )
        out[(slice(None), slice(None), *ind)] = x[window].reshape(len(x), -1) @ w.reshape(len(w), -1).T
    return out


def conv_nd(x: Any, w: Any, stride: Any, dilation: Any = 1, padding: Any = 0) -> Any:
    return getattr(F, f"conv{x.ndim - 2}d")(x, w, stride=stride, padding=padding, dilation=dilation)


def test_convnd_fwd_trivial() -> None:
    x = Tensor(np.arange(1, 5).reshape(1, 1, 4).astype(float))
    k = Tensor(-1 * np.arange(1, 3).reshape(1, 1, 2).astype(float))
    assert_allclose(conv_nd(x, k, stride=(2,)).numpy(), [[[-5.0, -11.0]]])
    x = Tensor(np.arange(1, 13).reshape(1, 1, 3, 4).astype(float))
    k = Tensor(-1 * np.arange(1, 5).reshape(1, 1, 2, 2).astype(float))
    assert_allclose(conv_nd(x, k, stride=(1, 2)).numpy(), [[[[-44.0, -64.0], [-84.0, -104.0]]]])


@fwdprop_test_factory(
    mygrad_func=conv_nd,
    true_func=conv_bank,
    num_arrays=2,
    index_to_arr_shapes={0: (4, 5, 7), 1: (2, 5, 3)},
    kwargs={"stride": (1,), "dilation": (1,)},
    index_to_bnds={0: (-10, 10), 1: (-10, 10)},
    permit_0d_array_as_float=False,
)
def test_conv_1d_fwd() -> None:
    pass


@backprop_test_factory(
    mygrad_func=conv_nd,
    true_func=conv_bank,
    num_arrays=2,
    index_to_arr_shapes={0: (2, 1, 7), 1: (2, 1, 3)},
    kwargs={"stride": (1,)},
    index_to_bnds={0: (-10, 10), 1: (-10, 10)},
    vary_each_element=True,
)
def test_conv_1d_bkwd() -> None:
    pass


def _conv_case(data: st.DataObject, max_side: int) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """MyGrad's test_conv_ND draws: 1-3 spatial dims, padding, window, stride, dilation (exact tilings)."""
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, max_side=max_side), label="shape")
    num_filters, num_batch, num_channel = (data.draw(st.integers(1, 3)) for _ in range(3))
    img_shape = (num_batch, num_channel) + shape
    padding = data.draw(st.integers(0, 2) | st.tuples(*[st.integers(0, 2)] * len(shape)), label="padding")
    pads = padding if isinstance(padding, tuple) else (padding,) * len(shape)
    padded = tuple(s + 2 * p for s, p in zip(shape, pads))
    win_shape = data.draw(st.tuples(*(st.integers(1, s) for s in padded)), label="win_shape")
    stride = data.draw(st.tuples(*(st.integers(1, s) for s in padded)), label="stride")
    max_dilation = np.array(padded) // win_shape
    dilation = data.draw(st.tuples(*(st.integers(1, int(s)) for s in max_dilation)), label="dilation")
    assume(get_outshape(padded, win_shape, stride, dilation) is not None)
    kernels = data.draw(
        hnp.arrays(dtype=float, shape=(num_filters, num_channel, *win_shape), elements=st.floats(-10, 10))
    )
    x = data.draw(hnp.arrays(dtype=float, shape=img_shape, elements=st.floats(-10, 10)), label="x")
    return x, kernels, {"stride": stride, "dilation": dilation, "padding": padding}


@SETTINGS
@given(data=st.data())
def test_conv_ND_fwd(data: st.DataObject) -> None:  # noqa: N802 (MyGrad's name)
    x, kernels, conf = _conv_case(data, max_side=10)
    ours = conv_nd(Tensor(x), Tensor(kernels), **conf).numpy()
    assert_allclose(ours, conv_bank(x, kernels, **conf), atol=1e-6, rtol=1e-6)


@SETTINGS
@given(data=st.data())
def test_conv_ND_bkwd(data: st.DataObject) -> None:  # noqa: N802 (MyGrad's name)
    x, kernels, conf = _conv_case(data, max_side=6)
    tx, tk = Tensor(x, requires_grad=True), Tensor(kernels, requires_grad=True)
    out = conv_nd(tx, tk, **conf)
    grad = data.draw(hnp.arrays(shape=out.shape, dtype=float, elements=st.floats(-10, 10)), label="grad")
    out.backward(Tensor(grad))
    dx, dk = numerical_gradient_full(lambda a, b: conv_bank(a, b, **conf), x, kernels, back_grad=grad)
    assert_allclose(tx.grad.numpy(), dx, atol=1e-6, rtol=1e-6)
    assert_allclose(tk.grad.numpy(), dk, atol=1e-6, rtol=1e-6)


# ----------------------------------------------------------------------------- max_pool
POOL_X = np.array(
    [
        [[17, 10, 15, 28, 25, 23], [44, 26, 18, 16, 39, 34], [5, 42, 36, 0, 2, 46], [30, 20, 1, 31, 35, 43]],
        [[6, 7, 45, 27, 11, 8], [37, 4, 41, 22, 9, 33], [47, 3, 13, 32, 21, 38], [19, 12, 40, 24, 14, 29]],
    ],
    dtype=float,
)


def _max_pool(x: Tensor, pool: tuple[int, ...], stride: tuple[int, ...]) -> Tensor:
    """MyGrad's max_pool (over the last len(pool) axes) as torch's max_poolNd."""
    nd = len(pool)
    lead = x.ndim - nd
    batch = x.reshape(-1, 1, *x.shape[lead:]) if lead != 1 else x
    out = getattr(F, f"max_pool{nd}d")(batch, pool, stride)
    return out.reshape(*x.shape[:lead], *out.shape[-nd:])


def test_1d_case() -> None:
    x = Tensor(POOL_X, requires_grad=True)
    out = _max_pool(x, (3,), (1,))
    out.backward(Tensor(np.arange(out.numel(), dtype=float).reshape(out.shape)))
    fwd = [
        [[17, 28, 28, 28], [44, 26, 39, 39], [42, 42, 36, 46], [30, 31, 35, 43]],
        [[45, 45, 45, 27], [41, 41, 41, 33], [47, 32, 32, 38], [40, 40, 40, 29]],
    ]
    bkwd = [
        [[0, 0, 0, 6, 0, 0], [4, 5, 0, 0, 13, 0], [0, 17, 10, 0, 0, 11], [12, 0, 0, 13, 14, 15]],
        [[0, 0, 51, 19, 0, 0], [0, 0, 63, 0, 0, 23], [24, 0, 0, 51, 0, 27], [0, 0, 87, 0, 0, 31]],
    ]
    assert_allclose(out.detach().numpy(), fwd)
    assert_allclose(x.grad.numpy(), bkwd)


def test_2d_case() -> None:
    x = Tensor(POOL_X, requires_grad=True)
    out = _max_pool(x, (2, 3), (2, 1))
    out.sum().backward()
    fwd = [[[44, 28, 39, 39], [42, 42, 36, 46]], [[45, 45, 45, 33], [47, 40, 40, 38]]]
    bkwd = [
        [[0, 0, 0, 1, 0, 0], [1, 0, 0, 0, 2, 0], [0, 2, 1, 0, 0, 1], [0, 0, 0, 0, 0, 0]],
        [[0, 0, 3, 0, 0, 0], [0, 0, 0, 0, 0, 1], [1, 0, 0, 0, 0, 1], [0, 0, 2, 0, 0, 0]],
    ]
    assert_allclose(out.detach().numpy(), fwd)
    assert_allclose(x.grad.numpy(), bkwd)


def test_3d_case() -> None:
    x = Tensor(
        np.array(
            [
                [
                    [33, 27, 47, 11, 7, 36],
                    [20, 18, 9, 2, 3, 17],
                    [45, 31, 24, 12, 25, 19],
                    [28, 1, 8, 16, 34, 14],
                ],
                [
                    [37, 39, 40, 41, 21, 13],
                    [35, 15, 6, 4, 23, 30],
                    [43, 46, 32, 10, 26, 42],
                    [38, 5, 44, 29, 0, 22],
                ],
            ],
            dtype=float,
        ),
        requires_grad=True,
    )
    out = _max_pool(x, (2, 2, 2), (1, 1, 2))
    out.backward(Tensor(np.arange(out.numel(), dtype=float).reshape(out.shape)))
    assert_allclose(out.detach().numpy(), [[[39, 47, 36], [46, 32, 42], [46, 44, 42]]])
    bkwd = np.zeros((2, 4, 6))
    bkwd[0, 0, [2, 5]] = [1, 2]
    bkwd[1, 2, [1, 2, 5]] = [9, 4, 13]
    bkwd[1, 3, 2] = 7
    assert_allclose(x.grad.numpy(), bkwd)


def numpy_max_pool(x: Any, pool: tuple[int, ...], stride: tuple[int, ...]) -> Any:
    nd = len(pool)
    spatial = x.shape[-nd:]
    out_shape = tuple((n - p) // s + 1 for n, p, s in zip(spatial, pool, stride))
    out = np.empty(x.shape[:-nd] + out_shape, dtype=x.dtype)
    for ind in np.ndindex(*out_shape):
        window = tuple(slice(i * s, i * s + p) for i, s, p in zip(ind, stride, pool))
        block = x[(..., *window)].reshape(*x.shape[:-nd], -1)
        out[(..., *ind)] = np.take_along_axis(block, np.argmax(block.real, axis=-1)[..., None], -1)[..., 0]
    return out


@st.composite
def _pool_kwargs(draw: Any, x: Any) -> dict[str, Any]:
    nd = draw(st.integers(1, min(3, x.ndim - 1)))
    spatial = x.shape[-nd:]
    pool = tuple(draw(st.integers(1, n)) for n in spatial)
    stride = tuple(draw(st.integers(1, n)) for n in spatial)
    assume(all((n - p) % s == 0 for n, p, s in zip(spatial, pool, stride)))  # MyGrad's exact tiling
    return {"pool": pool, "stride": stride}


_POOL = {0: hnp.array_shapes(min_dims=2, max_dims=4, max_side=4)}


@fwdprop_test_factory(
    mygrad_func=_max_pool,
    true_func=numpy_max_pool,
    num_arrays=1,
    index_to_arr_shapes=_POOL,
    kwargs=_pool_kwargs,
    permit_0d_array_as_float=False,
)
def test_max_pool_fwd() -> None:
    """Max pooling of 1-3 trailing axes against a NumPy loop (MyGrad's own hypothesis cases)."""


@backprop_test_factory(
    mygrad_func=_max_pool,
    true_func=numpy_max_pool,
    num_arrays=1,
    index_to_arr_shapes=_POOL,
    kwargs=_pool_kwargs,
    index_to_unique={0: True},
    vary_each_element=True,
)
def test_max_pool_bkwd() -> None:
    pass
