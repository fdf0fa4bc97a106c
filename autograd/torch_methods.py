"""Tensor members with PyTorch's names, composed from the engine's primitives (no derivative rule
here: each gradient comes from reshape, transpose, broadcast_to, where, astype and the table's ops).

- sizes: ``size()`` (a :class:`Size`), ``size(d)``, ``numel()``, ``dim()``;
- views and copies: ``view``, ``view_as``, ``expand``, ``expand_as``, ``repeat`` (torch's: np.tile),
  ``permute``, ``t()``, ``mT``, ``clone``, ``contiguous``, ``tolist``; a view shares its input's
  memory where torch's does (tests/torch_compat/test_views_and_copies.py);
- casts: ``float()`` (float32, as torch), ``double()``, ``long()``, ``bool()``, ``to``, ``type``;
- torch's argument forms: ``add``/``sub`` with ``alpha=``, ``div`` with ``rounding_mode=``,
  ``matmul``, ``mm``, ``clamp_min``, ``clamp_max``, ``masked_fill``, ``all``, ``any``;
- in place, on leaves under ``no_grad`` (or on tensors that do not require grad): ``add_``,
  ``sub_``, ``mul_``, ``div_``, ``zero_``, ``fill_``, ``copy_``, ``uniform_``, ``normal_``,
  ``clamp_``, ``relu_``, ``sigmoid_``, ``tanh_``, ``x[i] = v`` and ``+=``, ``-=``, ``*=``, ``/=``
  (each write counted by torch's version counter, ``autograd/_versions.py``: a backward pass that
  would read the old numbers raises); a view of such a leaf too (``w[0]``,
  ``w.view(-1)``: the leaf changes with it). Outside ``no_grad`` a leaf that requires grad, or a view
  of one, raises torch's RuntimeError. On a tensor computed from others (or with an operand that
  requires grad) the write is recorded in the graph as torch records it: the tensor, the same
  object, takes the operation's node, whose input is its history before; a write into a view
  rebases its base too (torch's CopySlices): ``autograd/_rebase.py``.

A member torch has and this library lacks raises an AttributeError that says what to write
(:class:`TorchHints`, from :mod:`autograd.torch_hints`).
"""

from __future__ import annotations

import builtins
import warnings
from typing import Any

import numpy as np

from . import _hooks, _packed, _rebase, _retained, _saved, _versions, dtypes, ops, torch_hints
from . import grad_mode as mode
from . import meta as _meta
from ._errors import ArgumentError
from ._handle import RemovableHandle
from .graph import CompileError, is_tracing
from .ops import promotion
from .random_state import fill_normal as _fill_normal
from .random_state import fill_uniform as _fill_uniform
from .random_state import generator as _generator
from .shape_ops import sizes_or_keyword


