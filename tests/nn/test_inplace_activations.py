"""The in-place activations against torch 2.13's: ``F.relu_``, ``elu_``, ``leaky_relu_``,
``hardtanh_``, ``threshold_``, ``celu_``, ``selu_`` (``rrelu_``: test_rrelu_inplace.py), torch's
top-level ``relu_``, ``sigmoid_``, ``tanh_``, ``threshold_``, ``celu_``, ``selu_``, ``rrelu_`` and
``Tensor.relu_``, ``sigmoid_``, ``tanh_``: written into their input (views write through) and
returned, torch's bits (nan, ±0, ±inf, float32, integers, 0-d, empty), the version counter counted
(a backward pass that reads the old numbers refuses, as torch's), recorded in the graph on a tensor
computed from others, and refused as the library's in-place rules refuse a write and as torch's
kernels refuse a dtype, named."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")
import torch.nn.functional as TF  # noqa: E402

import autograd as ag  # noqa: E402
import autograd.nn.functional as F  # noqa: E402

EDGES = np.array([-1.5, math.nan, 0.0, -0.0, 2.0, math.inf, -math.inf, -1e-300, 0.7, -30.0, 30.0])

#: name -> (ours, torch's, arguments); each is called on the tensor, then compared bit for bit
CASES: dict[str, tuple[Any, Any, tuple]] = {
    "F.relu_": (F.relu_, TF.relu_, ()),
    "F.elu_": (F.elu_, TF.elu_, ()),
    "F.elu_ alpha": (F.elu_, TF.elu_, (0.5,)),
    "F.leaky_relu_": (F.leaky_relu_, TF.leaky_relu_, ()),
    "F.leaky_relu_ slope": (F.leaky_relu_, TF.leaky_relu_, (0.3,)),
    "F.hardtanh_": (F.hardtanh_, TF.hardtanh_, ()),
    "F.hardtanh_ bounds": (F.hardtanh_, TF.hardtanh_, (-0.5, 2.5)),
    "F.threshold_": (F.threshold_, TF.threshold_, (0.5, -2.0)),
    "F.celu_": (F.celu_, TF.celu_, ()),
    "F.celu_ alpha": (F.celu_, TF.celu_, (2.0,)),
    "F.selu_": (F.selu_, TF.selu_, ()),
    "relu_": (ag.relu_, torch.relu_, ()),
    "sigmoid_": (ag.sigmoid_, torch.sigmoid_, ()),
    "tanh_": (ag.tanh_, torch.tanh_, ()),
    "threshold_": (ag.threshold_, torch.threshold_, (-1.0, 3.0)),
    "celu_": (ag.celu_, torch.celu_, (0.25,)),
    "selu_": (ag.selu_, torch.selu_, ()),
    "rrelu_": (ag.rrelu_, torch.rrelu_, (0.1, 0.3)),
    "Tensor.relu_": (ag.Tensor.relu_, torch.Tensor.relu_, ()),
    "Tensor.sigmoid_": (ag.Tensor.sigmoid_, torch.Tensor.sigmoid_, ()),
    "Tensor.tanh_": (ag.Tensor.tanh_, torch.Tensor.tanh_, ()),
}
#: the ones torch's kernels run on integer tensors too
INTEGERS = [
    "F.relu_", "F.hardtanh_", "F.hardtanh_ bounds", "F.threshold_", "relu_", "threshold_", "Tensor.relu_"
]  # fmt: skip
#: the ones of an exponential (torch's SLEEF kernels): within 2 ulp of torch's, not bit for bit (as
#: the functions they write: the numerics guide); the others are selections and products: bitwise
EXPONENTIAL = ("elu", "celu", "selu", "sigmoid", "tanh")


def _bits(mine: np.ndarray, theirs: np.ndarray) -> None:
    assert mine.dtype == theirs.dtype and mine.shape == theirs.shape
    assert mine.tobytes() == theirs.tobytes(), (mine, theirs)


def _same(name: str, mine: np.ndarray, theirs: np.ndarray) -> None:
    """torch's bits, or for an exponential's within 2 ulp (nan where torch's is, zeros' signs)."""
    if name.split(".")[-1].split(" ")[0].rstrip("_") not in EXPONENTIAL:
        return _bits(mine, theirs)
    assert mine.dtype == theirs.dtype and mine.shape == theirs.shape
    nan = np.isnan(theirs)  # (a nan's sign is the kernel's: torch's float32 sigmoid gives -nan)
    assert (np.isnan(mine) == nan).all() and (np.signbit(mine) == np.signbit(theirs))[~nan].all()
    np.testing.assert_array_max_ulp(np.nan_to_num(mine), np.nan_to_num(theirs), maxulp=2)


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_in_place_activation_is_torchs_and_returns_its_input(name: str, dtype: Any) -> None:
    """The input's bits changed to torch's (signed zeros too), the same object returned, its dtype
    kept, one write counted on torch's version counter; 0-d and empty inputs alike."""
    mine, theirs, args = CASES[name]
    for data in (EDGES, EDGES.reshape(1, 11)[:, ::2], np.array(-0.75), np.zeros((0, 3))):
        a, t = ag.tensor(np.array(data, dtype=dtype)), torch.tensor(np.array(data, dtype=dtype))
        version = a._version
        assert mine(a, *args) is a and theirs(t, *args) is t
        assert a._version == version + 1
        _same(name, a.data, t.numpy())


