"""Operations composed from primitives, shared by ``Tensor`` and ``ValueArray``.

Nothing here has a derivative rule: each gradient follows from the chain rule
through the primitives used. A class using this mixin provides the
primitives (``sum``, ``max``, ``log_softmax``, ``exp``, arithmetic) and
``data``/``ndim``/``size``.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Union

import numpy as np

from ._errors import ArgumentError, AxisError, EmptyReductionError
from .dtypes import KERNEL_OF_FLOATS, as_dtype, cast_first, refuse_integers, torch_name
from .ops.shape import along
from .shape_ops import ShapeOps

Axis = Union[int, tuple[int, ...], None]


def _floats_only(x: Any, message: str) -> None:
    """torch's RuntimeError ``message`` (``{dtype}``: torch's name of x's dtype) for a reduction of
    floats only (``mean``, ``var``) on an integer or bool Tensor; a ValueArray's objects pass."""
    dt = x.data.dtype
    if dt.kind in "biu":
        raise RuntimeError(message.replace("{dtype}", torch_name(dt)))


_MEAN_OF_INTEGERS = (
    "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. "
    "Got: {dtype}"
)


class _LastAxis:
    """The default ``axis`` of softmax-like operations: -1, told apart from an explicit ``axis=-1``
    so that passing ``dim`` as well can be refused."""

    def __repr__(self) -> str:
        return "-1"


LAST: Any = _LastAxis()


def normalize_axis(axis: Axis, ndim: int, op: str) -> Axis:
    """``axis`` with negative entries made positive; a clear error when out of range.

    A 0-d array accepts axis 0 or -1 (as torch does) and reduces over everything (None).
    """
    if axis is None or (type(axis) is int and 0 <= axis < ndim):
        return axis
    single = isinstance(axis, (int, np.integer))
    axes = (axis,) if single else tuple(axis) if isinstance(axis, (tuple, list)) else (None,)
    if not all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in axes):
        raise TypeError(f"{op}: axis must be None, an int or a tuple of ints, got {axis!r}")
    low, high = (-ndim, ndim) if ndim else (-1, 1)
    for a in axes:
        if not low <= a < high:
            raise AxisError(
                f"{op}: axis {a} is out of range for an array with {ndim} dimension(s) "
                f"(expected one in [{low}, {high - 1}])"
            )
    norm = tuple(int(a) % max(ndim, 1) for a in axes)  # (a 0-d array's axes 0 and -1 are one)
    if len(set(norm)) < len(norm):
        twice = next(a for a in norm if norm.count(a) > 1)
        raise ArgumentError(
            f"{op}: dim {twice} appears more than once in the axes {axis!r} (torch refuses this too)"
        )
    if not ndim:
        return None
    return norm[0] if single else norm


def torch_names(op: str, axis: Any, dim: Any, keepdims: bool = False, keepdim: bool | None = None) -> Any:
    """(axis, keepdims) from numpy's or torch's spelling (``dim``, ``keepdim``); both at once is an error.
    An empty list of dims (``x.sum(dim=[])``, ``x.mean(())``) means every axis, as in torch."""
    if dim is None and keepdim is None and (axis is None or type(axis) is int):  # (the common call)
        return axis, keepdims
    if isinstance(axis, (tuple, list)) and not axis:
        axis = None
    if dim is not None:
        if axis is not None and axis is not LAST:
            raise TypeError(
                f"{op}: got both axis={axis!r} and dim={dim!r}; pass one of them (they mean the same)"
            )
        axis = None if isinstance(dim, (tuple, list)) and not dim else dim
    elif axis is LAST:
        axis = -1
    if keepdim is not None:
        if keepdims:
            raise TypeError(f"{op}: got both keepdims and keepdim; pass one of them (they mean the same)")
        keepdims = bool(keepdim)
    return axis, keepdims


