"""torch's fused multiply-add ops (``ops.FMA``, ``ops.LERP``): ``add``/``sub`` with ``alpha``,
``addcmul`` and ``lerp`` (and their methods and in-place forms) rounded once, as torch's CPU kernels
(ATen's ``fmadd``), bit for bit against torch in float32 and float64; their gradients (first and
second order) are torch's formulas, bit for bit too; ``addcdiv`` is not fused in torch (two roundings,
checked here as well), its gradients torch's formulas too (``ops.ADDCDIV``). Also forward AD, dtypes
of integer and bool inputs, errors, and compiled steps against eager."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import autograd as ag
from autograd import ops
from autograd.ops import fused

DTYPES = [np.float32, np.float64]
N = 4099  # (not a multiple of a vector width: torch's kernels do the tail apart)


def _same(got: Any, want: Any) -> bool:
    """Bit for bit (a nan equals any nan; zeros by their signs), dtype and shape included."""
    got, want = np.asarray(got), np.asarray(want)
    if got.dtype != want.dtype or got.shape != want.shape:
        return False
    nan = np.isnan(got) & np.isnan(want)
    return bool(np.all(((got == want) & (np.signbit(got) == np.signbit(want))) | nan))


def _mismatch(got: Any, want: Any) -> float:
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape, (got.dtype, want.dtype, got.shape, want.shape)
    return float(np.mean(~((got == want) | (np.isnan(got) & np.isnan(want))))) if got.size else 0.0


def _arrays(dtype: Any, seed: int, *shapes: tuple[int, ...]) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s).astype(dtype) for s in shapes]


#: name -> (function of the library and the inputs, how many inputs); the same code runs on both sides
FUSED: dict[str, tuple[Callable[..., Any], int]] = {
    "add_alpha": (lambda L, a, b: L.add(a, b, alpha=0.3), 2),
    "add_alpha_negative": (lambda L, a, b: L.add(a, b, alpha=-2.7), 2),
    "sub_alpha": (lambda L, a, b: L.sub(a, b, alpha=1.7), 2),
    "subtract_alpha": (lambda L, a, b: L.subtract(a, b, alpha=0.1), 2),
    "method_add_alpha": (lambda L, a, b: a.add(b, alpha=0.3), 2),
    "method_sub_alpha": (lambda L, a, b: a.sub(b, alpha=-0.7), 2),
    "add_number_alpha": (lambda L, a: L.add(a, 2.7, alpha=0.3), 1),
    "addcmul": (lambda L, a, b, c: L.addcmul(a, b, c), 3),
    "addcmul_value": (lambda L, a, b, c: L.addcmul(a, b, c, value=0.3), 3),
    "method_addcmul": (lambda L, a, b, c: a.addcmul(b, c, value=-1.3), 3),
    "lerp_tensor": (lambda L, a, b, w: L.lerp(a, b, w * 1.5 + 0.4), 3),
    "lerp_03": (lambda L, a, b: L.lerp(a, b, 0.3), 2),
    "lerp_07": (lambda L, a, b: L.lerp(a, b, 0.7), 2),
    "lerp_third": (lambda L, a, b: L.lerp(a, b, 1 / 3), 2),
    "lerp_negative": (lambda L, a, b: L.lerp(a, b, -0.6), 2),
    "lerp_half": (lambda L, a, b: L.lerp(a, b, 0.5), 2),
    "lerp_below_half": (lambda L, a, b: L.lerp(a, b, 0.49999999999), 2),
    "lerp_13": (lambda L, a, b: L.lerp(a, b, 1.3), 2),
    "method_lerp": (lambda L, a, b: a.lerp(b, 0.25), 2),
    "addcdiv": (lambda L, a, b, c: L.addcdiv(a, b, c, value=0.3), 3),  # (not fused: two roundings)
    "addcdiv_one": (lambda L, a, b, c: L.addcdiv(a, b, c), 3),
    "method_addcdiv": (lambda L, a, b, c: a.addcdiv(b, c, value=-2.0), 3),
}
#: numpy's two roundings, for the cases where torch fuses: the sample must hold elements where they differ
TWICE: dict[str, Callable[..., Any]] = {
    "add_alpha": lambda a, b: a + b * a.dtype.type(0.3),
    "addcmul_value": lambda a, b, c: a + (b * c.dtype.type(0.3)) * c,
    "addcmul": lambda a, b, c: a + b * c,
    "lerp_03": lambda a, b: a + a.dtype.type(0.3) * (b - a),
    "lerp_07": lambda a, b: b - (b - a) * a.dtype.type(0.3),
}


def _run(L: Any, name: str, arrays: list[np.ndarray], grad: bool = False) -> tuple[Any, list[Any]]:
    fn, _ = FUSED[name]
    make = torch.tensor if L is torch else ag.tensor
    inputs = [make(x, requires_grad=grad) for x in arrays]
    return fn(L, *inputs), inputs


def _numbers(x: Any) -> np.ndarray:
    return x.detach().numpy() if isinstance(x, torch.Tensor) else np.asarray(x.data)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(FUSED))
def test_forward_bit_for_bit(name: str, dtype: Any) -> None:
    arrays = _arrays(dtype, 1, *[(N,)] * FUSED[name][1])
    want, _ = _run(torch, name, arrays)
    got, _ = _run(ag, name, arrays)
    if name == "add_number_alpha":  # (see test_a_number_other_in_the_vector_loops_tail)
        got, want = _numbers(got)[:-16], _numbers(want)[:-16]
    assert _mismatch(_numbers(got), _numbers(want)) == 0.0
    if name in TWICE:  # (the sample does tell one rounding from two)
        assert _mismatch(TWICE[name](*arrays), _numbers(want)) > 0.01


@pytest.mark.parametrize("dtype", DTYPES)
def test_a_number_other_in_the_vector_loops_tail(dtype: Any) -> None:
    """``add(t, number, alpha=k)``: torch's vectorized loop fuses, and the elements after its last full
    step (fewer than 2 vectors: 16 float32, 8 float64 under AVX2) go through its scalar code, where
    the compiler computed ``number · k`` once and rounded it: some of those come out rounded twice.
    The engine fuses every element: it differs from torch there only, and only by that rounding."""
    (a,) = _arrays(dtype, 17, (100003,))
    want = torch.add(torch.tensor(a), 2.7, alpha=0.3).numpy()
    got = ag.add(ag.tensor(a), 2.7, alpha=0.3).data
    off = np.nonzero(got != want)[0]
    assert np.all(off >= a.size - 16)
    assert np.array_equal(want[off], a[off] + dtype(2.7) * dtype(0.3))


@pytest.mark.parametrize("dtype", DTYPES)
def test_lerp_picks_its_formula_as_torch_at_a_weight_of_one_half(dtype: Any) -> None:
    """|weight| < 0.5 computes from the start, else from the end: at ±0.5 (and its neighbours) the
    two formulas differ on about half of these elements, and torch's is the one from the end."""
    start, end = _arrays(dtype, 18, (2000,), (2000,))
    end = end * 1000
    half = dtype(0.5)
    pool = np.array(
        [half, -half, np.nextafter(half, 0), np.nextafter(half, 1), -np.nextafter(half, 0)], dtype
    )
    weight = np.random.default_rng(19).choice(pool, 2000)
    want = torch.lerp(*map(torch.tensor, (start, end, weight))).numpy()
    assert _same(ag.lerp(*map(ag.tensor, (start, end, weight))).data, want)
    at_half = np.abs(weight) == half
    from_start = start[at_half] + weight[at_half] * (end[at_half] - start[at_half])
    assert np.mean(from_start != want[at_half]) > 0.1  # (the sample tells the formulas apart)
    for w in (0.5, -0.5, float(np.nextafter(half, 0))):  # (a number weight, the same choice)
        want = torch.lerp(torch.tensor(start), torch.tensor(end), w).numpy()
        assert _same(ag.lerp(ag.tensor(start), ag.tensor(end), w).data, want)


