"""Piecewise ops: relu, abs, clip, maximum, minimum, fmax, fmin, nan_to_num, copysign. Their
derivatives are selected by the data (a step, a sign, a tie's share, a finite input): under
``create_graph`` they are nodes whose own derivative is 0, as in PyTorch (copysign's ±1 is torch's
quotient out/x, whose derivative is 0 but for rounding)."""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

import numpy as np

from .._errors import ArgumentError
from .elementwise import Elementwise

INF = math.inf


def _relu_select(a: np.ndarray) -> np.ndarray:
    return np.where(a < 0, 0.0, a)


#: float32 arrays whose last axis is at least this long take relu against a row of zeros of that
#: length: numpy's contiguous (SIMD) loop, where against the scalar 0.0 it runs its strided loop
#: (a 128x256 float32 array: 7.5 µs against 17 µs; float64 and short rows gain nothing)
_ROW = 64
_zero_rows: dict[int, np.ndarray] = {}


def _zero_row(k: int) -> np.ndarray:
    row = _zero_rows.get(k)
    if row is None:
        if len(_zero_rows) > 64:  # (a bound on the cache: rows of many lengths)
            _zero_rows.clear()
        row = _zero_rows[k] = np.zeros(k, np.float32)
        row.flags.writeable = False
    return row


def _relu_max(a: np.ndarray) -> np.ndarray:
    if a.dtype == np.float32 and a.ndim and a.shape[-1] >= _ROW:
        return np.maximum(_zero_row(a.shape[-1]), a)
    return np.maximum(0.0, a)


def _relu_keeps_zero_sign() -> bool:
    """Whether numpy's max gives its second operand at a tie of zeros (x86 max semantics, numpy's
    SIMD loops), so that ``_relu_max`` passes -0.0 through: against 0.0 and against a row of zeros,
    on contiguous and strided arrays of several lengths, float32 and float64."""
    for dtype in (np.float32, np.float64):
        for n in (0, 1, 3, 8, 17, _ROW, 2 * _ROW + 3):
            a = np.full((3, 2 * n), -0.0, dtype)
            for x in (a, a[:, ::2], a[:, :n]):
                if not np.signbit(_relu_max(x)).all():
                    return False
    return bool(np.signbit(np.maximum(0.0, np.array(-0.0))))


#: relu's forward, torch's: 0 below 0, x elsewhere (-0.0 stays -0.0, nan stays nan). np.maximum(0.0, a)
#: is that where numpy's max gives its second operand at a tie of zeros, at a tenth of np.where's cost
relu_array = _relu_max if _relu_keeps_zero_sign() else _relu_select


def clip_array(a: np.ndarray, min: Any, max: Any) -> np.ndarray:
    return np.clip(a, min, max).astype(a.dtype, copy=False)


def clip_float(x: float, min: float, max: float) -> float:
    """x clamped into [min, max]: a nan bound gives nan and min > max gives max, as torch.clamp."""
    out = x
    if x < min or min != min:
        out = min
    if out > max or max != max:
        out = max
    return out


def clip_bounds(op: str, kind: str, min: Any, max: Any) -> tuple[Any, Any]:
    """clip's bounds checked, a missing one as ∓inf (a Tensor's, or the function's on numbers, may be
    arrays of numbers). ``kind``: "Value", "Tensor", "ValueArray" or "autograd" (the function)."""
    if min is None and max is None:
        raise ArgumentError(f"{kind}.{op}: expected at least one of min, max; got neither")
    return _bound(op, kind, "min", min, -INF), _bound(op, kind, "max", max, INF)


def _bound(op: str, kind: str, name: str, value: Any, missing: float) -> Any:
    if value is None:
        return missing
    if isinstance(value, Real) and not isinstance(value, bool):
        return float(value)
    arrays = kind in ("Tensor", "autograd")
    if arrays and not isinstance(value, (str, bytes)):
        arr = np.asarray(getattr(value, "data", value))
        if arr.dtype.kind in "iuf":
            return arr.astype(np.float64)
    what = "a real number, an array of them or None" if arrays else "a real number or None"
    raise TypeError(f"{kind}.{op}: {name} must be {what}, got {type(value).__name__} {value!r}")


def maximum_float(x: float, y: float) -> float:
    if x > y:
        return x
    if x < y:
        return y
    if x <= y:  # a tie
        return x
    return x if x != x else y  # a nan wins


def minimum_float(x: float, y: float) -> float:
    if x < y:
        return x
    if x > y:
        return y
    if x <= y:
        return x
    return x if x != x else y


