"""The dtype edges left after torch's promotion (session 15), each against torch 2.13: clamp by bool
or integer tensor bounds, gcd/lcm and the shifts with bools, bool arithmetic and the reductions torch
refuses for integers (mean, var), integer division by zero, and ``grad_fn.next_functions`` over the
promotion's casts. Values and dtypes are compared exactly; gradients at first and second order,
eager and compiled, where the op is differentiable."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import autograd as ag


@pytest.fixture(autouse=True)
def _torchs_default_dtype_is_ours() -> Any:
    """torch's default dtype set to this library's (float64), so where both give the default float
    dtype (int8 / int8) they give the same one."""
    before = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(before)


def _dtype(lib: Any, name: str) -> Any:
    return getattr(torch, name) if lib is torch else np.dtype(name)


def _tensor(lib: Any, values: Any, dtype: str, requires_grad: bool = False) -> Any:
    t = lib.tensor(np.asarray(values).tolist(), dtype=_dtype(lib, dtype))
    return t.requires_grad_(True) if requires_grad else t


def _outcome(f: Callable[[], Any]) -> Any:
    """(dtype name, values) of a result, or (exception class name, message) of an error."""
    try:
        r = f()
    except Exception as e:  # noqa: BLE001 (compared with torch's)
        return type(e).__name__, str(e).split(" (")[0]
    return str(r.dtype).replace("torch.", ""), np.asarray(
        r.detach().numpy() if isinstance(r, torch.Tensor) else r.data
    )


def _same(f: Callable[[Any], Any]) -> None:
    """``f(lib)`` gives torch's dtype and values (nan where torch's), or torch's error class."""
    theirs, mine = _outcome(lambda: f(torch)), _outcome(lambda: f(ag))
    if isinstance(theirs[1], str):
        assert mine[0] in (theirs[0], "ArgumentError"), (theirs, mine)
        return
    assert not isinstance(mine[1], str), (theirs, mine)
    assert mine[0] == theirs[0], (theirs, mine)
    if mine[1].dtype.kind == "f":  # (var and std are composed here: a float32 ulp apart, numerics.md)
        np.testing.assert_allclose(mine[1], theirs[1], rtol=1e-6 if mine[1].dtype == np.float32 else 1e-14)
    else:
        np.testing.assert_array_equal(mine[1], theirs[1])


# ----------------------------------------------------------------------------- clamp
X = [0.5, 2.5, -1.0, np.nan, np.inf, -np.inf, 0.0]
LOW = [1, 2, 0, 1, 0, 0, -1]
MASK = [False, True, True, False, True, False, True]


@pytest.mark.parametrize("xdtype", ["float32", "float64", "int64", "bool", "int8", "uint8"])
@pytest.mark.parametrize("bdtype", ["bool", "int64", "int8", "float64"])
@pytest.mark.parametrize("form", ["min", "max", "both", "0-d", "clamp_min", "clamp_max", "clip", "fn"])
def test_clamp_by_bool_and_integer_tensors_is_torchs(xdtype: str, bdtype: str, form: str) -> None:
    x = {"bool": MASK, "uint8": [0, 3, 2, 1, 5, 0, 1], "int8": [0, 3, -2, 1, 5, 0, 1]}.get(xdtype, X)
    x = [0, 3, -2, 1, 5, 0, 1] if xdtype == "int64" else x

    def f(lib: Any) -> Any:
        t = _tensor(lib, x, xdtype)
        lo = _tensor(lib, (MASK if bdtype == "bool" else LOW)[: t.shape[0]], bdtype)
        hi = _tensor(lib, [True] * t.shape[0] if bdtype == "bool" else [2] * t.shape[0], bdtype)
        return {
            "min": lambda: lib.clamp(t, lo),
            "max": lambda: lib.clamp(t, max=hi),
            "both": lambda: t.clamp(lo, hi),
            "0-d": lambda: t.clamp(lo[1], hi[0]),
            "clamp_min": lambda: t.clamp_min(lo),
            "clamp_max": lambda: t.clamp_max(hi),
            "clip": lambda: t.clip(min=lo),
            "fn": lambda: lib.clip(t, lo, hi),
        }[form]()

    _same(f)