SHAPES = [
    [(3, 1, 5), (4, 1), (5,)],  # broadcast against each other
    [(), (), ()],  # 0-d
    [(0, 3), (3,), (1, 3)],  # empty
    [(2, 3), (), (2, 3)],  # a 0-d operand
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shapes", SHAPES, ids=["broadcast", "0-d", "empty", "0-d operand"])
@pytest.mark.parametrize(
    "name", ["add_alpha", "sub_alpha", "addcmul", "addcmul_value", "lerp_tensor", "lerp_07", "addcdiv"]
)
def test_shapes_and_gradients(name: str, shapes: list[tuple[int, ...]], dtype: Any) -> None:
    """Bit for bit, except: a gradient summed over broadcast axes (numpy's order of the sum, not
    torch's); add/sub whose ``other`` is the same along the last axis (see the test below)."""
    n = FUSED[name][1]
    if name == "lerp_tensor" and shapes[1] != shapes[0] and shapes[0] == (2, 3):
        shapes = [shapes[0], shapes[0], shapes[1]]  # (lerp's ends are broadcast too)
    arrays = _arrays(dtype, 2, *shapes[:n])
    want, tin = _run(torch, name, arrays, grad=True)
    got, ain = _run(ag, name, arrays, grad=True)
    if name in ("add_alpha", "sub_alpha") and shapes[1][-1:] in ((), (1,)) and want.ndim:
        k = 0.3 if name == "add_alpha" else -1.7
        a, b = arrays
        twice = a + b * dtype(k)
        fused = _numbers(got)
        assert np.all((_numbers(want) == fused) | (_numbers(want) == twice))
    else:
        assert _same(_numbers(got), _numbers(want))
    g = _arrays(dtype, 3, want.shape)[0]
    want.backward(torch.tensor(g))
    got.backward(ag.tensor(g))
    for a, t in zip(ain, tin):
        if a.shape == want.shape:
            assert _same(a.grad.data, t.grad.numpy()), name
        else:  # (a sum of a few terms: relative to their sizes)
            scale = np.sqrt(np.finfo(dtype).eps) * 1e-2
            np.testing.assert_allclose(a.grad.data, t.grad.numpy(), rtol=scale, atol=scale)


def _special(dtype: Any, n: int, seed: int) -> list[np.ndarray]:
    """Inputs with nan, ±inf, ±0, huge and tiny numbers (products that overflow, subnormals)."""
    rng = np.random.default_rng(seed)
    info = np.finfo(dtype)
    pool = np.array(
        [np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 0.5, 2.0, info.max, -info.max, info.tiny,
         info.smallest_subnormal, 3.0, 1e-3, 0.49999997, 0.5000001, 1.0000001],
        dtype,
    )  # fmt: skip
    return [rng.choice(pool, size=(n,)) for _ in range(3)]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(FUSED))
