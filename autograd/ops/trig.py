"""Trigonometric functions."""

from __future__ import annotations

import math

import numpy as np

from .elementwise import Elementwise


def sin_float(a: float) -> float:
    return math.sin(a) if math.isfinite(a) else math.nan


def cos_float(a: float) -> float:
    return math.cos(a) if math.isfinite(a) else math.nan


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
