"""The logistic sigmoid, softplus, the error function, its complement and its inverse, the normal
distribution's functions (ndtr, its inverse ndtri and log_ndtr), the entropy term entr and the
normalised sinc.

erfinv, ndtri and log_ndtr follow torch's ``calc_erfinv``, ``calc_ndtri`` and ``calc_log_ndtr``
(``aten/src/ATen/native/Math.h``), vectorised, in float64 (float32's result is the float64 one
rounded); ndtri's rational approximations are the Cephes Math Library's (3-Clause BSD licence,
Copyright (c) 2018, Steven Moshier), as torch's. ndtr is composed, as torch composes it:
(1 + erf(x/√2))/2 (so it is 0, not its tiny value, below x ≈ -8.3).
"""

from __future__ import annotations

import math

import numpy as np

from ..dtypes import get_default_dtype
from .elementwise import Composed, Elementwise
from .gamma import floating, on_floats


def sigmoid_array(a: np.ndarray) -> np.ndarray:
    """1/(1+e^-a), evaluated without overflow for either sign of ``a``."""
    e = np.exp(-np.abs(a))
    return np.asarray(np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e)), dtype=a.dtype)


def sigmoid_float(a: float) -> float:
    if a >= 0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)  # (for a < -708 a subnormal number, where PyTorch flushes to 0)
    return e / (1.0 + e)


def softplus_array(a: np.ndarray) -> np.ndarray:
    return np.logaddexp(0, a).astype(a.dtype, copy=False)


def softplus_float(a: float) -> float:
    """log(1 + e^a), computed as max(a, 0) + log1p(e^-|a|)."""
    return max(a, 0.0) + math.log1p(math.exp(-abs(a)))


_erf = np.frompyfunc(math.erf, 1, 1)
_erfc = np.frompyfunc(math.erfc, 1, 1)


def _floating(a: np.ndarray) -> np.dtype:
    """The result dtype of a function of ``a`` that is not exact in integers: a's float dtype, else
    the default one (an integer or bool tensor gives floats, as torch's erf and erfc)."""
    return a.dtype if a.dtype.kind == "f" else get_default_dtype()


def erf_array(a: np.ndarray) -> np.ndarray:
    """math.erf on every element (numpy has no erf): an object array, then a's float dtype."""
    return np.asarray(_erf(a), dtype=_floating(a))


def erfc_array(a: np.ndarray) -> np.ndarray:
    """math.erfc on every element: 1 - erf(x) without the cancellation (erfc(5) = 1.5e-12, erfc(27)
    = 5.2e-319, where 1 - erf(x) is 0), then a's float dtype."""
    return np.asarray(_erfc(a), dtype=_floating(a))


def sinc_array(a: np.ndarray) -> np.ndarray:
    """sin(πx)/(πx), 1 at 0, as torch computes it (numpy's np.sinc divides at 1e-20 or eps instead)."""
    y = np.pi * a
    return np.where(a == 0, 1.0, np.sin(y) / y)


def sinc_float(a: float) -> float:
    if a == 0:
        return 1.0
    y = math.pi * a
    return math.sin(y) / y if math.isfinite(y) else math.nan


