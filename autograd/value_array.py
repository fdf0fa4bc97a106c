"""``ValueArray``: an n-dimensional array of ``Value`` nodes with the ``Tensor`` API.

It lets code written once against Tensor methods (the losses, for example)
run on scalar ``Value``s, so the whole result is one drawable Value graph.
Every element is a Value; each operation applies Value operations elementwise
(with numpy broadcasting) or reduces with Value additions, so the gradients
come from the Value rules alone.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import ops
from ._tensor import Tensor
from .composite import LAST, Axis, Composite, normalize_axis, torch_dim, torch_names, transpose_axes
from .numpy_dispatch import _DATA_UFUNCS, ENTRY_FUNCTIONS, call_entry_function
from .ops import max_shift
from .ops.elementwise import Elementwise, methods_of, named, signature
from .value import Value


def _lift(x: Any) -> Value:
    return x if isinstance(x, Value) else Value(x)


_to_values = np.frompyfunc(_lift, 1, 1)


class ValueArray(Composite):
    """A numpy object array of Values (``.values``) that behaves like a Tensor."""

    __slots__ = ("values",)

    def __init__(self, values: Any) -> None:
        if isinstance(values, ValueArray):
            values = values.values
        try:
            arr = np.array(values, dtype=object)
            if any(isinstance(x, (list, tuple)) for x in arr.flat):  # ragged lists become elements
                raise ValueError("inner sequences of different lengths")
        except ValueError as e:
            raise ValueError(
                f"ValueArray(values): expected a rectangular nested sequence, got a ragged one ({e})"
            ) from None
        self.values: np.ndarray = _to_values(arr) if arr.ndim else np.array(_lift(arr[()]), dtype=object)

    @staticmethod
    def _wrap(result: Any) -> ValueArray:
        out = ValueArray.__new__(ValueArray)
        out.values = result if isinstance(result, np.ndarray) else np.array(result, dtype=object)
        return out

    # -- numpy on ValueArrays: numpy's object loops on the elements call the Values' own methods
    # (np.exp(va) calls v.exp()), so the results are Value graphs, handed back as ValueArrays
    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """The elements, an object array of Values. Numbers (a float dtype) are refused: they would
        drop the graph (``.data`` gives them)."""
        if dtype is not None and np.dtype(dtype) != object:
            raise TypeError(
                f"ValueArray: numpy asked for its elements as {np.dtype(dtype)} numbers, which drops the "
                "graph; use va.data for the numbers (np.asarray(va) gives the Values)"
            )
        return self.values.copy() if copy else self.values

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if any(o is not None for o in kwargs.get("out", ())):
            raise TypeError(
                f"numpy.{ufunc.__name__} on a ValueArray: out= is not supported (results are new nodes)"
            )
        if ufunc in _DATA_UFUNCS:  # (comparisons, isnan, ...: on the numbers, plain results, as `va < 0`)
            return getattr(ufunc, method)(*(_numbers_of(x) for x in inputs), **kwargs)
        with np.errstate(all="ignore"):  # (see _binary)
            result = getattr(ufunc, method)(*_elements(inputs), **_elements(kwargs))
        return _nodes(result, f"numpy.{ufunc.__name__}")

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        if func in ENTRY_FUNCTIONS:  # (a table op's numpy function, np.angle: the op's method)
            return call_entry_function(func, args, kwargs, _as_value_array, "ValueArray")
        with np.errstate(all="ignore"):
            return _nodes(func(*_elements(args), **_elements(kwargs)), f"numpy.{func.__name__}")

    @staticmethod
    def _apply(prim: Any, *inputs: ValueArray, **params: Any) -> ValueArray:
        """A layout primitive of :mod:`autograd.ops.shape` on the elements (what the composed shape
        operations use): its numpy forward moves the Values (scatter_add adds them to zeros), so
        the Value graph needs nothing more; ``astype`` keeps float64, the Values' precision."""
        if prim is ops.ASTYPE:
            if params["dtype"] != np.float64:
                raise TypeError(f"astype: a ValueArray holds float64 Values, got dtype {params['dtype']}")
            return ValueArray._wrap(inputs[0].values.copy())
        if prim not in _LAYOUT:
            raise TypeError(f"ValueArray: the primitive {prim.name!r} is not a layout of the elements")
        with np.errstate(all="ignore"):  # (see _binary)
            return ValueArray(prim.forward(*(x.values for x in inputs), **params))

    # -- views of the elements
    shape = property(lambda self: self.values.shape)
    ndim = property(lambda self: self.values.ndim)
    size = property(lambda self: self.values.size)

    @property
    def data(self) -> np.ndarray:
        """The elements' values as a float64 array."""
        return np.array([v.data for v in self.values.flat], dtype=np.float64).reshape(self.values.shape)

    @property
    def grad(self) -> np.ndarray:
        """The elements' gradients as a float64 array."""
        return np.array([v.grad for v in self.values.flat], dtype=np.float64).reshape(self.values.shape)

    def to_value(self) -> Value:
        """The single element of a one-element array, as a Value."""
        if self.values.size != 1:
            raise ValueError(f"to_value: expected one element, got shape {self.values.shape}")
        return self.values.flat[0]

    def backward(self) -> None:
        """Backward from the single element (see ``Value.backward``)."""
        self.to_value().backward()

    def __len__(self) -> int:
        return len(self.values)

    def __repr__(self) -> str:
        data = np.array2string(self.data, precision=4, threshold=20)
        return f"ValueArray(shape={self.values.shape}, data={data})"

    # -- elementwise: Value operations applied with numpy broadcasting
    def _map(self, fn: Callable[[Value], Value]) -> ValueArray:
        out = np.empty(self.values.shape, dtype=object)
        out.flat = [fn(v) for v in self.values.flat]
        return ValueArray._wrap(out)

    # the elementwise ops (+ - * / **, exp, tanh, relu, maximum, clip, ...) are generated from the
    # table in autograd/ops (see _install below)
    def __matmul__(self, other: Any) -> ValueArray:
        return _binary("@", np.matmul, self.values, _operand(other))

    def where(self, condition: Any, other: Any) -> ValueArray:
        """``self`` where ``condition`` holds, else ``other`` (elements are selected, not computed)."""
        cond = np.asarray(condition)
        if cond.dtype != np.bool_:
            raise TypeError(f"where: condition must be a boolean array, got dtype {cond.dtype}")
        return ValueArray._wrap(
            np.where(cond, self.values, _to_values(np.asarray(_operand(other), dtype=object)))
        )

    # -- reductions: repeated Value additions / maxima
    def sum(
        self, axis: Axis = None, keepdims: bool = False, *, dim: Axis = None, keepdim: bool | None = None
    ) -> ValueArray:
        """Σ over ``axis`` (``dim``); a sum of no elements is the leaf Value 0.0."""
        axis, keepdims = torch_names("sum", axis, dim, keepdims, keepdim)
        axis = normalize_axis(axis, self.values.ndim, "sum")
        if self.values.size == 0:
            return ValueArray(np.zeros(np.sum(np.zeros(self.shape), axis=axis, keepdims=keepdims).shape))
        with np.errstate(all="ignore"):  # (see _binary; the flags of inf - inf outlive the sum)
            total = _from_plus_zero(np.sum(self.values, axis=axis, keepdims=keepdims))
        return ValueArray._wrap(total)

    def max(
        self,
        axis: Axis = None,
        keepdims: bool = False,
        *,
        dim: int | None = None,
        keepdim: bool | None = None,
    ) -> Any:
        """Largest element(s) as ``torch.amax``: ties split the gradient evenly, a nan anywhere makes
        the result nan (and its gradient). With ``dim``, torch's ``(values, indices)`` (see Tensor.max)."""
        if (d := torch_dim("max", axis, dim, keepdim)) is not None:
            return self._select(d, bool(keepdim or keepdims), "max")
        axis, keepdims = torch_names("max", axis, None, keepdims, keepdim)
        axis = normalize_axis(axis, self.values.ndim, "max")
        ndim = self.values.ndim
        axes = tuple(range(ndim)) if axis is None else (axis,) if isinstance(axis, int) else axis
        kept = [i for i in range(ndim) if i not in axes]
        shape = [n for i, n in enumerate(self.values.shape) if i not in axes]
        n = int(np.prod([self.values.shape[i] for i in axes]))
        if n == 0:
            raise ValueError(
                f"max: expected a non-empty axis to reduce over, got shape {self.values.shape}, axis {axis}"
            )
        rows = np.transpose(self.values, kept + list(axes)).reshape(int(np.prod(shape)), n)
        out = np.empty(len(rows), dtype=object)
        out[:] = [_max_of(row) for row in rows]
        if keepdims:
            shape = [1 if i in axes else n for i, n in enumerate(self.values.shape)]
        return ValueArray._wrap(out.reshape(shape))

    def logsumexp(
        self, axis: Axis = LAST, keepdims: bool = False, *, dim: Axis = None, keepdim: bool | None = None
    ) -> ValueArray:
        """log Σ exp(x) = log Σ exp(x - m) + m, with the shift m = max(x) a constant (0 where not finite)."""
        axis, keepdims = torch_names("logsumexp", axis, dim, keepdims, keepdim)
        axis = normalize_axis(axis, self.values.ndim, "logsumexp")
        m = self._shift(axis, inf=False)
        out = (self - m).exp().sum(axis, keepdims=True).log() + m
        return out if keepdims else out.reshape(np.squeeze(m, axis).shape)

    def log_softmax(self, axis: Axis = LAST, *, dim: Axis = None) -> ValueArray:
        """(x - m) - log Σ exp(x - m) with the constant shift m = max(x), as Tensor's: x - m is exact
        where x - logsumexp(x) would round (at logits of 1e16, logsumexp is a multiple of 2)."""
        axis = normalize_axis(torch_names("log_softmax", axis, dim)[0], self.values.ndim, "log_softmax")
        shifted = self - self._shift(axis, inf=True)
        return shifted - shifted.exp().sum(axis, keepdims=True).log()

    def _shift(self, axis: Axis, inf: bool) -> np.ndarray:
        """The max over ``axis`` (kept), 0 where not finite (``inf``: but +inf) or where the axis is
        empty (see ``ops.max_shift``)."""
        data = self.data
        if data.size == 0:
            return np.zeros(np.sum(data, axis=axis, keepdims=True).shape)
        return max_shift(data, axis, inf)

    # -- shape
    def reshape(self, *shape: Any) -> ValueArray:
        shape = tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        return ValueArray._wrap(self.values.reshape(shape))

    def transpose(self, *axes: int) -> ValueArray:
        """numpy's ``transpose()``/``transpose(axes)``, or torch's ``transpose(dim0, dim1)`` for two ints
        (as ``Tensor.transpose``)."""
        return ValueArray._wrap(self.values.transpose(*transpose_axes(axes, self.values.ndim)))

    @property
    def T(self) -> ValueArray:
        return self.transpose()

    def __getitem__(self, index: Any) -> ValueArray:
        return ValueArray._wrap(self.values[index])


