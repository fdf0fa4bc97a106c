"""torch's meta device, against torch 2.13: tensors with a shape and a dtype but no data, modules
built on it (``device="meta"``, ``with device("meta"):``), ``to_empty``, and the recipes'
pattern of building on meta then ``load_state_dict(sd, assign=True)``; data-dependent calls raise
torch's errors."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import autograd
import autograd.nn as nn
import autograd.nn.functional as F
from autograd.nn import Parameter


def test_the_device_and_the_default_device_as_torch() -> None:
    for name in ("meta", "meta:0"):
        ours, theirs = autograd.device(name), torch.device(name)
        assert (repr(ours), str(ours), ours.type, ours.index) == (
            repr(theirs),
            str(theirs),
            theirs.type,
            theirs.index,
        )
    assert str(autograd.get_default_device()) == str(torch.get_default_device()) == "cpu"
    with autograd.device("meta") as ours, torch.device("meta") as theirs:
        assert ours is not None and str(ours) == str(theirs) == "meta"
        assert str(autograd.get_default_device()) == str(torch.get_default_device()) == "meta"
        with autograd.device("cpu"), torch.device("cpu"):
            assert autograd.zeros(2).device.type == torch.zeros(2).device.type == "cpu"
        assert autograd.zeros(2).device.type == torch.zeros(2).device.type == "meta"
    assert str(autograd.get_default_device()) == str(torch.get_default_device()) == "cpu"


FACTORIES: list[tuple[str, Callable[[Any, Any], Any]]] = [
    ("empty", lambda m, d: m.empty(2, 3, device=d, dtype=m.float64)),
    ("zeros", lambda m, d: m.zeros((4,), device=d, dtype=m.float32)),
    ("ones", lambda m, d: m.ones(2, 1, device=d, dtype=m.int64)),
    ("randn", lambda m, d: m.randn(3, 2, device=d, dtype=m.float64)),
    ("rand", lambda m, d: m.rand(5, device=d, dtype=m.float64)),
    ("full", lambda m, d: m.full((2, 2), 3.0, device=d, dtype=m.float64)),
    ("tensor", lambda m, d: m.tensor([1.0, 2.0], device=d, dtype=m.float64)),
    ("as_tensor", lambda m, d: m.as_tensor([[1, 2]], device=d)),
    ("arange", lambda m, d: m.arange(3, device=d)),
    ("zeros_like", lambda m, d: m.zeros_like(m.empty(2, device="meta", dtype=m.float64))),
    ("requires_grad", lambda m, d: m.empty(2, device=d, dtype=m.float64, requires_grad=True)),
]


@pytest.mark.parametrize("build", [f for _, f in FACTORIES], ids=[n for n, _ in FACTORIES])
def test_factories_on_meta_as_torch(build: Any) -> None:
    ours, theirs = build(autograd, "meta"), build(torch, "meta")
    assert ours.is_meta and theirs.is_meta and not ours.is_cpu
    assert str(ours.device) == str(theirs.device) == "meta"
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    assert ours.requires_grad == theirs.requires_grad
    assert f"device='meta', size={tuple(theirs.shape)}" in repr(ours)
    with autograd.device("meta"), torch.device("meta"):  # (the default device)
        assert build(autograd, None).is_meta and build(torch, None).is_meta


def _error(f: Callable[[], Any]) -> tuple[type, str]:
    try:
        f()
    except Exception as e:  # noqa: BLE001 (the error is the result)
        return type(e), str(e)
    raise AssertionError("no error")


DATA_CALLS: list[tuple[str, Callable[[Any, Any], Any], bool]] = [
    ("item", lambda m, t: t.sum().item(), True),
    ("tolist", lambda m, t: t.tolist(), True),
    ("numpy", lambda m, t: t.numpy(), True),
    ("bool", lambda m, t: bool(t.sum()), True),
    ("float", lambda m, t: float(t.sum()), True),
    ("int", lambda m, t: int(t.sum()), True),
    ("to cpu", lambda m, t: t.to("cpu"), True),
    ("cpu", lambda m, t: t.cpu(), True),
    ("nonzero", lambda m, t: t.nonzero(), False),
    ("mask", lambda m, t: t[t > 0], False),
]


@pytest.mark.parametrize("call, same_text", [c[1:] for c in DATA_CALLS], ids=[c[0] for c in DATA_CALLS])
def test_data_dependent_calls_raise_torchs_errors(call: Any, same_text: bool) -> None:
    ours = _error(lambda: call(autograd, autograd.empty(2, 3, device="meta")))
    theirs = _error(lambda: call(torch, torch.empty(2, 3, device="meta")))
    assert ours[0] is theirs[0]
    if same_text:
        assert ours[1] == theirs[1]


OPS: list[tuple[str, Callable[[Any, Any, Any], Any]]] = [
    ("add", lambda m, a, b: a + 1.5),
    ("mul", lambda m, a, b: a * a),
    ("matmul", lambda m, a, b: a @ b),
    ("sum dim", lambda m, a, b: a.sum(1)),
    ("mean", lambda m, a, b: a.mean()),
    ("exp", lambda m, a, b: a.exp()),
    ("relu", lambda m, a, b: m.relu(a)),
    ("softmax", lambda m, a, b: a.softmax(-1)),
    ("reshape", lambda m, a, b: a.reshape(-1)),
    ("view", lambda m, a, b: a.view(3, 2)),
    ("transpose", lambda m, a, b: a.T),
    ("index", lambda m, a, b: a[0]),
    ("slice", lambda m, a, b: a[:, 1:]),
    ("cat", lambda m, a, b: m.cat([a, a], 0)),
    ("stack", lambda m, a, b: m.stack([a, a])),
    ("comparison", lambda m, a, b: a > 0),
    ("linear", lambda m, a, b: m.nn.functional.linear(a, b.T)),
    (
        "conv2d",
        lambda m, a, b: m.nn.functional.conv2d(a.reshape(1, 1, 2, 3), b.reshape(1, 1, 3, 4)[:, :, :2, :2]),
    ),
    ("max_pool2d", lambda m, a, b: m.nn.functional.max_pool2d(b.reshape(1, 1, 3, 4), 2)),
    ("flatten", lambda m, a, b: m.flatten(b.reshape(1, 3, 4), 1)),
]


@pytest.mark.parametrize("op", [f for _, f in OPS], ids=[n for n, _ in OPS])
def test_ops_on_meta_tensors_give_meta_tensors_of_torchs_shapes(op: Any) -> None:
    a, b = autograd.empty(2, 3, device="meta"), autograd.empty(3, 4, device="meta")
    ta = torch.empty(2, 3, device="meta", dtype=torch.float64)
    tb = torch.empty(3, 4, device="meta", dtype=torch.float64)
    ours, theirs = op(autograd, a, b), op(torch, ta, tb)
    assert ours.is_meta and theirs.is_meta
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]


def test_a_backward_pass_on_meta_gives_meta_gradients_of_the_leaves_shapes() -> None:
    x, w = (autograd.empty(*s, device="meta", requires_grad=True) for s in ((3, 2), (2, 4)))
    tx, tw = (torch.empty(*s, device="meta", requires_grad=True) for s in ((3, 2), (2, 4)))
    ((x @ w).tanh() * 2).sum().backward()
    ((tx @ tw).tanh() * 2).sum().backward()
    for ours, theirs in ((x, tx), (w, tw)):
        assert ours.grad.is_meta and theirs.grad.is_meta
        assert tuple(ours.grad.shape) == tuple(theirs.grad.shape)


MODULES: list[tuple[str, Callable[[Any, Any], Any]]] = [
    ("Linear", lambda m, d: m.Linear(3, 2, device=d)),
    ("Conv2d", lambda m, d: m.Conv2d(2, 3, 2, device=d)),
    ("BatchNorm1d", lambda m, d: m.BatchNorm1d(3, device=d)),
    ("LayerNorm", lambda m, d: m.LayerNorm(3, device=d)),
    ("Embedding", lambda m, d: m.Embedding(5, 2, device=d)),
    ("GRU", lambda m, d: m.GRU(3, 2, num_layers=2, device=d)),
    ("Sequential", lambda m, d: m.Sequential(m.Linear(3, 4, device=d), m.ReLU(), m.Linear(4, 1, device=d))),
]


@pytest.fixture(autouse=True)
def _float64() -> Any:
    before = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(before)


def _tensors(module: Any) -> dict[str, Any]:
    return {**dict(module.named_parameters()), **dict(module.named_buffers())}


@pytest.mark.parametrize("build", [f for _, f in MODULES], ids=[n for n, _ in MODULES])
@pytest.mark.parametrize("how", ["device=", "with device"])
def test_modules_built_on_meta_then_moved_with_to_empty(build: Any, how: str) -> None:
    if how == "device=":
        ours, theirs = build(nn, "meta"), build(torch.nn, "meta")
    else:
        with autograd.device("meta"), torch.device("meta"):
            ours, theirs = build(nn, None), build(torch.nn, None)
    tensors, ttensors = _tensors(ours), _tensors(theirs)
    assert list(tensors) == list(ttensors)
    for k, t in tensors.items():
        tt = ttensors[k]
        assert t.is_meta and tt.is_meta and tuple(t.shape) == tuple(tt.shape)
        assert isinstance(t, Parameter) == isinstance(tt, torch.nn.Parameter)
        assert t.requires_grad == tt.requires_grad
    sd, tsd = ours.state_dict(), theirs.state_dict()
    assert [(k, v.shape) for k, v in sd.items()] == [(k, tuple(v.shape)) for k, v in tsd.items()]
    assert all(v.is_meta and type(v) is autograd.Tensor for v in sd.values())
    assert _error(lambda: ours.to("cpu"))[0] is _error(lambda: theirs.to("cpu"))[0] is NotImplementedError
    assert ours.to_empty(device="cpu") is ours and theirs.to_empty(device="cpu") is theirs
    moved, tmoved = _tensors(ours), _tensors(theirs)
    for k, t in moved.items():  # (new objects, as torch's: an optimizer is built after)
        tt = tmoved[k]
        assert (t is tensors[k], tt is ttensors[k]) == (False, False)
        assert not t.is_meta and t.device.type == tt.device.type == "cpu"
        assert tuple(t.shape) == tuple(tt.shape) and t.data.dtype == tt.detach().numpy().dtype
        assert type(t) is (Parameter if k in dict(ours.named_parameters()) else autograd.Tensor)
        assert t.requires_grad == tt.requires_grad
    ours.to("meta")
    theirs.to("meta")
    assert all(t.is_meta for t in _tensors(ours).values()) and all(
        t.is_meta for t in _tensors(theirs).values()
    )


def test_to_empty_without_recursion_moves_only_the_modules_own() -> None:
    ours = nn.Sequential(nn.Linear(2, 2, device="meta"))
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 2, device="meta"))
    ours.to_empty(device="cpu", recurse=False)
    theirs.to_empty(device="cpu", recurse=False)
    assert ours[0].weight.is_meta and theirs[0].weight.is_meta
    ours[0].to_empty(device="cpu", recurse=False)
    theirs[0].to_empty(device="cpu", recurse=False)
    assert not ours[0].weight.is_meta and not theirs[0].weight.is_meta


class _Some:
    """The recipe's model ("tips for loading an nn.Module from a checkpoint"), on either library."""

    @staticmethod
    def build(m: Any, size: int) -> Any:
        class SomeModule(m.Module):
            def __init__(self, size: int) -> None:
                super().__init__()
                self.linears = m.ModuleList([m.Linear(size, size) for _ in range(3)])

            def forward(self, x: Any) -> Any:
                for lin in self.linears:
                    x = lin(x)
                return x

        return SomeModule(size)


