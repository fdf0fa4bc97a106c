"""A state dict saved by a torch optimizer, its tensors turned into numpy arrays, loads into this
library's optimizer of the same name as it is (torch's implementation keys ``foreach``, ``fused``,
``capturable`` and ``differentiable`` at their off values, a ``step`` kept as a float tensor), and
the next steps give torch's numbers."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import optimizers
from autograd import Tensor

pytestmark = pytest.mark.usefixtures("torch_float64")

NAMES = [n for n in optimizers.__all__ if hasattr(torch.optim, n) and n not in ("Optimizer", "LBFGS")]
OPTIONS: dict[str, dict[str, Any]] = {"SGD": {"momentum": 0.9}, "Adam": {"amsgrad": True}}


def _as_numpy(saved: dict[str, Any]) -> dict[str, Any]:
    state = {
        i: {k: v.numpy() if isinstance(v, torch.Tensor) else v for k, v in s.items()}
        for i, s in saved["state"].items()
    }
    return {"state": state, "param_groups": saved["param_groups"]}


@pytest.mark.parametrize("name", NAMES)
def test_torchs_state_dict_loads_as_it_is_and_goes_on(name: str) -> None:
    rng = np.random.default_rng(0)
    options = {"lr": 0.01, **OPTIONS.get(name, {})}
    theirs = torch.tensor(rng.standard_normal((3, 4)), requires_grad=True)
    t_opt = getattr(torch.optim, name)([theirs], **options)
    for _ in range(2):
        theirs.grad = torch.tensor(rng.standard_normal((3, 4)))
        t_opt.step()
    saved = t_opt.state_dict()
    if name not in ("Adafactor", "Muon"):  # (whose torch groups have no implementation keys)
        assert {"foreach", "differentiable"} <= set(saved["param_groups"][0])
    ours = Tensor(theirs.detach().numpy().copy(), requires_grad=True)
    o_opt = getattr(optimizers, name)([ours], lr=0.5)
    o_opt.load_state_dict(_as_numpy(saved))
    assert o_opt.param_groups[0]["lr"] == 0.01
    assert not {"foreach", "fused", "capturable", "differentiable"} & set(o_opt.param_groups[0])
    for _ in range(2):
        g = rng.standard_normal((3, 4))
        theirs.grad, ours.grad = torch.tensor(g), Tensor(g.copy())
        t_opt.step()
        o_opt.step()
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-13, atol=1e-15)
    for key, value in t_opt.state[theirs].items():
        np.testing.assert_allclose(
            np.asarray(o_opt.state[ours][key], float), np.asarray(value, float), rtol=1e-13
        )


@pytest.mark.parametrize(
    ("key", "value"), [("foreach", True), ("fused", True), ("capturable", True), ("differentiable", True)]
)
def test_an_implementation_that_is_asked_for_is_refused_and_nothing_changes(key: str, value: bool) -> None:
    w = Tensor(np.ones((2, 2)), requires_grad=True)
    opt = optimizers.Adam([w], lr=0.1)
    saved = _as_numpy(torch.optim.Adam([torch.ones(2, 2, requires_grad=True)], lr=0.3).state_dict())
    saved["param_groups"][0][key] = value
    with pytest.raises(
        ValueError, match=rf"param_groups\[0\]: {key}: expected .* \(torch's choice of implementation"
    ):
        opt.load_state_dict(saved)
    assert opt.param_groups[0]["lr"] == 0.1


def test_a_step_count_that_is_not_whole_is_refused() -> None:
    w = Tensor(np.ones(2), requires_grad=True)
    opt = optimizers.Adam([w])
    saved = {
        "state": {0: {"step": np.array(2.5), "exp_avg": np.zeros(2), "exp_avg_sq": np.zeros(2)}},
        "param_groups": opt.state_dict()["param_groups"],
    }
    with pytest.raises(ValueError, match=r"step: expected a whole number of steps, got 2.5"):
        opt.load_state_dict(saved)
    saved["state"][0]["step"] = np.array(2.0, np.float32)  # (torch's step tensor, as numpy)
    opt.load_state_dict(saved)
    assert opt.state[w]["step"] == 2 and type(opt.state[w]["step"]) is int
