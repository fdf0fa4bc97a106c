"""Test problems, each written once for both engines (ours and torch): the same
expression runs on our Tensors / Values and on torch tensors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

#: Optimizers of 2-d parameters only, left out of the tests whose problems have 1-d parameters and
#: compare at 1e-12: Muon (orthogonalized in bfloat16), tested on those cases in test_muon.py
ONLY_2D = {"Muon"}


def rosenbrock(params: list[Any], sign: float) -> Any:
    """f(x, y) = (1 - x)^2 + 100 (y - x^2)^2."""
    (p,) = params
    return sign * ((1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2)


def mlp(params: list[Any], sign: float, X: Any, y: Any) -> Any:
    """A 3-8-1 tanh MLP with mean squared error: 2-D weights and 1-D biases."""
    W1, b1, W2, b2 = params
    pred = (X @ W1 + b1).tanh() @ W2 + b2
    return sign * ((pred - y) ** 2).mean()


def cube(params: list[Any], sign: float, target: Any) -> Any:
    """A 3-D parameter (Adafactor factors over its last two axes) plus a 0-d one."""
    W, s = params
    return sign * (((W * s).tanh() - target) ** 2).sum()


def least_squares(params: list[Any], sign: float, A: Any, B: Any) -> Any:
    """0.5 * ||A W + b - B||^2 with a 2-D W and a 1-D b (a convex quadratic)."""
    W, b = params
    return sign * 0.5 * ((A @ W + b - B) ** 2).sum()


@dataclass
class Problem:
    name: str
    init: list[np.ndarray]
    loss: Callable[..., Any]
    data: tuple[np.ndarray, ...] = ()


_rng = np.random.default_rng(0)
_X = _rng.normal(size=(16, 3))
ROSENBROCK = Problem("rosenbrock", [np.array([-1.5, 2.0])], rosenbrock)
MLP = Problem(
    "mlp",
    [_rng.normal(size=(3, 8)) * 0.5, np.zeros(8), _rng.normal(size=(8, 1)) * 0.5, np.zeros(1)],
    mlp,
    (_X, np.sin(_X.sum(axis=1, keepdims=True))),
)
CUBE = Problem(
    "cube", [_rng.normal(size=(2, 3, 4)), np.array(0.7)], cube, (_rng.uniform(-0.9, 0.9, (2, 3, 4)),)
)
LSQ = Problem(
    "least_squares",
    [np.zeros((5, 2)), np.zeros(2)],
    least_squares,
    (_rng.normal(size=(20, 5)), _rng.normal(size=(20, 2))),
)
