"""Optimizers and schedulers refuse what torch refuses (and mistyped input torch lets
through), with messages naming the argument; loading a state dict is checked and
all-or-nothing."""

from __future__ import annotations

import copy
import json
import warnings
from typing import Any

import numpy as np
import pytest
import torch

import optimizers
from autograd import Tensor, Value
from autograd.nn import MLP, TensorMLP
from optimizers import lr_scheduler as sched

ALL = [
    "SGD",
    "Adam",
    "AdamW",
    "Adagrad",
    "Adadelta",
    "Adamax",
    "NAdam",
    "RAdam",
    "RMSprop",
    "Lion",
    "Rprop",
    "ASGD",
    "Adafactor",
]


def test_non_leaf_tensors_are_refused_like_torch() -> None:
    w = torch.zeros(3, requires_grad=True)
    with pytest.raises(ValueError, match="can't optimize a non-leaf Tensor"):
        torch.optim.SGD([w * 2])
    t = Tensor(np.zeros(3), requires_grad=True)
    with pytest.raises(ValueError, match="can't optimize a non-leaf Tensor"):
        optimizers.SGD([t * 2])
    with pytest.raises(ValueError, match="can't optimize a non-leaf Value"):
        optimizers.Adam([Value(1.0) + 1.0])
    optimizers.SGD([t, Value(2.0)])  # leaves are fine


@pytest.mark.parametrize("model", [TensorMLP(2, [3, 1]), MLP(2, [3, 1])], ids=["TensorMLP", "MLP"])
def test_a_module_is_refused_with_the_fix(model: Any) -> None:
    with pytest.raises(TypeError, match=r"got \w+; pass model.parameters\(\)"):
        optimizers.SGD(model, lr=0.1)
    with pytest.raises(TypeError, match=r"pass model.parameters\(\)"):
        optimizers.SGD([{"params": model}])
    optimizers.SGD(model.parameters(), lr=0.1)


