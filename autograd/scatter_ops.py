"""torch's scatter and index-writing family on Tensors: ``scatter``, ``scatter_add``,
``scatter_reduce``, ``index_add``, ``index_copy``, ``index_fill``, ``index_put``, ``index_reduce``,
``masked_scatter`` and ``put``, each with its in-place ``..._`` form.

Every one is ``autograd/ops/scatter.py``'s forward with torch's gradients, written once (the
primitive ``SCATTER`` for a write or a sum, ``SCATTER_REDUCED`` for prod, mean, amax and amin; named
as torch's op, so ``grad_fn`` is torch's ``IndexAddBackward0``), with the flat positions its index
names; the positions are a node computed from the index at every call (a compiled step writes
where each call's index says, and checks each call's bounds). The values are ``src`` (cut to the
index's shape, as torch reads it), ``source``, or a number of the tensor's dtype.

The in-place forms write the same numbers into the tensor under the library's in-place rules
(``TorchMethods._written``: a leaf under ``no_grad`` or a tensor no graph needs, counted by the
version counter; on a tensor computed from others, or with an operand that requires grad, the write
is recorded in the graph, as torch records it: ``autograd/_rebase.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import _versions, ops
from ._tensor import Tensor, nograd
from .graph import computed_while_tracing, refuse_numbers_shape
from .ops.scatter import REDUCTIONS, scatter_as

#: torch's undocumented spellings of scatter_reduce's reductions
_ALIASES = {"max": "amax", "min": "amin"}
#: the in-place forms that torch refuses where the values share memory with the tensor written
_NO_OVERLAP = frozenset(
    "scatter_ scatter_add_ scatter_reduce_ index_add_ index_copy_ index_reduce_ index_put_ put_".split()
)


class ScatterOps:
    """The scatter family's Tensor methods (see the module docstring), put on ``Tensor`` when this
    module is imported (it builds on ``autograd/_tensor.py``, as ``factories`` does)."""

    __slots__ = ()

    # -- scatter along a dimension: out[..., index[i, j], ...] = src[i, j] (dim's coordinate replaced)
    def scatter(
        self, dim: int, index: Any, src: Any = None, value: Any = None, *, reduce: str | None = None
    ) -> Any:
        """torch's ``scatter``: a copy with ``src[i][j]`` written at ``[index[i][j]][j]`` along ``dim``
        (``index`` of this tensor's number of dimensions, no larger than ``src``, nor than this tensor
        apart from ``dim``); ``src`` may be a number (``value``). Of repeated positions the last value
        stays (torch's CPU); every ``src`` element read gets the gradient at its position, and this
        tensor's gradient is 0 where a value was written. ``reduce="add"``/``"multiply"``: torch's
        deprecated reductions, with no derivative (use ``scatter_reduce``)."""
        if src is not None and value is not None:
            raise TypeError("scatter(): pass src (a Tensor) or value (a number), not both")
        if src is None and value is None:
            raise TypeError("scatter(): missing src (a Tensor) or value (a number)")
        if src is None or _is_number(src):
            src, value = None, value if src is None else src
        if reduce is not None and reduce not in ("add", "multiply"):
            raise RuntimeError(f"scatter(): reduce argument must be either add or multiply, got {reduce!r}.")
        axis = _dim("scatter", dim, self.ndim)
        index = _index_tensor("scatter", "index", index)
        values = (
            _value(self, "scatter", value)
            if src is None
            else _cut_to(_src(self, "scatter", "src", src), _along_shapes("scatter", self, index, src, axis))
        )
        positions = _positions(index, lambda i: _along(i, axis, self.shape))
        if reduce is None:
            return self._apply(scatter_as("scatter"), self, values, positions)
        prim = ops.SCATTER_NO_DERIVATIVE
        return self._apply(prim, self, values, positions, reduce={"add": "sum", "multiply": "prod"}[reduce])

    def scatter_(
        self, dim: int, index: Any, src: Any = None, value: Any = None, *, reduce: str | None = None
    ) -> Any:
        """``scatter`` in place (the library's in-place rules); returns self."""
        return self._scattered_("scatter_", lambda: self.scatter(dim, index, src, value, reduce=reduce), src)

    def scatter_add(self, dim: int, index: Any, src: Any) -> Any:
        """torch's ``scatter_add``: ``src[i][j]`` added at ``[index[i][j]][j]`` along ``dim``, in
        order (repeated positions accumulate); the gradient of ``src`` is the output's gathered."""
        return self._scatter_reduce("scatter_add", dim, index, src, "sum", True)

    def scatter_add_(self, dim: int, index: Any, src: Any) -> Any:
        """``scatter_add`` in place; returns self."""
        return self._scattered_("scatter_add_", lambda: self.scatter_add(dim, index, src), src)

    def scatter_reduce(
        self, dim: int, index: Any, src: Any, reduce: str, *, include_self: bool = True
    ) -> Any:
        """torch's ``scatter_reduce``: each ``src[i][j]`` reduced into ``[index[i][j]][j]`` along
        ``dim`` with ``reduce`` ("sum", "prod", "mean", "amax" or "amin"); ``include_self=False``
        leaves this tensor's elements out where values are written. Gradients are torch's: the mean's
        divided by the count, amax's and amin's shared evenly among the elements equal to the
        result, prod's through the product of the others where an element is 0."""
        return self._scatter_reduce("scatter_reduce", dim, index, src, _reduction(reduce), include_self)

    def scatter_reduce_(
        self, dim: int, index: Any, src: Any, reduce: str, *, include_self: bool = True
    ) -> Any:
        """``scatter_reduce`` in place; returns self."""
        fn = lambda: self.scatter_reduce(dim, index, src, reduce, include_self=include_self)  # noqa: E731
        return self._scattered_("scatter_reduce_", fn, src)

    def _scatter_reduce(
        self, op: str, dim: int, index: Any, src: Any, reduce: str, include_self: bool
    ) -> Any:
        axis = _dim(op, dim, self.ndim)
        index = _index_tensor(op, "index", index)
        values = _cut_to(_src(self, op, "src", src), _along_shapes(op, self, index, src, axis))
        positions = _positions(index, lambda i: _along(i, axis, self.shape))
        return self._apply(
            scatter_as(op, reduce), self, values, positions, reduce=reduce, include_self=bool(include_self)
        )

    # -- whole slices along a dimension, named by a 1-d index:
    # self.select(dim, index[i]) op= source.select(dim, i)
    def index_add(self, dim: int, index: Any, source: Any, *, alpha: Any = 1) -> Any:
        """torch's ``index_add``: ``alpha * source``'s slice ``i`` along ``dim`` added to this
        tensor's slice ``index[i]``, in order (repeated indices accumulate)."""
        values, positions = self._index_slices("index_add", dim, index, source)
        if alpha != 1:  # (an integer tensor takes alpha's integer part, as torch's kernel)
            values = values * (alpha if self.data.dtype.kind == "f" else int(alpha))
        return self._apply(scatter_as("index_add"), self, values, positions, reduce="sum")

    def index_add_(self, dim: int, index: Any, source: Any, *, alpha: Any = 1) -> Any:
        """``index_add`` in place; returns self."""
        return self._scattered_("index_add_", lambda: self.index_add(dim, index, source, alpha=alpha), source)

    def index_copy(self, dim: int, index: Any, source: Any) -> Any:
        """torch's ``index_copy``: ``source``'s slice ``i`` along ``dim`` written over this tensor's
        slice ``index[i]`` (of repeated indices the last stays; each slice of ``source`` gets the
        gradient at its place)."""
        values, positions = self._index_slices("index_copy", dim, index, source)
        return self._apply(scatter_as("index_copy"), self, values, positions)

    def index_copy_(self, dim: int, index: Any, source: Any) -> Any:
        """``index_copy`` in place; returns self."""
        return self._scattered_("index_copy_", lambda: self.index_copy(dim, index, source), source)

    def index_reduce(
        self, dim: int, index: Any, source: Any, reduce: str, *, include_self: bool = True
    ) -> Any:
        """torch's ``index_reduce``: ``source``'s slice ``i`` along ``dim`` reduced into this tensor's
        slice ``index[i]`` with ``reduce`` ("prod", "mean", "amax" or "amin"; gradients as
        ``scatter_reduce``'s)."""
        if reduce not in ("prod", "mean", "amax", "amin"):
            raise RuntimeError(
                f"index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got {reduce}."
            )
        values, positions = self._index_slices("index_reduce", dim, index, source)
        return self._apply(
            scatter_as("index_reduce", reduce),
            self,
            values,
            positions,
            reduce=reduce,
            include_self=bool(include_self),
        )

    def index_reduce_(
        self, dim: int, index: Any, source: Any, reduce: str, *, include_self: bool = True
    ) -> Any:
        """``index_reduce`` in place; returns self."""
        fn = lambda: self.index_reduce(dim, index, source, reduce, include_self=include_self)  # noqa: E731
        return self._scattered_("index_reduce_", fn, source)

    def _index_slices(self, op: str, dim: int, index: Any, source: Any) -> tuple[Any, Any]:
        """``source`` and the positions of its slices' elements (checked as torch checks them)."""
        axis = _dim(op, dim, self.ndim)
        index = _vector(op, index)
        source = _src(self, op, "source", source)
        shape, given = _wide(self.shape), _wide(source.shape)
        n = int(index.data.size)
        if len(given) != len(shape) or any(a != b for k, (a, b) in enumerate(zip(shape, given)) if k != axis):
            raise RuntimeError(
                f"{op}(): source tensor shape must match self tensor shape, excluding the specified "
                "dimension. "
                f"Got self.shape = {list(self.shape)} source.shape = {list(source.shape)}"
            )
        if given[axis] != n:
            raise RuntimeError(
                f"{op}(): Number of indices ({n}) should be equal to source.size(dim): ({given[axis]}), "
                f"for dim: {dim}"
            )
        error = IndexError if op == "index_copy" else RuntimeError

        def find(i: np.ndarray) -> np.ndarray:
            spread = np.broadcast_to(i.reshape([n if k == axis else 1 for k in range(len(given))]), given)
            return _along(spread, axis, self.shape, op, error).reshape(source.shape)

        return source, _positions(index, find)

    def index_fill(self, dim: int, index: Any, value: Any) -> Any:
        """torch's ``index_fill``: this tensor's slices ``index`` along ``dim`` (negative counts from
        the end) filled with ``value``, a number or a 0-d tensor (whose gradient is the sum of the
        output's over the filled elements, each once)."""
        axis = _dim("index_fill", dim, self.ndim)
        index = _vector("index_fill", index)
        if _is_node(value) and value.ndim != 0:
            raise RuntimeError(
                "index_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                f"{value.ndim} dimension(s)."
            )
        values = _cast(value, self.data.dtype) if _is_node(value) else _value(self, "index_fill", value)
        shape = _wide(self.shape)
        n = shape[axis]

        def find(i: np.ndarray) -> np.ndarray:
            chosen = np.unique(_bounded(i.reshape(-1), n, axis, "index_fill", RuntimeError, wrap=True))
            sizes = [chosen.size if k == axis else s for k, s in enumerate(shape)]
            spread = np.broadcast_to(
                chosen.reshape([-1 if k == axis else 1 for k in range(len(shape))]), sizes
            )
            return _along(spread, axis, self.shape)

        return self._apply(scatter_as("index_fill"), self, values, _positions(index, find))

    def index_fill_(self, dim: int, index: Any, value: Any) -> Any:
        """``index_fill`` in place; returns self."""
        return self._scattered_("index_fill_", lambda: self.index_fill(dim, index, value), value)

    # -- elements named otherwise: by an indexing tuple, a mask, flat positions
    def index_put(self, indices: Sequence[Any], values: Any, accumulate: bool = False) -> Any:
        """torch's ``index_put``: ``self[indices] = values`` (``accumulate``: ``+=``, repeated
        positions adding up) on a copy; ``indices`` a tuple of integer or bool tensors (None: a whole
        dimension), ``values`` broadcast to the indexed shape."""
        if not isinstance(indices, (tuple, list)):
            raise TypeError(f"index_put(): indices must be a tuple of tensors, got {type(indices).__name__}")
        parts = [None if i is None else _index_tensor("index_put", "indices", i, bools=True) for i in indices]
        for p in parts:
            if p is not None and p.data.dtype == np.bool_ and computed_while_tracing(p):
                refuse_numbers_shape(
                    "index_put by a bool mask the function computed",
                    "Use autograd.where(mask, values, x) (or masked_fill / masked_scatter)",
                )
        tensors = [p for p in parts if p is not None]
        layout = [None if p is None else sum(q is not None for q in parts[:k]) for k, p in enumerate(parts)]

        def find(*arrays: np.ndarray) -> np.ndarray:
            key = tuple(slice(None) if k is None else arrays[k] for k in layout)
            try:
                return np.arange(self.data.size).reshape(self.shape)[key]
            except IndexError as e:
                raise IndexError(f"index_put(): {str(e).replace('axis', 'dimension')}") from None

        positions = _positions(tensors, find) if tensors else None
        if positions is None:  # (no index tensor: every element)
            positions = type(self)._node(np.arange(self.data.size).reshape(self.shape))
        given = values if _is_node(values) else None
        values = (
            _src(self, "index_put", "values", values)
            if given is not None
            else _value(self, "index_put", values)
        )
        if not _broadcasts(values.shape, positions.shape):
            raise RuntimeError(
                f"index_put(): shape mismatch: value tensor of shape {list(values.shape)} cannot be "
                f"broadcast to indexing result of shape {list(positions.shape)}"
            )
        reduce = "sum" if accumulate else None
        return self._apply(scatter_as("index_put"), self, values, positions, reduce=reduce)

    def index_put_(self, indices: Sequence[Any], values: Any, accumulate: bool = False) -> Any:
        """``index_put`` in place; returns self."""
        return self._scattered_("index_put_", lambda: self.index_put(indices, values, accumulate), values)

    def masked_scatter(self, mask: Any, source: Any) -> Any:
        """torch's ``masked_scatter``: ``source``'s elements, in order, written where the bool
        ``mask`` (broadcast to this shape) holds; the elements of ``source`` past the mask's count get
        no gradient."""
        m = _index_tensor("masked_scatter", "mask", mask, bools=True)
        if m.data.dtype != np.bool_:
            raise RuntimeError(
                f"masked_scatter_ only supports boolean masks, but got mask with dtype {m.data.dtype}"
            )
        if not _broadcasts(m.shape, self.shape):
            raise RuntimeError(
                f"masked_scatter(): the mask of shape {list(m.shape)} does not broadcast to the tensor's "
                f"{list(self.shape)}"
            )
        source = _src(self, "masked_scatter", "source", source)
        shape, count = self.shape, int(source.data.size)

        def find(flags: np.ndarray) -> np.ndarray:
            where_ = np.flatnonzero(np.broadcast_to(flags, shape))
            if where_.size > count:
                raise RuntimeError(
                    f"masked_scatter(): Number of elements of source < number of ones in mask ({count} < "
                    f"{where_.size})"
                )
            positions = np.full(count, -1, np.int64)  # (-1: this element of source is not written)
            positions[: where_.size] = where_
            return positions.reshape(source.shape)

        return self._apply(scatter_as("masked_scatter"), self, source, _positions(m, find), skip=True)

    def masked_scatter_(self, mask: Any, source: Any) -> Any:
        """``masked_scatter`` in place; returns self."""
        return self._scattered_("masked_scatter_", lambda: self.masked_scatter(mask, source), source)

    def put(self, index: Any, source: Any, accumulate: bool = False) -> Any:
        """torch's ``put``: ``source``'s elements written at the flat positions ``index`` of this
        tensor (negative counts from the end; ``accumulate``: added, repeated positions adding up)."""
        index = _index_tensor("put", "index", index)
        source = _src(self, "put", "source", source)
        if index.data.size != source.data.size:
            raise IndexError(
                "put_(): Expected source and index to have the same number of elements, but got "
                f"source.numel() = {source.data.size}, index.numel() = {index.data.size}"
            )
        size = int(self.data.size)

        def find(i: np.ndarray) -> np.ndarray:
            bad = i[(i < -size) | (i >= size)]
            if bad.size:
                raise IndexError(
                    f"put(): out of range: tried to access index {bad[0]} on a tensor of {size} elements."
                )
            return (i % max(size, 1)).astype(np.int64).reshape(source.shape)

        return self._apply(
            scatter_as("put"), self, source, _positions(index, find), reduce="sum" if accumulate else None
        )

    def put_(self, index: Any, source: Any, accumulate: bool = False) -> Any:
        """``put`` in place; returns self."""
        return self._scattered_("put_", lambda: self.put(index, source, accumulate), source)

    def _scattered_(self, op: str, compute: Callable[[], Any], operand: Any) -> Any:
        """``compute()``'s numbers written into self in place (checked first: nothing computed for a
        refused write); on a tensor computed from others, or with an operand that requires grad,
        recorded in the graph as torch records it (``autograd/_rebase.py``). Returns self."""
        data = self._written(op, operand, count=False)
        if op in _NO_OVERLAP and _is_node(operand) and (operand is self or _overlap(self.data, operand.data)):
            raise RuntimeError(
                f"{op}: unsupported operation: some elements of the input tensor and the written-to tensor "
                "refer to a single memory location. Please clone() the tensor before performing the "
                "operation."
            )
        if data is None:
            return self._rewritten(op, compute)
        data[...] = compute().data
        _versions.bump(data)
        return self


def _overlap(a: np.ndarray, b: np.ndarray) -> bool:
    """torch's overlap test of two tensors (``get_overlap_status``): elements of both, each laid out
    densely (no gaps, no repeats: else torch does not tell), whose memory ranges meet."""
    if not a.size or not b.size or not (_dense(a) and _dense(b)):
        return False
    (low_a, high_a), (low_b, high_b) = _byte_bounds(a), _byte_bounds(b)
    return low_a < high_b and low_b < high_a


#: numpy's (low, high) addresses of an array's memory (numpy >= 2: in numpy.lib.array_utils)
_byte_bounds = getattr(getattr(np.lib, "array_utils", None), "byte_bounds", None) or np.byte_bounds


def _dense(a: np.ndarray) -> bool:
    low, high = _byte_bounds(a)
    return high - low == a.nbytes and all(s != 0 or n == 1 for s, n in zip(a.strides, a.shape))


# -- the arguments
def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float, bool, np.number, np.bool_))


