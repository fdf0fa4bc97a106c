"""``F.fractional_max_pool2d``/``3d`` and ``nn.FractionalMaxPool2d``/``3d`` against torch (float64,
with the same ``_random_samples``): values, indices and input gradients, including overlapping
windows, samples at 0 and near 1, nan and -inf inputs, float32, unbatched inputs, errors, and the
modules' buffer and state dict."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import autograd as ag
from autograd.nn import functional as F

RNG = np.random.default_rng(5)


def _both(
    spatial: int, x: np.ndarray, samples: np.ndarray, **kw: Any
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """(values, indices, input gradient) here and in torch, for a random upstream gradient."""
    ours_f = F.fractional_max_pool2d if spatial == 2 else F.fractional_max_pool3d
    theirs_f = (
        torch.nn.functional.fractional_max_pool2d
        if spatial == 2
        else torch.nn.functional.fractional_max_pool3d
    )
    out = []
    seed = None
    for lib, f in ((ag, ours_f), (torch, theirs_f)):
        xt = lib.tensor(x, requires_grad=True)
        values, indices = f(xt, return_indices=True, _random_samples=lib.tensor(samples), **kw)
        if seed is None:
            seed = RNG.normal(size=tuple(values.shape)).astype(x.dtype)
        (values * lib.tensor(seed)).sum().backward()
        out.append([values.detach().numpy(), indices.numpy(), xt.grad.numpy()])
    return out[0], out[1]


CASES_2D = [
    dict(kernel_size=2, output_size=(5, 4)),
    dict(kernel_size=3, output_size=(6, 5)),  # (windows overlap: gradients add up)
    dict(kernel_size=(2, 3), output_size=(8, 6)),  # (one window per row: the start spacing is 1)
    dict(kernel_size=2, output_ratio=(0.5, 0.7)),
    dict(kernel_size=1, output_size=(3, 2)),
    dict(kernel_size=4, output_size=1),  # (one window, at n - k)
]


@pytest.mark.parametrize("kw", CASES_2D, ids=lambda kw: str(sorted(kw.items())))
def test_fractional_max_pool2d_matches_torch(kw: dict[str, Any]) -> None:
    x = RNG.normal(size=(2, 3, 9, 8))
    samples = RNG.uniform(size=(2, 3, 2))
    ours, theirs = _both(2, x, samples, **kw)
    np.testing.assert_array_equal(ours[0], theirs[0])
    np.testing.assert_array_equal(ours[1], theirs[1])
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-13, atol=1e-15)
    assert ours[1].dtype == np.int64


@pytest.mark.parametrize(
    "kw",
    [dict(kernel_size=2, output_size=(4, 5, 3)), dict(kernel_size=(3, 2, 2), output_ratio=0.5)],
    ids=["size", "ratio"],
)
def test_fractional_max_pool3d_matches_torch(kw: dict[str, Any]) -> None:
    x = RNG.normal(size=(2, 3, 7, 9, 6))
    samples = RNG.uniform(size=(2, 3, 3))
    ours, theirs = _both(3, x, samples, **kw)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("u", [0.0, 0.999999, 0.5])
def test_samples_at_the_ends_of_their_range(u: float) -> None:
    x = RNG.normal(size=(1, 2, 11, 10))
    ours, theirs = _both(2, x, np.full((1, 2, 2), u), kernel_size=2, output_size=(7, 4))
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a, b)


def test_float32_samples_round_as_torch() -> None:
    """The starts are computed in the input's dtype; float32 rounds (i + u)·α differently."""
    x = RNG.normal(size=(3, 4, 31, 29)).astype(np.float32)
    samples = RNG.uniform(size=(3, 4, 2)).astype(np.float32)
    ours, theirs = _both(2, x, samples, kernel_size=3, output_size=(17, 11))
    np.testing.assert_array_equal(ours[1], theirs[1])
    np.testing.assert_array_equal(ours[0], theirs[0])
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-6)
    # (u = 1/7 etc. in float32, α = 7/3: float32 gives the starts 0 2 4 7, float64 would give 0 2 5 7)
    x = RNG.normal(size=(1, 2, 8, 8)).astype(np.float32)
    samples = np.array([[[1 / 7, 2 / 7], [4 / 7, 4 / 5]]], np.float32)
    for kernel in (1, 3):
        ours, theirs = _both(2, x, samples, kernel_size=kernel, output_size=(4, 8 - kernel))
        np.testing.assert_array_equal(ours[1], theirs[1])


def test_nan_and_inf_as_torch() -> None:
    """A window with nans takes its last nan; one of -infs its first element (torch's loop)."""
    x = RNG.normal(size=(1, 2, 6, 6))
    x[0, 0, 1, 1] = x[0, 0, 1, 2] = np.nan
    x[0, 1, :3, :3] = -np.inf
    x[0, 1, 4, 4] = np.inf
    ours, theirs = _both(2, x, RNG.uniform(size=(1, 2, 2)), kernel_size=3, output_size=(3, 3))
    np.testing.assert_array_equal(ours[0], theirs[0])
    np.testing.assert_array_equal(ours[1], theirs[1])
    np.testing.assert_array_equal(ours[2], theirs[2])


