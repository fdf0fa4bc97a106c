"""Hyperbolic functions and their inverses."""

from __future__ import annotations

import math

import numpy as np

from .elementwise import Elementwise


def sinh_float(a: float) -> float:
    try:
        return math.sinh(a)
    except OverflowError:
        return math.copysign(math.inf, a)


def cosh_float(a: float) -> float:
    try:
        return math.cosh(a)
    except OverflowError:
        return math.inf


def arccosh_float(a: float) -> float:
    return math.acosh(a) if a >= 1.0 else math.nan


def arctanh_float(a: float) -> float:
    if -1.0 < a < 1.0:
        return math.atanh(a)
    return math.copysign(math.inf, a) if abs(a) == 1.0 else math.nan


TANH = Elementwise(
    "tanh",
    forward=np.tanh,
    forward_float=math.tanh,
    d="1 - out * out",
    text="1 − tanh(x)²",
    latex=r"1 - \tanh^2(x)",
    torch=("tanh",),
    doc="The hyperbolic tangent, elementwise.",
)
SINH = Elementwise(
    "sinh",
    forward=np.sinh,
    forward_float=sinh_float,
    d="cosh(x)",
    text="cosh(x)",
    latex=r"\cosh(x)",
    torch=("sinh",),
    doc="The hyperbolic sine, elementwise (±inf on overflow).",
)
COSH = Elementwise(
    "cosh",
    forward=np.cosh,
    forward_float=cosh_float,
    d="sinh(x)",
    text="sinh(x)",
    latex=r"\sinh(x)",
    torch=("cosh",),
    doc="The hyperbolic cosine, elementwise (inf on overflow).",
)
# torch's rsqrt(x² + 1) as 1/√(x² + 1): 0 where x² overflows
ARCSINH = Elementwise(
    "arcsinh",
    forward=np.arcsinh,
    forward_float=math.asinh,
    d="1 / sqrt(x * x + 1)",
    text="1/√(x² + 1)",
    latex=r"\frac{1}{\sqrt{x^2 + 1}}",
    torch=("asinh", "arcsinh"),
    formula="asinh(x)",
    doc="The inverse hyperbolic sine, elementwise.",
)
ARCCOSH = Elementwise(
    "arccosh",
    forward=np.arccosh,
    forward_float=arccosh_float,
    d="1 / sqrt(x * x - 1)",
    text="1/√(x² − 1)",
    latex=r"\frac{1}{\sqrt{x^2 - 1}}",
    torch=("acosh", "arccosh"),
    formula="acosh(x)",
    doc="The inverse hyperbolic cosine, elementwise (nan below 1).",
)
ARCTANH = Elementwise(
    "arctanh",
    forward=np.arctanh,
    forward_float=arctanh_float,
    d="1 / (1 - x * x)",
    text="1/(1 − x²)",
    latex=r"\frac{1}{1 - x^2}",
    torch=("atanh", "arctanh"),
    formula="atanh(x)",
    doc="The inverse hyperbolic tangent, elementwise (±inf at ±1, nan outside [-1, 1]).",
)