def test_the_recipe_build_on_meta_then_load_with_assign() -> None:
    source, tsource = _Some.build(nn, 8), _Some.build(torch.nn, 8)
    sd = source.state_dict()
    tsource.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in sd.items()})
    tsd = tsource.state_dict()
    with autograd.device("meta"), torch.device("meta"):
        meta_m, tmeta_m = _Some.build(nn, 8), _Some.build(torch.nn, 8)
    assert all(p.is_meta for p in meta_m.parameters()) and all(p.is_meta for p in tmeta_m.parameters())
    # without assign the load is a no-op on meta parameters, with torch's warning
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert repr(meta_m.load_state_dict(sd)) == repr(tmeta_m.load_state_dict(tsd))
    ours_w = [str(w.message) for w in caught if "non-meta" in str(w.message)]
    assert len(ours_w) == 2 * 2 * 3 and ours_w[0] == ours_w[6 - 6] and "assign=True" in ours_w[0]
    assert all(p.is_meta for p in meta_m.parameters()) and all(p.is_meta for p in tmeta_m.parameters())
    assert repr(meta_m.load_state_dict(sd, assign=True)) == repr(tmeta_m.load_state_dict(tsd, assign=True))
    x = np.random.default_rng(0).normal(size=(4, 8))
    out, tout = meta_m(autograd.tensor(x)), tmeta_m(torch.from_numpy(x))
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(out.data, source(autograd.tensor(x)).data, rtol=0, atol=0)
    assert all(type(p) is Parameter and not p.is_meta for p in meta_m.parameters())


