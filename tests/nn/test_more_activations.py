"""The activations added beside relu and softplus (logsigmoid, softmin, hardtanh, relu6, hardsigmoid,
hardswish, softsign, tanhshrink, mish, threshold, selu, celu): values and gradients against
torch.nn.functional in float64, at the kinks, at ±0, far out, at ±inf and nan; on Tensors,
ValueArrays and Values; and bad arguments."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
import torch.nn as tnn
import torch.nn.functional as TF

import autograd
import autograd.nn as nn
import autograd.nn.functional as F
from autograd import Tensor, Value, ValueArray

EDGES = [-1e3, -40.0, -7.0, -3.0, -2.5, -1.0, -1e-8, -0.0, 0.0, 1e-8, 0.7, 1.0, 2.9, 3.0, 6.0, 6.5, 40.0, 1e3]
NONFINITE = [np.nan, np.inf, -np.inf]

CASES: dict[str, tuple[Any, Any]] = {
    "logsigmoid": (F.logsigmoid, TF.logsigmoid),
    "hardtanh": (F.hardtanh, TF.hardtanh),
    "hardtanh bounds": (lambda x: F.hardtanh(x, -2.5, 0.7), lambda t: TF.hardtanh(t, -2.5, 0.7)),
    "relu6": (F.relu6, TF.relu6),
    "hardsigmoid": (F.hardsigmoid, TF.hardsigmoid),
    "hardswish": (F.hardswish, TF.hardswish),
    "softsign": (F.softsign, TF.softsign),
    "tanhshrink": (F.tanhshrink, TF.tanhshrink),
    "mish": (F.mish, TF.mish),
    "threshold": (lambda x: F.threshold(x, 0.7, -2.0), lambda t: TF.threshold(t, 0.7, -2.0)),
    "selu": (F.selu, TF.selu),
    "celu": (lambda x: F.celu(x, 0.5), lambda t: TF.celu(t, 0.5)),
    "celu default": (F.celu, TF.celu),
    "elu": (F.elu, TF.elu),  # (its gradient at nan passes, as torch's)
}


def _both(name: str, values: list[float]) -> tuple[Tensor, torch.Tensor, Tensor, torch.Tensor]:
    ours, theirs = CASES[name]
    x = Tensor(np.array(values), requires_grad=True)
    t = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    u = np.linspace(-1.5, 2.0, len(values))
    out, ref = ours(x), theirs(t)
    out.backward(Tensor(u))
    ref.backward(torch.tensor(u))
    return out, ref, x, t


@pytest.mark.parametrize("name", CASES)
def test_values_and_gradients_as_torch(name: str) -> None:
    out, ref, x, t = _both(name, EDGES)
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-13, atol=1e-300)
    # (and a zero's sign, which atan2 or 1/x reads: hardswish(x <= -3) is -0, logsigmoid(1e3) +0)
    np.testing.assert_array_equal(np.signbit(out.data), np.signbit(ref.detach().numpy()))
    # (gradients: torch's hardsigmoid multiplies by a float32 1/6, 3e-8 off in float64; selu's and
    # celu's go through expm1's rule, exp(x) = expm1(x) + 1, which is 0 where expm1(x) rounds to -1)
    rtol = 1e-7 if name == "hardsigmoid" else 1e-12
    np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=rtol, atol=1e-15)


@pytest.mark.parametrize("name", CASES)
def test_nan_and_infinities_as_torch(name: str) -> None:
    out, ref, x, t = _both(name, NONFINITE)
    want = ref.detach().numpy()
    if name == "hardswish":  # (deliberate: hardswish(-inf) is its limit 0; torch's -inf · 0 is nan)
        assert out.data[2] == 0.0 and np.isnan(want[2])
        want = np.array([want[0], want[1], 0.0])
    np.testing.assert_array_equal(out.data, want)  # (nan matches nan)
    np.testing.assert_array_equal(x.grad.data, t.grad.numpy())


def test_softmin_as_torch() -> None:
    a = np.array([[1.0, -2.0, 1e3, 0.5], [-np.inf, 0.0, 3.0, 3.0]])
    x, t = Tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    u = np.arange(8.0).reshape(2, 4)
    F.softmin(x, dim=1).backward(Tensor(u))
    TF.softmin(t, dim=1).backward(torch.tensor(u))
    np.testing.assert_allclose(
        F.softmin(Tensor(a), 1).data, TF.softmin(torch.tensor(a), 1).numpy(), rtol=1e-14
    )
    np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=1e-12, atol=1e-300)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmin"):
        F.softmin(Tensor(a))


@pytest.mark.parametrize("name", CASES)
def test_value_arrays_and_values_give_the_tensors_numbers(name: str) -> None:
    ours, _ = CASES[name]
    values = [-7.0, -3.0, -0.5, 0.0, 0.7, 3.0, 6.5]
    tensor = Tensor(np.array(values), requires_grad=True)
    ours(tensor).sum().backward()
    array = ValueArray(values)
    ours(array).sum().to_value().backward()
    # (a Value's tanh and exp are Python's math functions, numpy's may round the last bit otherwise)
    np.testing.assert_allclose(ours(array).data, ours(Tensor(np.array(values))).data, rtol=1e-12)
    np.testing.assert_allclose(array.grad, tensor.grad.data, rtol=1e-12)
    v = Value(-0.5)
    out = ours(v)
    assert isinstance(out, Value)
    out.backward()
    assert out.data == pytest.approx(ours(Tensor(-0.5)).item(), rel=1e-12)


def test_bad_arguments_are_named() -> None:
    with pytest.raises(ValueError, match="hardtanh: min_val must not exceed max_val, got 2.0 and 1.0"):
        F.hardtanh(Tensor([0.0]), 2.0, 1.0)
    with pytest.raises(TypeError, match="threshold: value must be a real number, got str"):
        F.threshold(Tensor([0.0]), 0.5, "0")
    with pytest.raises(ValueError, match="celu: alpha must not be 0"):
        F.celu(Tensor([0.0]), 0.0)


def test_the_check_catches_a_wrong_kink() -> None:
    # hardtanh through clip has gradient 1 at the bounds, where torch's is 0: the comparison sees it
    x = Tensor(np.array([-1.0, 1.0, 0.5]), requires_grad=True)
    x.clip(-1.0, 1.0).sum().backward()
    t = torch.tensor([-1.0, 1.0, 0.5], dtype=torch.float64, requires_grad=True)
    TF.hardtanh(t).sum().backward()
    assert not np.array_equal(x.grad.data, t.grad.numpy())


MODULES = [
    ("ReLU6", ()),
    ("Hardtanh", (-2.0, 3.0)),
    ("SELU", ()),
    ("CELU", (0.5,)),
    ("Mish", ()),
    ("Hardswish", ()),
    ("Hardsigmoid", ()),
    ("LogSigmoid", ()),
    ("Softsign", ()),
    ("Tanhshrink", ()),
    ("Threshold", (0.1, 20.0)),
    ("Softmin", (1,)),
]


@pytest.mark.parametrize(("name", "args"), MODULES)
def test_modules_as_torchs(name: str, args: tuple) -> None:
    ours, theirs = getattr(nn, name)(*args), getattr(tnn, name)(*args)
    assert repr(ours) == repr(theirs)
    a = np.array([[-7.0, -3.0, -0.5, 0.0], [0.7, 3.0, 6.5, 40.0]])
    x, t = Tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    model, reference = nn.Sequential(nn.Linear(4, 4), ours), tnn.Sequential(tnn.Linear(4, 4).double(), theirs)
    model.load_state_dict({k: v.detach().numpy() for k, v in reference.state_dict().items()})
    model(x).sum().backward()
    reference(t).sum().backward()
    np.testing.assert_allclose(model(Tensor(a)).data, reference(torch.tensor(a)).detach().numpy(), rtol=1e-12)
    rtol = 1e-7 if name == "Hardsigmoid" else 1e-10  # (torch's float32 1/6: see above)
    np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=rtol, atol=1e-15)


#: the smooth ones and the elu family. (Not here: hardtanh, relu6, hardsigmoid and threshold, whose
#: create_graph gradient is a constant here, a node of derivative 0 in torch; mish at 1e3, where
#: torch's second derivative is nan and the limit 0 is given here)
SECOND_ORDER = {**CASES, "celu 2": (lambda x: F.celu(x, 2.0), lambda t: TF.celu(t, 2.0))}
SECOND_ORDER["celu -2"] = (lambda x: F.celu(x, -2.0), lambda t: TF.celu(t, -2.0))
SECOND_ORDER["elu 0.5"] = (lambda x: F.elu(x, 0.5), lambda t: TF.elu(t, 0.5))
for _name in ("hardtanh", "hardtanh bounds", "relu6", "hardsigmoid", "threshold", "mish"):
    del SECOND_ORDER[_name]


@pytest.mark.parametrize("name", SECOND_ORDER)
def test_second_derivatives_as_torch(name: str) -> None:
    # d/dx of the create_graph gradient, at the kinks and at exactly ±0 (torch's elu family masks its
    # second derivative by x < 0: 0 at 0, though the first derivative there is the negative branch's)
    ours, theirs = SECOND_ORDER[name]
    values = EDGES + NONFINITE
    u = np.linspace(-1.5, 2.0, len(values))
    x = Tensor(np.array(values), requires_grad=True)
    t = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    (g,) = autograd.grad((ours(x) * Tensor(u)).sum(), x, create_graph=True)
    (gt,) = torch.autograd.grad((theirs(t) * torch.tensor(u)).sum(), t, create_graph=True)
    np.testing.assert_allclose(g.data, gt.detach().numpy(), rtol=1e-12, atol=1e-15)
    if not gt.requires_grad:  # (torch's gradient is a constant of x: nothing to differentiate)
        return
    (gg,) = autograd.grad(g.sum(), x, allow_unused=True)
    (ggt,) = torch.autograd.grad(gt.sum(), t)
    got = np.zeros(len(values)) if gg is None else gg.data
    np.testing.assert_allclose(got, ggt.numpy(), rtol=1e-12, atol=1e-15)
