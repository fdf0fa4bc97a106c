"""Fused multiply-add, rounded once, as torch's CPU kernels compute it.

torch's ``p.add_(g, alpha=a)``, ``addcmul_`` and ``lerp_`` are ``fmadd`` (``a * g + p`` with one
rounding) on every element; numpy's ``p += a * g`` rounds twice and differs in the last bit on
about 2% of the elements. Two ways to the exact numbers here:

- ``axpy_`` (``y <- a * x + y``, a scalar ``a``): OpenBLAS's ``?axpy`` from numpy's own bundle,
  one pass with no temporary, used only for a dtype where a self-check (``_blas_checked``) found its
  kernel fused on this CPU, and for C-contiguous float32/float64 arrays; otherwise ``fma``.
- ``fma`` (arrays): emulated with numpy. float32: ``a * b`` is exact in float64, the sum is
  rounded once in float64, and the rare sums that land on a float32 rounding midpoint (or are float32
  subnormals) are redone rounded to odd, which makes the second rounding correct. float64:
  Dekker's exact product and the Boldo-Melquiond rounded-to-odd sum; elements out of their safe
  range (huge, tiny) are computed exactly with ``fractions.Fraction``. Other dtypes: ``a * b + c``.
"""

from __future__ import annotations

import ctypes
import glob
import os
from fractions import Fraction
from typing import Any

import numpy as np

_F32, _F64 = np.dtype(np.float32), np.dtype(np.float64)
_SPLIT = 134217729.0  # 2**27 + 1: Dekker's splitter for float64


def fma(a: Any, b: Any, c: Any, out: np.ndarray | None = None) -> np.ndarray:
    """``a * b + c`` elementwise with one rounding (IEEE fused multiply-add).

    Parameters
    ----------
    a, b, c : array_like
        Broadcast together; computed in ``numpy.result_type(a, b, c)`` (Python numbers weak).
    out : numpy.ndarray, optional
        Where to write the result (may be one of the inputs).

    Returns
    -------
    numpy.ndarray
        The result (``out`` if given).
    """
    dtype = np.result_type(a, b, c)
    a, b, c = (np.asarray(x, dtype) for x in (a, b, c))
    shape = np.broadcast_shapes(a.shape, b.shape, c.shape)
    if dtype == _F32 or dtype == _F64:
        if not shape:  # (numpy's 0-d results are scalars)
            a, b, c = a.reshape(1), b.reshape(1), c.reshape(1)
        result = (_fma32 if dtype == _F32 else _fma64)(a, b, c).reshape(shape)
    else:
        result = a * b + c
    if out is None:
        return np.asarray(result, dtype)
    np.copyto(out, result, casting="unsafe")
    return out


def axpy_(y: np.ndarray, alpha: float, x: np.ndarray) -> None:
    """In place ``y <- alpha * x + y``, rounded once: torch's ``y.add_(x, alpha=alpha)``.

    ``x`` has ``y``'s shape. ``alpha`` is taken as a Python float (weak, as torch takes a number):
    it is rounded to the dtype of ``x + y`` first, as torch's kernels do, and the result, computed
    in that dtype, is then cast to ``y``'s.
    """
    dtype = y.dtype
    n = y.size
    if n == 0:
        return
    if type(x) is not np.ndarray:  # a numpy scalar (a 0-d ufunc result)
        x = np.asarray(x)
    alpha = float(alpha)
    call = _blas.get(dtype)
    if (
        call is not None
        and x.dtype == dtype
        and y.flags.c_contiguous
        and x.flags.c_contiguous
        and y.flags.writeable
        and x.shape == y.shape
    ):
        alpha = float(dtype.type(alpha))
        if alpha != 0 and alpha - alpha == 0:  # OpenBLAS returns at once for alpha 0 (no 0 * inf)
            if call is _UNCHECKED:
                call = _blas_checked(dtype)
            if call is not None:
                call(n, alpha, _address(x), 1, _address(y), 1)
                return
    fma(alpha, x, y, out=y)


def _address(a: np.ndarray) -> int:
    try:
        return ctypes.addressof(ctypes.c_char.from_buffer(a))  # (3x cheaper than a.ctypes.data)
    except (TypeError, ValueError):  # read-only
        return a.ctypes.data


# ---------------------------------------------------------------------------------------------
# emulation


