"""Model state and the torch.nn surface: state dicts that torch loads (and back), all-or-nothing
loading, Sequential and activation modules, reprs as torch prints them, one MLP signature."""

from __future__ import annotations

import inspect
import random
from collections import OrderedDict

import numpy as np
import pytest
import torch
from engine_helpers import close
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Tensor, Value
from autograd.nn import MLP, Layer, Linear, Module, Neuron, ReLU, Sequential, Sigmoid, Tanh, TensorMLP

TORCH_ACT = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid}


def torch_mlp(nin: int, nouts: list[int], activation: str = "relu") -> torch.nn.Sequential:
    """The torch.nn.Sequential that MLP/TensorMLP(nin, nouts, activation) stands for."""
    mods: list[torch.nn.Module] = []
    for i, (a, b) in enumerate(zip([nin, *nouts], nouts)):
        mods.append(torch.nn.Linear(a, b))
        if i < len(nouts) - 1 and activation != "linear":
            mods.append(TORCH_ACT[activation]())
    return torch.nn.Sequential(*mods).double()


def value_outputs(model: MLP, x: np.ndarray) -> np.ndarray:
    return np.array([[o.data for o in np.atleast_1d(model(list(row)))] for row in x.tolist()])


def snapshot(model: Module) -> list[np.ndarray]:
    return [np.array(p.data, copy=True) for p in model.parameters()]


def assert_unchanged(model: Module, before: list[np.ndarray]) -> None:
    for p, b in zip(model.parameters(), before, strict=True):
        np.testing.assert_array_equal(p.data, b)


# -- to torch and back --------------------------------------------------------------------------
@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
def test_tensor_mlp_state_dict_loads_into_torch_sequential_with_equal_outputs(activation: str) -> None:
    model = TensorMLP(3, [8, 5, 2], activation=activation, rng=0)
    net = torch_mlp(3, [8, 5, 2], activation)
    sd = model.state_dict()
    assert list(sd) == list(net.state_dict())
    assert {k: v.shape for k, v in sd.items()} == {k: tuple(v.shape) for k, v in net.state_dict().items()}
    result = net.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in sd.items()})
    assert result.missing_keys == [] and result.unexpected_keys == []
    x = np.random.default_rng(1).normal(size=(16, 3))
    out, ref = model(Tensor(x)), net(torch.from_numpy(x))
    close(out.data, ref, rtol=1e-12, atol=1e-12)
    # and the gradients, parameter by parameter under the same names
    (out**2).sum().backward()
    (ref**2).sum().backward()
    grads = dict(net.named_parameters())
    for name, p in model.named_parameters():
        close(p.grad, grads[name].grad, rtol=1e-12, atol=1e-12, what=name)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_torch_state_dict_loads_into_tensor_mlp_with_equal_outputs(activation: str) -> None:
    torch.manual_seed(0)
    net = torch_mlp(4, [6, 3], activation)
    model = TensorMLP(4, [6, 3], activation=activation, rng=123)
    assert model.load_state_dict(net.state_dict()) == ([], [])  # torch tensors directly
    x = np.random.default_rng(2).normal(size=(10, 4))
    close(model(Tensor(x)).data, net(torch.from_numpy(x)), rtol=1e-12, atol=1e-12)
    other = TensorMLP(4, [6, 3], activation=activation, rng=7)
    other.load_state_dict({k: v.numpy() for k, v in net.state_dict().items()})  # or numpy arrays
    close(other(Tensor(x)).data, net(torch.from_numpy(x)), rtol=1e-12, atol=1e-12)
    third = TensorMLP(4, [6, 3], activation=activation, rng=8)
    third.load_state_dict(dict(net.named_parameters()))  # even parameters that require grad
    close(third(Tensor(x)).data, net(torch.from_numpy(x)), rtol=1e-12, atol=1e-12)


