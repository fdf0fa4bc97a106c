"""The torch.linalg functions composed of primitives (autograd/linalg_functions.py,
autograd/linalg_solvers.py) against torch 2.13 in float64: values to 1e-12, gradients of a random
weighting of every floating output to torch's, finite differences (gradcheck, gradgradcheck),
batches, singular inputs, empty batches and bad arguments."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import autograd as ag
from autograd import Tensor, gradcheck, gradgradcheck
from autograd.compiled import CompileError

L, TL = ag.linalg, torch.linalg
RNG = np.random.default_rng(5)
A = RNG.normal(size=(2, 4, 4))
B = RNG.normal(size=(2, 4, 3))
TALL, WIDE = RNG.normal(size=(5, 3)), RNG.normal(size=(3, 5))
SPD = A @ np.swapaxes(A, -1, -2) + np.eye(4)
TRI = A + 3 * np.eye(4)
LU_T, PIV_T = TL.lu_factor(torch.tensor(A))
LU_A, PIV = LU_T.numpy(), PIV_T.numpy()
BT = np.swapaxes(B, -1, -2)
RHS = RNG.normal(size=(5, 2))


def _outs(o):
    return tuple(o) if isinstance(o, tuple) else (o,)


def compare(fa, ft, *xs, grad: bool = True, tol: float = 1e-12) -> None:
    """Values of every output, and the gradient of a random weighting of the floating ones, equal."""
    xa = [Tensor(x, requires_grad=grad) for x in xs]
    xt = [torch.tensor(x, requires_grad=grad) for x in xs]
    oa, ot = _outs(fa(*xa)), _outs(ft(*xt))
    assert len(oa) == len(ot)
    for a, t in zip(oa, ot):
        assert a.shape == tuple(t.shape)
        assert a.data.dtype == t.detach().numpy().dtype
        np.testing.assert_allclose(a.data, t.detach().numpy(), rtol=tol, atol=tol)
    if not grad:
        return
    floating = [i for i, t in enumerate(ot) if t.dtype.is_floating_point and t.requires_grad]
    ws = {i: RNG.normal(size=ot[i].shape) for i in floating}
    sum((oa[i] * ws[i]).sum() for i in floating).backward()
    sum((ot[i] * torch.tensor(ws[i])).sum() for i in floating).backward()
    for a, t in zip(xa, xt):
        np.testing.assert_allclose(a.grad.data, t.grad.numpy(), rtol=tol, atol=tol)


CASES = {
    "multi_dot": (
        lambda a, b, c: L.multi_dot([a, b, c]),
        lambda a, b, c: TL.multi_dot([a, b, c]),
        [RNG.normal(size=4), RNG.normal(size=(4, 3)), RNG.normal(size=(3, 2))],
    ),
    "matrix_power-3": (lambda a: L.matrix_power(a, -3), lambda a: TL.matrix_power(a, -3), [A]),
    "matrix_power5": (lambda a: L.matrix_power(a, 5), lambda a: TL.matrix_power(a, 5), [A]),
    "matrix_exp": (L.matrix_exp, TL.matrix_exp, [A]),
    "matrix_exp-squarings": (L.matrix_exp, TL.matrix_exp, [A / 2 + np.diag([3.0, 2, 1, 0])]),
    "torch.matrix_exp": (ag.matrix_exp, torch.matrix_exp, [A * 0.1]),
    "cond": (L.cond, TL.cond, [A]),
    "cond-2": (lambda a: L.cond(a, -2), lambda a: TL.cond(a, -2), [TALL]),
    "vecdot": (L.vecdot, TL.vecdot, [A, A[0]]),
    "vander": (lambda x: L.vander(x, N=4), lambda x: TL.vander(x, N=4), [RNG.normal(size=(2, 3))]),
    "diagonal": (lambda a: L.diagonal(a, offset=1), lambda a: TL.diagonal(a, offset=1), [A]),
    "lu_factor": (L.lu_factor, TL.lu_factor, [A]),
    "lu_factor-tall": (L.lu_factor, TL.lu_factor, [TALL]),
    "lu_factor-wide": (L.lu_factor, TL.lu_factor, [WIDE]),
    "lu_factor_ex": (L.lu_factor_ex, TL.lu_factor_ex, [A]),
    "lu": (L.lu, TL.lu, [A]),
    "lu-tall": (L.lu, TL.lu, [TALL]),
    "lu-wide": (L.lu, TL.lu, [WIDE]),
    "qr": (L.qr, TL.qr, [A]),
    "qr-tall": (L.qr, TL.qr, [TALL]),
    "qr-wide": (L.qr, TL.qr, [WIDE]),
    "qr-complete-wide": (lambda a: L.qr(a, "complete"), lambda a: TL.qr(a, "complete"), [WIDE]),
    "qr-complete-square": (lambda a: L.qr(a, "complete"), lambda a: TL.qr(a, "complete"), [A]),
    "lstsq": (
        lambda a, b: tuple(L.lstsq(a, b)),
        lambda a, b: tuple(TL.lstsq(a, b)),
        [TALL, RNG.normal(size=(5, 2))],
    ),
    "lstsq-vector": (
        lambda a, b: tuple(L.lstsq(a, b)),
        lambda a, b: tuple(TL.lstsq(a, b)),
        [TALL, RNG.normal(size=5)],
    ),
    "lstsq-wide": (
        lambda a, b: tuple(L.lstsq(a, b)),
        lambda a, b: tuple(TL.lstsq(a, b)),
        [WIDE, RNG.normal(size=(3, 2))],
    ),
    "inv_ex": (L.inv_ex, TL.inv_ex, [A]),
    "cholesky_ex": (L.cholesky_ex, TL.cholesky_ex, [SPD]),
    "cholesky_ex-upper": (
        lambda a: L.cholesky_ex(a, upper=True),
        lambda a: TL.cholesky_ex(a, upper=True),
        [SPD],
    ),
    "solve_ex": (L.solve_ex, TL.solve_ex, [A, B]),
    "solve_ex-vector-right": (
        lambda a, b: L.solve_ex(a, b, left=False),
        lambda a, b: TL.solve_ex(a, b, left=False),
        [A, BT],
    ),
    "tensorinv": (lambda a: L.tensorinv(a, 1), lambda a: TL.tensorinv(a, 1), [RNG.normal(size=(6, 2, 3))]),
    "tensorsolve": (L.tensorsolve, TL.tensorsolve, [RNG.normal(size=(2, 3, 6)), RNG.normal(size=(2, 3))]),
    "tensorsolve-dims": (
        lambda a, b: L.tensorsolve(a, b, dims=(0,)),
        lambda a, b: TL.tensorsolve(a, b, dims=(0,)),
        [RNG.normal(size=(6, 2, 3)), RNG.normal(size=(2, 3))],
    ),
    "cholesky_solve": (
        lambda b, f: ag.cholesky_solve(b, f),
        torch.cholesky_solve,
        [B, np.linalg.cholesky(SPD)],
    ),
    "cholesky_solve-upper": (
        lambda b, f: ag.cholesky_solve(b, f, True),
        lambda b, f: torch.cholesky_solve(b, f, True),
        [B, np.swapaxes(np.linalg.cholesky(SPD), -1, -2)],
    ),
    "cholesky_inverse": (ag.cholesky_inverse, torch.cholesky_inverse, [np.linalg.cholesky(SPD[0])]),
}
for _up in (True, False):
    for _left in (True, False):
        for _unit in (True, False):
            CASES[f"solve_triangular-{_up}-{_left}-{_unit}"] = (
                lambda a, b, u=_up, le=_left, un=_unit: L.solve_triangular(
                    a, b, upper=u, left=le, unitriangular=un
                ),
                lambda a, b, u=_up, le=_left, un=_unit: TL.solve_triangular(
                    a, b, upper=u, left=le, unitriangular=un
                ),
                [TRI, B if _left else BT],
            )
for _left in (True, False):
    for _adj in (True, False):
        CASES[f"lu_solve-{_left}-{_adj}"] = (
            lambda lu, b, le=_left, ad=_adj: L.lu_solve(lu, PIV, b, left=le, adjoint=ad),
            lambda lu, b, le=_left, ad=_adj: TL.lu_solve(lu, PIV_T, b, left=le, adjoint=ad),
            [LU_A, B if _left else BT],
        )
for _driver in ("gels", "gelsy", "gelsd", "gelss"):
    CASES[f"lstsq-{_driver}"] = (
        lambda a, b, d=_driver: tuple(L.lstsq(a, b, driver=d)),
        lambda a, b, d=_driver: tuple(TL.lstsq(a, b, driver=d)),
        [np.stack([TALL, TALL[::-1]]), RNG.normal(size=(2, 5, 2))],
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_gradients_match_torch(name: str) -> None:
    fa, ft, xs = CASES[name]
    compare(fa, ft, *xs)


def test_values_without_torch_gradient() -> None:
    # torch refuses these gradients (qr complete tall, mode r) or fails (cond 'fro': an in-place
    # error in its backward); the values are compared, and the gradients by finite differences
    compare(lambda a: L.qr(a, "complete"), lambda a: TL.qr(a, "complete"), TALL, grad=False)
    compare(lambda a: L.qr(a, "r"), lambda a: TL.qr(a, "r"), A, grad=False)
    for p in ("fro", "nuc", 1, -1, np.inf, -np.inf):
        compare(lambda a, p=p: L.cond(a, p), lambda a, p=p: TL.cond(a, p), A, grad=False)
        assert gradcheck(lambda a, p=p: L.cond(a, p), (Tensor(A[0] + 2 * np.eye(4), requires_grad=True),))


def test_matrix_exp_with_squarings() -> None:
    x = 3 * A + np.diag([5.0, 3, 1, 0])  # 1-norms above θ₁₃ = 5.37: scaled by 2^-s, squared s times
    xa, xt = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    w = RNG.normal(size=x.shape)
    (L.matrix_exp(xa) * w).sum().backward()
    (TL.matrix_exp(xt) * torch.tensor(w)).sum().backward()
    value, grad = L.matrix_exp(x).data, xa.grad.data
    scale = np.abs(value).max(axis=(-2, -1), keepdims=True)
    assert (np.abs(value - TL.matrix_exp(torch.tensor(x)).numpy()) / scale).max() < 1e-13
    assert (np.abs(grad - xt.grad.numpy()) / np.abs(grad).max(axis=(-2, -1), keepdims=True)).max() < 1e-12


def test_top_level_qr() -> None:
    with warnings.catch_warnings():  # (torch's deprecation warning, once per process)
        warnings.simplefilter("ignore")
        q_t, r_t = torch.qr(torch.tensor(TALL), some=False)
    q, r = ag.qr(TALL, some=False)
    np.testing.assert_allclose(q.data, q_t.numpy(), atol=1e-12)
    np.testing.assert_allclose(r.data, r_t.numpy(), atol=1e-12)


@pytest.mark.parametrize(
    "f, x",
    [
        (L.matrix_exp, A[0] * 0.7),
        (lambda a: L.qr(a).Q, TALL),
        (lambda a: L.qr(a).R, WIDE),
        (lambda a: L.lu_factor(a).LU, A[0]),
        (lambda a: L.lu(a).L, TALL),
        (lambda a: L.lstsq(a, RHS).solution, TALL),
        (lambda a: L.solve_triangular(a, B[0], upper=True), TRI[0]),
        (lambda a: L.cond(a), A[0]),
        (lambda a: L.vander(a, N=3), A[0, 0]),
    ],
)
def test_finite_differences_first_and_second_order(f, x) -> None:
    t = Tensor(x, requires_grad=True)
    assert gradcheck(f, (t,))
    assert gradgradcheck(f, (t,))


def test_singular_inputs() -> None:
    s = A.copy()
    s[1] = [[1, 2, 0, 0], [0, 1, 0, 0], [0, 0, 1, 2], [0, 0, 2, 4]]  # U's last diagonal entry is 0
    inv_a, info_a = L.inv_ex(s)
    inv_t, info_t = TL.inv_ex(torch.tensor(s))
    np.testing.assert_array_equal(info_a.data, info_t.numpy())
    np.testing.assert_allclose(inv_a.data[0], inv_t.numpy()[0], atol=1e-12)
    assert np.isnan(inv_a.data[1]).all()
    np.testing.assert_array_equal(
        L.solve_ex(s, B).info.data, TL.solve_ex(torch.tensor(s), torch.tensor(B)).info
    )
    not_pd = SPD.copy()
    not_pd[1, 2, 2] = -50.0
    np.testing.assert_array_equal(L.cholesky_ex(not_pd).info.data, TL.cholesky_ex(torch.tensor(not_pd)).info)
    np.testing.assert_array_equal(L.lu_factor_ex(s).info.data, TL.lu_factor_ex(torch.tensor(s)).info)
    with pytest.raises(np.linalg.LinAlgError, match="lu_factor: U"):
        L.lu_factor(s)
    with pytest.raises(RuntimeError, match="lu_factor"):
        TL.lu_factor(torch.tensor(s))
    for fn in (L.inv_ex, L.cholesky_ex):
        with pytest.raises(np.linalg.LinAlgError, match=fn.__name__):
            fn(not_pd if fn is L.cholesky_ex else s, check_errors=True)
    np.testing.assert_allclose(L.cond(s, "fro").data, TL.cond(torch.tensor(s), "fro").numpy())  # [c, inf]
    np.testing.assert_array_equal(L.matrix_rank(s).data, TL.matrix_rank(torch.tensor(s)).numpy())
    p, lo, up = L.lu(s)  # a singular A is factored
    assert (p.data[1] @ lo.data[1] @ up.data[1] == s[1]).all()


def test_integer_outputs_have_torch_dtypes() -> None:
    assert L.lu_factor(A).pivots.data.dtype == np.int32
    assert L.inv_ex(A).info.data.dtype == np.int32
    assert L.lstsq(TALL, np.ones((5, 1))).rank.data.dtype == np.int64
    assert not L.lstsq(
        Tensor(TALL, requires_grad=True), np.ones((5, 1)), driver="gelsd"
    ).singular_values.requires_grad
    for kw in ({}, {"atol": 1.0}, {"rtol": 0.3}, {"hermitian": True}):
        x = SPD if kw.get("hermitian") else A
        np.testing.assert_array_equal(
            L.matrix_rank(x, **kw).data, TL.matrix_rank(torch.tensor(x), **kw).numpy()
        )


def test_empty_batches() -> None:
    e = np.zeros((0, 3, 3))
    for fa, ft in [
        (L.matrix_exp, TL.matrix_exp),
        (L.inv_ex, TL.inv_ex),
        (L.qr, TL.qr),
        (L.lu_factor, TL.lu_factor),
        (L.cholesky_ex, TL.cholesky_ex),
        (L.matrix_rank, TL.matrix_rank),
    ]:
        oa, ot = _outs(fa(e)), _outs(ft(torch.tensor(e)))
        assert [a.shape for a in oa] == [tuple(t.shape) for t in ot], fa.__name__


def test_complex_results_are_refused() -> None:
    for fn in (L.eig, L.eigvals):
        with pytest.raises(NotImplementedError, match="eigh|eigvalsh"):
            fn(A)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: L.qr(A, mode="full"), "mode must be 'reduced', 'complete' or 'r'"),
        (lambda: L.lstsq(TALL, np.ones((5, 1)), driver="gelsx"), "driver must be one of"),
        (lambda: L.lstsq(TALL, np.ones((4, 1))), "B must have 5 rows"),
        (lambda: L.multi_dot([A[0]]), "at least 2 operands"),
        (lambda: L.multi_dot([A[0], A, A[0]]), r"tensors\[1\] must be 2-d"),
        (lambda: L.multi_dot([A[0], TALL]), "do not chain"),
        (lambda: L.solve_triangular(A, B[0, :, 0], upper=True), "B must be matrices"),
        (lambda: L.lu_solve(LU_A, PIV[:, :2], B), "pivots must be ints"),
        (lambda: L.lu_factor(A, pivot=False), "pivot must be True"),
        (lambda: L.tensorinv(np.ones((2, 3)), 1), r"prod\(A.shape\[:ind\]\) must equal"),
        (lambda: L.tensorinv(A, 0), "ind must be a positive int"),
        (lambda: L.tensorsolve(np.ones((2, 3, 4)), np.ones((2, 3))), "must equal B's size"),
        (lambda: L.vander(A[0, 0], N=0), "N must be an int >= 1"),
        (lambda: L.vecdot(A, TALL), "one length along dim"),
        (lambda: L.cond(A, 3), "p must be None"),
        (lambda: L.matrix_exp(TALL), "square matrix"),
    ],
)
def test_bad_arguments_name_the_argument(call, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        call()


def test_compiled_steps() -> None:
    # qr reads each call's numbers (nograd): compiled equals eager on new numbers, one trace
    x = Tensor(A.copy(), requires_grad=True)
    w = RNG.normal(size=A.shape)

    @ag.compile
    def step():
        q, r = L.qr(x)
        return (q * w).sum() + (r * w).sum()

    for scale in (1.0, -2.0, 5.0):
        x.data[...] = RNG.normal(size=A.shape) * scale
        x.grad = None
        out = step()
        e = Tensor(x.data.copy(), requires_grad=True)
        q, r = L.qr(e)
        want = (q * w).sum() + (r * w).sum()
        want.backward()
        np.testing.assert_allclose(out.item(), want.item(), rtol=1e-13)
        np.testing.assert_allclose(x.grad.data, e.grad.data, rtol=1e-12, atol=1e-13)
    assert step.trace_count == 1
    # the others choose their path (pivots, squarings, ranks) from the numbers: refused
    for fn in (L.lu_factor, L.inv_ex, L.matrix_exp, L.cholesky_ex, lambda a: L.lstsq(a, a), L.matrix_rank):

        @ag.compile
        def refused(fn=fn):
            out = fn(x)
            return _outs(out)[0].sum() * 1.0

        with pytest.raises(CompileError, match="outside autograd.compile"):
            refused()


@pytest.mark.parametrize(
    "name", ["qr", "lu", "lu_factor", "matrix_exp", "inv_ex", "lstsq", "tensorsolve", "vander"]
)
def test_float32_keeps_its_dtype(name: str) -> None:
    fa, ft, xs = CASES[name]
    xs = [x.astype(np.float32) for x in xs]
    oa, ot = _outs(fa(*map(Tensor, xs))), _outs(ft(*map(torch.tensor, xs)))
    for a, t in zip(oa, ot):
        assert a.data.dtype == t.numpy().dtype
        np.testing.assert_allclose(a.data, t.numpy(), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("shape, k", [((5, 3), 3), ((2, 4, 4), 4), ((6, 3), 2)])
def test_householder_product(shape: tuple, k: int) -> None:
    tau = RNG.uniform(0, 2, size=shape[:-2] + (k,))
    compare(L.householder_product, TL.householder_product, RNG.normal(size=shape), tau)
    assert gradgradcheck(
        L.householder_product, (Tensor(RNG.normal(size=shape), requires_grad=True), Tensor(tau))
    )
    a, t = torch.geqrf(torch.tensor(TALL))  # with geqrf's reflectors: QR's Q
    np.testing.assert_allclose(
        L.householder_product(a.numpy(), t.numpy()).data, np.linalg.qr(TALL)[0], atol=1e-14
    )


def test_linalg_error_is_the_one_raised() -> None:
    with pytest.raises(L.LinAlgError):
        L.inv(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="householder_product: A must be"):
        L.householder_product(WIDE, np.ones(3))


@pytest.mark.parametrize(
    "name, args",
    [
        ("lstsq", (TALL, RHS[:, 0])),
        ("lstsq", (TALL, RHS)),
        ("lstsq", (WIDE, RHS[:3])),
        ("qr", (TALL,)),
        ("qr", (WIDE, "complete")),
        ("qr", (TALL, "r")),
        ("cond", (A[0],)),
        ("cond", (A[0], "fro")),
        ("matrix_rank", (TALL,)),
        ("multi_dot", ([TALL.T, TALL, WIDE],)),
        ("matrix_power", (A[0], -2)),
        ("tensorinv", (RNG.normal(size=(6, 2, 3)), 1)),
        ("tensorsolve", (RNG.normal(size=(2, 3, 6)), RNG.normal(size=(2, 3)))),
        ("vecdot", (A, A[0])),
        ("diagonal", (A,)),
    ],
)
def test_numpy_spellings_on_tensors_match_numpy(name: str, args: tuple) -> None:
    f = getattr(np.linalg, name)
    ref = _outs(f(*args))
    got = _outs(
        f(
            *[
                [Tensor(y) for y in x]
                if isinstance(x, list)
                else Tensor(x)
                if isinstance(x, np.ndarray)
                else x
                for x in args
            ]
        )
    )
    assert len(got) == len(ref)
    for r, g in zip(ref, got):
        g = g.data if isinstance(g, Tensor) else g
        assert np.shape(g) == np.shape(r)
        np.testing.assert_allclose(g, r, rtol=1e-12, atol=1e-12)
    with pytest.raises(NotImplementedError, match="eigh"):
        np.linalg.eig(Tensor(A))


def _symmetric(seed: int) -> np.ndarray:
    r = np.random.default_rng(seed)
    n = int(r.integers(1, 7))
    a = r.normal(size=(n, n))
    a = a + a.T
    if seed % 2:  # small diagonals: 2×2 pivot blocks
        a[np.diag_indices(n)] *= 0.01
    return a


@pytest.mark.parametrize("seed", range(24))
def test_ldl_factor_and_solve_match_torch(seed: int) -> None:
    a = _symmetric(seed)
    b = RNG.normal(size=(a.shape[0], 2))
    ld, piv, info = L.ldl_factor_ex(a)
    ld_t, piv_t, info_t = TL.ldl_factor_ex(torch.tensor(a))
    np.testing.assert_allclose(ld.data, ld_t.numpy(), rtol=1e-12, atol=1e-12)
    assert piv.data.dtype == np.int32 and (piv.data == piv_t.numpy()).all() and info.data == info_t.item()
    x, x_t = L.ldl_solve(ld, piv, b), TL.ldl_solve(ld_t, piv_t, torch.tensor(b)).numpy()
    np.testing.assert_allclose(x.data, x_t, rtol=1e-10, atol=1e-10 * np.abs(x_t).max())


def test_ldl_batches_singular_and_gradient_in_b() -> None:
    a = np.stack([_symmetric(s)[:1, :1] for s in (6, 8, 10)])
    stack = np.stack([_symmetric(s)[:2, :2] for s in (1, 3, 5)] + [np.diag([1.0, 0.0])])
    ld, piv, info = L.ldl_factor_ex(stack)
    ld_t, piv_t, info_t = TL.ldl_factor_ex(torch.tensor(stack))
    np.testing.assert_allclose(ld.data, ld_t.numpy(), atol=1e-12)
    assert (piv.data == piv_t.numpy()).all() and (info.data == info_t.numpy()).all() and info.data[-1] == 2
    with pytest.raises(np.linalg.LinAlgError, match="ldl_factor: D is singular"):
        L.ldl_factor(stack)
    assert L.ldl_factor_ex(np.zeros((0, 3, 3))).LD.shape == (0, 3, 3)
    ld, piv = L.ldl_factor(a[:, :1, :1])
    b = Tensor(RNG.normal(size=(3, 1, 2)), requires_grad=True)
    assert gradcheck(lambda b: L.ldl_solve(ld, piv, b), (b,))
    with pytest.raises(ValueError, match="pivots must be nonzero ints"):
        L.ldl_solve(ld, piv.data * 0, b)
