"""Fused multiply-add, rounded once, as torch's CPU kernels compute it.

torch's ``add(x, alpha=a)``, ``addcmul``, ``addcdiv`` and ``lerp`` (and their in-place forms) are
ATen's ``fmadd`` (``a * x + y`` with one rounding) on every element; numpy's ``y + a * x`` rounds
twice and differs in the last bit on about 2% of the elements. The engine's Tensor methods and the
optimizers (``optimizers/_fma.py``) take their numbers from here. Two ways to the exact numbers:

- ``axpy_`` (``y <- a * x + y``, a scalar ``a``): OpenBLAS's ``?axpy`` from numpy's own bundle,
  one pass with no temporary, for C-contiguous float32/float64 arrays, where a self-check
  (``_blas_checked``) finds its numbers fused on this CPU; otherwise ``fma``. Some of OpenBLAS's
  kernels are fused only on blocks of elements (its Haswell kernel, which it also runs on AMD's
  Zen, on multiples of 32 float32 or 16 float64, and does the rest of an array in C with two
  roundings): the self-check finds that block, and ``axpy_`` then hands OpenBLAS whole blocks only
  (a tail is padded to a block in scratch memory), in calls short enough that OpenBLAS does not
  split them between threads at widths of its own.
- ``fma`` (arrays; ``addcmul_`` in place): emulated with numpy. float32: ``a * b`` is exact in
  float64, the sum is rounded once in float64, and the rare sums that land on a float32 rounding
  midpoint (or are float32 subnormals) are redone rounded to odd, which makes the second rounding
  correct. float64: Dekker's exact product and the Boldo-Melquiond rounded-to-odd sum; elements out
  of their safe range (huge, tiny) are computed exactly with ``fractions.Fraction``. Other dtypes:
  ``a * b + c``. In chunks, through per-thread scratch arrays; measured (CPU time, 200704 elements)
  about 6x (float32) and 14x (float64) numpy's two-rounding ``a * b + c``.
"""

from __future__ import annotations

import _thread
import ctypes
import math
import os
from typing import Any

import numpy as np

from .grad_mode import loud, quiet

_F32, _F64 = np.dtype(np.float32), np.dtype(np.float64)
_LOW28 = np.int64(0xFFFFFFF)  # the low 28 bits of a float64: zero at every float32 rounding midpoint
_SPLIT = 134217729.0  # 2**27 + 1: Dekker's splitter for float64
_local = _thread._local()  # each thread's scratch arrays (``_scratch``; threading.local, unimported)
_CHUNK = 16384  # elements per pass of the emulation
_SMALL = 1024  # up to this many elements, the emulation's temporaries are allocated


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
    a, b, c = np.asarray(a, dtype), np.asarray(b, dtype), np.asarray(c, dtype)
    if dtype != _F32 and dtype != _F64:
        result = np.asarray(a * b + c, dtype)
        if out is None:
            return result
        np.copyto(out, result, casting="unsafe")
        return out
    shape = np.broadcast(a, b, c).shape
    direct = out is not None and out.dtype == dtype and out.shape == shape and out.flags.c_contiguous
    target = out if direct else np.empty(shape, dtype)
    kernel = _fma32 if dtype == _F32 else _fma64
    n = target.size
    token = quiet()  # (the steps' overflow and nan are results, not warnings)
    try:
        if n == 1 and kernel is _fma64:  # (one number: exactly, in Python, 10x cheaper)
            target.reshape(1)[0] = _one64(float(a.flat[0]), float(b.flat[0]), float(c.flat[0]))
        elif n <= _CHUNK:
            if not shape:  # (numpy's 0-d results are scalars)
                kernel(a.reshape(1), b.reshape(1), c.reshape(1), target.reshape(1))
            elif n:
                kernel(a, b, c, target)
        else:
            _chunks(kernel, a, b, c, target)
    finally:
        loud(token)
    if out is None or direct:
        return target
    np.copyto(out, target, casting="unsafe")
    return out


