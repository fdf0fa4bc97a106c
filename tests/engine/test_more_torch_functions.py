"""erfc, copysign, the logical functions, isin, aminmax, kthvalue, cov and corrcoef against torch 2.13.

Values and gradients (first and second order where torch's are differentiable) in float64, values
and gradients in float32, at nan, ±inf, ±0, 0-d and empty inputs where torch takes them; dtype
promotion (the engine's default float, float64, standing for torch's float32); and torch's errors
for bad arguments, named by argument. The table's own checks (tests/engine/test_elementwise_ops.py,
test_teaching_forms.py) cover erfc and copysign on Values, Tensors and ValueArrays as well.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from engine_helpers import close, compare_to_second_order  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import autograd as ag  # noqa: E402
from autograd import Tensor, Value, ValueArray, ops  # noqa: E402

NAN, INF = math.nan, math.inf
EDGES = [NAN, INF, -INF, 0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 1e-310, 5.0, 27.0, -30.0, 26.6]


def _t(x: Any, dtype: Any = torch.float64, requires_grad: bool = False) -> Any:
    return torch.tensor(np.asarray(x), dtype=dtype, requires_grad=requires_grad)


def same(ours: Any, theirs: Any) -> None:
    """Bit for bit: the same numbers (nan where torch has nan), dtype kind and shape."""
    a = np.asarray(ours.data if isinstance(ours, Tensor) else ours)
    b = theirs.detach().numpy() if isinstance(theirs, torch.Tensor) else np.asarray(theirs)
    assert a.shape == b.shape and a.dtype.kind == b.dtype.kind, (a, b)
    assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), (a, b)


# ---------------------------------------------------------------------------- erfc
def test_erfc_is_accurate_far_out_where_one_minus_erf_is_zero() -> None:
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 60
    for x in (5.0, 10.0, 20.0, 26.0, 26.5, 27.0, 27.2, -3.0, 0.3, 1e-20):
        exact = float(mpmath.erfc(mpmath.mpf(x)))
        for ours in (ag.erfc(x), Value(x).erfc().data, float(ag.Tensor([x]).erfc().data[0])):
            assert ours == pytest.approx(exact, rel=1e-14, abs=0.0) or (
                exact < 1e-300 and abs(ours - exact) < 1e-320
            )
    assert ag.erfc(5.0) == pytest.approx(1.5374597944280349e-12, rel=1e-15)
    assert 5.2e-319 < ag.erfc(27.0) < 5.3e-319 and 1.0 - math.erf(27.0) == 0.0
    assert ag.erfc(27.3) == 0.0 and ag.erfc(-30.0) == 2.0


def test_erfc_values_and_derivatives_as_torch_at_the_edges() -> None:
    x = np.array(EDGES)
    close(ag.erfc(ag.Tensor(x)).data, torch.erfc(_t(x)), rtol=2e-16, atol=0)  # (libm's and torch's: an ulp)
    finite = np.array([0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 5.0, 27.0, -30.0, 1e-310])
    compare_to_second_order(lambda t: ag.erfc(t), lambda t: torch.erfc(t), [finite], rtol=1e-13, atol=0)
    compare_to_second_order(lambda t: t.erfc(), lambda t: t.erfc(), [x], second=False, rtol=1e-13, atol=0)
    compare_to_second_order(lambda t: t.erfc(), lambda t: t.erfc(), [np.array(0.7)])
    compare_to_second_order(lambda t: t.erfc(), lambda t: t.erfc(), [np.ones((2, 0))])


def test_erfc_in_float32_and_of_integers() -> None:
    x = np.array([0.0, 0.5, -2.0, 3.0, 9.0, 10.0, 12.0], dtype=np.float32)
    ours, theirs = ag.Tensor(x, requires_grad=True), _t(x, torch.float32, requires_grad=True)
    out, ref = ours.erfc(), torch.erfc(theirs)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=2e-7, atol=2e-45)
    (out * 2.0).sum().backward()
    (ref * 2.0).sum().backward()
    assert ours.grad.dtype == np.float32
    np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=2e-7, atol=1e-45)
    for data in ([1, 2], [True, False]):  # torch: the default float dtype (float64 here)
        assert ag.erfc(ag.tensor(data)).dtype == ag.get_default_dtype()
        close(ag.erfc(ag.tensor(data)).data, torch.erfc(torch.tensor(data)).double(), rtol=1e-7, atol=0)
    assert ag.tensor([1, 2]).erf().dtype == ag.get_default_dtype()  # (erf: its int result was 0, 0)


def test_a_wrong_erfc_derivative_sign_is_caught() -> None:
    """+2/√π·exp(-x²) (erf's sign) for erfc's rule: the table's checks and the fuzzer's programs fail."""
    from test_elementwise_ops import (
        SHAPES,
        test_tensor_first_and_second_derivatives_match_torch,
        test_value_first_and_second_derivatives_match_torch,
    )
    from test_fuzz_vs_torch import Tally, fuzz_arrays

    wrong = ops.TABLE["erfc"].replace(d="2 / sqrt(pi) * exp(-x * x)")
    with ops.replaced(wrong):
        with pytest.raises(AssertionError, match="erfc at"):
            test_value_first_and_second_derivatives_match_torch(wrong)
        with pytest.raises(AssertionError, match="erfc on shapes"):
            test_tensor_first_and_second_derivatives_match_torch(wrong, SHAPES[1])
        tally = Tally()
        fuzz_arrays("tensor", range(300), tally)
    assert any("'erfc'" in f for f in tally.failures), "a wrong erfc derivative went unnoticed"
    test_value_first_and_second_derivatives_match_torch(ops.TABLE["erfc"])  # (restored)


# ---------------------------------------------------------------------------- copysign
def test_copysign_values_and_gradients_as_torch() -> None:
    grid = np.array(list(np.broadcast(*np.meshgrid(EDGES, EDGES)))).T  # every pair
    x, y = grid
    same(ag.copysign(ag.Tensor(x), ag.Tensor(y)), torch.copysign(_t(x), _t(y)))
    # at ±inf and nan torch's out/x is nan: the second derivatives there follow each rule's graph
    compare_to_second_order(ag.copysign, torch.copysign, [x, y], second=False, rtol=0, atol=0)
    finite = np.array([0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 1e-310])
    a, b = np.meshgrid(finite, finite)
    compare_to_second_order(lambda p, q: p.copysign(q), lambda p, q: p.copysign(q), [a, b])
    # broadcasting, a number as the sign, 0-d and empty
    compare_to_second_order(
        lambda p, q: ag.copysign(p, q), torch.copysign, [[[1.5], [-2.0]], [-1.0, 0.0, -0.0]]
    )
    compare_to_second_order(lambda p: p.copysign(-0.0), lambda p: p.copysign(-0.0), [[1.5, -2.0, 0.0]])
    compare_to_second_order(lambda p, q: p.copysign(q), lambda p, q: p.copysign(q), [2.0, -1.0])
    compare_to_second_order(
        lambda p, q: p.copysign(q), lambda p, q: p.copysign(q), [np.ones((0, 2)), [1.0, -1.0]]
    )


def test_copysign_sends_exactly_zero_to_the_sign_even_from_an_inf_gradient() -> None:
    x, y = ag.Tensor([2.0, 0.0], requires_grad=True), ag.Tensor([-1.0, 3.0], requires_grad=True)
    tx, ty = _t([2.0, 0.0], requires_grad=True), _t([-1.0, 3.0], requires_grad=True)
    ag.copysign(x, y).backward(ag.Tensor([INF, INF]))
    torch.copysign(tx, ty).backward(_t([INF, INF]))
    same(x.grad, tx.grad)  # (-inf, and nan at x = 0: torch's g · 0)
    same(y.grad, ty.grad)  # (0: torch's zeros_like(other))
    v, w = Value(-0.0), Value(-2.0)
    out = v.copysign(w)
    out.backward(INF)
    assert math.copysign(1, out.data) < 0 and w.grad == 0.0 and math.isnan(v.grad)


def test_copysign_dtypes_and_errors_as_torch() -> None:
    default = ag.get_default_dtype()
    f32 = np.float32
    cases = [
        (ag.tensor([1, 2]), ag.tensor([-1, 1]), default),
        (ag.tensor([1, 2]), -1.0, default),
        (ag.tensor([True, False]), ag.tensor([True, False]), default),
        (ag.tensor([1.0, 2.0], dtype=f32), ag.tensor([-1.0, 1.0]), np.float64),
        (ag.tensor([1.0, 2.0], dtype=f32), -1.0, f32),
        (ag.tensor([1.0, 2.0], dtype=f32), ag.tensor([True, False]), f32),
    ]
    for a, b, dtype in cases:
        out = ag.copysign(a, b)
        assert out.dtype == dtype, (a, b, out)
        ta = torch.tensor(a.data)
        tb = torch.tensor(b.data) if isinstance(b, Tensor) else b
        close(out.data, torch.copysign(ta, tb).double(), rtol=0, atol=0)
    x32 = ag.Tensor(np.array([1.5, -2.0], dtype=f32), requires_grad=True)
    x32.copysign(-1.0).sum().backward()
    assert x32.grad.dtype == f32 and x32.grad.data.tolist() == [-1.0, 1.0]
    with pytest.raises((ValueError, RuntimeError), match="shape"):
        ag.copysign(ag.Tensor([1.0, 2.0]), ag.Tensor([1.0, 2.0, 3.0]))
    assert ag.copysign(2.0, -0.0) == -2.0 and np.array_equal(ag.copysign([1.0], [-1.0]), [-1.0])


# ---------------------------------------------------------------------------- logical functions, isin
LOGICAL = ["logical_and", "logical_or", "logical_xor"]
TRUTHS = [0.0, -0.0, 1.0, NAN, INF, -2.5]


@pytest.mark.parametrize("name", LOGICAL)
def test_logical_functions_as_torch(name: str) -> None:
    a = np.array(TRUTHS)[:, None]
    b = np.array(TRUTHS)[None, :]
    ints = np.array([0, 0, 1, 7, -1, -2])[:, None]
    for x, y in ((a, b), (ints, b), (a != 0, np.array(3)), (np.zeros((0, 1)), b)):
        ours = getattr(ag, name)(ag.tensor(x), ag.tensor(y))
        theirs = getattr(torch, name)(torch.tensor(x), torch.tensor(y))
        same(ours, theirs)
        same(getattr(ag.tensor(x), name)(ag.tensor(y)), theirs)  # the Tensor method
    xr = ag.Tensor([1.0, 0.0], requires_grad=True)
    out = getattr(ag, name)(xr, ag.Tensor([1.0, 1.0]))
    assert out.dtype == np.bool_ and not out.requires_grad
    with pytest.raises(RuntimeError, match=rf"{name}\(\): the shapes of input \(2,\) and other \(3,\)"):
        getattr(ag, name)(ag.Tensor([1.0, 0.0]), ag.Tensor([1.0, 0.0, 1.0]))
    with pytest.raises(TypeError, match=rf"{name}\(\): other must be a bool, integer or float"):
        getattr(ag, name)(ag.Tensor([1.0]), "yes")


def test_logical_not_as_torch() -> None:
    for x in (np.array(TRUTHS), np.array([3, 0, -1]), np.array([True, False]), np.array(0.0), np.zeros(0)):
        same(ag.logical_not(ag.tensor(x)), torch.logical_not(torch.tensor(x)))
        same(ag.tensor(x).logical_not(), torch.logical_not(torch.tensor(x)))
    assert ag.logical_not(ValueArray([0.0, 2.0])).data.tolist() == [True, False]
    with pytest.raises(TypeError, match="logical_not\\(\\): input must be"):
        ag.logical_not(None)


def test_isin_as_torch() -> None:
    cases = [
        ([1.0, 2.0, NAN, -0.0, INF], [2.0, NAN, 0.0, INF], {}),
        ([[1, 2], [3, 4]], [2.5, 2.0, 4.0], {}),
        ([[1, 2], [3, 4]], [[4]], {"invert": True}),
        ([1, 2, 3], [1, 2], {"assume_unique": True}),
        ([1, 2, 3], [1, 2], {"assume_unique": True, "invert": True}),
        ([], [1.0], {}),
        (1.0, [1.0, 3.0], {}),
    ]
    for elements, tests, kwargs in cases:
        same(
            ag.isin(ag.tensor(elements), ag.tensor(tests), **kwargs),
            torch.isin(torch.tensor(elements), torch.tensor(tests), **kwargs),
        )
    same(ag.isin(2.0, ag.tensor([2.0, 3.0])), torch.isin(2.0, torch.tensor([2.0, 3.0])))
    same(ag.isin(ag.tensor([2.0, 3.0]), 3), torch.isin(torch.tensor([2.0, 3.0]), 3))
    out = ag.isin(ag.Tensor([1.0, 2.0], requires_grad=True), ag.Tensor([1.0]))
    assert out.dtype == np.bool_ and not out.requires_grad
    with pytest.raises(TypeError, match="isin\\(\\): expected elements or test_elements to be a Tensor"):
        ag.isin(2.0, 3.0)
    with pytest.raises(RuntimeError, match="Unsupported input type encountered for isin\\(\\): Bool"):
        ag.isin(ag.tensor([1.0, 2.0]), ag.tensor([True]))
    with pytest.raises(TypeError, match="isin\\(\\): test_elements must be"):
        ag.isin(ag.tensor([1.0]), "a")
    with pytest.raises(TypeError, match="isin\\(\\): invert must be a bool"):
        ag.isin(ag.tensor([1.0]), ag.tensor([1.0]), invert=1)


# ---------------------------------------------------------------------------- aminmax
AMINMAX = {
    "ties": np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]]),
    "nan and inf": np.array([[NAN, 1.0, -INF], [INF, 0.0, -0.0]]),
    "random": np.random.default_rng(0).standard_normal((3, 4)),
}


@pytest.mark.parametrize("name", list(AMINMAX))
@pytest.mark.parametrize("dim", [None, 0, 1, -1])
@pytest.mark.parametrize("keepdim", [False, True])
def test_aminmax_as_torch(name: str, dim: int | None, keepdim: bool) -> None:
    x = AMINMAX[name]

    def ours(t: Any) -> Any:
        low, high = ag.aminmax(t, dim=dim, keepdim=keepdim)
        return low * 1.5 + high

    def theirs(t: Any) -> Any:
        low, high = torch.aminmax(t, dim=dim, keepdim=keepdim)
        return low * 1.5 + high

    compare_to_second_order(ours, theirs, [x], second=name != "nan and inf")
    out, ref = ag.Tensor(x).aminmax(dim=dim, keepdim=keepdim), torch.aminmax(_t(x), dim=dim, keepdim=keepdim)
    same(out.min, ref.min)
    same(out.max, ref.max)


def test_aminmax_0d_integers_float32_and_errors() -> None:
    compare_to_second_order(
        lambda t: sum(ag.aminmax(t, dim=0)), lambda t: sum(torch.aminmax(t, dim=0)), [2.5]
    )
    compare_to_second_order(lambda t: sum(ag.aminmax(t)), lambda t: sum(torch.aminmax(t)), [-1.5])
    for data in ([[1, 5], [3, 0]], [True, False]):
        for kwargs in ({}, {"dim": 0, "keepdim": True}):
            out, ref = ag.aminmax(ag.tensor(data), **kwargs), torch.aminmax(torch.tensor(data), **kwargs)
            same(out.min, ref.min)
            same(out.max, ref.max)
    x = np.array([[1.0, 3.0, 3.0]], dtype=np.float32)
    t, r = ag.Tensor(x, requires_grad=True), _t(x, torch.float32, requires_grad=True)
    sum(ag.aminmax(t, dim=1)).sum().backward()
    sum(torch.aminmax(r, dim=1)).sum().backward()
    assert t.grad.dtype == np.float32 and t.grad.data.tolist() == r.grad.tolist()
    assert type(ag.aminmax(ag.Tensor([1.0]))).__name__ == "MinMax" and ag.aminmax(
        ag.Tensor([1.0])
    )._fields == ("min", "max")
    same(
        ag.aminmax(ag.Tensor(np.zeros((2, 0))), dim=0).max,
        torch.aminmax(torch.zeros(2, 0, dtype=torch.float64), dim=0).max,
    )
    with pytest.raises(RuntimeError, match="cannot compute aminmax over an empty dimension"):
        ag.aminmax(ag.Tensor([]))
    with pytest.raises(IndexError, match="Expected reduction dim 1 to have non-zero size"):
        ag.aminmax(ag.Tensor(np.zeros((2, 0))), dim=1)
    with pytest.raises(
        IndexError, match=r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)"
    ):
        ag.aminmax(ag.Tensor([[1.0]]), dim=2)
    with pytest.raises(TypeError, match="aminmax\\(\\): argument 'dim' must be int, not tuple"):
        ag.aminmax(ag.Tensor([[1.0]]), dim=(0, 1))
    with pytest.raises(TypeError):  # (dim is keyword-only, as torch's)
        ag.aminmax(ag.Tensor([[1.0]]), 0)


# ---------------------------------------------------------------------------- kthvalue
@st.composite
def tied_arrays(draw: Any) -> tuple[np.ndarray, int, int, bool]:
    shape = tuple(draw(st.lists(st.integers(1, 7), min_size=1, max_size=3)))
    pool = draw(st.sampled_from([[0.0, 1.0], [0.0, -0.0, 2.0, NAN], [1.0, INF, -INF, NAN, 0.5], [3.0]]))
    values = draw(st.lists(st.sampled_from(pool), min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    k = draw(st.integers(1, shape[dim]))
    return np.array(values).reshape(shape), k, dim, draw(st.booleans())


@settings(max_examples=300, deadline=None)
@given(tied_arrays())
def test_kthvalue_picks_torchs_element_among_ties(case: tuple[np.ndarray, int, int, bool]) -> None:
    """Values, positions and the gradient (to the picked element) as torch's, ties, nan and ±0 included."""
    x, k, dim, keepdim = case
    t, r = ag.Tensor(x, requires_grad=True), _t(x, requires_grad=True)
    out, ref = ag.kthvalue(t, k, dim, keepdim), torch.kthvalue(r, k, dim, keepdim)
    same(out.values, ref.values)
    same(out.indices, ref.indices)
    weights = np.arange(1.0, out.values.data.size + 1).reshape(out.values.shape)
    (out.values * weights).sum().backward()
    (ref.values * _t(weights)).sum().backward()
    same(t.grad, r.grad)


def test_kthvalue_second_order_0d_empty_integers_float32_and_errors() -> None:
    x = np.random.default_rng(1).standard_normal((3, 5))
    for k, dim in ((1, -1), (3, 1), (2, 0), (5, 1)):
        compare_to_second_order(
            lambda t, k=k, dim=dim: t.kthvalue(k, dim).values ** 2,
            lambda t, k=k, dim=dim: t.kthvalue(k, dim).values ** 2,
            [x],
        )
    compare_to_second_order(
        lambda t: ag.kthvalue(t, 1).values * 2.0, lambda t: torch.kthvalue(t, 1).values * 2.0, [3.5]
    )
    out = ag.kthvalue(ag.Tensor(np.zeros((0, 2))), 1, 1)
    ref = torch.kthvalue(torch.zeros(0, 2, dtype=torch.float64), 1, 1)
    same(out.values, ref.values)
    same(out.indices, ref.indices)
    ints = ag.kthvalue(ag.tensor([3, 1, 2]), 2)
    same(ints.values, torch.kthvalue(torch.tensor([3, 1, 2]), 2).values)
    x32 = ag.Tensor(np.array([3.0, 1.0, 2.0], dtype=np.float32), requires_grad=True)
    v = ag.kthvalue(x32, 2, keepdim=True).values
    v.sum().backward()
    assert v.dtype == np.float32 and v.shape == (1,) and x32.grad.data.tolist() == [0.0, 0.0, 1.0]
    assert ag.kthvalue(ag.Tensor([1.0]), 1)._fields == ("values", "indices")
    bad = [
        (
            lambda: ag.kthvalue(ag.Tensor([3.0, 1.0, 2.0]), 4),
            RuntimeError,
            "selected number k out of range for dimension 0",
        ),
        (lambda: ag.kthvalue(ag.Tensor([3.0, 1.0, 2.0]), 0), RuntimeError, "k must be in \\[1, 3\\], got 0"),
        (lambda: ag.kthvalue(ag.Tensor(3.0), 2), RuntimeError, "selected number k out of range"),
        (
            lambda: ag.kthvalue(ag.Tensor([3.0]), 1.0),
            TypeError,
            "argument 'k' \\(position 2\\) must be int, not float",
        ),
        (
            lambda: ag.kthvalue(ag.Tensor([3.0]), True),
            TypeError,
            "argument 'k' \\(position 2\\) must be int, not bool",
        ),
        (lambda: ag.kthvalue(ag.Tensor([3.0]), 1, 1), IndexError, "Dimension out of range"),
        (
            lambda: ag.kthvalue(ag.Tensor(np.zeros((2, 0))), 1),
            IndexError,
            "Expected reduction dim 1 to have non-zero size",
        ),
        (lambda: ag.kthvalue(ag.tensor([True]), 1), NotImplementedError, "not implemented for bool"),
    ]
    for call, error, message in bad:
        with pytest.raises(error, match=message):
            call()


# ---------------------------------------------------------------------------- cov and corrcoef
RNG = np.random.default_rng(2)
COV_INPUTS = {
    "2-d": RNG.standard_normal((3, 5)),
    "1-d": RNG.standard_normal(6),
    "0-d": np.array(1.5),
    "one observation": RNG.standard_normal((2, 1)),
    "constant row": np.array([[1.0, 1.0, 1.0], [1.0, 2.0, 4.0]]),
    "non-finite": np.array([[1.0, NAN, 2.0], [INF, 0.0, 1.0], [0.5, -1.0, 2.0]]),
    "no observations": np.zeros((2, 0)),
    "no variables": np.zeros((0, 3)),
}


@pytest.mark.parametrize("name", list(COV_INPUTS))
@pytest.mark.parametrize("correction", [1, 0, 2])
def test_cov_and_corrcoef_as_torch(name: str, correction: int) -> None:
    x = COV_INPUTS[name]
    second = name in ("2-d", "1-d", "constant row")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # (degrees of freedom <= 0: both warn)
        compare_to_second_order(
            lambda t: ag.cov(t, correction=correction),
            lambda t: torch.cov(t, correction=correction),
            [x],
            second=second,
        )
        if correction == 1:
            compare_to_second_order(
                ag.corrcoef, torch.corrcoef, [x], second=second and name != "constant row"
            )
            compare_to_second_order(lambda t: t.corrcoef(), lambda t: t.corrcoef(), [x], second=False)


def test_weighted_cov_as_torch_gradients_to_the_weights_included() -> None:
    x = RNG.standard_normal((3, 4))
    f = [1, 0, 3, 2]
    a = np.array([0.5, 2.0, 1.0, 0.25])
    for correction in (0, 1, 2):
        compare_to_second_order(
            lambda t, correction=correction: ag.cov(t, correction=correction, fweights=ag.tensor(f)),
            lambda t, correction=correction: torch.cov(t, correction=correction, fweights=torch.tensor(f)),
            [x],
        )
        compare_to_second_order(
            lambda t, w, correction=correction: ag.cov(t, correction=correction, aweights=w),
            lambda t, w, correction=correction: torch.cov(t, correction=correction, aweights=w),
            [x, a],
        )
        compare_to_second_order(
            lambda t, w, correction=correction: t.cov(
                correction=correction, fweights=ag.tensor(f), aweights=w
            ),
            lambda t, w, correction=correction: t.cov(
                correction=correction, fweights=torch.tensor(f), aweights=w
            ),
            [x, a],
        )


def test_cov_with_one_observation_and_one_kind_of_weights() -> None:
    """One observation weighted by fweights or aweights alone: x - mean is exactly 0, as torch's, and
    no gradient reaches x. torch zeroes its input in place to get that: an input computed from others
    gets gradient 0 (as here), a leaf that requires grad is refused (here: no gradient, a deliberate
    difference), and the caller's tensor is left zeroed (here it is left alone)."""
    x = np.array([[1.0], [2.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for kwargs, tkwargs in (
            ({"fweights": ag.tensor([2])}, {"fweights": torch.tensor([2])}),
            ({"aweights": ag.tensor([2.0])}, {"aweights": _t([2.0])}),
        ):
            leaf, tleaf = ag.Tensor(x, requires_grad=True), _t(x, requires_grad=True)
            out, ref = ag.cov(leaf * 1.0, **kwargs), torch.cov(tleaf * 1.0, **tkwargs)
            same(out, ref)
            (out.sum() + leaf.sum()).backward() if out.requires_grad else leaf.sum().backward()
            (ref.sum() + tleaf.sum()).backward()
            same(leaf.grad, tleaf.grad)
            plain, r = ag.Tensor(x), _t(x)
            same(ag.cov(plain, **kwargs), torch.cov(r, **tkwargs))
            assert r.tolist() == [[0.0], [0.0]] and plain.data.tolist() == [[1.0], [2.0]]
            assert not ag.cov(ag.Tensor(x, requires_grad=True), **kwargs).requires_grad
            with pytest.raises(RuntimeError, match="in-place operation"):
                torch.cov(_t(x, requires_grad=True), **tkwargs)


def test_cov_float32_integers_warning_and_errors() -> None:
    x32 = RNG.standard_normal((2, 4)).astype(np.float32)
    out, ref = ag.cov(ag.Tensor(x32)), torch.cov(torch.tensor(x32))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.data, ref.numpy(), rtol=1e-6)
    assert ag.corrcoef(ag.Tensor(x32)).dtype == np.float32
    ints = ag.cov(ag.tensor([[1, 2, 4], [0, 3, 3]]))
    assert ints.dtype == ag.get_default_dtype()
    close(ints.data, torch.cov(torch.tensor([[1, 2, 4], [0, 3, 3]])).double(), rtol=1e-6, atol=0)
    with pytest.warns(UserWarning, match="cov\\(\\): degrees of freedom is <= 0"):
        assert math.isnan(ag.cov(ag.Tensor(3.0)).item())
    x = ag.Tensor(RNG.standard_normal((2, 3)))
    bad = [
        (
            lambda: ag.cov(ag.Tensor(np.zeros((2, 2, 2)))),
            RuntimeError,
            "expected input to have two or fewer dimensions but got an input with 3",
        ),
        (
            lambda: ag.corrcoef(ag.Tensor(np.zeros((2, 2, 2)))),
            RuntimeError,
            "corrcoef\\(\\): expected input to have two or fewer",
        ),
        (lambda: ag.cov(ag.tensor([True, False])), RuntimeError, "bool dtype is not supported for input"),
        (lambda: ag.cov(x, correction=0.5), TypeError, "argument 'correction' must be int, not float"),
        (
            lambda: ag.cov(x, fweights=ag.tensor([1.0, 2.0, 1.0])),
            RuntimeError,
            "expected fweights to have integral dtype",
        ),
        (
            lambda: ag.cov(x, fweights=ag.tensor([1, 2])),
            RuntimeError,
            "same numel as there are observations in the input but got 2 != 3",
        ),
        (
            lambda: ag.cov(x, fweights=ag.tensor([[1, 2, 1]])),
            RuntimeError,
            "expected fweights to have one or fewer dimensions",
        ),
        (lambda: ag.cov(x, fweights=ag.tensor([1, -2, 1])), RuntimeError, "fweights cannot be negative"),
        (lambda: ag.cov(x, fweights=ag.tensor([0, 0, 0])), RuntimeError, "weights sum to zero"),
        (
            lambda: ag.cov(x, aweights=ag.tensor([1, 2, 1])),
            RuntimeError,
            "expected aweights to have floating point dtype",
        ),
        (
            lambda: ag.cov(x, aweights=ag.tensor([0.5, -2.0, 1.0])),
            RuntimeError,
            "aweights cannot be negative",
        ),
        (
            lambda: ag.cov(x, aweights=[1.0, 2.0, 3.0]),
            TypeError,
            "argument 'aweights' must be Tensor, not list",
        ),
        (
            lambda: ag.cov(ValueArray([1.0, 2.0])),
            TypeError,
            "cov: input must be a Tensor or plain numbers, got a ValueArray",
        ),
    ]
    for call, error, message in bad:
        with pytest.raises(error, match=message):
            call()


# ---------------------------------------------------------------------------- the namespace
def test_the_new_names_are_functions_and_methods_as_in_torch() -> None:
    for name in (
        "erfc",
        "copysign",
        "logical_and",
        "logical_or",
        "logical_xor",
        "logical_not",
        "isin",
        "aminmax",
        "kthvalue",
        "cov",
        "corrcoef",
    ):
        assert callable(getattr(ag, name)) and name in ag.__all__ and hasattr(torch, name)
        assert hasattr(Tensor, name) == hasattr(torch.Tensor, name), name
    assert hasattr(Value, "erfc") and hasattr(ValueArray, "copysign")


def test_the_sign_of_a_zero_a_min_reduction_picks_is_the_librarys() -> None:
    """min over +0 and -0 is a zero (equal to torch's), of whichever sign the reduction's loop picks:
    copysign makes that sign visible, as 1/0 does (a listed case of the fuzzer, with maximum's)."""
    x = np.array([0.0, 0.0, -0.0])
    ours, theirs = ag.Tensor(x).min(), torch.amin(_t(x))
    assert ours.item() == theirs.item() == 0.0
    assert ag.copysign(1.0, ours).item() in (1.0, -1.0)
    assert ag.copysign(ag.Tensor(1.0), ours).item() == math.copysign(1.0, float(ours.item()))
