"""``Tensor``: a numpy-backed node of the computation graph.

Primitive operations and their derivatives live in :mod:`autograd.ops` (the
elementwise ones in its table, from which this module generates the Tensor
methods); this module builds graph nodes from them and runs the backward pass.
Composed operations (mean, min, softmax in :mod:`autograd.composite`; stack
here) get their gradients from the chain rule.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import cache
from operator import attrgetter
from types import SimpleNamespace
from typing import Any

import numpy as np

from . import _hooks, _packed, _retained, _versions, dtypes, ops
from . import grad_mode as mode
from . import meta as _meta
from ._errors import ArgumentError
from .composite import (
    LAST,
    Axis,
    Composite,
    MaxMin,
    _plain,
    normalize_axis,
    other_alone,
    torch_dim,
    torch_names,
    transpose_axes,
)
from .graph import (
    collector_paused,
    computed_while_tracing,
    is_tracing,
    recording_of_trace,
    refuse_backward,
    refuse_numbers_shape,
    toposort,
)
from .ops import ARRAYS, Primitive, promotion, unbroadcast
from .ops.arithmetic import tensor_power_array
from .ops.elementwise import Elementwise, methods_of, named, signature
from .shape_ops import sizes_or_keyword
from .torch_methods import GradFn, TorchHints, TorchMethods, _plain_index, split_int_index

_FLOATS = (np.dtype(np.float64), np.dtype(np.float32))
_mode = mode.state  # the context's mode flags (0: record, no anomaly checks)
_NO_GRAD, _ANOMALY, _RECORD_ALL = mode.NO_GRAD, mode.ANOMALY, mode.RECORD_ALL
_FORWARD_AD = mode.FORWARD_AD
#: the flags that need more than recording, tested once a node: anomaly checks, forward AD, saved-tensor hooks
_RARE = mode.ANOMALY | mode.FORWARD_AD | mode.SAVED_HOOKS
#: ``forward_rule(out, prim, inputs, params)``: gives ``out`` its tangent under forward AD; set by
#: autograd/autograd/forward_ad.py, which alone turns the FORWARD_AD flag on
forward_rule: Any = None
_NO_PARAMS: dict[str, Any] = {}
# hot-path helpers (C-level: no Python frame per call)
_new_tensor = object.__new__
_CLOCK = _versions.CLOCK
_data, _requires_grad = attrgetter("data"), attrgetter("requires_grad")


def _float_dtype(dtype: Any, what: str) -> np.dtype:
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt is None or dt not in _FLOATS:  # (None == np.dtype('float64') is True in numpy)
        raise TypeError(f"{what}: dtype must be float32 or float64, got {dtype!r}")
    return dt


def _real_array(data: Any, what: str) -> np.ndarray:
    """``data`` as an array of bools, integers or floats (shared where it already is one)."""
    if isinstance(data, Tensor):
        data = data.data
    try:
        arr = np.asarray(data)
    except ValueError as e:
        raise ValueError(
            f"{what}: expected a rectangular nested sequence of numbers, got a ragged one ({e})"
        ) from None
    if arr.dtype.kind not in "biuf":
        found = "Python objects" if arr.dtype.kind == "O" else f"dtype {arr.dtype}"
        raise TypeError(f"{what}: expected real numbers (bool, int or float), got {found}")
    return arr


def as_float_array(data: Any, dtype: Any = None, what: str = "Tensor(data)") -> np.ndarray:
    """``data`` as a new float32/float64 array, or a clear error naming ``what``.

    Floats keep their precision (float16 becomes float32); bools and integers
    become the default dtype (float64, see ``set_default_dtype``) unless ``dtype`` says otherwise.
    """
    target = None if dtype is None else _float_dtype(dtype, what)
    arr = _real_array(data, what)
    if arr.dtype.kind == "f":
        target = target or (arr.dtype if arr.dtype in _FLOATS else np.dtype(np.float32))
    else:
        target = target or dtypes.get_default_dtype()
    if target is not arr.dtype and target.itemsize < arr.dtype.itemsize:
        with np.errstate(over="ignore"):  # (numbers beyond float32's range: ±inf, silently, as torch)
            return np.array(arr, dtype=target, copy=True)
    return np.array(arr, dtype=target, copy=True)


def _requires_grad_flag(data: Any, flag: Any) -> None:
    """Refuse a ``requires_grad`` that is an int, as ``torch.tensor`` does: ``Tensor(2, 3)`` is torch's
    legacy 2×3 constructor, which here would be the number 2 requiring grad."""
    if isinstance(flag, (bool, np.bool_)) or not isinstance(flag, (int, np.integer)):
        return
    sizes = isinstance(data, (int, np.integer)) and not isinstance(data, (bool, np.bool_))
    raise TypeError(
        f"Tensor(): argument 'requires_grad' must be bool, not {type(flag).__name__}"
        + (
            f" (for torch's Tensor({data}, {flag}), a tensor of that shape, write "
            f"autograd.empty({data}, {flag}) or autograd.zeros({data}, {flag}))"
            if sizes
            else ""
        )
    )


def as_array(data: Any, dtype: Any = None, what: str = "Tensor(data)") -> np.ndarray:
    """``data`` as a new array of ``dtype``: a float dtype (or None) as :func:`as_float_array`, or an
    integer or bool dtype (values cast as numpy casts them)."""
    if dtype is not None:
        dt = dtypes.as_dtype(dtype, what)
        if not dtypes.is_floating(dt):
            return np.array(_real_array(data, what), dtype=dt, copy=True)
    return as_float_array(data, dtype, what)


#: how Tensors print: numpy.array2string's options, torch's defaults (4 digits, the middle elided
#: above 1000 elements); ``autograd.set_printoptions`` changes them
PRINT_OPTIONS: dict[str, Any] = {"precision": 4, "threshold": 1000, "edgeitems": 3, "max_line_width": 80}
#: a meta tensor's array (autograd/meta.py): kept as it is where a result is made an ndarray
_MetaArray = _meta.MetaArray


class Tensor(TorchMethods, Composite, TorchHints):
    """An n-dimensional array that remembers how it was computed.

    ``data`` is the ndarray (float32/float64; integer and bool Tensors hold data such as class
    indices and masks, and cannot require grad). ``grad`` is None until ``backward``, then a
    Tensor of the same shape and dtype, sharing the stored gradient's memory (so
    ``w.grad.zero_()`` clears it). Operations follow numpy broadcasting; gradients are summed back
    to each input's shape. Results require grad when any input does.
    """

    # (_grad: the gradient as the backward pass stores it, an ndarray, or a Tensor after
    # create_graph; `grad` wraps it. _made: set on recorded nodes only, the write clock when they were
    # made, which the backward pass compares with the clock: autograd/_versions.py. __weakref__: for
    # the marks of retain_grad(), autograd/_retained.py, and the hooks, autograd/_hooks.py. No slot
    # more: one costs 0.35% of a small network's step, its tensors' allocation and freeing)
    __slots__ = (
        "data", "_grad", "requires_grad", "label", "_prev", "_args", "_op", "_params", "_made", "__weakref__"
    )  # fmt: skip

    # Set from the modules that build on this one (each imports this module, never the reverse):
    # numpy's protocols __array_ufunc__ and __array_function__, by which numpy functions and ufuncs
    # on Tensors record the graph, from autograd/numpy_dispatch.py (`ndarray + Tensor` goes through
    # np.add and so gives a Tensor too); the factories Tensor.zeros, ones, ... from
    # autograd/factories.py.

    def __init__(
        self, data: Any, requires_grad: bool = False, dtype: Any = None, label: str | None = None
    ) -> None:
        if label is not None and not isinstance(label, str):
            raise TypeError(f"Tensor: label must be a str or None, got {type(label).__name__} {label!r}")
        self.data = as_array(data, dtype)
        if requires_grad:
            if requires_grad is not True:
                _requires_grad_flag(data, requires_grad)
            if self.data.dtype.kind != "f":
                raise RuntimeError(f"Tensor: {dtypes.NOT_DIFFERENTIABLE} (got dtype {self.data.dtype})")
        self._grad: Any = None
        self.requires_grad = bool(requires_grad)
        self.label = label
        self._prev: tuple[Tensor, ...] = ()
        # the inputs' data as the forward saw it (kept, not re-read from _prev: 3% of a training step)
        self._args: tuple[np.ndarray, ...] = ()
        self._op: Primitive | None = None
        self._params = _NO_PARAMS

    # -- the gradient
    @property
    def grad(self) -> Any:
        """∂(what ``backward`` started from)/∂self, accumulated: None before any backward, else a
        Tensor (no graph) sharing the stored gradient's memory, so in-place methods on it
        (``zero_()``, ``mul_()``) change the gradient. After ``backward(create_graph=True)`` it is
        that pass's graph node. Assign None to clear it, or a Tensor or ndarray of this tensor's
        shape and dtype."""
        g = self._grad
        if g is None or isinstance(g, Tensor):
            return g
        if type(self.data) is _MetaArray:  # (a meta tensor's gradient is one: its numbers are placeholders)
            return Tensor._node(_meta.meta_array(g.shape, g.dtype))
        return Tensor._node(g if type(g) is np.ndarray else np.asarray(g))

    @grad.setter
    def grad(self, value: Any) -> None:
        self._grad = None if value is None else _checked_grad(self, value)

    @property
    def _version(self) -> int:
        """How many in-place changes this tensor's memory has had (torch's ``t._version``): shared
        with its views and ``detach()``. A backward pass that would read an array changed after
        its node was made raises torch's RuntimeError (:mod:`autograd._versions`)."""
        return _versions.version(self.data)

    #: ``Tensor._changed_in_place(arrays)``: count a change of each array (tensors' ``.data``) made in
    #: place from outside (an optimizer's step, ``load_state_dict``)
    _changed_in_place = staticmethod(_versions.bump_many)

    # -- graph nodes
    @staticmethod
    def _node(data: np.ndarray, requires_grad: bool = False) -> Tensor:
        t = Tensor.__new__(Tensor)
        t.data, t._grad, t.requires_grad, t.label = data, None, requires_grad, None
        t._prev, t._args, t._op, t._params = (), (), None, _NO_PARAMS
        return t

    def _lift(self, other: Any) -> Tensor:
        """A constant operand as a Tensor: of this tensor's dtype when that is a float dtype, else
        as torch promotes an integer or bool tensor (see :func:`_operand`)."""
        if isinstance(other, Tensor):
            return other
        dtype = self.data.dtype
        kind = type(other)
        if (kind is float or kind is int) and dtype.kind == "f":  # fast path: what as_float_array returns
            if -3.4028234663852886e38 <= other <= 3.4028234663852886e38 or dtype.itemsize == 8:
                return Tensor._node(np.array(other, dtype))
            with np.errstate(over="ignore"):  # (beyond float32's range: ±inf, silently, as torch)
                return Tensor._node(np.array(other, dtype))
        if kind is np.ndarray and other.dtype == dtype:
            return Tensor._node(np.array(other, dtype))
        return Tensor._node(_operand(dtype, other))

    def _of_numbers(self, fn: Any) -> Tensor:
        """``fn(self.data)`` as a Tensor no gradient passes through (:func:`nograd`)."""
        return Tensor._constant(ops.APPLY, self, fn=fn)

    @staticmethod
    def _constant(prim: Primitive, *inputs: Tensor, **params: Any) -> Tensor:
        """A primitive no gradient passes through (``prim.constant``: a comparison, a mask's
        logic, ``detach``): its result never requires grad, and is recorded only while tracing
        for a compiled step (``mode.record_all``), which then computes it at every call."""
        args = tuple(map(_data, inputs))
        token = mode.quiet()
        try:
            data = prim.forward(*args, **params)
        except (ValueError, IndexError, TypeError) as e:
            raise _op_error(prim, inputs, e) from None
        finally:
            mode.loud(token)
        out = Tensor._node(data if type(data) is np.ndarray or type(data) is _MetaArray else np.asarray(data))
        if _mode() & _RECORD_ALL:
            out._prev, out._args, out._op, out._params = inputs, args, prim, params
            out._made = _CLOCK.now
        return out

    @staticmethod
    def _apply(prim: Primitive, *inputs: Tensor, **params: Any) -> Tensor:
        args = tuple(map(_data, inputs))
        token = mode.quiet()
        try:
            data = prim.forward(*args, **params) if params else prim.forward(*args)
        except (ValueError, IndexError, TypeError) as e:
            raise _op_error(prim, inputs, e) from None
        finally:
            mode.loud(token)
        if type(data) is not np.ndarray:  # (numpy gives a scalar for a 0-d result; a meta array stays)
            data = data if type(data) is _MetaArray else np.asarray(data)
        out = _new_tensor(Tensor)  # (Tensor._node, inlined: this is the hot path: one store a line)
        out.data = data
        out._grad = out.label = None
        flags = _mode()
        if not flags & _NO_GRAD and any(map(_requires_grad, inputs)):
            out.requires_grad = True
            out._prev = inputs
            out._args = args
            out._op = prim
            out._params = params
            out._made = _CLOCK.now  # (the backward pass checks the arrays it reads were not written since)
        elif flags & _RECORD_ALL:  # (tracing: a node no gradient passes, also one made under no_grad)
            out.requires_grad = False
            out._prev = inputs
            out._args = args
            out._op = prim
            out._params = params
            out._made = _CLOCK.now
        else:
            out.requires_grad = False
            out._prev = out._args = ()
            out._op = None
            out._params = _NO_PARAMS
        if flags & _RARE:
            _rare(out, prim, inputs, params, flags)
        return out

    @property
    def op(self) -> str:
        """Name of the primitive that produced this tensor ('' for a leaf)."""
        return self._op.name if self._op else ""

    @property
    def children(self) -> tuple[Tensor, ...]:
        """The inputs of the primitive that produced this tensor, in order."""
        return self._prev

    @property
    def local_grads(self) -> tuple[str, ...]:
        """The local derivative rule for each input, as text (for drawings)."""
        return self._op.local if self._op else ()

    # -- array protocol and properties (``size``: torch's method, see TorchMethods)
    shape = property(lambda self: self.data.shape)
    ndim = property(lambda self: self.data.ndim)
    dtype = property(lambda self: self.data.dtype)

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """The numbers as an ndarray (``np.array(t)`` copies, ``np.asarray(t)`` shares).

        Refused (``TypeError``) for a Tensor that requires grad while grad mode is on, as torch
        refuses ``numpy()`` there: numpy would hand on the numbers and drop the graph, so a
        gradient would silently come out 0 (``np.array([t, 2 * t])``, ``np.mean([t, t + 2])``).
        Integer and boolean arrays carry no gradient and are given.
        """
        if (
            self.requires_grad
            and not _mode() & mode.NO_GRAD
            and (dtype is None or np.dtype(dtype).kind not in "biu")
        ):
            raise _conversion_refused()
        return np.array(self.data, dtype, copy=True) if copy else np.asarray(self.data, dtype)

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        extra = (", requires_grad=True" if self.requires_grad else "") + (
            f", label={self.label!r}" if self.label else ""
        )
        if _meta.is_meta(self.data):  # (no values: torch's "tensor(..., device='meta', size=(2, 3))")
            return f"Tensor(..., device='meta', size={self.data.shape}, dtype={self.data.dtype}{extra})"
        body = np.array2string(self.data, separator=", ", prefix="Tensor(", **PRINT_OPTIONS)
        return f"Tensor({body}, dtype={self.data.dtype}{extra})"

    def __format__(self, spec: str) -> str:
        """``f"{t:.3f}"`` formats a 0-d tensor's number, as torch (``f"{t}"`` too); other shapes
        take no format spec (``f"{t}"`` is ``str(t)``)."""
        if self.data.ndim == 0:
            return format(self.data.item(), spec)
        if spec:
            raise TypeError(
                f"unsupported format string passed to Tensor.__format__: {spec!r} formats a 0-d Tensor "
                f"only (this one has shape {self.data.shape}); format t.item() or t.tolist()"
            )
        return str(self)

    def item(self) -> Any:
        """The single element as a Python number (float; int or bool for those dtypes), as torch.

        Raises
        ------
        RuntimeError
            If the tensor has more or fewer than one element (torch's error).
        """
        if self.data.size != 1:
            raise RuntimeError(
                f"item: a Tensor with {self.data.size} elements cannot be converted to Scalar "
                f"(shape {self.data.shape}); use .tolist() or .numpy() for several"
            )
        return self.data.reshape(()).item()

    def numpy(self) -> np.ndarray:
        """The underlying array (shared, not copied).

        Raises:
            RuntimeError: the tensor requires grad (torch's error: ``detach().numpy()``).
            TypeError: a meta tensor (torch's error: it has no data).
        """
        if _meta.is_meta(self.data):
            raise TypeError(
                "can't convert meta device type tensor to numpy. Use Tensor.cpu() to copy the tensor to "
                "host memory first."
            )
        if self.requires_grad:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."
            )
        return self.data

    def detach(self) -> Tensor:
        """The same data as a constant: no graph, no gradient."""
        return Tensor._constant(ops.DETACH, self)

    def zero_grad(self) -> None:
        """Forget the accumulated gradient (``grad = None``)."""
        self._grad = None

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Start (or stop) tracking gradients for this leaf, in place; returns the tensor, as torch."""
        if self._prev and not self.requires_grad:  # (recorded while tracing: made a leaf, as torch's)
            self._prev, self._args, self._op, self._params = (), (), None, _NO_PARAMS
        if self._prev and not requires_grad:
            raise RuntimeError(
                "requires_grad_: this tensor was computed from others; use detach() for a constant copy"
            )
        if requires_grad and self.data.dtype.kind != "f":
            raise RuntimeError(f"requires_grad_: {dtypes.NOT_DIFFERENTIABLE} (got dtype {self.data.dtype})")
        self.requires_grad = bool(requires_grad)
        return self

    def _one(self, to: str) -> Any:
        if self.data.size != 1:
            raise TypeError(
                f"{to}(): only a tensor with one element converts to a Python {to}, got shape "
                f"{self.data.shape}; use .data or .numpy() for the array"
            )
        if type(self.data) is _MetaArray:
            raise RuntimeError(_meta.NO_ITEM)
        return self.data.reshape(())

    def __float__(self) -> float:
        return float(self._one("float"))

    def __int__(self) -> int:
        return int(self._one("int"))

    def __index__(self) -> int:
        if self.data.dtype.kind not in "iu":
            raise TypeError(
                "only integer tensors of a single element can be converted to an index, "
                f"got dtype {self.dtype}"
            )
        return int(self._one("int"))

    def __bool__(self) -> bool:
        if self.data.size != 1:
            what = "no values" if self.data.size == 0 else "more than one value"
            raise RuntimeError(
                f"Boolean value of Tensor with {what} is ambiguous (shape {self.data.shape}); "
                "use .any() or .all()"
            )
        if type(self.data) is _MetaArray:
            raise RuntimeError(_meta.NO_ITEM)
        return bool(self.data.reshape(()))

    # -- comparisons: bool Tensors of the data (no gradient), as torch's; hashing stays by identity,
    # so nodes still work as dict keys and set members
    __hash__ = object.__hash__

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(ops.EQ, other)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(ops.NE, other)

    def __lt__(self, other: Any) -> Tensor:
        return self._compare(ops.LT, other)

    def __le__(self, other: Any) -> Tensor:
        return self._compare(ops.LE, other)

    def __gt__(self, other: Any) -> Tensor:
        return self._compare(ops.GT, other)

    def __ge__(self, other: Any) -> Tensor:
        return self._compare(ops.GE, other)

    def _compare(self, prim: Primitive, other: Any) -> Tensor:
        if isinstance(other, Tensor):
            return Tensor._constant(prim, self, other)
        if type(other) in (float, int, bool):  # (a Python number: cast to this dtype, as torch's)
            return Tensor._constant(prim, self, other=other)
        return Tensor._constant(prim, self, Tensor._node(_plain(other)))

    # -- the elementwise ops (+ - * / **, exp, tanh, relu, maximum, clip, ...) are generated from
    # the table in autograd/ops (see _install below); matmul is a primitive of its own
    def __matmul__(self, other: Any) -> Tensor:
        return Tensor._apply(ops.MATMUL, self, self._lift(other))

    def __rmatmul__(self, other: Any) -> Tensor:
        return Tensor._apply(ops.MATMUL, self._lift(other), self)

    # -- reductions
    def sum(
        self,
        axis: Axis = None,
        keepdims: bool = False,
        *,
        dim: Axis = None,
        keepdim: bool | None = None,
        dtype: Any = None,
    ) -> Tensor:
        """The sum over ``axis`` (or torch's ``dim``), of the input cast to ``dtype`` first if given;
        integers and bool give int64, as torch's."""
        if dtype is not None or (self.data.dtype.kind in "biu" and self.data.dtype != dtypes.int64):
            return dtypes.accumulate(
                self, dtype, "sum", lambda x: x.sum(axis, keepdims, dim=dim, keepdim=keepdim)
            )
        axis, keepdims = torch_names("sum", axis, dim, keepdims, keepdim)
        axis = normalize_axis(axis, self.data.ndim, "sum")
        return Tensor._apply(ops.SUM, self, axis=axis, keepdims=keepdims)

    def max(
        self,
        axis: Axis = None,
        keepdims: bool = False,
        *,
        dim: int | None = None,
        keepdim: bool | None = None,
        other: Any = None,
    ) -> Any:
        """Largest element(s); ties split the gradient evenly (like ``torch.amax``). With ``dim``, or
        an int axis and torch's ``keepdim`` (``x.max(1, keepdim=True)``), torch's ``max(dim)``:
        ``(values, indices)``, the gradient going to the first maximum. With a tensor (or torch's
        ``other=``), torch's ``x.max(other)``: ``maximum``."""
        if other is not None:
            axis = other_alone("max", other, axis, keepdims, dim, keepdim, Tensor)
        if isinstance(axis, Tensor):
            return self.maximum(axis)
        if (d := torch_dim("max", axis, dim, keepdim)) is not None:
            return self._select(d, bool(keepdim or keepdims), "max")
        axis, keepdims = torch_names("max", axis, None, keepdims, keepdim)
        axis = normalize_axis(axis, self.data.ndim, "max")
        return Tensor._apply(ops.MAX, self, axis=axis, keepdims=keepdims)

    def logsumexp(
        self, axis: Axis = LAST, keepdims: bool = False, *, dim: Axis = None, keepdim: bool | None = None
    ) -> Tensor:
        """log Σ exp(x) over ``axis``, shifted by the max so it never overflows; its gradient: softmax.
        Integers and bools give the default float dtype, as torch's."""
        axis, keepdims = torch_names("logsumexp", axis, dim, keepdims, keepdim)
        axis = normalize_axis(axis, self.data.ndim, "logsumexp")
        x = self if self.data.dtype.kind in "fc" else self.to(dtypes.get_default_dtype())
        return Tensor._apply(ops.LOGSUMEXP, x, axis=axis, keepdims=keepdims)

    def _variance(self, axis: Axis, keepdims: bool, correction: float) -> Tensor:
        """``var`` of checked arguments: the primitive, with torch's rule (see ``ops.VAR``)."""
        return Tensor._apply(ops.VAR, self, axis=axis, keepdims=keepdims, correction=correction)

    def log_softmax(self, axis: Axis = LAST, *, dim: Axis = None, dtype: Any = None) -> Tensor:
        """x - logsumexp(x) along ``axis``, computed from the max-shifted x (no overflow, no log(0));
        of the input cast to ``dtype`` first if given."""
        if dtype is not None:
            return dtypes.cast_first(self, dtype, "log_softmax").log_softmax(axis, dim=dim)
        axis, _ = torch_names("log_softmax", axis, dim)
        axis = normalize_axis(axis, self.data.ndim, "log_softmax")
        if self.data.dtype.kind in "biu":
            if not self.data.size:  # (torch runs no kernel: an empty result of the integer dtype)
                return self._of_numbers(np.copy)
            dtypes.refuse_integers(
                self, dtypes.KERNEL_OF_FLOATS.format(op="log_softmax"), NotImplementedError
            )
        return Tensor._apply(ops.LOG_SOFTMAX, self, axis=axis)

    # -- shape
    def reshape(self, *sizes: Any, shape: Any = None) -> Tensor:
        """This tensor's elements in the shape given as ints, one sequence, or torch's ``shape=``."""
        if shape is not None:
            sizes = sizes_or_keyword("reshape", sizes, "shape", shape)
        sizes = tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)) else sizes
        return Tensor._apply(ops.RESHAPE, self, shape=sizes)

    def transpose(self, *axes: int, dim0: int | None = None, dim1: int | None = None) -> Tensor:
        """numpy's ``transpose()`` (all axes reversed) and ``transpose(axes)`` (a permutation), or
        torch's ``transpose(dim0, dim1)`` (those two swapped) when given two ints (or as keywords):
        so on a 2-d tensor ``transpose(0, 1)`` swaps, as torch (numpy would read it as the identity)."""
        if dim0 is not None or dim1 is not None:
            axes = (*axes, *(d for d in (dim0, dim1) if d is not None))
        axes = transpose_axes(axes, self.data.ndim)
        if axes and sorted(a + self.data.ndim if a < 0 else a for a in axes) != list(range(self.data.ndim)):
            raise ValueError(f"transpose: axes {axes} are not a permutation of {self.data.ndim} dimensions")
        norm = tuple(a % self.data.ndim for a in axes) if axes else None
        return Tensor._apply(ops.TRANSPOSE, self, axes=norm)

    @property
    def T(self) -> Tensor:
        return self.transpose()

    def __getitem__(self, index: Any) -> Tensor:
        if is_tracing():
            parts = index if isinstance(index, tuple) else (index,)
            computed = [k for k, i in enumerate(parts) if computed_while_tracing(i)]
            if computed:
                return self._index_by(parts, computed)
        index = _plain_index(index)
        if (parts := split_int_index(index)) is not None:  # x[1, :, idx]: the int first, as torch
            selected = Tensor._apply(ops.GETITEM, self, index=parts[0])
            return Tensor._apply(ops.GETITEM, selected, index=parts[1])
        return Tensor._apply(ops.GETITEM, self, index=index)

    def _index_by(self, parts: tuple, computed: list[int]) -> Tensor:
        """``self[parts]`` where the parts at ``computed`` are positions the traced function computed
        (an argmax): inputs of the graph, so that a compiled step indexes by each call's. A bool
        mask computed so is refused: the result's shape would be the trace's count."""
        for k in computed:
            if parts[k].data.dtype == np.bool_:
                refuse_numbers_shape(
                    "indexing by a bool mask the function computed (x[x > 0])",
                    "Use autograd.where(mask, x, 0.0) (or x.masked_fill(~mask, 0.0)) and reduce, dividing by "
                    "mask.sum() for a mean; or pass the mask as an argument (a new count traces again)",
                )
        _plain_index(tuple(parts))  # (the checks: integer or bool Tensors)
        key = tuple(
            ops.shape.Slot(computed.index(k)) if k in computed else _plain_index(p)
            for k, p in enumerate(parts)
        )
        return Tensor._apply(ops.GETITEM, self, *(parts[k] for k in computed), index=key)

    def _sorted(self, axis: int, descending: bool, order: np.ndarray) -> Tensor:
        return Tensor._apply(ops.SORT, self, axis=axis, descending=descending)

    def _at_extreme(self, axis: int, op: str, idx: np.ndarray) -> Tensor:
        return Tensor._apply(ops.MAX_DIM if op == "max" else ops.MIN_DIM, self, axis=axis)

    def _positions_of(self, find: Any) -> Tensor:
        return nograd(lambda d: np.asarray(find(d), dtype=np.int64), self)  # (each call's positions)

    def _take_positions(self, find: Any, axis: int, of: Any) -> tuple[Tensor, Tensor]:
        index = of._positions_of(find)
        at = ops.shape.along(ops.shape.Slot(0), axis, self.shape)
        return Tensor._apply(ops.GETITEM, self, index, index=at), index

    def _shared_among_ties(self, flat: Tensor, median: Tensor) -> Tensor:
        shift = median.detach()  # (each tie - m is exactly 0: the value is m)
        ties = nograd(_ties, flat, shift)
        share = nograd(lambda t: np.asarray(1.0 / np.count_nonzero(t)), ties)
        return shift + (where(ties, flat - shift, 0.0) * share).sum()

    def where(self, condition: Any, other: Any) -> Tensor:
        """``self`` where ``condition`` holds, else ``other`` (see :func:`where`)."""
        return where(condition, self, other)

    # -- positions of the extremes: int64 Tensors, as torch's
    def argmax(
        self,
        axis: int | None = None,
        keepdims: bool = False,
        *,
        dim: int | None = None,
        keepdim: bool | None = None,
    ) -> Tensor:
        """Index of the (first) largest element, over everything or along ``axis``/``dim`` (nan counts
        as the largest): an int64 Tensor."""
        return self._position("argmax", axis, keepdims, dim, keepdim)

    def argmin(
        self,
        axis: int | None = None,
        keepdims: bool = False,
        *,
        dim: int | None = None,
        keepdim: bool | None = None,
    ) -> Tensor:
        """Index of the (first) smallest element (see ``argmax``): an int64 Tensor."""
        return self._position("argmin", axis, keepdims, dim, keepdim)

    def _position(self, op: str, axis: Any, keepdims: bool, dim: Any, keepdim: bool | None) -> Tensor:
        """argmax/argmin as an int64 Tensor; while a compiled step traces, computed at every call."""
        if self.data.dtype.kind == "b":
            raise RuntimeError(f"{op}(): does not support bool input (cast the tensor to int64 first)")
        found = self._arg(op, axis, keepdims, dim, keepdim)
        if not is_tracing():
            return Tensor._node(found)
        axis, keepdims = torch_names(op, axis, dim, keepdims, keepdim)
        return nograd(_arg_of(op, normalize_axis(axis, self.ndim, op), keepdims), self)

    def _select(self, axis: int, keepdims: bool, op: str) -> MaxMin:
        values, indices = Composite._select(self, axis, keepdims, op)
        if is_tracing() and self.ndim:  # (the positions from each call's numbers)
            return MaxMin(
                values, nograd(_arg_of("arg" + op, normalize_axis(axis, self.ndim, op), keepdims), self)
            )
        return MaxMin(values, Tensor._node(indices))

    # -- reverse mode
    def backward(
        self,
        gradient: Any = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
        inputs: Any = None,
    ) -> None:
        """Accumulate ∂self/∂leaf into ``leaf.grad`` for every leaf that requires grad, as torch.

        Leaf gradients accumulate across calls, as in PyTorch: reset them with ``zero_grad`` (or
        ``w.grad = None``). Intermediate tensors keep this pass's gradient.

        Parameters
        ----------
        gradient : array_like or Tensor, optional
            ∂L/∂self, of self's shape; None for a one-element tensor (ones).
        retain_graph : bool, optional
            Accepted for torch's signature: graphs here are never freed, so a second backward
            through the same graph works without it.
        create_graph : bool
            Every ``.grad`` becomes a Tensor built by the same VJPs, so it can be differentiated
            again (as in PyTorch).
        inputs : Tensor or sequence of Tensor, optional
            Accumulate into these tensors' ``.grad`` only (leaves or not), as torch; None: every
            leaf.

        Raises
        ------
        RuntimeError
            If self does not require grad, ``gradient`` is missing for a non-scalar output or has
            another shape, or ``inputs`` is empty or holds a tensor that does not require grad
            (torch's errors).
        """
        if not self.requires_grad:
            raise RuntimeError(
                "backward: element 0 of tensors does not require grad and does not have a grad_fn (no "
                "input had requires_grad=True, or it was computed under no_grad)"
            )
        seed = _seed(self, gradient, "backward(gradient)", keep_node=create_graph)
        if inputs is not None:
            return _backward_into(self, seed, _backward_inputs(inputs), create_graph)
        if create_graph:
            return _backward_graph(self, seed, create_graph=True)
        with collector_paused():
            token = mode.quiet()
            try:
                _backward(self, seed)
            finally:
                mode.loud(token)


