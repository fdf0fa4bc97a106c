"""Every Value operation against PyTorch (float64, value and gradient to 1e-10) and gradcheck."""

from __future__ import annotations

import math

import pytest
import torch
from engine_helpers import close, torch_softplus, torch_value_and_grads, value_and_grads

import autograd as ag
from autograd import Value, gradcheck

# name -> (ours, torch's, points where the function is smooth)
UNARY = {
    "neg": (lambda v: -v, lambda t: -t, [-2.5, -0.3, 0.7, 4.0]),
    "exp": (lambda v: v.exp(), torch.exp, [-3.0, -0.2, 0.0, 1.5, 20.0]),
    "log": (lambda v: v.log(), torch.log, [1e-3, 0.4, 1.0, 7.5]),
    "log1p": (lambda v: v.log1p(), torch.log1p, [-0.9, -1e-8, 0.0, 2.0, 1e3]),
    "sqrt": (lambda v: v.sqrt(), torch.sqrt, [1e-4, 0.5, 2.0, 9.0]),
    "tanh": (lambda v: v.tanh(), torch.tanh, [-4.0, -0.5, 0.0, 0.3, 2.0]),
    "sigmoid": (lambda v: v.sigmoid(), torch.sigmoid, [-40.0, -1.0, 0.0, 0.5, 40.0]),
    "relu": (lambda v: v.relu(), torch.relu, [-2.0, -1e-9, 1e-9, 3.0]),
    "abs": (lambda v: v.abs(), torch.abs, [-2.0, -1e-9, 1e-9, 3.0]),
    "abs()": (lambda v: abs(v), torch.abs, [-2.0, 3.0]),
    "softplus": (lambda v: v.softplus(), torch_softplus, [-50.0, -3.0, 0.0, 0.5, 25.0, 60.0]),
    "clip(-0.5,0.5)": (lambda v: v.clip(-0.5, 0.5), lambda t: t.clamp(-0.5, 0.5), [-1.0, -0.2, 0.3, 2.0]),
    "clip(min=0)": (lambda v: v.clip(min=0), lambda t: t.clamp(min=0), [-1.0, 0.3, 2.0]),
    "clip(max=0)": (lambda v: v.clip(max=0), lambda t: t.clamp(max=0), [-1.0, 0.3, 2.0]),
    "pow 2": (lambda v: v**2, lambda t: t**2, [-1.5, 0.0, 0.5, 3.0]),
    "pow 3": (lambda v: v**3, lambda t: t**3, [-1.5, 0.0, 0.5, 3.0]),
    "pow 3.0": (lambda v: v**3.0, lambda t: t**3.0, [-1.5, 2.0]),
    "pow 0.5": (lambda v: v**0.5, lambda t: t**0.5, [0.1, 2.0, 9.0]),
    "pow -1.5": (lambda v: v**-1.5, lambda t: t**-1.5, [0.1, 2.0, 9.0]),
    "pow -2": (lambda v: v**-2, lambda t: t**-2, [-3.0, -0.5, 0.5, 3.0]),
    "pow 0": (lambda v: v**0, lambda t: t**0, [-3.0, 0.5, 3.0]),
    "2 - v": (lambda v: 2 - v, lambda t: 2 - t, [-1.0, 0.5, 3.0]),
    "2 + v": (lambda v: 2 + v, lambda t: 2 + t, [-1.0, 0.5, 3.0]),
    "2 * v": (lambda v: 2 * v, lambda t: 2 * t, [-1.0, 0.5, 3.0]),
    "3 / v": (lambda v: 3 / v, lambda t: 3 / t, [-1.0, 0.5, 3.0]),
    "2 ** v": (lambda v: 2**v, lambda t: 2**t, [-1.0, 0.0, 0.5, 3.0]),
    "0.5 ** v": (lambda v: 0.5**v, lambda t: 0.5**t, [-1.0, 0.5, 3.0]),
    "v - 2": (lambda v: v - 2, lambda t: t - 2, [-1.0, 0.5]),
    "v + 2": (lambda v: v + 2, lambda t: t + 2, [-1.0, 0.5]),
    "v * 2": (lambda v: v * 2, lambda t: t * 2, [-1.0, 0.5]),
    "v / 4": (lambda v: v / 4, lambda t: t / 4, [-1.0, 0.5]),
    "maximum const": (lambda v: v.maximum(0.25), lambda t: torch.clamp(t, min=0.25), [-1.0, 0.5]),
    "minimum const": (lambda v: v.minimum(0.25), lambda t: torch.clamp(t, max=0.25), [-1.0, 0.5]),
}

