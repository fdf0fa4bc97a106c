"""Singular and not positive-definite matrices against torch 2.13 (float64): triangular solves give
torch's inf and nan (values and gradients) where a diagonal entry is 0; inv, solve, cholesky and
cholesky_inverse raise ``autograd.linalg.LinAlgError``, which is NumPy's class and, as torch's, a
RuntimeError; det and logdet of a singular matrix give torch's values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import autograd
from autograd import linalg as L

U = np.array([[1.0, 2.0, -1.0], [0.0, 0.0, 3.0], [0.0, 0.0, 2.0]])  # a 0 in the middle of the diagonal
B = np.array([[1.0, 2.0], [3.0, 0.0], [-4.0, 5.0]])
SINGULAR = np.array([[1.0, 2.0], [2.0, 4.0]])
NOT_PD = np.array([[1.0, 2.0], [2.0, 1.0]])


def _np(x: Any) -> np.ndarray:
    return x.detach().numpy() if hasattr(x, "detach") else np.asarray(x)


def _both(fn: Callable[[Any, list], Any], *arrays: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """(ours, torch's) for the output and for the gradient of its weighted sum in each input."""
    pairs = []
    for lib in (autograd, torch):
        xs = [lib.tensor(a, requires_grad=True) for a in arrays]
        out = fn(lib, xs)
        w = lib.tensor(np.arange(1.0, out.numel() + 1).reshape(tuple(out.shape)))
        grads = lib.autograd.grad((out * w).sum(), xs)
        pairs.append([_np(out), *(_np(g) for g in grads)])
    return list(zip(*pairs))


TRIANGULAR = {
    "upper": (lambda lib, x: lib.linalg.solve_triangular(x[0], x[1], upper=True), U, B),
    "lower": (lambda lib, x: lib.linalg.solve_triangular(x[0], x[1], upper=False), U.T.copy(), B),
    "right": (lambda lib, x: lib.linalg.solve_triangular(x[0], x[1], upper=True, left=False), U, B.T.copy()),
    "unit diagonal": (
        lambda lib, x: lib.linalg.solve_triangular(x[0], x[1], upper=True, unitriangular=True),
        U,
        B,
    ),
    "batch, one singular": (
        lambda lib, x: lib.linalg.solve_triangular(x[0], x[1], upper=True),
        np.stack([U, U + 2 * np.eye(3)]),
        B,
    ),
    "cholesky_solve": (lambda lib, x: lib.cholesky_solve(x[1], x[0]), U.T.copy(), B),
    "cholesky_solve upper": (lambda lib, x: lib.cholesky_solve(x[1], x[0], upper=True), U, B),
}


@pytest.mark.parametrize("name", TRIANGULAR)
def test_triangular_solves_of_a_singular_matrix_give_torchs_inf_and_nan(name: str) -> None:
    fn, *arrays = TRIANGULAR[name]
    pairs = _both(fn, *arrays)
    for ours, theirs in pairs:  # (equal_nan, and the signs of the infinities)
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
    if name != "unit diagonal":
        assert not np.isfinite(pairs[0][0]).all()


def test_triangular_solves_of_regular_matrices_are_torchs() -> None:
    rng = np.random.default_rng(3)
    for dtype, rtol in ((np.float64, 1e-12), (np.float32, 2e-5)):
        a = (np.triu(rng.normal(size=(2, 5, 5))) + 4 * np.eye(5)).astype(dtype)
        b = rng.normal(size=(5, 3)).astype(dtype)
        for upper in (True, False):
            t = a if upper else np.swapaxes(a, -1, -2).copy()
            fn = lambda lib, x, up=upper: lib.linalg.solve_triangular(x[0], x[1], upper=up)  # noqa: E731
            for ours, theirs in _both(fn, t, b):
                assert ours.dtype == theirs.dtype == dtype
                np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=rtol)


