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