def _rare(out: Tensor, prim: Primitive, inputs: tuple[Tensor, ...], params: dict, flags: int) -> None:
    """What a new node needs under the rare flags: ``detect_anomaly``'s check of its numbers, its
    tangent under forward AD, its saved tensors packed inside ``saved_tensors_hooks``."""
    if flags & _ANOMALY and not np.isfinite(out.data).all():
        raise mode.anomaly_error(prim.name, "forward")
    if flags & _FORWARD_AD:
        forward_rule(out, prim, inputs, params)
    if flags & mode.SAVED_HOOKS and out.requires_grad:
        _packed.pack(out, GradFn(out).name())


_NUMPY_PACKAGES = {"linalg", "fft", "random", "testing", "ma", "polynomial"}


def _conversion_refused() -> TypeError:
    """The error of ``Tensor.__array__`` on a Tensor that requires grad, naming the numpy function
    that asked where it is Python code (the outermost numpy frame above the conversion)."""
    frame, caller = sys._getframe(2), None
    while frame is not None and frame.f_globals.get("__name__", "").startswith("numpy"):
        caller, frame = frame, frame.f_back
    if caller is None:
        what = "numpy (np.array, np.asarray or a ufunc, given a Tensor or a list holding Tensors)"
    elif caller.f_code.co_name == "__getitem__":  # np.r_[...] and np.c_[...]
        what = {"RClass": "numpy.r_", "CClass": "numpy.c_"}.get(
            type(caller.f_locals.get("self")).__name__, "numpy"
        )
    else:
        module = caller.f_globals["__name__"].split(".")
        public = module[:2] if module[1:2] and module[1] in _NUMPY_PACKAGES else module[:1]
        what = ".".join([*public, caller.f_code.co_name])
    return TypeError(
        f"{what} converted a Tensor that requires grad to a plain array, which drops the graph (the "
        "gradient would silently be 0). To build an array of Tensors call autograd.stack([...]) or "
        "autograd.concatenate([...]) (np.stack, np.concatenate and np.append given Tensors record the "
        "graph); for the numbers only, pass t.detach() or t.data (torch: t.detach().numpy())"
    )