RAISING = {
    "inv": lambda lib, a: lib.linalg.inv(a),
    "inverse": lambda lib, a: lib.inverse(a),
    "solve": lambda lib, a: lib.linalg.solve(a, a),
    "matrix_power -1": lambda lib, a: lib.linalg.matrix_power(a, -1),
    "tensorinv": lambda lib, a: lib.linalg.tensorinv(a, ind=1),
    "cholesky": lambda lib, a: lib.linalg.cholesky(a + lib.tensor([[0.0, 0.0], [0.0, -3.0]])),
    "cholesky_inverse": lambda lib, a: lib.cholesky_inverse(lib.tensor([[1.0, 0.0], [2.0, 0.0]])),
}


@pytest.mark.parametrize("name", RAISING)
def test_singular_inputs_raise_torchs_error_class(name: str) -> None:
    fn = RAISING[name]
    with pytest.raises(torch.linalg.LinAlgError) as theirs:
        fn(torch, torch.tensor(SINGULAR))
    with pytest.raises(L.LinAlgError) as ours:
        fn(autograd, autograd.tensor(SINGULAR))
    # torch's class is a RuntimeError; NumPy's (which np.linalg code catches) a ValueError: both hold
    assert isinstance(ours.value, RuntimeError) and isinstance(ours.value, np.linalg.LinAlgError)
    word = "positive-definite" if "positive-definite" in str(theirs.value) else "singular"
    assert word in str(ours.value)
    if name == "cholesky_inverse":  # (torch's words, the diagonal element named)
        assert "The diagonal element 2 is zero" in str(ours.value)


def test_det_and_logdet_of_a_singular_matrix() -> None:
    for lib in (autograd, torch):
        a = lib.tensor(SINGULAR, requires_grad=True)
        assert lib.linalg.det(a).item() == 0.0
        sign, logabs = lib.linalg.slogdet(a)
        assert sign.item() == 0.0 and logabs.item() == -np.inf
        (g,) = lib.autograd.grad(lib.logdet(a), a)
        assert np.isinf(_np(g)).all()  # (±inf: the cofactor over a signed zero)


def test_matrix_exp_of_a_one_by_one_infinity_has_torchs_nan_gradient() -> None:
    # a batch of 1x1 matrices: ±inf (value e^a, gradient nan in torch), nan, and finite ones whose
    # gradient is e^a (inf past 709, as torch's); first and second derivatives
    a = np.array([np.inf, -np.inf, np.nan, 0.5, -3.0, 800.0]).reshape(6, 1, 1)
    got = []
    for lib in (autograd, torch):
        x = lib.tensor(a, requires_grad=True)
        y = lib.linalg.matrix_exp(x)
        (g,) = lib.autograd.grad(
            (y * lib.tensor(np.arange(1.0, 7.0).reshape(6, 1, 1))).sum(), x, create_graph=True
        )
        (gg,) = lib.autograd.grad(g.sum(), x)
        got.append([_np(y), _np(g), _np(gg)])
    for ours, theirs in zip(*got):
        np.testing.assert_allclose(ours, theirs, rtol=1e-14)  # (nan where torch's is nan)
    assert np.isnan(got[0][1][:3]).all() and np.isfinite(got[0][1][3:5]).all()


@pytest.mark.parametrize("name", ["det", "logabsdet", "inv", "solve"])
def test_a_matrix_holding_nan_gives_torchs_nan(name: str) -> None:
    # LAPACK (through NumPy) calls it singular: det 0, log|det| -inf, inv and solve raise; torch's LU
    # carries the nan. The batch's other matrix keeps its numbers and gradient
    fns = {
        "det": lambda lib, x: lib.linalg.det(x[0]),
        "logabsdet": lambda lib, x: lib.linalg.slogdet(x[0])[1],
        "inv": lambda lib, x: lib.linalg.inv(x[0]),
        "solve": lambda lib, x: lib.linalg.solve(x[0], x[1]),
    }
    a = np.array([[[np.nan, 1.0], [1.0, 1.0]], [[2.0, 1.0], [1.0, 1.0]]])
    pairs = _both(fns[name], *((a, np.ones((2, 2, 1))) if name == "solve" else (a,)))
    for ours, theirs in pairs:
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
    assert np.isnan(pairs[0][0][0]).all() and np.isfinite(pairs[0][0][1]).all()
