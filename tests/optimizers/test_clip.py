"""Gradient clipping equals torch.nn.utils.clip_grad_norm_ / clip_grad_value_.

Gradients come from each engine's own backward pass on the same MLP loss.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
import torch

from autograd import Tensor, Value
from optimizers import clip_grad_norm, clip_grad_value

_rng = np.random.default_rng(2)
X, Y = _rng.normal(size=(10, 3)), _rng.normal(size=(10, 1)) * 5
INIT = [_rng.normal(size=(3, 8)), _rng.normal(size=8), _rng.normal(size=(8, 1)), np.array([0.3])]


def loss(params: list[Any], X: Any, y: Any) -> Any:
    W1, b1, W2, b2 = params
    return (((X @ W1 + b1).tanh() @ W2 + b2 - y) ** 2).mean()


def ours_with_grads() -> list[Tensor]:
    params = [Tensor(a, requires_grad=True) for a in INIT]
    loss(params, Tensor(X), Tensor(Y)).backward()
    return params


def torch_with_grads() -> list[torch.Tensor]:
    params = [torch.tensor(a, requires_grad=True) for a in INIT]
    loss(params, torch.tensor(X), torch.tensor(Y)).backward()
    return params


@pytest.mark.parametrize("norm_type", [2.0, 1.0, math.inf, 0.5])
@pytest.mark.parametrize("max_norm", [0.1, 1e6])
def test_clip_grad_norm_matches_torch(norm_type: float, max_norm: float) -> None:
    ours, theirs = ours_with_grads(), torch_with_grads()
    before = [p.grad.clone() for p in ours]
    total = clip_grad_norm(ours, max_norm, norm_type=norm_type)
    t_total = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type=norm_type)
    assert isinstance(total, float)
    assert total == pytest.approx(t_total.item(), rel=1e-12)
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o.grad, t.grad.numpy(), rtol=1e-12, atol=1e-15)
    clipped = max_norm < total
    assert clipped == any(not np.array_equal(b, p.grad) for b, p in zip(before, ours))


def test_clip_grad_value_matches_torch() -> None:
    ours, theirs = ours_with_grads(), torch_with_grads()
    clip_grad_value(ours, 0.05)
    torch.nn.utils.clip_grad_value_(theirs, 0.05)
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o.grad, t.grad.numpy(), rtol=1e-12, atol=0)
    assert max(np.abs(p.grad).max() for p in ours) == 0.05


def test_clipping_values_and_skipping_none_grads() -> None:
    a, b = Value(3.0), Value(-4.0)
    (a * b).backward()  # grads: -4 and 3, norm 5
    no_grad = Tensor([1.0], requires_grad=True)
    total = clip_grad_norm([a, b, no_grad], 1.0)
    assert total == 5.0 and no_grad.grad is None
    assert isinstance(a.grad, float)
    assert (a.grad, b.grad) == pytest.approx((-4 / (5 + 1e-6), 3 / (5 + 1e-6)), rel=1e-15)
    clip_grad_value(a, 0.5)  # a single parameter works too
    assert a.grad == -0.5
    assert clip_grad_norm([no_grad], 1.0) == 0.0


def test_non_finite_norm() -> None:
    ours, theirs = ours_with_grads(), torch_with_grads()
    ours[1].grad[0] = math.inf
    with torch.no_grad():
        theirs[1].grad[0] = math.inf
    with pytest.raises(RuntimeError, match="non-finite"):
        clip_grad_norm(ours, 1.0, error_if_nonfinite=True)
    with pytest.raises(RuntimeError, match="non-finite"):
        torch.nn.utils.clip_grad_norm_(theirs, 1.0, error_if_nonfinite=True)
    # without the flag both scale by max_norm / inf = 0, turning inf into nan
    assert clip_grad_norm(ours, 1.0) == math.inf
    torch.nn.utils.clip_grad_norm_(theirs, 1.0)
    for o, t in zip(ours, theirs):
        np.testing.assert_array_equal(o.grad, t.grad.numpy())
