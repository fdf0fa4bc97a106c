"""``torch.linalg.ldl_factor``, ``ldl_factor_ex`` and ``ldl_solve``: the Bunch-Kaufman LDLᵀ
factorization of a symmetric matrix as LAPACK's dsytf2 computes it (lower triangle; 1×1 and 2×2
pivot blocks, torch's packed ``LD`` and 1-based ``pivots``, negative for a 2×2 block).

The factorization has no gradient (torch has none either); ``ldl_solve`` is differentiable in B.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ._errors import LinAlgError
from ._operands import as_tensor
from ._tensor import Tensor
from .linalg import _DEFERRED, _matrices, solve
from .linalg_solvers import _ints, eager_only

__all__ = [*_DEFERRED[".linalg_ldl"]]


class LDLFactorResult(NamedTuple):
    """``ldl_factor``'s result: ``LD`` (L below the diagonal, D's blocks on and next to it) and
    ``pivots`` (int32, 1-based; negative for both columns of a 2×2 block)."""

    LD: Tensor
    pivots: Tensor


class LDLFactorExResult(NamedTuple):
    """``ldl_factor_ex``'s result: ``LD``, ``pivots`` and ``info`` (int32: 0, or the 1-based
    index of D's first zero block)."""

    LD: Tensor
    pivots: Tensor
    info: Tensor


_ALPHA = (1.0 + np.sqrt(17.0)) / 8.0


