"""Every Tensor operation against PyTorch (float64, value and gradient to 1e-10), gradcheck, float32."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from engine_helpers import close, compare_tensor_fn, torch_softplus

import autograd as ag
from autograd import Tensor, gradcheck

RNG = np.random.default_rng(20240601)


def normal(*shape: int) -> np.ndarray:
    return RNG.normal(size=shape)


def away_from_zero(*shape: int) -> np.ndarray:
    """Magnitudes in [0.5, 2] with random signs (safe denominators)."""
    return RNG.uniform(0.5, 2.0, size=shape) * RNG.choice([-1.0, 1.0], size=shape)


def positive(*shape: int) -> np.ndarray:
    return RNG.uniform(0.3, 2.5, size=shape)


def gc(fn, *arrays: np.ndarray) -> None:
    assert gradcheck(fn, *[Tensor(a, requires_grad=True) for a in arrays])


# --- elementwise binary ops with broadcasting

SHAPE_PAIRS = [
    ((), ()),
    ((3,), ()),
    ((), (3,)),
    ((1,), (3,)),
    ((2, 3), (2, 3)),
    ((3, 1), (1, 4)),
    ((2, 3, 4), (4,)),
    ((4,), (2, 3, 4)),
    ((2, 1, 4), (3, 1)),
    ((5, 1, 1), (1, 2, 3)),
    ((2, 3), (1,)),
]

BINARY = {
    "+": (lambda a, b: a + b, lambda a, b: a + b),
    "-": (lambda a, b: a - b, lambda a, b: a - b),
    "*": (lambda a, b: a * b, lambda a, b: a * b),
    "/": (lambda a, b: a / b, lambda a, b: a / b),
    "**": (lambda a, b: a**b, lambda a, b: a**b),
    "maximum": (lambda a, b: a.maximum(b), torch.maximum),
    "minimum": (lambda a, b: a.minimum(b), torch.minimum),
    "ag.maximum": (ag.maximum, torch.maximum),
    "ag.minimum": (ag.minimum, torch.minimum),
}


def _operands(name: str, sa: tuple, sb: tuple) -> tuple[np.ndarray, np.ndarray]:
    if name == "**":
        return positive(*sa), normal(*sb)
    if name == "/":
        return normal(*sa), away_from_zero(*sb)
    return normal(*sa), normal(*sb)


@pytest.mark.parametrize("name", list(BINARY))
@pytest.mark.parametrize("sa,sb", SHAPE_PAIRS, ids=[f"{a}x{b}" for a, b in SHAPE_PAIRS])
def test_binary_broadcasting_matches_torch(name: str, sa: tuple, sb: tuple) -> None:
    ours, theirs = BINARY[name]
    a, b = _operands(name, sa, sb)
    out = compare_tensor_fn(ours, theirs, [a, b])
    assert out.shape == np.broadcast_shapes(sa, sb)


@pytest.mark.parametrize("name", list(BINARY))
def test_binary_gradcheck(name: str) -> None:
    ours, _ = BINARY[name]
    gc(ours, *_operands(name, (3, 1), (1, 2)))
    gc(ours, *_operands(name, (2, 3), ()))


CONSTANT_FORMS = {
    "t + 2": (lambda t: t + 2, lambda t: t + 2),
    "2 + t": (lambda t: 2 + t, lambda t: 2 + t),
    "t - 2.5": (lambda t: t - 2.5, lambda t: t - 2.5),
    "2 - t": (lambda t: 2 - t, lambda t: 2 - t),
    "t * 3": (lambda t: t * 3, lambda t: t * 3),
    "3 * t": (lambda t: 3 * t, lambda t: 3 * t),
    "t / 4": (lambda t: t / 4, lambda t: t / 4),
    "3 / t": (lambda t: 3 / t, lambda t: 3 / t),
    "t ** 2": (lambda t: t**2, lambda t: t**2),
    "t ** 3": (lambda t: t**3, lambda t: t**3),
    "t ** -1.5": (lambda t: t.abs() ** -1.5, lambda t: t.abs() ** -1.5),
    "t ** 0": (lambda t: t**0, lambda t: t**0),
    "2 ** t": (lambda t: 2**t, lambda t: 2**t),
    "-t": (lambda t: -t, lambda t: -t),
    "ndarray + t": (lambda t: np.arange(4.0) + t, lambda t: torch.arange(4.0, dtype=torch.float64) + t),
    "ndarray - t": (lambda t: np.arange(4.0) - t, lambda t: torch.arange(4.0, dtype=torch.float64) - t),
    "ndarray * t": (lambda t: np.arange(4.0) * t, lambda t: torch.arange(4.0, dtype=torch.float64) * t),
    "ndarray / t": (lambda t: np.arange(4.0) / t, lambda t: torch.arange(4.0, dtype=torch.float64) / t),
    "t * ndarray(3,1)": (
        lambda t: t * np.arange(3.0).reshape(3, 1),
        lambda t: t * torch.arange(3.0, dtype=torch.float64).reshape(3, 1),
    ),
    "t + list": (lambda t: t + [1.0, 2.0, 3.0, 4.0], lambda t: t + torch.tensor([1.0, 2.0, 3.0, 4.0])),
    "np.float64 * t": (lambda t: np.float64(1.5) * t, lambda t: 1.5 * t),
    "maximum(0.1)": (lambda t: t.maximum(0.1), lambda t: torch.clamp(t, min=0.1)),
    "ag.minimum(0.1, t)": (lambda t: ag.minimum(0.1, t), lambda t: torch.clamp(t, max=0.1)),
}


@pytest.mark.parametrize("name", list(CONSTANT_FORMS))
def test_constant_operands_and_reflected_forms(name: str) -> None:
    ours, theirs = CONSTANT_FORMS[name]
    compare_tensor_fn(ours, theirs, [away_from_zero(2, 3, 4)])


# --- unary functions

UNARY = {
    "neg": (lambda t: -t, lambda t: -t, normal),
    "exp": (lambda t: t.exp(), torch.exp, normal),
    "log": (lambda t: t.log(), torch.log, positive),
    "log1p": (lambda t: t.log1p(), torch.log1p, positive),
    "sqrt": (lambda t: t.sqrt(), torch.sqrt, positive),
    "tanh": (lambda t: t.tanh(), torch.tanh, normal),
    "sigmoid": (lambda t: t.sigmoid(), torch.sigmoid, normal),
    "relu": (lambda t: t.relu(), torch.relu, away_from_zero),
    "abs": (lambda t: t.abs(), torch.abs, away_from_zero),
    "abs()": (lambda t: abs(t), torch.abs, away_from_zero),
    "softplus": (lambda t: t.softplus(), torch_softplus, normal),
    "clip(-0.7,0.7)": (lambda t: t.clip(-0.7, 0.7), lambda t: t.clamp(-0.7, 0.7), away_from_zero),
    "clip(min=0.9)": (lambda t: t.clip(min=0.9), lambda t: t.clamp(min=0.9), away_from_zero),
    "clip(max=-0.9)": (lambda t: t.clip(max=-0.9), lambda t: t.clamp(max=-0.9), away_from_zero),
}


@pytest.mark.parametrize("name", list(UNARY))
@pytest.mark.parametrize("shape", [(), (5,), (3, 4), (2, 3, 2)])
def test_unary_matches_torch(name: str, shape: tuple) -> None:
    ours, theirs, sample = UNARY[name]
    compare_tensor_fn(ours, theirs, [sample(*shape)])


@pytest.mark.parametrize("name", list(UNARY))
def test_unary_gradcheck(name: str) -> None:
    ours, _, sample = UNARY[name]
    x = sample(2, 3)
    if name.startswith("clip"):
        x = x[np.abs(np.abs(x) - 0.7) > 1e-3][None]  # keep finite differences off the kinks
        x = x[np.abs(np.abs(x) - 0.9) > 1e-3][None]
    gc(ours, x)


def test_unary_extreme_values_match_torch() -> None:
    x = np.array([-1000.0, -50.0, -1.0, 0.0, 1.0, 50.0, 1000.0])
    for ours, theirs in (
        (lambda t: t.sigmoid(), torch.sigmoid),
        (lambda t: t.softplus(), torch_softplus),
        (lambda t: t.tanh(), torch.tanh),
        (lambda t: t.exp(), torch.exp),
        (lambda t: t.relu(), torch.relu),
        (lambda t: t.abs(), torch.abs),
    ):
        compare_tensor_fn(ours, theirs, [x])


def test_kinks_and_poles_match_torch() -> None:
    zero = np.array([0.0, -0.0, 1.0, -1.0])
    compare_tensor_fn(lambda t: t.relu(), torch.relu, [zero])
    compare_tensor_fn(lambda t: t.abs(), torch.abs, [zero])
    compare_tensor_fn(lambda t: t.log(), torch.log, [zero])
    compare_tensor_fn(lambda t: t.sqrt(), torch.sqrt, [np.array([0.0, 4.0, -1.0])])
    compare_tensor_fn(lambda t: t.clip(-1, 1), lambda t: t.clamp(-1, 1), [np.array([-1.0, 1.0, 2.0, -2.0])])
    compare_tensor_fn(lambda t: t.clip(1, -1), lambda t: t.clamp(1, -1), [np.array([-2.0, 0.0, 2.0])])
    compare_tensor_fn(lambda t: t**0, lambda t: t**0, [zero])
    compare_tensor_fn(lambda t: t**0.5, lambda t: t**0.5, [np.array([0.0, -8.0, 4.0])])
    compare_tensor_fn(lambda t: t**-1.0, lambda t: t**-1.0, [zero])
    # Tensor ** Tensor at a zero base, with zero / fractional / negative exponents
    a = np.array([0.0, 0.0, 0.0, 0.0, -8.0, 2.0])
    b = np.array([0.0, 0.5, 2.0, -1.0, 1 / 3, 0.0])
    compare_tensor_fn(lambda x, y: x**y, lambda x, y: x**y, [a, b])
    # division by zero
    compare_tensor_fn(lambda x, y: x / y, lambda x, y: x / y, [np.array([1.0, -1.0, 0.0]), np.zeros(3)])
    compare_tensor_fn(lambda t: t.exp(), torch.exp, [np.array([1000.0, -1000.0])])


def test_maximum_minimum_ties_split_like_torch() -> None:
    a = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, -1.0]])
    b = np.array([1.0, 0.0, 3.0])
    out = compare_tensor_fn(lambda x, y: x.maximum(y), torch.maximum, [a, b])
    assert out.data.tolist() == [[1.0, 2.0, 3.0], [1.0, 0.0, 3.0]]
    compare_tensor_fn(lambda x, y: x.minimum(y), torch.minimum, [a, b])
    x, y = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    x.maximum(y).sum().backward()
    assert x.grad.tolist() == [[0.5, 1.0, 0.5], [0.0, 0.5, 0.0]]
    assert y.grad.tolist() == [1.5, 0.5, 1.5]


# --- matmul

MATMUL_SHAPES = [
    ((4,), (4,)),
    ((4,), (4, 3)),
    ((3, 4), (4,)),
    ((3, 4), (4, 5)),
    ((1, 4), (4, 1)),
    ((2, 3, 4), (4, 5)),
    ((2, 3, 4), (4,)),
    ((4,), (2, 4, 5)),
    ((3, 4), (2, 4, 5)),
    ((2, 3, 4), (2, 4, 5)),
    ((1, 3, 4), (2, 4, 5)),
    ((2, 1, 3, 4), (5, 4, 2)),
]


@pytest.mark.parametrize("sa,sb", MATMUL_SHAPES, ids=[f"{a}@{b}" for a, b in MATMUL_SHAPES])
def test_matmul_matches_torch(sa: tuple, sb: tuple) -> None:
    out = compare_tensor_fn(lambda a, b: a @ b, torch.matmul, [normal(*sa), normal(*sb)])
    assert out.shape == np.matmul(np.zeros(sa), np.zeros(sb)).shape


@pytest.mark.parametrize("sa,sb", MATMUL_SHAPES[:7], ids=[f"{a}@{b}" for a, b in MATMUL_SHAPES[:7]])
def test_matmul_gradcheck(sa: tuple, sb: tuple) -> None:
    gc(lambda a, b: a @ b, normal(*sa), normal(*sb))


def test_matmul_with_constant_operands() -> None:
    w = normal(4, 3)
    compare_tensor_fn(lambda t: t @ w, lambda t: t @ torch.tensor(w), [normal(2, 4)])
    compare_tensor_fn(lambda t: w.T @ t, lambda t: torch.tensor(w.T) @ t, [normal(4, 2)])  # ndarray @ Tensor


# --- reductions

AXES = [None, 0, 1, -1, -2, (0, 2), (-1, 0), (0, 1, 2)]


def _torch_axis(axis, ndim=3):
    return tuple(range(ndim)) if axis is None else axis


REDUCTIONS = {
    "sum": (lambda t, axis, kd: t.sum(axis, keepdims=kd), lambda t, axis, kd: t.sum(_torch_axis(axis), kd)),
    "mean": (
        lambda t, axis, kd: t.mean(axis=axis, keepdims=kd),
        lambda t, axis, kd: t.mean(_torch_axis(axis), kd),
    ),
    "max": (
        lambda t, axis, kd: t.max(axis=axis, keepdims=kd),
        lambda t, axis, kd: torch.amax(t, _torch_axis(axis), kd),
    ),
    "min": (
        lambda t, axis, kd: t.min(axis=axis, keepdims=kd),
        lambda t, axis, kd: torch.amin(t, _torch_axis(axis), kd),
    ),
    "logsumexp": (
        lambda t, axis, kd: t.logsumexp(axis=axis, keepdims=kd),
        lambda t, axis, kd: torch.logsumexp(t, _torch_axis(axis), kd),
    ),
}


@pytest.mark.parametrize("name", list(REDUCTIONS))
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", AXES, ids=str)
def test_reductions_match_torch(name: str, axis, keepdims: bool) -> None:
    ours, theirs = REDUCTIONS[name]
    compare_tensor_fn(
        lambda t: ours(t, axis, keepdims), lambda t: theirs(t, axis, keepdims), [normal(2, 3, 4)]
    )


@pytest.mark.parametrize("name", list(REDUCTIONS))
def test_reductions_gradcheck(name: str) -> None:
    ours, _ = REDUCTIONS[name]
    for axis in (None, 0, (0, 1)):
        gc(lambda t, axis=axis: ours(t, axis, False), normal(2, 3))


@pytest.mark.parametrize("name", ["max", "min"])
def test_max_min_with_ties_split_evenly_like_amax(name: str) -> None:
    ours, theirs = REDUCTIONS[name]
    sign = 1.0 if name == "max" else -1.0
    x = sign * np.array([[[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]], [[0.0, 5.0, -1.0], [5.0, 5.0, 4.0]]])
    for axis in (None, 0, 1, 2, (1, 2), (0, 2)):
        for kd in (False, True):
            compare_tensor_fn(
                lambda t, a=axis, k=kd: ours(t, a, k), lambda t, a=axis, k=kd: theirs(t, a, k), [x]
            )
    t = Tensor(x, requires_grad=True)
    ours(t, -1, False).sum().backward()
    assert t.grad.tolist() == [[[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]], [[0, 1, 0], [0.5, 0.5, 0]]]


def test_reductions_of_0d_and_1d() -> None:
    for name, (ours, theirs) in REDUCTIONS.items():
        compare_tensor_fn(
            lambda t, o=ours: o(t, None, False), lambda t, f=theirs: f(t, (0,), False), [normal(5)]
        )
        if name != "logsumexp":
            compare_tensor_fn(lambda t, o=ours: o(t, None, False), lambda t: t.clone(), [np.array(1.5)])


# --- logsumexp / softmax / log_softmax stability


@pytest.mark.parametrize(
    "x",
    [
        np.array([[1000.0, 1000.0, -1000.0], [-1000.0, 0.0, 1000.0]]),
        np.array([[1e300, 1.0, 2.0], [-1e300, -1e300, 5.0]]),
        np.array([[-np.inf, 0.0, 1.0], [-np.inf, -np.inf, 2.0]]),
        np.array([[-np.inf, -np.inf, -np.inf], [np.inf, 1.0, 2.0]]),
    ],
    ids=["pm1000", "huge", "some-minus-inf", "all-minus-inf-and-plus-inf"],
)
def test_logsumexp_extreme_values_match_torch(x: np.ndarray) -> None:
    for axis in (-1, 0, None):
        compare_tensor_fn(
            lambda t, a=axis: t.logsumexp(a),
            lambda t, a=axis: torch.logsumexp(t, _torch_axis(a, t.ndim)),
            [x],
        )
    out = Tensor(np.array([[1000.0, 1000.0], [-1000.0, -1000.0]])).logsumexp(-1)
    close(out.data, [1000.0 + np.log(2.0), -1000.0 + np.log(2.0)], rtol=0, atol=1e-12)


def test_logsumexp_gradient_is_softmax_even_when_log_n_is_absorbed() -> None:
    # log(3) vanishes next to 1e300, so torch's backward exp(x - result) gives 1 per element;
    # the exact gradient, which the engine gets through the shifted form, is softmax = 1/3 each
    x = Tensor(np.full((2, 3), -1e300), requires_grad=True)
    out = x.logsumexp(-1)
    assert out.data.tolist() == [-1e300, -1e300]
    out.sum().backward()
    close(x.grad, np.full((2, 3), 1 / 3), rtol=1e-15, atol=0)


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_softmax_and_log_softmax_match_torch(axis: int) -> None:
    x = normal(3, 5)
    compare_tensor_fn(lambda t: t.softmax(axis), lambda t: torch.softmax(t, axis), [x])
    compare_tensor_fn(lambda t: t.log_softmax(axis), lambda t: torch.log_softmax(t, axis), [x])
    gc(lambda t: t.softmax(axis), normal(2, 3))
    gc(lambda t: t.log_softmax(axis), normal(2, 3))


@pytest.mark.parametrize("axis", [-1, 0])
def test_softmax_and_log_softmax_of_masked_logits_match_torch(axis: int) -> None:
    # -inf marks a masked logit (attention, invalid moves): exactly 0 probability, finite gradients
    x = np.array([[-np.inf, 0.0, 1.0], [-np.inf, -np.inf, 2.0], [3.0, 3.0, 3.0], [-1.0, 2.0, -np.inf]])
    for ours, theirs in (("softmax", torch.softmax), ("log_softmax", torch.log_softmax)):
        out = compare_tensor_fn(lambda t, f=ours: getattr(t, f)(axis), lambda t, f=theirs: f(t, axis), [x])
        assert not np.isnan(out.data).any()


def test_log_softmax_is_stable_at_large_logits() -> None:
    x = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0], [1000.0, 999.0, 1000.0]])
    out = compare_tensor_fn(lambda t: t.log_softmax(-1), lambda t: torch.log_softmax(t, -1), [x])
    assert np.isfinite(out.data).all()
    close(out.data[0], [0.0, -2000.0, -1000.0], rtol=0, atol=1e-12)
    sm = compare_tensor_fn(lambda t: t.softmax(-1), lambda t: torch.softmax(t, -1), [x])
    assert np.isfinite(sm.data).all()
    close(sm.data.sum(-1), np.ones(3), rtol=0, atol=1e-12)


def test_cross_entropy_pattern_matches_torch() -> None:
    n, k = 6, 4
    labels = np.array([0, 3, 3, 1, 2, 3])
    logits = normal(n, k) * 3

    def ours(t):
        logp = t.log_softmax(-1)
        return -logp[np.arange(n), labels].mean()

    out = compare_tensor_fn(
        ours, lambda t: torch.nn.functional.cross_entropy(t, torch.tensor(labels)), [logits]
    )
    assert out.shape == ()
    gc(ours, logits)


# --- shape ops, indexing, where, concatenate, stack

SHAPE_OPS = {
    "reshape(4,6)": (lambda t: t.reshape(4, 6), lambda t: t.reshape(4, 6)),
    "reshape((6,-1))": (lambda t: t.reshape((6, -1)), lambda t: t.reshape(6, -1)),
    "reshape([24])": (lambda t: t.reshape([24]), lambda t: t.reshape(24)),
    "transpose()": (lambda t: t.transpose(), lambda t: t.permute(2, 1, 0)),
    "T": (lambda t: t.T, lambda t: t.permute(2, 1, 0)),
    "transpose(1,0,2)": (lambda t: t.transpose(1, 0, 2), lambda t: t.permute(1, 0, 2)),
    "transpose((2,0,1))": (lambda t: t.transpose((2, 0, 1)), lambda t: t.permute(2, 0, 1)),
    "transpose(-1,0,1)": (lambda t: t.transpose(-1, 0, 1), lambda t: t.permute(2, 0, 1)),
    "int": (lambda t: t[1], lambda t: t[1]),
    "negative int": (lambda t: t[-1, 2], lambda t: t[-1, 2]),
    "slice": (lambda t: t[:, 1:3], lambda t: t[:, 1:3]),
    "step slice": (lambda t: t[..., ::2], lambda t: t[..., ::2]),
    "newaxis": (lambda t: t[None, 0, :, None], lambda t: t[None, 0, :, None]),
    "int array repeated": (
        lambda t: t[np.array([0, 1, 0, 0])],
        lambda t: t[torch.tensor([0, 1, 0, 0])],
    ),
    "int list repeated": (lambda t: t[:, [2, 2, 0]], lambda t: t[:, [2, 2, 0]]),
    "two int arrays": (
        lambda t: t[np.array([0, 1, 1]), np.array([2, 2, 2])],
        lambda t: t[torch.tensor([0, 1, 1]), torch.tensor([2, 2, 2])],
    ),
    "2-d int array": (
        lambda t: t[:, np.array([[0, 1], [1, 1]]), 3],
        lambda t: t[:, torch.tensor([[0, 1], [1, 1]]), 3],
    ),
    "bool mask": (
        lambda t: t[t.data > 0],
        lambda t: t[t.detach() > 0],
    ),
    "bool mask on axis": (
        lambda t: t[:, np.array([True, False, True])],
        lambda t: t[:, torch.tensor([True, False, True])],
    ),
}


@pytest.mark.parametrize("name", list(SHAPE_OPS))
def test_shape_ops_and_indexing_match_torch(name: str) -> None:
    ours, theirs = SHAPE_OPS[name]
    compare_tensor_fn(ours, theirs, [normal(2, 3, 4)])
    gc(ours, normal(2, 3, 4))


def test_repeated_indices_scatter_add() -> None:
    x = Tensor(np.arange(4.0), requires_grad=True)
    y = x[np.array([1, 1, 1, 3, 0, 3])]
    y.backward(np.array([1.0, 10.0, 100.0, 2.0, 5.0, 7.0]))
    assert x.grad.tolist() == [5.0, 111.0, 0.0, 9.0]


def test_where_matches_torch() -> None:
    cond = RNG.random((3, 4)) > 0.5
    a, b = normal(3, 4), normal(4)
    compare_tensor_fn(
        lambda x, y: ag.where(cond, x, y), lambda x, y: torch.where(torch.tensor(cond), x, y), [a, b]
    )
    compare_tensor_fn(
        lambda x, y: x.where(cond[:, :1], y),
        lambda x, y: torch.where(torch.tensor(cond[:, :1]), x, y),
        [a, b],
    )
    compare_tensor_fn(
        lambda x: ag.where(cond, x, 0.0), lambda x: torch.where(torch.tensor(cond), x, 0.0), [a]
    )
    compare_tensor_fn(
        lambda x: ag.where(cond, -1.0, x), lambda x: torch.where(torch.tensor(cond), -1.0, x), [b]
    )
    compare_tensor_fn(
        lambda x: ag.where(x > 0, x, x * 0.1), lambda x: torch.where(x > 0, x, x * 0.1), [a]
    )  # leaky relu
    gc(lambda x, y: ag.where(cond, x, y), a, b)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_concatenate_and_stack_match_torch(axis: int) -> None:
    shapes = {0: [(1, 3), (2, 3), (4, 3)], 1: [(2, 1), (2, 3), (2, 2)], -1: [(2, 1), (2, 3), (2, 2)]}[axis]
    arrays = [normal(*s) for s in shapes]
    compare_tensor_fn(lambda *ts: ag.concatenate(ts, axis), lambda *ts: torch.cat(ts, axis), arrays)
    gc(lambda *ts: ag.concatenate(ts, axis), *arrays)
    same = [normal(2, 3) for _ in range(3)]
    compare_tensor_fn(lambda *ts: ag.stack(ts, axis), lambda *ts: torch.stack(ts, axis), same)
    gc(lambda *ts: ag.stack(list(ts), axis), *same)


def test_concatenate_and_stack_with_constants() -> None:
    c = np.ones((1, 3))
    compare_tensor_fn(
        lambda t: ag.concatenate([c, t, t], 0),
        lambda t: torch.cat([torch.tensor(c), t, t], 0),
        [normal(2, 3)],
    )
    compare_tensor_fn(
        lambda t: ag.stack([t, c[0]], 1), lambda t: torch.stack([t, torch.tensor(c[0])], 1), [normal(3)]
    )


# --- 0-d tensors and scalar-like inputs


def test_zero_dim_tensors() -> None:
    compare_tensor_fn(
        lambda a, b: (a * b + a.exp()) / b, lambda a, b: (a * b + a.exp()) / b, [np.array(0.3), np.array(1.7)]
    )
    compare_tensor_fn(lambda a, b: a * b, lambda a, b: a * b, [np.array(0.3), normal(2, 3)])
    x = Tensor(2.0, requires_grad=True)
    y = x * x + 1
    y.backward()
    assert y.shape == () and x.grad.shape == () and float(x.grad) == 4.0
    assert y.item() == 5.0


# --- a composite expression


def test_mlp_style_composite_matches_torch() -> None:
    x, w1, b1, w2 = normal(5, 3), normal(3, 4), normal(4), normal(4, 2)
    labels = np.array([0, 1, 1, 0, 1])

    def ours(x, w1, b1, w2):
        h = (x @ w1 + b1).tanh()
        logits = h @ w2
        return -logits.log_softmax(-1)[np.arange(5), labels].mean() + 0.01 * (w1**2).sum()

    def theirs(x, w1, b1, w2):
        h = torch.tanh(x @ w1 + b1)
        logits = h @ w2
        return torch.nn.functional.cross_entropy(logits, torch.tensor(labels)) + 0.01 * (w1**2).sum()

    compare_tensor_fn(ours, theirs, [x, w1, b1, w2])
    gc(ours, x, w1, b1, w2)


# --- float32 is kept through every op and in the gradients

F32_OPS = {
    **{
        f"binary {k}": (lambda a, b, f=v[0]: f(a, b), lambda a, b, f=v[1]: f(a, b)) for k, v in BINARY.items()
    },
    **{
        f"const {k}": (lambda a, b, f=v[0]: f(a) + b, lambda a, b, f=v[1]: f(a) + b)
        for k, v in CONSTANT_FORMS.items()
    },
    **{
        f"unary {k}": (lambda a, b, f=v[0]: f(a) * b, lambda a, b, f=v[1]: f(a) * b) for k, v in UNARY.items()
    },
    **{
        f"reduce {k}": (lambda a, b, f=v[0]: f(a * b, -1, True), lambda a, b, f=v[1]: f(a * b, -1, True))
        for k, v in REDUCTIONS.items()
    },
    **{
        f"shape {k}": (lambda a, b, f=v[0]: f(a), lambda a, b, f=v[1]: f(a))
        for k, v in SHAPE_OPS.items()
        if "int" not in k
    },
    "matmul": (
        lambda a, b: a.reshape(6, 4) @ b.reshape(4, 6),
        lambda a, b: a.reshape(6, 4) @ b.reshape(4, 6),
    ),
    "softmax": (lambda a, b: a.softmax(0) * b, lambda a, b: torch.softmax(a, 0) * b),
    "log_softmax": (lambda a, b: a.log_softmax(-1) * b, lambda a, b: torch.log_softmax(a, -1) * b),
    "where": (lambda a, b: ag.where(a.data > 0, a, b), lambda a, b: torch.where(a > 0, a, b)),
    "concatenate": (lambda a, b: ag.concatenate([a, b], 0), lambda a, b: torch.cat([a, b], 0)),
    "stack": (lambda a, b: ag.stack([a, b], 1), lambda a, b: torch.stack([a, b], 1)),
    "clip(np.float64)": (
        lambda a, b: a.clip(np.float64(-0.5), np.float64(0.5)),
        lambda a, b: a.clamp(-0.5, 0.5),
    ),
    "mean over all": (lambda a, b: (a * b).mean(), lambda a, b: (a * b).mean()),
}


@pytest.mark.parametrize("name", list(F32_OPS))
def test_float32_is_kept_everywhere(name: str) -> None:
    ours, theirs = F32_OPS[name]
    domain = positive if any(k in name for k in ("**", "log", "sqrt")) else away_from_zero
    a_np = domain(2, 3, 4).astype(np.float32)
    b_np = away_from_zero(2, 3, 4).astype(np.float32)
    a, b = Tensor(a_np, requires_grad=True), Tensor(b_np, requires_grad=True)
    assert a.dtype == np.float32
    out = ours(a, b)
    assert out.dtype == np.float32, f"{name}: result dtype {out.dtype}"
    ta = torch.tensor(a_np, requires_grad=True)
    tb = torch.tensor(b_np, requires_grad=True)
    ref = theirs(ta, tb)
    close(out.data, ref, rtol=2e-5, atol=2e-5)
    upstream = RNG.normal(size=out.shape).astype(np.float32)
    out.backward(upstream)
    ref.backward(torch.tensor(upstream))
    for x, t in ((a, ta), (b, tb)):
        if t.grad is None:
            assert x.grad is None or not x.grad.any()
            continue
        assert x.grad.dtype == np.float32, f"{name}: grad dtype {x.grad.dtype}"
        close(x.grad, t.grad, rtol=2e-4, atol=2e-4)


def test_float32_construction_and_promotion() -> None:
    assert Tensor(np.ones(2, np.float32)).dtype == np.float32
    assert Tensor(np.ones(2, np.float16)).dtype == np.float32
    assert Tensor([1, 2]).dtype == np.float64
    assert Tensor([True, False]).dtype == np.float64
    assert Tensor([1.0, 2.0], dtype="float32").dtype == np.float32
    assert Tensor(np.ones(2, np.float32), dtype=np.float64).dtype == np.float64
    a = Tensor(np.ones(2, np.float32), requires_grad=True)
    b = Tensor(np.ones(2), requires_grad=True)
    out = a * b  # like torch: float32 * float64 -> float64
    assert out.dtype == np.float64
    out.sum().backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float64
    # a float64 gradient argument is cast to the output's dtype
    c = Tensor(np.ones(3, np.float32), requires_grad=True)
    (c * 2).backward(np.ones(3))
    assert c.grad.dtype == np.float32
