"""``torch.autograd.forward_ad`` here and in PyTorch: the tangents of many operations (elementwise,
reductions, matmul, indexing, softmax, losses, ...) compared in float64 with torch's dual tensors,
with ``autograd.func.jvp`` and ``torch.func.jvp``, and with central differences; the level's rules
and errors; custom Functions' ``jvp``; nan, inf, 0-d and empty inputs."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
import torch.autograd.forward_ad as tfw

import autograd as ag
import autograd.autograd.forward_ad as fw
from autograd.autograd import Function

RNG = np.random.default_rng(7)
A = RNG.normal(size=(3, 4))
B = RNG.normal(size=(3, 4))
TA = RNG.normal(size=(3, 4))
TB = RNG.normal(size=(3, 4))
M = RNG.normal(size=(4, 2))
POS = np.abs(A) + 0.5
LABELS = np.array([1, 0, 3])
IMG = RNG.normal(size=(2, 3, 5, 5))
KER = RNG.normal(size=(4, 3, 3, 3))

#: name -> f(lib, a, b): ``a`` is dual (tangent TA), ``b`` dual with TB or plain
CASES: dict[str, Any] = {
    "mul_add": lambda L, a, b: a * b + a / (b.abs() + 1.0),
    "exp_log": lambda L, a, b: (a.exp() + (b * b + 1).log()).sin(),
    "tanh_sigmoid_relu": lambda L, a, b: a.tanh() * b.sigmoid() + L.relu(a - b),
    "pow_sqrt": lambda L, a, b: (a * a + 1).sqrt() ** 1.5 + a.abs() ** b.abs(),
    "where_clamp_max": lambda L, a, b: L.where(a > 0, a, b) + a.clamp(-0.5, 0.5) + L.maximum(a, b),
    "sum_mean_prod": lambda L, a, b: a.sum(1) * b.mean(0).sum() + a.prod(0).sum(),
    "max_amax_logsumexp": lambda L, a, b: (
        a.max(dim=1).values + b.amax(0).sum() + L.logsumexp(a * b, dim=0).sum()
    ),
    "var_std_norm": lambda L, a, b: a.var(1) + b.std(0).sum() + L.linalg.norm(a * b),
    "cumsum_cumprod": lambda L, a, b: a.cumsum(1) + (b * 0.1 + 1).cumprod(0),
    "matmul": lambda L, a, b: a @ b.T @ a,
    "einsum_bmm": lambda L, a, b: (
        L.einsum("ij,kj->ik", a, b) + L.bmm(a.reshape(1, 3, 4), b.T.reshape(1, 4, 3))[0]
    ),
    "getitem": lambda L, a, b: a[1:, ::2] * b[L.tensor([0, 2])][:, 1:3] + a[a > 0].sum(),
    "gather_index_select": lambda L, a, b: (
        a.gather(1, L.tensor([[0], [2], [1]])) + b.index_select(1, L.tensor([3, 0]))
    ),
    "cat_stack_transpose": lambda L, a, b: (
        L.cat([a, b], 0).T.reshape(-1)[:10] + L.stack([a, b]).sum(0).flatten()[:10]
    ),
    "logcumsumexp": lambda L, a, b: L.logcumsumexp(a * b, dim=1),
    "softmax": lambda L, a, b: L.softmax(a * b, dim=1) + L.log_softmax(a, dim=0),
    "cross_entropy": lambda L, a, b: L.nn.functional.cross_entropy(a * b, L.tensor(LABELS)),
    "mse_l1_smooth": lambda L, a, b: (
        L.nn.functional.mse_loss(a, b) + L.nn.functional.l1_loss(a, b) + L.nn.functional.smooth_l1_loss(a, b)
    ),
    "bce_logits_kl": lambda L, a, b: (
        L.nn.functional.binary_cross_entropy_with_logits(a, b.sigmoid())
        + L.nn.functional.kl_div(L.log_softmax(a, 1), L.softmax(b, 1), reduction="batchmean")
    ),
    "layer_norm_gelu": lambda L, a, b: L.nn.functional.layer_norm(L.nn.functional.gelu(a * b), (4,)),
    "conv2d": lambda L, a, b: L.nn.functional.conv2d(
        L.tensor(IMG) * a.sum(), L.tensor(KER) * b.mean(), padding=1
    ),
}


def _torch_tangent(f: Any, a: np.ndarray, b: np.ndarray, both: bool, ta: Any = TA, tb: Any = TB) -> Any:
    with tfw.dual_level():
        da = tfw.make_dual(torch.tensor(a), torch.tensor(ta))
        db = tfw.make_dual(torch.tensor(b), torch.tensor(tb)) if both else torch.tensor(b)
        out = tfw.unpack_dual(f(torch, da, db))
        return out.primal.numpy(), out.tangent.numpy()


def _our_tangent(f: Any, a: np.ndarray, b: np.ndarray, both: bool, ta: Any = TA, tb: Any = TB) -> Any:
    with fw.dual_level():
        da = fw.make_dual(ag.tensor(a), ag.tensor(ta))
        db = fw.make_dual(ag.tensor(b), ag.tensor(tb)) if both else ag.tensor(b)
        out = fw.unpack_dual(f(ag, da, db))
        return out.primal.numpy(), out.tangent.numpy()


@pytest.mark.parametrize("both", [False, True], ids=["one_dual", "two_duals"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_tangents_match_torch(name: str, both: bool) -> None:
    f = CASES[name]
    primal, tangent = _our_tangent(f, A, B, both)
    want_primal, want = _torch_tangent(f, A, B, both)
    np.testing.assert_allclose(primal, want_primal, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(tangent, want, rtol=1e-9, atol=1e-11)
    assert np.abs(want).max() > 1e-3  # (a case whose tangent is zero would check nothing)


@pytest.mark.parametrize("name", ["mul_add", "softmax", "matmul", "cross_entropy", "getitem", "var_std_norm"])
def test_tangents_match_func_jvp_and_differences(name: str) -> None:
    f = CASES[name]
    _, tangent = _our_tangent(f, A, B, True)

    def g(a: Any, b: Any) -> Any:
        return f(ag, a, b)

    _, by_jvp = ag.func.jvp(g, (ag.tensor(A), ag.tensor(B)), (ag.tensor(TA), ag.tensor(TB)))
    np.testing.assert_allclose(tangent, by_jvp.numpy(), rtol=1e-10, atol=1e-12)
    _, by_torch = torch.func.jvp(
        lambda a, b: f(torch, a, b), (torch.tensor(A), torch.tensor(B)), (torch.tensor(TA), torch.tensor(TB))
    )
    np.testing.assert_allclose(tangent, by_torch.numpy(), rtol=1e-10, atol=1e-12)
    h = 1e-6
    with ag.no_grad():
        up = g(ag.tensor(A + h * TA), ag.tensor(B + h * TB)).numpy()
        down = g(ag.tensor(A - h * TA), ag.tensor(B - h * TB)).numpy()
    np.testing.assert_allclose(tangent, (up - down) / (2 * h), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "f",
    [
        lambda L, a, b: a.exp() * b,
        lambda L, a, b: L.relu(a) + a.sqrt(),
        lambda L, a, b: (a * b).sum(),
        lambda L, a, b: a.clamp(0.0, 1.0) * 2,
        lambda L, a, b: L.softmax(a, dim=0),
    ],
    ids=["exp_mul", "relu_sqrt", "sum", "clamp", "softmax"],
)
def test_nan_and_inf_as_torch(f: Any) -> None:
    a = np.array([np.nan, np.inf, -np.inf, 0.0, 2.0, -1.0])
    b = np.array([1.0, 2.0, np.inf, 0.0, -3.0, np.nan])
    ta, tb = np.array([1.0, 0.0, 2.0, 1.0, -1.0, 0.5]), np.ones(6)
    with np.errstate(all="ignore"):
        got = _our_tangent(f, a, b, True, ta, tb)
    want = _torch_tangent(f, a, b, True, ta, tb)
    np.testing.assert_allclose(got[0], want[0], equal_nan=True)
    np.testing.assert_allclose(got[1], want[1], equal_nan=True)


def test_zero_dim_and_empty() -> None:
    f = lambda L, a, b: (a * b).sin() + a.exp()  # noqa: E731
    for a, b, ta, tb in [
        (np.array(0.3), np.array(-1.2), np.array(2.0), np.array(0.5)),
        (np.zeros((0, 3)), np.zeros((0, 3)), np.zeros((0, 3)), np.zeros((0, 3))),
    ]:
        got = _our_tangent(f, a, b, True, ta, tb)
        want = _torch_tangent(f, a, b, True, ta, tb)
        assert got[1].shape == want[1].shape == a.shape
        np.testing.assert_allclose(got[1], want[1], rtol=1e-12)
    with fw.dual_level():  # a reduction of an empty dual tensor: a 0-d tangent, 0
        (tangent,) = [fw.unpack_dual(fw.make_dual(ag.zeros(0), ag.zeros(0)).sum()).tangent]
        assert tangent.shape == () and float(tangent) == 0.0


def test_level_semantics_as_torch() -> None:
    x, t = ag.tensor([1.0, 2.0, 3.0]), ag.tensor([1.0, -1.0, 0.5])
    with pytest.raises(RuntimeError, match="no level exists, make sure to enter_dual_level"):
        fw.make_dual(x, t)
    assert fw.unpack_dual(x) == (x, None)
    with fw.dual_level() as level:
        assert level == 0
        with pytest.raises(RuntimeError, match="Nested forward mode AD is not supported"):
            fw.enter_dual_level()
        with pytest.raises(RuntimeError, match="Nested forward mode AD is not supported"):
            with fw.dual_level():
                pass
        d = fw.make_dual(x, t)
        assert d is not x and not d.requires_grad and np.shares_memory(d.data, x.data)
        primal, tangent = fw.unpack_dual(d)
        assert tangent is t and primal is not d and fw.unpack_dual(primal).tangent is None
        assert fw.unpack_dual(d, level=0).tangent is t
        assert fw.unpack_dual(x).tangent is None and fw.unpack_dual(d > 1).tangent is None
        assert fw.unpack_dual(d.long()).tangent is None and fw.unpack_dual(d.to(ag.int64) * 2).tangent is None
        assert fw.unpack_dual(d.detach()).tangent is None and fw.unpack_dual(d.argmax()).tangent is None
        with ag.no_grad():  # (forward AD is no graph: no_grad keeps it, as torch)
            np.testing.assert_allclose(fw.unpack_dual(d * 2).tangent.numpy(), 2 * t.numpy())
        with pytest.raises(RuntimeError, match="already has a forward gradient at the same level 0"):
            fw.make_dual(d, t)
        with pytest.raises(
            RuntimeError, match="size \\[3\\] while the given forward gradient is of size \\[2\\]"
        ):
            fw.make_dual(x, ag.ones(2))
        with pytest.raises(
            ValueError, match="Expected tangent to be floating point or complex, but got: torch.int64"
        ):
            fw.make_dual(x, ag.tensor([1, 2, 3]))
        with pytest.raises(ValueError, match="Expected primal to be floating point"):
            fw.make_dual(ag.tensor([1, 2, 3]), t)
        with pytest.raises(RuntimeError, match="Invalid level"):
            fw.make_dual(x, t, level=1)
        with pytest.raises(TypeError, match="tangent must be a Tensor, got float"):
            fw.make_dual(x, 1.0)
        with pytest.raises(TypeError, match="must be Tensor, not float"):
            fw.unpack_dual(3.0)
        for write in (lambda: d.mul_(2), lambda: x.clone().add_(d), lambda: d.exp_()):
            with pytest.raises(NotImplementedError, match="in-place operations on dual tensors"):
                write()
        x.clone().mul_(2)  # (no dual involved: allowed)
        y = d * d
    assert fw.unpack_dual(y).tangent is None and fw.unpack_dual(d).tangent is None  # (dropped on exit)
    with pytest.raises(RuntimeError, match="Dual level must be a positive number"):
        fw.exit_dual_level()
    with fw.dual_level():  # a new level: the old duals have no tangent there
        assert fw.unpack_dual(d).tangent is None and fw.unpack_dual(d * 2).tangent is None


def test_reverse_over_forward_matches_torch() -> None:
    """A tangent that depends on a primal requiring grad is a graph node: its gradient is a
    Hessian-vector product (torch gives the same)."""

    def f(L: Any, x: Any) -> Any:
        return (x.sin() * x).sum() + (x @ x) ** 2

    x0, v = RNG.normal(size=4), RNG.normal(size=4)
    out = []
    for L, mod in ((ag, fw), (torch, tfw)):
        x = L.tensor(x0, requires_grad=True)
        with mod.dual_level():
            tangent = mod.unpack_dual(f(L, mod.make_dual(x, L.tensor(v)))).tangent
            assert tangent.requires_grad
            tangent.backward()
        out.append((tangent.detach().numpy(), x.grad.numpy()))
    np.testing.assert_allclose(out[0][0], out[1][0], rtol=1e-12)
    np.testing.assert_allclose(out[0][1], out[1][1], rtol=1e-10)


def test_dual_of_a_leaf_that_requires_grad_keeps_reverse_mode() -> None:
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with fw.dual_level():
        d = fw.make_dual(x, ag.tensor([1.0, 0.0]))
        assert d.requires_grad
        (d**3).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 12.0])


class _Scale(Function):
    @staticmethod
    def forward(ctx: Any, a: Any, b: Any, k: float) -> Any:
        ctx.seen = fw.unpack_dual(a).tangent
        ctx.save_for_forward(a, b)
        ctx.k = k
        return a * b * k

    @staticmethod
    def backward(ctx: Any, g: Any) -> Any:
        return None, None, None

    @staticmethod
    def jvp(ctx: Any, ta: Any, tb: Any, tk: Any) -> Any:
        a, b = ctx.saved_tensors
        ctx.got = (ta, tb, tk)
        return (ta * b + a * tb) * ctx.k


class _NoJvp(Function):
    @staticmethod
    def forward(ctx: Any, a: Any) -> Any:
        return a * 2

    @staticmethod
    def backward(ctx: Any, g: Any) -> Any:
        return g * 2


def test_custom_function_jvp() -> None:
    x, y, t = ag.tensor([1.0, 2.0]), ag.tensor([3.0, -1.0]), ag.tensor([1.0, 0.5])
    with fw.dual_level():
        out = _Scale.apply(fw.make_dual(x, t), y, 2.0)
        np.testing.assert_allclose(fw.unpack_dual(out).tangent.numpy(), [6.0, -1.0])
        assert fw.unpack_dual(_Scale.apply(x, y, 2.0)).tangent is None  # (no dual input: jvp not called)
        with pytest.raises(NotImplementedError, match="must implement the jvp function"):
            _NoJvp.apply(fw.make_dual(y, t))
        np.testing.assert_allclose(_NoJvp.apply(y).numpy(), [6.0, -2.0])  # (no dual: fine)


def test_custom_function_sees_no_tangent_in_forward_and_zeros_for_plain_inputs() -> None:
    seen: dict[str, Any] = {}

    class Spy(_Scale):
        @staticmethod
        def jvp(ctx: Any, ta: Any, tb: Any, tk: Any) -> Any:
            seen["in_forward"], seen["tangents"] = ctx.seen, (ta, tb, tk)
            return _Scale.jvp(ctx, ta, tb, tk)

    x, y, t = ag.tensor([1.0, 2.0]), ag.tensor([3.0, -1.0]), ag.tensor([1.0, 0.5])
    with fw.dual_level():
        Spy.apply(x, fw.make_dual(y, t), 2.0)
        ta, tb, tk = seen["tangents"]
        assert tk is None and tb is t
        np.testing.assert_array_equal(ta.numpy(), [0.0, 0.0])
        Spy.apply(fw.make_dual(x, t), y, 2.0)  # (forward's unpack_dual of a dual input: no tangent, as torch)
        assert seen["in_forward"] is None and seen["tangents"][0] is t


def test_custom_function_jvp_errors() -> None:
    class TooMany(_NoJvp):
        @staticmethod
        def jvp(ctx: Any, ta: Any) -> Any:
            return ta, ta

    class WrongShape(_NoJvp):
        @staticmethod
        def jvp(ctx: Any, ta: Any) -> Any:
            return ta[:1]

    with fw.dual_level():
        d = fw.make_dual(ag.tensor([1.0, 2.0]), ag.ones(2))
        with pytest.raises(
            RuntimeError, match="invalid number of forward gradients \\(expected 1 but got 2\\)"
        ):
            TooMany.apply(d)
        with pytest.raises(
            RuntimeError, match="of size \\[2\\] while the given forward gradient is of size \\[1\\]"
        ):
            WrongShape.apply(d)
