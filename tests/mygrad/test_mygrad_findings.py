"""Engine defects the MyGrad port led to, each as a minimal test that failed before its fix (or a
strict xfail while it is open).

1. ``np.clip`` on Tensors dropped the gradient of Tensor bounds silently (MyGrad's
   ``test_clip_bkwd`` with ``np.clip(a, b, None)``): ``numpy_dispatch._clip`` passed the bounds'
   numbers to ``Tensor.clip``, so ``b.grad`` stayed None where torch's ``clamp(a, min=b)`` gives
   ``b`` the gradient where ``b > a``. Fixed: a Tensor bound is passed on as a Tensor.
2. ``t **= y`` is not in place: Tensor has no ``__ipow__`` (torch's Tensor has), so Python falls back
   to ``t = t ** y``, a new tensor: a view's base keeps its old numbers (MyGrad's in-place ``ipow``
   case). Open: the in-place operators live in autograd/torch_methods.py.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose

import autograd as ag
from autograd import Tensor


@pytest.mark.parametrize("which", ["a_min", "a_max", "both"])
def test_np_clip_passes_the_gradient_to_tensor_bounds(which: str) -> None:
    a_np, b_np = np.array([0.0, 2.0, -3.0]), np.array([1.0, 1.0, -4.0])
    grads = []
    for lib, mk in (
        (ag, lambda x: Tensor(x, requires_grad=True)),
        (torch, lambda x: torch.tensor(x, requires_grad=True)),
    ):
        a, b = mk(a_np), mk(b_np)
        if which == "a_min":
            out = np.clip(a, b, None) if lib is ag else torch.clamp(a, min=b)
        elif which == "a_max":
            out = np.clip(a, None, b) if lib is ag else torch.clamp(a, max=b)
        else:
            out = np.clip(a, b, b + 2.5) if lib is ag else torch.clamp(a, b, b + 2.5)
        (out * lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64)).sum().backward()
        assert b.grad is not None, f"{lib.__name__}: the bound's gradient is None"
        grads.append((np.asarray(a.grad.numpy()), np.asarray(b.grad.numpy())))
    assert_allclose(grads[0][0], grads[1][0])
    assert_allclose(grads[0][1], grads[1][1])


@pytest.mark.xfail(
    strict=True, raises=AssertionError, reason="Tensor has no __ipow__: t **= y is not in place"
)
def test_ipow_is_in_place() -> None:
    expected = torch.full((3,), 2.0, dtype=torch.float64)
    view = expected[:2]
    view **= 2.0
    x = ag.full((3,), 2.0)
    v = x[:2]
    v **= 2.0
    assert_allclose(x.numpy(), expected.numpy())  # torch: [4, 4, 2]; here [2, 2, 2]
