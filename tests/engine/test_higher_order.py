"""Derivatives of derivatives: every primitive's second derivative against PyTorch (create_graph=True,
float64, 1e-10), edge points and non-finite inputs included; third derivatives; backward(create_graph)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from engine_helpers import close, torch_softplus, tt

import autograd as ag
from autograd import Tensor, Value, ValueArray, grad

NAN, INF = math.nan, math.inf
pytestmark = pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")


def torch_derivs(fn: Callable[..., torch.Tensor], xs: list[float], order: int) -> list[list[float]]:
    """[∂f/∂x_i, ∂²f/∂x_i∂x_j summed over j ... ]: derivatives of order 1..order of a scalar fn, the
    k-th being the gradient of the sum of the (k-1)-th (nan where torch gives no graph)."""
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    out = fn(*ts)
    found = []
    for _ in range(order):
        if not out.requires_grad:
            found.append([0.0] * len(ts))
            out = torch.zeros((), dtype=torch.float64)
            continue
        gs = torch.autograd.grad(out, ts, create_graph=True, allow_unused=True, materialize_grads=True)
        found.append([g.item() for g in gs])
        out = sum(gs)
    return found


def our_derivs(fn: Callable[..., Value], xs: list[float], order: int) -> list[list[float]]:
    vs = [Value(x) for x in xs]
    out: Any = fn(*vs)
    found = []
    for _ in range(order):
        gs = grad(out, vs, create_graph=True, allow_unused=True, materialize_grads=True)
        assert all(isinstance(g, Value) for g in gs)
        found.append([g.data for g in gs])
        out = sum(gs[1:], gs[0])
    return found


# name -> (ours, torch's, points incl. edges and non-finite inputs)
UNARY: dict[str, tuple[Callable, Callable, list[float]]] = {
    "neg": (lambda v: -v, lambda t: -t, [-2.5, 0.7]),
    "exp": (lambda v: v.exp(), torch.exp, [-3.0, 0.0, 1.5, -INF, INF, NAN]),
    "log": (lambda v: v.log(), torch.log, [1e-3, 0.4, 7.5, 0.0, -1.0, INF]),
    "log1p": (lambda v: v.log1p(), torch.log1p, [-0.9, 0.0, 2.0, -1.0]),
    "sqrt": (lambda v: v.sqrt(), torch.sqrt, [1e-4, 0.5, 9.0, 0.0, -1.0]),
    "tanh": (lambda v: v.tanh(), torch.tanh, [-4.0, 0.0, 0.3, 30.0, NAN]),
    "sigmoid": (lambda v: v.sigmoid(), torch.sigmoid, [-40.0, -1.0, 0.0, 0.5, 40.0]),
    "relu": (lambda v: v.relu(), torch.relu, [-2.0, 0.0, 3.0, NAN]),
    "abs": (lambda v: v.abs(), torch.abs, [-2.0, 0.0, 3.0, NAN]),
    "softplus": (lambda v: v.softplus(), torch_softplus, [-30.0, -3.0, 0.0, 0.5, 25.0]),
    "clip": (lambda v: v.clip(-0.5, 0.5), lambda t: t.clamp(-0.5, 0.5), [-1.0, -0.5, 0.3, 0.5, 2.0, NAN]),
    "pow 2": (lambda v: v**2, lambda t: t**2, [-1.5, 0.0, 3.0]),
    "pow 3": (lambda v: v**3, lambda t: t**3, [-1.5, 0.0, 0.5]),
    "pow 0.5": (lambda v: v**0.5, lambda t: t**0.5, [0.1, 9.0, 0.0]),
    "pow -1.5": (lambda v: v**-1.5, lambda t: t**-1.5, [0.1, 2.0]),
    "pow 0": (lambda v: v**0, lambda t: t**0, [-3.0, 0.0, 3.0]),
    "3 / v": (lambda v: 3 / v, lambda t: 3 / t, [-1.0, 0.5, 0.0]),
    "2 ** v": (lambda v: 2**v, lambda t: 2**t, [-1.0, 0.0, 3.0]),
    "maximum const": (
        lambda v: v.maximum(0.25),
        lambda t: torch.maximum(t, torch.tensor(0.25, dtype=t.dtype)),
        [-1.0, 0.25, 0.5],
    ),
    # compositions whose derivatives pass through inf / masks
    "relu().log()": (lambda v: v.relu().log(), lambda t: t.relu().log(), [-1.0, 0.0, 2.0]),
    "clip().log()": (lambda v: v.clip(0, 1).log(), lambda t: t.clamp(0, 1).log(), [-1.0, 0.0, 0.5]),
    "(v**0 * v).log()": (lambda v: (v**0 * v).log(), lambda t: (t**0 * t).log(), [0.0, 2.0]),
    "tanh(v)·exp(v)": (lambda v: v.tanh() * v.exp(), lambda t: t.tanh() * t.exp(), [-0.7, 1.3]),
}

BINARY: dict[str, tuple[Callable, Callable, list[tuple[float, float]]]] = {
    "+": (lambda a, b: a + b, lambda a, b: a + b, [(1.5, -2.0)]),
    "-": (lambda a, b: a - b, lambda a, b: a - b, [(1.5, -2.0)]),
    "*": (lambda a, b: a * b, lambda a, b: a * b, [(1.5, -2.0), (0.0, 0.3)]),
    "/": (lambda a, b: a / b, lambda a, b: a / b, [(1.5, -2.0), (0.0, 0.3), (1.0, 0.0)]),
    "**": (lambda a, b: a**b, lambda a, b: a**b, [(1.5, -2.0), (0.3, 2.5), (2.0, 0.0), (-2.0, 3.0)]),
    "maximum": (lambda a, b: a.maximum(b), torch.maximum, [(1.5, -2.0), (-0.1, 0.3), (0.5, 0.5), (NAN, 1.0)]),
    "minimum": (lambda a, b: a.minimum(b), torch.minimum, [(1.5, -2.0), (0.5, 0.5), (1.0, NAN)]),
    "mixed": (
        lambda a, b: (a * b + a.exp()) / (b**2 + 1) - a.tanh() * b.sigmoid(),
        lambda a, b: (a * b + a.exp()) / (b**2 + 1) - a.tanh() * b.sigmoid(),
        [(0.3, -1.2), (-2.0, 0.5)],
    ),
    "x/x": (lambda a, b: a / a * b, lambda a, b: a / a * b, [(-1.0, 2.0), (3.0, 0.5)]),
}


@pytest.mark.parametrize("name", list(UNARY))
def test_value_unary_second_derivative_matches_torch(name: str) -> None:
    ours, theirs, points = UNARY[name]
    for x in points:
        close(our_derivs(ours, [x], 2), torch_derivs(theirs, [x], 2), what=f"{name} at {x}")


@pytest.mark.parametrize("name", list(BINARY))
def test_value_binary_second_derivative_matches_torch(name: str) -> None:
    ours, theirs, points = BINARY[name]
    for a, b in points:
        close(our_derivs(ours, [a, b], 2), torch_derivs(theirs, [a, b], 2), what=f"{name} at {(a, b)}")


@pytest.mark.parametrize("kind", [Value, Tensor])
def test_pow_at_zero_base_second_derivatives_are_the_limits(kind: type) -> None:
    """Deliberately better than torch: f = a^b at a = 0 (b >= 0). PyTorch's backward computes
    0·log(0) in a branch its `where` discards, and the second derivative picks up that nan. Here
    the rule computes that branch at a = 1 (the double-where): ∂²f/∂a∂b = a^(b-1)(1 + b ln a) → 0,
    ∂²f/∂b² = a^b ln² a → 0 and ∂²f/∂a² = b(b-1)a^(b-2)."""
    num = lambda v: float(np.asarray(v.data if isinstance(v, (Value, Tensor)) else v))  # noqa: E731
    for b, d2a in ((2.0, 2.0), (3.0, 0.0), (0.0, 0.0)):
        a_, b_ = (Value(0.0), Value(b)) if kind is Value else (Tensor(0.0, True), Tensor(b, True))
        ga, gb = grad(a_**b_, [a_, b_], create_graph=True)
        assert (num(ga), num(gb)) == (0.0, 0.0)
        haa, hab = grad(ga, [a_, b_], allow_unused=True, materialize_grads=True)
        hba, hbb = grad(gb, [a_, b_], allow_unused=True, materialize_grads=True)
        assert (num(haa), num(hab), num(hba), num(hbb)) == (d2a, 0.0, 0.0, 0.0)
    assert math.isnan(torch_derivs(lambda a, b: a**b, [0.0, 2.0], 2)[1][0])  # torch: nan


@pytest.mark.parametrize("y", [0.5, 2.0])
def test_hessian_of_zero_to_the_y_is_zero_as_torch_func(y: float) -> None:
    """The Hessian of 0 ** y at y > 0 (issue 21): 0 on Values and Tensors, as torch.func's."""
    ref = torch.func.hessian(lambda t: torch.tensor(0.0, dtype=torch.float64) ** t)(tt(y)).item()
    assert ref == 0.0
    assert float(ag.hessian(lambda v: 0.0**v)(Value(y))) == 0.0
    assert ag.hessian(lambda t: (0.0**t).sum())(Tensor([y, y + 1])).data.tolist() == [[0.0, 0.0], [0.0, 0.0]]


