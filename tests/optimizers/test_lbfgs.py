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
from hypothesis import given, settings
from hypothesis import strategies as st

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


flag = st.booleans()
SPACES = {
    "Rprop": st.fixed_dictionaries(
        {
            "lr": st.floats(1e-4, 1.0),
            "etas": st.tuples(st.floats(0.05, 0.95), st.floats(1.05, 3.0)),
            "step_sizes": st.tuples(st.floats(0.0, 1e-3), st.floats(0.1, 50.0)),
            "maximize": flag,
        }
    ),
    "ASGD": st.fixed_dictionaries(
        {
            "lr": st.floats(1e-4, 0.5),
            "lambd": st.floats(0.0, 1.0),
            "alpha": st.floats(0.0, 1.0),
            "t0": st.floats(0.0, 6.0),
            "weight_decay": st.floats(0.0, 0.5),
            "maximize": flag,
        }
    ),
    "Adafactor": st.fixed_dictionaries(
        {
            "lr": st.floats(1e-4, 1.0),
            "beta2_decay": st.floats(-1.0, 0.0),
            "eps": st.tuples(st.one_of(st.none(), st.floats(0.0, 1e-3)), st.floats(0.0, 1e-2)),
            "d": st.floats(1.0, 5.0),
            "weight_decay": st.floats(0.0, 0.5),
            "maximize": flag,
        }
    ),
}


# eps1 = 0 with an all-zero gradient row gives 0 / 0 = nan, in torch too (compared equal)
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", sorted(SPACES))
@settings(max_examples=60)
@given(data=st.data(), shape=st.sampled_from([(), (3,), (2, 3), (2, 2, 3)]))
def test_update_equals_torch_for_random_options(name: str, data: Any, shape: tuple) -> None:
    """Random options and random gradients (with exact zeros) written into ``.grad``."""
    kwargs = data.draw(SPACES[name], label="options")
    entries = st.one_of(st.just(0.0), st.floats(-10.0, 10.0))
    arrays = st.lists(entries, min_size=int(np.prod(shape)), max_size=int(np.prod(shape)))
    start = np.array(data.draw(arrays, label="start")).reshape(shape)
    ours, theirs = Tensor(start, requires_grad=True), torch.tensor(start, requires_grad=True)
    opt, t_opt = getattr(optimizers, name)([ours], **kwargs), getattr(torch.optim, name)([theirs], **kwargs)
    for g in data.draw(st.lists(arrays, min_size=1, max_size=6), label="grads"):
        ours.grad = np.array(g).reshape(shape)
        theirs.grad = torch.tensor(g).reshape(shape)
        opt.step()
        t_opt.step()
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-11, atol=1e-12)


# (optimizer, options, the argument the message must name, does torch refuse it too)
BAD_HYPERPARAMETERS = [
    ("Rprop", {"lr": -0.1}, "lr", True),
    ("Rprop", {"etas": (0.5, 0.9)}, "etas", True),
    ("Rprop", {"etas": (1.0, 1.2)}, "etas", True),
    ("Rprop", {"step_sizes": (1.0, 0.1)}, "step_sizes", False),
    ("ASGD", {"weight_decay": -1.0}, "weight_decay", True),
    ("ASGD", {"lr": -1.0}, "lr", True),
    ("ASGD", {"lambd": -1e-4}, "lambd", False),
    ("ASGD", {"t0": -1.0}, "t0", False),
    ("Adafactor", {"beta2_decay": 0.5}, "beta2_decay", True),
    ("Adafactor", {"eps": (-1.0, 1e-3)}, "eps", True),
    ("Adafactor", {"eps": (None, -1e-3)}, "eps", True),
    ("Adafactor", {"d": 0.5}, "d", True),
    ("Adafactor", {"weight_decay": -0.1}, "weight_decay", True),
]


@pytest.mark.parametrize(("name", "kwargs", "argument", "torch_refuses"), BAD_HYPERPARAMETERS)
def test_bad_hyperparameters_name_the_argument(
    name: str, kwargs: dict, argument: str, torch_refuses: bool
) -> None:
    if torch_refuses:
        with pytest.raises(ValueError):
            getattr(torch.optim, name)([torch.zeros(1, requires_grad=True)], **kwargs)
    with pytest.raises(ValueError, match=rf"Invalid {argument}(\[[01]\])?: expected") as info:
        getattr(optimizers, name)([Tensor([1.0], requires_grad=True)], **kwargs)
    assert "got" in str(info.value)


