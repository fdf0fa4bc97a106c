"""Bad input raises the exception torch raises, with a message that names the
argument, what was expected and what was received."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
import torch

import optimizers
from autograd import Tensor, Value

OURS = SimpleNamespace(optim=optimizers, sched=optimizers.lr_scheduler, param=lambda: Tensor([1.0]))
TORCH = SimpleNamespace(
    optim=torch.optim, sched=torch.optim.lr_scheduler, param=lambda: torch.zeros(1, requires_grad=True)
)

BAD_HYPERPARAMETERS = [
    ("SGD", {"lr": -0.1}, "lr"),
    ("SGD", {"momentum": -0.5}, "momentum"),
    ("SGD", {"weight_decay": -1e-4}, "weight_decay"),
    ("SGD", {"nesterov": True}, "Nesterov"),
    ("SGD", {"nesterov": True, "momentum": 0.9, "dampening": 0.1}, "Nesterov"),
    ("Adam", {"lr": float("nan")}, "lr"),
    ("Adam", {"eps": -1e-8}, "eps"),
    ("Adam", {"betas": (1.0, 0.999)}, "index 0"),
    ("Adam", {"betas": (0.9, -0.1)}, "index 1"),
    ("Adam", {"weight_decay": -1.0}, "weight_decay"),
    ("AdamW", {"betas": (0.9, 1.0)}, "index 1"),
    ("Adagrad", {"lr_decay": -1.0}, "lr_decay"),
    ("Adagrad", {"initial_accumulator_value": -1.0}, "initial_accumulator_value"),
    ("Adagrad", {"eps": -1.0}, "eps"),
    ("RMSprop", {"alpha": -0.1}, "alpha"),
    ("RMSprop", {"momentum": -0.1}, "momentum"),
    ("Adamax", {"betas": (0.9, 1.5)}, "index 1"),
    ("Adamax", {"eps": -1.0}, "eps"),
    ("NAdam", {"momentum_decay": -1.0}, "momentum_decay"),
    ("NAdam", {"betas": (-0.1, 0.9)}, "index 0"),
    ("RAdam", {"weight_decay": -1.0}, "weight_decay"),
    ("Adadelta", {"rho": 1.5}, "rho"),
    ("Adadelta", {"lr": -1.0}, "lr"),
    ("Rprop", {"lr": -0.1}, "lr"),
    ("Rprop", {"etas": (0.5, 0.9)}, "etas"),
    ("Rprop", {"etas": (1.0, 1.2)}, "etas"),
    ("ASGD", {"weight_decay": -1.0}, "weight_decay"),
    ("ASGD", {"lr": -1.0}, "lr"),
    ("Adafactor", {"beta2_decay": 0.5}, "beta2_decay"),
    ("Adafactor", {"eps": (-1.0, 1e-3)}, "eps"),
    ("Adafactor", {"eps": (None, -1e-3)}, "eps"),
    ("Adafactor", {"d": 0.5}, "d"),
    ("Adafactor", {"weight_decay": -0.1}, "weight_decay"),
]


@pytest.mark.parametrize(("name", "kwargs", "argument"), BAD_HYPERPARAMETERS)
def test_bad_hyperparameters_raise_value_error_like_torch(name: str, kwargs: dict, argument: str) -> None:
    with pytest.raises(ValueError):
        getattr(torch.optim, name)([TORCH.param()], **kwargs)
    with pytest.raises(ValueError, match=argument) as info:
        getattr(optimizers, name)([OURS.param()], **kwargs)
    message = str(info.value)
    assert "expected" in message and "got" in message


# what torch lets through (or, for Lion, does not have)
@pytest.mark.parametrize(
    ("name", "kwargs", "argument"),
    [
        ("Lion", {"lr": -1e-4}, "lr"),
        ("Lion", {"betas": (1.0, 0.99)}, "index 0"),
        ("Lion", {"weight_decay": -0.1}, "weight_decay"),
        ("Rprop", {"step_sizes": (1.0, 0.1)}, "step_sizes"),
        ("ASGD", {"lambd": -1e-4}, "lambd"),
        ("ASGD", {"t0": -1.0}, "t0"),
    ],
)
def test_bad_hyperparameters_torch_lets_through(name: str, kwargs: dict, argument: str) -> None:
    with pytest.raises(ValueError, match=argument) as info:
        getattr(optimizers, name)([OURS.param()], **kwargs)
    message = str(info.value)
    assert "expected" in message and "got" in message


def test_messages_name_expected_and_received() -> None:
    with pytest.raises(ValueError, match=r"Invalid lr: expected lr >= 0, got -0\.5"):
        optimizers.Adam([Value(1.0)], lr=-0.5)
    with pytest.raises(ValueError, match=r"expected 0 <= betas\[0\] < 1, got 1\.0"):
        optimizers.Adam([Value(1.0)], betas=(1.0, 0.9))
    with pytest.raises(ValueError, match="expected momentum > 0 and dampening == 0, got momentum=0"):
        optimizers.SGD([Value(1.0)], nesterov=True)


def _same_param_in_two_groups(api: Any) -> Any:
    p = api.param()
    return api.optim.SGD([{"params": [p]}, {"params": [api.param(), p]}])


def _mismatched_state_dict(api: Any) -> Any:
    saved = api.optim.SGD([api.param()]).state_dict()
    api.optim.SGD([{"params": [api.param()]}, {"params": [api.param()]}]).load_state_dict(saved)


STRUCTURAL = [
    ("empty list", ValueError, lambda api: api.optim.Adam([])),
    ("a single parameter", TypeError, lambda api: api.optim.Adam(api.param())),
    ("a set", TypeError, lambda api: api.optim.Adam([{"params": {api.param()}}])),
    ("not a parameter", TypeError, lambda api: api.optim.Adam([1.5])),
    ("group without params", KeyError, lambda api: api.optim.Adam([{"lr": 0.1}])),
    ("param in two groups", ValueError, _same_param_in_two_groups),
    ("state dict of another layout", ValueError, _mismatched_state_dict),
]


@pytest.mark.parametrize(("case", "error", "build"), STRUCTURAL, ids=[c[0] for c in STRUCTURAL])
def test_structural_errors_match_torch(case: str, error: type, build: Callable) -> None:
    with pytest.raises(error):
        build(TORCH)
    with pytest.raises(error):
        build(OURS)


def test_same_parameter_twice_in_one_group_is_an_error() -> None:
    """torch only warns here (and says it will become an error); we raise now."""
    t = TORCH.param()
    with pytest.warns(UserWarning, match="duplicate parameters"):
        torch.optim.SGD([t, t])
    v = Value(1.0)
    with pytest.raises(ValueError, match="same parameter more than once"):
        optimizers.SGD([v, v])


def test_group_hyperparameters_are_validated_too() -> None:
    """torch validates only constructor arguments; we also check each group's overrides."""
    with pytest.raises(ValueError, match="Invalid lr"):
        optimizers.SGD([{"params": [Value(1.0)], "lr": -1.0}])
    opt = optimizers.SGD([Value(1.0)], lr=0.1)
    with pytest.raises(ValueError, match="Invalid momentum"):
        opt.add_param_group({"params": [Value(2.0)], "momentum": -0.9})
    assert len(opt.param_groups) == 1