@pytest.mark.parametrize(
    "ours,theirs,xs",
    [
        (lambda a: (a * a).tanh(), lambda a: (a * a).tanh(), [0.7]),
        (lambda a, b: (a * b).sigmoid() * a.log(), lambda a, b: (a * b).sigmoid() * a.log(), [1.3, -0.4]),
        (
            lambda a, b: (a**b).softplus() / (1 + b * b),
            lambda a, b: torch_softplus(a**b) / (1 + b * b),
            [1.5, 0.7],
        ),
        (lambda a: (a.exp() + a.sqrt()).log1p(), lambda a: (a.exp() + a.sqrt()).log1p(), [0.8]),
    ],
)
def test_value_third_derivatives_match_torch(ours: Callable, theirs: Callable, xs: list[float]) -> None:
    close(our_derivs(ours, xs, 3), torch_derivs(theirs, xs, 3))


def test_value_backward_create_graph_leaves_values_in_grad() -> None:
    x, w = Value(0.7, label="x"), Value(-1.3, label="w")
    y = (x * w).tanh() + x * x
    y.backward(create_graph=True)
    assert isinstance(x.grad, Value) and isinstance(w.grad, Value)
    tx, tw = tt(0.7), tt(-1.3)
    ty = (tx * tw).tanh() + tx * tx
    ty.backward(create_graph=True)
    close([x.grad.data, w.grad.data], [tx.grad.item(), tw.grad.item()])
    # the gradient is a graph: differentiate it again
    gx = x.grad
    x.grad, w.grad = 0.0, 0.0
    gx.backward()
    (dx, dw) = torch.autograd.grad(tx.grad, [tx, tw])
    close([x.grad, w.grad], [dx.item(), dw.item()])
    assert gx.op and gx.children  # a normal graph node with an op name (so draw_graph shows it)


