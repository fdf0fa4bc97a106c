"""The log-gamma function and its derivatives: lgamma, digamma (ψ) and polygamma (ψ⁽ⁿ⁾).

numpy has no special functions, so the forwards are written here, as PyTorch computes them: lgamma
is C's ``lgamma`` (through ctypes; else ``math.lgamma``) on every element, +inf at the poles;
digamma, trigamma and the polygamma of order n ≥ 2 (through Hurwitz's zeta) follow
``aten/src/ATen/native/Math.h`` (``calc_digamma``, ``trigamma``, ``calc_polygamma``, ``zeta``),
vectorised: the same steps on every element, in the input's float dtype (float32 stays float32, as
torch's kernels; an integer input gives the default dtype). They are derived from the Cephes Math
Library (3-Clause BSD licence, Copyright (c) 2018, Steven Moshier), as torch's are. The derivative
of each is the next one: lgamma′ = ψ, ψ′ = ψ⁽¹⁾, ψ⁽ⁿ⁾′ = ψ⁽ⁿ⁺¹⁾, so every order is a table op.
"""

from __future__ import annotations

import math
from numbers import Integral
from typing import Any

import numpy as np

from ..dtypes import get_default_dtype
from .elementwise import Elementwise

INF, NAN = math.inf, math.nan


def floating(a: Any) -> np.ndarray:
    """``a`` as an array of its float dtype (an integer or bool input: the default dtype)."""
    a = np.asarray(a)
    return a if a.dtype.kind == "f" else a.astype(get_default_dtype())


def on_floats(function: Any) -> Any:
    """The float forward of an array ``function``: float64 in, a Python float out."""

    def on_float(x: float, *params: Any) -> float:
        return float(function(np.float64(x), *params))

    on_float.__name__ = f"{function.__name__}_float"
    return on_float


# ---------------------------------------------------------------------------------- lgamma
def _c_lgamma() -> Any:
    """The C library's lgamma (torch's std::lgamma), where ctypes finds it: CPython's math.lgamma
    is its own, less accurate near lgamma's zeros (52 ulp at −2.5). Looked up at the first call
    (ctypes and its library search cost a quarter of the engine's import time)."""
    global _C_LGAMMA
    import ctypes

    try:
        try:
            libm = ctypes.CDLL("libm.so.6")
        except OSError:
            import ctypes.util

            libm = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
        function = libm.lgamma
        function.restype, function.argtypes = ctypes.c_double, [ctypes.c_double]
        found = function if function(0.5) == 0.5723649429247001 and function(-1.0) == INF else None
    except (OSError, AttributeError):  # (no C library found: math.lgamma below)
        found = None
    _C_LGAMMA = found
    return found


_UNSET: Any = object()
#: the C library's lgamma, or None (then math.lgamma); _UNSET until the first call looks for it
_C_LGAMMA: Any = _UNSET


def lgamma_float(x: float) -> float:
    """C's lgamma: log|Γ(x)|, +inf at 0 and the negative integers and at ±inf."""
    c_lgamma = _C_LGAMMA if _C_LGAMMA is not _UNSET else _c_lgamma()
    if c_lgamma is not None:
        return c_lgamma(x)
    try:
        return math.lgamma(x)
    except (ValueError, OverflowError):  # (a pole: math raises where C returns +inf)
        return INF


_lgamma = np.frompyfunc(lgamma_float, 1, 1)


def lgamma_array(a: np.ndarray) -> np.ndarray:
    """lgamma on every element (in float64: float32's result is the float64 one rounded)."""
    x = floating(a)
    with np.errstate(over="ignore"):  # (float32: beyond 3.4e38 is inf, as lgammaf's)
        return np.asarray(_lgamma(x.astype(np.float64)), dtype=x.dtype)


# ---------------------------------------------------------------------------------- digamma
_PSI_10 = 2.25175258906672110764  # ψ(10)
_DIGAMMA_A = (
    8.33333333333333333333e-2,
    -2.10927960927960927961e-2,
    7.57575757575757575758e-3,
    -4.16666666666666666667e-3,
    3.96825396825396825397e-3,
    -8.33333333333333333333e-3,
    8.33333333333333333333e-2,
)


