"""NumPy's shape and selection functions on Tensors: ``np.flip(t)``, ``np.repeat(t, 2)``,
``np.pad(t, 1, mode="reflect")``, ``np.hstack([a, t])``, ``np.take_along_axis(t, i, 1)``, ...

Each is registered for NumPy with :func:`autograd.numpy_dispatch.implements` and maps NumPy's
signature (and semantics: ``np.repeat`` repeats each element, ``np.split`` cuts equal pieces)
onto the composed methods of :mod:`autograd.shape_ops`, onto ``concatenate`` and onto ``where``,
so no derivative rule is written here. The joining functions, which torch has under the same
names, are also ``autograd.hstack``, ``vstack``, ``row_stack``, ``dstack``, ``column_stack`` and
``atleast_1d/2d/3d``; ``pad`` also serves torch's ``autograd.nn.functional.pad``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ._tensor import Tensor, concatenate, where
from .numpy_dispatch import _as_tensor, _refuse, implements
from .shape_ops import _at_least, _axes, _int


# ----------------------------------------------------------------------------- rearranging
@implements(np.ravel)
def _ravel(a: Any, order: str = "C") -> Tensor:
    _refuse("ravel", order=None if order == "C" else order)
    return _as_tensor(a).ravel()


@implements(np.astype)
def _astype(x: Any, dtype: Any, /, *, copy: bool = True, device: Any = None) -> Tensor:
    _refuse("astype", device=device)
    return _as_tensor(x).astype(dtype)


@implements(np.flip)
def _flip(m: Any, axis: Any = None) -> Tensor:
    return _as_tensor(m).flip(axis=axis)


@implements(np.fliplr)
def _fliplr(m: Any) -> Tensor:
    return _as_tensor(m).fliplr()


@implements(np.flipud)
def _flipud(m: Any) -> Tensor:
    return _as_tensor(m).flipud()


@implements(np.roll)
def _roll(a: Any, shift: Any, axis: Any = None) -> Tensor:
    return _as_tensor(a).roll(shift, axis)


@implements(np.rot90)
def _rot90(m: Any, k: int = 1, axes: Any = (0, 1)) -> Tensor:
    return _as_tensor(m).rot90(k, axes)


@implements(np.moveaxis)
def _moveaxis(a: Any, source: Any, destination: Any) -> Tensor:
    return _as_tensor(a).moveaxis(source, destination)


@implements(np.swapaxes)
def _swapaxes(a: Any, axis1: int, axis2: int) -> Tensor:
    return _as_tensor(a).swapaxes(axis1, axis2)


@implements(np.rollaxis)
def _rollaxis(a: Any, axis: int, start: int = 0) -> Tensor:
    """numpy's older moveaxis: ``axis`` moved to just before the axis ``start`` was."""
    t = _as_tensor(a)
    n = t.ndim
    (axis,) = _axes("numpy.rollaxis", n, (axis,))
    given = _int("numpy.rollaxis", "start", start)
    start = given + n if given < 0 else given
    if not 0 <= start <= n:
        raise ValueError(f"numpy.rollaxis: start must be in [{-n}, {n}], got {given}")
    order = [i for i in range(n) if i != axis]
    order.insert(start - 1 if axis < start else start, axis)
    return t.transpose(order)


@implements(np.expand_dims)
def _expand_dims(a: Any, axis: Any) -> Tensor:
    """Length-1 axes inserted at the positions ``axis`` (of the result)."""
    t = _as_tensor(a)
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    ndim = t.ndim + len(axes)
    at = _axes("numpy.expand_dims", ndim, axes)
    sizes = iter(t.shape)
    return t.reshape([1 if i in at else next(sizes) for i in range(ndim)])


@implements(np.broadcast_to)
def _broadcast_to(array: Any, shape: Any, subok: bool = False) -> Tensor:
    return _as_tensor(array).broadcast_to(shape)


def atleast_1d(*arys: Any) -> Any:
    """Each array with at least 1 dimension: a 0-d one becomes shape (1,) (``np.atleast_1d``,
    ``torch.atleast_1d``).

    Parameters
    ----------
    *arys : Tensor or array_like
        One or more arrays.

    Returns
    -------
    Tensor, numpy.ndarray or tuple
        One result for one array, else a tuple; a Tensor stays in the graph (a reshape), other
        arrays are NumPy's result.
    """
    return _atleast(arys, lambda t: t.reshape(1) if t.ndim == 0 else t, np.atleast_1d)