@settings(max_examples=15)
@given(
    nin=st.integers(1, 5),
    nouts=st.lists(st.integers(1, 6), min_size=1, max_size=3),
    activation=st.sampled_from(["relu", "tanh", "sigmoid", "linear"]),
    seed=st.integers(0, 2**16),
)
def test_round_trip_through_torch_for_any_shape(
    nin: int, nouts: list[int], activation: str, seed: int
) -> None:
    model = TensorMLP(nin, nouts, activation=activation, rng=seed)
    net = torch_mlp(nin, nouts, activation)
    net.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in model.state_dict().items()})
    back = TensorMLP(nin, nouts, activation=activation, rng=seed + 1)
    back.load_state_dict(net.state_dict())
    x = np.random.default_rng(seed).normal(size=(5, nin))
    close(back(Tensor(x)).data, net(torch.from_numpy(x)), rtol=1e-12, atol=1e-12)
    for (k, a), (k2, b) in zip(model.state_dict().items(), back.state_dict().items(), strict=True):
        assert k == k2
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("activation", ["relu", "tanh", "linear"])
def test_value_mlp_state_dict_is_the_torch_sequential_one(activation: str) -> None:
    model = MLP(2, [4, 3, 1], activation=activation, rng=random.Random(3))
    net = torch_mlp(2, [4, 3, 1], activation)
    sd = model.state_dict()
    assert all(type(v) is Tensor and v.data.dtype == np.float64 and not v.requires_grad for v in sd.values())
    np.testing.assert_array_equal(sd["0.weight"][2].numpy(), [w.data for w in model.layers[0].neurons[2].w])
    net.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in sd.items()})
    x = np.random.default_rng(3).normal(size=(6, 2))
    close(value_outputs(model, x), net(torch.from_numpy(x)), rtol=1e-12, atol=1e-12)

    torch.manual_seed(1)
    fresh = torch_mlp(2, [4, 3, 1], activation)
    model.load_state_dict(fresh.state_dict())
    close(value_outputs(model, x), fresh(torch.from_numpy(x)), rtol=1e-12, atol=1e-12)
    assert all(isinstance(p.data, float) for p in model.parameters())


def test_value_and_tensor_mlps_share_keys_so_weights_move_between_them() -> None:
    vm = MLP(3, [5, 2], activation="tanh", rng=random.Random(0))
    tm = TensorMLP(3, [5, 2], activation="tanh", rng=0)
    tm.load_state_dict(vm.state_dict())
    x = np.random.default_rng(4).normal(size=(4, 3))
    close(tm(Tensor(x)).data, value_outputs(vm, x), rtol=1e-12, atol=1e-12)


def test_layer_and_neuron_state_dicts_are_those_of_torch_linear() -> None:
    layer = Layer(3, 2, rng=random.Random(0))
    assert {k: v.shape for k, v in layer.state_dict().items()} == {"weight": (2, 3), "bias": (2,)}
    neuron = Neuron(4, nonlin=False, rng=random.Random(1))
    lin = torch.nn.Linear(4, 1).double()
    lin.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in neuron.state_dict().items()})
    x = [0.5, -1.0, 2.0, 0.25]
    assert neuron(x).data == pytest.approx(lin(torch.tensor(x, dtype=torch.float64)).item(), rel=1e-14)
    single = Linear(4, 1, rng=0)
    lin.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in single.state_dict().items()})
    close(single(Tensor(x)).data, lin(torch.tensor(x, dtype=torch.float64)), rtol=1e-14, atol=0)


