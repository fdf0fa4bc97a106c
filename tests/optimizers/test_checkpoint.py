"""Saving and resuming: a resumed run follows the uninterrupted trajectory exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from autograd import Tensor, Value
from optimizers import (
    SGD,
    Adam,
    ExponentialLR,
    OneCycleLR,
    RMSprop,
    SequentialLR,
    StepLR,
    load_checkpoint,
    save_checkpoint,
)

_rng = np.random.default_rng(3)
X, Y = Tensor(_rng.normal(size=(12, 3))), Tensor(_rng.normal(size=(12, 1)))
INIT = [_rng.normal(size=(3, 5)), np.zeros(5), _rng.normal(size=(5, 1)), np.zeros(1)]


def loss(params: list[Tensor]) -> Tensor:
    W1, b1, W2, b2 = params
    return (((X @ W1 + b1).tanh() @ W2 + b2 - Y) ** 2).mean()


def adam_onecycle(params: list[Any]) -> tuple[Any, Any]:
    opt = Adam(params, lr=1e-2, amsgrad=True, weight_decay=1e-3)
    return opt, OneCycleLR(opt, max_lr=0.05, total_steps=60)


def sgd_sequential(params: list[Any]) -> tuple[Any, Any]:
    opt = SGD(params, lr=0.05, momentum=0.9, nesterov=True)
    steps = StepLR(opt, step_size=10, gamma=0.5)
    return opt, SequentialLR(opt, [steps, ExponentialLR(opt, gamma=0.9)], milestones=[30])


def train(params: list[Tensor], opt: Any, sched: Any, steps: int) -> None:
    for _ in range(steps):
        opt.zero_grad()
        loss(params).backward()
        opt.step()
        sched.step()


@pytest.mark.parametrize("setup", [adam_onecycle, sgd_sequential])
def test_resume_gives_exactly_the_uninterrupted_trajectory(setup: Any, tmp_path: Path) -> None:
    straight = [Tensor(a, requires_grad=True) for a in INIT]
    train(straight, *setup(straight), 60)

    first = [Tensor(a, requires_grad=True) for a in INIT]
    opt, sched = setup(first)
    train(first, opt, sched, 25)
    path = tmp_path / "run.npz"
    save_checkpoint(path, first, opt, sched, epoch=25, note="halfway")
    train(first, opt, sched, 5)  # keeps going after saving; must not leak into the file

    resumed = [Tensor(a, requires_grad=True) for a in INIT]
    opt2, sched2 = setup(resumed)
    assert load_checkpoint(path, resumed, opt2, sched2) == {"epoch": 25, "note": "halfway"}
    assert opt2.state[resumed[0]].get("step", 25) == 25  # (SGD counts no steps, as torch's)
    assert set(opt2.state[resumed[0]]) == set(opt.state[first[0]])
    train(resumed, opt2, sched2, 35)
    for a, b in zip(straight, resumed):
        np.testing.assert_array_equal(a.data, b.data)
    assert not np.array_equal(straight[0].data, INIT[0])


def test_file_holds_plain_arrays_and_loads_without_pickle(tmp_path: Path) -> None:
    params = [Tensor(a, requires_grad=True) for a in INIT]
    opt, sched = adam_onecycle(params)
    train(params, opt, sched, 3)
    path = tmp_path / "ckpt.npz"
    save_checkpoint(path, params, opt, sched)
    with np.load(path, allow_pickle=False) as npz:
        assert all(npz[name].dtype != object for name in npz.files)
        assert npz["__meta__"].dtype.kind == "U"
        assert "optimizer/state/0/exp_avg" in npz.files and "params/3" in npz.files


def test_values_and_float32_round_trip(tmp_path: Path) -> None:
    a, b = Value(1.0), Value(-2.0)
    w = Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    opt = RMSprop([a, b, w], lr=0.1, momentum=0.5, centered=True)
    ((a * b) ** 2).backward()
    (w * w * w).sum().backward()
    opt.step()
    save_checkpoint(tmp_path / "c.npz", [a, b, w], opt)

    a2, b2, w2 = Value(0.0), Value(0.0), Tensor(np.zeros(3, dtype=np.float32), requires_grad=True)
    opt2 = RMSprop([a2, b2, w2], lr=0.5)
    load_checkpoint(tmp_path / "c.npz", [a2, b2, w2], opt2)
    assert (a2.data, b2.data) == (a.data, b.data) and isinstance(a2.data, float)
    assert w2.data.dtype == np.float32 and opt2.state[w2]["square_avg"].dtype == np.float32
    np.testing.assert_array_equal(w2.data, w.data)
    assert opt2.param_groups[0]["lr"] == 0.1 and opt2.param_groups[0]["centered"] is True


def test_mismatches_are_reported(tmp_path: Path) -> None:
    params = [Tensor(a, requires_grad=True) for a in INIT]
    path = tmp_path / "p.npz"
    save_checkpoint(path, params)
    with pytest.raises(ValueError, match="4 parameters, but 3 were given"):
        load_checkpoint(path, params[:3])
    with pytest.raises(ValueError, match=r"member 'params/0': expected shape \(5, 3\), got \(3, 5\)"):
        load_checkpoint(path, [Tensor(np.zeros((5, 3)))] + params[1:])
    with pytest.raises(ValueError, match="no optimizer state"):
        load_checkpoint(path, params, SGD(params))