def _is_node(x: Any) -> bool:
    return isinstance(x, Tensor)


def _wide(shape: tuple[int, ...]) -> tuple[int, ...]:
    """A 0-d tensor's shape as torch's checks read it: one element along its one dimension."""
    return shape or (1,)


def _broadcasts(shape: tuple[int, ...], to: tuple[int, ...]) -> bool:
    try:
        return np.broadcast_shapes(shape, to) == to
    except ValueError:
        return False


def _dim(op: str, dim: Any, ndim: int) -> int:
    """``dim`` as a non-negative axis (a 0-d tensor has one, as torch's scatter reads it)."""
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{op}(): dim must be an int, got {type(dim).__name__} {dim!r}")
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(
            f"{op}(): Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})"
        )
    return int(dim) % n


def _index_tensor(op: str, name: str, index: Any, bools: bool = False) -> Any:
    """``index`` as an integer Tensor (an argument's own array: a compiled step reads it at every call)."""
    node = index if isinstance(index, Tensor) else Tensor._node(np.asarray(index))
    kind = node.data.dtype.kind
    if not (kind in "iu" or (bools and kind == "b") or (node.data.size == 0 and kind == "f")):
        raise RuntimeError(
            f"{op}(): Expected dtype int64 for {name}, got {node.data.dtype} (pass integer positions"
            + (", or a bool mask)" if bools else ")")
        )
    return node


