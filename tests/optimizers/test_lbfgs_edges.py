"""LBFGS at the edges of IEEE arithmetic: where torch's 0-d tensors give inf or nan, so does it."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from autograd import Tensor
from optimizers import LBFGS
from optimizers.lbfgs import _cubic_interpolate


def test_cubic_interpolation_with_a_zero_denominator_clamps_like_torch() -> None:
    # equal points: 0/0 makes d1 nan, so (as torch) no real minimizer: the middle of the bounds
    assert _cubic_interpolate(1.0, 1.0, 1e57, 1.0, 1.0, 1e57) == 1.0
    # g2 - g1 + 2·d2 = 0 exactly: the step is ±inf, clamped to a bound
    assert _cubic_interpolate(0.0, 0.0, 1.0, 1.0, 1.0, 1.0, bounds=(-2.0, 3.0)) in (-2.0, 3.0)
    # a finite case keeps its value (the cubic through two points with their slopes)
    assert _cubic_interpolate(0.0, 1.0, -1.0, 1.0, 0.5, 0.2) == pytest.approx(0.8844373104863458, rel=1e-15)


def test_strong_wolfe_on_a_saddle_runs_away_like_torch_instead_of_raising() -> None:
    """f = x² − y² from (1, 1e-3): unbounded below; the line search meets a 0/0 on its 4th step."""
    p = Tensor(np.array([1.0, 1e-3]), requires_grad=True)
    q = torch.tensor([1.0, 1e-3], dtype=torch.float64, requires_grad=True)
    ours = LBFGS([p], lr=1, max_iter=1, max_eval=25, line_search_fn="strong_wolfe")
    theirs = torch.optim.LBFGS([q], lr=1, max_iter=1, max_eval=25, line_search_fn="strong_wolfe")

    def closure_ours() -> Tensor:
        ours.zero_grad()
        loss = p[0] * p[0] - p[1] * p[1]
        loss.backward()
        return loss

    def closure_theirs() -> torch.Tensor:
        theirs.zero_grad()
        loss = q[0] * q[0] - q[1] * q[1]
        loss.backward()
        return loss

    for _ in range(6):
        ours.step(closure_ours)
        theirs.step(closure_theirs)
    assert np.abs(p.data).max() > 1e60 and q.detach().abs().max() > 1e60  # both run away
    assert np.sign(p.data).tolist() == np.sign(q.detach().numpy()).tolist()