_LAYOUT = (ops.RESHAPE, ops.TRANSPOSE, ops.GETITEM, ops.CONCATENATE, ops.BROADCAST_TO, ops.SCATTER_ADD)


def _max_of(values: np.ndarray) -> Value:
    """max of a row of Values, as ``torch.amax``: the maximum; with k tied maxima m + Σ (tie - m)/k
    (Σ tie/k when m = ±inf); with a nan, Σ v·nan (nan, and a nan gradient for all). The other
    elements are linked with local derivative 0, a number, not a mask: as torch's g·[x = max]/k,
    they get 0 · g, nan under an infinite g."""
    data = [v.data for v in values]
    if any(x != x for x in data):
        return sum((v * math.nan for v in values[1:]), start=values[0] * math.nan)
    m = max(data)
    tied = [v for v in values if v.data == m]
    if len(tied) < 2:
        out = tied[0]
    elif math.isinf(m):  # (tie - m) would be inf - inf
        out = sum((v * (1.0 / len(tied)) for v in tied[1:]), start=tied[0] * (1.0 / len(tied)))
    else:
        shift = Value(m)  # a constant: every (tie - m) is exactly 0, so the value stays exactly m
        out = sum(((v - shift) * (1.0 / len(tied)) for v in tied), start=shift)
    for v in values:
        if v.data != m:
            out = Value(m, None, (out, v), (1.0, 0.0), "max")
            if out._op.entry is None and out._prev:  # (under no_grad: a leaf)
                out._op.selected = (False, True)  # with create_graph: a node, derivative 0 (see value.py)
    return out