def _vector(op: str, index: Any) -> Any:
    index = _index_tensor(op, "index", index)
    if index.ndim > 1:
        raise IndexError(
            f"{op}(): Index is supposed to be a vector, but got dim: {index.ndim} with size: "
            f"{list(index.shape)}"
        )
    return index


def _src(self: Any, op: str, name: str, src: Any) -> Any:
    """``src`` as a Tensor of this tensor's dtype: a Tensor must have it (torch's rule), plain data is
    cast."""
    if not _is_node(src):
        return type(self)._node(np.array(src, dtype=self.data.dtype))
    if src.data.dtype != self.data.dtype:
        raise RuntimeError(
            f"{op}(): Expected self.dtype to be equal to {name}.dtype, got {self.data.dtype} and "
            f"{src.data.dtype}"
        )
    return src


def _value(self: Any, op: str, value: Any) -> Any:
    """A number as a 0-d constant of this tensor's dtype (cast as torch casts it: 7.5 into int64 is 7)."""
    if not _is_number(value):
        raise TypeError(f"{op}(): value must be a number, got {type(value).__name__} {value!r}")
    return type(self)._node(np.asarray(value).astype(self.data.dtype))


def _cast(x: Any, dtype: np.dtype) -> Any:
    return x if x.data.dtype == dtype else x._apply(ops.ASTYPE, x, dtype=dtype)


