"""Every first-order optimizer follows torch.optim step for step.

Both sides run the same problem from the same start: our side takes gradients from
our autograd engine, the torch side from torch autograd (no gradient formula is
written here). Parameters must agree to 1e-10 in float64: after 200 steps for the
optimizers of the first grid, and after every one of 60 steps, together with every
state entry torch keeps (Rprop's step sizes, ASGD's averaged iterate ``ax``,
Adafactor's row/column factors, ...), for those of the second grid.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import torch
from optimizer_problems import CUBE, MLP, ONLY_2D, ROSENBROCK, Problem, cube, mlp

import optimizers
from autograd import Tensor, Value

pytestmark = pytest.mark.usefixtures("torch_float64")

STEPS = 200
STATE_STEPS = 60
TOL = {"rtol": 1e-10, "atol": 1e-10}
STATEFUL = ("Rprop", "ASGD", "Adafactor")


def _sign(kwargs: dict) -> float:
    """maximize=True runs gradient ascent on -f, so both variants descend f."""
    return -1.0 if kwargs.get("maximize") else 1.0


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


def assert_same_endpoint(name: str, kwargs: dict, problem: Problem) -> None:
    sign = _sign(kwargs)
    ours = run_ours(getattr(optimizers, name), kwargs, problem, sign)
    theirs = run_torch(getattr(torch.optim, name), kwargs, problem, sign)
    moved = max(np.abs(o - i).max() for o, i in zip(ours, problem.init))
    assert moved > 1e-3, f"{name} {kwargs} barely moved the parameters ({moved})"
    for o, t in zip(ours, theirs):
        assert o.dtype == np.float64
        np.testing.assert_allclose(o, t, **TOL)


def _state_arrays(state: dict[str, Any]) -> dict[str, np.ndarray]:
    return {k: np.asarray(v.detach().numpy() if torch.is_tensor(v) else v) for k, v in state.items()}


def trajectories(
    cls: type, t_cls: type, kwargs: dict, problem: Problem, steps: int = STATE_STEPS
) -> Iterator:
    """Run both optimizers; yield (ours, theirs) parameters and states after every step."""
    sign = _sign(kwargs)
    ours = [Tensor(a, requires_grad=True) for a in problem.init]
    theirs = [torch.tensor(a, requires_grad=True) for a in problem.init]
    data, t_data = [Tensor(a) for a in problem.data], [torch.tensor(a) for a in problem.data]
    opt, t_opt = cls(ours, **kwargs), t_cls(theirs, foreach=False, **kwargs)
    for _ in range(steps):
        opt.zero_grad()
        t_opt.zero_grad()
        problem.loss(ours, sign, *data).backward()
        problem.loss(theirs, sign, *t_data).backward()
        opt.step()
        t_opt.step()
        states = [(opt.state[p], _state_arrays(t_opt.state[t])) for p, t in zip(ours, theirs)]
        yield [p.data for p in ours], [t.detach().numpy() for t in theirs], states


def assert_same_trajectory(name: str, kwargs: dict, problem: Problem) -> None:
    cls, t_cls = getattr(optimizers, name), getattr(torch.optim, name)
    for ours, theirs, states in trajectories(cls, t_cls, kwargs, problem):
        for o, t in zip(ours, theirs):
            np.testing.assert_allclose(o, t, **TOL)
        for state, t_state in states:
            assert set(state) == set(t_state)
            for key, value in t_state.items():
                np.testing.assert_allclose(state[key], value, **TOL, err_msg=key)
    moved = max(np.abs(o - i).max() for o, i in zip(ours, problem.init))
    assert moved > 1e-3, f"{name} {kwargs} barely moved the parameters ({moved})"


# Compared at the end of 200 steps: (optimizer, options, lr on Rosenbrock, lr on the MLP)
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


# Compared after every step, states too: (optimizer, options, lr on Rosenbrock, lr on the MLP and the cube)
STATE_GRID = [
    ("Rprop", {}, 1e-2, 1e-2),
    ("Rprop", {"etas": (0.3, 1.5)}, 1e-2, 1e-2),
    ("Rprop", {"step_sizes": (1e-3, 0.05)}, 1e-1, 1e-1),
    ("Rprop", {"maximize": True, "etas": (0.6, 1.1)}, 1e-3, 1e-3),
    ("ASGD", {}, 2e-4, 0.1),
    ("ASGD", {"lambd": 0.5, "alpha": 0.5}, 2e-4, 0.1),
    ("ASGD", {"t0": 20.0}, 2e-4, 0.1),
    ("ASGD", {"t0": 5, "lambd": 0.01, "weight_decay": 0.1}, 2e-4, 0.1),
    ("ASGD", {"maximize": True, "t0": 0.0}, 2e-4, 0.1),
    ("Adafactor", {}, 3e-3, None),
    ("Adafactor", {"beta2_decay": -0.5, "d": 2.0}, 1e-1, 1e-1),
    ("Adafactor", {"d": 1.0, "eps": (1e-3, 1e-2)}, 1e-1, 1e-1),
    ("Adafactor", {"weight_decay": 0.5}, 5e-2, 5e-2),
    ("Adafactor", {"maximize": True, "eps": (0.0, 0.0)}, 3e-2, 3e-2),
]


def _case_id(name: str, problem: Problem, options: dict) -> str:
    return f"{name}-{problem.name}-" + ",".join(f"{k}={v}" for k, v in options.items())


def _cases(grid: list, problems: tuple[Problem, ...]) -> list[Any]:
    cases = []
    for name, options, lr_rosenbrock, lr_other in grid:
        for problem in problems:
            lr = lr_rosenbrock if problem is ROSENBROCK else lr_other
            kwargs = options if lr is None else {"lr": lr, **options}
            cases.append(pytest.param(name, kwargs, problem, id=_case_id(name, problem, options)))
    return cases


@pytest.mark.parametrize(("name", "kwargs", "problem"), _cases(GRID, (ROSENBROCK, MLP)))
def test_endpoint_matches_torch_float64(name: str, kwargs: dict, problem: Problem) -> None:
    assert_same_endpoint(name, kwargs, problem)


@pytest.mark.parametrize(("name", "kwargs", "problem"), _cases(STATE_GRID, (ROSENBROCK, MLP, CUBE)))
def test_every_step_and_state_match_torch_float64(name: str, kwargs: dict, problem: Problem) -> None:
    assert_same_trajectory(name, kwargs, problem)


def test_the_grids_cover_every_torch_optimizer() -> None:
    in_torch = {n for n in optimizers.__all__ if n != "Optimizer" and hasattr(torch.optim, n)}
    endpoint, every_step = {row[0] for row in GRID}, {row[0] for row in STATE_GRID}
    assert endpoint | every_step == in_torch - {"LBFGS"} - ONLY_2D  # LBFGS: test_lbfgs.py
    assert every_step == set(STATEFUL)


class _AdafactorDecayFirst(optimizers.Adafactor):
    """A deliberately wrong Adafactor: its step size uses the RMS of the decayed parameter."""

    def _weight_decay(self, param: np.ndarray, grad: np.ndarray, group: Any) -> np.ndarray:
        param *= 1 - group["lr"] * group["weight_decay"]
        return grad

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict, group: Any) -> None:
        super()._update(param, grad, state, {**group, "weight_decay": 0})


class _RpropNoSkip(optimizers.Rprop):
    """A deliberately wrong Rprop: it keeps the gradient after a sign flip."""

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict, group: Any) -> None:
        super()._update(param, grad, state, group)
        state["prev"][...] = grad


@pytest.mark.parametrize(
    ("wrong", "name", "kwargs"),
    [(_AdafactorDecayFirst, "Adafactor", {"weight_decay": 0.5}), (_RpropNoSkip, "Rprop", {})],
)
def test_the_comparison_catches_a_wrong_rule(wrong: type, name: str, kwargs: dict) -> None:
    with pytest.raises(AssertionError):
        for ours, theirs, _ in trajectories(wrong, getattr(torch.optim, name), kwargs, MLP):
            for o, t in zip(ours, theirs):
                np.testing.assert_allclose(o, t, **TOL)


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop", *STATEFUL])
def test_float32_params_stay_float32(name: str) -> None:
    kwargs = {"lr": 1e-2, "momentum": 0.9} if name in ("SGD", "RMSprop") else {"lr": 1e-2}
    ours = run_ours(getattr(optimizers, name), kwargs, MLP, 1.0, dtype=np.float32, steps=50)
    theirs = run_torch(getattr(torch.optim, name), kwargs, MLP, 1.0, torch.float32, steps=50)
    for o, t in zip(ours, theirs):
        assert o.dtype == np.float32
        np.testing.assert_allclose(o, t, rtol=1e-4, atol=1e-5)


def test_float32_state_stays_float32() -> None:
    params = [Tensor(a.astype(np.float32), requires_grad=True) for a in CUBE.init]
    opt = optimizers.Adafactor(params, lr=1e-2)
    opt.zero_grad()
    cube(params, 1.0, Tensor(CUBE.data[0].astype(np.float32))).backward()
    opt.step()
    for p in params:
        assert all(v.dtype == np.float32 for v in opt.state[p].values() if isinstance(v, np.ndarray))


VALUE_CASES = [
    ("Adam", {"lr": 1e-2, "amsgrad": True, "weight_decay": 0.1}),
    ("SGD", {"lr": 1e-4, "momentum": 0.9, "maximize": True}),  # -grad of a 0-d array is a numpy scalar
    ("SGD", {"lr": 1e-4, "momentum": 0.9, "nesterov": True, "weight_decay": 0.1}),
    ("Rprop", {"lr": 1e-2}),
    ("ASGD", {"lr": 2e-4, "maximize": True}),
    ("Adafactor", {"lr": 1e-2}),
]


@pytest.mark.parametrize(("name", "kwargs"), VALUE_CASES, ids=[f"{n}-{k}" for n, k in VALUE_CASES])
def test_value_params_follow_torch(name: str, kwargs: dict) -> None:
    """Two scalar Values take torch's path for two 0-d tensors, and (for element-wise rules)
    the path of one Tensor holding both."""
    sign = _sign(kwargs)
    x, y = Value(-1.5), Value(2.0)
    tx, ty = (torch.tensor(v, requires_grad=True) for v in (-1.5, 2.0))
    opt, t_opt = getattr(optimizers, name)([x, y], **kwargs), getattr(torch.optim, name)([tx, ty], **kwargs)
    for _ in range(STATE_STEPS):
        opt.zero_grad()
        t_opt.zero_grad()
        (sign * ((1 - x) ** 2 + 100 * (y - x**2) ** 2)).backward()
        (sign * ((1 - tx) ** 2 + 100 * (ty - tx**2) ** 2)).backward()
        opt.step()
        t_opt.step()
    assert isinstance(x.data, float) and abs(x.data + 1.5) > 1e-3
    np.testing.assert_allclose([x.data, y.data], [tx.item(), ty.item()], **TOL)
    if name != "Adafactor":  # its step size uses the RMS of the whole parameter
        tensor_path = run_ours(getattr(optimizers, name), kwargs, ROSENBROCK, sign, steps=STATE_STEPS)[0]
        np.testing.assert_allclose([x.data, y.data], tensor_path, **TOL)


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
