"""Linear algebra: inv, det, slogdet, solve, solve_triangular, cholesky, pinv, eigh and svd.

Each forward is NumPy's (LAPACK, as ``np.linalg`` computes it, so eigen- and singular vectors
have NumPy's signs); each VJP is the standard adjoint rule as PyTorch computes it, written in
differentiable primitives (matmul, and these primitives themselves), so second derivatives work.
Matrices are the last two axes; the leading ones are a batch (broadcast where NumPy does).

The engine's nodes have one output: ``eigh`` and ``svd`` return their results packed in one
array, which the functions of :mod:`autograd.linalg` take apart by indexing
(:func:`eigh_parts`, :func:`svd_parts`). A part no output uses gets a zero gradient there; it
is then left out of the rule (PyTorch's undefined gradient), so repeated eigen- or singular
values do not turn an unused part's 0 into 0/0.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .primitive import Array, Primitive
from .reduction import _others

_ALL = slice(None)


def _matrix(ns: Any, x: Any) -> Any:
    """One number per matrix, (…) as (…, 1, 1), to scale the matrices."""
    return ns.reshape(x, x.shape + (1, 1))


def _diag(ns: Any, x: Any) -> Any:
    """The matrices with ``x`` (…, n) on their diagonals (a selection: no 0 · inf off it)."""
    n = x.shape[-1]
    return ns.mask(ns.reshape(x, x.shape[:-1] + (1, n)), np.eye(n, dtype=bool))


def _is_zero(ns: Any, g: Any) -> bool:
    """Whether no gradient reaches this part of a packed result (every entry exactly 0)."""
    return not ns.num(g).any()


# ---------------------------------------------------------------------------- inverse and determinants
def _inv_vjp(ns: Any, g: Any, out: Any, a: Any) -> Any:
    """-A⁻ᵀ g A⁻ᵀ."""
    t = ns.mT(out)
    return -(t @ (g @ t))


def cofactor(ns: Any, a: Any, det: Any) -> Any:
    """The cofactor matrix det(A)·A⁻ᵀ, the derivative of det(A). Where some A of the batch is
    singular (det 0), from the SVD A = U S Vᵀ: det(U) det(Vᵀ) · U diag(∏_{j≠i} s_j) Vᵀ, exact
    there (PyTorch's rule at second order; its first order gives 0 there)."""
    if (ns.num(det) != 0).all():
        return _matrix(ns, det) * ns.mT(ns.apply(INV, a))
    u, s, vh = svd_parts(ns, ns.apply(SVD, a, full_matrices=False), a.shape[-2])
    signs = np.asarray(np.linalg.det(ns.num(u)) * np.linalg.det(ns.num(vh)), a.dtype)  # ±1: constants
    others = _others(ns, s, s.ndim - 1)
    scaled = u * ns.reshape(others, others.shape[:-1] + (1, others.shape[-1]))  # U diag(∏_{j≠i} s_j)
    return (scaled @ vh) * signs[..., None, None]


def _det_vjp(ns: Any, g: Any, out: Any, a: Any) -> Any:
    """g · det(A) A⁻ᵀ (the cofactor matrix)."""
    return _matrix(ns, g) * cofactor(ns, a, out)


def _nan_matrices(forward: Callable[..., Array]) -> Callable[..., Array]:
    """``forward`` where a matrix holding nan gives nan (torch's LU carries it; LAPACK, through
    NumPy, calls it singular: det 0, log|det| -inf, inv and solve raise); the others are NumPy's."""

    def nan_carried(a: Array, *rest: Array) -> Array:
        bad = np.isnan(a).any(axis=(-2, -1))
        if not bad.any():
            return forward(a, *rest)
        eye = np.eye(a.shape[-1], dtype=a.dtype)
        out = forward(np.where(bad[..., None, None], eye, a), *rest)
        return np.where(bad.reshape(bad.shape + (1,) * (out.ndim - bad.ndim)), np.nan, out)

    return nan_carried


def _slogdet(a: Array) -> Array:
    return np.linalg.slogdet(a)[1]


def _slogdet_vjp(ns: Any, g: Any, out: Any, a: Any) -> Any:
    """g · A⁻ᵀ (the sign has no gradient). Where some A is singular (log|det| = -inf), the
    cofactor over det(A) = 0: infinite, as PyTorch's."""
    if not np.isneginf(ns.num(out)).any():
        return _matrix(ns, g) * ns.mT(ns.apply(INV, a))
    det = ns.apply(DET, a)
    return _matrix(ns, g) * (cofactor(ns, a, det) / _matrix(ns, det))


def _solve_db(ns: Any, g: Any, out: Any, a: Any, b: Any) -> Any:
    """A⁻ᵀ g (a solve with Aᵀ)."""
    return ns.apply(SOLVE, ns.mT(a), g)


def _solve_da(ns: Any, g: Any, out: Any, a: Any, b: Any) -> Any:
    """-(A⁻ᵀ g) Xᵀ."""
    return -(_solve_db(ns, g, out, a, b) @ ns.mT(out))


INV = Primitive("inv", _nan_matrices(np.linalg.inv), (_inv_vjp,), ("−A⁻ᵀ g A⁻ᵀ",))
DET = Primitive("det", _nan_matrices(np.linalg.det), (_det_vjp,), ("g·det(A)·A⁻ᵀ",))
#: log|det A| (the sign is a constant: the functions return it beside this node)
SLOGDET = Primitive("slogdet", _nan_matrices(_slogdet), (_slogdet_vjp,), ("g·A⁻ᵀ",))
#: X = A⁻¹ B for B of shape (…, n, k) (vectors are columns: the functions reshape them)
SOLVE = Primitive("solve", _nan_matrices(np.linalg.solve), (_solve_da, _solve_db), ("−(A⁻ᵀ g) Xᵀ", "A⁻ᵀ g"))


def _solve_triangular(a: Array, b: Array, upper: bool) -> Array:
    """X = A⁻¹ B by substitution, reading A's triangle ``upper`` (or lower) and nothing else; a 0 on
    the diagonal gives inf and nan, as torch's (BLAS trsm: no singularity check, unlike LAPACK)."""
    n = a.shape[-1]
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    a = np.broadcast_to(a, batch + a.shape[-2:])
    x = np.array(np.broadcast_to(b, batch + b.shape[-2:]), dtype=np.result_type(a, b, 1.0))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for i in range(n - 1, -1, -1) if upper else range(n):
            done = slice(i + 1, n) if upper else slice(0, i)
            if done.start != done.stop:
                x[..., i, :] -= (a[..., i : i + 1, done] @ x[..., done, :])[..., 0, :]
            x[..., i, :] /= a[..., i, i, None]
    return x


def _solve_triangular_db(ns: Any, g: Any, out: Any, a: Any, b: Any, upper: bool) -> Any:
    """A⁻ᵀ g (a triangular solve with Aᵀ, the other triangle)."""
    return ns.apply(SOLVE_TRIANGULAR, ns.mT(a), g, upper=not upper)


def _solve_triangular_da(ns: Any, g: Any, out: Any, a: Any, b: Any, upper: bool) -> Any:
    """-(A⁻ᵀ g) Xᵀ, on the whole of A (a caller keeps the triangle's part)."""
    return -(_solve_triangular_db(ns, g, out, a, b, upper) @ ns.mT(out))


#: X = A⁻¹ B for triangular A (the triangle ``upper`` read, as torch's solve_triangular, whose values
#: a zero pivot makes inf/nan instead of raising), B of shape (…, n, k)
SOLVE_TRIANGULAR = Primitive(
    "solve_triangular",
    _solve_triangular,
    (_solve_triangular_da, _solve_triangular_db),
    ("−(A⁻ᵀ g) Xᵀ", "A⁻ᵀ g"),
)


# ---------------------------------------------------------------------------- factorizations
def _cholesky_vjp(ns: Any, g: Any, out: Any, a: Any) -> Any:
    """Φ = tril(Lᵀ g), made symmetric with its diagonal halved; gA = L⁻ᵀ Φ L⁻¹ (Murray 2016,
    PyTorch's rule: a symmetric gradient, though LAPACK reads one triangle of A)."""
    n = a.shape[-1]
    phi = ns.mask(ns.mT(out) @ g, np.tri(n, dtype=bool))
    phi = 0.5 * (phi + ns.mT(ns.mask(phi, np.tri(n, k=-1, dtype=bool))))
    left = ns.apply(SOLVE, ns.mT(out), phi)  # L⁻ᵀ Φ
    return ns.mT(ns.apply(SOLVE, ns.mT(out), ns.mT(left)))  # (L⁻ᵀ (L⁻ᵀ Φ)ᵀ)ᵀ = L⁻ᵀ Φ L⁻¹


def _pinv(a: Array, rcond: Any) -> Array:
    return np.linalg.pinv(a, rcond=rcond)


def _pinv_vjp(ns: Any, g: Any, out: Any, a: Any, rcond: Any) -> Any:
    """PyTorch's rule for A⁺ (Golub and Pereyra; right where the rank does not change), in the
    order that keeps the products smallest."""
    p, pt, gt = out, ns.mT(out), ns.mT(g)
    if a.shape[-2] <= a.shape[-1]:
        k = gt @ p
        kpt = k @ pt
        return -ns.mT(p @ k) + kpt - (a @ p) @ kpt + (pt @ p) @ (gt - k @ a)
    k = p @ gt
    ptk = pt @ k
    return -ns.mT(k @ p) + ((gt - a @ k) @ p) @ pt + ptk - (ptk @ p) @ a


CHOLESKY = Primitive("cholesky", np.linalg.cholesky, (_cholesky_vjp,), ("L⁻ᵀ Φ(Lᵀg) L⁻¹",))
PINV = Primitive("pinv", _pinv, (_pinv_vjp,), ("PyTorch's pinv rule",))


# ---------------------------------------------------------------------------- eigh
def _eigh(a: Array, UPLO: str) -> Array:  # noqa: N803 (NumPy's name)
    w, v = np.linalg.eigh(a, UPLO)
    return np.concatenate([w[..., None, :], v], axis=-2)


def eigh_parts(ns: Any, packed: Any) -> tuple[Any, Any]:
    """(eigenvalues (…, n), eigenvectors (…, n, n)) of :data:`EIGH`'s packed (…, n + 1, n) result."""
    return ns.getitem(packed, (Ellipsis, 0, _ALL)), ns.getitem(packed, (Ellipsis, slice(1, None), _ALL))


def _eigh_vjp(ns: Any, g: Any, out: Any, a: Any, UPLO: str) -> Any:  # noqa: N803
    """V (diag(g_w) + skew(Vᵀ g_V) / (w_j − w_i)) Vᵀ, skew(M) = (M − Mᵀ)/2 (PyTorch's rule: a
    symmetric gradient)."""
    w, v = eigh_parts(ns, out)
    gw, gv = eigh_parts(ns, g)
    inner = _diag(ns, gw)
    if not _is_zero(ns, gv):
        n = a.shape[-1]
        eye = np.eye(n, dtype=bool)
        vg = ns.mT(v) @ gv
        gaps = ns.reshape(w, w.shape[:-1] + (1, n)) - ns.reshape(w, w.shape + (1,)) + eye.astype(a.dtype)
        inner = inner + ns.mask((0.5 * (vg - ns.mT(vg))) / gaps, ~eye)
    return v @ (inner @ ns.mT(v))


#: eigenvalues (ascending) and eigenvectors of a symmetric matrix read from one triangle
#: (``UPLO``), packed as (…, n + 1, n): row 0 the eigenvalues, then the eigenvectors' matrix
EIGH = Primitive("eigh", _eigh, (_eigh_vjp,), ("V(diag(g_w) + skew(Vᵀg_V)/(w_j − w_i))Vᵀ",))


# ---------------------------------------------------------------------------- svd
def _svd(a: Array, full_matrices: bool) -> Array:
    u, s, vh = np.linalg.svd(a, full_matrices=full_matrices)
    k = s.shape[-1]
    return np.concatenate([np.swapaxes(u[..., :k], -1, -2), s[..., None], vh[..., :k, :]], axis=-1)


def svd_parts(ns: Any, packed: Any, m: int) -> tuple[Any, Any, Any]:
    """(U (…, m, k), S (…, k), Vᵀ (…, k, n)) of :data:`SVD`'s packed (…, k, m + 1 + n) result."""
    u = ns.mT(ns.getitem(packed, (Ellipsis, slice(0, m))))
    return u, ns.getitem(packed, (Ellipsis, m)), ns.getitem(packed, (Ellipsis, slice(m + 1, None)))


def _svd_vjp(ns: Any, g: Any, out: Any, a: Any, full_matrices: bool) -> Any:
    """PyTorch's rule for A = U diag(S) Vᵀ (distinct singular values; full rank where A is not
    square and U or V is used): U (skew(Uᵀg_U) S + S skew(Vᵀg_V)) / (s_j² − s_i²) + diag(g_S)) Vᵀ,
    plus the parts of g_U (g_V) outside the span of U (V)."""
    m, n = a.shape[-2], a.shape[-1]
    u, s, vh = svd_parts(ns, out, m)
    gu, gs, gvh = svd_parts(ns, g, m)
    use_u, use_v = not _is_zero(ns, gu), not _is_zero(ns, gvh)
    if not (use_u or use_v):
        return (u @ (_diag(ns, gs) @ vh)) if m >= n else ((u @ _diag(ns, gs)) @ vh)
    k = s.shape[-1]
    eye = np.eye(k, dtype=bool)
    row, column = ns.reshape(s, s.shape[:-1] + (1, k)), ns.reshape(s, s.shape + (1,))  # s_j, s_i
    gaps = row * row - column * column + eye.astype(a.dtype)
    inner = 0
    if use_u:
        ug = ns.mT(u) @ gu
        inner = (ug - ns.mT(ug)) * row
    if use_v:
        vg = vh @ ns.mT(gvh)
        inner = inner + column * (vg - ns.mT(vg))
    inner = ns.mask(inner / gaps, ~eye) + _diag(ns, gs)
    if m > n and use_u:  # U (inner + ...) Vᵀ with g_U's part outside U's columns
        gus = gu / row
        return (u @ inner + gus - u @ (ns.mT(u) @ gus)) @ vh
    if m < n and use_v:
        sgv = gvh / column
        return u @ (inner @ vh + sgv - (sgv @ ns.mT(vh)) @ vh)
    return u @ (inner @ vh) if m >= n else (u @ inner) @ vh


#: the singular value decomposition, reduced to k = min(m, n) (the first k columns of U and rows
#: of Vᵀ of a full one), packed as (…, k, m + 1 + n): Uᵀ, S as a column, Vᵀ
SVD = Primitive("svd", _svd, (_svd_vjp,), ("U(F∘… + diag(g_S))Vᵀ (PyTorch's rule)",))
