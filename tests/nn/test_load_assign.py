"""``load_state_dict(assign=True)`` against torch 2.13's: the module's parameters become
Parameters over the given tensors' memory (in their dtype, requiring grad as the old ones did; a
Parameter given is kept itself), its buffers the given tensors themselves; keys and errors as
torch reports them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import autograd.nn as nn
from autograd import Tensor
from autograd.nn import Parameter

# (name, our module, torch's, an input); the same constructor arguments on both sides
SPECS: list[tuple[str, Callable[[Any], Any], np.ndarray]] = [
    ("Linear", lambda m: m.Linear(3, 2), np.ones((4, 3))),
    ("Conv2d", lambda m: m.Conv2d(2, 3, 2), np.ones((1, 2, 4, 4))),
    ("BatchNorm1d", lambda m: m.BatchNorm1d(3).eval(), np.ones((4, 3))),
    ("LayerNorm", lambda m: m.LayerNorm(3), np.ones((2, 3))),
    ("Embedding", lambda m: m.Embedding(5, 2), np.array([[0, 4], [2, 2]])),
    ("GRU", lambda m: m.GRU(3, 2, num_layers=2), np.ones((4, 1, 3))),
    ("Sequential", lambda m: m.Sequential(m.Linear(3, 4), m.ReLU(), m.Linear(4, 1)), np.ones((2, 3))),
    ("ParameterList", lambda m: m.ParameterList([m.Parameter(torch_or_ours(m, np.ones(2)))]), None),
]


def torch_or_ours(m: Any, arr: np.ndarray) -> Any:
    return torch.tensor(arr) if m is torch.nn else Tensor(arr)


@pytest.fixture(autouse=True)
def _float64() -> Any:
    before = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(before)


def checkpoint(net: torch.nn.Module, seed: int = 0) -> dict[str, torch.Tensor]:
    """New values for every entry of ``net``'s state dict (float ones drawn, counts kept)."""
    g = torch.Generator().manual_seed(seed)
    return {
        k: torch.randn(v.shape, generator=g, dtype=v.dtype) if v.is_floating_point() else v.clone() + 1
        for k, v in net.state_dict().items()
    }


def output(model: Any, x: np.ndarray, ours: bool) -> np.ndarray:
    out = model(Tensor(x, dtype=x.dtype) if ours else torch.from_numpy(x))
    out = out[0] if isinstance(out, tuple) else out
    return out.data if ours else out.detach().numpy()


@pytest.mark.parametrize("name, build, x", SPECS, ids=[s[0] for s in SPECS])
def test_assign_makes_the_given_tensors_the_parameters_and_buffers(name: str, build: Any, x: Any) -> None:
    ours, net = build(nn), build(torch.nn)
    sd = checkpoint(net)
    theirs = {k: v.clone() for k, v in sd.items()}
    assert repr(ours.load_state_dict(sd, assign=True)) == repr(net.load_state_dict(theirs, assign=True))
    params, tparams = dict(ours.named_parameters()), dict(net.named_parameters())
    assert list(params) == list(tparams)
    for k, p in params.items():
        assert type(p) is Parameter and type(tparams[k]) is torch.nn.Parameter
        assert p.requires_grad == tparams[k].requires_grad
        assert p.data.dtype == tparams[k].detach().numpy().dtype
    buffers, tbuffers = dict(ours.named_buffers()), dict(net.named_buffers())
    assert list(buffers) == list(tbuffers)
    for k, b in buffers.items():
        assert type(b) is Tensor and np.array_equal(b.data, tbuffers[k].numpy())
    # the memory is the checkpoint's: a write into a checkpoint tensor shows in the module (torch's too)
    for k, v in sd.items():
        if v.is_floating_point():
            with torch.no_grad():
                v.mul_(2.0)
                theirs[k].mul_(2.0)
    if x is not None:
        np.testing.assert_allclose(output(ours, x, True), output(net, x, False), rtol=1e-12, atol=1e-12)
    for k, p in params.items():
        np.testing.assert_array_equal(p.data, tparams[k].detach().numpy())


def test_a_tensor_given_is_shared_and_a_parameter_given_is_kept_with_the_old_requires_grad() -> None:
    ours, net = nn.Linear(3, 2), torch.nn.Linear(3, 2)
    ours.bias.requires_grad_(False)
    net.bias.requires_grad_(False)
    w, tw = Tensor(np.ones((2, 3))), torch.ones(2, 3)
    b = Parameter(Tensor(np.zeros(2)), requires_grad=True)
    tb = torch.nn.Parameter(torch.zeros(2), requires_grad=True)
    ours.load_state_dict({"weight": w, "bias": b}, assign=True)
    net.load_state_dict({"weight": tw, "bias": tb}, assign=True)
    assert (ours.weight is w, ours.bias is b) == (net.weight is tw, net.bias is tb) == (False, True)
    assert np.shares_memory(ours.weight.data, w.data)
    assert (ours.weight.requires_grad, ours.bias.requires_grad) == (True, False)
    assert (net.weight.requires_grad, net.bias.requires_grad) == (True, False)
    # a computed tensor becomes a leaf Parameter, gradients reach it
    ours2, net2 = nn.Linear(3, 2), torch.nn.Linear(3, 2)
    src = Tensor(np.full((2, 3), 0.5), requires_grad=True) * 2
    tsrc = torch.full((2, 3), 0.5, requires_grad=True) * 2
    ours2.load_state_dict({"weight": src, "bias": np.zeros(2)}, assign=True)
    net2.load_state_dict({"weight": tsrc, "bias": torch.zeros(2)}, assign=True)
    assert ours2.weight.is_leaf and net2.weight.is_leaf and ours2.weight.grad_fn is None
    x = np.arange(6.0).reshape(2, 3)
    ours2(Tensor(x)).sum().backward()
    net2(torch.from_numpy(x)).sum().backward()
    np.testing.assert_array_equal(ours2.weight.grad.data, net2.weight.grad.numpy())
    assert src.grad is None  # (no gradient goes back to what the checkpoint was computed from)