def test_a_torch_style_user_module_is_found_without_registration() -> None:
    class Net(Module):
        def __init__(self) -> None:
            self.fc1 = Linear(3, 4, rng=0)
            self.blocks = [Linear(4, 4, rng=1), Linear(4, 2, rng=2)]
            self.scale = Tensor(1.5, requires_grad=True)
            self.fixed = Tensor([1.0, 2.0])  # not a parameter: requires no grad

        def forward(self, x: Tensor) -> Tensor:
            return self.blocks[1](self.blocks[0](self.fc1(x).relu()).tanh()) * self.scale

    class TorchNet(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc1 = torch.nn.Linear(3, 4)
            self.blocks = torch.nn.ModuleList([torch.nn.Linear(4, 4), torch.nn.Linear(4, 2)])
            self.scale = torch.nn.Parameter(torch.tensor(0.0))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.blocks[1](self.blocks[0](self.fc1(x).relu()).tanh()) * self.scale

    net, ref = Net(), TorchNet().double()
    assert list(net.state_dict()) == list(ref.state_dict())
    assert list(net.state_dict())[:3] == ["scale", "fc1.weight", "fc1.bias"]
    ref.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in net.state_dict().items()})
    x = np.random.default_rng(5).normal(size=(3, 3))
    close(net(Tensor(x)).data, ref(torch.from_numpy(x)), rtol=1e-12, atol=1e-12)
    assert len(list(net.parameters())) == 7
    assert repr(net).startswith("Net(\n  (fc1): Linear(in_features=3, out_features=4, bias=True)\n")


def test_a_micrograd_style_user_module_gets_a_state_dict_too() -> None:
    class Affine(Module):
        def __init__(self) -> None:
            self.w = [Value(0.5), Value(-1.5)]
            self.b = Value(0.25)

        def __call__(self, x: list[float]) -> Value:
            return self.w[0] * x[0] + self.w[1] * x[1] + self.b

        def parameters(self) -> list[Value]:
            return self.w + [self.b]

    m = Affine()
    assert [n for n, _ in m.named_parameters()] == ["w.0", "w.1", "b"]
    assert {k: v.tolist() for k, v in m.state_dict().items()} == {"w.0": 0.5, "w.1": -1.5, "b": 0.25}
    m.load_state_dict({"w.0": 1.0, "w.1": 2.0, "b": np.float32(3.0)})
    assert m([1.0, 1.0]).data == 6.0


# -- load_state_dict refuses, all or nothing ----------------------------------------------------
def test_strict_load_names_missing_unexpected_and_misshaped_keys_and_changes_nothing() -> None:
    model = TensorMLP(2, [3, 1], rng=0)
    before = snapshot(model)
    good = {k: v + 1.0 for k, v in model.state_dict().items()}

    missing = dict(good)
    del missing["2.bias"]
    with pytest.raises(
        ValueError, match=r"TensorMLP.load_state_dict: nothing was loaded; missing key\(s\) '2.bias'"
    ):
        model.load_state_dict(missing)
    assert_unchanged(model, before)

    extra = {**good, "layers.0.weight": np.zeros((3, 2))}
    with pytest.raises(ValueError, match=r"unexpected key\(s\) 'layers.0.weight'"):
        model.load_state_dict(extra)
    assert_unchanged(model, before)

    transposed = {**good, "0.weight": good["0.weight"].T}  # the (in, out) layout is refused
    with pytest.raises(ValueError, match=r"'0.weight': expected shape \(3, 2\), got \(2, 3\)"):
        model.load_state_dict(transposed)
    assert_unchanged(model, before)
    with pytest.raises(ValueError, match=r"'0.weight': expected shape"):  # torch refuses it too
        model.load_state_dict(transposed, strict=False)
    assert_unchanged(model, before)

    assert model.load_state_dict(good) == ([], [])
    for p, b in zip(model.parameters(), before):
        np.testing.assert_array_equal(p.data, b + 1.0)


def test_non_strict_load_returns_what_it_skipped_and_loads_the_rest() -> None:
    model = TensorMLP(2, [3, 1], rng=0)
    w2 = model[2].weight.data.copy()
    result = model.load_state_dict({"0.weight": np.ones((3, 2)), "head.weight": np.ones(1)}, strict=False)
    assert result.missing_keys == ["0.bias", "2.weight", "2.bias"]
    assert result.unexpected_keys == ["head.weight"]
    np.testing.assert_array_equal(model[0].weight.data, np.ones((3, 2)))
    np.testing.assert_array_equal(model[2].weight.data, w2)


