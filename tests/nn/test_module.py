"""Modules written the torch way: attribute registration, Parameter, ModuleList, ModuleDict, with
torch's names and order, and a torch-style training loop through the optimizers."""

from __future__ import annotations

import copy
import types

import numpy as np
import pytest
import torch
import torch.nn as tnn
from nn_reference import compare

import autograd.nn as nn
import autograd.nn.functional as F
from autograd import Tensor, manual_seed, randn
from optimizers import SGD, Adam


class Net(nn.Module):
    """The "build the model" tutorial's network, with a bit of everything torch lets one assign."""

    def __init__(self) -> None:
        super().__init__()
        self.flatten = nn.Flatten()
        self.stack = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 3))
        self.scale = nn.Parameter(Tensor(np.ones(3)))
        self.heads = nn.ModuleList([nn.Linear(3, 2), nn.Linear(3, 2)])
        self.extra = nn.ModuleDict({"b": nn.Linear(2, 1), "a": nn.Tanh()})
        self.register_parameter("offset", None)

    def forward(self, x: Tensor) -> Tensor:
        h = self.stack(self.flatten(x)) * self.scale
        h = self.heads[0](h) + self.heads[1](h)
        return self.extra["b"](self.extra["a"](h))


class TorchNet(tnn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.flatten = tnn.Flatten()
        self.stack = tnn.Sequential(tnn.Linear(6, 8), tnn.ReLU(), tnn.Linear(8, 3))
        self.scale = tnn.Parameter(torch.ones(3))
        self.heads = tnn.ModuleList([tnn.Linear(3, 2), tnn.Linear(3, 2)])
        self.extra = tnn.ModuleDict({"b": tnn.Linear(2, 1), "a": tnn.Tanh()})
        self.register_parameter("offset", None)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.stack(self.flatten(x)) * self.scale
        h = self.heads[0](h) + self.heads[1](h)
        return self.extra["b"](self.extra["a"](h))


def loaded_pair() -> tuple[Net, TorchNet]:
    net, ref = Net(), TorchNet().double()
    ref.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in net.state_dict().items()})
    return net, ref


def test_names_order_and_numbers_are_torchs() -> None:
    net, ref = loaded_pair()
    assert [n for n, _ in net.named_parameters()] == [n for n, _ in ref.named_parameters()]
    assert list(net.state_dict()) == list(ref.state_dict())
    assert [n for n, _ in net.named_modules()] == [n for n, _ in ref.named_modules()]
    assert [n for n, _ in net.named_children()] == [n for n, _ in ref.named_children()]
    x = np.random.default_rng(0).normal(size=(4, 2, 3))
    compare(net, ref, [x], grad_of=(0,), rtol=1e-12)
    for (name, p), (_, q) in zip(net.named_parameters(), ref.named_parameters()):
        np.testing.assert_allclose(p.grad, q.grad.numpy(), rtol=1e-12, err_msg=name)


def test_a_module_prints_as_torch_prints_it() -> None:
    assert repr(Net()) == repr(TorchNet()).replace("TorchNet", "Net")


def test_parameters_is_a_generator_and_an_optimizer_takes_it() -> None:
    net, ref = loaded_pair()
    assert isinstance(net.parameters(), types.GeneratorType)
    opt, ref_opt = (
        SGD(net.parameters(), lr=0.1, momentum=0.9),
        torch.optim.SGD(ref.parameters(), lr=0.1, momentum=0.9),
    )
    x = np.random.default_rng(1).normal(size=(8, 6))
    y = np.random.default_rng(2).normal(size=(8, 1))
    for _ in range(3):
        opt.zero_grad()
        loss = nn.MSELoss()(net(Tensor(x)), y)
        loss.backward()
        opt.step()
        ref_opt.zero_grad()
        ref_loss = tnn.MSELoss()(ref(torch.from_numpy(x)), torch.from_numpy(y))
        ref_loss.backward()
        ref_opt.step()
        assert loss.item() == pytest.approx(ref_loss.item(), rel=1e-12)
    for (name, p), (_, q) in zip(net.named_parameters(), ref.named_parameters()):
        np.testing.assert_allclose(p.data, q.detach().numpy(), rtol=1e-11, err_msg=name)
    Adam(net.parameters(recurse=False))  # the module's own: scale


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "make", [lambda lib, **k: lib.nn.Linear(3, 2, **k), lambda lib, **k: lib.nn.Conv2d(2, 3, 2, **k)]
)
def test_modules_draw_their_weights_into_new_arrays_of_their_dtype(make: object, dtype: type) -> None:
    """Linear's and Conv's parameters start as unfilled arrays of the module's dtype, one each (not
    copies), then hold torch's numbers after the same seed."""
    import autograd

    manual_seed(7)
    torch.manual_seed(7)
    ours, theirs = make(autograd, dtype=dtype), make(torch)
    for p, q in zip((ours.weight, ours.bias), (theirs.weight, theirs.bias)):
        assert isinstance(p, nn.Parameter) and p.requires_grad and p.data.dtype == dtype
        assert p.data.astype(np.float32).tobytes() == q.detach().numpy().tobytes()
    assert not np.shares_memory(ours.weight.data, ours.bias.data)


