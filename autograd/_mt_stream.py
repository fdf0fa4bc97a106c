"""torch's CPU random stream, in numpy: the mt19937 generator of ``CPUGeneratorImpl`` and the
transforms of ATen's CPU distribution kernels, reproduced bit for bit (vectorised).

- raw numbers: mt19937 seeded by ``init_genrand(seed & 0xffffffff)`` (numpy's ``MT19937`` with its
  legacy seeding is the same generator); ``random()`` is one 32-bit output, ``random64()`` two,
  the first as the high half.
- ``uniform_(a, b)``: the low 24 (float32) or 53 (float64) bits times 2**-24 / 2**-53, then
  ``x * (b - a) + a`` as one fused multiply-add (torch's kernels are compiled with FMA).
- ``normal_``: 16 or more elements: uniforms, then Box–Muller in blocks of 16 (the last block drawn
  again when the size is not a multiple of 16); float32 with avx_mathfun's ``log256_ps`` and
  ``sincos256_ps`` (torch's AVX2 kernel, which its AVX512 builds run too; see
  ``FLOAT32_BOX_MULLER`` for the scalar glibc path of CPUs without AVX2), float64 with glibc's
  ``log``/``sin``/``cos``; fewer: ``normal_distribution<double>`` one by one, with its
  cached second sample.
- ``random_(a, b)``/``randint``: ``random() % range + a`` (``random64()`` for ranges of 2**28 or
  more, every dtype: ``uniform_int_from_to_distribution`` of torch's public builds; 2**32 is
  the threshold of its internal builds and of older torch).
- ``randperm``: torch's forward Fisher–Yates (``random() % (n - i)``), from 214,748,364 on its
  inside-out shuffle (``random64() % (i + 1)``), without a Python loop (``autograd._randperm``).
- ``bernoulli_(p)`` (dropout): on Intel CPUs torch uses MKL's MCG31 stream seeded by one
  ``random()``; elsewhere ``uniform64 < p`` per element.

Every exact-float step that C performs in float32 or with an FMA is emulated exactly, the FMAs by
the engine's one :func:`autograd._fma.fma` (``fma64``, ``fma32``). Where that is
known not to be needed it is skipped: a sum float64 holds exactly (``sum_is_exact``), Box–Muller's
polynomials on the 2**24 inputs they can get (checked on all of them), std 1 or mean 0.
"""

from __future__ import annotations

import math
import platform
from typing import Any

import numpy as np

from . import _randperm
from ._fma import fma

_h = float.fromhex
#: which float32 Box–Muller torch runs for ``normal_`` of 16 or more float32 elements: "avx2"
#: (``normal_fill_AVX2`` with avx_mathfun's polynomials: torch's x86-64 builds on CPUs with AVX2,
#: this machine's AVX512 included) or "glibc" (the scalar ``normal_fill<float>`` with glibc's
#: ``logf``/``sinf``/``cosf``: torch on CPUs without AVX2, or on ARM)
FLOAT32_BOX_MULLER = "avx2"
_TWO_PI = 2.0 * math.pi  # c10::pi<double> * 2, as the kernels compute it in double
#: ``random_(low, high)`` draws ``random64()`` for ranges from here on, ``random()`` below
#: (ATen/core/DistributionsHelper.h; checked against torch 2.13 at 2**28 - 1 and 2**28)
_RANDOM64_FROM = 2**28
#: Box–Muller runs over this many blocks of 16 at a time (32768 numbers: their float64
#: temporaries fit in a core's L2 cache; a quarter faster than one pass over 200,000)
_BLOCKS_AT_ONCE = 2048
#: randperm's inside-out shuffle draws its ``random64() % (i + 1)`` this many at a time
_PICKS_AT_ONCE = 2**22
#: randperm swaps in a Python loop up to this ``n`` (faster there than the vectorised shuffle)
_SWAPS_UP_TO = 300


def fma64(a: Any, b: Any, c: Any) -> np.ndarray:
    """``fma(a, b, c)`` in float64, correctly rounded: the engine's :func:`autograd._fma.fma`
    (quiet where a huge product overflows in its steps, as C's fma)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return fma(*(np.asarray(v, dtype=np.float64) for v in (a, b, c)))


def fma32(a: Any, b: Any, c: Any) -> np.ndarray:
    """``fmaf(a, b, c)`` of operands that float32 holds (float32, or float64 carrying float32
    values): the engine's :func:`autograd._fma.fma` in float32."""
    return fma(*(np.asarray(v, dtype=np.float32) for v in (a, b, c)))