SIGMOID = Elementwise(
    "sigmoid",
    forward=sigmoid_array,
    forward_float=sigmoid_float,
    d="out * (1 - out)",
    text="σ(x)(1 − σ(x))",
    latex=r"\sigma(x)(1-\sigma(x))",
    torch=("sigmoid",),
    formula="1 / (1 + exp(-x))",
    doc="The logistic sigmoid 1/(1 + e^-x), elementwise, without overflow.",
)
SOFTPLUS = Elementwise(
    "softplus",
    forward=softplus_array,
    forward_float=softplus_float,
    d="sigmoid(x)",
    text="σ(x)",
    latex=r"\sigma(x)",
    formula="log(1 + exp(x))",
    doc="log(1 + e^x), elementwise, computed stably.",
)
ERF = Elementwise(
    "erf",
    forward=erf_array,
    forward_float=math.erf,
    d="2 / sqrt(pi) * exp(-x * x)",
    text="2/√π·exp(−x²)",
    latex=r"\frac{2}{\sqrt{\pi}} e^{-x^2}",
    torch=("erf",),
    doc="The error function (2/√π) ∫₀ˣ e^(-t²) dt, elementwise.",
)
# torch's rule -2/√π·exp(-x²) (erf's, negated); the forward is math.erfc (C99 erfc: accurate far out)
ERFC = Elementwise(
    "erfc",
    forward=erfc_array,
    forward_float=math.erfc,
    d="-2 / sqrt(pi) * exp(-x * x)",
    text="−2/√π·exp(−x²)",
    latex=r"-\frac{2}{\sqrt{\pi}} e^{-x^2}",
    torch=("erfc",),
    doc="The complementary error function 1 − erf(x) = (2/√π) ∫ₓ^∞ e^(-t²) dt, elementwise, accurate "
    "where it is tiny (erfc(27) = 5.2e-319).",
)
# torch's rule: (πx·cos(πx) − sin(πx))/(πx²), and 0 where πx² is 0 (a selection: 0 even times inf)
SINC = Elementwise(
    "sinc",
    forward=sinc_array,
    forward_float=sinc_float,
    d="(x * pi * cos(x * pi) - sin(x * pi)) / (x * x * pi)",
    keep="x * x * pi != 0",
    text="(πx·cos(πx) − sin(πx))/(πx²)",
    latex=r"\frac{\pi x \cos(\pi x) - \sin(\pi x)}{\pi x^2}",
    ufuncs=(np.sinc,),
    torch=("sinc",),
    formula="sin(pi * x) / (pi * x)",
    doc="The normalised sinc sin(πx)/(πx), 1 at 0, elementwise.",
)


# ---------------------------------------------------------------------------------- erfinv
_ERFINV_A = (0.886226899, -1.645349621, 0.914624893, -0.140543331)
_ERFINV_B = (-2.118377725, 1.442710462, -0.329097515, 0.012229801)
_ERFINV_C = (-1.970840454, -1.624906493, 3.429567803, 1.641345311)
_ERFINV_D = (3.543889200, 1.637067800)


def erfinv_array(a: np.ndarray) -> np.ndarray:
    """The inverse of erf, as torch's calc_erfinv: a rational first guess (central for |y| ≤ 0.7,
    else in √(−ln((1 − |y|)/2))), then Newton's steps: two on erf (|y| ≤ 0.7), three on erfc beyond;
    ±inf at ±1, nan outside [−1, 1]."""
    y0 = floating(a)
    y = y0.astype(np.float64)
    a_, b, c, d = _ERFINV_A, _ERFINV_B, _ERFINV_C, _ERFINV_D
    with np.errstate(all="ignore"):
        size = np.abs(y)
        z = y * y
        num = ((a_[3] * z + a_[2]) * z + a_[1]) * z + a_[0]
        dem = (((b[3] * z + b[2]) * z + b[1]) * z + b[0]) * z + 1.0
        central = y * num / dem
        z = np.sqrt(-np.log((1.0 - size) / 2.0))
        num = ((c[3] * z + c[2]) * z + c[1]) * z + c[0]
        dem = (d[1] * z + d[0]) * z + 1.0
        for _ in range(2):  # (torch's two Newton steps on erf(x) − y, where |y| ≤ 0.7)
            central = central - (np.asarray(_erf(central), dtype=np.float64) - y) / (
                2.0 / math.sqrt(math.pi) * np.exp(-central * central)
            )
        # in the tails erf(x) − y cancels (erf′ is tiny there): the steps are taken on the
        # complement, erfc(u) − (1 − |y|) with u = |x| (1 − |y| is exact), for torch's precision
        u, rest = num / dem, 1.0 - size
        for _ in range(3):
            slope = 2.0 / math.sqrt(math.pi) * np.exp(-u * u)
            u = u + (np.asarray(_erfc(u), dtype=np.float64) - rest) / slope
        x = np.where(size <= 0.7, central, np.copysign(u, y))
        x = np.where(size == 1.0, np.copysign(math.inf, y), x)
        x = np.where(size > 1.0, math.nan, x)
    return np.asarray(x, dtype=y0.dtype)