@pytest.mark.parametrize(
    "value,message",
    [
        (np.full((3, 2), np.nan), "expected finite values, got nan or inf"),
        (np.full((3, 2), -np.inf), "expected finite values, got nan or inf"),
        (np.ones((3, 2), dtype=complex), "expected real numbers .*got dtype complex128"),
        (np.ones((3, 2), dtype=bool), "expected real numbers .*got dtype bool"),
        (np.full((3, 2), "a"), "expected real numbers .*got dtype <U1"),
        ([[1.0, 2.0], [3.0]], "expected an array of real numbers, got list"),
        (torch.ones(3, 2, dtype=torch.complex128), "expected real numbers .*got dtype complex128"),
        (torch.ones(3, 2, dtype=torch.bfloat16), "expected a tensor numpy can hold, got torch.bfloat16"),
    ],
)
def test_load_refuses_bad_values_naming_the_key(value: object, message: str) -> None:
    model = TensorMLP(2, [3, 1], rng=0)
    before = snapshot(model)
    state = {**model.state_dict(), "0.weight": value}
    with pytest.raises(ValueError, match=f"'0.weight': {message}"):
        model.load_state_dict(state)
    assert_unchanged(model, before)


def test_load_into_float32_casts_keeps_dtype_and_objects_and_refuses_overflow() -> None:
    model = TensorMLP(2, [3, 1], dtype=np.float32, rng=0)
    weight, weight_data = model[0].weight, model[0].weight.data
    state = {k: v.astype(np.float64) + 0.5 for k, v in model.state_dict().items()}
    state["0.bias"] = np.array([1, 2, 3])  # integers are real numbers: cast, as torch's copy_ does
    model.load_state_dict(state)
    assert model[0].weight is weight and model[0].weight.data is weight_data  # in place: optimizers keep it
    assert all(p.data.dtype == np.float32 for p in model.parameters())
    np.testing.assert_array_equal(model[0].bias.data, [1.0, 2.0, 3.0])
    before = snapshot(model)
    with pytest.raises(ValueError, match="'2.bias': values do not fit in float32"):
        model.load_state_dict({**state, "2.bias": np.array([1e300])})
    assert_unchanged(model, before)


def test_value_mlp_load_is_all_or_nothing_too() -> None:
    model = MLP(2, [3, 1], rng=random.Random(0))
    before = snapshot(model)
    state = {k: v * 2 for k, v in model.state_dict().items()}
    state["2.bias"] = np.array([np.nan])
    with pytest.raises(ValueError, match="'2.bias': expected finite values"):
        model.load_state_dict(state)
    assert_unchanged(model, before)
    with pytest.raises(TypeError, match="expected a mapping of names to arrays, got list"):
        model.load_state_dict(list(state.values()))  # type: ignore[arg-type]


def test_state_dict_values_share_memory_with_a_tensor_model_and_copy_a_value_model() -> None:
    """As torch's: a Tensor model's state-dict values are its parameters' memory (an edit of one is
    an edit of the other); a Value model's are copies (Values hold no array). Loading copies."""
    for model in (TensorMLP(2, [2], rng=0), MLP(2, [2], rng=random.Random(0))):
        shares = isinstance(model, TensorMLP)
        before = snapshot(model)
        sd = model.state_dict()
        for v in sd.values():
            v += 100.0
        if shares:
            for p, b in zip(model.parameters(), before, strict=True):
                np.testing.assert_array_equal(p.data, b + 100.0)
        else:
            assert_unchanged(model, before)
        source = {k: v + 1.0 for k, v in sd.items()}
        model.load_state_dict(source)
        loaded = snapshot(model)
        np.testing.assert_array_equal(loaded[0], before[0] + 101.0)
        for v in source.values():
            v += 100.0  # the model does not alias the tensors it loaded
        assert_unchanged(model, loaded)


