"""Shape and indexing: reshape, transpose, getitem, concatenate, sort, torch's max(dim)/min(dim),
and the linear maps other rules use (broadcast_to, scatter_add, astype)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .primitive import ARRAYS, PerInput, Primitive, broadcast_to, scatter_add


def _concat_vjp(i: int) -> Callable[..., Any]:
    def vjp(ns: Any, g: Any, out: Any, *inputs: Any, axis: int) -> Any:
        start = sum(x.shape[axis] for x in inputs[:i])
        index = [slice(None)] * g.ndim
        index[axis] = slice(start, start + inputs[i].shape[axis])
        return ns.getitem(g, tuple(index))

    vjp.shapes_only = True  # type: ignore[attr-defined]  # (reads the inputs' shapes: torch's cat saves only sizes)
    return vjp


def sort_order(a: np.ndarray, axis: int, descending: bool) -> np.ndarray:
    """The positions that sort ``a`` along ``axis``, as torch's and numpy's sort order them: stable
    (ties keep their order) and nan as the largest (last; first when ``descending``)."""
    if not descending:
        return np.argsort(a, axis, kind="stable")
    # stable descending with nan first: an ascending sort of the reversed array, reversed back
    backwards = np.flip(np.argsort(np.flip(a, axis), axis, kind="stable"), axis)
    return a.shape[axis] - 1 - backwards


def along(index: Any, axis: int, shape: tuple[int, ...]) -> tuple[Any, ...]:
    """The index taking ``index``'s positions along ``axis`` of an array of ``shape``, one per position
    of the other axes (numpy's ``take_along_axis`` as plain indexing)."""
    n = len(shape)
    return tuple(
        index if i == axis else np.arange(size).reshape((1,) * i + (size,) + (1,) * (n - i - 1))
        for i, size in enumerate(shape)
    )


def _sort_vjp(ns: Any, g: Any, out: Any, a: Any, axis: int, descending: bool) -> Any:
    """Each element's gradient is g at the place sorting took it to: g gathered by the inverse
    permutation (computed from the numbers at every call, so a compiled step sorts its own inputs)."""
    inverse = np.argsort(sort_order(ns.num(a), axis, descending), axis, kind="stable")
    return ns.getitem(g, along(inverse, axis, a.shape))


RESHAPE = Primitive(
    "reshape",
    lambda a, shape: np.reshape(a, shape),
    (lambda ns, g, out, a, shape: ns.reshape(g, a.shape),),
    ("g reshaped",),
)
TRANSPOSE = Primitive(
    "transpose",
    lambda a, axes: np.transpose(a, axes),
    (lambda ns, g, out, a, axes: ns.transpose(g, None if axes is None else tuple(np.argsort(axes))),),
    ("g transposed back",),
)


class Slot:
    """In ``GETITEM``'s index: where input ``1 + position`` goes, an int node of positions the
    graph computes (an argmax, a top-k's indices, a median's place), so that a compiled step indexes
    by each call's positions."""

    __slots__ = ("position",)

    def __init__(self, position: int) -> None:
        self.position = position

    def __repr__(self) -> str:
        return f"Slot({self.position})"


def fill(index: tuple, positions: Any) -> tuple:
    """``index`` with each :class:`Slot` replaced by its array of positions."""
    return tuple(positions[k.position] if isinstance(k, Slot) else k for k in index)


def _getitem_vjp(i: int) -> Callable[..., Any]:
    if i == 0:
        return lambda ns, g, out, a, *positions, index: ns.scatter_add(
            g, fill(index, [ns.num(p) for p in positions]) if positions else index, a.shape
        )
    return lambda ns, g, out, a, *positions, index: None  # (positions: no gradient)


def _getitem(a: np.ndarray, *positions: Any, index: Any) -> Any:
    """``a[index]``; one element as a 0-d view of ``a``'s memory, as torch's ``x[i]`` (numpy gives a
    copy, a scalar)."""
    where = fill(index, positions) if positions else index
    out = a[where]
    if type(out) is not np.ndarray and a.ndim:
        parts = where if type(where) is tuple else (where,)
        if not any(p is Ellipsis for p in parts):
            return a[(*parts, Ellipsis)]
    return out


#: ``a[index]``; the positions its Slots name are its other inputs (no gradient reaches them)
GETITEM = Primitive(
    "getitem",
    _getitem,
    PerInput(_getitem_vjp),
    ("g scatter-added", "0"),
)
CONCATENATE = Primitive(
    "concatenate",
    lambda *inputs, axis: np.concatenate(inputs, axis=axis),
    PerInput(_concat_vjp),
    ("g's slice",),
)
#: a cast, where a create_graph gradient of mixed dtypes is brought back to its input's dtype
ASTYPE = Primitive(
    "astype",
    lambda a, dtype: a.astype(dtype),
    (lambda ns, g, out, a, dtype: ns.astype(g, a.dtype),),
    ("g in a's dtype",),
)


def _broadcast(a: np.ndarray, shape: tuple[int, ...], view: bool = False) -> np.ndarray:
    """``a`` broadcast to ``shape``: an array of its own, or with ``view`` a view of ``a`` (torch's
    ``expand``: its repeated elements share memory; writable where ``a`` is, as torch's, and
    Tensor's in-place methods refuse what torch refuses there)."""
    if not view:
        return broadcast_to(a, shape)
    spread = np.broadcast_to(a, shape)
    return np.lib.stride_tricks.as_strided(
        a,
        spread.shape,
        spread.strides,
        writeable=a.flags.writeable,
        subok=True,  # (a meta array stays one)
    )


# The two linear maps the VJPs use (so a VJP run on Tensors can be differentiated again).
BROADCAST_TO = Primitive(
    "broadcast_to",
    _broadcast,
    (lambda ns, g, out, a, shape, view=False: g,),  # (the driver sums g back to a's shape)
    ("g summed over the broadcast axes",),
)
SCATTER_ADD = Primitive(
    "scatter_add",
    scatter_add,
    (lambda ns, g, out, a, index, shape: ns.getitem(g, index),),
    ("g[index]",),
)


def _copy_slices(base: np.ndarray, src: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """``base`` (a copy) with ``src`` written at the flat positions ``positions`` (of ``src``'s shape)."""
    out = np.array(base, copy=True, order="C")
    out.reshape(-1)[positions] = src
    return out


def _copy_slices_base_vjp(ns: Any, g: Any, out: Any, base: Any, src: Any, positions: np.ndarray) -> Any:
    """The written positions get no gradient: g with 0 there (this primitive again: differentiable)."""
    return ns.apply(COPY_SLICES, g, np.zeros(positions.shape, base.dtype), positions=positions)


def _copy_slices_src_vjp(ns: Any, g: Any, out: Any, base: Any, src: Any, positions: np.ndarray) -> Any:
    return ns.getitem(ns.reshape(g, (-1,)), positions)


_copy_slices_base_vjp.shapes_only = _copy_slices_src_vjp.shapes_only = True  # type: ignore[attr-defined]

#: torch's CopySlices: ``base`` with ``src`` written where a view of it (or an index) sits, the
#: positions given as flat (C-order) indices into ``base``; what an in-place write through a view
#: records for the view's base (autograd/_rebase.py)
COPY_SLICES = Primitive(
    "copy_slices",
    _copy_slices,
    (_copy_slices_base_vjp, _copy_slices_src_vjp),
    ("g, 0 where written", "g where written"),
)
SORT = Primitive(
    "sort",
    lambda a, axis, descending: a[along(sort_order(a, axis, descending), axis, a.shape)],
    (_sort_vjp,),
    ("g at the element's sorted place",),
)


#: max(dim)/min(dim) along an axis of at most this many elements, with at least ``_ROWS`` rows
#: beside it, is found by passes over the axis's slices (numpy's argmax loops row by row there)
SHORT_EXTREME, _ROWS = 64, 256
_BITS = {2: np.int16, 4: np.int32, 8: np.int64}  # (a float's bits as the int of its size)


def _short(a: np.ndarray, axis: int) -> bool:
    k = a.shape[axis]
    return a.dtype.kind in "fiub" and 1 < k <= SHORT_EXTREME and a.size >= _ROWS * k


def _ties_are_one(m: np.ndarray, a: np.ndarray) -> bool:
    """Whether the extremes ``m`` of ``a`` (a reduction's) are each row's first extreme bit for bit:
    no row holds a nan (which nan a reduction keeps is not the first's), and no extreme is a zero
    that may tie with a zero of the other sign (no -0.0 in ``a``)."""
    if a.dtype.kind != "f":
        return True
    flat = m.reshape(-1)
    if np.isnan(np.dot(flat, flat)):
        return False
    if not (m == 0).any():
        return True
    bits = _BITS.get(a.dtype.itemsize)
    if bits is None:
        return not np.signbit(a[a == 0]).any()
    # -0.0's bits are the sign bit alone: as an int, the least there is (a minimum: no mask made)
    return bool(np.minimum.reduce(a.view(bits), axis=None) != np.iinfo(bits).min)


def first_chosen(a: np.ndarray, out: np.ndarray, axis: int) -> np.ndarray | None:
    """Where each row of ``a`` along ``axis`` holds its first element equal to ``out`` (the row's
    extreme, kept along ``axis``), as a bool array of ``a``'s shape; None where that does not give
    the first extreme (a nan extreme, an axis too long to pass over)."""
    if not _short(a, axis) or (out.dtype.kind == "f" and np.isnan(np.dot(out.reshape(-1), out.reshape(-1)))):
        return None
    chosen = a == out
    lead = (slice(None),) * (axis % a.ndim)
    taken = chosen[(*lead, 0)].copy()
    last = a.shape[axis] - 1
    for k in range(1, last + 1):
        hit = chosen[(*lead, k)]
        np.greater(hit, taken, out=hit)  # (hit and not taken before: a later tie is no choice)
        if k < last:
            np.logical_or(taken, hit, out=taken)
    return chosen


def last_nan_argmax(a: np.ndarray, axis: int, keepdims: bool = False) -> np.ndarray:
    """Each row's position along ``axis`` that torch's max pools choose (``val > max || isnan(val)``):
    its first maximum, or its last nan where it holds one (``np.argmax``'s choice but for the nan).

    Along a short axis of many rows, by reductions (numpy's argmax loops row by row there): the
    largest of ``n - j`` where slice ``j`` equals the row's maximum (a zero equals a zero of either
    sign, as torch's ``>`` compares: the first is kept), then of ``j + 1`` where it is nan."""
    n = a.shape[axis]
    if _short(a, axis):
        m = np.maximum.reduce(a, axis=axis, keepdims=True)
        place = [1] * a.ndim
        place[axis] = n
        down = np.arange(n, 0, -1, dtype=np.int8).reshape(place)  # (n <= SHORT_EXTREME < 128)
        k = n - np.maximum.reduce(np.multiply(a == m, down, dtype=np.int8), axis=axis, keepdims=True)
        if a.dtype.kind == "f" and np.isnan(m).any():
            up = np.arange(1, n + 1, dtype=np.int8).reshape(place)
            last = np.maximum.reduce(np.multiply(np.isnan(a), up, dtype=np.int8), axis=axis, keepdims=True)
            k = np.where(last > 0, last - 1, k)
        k = k.astype(np.int64)
    else:
        k = np.argmax(a, axis=axis, keepdims=True)
        if a.dtype.kind == "f" and n > 1:
            taken = np.take_along_axis(a, k, axis)
            if np.isnan(np.dot(taken.reshape(-1), taken.reshape(-1))):  # (argmax took the first nan)
                flipped = np.argmax(np.flip(np.isnan(a), axis), axis=axis, keepdims=True)
                k = np.where(np.isnan(taken), n - 1 - flipped, k)
    return k if keepdims else np.squeeze(k, axis)


def _at_extreme(op: str, arg: Any = None, name: str | None = None) -> Primitive:
    """torch's ``max(dim)`` (``op`` "max") or ``min(dim)``, the values kept along ``axis``: each row's
    first extreme (nan counts as one, as torch), found from the numbers at every call; ``arg`` (the
    choice of np.argmax's signature where a row holds a nan) gives another choice, as
    :func:`last_nan_argmax` the max pools'.

    Along a short axis of many rows the extremes are a reduction, the first one found by passes
    over the axis's slices (exact: a nan or a signed zero tie takes numpy's argmax instead)."""

    arg = arg or getattr(np, "arg" + op)  # (its position: np.argmax's, the first; a nan counts as one)
    ufunc = np.maximum if op == "max" else np.minimum

    def forward(a: np.ndarray, axis: int) -> np.ndarray:
        if _short(a, axis):
            m = ufunc.reduce(a, axis=axis, keepdims=True)
            if _ties_are_one(m, a):
                return m
        return np.take_along_axis(a, arg(a, axis=axis, keepdims=True), axis)

    def vjp(ns: Any, g: Any, out: Any, a: Any, axis: int) -> Any:
        """g at each row's chosen element, 0 elsewhere (a selection: also where g is inf or nan)."""
        chosen = ns.chosen(ns.num(a), ns.num(out), axis, arg)
        return ns.mask(g, chosen)  # (g broadcast by the selection itself: one pass, not two)

    rule = f"g to the first {op}imum" if name is None else f"g to the first {op}imum, or the last nan"
    return Primitive(name or f"{op}_dim", forward, (vjp,), (rule,))


def chosen_element(a: np.ndarray, out: np.ndarray, axis: int, arg: Any) -> np.ndarray:
    """Where each row of ``a`` along ``axis`` holds its first extreme ``out`` (``arg``: np.argmax or
    np.argmin, whose choice it is), a bool array of ``a``'s shape."""
    chosen = first_chosen(a, out, axis)
    if chosen is not None:
        return chosen
    index = arg(a, axis=axis, keepdims=True)
    shape = [1] * a.ndim
    shape[axis] = a.shape[axis]
    return np.arange(a.shape[axis]).reshape(shape) == index


MAX_DIM, MIN_DIM = _at_extreme("max"), _at_extreme("min")
#: the max pools' choice in each window (axis): the first maximum, or the last nan (torch's kernels)
POOL_MAX = _at_extreme("max", last_nan_argmax, "pool_max")
ARRAYS.chosen = chosen_element  # (a selection by the numbers: the same function in every number system)
