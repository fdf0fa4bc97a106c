"""Values and gradients on the inputs a differential fuzzer draws and the other suites did not:
zeros under a norm of order p < 1, 0-d and empty inputs of quantile, non-finite ones of the losses,
each against torch (float64)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import autograd

nan, inf = float("nan"), float("inf")


def _both(fn: Callable[[Any, Any], Any], *values: list[float] | float) -> tuple[Any, Any]:
    """fn(module, *inputs) on autograd and on torch, then each input's gradient of
    sum(output * w) for a fixed w; returns ((our value, our grads), (torch's value, torch's grads))."""
    results = []
    for lib in (autograd, torch):
        inputs = [lib.tensor(v, dtype=lib.float64, requires_grad=True) for v in values]
        out = fn(lib, *inputs)
        weights = np.linspace(0.5, 1.5, int(np.prod(out.shape))).reshape(tuple(out.shape))
        (out * lib.tensor(weights)).sum().backward()
        value = out.data if lib is autograd else out.detach().numpy()
        grads = [np.asarray(t.grad) if lib is autograd else t.grad.numpy() for t in inputs]
        results.append((np.asarray(value), grads))
    return results[0], results[1]


def _same(fn: Callable[[Any, Any], Any], *values: list[float] | float) -> None:
    (ours, our_grads), (theirs, their_grads) = _both(fn, *values)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, equal_nan=True)
    for g, h in zip(our_grads, their_grads):
        np.testing.assert_allclose(g, h, rtol=1e-12, atol=1e-300, equal_nan=True)


@pytest.mark.parametrize("p", [0.5, 0.3, -0.5, -1.0])
@pytest.mark.parametrize(
    "v",
    [
        [0.0, 2.0, -1.0],
        [0.0, 0.0],
        [0.0, 2.0, nan],
        [inf, 1.0, 0.0],
        [[0.0, 3.0], [0.0, 0.0]],
        [[inf, 1.0], [inf, -inf]],
    ],
)
def test_vector_norm_below_order_one_at_zero(p: float, v: list[float]) -> None:
    """p |x|^(p-1) sgn(x) is inf * 0 at x = 0: torch's gradient there is 0 times the incoming one
    (0, or nan when the norm is nan or inf); it was nan for every zero. For p < 0 a slice of
    infinities only has the norm inf (0^(1/p)) and gradient nan; it was 0 and 0."""
    _same(lambda lib, x: lib.linalg.vector_norm(x, p), v)
    _same(lambda lib, x: x.norm(p=p, dim=-1, keepdim=True), v)


def test_vector_norm_below_order_one_numbers() -> None:
    (ours, (grad,)), _ = _both(lambda lib, x: lib.linalg.vector_norm(x, 0.5), [0.0, 4.0, 1.0])
    assert ours == 9.0  # (2 + 1)^2
    np.testing.assert_allclose(grad, 0.5 * np.array([0.0, 1.5, 3.0]))  # w (norm / |x|)^(1/2), w = 0.5


@pytest.mark.parametrize("name", ["quantile", "nanquantile"])
@pytest.mark.parametrize("interpolation", ["linear", "lower", "higher", "nearest", "midpoint"])
@pytest.mark.parametrize("dim", [0, -1])
def test_quantile_of_a_0d_input_with_keepdim(name: str, interpolation: str, dim: int) -> None:
    """A 0-d input keeps no axis: torch gives the 0-d value; here moveaxis raised a TypeError."""
    _same(lambda lib, x: getattr(lib, name)(x, 0.3, dim, True, interpolation=interpolation), 2.5)
    _same(lambda lib, x: getattr(lib, name)(x, lib.tensor([0.2, 0.9], dtype=lib.float64), dim, True), 2.5)


@pytest.mark.parametrize("shape, dim", [((2, 0), 0), ((0, 3), -1), ((0,), 1), ((2, 0), None)])
def test_quantile_of_any_empty_input_raises(shape: tuple[int, ...], dim: int | None) -> None:
    """torch refuses every empty input, also when the reduced axis is not the empty one (it gave an
    empty result) and before it looks at dim (an AxisError came first)."""
    for name in ("quantile", "nanquantile"):
        with pytest.raises(RuntimeError, match="non-empty"):
            torch.quantile(torch.zeros(shape), 0.5, dim)
        with pytest.raises(RuntimeError, match=f"{name}: the input is empty"):
            getattr(autograd, name)(autograd.zeros(shape), 0.5, dim)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("delta", [0.5, 1.0, 2.0])
def test_huber_and_smooth_l1_gradient_at_infinite_errors(reduction: str, delta: float) -> None:
    """An infinite error is outside delta: the gradient is ±delta (smooth_l1: ±1), as torch's; the
    unused square's gradient 0 * inf made it nan. A nan error keeps a nan gradient."""
    x = [nan, 1.0, inf, 2.0, -3.0, 0.2, -inf]
    y = [1.0, inf, inf, 2.0, 1.0, -0.1, 5.0]
    _same(lambda lib, a, b: lib.nn.functional.huber_loss(a, b, reduction, delta), x, y)
    _same(lambda lib, a, b: lib.nn.functional.smooth_l1_loss(a, b, reduction=reduction, beta=delta), x, y)
    (_, (grad, _)), _ = _both(lambda lib, a, b: lib.nn.functional.huber_loss(a, b, "sum", delta), x, y)
    assert np.isnan(grad[[0, 2]]).all() and grad[1] == grad[6] == -delta * 0.5  # (w = 0.5)