def _lowest_bit(v: float) -> float:
    """The value of the lowest set bit of a finite nonzero float (``v`` is a multiple of it)."""
    m, e = math.frexp(abs(v))
    k = int(m * 2.0**53)
    return math.ldexp(k & -k, e - 53)


def sum_is_exact(scale: float, grid: float, offset: float) -> bool:
    """Whether ``x * scale + offset`` is exact in float64 for every multiple ``x`` of ``grid`` in
    [0, 1): then rounding it to float32 once is ``fmaf``'s single rounding (no tie can occur)."""
    if not (math.isfinite(scale) and math.isfinite(offset)):
        return False
    units = ([grid * _lowest_bit(scale)] if scale else []) + ([_lowest_bit(offset)] if offset else [])
    return not units or (abs(scale) + abs(offset)) < 2.0**52 * min(units)


# --------------------------------------------------------------------------------------------
# glibc's float32 logf, sinf and cosf (the generic code every x86-64 glibc since 2.28 uses),
# evaluated in float64 exactly as C does; checked against the C library on all 2**24 inputs
# that Box–Muller can give them
# --------------------------------------------------------------------------------------------
_LOGF_T = np.array(
    [
        [_h("0x1.661ec79f8f3bep0"), _h("-0x1.57bf7808caadep-2")],
        [_h("0x1.571ed4aaf883dp0"), _h("-0x1.2bef0a7c06ddbp-2")],
        [_h("0x1.49539f0f010bp0"), _h("-0x1.01eae7f513a67p-2")],
        [_h("0x1.3c995b0b80385p0"), _h("-0x1.b31d8a68224e9p-3")],
        [_h("0x1.30d190c8864a5p0"), _h("-0x1.6574f0ac07758p-3")],
        [_h("0x1.25e227b0b8eap0"), _h("-0x1.1aa2bc79c81p-3")],
        [_h("0x1.1bb4a4a1a343fp0"), _h("-0x1.a4e76ce8c0e5ep-4")],
        [_h("0x1.12358f08ae5bap0"), _h("-0x1.1973c5a611cccp-4")],
        [_h("0x1.0953f419900a7p0"), _h("-0x1.252f438e10c1ep-5")],
        [1.0, 0.0],
        [_h("0x1.e608cfd9a47acp-1"), _h("0x1.aa5aa5df25984p-5")],
        [_h("0x1.ca4b31f026aap-1"), _h("0x1.c5e53aa362eb4p-4")],
        [_h("0x1.b2036576afce6p-1"), _h("0x1.526e57720db08p-3")],
        [_h("0x1.9c2d163a1aa2dp-1"), _h("0x1.bc2860d22477p-3")],
        [_h("0x1.886e6037841edp-1"), _h("0x1.1058bc8a07ee1p-2")],
        [_h("0x1.767dcf5534862p-1"), _h("0x1.4043057b6ee09p-2")],
    ]
)
_LOGF_LN2 = _h("0x1.62e42fefa39efp-1")
_LOGF_A = (_h("-0x1.00ea348b88334p-2"), _h("0x1.5575b0be00b6ap-2"), _h("-0x1.ffffef20a4123p-2"))


def logf(x: np.ndarray) -> np.ndarray:
    """glibc's ``logf`` for positive normal float32 ``x`` (Box–Muller's ``1 - u``, in (0, 1])."""
    ix = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32)
    tmp = ix - np.uint32(0x3F330000)
    i = (tmp >> np.uint32(19)) % np.uint32(16)
    k = tmp.view(np.int32) >> np.int32(23)
    iz = ix - (tmp & np.uint32(0x1FF << 23))
    z = iz.view(np.float32).astype(np.float64)
    invc, logc = _LOGF_T[i, 0], _LOGF_T[i, 1]
    r = z * invc - 1
    y0 = logc + k.astype(np.float64) * _LOGF_LN2
    r2 = r * r
    y = _LOGF_A[1] * r + _LOGF_A[2]
    y = _LOGF_A[0] * r2 + y
    y = y * r2 + (y0 + r)
    out = y.astype(np.float32)
    out[ix == np.uint32(0x3F800000)] = 0.0
    return out


