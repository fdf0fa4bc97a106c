"""Every elementwise op of the table, end to end, against torch 2.13 float64.

For each entry of ``autograd/ops``: its value, first and second derivatives on ``Value``s and on
``Tensor``s (0-d, 1-d, broadcast and empty), and value and gradient on a ``ValueArray``, at ordinary
numbers and at nan, ±inf, ±0 and a subnormal; its numpy ufunc on a Tensor; its module function
``autograd.<name>`` under every spelling, on each node type and on plain numbers; and its method
aliases. The ops with plain results (sign, floor, ...) are checked inside a product ``x · op(x)``,
whose derivatives torch computes through its zero-gradient op.

A new entry is covered without being named here: its reference is ``torch.<its first torch name>``
(``TORCH`` holds the exceptions, ``PARAMS`` the parameters to call it with).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import autograd as ag
from autograd import Tensor, Value, ValueArray, ops
from autograd.ops import listing
from autograd.ops.elementwise import Elementwise

NAN, INF = math.nan, math.inf
GRID = [NAN, INF, -INF, 0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 1e-310, 40.0, -50.0, 0.3]

#: torch's function for each op (default: torch.<first torch name>)
TORCH: dict[str, Callable[..., torch.Tensor]] = {
    "softplus": lambda x: F.softplus(x, threshold=40.0),  # (torch switches to x above 20 by default)
    "clip": lambda x, min, max: torch.clamp(x, min, max),
    # (torch.floor_divide has no derivative at all: its rounding division has derivative 0)
    "floor_divide": lambda x, y: torch.div(x, y, rounding_mode="floor"),
    "polygamma": lambda x, n: torch.polygamma(n, x),  # (torch's order: n first)
}
PARAMS: dict[str, dict[str, float]] = {
    "clip": {"min": -1.0, "max": 2.0},
    "nan_to_num": {"posinf": 7.0},
    "polygamma": {"n": 2},
}
#: inputs left out of the grid where torch's result is not its own: its vectorised fmod kernel gives
#: nan for a subnormal divisor, its 0-d one the exact remainder (a listed difference, see
#: test_fmod_by_a_subnormal_divisor_is_exact)
LEFT_OUT: dict[tuple[str, int], list[float]] = {("remainder", 1): [1e-310], ("fmod", 1): [1e-310]}
ENTRIES = list(ops.TABLE.values())
IDS = [e.name for e in ENTRIES]


def torch_fn(entry: Elementwise) -> Callable[..., torch.Tensor]:
    if entry.name in TORCH:
        fn = TORCH[entry.name]
    else:  # (torch.special's functions that torch has nowhere else: ndtri, entr, i1, ...)
        fn = getattr(torch, entry.torch[0], None) or getattr(torch.special, entry.torch[0])
    params = PARAMS.get(entry.name, {})
    if entry.plain:  # a plain result: checked as x · op(x), whose derivatives flow through x only
        return lambda x, *rest: x * fn(x, *rest)
    return lambda *xs: fn(*xs, **params)


def ours_fn(entry: Elementwise) -> Callable[..., Any]:
    params = PARAMS.get(entry.name, {})
    if entry.plain:
        return lambda x, *rest: x * getattr(x, entry.name)(*rest)
    return lambda x, *rest: getattr(x, entry.name)(*rest, **params)


def grid(entry: Elementwise, i: int) -> list[float]:
    """The numbers input ``i`` of ``entry`` takes."""
    return [x for x in GRID if x not in LEFT_OUT.get((entry.name, i), ())]


def points(entry: Elementwise) -> np.ndarray:
    """The grid (unary), or every pair from it (binary): shape (arity, n)."""
    return np.array(list(itertools.product(*(grid(entry, i) for i in range(entry.arity))))).T


def agree(ours: Any, theirs: Any, rtol: float = 1e-9, atol: float = 1e-12) -> bool:
    a, b = np.asarray(ours, dtype=np.float64), np.asarray(theirs, dtype=np.float64)
    if a.shape != b.shape or (np.isnan(a) != np.isnan(b)).any():
        return False
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    inf = np.isinf(a) | np.isinf(b)
    finite = np.abs(a[~inf] - b[~inf]) <= rtol * np.abs(b[~inf]) + atol
    return bool((a[inf] == b[inf]).all() and finite.all())


def torch_derivatives(entry: Elementwise, columns: np.ndarray) -> tuple[np.ndarray, list, list]:
    """torch's values, gradients of Σ f and derivatives of Σ (those gradients), per input."""
    xs = [torch.tensor(c, dtype=torch.float64, requires_grad=True) for c in columns]
    out = torch_fn(entry)(*xs)
    gs = torch.autograd.grad(out.sum(), xs, create_graph=True, materialize_grads=True)
    total = sum(g.sum() for g in gs if g.requires_grad)
    hs = (
        torch.autograd.grad(total, xs, allow_unused=True, materialize_grads=True)
        if isinstance(total, torch.Tensor) and total.requires_grad
        else [torch.zeros_like(x) for x in xs]
    )
    return out.detach().numpy(), [g.numpy(force=True) for g in gs], [h.numpy(force=True) for h in hs]