def _chunks(kernel: Any, a: np.ndarray, b: np.ndarray, c: np.ndarray, target: np.ndarray) -> None:
    """``kernel`` on ``target`` (of ``a``, ``b``, ``c``'s broadcast shape) in chunks of ``_CHUNK``
    elements: the temporaries stay in cache."""
    shape, n = target.shape, target.size
    operands = [
        x.reshape(-1) if x.size == 1 or (x.shape == shape and x.flags.c_contiguous) else None
        for x in (a, b, c)
    ]
    if any(x is None for x in operands):  # (broadcast other than against one element: copies)
        operands = [np.broadcast_to(x, shape).reshape(-1) for x in (a, b, c)]
    flat = target.reshape(-1)
    for start in range(0, n, _CHUNK):
        stop = min(start + _CHUNK, n)
        kernel(*(x if x.size == 1 else x[start:stop] for x in operands), flat[start:stop])


def axpy_(y: np.ndarray, alpha: float, x: np.ndarray) -> None:
    """In place ``y <- alpha * x + y``, rounded once: torch's ``y.add_(x, alpha=alpha)``.

    ``x`` has ``y``'s shape. ``alpha`` is taken as a Python float (weak, as torch takes a number):
    it is rounded to the dtype of ``x + y`` first, as torch's kernels do, and the result, computed
    in that dtype, is then cast to ``y``'s. An ``alpha`` of 1 or -1 (the product exact) is numpy's
    ``y += x`` or ``y -= x``; float32 arrays of a chunk or less go to the emulation directly.
    """
    dtype = y.dtype
    blas = _blas.get(dtype)
    if blas is not None and blas[0] is not _UNCHECKED and type(x) is np.ndarray and x.dtype == dtype:
        # the common case in few steps (an optimizer's update, every parameter, every step)
        seen, rounded = _rounded.get(dtype, _UNSEEN)
        if alpha != seen:  # (a learning rate changes seldom)
            rounded = float(dtype.type(alpha))
            _rounded[dtype] = (alpha, rounded)
        if x.shape == y.shape and blas[1] < abs(rounded) < math.inf and rounded != 1.0 and rounded != -1.0:
            try:  # (the buffers' checks: C-contiguous, writeable, not empty)
                px, py = _addressof(_from_buffer(x)), _addressof(_from_buffer(y))
            except (TypeError, ValueError, BufferError):
                pass
            else:
                _blocked(blas, y.size, rounded, px, py, dtype)
                return
    if type(x) is not np.ndarray:  # a numpy scalar (a 0-d ufunc result)
        x = np.asarray(x)
    if x.dtype != dtype or x.shape != y.shape or (dtype != _F32 and dtype != _F64):
        fma(float(alpha), x, y, out=y)
        return
    alpha = float(dtype.type(alpha))  # (as the kernel's C type rounds it)
    if alpha == 1.0:
        np.add(y, x, out=y)
        return
    if alpha == -1.0:
        np.subtract(y, x, out=y)
        return
    blas = _blas.get(dtype)
    if blas is not None and blas[0] is _UNCHECKED:
        _blas_checked(dtype)
        blas = _blas[dtype]
    # OpenBLAS returns at once for an alpha of 0 (where torch's 0 * inf is nan): not through it
    if blas is not None and blas[1] < abs(alpha) < np.inf:
        fy = y.flags
        if fy.c_contiguous and fy.writeable and x.flags.c_contiguous:
            if y.size:
                _blocked(blas, y.size, alpha, _address(x), _address(y), dtype)
            return
    if dtype == _F32 and 0 < y.size <= _CHUNK and y.ndim:
        token = quiet()
        try:
            _fma32(alpha, x, y, y)
        finally:
            loud(token)
    else:
        fma(alpha, x, y, out=y)


