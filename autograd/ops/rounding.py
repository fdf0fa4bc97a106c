"""sign, floor, ceil, rint (round), trunc, floor division and angle: derivative 0 almost everywhere,
and plain results (no graph node), as numpy gives; with ``create_graph`` nothing is recorded either."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .arithmetic import divide_float
from .elementwise import Elementwise


def sign_array(a: np.ndarray) -> np.ndarray:
    """sign(a), 0 at nan (PyTorch's; numpy gives nan), in a's dtype."""
    return np.greater(a, 0).astype(a.dtype) - np.less(a, 0)


def angle_array(a: np.ndarray) -> np.ndarray:
    """The angle of a real number, as PyTorch computes it: π below 0, 0 from 0 up (-0 included:
    numpy gives π there), nan at nan; in a's dtype."""
    return np.where(np.less(a, 0), np.pi, np.where(np.isnan(a), a, 0.0)).astype(a.dtype)


def angle_float(x: float) -> float:
    """:func:`angle_array` on a float."""
    return math.pi if x < 0 else (x if x != x else 0.0)


def _integral(f: Callable[[float], int]) -> Callable[[float], float]:
    """``f`` on floats as numpy's ufunc: inf and nan pass through, a zero keeps x's sign."""

    def rounded(x: float) -> float:
        if not math.isfinite(x):
            return x
        r = float(f(x))
        return r if r else math.copysign(0.0, x)

    rounded.__name__ = f"{f.__name__}_float"
    return rounded


def floor_divide_float(a: float, b: float) -> float:
    """a // b rounded down as numpy and torch compute it (from fmod, so exact where a/b would round
    across an integer: -7 // 0.7 is -11); a/b itself at b = 0."""
    try:
        return a // b
    except ZeroDivisionError:
        return divide_float(a, b)


def floor_divide_array(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """np.floor_divide, without warnings: x // 0 is ±inf or nan, as in torch."""
    with np.errstate(all="ignore"):
        return np.floor_divide(a, b)


def _plain(name: str, forward: Callable, forward_float: Callable | str, doc: str, **kw: Any) -> Elementwise:
    """An op with a plain result: its derivatives are 0 (where it has them)."""
    zeros = ("0",) * len(kw.get("inputs", "x"))
    return Elementwise(
        name, forward=forward, forward_float=forward_float, d=zeros, text=zeros, latex=zeros, plain=True,
        doc=doc, **kw,
    )  # fmt: skip


SIGN = _plain(
    "sign",
    sign_array,
    "1.0 if x > 0 else (-1.0 if x < 0 else 0.0)",
    "-1, 0 or 1 by the sign of x (0 at nan, as PyTorch); a plain result.",
    ufuncs=(np.sign,),
    torch=("sign",),
)
FLOOR = _plain(
    "floor", np.floor, _integral(math.floor), "The largest integer ≤ x; a plain result.", torch=("floor",)
)
CEIL = _plain(
    "ceil", np.ceil, _integral(math.ceil), "The smallest integer ≥ x; a plain result.", torch=("ceil",),
    formula="ceiling(x)",
)  # fmt: skip


def rint_array(a: np.ndarray) -> np.ndarray:
    """np.rint, an integer array's own numbers in its dtype (torch's ``round`` of an int64 tensor is
    int64; numpy's rint gives float64); a bool array is refused, as by torch."""
    if a.dtype.kind in "iu":
        return a.copy()
    if a.dtype.kind == "b":
        raise NotImplementedError(
            "round: not implemented for bool tensors (as torch's); round a float tensor"
        )
    return np.rint(a)


RINT = _plain(
    "rint", rint_array, _integral(round), "x rounded to the nearest integer, half to even; a plain result.",
    torch=("round",), formula="floor(x + 1/2)",
)  # fmt: skip
TRUNC = _plain(
    "trunc", np.trunc, _integral(math.trunc), "x rounded towards 0; a plain result.", torch=("trunc", "fix"),
    formula="sign(x) * floor(Abs(x))",
)  # fmt: skip
FLOOR_DIVIDE = _plain(
    "floor_divide", floor_divide_array, floor_divide_float, "x/y rounded down (x // y); a plain result.",
    inputs=("x", "y"), operator="//", ufuncs=(np.floor_divide,), torch=("floor_divide",),
    formula="floor(x / y)",
)  # fmt: skip
ANGLE = _plain(
    "angle", angle_array, angle_float,
    "The angle of x in the complex plane, for a real x: π if x < 0, else 0 (0 also at -0, as PyTorch; "
    "nan at nan); a plain result.",
    ufuncs=(np.angle,), torch=("angle",), formula="pi * Heaviside(-x)",
)  # fmt: skip
