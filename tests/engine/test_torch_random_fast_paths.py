"""The vectorised routes of torch's CPU random streams (``autograd._mt_stream``) give torch's bits:
Box–Muller in pieces of ``_BLOCKS_AT_ONCE`` blocks (sizes around the pieces' edges), the exact
shortcuts of the final multiply-add (std 1, mean 0) and of ``uniform_`` (with their fallbacks to the
checked fmaf), randperm's Fisher–Yates without a loop, and the generator's state after each, so the
next draw is torch's too."""

from __future__ import annotations

import os

import numpy as np
import pytest
import torch

import autograd
from autograd import _mt_stream, _randperm

PIECE = _mt_stream._BLOCKS_AT_ONCE * 16


def same_bits(ours: object, theirs: torch.Tensor) -> bool:
    a = np.asarray(getattr(ours, "data", ours))
    b = theirs.detach().numpy()
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


def generators(seed: int) -> tuple[autograd.Generator, torch.Generator]:
    return autograd.Generator().manual_seed(seed), torch.Generator().manual_seed(seed)


def assert_same_state(g: autograd.Generator, t: torch.Generator) -> None:
    assert same_bits(g.get_state(), t.get_state())
    assert same_bits(autograd.rand(3, dtype=autograd.float32, generator=g), torch.rand(3, generator=t))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("n", [PIECE - 1, PIECE, PIECE + 1, PIECE + 16, 2 * PIECE + 5, 3 * PIECE - 16])
def test_randn_across_the_pieces_edges_is_torchs(dtype: str, n: int) -> None:
    g, t = generators(n)
    ad, td = getattr(autograd, dtype), getattr(torch, dtype)
    assert same_bits(autograd.randn(n, dtype=ad, generator=g), torch.randn(n, dtype=td, generator=t))
    assert_same_state(g, t)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_randn_around_the_blocks_of_16_is_torchs(dtype: str) -> None:
    """normal_'s routes by size: one by one below 16, Box–Muller in blocks of 16 from there, the
    last 16 drawn again when the size is not a multiple of 16; in one stream, so each leaves
    torch's state for the next."""
    g, t = generators(16)
    ad, td = getattr(autograd, dtype), getattr(torch, dtype)
    for n in (15, 16, 17, 31, 32, 33, 47, 48, 49, 255, 256, 257):
        assert same_bits(autograd.randn(n, dtype=ad, generator=g), torch.randn(n, dtype=td, generator=t)), n
    assert_same_state(g, t)


def stream_and_torch(seed: int) -> tuple[_mt_stream.Stream, torch.Generator]:
    return _mt_stream.Stream(seed), torch.Generator().manual_seed(seed)


def assert_stream_where_torch_is(stream: _mt_stream.Stream, t: torch.Generator) -> None:
    assert same_bits(stream.unit(3, np.dtype(np.float32)), torch.rand(3, generator=t))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(
    "mean, std",
    [(0.0, 1.0), (0.5, 1.0), (-0.0, 1.0), (0.0, 2.5), (-0.0, 0.1), (0.5, 3.0), (0.0, 0.0), (-2.0, 1e-3)],
)
def test_normal_by_each_route_of_the_last_multiply_add_is_torchs(dtype: str, mean: float, std: float) -> None:
    """std 1: one addition; mean ±0: one product; otherwise the checked fma (both dtypes), for
    sizes below 16 (the scalar sampler), at 16 and 17, and through a piece's edge."""
    stream, t = stream_and_torch(7)
    for n in (0, 1, 15, 16, 17, 100, PIECE + 3):
        ours = stream.normal(n, mean, std, np.dtype(dtype))
        assert same_bits(ours, torch.empty(n, dtype=getattr(torch, dtype)).normal_(mean, std, generator=t)), n
    assert_stream_where_torch_is(stream, t)


