"""``number / tensor`` as torch computes it: ``tensor.reciprocal() * number`` (torch's
``Tensor.__rdiv__``), so ``3.3 / x`` has torch's last bit (a correctly rounded quotient differs on
about a quarter of the elements), and its gradient is that of the two ops, at first and second
order."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import autograd

torch = pytest.importorskip("torch")

NUMBERS = [3.3, 0.1, 7, -2.5, 1e-30, 1e300, True]
SPECIAL = [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-40, -3e38]


def _inputs(dtype: Any) -> np.ndarray:
    x = np.random.default_rng(0).normal(size=4093).astype(dtype)
    return np.concatenate([x, np.array(SPECIAL, dtype)])


def _same(mine: Any, theirs: Any) -> None:
    """The same bits, every nan taken as one (a nan's sign bit is the CPU's choice, not torch's)."""
    a, b = np.asarray(mine), theirs.detach().numpy()
    assert a.dtype == b.dtype and a.shape == b.shape
    assert (np.isnan(a) == np.isnan(b)).all()
    a, b = np.where(np.isnan(a), np.nan, a), np.where(np.isnan(b), np.nan, b)
    assert a.tobytes() == b.tobytes(), f"{np.mean(a != b):.1%} of the elements differ"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("number", NUMBERS, ids=str)
def test_values_and_gradients_are_torchs_bit_for_bit(dtype: Any, number: Any) -> None:
    data = _inputs(dtype)
    x, t = autograd.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
    y, u = number / x, number / t
    _same(y.detach().numpy(), u)
    assert y.grad_fn.name() == u.grad_fn.name() == "MulBackward0"
    (g,) = autograd.autograd.grad(y.sum(), x, create_graph=True)
    (h,) = torch.autograd.grad(u.sum(), t, create_graph=True)
    _same(g.detach().numpy(), h)
    (gg,) = autograd.autograd.grad(g.sum(), x)
    (hh,) = torch.autograd.grad(h.sum(), t)
    _same(gg, hh)


def test_it_is_not_a_correctly_rounded_quotient() -> None:
    """The reason for the rule: torch's 3.3 / x is not np.divide(3.3, x) (a mutation back to the
    quotient fails the test above on a quarter of the float32 elements)."""
    data = _inputs(np.float32)
    mine = (3.3 / autograd.tensor(data)).numpy()
    with np.errstate(all="ignore"):
        assert np.mean(mine != np.divide(np.float32(3.3), data)) > 0.1


@pytest.mark.parametrize("shape", [(), (0,), (2, 0)])
def test_zero_d_and_empty(shape: tuple[int, ...]) -> None:
    data = np.full(shape, 1.7)
    _same((2.2 / autograd.tensor(data)).numpy(), 2.2 / torch.tensor(data))


@pytest.mark.parametrize("data", [[1, 2, 3, 0, -7], [True, False]], ids=["int64", "bool"])
def test_integers_and_bools_give_the_default_float_dtype(data: list) -> None:
    before = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)  # (this library's default)
    try:
        for number in (3.3, 2, True):
            _same((number / autograd.tensor(data)).numpy(), number / torch.tensor(data))
    finally:
        torch.set_default_dtype(before)


def test_in_a_compiled_step_too() -> None:
    x = autograd.tensor(_inputs(np.float32)[:100], requires_grad=True)
    step = autograd.compile(lambda: (3.3 / x).sum(), check=True)
    step()
    t = torch.tensor(x.detach().numpy(), requires_grad=True)
    (3.3 / t).sum().backward()
    _same(x.grad.numpy(), t.grad)


@pytest.mark.parametrize("number", [1e300, -1e300, 3.4028236e38, 10**40, float("nan")], ids=str)
def test_a_number_beyond_float32s_range_is_inf_silently_as_torchs(number: Any) -> None:
    """``x * 1e300`` on a float32 tensor: inf, as torch's, with no numpy overflow warning (the
    engine's inf and nan are results); also ``tensor([1e300], dtype=float32)``."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x = autograd.tensor(np.ones(3, np.float32))
        got = [(x * number).numpy(), (number / x).numpy()]
        if not isinstance(number, int):  # (torch refuses an int beyond int64: OverflowError)
            got.append(autograd.tensor([number], dtype=autograd.float32).numpy())
    if not isinstance(number, int):
        want = [torch.ones(3) * number, number / torch.ones(3), torch.tensor([number], dtype=torch.float32)]
        for g, w in zip(got, want):
            _same(g, w)
    assert got[0].dtype == np.float32 and (np.isinf(got[0]) | np.isnan(got[0])).all()
