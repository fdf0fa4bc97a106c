"""``.grad`` as torch users handle it: a Tensor (no graph) over the stored gradient, cleared with
``zero_()`` or ``= None``, assigned with torch's checks, read by optimizers, clipping, checkpoints
and drawings as before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from side_by_side import check

import autograd
import optimizers
from autograd import Tensor, Value


def test_grad_is_a_tensor_sharing_the_stored_gradient() -> None:
    w = autograd.tensor([1.0, -2.0, 3.0], requires_grad=True)
    assert w.grad is None
    (w * w).sum().backward()
    g = w.grad
    assert type(g) is Tensor and not g.requires_grad and g.is_leaf and g.grad_fn is None
    assert g.data is w.grad.data  # every read wraps the same array
    g.mul_(0.5)  # in place on the stored gradient
    assert w.grad.tolist() == [1.0, -2.0, 3.0]
    w.grad.zero_()
    assert w.grad.tolist() == [0.0, 0.0, 0.0]
    assert repr(w.grad) == "Tensor([0., 0., 0.], dtype=float64)"
    w.grad = None
    assert w.grad is None


def test_the_sgd_habit_trains_as_torch() -> None:
    """The from-scratch loop of torch's tutorials, unchanged: no_grad, -=, grad.zero_()."""

    def snippet(t: Any) -> Any:
        x = t.tensor([[0.5, -1.0], [1.5, 2.0], [-0.25, 0.75]])
        y = t.tensor([1.0, -2.0, 0.5])
        w = t.tensor([0.1, -0.2], requires_grad=True)
        b = t.tensor(0.0, requires_grad=True)
        losses = []
        for _ in range(5):
            loss = ((x @ w + b - y) ** 2).mean()
            loss.backward()
            with t.no_grad():
                w -= 0.1 * w.grad
                b -= 0.1 * b.grad
                w.grad.zero_()
                b.grad = None
            losses.append(loss.item())
        return losses, w, b

    check(snippet)


def test_assigning_grad_as_torch() -> None:
    def snippet(t: Any) -> Any:
        w = t.ones(3, requires_grad=True)
        g = t.zeros(3)
        w.grad = g  # shared, as in torch
        g.add_(1.0)
        first = w.grad.clone()
        w.grad = None
        return first, w.grad

    check(snippet)
    w = autograd.ones(3, requires_grad=True)
    w.grad = np.full(3, 2.0)  # an ndarray is accepted too (torch takes only Tensors)
    assert w.grad.tolist() == [2.0, 2.0, 2.0]
    for t in (autograd, torch):
        w = t.ones(3, dtype=t.float64, requires_grad=True)
        with pytest.raises(
            RuntimeError, match=r"attempting to assign a gradient of size '\[2\]' to a tensor of size '\[3\]'"
        ):
            w.grad = t.ones(2, dtype=t.float64)
        with pytest.raises(RuntimeError, match="attempting to assign a gradient with dtype"):
            w.grad = t.ones(3, dtype=t.float32)
        with pytest.raises(TypeError, match="assigned grad expected to be a Tensor"):
            w.grad = [1.0, 2.0, 3.0]


def test_create_graph_leaves_a_tensor_with_a_graph_in_grad() -> None:
    def snippet(t: Any) -> Any:
        x = t.tensor([0.5, -1.5], requires_grad=True)
        (x**3).sum().backward(create_graph=True)
        g = x.grad
        second = t.as_tensor(t.autograd.grad(g.sum(), x)[0])  # (an ndarray here: see the known differences)
        return g, g.requires_grad, g.grad_fn is not None, second

    check(snippet)


def test_zero_grad_of_optimizers_and_modules() -> None:
    w = autograd.tensor([1.0, 2.0], requires_grad=True)
    opt = optimizers.SGD([w], lr=0.1)
    (w * w).sum().backward()
    opt.zero_grad(set_to_none=False)
    assert w.grad.tolist() == [0.0, 0.0]
    opt.zero_grad()
    assert w.grad is None
    model = autograd.nn.Linear(2, 1)
    model(autograd.ones(1, 2)).sum().backward()
    model.zero_grad(set_to_none=False)
    assert model.weight.grad.tolist() == [[0.0, 0.0]] and model.bias.grad.tolist() == [0.0]
    model.zero_grad()
    assert model.weight.grad is None and Value(1.0).grad == 0.0  # a Value's grad stays a float


def test_optimizers_clipping_and_checkpoints_read_the_stored_array(tmp_path: Path) -> None:
    w = autograd.tensor([3.0, -4.0], requires_grad=True)
    opt = optimizers.SGD([w], lr=0.5)
    (w * w).sum().backward()  # grad [6, -8], norm 10
    stored = w.grad.data
    norm = optimizers.clip_grad_norm([w], max_norm=1.0)
    assert norm == pytest.approx(10.0) and w.grad.data is stored  # clipped in place, as torch
    np.testing.assert_allclose(w.grad.tolist(), [0.6, -0.8])
    opt.step()
    np.testing.assert_allclose(w.tolist(), [2.7, -3.6])
    optimizers.save_checkpoint(tmp_path / "run.npz", [w], opt)
    w2 = autograd.tensor([0.0, 0.0], requires_grad=True)
    opt2 = optimizers.SGD([w2], lr=0.5)
    optimizers.load_checkpoint(tmp_path / "run.npz", [w2], opt2)
    assert w2.tolist() == w.tolist()


def test_the_numpy_update_habit() -> None:
    """``p.data -= lr * p.grad`` (``.data`` is the ndarray here) writes the numbers in place; so does
    ``p.data -= lr * p.grad.data``."""
    p = autograd.tensor([1.0, 2.0], requires_grad=True)
    (p * p).sum().backward()
    p.data -= 0.25 * p.grad
    assert p.tolist() == [0.5, 1.0]
    p.data -= 0.25 * p.grad.data
    assert p.tolist() == [0.0, 0.0]


def test_drawings_and_traces_show_tensor_gradients() -> None:
    x = autograd.tensor([0.5, -1.0], requires_grad=True)
    loss = (x * x).sum()
    loss.backward()
    last = autograd.trace_rows(loss).backward[-1]
    assert last.node is x and type(last.grad) is np.ndarray and last.grad.tolist() == [1.0, -2.0]
    assert "grad [1, -2]" in autograd.draw_graph(loss).source
