"""Optimizer API: the seed example, zero_grad, param groups, state and state dicts."""

from __future__ import annotations

import copy
import json
from typing import Any

import numpy as np
import pytest
from optimizer_problems import CUBE, cube

import optimizers
from autograd import Tensor, Value
from optimizers import SGD, Adam

ALL = ["SGD", "Adagrad", "RMSprop", "Adam", "AdamW", "Adamax", "NAdam", "RAdam", "Adadelta", "Lion"]


def test_one_sgd_step_on_the_single_neuron_example() -> None:
    """The seed's example: x = 1, W = 2, y = 3, y_hat = W * x, L = (y - y_hat)^2 / 2.

    The seed claims y_hat = 1.5 and W_new = 2.15, which contradicts its own
    inputs: W * x = 2 * 1 = 2, so L = 0.5, dL/dW = -(y - y_hat) * x = -1 and one
    SGD step with lr = 0.1 gives W = 2 - 0.1 * (-1) = 2.1. (2.15 is what
    y_hat = 1.5 would give.) The engine computes the gradient; SGD applies it.
    """
    x, W, y = Value(1.0), Value(2.0), Value(3.0)
    y_hat = W * x
    loss = 0.5 * (y - y_hat) ** 2
    loss.backward()
    assert (y_hat.data, loss.data, W.grad) == (2.0, 0.5, -1.0)
    SGD([W], lr=0.1).step()
    assert W.data == pytest.approx(2.1, abs=1e-15)
    assert x.data == 1.0  # only the optimized parameter moves


def test_optimizers_only_read_grad_and_write_data() -> None:
    p = Tensor([1.0, -2.0], requires_grad=True)
    p.grad = np.array([0.5, 4.0])  # whatever is in .grad is what the step uses
    SGD([p], lr=0.1).step()
    np.testing.assert_array_equal(p.data, [1.0 - 0.1 * 0.5, -2.0 - 0.1 * 4.0])
    np.testing.assert_array_equal(p.grad, [0.5, 4.0])


def test_zero_grad() -> None:
    v = Value(1.0)
    t32 = Tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    never = Tensor([1.0], requires_grad=True)
    opt = SGD([v, t32, never])
    (v * v).backward()
    (t32 * t32).sum().backward()
    opt.zero_grad(set_to_none=False)
    assert v.grad == 0.0 and never.grad is None
    assert t32.grad.dtype == np.float32 and not t32.grad.any()
    opt.zero_grad()
    assert v.grad == 0.0 and t32.grad is None


def test_changing_group_lr_takes_effect() -> None:
    p = Tensor([1.0], requires_grad=True)
    opt = SGD([p], lr=0.5)
    p.grad = np.array([1.0])
    opt.param_groups[0]["lr"] = 0.0
    opt.step()
    assert p.data[0] == 1.0
    opt.param_groups[0]["lr"] = 0.25
    opt.step()
    assert p.data[0] == 0.75


def test_step_returns_the_closure_loss() -> None:
    p = Value(3.0)
    opt = SGD([p], lr=0.1)

    def closure() -> float:
        opt.zero_grad()
        loss = p * p
        loss.backward()
        return loss.data

    assert opt.step(closure) == 9.0
    assert p.data == pytest.approx(3.0 - 0.1 * 6.0)


@pytest.mark.parametrize("name", ALL)
def test_state_is_explicit_per_parameter(name: str) -> None:
    """Step count and buffers per parameter; Tensors updated in place, Values stay floats."""
    a, b = Tensor([1.0, 2.0], requires_grad=True), Value(0.5)
    array = a.data
    opt = getattr(optimizers, name)([a, b], lr=0.1)
    for _ in range(3):
        opt.zero_grad()
        (a * a).sum().backward()
        (b * b * b).backward()
        opt.step()
    for p in (a, b):
        state = opt.state[p]
        assert state["step"] == 3 if name != "SGD" else "step" not in state  # (as torch's)
        for key, value in state.items():
            if isinstance(value, np.ndarray):
                assert value.shape == np.shape(p.data), key
    assert isinstance(b.data, float) and b.data != 0.5
    assert a.data is array and not np.array_equal(array, [1.0, 2.0])  # updated in place


def test_empty_group_and_add_param_group() -> None:
    opt = Adam([{"params": []}], lr=0.1)
    p = Tensor([1.0], requires_grad=True)
    opt.add_param_group({"params": p, "lr": 0.5})
    assert opt.param_groups[1]["params"] == [p] and opt.param_groups[1]["betas"] == (0.9, 0.999)


def _fresh(dtype: type = np.float64) -> tuple[Adam, list[Tensor]]:
    params = [
        Tensor(np.array([1.0, -2.0], dtype=dtype), requires_grad=True),
        Tensor(np.array([0.0], dtype=dtype), requires_grad=True),
    ]
    return Adam(params, lr=0.1, betas=(0.8, 0.9), amsgrad=True), params