def _seed(root: Tensor, gradient: Any, what: str, keep_node: bool = False) -> Any:
    """The gradient that starts backward from ``root``: ones for a one-element output.

    Raises:
        RuntimeError: no gradient for a non-scalar output, or one of another shape (as torch).
    """
    if gradient is None:
        if root.data.size != 1:
            raise RuntimeError(
                f"{what.split('(')[0]}: grad can be implicitly created only for scalar outputs: the output "
                f"has shape {root.data.shape}; pass an explicit gradient argument of that shape"
            )
        data = root.data
        if type(data) is np.ndarray:  # (np.ones: ones_like's dispatch costs 1% of a small step)
            return np.ones(data.shape, data.dtype)
        return np.ones_like(data)  # (a meta one for a meta root)
    if keep_node and isinstance(gradient, Tensor):
        seed = gradient
    else:
        seed = as_float_array(gradient, root.data.dtype, what)
    if seed.shape != root.data.shape:
        raise RuntimeError(
            f"{what.split('(')[0]}: Mismatch in shape: gradient must have the output's shape "
            f"{root.data.shape}, got {seed.shape}"
        )
    return seed


def _backward_inputs(inputs: Any) -> list[Tensor]:
    """``backward(inputs=...)`` as a list of tensors that require grad."""
    found = (
        [inputs]
        if isinstance(inputs, Tensor)
        else list(inputs)
        if isinstance(inputs, (list, tuple))
        else None
    )
    if found is None or not all(isinstance(x, Tensor) for x in found):
        raise TypeError(f"backward: inputs must be a Tensor or a sequence of Tensors, got {inputs!r}")
    if not found:
        raise RuntimeError("backward: 'inputs' argument to backward() cannot be empty.")
    for i, x in enumerate(found):
        if not x.requires_grad:
            raise RuntimeError(
                f"backward: One of the differentiated Tensors does not require grad (inputs[{i}])"
            )
    return found


