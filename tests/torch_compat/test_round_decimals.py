"""``Tensor.round(decimals=)``, ``autograd.round(x, decimals=)``, ``special.round`` and ``round_``
against torch 2.13: bit for bit in float32 and float64 (signed zeros, inf, nan, halves, decimals
past the dtype's range), torch's errors (integer and bool tensors, a decimals that is no int), a
derivative of 0, in place on a leaf and on a computed tensor, and in a compiled step."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import autograd
from tests.torch_compat.side_by_side import check

RNG = np.random.default_rng(13)
VALUES = np.concatenate(
    [
        RNG.uniform(-1e4, 1e4, 500),
        RNG.normal(0.0, 1.0, 500),
        RNG.uniform(-1.0, 1.0, 200).round(3) + 0.0005,  # (halves after scaling, inexact in binary)
        [0.5, 1.5, 2.5, -0.5, -2.5, -0.0, 0.0, np.inf, -np.inf, np.nan, 3e38, -1e-30, 0.125, 1234.5678],
    ]
)
DECIMALS = [0, 1, 2, 3, 5, 8, 15, 17, 22, 23, 30, 38, 39, 300, 309, 400, 2**40, -1, -2, -3, -10, -38, -309]


def _bits(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.array_equal(a, b, equal_nan=True) and np.array_equal(np.signbit(a), np.signbit(b)))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("decimals", DECIMALS)
def test_the_numbers_are_torchs_bit_for_bit(dtype: str, decimals: int) -> None:
    ours = autograd.tensor(VALUES, dtype=getattr(autograd, dtype))
    theirs = torch.tensor(VALUES, dtype=getattr(torch, dtype))
    want = theirs.round(decimals=decimals).numpy()
    got = ours.round(decimals=decimals)
    assert got.dtype == ours.dtype and _bits(got.data, want)
    assert _bits(autograd.round(ours, decimals=decimals).data, want)
    assert _bits(autograd.special.round(ours, decimals=decimals).data, want)
    copy = ours.clone()
    assert copy.round_(decimals=decimals) is copy and _bits(copy.data, want) and copy._version == 1


def test_torchs_errors() -> None:
    for lib in (autograd, torch):
        ints, flags, x = lib.tensor([15, 25]), lib.tensor([True]), lib.tensor([1.25], dtype=lib.float64)
        assert ints.round().tolist() == [15, 25]  # (no decimals: an integer tensor rounds to itself)
        for t in (ints, flags):
            with pytest.raises(NotImplementedError, match="not implemented for"):
                t.round(decimals=0)
        with pytest.raises(NotImplementedError):
            ints.round_(decimals=1)
        with pytest.raises(TypeError, match="decimals"):
            x.round(decimals=1.0)
        with pytest.raises(TypeError, match="decimals"):
            x.round(decimals=True)
        with pytest.raises(TypeError):
            x.round(2)  # (keyword-only, as torch's)
        assert x.round(decimals=lib.tensor(1)).tolist() == [1.2]


def test_the_derivative_is_zero_and_in_place_writes_as_torch() -> None:
    def snippet(t: Any) -> Any:
        a = t.tensor([1.2345, -2.5678, 0.125], requires_grad=True)
        (a.round(decimals=2) * a + t.round(a, decimals=-1) * a).sum().backward()
        x = a * 3
        x.round_(decimals=1)  # (recorded in the graph: no gradient through the rounding)
        (x * a).sum().backward()
        buf = t.tensor([0.55, 1.45])
        with t.no_grad():
            buf.round_(decimals=1)
        out = t.empty(3)
        t.round(a.detach(), decimals=2, out=out)
        return a.grad, x, x._version, x.requires_grad, buf, buf._version, out

    check(snippet)


def test_a_compiled_step_rounds_each_calls_numbers() -> None:
    w = autograd.tensor([2.0, 3.0], requires_grad=True)
    step = autograd.compile(lambda x: (w * x.round(decimals=1)).sum())
    for x, want in (([1.26, 2.34], 2 * 1.3 + 3 * 2.3), ([0.04, -0.06], 2 * 0.0 + 3 * -0.1)):
        out = step(autograd.tensor(x))
        assert float(out) == pytest.approx(want, rel=1e-15)
        assert w.grad.tolist() == autograd.tensor(x).round(decimals=1).tolist()
        w.grad = None
