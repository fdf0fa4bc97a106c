"""More first-day habits of a PyTorch user, each a few lines run with ``torch`` bound to this
library and to PyTorch, values and gradients compared in float64. (The namespace, the Tensor
members, ``.grad`` and the errors have their own files; these are the habits around a model
and its training step.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from side_by_side import check

RNG = np.random.default_rng(40)
X = RNG.normal(size=(6, 3))
Y = np.array([0, 2, 1, 1, 0, 2])
W = RNG.normal(size=(2, 3)) / 2
B = RNG.normal(size=2) / 2


def linear(torch: Any) -> Any:
    """An nn.Linear(3, 2) with the weights W, B, loaded the torch way."""
    layer = torch.nn.Linear(3, 2)
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(W))
        layer.bias.copy_(torch.from_numpy(B))
    return layer


def model(torch: Any) -> Any:
    net = torch.nn.Sequential(linear(torch), torch.nn.ReLU(), torch.nn.Linear(2, 3))
    with torch.no_grad():
        net[2].weight.copy_(torch.from_numpy(W.T * 1.5))
        net[2].bias.fill_(0.1)
    return net


def leaf(torch: Any, data: Any = X) -> Any:
    return torch.tensor(data, requires_grad=True)


def backward_of(out: Any, *leaves: Any) -> Any:
    """``out`` backpropagated (weighted, so every element counts), then the leaves' gradients."""
    (out * (1 + out.detach().abs())).sum().backward()
    return out, [x.grad for x in leaves]


