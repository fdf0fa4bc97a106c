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
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import factories, ops, scatter_ops  # noqa: F401 (scatter_ops: the Tensor methods named below)
from ._argument_docs import describe as _describe
from ._tensor import Tensor
from .ops.elementwise import Elementwise, named, signature
from .value import Value
from .value_array import ValueArray

__all__: list[str] = []

#: the engine's node types (a function given one applies its method; other data becomes a Tensor)
NODES = (Tensor, ValueArray, Value)


def _unary(entry: Elementwise, x: Any, *params: Any) -> Any:
    if isinstance(x, NODES):
        return getattr(x, entry.name)(*params)
    if entry.prepare is not None:
        params = entry.prepare(entry.name, "autograd", *params)
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return entry.float_callable()(float(x), *params)
    return entry.forward(np.asarray(x, dtype=np.float64), *params)


def _binary(entry: Elementwise, x: Any, y: Any) -> Any:
    for kind in NODES:
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


def _function(entry: Elementwise, name: str) -> Any:
    if entry.arity == 2:
        if name in ("add", "sub", "subtract"):

            def function(input: Any, other: Any, *, alpha: Any = 1, out: Any = None) -> Any:
                if alpha != 1 or type(alpha) is bool:
                    if isinstance(input, Tensor) or isinstance(other, Tensor):  # (rounded once: Tensor.add)
                        x = input if isinstance(input, Tensor) else other._lift(input)
                        method = x.add if name == "add" else x.sub
                        return factories._into(out, method(other, alpha=alpha), name)
                    other = _binary(ops.BY_NAME["multiply"], other, alpha)
                return factories._into(out, _binary(entry, input, other), name)

        elif name in ("div", "divide"):

            def function(input: Any, other: Any, *, rounding_mode: str | None = None, out: Any = None) -> Any:
                if rounding_mode is None:
                    return factories._into(out, _binary(entry, input, other), name)
                if isinstance(input, Tensor) or isinstance(other, Tensor):
                    x = input if isinstance(input, Tensor) else factories.tensor(input)
                    return factories._into(out, x.div(other, rounding_mode=rounding_mode), name)
                if rounding_mode not in ("trunc", "floor"):
                    raise ValueError(
                        f"div: rounding_mode must be None, 'trunc' or 'floor', got {rounding_mode!r}"
                    )
                result = _unary(ops.BY_NAME[rounding_mode], _binary(entry, input, other))
                return factories._into(out, result, name)

        elif name == "pow":  # torch's names: pow(input, exponent), and pow(self=number, exponent=tensor)

            def function(*args: Any, out: Any = None, **kwargs: Any) -> Any:
                if "self" in kwargs and "input" not in kwargs:
                    kwargs["input"] = kwargs.pop("self")
                bound = _POWER.bind(*args, **kwargs)
                return factories._into(out, _binary(entry, *bound.args), name)

        else:

            def function(input: Any, other: Any, *, out: Any = None) -> Any:
                return factories._into(out, _binary(entry, input, other), name)

        return function
    if name == "round":  # (torch's decimals=: Tensor.round's)

        def rounded(input: Any, *, decimals: Any = None, out: Any = None) -> Any:
            if decimals is None:
                return factories._into(out, _unary(entry, input), name)
            return factories._into(out, as_node(input, name).round(decimals=decimals), name)

        return rounded
    if not entry.params:
        return lambda input, *, out=None: factories._into(out, _unary(entry, input), name)
    if name in _PARAMETER_FIRST:  # torch's polygamma(n, input)

        def first(n: Any, input: Any, *, out: Any = None) -> Any:
            return factories._into(out, _unary(entry, input, n), name)

        return first
    sig = signature(entry, "input")

    def function(*args: Any, out: Any = None, **kwargs: Any) -> Any:
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        return factories._into(out, _unary(entry, *bound.args), name)

    return function


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
    "divide": {"rounding_mode": None},
    "round": {"decimals": None},
}


#: torch's names of pow's operands (``self``, its name for a number base, is taken as ``input``)
_POWER = inspect.Signature(
    [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD) for n in ("input", "exponent")]
)

