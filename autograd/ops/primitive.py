"""What a Tensor operation is: a :class:`Primitive`, and the number system its rules run in.

A primitive holds the forward numpy function and one vector-Jacobian product per input,
``vjp(ns, g, out, *inputs, **params) -> ∂L/∂input``, where ``g`` is ∂L/∂out. Each VJP is
written once and runs in two number systems ``ns``: :data:`ARRAYS` (``g``, ``out`` and the
inputs are ndarrays: the fast first-order backward) and the Tensor system of
:mod:`autograd._tensor` (they are graph nodes, so the VJP is itself recorded and can be
differentiated again: ``create_graph=True``). A rule that needs another primitive calls
``ns.apply(PRIM, *inputs, **params)`` (its forward on arrays, a node on Tensors; constant
operands may be arrays). Masks are ``ns.mask(g, keep)``, a selection by
the data, never a multiplication, so a masked input gets 0 even from an inf or nan ``g``, as
in PyTorch.

The VJPs may return gradients in the broadcast shape of ``out``; the backward driver reduces
them to each input's shape in one place (:func:`unbroadcast`).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np

Array = np.ndarray


class Primitive:
    """A Tensor operation: ``name`` (``Tensor.op``), the numpy ``forward``, one VJP per input
    (``vjps[i]``) and ``local``, the same rules as text for the drawings' edges (the gradient
    sent to each input, written with g = ∂L/∂out). ``entry``: the elementwise table entry the
    primitive was made from (None for the others); ``constant``: no gradient passes through it
    (a comparison, ``detach``), so its result never requires grad."""

    __slots__ = ("name", "forward", "vjps", "local", "entry", "constant")

    def __init__(
        self,
        name: str,
        forward: Callable[..., Array],
        vjps: Sequence[Callable[..., Any]],
        local: tuple[str, ...],
        entry: Any = None,
        constant: bool = False,
    ) -> None:
        self.name, self.forward, self.vjps, self.local, self.entry = name, forward, vjps, local, entry
        self.constant = constant  # no gradient passes: its result never requires grad (ops/logic.py)

    def __repr__(self) -> str:
        return f"Primitive({self.name!r})"


class PerInput:
    """VJPs of a variadic primitive: ``vjps[i]`` is ``make(i)``, made on first use for input ``i``
    and kept (a backward pass fetches it once per node)."""

    def __init__(self, make: Callable[[int], Callable[..., Any]]) -> None:
        self.make = make
        self._made: dict[int, Callable[..., Any]] = {}

    def __getitem__(self, i: int) -> Callable[..., Any]:
        vjp = self._made.get(i)
        if vjp is None:
            vjp = self._made[i] = self.make(i)
        return vjp


def unbroadcast(grad: Any, shape: tuple[int, ...], ns: Any = None) -> Any:
    """Sum ``grad`` over the axes that broadcasting added or stretched, giving ``shape``."""
    if grad.shape == shape:
        return grad
    lead = len(grad.shape) - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and grad.shape[lead + i] != 1
    )
    if ns is None:  # (arrays, without the namespace's Python-level wrappers: the hot path)
        summed = np.add.reduce(grad, axis=axes)
        return summed if summed.shape == shape else summed.reshape(shape)
    summed = ns.sum(grad, axes, False)
    return summed if summed.shape == shape else ns.reshape(summed, shape)


def broadcast_to(x: Array, shape: tuple[int, ...]) -> Array:
    out = np.empty(shape, x.dtype)
    np.copyto(out, x)  # (an owned array; cheaper than np.broadcast_to(...).copy() for small arrays)
    return out


def scatter_add(g: Array, index: Any, shape: tuple[int, ...]) -> Array:
    """Zeros of ``shape`` with ``g`` added at ``index`` (repeated indices accumulate)."""
    out = np.zeros(shape, g.dtype)
    if _basic(index):  # (ints and slices address no element twice: a store, 10x faster than add.at)
        out[index] = g
    else:
        np.add.at(out, index, g)
    return out


def _basic(index: Any) -> bool:
    """Whether ``index`` is numpy basic indexing: ints, slices, Ellipsis and None (no arrays)."""
    parts = index if type(index) is tuple else (index,)
    return all(p is None or p is Ellipsis or type(p) in _BASIC or isinstance(p, np.integer) for p in parts)


_BASIC = (int, slice)


def mask(x: Array, keep: Array, out: Array | None = None) -> Array:
    """``x`` where ``keep``, else 0, also where ``x`` is inf or nan (a selection, as PyTorch's masks).

    Computed as ``x · keep`` (np.where is several times slower on an irregular mask), redone as
    a selection only where that product holds a nan, which 0 · inf or 0 · nan may be (Σ p² of
    the product p is nan exactly then: a dot product, cheaper than a scan for non-finite values).
    ``out``: where to write the result (``x`` itself, in generated code that no longer reads ``x``;
    x · 1 is x, so the selection may read the product)."""
    product = mask_product(x, keep, out)
    if keep.ndim:
        flat = product.reshape(-1)
        if np.isnan(np.dot(flat, flat)):
            return reselect(product, keep)
    return product


def mask_product(x: Array, keep: Array, out: Array | None = None) -> Array:
    """:func:`mask` without its check: ``x · keep``, which is nan where ``x`` is inf or nan and
    ``keep`` is False. Generated code checks a sum of the product instead of the product (a nan
    anywhere in it is a nan in every sum of all of it), then calls :func:`reselect`."""
    if keep.ndim == 0:  # (one flag: the common case of a scalar exponent)
        return x if keep else np.zeros_like(x)
    return np.multiply(x, keep, out=out)


def reselect(product: Array, keep: Array) -> Array:
    """:func:`mask` from :func:`mask_product`'s product holding a nan: the selection (x · 1 is x)."""
    return np.where(keep, product, 0)


def where(condition: Array, a: Any, b: Any, like: Array) -> Array:
    """``a`` where ``condition``, else ``b``, in ``like``'s dtype (a rule's ``where``)."""
    out = np.asarray(a if condition else b) if condition.ndim == 0 else np.where(condition, a, b)
    return out if out.dtype == like.dtype else out.astype(like.dtype)


#: a contiguous last axis at most this long, over at least ``_ROWS`` rows, is reduced across rows
SHORT_AXIS, _ROWS = 16, 64
#: float sums: numpy adds a last axis this short in order, from +0.0 (longer ones pairwise)
_SHORT_SUM, _FLOATS = 7, (np.dtype(np.float32), np.dtype(np.float64))


def _numpys_numbers(ufunc: np.ufunc, a: Array) -> bool:
    """Whether reducing ``a``'s last axis across rows gives numpy's numbers."""
    if ufunc is not np.add or a.dtype.kind in "biu":
        return True
    return a.dtype in _FLOATS and a.shape[-1] <= _SHORT_SUM


def exact_reduce(ufunc: np.ufunc, a: Array, axis: Any, keepdims: bool, initial: Any = None) -> Array:
    """``ufunc.reduce(a, axis, keepdims)`` (``initial``: as numpy's, if not None), with numpy's
    numbers, faster.

    numpy reduces a short contiguous last axis row by row, 3 to 30 times slower than across rows
    (the max over 10 classes of 128 rows: 8 µs, against 1.7 µs). There ``a`` is transposed into a
    copy whose rows are then reduced together, where that gives numpy's numbers: a maximum or
    minimum, a count, any integer sum; a float32 or float64 sum of at most 7 terms, which numpy
    adds in order from +0.0 too (the same values; of several nans, another may come out)."""
    if axis is not None and a.ndim >= 2:
        last = a.ndim - 1
        if (
            axis in (last, -1, (last,), (-1,))
            and 0 < a.shape[-1] <= SHORT_AXIS
            and a.size >= _ROWS * a.shape[-1]
            and _numpys_numbers(ufunc, a)
            and a.flags.c_contiguous  # (a traced array stops here: the generated code calls this function)
        ):
            across = np.ascontiguousarray(a.reshape(-1, a.shape[-1]).T)
            if initial is None and ufunc is np.add and a.dtype.kind == "f":
                initial = 0.0
            out = (
                ufunc.reduce(across, axis=0)
                if initial is None
                else ufunc.reduce(across, axis=0, initial=initial)
            )
            return out.reshape(a.shape[:-1] + ((1,) if keepdims else ()))
    if initial is None:
        return ufunc.reduce(a, axis=axis, keepdims=keepdims)
    return ufunc.reduce(a, axis=axis, keepdims=keepdims, initial=initial)


def column_major(x: Array) -> bool:
    """Whether ``x`` is a matrix stored by columns (a C matrix's transpose, ``W.T``): a rule may
    give its gradient in that layout, as torch's do (read from the arrays, not recorded). An array
    of its own (no ``base``: a weight, an activation) is not asked for its flags (a backward's
    matmul asks this of each operand: 0.1 µs saved)."""
    return x.base is not None and x.ndim == 2 and not x.flags.c_contiguous and x.flags.f_contiguous


def sum_arrays(a: Array, axis: Any, keepdims: bool) -> Array:
    """``np.add.reduce``: a total directly (the common case, a loss's), an axis through
    :func:`exact_reduce`."""
    if axis is None:
        return np.add.reduce(a, axis=None, keepdims=keepdims)
    return exact_reduce(np.add, a, axis, keepdims)


#: the first-order number system: ndarrays and numpy functions (the elementwise table adds its
#: ops' numpy forwards by name: ARRAYS.exp, ARRAYS.sigmoid, ...)
ARRAYS = SimpleNamespace(
    name="arrays",
    num=np.asarray,
    mask=mask,
    where=where,
    sum=sum_arrays,
    broadcast_to=broadcast_to,
    reshape=lambda x, shape: x.reshape(shape),
    astype=lambda x, dtype: x.astype(dtype, copy=False),
    transpose=lambda x, axes: x.transpose(axes),
    # the matrix transpose of the last two axes: numpy >= 2's attribute, no Python frame
    mT=operator.attrgetter("mT") if hasattr(np.ndarray, "mT") else lambda x: x.swapaxes(-1, -2),
    scatter_add=scatter_add,
    getitem=lambda x, index: x[index],
    apply=lambda prim, *inputs, **params: prim.forward(*inputs, **params),
    column_major=column_major,
)