def torch_dim(op: str, axis: Any, dim: Any, keepdim: bool | None) -> Any:
    """The ``dim`` of torch's ``max(dim)``/``min(dim)`` form, which gives ``(values, indices)``: ``dim``
    given, or one int axis given positionally with torch's ``keepdim`` (``x.max(1, keepdim=True)``);
    None for numpy's form (the values only, as ``amax``)."""
    if dim is not None:
        return torch_names(op, axis, dim)[0]  # (axis too: an error)
    if keepdim is not None and isinstance(axis, (int, np.integer)) and not isinstance(axis, bool):
        return int(axis)
    return None


def other_alone(op: str, other: Any, axis: Any, keepdims: bool, dim: Any, keepdim: Any, kind: type) -> Any:
    """torch's ``x.max(other=y)``/``x.min(other=y)``: ``other``, checked to be a tensor (of ``kind``)
    given with no axis (torch's TypeError names the argument otherwise).

    Raises
    ------
    TypeError
        ``other`` is no tensor, or an axis, ``dim`` or ``keepdim`` is given beside it.
    """
    if axis is not None or dim is not None or keepdim is not None or keepdims:
        raise TypeError(
            f"{op}() got an unexpected keyword argument 'other' (beside a dim: x.{op}(dim) or x.{op}(other))"
        )
    if not isinstance(other, kind):
        raise TypeError(f"{op}(): argument 'other' must be Tensor, not {type(other).__name__}")
    return other


def transpose_axes(axes: tuple[Any, ...], ndim: int) -> tuple[Any, ...]:
    """The permutation meant by ``transpose(*axes)``: numpy's (none: all reversed; one tuple or
    ``ndim`` ints: a permutation), or torch's ``transpose(dim0, dim1)`` for two ints (those two
    swapped), so that ``x.transpose(0, 1)`` swaps a matrix's axes as in torch (numpy would read it
    as the identity)."""
    if len(axes) == 2 and all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in axes):
        d0, d1 = (normalize_axis(int(a), ndim, "transpose") for a in axes)
        perm = list(range(ndim))
        if ndim:
            perm[d0], perm[d1] = perm[d1], perm[d0]  # type: ignore[index]
        return tuple(perm)
    if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
        return tuple(axes[0])
    return axes


class MaxMin(NamedTuple):
    """What ``max(dim=...)``/``min(dim=...)`` return, as ``torch.max(x, dim)`` does."""

    values: Any
    indices: np.ndarray