@pytest.mark.parametrize("name", INTEGERS)
def test_integer_tensors_where_torch_takes_them(name: str) -> None:
    mine, theirs, args = CASES[name]
    data = np.array([-3, -1, 0, 1, 2, 5])
    a, t = ag.tensor(data.copy()), torch.tensor(data.copy())
    assert mine(a, *args) is a
    theirs(t, *args)
    _bits(a.data, t.numpy())


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("data", [np.array([1, -2]), np.array([True, False])], ids=["int64", "bool"])
def test_a_dtype_torch_refuses_raises_torchs_error_class(name: str, data: np.ndarray) -> None:
    """An integer tensor (where torch's kernel has no integer form) or a bool one raises the class
    of torch's error, naming the op and the dtype; the tensor is unchanged."""
    mine, theirs, args = CASES[name]
    try:
        theirs(torch.tensor(data.copy()), *args)
    except (RuntimeError, NotImplementedError) as e:
        expected: Any = type(e)
    else:
        assert name in INTEGERS and data.dtype != np.bool_
        return
    a = ag.tensor(data.copy())
    with pytest.raises(expected, match=f"{name.split('.')[-1].split(' ')[0]}.*{data.dtype}") as raised:
        mine(a, *args)
    assert type(raised.value) is expected  # (NotImplementedError is a RuntimeError: the class itself)
    assert np.array_equal(a.data, data)


@pytest.mark.parametrize("name", list(CASES))
def test_the_in_place_rules_refuse_writes_as_add_(name: str) -> None:
    """A leaf that requires grad: torch's error (and written under no_grad); a tensor computed from
    others that requires grad: recorded, torch's numbers and gradient; an expand view: refused,
    named; a list: a TypeError."""
    mine, theirs, args = CASES[name]
    op = name.split(".")[-1].split(" ")[0]
    w = ag.tensor(EDGES.copy(), requires_grad=True)
    with pytest.raises(RuntimeError, match=f"{op}: a leaf Variable that requires grad"):
        mine(w, *args)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        theirs(torch.tensor(EDGES.copy(), requires_grad=True), *args)
    assert np.array_equal(w.data, EDGES, equal_nan=True)
    with ag.no_grad():
        assert mine(w, *args) is w
    tw = torch.tensor(EDGES.copy(), requires_grad=True)
    with torch.no_grad():
        theirs(tw, *args)
    _same(name, w.data, tw.detach().numpy())
    if op != "rrelu_":  # (on a computed tensor: recorded, torch's values and gradient)
        a, ta = ag.tensor(EDGES.copy(), requires_grad=True), torch.tensor(EDGES.copy(), requires_grad=True)
        y, ty = a * 2.0, ta * 2.0
        assert mine(y, *args) is y and theirs(ty, *args) is ty
        (y * 3.0).sum().backward()
        (ty * 3.0).sum().backward()
        _same(name, y.data, ty.detach().numpy())
        finite = ~np.isnan(EDGES)  # (at nan the out-of-place rules' gradients are the library's own)
        np.testing.assert_allclose(a.grad.data[finite], ta.grad.numpy()[finite], rtol=1e-12, atol=1e-300)
    if op != "threshold_":
        with pytest.raises(RuntimeError, match=f"{op}: unsupported operation: more than one element"):
            mine(ag.ones(3).expand(2, 3), *args)
    if not name.startswith("Tensor."):
        with pytest.raises(TypeError, match=f"{op}\\(\\): argument 'input' .* must be Tensor, not list"):
            mine([1.0, -2.0], *args)


@pytest.mark.parametrize("name", ["F.relu_", "F.elu_", "sigmoid_", "Tensor.tanh_", "F.threshold_"])
def test_a_view_writes_through_and_a_backward_pass_that_read_the_old_numbers_refuses(name: str) -> None:
    mine, theirs, args = CASES[name]
    rows = EDGES.reshape(1, 11).repeat(2, 0)
    base, tbase = ag.tensor(rows), torch.tensor(rows)
    mine(base[1, 2:], *args)
    theirs(tbase[1, 2:], *args)
    _same(name, base.data, tbase.numpy())
    w, tw = ag.tensor([1.0, 2.0], requires_grad=True), torch.tensor([1.0, 2.0], requires_grad=True)
    b, tb = ag.tensor([-1.0, 0.5]), torch.tensor([-1.0, 0.5])
    y, ty = (w * b).sum(), (tw * tb).sum()  # (the product's backward reads b)
    mine(b, *args)
    theirs(tb, *args)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        ty.backward()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()


def test_threshold_writes_into_an_expand_view_as_torch() -> None:
    """torch's threshold_ does not refuse a tensor whose elements share memory (the others do):
    the elements of one location are equal, so are their results, written once."""
    column = np.array([[-1.0], [3.0]])
    mine, theirs = ag.tensor(column).expand(2, 3), torch.tensor(column).expand(2, 3)
    assert F.threshold_(mine, 0.0, 2.0) is mine
    TF.threshold_(theirs, 0.0, 2.0)
    _bits(mine.data, theirs.numpy())


def test_the_top_level_names_are_nn_functionals_as_in_torch() -> None:
    """torch.relu_ is F.relu_ (and celu_, selu_, threshold_, rrelu_): so are this library's."""
    for name in ("relu_", "celu_", "selu_", "threshold_", "rrelu_"):
        assert getattr(torch, name) is getattr(TF, name)
        assert getattr(ag, name) is getattr(F, name)
    assert not hasattr(TF, "sigmoid_") and not hasattr(F, "sigmoid_")


@pytest.mark.parametrize(
    ("call", "error", "says"),
    [
        (lambda: F.elu_(ag.ones(2), "a"), TypeError, "alpha"),
        (lambda: F.leaky_relu_(ag.ones(2), None), TypeError, "negative_slope"),
        (lambda: F.threshold_(ag.ones(2), "x", 1.0), TypeError, "threshold"),
        (lambda: F.celu_(ag.ones(2), 0.0), ValueError, "alpha"),
    ],
)
def test_bad_arguments_are_named(call: Any, error: type, says: str) -> None:
    with pytest.raises(error, match=says):
        call()
