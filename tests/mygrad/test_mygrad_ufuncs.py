"""MyGrad's ``tests/ufuncs/test_fwd_prop_and_backprop.py``: every ufunc MyGrad differentiates, forward
against NumPy (values and dtype, on 0-d, empty and broadcast shapes) and backward against the
complex step, called through its torch spelling (``autograd.<name>``) or NumPy's ufunc on Tensors
(MyGrad's ``use_numpy_overload``), with MyGrad's input domains.

Changed from MyGrad: ``cbrt`` is not a torch function (nor a NumPy ufunc on Tensors here): its
torch spelling ``sign(x) * abs(x) ** (1/3)`` is checked instead (test_mygrad_math.py). The forward
test's ``backward()`` on a non-scalar output (MyGrad seeds ones) is torch's
``backward(ones_like(out))``.
"""

from __future__ import annotations

import warnings
from functools import cache
from typing import Any

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given
from mygrad_harness import SETTINGS, backprop_test_factory, numerical_gradient
from numpy.testing import assert_allclose

import autograd
from autograd import Tensor

UNARY = (
    "abs absolute arccos arccosh arcsin arcsinh arctan arctanh cos cosh exp exp2 expm1 log log10 log1p "
    "log2 negative positive reciprocal sin sinh square sqrt tan tanh"
).split()
BINARY = "add arctan2 divide logaddexp logaddexp2 maximum minimum multiply power subtract true_divide".split()
UFUNCS = UNARY + BINARY
#: MyGrad checks these backward by finite differences below (no complex extension, or a kink)
DOES_NOT_SUPPORT_COMPLEX_DOMAIN = {
    "logaddexp",
    "logaddexp2",
    "arctan2",
    "absolute",
    "abs",
    "maximum",
    "minimum",
}

not_zero = st.floats(-1e9, 1e9).filter(lambda x: not np.isclose(x, 0, atol=1e-5))
log_largest = np.log(np.finfo(np.float64).max)
log2_largest = np.log2(np.finfo(np.float64).max)
valid_log_inputs = st.floats(min_value=0, allow_infinity=False, exclude_min=True)
valid_exp_inputs = st.floats(max_value=log_largest, allow_infinity=False)
valid_exp2_inputs = st.floats(max_value=log2_largest, allow_infinity=False, exclude_max=True)
open_unit = st.floats(-1, 1, exclude_min=True, exclude_max=True)
half_pi = st.floats(-np.pi / 2, np.pi / 2, exclude_min=True, exclude_max=True)

FWD_DOMAINS: dict[str, dict[int, st.SearchStrategy[float]]] = {
    "arccos": {0: open_unit},
    "arcsin": {0: open_unit},
    "tan": {0: half_pi},
    "sinh": {0: st.floats(-100, 100)},
    "cosh": {0: st.floats(-100, 100)},
    "arccosh": {0: st.floats(1.01, 100)},
    "arctanh": {0: st.floats(-0.99, 0.99)},
    "exp": {0: valid_exp_inputs},
    "exp2": {0: valid_exp2_inputs},
    "expm1": {0: valid_exp_inputs},
    "log": {0: valid_log_inputs},
    "log2": {0: valid_log_inputs},
    "log10": {0: valid_log_inputs},
    "log1p": {0: st.floats(min_value=-1 + np.finfo(np.float64).eps, allow_infinity=False)},
    "logaddexp": {0: valid_exp_inputs, 1: valid_exp_inputs},
    "divide": {1: not_zero},
    "power": {0: st.floats(min_value=1e-9, max_value=1e9), 1: st.sampled_from([1, 2]) | st.floats(-3, 3)},
    "reciprocal": {0: not_zero},
    "true_divide": {1: not_zero},
    "sqrt": {0: st.floats(min_value=1e-9, max_value=1e9)},
}
easy_log_domain = st.floats(min_value=1e-6, max_value=1e10)
BKWD_DOMAINS: dict[str, dict[int, st.SearchStrategy[float]]] = {
    **FWD_DOMAINS,
    "tanh": {0: st.floats(-10, 10)},
    "log": {0: easy_log_domain},
    "log2": {0: easy_log_domain},
    "log10": {0: easy_log_domain},
    "log1p": {0: st.floats(min_value=-1 + 1e-6, max_value=1e9)},
    "power": {0: st.floats(0.001, 1e9), 1: st.sampled_from([1, 2]) | st.floats(-3, 3)},
    "sqrt": {0: st.floats(min_value=1e-5, max_value=1e6)},
}


def _nin(name: str) -> int:
    return getattr(np, name).nin


def _call_args(
    data: st.DataObject, name: str, domains: dict[int, Any], min_side: int, min_dims: int
) -> list[np.ndarray]:
    """MyGrad's ``populates_ufunc``: broadcast-compatible arrays on the ufunc's domain."""
    shapes = data.draw(_shapes(_nin(name), min_side, min_dims), label="shapes")
    elements = domains.get(name, {})
    return [
        data.draw(_arrays(s, elements.get(i, _ANY)), label=f"arg-{i}")
        for i, s in enumerate(shapes.input_shapes)
    ]


