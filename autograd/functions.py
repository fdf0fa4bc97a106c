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
from .ops.elementwise import Elementwise, define
from .value import Value
from .value_array import ValueArray

__all__: list[str] = []


def _unary(entry: Elementwise, x: Any, *params: Any) -> Any:
    if isinstance(x, (Tensor, ValueArray, Value)):
        return getattr(x, entry.name)(*params)
    if entry.prepare is not None:
        params = entry.prepare(entry.name, "Tensor" if isinstance(x, np.ndarray) else "Value", *params)
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


def _source(entry: Elementwise, name: str) -> str:
    rules = "; ".join(f"∂/∂{r.input} = {r.text}" for r in entry.rules)
    doc = f'    """{entry.doc}\n\n    Local derivatives: {rules}.\n    """'
    if entry.arity == 2:
        return f"def _{name}_(input, other):\n{doc}\n    return _binary(_entry_{entry.name}, input, other)\n"
    params = "".join(f", {p}=None" for p in entry.params)
    args = "".join(f", {p}" for p in entry.params)
    return f"def _{name}_(input{params}):\n{doc}\n    return _unary(_entry_{entry.name}, input{args})\n"


def _install(entries: Sequence[Elementwise]) -> None:
    scope: dict[str, Any] = {"_unary": _unary, "_binary": _binary}
    names = [(entry, name) for entry in entries for name in entry.names]
    for entry in entries:
        scope[f"_entry_{entry.name}"] = entry
    functions = define([(n, _source(e, n)) for e, n in names], scope, "", __name__)
    for name, function in functions.items():
        globals()[name] = function
        if name not in __all__:
            __all__.append(name)


ops.generate(_install)
