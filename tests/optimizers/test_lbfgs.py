"""LBFGS follows torch.optim.LBFGS step for step: ``step(closure)`` with and without the
strong-Wolfe line search, its history, its checkpoints, its arguments, and the edges of
IEEE arithmetic (where torch's 0-d tensors give inf or nan, so does it).

Both sides start from the same point and take gradients from their own autograd; the
parameters, the returned loss, the closure calls and the whole history are compared
after every ``step``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from optimizer_problems import LSQ, MLP, ROSENBROCK, Problem, least_squares, mlp

import optimizers
from autograd import Tensor, Value
from optimizers.lbfgs import _cubic_interpolate

pytestmark = pytest.mark.usefixtures("torch_float64")

TOL = {"rtol": 1e-10, "atol": 1e-10}


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

    def counting_closure(side: int, opt: Any, params: list[Any], data: list[Any]) -> Callable[[], Any]:
        def closure() -> Any:
            calls[side] += 1
            opt.zero_grad()
            loss = problem.loss(params, 1.0, *data)
            loss.backward()
            return loss

        return closure

    closure, t_closure = counting_closure(0, opt, ours, data), counting_closure(1, t_opt, theirs, t_data)
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

    def bisect(x1: float, f1: float, g1: float, x2: float, f2: float, g2: float, bounds: Any = None) -> float:
        lo, hi = bounds if bounds is not None else (min(x1, x2), max(x1, x2))
        return (lo + hi) / 2

    monkeypatch.setattr(optimizers.lbfgs, "_cubic_interpolate", bisect)
    with pytest.raises(AssertionError):
        assert_same_lbfgs_run({"line_search_fn": "strong_wolfe"}, ROSENBROCK)


def test_lbfgs_solves_least_squares_and_rosenbrock() -> None:
    """Closed forms: the normal-equations solution, and Rosenbrock's minimum (1, 1)."""
    W, b = Tensor(np.zeros((5, 2)), requires_grad=True), Tensor(np.zeros(2), requires_grad=True)
    _A, _B = LSQ.data
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
    saved = copy.deepcopy(opt.state_dict())  # (its Tensors are the optimizer's arrays, as torch's)
    optimizers.save_checkpoint(tmp_path / "ckpt.npz", params, opt)
    snapshot = [a.numpy().copy() for a in saved["state"][0]["old_dirs"]]
    run(params, opt, 1)
    assert not np.array_equal(snapshot[0], opt.state[params[0]]["old_dirs"][0])
    for a, b in zip(saved["state"][0]["old_dirs"], snapshot, strict=True):
        np.testing.assert_array_equal(a.numpy(), b)  # the deep copy did not change with the optimizer

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


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
@pytest.mark.parametrize("returns", [None, "1.0", True, 1j])
@pytest.mark.parametrize("on_call", [1, 2])
def test_a_closure_that_does_not_return_the_loss_is_refused(
    line_search_fn: str | None, returns: Any, on_call: int
) -> None:
    """torch: ``float(closure())`` raises TypeError; before, None became a nan loss (or an
    IndexError in the line search). Also when only a later evaluation forgets the loss."""
    w = Tensor([1.0, -2.0], requires_grad=True)
    opt = optimizers.LBFGS([w], line_search_fn=line_search_fn)
    calls = []

    def closure() -> Any:
        calls.append(1)
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return returns if len(calls) == on_call else loss

    with pytest.raises(TypeError, match=r"closure must return the loss \(a Value, a one-element Tensor"):
        opt.step(closure)
    assert len(calls) == on_call
    if on_call == 1:
        np.testing.assert_array_equal(w.data, [1.0, -2.0])  # nothing moved


@pytest.mark.parametrize("loss", [2.5, np.float32(2.5), np.array([2.5]), Value(2.5), Tensor([[2.5]])])
def test_a_closure_may_return_any_one_element_loss(loss: Any) -> None:
    w = Tensor([1.0], requires_grad=True)
    w.grad = np.array([1.0])
    assert optimizers.LBFGS([w], max_iter=1).step(lambda: loss) is loss


def test_lbfgs_float32_params_stay_float32() -> None:
    """float32 in, float32 out (history too); close to torch's float32 run, whose scalars
    (y.s, step lengths) are float32 where ours are float64."""
    _A, _B = LSQ.data
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


def test_cubic_interpolation_with_a_zero_denominator_clamps_like_torch() -> None:
    # equal points: 0/0 makes d1 nan, so (as torch) no real minimizer: the middle of the bounds
    assert _cubic_interpolate(1.0, 1.0, 1e57, 1.0, 1.0, 1e57) == 1.0
    # g2 - g1 + 2·d2 = 0 exactly: the step is ±inf, clamped to a bound
    assert _cubic_interpolate(0.0, 0.0, 1.0, 1.0, 1.0, 1.0, bounds=(-2.0, 3.0)) in (-2.0, 3.0)
    # a finite case keeps its value (the cubic through two points with their slopes)
    assert _cubic_interpolate(0.0, 1.0, -1.0, 1.0, 0.5, 0.2) == pytest.approx(0.8844373104863458, rel=1e-15)


def test_strong_wolfe_on_a_saddle_runs_away_like_torch_instead_of_raising() -> None:
    """f = x² − y² from (1, 1e-3): unbounded below; the line search meets a 0/0 on its 4th step."""
    p = Tensor(np.array([1.0, 1e-3]), requires_grad=True)
    q = torch.tensor([1.0, 1e-3], dtype=torch.float64, requires_grad=True)
    ours = optimizers.LBFGS([p], lr=1, max_iter=1, max_eval=25, line_search_fn="strong_wolfe")
    theirs = torch.optim.LBFGS([q], lr=1, max_iter=1, max_eval=25, line_search_fn="strong_wolfe")

    def closure_ours() -> Tensor:
        ours.zero_grad()
        loss = p[0] * p[0] - p[1] * p[1]
        loss.backward()
        return loss

    def closure_theirs() -> torch.Tensor:
        theirs.zero_grad()
        loss = q[0] * q[0] - q[1] * q[1]
        loss.backward()
        return loss

    for _ in range(6):
        ours.step(closure_ours)
        theirs.step(closure_theirs)
    # both run away (how far in six steps varies with the CPU: ours 1e57 to 1e70, torch's 1e70)
    assert np.abs(p.data).max() > 1e50 and q.detach().abs().max() > 1e50
    assert np.sign(p.data).tolist() == np.sign(q.detach().numpy()).tolist()