def _binary(op: str, fn: Callable[[Any, Any], Any], a: Any, b: Any) -> ValueArray:
    """``fn(a, b)`` elementwise on Values (numpy broadcasting); shape errors name the op."""
    try:
        with np.errstate(all="ignore"):  # (Value arithmetic on inf/nan sets the FPU's flags: not errors)
            return ValueArray._wrap(fn(a, b))
    except ValueError as e:
        raise ValueError(f"ValueArray op '{op}' on shapes {np.shape(a)}, {np.shape(b)}: {e}") from None


def _as_value_array(x: Any) -> ValueArray:
    return x if isinstance(x, ValueArray) else ValueArray(x)


def _numbers_of(x: Any) -> Any:
    return x.data if isinstance(x, ValueArray) else x


def _elements(x: Any) -> Any:
    """numpy's arguments with each ValueArray as its object array of Values."""
    if isinstance(x, ValueArray):
        return x.values
    if isinstance(x, (list, tuple)):
        return type(x)(_elements(v) for v in x)
    if isinstance(x, dict):
        return {k: _elements(v) for k, v in x.items()}
    return x


def _nodes(result: Any, func: str) -> Any:
    """A numpy result on Values as nodes: object arrays and Values as ValueArrays; positions and flags
    (integers, bools) as they are. Floats mean numpy converted the Values with float(), which drops
    the graph (np.gradient does): refused, naming ``func``."""
    if isinstance(result, Value) or (isinstance(result, np.ndarray) and result.dtype == object):
        return ValueArray(result)
    if isinstance(result, (list, tuple)):
        return type(result)(_nodes(r, func) for r in result)
    if isinstance(result, (float, complex, np.inexact)) or (
        isinstance(result, np.ndarray) and result.dtype.kind in "fc"
    ):
        raise TypeError(
            f"{func} on a ValueArray gave plain numbers (numpy converted the Values with float()), which "
            "drops the graph; apply it to va.data for the numbers"
        )
    return result