# ---------------------------------------------------------------------------------- ndtri
_NDTRI_P0 = (-5.99633501014107895267e1, 9.80010754185999661536e1, -5.66762857469070293439e1,
             1.39312609387279679503e1, -1.23916583867381258016e0)  # fmt: skip
_NDTRI_Q0 = (1.0, 1.95448858338141759834e0, 4.67627912898881538453e0, 8.63602421390890590575e1,
             -2.25462687854119370527e2, 2.00260212380060660359e2, -8.20372256168333339912e1,
             1.59056225126211695515e1, -1.18331621121330003142e0)  # fmt: skip
_NDTRI_P1 = (4.05544892305962419923e0, 3.15251094599893866154e1, 5.71628192246421288162e1,
             4.40805073893200834700e1, 1.46849561928858024014e1, 2.18663306850790267539e0,
             -1.40256079171354495875e-1, -3.50424626827848203418e-2, -8.57456785154685413611e-4)  # fmt: skip
_NDTRI_Q1 = (1.0, 1.57799883256466749731e1, 4.53907635128879210584e1, 4.13172038254672030440e1,
             1.50425385692907503408e1, 2.50464946208309415979e0, -1.42182922854787788574e-1,
             -3.80806407691578277194e-2, -9.33259480895457427372e-4)  # fmt: skip
_NDTRI_P2 = (3.23774891776946035970e0, 6.91522889068984211695e0, 3.93881025292474443415e0,
             1.33303460815807542389e0, 2.01485389549179081538e-1, 1.23716634817820021358e-2,
             3.01581553508235416007e-4, 2.65806974686737550832e-6, 6.23974539184983293730e-9)  # fmt: skip
_NDTRI_Q2 = (1.0, 6.02427039364742014255e0, 3.67983563856160859403e0, 1.37702099489081330271e0,
             2.16236993594496635890e-1, 1.34204006088543189037e-2, 3.28014464682127739104e-4,
             2.89247864745380683936e-6, 6.79019408009981274425e-9)  # fmt: skip
_EXP_M2 = 0.13533528323661269189  # e^-2


def _polevl(x: np.ndarray, coefficients: tuple[float, ...]) -> np.ndarray:
    result = np.zeros_like(x)
    for c in coefficients:
        result = result * x + c
    return result


def ndtri_array(a: np.ndarray) -> np.ndarray:
    """The inverse of the standard normal CDF, as torch's calc_ndtri (Cephes' ndtri): −inf at 0,
    +inf at 1, nan outside [0, 1]."""
    y0 = floating(a)
    p = y0.astype(np.float64)
    with np.errstate(all="ignore"):
        upper = p > 1.0 - _EXP_M2
        y = np.where(upper, 1.0 - p, p)
        c = y - 0.5
        c2 = c * c
        central = (c + c * (c2 * _polevl(c2, _NDTRI_P0) / _polevl(c2, _NDTRI_Q0))) * 2.50662827463100050242
        x = np.sqrt(-2.0 * np.log(y))
        x0 = x - np.log(x) / x
        z = 1.0 / x
        x1 = np.where(
            x < 8.0,
            z * _polevl(z, _NDTRI_P1) / _polevl(z, _NDTRI_Q1),
            z * _polevl(z, _NDTRI_P2) / _polevl(z, _NDTRI_Q2),
        )
        tail = np.where(upper, x0 - x1, x1 - x0)
        out = np.where(y > _EXP_M2, central, tail)
        out = np.where((p < 0) | (p > 1), math.nan, out)
        out = np.where(p == 0, -math.inf, np.where(p == 1, math.inf, out))
    return np.asarray(out, dtype=y0.dtype)


# ---------------------------------------------------------------------------------- log_ndtr
def _erfc_scaled_far(y: np.ndarray) -> np.ndarray:
    """e^(y²)·erfc(y) for y ≥ 26 by its asymptotic series (the terms fall by 1/(2y²) < 1e-3)."""
    inv = 1.0 / (2.0 * y * y)
    total, term = np.ones_like(y), np.ones_like(y)
    for k in range(1, 11):
        term = -term * (2 * k - 1) * inv
        total = total + term
    return total / (y * math.sqrt(math.pi))