@pytest.mark.parametrize("xdtype", ["float32", "int64", "bool", "uint8"])
@pytest.mark.parametrize("bdtype", ["bool", "int64", "float64"])
def test_clamp_in_place_by_tensors_is_torchs(xdtype: str, bdtype: str) -> None:
    """The result written into the tensor where torch's promotion allows it, else torch's error."""
    x = [0.5, 2.5, -1.0] if xdtype == "float32" else [True, False, True] if xdtype == "bool" else [0, 3, 1]
    for make in (lambda lib: _tensor(lib, [0, 1, 1], bdtype), lambda lib: _tensor(lib, 1, bdtype)):

        def f(lib: Any, make: Any = make) -> Any:
            t = _tensor(lib, x, xdtype)
            out = t.clamp_(make(lib))
            assert out is t
            return t

        _same(f)


@pytest.mark.parametrize("bounds", [(True, None), (None, False), (True, 2), (False, True)])
@pytest.mark.parametrize("xdtype", ["float64", "int64", "bool"])
def test_clamp_by_python_bools_is_torchs(bounds: tuple[Any, Any], xdtype: str) -> None:
    """A Python bool bound is the number 0 or 1; where the result would be bool torch refuses."""
    x = [0.5, 2.5, -1.0] if xdtype == "float64" else [True, False, True] if xdtype == "bool" else [0, 3, -1]
    _same(lambda lib: _tensor(lib, x, xdtype).clamp(*bounds))
    if xdtype == "bool" and bounds == (True, None):
        with pytest.raises(NotImplementedError, match="\"clamp_min_scalar_cpu\" not implemented for 'Bool'"):
            ag.tensor(x).clamp(True)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_clamp_by_bool_and_integer_bounds_gradients_are_torchs(dtype: str) -> None:
    """x's gradient 1 inside, bounds included, 0 outside and at nan; second order through a product;
    0-d and empty; a compiled step gives the same numbers."""
    data = [0.5, 2.5, -1.0, np.nan, np.inf, -np.inf, 1.0, 0.0]
    grads = []
    for lib in (torch, ag):
        x = _tensor(lib, data, dtype, requires_grad=True)
        low = _tensor(lib, [True, False, True, True, False, True, True, False], "bool")
        high = _tensor(lib, [1, 2, 0, 3, 5, 2, 1, 0], "int64")
        y = (x.clamp(low, high) * x * x).sum()
        (g,) = lib.autograd.grad(y, x, create_graph=True)
        (h,) = lib.autograd.grad(g.sum(), x)
        z = x[1].clamp(low[0], high[1]) * x[1]  # (0-d)
        (g0,) = lib.autograd.grad(z, x)
        e = x[:0].clamp(low[:0], high[:0])
        grads.append([_np(v) for v in (y, g, h, g0)] + [e.shape[0], str(e.dtype).replace("torch.", "")])
    for a, b in zip(*grads):
        np.testing.assert_array_equal(a, b)
    w = ag.tensor([0.5, 2.5, -1.0, 1.0], dtype=np.dtype(dtype), requires_grad=True)
    low, high = ag.tensor([True, False, True, True]), ag.tensor([1, 2, 0, 3])

    def step(w: Any, low: Any, high: Any) -> Any:
        return (w.clamp(low, high) * w).sum()

    compiled = ag.compile(step, check=True)
    for lo in (low, ag.tensor([False, True, True, False])):
        eager = step(w, lo, high)
        eager.backward()
        g, w.grad = w.grad.data.copy(), None
        assert compiled(w, lo, high).item() == eager.item() and np.array_equal(w.grad.data, g)
        w.grad = None


def _np(x: Any) -> np.ndarray:
    return x.detach().numpy() if isinstance(x, torch.Tensor) else np.asarray(x.data)


