"""Helpers shared by the engine tests: torch references and comparisons."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

import autograd as ag

TOL = {"rtol": 1e-10, "atol": 1e-10}


def close(actual: Any, expected: Any, rtol: float = 1e-10, atol: float = 1e-10, what: str = "") -> None:
    """Equal to ``rtol``/``atol``; nan matches nan and inf matches an inf of the same sign."""
    if isinstance(expected, torch.Tensor):
        expected = np.zeros(expected.shape) if expected._is_zerotensor() else expected.detach().numpy()
    np.testing.assert_allclose(
        np.asarray(actual, dtype=np.float64),
        np.asarray(expected, dtype=np.float64),
        rtol=rtol,
        atol=atol,
        equal_nan=True,
        err_msg=what,
    )


def tt(x: Any, requires_grad: bool = True, dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """A torch leaf with the same numbers."""
    return torch.tensor(np.asarray(x), dtype=dtype, requires_grad=requires_grad)


def torch_softplus(x: torch.Tensor) -> torch.Tensor:
    """torch's softplus without its linear shortcut above x = 20 (exact in float64 beyond 40)."""
    return F.softplus(x, beta=1.0, threshold=40.0)


def compare_tensor_fn(
    ours: Callable[..., ag.Tensor],
    theirs: Callable[..., torch.Tensor],
    arrays: Sequence[np.ndarray],
    rng: np.random.Generator | None = None,
    rtol: float = 1e-10,
    atol: float = 1e-10,
) -> ag.Tensor:
    """Run ``ours`` on Tensors and ``theirs`` on torch tensors made from ``arrays``;
    backpropagate the same random upstream gradient through both and compare the
    output and every input gradient."""
    rng = rng or np.random.default_rng(1234)
    xs = [ag.Tensor(a, requires_grad=True) for a in arrays]
    ts = [tt(a) for a in arrays]
    out = ours(*xs)
    ref = theirs(*ts)
    assert isinstance(out, ag.Tensor)
    assert out.shape == tuple(ref.shape), (out.shape, tuple(ref.shape))
    close(out.data, ref, rtol, atol, "value")
    upstream = rng.normal(size=out.shape)
    out.backward(upstream)
    ref.backward(torch.tensor(upstream, dtype=torch.float64))
    for i, (x, t) in enumerate(zip(xs, ts)):
        expected = t.grad if t.grad is not None else torch.zeros_like(t)
        assert x.grad is not None, f"input {i} got no gradient"
        assert x.grad.shape == x.shape
        close(x.grad, expected, rtol, atol, f"grad of input {i}")
    return out


def value_and_grads(fn: Callable[..., Any], *numbers: float) -> tuple[float, list[float]]:
    """fn applied to Values made from ``numbers``: its value and the leaves' gradients."""
    vs = [ag.Value(x) for x in numbers]
    out = fn(*vs)
    assert isinstance(out, ag.Value)
    assert isinstance(out.data, float)
    out.backward()
    return out.data, [v.grad for v in vs]


def torch_value_and_grads(fn: Callable[..., Any], *numbers: float) -> tuple[float, list[float]]:
    """The same with float64 torch scalars."""
    ts = [torch.tensor(float(x), dtype=torch.float64, requires_grad=True) for x in numbers]
    out = fn(*ts)
    out.backward()
    return out.item(), [0.0 if t.grad is None else t.grad.item() for t in ts]


def compare_to_second_order(
    ours: Callable[..., Any],
    theirs: Callable[..., torch.Tensor],
    arrays: Sequence[Any],
    rtol: float = 1e-9,
    atol: float = 1e-11,
    seed: int = 0,
    second: bool = True,
) -> None:
    """``ours`` on Tensors against ``theirs`` on torch float64, from the same ``arrays``: the value;
    the gradient for a random cotangent u, by ``backward`` (the first-order pass on arrays) and by
    ``grad(create_graph=True)`` (the pass on nodes); and the second derivative, ∂⟨grad, v⟩/∂input
    for a random v (``second=False``: not compared, e.g. at ±inf inputs, where which second
    derivatives are nan depends on how each library builds its rule's graph). nan matches nan,
    inf an inf of the same sign; where torch's gradient is a constant, the engine's second
    derivative must be 0 (its gradient may still be a node: a selection's, see ops.SELECTED)."""
    rng = np.random.default_rng(seed)
    xs = [ag.Tensor(np.asarray(a, dtype=np.float64), requires_grad=True) for a in arrays]
    ts = [tt(np.asarray(a, dtype=np.float64)) for a in arrays]
    out, ref = ours(*xs), theirs(*ts)
    assert isinstance(out, ag.Tensor), type(out)
    assert out.shape == tuple(ref.shape), (out.shape, tuple(ref.shape))
    close(out.data, ref, rtol, atol, "value")
    u = rng.standard_normal(out.shape)
    out.backward(u)
    tgrads = torch.autograd.grad(
        ref, ts, torch.tensor(u), create_graph=True, allow_unused=True, materialize_grads=True
    )
    for i, (x, t) in enumerate(zip(xs, tgrads)):
        close(np.zeros(x.shape) if x.grad is None else x.grad, t, rtol, atol, f"gradient {i} (backward)")
    grads = ag.grad(out, xs, ag.Tensor(u), create_graph=True, allow_unused=True, materialize_grads=True)
    for i, (g, t) in enumerate(zip(grads, tgrads)):
        close(g.data, t, rtol, atol, f"gradient {i} (create_graph)")
    if not second:
        return
    vs = [rng.standard_normal(x.shape) for x in xs]
    total = sum((g * v).sum() for g, v in zip(grads, vs))
    ttotal = sum((t * torch.tensor(v)).sum() for t, v in zip(tgrads, vs))
    if ttotal.requires_grad:
        seconds = list(torch.autograd.grad(ttotal, ts, allow_unused=True, materialize_grads=True))
    else:
        seconds = [np.zeros(x.shape) for x in xs]
    if isinstance(total, ag.Tensor) and total.requires_grad:
        mine = ag.grad(total, xs, allow_unused=True, materialize_grads=True)
    else:
        mine = [np.zeros(x.shape) for x in xs]
    for i, (h, t) in enumerate(zip(mine, seconds)):
        close(h, t, rtol, atol, f"second derivative {i}")


def bytes_grown(run: Callable[[int], None], n: int = 500) -> int:
    """How many bytes more Python holds (tracemalloc) after ``run(n)`` than before it, once
    ``run(20)`` and ``run(50)`` have warmed caches; ``gc.collect()`` first (it also empties
    CPython's free lists, which hold freed tuples and floats for reuse)."""
    import gc
    import tracemalloc

    run(20)
    tracemalloc.start()
    try:
        run(50)
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        run(n)
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