def _two_sum(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``s = a + b`` rounded, and its error ``e`` (``s + e == a + b`` exactly; Knuth)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _to_odd(s: np.ndarray, e: np.ndarray) -> np.ndarray:
    """``s + e`` rounded to odd, from ``s`` = ``s + e`` rounded to nearest: where the sum is inexact
    and ``s`` has an even last bit, the neighbour of ``s`` toward ``e`` (the odd one)."""
    fix = (e != 0) & ((s.view(np.int64) & 1) == 0)
    if fix.any():
        s = np.where(fix, np.nextafter(s, np.copysign(np.inf, e)), s)
    return s


def _fma32(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    s = np.multiply(a, b, dtype=np.float64)  # exact: 24 + 24 bits
    s = np.add(s, c, out=s) if s.shape == np.broadcast_shapes(s.shape, c.shape) else s + c
    # float64 -> float32 rounds correctly except where s is a float32 midpoint (low 29 of 52 bits
    # 1000...) it rounded onto, or a float32 subnormal (coarser midpoints)
    hard = (s.view(np.int64) & 0x1FFFFFFF) == 0x10000000
    hard |= (np.abs(s) < 2.0**-126) & (s != 0)
    if hard.any():
        where = np.nonzero(hard)
        shape = s.shape
        pa, pb, pc = (np.broadcast_to(x, shape)[where].astype(np.float64) for x in (a, b, c))
        s[where] = _to_odd(*_two_sum(pa * pb, pc))
    return s.astype(np.float32)


def _two_product(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``p = a * b`` rounded, and its error (exact for |a|, |b| < 2**995 and no underflow; Dekker)."""
    p = a * b
    t = _SPLIT * a
    ah = t - (t - a)
    al = a - ah
    t = _SPLIT * b
    bh = t - (t - b)
    bl = b - bh
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def _fma64(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    a, b, c = np.broadcast_arrays(a, b, c)
    uh, ul = _two_product(a, b)
    th, tl = _two_sum(c, uh)
    r = th + _to_odd(*_two_sum(tl, ul))  # Boldo & Melquiond: RN(th + RO(tl + ul))
    naive = uh + c
    r = np.where(r == 0, naive, r)  # an exact zero: its sign as IEEE's (naive a * b + c is exact)
    big, tiny = 2.0**500, 2.0**-900
    p = np.abs(uh)
    safe = (np.abs(a) < big) & (np.abs(b) < big) & (np.abs(c) < 2.0**1000) & (p < 2.0**1000)
    safe &= (p > tiny) | (a == 0) | (b == 0)  # (false for nan)
    if not safe.all():
        finite = np.isfinite(a) & np.isfinite(b) & np.isfinite(c)
        r = np.where(finite, r, naive)  # inf, nan: IEEE's a * b + c
        for i in zip(*np.nonzero(~safe & finite)):
            r[i] = _exact(float(a[i]), float(b[i]), float(c[i]))
    return r


def _exact(a: float, b: float, c: float) -> float:
    """``a * b + c`` rounded once, in rational arithmetic."""
    x = Fraction(a) * Fraction(b) + Fraction(c)
    if x == 0:
        return a * b + c  # exact: the zero's sign as IEEE's
    try:
        return float(x)  # (correctly rounded)
    except OverflowError:
        return float("inf") if x > 0 else float("-inf")


# ---------------------------------------------------------------------------------------------
# OpenBLAS ?axpy

_UNCHECKED: Any = object()


def _find_blas() -> dict[np.dtype, Any]:
    """numpy's bundled OpenBLAS ``cblas_?axpy`` (64-bit ints), unchecked; none found: {}."""
    root = os.path.dirname(os.path.dirname(np.__file__))
    for folder in (os.path.join(root, "numpy.libs"), os.path.join(root, "numpy", ".libs")):
        for lib in sorted(glob.glob(os.path.join(folder, "libscipy_openblas64_*.so"))):
            try:
                return {_F32: _UNCHECKED, _F64: _UNCHECKED, "lib": ctypes.CDLL(lib)}
            except OSError:
                continue
    return {}


def _symbol(dtype: np.dtype) -> Any:
    lib = _blas["lib"]  # type: ignore[index]
    real = ctypes.c_float if dtype == _F32 else ctypes.c_double
    size, pointer = ctypes.c_int64, ctypes.c_void_p
    proto = ctypes.CFUNCTYPE(None, size, real, pointer, size, pointer, size)
    name = "scipy_cblas_saxpy64_" if dtype == _F32 else "scipy_cblas_daxpy64_"
    return proto((name, lib))


def _blas_checked(dtype: np.dtype) -> Any:
    """The BLAS ``?axpy`` of ``dtype`` if it gives ``fma``'s numbers (bitwise) on lengths 1-70 and
    1000 at several alignments, on elements where one rounding and two differ; else None (and
    ``axpy_`` emulates from then on)."""
    try:
        call = _symbol(dtype)
    except (AttributeError, OSError):
        call = None
    if call is not None:
        rng = np.random.default_rng(12345)
        alpha = float(dtype.type(-0.0123))
        for n in [*range(1, 71), 1000]:
            for offset in (0, 1, 3):
                x = rng.standard_normal(n + offset).astype(dtype)[offset:]
                y = rng.standard_normal(n + offset).astype(dtype)[offset:]
                expected = fma(dtype.type(alpha), x, y)
                call(n, alpha, x.ctypes.data, 1, y.ctypes.data, 1)
                if y.tobytes() != expected.tobytes():
                    call = None
                    break
            if call is None:
                break
    _blas[dtype] = call
    return call


_blas: dict[Any, Any] = _find_blas()
