"""F.triplet_margin_with_distance_loss and nn.TripletMarginWithDistanceLoss against torch 2.13:
values, first- and second-order gradients of all three inputs, the default (pairwise) and a user's
distance, swap, every reduction, one triplet and a batch, and torch's errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import autograd as A
from autograd import Tensor, nn
from autograd.nn import functional as F

DISTANCES = {
    "pairwise": (None, None),
    "cosine": (
        lambda x, y: 1.0 - F.cosine_similarity(x, y, dim=-1),
        lambda x, y: 1.0 - torch.cosine_similarity(x, y, dim=-1),
    ),
    "squared": (lambda x, y: ((x - y) ** 2).sum(-1), lambda x, y: ((x - y) ** 2).sum(-1)),
}


def _both(shape: tuple[int, ...], seed: int) -> tuple[list[Tensor], list[torch.Tensor]]:
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(shape) for _ in range(3)]
    return [Tensor(a, requires_grad=True) for a in arrays], [
        torch.tensor(a, requires_grad=True) for a in arrays
    ]


@pytest.mark.parametrize("shape", [(5, 3), (3,)])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("swap", [False, True])
@pytest.mark.parametrize("distance", list(DISTANCES))
def test_as_torch_with_first_and_second_order_gradients(
    distance: str, swap: bool, reduction: str, shape: Any
) -> None:
    ours, theirs = _both(shape, 7)
    ours_d, theirs_d = DISTANCES[distance]
    kw = {"margin": 1.5, "swap": swap, "reduction": reduction}
    o = F.triplet_margin_with_distance_loss(*ours, distance_function=ours_d, **kw)
    t = torch.nn.functional.triplet_margin_with_distance_loss(*theirs, distance_function=theirs_d, **kw)
    np.testing.assert_allclose(o.data, t.detach().numpy(), rtol=1e-12, atol=1e-14)
    assert o.shape == tuple(t.shape)
    weights = np.arange(1.0, 1.0 + o.data.size).reshape(o.shape)
    o_grads = A.grad((o * Tensor(weights)).sum(), ours, create_graph=True)
    t_grads = torch.autograd.grad((t * torch.tensor(weights)).sum(), theirs, create_graph=True)
    for og, tg in zip(o_grads, t_grads):
        np.testing.assert_allclose(og.data, tg.detach().numpy(), rtol=1e-10, atol=1e-12)
    o_second = A.grad(sum((g**2).sum() for g in o_grads), ours, allow_unused=True)
    t_second = torch.autograd.grad(sum((g**2).sum() for g in t_grads), theirs, allow_unused=True)
    for og, tg in zip(o_second, t_second):
        want = np.zeros(shape) if tg is None else tg.numpy()
        got = np.zeros(shape) if og is None else og.data
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-11)


def test_the_module_is_torchs() -> None:
    ours, theirs = _both((4, 3), 1)
    for kw in ({}, {"margin": 0.5, "swap": True, "reduction": "sum"}):
        o = nn.TripletMarginWithDistanceLoss(**kw)
        t = torch.nn.TripletMarginWithDistanceLoss(**kw)
        assert repr(o) == repr(t)
        np.testing.assert_allclose(o(*ours).data, t(*theirs).detach().numpy(), rtol=1e-12)
    custom = nn.TripletMarginWithDistanceLoss(distance_function=nn.PairwiseDistance(p=1.0))
    np.testing.assert_allclose(
        custom(*ours).data,
        torch.nn.TripletMarginWithDistanceLoss(distance_function=torch.nn.PairwiseDistance(p=1.0))(*theirs)
        .detach()
        .numpy(),
        rtol=1e-12,
    )


def test_errors_are_torchs() -> None:
    ours, theirs = _both((4, 3), 2)
    for margin in (0.0, -1.0):
        with pytest.raises(ValueError, match="margin must be greater than 0"):
            F.triplet_margin_with_distance_loss(*ours, margin=margin)
        with pytest.raises(ValueError, match="margin must be greater than 0"):
            torch.nn.functional.triplet_margin_with_distance_loss(*theirs, margin=margin)
        with pytest.raises(ValueError, match="expected margin to be greater than 0"):
            nn.TripletMarginWithDistanceLoss(margin=margin)
    with pytest.raises(ValueError, match="'avg' is not a valid value for reduction|avg is not a valid"):
        F.triplet_margin_with_distance_loss(*ours, reduction="avg")
    with pytest.raises(RuntimeError, match="anchor 2D, positive 2D, and negative 1D"):
        F.triplet_margin_with_distance_loss(ours[0], ours[1], ours[2][0])
    with pytest.raises(RuntimeError, match="anchor 2D, positive 2D, and negative 1D"):
        torch.nn.functional.triplet_margin_with_distance_loss(theirs[0], theirs[1], theirs[2][0])
