"""A state dict saved by a torch optimizer, as torch's tensors or turned into numpy arrays, loads
into this library's optimizer of the same name as it is (torch's implementation keys ``foreach``,
``fused``, ``capturable`` and ``differentiable`` at their off values, a ``step`` kept as a float
tensor), and the next steps give torch's numbers. This library's ``state_dict()`` holds what
torch's holds: Tensors of torch's dtypes, shapes and numbers, the buffers over the optimizer's own
arrays."""

from __future__ import annotations

import copy
import io
from typing import Any

import numpy as np
import pytest
import torch

import autograd
import optimizers
from autograd import Tensor

pytestmark = pytest.mark.usefixtures("torch_float64")

NAMES = [n for n in optimizers.__all__ if hasattr(torch.optim, n) and n not in ("Optimizer", "LBFGS")]
TORCH_KEYS = ("foreach", "fused", "capturable", "differentiable")
OPTIONS: dict[str, dict[str, Any]] = {"SGD": {"momentum": 0.9}, "Adam": {"amsgrad": True}}


def _as_numpy(saved: dict[str, Any]) -> dict[str, Any]:
    state = {
        i: {k: v.numpy() if isinstance(v, torch.Tensor) else v for k, v in s.items()}
        for i, s in saved["state"].items()
    }
    return {"state": state, "param_groups": saved["param_groups"]}


@pytest.mark.parametrize("as_numpy", [True, False], ids=["numpy", "torch-tensors"])
@pytest.mark.parametrize("name", NAMES)
def test_torchs_state_dict_loads_as_it_is_and_goes_on(name: str, as_numpy: bool) -> None:
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
    o_opt.load_state_dict(_as_numpy(saved) if as_numpy else saved)
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


def _twins(name: str, dtype: Any, steps: int = 2) -> tuple[Any, Any, Any, Any]:
    """torch's optimizer ``name`` and ours on the same parameter, after the same ``steps``."""
    rng = np.random.default_rng(1)
    start = rng.standard_normal((3, 4)).astype(dtype)
    theirs = torch.tensor(start, requires_grad=True)
    ours = Tensor(start.copy(), requires_grad=True)
    options = {"lr": 0.01, **OPTIONS.get(name, {})}
    t_opt = getattr(torch.optim, name)([theirs], **options)
    o_opt = getattr(optimizers, name)([ours], **options)
    for _ in range(steps):
        g = rng.standard_normal((3, 4)).astype(dtype)
        theirs.grad, ours.grad = torch.tensor(g), Tensor(g.copy())
        t_opt.step()
        o_opt.step()
    return t_opt, o_opt, theirs, ours


def _same_state(saved: dict[str, Any], t_saved: dict[str, Any], rtol: float) -> None:
    assert list(saved["state"]) == list(t_saved["state"]) == [0]
    mine, theirs = saved["state"][0], t_saved["state"][0]
    assert sorted(mine) == sorted(theirs)
    for key, t in theirs.items():
        v = mine[key]
        assert type(v) is Tensor and isinstance(t, torch.Tensor), key
        assert str(v.dtype).split(".")[-1] == str(t.dtype).split(".")[-1], key
        assert tuple(v.shape) == tuple(t.shape) and not v.requires_grad, key
        np.testing.assert_allclose(v.numpy(), t.numpy(), rtol=rtol, atol=1e-7 * rtol, err_msg=key)


@pytest.mark.parametrize("name", NAMES)
def test_state_dict_holds_torchs_tensors_over_the_optimizers_own_buffers(name: str) -> None:
    t_opt, o_opt, _, ours = _twins(name, np.float64)
    saved, t_saved = o_opt.state_dict(), t_opt.state_dict()
    _same_state(saved, t_saved, rtol=1e-13)
    groups = [{k: v for k, v in g.items() if k not in TORCH_KEYS} for g in t_saved["param_groups"]]
    assert saved["param_groups"] == groups
    live = o_opt.state[ours]
    for key, value in saved["state"][0].items():
        if isinstance(live[key], np.ndarray):  # a buffer: the optimizer's own memory, as torch's
            assert np.shares_memory(value.data, live[key]), key
        else:  # a number (step, mu_product, eta, mu): a 0-d Tensor of it
            assert value.shape == () and value.item() == live[key], key


