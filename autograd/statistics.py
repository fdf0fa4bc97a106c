"""torch's ``aminmax``, ``kthvalue``, ``cov`` and ``corrcoef``, composed of the engine's operations (no
derivative rule of their own: each gradient comes from max, indexing, sums, matmul, sqrt, clip...).

- ``aminmax``: ``(min, max)`` as ``amin`` and ``amax`` give them, ties sharing the gradient evenly;
- ``kthvalue``: the k-th smallest element along a dimension and its position, the element picked
  among equal ones as torch's selection picks it, so the gradient goes where torch's does;
- ``cov`` and ``corrcoef``: written as torch writes them (a weighted mean, a matrix product, a
  division by the degrees of freedom; for corrcoef divisions by the standard deviations and a clip
  to [-1, 1]), so their numbers and gradients are torch's.

Each is ``autograd.<name>`` and the Tensor method of its name, for Tensors (plain data becomes one).
"""

from __future__ import annotations

import warnings
from typing import Any, NamedTuple

import numpy as np

from . import dtypes
from ._operands import as_tensor, method_of, tensor_methods
from ._tensor import Tensor, nograd
from .graph import guard, is_tracing

__all__ = ["aminmax", "kthvalue", "cov", "corrcoef"]


class MinMax(NamedTuple):
    """What ``aminmax`` returns, as ``torch.aminmax``: the smallest and the largest elements."""

    min: Any
    max: Any


class KthValue(NamedTuple):
    """What ``kthvalue`` returns, as ``torch.kthvalue``: the values and their positions (int64)."""

    values: Any
    indices: Any


