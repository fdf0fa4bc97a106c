"""Every optimizer follows torch.optim step for step.

Both sides run the same problem for 200 steps from the same start: our side
takes gradients from our autograd engine, the torch side from torch autograd
(no gradient formula is written here). Parameters must agree to 1e-10 in float64.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
import torch

import optimizers
from autograd import Tensor, Value

STEPS = 200
TOL = {"rtol": 1e-10, "atol": 1e-10}


def rosenbrock(params: list[Any], sign: float) -> Any:
    """f(x, y) = (1 - x)^2 + 100 (y - x^2)^2, written once for both engines."""
    (p,) = params
    return sign * ((1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2)


_rng = np.random.default_rng(0)
_X = _rng.normal(size=(16, 3))
_Y = np.sin(_X.sum(axis=1, keepdims=True))
_MLP_INIT = [
    _rng.normal(size=(3, 8)) * 0.5,
    np.zeros(8),
    _rng.normal(size=(8, 1)) * 0.5,
    np.zeros(1),
]


def mlp(params: list[Any], sign: float, X: Any, y: Any) -> Any:
    """A 3-8-1 tanh MLP with mean squared error, written once for both engines."""
    W1, b1, W2, b2 = params
    pred = (X @ W1 + b1).tanh() @ W2 + b2
    return sign * ((pred - y) ** 2).mean()


@dataclass
class Problem:
    name: str
    init: list[np.ndarray]
    loss: Callable[..., Any]
    data: tuple[np.ndarray, ...] = ()


ROSENBROCK = Problem("rosenbrock", [np.array([-1.5, 2.0])], rosenbrock)
MLP = Problem("mlp", _MLP_INIT, mlp, (_X, _Y))


def run_ours(
    cls: type, kwargs: dict, problem: Problem, sign: float, dtype=np.float64, steps=STEPS
) -> list[np.ndarray]:
    params = [Tensor(a, requires_grad=True, dtype=dtype) for a in problem.init]
    data = [Tensor(a, dtype=dtype) for a in problem.data]
    opt = cls(params, **kwargs)
    for _ in range(steps):
        opt.zero_grad()
        problem.loss(params, sign, *data).backward()
        opt.step()
    return [p.data for p in params]


def run_torch(
    cls: type, kwargs: dict, problem: Problem, sign: float, dtype=torch.float64, steps=STEPS
) -> list[np.ndarray]:
    params = [torch.tensor(a, dtype=dtype, requires_grad=True) for a in problem.init]
    data = [torch.tensor(a, dtype=dtype) for a in problem.data]
    opt = cls(params, foreach=False, **kwargs)
    for _ in range(steps):
        opt.zero_grad()
        problem.loss(params, sign, *data).backward()
        opt.step()
    return [p.detach().numpy() for p in params]


def assert_same_trajectory(name: str, kwargs: dict, problem: Problem) -> None:
    # maximize=True runs gradient ascent on -f, so both variants descend f.
    sign = -1.0 if kwargs.get("maximize") else 1.0
    ours = run_ours(getattr(optimizers, name), kwargs, problem, sign)
    # torch keeps NAdam's mu_product in the default dtype: make that float64 too.
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        theirs = run_torch(getattr(torch.optim, name), kwargs, problem, sign)
    finally:
        torch.set_default_dtype(previous)
    moved = max(np.abs(o - i).max() for o, i in zip(ours, problem.init))
    assert moved > 1e-3, f"{name} {kwargs} barely moved the parameters ({moved})"
    for o, t in zip(ours, theirs):
        assert o.dtype == np.float64
        np.testing.assert_allclose(o, t, **TOL)


# (optimizer, options, lr on Rosenbrock, lr on the MLP)
GRID = [
    ("SGD", {}, 2e-4, 0.1),
    ("SGD", {"momentum": 0.9}, 1e-4, 0.05),
    ("SGD", {"momentum": 0.9, "dampening": 0.5}, 1e-4, 0.05),
    ("SGD", {"momentum": 0.9, "nesterov": True}, 1e-4, 0.05),
    ("SGD", {"weight_decay": 0.1}, 2e-4, 0.1),
    ("SGD", {"momentum": 0.5, "nesterov": True, "weight_decay": 0.1}, 1e-4, 0.05),
    ("SGD", {"maximize": True}, 2e-4, 0.1),
    ("SGD", {"momentum": 0.9, "dampening": 0.1, "maximize": True, "weight_decay": 0.01}, 1e-4, 0.05),
    ("Adagrad", {}, 0.1, 0.1),
    ("Adagrad", {"lr_decay": 0.01, "initial_accumulator_value": 0.1}, 0.1, 0.1),
    ("Adagrad", {"weight_decay": 0.1, "eps": 1e-6}, 0.1, 0.1),
    ("Adagrad", {"maximize": True}, 0.1, 0.1),
    ("RMSprop", {}, 1e-3, 1e-3),
    ("RMSprop", {"centered": True}, 1e-3, 1e-3),
    ("RMSprop", {"momentum": 0.9}, 1e-4, 1e-4),
    ("RMSprop", {"centered": True, "momentum": 0.5, "alpha": 0.95}, 1e-4, 1e-4),
    ("RMSprop", {"weight_decay": 0.1, "maximize": True}, 1e-3, 1e-3),
    ("Adam", {}, 1e-2, 1e-2),
    ("Adam", {"amsgrad": True}, 1e-2, 1e-2),
    ("Adam", {"weight_decay": 0.1}, 1e-2, 1e-2),
    ("Adam", {"weight_decay": 0.1, "amsgrad": True, "betas": (0.8, 0.99)}, 1e-2, 1e-2),
    ("Adam", {"weight_decay": 0.1, "decoupled_weight_decay": True}, 1e-2, 1e-2),
    ("Adam", {"maximize": True, "eps": 1e-3}, 1e-2, 1e-2),
    ("AdamW", {}, 1e-2, 1e-2),
    ("AdamW", {"weight_decay": 0.5, "amsgrad": True}, 1e-2, 1e-2),
    ("AdamW", {"maximize": True}, 1e-2, 1e-2),
    ("Adamax", {}, 1e-2, 1e-2),
    ("Adamax", {"weight_decay": 0.1, "betas": (0.8, 0.99)}, 1e-2, 1e-2),
    ("Adamax", {"maximize": True}, 1e-2, 1e-2),
    ("NAdam", {}, 1e-2, 3e-3),
    ("NAdam", {"momentum_decay": 0.1, "betas": (0.8, 0.99)}, 1e-2, 3e-3),
    ("NAdam", {"weight_decay": 0.1}, 1e-2, 3e-3),
    ("NAdam", {"weight_decay": 0.1, "decoupled_weight_decay": True}, 1e-2, 3e-3),
    ("NAdam", {"maximize": True}, 1e-2, 3e-3),
    ("RAdam", {}, 1e-2, 1e-2),
    ("RAdam", {"betas": (0.9, 0.9)}, 1e-2, 3e-3),
    ("RAdam", {"weight_decay": 0.1}, 1e-2, 1e-2),
    ("RAdam", {"weight_decay": 0.1, "decoupled_weight_decay": True}, 1e-2, 1e-2),
    ("RAdam", {"maximize": True}, 1e-2, 1e-2),
    ("Adadelta", {}, 0.3, 0.3),
    ("Adadelta", {"rho": 0.5, "eps": 1e-4}, 0.3, 0.1),
    ("Adadelta", {"weight_decay": 0.1}, 0.3, 0.3),
    ("Adadelta", {"maximize": True}, 0.3, 0.3),
]


def _cases() -> list[Any]:
    cases = []
    for name, options, lr_rosenbrock, lr_mlp in GRID:
        for problem, lr in ((ROSENBROCK, lr_rosenbrock), (MLP, lr_mlp)):
            kwargs = options if lr is None else {"lr": lr, **options}
            case_id = f"{name}-{problem.name}-" + ",".join(f"{k}={v}" for k, v in options.items())
            cases.append(pytest.param(name, kwargs, problem, id=case_id))
    return cases


@pytest.mark.parametrize(("name", "kwargs", "problem"), _cases())
def test_matches_torch_float64(name: str, kwargs: dict, problem: Problem) -> None:
    assert_same_trajectory(name, kwargs, problem)


def test_grid_covers_every_torch_optimizer() -> None:
    in_torch = {n for n in optimizers.__all__ if n != "Optimizer" and hasattr(torch.optim, n)}
    elsewhere = {"Rprop", "ASGD", "Adafactor", "LBFGS"}  # test_new_optimizers_vs_torch.py
    assert {row[0] for row in GRID} == in_torch - elsewhere


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop"])
def test_float32_params_stay_float32(name: str) -> None:
    kwargs = {"lr": 1e-2, "momentum": 0.9} if name != "Adam" else {"lr": 1e-2}
    ours = run_ours(getattr(optimizers, name), kwargs, MLP, 1.0, dtype=np.float32, steps=50)
    theirs = run_torch(getattr(torch.optim, name), kwargs, MLP, 1.0, torch.float32, steps=50)
    for o, t in zip(ours, theirs):
        assert o.dtype == np.float32
        np.testing.assert_allclose(o, t, rtol=1e-4, atol=1e-5)


def test_value_params_follow_the_tensor_trajectory() -> None:
    """Two scalar Values take the same path as one Tensor (and as torch)."""
    x, y = Value(-1.5), Value(2.0)
    opt = optimizers.Adam([x, y], lr=1e-2, amsgrad=True, weight_decay=0.1)
    for _ in range(STEPS):
        opt.zero_grad()
        ((1 - x) ** 2 + 100 * (y - x**2) ** 2).backward()
        opt.step()
    assert isinstance(x.data, float) and isinstance(y.data, float)
    kwargs = {"lr": 1e-2, "amsgrad": True, "weight_decay": 0.1}
    tensor_path = run_ours(optimizers.Adam, kwargs, ROSENBROCK, 1.0)[0]
    torch_path = run_torch(torch.optim.Adam, kwargs, ROSENBROCK, 1.0)[0]
    np.testing.assert_allclose([x.data, y.data], tensor_path, **TOL)
    np.testing.assert_allclose([x.data, y.data], torch_path, **TOL)
    assert abs(x.data + 1.5) > 0.1


def test_param_groups_with_own_hyperparameters_match_torch() -> None:
    """Groups with different lr/momentum, and an lr changed mid-run (as schedulers do)."""

    def train(opt_cls: type, params: list[Any], data: list[Any]) -> None:
        groups = [{"params": params[:2]}, {"params": params[2:], "lr": 0.2, "momentum": 0.5}]
        opt = opt_cls(groups, lr=0.05, momentum=0.9)
        assert [g["lr"] for g in opt.param_groups] == [0.05, 0.2]
        assert [g["momentum"] for g in opt.param_groups] == [0.9, 0.5]
        for step in range(60):
            if step == 30:
                opt.param_groups[1]["lr"] = 0.005
            opt.zero_grad()
            mlp(params, 1.0, *data).backward()
            opt.step()

    ours = [Tensor(a, requires_grad=True) for a in MLP.init]
    theirs = [torch.tensor(a, requires_grad=True) for a in MLP.init]
    train(optimizers.SGD, ours, [Tensor(a) for a in MLP.data])
    train(torch.optim.SGD, theirs, [torch.tensor(a) for a in MLP.data])
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o.data, t.detach().numpy(), **TOL)


def test_parameter_without_grad_is_skipped_like_torch() -> None:
    """A Tensor that never received a gradient (grad None) is left alone: no weight
    decay, no state, even though other parameters step."""
    used, unused = Tensor([1.0, 2.0], requires_grad=True), Tensor([3.0], requires_grad=True)
    t_used = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    t_unused = torch.tensor([3.0], dtype=torch.float64, requires_grad=True)
    opt = optimizers.AdamW([used, unused], lr=0.1, weight_decay=0.5)
    t_opt = torch.optim.AdamW([t_used, t_unused], lr=0.1, weight_decay=0.5)
    for _ in range(5):
        opt.zero_grad()
        t_opt.zero_grad()
        (used * used).sum().backward()
        (t_used * t_used).sum().backward()
        opt.step()
        t_opt.step()
    assert unused.grad is None and t_unused.grad is None
    np.testing.assert_array_equal(unused.data, [3.0])
    assert unused not in opt.state and len(t_opt.state) == 1
    np.testing.assert_allclose(used.data, t_used.detach().numpy(), **TOL)