def _train(opt: optimizers.Optimizer, params: list[Tensor], steps: int) -> None:
    w, b = params
    for _ in range(steps):
        opt.zero_grad()
        ((w * w).sum() + ((b - 3.0) ** 2).sum()).backward()
        opt.step()


def test_state_dict_shares_the_buffers_indexed_by_position_and_a_deepcopy_is_a_snapshot() -> None:
    """As torch's: the state's buffers are Tensors over the optimizer's own (a later step shows in
    them), ``copy.deepcopy`` keeps a snapshot; ``step`` is a 0-d Tensor (a copy here: torch's is
    live)."""
    opt, params = _fresh()
    _train(opt, params, 3)
    saved = opt.state_dict()
    snapshot = copy.deepcopy(saved)
    exp_avg = saved["state"][0]["exp_avg"]
    assert type(exp_avg) is Tensor and not exp_avg.requires_grad
    assert np.shares_memory(exp_avg.data, opt.state[params[0]]["exp_avg"])
    _train(opt, params, 1)
    np.testing.assert_array_equal(exp_avg.numpy(), opt.state[params[0]]["exp_avg"])
    assert not np.array_equal(snapshot["state"][0]["exp_avg"].numpy(), exp_avg.numpy())
    assert saved["param_groups"][0]["params"] == [0, 1]
    assert type(saved["state"][0]["step"]) is Tensor and saved["state"][0]["step"].item() == 3.0


def test_load_state_dict_resumes_exactly_and_casts_to_param_dtype() -> None:
    opt, straight = _fresh()
    _train(opt, straight, 20)

    opt, params = _fresh()
    _train(opt, params, 10)
    resumed_opt, resumed = _fresh()
    for p, q in zip(resumed, params):
        p.data = q.data.copy()
    resumed_opt.load_state_dict(opt.state_dict())
    assert resumed_opt.param_groups[0]["betas"] == (0.8, 0.9)
    _train(resumed_opt, resumed, 10)
    for a, b in zip(straight, resumed):
        np.testing.assert_array_equal(a.data, b.data)

    opt32, params32 = _fresh(np.float32)
    opt32.load_state_dict(opt.state_dict())
    assert opt32.state[params32[0]]["exp_avg"].dtype == np.float32


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


@pytest.mark.parametrize("name", ["Rprop", "ASGD", "Adafactor"])
def test_state_dict_resume_continues_exactly(name: str) -> None:
    """Save after 20 steps (through JSON), load into a fresh optimizer on copies of
    the parameters, continue: the parameters equal an uninterrupted 40-step run."""
    cls = getattr(optimizers, name)
    full = [Tensor(a, requires_grad=True) for a in CUBE.init]
    _run_cube(cls(full, lr=1e-2), full, 40)

    params = [Tensor(a, requires_grad=True) for a in CUBE.init]
    opt = cls(params, lr=1e-2)
    _run_cube(opt, params, 20)
    saved = copy.deepcopy(opt.state_dict())  # (its buffers are the optimizer's own, as torch's)
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


@pytest.mark.parametrize("name", [*ALL, "Rprop", "ASGD", "Adafactor"])
def test_a_closure_returning_none_steps_like_torch_and_a_non_callable_is_refused(name: str) -> None:
    """Only LBFGS needs the loss (see test_lbfgs.py); the others return what the closure returns."""
    p = Tensor([1.0, -2.0], requires_grad=True)
    opt = getattr(optimizers, name)([p])

    def closure() -> None:
        opt.zero_grad()
        (p * p).sum().backward()

    assert opt.step(closure) is None
    assert np.all(p.data != [1.0, -2.0])
    with pytest.raises(TypeError, match=r"closure: expected a callable .*, or None; got int"):
        opt.step(42)


def test_a_subclass_rule_is_used_by_sgds_own_step() -> None:
    """SGD updates a Tensor without the base class's per-parameter path; a subclass that writes its
    own ``_update`` still gets it called (and its numbers), with and without momentum."""
    calls = []

    class Halved(optimizers.SGD):
        def _update(self, param: Any, grad: Any, state: dict, group: dict) -> None:
            calls.append(param.shape)
            super()._update(param, grad * 0.5, state, group)

    for momentum in (0.0, 0.9):
        a, b = Tensor([1.0, 2.0], requires_grad=True), Tensor([1.0, 2.0], requires_grad=True)
        mine, plain = Halved([a], lr=0.1, momentum=momentum), optimizers.SGD([b], lr=0.05, momentum=momentum)
        for _ in range(3):
            for p, opt in ((a, mine), (b, plain)):
                opt.zero_grad()
                (p * p).sum().backward()
                opt.step()
        np.testing.assert_allclose(a.data, b.data, rtol=1e-12)
    assert calls == [(2,)] * 6
