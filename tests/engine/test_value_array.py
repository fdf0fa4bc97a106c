"""ValueArray (an array of Values) and Tensor give the same values and gradients for the same code."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from engine_helpers import close

import autograd as ag
from autograd import Tensor, Value, ValueArray

RNG = np.random.default_rng(7)
X = RNG.normal(size=(4, 3))
W = RNG.normal(size=(3, 5))
LABELS = np.array([0, 4, 4, 2])
MASK = RNG.random((4, 5)) > 0.5
# identical up to the order of floating-point additions (numpy sums pairwise, Values one by one)
SAME = {"rtol": 1e-13, "atol": 1e-14}


def composite(x, w, where):
    """A loss touching every composite op: matmul, maximum, where, log_softmax, indexing, logsumexp, mean."""
    h = x @ w
    h = h.maximum(0.1 * h)  # leaky relu via maximum
    h = where(MASK, h, h * h)
    logp = h.log_softmax(-1)
    nll = -logp[np.arange(4), LABELS].mean()
    return nll + 0.5 * h.logsumexp(0).mean() + (x.tanh() ** 2).mean(axis=1).sum() - h.min() * 0.01


def _run_both(fn, *arrays):
    vas = [ValueArray(a) for a in arrays]
    ts = [Tensor(a, requires_grad=True) for a in arrays]
    out_v, out_t = fn(*vas), fn(*ts)
    assert out_v.shape == out_t.shape
    close(out_v.data, out_t.data, **SAME)
    seed = np.cos(np.arange(out_t.numel())).reshape(out_t.shape) + 1.0
    if out_t.numel() == 1:
        out_v.backward()
        out_t.backward()
        seed = np.ones(out_t.shape)
    else:
        (out_v * seed).sum().backward()
        out_t.backward(seed)
    for va, t in zip(vas, ts):
        close(va.grad, t.grad, **SAME)
    return out_v, out_t


def test_composite_expression_identical() -> None:
    out_v, out_t = _run_both(
        lambda x, w: composite(x, w, ag.where if isinstance(x, Tensor) else lambda c, a, b: a.where(c, b)),
        X,
        W,
    )
    assert isinstance(out_v.to_value(), Value)
    assert np.isfinite(out_t.data) and out_t.data != 0


OPS = {
    "add": lambda x: x + x[0] + 1.5,
    "radd/rsub/rmul/rdiv": lambda x: 2 - (3 * x) / (1 + x * x) + (1 / (2 + x.abs())),
    "pow": lambda x: (x * x + 0.5) ** 1.5 + 2**x + (x * x + 1) ** x,
    "unary": lambda x: (
        x.exp() + (x * x + 1).log() + (x * x).log1p() + (x * x + 1).sqrt() + x.tanh() + x.sigmoid()
    ),
    "piecewise": lambda x: x.relu() + x.abs() + abs(x) + x.softplus() + x.clip(-0.5, 0.5) + -x,
    "maximum/minimum": lambda x: x.maximum(x.T.T * 0.5) + x.minimum(0.2) + x.maximum(x[::-1]),
    "sum/mean": lambda x: x.sum(0) + x.mean(axis=0) + x.sum(axis=(0, 1), keepdims=True) + x.mean(),
    "max/min": lambda x: x.max(1) + x.min(1) + x.max(),
    "logsumexp": lambda x: x.logsumexp(0, keepdims=True) + x.logsumexp(-1, keepdims=True).T.sum(),
    "softmax": lambda x: x.softmax(0) * x.log_softmax(-1),
    "matmul": lambda x: x @ W + (x.T @ x).sum() + x[0] @ x[1] + (x @ W[:, 0])[:, None],
    "index": lambda x: (
        x[np.array([0, 0, 3])][:, 1:] + x[x.data > 0].sum() + x[1, 2] + x[np.arange(4), [0, 1, 2, 2]][:2]
    ),
    "reshape/transpose": lambda x: x.reshape(3, 4).T + x.reshape((4, 3)) + x.transpose((0, 1))
    + x.reshape(3, 4).transpose(0, 1),  # (a tuple: numpy's permutation; two ints: torch's swap)
}


@pytest.mark.parametrize("name", list(OPS))
def test_each_op_identical(name: str) -> None:
    _run_both(OPS[name], X)


@pytest.mark.parametrize(
    "x,axis",
    [
        (np.array([2.0, 2.0, 2.0]), None),
        (np.array([[0.1, 0.3, 0.3, 0.3], [5.0, -1.0, 5.0, 2.0], [1.0, 2.0, 3.0, 4.0]]), 1),
        (np.array([[0.1, 0.3, 0.3, 0.3], [5.0, -1.0, 5.0, 2.0], [1.0, 2.0, 3.0, 4.0]]), 0),
        (np.array([[[7.0, 7.0], [1.0, 7.0]], [[7.0, 0.0], [7.0, 7.0]]]), (0, 2)),
    ],
)
def test_ties_in_max_split_the_gradient_evenly_like_torch(x: np.ndarray, axis) -> None:
    weights = np.random.default_rng(0).normal(size=np.max(x, axis=axis).shape)
    for keepdims in (False, True):
        va, t = ValueArray(x), Tensor(x, requires_grad=True)
        out = va.max(axis, keepdims)
        (out * np.reshape(weights, out.shape)).sum().backward()
        tx = torch.tensor(x, requires_grad=True)
        tout = torch.amax(tx, dim=tuple(range(x.ndim)) if axis is None else axis, keepdim=keepdims)
        (tout * torch.tensor(weights).reshape(tout.shape)).sum().backward()
        np.testing.assert_array_equal(out.data, tout.detach().numpy())  # exactly the max
        close(va.grad, tx.grad.numpy(), rtol=1e-15, atol=1e-15)
        t.max(axis, keepdims).backward(np.reshape(weights, tout.shape))
        close(t.grad, tx.grad.numpy(), rtol=1e-15, atol=1e-15)


def test_value_array_elements_are_values_and_graph_is_one_value_graph() -> None:
    va = ValueArray([[1.0, 2.0], [3.0, 4.0]])
    assert all(isinstance(v, Value) for v in va.values.flat)
    loss = (va * va).sum().to_value()
    loss.backward()
    assert va.grad.tolist() == [[2.0, 4.0], [6.0, 8.0]]
    assert set(ag.toposort(loss)) >= set(va.values.flat)
    assert (va > 2).tolist() == [[False, False], [True, True]]


def test_value_array_accepts_values_and_numbers() -> None:
    a = Value(2.0)
    va = ValueArray([a, 3.0])
    out = (va * a).sum().to_value()
    out.backward()
    assert out.data == 4.0 + 6.0
    assert a.grad == 2 * 2.0 + 3.0