HABITS: dict[str, Callable[[Any], Any]] = {
    "manual_seed repeats a draw": lambda t: (
        t.manual_seed(0),
        t.equal(t.randn(3), (t.manual_seed(0), t.randn(3))[1]),
    )[1],
    "count the parameters": lambda t: sum(p.numel() for p in model(t).parameters()),
    "the state dict's keys and shapes": lambda t: [
        (k, tuple(v.shape)) for k, v in model(t).state_dict().items()
    ],
    "named_parameters": lambda t: [(n, p.requires_grad, p.shape) for n, p in model(t).named_parameters()],
    "a layer's weight and its size": lambda t: (
        linear(t).weight,
        linear(t).weight.size(),
        linear(t).bias.size(0),
    ),
    "isinstance of nn.Module": lambda t: (
        isinstance(model(t), t.nn.Module),
        isinstance(model(t)[0], t.nn.Linear),
    ),
    "model(x).shape[0] and len": lambda t: (
        model(t)(t.tensor(X)).shape[0],
        len(t.tensor(X)),
        t.tensor(X).ndim,
    ),
    "loss.item() is a float": lambda t: (
        type(t.nn.functional.mse_loss(t.tensor(X), t.tensor(X * 2)).item()).__name__
    ),
    "accuracy from argmax": lambda t: (model(t)(t.tensor(X)).argmax(1) == t.tensor(Y)).sum().item(),
    "accuracy as a mean": lambda t: (model(t)(t.tensor(X)).argmax(dim=1) == t.tensor(Y)).float().mean(),
    "torch.argmax(logits, dim=1)": lambda t: t.argmax(model(t)(t.tensor(X)), dim=1),
    "max(dim) values and indices": lambda t: (lambda m: (m.values, m.indices, m[0]))(t.tensor(X).max(dim=0)),
    "model.zero_grad() sets None": lambda t: (
        lambda m: (m(t.tensor(X)).sum().backward(), m.zero_grad(), [p.grad for p in m.parameters()])[2]
    )(model(t)),
    "optimizer.zero_grad() sets None": lambda t: (
        lambda m, o: (m(t.tensor(X)).sum().backward(), o.zero_grad(), m[0].weight.grad)[2]
    )(*(lambda m: (m, t.optim.SGD(m.parameters(), lr=0.1)))(model(t))),
    "manual SGD over model.parameters()": lambda t: (
        lambda m: (
            t.nn.functional.cross_entropy(m(t.tensor(X)), t.tensor(Y)).backward(),
            _manual_sgd(t, m),
            list(m.parameters()),
        )[2]
    )(model(t)),
    "freeze a layer with requires_grad_(False)": lambda t: (
        lambda m: (
            [p.requires_grad_(False) for p in m[0].parameters()],
            m(t.tensor(X)).sum().backward(),
            [p.grad for p in m.parameters()],
        )[2]
    )(model(t)),
    "MSELoss module backward": lambda t: (
        lambda x: backward_of(t.nn.MSELoss()(x, t.tensor(X[::-1].copy())), x)
    )(leaf(t)),
    "mse_loss reduction='sum'": lambda t: t.nn.functional.mse_loss(
        t.tensor(X), t.tensor(X**2), reduction="sum"
    ),
    "CrossEntropyLoss on logits and int targets": lambda t: (
        lambda x: (t.nn.CrossEntropyLoss()(x, t.tensor(Y)), x)
    )(leaf(t)),
    "one_hot": lambda t: t.nn.functional.one_hot(t.tensor(Y), num_classes=3),
    "sigmoid > 0.5 as floats": lambda t: (t.sigmoid(t.tensor(X)) > 0.5).float(),
    "masked_fill": lambda t: backward_of(leaf(t).masked_fill(t.tensor(X) < 0, 0.0)),
    "boolean indexing keeps the gradient": lambda t: (lambda x: backward_of(x[x > 0], x))(leaf(t)),
    "None index broadcasts": lambda t: (lambda x: backward_of(x[:, None, :] - x[None, :, :], x))(leaf(t)),
    "where with zeros_like": lambda t: (lambda x: backward_of(t.where(x > 0, x, t.zeros_like(x)), x))(
        leaf(t)
    ),
    "clamp(x, 0, 1)": lambda t: (lambda x: backward_of(t.clamp(x, 0, 1), x))(leaf(t)),
    "mean(dim=0, keepdim=True) normalisation": lambda t: (
        lambda x: backward_of((x - x.mean(dim=0, keepdim=True)) / x.std(dim=0, keepdim=True), x)
    )(leaf(t)),
    "sum over a tuple of dims": lambda t: (lambda x: backward_of(x.reshape(2, 3, 3).sum(dim=(0, 2)), x))(
        leaf(t)
    ),
    "softmax over the last dim sums to 1": lambda t: t.softmax(t.tensor(X), dim=-1).sum(-1),
    "x.T @ x": lambda t: (lambda x: backward_of(x.T @ x, x))(leaf(t)),
    "cat then view(-1, 2)": lambda t: (lambda x: backward_of(t.cat([x, x * 2]).view(-1, 2), x))(leaf(t)),
    "stack then mean(0)": lambda t: (lambda x: backward_of(t.stack([x, x.exp()]).mean(0), x))(leaf(t)),
    "detach().clone().requires_grad_()": lambda t: (lambda y: (y.is_leaf, y.requires_grad, y.grad_fn))(
        t.tensor(X).exp().detach().clone().requires_grad_(True)
    ),
    "int tensor .float().mean()": lambda t: t.tensor(Y).float().mean(),
    "item of a 0-d tensor": lambda t: t.tensor(3.0).item() + t.tensor(2).item(),
    "exp then log": lambda t: (lambda x: backward_of(t.exp(x).log(), x))(leaf(t)),
    "nn.init on a layer": lambda t: (
        lambda lin: (t.nn.init.zeros_(lin.bias), t.nn.init.constant_(lin.weight, 0.5), lin(t.tensor(X)))[2]
    )(t.nn.Linear(3, 2)),
    "Dropout in eval() is the identity": lambda t: t.nn.Dropout(0.5).eval()(t.tensor(X)),
    "Dropout in train() zeroes or scales": lambda t: (
        lambda out: bool(((out == 0) | ((out - t.tensor(X) * 2).abs() < 1e-12)).all())
    )(t.nn.Dropout(0.5).train()(t.tensor(X))),
    "no_grad inference": lambda t: (lambda m: (_no_grad_forward(t, m), m(t.tensor(X)).requires_grad))(
        model(t)
    ),
}


def _manual_sgd(torch: Any, m: Any) -> None:
    with torch.no_grad():
        for p in m.parameters():
            p -= 0.1 * p.grad


def _no_grad_forward(torch: Any, m: Any) -> Any:
    with torch.no_grad():
        out = m(torch.tensor(X))
    return out, out.requires_grad


@pytest.mark.parametrize("habit", list(HABITS))
def test_first_day_habit(habit: str) -> None:
    check(HABITS[habit])


def test_there_are_forty_habits_here() -> None:
    assert len(HABITS) >= 40