class Composite(ShapeOps):
    """mean, min, softmax and comparisons, written once for both node arrays."""

    __slots__ = ()
    data: np.ndarray

    # comparisons give plain boolean arrays of the data (no gradient), as numpy's and torch's do;
    # hashing stays by identity, so nodes still work as dict keys and set members
    __hash__ = object.__hash__

    def __eq__(self, other: Any) -> np.ndarray:  # type: ignore[override]
        return self.data == _plain(other)

    def _of_numbers(self, fn: Any) -> Any:
        """``fn(self.data)``, a mask or value no gradient passes through (a Tensor records it
        while tracing: ``autograd._tensor.nograd``)."""
        return fn(self.data)

    def __ne__(self, other: Any) -> np.ndarray:  # type: ignore[override]
        return self.data != _plain(other)

    def __lt__(self, other: Any) -> np.ndarray:
        return self.data < _plain(other)

    def __le__(self, other: Any) -> np.ndarray:
        return self.data <= _plain(other)

    def __gt__(self, other: Any) -> np.ndarray:
        return self.data > _plain(other)

    def __ge__(self, other: Any) -> np.ndarray:
        return self.data >= _plain(other)

    # the complex-number API on a real array, as torch has it (np.real, np.imag, np.angle,
    # np.real_if_close and np.conj of a Tensor are in autograd.numpy_dispatch and the table)
    @property
    def real(self) -> Any:
        """The array itself, its own real part (as torch's ``real`` of a real tensor; numpy's is a view)."""
        return self

    @property
    def imag(self) -> Any:
        """Refused, as torch refuses ``imag`` of a real tensor (``np.imag(t)`` gives numpy's zeros)."""
        raise AttributeError(
            f"{type(self).__name__}.imag: a real array has no imaginary part (torch refuses imag of a real "
            "tensor); np.imag(t) gives numpy's zeros, as plain numbers"
        )

    def mean(
        self,
        axis: Axis = None,
        keepdims: bool = False,
        *,
        dim: Axis = None,
        keepdim: bool | None = None,
        dtype: Any = None,
    ) -> Any:
        """sum(x) / n over the reduced axes (``dim``/``keepdim``: torch's names), of the input cast
        to ``dtype`` first if given."""
        if dtype is not None:
            if (dt := as_dtype(dtype, "mean")).kind in "biu":
                raise RuntimeError(
                    _MEAN_OF_INTEGERS.replace("Input", "Optional").replace("{dtype}", torch_name(dt))
                )
            return cast_first(self, dtype, "mean").mean(axis, keepdims, dim=dim, keepdim=keepdim)
        if self.data.dtype.kind in "biu":  # (inline: mean is on a training step's path)
            _floats_only(self, _MEAN_OF_INTEGERS)
        axis, keepdims = torch_names("mean", axis, dim, keepdims, keepdim)
        axis = normalize_axis(axis, self.ndim, "mean")  # type: ignore[attr-defined]
        total = self.sum(axis, keepdims)  # type: ignore[attr-defined]
        size = self.data.size
        if size == total.data.size:  # one element per mean: no 1/n node needed
            return total
        return total * (total.data.size / size if size else np.nan)

    def min(
        self,
        axis: Axis = None,
        keepdims: bool = False,
        *,
        dim: int | None = None,
        keepdim: bool | None = None,
        other: Any = None,
    ) -> Any:
        """-max(-x) (of integers and bools, which have no gradient, numpy's min: -x would wrap or
        fail); with ``dim``, torch's ``(values, indices)`` (see ``max``); with an array of this kind
        (or torch's ``other=``), torch's ``x.min(other)``: ``minimum``."""
        if other is not None:
            axis = other_alone("min", other, axis, keepdims, dim, keepdim, type(self))
        if isinstance(axis, type(self)):
            return self.minimum(axis)  # type: ignore[attr-defined]
        if (d := torch_dim("min", axis, dim, keepdim)) is not None:
            return self._select(d, bool(keepdim or keepdims), "min")
        axis, keepdims = torch_names("min", axis, None, keepdims, keepdim)
        axis = normalize_axis(axis, self.ndim, "min")  # type: ignore[attr-defined]
        if self.data.dtype.kind in "biu":  # type: ignore[attr-defined]
            return self._of_numbers(lambda a: np.min(a, axis, keepdims=keepdims))  # type: ignore[attr-defined]
        return -(-self).max(axis, keepdims)  # type: ignore[operator]

    def softmax(self, axis: Axis = LAST, *, dim: Axis = None, dtype: Any = None) -> Any:
        """exp(log_softmax(x)), of the input cast to ``dtype`` first if given."""
        x = cast_first(self, dtype, "softmax")
        if x.data.dtype.kind in "biu":
            normalize_axis(torch_names("softmax", axis, dim)[0], x.ndim, "softmax")  # (torch checks it first)
            if not x.data.size:  # (torch runs no kernel: an empty result of the integer dtype)
                return x._of_numbers(np.copy)
            refuse_integers(x, KERNEL_OF_FLOATS.format(op="softmax"), NotImplementedError)
        return x.log_softmax(torch_names("softmax", axis, dim)[0]).exp()

    # -- statistics, composed: their gradients come from the chain rule
    def var(
        self,
        axis: Axis = None,
        unbiased: bool | None = None,
        keepdim: bool | None = None,
        *,
        dim: Axis = None,
        correction: float | None = None,
        keepdims: bool = False,
    ) -> Any:
        """Σ(x - mean)² / max(0, n - correction) over the axes; ``correction`` is 1 by default, as in
        torch (``unbiased=False`` means 0; numpy's ``ddof`` is ``correction``). torch's positional
        forms too: ``x.var(dim, unbiased, keepdim)`` and ``x.var(unbiased)``."""
        if isinstance(axis, (bool, np.bool_)):  # torch's var(input, unbiased)
            if unbiased is not None:
                raise TypeError(f"var: got unbiased={axis!r} and {unbiased!r}; pass it once")
            axis, unbiased = None, bool(axis)
        axis, keepdims = torch_names("var", axis, dim, keepdims, keepdim)
        _floats_only(self, "std and var only support floating point and complex dtypes")
        axis = normalize_axis(axis, self.ndim, "var")  # type: ignore[attr-defined]
        if unbiased is not None:
            if correction is not None:
                raise TypeError("var: got both unbiased and correction; pass one of them")
            correction = 1 if unbiased else 0
        return self._variance(axis, keepdims, 1 if correction is None else correction)

    def _variance(self, axis: Axis, keepdims: bool, correction: float) -> Any:
        """``var`` of checked arguments, composed (a Tensor has it as a primitive, torch's rule)."""
        centred = self - self.mean(axis, keepdims=True)
        squares = (centred * centred).sum(axis, keepdims)
        n = _reduced_size(self.shape, axis)  # type: ignore[attr-defined]
        return squares / np.float64(max(0, n - correction))

    def std(
        self,
        axis: Axis = None,
        unbiased: bool | None = None,
        keepdim: bool | None = None,
        *,
        dim: Axis = None,
        correction: float | None = None,
        keepdims: bool = False,
    ) -> Any:
        """sqrt(var) (same arguments as ``var``). Where var = 0 the gradient is 0, as torch masks it
        (sqrt's derivative is infinite there): sqrt is taken of 1 in those places, then replaced by 0."""
        v = self.var(axis, unbiased, keepdim, dim=dim, correction=correction, keepdims=keepdims)
        nonzero = v._of_numbers(lambda d: d != 0)  # (computed at every call of a compiled step)
        return v.where(nonzero, 1.0).sqrt().where(nonzero, 0.0)

    # -- shape, composed from reshape
    def squeeze(self, axis: Axis = None, *, dim: Axis = None) -> Any:
        """Drop length-1 axes: all of them, or those of ``axis``/``dim`` (a longer one is kept, as torch)."""
        axis = normalize_axis(torch_names("squeeze", axis, dim)[0], self.ndim, "squeeze")  # type: ignore
        axes = range(self.ndim) if axis is None else (axis,) if isinstance(axis, int) else axis  # type: ignore
        shape = [n for i, n in enumerate(self.shape) if not (i in axes and n == 1)]  # type: ignore
        return self.reshape(shape)  # type: ignore[attr-defined]

    def unsqueeze(self, axis: int | None = None, *, dim: int | None = None) -> Any:
        """Insert a length-1 axis at position ``axis``/``dim`` (of the result)."""
        axis, _ = torch_names("unsqueeze", axis, dim)
        if axis is None:
            raise TypeError("unsqueeze: expected the position of the new axis (axis or dim), got none")
        axis = normalize_axis(axis, self.ndim + 1, "unsqueeze")  # type: ignore[attr-defined]
        shape = list(self.shape)  # type: ignore[attr-defined]
        shape.insert(axis, 1)
        return self.reshape(shape)  # type: ignore[attr-defined]

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Any:
        """Merge axes ``start_dim``..``end_dim`` (inclusive) into one, as torch (a 0-d array becomes 1-d)."""
        shape = list(self.shape)  # type: ignore[attr-defined]
        if not shape:
            normalize_axis(start_dim, 0, "flatten")
            normalize_axis(end_dim, 0, "flatten")
            return self.reshape(1)  # type: ignore[attr-defined]
        start = normalize_axis(start_dim, len(shape), "flatten")
        end = normalize_axis(end_dim, len(shape), "flatten")
        if start > end:  # type: ignore[operator]
            raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
        if start == end:  # (nothing to merge: the tensor itself, as torch's)
            return self
        merged = int(np.prod(shape[start : end + 1]))  # type: ignore[operator,misc]
        return self.reshape(shape[:start] + [merged] + shape[end + 1 :])  # type: ignore[operator,misc]

    # -- positions of the extremes: plain integer arrays, no gradient
    def argmax(
        self,
        axis: int | None = None,
        keepdims: bool = False,
        *,
        dim: int | None = None,
        keepdim: bool | None = None,
    ) -> np.ndarray:
        """Index of the (first) largest element, over everything or along ``axis``/``dim``; nan counts as
        the largest, as in numpy and torch."""
        return self._arg("argmax", axis, keepdims, dim, keepdim)

    def argmin(
        self,
        axis: int | None = None,
        keepdims: bool = False,
        *,
        dim: int | None = None,
        keepdim: bool | None = None,
    ) -> np.ndarray:
        """Index of the (first) smallest element (see ``argmax``)."""
        return self._arg("argmin", axis, keepdims, dim, keepdim)

    def _arg(self, op: str, axis: Any, keepdims: bool, dim: Any, keepdim: bool | None) -> np.ndarray:
        axis, keepdims = torch_names(op, axis, dim, keepdims, keepdim)
        axis = normalize_axis(axis, self.ndim, op)  # type: ignore[attr-defined]
        if not isinstance(axis, (int, type(None))):
            raise TypeError(f"{op}: axis must be None or an int, got {axis!r}")
        data = self.data
        if data.shape[axis] == 0 if axis is not None else data.size == 0:
            raise EmptyReductionError(
                f"{op}: cannot take the position of an extreme of an empty axis (shape {data.shape})"
            )
        found = getattr(np, op)(data, axis=axis, keepdims=keepdims)
        return np.asarray(found, dtype=np.int64)

    def _select(self, axis: int, keepdims: bool, op: str) -> MaxMin:
        """torch's ``max(dim)``/``min(dim)``: the values at the arg-extremes, so the gradient goes to
        that one element (ties: the first), as in torch."""
        axis = normalize_axis(axis, self.ndim, op)  # type: ignore[assignment,attr-defined]
        if not isinstance(axis, (int, type(None))):
            raise TypeError(f"{op}: dim must be an int, got {axis!r}")
        if axis is None:  # a 0-d array
            return MaxMin(self.reshape(()), np.zeros((), np.int64))  # type: ignore[attr-defined]
        idx = self._arg("arg" + op, axis, True, None, None)
        values = self._at_extreme(axis, op, idx)
        if not keepdims:
            values, idx = values.squeeze(axis), idx.squeeze(axis)
        return MaxMin(values, idx)

    def _at_extreme(self, axis: int, op: str, idx: np.ndarray) -> Any:
        """The values of ``max(dim)``/``min(dim)``, kept along ``axis``: the elements at ``idx`` (a Tensor
        overrides this with a primitive that finds them at every call: a compiled step's own)."""
        return self[along(idx, axis, idx.shape)]  # type: ignore[index]


def _plain(x: Any) -> Any:
    """The other side of a comparison as numbers."""
    return x.data if isinstance(x, Composite) else np.asarray(x)


def _reduced_size(shape: tuple[int, ...], axis: Axis) -> int:
    """How many elements each reduction over ``axis`` of an array of ``shape`` combines."""
    axes = range(len(shape)) if axis is None else (axis,) if isinstance(axis, int) else axis
    return int(np.prod([shape[a] for a in axes]))