BINARY = {
    "+": (lambda a, b: a + b, lambda a, b: a + b, [(1.5, -2.0), (0.0, 0.3)]),
    "-": (lambda a, b: a - b, lambda a, b: a - b, [(1.5, -2.0), (0.0, 0.3)]),
    "*": (lambda a, b: a * b, lambda a, b: a * b, [(1.5, -2.0), (0.0, 0.3), (-0.7, -0.7)]),
    "/": (lambda a, b: a / b, lambda a, b: a / b, [(1.5, -2.0), (0.0, 0.3), (-3.0, 0.01)]),
    "**": (lambda a, b: a**b, lambda a, b: a**b, [(1.5, -2.0), (0.3, 2.5), (2.0, 0.0), (4.0, 0.5)]),
    "maximum": (
        lambda a, b: a.maximum(b),
        torch.maximum,
        [(1.5, -2.0), (-0.1, 0.3)],
    ),
    "minimum": (
        lambda a, b: a.minimum(b),
        torch.minimum,
        [(1.5, -2.0), (-0.1, 0.3)],
    ),
    "mixed": (
        lambda a, b: (a * b + a.exp()) / (b**2 + 1) - a.tanh() * b.sigmoid(),
        lambda a, b: (a * b + a.exp()) / (b**2 + 1) - a.tanh() * b.sigmoid(),
        [(0.3, -1.2), (-2.0, 0.5)],
    ),
}


@pytest.mark.parametrize("name", list(UNARY))
def test_unary_matches_torch(name: str) -> None:
    ours, theirs, points = UNARY[name]
    for x in points:
        got, (g,) = value_and_grads(ours, x)
        want, (gw,) = torch_value_and_grads(theirs, x)
        close(got, want, what=f"{name}({x}) value")
        close(g, gw, what=f"{name}({x}) grad")


@pytest.mark.parametrize("name", list(BINARY))
def test_binary_matches_torch(name: str) -> None:
    ours, theirs, points = BINARY[name]
    for a, b in points:
        got, grads = value_and_grads(ours, a, b)
        want, wgrads = torch_value_and_grads(theirs, a, b)
        close(got, want, what=f"{a} {name} {b} value")
        close(grads, wgrads, what=f"{a} {name} {b} grads")


@pytest.mark.parametrize(
    "name", [n for n in UNARY if not n.startswith(("relu", "abs", "clip", "max", "min"))]
)
def test_unary_gradcheck(name: str) -> None:
    ours, _, points = UNARY[name]
    for x in points:
        if name in {"exp", "softplus"} and abs(x) > 30:
            continue  # finite differences lose all precision at such magnitudes
        assert gradcheck(ours, Value(x))


@pytest.mark.parametrize("name", ["relu", "abs", "clip(-0.5,0.5)", "maximum const", "minimum const"])
def test_piecewise_gradcheck_away_from_kinks(name: str) -> None:
    ours, _, _ = UNARY[name]
    for x in (-1.3, 0.1, 0.9, 2.2):
        assert gradcheck(ours, Value(x))


@pytest.mark.parametrize("name", list(BINARY))
def test_binary_gradcheck(name: str) -> None:
    ours, _, points = BINARY[name]
    for a, b in points:
        if name in {"maximum", "minimum"} and a == b:
            continue
        assert gradcheck(ours, Value(a), Value(b))