def test_nan_inf_zeros_and_extremes(name: str, dtype: Any) -> None:
    arrays = _special(dtype, 3000, 4)[: FUSED[name][1]]
    with np.errstate(all="ignore"):
        want, tin = _run(torch, name, arrays, grad=True)
        got, ain = _run(ag, name, arrays, grad=True)
        assert _same(_numbers(got), _numbers(want))
        g = _special(dtype, 3000, 5)[0]
        want.backward(torch.tensor(g))
        got.backward(ag.tensor(g))
    for a, t in zip(ain, tin):
        assert _same(a.grad.data, t.grad.numpy())


IN_PLACE: dict[str, Callable[..., Any]] = {
    "add_": lambda x, a, b, c: x.add_(a, alpha=0.3),
    "sub_": lambda x, a, b, c: x.sub_(a, alpha=-1.7),
    "addcmul_": lambda x, a, b, c: x.addcmul_(a, b),
    "addcmul_value": lambda x, a, b, c: x.addcmul_(a, b, value=0.3),
    "lerp_": lambda x, a, b, c: x.lerp_(a, 0.7),
    "lerp_tensor": lambda x, a, b, c: x.lerp_(a, c),
    "addcdiv_": lambda x, a, b, c: x.addcdiv_(a, b, value=0.3),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(IN_PLACE))