class Size(tuple):
    """A tensor's shape as torch gives it (``t.size()``): a tuple of ints that prints as
    ``Size([2, 3])`` and compares equal to the plain tuple.

    Parameters
    ----------
    iterable : iterable of int
        The lengths of the dimensions.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Size({list(self)})"

    def numel(self) -> int:
        """The number of elements of a tensor of this size."""
        return int(np.prod(self, dtype=np.int64))


class SizeMethod:
    """``t.size``: torch's method (``t.size()`` → :class:`Size`, ``t.size(0)`` → int). NumPy's habit
    ``t.size == 12`` (the number of elements) would silently compare a method with a number, so
    using it as a number raises a TypeError that says to write ``t.numel()``."""

    __slots__ = ("_shape",)

    def __init__(self, shape: tuple[int, ...]) -> None:
        self._shape = shape

    def __call__(self, dim: int | None = None) -> Any:
        """The tensor's :class:`Size`, or the length of dimension ``dim`` (negative counts from the end).

        Raises:
            IndexError: ``dim`` is out of range (torch's error).
        """
        if dim is None:
            return Size(self._shape)
        n = len(self._shape)
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
            raise TypeError(f"size(): dim must be an int, got {type(dim).__name__} {dim!r}")
        if not -max(n, 1) <= dim < max(n, 1):
            raise IndexError(
                f"Dimension out of range (expected to be in range of [{-max(n, 1)}, {max(n, 1) - 1}], "
                f"but got {dim})"
            )
        return self._shape[dim] if n else 1

    def _refuse(self, *args: Any) -> Any:
        raise TypeError(
            "t.size is a method, as in torch: t.size() is the shape (a Size), t.size(0) one length; "
            f"for the number of elements (numpy's a.size = {int(np.prod(self._shape, dtype=np.int64))} here) "
            "write t.numel()"
        )

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _refuse  # type: ignore[assignment]
    __int__ = __index__ = __float__ = __bool__ = _refuse
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _refuse
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = _refuse
    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "<method Tensor.size: call it, t.size() or t.size(dim); t.numel() counts the elements>"


#: ``refuse(tensor, op, operands)``: raises where an in-place write would leave a dual tensor's
#: tangent stale; set by autograd/autograd/forward_ad.py, which alone turns the FORWARD_AD flag on
refuse_dual_in_place: Any = None

#: torch's backward names of the primitives that are not elementwise (an elementwise op is named
#: by its torch name: multiply -> MulBackward0)
_BACKWARD_NAMES = {
    "matmul": "MmBackward0",
    "sum": "SumBackward0",
    "max": "AmaxBackward0",
    "logsumexp": "LogsumexpBackward0",
    "log_softmax": "LogSoftmaxBackward0",
    "reshape": "ViewBackward0",
    "transpose": "PermuteBackward0",
    "getitem": "IndexBackward0",
    "sort": "SortBackward0",
    "max_dim": "MaxBackward0",
    "min_dim": "MinBackward0",
    "concatenate": "CatBackward0",
    "broadcast_to": "ExpandBackward0",
    "astype": "ToCopyBackward0",
    "where": "WhereBackward0",
    "copy_slices": "torch::autograd::CopySlices",
    "lerp_tensor": "LerpBackward1",
    "clamp": "ClampBackward1",  # (bounds that are numbers; tensor bounds are other primitives here)
}
#: torch's backward of matmul by its operands' dimensions (a batched product: a view of a bmm)
_MATMUL_NAMES = {
    (2, 2): "MmBackward0", (2, 1): "MvBackward0", (1, 1): "DotBackward0", (1, 2): "SqueezeBackward4",
}  # fmt: skip


class GradFn:
    """torch's ``grad_fn`` of a computed tensor: names the op whose backward produces the inputs'
    gradients (``MulBackward0``), and links to its inputs' (``next_functions``)."""

    __slots__ = ("_node",)

    def __init__(self, node: Any) -> None:
        self._node = node

    def name(self) -> str:
        """The backward's name, as torch spells it (``"MulBackward0"``; a matrix product's by its
        operands' dimensions, as torch's matmul picks mm, mv or dot)."""
        prim = self._node._op
        custom = getattr(prim, "backward_name", None)  # (a custom autograd.Function: torch's FooBackward)
        if custom is not None:
            return custom
        if prim.entry is not None:
            op = prim.entry.torch[0] if prim.entry.torch else prim.entry.name
        else:
            op = prim.name
        if op in ("@", "matmul"):
            dims = tuple(x.data.ndim for x in self._node._prev[:2])
            return _MATMUL_NAMES.get(dims, "UnsafeViewBackward0")
        if op == "sum" and self._node._params.get("axis") is not None:
            return "SumBackward1"  # (torch's sum over dims)
        return _BACKWARD_NAMES.get(op, "".join(part.title() for part in op.split("_")) + "Backward0")

    def __getattr__(self, attr: str) -> Any:
        """What torch's grad_fn shows of what its backward saved (``_saved_self``,
        ``_saved_result``, ...: ``autograd/_saved.py``), read from the node when asked; through
        its unpack hook where a saved-tensor hook packed it, and ``_raw_saved_*`` (torch's
        SavedTensor objects: ``autograd/_packed.py``).

        Raises:
            AttributeError: torch's grad_fn of this name has no such attribute (torch's message).
        """
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _packed.saved(self.name(), self._node, attr)

    def __dir__(self) -> list[str]:
        return sorted({*object.__dir__(self), *_saved.names(self.name())})

    @property
    def next_functions(self) -> tuple[tuple[Any, int], ...]:
        """One ``(function, 0)`` per input: its ``GradFn``, an ``AccumulateGrad`` for a leaf that
        requires grad, or None for a constant. A cast the promotion inserted (float32 + float64) is
        passed over, as torch casts inside the op's kernel; ``where``'s condition is no input of
        torch's ``WhereBackward0``."""
        node, out = self._node, []
        for x in node._prev[:2] if node._op is ops.WHERE else node._prev:
            while x._op is not None and type(x._params) is promotion.ImplicitCast:
                x = x._prev[0]
            fn = GradFn(x) if x._op is not None else AccumulateGrad(x) if x.requires_grad else None
            out.append((fn, 0))
        return tuple(out)

    def __repr__(self) -> str:
        return f"<{self.name()} object>"


class AccumulateGrad:
    """The end of a ``next_functions`` chain: the leaf ``variable`` whose ``.grad`` receives the gradient."""

    __slots__ = ("variable",)

    def __init__(self, variable: Any) -> None:
        self.variable = variable

    def name(self) -> str:
        """torch's name for it, exactly (``"torch::autograd::AccumulateGrad"``)."""
        return "torch::autograd::AccumulateGrad"

    next_functions = ()

    def __repr__(self) -> str:
        return "<AccumulateGrad object>"


def _integer_divide(a: np.ndarray, b: np.ndarray, rounding_mode: str) -> np.ndarray:
    """a / b of integers rounded down (``"floor"``) or towards 0 (``"trunc"``), exactly, in int64
    (as torch's; through a float quotient 2**63 - 1 would round to 2**63)."""
    with np.errstate(all="ignore"):
        q = np.floor_divide(a, b).astype(np.int64)
        if rounding_mode == "trunc":
            q = q + ((np.remainder(a, b) != 0) & ((a < 0) != (b < 0)))
    return q


class TorchMethods:
    """The torch-named members of ``Tensor`` (a mixin: see the module docstring)."""

    __slots__ = ()
    data: np.ndarray
    requires_grad: bool
    _prev: tuple[Any, ...]
    _op: Any

    # -- the graph, as torch names it
    @property
    def grad_fn(self) -> GradFn | None:
        """The backward function of the op that made this tensor (``<MulBackward0>``), as torch's
        ``grad_fn``; None on a leaf and on anything computed without a graph."""
        return GradFn(self) if self._op is not None and self.requires_grad else None

    @property
    def is_leaf(self) -> bool:
        """Whether this tensor is a leaf, as torch defines it (one not computed from tensors that
        require grad, so every tensor with ``requires_grad=False`` is one)."""
        return not self._prev or not self.requires_grad

    def retain_grad(self) -> None:
        """Keep this computed tensor's gradient as torch does: ``.grad`` then accumulates over backward
        passes, as a leaf's, in memory of its own. (Every computed tensor here keeps the last pass's
        gradient anyway, for the drawings; a leaf's is always kept.)

        Raises:
            RuntimeError: the tensor does not require grad (torch's error).
        """
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._prev:
            _retained.mark(self)

    def register_hook(self, hook: Any) -> RemovableHandle:
        """Run ``hook(grad)`` each time a backward pass has this tensor's whole gradient, before it is
        used (as torch's). It may return a new gradient (a Tensor of the same shape and dtype), which
        replaces the gradient for the rest of the pass: the tensors this one was computed from, its
        ``.grad`` (a leaf accumulates the hook's result; ``retain_grad()`` keeps it) and what
        ``autograd.grad`` returns for it; None keeps it. Hooks run in registration order. Under
        ``create_graph=True`` ``grad`` is a Tensor in the graph. Rules: ``autograd/_hooks.py``.

        Returns:
            A :class:`~autograd.utils.hooks.RemovableHandle`: ``handle.remove()`` unregisters it.

        Raises:
            RuntimeError: the tensor does not require grad (torch's error).
            TypeError: ``hook`` is not callable.
        """
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        return _hooks.register(self, hook, False, "register_hook")

    def register_post_accumulate_grad_hook(self, hook: Any) -> RemovableHandle:
        """Run ``hook(self)`` each time ``backward`` has added a pass's gradient into this leaf's
        ``.grad`` (an optimizer step in the backward pass; not ``autograd.grad``), as torch's. Its
        result is ignored.

        Returns:
            A :class:`~autograd.utils.hooks.RemovableHandle`.

        Raises:
            RuntimeError: the tensor does not require grad, or is no leaf (torch's errors).
            TypeError: ``hook`` is not callable.
        """
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self._prev:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
        return _hooks.register(self, hook, True, "register_post_accumulate_grad_hook")

    @property
    def retains_grad(self) -> bool:
        """Whether ``retain_grad()`` was called on this computed tensor (False for a leaf), as torch's."""
        return bool(self._prev) and _retained.is_marked(self)

    # -- sizes
    @property
    def size(self) -> SizeMethod:
        """torch's ``size()``/``size(dim)`` (see :class:`SizeMethod`; numpy's ``a.size`` is ``numel()``)."""
        return SizeMethod(self.data.shape)

    def numel(self) -> int:
        """The number of elements."""
        return int(self.data.size)

    def dim(self) -> int:
        """The number of dimensions (``ndim``)."""
        return self.data.ndim

    # -- views and copies
    def view(self, *shape: Any, size: Any = None) -> Any:
        """torch's view: ``reshape`` (one size may be -1) sharing this tensor's memory. A dtype
        (torch's bit reinterpretation) is refused.

        Raises:
            RuntimeError: the new shape needs a copy of this (non-contiguous) tensor's elements, as
                torch's ``view`` refuses it (``reshape`` copies there).
        """
        if size is not None:
            shape = sizes_or_keyword("view", shape, "size", size)
        if len(shape) == 1 and not isinstance(shape[0], (int, np.integer, tuple, list)):
            raise TypeError(
                f"view: expected a shape, got {shape[0]!r}; reinterpreting the bits as a dtype is not "
                "supported"
            )
        out = self.reshape(*shape)  # type: ignore[attr-defined]
        if out.data.size and not np.may_share_memory(out.data, self.data):
            raise RuntimeError(
                f"view size is not compatible with input tensor's size and stride (at least one dimension "
                f"spans across two contiguous subspaces): a view of shape {out.data.shape} of this tensor "
                f"of shape {self.data.shape} would need a copy. Use .reshape(...) instead."
            )
        return out

    def view_as(self, other: Any) -> Any:
        """``view`` as ``other``'s shape."""
        return self.view(np.shape(other.data if isinstance(other, TorchMethods) else other))

    def permute(self, *order: Any, dims: Any = None) -> Any:
        """The dimensions reordered: result dimension i is input dimension ``dims[i]`` (given as ints,
        one sequence, or torch's keyword ``dims=``)."""
        dims = order if dims is None else sizes_or_keyword("permute", order, "dims", dims)
        dims = tuple(dims[0]) if len(dims) == 1 and isinstance(dims[0], (tuple, list)) else dims
        if len(dims) != self.data.ndim:
            raise RuntimeError(
                f"permute(sparse_coo): number of dimensions in the tensor input does not match the length "
                f"of the desired ordering of dimensions i.e. input.dim() = {self.data.ndim} is not equal to "
                f"len(dims) = {len(dims)}"
            )
        return self.transpose(tuple(dims))  # type: ignore[attr-defined]

    def t(self) -> Any:
        """The transpose of a matrix; of a 0-d or 1-d tensor a view of it as it is (torch's ``t()``)."""
        if self.data.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {self.data.ndim}D")
        return self.transpose()  # type: ignore[attr-defined]

    @property
    def mT(self) -> Any:  # noqa: N802 (torch's name)
        """The last two dimensions swapped (a batch of matrices transposed); of a 0-d tensor the
        tensor itself, with torch's deprecation warning."""
        return self._matrix_transpose("mT", "This function is the identity in these cases.")

    @property
    def mH(self) -> Any:  # noqa: N802 (torch's name)
        """The conjugate transpose of a batch of matrices, ``mT`` here (the numbers are real)."""
        return self._matrix_transpose("mH", "Consider using x.conj().")

    def _matrix_transpose(self, name: str, advice: str) -> Any:
        """``mT``/``mH``: torch's RuntimeError for a 1-d tensor, its warning for a 0-d one."""
        if self.data.ndim == 0:
            warnings.warn(f"Tensor.{name} is deprecated on 0-D tensors. {advice}", UserWarning, stacklevel=3)
            return self
        if self.data.ndim < 2:
            raise RuntimeError(
                f"tensor.{name} is only supported on matrices or batches of matrices. "
                f"Got {self.data.ndim}-D tensor."
            )
        return self.transpose(-2, -1)  # type: ignore[attr-defined]

    @property
    def H(self) -> Any:  # noqa: N802 (torch's name)
        """The conjugate transpose of a matrix, ``t()`` here (the numbers are real); a 0-d tensor itself."""
        if self.data.ndim not in (0, 2):
            raise RuntimeError(
                f"tensor.H is only supported on matrices (2-D tensors). Got {self.data.ndim}-D tensor."
            )
        return self.transpose() if self.data.ndim else self  # type: ignore[attr-defined]

    def reshape_as(self, other: Any) -> Any:
        """``reshape`` to ``other``'s shape (a view where one can be made, as torch's)."""
        return self.reshape(np.shape(_plain_data(other)))  # type: ignore[attr-defined]

    def type_as(self, other: Any) -> Any:
        """``to(other.dtype)``: self when the dtypes are the same, else a cast copy."""
        if not isinstance(other, TorchMethods):
            raise TypeError(f"type_as(): argument 'other' must be Tensor, not {type(other).__name__}")
        return self.to(other.data.dtype)

    def is_contiguous(self) -> bool:
        """Whether the elements lie in memory in row-major order (``contiguous()`` returns self)."""
        return bool(self.data.flags.c_contiguous)

    def select(self, dim: int, index: int) -> Any:
        """The slice at ``index`` of dimension ``dim``, without that dimension: a view (``x[:, index]``
        for ``dim=1``).

        Raises:
            IndexError: ``dim`` or ``index`` is out of range (torch's messages).
        """
        n = self.data.ndim
        _checked_dim("select", dim, n)
        size = self.data.shape[dim]
        if not -size <= index < size:
            raise IndexError(
                f"select(): index {index} out of range for tensor of size {list(self.data.shape)} at "
                f"dimension {dim % n}"
            )
        return self[(slice(None),) * (dim % n) + (index,)]  # type: ignore[index]

    def unbind(self, dim: int = 0) -> tuple[Any, ...]:
        """The slices along ``dim``, each without it: a tuple of views (``tuple(x)`` for ``dim=0``)."""
        n = self.data.ndim
        _checked_dim("unbind", dim, n)
        return tuple(self.select(dim, i) for i in range(self.data.shape[dim]))

    def unflatten(self, dim: int, sizes: Any) -> Any:
        """Dimension ``dim`` split into ``sizes`` (one may be -1): a view where one can be made.

        Raises:
            RuntimeError: the sizes do not multiply to the dimension's length (torch's message).
        """
        shape, n = list(self.data.shape), self.data.ndim
        _checked_dim("unflatten", dim, n)
        d, sizes = dim % n, [int(k) for k in sizes]
        known = int(np.prod([k for k in sizes if k != -1]))
        fits = sizes.count(-1) <= 1 and (
            known == shape[d] if -1 not in sizes else known and shape[d] % known == 0
        )
        if not fits:
            raise RuntimeError(
                f"unflatten: Provided sizes {sizes} don't multiply up to the size of dim {dim} "
                f"({shape[d]}) in the input tensor"
            )
        sizes = [shape[d] // known if k == -1 else k for k in sizes]  # (numpy infers no -1 of 0 elements)
        return self.reshape(shape[:d] + sizes + shape[d + 1 :])  # type: ignore[attr-defined]

    def clone(self) -> Any:
        """A copy of the data that is part of the graph (its gradient passes through unchanged)."""
        return type(self)._apply(ops.ASTYPE, self, dtype=self.data.dtype)

    def tolist(self) -> Any:
        """The data as (nested) Python lists of numbers; a 0-d tensor as one number."""
        return self.data.tolist()

    # -- casts
    def to(self, *args: Any, **kwargs: Any) -> Any:
        """torch's ``to``: ``to(dtype)``, ``to("cpu")``, ``to(other_tensor)``, ``to(device, dtype)``,
        ``dtype=``, ``copy=True``. A float dtype keeps the graph (its gradient is cast back); an
        integer or bool result requires no grad. Returns self when nothing changes. ``to("meta")``
        gives a meta tensor of this shape and dtype (``autograd/meta.py``; a leaf here).

        Raises:
            RuntimeError: a device other than the CPU ("cuda", "mps", ...).
            NotImplementedError: a meta tensor to the CPU (torch's: it has no data).
            TypeError: a dtype that is not float32, float64, an integer dtype or bool.
        """
        copy = bool(kwargs.pop("copy", False))
        kwargs.pop("non_blocking", None)
        target, to_meta = None, None
        for x in (*args, *kwargs.values()):
            if x is None or isinstance(x, bool):
                continue
            if isinstance(x, TorchMethods):
                target, to_meta = x.data.dtype, _meta.is_meta(x.data)
            elif _device_name(x) is not None:
                if _device_name(x) not in ("cpu", "meta"):
                    raise RuntimeError(
                        f"to({x!r}): only the CPU is supported: this library runs on numpy; "
                        "drop .to(device) calls or use the device 'cpu'"
                    )
                to_meta = _device_name(x) == "meta"
            else:
                target = dtypes.as_dtype(x, "to")
        if to_meta is not None and to_meta != _meta.is_meta(self.data):
            if not to_meta:
                raise NotImplementedError(_meta.NO_DATA)
            dt = self.data.dtype if target is None else target
            requires_grad = self.requires_grad and dt.kind == "f"
            return type(self)._node(_meta.meta_array(self.data.shape, dt), requires_grad)
        out = self if target is None else _cast(self, target)
        return out.clone() if copy and out is self else out

    def cpu(self) -> Any:
        """Returns self: everything lives on the CPU (a meta tensor raises torch's
        NotImplementedError: it has no data)."""
        if _meta.is_meta(self.data):
            raise NotImplementedError(_meta.NO_DATA)
        return self

    @property
    def device(self) -> Any:
        """``device(type='cpu')``: where every tensor lives (``t.to(t.device)`` works; it equals
        the string ``"cpu"`` too); ``device(type='meta')`` for a meta tensor."""
        from .devices import CPU, META

        return META if _meta.is_meta(self.data) else CPU

    @property
    def is_meta(self) -> bool:
        """Whether this is a meta tensor, a shape and a dtype without data (``autograd/meta.py``)."""
        return _meta.is_meta(self.data)

    def contiguous(self) -> Any:
        """Self if its elements lie in memory in row-major order, else a copy that does (as torch's:
        writing into the copy leaves this tensor as it was)."""
        return self if self.data.flags.c_contiguous else self.clone()

    def float(self) -> Any:
        """A float32 copy (self if it is float32 already), as torch's ``float()``."""
        return _cast(self, dtypes.float32)

    def double(self) -> Any:
        """A float64 copy (self if it is float64 already)."""
        return _cast(self, dtypes.float64)

    def long(self) -> Any:
        """An int64 copy (truncated toward zero), which requires no grad."""
        return _cast(self, dtypes.int64)

    def bool(self) -> Any:
        """A bool copy (nonzero is True), which requires no grad."""
        return _cast(self, dtypes.bool)

    def type(self, dtype: Any = None) -> Any:
        """``type()``: the type's name (``"autograd.DoubleTensor"``); ``type(dtype)``: ``to(dtype)``."""
        if dtype is None:
            names = {"float32": "Float", "float64": "Double", "int64": "Long", "bool": "Bool"}
            return f"autograd.{names.get(self.data.dtype.name, self.data.dtype.name.title())}Tensor"
        return self.to(dtype)

    # -- torch's argument forms
    def add(self, other: Any, *, alpha: Any = 1) -> Any:
        """self + alpha × other; an ``alpha`` other than 1 multiplies and adds with one rounding, as
        torch's kernel (``ops.FMA``)."""
        if alpha == 1 and type(alpha) is not builtins.bool:  # (a bool alpha: checked by _add_scaled)
            return self + other  # type: ignore[operator]
        return _add_scaled(self, other, alpha, "add")

    def sub(self, other: Any, *, alpha: Any = 1) -> Any:
        """self − alpha × other (one rounding, as ``add``)."""
        if alpha == 1 and type(alpha) is not builtins.bool:  # (a bool alpha: checked by _add_scaled)
            return self - other  # type: ignore[operator]
        return _add_scaled(self, other, alpha, "sub")

    subtract = sub

    def pow(self, exponent: Any) -> Any:
        """self ** exponent, elementwise (torch's ``Tensor.pow``, its argument name)."""
        return self ** exponent  # type: ignore[operator]

    def round(self, *, decimals: Any = None) -> Any:  # noqa: A003 (torch's name)
        """Each element rounded to the nearest integer, half to even (``rint``); with ``decimals``
        (torch's keyword, an int), to that many decimal places (negative: to tens, hundreds, ...), as
        torch's kernel computes it in the tensor's dtype: ``nearbyint(x · 10^d) / 10^d``, for
        ``d < 0`` ``nearbyint(x / 10^-d) · 10^-d`` (nan where ``10^|d|`` overflows). A plain
        result, as ``rint``'s (its derivative is 0).

        Raises
        ------
        TypeError
            ``decimals`` is not an int.
        NotImplementedError
            ``decimals`` is given for an integer or bool tensor (torch's error).
        """
        if decimals is None:
            return self.rint()  # type: ignore[attr-defined]
        if isinstance(decimals, TorchMethods) and decimals.data.shape == () and decimals.dtype.kind in "iu":
            decimals = int(decimals.data)  # (a 0-d integer tensor, as torch takes it)
        if isinstance(decimals, (bool, np.bool_)) or not isinstance(decimals, (int, np.integer)):
            raise TypeError(f"round(): argument 'decimals' must be int, not {type(decimals).__name__}")
        dtype = self.data.dtype
        if dtype.kind != "f":
            kind = "Bool" if dtype.kind == "b" else "Long" if dtype == np.int64 else str(dtype)
            raise NotImplementedError(f"\"round_cpu\" not implemented for '{kind}' (decimals= needs floats)")
        with np.errstate(over="ignore"):  # (10^|d| in float64 then the dtype, as torch's std::pow and cast)
            scale = dtype.type(np.float64(10.0) ** min(abs(int(decimals)), 400))

        def rounded(x: np.ndarray) -> np.ndarray:
            with np.errstate(invalid="ignore", over="ignore"):
                if decimals < 0:
                    return np.rint(x / scale) * scale
                return np.rint(x * scale) / scale

        return self._of_numbers(rounded)

    def div(self, other: Any, *, rounding_mode: str | None = None) -> Any:
        """self / other; ``rounding_mode="trunc"`` or ``"floor"`` rounds the quotient (a constant
        result: nothing flows back, as through ``floor``)."""
        if rounding_mode not in (None, "trunc", "floor"):
            raise ArgumentError(
                "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
                f"{rounding_mode!r}"
            )
        both_int = self.data.dtype.kind in "iub" and np.asarray(_plain_data(other)).dtype.kind in "iub"
        if both_int and rounding_mode is not None:  # exactly, in integers (a float quotient rounds)
            divisor = self._lift(other)
            if self.data.dtype == divisor.data.dtype == np.bool_:
                raise NotImplementedError(f"\"div_{rounding_mode}_cpu\" not implemented for 'Bool'")
            _, result = promotion.dtypes_of("floor_divide", (self, divisor))  # (division by 0 refused)
            return self._of_numbers(lambda a: _integer_divide(a, divisor.data, rounding_mode).astype(result))
        quotient = self / other  # type: ignore[operator]
        if rounding_mode is None:
            return quotient

        def rounded(q: np.ndarray) -> np.ndarray:
            r = getattr(np, rounding_mode)(q)
            return np.asarray(r.astype(np.int64) if both_int else r)

        result = quotient._of_numbers(rounded)  # (a compiled step rounds each call's quotient)
        return result if isinstance(result, type(self)) else type(self)._node(result)

    divide = true_divide = div

    def __rtruediv__(self, other: Any) -> Any:
        """``other / self``, as torch computes it: ``self.reciprocal() * other`` (1/x rounded, then
        the product; ``3.3 / x`` differs from a correctly rounded quotient in the last bit on about a
        quarter of the elements, in torch's way), the gradient that of the two ops."""
        return self.reciprocal() * other  # type: ignore[attr-defined]

    __rdiv__ = __rtruediv__

    def matmul(self, other: Any) -> Any:
        """``self @ other``."""
        return self @ other  # type: ignore[operator]

    def mm(self, mat2: Any) -> Any:
        """The product of two matrices (both 2-d, as torch's ``mm``)."""
        for name, x in (("self", self), ("mat2", mat2)):
            if np.ndim(_plain_data(x)) != 2:
                raise RuntimeError(f"mm: {name} must be a matrix, got shape {np.shape(_plain_data(x))}")
        return self @ mat2  # type: ignore[operator]

    def clamp_min(self, min: Any) -> Any:  # noqa: A002 (torch's name)
        """``clamp(min=min)``."""
        return self.clamp(min=min)  # type: ignore[attr-defined]

    def clamp_max(self, max: Any) -> Any:  # noqa: A002 (torch's name)
        """``clamp(max=max)``."""
        return self.clamp(max=max)  # type: ignore[attr-defined]

    def masked_fill(self, mask: Any, value: Any) -> Any:
        """``value`` where the boolean ``mask`` (broadcast to this shape) is True, else self; the
        gradient flows where the mask is False."""
        m = np.asarray(_plain_data(mask))
        if m.dtype != np.bool_:
            raise TypeError(f"masked_fill only supports boolean masks, but got mask with dtype {m.dtype}")
        if np.broadcast_shapes(m.shape, self.data.shape) != self.data.shape:
            raise RuntimeError(
                f"masked_fill: the mask of shape {m.shape} does not broadcast to the tensor's "
                f"{self.data.shape}"
            )
        cond = mask if isinstance(mask, TorchMethods) else type(self)._node(m)
        return type(self)._apply(ops.WHERE, self._lift(value), self, cond)  # where(m, value, self)

    def all(self, dim: Any = None, keepdim: bool = False, *, axis: Any = None) -> Any:
        """Whether every element (along ``dim``, an int or a tuple; ``axis`` is its other name, as
        in torch) is nonzero: a bool Tensor (uint8 of a uint8 one, as torch's)."""
        dim = _dim_or_axis("all", dim, axis)
        return self._of_numbers(lambda d: _flags(np.all(d, axis=dim, keepdims=keepdim), d))

    def any(self, dim: Any = None, keepdim: bool = False, *, axis: Any = None) -> Any:
        """Whether some element (along ``dim``, or ``axis``) is nonzero: a bool Tensor."""
        dim = _dim_or_axis("any", dim, axis)
        return self._of_numbers(lambda d: _flags(np.any(d, axis=dim, keepdims=keepdim), d))

    # -- logic on bool and integer tensors (masks; no gradient)
    def __invert__(self) -> Any:
        _logical(self, "~")
        return type(self)._constant(ops.NOT, self)

    def __and__(self, other: Any) -> Any:
        return self._logic(ops.AND, other, "&")

    def __or__(self, other: Any) -> Any:
        return self._logic(ops.OR, other, "|")

    def __xor__(self, other: Any) -> Any:
        return self._logic(ops.XOR, other, "^")

    def _logic(self, prim: Any, other: Any, op: str) -> Any:
        if isinstance(other, np.generic):  # (a number, as torch reads it: np.bool_ is a float)
            other = dtypes.as_number(other)
        _logical(self, op)
        data = _logical(other, op)
        if isinstance(other, TorchMethods):
            if other.data.dtype != self.data.dtype:  # (torch's promotion: a 0-d int8 beside uint8)
                dtype = dtypes.operands_type(self, other)
                return type(self)._constant(prim, *(x.to(dtype) for x in (self, other)))  # type: ignore
            return type(self)._constant(prim, self, other)
        if type(other) in (int, bool):
            return type(self)._constant(prim, self, other=other)
        return type(self)._constant(prim, self, type(self)._node(data))

    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__
    bitwise_not = __invert__

    def __lshift__(self, other: Any) -> Any:
        """Each integer shifted left by ``other`` bits (torch's ``<<``: integer tensors only)."""
        return self._shift(ops.LSHIFT, other, "lshift_cpu")

    def __rshift__(self, other: Any) -> Any:
        """Each integer shifted right by ``other`` bits, keeping the sign (torch's ``>>``)."""
        return self._shift(ops.RSHIFT, other, "rshift_cpu")

    def __rlshift__(self, other: Any) -> Any:
        """``other << self`` (a number shifted by each of this tensor's integers)."""
        return self._shift(ops.LSHIFT, other, "lshift_cpu", reflected=True)

    def __rrshift__(self, other: Any) -> Any:
        """``other >> self``."""
        return self._shift(ops.RSHIFT, other, "rshift_cpu", reflected=True)

    bitwise_left_shift, bitwise_right_shift = __lshift__, __rshift__

    def _shift(self, prim: Any, other: Any, op: str, reflected: bool = False) -> Any:
        """The shift ``prim`` in torch's promoted integer dtype (a bool beside an integer is promoted;
        bools or floats alone are refused with torch's message)."""
        dtype, (_, other) = integer_operands(op, type(self)._node, self, other)
        x = self if self.data.dtype == dtype else self.to(dtype)  # type: ignore[attr-defined]
        if isinstance(other, TorchMethods):
            y = other if other.data.dtype == dtype else other.to(dtype)  # type: ignore[attr-defined]
        else:
            y = type(self)._node(np.array(other, dtype))
        return type(self)._constant(prim, *((y, x) if reflected else (x, y)))

    # -- in place
    def _written(self, op: str, *operands: Any, count: bool = True) -> Any:
        """The data to change in place (its change counted unless ``count`` is False), None where the
        write is to be recorded in the graph (``_rewritten``: self computed from others, or an operand
        that requires grad), or torch's error where it would corrupt a graph."""
        if mode.state() & mode.FORWARD_AD:  # (a dual tensor's tangent would be left stale)
            refuse_dual_in_place(self, op, operands)
        if self._prev and not self.requires_grad:  # (recorded while tracing: no graph needs it)
            raise CompileError(
                f"compile: {op} writes in place into a tensor the function computed, which a compiled "
                "step cannot replay (it would become a constant of the trace, and later calls would read "
                f"the trace's numbers). Write a new tensor instead (y = f(y) rather than {op}), or make "
                "the change outside the compiled function"
            )
        if mode.state() & mode.NO_GRAD:  # (as torch: counted; a backward pass reading it refuses)
            return _writable(self, op, count)
        if self._prev and _viewed_leaf(self) is not None:
            raise RuntimeError(
                f"{op}: a view of a leaf Variable that requires grad is being used in an in-place "
                "operation. (Write into it inside `with autograd.no_grad():`, as in torch.)"
            )
        if self.requires_grad and not self._prev:
            raise RuntimeError(
                f"{op}: a leaf Variable that requires grad is being used in an in-place operation. "
                "(Update parameters inside `with autograd.no_grad():`, as in torch.)"
            )
        if self.requires_grad or any(isinstance(x, TorchMethods) and x.requires_grad for x in operands):
            return None
        return _writable(self, op, count)

    def _rewritten(self, op: str, compute: Any, check: Any = None) -> Any:
        """``compute()`` (self's new numbers as a Tensor of its shape, computed from self) written into
        self in place and recorded in the graph, as torch records an in-place operation
        (:mod:`autograd._rebase`); ``check(result)`` raises for a result that cannot be written.
        Returns self."""
        if is_tracing():
            raise CompileError(
                f"compile: {op} writes in place into a tensor that requires grad, which a compiled step "
                f"does not replay (eager records it in the graph). Write it out of place (y = f(y) "
                f"rather than {op}), or make the change outside the compiled function"
            )
        chain, base = _rebase.view_chain(self)
        adopted = not chain and not self._prev and self.data.base is not None  # (a view taken without grad)
        if adopted:
            chain, base = _rebase.viewed_base(self, TorchMethods) or ([], self)
            if not chain:
                raise RuntimeError(
                    f"{op}: the value requires grad, and this tensor's memory belongs to an array that no "
                    "one tensor holds (numpy's, or shared by detach()), whose tensor the graph would not "
                    "see change: write into the tensor the view was taken from (x[i] = v), or into a clone()"
                )
            if base.requires_grad:  # (a view made under no_grad of a tensor that requires grad)
                raise RuntimeError(
                    f"{op}: A view was created in no_grad mode and is being modified inplace with grad "
                    "mode enabled. Given that this use case is ambiguous and error-prone, it is forbidden "
                    "(torch's error): make the view outside no_grad, or write into a clone()"
                )
        if self.data.dtype.kind != "f":
            raise RuntimeError(
                f"{op}: the value requires grad, and only float tensors can require grad (this one is "
                f"{self.data.dtype}); write into a float tensor, or the value's detach()"
            )
        _writable(self, op, count=False)
        snap = _rebase.snapshot(self)
        base_snap = _rebase.snapshot(base) if chain else snap
        _versions.CLOCK.now += 1  # (the nodes compute() makes are those made at this clock)
        started = _versions.CLOCK.now
        was, _packed.WRITING = _packed.WRITING, self  # (a pack hook gets a copy of it: torch's clone)
        try:
            result = compute()
        finally:
            _packed.WRITING = was
        if check is not None:
            check(result)
        if result is self:  # (nothing changes)
            return self
        if result.data.shape != self.data.shape:
            raise RuntimeError(
                f"{op}: output with shape {list(self.data.shape)} doesn't match the broadcast shape "
                f"{list(result.data.shape)}"
            )
        result = _cast(result, self.data.dtype)
        if not result.requires_grad:  # (a constant written: no gradient reaches the old numbers)
            cls = type(self)
            result = cls._apply(ops.WHERE, snap, result, cls._node(np.zeros(self.data.shape, bool)))
        _rebase.write(self, snap, result, started, chain, base, base_snap)
        if adopted:  # (the base's other views taken without grad: views of its new node, as torch's)
            _rebase.adopt_views(base, self, TorchMethods)
        return self

    def _ufunc_(self, op: str, ufunc: np.ufunc, other: Any, method: str = "") -> Any:
        data = self._written(op, other)
        if data is None:
            return self._rewritten(op, lambda: getattr(self, method)(other))
        operand, compute = _plain_data(other), None
        if not (type(operand) is np.ndarray and operand.dtype is data.dtype and data.dtype.kind == "f"):
            compute = _in_place_dtype(self, op, ufunc.__name__, other)  # (torch's dtypes and errors)
        try:
            if compute is None:
                ufunc(data, operand, out=data, casting="same_kind")
            else:  # (computed in torch's dtype, then written: checked castable)
                ufunc(data, operand, out=data, dtype=compute, casting="unsafe")
        except (TypeError, ValueError) as e:
            raise RuntimeError(
                f"{op}: cannot write the result into this tensor of shape {data.shape}, "
                f"dtype {data.dtype}: {e}"
            ) from None
        return self

    def add_(self, other: Any, *, alpha: Any = 1) -> Any:
        """self += alpha × other, in place (see the module docstring for when); returns self."""
        if alpha == 1 and type(alpha) is not builtins.bool:  # (a bool alpha: checked by _add_scaled)
            return self._ufunc_("add_", np.add, other, "__add__")
        return self._scaled_("add_", other, alpha)

    def sub_(self, other: Any, *, alpha: Any = 1) -> Any:
        """self −= alpha × other, in place; returns self."""
        if alpha == 1 and type(alpha) is not builtins.bool:  # (a bool alpha: checked by _add_scaled)
            return self._ufunc_("sub_", np.subtract, other, "__sub__")
        return self._scaled_("sub_", other, alpha)

    def _scaled_(self, op: str, other: Any, alpha: Any) -> Any:
        """``add_``/``sub_`` with an ``alpha`` other than 1: ``self.add(other, alpha=alpha)``'s numbers
        (rounded once, computed in the operands' common dtype) written into self."""
        method = op[:-1]
        data = self._written(op, other)
        if data is None:
            return self._rewritten(op, lambda: getattr(self, method)(other, alpha=alpha))
        with mode.no_grad():
            result = getattr(self, method)(other, alpha=alpha).data
        if result.shape != data.shape:
            raise RuntimeError(
                f"{op}: output with shape {list(data.shape)} doesn't match the broadcast shape "
                f"{list(result.shape)}"
            )
        if not np.can_cast(result.dtype, data.dtype, "same_kind"):
            raise RuntimeError(
                f"{op}: result type {result.dtype} can't be cast to the desired output type {data.dtype} "
                f"(this tensor's dtype)"
            )
        np.copyto(data, result, casting="same_kind")
        return self

    def mul_(self, other: Any) -> Any:
        """self ×= other, in place; returns self."""
        return self._ufunc_("mul_", np.multiply, other, "__mul__")

    def div_(self, other: Any, *, rounding_mode: str | None = None) -> Any:
        """self /= other, in place; returns self. With torch's ``rounding_mode`` ("trunc", "floor"):
        the rounded quotient of ``div`` written in (no gradient passes a rounded quotient)."""
        if rounding_mode is not None:
            return self.copy_(self.div(other, rounding_mode=rounding_mode))  # type: ignore[attr-defined]
        return self._ufunc_("div_", np.true_divide, other, "__truediv__")

    def zero_(self) -> Any:
        """Set every element to 0, in place; returns self."""
        data = self._written("zero_")
        if data is None:
            return self._rewritten("zero_", lambda: self._lift(np.zeros(self.data.shape, self.data.dtype)))
        data[...] = 0
        return self

    def fill_(self, value: Any) -> Any:
        """Set every element to ``value`` (a number or a one-element tensor), in place; returns self."""
        v = np.asarray(_plain_data(value))
        if v.size != 1:
            raise RuntimeError(
                f"fill_ only supports 0-dimension value tensor but got tensor with {v.ndim} dimensions."
            )
        data = self._written("fill_", value)
        if data is None:
            return self._rewritten("fill_", lambda: self._replaced(value))
        data[...] = v.reshape(())
        return self

    def copy_(self, src: Any) -> Any:
        """Copy ``src``'s values (broadcast to this shape, cast to this dtype) into self; returns self."""
        data = self._written("copy_", src)
        if data is None:
            return self._rewritten("copy_", lambda: self._replaced(src))
        values = np.asarray(_plain_data(src))
        try:
            np.copyto(data, np.broadcast_to(values, data.shape), casting="unsafe")
        except ValueError as e:
            raise RuntimeError(
                f"copy_: cannot copy shape {values.shape} into shape {data.shape}: {e}"
            ) from None
        return self

    def uniform_(self, a: float = 0.0, b: float = 1.0, *, generator: Any = None) -> Any:
        """Fill with samples of U(a, b), from ``generator`` or the library's generator
        (``manual_seed``), in place; returns self."""
        return self._drawn_(
            "uniform_", lambda data: _fill_uniform(_generator(generator, "uniform_"), data, a, b)
        )

    def normal_(self, mean: float = 0.0, std: float = 1.0, *, generator: Any = None) -> Any:
        """Fill with samples of N(mean, std²) (see ``uniform_``), in place; returns self."""
        return self._drawn_(
            "normal_", lambda data: _fill_normal(_generator(generator, "normal_"), data, mean, std)
        )

    def _drawn_(self, op: str, fill: Any, *operands: Any) -> Any:
        """Random numbers drawn by ``fill(array)`` (in place, into an array of self's shape and dtype)
        written into self. On a tensor computed from others (or with an operand that requires grad)
        the write is recorded in the graph, as torch's ``UniformBackward0``: no gradient reaches the
        old numbers. Returns self."""
        data = self._written(op, *operands)
        if data is None:
            drawn = np.empty(self.data.shape, self.data.dtype)
            return self._rewritten(op, lambda: _joined(type(self)._node(fill(drawn)), self, *operands))
        fill(data)
        return self

    def clamp_(self, min: Any = None, max: Any = None) -> Any:  # noqa: A002 (torch's names)
        """Clamp into [min, max] in place (see ``clamp``); returns self."""
        data = self._written("clamp_", min, max)
        if data is None:
            return self._rewritten("clamp_", lambda: self.clamp(min=min, max=max))  # type: ignore[attr-defined]
        result = self.clamp(min=min, max=max).data  # type: ignore[attr-defined]
        _check_castable("clamp_", result.dtype, data.dtype)
        data[...] = result
        return self

    def _overwritten(self, op: str, compute: Any) -> Any:
        """``compute()``'s numbers written into self in place (an activation's ``relu_``), under the
        rules of ``_written`` (checked before ``compute`` runs: nothing drawn for a refused write);
        returns self."""
        data = self._written(op)
        if data is None:
            return self._rewritten(op, compute)
        data[...] = compute().data
        return self

    def _float_result_(self, op: str) -> None:
        """torch's error for a float result written into an integer or bool tensor."""
        if self.data.dtype.kind != "f":
            raise RuntimeError(
                f"{op}: result type Float can't be cast to the desired output type {self.data.dtype} "
                "(an integer or bool tensor: call it on a float one)"
            )

    def relu_(self) -> Any:
        """ReLU in place (``torch.Tensor.relu_``; an integer tensor too, not a bool one); returns self."""
        if self.data.dtype == np.bool_:
            raise RuntimeError("relu_: Boolean inputs not supported for relu (dtype bool)")
        return self._overwritten("relu_", self.relu)  # type: ignore[attr-defined]

    def sigmoid_(self) -> Any:
        """The logistic function in place (``torch.Tensor.sigmoid_``; a float tensor); returns self."""
        self._float_result_("sigmoid_")
        return self._overwritten("sigmoid_", self.sigmoid)  # type: ignore[attr-defined]

    def tanh_(self) -> Any:
        """tanh in place (``torch.Tensor.tanh_``; a float tensor); returns self."""
        self._float_result_("tanh_")
        return self._overwritten("tanh_", self.tanh)  # type: ignore[attr-defined]

    def __setitem__(self, index: Any, value: Any) -> None:
        data = self._written("setitem (x[i] = v)", value)
        if data is None:
            self._rewritten("setitem (x[i] = v)", lambda: self._put(index, value))
            return
        try:
            data[_plain_index(index)] = _plain_data(value)
        except ValueError as e:
            raise RuntimeError(f"x[index] = value: {e}") from None

    def detach_(self) -> Any:
        """Detach in place (torch's ``detach_``): self becomes a leaf that does not require grad; nodes
        made from it before still pass their gradient to its history. Returns self.

        Raises
        ------
        RuntimeError
            For a view (torch's error).
        """
        view = (self._prev and (_rebase.view_chain(self)[0] or _viewed_leaf(self) is not None)) or (
            not self._prev and self.data.base is not None
        )
        if view:
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        if self._prev:
            _rebase.detach(self)
        self.requires_grad = False
        return self

    def _replaced(self, value: Any) -> Any:
        """``value`` (a number or a Tensor, broadcast to self's shape) as self's new numbers, a node
        through which no gradient reaches self's old ones (``fill_``, ``copy_``)."""
        v = value if isinstance(value, TorchMethods) else self._lift(np.asarray(_plain_data(value)))
        cls = type(self)
        return cls._apply(
            ops.WHERE, self, _cast(v, self.data.dtype), cls._node(np.zeros(self.data.shape, bool))
        )

    def _put(self, index: Any, value: Any) -> Any:
        """``self`` with ``value`` written at ``index`` (basic, integer-array or mask indexing), as a node
        (torch's index_put / CopySlices): out of place, for ``x[index] = value`` in the graph."""
        cls = type(self)
        try:
            positions = np.array(np.arange(self.data.size).reshape(self.data.shape)[_plain_index(index)])
        except (IndexError, ValueError) as e:
            raise IndexError(f"x[index] = value: {e}") from None
        v = _cast(value if isinstance(value, TorchMethods) else self._lift(value), self.data.dtype)
        if v.data.shape != positions.shape:
            try:
                np.broadcast_shapes(v.data.shape, positions.shape)
            except ValueError:
                raise RuntimeError(
                    f"x[index] = value: shape mismatch: value tensor of shape {list(v.data.shape)} cannot be "
                    f"broadcast to indexing result of shape {list(positions.shape)}"
                ) from None
            v = cls._apply(ops.BROADCAST_TO, v, shape=positions.shape)
        return cls._apply(ops.COPY_SLICES, self, v, positions=positions)

    def _kept_by_graph(self) -> bool:
        """Whether this tensor was computed from others while a compiled step traces (not as a view of
        a leaf), which a compiled step does not write in place: ``inplace=True`` makes a new tensor
        there (autograd/_rebase.py records the write in eager code)."""
        return bool(self._prev) and is_tracing() and _viewed_leaf(self) is None

    def __iadd__(self, other: Any) -> Any:
        return self.add_(other)

    def __isub__(self, other: Any) -> Any:
        return self.sub_(other)

    def __imul__(self, other: Any) -> Any:
        return self.mul_(other)

    def __itruediv__(self, other: Any) -> Any:
        return self.div_(other)

    def __ipow__(self, other: Any) -> Any:
        return self.pow_(other)

    def __ifloordiv__(self, other: Any) -> Any:
        return self.floor_divide_(other)

    def __imod__(self, other: Any) -> Any:
        return self.remainder_(other)


class _Missing:
    """A torch Tensor member this library lacks: reading it raises an AttributeError with what to
    write instead (:data:`autograd.torch_hints.TENSOR`)."""

    __slots__ = ("name",)

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        raise torch_hints.missing("Tensor", self.name, ())


class TorchHints:
    """The last base of ``Tensor``: one :class:`_Missing` per member of torch's that this library
    lacks, so anything defined elsewhere wins. (Class attributes rather than ``__getattr__``, which
    would slow every attribute read of every Tensor; other misspellings get Python's own
    "Did you mean" suggestion.)"""

    __slots__ = ()


for _name in torch_hints.TENSOR:
    _missing = _Missing()
    setattr(TorchHints, _name, _missing)
    _missing.__set_name__(TorchHints, _name)


def integer_operands(op: str, node: Any, *inputs: Any) -> tuple[np.dtype, list[Any]]:
    """The dtype torch computes the integer-only op ``op`` in (:func:`promotion.integer_operands`:
    torch's error for bools or floats alone), and ``inputs`` as it reads them: a NumPy scalar as its
    Python number, an array_like (not a tensor or int) as a tensor made by ``node``."""
    operands = [dtypes.as_number(x) if isinstance(x, np.generic) else x for x in inputs]
    operands = [x if isinstance(x, (TorchMethods, int)) else node(np.asarray(x)) for x in operands]
    return promotion.integer_operands(op, *operands), operands


def _checked_dim(op: str, dim: int, n: int) -> None:
    """torch's IndexError for a dimension out of range of an ``n``-d tensor (a 0-d one has none)."""
    if not -max(n, 1) <= dim < max(n, 1) or n == 0:
        raise IndexError(
            f"{op}(): Dimension out of range (expected to be in range of [{-max(n, 1)}, "
            f"{max(n, 1) - 1}], but got {dim})"
        )


def _writable(tensor: Any, op: str, count: bool = True) -> np.ndarray:
    """``tensor``'s data, checked for an in-place write (writeable, no overlapping elements), its
    change counted by torch's version counter (a backward pass reading the old numbers refuses)."""
    data = tensor.data
    if not data.flags.writeable:
        raise RuntimeError(f"{op}: this tensor's memory is read-only (a read-only array); clone() it")
    overlap = data.size and any(s == 0 and n > 1 for s, n in zip(data.strides, data.shape))
    if overlap and op not in _OVERLAP_WRITES:  # (an empty array's strides may be 0)
        raise RuntimeError(
            f"{op}: unsupported operation: more than one element of the written-to tensor refers to a "
            "single memory location (an expand/broadcast_to view). Please clone() the tensor before "
            "performing the operation."
        )
    if count:
        _versions.bump(data)  # (torch's version counter: a backward pass reading data refuses)
    return data


def _viewed_leaf(x: Any) -> Any:
    """The leaf that requires grad whose memory ``x`` (computed from it) views, through reshape,
    transpose, indexing or expand; None if ``x`` is no such view."""
    node = x
    while node._prev and np.may_share_memory(node.data, node._prev[0].data):
        node = node._prev[0]
    return node if node is not x and not node._prev and node.requires_grad else None


#: in-place writes torch makes into a tensor whose elements share memory (an ``expand``): one value
#: for all, into the elements an index picks, or (threshold_: torch's kernel does not check) each
#: element's own function (the elements sharing one location are equal, and so are their results)
_OVERLAP_WRITES = ("zero_", "fill_", "setitem (x[i] = v)", "threshold_")


def _cast(x: Any, dtype: np.dtype) -> Any:
    """``x`` as ``dtype``: itself when it already is; a float cast in the graph; else plain data."""
    if x.data.dtype == dtype:
        return x
    if dtypes.is_floating(dtype) and x.requires_grad:
        return type(x)._apply(ops.ASTYPE, x, dtype=dtype)
    cast = x._of_numbers(lambda d: d.astype(dtype))  # (a compiled step casts each call's numbers)
    return cast if isinstance(cast, type(x)) else type(x)._node(cast)


def _device_name(x: Any) -> str | None:
    """ "cpu" for "cpu"/"cpu:0"/``device("cpu")``, the device type of another device string; None
    for a dtype."""
    from .devices import device_type

    return device_type(x)


def _plain_index(index: Any) -> Any:
    """An index for numpy; lists become arrays, integer and bool Tensors their data. A float Tensor
    is refused, as torch refuses it."""
    if isinstance(index, tuple):
        return tuple(_plain_index(i) for i in index)
    if isinstance(index, TorchMethods):
        if index.data.dtype.kind in "biu":
            return index.data
        raise IndexError(
            "tensors used as indices must be long, int, byte or bool tensors, got a Tensor of dtype "
            f"{index.data.dtype} (shape {index.data.shape}); index with t.long(), or with a mask such as "
            "t > 0"
        )
    if isinstance(index, list):
        return np.asarray(index)
    return index


def _flags(found: Any, data: np.ndarray) -> np.ndarray:
    """``all``/``any``'s result: bool, or uint8 for a uint8 input (torch keeps that dtype)."""
    return np.asarray(found, dtype=np.uint8 if data.dtype == np.uint8 else np.bool_)


def _dim_or_axis(op: str, dim: Any, axis: Any) -> Any:
    """``dim``, or torch's other name for it, ``axis``; both at once is an error."""
    if axis is None:
        return tuple(dim) if isinstance(dim, list) else dim
    if dim is not None:
        raise TypeError(f"{op}: got both dim={dim!r} and axis={axis!r}; pass one of them (the same)")
    return tuple(axis) if isinstance(axis, list) else axis


def split_int_index(index: Any) -> tuple[tuple, tuple] | None:
    """torch's order for an index mixing ints with arrays (``x[1, :, idx]``): the ints select first,
    then the arrays index what is left, so an int never joins the arrays' broadcast (numpy's
    ``x[1, :, idx]`` puts idx's axes first). ``(ints, rest)`` to apply one after the other, or None
    when the index has no int or no array."""
    if not isinstance(index, tuple):
        return None
    is_int = [isinstance(i, (int, np.integer)) and not isinstance(i, (bool, np.bool_)) for i in index]
    if not builtins.any(is_int) or not builtins.any(isinstance(i, np.ndarray) and i.ndim for i in index):
        return None
    if builtins.any(isinstance(i, (bool, np.bool_)) for i in index):
        return None
    first: list[Any] = []
    rest: list[Any] = []
    for i, integer in zip(index, is_int):
        if integer:
            first.append(i)
        elif i is None or i is Ellipsis:
            first.append(i)
            rest.append(slice(None) if i is None else i)
        else:
            first.extend([slice(None)] * (i.ndim if isinstance(i, np.ndarray) and i.dtype == bool else 1))
            rest.append(i)
    return tuple(first), tuple(rest)


def _joined(values: Any, *inputs: Any) -> Any:
    """``values`` as a node to which each of ``inputs`` (Tensors that require grad; broadcast to its
    shape) passes a gradient of 0, as torch's random fills give their tensor operands (``bernoulli_``'s
    ``p``: ``zeros_like(p)``) and the numbers they replace."""
    cls, shape = type(values), values.data.shape
    never = cls._node(np.zeros(shape, bool))
    for x in inputs:
        if isinstance(x, TorchMethods) and x.requires_grad:
            x = x if x.data.shape == shape else cls._apply(ops.BROADCAST_TO, x, shape=shape)
            values = cls._apply(ops.WHERE, x, values, never)  # (values everywhere)
    return values


def _plain_data(x: Any) -> Any:
    return x.data if isinstance(x, TorchMethods) else x


def _add_scaled(x: Any, other: Any, alpha: Any, op: str) -> Any:
    """torch's ``x.add(other, alpha=alpha)`` (``op="sub"``: ``-alpha``) for an ``alpha`` other than 1:
    in torch's result dtype; of floats ``fma(other, alpha, x)`` rounded once (``ops.FMA``), ``other``
    getting ``g · alpha`` as torch's backward gives it. Raises RuntimeError for a float or bool
    ``alpha`` where torch refuses it."""
    y = x._lift(other)
    dtype = dtypes.result_type(x, other if isinstance(other, (bool, int, float)) else y)
    if isinstance(alpha, (bool, np.bool_)) and dtype.kind != "b":
        raise RuntimeError(f"{op}: Boolean alpha only supported for Boolean results (the result is {dtype})")
    if dtype.kind != "f":
        if not isinstance(alpha, (bool, int, np.bool_, np.integer)):
            raise RuntimeError(
                f"{op}: For integral input tensors, argument alpha must not be a floating point number "
                f"(got alpha={alpha!r} for a {dtype} result)"
            )
        scaled = y * (builtins.bool(alpha) if dtype.kind == "b" else alpha)
        return _cast(x + scaled if op == "add" else x - scaled, dtype)
    k = np.asarray(-alpha if op == "sub" else alpha, dtype)
    return type(x)._apply(ops.fma_as(op), _cast(y, dtype), type(x)._node(k), _cast(x, dtype))


def _in_place_dtype(x: Any, op: str, name: str, other: Any) -> np.dtype:
    """The dtype ``x.<name>_(other)`` computes in (``ops.promotion``), checked writable into ``x``.

    Raises:
        RuntimeError: the result's dtype cannot be cast to ``x``'s (a float into an integer tensor),
            as torch's; torch's errors of the op itself (``ops.promotion.REFUSED``).
    """
    compute, result = promotion.dtypes_of(name, (x, x._lift(other)))
    _check_castable(op, result, x.data.dtype)
    return compute


def _check_castable(op: str, result: np.dtype, dtype: np.dtype) -> None:
    """torch's error where an in-place op's ``result`` dtype cannot be written into a tensor of ``dtype``."""
    if not dtypes.can_cast(result, dtype):
        names = {"f": "Float", "i": "Long", "u": "Long", "b": "Bool"}
        raise RuntimeError(
            f"{op}: result type {names[result.kind]} can't be cast to the desired output type "
            f"{names[dtype.kind]} (this tensor is {dtype}; write t = t.{op[:-1]}(...))"
        )


def _logical(x: Any, op: str) -> np.ndarray:
    data = np.asarray(_plain_data(x))
    if data.dtype.kind not in "biu":
        raise TypeError(
            f"{op} works on bool and integer tensors (masks), got dtype {data.dtype}; compare first "
            "(e.g. (x > 0) & (x < 1))"
        )
    return data
