"""SGD's batched parameter update (``autograd._fma.AxpyBatch``: small float32 parameters written
together after a group's loop) gives torch's bits: on the 2-16-16-1 MLP's shapes, with zero
gradients and exact float32 rounding midpoints, normal and subnormal,
several groups, a float64 parameter among float32 ones, parameters rebound to new (also
non-contiguous) arrays between steps and a ``load_state_dict``; and a step that raises leaves
the parameters before the failure updated, as torch's loop does."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import optimizers
from autograd import Tensor, _fma

SHAPES = [(2, 16), (16,), (16, 16), (16,), (16, 1), (1,), (), (0, 3)]
OPTIONS = [
    {"lr": 0.0123},
    {"lr": 0.01, "momentum": 0.9},
    {"lr": 0.01, "momentum": 0.9, "dampening": 0.3, "weight_decay": 0.01},
    {"lr": 0.01, "momentum": 0.8, "nesterov": True, "weight_decay": 0.1, "maximize": True},
]
#: lr * grad = 2**-24 - 2**-54: added to 1 + 2**-23, the float64 sum rounds onto the float32
#: midpoint 1 + 2**-23 + 2**-24 (ties to even: up), while the exact sum is just below it (down)
MID_LR, MID_GRAD, MID_PARAM = (2**15 - 1) * 2.0**-27, -(2**15 + 1) * 2.0**-27, 1 + 2.0**-23


def _grads(rng: np.random.Generator, step: int) -> list[np.ndarray]:
    grads = [rng.standard_normal(s).astype(np.float32) for s in SHAPES]
    grads[1][: 4 + step] = 0.0  # zero gradients: sums whose low bits are zero (the exact path)
    grads[2][step, :3] = [np.nan, np.inf, -0.0]
    return grads


def _assert_same(theirs: list[torch.Tensor], ours: list[Tensor]) -> None:
    for t, o in zip(theirs, ours):
        np.testing.assert_array_equal(o.data, t.detach().numpy(), strict=True)


@pytest.mark.parametrize("options", OPTIONS, ids=range(len(OPTIONS)))
def test_sgd_batched_is_torchs_bits(options: dict[str, Any]) -> None:
    """Two groups (the second with another lr: a batch per group), 8 steps; at step 3 the
    parameters' arrays are replaced (one by a non-contiguous view), at step 5 the optimizer is
    rebuilt from its state dict."""
    rng = np.random.default_rng(0)
    start = [rng.standard_normal(s).astype(np.float32) for s in SHAPES]
    theirs = [torch.tensor(p, requires_grad=True) for p in start]
    ours = [Tensor(p.copy(), requires_grad=True) for p in start]

    def groups(params: list[Any]) -> list[dict[str, Any]]:
        return [{"params": params[:5]}, {"params": params[5:], "lr": options["lr"] * 3}]

    t_opt = torch.optim.SGD(groups(theirs), **options)
    o_opt = optimizers.SGD(groups(ours), **options)
    for step in range(8):
        grads = _grads(rng, step)
        for t, o, g in zip(theirs, ours, grads):
            t.grad, o.grad = torch.tensor(g), Tensor(g.copy())
        if step == 3:  # new arrays for the parameters: the batch must write the new ones
            for t, o in zip(theirs, ours):
                fresh = rng.standard_normal(o.data.shape).astype(np.float32)
                with torch.no_grad():
                    t.copy_(torch.from_numpy(fresh))
                o.data = fresh.copy()
            wide = np.zeros((16, 32), np.float32)
            wide[:, ::2] = ours[2].data
            ours[2].data = wide[:, ::2]  # non-contiguous
        if step == 5:
            saved = o_opt.state_dict()
            o_opt = optimizers.SGD(groups(ours), **options)
            o_opt.load_state_dict(saved)
        t_opt.step()
        o_opt.step()
        _assert_same(theirs, ours)
    assert ours[2].data.base is wide  # written in place, through the view


def test_midpoints_take_the_exact_path() -> None:
    """Elements where one rounding and two differ (a float32 midpoint reached by the float64 sum)
    in a batch of small parameters: torch's bits, also where the batch holds other parameters."""
    shapes = [(16,), (3, 5), ()]
    start = [np.full(s, MID_PARAM, np.float32) for s in shapes]
    grads = [np.full(s, MID_GRAD, np.float32) for s in shapes]
    start[0][::2] = 0.5  # (a mix: half of these are no midpoints)
    assert np.float32(MID_LR) == MID_LR and np.float32(MID_GRAD) == MID_GRAD
    theirs = [torch.tensor(p, requires_grad=True) for p in start]
    ours = [Tensor(p.copy(), requires_grad=True) for p in start]
    for t, o, g in zip(theirs, ours, grads):
        t.grad, o.grad = torch.tensor(g), Tensor(g.copy())
    torch.optim.SGD(theirs, lr=MID_LR).step()
    optimizers.SGD(ours, lr=MID_LR).step()
    _assert_same(theirs, ours)
    assert ours[1].data[0, 0] == np.float32(MID_PARAM)  # rounded once: down (twice: up)
    assert np.float32(np.float64(MID_PARAM) - MID_LR * MID_GRAD) != np.float32(MID_PARAM)


