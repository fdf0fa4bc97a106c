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
    atol: float = ATOL,
    seed: int = 0,
) -> None:
    """Run both on the same float64 inputs (numpy arrays; anything else is passed as it is); compare
    the output and the gradients of the inputs ``grad_of``, nan where torch has nan. A non-scalar
    output is backpropagated with the same random upstream gradient in both."""
    arrays = list(enumerate(arrays))
    ts = [Tensor(a, requires_grad=i in grad_of) if isinstance(a, np.ndarray) else a for i, a in arrays]
    tt = [
        torch.tensor(a, dtype=torch.float64, requires_grad=i in grad_of) if isinstance(a, np.ndarray) else a
        for i, a in arrays
    ]
    out, ref = ours(*ts), theirs(*tt)
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=rtol, atol=atol, err_msg="value")
    if not grad_of:
        return
    upstream = np.random.default_rng(seed).uniform(0.5, 1.5, ref.shape)
    out.backward(upstream)
    ref.backward(torch.tensor(upstream))
    for i in grad_of:
        np.testing.assert_allclose(ts[i].grad, tt[i].grad.numpy(), rtol=rtol, atol=atol, err_msg=f"input {i}")
