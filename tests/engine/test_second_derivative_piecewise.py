"""Second derivatives of piecewise-linear functions (relu, abs, clip, max, MAE, quantile, hinge), as
torch: with create_graph the first gradient is a node (it is selected by the input's data) and its
derivative is 0 away from the kinks, not an error. A linear function's gradient stays a constant, as
in torch."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from engine_helpers import close

import autograd as ag
import losses
from autograd import Tensor, Value, ValueArray

X = np.array([0.7, -1.3, 2.2, -0.4])  # no kinks (0, ±1, ties with 0.3)
Y = np.array([0.1, 0.2, 3.0, -1.0])
LABELS = np.array([1.0, -1.0, 1.0, -1.0])

# (ours on a Tensor/ValueArray, torch): the same function of the input
CASES: dict[str, tuple[Callable, Callable]] = {
    "relu": (lambda x: x.relu().sum(), lambda t: t.relu().sum()),
    "abs": (lambda x: (x.abs() * 3.0).sum(), lambda t: (t.abs() * 3.0).sum()),
    "clip": (lambda x: x.clip(-1.0, 1.0).sum(), lambda t: t.clamp(-1.0, 1.0).sum()),
    "maximum": (lambda x: x.maximum(0.3).sum(), lambda t: t.clamp(min=0.3).sum()),
    "max": (lambda x: x.max() * 2.0, lambda t: t.amax() * 2.0),
    "relu squared": (lambda x: (x.relu() * x).sum(), lambda t: (t.relu() * t).sum()),
    "mae": (lambda x: losses.mae(Y, x), lambda t: F.l1_loss(t, torch.tensor(Y))),
    "quantile": (
        lambda x: losses.quantile(Y, x, q=0.3),
        lambda t: torch.maximum(0.3 * (torch.tensor(Y) - t), (0.3 - 1) * (torch.tensor(Y) - t)).mean(),
    ),
    "hinge": (
        lambda x: losses.hinge(LABELS, x),
        lambda t: (1.0 - torch.tensor(LABELS) * t).clamp(min=0.0).mean(),
    ),
}


def torch_second(fn: Callable) -> tuple[np.ndarray, np.ndarray, bool]:
    """torch's gradient, its derivative and whether the gradient is a node. torch's clamp, maximum
    and amax gradients are constants (differentiating them again raises): their derivative is 0."""
    t = torch.tensor(X, requires_grad=True)
    (g,) = torch.autograd.grad(fn(t), [t], create_graph=True)
    if not g.requires_grad:
        return g.detach().numpy(), np.zeros_like(X), False
    (h,) = torch.autograd.grad(g.sum(), [t], allow_unused=True, materialize_grads=True)
    return g.detach().numpy(), h.numpy(force=True), True


@pytest.mark.parametrize("name", CASES)
def test_tensor_second_derivative_of_a_piecewise_linear_function_is_torchs(name: str) -> None:
    ours, theirs = CASES[name]
    g_ref, h_ref, requires = torch_second(theirs)
    assert requires == (name in ("relu", "abs", "relu squared", "mae"))  # torch: relu's and abs's are nodes
    x = Tensor(X, requires_grad=True)
    (g,) = ag.grad(ours(x), [x], create_graph=True)
    assert g.requires_grad
    close(g.data, g_ref)
    (h,) = ag.grad(g.sum(), [x])
    close(h, h_ref)
    assert not np.any(h_ref) or name == "relu squared"


@pytest.mark.parametrize("name", CASES)
def test_value_second_derivative_of_a_piecewise_linear_function_is_torchs(name: str) -> None:
    ours, theirs = CASES[name]
    g_ref, h_ref, _ = torch_second(theirs)
    x = ValueArray(X)
    (g,) = ag.grad(ours(x).to_value() if hasattr(ours(x), "to_value") else ours(x), [x], create_graph=True)
    close(g.data, g_ref)
    (h,) = ag.grad(g.sum().to_value(), [x])
    close(h, h_ref)


def test_value_piecewise_gradient_is_a_node_and_its_derivative_zero() -> None:
    for x0 in (0.5, -1.2):
        for f in (Value.relu, Value.abs, lambda v: v.clip(-1.0, 1.0), lambda v: v.maximum(0.3)):
            v = Value(x0)
            (g,) = ag.grad(f(v), [v], create_graph=True)
            assert isinstance(g, Value) and g.op
            assert ag.grad(g, [v]) == (0.0,)
    # a masked share under an infinite upstream gradient stays 0, also as a node: relu(x).log() at x < 0
    v = Value(-1.2)
    (g,) = ag.grad(v.relu().log(), [v], create_graph=True)
    assert g.data == 0.0 and ag.grad(g, [v]) == (0.0,)


def test_linear_gradient_is_a_constant_as_in_torch() -> None:
    t = torch.tensor(X, requires_grad=True)
    (g,) = torch.autograd.grad((2 * t).sum(), [t], create_graph=True)
    assert not g.requires_grad
    x = Tensor(X, requires_grad=True)
    (g,) = ag.grad((2 * x).sum(), [x], create_graph=True)
    assert not g.requires_grad
    with pytest.raises(RuntimeError, match="does not require grad"):
        ag.grad(g.sum(), [x])


def test_hessian_of_piecewise_linear_losses_is_zero() -> None:
    for loss in (losses.mae, losses.hinge):
        h = ag.hessian(lambda p, loss=loss: loss(LABELS, p))(X)
        assert h.shape == (4, 4) and not np.any(h)