def test_in_place_forms(name: str, dtype: Any) -> None:
    x, a, b, c = _arrays(dtype, 7, (N,), (N,), (N,), (N,))
    tx, ax = torch.tensor(x), ag.tensor(x)
    before = ax.data
    assert IN_PLACE[name](tx, *map(torch.tensor, (a, b, c))) is tx
    assert IN_PLACE[name](ax, *map(ag.tensor, (a, b, c))) is ax
    assert ax.data is before and _same(ax.data, tx.numpy())


@pytest.mark.parametrize("name", ["add_", "addcmul_value", "lerp_tensor", "addcdiv_"])
def test_in_place_in_a_graph_and_from_float64(name: str) -> None:
    """Written into a float32 tensor from float64 operands (computed in float64, then rounded, as
    torch's), and recorded in the graph where the tensor requires grad."""
    x, a, b, c = _arrays(np.float64, 8, (300,), (300,), (300,), (300,))
    if name != "lerp_tensor":  # (lerp takes one dtype)
        tx, ax = torch.tensor(x, dtype=torch.float32), ag.tensor(x.astype(np.float32))
        IN_PLACE[name](tx, *map(torch.tensor, (a, b, c)))
        IN_PLACE[name](ax, *map(ag.tensor, (a, b, c)))
        assert _same(ax.data, tx.numpy())
    leaves = [torch.tensor(v, requires_grad=True) for v in (x, a, b, c)]
    mine = [ag.tensor(v, requires_grad=True) for v in (x, a, b, c)]
    ty, ay = leaves[0] * 1.5, mine[0] * 1.5
    IN_PLACE[name](ty, *leaves[1:])
    IN_PLACE[name](ay, *mine[1:])
    assert _same(ay.data, ty.detach().numpy())
    g = _arrays(np.float64, 9, (300,))[0]
    ty.backward(torch.tensor(g))
    ay.backward(ag.tensor(g))
    for m, t in zip(mine, leaves):
        assert (m.grad is None) == (t.grad is None)
        if t.grad is not None:
            assert _same(m.grad.data, t.grad.numpy())


SECOND = [
    "add_alpha", "sub_alpha", "addcmul", "addcmul_value", "lerp_tensor", "lerp_third", "lerp_13", "addcdiv",
    "addcdiv_one",
]  # fmt: skip


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", SECOND)
def test_second_order_as_torch(name: str, dtype: Any) -> None:
    """The gradient of ⟨∂L/∂inputs, v⟩ (torch's double backward: its formulas, differentiated)."""
    n = FUSED[name][1]
    arrays = _arrays(dtype, 10, *[(257,)] * n)
    g, *vs = _arrays(dtype, 11, *[(257,)] * (n + 1))
    results = []
    for L, grad_fn, make in ((torch, torch.autograd.grad, torch.tensor), (ag, ag.autograd.grad, ag.tensor)):
        out, inputs = _run(L, name, arrays, grad=True)
        gt = make(g, requires_grad=True)
        firsts = grad_fn([out], inputs, [gt], create_graph=True)
        total = sum((f * make(v)).sum() for f, v in zip(firsts, vs) if f is not None and f.requires_grad)
        seconds = grad_fn([total], [*inputs, gt], allow_unused=True)
        results.append([None if s is None else _numbers(s) for s in seconds])
    for i, (got, want) in enumerate(zip(results[1], results[0])):
        if want is None or got is None:  # (torch may give None where the engine gives zeros, or back)
            other = want if got is None else got
            assert other is None or not np.any(other)
        elif i < n:
            assert _same(got, want), name
        else:  # (g's: the sum of one term per input, accumulated in another order than torch's)
            np.testing.assert_allclose(got, want, rtol=8 * np.finfo(dtype).eps, atol=8 * np.finfo(dtype).eps)


