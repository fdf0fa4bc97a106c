"""sign, floor, ceil, rint (round), trunc: derivative 0 almost everywhere, and plain results (no graph
node), as numpy gives; with ``create_graph`` nothing is recorded either."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .elementwise import Elementwise


def sign_array(a: np.ndarray) -> np.ndarray:
    """sign(a), 0 at nan (PyTorch's; numpy gives nan), in a's dtype."""
    return np.greater(a, 0).astype(a.dtype) - np.less(a, 0)


def _integral(f: Callable[[float], int]) -> Callable[[float], float]:
    """``f`` on floats as numpy's ufunc: inf and nan pass through, a zero keeps x's sign."""

    def rounded(x: float) -> float:
        if not math.isfinite(x):
            return x
        r = float(f(x))
        return r if r else math.copysign(0.0, x)

    rounded.__name__ = f"{f.__name__}_float"
    return rounded


def _plain(name: str, forward: Callable, forward_float: Callable | str, doc: str, **kw: Any) -> Elementwise:
    """An op with a plain result: its derivative is 0 (where it has one)."""
    return Elementwise(
        name, forward=forward, forward_float=forward_float, d="0", text="0", latex="0", plain=True, doc=doc,
        **kw,
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
RINT = _plain(
    "rint", np.rint, _integral(round), "x rounded to the nearest integer, half to even; a plain result.",
    torch=("round",), formula="floor(x + 1/2)",
)  # fmt: skip
TRUNC = _plain(
    "trunc", np.trunc, _integral(math.trunc), "x rounded towards 0; a plain result.", torch=("trunc", "fix"),
    formula="sign(x) * floor(Abs(x))",
)  # fmt: skip
