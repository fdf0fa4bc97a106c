"""MyGrad's ``tests/math``: its unary functions (trig, hyperbolic and their inverses, ``abs``,
``cbrt``), binary ones (``maximum``, ``minimum``, ``clip``, the in-place arithmetic, ``pow``'s
special cases) and sequential ones (``amax``, ``amin``, ``sum``, ``mean``, ``var``, ``std``,
``prod``, ``cumprod``, ``cumsum``, ``logsumexp``), with MyGrad's draws and tolerances.

MyGrad's functions that torch lacks (``csc``, ``sec``, ``cot``, ``csch``, ``sech``, ``coth``,
``arccsc``, ``arcsec``, ``arccot``, ``arccsch``, ``arccoth``, ``cbrt``) are checked through their
torch spelling (``1 / torch.sin(x)``, ...), so the engine's rules for the pieces are what is checked.
The sequential functions are called as MyGrad's tests call them: NumPy's function on a Tensor
(``np.amax(t, axis=(0, 2), keepdims=True)``: ``Tensor.__array_function__``, NumPy's semantics,
including ``axis=()``), the forward tests through the torch spelling where torch has one.
MyGrad's in-place ops start from ``+x``, which in torch is ``x`` itself (a leaf that requires grad,
which refuses in-place arithmetic): the port starts from ``x.clone()``.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import assume, given
from mygrad_harness import (
    MAX_EXAMPLES,
    SETTINGS,
    backprop_test_factory,
    fwdprop_test_factory,
    numerical_gradient_full,
    valid_axes,
)
from numpy.testing import assert_allclose

import autograd as ag
from autograd import Tensor


def _is_non_zero(x: Any, **kwargs: Any) -> bool:
    return bool(np.all(np.abs(np.asarray(x)) > 1e-8))


# ----------------------------------------------------------------------------- unary
UNARY: list[tuple[str, Any, Any, dict[str, Any], dict[str, Any]]] = [
    # name, ours, numpy, forward keywords, backward keywords (MyGrad's)
    ("sinc", ag.sinc, np.sinc, {}, {"atol": 1e-5}),
    (
        "csc",
        lambda x: 1 / ag.sin(x),
        lambda x: 1 / np.sin(x),
        {"index_to_bnds": {0: (1e-5, np.pi - 1e-5)}},
        {},
    ),
    (
        "sec",
        lambda x: 1 / ag.cos(x),
        lambda x: 1 / np.cos(x),
        {"index_to_bnds": {0: (-np.pi / 2 + 1e-5, np.pi / 2 - 1e-5)}},
        {"atol": 1e-4},
    ),
    (
        "cot",
        lambda x: 1 / ag.tan(x),
        lambda x: 1 / np.tan(x),
        {"index_to_bnds": {0: (1e-5, np.pi - 1e-5)}},
        {},
    ),
    ("csch", lambda x: 1 / ag.sinh(x), lambda x: 1 / np.sinh(x), {"index_to_bnds": {0: (0.001, 10)}}, {}),
    (
        "sech",
        lambda x: 1 / ag.cosh(x),
        lambda x: 1 / np.cosh(x),
        {"index_to_bnds": {0: (-10, 10)}},
        {"index_to_bnds": {0: (0.001, 10)}, "atol": 1e-5},
    ),
    (
        "coth",
        lambda x: 1 / ag.tanh(x),
        lambda x: 1 / np.tanh(x),
        {"index_to_bnds": {0: (-10, 10)}, "assumptions": _is_non_zero},
        {"index_to_bnds": {0: (0.001, 10)}, "atol": 1e-5},
    ),
    (
        "arccsc",
        lambda x: ag.arcsin(1 / x),
        lambda x: np.arcsin(1 / x),
        {"index_to_bnds": {0: (-10.1, -1.1)}},
        {"index_to_bnds": {0: (1.1, 100.0)}},
    ),
    (
        "arcsec",
        lambda x: ag.arccos(1 / x),
        lambda x: np.arccos(1 / x),
        {"index_to_bnds": {0: (-10.1, -1.1)}},
        {"index_to_bnds": {0: (1.1, 100.0)}},
    ),
    ("arccot", lambda x: ag.arctan(1 / x), lambda x: np.arctan(1 / x), {"index_to_bnds": {0: (0.1, 10)}}, {}),
    ("arcsinh", ag.arcsinh, np.arcsinh, {}, {}),
    ("arccosh", ag.arccosh, np.arccosh, {"index_to_bnds": {0: (1.001, 10)}}, {}),
    (
        "arctanh",
        ag.arctanh,
        np.arctanh,
        {"index_to_bnds": {0: (-0.5, 0.5)}},
        {"assumptions": _is_non_zero},
    ),
    (
        "arccsch",
        lambda x: ag.arcsinh(1 / x),
        lambda x: np.arcsinh(1 / x),
        {"index_to_bnds": {0: (1, 10)}},
        {},
    ),
    (
        "arccoth",
        lambda x: ag.arctanh(1 / x),
        lambda x: np.arctanh(1 / x),
        {"index_to_bnds": {0: (5, 10)}},
        {},
    ),
]


def _bkwd_keywords(fwd: dict[str, Any], bkwd: dict[str, Any]) -> dict[str, Any]:
    """MyGrad's backward keywords: the forward test's domain unless the backward test names its own."""
    return bkwd if "index_to_bnds" in bkwd else {**fwd, **bkwd}


@pytest.mark.parametrize(("ours", "ref", "kwargs"), [pytest.param(u[1], u[2], u[3], id=u[0]) for u in UNARY])
def test_unary_fwd(ours: Any, ref: Any, kwargs: dict[str, Any]) -> None:
    """MyGrad's ``f(float)`` is left out: torch's functions take Tensors."""
    fwdprop_test_factory(
        mygrad_func=ours, true_func=ref, num_arrays=1, permit_0d_array_as_float=False, **kwargs
    )(test_unary_fwd)()


@pytest.mark.parametrize(
    ("ours", "ref", "kwargs"), [pytest.param(u[1], u[2], _bkwd_keywords(u[3], u[4]), id=u[0]) for u in UNARY]
)
def test_unary_bkwd(ours: Any, ref: Any, kwargs: dict[str, Any]) -> None:
    backprop_test_factory(mygrad_func=ours, true_func=ref, num_arrays=1, **kwargs)(test_unary_bkwd)()


def cbrt(x: Tensor) -> Tensor:
    """MyGrad's cbrt in torch's functions (torch has no cbrt)."""
    return ag.sign(x) * ag.abs(x) ** (1 / 3)


@backprop_test_factory(
    mygrad_func=ag.abs,
    true_func=np.abs,
    num_arrays=1,
    index_to_bnds={0: (-10, 10)},
    assumptions=_is_non_zero,
    atol=1e-5,
    use_finite_difference=True,
    h=1e-8,
)
def test_abs_backward() -> None:
    pass


@backprop_test_factory(
    mygrad_func=np.absolute,
    true_func=np.absolute,
    num_arrays=1,
    index_to_bnds={0: (-100, 100)},
    index_to_no_go={0: (0,)},
    atol=1e-5,
    assumptions=_is_non_zero,
    use_finite_difference=True,
    h=1e-8,
)
def test_absolute_backward() -> None:
    pass


@backprop_test_factory(
    mygrad_func=cbrt,
    true_func=np.cbrt,
    index_to_bnds={0: (-100, 100)},
    num_arrays=1,
    assumptions=lambda x: bool(np.all(np.abs(x) > 1e-5)),
    atol=1e-5,
    rtol=1e-5,
    use_finite_difference=True,
    h=1e-8,
)
def test_cbrt_backward() -> None:
    pass


# ----------------------------------------------------------------------------- binary
def is_not_close(arr0: Any, arr1: Any) -> bool:
    return not np.any(np.isclose(np.asarray(arr0), np.asarray(arr1)))


@backprop_test_factory(mygrad_func=ag.maximum, true_func=np.maximum, num_arrays=2, assumptions=is_not_close)
def test_maximum_bkwd() -> None:
    pass


@backprop_test_factory(mygrad_func=np.minimum, true_func=np.minimum, num_arrays=2, assumptions=is_not_close)
def test_minimum_bkwd() -> None:
    pass


def _clip_min(clip: Any, a: Any, b: Any) -> Any:
    return clip(a, b, None)


def _clip_max(clip: Any, a: Any, b: Any) -> Any:
    return clip(a, None, b)


def _torch_clip(a: Any, a_min: Any = None, a_max: Any = None) -> Any:
    """``torch.clip`` with MyGrad's (NumPy's) arguments: a Python float bound stays a number."""
    if not isinstance(a, Tensor):
        a = Tensor(a)
    return ag.clip(a, a_min, a_max)


@pytest.mark.parametrize(
    ("ours", "ref", "num_arrays"),
    [
        pytest.param(partial(_clip_min, _torch_clip), partial(_clip_min, np.clip), 2, id="a_min"),
        pytest.param(partial(_clip_max, _torch_clip), partial(_clip_max, np.clip), 2, id="a_max"),
        pytest.param(_torch_clip, np.clip, 3, id="both"),
    ],
)
def test_clip_fwd(ours: Any, ref: Any, num_arrays: int) -> None:
    @fwdprop_test_factory(
        num_arrays=num_arrays,
        mygrad_func=ours,
        true_func=ref,
        # torch: min > max gives max everywhere (NumPy's too); MyGrad's draws include it
    )
    def wrapped_test() -> None:
        pass

    wrapped_test()


def is_not_close_clip(a: Any, a_min: Any = None, a_max: Any = None) -> bool:
    min_close = np.any(np.isclose(a, a_min)) if a_min is not None else False
    max_close = np.any(np.isclose(a, a_max)) if a_max is not None else False
    return not (min_close or max_close)


@pytest.mark.parametrize(
    ("ours", "ref", "num_arrays"),
    [
        pytest.param(partial(_clip_min, np.clip), partial(_clip_min, np.clip), 2, id="a_min-np.clip"),
        pytest.param(partial(_clip_max, np.clip), partial(_clip_max, np.clip), 2, id="a_max-np.clip"),
        pytest.param(_torch_clip, np.clip, 3, id="both"),
    ],
)
def test_clip_bkwd(ours: Any, ref: Any, num_arrays: int) -> None:
    @backprop_test_factory(
        num_arrays=num_arrays,
        mygrad_func=ours,
        true_func=ref,
        vary_each_element=True,
        assumptions=is_not_close_clip,  # derivative is not defined where bounds and array are equal
    )
    def wrapped_test() -> None:
        pass

    wrapped_test()


def test_clip_method_fwd() -> None:
    a = ag.arange(10.0)
    bounds = ag.tensor([3.0, 4, 1, 1, 1, 4, 4, 4, 4, 4])
    assert_allclose(a.clip(bounds, ag.tensor(8.0)).numpy(), [3, 4, 2, 3, 4, 5, 6, 7, 8, 8])


def test_clip_method_bkwd() -> None:
    x = ag.tensor([1.0, 5.0, 10.0], requires_grad=True)
    x.clip(2, 7).sum().backward()
    assert_allclose(x.grad.numpy(), [0.0, 1.0, 0.0])


def _shape(x: Any) -> tuple[int, ...]:
    return tuple(x.shape) if hasattr(x, "shape") else ()


def inplace_op(target: Any, other: Any, *, op_name: str) -> Any:
    """MyGrad's ``inplace_op``: ``target op= other`` on a non-leaf copy of the target, the two
    swapped when only the other way round broadcasts to the target's shape."""
    if np.broadcast_shapes(_shape(target), _shape(other)) != _shape(target):
        target, other = other, target
        assume(np.broadcast_shapes(_shape(target), _shape(other)) == _shape(target))
    target = target.clone() if isinstance(target, Tensor) else np.array(target)
    return getattr(target, f"__{op_name}__")(other)


