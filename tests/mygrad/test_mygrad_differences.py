"""MyGrad's semantics that differ from torch's (mygrad_harness.DIFFERENCES): for each, this library
gives torch's numbers (run side by side with torch 2.13), and MyGrad's (its closed form, written
out here) differ, so the port's choice is visible and cannot drift."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from mygrad_harness import DIFFERENCES
from numpy.testing import assert_allclose

import autograd as ag
import autograd.nn.functional as F
from autograd import Tensor


def _grads(fn: Any, *arrays: Any) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """``fn(lib, *leaves).sum()``'s value and gradients in this library and in torch."""
    out = []
    for lib in (ag, torch):
        leaves = [lib.tensor(np.asarray(a, dtype=float), requires_grad=True) for a in arrays]
        y = fn(lib, *leaves).sum()
        y.backward()
        out.append([y.detach().numpy(), *(t.grad.numpy() for t in leaves)])
    return out[0], out[1]


def _same(ours: list[np.ndarray], theirs: list[np.ndarray]) -> None:
    for a, b in zip(ours, theirs):
        assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_every_difference_is_checked() -> None:
    checked = {"maximum/minimum tie", "clip at a bound", "weighted nll", "softmax over several axes"}
    checked |= {"conv stride remainder", "gru formulation", "multiclass hinge", "focal loss", "elu at 0"}
    checked |= {"norm of nothing", "conv of a padding-only input"}
    assert checked == set(DIFFERENCES)


@pytest.mark.parametrize("name", ["maximum", "minimum"])
def test_maximum_minimum_tie(name: str) -> None:
    """MyGrad's test_maximum_bkwd_equal: 0 to both at a tie; torch: half to each."""
    x, y = [1.0, 0.0, 2.0], [2.0, 0.0, 1.0]
    ours, theirs = _grads(lambda lib, a, b: getattr(lib, name)(a, b), x, y)
    _same(ours, theirs)
    assert ours[1][1] == ours[2][1] == 0.5  # MyGrad: 0.0 and 0.0


def test_clip_at_a_bound() -> None:
    ours, theirs = _grads(lambda lib, a: lib.clamp(a, 2.0, 7.0), [1.0, 2.0, 5.0, 7.0, 10.0])
    _same(ours, theirs)
    assert_allclose(ours[1], [0.0, 1.0, 1.0, 1.0, 0.0])


def test_weighted_nll() -> None:
    x, y, w = np.log([[0.2, 0.8], [0.6, 0.4], [0.5, 0.5]]), np.array([1, 0, 0]), np.array([3.0, 0.5])
    ours = F.nll_loss(Tensor(x), Tensor(y), weight=Tensor(w)).item()
    theirs = TF.nll_loss(torch.tensor(x), torch.tensor(y), weight=torch.tensor(w)).item()
    mygrad = -np.mean(x[np.arange(3), y] * w[y])
    assert_allclose(ours, theirs, rtol=1e-14)
    assert not np.isclose(ours, mygrad)
    assert_allclose(ours, mygrad * 3 / w[y].sum(), rtol=1e-14)


def test_softmax_over_several_axes() -> None:
    """torch refuses a tuple dim; here it is MyGrad's softmax over those axes; dim=() is every axis."""
    x = np.arange(6.0).reshape(2, 3)
    with pytest.raises(TypeError):
        TF.softmax(torch.tensor(x), dim=(0, 1))
    joint = np.exp(x) / np.exp(x).sum()
    assert_allclose(F.softmax(Tensor(x), dim=(0, 1)).numpy(), joint, rtol=1e-14)
    assert_allclose(F.softmax(Tensor(x), dim=()).numpy(), joint, rtol=1e-14)  # MyGrad's axis=(): ones


def test_conv_stride_remainder() -> None:
    """A window/stride that does not tile the input: MyGrad refuses; torch drops the remainder."""
    x, w = np.arange(7.0).reshape(1, 1, 7), np.ones((1, 1, 2))
    ours = F.conv1d(Tensor(x), Tensor(w), stride=2).numpy()
    assert_allclose(ours, TF.conv1d(torch.tensor(x), torch.tensor(w), stride=2).numpy())
    assert ours.shape == (1, 1, 3)
    pooled = F.max_pool1d(Tensor(x), 2, 2).numpy()
    assert_allclose(pooled, TF.max_pool1d(torch.tensor(x), 2, 2).numpy())


