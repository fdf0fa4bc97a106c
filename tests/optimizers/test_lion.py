"""Lion against an independent numpy re-implementation of the paper's Algorithm 2.

torch 2.13 has no Lion, so the reference below is written from Chen et al. 2023
("Symbolic Discovery of Optimization Algorithms", arXiv:2302.06675):

    c_t     = beta1 * m_{t-1} + (1 - beta1) * g_t
    theta_t = theta_{t-1} - lr * (sign(c_t) + lambda * theta_{t-1})
    m_t     = beta2 * m_{t-1} + (1 - beta2) * g_t

Gradients on both sides come from our autograd engine.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

from autograd import Tensor
from optimizers import Lion

STEPS = 200
_rng = np.random.default_rng(1)
_X, _Y = _rng.normal(size=(16, 3)), _rng.normal(size=(16, 1))


def rosenbrock(params: list[Any]) -> Any:
    (p,) = params
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2


def mlp(params: list[Any]) -> Any:
    W1, b1, W2, b2 = params
    pred = (Tensor(_X) @ W1 + b1).tanh() @ W2 + b2
    return ((pred - Tensor(_Y)) ** 2).mean()


PROBLEMS = {
    "rosenbrock": (rosenbrock, [np.array([-1.5, 2.0])]),
    "mlp": (
        mlp,
        [_rng.normal(size=(3, 8)), np.zeros(8), _rng.normal(size=(8, 1)), np.zeros(1)],
    ),
}


def engine_grads(loss_fn: Callable, arrays: list[np.ndarray]) -> list[np.ndarray]:
    params = [Tensor(a, requires_grad=True) for a in arrays]
    loss_fn(params).backward()
    return [p.grad for p in params]


def lion_reference(
    loss_fn: Callable, init: list[np.ndarray], lr: float, betas: tuple, wd: float
) -> list[np.ndarray]:
    beta1, beta2 = betas
    theta = [a.copy() for a in init]
    m = [np.zeros_like(a) for a in init]
    for _ in range(STEPS):
        grads = engine_grads(loss_fn, theta)
        for i, g in enumerate(grads):
            c = beta1 * m[i] + (1 - beta1) * g
            theta[i] = theta[i] - lr * (np.sign(c) + wd * theta[i])
            m[i] = beta2 * m[i] + (1 - beta2) * g
    return theta


def run_lion(loss_fn: Callable, init: list[np.ndarray], **kwargs: Any) -> list[np.ndarray]:
    params = [Tensor(a, requires_grad=True) for a in init]
    opt = Lion(params, **kwargs)
    for _ in range(STEPS):
        opt.zero_grad()
        loss_fn(params).backward()
        opt.step()
    return [p.data for p in params]


def test_torch_has_no_lion() -> None:
    """Why Lion is checked against the paper rather than torch.optim."""
    assert not hasattr(torch.optim, "Lion")


@pytest.mark.parametrize("problem", sorted(PROBLEMS))
@pytest.mark.parametrize(
    ("lr", "betas", "wd"),
    [(1e-3, (0.9, 0.99), 0.0), (3e-3, (0.95, 0.98), 0.1), (1e-4, (0.9, 0.99), 1.0)],
)
def test_lion_matches_the_paper(problem: str, lr: float, betas: tuple, wd: float) -> None:
    loss_fn, init = PROBLEMS[problem]
    ours = run_lion(loss_fn, init, lr=lr, betas=betas, weight_decay=wd)
    reference = lion_reference(loss_fn, init, lr, betas, wd)
    for o, r in zip(ours, reference):
        np.testing.assert_allclose(o, r, rtol=1e-10, atol=1e-10)
    assert max(np.abs(o - a).max() for o, a in zip(ours, init)) >= 0.25 * STEPS * lr


def test_first_step_moves_every_coordinate_by_exactly_lr() -> None:
    p = Tensor([-1.5, 2.0], requires_grad=True)
    opt = Lion([p], lr=0.01)
    rosenbrock([p]).backward()
    grad = p.grad.clone()
    opt.step()
    np.testing.assert_allclose(p.data - [-1.5, 2.0], -0.01 * np.sign(grad), rtol=0, atol=1e-15)
    assert opt.param_groups[0]["betas"] == (0.9, 0.99) and opt.state[p]["step"] == 1


def test_maximize_ascends_the_negated_objective_like_minimizing() -> None:
    def negated(params: list[Any]) -> Any:
        return -1 * rosenbrock(params)

    init = PROBLEMS["rosenbrock"][1]
    ascended = run_lion(negated, init, lr=1e-3, maximize=True, weight_decay=0.1)
    descended = run_lion(rosenbrock, init, lr=1e-3, weight_decay=0.1)
    np.testing.assert_allclose(ascended[0], descended[0], rtol=1e-12, atol=1e-12)
