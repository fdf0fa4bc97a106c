"""``square`` and ``round`` of integer tensors keep their dtype and numbers as torch 2.13's (int64
in, int64 out; square wraps as torch's does), bool's square is int64 and bool's round is refused,
as torch's; float tensors keep their results and gradients."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import autograd

INTS = [[1, -3, 5, 0, 2**31 + 1, 2**32 + 1, -(2**40) - 7], 7, [[2, -2], [9, 10]], []]


@pytest.mark.parametrize("values", INTS, ids=["vector", "0-d", "matrix", "empty"])
@pytest.mark.parametrize("name", ["square", "round"])
def test_integers_keep_their_dtype(values: object, name: str) -> None:
    theirs = getattr(torch, name)(torch.tensor(values, dtype=torch.int64))
    for ours in (
        getattr(autograd, name)(autograd.tensor(values, dtype=autograd.int64)),
        getattr(autograd.tensor(values, dtype=autograd.int64), name)(),
    ):
        assert ours.dtype == autograd.int64
        np.testing.assert_array_equal(ours.data, theirs.numpy(), strict=True)
    t, o = torch.tensor(values, dtype=torch.int64), autograd.tensor(values, dtype=autograd.int64)
    getattr(t, name + "_")()
    getattr(o, name + "_")()
    np.testing.assert_array_equal(o.data, t.numpy(), strict=True)


def test_bool() -> None:
    values = [True, False, True]
    np.testing.assert_array_equal(
        autograd.square(autograd.tensor(values)).data, torch.square(torch.tensor(values)).numpy(), strict=True
    )
    with pytest.raises(NotImplementedError, match="\"round_vml_cpu\" not implemented for 'Bool'"):
        torch.round(torch.tensor(values))
    with pytest.raises(NotImplementedError, match="\"round_vml_cpu\" not implemented for 'Bool'"):
        autograd.round(autograd.tensor(values))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_floats_unchanged(dtype: type) -> None:
    x = np.array([1.5, 2.5, -0.5, -2.5, 3.7, np.nan, np.inf, -0.0], dtype)
    t, o = torch.tensor(x, requires_grad=True), autograd.tensor(x, requires_grad=True)
    for name in ("square", "round"):
        np.testing.assert_array_equal(
            getattr(o, name)().data, getattr(t, name)().detach().numpy(), strict=True
        )
    t.square().sum().backward()
    o.square().sum().backward()
    np.testing.assert_array_equal(o.grad.data, t.grad.numpy(), strict=True)
    assert o.square().grad_fn.name() == t.square().grad_fn.name() == "PowBackward0"