# ---------------------------------------------------------------------------------------------
# LBFGS: step(closure), with and without the strong-Wolfe line search


def least_squares(params: list[Any], sign: float, A: Any, B: Any) -> Any:
    """0.5 * ||A W + b - B||^2 with a 2-D W and a 1-D b (a convex quadratic)."""
    W, b = params
    return 0.5 * ((A @ W + b - B) ** 2).sum()


_A = _rng.normal(size=(20, 5))
_B = _rng.normal(size=(20, 2))
LSQ = Problem("least_squares", [np.zeros((5, 2)), np.zeros(2)], least_squares, (_A, _B))

LBFGS_STEPS = 8
_LBFGS_SCALARS = ("t", "H_diag", "prev_loss")
# The history holds gradients and their differences: a parameter rounding difference
# of 1e-13 shows up there multiplied by the Hessian (~1e3 on Rosenbrock).
HISTORY_TOL = {"rtol": 1e-7, "atol": 1e-9}


def _lbfgs_runs(cls: type, kwargs: dict, problem: Problem, steps: int = LBFGS_STEPS) -> Any:
    """Yield after every ``step(closure)``: our and torch's (params, returned loss, state, closure calls)."""
    ours = [Tensor(a, requires_grad=True) for a in problem.init]
    theirs = [torch.tensor(a, requires_grad=True) for a in problem.init]
    data, t_data = [Tensor(a) for a in problem.data], [torch.tensor(a) for a in problem.data]
    opt, t_opt = cls(ours, **kwargs), torch.optim.LBFGS(theirs, **kwargs)
    calls = [0, 0]

    def closure() -> Any:
        calls[0] += 1
        opt.zero_grad()
        loss = problem.loss(ours, 1.0, *data)
        loss.backward()
        return loss

    def t_closure() -> Any:
        calls[1] += 1
        t_opt.zero_grad()
        loss = problem.loss(theirs, 1.0, *t_data)
        loss.backward()
        return loss

    for _ in range(steps):
        loss, t_loss = opt.step(closure), t_opt.step(t_closure)
        yield (
            ([p.data for p in ours], float(loss.data), opt.state[ours[0]], calls[0]),
            ([t.detach().numpy() for t in theirs], t_loss.item(), t_opt.state[theirs[0]], calls[1]),
        )


def _as_float(value: Any) -> Any:
    return value.item() if torch.is_tensor(value) else value


def assert_same_lbfgs_run(kwargs: dict, problem: Problem, steps: int = LBFGS_STEPS) -> None:
    for (params, loss, state, calls), (t_params, t_loss, t_state, t_calls) in _lbfgs_runs(
        optimizers.LBFGS, kwargs, problem, steps
    ):
        assert calls == t_calls
        np.testing.assert_allclose(loss, t_loss, **TOL)
        for p, t in zip(params, t_params):
            np.testing.assert_allclose(p, t, **TOL)
        assert set(state) == set(t_state)
        assert (state["func_evals"], state["n_iter"]) == (t_state["func_evals"], t_state["n_iter"])
        for key in _LBFGS_SCALARS:
            np.testing.assert_allclose(state[key], _as_float(t_state[key]), **HISTORY_TOL, err_msg=key)
        for key in ("d", "prev_flat_grad"):
            np.testing.assert_allclose(state[key], t_state[key].numpy(), **HISTORY_TOL, err_msg=key)
        for key in ("old_dirs", "old_stps"):
            assert len(state[key]) == len(t_state[key])
            for a, t in zip(state[key], t_state[key]):
                np.testing.assert_allclose(a, t.numpy(), **HISTORY_TOL, err_msg=key)
        np.testing.assert_allclose(state["ro"], [_as_float(r) for r in t_state["ro"]], **HISTORY_TOL)
    moved = max(np.abs(p - i).max() for p, i in zip(params, problem.init))
    assert moved > 1e-2, f"LBFGS {kwargs} barely moved the parameters ({moved})"


