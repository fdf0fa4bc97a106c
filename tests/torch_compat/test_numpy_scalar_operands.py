"""A numpy scalar beside a Tensor, as torch reads it: ``np.float64(3.3) / t`` is torch's
``3.3 / t`` (``t.reciprocal() * 3.3``, torch's last bit), its dtype that of a Python number beside
the tensor (``np.float32(3.3) + int64 tensor`` has the default float dtype, ``np.bool_(True)`` is the
float 1.0, as torch's argument parser takes it), on either side of every operator; gradients at
first and second order, 0-d, empty, nan and inf, and a compiled step too. (numpy hands a numpy
scalar's operator to its ufunc, and so to ``Tensor.__array_ufunc__``; torch's Tensor has
``__array_priority__``, so numpy defers to torch's reflected operator.)"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import autograd as ag

SCALARS = [np.float64(3.3), np.float32(3.3), np.float16(1.5), np.int64(-2), np.int32(3), np.uint8(200)]
SCALARS += [np.bool_(True), np.float64(np.nan), np.float64(-np.inf), np.float64(-0.0)]
OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
    "//": operator.floordiv, "%": operator.mod, "**": operator.pow, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge, "==": operator.eq, "!=": operator.ne, "&": operator.and_,
    "|": operator.or_, "^": operator.xor, "<<": operator.lshift, ">>": operator.rshift,
}  # fmt: skip
VALUES = {
    "float32": [0.7, -1.3, 3.0, 0.0, np.inf, np.nan, -2.5e-39],
    "float64": [0.7, -1.3, 3.0, -0.0, -np.inf, np.nan, 1e-310],
    "int64": [1, -2, 3, 7, 100, -5, 2],
    "bool": [True, False, True, True, False, True, True],
}


@pytest.fixture(autouse=True)
def _torchs_default_dtype_is_ours() -> Any:
    before = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(before)


def _outcome(f: Callable[[], Any]) -> Any:
    try:
        r = f()
    except Exception as e:  # noqa: BLE001 (compared with torch's)
        return ("error", type(e).__name__)
    if isinstance(r, np.ndarray):  # (autograd.grad without create_graph: the gradient's array)
        return (str(r.dtype), r)
    assert isinstance(r, (torch.Tensor, ag.Tensor)), f"got a {type(r).__name__}, not a Tensor"
    data = r.detach().numpy() if isinstance(r, torch.Tensor) else np.asarray(r.data)
    return (str(r.dtype).replace("torch.", ""), data)


def _same_bits(mine: Any, theirs: Any, exact: bool = True) -> None:
    """The same dtype and bits (every nan as one: its sign bit is the CPU's choice); ``exact=False``:
    to rounding (a power: ``x ** 3`` is numpy's pow, an ulp from torch's x·x·x for a Python 3 too,
    numerics.md)."""
    assert mine[0] == theirs[0], (mine, theirs)
    a, b = mine[1], theirs[1]
    if a.dtype.kind == "f":
        assert (np.isnan(a) == np.isnan(b)).all()
        a, b = np.where(np.isnan(a), np.nan, a), np.where(np.isnan(b), np.nan, b)
        if not exact:
            np.testing.assert_allclose(a, b, rtol=1e-6 if a.dtype == np.float32 else 1e-15)
            return
    assert a.shape == b.shape and a.tobytes() == b.tobytes(), (a, b)


@pytest.mark.parametrize("op", list(OPERATORS))
@pytest.mark.parametrize("dtype", list(VALUES))
@pytest.mark.parametrize("scalar", SCALARS, ids=lambda s: f"{type(s).__name__}({s})")
def test_a_numpy_scalar_on_either_side_is_torchs_number(op: str, dtype: str, scalar: Any) -> None:
    """The same dtype and bits as torch (or an error where torch raises one), scalar left and right;
    and the same bits as the Python number gives here."""
    if op == "**" and dtype in ("int64", "bool") and not isinstance(scalar, np.floating):
        pytest.skip("integer powers: an open difference (numerics.md)")
    f, number = OPERATORS[op], scalar.item()
    for shape in ((7,), ()):
        values = np.asarray(VALUES[dtype]) if shape else np.asarray(VALUES[dtype][1])
        t = torch.tensor(values.tolist(), dtype=getattr(torch, dtype))
        a = ag.tensor(values.tolist(), dtype=np.dtype(dtype))
        for mine, theirs, python in (
            (lambda a=a: f(scalar, a), lambda t=t: f(scalar, t), lambda a=a: f(number, a)),
            (lambda a=a: f(a, scalar), lambda t=t: f(t, scalar), lambda a=a: f(a, number)),
        ):
            expected, got = _outcome(theirs), _outcome(mine)
            if expected[0] == "error" or got[0] == "error":
                assert got[0] == expected[0] == "error", (expected, got)
            else:
                _same_bits(got, expected, exact=op != "**")
                if not isinstance(scalar, np.bool_):  # (np.bool_ is torch's float; True a bool)
                    _same_bits(got, _outcome(python))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("op", ["+", "-", "*", "/", "**"])
@pytest.mark.parametrize("scalar", [np.float64(3.3), np.float32(0.7), np.int64(-2), np.bool_(True)], ids=repr)
def test_gradients_through_a_numpy_scalar_are_torchs(dtype: str, op: str, scalar: Any) -> None:
    """First and second derivatives of ``scalar <op> x`` bit for bit (torch's graph: ``3.3 / x`` is
    MulBackward0 over ReciprocalBackward0); 1-d with nan, inf and 0, 0-d and empty."""
    f = OPERATORS[op]
    data = np.array([0.7, -1.3, 3.0, 0.0, np.inf, np.nan, 2.5], dtype)
    for values in (data, data[2], data[:0]):
        found = []
        for lib in (torch, ag):
            x = lib.tensor(values.tolist(), dtype=getattr(lib, dtype), requires_grad=True)
            y = f(scalar, x)
            (g,) = lib.autograd.grad(y.sum(), x, create_graph=True)
            h = lib.autograd.grad(g.sum(), x, allow_unused=True)[0] if g.requires_grad else None
            found.append([_outcome(lambda v=v: v) for v in (y, g, lib.zeros_like(x) if h is None else h)])
        for mine, theirs in zip(found[1], found[0]):
            _same_bits(mine, theirs, exact=op != "**")


def test_a_compiled_step_with_a_numpy_scalar_is_eagers() -> None:
    """``np.float64(3.3) / w`` in a compiled step: the same value and gradient as eager, bit for bit."""
    w = ag.tensor([0.7, -1.3, 3.0], dtype=ag.float32, requires_grad=True)

    def step(w: Any) -> Any:
        return (np.float64(3.3) / w + np.float32(0.5) * w - np.int64(2) ** w).sum()

    eager = step(w)
    eager.backward()
    g, w.grad = w.grad.data.copy(), None
    tw = torch.tensor([0.7, -1.3, 3.0], dtype=torch.float32, requires_grad=True)
    tout = step(tw)
    tout.backward()
    assert eager.item() == tout.item() and np.array_equal(g, tw.grad.numpy())
    compiled = ag.compile(step, check=True)
    for _ in range(2):
        assert compiled(w).item() == eager.item() and np.array_equal(w.grad.data, g)
        w.grad = None


def test_numpy_functions_on_tensors_are_unchanged() -> None:
    """np.sin(t), np.add(t, 1) and an ndarray on the left still go through numpy's protocol."""
    t = ag.tensor([0.5, 2.0], requires_grad=True)
    assert isinstance(np.sin(t), ag.Tensor) and isinstance(np.add(t, 1.0), ag.Tensor)
    assert isinstance(np.array([1.0, 2.0]) + t, ag.Tensor)
    assert (np.float64(2.0) < t).dtype == ag.bool and (np.float64(2.0) < t).tolist() == [False, False]
