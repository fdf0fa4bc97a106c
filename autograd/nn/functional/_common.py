"""The helpers that ``autograd.nn.functional``'s modules share: the node an argument becomes, a
composed function applied to a Value, a real-number option checked by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..._tensor import Tensor
from ...value import Value
from ...value_array import ValueArray


def _node(x: Any) -> Any:
    """A Tensor, ValueArray or Value as given; numbers and arrays as a constant Tensor."""
    return x if isinstance(x, (Tensor, ValueArray, Value)) else Tensor(x)


def _composed(x: Any, fn: Callable[[Any], Any]) -> Any:
    """``fn`` (written with the array API: ``where``, ``.data``) applied to ``x``; a Value goes
    through it as a 0-d ValueArray and comes back a Value."""
    if isinstance(x, Value):
        return fn(ValueArray(x)).to_value()
    return fn(_node(x))


def _real(op: str, name: str, value: Any) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{op}: {name} must be a real number, got {type(value).__name__} {value!r}")
    return float(value)


def _checked_training(op: str, training: Any) -> bool:
    """``training`` as a bool (dropout's and rrelu's flag), or a TypeError naming ``op``."""
    if not isinstance(training, (bool, np.bool_)):
        raise TypeError(f"{op}: training must be a bool, got {type(training).__name__} {training!r}")
    return bool(training)
