"""Every schedule produces torch's learning rates, float for float, over >= 100 steps.

Both optimizers have two param groups (lr 0.1 and 0.02); the lr of every group
is recorded before each scheduler step and must equal torch's exactly.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import pytest
import torch
from torch.optim import lr_scheduler as tsched

import optimizers
from autograd import Value
from optimizers import lr_scheduler as osched

STEPS = 150


def losses(t: int) -> float:
    """A fixed metric sequence for ReduceLROnPlateau: improves, plateaus, jitters."""
    return 1.0 / (1 + t) if t < 40 else 0.025 + 0.001 * ((7 * t) % 5) - 1e-5 * t


def _ours(optimizer: str) -> optimizers.Optimizer:
    groups = [{"params": [Value(0.0)]}, {"params": [Value(0.0)], "lr": 0.02}]
    if optimizer == "SGD":
        return optimizers.SGD(groups, lr=0.1, momentum=0.9)
    return optimizers.Adam(groups, lr=0.1)


def _torch(optimizer: str) -> torch.optim.Optimizer:
    groups = [
        {"params": [torch.zeros(1, requires_grad=True)]},
        {"params": [torch.zeros(1, requires_grad=True)], "lr": 0.02},
    ]
    if optimizer == "SGD":
        return torch.optim.SGD(groups, lr=0.1, momentum=0.9)
    return torch.optim.Adam(groups, lr=0.1)


def trace(opt: Any, sched: Any, steps: int, start: int = 0) -> list[tuple]:
    """(lrs, momenta, last_lr) per step, stepping optimizer then scheduler."""
    out = []
    for t in range(start, start + steps):
        momenta = [g["betas"][0] if "betas" in g else g["momentum"] for g in opt.param_groups]
        out.append(([g["lr"] for g in opt.param_groups], momenta, list(sched.get_last_lr())))
        opt.step()
        if isinstance(sched, (osched.ReduceLROnPlateau, tsched.ReduceLROnPlateau)):
            sched.step(losses(t))
        else:
            sched.step()
    return out


def _sequential(mod: Any, opt: Any) -> Any:
    return mod.SequentialLR(
        opt,
        [
            mod.LinearLR(opt, start_factor=0.1, total_iters=10),
            mod.CosineAnnealingLR(opt, T_max=50, eta_min=1e-3),
            mod.ExponentialLR(opt, gamma=0.95),
        ],
        milestones=[10, 60],
    )


def _sequential_restarts(mod: Any, opt: Any) -> Any:
    return mod.SequentialLR(
        opt,
        [mod.StepLR(opt, step_size=5), mod.CosineAnnealingWarmRestarts(opt, T_0=7, T_mult=2)],
        milestones=[20],
    )


# name -> (factory(module, optimizer), optimizer kind)
SCHEDULES: dict[str, tuple[Callable[[Any, Any], Any], str]] = {
    "StepLR": (lambda m, o: m.StepLR(o, step_size=7, gamma=0.5), "SGD"),
    "MultiStepLR": (lambda m, o: m.MultiStepLR(o, milestones=[80, 10, 30, 30], gamma=0.3), "SGD"),
    "ExponentialLR": (lambda m, o: m.ExponentialLR(o, gamma=0.97), "Adam"),
    "CosineAnnealingLR": (lambda m, o: m.CosineAnnealingLR(o, T_max=40, eta_min=1e-3), "SGD"),
    "CosineAnnealingLR-no-eta": (lambda m, o: m.CosineAnnealingLR(o, T_max=33), "SGD"),
    "CosineAnnealingWarmRestarts": (lambda m, o: m.CosineAnnealingWarmRestarts(o, T_0=10), "SGD"),
    "CosineAnnealingWarmRestarts-Tmult": (
        lambda m, o: m.CosineAnnealingWarmRestarts(o, T_0=5, T_mult=2, eta_min=1e-4),
        "Adam",
    ),
    "LinearLR": (lambda m, o: m.LinearLR(o), "SGD"),
    "LinearLR-custom": (
        lambda m, o: m.LinearLR(o, start_factor=0.1, end_factor=0.7, total_iters=40),
        "SGD",
    ),
    "OneCycleLR-cos-SGD": (lambda m, o: m.OneCycleLR(o, max_lr=[1.0, 0.5], total_steps=STEPS), "SGD"),
    "OneCycleLR-linear-Adam": (
        lambda m, o: m.OneCycleLR(
            o, max_lr=0.3, epochs=10, steps_per_epoch=15, anneal_strategy="linear", pct_start=0.25
        ),
        "Adam",
    ),
    "OneCycleLR-three-phase": (
        lambda m, o: m.OneCycleLR(
            o, max_lr=0.3, total_steps=STEPS, three_phase=True, div_factor=10.0, final_div_factor=100.0
        ),
        "SGD",
    ),
    "OneCycleLR-no-momentum": (
        lambda m, o: m.OneCycleLR(o, max_lr=0.3, total_steps=STEPS, cycle_momentum=False),
        "Adam",
    ),
    "ReduceLROnPlateau": (lambda m, o: m.ReduceLROnPlateau(o, patience=3, factor=0.5), "SGD"),
    "ReduceLROnPlateau-abs-cooldown": (
        lambda m, o: m.ReduceLROnPlateau(
            o, threshold=1e-3, threshold_mode="abs", cooldown=4, patience=2, min_lr=[1e-3, 1e-2]
        ),
        "Adam",
    ),
    "ReduceLROnPlateau-max": (
        lambda m, o: m.ReduceLROnPlateau(o, mode="max", patience=5, factor=0.7, eps=1e-3),
        "SGD",
    ),
    "LambdaLR": (lambda m, o: m.LambdaLR(o, lambda t: 0.97**t * (1 + t % 3)), "SGD"),
    "LambdaLR-per-group": (
        lambda m, o: m.LambdaLR(o, [lambda t: 1 / (1 + t), lambda t: math.cos(t / 10) ** 2]),
        "SGD",
    ),
    "SequentialLR": (_sequential, "SGD"),
    "SequentialLR-restarts": (_sequential_restarts, "Adam"),
}


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_schedule_matches_torch_exactly(name: str) -> None:
    factory, kind = SCHEDULES[name]
    opt, t_opt = _ours(kind), _torch(kind)
    ours = trace(opt, factory(osched, opt), STEPS)
    theirs = trace(t_opt, factory(tsched, t_opt), STEPS)
    assert ours == theirs
    assert len({lrs[0] for lrs, _, _ in ours}) >= 3, "schedule barely changed the lr"


def test_every_scheduler_is_covered_and_reexported() -> None:
    tested = {n.split("-")[0] for n in SCHEDULES}
    classes = {n for n in optimizers.__all__ if n.endswith(("LR", "Restarts", "Plateau"))}
    elsewhere = {"ConstantLR", "PolynomialLR", "MultiplicativeLR", "CyclicLR"}  # test_new_schedulers_vs_torch
    assert classes - {"LRScheduler"} - elsewhere <= tested
    assert optimizers.StepLR is osched.StepLR


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_state_dict_resume_continues_the_schedule(name: str) -> None:
    """Stop after 37 steps, save both state dicts (the scheduler's through JSON),
    rebuild, load, continue: the lrs equal an uninterrupted run."""
    factory, kind = SCHEDULES[name]
    opt = _ours(kind)
    full = trace(opt, factory(osched, opt), 80)

    opt = _ours(kind)
    sched = factory(osched, opt)
    first = trace(opt, sched, 37)
    opt_state, sched_state = opt.state_dict(), json.loads(json.dumps(sched.state_dict()))
    opt = _ours(kind)
    sched = factory(osched, opt)
    opt.load_state_dict(opt_state)
    sched.load_state_dict(sched_state)
    assert first + trace(opt, sched, 43, start=37) == full


def test_lambda_lr_state_dict_leaves_out_the_lambdas() -> None:
    opt = _ours("SGD")
    state = osched.LambdaLR(opt, lambda t: 0.5**t).state_dict()
    assert "lr_lambdas" not in state and state["base_lrs"] == [0.1, 0.02]


def test_lr_at_gives_the_schedule_without_an_optimizer() -> None:
    lrs = osched.lr_at(osched.CosineAnnealingLR, 120, base_lr=0.1, T_max=50, eta_min=0.001)
    t_opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    t_sched = tsched.CosineAnnealingLR(t_opt, T_max=50, eta_min=0.001)
    assert lrs == [lrs_t[0] for lrs_t, _, _ in trace(t_opt, t_sched, 120)]
    steps = optimizers.lr_at(lambda opt: osched.StepLR(opt, step_size=10, gamma=0.5), 30, base_lr=1.0)
    assert steps == [1.0] * 10 + [0.5] * 10 + [0.25] * 10