def _polevl(x: np.ndarray, coefficients: tuple[float, ...]) -> np.ndarray:
    result = np.zeros_like(x)
    for c in coefficients:
        result = result * x + c
    return result


def digamma_array(a: np.ndarray) -> np.ndarray:
    """ψ(x) = Γ′(x)/Γ(x), as torch's calc_digamma: ψ(±0) = ∓inf, nan at the negative integers
    and -inf; x < 0 by the reflection ψ(1 − x) − π/tan(π·frac(x)); then the recurrence up to 10
    and the asymptotic series."""
    x = floating(a)
    t = x.dtype.type
    with np.errstate(all="ignore"):
        negative = x < 0
        # (π/tan(π·r) in float64 for every dtype, r the fractional part, as torch)
        r = np.modf(x.astype(np.float64))[0]
        reflection = (np.pi / np.tan(np.pi * r)).astype(x.dtype)
        y = np.where(negative, t(1) - x, x)
        result = np.zeros_like(x)
        for _ in range(10):  # (y >= 0 here: at most 10 steps take it to 10 or more)
            below = y < 10
            if not below.any():
                break
            result = np.where(below, result - t(1) / y, result)
            y = np.where(below, y + t(1), y)
        z = t(1) / (y * y)
        series = np.where(y < 1e17, z * _polevl(z, tuple(t(c) for c in _DIGAMMA_A)), t(0))
        out = np.where(y == 10, result + t(_PSI_10), result + np.log(y) - t(0.5) / y - series)
        out = np.where(negative, out - reflection, out)
        out = np.where(negative & (x == np.trunc(x)), t(NAN), out)
        out = np.where(x == 0, np.copysign(t(INF), -x), out)
    return np.asarray(out, dtype=x.dtype)


# ---------------------------------------------------------------------------------- polygamma
def trigamma_array(a: np.ndarray) -> np.ndarray:
    """ψ⁽¹⁾(x), as torch's trigamma: x < 0.5 by the reflection π²/sin²(πx), then six steps of the
    recurrence and the asymptotic series (in x's dtype: float32's differs from float64's near
    the poles, as torch's does)."""
    x = floating(a)
    t = x.dtype.type
    with np.errstate(all="ignore"):
        small = x < 0.5
        s = np.sin(t(np.pi) * x)
        result = np.where(small, -(t(np.pi) * t(np.pi)) / (s * s), t(0))
        y = np.where(small, t(1) - x, x)
        for _ in range(6):
            result = result + t(1) / (y * y)
            y = y + t(1)
        ixx = t(1) / (y * y)
        result = (
            result + (t(1) + t(1) / (t(2) * y) + ixx * (t(1 / 6) - ixx * (t(1 / 30) - ixx * t(1 / 42)))) / y
        )
        out = np.where(small, -result, result)
    return np.asarray(out, dtype=x.dtype)


_MACHEP = 1.11022302462515654042e-16
_ZETA_A = (
    12.0,
    -720.0,
    30240.0,
    -1209600.0,
    47900160.0,
    -1.8924375803183791606e9,
    7.47242496e10,
    -2.950130727918164224e12,
    1.1646782814350067249e14,
    -4.5979787224074726105e15,
    1.8152105401943546773e17,
    -7.1661652561756670113e18,
)


