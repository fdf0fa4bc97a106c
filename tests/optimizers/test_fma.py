"""``autograd._fma``: the fused multiply-add (one rounding) the optimizers use (through
``optimizers._fma``), against exact rational arithmetic, and torch's CPU kernels it stands for
(``add_`` with ``alpha``, ``addcmul_``, ``lerp_``: ATen's ``fmadd``)."""

from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import pytest
import torch

from autograd import _fma
from optimizers import _fma as policy
from optimizers._scratch import Scratch
from optimizers.base import ema_sq_, lerp_

DTYPES = [np.float32, np.float64]
TAILS = [1, 7, 8, 9, 15, 16, 17, 31, 33, 37, 64, 65, 1000, 4097]


def _round(x: Fraction, dtype: type) -> np.floating:
    """``x`` rounded to nearest-even in ``dtype`` (overflow to inf)."""
    info = np.finfo(dtype)
    big = Fraction(int(info.max)) + Fraction(int(info.max) - int(np.nextafter(info.max, 0))) / 2  # + half ulp
    if abs(x) >= big:
        return dtype(np.inf if x > 0 else -np.inf)
    guess = dtype(float(x))  # within an ulp (float64 first, then dtype)
    candidates = [np.nextafter(guess, dtype(-np.inf)), guess, np.nextafter(guess, dtype(np.inf))]
    candidates = [y for y in candidates if np.isfinite(y)]
    itype = np.int32 if dtype == np.float32 else np.int64
    return min(candidates, key=lambda y: (abs(Fraction(float(y)) - x), int(np.array(y).view(itype)) & 1))


def _exact(a: np.floating, b: np.floating, c: np.floating, dtype: type) -> np.floating:
    """fma(a, b, c) from rational arithmetic; IEEE's a * b + c where a or b is not finite or the
    result is an exact zero (the sign of a zero sum); c where only c is not finite (the exact
    product is finite)."""
    with np.errstate(all="ignore"):
        naive = dtype(np.float64(a) * np.float64(b) + np.float64(c)) if dtype == np.float32 else a * b + c
    if not (np.isfinite(a) and np.isfinite(b)):
        return naive
    if not np.isfinite(c):
        return c
    x = Fraction(float(a)) * Fraction(float(b)) + Fraction(float(c))
    if x == 0:
        return naive
    r = _round(x, dtype)
    return r if r != 0 else dtype(np.copysign(0.0, float(x)))


def _operands(rng: np.random.Generator, dtype: type, n: int) -> np.ndarray:
    info = np.finfo(dtype)
    tiny, huge, subnormal = float(info.tiny), float(info.max), float(info.smallest_subnormal)
    scales = [1.0, 1e-20, 1e20, tiny, huge**0.5, huge / 4, subnormal * 8]
    parts = [rng.standard_normal(n) * s for s in scales]
    specials = [0.0, -0.0, np.inf, -np.inf, np.nan, subnormal, huge, 1.0, -1.0]
    with np.errstate(over="ignore"):
        x = np.concatenate([*parts, specials]).astype(dtype)
    return rng.permutation(x)


@pytest.mark.parametrize("dtype", DTYPES)
def test_fma_rounds_once(dtype: type) -> None:
    """Random, tiny, huge, subnormal, inf, nan and signed-zero operands, and sums that nearly
    cancel, against exact rational arithmetic rounded once."""
    rng = np.random.default_rng(7)
    a, b, c = (_operands(rng, dtype, 60) for _ in range(3))
    with np.errstate(all="ignore"):
        c[:150] = -(a[:150] * b[:150]) * (1 + rng.standard_normal(150) * 1e-6).astype(dtype)
        got = _fma.fma(a, b, c)
    assert got.dtype == dtype
    expected = np.array([_exact(x, y, z, dtype) for x, y, z in zip(a, b, c)], dtype)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(np.signbit(got), np.signbit(expected))
    with np.errstate(all="ignore"):
        two_roundings = a * b + c
    assert (two_roundings != expected).sum() > 5  # (the cases above tell one rounding from two)


