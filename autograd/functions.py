"""Module-level functions with PyTorch's (and numpy's) names: ``autograd.exp(x)``, ``autograd.atan2(y, x)``,
``autograd.clamp(x, min=0)``, ``autograd.matmul(a, b)``, ``autograd.softmax(x, dim=1)``.

The elementwise ones are generated from the table of :mod:`autograd.ops`, one per spelling of each
op. Each works on a ``Tensor``, a ``ValueArray`` or a ``Value`` (by that class's method; a number
beside one is a constant operand) and on plain numbers, where it gives the plain result (the
op's float forward for a Python number, its numpy forward for arrays): so one formula serves
the graph and the numbers. They take torch's ``out=`` (a Tensor the result is copied into), and
``add``/``sub`` torch's ``alpha=``, ``div`` its ``rounding_mode=``.

The others are torch's functions of the Tensor methods (:data:`TENSOR_METHODS`): ``autograd.f(x,
...)`` is ``x.f(...)``, with plain data made a tensor first (``autograd.tensor``); and ``max``/``min``
(torch's three forms), ``allclose``, ``isclose``, ``equal`` and ``is_tensor``.
"""

from __future__ import annotations

import builtins
import inspect
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import factories, ops
from ._tensor import Tensor, where
from .ops.elementwise import Elementwise, named, signature
from .value import Value
from .value_array import ValueArray

__all__: list[str] = []

_NODES = (Tensor, ValueArray, Value)


def _unary(entry: Elementwise, x: Any, *params: Any) -> Any:
    if isinstance(x, _NODES):
        return getattr(x, entry.name)(*params)
    if entry.prepare is not None:
        params = entry.prepare(entry.name, "autograd", *params)
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return entry.float_callable()(float(x), *params)
    return entry.forward(np.asarray(x, dtype=np.float64), *params)


def _binary(entry: Elementwise, x: Any, y: Any) -> Any:
    for kind in _NODES:
        if isinstance(x, kind):
            return getattr(x, entry.name)(y)
        if isinstance(y, kind):  # a constant on the left, as the class's reflected operator does
            left = y._lift(x) if kind is Tensor else kind(x)
            return getattr(left, entry.name)(y)
    if builtins.all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in (x, y)
    ):  # (all: torch's)
        return entry.float_callable()(float(x), float(y))
    return entry.forward(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))


def _into(out: Any, result: Any, name: str) -> Any:
    """torch's ``out=``: ``result`` copied into the Tensor ``out`` (same shape), which is returned.

    Raises:
        RuntimeError: ``out`` is not a Tensor of the result's shape, or the result requires grad
            (torch: "functions with out=... arguments don't support automatic differentiation").
    """
    if out is None:
        return result
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}: out must be a Tensor, got {type(out).__name__}")
    if isinstance(result, Tensor) and result.requires_grad:
        raise RuntimeError(
            f"{name}(): functions with out=... arguments don't support automatic differentiation, but one "
            "of the arguments requires grad"
        )
    shape = np.shape(result.data if isinstance(result, Tensor) else result)
    if shape != out.shape:
        raise RuntimeError(f"{name}: out has shape {out.shape}, the result {shape}")
    return out.copy_(result)


def _function(entry: Elementwise, name: str) -> Any:
    if entry.arity == 2:
        if name in ("add", "sub", "subtract"):

            def function(input: Any, other: Any, *, alpha: Any = 1, out: Any = None) -> Any:
                if alpha != 1:
                    other = _binary(ops.BY_NAME["multiply"], other, alpha)
                return _into(out, _binary(entry, input, other), name)

        elif name in ("div", "divide"):

            def function(input: Any, other: Any, *, rounding_mode: str | None = None, out: Any = None) -> Any:
                if rounding_mode is None:
                    return _into(out, _binary(entry, input, other), name)
                if isinstance(input, Tensor) or isinstance(other, Tensor):
                    x = input if isinstance(input, Tensor) else factories.tensor(input)
                    return _into(out, x.div(other, rounding_mode=rounding_mode), name)
                if rounding_mode not in ("trunc", "floor"):
                    raise ValueError(
                        f"div: rounding_mode must be None, 'trunc' or 'floor', got {rounding_mode!r}"
                    )
                return _into(out, _unary(ops.BY_NAME[rounding_mode], _binary(entry, input, other)), name)

        else:

            def function(input: Any, other: Any, *, out: Any = None) -> Any:
                return _into(out, _binary(entry, input, other), name)

        return function
    if not entry.params:
        return lambda input, *, out=None: _into(out, _unary(entry, input), name)
    sig = signature(entry, "input")

    def function(*args: Any, out: Any = None, **kwargs: Any) -> Any:
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        return _into(out, _unary(entry, *bound.args), name)

    return function