def test_a_float64_parameter_among_float32_ones() -> None:
    rng = np.random.default_rng(5)
    start = [
        rng.standard_normal(s).astype(d)
        for s, d in [((4,), np.float32), ((3,), np.float64), ((5,), np.float32)]
    ]
    theirs = [torch.tensor(p, requires_grad=True) for p in start]
    ours = [Tensor(p.copy(), requires_grad=True) for p in start]
    t_opt, o_opt = torch.optim.SGD(theirs, lr=0.1, momentum=0.5), optimizers.SGD(ours, lr=0.1, momentum=0.5)
    for _ in range(3):
        for t, o in zip(theirs, ours):
            g = rng.standard_normal(o.data.shape).astype(o.data.dtype)
            t.grad, o.grad = torch.tensor(g), Tensor(g)
        t_opt.step()
        o_opt.step()
        _assert_same(theirs, ours)


def test_a_failing_step_keeps_the_updates_before_it() -> None:
    """torch's loop updates the parameters before one whose update raises; the batch is written
    though the step raises."""
    ours = [Tensor(np.ones(4, np.float32), requires_grad=True) for _ in range(3)]
    opt = optimizers.SGD(ours, lr=0.5)
    original = opt._step_param

    def fails_at_the_last(p: Tensor, grad: np.ndarray, group: dict) -> bool:
        if p is ours[2]:
            raise RuntimeError("boom")
        return original(p, grad, group)

    opt._step_param = fails_at_the_last
    for p in ours:
        p.grad = Tensor(np.ones(4, np.float32))
    with pytest.raises(RuntimeError, match="boom"):
        opt.step()
    np.testing.assert_array_equal(ours[0].data, np.full(4, 0.5, np.float32))
    np.testing.assert_array_equal(ours[1].data, np.full(4, 0.5, np.float32))
    np.testing.assert_array_equal(ours[2].data, np.ones(4, np.float32))
    assert not opt._axpy


def test_axpy_batch_flushes_on_a_new_alpha_and_when_full() -> None:
    """A batch holds one alpha (another flushes first) and ``_CHUNK`` elements (more flush first);
    arrays it does not take (float64, larger than ``LIMIT``, ``x`` of another dtype) are updated
    at once."""
    rng = np.random.default_rng(2)
    batch = _fma.AxpyBatch()
    ys = [rng.standard_normal(n).astype(np.float32) for n in [1000] * 20 + [5, 5]]
    xs = [rng.standard_normal(y.shape).astype(np.float32) for y in ys]
    alphas = [0.3] * 20 + [-0.7, 0.3]
    expected = [
        torch.from_numpy(y.copy()).add_(torch.from_numpy(x), alpha=a).numpy()
        for y, x, a in zip(ys, xs, alphas)
    ]
    for y, x, a in zip(ys, xs, alphas):
        batch.add(y, a, x)
    assert batch._stop <= _fma._CHUNK
    batch.flush()
    for y, e in zip(ys, expected):
        np.testing.assert_array_equal(y, e)
    now = [np.ones(3), np.ones(_fma.AxpyBatch.LIMIT + 1, np.float32), np.ones(4, np.float32)]
    for y, x in zip(now, [np.ones(3), np.ones(now[1].size, np.float32), np.ones(4)]):
        batch.add(y, 0.5, x)
    assert not batch
    for y in now:
        np.testing.assert_array_equal(y, y.dtype.type(1.5))


def test_subnormal_midpoints_and_exact_sums() -> None:
    """A float32 subnormal sum whose float64 rounding lands on a subnormal midpoint: ``y`` =
    2**-127 + 2**-149, ``alpha * x`` = 2**-150 - 2**-197 (2**47 - 1 = 10610063 * 13264529, both
    24-bit), whose float64 sum is the midpoint y + 2**-150 (two roundings: up, to an even last
    bit; one: down, to ``y``), beside zero gradients: torch's bits, from one ``axpy_`` over the
    batch."""
    alpha = float(np.float32(10610063 * 2.0**-100))
    x0 = np.float32(13264529 * 2.0**-97)
    y0 = np.float32(2.0**-127 + 2.0**-149)
    assert alpha * float(x0) == 2.0**-150 - 2.0**-197 and float(y0) == 2.0**-127 + 2.0**-149
    ys = [np.full(5, y0, np.float32), np.full((2, 3), 1.5, np.float32), np.full(7, y0, np.float32)]
    xs = [np.full(5, x0, np.float32), np.zeros((2, 3), np.float32), np.zeros(7, np.float32)]
    xs[2][3] = x0
    expected = [
        torch.from_numpy(y.copy()).add_(torch.from_numpy(x), alpha=alpha).numpy() for y, x in zip(ys, xs)
    ]
    assert expected[0][0] == y0  # (rounded once: down)
    assert np.float32(float(y0) + alpha * float(x0)) != y0  # (twice: up)
    batch = _fma.AxpyBatch()
    for y, x in zip(ys, xs):
        batch.add(y, alpha, x)
    calls = []
    original = _fma.axpy_
    _fma.axpy_ = lambda *a: calls.append(a) or original(*a)  # type: ignore[assignment]
    try:
        batch.flush()
    finally:
        _fma.axpy_ = original
    assert len(calls) <= 1  # (BLAS on the whole batch; or one axpy_ over it, where there is no BLAS)
    for y, e in zip(ys, expected):
        np.testing.assert_array_equal(y, e, strict=True)
