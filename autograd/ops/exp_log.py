"""Exponentials, logarithms and the square root."""

from __future__ import annotations

import math

import numpy as np

from .elementwise import Elementwise

INF, NAN = math.inf, math.nan


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


def sqrt_float(a: float) -> float:
    return math.sqrt(a) if a >= 0 else NAN  # (-0.0 gives -0.0, as torch)


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
