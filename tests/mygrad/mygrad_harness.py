"""The harness of the MyGrad port: MyGrad's test factories with this library in MyGrad's place.

MyGrad (https://github.com/rsokl/MyGrad, commit 6971309f884bad0b9950dcbee3898ec7f35e2fbb, MIT
licence: Copyright (c) 2018 Ryan Soklaski) checks each op with two hypothesis-driven factories of
``tests/wrappers/uber.py``, ported here with the same keywords and the same draws:

- :class:`fwdprop_test_factory`: draw broadcast-compatible shapes, arrays within
  ``index_to_bnds`` (default ±1e6), keyword arguments (a callable is a strategy of the drawn arrays),
  drop draws that fail ``assumptions`` or hold ``index_to_no_go`` values, maybe turn a 0-d array
  into a Python float, make each array a Tensor that requires grad or not, then compare
  ``mygrad_func(*inputs, **kwargs)`` with ``true_func(*arrays, **kwargs)`` (NumPy) within
  ``atol``/``rtol``, check the result is a Tensor that requires grad exactly when an input does
  (MyGrad's ``constant``), and that no input was written to.
- :class:`backprop_test_factory`: draw arrays the same way (as Tensors that require grad), a
  cotangent of the output's shape (unique floats in [-10, 10]), back-propagate it (through
  ``(grad * out).sum()`` where the output broadcast), and compare each input's ``.grad`` with the
  numerical derivative of ``true_func``: the complex step (``Im f(x + ih) / h``, h = 1e-20; every
  element at once, or one at a time with ``vary_each_element=True``), or central differences
  (``use_finite_difference=True``) for functions NumPy cannot evaluate on complex numbers.

``mygrad_func`` is the code of this library standing in for MyGrad's function: its torch spelling
(``autograd.sin``, ``F.softmax``), or NumPy's function called on Tensors where MyGrad's test calls
NumPy's (``np.amax`` on a Tensor: MyGrad's ``__array_function__`` path, here
``Tensor.__array_function__``). MyGrad-only checks of its own machinery (memory locking, graph
clearing, views of internal tensors, the ``constant=`` keyword, its Tensor subclassing) are left
out; the rest of each test is as MyGrad's.

Settings: every test runs ``max_examples`` (:data:`MAX_EXAMPLES`, MyGrad: hypothesis' 100) with
``derandomize=True`` (the same examples on every run: CI is deterministic) and no example database.

Where MyGrad's semantics differ from torch's (which this library follows), the test is written to
torch's, and :data:`DIFFERENCES` names each difference with the reason; test_differences.py
checks that this library gives torch's numbers there and that MyGrad's differ.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from copy import copy
from functools import cache
from typing import Any

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
from hypothesis import HealthCheck, assume, given, note, settings
from numpy.testing import assert_allclose, assert_array_equal

import autograd
from autograd import Tensor

#: examples per test (MyGrad's runs use hypothesis' default, 100): enough to reach the edge shapes
#: (0-d, size-1 and broadcast axes) and keep the port's run short
MAX_EXAMPLES = 6

SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def mygrad_settings(max_examples: int = MAX_EXAMPLES) -> settings:
    """The port's hypothesis settings, with another number of examples."""
    return settings(SETTINGS, max_examples=max_examples)