INPLACE = [
    ("iadd", {}),
    ("isub", {}),
    ("imul", {}),
    ("itruediv", {"index_to_bnds": {0: (1, 100), 1: (1, 100)}}),
]
#: MyGrad's ("ipow", {"index_to_bnds": {0: (1, 4), 1: (1, 4)}}) case: Tensor has no ``__ipow__``
#: (torch's ``t **= y`` is in place): test_mygrad_findings.py, a strict xfail until it lands


@pytest.mark.parametrize(("op_name", "kwargs"), INPLACE)
def test_inplace_arithmetic_fwd(op_name: str, kwargs: dict[str, Any]) -> None:
    iop = partial(inplace_op, op_name=op_name)
    fwdprop_test_factory(
        mygrad_func=iop, true_func=iop, num_arrays=2, permit_0d_array_as_float=False, **kwargs
    )(test_inplace_arithmetic_fwd)()


@pytest.mark.parametrize(("op_name", "kwargs"), INPLACE)
def test_inplace_arithmetic_bkwd(op_name: str, kwargs: dict[str, Any]) -> None:
    iop = partial(inplace_op, op_name=op_name)
    backprop_test_factory(mygrad_func=iop, true_func=iop, num_arrays=2, vary_each_element=True, **kwargs)(
        test_inplace_arithmetic_bkwd
    )()