def test_gru_formulation() -> None:
    """torch's cell: n = tanh(W_in x + b_in + r * (W_hn h + b_hn)); MyGrad's: (r * h) W_hn."""
    torch.manual_seed(0)
    cell = torch.nn.GRU(2, 3, dtype=torch.float64)
    ours = ag.nn.GRU(2, 3)
    ours.load_state_dict({k: v.detach().numpy() for k, v in cell.state_dict().items()})
    x, h0 = np.random.default_rng(0).normal(size=(4, 1, 2)), np.random.default_rng(1).normal(size=(1, 1, 3))
    out_t, _ = cell(torch.tensor(x), torch.tensor(h0))
    out, _ = ours(Tensor(x), Tensor(h0))
    assert_allclose(out.detach().numpy(), out_t.detach().numpy(), rtol=1e-12)
    w_ih, w_hh = cell.weight_ih_l0.detach().numpy(), cell.weight_hh_l0.detach().numpy()
    b_ih, b_hh = cell.bias_ih_l0.detach().numpy(), cell.bias_hh_l0.detach().numpy()

    def sigmoid(v: np.ndarray) -> np.ndarray:
        return 1 / (1 + np.exp(-v))

    h = h0[0, 0]
    for xt in x[:, 0]:  # MyGrad's gru: the reset gate multiplies h before W_hn
        r = sigmoid(w_ih[:3] @ xt + b_ih[:3] + w_hh[:3] @ h + b_hh[:3])
        z = sigmoid(w_ih[3:6] @ xt + b_ih[3:6] + w_hh[3:6] @ h + b_hh[3:6])
        n = np.tanh(w_ih[6:] @ xt + b_ih[6:] + w_hh[6:] @ (r * h) + b_hh[6:])
        h = (1 - z) * n + z * h
    assert not np.allclose(out.detach().numpy()[-1, 0], h)


def test_multiclass_hinge() -> None:
    s, y = np.array([[1.0, 2.0, 0.5], [0.0, 0.3, 0.2]]), np.array([0, 2])
    ours = F.multi_margin_loss(Tensor(s), Tensor(y)).item()
    assert_allclose(ours, TF.multi_margin_loss(torch.tensor(s), torch.tensor(y)).item(), rtol=1e-14)
    margins = np.maximum(0, s - s[np.arange(2), y][:, None] + 1)
    margins[np.arange(2), y] = 0
    assert_allclose(ours * 3, margins.sum() / 2, rtol=1e-14)  # MyGrad's has no 1/C


def test_focal_loss_reduction_and_order() -> None:
    """losses.categorical_focal: truth first, mean by default; MyGrad's focal_loss: per sample."""
    p, y = np.array([[0.7, 0.3], [0.4, 0.6]]), np.array([0, 1])
    per_sample = -0.25 * (1 - p[np.arange(2), y]) ** 2 * np.log(p[np.arange(2), y])
    import losses

    mean = losses.categorical_focal(np.eye(2)[y], Tensor(p), gamma=2.0, alpha=0.25).item()
    assert_allclose(mean, per_sample.mean(), rtol=1e-14)


def test_elu_at_0() -> None:
    ours, theirs = _grads(lambda lib, a: lib.nn.functional.elu(a, alpha=0.5), [0.0])
    _same(ours, theirs)
    assert ours[1][0] == 0.5  # MyGrad: 1


def test_norm_of_nothing() -> None:
    with np.errstate(divide="ignore"):
        assert np.linalg.norm(np.zeros(0), -1) == np.inf  # MyGrad's (NumPy's) answer
    for lib in (ag, torch):
        with pytest.raises(RuntimeError, match="does not have an identity"):
            lib.linalg.vector_norm(lib.zeros(0, dtype=lib.float64), -1.0)


def test_conv_of_a_padding_only_input() -> None:
    """MyGrad's test_padding: 0 (the padding convolved); torch refuses; here MyGrad's 0."""
    with pytest.raises(RuntimeError, match="zero batch or zero channel"):
        TF.conv1d(
            torch.zeros(1, 1, 0, dtype=torch.float64), torch.ones(1, 1, 2, dtype=torch.float64), padding=1
        )
    out = F.conv1d(ag.zeros(1, 1, 0), ag.ones(1, 1, 2), padding=1)
    assert out.shape == (1, 1, 1) and out.item() == 0.0