def engine_derivatives(entry: Elementwise, leaves: list[Any]) -> tuple[Any, list, list]:
    out = ours_fn(entry)(*leaves)
    total = out.sum() if isinstance(out, Tensor) else out
    gs = ag.grad(total, leaves, create_graph=True, allow_unused=True, materialize_grads=True)
    nodes = [g for g in gs if (g.requires_grad if isinstance(g, Tensor) else isinstance(g, Value))]
    second = None
    for g in nodes:
        term = g.sum() if isinstance(g, Tensor) else g
        second = term if second is None else second + term
    constant = isinstance(second, Value) and not second.op and all(second is not x for x in leaves)
    if second is None or constant:
        hs = [np.zeros(np.shape(x.data)) for x in leaves]
    else:
        hs = ag.grad(second, leaves, allow_unused=True, materialize_grads=True)
    as_array = lambda v: np.asarray(v.data if isinstance(v, (Value, Tensor)) else v, dtype=np.float64)  # noqa: E731
    return as_array(out), [as_array(g) for g in gs], [as_array(h) for h in hs]


def _check(entry: Elementwise, where: str, ours: tuple, theirs: tuple, second: bool = True) -> list[str]:
    """Differences: values and first derivatives exactly as torch; second derivatives too wherever
    torch's is finite."""
    (v, gs, hs), (tv, tgs, ths) = ours, theirs
    hs = hs if second else ths
    bad = [] if agree(v, tv) else [f"{entry.name} {where}: value {v} vs torch {tv}"]
    bad += [f"{entry.name} {where}: grad {g} vs torch {t}" for g, t in zip(gs, tgs) if not agree(g, t)]
    for h, t in zip(hs, ths):
        finite = np.isfinite(t)
        if not agree(np.where(finite, h, 0), np.where(finite, t, 0)):
            bad.append(f"{entry.name} {where}: second derivative {h} vs torch {t}")
    return bad


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_value_first_and_second_derivatives_match_torch(entry: Elementwise) -> None:
    columns = points(entry)
    tv, tgs, ths = torch_derivatives(entry, columns)
    bad = []
    for k, inputs in enumerate(columns.T.tolist()):
        leaves = [Value(x) for x in inputs]
        ours = engine_derivatives(entry, leaves)
        theirs = (tv[k], [g[k] for g in tgs], [h[k] for h in ths])
        # a Value's local derivative is a number: 1/x at a subnormal x overflows, where torch's g/x
        # may not (a listed difference; test_value_local_derivative_overflows_at_subnormal_inputs)
        subnormal = any(0 < abs(x) < 2.2e-308 for x in inputs)
        bad += _check(entry, f"at {inputs}", ours, theirs, second=not subnormal)
    assert not bad, "\n".join(bad[:10])