@pytest.mark.parametrize("dtype, std", [("float64", 5e-324), ("float64", 1e-300), ("float32", 1e-45)])
def test_a_std_that_underflows_the_product_keeps_fmas_signed_zeros(dtype: str, std: float) -> None:
    """mean 0 and the smallest std: fma rounds x * std + 0 once, so a negative x whose product
    rounds to zero gives -0.0; rounding x * std first and adding 0 would give +0.0."""
    stream, t = stream_and_torch(3)
    ours = stream.normal(64, 0.0, std, np.dtype(dtype))
    assert same_bits(ours, torch.empty(64, dtype=getattr(torch, dtype)).normal_(0.0, std, generator=t))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(
    "low, high, exact",
    [(0.0, 1.0, True), (-0.3, 1.7, True), (-0.0625, 0.0625, True), (-1e-30, 1e30, False), (3.0, 3.0, True)],
)
def test_uniform_with_and_without_the_exact_shortcut_is_torchs(
    dtype: str, low: float, high: float, exact: bool
) -> None:
    lo, hi = np.float32(low), np.float32(high)
    assert _mt_stream.sum_is_exact(float(hi - lo), 2.0**-24, float(lo)) is exact
    stream, t = stream_and_torch(11)
    for n in (0, 1, 17, 5000):
        ours = stream.uniform(n, low, high, np.dtype(dtype))
        theirs = torch.empty(n, dtype=getattr(torch, dtype)).uniform_(low, high, generator=t)
        assert same_bits(ours, theirs), n
    assert_stream_where_torch_is(stream, t)


def test_in_place_draws_on_the_library_generator_are_torchs() -> None:
    """The same routes through the Tensor methods and a Generator object: in place, a float64 tensor
    draws torch's default (float32) stream."""
    g, t = generators(5)
    for n in (17, PIECE + 1):
        for mean, std in ((0.0, 1.0), (0.0, 2.0), (1.0, 1.0), (1.0, 2.0)):
            ours = autograd.zeros(n).normal_(mean, std, generator=g)
            assert same_bits(ours, torch.zeros(n).normal_(mean, std, generator=t).double())
        ours = autograd.zeros(n).uniform_(-0.5, 0.25, generator=g)
        assert same_bits(ours, torch.zeros(n).uniform_(-0.5, 0.25, generator=t).double())
    assert_same_state(g, t)


def test_sum_is_exact_refuses_what_float64_cannot_hold() -> None:
    assert _mt_stream.sum_is_exact(0.0, 2.0**-24, 0.0)
    assert _mt_stream.sum_is_exact(2.0, 2.0**-24, -1.0)
    assert not _mt_stream.sum_is_exact(float("inf"), 2.0**-24, 0.0)
    assert _mt_stream.sum_is_exact(1.0, 2.0**-24, 2.0**27)  # 2**27 down to 2**-24: 52 bits
    assert not _mt_stream.sum_is_exact(1.0, 2.0**-24, 2.0**29)  # 54 bits: float64 rounds
    assert 2.0**-24 * 1.0 + 2.0**29 == 2.0**29  # (it does)


def test_uniform_takes_the_checked_fmaf_unless_the_sum_is_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    calls, fma32 = [], _mt_stream.fma32

    def spy(*args: object) -> np.ndarray:
        calls.append(args)
        return fma32(*args)

    monkeypatch.setattr(_mt_stream, "fma32", spy)
    stream = _mt_stream.Stream(0)
    stream.uniform(10, -0.5, 0.5, np.dtype(np.float32))
    assert not calls
    stream.uniform(10, -1e-30, 1e30, np.dtype(np.float32))  # 2**-123 steps beside 2**99
    assert len(calls) == 1


# the loop up to _SWAPS_UP_TO; 32-bit sort keys up to 2**16
SWAPS = _mt_stream._SWAPS_UP_TO


@pytest.mark.parametrize("n", [0, 1, 2, 3, 17, SWAPS, SWAPS + 1, 1000, 60000, 2**16, 2**16 + 1, 100003])
def test_randperm_of_any_size_is_torchs_and_leaves_torchs_state(n: int) -> None:
    g, t = generators(n + 1)
    assert same_bits(autograd.randperm(n, generator=g), torch.randperm(n, generator=t))
    assert_same_state(g, t)


def _fisher_yates_loop(picks: np.ndarray) -> np.ndarray:
    r = list(range(len(picks) + 1))
    for i, z in enumerate(picks.tolist()):
        r[i], r[i + z] = r[i + z], r[i]
    return np.array(r, dtype=np.int64)


def test_fisher_yates_without_a_loop_is_the_loop() -> None:
    rng = np.random.default_rng(0)
    for n in [*range(2, 40), 257, 4096]:
        extremes = [np.zeros(n - 1, np.uint32), np.arange(n - 1, 0, -1, dtype=np.uint32)]  # stay; go last
        drawn = [rng.integers(0, np.arange(n, 1, -1)).astype(np.uint32) for _ in range(20 if n < 40 else 2)]
        for picks in extremes + drawn:
            assert np.array_equal(_randperm.fisher_yates(picks), _fisher_yates_loop(picks)), (n, picks)


