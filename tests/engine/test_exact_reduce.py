"""``ops.reduction.exact_reduce``: a max (or a count) over a short last axis of many rows, taken
across rows for speed, gives numpy's numbers; and max, log_softmax, logsumexp and cross-entropy
over such shapes agree with torch (values, gradients, second derivatives) and compile bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from engine_helpers import compare_to_second_order
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd import Tensor
from autograd.ops.primitive import SHORT_AXIS, exact_reduce

EDGES = [0.0, -0.0, 1.0, -1.0, 2.5, np.nan, np.inf, -np.inf, 1e-300, -3e38]


def agrees(reduce: object, ufunc: np.ufunc, a: np.ndarray, keepdims: bool, **initial: object) -> bool:
    """``reduce`` gives numpy's result: shape, dtype, and bits, except that where a maximum is a tie
    of 0.0 and -0.0 either zero may come (numpy's own loops and torch pick differently), and where
    a sum is nan it may be another nan (of several nans, which one comes out depends on the order)."""
    got = reduce(ufunc, a, a.ndim - 1, keepdims, **initial)
    want = ufunc.reduce(a, axis=a.ndim - 1, keepdims=keepdims, **initial)
    if got.shape != want.shape or got.dtype != want.dtype:
        return False
    if want.dtype.kind != "f":
        return np.array_equal(got, want)
    same_bits = got.view(f"u{got.itemsize}") == want.view(f"u{want.itemsize}")
    signed_zero_tie = (want == 0) & (got == 0) & (ufunc is np.maximum)
    both_nan = np.isnan(want) & np.isnan(got)
    return bool(np.all(same_bits | signed_zero_tie | both_nan))


arrays = st.tuples(
    st.sampled_from([np.float32, np.float64, np.int64, np.bool_]),
    st.lists(st.integers(1, 40), min_size=1, max_size=2),  # the leading axes: 64 rows or more
    st.integers(1, SHORT_AXIS + 3),
).flatmap(
    lambda t: hnp.arrays(
        t[0],
        (*t[1], t[2]) if np.prod(t[1]) >= 64 else (70, t[2]),
        elements=st.sampled_from(EDGES).map(lambda v: t[0](v) if t[0] is not np.bool_ else v > 0)
        if t[0] is not np.int64
        else st.integers(-5, 5),
    )
)


@given(arrays, st.booleans())
def test_max_and_count_across_rows_are_numpys(a: np.ndarray, keepdims: bool) -> None:
    if a.dtype.kind in "fi":
        assert agrees(exact_reduce, np.maximum, a, keepdims)
        assert agrees(exact_reduce, np.maximum, a, keepdims, initial=-np.inf if a.dtype.kind == "f" else -9)
    if a.dtype == np.bool_ or a.dtype == np.int64:
        assert agrees(exact_reduce, np.add, a, keepdims)
    if a.dtype.kind == "f":  # (at most 7 terms across rows; longer rows go to numpy's pairwise sum)
        with np.errstate(all="ignore"):
            assert agrees(exact_reduce, np.add, a, keepdims)


def test_the_check_catches_a_reduction_that_drops_a_column() -> None:
    def wrong(ufunc: np.ufunc, a: np.ndarray, axis: int, keepdims: bool, **initial: object) -> np.ndarray:
        across = np.ascontiguousarray(a.reshape(-1, a.shape[-1]).T)[:-1]
        return ufunc.reduce(across, axis=0, **initial).reshape(a.shape[:-1] + ((1,) if keepdims else ()))

    a = np.arange(200 * 5, dtype=np.float64).reshape(200, 5)
    assert agrees(exact_reduce, np.maximum, a, True)
    assert not agrees(wrong, np.maximum, a, True)
    b = np.random.default_rng(0).normal(size=(200, 5)) * 1e8  # a sum in another order: other bits
    assert agrees(exact_reduce, np.add, b, False)
    assert not agrees(lambda u, x, ax, k: exact_reduce(np.add, x[:, ::-1].copy(), ax, k), np.add, b, False)


def test_other_axes_layouts_and_sizes_go_to_numpy_unchanged() -> None:
    rng = np.random.default_rng(0)
    for a, axis in [
        (rng.normal(size=(100, 8)).T, 1),  # not contiguous
        (rng.normal(size=(100, 8)), 0),  # not the last axis
        (rng.normal(size=(10, 8)), 1),  # few rows
        (rng.normal(size=(100, 40)), 1),  # a long axis
        (rng.normal(size=(100, 0)), 1),  # empty rows
        (rng.normal(size=(100, 8)), None),
    ]:
        want = np.maximum.reduce(a, axis=axis, keepdims=True, initial=-np.inf)
        got = exact_reduce(np.maximum, a, axis, True, initial=-np.inf)
        assert got.shape == want.shape and got.tobytes() == want.tobytes()


def rows(n: int, seed: int = 0) -> np.ndarray:
    """200 rows of ``n``: ties, a row of -inf, a row with +inf, a nan, large equal values."""
    rng = np.random.default_rng(seed)
    a = rng.integers(-2, 3, size=(200, n)).astype(np.float64) + rng.normal(size=(200, n)) * (
        rng.random((200, 1)) < 0.5
    )
    a[3] = -np.inf
    a[4, 0] = np.inf
    a[5, -1] = np.nan
    a[6] = 1e6  # (at |a| > 1e16, where log n is absorbed, torch's logsumexp gradient is 1: see the guide)
    a[7] = 2.0  # all tied
    return a


@pytest.mark.parametrize("n", [1, 2, 3, 10, SHORT_AXIS])
def test_max_log_softmax_logsumexp_against_torch(n: int) -> None:
    a = rows(n)
    finite = a[np.isfinite(a).all(1)]
    for x, second in [(a, False), (finite, True)]:
        compare_to_second_order(lambda t: t.max(-1), lambda t: t.amax(-1), [x], second=second)
        compare_to_second_order(
            lambda t: t.max(1, keepdims=True), lambda t: t.amax(1, keepdim=True), [x], second=second
        )
        compare_to_second_order(lambda t: t.log_softmax(-1), lambda t: t.log_softmax(-1), [x], second=second)
        compare_to_second_order(lambda t: ag.logsumexp(t, -1), lambda t: t.logsumexp(-1), [x], second=second)
    x3 = np.random.default_rng(1).integers(-2, 3, size=(2, 99, n)).astype(np.float64)
    compare_to_second_order(lambda t: t.log_softmax(-1), lambda t: t.log_softmax(-1), [x3])


def test_cross_entropy_over_three_classes_against_torch() -> None:
    a = rows(3)[8:]
    y = np.random.default_rng(1).integers(0, 3, len(a))
    x, t = Tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    loss = ag.nn.functional.cross_entropy(x, Tensor(y))
    ref = torch.nn.functional.cross_entropy(t, torch.tensor(y))
    loss.backward()
    ref.backward()
    np.testing.assert_allclose(loss.item(), ref.item(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize("classes", [3, 10])  # (3: its sums go across rows too)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_compiled_calls_it_and_gives_the_engines_bits(dtype: type, classes: int) -> None:
    rng = np.random.default_rng(2)
    w = Tensor(rng.normal(size=(6, classes)).astype(dtype), requires_grad=True)
    y = rng.integers(0, classes, 128)

    def loss_fn(x: Tensor) -> Tensor:
        logits = x @ w
        ce = -logits.log_softmax(-1)[np.arange(128), y].mean()
        return ce + logits.max(-1).sum() + logits.sum(-1).mean()

    step = ag.compile(loss_fn)
    for seed in range(3):
        x = Tensor(np.random.default_rng(seed).normal(size=(128, 6)).astype(dtype))
        w.grad = None
        got = step(x)
        compiled_grad = w.grad.data.copy()
        w.grad = None
        want = loss_fn(x)
        want.backward()
        assert got.data.tobytes() == want.data.tobytes()
        assert compiled_grad.tobytes() == w.grad.data.tobytes()
    assert "max_forward(t1, axis=1" in step.source  # (the function itself, not numpy's slow loop)


def test_tensor_sums_over_a_short_last_axis_are_numpys() -> None:
    rng = np.random.default_rng(3)
    for shape in [(200, 3), (2, 100, 7), (64, 1)]:
        for dtype in (np.float32, np.float64):
            a = (rng.normal(size=shape) * 10.0 ** rng.integers(-8, 8, shape)).astype(dtype)
            t = Tensor(a)
            assert t.sum(-1).data.tobytes() == np.add.reduce(a, axis=-1).tobytes()
            kept = np.add.reduce(a, axis=-1, keepdims=True)
            assert t.sum(-1, keepdims=True).data.tobytes() == kept.tobytes()