class AxpyBatch:
    """``axpy_(y, alpha, x)`` for many small float32 arrays (an optimizer step's parameters), in
    fewer calls (a small array's cost is the per-call cost, not the arithmetic): ``add`` copies
    ``x`` and ``y`` into two flat float32 arrays, ``flush`` runs one ``axpy_`` over them (on whole
    BLAS blocks: the flat arrays' tail past the last array is padding) and writes each ``y`` back.
    A change of ``alpha`` flushes first.

    ``x`` is read at ``add``; ``y`` must not change before the flush. Other arrays (another dtype,
    more than ``LIMIT`` elements, or not of ``y``'s shape) are updated at once.
    """

    #: the largest array taken into a batch
    LIMIT = 1024

    def __init__(self) -> None:
        self._flat = np.zeros((2, _CHUNK), _F32)  # x; y
        self._addresses = (_address(self._flat[0]), _address(self._flat[1]))
        self._views: dict[tuple[int, tuple[int, ...]], tuple[np.ndarray, np.ndarray]] = {}
        self._items: list[tuple[np.ndarray, np.ndarray]] = []
        self._alpha = 0.0
        self._stop = 0

    def __bool__(self) -> bool:
        return bool(self._items)

    def add(self, y: np.ndarray, alpha: float, x: np.ndarray) -> None:
        """``axpy_(y, alpha, x)``, written at the next ``flush`` (or now, if not batched)."""
        n = y.size
        if (
            y.dtype != _F32
            or type(x) is not np.ndarray
            or x.dtype != _F32
            or x.shape != y.shape
            or n > self.LIMIT
        ):
            axpy_(y, alpha, x)
            return
        start = self._stop
        if start + n > _CHUNK or (alpha != self._alpha and self._items):
            self.flush()
            start = 0
        self._alpha = alpha
        key = (start, y.shape)
        views = self._views.get(key)
        if views is None:  # (slices of contiguous rows: views, never copies)
            views = self._views[key] = tuple(row[start : start + n].reshape(y.shape) for row in self._flat)
        xs, ys = views
        xs[...] = x  # (assignments: cheaper than np.copyto's dispatch)
        ys[...] = y
        self._items.append((y, ys))
        self._stop = start + n

    def flush(self) -> None:
        """Write every ``y`` added since the last flush."""
        items, stop = self._items, self._stop
        if not items:
            return
        self._items, self._stop = [], 0
        stop = -(-stop // _BLOCKS[-1]) * _BLOCKS[-1]  # (whole blocks of any kernel: no tail to pad)
        alpha = float(_F32.type(self._alpha))
        blas = _blas.get(_F32)
        if blas is not None and blas[0] is not _UNCHECKED and blas[1] < abs(alpha) < np.inf:
            _blocked(blas, stop, alpha, self._addresses[0], self._addresses[1], _F32)  # (axpy_'s path)
        else:
            axpy_(self._flat[1, :stop], alpha, self._flat[0, :stop])
        for y, ys in items:
            y[...] = ys


def addcmul_(y: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
    """In place ``y <- a * b + y``, rounded once: torch's ``y.addcmul_(a, b)`` (``value=1``; for
    another value pass ``value * a``, rounded, as torch's kernel multiplies it first)."""
    kernel = _KERNELS.get(y.dtype)
    if (  # the common case without fma's dispatch: arrays of one dtype and shape, at most a chunk
        kernel is not None
        and type(a) is np.ndarray
        and type(b) is np.ndarray
        and a.dtype == y.dtype
        and b.dtype == y.dtype
        and a.shape == y.shape
        and b.shape == y.shape
        and 0 < y.size <= _CHUNK
        and y.ndim
    ):
        kernel(a, b, y, y)
    else:
        fma(a, b, y, out=y)


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
    bits = s.view(np.int64)
    fix = (e != 0) & ((bits & 1) == 0)
    if fix.any():  # one step in the bits: away from 0 where e has s's sign (s is not 0 where e is not)
        step = np.where(np.signbit(s) == np.signbit(e), 1, -1)
        s = (bits + np.where(fix, step, 0)).view(np.float64)
    return s


def _scratch(slot: str, dtype: Any, shape: tuple[int, ...]) -> np.ndarray:
    """An array of ``shape`` (at most ``_CHUNK`` elements) kept for ``slot``, per thread (a fresh
    large temporary costs its page faults at every call: more than the arithmetic)."""
    arrays = getattr(_local, "arrays", None)
    if arrays is None:
        arrays = _local.arrays = {}
    flat = arrays.get((slot, dtype))
    if flat is None:
        flat = arrays[slot, dtype] = np.empty(_CHUNK, dtype)
    return flat[: math.prod(shape)].reshape(shape)


def _fma32(a: np.ndarray, b: np.ndarray, c: np.ndarray, out: np.ndarray) -> None:
    """``out <- fma(a, b, c)`` in float32 (``a``, ``b``, ``c`` broadcast to ``out``, at least 1-d).

    ``a * b`` is exact in float64 and the sum is rounded once there; rounding that to float32
    again is right except where the float64 sum landed on a float32 rounding midpoint (normal: the
    low 29 of its 52 fraction bits are 1000...; subnormal: coarser, at least 29 zero bits). Both
    have their low 28 bits zero: one test of those bits lets nearly every call through with a
    single cast; the others find the midpoints and redo them rounded to odd."""
    shape = out.shape
    n = out.size
    if n <= _SMALL:  # (temporaries: numpy's cache of small arrays)
        s = np.multiply(a, b, dtype=np.float64)  # exact: 24 + 24 bits
        s = np.add(s, c, out=s if s.shape == shape else None)
        low = np.bitwise_and(s.view(np.int64), _LOW28)
    else:
        s, t = _scratch("sum", _F64, shape), _scratch("term", _F64, shape)
        np.copyto(s, a)  # (casts first: numpy's mixed-type loops are 3x slower)
        np.copyto(t, b)
        np.multiply(s, t, out=s)  # exact: 24 + 24 bits
        np.copyto(t, c)
        np.add(s, t, out=s)
        low = np.bitwise_and(s.view(np.int64), _LOW28, _scratch("bits", np.int64, shape))
    if np.count_nonzero(low) == n:  # no midpoint: one more rounding is the right one
        np.copyto(out, s, casting="unsafe")
        return
    low |= s.view(np.int64) & 0x10000000  # the low 29 bits
    hard = low == 0x10000000  # a normal float32's midpoint
    magnitude = np.abs(s)
    if magnitude.min() < 2.0**-126:  # float32 subnormals: their midpoints are coarser
        hard |= (magnitude < 2.0**-126) & (s != 0)
    where = np.nonzero(hard) if hard.any() else None
    if where is not None:  # (the operands read before ``out``, which may be one, is written)
        pa, pb, pc = (np.broadcast_to(x, shape)[where].astype(np.float64) for x in (a, b, c))
    np.copyto(out, s, casting="unsafe")
    if where is not None:
        out[where] = _to_odd(*_two_sum(pa * pb, pc))


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


def _fma64(a: np.ndarray, b: np.ndarray, c: np.ndarray, out: np.ndarray) -> None:
    """``out <- fma(a, b, c)`` in float64 (``a``, ``b``, ``c`` broadcast to ``out``, at least 1-d):
    Dekker's exact product ``p + e``, ``c + p == th + tl`` (TwoSum), then Boldo & Melquiond's
    ``RN(th + RO(tl + e))``, in per-thread scratch arrays; elements out of the range where that is
    exact (huge, tiny, not finite) are redone by ``_exact`` (or IEEE's ``a * b + c``)."""
    shape = out.shape
    p, e, t, u, v, w, x = (_scratch(slot, _F64, shape) for slot in "petuvwx")
    np.multiply(a, b, out=p)
    np.multiply(a, _SPLIT, out=t)  # Veltkamp's split: a == ah + al, 26 bits each
    np.subtract(t, a, out=u)
    np.subtract(t, u, out=v)  # ah
    np.subtract(a, v, out=w)  # al
    np.multiply(b, _SPLIT, out=t)
    np.subtract(t, b, out=u)
    np.subtract(t, u, out=t)  # bh
    np.subtract(b, t, out=u)  # bl
    np.multiply(v, t, out=e)  # e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    e -= p
    np.multiply(v, u, out=x)
    e += x
    np.multiply(w, t, out=x)
    e += x
    np.multiply(w, u, out=x)
    e += x  # p + e == a * b
    np.add(c, p, out=v)  # th; TwoSum: tl = (c - (th - bb)) + (p - bb), bb = th - c
    np.subtract(v, c, out=u)
    np.subtract(v, u, out=t)
    np.subtract(c, t, out=t)
    np.subtract(p, u, out=u)
    t += u  # tl: th + tl == c + p
    np.add(t, e, out=w)  # w + x == tl + e (TwoSum)
    np.subtract(w, t, out=u)
    np.subtract(w, u, out=x)
    np.subtract(t, x, out=x)
    np.subtract(e, u, out=u)
    x += u
    fix = np.not_equal(x, 0, out=_scratch("fix", np.bool_, shape))  # w rounded to odd: where inexact
    bits = w.view(np.int64)
    steps = np.bitwise_and(bits, 1, out=_scratch("steps", np.int64, shape))
    fix &= steps == 0  # ... and even, one step toward x: away from 0 where x has w's sign
    if fix.any():
        same = np.equal(np.signbit(w), np.signbit(x), out=_scratch("same", np.bool_, shape))
        np.multiply(same, 2, out=steps)
        steps -= 1
        steps *= fix
        bits += steps
    np.add(v, w, out=t)  # the result
    zero = np.equal(t, 0, out=fix)
    if zero.any():  # an exact zero: its sign as IEEE's (a * b + c is exact there)
        np.add(p, c, out=u)
        np.copyto(t, u, where=zero)
    np.abs(p, out=u)
    small = u.min() <= 2.0**-900 and bool(((u <= 2.0**-900) & (a != 0) & (b != 0)).any())  # e underflows
    if small or not (
        u.max() < 2.0**1000 and _amax(a, x) < 2.0**500 and _amax(b, x) < 2.0**500 and _amax(c, x) < 2.0**1000
    ):  # (false for nan too)
        _redo_out_of_range(*np.broadcast_arrays(a, b, c), t)
    np.copyto(out, t)


def _amax(a: np.ndarray, scratch: np.ndarray) -> float:
    """``max(|a|)`` (nan if ``a`` holds one), through ``scratch`` where ``a`` has its shape."""
    return float(np.abs(a, out=scratch).max() if a.shape == scratch.shape else np.abs(a).max())


def _redo_out_of_range(a: np.ndarray, b: np.ndarray, c: np.ndarray, r: np.ndarray) -> None:
    """Overwrite ``r`` where ``a * b + c`` is out of ``_fma64``'s exact range: ``c`` where only ``c``
    is not finite (the exact product never overflows), IEEE's ``a * b + c`` where ``a`` or ``b`` is
    not, else ``_exact``'s."""
    p = np.abs(a * b)
    safe = (np.abs(a) < 2.0**500) & (np.abs(b) < 2.0**500) & (np.abs(c) < 2.0**1000) & (p < 2.0**1000)
    safe &= (p > 2.0**-900) | (a == 0) | (b == 0)  # (false for nan)
    factors = np.isfinite(a) & np.isfinite(b)
    finite = factors & np.isfinite(c)
    np.copyto(r, np.where(factors, c, a * b + c), where=~finite)
    for i in zip(*np.nonzero(~safe & finite)):
        r[i] = _exact(float(a[i]), float(b[i]), float(c[i]))


def _one64(a: float, b: float, c: float) -> float:
    """``a * b + c`` rounded once, for one float64: ``_exact``; ``c`` where only ``c`` is not finite
    (the product, exact, does not overflow); else IEEE's ``a * b + c``."""
    if math.isfinite(a) and math.isfinite(b):  # (the exact product is finite: an infinite c wins)
        return _exact(a, b, c) if math.isfinite(c) else c
    return a * b + c


def _exact(a: float, b: float, c: float) -> float:
    """``a * b + c`` rounded once, in rational arithmetic."""
    from fractions import Fraction  # (here: fractions imports decimal, 1 ms an import of the library)

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
#: the largest |alpha| a dtype rounds to 0 (the call's C type rounds alpha)
_ZERO = {_F32: 2.0**-150, _F64: 0.0}


def _find_blas() -> dict[np.dtype, Any]:
    """numpy's bundled OpenBLAS ``cblas_?axpy`` (64-bit ints), unchecked; none found: {}."""
    root = os.path.dirname(os.path.dirname(np.__file__))
    for folder in (os.path.join(root, "numpy.libs"), os.path.join(root, "numpy", ".libs")):
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in sorted(n for n in names if n.startswith("libscipy_openblas64_") and n.endswith(".so")):
            try:
                found = ctypes.CDLL(os.path.join(folder, name))
            except OSError:
                continue
            blas = {_F32: (_UNCHECKED, _ZERO[_F32], 1), _F64: (_UNCHECKED, _ZERO[_F64], 1), "lib": found}
            try:
                threads = found.scipy_openblas_get_num_threads64_
                threads.restype, threads.argtypes = ctypes.c_int, []
                blas["threads"] = threads
            except AttributeError:  # (then calls stay at most _BLAS_MOST long)
                blas["threads"] = lambda: 2
            return blas
    return {}


def _symbol(dtype: np.dtype) -> Any:
    lib = _blas["lib"]  # type: ignore[index]
    real = ctypes.c_float if dtype == _F32 else ctypes.c_double
    size, pointer = ctypes.c_int64, ctypes.c_void_p
    proto = ctypes.CFUNCTYPE(None, size, real, pointer, size, pointer, size)
    name = "scipy_cblas_saxpy64_" if dtype == _F32 else "scipy_cblas_daxpy64_"
    return proto((name, lib))


#: the longest call of ``?axpy``: OpenBLAS splits a call of more than 10,000 elements between its
#: threads, at widths that need not be whole blocks (a multiple of 64)
_BLAS_MOST = 9984
#: the block sizes tried, smallest first (1: fused on every length)
_BLOCKS = (1, 2, 4, 8, 16, 32, 64)


def _blocked(blas: tuple[Any, float, int], n: int, alpha: float, px: int, py: int, dtype: np.dtype) -> None:
    """``y <- alpha * x + y`` on ``n`` elements at addresses ``px``, ``py`` through ``blas``'s
    ``call`` in whole blocks of its ``block``: the largest multiple of ``block`` in calls of at most
    ``_BLAS_MOST`` (one call where OpenBLAS runs one thread, or where the kernel is fused on every
    length), the rest copied into a block of scratch memory and back."""
    call, _, block = blas
    if block == 1 or (n <= _BLAS_MOST and not n % block):  # (the common case: one call)
        call(n, alpha, px, 1, py, 1)
        return
    size = dtype.itemsize
    head = n - n % block
    most = head if head <= _BLAS_MOST or _threads() == 1 else _BLAS_MOST
    start = 0
    while start < head:
        m = min(head - start, most)
        call(m, alpha, px + start * size, 1, py + start * size, 1)
        start += m
    if head < n:
        tail = getattr(_local, "tail", None)
        if tail is None:
            tail = _local.tail = {}
        pair = tail.get(dtype)
        if pair is None:
            arrays = np.zeros((2, _BLOCKS[-1]), dtype)  # (kept alive by the dict)
            pair = tail[dtype] = (arrays, arrays[0].ctypes.data, arrays[1].ctypes.data)
        _, sx, sy = pair
        count = (n - head) * size
        ctypes.memmove(sx, px + head * size, count)
        ctypes.memmove(sy, py + head * size, count)
        call(block, alpha, sx, 1, sy, 1)
        ctypes.memmove(py + head * size, sy, count)


def _threads() -> int:
    """How many threads OpenBLAS runs (2 where it cannot say: more than one)."""
    return _blas["threads"]()


def _blas_checked(dtype: np.dtype) -> Any:
    """The BLAS ``?axpy`` of ``dtype`` if, handed whole blocks of some size (``_BLOCKS``, the
    smallest that works), it gives ``fma``'s numbers (bitwise) on every length 1-70, 1000 and
    three lengths past ``_BLAS_MOST``, each at 3 alignments (slices of one array, about 3% of whose
    elements are ones where one rounding and two differ); else None (and ``axpy_`` emulates from
    then on)."""
    try:
        call = _symbol(dtype)
    except (AttributeError, OSError):
        call = None
    block = 1
    if call is not None:
        rng = np.random.default_rng(12345)
        alpha = float(dtype.type(-0.0123))
        lengths = [*range(1, 71), 1000, _BLAS_MOST + 32, 2 * _BLAS_MOST + 17, 3 * _BLAS_MOST + 64]
        cases = [(n, gap) for n in lengths for gap in (0, 1, 3)]
        x0, y0 = rng.standard_normal((2, sum(n + gap for n, gap in cases))).astype(dtype)
        written = np.zeros(y0.size, bool)
        start = 0
        for n, gap in cases:  # (the slices start at every alignment)
            start += gap
            written[start : start + n] = True
            start += n
        expected = np.where(written, fma(alpha, x0, y0), y0).tobytes()
        for block in _BLOCKS:
            y = y0.copy()
            start = 0
            for n, gap in cases:
                start += gap
                _blocked((call, 0.0, block), n, alpha, x0[start:].ctypes.data, y[start:].ctypes.data, dtype)
                start += n
            if y.tobytes() == expected:
                break
        else:
            call = None
    _blas[dtype] = None if call is None else (call, _ZERO[dtype], block)
    return call


_blas: dict[Any, Any] = _find_blas()
#: per dtype, the last ``alpha`` given to ``axpy_`` and its rounding to the dtype
_rounded: dict[np.dtype, tuple[Any, float]] = {}
_UNSEEN = (None, 0.0)
_from_buffer, _addressof = ctypes.c_char.from_buffer, ctypes.addressof
_KERNELS = {_F32: _fma32, _F64: _fma64}
