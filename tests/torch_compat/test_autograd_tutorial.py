"""PyTorch's autograd tutorial ("A Gentle Introduction to torch.autograd" and "The Fundamentals of
Autograd") as a new user types it, with ``torch`` bound to this library and to PyTorch: values and
gradients compared in float64.

Written here after the tutorial's steps, not copied (the pages' own code runs as written in
``test_tutorial_pages.py``): random draws come in as numpy arrays (the
two libraries' random streams differ), and a small MLP stands in for the pretrained ResNet.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
import torch as real_torch
from side_by_side import check

import autograd

RNG = np.random.default_rng(5)


def test_gradients_of_q() -> None:
    """Q = 3a³ − b²: ∂Q/∂a = 9a², ∂Q/∂b = −2b, given an external gradient."""

    def page(torch: Any) -> Any:
        a = torch.tensor([2.0, 3.0], requires_grad=True)
        b = torch.tensor([6.0, 4.0], requires_grad=True)
        Q = 3 * a**3 - b**2
        external_grad = torch.tensor([1.0, 1.0])
        Q.backward(gradient=external_grad)
        return Q, a.grad, b.grad, 9 * a**2 == a.grad, -2 * b == b.grad

    ours, _ = check(page)
    assert ours[3].all() and ours[4].all()


def test_exclusion_from_the_dag_and_frozen_parameters() -> None:
    x0, y0, z0 = RNG.random((3, 5, 5))

    def page(torch: Any) -> Any:
        x, y = torch.tensor(x0), torch.tensor(y0)
        z = torch.tensor(z0, requires_grad=True)
        a = x + y
        b = x + z
        flags = [a.requires_grad, b.requires_grad]
        # freeze a model but its new classifier, as the tutorial does to finetune
        model = torch.nn.Sequential(torch.nn.Linear(5, 4), torch.nn.Tanh(), torch.nn.Linear(4, 3))
        for param in model.parameters():
            param.requires_grad = False
        model[2] = torch.nn.Linear(4, 2)
        with torch.no_grad():
            for p, w in zip(model.parameters(), (z0[:4], z0[4, :4], x0[:2, :4], y0[0, :2])):
                p.copy_(torch.from_numpy(w))
        model(b).sum().backward()
        trainable = [(name, p.requires_grad) for name, p in model.named_parameters()]
        optimizer = torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
        optimizer.step()
        return flags, trainable, z.grad, [p.grad for p in model.parameters()], list(model.parameters())

    check(page)


def test_the_fundamentals_sine_graph() -> None:
    """a = linspace(0, 2π, 25); b = sin a; c = 2b; d = c + 1; out = Σd: the grad_fn chain and
    ∂out/∂a = 2 cos a."""

    def page(torch: Any) -> Any:
        a = torch.linspace(0.0, 2.0 * math.pi, steps=25, requires_grad=True)
        b = torch.sin(a)
        c = 2 * b
        d = c + 1
        out = d.sum()
        chain, fn = [], out.grad_fn
        while fn is not None and fn.next_functions:
            chain.append(fn.name())
            fn = fn.next_functions[0][0]
        out.backward()
        return a, b, out, chain, a.grad, c.grad_fn.name(), a.is_leaf, d.is_leaf

    ours, _ = check(page)
    assert ours[3] == ["SumBackward0", "AddBackward0", "MulBackward0", "SinBackward0"]
    np.testing.assert_allclose(ours[4].data, 2 * np.cos(ours[0].data), rtol=1e-14, atol=1e-15)


def test_autograd_in_training() -> None:
    """The tiny model of the tutorial: a loss's gradient, an optimizer step, and zero_grad."""
    w1, b1 = RNG.normal(size=(20, 30)) / 5, RNG.normal(size=20) / 5
    w2, b2 = RNG.normal(size=(4, 20)) / 5, RNG.normal(size=4) / 5
    some_input, ideal_output = RNG.random((1, 30)), RNG.random((1, 4))

    def page(torch: Any) -> Any:
        class TinyModel(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.layer1 = torch.nn.Linear(30, 20)
                self.relu = torch.nn.ReLU()
                self.layer2 = torch.nn.Linear(20, 4)

            def forward(self, x: Any) -> Any:
                return self.layer2(self.relu(self.layer1(x)))

        model = TinyModel()
        with torch.no_grad():
            for p, w in zip(model.parameters(), (w1, b1, w2, b2)):
                p.copy_(torch.from_numpy(w))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.001)
        before = model.layer2.weight.grad
        prediction = model(torch.from_numpy(some_input))
        loss = (torch.from_numpy(ideal_output) - prediction).pow(2).sum()
        loss.backward()
        seen = [before, loss, model.layer2.weight[0][0:10].clone(), model.layer2.weight.grad[0][0:10].clone()]
        optimizer.step()
        seen.append(model.layer2.weight[0][0:10].clone())
        for _ in range(0, 5):  # gradients accumulate until zeroed
            model(torch.from_numpy(some_input)).pow(2).sum().backward()
        seen.append(model.layer2.weight.grad[0][0:10].clone())
        optimizer.zero_grad(set_to_none=False)
        seen.append(model.layer2.weight.grad[0][0:10])
        return seen

    check(page)


def test_turning_autograd_off_and_on() -> None:
    def page(torch: Any) -> Any:
        a = torch.ones(2, 3, requires_grad=True) * 2
        b = torch.ones(2, 3, requires_grad=True) * 3
        c1 = a + b
        with torch.no_grad():
            c2 = a + b
        c3 = a * b

        @torch.no_grad()
        def add_tensors(x: Any, y: Any) -> Any:
            return x + y

        c4 = add_tensors(a, b)
        with torch.no_grad():
            with torch.enable_grad():
                c5 = a + b
        x = torch.rand(5, requires_grad=True)
        y = x.detach()
        return c1, c2, c3, c4, c5, [x.requires_grad, y.requires_grad, torch.is_grad_enabled()]

    check(page)


def test_in_place_on_a_leaf_that_requires_grad_raises_in_both() -> None:
    for torch in (autograd, real_torch):
        a = torch.linspace(0.0, 2.0 * math.pi, steps=25, requires_grad=True)
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-"):
            a.mul_(2)


def test_the_autograd_functional_api() -> None:
    """torch.autograd.functional.jacobian of the tutorial's exp_adder, and hessian, vjp, jvp, hvp."""
    x0, y0, v0 = RNG.random(3), RNG.random(3), RNG.random(3)

    def page(torch: Any) -> Any:
        def exp_adder(x: Any, y: Any) -> Any:
            return 2 * x.exp() + 3 * y

        def cubic(x: Any) -> Any:
            return (x**3).sum() + x[0] * x[1]

        x, y, v = torch.tensor(x0), torch.tensor(y0), torch.tensor(v0)
        F = torch.autograd.functional
        return (
            F.jacobian(exp_adder, (x, y)),
            F.hessian(cubic, x),
            F.vjp(lambda x: exp_adder(x, y), x, v),
            F.jvp(lambda x: exp_adder(x, y), x, v),
            F.hvp(cubic, x, v),
        )

    check(page)