def _backward_into(root: Tensor, seed: Any, inputs: list[Tensor], create_graph: bool) -> None:
    """``backward(inputs=...)``: this pass's gradient accumulated into the ``.grad`` of ``inputs`` only."""
    grads, topo = vjp_pass([root], [seed], create_graph)
    if _retained.MARKED:  # (torch adds into each retain_grad() tensor it reached: the others here)
        _retained.add(grads, topo, inputs, skip_inputs=True)
    for x in {id(x): x for x in inputs}.values():
        g = grads.get(id(x))
        if g is None:
            continue
        if not create_graph:
            g = np.array(g, copy=True)  # (owned: a gradient may be modified in place)
        x._grad = g if x._grad is None else x._grad + g
    if _hooks.HOOKED:
        _hooks.after_accumulate(x for x in inputs if not x._prev and grads.get(id(x)) is not None)


def _backward(root: Tensor, seed: np.ndarray) -> None:
    """Reverse mode: each node, after every node that uses it, passes g · ∂node/∂input to its inputs."""
    if is_tracing():
        refuse_backward("Tensor.backward()")
    topo = toposort(root, leaves=False)  # the computed nodes, inputs first
    # (the general pass runs tensors' hooks, autograd/_hooks.py, and unpacks saved tensors, _packed.py)
    if (_hooks.HOOKED and _hooks.reaches((root,), topo)) or (_packed.PACKED and _packed.reaches(topo)):
        return _backward_graph(root, seed, create_graph=False)
    kept = _retained.before_pass(topo) if _retained.MARKED else None
    for node in topo:
        node._grad = None
    _accumulate(root, seed, None)
    fast = not _mode() & mode.ANOMALY
    now = _CLOCK.now
    for node in reversed(topo):
        g = node._grad
        if g is None:
            continue
        if node._made != now:  # (something was written in place since this node was made)
            _versions.check(node)
        vjps, out, args, params = node._op.vjps, node.data, node._args, node._params
        for i, x in enumerate(node._prev):
            if x.requires_grad:
                gx = vjps[i](ARRAYS, g, out, *args, **params) if params else vjps[i](ARRAYS, g, out, *args)
                if type(gx) is not np.ndarray:  # (numpy gives a scalar for a 0-d result)
                    if gx is None:  # (no gradient flows there: a selection's link)
                        continue
                    gx = np.asarray(gx)
                xd = x.data
                if (
                    fast
                    and x._grad is None
                    and gx.shape == xd.shape
                    and gx.dtype == xd.dtype
                    and (x._prev or (gx.base is None and gx is not g))
                ):
                    # (_accumulate's common case, inlined: a first gradient already of x's shape and
                    # dtype, for a leaf one that shares no memory: a leaf's grad may be edited in place)
                    x._grad = gx
                else:
                    _accumulate(x, gx, node)
    if kept:
        _retained.after_pass(kept)


