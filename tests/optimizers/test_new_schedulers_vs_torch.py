"""ConstantLR, PolynomialLR, MultiplicativeLR, CyclicLR and ChainedScheduler produce
torch's learning rates (and CyclicLR torch's momenta), float for float, over 150 steps.

Same set-up as test_lr_scheduler.py: two param groups (lr 0.1 and 0.02); the lrs
and momenta of every group and ``get_last_lr()`` are recorded before each step.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import torch
from torch.optim import lr_scheduler as tsched

import optimizers
from autograd import Value
from optimizers import lr_scheduler as osched

STEPS = 150


def _ours(kind: str) -> optimizers.Optimizer:
    groups = [{"params": [Value(0.0)]}, {"params": [Value(0.0)], "lr": 0.02}]
    return getattr(optimizers, kind)(groups, lr=0.1, **({"momentum": 0.9} if kind == "SGD" else {}))


def _torch(kind: str) -> torch.optim.Optimizer:
    groups = [
        {"params": [torch.zeros(1, requires_grad=True)]},
        {"params": [torch.zeros(1, requires_grad=True)], "lr": 0.02},
    ]
    return getattr(torch.optim, kind)(groups, lr=0.1, **({"momentum": 0.9} if kind == "SGD" else {}))


def trace(opt: Any, sched: Any, steps: int) -> list[tuple]:
    """(lrs, momenta, last_lr) per step, stepping optimizer then scheduler."""
    out = []
    for _ in range(steps):
        momenta = [g["betas"][0] if "betas" in g else g.get("momentum") for g in opt.param_groups]
        out.append(([g["lr"] for g in opt.param_groups], momenta, list(sched.get_last_lr())))
        opt.step()
        sched.step()
    return out


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


def _sequential(m: Any, o: Any) -> Any:
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
    "SequentialLR-Constant-Polynomial": (_sequential, "SGD"),
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


def test_every_new_scheduler_is_covered_and_reexported() -> None:
    new = {"ConstantLR", "PolynomialLR", "MultiplicativeLR", "CyclicLR", "ChainedScheduler"}
    assert new <= {n.split("-")[0] for n in SCHEDULES}
    assert all(getattr(optimizers, n) is getattr(osched, n) for n in new)


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
    assert first + trace(opt, sched, 43) == full


class _Triangular2OffByOne(osched.CyclicLR):
    """A deliberately wrong CyclicLR: triangular2 halves from the first cycle on."""

    def scale_fn(self, x: float) -> float:
        return 1 / (2.0**x)


def test_the_comparison_catches_a_wrong_rule() -> None:
    opt, t_opt = _ours("SGD"), _torch("SGD")
    ours = trace(opt, _Triangular2OffByOne(opt, 0.01, 0.1, step_size_up=5, mode="triangular2"), 30)
    theirs = trace(t_opt, tsched.CyclicLR(t_opt, 0.01, 0.1, step_size_up=5, mode="triangular2"), 30)
    assert ours[0] == theirs[0] and ours != theirs


def test_lambdas_and_scale_fn_are_left_out_of_the_state_dict() -> None:
    opt = _ours("SGD")
    assert "lr_lambdas" not in osched.MultiplicativeLR(opt, lambda t: 0.9).state_dict()
    state = osched.CyclicLR(opt, 0.01, 0.1, scale_fn=lambda c: 1.0).state_dict()
    assert "_scale_fn_custom" not in state and state["max_lrs"] == [0.1, 0.1]


def test_lr_at_knows_the_new_schedules() -> None:
    lrs = osched.lr_at(lambda opt: osched.CyclicLR(opt, 0.1, 1.0, step_size_up=3), 12)
    expected = [0.1, 0.4, 0.7, 1.0, 0.7, 0.4] * 2
    assert lrs == pytest.approx(expected, rel=1e-12)
    assert osched.lr_at(osched.ConstantLR, 4, base_lr=1.0, factor=0.5, total_iters=2) == [0.5, 0.5, 1.0, 1.0]


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