@pytest.mark.parametrize("name", ALL)
def test_misshapen_gradient_is_refused_before_any_update(name: str) -> None:
    ok = Tensor(np.ones(2), requires_grad=True)
    bad = Tensor(np.ones(3), requires_grad=True)
    opt = getattr(optimizers, name)([{"params": [Value(1.0)]}, {"params": [ok, bad]}], lr=0.1)
    ok.grad = np.ones(2)
    with pytest.raises(RuntimeError, match=r"attempting to assign a gradient of size '\[1\]' to a tensor"):
        bad.grad = np.ones(1)  # refused as torch refuses it; the optimizer checks again beneath the setter
    bad._grad = np.ones(1)
    with pytest.raises(
        ValueError, match=r"parameter 1 of param group 1 has shape \(3,\), but its \.grad has "
    ):
        opt.step()
    np.testing.assert_array_equal(ok.data, np.ones(2))  # nothing stepped
    with pytest.raises(TypeError, match="assigned grad expected to be a Tensor, an ndarray or None"):
        bad.grad = [1.0, 1.0, 1.0]  # torch refuses to assign it (TypeError)
    bad._grad = [1.0, 1.0, 1.0]
    with pytest.raises(TypeError, match=r"param group 1: \.grad: expected an ndarray or a Tensor, got list"):
        opt.step()


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"lr": "0.1"}, TypeError, "Invalid lr: expected a real number, got str '0.1'"),
        ({"lr": True}, TypeError, "Invalid lr: expected a real number, got bool"),
        ({"lr": float("inf")}, ValueError, "Invalid lr: expected a finite lr >= 0, got inf"),
        ({"lr": -5}, ValueError, "Invalid lr: expected lr >= 0, got -5"),
        ({"betas": (0.9,)}, ValueError, r"Invalid betas: expected a tuple of 2 floats, got \(0.9,\)"),
        ({"betas": 0.9}, TypeError, "Invalid betas: expected a tuple of 2 floats, got float 0.9"),
        ({"betas": (0.9, "0.99")}, TypeError, r"Invalid betas\[1\]: expected a real number"),
        ({"betas": (1.5, 2.0)}, ValueError, "beta parameter at index 0"),
        ({"eps": None}, TypeError, "Invalid eps: expected a real number, got NoneType"),
        ({"amsgrad": "yes"}, TypeError, "Invalid amsgrad: expected a bool, got str 'yes'"),
    ],
)
def test_hyperparameters_are_type_checked(kwargs: dict, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        optimizers.Adam([Value(1.0)], **kwargs)


@pytest.mark.parametrize(
    ("name", "kwargs", "error", "message"),
    [
        ("Rprop", {"lr": "0.1"}, TypeError, "Invalid lr: expected a real number, got str"),
        ("Rprop", {"etas": (0.5,)}, ValueError, r"Invalid etas: expected a tuple of 2 values, got \(0.5,\)"),
        ("Rprop", {"etas": 1.2}, TypeError, "Invalid etas: expected a tuple of 2 values, got float"),
        ("Rprop", {"etas": (0.5, "1.2")}, TypeError, r"Invalid etas\[1\]: expected a real number"),
        (
            "Rprop",
            {"step_sizes": (-1, 1)},
            ValueError,
            r"Invalid step_sizes\[0\]: expected step_sizes\[0\] >= 0",
        ),
        ("ASGD", {"t0": None}, TypeError, "Invalid t0: expected a real number, got NoneType"),
        ("ASGD", {"lambd": float("nan")}, ValueError, "Invalid lambd"),
        ("ASGD", {"maximize": 1}, TypeError, "Invalid maximize: expected a bool"),
        ("Adafactor", {"eps": 1e-3}, TypeError, "Invalid eps: expected a tuple of 2 values, got float"),
        ("Adafactor", {"eps": (None, None)}, TypeError, r"Invalid eps\[1\]: expected a real number"),
        ("Adafactor", {"d": "1"}, TypeError, "Invalid d: expected a real number"),
        ("Adafactor", {"beta2_decay": float("-inf")}, ValueError, "Invalid beta2_decay: expected a finite"),
        ("LBFGS", {"max_iter": True}, TypeError, "Invalid max_iter: expected an integer, got bool"),
        ("LBFGS", {"max_eval": 0}, ValueError, "Invalid max_eval: expected an integer max_eval >= 1"),
        ("LBFGS", {"history_size": np.int64(0)}, ValueError, "Invalid history_size"),
        ("LBFGS", {"tolerance_grad": "0"}, TypeError, "Invalid tolerance_grad: expected a real number"),
        (
            "LBFGS",
            {"line_search_fn": 1},
            ValueError,
            "Invalid line_search_fn: expected None or 'strong_wolfe'",
        ),
    ],
)
def test_new_optimizers_use_the_shared_checks(name: str, kwargs: dict, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        getattr(optimizers, name)([Value(1.0)], **kwargs)


def test_pairs_from_json_become_tuples_and_none_eps_survives() -> None:
    p = [Tensor(np.ones((2, 3)), requires_grad=True)]
    opt = optimizers.Adafactor(p, eps=[None, np.float64(1e-3)])
    assert opt.param_groups[0]["eps"] == (None, 1e-3)
    rprop = optimizers.Rprop(p, etas=[0.4, 1.5], step_sizes=[0, float("inf")])
    assert rprop.param_groups[0]["step_sizes"] == (0, float("inf"))
    saved = json.loads(json.dumps(rprop.state_dict()))
    rprop.load_state_dict(saved)
    assert rprop.param_groups[0]["etas"] == (0.4, 1.5)


def test_lbfgs_refuses_misshapen_gradients_and_is_silent_on_non_finite_ones() -> None:
    w = Tensor(np.ones(3), requires_grad=True)
    opt = optimizers.LBFGS([w])

    def bad() -> float:
        w._grad = np.ones(1)  # (past the .grad setter, which refuses it as torch does)
        return 1.0

    with pytest.raises(
        ValueError, match=r"parameter 0 of param group 0 has shape \(3,\), but its \.grad has"
    ):
        opt.step(bad)
    np.testing.assert_array_equal(w.data, np.ones(3))
    tw = torch.ones(3, dtype=torch.float64, requires_grad=True)
    topt = torch.optim.LBFGS([tw], max_iter=3)

    def ours() -> float:
        w.grad = np.array([np.inf, 1.0, np.nan])
        return float(np.sum(w.data))

    def theirs() -> torch.Tensor:
        tw.grad = torch.tensor([np.inf, 1.0, np.nan], dtype=torch.float64)
        return tw.detach().sum()

    opt = optimizers.LBFGS([w], max_iter=3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        opt.step(ours)
        topt.step(theirs)
    np.testing.assert_array_equal(w.data, tw.detach().numpy())


def test_lbfgs_runs_the_closure_with_the_callers_numpy_error_settings() -> None:
    w = Tensor(np.ones(2), requires_grad=True)
    opt = optimizers.LBFGS([w], max_iter=2)

    def closure() -> float:
        w.grad = np.ones(2)
        return float(np.log(np.zeros(1))[0])  # a divide warning the caller should see

    with pytest.warns(RuntimeWarning, match="divide by zero"):
        opt.step(closure)


def test_numpy_scalars_are_accepted_and_betas_become_a_tuple() -> None:
    opt = optimizers.Adam([Value(1.0)], lr=np.float32(0.1), betas=[np.float64(0.8), 0.9], amsgrad=np.True_)
    assert opt.param_groups[0]["betas"] == (0.8, 0.9)


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (lambda o: sched.StepLR(o, step_size=0), ValueError, "Invalid step_size: expected an integer"),
        (lambda o: sched.StepLR(o, step_size=2.5), TypeError, "Invalid step_size: expected an integer"),
        (lambda o: sched.StepLR(o, 2, gamma="0.1"), TypeError, "Invalid gamma"),
        (lambda o: sched.CosineAnnealingLR(o, T_max=0), ValueError, "Invalid T_max"),
        (lambda o: sched.CosineAnnealingLR(o, 5, eta_min=-1.0), ValueError, "Invalid eta_min"),
        (lambda o: sched.MultiStepLR(o, [2, -1]), ValueError, r"Invalid milestones\[0\]"),
        (lambda o: sched.ExponentialLR(o, gamma=float("nan")), ValueError, "Invalid gamma"),
        (lambda o: sched.LinearLR(o, total_iters=0), ValueError, "Invalid total_iters"),
        (lambda o: sched.CosineAnnealingWarmRestarts(o, T_0=2.0), TypeError, "Invalid T_0"),
        (lambda o: sched.ReduceLROnPlateau(o, patience=-1), ValueError, "Invalid patience"),
        (lambda o: sched.ReduceLROnPlateau(o, min_lr=-0.1), ValueError, "Invalid min_lr"),
        (lambda o: sched.OneCycleLR(o, 1.0, 10, div_factor=0), ValueError, "Invalid div_factor"),
        (lambda o: sched.OneCycleLR(o, -1.0, 10), ValueError, "Invalid max_lr"),
        (lambda o: sched.ConstantLR(o, factor=0), ValueError, "Invalid factor: expected 0 < factor <= 1"),
        (lambda o: sched.ConstantLR(o, total_iters=2.0), TypeError, "Invalid total_iters"),
        (lambda o: sched.PolynomialLR(o, total_iters=0), ValueError, "Invalid total_iters"),
        (lambda o: sched.PolynomialLR(o, power="2"), TypeError, "Invalid power"),
        (lambda o: sched.CyclicLR(o, -0.1, 1.0), ValueError, "Invalid base_lr"),
        (lambda o: sched.CyclicLR(o, 0.1, [1.0, 2.0]), ValueError, "max_lr must have one value per"),
        (lambda o: sched.CyclicLR(o, 0.1, 1.0, step_size_up=0), ValueError, "Invalid step_size_up"),
        (lambda o: sched.CyclicLR(o, 0.1, 1.0, mode="cos"), ValueError, "Invalid mode"),
        (lambda o: sched.CyclicLR(o, 0.1, 1.0, gamma=None), TypeError, "Invalid gamma"),
        (lambda o: sched.CyclicLR(o, 0.1, 1.0, max_momentum=-1), ValueError, "Invalid max_momentum"),
        (lambda o: sched.CyclicLR(o, 0.1, 1.0, cycle_momentum=1), TypeError, "Invalid cycle_momentum"),
        (
            lambda o: sched.OneCycleLR(o, 1.0, total_steps=2.5),
            TypeError,
            "Invalid total_steps: expected an int",
        ),
        (
            lambda o: sched.OneCycleLR(o, 1.0, epochs=2, steps_per_epoch=0),
            ValueError,
            "Invalid steps_per_epoch",
        ),
        (
            lambda o: sched.OneCycleLR(o, 1.0, 10, pct_start=1.5),
            ValueError,
            "Invalid pct_start: expected 0 <=",
        ),
        (
            lambda o: sched.OneCycleLR(o, 1.0, 10, anneal_strategy="exp"),
            ValueError,
            "Invalid anneal_strategy",
        ),
        (lambda o: sched.OneCycleLR(o, 1.0, 10, base_momentum=-1), ValueError, "Invalid base_momentum"),
    ],
)
def test_scheduler_arguments_are_checked(build: Any, error: type, message: str) -> None:
    """...and a refused argument leaves the optimizer's groups as they were."""
    opt = optimizers.SGD([Value(1.0)], lr=0.1, momentum=0.9)
    before = copy.deepcopy(opt.state_dict()["param_groups"])
    with pytest.raises(error, match=message):
        build(opt)
    assert opt.state_dict()["param_groups"] == before


# (a good scheduler, the field an argument is stored in, a bad value for it)
SAME_CHECK = [
    (lambda o, **k: sched.StepLR(o, **{"step_size": 3, **k}), "step_size", 0),
    (lambda o, **k: sched.MultiStepLR(o, **{"milestones": [2], **k}), "milestones", [-1, 2]),
    (lambda o, **k: sched.LinearLR(o, **k), "start_factor", 0.0),
    (lambda o, **k: sched.ConstantLR(o, **k), "factor", 1.5),
    (lambda o, **k: sched.PolynomialLR(o, **k), "power", -1.0),
    (lambda o, **k: sched.CosineAnnealingWarmRestarts(o, 3, **k), "T_mult", 0),
    (lambda o, **k: sched.ReduceLROnPlateau(o, **k), "factor", 1.0),
    (lambda o, **k: sched.CyclicLR(o, 0.1, 1.0, **k), "gamma", -1.0),
    (lambda o, **k: sched.OneCycleLR(o, 1.0, **{"total_steps": 10, **k}), "total_steps", 2.5),
]


@pytest.mark.parametrize(("build", "field", "bad"), SAME_CHECK, ids=[row[1] for row in SAME_CHECK])
def test_the_constructor_and_load_state_dict_apply_one_check(build: Any, field: str, bad: Any) -> None:
    """Each argument is checked by its state field's check, so both say the same."""
    opt = optimizers.SGD([Value(1.0)], lr=0.1, momentum=0.9)
    with pytest.raises((TypeError, ValueError)) as from_constructor:
        build(opt, **{field: bad})
    scheduler = build(opt)
    state = {**scheduler.state_dict(), field: bad}
    with pytest.raises(type(from_constructor.value)) as from_load:
        scheduler.load_state_dict(state)
    assert str(from_load.value) == str(from_constructor.value)


@pytest.mark.parametrize("name", ALL)
def test_non_finite_gradients_give_no_warnings_and_propagate(name: str) -> None:
    w = Tensor(np.zeros(3), requires_grad=True)
    tw = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    opt = getattr(optimizers, name)([w], lr=0.1)
    topt = getattr(torch.optim, name, torch.optim.SGD)([tw], lr=0.1)  # torch has no Lion
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for g in ([np.inf, np.nan, 1.0], [1.0, -np.inf, 0.0]):
            w.grad, tw.grad = np.array(g), torch.tensor(g, dtype=torch.float64)
            opt.step()
            topt.step()
    if hasattr(torch.optim, name):
        np.testing.assert_allclose(w.data, tw.detach().numpy(), rtol=1e-7)


# ---------------------------------------------------------------- load_state_dict


def _trained_adam() -> tuple[list[Any], optimizers.Adam]:
    params = [Tensor(np.arange(3.0), requires_grad=True), Value(2.0)]
    opt = optimizers.Adam(params, lr=0.1, amsgrad=True)
    for _ in range(2):
        params[0].grad, params[1].grad = np.ones(3), 0.5
        opt.step()
    return params, opt


def _bad_state(mutate: Any) -> dict[str, Any]:
    state = _trained_adam()[1].state_dict()
    mutate(state)
    return state


def _set(path: tuple, value: Any) -> Any:
    def mutate(state: dict) -> None:
        *head, last = path
        for key in head:
            state = state[key]
        state[last] = value

    return mutate


BAD_OPTIMIZER_STATES = [
    ("lr str", _set(("param_groups", 0, "lr"), "abc"), TypeError, "param_groups.0.: Invalid lr"),
    ("lr -5", _set(("param_groups", 0, "lr"), -5), ValueError, "Invalid lr"),
    ("lr inf", _set(("param_groups", 0, "lr"), float("inf")), ValueError, "Invalid lr"),
    ("lr nan", _set(("param_groups", 0, "lr"), float("nan")), ValueError, "Invalid lr"),
    ("betas", _set(("param_groups", 0, "betas"), [1.5, 2.0]), ValueError, "beta parameter at index 0"),
    ("unknown group key", _set(("param_groups", 0, "foo"), 1), ValueError, "unknown key 'foo'"),
    ("params order", _set(("param_groups", 0, "params"), [1, 0]), ValueError, r"indices \[0, 1\]"),
    ("state key -1", _set(("state", "-1"), {}), ValueError, "got key '-1'"),
    ("state key 2", _set(("state", 2), {}), ValueError, "got key 2"),
    ("state step str", _set(("state", 0, "step"), "2"), TypeError, "Invalid step"),
    ("state step neg", _set(("state", 0, "step"), -1), ValueError, "Invalid step"),
    ("unknown buffer", _set(("state", 0, "momentum_buffer"), np.zeros(3)), ValueError, "unknown key"),
    ("buffer shape", _set(("state", 0, "exp_avg"), np.zeros(4)), ValueError, r"expected shape \(3,\)"),
    ("buffer complex", _set(("state", 0, "exp_avg"), np.zeros(3, complex)), TypeError, "complex"),
    ("buffer list", _set(("state", 0, "exp_avg"), [0.0, 0.0, 0.0]), TypeError, "got list"),
    ("missing buffer", lambda s: s["state"][1].pop("max_exp_avg_sq"), ValueError, "missing key"),
    ("missing group key", lambda s: s["param_groups"][0].pop("eps"), ValueError, "missing key 'eps'"),
    ("no amsgrad", _set(("param_groups", 0, "amsgrad"), False), ValueError, "unknown key 'max_exp_avg_sq'"),
    ("extra top key", _set(("extra",), 1), ValueError, "keys 'param_groups' and 'state'"),
]


@pytest.mark.parametrize(
    ("case", "mutate", "error", "message"), BAD_OPTIMIZER_STATES, ids=[c[0] for c in BAD_OPTIMIZER_STATES]
)
def test_bad_optimizer_state_is_refused_and_changes_nothing(
    case: str, mutate: Any, error: type, message: str
) -> None:
    bad = _bad_state(mutate)
    params, opt = _trained_adam()
    params[0].grad = None
    before = copy.deepcopy(opt.state_dict())
    groups = opt.param_groups[0]
    with pytest.raises(error, match=message):
        opt.load_state_dict(bad)
    after = opt.state_dict()
    assert opt.param_groups[0] is groups
    assert json.dumps(after, default=lambda a: a.tolist()) == json.dumps(before, default=lambda a: a.tolist())


def test_a_good_state_dict_still_loads_and_resumes() -> None:
    saved = _trained_adam()[1].state_dict()
    params = [Tensor(np.arange(3.0), requires_grad=True), Value(2.0)]
    opt = optimizers.Adam(params, lr=0.5, amsgrad=True)
    opt.load_state_dict(saved)
    assert opt.param_groups[0]["lr"] == 0.1 and opt.state[params[1]]["step"] == 2


def test_scheduler_load_refuses_unknown_fields_and_keeps_its_methods() -> None:
    opt = optimizers.SGD([Value(1.0)], lr=0.1)
    s = sched.StepLR(opt, step_size=3)
    saved = s.state_dict()
    before = s.state_dict()
    for bad, message in [
        ({**saved, "step": 7}, "unknown field 'step'"),
        ({**saved, "gamma": "x"}, "Invalid gamma"),
        ({**saved, "step_size": 0}, "Invalid step_size"),
        ({**saved, "base_lrs": [-5]}, r"Invalid base_lrs\[0\]"),
        ({**saved, "base_lrs": [0.1, 0.1]}, "expected a list of 1 learning rates"),
        ({k: v for k, v in saved.items() if k != "gamma"}, "missing field 'gamma'"),
    ]:
        with pytest.raises((TypeError, ValueError), match=message):
            s.load_state_dict(bad)
        assert s.state_dict() == before
    s.step()  # still the method
    assert opt.param_groups[0]["lr"] == 0.1


def test_sequential_scheduler_load_is_all_or_nothing() -> None:
    opt = optimizers.SGD([Value(1.0)], lr=0.1)
    s = sched.SequentialLR(opt, [sched.StepLR(opt, 2), sched.ExponentialLR(opt, 0.9)], [3])
    for _ in range(4):
        s.step()
    saved = json.loads(json.dumps(s.state_dict()))
    fresh_opt = optimizers.SGD([Value(1.0)], lr=0.1)
    fresh = sched.SequentialLR(
        fresh_opt, [sched.StepLR(fresh_opt, 2), sched.ExponentialLR(fresh_opt, 0.9)], [3]
    )
    before = fresh.state_dict()
    bad = copy.deepcopy(saved)
    bad["_schedulers"][1]["gamma"] = -1.0  # the first child is fine, the second is not
    with pytest.raises(ValueError, match=r"_schedulers\[1\]: Invalid gamma"):
        fresh.load_state_dict(bad)
    assert fresh.state_dict() == before
    fresh.load_state_dict(saved)
    assert fresh.state_dict() == s.state_dict()


def test_chained_scheduler_load_is_all_or_nothing() -> None:
    def build() -> Any:
        opt = optimizers.SGD([Value(1.0)], lr=0.1)
        return sched.ChainedScheduler([sched.ConstantLR(opt, 0.5, 3), sched.ExponentialLR(opt, 0.9)])

    s = build()
    for _ in range(4):
        s.step()
    saved = json.loads(json.dumps(s.state_dict()))
    fresh = build()
    before = fresh.state_dict()
    for change, message in [
        (lambda b: b["_schedulers"][1].update(gamma=-1.0), r"_schedulers\[1\]: Invalid gamma"),
        (lambda b: b["_schedulers"].pop(), "expected a list of 2 scheduler states, got 1 states"),
        (lambda b: b.update(last_epoch=3), "unknown field 'last_epoch' for ChainedScheduler"),
        (lambda b: b.pop("_schedulers"), "with the key '_schedulers'"),
    ]:
        bad = copy.deepcopy(saved)
        change(bad)
        with pytest.raises(ValueError, match=message):
            fresh.load_state_dict(bad)
        assert fresh.state_dict() == before
    fresh.load_state_dict(saved)
    assert fresh.state_dict() == s.state_dict()
    fresh.optimizer.load_state_dict(s.optimizer.state_dict())  # the schedules are recursive in the lr
    fresh.step()
    s.step()
    assert fresh.optimizer.param_groups[0]["lr"] == s.optimizer.param_groups[0]["lr"]


@pytest.mark.parametrize(
    "build",
    [
        lambda o: sched.StepLR(o, 2),
        lambda o: sched.MultiStepLR(o, [1, 3]),
        lambda o: sched.ExponentialLR(o, 0.9),
        lambda o: sched.LinearLR(o),
        lambda o: sched.CosineAnnealingLR(o, 5),
        lambda o: sched.CosineAnnealingWarmRestarts(o, 2, 2),
        lambda o: sched.OneCycleLR(o, 1.0, 10, three_phase=True),
        lambda o: sched.ReduceLROnPlateau(o),
        lambda o: sched.LambdaLR(o, lambda t: 0.5**t),
        lambda o: sched.ConstantLR(o),
        lambda o: sched.PolynomialLR(o, 4, 0.5),
        lambda o: sched.MultiplicativeLR(o, lambda t: 0.9),
        lambda o: sched.CyclicLR(o, 0.01, 0.1, step_size_up=3, mode="exp_range", gamma=0.9),
        lambda o: sched.CyclicLR(o, 0.01, 0.1, scale_fn=lambda c: 1 / c, mode="custom"),
        lambda o: sched.ChainedScheduler([sched.ConstantLR(o), sched.ExponentialLR(o, 0.9)]),
    ],
)
def test_every_scheduler_field_round_trips_through_json(build: Any) -> None:
    opt = optimizers.SGD([Value(1.0)], lr=0.1, momentum=0.9)
    s = build(opt)
    saved = json.loads(json.dumps(s.state_dict()))
    s.load_state_dict(saved)
    assert json.loads(json.dumps(s.state_dict())) == saved
    wrong = {**saved, "_last_lr": "3"}
    with pytest.raises(ValueError, match="_last_lr"):
        s.load_state_dict(wrong)


class _Custom(sched.LRScheduler):
    """A scheduler without its own field checks (as a user's subclass would be)."""

    def __init__(self, optimizer: Any) -> None:
        self.mode, self.k, self.scale, self.pairs = "tri", 2, 0.5, [[1, 2.0]]
        super().__init__(optimizer)

    def _get_lr(self) -> list[float]:
        return [b * self.scale for b in self.base_lrs]


def test_fields_without_a_check_must_keep_their_type_and_layout() -> None:
    s = _Custom(optimizers.SGD([Value(1.0)], lr=0.1))
    saved = json.loads(json.dumps(s.state_dict()))
    s.load_state_dict({**saved, "k": 3, "scale": 1, "pairs": [[5, 1.5]]})
    assert (s.k, s.scale, s.pairs) == (3, 1.0, [[5, 1.5]]) and type(s.scale) is float
    before = s.state_dict()
    for bad, message in [
        ({"k": 2.5}, "Invalid k: expected an integer"),
        ({"scale": "1"}, "Invalid scale: expected a real number"),
        ({"scale": float("nan")}, "Invalid scale"),
        ({"mode": "exp"}, "Invalid mode: expected 'tri', got 'exp'"),
        ({"pairs": [[1, 2.0], [3, 4.0]]}, "Invalid pairs: expected a list of 1 values"),
        ({"pairs": [[1, "x"]]}, r"Invalid pairs\[0\]\[1\]"),
    ]:
        with pytest.raises((TypeError, ValueError), match=message):
            s.load_state_dict({**saved, **bad})
        assert s.state_dict() == before
