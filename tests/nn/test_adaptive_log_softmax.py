"""``nn.AdaptiveLogSoftmaxWithLoss`` against torch's (float64, torch's weights loaded through the
state dict): output, loss, log_prob, predict, and the gradients of every weight and of the input;
targets in every cluster, in some only, a single unbatched example; torch's errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import autograd as ag

RNG = np.random.default_rng(9)


def _pair(
    in_features: int = 16, n_classes: int = 20, cutoffs: Any = (5, 9, 15), **kw: Any
) -> tuple[Any, Any]:
    """A torch module (float64, its own initialisation) and this library's with its weights."""
    torch.manual_seed(int(RNG.integers(1000)))
    theirs = torch.nn.AdaptiveLogSoftmaxWithLoss(
        in_features, n_classes, list(cutoffs), dtype=torch.float64, **kw
    )
    ours = ag.nn.AdaptiveLogSoftmaxWithLoss(in_features, n_classes, list(cutoffs), **kw)
    assert list(ours.state_dict()) == list(theirs.state_dict()) and repr(ours) == repr(theirs)
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    return ours, theirs


def _run(module: Any, lib: Any, x: np.ndarray, target: np.ndarray) -> list[np.ndarray]:
    xt = lib.tensor(x, requires_grad=True)
    out, loss = module(xt, lib.tensor(target))
    (loss + (out * lib.tensor(np.linspace(0.5, 1.5, out.numel()).reshape(tuple(out.shape)))).sum()).backward()
    grads = [None if p.grad is None else p.grad.numpy() for _, p in sorted(module.named_parameters())]
    return [out.detach().numpy(), loss.detach().numpy(), xt.grad.numpy(), *grads]


@pytest.mark.parametrize(
    "target",
    [
        np.array([0, 4, 5, 8, 9, 14, 15, 19, 2, 12, 17]),  # every cluster
        np.array([1, 3, 0, 4]),  # the shortlist only
        np.array([16, 5, 10, 19]),  # no shortlist, one row alone in a cluster
        np.array([7]),  # one example
    ],
    ids=["all", "shortlist", "tails", "one"],
)
@pytest.mark.parametrize("head_bias", [False, True])
def test_forward_and_gradients_match_torch(target: np.ndarray, head_bias: bool) -> None:
    ours, theirs = _pair(head_bias=head_bias, div_value=2.0)
    x = RNG.normal(size=(len(target), 16))
    got, want = _run(ours, ag, x, target), _run(theirs, torch, x, target)
    assert len(got) == len(want) == 3 + 1 + 2 * 3 + head_bias
    for a, b in zip(got, want):
        assert (a is None) == (b is None)  # (a tail no target reached: no gradient, as torch)
        if a is not None:
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


def test_unbatched_example() -> None:
    ours, theirs = _pair()
    x = RNG.normal(size=16)
    got, want = _run(ours, ag, x, np.array(11)), _run(theirs, torch, x, np.array(11))
    assert got[0].shape == want[0].shape == ()
    for a, b in zip(got, want):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
    assert ours.tail[2][0].weight.shape == (0, 16)  # (16 // 4**3 = 0 hidden features, as torch)


def test_log_prob_and_predict_match_torch() -> None:
    ours, theirs = _pair(in_features=8, n_classes=12, cutoffs=(3, 7), div_value=1.5)
    x = RNG.normal(size=(40, 8)) * 3
    with torch.no_grad():
        np.testing.assert_allclose(
            ours.log_prob(ag.tensor(x)).detach().numpy(), theirs.log_prob(torch.tensor(x)).numpy(), rtol=1e-12
        )
        want = theirs.predict(torch.tensor(x)).numpy()
    got = ours.predict(ag.tensor(x)).numpy()
    np.testing.assert_array_equal(got, want)
    assert got.dtype == np.int64 and len(set(want) - set(range(3))) > 0  # (some rows go to the clusters)
    probs = np.exp(ours.log_prob(ag.tensor(x)).detach().numpy())
    np.testing.assert_allclose(probs.sum(1), 1.0, rtol=1e-12)


def test_errors_as_torch() -> None:
    ours, _ = _pair()
    with pytest.raises(RuntimeError, match="Target values should be in \\[0, 19\\]"):
        ours(ag.ones(2, 16), ag.tensor([3, 20]))
    with pytest.raises(RuntimeError, match="Target values should be in"):
        ours(ag.ones(2, 16), ag.tensor([-1, 2]))
    with pytest.raises(RuntimeError, match="same size in the batch dimension"):
        ours(ag.ones(3, 16), ag.tensor([3, 2]))
    with pytest.raises(RuntimeError, match="1D target tensor expects 2D input"):
        ours(ag.ones(2, 2, 16), ag.tensor([3, 2]))
    with pytest.raises(RuntimeError, match="0D target tensor expects 1D input"):
        ours(ag.ones(2, 16), ag.tensor(3))
    with pytest.raises(RuntimeError, match="multi-target not supported"):
        ours(ag.ones(2, 16), ag.tensor([[3, 2]]))
    with pytest.raises(ValueError, match="cutoffs should be a sequence of length larger than 0"):
        ag.nn.AdaptiveLogSoftmaxWithLoss(4, 10, [])
    for bad in ([5, 3], [0, 3], [3, 10], [3, 3]):
        with pytest.raises(ValueError, match="unique, positive integers sorted"):
            ag.nn.AdaptiveLogSoftmaxWithLoss(4, 10, bad)