def _reduction(reduce: str) -> str:
    reduce = _ALIASES.get(reduce, reduce)
    if reduce not in REDUCTIONS:
        raise RuntimeError(
            f"scatter_reduce(): reduce argument must be either sum, prod, mean, amax or amin, got {reduce}"
        )
    return reduce


def _along_shapes(op: str, self: Any, index: Any, src: Any, axis: int) -> tuple[int, ...]:
    """torch's shape rules for an index along ``axis``: its number of dimensions this tensor's and
    ``src``'s, each size no larger than ``src``'s, nor (but ``axis``) than this tensor's."""
    shape, want = _wide(self.shape), _wide(index.shape)
    given_shape = np.shape(src.data if _is_node(src) else src)
    given = _wide(given_shape)
    if len(want) != len(shape):
        raise RuntimeError(f"{op}(): Index tensor must have the same number of dimensions as self tensor")
    if len(want) != len(given):
        raise RuntimeError(f"{op}(): Index tensor must have the same number of dimensions as src tensor")
    if any(w > s for k, (w, s) in enumerate(zip(want, shape)) if k != axis) or any(
        w > g for w, g in zip(want, given)
    ):
        raise RuntimeError(
            f"{op}(): Expected index {list(index.shape)} to be no larger than self {list(self.shape)} apart "
            f"from dimension {axis} and to be no larger size than src {list(given_shape)}"
        )
    return tuple(index.shape)