def test_assign_keeps_the_checkpoints_dtype_and_a_buffer_is_the_tensor_itself() -> None:
    ours, net = nn.Linear(3, 2, dtype=np.float32), torch.nn.Linear(3, 2, dtype=torch.float32)
    ours.load_state_dict({"weight": np.ones((2, 3)), "bias": np.zeros(2)}, assign=True)
    net.load_state_dict({"weight": torch.ones(2, 3), "bias": torch.zeros(2)}, assign=True)
    assert ours.weight.data.dtype == np.float64 and net.weight.dtype == torch.float64
    ours.load_state_dict({"weight": np.ones((2, 3)), "bias": np.zeros(2)})  # (copying casts, as torch's)
    net.load_state_dict({"weight": torch.ones(2, 3), "bias": torch.zeros(2)})
    assert ours.weight.data.dtype == np.float64 and net.weight.dtype == torch.float64
    bn, tbn = nn.BatchNorm1d(2), torch.nn.BatchNorm1d(2)
    mean, tmean = Tensor(np.arange(2.0)), torch.arange(2.0)
    bn.load_state_dict({**bn.state_dict(), "running_mean": mean}, assign=True)
    tbn.load_state_dict({**tbn.state_dict(), "running_mean": tmean}, assign=True)
    assert (bn.running_mean is mean) == (tbn.running_mean is tmean) == True  # noqa: E712


def test_missing_and_unexpected_keys_as_torch_reports_them() -> None:
    ours, net = nn.Linear(3, 2), torch.nn.Linear(3, 2)
    sd, tsd = {"weight": np.ones((2, 3)), "x": np.ones(1)}, {"weight": torch.ones(2, 3), "x": torch.ones(1)}
    r, tr = (
        ours.load_state_dict(sd, strict=False, assign=True),
        net.load_state_dict(tsd, strict=False, assign=True),
    )
    assert (r.missing_keys, r.unexpected_keys) == (tr.missing_keys, tr.unexpected_keys) == (["bias"], ["x"])
    assert np.shares_memory(ours.weight.data, sd["weight"])
    with pytest.raises(RuntimeError, match="Missing key"):
        torch.nn.Linear(3, 2).load_state_dict(tsd, assign=True)
    fresh = nn.Linear(3, 2)
    before = fresh.weight
    with pytest.raises(RuntimeError, match=r"missing key\(s\) 'bias'; unexpected key\(s\) 'x'"):
        fresh.load_state_dict(sd, assign=True)
    assert fresh.weight is before  # (nothing was loaded: all or nothing, here)


@pytest.mark.parametrize(
    "value, tvalue, match",
    [
        (np.ones((3, 3)), torch.ones(3, 3), r"expected shape \(2, 3\), got \(3, 3\)"),
        (np.ones((2, 3), dtype=np.int64), torch.ones(2, 3, dtype=torch.int64), "floating dtype"),
    ],
    ids=["shape", "integers into a parameter that requires grad"],
)
def test_errors_as_torch_raises_them(value: Any, tvalue: Any, match: str) -> None:
    ours, net = nn.Linear(3, 2), torch.nn.Linear(3, 2)
    with pytest.raises(RuntimeError):
        net.load_state_dict({"weight": tvalue, "bias": torch.zeros(2)}, assign=True)
    before = ours.weight
    with pytest.raises(RuntimeError, match=match) as err:
        ours.load_state_dict({"weight": value, "bias": np.zeros(2)}, assign=True)
    assert "'weight'" in str(err.value) and ours.weight is before
    # a frozen parameter takes integers, as torch's
    ours.weight.requires_grad_(False)
    net.weight.requires_grad_(False)
    if value.shape == (2, 3):
        ours.load_state_dict({"weight": value, "bias": np.zeros(2)}, assign=True)
        net.load_state_dict({"weight": tvalue, "bias": torch.zeros(2)}, assign=True)
        assert ours.weight.data.dtype == np.int64 and net.weight.dtype == torch.int64


def test_a_micrograd_module_is_loaded_in_place() -> None:
    mlp = nn.MLP(2, [3, 1], rng=0)
    sd = {k: np.full(v.shape, 0.25) for k, v in mlp.state_dict().items()}
    params = mlp.parameters()
    assert repr(mlp.load_state_dict(sd, assign=True)) == "<All keys matched successfully>"
    assert mlp.parameters() == params and all(p.data == 0.25 for p in params)
