"""nn layers: the micrograd-style MLP on Values and the Tensor layers equal the same networks in torch."""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch
from engine_helpers import close

from autograd import Tensor, Value
from autograd.nn import MLP, Layer, Linear, Neuron, TensorMLP

XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]


def torch_copy(mlp: MLP) -> list[tuple[torch.Tensor, torch.Tensor, str]]:
    """The same weights as torch leaves: per layer (W of shape (out, in), b, activation)."""
    layers = []
    for layer in mlp.layers:
        w = torch.tensor(
            [[p.data for p in n.w] for n in layer.neurons], dtype=torch.float64, requires_grad=True
        )
        b = torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64, requires_grad=True)
        layers.append((w, b, layer.neurons[0].activation))
    return layers


def torch_forward(layers, x: torch.Tensor) -> torch.Tensor:
    for w, b, act in layers:
        x = x @ w.T + b
        if act != "linear":
            x = getattr(torch, act)(x)
    return x


def value_loss(mlp: MLP) -> Value:
    preds = [mlp([Value(v) for v in x]) for x in XS]
    return sum(((p - y) ** 2 for p, y in zip(preds, YS)), Value(0.0))


def torch_loss(layers) -> torch.Tensor:
    pred = torch_forward(layers, torch.tensor(XS, dtype=torch.float64))[:, 0]
    return ((pred - torch.tensor(YS, dtype=torch.float64)) ** 2).sum()


def _compare_grads(mlp: MLP, layers) -> None:
    for layer, (w, b, _) in zip(mlp.layers, layers):
        close([[p.grad for p in n.w] for n in layer.neurons], w.grad)
        close([n.b.grad for n in layer.neurons], b.grad)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_value_mlp_forward_backward_equals_torch(activation: str) -> None:
    mlp = MLP(3, [4, 4, 1], activation=activation, rng=random.Random(1337))
    layers = torch_copy(mlp)
    loss = value_loss(mlp)
    ref = torch_loss(layers)
    loss.backward()
    ref.backward()
    close(loss.data, ref.item())
    _compare_grads(mlp, layers)
    assert len(mlp.parameters()) == (3 * 4 + 4) + (4 * 4 + 4) + (4 + 1)


def test_value_mlp_trains_and_follows_torch_step_for_step() -> None:
    mlp = MLP(3, [4, 4, 1], rng=random.Random(0))
    layers = torch_copy(mlp)
    params_t = [p for w, b, _ in layers for p in (w, b)]
    lr = 0.02
    losses, ref_losses = [], []
    for _ in range(40):
        loss = value_loss(mlp)
        mlp.zero_grad()
        loss.backward()
        for p in mlp.parameters():
            p.data -= lr * p.grad
        losses.append(loss.data)

        ref = torch_loss(layers)
        for p in params_t:
            p.grad = None
        ref.backward()
        with torch.no_grad():
            for p in params_t:
                p -= lr * p.grad
        ref_losses.append(ref.item())
    close(losses, ref_losses)
    assert losses[-1] < 0.5 * losses[0], losses
    assert losses[0] == pytest.approx(ref_losses[0], rel=1e-12)


def test_value_mlp_is_deterministic_with_a_seed_and_micrograd_shaped() -> None:
    a = MLP(2, [3, 1], rng=random.Random(5))
    b = MLP(2, [3, 1], rng=random.Random(5))
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]
    assert all(-1 <= p.data <= 1 for p in a.parameters())
    assert all(n.b.data == 0.0 for n in a.layers[0].neurons)
    out = a([1.0, 2.0])
    assert isinstance(out, Value)  # a single output is returned unwrapped
    assert isinstance(Layer(2, 3)([1.0, 2.0]), list)
    n = Neuron(2, nonlin=False)
    assert n([1.0, 1.0]).data == pytest.approx(sum(w.data for w in n.w))
    assert repr(Neuron(2)) == "ReLUNeuron(2)" and repr(n) == "LinearNeuron(2)"  # micrograd's reprs


@pytest.mark.parametrize("dtype,tol", [(np.float64, 1e-10), (np.float32, 1e-5)])
def test_linear_gradients_equal_torch(dtype, tol: float) -> None:
    layer = Linear(3, 2, dtype=dtype, rng=0)
    assert layer.weight.shape == (2, 3) and layer.bias.shape == (2,)
    assert layer.weight.dtype == dtype and layer.bias.dtype == dtype
    assert np.all(np.abs(layer.weight.data) <= 1 / np.sqrt(3))
    x = np.random.default_rng(1).normal(size=(5, 3)).astype(dtype)
    out = (layer(Tensor(x)) ** 2).mean()
    out.backward()
    tdtype = torch.float64 if dtype == np.float64 else torch.float32
    w = torch.tensor(layer.weight.data, dtype=tdtype, requires_grad=True)
    b = torch.tensor(layer.bias.data, dtype=tdtype, requires_grad=True)
    ref = (torch.nn.functional.linear(torch.tensor(x), w, b) ** 2).mean()
    ref.backward()
    close(out.data, ref, tol, tol)
    close(layer.weight.grad, w.grad, tol, tol)
    close(layer.bias.grad, b.grad, tol, tol)
    assert layer.weight.grad.dtype == dtype
    nobias = Linear(3, 2, bias=False, rng=0)
    assert list(nobias.parameters()) == [nobias.weight]


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_tensor_mlp_gradients_equal_torch(activation: str) -> None:
    mlp = TensorMLP(3, [5, 4, 2], activation=activation, rng=42)
    x = np.random.default_rng(2).normal(size=(6, 3))
    labels = np.array([0, 1, 1, 0, 1, 0])
    logits = mlp(Tensor(x))
    loss = -logits.log_softmax(-1)[np.arange(6), labels].mean()
    loss.backward()

    ws = [torch.tensor(p.data, requires_grad=True) for p in mlp.parameters()]
    h = torch.tensor(x)
    for i in range(0, len(ws), 2):
        h = h @ ws[i].T + ws[i + 1]
        if i < len(ws) - 2:
            h = getattr(torch, activation)(h)
    ref = torch.nn.functional.cross_entropy(h, torch.tensor(labels))
    ref.backward()
    close(loss.data, ref)
    for p, w in zip(mlp.parameters(), ws):
        close(p.grad, w.grad)


def test_tensor_mlp_matches_torch_nn_linear_layers() -> None:
    mlp = TensorMLP(4, [3, 1], activation="tanh", rng=3)
    net = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1)).double()
    with torch.no_grad():
        for lin, layer in zip((net[0], net[2]), (mlp[0], mlp[2])):
            lin.weight.copy_(torch.tensor(layer.weight.data))
            lin.bias.copy_(torch.tensor(layer.bias.data))
    x = np.random.default_rng(4).normal(size=(7, 4))
    out = (mlp(Tensor(x)) ** 2).sum()
    ref = (net(torch.tensor(x)) ** 2).sum()
    out.backward()
    ref.backward()
    close(out.data, ref)
    for lin, layer in zip((net[0], net[2]), (mlp[0], mlp[2])):
        close(layer.weight.grad, lin.weight.grad)
        close(layer.bias.grad, lin.bias.grad)
