"""``nn.SyncBatchNorm`` on one CPU process against torch's (which there runs ``F.batch_norm``):
training and evaluation outputs, running statistics, gradients, 2-d to 5-d inputs, its options,
errors, state dicts, and ``convert_sync_batchnorm`` (parameters shared, flags kept, outputs equal)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import autograd as ag

RNG = np.random.default_rng(13)


def _pair(*args: Any, **kw: Any) -> tuple[Any, Any]:
    theirs = torch.nn.SyncBatchNorm(*args, dtype=torch.float64, **kw)
    ours = ag.nn.SyncBatchNorm(*args, **kw)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    with torch.no_grad():
        for p in theirs.parameters():
            p.copy_(torch.tensor(RNG.normal(size=tuple(p.shape))))
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    return ours, theirs


def _steps(module: Any, lib: Any, inputs: list[np.ndarray]) -> list[np.ndarray]:
    """Two training steps then one in evaluation: outputs, input and parameter gradients, buffers."""
    found = []
    for k, x in enumerate(inputs):
        if k == len(inputs) - 1:
            module.eval()
        xt = lib.tensor(x, requires_grad=True)
        y = module(xt)
        (y * lib.tensor(np.cos(np.arange(y.numel())).reshape(tuple(y.shape)))).sum().backward()
        found += [y.detach().numpy(), xt.grad.numpy()]
    found += [p.grad.numpy() for p in module.parameters()]
    found += [b.numpy() for b in module.buffers()]
    return found


@pytest.mark.parametrize(
    "shape", [(6, 3), (4, 3, 5), (2, 3, 4, 5), (2, 3, 2, 3, 4)], ids=lambda s: f"{len(s)}d"
)
@pytest.mark.parametrize(
    "kw",
    [
        dict(),
        dict(momentum=None),
        dict(affine=False),
        dict(track_running_stats=False),
        dict(eps=0.1, momentum=0.3),
    ],
    ids=["default", "cumulative", "no_affine", "untracked", "eps_momentum"],
)
def test_matches_torch_on_one_process(shape: tuple[int, ...], kw: dict[str, Any]) -> None:
    ours, theirs = _pair(3, **kw)
    inputs = [RNG.normal(size=shape) * 2 + 1 for _ in range(3)]
    got, want = _steps(ours, ag, inputs), _steps(theirs, torch, inputs)
    assert len(got) == len(want)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-11, atol=1e-13)


def test_errors_as_torch() -> None:
    bn = ag.nn.SyncBatchNorm(3)
    with pytest.raises(ValueError, match="expected at least 2D input \\(got 1D input\\)"):
        bn(ag.ones(3))
    with pytest.raises(ValueError, match="SyncBatchNorm number of input channels should be non-zero"):
        ag.nn.SyncBatchNorm(3)(ag.ones(2, 0, 4))
    with pytest.raises(TypeError, match="module must be a Module"):
        ag.nn.SyncBatchNorm.convert_sync_batchnorm("model")


class _Net:
    """A model with batch norms at several depths, built the same way on either library."""

    @staticmethod
    def build(nn: Any, **dtype: Any) -> Any:
        return nn.Sequential(
            nn.Conv2d(2, 4, 3, **dtype),
            nn.BatchNorm2d(4, **dtype),
            nn.ReLU(),
            nn.Sequential(nn.Identity(), nn.BatchNorm2d(4, momentum=None, **dtype)),
            nn.Flatten(),
            nn.Linear(4 * 4 * 4, 5, **dtype),
            nn.BatchNorm1d(5, affine=False, **dtype),
        )


def test_convert_sync_batchnorm_as_torch() -> None:
    theirs = _Net.build(torch.nn, dtype=torch.float64)
    ours = _Net.build(ag.nn)
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    ours[3][1].eval()
    theirs[3][1].eval()
    before = {name: p for name, p in ours.named_parameters()}
    buffers = {name: b for name, b in ours.named_buffers()}
    converted = ag.nn.SyncBatchNorm.convert_sync_batchnorm(ours, process_group="group")
    theirs = torch.nn.SyncBatchNorm.convert_sync_batchnorm(theirs)
    assert converted is ours
    assert [type(m).__name__ for m in ours.modules()] == [type(m).__name__ for m in theirs.modules()]
    assert sum(isinstance(m, ag.nn.SyncBatchNorm) for m in ours.modules()) == 3
    assert all(p is before[name] for name, p in ours.named_parameters())  # (shared, not copied)
    assert all(b is buffers[name] for name, b in ours.named_buffers())
    assert not ours[3][1].training and ours[1].training and ours[1].process_group == "group"
    assert ours[3][1].momentum is None and not ours[6].affine and ours[6].weight is None
    assert list(ours.state_dict()) == list(theirs.state_dict())
    x = RNG.normal(size=(3, 2, 6, 6))
    np.testing.assert_allclose(
        ours(ag.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(), rtol=1e-11
    )
    np.testing.assert_allclose(ours[1].running_var.numpy(), theirs[1].running_var.numpy(), rtol=1e-12)


def test_convert_a_lone_batch_norm_gives_a_new_layer() -> None:
    bn = ag.nn.BatchNorm3d(2, eps=1e-3, bias=False)
    bn.eval()
    sync = ag.nn.SyncBatchNorm.convert_sync_batchnorm(bn)
    assert type(sync) is ag.nn.SyncBatchNorm and sync is not bn
    assert sync.weight is bn.weight and sync.bias is None and sync.eps == 1e-3 and not sync.training
    assert sync.running_mean is bn.running_mean and sync.num_batches_tracked is bn.num_batches_tracked
    assert ag.nn.SyncBatchNorm.convert_sync_batchnorm(ag.nn.ReLU()).__class__ is ag.nn.ReLU
