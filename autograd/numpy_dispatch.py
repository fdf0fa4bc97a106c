"""NumPy on Tensors, as MyGrad does: ``np.exp(t)``, ``np.sum(t, axis=0)``, ``np.maximum(t, 0)``,
``np.matmul(a, b)``, ``np.where(c, a, b)``, ``np.concatenate([...])`` record the graph.

``Tensor.__array_ufunc__`` and ``Tensor.__array_function__`` hand numpy's calls to this module,
which maps each one onto the Tensor operation of the same meaning, so no derivative rule is
written here: gradients come from the engine's primitives (the ufuncs of the table's ops are
read from their entries in :mod:`autograd.ops`). Functions whose result carries no gradient
(comparisons, ``isnan``, ``shape``, ``allclose``, ``argsort``, ``argpartition``, ...) run on the
data and return plain numpy values, like ``t < 0`` does. Anything else raises a ``TypeError`` naming
the function and what exists instead. Plain operators (``t + 1``) never come here. Families of
operations register their numpy spellings beside their code with :func:`implements` (the shape
and selection functions in :mod:`autograd.numpy_shapes`).

NumPy hands a call here only when an argument *is* a Tensor; given a list holding Tensors it
converts them, and ``Tensor.__array__`` refuses that for a Tensor that requires grad, so no numpy
function (``np.array([t, 2 * t])``, ``np.r_``, ``np.mean([t, t])``) drops the graph silently.
This module sets Tensor's two numpy protocols; the Tensor module does not import it.
"""

from __future__ import annotations

import inspect
import operator
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import _tensor, dtypes, ops
from . import grad_mode as mode
from .ops.elementwise import Elementwise

_NO: Any = np._NoValue  # numpy's "argument not given" marker (what np.sum passes along for initial/where)


def _is_tensor(x: Any) -> bool:
    return isinstance(x, _tensor.Tensor)


def _lifted(inputs: tuple[Any, ...]) -> list[Any]:
    """Every operand as a Tensor; constants take the first Tensor's dtype, as in ``t + 1``."""
    like = next(x for x in inputs if _is_tensor(x))
    return [like._lift(x) for x in inputs]


def _data(x: Any) -> Any:
    if _is_tensor(x):
        return x.data
    if isinstance(x, (list, tuple)):
        return type(x)(_data(v) for v in x)
    return x


def _as_tensor(x: Any) -> Any:
    return x if _is_tensor(x) else _tensor.Tensor(x)


def numpy_axes(a: Any, axis: Any, keepdims: bool) -> tuple[Any, Any, bool]:
    """``(tensor, axis, keepdims)`` for a numpy reduction: numpy's ``axis=()`` reduces no axis (each
    element alone; torch's ``dim=()``, which the Tensor methods take, is every axis), so the tensor
    gets a new last axis of length 1 to reduce instead (and nothing to keep)."""
    t = _as_tensor(a)
    if type(axis) is tuple and not axis:
        return t.unsqueeze(-1), -1, False
    return t, axis, keepdims


def _refuse(func: str, **given: Any) -> None:
    """A clear error for numpy options that have no meaning for a graph node."""
    for name, value in given.items():
        if value is not None and value is not _NO and value is not False:
            raise TypeError(
                f"numpy.{func} on a Tensor: the option {name}={value!r} is not supported "
                f"(Tensor results are new graph nodes, float32/float64); call it without {name}"
            )


# ----------------------------------------------------------------------------- ufuncs
#: numpy ufunc -> the Tensor method of the table's op (filled from autograd/ops, see _install)
_TABLE: dict[np.ufunc, str] = {}
#: the ufuncs that are no elementwise op: the Tensor operation of the same meaning
_COMPOSED: dict[np.ufunc, Callable[..., Any]] = {np.matmul: operator.matmul}
_REDUCE: dict[np.ufunc, str] = {np.add: "sum", np.maximum: "max", np.minimum: "min"}
# no gradient flows through these (torch gives them zero gradient or none): computed on the data
_DATA_UFUNCS = {
    np.less,
    np.less_equal,
    np.greater,
    np.greater_equal,
    np.equal,
    np.not_equal,
    np.isnan,
    np.isinf,
    np.isfinite,
    np.signbit,
    np.logical_and,
    np.logical_or,
    np.logical_not,
    np.logical_xor,
}