def _cut_to(src: Any, shape: tuple[int, ...]) -> Any:
    """``src``'s leading block of ``shape`` (the part torch reads; the rest gets no gradient)."""
    if tuple(src.shape) == shape:
        return src
    if src.ndim == 0 or len(shape) == 0:
        return src.reshape(shape)
    return src[tuple(slice(0, n) for n in shape)]


def _bounded(i: np.ndarray, n: int, axis: int, op: str, error: type, wrap: bool = False) -> np.ndarray:
    """``i`` checked against a dimension of size ``n`` (``wrap``: negative counts from the end)."""
    i = i.astype(np.int64, copy=False)
    if i.size:
        bad = i[(i < (-n if wrap else 0)) | (i >= n)]
        if bad.size:
            raise error(f"{op}(): index {bad[0]} is out of bounds for dimension {axis} with size {n}")
        if wrap:
            i = i % n
    return i


def _along(
    index: np.ndarray, axis: int, shape: tuple[int, ...], op: str = "scatter", error: type = RuntimeError
) -> np.ndarray:
    """The flat positions in an array of ``shape`` (C order) of ``index``'s elements placed along
    ``axis``: its own coordinates elsewhere (torch's scatter and gather)."""
    wide, want = _wide(shape), _wide(index.shape)
    i = _bounded(index.reshape(want), wide[axis], axis, op, error)
    strides = np.cumprod((1,) + wide[:0:-1])[::-1]
    pos = np.multiply(i, strides[axis], dtype=np.int64)  # (an array of its own: the others added in place)
    for k, n in enumerate(want):
        if k != axis:
            pos += (np.arange(n, dtype=np.int64) * strides[k]).reshape(
                [-1 if j == k else 1 for j in range(len(want))]
            )
    return pos.reshape(index.shape)


def _positions(index: Any, find: Callable[..., np.ndarray]) -> Any:
    """``find(index's numbers)`` as an int64 node no gradient passes (a compiled step finds them at
    every call); ``index``: a Tensor or a list of them."""
    tensors = index if isinstance(index, list) else [index]
    return nograd(lambda *arrays: np.ascontiguousarray(find(*arrays), dtype=np.int64), *tensors)


for _name, _member in vars(ScatterOps).items():
    if not _name.startswith("__"):
        setattr(Tensor, _name, _member)