@SETTINGS
@given(
    t=hnp.arrays(
        dtype=np.float64, shape=hnp.array_shapes(min_dims=0, min_side=0), elements=st.floats(-1e6, 1e6)
    )
)
def test_x_pow_0_special_case(t: np.ndarray) -> None:
    x = Tensor(t, requires_grad=True)
    y = x**0
    y.sum().backward()
    assert_allclose(y.detach().numpy(), np.ones_like(t))
    assert_allclose(x.grad.numpy(), np.zeros_like(t))


@SETTINGS
@given(
    t=hnp.arrays(
        dtype=np.float64, shape=hnp.array_shapes(min_dims=0, min_side=0), elements=st.floats(1e-10, 1e6)
    )
)
def test_0_pow_y_special_case(t: np.ndarray) -> None:
    x = Tensor(t, requires_grad=True)
    y = 0**x
    y.sum().backward()
    assert_allclose(y.detach().numpy(), np.zeros_like(t))
    assert_allclose(x.grad.numpy(), np.zeros_like(t))


# ----------------------------------------------------------------------------- sequential
def axis_arg(*arrs: Any, min_dim: int = 0) -> st.SearchStrategy[Any]:
    return valid_axes(arrs[0].ndim, min_dim=min_dim) if arrs[0].ndim else st.just(())