# ----------------------------------------------------------------------------- gcd, lcm, shifts
A_VALUES = {"bool": [True, False, True, False], "int64": [3, -7, 0, 100], "int8": [100, -100, 127, -128]}
B_VALUES = {"bool": [True, True, False, False], "int64": [2, 3, 70, -1], "int8": [1, 3, 9, -1]}
SHIFTS_AND_DIVISORS: dict[str, Callable[[Any, Any, Any], Any]] = {
    "gcd": lambda lib, a, b: lib.gcd(a, b),
    "lcm": lambda lib, a, b: lib.lcm(a, b),
    "gcd_method": lambda lib, a, b: a.gcd(b),
    "<<": lambda lib, a, b: a << b,
    ">>": lambda lib, a, b: a >> b,
    "bitwise_left_shift": lambda lib, a, b: a.bitwise_left_shift(b),
    "bitwise_right_shift": lambda lib, a, b: a.bitwise_right_shift(b),
    "torch.bitwise_left_shift": lambda lib, a, b: lib.bitwise_left_shift(a, b),
    "torch.bitwise_right_shift": lambda lib, a, b: lib.bitwise_right_shift(a, b),
}


@pytest.mark.parametrize("op", list(SHIFTS_AND_DIVISORS))
@pytest.mark.parametrize("adtype", list(A_VALUES))
@pytest.mark.parametrize("bdtype", [*B_VALUES, "0-d int64", "0-d bool", "float64"])
def test_gcd_lcm_and_shifts_promote_bools_as_torch(op: str, adtype: str, bdtype: str) -> None:
    """A bool beside an integer is promoted (gcd(bool, int64) is int64); two bools, or a float, are
    refused with torch's error class. Shifts by 64 or more and by negative counts as torch's."""

    def f(lib: Any) -> Any:
        a = _tensor(lib, A_VALUES[adtype], adtype)
        if bdtype.startswith("0-d"):
            b = _tensor(lib, 3 if "int" in bdtype else True, bdtype[4:])
        elif bdtype == "float64":
            b = _tensor(lib, [1.0, 2.0, 3.0, 4.0], bdtype)
        else:
            b = _tensor(lib, B_VALUES[bdtype], bdtype)
        return SHIFTS_AND_DIVISORS[op](lib, a, b)

    _same(f)


def test_integer_op_messages_are_torchs() -> None:
    b, i = ag.tensor([True, False]), ag.tensor([4, 6])
    for f, message in [
        (lambda: ag.gcd(b, b), "\"gcd_cpu\" not implemented for 'Bool'"),
        (lambda: ag.lcm(i, ag.tensor([1.0, 2.0])), "\"lcm_cpu\" not implemented for 'Double'"),
        (lambda: b << b, "\"lshift_cpu\" not implemented for 'Bool'"),
        (lambda: i >> ag.tensor([1.0, 2.0], dtype=ag.float32), "\"rshift_cpu\" not implemented for 'Float'"),
        (lambda: b // b, "\"div_floor_cpu\" not implemented for 'Bool'"),
        (lambda: b % b, "\"remainder_cpu\" not implemented for 'Bool'"),
        (lambda: ag.fmod(b, b), "\"fmod_cpu\" not implemented for 'Bool'"),
        (lambda: b.div(b, rounding_mode="trunc"), "\"div_trunc_cpu\" not implemented for 'Bool'"),
        (lambda: ag.hypot(i, i), "\"hypot_cpu\" not implemented for 'Long'"),
        (lambda: b.abs(), "\"abs_cpu\" not implemented for 'Bool'"),
    ]:
        with pytest.raises(NotImplementedError) as caught:
            f()
        assert str(caught.value) == message


@pytest.mark.parametrize("number", [True, 2, -1, 70, 2.5])
@pytest.mark.parametrize("dtype", ["bool", "int64"])
def test_a_number_shifted_by_a_tensor_is_torchs(number: Any, dtype: str) -> None:
    """``2 << t`` and ``2 >> t`` (Python's reflected operators), as torch's."""
    values = [True, False, True] if dtype == "bool" else [3, 0, 70]
    _same(lambda lib: number << _tensor(lib, values, dtype))
    _same(lambda lib: number >> _tensor(lib, values, dtype))
    _same(lambda lib: lib.bitwise_left_shift(number, _tensor(lib, values, dtype)))
    _same(lambda lib: lib.bitwise_right_shift(number, _tensor(lib, values, dtype)))


# ----------------------------------------------------------------------------- bools and small integers
ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "**": lambda a, b: a**b,
    "&": lambda a, b: a & b,
    "|": lambda a, b: a | b,
    "^": lambda a, b: a ^ b,
    "maximum": lambda a, b: torch.maximum(a, b) if isinstance(a, torch.Tensor) else ag.maximum(a, b),
    "==": lambda a, b: a == b,
    "<": lambda a, b: a < b,
}
WRAP = {"bool": [True, False, True, False], "int8": [100, -100, 127, -128], "uint8": [200, 5, 255, 0]}
WRAP_B = {"bool": [True, True, False, False], "int8": [100, 3, 1, 2], "uint8": [100, 10, 1, 3]}