@pytest.mark.parametrize("name", ["add_alpha", "addcmul_value", "lerp_tensor", "lerp_07"])
def test_forward_ad_as_torch(name: str) -> None:
    """Tangents (derived from the VJPs) equal torch's forward AD up to rounding (torch's tangent of
    lerp is itself a fused lerp)."""
    n = FUSED[name][1]
    arrays = _arrays(np.float64, 12, *[(64,)] * n)
    tangents = _arrays(np.float64, 13, *[(64,)] * n)
    fn = FUSED[name][0]
    tfa = torch.autograd.forward_ad
    with tfa.dual_level():
        duals = [tfa.make_dual(torch.tensor(x), torch.tensor(t)) for x, t in zip(arrays, tangents)]
        want = tfa.unpack_dual(fn(torch, *duals)).tangent.numpy()
    afa = ag.autograd.forward_ad
    with afa.dual_level():
        duals = [afa.make_dual(ag.tensor(x), ag.tensor(t)) for x, t in zip(arrays, tangents)]
        got = _numbers(afa.unpack_dual(fn(ag, *duals)).tangent)
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-15)


def _dtype_of(L: Any, fn: Callable[..., Any]) -> str:
    try:
        return str(np.dtype(str(fn(L).dtype).replace("torch.", "")))
    except (RuntimeError, NotImplementedError) as e:
        return type(e).__name__


def _t(L: Any, values: Any, dtype: str) -> Any:
    return L.tensor(values, dtype=getattr(L, dtype))


DTYPE_CASES: dict[str, Callable[..., Any]] = {
    "add int alpha": lambda L: L.add(_t(L, [1, 2], "int64"), _t(L, [3, -4], "int64"), alpha=3),
    "add int float alpha": lambda L: L.add(_t(L, [1, 2], "int64"), _t(L, [3, 4], "int64"), alpha=0.5),
    "sub int alpha": lambda L: L.sub(_t(L, [1, 2], "int64"), _t(L, [3, 4], "int64"), alpha=-2),
    "add bool alpha": lambda L: L.add(_t(L, [True, False], "bool"), _t(L, [True, True], "bool"), alpha=2),
    "add bool alpha -1": lambda L: L.add(
        _t(L, [False, False], "bool"), _t(L, [True, False], "bool"), alpha=-1
    ),
    "add float bool alpha": lambda L: L.add(_t(L, [1.0, 2.0], "float32"), _t(L, [1, 0], "bool"), alpha=True),
    "add int float32": lambda L: L.add(_t(L, [1, 2], "int64"), _t(L, [3.5, 4], "float32"), alpha=0.5),
    "add float32 float64": lambda L: L.add(
        _t(L, [1.0, 2.0], "float32"), _t(L, [3.5, 4], "float64"), alpha=0.3
    ),
    "add float32 0-d float64": lambda L: L.add(
        _t(L, [1.0, 2.0], "float32"), _t(L, 3.3, "float64"), alpha=0.3
    ),
    "add_ int float alpha": lambda L: _t(L, [1, 2], "int64").add_(_t(L, [3, 4], "int64"), alpha=0.5),
    "add_ int from float": lambda L: _t(L, [1, 2], "int64").add_(_t(L, [3, 4], "float32"), alpha=2),
    "addcmul int": lambda L: L.addcmul(
        _t(L, [1, 2], "int64"), _t(L, [3, 4], "int64"), _t(L, [5, -6], "int64"), value=2
    ),
    "addcmul int float value": lambda L: L.addcmul(
        _t(L, [1, 2], "int64"), _t(L, [3, 4], "int64"), _t(L, [5, -6], "int64"), value=-1.7
    ),
    "addcmul bool": lambda L: L.addcmul(_t(L, [True], "bool"), _t(L, [True], "bool"), _t(L, [True], "bool")),
    "addcmul int float32": lambda L: L.addcmul(
        _t(L, [1, 2], "int64"), _t(L, [3.5, 4], "float32"), _t(L, [5, -6], "int64"), value=0.5
    ),
    "addcmul 0-d float64": lambda L: L.addcmul(
        _t(L, [1.0, 2.0], "float32"), _t(L, 3.3, "float64"), _t(L, [5.0, -6.0], "float32"), value=0.3
    ),
    "addcdiv int": lambda L: L.addcdiv(
        _t(L, [1.0, 2.0], "float32"), _t(L, [3, 4], "int64"), _t(L, [5, 6], "int64")
    ),
    "lerp int": lambda L: L.lerp(_t(L, [1, 2], "int64"), _t(L, [3, 4], "int64"), 0.5),
    "lerp end float64": lambda L: L.lerp(_t(L, [1.0, 2.0], "float32"), _t(L, [3.0, 4.0], "float64"), 0.5),
    "lerp weight float64": lambda L: L.lerp(
        _t(L, [1.0, 2.0], "float32"), _t(L, [3.0, 4.0], "float32"), _t(L, [0.2, 0.7], "float64")
    ),
    "lerp weight 0-d float64": lambda L: L.lerp(
        _t(L, [1.0, 2.0], "float32"), _t(L, [3.0, 4.0], "float32"), _t(L, 0.3, "float64")
    ),
    "lerp weight int": lambda L: L.lerp(_t(L, [1.0, 2.0], "float32"), _t(L, [3.0, 4.0], "float32"), 2),
    "lerp weight int64 tensor": lambda L: L.lerp(
        _t(L, [1.0, 2.0], "float32"), _t(L, [3.0, 4.0], "float32"), _t(L, [1, 2], "int64")
    ),
}