def single_axis_arg(*arrs: Any) -> st.SearchStrategy[Any]:
    return valid_axes(arrs[0].ndim, single_axis_only=True) if arrs[0].ndim else st.none()


def keepdims_arg(*arrs: Any) -> st.SearchStrategy[bool]:
    return st.booleans()


def ddof_arg(*arrs: Any) -> st.SearchStrategy[int]:
    min_side = min(arrs[0].shape) if arrs[0].shape else 0
    return st.integers(0, min_side - 1) if min_side else st.just(0)


def _mean(y: Any, keepdims: bool = False, axis: Any = None, ddof: int = 0) -> Any:
    if isinstance(axis, int):
        axis = (axis,)
    n = y.size if axis is None else np.prod([y.shape[i] for i in axis])
    return y.sum(keepdims=keepdims, axis=axis) / (n - ddof)


def _var(x: Any, keepdims: bool = False, axis: Any = None, ddof: int = 0) -> Any:
    """Variance without ``abs`` (the complex step can differentiate it)."""
    x = np.asarray(x)
    return _mean((x - x.mean(axis=axis, keepdims=True)) ** 2, keepdims=keepdims, axis=axis, ddof=ddof)


def _std(x: Any, keepdims: bool = False, axis: Any = None, ddof: int = 0) -> Any:
    return np.sqrt(_var(x, keepdims=keepdims, axis=axis, ddof=ddof))


_AXES = {"axis": axis_arg, "keepdims": keepdims_arg}
#: var and std draw ddof in [0, the shortest side): more draws, so that ddof > 0 comes up (the
#: forward tests against the port's own _var and _std, a subset of the same draws, keep 6)
_DDOF_EXAMPLES = 20


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize(
    ("ours", "ref", "kwargs", "n"),
    [
        pytest.param(np.amax, np.amax, _AXES, MAX_EXAMPLES, id="amax"),
        pytest.param(np.amin, np.amin, _AXES, MAX_EXAMPLES, id="amin"),
        pytest.param(np.sum, np.sum, _AXES, MAX_EXAMPLES, id="sum"),
        pytest.param(np.mean, np.mean, _AXES, MAX_EXAMPLES, id="mean"),
        pytest.param(np.var, np.var, {**_AXES, "ddof": ddof_arg}, _DDOF_EXAMPLES, id="var"),
        pytest.param(np.std, np.std, {**_AXES, "ddof": ddof_arg}, _DDOF_EXAMPLES, id="std"),
        pytest.param(np.prod, np.prod, _AXES, MAX_EXAMPLES, id="prod"),
        pytest.param(np.cumprod, np.cumprod, {"axis": single_axis_arg}, MAX_EXAMPLES, id="cumprod"),
        pytest.param(np.cumsum, np.cumsum, {"axis": single_axis_arg}, MAX_EXAMPLES, id="cumsum"),
        pytest.param(
            np.var,
            _var,
            {"axis": partial(axis_arg, min_dim=1), "keepdims": keepdims_arg, "ddof": ddof_arg},
            MAX_EXAMPLES,
            id="custom_var",
        ),
        pytest.param(
            np.std,
            _std,
            {"axis": partial(axis_arg, min_dim=1), "keepdims": keepdims_arg, "ddof": ddof_arg},
            MAX_EXAMPLES,
            id="custom_std",
        ),
    ],
)
def test_sequential_fwd(ours: Any, ref: Any, kwargs: dict[str, Any], n: int) -> None:
    fwdprop_test_factory(
        mygrad_func=ours,
        true_func=ref,
        num_arrays=1,
        kwargs=kwargs,
        permit_0d_array_as_float=False,
        max_examples=n,
    )(test_sequential_fwd)()