@pytest.mark.parametrize("op", list(ARITHMETIC))
@pytest.mark.parametrize("adtype", list(WRAP))
@pytest.mark.parametrize("bdtype", [*WRAP, "int64", "0-d int8", "0-d bool", "number"])
def test_bool_and_small_integer_arithmetic_is_torchs(op: str, adtype: str, bdtype: str) -> None:
    """True + True is True; bool * bool is bool; int8 and uint8 wrap around (100 + 100 = -56), in
    the dtype torch's promotion gives (int8 + uint8 is int16); torch's refusals too."""
    if op == "**" and (bdtype == "number" or "bool" not in (adtype, bdtype)):
        pytest.skip("integer powers and bool ** True: open differences (numerics.md)")
    if op == "maximum" and bdtype == "number":
        pytest.skip("torch.maximum refuses a number (a TypeError); this library takes it")

    def f(lib: Any) -> Any:
        a = _tensor(lib, WRAP[adtype], adtype)
        if bdtype == "number":
            b = True if adtype == "bool" else 2
        elif bdtype.startswith("0-d"):
            b = _tensor(lib, WRAP_B[bdtype[4:]][0], bdtype[4:])
        else:
            b = _tensor(lib, WRAP_B.get(bdtype, [2, 3, 4, 5]), bdtype)
        return ARITHMETIC[op](a, b)

    _same(f)


REDUCTIONS: dict[str, Callable[[Any, Any], Any]] = {
    "sum": lambda lib, t: t.sum(),
    "sum_dim": lambda lib, t: t.sum(0),
    "prod": lambda lib, t: t.prod(),
    "mean": lambda lib, t: t.mean(),
    "mean_dtype": lambda lib, t: t.mean(dtype=_dtype(lib, "float64")),
    "nanmean": lambda lib, t: lib.nanmean(t),
    "var": lambda lib, t: t.var(),
    "std": lambda lib, t: lib.std(t, 0),
    "std_mean": lambda lib, t: lib.std_mean(t)[0],
    "var_mean": lambda lib, t: lib.var_mean(t)[1],
    "cumsum": lambda lib, t: t.cumsum(0),
    "amax": lambda lib, t: t.amax(),
    "positive": lambda lib, t: +t,
    "positive_fn": lambda lib, t: lib.positive(t),
    "negative": lambda lib, t: -t,
    "abs": lambda lib, t: t.abs(),
}


@pytest.mark.parametrize("name", list(REDUCTIONS))
@pytest.mark.parametrize("dtype", ["bool", "int64", "float32"])
@pytest.mark.parametrize("shape", ["1-d", "0-d", "empty"])
def test_reductions_of_bools_and_integers_are_torchs(name: str, dtype: str, shape: str) -> None:
    """sum of bools is int64; mean, nanmean, var, std of integers or bools are refused (RuntimeError,
    torch's message); +bool refused; all of them 1-d, 0-d and empty."""
    values = {"bool": [True, False, True], "int64": [3, -7, 100], "float32": [0.5, -1.5, 2.0]}[dtype]

    def f(lib: Any) -> Any:
        t = _tensor(lib, values, dtype)
        t = t[1] if shape == "0-d" else t[:0] if shape == "empty" else t
        if name == "cumsum" and shape == "0-d":
            pytest.skip("cumsum of a 0-d bool tensor is bool here, int64 in torch: open")
        return REDUCTIONS[name](lib, t)

    _same(f)
    theirs = _outcome(lambda: REDUCTIONS[name](torch, _tensor(torch, values, dtype)))
    if isinstance(theirs[1], str) and theirs[0] == "RuntimeError":  # (the message itself, too)
        mine = _outcome(lambda: REDUCTIONS[name](ag, _tensor(ag, values, dtype)))
        assert mine == theirs