# -- structure, names, reprs -------------------------------------------------------------------
def test_named_parameters_follow_parameters_order() -> None:
    tm = TensorMLP(2, [3, 1], rng=0)
    assert [n for n, _ in tm.named_parameters()] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert [p for _, p in tm.named_parameters()] == list(tm.parameters())
    vm = MLP(2, [2, 1], rng=random.Random(0))
    names = [n for n, _ in vm.named_parameters()]
    assert names[:4] == ["0.weight[0, 0]", "0.weight[0, 1]", "0.bias[0]", "0.weight[1, 0]"]
    assert names[-1] == "2.bias[0]"
    assert [p for _, p in vm.named_parameters()] == vm.parameters()
    assert len(vm.parameters()) == len(names) == 9
    shared = Linear(2, 2, rng=0)
    twice = Sequential(shared, ReLU(), shared)
    assert len(list(twice.parameters())) == 2  # shared parameters once, as torch; the state dict keys both
    assert list(twice.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]


def test_reprs_are_torchs() -> None:
    ours = Sequential(Linear(784, 256), Tanh(), Linear(256, 10, bias=False), ReLU(), Sigmoid())
    ref = torch.nn.Sequential(
        torch.nn.Linear(784, 256),
        torch.nn.Tanh(),
        torch.nn.Linear(256, 10, bias=False),
        torch.nn.ReLU(),
        torch.nn.Sigmoid(),
    )
    assert repr(ours) == repr(ref)
    nested = Sequential(Sequential(Linear(2, 3), Tanh()), Linear(3, 1))
    ref_nested = torch.nn.Sequential(
        torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh()), torch.nn.Linear(3, 1)
    )
    assert repr(nested) == repr(ref_nested)
    assert list(nested.state_dict()) == list(ref_nested.state_dict())  # '0.0.weight', ...
    assert repr(TensorMLP(2, [16, 1])) == repr(torch_mlp(2, [16, 1])).replace("Sequential", "TensorMLP")
    assert repr(Linear(784, 256)) == "Linear(in_features=784, out_features=256, bias=True)"
    assert repr(MLP(2, [16, 16, 1])) == "MLP(nin=2, nouts=[16, 16, 1], activation='relu')"
    assert repr(MLP(2, [16, 1]).layers[1]) == "Layer(nin=16, nout=1, activation='linear')"
    assert repr(Neuron(3, activation="tanh")) == "TanhNeuron(3)"


def test_sequential_behaves_as_torchs() -> None:
    seq = Sequential(Linear(2, 3, rng=0), Tanh())
    assert len(seq) == 2 and isinstance(seq[1], Tanh) and [type(m) for m in seq] == [Linear, Tanh]
    assert seq.append(Linear(3, 1, rng=1)) is seq and len(seq) == 3
    assert isinstance(seq[:2], Sequential) and seq[:2][0] is seq[0] and seq[-1] is seq[2]
    x = np.random.default_rng(0).normal(size=(4, 2))
    close(seq(Tensor(x)).data, seq[2](seq[1](seq[0](Tensor(x)))).data, rtol=0, atol=0)
    assert Sequential()(Tensor(x)).data is not None  # an empty Sequential is the identity, as torch's
    with pytest.raises(
        TypeError, match="Sequential: argument 1 must be a Module, got builtin_function_or_method"
    ):
        Sequential(Linear(2, 2), abs)
    with pytest.raises(TypeError, match="Sequential.append: expected a Module, got str"):
        seq.append("relu")  # type: ignore[arg-type]


