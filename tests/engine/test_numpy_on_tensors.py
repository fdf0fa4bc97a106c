"""NumPy functions and ufuncs on Tensors record the graph (issue 13), and their gradients equal torch's."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from engine_helpers import close, compare_tensor_fn

import autograd as ag
from autograd import Tensor

RNG = np.random.default_rng(3)
A = RNG.normal(size=(3, 4))
B = RNG.normal(size=(4, 2))
POS = RNG.uniform(0.5, 2.0, size=(3, 4))
MASK = A > 0


@pytest.mark.parametrize(
    "ours, theirs, arrays",
    [
        (np.exp, torch.exp, [A]),
        (np.log, torch.log, [POS]),
        (np.log1p, torch.log1p, [POS]),
        (np.sqrt, torch.sqrt, [POS]),
        (np.tanh, torch.tanh, [A]),
        (np.abs, torch.abs, [A]),
        (np.negative, torch.neg, [A]),
        (np.square, torch.square, [A]),
        (np.reciprocal, torch.reciprocal, [POS]),
        (np.exp2, torch.exp2, [A]),
        (lambda x: np.add(x, 2.0), lambda x: x + 2.0, [A]),
        (lambda x, y: np.subtract(x, y), torch.sub, [A, A[0]]),
        (lambda x, y: np.multiply(x, y), torch.mul, [A, POS]),
        (lambda x, y: np.divide(x, y), torch.div, [A, POS]),
        (lambda x, y: np.power(x, y), torch.pow, [POS, A]),
        (lambda x: np.power(2.0, x), lambda x: 2.0**x, [A]),
        (lambda x: np.maximum(x, 0), lambda x: torch.clamp(x, min=0), [A]),
        (lambda x, y: np.maximum(x, y), torch.maximum, [A, A[::-1].copy()]),
        (lambda x, y: np.minimum(x, y), torch.minimum, [A, POS]),
        (lambda x, y: np.matmul(x, y), torch.matmul, [A, B]),
        (lambda x, y: np.dot(x, y), torch.matmul, [A, B]),
        (lambda x, y: np.outer(x, y), torch.outer, [A[0], B[:, 0]]),
        (lambda x: np.sum(x, axis=0), lambda x: x.sum(0), [A]),
        (lambda x: np.sum(x), torch.sum, [A]),
        (lambda x: np.mean(x, axis=1, keepdims=True), lambda x: x.mean(1, keepdim=True), [A]),
        (lambda x: np.max(x, axis=1), lambda x: x.amax(1), [A]),
        (lambda x: np.amin(x), torch.amin, [A]),
        (lambda x: np.var(x, axis=0), lambda x: x.var(0, correction=0), [A]),
        (lambda x: np.std(x, ddof=1), lambda x: x.std(), [A]),
        (lambda x: np.add.reduce(x), lambda x: x.sum(0), [A]),
        (lambda x: np.maximum.reduce(x, axis=1), lambda x: x.amax(1), [A]),
        (lambda x: np.reshape(x, (4, 3)), lambda x: x.reshape(4, 3), [A]),
        (lambda x: np.transpose(x), lambda x: x.T, [A]),
        (lambda x: np.swapaxes(x, 0, 1), lambda x: x.transpose(0, 1), [A]),
        (lambda x: np.ravel(x), torch.ravel, [A]),
        (lambda x: np.expand_dims(x, (0, -1)), lambda x: x[None, ..., None], [A]),
        (lambda x: np.squeeze(x[:1], axis=0), lambda x: x[:1].squeeze(0), [A]),
        (lambda x, y: np.concatenate([x, y, x]), lambda x, y: torch.cat([x, y, x]), [A, POS]),
        (
            lambda x, y: np.concatenate([x, y], axis=None),
            lambda x, y: torch.cat([x.ravel(), y.ravel()]),
            [A, POS],
        ),
        (lambda x, y: np.stack([x, y], axis=1), lambda x, y: torch.stack([x, y], 1), [A, POS]),
        (lambda x, y: np.where(MASK, x, y), lambda x, y: torch.where(torch.tensor(MASK), x, y), [A, POS]),
        (lambda x: np.where(MASK, x, 0.0), lambda x: torch.where(torch.tensor(MASK), x, 0.0), [A]),
        (lambda x: np.clip(x, -0.5, 0.5), lambda x: torch.clamp(x, -0.5, 0.5), [A]),
        (lambda x: np.clip(x, min=0.0), lambda x: torch.clamp(x, min=0.0), [A]),
        (lambda x: np.exp(np.sum(np.tanh(x) * x, axis=-1)), lambda x: torch.exp((x.tanh() * x).sum(-1)), [A]),
    ],
)
def test_numpy_on_tensors_matches_torch(ours, theirs, arrays) -> None:
    out = compare_tensor_fn(ours, theirs, arrays)
    assert out.requires_grad


def test_ndarray_operand_defers_to_the_tensor() -> None:
    t = Tensor([1.0, 2.0], requires_grad=True)
    for out in (
        np.ones(2) + t,
        np.ones(2) * t,
        np.ones(2) - t,
        np.ones(2) / t,
        np.float64(2.0) * t,
        np.ones(2) @ t,
    ):
        assert isinstance(out, Tensor) and out.requires_grad
    (np.array([3.0, 4.0]) * t).sum().backward()
    close(t.grad, [3.0, 4.0])
    # dtype: an ndarray operand adopts the Tensor's dtype, as in t + array
    assert (np.ones(2) + Tensor([1.0], dtype="float32")).dtype == np.float32


def test_array_conversion_and_data_functions_give_plain_numpy() -> None:
    t = Tensor([[1.0, -2.0], [np.nan, 4.0]], requires_grad=True)
    c = t.detach()  # (a Tensor that requires grad is not converted: see test_conversion_of_...)
    assert type(np.asarray(c)) is np.ndarray and np.array(c).shape == (2, 2)
    assert np.shares_memory(np.asarray(c), t.data) and not np.shares_memory(np.array(c), t.data)
    assert type(np.asarray(Tensor(2.0) * 3)) is np.ndarray
    np.testing.assert_array_equal(np.isnan(t), [[False, False], [True, False]])
    np.testing.assert_array_equal(np.less(np.zeros(2), t[0]), [True, False])
    np.testing.assert_array_equal(np.sign(t[0]), [1.0, -1.0])
    assert np.shape(t) == (2, 2) and np.ndim(t) == 2 and np.size(t) == 4
    assert np.allclose(t[0], [1.0, -2.0]) and np.count_nonzero(t[0] > 0) == 1
    np.testing.assert_array_equal(np.argsort(t[0]), [1, 0])
    assert np.argmax(t[0]) == 0 and np.all(np.isfinite(t[0]))
    np.testing.assert_array_equal(np.where(t[0] > 0), (np.array([0]),))


def test_unsupported_numpy_names_the_function_and_what_exists() -> None:
    t = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match=r"numpy\.cbrt is not supported on Tensors.*exp.*t\.data"):
        np.cbrt(t)
    with pytest.raises(TypeError, match=r"numpy\.nancumsum is not supported on Tensors.*concatenate"):
        np.nancumsum(t)
    with pytest.raises(TypeError, match=r"numpy\.multiply\.accumulate is not supported"):
        np.multiply.accumulate(t)
    with pytest.raises(
        TypeError, match=r"numpy\.exp\(\.\.\., out=<ndarray>\) on a Tensor that requires grad would drop"
    ):
        np.exp(t, out=np.empty(2))
    arr = np.zeros(2)
    with pytest.raises(
        TypeError, match=r"numpy\.add\(\.\.\., out=<ndarray>\) on a Tensor that requires grad"
    ):
        arr += t
    with pytest.raises(TypeError, match=r"numpy\.add\(\.\.\., out=<Tensor>\): a Tensor is not written"):
        np.add(t, 1.0, out=(t,))
    arr += t.detach()  # numbers into an ndarray: no gradient to lose (also under no_grad)
    with ag.no_grad():
        arr += t
    assert arr.tolist() == [2.0, 4.0]
    with pytest.raises(TypeError, match=r"numpy\.sum on a Tensor: the option dtype="):
        np.sum(t, dtype=np.float32)
    with pytest.raises(ValueError, match="numpy.squeeze: axis 0 has length 2"):
        np.squeeze(t, axis=0)


def test_no_grad_and_numpy_dispatch() -> None:
    t = Tensor([1.0, 2.0], requires_grad=True)
    with ag.no_grad():
        out = np.exp(t)
    assert isinstance(out, Tensor) and not out.requires_grad


@pytest.mark.parametrize(
    "reduce",
    [np.sum, np.mean, np.std, np.var, np.max, np.amin, np.prod, np.ptp, np.add.reduce, np.maximum.reduce],
    ids=lambda f: f.__name__,
)
@pytest.mark.parametrize("keepdims", [False, True])
def test_numpy_axis_empty_tuple_reduces_no_axis(reduce: object, keepdims: bool) -> None:
    """numpy's ``axis=()`` reduces nothing (each element alone), unlike torch's ``dim=()`` (every
    axis), which ``t.sum(())`` keeps: numpy's functions on a Tensor give numpy's shapes and numbers,
    and the gradient of each element is its own."""
    t = Tensor(POS, requires_grad=True)
    got = reduce(t, axis=(), keepdims=keepdims)
    want = reduce(POS, axis=(), keepdims=keepdims)
    assert got.shape == want.shape == POS.shape
    np.testing.assert_array_equal(got.detach().numpy(), want)
    (got * got).sum().backward()
    np.testing.assert_allclose(t.grad.numpy(), 2 * want * (reduce not in (np.std, np.var, np.ptp)))
    assert t.sum(()).shape == ()  # (torch's meaning stays the method's)