def test_chained_expression_matches_torch() -> None:
    def f(a, b, c, lib):
        x = a * b + c.exp()
        y = (x**2 + 1).log() if lib == "ours" else torch.log(x**2 + 1)
        return (y * a - b / c).tanh() + (2 - a) ** 2 + 3 / c - (c - 1).relu()

    got, grads = value_and_grads(lambda a, b, c: f(a, b, c, "ours"), 0.4, -1.3, 0.8)
    want, wgrads = torch_value_and_grads(lambda a, b, c: f(a, b, c, "torch"), 0.4, -1.3, 0.8)
    close(got, want)
    close(grads, wgrads)


# --- edge cases: agree with PyTorch exactly where it is defined


def _both(ours, theirs, *xs):
    got, grads = value_and_grads(ours, *xs)
    want, wgrads = torch_value_and_grads(theirs, *xs)
    close(got, want, what="value")
    close(grads, wgrads, what="grads")
    return got, grads


def test_relu_grad_at_zero_is_zero() -> None:
    assert _both(lambda v: v.relu(), torch.relu, 0.0) == (0.0, [0.0])


def test_abs_grad_at_zero_is_zero() -> None:
    assert _both(lambda v: v.abs(), torch.abs, 0.0) == (0.0, [0.0])


@pytest.mark.parametrize("zero", [0, 0.0, -0.0])
def test_pow_zero_exponent_at_zero_base(zero: float) -> None:
    assert _both(lambda v: v**zero, lambda t: t**zero, 0.0) == (1.0, [0.0])
    assert _both(lambda v: v**zero, lambda t: t**zero, -2.0) == (1.0, [0.0])


def test_value_pow_value_at_zero_zero() -> None:
    got, grads = _both(lambda a, b: a**b, lambda a, b: a**b, 0.0, 0.0)
    assert got == 1.0 and grads == [0.0, 0.0]


@pytest.mark.parametrize("a,b", [(0.0, 2.0), (0.0, 0.5), (0.0, -1.0), (0.0, -2.0), (-0.0, -1.0), (0.0, 1.0)])
def test_value_pow_value_at_zero_base(a: float, b: float) -> None:
    _both(lambda x, y: x**y, lambda x, y: x**y, a, b)


@pytest.mark.parametrize("k", [0.5, 1.0, 2.0, -1.0, -0.5])
def test_pow_constant_at_zero_base(k: float) -> None:
    _both(lambda v: v**k, lambda t: t**k, 0.0)


def test_log_of_zero() -> None:
    got, (g,) = _both(lambda v: v.log(), torch.log, 0.0)
    assert got == -math.inf and g == math.inf


def test_log1p_of_minus_one_and_below() -> None:
    got, (g,) = _both(lambda v: v.log1p(), torch.log1p, -1.0)
    assert got == -math.inf and g == math.inf
    got, _ = _both(lambda v: v.log1p(), torch.log1p, -2.0)
    assert math.isnan(got)


def test_log_and_sqrt_of_negative_are_nan() -> None:
    got, (g,) = _both(lambda v: v.log(), torch.log, -1.0)
    assert math.isnan(got) and g == -1.0  # torch keeps the rule 1/x there
    got, (g,) = _both(lambda v: v.sqrt(), torch.sqrt, -1.0)
    assert math.isnan(got) and math.isnan(g)


def test_sqrt_of_zero() -> None:
    assert _both(lambda v: v.sqrt(), torch.sqrt, 0.0) == (0.0, [math.inf])


@pytest.mark.parametrize("a,b", [(1.0, 0.0), (-1.0, 0.0), (0.0, 0.0), (1.0, -0.0), (2.0, math.inf)])
def test_division_by_zero(a: float, b: float) -> None:
    _both(lambda x, y: x / y, lambda x, y: x / y, a, b)


def test_reflected_division_by_zero() -> None:
    got, (g,) = _both(lambda v: 3 / v, lambda t: 3 / t, 0.0)
    assert got == math.inf and g == -math.inf