#: how the module functions' docstrings describe the arguments they take from torch
_ARGUMENTS = {
    "input": "input : Tensor or array_like\n    The tensor (plain data is made one, as ``autograd.tensor``).",
    "other": "other : Tensor or array_like\n    The second operand.",
    "mat2": "mat2 : Tensor or array_like\n    The right-hand matrix.",
    "alpha": "alpha : float\n    ``other`` is multiplied by ``alpha`` first (torch's argument; default 1).",
    "rounding_mode": (
        "rounding_mode : {None, 'trunc', 'floor'}\n    None (default) divides exactly; 'trunc' rounds the\n"
        "    quotient toward 0, 'floor' down (torch's argument)."
    ),
    "dim": "dim : int or tuple of int, optional\n    The dimension(s) to reduce or act on (torch's name).",
    "axis": "axis : int or tuple of int, optional\n    numpy's name for ``dim``; give one of the two.",
    "keepdim": "keepdim : bool\n    Keep the reduced dimensions with length 1 (torch's name).",
    "keepdims": "keepdims : bool\n    numpy's name for ``keepdim``.",
    "correction": "correction : int, optional\n    Subtracted from the count in the divisor (default 1).",
    "unbiased": "unbiased : bool, optional\n    The older spelling: True is ``correction=1``, False ``0``.",
    "out": (
        "out : Tensor, optional\n    A Tensor of the result's shape that the result is copied into and\n"
        "    that is returned (torch's argument; not for a result that requires grad)."
    ),
}


def _describe(function: Any, names: Sequence[str], method: str | None = None) -> None:
    """Add numpy-style entries for ``names`` to ``function``'s docstring (its Parameters section,
    made if missing), from :data:`_ARGUMENTS` or, for the rest, the method's own argument."""
    entries = [_ARGUMENTS.get(n) or f"{n}\n    As ``Tensor.{method}``'s ``{n}``." for n in names]
    doc = (function.__doc__ or "").rstrip()
    block = "\n".join(entries)
    if "\nParameters\n----------\n" not in doc:
        function.__doc__ = f"{doc}\n\nParameters\n----------\n{block}\n"
        return
    head, rest = doc.split("\nParameters\n----------\n", 1)
    after = re.search(r"\n\n\w[\w ]*\n-{3,}\n", rest)  # the next section, if any
    cut = after.start() if after else len(rest)
    function.__doc__ = f"{head}\nParameters\n----------\n{rest[:cut].rstrip()}\n{block}{rest[cut:]}\n"


def _with_keywords(function: Any, **keywords: Any) -> Any:
    """``function``'s generated signature, with torch's keyword-only arguments appended (and named
    in its docstring)."""
    sig = function.__signature__
    extra = [inspect.Parameter(k, inspect.Parameter.KEYWORD_ONLY, default=v) for k, v in keywords.items()]
    function.__signature__ = sig.replace(parameters=[*sig.parameters.values(), *extra])
    _describe(function, list(keywords))
    return function


_KEYWORDS = {
    "add": {"alpha": 1},
    "sub": {"alpha": 1},
    "subtract": {"alpha": 1},
    "div": {"rounding_mode": None},
}


def _install(entries: Sequence[Elementwise]) -> None:
    for entry in entries:
        for name in entry.names:
            function = named(_function(entry, name), name, "", __name__, entry, first="input")
            globals()[name] = _with_keywords(function, **_KEYWORDS.get(name, {}), out=None)
            if name not in __all__:
                __all__.append(name)


