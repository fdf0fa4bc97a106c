"""HIPS autograd's ``tests/test_linalg.py``, ported: ``np.linalg`` on Tensors, at second order.

Each HIPS ``check_grads(fun, modes=['rev'])`` call is one case, run the NumPy way
(``np.linalg.inv(t)``) on float64 Tensors and compared with torch float64 (see ``hips_harness``).
Eigen- and singular vectors are defined up to sign: the torch reference flips its vectors to
NumPy's signs at the input (a constant ±1, so its derivatives are untouched). ``eigh`` reads one
triangle of a matrix that need not be symmetric, as LAPACK does: the reference symmetrizes that
triangle first. Matrices are drawn as HIPS draws them (``np.random.seed(42)`` before each
test); where HIPS's own check draws random vectors between two inputs of one test, the inputs
here are drawn one after the other. The case list comes from HIPS autograd (MIT licence,
https://github.com/HIPS/autograd); the code is this project's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hips_harness import COMPLEX, Case, call, check, params, stopped_on_missing_op


def _seeded() -> np.random.RandomState:
    return np.random.RandomState(42)


def _rand_psd(rs: np.random.RandomState, d: int) -> np.ndarray:
    mat = rs.randn(d, d)
    return mat @ mat.T


def _complex(rs: np.random.RandomState, *shape: int) -> np.ndarray:
    return rs.randn(*shape) + 1j * rs.randn(*shape)


def _linalg(name: str, test: str, *args: Any, ops: tuple[str, ...] = (), **case: Any) -> Case:
    return Case(test, call(f"linalg.{name}"), args, ops=(f"linalg.{name}", *ops), **case)


def _symmetrized(name: str) -> Any:
    """HIPS's ``check_symmetric_matrix_grads``: the function of the lower triangle's symmetric matrix."""

    def fn(xp: Any, a: Any, *rest: Any) -> Any:
        low = xp.tril(a)
        return getattr(xp.linalg, name)((low + xp.swapaxes(low, -1, -2)) / 2.0, *rest)

    return fn


def _reparameterization(xp: Any, a: Any, z: Any) -> Any:
    low = xp.tril(a)
    chol = xp.linalg.cholesky((low + xp.swapaxes(low, -1, -2)) / 2.0)
    return xp.linalg.norm(xp.dot(chol, z))


def _inverses() -> list[Case]:
    rs = _seeded()
    mat = rs.randn(8, 8)
    cases = [_linalg("inv", "inv", mat @ mat + np.eye(8))]
    rs = _seeded()
    n, d = 5, 2
    for m in range(n // 2, n + n // 2 + 1):
        cases.append(_linalg("pinv", f"pinv[{n}x{m}]", rs.randn(n, m)))
        cases.append(_linalg("pinv", f"pinv[{d}x{n}x{m}]", rs.randn(d, n, m)))
    low_rank = lambda xp, x: xp.linalg.pinv(xp.matmul(xp.swapaxes(x, -1, -2), x))  # noqa: E731
    for m in range(n // 2, n + n // 2 + 1):
        for shape in ((n, m), (d, n, m)):
            tag = "x".join(map(str, shape))
            # [2x5x5]: XᵀX of condition number 3,000; one rounding of X (x·(1 + 2.2e-16·noise)) moves
            # torch's own second level by up to 1.7e-3 of 2.1e4, so float64 decides it to ~1e-7
            rtol = 1e-6 if tag == "2x5x5" else None
            cases.append(
                Case(f"pinv_low_rank[{tag}]", low_rank, (rs.randn(*shape),), ops=("linalg.pinv",), rtol=rtol)
            )
    rs = _seeded()
    cases.append(_linalg("inv", "inv_3d[4x4x4]", rs.randn(4, 4, 4) + 5 * np.eye(4)))
    cases.append(_linalg("inv", "inv_3d[4x4x4x4]", rs.randn(4, 4, 4, 4) + 5 * np.eye(4)))
    return cases


def _solves() -> list[Case]:
    solve = lambda xp, a, b: xp.linalg.solve(a, b)  # noqa: E731
    ops = ("linalg.solve",)
    rs = _seeded()
    a, b = rs.randn(8, 8) + 10.0 * np.eye(8), rs.randn(8, 7)
    cases = [Case("solve_arg1", solve, (a, b), ops=ops)]
    rs = _seeded()
    a, b = rs.randn(8, 8) + 10.0 * np.eye(8), rs.randn(8)
    cases.append(Case("solve_arg1_1d", solve, (a, b), ops=ops))
    rs = _seeded()
    a, b = rs.randn(6, 6) + np.eye(6), rs.randn(6, 5)
    cases.append(Case("solve_arg2", solve, (a, b), argnums=(1,), ops=ops))
    rs = _seeded()
    a, b = rs.randn(5, 4, 4) + 5 * np.eye(4), rs.randn(5, 4)
    column = lambda xp, a, b: xp.linalg.solve(a, b[..., None])[..., 0]  # noqa: E731 (NumPy 2's stacked b)
    cases.append(Case("solve_arg1_3d", column, (a, b), ops=ops))
    rs = _seeded()
    a, b = rs.randn(5, 4, 4) + 5 * np.eye(4), rs.randn(5, 4, 6)
    cases.append(Case("solve_arg1_3d_3d", solve, (a, b), ops=ops))
    return cases


def _determinants() -> list[Case]:
    cases = [_linalg("det", "det", _seeded().randn(6, 6)), _linalg("det", "det_3d", _seeded().randn(3, 3, 3))]
    logdet = lambda xp, x: xp.linalg.slogdet(x)[1]  # noqa: E731
    mat = _seeded().randn(6, 6)
    ops = ("linalg.slogdet",)
    cases += [Case("slogdet", logdet, (mat,), ops=ops), Case("slogdet[-mat]", logdet, (-mat,), ops=ops)]
    rs = _seeded()
    stacked = np.concatenate([(_rand_psd(rs, 5) + 5 * np.eye(5))[None, ...] for _ in range(3)])
    summed = lambda xp, x: xp.sum(xp.linalg.slogdet(x)[1])  # noqa: E731
    cases.append(Case("slogdet_3d", summed, (stacked,), ops=ops))
    return cases


def _norms() -> list[Case]:
    cases = [_linalg("norm", "vector_2norm", _seeded().randn(6))]
    for seq in (list, tuple):
        fn = lambda xp, x, seq=seq: xp.linalg.norm(seq([x, x + 2]))  # noqa: E731
        cases.append(Case(f"norm_list_of_boxes[{seq.__name__}]", fn, (0.0,), kind="value", order=1))
    rs = _seeded()
    cases.append(_linalg("norm", "vector_2norm_complex", _complex(rs, 6)))
    cases.append(_linalg("norm", "frobenius_norm", _seeded().randn(6, 5)))
    cases.append(_linalg("norm", "frobenius_norm_complex", _complex(_seeded(), 6, 5)))
    axis01 = {"axis": (0, 1)}
    cases.append(_linalg("norm", "frobenius_norm_axis", _seeded().randn(6, 5, 4), kwargs=axis01))
    cases.append(_linalg("norm", "frobenius_norm_axis_complex", _complex(_seeded(), 6, 5, 4), kwargs=axis01))
    for ord in range(2, 5):
        cases.append(_linalg("norm", f"vector_norm_ord[{ord}]", _seeded().randn(6), kwargs={"ord": ord}))
    for ord in range(2, 5):
        z = _complex(_seeded(), 6)
        cases.append(_linalg("norm", f"vector_norm_ord_complex[{ord}]", z, kwargs={"ord": ord}))
    for axis in range(3):
        cases.append(_linalg("norm", f"norm_axis[{axis}]", _seeded().randn(6, 5, 4), kwargs={"axis": axis}))
    for axis in range(3):
        z = _complex(_seeded(), 6, 5, 4)
        cases.append(_linalg("norm", f"norm_axis_complex[{axis}]", z, kwargs={"axis": axis}))
    nuc, nuc_axis = {"ord": "nuc"}, {"ord": "nuc", **axis01}
    cases += [
        _linalg("norm", "norm_nuclear", _seeded().randn(6, 5), kwargs=nuc, order=1),
        _linalg("norm", "norm_nuclear_complex", _complex(_seeded(), 6, 5), kwargs=nuc),
        _linalg("norm", "norm_nuclear_axis", _seeded().randn(6, 5, 4), kwargs=nuc_axis, order=1),
        _linalg("norm", "norm_nuclear_axis_complex", _complex(_seeded(), 6, 5, 4), kwargs=nuc_axis),
    ]
    return cases


def _eigen() -> list[Case]:
    eigh = "linalg.eigh"
    lower = call(eigh)
    upper = lambda xp, x: xp.linalg.eigh(x, "U")  # noqa: E731
    cases = [
        Case("eigvalh_lower", lower, (_seeded().randn(6, 6),), ops=(eigh,)),
        Case("eigvalh_upper", upper, (_seeded().randn(6, 6),), ops=(eigh,)),
    ]
    for name, fn in (("lower", lower), ("upper", upper)):
        mat = _seeded().randn(2, 3, 6, 6) + 10 * np.eye(6)[None, None, ...]
        hermitian = np.einsum("...ij,...kj->...ik", mat, mat)
        cases.append(Case(f"eigvalh_{name}_broadcasting", fn, (hermitian,), ops=(eigh,)))
    for name, fn in (("lower", lower), ("upper", upper)):
        cases.append(Case(f"eigvalh_{name}_complex", fn, (_complex(_seeded(), 6, 6),), ops=(eigh,)))
    eig = ("linalg.eig",)
    # the eigenvalues of a real matrix are complex in general: HIPS takes their absolute values
    cases.append(Case("eig_real", call("linalg.eig"), (_seeded().randn(8, 8),), ops=eig, skip=COMPLEX))
    cases.append(Case("eig_complex", call("linalg.eig"), (_complex(_seeded(), 8, 8),), ops=eig))
    cases.append(Case("eig_batched", call("linalg.eig"), (_complex(_seeded(), 5, 8, 8),), ops=eig))
    return cases


def _cholesky() -> list[Case]:
    ops = ("tril", "linalg.cholesky")
    cases = [Case("cholesky", _symmetrized("cholesky"), (_rand_psd(_seeded(), 6),), ops=ops)]
    rs = _seeded()
    stacked = np.concatenate([_rand_psd(rs, 6)[None, :, :] for _ in range(3)], axis=0)
    cases.append(Case("cholesky_broadcast", _symmetrized("cholesky"), (stacked,), ops=ops))
    z = np.random.RandomState(0).randn(6)
    trick = (_rand_psd(_seeded(), 6), z)
    cases.append(
        Case("cholesky_reparameterization_trick", _reparameterization, trick, ops=(*ops, "linalg.norm"))
    )
    return cases


def _svd() -> list[Case]:
    ops = ("linalg.svd",)
    reduced = lambda xp, x: xp.linalg.svd(x, full_matrices=False)  # noqa: E731
    values = lambda xp, x: xp.linalg.svd(x, full_matrices=False, compute_uv=False)  # noqa: E731
    cases = []
    for name, shape in (
        ("wide_2d", (3, 5)),
        ("wide_3d", (4, 3, 5)),
        ("square_2d", (4, 4)),
        ("square_3d", (3, 4, 4)),
        ("tall_2d", (5, 3)),
        ("tall_3d", (4, 5, 3)),
    ):
        cases.append(Case(f"svd_{name}", reduced, (_seeded().randn(*shape),), ops=ops))
        cases.append(Case(f"svd_{name}_complex", reduced, (_complex(_seeded(), *shape),), ops=ops))
    for name, shape in (("2d", (5, 3)), ("3d", (4, 5, 3))):
        cases.append(Case(f"svd_only_s_{name}", values, (_seeded().randn(*shape),), ops=ops))
        cases.append(Case(f"svd_only_s_{name}_complex", values, (_complex(_seeded(), *shape),), ops=ops))
    return cases


CASES = [*_inverses(), *_solves(), *_determinants(), *_norms(), *_eigen(), *_cholesky(), *_svd()]


@pytest.mark.parametrize("case", params(CASES))
def test_linalg(case: Case) -> None:
    __tracebackhide__ = stopped_on_missing_op
    check(case)
