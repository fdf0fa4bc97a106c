"""Hyperbolic functions."""

from __future__ import annotations

import math

import numpy as np

from .elementwise import Elementwise

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