_HPI_INV = _h("0x1.45f306dc9c883p23")
_HPI = _h("0x1.921fb54442d18p0")
_C = (
    1.0,
    _h("-0x1.ffffffd0c621cp-2"),
    _h("0x1.55553e1068f19p-5"),
    _h("-0x1.6c087e89a359dp-10"),
    _h("0x1.99343027bf8c3p-16"),
)
_S = (_h("-0x1.555545995a603p-3"), _h("0x1.1107605230bc4p-7"), _h("-0x1.994eb3774cf24p-13"))


def _sinf_poly(x: np.ndarray, x2: np.ndarray, cos_poly: np.ndarray, negate_cos: np.ndarray) -> np.ndarray:
    x3 = x * x2
    s = x + x3 * _S[0]
    sin = s + (x3 * x2) * (_S[1] + x2 * _S[2])
    sign = np.where(negate_cos, -1.0, 1.0)
    c0, c1, c2, c3, c4 = (sign * v for v in _C)
    x4 = x2 * x2
    c = (c0 + x2 * c1) + x4 * c2
    cos = c + (x4 * x2) * (c3 + x2 * c4)
    return np.where(cos_poly, cos, sin).astype(np.float32)


def sincosf(theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """glibc's ``sinf`` and ``cosf`` for float32 ``theta`` in [0, 120)."""
    y = np.ascontiguousarray(theta, dtype=np.float32)
    top = (y.view(np.uint32) >> np.uint32(20)) & np.uint32(0x7FF)
    small = top < np.uint32(0x3F4)  # abstop12(pio4f)
    tiny = top < np.uint32(0x398)  # abstop12(0x1p-12f)
    x = y.astype(np.float64)
    r = x * _HPI_INV
    n = (r.astype(np.int32) + np.int32(0x800000)) >> np.int32(24)
    n = np.where(small, 0, n)
    xr = np.where(small, x, x - n.astype(np.float64) * _HPI)
    sign = np.where((n & 3) == 1, -1.0, np.where((n & 3) == 2, -1.0, 1.0))
    sign = np.where(small, 1.0, sign)
    xs = np.where(small, x, xr * sign)
    x2 = xr * xr
    negate = (n & 2) != 0
    odd = (n & 1) == 1
    sin = _sinf_poly(xs, x2, odd, negate)
    cos = _sinf_poly(xs, x2, ~odd, negate)
    sin = np.where(tiny, y, sin)
    cos = np.where(tiny, np.float32(1.0), cos)
    return sin, cos


#: numpy's long double carries at least 11 bits beyond float64 (x86's 80-bit, or quad) and the C
#: library is glibc, whose ``log`` errs by at most 0.519 units in the last place (2.28+; before,
#: correctly rounded): then :func:`glibc_log` can round ``logl`` where that is unambiguous
_LOGL_DECIDES = np.finfo(np.longdouble).nmant >= 63 and platform.libc_ver()[0] == "glibc"
#: how close (in float64 units in the last place) to halfway between two float64 a ``logl`` value
#: may lie before glibc's own ``log`` decides: 0.05, where glibc's error bound needs 0.019
_LOGL_MARGIN = 0.05


def glibc_log(x: np.ndarray) -> np.ndarray:
    """glibc's double ``log`` (Python's ``math.log`` is that function; numpy's own SIMD log can
    differ in the last bit) of positive ``x``.

    glibc's ``log`` is within 0.519 units in the last place, so it returns the float64 nearest to
    the true logarithm wherever that lies farther than 0.019 units from halfway between two
    float64. ``logl`` (11 more bits, a few units of its own last place off) rounded to float64 is
    that nearest float64 too; the rest (under 11% of the numbers at the 0.05 margin, and any
    power of two, next to which the spacing halves) take ``math.log`` one by one."""
    flat = np.asarray(x, dtype=np.float64).ravel()
    if not _LOGL_DECIDES:
        return np.fromiter(map(math.log, flat.tolist()), np.float64, flat.size).reshape(np.shape(x))
    wide = np.log(flat.astype(np.longdouble))
    out = wide.astype(np.float64)
    off = np.abs((wide - out).astype(np.float64))  # at most half of out's spacing
    with np.errstate(invalid="ignore"):
        unsure = ~(off < (0.5 - _LOGL_MARGIN) * np.spacing(np.abs(out)))
    unsure |= (out.view(np.uint64) & np.uint64((1 << 52) - 1)) == 0
    if unsure.any():
        out[unsure] = np.fromiter(map(math.log, flat[unsure].tolist()), np.float64)
    return out.reshape(np.shape(x))


def _scale(x: np.ndarray, std: float, mean: float) -> np.ndarray:
    """``fma(x, std, mean)`` in ``x``'s dtype (float32 or float64), by the cheapest exact route:
    std 1 is one addition; mean ±0 one product (float32: exact in float64, then one rounding;
    float64: one rounding of the product, its sign kept where it rounds to zero, as fma's), where
    only an exactly zero product takes ``+ mean``'s sign of zero."""
    if x.dtype == np.float32:
        s, m = np.float32(std), np.float32(mean)
        if s == 1:
            return x + m
        if m == 0:
            p = np.multiply(x, float(s), dtype=np.float64)
            return np.add(p, float(m), out=p).astype(np.float32)
        return fma32(x, s, m)
    if std == 1:
        return x + mean
    if mean == 0:
        p = x * std
        return np.add(p, mean, out=p, where=(x == 0) | (std == 0))
    return fma64(x, std, mean)


class Stream:
    """torch's ``CPUGeneratorImpl``: an mt19937 stream and the cached normal samples."""

    __slots__ = ("bits", "words", "seed", "normal64", "normal32", "untouched")

    def __init__(self, seed: int) -> None:
        self.reseed(seed)

    def reseed(self, seed: int) -> None:
        """``manual_seed``: restart from ``seed`` (its low 32 bits seed the mt19937)."""
        self.bits = np.random.MT19937(0)
        self.bits._legacy_seeding(int(seed) & 0xFFFFFFFF)
        #: draws the raw words as uint32 (the full range [0, 2**32) is mt19937's output unchanged)
        self.words = np.random.Generator(self.bits)
        self.seed = int(seed)
        self.normal64: float | None = None
        self.normal32: float | None = None
        self.untouched = True

    def fresh(self) -> bool:
        """Whether nothing was drawn since seeding (torch's ``next_`` is then 0, not 624)."""
        return self.untouched

    # raw numbers ---------------------------------------------------------------------------
    def random(self, n: int) -> np.ndarray:
        """``n`` outputs of ``random()``: 32-bit values as uint64."""
        if not n:
            return np.zeros(0, np.uint64)
        self.untouched = False
        return self.bits.random_raw(n)

    def random32(self, n: int) -> np.ndarray:
        """``n`` outputs of ``random()`` as uint32 (the same draws as :meth:`random`)."""
        if not n:
            return np.zeros(0, np.uint32)
        self.untouched = False
        if n < 4096:  # (Generator.integers costs ~6 µs a call, random_raw's copy ~5 ns a number)
            return self.bits.random_raw(n).astype(np.uint32)
        return self.words.integers(0, 2**32, n, dtype=np.uint32)

    def random64(self, n: int) -> np.ndarray:
        """``n`` outputs of ``random64()``: two 32-bit draws, the first the high half."""
        r = self.random(2 * n).reshape(n, 2)
        return (r[:, 0] << np.uint64(32)) | r[:, 1]

    # transforms ----------------------------------------------------------------------------
    def unit(self, n: int, dtype: np.dtype) -> np.ndarray:
        """``n`` draws of ``uniform_real_distribution<dtype>(0, 1)``."""
        if dtype == np.float64:
            return (self.random64(n) & np.uint64((1 << 53) - 1)).astype(np.float64) * 2.0**-53
        if n < 4096:  # (fewer calls)
            return (self.random(n) & np.uint64((1 << 24) - 1)).astype(np.float32) * np.float32(2.0**-24)
        out = (self.random32(n) & np.uint32((1 << 24) - 1)).view(np.int32).astype(np.float32)
        return np.multiply(out, np.float32(2.0**-24), out=out)

    def uniform(self, n: int, low: float, high: float, dtype: np.dtype) -> np.ndarray:
        """``uniform_(low, high)`` of ``n`` elements of ``dtype``."""
        if dtype == np.float64:
            return fma64(self.unit(n, dtype), high - low, low)
        lo, hi = np.float32(low), np.float32(high)
        with np.errstate(over="ignore"):
            width = hi - lo
            if not sum_is_exact(float(width), 2.0**-24, float(lo)):
                return fma32(self.unit(n, dtype), width, lo)
        # every x * width + lo is exact in float64: one rounding to float32 is fmaf's
        s = (self.random32(n) & np.uint32((1 << 24) - 1)).view(np.int32).astype(np.float64)
        s *= float(width) * 2.0**-24
        s += float(lo)
        return s.astype(np.float32)

    def normal(self, n: int, mean: float, std: float, dtype: np.dtype) -> np.ndarray:
        """``normal_(mean, std)`` of ``n`` contiguous elements of ``dtype``."""
        if n < 16:
            return np.array([self.scalar_normal(mean, std) for _ in range(n)], dtype=np.float64).astype(dtype)
        data = self.unit(n, dtype)
        m = n // 16 * 16
        # the whole blocks, and (n not a multiple of 16) the last 16 drawn again: one Box–Muller
        blocks = np.concatenate([data[:m], self.unit(16, dtype)]) if n % 16 else data
        done = np.empty_like(blocks).reshape(-1, 16)
        blocks = blocks.reshape(-1, 16)
        for i in range(0, len(blocks), _BLOCKS_AT_ONCE):  # a piece's temporaries stay in cache
            self._box_muller(blocks[i : i + _BLOCKS_AT_ONCE], mean, std, done[i : i + _BLOCKS_AT_ONCE])
        if not n % 16:
            return done.reshape(n)
        out = np.empty(n, dtype=dtype)
        out[:m] = done[:-1].ravel()
        out[m:] = data[m:]
        out[n - 16 :] = done[-1]
        return out

    @staticmethod
    def _box_muller(blocks: np.ndarray, mean: float, std: float, out: np.ndarray) -> None:
        """Box–Muller of blocks of 16 uniforms into ``out`` (the same shape and dtype): each block's
        first 8 are the radii's ``u1``, its last 8 the angles' ``u2``."""
        u1, u2 = 1 - blocks[:, :8], blocks[:, 8:]
        if out.dtype == np.float64:
            radius = np.sqrt(-2 * glibc_log(u1))
            theta = _TWO_PI * u2
            cos, sin = np.cos(theta), np.sin(theta)  # (numpy's float64 cos/sin are glibc's)
        elif FLOAT32_BOX_MULLER == "avx2":
            radius = log256(u1)
            radius *= np.float32(-2)
            np.sqrt(radius, out=radius)
            sin, cos = sincos256(np.float32(_TWO_PI) * u2)
        else:
            radius = np.sqrt(np.float32(-2) * logf(u1))
            sin, cos = sincosf((_TWO_PI * u2.astype(np.float64)).astype(np.float32))
        out[:, :8] = _scale(np.multiply(radius, cos, out=cos), std, mean)
        out[:, 8:] = _scale(np.multiply(radius, sin, out=sin), std, mean)

    def scalar_normal(self, mean: float, std: float) -> float:
        """One draw of ``normal_distribution<double>(mean, std)``, with its cached second sample."""
        if self.normal64 is not None:
            ret, self.normal64 = self.normal64, None
        else:
            u1, u2 = self.unit(2, np.float64).tolist()
            r = math.sqrt(-2.0 * math.log1p(-u2))
            theta = _TWO_PI * u1
            self.normal64 = r * math.sin(theta)
            ret = r * math.cos(theta)
        return float(fma64(ret, std, mean))

    def exponential(self, n: int, lambd: float) -> np.ndarray:
        """``exponential_(lambd)``: ``-1 / lambd * log1p(-u)`` in float64 (glibc's ``log1p``)."""
        u = self.unit(n, np.dtype(np.float64))
        logs = np.fromiter(map(math.log1p, (-u).tolist()), np.float64, n)
        return (-1.0 / lambd) * logs

    def bernoulli(self, p: np.ndarray, dtype: np.dtype) -> np.ndarray:
        """``bernoulli_(p)`` with one probability per element: ``uniform < p``, the uniform of
        ``dtype`` (torch's ``bernoulli_distribution<float>`` or ``<double>``)."""
        return self.unit(p.size, dtype).reshape(p.shape) < p

    def full_range(self, n: int, dtype: np.dtype) -> np.ndarray:
        """``random_()`` without bounds: ``[0, 2**mantissa]`` for floats, ``[0, max]`` for ints."""
        if dtype == np.float64:
            return (self.random64(n) % np.uint64(2**53 + 1)).astype(dtype)
        if dtype == np.float32:
            return (self.random(n) % np.uint64(2**24 + 1)).astype(dtype)
        if dtype == np.bool_:
            return (self.random(n) & np.uint64(1)).astype(dtype)
        top = np.uint64(int(np.iinfo(dtype).max) + 1)
        raw = self.random64(n) if dtype == np.int64 else self.random(n)
        return (raw % top).astype(dtype)

    def integers(self, low: int, high: int, n: int) -> np.ndarray:
        """``random_(low, high)``: ``n`` int64 draws in [low, high)."""
        span = high - low
        if span >= _RANDOM64_FROM:
            return ((self.random64(n) % np.uint64(span)) + np.uint64(low % 2**64)).view(np.int64)
        out = (self.random32(n) % np.uint32(span)).astype(np.int64)
        return np.add(out, low, out=out) if low else out

    def permutation(self, n: int) -> np.ndarray:
        """``randperm(n)``: torch's forward Fisher–Yates shuffle, ``swap(r[i], r[i + z_i])`` for
        ``i = 0 .. n - 2`` with ``z_i = random() % (n - i)``; from ``n = INSIDE_OUT_FROM`` its
        inside-out one with ``z_i = random64() % (i + 1)`` (see :mod:`autograd._randperm`).

        Raises:
            ValueError: ``n`` is above ``_randperm.LARGEST`` (2**32).
        """
        if n >= _randperm.INSIDE_OUT_FROM:
            _randperm.check_size(n)
            z = np.empty(n, dtype=np.int64)
            for a in range(0, n, _PICKS_AT_ONCE):  # (the raw draws of a piece at a time)
                b = min(n, a + _PICKS_AT_ONCE)
                z[a:b] = self.random64(b - a) % np.arange(a + 1, b + 1, dtype=np.uint64)
            return _randperm.inside_out(z)
        if n < 2:
            return np.arange(n, dtype=np.int64)
        if n > _SWAPS_UP_TO:
            return _randperm.fisher_yates(self.random32(n - 1) % np.arange(n, 1, -1, dtype=np.uint32))
        picks = self.random(n - 1) % np.arange(n, 1, -1, dtype=np.uint64)
        out = list(range(n))  # the swaps themselves: faster for a few hundred
        for i, z in enumerate(picks.tolist()):
            out[i], out[i + z] = out[i + z], out[i]
        return np.array(out, dtype=np.int64)


# --------------------------------------------------------------------------------------------
# avx_mathfun.h's log256_ps and sincos256_ps (torch's AVX2 normal_fill for float32), in float32
# with the multiply-adds GCC fuses under -mfma
# --------------------------------------------------------------------------------------------
_F = np.float32
_LOGP = [_F(v) for v in (7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1,
                         1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1,
                         3.3333331174e-1)]  # fmt: skip


def _fmaf_grid(a: Any, b: Any, c: Any) -> np.ndarray:
    """``fmaf(a, b, c)`` as one rounding of the float64 ``a * b + c``: right wherever that sum is
    exact or not halfway between two float32, which holds for every multiply-add of
    :func:`log256` and :func:`sincos256` on each of the 2**24 inputs Box–Muller gives them."""
    s = np.multiply(a, b, dtype=np.float64)
    s += c
    return s.astype(_F)


def _exact_product_add(a: Any, b: Any, c: Any) -> np.ndarray:
    """``fmaf(a, b, c)`` where ``a * b`` is exact in float32 (a constant of at most 11 significant
    bits times a small integer, or a power of two): one float32 product and one float32 sum,
    whose rounding is fmaf's."""
    return np.multiply(a, b, dtype=_F) + c


def _multiply_add(fused: bool, checked: bool) -> Any:
    if not fused:
        return lambda a, b, c: (_F(a) * b + c).astype(_F)
    return fma32 if checked else _fmaf_grid


def log256(x: np.ndarray, fused: bool = True, checked: bool = False) -> np.ndarray:
    """avx_mathfun's ``log256_ps`` for positive float32 ``x``: Box–Muller's ``1 - u``, ``u`` a
    multiple of 2**-24 in [0, 1) (``checked`` for any other ``x``: each fmaf exact, slower)."""
    f = _multiply_add(fused, checked)
    x = np.maximum(x, _F(1.1754944e-38), dtype=_F)
    bits = x.view(np.uint32)
    e = (bits >> np.uint32(23)).view(np.int32).astype(_F)
    e -= _F(0x7F - 1)  # (exponent - 127) + 1, small integers: exact either way
    x = ((bits & np.uint32(~0x7F800000 & 0xFFFFFFFF)) | np.uint32(0x3F000000)).view(_F)
    mask = x < _F(0.707106781186547524)
    tmp = np.multiply(x, mask, dtype=_F)  # x or +0 (numpy's where over a mask is 10x slower)
    x = x - _F(1)
    e = np.subtract(e, mask, dtype=_F)
    x = x + tmp
    z = x * x
    wide = x.astype(np.float64) if fused else x  # (the Horner steps' factor, converted once)
    y = f(_LOGP[0], wide, _LOGP[1])
    for p in _LOGP[2:]:
        y = f(y, wide, p)
    y = y * x
    y = f(y, z, e * _F(-2.12194440e-4))  # y*z + e*q1: GCC fuses the first product
    exact = fma32 if checked else _exact_product_add  # (fused or not: the products are exact)
    y = exact(z, _F(-0.5), y)
    x = x + y
    return exact(e, _F(0.693359375), x)  # e: an integer of at most 5 bits


def sincos256(x: np.ndarray, fused: bool = True, checked: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """avx_mathfun's ``sincos256_ps`` for non-negative float32 ``x``: Box–Muller's
    ``float(2 pi) * u``, ``u`` a multiple of 2**-24 in [0, 1) (``checked`` for any other ``x``)."""
    f = _multiply_add(fused, checked)
    x = np.asarray(x, dtype=_F)
    j = (x * _F(1.27323954473516)).astype(np.int32)
    j = ((j + 1) & ~1).view(np.uint32)
    y = j.view(np.int32).astype(_F)
    # the masks as bits, as the AVX2 code has them: a sign bit to flip; all ones where poly_mask
    sin_sign = (j & np.uint32(4)) << np.uint32(29)
    poly_mask = ((j & np.uint32(2)) >> np.uint32(1)) - np.uint32(1)
    # Cody–Waite: y (0, 2, 4, 6 or 8) times the first two parts of pi/4 (8 and 11 bits) is exact
    exact = fma32 if checked else _exact_product_add
    x = exact(y, _F(-0.78515625), x)
    x = exact(y, _F(-2.4187564849853515625e-4), x)
    x = f(y, _F(-3.77489497744594108e-8), x)
    cos_sign = ((~(j - np.uint32(2))) & np.uint32(4)) << np.uint32(29)
    z = x * x
    wide = z.astype(np.float64) if fused else z  # (the polynomials' factor, converted once)
    c = f(_F(2.443315711809948e-005), wide, _F(-1.388731625493765e-003))
    c = f(c, wide, _F(4.166664568298827e-002))
    c = c * z
    c = f(c, wide, -(z * _F(0.5))) if fused else c * z - z * _F(0.5)
    c = c + _F(1)
    s = f(_F(-1.9515295891e-4), wide, _F(8.3321608736e-3))
    s = f(s, wide, _F(-1.6666654611e-1))
    s = s * z
    s = f(s, x, x)
    s, c = s.view(np.uint32), c.view(np.uint32)
    sin = (s & poly_mask) | (c & ~poly_mask)
    cos = (c & poly_mask) | (s & ~poly_mask)
    return (sin ^ sin_sign).view(_F), (cos ^ cos_sign).view(_F)
