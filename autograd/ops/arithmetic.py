"""+, -, *, /, **, % (remainder, fmod), negation, and the spellings composed of them (square, positive)."""

from __future__ import annotations

import math

import numpy as np

from ..dtypes import get_default_dtype
from .elementwise import Composed, Elementwise

INF, NAN = math.inf, math.nan


# --- IEEE-style float helpers: Python raises where PyTorch returns inf/nan
def divide_float(a: float, b: float) -> float:
    """a / b as IEEE (and torch): ±inf for a nonzero a over 0, nan for 0/0."""
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0 or a != a:
            return NAN
        return math.copysign(INF, a) * math.copysign(1.0, b)


def _odd_integer(b: float) -> bool:
    return math.isfinite(b) and b == int(b) and int(b) % 2 == 1


def power_float(a: float, b: float) -> float:
    """a ** b as the C pow: inf for 0 ** negative, nan for a negative base with a fractional
    exponent (never a complex number), inf on overflow."""
    try:
        r = a**b
    except ZeroDivisionError:  # 0.0 ** negative
        return math.copysign(INF, a) if _odd_integer(b) else INF
    except OverflowError:  # (a negative base with a fractional exponent overflows as a complex)
        return NAN if (a < 0 and b != int(b)) else -INF if (a < 0 and _odd_integer(b)) else INF
    return NAN if isinstance(r, complex) else r


def power_scalar_float(a: float, k: float) -> float:
    """a ** k for a constant k, as PyTorch's ``x ** k``: k = ±0.5 is a square root (so (-inf) ** 0.5
    is nan, and (-0.0) ** 0.5 is -0.0), k = 3 the product a·a·a and k = -2 the quotient 1/(a·a)
    (torch's kernel multiplies there, rounding twice), any other k the C pow."""
    if k == 0.5 or k == -0.5:
        root = (math.sqrt(a) if a >= 0 else NAN) if a != INF else INF
        return root if k > 0 else divide_float(1.0, root)
    if k == 3.0:
        return a * a * a
    if k == -2.0:
        return divide_float(1.0, a * a)
    return power_float(a, k)


def power_array(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a ** b; for one float exponent, as PyTorch's CPU kernel: ±0.5 is a square root (rsqrt at -0.5:
    (-inf) ** 0.5 is nan and (-0.0) ** -0.5 is -inf, where the C pow gives inf for both), 3 the
    product a·a·a and -2 the quotient 1/(a·a) (two roundings: numpy's pow differs in the last bit
    on about a quarter of the elements); any other exponent numpy's pow."""
    k = float(b) if getattr(b, "ndim", 0) == 0 else None  # (one float: comparing 0-d arrays costs µs)
    if k == 0.5 or k == -0.5:
        root = np.sqrt(a)
        return root if k > 0 else np.divide(1, root, dtype=root.dtype)
    if (k == 3.0 or k == -2.0) and a.dtype.kind == "f" and np.result_type(a, b) == a.dtype:
        square = a * a
        return square * a if k > 0 else np.divide(1, square, dtype=a.dtype)
    try:
        return np.power(a, b)  # (numpy's square, root and reciprocal of one exponent 2, 0.5, -1: torch's)
    except ValueError:  # (integers to a negative integer power: numpy refuses them)
        return integer_power(a, b)


