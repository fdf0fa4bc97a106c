"""Writing values into a copy of an array at positions that are an input: torch's scatter family.

One forward, ``SCATTER(a, values, positions)``: a copy of ``a`` with each element of ``values``
written into (or reduced with) the element of ``a`` its flat position names, one at a time in the
order of ``positions`` (C order), as torch's CPU kernels write them. torch's ``scatter``,
``scatter_add``, ``scatter_reduce``, ``index_add``, ``index_copy``, ``index_fill``, ``index_put``,
``index_reduce``, ``masked_scatter`` and ``put`` differ only in how they name the positions, which
the Tensor methods (:mod:`autograd.scatter_ops`) compute from each call's index (so a compiled step
writes where that call says). Two primitives share it: ``SCATTER`` (a write or a sum, whose rules
read only the positions and the shapes) and ``SCATTER_REDUCED`` (prod, mean, amax, amin, whose
rules read the numbers); :func:`scatter_as` gives them torch's op names (``grad_fn``).

``reduce`` is None (a write: of repeated positions the last value stays), "sum", "prod", "mean",
"amax" or "amin"; ``include_self=False`` starts each written element from the reduction's identity
instead of ``a``'s element; ``skip``: a position -1 writes nothing (``masked_scatter``'s source
elements beyond the mask's count). The VJPs are torch's (``scatter_reduce_backward``): the values'
gradient is g gathered at their positions (every repeated position gets it, also where a later
value was written over it), ``a``'s is g, or 0 where a value was written over it; the mean divides
by the counts, amax and amin share g evenly among the elements equal to the result, prod divides the
result by the element (by a product computed without it where that is 0).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from .primitive import PerInput, Primitive
from .shape import GETITEM, Slot

REDUCTIONS = ("sum", "prod", "mean", "amax", "amin")
_UFUNCS = {"sum": np.add, "mean": np.add, "prod": np.multiply, "amax": np.maximum, "amin": np.minimum}


def _identity(reduce: str, dtype: np.dtype) -> Any:
    """What an element starts from with ``include_self=False`` (torch's: 0, 1, -inf or inf; an integer
    dtype's lowest or largest)."""
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    if dtype.kind == "f":
        return -np.inf if reduce == "amax" else np.inf
    info = np.iinfo(dtype) if dtype.kind in "iu" else None
    if info is None:
        return reduce == "amin"
    return info.min if reduce == "amax" else info.max


def _forward(
    a: np.ndarray, values: np.ndarray, positions: np.ndarray, reduce: str | None = None,
    include_self: bool = True, skip: bool = False,
) -> np.ndarray:  # fmt: skip
    out = np.array(a, copy=True, order="C")
    flat = out.reshape(-1)
    pos = positions.reshape(-1)
    vals = np.broadcast_to(values, positions.shape).reshape(-1)
    if skip:
        kept = pos >= 0
        pos, vals = pos[kept], vals[kept]
    if reduce is None:
        # (numpy writes in order: of repeated positions the last value stays, as torch's CPU)
        flat[pos] = vals
        return out
    if not include_self:
        flat[pos] = _identity(reduce, out.dtype)
    _UFUNCS[reduce].at(flat, pos, vals)  # (in order, one at a time: torch's kernel's order of operations)
    if reduce == "mean":
        counts = np.bincount(pos, minlength=flat.size)[: flat.size] + (1 if include_self else 0)
        counts = np.where(counts == 0, 1, counts).astype(out.dtype)
        if out.dtype.kind == "f":
            np.true_divide(flat, counts, out=flat)
        else:
            np.floor_divide(flat, counts, out=flat)
    return out


def hits(positions: Any, size: int, skip: bool = False) -> Any:
    """How many values are written into each of ``size`` elements (flat), from their positions."""
    pos = positions.reshape(-1)
    if skip:  # (position -1 writes nothing: counted past the end, then cut off)
        pos = np.where(pos >= 0, pos, size)
    return np.bincount(pos, minlength=size + 1)[:size]


# -- what the rules select by, each a node of the graph (``NUMBERS``: no gradient) computed from the
# positions and numbers at every call, also in a create_graph gradient a compiled step replays
def _unwritten(positions: np.ndarray, shape: tuple[int, ...], skip: bool) -> np.ndarray:
    return (hits(positions, int(np.prod(shape, dtype=np.int64)), skip) == 0).reshape(shape)


def _written(positions: np.ndarray) -> np.ndarray:
    return positions >= 0


def _terms(positions: np.ndarray, shape: tuple[int, ...], include_self: bool, dtype: Any) -> np.ndarray:
    """torch's N: the number of terms of each element's mean (at least 1), in ``dtype``."""
    n = hits(positions, int(np.prod(shape, dtype=np.int64))) + (1 if include_self else 0)
    return np.where(n == 0, 1, n).reshape(shape).astype(dtype)


def _equal(x: np.ndarray, result: np.ndarray, dtype: Any) -> np.ndarray:
    return (x == result).astype(dtype)


def _equal_at(values: np.ndarray, result: np.ndarray, positions: np.ndarray, dtype: Any) -> np.ndarray:
    return (values == result.reshape(-1)[positions]).astype(dtype)


def _shared(a_is: np.ndarray, values_is: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """torch's N_to_distribute: a's flag plus the values' flags added at their positions."""
    added = np.bincount(positions.reshape(-1), values_is.reshape(-1), a_is.size).reshape(a_is.shape)
    return (a_is + added).astype(a_is.dtype)


def _is_zero(x: np.ndarray) -> np.ndarray:
    return x == 0


def _zeros_in_product(zero: np.ndarray, positions: np.ndarray, size: int) -> np.ndarray:
    """For each value, how many values that are 0 share its product."""
    return np.bincount(positions.reshape(-1), zero.reshape(-1), size)[positions]


def _single(zero: np.ndarray, zeros: np.ndarray) -> np.ndarray:
    return zero & (zeros == 1)


def _nothing(*args: Any, **params: Any) -> None:
    return None  # (no gradient at all)


_nothing.shapes_only = True  # type: ignore[attr-defined]  # (reads no numbers: no version check)
#: ``fn`` of the inputs' numbers, a selection's flags or counts (logic.APPLY, whose nodes here may
#: hang off inputs that require grad: in a create_graph gradient, with derivative 0)
NUMBERS = Primitive("numbers", lambda *xs, fn: fn(*xs), PerInput(lambda i: _nothing), ("0",), constant=True)


def _by(ns: Any, fn: Callable[..., np.ndarray], *inputs: Any, **params: Any) -> Any:
    """``fn`` of the inputs' numbers, as a node no gradient passes (an array on arrays)."""
    return ns.apply(NUMBERS, *inputs, fn=partial(fn, **params) if params else fn)


def _at(ns: Any, x: Any, positions: Any) -> Any:
    """x (flattened) at the positions, indexed by the positions' node: torch's ``gather``."""
    return ns.apply(GETITEM, ns.reshape(x, (-1,)), positions, index=(Slot(0),))


def _not_written(ns: Any, g: Any, shape: tuple[int, ...], positions: Any, skip: bool) -> Any:
    """g with 0 where a value was written (torch's ``grad.scatter(dim, index, 0)``: a selection; a
    ``where`` node also where nothing is kept, so a compiled step selects by each call's positions)."""
    return ns.where(_by(ns, _unwritten, positions, shape=shape, skip=skip), g, 0.0, g)


def _no_gradient(ns: Any, g: Any, out: Any, a: Any, values: Any, positions: Any, **params: Any) -> None:
    return None  # (positions: no gradient)


def _linear_vjp(i: int) -> Callable[..., Any]:
    """A write or a sum: the rules read the positions and the shapes alone (not the numbers: a
    change in place of ``a`` or ``values`` after the forward pass leaves the gradient as it is)."""
    if i == 2:
        return _no_gradient

    def vjp(
        ns: Any, g: Any, out: Any, a: Any, values: Any, positions: Any, reduce: str | None = None,
        include_self: bool = True, skip: bool = False,
    ) -> Any:  # fmt: skip
        if i == 1:
            gathered = _at(ns, g, positions)
            return ns.where(_by(ns, _written, positions), gathered, 0.0, gathered) if skip else gathered
        return g if reduce == "sum" and include_self else _not_written(ns, g, a.shape, positions, skip)

    return vjp


def _reducing_vjp(i: int) -> Callable[..., Any]:
    """prod, mean, amax and amin: torch's rules (``_RULES``)."""
    if i == 2:
        return _no_gradient

    def vjp(
        ns: Any, g: Any, out: Any, a: Any, values: Any, positions: Any, reduce: str = "prod",
        include_self: bool = True, skip: bool = False,
    ) -> Any:  # fmt: skip
        gx = _RULES[reduce](i, ns, g, out, a, values, positions, include_self)
        return gx if i == 1 or include_self else _not_written(ns, gx, a.shape, positions, False)

    return vjp


def _mean_rule(
    i: int, ns: Any, g: Any, out: Any, a: Any, values: Any, positions: Any, include_self: bool
) -> Any:
    n = _by(ns, _terms, positions, shape=a.shape, include_self=include_self, dtype=g.dtype)
    if i == 0:
        return ns.divide(g, n)
    return ns.divide(_at(ns, g, positions), _at(ns, n, positions))


def _extreme_rule(
    i: int, ns: Any, g: Any, out: Any, a: Any, values: Any, positions: Any, include_self: bool
) -> Any:
    """g shared evenly among the elements equal to the result (a's included even where include_self is
    False: torch's), each share a product with the 0/1 flag (0 · inf is nan, as torch's)."""
    a_is = _by(ns, _equal, a, out, dtype=g.dtype)
    values_is = _by(ns, _equal_at, values, out, positions, dtype=g.dtype)
    distributed = ns.divide(g, _by(ns, _shared, a_is, values_is, positions))
    if i == 0:
        return ns.multiply(distributed, a_is)
    return ns.multiply(_at(ns, distributed, positions), values_is)


def _prod_rule(
    i: int, ns: Any, g: Any, out: Any, a: Any, values: Any, positions: Any, include_self: bool
) -> Any:
    """torch's: the result divided by the element, where that is 0 the product computed without it (a
    second zero in the same product makes the values' gradient once differentiable, as torch's)."""
    params = {"reduce": "prod", "include_self": include_self}
    if i == 0:
        masked = ns.where(_by(ns, _is_zero, a), 1.0, a, a)
        without = ns.apply(SCATTER_REDUCED, masked, values, positions, **params)
        return ns.divide(ns.multiply(g, without), masked)
    zero = _by(ns, _is_zero, values)
    zeros = _by(ns, _zeros_in_product, zero, positions, size=int(np.prod(a.shape, dtype=np.int64)))
    single = _by(ns, _single, zero, zeros)
    without = ns.apply(SCATTER_REDUCED, a, ns.where(single, 1.0, values, values), positions, **params)
    gx = ns.where(
        single,
        _at(ns, ns.multiply(g, without), positions),
        ns.divide(_at(ns, ns.multiply(g, out), positions), ns.where(zero, 1.0, values, values)),
        values,
    )
    if ns.name == "tensors" and (ns.num(zeros) > 1).any():
        gx = ns.apply(ONCE_DIFFERENTIABLE, gx, message=_TWO_ZEROS)
    return gx


_RULES = {
    "mean": _mean_rule,
    "prod": _prod_rule,
    "amax": _extreme_rule,
    "amin": _extreme_rule,
}
_TWO_ZEROS = (
    "scatter_reduce(): Double backward is unsupported for src when >1 zeros in src are scattered to the "
    "same position in self"
)


#: the rules as the drawings' edges say them (g = ∂L/∂out; N: the terms of a mean, or the ties)
_LINEAR_TEXT = ("g (a write: 0 where written)", "g at the position", "0")
_REDUCED_TEXT = (
    "prod: g·result/a; mean: g/N; amax, amin: g/N where a is the result",
    "g at the position × (prod: result/value; mean: 1/N; amax, amin: 1/N where it is the result)",
    "0",
)


def _scatter(name: str, vjp: Callable[[int], Callable[..., Any]] = _linear_vjp) -> Primitive:
    return Primitive(name, _forward, PerInput(vjp), _REDUCED_TEXT if vjp is _reducing_vjp else _LINEAR_TEXT)


#: ``a`` with ``values`` written at (or added into) their flat ``positions`` (``reduce`` None or "sum")
SCATTER = _scatter("scatter")
#: ... reduced into them with "prod", "mean", "amax" or "amin" (the same forward; rules that read the
#: numbers)
SCATTER_REDUCED = _scatter("scatter_reduce", _reducing_vjp)
#: both under torch's op names, so that ``grad_fn`` is torch's (IndexAddBackward0)
_AS = {(SCATTER.name, False): SCATTER, (SCATTER_REDUCED.name, True): SCATTER_REDUCED}


#: what torch's node saves for the gradient of self and of the values, where it saves more than the
#: linear rules read (-1 the result, 0 self, 1 the values; None: what the rule reads): scatter_reduce
#: saves self, src and its result for every reduction (sum too), index_add, index_copy and put their
#: source for its own gradient; a change in place of one of them after the forward pass makes the
#: backward pass refuse, as torch's (``_versions.reads``)
_TORCH_SAVES: dict[str, tuple[tuple[int, ...] | None, ...]] = {
    "scatter_reduce": ((-1, 0, 1), (-1, 0, 1)),
    "index_add": (None, (1,)),
    "index_copy": (None, (1,)),
    "put": (None, (1,)),
}


def _saving(saves: tuple[tuple[int, ...] | None, ...]) -> Callable[[int], Callable[..., Any]]:
    """:func:`_linear_vjp`'s rules, with the version checks of torch's node, which saves ``saves[i]``
    for input ``i``'s gradient."""

    def make(i: int) -> Callable[..., Any]:
        vjp = _linear_vjp(i)
        if i < 2 and saves[i] is not None:
            vjp.saves = saves[i]  # type: ignore[attr-defined]
        return vjp

    return make


def scatter_as(name: str, reduce: str | None = None) -> Primitive:
    """The primitive for ``reduce``, named as torch's op ``name``."""
    reducing = reduce not in (None, "sum")
    found = _AS.get((name, reducing))
    if found is None:
        saves = _TORCH_SAVES.get(name)
        vjp = _reducing_vjp if reducing else _linear_vjp if saves is None else _saving(saves)
        found = _AS[name, reducing] = _scatter(name, vjp)
    return found


def _refused(message: str) -> Callable[..., Any]:
    def vjp(*args: Any, **params: Any) -> Any:
        raise RuntimeError(message)

    return vjp


#: torch's ``scatter(..., reduce="add"/"multiply")``: the same numbers, no derivative (torch's error)
SCATTER_NO_DERIVATIVE = Primitive(
    "scatter_reduce_legacy",
    _forward,
    PerInput(
        lambda i: _refused(
            "the derivative for 'scatter' with reduce= is not implemented (as in torch); use "
            "scatter_reduce(dim, index, src, 'sum' or 'prod') for a differentiable reduction"
        )
    ),  # fmt: skip
    ("not differentiable (torch's)", "not differentiable (torch's)", "0"),
)


def _twice(*args: Any, message: str, **params: Any) -> Any:
    raise RuntimeError(message)


#: a gradient that cannot be differentiated again: itself, whose VJP raises ``message``
ONCE_DIFFERENTIABLE = Primitive(
    "once_differentiable", lambda x, message: x, (_twice,), ("differentiating it again raises",)
)
