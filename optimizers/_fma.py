"""The optimizers' fused multiply-adds: the engine's (``autograd/_fma.py``: ``fma``, ``axpy_``,
``addcmul_``, rounded once as torch's CPU kernels), and whether a product of two arrays is added
rounded once here (:data:`EXACT_PRODUCTS`)."""

from __future__ import annotations

import numpy as np

from ._engine import fused

fma = fused.fma
axpy_ = fused.axpy_

#: Whether ``addcmul_`` rounds once (emulated: no BLAS kernel adds a product of two arrays). Off by
#: default: the optimizers that use it (Adam, AdamW, NAdam, RAdam, RMSprop, Adagrad, Adadelta)
#: also divide by a square root, which torch takes from MKL's ``v?Sqrt``, not correctly rounded (1
#: ulp low on about 0.7% of the elements), so their numbers cannot be torch's bits anyway, and the
#: emulation costs 6x (float32) to 14x (float64) the product it replaces (Adam's step 2-3x). The
#: tests turn it on, with torch's square root, to check every other operation bit for bit.
EXACT_PRODUCTS = False


def addcmul_(y: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
    """In place ``y <- a * b + y``: torch's ``y.addcmul_(a, b)`` (``value=1``; for another value
    pass ``value * a``, rounded, as torch's kernel multiplies it first). Rounded once (as torch's
    fused kernel) where :data:`EXACT_PRODUCTS`, else twice (``y += a * b``)."""
    if EXACT_PRODUCTS:
        fused.addcmul_(y, a, b)
    else:
        y += np.multiply(a, b)