def holds_values(x: Any) -> bool:
    """Whether ``x`` is a Value or ValueArray, or a (nested) list/tuple/object array holding one."""
    if isinstance(x, (Value, ValueArray)):
        return True
    if isinstance(x, (list, tuple)):
        return any(holds_values(v) for v in x)
    return isinstance(x, np.ndarray) and x.dtype == object and any(holds_values(v) for v in x.flat)


def numbers(x: Any) -> np.ndarray:
    """The numbers in ``x`` (numbers, arrays, a node, or nested lists of Values) as float64, no graph."""
    if isinstance(x, (Value, ValueArray, Tensor)):
        return np.asarray(x.data, dtype=np.float64)
    if holds_values(x):
        return ValueArray(x).data
    return np.asarray(x, dtype=np.float64)


def _operand(x: Any) -> Any:
    """The other operand of an elementwise op: Values stay Values, numbers stay floats."""
    if isinstance(x, ValueArray):
        return x.values
    if isinstance(x, Value):
        return np.array(x, dtype=object)
    arr = np.asarray(x)
    if arr.dtype == object:
        return arr
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"ValueArray operand: expected numbers or Values, got dtype {arr.dtype}")
    return arr.astype(np.float64)


# ---------------------------------------------------------------------------
# The elementwise ops, generated from the table (autograd/ops): Value's op on every element
# ---------------------------------------------------------------------------
def _method(entry: Elementwise, kind: str) -> Any:
    """A ValueArray method of ``entry``: the Value op on every element (numpy broadcasting)."""
    name = entry.name
    if kind == "composed":
        return entry.method()
    if entry.plain:  # (a plain result: the numbers)
        forward = entry.forward
        if entry.arity == 1:
            return lambda self: forward(self.data)
        if kind == "reflected":
            return lambda self, other: forward(numbers(other), self.data)
        return lambda self, other: forward(self.data, numbers(other))
    if kind in ("binary", "reflected"):
        label = entry.operator or name
        # an operator over object arrays calls the Values' own (reflected) operators
        each = (
            entry.ufuncs[0]
            if entry.operator
            else np.frompyfunc(lambda a, b: getattr(_lift(a), name)(b), 2, 1)
        )
        if kind == "reflected":
            return lambda self, other: _binary(label, each, _operand(other), self.values)
        return lambda self, other: _binary(label, each, self.values, _operand(other))
    if not entry.params:
        return lambda self: self._map(getattr(Value, name))
    sig, prepare = signature(entry), entry.prepare

    def method(*args: Any, **kwargs: Any) -> ValueArray:
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        self, *params = bound.args
        params = prepare(name, "ValueArray", *params)
        return self._map(lambda v: getattr(v, name)(*params))

    return method


def _install(entries: Sequence[Elementwise]) -> None:
    """Set the ValueArray methods of ``entries``."""
    for entry in entries:
        for name, aliases, kind in methods_of(entry):
            method = named(_method(entry, kind), name, "ValueArray", __name__, entry)
            for n in (name, *aliases):
                setattr(ValueArray, n, method)


ops.generate(_install)


def _plus_zero(v: Any) -> Any:
    """``v``, or ``v + 0.0`` where it is -0.0: torch's and numpy's sums start at +0.0, so a sum of
    -0.0s is +0.0 there, where numpy's sum of an object array starts at its first element."""
    return v + 0.0 if isinstance(v, Value) and v.data == 0.0 and math.copysign(1.0, v.data) < 0 else v


_from_plus_zero = np.frompyfunc(_plus_zero, 1, 1)