def test_a_later_step_shows_in_the_state_dict_and_not_in_its_deepcopy() -> None:
    t_opt, o_opt, theirs, ours = _twins("Adam", np.float64)
    saved, t_saved = o_opt.state_dict(), t_opt.state_dict()
    snapshot, t_snapshot = copy.deepcopy(saved), copy.deepcopy(t_saved)
    g = np.linspace(-1.0, 1.0, 12).reshape(3, 4)
    theirs.grad, ours.grad = torch.tensor(g), Tensor(g.copy())
    t_opt.step()
    o_opt.step()
    for key in ("exp_avg", "exp_avg_sq"):
        np.testing.assert_allclose(
            saved["state"][0][key].numpy(), t_saved["state"][0][key].numpy(), rtol=1e-13
        )
        np.testing.assert_array_equal(saved["state"][0][key].numpy(), o_opt.state[ours][key])
        np.testing.assert_allclose(
            snapshot["state"][0][key].numpy(), t_snapshot["state"][0][key].numpy(), rtol=1e-13
        )
        assert not np.array_equal(snapshot["state"][0][key].numpy(), saved["state"][0][key].numpy())
    o_opt.load_state_dict(snapshot)  # (loading copies: the snapshot stays as it was)
    o_opt.state[ours]["exp_avg"] += 1.0
    np.testing.assert_allclose(
        snapshot["state"][0]["exp_avg"].numpy(), t_snapshot["state"][0]["exp_avg"].numpy(), rtol=1e-13
    )


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "NAdam", "ASGD"])
def test_with_float32_as_the_default_dtype_step_is_a_float32_tensor_as_torchs(name: str) -> None:
    previous = autograd.get_default_dtype()
    torch.set_default_dtype(torch.float32)
    autograd.set_default_dtype(autograd.float32)
    try:
        t_opt, o_opt, _, _ = _twins(name, np.float32)
        saved = o_opt.state_dict()
        _same_state(saved, t_opt.state_dict(), rtol=1e-5)
        if "step" in saved["state"][0]:
            assert saved["state"][0]["step"].dtype == autograd.float32
            assert repr(saved["state"][0]["step"].item()) == "2.0"
    finally:
        autograd.set_default_dtype(previous)


def test_our_state_dict_round_trips_through_save_and_load() -> None:
    _, o_opt, _, ours = _twins("Adam", np.float64, steps=3)
    buffer = io.BytesIO()
    autograd.save(o_opt.state_dict(), buffer)
    buffer.seek(0)
    loaded = autograd.load(buffer)
    assert type(loaded["state"][0]["exp_avg"]) is Tensor
    twin = Tensor(ours.data.copy(), requires_grad=True)
    again = optimizers.Adam([twin], lr=0.01)
    again.load_state_dict(loaded)
    for key, value in o_opt.state[ours].items():
        np.testing.assert_array_equal(np.asarray(again.state[twin][key]), np.asarray(value), err_msg=key)
    assert type(again.state[twin]["step"]) is int


def test_lbfgs_state_dict_holds_tensors_and_torchs_loads() -> None:
    rng = np.random.default_rng(2)
    start, target = rng.standard_normal(4), rng.standard_normal(4)
    theirs = torch.tensor(start.copy(), requires_grad=True)
    t_opt = torch.optim.LBFGS([theirs], lr=0.5, max_iter=3)

    def t_closure() -> Any:
        t_opt.zero_grad()
        loss = ((theirs - torch.tensor(target)) ** 4).sum()
        loss.backward()
        return loss

    for _ in range(2):
        t_opt.step(t_closure)
    t_saved = t_opt.state_dict()
    ours = Tensor(theirs.detach().numpy().copy(), requires_grad=True)
    o_opt = optimizers.LBFGS([ours], lr=0.5, max_iter=3)
    o_opt.load_state_dict(t_saved)  # torch's tensors, 0-d ones in ro, al and H_diag among them
    saved = o_opt.state_dict()["state"][0]
    for key in ("d", "prev_flat_grad"):
        assert type(saved[key]) is Tensor and np.shares_memory(saved[key].data, o_opt.state[ours][key])
        np.testing.assert_allclose(saved[key].numpy(), t_saved["state"][0][key].numpy(), rtol=1e-13)
    for key in ("old_dirs", "old_stps", "ro"):
        assert len(saved[key]) == len(t_saved["state"][0][key]) > 0
        for mine, t in zip(saved[key], t_saved["state"][0][key]):
            assert type(mine) is Tensor and tuple(mine.shape) == tuple(t.shape)
            np.testing.assert_allclose(mine.numpy(), t.numpy(), rtol=1e-13)
    assert saved["n_iter"] == t_saved["state"][0]["n_iter"] and type(saved["t"]) is float

    def o_closure() -> Any:
        o_opt.zero_grad()
        loss = ((ours - Tensor(target)) ** 4).sum()
        loss.backward()
        return loss

    t_opt.step(t_closure)
    o_opt.step(o_closure)
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-12)
