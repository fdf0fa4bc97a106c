"""``p.add_(a @ b, alpha=alpha)`` without the product's array: one BLAS ``?gemm`` with beta = 1.

An SGD step on a weight whose gradient is one matrix product (a linear layer's ``xᵀ @ g``) then
reads and writes the weight once. Done in two steps (the product, then ``axpy_``), it writes the
gradient, reads it back, and reads and writes the weight: for a 784x256 float32 layer, 0.8 MB
written and 2.4 MB moved more per step, past this CPU's L2 cache.

The numbers are the two steps' bit for bit, or the two steps are taken. OpenBLAS's kernels add
``alpha · acc`` into C with one fused multiply-add, as ``axpy_`` adds ``alpha · g``, and sum the
inner dimension in one pass up to a block of a few hundred; past it, or where numpy computes the
product otherwise (a vector's ``gemv``) or a kernel rounds twice, they differ. So each shape,
layout and dtype is first checked once (:func:`_agrees`: random operands with nan, ±inf and ±0
among them, against the two steps, bitwise); where it differs, or where BLAS is not found,
:func:`add_matmul_` takes the two steps.
"""

from __future__ import annotations

import ctypes
import math
from typing import Any

import numpy as np

from . import _fma
from ._fma import axpy_

_F32, _F64 = np.dtype(np.float32), np.dtype(np.float64)
_ROW_MAJOR, _NO_TRANS, _TRANS = 101, 111, 112
#: (the arrays' dtypes, shapes and strides) -> how add_matmul_ calls the gemm (None: it does not)
_plans: dict[tuple[Any, ...], Any] = {}
_gemm: dict[np.dtype, Any] = {}
_NOT_PLANNED: Any = object()
#: a smaller product is left to the two steps (an optimizer batches small updates; no pass to save)
_SMALLEST = 1024


def add_matmul_(p: np.ndarray, a: np.ndarray, b: np.ndarray, alpha: float) -> None:
    """In place ``p <- p + alpha * (a @ b)``, with the numbers of ``axpy_(p, alpha, a @ b)`` (torch's
    ``p.add_(a @ b, alpha=alpha)``: the product rounded, then one fused multiply-add).

    Parameters
    ----------
    p : numpy.ndarray
        The array updated (a weight), of ``a @ b``'s shape.
    a, b : numpy.ndarray
        The factors (a transposed view, ``x.mT``, is read as it is).
    alpha : float
        The scale (``-lr`` for an SGD step), rounded to ``p``'s dtype as ``axpy_`` rounds it.
    """
    plan = _plan(p, a, b) if type(p) is type(a) is type(b) is np.ndarray else None
    if (
        plan is not None
        and p.flags.writeable
        and not (np.may_share_memory(p, a) or np.may_share_memory(p, b))
    ):
        gemm, ta, tb, m, n, k, lda, ldb, zero = plan
        dtype = p.dtype
        seen, rounded = _fma._rounded.get(dtype, _fma._UNSEEN)  # (axpy_'s: one rounding per lr)
        if alpha != seen:  # (a learning rate changes seldom)
            rounded = float(dtype.type(alpha))
            _fma._rounded[dtype] = (alpha, rounded)
        if zero < abs(rounded) < math.inf and rounded != 1.0 and rounded != -1.0:
            # (an alpha of 0: axpy_'s 0 * inf is nan, where BLAS skips; of ±1: axpy_ adds, unrounded)
            gemm(
                _ROW_MAJOR, ta, tb, m, n, k, rounded, _address(a), lda, _address(b), ldb, 1.0, _address(p), n
            )
            return
    axpy_(p, alpha, a @ b)


def one_call(p: Any, a: Any, b: Any) -> bool:
    """Whether :func:`add_matmul_` on arrays like these (dtype, shape, layout) is one BLAS call
    (checked now, once per kind: see the module); False for anything that is not arrays."""
    return type(p) is type(a) is type(b) is np.ndarray and _plan(p, a, b) is not None


