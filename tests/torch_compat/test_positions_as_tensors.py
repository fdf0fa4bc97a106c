"""The positions that sort, argsort, topk, cummax/cummin, median(dim), nanmedian(dim), kthvalue,
mode, max(dim)/min(dim) and argmax/argmin return are int64 Tensors that require no grad, as torch
2.13's: the same numbers as torch's, named-tuple access and unpacking, and usable as positions
(indexing, gather, take_along_dim, index_select), eagerly and in a compiled step. A ValueArray's
stay plain int64 arrays (it has no torch counterpart)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd as ag  # noqa: E402
from autograd import Tensor  # noqa: E402

X = np.array([[3.0, 1.0, 2.0, 5.0, 0.5], [0.0, 5.0, -1.0, np.nan, 4.0], [2.0, 2.0, 7.0, 2.0, 7.0]])

#: (name, call on either library's tensor): each returns (values, indices), or positions alone
CALLS: dict[str, Any] = {
    "sort": lambda lib, x: lib.sort(x, 1),
    "sort descending": lambda lib, x: lib.sort(x, 0, descending=True),
    "argsort": lambda lib, x: lib.argsort(x, 1),
    "topk": lambda lib, x: lib.topk(x, 2, 1),
    "cummax": lambda lib, x: lib.cummax(x, 1),
    "cummin": lambda lib, x: lib.cummin(x, 0),
    "median": lambda lib, x: lib.median(x, 1),
    "nanmedian": lambda lib, x: lib.nanmedian(x, 1, keepdim=True),
    "kthvalue": lambda lib, x: lib.kthvalue(x, 2, 1),
    "mode": lambda lib, x: lib.mode(x, 1),
    "max(dim)": lambda lib, x: lib.max(x, 1),
    "min(dim)": lambda lib, x: lib.min(x, 0, keepdim=True),
    "argmax": lambda lib, x: lib.argmax(x, 1),
    "argmin": lambda lib, x: lib.argmin(x, 0),
    "x.sort()": lambda lib, x: x.sort(),
    "x.argsort()": lambda lib, x: x.argsort(dim=0, descending=True),
    "x.topk()": lambda lib, x: x.topk(3, largest=False),
    "x.topk(sorted=False)": lambda lib, x: x.topk(3, 0, sorted=False),
    "x.median(0)": lambda lib, x: x.median(0),
    "x.mode()": lambda lib, x: x.mode(),
}


def _positions(result: Any) -> Any:
    return result[1] if isinstance(result, tuple) else result


#: on a 0-d tensor (dim 0 or -1, as torch takes them there)
ZERO_D: dict[str, Any] = {
    "sort": lambda lib, x: lib.sort(x, 0),
    "argsort": lambda lib, x: lib.argsort(x, -1),
    "topk": lambda lib, x: lib.topk(x, 1),
    "cummax": lambda lib, x: lib.cummax(x, 0),
    "cummin": lambda lib, x: lib.cummin(x, -1),
    "median": lambda lib, x: lib.median(x, 0),
    "nanmedian": lambda lib, x: lib.nanmedian(x, -1),
    "kthvalue": lambda lib, x: lib.kthvalue(x, 1, 0),
    "mode": lambda lib, x: lib.mode(x, 0),
    "max(dim)": lambda lib, x: lib.max(x, 0),
    "argmax": lambda lib, x: lib.argmax(x),
}


def _compare(call: Any, data: np.ndarray) -> None:
    ours = _positions(call(ag, ag.tensor(data, requires_grad=True)))
    theirs = _positions(call(torch, torch.tensor(data, requires_grad=True)))
    assert type(ours) is Tensor and ours.data.dtype == np.int64, type(ours)
    assert ours.requires_grad is False and theirs.requires_grad is False
    assert ours.shape == tuple(theirs.shape) and ours.tolist() == theirs.tolist(), (ours, theirs)


@pytest.mark.parametrize("name", list(CALLS))
def test_positions_are_int64_tensors_with_torchs_numbers(name: str) -> None:
    _compare(CALLS[name], X)


@pytest.mark.parametrize("name", list(ZERO_D))
def test_positions_of_a_0d_tensor(name: str) -> None:
    _compare(ZERO_D[name], np.array(2.5))


def test_named_tuple_access_unpacking_and_use_as_positions() -> None:
    x = ag.tensor(X, requires_grad=True)
    t = torch.tensor(X, requires_grad=True)
    values, indices = x.sort(1)
    assert values is x.sort(1)[0] or np.array_equal(values.data, x.sort(1).values.data, equal_nan=True)
    tv, ti = t.sort(1)
    # as positions: indexing, gather, take_along_dim, index_select and a numpy function
    assert np.array_equal(x.gather(1, indices).data, t.gather(1, ti).detach().numpy(), equal_nan=True)
    assert np.array_equal(
        ag.take_along_dim(x, indices, 1).data, torch.take_along_dim(t, ti, 1).detach().numpy(), equal_nan=True
    )
    assert x[0][indices[0]].tolist() == t[0][ti[0]].tolist()
    assert x.index_select(1, indices[0]).shape == tuple(t.index_select(1, ti[0]).shape)
    assert np.array_equal(np.take_along_axis(X, np.asarray(indices), 1), tv.detach().numpy(), equal_nan=True)
    top = x.topk(2, 1)
    (x.gather(1, top.indices) * 3.0).sum().backward()
    (t.gather(1, t.topk(2, 1).indices) * 3.0).sum().backward()
    assert np.array_equal(x.grad.data, t.grad.numpy())


@pytest.mark.parametrize("seed", range(30))
def test_topk_takes_torchs_elements_among_ties(seed: int) -> None:
    """Which of equal elements topk takes (and, unsorted, their order) is torch's selection's, so
    the positions and the gradient are torch's; nan counts as the largest."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 150))
    data = rng.integers(0, int(rng.integers(1, 6)), (3, n)).astype(np.float64)
    data[rng.random(data.shape) < 0.05] = np.nan
    k, largest, in_order = int(rng.integers(0, n + 1)), bool(seed % 2), bool(seed % 3)
    x, t = ag.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
    ours, theirs = x.topk(k, 1, largest, in_order), t.topk(k, 1, largest, in_order)
    assert ours.indices.tolist() == theirs.indices.tolist()
    assert np.array_equal(ours.values.data, theirs.values.detach().numpy(), equal_nan=True)
    weights = rng.standard_normal(ours.values.shape)
    (ours.values * weights).sum().backward()
    (theirs.values * torch.tensor(weights)).sum().backward()
    assert np.array_equal(x.grad.data, t.grad.numpy())


