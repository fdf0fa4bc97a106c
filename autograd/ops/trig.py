"""Trigonometric functions, their inverses, hypot, and the conversions between degrees and radians."""

from __future__ import annotations

import math

import numpy as np

from .elementwise import Elementwise


def sin_float(a: float) -> float:
    return math.sin(a) if math.isfinite(a) else math.nan


def cos_float(a: float) -> float:
    return math.cos(a) if math.isfinite(a) else math.nan


def tan_float(a: float) -> float:
    return math.tan(a) if math.isfinite(a) else math.nan


def arcsin_float(a: float) -> float:
    return math.asin(a) if -1.0 <= a <= 1.0 else math.nan


def arccos_float(a: float) -> float:
    return math.acos(a) if -1.0 <= a <= 1.0 else math.nan


SIN = Elementwise(
    "sin",
    forward=np.sin,
    forward_float=sin_float,
    d="cos(x)",
    text="cos(x)",
    latex=r"\cos(x)",
    torch=("sin",),
    doc="The sine (radians), elementwise.",
)
COS = Elementwise(
    "cos",
    forward=np.cos,
    forward_float=cos_float,
    d="-sin(x)",
    text="−sin(x)",
    latex=r"-\sin(x)",
    torch=("cos",),
    doc="The cosine (radians), elementwise.",
)
TAN = Elementwise(
    "tan",
    forward=np.tan,
    forward_float=tan_float,
    d="1 + out * out",
    text="1 + tan(x)²",
    latex=r"1 + \tan^2(x)",
    torch=("tan",),
    doc="The tangent (radians), elementwise.",
)
# torch's rsqrt(1 − x²) as 1/√(1 − x²): ±inf at ±1, nan outside [-1, 1]
ARCSIN = Elementwise(
    "arcsin",
    forward=np.arcsin,
    forward_float=arcsin_float,
    d="1 / sqrt(1 - x * x)",
    text="1/√(1 − x²)",
    latex=r"\frac{1}{\sqrt{1 - x^2}}",
    torch=("asin", "arcsin"),
    formula="asin(x)",
    doc="The inverse sine, in [-π/2, π/2], elementwise (nan outside [-1, 1]).",
)
ARCCOS = Elementwise(
    "arccos",
    forward=np.arccos,
    forward_float=arccos_float,
    d="-1 / sqrt(1 - x * x)",
    text="−1/√(1 − x²)",
    latex=r"-\frac{1}{\sqrt{1 - x^2}}",
    torch=("acos", "arccos"),
    formula="acos(x)",
    doc="The inverse cosine, in [0, π], elementwise (nan outside [-1, 1]).",
)
ARCTAN = Elementwise(
    "arctan",
    forward=np.arctan,
    forward_float=math.atan,
    d="1 / (1 + x * x)",
    text="1/(1 + x²)",
    latex=r"\frac{1}{1 + x^2}",
    torch=("atan", "arctan"),
    formula="atan(x)",
    doc="The inverse tangent, in (-π/2, π/2), elementwise.",
)
# x·(1/r²) with 1/r² taken as 0 where r² is 0 (the origin, or a square that underflows); the Tensor
# VJP is (g·x)·(1/r²), torch's order
ARCTAN2 = Elementwise(
    "arctan2",
    forward=np.arctan2,
    forward_float=math.atan2,
    inputs=("y", "x"),
    d=(
        "x * where(x * x + y * y == 0, 0, 1 / (x * x + y * y))",
        "-y * where(x * x + y * y == 0, 0, 1 / (x * x + y * y))",
    ),
    text=("x/(x² + y²)", "−y/(x² + y²)"),
    latex=(r"\frac{x}{x^2 + y^2}", r"-\frac{y}{x^2 + y^2}"),
    torch=("atan2", "arctan2"),
    formula="atan2(y, x)",
    grad_first=True,
    doc="The angle of the point (x, y): arctan(y/x) in the right quadrant, in (-π, π], elementwise.",
)
# x/r and y/r, as torch computes them: (g·x)/r; nan at the origin (0/0), as torch
HYPOT = Elementwise(
    "hypot",
    forward=np.hypot,
    forward_float=math.hypot,
    inputs=("x", "y"),
    d=("x / out", "y / out"),
    text=("x/√(x² + y²)", "y/√(x² + y²)"),
    latex=(r"\frac{x}{\sqrt{x^2 + y^2}}", r"\frac{y}{\sqrt{x^2 + y^2}}"),
    torch=("hypot",),
    formula="sqrt(x * x + y * y)",
    grad_first=True,
    doc="√(x² + y²) without overflow, elementwise (broadcasting).",
)
# multiplication by π/180 (and 180/π) rounded to a double, as numpy and torch compute them
DEG2RAD = Elementwise(
    "deg2rad",
    forward=np.deg2rad,
    forward_float=f"x * {math.pi / 180!r}",
    d="pi / 180",
    text="π/180",
    latex=r"\frac{\pi}{180}",
    ufuncs=(np.deg2rad, np.radians),
    torch=("deg2rad",),
    aliases=("radians",),
    formula="x * pi / 180",
    doc="Degrees to radians, x·π/180, elementwise.",
)
RAD2DEG = Elementwise(
    "rad2deg",
    forward=np.rad2deg,
    forward_float=f"x * {180 / math.pi!r}",
    d="180 / pi",
    text="180/π",
    latex=r"\frac{180}{\pi}",
    ufuncs=(np.rad2deg, np.degrees),
    torch=("rad2deg",),
    aliases=("degrees",),
    formula="x * 180 / pi",
    doc="Radians to degrees, x·180/π, elementwise.",
)
