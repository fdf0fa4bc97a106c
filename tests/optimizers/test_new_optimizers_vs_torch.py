"""Rprop, ASGD, Adafactor and LBFGS follow torch.optim step for step.

Same set-up as test_vs_torch.py: both sides start from the same point, take
gradients from their own autograd, and must agree to 1e-10 in float64 after every
step -- the parameters and every state entry torch keeps (Rprop's step sizes,
ASGD's averaged iterate ``ax``, Adafactor's row/column factors, ...).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
import torch

import optimizers
from autograd import Tensor, Value

STEPS = 60
TOL = {"rtol": 1e-10, "atol": 1e-10}
NEW = ("Rprop", "ASGD", "Adafactor")


@pytest.fixture(autouse=True)
def _torch_float64() -> Any:
    """torch keeps ASGD's eta/mu and every ``step`` in the default dtype: make it float64."""
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(previous)


def rosenbrock(params: list[Any], sign: float) -> Any:
    (p,) = params
    return sign * ((1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2)


_rng = np.random.default_rng(1)
_X = _rng.normal(size=(16, 3))
_Y = np.sin(_X.sum(axis=1, keepdims=True))


def mlp(params: list[Any], sign: float, X: Any, y: Any) -> Any:
    """3-8-1 tanh MLP with mean squared error: 2-D weights and 1-D biases."""
    W1, b1, W2, b2 = params
    pred = (X @ W1 + b1).tanh() @ W2 + b2
    return sign * ((pred - y) ** 2).mean()


def cube(params: list[Any], sign: float, target: Any) -> Any:
    """A 3-D parameter (Adafactor factors over its last two axes) plus a 0-d one."""
    W, s = params
    return sign * (((W * s).tanh() - target) ** 2).sum()


@dataclass
class Problem:
    name: str
    init: list[np.ndarray]
    loss: Callable[..., Any]
    data: tuple[np.ndarray, ...] = ()


ROSENBROCK = Problem("rosenbrock", [np.array([-1.5, 2.0])], rosenbrock)
MLP = Problem(
    "mlp",
    [_rng.normal(size=(3, 8)) * 0.5, np.zeros(8), _rng.normal(size=(8, 1)) * 0.5, np.zeros(1)],
    mlp,
    (_X, _Y),
)
CUBE = Problem(
    "cube", [_rng.normal(size=(2, 3, 4)), np.array(0.7)], cube, (_rng.uniform(-0.9, 0.9, (2, 3, 4)),)
)


def _state_arrays(state: dict[str, Any]) -> dict[str, np.ndarray]:
    return {k: np.asarray(v.detach().numpy() if torch.is_tensor(v) else v) for k, v in state.items()}


def trajectories(cls: type, t_cls: type, kwargs: dict, problem: Problem, steps: int = STEPS) -> tuple:
    """Run both optimizers; yield (ours, theirs) parameters and states after every step."""
    sign = -1.0 if kwargs.get("maximize") else 1.0  # maximize ascends -f: both descend f
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


# (optimizer, options, lr on Rosenbrock, lr on the MLP and the cube)
GRID = [
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


def _cases() -> list[Any]:
    cases = []
    for name, options, lr_rosenbrock, lr_other in GRID:
        for problem, lr in ((ROSENBROCK, lr_rosenbrock), (MLP, lr_other), (CUBE, lr_other)):
            kwargs = options if lr is None else {"lr": lr, **options}
            case_id = f"{name}-{problem.name}-" + ",".join(f"{k}={v}" for k, v in options.items())
            cases.append(pytest.param(name, kwargs, problem, id=case_id))
    return cases


@pytest.mark.parametrize(("name", "kwargs", "problem"), _cases())
def test_matches_torch_float64(name: str, kwargs: dict, problem: Problem) -> None:
    assert_same_trajectory(name, kwargs, problem)


def test_grid_covers_the_new_optimizers() -> None:
    assert {row[0] for row in GRID} == set(NEW)
    assert all(name in optimizers.__all__ for name in NEW)


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


@pytest.mark.parametrize("name", NEW)
def test_float32_params_stay_float32(name: str) -> None:
    params = [Tensor(a.astype(np.float32), requires_grad=True) for a in MLP.init]
    t_params = [torch.tensor(a, dtype=torch.float32, requires_grad=True) for a in MLP.init]
    opt = getattr(optimizers, name)(params, lr=1e-2)
    t_opt = getattr(torch.optim, name)(t_params, lr=1e-2)
    X, y = Tensor(_X.astype(np.float32)), Tensor(_Y.astype(np.float32))
    t_X, t_y = torch.tensor(_X, dtype=torch.float32), torch.tensor(_Y, dtype=torch.float32)
    for _ in range(30):
        opt.zero_grad()
        t_opt.zero_grad()
        mlp(params, 1.0, X, y).backward()
        mlp(t_params, 1.0, t_X, t_y).backward()
        opt.step()
        t_opt.step()
    for p, t in zip(params, t_params):
        assert p.data.dtype == np.float32
        assert all(v.dtype == np.float32 for v in opt.state[p].values() if isinstance(v, np.ndarray))
        np.testing.assert_allclose(p.data, t.detach().numpy(), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", NEW)
def test_value_params_follow_the_tensor_trajectory(name: str) -> None:
    """Two scalar Values take torch's path for two 0-d tensors."""
    x, y = Value(-1.5), Value(2.0)
    tx, ty = (torch.tensor(v, requires_grad=True) for v in (-1.5, 2.0))
    lr = 2e-4 if name == "ASGD" else 1e-2
    opt, t_opt = getattr(optimizers, name)([x, y], lr=lr), getattr(torch.optim, name)([tx, ty], lr=lr)
    for _ in range(STEPS):
        opt.zero_grad()
        t_opt.zero_grad()
        ((1 - x) ** 2 + 100 * (y - x**2) ** 2).backward()
        ((1 - tx) ** 2 + 100 * (ty - tx**2) ** 2).backward()
        opt.step()
        t_opt.step()
    assert isinstance(x.data, float) and abs(x.data + 1.5) > 1e-2
    np.testing.assert_allclose([x.data, y.data], [tx.item(), ty.item()], **TOL)


def _to_json(state_dict: dict[str, Any]) -> str:
    return json.dumps(state_dict, default=lambda a: {"array": a.tolist()})


def _from_json(text: str) -> dict[str, Any]:
    return json.loads(text, object_hook=lambda d: np.array(d["array"]) if set(d) == {"array"} else d)


def _run_cube(opt: Any, params: list[Tensor], steps: int) -> None:
    data = [Tensor(a) for a in CUBE.data]
    for _ in range(steps):
        opt.zero_grad()
        cube(params, 1.0, *data).backward()
        opt.step()


@pytest.mark.parametrize("name", NEW)
def test_state_dict_resume_continues_exactly(name: str) -> None:
    """Save after 20 steps (through JSON), load into a fresh optimizer on copies of
    the parameters, continue: the parameters equal an uninterrupted 40-step run."""
    cls = getattr(optimizers, name)
    full = [Tensor(a, requires_grad=True) for a in CUBE.init]
    _run_cube(cls(full, lr=1e-2), full, 40)

    params = [Tensor(a, requires_grad=True) for a in CUBE.init]
    opt = cls(params, lr=1e-2)
    _run_cube(opt, params, 20)
    saved = opt.state_dict()
    text = _to_json(saved)
    start = [p.data.copy() for p in params]
    _run_cube(opt, params, 1)
    assert _to_json(saved) == text, "state_dict must be a snapshot"

    resumed = [Tensor(a, requires_grad=True) for a in start]
    opt = cls(resumed, lr=1e-2)
    opt.load_state_dict(_from_json(text))
    _run_cube(opt, resumed, 20)
    for p, f in zip(resumed, full):
        np.testing.assert_array_equal(p.data, f.data)