@pytest.mark.parametrize("shape, dim", [((0,), 0), ((2, 0), 1), ((2, 0), -1), ((0, 3), 0)])
@pytest.mark.parametrize(
    "call",
    [
        lambda lib, t, d: lib.amax(t, d),
        lambda lib, t, d: lib.amin(t, d, keepdim=True),
        lambda lib, t, d: t.amax(dim=(d,)),
        lambda lib, t, d: t.max(dim=d),
        lambda lib, t, d: t.min(d, keepdim=True),
        lambda lib, t, d: t.argmax(d),
        lambda lib, t, d: t.argmin(dim=d),
    ],
)
def test_an_extreme_over_an_empty_axis_is_torchs_index_error(
    shape: tuple[int, ...], dim: int, call: Callable[[Any, Any, int], Any]
) -> None:
    """torch: IndexError ("Expected reduction dim 1 to have non-zero size"); here a ValueError
    (max/min/argmax) or a ValueError + RuntimeError (amax, from numpy) came, no IndexError."""
    with pytest.raises(IndexError, match="non-zero size"):
        call(torch, torch.zeros(shape), dim)
    with pytest.raises(IndexError, match="empty|non-zero size") as ours:
        call(autograd, autograd.zeros(shape), dim)
    assert isinstance(ours.value, ValueError)  # (the library's documented class too)


@pytest.mark.parametrize("name", ["amax", "amin"])
def test_amax_of_every_axis_of_an_empty_input_is_torchs_runtime_error(name: str) -> None:
    with pytest.raises(RuntimeError, match=r"numel\(\) == 0"):
        getattr(torch, name)(torch.zeros(2, 0))
    with pytest.raises(RuntimeError, match=rf"{name}\(\): .*numel\(\) == 0"):
        getattr(autograd, name)(autograd.zeros(2, 0))
    assert getattr(autograd, name)(autograd.zeros(2, 0), 0).shape == (0,)  # (a non-empty axis)
    assert getattr(torch, name)(torch.zeros(2, 0), 0).shape == (0,)


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.int32, np.int64])
@pytest.mark.parametrize("largest", [True, False])
@pytest.mark.parametrize("sorted", [True, False])
def test_topk_of_integers_at_their_limits(dtype: type, largest: bool, sorted: bool) -> None:
    """The stable descending order came from argsort(-row): -uint8(2) is 254 and -int8(-128) is -128,
    so topk of uint8 [[1, 2, 250], [4, 0, 6]] along dim 0 gave the values [4, 0, 250]."""
    info = np.iinfo(dtype)
    rows = np.random.default_rng(7).choice(
        np.array([info.min, info.min + 1, 0, 1, 2, info.max], dtype=np.int64), size=(40, 9)
    )
    x = rows.astype(dtype)
    for k in (1, 3, 9):
        theirs = torch.from_numpy(x).topk(k, largest=largest, sorted=sorted)
        ours = autograd.tensor(x).topk(k, largest=largest, sorted=sorted)
        assert ours.values.dtype == x.dtype
        np.testing.assert_array_equal(ours.values.data, theirs.values.numpy())
        np.testing.assert_array_equal(ours.indices.data, theirs.indices.numpy())
    small = np.array([[1, 2, 250], [4, 0, 6]], dtype=np.uint8)
    assert autograd.tensor(small).topk(1, dim=0).values.tolist() == [[4, 2, 250]]