SHAPES = [((), ()), ((14,), (14,)), ((0,), (0,)), ((2, 0), (0,)), ((3, 1), (1, 4))]


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
@pytest.mark.parametrize("shapes", SHAPES, ids=lambda s: str(s[0]))
def test_tensor_first_and_second_derivatives_match_torch(entry: Elementwise, shapes: tuple) -> None:
    rng = np.random.default_rng(len(entry.name))
    arrays = [rng.choice(grid(entry, i), size=s) for i, s in enumerate(shapes[: entry.arity])]
    theirs = torch_derivatives(entry, arrays)
    ours = engine_derivatives(entry, [Tensor(a, requires_grad=True) for a in arrays])
    bad = _check(entry, f"on shapes {[a.shape for a in arrays]}: {arrays}", ours, theirs)
    assert not bad, "\n".join(bad[:10])


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_value_array_matches_torch(entry: Elementwise) -> None:
    columns = points(entry)
    leaves = [ValueArray(c) for c in columns]
    out = ours_fn(entry)(*leaves)
    out.sum().to_value().backward()
    tv, tgs, _ = torch_derivatives(entry, columns)
    assert agree(out.data, tv)
    assert all(agree(x.grad, g) for x, g in zip(leaves, tgs))


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.ufuncs], ids=[e.name for e in ENTRIES if e.ufuncs])
def test_numpy_ufunc_dispatches_to_the_op(entry: Elementwise) -> None:
    a, b = np.array([0.5, -1.5, 2.0]), np.array([1.5, 0.25, -3.0])
    t, u = Tensor(a, requires_grad=True), Tensor(b)
    method = getattr(t, entry.name)
    for ufunc in entry.ufuncs:
        got = ufunc(t) if entry.arity == 1 else ufunc(t, b)
        want = method() if entry.arity == 1 else method(u)
        if entry.plain:  # a Tensor no gradient passes through (as torch's; a compiled step replays it)
            assert isinstance(got, Tensor) and not got.requires_grad and not want.requires_grad
            assert np.array_equal(got.data, want.data)
        else:  # (a composed op's node is its ops': square's is **)
            assert isinstance(got, Tensor) and got.op == want.op and got.requires_grad
            assert got.op == entry.label or entry.rules == ()
            assert np.array_equal(got.data, want.data, equal_nan=True)


#: Tensor methods with an argument of torch's that the table's op lacks (written in TorchMethods)
TORCH_ARGUMENTS = {"round": "decimals", "pow": "exponent"}


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # (numpy's, on plain arrays: arccosh(0.7))
@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_every_spelling_is_a_method_and_a_function(entry: Elementwise) -> None:
    """The numpy and torch names: the same method on each node type, and autograd.<name> on each
    node type and on plain numbers (the float forward for a number, the numpy one for an array)."""
    params = PARAMS.get(entry.name, {})
    a, b = [0.7, 0.2], [1.3, 2.0]
    for cls in (Value, Tensor, ValueArray):
        for name in entry.names:
            if cls is Tensor and name in TORCH_ARGUMENTS:  # (the same numbers without the argument)
                args = (Tensor(b),) if entry.arity == 2 else ()
                ours, base = getattr(Tensor(a), name)(*args), getattr(Tensor(a), entry.name)(*args)
                assert np.array_equal(ours.data, base.data)
                continue
            assert getattr(cls, name) is getattr(cls, entry.name), (cls, name)
    for name in entry.names:
        function = getattr(ag, name)
        assert name in ag.__all__ and function.__doc__.startswith(entry.doc)
        pairs = ((Value(a[0]), b[0]), (a[0], Value(b[0])), (Tensor(a), b), (a, Tensor(b)), (ValueArray(a), b))
        for x, y in pairs:
            if entry.arity == 1 and not isinstance(x, (Value, Tensor, ValueArray)):
                continue
            got = function(input=x, **params) if entry.arity == 1 else function(x, y)
            node = next(v for v in (x, y) if isinstance(v, (Value, Tensor, ValueArray)))
            want = getattr(node, entry.name)(**params) if entry.arity == 1 else _reference(entry, x, y)
            assert np.array_equal(_numbers(got), _numbers(want), equal_nan=True), (name, x, y)
        plain = function(input=a[0], **params) if entry.arity == 1 else function(a[0], b[0])
        assert type(plain) is float and _same(plain, _numbers(getattr(Value(a[0]), entry.name)(*(
            [] if entry.arity == 1 else [b[0]]), **params)))
        arrays = (
            function(input=np.array(a), **params) if entry.arity == 1 else function(np.array(a), np.array(b))
        )
        assert np.array_equal(arrays, _numbers(getattr(Tensor(a), entry.name)(*(
            [] if entry.arity == 1 else [b]), **params)), equal_nan=True)