@pytest.mark.parametrize(
    ("torch_name", "np_name"),
    [("amax", "amax"), ("amin", "amin"), ("sum", "sum"), ("mean", "mean"), ("prod", "prod")],
)
@SETTINGS
@given(
    x=hnp.arrays(dtype=float, shape=hnp.array_shapes(min_dims=1, max_dims=3), elements=st.floats(-100, 100)),
    data=st.data(),
    keepdim=st.booleans(),
)
def test_sequential_fwd_torch_spelling(
    torch_name: str, np_name: str, x: np.ndarray, data: st.DataObject, keepdim: bool
) -> None:
    """The torch spelling (``dim``, ``keepdim``) of MyGrad's forward tests; ``prod`` takes one dim."""
    dim = data.draw(valid_axes(x.ndim, permit_none=False, min_dim=1, single_axis_only=np_name == "prod"))
    out = getattr(ag, torch_name)(Tensor(x), dim, keepdim=keepdim)
    assert_allclose(out.numpy(), getattr(np, np_name)(x, axis=dim, keepdims=keepdim), rtol=1e-7)


_INTS = {"index_to_unique": {0: True}, "elements_strategy": st.integers}


def _zero_heavy(lo: int, hi: int) -> st.SearchStrategy[int]:
    """Integers in [lo, hi], 0 about half the time (one zero and several in a slice come up)."""
    return st.integers(lo, hi) | st.just(0)


@pytest.mark.parametrize(
    ("ours", "ref", "kwargs", "factory"),
    [
        pytest.param(np.amax, np.amax, _AXES, _INTS, id="max"),
        pytest.param(np.amin, np.amin, _AXES, _INTS, id="min"),
        pytest.param(np.sum, np.sum, _AXES, {"atol": 1e-5}, id="sum"),
        pytest.param(np.mean, np.mean, _AXES, {"index_to_bnds": {0: (-10, 10)}}, id="mean"),
        pytest.param(
            np.var,
            _var,
            {"axis": partial(axis_arg, min_dim=1), "keepdims": False, "ddof": ddof_arg},
            {"index_to_bnds": {0: (-10, 10)}, "max_examples": _DDOF_EXAMPLES},
            id="var_without_keepdims",
        ),
        pytest.param(
            np.var,
            _var,
            {"axis": partial(axis_arg, min_dim=1), "keepdims": True, "ddof": ddof_arg},
            {"index_to_bnds": {0: (-10, 10)}, "max_examples": _DDOF_EXAMPLES},
            id="var_with_keepdims",
        ),
        pytest.param(
            np.std,
            _std,
            {"axis": partial(axis_arg, min_dim=1), "keepdims": keepdims_arg, "ddof": ddof_arg},
            {
                "index_to_bnds": {0: (-10, 10)},
                **_INTS,
                "assumptions": lambda x, **kw: all(i > 1 for i in x.shape),
                "max_examples": _DDOF_EXAMPLES,
            },
            id="std",
        ),
        pytest.param(ag.prod, np.prod, {}, {"index_to_bnds": {0: (-2, 2)}}, id="prod_all"),
        pytest.param(np.prod, np.prod, _AXES, {"index_to_bnds": {0: (-2, 2)}}, id="prod"),
        pytest.param(
            np.prod,
            np.prod,
            _AXES,
            # the configurations of zeros (one, several in a slice) are what this case is for: in
            # MyGrad's 100 examples of integers, 5 calls met several zeros in a slice (50 one); in
            # 30 of _zero_heavy, 13 (28 one)
            {"index_to_bnds": {0: (-2, 2)}, "elements_strategy": _zero_heavy, "max_examples": 30},
            id="multi_zero_prod",
        ),
        pytest.param(
            np.cumprod, np.cumprod, {"axis": single_axis_arg}, {"index_to_bnds": {0: (-2, 2)}}, id="cumprod"
        ),
        pytest.param(
            np.cumprod,
            np.cumprod,
            {"axis": single_axis_arg},
            {
                "index_to_bnds": {0: (-0.5, 0.5)},
                "index_to_unique": {0: True},
                "index_to_arr_shapes": {0: hnp.array_shapes(max_side=5, max_dims=4)},
            },
            id="cumprod2",
        ),
        pytest.param(
            np.cumprod,
            np.cumprod,
            {"axis": single_axis_arg},
            {"index_to_bnds": {0: (-2, 2)}, "elements_strategy": st.integers, "max_examples": 30},
            id="cumprod_zeros",
        ),
        pytest.param(
            np.cumsum,
            np.cumsum,
            {"axis": single_axis_arg},
            {"index_to_bnds": {0: (-2, 2)}, "atol": 1e-5},
            id="cumsum",
        ),
    ],
)
def test_sequential_bkwd(ours: Any, ref: Any, kwargs: dict[str, Any], factory: dict[str, Any]) -> None:
    backprop_test_factory(
        mygrad_func=ours, true_func=ref, num_arrays=1, kwargs=kwargs, vary_each_element=True, **factory
    )(test_sequential_bkwd)()


