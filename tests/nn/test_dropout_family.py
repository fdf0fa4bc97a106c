"""The dropout family against torch 2.13 after the same seed: ``F.dropout``, ``dropout1d``/``2d``/
``3d``, ``alpha_dropout``, ``feature_alpha_dropout`` and their modules give torch's outputs and
gradients bit for bit (float32 and float64, batched and unbatched), leave the generator where torch
leaves it, and raise and warn as torch does; compiled steps draw new masks equal to eager's."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import torch

import autograd
import autograd.nn as nn
import autograd.nn.functional as F
from autograd import Tensor

NAMES = ["dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout"]
SHAPES = {
    "dropout": [(7,), (3, 4, 5)],
    "dropout1d": [(3, 4), (2, 3, 4)],
    "dropout2d": [(2, 3, 4), (2, 3, 4, 5)],
    "dropout3d": [(3, 2, 2, 2), (2, 3, 2, 2, 2)],
    "alpha_dropout": [(7,), (3, 4, 5)],
    "feature_alpha_dropout": [(3, 4), (2, 3, 4, 5)],
}
#: 0.17565562 and 0.91275558: float32(1/(1-p)) is not 1f/float32(1-p), torch's scale
PS = [0.1, 0.17565562, 0.5, 0.91275558, 1.0]


def bits_equal(ours: Any, theirs: torch.Tensor) -> bool:
    a = np.asarray(getattr(ours, "data", ours))
    b = theirs.detach().numpy()
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_outputs_gradients_and_the_next_draw_are_torchs(name: str, dtype: type) -> None:
    rng = np.random.default_rng(0)
    for shape in SHAPES[name]:
        for p in PS:
            x, g = rng.standard_normal(shape).astype(dtype), rng.standard_normal(shape).astype(dtype)
            torch.manual_seed(5)
            autograd.manual_seed(5)
            xt, xo = torch.tensor(x, requires_grad=True), Tensor(x, requires_grad=True)
            theirs, ours = getattr(torch.nn.functional, name)(xt, p, True), getattr(F, name)(xo, p, True)
            theirs.backward(torch.tensor(g))
            (ours * Tensor(g)).sum().backward()
            where = (name, shape, p)
            assert bits_equal(ours, theirs), where
            assert bits_equal(xo.grad, xt.grad), where
            assert bits_equal(autograd.rand(3, dtype=autograd.float32), torch.rand(3)), where


@pytest.mark.parametrize(
    "ours, theirs, shape",
    [
        (nn.Dropout(0.3), torch.nn.Dropout(0.3), (4, 6)),
        (nn.Dropout1d(0.4), torch.nn.Dropout1d(0.4), (4, 3, 5)),
        (nn.Dropout2d(0.5), torch.nn.Dropout2d(0.5), (2, 3, 4, 4)),
        (nn.Dropout3d(0.2), torch.nn.Dropout3d(0.2), (3, 2, 2, 2)),
        (nn.AlphaDropout(0.25), torch.nn.AlphaDropout(0.25), (5, 4)),
        (nn.FeatureAlphaDropout(0.6), torch.nn.FeatureAlphaDropout(0.6), (2, 3, 2)),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, nn.Module) else "",
)
def test_modules_train_eval_and_repr_are_torchs(
    ours: nn.Module, theirs: torch.nn.Module, shape: tuple
) -> None:
    assert repr(ours) == repr(theirs)
    x = np.random.default_rng(1).standard_normal(shape).astype(np.float32)
    torch.manual_seed(8)
    autograd.manual_seed(8)
    for _ in range(2):  # (a new mask at each call)
        assert bits_equal(ours(Tensor(x)), theirs(torch.tensor(x)))
    ours.eval()
    theirs.eval()
    xo = Tensor(x)
    assert ours(xo) is xo
    assert bits_equal(autograd.rand(2, dtype=autograd.float32), torch.rand(2))


@pytest.mark.parametrize("name", NAMES)
def test_no_dropout_returns_the_input_and_p_1_zeros(name: str) -> None:
    shape = (2, 3, 2) if name == "dropout1d" else (2, 3, 2, 2)
    x = Tensor(np.ones(shape))
    state = autograd.get_rng_state().data.tobytes()
    assert getattr(F, name)(x, 0.0, True) is x
    assert getattr(F, name)(x, 0.5, False) is x  # (torch's dropout3d: a squeezed view of it)
    empty = Tensor(np.ones((0, *shape[1:])))
    assert getattr(F, name)(empty, 0.5, True) is empty
    assert autograd.get_rng_state().data.tobytes() == state  # (nothing drawn)
    assert (getattr(F, name)(x, 1.0, True).data == 0).all()
    assert getattr(torch.nn.functional, name)(torch.ones(shape), 1.0, True).eq(0).all()


def test_alpha_dropouts_default_to_not_training_as_torch() -> None:
    x = Tensor(np.ones((2, 3)))
    assert F.alpha_dropout(x) is x and F.feature_alpha_dropout(x) is x
    assert F.dropout(x) is not x  # (dropout trains by default)


def test_a_value_and_a_value_array_go_through() -> None:
    autograd.manual_seed(0)
    v = F.alpha_dropout(autograd.Value(2.0), 0.5, True)
    assert isinstance(v, autograd.Value)
    torch.manual_seed(0)
    assert v.data == pytest.approx(
        torch.nn.functional.alpha_dropout(torch.tensor(2.0).double(), 0.5, True).item()
    )
    va = autograd.ValueArray(np.ones((2, 3)))
    autograd.manual_seed(1)
    torch.manual_seed(1)
    got = F.dropout1d(va, 0.5)
    want = torch.nn.functional.dropout1d(torch.ones(2, 3, dtype=torch.float64), 0.5)
    assert np.array_equal(np.vectorize(lambda u: u.data)(got.values), want.numpy())


def _torch_outcome(name: str, ndim: int, training: bool) -> tuple[str, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            getattr(torch.nn.functional, name)(torch.ones((2,) * ndim), 0.5, training)
            error = ""
        except RuntimeError as e:
            error = str(e)
    return error, [str(w.message) for w in caught]


@pytest.mark.parametrize(
    "name, ndim",
    [("dropout1d", d) for d in (1, 2, 3, 4)]
    + [("dropout2d", d) for d in (1, 2, 3, 4, 5)]
    + [("dropout3d", d) for d in (0, 1, 3, 4, 5, 6)]
    + [("feature_alpha_dropout", d) for d in (0, 1, 2)],
)
@pytest.mark.parametrize("training", [True, False])
def test_ranks_raise_and_warn_as_torch(name: str, ndim: int, training: bool) -> None:
    error, messages = _torch_outcome(name, ndim, training)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if error:
            with pytest.raises(RuntimeError) as info:
                getattr(F, name)(Tensor(np.ones((2,) * ndim)), 0.5, training)
            assert str(info.value) == error
        else:
            out = getattr(F, name)(Tensor(np.ones((2,) * ndim)), 0.5, training)
            assert out.shape == (2,) * ndim
    assert [str(w.message) for w in caught] == messages
    assert all(w.filename == __file__ for w in caught)  # (the warning points at the caller)


@pytest.mark.parametrize("make", [nn.Dropout, nn.Dropout2d, nn.AlphaDropout, F.dropout3d, F.alpha_dropout])
def test_bad_p_is_torchs_error(make: Any) -> None:
    x = Tensor(np.ones((2, 2, 2, 2)))
    call = (lambda p: make(p)) if isinstance(make, type) else (lambda p: make(x, p, True))
    for p in (-0.1, 1.5):
        with pytest.raises(ValueError, match=f"dropout probability has to be between 0 and 1, but got {p}"):
            call(p)
    with pytest.raises(TypeError, match="p must be a real number, got str"):
        call("half")
    if not isinstance(make, type):
        with pytest.raises(TypeError, match="training must be a bool, got str"):
            make(x, 0.5, "yes")


def test_compiled_steps_draw_new_masks_equal_to_eager() -> None:
    w = Tensor(np.random.default_rng(2).normal(size=(4, 12)), requires_grad=True)
    layers = [
        lambda h: F.dropout1d(h.reshape(3, 4, 3), 0.3),
        lambda h: F.dropout2d(h.reshape(3, 2, 3, 2), 0.4),
        lambda h: F.dropout3d(h.reshape(3, 2, 1, 3, 2), 0.5),
        lambda h: F.alpha_dropout(h, 0.2, True),
        lambda h: F.feature_alpha_dropout(h.reshape(3, 6, 2), 0.5, True),
    ]

    def loss(x: Tensor) -> Tensor:
        return sum(((layer(x @ w) ** 2).sum() for layer in layers), Tensor(0.0))

    x = Tensor(np.random.default_rng(3).normal(size=(3, 4)))
    runs = []
    for compiled in (False, True):
        autograd.manual_seed(11)
        step = autograd.compile(loss) if compiled else None
        run = []
        for _ in range(3):
            w.grad = None
            if step is None:
                value = loss(x)
                value.backward()
            else:
                value = step(x)
            run.append((value.item(), w.grad.data.tobytes()))
        run.append(autograd.rand(2).data.tobytes())
        runs.append(run)
    assert runs[0] == runs[1]
    assert len({value for value, _ in runs[0][:3]}) == 3
