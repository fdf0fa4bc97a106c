"""``autograd.linalg``: linear algebra on Tensors with ``torch.linalg``'s names and semantics;
``np.linalg.<name>(t)`` on Tensors with NumPy's.

inv, det, slogdet, solve, cholesky, pinv, eigh and svd are primitives (:mod:`autograd.ops.linalg`:
NumPy's LAPACK forward, PyTorch's adjoint rules, differentiable again); the norms, logdet,
eigvalsh, svdvals, cross and matmul are composed from primitives. Matrices are the last two axes
of a tensor; the leading axes are a batch.

Where the two libraries differ, each spelling keeps its own:

- ``solve(A, B)``: torch treats B as a batch of vectors when B.ndim == A.ndim - 1 and B's shape
  is A's without the last axis (or B is 1-d); NumPy 2 only when B is 1-d.
- ``eigh``, ``eigvalsh`` and ``cholesky`` read one triangle of A (LAPACK). torch's gradient is
  the symmetric one (as if A's other triangle moved with it); ``np.linalg``'s here is the
  derivative of what NumPy computes, so it lies on the triangle read (the two agree for
  symmetric inputs built from a variable, e.g. X Xᵀ).
- ``pinv``'s default cutoff: torch's max(m, n)·eps of the largest singular value, NumPy's 1e-15.

Singular and non-square matrices raise ``numpy.linalg.LinAlgError`` or ``ValueError`` naming
the function, as torch does.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from . import ops
from ._operands import as_tensor, as_tensors, tensor_methods
from ._tensor import TENSORS, Tensor, concatenate, where
from .composite import Axis, normalize_axis, torch_names
from .numpy_dispatch import _NO, _refuse, implements
from .ops.linalg import eigh_parts, svd_parts
from .products import cross as _cross

__all__ = [
    "EighResult",
    "SVDResult",
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
    """``slogdet``'s result (the names of torch and NumPy): ``sign`` is a constant."""

    sign: Tensor
    logabsdet: Tensor


class EighResult(NamedTuple):
    """``eigh``'s result: eigenvalues in ascending order, eigenvectors as columns."""

    eigenvalues: Tensor
    eigenvectors: Tensor


class SVDResult(NamedTuple):
    """``svd``'s result: A = U diag(S) Vh."""

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
        raise np.linalg.LinAlgError(f"linalg.{name}: {why} (shape(s) {shapes})") from None


def _mT(x: Tensor) -> Tensor:
    return x.transpose(*range(x.ndim - 2), x.ndim - 1, x.ndim - 2)


# ---------------------------------------------------------------------------- inverse and determinants
def inv(A: Any) -> Tensor:
    """A⁻¹ (each matrix of a batch). Raises LinAlgError for a singular A."""
    return _factor("inv", ops.INV, _matrices("inv", A))


def det(A: Any) -> Tensor:
    """det A; its gradient is the cofactor matrix, exact also where A is singular."""
    return Tensor._apply(ops.DET, _matrices("det", A))


def slogdet(A: Any) -> SlogdetResult:
    """(sign, log|det A|): the sign is a constant (no gradient), log|det A| is -inf where A is
    singular (its gradient infinite there)."""
    x = _matrices("slogdet", A)
    return SlogdetResult(Tensor(np.linalg.slogdet(x.data)[0], dtype=x.dtype), Tensor._apply(ops.SLOGDET, x))


def logdet(A: Any) -> Tensor:
    """log det A: nan where det A < 0 (with gradient 0 there, as torch), -inf where it is 0
    (``torch.logdet``)."""
    sign, logabs = slogdet(A)
    return logabs.where(sign.data != -1, np.nan)


def solve(A: Any, B: Any, *, left: bool = True) -> Tensor:
    """X with A X = B (``left=False``: X A = B), as ``torch.linalg.solve``: B is a (batch of)
    vector(s) when 1-d, or when its shape is A's without the last axis; else (…, n, k) matrices.
    Batches broadcast. Raises LinAlgError for a singular A."""
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
    """L with A = L Lᵀ, lower-triangular (``upper``: U = Lᵀ), for a symmetric positive-definite A
    (its lower triangle is read). Raises LinAlgError where A is not positive-definite."""
    low = _factor("cholesky", ops.CHOLESKY, _matrices("cholesky", A))
    return _mT(low) if upper else low


def pinv(A: Any, *, atol: Any = None, rtol: Any = None, hermitian: bool = False) -> Tensor:
    """The Moore-Penrose pseudo-inverse A⁺, singular values at most ``rtol`` × the largest taken as
    0 (torch's default rtol: max(m, n)·eps). Its gradient is right where the rank is constant."""
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
    """(eigenvalues ascending, eigenvectors as columns) of a symmetric A, read from its lower
    (``UPLO="L"``) or upper triangle, with NumPy's signs. The gradient is torch's (symmetric;
    repeated eigenvalues make the eigenvectors' gradient infinite, as in torch)."""
    return _eigh("eigh", _matrices("eigh", A), UPLO)


