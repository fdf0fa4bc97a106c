"""Shape and indexing: reshape, transpose, getitem, concatenate, sort, torch's max(dim)/min(dim),
and the linear maps other rules use (broadcast_to, scatter_add, astype)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .primitive import PerInput, Primitive, broadcast_to, scatter_add


def _concat_vjp(i: int) -> Callable[..., Any]:
    def vjp(ns: Any, g: Any, out: Any, *inputs: Any, axis: int) -> Any:
        start = sum(x.shape[axis] for x in inputs[:i])
        index = [slice(None)] * g.ndim
        index[axis] = slice(start, start + inputs[i].shape[axis])
        return ns.getitem(g, tuple(index))

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
GETITEM = Primitive(
    "getitem",
    lambda a, index: a[index],
    (lambda ns, g, out, a, index: ns.scatter_add(g, index, a.shape),),
    ("g scatter-added",),
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
# The two linear maps the VJPs use (so a VJP run on Tensors can be differentiated again).
BROADCAST_TO = Primitive(
    "broadcast_to",
    broadcast_to,
    (lambda ns, g, out, a, shape: g,),  # (the driver sums g back to a's shape)
    ("g summed over the broadcast axes",),
)
SCATTER_ADD = Primitive(
    "scatter_add",
    scatter_add,
    (lambda ns, g, out, a, index, shape: ns.getitem(g, index),),
    ("g[index]",),
)
SORT = Primitive(
    "sort",
    lambda a, axis, descending: a[along(sort_order(a, axis, descending), axis, a.shape)],
    (_sort_vjp,),
    ("g at the element's sorted place",),
)


def _at_extreme(op: str) -> Primitive:
    """torch's ``max(dim)`` (``op`` "max") or ``min(dim)``, the values kept along ``axis``: each row's
    first extreme (nan counts as one, as torch), found from the numbers at every call."""

    arg = getattr(np, "arg" + op)  # (its position: np.argmax's, the first; a nan counts as one)

    def forward(a: np.ndarray, axis: int) -> np.ndarray:
        return np.take_along_axis(a, arg(a, axis=axis, keepdims=True), axis)

    def vjp(ns: Any, g: Any, out: Any, a: Any, axis: int) -> Any:
        """g at each row's chosen element, 0 elsewhere (a selection: also where g is inf or nan)."""
        index = arg(ns.num(a), axis=axis, keepdims=True)
        shape = [1] * len(a.shape)
        shape[axis] = a.shape[axis]
        chosen = np.arange(a.shape[axis]).reshape(shape) == index
        return ns.mask(ns.broadcast_to(g, a.shape), chosen)

    return Primitive(f"{op}_dim", forward, (vjp,), (f"g to the first {op}imum",))


MAX_DIM, MIN_DIM = _at_extreme("max"), _at_extreme("min")
