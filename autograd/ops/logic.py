"""Operations no gradient passes through: comparisons, the logic of masks, and ``detach``.

Their results never require grad (a bool mask, a value to hold fixed); ``APPLY`` is any numpy
function of the inputs' arrays (``autograd._tensor.nograd``). They are primitives all
the same, so that a compiled step, which records them while tracing (``mode.record_all``),
computes each mask from each call's numbers (``where(x > 0, x, 0.1 * x)`` selects by the new
``x``), rather than keeping the mask the trace saw. Eager code does not record them.

A Python number compared with a Tensor stays a Python number (the ``other`` parameter), so it
is cast to the Tensor's dtype as numpy and torch cast a scalar (``x32 > 0.1`` compares with
float32's 0.1).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .primitive import PerInput, Primitive


def _none(*args: Any) -> None:
    return None  # no gradient at all (not zeros)


def _constant(name: str, ufunc: Callable[..., Any], arity: int) -> Primitive:
    if arity == 1:
        return Primitive(name, ufunc, (_none,), ("0",), constant=True)
    # (the second operand: an input, or a Python number given as `other`)
    return Primitive(
        name,
        lambda a, b=None, other=None: ufunc(a, other if b is None else b),
        (_none, _none),
        ("0", "0"),
        constant=True,
    )


LT, LE = _constant("lt", np.less, 2), _constant("le", np.less_equal, 2)
GT, GE = _constant("gt", np.greater, 2), _constant("ge", np.greater_equal, 2)
EQ, NE = _constant("eq", np.equal, 2), _constant("ne", np.not_equal, 2)
AND, OR = _constant("bitwise_and", np.bitwise_and, 2), _constant("bitwise_or", np.bitwise_or, 2)
XOR = _constant("bitwise_xor", np.bitwise_xor, 2)
NOT = _constant("bitwise_not", np.invert, 1)
LSHIFT = _constant("bitwise_left_shift", np.left_shift, 2)
RSHIFT = _constant("bitwise_right_shift", np.right_shift, 2)
#: the same values, held fixed: ``x.detach()``
DETACH = _constant("detach", lambda x: x, 1)
#: ``fn`` of the inputs' arrays (a mask, a bound, a fixed value: the library's masks by the numbers)
APPLY = Primitive("apply", lambda *xs, fn: fn(*xs), PerInput(lambda i: _none), ("0", "0"), constant=True)


def _draw(like: Any, *after: Any, draw: Callable[[tuple[int, ...]], Any]) -> Any:
    # (np.asarray reads the array, so a compiled step writes a line calling this, never a constant;
    # `after`: the draw before this one, so the step draws in the eager run's order)
    return draw(np.shape(np.asarray(like)))


#: random numbers of the first input's shape, ``draw(shape)`` (a dropout mask)
DRAW = Primitive("draw", _draw, PerInput(lambda i: _none), ("0", "0"), constant=True)