def eigvalsh(A: Any, UPLO: str = "L") -> Tensor:  # noqa: N803
    """The eigenvalues of a symmetric A, ascending (see ``eigh``)."""
    return _eigh("eigvalsh", _matrices("eigvalsh", A), UPLO).eigenvalues


def svd(A: Any, full_matrices: bool = True) -> SVDResult:
    """A = U diag(S) Vh, S descending, with NumPy's signs. ``full_matrices``: U is m×m and Vh n×n
    (the columns beyond min(m, n) are constants: no gradient reaches them, as in torch). The
    gradient needs distinct singular values (and, for a non-square A with U or Vh used, full rank)."""
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


def svdvals(A: Any) -> Tensor:
    """The singular values of A, descending."""
    x = _matrices("svdvals", A, square=False)
    return svd_parts(TENSORS, Tensor._apply(ops.SVD, x, full_matrices=False), x.shape[-2])[1]


# ---------------------------------------------------------------------------- norms
def _root(total: Tensor, p: float) -> Tensor:
    """total^(1/p), with gradient 0 where total is 0 (PyTorch's subgradient of a norm at 0)."""
    nonzero = total.data != 0
    if nonzero.all():
        return total.sqrt() if p == 2 else total ** (1.0 / p)
    safe = total.where(nonzero, 1.0)
    return (safe.sqrt() if p == 2 else safe ** (1.0 / p)).where(nonzero, 0.0)


def _extreme_magnitude(x: Tensor, axis: Axis, keepdims: bool, largest: bool) -> Tensor:
    """max |x| (``largest``) or min |x|: ties share the gradient; a slice holding nan is nan with
    gradient 0 (torch's ∞-norm rule: nan equals no extreme, and sgn(nan) is 0)."""
    a = abs(x)
    nan = np.isnan(a.data)
    if not nan.any():
        return a.max(axis, keepdims) if largest else a.min(axis, keepdims)
    clean = a.where(~nan, 0.0)
    extreme = clean.max(axis, keepdims) if largest else clean.min(axis, keepdims)
    return extreme.where(~np.any(nan, axis=axis, keepdims=keepdims), np.nan)


def _vector_norm(x: Tensor, ord: Any, axis: Axis, keepdims: bool, name: str) -> Tensor:
    if isinstance(ord, str) or ord is None or not np.isreal(ord):
        raise ValueError(f"{name}: ord must be a number (or ±inf) for a vector norm, got {ord!r}")
    ord = float(ord)
    if ord == 2:
        return _root((x * x).sum(axis, keepdims), 2)
    if ord in (np.inf, -np.inf):
        return _extreme_magnitude(x, axis, keepdims, ord > 0)
    if ord == 0:  # how many are not 0: no gradient
        return Tensor(np.sum(x.data != 0, axis=axis, keepdims=keepdims), dtype=x.dtype)
    if ord == 1:
        return abs(x).sum(axis, keepdims)
    return _root((abs(x) ** ord).sum(axis, keepdims), ord)


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
    """``torch.linalg.norm``/``np.linalg.norm``: over one axis a vector norm (``ord`` a number,
    2 by default), over two a matrix norm ('fro' by default, 'nuc', ±1, ±2, ±inf); without an
    axis, the 2-norm of all elements (``ord`` None) or the norm of a 1-d or 2-d A. The
    gradient at 0 is 0, as torch's."""
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
) -> Tensor:
    """(Σ |x|^ord)^(1/ord) over ``dim`` (every axis by default); ord ±inf: max/min |x|; 0: the
    count of nonzeros. The gradient at 0 is 0, as torch's."""
    dim, keep = torch_names("vector_norm", axis, dim, bool(keepdims), keepdim if keepdim else None)
    t = as_tensor(x)
    return _vector_norm(t, ord, normalize_axis(dim, t.ndim, "linalg.vector_norm"), keep, "linalg.vector_norm")


def matrix_norm(
    A: Any,
    ord: Any = "fro",
    dim: tuple[int, int] = (-2, -1),
    keepdim: bool = False,
    *,
    keepdims: bool | None = None,
) -> Tensor:
    """The matrix norm ``ord`` ('fro', 'nuc', ±1, ±2, ±inf) of the matrices on axes ``dim``."""
    x = as_tensor(A)
    axes = normalize_axis(tuple(dim), x.ndim, "linalg.matrix_norm")
    if not isinstance(axes, tuple) or len(axes) != 2:
        raise ValueError(f"linalg.matrix_norm: dim must name 2 axes, got {dim!r}")
    return _matrix_norm(x, ord, axes, bool(keepdim or keepdims), "linalg.matrix_norm")  # type: ignore[arg-type]


def cross(input: Any, other: Any, *, dim: int = -1) -> Tensor:
    """The cross product of 3-vectors along ``dim`` (``torch.linalg.cross``)."""
    return _cross(input, other, dim)


def matmul(input: Any, other: Any) -> Tensor:
    """``input @ other`` (NumPy's matmul rules)."""
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
    """``torch.pinverse``: A⁺ with singular values at most ``rcond`` × the largest taken as 0."""
    return pinv(input, rtol=rcond)


tensor_methods(det=det, slogdet=slogdet, logdet=logdet, inverse=inv, cholesky=cholesky, pinverse=pinverse)