def atleast_2d(*arys: Any) -> Any:
    """Each array with at least 2 dimensions: (1, 1) from 0-d, (1, n) from 1-d
    (``np.atleast_2d``, ``torch.atleast_2d``).

    Parameters
    ----------
    *arys : Tensor or array_like
        One or more arrays.

    Returns
    -------
    Tensor, numpy.ndarray or tuple
        One result for one array, else a tuple; a Tensor stays in the graph (a reshape), other
        arrays are NumPy's result.
    """
    return _atleast(
        arys, lambda t: t.reshape((1,) * (2 - t.ndim) + t.shape) if t.ndim < 2 else t, np.atleast_2d
    )


def atleast_3d(*arys: Any) -> Any:
    """Each array with at least 3 dimensions: (1, 1, 1) from 0-d, (1, n, 1) from 1-d, (m, n, 1)
    from 2-d (``np.atleast_3d``, ``torch.atleast_3d``).

    Parameters
    ----------
    *arys : Tensor or array_like
        One or more arrays.

    Returns
    -------
    Tensor, numpy.ndarray or tuple
        One result for one array, else a tuple; a Tensor stays in the graph (a reshape), other
        arrays are NumPy's result.
    """

    def three(t: Tensor) -> Tensor:
        if t.ndim >= 3:  # (the tensor itself, as torch's and numpy's)
            return t
        return t.reshape({0: (1, 1, 1), 1: (1, *t.shape, 1), 2: (*t.shape, 1)}[t.ndim])

    return _atleast(arys, three, np.atleast_3d)


def _atleast(arys: tuple[Any, ...], grow: Callable[[Tensor], Tensor], plain: Callable[..., Any]) -> Any:
    out = tuple(grow(x) if isinstance(x, Tensor) else plain(x) for x in arys)
    return out[0] if len(out) == 1 else out


implements(np.atleast_1d)(atleast_1d)
implements(np.atleast_2d)(atleast_2d)
implements(np.atleast_3d)(atleast_3d)


# ----------------------------------------------------------------------------- selecting
@implements(np.diag)
def _diag(v: Any, k: int = 0) -> Tensor:
    return _as_tensor(v).diag(k)


