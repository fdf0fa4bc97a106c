"""This library's ``AdaptiveLogSoftmaxWithLoss``, ``FractionalMaxPool2d``/``3d`` and ``SyncBatchNorm``
state dicts load into torch's modules (strict, ``{k: torch.from_numpy(v)}``), which then give the
same numbers; and the names are where torch has them (``nn.<Name>``, ``F.<name>``)."""

from __future__ import annotations

import numpy as np
import torch

import autograd as ag

RNG = np.random.default_rng(17)


def _load_into_torch(ours: ag.nn.Module, theirs: torch.nn.Module) -> None:
    result = theirs.load_state_dict(
        {k: torch.from_numpy(np.asarray(v)) for k, v in ours.state_dict().items()}
    )
    assert not result.missing_keys and not result.unexpected_keys


def test_adaptive_log_softmax_state_dict_loads_into_torch() -> None:
    ours = ag.nn.AdaptiveLogSoftmaxWithLoss(12, 30, [4, 10, 20], div_value=2.0, head_bias=True)
    theirs = torch.nn.AdaptiveLogSoftmaxWithLoss(
        12, 30, [4, 10, 20], div_value=2.0, head_bias=True, dtype=torch.float64
    )
    _load_into_torch(ours, theirs)
    x, target = RNG.normal(size=(9, 12)), np.array([0, 3, 4, 9, 10, 19, 20, 29, 15])
    out, loss = ours(ag.tensor(x), ag.tensor(target))
    with torch.no_grad():
        t_out, t_loss = theirs(torch.tensor(x), torch.tensor(target))
    np.testing.assert_allclose(out.detach().numpy(), t_out.numpy(), rtol=1e-12)
    np.testing.assert_allclose(float(loss), float(t_loss), rtol=1e-12)


def test_sync_batchnorm_state_dict_loads_into_torch() -> None:
    ours = ag.nn.SyncBatchNorm(4, momentum=0.2)
    for _ in range(3):  # (running statistics that are not the initial ones)
        ours(ag.tensor(RNG.normal(size=(5, 4, 3)) * 3 + 2))
    ours.eval()
    theirs = torch.nn.SyncBatchNorm(4, momentum=0.2, dtype=torch.float64).eval()
    _load_into_torch(ours, theirs)
    assert int(theirs.num_batches_tracked) == 3
    x = RNG.normal(size=(2, 4, 5))
    np.testing.assert_allclose(
        ours(ag.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(), rtol=1e-12
    )


def test_fractional_max_pool_samples_load_into_torch() -> None:
    f64 = torch.float64
    for ours, theirs, shape in (
        (ag.nn.FractionalMaxPool2d(2, output_size=3, _random_samples=ag.rand(2, 3, 2)),
         torch.nn.FractionalMaxPool2d(2, output_size=3, _random_samples=torch.zeros(2, 3, 2, dtype=f64)),
         (2, 3, 7, 6)),
        (ag.nn.FractionalMaxPool3d(2, output_ratio=0.6, _random_samples=ag.rand(1, 2, 3)),
         torch.nn.FractionalMaxPool3d(2, output_ratio=0.6, _random_samples=torch.zeros(1, 2, 3, dtype=f64)),
         (1, 2, 6, 7, 5)),
    ):  # fmt: skip
        _load_into_torch(ours, theirs)
        x = RNG.normal(size=shape)
        np.testing.assert_array_equal(ours(ag.tensor(x)).numpy(), theirs(torch.tensor(x)).numpy())


def test_names_are_where_torch_has_them() -> None:
    for name in ("AdaptiveLogSoftmaxWithLoss", "FractionalMaxPool2d", "FractionalMaxPool3d", "SyncBatchNorm"):
        assert hasattr(torch.nn, name) and name in ag.nn.__all__ and getattr(ag.nn, name).__doc__
    for name in ("fractional_max_pool2d", "fractional_max_pool3d"):
        assert hasattr(torch.nn.functional, name) and name in ag.nn.functional.__all__
    from autograd.torch_hints import FUNCTIONAL, NN  # (the hints no longer call them missing)

    assert not {
        "AdaptiveLogSoftmaxWithLoss",
        "FractionalMaxPool2d",
        "FractionalMaxPool3d",
        "SyncBatchNorm",
    } & set(NN)
    assert not {"fractional_max_pool2d", "fractional_max_pool3d"} & set(FUNCTIONAL)
    assert ag.autograd.forward_ad.__all__ == [
        n for n in ag.autograd.forward_ad.__all__ if hasattr(torch.autograd.forward_ad, n)
    ]
