"""Shared by the loss tests: run a loss and its PyTorch reference on the same float64 inputs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from autograd import Tensor

torch.set_num_threads(1)  # tiny inputs: torch's thread pool only adds waiting on a loaded machine
RTOL, ATOL = 1e-10, 1e-12
REDUCTIONS = ("mean", "sum", "none")
rng = np.random.default_rng(1234)


def compare(
    ours: Callable[..., Any],
    theirs: Callable[..., Any],
    arrays: list[np.ndarray],
    grad_of: tuple[int, ...],
) -> None:
    """Run both on the same float64 inputs; compare output and the gradients of ``grad_of``.

    A non-scalar output is backpropagated with the same random upstream gradient in both.
    """
    ts = [Tensor(a, requires_grad=i in grad_of) for i, a in enumerate(arrays)]
    tt = [torch.tensor(a, dtype=torch.float64, requires_grad=i in grad_of) for i, a in enumerate(arrays)]
    out, ref = ours(*ts), theirs(*tt)
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=RTOL, atol=ATOL)
    upstream = rng.uniform(0.5, 1.5, ref.shape)
    out.backward(upstream)
    ref.backward(torch.tensor(upstream))
    for i in grad_of:
        np.testing.assert_allclose(ts[i].grad, tt[i].grad.numpy(), rtol=RTOL, atol=ATOL, err_msg=f"input {i}")


def probs(*shape: int, low: float = 0.02) -> np.ndarray:
    return rng.uniform(low, 1 - low, shape)


def simplex(n: int, c: int) -> np.ndarray:
    x = rng.uniform(0.05, 1.0, (n, c))
    return x / x.sum(-1, keepdims=True)