ops.generate(_install)


# ---------------------------------------------------------------------------
# torch's functions of the Tensor methods
# ---------------------------------------------------------------------------
#: ``autograd.<name>(input, ...)`` is ``input.<name>(...)``, with torch's argument names and order
TENSOR_METHODS = (
    "matmul",
    "mm",
    "softmax",
    "log_softmax",
    "logsumexp",
    "sum",
    "mean",
    "var",
    "std",
    "argmax",
    "argmin",
    "flatten",
    "reshape",
    "transpose",
    "permute",
    "squeeze",
    "unsqueeze",
    "t",
    "clone",
    "detach",
    "masked_fill",
    "numel",
    "clamp_min",
    "clamp_max",
    "all",
    "any",
    "sort",
    "argsort",
    "split",
    "flip",
    "fliplr",
    "flipud",
    "roll",
    "rot90",
    "diag",
    "diagonal",
    "tril",
    "triu",
    "repeat_interleave",
    "tile",
    "take_along_dim",
    "movedim",
    "swapaxes",
    "broadcast_to",
    "ravel",
    "chunk",
    "narrow",
    "index_select",
    "gather",
    "topk",
    "masked_select",
)


def _node(input: Any, name: str) -> Any:
    """``input`` when it has the method ``name``, else plain data as a Tensor (``autograd.tensor``)."""
    if isinstance(input, _NODES) and hasattr(type(input), name):
        return input
    return factories.tensor(input)


#: the ones whose torch function also takes ``out=``
_WITH_OUT = {"matmul", "mm", "logsumexp", "sum", "mean", "var", "std", "argmax", "argmin", "all", "any"}


def _method_function(name: str) -> Any:
    method = getattr(Tensor, name)

    if name in _WITH_OUT:

        def function(input: Any, *args: Any, out: Any = None, **kwargs: Any) -> Any:
            return _into(out, getattr(_node(input, name), name)(*args, **kwargs), name)

    else:

        def function(input: Any, *args: Any, **kwargs: Any) -> Any:
            return getattr(_node(input, name), name)(*args, **kwargs)

    sig = inspect.signature(method)
    first, *rest = sig.parameters.values()
    function.__signature__ = sig.replace(parameters=[first.replace(name="input"), *rest])  # type: ignore
    summary = (method.__doc__ or "").strip().split("\n\n")[0]
    function.__doc__ = f"``input.{name}(...)``: " + summary
    _describe(function, ["input", *(p.name for p in rest if p.kind is not p.VAR_KEYWORD)], name)
    if name in _WITH_OUT:
        _with_keywords(function, out=None)
    function.__name__ = function.__qualname__ = name
    function.__module__ = __name__
    return function


for _name in TENSOR_METHODS:
    globals()[_name] = _method_function(_name)
__all__ += TENSOR_METHODS


