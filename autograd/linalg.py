"""``autograd.linalg``: linear algebra on Tensors with ``torch.linalg``'s names and semantics;
``np.linalg.<name>(t)`` on Tensors with NumPy's.

inv, det, slogdet, solve, cholesky, pinv, eigh and svd are primitives (``autograd/ops/linalg.py``:
NumPy's LAPACK forward, PyTorch's adjoint rules, differentiable again); the norms, logdet,
eigvalsh, svdvals, cross and matmul are composed from primitives. Matrices are the last two axes
of a tensor; the leading axes are a batch. The rest of ``torch.linalg`` is composed of these:
products and norms (matrix_exp, matrix_power, multi_dot, cond, ...) in ``linalg_functions.py``,
factorizations and solvers (qr, lu, lu_solve, solve_triangular, lstsq, the ``*_ex`` forms, ...) in
``linalg_solvers.py``, the Bunch-Kaufman LDLᵀ (ldl_factor, ldl_solve) in ``linalg_ldl.py``.

Where the two libraries differ, each spelling keeps its own:

- ``solve(A, B)``: torch treats B as a batch of vectors when B.ndim == A.ndim - 1 and B's shape
  is A's without the last axis (or B is 1-d); NumPy 2 only when B is 1-d.
- ``eigh``, ``eigvalsh`` and ``cholesky`` read one triangle of A (LAPACK). torch's gradient is
  the symmetric one (as if A's other triangle moved with it); ``np.linalg``'s here is the
  derivative of what NumPy computes, so it lies on the triangle read (the two agree for
  symmetric inputs built from a variable, e.g. X Xᵀ).
- ``pinv``'s default cutoff: torch's max(m, n)·eps of the largest singular value, NumPy's 1e-15.

Singular and non-square matrices raise ``LinAlgError`` (NumPy's class, and a RuntimeError as
torch's) or ``ValueError`` naming the function, as torch does; the triangular solves
(``solve_triangular``, ``cholesky_solve``) give torch's inf and nan instead, as BLAS does.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from . import ops
from ._errors import LinAlgError  # (NumPy's class, and the RuntimeError torch's is)
from ._operands import as_tensor, as_tensors, tensor_methods
from ._tensor import TENSORS, Tensor, concatenate, nograd, where
from .composite import Axis, normalize_axis, torch_names
from .dtypes import as_dtype, refuse_integers, torch_name
from .graph import is_tracing
from .numpy_dispatch import _NO, _refuse, implements
from .ops.linalg import eigh_parts, svd_parts
from .products import cross as _cross

__all__ = [
    "EighResult",
    "SVDResult",
    "SVDWithVResult",
    "SlogdetResult",
    "cholesky",
    "cross",
    "det",
    "eigh",
    "eigvalsh",
    "inv",
    "logdet",
    "matmul",
    "matrix_norm",
    "norm",
    "pinv",
    "slogdet",
    "solve",
    "svd",
    "svdvals",
    "vector_norm",
]


class SlogdetResult(NamedTuple):
    """``slogdet``'s result, with torch's and NumPy's field names.

    ``sign`` is the sign of det A (-1, 0 or 1), a constant Tensor (no gradient); ``logabsdet`` is
    log|det A|, the Tensor that carries the gradient.
    """

    sign: Tensor
    logabsdet: Tensor


class EighResult(NamedTuple):
    """``eigh``'s result: ``eigenvalues`` in ascending order, ``eigenvectors`` as the columns of a
    matrix (column i belongs to eigenvalue i).
    """

    eigenvalues: Tensor
    eigenvectors: Tensor


class SVDResult(NamedTuple):
    r"""``svd``'s result, :math:`A = U \operatorname{diag}(S) V_h`: ``U`` (left singular vectors as
    columns), ``S`` (singular values, descending) and ``Vh`` (right singular vectors as rows).
    """

    U: Tensor
    S: Tensor
    Vh: Tensor


# ---------------------------------------------------------------------------- checks
def _matrices(name: str, a: Any, square: bool = True) -> Tensor:
    """``a`` as a Tensor of (batches of) matrices, square if asked; else a ValueError."""
    x = as_tensor(a)
    if x.ndim < 2 or (square and x.shape[-1] != x.shape[-2]):
        what, dims = ("square matrix", "n, n") if square else ("matrix", "m, n")
        raise ValueError(
            f"linalg.{name}: A must be a {what} or a batch of them (shape (..., {dims})), got shape {x.shape}"
        )
    return x


def _factor(name: str, prim: Any, *inputs: Tensor, **params: Any) -> Tensor:
    """``prim`` on ``inputs``; LAPACK's failures as errors naming the function, as torch's."""
    try:
        return Tensor._apply(prim, *inputs, **params)
    except np.linalg.LinAlgError as e:
        if "positive definite" in str(e):
            why = "A is not positive-definite (a leading minor is not), so it has no Cholesky factor"
        elif "Singular" in str(e) or "singular" in str(e):
            why = "A is singular (not invertible)"
        else:
            why = str(e)
        shapes = ", ".join(str(x.shape) for x in inputs)
        raise LinAlgError(f"linalg.{name}: {why} (shape(s) {shapes})") from None


def _mT(x: Tensor) -> Tensor:
    return x.transpose(*range(x.ndim - 2), x.ndim - 1, x.ndim - 2)


# ---------------------------------------------------------------------------- inverse and determinants
def inv(A: Any) -> Tensor:
    r"""The inverse A⁻¹ of each matrix (``torch.linalg.inv``, ``np.linalg.inv``, ``Tensor.inverse``).

    Its gradient is :math:`-A^{-T} G A^{-T}` (from :math:`d(A^{-1}) = -A^{-1}\,dA\,A^{-1}`).

    Parameters
    ----------
    A : Tensor or array_like
        A square matrix, or a batch of them (shape ``(..., n, n)``).

    Returns
    -------
    Tensor
        A⁻¹, of ``A``'s shape.

    Raises
    ------
    numpy.linalg.LinAlgError
        If a matrix is singular (the message names the function).
    ValueError
        If ``A`` is not a (batch of) square matrix.
    """
    return _factor("inv", ops.INV, _matrices("inv", A))


def det(A: Any) -> Tensor:
    r"""The determinant det A of each matrix (``torch.linalg.det``, ``np.linalg.det``).

    Its gradient is the cofactor matrix, :math:`\operatorname{adj}(A)^T` (= det A · A⁻ᵀ where A is
    invertible), exact also where A is singular: at ``[[1, 2], [2, 4]]`` it is ``[[4, -2], [-2, 1]]``.

    Parameters
    ----------
    A : Tensor or array_like
        A square matrix, or a batch of them (shape ``(..., n, n)``).

    Returns
    -------
    Tensor
        det A, of shape ``A.shape[:-2]``.

    Raises
    ------
    ValueError
        If ``A`` is not a (batch of) square matrix.
    """
    return Tensor._apply(ops.DET, _matrices("det", A))


def slogdet(A: Any) -> SlogdetResult:
    """The sign and the log of the absolute value of det A (``torch.linalg.slogdet``,
    ``np.linalg.slogdet``): det A = sign · exp(logabsdet), without overflow.

    The gradient of log|det A| is :math:`A^{-T}`; where A is singular, log|det A| is -inf and its
    gradient infinite (see the numerics guide). The sign is a constant.

    Parameters
    ----------
    A : Tensor or array_like
        A square matrix, or a batch of them (shape ``(..., n, n)``).

    Returns
    -------
    autograd.linalg.SlogdetResult
        ``(sign, logabsdet)``, each of shape ``A.shape[:-2]``.

    Raises
    ------
    ValueError
        If ``A`` is not a (batch of) square matrix.
    """
    x = _matrices("slogdet", A)
    sign = nograd(lambda d: np.asarray(np.linalg.slogdet(d)[0], dtype=d.dtype), x)  # (each call's sign)
    return SlogdetResult(sign, Tensor._apply(ops.SLOGDET, x))


def logdet(A: Any) -> Tensor:
    """log det A (``torch.logdet``): nan where det A < 0 (its gradient 0 there, as torch's), -inf
    where det A = 0.

    Parameters
    ----------
    A : Tensor or array_like
        A square matrix, or a batch of them (shape ``(..., n, n)``).

    Returns
    -------
    Tensor
        log det A, of shape ``A.shape[:-2]``.

    Raises
    ------
    ValueError
        If ``A`` is not a (batch of) square matrix.
    """
    sign, logabs = slogdet(A)
    return logabs.where(nograd(lambda d: d != -1, sign), np.nan)


def solve(A: Any, B: Any, *, left: bool = True) -> Tensor:
    """X with A X = B (``left=False``: X A = B), as ``torch.linalg.solve``.

    B is a vector (or a batch of vectors) when it is 1-d, or when its shape is A's without the last
    axis; otherwise B holds ``(..., n, k)`` matrices. The batch axes broadcast. The gradient is
    :math:`G_B = A^{-T} G`, :math:`G_A = -G_B X^T`. ``np.linalg.solve`` on Tensors takes B as
    vectors only when it is 1-d, as NumPy 2.

    Parameters
    ----------
    A : Tensor or array_like
        Square matrices, shape ``(..., n, n)``.
    B : Tensor or array_like
        The right-hand side: ``(n,)``, ``(..., n)`` or ``(..., n, k)``.
    left : bool
        Solve A X = B (default True); False solves X A = B (B must then be matrices).

    Returns
    -------
    Tensor
        X, of B's shape (broadcast with A's batch).

    Raises
    ------
    numpy.linalg.LinAlgError
        If A is singular.
    ValueError
        If A is not square, B's rows do not match A, or B is a vector with ``left=False``.
    """
    x, b = as_tensors(A, B)
    x = _matrices("solve", x)
    vector = b.ndim == 1 or (b.ndim == x.ndim - 1 and b.shape == x.shape[:-1])
    if not left:
        if vector:
            raise ValueError("linalg.solve: with left=False, B must be a matrix (X A = B), got vectors")
        return _mT(_solve("solve", _mT(x), _mT(b), False))
    return _solve("solve", x, b, vector)


def _solve(name: str, a: Tensor, b: Tensor, vector: bool) -> Tensor:
    n = a.shape[-1]
    rows = b.shape[-1] if vector else b.shape[-2] if b.ndim >= 2 else None
    if rows != n:
        raise ValueError(
            f"linalg.{name}: B must have {n} rows to match A ({n}×{n}), got shape {b.shape}"
            + ("" if vector or b.ndim >= 2 else " (a vector B must be 1-d)")
        )
    if vector:
        return _factor(name, ops.SOLVE, a, b.reshape(b.shape + (1,))).reshape(
            np.broadcast_shapes(a.shape[:-2], b.shape[:-1]) + (n,)
        )
    return _factor(name, ops.SOLVE, a, b)


# ---------------------------------------------------------------------------- factorizations
def cholesky(A: Any, *, upper: bool = False) -> Tensor:
    """The Cholesky factor L of a symmetric positive-definite A, A = L Lᵀ, L lower-triangular
    (``torch.linalg.cholesky``; ``upper=True``: U = Lᵀ, A = Uᵀ U).

    Only A's lower triangle is read (LAPACK). The gradient is PyTorch's rule, symmetric in A; the
    ``np.linalg.cholesky`` spelling differentiates what NumPy computes, on the triangle read.

    Parameters
    ----------
    A : Tensor or array_like
        Symmetric positive-definite matrices, shape ``(..., n, n)``.
    upper : bool
        Return U = Lᵀ (default False: L).

    Returns
    -------
    Tensor
        L (or U), of ``A``'s shape.

    Raises
    ------
    numpy.linalg.LinAlgError
        If a matrix is not positive-definite.
    ValueError
        If ``A`` is not a (batch of) square matrix.
    """
    low = _factor("cholesky", ops.CHOLESKY, _matrices("cholesky", A))
    return _mT(low) if upper else low


def pinv(A: Any, *, atol: Any = None, rtol: Any = None, hermitian: bool = False) -> Tensor:
    """The Moore-Penrose pseudo-inverse A⁺ (``torch.linalg.pinv``): from the SVD, with singular values
    at most ``rtol`` × the largest taken as 0.

    The gradient is right where the rank is constant near A (as torch's).

    Parameters
    ----------
    A : Tensor or array_like
        Matrices, shape ``(..., m, n)``.
    atol : float, optional
        Not supported on Tensors: give the cutoff as ``rtol`` (only None or 0 is accepted).
    rtol : float, optional
        The relative cutoff (default torch's: max(m, n) · eps of A's dtype).
    hermitian : bool
        Not supported on Tensors (only False is accepted).

    Returns
    -------
    Tensor
        A⁺, shape ``(..., n, m)``.

    Raises
    ------
    TypeError
        If ``atol`` is nonzero or ``hermitian`` is True.
    ValueError
        If ``A`` has fewer than 2 dimensions.
    """
    x = _matrices("pinv", A, square=False)
    if atol is not None and np.any(atol):
        raise TypeError("linalg.pinv: atol is not supported on Tensors; give the cutoff as rtol")
    if hermitian:
        raise TypeError("linalg.pinv: hermitian=True is not supported on Tensors; call it without hermitian")
    cutoff = max(x.shape[-2:]) * np.finfo(x.dtype).eps if rtol is None else rtol
    return Tensor._apply(ops.PINV, x, rcond=cutoff)


def _eigh(name: str, x: Tensor, UPLO: str) -> EighResult:  # noqa: N803 (NumPy's and torch's name)
    if UPLO not in ("L", "U"):
        raise ValueError(f"linalg.{name}: UPLO must be 'L' or 'U', got {UPLO!r}")
    return EighResult(*eigh_parts(TENSORS, Tensor._apply(ops.EIGH, x, UPLO=UPLO)))


def eigh(A: Any, UPLO: str = "L") -> EighResult:  # noqa: N803
    """The eigenvalues (ascending) and eigenvectors (columns) of a symmetric A
    (``torch.linalg.eigh``), with NumPy's signs of the eigenvectors.

    Only the triangle ``UPLO`` of A is read. The gradient is torch's (symmetric in A); where two
    eigenvalues are equal, the eigenvectors' gradient is infinite, as in torch.

    Parameters
    ----------
    A : Tensor or array_like
        Symmetric matrices, shape ``(..., n, n)``.
    UPLO : {"L", "U"}
        Read the lower (default) or the upper triangle.

    Returns
    -------
    autograd.linalg.EighResult
        ``(eigenvalues, eigenvectors)``, shapes ``(..., n)`` and ``(..., n, n)``.

    Raises
    ------
    ValueError
        If ``A`` is not a (batch of) square matrix, or ``UPLO`` is neither "L" nor "U".
    """
    return _eigh("eigh", _matrices("eigh", A), UPLO)


def eigvalsh(A: Any, UPLO: str = "L") -> Tensor:  # noqa: N803
    """The eigenvalues of a symmetric A, ascending (``torch.linalg.eigvalsh``; see :func:`eigh`).

    Parameters
    ----------
    A : Tensor or array_like
        Symmetric matrices, shape ``(..., n, n)``.
    UPLO : {"L", "U"}
        Read the lower (default) or the upper triangle.

    Returns
    -------
    Tensor
        The eigenvalues, shape ``(..., n)``.

    Raises
    ------
    ValueError
        If ``A`` is not a (batch of) square matrix, or ``UPLO`` is neither "L" nor "U".
    """
    return _eigh("eigvalsh", _matrices("eigvalsh", A), UPLO).eigenvalues


def svd(A: Any, full_matrices: bool = True) -> SVDResult:
    r"""The singular value decomposition :math:`A = U \operatorname{diag}(S) V_h`, S descending, with
    NumPy's signs (``torch.linalg.svd``).

    The gradient is torch's; it needs distinct singular values (and, for a non-square A whose U or
    Vh is used, full rank). With ``full_matrices``, the columns of U (rows of Vh) beyond min(m, n)
    are constants: no gradient reaches them, as in torch.

    Parameters
    ----------
    A : Tensor or array_like
        Matrices, shape ``(..., m, n)``.
    full_matrices : bool
        U is m×m and Vh n×n (default True); False: m×k and k×n, k = min(m, n).

    Returns
    -------
    autograd.linalg.SVDResult
        ``(U, S, Vh)``.

    Raises
    ------
    ValueError
        If ``A`` has fewer than 2 dimensions.
    """
    x = _matrices("svd", A, square=False)
    m, n = x.shape[-2:]
    u, s, vh = svd_parts(TENSORS, Tensor._apply(ops.SVD, x, full_matrices=full_matrices), m)
    if full_matrices and m != n:
        full_u, _, full_vh = np.linalg.svd(x.data, full_matrices=True)
        k = min(m, n)
        if m > k:
            u = concatenate([u, Tensor(full_u[..., k:], dtype=x.dtype)], -1)
        if n > k:
            vh = concatenate([vh, Tensor(full_vh[..., k:, :], dtype=x.dtype)], -2)
    return SVDResult(u, s, vh)


class SVDWithVResult(NamedTuple):
    r"""``autograd.svd``'s result (torch's ``torch.return_types.svd``), :math:`A = U
    \operatorname{diag}(S) V^T`: ``U``, ``S`` (descending) and ``V`` itself (not ``Vh``)."""

    U: Tensor
    S: Tensor
    V: Tensor


def svd_with_v(input: Any, some: bool = True, compute_uv: bool = True) -> SVDWithVResult:
    r"""``torch.svd``, the top-level ``autograd.svd``: :func:`autograd.linalg.svd` (NumPy's signs,
    torch's gradient) returning V, the transpose of its ``Vh``, and the reduced factors unless
    ``some=False``.

    Parameters
    ----------
    input : Tensor or array_like
        Real matrices, shape ``(..., m, n)``.
    some : bool
        U is m×k and V n×k, k = min(m, n) (default True); False: m×m and n×n.
    compute_uv : bool
        Whether to compute U and V (default True); False gives S only, with U and V zero-filled
        m×m and n×n matrices, as torch's.

    Returns
    -------
    autograd.linalg.SVDWithVResult
        ``(U, S, V)``.

    Raises
    ------
    ValueError
        If ``input`` has fewer than 2 dimensions.
    """
    if not compute_uv:
        x = _matrices("svd", input, square=False)
        *batch, m, n = x.shape
        zeros = [Tensor(np.zeros((*batch, k, k), dtype=x.dtype)) for k in (m, n)]
        return SVDWithVResult(zeros[0], svdvals(x), zeros[1])
    u, s, vh = svd(input, full_matrices=not some)
    return SVDWithVResult(u, s, vh.transpose(-2, -1))


def svdvals(A: Any) -> Tensor:
    """The singular values of A, descending (``torch.linalg.svdvals``).

    Parameters
    ----------
    A : Tensor or array_like
        Matrices, shape ``(..., m, n)``.

    Returns
    -------
    Tensor
        Shape ``(..., min(m, n))``.

    Raises
    ------
    ValueError
        If ``A`` has fewer than 2 dimensions.
    """
    x = _matrices("svdvals", A, square=False)
    return svd_parts(TENSORS, Tensor._apply(ops.SVD, x, full_matrices=False), x.shape[-2])[1]


# ---------------------------------------------------------------------------- norms
def _root(total: Tensor, p: float) -> Tensor:
    """total^(1/p), with gradient 0 where total is 0 (PyTorch's subgradient of a norm at 0)."""
    nonzero = nograd(lambda d: d != 0, total)
    if not is_tracing() and nonzero.all():  # (a compiled step masks at every call)
        return total.sqrt() if p == 2 else total ** (1.0 / p)
    if p < 0:  # (a total of 0 is every |x| infinite: the norm is inf and its gradient nan, as torch's)
        return total ** (1.0 / p)
    safe = total.where(nonzero, 1.0)
    return (safe.sqrt() if p == 2 else safe ** (1.0 / p)).where(nonzero, 0.0)


def _extreme_magnitude(x: Tensor, axis: Axis, keepdims: bool, largest: bool) -> Tensor:
    """max |x| (``largest``) or min |x|: ties share the gradient; a slice holding nan is nan with
    gradient 0 (torch's ∞-norm rule: nan equals no extreme, and sgn(nan) is 0)."""
    a = abs(x)
    nan = nograd(np.isnan, a)
    if not is_tracing() and not nan.any():  # (a compiled step masks at every call)
        return a.max(axis, keepdims) if largest else a.min(axis, keepdims)
    clean = a.where(~nan, 0.0)
    extreme = clean.max(axis, keepdims) if largest else clean.min(axis, keepdims)
    return extreme.where(nograd(lambda d: ~np.any(np.isnan(d), axis=axis, keepdims=keepdims), a), np.nan)


def _refuse_empty(shape: tuple[int, ...], axis: Axis, ord: float, name: str) -> None:
    """torch's error for a norm with no identity (``ord`` < 0 or inf) over empty slices."""
    where = "an empty tensor"
    if axis is not None:
        empty = [a for a in ((axis,) if isinstance(axis, int) else axis) if shape[a] == 0]
        if not empty:
            return
        where = f"the dimension {empty[0]} because this dimension is empty and"
    elif 0 not in shape:
        return
    else:
        where += " because"
    raise RuntimeError(
        f"{name} cannot compute the {ord:g} norm on {where} the operation does not have an identity"
    )


def _vector_norm(x: Tensor, ord: Any, axis: Axis, keepdims: bool, name: str) -> Tensor:
    if isinstance(ord, str) or ord is None or not np.isreal(ord):
        raise ValueError(f"{name}: ord must be a number (or ±inf) for a vector norm, got {ord!r}")
    ord = float(ord)
    if ord < 0 or ord == np.inf:  # max/min of nothing, or 0^(1/p) = inf: torch's error
        _refuse_empty(x.shape, axis, ord, name)
    if ord == 2:
        return _root((x * x).sum(axis, keepdims), 2)
    if ord in (np.inf, -np.inf):
        return _extreme_magnitude(x, axis, keepdims, ord > 0)
    if ord == 0:  # how many are not 0: no gradient
        return nograd(lambda d: np.asarray(np.sum(d != 0, axis=axis, keepdims=keepdims), dtype=d.dtype), x)
    if ord == 1:
        return abs(x).sum(axis, keepdims)
    return _root(_power_of_magnitude(x, ord).sum(axis, keepdims), ord)


def _power_of_magnitude(x: Tensor, p: float) -> Tensor:
    """|x|^p; for p < 1 its gradient at x = 0 is 0 times the incoming one (torch's), not the
    inf * 0 of p |x|^(p-1) sgn(x)."""
    a = abs(x)
    if p > 1:
        return a**p
    ones_at_zero = nograd(lambda d: (d == 0).astype(d.dtype), a)  # a + 1 there: no inf * 0
    powered = (a + ones_at_zero) ** p * nograd(lambda d: (d != 0).astype(d.dtype), a)
    return powered if p > 0 else powered + nograd(lambda d: np.where(d == 0, np.inf, 0).astype(d.dtype), a)


def _largest(x: Tensor, axis: int, keepdims: bool) -> Tensor:
    """max over ``axis``, 0 over an empty one (NumPy's and torch's matrix norms)."""
    return x.sum(axis, keepdims) if x.shape[axis] == 0 else x.max(axis, keepdims)


def _matrix_norm(x: Tensor, ord: Any, axes: tuple[int, int], keepdims: bool, name: str) -> Tensor:
    r, c = axes
    if r == c:
        raise ValueError(f"{name}: the two matrix axes must differ, got {axes}")
    if ord == "fro":
        return _root((x * x).sum((r, c), keepdims), 2)
    if ord in ("nuc", 2, -2):
        rest = [i for i in range(x.ndim) if i not in (r, c)]
        s = svdvals(x.transpose(rest + [r, c]))
        out = s.sum(-1) if ord == "nuc" else _largest(s, s.ndim - 1, False) if ord == 2 else s.min(-1)
        return out.reshape(tuple(1 if i in (r, c) else n for i, n in enumerate(x.shape))) if keepdims else out
    if ord in (1, -1, np.inf, -np.inf):
        total, pick = (r, c) if ord in (1, -1) else (c, r)  # column sums for 1, row sums for inf
        sums = abs(x).sum(total, keepdims=True)
        out = _largest(sums, pick, True) if ord > 0 else sums.min(pick, keepdims=True)
        return out if keepdims else out.squeeze((r, c))
    raise ValueError(f"{name}: ord must be 'fro', 'nuc', ±1, ±2 or ±inf for a matrix norm, got {ord!r}")


def norm(
    A: Any,
    ord: Any = None,
    dim: Axis = None,
    keepdim: bool = False,
    *,
    axis: Axis = None,
    keepdims: bool | None = None,
) -> Tensor:
    r"""A vector or matrix norm (``torch.linalg.norm``, ``np.linalg.norm``).

    Over one axis, the vector norm ``ord`` (2 by default; see :func:`vector_norm`); over two, the
    matrix norm ``ord`` ("fro" by default; see :func:`matrix_norm`). Without an axis: with ``ord``
    None, the 2-norm of all elements :math:`\sqrt{\sum x^2}`; otherwise the norm of a 1-d or 2-d
    A. The gradient at 0 is 0, as torch's.

    Parameters
    ----------
    A : Tensor or array_like
        The input.
    ord : int, float or str, optional
        The order: a number (or ±inf) for a vector norm; "fro", "nuc", ±1, ±2 or ±inf for a
        matrix norm.
    dim : int or tuple of int, optional
        One or two axes (torch's name; ``axis`` is NumPy's).
    keepdim : bool
        Keep the reduced axes with length 1 (default False; ``keepdims`` is NumPy's name).
    axis : int or tuple of int, optional
        NumPy's name for ``dim``.
    keepdims : bool, optional
        NumPy's name for ``keepdim``.

    Returns
    -------
    Tensor
        The norm(s).

    Raises
    ------
    TypeError
        If both ``dim`` and ``axis`` (or ``keepdim`` and ``keepdims``) are given.
    ValueError
        If ``ord`` does not fit the number of axes, or A is not 1-d or 2-d with an ``ord`` and no
        axis, or more than two axes are named.
    """
    dim, keep = torch_names("norm", axis, dim, bool(keepdims), keepdim if keepdim else None)
    x = as_tensor(A)
    dims = normalize_axis(dim, x.ndim, "linalg.norm")
    if dims is None:
        if ord is None:
            return _root((x * x).sum(None, keep), 2)
        if x.ndim == 1:
            return _vector_norm(x, ord, 0, keep, "linalg.norm")
        if x.ndim == 2:
            return _matrix_norm(x, ord, (0, 1), keep, "linalg.norm")
        raise ValueError(
            f"linalg.norm: with ord={ord!r} and no axis, A must be 1-d or 2-d, got shape {x.shape}"
        )
    if isinstance(dims, int) or len(dims) == 1:
        return _vector_norm(x, 2 if ord is None else ord, dims, keep, "linalg.norm")
    if len(dims) == 2:
        return _matrix_norm(x, "fro" if ord is None else ord, dims, keep, "linalg.norm")  # type: ignore[arg-type]
    raise ValueError(f"linalg.norm: axis must name 1 or 2 axes, got {dim!r}")


def vector_norm(
    x: Any,
    ord: Any = 2,
    dim: Axis = None,
    keepdim: bool = False,
    *,
    axis: Axis = None,
    keepdims: bool | None = None,
    dtype: Any = None,
) -> Tensor:
    r"""The vector norm :math:`(\sum |x|^p)^{1/p}` over ``dim`` (every axis by default),
    ``torch.linalg.vector_norm``.

    ``ord`` inf: max |x|; -inf: min |x| (a slice holding nan is nan, with gradient 0, as
    torch's); 0: the count of nonzero elements (a plain number, no gradient). The gradient at 0
    is 0, as torch's.

    Parameters
    ----------
    x : Tensor or array_like
        The input.
    ord : int or float
        The order p (default 2), a number or ±inf.
    dim : int or tuple of int, optional
        The axes (torch's name; ``axis`` is NumPy's); all by default.
    keepdim : bool
        Keep the reduced axes with length 1 (default False; ``keepdims`` is NumPy's name).
    axis : int or tuple of int, optional
        NumPy's name for ``dim``.
    keepdims : bool, optional
        NumPy's name for ``keepdim``.
    dtype : numpy.dtype, optional
        A floating dtype the input is cast to first (torch's argument), not narrower than the
        input's.

    Returns
    -------
    Tensor
        The norm(s).

    Raises
    ------
    TypeError
        If both ``dim`` and ``axis`` (or ``keepdim`` and ``keepdims``) are given.
    ValueError
        If ``ord`` is not a number.
    RuntimeError
        If the input holds integers or bools, or ``dtype`` is not floating or narrower than the
        input's, as torch.
    """
    dim, keep = torch_names("vector_norm", axis, dim, bool(keepdims), keepdim if keepdim else None)
    t = as_tensor(x)
    refuse_integers(
        t, "linalg.vector_norm: Expected a floating point or complex tensor as input. Got {dtype}"
    )
    if dtype is not None:
        t = t.to(_wider_float(t.data.dtype, dtype))
    return _vector_norm(t, ord, normalize_axis(dim, t.ndim, "linalg.vector_norm"), keep, "linalg.vector_norm")


def _wider_float(have: np.dtype, dtype: Any) -> np.dtype:
    """``dtype`` (a vector norm's ``dtype=``), refused as torch refuses it when not floating or
    narrower than ``have``."""
    dt = as_dtype(dtype, "linalg.vector_norm")
    if dt.kind != "f":
        raise RuntimeError(
            f"linalg.vector_norm: dtype should be floating point or complex, but got {torch_name(dt)}"
        )
    if dt.itemsize < have.itemsize:
        raise RuntimeError(
            f"linalg.vector_norm: the dtype of the input ({torch_name(have)}) should be convertible without "
            f"narrowing to the specified dtype ({torch_name(dt)})"
        )
    return dt


def pairwise_norm(diff: Any, p: float) -> Any:
    """``vector_norm(diff, p, dim=-1)`` as torch's ``cdist`` and ``pdist`` differentiate it: for
    p = inf each of the tied largest |d| gets the whole gradient (``vector_norm`` shares it), and
    vectors of no elements are 0 apart for every p (``vector_norm`` refuses p = inf there)."""
    if diff.shape[-1] == 0:
        return diff.sum(-1)
    if p != np.inf:
        return vector_norm(diff, p, dim=-1)
    a = abs(diff)
    top = nograd(lambda d: np.max(d, axis=-1, keepdims=True), a)
    ties = nograd(lambda d: (d == np.max(d, axis=-1, keepdims=True)).astype(d.dtype), a)
    return top.squeeze(-1) + ((a - top) * ties).sum(-1)  # (the max; d/d|d| = 1 at every tie)


def matrix_norm(
    A: Any,
    ord: Any = "fro",
    dim: tuple[int, int] = (-2, -1),
    keepdim: bool = False,
    *,
    keepdims: bool | None = None,
) -> Tensor:
    r"""The matrix norm ``ord`` of the matrices on axes ``dim`` (``torch.linalg.matrix_norm``).

    "fro": :math:`\sqrt{\sum x^2}`; "nuc": the sum of the singular values; 2 (-2): the largest
    (smallest) singular value; 1 (-1): the largest (smallest) column sum of |x|; inf (-inf): the
    largest (smallest) row sum of |x|. Ties share the gradient.

    Parameters
    ----------
    A : Tensor or array_like
        The input, at least 2-d.
    ord : str, int or float
        "fro" (default), "nuc", ±1, ±2 or ±inf.
    dim : tuple of int
        The two axes of the matrices (default the last two).
    keepdim : bool
        Keep the two axes with length 1 (default False).
    keepdims : bool, optional
        NumPy's name for ``keepdim``.

    Returns
    -------
    Tensor
        The norm of each matrix.

    Raises
    ------
    ValueError
        If ``dim`` does not name two different axes, or ``ord`` is not a matrix norm's.
    """
    x = as_tensor(A)
    axes = normalize_axis(tuple(dim), x.ndim, "linalg.matrix_norm")
    if not isinstance(axes, tuple) or len(axes) != 2:
        raise ValueError(f"linalg.matrix_norm: dim must name 2 axes, got {dim!r}")
    return _matrix_norm(x, ord, axes, bool(keepdim or keepdims), "linalg.matrix_norm")  # type: ignore[arg-type]


def cross(input: Any, other: Any, *, dim: int = -1) -> Tensor:
    """The cross product of 3-vectors along ``dim`` (``torch.linalg.cross``); the other axes
    broadcast.

    Parameters
    ----------
    input, other : Tensor or array_like
        The vectors a and b, of length 3 along ``dim``.
    dim : int
        The axis of the vectors (default -1).

    Returns
    -------
    Tensor
        a × b.

    Raises
    ------
    ValueError
        If the vectors do not have length 3, or an operand is 0-d.
    """
    return _cross(input, other, dim)


def matmul(input: Any, other: Any) -> Tensor:
    """The matrix product ``input @ other`` (``torch.linalg.matmul``), with NumPy's matmul rules.

    Parameters
    ----------
    input, other : Tensor or array_like
        The operands (1-d ones are vectors; the batch axes broadcast).

    Returns
    -------
    Tensor
        The product.

    Raises
    ------
    ValueError
        If the inner dimensions differ.
    """
    x, y = as_tensors(input, other)
    return x @ y


# ---------------------------------------------------------------------------- NumPy's functions
def _symmetric(x: Tensor, UPLO: str) -> Tensor:  # noqa: N803
    """The symmetric matrix LAPACK sees when it reads ``x``'s lower (upper) triangle."""
    n = x.shape[-1]
    keep = np.tri(n, dtype=bool) if UPLO == "L" else np.tri(n, dtype=bool).T
    return where(keep, x, 0.0) + _mT(where(keep & ~np.eye(n, dtype=bool), x, 0.0))


@implements(np.linalg.solve)
def _np_solve(a: Any, b: Any) -> Tensor:
    x, rhs = as_tensors(a, b)
    return _solve("solve", _matrices("solve", x), rhs, rhs.ndim == 1)


@implements(np.linalg.cholesky)
def _np_cholesky(a: Any, /, *, upper: bool = False) -> Tensor:
    x = _matrices("cholesky", a)
    return cholesky(_symmetric(x, "U" if upper else "L"), upper=upper)


@implements(np.linalg.eigh)
def _np_eigh(a: Any, UPLO: str = "L") -> EighResult:  # noqa: N803
    x = _matrices("eigh", a)
    return _eigh("eigh", _symmetric(x, UPLO) if UPLO in ("L", "U") else x, UPLO)


@implements(np.linalg.eigvalsh)
def _np_eigvalsh(a: Any, UPLO: str = "L") -> Tensor:  # noqa: N803
    return _np_eigh(a, UPLO).eigenvalues


@implements(np.linalg.pinv)
def _np_pinv(a: Any, rcond: Any = None, hermitian: bool = False, *, rtol: Any = _NO) -> Tensor:
    x = _matrices("pinv", a, square=False)
    if rtol is not _NO:
        if rcond is not None:
            raise TypeError("numpy.linalg.pinv: got both rcond and rtol; pass one of them")
        rcond = max(x.shape[-2:]) * np.finfo(x.dtype).eps if rtol is None else rtol
    return pinv(x, rtol=1e-15 if rcond is None else rcond, hermitian=hermitian)


@implements(np.linalg.svd)
def _np_svd(a: Any, full_matrices: bool = True, compute_uv: bool = True, hermitian: bool = False) -> Any:
    _refuse("linalg.svd", hermitian=hermitian)
    return svd(a, full_matrices) if compute_uv else svdvals(a)


@implements(np.linalg.norm)
def _np_norm(x: Any, ord: Any = None, axis: Axis = None, keepdims: bool = False) -> Tensor:
    return norm(x, ord, axis, keepdims)


@implements(np.linalg.vector_norm)
def _np_vector_norm(x: Any, /, *, axis: Axis = None, keepdims: bool = False, ord: Any = 2) -> Tensor:
    return vector_norm(x, ord, axis, keepdims)


@implements(np.linalg.matrix_norm)
def _np_matrix_norm(x: Any, /, *, keepdims: bool = False, ord: Any = "fro") -> Tensor:
    return matrix_norm(x, ord, keepdim=keepdims)


implements(np.linalg.inv)(inv)
implements(np.linalg.det)(det)
implements(np.linalg.slogdet)(slogdet)
implements(np.linalg.svdvals)(svdvals)
implements(np.linalg.matmul)(matmul)


def pinverse(input: Any, rcond: float = 1e-15) -> Tensor:
    """A⁺ with singular values at most ``rcond`` × the largest taken as 0 (``torch.pinverse``,
    ``Tensor.pinverse``); see :func:`autograd.linalg.pinv`.

    Parameters
    ----------
    input : Tensor or array_like
        Matrices, shape ``(..., m, n)``.
    rcond : float
        The relative cutoff (default 1e-15, torch's).

    Returns
    -------
    Tensor
        A⁺, shape ``(..., n, m)``.
    """
    return pinv(input, rtol=rcond)


tensor_methods(det=det, slogdet=slogdet, logdet=logdet, inverse=inv, cholesky=cholesky, pinverse=pinverse)

# The composed functions and solvers live in modules that build on this one (they import the
# primitives above): their names are imported from there when first used (``autograd.linalg.qr``),
# and their NumPy spellings are registered there.
#: the composed functions and solvers by the module that defines them (its ``__all__``, with the
#: names it exports besides)
_DEFERRED: dict[str, tuple[str, ...]] = {
    ".linalg_functions": (
        "cond", "diagonal", "eig", "eigvals", "matrix_exp", "matrix_power", "matrix_rank", "multi_dot",
        "vander", "vecdot",
    ),
    ".linalg_ldl": ("LDLFactorExResult", "LDLFactorResult", "ldl_factor", "ldl_factor_ex", "ldl_solve"),
    ".linalg_solvers": (
        "CholeskyExResult", "InvExResult", "LstsqResult", "LUFactorExResult", "LUFactorResult", "LUResult",
        "QRResult", "SolveExResult", "cholesky_ex", "householder_product", "inv_ex", "lstsq", "lu",
        "lu_factor", "lu_factor_ex", "lu_solve", "qr", "solve_ex", "solve_triangular", "tensorinv",
        "tensorsolve",
    ),
}  # fmt: skip
_MORE = {name: module for module, names in _DEFERRED.items() for name in names}


def __getattr__(name: str) -> Any:
    """A composed function or solver (``_MORE``), imported from its module when first used."""
    module = _MORE.get(name)
    if module is None:
        raise AttributeError(f"module 'autograd.linalg' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __package__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_MORE})


__all__ += ["LinAlgError", *_MORE]