def _plan(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> Any:
    """How :func:`add_matmul_` calls the gemm for arrays of these dtypes, shapes and strides (the
    function, the layouts, m, n, k, the leading dimensions, the largest alpha its dtype rounds to
    0), found once per kind; None where it does not (then it takes the two steps)."""
    key = (p.dtype, p.shape, p.strides, a.dtype, a.shape, a.strides, b.dtype, b.shape, b.strides)
    plan = _plans.get(key, _NOT_PLANNED)
    if plan is _NOT_PLANNED:
        plan = _plans[key] = _new_plan(p, a, b)
    return plan


def _new_plan(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> Any:
    dtype = p.dtype
    if (
        (dtype != _F32 and dtype != _F64)
        or a.dtype != dtype
        or b.dtype != dtype
        or a.ndim != 2
        or b.ndim != 2
    ):
        return None
    (m, k), (k2, n) = a.shape, b.shape
    blas = _fma._blas.get(dtype)
    ta, tb = _layout(a), _layout(b)
    if (
        k != k2
        or p.shape != (m, n)
        or not p.flags.c_contiguous
        or min(m, n, k) < 2
        or m * n < _SMALLEST
        or blas is None
        or ta is None
        or tb is None
        or not _agrees(dtype, ta, tb, m, n, k)
    ):
        return None
    lda, ldb = k if ta == _NO_TRANS else m, n if tb == _NO_TRANS else k
    return _gemm[dtype], ta, tb, m, n, k, lda, ldb, blas[1]


def _address(x: np.ndarray) -> int:
    """The address of ``x``'s first element (a C array, or a transposed one: its transpose's)."""
    return _fma._address(x if x.flags.c_contiguous else x.T)


def _layout(x: np.ndarray) -> int | None:
    """How BLAS reads ``x``: rows in memory order, or a transposed C array; None if neither."""
    if x.flags.c_contiguous:
        return _NO_TRANS
    if x.flags.f_contiguous:
        return _TRANS
    return None


def _symbol(dtype: np.dtype) -> Any:
    """numpy's bundled OpenBLAS ``cblas_?gemm`` (64-bit ints); None if not found."""
    if dtype not in _gemm:
        lib = _fma._blas.get("lib")
        name = "scipy_cblas_sgemm64_" if dtype == _F32 else "scipy_cblas_dgemm64_"
        real = ctypes.c_float if dtype == _F32 else ctypes.c_double
        size, enum, pointer = ctypes.c_int64, ctypes.c_int, ctypes.c_void_p
        try:
            found = getattr(lib, name)
        except AttributeError:
            found = None
        else:
            found.restype = None
            found.argtypes = [enum, enum, enum, size, size, size, real, pointer, size, pointer, size,
                              real, pointer, size]  # fmt: skip
        _gemm[dtype] = found
    return _gemm[dtype]


def _agrees(dtype: np.dtype, ta: int, tb: int, m: int, n: int, k: int) -> bool:
    """Whether the gemm with beta = 1 gives ``axpy_(p, alpha, a @ b)``'s bits for this dtype, these
    layouts and shape: random operands (nan, ±inf or ±0 among them: 2% of ``p``'s elements, 3 of
    each factor's), in as many trials as compare 4096 elements of the result or more (one, from
    64x64 up)."""
    if _symbol(dtype) is None:
        return False
    rng = np.random.default_rng(20261207)
    alpha = float(dtype.type(-0.0123))
    specials = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0], dtype)
    trials = -(-4096 // (m * n))  # (at most 4: m * n >= _SMALLEST)
    for _ in range(trials):
        a, b = (_operand(rng, shape, t, dtype, specials, 3) for shape, t in (((m, k), ta), ((k, n), tb)))
        p = _operand(rng, (m, n), _NO_TRANS, dtype, specials, -(-m * n // 50))
        expected = p.copy()
        with np.errstate(all="ignore"):
            axpy_(expected, alpha, a @ b)
        gemm = _gemm[dtype]
        lda, ldb = k if ta == _NO_TRANS else m, n if tb == _NO_TRANS else k
        gemm(
            _ROW_MAJOR, ta, tb, m, n, k, alpha, a.ctypes.data, lda, b.ctypes.data, ldb, 1.0, p.ctypes.data, n
        )
        if p.tobytes() != expected.tobytes():
            return False
    return True


def _operand(rng: np.random.Generator, shape: tuple[int, int], layout: int, dtype: np.dtype,
             specials: np.ndarray, count: int) -> np.ndarray:  # fmt: skip
    """A random array of ``shape`` (uniform in [-0.5, 0.5)), C-ordered or a transposed C array
    (``layout``), ``count`` of its elements nan, ±inf or ±0 (a factor's few: each spreads to a row
    or a column of the product)."""
    x = rng.random(shape[::-1] if layout == _TRANS else shape, dtype=dtype.type) - dtype.type(0.5)
    flat = x.reshape(-1)
    flat[rng.integers(0, flat.size, count)] = specials[rng.integers(0, specials.size, count)]
    return x.T if layout == _TRANS else x
