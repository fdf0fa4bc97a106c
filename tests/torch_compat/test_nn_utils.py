"""``torch.nn.utils.clip_grad_norm_`` / ``clip_grad_value_`` in a training step, run with ``torch``
bound to this library and to PyTorch: the returned norm and the clipped gradients agree."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from side_by_side import check, run

import autograd

RNG = np.random.default_rng(7)
X, W = RNG.normal(size=(5, 3)), RNG.normal(size=(2, 3))


def _step(torch: Any, clip: str, norm_type: Any = 2.0) -> Any:
    layer = torch.nn.Linear(3, 2)
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(W * 3))
        layer.bias.fill_(0.5)
    loss = (layer(torch.from_numpy(X)) ** 2).sum()
    loss.backward()
    if clip == "norm":
        total = torch.nn.utils.clip_grad_norm_(layer.parameters(), max_norm=1.0, norm_type=norm_type)
    else:
        total = torch.nn.utils.clip_grad_value_(layer.parameters(), clip_value=0.5)
    return total, layer.weight.grad, layer.bias.grad


@pytest.mark.parametrize("norm_type", [2.0, 1.0, float("inf")])
def test_clip_grad_norm_returns_the_total_norm_and_clips_as_torch(norm_type: float) -> None:
    ours, _ = check(_step, "norm", norm_type)
    assert float(ours[0]) > 1.0  # (the gradients were really clipped)


def test_clip_grad_value_clamps_as_torch() -> None:
    (total, weight_grad, _), _ = check(_step, "value")
    assert total is None and np.abs(weight_grad.numpy()).max() == 0.5


def test_the_comparison_catches_a_clip_that_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(autograd.nn.utils, "clip_grad_norm_", lambda params, *a, **k: autograd.tensor(0.0))
    with pytest.raises(AssertionError):
        check(_step, "norm")


def test_foreach_is_accepted_and_checked() -> None:
    ours, theirs = run(lambda torch: torch.nn.utils.clip_grad_norm_([], 1.0, foreach=False))
    assert float(ours) == float(theirs) == 0.0
    with pytest.raises(TypeError, match="foreach must be a bool or None, got str"):
        autograd.nn.utils.clip_grad_norm_([], 1.0, foreach="yes")