def test_unbatched_input_and_drawn_samples() -> None:
    x = RNG.normal(size=(3, 9, 8))
    samples = RNG.uniform(size=(1, 3, 2))
    ours = F.fractional_max_pool2d(ag.tensor(x), 2, output_size=4, _random_samples=ag.tensor(samples))
    theirs = torch.nn.functional.fractional_max_pool2d(
        torch.tensor(x), 2, output_size=4, _random_samples=torch.tensor(samples)
    )
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    values, indices = F.fractional_max_pool2d(ag.tensor(x), 2, output_size=(5, 4), return_indices=True)
    assert values.shape == (3, 5, 4)  # (drawn samples: every value is its input element, a window's max)
    flat = x.reshape(3, -1)
    np.testing.assert_array_equal(
        values.numpy(), np.take_along_axis(flat, indices.numpy().reshape(3, -1), 1).reshape(3, 5, 4)
    )
    rows, cols = indices.numpy() // 8, indices.numpy() % 8
    assert (np.diff(rows, axis=1) >= 0).all() and (np.diff(cols, axis=2) >= 0).all()


def test_errors_name_the_argument() -> None:
    x = ag.tensor(RNG.normal(size=(1, 1, 5, 5)))
    with pytest.raises(ValueError, match="either an output_size or an output_ratio"):
        F.fractional_max_pool2d(x, 2)
    with pytest.raises(ValueError, match="only one of output_size and output_ratio"):
        F.fractional_max_pool2d(x, 2, output_size=3, output_ratio=0.5)
    with pytest.raises(ValueError, match="output_ratio must be between 0 and 1"):
        F.fractional_max_pool2d(x, 2, output_ratio=1.5)
    with pytest.raises(RuntimeError, match="pool height 4 too large relative to input height 5"):
        F.fractional_max_pool2d(x, 4, output_size=3)
    with pytest.raises(RuntimeError, match="pool width 2 too large relative to input width 5"):
        F.fractional_max_pool2d(x, 2, output_size=(2, 6))
    with pytest.raises(RuntimeError, match="Expect _random_samples.size\\(2\\) equals to 2; got 3"):
        F.fractional_max_pool2d(x, 2, output_size=3, _random_samples=ag.rand(1, 1, 3))
    with pytest.raises(RuntimeError, match="same dtype as input"):
        F.fractional_max_pool2d(x, 2, output_size=3, _random_samples=ag.rand(1, 1, 2, dtype=ag.float32))
    with pytest.raises(ValueError, match="expected a 3-d \\(unbatched\\) or 4-d"):
        F.fractional_max_pool2d(ag.ones(5, 5), 2, output_size=3)
    with pytest.raises(ValueError, match="FractionalMaxPool2d requires specifying either an output size"):
        ag.nn.FractionalMaxPool2d(2)
    with pytest.raises(ValueError, match="output_ratio must be between 0 and 1"):
        ag.nn.FractionalMaxPool3d(2, output_ratio=(0.5, 1.0, 0.5))


def test_modules_match_torch_and_keep_samples_as_a_buffer() -> None:
    samples = RNG.uniform(size=(2, 3, 2))
    ours = ag.nn.FractionalMaxPool2d(
        3, output_ratio=0.5, return_indices=True, _random_samples=ag.tensor(samples)
    )
    theirs = torch.nn.FractionalMaxPool2d(
        3, output_ratio=0.5, return_indices=True, _random_samples=torch.tensor(samples)
    )
    assert repr(ours) == repr(theirs) == "FractionalMaxPool2d()"
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["_random_samples"]
    assert list(ag.nn.FractionalMaxPool2d(2, output_size=3).state_dict()) == []
    x = RNG.normal(size=(2, 3, 10, 9))
    (v, i), (tv, ti) = ours(ag.tensor(x)), theirs(torch.tensor(x))
    np.testing.assert_array_equal(v.numpy(), tv.numpy())
    np.testing.assert_array_equal(i.numpy(), ti.numpy())
    loaded = ag.nn.FractionalMaxPool3d(2, output_size=2, _random_samples=ag.zeros(1, 1, 3))
    other = RNG.uniform(size=(1, 1, 3))
    loaded.load_state_dict({"_random_samples": other})
    x3 = RNG.normal(size=(1, 1, 5, 6, 4))
    np.testing.assert_array_equal(
        loaded(ag.tensor(x3)).numpy(),
        torch.nn.functional.fractional_max_pool3d(
            torch.tensor(x3), 2, output_size=2, _random_samples=torch.tensor(other)
        ).numpy(),
    )
