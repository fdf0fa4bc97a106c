"""The positions of nonzero elements as torch 2.13's: ``nonzero`` (both forms), ``argwhere``,
``where(condition)`` with one argument, and their Tensor members; int64 Tensors with no gradient,
in row-major order, over float (nan, -0.0, inf), int and bool inputs, 0-d and empty ones; used as
indices (values and the gradient through them as torch's); errors named."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
from autograd import Tensor

torch = pytest.importorskip("torch")
RNG = np.random.default_rng(5)


def _inputs() -> list[np.ndarray]:
    """Inputs of every kind: floats with nan, inf and signed zeros, ints, bools, 0-d, empty."""
    floats = RNG.normal(size=(4, 5, 3))
    floats[RNG.random(floats.shape) < 0.4] = 0.0
    floats[RNG.random(floats.shape) < 0.1] = -0.0
    floats.reshape(-1)[[1, 7, 20]] = [math.nan, math.inf, -math.inf]
    return [
        floats,
        floats.astype(np.float32)[1],
        RNG.integers(-2, 3, size=(6, 7)),
        RNG.random((3, 8)) < 0.5,
        np.array(2.5),
        np.array(0.0),
        np.array(-0.0),
        np.array(math.nan),
        np.zeros((0, 3)),
        np.zeros((2, 0, 4)),
        np.zeros((5, 4)),
        np.arange(7.0),
    ]


def _same(mine: Tensor, theirs: torch.Tensor) -> None:
    assert isinstance(mine, Tensor) and mine.dtype == np.int64 and not mine.requires_grad
    assert mine.shape == tuple(theirs.shape)
    np.testing.assert_array_equal(mine.data, theirs.numpy())


@pytest.mark.parametrize("k", range(len(_inputs())))
def test_nonzero_argwhere_and_where_of_one_argument_as_torch(k: int) -> None:
    """Each form of each input: positions, shapes ((n, ndim); a 0-d input's tuple is of one 1-d
    tensor), dtype int64, no gradient, the Tensor members as the functions."""
    x = _inputs()[k]
    a, t = Tensor(x.copy()), torch.tensor(x)
    _same(autograd.nonzero(a), torch.nonzero(t))
    _same(a.nonzero(), t.nonzero())
    _same(autograd.argwhere(a), torch.argwhere(t))
    _same(a.argwhere(), t.argwhere())
    for mine, theirs in [
        (autograd.nonzero(a, as_tuple=True), torch.nonzero(t, as_tuple=True)),
        (a.nonzero(as_tuple=True), t.nonzero(as_tuple=True)),
        (autograd.where(a), torch.where(t)),
    ]:
        assert isinstance(mine, tuple) and len(mine) == len(theirs)
        for m, th in zip(mine, theirs):
            _same(m, th)


def test_positions_index_the_tensor_and_carry_its_gradient_as_torch() -> None:
    """x[where(cond)] and x[nonzero(cond).unbind(1)] select torch's elements; the gradient goes
    back to them (a repeated selection adds), as torch's."""
    x = RNG.normal(size=(5, 6))
    a, t = Tensor(x.copy(), requires_grad=True), torch.tensor(x, requires_grad=True)
    w = RNG.normal(size=int((x > 0).sum()))
    mine = (a[autograd.where(a > 0)] * Tensor(w)).sum() + (a[(a > 0).nonzero().unbind(1)] ** 2).sum()
    theirs = (t[torch.where(t > 0)] * torch.tensor(w)).sum() + (t[(t > 0).nonzero().unbind(1)] ** 2).sum()
    np.testing.assert_allclose(mine.item(), theirs.item(), rtol=1e-14)
    mine.backward()
    theirs.backward()
    np.testing.assert_allclose(a.grad.data, t.grad.numpy(), rtol=1e-14)
    i = autograd.argwhere(a > 1.0)
    j = torch.argwhere(t > 1.0)
    np.testing.assert_array_equal(a[i[:, 0], i[:, 1]].data, t[j[:, 0], j[:, 1]].detach().numpy())


def test_where_of_three_arguments_is_unchanged_and_two_are_refused() -> None:
    """where(cond, x, y) still selects; where(cond, x) (torch: no such form) raises a TypeError
    naming what came in."""
    c = autograd.tensor([True, False, True])
    np.testing.assert_array_equal(autograd.where(c, 1.0, Tensor(np.zeros(3))).data, [1.0, 0.0, 1.0])
    with pytest.raises(TypeError, match="alone or condition, input and other: got condition and input"):
        autograd.where(c, 1.0)
    with pytest.raises(TypeError, match="got condition and other only"):
        autograd.where(c, other=1.0)
    with pytest.raises(TypeError, match="where"):
        torch.where(torch.tensor([True]), torch.tensor([1.0]))