def test_value_backward_create_graph_accumulates_like_torch() -> None:
    x = Value(2.0)
    (x * x * x).backward(create_graph=True)
    (x * x).backward(create_graph=True)
    tx = tt(2.0)
    (tx * tx * tx).backward(create_graph=True)
    (tx * tx).backward(create_graph=True)
    close(x.grad.data, tx.grad.item())
    (second,) = grad(x.grad, [x])
    close(second, torch.autograd.grad(tx.grad, tx)[0].item())


# ---------------------------------------------------------------------------
# Tensor primitives: L = Σ w·op(inputs); second derivative = ∂(Σ v·∂L/∂x)/∂x, all inputs at once
# ---------------------------------------------------------------------------
R = np.random.default_rng(7)
A34, B34, C4, M45 = R.normal(size=(3, 4)), R.normal(size=(3, 4)), R.normal(size=4), R.normal(size=(4, 5))
POS = np.abs(A34) + 0.1
EDGE = np.array([[-1.0, 0.0, 0.5, 2.0], [0.0, -0.5, 1.0, 0.25], [3.0, 3.0, -2.0, 0.0]])  # zeros and ties
NONFINITE = np.array([[-1.0, 0.0, INF, -INF], [NAN, 1.0, 2.0, 0.5], [0.0, -0.0, 1e-300, 3.0]])
IDX = (np.array([0, 2, 0, 1]), np.array([1, 1, 1, 3]))  # a repeated element

