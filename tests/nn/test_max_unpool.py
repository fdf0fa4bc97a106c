"""F.max_unpool1d/2d/3d and nn.MaxUnpool1d/2d/3d against torch 2.13, fed the max pools' own
indices: values, first and second derivatives (overlapping windows included, where two outputs of
the pool share a position: torch's CPU kernel writes the later, and its gradient reaches both),
nan/inf inputs, unbatched inputs, ``output_size``, compiled steps, and torch's errors, named."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")
import torch.nn.functional as TF  # noqa: E402
from engine_helpers import compare_to_second_order  # noqa: E402

import autograd as ag  # noqa: E402
import autograd.nn.functional as F  # noqa: E402

POOLS = {n: (f"max_pool{n}d", f"max_unpool{n}d") for n in (1, 2, 3)}
#: (kernel, stride, padding): windows apart, overlapping (shared maxima: repeated indices), padded
OPTIONS = [(2, None, 0), (2, 1, 0), (3, 2, 1), ((2, 3), 2, 0)]


def _options(spatial: int, kernel: Any) -> Any:
    return tuple(kernel[i % len(kernel)] for i in range(spatial)) if isinstance(kernel, tuple) else kernel


def _data(spatial: int, seed: int, edges: bool = False) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = np.round(rng.standard_normal((2, 3) + (5,) * spatial), 1)  # (rounded: ties inside windows)
    if edges:
        edge_values = [math.nan, math.inf, -math.inf, 0.0, -0.0, 1e308]
        x.reshape(-1)[rng.choice(x.size, len(edge_values), replace=False)] = edge_values
    return x


@pytest.mark.parametrize("spatial", [1, 2, 3])
@pytest.mark.parametrize("options", OPTIONS)
@pytest.mark.parametrize("edges", [False, True])
def test_unpool_of_the_pools_indices_is_torchs(spatial: int, options: Any, edges: bool) -> None:
    kernel, stride, padding = options
    kernel = _options(spatial, kernel)
    pool, unpool = POOLS[spatial]
    data = _data(spatial, spatial * 10 + len(str(options)), edges)
    size = data.shape[2:]  # (the pool's input size: the default size can be smaller)
    _, indices = getattr(TF, pool)(torch.tensor(data), kernel, stride, padding, return_indices=True)
    ours_idx = getattr(F, pool)(ag.tensor(data), kernel, stride, padding, return_indices=True)[1]
    assert ours_idx.tolist() == indices.tolist()
    pooled = getattr(TF, pool)(torch.tensor(data), kernel, stride, padding).numpy()

    def ours(x: Any) -> Any:
        return getattr(F, unpool)(x, ag.tensor(indices.numpy()), kernel, stride, padding, output_size=size)

    def theirs(t: Any) -> Any:
        return getattr(TF, unpool)(t, indices, kernel, stride, padding, output_size=size)

    compare_to_second_order(ours, theirs, [pooled], second=not edges)


@pytest.mark.parametrize("spatial", [1, 2, 3])
def test_pool_then_unpool_through_the_graph(spatial: int) -> None:
    """The pool's indices are an int64 Tensor of the graph: the unpool of its values sends the
    gradient back through both, to the input's maxima, as torch's."""
    pool, unpool = POOLS[spatial]

    def run(lib: Any, x: Any) -> Any:
        f = lib.nn.functional
        values, indices = getattr(f, pool)(x, 2, 1, return_indices=True)
        return getattr(f, unpool)(values * values, indices, 2, 1, output_size=x.shape[2:])

    compare_to_second_order(lambda x: run(ag, x), lambda t: run(torch, t), [_data(spatial, 5)])


def test_repeated_positions_hold_the_later_value_and_each_gets_the_gradient() -> None:
    """Positions shared by elements of different values (not a pool's): torch's CPU kernel writes
    the later one; its gradient (a gather) reaches every element at a position."""
    values = [[[1.0, 2.0, 3.0, -4.0], [0.5, -1.5, 2.5, 7.0]]]
    positions = [[[1, 1, 0, 1], [5, 0, 5, 2]]]
    compare_to_second_order(
        lambda x: F.max_unpool1d(x * x, ag.tensor(positions), 2),
        lambda t: TF.max_unpool1d(t * t, torch.tensor(positions), 2),
        [np.array(values)],
    )


def test_unbatched_inputs_default_and_full_output_sizes() -> None:
    data = _data(2, 7)[0, :, :4, :4]  # (C, H, W)
    t = torch.tensor(data)
    values, indices = TF.max_pool2d(t, 2, return_indices=True)
    for kwargs in ({}, {"output_size": (5, 5)}, {"output_size": [1, 3, 4, 5]}):
        want = TF.max_unpool2d(values, indices, 2, **kwargs)
        got = F.max_unpool2d(ag.tensor(values.numpy()), ag.tensor(indices.numpy()), 2, **kwargs)
        assert got.shape == tuple(want.shape) and np.array_equal(got.data, want.numpy())


@pytest.mark.parametrize("spatial", [1, 2, 3])
def test_modules_hold_torchs_options(spatial: int) -> None:
    name = f"MaxUnpool{spatial}d"
    for args in ((2,), (3, 1, 1), ((2,) * spatial, 1)):
        ours, theirs = getattr(ag.nn, name)(*args), getattr(torch.nn, name)(*args)
        assert repr(ours) == repr(theirs)
    pool, _ = POOLS[spatial]
    data = _data(spatial, 9)
    values, indices = getattr(TF, pool)(torch.tensor(data), 2, return_indices=True)
    want = getattr(torch.nn, name)(2)(values, indices, output_size=data.shape[2:])
    got = getattr(ag.nn, name)(2)(ag.tensor(values.numpy()), ag.tensor(indices.numpy()), data.shape[2:])
    assert np.array_equal(got.data, want.numpy())


def test_a_compiled_step_unpools_each_calls_maxima() -> None:
    def step(x: Any) -> Any:
        values, indices = F.max_pool2d(x, 2, 1, return_indices=True)
        out = F.max_unpool2d(values, indices, 2, 1, output_size=(5, 5))
        return (out * out.detach()).sum()

    compiled = ag.compile(step)
    for seed in range(4):
        data = _data(2, 20 + seed)
        x, t = ag.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
        loss = compiled(x)
        values, indices = TF.max_pool2d(t, 2, 1, return_indices=True)
        out = TF.max_unpool2d(values, indices, 2, 1, output_size=(5, 5))
        (out * out.detach()).sum().backward()
        assert np.allclose(loss.data, (out * out).sum().item(), rtol=1e-12)
        assert np.array_equal(x.grad.data, t.grad.numpy())


@pytest.mark.parametrize(
    ("call", "error", "says"),
    [
        (lambda v, i: F.max_unpool2d(v, i.float(), 2), RuntimeError, "indices should be type int64"),
        (lambda v, i: F.max_unpool2d(v, i[..., :1], 2), RuntimeError, "Expected shape of indices"),
        (lambda v, i: F.max_unpool2d(v, i + 20, 2), RuntimeError, "Found an invalid max index: 2"),
        (lambda v, i: F.max_unpool2d(v, i, 2, output_size=(9, 9)), ValueError, "invalid output_size"),
        (lambda v, i: F.max_unpool2d(v, i, 2, output_size=(4,)), ValueError, "output_size should be"),
        (lambda v, i: F.max_unpool2d(v[0, 0], i[0, 0], 2), RuntimeError, "should be a 3d or 4d Tensor"),
        (lambda v, i: F.max_unpool2d(v, i.tolist(), 2), TypeError, "argument 'indices' must be Tensor"),
        (lambda v, i: F.max_unpool2d(v, i, 0), ValueError, "kernel_size"),
        (lambda v, i: F.max_unpool2d(v, i, 2, stride=(1, 2, 3)), ValueError, "stride"),
        (lambda v, i: F.max_unpool2d(v, i, 2, padding=-1), ValueError, "padding"),
        (lambda v, i: F.max_unpool1d(v[:, :, :0, 0], i[:, :, :0, 0], 2), RuntimeError, "non-zero size"),
    ],
)
def test_bad_arguments_raise_torchs_errors(call: Any, error: type, says: str) -> None:
    values, indices = F.max_pool2d(ag.tensor(_data(2, 3)), 2, return_indices=True)
    with pytest.raises(error, match=says):
        call(values, indices)