def _inside_out_loop(z: np.ndarray) -> np.ndarray:
    """torch's randperm_cpu from n = 214,748,364 on, as written there."""
    r = list(range(len(z)))
    for i, zi in enumerate(z.tolist()):
        r[i] = i
        r[i] = r[zi]
        r[zi] = i
    return np.array(r, dtype=np.int64)


def test_the_inside_out_shuffle_without_a_loop_is_the_loop() -> None:
    rng = np.random.default_rng(1)
    for n in [*range(0, 40), 257, 4096, 2**16 + 3]:
        extremes = [np.zeros(n, np.int64), np.arange(n, dtype=np.int64)]  # all to the front; all stay
        drawn = [rng.integers(0, np.arange(1, n + 1)) for _ in range(20 if n < 40 else 2)]
        for z in extremes + drawn:
            assert np.array_equal(_randperm.inside_out(z.copy()), _inside_out_loop(z)), (n, z)


@pytest.mark.parametrize("n", [9, 10, 11, SWAPS, SWAPS + 1, 2**16 + 5])
def test_randperm_from_torchs_threshold_draws_random64_inside_out(
    monkeypatch: pytest.MonkeyPatch, n: int
) -> None:
    """torch's switch (``n < UINT32_MAX / 20``), moved down to 10: from there on every step draws
    ``random64() % (i + 1)`` (i = 0 too) and shuffles inside out; below it nothing changes."""
    monkeypatch.setattr(_randperm, "INSIDE_OUT_FROM", 10)
    ours, ref = _mt_stream.Stream(n), _mt_stream.Stream(n)
    if n < 10:
        expected = _fisher_yates_loop(ref.random(n - 1) % np.arange(n, 1, -1, dtype=np.uint64))
    else:
        expected = _inside_out_loop((ref.random64(n) % np.arange(1, n + 1, dtype=np.uint64)).astype(np.int64))
    assert np.array_equal(ours.permutation(n), expected)
    assert np.array_equal(ours.random(5), ref.random(5))  # as many draws


def test_torchs_threshold_is_where_it_switches() -> None:
    assert _randperm.INSIDE_OUT_FROM == 214_748_364 == (2**32 - 1) // 20


def test_randperm_beyond_what_the_sort_keys_hold_raises() -> None:
    with pytest.raises(ValueError, match=r"randperm: n must be at most 2\*\*32 = 4294967296 .* n=4294967297"):
        autograd.randperm(2**32 + 1)


@pytest.mark.skipif(
    not os.environ.get("GRADSCOPE_EXHAUSTIVE"),
    reason="torch's inside-out randperm at its threshold (~12 GB, a few minutes): GRADSCOPE_EXHAUSTIVE=1",
)
@pytest.mark.parametrize("n", [_randperm.INSIDE_OUT_FROM - 1, _randperm.INSIDE_OUT_FROM])
def test_randperm_at_torchs_threshold_is_torchs(n: int) -> None:
    g, t = generators(5)
    assert np.array_equal(autograd.randperm(n, generator=g).numpy(), torch.randperm(n, generator=t).numpy())
    assert same_bits(autograd.rand(3, dtype=autograd.float32, generator=g), torch.rand(3, generator=t))


def test_the_unchecked_multiply_adds_are_exact_on_box_mullers_inputs() -> None:
    """log256 and sincos256 round each float64 multiply-add once: checked against the exact fmaf on
    every 61st of the 2**24 inputs Box–Muller gives them, and on the first and last 4096 (run over
    all 2**24 when this was written: no multiply-add was inexact at a float32 tie)."""
    # (and next to 3 pi / 2, where y * DP3 is the one product of sincos256's reduction that float32
    # would round: 3 of the 2**24 inputs, 12582909, 12582912 and 12582913, need its fmaf)
    ends = [np.arange(4096), 2**24 - 1 - np.arange(4096), np.arange(12582900, 12582920)]
    k = np.unique(np.concatenate([np.arange(0, 2**24, 61), *ends]))
    u = k.astype(np.float32) * np.float32(2.0**-24)
    u1, theta = np.float32(1) - u, np.float32(2 * np.pi) * u
    assert np.array_equal(
        _mt_stream.log256(u1).view(np.uint32), _mt_stream.log256(u1, checked=True).view(np.uint32)
    )
    for fast, exact in zip(_mt_stream.sincos256(theta), _mt_stream.sincos256(theta, checked=True)):
        assert np.array_equal(fast.view(np.uint32), exact.view(np.uint32))


