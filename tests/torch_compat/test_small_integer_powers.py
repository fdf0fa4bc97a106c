"""``x ** 3`` and ``x ** -2`` as torch computes them: its CPU kernel multiplies (``x·x·x`` and
``1/(x·x)``, two roundings) where numpy's ``pow`` rounds once, so the last bit differed on about a
quarter of the elements. Values, Tensors in both float dtypes, special values, compiled steps; the
gradient of ``x ** 3`` (``3·x²``, a square both ways) too."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import autograd
from autograd import Value

torch = pytest.importorskip("torch")

SPECIAL = [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-40, -3e38, 1e160, -1e-170]


def _inputs(dtype: Any) -> np.ndarray:
    x = np.random.default_rng(0).normal(size=4093) * 3
    with np.errstate(over="ignore"):
        return np.concatenate([x, SPECIAL]).astype(dtype)


def _same(mine: Any, theirs: Any) -> None:
    """The same bits, every nan taken as one."""
    a, b = np.asarray(mine), np.asarray(theirs)
    assert a.dtype == b.dtype and a.shape == b.shape
    a, b = np.where(np.isnan(a), np.nan, a), np.where(np.isnan(b), np.nan, b)
    assert a.tobytes() == b.tobytes(), f"{np.mean(a != b):.1%} of the elements differ"


@pytest.mark.parametrize("compiled", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("exponent", [3, 3.0, -2, -2.0])
def test_tensor_powers_are_torchs_bit_for_bit(exponent: float, dtype: Any, compiled: bool) -> None:
    data = _inputs(dtype)
    x, t = autograd.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)

    def power() -> Any:
        return (x**exponent).sum()

    y = autograd.compile(power)() if compiled else power()
    if not compiled:
        y.backward()
    u = t**exponent
    u.sum().backward()
    _same((x.detach() ** exponent).numpy(), u.detach().numpy())
    if exponent == 3:  # (-2's gradient is -2·x^-3: a pow, torch's SLEEF, not numpy's)
        _same(x.grad.numpy(), t.grad.numpy())


@pytest.mark.parametrize("exponent", [3, -2])
def test_value_powers_are_torchs_bit_for_bit(exponent: int) -> None:
    data = _inputs(np.float64)
    mine = [(Value(float(v)) ** exponent).data for v in data]
    _same(np.array(mine), (torch.tensor(data) ** exponent).numpy())


def test_numpys_pow_is_not_torchs() -> None:
    """The reason for the rule: a mutation back to ``np.power`` fails the tests above on about a
    quarter of the elements."""
    data = _inputs(np.float64)
    with np.errstate(all="ignore"):
        assert np.mean(np.power(data, 3) != (torch.tensor(data) ** 3).numpy()) > 0.1