def _install(entries: Sequence[Elementwise]) -> None:
    """The table's ops as numpy's: each of an entry's ufuncs, and its numpy functions that are no
    ufunc (``np.sinc``, ``np.nan_to_num``, ``np.angle``)."""
    for entry in entries:
        for ufunc in entry.ufuncs:
            if isinstance(ufunc, np.ufunc):
                _TABLE[ufunc] = entry.name
            else:
                ENTRY_FUNCTIONS[ufunc] = entry
                _FUNCTIONS[ufunc] = _entry_function(ufunc)


#: the table's numpy functions that are no ufunc (np.sinc, np.angle) -> their entries
ENTRY_FUNCTIONS: dict[Callable[..., Any], Elementwise] = {}


def call_entry_function(
    func: Callable[..., Any], args: Any, kwargs: Any, lift: Callable[[Any], Any], on: str = "Tensor"
) -> Any:
    """numpy's ``func`` (of :data:`ENTRY_FUNCTIONS`) as its entry's method of ``lift(first argument)``:
    the arguments bound by numpy's signature, the op's parameters passed by name; any other option
    must keep its default. ``lift`` makes the node, an ``on`` (Tensor, or ValueArray)."""
    entry = ENTRY_FUNCTIONS[func]
    sig = inspect.signature(func)
    first = next(iter(sig.parameters))
    try:
        bound = sig.bind(*args, **kwargs)
    except TypeError as e:
        raise TypeError(f"numpy.{func.__name__} on a {on}: {e}") from None
    for name, value in bound.arguments.items():
        default = sig.parameters[name].default
        given = value is not default and not (type(value) is type(default) and value == default)
        if name != first and name not in entry.params and given:
            raise TypeError(
                f"numpy.{func.__name__} on a {on}: the option {name}={value!r} is not supported "
                f"(the op {entry.name} has no such parameter); call it without {name}"
            )
    params = {p: bound.arguments[p] for p in entry.params if p in bound.arguments}
    return getattr(lift(bound.arguments[first]), entry.name)(**params)


def _entry_function(func: Callable[..., Any]) -> Callable[..., Any]:
    return lambda *args, **kwargs: call_entry_function(func, args, kwargs, _as_tensor)


#: the ufuncs of Python's operators -> the Tensor's method for ``number <op> tensor``
_REFLECTED = {
    np.add: "__radd__", np.subtract: "__rsub__", np.multiply: "__rmul__", np.true_divide: "__rtruediv__",
    np.floor_divide: "__rfloordiv__", np.remainder: "__rmod__", np.power: "__rpow__",
    np.less: "__gt__", np.less_equal: "__ge__", np.greater: "__lt__", np.greater_equal: "__le__",
    np.equal: "__eq__", np.not_equal: "__ne__", np.bitwise_and: "__rand__", np.bitwise_or: "__ror__",
    np.bitwise_xor: "__rxor__", np.left_shift: "__rlshift__", np.right_shift: "__rrshift__",
}  # fmt: skip


