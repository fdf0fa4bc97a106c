"""``nn.init.trunc_normal_``, ``orthogonal_`` and ``sparse_`` against torch 2.13 after the same
seed: trunc_normal_ (both of its rejection samplers) and sparse_ bit for bit, orthogonal_ to
LAPACK's rounding; the generator where torch leaves it in every case, so the next draw matches."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import autograd
import autograd.nn as nn


def bits_equal(ours: object, theirs: torch.Tensor) -> bool:
    a = np.asarray(getattr(ours, "data", ours))
    b = theirs.detach().numpy()
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


def _next_draws_equal() -> bool:
    return bits_equal(autograd.rand(5, dtype=autograd.float32), torch.rand(5))


TRUNC = [
    {},  # 95% of the mass inside: normal draws, redrawn where outside
    {"mean": 0.5, "std": 2.0, "a": -1.0, "b": 3.0},
    {"mean": 0.0, "std": 0.02, "a": -0.04, "b": 0.04},
    {"mean": 0.0, "std": 1.0, "a": 1.0, "b": 3.0},  # 16% inside: uniform proposals, accept/reject
    {"mean": 0.0, "std": 1.0, "a": 2.0, "b": 4.0},
    {"mean": 3.0, "std": 0.5, "a": -1.0, "b": 0.5},  # mean far outside (torch warns)
]


@pytest.mark.parametrize("kw", TRUNC)
@pytest.mark.parametrize("shape", [(3,), (5,), (4, 7), (33, 17)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_trunc_normal_is_torchs(kw: dict, shape: tuple, dtype: type) -> None:
    for seed in (0, 1):
        torch.manual_seed(seed)
        autograd.manual_seed(seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = torch.nn.init.trunc_normal_(torch.empty(shape), **kw)
            ours = nn.init.trunc_normal_(autograd.zeros(shape, dtype=dtype), **kw)
        assert bits_equal(ours.data.astype(np.float32), theirs), (kw, shape, seed)
        assert ours.data.min() >= np.float32(kw.get("a", -2.0)) and ours.data.max() <= np.float32(
            kw.get("b", 2.0)
        )
        assert _next_draws_equal()


def test_trunc_normal_warns_as_torch_and_takes_a_generator() -> None:
    with pytest.warns(UserWarning, match="mean is more than 2 std from"):
        nn.init.trunc_normal_(autograd.zeros(3), mean=5.0, a=-1.0, b=1.0)
    ours_g, theirs_g = autograd.Generator().manual_seed(4), torch.Generator().manual_seed(4)
    for kw in TRUNC[:4]:
        ours = nn.init.trunc_normal_(autograd.zeros((6, 5), dtype=np.float32), generator=ours_g, **kw)
        assert bits_equal(ours, torch.nn.init.trunc_normal_(torch.empty(6, 5), generator=theirs_g, **kw))


def test_trunc_normal_in_float64_after_set_default_dtype() -> None:
    autograd.set_default_dtype(autograd.float64)
    torch.set_default_dtype(torch.float64)
    try:
        for kw in TRUNC:
            torch.manual_seed(3)
            autograd.manual_seed(3)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ours = nn.init.trunc_normal_(autograd.zeros(40, 9), **kw)
                assert bits_equal(ours, torch.nn.init.trunc_normal_(torch.empty(40, 9), **kw)), kw
    finally:
        torch.set_default_dtype(torch.float32)
        autograd.set_default_dtype(autograd.float64)  # (tests/conftest.py resets the user flag)


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (4, 4), (2, 3, 4), (6, 2, 2), (1, 7), (7, 1), (20, 30)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_orthogonal_is_torchs_to_lapacks_rounding(shape: tuple, dtype: type) -> None:
    torch.manual_seed(1)
    autograd.manual_seed(1)
    theirs = torch.nn.init.orthogonal_(torch.empty(shape), gain=1.5).numpy()
    ours = nn.init.orthogonal_(autograd.zeros(shape, dtype=dtype), gain=1.5).data
    assert ours.dtype == dtype
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=2e-6)  # (the signs too: R's diagonal's)
    flat = ours.reshape(shape[0], -1).astype(np.float64)
    gram = flat @ flat.T if flat.shape[0] <= flat.shape[1] else flat.T @ flat
    np.testing.assert_allclose(gram, 2.25 * np.eye(len(gram)), atol=5e-6)
    assert _next_draws_equal()  # (rows·cols normal draws, as torch)


def test_orthogonal_of_vectors_and_empty_tensors() -> None:
    with pytest.raises(ValueError, match="Only tensors with 2 or more dimensions are supported"):
        nn.init.orthogonal_(autograd.zeros(3))
    autograd.manual_seed(0)
    state = autograd.get_rng_state().data.tobytes()
    nn.init.orthogonal_(autograd.zeros(0, 3))
    assert autograd.get_rng_state().data.tobytes() == state


@pytest.mark.parametrize("shape, sparsity", [((10, 4), 0.3), ((7, 5), 0.0), ((3, 6), 1.0), ((20, 3), 0.55)])
def test_sparse_is_torchs_with_its_default_generator_permutations(shape: tuple, sparsity: float) -> None:
    torch.manual_seed(2)
    autograd.manual_seed(2)
    theirs = torch.nn.init.sparse_(torch.empty(shape), sparsity, std=0.5)
    ours = nn.init.sparse_(autograd.zeros(shape, dtype=np.float32), sparsity, std=0.5)
    assert bits_equal(ours, theirs)
    assert ((ours.data == 0).sum(0) == int(np.ceil(sparsity * shape[0]))).all()
    ours_g, theirs_g = autograd.Generator().manual_seed(3), torch.Generator().manual_seed(3)
    theirs = torch.nn.init.sparse_(torch.empty(shape), sparsity, generator=theirs_g)
    ours = nn.init.sparse_(autograd.zeros(shape, dtype=np.float32), sparsity, generator=ours_g)
    assert bits_equal(ours, theirs)  # (normals from the generator, permutations from the default one)
    assert _next_draws_equal()
    assert bits_equal(
        autograd.rand(2, generator=ours_g, dtype=autograd.float32), torch.rand(2, generator=theirs_g)
    )


def test_sparse_needs_a_matrix() -> None:
    with pytest.raises(ValueError, match="Only tensors with 2 dimensions are supported"):
        nn.init.sparse_(autograd.zeros(2, 2, 2), 0.1)
    with pytest.raises(TypeError, match="expected a Tensor"):
        nn.init.sparse_(np.zeros((2, 2)), 0.1)


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (4, 4), (0, 2)])
def test_eye_is_torchs(shape: tuple) -> None:
    ours = nn.init.eye_(autograd.zeros(shape, dtype=np.float32) + 7)
    assert bits_equal(ours, torch.nn.init.eye_(torch.full(shape, 7.0)))
    with pytest.raises(ValueError, match="Only tensors with 2 dimensions are supported"):
        nn.init.eye_(autograd.zeros(2, 2, 2))


@pytest.mark.parametrize(
    "shape, groups",
    [((4, 3, 3), 1), ((6, 2, 3, 4), 2), ((4, 4, 3, 3, 3), 4), ((2, 5, 2, 2), 1), ((3, 1, 5), 3)],
)
def test_dirac_is_torchs(shape: tuple, groups: int) -> None:
    ours = nn.init.dirac_(autograd.zeros(shape, dtype=np.float32) + 7, groups)
    assert bits_equal(ours, torch.nn.init.dirac_(torch.full(shape, 7.0), groups))


def test_a_dirac_kernel_passes_the_channels_through() -> None:
    weight = nn.init.dirac_(autograd.zeros((3, 3, 3, 3)))
    x = autograd.tensor(np.random.default_rng(0).normal(size=(2, 3, 5, 5)))
    assert np.array_equal(autograd.nn.functional.conv2d(x, weight, padding=1).data, x.data)


def test_dirac_errors_are_torchs() -> None:
    with pytest.raises(ValueError, match="Only tensors with 3, 4, or 5 dimensions are supported"):
        nn.init.dirac_(autograd.zeros(2, 2))
    with pytest.raises(ValueError, match="dim 0 must be divisible by groups"):
        nn.init.dirac_(autograd.zeros(3, 2, 2), groups=2)