def _accumulate(x: Tensor, g: np.ndarray, source: Tensor | None) -> None:
    """Add gradient ``g`` (from ``source``'s VJP) into ``x._grad``: the one place that
    reduces broadcast gradients to ``x``'s shape and keeps ``x``'s dtype."""
    xd = x.data
    if type(g) is np.ndarray and g.dtype == xd.dtype and not _mode():
        if g.shape != xd.shape:  # (_fit's common case, inlined: a broadcast array's gradient)
            g = unbroadcast(g, xd.shape)
    else:
        g = _fit(x, g, source)
    if x._grad is None:
        # a leaf's grad may be modified in place (clipping); never share its memory
        owned = x._prev or (g.base is None and (source is None or g is not source._grad))
        x._grad = g if owned else g.copy()
    else:
        total = x._grad + g  # (a Tensor after create_graph=True: the sum stays in its graph, as torch's)
        if type(total) is not np.ndarray and not isinstance(total, Tensor):
            total = np.asarray(total)  # (0-d: numpy gives a scalar)
        x._grad = total


def _fit(x: Tensor, g: Any, source: Tensor | None) -> Any:
    """``g`` reduced to ``x``'s shape (an ndarray of ``x``'s dtype, or a Tensor), checked under
    ``detect_anomaly``."""
    shape = x.data.shape
    if isinstance(g, Tensor):
        g = TENSORS.astype(unbroadcast(g, shape, TENSORS), x.data.dtype)
        bad = _mode() & mode.ANOMALY and not np.isfinite(g.data).all()
    else:
        if type(g) is not np.ndarray:
            g = np.asarray(g)
        if g.shape != shape:
            g = unbroadcast(g, shape)
        if g.dtype != x.data.dtype:
            g = g.astype(x.data.dtype)
        bad = _mode() & mode.ANOMALY and not np.isfinite(g).all()
    if bad:
        raise mode.anomaly_error("backward seed" if source is None else source.op, "backward")
    return g


def _topo(roots: Sequence[Tensor]) -> list[Tensor]:
    """The computed nodes reachable from ``roots``, each after its inputs."""
    order: list[Tensor] = []
    seen: set[int] = set()
    for root in roots:
        for node in toposort(root, leaves=False, grad_only=True):
            if id(node) not in seen:
                seen.add(id(node))
                order.append(node)
    return order


def vjp_pass(
    roots: Sequence[Tensor],
    seeds: Sequence[Any],
    create_graph: bool,
    before_hooks: dict[int, Any] | None = None,
) -> tuple[dict[int, Any], list[Tensor]]:
    """∂(Σ ⟨seed, root⟩)/∂node for the nodes reachable from ``roots`` that require grad, keyed by id.

    With ``create_graph`` the VJPs run on the Tensors themselves (recorded even under
    ``no_grad``, as PyTorch), so each gradient is a Tensor that can be differentiated again;
    otherwise on the arrays the forward pass saw. Returns the dict and the computed nodes. The
    tensors' hooks run as the pass goes (:mod:`autograd._hooks`); ``before_hooks``, if given, gets
    each hooked computed node's gradient as it was before its hooks.
    """
    if not create_graph and is_tracing():
        refuse_backward("a gradient as numbers (create_graph=False)")
    topo = _topo(roots)
    grads: dict[int, Any] = {}
    plan = _hooks.plan(topo, roots, create_graph, before_hooks) if _hooks.HOOKED else None
    packed = _packed.PACKED

    def add(x: Tensor, g: Any, source: Tensor | None) -> None:
        g = _fit(x, g, source)
        old = grads.get(id(x))
        grads[id(x)] = g if old is None else old + g

    reads: list[Tensor] = []  # (create_graph) the nodes whose data the current VJP selected by
    with mode.enable_grad(create_graph), collector_paused():
        token = mode.quiet()
        try:
            for root, seed in zip(roots, seeds):
                add(root, Tensor._node(seed) if create_graph and not isinstance(seed, Tensor) else seed, None)
            ns = _reading(reads) if create_graph else ARRAYS
            now = _CLOCK.now
            for node in reversed(topo):
                if plan is not None:
                    plan.reach(node, grads)
                g = grads.get(id(node))
                if g is None:
                    continue
                if node._made != now:
                    _versions.check(node)
                vjps, params = node._op.vjps, node._params
                out, inputs = (node, node._prev) if create_graph else (node.data, node._args)
                if packed and id(node) in packed:  # (saved tensors through their unpack hooks)
                    out, inputs = _packed.unpacked(node, out, inputs, create_graph)
                for i, x in enumerate(node._prev):
                    if x.requires_grad:
                        gx = vjps[i](ns, g, out, *inputs, **params)
                        if gx is None:  # (no gradient flows there: a selection's link)
                            continue
                        if create_graph:
                            gx = _selected(gx, reads)
                        add(x, gx, node)
            if plan is not None:
                plan.reach(None, grads)
        finally:
            mode.loud(token)
    return grads, topo


