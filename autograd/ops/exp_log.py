"""Exponentials, logarithms (natural, base 2 and 10), log-sum-exp of two, and the square root."""

from __future__ import annotations

import math

import numpy as np

from .elementwise import Elementwise

INF, NAN, LN2 = math.inf, math.nan, math.log(2.0)
LOG2E = 1.4426950408889634  # (1/ln 2, numpy's)


def exp_float(a: float) -> float:
    try:
        return math.exp(a)
    except OverflowError:
        return INF


def expm1_float(a: float) -> float:
    try:
        return math.expm1(a)
    except OverflowError:
        return INF


def log_float(a: float) -> float:
    if a > 0:
        return math.log(a)
    return -INF if a == 0 else NAN


def log1p_float(a: float) -> float:
    if a > -1:
        return math.log1p(a)
    return -INF if a == -1 else NAN


def exp2_float(a: float) -> float:
    try:
        return 2.0**a
    except OverflowError:
        return INF


def log2_float(a: float) -> float:
    if a > 0:
        return math.log2(a)
    return -INF if a == 0 else NAN


def log10_float(a: float) -> float:
    if a > 0:
        return math.log10(a)
    return -INF if a == 0 else NAN


def logaddexp_float(a: float, b: float) -> float:
    """log(e^a + e^b) as numpy computes it: the larger plus log1p(e^-|a - b|)."""
    if a == b:  # (equal infinities too: no inf - inf)
        return a + LN2
    d = a - b
    if d > 0:
        return a + math.log1p(math.exp(-d))
    return b + math.log1p(math.exp(d)) if d <= 0 else d  # (d is nan)


def logaddexp2_float(a: float, b: float) -> float:
    """log2(2^a + 2^b) as numpy computes it (x + 1 at x = y; torch rounds that to an ulp below)."""
    if a == b:
        return a + 1.0
    d = a - b
    if d > 0:
        return a + math.log1p(exp2_float(-d)) * LOG2E
    return b + math.log1p(exp2_float(d)) * LOG2E if d <= 0 else d


def sqrt_float(a: float) -> float:
    return math.sqrt(a) if a >= 0 else NAN  # (-0.0 gives -0.0, as torch)


def rsqrt_float(a: float) -> float:
    """1 / sqrt(a), computed so, as torch's (inf at +0, -inf at -0.0, nan below 0)."""
    if a == 0:
        return math.copysign(math.inf, a)
    return 1.0 / math.sqrt(a) if a >= 0 else NAN


def rsqrt_array(a: np.ndarray) -> np.ndarray:
    """1 / sqrt(a): torch's rsqrt to the bit (float32 and float64)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.reciprocal(np.sqrt(a))


EXP = Elementwise(
    "exp",
    forward=np.exp,
    forward_float=exp_float,
    d="out",
    text="exp(x)",
    latex="e^{x}",
    torch=("exp",),
    doc="e ** x, elementwise (inf on overflow).",
)
EXPM1 = Elementwise(
    "expm1",
    forward=np.expm1,
    forward_float=expm1_float,
    d="out + 1",
    text="exp(x)",
    latex="e^{x}",
    torch=("expm1",),
    formula="exp(x) - 1",
    doc="e ** x - 1, exact for small x, elementwise.",
)
EXP2 = Elementwise(
    "exp2",
    forward=np.exp2,
    forward_float=exp2_float,
    d="out * log(2)",
    text="2^x·ln(2)",
    latex=r"2^{x} \ln 2",
    torch=("exp2",),
    formula="2 ** x",
    grad_first=True,  # (g·2^x)·ln 2, torch's order
    doc="2 ** x, elementwise (inf on overflow).",
)
LOG = Elementwise(
    "log",
    forward=np.log,
    forward_float=log_float,
    d="1 / x",
    text="1/x",
    latex=r"\frac{1}{x}",
    torch=("log",),
    doc="The natural logarithm, elementwise (log 0 = -inf; nan below 0).",
)
LOG1P = Elementwise(
    "log1p",
    forward=np.log1p,
    forward_float=log1p_float,
    d="1 / (1 + x)",
    text="1/(1 + x)",
    latex=r"\frac{1}{1 + x}",
    torch=("log1p",),
    formula="log(1 + x)",
    doc="log(1 + x), exact for small x, elementwise.",
)
# g/(x·ln 2) and g/(x·ln 10), torch's constants (its ln 10 is one ulp below math.log(10))
LOG2 = Elementwise(
    "log2",
    forward=np.log2,
    forward_float=log2_float,
    d="1 / (x * log(2))",
    text="1/(x·ln(2))",
    latex=r"\frac{1}{x \ln 2}",
    torch=("log2",),
    formula="log(x) / log(2)",
    doc="The base-2 logarithm, elementwise (log2 0 = -inf; nan below 0).",
)
LOG10 = Elementwise(
    "log10",
    forward=np.log10,
    forward_float=log10_float,
    d="1 / (x * 2.3025850929940456)",
    text="1/(x·ln(10))",
    latex=r"\frac{1}{x \ln 10}",
    torch=("log10",),
    formula="log(x) / log(10)",
    doc="The base-10 logarithm, elementwise (log10 0 = -inf; nan below 0).",
)
# the share of each input, σ(x − y) = 1/(1 + e^(y − x)), as torch computes it (nan where x = y = ±inf)
LOGADDEXP = Elementwise(
    "logaddexp",
    forward=np.logaddexp,
    forward_float=logaddexp_float,
    inputs=("x", "y"),
    d=("1 / (1 + exp(y - x))", "1 / (1 + exp(x - y))"),
    text=("σ(x − y)", "σ(y − x)"),
    latex=(r"\sigma(x - y)", r"\sigma(y - x)"),
    torch=("logaddexp",),
    formula="log(exp(x) + exp(y))",
    doc="log(e^x + e^y) without overflow, elementwise (broadcasting).",
)
LOGADDEXP2 = Elementwise(
    "logaddexp2",
    forward=np.logaddexp2,
    forward_float=logaddexp2_float,
    inputs=("x", "y"),
    d=("1 / (1 + exp2(y - x))", "1 / (1 + exp2(x - y))"),
    text=("1/(1 + 2^(y − x))", "1/(1 + 2^(x − y))"),
    latex=(r"\frac{1}{1 + 2^{y - x}}", r"\frac{1}{1 + 2^{x - y}}"),
    torch=("logaddexp2",),
    formula="log(2 ** x + 2 ** y) / log(2)",
    doc="log2(2^x + 2^y) without overflow, elementwise (broadcasting).",
)
SQRT = Elementwise(
    "sqrt",
    forward=np.sqrt,
    forward_float=sqrt_float,
    d="1 / (2 * out)",
    text="1/(2√x)",
    latex=r"\frac{1}{2\sqrt{x}}",
    torch=("sqrt",),
    doc="The square root, elementwise (nan below 0).",
)
# torch's backward, -0.5 · grad · out³ with out³ = out · out · out (its pow(out, 3)): the same bits
RSQRT = Elementwise(
    "rsqrt",
    forward=rsqrt_array,
    forward_float=rsqrt_float,
    d="-0.5 * (out * out * out)",
    text="−1/(2x^(3/2))",
    latex=r"-\frac{1}{2 x^{3/2}}",
    torch=("rsqrt",),
    formula="1 / sqrt(x)",
    doc="1 / sqrt(x), elementwise (inf at 0, nan below; torch's rsqrt and its gradient to the bit).",
)