def test_value_arrays_keep_plain_positions() -> None:
    va = ag.ValueArray(np.array([3.0, 1.0, 2.0]))
    order = va.argsort()
    assert type(order) is np.ndarray and order.tolist() == [1, 2, 0]
    assert type(va.sort().indices) is np.ndarray and type(va.cummax(0).indices) is np.ndarray


@pytest.mark.parametrize("name", ["sort", "argsort", "topk", "cummax", "median", "kthvalue", "mode"])
def test_compiled_steps_find_each_calls_positions(name: str) -> None:
    call = CALLS[name]

    def step(x: Tensor) -> Any:
        out = call(ag, x)
        index = _positions(out)
        return (x.gather(1, index) if index.ndim == 2 else x.gather(1, index.unsqueeze(1))).sum(), index * 1

    compiled = ag.compile(step)
    rng = np.random.default_rng(1)
    spiked = np.round(rng.standard_normal(X.shape))  # (ties)
    spiked[1, 2] = np.nan
    for data in (X, rng.standard_normal(X.shape), spiked):
        got_sum, got_index = compiled(ag.tensor(data, requires_grad=True))
        want_sum, want_index = step(ag.tensor(data, requires_grad=True))
        t_index = _positions(call(torch, torch.tensor(data)))
        assert got_index.tolist() == want_index.tolist() == t_index.tolist(), (name, data)
        assert np.array_equal(got_sum.data, want_sum.data, equal_nan=True)