@pytest.mark.parametrize("value", [5, -(2**63), True, 2.5, nan])
@pytest.mark.parametrize("name", ["cummax", "cummin"])
def test_running_extreme_of_a_0d_input_keeps_its_dtype(value: float, name: str) -> None:
    """The 0-d path returned self * 1.0: an int64 or bool input came back float64."""
    ours = getattr(autograd.tensor(value), name)(0)
    theirs = getattr(torch.tensor(value, dtype=torch.float64 if isinstance(value, float) else None), name)(0)
    assert ours.values.dtype.name == str(theirs.values.dtype).removeprefix("torch.")
    assert ours.values.shape == () and ours.indices.shape == () and ours.indices.dtype == np.int64
    np.testing.assert_array_equal(ours.values.data, theirs.values.numpy())
    if isinstance(value, float):
        _same(lambda lib, x: getattr(x, name)(-1).values * 3.0, value)


@pytest.mark.parametrize("value", [[1, 2], [[1, 5], [2, -3]], [True, False], 7])
def test_logsumexp_of_integers_and_bools_is_the_default_float(value: list[int] | int) -> None:
    """torch gives the default float dtype; here numpy's integer -inf fill raised OverflowError."""
    theirs = torch.logsumexp(torch.tensor(value), 0).double()  # (torch's default dtype is float32)
    for ours in (autograd.logsumexp(autograd.tensor(value), 0), autograd.tensor(value).logsumexp(dim=0)):
        assert ours.dtype == autograd.float64
        np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-6)
    np.testing.assert_allclose(
        autograd.tensor([1, 2]).logsumexp(0).item(), np.log(np.e + np.e**2), rtol=1e-15
    )


_ROWS = [[3.0, -1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 0.0], [2.0, 2.0, -2.0], [-1.0, 1.0, 1.0]]


def test_cdist_and_pdist_of_order_inf_give_every_tie_the_whole_gradient() -> None:
    """torch's cdist/pdist backward for p = inf sends the full gradient to each tied largest
    |difference| (vector_norm and dist share it): [3, -1, 0] vs [1, 1, 0] gives [1, -1, 0], not
    [0.5, -0.5, 0]."""
    _same(lambda lib, a, b: lib.cdist(a, b, p=inf), _ROWS[:3], _ROWS[1:])
    _same(lambda lib, a: lib.nn.functional.pdist(a, p=inf), _ROWS)
    (_, (grad, _)), _ = _both(lambda lib, a, b: lib.cdist(a, b, p=inf) * 2.0, [_ROWS[0]], [_ROWS[1]])
    assert grad.tolist() == [[1.0, -1.0, 0.0]]  # (w = 0.5, times 2)
    _same(lambda lib, a, b: lib.dist(a, b, p=inf), _ROWS[0], _ROWS[1])  # (dist still shares)


@pytest.mark.parametrize("p", [0.0, 0.5, 2.0, inf])
def test_cdist_and_pdist_of_vectors_of_no_elements_are_0(p: float) -> None:
    """torch gives zeros for every p; the inf norm's refusal of an empty axis came through."""
    _same(lambda lib, a, b: lib.cdist(a, b, p=p), [[], []], [[], [], []])
    assert autograd.nn.functional.pdist(autograd.zeros(3, 0), p=p).tolist() == [0.0, 0.0, 0.0]
    assert torch.nn.functional.pdist(torch.zeros(3, 0), p=p).tolist() == [0.0, 0.0, 0.0]
