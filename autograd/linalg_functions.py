"""``autograd.linalg``'s functions composed of products and norms: multi_dot, matrix_power,
matrix_exp, cond, matrix_rank, vecdot, vander, diagonal (``torch.linalg``'s names and semantics).

Each is an expression of differentiable operations (matmul, solve, svd, cumprod, ...), so its
gradient, to any order, is the engine's derivative of what it computes. matrix_exp (its number
of squarings), matrix_rank and cond with a norm other than 2 take their path from the numbers:
they raise :class:`autograd.compiled.CompileError` inside ``autograd.compile``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._operands import as_tensor, as_tensors
from ._tensor import Tensor, concatenate, nograd
from .linalg import _DEFERRED, _matrices, inv, matrix_norm, solve, svdvals
from .linalg_solvers import eager_only, lu_info
from .numpy_dispatch import _refuse, implements
from .tensor_members import matrix_power as _matrix_power

__all__ = [*_DEFERRED[".linalg_functions"]]


def multi_dot(tensors: Sequence[Any]) -> Tensor:
    """The product of a chain of matrices (``torch.linalg.multi_dot``): the first may be a vector
    (a row), the last a vector (a column); the others are 2-d.

    Parameters
    ----------
    tensors : sequence of Tensor or array_like
        At least two operands.

    Returns
    -------
    Tensor
        The product, 2-d, or with the vector ends' axes dropped.

    Raises
    ------
    ValueError
        If fewer than two operands come, an inner one is not 2-d, or the shapes do not chain.
    """
    xs = list(as_tensors(*tensors)) if len(tensors) else []
    if len(xs) < 2:
        raise ValueError(f"linalg.multi_dot: tensors must hold at least 2 operands, got {len(xs)}")
    for i, x in enumerate(xs):
        allowed = (1, 2) if i in (0, len(xs) - 1) else (2,)
        if x.ndim not in allowed:
            raise ValueError(
                f"linalg.multi_dot: tensors[{i}] must be {' or '.join(f'{d}-d' for d in allowed)}, "
                f"got shape {x.shape}"
            )
    first, last = xs[0].ndim == 1, xs[-1].ndim == 1
    xs[0] = xs[0].reshape(1, -1) if first else xs[0]
    xs[-1] = xs[-1].reshape(-1, 1) if last else xs[-1]
    for i in range(len(xs) - 1):
        if xs[i].shape[1] != xs[i + 1].shape[0]:
            raise ValueError(
                f"linalg.multi_dot: tensors[{i}] ({xs[i].shape}) and tensors[{i + 1}] ({xs[i + 1].shape}) "
                "do not chain (columns must equal the next rows)"
            )
    out = xs[0]
    for x in xs[1:]:
        out = out @ x
    if first and last:
        return out.reshape(())
    return out.reshape(-1) if first or last else out


def matrix_power(A: Any, n: int) -> Tensor:
    """A to the integer power ``n`` (``torch.linalg.matrix_power``): by torch's repeated
    squarings; n = 0 the identity, n < 0 the power of :func:`autograd.linalg.inv`'s A⁻¹.

    Parameters
    ----------
    A : Tensor or array_like
        Square matrices, shape ``(..., m, m)``.
    n : int
        The exponent.

    Returns
    -------
    Tensor
        Aⁿ, of A's shape.

    Raises
    ------
    RuntimeError
        If A is not a (batch of) square matrix (torch's class).
    TypeError
        If ``n`` is not an int.
    numpy.linalg.LinAlgError
        If n < 0 and A is singular.
    """
    return _matrix_power(A, n)


# Higham's (2005) scaling and squaring with the [13/13] Padé approximant: its coefficients, and
# the 1-norm up to which it needs no scaling (θ₁₃)
_PADE13 = (
    64764752532480000.0,
    32382376266240000.0,
    7771770303897600.0,
    1187353796428800.0,
    129060195264000.0,
    10559470521600.0,
    670442572800.0,
    33522128640.0,
    1323241920.0,
    40840800.0,
    960960.0,
    16380.0,
    182.0,
    1.0,
)
_THETA13 = 5.371920351148152


def matrix_exp(A: Any) -> Tensor:
    r"""The matrix exponential :math:`e^A = \sum_k A^k / k!` (``torch.linalg.matrix_exp``,
    ``torch.matrix_exp``), by scaling and squaring with the [13/13] Padé approximant (Higham 2005).

    The gradient is the engine's derivative of that expression (products and a solve), equal to
    the exact Fréchet adjoint to rounding.

    Parameters
    ----------
    A : Tensor or array_like
        Square matrices, shape ``(..., n, n)``.

    Returns
    -------
    Tensor
        e^A, of A's shape.

    Raises
    ------
    ValueError
        If ``A`` is not a (batch of) square matrix.
    """
    a = _matrices("matrix_exp", A)
    eager_only("matrix_exp", "the squarings")
    n = a.shape[-1]
    if a.data.size == 0:
        return a * 1.0
    if n == 1:  # (torch's: the exponential of the one element, also where it is inf or nan)
        # at ±inf torch's gradient is nan (its backward, the exponential of [[a, g], [0, a]], is):
        # there e^a is taken as sqrt(e^(2a)), the same inf or 0, whose derivative is 0 · inf (the
        # finite elements give that branch 0: no 0 · inf of theirs)
        finite = nograd(np.isfinite, a)
        return a.exp().where(finite, (2.0 * a.where(~finite, 0.0)).exp().sqrt())
    norm1 = float(np.max(np.abs(a.data).sum(-2))) if np.all(np.isfinite(a.data)) else 0.0
    squarings = max(0, int(np.ceil(np.log2(norm1 / _THETA13)))) if norm1 > _THETA13 else 0
    a = a / float(2**squarings)
    eye = Tensor(np.broadcast_to(np.eye(n, dtype=a.data.dtype), a.shape).copy())
    b = _PADE13
    a2 = a @ a
    a4 = a2 @ a2
    a6 = a4 @ a2
    u = a @ (a6 @ (b[13] * a6 + b[11] * a4 + b[9] * a2) + b[7] * a6 + b[5] * a4 + b[3] * a2 + b[1] * eye)
    v = a6 @ (b[12] * a6 + b[10] * a4 + b[8] * a2) + b[6] * a6 + b[4] * a4 + b[2] * a2 + b[0] * eye
    out = solve(v - u, v + u)
    for _ in range(squarings):
        out = out @ out
    return out


def cond(A: Any, p: Any = None) -> Tensor:
    """The condition number of A in the norm ``p`` (``torch.linalg.cond``): σ_max/σ_min for
    p None or 2 (σ_min/σ_max for -2), else ‖A‖_p ‖A⁻¹‖_p (square A only).

    A singular A gives inf for the norms of A⁻¹ (nan for 0/0 with p = 2), as torch's.

    Parameters
    ----------
    A : Tensor or array_like
        Matrices, shape ``(..., m, n)`` (square unless p is None or ±2).
    p : {None, 2, -2, "fro", "nuc", 1, -1, inf, -inf}
        The norm (default 2).

    Returns
    -------
    Tensor
        The condition numbers, shape ``A.shape[:-2]``.

    Raises
    ------
    ValueError
        If ``p`` is not a matrix norm, or A is not square where the norm needs A⁻¹.
    """
    if p is None or (not isinstance(p, str) and p in (2, -2)):
        s = svdvals(_matrices("cond", A, square=False))
        big, small = s[..., 0], s[..., -1]
        return small / big if p == -2 else big / small
    if p not in ("fro", "nuc", 1, -1, np.inf, -np.inf):
        raise ValueError(f"linalg.cond: p must be None, 'fro', 'nuc', ±1, ±2 or ±inf, got {p!r}")
    a = _matrices("cond", A)
    singular = lu_info(a.data) > 0
    if not np.any(singular):
        return matrix_norm(a, p) * matrix_norm(inv(a), p)
    eye = np.broadcast_to(np.eye(a.shape[-1], dtype=bool), a.shape)
    safe = a.where(~(singular[..., None, None] & ~eye), 0.0).where(~(singular[..., None, None] & eye), 1.0)
    return (matrix_norm(a, p) * matrix_norm(inv(safe), p)).where(~singular, np.inf)


def matrix_rank(A: Any, *, atol: Any = None, rtol: Any = None, hermitian: bool = False) -> Tensor:
    """The number of singular values above max(atol, rtol · σ_max) (``torch.linalg.matrix_rank``):
    an int64 Tensor, no gradient.

    Parameters
    ----------
    A : Tensor or array_like
        Matrices, shape ``(..., m, n)``.
    atol, rtol : float, optional
        The absolute and relative cutoffs; rtol defaults to max(m, n) · eps when atol is not given
        (else to 0), as torch's.
    hermitian : bool
        Whether A is symmetric (then |eigenvalues| are the singular values).

    Returns
    -------
    Tensor
        The ranks, shape ``A.shape[:-2]``, dtype int64.
    """
    a = _matrices("matrix_rank", A, square=hermitian)
    eager_only("matrix_rank", "the ranks")
    data = a.data
    if data.size == 0:
        return Tensor._node(np.zeros(a.shape[:-2], dtype=np.int64))
    s = np.abs(np.linalg.eigvalsh(data)) if hermitian else np.linalg.svd(data, compute_uv=False)
    if rtol is None:
        rtol = max(a.shape[-2:]) * np.finfo(data.dtype).eps if atol is None else 0.0
    cutoff = np.maximum(0.0 if atol is None else np.asarray(atol), np.asarray(rtol) * s.max(-1))
    return Tensor._node(np.sum(s > np.asarray(cutoff)[..., None], axis=-1).astype(np.int64))


def vecdot(x: Any, y: Any, *, dim: int = -1) -> Tensor:
    """The dot product of vectors along ``dim`` (``torch.linalg.vecdot``; the other axes broadcast).

    Parameters
    ----------
    x, y : Tensor or array_like
        The vectors.
    dim : int
        The axis of the vectors (default -1).

    Returns
    -------
    Tensor
        Σ x·y along ``dim``.

    Raises
    ------
    ValueError
        If the vectors' lengths differ.
    """
    a, b = as_tensors(x, y)
    if a.ndim == 0 or b.ndim == 0 or a.shape[dim] != b.shape[dim]:
        raise ValueError(
            f"linalg.vecdot: x and y must have one length along dim={dim}, got {a.shape} and {b.shape}"
        )
    return (a * b).sum(dim)


def vander(x: Any, *, N: int | None = None) -> Tensor:  # noqa: N803 (torch's name)
    """The Vandermonde matrix with increasing powers x⁰, x¹, ..., x^(N-1) in its columns
    (``torch.linalg.vander``, batched over x's leading axes), by a cumulative product as torch's.

    Parameters
    ----------
    x : Tensor or array_like
        Vectors, shape ``(..., n)``.
    N : int, optional
        The number of columns (default n).

    Returns
    -------
    Tensor
        Shape ``(..., n, N)``.

    Raises
    ------
    ValueError
        If x is 0-d or N < 1.
    """
    t = as_tensor(x)
    if t.ndim == 0:
        raise ValueError("linalg.vander: x must have at least 1 dimension, got a 0-d tensor")
    n = t.shape[-1] if N is None else N
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"linalg.vander: N must be an int >= 1, got {N!r}")
    ones = Tensor(np.ones(t.shape + (1,), dtype=t.data.dtype))
    if n == 1:
        return ones + 0.0 * t.reshape(t.shape + (1,))
    column = t.reshape(t.shape + (1,)).expand(*t.shape, n - 1)
    return concatenate([ones, column], -1).cumprod(-1)


def diagonal(A: Any, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """The diagonals of the matrices on axes (dim1, dim2) (``torch.linalg.diagonal``: torch.diagonal
    with the last two axes by default), as the last axis.

    Parameters
    ----------
    A : Tensor or array_like
        At least 2-d.
    offset : int
        Above (> 0) or below (< 0) the main diagonal (default 0).
    dim1, dim2 : int
        The matrices' axes (default -2, -1).

    Returns
    -------
    Tensor
        The diagonals.
    """
    return as_tensor(A).diagonal(offset, dim1, dim2)


def _complex(name: str) -> Any:
    def refuse(A: Any, *args: Any, **kwargs: Any) -> Tensor:
        raise NotImplementedError(
            f"linalg.{name}: eigenvalues of a general matrix are complex, and Tensors here are real; for a "
            f"symmetric A use linalg.{'eigh' if name == 'eig' else 'eigvalsh'} (real eigenvalues, torch's "
            "gradient), or the singular values of linalg.svd"
        )

    refuse.__name__ = refuse.__qualname__ = name
    refuse.__doc__ = f"""``torch.linalg.{name}``: not available (complex results).

    Parameters
    ----------
    A : Tensor or array_like
        A square matrix, or a batch of them.
    args, kwargs
        torch's other arguments (unused).

    Raises
    ------
    NotImplementedError
        Always, naming :func:`autograd.linalg.eigh` / :func:`autograd.linalg.eigvalsh` for a
        symmetric A.
    """
    return refuse


eig = _complex("eig")
eigvals = _complex("eigvals")


# NumPy's spellings on Tensors
@implements(np.linalg.multi_dot)
def _np_multi_dot(arrays: Any, *, out: Any = None) -> Tensor:
    _refuse("linalg.multi_dot", out=out)
    return multi_dot(arrays)


@implements(np.linalg.matrix_rank)
def _np_matrix_rank(A: Any, tol: Any = None, hermitian: bool = False, *, rtol: Any = None) -> Tensor:  # noqa: N803
    return matrix_rank(A, atol=tol, rtol=rtol, hermitian=hermitian)


@implements(np.linalg.vecdot)
def _np_vecdot(x1: Any, x2: Any, /, *, axis: int = -1) -> Tensor:
    return vecdot(x1, x2, dim=axis)


@implements(np.linalg.diagonal)
def _np_diagonal(x: Any, /, *, offset: int = 0) -> Tensor:
    return diagonal(x, offset=offset)


implements(np.linalg.matrix_power)(matrix_power)
implements(np.linalg.cond)(cond)
implements(np.linalg.eig)(eig)
implements(np.linalg.eigvals)(eigvals)