@implements(np.diagonal)
def _diagonal(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    return _as_tensor(a).diagonal(offset, axis1, axis2)


@implements(np.tril)
def _tril(m: Any, k: int = 0) -> Tensor:
    return _as_tensor(m).tril(k)


@implements(np.triu)
def _triu(m: Any, k: int = 0) -> Tensor:
    return _as_tensor(m).triu(k)


@implements(np.sort)
def _sort(a: Any, axis: Any = -1, kind: Any = None, order: Any = None, *, stable: Any = None) -> Tensor:
    """The sorted values (any ``kind`` gives the same values); ``axis=None`` sorts the flattened array."""
    _refuse("sort", order=order)
    t = _as_tensor(a)
    return t.ravel().sort(0).values if axis is None else t.sort(axis).values


@implements(np.partition)
def _partition(a: Any, kth: Any, axis: Any = -1, kind: str = "introselect", order: Any = None) -> Tensor:
    """numpy's ``partition``: numpy's own arrangement of ``a`` along ``axis`` (``None``: flattened), in
    which each position of ``kth`` holds the element it holds in the sorted array, the elements
    before it are not larger and those after not smaller. Each element is taken from its place in
    ``a`` (take_along_axis), so it gets the gradient of the position it went to."""
    _refuse("partition", order=order)
    if kind != "introselect":
        raise ValueError(f'numpy.partition: kind must be "introselect", got {kind!r}')
    t = _as_tensor(a)
    return t.take_along_dim(_partition_order(t.data, kth, axis), axis)


def _partition_order(data: np.ndarray, kth: Any, axis: Any) -> np.ndarray:
    """The positions along ``axis`` that arrange ``data`` as ``np.partition(data, kth, axis)`` does,
    element for element, nan included (``np.argpartition``'s arrangement differs where there is
    nan): the i-th smallest of ``data`` goes where numpy's result holds its i-th smallest, both
    sorted stably, so equal elements keep their order (-0 and 0 are equal: numpy's partition may
    give either)."""
    x = data.reshape(-1) if axis is None else data
    ax = 0 if axis is None else _axes("numpy.partition", x.ndim, (axis,))[0]
    kths = np.asarray(kth)
    if kths.size == 0 and kths.ndim == 1:
        kths = kths.astype(np.intp)
    if kths.dtype.kind not in "iu" or kths.ndim > 1:
        raise TypeError(f"numpy.partition: kth must be an int or a sequence of ints, got {kth!r}")
    n = x.shape[ax]
    if x.size and not np.all((-n <= kths) & (kths < n)):
        raise ValueError(f"numpy.partition: kth={kth!r} is out of range for an axis of length {n}")
    arranged = np.partition(x, kths, ax)
    source, target = np.argsort(x, ax, kind="stable"), np.argsort(arranged, ax, kind="stable")
    positions = np.empty_like(source)
    np.put_along_axis(positions, target, source, ax)
    return positions


@implements(np.take)
def _take(a: Any, indices: Any, axis: Any = None, out: Any = None, mode: str = "raise") -> Tensor:
    _refuse("take", out=out)
    return _as_tensor(a).take(indices, axis, mode)


@implements(np.take_along_axis)
def _take_along_axis(arr: Any, indices: Any, axis: Any = -1) -> Tensor:
    return _as_tensor(arr).take_along_dim(indices, axis)


@implements(np.select)
def _select(condlist: Sequence[Any], choicelist: Sequence[Any], default: Any = 0) -> Tensor:
    """The first choice whose condition holds, else ``default``: nested ``where``s."""
    if len(condlist) != len(choicelist):
        raise ValueError(
            f"numpy.select: expected as many choices as conditions, got {len(choicelist)} and {len(condlist)}"
        )
    if not len(condlist):
        raise ValueError("numpy.select: expected at least one condition, got none")
    out = default
    for condition, choice in reversed(list(zip(condlist, choicelist))):
        out = where(condition, choice, out)
    return out


# ----------------------------------------------------------------------------- repeating
@implements(np.repeat)
def _repeat(a: Any, repeats: Any, axis: Any = None) -> Tensor:
    """numpy's ``repeat``: each element repeated in place (torch's ``repeat_interleave``)."""
    return _as_tensor(a).repeat_interleave(repeats, axis)


@implements(np.tile)
def _tile(A: Any, reps: Any) -> Tensor:
    return _as_tensor(A).tile(reps)


# ----------------------------------------------------------------------------- splitting
@implements(np.split)
def _split(ary: Any, indices_or_sections: Any, axis: int = 0) -> list[Tensor]:
    t = _as_tensor(ary)
    return list(t._split("split", indices_or_sections, _axes("numpy.split", t.ndim, (axis,))[0]))


@implements(np.array_split)
def _array_split(ary: Any, indices_or_sections: Any, axis: int = 0) -> list[Tensor]:
    return list(_as_tensor(ary).tensor_split(indices_or_sections, axis))


@implements(np.hsplit)
def _hsplit(ary: Any, indices_or_sections: Any) -> list[Tensor]:
    return list(_as_tensor(ary).hsplit(indices_or_sections))


@implements(np.vsplit)
def _vsplit(ary: Any, indices_or_sections: Any) -> list[Tensor]:
    return list(_as_tensor(ary).vsplit(indices_or_sections))


@implements(np.dsplit)
def _dsplit(ary: Any, indices_or_sections: Any) -> list[Tensor]:
    return list(_as_tensor(ary).dsplit(indices_or_sections))


# ----------------------------------------------------------------------------- joining
def hstack(tup: Any) -> Tensor:
    """Join along the columns: axis 1, or axis 0 for 1-d arrays (0-d ones become 1-d), as
    ``np.hstack`` and ``torch.hstack``.

    Parameters
    ----------
    tup : sequence of Tensor or array_like
        The arrays to join (a Tensor: its rows).

    Returns
    -------
    Tensor
        The joined tensor.

    Raises
    ------
    TypeError
        If ``tup`` is not a list or tuple of arrays.
    ValueError
        If it is empty, or the shapes do not fit.
    """
    parts = _atleast_list("hstack", atleast_1d, tup)
    return concatenate(parts, 0 if parts[0].ndim == 1 else 1)


def vstack(tup: Any) -> Tensor:
    """Join along the rows (axis 0), 1-d arrays as rows (``np.vstack``, ``torch.vstack``; also
    ``row_stack``).

    Parameters
    ----------
    tup : sequence of Tensor or array_like
        The arrays to join (a Tensor: its rows).

    Returns
    -------
    Tensor
        The joined tensor, at least 2-d.

    Raises
    ------
    TypeError
        If ``tup`` is not a list or tuple of arrays.
    ValueError
        If it is empty, or the shapes do not fit.
    """
    return concatenate(_atleast_list("vstack", atleast_2d, tup), 0)


row_stack = vstack


def dstack(tup: Any) -> Tensor:
    """Join along the depth (axis 2), each array made at least 3-d first (``np.dstack``,
    ``torch.dstack``).

    Parameters
    ----------
    tup : sequence of Tensor or array_like
        The arrays to join (a Tensor: its rows).

    Returns
    -------
    Tensor
        The joined tensor, at least 3-d.

    Raises
    ------
    TypeError
        If ``tup`` is not a list or tuple of arrays.
    ValueError
        If it is empty, or the shapes do not fit.
    """
    return concatenate(_atleast_list("dstack", atleast_3d, tup), 2)


def column_stack(tup: Any) -> Tensor:
    """Join as columns (axis 1): 1-d (and 0-d) arrays become columns, 2-d ones stay
    (``np.column_stack``, ``torch.column_stack``).

    Parameters
    ----------
    tup : sequence of Tensor or array_like
        The arrays to join (a Tensor: its rows).

    Returns
    -------
    Tensor
        The joined 2-d tensor.

    Raises
    ------
    TypeError
        If ``tup`` is not a list or tuple of arrays.
    ValueError
        If it is empty, or the shapes do not fit.
    """
    parts = []
    for x in _sequence("column_stack", tup):
        t = x if isinstance(x, Tensor) else np.asarray(x)
        parts.append(t.reshape(-1, 1) if t.ndim < 2 else t)
    return concatenate(parts, 1)


def _sequence(op: str, tup: Any) -> list[Any]:
    """A joining function's operands: a list or tuple, or an array (its rows), as numpy."""
    if isinstance(tup, Tensor):
        _at_least(op, tup.ndim, 1)
        return [tup[i] for i in range(len(tup))]
    if isinstance(tup, np.ndarray) or (isinstance(tup, Sequence) and not isinstance(tup, str)):
        return list(tup)
    raise TypeError(f"{op}: expected a list or tuple of arrays, got {type(tup).__name__}")


def _atleast_list(op: str, grow: Callable[..., Any], tup: Any) -> list[Any]:
    parts = [grow(x) for x in _sequence(op, tup)]
    if not parts:
        raise ValueError("need at least one array to concatenate")
    return parts


def _stacker(fn: Callable[[Any], Tensor]) -> Callable[..., Tensor]:
    def join(tup: Any, *, dtype: Any = None, casting: str = "same_kind") -> Tensor:
        _refuse(fn.__name__, dtype=dtype, casting=None if casting == "same_kind" else casting)
        return fn(tup)

    return join


implements(np.hstack)(_stacker(hstack))
implements(np.vstack)(_stacker(vstack))
implements(np.dstack)(dstack)
implements(np.column_stack)(column_stack)


@implements(np.append)
def _append(arr: Any, values: Any, axis: Any = None) -> Tensor:
    """``arr`` and ``values`` concatenated along ``axis``; both flattened first for ``axis=None``."""
    if axis is None:
        arr, values = (x.ravel() if isinstance(x, Tensor) else np.ravel(x) for x in (arr, values))
        axis = 0
    return concatenate([arr, values], axis)


# ----------------------------------------------------------------------------- padding
#: where each position of an axis padded to [-before, n + after) reads from, per non-constant mode
_PAD_INDEX: dict[str, Callable[[np.ndarray, int], np.ndarray]] = {
    "edge": lambda at, n: at.clip(0, n - 1),
    "reflect": lambda at, n: _fold(at % (2 * n - 2), n, 2 * n - 2) if n > 1 else at * 0,
    "symmetric": lambda at, n: _fold(at % (2 * n), n, 2 * n - 1),
    "wrap": lambda at, n: at % n,
}
_PAD_OPTIONS = {"constant": {"constant_values"}, "reflect": {"reflect_type"}, "symmetric": {"reflect_type"}}


def _fold(at: np.ndarray, n: int, top: int) -> np.ndarray:
    """Positions within one period of a mirrored axis of length ``n``, the second half read backwards
    (``top``: 2n - 2 when the edge is not repeated, reflect; 2n - 1 when it is, symmetric)."""
    return np.where(at >= n, top - at, at)


@implements(np.pad)
def pad(array: Any, pad_width: Any, mode: str = "constant", **kwargs: Any) -> Tensor:
    """``array`` padded by ``pad_width`` (an int, a (before, after) pair, or one pair per axis) as
    numpy's ``pad``: mode "constant" (``constant_values``: a number, a pair, or a pair per axis),
    "edge" (torch: replicate), "reflect" (the edge not repeated), "symmetric" (repeated) or "wrap"
    (torch: circular). Constants are joined on (their gradient: a slice), the other modes read the
    array at computed positions (their gradient: the positions' gradients summed).

    Raises:
        TypeError: a width or constant that is not a number, or a mode numpy has and this does not.
        ValueError: a negative width, widths that fit no axis, an unknown mode, or a non-constant
            mode on an empty axis.
    """
    t = _as_tensor(array)
    if mode not in (*_PAD_INDEX, "constant"):
        known = ("linear_ramp", "maximum", "mean", "median", "minimum", "empty")
        if callable(mode) or mode in known:
            raise TypeError(
                f"numpy.pad on a Tensor: mode {mode!r} is not supported; use constant, edge, "
                "reflect, symmetric or wrap"
            )
        raise ValueError(f"numpy.pad: mode must be constant, edge, reflect, symmetric or wrap, got {mode!r}")
    unknown = set(kwargs) - _PAD_OPTIONS.get(mode, set())
    if unknown:
        raise ValueError(f"numpy.pad: unsupported keyword arguments for mode {mode!r}: {sorted(unknown)}")
    if kwargs.get("reflect_type", "even") != "even":
        raise TypeError(f"numpy.pad on a Tensor: reflect_type={kwargs['reflect_type']!r} is not supported")
    widths = _pairs("pad_width", pad_width, t.ndim, integral=True)
    values = _pairs("constant_values", kwargs.get("constant_values", 0), t.ndim, integral=False)
    for axis in range(t.ndim):  # (the last axis last: corners take its constants, as numpy's)
        before, after = widths[axis]
        if before or after:
            t = _pad_axis(t, axis, before, after, mode, values[axis])
    return t if t is not array else t[()]


def _pad_axis(t: Tensor, axis: int, before: int, after: int, mode: str, values: list[float]) -> Tensor:
    n = t.shape[axis]
    if mode == "constant":
        parts: list[Any] = []
        for width, value in ((before, values[0]), (None, None), (after, values[1])):
            if width is None:
                parts.append(t)
            elif width:
                shape = list(t.shape)
                shape[axis] = width
                parts.append(np.full(shape, value, t.dtype))
        return concatenate(parts, axis)
    if n == 0:
        raise ValueError(f"numpy.pad: cannot extend the empty axis {axis} in mode {mode!r} (only constant)")
    index = _PAD_INDEX[mode](np.arange(-before, n + after), n)
    return t[(slice(None),) * axis + (index,)]


def _pairs(name: str, given: Any, ndim: int, integral: bool) -> list[list[Any]]:
    """numpy's forms of a per-axis (before, after) argument, as one pair per axis."""
    if isinstance(given, Tensor):
        raise TypeError(f"numpy.pad: {name} must be numbers, got a Tensor (no gradient flows to it)")
    arr = np.asarray(given)
    if arr.dtype.kind not in ("iu" if integral else "iuf"):
        raise TypeError(f"numpy.pad: {name} must be {'ints' if integral else 'numbers'}, got {given!r}")
    if integral and (arr < 0).any():
        raise ValueError(f"numpy.pad: {name} must be non-negative, got {given!r}")
    try:
        return np.broadcast_to(arr, (ndim, 2)).tolist()
    except ValueError:
        raise ValueError(
            f"numpy.pad: {name} {given!r} fits no array of {ndim} dimension(s): expected one value, a "
            "(before, after) pair or one pair per axis"
        ) from None