def fmax_array(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The larger of a and b, a nan ignored; a tie gives a (at +0/-0 too), as torch.fmax."""
    return np.where((a >= b) | np.isnan(b), a, b)


def fmin_array(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The smaller of a and b, a nan ignored; a tie gives a, as torch.fmin."""
    return np.where((a <= b) | np.isnan(b), a, b)


def nan_to_num_params(op: str, kind: str, nan: Any, posinf: Any, neginf: Any) -> tuple[Any, Any, Any]:
    """nan_to_num's replacements checked: real numbers, or None (nan: 0; ±inf: the dtype's extremes)."""
    out = []
    for name, value in (("nan", nan), ("posinf", posinf), ("neginf", neginf)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, Real)):
            what = f"{type(value).__name__} {value!r}"
            raise TypeError(f"{kind}.{op}: {name} must be a real number or None, got {what}")
        out.append(None if value is None else float(value))
    return (0.0 if out[0] is None else out[0], out[1], out[2])


def nan_to_num_array(a: np.ndarray, nan: float, posinf: float | None, neginf: float | None) -> np.ndarray:
    return np.nan_to_num(a, nan=nan, posinf=posinf, neginf=neginf)


def nan_to_num_float(x: float, nan: float, posinf: float | None, neginf: float | None) -> float:
    if x != x:
        return nan
    if x == INF:
        return _MAX if posinf is None else posinf
    if x == -INF:
        return -_MAX if neginf is None else neginf
    return x


_MAX = float(np.finfo(np.float64).max)