TENSOR_CASES: dict[str, tuple[Callable, Callable, list[np.ndarray]]] = {
    "add bcast": (lambda a, b: a + b, lambda a, b: a + b, [A34, C4]),
    "sub": (lambda a, b: a - b, lambda a, b: a - b, [A34, B34]),
    "mul bcast": (lambda a, b: a * b, lambda a, b: a * b, [A34, C4]),
    "div": (lambda a, b: a / b, lambda a, b: a / b, [A34, POS]),
    "pow": (lambda a, b: a**b, lambda a, b: a**b, [POS, B34]),
    "pow edges": (  # (a zero base: test_pow_at_zero_base_second_derivatives_are_the_limits)
        lambda a, b: a**b,
        lambda a, b: a**b,
        [np.array([-1.0, 1.0, 2.0, 1.5]), np.array([2.0, 0.0, 0.0, 3.0])],
    ),
    "pow const": (lambda a: a**3, lambda a: a**3, [EDGE]),
    "pow 0": (lambda a: a**0, lambda a: a**0, [EDGE]),
    "maximum ties": (lambda a, b: a.maximum(b), torch.maximum, [EDGE, EDGE.T.reshape(3, 4)]),
    "minimum ties": (lambda a, b: a.minimum(b), torch.minimum, [EDGE, np.roll(EDGE, 1)]),
    "matmul 2d": (lambda a, b: a @ b, lambda a, b: a @ b, [A34, M45]),
    "matmul 1d-2d": (lambda a, b: a @ b, lambda a, b: a @ b, [C4, M45]),
    "matmul 2d-1d": (lambda a, b: a @ b, lambda a, b: a @ b, [A34, C4]),
    "matmul 1d-1d": (lambda a, b: a @ b, lambda a, b: a @ b, [C4, C4[::-1].copy()]),
    "matmul batched": (lambda a, b: a @ b, lambda a, b: a @ b, [R.normal(size=(2, 3, 4)), M45]),
    "where": (
        lambda a, b: ag.where(EDGE > 0, a * a, b.exp()),
        lambda a, b: torch.where(torch.tensor(EDGE > 0), a * a, b.exp()),
        [A34, B34],
    ),
    "neg": (lambda a: -a, lambda a: -a, [A34]),
    "exp": (lambda a: a.exp(), torch.exp, [A34]),
    "log": (lambda a: a.log(), torch.log, [POS]),
    "log1p": (lambda a: a.log1p(), torch.log1p, [POS]),
    "sqrt": (lambda a: a.sqrt(), torch.sqrt, [POS]),
    "tanh": (lambda a: a.tanh(), torch.tanh, [A34]),
    "sigmoid": (lambda a: a.sigmoid(), torch.sigmoid, [A34 * 5]),
    "relu edges": (lambda a: a.relu(), torch.relu, [EDGE]),
    "abs edges": (lambda a: a.abs(), torch.abs, [EDGE]),
    "softplus": (lambda a: a.softplus(), torch_softplus, [A34 * 5]),
    "clip edges": (lambda a: a.clip(-0.5, 1.0), lambda a: a.clamp(-0.5, 1.0), [EDGE]),
    "sum axis": (lambda a: (a * a).sum(1), lambda a: (a * a).sum(1), [A34]),
    "sum keepdims": (lambda a: (a * a).sum(0, keepdims=True), lambda a: (a * a).sum(0, keepdim=True), [A34]),
    "max ties": (lambda a: (a * a).max(1), lambda a: (a * a).amax(1), [EDGE]),
    "max all": (lambda a: (a * a).max(), lambda a: (a * a).amax(), [A34]),
    "logsumexp": (lambda a: (a * a).logsumexp(1), lambda a: (a * a).logsumexp(1), [A34]),
    "logsumexp all": (lambda a: a.logsumexp(axis=None), lambda a: a.logsumexp((0, 1)), [A34]),
    "log_softmax": (lambda a: (a * a).log_softmax(0), lambda a: (a * a).log_softmax(0), [A34]),
    "softmax": (lambda a: a.softmax(-1), lambda a: a.softmax(-1), [A34]),
    "reshape": (lambda a: (a * a).reshape(2, 6), lambda a: (a * a).reshape(2, 6), [A34]),
    "transpose": (lambda a: (a * a).T, lambda a: (a * a).T, [A34]),
    "getitem repeated": (lambda a: (a * a)[IDX], lambda a: (a * a)[IDX], [A34]),
    "getitem slice": (lambda a: (a * a)[1:, ::2], lambda a: (a * a)[1:, ::2], [A34]),
    "concatenate": (
        lambda a, b: ag.concatenate([a * a, b.exp()], 1),
        lambda a, b: torch.cat([a * a, b.exp()], 1),
        [A34, B34],
    ),
    "mean": (lambda a: (a * a * a).mean(0), lambda a: (a * a * a).mean(0), [A34]),
    "min": (lambda a: (a * a).min(1), lambda a: (a * a).amin(1), [A34]),
    "log nonfinite": (lambda a: (a * a).log(), lambda a: (a * a).log(), [NONFINITE]),
    "relu log nonfinite": (lambda a: a.relu().log(), lambda a: a.relu().log(), [NONFINITE]),
    "clip log nonfinite": (lambda a: a.clip(0, 1).log(), lambda a: a.clamp(0, 1).log(), [NONFINITE]),
    "exp tanh nonfinite": (lambda a: a.exp() * a.tanh(), lambda a: a.exp() * a.tanh(), [NONFINITE]),
}