@pytest.mark.parametrize("case", sorted(DTYPE_CASES))
def test_dtypes_and_refusals_as_torch(case: str) -> None:
    """Result dtypes (integers and bools exactly), and errors (the same class) where torch refuses."""
    fn = DTYPE_CASES[case]
    assert _dtype_of(ag, fn) == _dtype_of(torch, fn)
    if _dtype_of(torch, fn) not in ("RuntimeError", "NotImplementedError"):
        assert _same(_numbers(fn(ag)), _numbers(fn(torch)))


def test_refusals_name_the_argument() -> None:
    with pytest.raises(RuntimeError, match="alpha must not be a floating point number.*alpha=0.5"):
        ag.add(ag.tensor([1, 2]), ag.tensor([1, 2]), alpha=0.5)
    with pytest.raises(RuntimeError, match="float32 for `end`.*float64"):
        ag.lerp(ag.tensor(np.ones(2, np.float32)), ag.tensor(np.ones(2)), 0.5)
    with pytest.raises(RuntimeError, match="float32 for `weight`.*int64"):
        ag.lerp(ag.tensor(np.ones(2, np.float32)), ag.tensor(np.ones(2, np.float32)), ag.tensor([1, 2]))
    with pytest.raises(NotImplementedError, match="float Tensor as input.*int64"):
        ag.lerp(ag.tensor([1, 2]), ag.tensor([1, 2]), 0.5)


def test_the_graph_holds_one_fused_node_named_as_torch() -> None:
    """One node of the one rule (``ops.FMA``, ``ops.LERP``), its ``grad_fn`` named as torch's."""
    arrays = _arrays(np.float32, 14, (3,), (3,), (3,))
    for L in (torch, ag):
        a, b, c = (L.tensor(x, requires_grad=True) for x in arrays)
        names = [
            type(r.grad_fn).__name__ if L is torch else r.grad_fn.name()
            for r in (L.addcmul(a, b, c, value=0.5), a.add(b, alpha=2.0), L.sub(a, b, alpha=3),
                      L.lerp(a, b, 0.3), L.lerp(a, b, c), L.addcdiv(a, b, c))
        ]  # fmt: skip
        assert names == [
            "AddcmulBackward0", "AddBackward0", "SubBackward0",
            "LerpBackward0", "LerpBackward1", "AddcdivBackward0",
        ]  # fmt: skip
    x, y = ag.tensor(arrays[0], requires_grad=True), ag.tensor(arrays[1])
    for r in (ag.addcmul(x, y, y), x.add(y, alpha=2.0), x.sub(y, alpha=-1.0)):
        assert r._op.vjps is ops.FMA.vjps and r._op.forward.__code__ is ops.FMA.forward.__code__
    assert ag.lerp(x, y, y)._op.vjps is ops.LERP.vjps