@pytest.mark.skipif(
    not os.environ.get("GRADSCOPE_EXHAUSTIVE"),
    reason="all 2**24 inputs (~15 s): GRADSCOPE_EXHAUSTIVE=1",
)
def test_the_unchecked_multiply_adds_are_exact_on_all_of_box_mullers_inputs() -> None:
    step = 1 << 20
    for start in range(0, 1 << 24, step):
        u = np.arange(start, start + step).astype(np.float32) * np.float32(2.0**-24)
        u1, theta = np.float32(1) - u, np.float32(2 * np.pi) * u
        fast, exact = _mt_stream.log256(u1), _mt_stream.log256(u1, checked=True)
        assert np.array_equal(fast.view(np.uint32), exact.view(np.uint32)), start
        for fast, exact in zip(_mt_stream.sincos256(theta), _mt_stream.sincos256(theta, checked=True)):
            assert np.array_equal(fast.view(np.uint32), exact.view(np.uint32)), start


def test_fma32_rounds_a_double_rounding_tie_correctly() -> None:
    """a * b + c = 1 + 2**-24 + 2**-54: float64 rounds it to 1 + 2**-24, halfway between two
    float32, which then rounds to even (1.0); fmaf rounds the exact sum once, up to 1 + 2**-23."""
    a, b = np.float32(-(2.0**-24 + 2.0**-39)), np.float32(1 - 2.0**-15)  # a * b = -2**-24 + 2**-54
    c = np.float32(1 + 2.0**-23)
    once = (np.float64(a) * np.float64(b) + np.float64(c)).astype(np.float32)
    assert once == np.float32(1.0)  # the double rounding the check is there for
    got = _mt_stream.fma32(np.full(5, a), b, c)
    assert got.tolist() == [1 + 2.0**-23] * 5


def test_glibc_log_from_logl_is_the_c_librarys_log(monkeypatch: pytest.MonkeyPatch) -> None:
    """``logl`` rounded to float64 where it is not near halfway, ``math.log`` elsewhere: the C
    library's ``log`` on a million of Box–Muller's ``1 - u`` and next to both ends of (0, 1]."""
    import math

    rng = np.random.default_rng(3)
    x = np.concatenate(
        [
            1 - rng.integers(0, 2**53, 1_000_000) * 2.0**-53,
            1 - np.arange(5000) * 2.0**-53,
            np.arange(1, 5000) * 2.0**-53,
        ]
    )
    expected = np.fromiter(map(math.log, x.tolist()), np.float64, x.size)
    assert np.array_equal(_mt_stream.glibc_log(x).view(np.uint64), expected.view(np.uint64))
    if _mt_stream._LOGL_DECIDES:  # without the margin, logl's rounding is not glibc's everywhere
        monkeypatch.setattr(_mt_stream, "_LOGL_MARGIN", 0.0)
        assert not np.array_equal(_mt_stream.glibc_log(x), expected)


@pytest.mark.parametrize(
    "low, high", [(0, 2**28 - 1), (0, 2**28), (-3, 2**31 - 3), (-3, 2**32 - 4), (5, 2**32 + 5)]
)
def test_randint_switches_to_64_bit_draws_at_torchs_range(low: int, high: int) -> None:
    """torch 2.13 draws random64() for ranges of 2**28 or more (older torch: 2**32)."""
    g, t = generators(1)
    assert same_bits(
        autograd.randint(low, high, (40,), generator=g), torch.randint(low, high, (40,), generator=t)
    )
    ours = autograd.zeros(20, dtype=autograd.float64).random_(low, high, generator=g)
    assert same_bits(ours, torch.zeros(20, dtype=torch.float64).random_(low, high, generator=t))
    assert_same_state(g, t)


@pytest.mark.parametrize(
    "mean, std",
    [(1e-308, 3e-308), (5e-324, 5e-324), (-1e-320, 2e-320), (1e-300, 1e-300), (2.0**1000, 2.0**1000)],
)
def test_float64_fma_near_the_subnormals_and_overflow_is_torchs(mean: float, std: float) -> None:
    """The error-free splitting loses bits where the product's error falls among the subnormals
    (or overflows); there fma64 rounds the exact sum as a fraction. Both samplers (16+ and < 16)."""
    for n in (64, 5):
        stream, t = stream_and_torch(3)
        ours = stream.normal(n, mean, std, np.dtype(np.float64))
        assert same_bits(ours, torch.empty(n, dtype=torch.float64).normal_(mean, std, generator=t)), n