def tensor_second(ours: Callable, theirs: Callable, arrays: list[np.ndarray], seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    xs = [Tensor(a, requires_grad=True) for a in arrays]
    ts = [tt(a) for a in arrays]
    out, ref = ours(*xs), theirs(*ts)
    close(out.data, ref, what="value")
    w = rng.normal(size=out.shape)
    vs = [rng.normal(size=a.shape) for a in arrays]
    loss = (out * w).sum()
    gs = grad(loss, xs, create_graph=True)
    assert all(isinstance(g, Tensor) for g in gs)
    tgs = torch.autograd.grad(
        (ref * torch.tensor(w)).sum(), ts, create_graph=True, allow_unused=True, materialize_grads=True
    )
    for g, tg in zip(gs, tgs):
        close(g.data, tg, what="first derivative")
    second = sum(((g * v).sum() for g, v in zip(gs, vs)), Tensor(0.0))
    tsecond = sum((tg * torch.tensor(v)).sum() for tg, v in zip(tgs, vs))
    hs = (
        grad(second, xs, allow_unused=True, materialize_grads=True)
        if second.requires_grad
        else [np.zeros(a.shape) for a in arrays]
    )
    ths = (
        torch.autograd.grad(tsecond, ts, allow_unused=True, materialize_grads=True)
        if tsecond.requires_grad
        else [torch.zeros(a.shape, dtype=torch.float64) for a in arrays]
    )
    for h, th in zip(hs, ths):
        close(h, th, what="second derivative")


@pytest.mark.parametrize("name", list(TENSOR_CASES))
def test_tensor_second_derivative_matches_torch(name: str) -> None:
    ours, theirs, arrays = TENSOR_CASES[name]
    tensor_second(ours, theirs, arrays)


def test_tensor_third_derivative_of_a_composition() -> None:
    x0 = R.normal(size=(2, 3))
    x, t = Tensor(x0, requires_grad=True), tt(x0)
    f = lambda a: (a.tanh() @ a.T).logsumexp(1).sum()  # noqa: E731
    g = f(x)
    tg = f(t)
    for _ in range(3):
        (g,) = grad(g, [x], create_graph=True)
        (tg,) = torch.autograd.grad(tg, t, create_graph=True)
        close(g.data, tg)
        g, tg = (g * g).sum(), (tg * tg).sum()


def test_tensor_backward_create_graph_leaves_tensors_in_grad() -> None:
    x0 = R.normal(size=3)
    x = Tensor(x0, requires_grad=True)
    t = tt(x0)
    (x.exp() * x).sum().backward(create_graph=True)
    (t.exp() * t).sum().backward(create_graph=True)
    assert isinstance(x.grad, Tensor) and x.grad.requires_grad
    close(x.grad.data, t.grad)
    (h,) = grad(x.grad.sum(), [x])
    close(h, torch.autograd.grad(t.grad.sum(), t)[0])
    assert x.grad.op  # a graph node with an op name, drawable


def test_value_array_second_derivative() -> None:
    x0 = np.array([0.3, -1.2, 2.0])
    xa = ValueArray(x0)
    out = (xa * xa).tanh().sum()
    (g,) = grad(out.to_value(), [xa], create_graph=True)
    assert isinstance(g, ValueArray)
    (h,) = grad((g * np.array([1.0, 2.0, 3.0])).sum().to_value(), [xa])
    t = tt(x0)
    (tg,) = torch.autograd.grad((t * t).tanh().sum(), t, create_graph=True)
    (th,) = torch.autograd.grad((tg * torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)).sum(), t)
    close(g.data, tg)
    close(h, th)