def _reference(entry: Elementwise, x: Any, y: Any) -> Any:
    """x op y through the node's own method, the constant lifted as the class does."""
    if isinstance(x, (Value, Tensor, ValueArray)):
        return getattr(x, entry.name)(y)
    lifted = y._lift(x) if isinstance(y, Tensor) else type(y)(x)
    return getattr(lifted, entry.name)(y)


def _numbers(x: Any) -> np.ndarray:
    return np.asarray(x.data if isinstance(x, (Value, Tensor, ValueArray)) else x, dtype=np.float64)


def _same(a: float, b: Any) -> bool:
    return a == float(b) or (a != a and float(b) != float(b))


def test_docstrings_give_the_rule() -> None:
    assert "∂/∂x = 1 − tanh(x)²" in Value.tanh.__doc__ and "∂/∂x = 1 − tanh(x)²" in Tensor.tanh.__doc__
    assert "∂/∂y = x^y·ln(x)" in Value.__pow__.__doc__ and Value.arctan2.__qualname__ == "Value.arctan2"
    assert Tensor.atan2 is Tensor.arctan2 and ValueArray.clamp is ValueArray.clip


def test_these_tests_catch_a_wrong_rule() -> None:
    """The rule below is wrong (e^-x for e^-x²): regenerated from the table, every check fails."""
    wrong = ops.TABLE["erf"].replace(d="2 / sqrt(pi) * exp(-x)")
    with ops.replaced(wrong):
        with pytest.raises(AssertionError, match="erf at"):
            test_value_first_and_second_derivatives_match_torch(wrong)
        with pytest.raises(AssertionError, match="erf on shapes"):
            test_tensor_first_and_second_derivatives_match_torch(wrong, SHAPES[1])
        with pytest.raises(AssertionError):
            test_value_array_matches_torch(wrong)
    test_value_first_and_second_derivatives_match_torch(ops.TABLE["erf"])  # (restored)
    square = ops.TABLE["square"]  # a composed op: the same checks
    wrong = ops.Composed("square", of="x * x * x", ufuncs=square.ufuncs, torch=square.torch, doc=square.doc)
    with ops.replaced(wrong):
        assert "Composed: x * x * x, so its derivatives are those of its ops." in Value.square.__doc__
        with pytest.raises(AssertionError, match="square at"):
            test_value_first_and_second_derivatives_match_torch(wrong)
        with pytest.raises(AssertionError, match="square on shapes"):
            test_tensor_first_and_second_derivatives_match_torch(wrong, SHAPES[1])
    test_tensor_first_and_second_derivatives_match_torch(square, SHAPES[1])


def test_composed_ops_are_their_ops_nodes_as_in_torch() -> None:
    """square is a power node (torch: PowBackward0), positive and conjugate the node itself."""
    t, v, va = Tensor([1.5, -2.0], requires_grad=True), Value(1.5), ValueArray([1.5, -2.0])
    assert t.square().op == "**" and v.square().op == "**2" and va.square().values[0].op == "**2"
    assert np.positive(t) is t and +t is t and +v is v and v.conj() is v and np.conjugate(t) is t
    ref = torch.tensor([1.5, -2.0], dtype=torch.float64, requires_grad=True)
    assert type(ref.square().grad_fn).__name__ == "PowBackward0" and torch.positive(ref) is ref
    assert ag.square(3.0) == 9.0 and ag.positive(-0.0) == 0.0 and math.copysign(1, ag.positive(-0.0)) < 0
    assert "Composed: x ** 2" in Value.square.__doc__ and Tensor.square.__qualname__ == "Tensor.square"


