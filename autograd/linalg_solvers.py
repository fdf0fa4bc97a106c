"""``autograd.linalg``'s factorizations and solvers composed of primitives: qr, lu_factor, lu,
lu_solve, solve_triangular, lstsq, the ``*_ex`` forms with LAPACK's ``info``, tensorinv,
tensorsolve, and torch's top-level cholesky_solve and cholesky_inverse.

Each is an expression of differentiable operations (indexing, matmul, solve, cholesky, pinv), so
its gradient, to any order, is the engine's derivative of what it computes:

- LU is Gaussian elimination with partial pivoting written in Tensor operations (a step per
  column); the pivots are LAPACK's choice (the largest magnitude, the first of ties), constants.
- QR's values are LAPACK's (NumPy's Householder QR, with its signs); its gradient is that of
  Q = A R⁻¹, Rᵀ R = AᵀA (the Cholesky factor of the Gram matrix, with LAPACK's signs), the same
  function, so the gradient is torch's (full column rank needed, as in torch).

The functions that take their path from the numbers (LU's pivots, the ``*_ex`` forms' failed
matrices, lstsq's rank) raise :class:`autograd.compiled.CompileError` inside ``autograd.compile``, whose
replay would keep the trace's path; QR reads each call's numbers (``nograd``) and compiles.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from . import ops
from ._errors import LinAlgError
from ._operands import as_tensor, as_tensors
from ._tensor import Tensor, concatenate, nograd, where
from .graph import CompileError, is_tracing
from .linalg import _DEFERRED, _matrices, _mT, cholesky, inv, pinv, solve, svdvals
from .numpy_dispatch import implements

__all__ = [*_DEFERRED[".linalg_solvers"], "cholesky_inverse", "cholesky_solve", "lu_info"]


class LUFactorResult(NamedTuple):
    """``lu_factor``'s result: ``LU`` (L below the diagonal, its unit diagonal implied; U on and
    above) and ``pivots`` (LAPACK's 1-based row interchanges, int32, no gradient)."""

    LU: Tensor
    pivots: Tensor


class LUFactorExResult(NamedTuple):
    """``lu_factor_ex``'s result: ``LU``, ``pivots`` and ``info`` (int32: 0, or the 1-based
    index of U's first zero diagonal entry)."""

    LU: Tensor
    pivots: Tensor
    info: Tensor


class LUResult(NamedTuple):
    """``lu``'s result, A = P L U: the permutation matrix ``P``, unit lower ``L``, upper ``U``."""

    P: Tensor
    L: Tensor
    U: Tensor


class QRResult(NamedTuple):
    """``qr``'s result, A = Q R: ``Q`` with orthonormal columns, ``R`` upper triangular."""

    Q: Tensor
    R: Tensor


class LstsqResult(NamedTuple):
    """``lstsq``'s result, with what torch's CPU drivers return: ``solution``; ``residuals``
    (squared residual norms of each column, when m > n and A has full rank; else empty),
    ``rank`` (int64; empty for "gels") and ``singular_values`` (for "gelsd" and "gelss"; else
    empty)."""

    solution: Tensor
    residuals: Tensor
    rank: Tensor
    singular_values: Tensor


class InvExResult(NamedTuple):
    """``inv_ex``'s result: ``inverse`` (nan where A is singular) and ``info`` (int32)."""

    inverse: Tensor
    info: Tensor


class CholeskyExResult(NamedTuple):
    """``cholesky_ex``'s result: ``L`` (nan where A is not positive-definite) and ``info``
    (int32: 0, or the order of the first leading minor that is not positive-definite)."""

    L: Tensor
    info: Tensor


class SolveExResult(NamedTuple):
    """``solve_ex``'s result: ``result`` (nan where A is singular) and ``info`` (int32)."""

    result: Tensor
    info: Tensor


def eager_only(name: str, why: str) -> None:
    """A CompileError while a compiled step is traced: ``name`` takes its path from the numbers
    of the call (``why``), which a replay would not follow."""
    if is_tracing():
        raise CompileError(
            f"linalg.{name}: {why} are chosen from the numbers of each call, so a compiled step cannot "
            "replay it; call it outside autograd.compile"
        )


def _ints(data: np.ndarray) -> Tensor:
    """An integer array as a Tensor of its dtype (pivots, info, ranks: no gradient)."""
    return Tensor._node(np.asarray(data))


# ---------------------------------------------------------------------------- LU
def _lu_steps(a: Tensor) -> tuple[Tensor, np.ndarray, np.ndarray]:
    """Gaussian elimination with partial pivoting of (..., m, n) ``a`` in Tensor operations.

    Returns the packed LU factors (as LAPACK's getrf), the 0-based pivots (..., k) (row i was
    swapped with row pivots[i] at step i) and info (..., ), LAPACK's.
    """
    eager_only("lu", "the pivots")
    *batch, m, n = a.shape
    k = min(m, n)
    flat = a.reshape(-1, m, n)
    count = flat.shape[0]
    pivots = np.zeros((count, k), dtype=np.intp)
    info = np.zeros(count, dtype=np.int32)
    rows, cols = np.arange(m), np.arange(n)
    batch_index = np.arange(count)[:, None]
    for j in range(k):
        p = j + np.argmax(np.abs(flat.data[:, j:, j]), axis=1)
        pivots[:, j] = p
        order = np.broadcast_to(rows, (count, m)).copy()
        order[:, j], order[np.arange(count), p] = p, j
        if np.any(p != j):
            flat = flat[batch_index, order]
        pivot = flat[:, j : j + 1, j : j + 1]
        zero = pivot.data == 0
        info[(info == 0) & zero[:, 0, 0]] = j + 1
        below = (rows > j)[:, None]
        column = (flat[:, :, j : j + 1] / pivot.where(~zero, 1.0)).where(below, 0.0)
        row = flat[:, j : j + 1, :].where(cols > j, 0.0)
        flat = where(below & (cols == j), column, flat - column @ row)
    return flat.reshape(a.shape), pivots.reshape(*batch, k), info.reshape(batch)


def lu_info(data: np.ndarray) -> np.ndarray:
    """LAPACK getrf's ``info`` of each matrix in ``data`` (..., n, n): 0, or the 1-based index of
    U's first zero diagonal entry (int32). No gradient."""
    if data.size == 0:
        return np.zeros(data.shape[:-2], dtype=np.int32)
    return _lu_steps(Tensor(data))[2]


def _permutation(pivots: np.ndarray, m: int) -> np.ndarray:
    """The row order (..., m) the 0-based pivots' interchanges give: A[order] = L U."""
    order = np.broadcast_to(np.arange(m), pivots.shape[:-1] + (m,)).copy()
    flat, piv = order.reshape(-1, m), pivots.reshape(-1, pivots.shape[-1])
    for b in range(flat.shape[0]):
        for j, p in enumerate(piv[b]):
            flat[b, [j, p]] = flat[b, [p, j]]
    return flat.reshape(order.shape)


def lu_factor_ex(A: Any, *, pivot: bool = True, check_errors: bool = False) -> LUFactorExResult:
    """The LU factorization with partial pivoting, packed as LAPACK's getrf
    (``torch.linalg.lu_factor_ex``), with ``info`` instead of an error for a singular A.

    Parameters
    ----------
    A : Tensor or array_like
        Matrices, shape ``(..., m, n)``.
    pivot : bool
        Only True (torch's CPU has no LU without pivoting).
    check_errors : bool
        Raise if some info is nonzero (default False).

    Returns
    -------
    autograd.linalg.LUFactorExResult
        ``(LU, pivots, info)``: LU of A's shape, pivots (..., min(m, n)) int32 1-based, info int32.

    Raises
    ------
    ValueError
        If A has fewer than 2 dimensions or ``pivot`` is False.
    numpy.linalg.LinAlgError
        With ``check_errors``, if some U has a zero diagonal entry.
    """
    a = _matrices("lu_factor_ex", A, square=False)
    if not pivot:
        raise ValueError(
            "linalg.lu_factor: pivot must be True (LU without pivoting is not implemented on the CPU)"
        )
    lu_, pivots, info = _lu_steps(a)
    if check_errors and np.any(info):
        raise LinAlgError(f"linalg.lu_factor_ex: U has a zero diagonal entry (info = {info.max()})")
    return LUFactorExResult(lu_, _ints((pivots + 1).astype(np.int32)), _ints(info))


def lu_factor(A: Any, *, pivot: bool = True) -> LUFactorResult:
    """The LU factorization with partial pivoting, packed as LAPACK's getrf
    (``torch.linalg.lu_factor``); the gradient is that of the elimination (full rank needed).

    Parameters
    ----------
    A : Tensor or array_like
        Matrices, shape ``(..., m, n)``.
    pivot : bool
        Only True (torch's CPU has no LU without pivoting).

    Returns
    -------
    autograd.linalg.LUFactorResult
        ``(LU, pivots)``, pivots int32 and 1-based as torch's.

    Raises
    ------
    numpy.linalg.LinAlgError
        If some U has a zero diagonal entry (A square and singular), as torch.
    ValueError
        If A has fewer than 2 dimensions or ``pivot`` is False.
    """
    lu_, pivots, info = lu_factor_ex(A, pivot=pivot)
    if np.any(info.data):
        i = int(info.data.max()) - 1
        raise LinAlgError(
            f"linalg.lu_factor: U[{i},{i}] is zero (A is singular); linalg.lu or lu_factor_ex factor it"
        )
    return LUFactorResult(lu_, pivots)


def lu(A: Any, *, pivot: bool = True) -> LUResult:
    """A = P L U with partial pivoting (``torch.linalg.lu``): P a permutation matrix, L unit lower
    (m × k), U upper (k × n), k = min(m, n). Singular A is factored (U has a zero on its diagonal).

    Parameters
    ----------
    A : Tensor or array_like
        Matrices, shape ``(..., m, n)``.
    pivot : bool
        Only True.

    Returns
    -------
    autograd.linalg.LUResult
        ``(P, L, U)``.

    Raises
    ------
    ValueError
        If A has fewer than 2 dimensions or ``pivot`` is False.
    """
    lu_, pivots, _ = lu_factor_ex(A, pivot=pivot)
    *batch, m, n = lu_.shape
    k = min(m, n)
    order = _permutation(pivots.data.astype(np.intp) - 1, m)
    p = np.zeros((*batch, m, m), dtype=lu_.data.dtype)
    np.put_along_axis(p, order[..., None, :], 1.0, axis=-2)  # P[order[i], i] = 1
    lower = np.tri(m, k, -1, dtype=bool)
    low = lu_[..., :, :k].where(lower, 0.0) + np.eye(m, k, dtype=lu_.data.dtype)
    up = lu_[..., :k, :].where(np.triu(np.ones((k, n), bool)), 0.0)
    return LUResult(Tensor(p), low, up)


def lu_solve(LU: Any, pivots: Any, B: Any, *, left: bool = True, adjoint: bool = False) -> Tensor:  # noqa: N803
    """X with A X = B from A's packed LU factors (``torch.linalg.lu_solve``): ``left=False``
    solves X A = B, ``adjoint=True`` uses Aᵀ. Differentiable in LU and B.

    Parameters
    ----------
    LU : Tensor
        :func:`lu_factor`'s LU, shape ``(..., n, n)``.
    pivots : Tensor or array_like of int
        Its 1-based pivots, shape ``(..., n)``.
    B : Tensor or array_like
        Right-hand sides, shape ``(..., n, k)`` (``(..., k, n)`` with ``left=False``).
    left, adjoint : bool
        Solve A X = B (default), X A = B (left=False); with Aᵀ in place of A (adjoint=True).

    Returns
    -------
    Tensor
        X, shape of B broadcast with the batch.

    Raises
    ------
    ValueError
        If the shapes do not fit or a pivot is out of range.
    """
    lu_, b = as_tensors(LU, B)
    lu_ = _matrices("lu_solve", lu_)
    n = lu_.shape[-1]
    piv = np.asarray(pivots.data if isinstance(pivots, Tensor) else pivots)
    if piv.shape != lu_.shape[:-1] or piv.dtype.kind not in "iu" or np.any((piv < 1) | (piv > n)):
        raise ValueError(
            f"linalg.lu_solve: pivots must be ints in [1, {n}] of shape {lu_.shape[:-1]}, got {piv.dtype} "
            f"of shape {piv.shape}"
        )
    if b.ndim < 2:
        raise ValueError(f"linalg.lu_solve: B must be matrices (..., n, k), got shape {b.shape}")
    if not left:  # X A = B  <=>  Aᵀ Xᵀ = Bᵀ
        return _mT(lu_solve(lu_, pivots, _mT(b), adjoint=not adjoint))
    order = _permutation(piv.astype(np.intp) - 1, n)
    low = lu_.where(np.tri(n, k=-1, dtype=bool), 0.0) + np.eye(n, dtype=lu_.data.dtype)
    up = lu_.where(np.triu(np.ones((n, n), bool)), 0.0)
    if b.shape[-2] != n:
        raise ValueError(f"linalg.lu_solve: B must have {n} rows, got shape {b.shape}")
    batch = np.broadcast_shapes(lu_.shape[:-2], b.shape[:-2])
    b = b.expand(*batch, *b.shape[-2:])
    order = np.broadcast_to(order, batch + (n,))
    index = tuple(ix[..., None] for ix in np.indices(batch, sparse=True)) if batch else ()
    if not adjoint:  # P L U X = B: X = U⁻¹ L⁻¹ (Pᵀ B), Pᵀ B = B[order]
        return solve(up, solve(low, b[index + (order,)] if batch else b[order]))
    y = solve(_mT(low), solve(_mT(up), b))  # Uᵀ Lᵀ Pᵀ X = B: Pᵀ X = y, X[order] = y
    inverse = np.argsort(order, axis=-1)
    return y[index + (inverse,)] if batch else y[inverse]


# ---------------------------------------------------------------------------- triangular and Cholesky solves
def solve_triangular(
    A: Any, B: Any, *, upper: bool, left: bool = True, unitriangular: bool = False
) -> Tensor:
    """X with A X = B for triangular A (``torch.linalg.solve_triangular``): only A's triangle
    ``upper`` is read (its diagonal taken as 1 with ``unitriangular``), so the gradient lies on it.
    A zero on the triangle's diagonal gives inf and nan, as torch's (no error).

    Parameters
    ----------
    A : Tensor or array_like
        Square matrices, shape ``(..., n, n)``.
    B : Tensor or array_like
        Matrices, ``(..., n, k)`` (``(..., k, n)`` with ``left=False``).
    upper : bool
        Read the upper (True) or lower triangle; keyword-only and required, as torch's.
    left : bool
        Solve A X = B (default) or X A = B.
    unitriangular : bool
        Take A's diagonal as ones.

    Returns
    -------
    Tensor
        X.

    Raises
    ------
    ValueError
        If A is not square or B is not a matrix of matching size.
    """
    a, b = as_tensors(A, B)
    a = _matrices("solve_triangular", a)
    if b.ndim < 2:
        raise ValueError(f"linalg.solve_triangular: B must be matrices (..., n, k), got shape {b.shape}")
    n = a.shape[-1]
    keep = np.triu(np.ones((n, n), bool), 1 if unitriangular else 0)
    if not upper:
        keep = keep.T
    t = a.where(keep, 0.0) + (np.eye(n, dtype=a.data.dtype) if unitriangular else 0.0)
    return _triangular("solve_triangular", t, b, upper, left)


def _triangular(name: str, a: Tensor, b: Tensor, upper: bool, left: bool = True) -> Tensor:
    """X with A X = B (``left=False``: X A = B) for triangular A, by the substitution primitive."""
    if left:
        if b.shape[-2] != a.shape[-1]:
            raise ValueError(f"linalg.{name}: B must have {a.shape[-1]} rows to match A, got shape {b.shape}")
        return Tensor._apply(ops.SOLVE_TRIANGULAR, a, b, upper=upper)
    return _mT(_triangular(name, _mT(a), _mT(b), not upper))


def cholesky_solve(B: Any, L: Any, upper: bool = False) -> Tensor:  # noqa: N803
    """X with A X = B for A = L Lᵀ given its Cholesky factor (``torch.cholesky_solve``; with
    ``upper``, A = Uᵀ U). The gradient is torch's: that of (L Lᵀ)⁻¹ B in the whole of L (not only
    its triangle). A zero on the factor's diagonal gives inf and nan, as torch's (no error).

    Parameters
    ----------
    B : Tensor or array_like
        Right-hand sides, ``(..., n, k)``.
    L : Tensor or array_like
        The triangular factor, ``(..., n, n)``.
    upper : bool
        The factor is upper triangular U (default False: L).

    Returns
    -------
    Tensor
        X.
    """
    b, f = as_tensors(B, L)
    low = _mT(_matrices("cholesky_solve", f)) if upper else _matrices("cholesky_solve", f)
    if b.ndim < 2:
        raise ValueError(f"linalg.cholesky_solve: B must be matrices (..., n, k), got shape {b.shape}")
    return _triangular("cholesky_solve", _mT(low), _triangular("cholesky_solve", low, b, False), True)


def cholesky_inverse(L: Any, upper: bool = False) -> Tensor:  # noqa: N803
    """A⁻¹ for A = L Lᵀ from its Cholesky factor (``torch.cholesky_inverse``; ``upper``: A = Uᵀ U).

    Parameters
    ----------
    L : Tensor or array_like
        The factor, ``(..., n, n)``.
    upper : bool
        The factor is upper triangular (default False).

    Returns
    -------
    Tensor
        A⁻¹, symmetric.
    """
    f = _matrices("cholesky_inverse", L)
    zero = np.diagonal(f.data, axis1=-2, axis2=-1) == 0
    if zero.any():  # (torch's error and words; its solve, cholesky_solve, gives inf/nan)
        at = np.argwhere(zero)[0]
        where = (
            f"(Batch element {int(np.ravel_multi_index(at[:-1], zero.shape[:-1]))}): "
            if zero.ndim > 1
            else ""
        )
        raise LinAlgError(
            f"linalg.cholesky_inverse: {where}The diagonal element {int(at[-1]) + 1} is zero, the inversion "
            "could not be completed because the input matrix is singular."
        )
    eye = Tensor(np.broadcast_to(np.eye(f.shape[-1], dtype=f.data.dtype), f.shape).copy())
    return cholesky_solve(eye, f, upper)


# ---------------------------------------------------------------------------- QR and least squares
def _signs(r: np.ndarray, k: int) -> np.ndarray:
    d = np.sign(np.diagonal(r[..., :k, :k], axis1=-2, axis2=-1))
    return np.where(d == 0, 1.0, d).astype(r.dtype)


def _qr_square_or_tall(a: Tensor, d: Tensor) -> tuple[Tensor, Tensor]:
    """Q, R of a full-column-rank ``a`` (m >= n) with R's diagonal signs ``d``: Rᵀ R = AᵀA."""
    low = cholesky(_mT(a) @ a)
    q = _mT(solve_triangular(low, _mT(a), upper=False))
    dd = d.reshape(d.shape + (1,))
    return q * _mT(dd), dd * _mT(low)


def qr(A: Any, mode: str = "reduced") -> QRResult:
    """The QR decomposition A = Q R (``torch.linalg.qr``), LAPACK's (NumPy's) values and signs.

    ``mode``: "reduced" (Q m × k, R k × n, k = min(m, n)), "complete" (Q m × m, R m × n) or "r"
    (R only; Q is empty). The gradient is torch's: it needs full rank of A's first k columns;
    with "complete" and m > n the extra columns of Q are constants (torch refuses that gradient).

    Parameters
    ----------
    A : Tensor or array_like
        Matrices, shape ``(..., m, n)``.
    mode : {"reduced", "complete", "r"}
        Which factors (default "reduced").

    Returns
    -------
    autograd.linalg.QRResult
        ``(Q, R)``.

    Raises
    ------
    ValueError
        If ``mode`` is unknown or A has fewer than 2 dimensions.
    numpy.linalg.LinAlgError
        If A requires grad and its first k columns are rank-deficient (no gradient exists).
    """
    if mode not in ("reduced", "complete", "r"):
        raise ValueError(f"linalg.qr: mode must be 'reduced', 'complete' or 'r', got {mode!r}")
    a = _matrices("qr", A, square=False)
    m, n = a.shape[-2:]
    k = min(m, n)
    lapack = "complete" if mode == "complete" else "reduced"
    q_const = nograd(lambda x: np.linalg.qr(x, mode=lapack)[0], a)  # (each call's, when compiled)
    r_const = nograd(lambda x: np.linalg.qr(x, mode=lapack)[1], a)
    if a.requires_grad and a.data.size:
        d = nograd(lambda r: _signs(r, k), r_const)
        try:
            q, r = _qr_square_or_tall(a[..., :, :k], d)
        except np.linalg.LinAlgError:
            raise LinAlgError(
                f"linalg.qr: the gradient needs A's first {k} columns of full rank (shape {a.shape})"
            ) from None
        if n > k:
            r = concatenate([r, _mT(q) @ a[..., :, k:]], -1)
        if mode == "complete" and m > k:
            q = concatenate([q, q.detach()[..., :, :0] + q_const[..., :, k:]], -1)
            r = concatenate([r, r_const[..., k:, :]], -2)
        q_const = q_const + (q - q.detach())
        r_const = r_const + (r - r.detach())
    if mode == "r":
        return QRResult(Tensor(np.zeros(0, dtype=a.data.dtype)), r_const)
    return QRResult(q_const, r_const)


_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


def lstsq(A: Any, B: Any, rcond: float | None = None, *, driver: str | None = None) -> LstsqResult:
    """The least-squares solution X minimizing ‖A X - B‖ (``torch.linalg.lstsq``): X = A⁺ B (the
    minimum-norm one), with what torch's CPU ``driver`` returns beside it (see
    :class:`LstsqResult`; default "gelsy"). The gradient is A⁺'s (constant rank near A).

    Parameters
    ----------
    A : Tensor or array_like
        Matrices, shape ``(..., m, n)``.
    B : Tensor or array_like
        ``(..., m, k)``, or ``(..., m)`` vectors when B has one axis less than A.
    rcond : float, optional
        Singular values at most rcond × the largest count as 0 (default eps · max(m, n)).
    driver : {"gels", "gelsy", "gelsd", "gelss"}, optional
        Which LAPACK driver's extra results to return (default "gelsy").

    Returns
    -------
    autograd.linalg.LstsqResult
        ``(solution, residuals, rank, singular_values)``.

    Raises
    ------
    ValueError
        If the shapes do not fit or ``driver`` is unknown.
    """
    a, b = as_tensors(A, B)
    a = _matrices("lstsq", a, square=False)
    eager_only("lstsq", "the rank and the residuals")
    driver = "gelsy" if driver is None else driver
    if driver not in _DRIVERS:
        raise ValueError(f"linalg.lstsq: driver must be one of {', '.join(_DRIVERS)}, got {driver!r}")
    vector = b.ndim == a.ndim - 1
    bm = b.reshape(b.shape + (1,)) if vector else b
    m, n = a.shape[-2:]
    if bm.ndim < 2 or bm.shape[-2] != m:
        raise ValueError(f"linalg.lstsq: B must have {m} rows to match A {a.shape}, got shape {b.shape}")
    cutoff = np.finfo(a.data.dtype).eps * max(m, n) if rcond is None or rcond < 0 else rcond
    x = pinv(a, rtol=cutoff) @ bm
    empty = Tensor(np.zeros(0, dtype=a.data.dtype))
    rank = _ints(np.zeros(0, dtype=np.int64))
    if driver != "gels":
        s = np.linalg.svd(a.data, compute_uv=False) if a.data.size else np.zeros(a.shape[:-2] + (0,))
        rank = _ints(np.sum(s > cutoff * s.max(-1, keepdims=True, initial=0), -1).astype(np.int64))
    residuals = empty
    if m > n and driver != "gelsy" and (driver == "gels" or np.all(rank.data == n)):
        residuals = ((a @ x - bm) ** 2).sum(-2)
        residuals = residuals.reshape(residuals.shape[:-1]) if vector else residuals
    sv = svdvals(a).detach() if driver in ("gelsd", "gelss") else empty  # (no gradient, as torch)
    return LstsqResult(x.reshape(x.shape[:-1]) if vector else x, residuals, rank, sv)


# ---------------------------------------------------------------------------- the *_ex forms
def _replace_failed(a: Tensor, failed: np.ndarray) -> Tensor:
    """``a`` with the failed matrices of the batch replaced by the identity (so the factorization
    of the rest runs); their results are set to nan afterwards."""
    if not np.any(failed):
        return a
    mask = np.broadcast_to(failed[..., None, None], a.shape)
    return a.where(~mask, np.broadcast_to(np.eye(a.shape[-1], dtype=a.data.dtype), a.shape))


def _info_error(name: str, info: np.ndarray, what: str) -> None:
    if np.any(info):
        raise LinAlgError(f"linalg.{name}: {what} (info = {int(info.max())})")


def inv_ex(A: Any, *, check_errors: bool = False) -> InvExResult:
    """A⁻¹ and LAPACK's ``info`` (``torch.linalg.inv_ex``): nan where A is singular (torch's values
    there are LAPACK's leftovers) instead of an error.

    Parameters
    ----------
    A : Tensor or array_like
        Square matrices, shape ``(..., n, n)``.
    check_errors : bool
        Raise if some A is singular (default False).

    Returns
    -------
    autograd.linalg.InvExResult
        ``(inverse, info)``, info int32 of shape ``A.shape[:-2]``.
    """
    a = _matrices("inv_ex", A)
    info = lu_info(a.data)
    if check_errors:
        _info_error("inv_ex", info, "A is singular")
    out = inv(_replace_failed(a, info > 0))
    return InvExResult(out.where(~(info > 0)[..., None, None], np.nan), _ints(info))


def solve_ex(A: Any, B: Any, *, left: bool = True, check_errors: bool = False) -> SolveExResult:
    """X with A X = B and LAPACK's ``info`` (``torch.linalg.solve_ex``): nan where A is singular.

    Parameters
    ----------
    A : Tensor or array_like
        Square matrices, shape ``(..., n, n)``.
    B : Tensor or array_like
        As :func:`autograd.linalg.solve`'s.
    left : bool
        Solve A X = B (default) or X A = B.
    check_errors : bool
        Raise if some A is singular (default False).

    Returns
    -------
    autograd.linalg.SolveExResult
        ``(result, info)``.
    """
    a, b = as_tensors(A, B)
    a = _matrices("solve_ex", a)
    info = lu_info(a.data)
    if check_errors:
        _info_error("solve_ex", info, "A is singular")
    x = solve(_replace_failed(a, info > 0), b, left=left)
    failed = info > 0
    if np.any(failed):
        vector = x.ndim == a.ndim - 1 or b.ndim == 1
        x = x.where(~np.broadcast_to(failed[(...,) + (None,) * (1 if vector else 2)], x.shape), np.nan)
    return SolveExResult(x, _ints(info))


def _cholesky_info(data: np.ndarray) -> np.ndarray:
    """potrf's info of each matrix (lower triangle read): the order of the first leading minor
    that is not positive-definite, or 0."""
    flat = data.reshape(-1, *data.shape[-2:])
    info = np.zeros(flat.shape[0], dtype=np.int32)
    for i, x in enumerate(flat):
        try:
            np.linalg.cholesky(x)
        except np.linalg.LinAlgError:
            info[i] = next(k for k in range(1, x.shape[0] + 1) if not _is_pd(x[:k, :k]))
    return info.reshape(data.shape[:-2])


def _is_pd(x: np.ndarray) -> bool:
    try:
        np.linalg.cholesky(x)
        return True
    except np.linalg.LinAlgError:
        return False


def cholesky_ex(A: Any, *, upper: bool = False, check_errors: bool = False) -> CholeskyExResult:
    """The Cholesky factor and LAPACK's ``info`` (``torch.linalg.cholesky_ex``): nan where A is not
    positive-definite (torch's values there are a partial factor) instead of an error.

    Parameters
    ----------
    A : Tensor or array_like
        Symmetric matrices, shape ``(..., n, n)`` (the lower triangle is read).
    upper : bool
        Return U = Lᵀ (default False).
    check_errors : bool
        Raise if some A is not positive-definite (default False).

    Returns
    -------
    autograd.linalg.CholeskyExResult
        ``(L, info)``.
    """
    a = _matrices("cholesky_ex", A)
    eager_only("cholesky_ex", "the failed matrices")
    info = _cholesky_info(a.data) if a.data.size else np.zeros(a.shape[:-2], np.int32)
    if check_errors:
        _info_error("cholesky_ex", info, "A is not positive-definite")
    low = cholesky(_replace_failed(a, info > 0), upper=upper)
    return CholeskyExResult(low.where(~(info > 0)[..., None, None], np.nan), _ints(info))


# ---------------------------------------------------------------------------- tensor forms
def tensorinv(A: Any, ind: int = 2) -> Tensor:
    """The inverse of A read as a linear map from its last axes to its first ``ind``
    (``torch.linalg.tensorinv``): shape ``A.shape[ind:] + A.shape[:ind]``.

    Parameters
    ----------
    A : Tensor or array_like
        With prod(A.shape[:ind]) == prod(A.shape[ind:]).
    ind : int
        How many leading axes are the output's (default 2).

    Returns
    -------
    Tensor
        The inverse map.

    Raises
    ------
    ValueError
        If ``ind`` is not positive or the two products differ.
    """
    a = as_tensor(A)
    if isinstance(ind, bool) or not isinstance(ind, (int, np.integer)) or ind <= 0:
        raise ValueError(f"linalg.tensorinv: ind must be a positive int, got {ind!r}")
    rows, cols = int(np.prod(a.shape[:ind])), int(np.prod(a.shape[ind:]))
    if rows != cols:
        raise ValueError(
            f"linalg.tensorinv: prod(A.shape[:ind]) must equal prod(A.shape[ind:]), got {rows} and {cols} "
            f"(shape {a.shape}, ind={ind})"
        )
    return inv(a.reshape(rows, cols)).reshape(a.shape[ind:] + a.shape[:ind])


def tensorsolve(A: Any, B: Any, dims: Any = None) -> Tensor:
    """X with tensordot(A, X, X.ndim) = B (``torch.linalg.tensorsolve``); ``dims`` moves those axes
    of A to the end first.

    Parameters
    ----------
    A : Tensor or array_like
        With prod(A.shape[B.ndim:]) == B's size.
    B : Tensor or array_like
        The right-hand side, A.shape[:B.ndim].
    dims : tuple of int, optional
        Axes of A moved to the end.

    Returns
    -------
    Tensor
        X, shape ``A.shape[B.ndim:]``.

    Raises
    ------
    ValueError
        If the shapes do not fit.
    """
    a, b = as_tensors(A, B)
    if dims is not None:
        moved = [d % a.ndim for d in dims]
        a = a.permute(*[i for i in range(a.ndim) if i not in moved], *moved)
    if a.shape[: b.ndim] != b.shape:
        raise ValueError(f"linalg.tensorsolve: B's shape {b.shape} must be A's leading axes, A is {a.shape}")
    rest = a.shape[b.ndim :]
    size = int(np.prod(rest))
    if size != b.data.size:
        raise ValueError(
            f"linalg.tensorsolve: prod(A.shape[B.ndim:]) must equal B's size, got {size} and {b.data.size}"
        )
    return solve(a.reshape(size, size), b.reshape(size)).reshape(rest)


def qr_with_some(input: Any, some: bool = True) -> QRResult:
    """``torch.qr`` (deprecated in torch for ``torch.linalg.qr``), the top-level ``autograd.qr``:
    :func:`autograd.linalg.qr` with mode "reduced" (``some=True``) or "complete".

    Parameters
    ----------
    input : Tensor or array_like
        Matrices, shape ``(..., m, n)``.
    some : bool
        Reduced factors (default True) or complete ones.

    Returns
    -------
    autograd.linalg.QRResult
        ``(Q, R)``.
    """
    return qr(input, "reduced" if some else "complete")


def householder_product(A: Any, tau: Any) -> Tensor:
    r"""The first n columns of the product of Householder reflectors
    :math:`H_1 \cdots H_k`, :math:`H_i = I - \tau_i v_i v_i^T` (``torch.linalg.householder_product``,
    LAPACK's orgqr): :math:`v_i` is 1 at i, A's column i below it, 0 above. With ``torch.geqrf``'s
    output it gives QR's Q. Differentiable in A and tau.

    Parameters
    ----------
    A : Tensor or array_like
        The reflectors' vectors below the diagonal, shape ``(..., m, n)``, m ≥ n.
    tau : Tensor or array_like
        Their scales, shape ``(..., k)``, k ≤ n.

    Returns
    -------
    Tensor
        Shape ``(..., m, n)``.

    Raises
    ------
    ValueError
        If m < n, or tau has more than n entries or another batch.
    """
    a, t = as_tensors(A, tau)
    a = _matrices("householder_product", a, square=False)
    m, n = a.shape[-2:]
    if m < n or t.ndim < 1 or t.shape[-1] > n or t.shape[:-1] != a.shape[:-2]:
        raise ValueError(
            f"linalg.householder_product: A must be (..., m, n) with m >= n and tau (..., k) with k <= n and "
            f"A's batch; got A {a.shape}, tau {t.shape}"
        )
    rows = np.arange(m)[:, None]
    q = Tensor(np.broadcast_to(np.eye(m, n, dtype=a.data.dtype), a.shape).copy())
    for i in reversed(range(t.shape[-1])):  # Q = H_1 (H_2 (... H_k I))
        v = a[..., :, i : i + 1].where(rows > i, 0.0) + (rows == i).astype(a.data.dtype)
        q = q - (v * t[..., i : i + 1, None]) @ (_mT(v) @ q)
    return q


# NumPy's spellings on Tensors
@implements(np.linalg.tensorinv)
def _np_tensorinv(a: Any, ind: int = 2) -> Tensor:
    return tensorinv(a, ind)


@implements(np.linalg.tensorsolve)
def _np_tensorsolve(a: Any, b: Any, axes: Any = None) -> Tensor:
    return tensorsolve(a, b, axes)


@implements(np.linalg.qr)
def _np_qr(a: Any, mode: str = "reduced") -> Any:
    if mode == "raw":
        raise TypeError(
            "numpy.linalg.qr on a Tensor: mode='raw' is not supported; use 'reduced', 'complete' or 'r'"
        )
    return qr(a, mode).R if mode == "r" else qr(a, mode)


@implements(np.linalg.lstsq)
def _np_lstsq(a: Any, b: Any, rcond: Any = None) -> tuple[Tensor, Tensor, Any, Tensor]:
    x, rhs = as_tensors(a, b)
    m, n = _matrices("lstsq", x, square=False).shape[-2:]
    if x.ndim != 2:
        raise ValueError(f"numpy.linalg.lstsq: a must be 2-d, got shape {x.shape}")
    solution, _, rank, s = lstsq(x, rhs, rcond, driver="gelsd")
    full = m > n and int(rank.data) == n
    residuals = ((x @ solution - rhs) ** 2).sum(0) if full else Tensor(np.zeros(0, dtype=x.dtype))
    return solution, residuals.reshape(1) if full and rhs.ndim == 1 else residuals, int(rank.data), s