def _opt(api: Any, name: str = "SGD", **kwargs: Any) -> Any:
    return getattr(api.optim, name)([api.param()], lr=0.1, **kwargs)


def _past_the_end(api: Any) -> None:
    opt = _opt(api)
    sched = api.sched.OneCycleLR(opt, max_lr=1.0, total_steps=3)
    for _ in range(4):
        opt.step()
        sched.step()


def _sequential(api: Any, bad: str) -> Any:
    opt = _opt(api)
    first = api.sched.StepLR(opt, step_size=2)
    if bad == "milestones":
        return api.sched.SequentialLR(opt, [first, api.sched.ExponentialLR(opt, 0.9)], milestones=[])
    if bad == "plateau":
        return api.sched.SequentialLR(opt, [first, api.sched.ReduceLROnPlateau(opt)], milestones=[3])
    return api.sched.SequentialLR(opt, [first, api.sched.StepLR(_opt(api), step_size=2)], milestones=[3])


SCHEDULER_ERRORS = [
    ("LinearLR start_factor", ValueError, lambda api: api.sched.LinearLR(_opt(api), start_factor=0)),
    ("LinearLR end_factor", ValueError, lambda api: api.sched.LinearLR(_opt(api), end_factor=1.5)),
    ("OneCycle without length", ValueError, lambda api: api.sched.OneCycleLR(_opt(api), max_lr=1.0)),
    ("OneCycle total_steps", ValueError, lambda api: api.sched.OneCycleLR(_opt(api), 1.0, total_steps=0)),
    (
        "OneCycle epochs",
        ValueError,
        lambda api: api.sched.OneCycleLR(_opt(api), 1.0, epochs=-1, steps_per_epoch=3),
    ),
    ("OneCycle pct_start", ValueError, lambda api: api.sched.OneCycleLR(_opt(api), 1.0, 10, pct_start=1.5)),
    (
        "OneCycle anneal",
        ValueError,
        lambda api: api.sched.OneCycleLR(_opt(api), 1.0, 10, anneal_strategy="exp"),
    ),
    ("OneCycle max_lr list", ValueError, lambda api: api.sched.OneCycleLR(_opt(api), [1.0, 2.0], 10)),
    ("OneCycle no momentum", ValueError, lambda api: api.sched.OneCycleLR(_opt(api, "Adagrad"), 1.0, 10)),
    ("OneCycle past the end", ValueError, _past_the_end),
    ("Plateau factor", ValueError, lambda api: api.sched.ReduceLROnPlateau(_opt(api), factor=1.0)),
    ("Plateau mode", ValueError, lambda api: api.sched.ReduceLROnPlateau(_opt(api), mode="avg")),
    (
        "Plateau threshold_mode",
        ValueError,
        lambda api: api.sched.ReduceLROnPlateau(_opt(api), threshold_mode="x"),
    ),
    (
        "Plateau min_lr list",
        ValueError,
        lambda api: api.sched.ReduceLROnPlateau(_opt(api), min_lr=[0.1, 0.2]),
    ),
    ("WarmRestarts T_0", ValueError, lambda api: api.sched.CosineAnnealingWarmRestarts(_opt(api), T_0=0)),
    (
        "WarmRestarts T_mult",
        ValueError,
        lambda api: api.sched.CosineAnnealingWarmRestarts(_opt(api), 5, T_mult=0),
    ),
    ("LambdaLR count", ValueError, lambda api: api.sched.LambdaLR(_opt(api), [abs, abs])),
    ("Sequential milestones", ValueError, lambda api: _sequential(api, "milestones")),
    ("Sequential plateau", ValueError, lambda api: _sequential(api, "plateau")),
    ("Sequential other optimizer", ValueError, lambda api: _sequential(api, "optimizer")),
    ("not an optimizer", TypeError, lambda api: api.sched.StepLR(object(), step_size=2)),
]