def _tiled(x: np.ndarray, x_tame: np.ndarray, reps: int) -> np.ndarray:
    """``reps`` copies of ``x`` end to end, as ``np.tile``, where only the first, the last and those
    on a ``_fma._CHUNK`` boundary are ``x`` itself and the others ``x_tame`` (``x`` without its huge,
    tiny and non-finite numbers): every chunk still holds the numbers the emulation redoes one at a
    time (in rational arithmetic), without ~170 identical copies of each."""
    tiled = np.tile(x_tame, reps)
    n = x.size
    for k in {0, reps - 1, *(i // n for i in range(_fma._CHUNK, n * reps, _fma._CHUNK))}:
        tiled[k * n : (k + 1) * n] = x
    return tiled


@pytest.mark.parametrize("dtype", DTYPES)
def test_fma_paths_agree(dtype: type) -> None:
    """Small arrays, scratch-sized ones and chunked long ones (with scalar, broadcast and
    non-contiguous operands, out one of the inputs) give the same bits."""
    rng = np.random.default_rng(8)
    a, b, c = (_operands(rng, dtype, 40) for _ in range(3))
    u = np.finfo(dtype).eps
    a[:3], b[:3], c[:3] = dtype(1 + u), dtype(u / 2) * dtype(1 - u), dtype(1 + u)  # (test_fma_midpoints)
    tame = [np.where((x == 0) | ((abs(x) >= 1e-15) & (abs(x) <= 1e15)), x, dtype(0.5)) for x in (a, b, c)]
    with np.errstate(all="ignore"):
        small, small_tame = _fma.fma(a, b, c), _fma.fma(*tame)
        for reps in (1, 7, 3 * _fma._CHUNK // a.size + 1):
            tiled = [_tiled(x, x_tame, reps) for x, x_tame in zip((a, b, c), tame)]
            np.testing.assert_array_equal(_fma.fma(*tiled), _tiled(small, small_tame, reps))
            out = tiled[2]
            assert _fma.fma(tiled[0], tiled[1], out, out=out) is out
            np.testing.assert_array_equal(out, _tiled(small, small_tame, reps))
        reps = _fma._CHUNK // c.size + 1  # (two chunks: a[5], 1e-323, has every product redone)
        long = _tiled(c, tame[2], reps)
        for scalar in (a[0], a[5]):
            expected = np.array([_exact(scalar, y, z, dtype) for y, z in zip(b, c)], dtype)
            np.testing.assert_array_equal(_fma.fma(scalar, b, c), expected)
            got = _fma.fma(scalar, _tiled(b, tame[1], reps), long)
            np.testing.assert_array_equal(got, _tiled(expected, _fma.fma(scalar, tame[1], tame[2]), reps))
        cols = _fma._CHUNK // a.size + 1  # (just over one chunk: a column is redone once per row)
        grid = _fma.fma(a[:, None], b[None, :cols], c[:, None])  # broadcast, 2-d
        np.testing.assert_array_equal(grid[:, 7], [_exact(x, b[7], z, dtype) for x, z in zip(a, c)])
        out = np.zeros((a.size, 2), dtype)[:, 0]  # non-contiguous
        _fma.fma(a, b, c, out=out)
        np.testing.assert_array_equal(out, small)
    for i in range(a.size):  # one number at a time (float64: exactly, in Python), 0-d and 1-element
        for x, y, z in ((a[i], b[i], c[i]), (a[i : i + 1], b[i], c[i, None, None])):
            got = np.asarray(_fma.fma(x, y, z))
            assert got.dtype == dtype and got.tobytes() == small[i].tobytes(), (i, x, y, z)


@pytest.mark.parametrize("dtype", DTYPES)
def test_fma_warns_of_nothing(dtype: type) -> None:
    """Overflow inside the emulation's steps, and nan results, are numbers, not numpy warnings."""
    big = np.finfo(dtype).max
    cases = [(big, big, 1.0), (big, 2.0, -big), (np.inf, 0.0, 1.0), (np.nan, 1.0, 1.0), (1e30, 1e30, 1.0)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for x, y, z in cases:
            for shape in ((), (1,), (5,)):
                operands = [np.full(shape, v, dtype) for v in (x, y, z)]
                with np.errstate(all="ignore"):
                    expected = (
                        [_exact(float(x), float(y), float(z), dtype)]
                        if np.isfinite([x, y, z]).all()
                        else None
                    )
                got = _fma.fma(*operands)
                if expected is not None:
                    np.testing.assert_array_equal(got, np.full(shape, expected[0], dtype))
    for shape in ((), (1,), (5,)):  # an infinite c beside a product that overflows: c (the product is exact)
        for sign in (1.0, -1.0):
            got = _fma.fma(
                np.full(shape, big, dtype), np.full(shape, -1.5, dtype), np.full(shape, sign * np.inf, dtype)
            )
            np.testing.assert_array_equal(got, np.full(shape, sign * np.inf, dtype))


@pytest.mark.parametrize("dtype", DTYPES)
def test_fma_midpoints(dtype: type) -> None:
    """Sums just off a rounding midpoint, where rounding the product (or a wider sum) first lands on
    the midpoint and ties-to-even then rounds the wrong way: ``a = 1 + u``, ``b = u / 2 * (1 - u)``,
    ``c = 1 + u`` (``u`` the dtype's epsilon; exact ``1 + 1.5u - u**2 / 2``: below the midpoint),
    with both signs and scaled into the subnormal range."""
    u = np.finfo(dtype).eps
    a, b, c = dtype(1 + u), dtype(u / 2) * dtype(1 - u), dtype(1 + u)
    cases = [(a, b, c), (-a, b, -c), (a, -b, -c)]
    tiny = dtype(2.0 ** (np.finfo(dtype).minexp + 2))
    cases += [(x * tiny, y, z * tiny) for x, y, z in cases]
    for x, y, z in cases:
        expected = _exact(x, y, z, dtype)
        got = _fma.fma(np.array([x]), np.array([y]), np.array([z]))[0]
        assert got == expected, (x, y, z, got, expected)
    assert _fma.fma(a, b, c) == c and a * b + c != c  # one rounding and two differ here


@pytest.mark.parametrize("dtype", DTYPES)
def test_fma_signed_zeros_and_shapes(dtype: type) -> None:
    z, one = dtype(0.0), dtype(1.0)
    cases = [(z, one, -z, 0.0), (-z, one, -z, -0.0), (one, one, -one, 0.0), (-z, -z, -z, 0.0)]
    for a, b, c, expected in cases:
        got = _fma.fma(np.array(a), np.array(b), np.array(c))
        assert got.shape == () and got == expected and np.signbit(got) == np.signbit(expected)
    assert _fma.fma(np.zeros((0, 3), dtype), dtype(2), np.zeros((0, 3), dtype)).shape == (0, 3)
    out = np.ones(4, dtype)
    assert _fma.fma(dtype(2), np.arange(4, dtype=dtype), out, out=out) is out
    np.testing.assert_array_equal(out, [1, 3, 5, 7])


@pytest.mark.parametrize("dtype", DTYPES)
def test_axpy_is_torch_add_alpha(dtype: type) -> None:
    """``axpy_`` (BLAS where its self-check passed, else emulated) equals torch's
    ``add_(x, alpha=a)`` and ``fma`` on every tail length, unaligned starts, non-contiguous and
    read-only inputs, 0-d and empty arrays, nan/inf elements and alpha 0."""
    rng = np.random.default_rng(3)
    for n in TAILS:
        for offset in (0, 1):
            x = rng.standard_normal(n + offset).astype(dtype)[offset:]
            y = rng.standard_normal(n + offset).astype(dtype)[offset:]
            x[::5] = [np.nan, np.inf, -np.inf, 0.0][: len(x[::5])] + [1.0] * max(0, len(x[::5]) - 4)
            for alpha in (-0.0123, 0.9, 0.0):
                expected = torch.from_numpy(y.copy()).add_(torch.from_numpy(x.copy()), alpha=alpha).numpy()
                got = y.copy()
                _fma.axpy_(got, alpha, x)
                np.testing.assert_array_equal(got, expected)
    x = rng.standard_normal((40, 6)).astype(dtype)
    y = rng.standard_normal((40, 6)).astype(dtype)
    x.flags.writeable = False
    for xs, ys in [(x, y), (x[:, ::2], y[:, ::2].copy()), (x[::2], y[1::2])]:
        expected = torch.from_numpy(ys.copy()).add_(torch.from_numpy(xs.copy()), alpha=-0.37).numpy()
        _fma.axpy_(ys, -0.37, xs)
        np.testing.assert_array_equal(ys, expected)
    y0, x0 = np.array(1.5, dtype), np.array(0.3, dtype)
    expected = torch.from_numpy(y0.copy()).add_(torch.from_numpy(x0), alpha=0.1).numpy()
    _fma.axpy_(y0, 0.1, x0)
    np.testing.assert_array_equal(y0, expected, strict=True)
    _fma.axpy_(np.zeros(0, dtype), 0.1, np.zeros(0, dtype))


@pytest.mark.parametrize("dtype", DTYPES)
def test_blas_self_check(dtype: type) -> None:
    """The BLAS kernel is used only when it gives ``fma``'s numbers; a kernel that rounds twice
    is refused by the self-check."""
    checked = _fma._blas_checked(np.dtype(dtype))
    if checked is not None:  # it passed: bitwise fma on long arrays, in whole blocks
        rng = np.random.default_rng(11)
        for n in (200003, 200704, 3 * _fma._BLAS_MOST + 5):
            x, y = rng.standard_normal((2, n)).astype(dtype)
            expected = _fma.fma(dtype(0.731), x, y)
            _fma.axpy_(y, 0.731, x)
            np.testing.assert_array_equal(y, expected)
    original = _fma._symbol

    def two_roundings(dt: np.dtype):  # a stand-in kernel computing y + (a * x) in two roundings
        def call(n, alpha, px, incx, py, incy):  # noqa: ANN001, ANN202
            x = np.ctypeslib.as_array((np.ctypeslib.as_ctypes_type(dt) * n).from_address(px))
            y = np.ctypeslib.as_array((np.ctypeslib.as_ctypes_type(dt) * n).from_address(py))
            y += dt.type(alpha) * x

        return call

    def fused_in_blocks(dt: np.dtype):  # fused on blocks of 32 (OpenBLAS's Haswell kernel), the rest not
        def call(n, alpha, px, incx, py, incy):  # noqa: ANN001, ANN202
            x = np.ctypeslib.as_array((np.ctypeslib.as_ctypes_type(dt) * n).from_address(px))
            y = np.ctypeslib.as_array((np.ctypeslib.as_ctypes_type(dt) * n).from_address(py))
            head = n - n % 32
            _fma.fma(dt.type(alpha), x[:head], y[:head], out=y[:head])
            y[head:] += dt.type(alpha) * x[head:]

        return call

    try:
        _fma._symbol = fused_in_blocks
        assert _fma._blas_checked(np.dtype(dtype)) is not None
        assert _fma._blas[np.dtype(dtype)][2] == 32  # the block found
        rng = np.random.default_rng(5)
        for n in (1, 31, 33, 1000, 2 * _fma._BLAS_MOST + 7):
            x, y = rng.standard_normal((2, n)).astype(dtype)
            expected = _fma.fma(dtype(-0.0123), x, y)
            _fma.axpy_(y, -0.0123, x)
            np.testing.assert_array_equal(y, expected)
        _fma._symbol = two_roundings
        assert _fma._blas_checked(np.dtype(dtype)) is None
        y = np.ones(10, dtype)
        _fma.axpy_(y, 0.1, np.full(10, 0.3, dtype))  # emulated from then on
        np.testing.assert_array_equal(y, _fma.fma(dtype(0.1), np.full(10, 0.3, dtype), np.ones(10, dtype)))
    finally:
        _fma._symbol = original
        _fma._blas_checked(np.dtype(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", [1, 7, 37, 1000, 5003])
def test_torch_kernels(dtype: type, n: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ATen kernels the optimizers call, against the helpers that stand for them:
    ``addcmul_(b, c, value=v)`` is ``fma(v * b, c, a)``; ``mul_(beta).addcmul_(x, x, value=1 -
    beta)`` is ``ema_sq_`` (with ``EXACT_PRODUCTS``); ``lerp_`` with a scalar weight is ``fma`` on
    both of its branches."""
    monkeypatch.setattr(policy, "EXACT_PRODUCTS", True)
    rng = np.random.default_rng(n)
    a, b, c = rng.standard_normal((3, n)).astype(dtype)
    t = torch.from_numpy
    for v in (0.001, 1.0, -1.0):
        expected = t(a.copy()).addcmul_(t(b), t(c), value=v).numpy()
        np.testing.assert_array_equal(_fma.fma(dtype(v) * b, c, a), expected)
    tmp = Scratch().apply
    for beta in (0.999, 0.5, 0.1):
        buf = a.copy()
        ema_sq_(buf, b, beta, tmp)
        expected = t(a.copy()).mul_(beta).addcmul_(t(b), t(b), value=1 - beta).numpy()
        np.testing.assert_array_equal(buf, expected)
    for weight in (0.001, 0.1, 0.4999, 0.5, 0.9, 1.0):
        buf = a.copy()
        lerp_(buf, b, weight, tmp)
        np.testing.assert_array_equal(buf, t(a.copy()).lerp_(t(b), weight).numpy())


@pytest.mark.parametrize("dtype", DTYPES)
def test_addcmul_is_torch_addcmul(dtype: type, monkeypatch: pytest.MonkeyPatch) -> None:
    """``addcmul_`` (its own path for arrays of one dtype and shape up to a chunk, ``fma``'s
    otherwise) equals torch's ``addcmul_`` on 0-d, small, chunk-sized, long, non-contiguous and
    empty arrays, with ``EXACT_PRODUCTS`` (without it, ``y += a * b``)."""
    monkeypatch.setattr(policy, "EXACT_PRODUCTS", True)
    rng = np.random.default_rng(4)
    t = torch.from_numpy
    for shape in [(), (1,), (7,), (33, 5), (_fma._CHUNK,), (3 * _fma._CHUNK + 5,), (0, 2)]:
        y, a, b = (rng.standard_normal(shape).astype(dtype) for _ in range(3))
        expected = t(y.copy()).addcmul_(t(a), t(b)).numpy()
        policy.addcmul_(y, a, b)
        np.testing.assert_array_equal(y, expected, strict=True)
    y, a, b = (rng.standard_normal((20, 6)).astype(dtype) for _ in range(3))
    expected = t(y[:, ::2].copy()).addcmul_(t(a[:, ::2].copy()), t(b[:, 1::2].copy())).numpy()
    view = y[:, ::2]
    policy.addcmul_(view, a[:, ::2], b[:, 1::2])
    np.testing.assert_array_equal(view, expected)