#: MyGrad's semantics that are not torch's: the port follows torch (this library's reference).
#: Each entry: what MyGrad does, what torch does. test_differences.py checks both sides.
DIFFERENCES: dict[str, str] = {
    "maximum/minimum tie": (
        "MyGrad: d max(x, y) is 0 for both x and y where x == y; torch (and here): half to each"
    ),
    "clip at a bound": (
        "MyGrad: its tests avoid x == a_min/a_max (undefined); torch clamp (and here): the "
        "gradient passes (1) where x equals a bound, and the bound gets 0"
    ),
    "elu at 0": (
        "MyGrad elu: slope 1 at x = 0 (x >= 0 is the linear piece); torch (and here): alpha (the "
        "x > 0 test): the port's backward draws avoid 0, as MyGrad's relu and leaky_relu tests do"
    ),
    "norm of nothing": (
        "MyGrad linalg.norm (NumPy's): the -1, -0.5 or -inf norm of an empty slice is inf; torch "
        "(and here, since this port) refuses it with a RuntimeError (no identity)"
    ),
    "conv of a padding-only input": (
        "MyGrad conv_nd: an input with 0-length spatial axes and padding p convolves the padding "
        "(MyGrad's test_padding: 0); torch refuses it (only zero batch or channels), and here it "
        "gives MyGrad's 0: a difference from torch that the port records, not a defect by NumPy's "
        "or the math's standard"
    ),
    "weighted nll": (
        "MyGrad negative_log_likelihood(weights=w): -mean(w[y] * x[i, y]) (divides by N); torch "
        "nll_loss(weight=w) (and here): a weighted mean, divided by sum(w[y])"
    ),
    "softmax over several axes": (
        "MyGrad softmax/logsoftmax take axis=None or a tuple of axes; torch's dim is one int; here a "
        "tuple is taken too (one softmax over those axes, MyGrad's numbers: the port draws tuples), "
        "but dim=() is every axis (torch's reduction convention), MyGrad's is none (all ones)"
    ),
    "conv stride remainder": (
        "MyGrad conv_nd and max_pool refuse a window/stride that does not tile the input exactly; "
        "torch (and here) drops the remainder (floor): the port draws only exact tilings, as MyGrad"
    ),
    "gru formulation": (
        "MyGrad gru: h~ = tanh(x Uh + (r * s) Wh + bh) (Cho et al.'s); torch GRU (and here): "
        "n = tanh(W_in x + b_in + r * (W_hn h + b_hn)): the port checks torch's cell"
    ),
    "multiclass hinge": (
        "MyGrad multiclass_hinge: sum over j != y of max(0, x_j - x_y + 1), mean over N; torch "
        "multi_margin_loss (and here) also divides by the number of classes C"
    ),
    "focal loss": (
        "MyGrad focal_loss(p, y, alpha, gamma): -alpha (1 - p_y)^gamma log p_y per sample, "
        "unreduced, p clipped to [0, 1]; here losses.categorical_focal takes the truth first and "
        "reduces by the mean (Keras); the port compares the per-sample formula through the engine"
    ),
}


# ----------------------------------------------------------------------------- strategies
# (a strategy is validated on its first draw: the port's strategies are made once for each set of
# arguments and reused, so that each example does not validate new ones)
@cache
def valid_axes(
    ndim: int,
    pos_only: bool = False,
    single_axis_only: bool = False,
    permit_none: bool = True,
    permit_int: bool = True,
    min_dim: int = 0,
    max_dim: int | None = None,
) -> st.SearchStrategy[Any]:
    """MyGrad's ``valid_axes``: ``None``, an int or a tuple of axes of an ``ndim``-d array."""
    single = st.integers(-ndim, ndim - 1) if ndim else st.just(0)
    strats: list[st.SearchStrategy[Any]] = []
    if permit_none:
        strats.append(st.none())
    if permit_int and min_dim <= 1 and (max_dim is None or 1 <= max_dim):
        strats.append(single)
    if not single_axis_only:
        strats.append(hnp.valid_tuple_axes(ndim, min_size=min_dim, max_size=max_dim))
    strat = st.one_of(*strats)
    if pos_only:
        strat = strat.map(lambda x: x if x is None else _to_positive(x, ndim))
    return strat


def _to_positive(x: int | tuple[int, ...], ndim: int) -> int | tuple[int, ...]:
    if isinstance(x, int):
        return x % ndim if ndim else x
    return tuple(i % ndim for i in x)


