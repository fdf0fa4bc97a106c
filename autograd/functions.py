"""Module-level functions with PyTorch's (and numpy's) names: ``autograd.exp(x)``, ``autograd.atan2(y, x)``,
``autograd.clamp(x, min=0)``.

The elementwise ones are generated from the table of :mod:`autograd.ops`, one per spelling of each
op. Each works on a ``Tensor``, a ``ValueArray`` or a ``Value`` (by that class's method; a number
beside one is a constant operand) and on plain numbers, where it gives the plain result (the
op's float forward for a Python number, its numpy forward for arrays): so one formula serves
the graph and the numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from . import ops
from ._tensor import Tensor
from .ops.elementwise import Elementwise, named, signature
from .value import Value
from .value_array import ValueArray

__all__: list[str] = []


def _unary(entry: Elementwise, x: Any, *params: Any) -> Any:
    if isinstance(x, (Tensor, ValueArray, Value)):
        return getattr(x, entry.name)(*params)
    if entry.prepare is not None:
        params = entry.prepare(entry.name, "autograd", *params)
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return entry.float_callable()(float(x), *params)
    return entry.forward(np.asarray(x, dtype=np.float64), *params)


def _binary(entry: Elementwise, x: Any, y: Any) -> Any:
    for kind in (Tensor, ValueArray, Value):
        if isinstance(x, kind):
            return getattr(x, entry.name)(y)
        if isinstance(y, kind):  # a constant on the left, as the class's reflected operator does
            left = y._lift(x) if kind is Tensor else kind(x)
            return getattr(left, entry.name)(y)
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (x, y)):
        return entry.float_callable()(float(x), float(y))
    return entry.forward(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))


def _function(entry: Elementwise) -> Any:
    if entry.arity == 2:
        return lambda input, other: _binary(entry, input, other)
    if not entry.params:
        return lambda input: _unary(entry, input)
    sig = signature(entry, "input")

    def function(*args: Any, **kwargs: Any) -> Any:
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        return _unary(entry, *bound.args)

    return function


def _install(entries: Sequence[Elementwise]) -> None:
    for entry in entries:
        for name in entry.names:
            globals()[name] = named(_function(entry), name, "", __name__, entry, first="input")
            if name not in __all__:
                __all__.append(name)


ops.generate(_install)