# ---------------------------------------------------------------------------
# grad(outputs, inputs): torch.autograd.grad semantics
# ---------------------------------------------------------------------------
def test_grad_leaves_dot_grad_untouched_and_returns_a_tuple() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    gs = grad(y, x)
    assert isinstance(gs, tuple) and x.grad is None
    close(gs[0], [2.0, 4.0])
    v = Value(3.0)
    assert grad(v * v, [v]) == (6.0,) and v.grad == 0.0


def test_grad_unused_inputs_like_torch() -> None:
    a, b = Value(1.0), Value(2.0)
    with pytest.raises(RuntimeError, match="input 1 is not part of the graph.*allow_unused=True"):
        grad(a * a, [a, b])
    assert grad(a * a, [a, b], allow_unused=True) == (2.0, None)
    assert grad(a * a, [a, b], allow_unused=True, materialize_grads=True) == (2.0, 0.0)
    x = Tensor([1.0], requires_grad=True)
    c = Tensor([1.0])
    with pytest.raises(RuntimeError, match="input 0 does not require grad"):
        grad((x * c).sum(), [c])


def test_grad_non_scalar_output_needs_grad_outputs() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"only for scalar outputs: outputs\[0\] has shape \(2,\)"):
        grad(x * x, [x])
    (g,) = grad(x * x, [x], grad_outputs=[np.array([1.0, -1.0])])
    close(g, [2.0, -4.0])


def test_grad_of_masked_input_is_zero_not_unused() -> None:
    x = Value(-1.0)
    assert grad(x.relu().log(), [x]) == (0.0,)  # torch: 0, the relu mask beats the inf of log'(0)
    t = Tensor([-1.0, 2.0], requires_grad=True)
    close(grad(t.relu().log().sum(), [t])[0], [0.0, 0.5])


def test_grad_builds_graph_even_under_no_grad_like_torch() -> None:
    x = Value(0.5)
    y = x * x * x
    with ag.no_grad():
        (g,) = grad(y, [x], create_graph=True)
    assert isinstance(g, Value) and g.children
    assert grad(g, [x]) == (pytest.approx(3.0),)


def test_draw_graph_shows_the_graph_backward_built() -> None:
    x = Value(0.7, label="x")
    (x * x).tanh().backward(create_graph=True)
    source = ag.draw_graph(x.grad).source
    assert "tanh" in source and source.count("->") > 5  # the backward graph: tanh'(x²)·2x, as nodes
    t = Tensor(np.array([0.5, 1.0]), requires_grad=True, label="t")
    (t.exp() * t).sum().backward(create_graph=True)
    assert "exp" in ag.draw_graph(t.grad).source