def _int(op: str, name: str, value: Any, position: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        where = f" (position {position})" if position else ""
        raise TypeError(f"{op}(): argument '{name}'{where} must be int, not {type(value).__name__}")
    return int(value)


def _dim(op: str, dim: Any, ndim: int) -> int:
    """``dim`` made non-negative (a 0-d tensor takes 0 or -1, as torch); torch's IndexError outside."""
    low, high = (-ndim, ndim - 1) if ndim else (-1, 0)
    if not low <= dim <= high:
        raise IndexError(
            f"{op}(): Dimension out of range (expected to be in range of [{low}, {high}], but got {dim})"
        )
    return dim % ndim if ndim else 0


# ---------------------------------------------------------------------------- aminmax
def aminmax(input: Any, *, dim: int | None = None, keepdim: bool = False) -> MinMax:
    """The smallest and the largest elements, over everything or along ``dim`` (``torch.aminmax``):
    the named tuple ``(min, max)``, each as ``amin``/``amax`` give it, so elements equal to the
    extreme share its gradient evenly (a nan is the extreme of its slice).

    Parameters
    ----------
    input : Tensor or array_like
        The input (integer and bool tensors give plain results of their dtype).
    dim : int, optional
        The dimension to reduce (keyword only; default None: every element).
    keepdim : bool
        Keep the reduced dimension (all of them, without ``dim``) with length 1 (default False).

    Returns
    -------
    autograd.statistics.MinMax
        ``(min, max)``.

    Raises
    ------
    TypeError
        If ``dim`` is not an int (or None).
    IndexError
        If ``dim`` is out of range, or the reduced dimension is empty.
    RuntimeError
        If ``dim`` is None and the input has no elements (torch's errors).
    """
    x = as_tensor(input, "aminmax: input")
    if dim is None:
        if not x.data.size:
            raise RuntimeError(
                "aminmax(): cannot compute aminmax over an empty dimension as the operation has no "
                f"identity (the input has shape {x.shape})"
            )
        axis = tuple(range(x.ndim))  # (every axis named: a nan result gives nan gradients, as torch's)
    else:
        axis = _dim("aminmax", _int("aminmax", "dim", dim), x.ndim)
        if x.ndim and not x.shape[axis]:
            raise IndexError(
                f"aminmax(): Expected reduction dim {dim} to have non-zero size (shape {x.shape})."
            )
        axis = axis if x.ndim else None
    keep = bool(keepdim)
    if not dtypes.is_floating(x.data.dtype):  # (integers and bools: plain numbers, no graph)
        low = nograd(lambda d: np.asarray(np.min(d, axis=axis, keepdims=keep)), x)  # (each call's)
        high = nograd(lambda d: np.asarray(np.max(d, axis=axis, keepdims=keep)), x)
        return MinMax(low, high)
    if not x.ndim:  # (a nan's gradient is nan, as amax's)
        from .torch_functions import amax, amin

        return MinMax(amin(x), amax(x))
    return MinMax(x.min(axis, keep), x.max(axis, keep))


# ---------------------------------------------------------------------------- kthvalue
def _greater(a: float, b: float) -> bool:
    """torch's order for its selection: nan above every number."""
    return (a != a and b == b) or a > b


def _torch_select(values: list[float], k: int) -> int:
    """The position torch's kthvalue reports for the k-th smallest (0-based) of ``values``: its
    quickselect (median-of-three pivot, Hoare partition) run on (value, position) pairs, so that
    among equal elements the same one is picked."""
    arr, pos = list(values), list(range(len(values)))

    def swap(i: int, j: int) -> None:
        arr[i], arr[j] = arr[j], arr[i]
        pos[i], pos[j] = pos[j], pos[i]

    low, high = 0, len(arr) - 1
    while high > low:
        if high == low + 1:
            if _greater(arr[low], arr[high]):
                swap(low, high)
            break
        mid = low + (high - low) // 2
        swap(mid, low + 1)
        if _greater(arr[low + 1], arr[high]):
            swap(low + 1, high)
        if _greater(arr[low], arr[high]):
            swap(low, high)
        if _greater(arr[low + 1], arr[low]):
            swap(low + 1, low)
        i, j, pivot = low + 1, high, arr[low]
        while True:
            i += 1
            while _greater(pivot, arr[i]):
                i += 1
            j -= 1
            while _greater(arr[j], pivot):
                j -= 1
            if j < i:
                break
            swap(i, j)
        swap(low, j)
        if j <= k:
            low = i
        if j >= k:
            high = j - 1
    return pos[k]


def _kth_positions(data: np.ndarray, k: int) -> np.ndarray:
    """For each row of the 2-d ``data``, the position of its k-th smallest element (0-based) as torch
    picks it. A row whose k-th element is unique needs no search; ties run torch's selection."""
    rows, n = data.shape
    kth = np.sort(data, axis=1)[:, k]  # (nan sorts last, as in torch)
    nan = np.isnan(kth)
    equal = (data == kth[:, None]) | (np.isnan(data) & nan[:, None])
    positions = np.argmax(equal, axis=1).astype(np.int64)
    for r in np.flatnonzero(equal.sum(axis=1) > 1):
        positions[r] = _torch_select(data[r].tolist(), k)
    return positions


def kthvalue(input: Any, k: int, dim: int = -1, keepdim: bool = False) -> KthValue:
    """The ``k``-th smallest element along ``dim`` and its position (``torch.kthvalue``): the named
    tuple ``(values, indices)``. nan counts as larger than every number. Among equal elements the one
    torch's selection algorithm reports is taken, and the gradient goes to that element alone.

    Parameters
    ----------
    input : Tensor or array_like
        The input (float or integer).
    k : int
        Which one, from 1 (the smallest) to the length of ``dim``.
    dim : int
        The dimension (default -1).
    keepdim : bool
        Keep ``dim`` with length 1 (default False).

    Returns
    -------
    autograd.statistics.KthValue
        ``(values, indices)``; the indices an int64 Tensor.

    Raises
    ------
    TypeError
        If ``k`` or ``dim`` is not an int.
    IndexError
        If ``dim`` is out of range or empty.
    RuntimeError
        If ``k`` is not in [1, n].
    NotImplementedError
        For a bool tensor (as torch).
    """
    x = as_tensor(input, "kthvalue: input")
    count = _int("kthvalue", "k", k, 2)
    axis = _dim("kthvalue", _int("kthvalue", "dim", dim, 3), x.ndim)
    if x.data.dtype.kind == "b":
        raise NotImplementedError(
            'kthvalue(): not implemented for bool tensors (torch: "kthvalue_cpu" not implemented for '
            "'Bool')"
        )
    n = x.shape[axis] if x.ndim else 1
    if not n:
        raise IndexError(
            f"kthvalue(): Expected reduction dim {axis} to have non-zero size (shape {x.shape})."
        )
    if not 1 <= count <= n:
        raise RuntimeError(
            f"kthvalue(): selected number k out of range for dimension {axis}: k must be in [1, {n}], "
            f"got {count}"
        )
    if not x.ndim:
        return KthValue(x.clone(), Tensor._node(np.zeros((), np.int64)))

    def place(data: np.ndarray) -> np.ndarray:
        moved = np.moveaxis(data, axis, -1)
        flat = moved.reshape(-1, n)
        positions = _kth_positions(flat, count - 1) if flat.size else np.zeros(flat.shape[0], np.int64)
        return np.moveaxis(positions.reshape(moved.shape[:-1] + (1,)), -1, axis)

    values, positions = x._take_positions(place, axis, x)  # (a compiled step: each call's k-th element)
    if not keepdim:
        values, positions = values.squeeze(axis), positions.squeeze(axis)
    return KthValue(values, positions)


# ---------------------------------------------------------------------------- cov and corrcoef
def _weights(name: str, w: Any, n: int, integral: bool) -> Tensor:
    if not isinstance(w, Tensor):
        raise TypeError(f"cov(): argument '{name}' must be Tensor, not {type(w).__name__}")
    kind = "integral" if integral else "floating point"
    if w.ndim > 1:
        raise RuntimeError(
            f"cov(): expected {name} to have one or fewer dimensions but got {name} with {w.ndim} dimensions"
        )
    if (w.data.dtype.kind in "iu") != integral or (not integral and w.data.dtype.kind != "f"):
        raise RuntimeError(
            f"cov(): expected {name} to have {kind} dtype but got {name} with {w.data.dtype} dtype"
        )
    if w.data.size != n:
        raise RuntimeError(
            f"cov(): expected {name} to have the same numel as there are observations in the input but "
            f"got {w.data.size} != {n}"
        )
    if n and not w.data.min() >= 0:
        raise RuntimeError(f"cov(): {name} cannot be negative (got {w.data.reshape(-1).tolist()})")
    return w.reshape(-1)


def cov(input: Any, *, correction: int = 1, fweights: Any = None, aweights: Any = None) -> Tensor:
    r"""The covariance matrix of the variables in the rows of ``input`` (``torch.cov``): observations
    in the columns; a 0-d or 1-d input is one variable, giving its variance (0-d).

    With frequency weights f and observation weights a, w = f·a and
    :math:`\text{cov} = \sum_i w_i (x_i - \mu)(y_i - \nu) / (\sum w - c\,\sum w a / \sum w)`, the
    means weighted by w (without ``aweights`` the divisor is :math:`\sum w - c`; without weights
    n - c). Computed as torch computes it, so values and gradients (to ``input`` and ``aweights``)
    are torch's. Degrees of freedom ≤ 0 warn, and divide by 0 (inf or nan), as torch.

    Parameters
    ----------
    input : Tensor or array_like
        At most 2-d: (variables, observations).
    correction : int
        Subtracted from the number of observations (default 1, Bessel's; 0: the plain mean).
    fweights : Tensor, optional
        Integer frequency of each observation (≥ 0), 0-d or 1-d.
    aweights : Tensor, optional
        Float weight of each observation (≥ 0), 0-d or 1-d.

    Returns
    -------
    Tensor
        (variables, variables), or 0-d for one variable.

    Raises
    ------
    TypeError
        If ``correction`` is not an int, or a weight is not a Tensor.
    RuntimeError
        For an input of more than 2 dimensions or of bool dtype, weights of the wrong shape, dtype or
        sign, or weights summing to 0 (torch's errors).
    """
    x = as_tensor(input, "cov: input")
    c = _int("cov", "correction", correction)
    if x.ndim > 2:
        raise RuntimeError(
            f"cov(): expected input to have two or fewer dimensions but got an input with {x.ndim} dimensions"
        )
    if x.data.dtype.kind == "b":
        raise RuntimeError("cov(): bool dtype is not supported for input")
    if not dtypes.is_floating(x.data.dtype):  # (torch: the mean of integers is a float)
        default = dtypes.get_default_dtype()
        x = nograd(lambda d: d.astype(default), x)
    rows = x.reshape(1, -1) if x.ndim < 2 else x
    n = rows.shape[1]
    f = None if fweights is None else _weights("fweights", fweights, n, integral=True)
    a = None if aweights is None else _weights("aweights", aweights, n, integral=False)
    follow = is_tracing()  # (a compiled step: the frequencies' numbers at every call)
    if f is not None:  # (counts as floats of the dtype torch multiplies them in: exact)
        as_float = (rows if a is None else a).data.dtype
        f = nograd(lambda d: d.astype(as_float), f) if follow else Tensor._node(f.data.astype(as_float))
    w = a if f is None else (f if a is None else f * a)
    if w is None:
        total: Any = n
        mean = rows.sum(1) / _constant(n, rows)
        divisor: Any = n - c
    elif a is None:  # (frequencies: torch sums them as integers, exactly)
        total = int(np.asarray(fweights.data, dtype=np.int64).sum())
        if total == 0:
            raise RuntimeError("cov(): weights sum to zero, can't be normalized")
        if follow:  # (the sum of each call's frequencies, exact in the float dtype)
            guard(
                lambda d: np.asarray(d, dtype=np.int64).sum() != 0, fweights.data, what="the weights sum to 0"
            )
            count = nograd(
                lambda d: np.asarray(np.asarray(d, dtype=np.int64).sum(), dtype=rows.data.dtype), fweights
            )
            mean = (rows * w).sum(1) / count
            divisor = count if c == 0 else count - float(c)
        else:
            mean = (rows * w).sum(1) / _constant(total, rows)
            divisor = total if c == 0 else total - c
    else:
        total = w.sum()
        if not total.data != 0:
            raise RuntimeError("cov(): weights sum to zero, can't be normalized")
        mean = (rows * w).sum(1) / total
        if c == 0:
            divisor = total
        elif f is None and n == 1 and c == 1:  # (torch's exact 0 where the formula would round)
            divisor = 0
        else:
            divisor = total - (w * a).sum() * c / total
    if not np.asarray(getattr(divisor, "data", divisor)) > 0:
        warnings.warn(
            "cov(): degrees of freedom is <= 0. Correction should be strictly less than the number of "
            "observations.",
            UserWarning,
            stacklevel=2,
        )
        divisor = 0
    if n == 1 and (f is None) != (a is None):
        # one observation with one kind of weights: the mean is the observation, so x - mean is 0
        # exactly, and no gradient passes (torch zeroes its input in place here: it refuses a leaf
        # that requires grad, and gives any other input gradient 0)
        centred = Tensor._node(np.zeros(rows.shape, rows.data.dtype))
    else:
        centred = rows - mean.unsqueeze(1)
    product = centred @ (centred if w is None else centred * w).transpose(0, 1)
    out = product / (divisor if isinstance(divisor, Tensor) else _constant(divisor, product))
    return out.squeeze()


def _constant(count: int, like: Tensor) -> Tensor:
    """A count as a constant of ``like``'s dtype (torch divides by its integer tensor so)."""
    return Tensor._node(np.asarray(count, dtype=like.data.dtype))


def corrcoef(input: Any) -> Tensor:
    r"""Pearson's correlation coefficients of the variables in the rows of ``input``
    (``torch.corrcoef``): ``cov(input)`` divided by the standard deviations of both variables,
    clipped to [-1, 1] (a constant variable gives nan). A single variable gives c / c: 1, or nan
    where its variance is 0, inf or nan. Values and gradients are torch's.

    Parameters
    ----------
    input : Tensor or array_like
        At most 2-d: (variables, observations).

    Returns
    -------
    Tensor
        (variables, variables), or 0-d for one variable.

    Raises
    ------
    RuntimeError
        For an input of more than 2 dimensions (torch's error), or as :func:`cov`.
    """
    x = as_tensor(input, "corrcoef: input")
    if x.ndim > 2:
        raise RuntimeError(
            "corrcoef(): expected input to have two or fewer dimensions but got an input with "
            f"{x.ndim} dimensions"
        )
    c = cov(x)
    if c.ndim == 0:
        return c / c
    std = c.diagonal().sqrt()
    c = c / std.reshape(-1, 1)
    c = c / std.reshape(1, -1)
    return c.clip(-1.0, 1.0)


tensor_methods(
    aminmax=method_of(aminmax), kthvalue=method_of(kthvalue), cov=method_of(cov), corrcoef=method_of(corrcoef)
)