def _sytf2_lower(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """LAPACK dsytf2 (lower, Bunch-Kaufman) on one matrix: (LD, 1-based ipiv, info)."""
    a = np.tril(a).astype(a.dtype, copy=True)
    a = a + np.tril(a, -1).T  # (work on the full symmetric matrix; only the lower triangle is read)
    n = a.shape[0]
    ipiv = np.zeros(n, dtype=np.int32)
    info = 0
    k = 0
    while k < n:
        kstep = 1
        absakk = abs(a[k, k])
        if k < n - 1:
            imax = k + 1 + int(np.argmax(np.abs(a[k + 1 :, k])))
            colmax = abs(a[imax, k])
        else:
            imax, colmax = k, 0.0
        if max(absakk, colmax) == 0 or np.isnan(absakk):
            info = info or k + 1
            kp = k
        else:
            if absakk >= _ALPHA * colmax:
                kp = k
            else:
                rowmax = np.max(np.abs(a[imax, k:imax]))
                if imax < n - 1:
                    rowmax = max(rowmax, np.max(np.abs(a[imax + 1 :, imax])))
                if absakk >= _ALPHA * colmax * (colmax / rowmax):
                    kp = k
                elif abs(a[imax, imax]) >= _ALPHA * rowmax:
                    kp = imax
                else:
                    kp, kstep = imax, 2
            kk = k + kstep - 1
            if kp != kk:  # symmetric interchange of rows and columns kk and kp in a[k:, k:]
                perm = np.arange(n)  # (the columns of L left of k keep their rows, as LAPACK's)
                perm[kk], perm[kp] = kp, kk
                a[k:, k:] = a[np.ix_(perm[k:], perm[k:])]
            if kstep == 1:
                if k < n - 1:
                    d11 = 1.0 / a[k, k]
                    x = a[k + 1 :, k].copy()
                    a[k + 1 :, k + 1 :] -= d11 * np.outer(x, x)
                    a[k + 1 :, k] = x * d11
                    a[k, k + 1 :] = a[k + 1 :, k]
            else:
                if k < n - 2:
                    d21 = a[k + 1, k]
                    d11 = a[k + 1, k + 1] / d21
                    d22 = a[k, k] / d21
                    t = 1.0 / (d11 * d22 - 1.0)
                    d21 = t / d21
                    wk = d21 * (d11 * a[k + 2 :, k] - a[k + 2 :, k + 1])
                    wkp1 = d21 * (d22 * a[k + 2 :, k + 1] - a[k + 2 :, k])
                    ck, ck1 = a[k + 2 :, k].copy(), a[k + 2 :, k + 1].copy()
                    a[k + 2 :, k + 2 :] -= np.outer(ck, wk) + np.outer(ck1, wkp1)
                    a[k + 2 :, k], a[k + 2 :, k + 1] = wk, wkp1
                    a[k, k + 2 :], a[k + 1, k + 2 :] = wk, wkp1
        if kstep == 1:
            ipiv[k] = kp + 1
        else:
            ipiv[k] = ipiv[k + 1] = -(kp + 1)
        k += kstep
    return np.tril(a), ipiv, info


def _ldl_matrix(ld: np.ndarray, piv: np.ndarray) -> np.ndarray:
    """The symmetric matrix L D Lᵀ that dsytrf's (LD, 1-based pivots), lower, stand for."""
    n = ld.shape[0]
    total, d = np.eye(n, dtype=ld.dtype), np.zeros_like(ld)
    k = 0
    while k < n:
        step = 1 if piv[k] > 0 else 2
        p, kk = abs(int(piv[k])) - 1, k + step - 1
        perm = np.arange(n)
        perm[kk], perm[p] = p, kk
        lk = np.eye(n, dtype=ld.dtype)
        lk[k + step :, k : k + step] = ld[k + step :, k : k + step]
        block = np.tril(ld[k : k + step, k : k + step])
        d[k : k + step, k : k + step] = block + np.tril(block, -1).T
        total = total[:, perm] @ lk
        k += step
    return total @ d @ total.T


def ldl_factor_ex(A: Any, *, hermitian: bool = False, check_errors: bool = False) -> LDLFactorExResult:
    """The LDLᵀ factorization with Bunch-Kaufman pivoting (``torch.linalg.ldl_factor_ex``), read
    from A's lower triangle; no gradient.

    Parameters
    ----------
    A : Tensor or array_like
        Symmetric matrices, shape ``(..., n, n)``.
    hermitian : bool
        Accepted for torch's signature: real symmetric and Hermitian are the same here.
    check_errors : bool
        Raise if some info is nonzero (default False).

    Returns
    -------
    autograd.linalg.LDLFactorExResult
        ``(LD, pivots, info)``.

    Raises
    ------
    numpy.linalg.LinAlgError
        With ``check_errors``, if some D is singular.
    ValueError
        If A is not a (batch of) square matrix.
    """
    a = _matrices("ldl_factor_ex", A)
    eager_only("ldl_factor", "the pivots")
    n = a.shape[-1]
    flat = a.data.reshape(-1, n, n)
    parts = [_sytf2_lower(x) for x in flat]
    ld = np.stack([p[0] for p in parts]) if parts else np.zeros_like(flat)
    piv = np.stack([p[1] for p in parts]) if parts else np.zeros((0, n), np.int32)
    info = np.array([p[2] for p in parts], dtype=np.int32)
    if check_errors and info.any():
        raise LinAlgError(f"linalg.ldl_factor_ex: D is singular (info = {int(info.max())})")
    batch = a.shape[:-2]
    return LDLFactorExResult(
        Tensor(ld.reshape(a.shape), dtype=a.data.dtype),
        _ints(piv.reshape(batch + (n,))),
        _ints(info.reshape(batch)),
    )


def ldl_factor(A: Any, *, hermitian: bool = False) -> LDLFactorResult:
    """The LDLᵀ factorization with Bunch-Kaufman pivoting (``torch.linalg.ldl_factor``); see
    :func:`ldl_factor_ex`.

    Parameters
    ----------
    A : Tensor or array_like
        Symmetric matrices, shape ``(..., n, n)``.
    hermitian : bool
        Accepted for torch's signature.

    Returns
    -------
    autograd.linalg.LDLFactorResult
        ``(LD, pivots)``.

    Raises
    ------
    numpy.linalg.LinAlgError
        If some D is singular (torch raises a RuntimeError there).
    """
    ld, piv, info = ldl_factor_ex(A, hermitian=hermitian)
    if info.data.any():
        raise LinAlgError(f"linalg.ldl_factor: D is singular (info = {int(info.data.max())})")
    return LDLFactorResult(ld, piv)


def ldl_solve(LD: Any, pivots: Any, B: Any, *, hermitian: bool = False) -> Tensor:  # noqa: N803
    """X with A X = B from A's LDLᵀ factors (``torch.linalg.ldl_solve``); differentiable in B
    (the factors are constants).

    Parameters
    ----------
    LD : Tensor or array_like
        :func:`ldl_factor`'s LD, ``(..., n, n)``.
    pivots : Tensor or array_like of int
        Its pivots, ``(..., n)``.
    B : Tensor or array_like
        Right-hand sides, ``(..., n, k)``.
    hermitian : bool
        Accepted for torch's signature.

    Returns
    -------
    Tensor
        X.

    Raises
    ------
    ValueError
        If the shapes do not fit or a pivot is out of range.
    """
    ld = _matrices("ldl_solve", LD)
    b = as_tensor(B)
    n = ld.shape[-1]
    piv = np.asarray(pivots.data if isinstance(pivots, Tensor) else pivots)
    if piv.shape != ld.shape[:-1] or piv.dtype.kind not in "iu" or np.any((piv == 0) | (np.abs(piv) > n)):
        raise ValueError(
            f"linalg.ldl_solve: pivots must be nonzero ints in [-{n}, {n}] of shape {ld.shape[:-1]}, got "
            f"{piv.dtype} of shape {piv.shape}"
        )
    if b.ndim < 2 or b.shape[-2] != n:
        raise ValueError(f"linalg.ldl_solve: B must be matrices (..., {n}, k), got shape {b.shape}")
    flat, flat_piv = ld.data.reshape(-1, n, n), piv.reshape(-1, n)
    a = np.stack([_ldl_matrix(x, p) for x, p in zip(flat, flat_piv)]) if len(flat) else flat
    return solve(Tensor(a.reshape(ld.shape), dtype=ld.data.dtype), b)