def test_parameter_is_a_leaf_tensor_that_requires_grad() -> None:
    t = Tensor([1.0, 2.0])
    p = nn.Parameter(t)
    assert isinstance(p, Tensor) and p.requires_grad and p.data is t.data  # shared, as torch
    assert repr(p) == "Parameter containing:\nTensor([1., 2.], dtype=float64, requires_grad=True)"
    assert type(p * 2) is Tensor and not nn.Parameter([1.0], requires_grad=False).requires_grad
    assert nn.Parameter().shape == (0,)
    frozen = nn.Linear(2, 2)
    frozen.requires_grad_(False)
    assert len(list(frozen.parameters())) == 2  # a frozen parameter is still a parameter


def test_registration_rules() -> None:
    class M(nn.Module):
        def __init__(self) -> None:  # no super().__init__(): allowed here
            self.w = nn.Parameter(np.ones(2))
            self.leaf = Tensor(np.ones(2), requires_grad=True)  # a trained leaf counts too
            self.const = Tensor(np.ones(2))

        def forward(self, x: Tensor) -> Tensor:
            self.last = x * self.w + self.leaf  # a computed node kept for inspection
            return self.last

    m = M()
    m(Tensor(np.ones(2)))
    assert [n for n, _ in m.named_parameters()] == ["w", "leaf"]  # not const, not last
    m.add_module("child", nn.Linear(2, 1))
    assert list(m.state_dict()) == ["w", "leaf", "child.weight", "child.bias"]
    with pytest.raises(TypeError, match="cannot assign Tensor object to parameter 'p'"):
        m.register_parameter("p", Tensor(1.0))
    with pytest.raises(KeyError, match="name must be a non-empty str without '.'"):
        m.add_module("a.b", nn.ReLU())


def test_module_list_and_dict() -> None:
    layers = nn.ModuleList([nn.Linear(2, 2)])
    layers.append(nn.ReLU()).extend([nn.Linear(2, 2), nn.Linear(2, 2)])
    layers.insert(1, nn.Tanh())
    layers += [nn.Sigmoid()]
    assert len(layers) == 6 and isinstance(layers[1], nn.Tanh) and isinstance(layers[-1], nn.Sigmoid)
    assert isinstance(layers[2:], nn.ModuleList) and len(layers[2:]) == 4
    del layers[1]
    assert [n for n, _ in layers.named_parameters()] == [
        "0.weight",
        "0.bias",
        "2.weight",
        "2.bias",
        "3.weight",
        "3.bias",
    ]
    ref = tnn.ModuleList([tnn.Linear(2, 2), tnn.ReLU(), tnn.Linear(2, 2), tnn.Linear(2, 2), tnn.Sigmoid()])
    assert repr(layers) == repr(ref)
    with pytest.raises(TypeError, match="expected a Module, got int"):
        layers.append(3)  # type: ignore[arg-type]
    heads = nn.ModuleDict([("z", nn.Linear(1, 1)), ("y", nn.ReLU())])
    heads["x"] = nn.Linear(1, 2)
    assert list(heads) == ["z", "y", "x"] and "y" in heads and len(heads) == 3
    assert list(heads.state_dict()) == ["z.weight", "z.bias", "x.weight", "x.bias"]
    assert isinstance(heads.pop("y"), nn.ReLU) and list(heads.keys()) == ["z", "x"]
    with pytest.raises(KeyError, match="non-empty strs without '.'"):
        heads["a.b"] = nn.ReLU()


def test_apply_to_zero_grad_and_copies() -> None:
    net = Net()

    def init(m: nn.Module) -> None:
        if isinstance(m, nn.Linear):
            nn.init.zeros_(m.bias)

    assert net.apply(init) is net
    assert all(not m.bias.data.any() for m in net.modules() if isinstance(m, nn.Linear))
    net(Tensor(np.ones((2, 6)))).sum().backward()
    net.zero_grad(set_to_none=False)
    assert all(p.grad is not None and not p.grad.any() for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    twin = copy.deepcopy(net)
    assert list(twin.state_dict()) == list(net.state_dict()) and twin.scale is not net.scale
    assert net.to("cpu") is net and net.cpu() is net
    assert net.float().stack[0].weight.dtype == np.float32 and net.double().scale.dtype == np.float64
    net.to(dtype="float32")
    assert all(p.dtype == np.float32 for p in net.parameters())
    with pytest.raises(RuntimeError, match=r"Net.to\('cuda'\): .*this library runs on numpy on the CPU"):
        net.to("cuda")
    with pytest.raises(TypeError, match="expected 'cpu', float32 or float64"):
        net.to("int64")


def test_linear_draws_from_the_library_generator() -> None:
    manual_seed(5)
    a, x = nn.Linear(3, 2), randn(4, 3)
    manual_seed(5)
    b, y = nn.Linear(3, 2), randn(4, 3)
    assert a.state_dict().keys() == b.state_dict().keys()
    assert all(np.array_equal(a.state_dict()[k], b.state_dict()[k]) for k in ("weight", "bias"))
    assert np.array_equal(x.data, y.data)
    assert isinstance(a.weight, nn.Parameter) and a.weight.label == "weight"
    assert F.linear(x, a.weight, a.bias).shape == (4, 2)
