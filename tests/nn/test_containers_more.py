"""ParameterList, ParameterDict, Bilinear (F.bilinear), Upsample (F.interpolate), PixelShuffle and
PixelUnshuffle against torch 2.13 in float64: values and gradients, state-dict keys, reprs, bad
arguments refused by name."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from nn_reference import compare  # noqa: E402

import autograd as ag  # noqa: E402
import autograd.nn.functional as F  # noqa: E402
import optimizers as O  # noqa: E402
from autograd import Tensor, nn  # noqa: E402

TF = torch.nn.functional
RNG = np.random.default_rng(7)
TOL = {"rtol": 1e-12, "atol": 1e-14}


# ------------------------------------------------------------------ ParameterList, ParameterDict
def _torch_repr(module: Any) -> str:
    return repr(module).replace("torch.", "autograd.")


def test_parameter_list() -> None:
    pl = nn.ParameterList([nn.Parameter(ag.zeros(3, 4)), ag.ones(3)])
    tl = torch.nn.ParameterList(
        [torch.nn.Parameter(torch.zeros(3, 4, dtype=torch.float64)), torch.ones(3, dtype=torch.float64)]
    )
    assert repr(pl) == _torch_repr(tl)
    assert list(pl.state_dict()) == list(tl.state_dict()) == ["0", "1"]
    assert isinstance(pl[1], nn.Parameter) and pl[1].requires_grad  # (a Tensor becomes a Parameter)
    assert len(list(pl.parameters())) == 2
    pl.append(ag.zeros(2))
    pl += [ag.zeros(1)]
    assert len(pl) == 4 and [p.shape for p in pl] == [(3, 4), (3,), (2,), (1,)]
    assert isinstance(pl[1:], nn.ParameterList) and len(pl[1:]) == 3
    one = nn.ParameterList([ag.zeros(2)])
    assert repr(one) == _torch_repr(torch.nn.ParameterList([torch.zeros(2, dtype=torch.float64)]))
    assert repr(nn.ParameterList()) == repr(torch.nn.ParameterList())
    with pytest.raises(TypeError, match="iterable"):
        pl.extend(3)


def test_parameter_dict() -> None:
    pd = nn.ParameterDict({"a": ag.zeros(3), "b": nn.Parameter(ag.zeros(2, 2))})
    td = torch.nn.ParameterDict(
        {
            "a": torch.zeros(3, dtype=torch.float64),
            "b": torch.nn.Parameter(torch.zeros(2, 2, dtype=torch.float64)),
        }
    )
    assert repr(pd) == _torch_repr(td)
    assert list(pd.state_dict()) == list(td.state_dict()) == ["a", "b"]
    assert isinstance(pd["a"], nn.Parameter) and "a" in pd and len(pd) == 2
    pd["c"] = ag.ones(1)
    assert list(pd) == ["a", "b", "c"] and pd.get("z") is None
    assert pd.pop("c").shape == (1,)
    pd.update([("d", ag.zeros(4))])
    assert list(pd.keys()) == ["a", "b", "d"]
    one = nn.ParameterDict({"w": ag.zeros(2)})
    assert repr(one) == _torch_repr(torch.nn.ParameterDict({"w": torch.zeros(2, dtype=torch.float64)}))
    with pytest.raises(KeyError, match="without '.'"):
        pd["x.y"] = ag.zeros(1)


def test_parameter_containers_in_a_module_train() -> None:
    class Model(nn.Module):
        def __init__(self) -> None:
            self.weights = nn.ParameterList([Tensor(RNG.normal(size=(3, 3))) for _ in range(2)])
            self.extra = nn.ParameterDict({"shift": Tensor(np.zeros(3))})

        def forward(self, x: Tensor) -> Tensor:
            for w in self.weights:
                x = (x @ w).tanh()
            return x + self.extra["shift"]

    class TorchModel(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.weights = torch.nn.ParameterList([torch.zeros(3, 3, dtype=torch.float64) for _ in range(2)])
            self.extra = torch.nn.ParameterDict({"shift": torch.zeros(3, dtype=torch.float64)})

    model, theirs = Model(), TorchModel()
    assert list(model.state_dict()) == list(theirs.state_dict()) == ["weights.0", "weights.1", "extra.shift"]
    assert repr(model).replace("Model", "TorchModel") == _torch_repr(theirs)
    theirs.load_state_dict({k: torch.tensor(v.numpy()) for k, v in model.state_dict().items()})
    opt = O.SGD(model.parameters(), lr=0.1)
    x = Tensor(RNG.normal(size=(4, 3)))
    before = ((model(x) - 1.0) ** 2).mean().item()
    for _ in range(5):
        opt.zero_grad()
        ((model(x) - 1.0) ** 2).mean().backward()
        opt.step()
    assert ((model(x) - 1.0) ** 2).mean().item() < before


# ------------------------------------------------------------------ Bilinear
@pytest.mark.parametrize("batch", [(), (4,), (2, 3)])
def test_bilinear_matches_torch(batch: tuple) -> None:
    arrays = [RNG.normal(size=batch + (3,)), RNG.normal(size=batch + (5,)), RNG.normal(size=(6, 3, 5))]
    compare(F.bilinear, TF.bilinear, arrays, grad_of=(0, 1, 2), **TOL)
    arrays.append(RNG.normal(size=6))
    compare(F.bilinear, TF.bilinear, arrays, grad_of=(0, 1, 2, 3), **TOL)


def test_bilinear_module() -> None:
    ours, theirs = nn.Bilinear(3, 5, 6), torch.nn.Bilinear(3, 5, 6, dtype=torch.float64)
    assert repr(ours) == repr(theirs)
    assert {k: v.shape for k, v in ours.state_dict().items()} == {
        k: tuple(v.shape) for k, v in theirs.state_dict().items()
    }
    assert np.abs(ours.weight.data).max() <= 1 / np.sqrt(3)
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    a, b = RNG.normal(size=(4, 3)), RNG.normal(size=(4, 5))
    ref = theirs(torch.tensor(a), torch.tensor(b)).detach().numpy()
    np.testing.assert_allclose(ours(Tensor(a), Tensor(b)).data, ref, **TOL)
    assert list(nn.Bilinear(2, 2, 2, bias=False).state_dict()) == ["weight"]
    with pytest.raises(RuntimeError, match=r"input1 of shape \[4, 5\]"):
        ours(Tensor(b), Tensor(a))
    with pytest.raises(RuntimeError, match="same leading shape"):
        ours(Tensor(a), Tensor(RNG.normal(size=(3, 5))))
    with pytest.raises(TypeError, match="in2_features must be a positive int"):
        nn.Bilinear(3, 0, 2)


# ------------------------------------------------------------------ interpolate, Upsample
SIZES = [
    {"size": 7},
    {"size": 3},
    {"size": 1},
    {"scale_factor": 2},
    {"scale_factor": 3},
    {"scale_factor": 1.7},
    {"scale_factor": 0.6},
    {"scale_factor": 2.5, "recompute_scale_factor": True},
]
INTERPOLATE = [
    (shape, mode, corners, sizes)
    for shape in ((2, 3, 5), (1, 2, 4, 5))
    for mode in ("nearest", "nearest-exact", "linear" if len(shape) == 3 else "bilinear")
    for corners in ((None,) if mode.startswith("nearest") else (False, True))
    for sizes in SIZES
]


@pytest.mark.parametrize(("shape", "mode", "corners", "sizes"), INTERPOLATE)
def test_interpolate_matches_torch(shape: tuple, mode: str, corners: Any, sizes: dict) -> None:
    kw = {"mode": mode, "align_corners": corners, **sizes}
    compare(
        lambda x: F.interpolate(x, **kw), lambda x: TF.interpolate(x, **kw), [RNG.normal(size=shape)], **TOL
    )


@pytest.mark.parametrize(
    "kw",
    [
        {"mode": "bilinear", "size": (7, 3)},
        {"mode": "bilinear", "size": (2, 9), "align_corners": True},
        {"mode": "bilinear", "scale_factor": (1.5, 0.5)},
        {"mode": "nearest", "scale_factor": (1.5, 0.5)},
        {"mode": "nearest", "size": [6, 6]},
    ],
)
def test_interpolate_per_axis_sizes(kw: dict) -> None:
    compare(
        lambda x: F.interpolate(x, **kw),
        lambda x: TF.interpolate(x, **kw),
        [RNG.normal(size=(2, 2, 4, 5))],
        **TOL,
    )


def test_interpolate_5d_nearest() -> None:
    kw = {"scale_factor": 1.5}
    compare(
        lambda x: F.interpolate(x, **kw),
        lambda x: TF.interpolate(x, **kw),
        [RNG.normal(size=(1, 2, 3, 4, 2))],
        **TOL,
    )


def test_upsample() -> None:
    for kw in (
        {"scale_factor": 2, "mode": "bilinear", "align_corners": True},
        {"size": (3, 4)},
        {"scale_factor": (2, 1)},
    ):
        ours, theirs = nn.Upsample(**kw), torch.nn.Upsample(**kw)
        assert repr(ours) == repr(theirs)
        x = RNG.normal(size=(1, 2, 3, 3))
        np.testing.assert_allclose(ours(Tensor(x)).data, theirs(torch.tensor(x)).numpy(), **TOL)


INTERPOLATE_ERRORS = [
    ({"size": 3, "scale_factor": 2}, ValueError, "exactly one of size or scale_factor"),
    ({}, ValueError, "exactly one of size or scale_factor"),
    ({"size": 3, "align_corners": True}, ValueError, "align_corners option can only be set"),
    ({"size": 3, "mode": "bilinear"}, NotImplementedError, "needs a 4-d input"),
    ({"size": 3, "mode": "bicubic"}, NotImplementedError, "'bicubic' needs a 4-d input"),
    ({"size": 3, "mode": "cubic"}, ValueError, "mode must be one of"),
    ({"size": (3, 4)}, ValueError, "sequence of 1"),
    ({"size": 2.5}, TypeError, "size must hold ints"),
    ({"size": 3, "recompute_scale_factor": True}, ValueError, "without scale_factor"),
    ({"scale_factor": 0.1}, ValueError, "must be positive"),
    ({"size": 3, "antialias": True}, ValueError, "Anti-alias option is restricted to bilinear and bicubic"),
]


@pytest.mark.parametrize(("kw", "exc", "message"), INTERPOLATE_ERRORS)
def test_interpolate_bad_arguments(kw: dict, exc: type, message: str) -> None:
    with pytest.raises(exc, match=message):
        F.interpolate(Tensor(np.zeros((1, 2, 5))), **kw)


# ------------------------------------------------------------------ PixelShuffle, PixelUnshuffle
@pytest.mark.parametrize(("shape", "r"), [((2, 8, 3, 4), 2), ((9, 3, 4), 3), ((1, 2, 4, 1, 2), 1)])
def test_pixel_shuffle_matches_torch(shape: tuple, r: int) -> None:
    compare(
        lambda x: F.pixel_shuffle(x, r), lambda x: TF.pixel_shuffle(x, r), [RNG.normal(size=shape)], **TOL
    )
    up = shape[:-3] + (shape[-3] // (r * r), shape[-2] * r, shape[-1] * r)
    compare(
        lambda x: F.pixel_unshuffle(x, r), lambda x: TF.pixel_unshuffle(x, r), [RNG.normal(size=up)], **TOL
    )
    x = RNG.normal(size=shape)
    np.testing.assert_array_equal(F.pixel_unshuffle(F.pixel_shuffle(Tensor(x), r), r).data, x)


def test_pixel_shuffle_modules_and_errors() -> None:
    assert repr(nn.PixelShuffle(2)) == repr(torch.nn.PixelShuffle(2))
    assert repr(nn.PixelUnshuffle(3)) == repr(torch.nn.PixelUnshuffle(3))
    x = RNG.normal(size=(1, 4, 2, 2))
    np.testing.assert_array_equal(
        nn.PixelShuffle(2)(Tensor(x)).data, torch.nn.PixelShuffle(2)(torch.tensor(x)).numpy()
    )
    with pytest.raises(RuntimeError, match="divisible by upscale_factor²=4"):
        F.pixel_shuffle(Tensor(np.zeros((1, 3, 2, 2))), 2)
    with pytest.raises(RuntimeError, match="divisible by downscale_factor=2"):
        F.pixel_unshuffle(Tensor(np.zeros((1, 3, 3, 2))), 2)
    with pytest.raises(TypeError, match="upscale_factor must be a positive int"):
        nn.PixelShuffle(0)