# (problem, options, steps): each step runs up to max_iter iterations. On Rosenbrock and
# the MLP, rounding differences (torch fuses multiply-adds) grow along the run, so those
# runs stop before they reach 1e-10.
LBFGS_GRID = [
    (ROSENBROCK, {"lr": 0.1}, 5),
    (ROSENBROCK, {"lr": 0.1, "max_iter": 4, "history_size": 2}, 8),
    (ROSENBROCK, {"line_search_fn": "strong_wolfe"}, 8),
    (ROSENBROCK, {"lr": 0.5, "line_search_fn": "strong_wolfe", "history_size": 3, "max_iter": 7}, 5),
    (ROSENBROCK, {"line_search_fn": "strong_wolfe", "max_eval": 9}, 8),
    (LSQ, {"lr": 0.5, "max_iter": 5}, 8),
    (LSQ, {"line_search_fn": "strong_wolfe", "history_size": 4, "max_iter": 3}, 8),
    (LSQ, {"lr": 0.3, "tolerance_grad": 1e-2, "tolerance_change": 1e-4}, 8),
    (MLP, {"lr": 0.2, "max_iter": 10}, 8),
    (MLP, {"line_search_fn": "strong_wolfe", "history_size": 5}, 2),
]


@pytest.mark.parametrize(
    ("problem", "kwargs", "steps"),
    [
        pytest.param(p, k, n, id=f"{p.name}-" + ",".join(f"{a}={b}" for a, b in k.items()))
        for p, k, n in LBFGS_GRID
    ],
)
def test_lbfgs_matches_torch_step_for_step(problem: Problem, kwargs: dict, steps: int) -> None:
    """Parameters, returned loss, closure calls and the whole history agree after every step."""
    assert_same_lbfgs_run(kwargs, problem, steps=steps)


def test_lbfgs_comparison_catches_a_wrong_interpolation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bisection instead of cubic interpolation in the line search is caught."""
    import optimizers.lbfgs as lbfgs

    def bisect(x1: float, f1: float, g1: float, x2: float, f2: float, g2: float, bounds: Any = None) -> float:
        lo, hi = bounds if bounds is not None else (min(x1, x2), max(x1, x2))
        return (lo + hi) / 2

    monkeypatch.setattr(lbfgs, "_cubic_interpolate", bisect)
    with pytest.raises(AssertionError):
        assert_same_lbfgs_run({"line_search_fn": "strong_wolfe"}, ROSENBROCK)


def test_lbfgs_solves_least_squares_and_rosenbrock() -> None:
    """Closed forms: the normal-equations solution, and Rosenbrock's minimum (1, 1)."""
    W, b = Tensor(np.zeros((5, 2)), requires_grad=True), Tensor(np.zeros(2), requires_grad=True)
    A, B = Tensor(_A), Tensor(_B)
    opt = optimizers.LBFGS([W, b], line_search_fn="strong_wolfe", tolerance_grad=1e-12, tolerance_change=0)

    def closure() -> Any:
        opt.zero_grad()
        loss = least_squares([W, b], 1.0, A, B)
        loss.backward()
        return loss

    for _ in range(3):
        opt.step(closure)
    solution = np.linalg.lstsq(np.hstack([_A, np.ones((20, 1))]), _B, rcond=None)[0]
    np.testing.assert_allclose(W.data, solution[:5], atol=1e-9)
    np.testing.assert_allclose(b.data, solution[5], atol=1e-9)

    x, y = Value(-1.5), Value(2.0)
    opt = optimizers.LBFGS([x, y], line_search_fn="strong_wolfe", max_iter=100)

    def rosenbrock_closure() -> Any:
        opt.zero_grad()
        loss = (1 - x) ** 2 + 100 * (y - x**2) ** 2
        loss.backward()
        return loss

    opt.step(rosenbrock_closure)
    assert isinstance(x.data, float)
    np.testing.assert_allclose([x.data, y.data], [1.0, 1.0], atol=1e-5)