def _reading(reads: list[Tensor]) -> SimpleNamespace:
    """The Tensor number system, noting in ``reads`` each node whose data a VJP reads (to select by)."""

    def num(x: Any) -> Any:
        if isinstance(x, Tensor) and x.requires_grad:
            reads.append(x)
        return _data(x)

    return SimpleNamespace(**{**vars(TENSORS), "num": num})


def _selected(gx: Any, reads: list[Tensor]) -> Any:
    """A VJP's result ``gx``; where it is no node but was selected by the data of nodes that require
    grad (a mask, a sign), a node depending on those with derivative 0, as in PyTorch, where such a
    gradient requires grad and its derivative is 0. Clears ``reads``."""
    by = list({id(r): r for r in reads}.values())
    reads.clear()
    if not by or (isinstance(gx, Tensor) and gx.requires_grad):
        return gx
    return Tensor._apply(ops.SELECTED, gx if isinstance(gx, Tensor) else Tensor._node(np.asarray(gx)), *by)


def _backward_graph(root: Tensor, seed: Any, create_graph: bool) -> None:
    """``root.backward(seed, create_graph=True)``: every ``.grad`` becomes a Tensor. (Also
    ``backward()`` where tensors have hooks: ``create_graph=False``, the gradients arrays.)"""
    if is_tracing():
        refuse_backward("Tensor.backward(create_graph=True)")
    grads, topo = vjp_pass([root], [seed], create_graph)
    kept = _retained.before_pass(topo) if _retained.MARKED else None
    for node in topo:
        node._grad = grads.get(id(node))
    if kept:
        _retained.after_pass(kept)
    leaves = {id(x): x for node in topo for x in node._prev if not x._prev and x.requires_grad}
    if not root._prev:
        leaves[id(root)] = root
    for key, leaf in leaves.items():
        g = grads.get(key)
        if g is not None:  # (without a graph, in memory of its own: a leaf's grad may change in place)
            leaf._grad = g if create_graph and leaf._grad is None else _retained.total(leaf._grad, g)
    if _hooks.HOOKED:
        _hooks.after_accumulate(leaf for key, leaf in leaves.items() if grads.get(key) is not None)


def _checked_grad(x: Tensor, value: Any) -> Any:
    """``x.grad = value``: what to store (a Tensor's own array, shared, as torch shares it; a node with
    a graph as it is; an ndarray, or the ndarray ``.data`` of a gradient-like object), checked
    against ``x`` with torch's errors."""
    if isinstance(value, Tensor):
        stored = value if value.requires_grad else value.data
        numbers = value.data
    elif isinstance(value, (np.ndarray, np.generic)):
        stored = numbers = np.asarray(value)
    elif isinstance(getattr(value, "data", None), np.ndarray):
        stored = numbers = value.data
    else:
        raise TypeError(
            "assigned grad expected to be a Tensor, an ndarray or None but got grad of type "
            f"{type(value).__name__}"
        )
    if numbers.shape != x.data.shape:
        raise RuntimeError(
            f"attempting to assign a gradient of size '{list(numbers.shape)}' to a tensor of size "
            f"'{list(x.data.shape)}'. Please ensure that the gradient and the tensor are the same size"
        )
    if numbers.dtype != x.data.dtype:
        raise RuntimeError(
            f"attempting to assign a gradient with dtype '{numbers.dtype}' to a tensor of dtype "
            f"'{x.data.dtype}'. The gradient must match the tensor's dtype"
        )
    return stored


def _operand(dtype: np.dtype, other: Any) -> np.ndarray:
    """A constant operand of a tensor of ``dtype`` as an array. Beside a float tensor it takes that
    tensor's dtype; beside an integer or bool tensor it is promoted as torch does: a Python number
    keeps the tensor's dtype within its kind, a Python float gives the default float dtype, an
    array keeps its own dtype (float16 becomes float32). A Python bool stays a bool (the promotion
    gives the tensor's dtype; ``x - True`` is refused, as torch's)."""
    if type(other) is bool:
        return np.array(other)
    if isinstance(other, np.generic):
        other = dtypes.as_number(other)
    if dtype.kind == "f":
        return as_float_array(other, dtype, "Tensor operand")
    arr = _real_array(other, "Tensor operand")
    if isinstance(other, (bool, int, float)):
        if arr.dtype.kind == "f":
            target = dtypes.get_default_dtype()
        else:
            try:
                target = np.result_type(dtype, other)
            except OverflowError:
                target = np.dtype(np.int64)
    else:
        target = np.dtype(np.float32) if arr.dtype == np.float16 else arr.dtype
    return np.array(arr, dtype=target)


def where(condition: Any, x: Any, y: Any) -> Tensor:
    """``x`` where ``condition`` holds, else ``y`` (``condition`` is boolean, no gradient); torch's
    ``where``, with its one-argument form too, is :func:`autograd.torch_functions.where`."""
    cond = condition if isinstance(condition, Tensor) else Tensor._node(np.asarray(condition))
    if cond.data.dtype != np.bool_:
        raise TypeError(f"where: condition must be a boolean array, got dtype {cond.data.dtype}")
    like = x if isinstance(x, Tensor) else y if isinstance(y, Tensor) else Tensor._node(_scalar(x))
    a, b = like._lift(x), like._lift(y)
    if a.data.dtype is b.data.dtype:
        return Tensor._apply(ops.WHERE, a, b, cond)
    return promoted("where", lambda a, b: Tensor._apply(ops.WHERE, a, b, cond), (a, b))


def _scalar(value: Any) -> np.ndarray:
    """A constant as ``torch.tensor`` makes it: Python ints int64, bools bool, floats the default
    dtype (``where(c, 1, 3)`` is an int64 tensor, as torch's)."""
    arr = _real_array(value, "where operand")
    if arr.dtype.kind == "f" and not isinstance(value, np.ndarray):
        return arr.astype(dtypes.get_default_dtype())
    return arr if arr.dtype.kind != "i" else arr.astype(np.int64)


def nograd(fn: Any, *inputs: Any) -> Any:
    """``fn`` of the inputs' numbers (their arrays): a mask, a bound, a value held fixed, as a
    Tensor no gradient passes through. Eager code computes it at once; a compiled step, which
    records it, at every call (a mask made from ``x.data`` directly would be the trace's mask).
    Inputs that are not Tensors (ValueArrays, arrays) give ``fn``'s plain result."""
    if not all(isinstance(x, Tensor) for x in inputs):
        return fn(*[x.data if isinstance(x, Composite) else x for x in inputs])
    return Tensor._constant(ops.APPLY, *inputs, fn=fn)


def of_numbers(fn: Any, *inputs: Any) -> Tensor:
    """``fn`` of the inputs' numbers as a Tensor no gradient passes through (an int position, a
    bool flag, a count): computed at once, and while a compiled step traces, recorded as
    :func:`nograd` so that every call computes it from that call's numbers (not the trace's).
    Inputs that are not Tensors are plain data, constants of the trace."""
    if is_tracing() and any(isinstance(x, Tensor) for x in inputs):
        nodes = [x if isinstance(x, Tensor) else Tensor._node(np.asarray(_data(x))) for x in inputs]
        return nograd(lambda *arrays: np.asarray(fn(*arrays)), *nodes)
    return Tensor._node(
        np.asarray(fn(*[_data(x) if isinstance(x, (Tensor, Composite)) else x for x in inputs]))
    )


def _ties(data: np.ndarray, m: np.ndarray) -> np.ndarray:
    return (data == m) | (np.isnan(data) & np.isnan(m))


def _arg_of(op: str, axis: int | None, keepdims: bool) -> Any:
    return lambda data: np.asarray(getattr(np, op)(data, axis=axis, keepdims=keepdims), dtype=np.int64)


def drawn(draw: Any, like: Any) -> Any:
    """``draw(shape)``: random numbers of ``like``'s shape from the library's default generator (a
    dropout mask), as a Tensor no gradient passes through. A compiled step draws them at every
    call, in the order the eager run drew them, so the same seed gives the same masks compiled and
    eager. ``like`` not a Tensor: ``draw``'s plain result."""
    if not isinstance(like, Tensor):
        return draw(np.shape(like.data if isinstance(like, Composite) else like))
    recording = recording_of_trace()
    if recording is None:
        return Tensor._node(np.asarray(draw(like.data.shape)))
    from .random_state import default_generator

    before = default_generator().get_state().data.tobytes()
    out = Tensor._constant(ops.DRAW, like, *recording.draws[-1:], draw=draw)
    recording.rng.append((before, default_generator().get_state().data.tobytes()))
    recording.draws.append(out)
    return out


