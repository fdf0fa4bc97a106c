"""The torch.nn modules and functional forms added in session 11: ``PReLU``/``prelu``,
``Hardshrink``/``Softshrink`` (and their functions), the padding modules, ``Unfold``/``Fold``,
``Softmax2d``, ``UpsamplingNearest2d``/``UpsamplingBilinear2d`` and ``upsample*``,
``ChannelShuffle``/``channel_shuffle``: values and gradients (of the input and the parameters)
against torch 2.13 in float64 and float32, reprs, state-dict keys, nan/inf, bad arguments."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn as tnn
import torch.nn.functional as TF

import autograd
import autograd.nn as nn
import autograd.nn.functional as F
from autograd import Tensor, Value

DTYPES = [(np.float64, torch.float64), (np.float32, torch.float32)]


def _tol(dtype: Any) -> dict[str, float]:
    return {"rtol": 1e-12, "atol": 1e-12} if dtype == np.float64 else {"rtol": 2e-6, "atol": 2e-6}


def _against_torch(
    ours: Callable[[Tensor], Any],
    theirs: Callable[[torch.Tensor], torch.Tensor],
    x: np.ndarray,
    seed: int = 0,
) -> tuple[Tensor, torch.Tensor]:
    """``ours(x)`` and ``theirs(x)``, their values and the input gradients of a random upstream
    gradient compared (nan where torch has nan); returns both inputs for further checks."""
    a, t = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ya, yt = ours(a), theirs(t)
    assert ya.data.dtype == x.dtype and ya.shape == tuple(yt.shape)
    np.testing.assert_allclose(ya.data, yt.detach().numpy(), **_tol(x.dtype))
    up = np.random.default_rng(seed).standard_normal(ya.shape).astype(x.dtype)
    (ya * Tensor(up)).sum().backward()
    yt.backward(torch.tensor(up))
    np.testing.assert_allclose(a.grad.data, t.grad.numpy(), **_tol(x.dtype))
    return a, t


# -- hardshrink, softshrink
SHRINK_X = np.tile([np.nan, 0.5, -0.5, 0.6, -0.6, 1.0, np.inf, -np.inf, 0.2, -0.3, 0.0, -7.0, 1e3, 0.49], 8)


@pytest.mark.parametrize("dtype", [d for d, _ in DTYPES])
@pytest.mark.parametrize("name", ["hardshrink", "softshrink"])
@pytest.mark.parametrize("lambd", [0.5, 0.0, 0.3, 2.0])
def test_shrink_values_and_gradients_match_torch(dtype: Any, name: str, lambd: float) -> None:
    x = SHRINK_X.astype(dtype)
    ours, theirs = getattr(F, name), getattr(TF, name)
    a, t = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ya, yt = ours(a, lambd), theirs(t, lambd)
    np.testing.assert_allclose(ya.data, yt.detach().numpy(), **_tol(dtype))  # (nan where torch's is)
    up = np.random.default_rng(0).standard_normal(x.shape).astype(dtype)
    (ya * Tensor(up)).sum().backward()
    yt.backward(torch.tensor(up))
    nan = np.isnan(x)
    np.testing.assert_allclose(a.grad.data[~nan], t.grad.numpy()[~nan], **_tol(dtype))
    # at nan: 1, torch's scalar kernel and autograd.hardshrink's (torch's vectorised kernel gives 0)
    np.testing.assert_array_equal(a.grad.data[nan], up[nan])
    short = torch.tensor([np.nan, 1.0], dtype=t.dtype, requires_grad=True)  # (torch's scalar kernel)
    theirs(short, lambd).sum().backward()
    assert short.grad[0].item() == 1.0
    if name == "hardshrink":  # one rule with the Tensor member
        m = Tensor(x, requires_grad=True)
        (autograd.hardshrink(m, lambd) * Tensor(up)).sum().backward()
        np.testing.assert_array_equal(autograd.hardshrink(Tensor(x), lambd).data, ya.data)
        np.testing.assert_array_equal(m.grad.data, a.grad.data)
    module, torch_module = getattr(nn, name.capitalize())(lambd), getattr(tnn, name.capitalize())(lambd)
    assert repr(module) == repr(torch_module) and module.state_dict() == {}
    np.testing.assert_array_equal(module(Tensor(x)).data, torch_module(torch.tensor(x)).numpy())


def test_shrink_on_values_and_errors() -> None:
    assert F.hardshrink(Value(0.7)).data == 0.7 and F.hardshrink(Value(-0.4)).data == 0.0
    y = F.softshrink(Value(-0.7))
    y.backward()
    assert y.data == pytest.approx(-0.2) and isinstance(y, Value)
    with pytest.raises(TypeError, match="hardshrink: lambd must be a real number, got str"):
        F.hardshrink(Tensor([1.0]), "0.5")
    with pytest.raises(ValueError, match="softshrink: lambd must be at least 0, got -1"):
        F.softshrink(Tensor([1.0]), -1)
    with pytest.raises(ValueError, match="lambd"):
        nn.Softshrink(-0.5)(Tensor([1.0]))
    assert F.hardshrink(Tensor(np.zeros((0, 3)))).shape == (0, 3)


# -- prelu, PReLU
@pytest.mark.parametrize("dtype,tdtype", DTYPES)
@pytest.mark.parametrize(
    "shape,channels", [((2, 3, 4, 5), 3), ((2, 3, 4, 5), 1), ((4, 3), 3), ((5,), 1), ((), 1), ((2, 4, 3), 4)]
)
def test_prelu_values_and_both_gradients_match_torch(
    dtype: Any, tdtype: Any, shape: tuple, channels: int
) -> None:
    rng = np.random.default_rng(1)
    x = rng.standard_normal(shape).astype(dtype)
    w = rng.uniform(-1, 1, channels).astype(dtype)
    wa, wt = Tensor(w, requires_grad=True), torch.tensor(w, requires_grad=True)
    _against_torch(lambda v: F.prelu(v, wa), lambda v: TF.prelu(v, wt), x)
    np.testing.assert_allclose(wa.grad.data, wt.grad.numpy(), **_tol(dtype))


def test_prelu_at_zero_nan_and_inf() -> None:
    x = np.array([[0.0, -0.0, np.nan, np.inf, -np.inf, -2.0]])
    wa, wt = Tensor([0.25], requires_grad=True), torch.tensor([0.25], dtype=torch.float64, requires_grad=True)
    _against_torch(lambda v: F.prelu(v, wa), lambda v: TF.prelu(v, wt), x)
    np.testing.assert_array_equal(wa.grad.data, wt.grad.numpy())


@pytest.mark.parametrize("dtype,tdtype", DTYPES)
@pytest.mark.parametrize("num,init", [(1, 0.25), (3, -0.5)])
def test_prelu_module_matches_torch(dtype: Any, tdtype: Any, num: int, init: float) -> None:
    ours, theirs = nn.PReLU(num, init, dtype=dtype), tnn.PReLU(num, init, dtype=tdtype)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["weight"]
    assert ours.weight.dtype == dtype and ours.weight.requires_grad
    np.testing.assert_array_equal(ours.weight.data, theirs.weight.detach().numpy())
    with torch.no_grad():
        theirs.weight.copy_(torch.linspace(-1, 1, num, dtype=tdtype))
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    x = np.random.default_rng(2).standard_normal((2, 3, 4)).astype(dtype)
    _against_torch(ours, theirs, x)
    np.testing.assert_allclose(ours.weight.grad.data, theirs.weight.grad.numpy(), **_tol(dtype))
    ours.reset_parameters()
    np.testing.assert_array_equal(ours.weight.data, np.full(num, init, dtype))


def test_prelu_errors() -> None:
    with pytest.raises(
        ValueError, match=r"prelu: weight must have 1 element or one per channel \(3\), got shape \(2,\)"
    ):
        F.prelu(Tensor(np.ones((2, 3))), Tensor([0.1, 0.2]))
    with pytest.raises(ValueError, match="prelu: weight must be 0- or 1-d, got shape"):
        F.prelu(Tensor(np.ones((2, 3))), Tensor(np.ones((1, 3))))
    with pytest.raises(TypeError, match="PReLU: num_parameters must be a positive int, got int 0"):
        nn.PReLU(0)
    with pytest.raises(ValueError, match=r"one per channel \(1\), got shape \(5,\)"):  # 1-d: one channel
        F.prelu(Tensor(np.ones(5)), Tensor(np.ones(5)))


# -- padding modules
PADS = {1: (2, 1), 2: (1, 2, 2, 0), 3: (1, 0, 2, 1, 0, 2)}


@pytest.mark.parametrize("dtype,tdtype", DTYPES)
@pytest.mark.parametrize("kind", ["ZeroPad", "ConstantPad", "ReflectionPad", "ReplicationPad", "CircularPad"])
@pytest.mark.parametrize("dims", [1, 2, 3])
@pytest.mark.parametrize("as_int", [False, True])
def test_padding_modules_match_torch(dtype: Any, tdtype: Any, kind: str, dims: int, as_int: bool) -> None:
    padding = 2 if as_int else PADS[dims]
    args = (padding, 3.5) if kind == "ConstantPad" else (padding,)
    name = f"{kind}{dims}d"
    ours, theirs = getattr(nn, name)(*args), getattr(tnn, name)(*args)
    assert repr(ours) == repr(theirs) and ours.state_dict() == {}
    x = np.random.default_rng(dims).standard_normal((2, 3) + (4,) * dims).astype(dtype)
    _against_torch(ours, theirs, x)
    np.testing.assert_array_equal(ours(Tensor(x)).data, theirs(torch.tensor(x)).numpy())  # copies: exact
    if kind != "CircularPad" or dims < 3:  # (unbatched input, one dimension fewer)
        _against_torch(ours, theirs, x[0])


def test_padding_module_errors() -> None:
    with pytest.raises(TypeError, match=r"ZeroPad2d: padding must be an int or a tuple of 4 ints, got str"):
        nn.ZeroPad2d("1")
    with pytest.raises(ValueError):  # F.pad's check: reflection needs the pad below the size
        nn.ReflectionPad1d(5)(Tensor(np.ones((1, 2, 3))))


# -- Unfold, Fold
@pytest.mark.parametrize("dtype,tdtype", DTYPES)
@pytest.mark.parametrize(
    "kw",
    [
        {"kernel_size": (2, 3), "dilation": 1, "padding": 1, "stride": 2},
        {"kernel_size": 2, "dilation": (2, 1), "padding": 0, "stride": (1, 2)},
    ],
)
def test_unfold_fold_modules_match_torch(dtype: Any, tdtype: Any, kw: dict) -> None:
    ours, theirs = nn.Unfold(**kw), tnn.Unfold(**kw)
    assert repr(ours) == repr(theirs)
    x = np.random.default_rng(3).standard_normal((2, 3, 5, 6)).astype(dtype)
    _against_torch(ours, theirs, x)
    fo, ft = nn.Fold((5, 6), **kw), tnn.Fold((5, 6), **kw)
    assert repr(fo) == repr(ft)
    cols = theirs(torch.tensor(x)).numpy()
    _against_torch(fo, ft, cols)
    assert (
        repr(nn.Unfold(2)) == repr(tnn.Unfold(2)) == "Unfold(kernel_size=2, dilation=1, padding=0, stride=1)"
    )


# -- Softmax2d
@pytest.mark.parametrize("dtype,tdtype", DTYPES)
@pytest.mark.parametrize("shape", [(2, 3, 4, 5), (3, 4, 5)])
def test_softmax2d_matches_torch(dtype: Any, tdtype: Any, shape: tuple) -> None:
    x = np.random.default_rng(4).standard_normal(shape).astype(dtype) * 5
    _against_torch(nn.Softmax2d(), tnn.Softmax2d(), x)
    assert repr(nn.Softmax2d()) == repr(tnn.Softmax2d())


def test_softmax2d_refuses_other_ranks() -> None:
    with pytest.raises(ValueError, match="Softmax2d: expected a 3-d or 4-d input, got 2-d"):
        nn.Softmax2d()(Tensor(np.ones((2, 3))))


# -- UpsamplingNearest2d, UpsamplingBilinear2d, upsample*
@pytest.mark.parametrize("dtype,tdtype", DTYPES)
@pytest.mark.parametrize("kind", ["Nearest", "Bilinear"])
@pytest.mark.parametrize("kw", [{"scale_factor": 2}, {"size": (5, 7)}, {"scale_factor": (1.5, 2.5)}])
def test_upsampling_modules_match_torch(dtype: Any, tdtype: Any, kind: str, kw: dict) -> None:
    ours, theirs = getattr(nn, f"Upsampling{kind}2d")(**kw), getattr(tnn, f"Upsampling{kind}2d")(**kw)
    assert repr(ours) == repr(theirs)
    x = np.random.default_rng(5).standard_normal((2, 3, 3, 4)).astype(dtype)
    _against_torch(ours, theirs, x)


@pytest.mark.parametrize(
    "name,kw",
    [
        ("upsample", {"mode": "bilinear", "align_corners": False}),
        ("upsample", {}),
        ("upsample_nearest", {}),
        ("upsample_bilinear", {}),
    ],
)
def test_upsample_functions_warn_and_match_torch(name: str, kw: dict) -> None:
    x = np.random.default_rng(6).standard_normal((1, 2, 3, 4))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _against_torch(
            lambda v: getattr(F, name)(v, scale_factor=2, **kw),
            lambda v: getattr(TF, name)(v, scale_factor=2, **kw),
            x,
        )
    ours, theirs = [str(w.message) for w in caught[::2]], [str(w.message) for w in caught[1::2]]
    assert (
        ours == theirs == [f"`nn.functional.{name}` is deprecated. Use `nn.functional.interpolate` instead."]
    )
    assert caught[0].filename == __file__


# -- ChannelShuffle, channel_shuffle
@pytest.mark.parametrize("dtype,tdtype", DTYPES)
@pytest.mark.parametrize(
    "shape,groups", [((2, 6, 3), 3), ((2, 6, 3, 2), 2), ((1, 4, 2, 2, 2), 4), ((2, 5, 3), 1)]
)
def test_channel_shuffle_matches_torch(dtype: Any, tdtype: Any, shape: tuple, groups: int) -> None:
    x = np.random.default_rng(7).standard_normal(shape).astype(dtype)
    _against_torch(nn.ChannelShuffle(groups), tnn.ChannelShuffle(groups), x)
    _against_torch(lambda v: F.channel_shuffle(v, groups), lambda v: TF.channel_shuffle(v, groups), x)
    assert repr(nn.ChannelShuffle(groups)) == repr(tnn.ChannelShuffle(groups))


def test_channel_shuffle_errors() -> None:
    x = Tensor(np.ones((2, 6, 3)))
    with pytest.raises(RuntimeError, match="channel_shuffle: 6 channels are not divisible by groups=4"):
        F.channel_shuffle(x, 4)
    with pytest.raises(RuntimeError, match="channel_shuffle: groups must be positive, got 0"):
        F.channel_shuffle(x, 0)
    with pytest.raises(RuntimeError, match=r"more than 2 dims, got shape \(2, 6\)"):
        F.channel_shuffle(Tensor(np.ones((2, 6))), 2)
    with pytest.raises(TypeError, match="channel_shuffle: groups must be an int, got float 2.0"):
        F.channel_shuffle(x, 2.0)


# -- pdist
@pytest.mark.parametrize("dtype,tdtype", DTYPES)
@pytest.mark.parametrize("p", [2.0, 1.0, 3.0, 0.5, np.inf])
def test_functional_pdist_matches_torch(dtype: Any, tdtype: Any, p: float) -> None:
    x = np.random.default_rng(8).standard_normal((5, 3)).astype(dtype)
    x[3] = x[1]  # a zero distance: gradient 0, as torch's
    _against_torch(lambda v: F.pdist(v, p), lambda v: TF.pdist(v, p), x)
    np.testing.assert_array_equal(F.pdist(Tensor(x), 0).data, TF.pdist(torch.tensor(x), 0).numpy())


# -- gumbel_softmax
@pytest.mark.parametrize("hard", [False, True])
@pytest.mark.parametrize("tau,dim", [(1.0, -1), (0.3, 0)])
def test_gumbel_softmax_draws_and_gradients_match_torch(hard: bool, tau: float, dim: int) -> None:
    x = np.random.default_rng(9).standard_normal((6, 5)).astype(np.float32)
    autograd.manual_seed(11)
    torch.manual_seed(11)
    a, t = _against_torch(
        lambda v: F.gumbel_softmax(v, tau, hard, dim=dim),
        lambda v: TF.gumbel_softmax(v, tau, hard, dim=dim),
        x,
    )
    if hard:  # one-hot rows; the gradient is the soft sample's (straight through), not zero
        y = F.gumbel_softmax(Tensor(x), tau, True, dim=dim).data
        np.testing.assert_array_equal(np.sort(y, axis=dim).take(-1, axis=dim), 1.0)
        assert np.abs(a.grad.data).max() > 1e-3


def test_gumbel_softmax_float64_is_the_softmax_of_its_draws() -> None:
    x = np.random.default_rng(10).standard_normal((4, 7))
    autograd.manual_seed(2)
    y = F.gumbel_softmax(Tensor(x), 0.5).data
    autograd.manual_seed(2)
    g = -np.log(autograd.empty(4, 7, dtype=np.float64).exponential_().data)
    np.testing.assert_allclose(y, torch.softmax(torch.tensor((x + g) / 0.5), -1).numpy(), rtol=1e-14, atol=0)


def test_gumbel_softmax_errors_and_eps_warning() -> None:
    with pytest.raises(ValueError, match="gumbel_softmax: tau must be positive, got 0"):
        F.gumbel_softmax(Tensor(np.ones((2, 3))), 0)
    with pytest.raises(TypeError, match="gumbel_softmax: hard must be a bool, got int 1"):
        F.gumbel_softmax(Tensor(np.ones((2, 3))), 1.0, 1)
    with pytest.warns(UserWarning, match="`eps` parameter is deprecated and has no effect."):
        F.gumbel_softmax(Tensor(np.ones((2, 3))), eps=1e-5)


# -- LazyLinear
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("bias", [True, False])
def test_lazy_linear_infers_in_features_and_draws_torchs_weights(dtype: Any, bias: bool) -> None:
    # the library's float64 draws are torch's float32 ones (its default dtype), so against torch's float32
    autograd.manual_seed(13)  # (nothing is drawn before the first call)
    torch.manual_seed(13)
    ours, theirs = nn.LazyLinear(3, bias, dtype=dtype), tnn.LazyLinear(3, bias)
    assert repr(ours) == repr(theirs) == f"LazyLinear(in_features=0, out_features=3, bias={bias})"
    assert list(ours.state_dict()) == list(theirs.state_dict())
    params = list(ours.parameters())
    x = np.random.default_rng(12).standard_normal((2, 4, 5)).astype(np.float32)
    a, t = Tensor(x.astype(dtype), requires_grad=True), torch.tensor(x, requires_grad=True)
    ya, yt = ours(a), theirs(t)
    assert type(ours) is nn.Linear and repr(ours) == repr(theirs) and ya.dtype == dtype
    assert [id(p) for p in ours.parameters()] == [id(p) for p in params]  # the same Parameters, sized
    for name, value in theirs.state_dict().items():
        np.testing.assert_array_equal(ours.state_dict()[name], value.numpy().astype(dtype))
    np.testing.assert_allclose(ya.data, yt.detach().numpy(), **_tol(np.float32))
    ya.sum().backward()
    yt.sum().backward()
    np.testing.assert_allclose(a.grad.data, t.grad.numpy(), **_tol(np.float32))
    np.testing.assert_allclose(ours.weight.grad.data, theirs.weight.grad.numpy(), **_tol(np.float32))
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})  # after the first call


def test_lazy_linear_errors() -> None:
    with pytest.raises(TypeError, match="LazyLinear: out_features must be a positive int, got int 0"):
        nn.LazyLinear(0)
    with pytest.raises(ValueError, match=r"non-empty last dimension, got shape \(2, 0\)"):
        nn.LazyLinear(2)(Tensor(np.ones((2, 0))))


# -- EmbeddingBag, embedding_bag
BAGS = {
    "2-d": {"input": [[1, 2, 2, 7], [0, 5, 3, 3], [2, 2, 2, 2]]},
    "offsets": {"input": [1, 2, 3, 4, 0, 7, 2, 6], "offsets": [0, 2, 2, 5]},
    "last offset": {"input": [1, 2, 3, 4, 0, 7], "offsets": [0, 2, 2, 6], "include_last_offset": True},
    "empty input": {"input": np.zeros(0, np.int64), "offsets": [0, 0]},
}


def _torch_bag_args(kw: dict) -> dict:
    return {k: (v if k == "include_last_offset" else torch.tensor(np.asarray(v))) for k, v in kw.items()}


@pytest.mark.parametrize("dtype,tdtype", DTYPES)
@pytest.mark.parametrize("bags", list(BAGS))
@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
@pytest.mark.parametrize("padding_idx", [None, 2, -1])
def test_embedding_bag_values_and_weight_gradient_match_torch(
    dtype: Any, tdtype: Any, bags: str, mode: str, padding_idx: int | None
) -> None:
    w = np.random.default_rng(14).standard_normal((8, 3)).astype(dtype)
    wa, wt = Tensor(w, requires_grad=True), torch.tensor(w, requires_grad=True)
    kw = BAGS[bags]
    ya = F.embedding_bag(weight=wa, mode=mode, padding_idx=padding_idx, **kw)
    yt = TF.embedding_bag(weight=wt, mode=mode, padding_idx=padding_idx, **_torch_bag_args(kw))
    assert ya.shape == tuple(yt.shape) and ya.dtype == dtype
    np.testing.assert_allclose(ya.data, yt.detach().numpy(), **_tol(dtype))
    up = np.random.default_rng(15).standard_normal(ya.shape).astype(dtype)
    (ya * Tensor(up)).sum().backward()
    yt.backward(torch.tensor(up))
    np.testing.assert_allclose(wa.grad.data, wt.grad.numpy(), **_tol(dtype))


@pytest.mark.parametrize("dtype,tdtype", DTYPES)
@pytest.mark.parametrize("bags", ["2-d", "offsets"])
def test_embedding_bag_per_sample_weights_gradients_match_torch(dtype: Any, tdtype: Any, bags: str) -> None:
    kw = BAGS[bags]
    rng = np.random.default_rng(16)
    w = rng.standard_normal((8, 3)).astype(dtype)
    psw = rng.standard_normal(np.shape(kw["input"])).astype(dtype)
    wa, wt = Tensor(w, requires_grad=True), torch.tensor(w, requires_grad=True)
    pa, pt = Tensor(psw, requires_grad=True), torch.tensor(psw, requires_grad=True)
    ya = F.embedding_bag(weight=wa, mode="sum", per_sample_weights=pa, padding_idx=7, **kw)
    yt = TF.embedding_bag(weight=wt, mode="sum", per_sample_weights=pt, padding_idx=7, **_torch_bag_args(kw))
    np.testing.assert_allclose(ya.data, yt.detach().numpy(), **_tol(dtype))
    ya.sum().backward()
    yt.sum().backward()
    np.testing.assert_allclose(wa.grad.data, wt.grad.numpy(), **_tol(dtype))
    np.testing.assert_allclose(pa.grad.data, pt.grad.numpy(), **_tol(dtype))


def test_embedding_bag_max_norm_renorms_the_rows_taken_as_torch() -> None:
    w = np.random.default_rng(17).standard_normal((8, 3)) * 3
    wa, wt = Tensor(w.copy()), torch.tensor(w.copy())
    ya = F.embedding_bag([[1, 2], [2, 5]], wa, max_norm=1.0, mode="sum")
    yt = TF.embedding_bag(torch.tensor([[1, 2], [2, 5]]), wt, max_norm=1.0, mode="sum")
    np.testing.assert_allclose(ya.data, yt.numpy(), rtol=1e-12)
    np.testing.assert_allclose(wa.data, wt.numpy(), rtol=1e-12)


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_module_matches_torch(mode: str) -> None:
    autograd.manual_seed(18)
    torch.manual_seed(18)
    ours, theirs = (
        nn.EmbeddingBag(8, 3, mode=mode, padding_idx=1),
        tnn.EmbeddingBag(8, 3, mode=mode, padding_idx=1),
    )
    assert repr(ours) == repr(theirs) and list(ours.state_dict()) == list(theirs.state_dict()) == ["weight"]
    np.testing.assert_array_equal(ours.weight.data, theirs.weight.detach().numpy().astype(np.float64))
    theirs.load_state_dict({"weight": torch.tensor(ours.weight.data)})  # our float64 table into torch's
    theirs.double()
    x, offsets = [1, 2, 3, 4, 0, 7], [0, 2, 2]
    ya, yt = ours(x, offsets), theirs(torch.tensor(x), torch.tensor(offsets))
    np.testing.assert_allclose(ya.data, yt.detach().numpy(), rtol=1e-12, atol=1e-12)
    ya.sum().backward()
    yt.sum().backward()
    np.testing.assert_allclose(ours.weight.grad.data, theirs.weight.grad.numpy(), rtol=1e-12, atol=1e-12)
    big = nn.EmbeddingBag(10, 3, max_norm=1.0, mode="max", padding_idx=2)
    assert repr(big) == repr(tnn.EmbeddingBag(10, 3, max_norm=1.0, mode="max", padding_idx=2))


def test_embedding_bag_errors() -> None:
    w = Tensor(np.ones((5, 2)))
    with pytest.raises(
        ValueError, match="embedding_bag: a 2-d input is a batch of bags: offsets must be None"
    ):
        F.embedding_bag([[1, 2]], w, [0])
    with pytest.raises(ValueError, match="embedding_bag: a 1-d input needs offsets"):
        F.embedding_bag([1, 2], w)
    with pytest.raises(RuntimeError, match=r"embedding_bag: offsets\[0\] must be 0 .*, got 1"):
        F.embedding_bag([1, 2, 3], w, [1, 2])
    with pytest.raises(
        RuntimeError, match=r"non-decreasing and at most the input's length 3, got \[0, 2, 1\]"
    ):
        F.embedding_bag([1, 2, 3], w, [0, 2, 1])
    with pytest.raises(NotImplementedError, match="per_sample_weights needs mode='sum', got mode='max'"):
        F.embedding_bag([1, 2, 3], w, [0, 1], mode="max", per_sample_weights=[1.0, 1.0, 1.0])
    with pytest.raises(
        ValueError, match=r"per_sample_weights must be of the input's shape \(3,\), got \(2,\)"
    ):
        F.embedding_bag([1, 2, 3], w, [0, 1], mode="sum", per_sample_weights=[1.0, 1.0])
    with pytest.raises(ValueError, match="embedding_bag: mode must be one of"):
        F.embedding_bag([[1, 2]], w, mode="min")
    with pytest.raises(ValueError, match="EmbeddingBag: mode must be one of"):
        nn.EmbeddingBag(5, 2, mode="median")
    with pytest.raises((RuntimeError, IndexError), match="9"):
        F.embedding_bag([[1, 9]], w)
    with pytest.raises(TypeError, match="embedding_bag: input must hold integers, got dtype float64"):
        F.embedding_bag([[1.0, 2.0]], w)


# -- LazyConv1d/2d/3d
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(
    "dims,shape,kw",
    [
        (1, (2, 4, 7), {"padding": 1, "groups": 2}),
        (2, (2, 4, 6, 5), {"stride": 2, "bias": False}),
        (2, (4, 6, 5), {"dilation": 2, "padding_mode": "reflect", "padding": 2}),
        (3, (2, 3, 5, 4, 4), {}),
    ],
)
def test_lazy_conv_infers_in_channels_and_draws_torchs_weights(
    dtype: Any, dims: int, shape: tuple, kw: dict
) -> None:
    autograd.manual_seed(20)  # (nothing is drawn before the first call)
    torch.manual_seed(20)
    ours, theirs = (
        getattr(nn, f"LazyConv{dims}d")(6, 3, dtype=dtype, **kw),
        getattr(tnn, f"LazyConv{dims}d")(6, 3, **kw),
    )
    assert repr(ours) == repr(theirs) and list(ours.state_dict()) == list(theirs.state_dict())
    params = list(ours.parameters())
    x = np.random.default_rng(19).standard_normal(shape).astype(np.float32)
    a, t = Tensor(x.astype(dtype), requires_grad=True), torch.tensor(x, requires_grad=True)
    ya, yt = ours(a), theirs(t)
    assert type(ours) is getattr(nn, f"Conv{dims}d") and repr(ours) == repr(theirs) and ya.dtype == dtype
    assert [id(p) for p in ours.parameters()] == [id(p) for p in params]
    for name, value in theirs.state_dict().items():
        np.testing.assert_array_equal(ours.state_dict()[name], value.numpy().astype(dtype))
    tol = {"rtol": 1e-5, "atol": 1e-5}
    np.testing.assert_allclose(ya.data, yt.detach().numpy(), **tol)
    ya.sum().backward()
    yt.sum().backward()
    np.testing.assert_allclose(a.grad.data, t.grad.numpy(), **tol)
    np.testing.assert_allclose(ours.weight.grad.data, theirs.weight.grad.numpy(), **tol)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(
    "dims,shape,kw",
    [
        (1, (2, 4, 7), {"padding": 1, "groups": 2, "output_padding": 1, "stride": 2}),
        (2, (2, 4, 6, 5), {"stride": 2, "bias": False, "dilation": 2}),
        (2, (4, 6, 5), {}),
        (3, (2, 3, 4, 4, 3), {"padding": 1}),
    ],
)
def test_lazy_conv_transpose_infers_in_channels_and_draws_torchs_weights(
    dtype: Any, dims: int, shape: tuple, kw: dict
) -> None:
    autograd.manual_seed(24)  # (nothing is drawn before the first call)
    torch.manual_seed(24)
    name = f"LazyConvTranspose{dims}d"
    ours, theirs = getattr(nn, name)(6, 3, dtype=dtype, **kw), getattr(tnn, name)(6, 3, **kw)
    assert repr(ours) == repr(theirs) and list(ours.state_dict()) == list(theirs.state_dict())
    params = list(ours.parameters())
    x = np.random.default_rng(25).standard_normal(shape).astype(np.float32)
    a, t = Tensor(x.astype(dtype), requires_grad=True), torch.tensor(x, requires_grad=True)
    ya, yt = ours(a), theirs(t)
    assert (
        type(ours) is getattr(nn, f"ConvTranspose{dims}d")
        and repr(ours) == repr(theirs)
        and ya.dtype == dtype
    )
    assert [id(p) for p in ours.parameters()] == [id(p) for p in params]
    for key, value in theirs.state_dict().items():
        np.testing.assert_array_equal(ours.state_dict()[key], value.numpy().astype(dtype))
    tol = {"rtol": 1e-5, "atol": 1e-5}
    np.testing.assert_allclose(ya.data, yt.detach().numpy(), **tol)
    ya.sum().backward()
    yt.sum().backward()
    np.testing.assert_allclose(a.grad.data, t.grad.numpy(), **tol)
    np.testing.assert_allclose(ours.weight.grad.data, theirs.weight.grad.numpy(), **tol)


def test_lazy_conv_errors() -> None:
    with pytest.raises(
        ValueError, match=r"LazyConv2d: expected a 3-d \(unbatched\) or 4-d input, got shape \(2, 3\)"
    ):
        nn.LazyConv2d(4, 3)(Tensor(np.ones((2, 3))))
    with pytest.raises(
        ValueError,
        match=r"LazyConv1d: in_channels \(3\) and out_channels \(4\) must be divisible by groups \(2\)",
    ):
        nn.LazyConv1d(4, 3, groups=2)(Tensor(np.ones((1, 3, 5))))
    with pytest.raises(TypeError, match="LazyConv3d: groups must be a positive int"):
        nn.LazyConv3d(4, 3, groups=0)


def test_embedding_bag_compiled_follows_new_indices_and_offsets() -> None:
    autograd.manual_seed(21)
    bag = nn.EmbeddingBag(8, 3, mode="max")

    def step(i: Tensor, o: Tensor) -> Tensor:  # (the indices in the graph too: read at every call)
        return (bag(i, o) ** 2).sum() + bag.weight[i].sum() + bag.weight[o].sum()

    compiled = autograd.compile(step)
    for i, o in [
        ([1, 2, 3, 4], [0, 2]),
        ([5, 6, 7, 0], [0, 1]),
        ([1, 2, 3, 4], [0, 2]),
        ([5, 6, 7, 0, 1], [0, 3]),
    ]:
        it, ot = autograd.tensor(np.array(i)), autograd.tensor(np.array(o))
        assert compiled(it, ot).item() == step(it, ot).item()


@pytest.mark.parametrize("hard", [False, True])
def test_gumbel_softmax_compiled_draws_as_eager(hard: bool) -> None:
    autograd.manual_seed(0)  # the layer's weights: with what earlier tests left, two draws could tie
    lin, w = nn.Linear(4, 3), Tensor(np.arange(3.0))

    def step(x: Tensor) -> Tensor:
        return (F.gumbel_softmax(lin(x), 0.5, hard=hard) * w).sum()

    x = Tensor(np.random.default_rng(22).standard_normal((5, 4)))
    compiled = autograd.compile(step)
    autograd.manual_seed(23)
    eager = [step(x).item() for _ in range(3)]
    autograd.manual_seed(23)
    assert [compiled(x).item() for _ in range(3)] == eager and len(set(eager)) == 3


# -- LazyBatchNorm1d/2d/3d, LazyInstanceNorm1d/2d/3d
LAZY_NORMS = [
    ("BatchNorm1d", (4, 3), {}),
    ("BatchNorm1d", (4, 3, 5), {"momentum": None}),
    ("BatchNorm2d", (2, 3, 4, 4), {"affine": False}),
    ("BatchNorm3d", (2, 3, 2, 2, 2), {"track_running_stats": False}),
    ("InstanceNorm1d", (2, 3, 5), {}),
    ("InstanceNorm2d", (2, 3, 4, 4), {"bias": False}),
    ("InstanceNorm3d", (2, 3, 2, 3, 2), {"affine": False, "track_running_stats": False}),
]


@pytest.mark.parametrize("dtype,tdtype", DTYPES)
@pytest.mark.parametrize("name,shape,kw", LAZY_NORMS)
def test_lazy_norms_infer_num_features_as_torch(
    dtype: Any, tdtype: Any, name: str, shape: tuple, kw: dict
) -> None:
    ours, theirs = (
        getattr(nn, f"Lazy{name}")(dtype=dtype, **kw),
        getattr(tnn, f"Lazy{name}")(dtype=tdtype, **kw),
    )
    assert repr(ours) == repr(theirs) and list(ours.state_dict()) == list(theirs.state_dict())
    params = list(ours.parameters())
    x = np.random.default_rng(26).standard_normal(shape).astype(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (torch's num_features warning without affine, both sides)
        a, t = _against_torch(ours, theirs, x)
    assert type(ours) is getattr(nn, name) and repr(ours) == repr(theirs)
    assert [id(p) for p in ours.parameters()] == [id(p) for p in params]
    for key, value in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[key], value.numpy(), **_tol(dtype))
    for p, q in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.grad.data, q.grad.numpy(), **_tol(dtype))


def test_lazy_norm_errors() -> None:
    with pytest.raises(
        ValueError, match=r"LazyBatchNorm1d: expected an input of at least 2 dims, got shape \(3,\)"
    ):
        nn.LazyBatchNorm1d()(Tensor(np.ones(3)))


@pytest.mark.parametrize(
    "ours,theirs",
    [
        (lambda x, w: F.prelu(x, w), lambda x, w: TF.prelu(x, w)),
        (
            lambda x, w: F.embedding_bag(
                [[0, 1, 2], [2, 2, 0]], w.reshape((3, 1)) * x[0, :, :3].T, mode="max"
            ),
            lambda x, w: TF.embedding_bag(
                torch.tensor([[0, 1, 2], [2, 2, 0]]), w.reshape(3, 1) * x[0, :, :3].T, mode="max"
            ),
        ),
        (
            lambda x, w: F.softshrink(x * w.reshape((3, 1)), 0.2) ** 2,
            lambda x, w: TF.softshrink(x * w.reshape(3, 1), 0.2) ** 2,
        ),
    ],
)
def test_second_order_mixed_derivatives_match_torch(ours: Callable, theirs: Callable) -> None:
    rng = np.random.default_rng(27)
    x, w = rng.standard_normal((2, 3, 4)), np.array([0.1, -0.2, 0.3])
    a, wa = Tensor(x, requires_grad=True), Tensor(w, requires_grad=True)
    t, wt = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    ya, yt = ours(a, wa), theirs(t, wt)
    up = rng.standard_normal(ya.shape)
    (ga,) = autograd.autograd.grad((ya * Tensor(up)).sum(), [a], create_graph=True)
    (gt,) = torch.autograd.grad((yt * torch.tensor(up)).sum(), [t], create_graph=True)
    v = rng.standard_normal(x.shape)
    (ha,) = autograd.autograd.grad((ga * Tensor(v)).sum(), [wa])
    (ht,) = torch.autograd.grad((gt * torch.tensor(v)).sum(), [wt])
    np.testing.assert_allclose(ga.data, gt.detach().numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ha.data, ht.numpy(), rtol=1e-12, atol=1e-12)
