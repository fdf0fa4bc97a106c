"""The logistic sigmoid, softplus, the error function and its complement, and the normalised sinc."""

from __future__ import annotations

import math

import numpy as np

from ..dtypes import get_default_dtype
from .elementwise import Elementwise


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