def array_ufunc(ufunc: np.ufunc, method: str, inputs: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """``Tensor.__array_ufunc__``: a numpy ufunc call on Tensors as Tensor operations. A numpy scalar
    before a Tensor (``np.float64(3.3) / t``, which numpy's scalar hands to its ufunc) is torch's
    ``number <op> tensor``: the Tensor's reflected operator with the number as torch reads it (torch's
    Tensor has ``__array_priority__``, so numpy defers to it there; a comparison hands the scalar
    over as a 0-d array)."""
    if method == "__call__" and len(inputs) == 2 and ufunc in _REFLECTED and _is_tensor(inputs[1]):
        first = inputs[0]
        if type(first) is np.ndarray and first.ndim == 0 and ufunc in _DATA_UFUNCS:
            first = first[()]
        if isinstance(first, np.generic) and not kwargs:
            return getattr(inputs[1], _REFLECTED[ufunc])(dtypes.as_number(first))
    if ufunc in _DATA_UFUNCS:
        return getattr(ufunc, method)(*(_data(x) for x in inputs), **kwargs)
    given = {k: v for k, v in kwargs.items() if not (k == "out" and all(o is None for o in v))}
    if "out" in given:
        return _into_arrays(ufunc, method, inputs, kwargs)
    if method == "__call__" and (ufunc in _TABLE or ufunc in _COMPOSED):
        if given:
            _refuse(ufunc.__name__, **given)
        args = _lifted(inputs)
        name = _TABLE.get(ufunc)
        return getattr(args[0], name)(*args[1:]) if name else _COMPOSED[ufunc](*args)
    if method == "reduce" and ufunc in _REDUCE:
        axis, keepdims = given.pop("axis", 0), given.pop("keepdims", False)
        _refuse(f"{ufunc.__name__}.reduce", **given)
        x, axis, keepdims = numpy_axes(inputs[0], axis, keepdims)
        return getattr(x, _REDUCE[ufunc])(axis, keepdims)
    what = f"numpy.{ufunc.__name__}" + ("" if method == "__call__" else f".{method}")
    supported = ", ".join(sorted(u.__name__ for u in (*_TABLE, *_COMPOSED)))
    raise TypeError(
        f"{what} is not supported on Tensors: the engine has no operation for it, so no gradient "
        f"could flow. numpy ufuncs that record the graph: {supported} (and add/maximum/minimum.reduce); "
        "see also the Tensor methods sigmoid, softplus, relu, clip, logsumexp, softmax. "
        "For the numbers only, apply it to t.data"
    )


def _into_arrays(ufunc: np.ufunc, method: str, inputs: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """A ufunc writing into ndarrays (``out=``; ``a -= lr * w.grad`` when ``a`` is an ndarray): the
    Tensors' numbers, where no gradient could be lost (nothing requires grad, or under no_grad)."""
    what = f"numpy.{ufunc.__name__}" + ("" if method == "__call__" else f".{method}")
    if any(_is_tensor(o) for o in kwargs["out"]):
        raise TypeError(
            f"{what}(..., out=<Tensor>): a Tensor is not written through numpy; use its in-place "
            "methods (t.add_(x), t.mul_(x), t.copy_(x), under no_grad for a parameter)"
        )
    if mode.is_grad_enabled() and any(_is_tensor(x) and x.requires_grad for x in inputs):
        raise TypeError(
            f"{what}(..., out=<ndarray>) on a Tensor that requires grad would drop its gradient; "
            "compute a Tensor (without out=), or use .detach() (or no_grad) for the numbers"
        )
    return getattr(ufunc, method)(*(_data(x) for x in inputs), **kwargs)


# ----------------------------------------------------------------------------- functions
def _sum(
    a: Any,
    axis: Any = None,
    dtype: Any = None,
    out: Any = None,
    keepdims: bool = False,
    initial: Any = _NO,
    where: Any = _NO,
) -> Any:
    _refuse("sum", dtype=dtype, out=out, initial=initial, where=where)
    t, axis, keepdims = numpy_axes(a, axis, keepdims)
    return t.sum(axis, keepdims)


def _mean(
    a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False, *, where: Any = _NO
) -> Any:
    _refuse("mean", dtype=dtype, out=out, where=where)
    t, axis, keepdims = numpy_axes(a, axis, keepdims)
    return _as_float(t).mean(axis, keepdims)


def _as_float(t: Any) -> Any:
    """``t`` in float64 where it holds integers or bools: numpy's mean, var and std of them are
    float64 (torch refuses them, so the Tensor methods do)."""
    return t if t.data.dtype.kind == "f" else t.to(np.float64)


def _extreme(name: str) -> Callable[..., Any]:
    def reduce(
        a: Any,
        axis: Any = None,
        out: Any = None,
        keepdims: bool = False,
        initial: Any = _NO,
        where: Any = _NO,
    ) -> Any:
        _refuse(name, out=out, initial=initial, where=where)
        t, axis, keepdims = numpy_axes(a, axis, keepdims)
        return getattr(t, name)(axis, keepdims)

    return reduce


def _spread(name: str) -> Callable[..., Any]:
    def spread(
        a: Any,
        axis: Any = None,
        dtype: Any = None,
        out: Any = None,
        ddof: float = 0,
        keepdims: bool = False,
        *,
        where: Any = _NO,
        mean: Any = _NO,
        correction: Any = _NO,
    ) -> Any:
        _refuse(name, dtype=dtype, out=out, where=where, mean=mean)
        if correction is not _NO:
            if ddof:
                raise TypeError(f"numpy.{name}: got both ddof and correction; pass one of them")
            ddof = correction
        t, axis, keepdims = numpy_axes(a, axis, keepdims)
        return getattr(_as_float(t), name)(axis, correction=ddof, keepdims=keepdims)

    return spread


def _arg(name: str) -> Callable[..., Any]:
    def arg(a: Any, axis: Any = None, out: Any = None, *, keepdims: bool = False) -> Any:
        _refuse(name, out=out)
        return getattr(_as_tensor(a), name)(axis, keepdims)

    return arg


def _reshape(a: Any, shape: Any = None, order: str = "C", *, newshape: Any = None, copy: Any = None) -> Any:
    _refuse("reshape", order=None if order == "C" else order, copy=copy)
    return _as_tensor(a).reshape(newshape if shape is None else shape)


def _transpose(a: Any, axes: Any = None) -> Any:
    return _as_tensor(a).transpose(*(() if axes is None else axes))


def _squeeze(a: Any, axis: Any = None) -> Any:
    t = _as_tensor(a)
    if axis is not None:  # numpy refuses to squeeze a longer axis (torch keeps it)
        for ax in (axis,) if isinstance(axis, int) else axis:
            if -t.ndim <= ax < t.ndim and t.shape[ax] != 1:
                raise ValueError(f"numpy.squeeze: axis {ax} has length {t.shape[ax]}, not 1")
    return t.squeeze(axis)


def _joined(name: str) -> Callable[..., Any]:
    def join(arrays: Any, axis: Any = 0, out: Any = None, *, dtype: Any = None, casting: Any = None) -> Any:
        _refuse(name, out=out, dtype=dtype, casting=None if casting in (None, "same_kind") else casting)
        if name == "concatenate" and axis is None:  # numpy flattens every array first
            arrays, axis = [_as_tensor(x).reshape(-1) for x in arrays], 0
        return getattr(_tensor, name)(list(arrays), axis)

    return join


def _where(condition: Any, x: Any = _NO, y: Any = _NO) -> Any:
    if x is _NO and y is _NO:  # np.where(c): the positions where c holds
        return np.nonzero(_data(condition))
    if x is _NO or y is _NO:
        raise TypeError("numpy.where: expected either only condition, or condition, x and y")
    return _tensor.where(condition if isinstance(condition, _tensor.Tensor) else _data(condition), x, y)


def _clip(
    a: Any,
    a_min: Any = _NO,
    a_max: Any = _NO,
    out: Any = None,
    *,
    min: Any = _NO,
    max: Any = _NO,
    **kwargs: Any,
) -> Any:
    _refuse("clip", out=out, **kwargs)
    low = None if a_min is _NO else a_min
    high = None if a_max is _NO else a_max
    low = low if min is _NO else min
    high = high if max is _NO else max
    return _as_tensor(a).clip(_bound(low), _bound(high))


def _bound(x: Any) -> Any:
    """A bound of np.clip: a Tensor kept (its gradient is torch.clamp's), else its numbers."""
    return x if isinstance(x, _tensor.Tensor) else _data(x)


# the complex-number API on real numbers: a Tensor is its own real part (torch.real gives the tensor
# itself), its imaginary part is 0 (plain zeros, no gradient: numpy's), real_if_close keeps it
# (np.conj and np.angle are the table's conjugate and angle)
def _real(val: Any) -> Any:
    return _as_tensor(val)


def _imag(val: Any) -> np.ndarray:
    return np.zeros_like(_as_tensor(val).data)


def _real_if_close(a: Any, tol: float = 100) -> Any:
    return _as_tensor(a)


_FUNCTIONS: dict[Callable[..., Any], Callable[..., Any]] = {
    np.sum: _sum,
    np.mean: _mean,
    np.max: _extreme("max"),
    np.amax: _extreme("max"),
    np.min: _extreme("min"),
    np.amin: _extreme("min"),
    np.var: _spread("var"),
    np.std: _spread("std"),
    np.argmax: _arg("argmax"),
    np.argmin: _arg("argmin"),
    np.reshape: _reshape,
    np.transpose: _transpose,
    np.squeeze: _squeeze,
    np.concatenate: _joined("concatenate"),
    np.stack: _joined("stack"),
    np.where: _where,
    np.clip: _clip,
    np.real: _real,
    np.imag: _imag,
    np.real_if_close: _real_if_close,
}
ops.generate(_install)  # (the table's ufuncs, and its numpy functions into _FUNCTIONS)


def implements(*funcs: Callable[..., Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function as the Tensor version of the numpy function(s) ``funcs``
    (NEP 18's pattern): ``@implements(np.einsum)`` beside the op, so each family of operations
    keeps its numpy spelling next to its code."""

    def register(handler: Callable[..., Any]) -> Callable[..., Any]:
        for func in funcs:
            if func in _FUNCTIONS:
                raise ValueError(f"implements: numpy.{func.__name__} already has a Tensor version")
            _FUNCTIONS[func] = handler
        return handler

    return register


# results that carry no gradient: run on the data, return plain numpy values
_DATA_FUNCTIONS = {
    np.shape,
    np.ndim,
    np.size,
    np.allclose,
    np.isclose,
    np.array_equal,
    np.array_equiv,
    np.argsort,
    np.argpartition,
    np.isreal,
    np.iscomplex,
    np.isrealobj,
    np.iscomplexobj,
    np.nonzero,
    np.flatnonzero,
    np.count_nonzero,
    np.any,
    np.all,
    np.round,
    np.around,
    np.unique,
    np.may_share_memory,
    np.shares_memory,
}


#: modules that register numpy functions (:func:`implements`) but are imported when first used
#: (``autograd.linalg``'s solvers and composed functions): the first numpy function on a Tensor
#: without a Tensor version registered imports them, then looks again
DEFERRED = [".linalg_functions", ".linalg_solvers"]


def _import_deferred() -> None:
    import importlib

    for module in tuple(DEFERRED):
        importlib.import_module(module, __package__)
    DEFERRED.clear()


def array_function(func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """``Tensor.__array_function__``: a numpy function on Tensors as Tensor operations."""
    handler = _FUNCTIONS.get(func)
    if handler is None and DEFERRED:
        _import_deferred()
        handler = _FUNCTIONS.get(func)
    if handler is not None:
        return handler(*args, **kwargs)
    if func in _DATA_FUNCTIONS:
        return func(*(_data(x) for x in args), **{k: _data(v) for k, v in kwargs.items()})
    supported = ", ".join(sorted(f.__name__ for f in _FUNCTIONS))
    module = getattr(func, "__module__", None) or "numpy"
    raise TypeError(
        f"{module}.{func.__name__} is not supported on Tensors: it has no Tensor operation, so no "
        f"gradient could flow. numpy functions that record the graph: {supported} (and the ufuncs "
        "listed by numpy.exp's error, e.g. exp, log, maximum, matmul). For the numbers only, "
        "apply it to t.data"
    )


# numpy's protocols on Tensor (this module imports the Tensor module, not the other way round)
def _tensor_array_ufunc(self: Any, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
    return array_ufunc(ufunc, method, inputs, kwargs)


def _tensor_array_function(self: Any, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
    return array_function(func, args, kwargs)


_tensor.Tensor.__array_ufunc__ = _tensor_array_ufunc  # type: ignore[method-assign]
_tensor.Tensor.__array_function__ = _tensor_array_function  # type: ignore[method-assign]
