"""``autograd.svd`` against ``torch.svd`` (the top-level function "Introduction to PyTorch" prints):
U, S and V (not Vh), ``some`` and ``compute_uv``, batches, gradients. Singular vectors are
compared up to their sign (NumPy's and torch's LAPACK calls may pick either); S, the
reconstruction and the gradient of a sign-blind loss exactly."""

from __future__ import annotations

import numpy as np
import pytest

import autograd

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(3)
MATRICES = [
    np.array([[0.3, -0.8], [0.5, 0.1]]), RNG.random((2, 3, 4)), RNG.random((2, 4, 3)), RNG.random((5, 5)),
]


@pytest.mark.parametrize("a", MATRICES, ids=lambda a: "x".join(map(str, a.shape)))
@pytest.mark.parametrize("kwargs", [{}, {"some": False}, {"compute_uv": False}, {"some": True}])
def test_svd_is_torchs(a: np.ndarray, kwargs: dict) -> None:
    found = []
    for lib in (autograd, torch):
        x = lib.tensor(a, requires_grad=True)
        u, s, v = lib.svd(x, **kwargs)
        loss = s.sum() + (u.abs().sum() + (v * 2).abs().sum() if kwargs.get("compute_uv", True) else 0)
        loss.backward()
        found.append([np.array(t.detach().numpy()) for t in (u, s, v, x.grad)])
    (u, s, v, grad), (tu, ts, tv, tgrad) = found
    assert u.shape == tu.shape and v.shape == tv.shape
    np.testing.assert_allclose(s, ts, rtol=1e-12)
    np.testing.assert_allclose(np.abs(u), np.abs(tu), atol=1e-12)
    np.testing.assert_allclose(np.abs(v), np.abs(tv), atol=1e-12)
    np.testing.assert_allclose(grad, tgrad, atol=1e-10)
    if kwargs.get("compute_uv", True):
        k = s.shape[-1]
        rebuilt = (u[..., :k] * s[..., None, :]) @ np.swapaxes(v[..., :k], -1, -2)
        np.testing.assert_allclose(rebuilt, a, atol=1e-12)
    else:
        assert not u.any() and not v.any()
