"""Every schedule produces torch's learning rates (and, where it cycles them, torch's
momenta), float for float, over 150 steps; a resumed schedule continues exactly.

Both optimizers have two param groups (lr 0.1 and 0.02); the lrs and momenta of
every group and ``get_last_lr()`` are recorded before each scheduler step and must
equal torch's exactly.
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


def _ours(kind: str) -> optimizers.Optimizer:
    groups = [{"params": [Value(0.0)]}, {"params": [Value(0.0)], "lr": 0.02}]
    return getattr(optimizers, kind)(groups, lr=0.1, **({"momentum": 0.9} if kind == "SGD" else {}))


def _torch(kind: str) -> torch.optim.Optimizer:
    groups = [
        {"params": [torch.zeros(1, requires_grad=True)]},
        {"params": [torch.zeros(1, requires_grad=True)], "lr": 0.02},
    ]
    return getattr(torch.optim, kind)(groups, lr=0.1, **({"momentum": 0.9} if kind == "SGD" else {}))


def trace(opt: Any, sched: Any, steps: int, start: int = 0) -> list[tuple]:
    """(lrs, momenta, last_lr) per step, stepping optimizer then scheduler."""
    out = []
    for t in range(start, start + steps):
        momenta = [g["betas"][0] if "betas" in g else g.get("momentum") for g in opt.param_groups]
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


def _chained(m: Any, o: Any) -> Any:
    return m.ChainedScheduler([m.ConstantLR(o, factor=0.1, total_iters=10), m.ExponentialLR(o, gamma=0.98)])


def _chained_three(m: Any, o: Any) -> Any:
    return m.ChainedScheduler(
        [
            m.MultiplicativeLR(o, lambda t: 0.99),
            m.PolynomialLR(o, total_iters=120, power=0.5),
            m.StepLR(o, step_size=25, gamma=0.5),
        ],
        optimizer=o,
    )


def _sequential_constant_polynomial(m: Any, o: Any) -> Any:
    return m.SequentialLR(
        o,
        [m.ConstantLR(o, factor=0.2, total_iters=4), m.PolynomialLR(o, total_iters=60, power=2.0)],
        milestones=[15],
    )


def _sequential_chained(m: Any, o: Any) -> Any:
    chained = m.ChainedScheduler([m.ConstantLR(o, factor=0.5, total_iters=3), m.ExponentialLR(o, 0.9)])
    return m.SequentialLR(o, [chained, m.CyclicLR(o, 0.01, 0.1, step_size_up=4)], milestones=[10])


def _halve_every_tenth(t: int) -> float:
    return 0.5 if t % 10 == 0 else 1.0


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
    "ConstantLR": (lambda m, o: m.ConstantLR(o), "SGD"),
    "ConstantLR-custom": (lambda m, o: m.ConstantLR(o, factor=0.25, total_iters=40), "Adam"),
    "PolynomialLR": (lambda m, o: m.PolynomialLR(o), "SGD"),
    "PolynomialLR-square": (lambda m, o: m.PolynomialLR(o, total_iters=100, power=2.0), "Adam"),
    "PolynomialLR-sqrt": (lambda m, o: m.PolynomialLR(o, total_iters=149, power=0.5), "SGD"),
    "MultiplicativeLR": (lambda m, o: m.MultiplicativeLR(o, lambda t: 0.97), "SGD"),
    "MultiplicativeLR-per-group": (
        lambda m, o: m.MultiplicativeLR(o, [_halve_every_tenth, lambda t: 1.0 + 0.01 * (t % 3 - 1)]),
        "Adam",
    ),
    "CyclicLR-triangular-SGD": (
        lambda m, o: m.CyclicLR(o, base_lr=[0.01, 0.002], max_lr=[0.1, 0.05], step_size_up=10),
        "SGD",
    ),
    "CyclicLR-triangular2-Adam": (
        lambda m, o: m.CyclicLR(
            o, 0.01, 0.1, step_size_up=7, step_size_down=13, mode="triangular2", base_momentum=[0.8, 0.7]
        ),
        "Adam",
    ),
    "CyclicLR-exp_range": (
        lambda m, o: m.CyclicLR(o, 0.001, 0.1, step_size_up=5, mode="exp_range", gamma=0.99),
        "SGD",
    ),
    "CyclicLR-no-momentum": (
        lambda m, o: m.CyclicLR(o, 0.001, 0.1, step_size_up=9, step_size_down=3, cycle_momentum=False),
        "Adagrad",
    ),
    "CyclicLR-scale_fn-cycle": (
        lambda m, o: m.CyclicLR(o, 0.01, 0.1, step_size_up=6, scale_fn=lambda c: 1 / c),
        "SGD",
    ),
    "CyclicLR-scale_fn-iterations": (
        lambda m, o: m.CyclicLR(
            o, 0.01, 0.1, step_size_up=8, scale_fn=lambda t: 0.5 ** (t / 50), scale_mode="iterations"
        ),
        "Adam",
    ),
    "ChainedScheduler": (_chained, "SGD"),
    "ChainedScheduler-three": (_chained_three, "Adam"),
    "SequentialLR-Constant-Polynomial": (_sequential_constant_polynomial, "SGD"),
    "SequentialLR-Chained-Cyclic": (_sequential_chained, "Adam"),
}


# torch warns (wrongly) when SequentialLR starts with a ChainedScheduler
@pytest.mark.filterwarnings("ignore:Detected call of `lr_scheduler.step\\(\\)`:UserWarning")
@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_schedule_matches_torch_exactly(name: str) -> None:
    factory, kind = SCHEDULES[name]
    opt, t_opt = _ours(kind), _torch(kind)
    ours = trace(opt, factory(osched, opt), STEPS)
    theirs = trace(t_opt, factory(tsched, t_opt), STEPS)
    assert ours == theirs
    distinct = 2 if name.startswith("ConstantLR") else 3
    assert len({lrs[0] for lrs, _, _ in ours}) >= distinct, "schedule barely changed the lr"


def test_every_scheduler_is_covered_and_reexported() -> None:
    tested = {n.split("-")[0] for n in SCHEDULES}
    classes = {n for n in optimizers.__all__ if n.endswith(("LR", "Restarts", "Plateau", "Scheduler"))}
    assert classes - {"LRScheduler"} == tested
    assert all(getattr(optimizers, n) is getattr(osched, n) for n in classes)


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


def test_lambdas_and_scale_fn_are_left_out_of_the_state_dict() -> None:
    opt = _ours("SGD")
    state = osched.LambdaLR(opt, lambda t: 0.5**t).state_dict()
    assert "lr_lambdas" not in state and state["base_lrs"] == [0.1, 0.02]
    assert "lr_lambdas" not in osched.MultiplicativeLR(opt, lambda t: 0.9).state_dict()
    state = osched.CyclicLR(opt, 0.01, 0.1, scale_fn=lambda c: 1.0).state_dict()
    assert "_scale_fn_custom" not in state and state["max_lrs"] == [0.1, 0.1]


def test_lr_at_gives_the_schedule_without_an_optimizer() -> None:
    lrs = osched.lr_at(osched.CosineAnnealingLR, 120, base_lr=0.1, T_max=50, eta_min=0.001)
    t_opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    t_sched = tsched.CosineAnnealingLR(t_opt, T_max=50, eta_min=0.001)
    assert lrs == [lrs_t[0] for lrs_t, _, _ in trace(t_opt, t_sched, 120)]
    steps = optimizers.lr_at(lambda opt: osched.StepLR(opt, step_size=10, gamma=0.5), 30, base_lr=1.0)
    assert steps == [1.0] * 10 + [0.5] * 10 + [0.25] * 10
    lrs = osched.lr_at(lambda opt: osched.CyclicLR(opt, 0.1, 1.0, step_size_up=3), 12)
    assert lrs == pytest.approx([0.1, 0.4, 0.7, 1.0, 0.7, 0.4] * 2, rel=1e-12)
    assert osched.lr_at(osched.ConstantLR, 4, base_lr=1.0, factor=0.5, total_iters=2) == [0.5, 0.5, 1.0, 1.0]


class _Triangular2OffByOne(osched.CyclicLR):
    """A deliberately wrong CyclicLR: triangular2 halves from the first cycle on."""

    def scale_fn(self, x: float) -> float:
        return 1 / (2.0**x)


def test_the_comparison_catches_a_wrong_rule() -> None:
    opt, t_opt = _ours("SGD"), _torch("SGD")
    ours = trace(opt, _Triangular2OffByOne(opt, 0.01, 0.1, step_size_up=5, mode="triangular2"), 30)
    theirs = trace(t_opt, tsched.CyclicLR(t_opt, 0.01, 0.1, step_size_up=5, mode="triangular2"), 30)
    assert ours[0] == theirs[0] and ours != theirs


def test_chained_scheduler_after_a_milestone_is_refused_clearly() -> None:
    def build(m: Any, o: Any) -> Any:
        chained = m.ChainedScheduler([m.ExponentialLR(o, 0.9)])
        return m.SequentialLR(o, [m.StepLR(o, 3), chained], milestones=[2])

    t_opt, opt = _torch("SGD"), _ours("SGD")
    with pytest.raises(NotImplementedError):
        trace(t_opt, build(tsched, t_opt), 3)
    with pytest.raises(NotImplementedError, match="first scheduler of a SequentialLR"):
        trace(opt, build(osched, opt), 3)


def _opt(api: Any, kind: str = "SGD") -> Any:
    if api is torch:
        return _torch(kind)
    return _ours(kind)


ERRORS = [
    ("ConstantLR factor", ValueError, "factor", lambda m, api: m.ConstantLR(_opt(api), factor=1.5)),
    (
        "PolynomialLR total_iters",
        None,
        "total_iters",
        lambda m, api: m.PolynomialLR(_opt(api), total_iters=0),
    ),
    ("MultiplicativeLR count", ValueError, "lr_lambdas", lambda m, api: m.MultiplicativeLR(_opt(api), [abs])),
    ("CyclicLR mode", ValueError, "mode", lambda m, api: m.CyclicLR(_opt(api), 0.1, 1.0, mode="cos")),
    ("CyclicLR max_lr", ValueError, "max_lr", lambda m, api: m.CyclicLR(_opt(api), 0.1, [1.0, 2.0, 3.0])),
    (
        "CyclicLR momentum",
        ValueError,
        "momentum",
        lambda m, api: m.CyclicLR(_opt(api, "Adagrad"), 0.1, 1.0),
    ),
    ("CyclicLR step_size_up", None, "step_size_up", lambda m, api: m.CyclicLR(_opt(api), 0.1, 1.0, 0)),
    ("Chained empty", ValueError, "at least one", lambda m, api: m.ChainedScheduler([])),
    (
        "Chained other optimizer",
        ValueError,
        "same optimizer",
        lambda m, api: m.ChainedScheduler([m.StepLR(_opt(api), 2), m.StepLR(_opt(api), 3)]),
    ),
    (
        "Chained plateau",
        ValueError,
        "ReduceLROnPlateau",
        lambda m, api: m.ChainedScheduler([m.ReduceLROnPlateau(_opt(api))]),
    ),
]


@pytest.mark.parametrize(("case", "torch_error", "match", "build"), ERRORS, ids=[c[0] for c in ERRORS])
def test_bad_arguments_name_the_argument(case: str, torch_error: type | None, match: str, build: Any) -> None:
    """torch raises the same exception type (None: torch accepts it and fails later
    with ZeroDivisionError, or never); ours names the argument."""
    if torch_error is not None:
        with pytest.raises(torch_error):
            build(tsched, torch)
    with pytest.raises(ValueError, match=match):
        build(osched, None)
