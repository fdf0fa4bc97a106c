"""Scans and differences: cumsum, cumprod and logcumsumexp (primitives), diff and gradient (composed: slices
and subtractions, so their gradients come from the chain rule).

Each function takes the tensor first, with PyTorch's argument names (NumPy's accepted too);
``cumsum``, ``cumprod`` and ``diff`` are also Tensor methods; ``np.cumsum``, ``np.cumprod``,
``np.diff`` and ``np.gradient`` on Tensors record the graph through them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from . import ops
from ._operands import as_tensor, as_tensors, tensor_methods
from ._tensor import Tensor, concatenate
from .composite import LAST, Axis, normalize_axis, torch_names
from .dtypes import KERNEL_OF_FLOATS, accumulate, as_dtype, refuse_integers
from .numpy_dispatch import _NO, _refuse, implements


def _scan(prim: Any, name: str, input: Any, axis: Any, dim: Any, dtype: Any = None) -> Tensor:
    axis, _ = torch_names(name, axis, dim)
    if dtype is not None and as_dtype(dtype, name).kind == "b":
        raise NotImplementedError(f"\"{name}_out_cpu\" not implemented for 'Bool' (dtype=bool)")
    return accumulate(as_tensor(input), dtype, name, lambda x: _along_axis(prim, name, x, axis))


def _along_axis(prim: Any, name: str, x: Tensor, axis: Any) -> Tensor:
    if axis is None:  # NumPy's default: the flattened array
        x, axis = x.reshape(-1), 0
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"{name}: axis (dim) must be an int or None, got {axis!r}")
    axis = normalize_axis(int(axis), x.ndim, name)
    if x.ndim == 0:  # (PyTorch: the one element, a copy)
        return x.clone()
    return Tensor._apply(prim, x, axis=axis, reverse=False)


def cumsum(input: Any, axis: int | None = None, *, dim: int | None = None, dtype: Any = None) -> Tensor:
    r"""Running sums along ``axis``/``dim`` (``torch.cumsum(x, dim)``, ``np.cumsum``,
    ``Tensor.cumsum``): :math:`y_i = \sum_{j \le i} x_j`.

    The gradient is the running sums of g from the other end, :math:`\sum_{j \ge i} g_j`.

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    axis : int, optional
        The axis (NumPy's name); None (default): of the flattened tensor, as NumPy.
    dim : int, optional
        torch's name for ``axis``.
    dtype : numpy.dtype, optional
        The input is cast to it first and the result is of it (torch's argument; not bool);
        without it, integers and bool give int64, as torch's.

    Returns
    -------
    Tensor
        Of the input's shape (1-d without an axis).

    Raises
    ------
    TypeError
        If the axis is not an int, or both ``axis`` and ``dim`` are given.
    ValueError
        If the axis is out of range.
    """
    return _scan(ops.CUMSUM, "cumsum", input, axis, dim, dtype)


def cumprod(input: Any, axis: int | None = None, *, dim: int | None = None, dtype: Any = None) -> Tensor:
    r"""Running products along ``axis``/``dim`` (``torch.cumprod``, ``np.cumprod``,
    ``Tensor.cumprod``): :math:`y_i = \prod_{j \le i} x_j`.

    The gradient is exact where some elements are 0, as PyTorch's (it then costs time quadratic in
    the axis's length); it is computed without dividing by x.

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    axis : int, optional
        The axis (NumPy's name); None (default): of the flattened tensor, as NumPy.
    dim : int, optional
        torch's name for ``axis``.
    dtype : numpy.dtype, optional
        The input is cast to it first and the result is of it (torch's argument; not bool);
        without it, integers and bool give int64, as torch's.

    Returns
    -------
    Tensor
        Of the input's shape (1-d without an axis).

    Raises
    ------
    TypeError
        If the axis is not an int, or both ``axis`` and ``dim`` are given.
    ValueError
        If the axis is out of range.
    """
    return _scan(ops.CUMPROD, "cumprod", input, axis, dim, dtype)


def logcumsumexp(input: Any, dim: int | None = None, *, axis: int | None = None) -> Tensor:
    r"""Running log-sum-exp along ``dim`` (``torch.logcumsumexp(x, dim)``, ``Tensor.logcumsumexp``):
    :math:`y_i = \log \sum_{j \le i} e^{x_j}`, computed as a running ``logaddexp`` (no overflow).

    The gradient is :math:`\sum_{i \ge j} g_i\, e^{x_j - y_i}`, summed in logs as PyTorch does.

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    dim : int
        The axis (required, as in torch).
    axis : int, optional
        NumPy's name for ``dim``.

    Returns
    -------
    Tensor
        Of the input's shape.

    Raises
    ------
    TypeError
        If no axis is given, it is not an int, or both ``axis`` and ``dim`` are given.
    ValueError
        If the axis is out of range.
    NotImplementedError
        If the input holds integers or bools, as torch.
    """
    if dim is None and axis is None:
        raise TypeError("logcumsumexp: dim is required (as in torch.logcumsumexp(input, dim)), got none")
    x = as_tensor(input)
    if x.data.dtype.kind in "biu" and (dim if axis is None else axis) is not None:  # (torch checks dim first)
        normalize_axis(dim if axis is None else axis, x.ndim, "logcumsumexp")
    refuse_integers(x, KERNEL_OF_FLOATS.format(op="logcumsumexp"), NotImplementedError)
    return _scan(ops.LOGCUMSUMEXP, "logcumsumexp", x, axis, dim)


def _part(ndim: int, axis: int, part: slice) -> tuple[slice, ...]:
    return (slice(None),) * axis + (part,) + (slice(None),) * (ndim - axis - 1)


def diff(
    input: Any, n: int = 1, axis: Any = LAST, prepend: Any = None, append: Any = None, *, dim: Any = None
) -> Tensor:
    """The ``n``-th differences :math:`x_{i+1} - x_i` along ``axis``/``dim`` (``np.diff``,
    ``torch.diff``, ``Tensor.diff``), composed of slices and subtractions.

    Parameters
    ----------
    input : Tensor or array_like
        The input, at least 1-d.
    n : int
        How many times to difference (default 1; 0 returns the input).
    axis : int
        The axis (default the last; ``dim`` is torch's name).
    prepend, append : Tensor, array_like or float, optional
        Joined before (after) the input along the axis first; a number is spread over the other
        axes.
    dim : int, optional
        torch's name for ``axis``.
    dtype : numpy.dtype, optional
        The input is cast to it first (torch's argument).

    Returns
    -------
    Tensor
        ``n`` shorter along the axis.

    Raises
    ------
    TypeError
        If the axis is not an int, or both ``axis`` and ``dim`` are given.
    ValueError
        If ``n`` is negative or not an int, the input is 0-d, or the axis is out of range.
    """
    axis, _ = torch_names("diff", axis, dim)
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
        raise ValueError(f"diff: n (the order) must be an int >= 0, got {n!r}")
    x = as_tensor(input)
    if x.ndim == 0:
        raise ValueError("diff: expected a tensor of at least 1 dimension, got a 0-d one")
    axis = normalize_axis(axis, x.ndim, "diff")
    if not isinstance(axis, int):
        raise TypeError(f"diff: axis (dim) must be an int, got {axis!r}")
    ends = [prepend, append]
    for k, end in enumerate(ends):
        if end is not None:
            e = as_tensors(x, end)[1]
            if e.ndim == 0:
                e = Tensor._apply(ops.BROADCAST_TO, e, shape=x.shape[:axis] + (1,) + x.shape[axis + 1 :])
            ends[k] = e
    if ends[0] is not None or ends[1] is not None:
        x = concatenate([e for e in (ends[0], x, ends[1]) if e is not None], axis)
    for _ in range(int(n)):  # (of bools: where they differ, as torch's)
        after, before = x[_part(x.ndim, axis, slice(1, None))], x[_part(x.ndim, axis, slice(None, -1))]
        x = after ^ before if x.dtype == np.bool_ else after - before
    return x


def _gradients(f: Tensor, spacing: Sequence[float], axes: Sequence[int], edge_order: int, name: str) -> list:
    """NumPy's central differences along each axis (one-sided ones of ``edge_order`` at the ends)."""
    if edge_order not in (1, 2):
        raise ValueError(f"{name}: edge_order must be 1 or 2, got {edge_order!r}")
    out = []
    for axis, h in zip(axes, spacing):
        if f.shape[axis] < edge_order + 1:
            raise ValueError(
                f"{name}: axis {axis} has {f.shape[axis]} element(s); a gradient of edge_order "
                f"{edge_order} needs at least {edge_order + 1}"
            )

        def at(start: int | None, stop: int | None, axis: int = axis) -> Tensor:
            return f[_part(f.ndim, axis, slice(start, stop))]

        inner = (at(2, None) - at(None, -2)) / (2.0 * h)
        if edge_order == 1:
            first = (at(1, 2) - at(0, 1)) / h
            last = (at(-1, None) - at(-2, -1)) / h
        else:  # (NumPy's second-order one-sided differences, its coefficients and order)
            first = (-1.5 / h) * at(0, 1) + (2.0 / h) * at(1, 2) + (-0.5 / h) * at(2, 3)
            last = (0.5 / h) * at(-3, -2) + (-2.0 / h) * at(-2, -1) + (1.5 / h) * at(-1, None)
        out.append(concatenate([first, inner, last], axis))
    return out


def _spacing(varargs: Sequence[Any], n_axes: int, name: str) -> list[float]:
    """One spacing per axis from scalars (one for all, or one each)."""
    if len(varargs) not in (0, 1, n_axes):
        raise TypeError(f"{name}: expected 0, 1 or {n_axes} spacings, got {len(varargs)}")
    for h in varargs:
        if np.ndim(h) != 0 or isinstance(h, Tensor):
            raise TypeError(
                f"{name}: spacings must be numbers (uniform grids); coordinate arrays are not supported "
                f"on Tensors, got {type(h).__name__} of shape {np.shape(h)}"
            )
    spacing = [float(h) for h in varargs] or [1.0]
    return spacing * n_axes if len(spacing) == 1 else spacing


def gradient(input: Any, *, spacing: Any = 1.0, dim: Axis = None, edge_order: int = 1) -> tuple[Tensor, ...]:
    """``torch.gradient``: the derivative of sampled values estimated by central differences
    :math:`(f_{i+1} - f_{i-1}) / 2h` along each of ``dim``, one-sided ones of ``edge_order`` at the
    ends (NumPy's coefficients).

    Parameters
    ----------
    input : Tensor or array_like
        The samples f (0-d: no axis, so no derivatives, as torch's).
    spacing : float or sequence of float
        The grid step h: one for every dimension, or one per dimension (default 1).
    dim : int or tuple of int, optional
        The axes (all by default).
    edge_order : int
        1 (default) or 2: the order of the differences at the ends.

    Returns
    -------
    tuple of Tensor
        One estimate per axis, each of the input's shape.

    Raises
    ------
    TypeError
        If a spacing is not a number (coordinate arrays are not supported) or their count is wrong.
    ValueError
        If ``edge_order`` is not 1 or 2, an axis is too short for it, or a ``dim`` is given for a 0-d input.
    """
    f = as_tensor(input)
    if f.ndim == 0 and dim is None:  # (torch: no axis, no derivative; numpy's gradient refuses)
        return ()
    axes = _axes(dim, f.ndim, "gradient")
    spacings = list(spacing) if isinstance(spacing, (list, tuple)) else [spacing]
    steps = _spacing(spacings, len(axes), "gradient")
    return tuple(_gradients(f, steps, axes, edge_order, "gradient"))


def _axes(axis: Axis, ndim: int, name: str) -> list[int]:
    if ndim == 0:
        raise ValueError(f"{name}: expected a tensor of at least 1 dimension, got a 0-d one")
    axis = normalize_axis(axis, ndim, name)
    return list(range(ndim)) if axis is None else [axis] if isinstance(axis, int) else list(axis)


# ---------------------------------------------------------------------------- NumPy's functions
@implements(np.cumsum)
def _np_cumsum(a: Any, axis: int | None = None, dtype: Any = None, out: Any = None) -> Tensor:
    _refuse("cumsum", dtype=dtype, out=out)
    return cumsum(a, axis)


@implements(np.cumprod)
def _np_cumprod(a: Any, axis: int | None = None, dtype: Any = None, out: Any = None) -> Tensor:
    _refuse("cumprod", dtype=dtype, out=out)
    return cumprod(a, axis)


@implements(np.diff)
def _np_diff(a: Any, n: int = 1, axis: int = -1, prepend: Any = _NO, append: Any = _NO) -> Tensor:
    return diff(a, n, axis, None if prepend is _NO else prepend, None if append is _NO else append)


@implements(np.gradient)
def _np_gradient(f: Any, *varargs: Any, axis: Axis = None, edge_order: int = 1) -> Any:
    """NumPy's: one Tensor for one axis, else a tuple of them."""
    x = as_tensor(f)
    axes = _axes(axis, x.ndim, "numpy.gradient")
    parts = _gradients(x, _spacing(varargs, len(axes), "numpy.gradient"), axes, edge_order, "numpy.gradient")
    return parts[0] if len(parts) == 1 else tuple(parts)


tensor_methods(cumsum=cumsum, cumprod=cumprod, logcumsumexp=logcumsumexp, diff=diff)