def zeta_array(x: float, q: np.ndarray) -> np.ndarray:
    """Hurwitz's ζ(x, q) = Σₖ (q + k)^-x for an integer order x ≥ 2, in float64, as torch's zeta:
    the sum until its terms are negligible (9 terms at least, and on past q + k > 9), then the
    Euler-Maclaurin tail; +inf at q = 0 and the negative integers."""
    q = np.asarray(q, dtype=np.float64)
    shape, q = q.shape, q.reshape(-1)  # (flat: the running elements are indexed)
    with np.errstate(all="ignore"):
        s = q**-x
        pole = (q <= 0) & (q == np.floor(q))
        a, b = q.copy(), np.zeros_like(q)
        running, done = ~pole, pole.copy()
        i = 0
        while running.any():
            running &= (i < 9) | (a <= 9)
            if not running.any():
                break
            i += 1
            idx = np.flatnonzero(running)  # (only the elements still summing: q < -9 sums long)
            a[idx] += 1.0
            b[idx] = a[idx] ** -x
            s[idx] += b[idx]
            small = (-_MACHEP * s[idx] < b[idx]) & (b[idx] < _MACHEP * s[idx])
            done[idx[small]] = True
            running[idx[small]] = False
        tail = ~done
        w = a
        s = np.where(tail, s + b * w / (x - 1.0) - 0.5 * b, s)
        a_, k = 1.0, 0.0
        for coefficient in _ZETA_A:
            a_ *= x + k
            b = b / w
            term = a_ * b / coefficient
            s = np.where(tail, s + term, s)
            tail &= ~(np.abs(term / s) < _MACHEP)
            k += 1.0
            a_ *= x + k
            b = b / w
            k += 1.0
        return np.where(pole, INF, s).reshape(shape)


def polygamma_array(a: np.ndarray, n: int) -> np.ndarray:
    """ψ⁽ⁿ⁾(x), the n-th derivative of ψ, as torch: digamma for n = 0, trigamma for 1, else
    (−1)ⁿ⁺¹·n!·ζ(n + 1, x) (ζ in float64, the product in x's dtype)."""
    if n == 0:
        return digamma_array(a)
    if n == 1:
        return trigamma_array(a)
    x = floating(a)
    t = x.dtype.type
    with np.errstate(all="ignore"):
        factorial = np.exp(t(lgamma_float(n + 1.0)))
        sign = t(-1) if n % 2 == 0 else t(1)
        out = sign * factorial * zeta_array(float(n + 1), x).astype(x.dtype)
    return np.asarray(out, dtype=x.dtype)


def polygamma_order(op: str, kind: str, n: Any) -> tuple[int]:
    """polygamma's order: a non-negative integer (torch's RuntimeError for a negative one)."""
    if n is None:
        raise TypeError(f"{kind}.{op}: missing the order n (polygamma(n, input))")
    if isinstance(n, bool) or not (isinstance(n, Integral) or (isinstance(n, float) and n.is_integer())):
        raise TypeError(f"{kind}.{op}: the order n must be an int, got {type(n).__name__} {n!r}")
    if n < 0:
        raise RuntimeError(f"polygamma(n, x) does not support negative n, got {int(n)}")
    return (int(n),)


LGAMMA = Elementwise(
    "lgamma",
    forward=lgamma_array,
    forward_float=lgamma_float,
    d="digamma(x)",
    text="ψ(x)",
    latex=r"\psi(x)",
    torch=("lgamma",),
    formula="loggamma(x)",
    doc="The log-gamma function ln|Γ(x)|, elementwise (+inf at 0, the negative integers and ±inf).",
)
DIGAMMA = Elementwise(
    "digamma",
    forward=digamma_array,
    forward_float=on_floats(digamma_array),
    d="polygamma(x, 1)",
    text="ψ⁽¹⁾(x)",
    latex=r"\psi^{(1)}(x)",
    torch=("digamma",),
    doc="The digamma function ψ(x) = Γ′(x)/Γ(x), elementwise (ψ(±0) = ∓inf; nan at the negative integers).",
)
POLYGAMMA = Elementwise(
    "polygamma",
    forward=polygamma_array,
    forward_float=on_floats(polygamma_array),
    d="polygamma(x, n + 1)",
    text="ψ⁽ⁿ⁺¹⁾(x)",
    latex=r"\psi^{(n+1)}(x)",
    params=("n",),
    prepare=polygamma_order,
    torch=("polygamma",),
    formula="polygamma(n, x)",
    doc="The polygamma function ψ⁽ⁿ⁾(x), the n-th derivative of digamma, elementwise (n a "
    "non-negative int; torch's function takes it first: polygamma(n, input)).",
)