def _parts(tensors: Sequence[Any], op: str) -> list[Tensor]:
    """The operands of a joining op as Tensors (constants in the first Tensor's dtype), cast to their
    common dtype (``dtypes.operands_type``)."""
    if isinstance(tensors, (Tensor, np.ndarray)) or not isinstance(tensors, Sequence):
        raise TypeError(f"{op}: expected a list or tuple of tensors, got {type(tensors).__name__}")
    if not tensors:
        raise ValueError(f"{op}: expected at least one tensor, got none")
    like = next((t for t in tensors if isinstance(t, Tensor)), None)
    like = Tensor(tensors[0]) if like is None else like
    parts = [like._lift(t) for t in tensors]
    dtype = parts[0].data.dtype
    if any(p.data.dtype is not dtype for p in parts):  # (torch's promotion: int64 with float32 is float32)
        dtype = dtypes.operands_type(*parts)
        parts = [p if p.data.dtype == dtype else TENSORS.astype(p, dtype) for p in parts]
    return parts


def concatenate(tensors: Sequence[Any], axis: int | None = None, *, dim: int | None = None) -> Tensor:
    """Join tensors along an existing axis (``axis``/``dim``, default 0); also called ``cat``."""
    axis = torch_names("concatenate", axis, dim)[0]
    parts = _parts(tensors, "concatenate")
    like = parts[0]
    if like.shape == (0,):  # (torch joins a 1-d empty one to any)
        like = next((p for p in parts if p.shape != (0,)), like)
    if like.ndim == 0:
        raise ArgumentError(
            "concatenate: 0-d tensors have no axis to join along; use stack to make a 1-d tensor"
        )
    axis = normalize_axis(0 if axis is None else axis, like.ndim, "concatenate")
    if like.ndim > 1:
        empty = (*like.shape[:axis], 0, *like.shape[axis + 1 :])
        parts = [p.reshape(empty) if p.shape == (0,) else p for p in parts]
    return Tensor._apply(ops.CONCATENATE, *parts, axis=axis)


cat = concatenate


def stack(tensors: Sequence[Any], axis: int | None = None, *, dim: int | None = None) -> Tensor:
    """Join tensors along a new axis (``axis``/``dim``, default 0): each gets a length-1 axis there,
    then they are concatenated."""
    axis = torch_names("stack", axis, dim)[0]
    parts = _parts(tensors, "stack")
    axis = normalize_axis(0 if axis is None else axis, parts[0].ndim + 1, "stack")
    return concatenate([t.unsqueeze(axis) for t in parts], axis)


def _op_error(prim: Primitive, inputs: Sequence[Tensor], e: Exception) -> Exception:
    """``e`` with a message naming the op and the input shapes, of ``e``'s type where that type
    can be made from a message (numpy's own exception classes may not: then its builtin base)."""
    shapes = ", ".join(str(x.data.shape) for x in inputs)
    msg = f"Tensor op '{prim.name}' on shape(s) {shapes}: {e}"
    try:
        err = ArgumentError(msg) if type(e) is ValueError else type(e)(msg)  # (torch: a RuntimeError)
        if str(err) == msg:
            return err
    except Exception:  # noqa: BLE001 (any constructor failure: fall back to the builtin base)
        pass
    base = next(c for c in (IndexError, TypeError, ValueError) if isinstance(e, c))
    return (ArgumentError if base is ValueError else base)(msg)


def _t_sum(x: Tensor, axis: Any, keepdims: bool) -> Tensor:
    return Tensor._apply(ops.SUM, x, axis=axis, keepdims=keepdims)


def _rule_mask(x: Any, keep: Any) -> Any:
    """A rule's mask on nodes: ``x`` where ``keep``, else 0, as a ``where`` node; where nothing is
    kept, constant zeros (no path back: torch's gradient of ``x ** 0`` is a constant too, so no
    inf upstream meets a 0)."""
    if not np.any(keep.data if isinstance(keep, Tensor) else keep):
        return Tensor._node(np.zeros(np.broadcast_shapes(np.shape(x), np.shape(keep)), _data(x).dtype))
    return where(keep, x, 0.0)


def _rule_where(condition: Any, a: Any, b: Any, like: Tensor) -> Any:
    """A rule's ``where(cond, a, b)``: a Tensor node where a branch is one, else plain data."""
    if isinstance(a, Tensor) or isinstance(b, Tensor):
        return where(condition, a, b)
    return ARRAYS.where(condition, a, b, like.data)


def _t_apply(prim: Primitive, *inputs: Any, **params: Any) -> Tensor:
    """A primitive inside a rule; constant operands (arrays) become nodes without a graph."""
    nodes = (x if isinstance(x, Tensor) else Tensor._node(np.asarray(x)) for x in inputs)
    return Tensor._apply(prim, *nodes, **params)


#: the number system in which the rules of :mod:`autograd.ops` build Tensor graphs (each table op
#: by name: the Tensor method; a plain op's numpy forward, applied to ``num(x)``)
TENSORS = SimpleNamespace(
    name="tensors",
    num=_data,
    mask=_rule_mask,
    where=_rule_where,
    sum=_t_sum,
    broadcast_to=lambda x, shape: Tensor._apply(ops.BROADCAST_TO, x, shape=shape),
    reshape=lambda x, shape: Tensor._apply(ops.RESHAPE, x, shape=shape),
    astype=lambda x, dtype: x if x.data.dtype == dtype else Tensor._apply(ops.ASTYPE, x, dtype=dtype),
    transpose=lambda x, axes: Tensor._apply(ops.TRANSPOSE, x, axes=axes),
    mT=lambda x: Tensor._apply(ops.TRANSPOSE, x, axes=(*range(x.ndim - 2), x.ndim - 1, x.ndim - 2)),
    scatter_add=lambda g, index, shape: Tensor._apply(ops.SCATTER_ADD, g, index=index, shape=shape),
    getitem=lambda x, index: Tensor._apply(ops.GETITEM, x, index=index),
    apply=_t_apply,
    chosen=ops.shape.chosen_element,
    column_major=lambda x: ARRAYS.column_major(x.data),
)


# ---------------------------------------------------------------------------
# The elementwise ops, generated from the table (autograd/ops)
# ---------------------------------------------------------------------------
class _TensorExponent(Primitive):
    """``power`` of a tensor exponent (0-d too): the C pow for every exponent, as torch's kernel of
    two tensors, where a number exponent's products and roots are its scalar kernel's
    (``ops.arithmetic.power_array``); torch's ``PowBackward1``. The rules are ``power``'s."""

    __slots__ = ()
    backward_name = "PowBackward1"


class _PowOfTensors:
    """A VJP's number system ``ns`` whose ``pow`` is its ``tensor_pow`` (the rules' own ``x ** (y - 1)``
    of a tensor exponent is torch's pow of two tensors too: ``(-0.0) ** tensor(-0.5)`` is inf)."""

    __slots__ = ("_ns",)

    def __init__(self, ns: Any) -> None:
        self._ns = ns

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._ns, "tensor_pow" if attr == "pow" else attr)


class _NumberBase(_TensorExponent):
    """``number ** tensor``: torch's pow of a number base, the pow of two tensors (``PowBackward2``)."""

    __slots__ = ()
    backward_name = "PowBackward2"


@cache
def _tensor_exponent(prim: Primitive, kind: type = _TensorExponent) -> Primitive:
    def rule(i: int) -> Any:
        return lambda ns, *args, **params: prim.vjps[i](_PowOfTensors(ns), *args, **params)

    return kind(prim.name, tensor_power_array, (rule(0), rule(1)), prim.local, prim.entry)