def test_sequential_of_named_modules_is_keyed_as_torchs() -> None:
    ours = Sequential(OrderedDict(fc=Linear(2, 3, rng=0), act=Tanh(), out=Linear(3, 1, rng=1)))
    ref = torch.nn.Sequential(
        OrderedDict(fc=torch.nn.Linear(2, 3), act=torch.nn.Tanh(), out=torch.nn.Linear(3, 1))
    ).double()
    assert repr(ours) == repr(ref) and repr(ours[1:]) == repr(ref[1:])
    ref.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in ours.state_dict().items()})
    x = np.random.default_rng(0).normal(size=(3, 2))
    close(ours(Tensor(x)).data, ref(torch.from_numpy(x)), rtol=1e-12, atol=1e-12)
    assert [type(m) for m in ours.children()] == [Linear, Tanh, Linear]
    assert len(list(ours.modules())) == 4 and next(ours.modules()) is ours
    with pytest.raises(ValueError, match="module names must be non-empty strings without '.', got 'a.b'"):
        Sequential({"a.b": Tanh()})
    with pytest.raises(TypeError, match="Sequential: module 'act' must be a Module, got str"):
        Sequential({"act": "tanh"})


def test_activation_modules_equal_torch_and_work_on_values() -> None:
    x = np.array([-3.0, -0.5, 0.0, 0.5, 3.0])
    for ours, ref in ((Tanh(), torch.tanh), (ReLU(), torch.relu), (Sigmoid(), torch.sigmoid)):
        t = Tensor(x, requires_grad=True)
        ours(t).sum().backward()
        tx = torch.tensor(x, requires_grad=True)
        ref(tx).sum().backward()
        close(ours(Tensor(x)).data, ref(torch.tensor(x)), rtol=1e-14, atol=0)
        close(t.grad, tx.grad, rtol=1e-13, atol=0)
        assert ours(Value(0.5)).data == pytest.approx(
            ref(torch.tensor(0.5, dtype=torch.float64)).item(), rel=1e-15
        )
        assert list(ours.parameters()) == [] and ours.state_dict() == {}


def test_a_module_without_forward_says_so() -> None:
    class Empty(Module):
        pass

    with pytest.raises(NotImplementedError, match=r"Empty must define forward"):
        Empty()(1.0)
    assert repr(Empty()) == "Empty()" and Empty().state_dict() == {} and list(Empty().parameters()) == []


def test_train_eval_and_zero_grad() -> None:
    tm = TensorMLP(2, [3, 1], rng=0)
    assert tm.eval() is tm and not tm.training and not tm[1].training
    assert tm.train().training and tm[2].training
    tm(Tensor([[1.0, 2.0]])).sum().backward()
    tm.zero_grad()
    assert all(p.grad is None for p in tm.parameters())