@pytest.mark.parametrize("name", ["var", "std"])
@SETTINGS
@given(x=hnp.arrays(dtype=np.float64, shape=hnp.array_shapes(), elements=st.floats(-1e6, 1e6)))
def test_var_std_no_axis(name: str, x: np.ndarray) -> None:
    """MyGrad's test_var_no_axis_fwd/bkwrd and test_std_no_axis_fwd/bkwrd: ``axis=()`` reduces
    nothing: zeros, and a zero gradient."""
    t = Tensor(x, requires_grad=True)
    o = getattr(np, name)(t, axis=())
    assert o.shape == x.shape and np.all(o.detach().numpy() == 0)
    o.sum().backward()
    assert np.all(t.grad.numpy() == 0)


def test_int_axis_cumprod_cumsum() -> None:
    """A tuple of axes is refused by NumPy's cumprod/cumsum, and here (torch: one int dim)."""
    x = Tensor(np.array([[1.0, 1, 0], [1, 1, 0], [1, 1, 0]]))
    for fn in (np.cumprod, np.cumsum):
        with pytest.raises(TypeError):
            fn(x.numpy(), axis=(0, 1))
        with pytest.raises(TypeError):
            fn(x, axis=(0, 1))


def test_patch_coverage_on_var() -> None:
    x = ag.arange(6.0).reshape(2, 3).requires_grad_()
    o = np.var(x, axis=1, keepdims=False)
    o.sum().backward()
    (num_grad,) = numerical_gradient_full(
        _var, x.detach().numpy(), kwargs={"axis": 1, "keepdims": False}, back_grad=np.ones(o.shape)
    )
    assert_allclose(x.grad.numpy(), num_grad)


def _scipy_logsumexp(x: np.ndarray, axis: Any, keepdims: bool) -> np.ndarray:
    """SciPy's ``special.logsumexp`` (MyGrad's reference) for finite inputs: the shift by the max."""
    m = np.amax(x, axis=axis, keepdims=True) if x.size else np.zeros([1] * x.ndim)
    m = np.where(np.isfinite(m), m, 0)
    out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


@SETTINGS
@given(
    data=st.data(),
    x=hnp.arrays(shape=hnp.array_shapes(min_dims=1), dtype=np.float64, elements=st.floats(-1e300, 1e300)),
    keepdim=st.booleans(),
)
def test_logsumexp(data: st.DataObject, x: np.ndarray, keepdim: bool) -> None:
    """MyGrad's test_logsumexp, on finite numbers (its nan/inf draws: test_differences.py) and
    torch's ``dim`` (an int or a tuple; MyGrad's ``None``, all axes, is every axis's tuple)."""
    axes = data.draw(valid_axes(x.ndim, permit_none=False, min_dim=1), label="axes")
    ours = ag.logsumexp(Tensor(x), axes, keepdim=keepdim)
    assert_allclose(ours.numpy(), _scipy_logsumexp(x, axes, keepdim), atol=1e-8, rtol=1e-8)