def _method(entry: Elementwise, kind: str, tensor_exponent: bool = True) -> Any:
    """A Tensor method of ``entry`` (see ``ops.elementwise.methods_of`` for the kinds). Float inputs
    of one dtype are applied as they are; any others through :func:`_promoted` (torch's dtypes).
    ``power``'s tensor exponents are :class:`_TensorExponent` nodes unless not ``tensor_exponent``
    (the rules' own ``x ** (y - 1)``: a number exponent's derivative is computed as torch's)."""
    apply = Tensor._apply
    if kind == "composed":
        composed = entry.method()
        if entry.name not in promotion.REFUSED:
            return composed

        def refusing(self: Tensor, *args: Any) -> Any:  # (``+`` of a bool tensor: torch's error)
            if self.data.dtype.kind != "f":
                promotion.dtypes_of(entry.name, (self,))
            return composed(self, *args)

        return refusing
    if entry.plain:  # (a plain result: a Tensor no gradient passes through, as a comparison's)
        forward = entry.forward

        def run(*inputs: Tensor, **params: Any) -> Tensor:
            return nograd(lambda *arrays: forward(*arrays, **params), *inputs)

    else:
        prim = entry.primitive

        def run(*inputs: Tensor, **params: Any) -> Tensor:
            return apply(prim, *inputs, **params)

    exponent = entry.name == "power"  # (an integer tensor to a negative number: torch's error)
    by_tensor, run_by_tensor = None if entry.plain else prim, run  # (what a Tensor operand applies)
    if exponent and tensor_exponent:
        by_tensor = _tensor_exponent(prim, _NumberBase if kind == "reflected" else _TensorExponent)

        def run_by_tensor(*inputs: Tensor) -> Tensor:
            return apply(by_tensor, *inputs)

    f64, f32 = _FLOATS  # (an identity test each: cheaper than dtype.kind on the hot path)
    if entry.arity == 2:
        # torch's order for the commutative ones: `2 * x` is mul(x, 2), so grad_fn.next_functions
        # lists x first (the same numbers either way)
        swap = kind == "reflected" and not (entry.name in ("add", "multiply") and not entry.plain)
        if entry.plain:

            def binary(self: Tensor, other: Any) -> Tensor:
                other = self._lift(other)
                inputs = (other, self) if swap else (self, other)
                dt = self.data.dtype
                if (dt is f64 or dt is f32) and other.data.dtype is dt:
                    return nograd(forward, *inputs)
                return promoted(entry.name, run, inputs)

        elif swap:

            def binary(self: Tensor, other: Any) -> Tensor:
                dt = self.data.dtype
                if dt is f64 or dt is f32:
                    if isinstance(other, Tensor):
                        if other.data.dtype is dt:
                            return apply(by_tensor, other, self)
                    elif type(other) is float or type(other) is int:  # (lifted to this dtype)
                        return apply(by_tensor, self._lift(other), self)
                other = self._lift(other)
                return promoted(entry.name, run_by_tensor, (other, self))

        else:

            def binary(self: Tensor, other: Any) -> Tensor:
                dt = self.data.dtype
                if dt is f64 or dt is f32:
                    if isinstance(other, Tensor):
                        if other.data.dtype is dt:
                            return apply(by_tensor, self, other)
                    elif type(other) is float or type(other) is int:  # (lifted to this dtype)
                        return apply(prim, self, self._lift(other))
                if isinstance(other, Tensor):
                    return promoted(entry.name, run_by_tensor, (self, other))
                if exponent and dt.kind in "biu":
                    promotion.check_integer_exponent(dt, other)
                    if type(other) is bool and dt.kind == "b":  # (torch's: a bool tensor, a plain one)
                        return self._of_numbers(np.copy if other else np.ones_like)
                return promoted(entry.name, run, (self, self._lift(other)))

        return binary
    if not entry.params:
        if entry.plain:

            def unary(self: Tensor) -> Tensor:
                dt = self.data.dtype
                if dt is f64 or dt is f32:
                    return nograd(forward, self)
                return promoted(entry.name, run, (self,))

        else:

            def unary(self: Tensor) -> Tensor:
                dt = self.data.dtype
                if dt is f64 or dt is f32:
                    return apply(prim, self)
                return promoted(entry.name, run, (self,))

        return unary
    sig, prepare, names = signature(entry), entry.prepare, entry.params

    def method(*args: Any, **kwargs: Any) -> Tensor:
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        self, *params = bound.args
        if entry.name == "clip" and any(isinstance(p, (Tensor, bool)) for p in params):
            return _clip_by_tensors_or_bools(self, prepare, *params)
        checked = prepare(entry.name, "Tensor", *params)
        if self.data.dtype.kind != "f":
            bounds = [self._lift(p) for p in params if entry.name == "clip" and p is not None]
            return promoted(entry.name, run, (self,), bounds, **dict(zip(names, checked)))
        return run(self, **dict(zip(names, checked)))

    return method


def promoted(
    name: str, run: Any, inputs: tuple[Tensor, ...], operands: Sequence[Tensor] = (), **params: Any
) -> Tensor:
    """``run(*inputs, **params)`` (the elementwise op ``name``) in torch's dtypes: the inputs cast to
    the dtype it computes in, the result to torch's result dtype (``ops.promotion``; ``operands``:
    parameters that take part in the promotion, as clamp's bounds). A cast input that requires grad
    is a node (``astype``), so its gradient comes back in its own dtype."""
    compute, result = promotion.dtypes_of(name, (*inputs, *operands))
    out = run(*(x if x.data.dtype == compute else _implicit_cast(x, compute) for x in inputs), **params)
    return out if out.data.dtype == result else TENSORS.astype(out, result)


def _implicit_cast(x: Tensor, dtype: np.dtype) -> Tensor:
    """``x`` cast to ``dtype`` by the promotion: an ``astype`` node whose parameters say so
    (``promotion.ImplicitCast``: ``grad_fn.next_functions`` pass over it, as torch's)."""
    out = TENSORS.astype(x, dtype)
    if out._op is not None:
        out._params = promotion.ImplicitCast(out._params)
    return out


def _not_below(x: np.ndarray, bound: np.ndarray) -> np.ndarray:
    return ~(x >= bound) & ~np.isnan(x)  # (a nan bound is taken: nan, as torch.clamp)


def _not_above(x: np.ndarray, bound: np.ndarray) -> np.ndarray:
    return ~(x <= bound) & ~np.isnan(x)


def _clip_by_tensors_or_bools(x: Tensor, prepare: Any, low: Any, high: Any) -> Tensor:
    """``clamp`` with a Tensor bound (of any dtype, bool too) or a Python bool one, as torch's: a
    Python bool is the number 0 or 1, except that torch refuses it where the result would be bool
    (``"clamp_min_scalar_cpu" not implemented for 'Bool'``); the other bound is checked as usual."""
    bounds, both = (low, high), low is not None and high is not None
    if dtypes.operands_type(x, *(b for b in bounds if b is not None)) == np.bool_:  # (torch's kernels)
        if type(low) is bool or type(high) is bool:
            kernel = "clamp" if both else "clamp_min" if high is None else "clamp_max"
            raise NotImplementedError(f"\"{kernel}_scalar_cpu\" not implemented for 'Bool'")
        if both:
            raise NotImplementedError("\"clamp_cpu\" not implemented for 'Bool'")
    if type(low) is bool or type(high) is bool:
        bounds = tuple(int(b) if type(b) is bool else b for b in bounds)
        if not any(isinstance(b, Tensor) for b in bounds):
            return x.clip(*bounds)  # type: ignore[attr-defined]
    checked = prepare("clip", "Tensor", *(0.0 if isinstance(b, Tensor) else b for b in bounds))
    return _clip_by_tensors(x, *(b if isinstance(b, Tensor) else c for b, c in zip(bounds, checked)))


def _clip_by_tensors(x: Tensor, low: Any, high: Any) -> Tensor:
    """``clamp`` with a Tensor bound, as torch's ``clamp(Tensor, Tensor min, Tensor max)``: the
    bounds are inputs of the graph, a gradient reaching each bound where it is taken (``max`` where
    ``min > max``), and the masks are computed from each call's numbers (a compiled step's too). The
    gradient of ``x`` is 1 inside the bounds (included) and 0 outside and at nan, as ``clip``'s; a nan
    bound gives nan and no gradient to either, as torch's."""
    out = where(nograd(np.isnan, x), x.detach(), x) if np.isnan(x.data).any() or is_tracing() else x
    for bound, outside in ((low, _not_below), (high, _not_above)):
        if isinstance(bound, float) and np.isinf(bound):  # (a missing bound)
            continue
        b = bound if isinstance(bound, Tensor) else Tensor._node(np.asarray(bound))
        if b.requires_grad and (np.isnan(b.data).any() or is_tracing()):  # (a nan bound: taken, no gradient)
            b = where(nograd(np.isnan, b), b.detach(), b)
        out = where(nograd(outside, out, b), b, out)
    return out


def _install(entries: Sequence[Elementwise]) -> None:
    """Set the Tensor methods of ``entries``; each entry's methods are also TENSORS' ops of its name."""
    for entry in entries:
        for name, aliases, kind in methods_of(entry):
            method = named(_method(entry, kind), name, "Tensor", __name__, entry)
            for n in (name, *aliases):
                if n not in vars(TorchMethods):  # (add/sub/div with torch's extra arguments, written there)
                    setattr(Tensor, n, method)
        vars(TENSORS)[entry.name] = entry.forward if entry.plain else getattr(Tensor, entry.name)
        if entry.name == "power":
            TENSORS.pow = _method(entry, "normal", tensor_exponent=False)
            TENSORS.tensor_pow, ARRAYS.tensor_pow = Tensor.__pow__, tensor_power_array


ops.generate(_install)


def _divide(a: Any, b: Any) -> Tensor:
    """``a / b`` in the Tensor namespace (a rule's ``ns.divide``), a number ``a`` too: a correctly
    rounded quotient, as ATen's ``Scalar / Tensor`` in torch's C++ rules (Python's ``number /
    tensor`` is torch's reciprocal times the number)."""
    return (a if isinstance(a, Tensor) else b._lift(a)) / b


TENSORS.divide = _divide
_hooks.Tensor = _packed.Tensor = Tensor  # (the hooks' modules are below this one: see their notes)
