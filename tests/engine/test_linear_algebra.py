"""Linear algebra on Tensors (``autograd.linalg`` with torch.linalg's semantics, ``np.linalg`` with
NumPy's): values, first and second derivatives against torch float64 or the closed form, the
norms' subgradient at 0, and bad input (singular, non-square, not positive-definite)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from engine_helpers import close, compare_to_second_order

import autograd as ag
from autograd import Tensor, ops

NAN, INF = np.nan, np.inf
rng = np.random.default_rng(11)
SQUARE = rng.standard_normal((3, 3)) + 3 * np.eye(3)
BATCH = rng.standard_normal((2, 3, 3)) + 3 * np.eye(3)
_X = rng.standard_normal((3, 4))
SPD = _X @ _X.T + 0.5 * np.eye(3)
SYMMETRIC = SPD - 2 * np.eye(3)  # distinct eigenvalues of both signs


@pytest.mark.parametrize("a", [SQUARE, BATCH, -SQUARE], ids=["3x3", "2x3x3", "negative det"])
def test_inverse_and_determinants(a: np.ndarray) -> None:
    compare_to_second_order(np.linalg.inv, torch.linalg.inv, [a])
    compare_to_second_order(np.linalg.det, torch.linalg.det, [a])
    compare_to_second_order(lambda x: np.linalg.slogdet(x)[1], lambda t: torch.linalg.slogdet(t)[1], [a])
    compare_to_second_order(lambda x: x.logdet(), torch.logdet, [a])
    sign, logabs = ag.linalg.slogdet(a)
    close(sign.data, np.linalg.slogdet(a)[0])
    assert not sign.requires_grad


def test_det_of_a_singular_matrix_has_the_cofactor_as_its_gradient() -> None:
    # the closed form (adjugate transposed); torch gives it under create_graph, but 0 at first order
    a = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
    x = Tensor(a, requires_grad=True)
    np.linalg.det(x).backward()
    cofactor = np.array([[-3.0, 6.0, -3.0], [6.0, -12.0, 6.0], [-3.0, 6.0, -3.0]])
    close(x.grad, cofactor, atol=1e-12)
    compare_to_second_order(ag.linalg.det, torch.linalg.det, [np.array([[1.0, 2.0], [2.0, 4.0]])], atol=1e-12)
    t = torch.tensor(a, requires_grad=True)
    torch.linalg.det(t).backward()
    assert (t.grad == 0).all()  # (torch's first-order rule at a singular matrix: a listed difference)


def test_slogdet_of_a_singular_matrix_is_minus_inf_with_an_infinite_gradient() -> None:
    x = Tensor([[1.0, 0.0], [0.0, 0.0]], requires_grad=True)
    sign, logabs = np.linalg.slogdet(x)
    assert sign.item() == 0.0 and logabs.item() == -INF
    logabs.backward()
    t = torch.tensor([[1.0, 0.0], [0.0, 0.0]], dtype=torch.float64, requires_grad=True)
    torch.linalg.slogdet(t)[1].backward()
    close(x.grad, t.grad)  # nan where the cofactor is 0 (0/0), inf where it is not, as torch


def test_solve_matrices_vectors_and_batches() -> None:
    b, v = rng.standard_normal((3, 2)), rng.standard_normal(3)
    compare_to_second_order(np.linalg.solve, torch.linalg.solve, [SQUARE, b])
    compare_to_second_order(np.linalg.solve, torch.linalg.solve, [SQUARE, v])
    compare_to_second_order(np.linalg.solve, torch.linalg.solve, [BATCH, b])  # b broadcast over the batch
    compare_to_second_order(np.linalg.solve, torch.linalg.solve, [BATCH, rng.standard_normal((2, 3, 4))])
    # a (2, 3) B: torch's batch of vectors; NumPy 2's (2, 3) matrix, which needs A of size 2 (none here)
    vs = rng.standard_normal((2, 3))
    compare_to_second_order(ag.linalg.solve, torch.linalg.solve, [BATCH, vs])
    compare_to_second_order(np.linalg.solve, torch.linalg.solve, [BATCH, vs[..., None]])
    compare_to_second_order(
        lambda x, y: ag.linalg.solve(x, y, left=False),
        lambda x, y: torch.linalg.solve(x, y, left=False),
        [SQUARE, b.T],
    )


def _torch_lower_symmetric(t: torch.Tensor, upper: bool = False) -> torch.Tensor:
    """The symmetric matrix LAPACK sees reading one triangle of ``t``."""
    part = torch.triu(t) if upper else torch.tril(t)
    return part + part.mT - torch.diag_embed(torch.diagonal(t, 0, -2, -1))


def test_cholesky() -> None:
    compare_to_second_order(ag.linalg.cholesky, torch.linalg.cholesky, [SPD])
    compare_to_second_order(lambda x: x.cholesky(), torch.linalg.cholesky, [SPD])
    compare_to_second_order(
        lambda x: ag.linalg.cholesky(x, upper=True), lambda t: torch.linalg.cholesky(t, upper=True), [SPD]
    )
    batch = np.stack([SPD, SPD + np.eye(3)])
    compare_to_second_order(ag.linalg.cholesky, torch.linalg.cholesky, [batch])
    # np.linalg: the derivative of what NumPy computes, which reads one triangle
    compare_to_second_order(
        np.linalg.cholesky, lambda t: torch.linalg.cholesky(_torch_lower_symmetric(t)), [SPD]
    )
    compare_to_second_order(
        lambda x: np.linalg.cholesky(x, upper=True),
        lambda t: torch.linalg.cholesky(_torch_lower_symmetric(t, upper=True), upper=True),
        [SPD],
    )


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (4, 4), (2, 3, 5)])
def test_pinv(shape: tuple) -> None:
    a = rng.standard_normal(shape)
    compare_to_second_order(ag.linalg.pinv, torch.linalg.pinv, [a], rtol=1e-8)
    compare_to_second_order(np.linalg.pinv, torch.linalg.pinv, [a], rtol=1e-8)


def test_pinv_of_a_rank_deficient_matrix() -> None:
    x = rng.standard_normal((5, 3))
    compare_to_second_order(
        lambda t: np.linalg.pinv(t.T @ t @ np.diag([1.0, 1.0, 0.0]) + 0.0),
        lambda t: torch.linalg.pinv(t.T @ t @ torch.diag(torch.tensor([1.0, 1.0, 0.0], dtype=torch.float64))),
        [x],
        rtol=1e-8,
        atol=1e-9,
    )


def _signs_as_numpy(vectors: torch.Tensor, numpy_vectors: np.ndarray) -> torch.Tensor:
    """torch's eigen/singular vectors (columns) with NumPy's signs (a constant ±1 per column)."""
    agree = np.sum(vectors.detach().numpy() * numpy_vectors, axis=-2, keepdims=True)
    return vectors * torch.as_tensor(np.where(agree < 0, -1.0, 1.0))


def _torch_eigh(t: torch.Tensor, UPLO: str = "L") -> torch.Tensor:  # noqa: N803
    w, v = torch.linalg.eigh(t, UPLO)
    return torch.cat([w[..., None, :], _signs_as_numpy(v, np.linalg.eigh(t.detach().numpy(), UPLO)[1])], -2)


def test_eigh() -> None:
    # torch.linalg.eigh's semantics: the symmetric gradient
    eigh = lambda x, UPLO="L": ag.stack([*ag.linalg.eigh(x, UPLO)[0][None]] + [*ag.linalg.eigh(x, UPLO)[1]])  # noqa: E731
    compare_to_second_order(eigh, _torch_eigh, [SYMMETRIC])
    compare_to_second_order(lambda x: eigh(x, "U"), lambda t: _torch_eigh(t, "U"), [SYMMETRIC])
    compare_to_second_order(ag.linalg.eigvalsh, torch.linalg.eigvalsh, [SYMMETRIC])
    # NumPy's on a matrix that is not symmetric: the function of the triangle it reads
    a = rng.standard_normal((4, 4))

    def ours(x: Tensor, UPLO: str) -> Tensor:  # noqa: N803
        w, v = np.linalg.eigh(x, UPLO)
        return ag.concatenate([w.reshape(1, 4), v])

    for uplo in "LU":
        compare_to_second_order(
            lambda x, uplo=uplo: ours(x, uplo),
            lambda t, uplo=uplo: _torch_eigh(_torch_lower_symmetric(t, uplo == "U"), uplo),
            [a],
        )
    compare_to_second_order(
        np.linalg.eigvalsh, lambda t: torch.linalg.eigvalsh(_torch_lower_symmetric(t)), [a]
    )


def test_eigenvalues_of_repeated_eigenvalues_have_finite_gradients() -> None:
    # only the eigenvalues are used: the eigenvectors' rule (1/(w_j - w_i)) is left out, as torch
    x = Tensor(np.eye(3) * 2.0, requires_grad=True)
    ag.linalg.eigh(x).eigenvalues.sum().backward()
    close(x.grad, np.eye(3))


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (4, 4), (2, 3, 5)])
def test_svd(shape: tuple) -> None:
    a = rng.standard_normal(shape)

    def ours(x: Tensor) -> Tensor:
        u, s, vh = np.linalg.svd(x, full_matrices=False)
        return ag.concatenate([u.reshape(-1), s.reshape(-1), vh.reshape(-1)])

    def theirs(t: torch.Tensor) -> torch.Tensor:
        u, s, vh = torch.linalg.svd(t, full_matrices=False)
        fixed = _signs_as_numpy(u, np.linalg.svd(t.detach().numpy(), full_matrices=False)[0])
        flips = (fixed.detach() * u.detach()).sum(-2, keepdim=True)  # ±1 per column
        return torch.cat([fixed.reshape(-1), s.reshape(-1), (vh * flips.mT).reshape(-1)])

    compare_to_second_order(ours, theirs, [a], rtol=1e-8)
    compare_to_second_order(ag.linalg.svdvals, torch.linalg.svdvals, [a])
    compare_to_second_order(lambda x: np.linalg.svd(x, compute_uv=False), torch.linalg.svdvals, [a])


def test_full_svd_has_constant_extra_columns() -> None:
    a = rng.standard_normal((4, 2))
    u, s, vh = ag.linalg.svd(Tensor(a, requires_grad=True))
    nu, ns, nvh = np.linalg.svd(a)
    assert u.shape == (4, 4) and vh.shape == (2, 2)
    close(u.data, nu), close(s.data, ns), close(vh.data, nvh)
    # the gradient through the first two columns is the reduced one's; the others carry none
    compare_to_second_order(
        lambda x: ag.linalg.svd(x).U[:, :2].sum() + ag.linalg.svd(x).U[:, 2:].sum() * 0.0,
        lambda t: _signs_as_numpy(torch.linalg.svd(t, full_matrices=False)[0], nu[:, :2]).sum(),
        [a],
    )


VECTOR_ORDS = [None, 2, 1, INF, -INF, 3, 0.5, -1, 0]
MATRIX_ORDS = ["fro", "nuc", 1, -1, 2, -2, INF, -INF]


@pytest.mark.parametrize("ord", VECTOR_ORDS)
def test_vector_norms(ord: object) -> None:
    x = np.array([[1.5, -2.0, 0.5, 3.0], [0.25, 1.0, -1.0, 2.0], [2.0, -2.0, 1.0, 0.5]])  # (ties: ±2)
    p = 2 if ord is None else ord
    if p == 0:  # the count of nonzeros: plain numbers, as sign's (torch: a node with gradient 0)
        close(np.linalg.norm(Tensor(x), 0, axis=1).data, np.linalg.norm(x, 0, axis=1))
        return
    compare_to_second_order(
        lambda t: np.linalg.norm(t, ord, axis=1), lambda t: torch.linalg.vector_norm(t, p, 1), [x]
    )
    compare_to_second_order(
        lambda t: ag.linalg.vector_norm(t, p, dim=(0, 1), keepdim=True),
        lambda t: torch.linalg.vector_norm(t, p, (0, 1), keepdim=True),
        [x],
    )
    compare_to_second_order(lambda t: t.norm(p, 0), lambda t: t.norm(p, 0), [x])


@pytest.mark.parametrize("ord", MATRIX_ORDS)
def test_matrix_norms(ord: object) -> None:
    x = rng.standard_normal((2, 3, 4))
    compare_to_second_order(
        lambda t: np.linalg.norm(t, ord, axis=(1, 2)), lambda t: torch.linalg.matrix_norm(t, ord, (1, 2)), [x]
    )
    compare_to_second_order(
        lambda t: ag.linalg.matrix_norm(t, ord, dim=(2, 0), keepdim=True),
        lambda t: torch.linalg.matrix_norm(t, ord, (2, 0), keepdim=True),
        [x],
    )
    compare_to_second_order(lambda t: np.linalg.norm(t, ord), lambda t: torch.linalg.norm(t, ord), [x[0]])


def test_norms_at_zero_and_at_edges_as_torch() -> None:
    zero = np.zeros((2, 3))
    for p in [2, 3, 1, INF]:
        compare_to_second_order(
            lambda t, p=p: np.linalg.norm(t, p, 1),
            lambda t, p=p: torch.linalg.vector_norm(t, p, 1),
            [zero],
            second=p != 2,
        )
    # the 2-norm's second derivative is unbounded near 0: torch's rule x·(g/‖x‖) masked at 0 gives
    # nan there (0 · inf in its own derivative); here the masked root carries none: 0 (a listed
    # difference, as std's at equal values)
    x = Tensor(zero, requires_grad=True)
    (g,) = ag.grad(np.linalg.norm(x, 2, 1).sum(), [x], create_graph=True)
    assert g.data.tolist() == zero.tolist() and not np.any(ag.grad(g.sum(), [x], materialize_grads=True)[0])
    compare_to_second_order(lambda t: t.norm(), lambda t: t.norm(), [zero], second=False)
    compare_to_second_order(lambda t: np.linalg.norm(t), lambda t: torch.linalg.norm(t), [np.zeros((0, 3))])
    edges = np.array([[1.0, NAN, 2.0], [INF, 1.0, -1.0]])
    for p in [2, 1, 3]:
        compare_to_second_order(
            lambda t, p=p: np.linalg.norm(t, p, 1),
            lambda t, p=p: torch.linalg.vector_norm(t, p, 1),
            [edges],
            second=False,
        )
    compare_to_second_order(lambda t: np.linalg.norm(t), lambda t: torch.linalg.norm(t), [np.array(-2.5)])


def test_bad_input_raises_as_torch_and_names_the_function() -> None:
    singular = Tensor([[1.0, 2.0], [2.0, 4.0]], requires_grad=True)
    with pytest.raises(np.linalg.LinAlgError, match=r"linalg.inv: A is singular \(not invertible\)"):
        np.linalg.inv(singular)
    with pytest.raises(np.linalg.LinAlgError, match=r"linalg.solve: A is singular"):
        ag.linalg.solve(singular, [1.0, 2.0])
    with pytest.raises(np.linalg.LinAlgError, match=r"linalg.cholesky: A is not positive-definite"):
        np.linalg.cholesky(-Tensor(SPD))
    with pytest.raises(
        ValueError,
        match=r"linalg.inv: A must be a square matrix or a batch of them \(shape \(\.\.\., n, n\)\), got "
        r"shape \(2, 3\)",
    ):
        ag.linalg.inv(Tensor(np.ones((2, 3))))
    with pytest.raises(ValueError, match=r"linalg.det: A must be a square matrix .* got shape \(3,\)"):
        np.linalg.det(Tensor(np.ones(3)))
    with pytest.raises(
        ValueError, match=r"linalg.solve: B must have 3 rows to match A \(3×3\), got shape \(2, 2\)"
    ):
        np.linalg.solve(Tensor(SQUARE), np.ones((2, 2)))
    with pytest.raises(
        ValueError, match=r"linalg.norm: ord must be 'fro', 'nuc', ±1, ±2 or ±inf for a matrix norm, got 3"
    ):
        np.linalg.norm(Tensor(SQUARE), 3)
    with pytest.raises(ValueError, match=r"linalg.norm: ord must be a number .* vector norm, got 'fro'"):
        np.linalg.norm(Tensor(np.ones(3)), "fro")
    with pytest.raises(ValueError, match=r"linalg.norm: with ord=1 and no axis, A must be 1-d or 2-d"):
        np.linalg.norm(Tensor(np.ones((2, 2, 2))), 1)
    with pytest.raises(ValueError, match=r"linalg.eigh: UPLO must be 'L' or 'U', got 'X'"):
        ag.linalg.eigh(Tensor(SPD), "X")
    with pytest.raises(TypeError, match=r"numpy\.linalg\.svd on a Tensor: the option hermitian=True"):
        np.linalg.svd(Tensor(SPD), hermitian=True)


def test_these_checks_catch_a_wrong_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    # inv's rule with the product's order swapped: -A⁻ᵀ A⁻ᵀ g is wrong for all but symmetric A;
    # and one factor taken as a constant: right first derivatives, wrong second ones
    monkeypatch.setattr(ops.INV, "vjps", (lambda ns, g, out, a: -(ns.mT(out) @ ns.mT(out) @ g),))
    with pytest.raises(AssertionError, match="gradient 0"):
        compare_to_second_order(np.linalg.inv, torch.linalg.inv, [SQUARE])
    constant = lambda ns, g, out, a: -(ns.apply(ops.TRANSPOSE, ns.num(out), axes=(1, 0)) @ (g @ ns.mT(out)))  # noqa: E731
    monkeypatch.setattr(ops.INV, "vjps", (constant,))
    with pytest.raises(AssertionError, match="second derivative 0"):
        compare_to_second_order(np.linalg.inv, torch.linalg.inv, [SQUARE])


def test_solve_given_an_infinite_gradient_is_numpys_lapack() -> None:
    # the rule solves Aᵀ y = g; with g = ±inf, which entries are nan and which inf is LAPACK's
    # elimination order: here NumPy's (torch's differs: a listed difference of the fuzzer)
    a, b, g = SQUARE, np.array([1.0, 2.0, 3.0]), np.array([-INF, 1.0, -INF])
    x = Tensor(b, requires_grad=True)
    ag.linalg.solve(a, x).backward(g)
    with np.errstate(invalid="ignore"):
        close(x.grad, np.linalg.solve(a.T, g))
    assert not np.isfinite(x.grad).all()


def test_infinity_norms_of_a_slice_holding_nan_are_nan_with_gradient_zero() -> None:
    x = np.array([[NAN, 0.04, -0.75], [INF, 0.5, -2.0], [1.0, -3.0, 3.0]])
    for p in [INF, -INF]:
        compare_to_second_order(
            lambda t, p=p: np.linalg.norm(t, p, 1),
            lambda t, p=p: torch.linalg.vector_norm(t, p, 1),
            [x],
            second=False,
        )