@pytest.mark.parametrize("a,k", [(-8.0, 1 / 3), (-2.0, 0.5), (-1.0, -0.5), (-10.0, 1000.5), (-1e10, 30.5)])
def test_negative_base_fractional_exponent_is_nan_not_complex(a: float, k: float) -> None:
    for fn, tfn, xs in (
        (lambda v: v**k, lambda t: t**k, (a,)),
        (lambda x, y: x**y, lambda x, y: x**y, (a, k)),
        (lambda v: a**v, lambda t: a**t, (k,)),
    ):
        got, grads = _both(fn, tfn, *xs)
        assert isinstance(got, float) and math.isnan(got)
        assert all(isinstance(g, float) for g in grads)


@pytest.mark.parametrize("a,k", [(10.0, 400.0), (-10.0, 401.0), (-10.0, 400.0), (0.0, -3.0), (-0.0, -3.0)])
def test_pow_overflow_and_pole_give_signed_inf(a: float, k: float) -> None:
    got, _ = _both(lambda v: v**k, lambda t: t**k, a)
    assert math.isinf(got)
    _both(lambda x, y: x**y, lambda x, y: x**y, a, k)


def test_exp_overflow_is_inf() -> None:
    assert _both(lambda v: v.exp(), torch.exp, 1000.0) == (math.inf, [math.inf])


def test_sigmoid_and_softplus_saturate_without_overflow() -> None:
    assert _both(lambda v: v.sigmoid(), torch.sigmoid, -1000.0) == (0.0, [0.0])
    assert _both(lambda v: v.sigmoid(), torch.sigmoid, 1000.0) == (1.0, [0.0])
    assert _both(lambda v: v.softplus(), torch_softplus, -1000.0) == (0.0, [0.0])
    assert _both(lambda v: v.softplus(), torch_softplus, 1000.0) == (1000.0, [1.0])


def test_maximum_minimum_tie_split_gradient() -> None:
    assert _both(lambda a, b: a.maximum(b), torch.maximum, 1.5, 1.5) == (1.5, [0.5, 0.5])
    assert _both(lambda a, b: a.minimum(b), torch.minimum, -2.0, -2.0) == (-2.0, [0.5, 0.5])


def test_clip_bounds_are_inside() -> None:
    # torch.clamp passes the gradient at the bounds themselves
    assert _both(lambda v: v.clip(-1, 1), lambda t: t.clamp(-1, 1), 1.0) == (1.0, [1.0])
    assert _both(lambda v: v.clip(-1, 1), lambda t: t.clamp(-1, 1), -1.0) == (-1.0, [1.0])
    assert _both(lambda v: v.clip(-1, 1), lambda t: t.clamp(-1, 1), 1.5) == (1.0, [0.0])


@pytest.mark.parametrize("x", [-1.0, 0.0, 1.0, 1.5, 2.0, 3.0])
def test_clip_with_min_above_max_gives_max(x: float) -> None:
    # torch.clamp documents: if min > max, every element becomes max
    _both(lambda v: v.clip(2.0, 1.0), lambda t: t.clamp(2.0, 1.0), x)


def test_results_are_python_floats() -> None:
    v = Value(3)
    assert type(v.data) is float
    for out in (v + 1, v**2, 2**v, v.exp(), v.relu(), v.maximum(1), (-v).sqrt(), (v - 3).log()):
        assert type(out.data) is float


def test_comparisons_return_plain_bools() -> None:
    a, b = Value(1.0), Value(2.0)
    results = [a < b, a <= b, a > b, a >= b, a < 2, a <= 1, a > 0.5, a >= 3, 2 > a, 0 < a, 1 >= a]
    assert results == [True, True, False, False, True, True, True, False, True, True, True]
    assert all(type(r) is bool for r in results)
    assert (a == Value(1.0)) is False and (a == a) is True  # == stays identity (nodes are hashable)
    assert len({a, b, a}) == 2


def test_graph_structure_is_recorded() -> None:
    a, b = Value(2.0, label="a"), Value(3.0)
    c = a * b
    assert c.op == "*" and c.children == (a, b) and c.local_grads == (3.0, 2.0)
    d = a**2
    assert d.children == (a,) and d.local_grads == (4.0,)
    assert ag.Value(1.0).op == "" and ag.Value(1.0).children == ()
