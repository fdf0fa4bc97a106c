"""Engine bugs other helpers reported: detect_anomaly with a 0-d node, and the dtype of transforms
and of create_graph gradients (the input's, as torch.func and torch.autograd.grad)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from engine_helpers import close

import autograd as ag
from autograd import Tensor, detect_anomaly

X32 = np.array([0.5, -1.0, 2.0], dtype=np.float32)


def test_detect_anomaly_names_the_op_for_a_0d_node() -> None:
    x = Tensor(0.0, requires_grad=True)
    with pytest.raises(FloatingPointError, match="'sqrt'.*backward"), detect_anomaly():
        (x.sqrt() * 0 + 1).backward()
    t = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    with pytest.raises(RuntimeError, match="SqrtBackward"), torch.autograd.detect_anomaly():
        (t.sqrt() * 0 + 1).backward()
    y = Tensor(1.0, requires_grad=True)
    with pytest.raises(FloatingPointError, match="backward seed"), detect_anomaly():
        (y * 2).backward(np.inf)


def f(w):  # noqa: ANN001, ANN201
    return (w**3).sum() + (w * w.exp()).sum()


def test_transforms_return_the_inputs_dtype_as_torch_func() -> None:
    ref = torch.tensor(X32)
    for ours, theirs, args in (
        (ag.hessian(f), torch.func.hessian(f), ()),
        (ag.jacobian(lambda w: w.exp() * w), torch.func.jacrev(lambda w: w.exp() * w), ()),
        (ag.grad(f), torch.func.grad(f), ()),
    ):
        out, expected = ours(X32, *args), theirs(ref, *args)
        assert out.dtype == np.float32 and expected.dtype == torch.float32
        close(out, expected.numpy(), rtol=1e-5, atol=1e-5)
    assert ag.hessian(f)(X32.astype(np.float64)).dtype == np.float64
    assert ag.hvp(f, X32, np.ones(3)).dtype == np.float32


def test_create_graph_gradient_of_mixed_dtypes_has_the_inputs_dtype() -> None:
    ones64 = np.ones(3)
    x = Tensor(X32, requires_grad=True)
    (g,) = ag.grad((x**3 * Tensor(ones64)).sum(), [x], create_graph=True)
    t = torch.tensor(X32, requires_grad=True)
    (tg,) = torch.autograd.grad((t**3 * torch.tensor(ones64)).sum(), [t], create_graph=True)
    assert g.dtype == np.float32 and tg.dtype == torch.float32
    close(g.data, tg.detach().numpy(), rtol=1e-6)
    (h,) = ag.grad(g.sum(), [x])
    (th,) = torch.autograd.grad(tg.sum(), [t])
    assert h.dtype == np.float32
    close(h, th.numpy(), rtol=1e-6)
    x.grad = None
    (x**3 * Tensor(ones64)).sum().backward(create_graph=True)
    assert x.grad.dtype == np.float32 and x.grad.requires_grad