#: the functions whose parameter comes first, as torch's (the method takes it after self: x.polygamma(n))
_PARAMETER_FIRST = {"polygamma"}


def _make(entry: Elementwise, name: str) -> Any:
    """The function ``name`` of ``entry``: its signature and docstring (with torch's keywords)."""
    function = named(_function(entry, name), name, "", __name__, entry, first="input")
    if name in _PARAMETER_FIRST:
        parameters = [p.replace(default=p.empty) for p in function.__signature__.parameters.values()]
        function.__signature__ = function.__signature__.replace(parameters=parameters[::-1])
    if name == "pow":  # (torch's name of the second operand)
        parameters = [p.replace(name="exponent") if p.name == "other" else p
                      for p in function.__signature__.parameters.values()]  # fmt: skip
        function.__signature__ = function.__signature__.replace(parameters=parameters)
        function.__doc__ = function.__doc__.replace("\nother : ", "\nexponent : ")
    return _with_keywords(function, **_KEYWORDS.get(name, {}), out=None)


#: every spelling of every elementwise op, with its entry: its function is made when first used
#: (:func:`__getattr__`; all 93 at import were a tenth of its instructions), or again when the table's
#: entry is replaced after it was made
ELEMENTWISE: dict[str, Elementwise] = {}


def _install(entries: Sequence[Elementwise]) -> None:
    for entry in entries:
        for name in entry.names:
            ELEMENTWISE[name] = entry
            if name in globals():
                globals()[name] = _make(entry, name)


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
    "diag_embed",
    "diagonal",
    "tril",
    "triu",
    "repeat_interleave",
    "tile",
    "take_along_dim",
    "movedim",
    "moveaxis",
    "swapaxes",
    "swapdims",
    "broadcast_to",
    "ravel",
    "chunk",
    "tensor_split",
    "hsplit",
    "vsplit",
    "dsplit",
    "narrow",
    "select",
    "unbind",
    "unflatten",
    "index_select",
    "gather",
    "topk",
    "masked_select",
    "median",
    "nanmedian",
    "cummax",
    "cummin",
    "scatter",
    "scatter_add",
    "scatter_reduce",
    "index_add",
    "index_copy",
    "index_fill",
    "index_put",
    "index_put_",
    "index_reduce",
    "masked_scatter",
    "put",
)


def as_node(input: Any, name: str) -> Any:
    """``input`` when it has the method ``name``, else plain data as a Tensor (``autograd.tensor``)."""
    if isinstance(input, NODES) and hasattr(type(input), name):
        return input
    return factories.tensor(input)


#: the ones whose torch function also takes ``out=``
_WITH_OUT = {"matmul", "mm", "logsumexp", "sum", "mean", "var", "std", "argmax", "argmin", "all", "any"}


def _method_function(name: str) -> Any:
    method = _METHODS[name]

    if name in _WITH_OUT:

        def function(input: Any, *args: Any, out: Any = None, **kwargs: Any) -> Any:
            return factories._into(out, getattr(as_node(input, name), name)(*args, **kwargs), name)

    else:

        def function(input: Any, *args: Any, **kwargs: Any) -> Any:
            return getattr(as_node(input, name), name)(*args, **kwargs)

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


#: the methods as this module found them (their signatures and docstrings, read when each function is
#: made, are those before ``autograd`` gives Tensor's methods torch's keyword names)
_METHODS = {name: getattr(Tensor, name) for name in TENSOR_METHODS}


def __getattr__(name: str) -> Any:
    """An elementwise op's function (:data:`ELEMENTWISE`) or torch's function of the Tensor method
    ``name`` (:data:`TENSOR_METHODS`), made when first used: a signature and a docstring each (all 76
    at import were a tenth of its instructions). They are not in ``__all__``: ``autograd`` lists them,
    and gives each its ``out=`` when first used."""
    entry = ELEMENTWISE.get(name)
    if entry is not None:
        function = globals()[name] = _make(entry, name)
        return function
    if name not in TENSOR_METHODS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    function = globals()[name] = _method_function(name)
    return function


def __dir__() -> list[str]:
    return sorted({*globals(), *ELEMENTWISE, *TENSOR_METHODS})