@pytest.mark.parametrize("low, high", [(1e-310, 3e-308), (0.0, 1e-320), (1.0, 2.0)])
def test_float64_uniform_near_the_subnormals_is_torchs(low: float, high: float) -> None:
    stream, t = stream_and_torch(4)
    ours = stream.uniform(100, low, high, np.dtype(np.float64))
    assert same_bits(ours, torch.empty(100, dtype=torch.float64).uniform_(low, high, generator=t))


def test_exact_fma_signs_and_overflow() -> None:
    def fma(a: float, b: float, c: float) -> float:
        return float(_mt_stream.fma64(a, b, c))

    assert fma(2.0**-600, 2.0**-600, 0.0) == 0.0  # underflows to +0
    assert np.signbit(fma(-(2.0**-600), 2.0**-600, 0.0))  # to -0: the sign kept
    assert fma(3.0, 2.0**-1074, -(2.0**-1074)) == 2.0**-1073  # a subnormal, exact
    assert not np.signbit(fma(2.0, 3.0, -6.0))  # x - x = +0
    assert np.signbit(fma(-0.0, 1.0, -0.0))  # (-0) + (-0) = -0
    assert fma(2.0**1000, 2.0**1000, 1.0) == np.inf
    assert fma(-(2.0**1000), 2.0**1000, 1.0) == -np.inf
    assert fma(2.0**600, 2.0**600, 1.0) == np.inf  # a product that overflows below 2**995 each
    assert fma(-(2.0**600), 2.0**600, 2.0**1000) == -np.inf  # (its error term was inf - inf: nan)
    assert fma(2.0**600, 2.0**424, -(2.0**1023)) == 2.0**1023  # 2**1024 - 2**1023: no overflow


@pytest.mark.parametrize("mean, std", [(0.0, 1.0), (0.5, 3.0), (0.0, 2.0)])
def test_the_glibc_float32_path_in_pieces_is_its_formula(
    monkeypatch: pytest.MonkeyPatch, mean: float, std: float
) -> None:
    """Torch builds without AVX2 (glibc's logf/sinf/cosf, checked against the C library in
    test_torch_random_streams): the pieces and the last multiply-add's routes give the formula's bits."""
    monkeypatch.setattr(_mt_stream, "FLOAT32_BOX_MULLER", "glibc")
    n = PIECE + 32
    blocks = _mt_stream.Stream(5).unit(n, np.dtype(np.float32)).reshape(-1, 16)
    radius = np.sqrt(np.float32(-2) * _mt_stream.logf(np.float32(1) - blocks[:, :8]))
    sin, cos = _mt_stream.sincosf((2 * np.pi * blocks[:, 8:].astype(np.float64)).astype(np.float32))
    s, m = np.float32(std), np.float32(mean)
    expected = np.concatenate(
        [_mt_stream.fma32(radius * cos, s, m), _mt_stream.fma32(radius * sin, s, m)], axis=1
    )
    ours = _mt_stream.Stream(5).normal(n, mean, std, np.dtype(np.float32))
    assert ours.tobytes() == expected.ravel().tobytes()


def test_words_drawn_either_way_are_torchs() -> None:
    """Below 4096 words ``random_raw``, from there ``Generator.integers``: the same stream."""
    g, t = generators(8)
    for n in (4095, 4096, 1, 4097, 3):
        assert same_bits(autograd.rand(n, dtype=autograd.float32, generator=g), torch.rand(n, generator=t)), n
    assert_same_state(g, t)


def test_a_state_set_from_torch_serves_both_ways_of_drawing_words() -> None:
    t = torch.Generator().manual_seed(12)
    torch.rand(1000, generator=t)
    g = autograd.Generator().set_state(t.get_state().numpy())
    for n in (5000, 7, 4096):
        assert same_bits(autograd.rand(n, dtype=autograd.float32, generator=g), torch.rand(n, generator=t)), n
    assert same_bits(autograd.randperm(3000, generator=g), torch.randperm(3000, generator=t))
    assert_same_state(g, t)