def copysign_array(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """|a| with the sign (bit) of b, in the dtype torch promotes the two to: an integer or bool pair
    gives the default float dtype (numpy's copysign of two bools is float16)."""
    out = np.copysign(a, b)
    if out.dtype.kind != "f" or (a.dtype.kind != "f" and b.dtype.kind != "f"):
        from ..dtypes import get_default_dtype

        return out.astype(get_default_dtype())
    return out


# masked at and below 0 (-0.0 stays -0.0); nan stays nan and passes the gradient on (as PyTorch).
# The mask reads the output: out != 0 exactly where x > 0 or x is nan (one comparison, and the
# input need not be kept: a compiled step computes relu in place)
RELU = Elementwise(
    "relu",
    forward=relu_array,
    forward_float="0.0 if x < 0 else x",
    d="1",
    keep="out != 0",
    text="[x > 0]",
    latex=r"\mathbb{1}[x > 0]",
    torch=("relu",),
    formula="where(x > 0, x, 0)",
    doc="max(x, 0), elementwise; the gradient is 0 at and below 0, as in PyTorch.",
)
# the derivative is sign(x): 0 at 0 and at nan (PyTorch's sgn)
ABS = Elementwise(
    "abs",
    forward=np.abs,
    forward_float="abs(x)",
    d="sign(x)",
    text="sign(x)",
    latex=r"\operatorname{sign}(x)",
    operator="abs",
    ufuncs=(np.absolute, np.fabs),
    torch=("abs", "absolute"),
    formula="Abs(x)",
    doc="|x|, elementwise; the gradient is sign(x), 0 at 0.",
)
# gradient 1 inside [min, max], bounds included (as torch.clamp); masked outside and at nan
CLIP = Elementwise(
    "clip",
    forward=clip_array,
    forward_float=clip_float,
    d="1",
    keep="min <= x <= max",
    text="[min ≤ x ≤ max]",
    latex=r"\mathbb{1}[\text{min} \le x \le \text{max}]",
    params=("min", "max"),
    prepare=clip_bounds,
    ufuncs=(),
    torch=("clamp", "clip"),
    formula="where(x < min, min, where(x > max, max, x))",
    doc="x clamped into [min, max] (either may be None); the gradient is 1 inside, bounds included, "
    "and 0 outside.",
)
# the smaller input is masked; a tie splits the gradient evenly; a nan (either side) sends it to both
MAXIMUM = Elementwise(
    "maximum",
    forward=np.maximum,
    forward_float=maximum_float,
    inputs=("x", "y"),
    d=("where(x == y, 0.5, 1)", "where(x == y, 0.5, 1)"),
    keep=("not x < y", "not y < x"),
    text=("[x > y] + ½[x = y]", "[y > x] + ½[x = y]"),
    latex=(
        r"\mathbb{1}[x > y] + \frac{1}{2}\mathbb{1}[x = y]",
        r"\mathbb{1}[y > x] + \frac{1}{2}\mathbb{1}[x = y]",
    ),
    torch=("maximum",),
    formula="where(x >= y, x, y)",
    doc="The larger of x and y, elementwise (broadcasting); a tie splits the gradient evenly and a "
    "nan wins, as in PyTorch.",
)
MINIMUM = Elementwise(
    "minimum",
    forward=np.minimum,
    forward_float=minimum_float,
    inputs=("x", "y"),
    d=("where(x == y, 0.5, 1)", "where(x == y, 0.5, 1)"),
    keep=("not x > y", "not y > x"),
    text=("[x < y] + ½[x = y]", "[y < x] + ½[x = y]"),
    latex=(
        r"\mathbb{1}[x < y] + \frac{1}{2}\mathbb{1}[x = y]",
        r"\mathbb{1}[y < x] + \frac{1}{2}\mathbb{1}[x = y]",
    ),
    torch=("minimum",),
    formula="where(x <= y, x, y)",
    doc="The smaller of x and y, elementwise (broadcasting); a tie splits the gradient evenly and a "
    "nan wins, as in PyTorch.",
)
# as torch.fmax: the gradient goes to x where x ≥ y or y is nan (a tie too), else to y
FMAX = Elementwise(
    "fmax",
    forward=fmax_array,
    forward_float="x if x >= y or y != y else y",
    inputs=("x", "y"),
    d=("1", "1"),
    keep=("x >= y or y != y", "not (x >= y or y != y)"),
    text=("[x ≥ y]", "[x < y]"),
    latex=(r"\mathbb{1}[x \ge y]", r"\mathbb{1}[x < y]"),
    ufuncs=(np.fmax,),
    torch=("fmax",),
    formula="where(x >= y, x, y)",
    doc="The larger of x and y, elementwise (broadcasting), a nan ignored (the other wins); a tie sends "
    "the gradient to x, as in PyTorch.",
)
FMIN = Elementwise(
    "fmin",
    forward=fmin_array,
    forward_float="x if x <= y or y != y else y",
    inputs=("x", "y"),
    d=("1", "1"),
    keep=("x <= y or y != y", "not (x <= y or y != y)"),
    text=("[x ≤ y]", "[x > y]"),
    latex=(r"\mathbb{1}[x \le y]", r"\mathbb{1}[x > y]"),
    ufuncs=(np.fmin,),
    torch=("fmin",),
    formula="where(x <= y, x, y)",
    doc="The smaller of x and y, elementwise (broadcasting), a nan ignored (the other wins); a tie sends "
    "the gradient to x, as in PyTorch.",
)
# torch's g·isfinite(x): a product, so an inf or nan gradient at a replaced input gives nan, as in torch
NAN_TO_NUM = Elementwise(
    "nan_to_num",
    forward=nan_to_num_array,
    forward_float=nan_to_num_float,
    d="where(-inf < x < inf, 1, 0)",
    text="[−∞ < x < ∞]",
    latex=r"\mathbb{1}[-\infty < x < \infty]",
    params=("nan", "posinf", "neginf"),
    prepare=nan_to_num_params,
    ufuncs=(np.nan_to_num,),
    torch=("nan_to_num",),
    formula="x",
    doc="x with nan, inf and -inf replaced by nan (0), posinf and neginf (None: the dtype's largest "
    "and lowest numbers), elementwise; the gradient is 1 at finite x, 0 elsewhere.",
)
# torch's rule: g·(out/x), 0 where x is 0 (a product: an inf g there gives nan, as torch's); at ±inf
# and nan out/x is nan, as torch's. The sign's input y gets torch's zeros_like(y): masked everywhere
# (y < -inf never holds), so 0 even from an inf or nan g
COPYSIGN = Elementwise(
    "copysign",
    forward=copysign_array,
    forward_float=math.copysign,
    inputs=("x", "y"),
    d=("where(x == 0, 0, out / x)", "0"),
    keep=(None, "x < -inf"),  # (0 also where g is inf or nan; reads x, as torch saves it, not y)
    text=("sign(x)·sign(y)", "0"),
    latex=(r"\operatorname{sign}(x)\operatorname{sign}(y)", "0"),
    ufuncs=(np.copysign,),
    torch=("copysign",),
    formula="Abs(x) * sign(y)",
    doc="|x| with the sign of y (its sign bit: -0.0 counts as negative), elementwise (broadcasting); the "
    "gradient is ±1 to x (0 at x = 0, nan at ±inf and nan, as torch's out/x) and 0 to y.",
)
