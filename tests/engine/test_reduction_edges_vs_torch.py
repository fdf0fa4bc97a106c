"""The reduction sweep's former differences from torch, each checked on its own against torch 2.13:
the median of an empty integer tensor, cummax/cummin of an empty tensor along any dim, softmax
and log_softmax of an empty integer tensor (values, dtypes, error or not)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import autograd as ag

INT_DTYPES = ["int64", "int32", "int16", "int8", "uint8", "bool"]


@pytest.mark.parametrize("op", ["median", "nanmedian"])
@pytest.mark.parametrize("dtype", INT_DTYPES)
@pytest.mark.parametrize("shape", [(0,), (2, 0), (0, 3, 1)])
def test_median_of_an_empty_integer_tensor_is_torchs(op: str, dtype: str, shape: tuple[int, ...]) -> None:
    """torch fills the 0-d result with nan converted to the dtype: the lowest int64/int32, 0 for the
    narrower integers, True for bool (a bool is refused only when not empty)."""
    data = np.zeros(shape, dtype)
    theirs = getattr(torch, op)(torch.from_numpy(data))
    mine = getattr(ag, op)(ag.tensor(data))
    assert str(mine.dtype) == str(theirs.dtype).replace("torch.", "") and mine.shape == ()
    assert mine.item() == theirs.item()
    assert mine.item() == {"int64": -(2**63), "int32": -(2**31), "bool": True}.get(dtype, 0)


def test_median_of_an_empty_tensor_along_a_dim_and_of_a_bool() -> None:
    """Along a dim of length 0 torch refuses (IndexError here and there); a bool that is not empty is
    refused as torch's; an empty float gives nan."""
    empty = np.zeros((2, 0), np.int64)
    with pytest.raises(IndexError):
        torch.median(torch.from_numpy(empty), 1)
    with pytest.raises(IndexError):
        ag.median(ag.tensor(empty), 1)
    with pytest.raises(NotImplementedError):
        torch.median(torch.tensor([True, False]))
    with pytest.raises(NotImplementedError):
        ag.median(ag.tensor([True, False]))
    assert np.isnan(ag.median(ag.tensor(np.zeros((0, 2)))).item())


@pytest.mark.parametrize("op", ["cummax", "cummin"])
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64"])
@pytest.mark.parametrize("shape", [(0,), (0, 3), (2, 0)])
@pytest.mark.parametrize("dim", [0, -1, 5, -7])
def test_cummax_of_an_empty_tensor_takes_any_dim(
    op: str, dtype: str, shape: tuple[int, ...], dim: int
) -> None:
    """torch checks no range of ``dim`` on an empty tensor: empty values and int64 positions."""
    data = np.zeros(shape, dtype)
    tv, ti = getattr(torch, op)(torch.from_numpy(data), dim)
    x = ag.tensor(data, requires_grad=dtype != "int64")
    mv, mi = getattr(ag, op)(x, dim)
    for m, t in ((mv, tv), (mi, ti)):
        assert str(m.dtype) == str(t.dtype).replace("torch.", "") and m.shape == tuple(t.shape)
    if dtype != "int64":
        mv.sum().backward()
        assert x.grad is not None and x.grad.shape == shape


@pytest.mark.parametrize("op", ["cummax", "cummin"])
def test_cummax_still_checks_dim_where_torch_does(op: str) -> None:
    """A 0-d tensor takes dim 0 or -1 only, a non-empty one a dim in range; a dim that is no int
    is refused (TypeError, as torch's)."""
    for data, dim in ((np.array(2.0), 5), (np.ones((2, 3)), 2)):
        with pytest.raises(IndexError):
            getattr(torch, op)(torch.from_numpy(data), dim)
        with pytest.raises(IndexError):
            getattr(ag, op)(ag.tensor(data), dim)
    with pytest.raises(TypeError):
        getattr(torch, op)(torch.zeros(0), 0.5)
    with pytest.raises(TypeError):
        getattr(ag, op)(ag.tensor(np.zeros(0)), 0.5)


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
@pytest.mark.parametrize("dtype", INT_DTYPES)
@pytest.mark.parametrize("shape", [(0,), (2, 0), (0, 3)])
def test_softmax_of_an_empty_integer_tensor_is_empty(op: str, dtype: str, shape: tuple[int, ...]) -> None:
    """torch runs no kernel on an empty tensor: an empty result of the integer dtype (the function,
    the method and nn.functional's); a dim out of range is still refused."""
    data = np.zeros(shape, dtype)
    theirs = getattr(torch, op)(torch.from_numpy(data), 0)
    x = ag.tensor(data)
    for mine in (getattr(ag, op)(x, 0), getattr(x, op)(-1), getattr(ag.nn.functional, op)(x, dim=0)):
        assert str(mine.dtype) == str(theirs.dtype).replace("torch.", "") and mine.shape == shape
    with pytest.raises(IndexError):
        getattr(torch, op)(torch.from_numpy(data), 5)
    with pytest.raises(IndexError):
        getattr(ag, op)(x, 5)


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
def test_softmax_of_integers_that_are_not_empty_is_refused(op: str) -> None:
    """A 0-d or non-empty integer tensor: torch's NotImplementedError."""
    for data in (np.array(3), np.ones((2, 2), np.int32)):
        with pytest.raises(NotImplementedError):
            getattr(torch, op)(torch.from_numpy(data), 0)
        with pytest.raises(NotImplementedError, match=op):
            getattr(ag, op)(ag.tensor(data), 0)