# (each strategy made once and reused: a new one is validated on its first draw)
_ANY, _UNIT = st.floats(-1e6, 1e6), st.floats(-1e0, 1e0)


@cache
def _shapes(num_shapes: int, min_side: int, min_dims: int) -> st.SearchStrategy[Any]:
    return hnp.mutually_broadcastable_shapes(num_shapes=num_shapes, min_side=min_side, min_dims=min_dims)


@cache
def _arrays(shape: tuple[int, ...], elements: st.SearchStrategy[float]) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(dtype=float, shape=shape, elements=elements)


def _spelling(name: str, numpy_overload: bool) -> Any:
    return getattr(np, name) if numpy_overload else getattr(autograd, name)


@pytest.mark.parametrize("name", UFUNCS)
@SETTINGS
@given(data=st.data(), use_numpy_overload=st.booleans())
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_ufunc_fwd(data: st.DataObject, name: str, use_numpy_overload: bool) -> None:
    arrays = _call_args(data, name, FWD_DOMAINS, min_side=0, min_dims=0)
    requires = [data.draw(st.booleans(), label=f"requires_grad-{i}") for i in range(len(arrays))]
    tensors = [Tensor(a, requires_grad=r) for a, r in zip(arrays, requires)]
    for a in arrays:
        a.flags.writeable = False  # raises if the op writes to an input
    expected = getattr(np, name)(*arrays)
    out = _spelling(name, use_numpy_overload)(*tensors)
    assert isinstance(out, Tensor)
    assert out.dtype == expected.dtype, (out.dtype, expected.dtype)
    assert_allclose(out.detach().numpy(), expected)
    assert out.requires_grad is any(requires)
    if out.requires_grad:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out.backward(autograd.ones_like(out))
        for n, t in enumerate(tensors):
            assert not t.requires_grad or t.grad.shape == t.shape, f"arg: {n}"


@pytest.mark.parametrize("name", [u for u in UFUNCS if u not in DOES_NOT_SUPPORT_COMPLEX_DOMAIN])
@SETTINGS
@given(data=st.data(), use_numpy_overload=st.booleans())
def test_ufunc_bkwd(data: st.DataObject, name: str, use_numpy_overload: bool) -> None:
    arrays = _call_args(data, name, BKWD_DOMAINS, min_side=1, min_dims=0)
    tensors = [Tensor(a, requires_grad=True) for a in arrays]
    out = _spelling(name, use_numpy_overload)(*tensors)
    grad = data.draw(_arrays(out.shape, _UNIT), label="grad")
    grad.flags.writeable = False  # raises if backprop writes to grad
    (out * Tensor(grad)).sum().backward()
    numpy_ufunc = getattr(np, name)
    grads = numerical_gradient(
        lambda *a: numpy_ufunc(*a, out=np.zeros(out.shape, complex)), *arrays, back_grad=grad
    )
    for n, (t, desired) in enumerate(zip(tensors, grads)):
        assert_allclose(
            t.grad.numpy(), desired, atol=1e-7, err_msg=f"the grad of tensor-{n} is not the numerical one"
        )


@pytest.mark.parametrize(
    ("ours", "ref", "bounds"),
    [
        pytest.param(autograd.logaddexp, np.logaddexp, {0: (-10, 10), 1: (-10, 10)}, id="logaddexp"),
        pytest.param(autograd.logaddexp2, np.logaddexp2, {0: (-100, 100), 1: (-100, 100)}, id="logaddexp2"),
        pytest.param(np.arctan2, np.arctan2, {0: (1e-4, 1e9)}, id="arctan2_pos_x"),
        pytest.param(autograd.arctan2, np.arctan2, {0: (-1e9, -1e-4)}, id="arctan2_neg_x"),
    ],
)
def test_binary_bkwd_by_differences(ours: Any, ref: Any, bounds: dict[int, tuple[float, float]]) -> None:
    """MyGrad's test_logaddexp_bkwd, test_logaddexp2_bkwd and test_arctan2_bkwd_pos_x/_neg_x:
    central differences (h = 1e-8) within 1e-4."""
    backprop_test_factory(
        mygrad_func=ours,
        true_func=ref,
        num_arrays=2,
        index_to_bnds=bounds,
        use_finite_difference=True,
        h=1e-8,
        atol=1e-4,
        rtol=1e-4,
    )(test_binary_bkwd_by_differences)()


def test_abs_at_zero() -> None:
    """MyGrad's test_abs_nan_to_num: its default (nan_to_num=True) gives 0 at 0, as torch."""
    x = autograd.arange(-2.0, 3.0, requires_grad=True)
    autograd.abs(x).sum().backward()
    assert_allclose(x.grad.numpy(), [-1.0, -1.0, 0.0, 1.0, 1.0])