def test_numpys_mean_var_and_std_of_integer_tensors_stay_numpys() -> None:
    """np.mean(t) of an int64 Tensor is numpy's float64 mean (the Tensor method refuses, as torch)."""
    t = ag.tensor([1, 2, 4])
    assert np.mean(t).item() == pytest.approx(7 / 3, rel=1e-15) and np.mean(t).dtype == ag.float64
    assert np.var(t).item() == np.var([1, 2, 4]) and np.std(t, ddof=1).item() == np.std([1, 2, 4], ddof=1)


# ----------------------------------------------------------------------------- integer division by zero
DIVISIONS: dict[str, Callable[[Any, Any, Any], Any]] = {
    "//": lambda lib, a, b: a // b,
    "%": lambda lib, a, b: a % b,
    "div_floor": lambda lib, a, b: lib.div(a, b, rounding_mode="floor"),
    "div_trunc": lambda lib, a, b: a.div(b, rounding_mode="trunc"),
    "fmod": lambda lib, a, b: lib.fmod(a, b),
    "remainder": lambda lib, a, b: lib.remainder(a, b),
    "floor_divide": lambda lib, a, b: a.floor_divide(b),
}


@pytest.mark.parametrize("op", list(DIVISIONS))
@pytest.mark.parametrize(
    "divisor", ["int64 with 0", "0-d 0", "number 0", "bool with False", "int64 no 0", "empty", "float 0"]
)
@pytest.mark.parametrize("dividend", ["int64", "0-d int64", "bool", "float64"])
def test_integer_division_by_zero_is_torchs_error(op: str, divisor: str, dividend: str) -> None:
    """torch raises ``RuntimeError: ZeroDivisionError`` for an integer divisor with a 0 anywhere
    (numpy gives 0); a float division by 0 stays inf or nan, and an empty divisor divides nothing."""

    def f(lib: Any) -> Any:
        a = {
            "int64": lambda: _tensor(lib, [7, -7, 0], "int64"),
            "0-d int64": lambda: _tensor(lib, -7, "int64"),
            "bool": lambda: _tensor(lib, [True, False, True], "bool"),
            "float64": lambda: _tensor(lib, [7.0, -7.0, 0.0], "float64"),
        }[dividend]()
        b = {
            "int64 with 0": lambda: _tensor(lib, [2, 0, 3], "int64"),
            "0-d 0": lambda: _tensor(lib, 0, "int64"),
            "number 0": lambda: 0,
            "bool with False": lambda: _tensor(lib, [True, False, True], "bool"),
            "int64 no 0": lambda: _tensor(lib, [2, -3, 3], "int64"),
            "empty": lambda: _tensor(lib, [], "int64"),
            "float 0": lambda: _tensor(lib, [0.0, 2.0, -0.0], "float64"),
        }[divisor]()
        if divisor == "empty":
            a = a[:0] if a.ndim else a
        return DIVISIONS[op](lib, a, b)

    _same(f)
    theirs = _outcome(lambda: f(torch))
    if theirs == ("RuntimeError", "ZeroDivisionError"):
        assert _outcome(lambda: f(ag)) == theirs


@pytest.mark.parametrize("op", ["//", "%"])
def test_a_number_over_an_integer_tensor_with_a_zero_is_refused(op: str) -> None:
    """``2 // t`` and ``True % t`` (reflected), as torch: refused where t holds a 0."""
    for number in (2, True):
        for values in ([3, 0, -2], [3, 1, -2]):
            _same(lambda lib, n=number, v=values: DIVISIONS[op](lib, n, _tensor(lib, v, "int64")))


# ----------------------------------------------------------------------------- next_functions
def _names(fn: Any) -> Any:
    """The backward graph below ``fn`` as nested (name, inputs) tuples, by torch's names (the repr of
    a torch node and of this library's is ``<AddBackward0 object ...>``)."""
    if fn is None:
        return None
    name = repr(fn).strip("<>").split()[0]
    return name if not fn.next_functions else (name, tuple(_names(f) for f, _ in fn.next_functions))