def test_remainder_takes_the_divisors_sign_and_fmod_the_dividends() -> None:
    """% is Python's (and torch.remainder's) remainder, fmod C's; a zero remainder keeps the
    dividend's sign, as torch's (Python's % gives the divisor's)."""
    x, y = [7.0, -7.0, 7.0, -7.0, -2.0], [2.0, 2.0, -2.0, -2.0, 1.0]
    t = Tensor(x) % Tensor(y)
    assert t.data.tolist() == [1.0, 1.0, -1.0, -1.0, -0.0] and np.signbit(t.data[-1])
    assert [(Value(a) % b).data for a, b in zip(x, y)] == t.data.tolist()
    assert Tensor(x).fmod(Tensor(y)).data.tolist() == [1.0, -1.0, 1.0, -1.0, -0.0]
    assert torch.remainder(torch.tensor(x), torch.tensor(y)).tolist() == t.data.tolist()
    assert (2.0 % Value(0.75)).data == 0.5
    assert ValueArray(x).mod(2.0).data.tolist() == [1.0, 1.0, 1.0, 1.0, 0.0]
    assert ag.floor_divide(-7.0, 0.7) == -11.0 == (Tensor(-7.0) // 0.7)  # (exact: not floor(-7/0.7) = -10)
    y, ty = Value(0.7), torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    (-7.0 % y).backward()
    torch.remainder(torch.tensor(-7.0, dtype=torch.float64), ty).backward()
    assert y.grad == ty.grad.item() == 11.0  # -floor(-7/0.7), as torch's floor division rounds it


def test_numpy_functions_of_the_table_bind_numpy_signatures() -> None:
    """np.sinc and np.nan_to_num are no ufuncs: their arguments are bound by numpy's signature."""
    t = Tensor([np.nan, np.inf, -np.inf, 0.5], requires_grad=True)
    out = np.nan_to_num(t, nan=1.0, posinf=2.0)
    assert out.op == "nan_to_num" and out.data.tolist() == [1.0, 2.0, np.finfo(np.float64).min, 0.5]
    out.sum().backward()
    assert t.grad.tolist() == [0.0, 0.0, 0.0, 1.0]
    assert np.sinc(Tensor([0.0, 0.5])).data.tolist() == [1.0, float(np.sinc(0.5))]
    with pytest.raises(TypeError, match=r"numpy.nan_to_num on a Tensor: the option copy=False"):
        np.nan_to_num(t, copy=False)
    with pytest.raises(TypeError, match=r"Tensor.nan_to_num: posinf must be a real number or None, got str"):
        np.nan_to_num(t, posinf="big")


def test_numpy_reductions_of_values_keep_the_graph() -> None:
    """A Value looks like a 0-d object array to numpy (ndim 0, size 1, dtype object): np.mean,
    np.var, np.std of Values and np.sinc of a Value are Values (with dtype float64, numpy would
    turn the mean into a plain float)."""
    vs = [Value(1.0), Value(2.0), Value(4.0)]
    assert (vs[0].shape, vs[0].ndim, vs[0].size, vs[0].dtype) == ((), 0, 1, np.dtype(object))
    for f, want in ((np.mean, 7 / 3), (np.var, 14 / 9), (np.std, math.sqrt(14 / 9))):
        out = f(vs)
        assert isinstance(out, Value) and out.data == pytest.approx(want, rel=1e-15)
    np.var(vs).backward()
    assert [v.grad for v in vs] == pytest.approx([2 * (v.data - 7 / 3) / 3 for v in vs], rel=1e-14)
    s = np.sinc(Value(0.3))
    assert isinstance(s, Value) and s.data == pytest.approx(float(np.sinc(0.3)), rel=1e-15)


def test_the_docs_list_the_table() -> None:
    """The docs' op list is the table's (regenerate it with ``python -m autograd.ops --docs``)."""
    page = Path(__file__).resolve().parents[2] / "docs" / "guides" / "tensor_api.md"
    assert listing.section() in page.read_text(encoding="utf-8"), (
        f"{page.name}'s list of elementwise ops is out of date: run python -m autograd.ops --docs"
    )


def test_the_page_writer_replaces_only_its_section(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text(f"intro\n{listing.BEGIN}\nold rows\n{listing.END}\noutro\n", encoding="utf-8")
    assert listing.write_page(path) and not listing.write_page(path)
    assert path.read_text(encoding="utf-8") == f"intro\n{listing.section()}\noutro\n"
    wrong = ops.TABLE["erf"].replace(text="2/√π·exp(−x)")
    with ops.replaced(wrong):
        assert listing.section() not in path.read_text(encoding="utf-8")  # (the test above would fail)
    path.write_text("no markers\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected the markers"):
        listing.write_page(path)
    assert path.read_text(encoding="utf-8") == "no markers\n"