def test_a_meta_checkpoint_is_refused_without_assign_and_taken_with_it() -> None:
    ours, theirs = nn.Linear(3, 2), torch.nn.Linear(3, 2)
    meta_sd = nn.Linear(3, 2, device="meta").state_dict()
    tmeta_sd = torch.nn.Linear(3, 2, device="meta").state_dict()
    assert _error(lambda: theirs.load_state_dict(tmeta_sd))[0] is RuntimeError
    with pytest.raises(RuntimeError, match="Cannot copy out of meta tensor"):
        ours.load_state_dict(meta_sd)
    assert not ours.weight.is_meta
    ours.load_state_dict(meta_sd, assign=True)
    theirs.load_state_dict(tmeta_sd, assign=True)
    assert ours.weight.is_meta and theirs.weight.is_meta and type(ours.weight) is Parameter


def test_the_shapes_recipe_forward_hooks_on_a_meta_network() -> None:
    """ "Reasoning about shapes in PyTorch": a network and its input on meta, each layer's output
    shape printed from a forward hook."""

    def net(m: Any) -> Any:
        return m.nn.Sequential(
            m.nn.Conv2d(3, 6, 5),
            m.nn.ReLU(),
            m.nn.MaxPool2d(2, 2),
            m.nn.Flatten(),
            m.nn.Linear(6 * 14 * 14, 10),
        )

    shapes: dict[str, list[tuple[int, ...]]] = {"ours": [], "torch": []}
    for lib, key in ((autograd, "ours"), (torch, "torch")):
        with lib.device("meta"):
            model, inp = net(lib), lib.randn((16, 3, 32, 32))
        for _, layer in model.named_modules():
            layer.register_forward_hook(lambda mod, i, o, key=key: shapes[key].append(tuple(o.shape)))
        out = model(inp)
        assert out.is_meta
    assert shapes["ours"] == shapes["torch"] == [(16, 6, 28, 28), (16, 6, 28, 28), (16, 6, 14, 14),
                                                  (16, 1176), (16, 10), (16, 10)]  # fmt: skip
    assert F is not None