def log_ndtr_array(a: np.ndarray) -> np.ndarray:
    """ln Φ(x), as torch's calc_log_ndtr: log1p(−erfc(x/√2)/2) from −1 up, ln(erfc(−x/√2)/2) below,
    and far left (erfc underflowing) ln(erfcx(y)/2) − y² with y = −x/√2, erfcx by its series."""
    x0 = floating(a)
    x = x0.astype(np.float64)
    with np.errstate(all="ignore"):
        t = x * 0.7071067811865476
        right = np.log1p(-np.asarray(_erfc(t), dtype=np.float64) / 2.0)
        y = -t
        left = np.log(np.asarray(_erfc(y), dtype=np.float64) / 2.0)
        far = np.log(_erfc_scaled_far(y) / 2.0) - y * y
        out = np.where(x < -1.0, np.where(y < 26.0, left, far), right)
    return np.asarray(out, dtype=x0.dtype)


def entr_array(a: np.ndarray) -> np.ndarray:
    """−x·ln x, as torch's special.entr: 0 at 0, −inf for x < 0, nan at nan."""
    x = floating(a)
    with np.errstate(all="ignore"):
        out = np.where(x > 0, -x * np.log(x), np.where(x == 0, 0.0, -np.inf))
        out = np.where(np.isnan(x), x, out)
    return np.asarray(out, dtype=x.dtype)


ERFINV = Elementwise(
    "erfinv",
    forward=erfinv_array,
    forward_float=on_floats(erfinv_array),
    # (torch's node saves x and computes erfinv(x) again, so a write into the output after the forward
    # pass leaves its backward alone; here the rule reads the output: computing erfinv again doubled
    # the time of erfinv's forward and backward, 0.74 -> 1.6 s for 10^6 elements)
    d="sqrt(pi) / 2 * exp(out * out)",
    text="√π/2·exp(erfinv(x)²)",
    latex=r"\frac{\sqrt{\pi}}{2} e^{\operatorname{erfinv}(x)^2}",
    torch=("erfinv",),
    doc="The inverse error function: erfinv(erf(x)) = x, elementwise (±inf at ±1, nan outside [−1, 1]).",
)
# torch composes special.ndtr as (1 + erf(x·M_SQRT1_2))·0.5: its nodes are erf's, * and +
NDTR = Composed(
    "ndtr",
    of="(1 + erf(x * 0.7071067811865476)) * 0.5",
    torch=("ndtr",),
    doc="The standard normal CDF Φ(x) = (1 + erf(x/√2))/2, elementwise (composed as torch does).",
)
NDTRI = Elementwise(
    "ndtri",
    forward=ndtri_array,
    forward_float=on_floats(ndtri_array),
    d="sqrt(2 * pi) * exp(out * out / 2)",
    text="√(2π)·exp(ndtri(x)²/2)",
    latex=r"\sqrt{2\pi}\, e^{\operatorname{ndtri}(x)^2/2}",
    torch=("ndtri",),
    formula="sqrt(2) * erfinv(2 * x - 1)",
    doc="The inverse of the standard normal CDF, Φ⁻¹(p), elementwise (∓inf at 0 and 1, nan outside).",
)
LOG_NDTR = Elementwise(
    "log_ndtr",
    forward=log_ndtr_array,
    forward_float=on_floats(log_ndtr_array),
    d="exp(-(out + x * x / 2)) / sqrt(2 * pi)",
    text="exp(−(log_ndtr(x) + x²/2))/√(2π)",
    latex=r"\frac{e^{-(\ln\Phi(x) + x^2/2)}}{\sqrt{2\pi}}",
    torch=("log_ndtr",),
    formula="log(erfc(-x / sqrt(2)) / 2)",
    doc="ln Φ(x), the log of the standard normal CDF, elementwise, accurate far left (−1254.8 at −50).",
)
ENTR = Elementwise(
    "entr",
    forward=entr_array,
    forward_float=on_floats(entr_array),
    d="-(1 + log(x))",
    text="−(1 + ln(x))",
    latex=r"-(1 + \ln x)",
    torch=("entr",),
    formula="-x * log(x)",
    doc="The entropy term −x·ln x, elementwise (0 at 0, −inf for x < 0).",
)