def tensor_power_array(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a ** b for a tensor exponent (0-d too), as torch's kernel then: the C pow for every exponent
    (torch's products and roots are its number exponent's), integers by ``integer_power``. torch's
    vectorized body calls SLEEF's pow, whose last bit differs from the C pow on about 1-2% of the
    elements."""
    if b.dtype.kind in "iu" and a.dtype.kind in "iu":
        return integer_power(a, b)
    if b.size == 1 and b.dtype.kind == "f" and float(b.reshape(())) in (2.0, 0.5, -1.0):
        # numpy's pow of one exponent of these is a square, a root, a reciprocal: (-inf) ** 0.5 is
        # nan, (-0.0) ** 0.5 is -0.0 (the C pow: inf, 0.0); one exponent per element is its pow
        shape = np.broadcast_shapes(a.shape, b.shape)
        out = np.power(a.reshape(shape or (1,)), np.full(shape or (1,), b.reshape(()), b.dtype))
        return out.reshape(shape)
    return np.power(a, b)


def integer_power(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a ** b of integers, as torch's kernel: a negative exponent gives 0, except 1 for a base of 1
    and ±1 for a base of -1 (by the exponent's parity), where numpy raises."""
    negative = b < 0
    if not negative.any():
        return np.power(a, b)
    out = np.asarray(np.power(a, np.where(negative, b & 1, b)))  # (a ** (b & 1): ±1's parity)
    return np.where(negative & (np.abs(a) != 1), np.zeros((), out.dtype), out)


def reciprocal_array(a: np.ndarray) -> np.ndarray:
    """1/x; of integers or bools in the default float dtype, as torch's (numpy's integer reciprocal
    truncates: 1/2 is 0)."""
    return np.reciprocal(a.astype(get_default_dtype()) if a.dtype.kind in "biu" else a)


def reciprocal_float(a: float) -> float:
    return divide_float(1.0, a)


def fmod_float(a: float, b: float) -> float:
    """The C fmod (the remainder of a/b truncated, with a's sign): nan for an infinite a or b = 0."""
    try:
        return math.fmod(a, b)
    except ValueError:
        return NAN


def remainder_float(a: float, b: float) -> float:
    """a mod b with b's sign, as torch.remainder: fmod, plus b where the signs differ (a zero result
    keeps a's sign, where Python's % gives b's)."""
    mod = fmod_float(a, b)
    return mod + b if mod != 0 and (b < 0) != (mod < 0) else mod


def remainder_array(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``remainder_float`` on arrays (numpy's np.remainder gives a zero b's sign)."""
    mod = np.asarray(np.fmod(a, b))
    return np.add(mod, b, out=mod, where=(mod != 0) & ((b < 0) != (mod < 0)))


ADD = Elementwise(
    "add",
    forward=np.add,
    forward_float="x + y",
    inputs=("x", "y"),
    d=("1", "1"),
    text=("1", "1"),
    latex=("1", "1"),
    operator="+",
    torch=("add",),
    formula="x + y",
    doc="x + y, elementwise (broadcasting).",
)
SUBTRACT = Elementwise(
    "subtract",
    forward=np.subtract,
    forward_float="x - y",
    inputs=("x", "y"),
    d=("1", "-1"),
    text=("1", "−1"),
    latex=("1", "-1"),
    operator="-",
    torch=("sub", "subtract"),
    formula="x - y",
    doc="x - y, elementwise (broadcasting).",
)
MULTIPLY = Elementwise(
    "multiply",
    forward=np.multiply,
    forward_float="x * y",
    inputs=("x", "y"),
    d=("y", "x"),
    text=("y", "x"),
    latex=("y", "x"),
    operator="*",
    torch=("mul", "multiply"),
    formula="x * y",
    doc="x * y, elementwise (broadcasting).",
)
# the divisor's derivative is -(x/y)/y, as torch computes it (-g·((x/y)/y), the quotient computed
# again: torch's node saves the operands, not the quotient, so a later write into the quotient leaves
# the backward pass alone): for x/x its share is then exactly minus the dividend's on a Value (whose
# backward multiplies the local derivatives by g)
DIVIDE = Elementwise(
    "divide",
    forward=np.divide,
    forward_float=divide_float,
    inputs=("x", "y"),
    d=("1 / y", "-(x / y) / y"),
    text=("1/y", "−x/y²"),
    latex=(r"\frac{1}{y}", r"-\frac{x}{y^2}"),
    operator="/",
    torch=("div", "divide", "true_divide"),
    formula="x / y",
    doc="x / y, elementwise (broadcasting); x/0 is ±inf and 0/0 nan, as in PyTorch.",
)
# x ** 0 is constant, also at x = 0: masked (never 0 · inf), as PyTorch; the exponent inside the rule
# is then 0, not -1, so differentiating the rule again meets no inf either. d(x^y)/dy = x^y ln x is
# taken as 0 at x = 0, y >= 0 (PyTorch multiplies by that 0), and computed at x = 1 there, so its own
# derivatives are finite too (the Hessian of 0 ** y at y > 0 is 0, as torch.func's)
POWER = Elementwise(
    "power",
    forward=power_array,
    forward_float=power_float,
    inputs=("x", "y"),
    d=(
        "y * x ** where(y != 0, y - 1, 0)",
        "where(not (x == 0 and y >= 0), out * log(where(not (x == 0 and y >= 0), x, 1)), 0)",
    ),
    keep=("y != 0", None),
    text=("y·x^(y − 1)", "x^y·ln(x)"),
    latex=(r"y x^{y-1}", r"x^{y} \ln x"),
    operator="**",
    ufuncs=(np.power, np.float_power),
    torch=("pow",),
    formula="x ** y",
    doc="x ** y, elementwise (broadcasting); a negative base with a fractional exponent gives nan.",
    scalar={"forward_float": power_scalar_float, "label": "**{0:g}"},
)
NEGATIVE = Elementwise(
    "negative",
    forward=np.negative,
    forward_float="-x",
    d="-1",
    text="−1",
    latex="-1",
    operator="neg",
    torch=("neg", "negative"),
    formula="-x",
    doc="-x, elementwise.",
)
RECIPROCAL = Elementwise(
    "reciprocal",
    forward=reciprocal_array,
    ufuncs=(np.reciprocal,),
    forward_float=reciprocal_float,
    d="-out * out",
    text="−1/x²",
    latex=r"-\frac{1}{x^2}",
    torch=("reciprocal",),
    formula="1 / x",
    doc="1/x, elementwise (±inf at ±0).",
)
# ∂/∂y is minus the quotient rounded down (torch's floor division, exact where a/b would round
# across an integer): torch's backward. No graph flows through the quotient
REMAINDER = Elementwise(
    "remainder",
    forward=remainder_array,
    forward_float=remainder_float,
    inputs=("x", "y"),
    d=("1", "-floor_divide(x, y)"),
    text=("1", "−floor(x/y)"),
    latex=("1", r"-\left\lfloor \frac{x}{y} \right\rfloor"),
    operator="%",
    ufuncs=(np.remainder,),
    torch=("remainder",),
    aliases=("mod",),
    formula="x - y * floor(x / y)",
    doc="x mod y with the sign of y (Python's %, torch.remainder), elementwise (broadcasting).",
)
FMOD = Elementwise(
    "fmod",
    forward=np.fmod,
    forward_float=fmod_float,
    inputs=("x", "y"),
    d=("1", "-trunc(x / y)"),
    text=("1", "−trunc(x/y)"),
    latex=("1", r"-\operatorname{trunc}(x/y)"),
    torch=("fmod",),
    formula="x - y * trunc(x / y)",
    doc="The remainder of x/y truncated, with the sign of x (C's fmod), elementwise (broadcasting).",
)
# as torch composes them: square is a power node, positive the node itself
SQUARE = Composed("square", of="x ** 2", ufuncs=(np.square,), torch=("square",), doc="x², elementwise.")
POSITIVE = Composed(
    "positive", of="x", operator="pos", ufuncs=(np.positive,), torch=("positive",), doc="+x: x itself."
)
# (a real number is its own conjugate: numpy's var and std of Values call it on each)
CONJUGATE = Composed(
    "conjugate", of="x", ufuncs=(np.conjugate,), torch=("conj",), doc="The complex conjugate: x itself."
)
