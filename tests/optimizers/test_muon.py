"""Muon against torch.optim.Muon (2.13): the bfloat16 rounding bit for bit, the Newton-Schulz
iteration almost bit for bit (float32 sums in another order: see optimizers/muon.py), the
momentum state bit for bit, whole runs, the closed form of what the iteration does, and errors.

torch's Muon orthogonalizes in bfloat16, so ours is compared by what may differ: the share of
elements equal bit for bit (a wrong rule makes it near 0) and the largest difference in bfloat16
units of the largest entry (one rounding in another place moves a few elements by a unit or two).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from torch.optim._muon import _zeropower_via_newtonschulz

import optimizers
from autograd import Tensor, Value
from optimizers import muon

pytestmark = pytest.mark.usefixtures("torch_float64")

ABC = muon.COEFFICIENTS


def _bf16_units(ours: np.ndarray, theirs: np.ndarray) -> float:
    """The largest difference in bfloat16 units (2^-7 relative) of the largest entry of ``theirs``."""
    if theirs.size == 0:
        return 0.0
    unit = np.spacing(np.float32(np.abs(theirs).max())) * 2.0**16
    return float(np.abs(ours.astype(np.float64) - theirs).max() / unit) if unit else 0.0


def test_to_bfloat16_is_torchs_bit_for_bit() -> None:
    rng = np.random.default_rng(0)
    bits = rng.integers(0, 2**32, 200_000, dtype=np.uint64).astype(np.uint32)
    bits[:4] = [0x3F808000, 0x3F818000, 0x3F807FFF, 0x7F7FFFFF]  # ties to even (down, up), below, max
    x = bits.view(np.float32)  # every kind: subnormals, infinities, nans, ties
    ours = muon.to_bfloat16(x)
    theirs = torch.from_numpy(x.copy()).bfloat16().float().numpy()
    nan = np.isnan(theirs)
    np.testing.assert_array_equal(np.isnan(ours), nan)
    np.testing.assert_array_equal(ours[~nan].view(np.uint32), theirs[~nan].view(np.uint32))
    assert ours[:4].tolist() == [1.0, 1.015625, 1.0, np.inf]
    # float64 as torch: rounded to float32 first (two roundings: 1 + 2^-8 + 2^-40 is 1, not 1 + 2^-7)
    x64 = np.concatenate([rng.standard_normal(1000), [1 + 2**-8 + 2**-40, 1e300, -1e-300, np.nan]])
    theirs = torch.from_numpy(x64).bfloat16().float().numpy()
    np.testing.assert_array_equal(muon.to_bfloat16(x64), theirs)
    assert muon.to_bfloat16(np.float64(1 + 2**-8 + 2**-40)) == 1.0


@pytest.mark.parametrize("steps", [0, 1, 5])
def test_orthogonalize_is_torchs(steps: int) -> None:
    """Random shapes, wide, tall and square, scales from 1e-3 to 1e3: almost every element bit for
    bit, the rest within a few bfloat16 units (this machine: 94% equal, at most 4 units)."""
    rng = np.random.default_rng(steps)
    equal = total = 0
    for _ in range(60):
        shape = tuple(int(n) for n in rng.integers(1, 48, 2))
        g = (rng.standard_normal(shape) * 10.0 ** rng.uniform(-3, 3)).astype(np.float32)
        theirs = _zeropower_via_newtonschulz(torch.from_numpy(g), ABC, steps, 1e-7).float().numpy()
        ours = muon.orthogonalize(g, ABC, steps)
        assert ours.shape == shape and ours.dtype == np.float32
        assert _bf16_units(ours, theirs) <= 8, shape
        equal, total = equal + (ours == theirs).sum(), total + ours.size
    assert equal / total > (0.999 if steps == 0 else 0.8)


#: 2 x 2 matrices whose last iteration lands on a bfloat16 tie unless ``a·X + B X`` is rounded once
#: (as torch's addmm): found among 3,000 random ones, float32 bits
TIES = [
    [0xBFC523B9, 0xBF9911BE, 0x3B6C93C0, 0xBE8E1704],
    [0x3EACDD6D, 0xBE0426ED, 0x3FB90896, 0xBEE95901],
]


def test_orthogonalize_of_at_most_2_by_2_is_torchs_bit_for_bit() -> None:
    """At most two products per sum: no summation order, so every CPU gives torch's bits. Random
    1 x 2, 2 x 1 and 2 x 2 matrices, and two that catch an ``a·X + B X`` rounded twice."""
    rng = np.random.default_rng(8)
    cases = [np.array(t, np.uint32).view(np.float32).reshape(2, 2) for t in TIES]
    cases += [rng.standard_normal(s).astype(np.float32) for s in [(2, 2), (1, 2), (2, 1)] * 100]
    for g in cases:
        theirs = _zeropower_via_newtonschulz(torch.from_numpy(g), ABC, 5, 1e-7).float().numpy()
        np.testing.assert_array_equal(muon.orthogonalize(g), theirs)


def test_orthogonalize_at_the_edges_is_torchs() -> None:
    """Zeros (divided by eps), a norm that overflows float32 (inf: the update is 0), nan, inf,
    empty and 1 x n matrices, and float64 input."""
    cases = [
        np.zeros((3, 4)),
        np.full((2, 3), 3e19),
        np.array([[1.0, np.nan], [2.0, 3.0]]),
        np.array([[1.0, np.inf], [2.0, 3.0]]),
        np.zeros((0, 3)),
        np.zeros((3, 0)),
        np.arange(5.0).reshape(1, 5),
        np.random.default_rng(1).standard_normal((6, 2)),
    ]
    for g in cases:
        theirs = _zeropower_via_newtonschulz(torch.from_numpy(g), ABC, 5, 1e-7).float().numpy()
        ours = muon.orthogonalize(g)
        np.testing.assert_array_equal(ours, theirs)


def test_orthogonalize_moves_the_singular_values_near_one_and_keeps_the_vectors() -> None:
    """The closed form: ``U S Vᵀ`` goes to ``U f(S) Vᵀ`` with ``f(s) = a s + b s³ + c s⁵`` applied
    ``steps`` times to ``s / ‖S‖``; with the default coefficients the values land in [0.6, 1.25]."""
    rng = np.random.default_rng(3)
    u, _ = np.linalg.qr(rng.standard_normal((40, 12)))
    v, _ = np.linalg.qr(rng.standard_normal((12, 12)))
    s = np.geomspace(1.0, 0.05, 12)
    g = (u * s) @ v.T
    out = muon.orthogonalize(g).astype(np.float64)
    x = s / np.sqrt((s**2).sum())
    a, b, c = ABC
    for _ in range(5):
        x = a * x + b * x**3 + c * x**5
    np.testing.assert_allclose(np.linalg.svd(out, compute_uv=False), np.sort(x)[::-1], rtol=0.05)
    assert 0.6 <= x.min() and x.max() <= 1.25
    np.testing.assert_allclose(u.T @ out @ v, np.diag(x), atol=0.05)  # the same singular vectors


def _run(shapes: list[tuple[int, int]], dtype: type, steps: int = 6, **options: Any) -> tuple[Any, ...]:
    """Ours and torch's Muon side by side; at step 3 the first weight's gradient holds nan, inf
    and zeros (which make its update, and it, all nan: the norm is nan), the others' 0 and 1e30."""
    rng = np.random.default_rng(0)
    start = [rng.standard_normal(s).astype(dtype) for s in shapes]
    theirs = [torch.tensor(p, requires_grad=True) for p in start]
    ours = [Tensor(p.copy(), requires_grad=True) for p in start]
    t_opt, o_opt = torch.optim.Muon(theirs, **options), optimizers.Muon(ours, **options)
    for step in range(steps):
        for t, o in zip(theirs, ours):
            g = rng.standard_normal(t.shape).astype(dtype)
            if step == 3 and g.size > 4:
                g.reshape(-1)[:3] = [np.inf, np.nan, -0.0] if t is theirs[0] else [0.0, -0.0, 1e30]
            t.grad, o.grad = torch.tensor(g), Tensor(g.copy())
        t_opt.step()
        o_opt.step()
    for t, o in zip(theirs, ours):  # the momentum is computed bit for bit (fused lerps)
        np.testing.assert_array_equal(o_opt.state[o]["momentum_buffer"], t_opt.state[t]["momentum_buffer"])
        assert set(o_opt.state[o]) == set(t_opt.state[t]) == {"momentum_buffer"}
    return [o.data for o in ours], [t.detach().numpy() for t in theirs]


