"""Argument checks shared by optimizers, schedulers and checkpoint loading, and the
annotations that attach them to an optimizer's hyperparameters.

Every check ``check(name, value)`` raises with a message that names the argument, what
was expected and what came in: ``TypeError`` for a wrong type (``lr='0.1'``),
``ValueError`` for a value out of range (``lr=-1``). Booleans are not numbers here
(``lr=True`` is a TypeError); numpy scalars are accepted. Each check returns the value
(pairs as tuples).

An optimizer declares a hyperparameter once, as a keyword argument of its ``__init__``
annotated with its check: ``lr: LearningRate = 1e-3`` (``Annotated[float, check]``; a
type checker sees ``float``). See ``Optimizer``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import numpy as np


def _bad_type(name: str, expected: str, value: Any) -> TypeError:
    return TypeError(f"Invalid {name}: expected {expected}, got {type(value).__name__} {value!r}")


def _bad_value(name: str, expected: str, value: Any) -> ValueError:
    return ValueError(f"Invalid {name}: expected {expected}, got {value!r}")


def check_real(name: str, value: Any) -> Any:
    """``value`` is a real number (int, float or numpy scalar; not bool, complex or str)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or isinstance(value, np.bool_):
        raise _bad_type(name, "a real number", value)
    return value


def check_range(
    name: str,
    value: Any,
    low: float | None = None,
    high: float | None = None,
    *,
    low_open: bool = False,
    high_open: bool = False,
    finite: bool = True,
) -> Any:
    """``low <= value <= high`` (``<`` on an open side; ``None`` = unbounded), and finite
    unless ``finite=False``. NaN is always refused."""
    check_real(name, value)
    expected = name
    if high is not None:
        expected = f"{expected} {'<' if high_open else '<='} {high:g}"
    if low is not None:
        if high is None:
            expected = f"{expected} {'>' if low_open else '>='} {low:g}"
        else:
            expected = f"{low:g} {'<' if low_open else '<='} {expected}"
    ok = not math.isnan(value)
    if ok and low is not None:
        ok = value > low if low_open else value >= low
    if ok and high is not None:
        ok = value < high if high_open else value <= high
    if not ok:
        raise _bad_value(name, expected, value)
    if finite and not math.isfinite(value):
        raise _bad_value(name, f"a finite {expected}", value)
    return value


def check_nonneg(name: str, value: Any) -> Any:
    """A finite real ``value >= 0``."""
    return check_range(name, value, low=0)


def check_unit(name: str, value: Any, *, high_open: bool = False) -> Any:
    """A real in ``[0, 1]`` (``[0, 1)`` with ``high_open``), e.g. ``rho``, ``dampening``."""
    return check_range(name, value, low=0, high=1, high_open=high_open)


def check_betas(name: str, value: Any, length: int = 2) -> tuple[Any, ...]:
    """A tuple or list of ``length`` reals, each in ``[0, 1)``; returned as a tuple."""
    if not isinstance(value, (tuple, list)):
        raise _bad_type(name, f"a tuple of {length} floats", value)
    if len(value) != length:
        raise _bad_value(name, f"a tuple of {length} floats", tuple(value))
    for i, beta in enumerate(value):
        check_real(f"{name}[{i}]", beta)
        if not 0.0 <= beta < 1.0:
            raise ValueError(
                f"Invalid beta parameter at index {i}: expected 0 <= {name}[{i}] < 1, got {beta!r}"
            )
    return tuple(value)


def check_int(name: str, value: Any, low: int | None = None) -> Any:
    """An integer (int or numpy integer; not bool, not an integral float), ``>= low`` if given."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise _bad_type(name, "an integer", value)
    if low is not None and value < low:
        raise _bad_value(name, f"an integer {name} >= {low}", value)
    return value


def check_int_positive(name: str, value: Any) -> Any:
    """An integer ``>= 1``."""
    return check_int(name, value, low=1)


def check_bool(name: str, value: Any) -> Any:
    """``True`` or ``False`` (numpy bools too)."""
    if not isinstance(value, (bool, np.bool_)):
        raise _bad_type(name, "a bool", value)
    return value


def check_choice(name: str, value: Any, choices: Collection[Any]) -> Any:
    """``value`` is one of the ``choices`` (strings, or None)."""
    if not (value is None or isinstance(value, str)) or value not in choices:
        options = " or ".join(repr(c) for c in choices)
        raise _bad_value(name, options, value)
    return value


def check_pair(name: str, value: Any) -> tuple[Any, Any]:
    """A tuple or list of two items, returned as a tuple (the caller checks the items,
    naming them ``name[0]`` and ``name[1]``)."""
    if not isinstance(value, (tuple, list)):
        raise _bad_type(name, "a tuple of 2 values", value)
    if len(value) != 2:
        raise _bad_value(name, "a tuple of 2 values", tuple(value))
    return value[0], value[1]


@contextmanager
def at(where: str) -> Iterator[None]:
    """Prefix the message of a TypeError / ValueError raised inside with ``where``
    (e.g. ``param_groups[1]``), keeping its type; for errors in nested data."""
    try:
        yield
    except (TypeError, ValueError) as e:
        kind = TypeError if isinstance(e, TypeError) else ValueError
        raise (type(e) if type(e) in (TypeError, ValueError) else kind)(f"{where}: {e}") from None


# Hyperparameter annotations: the type, and the check that the constructor and load_state_dict apply.
LearningRate = Annotated[float, check_nonneg]
NonNegative = Annotated[float, check_nonneg]
Real = Annotated[float, check_real]
UnitInterval = Annotated[float, check_unit]
Betas = Annotated[tuple[float, float], check_betas]
Flag = Annotated[bool, check_bool]
PositiveInt = Annotated[int, check_int_positive]