@pytest.mark.parametrize(("case", "error", "build"), SCHEDULER_ERRORS, ids=[c[0] for c in SCHEDULER_ERRORS])
def test_scheduler_errors_match_torch(case: str, error: type, build: Callable) -> None:
    with pytest.raises(error):
        build(TORCH)
    with pytest.raises(error):
        build(OURS)


def test_a_scheduler_of_no_optimizer_names_the_argument() -> None:
    for build in (
        lambda: optimizers.StepLR(object(), step_size=2),
        lambda: optimizers.ReduceLROnPlateau(None),
        lambda: optimizers.ChainedScheduler([optimizers.StepLR(_opt(OURS), 2)], optimizer="sgd"),
    ):
        with pytest.raises(TypeError, match=r"optimizer: expected an Optimizer, got \w+"):
            build()


def test_clip_non_finite_error_names_the_norm() -> None:
    p = Tensor([1.0, 2.0])
    p.grad = np.array([np.nan, 1.0])
    with pytest.raises(RuntimeError, match="total norm of order 2.0 .* non-finite"):
        optimizers.clip_grad_norm([p], 1.0, error_if_nonfinite=True)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda p: optimizers.clip_grad_norm(p, 1.0, norm_type="fro"),
            ValueError,
            r"norm_type: expected .*'fro'.*2\.0",
        ),
        (
            lambda p: optimizers.clip_grad_norm(p, 1.0, norm_type=None),
            TypeError,
            "norm_type: expected a real",
        ),
        (
            lambda p: optimizers.clip_grad_norm(p, "1"),
            TypeError,
            r"max_norm: expected a real number, got str '1'",
        ),
        (lambda p: optimizers.clip_grad_norm(p, 1.0, error_if_nonfinite=1), TypeError, "error_if_nonfinite"),
        (lambda p: optimizers.clip_grad_value(p, None), TypeError, "clip_value: expected a real number"),
    ],
)
def test_clip_arguments_are_named(call: Callable, error: type, message: str) -> None:
    """torch raises ValueError for norm_type='fro' too (``float('fro')``), naming nothing."""
    p = Tensor([3.0, 4.0], requires_grad=True)
    p.grad = np.array([3.0, 4.0])
    with pytest.raises(error, match=message):
        call([p])
    np.testing.assert_array_equal(p.grad, [3.0, 4.0])


def test_clip_takes_norm_type_as_torch_does() -> None:
    p, t = Tensor([3.0, -4.0], requires_grad=True), torch.tensor([3.0, -4.0], requires_grad=True)
    for norm_type in ("inf", 1, np.float64(2.0)):
        p.grad, t.grad = np.array([3.0, -4.0]), torch.tensor([3.0, -4.0])
        expected = float(torch.nn.utils.clip_grad_norm_([t], 1.0, norm_type=norm_type))
        assert optimizers.clip_grad_norm([p], 1.0, norm_type=norm_type) == pytest.approx(expected, rel=1e-6)