CASES = [
    {},
    {"lr": 0.02, "nesterov": False},
    {"lr": 0.02, "momentum": 0.0, "weight_decay": 0.0},
    {"lr": 0.05, "weight_decay": 0.5, "momentum": 0.8},
    {"adjust_lr_fn": "match_rms_adamw", "ns_steps": 3},
    {"adjust_lr_fn": "original", "ns_coefficients": (2.0, -1.5, 0.5), "eps": 1e-3},
]


def _torchs_orthogonalize(update: np.ndarray, coefficients: Any, steps: int, eps: float) -> np.ndarray:
    return _zeropower_via_newtonschulz(torch.from_numpy(update), coefficients, steps, eps).float().numpy()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("options", CASES, ids=str)
def test_steps_are_torchs_bit_for_bit_around_the_orthogonalization(
    options: dict[str, Any], dtype: type, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With torch's Newton-Schulz put in ours's place, six steps on tall, wide, square and empty
    weights (nan, inf, 0 and 1e30 in the gradients once) are torch's bit for bit: the momentum,
    the Nesterov lerp, the decay, the learning rate's adjustment and the update."""
    monkeypatch.setattr(muon, "orthogonalize", _torchs_orthogonalize)
    ours, theirs = _run([(5, 3), (3, 7), (16, 16), (40, 20), (0, 3)], dtype, **options)
    assert np.isnan(ours[0]).all() and np.isnan(theirs[0]).all()
    for o, t in zip(ours, theirs):
        assert o.dtype == dtype
        np.testing.assert_array_equal(o, t)


@pytest.mark.parametrize("options", CASES, ids=str)
def test_steps_stay_near_torchs(options: dict[str, Any], dtype: type = np.float32) -> None:
    """The same runs with our Newton-Schulz: where one float32 sum rounds to the other side of a
    bfloat16 boundary, the weights differ by a few bfloat16 units of an update."""
    ours, theirs = _run([(5, 3), (3, 7), (16, 16), (40, 20), (0, 3)], dtype, **options)
    for o, t in zip(ours, theirs):
        np.testing.assert_array_equal(np.isnan(o), np.isnan(t))
        lr = muon.adjusted_lr(options.get("lr", 1e-3), options.get("adjust_lr_fn"), o.shape)
        finite = np.isfinite(t)
        np.testing.assert_allclose(o[finite], t[finite], rtol=0, atol=6 * 4 * lr * 2**-7)


def test_a_deliberately_wrong_muon_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bit-for-bit comparison fails for a Muon that forgets the Nesterov step, or that decays
    after the update instead of before (each a plausible slip; the second changes the last bits)."""

    class NoNesterov(optimizers.Muon):
        def _update(self, param: np.ndarray, grad: np.ndarray, state: dict, group: Any) -> None:
            super()._update(param, grad, state, {**group, "nesterov": False})

    class DecayAfter(optimizers.Muon):
        def _weight_decay(self, param: np.ndarray, grad: np.ndarray, group: Any) -> np.ndarray:
            return grad

        def _update(self, param: np.ndarray, grad: np.ndarray, state: dict, group: Any) -> None:
            super()._update(param, grad, state, group)
            param *= 1 - group["lr"] * group["weight_decay"]

    for wrong in (NoNesterov, DecayAfter):
        with monkeypatch.context() as patch:
            patch.setattr(optimizers, "Muon", wrong)
            with pytest.raises(AssertionError):
                test_steps_are_torchs_bit_for_bit_around_the_orthogonalization(
                    {"lr": 0.05, "weight_decay": 0.5}, np.float32, patch
                )


def test_learning_rate_adjustments() -> None:
    assert muon.adjusted_lr(0.1, None, (40, 10)) == pytest.approx(0.2)
    assert muon.adjusted_lr(0.1, "original", (10, 40)) == 0.1
    assert muon.adjusted_lr(0.1, "match_rms_adamw", (10, 400)) == pytest.approx(0.4)


def test_state_dict_round_trip_continues_the_same_run() -> None:
    rng = np.random.default_rng(5)
    w = Tensor(rng.standard_normal((6, 4)), requires_grad=True)
    opt = optimizers.Muon([w], lr=0.02)
    for _ in range(2):
        w.grad = Tensor(rng.standard_normal((6, 4)))
        opt.step()
    saved, copy = opt.state_dict(), Tensor(w.data.copy(), requires_grad=True)
    other = optimizers.Muon([copy], lr=0.5)
    other.load_state_dict(saved)
    assert other.param_groups[0]["lr"] == 0.02
    g = rng.standard_normal((6, 4))
    w.grad, copy.grad = Tensor(g), Tensor(g.copy())
    opt.step()
    other.step()
    np.testing.assert_array_equal(copy.data, w.data)
    t = torch.optim.Muon([torch.zeros(6, 4, requires_grad=True)])  # the same layout as torch's
    t_state = t.state_dict()
    assert [sorted(g) for g in saved["param_groups"]] == [sorted(g) for g in t_state["param_groups"]]


def test_a_parameter_without_grad_is_skipped_and_zero_grad_works_both_ways() -> None:
    used, unused = Tensor(np.ones((3, 2)), requires_grad=True), Tensor(np.ones((2, 2)), requires_grad=True)
    t_used, t_unused = (torch.ones(*s, requires_grad=True) for s in ((3, 2), (2, 2)))
    opt, t_opt = optimizers.Muon([used, unused], lr=0.1), torch.optim.Muon([t_used, t_unused], lr=0.1)
    for set_to_none in (True, False, True):
        g = np.arange(6.0).reshape(3, 2)
        used.grad, t_used.grad = Tensor(g), torch.tensor(g)
        opt.step()
        t_opt.step()
        opt.zero_grad(set_to_none=set_to_none)
        t_opt.zero_grad(set_to_none=set_to_none)
    assert (unused.grad is None) and unused not in opt.state
    np.testing.assert_array_equal(used.data, t_used.detach().numpy())
    np.testing.assert_array_equal(unused.data, t_unused.detach().numpy())


def test_errors_name_the_argument() -> None:
    w = Tensor(np.ones((2, 3)), requires_grad=True)
    for bad, match in [
        (Tensor(np.ones(3), requires_grad=True), r"2D parameters .* size: \(3,\)"),
        (Value(1.0), r"2D parameters .* size: \(\)"),
        (Tensor(np.ones((2, 2, 2)), requires_grad=True), r"2D parameters .* size: \(2, 2, 2\)"),
    ]:
        with pytest.raises(ValueError, match=match):
            optimizers.Muon([w, bad])
    with pytest.raises(ValueError, match="2D parameters"):
        torch.optim.Muon([torch.ones(3, requires_grad=True)])
    opt = optimizers.Muon([w])
    with pytest.raises(ValueError, match="2D parameters"):
        opt.add_param_group({"params": [Tensor(np.ones(3), requires_grad=True)]})
    assert len(opt.param_groups) == 1  # (the refused group is not kept)
    for options, match in [
        ({"lr": -1.0}, "Invalid lr"),
        ({"momentum": -0.1}, "Invalid momentum"),
        ({"weight_decay": -0.1}, "Invalid weight_decay"),
        ({"adjust_lr_fn": "rms"}, "Invalid adjust_lr_fn: expected None or 'original' or 'match_rms_adamw'"),
        ({"ns_steps": 100}, "Invalid ns_steps: expected an integer below 100"),
        ({"ns_steps": 2.0}, "Invalid ns_steps: expected an integer"),
        ({"ns_coefficients": (1.0, 2.0)}, r"Invalid ns_coefficients: expected a tuple of exactly 3"),
        ({"ns_coefficients": (1.0, "b", 2.0)}, r"Invalid ns_coefficients\[1\]"),
        ({"nesterov": "yes"}, "Invalid nesterov"),
    ]:
        with pytest.raises((TypeError, ValueError), match=match):
            optimizers.Muon([w], **options)