GRAPHS: dict[str, Callable[[Any, Any, Any, Any], Any]] = {
    "f32 + f64": lambda lib, a, b, i: a + b,
    "f64 0-d * f32": lambda lib, a, b, i: b.sum() * a,
    "f32 * int": lambda lib, a, b, i: a * i,
    "int / f32": lambda lib, a, b, i: i / a,
    "where mixed": lambda lib, a, b, i: lib.where(a > 1, a, b),
    "where number": lambda lib, a, b, i: lib.where(a > 1, a, 0.0),
    "to(float64) + f64": lambda lib, a, b, i: a.to(_dtype(lib, "float64")) + b,
    "chain": lambda lib, a, b, i: ((a + b) * a).sin() - b * i,
}


@pytest.mark.parametrize("graph", list(GRAPHS))
def test_next_functions_pass_over_the_promotions_casts(graph: str) -> None:
    """float32 + float64 is AddBackward0 straight to both AccumulateGrads, as torch shows it (the
    cast happens inside the op); an explicit ``.to`` stays a ToCopyBackward0. Gradients unchanged."""
    shown, grads = [], []
    for lib in (torch, ag):
        a = _tensor(lib, [1.5, 0.5, 2.0], "float32", requires_grad=True)
        b = _tensor(lib, [0.25, 3.0, -1.0], "float64", requires_grad=True)
        i = _tensor(lib, [1, 2, 3], "int64")
        y = GRAPHS[graph](lib, a, b, i)
        shown.append(_names(y.grad_fn))
        y.sum().backward()
        grads.append([_np(a.grad), _np(b.grad) if b.grad is not None else None])
    assert shown[1] == shown[0]
    for mine, theirs in zip(grads[1], grads[0]):
        assert (mine is None) == (theirs is None)
        if mine is not None:
            assert mine.dtype == theirs.dtype
            np.testing.assert_allclose(mine, theirs, rtol=1e-6)


@pytest.mark.parametrize("op", [operator.ipow, operator.ifloordiv, operator.imod])
@pytest.mark.parametrize("dtype", ["float64", "int64"])
def test_the_in_place_operators_write_in_place(op: Any, dtype: str) -> None:
    """``t **= y``, ``t //= y`` and ``t %= y`` are torch's ``pow_``, ``floor_divide_`` and
    ``remainder_``: the tensor itself is written (a view's write reaches its base), and a float
    result into an integer tensor is refused (they rebound the name before: a new tensor)."""
    x = ag.tensor([5, -7, 2, 3], dtype=getattr(ag, dtype))
    tx = torch.tensor([5, -7, 2, 3], dtype=getattr(torch, dtype))
    view = x[:3]
    assert op(view, 2) is view and op(tx[:3], 2) is not None
    assert x.tolist() == tx.tolist() and x.dtype == np.dtype(dtype)
    if dtype == "int64":
        with pytest.raises(
            RuntimeError, match="result type Float can't be cast to the desired output type Long"
        ):
            op(x, 2.5)


def test_the_listed_differences_hold() -> None:
    """What numerics.md lists as still differing from torch, each as it is here (and torch's, so a
    change on either side is seen): a tensor exponent's last bit (torch's SLEEF pow), refusals torch
    has and this library not (the reductions' are now torch's: tests/engine/test_reduction_sweep.py)."""
    assert ag.tensor([[True, False]]).matmul(ag.tensor([[True], [True]])).item() == 1
    with pytest.raises(RuntimeError, match="Bool"):
        torch.tensor([[True, False]]).matmul(torch.tensor([[True], [True]]))
    d = np.random.default_rng(0).normal(size=1000)
    mine, theirs = (ag.tensor(d) ** ag.tensor(3.0)).data, (torch.tensor(d) ** torch.tensor(3.0)).numpy()
    assert np.array_equal(mine, np.power(d, np.full(d.shape, 3.0))) and 0.002 < np.mean(mine != theirs) < 0.05
