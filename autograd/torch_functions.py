"""torch's module functions composed of the engine's operations: ``max``/``min`` in torch's three
forms, ``amax``, ``bmm``, ``addmm``, ``lerp``, ``meshgrid``, the elementwise tests, the comparisons...
(the elementwise ops and the Tensor methods' functions are generated in :mod:`autograd.functions`).
Their gradients come from the operations they are made of."""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from . import dtypes, ops
from ._errors import ArgumentError, EmptyReductionError
from ._operands import method_of, tensor_methods
from ._tensor import Tensor, nograd, of_numbers, promoted, stack
from ._tensor import where as _where
from .composite import normalize_axis, torch_names
from .dtypes import cast_first
from .functions import NODES, as_node, fmod, maximum, minimum
from .graph import computed_while_tracing, guard, is_tracing, refuse_numbers_shape
from .ops import promotion
from .value_array import ValueArray

__all__: list[str] = []


def max(input: Any, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001 (torch's name)
    """torch's three forms: ``max(x)`` the largest element (ties share the gradient); ``max(x, dim,
    keepdim=False)`` the named tuple ``(values, indices)`` along ``dim`` (the gradient goes to the
    first maximum); ``max(x, other)`` with a tensor ``other``: ``maximum``."""
    if isinstance(dim, (*NODES, np.ndarray)):
        return maximum(input, dim)
    x = as_node(input, "max")
    return x.max() if dim is None else x.max(dim=dim, keepdim=keepdim)


def min(input: Any, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001 (torch's name)
    """torch's three forms, as ``max``: the smallest element, ``(values, indices)`` along ``dim``, or
    ``minimum(x, other)``."""
    if isinstance(dim, (*NODES, np.ndarray)):
        return minimum(input, dim)
    x = as_node(input, "min")
    return x.min() if dim is None else x.min(dim=dim, keepdim=keepdim)


def amax(input: Any, dim: Any = (), keepdim: bool = False) -> Any:
    """The largest elements over ``dim``, ties sharing the gradient, as ``torch.amax``.

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    dim : int or tuple of int
        The axes to reduce (default ``()``: every axis).
    keepdim : bool
        Keep the reduced axes with length 1 (default False).
    """
    x = as_node(input, "max")  # every axis named: a nan result gives nan gradients, as torch's amax
    axes = _nonempty_axes("amax", x, dim)
    return _of_0d(x, 1) if _floating_0d(x) else x.max(axes, keepdim)


def amin(input: Any, dim: Any = (), keepdim: bool = False) -> Any:
    """The smallest elements over ``dim``, ties sharing the gradient, as ``torch.amin``.

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    dim : int or tuple of int
        The axes to reduce (default ``()``: every axis).
    keepdim : bool
        Keep the reduced axes with length 1 (default False).
    """
    x = as_node(input, "min")  # every axis named: a nan result gives nan gradients, as torch's amin
    axes = _nonempty_axes("amin", x, dim)
    return _of_0d(x, -1) if _floating_0d(x) else x.min(axes, keepdim)


def _floating_0d(x: Any) -> bool:
    return isinstance(x, Tensor) and x.ndim == 0 and x.data.dtype.kind == "f"


def _of_0d(x: Tensor, sign: int) -> Tensor:
    """amax (``sign`` 1) or amin (-1) of a floating 0-d tensor: the max primitive over no axis
    (``()``), so a nan gets the gradient nan, as torch's (over ``None`` the nans would take the
    gradient, as ``max()``'s)."""
    if sign > 0:
        return Tensor._apply(ops.MAX, x, axis=(), keepdims=False)
    return -Tensor._apply(ops.MAX, -x, axis=(), keepdims=False)


def _nonempty_axes(op: str, x: Any, dim: Any) -> Any:
    """``dim`` (``()``: every axis), refused with torch's error when one of them is empty."""
    if dim == () and 0 in x.shape:
        raise ArgumentError(f"{op}(): Expected reduction dim to be specified for input.numel() == 0.")
    axes = tuple(range(x.ndim)) if dim == () else dim
    named = normalize_axis(axes, x.ndim, op)
    for axis in (named,) if isinstance(named, int) else named or ():
        if x.shape[axis] == 0:
            raise EmptyReductionError(f"{op}(): Expected reduction dim {axis} to have non-zero size.")
    return axes


def _flags(test: Any, summary: str) -> Any:
    def function(input: Any) -> Tensor:
        return of_numbers(test, _operand(input))

    function.__doc__ = (
        f"{summary} elementwise: a bool Tensor (no graph), as ``torch.{test.__name__}``.\n\n"
        "Parameters\n----------\ninput : Tensor or array_like\n    The input (its numbers).\n"
    )
    function.__name__ = function.__qualname__ = test.__name__
    function.__module__ = __name__
    return function


isnan = _flags(np.isnan, "Whether each element is nan,")
isinf = _flags(np.isinf, "Whether each element is +inf or -inf,")
isfinite = _flags(np.isfinite, "Whether each element is finite (not nan, not ±inf),")


def bmm(input: Any, mat2: Any) -> Any:
    """Batched matrix products of two 3-d tensors of the same batch size (``torch.bmm``).

    Parameters
    ----------
    input, mat2 : Tensor or array_like
        Shapes (b, n, m) and (b, m, p).
    """
    a, b = as_node(input, "matmul"), as_node(mat2, "matmul")
    if a.ndim != 3 or b.ndim != 3 or a.shape[0] != b.shape[0]:
        raise RuntimeError(
            f"bmm: expected two 3-d tensors of the same batch size, got {a.shape} and {b.shape}"
        )
    return a @ b


def mv(input: Any, vec: Any) -> Any:
    """The product of a matrix and a vector (``torch.mv``).

    Parameters
    ----------
    input, vec : Tensor or array_like
        Shapes (n, m) and (m,).
    """
    a, v = as_node(input, "matmul"), as_node(vec, "matmul")
    if a.ndim != 2 or v.ndim != 1:
        raise RuntimeError(f"mv: expected a matrix and a vector, got shapes {a.shape} and {v.shape}")
    return a @ v


def addmm(input: Any, mat1: Any, mat2: Any, *, beta: float = 1, alpha: float = 1) -> Any:
    """``beta · input + alpha · (mat1 @ mat2)`` (``torch.addmm``; beta 0 ignores ``input``, nan too).

    Parameters
    ----------
    input : Tensor or array_like
        Broadcast to the product's shape.
    mat1, mat2 : Tensor or array_like
        The two matrices.
    beta, alpha : float
        The factors (default 1).
    """
    product = as_node(mat1, "matmul") @ as_node(mat2, "matmul")
    product = product if alpha == 1 else product * alpha
    if beta == 0:
        return product
    base = as_node(input, "matmul")
    return (base if beta == 1 else base * beta) + product


def lerp(input: Any, end: Any, weight: Any) -> Any:
    """``input + weight · (end - input)``, rounded as ``torch.lerp``: one fused multiply-add,
    ``fma(weight, end - input, input)``, or from ``end`` back, ``fma(weight - 1, end - input, end)``,
    where ``|weight| >= 0.5`` (``ops.LERP``; its gradients are torch's formulas).

    Parameters
    ----------
    input, end : Tensor or array_like
        The two ends: float Tensors of one dtype.
    weight : float or Tensor
        The weight of ``end``: a number, or a Tensor of the ends' dtype (a 0-d one of any float dtype).

    Raises
    ------
    NotImplementedError
        ``input`` is no float Tensor (as torch's).
    RuntimeError
        ``end`` or ``weight`` has another dtype than ``input`` (as torch's).
    """
    start, stop = as_node(input, "sub"), as_node(end, "sub")
    if isinstance(start, Tensor) and not isinstance(weight, _COMPOSITES):
        return _fused_lerp(start, stop, weight)
    gap = stop - start
    if not isinstance(weight, NODES):
        return start + gap * weight if builtins.abs(weight) < 0.5 else stop - gap * (1 - weight)
    near = nograd(lambda w: np.abs(w) < 0.5, weight)
    return _where(near, start + gap * weight, stop - gap * (1 - weight))


#: the engine's other nodes (Values, ValueArrays): their lerp and addcmul are composed, rounded twice
_COMPOSITES = tuple(kind for kind in NODES if kind is not Tensor)


def _fused_lerp(start: Tensor, end: Any, weight: Any) -> Tensor:
    """torch's ``lerp`` of Tensors (``ops.LERP``), with its dtype checks."""
    dtype = start.data.dtype
    if dtype.kind != "f":
        raise NotImplementedError(f"lerp: expected a float Tensor as input, got dtype {dtype}")
    end = start._lift(end) if not isinstance(end, Tensor) else end
    if end.data.dtype != dtype:
        raise RuntimeError(f"lerp: expected dtype {dtype} for `end` (input's) but got dtype {end.data.dtype}")
    if isinstance(weight, (bool, int, float, np.integer, np.floating)):
        return Tensor._apply(ops.LERP, start, end, weight=float(weight))
    w = weight if isinstance(weight, Tensor) else Tensor._node(np.asarray(weight))
    if w.data.ndim and w.data.dtype != dtype:  # (a 0-d weight of another float dtype is cast, as torch's)
        raise RuntimeError(
            f"lerp: expected dtype {dtype} for `weight` (input's) but got dtype {w.data.dtype}"
        )
    if w.data.dtype.kind != "f":
        raise NotImplementedError(f"lerp: expected a float `weight`, got dtype {w.data.dtype}")
    return Tensor._apply(ops.LERP_TENSOR, start, end, w.to(dtype))


def dist(input: Any, other: Any, p: float = 2) -> Any:
    """The ``p``-norm of ``input - other`` (``torch.dist``).

    Parameters
    ----------
    input, other : Tensor or array_like
        Broadcast against each other.
    p : float
        The order of the norm (default 2).
    """
    from .linalg import vector_norm

    return vector_norm(as_node(input, "sub") - as_node(other, "sub"), p)


def meshgrid(*tensors: Any, indexing: str | None = None) -> tuple[Any, ...]:
    """Coordinate grids of 1-d (or 0-d) tensors (``torch.meshgrid``): ``indexing`` "ij" (torch's
    default) or "xy" (the first two axes swapped, as numpy's default).

    Parameters
    ----------
    *tensors : Tensor or array_like
        The 1-d coordinates (or one sequence of them).
    indexing : str, optional
        "ij" or "xy" (default "ij").
    """
    items = list(tensors[0]) if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)) else list(tensors)
    if indexing not in (None, "ij", "xy"):
        raise ArgumentError(f'meshgrid: indexing must be "ij" or "xy", got {indexing!r}')
    vectors = [as_node(t, "reshape") for t in items]
    if builtins.any(v.ndim > 1 for v in vectors):
        raise ValueError(f"meshgrid: expected 0-d or 1-d tensors, got shapes {[v.shape for v in vectors]}")
    vectors = [v.reshape(1) if v.ndim == 0 else v for v in vectors]  # (a 0-d one: one point, as torch's)
    if indexing == "xy" and len(vectors) >= 2:
        vectors[0], vectors[1] = vectors[1], vectors[0]
    shape = tuple(v.shape[0] for v in vectors)
    n = len(vectors)
    grids = [
        v.reshape((1,) * i + (-1,) + (1,) * (n - i - 1)).broadcast_to(shape) for i, v in enumerate(vectors)
    ]
    if indexing == "xy" and n >= 2:  # (the grids of the swapped first two, given back in their order)
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)


def nonzero(input: Any, *, as_tuple: bool = False) -> Any:
    """The positions of the nonzero elements (``torch.nonzero``; nan is nonzero, -0.0 is zero), in
    row-major order: an int64 tensor of shape (n, ndim), or with ``as_tuple`` one 1-d int64 tensor
    per axis (a 0-d input counts as 1-d there, as torch's). No gradient; usable as an index
    (``x[nonzero(x, as_tuple=True)]``, ``x[nonzero(x).unbind(1)]``). A compiled step refuses it of
    a tensor the function computed (the result's shape depends on the numbers).

    Parameters
    ----------
    input : Tensor or array_like
        The input (its numbers).
    as_tuple : bool
        One tensor per axis (default False).

    Returns
    -------
    Tensor or tuple of Tensor
        The positions.

    Raises
    ------
    CompileError
        While a compiled step traces, if ``input`` was computed by the function.
    """
    return _nonzero("nonzero", input, as_tuple)


def argwhere(input: Any) -> Tensor:
    """The positions of the nonzero elements as an int64 tensor of shape (n, ndim)
    (``torch.argwhere``: :func:`nonzero` without ``as_tuple``).

    Parameters
    ----------
    input : Tensor or array_like
        The input (its numbers).

    Returns
    -------
    Tensor
        The positions, one row per nonzero element.

    Raises
    ------
    CompileError
        While a compiled step traces, if ``input`` was computed by the function.
    """
    return _nonzero("argwhere", input, False)


#: where's missing input and other (``where(condition)``: the positions)
_NOT_GIVEN: Any = object()


def where(condition: Any, input: Any = _NOT_GIVEN, other: Any = _NOT_GIVEN) -> Any:
    """``input`` where ``condition`` holds, else ``other`` (``torch.where``; ``condition`` is boolean,
    no gradient passes through it); ``where(condition)`` alone is ``nonzero(condition,
    as_tuple=True)``: the positions where ``condition`` (of any dtype) is nonzero, one int64 tensor
    per axis.

    Parameters
    ----------
    condition : Tensor or array_like
        Where to take ``input``; alone, whose nonzero elements to find.
    input, other : Tensor or array_like or float, optional
        The two sources, broadcast together.

    Raises
    ------
    TypeError
        If only one of ``input`` and ``other`` is given, or ``condition`` is not boolean.
    """
    if input is _NOT_GIVEN or other is _NOT_GIVEN:
        if input is not _NOT_GIVEN or other is not _NOT_GIVEN:
            raise TypeError(
                "where() takes condition alone or condition, input and other: got condition and "
                f"{'input' if other is _NOT_GIVEN else 'other'} only"
            )
        return _nonzero("where", condition, True)
    return _where(condition, input, other)


def _nonzero(op: str, input: Any, as_tuple: bool) -> Any:
    _refuse_computed(op, input)
    data = _numbers(input)
    if as_tuple:
        return tuple(Tensor._node(np.asarray(i, dtype=np.int64)) for i in np.nonzero(np.atleast_1d(data)))
    return Tensor._node(np.argwhere(data).astype(np.int64))


def _with_mean(statistic: str) -> Any:
    def function(
        input: Any,
        dim: Any = None,
        unbiased: bool | None = None,
        keepdim: bool = False,
        *,
        correction: float | None = None,
        axis: Any = None,
    ) -> tuple[Any, Any]:
        x = as_node(input, statistic)
        if x.data.dtype.kind in "biu":
            raise RuntimeError(f"{statistic}_mean only support floating point and complex dtypes")
        if axis is not None:  # (torch's other name of dim)
            if dim is not None:
                raise TypeError(f"{statistic}_mean: got both dim and axis; pass one of them")
            dim = axis
        if isinstance(dim, (bool, np.bool_)):  # torch's var_mean(input, unbiased)
            dim, unbiased = None, bool(dim)
        spread = getattr(x, statistic)(dim=dim, unbiased=unbiased, correction=correction, keepdim=keepdim)
        if isinstance(x, ValueArray):
            return spread, x.mean(dim=dim, keepdim=keepdim)
        axes = _dims(f"{statistic}_mean", x, dim)  # (the mean of torch's Welford kernel)
        return spread, Tensor._apply(ops.WELFORD_MEAN, x, axis=axes, keepdims=bool(keepdim))

    function.__name__ = function.__qualname__ = f"{statistic}_mean"
    function.__module__ = __name__
    function.__doc__ = f"""``({statistic}, mean)`` over ``dim`` (``torch.{statistic}_mean``).

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    dim : int or tuple of int, optional
        The axes (default: all).
    unbiased : bool, optional
        torch's older spelling of ``correction``: True is 1, False 0.
    keepdim : bool
        Keep the reduced axes with length 1 (default False).
    correction : float, optional
        The degrees of freedom subtracted from the count (default 1: Bessel's).
    axis : int or tuple of int, optional
        ``dim``'s other name, as in torch.
    """
    return function


std_mean, var_mean = _with_mean("std"), _with_mean("var")


def _dims(op: str, x: Any, dim: Any) -> Any:
    """torch's ``dim`` of a reduction as an axis: None (every axis; also ``()`` and ``[]``, as torch),
    an int or a tuple of ints, negative ones made positive; a clear error when out of range."""
    return normalize_axis(torch_names(op, None, dim)[0], x.ndim, op)


def nansum(input: Any, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Any:
    """The sum over ``dim`` with nan counted as 0 (``torch.nansum``: the gradient there is 0).

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    dim : int or tuple of int, optional
        The axes (default: all).
    keepdim : bool
        Keep the reduced axes with length 1 (default False).
    dtype : numpy.dtype, optional
        The input is cast to it first and the sum is of it (torch's argument); without it,
        integers and bool give int64, as torch's.
    """
    x = as_node(input, "sum")
    dim = _dims("nansum", x, dim)
    if x.dtype.kind == "f":
        x = _where(nograd(np.isnan, x), 0.0, x)
    return x.sum(dim, keepdim) if dtype is None else x.sum(dim, keepdim, dtype=dtype)


def nanmean(input: Any, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Any:
    """The mean over ``dim`` of the elements that are not nan (``torch.nanmean``).

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    dim : int or tuple of int, optional
        The axes (default: all).
    keepdim : bool
        Keep the reduced axes with length 1 (default False).
    dtype : numpy.dtype, optional
        A floating dtype the input is cast to first (torch's argument).

    Raises
    ------
    RuntimeError
        If the input or ``dtype`` is not floating, as torch.

    Notes
    -----
    A slice of nans only has the mean nan and, as torch's, the gradient nan throughout (its
    sum is divided by a count of nan, not 0, and its nans are not zeroed).
    """
    x = as_node(input, "sum")
    if x.data.dtype.kind in "biu":
        raise RuntimeError(
            "nanmean(): expected input to have floating point or complex dtype but got "
            + dtypes.torch_name(x.data.dtype)
        )
    if dtype is not None and dtypes.as_dtype(dtype, "nanmean").kind != "f":
        raise RuntimeError(
            "nanmean(): could not infer output dtype. Optional dtype must be either a floating point "
            f"or complex dtype. Got: {dtypes.torch_name(dtypes.as_dtype(dtype, 'nanmean'))}"
        )
    x = cast_first(x, dtype, "nanmean")
    dim = _dims("nanmean", x, dim)

    def zeroed(data: np.ndarray) -> np.ndarray:  # the nans, but for slices of nans only
        nan = np.isnan(data)
        return nan & ~np.all(nan, axis=dim, keepdims=True)

    def counts(data: np.ndarray) -> np.ndarray:  # (nan for a slice of nans only)
        n = np.sum(~np.isnan(data), axis=dim, keepdims=keepdim).astype(data.dtype)
        return np.asarray(np.where(n == 0, np.nan, n).astype(data.dtype))

    total = _where(nograd(zeroed, x), 0.0, x).sum(dim, keepdim)
    return total / (nograd(counts, x) if isinstance(x, Tensor) else Tensor(counts(x.data)))


def count_nonzero(input: Any, dim: Any = None) -> Tensor:
    """How many elements over ``dim`` are not zero: an int64 Tensor (``torch.count_nonzero``).

    Parameters
    ----------
    input : Tensor or array_like
        The input (its numbers).
    dim : int or tuple of int, optional
        The axes (default: all).
    """
    x = _operand(input)
    axis = _dims("count_nonzero", x, dim)
    return of_numbers(lambda a: np.asarray(np.count_nonzero(a, axis=axis), dtype=np.int64), x)


def addcmul(input: Any, tensor1: Any, tensor2: Any, *, value: float = 1) -> Any:
    """``input + value · tensor1 · tensor2`` (``torch.addcmul``).

    Parameters
    ----------
    input, tensor1, tensor2 : Tensor or array_like
        Broadcast together.
    value : float
        The factor (default 1).
    """
    base, first = as_node(input, "add"), as_node(tensor1, "mul")
    if isinstance(base, Tensor) and isinstance(first, Tensor) and not isinstance(tensor2, _COMPOSITES):
        return _fused_addcmul(base, first, first._lift(tensor2), value)
    product = first * tensor2
    return base + (product if value == 1 else product * value)


def _fused_addcmul(base: Tensor, tensor1: Tensor, tensor2: Tensor, value: Any) -> Tensor:
    """torch's ``addcmul`` of Tensors: in their common dtype; of floats ``fma(value · tensor1, tensor2,
    base)`` rounded once (``ops.FMA``, also for a value of 1), of integers exactly."""
    dtype = dtypes.operands_type(base, tensor1, tensor2)
    if dtype.kind == "b":
        raise NotImplementedError("addcmul: not implemented for bool Tensors (as torch's)")
    if dtype.kind != "f":  # (torch takes an integer value's integer part)
        product = tensor1 * tensor2
        return (base + (product if value == 1 else product * int(value))).to(dtype)
    a, b, c = (x.to(dtype) for x in (tensor1, tensor2, base))
    return Tensor._apply(ops.fma_as("addcmul"), a, b, c, scale=None if value == 1 else float(value))


def addcdiv(input: Any, tensor1: Any, tensor2: Any, *, value: float = 1) -> Any:
    """``input + value · tensor1 / tensor2`` (``torch.addcdiv``: ``(value · tensor1) / tensor2``, then
    the sum, each rounded, with torch's gradients: ``ops.ADDCDIV``).

    Parameters
    ----------
    input, tensor1, tensor2 : Tensor or array_like
        Broadcast together.
    value : float
        The factor (default 1).
    """
    numerator = as_node(tensor1, "div")
    if builtins.all(np.asarray(getattr(t, "data", t)).dtype.kind in "biu" for t in (tensor1, tensor2)):
        raise RuntimeError(
            "addcdiv: integer division is not supported (as torch's): tensor1 and tensor2 are both of "
            "integer or bool dtype; give one of them a float dtype"
        )
    base = as_node(input, "add")
    if isinstance(base, Tensor) and isinstance(numerator, Tensor) and not isinstance(tensor2, _COMPOSITES):
        divisor = numerator._lift(tensor2)
        dtype = dtypes.operands_type(base, numerator, divisor)
        c, a, b = (x.to(dtype) for x in (base, numerator, divisor))  # (ops.ADDCDIV: torch's gradients)
        return Tensor._apply(ops.ADDCDIV, c, a, b, value=None if value == 1 else float(value))
    # (value · tensor1) / tensor2, in torch's order: where value · tensor1 overflows, so does torch's
    quotient = (numerator if value == 1 else numerator * value) / tensor2
    return base + quotient


def msort(input: Any) -> Any:
    """The input sorted along its first axis (``torch.msort``).

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    """
    return as_node(input, "sort").sort(0).values


def cartesian_prod(*tensors: Any) -> Any:
    """Every combination of the elements of the 1-d ``tensors``, one per row (``torch.cartesian_prod``;
    one tensor: itself).

    Parameters
    ----------
    *tensors : Tensor or array_like
        The 1-d inputs.
    """
    if len(tensors) == 1:
        return as_node(tensors[0], "reshape")
    return stack([g.reshape(-1) for g in meshgrid(*tensors, indexing="ij")], 1)


def _indices(which: Any, row: int, col: int, offset: int) -> Tensor:
    return Tensor._node(np.asarray(which(row, offset, col), dtype=np.int64))


def triu_indices(row: int, col: int, offset: int = 0) -> Tensor:
    """The (2, n) positions of the upper triangle of a row × col matrix, from diagonal ``offset``
    (``torch.triu_indices``).

    Parameters
    ----------
    row, col : int
        The matrix's shape.
    offset : int
        The diagonal (default 0: the main one; 1 above it, -1 below).
    """
    return _indices(np.triu_indices, row, col, offset)


def tril_indices(row: int, col: int, offset: int = 0) -> Tensor:
    """The (2, n) positions of the lower triangle of a row × col matrix, up to diagonal ``offset``
    (``torch.tril_indices``).

    Parameters
    ----------
    row, col : int
        The matrix's shape.
    offset : int
        The diagonal (default 0: the main one; 1 above it, -1 below).
    """
    return _indices(np.tril_indices, row, col, offset)


def logit(input: Any, eps: float | None = None) -> Any:
    """``log(p / (1 - p))`` (``torch.logit``); with ``eps``, p clamped to [eps, 1 - eps] first.

    Parameters
    ----------
    input : Tensor or array_like
        The probabilities p.
    eps : float, optional
        The clamp (default None: none; p outside [0, 1] gives nan).
    """
    p = as_node(input, "log")
    if isinstance(eps, Tensor):  # (a number, as torch's double eps: it leaves the dtype alone)
        eps = eps.item()
    if p.dtype.kind != "f":  # (integers and bools: in the default float dtype, as torch's)
        p = p.to(dtypes.get_default_dtype())
    if eps is not None:
        p = p.clip(eps, 1 - eps)
    out = p.log() - (-p).log1p()  # (the gradient 1/p + 1/(1 - p): inf at 0 and 1, as torch's)
    # (torch's gradient is nan outside [0, 1], as the value: not log's 1/x)
    outside = nograd(lambda d: np.where((d < 0) | (d > 1), np.nan, 1.0).astype(d.dtype), p)
    bad = np.isnan(outside.data if isinstance(outside, Tensor) else outside).any()
    return out * outside if is_tracing() or bad else out


def xlogy(input: Any, other: Any) -> Any:
    """``input · log(other)``, +0 where ``input`` is 0 and ``other`` is not nan (``torch.xlogy``). The
    gradients are torch's (log y for x, x / y for y), but for y's where x is 0 and y 0 or inf: 0 here,
    where torch's 0 / 0 is nan.

    Parameters
    ----------
    input, other : Tensor or array_like
        x and y, broadcast together.
    """
    x = input if isinstance(input, Tensor) else None
    y = other if isinstance(other, Tensor) else as_node(other, "log") if x is None else x._lift(other)
    x = y._lift(input) if x is None else x  # (a Python number beside a Tensor: torch's promotion)
    dtype = promotion.dtypes_of("xlogy", (x, y))[1]  # (torch's: float32 with a bool is float32)
    return x_times_log(x.to(dtype), y.to(dtype), "log", 1.0)


def x_times_log(x: Tensor, y: Tensor, log: str, neutral: float) -> Tensor:
    """``x · log(y)`` (``log``: "log" or "log1p", whose argument ``neutral`` gives 0) with torch's
    xlogy conventions: +0 where x is 0 and y not nan (also where the log is ±inf, and where
    0 · log y would be -0.0); gradients log y for x, x / y (x / (1 + y)) for y, 0 where the log was
    replaced."""

    def fixed(a: np.ndarray, b: np.ndarray) -> np.ndarray:  # where x is 0 and the log ±inf: log(neutral)
        with np.errstate(divide="ignore", invalid="ignore"):
            return (a == 0) & ~np.isnan(b) & ~np.isfinite(getattr(np, log)(b))

    tracing = is_tracing()  # (a compiled step masks at every call)
    fix = nograd(fixed, x, y)
    out = x * getattr(_where(fix, neutral, y) if tracing or fix.any() else y, log)()
    zero = nograd(lambda a, b: (a == 0) & ~np.isnan(b), x, y)
    if not tracing and not zero.any():
        return out
    # torch's 0 there is +0.0 (0 · log 0.5 is -0.0): + 0.0 where x is 0, + -0.0 (no change) elsewhere
    return out + nograd(lambda z: np.where(z, 0.0, -0.0).astype(out.dtype), zero)


def frac(input: Any) -> Any:
    """The fractional part ``x - trunc(x)``, with x's sign (``torch.frac``; the gradient is 1).

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    """
    # x - trunc(x), exactly (+ 0.0: torch's 0 of an integer is +0.0, fmod's may be -0.0)
    return fmod(as_node(input, "sub"), 1.0) + 0.0


def cdist(x1: Any, x2: Any, p: float = 2.0) -> Any:
    """The ``p``-norm distance between each row of ``x1`` and each row of ``x2`` (``torch.cdist``):
    shape (..., n, m) for (..., n, d) and (..., m, d).

    Parameters
    ----------
    x1, x2 : Tensor or array_like
        The two sets of row vectors.
    p : float
        The order of the norm (default 2); for inf every tied largest |difference| gets the
        whole gradient, as torch's.
    """
    from .linalg import pairwise_norm

    a, b = as_node(x1, "sub"), as_node(x2, "sub")
    if a.ndim < 2 or b.ndim < 2 or a.shape[-1] != b.shape[-1]:
        raise RuntimeError(
            f"cdist: expected two sets of rows of the same length, got shapes {a.shape} and {b.shape}"
        )
    return pairwise_norm(a.unsqueeze(-2) - b.unsqueeze(-3), p)


def unique(
    input: Any,
    sorted: bool = True,
    return_inverse: bool = False,
    return_counts: bool = False,
    dim: Any = None,
) -> Any:
    """The distinct elements, sorted (``torch.unique``: numbers, no gradient), with the position of
    each input element among them (``return_inverse``) and how often each occurs (``return_counts``).

    Parameters
    ----------
    input : Tensor or array_like
        The input (its numbers).
    sorted : bool
        Accepted for torch's signature: the result is always sorted, as torch's on the CPU.
    return_inverse, return_counts : bool
        Also return those (int64 tensors).
    dim : int, optional
        Unique slices along ``dim`` instead of elements.
    """
    _refuse_computed("unique", input)
    data = _numbers(input)
    found = np.unique(data, return_inverse=return_inverse, return_counts=return_counts, axis=dim)
    if not (return_inverse or return_counts):
        return Tensor._node(np.asarray(found))
    values, *rest = found
    shapes = [data.shape if dim is None and i == 0 and return_inverse else (-1,) for i in range(len(rest))]
    extras = [np.asarray(r, dtype=np.int64).reshape(shape) for r, shape in zip(rest, shapes)]
    return (Tensor._node(np.asarray(values)), *(Tensor._node(e) for e in extras))


def bincount(input: Any, weights: Any = None, minlength: int = 0) -> Tensor:
    """How often each value 0, 1, ... occurs in the 1-d non-negative integers ``input``, or the sum
    of their ``weights`` (``torch.bincount``: numbers, no gradient).

    Parameters
    ----------
    input : Tensor or array_like
        Non-negative integers, 1-d.
    weights : Tensor or array_like, optional
        One weight per element.
    minlength : int
        The least length of the result (default 0).
    """
    data = _numbers(input)
    if data.ndim != 1 or data.dtype.kind not in "iu":
        raise RuntimeError(
            f"bincount: expected 1-d non-negative integers, got {data.dtype} of shape {data.shape}"
        )
    _refuse_computed("bincount", input)
    if weights is None:
        return Tensor._node(np.bincount(data, minlength=minlength).astype(np.int64))
    length = np.bincount(data, minlength=minlength).shape[0]
    if isinstance(input, Tensor):  # (new labels past the traced length: the step traces again)
        guard(
            lambda d: builtins.max(minlength, int(d.max()) + 1 if d.size else 0) == length,
            input.data,
            what=f"the result has {length} bins",
        )
    kind = np.asarray(weights.data if isinstance(weights, Tensor) else weights).dtype
    dtype = kind if kind in dtypes.FLOATS else dtypes.float64  # (torch's: float weights keep their dtype)
    return of_numbers(
        lambda d, w: np.bincount(d, weights=w, minlength=length).astype(dtype),
        _operand(input),
        _operand(weights),
    )


def searchsorted(sorted_sequence: Any, input: Any, *, right: bool = False, side: str | None = None) -> Tensor:
    """Where each of ``input`` would go in the 1-d ascending ``sorted_sequence`` to keep it sorted
    (``torch.searchsorted``; ``right`` or ``side="right"``: after equal elements): int64, no gradient.

    Parameters
    ----------
    sorted_sequence : Tensor or array_like
        Ascending, 1-d.
    input : Tensor or array_like
        The values to place.
    right : bool
        Place after equal elements (default False: before).
    side : str, optional
        "left" or "right", torch's other spelling of ``right``.
    """
    sequence = _numbers(sorted_sequence)
    if sequence.ndim != 1:
        raise RuntimeError(f"searchsorted: expected a 1-d sorted_sequence, got shape {sequence.shape}")
    after = right or side == "right"
    side = "right" if after else "left"
    return of_numbers(
        lambda s, x: np.asarray(np.searchsorted(s, x, side), dtype=np.int64),
        _operand(sorted_sequence),
        _operand(input),
    )


def bucketize(input: Any, boundaries: Any, *, right: bool = False) -> Tensor:
    """The bucket of each element of ``input`` between the 1-d ascending ``boundaries``
    (``torch.bucketize``: ``right=False`` puts a value equal to a boundary in the bucket it ends).

    Parameters
    ----------
    input : Tensor or array_like
        The values.
    boundaries : Tensor or array_like
        Ascending, 1-d.
    right : bool
        Whether a value equal to a boundary goes to the next bucket (default False).
    """
    return searchsorted(boundaries, input, right=right)


def block_diag(*tensors: Any) -> Any:
    """The tensors (0-, 1- or 2-d; 1-d ones as rows) along the diagonal of one matrix, zeros elsewhere
    (``torch.block_diag``).

    Parameters
    ----------
    *tensors : Tensor or array_like
        The blocks.
    """
    from ._tensor import concatenate

    blocks = [as_node(t, "reshape") for t in tensors]
    if blocks and builtins.any(b.dtype != blocks[0].dtype for b in blocks):  # (torch's promotion)
        blocks = [b.to(dtypes.operands_type(*blocks)) for b in blocks]
    blocks = [b.reshape(1, -1) if b.ndim < 2 else b for b in blocks]
    if builtins.any(b.ndim != 2 for b in blocks):
        raise RuntimeError(
            f"block_diag: expected 0-, 1- or 2-d tensors, got shapes {[b.shape for b in blocks]}"
        )
    if not blocks:
        return Tensor._node(np.zeros((0, 0)))
    width = builtins.sum(b.shape[1] for b in blocks)
    rows, left = [], 0
    for b in blocks:
        zeros_left = Tensor._node(np.zeros((b.shape[0], left), b.data.dtype))
        zeros_right = Tensor._node(np.zeros((b.shape[0], width - left - b.shape[1]), b.data.dtype))
        rows.append(concatenate([zeros_left, b, zeros_right], 1))
        left += b.shape[1]
    return concatenate(rows, 0)


_INTERPOLATIONS = ("linear", "lower", "higher", "nearest", "midpoint")


def quantile(
    input: Any, q: Any, dim: int | None = None, keepdim: bool = False, *, interpolation: str = "linear"
) -> Any:
    """The ``q``-quantiles over ``dim`` (every element by default), as ``torch.quantile``: the sorted
    values at rank q·(n - 1), between two ranks by ``interpolation`` ("linear": torch's ``lerp``;
    "lower", "higher", "nearest", "midpoint"); a slice holding nan gives nan. A 1-d ``q`` adds a
    leading axis, one entry per q. The gradient goes to the one or two elements used.

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    q : float or array_like
        The probabilities, in [0, 1]: a number, or a 1-d sequence.
    dim : int, optional
        The axis (default None: every element).
    keepdim : bool
        Keep the reduced axis (or, without ``dim``, every axis) with length 1 (default False).
    interpolation : str
        How to pick between two ranks (default "linear").

    Raises
    ------
    ValueError
        If ``q`` is not in [0, 1] or not at most 1-d, or ``interpolation`` is unknown.
    RuntimeError
        If the input is empty.
    """
    return _quantile("quantile", input, q, dim, keepdim, interpolation, skip_nan=False)


def nanquantile(
    input: Any, q: Any, dim: int | None = None, keepdim: bool = False, *, interpolation: str = "linear"
) -> Any:
    """:func:`quantile` of the elements that are not nan (``torch.nanquantile``): the ranks are
    q·(k - 1) for the k numbers of each slice, which sort before its nans; a slice of nans only gives
    nan (its first element, which then gets the gradient, as torch's).

    Parameters
    ----------
    input, q, dim, keepdim, interpolation
        As :func:`quantile`'s.

    Returns
    -------
    Tensor
        As :func:`quantile`'s.

    Raises
    ------
    ValueError, RuntimeError
        As :func:`quantile`'s, naming ``nanquantile``.
    """
    return _quantile("nanquantile", input, q, dim, keepdim, interpolation, skip_nan=True)


def _quantile(
    op: str, input: Any, q: Any, dim: Any, keepdim: bool, interpolation: str, skip_nan: bool
) -> Any:
    x = as_node(input, "sort")
    qs = np.asarray(_numbers(q), dtype=np.float64)
    if qs.ndim > 1 or ((qs < 0) | (qs > 1) | np.isnan(qs)).any():
        raise ValueError(f"{op}: q must be a number or a 1-d sequence of numbers in [0, 1], got {q!r}")
    if interpolation not in _INTERPOLATIONS:
        raise ValueError(f"{op}: interpolation must be one of {_INTERPOLATIONS}, got {interpolation!r}")
    shape = x.shape
    if 0 in shape:  # (any empty input, before dim is looked at, as torch's)
        raise RuntimeError(f"{op}: the input is empty (torch: quantile() input tensor must be non-empty)")
    if dim is None:
        x, axis = x.reshape(-1), 0
    else:
        axis = normalize_axis(dim, x.ndim, op)
    n = x.shape[axis] if x.ndim else 1
    rows = (x.sort(axis).values.movedim(axis, -1)) if x.ndim else x.reshape(1)
    # the ranks from each call's numbers (a nan in a slice moves them) and q (a Tensor's, read at
    # every call of a compiled step, after a check that it is still in [0, 1])
    q_node = q if isinstance(q, Tensor) and isinstance(rows, Tensor) else None
    if q_node is not None:
        guard(_probabilities, q_node.data, what="q is in [0, 1]")
    results = []
    for j, p in enumerate(qs.reshape(-1)):

        def ranks(d: np.ndarray, *q_now: np.ndarray, p: Any = p, j: int = j) -> np.ndarray:
            at = np.asarray(q_now[0], dtype=np.float64).reshape(-1)[j] if q_now else p
            if skip_nan:  # (of the numbers, which sort first; none: 0, a nan)
                return np.maximum(at * ((~np.isnan(d)).sum(-1, keepdims=True) - 1.0), 0.0)
            return np.where(np.isnan(d).any(-1, keepdims=True), n - 1.0, at * (n - 1))

        def positions(how: str, ranks: Any = ranks) -> Any:
            def find(*arrays: np.ndarray) -> np.ndarray:
                return getattr(np, how)(ranks(*arrays)).astype(np.int64)

            return nograd(find, rows, *([q_node] if q_node is not None else []))

        below, above = positions("floor"), positions("ceil")
        if interpolation in ("lower", "higher", "nearest"):
            at = {"lower": below, "higher": above, "nearest": positions("round")}[interpolation]
            value = _take_last(rows, at)
        else:
            if interpolation == "midpoint":
                weight = nograd(lambda d: np.full(d.shape[:-1] + (1,), 0.5), rows)
            else:
                weight = nograd(
                    lambda *a, ranks=ranks: ranks(*a) - np.floor(ranks(*a)).astype(np.int64),
                    rows,
                    *([q_node] if q_node is not None else []),
                )
            weight = weight if isinstance(weight, Tensor) else Tensor(weight)
            if isinstance(rows, Tensor):  # (torch's weights are of the input's dtype)
                weight = weight.to(rows.data.dtype)
            value = lerp(_take_last(rows, below), _take_last(rows, above), weight)
        if dim is None or not shape:  # (a 0-d input keeps no axis)
            value = value.reshape((1,) * len(shape)) if keepdim else value.reshape(())
        else:
            value = value.movedim(-1, axis) if keepdim else value.squeeze(-1)
        results.append(value)
    return results[0] if qs.ndim == 0 else stack(results, 0)


def _take_last(rows: Any, index: Any) -> Any:
    """``rows``' elements at ``index`` along the last axis; a Tensor ``index`` (a node computed at
    every call of a compiled step) is an input of the graph."""
    if isinstance(index, Tensor):
        at = ops.shape.along(ops.shape.Slot(0), rows.ndim - 1, rows.shape)
        return Tensor._apply(ops.GETITEM, rows, index, index=at)
    return rows.take_along_dim(index, -1)


def _probabilities(q: np.ndarray) -> bool:
    return bool(((q >= 0) & (q <= 1)).all())


def heaviside(input: Any, values: Any) -> Tensor:
    """0 below 0, 1 above, ``values`` at 0 (``torch.heaviside``: numbers, no gradient, as torch has
    no derivative for it).

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    values : Tensor or array_like
        The result where ``input`` is 0.
    """
    return numbers_in_torch_dtypes("heaviside", np.heaviside, input, values)


def histc(input: Any, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:  # noqa: A002 (torch's names)
    """How many elements fall in each of ``bins`` equal bins over [min, max] (the data's range when
    both are 0; elements outside are left out), as ``torch.histc``: numbers, no gradient.

    Parameters
    ----------
    input : Tensor or array_like
        The input (its numbers).
    bins : int
        The number of bins (default 100).
    min, max : float
        The range (default 0 and 0: the data's smallest and largest element).
    """

    def histogram(data: np.ndarray) -> np.ndarray:
        data = data.reshape(-1)
        low, high = (
            (float(min), float(max))
            if (min, max) != (0, 0)
            else ((float(data.min()), float(data.max())) if data.size else (0.0, 0.0))
        )
        if low == high:
            low, high = low - 1, high + 1
        counts, _ = np.histogram(data, bins=int(bins), range=(low, high))
        return counts.astype(data.dtype if data.dtype.kind == "f" else np.float32)

    return of_numbers(histogram, _operand(input))


def _numbers(x: Any) -> np.ndarray:
    return np.asanyarray(x.data if isinstance(x, (Tensor, ValueArray)) else x)  # (a meta array stays one)


def _refuse_computed(op: str, input: Any) -> None:
    """A compiled step cannot replay ``op`` of numbers the traced function computed: its result's
    shape depends on them (the trace's would be kept)."""
    if computed_while_tracing(input):
        refuse_numbers_shape(
            f"{op} of a Tensor the function computed",
            f"Call {op} outside the compiled function, or pass its input as an argument (keyed by its "
            "value: each new one traces again)",
        )


def numbers_in_torch_dtypes(name: str, fn: Any, *inputs: Any) -> Tensor:
    """``fn`` of the inputs' numbers (no gradient), in torch's dtypes for elementwise op ``name``
    (``ops.promotion``: bools computed as int64, the result cast back)."""
    tensors = tuple(x if isinstance(x, Tensor) else Tensor._node(_numbers(x)) for x in inputs)
    return promoted(name, lambda *xs: of_numbers(fn, *xs), tensors)


def _operand(x: Any) -> Any:
    """A Tensor as it is (a compiled step reads its numbers at every call), anything else's numbers."""
    return x if isinstance(x, Tensor) else _numbers(x)


def allclose(
    input: Any, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
) -> bool:
    """Whether ``|input - other| <= atol + rtol·|other|`` everywhere (broadcast), as ``torch.allclose``.

    Parameters
    ----------
    input, other : Tensor or array_like
        The two to compare (their numbers; no graph).
    rtol, atol : float
        The relative and the absolute tolerance.
    equal_nan : bool
        Count nan as equal to nan.

    Returns
    -------
    bool
    """
    return bool(isclose(input, other, rtol, atol, equal_nan).data.all())


def isclose(
    input: Any, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
) -> Tensor:
    """``|input - other| <= atol + rtol·|other|`` elementwise: a bool Tensor, as ``torch.isclose``.

    Parameters
    ----------
    input, other : Tensor or array_like
        The two to compare (their numbers; no graph).
    rtol, atol : float
        The relative and the absolute tolerance.
    equal_nan : bool
        Count nan as equal to nan.

    Returns
    -------
    Tensor
        bool, of the broadcast shape.
    """
    return of_numbers(lambda a, b: np.isclose(a, b, rtol, atol, equal_nan), _operand(input), _operand(other))


def equal(input: Any, other: Any) -> bool:
    """Whether ``input`` and ``other`` have the same shape and the same elements (nan equals
    nothing), as ``torch.equal``."""
    a, b = _numbers(input), _numbers(other)
    return a.shape == b.shape and bool(np.array_equal(a, b))


def is_tensor(obj: Any) -> bool:
    """Whether ``obj`` is a ``Tensor`` (a Parameter included), as ``torch.is_tensor``."""
    return isinstance(obj, Tensor)


__all__ += ["max", "min", "amax", "amin", "isnan", "isinf", "isfinite", "bmm", "mv", "addmm"]
__all__ += ["lerp", "dist", "meshgrid", "nonzero", "argwhere", "std_mean", "var_mean", "nansum", "nanmean"]
__all__ += ["where"]
__all__ += ["count_nonzero"]
__all__ += ["addcmul", "addcdiv", "msort", "cartesian_prod", "triu_indices", "tril_indices"]
__all__ += ["logit", "xlogy", "frac", "cdist", "unique", "bincount", "searchsorted", "bucketize"]
__all__ += ["block_diag", "quantile", "nanquantile", "heaviside", "histc"]
__all__ += ["allclose", "isclose", "equal", "is_tensor"]

# torch's Tensor members for these functions (``t.amax(1, keepdim=True)``)
tensor_methods(
    **{
        f.__name__: method_of(f)
        for f in (amax, amin, nansum, nanmean, count_nonzero, quantile, nanquantile, nonzero, argwhere)
    }
)
