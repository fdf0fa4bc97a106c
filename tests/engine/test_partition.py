"""``np.partition`` and ``np.argpartition`` on Tensors (and ValueArrays): numpy's values, element for
element (nan, inf, ties and ±0 included), and the gradient, which goes to the element each position
was taken from: checked by that closed form, and by finite differences at first and second order.
torch has no partition, so there is no torch reference here.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Tensor, ValueArray, gradcheck, gradgradcheck, ops

SPECIAL = (np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0)


@st.composite
def problems(draw: Any) -> tuple[np.ndarray, Any, Any]:
    """An array of 1-2 axes with ties and non-finite numbers mixed in, a kth and an axis."""
    shape = draw(st.lists(st.integers(1, 9), min_size=1, max_size=2))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = np.round(rng.standard_normal(shape), draw(st.sampled_from([0, 1, 8])))
    special = rng.random(shape) < draw(st.sampled_from([0.0, 0.3]))
    x[special] = rng.choice(SPECIAL, size=int(special.sum()))
    axis = draw(st.sampled_from([None, -1, 0]))
    n = x.size if axis is None else x.shape[axis]
    kths = st.integers(-n, n - 1)
    kth = draw(kths | st.lists(kths, min_size=1, max_size=3))
    return x, kth, axis


@given(problems())
def test_values_are_numpys_and_each_gradient_goes_where_its_element_went(problem: Any) -> None:
    x, kth, axis = problem
    t = Tensor(x, requires_grad=True)
    out = np.partition(t, kth, axis=axis)
    expected = np.partition(x, kth, axis=axis)
    assert isinstance(out, Tensor) and out.requires_grad
    assert out.shape == expected.shape and np.array_equal(out.data, expected, equal_nan=True)
    # distinct cotangents w: the element that got w[j] is the one at position j of the result
    w = np.arange(1.0, expected.size + 1).reshape(expected.shape)
    (out * Tensor(w)).sum().backward()
    got = t.grad.reshape(-1)
    assert np.array_equal(np.sort(got), w.reshape(-1)), "each element gets exactly one position's gradient"
    np.testing.assert_array_equal(x.reshape(-1)[np.argsort(got)], expected.reshape(-1))


def test_second_axis_takes_each_row_from_its_own_row() -> None:
    x = np.array([[3.0, np.nan, 1.0, 2.0], [0.0, -1.0, np.inf, -1.0]])
    t = Tensor(x, requires_grad=True)
    out = np.partition(t, 1, axis=1)
    np.testing.assert_array_equal(out.data, np.partition(x, 1, axis=1))
    w = np.arange(8.0).reshape(2, 4)
    (out * Tensor(w)).sum().backward()
    for row in range(2):  # row r's gradients are row r's cotangents, each at the element it came from
        order = np.argsort(t.grad[row])
        np.testing.assert_array_equal(t.grad[row][order], w[row])
        np.testing.assert_array_equal(x[row][order], out.data[row])


@pytest.mark.parametrize("kth", [0, 3, -1, [1, 4]])
@pytest.mark.parametrize("axis", [0, 1, None])
def test_first_and_second_derivatives_against_differences(kth: Any, axis: Any) -> None:
    # distinct elements at least 0.05 apart, so no difference step (1e-6) changes their order
    x = np.random.default_rng(3).permutation(np.arange(30.0) * 0.05 - 0.7).reshape(5, 6)
    if axis is not None and np.max(kth) >= x.shape[axis]:
        kth = -2
    t = Tensor(x, requires_grad=True)
    gradcheck(lambda a: np.partition(a, kth, axis=axis) ** 3, t)
    gradgradcheck(lambda a: np.partition(a, kth, axis=axis) ** 3, t)


def test_the_checks_catch_a_gradient_sent_to_the_wrong_element(monkeypatch: pytest.MonkeyPatch) -> None:
    """With indexing's rule scattering the gradient to the reversed positions, the closed form and
    the differences both fail."""
    wrong = (lambda ns, g, out, a, index: ns.scatter_add(g, tuple(i[..., ::-1] for i in index), a.shape),)
    monkeypatch.setattr(ops.GETITEM, "vjps", wrong)
    x = np.array([0.3, 0.5, 0.1, 0.9])
    with pytest.raises(AssertionError, match="disagrees"):
        gradcheck(
            lambda a: np.partition(a, 2) * np.array([1.0, 2.0, 3.0, 4.0]), Tensor(x, requires_grad=True)
        )
    with pytest.raises(AssertionError):
        test_values_are_numpys_and_each_gradient_goes_where_its_element_went.hypothesis.inner_test((x, 2, -1))


def test_argpartition_would_not_give_numpys_arrangement_with_nan() -> None:
    """Why the positions are matched to ``np.partition``'s result: with nan present, numpy's
    argpartition arranges differently from its partition (both valid partitions)."""
    x = np.array([0.82, 0.33, np.nan, 0.91, 0.45])
    assert not np.array_equal(x[np.argpartition(x, 1)], np.partition(x, 1), equal_nan=True)
    np.testing.assert_array_equal(np.partition(Tensor(x), 1).data, np.partition(x, 1))


def test_argpartition_gives_numpys_positions_and_take_along_axis_uses_them() -> None:
    x = np.random.default_rng(0).standard_normal((3, 7))
    t = Tensor(x, requires_grad=True)
    order = np.argpartition(t, [2, 5], axis=1)
    assert type(order) is np.ndarray and order.dtype.kind == "i"
    np.testing.assert_array_equal(order, np.argpartition(x, [2, 5], axis=1))
    picked = np.take_along_axis(t, order, 1)
    assert picked.requires_grad
    np.testing.assert_array_equal(picked.data[:, [2, 5]], np.sort(x, 1)[:, [2, 5]])


def test_value_arrays_partition_as_numpy_with_gradients() -> None:
    x, w = np.array([3.0, 1.0, 2.0, 0.0]), np.array([1.0, 2.0, 3.0, 4.0])
    va = ValueArray(x)
    out = np.partition(va, 1)
    assert isinstance(out, ValueArray)
    np.testing.assert_array_equal(out.data, np.partition(x, 1))
    (out * w).sum().backward()
    np.testing.assert_array_equal(va.grad, [w[out.data == v][0] for v in x])


def test_0d_and_empty() -> None:
    np.testing.assert_array_equal(np.partition(Tensor(np.array(2.0)), 0, axis=None).data, [2.0])
    assert np.partition(Tensor(np.zeros((2, 0)), requires_grad=True), 0, axis=1).shape == (2, 0)
    assert np.partition(Tensor(np.zeros((2, 0)), requires_grad=True), 1, axis=0).shape == (2, 0)


ERRORS = {
    "kth out of range": (
        lambda t: np.partition(t, 4),
        ValueError,
        r"kth=4 is out of range for an axis of length 4",
    ),
    "kth below range": (lambda t: np.partition(t, -5), ValueError, r"kth=-5 is out of range"),
    "kth a float": (
        lambda t: np.partition(t, 1.0),
        TypeError,
        r"kth must be an int or a sequence of ints, got 1.0",
    ),
    "kth a bool": (lambda t: np.partition(t, True), TypeError, r"kth must be an int .*got True"),
    "kth 2-d": (lambda t: np.partition(t, [[1]]), TypeError, r"kth must be an int"),
    "axis": (lambda t: np.partition(t, 0, axis=1), ValueError, r"numpy.partition: axis 1 is out of range"),
    "0-d along an axis": (
        lambda t: np.partition(t[0], 0),
        ValueError,
        r"numpy.partition: axis -1 is out of range",
    ),
    "kind": (lambda t: np.partition(t, 0, kind="quick"), ValueError, r'kind must be "introselect"'),
    "order": (
        lambda t: np.partition(t, 0, order="a"),
        TypeError,
        r"numpy.partition on a Tensor: the option order",
    ),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_bad_arguments_get_clear_errors(name: str) -> None:
    fn, error, message = ERRORS[name]
    with pytest.raises(error, match=message):
        fn(Tensor(np.array([3.0, 1.0, 2.0, 0.0]), requires_grad=True))
