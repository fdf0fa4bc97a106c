"""Reductions beyond sum, max and mean: prod (a primitive), torch's norm, ptp and average
(composed).

Each function takes the tensor first, with PyTorch's argument names (NumPy's accepted too);
``prod`` and ``norm`` are also Tensor methods (``t.prod(dim)``, ``t.norm(p, dim)``); ``np.prod``,
``np.ptp`` and ``np.average`` on Tensors record the graph through them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import linalg, ops
from ._operands import as_tensor, as_tensors, tensor_methods
from ._tensor import Tensor
from .composite import Axis, normalize_axis, torch_names
from .dtypes import accumulate
from .numpy_dispatch import _NO, _refuse, implements, numpy_axes


def prod(
    input: Any,
    axis: Axis = None,
    keepdims: bool = False,
    *,
    dim: Axis = None,
    keepdim: bool | None = None,
    dtype: Any = None,
) -> Tensor:
    r"""The product of the elements over ``axis``/``dim`` (all by default), as ``torch.prod`` and
    ``np.prod``; also ``Tensor.prod``.

    The gradient at element i is the product of the other elements, :math:`\prod_{j \ne i} x_j`,
    exact where some are 0 (one zero: the product of the rest at the zero, 0 elsewhere; two or
    more: 0 everywhere), as PyTorch's.

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    axis : int or tuple of int, optional
        The axes to multiply over (NumPy's name; ``dim`` is torch's); all by default.
    keepdims : bool
        Keep the reduced axes with length 1 (default False; ``keepdim`` is torch's name).
    dim : int or tuple of int, optional
        torch's name for ``axis``.
    keepdim : bool, optional
        torch's name for ``keepdims``.
    dtype : numpy.dtype, optional
        The input is cast to it first and the product is of it (torch's argument); without it,
        integers and bool give int64, as torch's.

    Returns
    -------
    Tensor
        The products.

    Raises
    ------
    TypeError
        If both ``axis`` and ``dim`` (or ``keepdims`` and ``keepdim``) are given.
    ValueError
        If an axis is out of range.
    """
    axis, keepdims = torch_names("prod", axis, dim, keepdims, keepdim)
    return accumulate(as_tensor(input), dtype, "prod", lambda x: _prod(x, axis, keepdims))


def _prod(x: Tensor, axis: Axis, keepdims: bool) -> Tensor:
    axis = normalize_axis(axis, x.ndim, "prod")
    if not isinstance(axis, tuple):
        return Tensor._apply(ops.PROD, x, axis=axis, keepdims=keepdims)
    # several axes: moved to the end and merged into one
    rest = [i for i in range(x.ndim) if i not in axis]
    merged = x.transpose(rest + list(axis)).reshape(
        tuple(x.shape[i] for i in rest) + (int(np.prod([x.shape[i] for i in axis])),)
    )
    out = Tensor._apply(ops.PROD, merged, axis=len(rest), keepdims=False)
    return out.reshape(tuple(1 if i in axis else n for i, n in enumerate(x.shape))) if keepdims else out


def norm(input: Any, p: Any = "fro", dim: Axis = None, keepdim: bool = False, dtype: Any = None) -> Tensor:
    r"""``torch.norm`` and ``Tensor.norm``: the 2-norm :math:`\sqrt{\sum x^2}` over ``dim`` (all axes
    by default) for ``p`` "fro", None or 2; the p-norm :math:`(\sum |x|^p)^{1/p}` for a number p;
    the nuclear norm of the matrices on ``dim`` (the last two by default) for "nuc". The gradient
    at 0 is 0, as torch's.

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    p : int, float or str
        "fro" (default), "nuc", or a number (±inf: max/min |x|).
    dim : int or tuple of int, optional
        The axes.
    keepdim : bool
        Keep the reduced axes with length 1 (default False).
    dtype : numpy.dtype, optional
        A floating dtype the input is cast to first (as ``linalg.vector_norm``'s; not with "nuc").

    Returns
    -------
    Tensor
        The norm(s).

    Raises
    ------
    TypeError
        If ``dtype`` is given with "nuc".
    ValueError
        If an axis is out of range.
    RuntimeError
        As ``linalg.vector_norm``'s (an integer input, a ``dtype`` not floating or narrower).
    """
    x = as_tensor(input)
    if p == "nuc":
        if dtype is not None:
            raise TypeError("norm: dtype is not supported with p='nuc' here; cast the input first")
        return linalg.matrix_norm(x, "nuc", (-2, -1) if dim is None else dim, keepdim)  # type: ignore[arg-type]
    return linalg.vector_norm(x, 2 if p in ("fro", None) else p, dim, keepdim, dtype=dtype)


def ptp(input: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """max − min over ``axis`` ("peak to peak", ``np.ptp``); ties split each gradient evenly.

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    axis : int or tuple of int, optional
        The axes (all by default).
    keepdims : bool
        Keep the reduced axes with length 1 (default False).

    Returns
    -------
    Tensor
        The ranges.
    """
    x = as_tensor(input)
    return x.max(axis, keepdims) - x.min(axis, keepdims)


def average(
    a: Any, axis: Axis = None, weights: Any = None, returned: bool = False, *, keepdims: bool = False
) -> Any:
    r"""The weighted mean :math:`\sum a w / \sum w` over ``axis`` (``np.average``).

    Parameters
    ----------
    a : Tensor or array_like
        The input.
    axis : int or tuple of int, optional
        The axes (all by default).
    weights : Tensor or array_like, optional
        Of ``a``'s shape, or 1-d of the length of ``axis`` (weighing along it); a Tensor gets a
        gradient too. None: the plain mean.
    returned : bool
        Also return :math:`\sum w` (the count without weights), in the result's shape.
    keepdims : bool
        Keep the reduced axes with length 1 (default False).

    Returns
    -------
    Tensor or tuple of Tensor
        The average; with ``returned``, ``(average, sum of weights)``.

    Raises
    ------
    TypeError
        If ``weights`` differ from ``a``'s shape and no axis is given.
    ValueError
        If 1-d ``weights`` do not fit the axis.
    ZeroDivisionError
        If the weights sum to 0, as NumPy.
    """
    if weights is None:
        x = as_tensor(a)
        axis = normalize_axis(axis, x.ndim, "average")
        avg = x.mean(axis, keepdims)
        count = x.data.size / max(avg.data.size, 1)
        return (avg, Tensor(np.full(avg.shape, count, x.dtype))) if returned else avg
    x, w = as_tensors(a, weights)
    axis = normalize_axis(axis, x.ndim, "average")
    if w.shape != x.shape:
        if axis is None:
            raise TypeError(
                f"average: weights of shape {w.shape} differ from a's shape {x.shape}; give the axis "
                "they weigh along"
            )
        if w.ndim != 1 or not isinstance(axis, int) or w.shape[0] != x.shape[axis]:
            raise ValueError(
                f"average: weights of a shape other than a's {x.shape} must be 1-d of the length of "
                f"axis {axis} ({x.shape[axis] if isinstance(axis, int) else 'several axes'}), got shape "
                f"{w.shape}"
            )
        w = w.reshape(tuple(n if i == axis else 1 for i, n in enumerate(x.shape)))
    total = w.sum(axis, keepdims)
    if (total.data == 0).any():
        raise ZeroDivisionError("average: the weights sum to 0 (along the axis), so they cannot normalize")
    avg = (x * w).sum(axis, keepdims) / total
    return (avg, Tensor._apply(ops.BROADCAST_TO, total, shape=avg.shape)) if returned else avg


# ---------------------------------------------------------------------------- NumPy's functions
@implements(np.prod)
def _np_prod(
    a: Any, axis: Axis = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
    initial: Any = _NO, where: Any = _NO,
) -> Tensor:  # fmt: skip
    _refuse("prod", dtype=dtype, out=out, initial=initial, where=where)
    return prod(*numpy_axes(a, axis, keepdims))


@implements(np.ptp)
def _np_ptp(a: Any, axis: Axis = None, out: Any = None, keepdims: bool = False) -> Tensor:
    _refuse("ptp", out=out)
    return ptp(*numpy_axes(a, axis, keepdims))


@implements(np.average)
def _np_average(
    a: Any, axis: Axis = None, weights: Any = None, returned: bool = False, *, keepdims: Any = _NO
) -> Any:
    return average(a, axis, weights, returned, keepdims=keepdims is not _NO and bool(keepdims))


tensor_methods(prod=prod, norm=norm)