# ----------------------------------------------------------------------------- numerical derivatives
def reduce_broadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``grad`` over the axes along which an array of ``shape`` was broadcast."""
    grad = np.asarray(grad)
    lead = grad.ndim - len(shape)
    if lead:
        grad = grad.sum(axis=tuple(range(lead)))
    kept = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    return grad.sum(axis=kept, keepdims=True) if kept else grad


def numerical_gradient(
    f: Callable[..., Any], *args: np.ndarray, back_grad: np.ndarray, h: float = 1e-20, kwargs: Any = None
) -> tuple[np.ndarray, ...]:
    """The complex step varying each whole array at once (for elementwise functions)."""
    kwargs = kwargs or {}
    args = tuple(np.asarray(a).astype(np.complex128) for a in args)
    grads = []
    for n in range(len(args)):
        shifted = tuple(a + h * 1j if j == n else a for j, a in enumerate(args))
        dvar = np.asarray(f(*shifted, **kwargs)).imag / h
        grads.append(reduce_broadcast(back_grad * dvar, args[n].shape))
    return tuple(grads)


def numerical_gradient_full(
    f: Callable[..., Any], *args: np.ndarray, back_grad: np.ndarray, h: float = 1e-20, kwargs: Any = None
) -> tuple[np.ndarray, ...]:
    """The complex step varying one element at a time (any analytic ``f``)."""
    kwargs = kwargs or {}
    args = tuple(np.asarray(a).astype(np.complex128) for a in args)
    grads = []
    for n, x in enumerate(args):
        grad = np.empty(x.shape, dtype=np.float64)
        for ind in np.ndindex(x.shape):
            orig = x[ind]
            x[ind] = orig + h * 1j
            df = np.asarray(f(*args[:n], x, *args[n + 1 :], **kwargs)).imag / h
            grad[ind] = np.sum(df * back_grad)
            x[ind] = orig
        grads.append(grad)
    return tuple(grads)


def finite_difference(
    f: Callable[..., Any], *args: np.ndarray, back_grad: np.ndarray, h: float = 1e-8, kwargs: Any = None
) -> tuple[np.ndarray, ...]:
    """Central differences varying each whole array at once (elementwise functions only)."""
    kwargs = kwargs or {}
    grads = []
    for n in range(len(args)):
        plus = tuple(a + h if j == n else a for j, a in enumerate(args))
        minus = tuple(a - h if j == n else a for j, a in enumerate(args))
        dvar = (np.asarray(f(*plus, **kwargs)) - np.asarray(f(*minus, **kwargs))) / (2 * h)
        grads.append(reduce_broadcast(back_grad * dvar, np.shape(args[n])))
    return tuple(grads)


# ----------------------------------------------------------------------------- the factories
def _num_shapes(shapes: Any) -> int:
    """The number of shapes a ``mutually_broadcastable_shapes`` strategy draws."""
    return getattr(shapes, "wrapped_strategy", shapes).num_shapes


def _shapes(num_arrays: int, index_to_arr_shapes: dict[int, Any], shapes: Any) -> tuple[set[int], Any]:
    missing = set(range(num_arrays)) - set(index_to_arr_shapes)
    if shapes is not None:
        return missing, shapes
    if missing:
        return missing, hnp.mutually_broadcastable_shapes(num_shapes=len(missing))
    return missing, st.just(hnp.BroadcastableShapes(input_shapes=(), result_shape=()))


def _kwargs(spec: Any, arrs: Sequence[Any], data: st.DataObject) -> dict[str, Any]:
    if callable(spec):
        return data.draw(spec(*arrs), label="kwargs")
    return {k: (data.draw(v(*arrs), label=f"kwarg: {k}") if callable(v) else v) for k, v in spec.items()}


@cache
def _cotangents(shape: tuple[int, ...]) -> st.SearchStrategy[np.ndarray]:
    """Unique floats in [-10, 10] of ``shape``: the cotangent back-propagated."""
    return hnp.arrays(
        shape=shape, dtype=float, elements=st.floats(-10, 10, allow_subnormal=False), unique=True
    )


@cache
def _flags(arrays: tuple[bool, ...]) -> st.SearchStrategy[tuple[bool, ...]]:
    """A bool for each operand: drawn for an array, False for a number."""
    return st.tuples(*(st.booleans() if a else st.just(False) for a in arrays))


def _data(x: Any) -> np.ndarray:
    return x.detach().numpy() if isinstance(x, Tensor) else np.asarray(x)


class _factory:  # noqa: N801 (MyGrad's factories' base)
    """What both factories share: the keywords that draw arrays and screen them (MyGrad's names:
    the function and its NumPy reference, how many arrays, their shapes, bounds, values to avoid,
    keyword arguments, assumptions), and the wrapper that runs :meth:`check` as a hypothesis test
    under the port's settings."""

    def __init__(
        self,
        *,
        mygrad_func: Callable[..., Any],
        true_func: Callable[..., Any],
        num_arrays: int | None = None,
        shapes: Any = None,
        index_to_bnds: dict[int, tuple[float, float]] | None = None,
        default_bnds: tuple[float, float] = (-1e6, 1e6),
        index_to_no_go: dict[int, Sequence[float]] | None = None,
        index_to_arr_shapes: dict[int, Any] | None = None,
        kwargs: Any = None,
        assumptions: Callable[..., bool] | None = None,
        max_examples: int = MAX_EXAMPLES,
    ) -> None:
        if num_arrays is None:
            num_arrays = _num_shapes(shapes)
        self.op, self.true_func, self.num_arrays = mygrad_func, true_func, num_arrays
        self.index_to_bnds = index_to_bnds or {}
        self.default_bnds = default_bnds
        self.index_to_no_go = index_to_no_go or {}
        self.index_to_arr_shapes = index_to_arr_shapes or {}
        self.kwargs = kwargs or {}
        self.assumptions = assumptions
        self.missing_shapes, self.shapes = _shapes(num_arrays, self.index_to_arr_shapes, shapes)
        self.max_examples = max_examples
        self._strategies: dict[tuple[Any, ...], st.SearchStrategy[tuple[np.ndarray, ...]]] = {}

    def arrays(self, i: int, shape: Any) -> st.SearchStrategy[np.ndarray]:
        raise NotImplementedError

    def _arrays(self, shapes: tuple[Any, ...]) -> st.SearchStrategy[tuple[np.ndarray, ...]]:
        """The tuple of :meth:`arrays` of ``shapes``, made once for each tuple of shapes."""
        if shapes not in self._strategies:
            self._strategies[shapes] = st.tuples(*(self.arrays(i, shape) for i, shape in enumerate(shapes)))
        return self._strategies[shapes]

    def draw(self, shapes: Any, data: st.DataObject) -> tuple[tuple[np.ndarray, ...], dict[str, Any]]:
        """The arrays (of the drawn shapes, within their bounds) and the keyword arguments, after
        ``assumptions`` and ``index_to_no_go`` have screened them."""
        drawn = dict(zip(sorted(self.missing_shapes), shapes.input_shapes))
        shapes = tuple(drawn.get(i, self.index_to_arr_shapes.get(i)) for i in range(self.num_arrays))
        arrs = data.draw(self._arrays(shapes), label="arrays")
        arrs = self.prepare(arrs)
        kwargs = _kwargs(self.kwargs, arrs, data)
        if self.assumptions is not None:
            assume(self.assumptions(*arrs, **kwargs))
        for i, arr in enumerate(arrs):
            for value in self.index_to_no_go.get(i, ()):
                assume(np.all(arr != value))
        return arrs, kwargs

    def prepare(self, arrs: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
        """The drawn arrays as the check takes them."""
        return arrs

    def check(self, shapes: Any, data: st.DataObject) -> None:
        raise NotImplementedError

    def __call__(self, f: Callable[..., Any]) -> Callable[..., None]:
        # (the wrapper's source is hypothesis' seed under derandomize: short, so cheap to digest)
        @mygrad_settings(self.max_examples)
        @given(shapes=self.shapes, data=st.data())
        def wrapper(shapes: Any, data: st.DataObject) -> None:
            self.check(shapes, data)

        wrapper.__name__ = f.__name__
        wrapper.__doc__ = f.__doc__
        return wrapper


class fwdprop_test_factory(_factory):  # noqa: N801 (MyGrad's name)
    """MyGrad's forward check (see the module docstring); keywords as MyGrad's uber.py: the
    tolerances, whether a 0-d array may come as a Python float, and :class:`_factory`'s."""

    def __init__(
        self, *, atol: float = 1e-7, rtol: float = 1e-7, permit_0d_array_as_float: bool = True, **common: Any
    ) -> None:
        super().__init__(**common)
        self.tolerances = {"atol": atol, "rtol": rtol}
        self.permit_0d_array_as_float = permit_0d_array_as_float

    def arrays(self, i: int, shape: Any) -> st.SearchStrategy[np.ndarray]:
        return hnp.arrays(
            shape=shape, dtype=float, elements=st.floats(*self.index_to_bnds.get(i, self.default_bnds))
        )

    def check(self, shapes: Any, data: st.DataObject) -> None:
        arrs, kwargs = self.draw(shapes, data)
        arr_copies = tuple(copy(a) for a in arrs)
        if self.permit_0d_array_as_float:
            arrs = tuple(
                a.item() if a.ndim == 0 and data.draw(st.booleans(), label=f"arr-{n} to float") else a
                for n, a in enumerate(arrs)
            )
        requires = data.draw(_flags(tuple(isinstance(a, np.ndarray) for a in arrs)), label="requires_grad")
        inputs = tuple(
            Tensor(a, requires_grad=r) if isinstance(a, np.ndarray) else a for a, r in zip(arrs, requires)
        )
        out = self.op(*inputs, **kwargs)
        note(f"arrs: {arrs}\nours: {out}")
        assert isinstance(out, Tensor), f"the op returned {type(out).__name__}, not a Tensor"
        live = any(isinstance(t, Tensor) and t.requires_grad for t in (*inputs, *kwargs.values()))
        assert out.requires_grad is live, f"requires_grad {out.requires_grad}, expected {live}"
        expected = self.true_func(*arrs, **kwargs)
        note(f"numpy: {expected!r}")
        assert out.shape == np.shape(expected), f"shape {out.shape}, numpy {np.shape(expected)}"
        assert_allclose(out.detach().numpy(), expected, err_msg="the op and numpy differ", **self.tolerances)
        for n, (arr, arr_copy) in enumerate(zip(arrs, arr_copies)):
            assert_array_equal(arr, arr_copy, err_msg=f"arr-{n} was mutated during forward prop")


class backprop_test_factory(_factory):  # noqa: N801 (MyGrad's name)
    """MyGrad's backward check (see the module docstring); keywords as MyGrad's uber.py: the arrays'
    uniqueness and elements, the numerical derivative's step and method, the tolerances, and
    :class:`_factory`'s."""

    def __init__(
        self,
        *,
        index_to_unique: dict[int, bool] | bool | None = None,
        elements_strategy: Callable[..., st.SearchStrategy[Any]] | None = None,
        h: float = 1e-20,
        rtol: float = 1e-8,
        atol: float = 1e-8,
        vary_each_element: bool = False,
        use_finite_difference: bool = False,
        **common: Any,
    ) -> None:
        super().__init__(**common)
        self.elements_strategy = elements_strategy or (
            lambda lo, hi: st.floats(lo, hi, allow_subnormal=False)
        )
        if isinstance(index_to_unique, bool):
            index_to_unique = dict.fromkeys(range(self.num_arrays), index_to_unique)
        self.index_to_unique = index_to_unique or {}
        self.h = h
        self.tolerances = {"rtol": rtol, "atol": atol}
        self.vary_each_element = vary_each_element
        self.use_finite_difference = use_finite_difference

    def arrays(self, i: int, shape: Any) -> st.SearchStrategy[np.ndarray]:
        return hnp.arrays(
            shape=shape,
            dtype=float,
            elements=self.elements_strategy(*self.index_to_bnds.get(i, self.default_bnds)),
            unique=self.index_to_unique.get(i, False),
        )

    def prepare(self, arrs: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
        return tuple(np.asarray(a, dtype=np.float64) for a in arrs)

    def numerical(
        self, arrays: Sequence[np.ndarray], grad: np.ndarray, kwargs: dict[str, Any]
    ) -> tuple[Any, ...]:
        if self.use_finite_difference:
            return finite_difference(self.true_func, *arrays, back_grad=grad, h=self.h, kwargs=kwargs)
        method = numerical_gradient_full if self.vary_each_element else numerical_gradient
        return method(self.true_func, *arrays, back_grad=grad, h=self.h, kwargs=kwargs)

    def check(self, shapes: Any, data: st.DataObject) -> None:
        arrays, kwargs = self.draw(shapes, data)
        copies = tuple(a.copy() for a in arrays)
        tensors = tuple(Tensor(a.copy(), requires_grad=True) for a in arrays)
        out = self.op(*tensors, **kwargs)
        assert isinstance(out, Tensor), f"the op returned {type(out).__name__}, not a Tensor"
        grad = data.draw(_cotangents(out.shape), label="grad")
        grad_copy = grad.copy()
        if any(out.shape != t.shape for t in tensors):  # broadcast: reduce to a scalar, as MyGrad
            (Tensor(grad) * out).sum().backward()
        else:
            out.backward(Tensor(grad))
        expected = self.numerical(copies, grad, kwargs)
        note(f"arrays: {arrays}\ngrad: {grad}")
        for n, (t, d_num) in enumerate(zip(tensors, expected)):
            assert t.grad is not None, f"arr-{n} grad is None, expected {d_num}"
            assert_allclose(
                t.grad.numpy(),
                d_num,
                err_msg=f"arr-{n}: the engine's derivative and the numerical derivative differ",
                **self.tolerances,
            )
            assert_array_equal(t.detach().numpy(), copies[n], err_msg=f"arr-{n} was mutated")
        assert_array_equal(grad, grad_copy, err_msg="`grad` was mutated during backward prop")


def as_numpy(x: Any) -> np.ndarray:
    """A Tensor's numbers (a leaf's, detached), or ``np.asarray(x)``."""
    return _data(x)


__all__ = [
    "DIFFERENCES",
    "SETTINGS",
    "as_numpy",
    "autograd",
    "backprop_test_factory",
    "finite_difference",
    "fwdprop_test_factory",
    "mygrad_settings",
    "numerical_gradient",
    "numerical_gradient_full",
    "valid_axes",
]