# -- one MLP signature and its errors ----------------------------------------------------------
def test_mlp_and_tensor_mlp_have_one_signature_and_default() -> None:
    sig_v, sig_t = inspect.signature(MLP), inspect.signature(TensorMLP)
    assert list(sig_v.parameters)[:3] == list(sig_t.parameters)[:3] == ["nin", "nouts", "activation"]
    assert sig_v.parameters["activation"].default == sig_t.parameters["activation"].default == "relu"
    tm = TensorMLP(2, [4, 4, 1])
    assert [type(m) for m in tm] == [Linear, ReLU, Linear, ReLU, Linear]
    vm = MLP(2, [4, 4, 1])
    assert [layer.neurons[0].activation for layer in vm.layers] == ["relu", "relu", "linear"]
    # the same network: equal outputs once the weights are equal, relu included
    tm.load_state_dict(vm.state_dict())
    x = np.random.default_rng(6).normal(size=(8, 2))
    close(tm(Tensor(x)).data, value_outputs(vm, x), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("cls", [MLP, TensorMLP])
def test_mlp_signature_mistakes_say_what_is_expected(cls: type) -> None:
    name = cls.__name__
    with pytest.raises(
        TypeError,
        match=rf"{name}: nin must be an int .*got list \[2, 16, 1\].*did you mean {name}\(2, \[16, 1\]\)",
    ):
        cls([2, 16, 1])
    with pytest.raises(
        TypeError, match=rf"{name}: missing nouts, the list of layer sizes.*{name}\(2, \[16, 16, 1\]\)"
    ):
        cls(2)
    with pytest.raises(TypeError, match=rf"{name}: nouts must be a list of layer sizes.*got int 1"):
        cls(2, 1)
    with pytest.raises(
        ValueError, match=rf"{name}: nouts must be a non-empty list of positive ints, got \[16, 0\]"
    ):
        cls(2, [16, 0])
    with pytest.raises(ValueError, match=rf"{name}: activation must be one of .*got \[16, 1\]"):
        cls(2, [3], [16, 1])
    with pytest.raises(TypeError, match=rf"{name}: nin must be a positive int, got float 2.5"):
        cls(2.5, [1])


def test_layer_input_size_errors_name_the_layer() -> None:
    with pytest.raises(
        ValueError,
        match=r"Linear\(in_features=3, out_features=2\): expected an input whose last "
        r"dimension is in_features=3, got shape \(4, 5\)",
    ):
        Linear(3, 2)(Tensor(np.ones((4, 5))))
    with pytest.raises(ValueError, match=r"in_features=3, got shape \(\)"):
        Linear(3, 2)(Tensor(1.0))
    lin = Linear(3, 2, rng=0)
    ref = torch.nn.Linear(3, 2).double()
    ref.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in lin.state_dict().items()})
    x = np.array([0.5, -1.0, 2.0])  # 1-d input and 3-d input, as torch allows
    close(lin(Tensor(x)).data, ref(torch.from_numpy(x)), rtol=1e-15, atol=0)
    x3 = np.random.default_rng(0).normal(size=(2, 4, 3))
    close(lin(Tensor(x3)).data, ref(torch.from_numpy(x3)), rtol=1e-14, atol=1e-15)
    with pytest.raises(TypeError, match="Linear: in_features must be a positive int, got int 0"):
        Linear(0, 2)
    with pytest.raises(ValueError, match=r"Neuron: expected 2 inputs \(nin=2\), got 3"):
        MLP(2, [3, 1])([1.0, 2.0, 3.0])


def test_micrograd_demo_code_runs_unchanged_and_gives_micrograds_numbers() -> None:
    """micrograd's demo loop, verbatim, on both engines from the same `random` seed."""
    micrograd_nn = pytest.importorskip("micrograd.nn")
    import micrograd.engine

    import autograd.nn

    x = np.random.default_rng(0).normal(size=(8, 2)).tolist()
    y = [1.0 if a * b > 0 else -1.0 for a, b in x]
    results = []
    for nn, ValueCls in ((micrograd_nn, micrograd.engine.Value), (autograd.nn, Value)):
        random.seed(1337)
        model = nn.MLP(2, [16, 16, 1])  # 2-layer neural network
        losses = []
        for k in range(2):
            inputs = [list(map(ValueCls, xrow)) for xrow in x]
            scores = list(map(model, inputs))
            data_loss = sum((1 + -yi * si).relu() for yi, si in zip(y, scores)) * (1.0 / len(scores))
            total_loss = data_loss + 1e-4 * sum(p * p for p in model.parameters())
            model.zero_grad()
            total_loss.backward()
            for p in model.parameters():
                p.data -= (1.0 - 0.9 * k / 100) * p.grad
            losses.append(total_loss.data)
        results.append((losses, [p.data for p in model.parameters()], str(model.layers[0].neurons[0])))
    (ml, mp, mrepr), (ol, op, orepr) = results
    close(ol, ml, rtol=1e-13, atol=0)
    close(op, mp, rtol=1e-12, atol=1e-15)
    assert orepr == mrepr == "ReLUNeuron(2)"
