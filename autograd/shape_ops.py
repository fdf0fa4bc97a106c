"""Shape and selection operations of the node arrays (``Tensor`` and ``ValueArray``), composed.

flip, roll, rot90, tril, triu, diag, diagonal, tile, repeat, repeat_interleave, split and its
variants, moveaxis, swapaxes, broadcast_to, sort, take, take_along_dim and astype are written once
here, from what both classes provide: ``reshape``, ``transpose``, indexing and ``where``, and
``_apply`` of the layout primitives of :mod:`autograd.ops.shape` (concatenate, broadcast_to,
scatter_add, astype). So none has a derivative rule of its own: each gradient (and its
derivative, with ``create_graph``) comes from those primitives' rules, as in teenygrad. The
numpy functions of the same names are in :mod:`autograd.numpy_shapes`.

torch's method names and signatures come first (``flip(dims)``, ``roll(shifts, dims)``,
``tril(diagonal)``, ``repeat`` as torch's), numpy's names as aliases or keywords (``axis``,
``axis1``). Where the two libraries disagree, the method is torch's and the numpy function
numpy's: ``t.repeat(2)`` tiles the whole array as torch's ``Tensor.repeat`` (numpy's ``tile``),
while ``np.repeat(t, 2)`` repeats each element in place (torch's ``repeat_interleave``);
``t.split(2)`` cuts pieces of length 2 as torch's, ``np.split(t, 2)`` cuts 2 equal pieces;
``t.sort()`` returns ``(values, indices)`` as torch's, ``np.sort(t)`` the values.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from . import ops
from ._errors import ArgumentError, AxisError
from ._stl_sort import topk_indices
from .graph import computed_while_tracing, refuse_numbers_shape
from .ops.shape import Slot, along, sort_order


class Sorted(NamedTuple):
    """What ``sort`` returns, as ``torch.sort`` does: the sorted values and their positions (for a
    Tensor an int64 Tensor, as torch's; for a ValueArray a plain int64 array)."""

    values: Any
    indices: Any


class ShapeOps:
    """The shape and selection methods of ``Tensor`` and ``ValueArray`` (see the module docstring).

    A class using this mixin provides ``shape``, ``ndim``, ``data``, ``reshape``, ``transpose``,
    indexing, ``where``, ``unsqueeze`` and ``_apply(primitive, *inputs, **params)``."""

    __slots__ = ()

    def ravel(self) -> Any:
        """The elements as a 1-d array, in C order (as ``flatten()``): as torch's, a view of a
        contiguous array, else a copy (also where a view could be made)."""
        flat = self.reshape(-1)
        contiguous = self.data.flags.c_contiguous
        return flat if contiguous or not np.may_share_memory(flat.data, self.data) else _copied(flat)

    def astype(self, dtype: Any) -> Any:
        """A copy in ``dtype`` (float32 or float64); the gradient is cast back to this array's dtype."""
        try:
            dt = np.dtype(dtype)
        except TypeError:
            dt = None
        if dt is None or dtype is None or dt not in (np.float32, np.float64):
            raise TypeError(f"astype: dtype must be float32 or float64, got {dtype!r}")
        return self._apply(ops.ASTYPE, self, dtype=dt)

    def flip(self, *axes: Any, dims: Any = None, axis: Any = None) -> Any:
        """Reverse the order along ``dims`` (ints or one sequence, given positionally or by name;
        numpy's ``axis``; none: every axis)."""
        named = dims if axis is None else axis
        if dims is not None and axis is not None:
            raise TypeError(f"flip: got both dims={dims!r} and axis={axis!r}; pass one of them")
        axes = _axes("flip", self.ndim, axes, named, everything=True, scalar=True)
        index = tuple(slice(None, None, -1) if i in axes else slice(None) for i in range(self.ndim))
        return _copied(self[index])  # (a copy, as torch's; numpy's reversed view would share memory)

    def fliplr(self) -> Any:
        """Reverse the order of the columns (axis 1)."""
        _at_least("fliplr", self.ndim, 2)
        return self.flip(1)

    def flipud(self) -> Any:
        """Reverse the order of the rows (axis 0)."""
        _at_least("flipud", self.ndim, 1)
        return self.flip(0)

    def roll(self, shifts: Any, dims: Any = None) -> Any:
        """Shift the elements cyclically by ``shifts`` along ``dims`` (int or tuples, paired as numpy
        broadcasts them); ``dims=None`` rolls the flattened array. Each axis is two slices, joined."""
        if dims is None:
            return self.ravel().roll(shifts, 0).reshape(self.shape)
        try:
            pairs = np.broadcast(np.asarray(shifts), np.asarray(dims))
        except ValueError:
            raise ValueError(f"roll: shifts {shifts!r} and dims {dims!r} do not pair up") from None
        total = [0] * self.ndim
        for shift, dim in pairs:  # (numpy scalars: .item() gives the Python number as given)
            total[_axes("roll", self.ndim, (dim.item(),))[0]] += _int("roll", "shifts", shift.item())
        out = self
        for axis, shift in enumerate(total):
            n = self.shape[axis]
            if n and shift % n:
                k, before = n - shift % n, (slice(None),) * axis
                out = self._apply(
                    ops.CONCATENATE, out[(*before, slice(k, None))], out[(*before, slice(0, k))], axis=axis
                )
        return out if out is not self else _copied(self)

    def rot90(self, k: int = 1, dims: Any = (0, 1)) -> Any:
        """Rotate by 90° ``k`` times in the plane of ``dims``, from the first axis towards the second
        (numpy's ``axes``): flips and a transpose."""
        if len(dims) != 2:
            raise ValueError(f"rot90: dims must be two axes, got {dims!r}")
        a, b = _axes("rot90", self.ndim, tuple(dims), distinct=False)
        if a == b:
            raise ValueError(f"rot90: dims must be two different axes, got {dims!r}")
        k = _int("rot90", "k", k) % 4
        order = list(range(self.ndim))
        order[a], order[b] = b, a
        if k == 0:
            return _copied(self)
        if k == 2:
            return self.flip(a, b)
        return self.flip(b).transpose(order) if k == 1 else self.transpose(order).flip(b)

    def tril(self, diagonal: int = 0) -> Any:
        """The lower triangle of the last two axes: column - row <= ``diagonal`` kept, the rest 0
        (numpy's ``k``; a 1-d array is repeated into a square first, as numpy's); the dtype is kept."""
        return self.where(_triangle("tril", self.shape, diagonal), np.zeros((), self.data.dtype))

    def triu(self, diagonal: int = 0) -> Any:
        """The upper triangle of the last two axes: column - row >= ``diagonal`` kept, the rest 0."""
        return self.where(~_triangle("triu", self.shape, diagonal - 1), np.zeros((), self.data.dtype))

    def diag(self, diagonal: int = 0) -> Any:
        """A 1-d array as the ``diagonal``-th diagonal of a square matrix of zeros (scattered), or
        a matrix's ``diagonal``-th diagonal (numpy's ``k``)."""
        k = _int("diag", "diagonal", diagonal)
        if self.ndim == 2:
            return _copied(self.diagonal(k))  # (a copy, as torch's diag)
        if self.ndim != 1:
            raise ValueError(f"diag: expected a 1-d or 2-d array, got {self.ndim} dimensions")
        n = self.shape[0]
        at = np.arange(n)
        index = (at + max(-k, 0), at + max(k, 0))
        return self._apply(ops.SCATTER_ADD, self, index=index, shape=(n + abs(k),) * 2)

    def diag_embed(self, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Any:
        """Each vector along the last axis as the ``offset``-th diagonal of a square matrix of zeros
        (scattered), as ``torch.diag_embed``: the result has one more axis, and the matrices lie in
        its axes ``dim1`` (rows) and ``dim2`` (columns)."""
        k = _int("diag_embed", "offset", offset)
        _at_least("diag_embed", self.ndim, 1)
        rows, cols = _axes("diag_embed", self.ndim + 1, (dim1, dim2))
        *lead, n = self.shape
        at = np.arange(n)
        batch = np.indices(tuple(lead), sparse=True) if lead else ()
        index = (*(i[..., None] for i in batch), at + max(-k, 0), at + max(k, 0))
        m = n + abs(k)
        out = self._apply(ops.SCATTER_ADD, self, index=index, shape=(*lead, m, m))
        return out.moveaxis((-2, -1), (rows, cols))

    def unfold(self, dimension: int, size: int, step: int) -> Any:
        """The windows of ``size`` elements, ``step`` apart, along ``dimension``, as a new last axis
        (torch's ``Tensor.unfold``): of shape (n - size) // step + 1 there. Composed of an index, so
        each element's gradient sums over the windows that hold it."""
        axis = _axes("unfold", self.ndim, (dimension,))[0]
        n = self.shape[axis]
        size, step = _int("unfold", "size", size), _int("unfold", "step", step)
        if not 0 <= size <= n:
            raise ArgumentError(f"unfold: size must be in [0, {n}] (dimension {dimension}), got {size}")
        if step < 1:
            raise ArgumentError(f"unfold: step must be positive, got {step}")
        windows = np.arange((n - size) // step + 1)[:, None] * step + np.arange(size)
        return self[(slice(None),) * axis + (windows,)].moveaxis(axis + 1, -1)

    def diagonal(
        self,
        offset: int = 0,
        dim1: int = 0,
        dim2: int = 1,
        *,
        axis1: int | None = None,
        axis2: int | None = None,
    ) -> Any:
        """The elements [i, i + offset] of the plane of ``dim1`` and ``dim2`` (numpy's ``axis1``,
        ``axis2``), as the last axis of the result."""
        _at_least("diagonal", self.ndim, 2)
        a, b = _axes(
            "diagonal",
            self.ndim,
            (dim1 if axis1 is None else axis1, dim2 if axis2 is None else axis2),
            distinct=False,
        )
        if a == b:
            raise ArgumentError(f"diagonal: the two axes must differ, got {a} and {b}")
        offset = _int("diagonal", "offset", offset)
        if not _mergeable(self.data, a, b) and _mergeable(self.data, b, a):
            a, b, offset = b, a, -offset  # (the same elements, from a plane whose rows are contiguous)
        order = [i for i in range(self.ndim) if i not in (a, b)] + [a, b]
        moved = self.transpose(order) if order != sorted(order) else self
        rows, cols = self.shape[a] - max(-offset, 0), self.shape[b] - max(offset, 0)
        # [i + r, i + c] is element (i + r)·n + i + c of the plane's rows joined: a strided slice of
        # them, a view of self (as torch's) where joining the rows needs no copy
        n, k = self.shape[b], max(0, min(rows, cols))
        start = max(-offset, 0) * n + max(offset, 0)
        stop = start + (k - 1) * (n + 1) + 1 if k else start
        return moved.reshape(*moved.shape[:-2], self.shape[a] * n)[..., start:stop : n + 1]

    def tile(self, *dims: Any) -> Any:
        """The whole array repeated ``dims`` times along each axis (numpy's ``tile``: with fewer
        ``dims`` than axes, the leading axes repeat once; with more, the array gets leading axes).
        A broadcast of an interleaved reshape, so the gradient is a sum."""
        reps = _ints("tile", "dims", dims[0] if len(dims) == 1 and not _is_int(dims[0]) else dims)
        d = max(self.ndim, len(reps))
        shape = (1,) * (d - self.ndim) + self.shape
        reps = (1,) * (d - len(reps)) + reps
        spread = self.reshape(tuple(m for n in shape for m in (1, n)))
        wide = self._apply(
            ops.BROADCAST_TO, spread, shape=tuple(m for r, n in zip(reps, shape) for m in (r, n))
        )
        return wide.reshape(tuple(r * n for r, n in zip(reps, shape)))

    def repeat(self, *sizes: Any, repeats: Any = None) -> Any:
        """torch's ``Tensor.repeat``: the whole array tiled ``sizes`` times along each axis (at least
        one size per axis; extra ones add leading axes), i.e. numpy's ``tile``. numpy's ``repeat``
        (each element repeated in place) is ``repeat_interleave`` here, and ``np.repeat(t, ...)``.

        Raises
        ------
        TypeError
            If no sizes are given (torch's message).
        RuntimeError
            If there are fewer sizes than axes, or a size is negative (torch's messages).
        """
        if repeats is not None:
            sizes = sizes_or_keyword("repeat", sizes, "repeats", repeats)
        if not sizes:
            raise TypeError('repeat() missing 1 required positional arguments: "repeats"')
        reps = _ints("repeat", "sizes", sizes[0] if len(sizes) == 1 and not _is_int(sizes[0]) else sizes)
        if len(reps) < self.ndim:
            raise RuntimeError(
                "Number of dimensions of repeat dims can not be smaller than number of dimensions of "
                f"tensor (got {len(reps)} for a {self.ndim}-d tensor); for numpy's repeat (each element "
                "in place) use repeat_interleave"
            )
        if any(r < 0 for r in reps):
            raise RuntimeError(f"repeat: trying to create a tensor with negative dimension: {list(reps)}")
        return self.tile(reps)

    def repeat_interleave(self, repeats: Any, dim: int | None = None, *, output_size: Any = None) -> Any:
        """Each element repeated ``repeats`` times in place along ``dim`` (numpy's ``repeat``; an int,
        or one count per element; ``dim=None`` flattens first). torch's ``output_size`` (the
        result's length along ``dim``, a hint there) is checked."""
        if output_size is not None:
            out = self.repeat_interleave(repeats, dim)
            axis = 0 if dim is None else _axes("repeat_interleave", self.ndim, (dim,))[0]
            if out.shape[axis] != output_size:
                raise RuntimeError(
                    f"repeat_interleave: output_size {output_size!r} is not the result's length along dim"
                )
            return out
        if dim is None:
            return self.ravel().repeat_interleave(repeats, 0)
        axis = _axes("repeat_interleave", self.ndim, (dim,))[0]
        if computed_while_tracing(repeats):
            refuse_numbers_shape(
                "repeat_interleave by repeats the function computed",
                "Pass the repeats as an argument (each new one traces again) or as a Python int",
            )
        counts = _index_array("repeat_interleave", "repeats", repeats)
        if counts.size and counts.min() < 0:
            raise ValueError(f"repeat_interleave: repeats must be non-negative, got {repeats!r}")
        if counts.ndim == 0 or counts.shape == (1,):  # every element r times: a broadcast
            shape = list(self.unsqueeze(axis + 1).shape)
            shape[axis + 1] = int(counts.reshape(()))
            wide = self._apply(ops.BROADCAST_TO, self.unsqueeze(axis + 1), shape=tuple(shape))
            shape[axis : axis + 2] = [shape[axis] * shape[axis + 1]]
            return wide.reshape(tuple(shape))
        n = self.shape[axis]
        if counts.shape != (n,):
            raise ValueError(f"repeat_interleave: expected an int or {n} counts, got shape {counts.shape}")
        return self[(slice(None),) * axis + (np.repeat(np.arange(n), counts),)]

    def split(
        self, split_size_or_sections: Any = None, dim: int = 0, *, split_size: Any = None
    ) -> tuple[Any, ...]:
        """torch's ``split``: pieces of ``split_size_or_sections`` (the method's keyword:
        ``split_size``) along ``dim`` (the last smaller), or of the given sizes (which must add up to
        the axis). numpy's ``split`` is ``np.split``."""
        given = () if split_size_or_sections is None else (split_size_or_sections,)
        given = sizes_or_keyword("split", given, "split_size", split_size)
        if not given:
            raise TypeError("split: missing split_size_or_sections (an int, or a list of sizes)")
        split_size_or_sections = given[0]
        axis = _axes("split", self.ndim, (dim,))[0]
        n = self.shape[axis]
        if _is_int(split_size_or_sections):
            size = _int("split", "split_size", split_size_or_sections)
            if size <= 0 and n:
                raise ValueError(f"split: split_size must be positive, got {size}")
            bounds = list(range(0, n, size)) + [n] if n else [0, 0]
        else:
            sizes = _ints("split", "split_size_or_sections", split_size_or_sections)
            if sum(sizes) != n:
                raise ValueError(
                    f"split: the sizes {sizes} must add up to the length {n} of dimension {axis}"
                )
            bounds = [0, *np.cumsum(sizes).tolist()]
        return tuple(self._slices(axis, bounds))

    def tensor_split(
        self, indices_or_sections: Any = None, dim: int = 0, *, sections: Any = None, indices: Any = None
    ) -> tuple[Any, ...]:
        """numpy's ``array_split``: ``indices_or_sections`` nearly equal pieces (the first ones one
        longer), or pieces between the given indices; torch's keywords ``sections=`` and
        ``indices=``, and an integer tensor (0-d: sections; 1-d: indices)."""
        given = () if indices_or_sections is None else (indices_or_sections,)
        given = sizes_or_keyword("tensor_split", given, "sections", sections)
        given = sizes_or_keyword("tensor_split", given, "indices", indices)
        if not given:
            raise TypeError("tensor_split: missing indices_or_sections (an int, or a list of indices)")
        indices_or_sections = given[0]
        if isinstance(indices_or_sections, ShapeOps) and indices_or_sections.dtype.kind in "iu":
            indices_or_sections = indices_or_sections.tolist()
        axis = _axes("tensor_split", self.ndim, (dim,))[0]
        return tuple(
            self._slices(axis, _bounds("tensor_split", self.shape[axis], indices_or_sections, False))
        )

    def hsplit(self, indices_or_sections: Any) -> tuple[Any, ...]:
        """Split along the columns (axis 1; axis 0 of a 1-d array) into equal pieces or at indices."""
        _at_least("hsplit", self.ndim, 1)
        return self._split("hsplit", indices_or_sections, 1 if self.ndim > 1 else 0)

    def vsplit(self, indices_or_sections: Any) -> tuple[Any, ...]:
        """Split along the rows (axis 0) into equal pieces or at indices."""
        _at_least("vsplit", self.ndim, 2)
        return self._split("vsplit", indices_or_sections, 0)

    def dsplit(self, indices_or_sections: Any) -> tuple[Any, ...]:
        """Split along the depth (axis 2) into equal pieces or at indices."""
        _at_least("dsplit", self.ndim, 3)
        return self._split("dsplit", indices_or_sections, 2)

    def _split(self, op: str, indices_or_sections: Any, axis: int) -> tuple[Any, ...]:
        """numpy's ``split``: equal pieces (refused if the axis does not divide) or at indices."""
        return tuple(self._slices(axis, _bounds(op, self.shape[axis], indices_or_sections, True)))

    def _slices(self, axis: int, bounds: list[int]) -> list[Any]:
        before = (slice(None),) * axis
        return [self[(*before, slice(a, b))] for a, b in zip(bounds[:-1], bounds[1:])]

    def moveaxis(self, source: Any, destination: Any) -> Any:
        """The axes ``source`` moved to the positions ``destination`` (ints or sequences), the others
        keeping their order (also ``movedim``)."""
        src = _axes("moveaxis", self.ndim, (source,), scalar=True)
        dst = _axes("moveaxis", self.ndim, (destination,), scalar=True)
        if len(src) != len(dst):
            raise ValueError(f"moveaxis: source {source!r} and destination {destination!r} differ in length")
        order = [i for i in range(self.ndim) if i not in src]
        for d, s in sorted(zip(dst, src)):
            order.insert(d, s)
        return self.transpose(order)

    movedim = moveaxis

    def swapaxes(self, axis0: int, axis1: int) -> Any:
        """Axes ``axis0`` and ``axis1`` exchanged (also ``swapdims``)."""
        order = list(range(self.ndim))
        if swapped := _axes("swapaxes", self.ndim, (axis0, axis1), distinct=False, scalar=True):
            a, b = swapped
            order[a], order[b] = b, a
        return self.transpose(order)

    swapdims = swapaxes

    def broadcast_to(self, shape: Any) -> Any:
        """The array repeated along new leading axes and its length-1 axes to ``shape``, as numpy
        broadcasts it (torch: ``expand``); the gradient is summed back."""
        shape = _ints("broadcast_to", "shape", (shape,) if _is_int(shape) else shape)
        try:
            fits = np.broadcast_shapes(self.shape, shape) == shape
        except ValueError:
            fits = False
        if not fits:
            raise ValueError(f"broadcast_to: cannot broadcast shape {self.shape} to {shape}")
        if int(np.prod(shape)) == int(np.prod(self.shape)):  # (only axes of length 1 added)
            return self.reshape(shape)  # (a view, as torch's, and one that can be written)
        return self._apply(ops.BROADCAST_TO, self, shape=shape, view=True)

    def expand(self, *sizes: Any, size: Any = None) -> Any:
        """torch's ``expand``: ``broadcast_to``, where a size of -1 keeps that axis (new axes go in
        front); the gradient is summed back over the expanded axes.

        Raises
        ------
        RuntimeError
            If there are fewer sizes than axes, -1 is given for a new axis, or a size of a
            non-singleton axis differs (torch's messages).
        """
        if size is not None:
            sizes = sizes_or_keyword("expand", sizes, "size", size)
        sizes = tuple(sizes[0]) if len(sizes) == 1 and not _is_int(sizes[0]) else sizes
        shape, lead = self.shape, len(sizes) - self.ndim
        if lead < 0:
            raise RuntimeError(
                f"expand: the number of sizes provided ({len(sizes)}) must be greater or equal to the "
                f"number of dimensions in the tensor ({self.ndim})"
            )
        target = []
        for i, n in enumerate(sizes):
            old = shape[i - lead] if i >= lead else None
            if n == -1:
                if old is None:
                    raise RuntimeError(
                        f"expand: -1 is not allowed in a leading, non-existing dimension ({i})"
                    )
                n = old
            if old not in (None, 1, n):
                raise RuntimeError(
                    f"The expanded size of the tensor ({n}) must match the existing size ({old}) at "
                    f"non-singleton dimension {i}.  Target sizes: {list(sizes)}.  Tensor sizes: {list(shape)}"
                )
            target.append(int(n))
        return self.broadcast_to(tuple(target))

    def expand_as(self, other: Any) -> Any:
        """``expand`` to ``other``'s shape."""
        return self.broadcast_to(tuple(np.shape(other.data if isinstance(other, ShapeOps) else other)))

    def sort(self, dim: int = -1, descending: bool = False, stable: bool = False) -> Sorted:
        """torch's ``sort``: ``(values, indices)`` along ``dim``; the values are the elements taken at
        the sorted positions, so each gets the gradient of the place it went to. Sorting is always
        stable (ties keep their order; nan sorts as the largest, as numpy and torch)."""
        if self.ndim == 0:  # (torch sorts a 0-d tensor along dim 0 or -1)
            _axes("sort", 1, (dim,))
            return Sorted(self[()], self._positions_of(_zeros))
        order = self.argsort(dim, descending)
        return Sorted(self._sorted(_axes("sort", self.ndim, (dim,))[0], bool(descending), order), order)

    def _sorted(self, axis: int, descending: bool, order: np.ndarray) -> Any:
        """The values of ``sort``: the elements at ``order`` (a Tensor overrides this with the sort
        primitive, which orders its input at every call: a compiled step sorts its own numbers)."""
        return self.take_along_dim(order, axis)

    def argsort(self, dim: int = -1, descending: bool = False, stable: bool = False) -> Any:
        """The positions that sort the array along ``dim``, no gradient: for a Tensor an int64 Tensor
        (as torch's; a compiled step computes it from each call's numbers), for a ValueArray a plain
        int64 array."""
        if self.ndim == 0:
            _axes("argsort", 1, (dim,))
            return self._positions_of(_zeros)
        axis, down = _axes("argsort", self.ndim, (dim,))[0], bool(descending)
        return self._positions_of(lambda d: sort_order(d, axis, down))

    def _positions_of(self, find: Any) -> Any:
        """``find`` of the numbers: positions (int64), no gradient. A plain array here; a Tensor
        overrides this with an int64 Tensor that a compiled step computes at every call."""
        return np.asarray(find(self.data), dtype=np.int64)

    def chunk(self, chunks: int, dim: int = 0) -> tuple[Any, ...]:
        """torch's ``chunk``: at most ``chunks`` pieces along ``dim``, each of ceil(n / chunks)
        elements (the last smaller; fewer pieces where they run out)."""
        count = _int("chunk", "chunks", chunks)
        if count <= 0:
            raise ValueError(f"chunk: chunks must be positive, got {count}")
        n = self.shape[_axes("chunk", self.ndim, (dim,))[0]]
        if n == 0:  # (torch: ``chunks`` empty pieces)
            return self.tensor_split(count, dim)
        return self.split(-(-n // count), dim)

    def narrow(self, dim: int, start: Any, length: int) -> Any:
        """torch's ``narrow``: ``length`` elements of ``dim`` from ``start`` (an int or a 0-d integer
        tensor, as torch; negative: from the end)."""
        if isinstance(start, ShapeOps) and start.ndim == 0 and start.dtype.kind in "iu":
            start = start.item()
        axis = _axes("narrow", self.ndim, (dim,))[0]
        n = self.shape[axis]
        first, size = _int("narrow", "start", start), _int("narrow", "length", length)
        first = first + n if first < 0 else first
        if not (0 <= first <= n and 0 <= size <= n - first):
            raise IndexError(
                f"narrow: start {start} and length {length} do not fit in dimension {dim} of size {n}"
            )
        return self[(slice(None),) * axis + (slice(first, first + size),)]

    def index_select(self, dim: int, index: Any) -> Any:
        """torch's ``index_select``: the slices at the (1-d) positions ``index`` along ``dim``."""
        positions = _index_array("index_select", "index", index)
        if positions.ndim > 1:
            raise ValueError(f"index_select: index must be 1-d, got shape {positions.shape}")
        if not self.ndim:  # (torch: dim 0 or -1, one position)
            _axes("index_select", 1, (dim,))
            if positions.size != 1:
                raise IndexError(
                    f"index_select: the index of a 0-d tensor has one value, got {positions.size}"
                )
            return self.reshape(1).index_select(0, _flat(index, positions)).reshape(())
        axis = _axes("index_select", self.ndim, (dim,))[0]
        _no_negative("index_select", positions, dim, self.shape[axis])
        if _follows(self, index):  # (positions the function computed: each call's)
            return self._apply(ops.GETITEM, self, index.reshape(-1), index=(slice(None),) * axis + (Slot(0),))
        return self[(slice(None),) * axis + (positions if positions.ndim == 1 else positions.reshape(-1),)]

    def gather(self, dim: int, index: Any, *, sparse_grad: bool = False) -> Any:
        """torch's ``gather``: ``out[i][j] = self[index[i][j]][j]`` along ``dim`` (``index`` of the
        array's number of axes; its size along the other axes at most the array's). The gradient is
        dense whatever ``sparse_grad`` says (torch's sparse one holds the same numbers)."""
        positions = _index_array("gather", "index", index)
        if min(self.ndim, positions.ndim) == 0 and max(self.ndim, positions.ndim) <= 1:
            # torch reads a 0-d array or index as 1-d of one element here
            _axes("gather", 1, (dim,))
            return self.reshape(-1).gather(0, _flat(index, positions)).reshape(positions.shape)
        axis = _axes("gather", self.ndim, (dim,))[0]
        if positions.ndim != self.ndim or any(
            k > n for i, (k, n) in enumerate(zip(positions.shape, self.shape)) if i != axis
        ):
            raise ArgumentError(
                f"gather: index must have the array's {self.ndim} axes, each (but dim) at most the array's "
                f"size {self.shape}; got shape {positions.shape}"
            )
        _no_negative("gather", positions, dim, self.shape[axis])
        if _follows(self, index):
            return self._apply(ops.GETITEM, self, index, index=along(Slot(0), axis, positions.shape))
        return self[along(positions, axis, positions.shape)]

    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Sorted:
        """torch's ``topk``: the ``k`` largest (``largest=False``: smallest; nan counts as the
        largest) elements along ``dim`` and their positions, the gradient to those elements. Which of
        equal elements are taken, and with ``sorted=False`` their order, are torch's CPU kernel's
        (its selection run step for step: ``autograd/_stl_sort.py``)."""
        axis = _axes("topk", max(self.ndim, 1), (dim,))[0]
        n = self.shape[axis] if self.ndim else 1
        count = _int("topk", "k", k)
        if not 0 <= count <= n:
            raise RuntimeError(f"topk: k ({count}) is out of range for dimension {dim} of size {n}")
        if not self.ndim:
            return self.sort(dim, descending=largest)
        down, keep = bool(largest), bool(sorted)

        def chosen(data: np.ndarray) -> np.ndarray:
            found = topk_indices(np.moveaxis(data, axis, -1), count, down, keep)
            return np.moveaxis(found, -1, axis)

        return Sorted(*self._take_positions(chosen, axis, self))

    def masked_select(self, mask: Any) -> Any:
        """torch's ``masked_select``: the elements where ``mask`` (broadcast) holds, as a 1-d array."""
        if computed_while_tracing(mask):
            refuse_numbers_shape(
                "masked_select by a mask the function computed",
                "Use autograd.where(mask, x, 0.0) (or masked_fill) and reduce, or pass the mask as an "
                "argument",
            )
        flags = np.asarray(mask.data if isinstance(mask, ShapeOps) else mask)
        if flags.dtype != np.bool_:
            raise TypeError(f"masked_select: mask must be bool, got dtype {flags.dtype}")
        shape = np.broadcast_shapes(self.shape, flags.shape)
        wide = self if self.shape == shape else self.broadcast_to(shape)
        return wide[np.broadcast_to(flags, shape)]

    def median(self, dim: int | None = None, keepdim: bool = False) -> Any:
        """torch's ``median``: the lower median, the ((n - 1) // 2)-th smallest element (no average of
        two); a slice holding nan gives nan (its first one). Without ``dim``: of every element, a
        0-d result; with ``dim``: ``(values, indices)``. The gradient goes to that one element."""
        return self._median("median", dim, keepdim, skip_nan=False)

    def nanmedian(self, dim: int | None = None, keepdim: bool = False) -> Any:
        """torch's ``nanmedian``: ``median`` of the elements that are not nan (nan where all are)."""
        return self._median("nanmedian", dim, keepdim, skip_nan=True)

    def _median(self, op: str, dim: int | None, keepdim: bool, skip_nan: bool) -> Any:
        if dim is None and not self.data.size and self.data.dtype.kind in "biu":  # type: ignore[attr-defined]
            return self._of_numbers(lambda d: _nan_cast(d.dtype))  # type: ignore[attr-defined]
        if self.data.dtype.kind == "b":  # type: ignore[attr-defined]
            raise NotImplementedError(
                f"{op}: not implemented for 'Bool', as torch (cast the tensor to int64 first)"
            )
        if dim is None:  # (torch shares the gradient evenly among the elements equal to the median)
            flat = self.reshape(-1)
            if not flat.shape[0]:  # nan, as torch's (its gradient: the empty one of a sum)
                return flat.sum() * float("nan")
            median = flat._median(op, 0, False, skip_nan).values
            return self._shared_among_ties(flat, median) if self.dtype.kind == "f" else median
        axis = _axes(op, max(self.ndim, 1), (dim,))[0]
        if not self.ndim:
            return Sorted(self, self._positions_of(_zeros))
        if not self.shape[axis]:
            raise IndexError(f"{op}: dimension {dim} is empty (shape {self.shape})")
        n = self.shape[axis]

        def place(data: np.ndarray) -> np.ndarray:  # (which sorted place: moves with the nans)
            kept = (~np.isnan(data)).sum(axis, keepdims=True)
            if skip_nan:  # the lower median of the numbers; all nan: the first nan
                return np.where(kept > 0, (kept - 1) // 2, 0)
            return np.where(kept < n, kept, (n - 1) // 2)  # nan sorts last: a slice's first nan

        values, _ = self.sort(axis).values._take_positions(place, axis, self)
        indices = self._positions_of(lambda d: np.take_along_axis(sort_order(d, axis, False), place(d), axis))
        if not keepdim:
            values, indices = values.squeeze(axis), indices.squeeze(axis)
        return Sorted(values, indices)

    def cummax(self, dim: int) -> Sorted:
        """torch's ``cummax``: the largest element so far along ``dim`` and its position (a later equal
        element takes over; from a nan on, nan and the latest nan's position); the gradient goes there."""
        return self._running("cummax", dim, np.greater_equal)

    def cummin(self, dim: int) -> Sorted:
        """torch's ``cummin``: the smallest element so far along ``dim`` and its position (see
        ``cummax``)."""
        return self._running("cummin", dim, np.less_equal)

    def _running(self, op: str, dim: int, takes_over: Any) -> Sorted:
        if self.ndim and not self.data.size:  # type: ignore[attr-defined]
            _int(op, "dim", dim)  # (torch checks no range on an empty tensor: any dim gives empties)
            dim = 0
        axis = _axes(op, max(self.ndim, 1), (dim,))[0]
        if not self.ndim:  # (as a 1-d one: self * 1.0 made an int or bool input float)
            values, indices = self.reshape(1)._running(op, 0, takes_over)
            return Sorted(values.reshape(()), indices.reshape(()))

        def positions(numbers: np.ndarray) -> np.ndarray:
            data = np.moveaxis(numbers, axis, 0)
            where_ = np.zeros(data.shape, np.int64)
            best, best_at = data[:1].copy(), np.zeros(data.shape[1:], np.int64)
            for i in range(data.shape[0]):
                x = data[i]
                take = takes_over(x, best[0]) | np.isnan(x)  # (a nan takes over, and nothing but a nan after)
                best[0] = np.where(take, x, best[0])
                best_at = np.where(take, i, best_at)
                where_[i] = best_at
            return np.moveaxis(where_, 0, axis)

        return Sorted(*self._take_positions(positions, axis, self))

    def _take_positions(self, find: Any, axis: int, of: Any) -> tuple[Any, Any]:
        """The elements at the positions along ``axis`` that ``find`` gives from ``of``'s numbers,
        and those positions (as ``_positions_of`` gives them). A Tensor overrides this: there the
        positions are a node computed at every call of a compiled step, not the trace's numbers."""
        index = of._positions_of(find)
        return self.take_along_dim(index, axis), index

    def _shared_among_ties(self, flat: Any, median: Any) -> Any:
        """``median`` (0-d, of the 1-d ``flat``) with its gradient shared evenly among the elements
        equal to it (nan: the nans), as torch's ``median()`` of every element."""
        m = float(median.data)
        data = flat.data
        ties = np.flatnonzero((data == m) | (np.isnan(data) & np.isnan(m)))
        shift = type(self)(np.asarray(m, dtype=data.dtype))  # (each tie - m is exactly 0: the value is m)
        return shift + ((flat[ties] - shift) * (1.0 / len(ties))).sum()

    def take(self, indices: Any, axis: int | None = None, mode: str = "raise") -> Any:
        """The elements at ``indices`` of the flattened array (torch), or along ``axis`` (numpy);
        ``mode``: "raise" (negative counts from the end), "wrap" or "clip" (numpy's)."""
        index = _index_array("take", "indices", indices)
        x = self.ravel() if axis is None else self
        axis = 0 if axis is None else _axes("take", self.ndim, (axis,))[0]
        n = x.shape[axis]
        if mode == "wrap":
            index = index % n if n else index
        elif mode == "clip":
            index = index.clip(0, n - 1) if n else index
        elif mode != "raise":
            raise ValueError(f'take: mode must be "raise", "wrap" or "clip", got {mode!r}')
        return x[(slice(None),) * axis + (index,)]

    def take_along_dim(self, indices: Any, dim: int | None = None) -> Any:
        """The elements at ``indices`` along ``dim``, one index array per position of the other axes
        (numpy's ``take_along_axis``; ``dim=None``: of the flattened array)."""
        index = _index_array("take_along_dim", "indices", indices)
        if dim is None:
            return self.ravel()[indices.reshape(-1) if _follows(self, indices) else index.reshape(-1)]
        axis = _axes("take_along_dim", self.ndim, (dim,))[0]
        if index.ndim != self.ndim:
            raise ValueError(
                f"take_along_dim: indices must have as many dimensions as the array ({self.ndim}), "
                f"got shape {index.shape}"
            )
        if _follows(self, indices):  # (positions the function computed, a top-k's: each call's)
            return self._apply(ops.GETITEM, self, indices, index=along(Slot(0), axis, self.shape))
        return self[along(index, axis, self.shape)]


def _zeros(data: np.ndarray) -> np.ndarray:
    """Position 0 for every element (the positions along the one place of a 0-d array)."""
    return np.zeros(np.shape(data), np.int64)


def _copied(x: Any) -> Any:
    """A copy of ``x`` in the graph (the gradient passes through unchanged), as ``clone``."""
    return x._apply(ops.ASTYPE, x, dtype=x.data.dtype)


def _mergeable(data: np.ndarray, a: int, b: int) -> bool:
    """Whether axes ``a`` (rows) and ``b`` (columns) of ``data`` join into one strided axis without
    a copy."""
    return data.shape[a] <= 1 or data.shape[b] <= 1 or data.strides[a] == data.shape[b] * data.strides[b]


def _follows(self: Any, index: Any) -> bool:
    """Whether ``index`` holds positions the traced function computed, for a Tensor: an input of
    the graph (``ops.GETITEM``'s Slots), not the trace's numbers."""
    return computed_while_tracing(index) and hasattr(self, "_index_by")


# -- the arguments of the shape and selection methods
def sizes_or_keyword(op: str, args: tuple[Any, ...], name: str, value: Any) -> tuple[Any, ...]:
    """The sizes (or dims) of ``op(*args)``, or of torch's keyword form ``op(name=value)``
    (``x.view(size=(4, 3))``, ``x.permute(dims=(1, 0))``); both at once is an error."""
    if value is None:
        return args
    if args:
        raise TypeError(f"{op}: got {name} both as positional arguments {args!r} and as {name}={value!r}")
    return (value,)


def _no_negative(op: str, positions: np.ndarray, dim: Any, n: int) -> None:
    """torch's ``gather`` and ``index_select`` refuse a negative position (numpy's indexing would
    count it from the end)."""
    if positions.size and positions.min() < 0:
        raise IndexError(
            f"{op}: index {int(positions.min())} is out of bounds for dimension {dim} with size {n}"
        )


def _flat(index: Any, positions: np.ndarray) -> Any:
    """``index`` (an array's positions) as 1-d: a tensor reshaped (it may follow a compiled step's
    inputs), anything else as its positions."""
    return index.reshape(-1) if isinstance(index, ShapeOps) else positions.reshape(-1)


def _is_int(x: Any) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def _int(op: str, name: str, x: Any) -> int:
    if not _is_int(x):
        raise TypeError(f"{op}: {name} must be an int, got {type(x).__name__} {x!r}")
    return int(x)


def _ints(op: str, name: str, xs: Any) -> tuple[int, ...]:
    """A sequence of non-negative ints (sizes, counts)."""
    try:
        out = tuple(xs)
    except TypeError:
        out = (None,)
    if not all(_is_int(x) and x >= 0 for x in out):
        raise TypeError(f"{op}: {name} must be non-negative ints, got {xs!r}")
    return tuple(int(x) for x in out)


def _nan_cast(dtype: np.dtype) -> np.ndarray:
    """torch's median of an empty integer (or bool) tensor: nan converted to ``dtype`` as its CPU
    (x86) converts it: the lowest int64 or int32, 0 for the narrower integers, True for bool."""
    if dtype.kind == "b":
        return np.asarray(True)
    return np.asarray(np.iinfo(dtype).min if dtype.itemsize >= 4 else 0, dtype)


def _axes(
    op: str,
    ndim: int,
    given: tuple[Any, ...],
    axis: Any = None,
    everything: bool = False,
    distinct: bool = True,
    scalar: bool = False,
) -> tuple[int, ...]:
    """The axes given as ints or one sequence (or as numpy's ``axis``), made non-negative; every axis
    when none is given and ``everything``. A clear error when out of range or repeated. With
    ``scalar``, a 0-d array takes axis 0 or -1, as torch's, which name none of its (no) axes: ()."""
    if scalar and not ndim:
        _axes(op, 1, given, axis, everything, distinct)
        return ()
    if axis is not None:
        if given:
            raise TypeError(f"{op}: got both dims {given!r} and axis={axis!r}; pass one of them")
        given = (axis,)
    if not given or given == (None,):
        if not everything:
            raise TypeError(f"{op}: expected the axes to work on, got none")
        return tuple(range(ndim))
    if len(given) == 1 and not _is_int(given[0]):  # (one sequence, maybe empty: no axis)
        given = tuple(given[0])
    for a in given:
        _int(op, "each axis", a)
        if not -ndim <= a < ndim:
            expected = f"one in [{-ndim}, {ndim - 1}]" if ndim else "none: it has no axes"
            raise AxisError(
                f"{op}: axis {a} is out of range for an array with {ndim} dimension(s) (expected {expected})"
            )
    out = tuple(int(a) % ndim for a in given)
    if distinct and len(set(out)) != len(out):
        raise ArgumentError(f"{op}: repeated axis in {given!r}")
    return out


def _at_least(op: str, ndim: int, n: int) -> None:
    if ndim < n:
        raise ValueError(f"{op}: expected an array of at least {n} dimension(s), got {ndim}")


def _triangle(op: str, shape: tuple[int, ...], k: Any) -> np.ndarray:
    """Where column - row <= k over the last two axes of ``shape`` (of a 1-d one: a square)."""
    _at_least(op, len(shape), 1)
    rows, cols = shape[-2:] if len(shape) > 1 else shape * 2
    return np.tri(rows, cols, _int(op, "diagonal", k), dtype=bool)


def _bounds(op: str, n: int, indices_or_sections: Any, equal: bool) -> list[int]:
    """numpy's ``split``/``array_split`` of an axis of length ``n``: the pieces' ends, from a count
    of (nearly, or for ``equal`` exactly) equal pieces, or from the indices between them."""
    if _is_int(indices_or_sections):
        parts = int(indices_or_sections)
        if parts <= 0:
            raise ValueError(f"{op}: the number of sections must be larger than 0, got {parts}")
        if equal and n % parts:
            raise ValueError(f"{op}: an axis of length {n} does not split into {parts} equal parts")
        each, extra = divmod(n, parts)
        return np.cumsum([0] + extra * [each + 1] + (parts - extra) * [each]).tolist()
    try:
        cuts = [int(i) if _is_int(i) else _int(op, "each index", i) for i in indices_or_sections]
    except TypeError:
        raise TypeError(
            f"{op}: expected a number of sections or a sequence of indices, got {indices_or_sections!r}"
        ) from None
    return [0, *cuts, n]


def _index_array(op: str, name: str, x: Any) -> np.ndarray:
    """Integer positions: an int, a list, an integer array or an integer Tensor (torch's long
    tensor); a float Tensor is refused, as in indexing."""
    if isinstance(x, ShapeOps):
        if x.data.dtype.kind not in "iu":
            raise TypeError(
                f"{op}: {name} must be integers (an int, a list, a numpy integer array or an integer "
                f"Tensor), got a {type(x).__name__} of dtype {x.data.dtype}; pass integer positions"
            )
        x = x.data
    arr = np.asarray(x)
    if arr.dtype.kind not in "iu" and not (arr.size == 0 and arr.dtype.kind in "fb"):
        raise TypeError(f"{op}: {name} must be integers, got dtype {arr.dtype} ({x!r})")
    return arr.astype(
        np.intp, copy=False
    )  # (an argument's own array: a compiled step reads it at every call)