def test_lbfgs_value_params_match_torch() -> None:
    x, y = Value(-1.5), Value(2.0)
    tx, ty = (torch.tensor(v, requires_grad=True) for v in (-1.5, 2.0))
    opt = optimizers.LBFGS([x, y], line_search_fn="strong_wolfe", max_iter=5)
    t_opt = torch.optim.LBFGS([tx, ty], line_search_fn="strong_wolfe", max_iter=5)

    def closure() -> Any:
        opt.zero_grad()
        loss = (1 - x) ** 2 + 100 * (y - x**2) ** 2
        loss.backward()
        return loss

    def t_closure() -> Any:
        t_opt.zero_grad()
        loss = (1 - tx) ** 2 + 100 * (ty - tx**2) ** 2
        loss.backward()
        return loss

    for _ in range(4):
        np.testing.assert_allclose(opt.step(closure).data, t_opt.step(t_closure).item(), **TOL)
        np.testing.assert_allclose([x.data, y.data], [tx.item(), ty.item()], **TOL)
    assert x.data > -1.0


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_lbfgs_checkpoint_resume_continues_exactly(line_search_fn: str | None, tmp_path: Any) -> None:
    """The history (lists of arrays) survives save_checkpoint / load_checkpoint."""
    kwargs = {"lr": 0.5, "max_iter": 3, "history_size": 4, "line_search_fn": line_search_fn}

    def run(params: list[Tensor], opt: Any, steps: int) -> None:
        data = [Tensor(a) for a in MLP.data]

        def closure() -> Any:
            opt.zero_grad()
            loss = mlp(params, 1.0, *data)
            loss.backward()
            return loss

        for _ in range(steps):
            opt.step(closure)

    full = [Tensor(a, requires_grad=True) for a in MLP.init]
    run(full, optimizers.LBFGS(full, **kwargs), 6)

    params = [Tensor(a, requires_grad=True) for a in MLP.init]
    opt = optimizers.LBFGS(params, **kwargs)
    run(params, opt, 3)
    saved = opt.state_dict()
    optimizers.save_checkpoint(tmp_path / "ckpt.npz", params, opt)
    snapshot = [a.copy() for a in saved["state"][0]["old_dirs"]]
    run(params, opt, 1)
    assert not np.array_equal(snapshot[0], opt.state[params[0]]["old_dirs"][0])
    for a, b in zip(saved["state"][0]["old_dirs"], snapshot, strict=True):
        np.testing.assert_array_equal(a, b)  # the saved dict did not change with the optimizer

    resumed = [Tensor(np.zeros_like(a), requires_grad=True) for a in MLP.init]
    opt = optimizers.LBFGS(resumed, **kwargs)
    optimizers.load_checkpoint(tmp_path / "ckpt.npz", resumed, opt)
    run(resumed, opt, 3)
    for p, f in zip(resumed, full):
        np.testing.assert_array_equal(p.data, f.data)


@pytest.mark.parametrize(
    ("build", "error", "match"),
    [
        (lambda p: optimizers.LBFGS([{"params": [p]}, {"params": [Tensor([1.0])]}]), ValueError, "groups"),
        (lambda p: optimizers.LBFGS([p], line_search_fn="wolfe"), ValueError, "line_search_fn"),
        (lambda p: optimizers.LBFGS([p], max_iter=0), ValueError, "max_iter"),
        (lambda p: optimizers.LBFGS([p], history_size=2.5), TypeError, "history_size"),
        (lambda p: optimizers.LBFGS([p], tolerance_grad=-1.0), ValueError, "tolerance_grad"),
        (lambda p: optimizers.LBFGS([p], lr=-1.0), ValueError, "lr"),
        (lambda p: optimizers.LBFGS([p]).step(None), TypeError, "closure"),
        (lambda p: optimizers.LBFGS([p]).step(lambda: Tensor([1.0, 2.0])), ValueError, "one-element"),
    ],
)
def test_lbfgs_bad_arguments(build: Callable, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        build(Tensor([1.0], requires_grad=True))


def test_lbfgs_float32_params_stay_float32() -> None:
    """float32 in, float32 out (history too); close to torch's float32 run, whose scalars
    (y.s, step lengths) are float32 where ours are float64."""
    W = Tensor(np.zeros((5, 2), np.float32), requires_grad=True)
    tW = torch.zeros(5, 2, dtype=torch.float32, requires_grad=True)
    A, B = Tensor(_A.astype(np.float32)), Tensor(_B.astype(np.float32))
    tA, tB = torch.tensor(_A, dtype=torch.float32), torch.tensor(_B, dtype=torch.float32)
    opt = optimizers.LBFGS([W], line_search_fn="strong_wolfe")
    t_opt = torch.optim.LBFGS([tW], line_search_fn="strong_wolfe")

    def closure() -> Any:
        opt.zero_grad()
        loss = 0.5 * ((A @ W - B) ** 2).sum()
        loss.backward()
        return loss

    def t_closure() -> Any:
        t_opt.zero_grad()
        loss = 0.5 * ((tA @ tW - tB) ** 2).sum()
        loss.backward()
        return loss

    for _ in range(3):
        opt.step(closure)
        t_opt.step(t_closure)
    assert W.data.dtype == np.float32 and opt.state[W]["d"].dtype == np.float32
    assert all(a.dtype == np.float32 for a in opt.state[W]["old_dirs"])
    np.testing.assert_allclose(W.data, tW.detach().numpy(), rtol=1e-4, atol=1e-4)