def max(input: Any, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001 (torch's name)
    """torch's three forms: ``max(x)`` the largest element (ties share the gradient); ``max(x, dim,
    keepdim=False)`` the named tuple ``(values, indices)`` along ``dim`` (the gradient goes to the
    first maximum); ``max(x, other)`` with a tensor ``other``: ``maximum``."""
    if isinstance(dim, (*_NODES, np.ndarray)):
        return maximum(input, dim)  # noqa: F821 (generated above)
    x = _node(input, "max")
    return x.max() if dim is None else x.max(dim=dim, keepdim=keepdim)


def min(input: Any, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001 (torch's name)
    """torch's three forms, as ``max``: the smallest element, ``(values, indices)`` along ``dim``, or
    ``minimum(x, other)``."""
    if isinstance(dim, (*_NODES, np.ndarray)):
        return minimum(input, dim)  # noqa: F821 (generated above)
    x = _node(input, "min")
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
    return _node(input, "max").max(None if dim == () else dim, keepdim)


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
    return _node(input, "min").min(None if dim == () else dim, keepdim)


def _flags(test: Any, summary: str) -> Any:
    def function(input: Any) -> Tensor:
        return Tensor._node(np.asarray(test(_numbers(input))))

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
    a, b = _node(input, "matmul"), _node(mat2, "matmul")
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
    a, v = _node(input, "matmul"), _node(vec, "matmul")
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
    product = _node(mat1, "matmul") @ _node(mat2, "matmul")
    product = product if alpha == 1 else product * alpha
    if beta == 0:
        return product
    base = _node(input, "matmul")
    return (base if beta == 1 else base * beta) + product


def rsqrt(input: Any) -> Any:
    """``1 / sqrt(input)`` (``torch.rsqrt``: inf at 0, nan below).

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    """
    return _node(input, "sqrt") ** -0.5


def lerp(input: Any, end: Any, weight: Any) -> Any:
    """``input + weight · (end - input)``, rounded as ``torch.lerp``: from ``end`` back,
    ``end - (end - input) · (1 - weight)``, where ``|weight| >= 0.5``.

    Parameters
    ----------
    input, end : Tensor or array_like
        The two ends.
    weight : float or Tensor
        The weight of ``end``.
    """
    start, stop = _node(input, "sub"), _node(end, "sub")
    gap = stop - start
    if not isinstance(weight, _NODES):
        return start + gap * weight if builtins.abs(weight) < 0.5 else stop - gap * (1 - weight)
    near = np.abs(np.asarray(weight.data)) < 0.5
    return where(near, start + gap * weight, stop - gap * (1 - weight))


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

    return vector_norm(_node(input, "sub") - _node(other, "sub"), p)


def meshgrid(*tensors: Any, indexing: str | None = None) -> tuple[Any, ...]:
    """Coordinate grids of 1-d tensors (``torch.meshgrid``): ``indexing`` "ij" (torch's default) or
    "xy" (the first two axes swapped, as numpy's default).

    Parameters
    ----------
    *tensors : Tensor or array_like
        The 1-d coordinates (or one sequence of them).
    indexing : str, optional
        "ij" or "xy" (default "ij").
    """
    items = list(tensors[0]) if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)) else list(tensors)
    if indexing not in (None, "ij", "xy"):
        raise ValueError(f'meshgrid: indexing must be "ij" or "xy", got {indexing!r}')
    vectors = [_node(t, "reshape") for t in items]
    if builtins.any(v.ndim != 1 for v in vectors):
        raise ValueError(f"meshgrid: expected 1-d tensors, got shapes {[v.shape for v in vectors]}")
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
    """The positions of the nonzero elements (``torch.nonzero``): an int64 tensor of shape (n, ndim),
    or with ``as_tuple`` one int64 tensor per axis.

    Parameters
    ----------
    input : Tensor or array_like
        The input (its numbers).
    as_tuple : bool
        One tensor per axis (default False).
    """
    data = _numbers(input)
    if as_tuple:
        return tuple(Tensor._node(np.asarray(i, dtype=np.int64)) for i in np.nonzero(np.atleast_1d(data)))
    return Tensor._node(np.argwhere(data).astype(np.int64))


def _numbers(x: Any) -> np.ndarray:
    return np.asarray(x.data if isinstance(x, (Tensor, ValueArray)) else x)


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
    return bool(np.allclose(_numbers(input), _numbers(other), rtol=rtol, atol=atol, equal_nan=equal_nan))


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
    return Tensor._node(np.asarray(np.isclose(_numbers(input), _numbers(other), rtol, atol, equal_nan)))


def equal(input: Any, other: Any) -> bool:
    """Whether ``input`` and ``other`` have the same shape and the same elements (nan equals
    nothing), as ``torch.equal``."""
    a, b = _numbers(input), _numbers(other)
    return a.shape == b.shape and bool(np.array_equal(a, b))


def is_tensor(obj: Any) -> bool:
    """Whether ``obj`` is a ``Tensor`` (a Parameter included), as ``torch.is_tensor``."""
    return isinstance(obj, Tensor)


__all__ += ["max", "min", "amax", "amin", "isnan", "isinf", "isfinite", "bmm", "mv", "addmm", "rsqrt"]
__all__ += ["lerp", "dist", "meshgrid", "nonzero"]
__all__ += ["allclose", "isclose", "equal", "is_tensor"]
