"""Shared by the nn tests: run one of ours and its PyTorch reference on the same float64 inputs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

from autograd import Tensor

torch.set_num_threads(1)  # tiny inputs: torch's thread pool only adds waiting on a loaded machine
RTOL, ATOL = 1e-12, 1e-14


def compare(
    ours: Callable[..., Any],
    theirs: Callable[..., Any],
    arrays: Sequence[Any],
    grad_of: Sequence[int] = (0,),
    rtol: float = RTOL,
    atol: Any = ATOL,
    seed: int = 0,
) -> None:
    """Run both on the same float64 inputs (numpy arrays; anything else is passed as it is); compare
    the output and the gradients of the inputs ``grad_of``, nan where torch has nan. A non-scalar
    output is backpropagated with the same random upstream gradient in both. ``atol``: a number, or
    one per element of the output (an elementwise function's inputs)."""
    arrays = list(enumerate(arrays))
    ts = [Tensor(a, requires_grad=i in grad_of) if isinstance(a, np.ndarray) else a for i, a in arrays]
    tt = [
        torch.tensor(a, dtype=torch.float64, requires_grad=i in grad_of) if isinstance(a, np.ndarray) else a
        for i, a in arrays
    ]
    out, ref = ours(*ts), theirs(*tt)
    _close(out.data, ref.detach().numpy(), rtol, atol, "value")
    if not grad_of:
        return
    upstream = np.random.default_rng(seed).uniform(0.5, 1.5, ref.shape)
    out.backward(upstream)
    ref.backward(torch.tensor(upstream))
    for i in grad_of:
        _close(ts[i].grad, tt[i].grad.numpy(), rtol, atol, f"input {i}")


def _close(actual: np.ndarray, desired: np.ndarray, rtol: float, atol: Any, what: str) -> None:
    """``assert_allclose``, where ``atol`` may also be one tolerance per element."""
    if np.ndim(atol) == 0:
        np.testing.assert_allclose(actual, desired, rtol=rtol, atol=atol, err_msg=what)
        return
    outside = ~np.isclose(actual, desired, rtol=rtol, atol=atol, equal_nan=True)
    assert not outside.any(), (
        f"{what}: not equal within rtol {rtol} and each element's atol at {np.argwhere(outside).tolist()}: "
        f"{actual[outside]} vs {desired[outside]} (atol {np.broadcast_to(atol, outside.shape)[outside]})"
    )