def _program(params: list[Any], dtype: Any) -> Any:
    a, b, c, w = params
    x = ag.addcmul(a, b, c, value=0.3) + a.add(b, alpha=-1.7)
    x = ag.lerp(x, c, w.sigmoid()) * ag.lerp(b, a, 0.7)
    x = x.sub(c, alpha=0.25) + ag.addcmul(c, a, b) + ag.add(c, w, alpha=3.0)
    x = x + ag.addcdiv(a, b, c * c + 1.0, value=-0.5) + ag.addcdiv(w, c, b * b + 0.5)
    return (x * x).sum()


@pytest.mark.parametrize("dtype", DTYPES)
def test_compiled_steps_equal_eager(dtype: Any) -> None:
    arrays = _arrays(dtype, 15, (5, 4), (4,), (5, 4), (5, 4))
    params = [ag.tensor(x.copy(), requires_grad=True) for x in arrays]
    eager = [ag.tensor(x.copy(), requires_grad=True) for x in arrays]
    step = ag.compile(lambda: _program(params, dtype))
    for call in range(3):
        loss = step()
        want = _program(eager, dtype)
        want.backward()
        assert _same(loss.data, want.data)
        for p, q in zip(params, eager):
            assert _same(p.grad, q.grad)
            p.grad = q.grad = None
            with ag.no_grad():  # (new numbers each call: the step computes them, not the trace's)
                p.data += np.asarray(call + 0.25, dtype)
                q.data += np.asarray(call + 0.25, dtype)
    assert step.trace_count == 1
    assert "addcmul_forward(" in step.source and "lerp_tensor_forward(" in step.source


def test_a_wrong_rule_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks above fail for the engine's old numbers: two roundings, and a wrong VJP."""
    arrays = _arrays(np.float32, 16, (N,), (N,), (N,))
    monkeypatch.setattr(fused, "fma", lambda a, b, c: a * b + c)  # (every name of the rule computes so)
    monkeypatch.setattr(fused, "axpy_", lambda y, alpha, x: np.add(y, x * y.dtype.type(alpha), out=y))
    for name in ("addcmul_value", "add_alpha", "lerp_tensor"):
        got, _ = _run(ag, name, arrays[: FUSED[name][1]])
        want, _ = _run(torch, name, arrays[: FUSED[name][1]])
        assert _mismatch(_numbers(got), _numbers(want)) > 0.01
    monkeypatch.undo()
    vjps = list(ops.FMA.vjps)
    vjps[0] = lambda ns, g, out, a, b, c, scale=None: (g * b) * scale if scale is not None else g * b
    monkeypatch.setattr(ops.fma_as("addcmul"), "vjps", tuple(vjps))
    got, ain = _run(ag, "addcmul_value", arrays, grad=True)
    want, tin = _run(torch, "addcmul_value", arrays, grad=True)
    g = _arrays(np.float32, 17, (N,))[0]
    got.backward(ag.tensor(g))
    want.backward(torch.tensor(g))
    assert _mismatch(ain[1].grad.data, tin[1].grad.numpy()) > 0.01
    monkeypatch.undo()
    vjps = list(ops.ADDCDIV.vjps)  # (composed: g / b · value instead of torch's g · (value / b))
    vjps[1] = lambda ns, g, out, c, a, b, value=None: g / b * (1.0 if value is None else value)
    monkeypatch.setattr(ops.ADDCDIV, "vjps", tuple(vjps))
    got, ain = _run(ag, "addcdiv", arrays, grad=True)
    want, tin = _run(torch, "addcdiv", arrays, grad=True)
    got.backward(ag.tensor(g))
    want.backward(torch.tensor(g))
    assert _mismatch(ain[1].grad.data, tin[1].grad.numpy()) > 0.01
