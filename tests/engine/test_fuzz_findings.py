"""Regressions for what the differential fuzzer found, each checked against torch 2.13 (float64),
with the sign of zeros compared too."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from autograd import Tensor, Value, ValueArray

NAN, INF = math.nan, math.inf
EDGE = [-INF, -4.0, -1.0, -0.0, 0.0, 0.25, 4.0, INF, NAN]


def same(a: float, b: float) -> bool:
    """Equal, nan to nan, and the same sign of zero."""
    if a != a or b != b:
        return a != a and b != b
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def agree(ours: tuple[float, float], theirs: tuple[float, float]) -> bool:
    """Values the same (sign of zero included); gradients equal (a leaf's 0.0 + -0.0 is 0.0 here)."""
    return same(ours[0], theirs[0]) and same(ours[1] + 0.0, theirs[1] + 0.0)


def torch_unary(fn, x: float) -> tuple[float, float]:  # noqa: ANN001
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    y = fn(t)
    y.backward()
    return y.item(), t.grad.item()


def engine_unary(fn, x: float, kind: str) -> tuple[float, float]:  # noqa: ANN001
    if kind == "value":
        v = Value(x)
        y = fn(v)
        y.backward()
        return y.data, v.grad
    if kind == "tensor":
        t = Tensor(x, requires_grad=True)
        y = fn(t)
        y.backward()
        return float(y.data), float(t.grad)
    va = ValueArray([x])
    y = fn(va).to_value()  # (the element itself: a sum starts at +0.0, as torch's)
    y.backward()
    return y.data, float(va.grad[0])


KINDS = ["value", "tensor", "value_array"]


BOUNDS = [(NAN, None), (None, NAN), (0.0, NAN), (NAN, 1.0), (2.0, 1.0), (-1.0, 1.0)]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("bounds", BOUNDS)
def test_clip_with_a_nan_bound_is_nan_as_torch_clamp(kind: str, bounds: tuple) -> None:
    lo, hi = bounds
    for x in EDGE:
        ours = engine_unary(lambda v: v.clip(lo, hi), x, kind)
        theirs = torch_unary(lambda t: t.clamp(lo, hi), x)
        assert agree(ours, theirs), (kind, bounds, x, ours, theirs)


@pytest.mark.parametrize("kind", KINDS)
def test_relu_keeps_negative_zero_as_torch(kind: str) -> None:
    for x in EDGE:
        ours = engine_unary(lambda v: v.relu(), x, kind)
        theirs = torch_unary(torch.relu, x)
        assert agree(ours, theirs), (kind, x, ours, theirs)
    # fuzzer Tensor seed 572: 1 / relu(-0.0) is -inf, as in torch
    ours = engine_unary(lambda v: 1.0 / v.relu(), -0.0, kind)
    assert ours[0] == -INF


@pytest.mark.parametrize("kind", ["value", "tensor"])
@pytest.mark.parametrize("k", [0.5, -0.5, 1.5, -1.5, 2.0, 3.0, -1.0, 0.0])
def test_constant_power_at_the_edges_as_torch(kind: str, k: float) -> None:
    """torch's ``x ** 0.5`` is sqrt and ``x ** -0.5`` rsqrt (nan at -inf; -0.0 at -0.0), also inside
    the derivative of ``x ** 1.5`` (fuzzer Value seed 351)."""
    for x in EDGE:
        ours = engine_unary(lambda v: v**k, x, kind)
        theirs = torch_unary(lambda t: t**k, x)
        assert agree(ours, theirs), (kind, k, x, ours, theirs)


def test_value_array_max_over_a_non_empty_axis_of_an_empty_batch() -> None:
    """fuzzer ValueArray seed 242: shape (0, 1, 1), max over axis 1 gives shape (0, 1), as torch.amax."""
    x = ValueArray(np.zeros((0, 1, 1)))
    assert x.max(1).shape == tuple(torch.zeros(0, 1, 1).amax(1).shape) == (0, 1)
    assert x.max((1, 2), keepdims=True).shape == (0, 1, 1)
    with pytest.raises(ValueError, match="non-empty axis"):
        x.max(0)
