"""Tensor members with torch's names: each run the torch way on both libraries (values, dtypes,
gradients in float64), and the in-place forms with torch's rules for leaves and no_grad."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from side_by_side import check, grads

import autograd
from autograd import Tensor

X = [[0.5, -1.25, 2.0], [3.0, 0.0, -0.75]]
Y = [[1.5, 0.25, -2.0], [-1.0, 2.5, 0.5]]
V = [1.0, -2.0, 3.0]
X3 = (np.arange(24.0).reshape(2, 3, 4) / 7 - 1.5).tolist()

# name -> (f(torch, *leaves), the leaves' data): the member called on a leaf; values and gradients
DIFFERENTIABLE = {
    "pow": (lambda t, x: x.pow(2), (X,)),
    "pow tensor": (lambda t, x, y: x.abs().pow(y), (X, Y)),
    "t": (lambda t, x: x.t(), (X,)),
    "t of a vector": (lambda t, x: x.t() * 2, (V,)),
    "T": (lambda t, x: x.T, (X,)),
    "mT": (lambda t, x: x.mT, (X3,)),
    "view": (lambda t, x: x.view(3, 2), (X,)),
    "view -1": (lambda t, x: x.view(-1), (X,)),
    "view_as": (lambda t, x, y: x.view_as(y.t()) * y.t(), (X, Y)),
    "reshape": (lambda t, x: x.reshape((3, 2)), (X,)),
    "clamp": (lambda t, x: x.clamp(-1.0, 1.0), (X,)),
    "clamp_min": (lambda t, x: x.clamp_min(0.0), (X,)),
    "clamp_max": (lambda t, x: x.clamp_max(0.5), (X,)),
    "clone": (lambda t, x: x.clone() * x, (X,)),
    "float": (lambda t, x: x.float(), (X,)),
    "double": (lambda t, x: x.double() * 3, (X,)),
    "to dtype": (lambda t, x: x.to(t.float32), (X,)),
    "expand": (lambda t, x: x.reshape(2, 1, 3).expand(2, 4, 3), (X,)),
    "expand -1": (lambda t, x: x.expand(5, -1, -1), (X,)),
    "expand_as": (lambda t, x, y: x[0].expand_as(y) * y, (X, Y)),
    "repeat": (lambda t, x: x.repeat(2, 3), (X,)),
    "repeat new dims": (lambda t, x: x.repeat(2, 1, 2), (V,)),
    "masked_fill": (lambda t, x: x.masked_fill(x > 1, -5.0), (X,)),
    "masked_fill broadcast": (lambda t, x: x.masked_fill(t.tensor([True, False, True]), 0.0), (X,)),
    "add alpha": (lambda t, x, y: x.add(y, alpha=-2), (X, Y)),
    "sub alpha": (lambda t, x, y: x.sub(y, alpha=3.5), (X, Y)),
    "mul": (lambda t, x, y: x.mul(y), (X, Y)),
    "div": (lambda t, x, y: x.div(y), (X, Y)),
    "matmul": (lambda t, x, y: x.matmul(y.t()), (X, Y)),
    "mm": (lambda t, x, y: x.mm(y.T), (X, Y)),
    "permute": (lambda t, x: x.permute(1, 2, 0), (X3,)),
    "permute tuple": (lambda t, x: x.permute((2, 1, 0)), (X3,)),
    "transpose two dims": (lambda t, x: x.transpose(0, 1), (X,)),
    "sum dim": (lambda t, x: x.sum(dim=1, keepdim=True), (X,)),
    "max dim": (lambda t, x: x.max(dim=1), (X,)),
    "softmax": (lambda t, x: x.softmax(dim=-1), (X,)),
    "detach stops the gradient": (lambda t, x: x * x.detach(), (X,)),
    "max keepdim": (lambda t, x: x.max(1, keepdim=True), (X,)),  # (values, indices), as dim=
    "min keepdim": (lambda t, x: x.min(0, keepdim=False), (X,)),
    "amax": (lambda t, x: x.amax(1, keepdim=True), (X3,)),
    "amin dims": (lambda t, x: x.amin(dim=(0, 2)), (X3,)),
    "nansum": (lambda t, x: x.nansum(1), (X,)),
    "nanmean": (lambda t, x: x.nanmean(dim=0, keepdim=True), (X,)),
    "quantile": (lambda t, x: x.quantile(0.3, dim=1), (X,)),
    "count_nonzero": (lambda t, x: x.count_nonzero(1) * x.sum(), (X,)),
}


@pytest.mark.parametrize("name", list(DIFFERENTIABLE))
def test_members_give_torchs_values_and_gradients(name: str) -> None:
    f, datas = DIFFERENTIABLE[name]
    check(lambda t: grads(t, f, *datas))


def test_conversions_and_sizes() -> None:
    def snippet(t: Any) -> Any:
        x = t.tensor(X)
        i = t.tensor([[1, 2, 3]])
        return (
            x.tolist(),
            t.tensor(2.5).tolist(),
            x.sum().item(),
            i.sum().item(),
            t.tensor([True]).item(),
            x.numpy().tolist(),
            x.long(),
            t.tensor([1.9, -1.9]).long(),
            i.float(),
            i.double(),
            (x > 0).float(),
            x.bool(),
            x.type(t.long),
            x.to(t.int64),
            x.to("cpu") is x,
            x.to(i),
            x.dim(),
            t.tensor(1.0).dim(),
            x.numel(),
            x.size(),
            x.size(0),
            x.size(-1),
            x.shape,
            t.tensor(3.0).size(),
            x.ndim,
            x.dtype,
            i.dtype,
        )

    check(snippet)
    with pytest.raises(RuntimeError, match="Can't call numpy\\(\\) on Tensor that requires grad"):
        autograd.tensor([1.0], requires_grad=True).numpy()
    with pytest.raises(RuntimeError, match="a Tensor with 2 elements cannot be converted to Scalar"):
        autograd.tensor([1.0, 2.0]).item()
    with pytest.raises(
        IndexError, match=r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)"
    ):
        autograd.tensor(X).size(2)


def test_the_graph_attributes() -> None:
    def snippet(t: Any) -> Any:
        x = t.tensor(V, requires_grad=True)
        c = t.tensor(V)
        y = (x * 2 + c).exp().sum()
        names = [y.grad_fn.name(), y.grad_fn.next_functions[0][0].name()]
        chain = y.grad_fn.next_functions[0][0].next_functions[0][0]  # Sum <- Exp <- Add
        leaf_fn = chain.next_functions[0][0].next_functions[0][0]  # Add <- Mul <- the leaf x
        y.retain_grad()
        with t.no_grad():
            z = x * 2
        return (
            names,
            chain.name(),
            chain.next_functions[0][0].name(),
            leaf_fn.name(),
            leaf_fn.variable is x,
            [f is None for f, _ in chain.next_functions],
            x.grad_fn is None,
            z.grad_fn is None,
            x.is_leaf,
            y.is_leaf,
            c.is_leaf,
            z.is_leaf,
            x.requires_grad,
            c.requires_grad,
            z.requires_grad,
        )

    check(snippet)
    assert repr(autograd.tensor([1.0], requires_grad=True).mul(2).grad_fn) == "<MulBackward0 object>"
    with pytest.raises(RuntimeError, match="can't retain_grad on Tensor that has requires_grad=False"):
        autograd.tensor([1.0]).retain_grad()


def test_backward_takes_torchs_arguments() -> None:
    def snippet(t: Any) -> Any:
        inp = t.eye(4, 5, requires_grad=True)
        out = (inp + 1).pow(2).t()
        out.backward(t.ones_like(out), retain_graph=True)
        first = inp.grad.clone()
        out.backward(t.ones_like(out), retain_graph=True)
        second = inp.grad.clone()
        inp.grad.zero_()
        out.backward(t.ones_like(out), retain_graph=True)
        a = t.tensor(V, requires_grad=True)
        b = t.tensor(V, requires_grad=True)
        (a * b * b).sum().backward(inputs=[b])
        c = t.tensor([0.5, 2.0], requires_grad=True)
        (c**3).sum().backward(create_graph=True)
        slope = c.grad
        c.grad = None
        slope.sum().backward()
        return first, second, inp.grad, a.grad, b.grad, c.grad, slope.requires_grad

    check(snippet)


def test_in_place_ops_on_leaves_under_no_grad() -> None:
    def snippet(t: Any) -> Any:
        w = t.tensor(X, requires_grad=True)
        (w * w).sum().backward()
        with t.no_grad():
            w -= 0.1 * w.grad  # the habit: an in-place update of the parameter itself
            w.add_(1.0, alpha=0.5)
            w.sub_(t.ones(2, 3), alpha=2)
            w.mul_(2.0)
            w.div_(4.0)
            w[0, 1] = 9.0
            w.clamp_(-2.0, 2.0)
        w.grad.zero_()
        kept = [w.requires_grad, w.is_leaf, w.grad]
        b = t.zeros(2, 3)
        b += 1  # does not require grad: in place in any mode
        b.fill_(3.5)
        b.copy_(t.tensor([1.0, 2.0, 3.0]))
        b[:, 1] = 0
        z = t.ones(4).zero_()
        n = t.ones(5)
        view = n.numpy()
        n.add_(1)  # the numpy view sees it
        return w, kept, b, z, view.tolist()

    check(snippet)


def test_in_place_random_fills() -> None:
    autograd.manual_seed(0)
    w = autograd.zeros(2000, requires_grad=True)
    with autograd.no_grad():
        assert w.uniform_(-2.0, 3.0) is w
    assert w.requires_grad and -2.0 <= w.data.min() and w.data.max() < 3.0 and abs(w.data.mean() - 0.5) < 0.1
    autograd.manual_seed(0)
    again = autograd.zeros(2000)
    np.testing.assert_array_equal(again.uniform_(-2.0, 3.0).data, w.data)  # manual_seed repeats it
    n = autograd.zeros(4000).normal_(mean=1.0, std=0.5, generator=np.random.default_rng(3))
    assert abs(n.data.mean() - 1.0) < 0.05 and abs(n.data.std() - 0.5) < 0.05


def test_in_place_on_a_leaf_that_requires_grad_raises_torchs_error() -> None:
    message = "a leaf Variable that requires grad is being used in an in-place operation"
    for t in (autograd, torch):
        w = t.ones(3, requires_grad=True)
        for name, args in (("add_", (1.0,)), ("zero_", ()), ("mul_", (2.0,)), ("fill_", (0.0,))):
            with pytest.raises(RuntimeError, match=message):
                getattr(w, name)(*args)
        with pytest.raises(RuntimeError, match=message):
            w -= 1.0
        with pytest.raises(RuntimeError, match=message):
            w[0] = 2.0
    w = autograd.ones(3, requires_grad=True)
    for op in ("copy_", "uniform_", "normal_", "clamp_", "sub_", "div_"):
        with pytest.raises(RuntimeError, match=message):
            getattr(w, op)(*((w.detach(),) if op in ("copy_", "sub_", "div_") else ()))
    assert w.tolist() == [1.0, 1.0, 1.0]


def test_requires_grad_() -> None:
    def snippet(t: Any) -> Any:
        x = t.tensor(V)
        same_object = x.requires_grad_() is x
        (x * x).sum().backward()
        return same_object, x.requires_grad, x.grad, x.requires_grad_(False).requires_grad

    check(snippet)
    with pytest.raises(
        RuntimeError, match="Only Tensors of floating point and complex dtype can require gradients"
    ):
        autograd.tensor([1, 2]).requires_grad_()


def test_integer_tensors_work_as_targets_and_indices() -> None:
    def snippet(t: Any) -> Any:
        logits = t.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]], requires_grad=True)
        labels = t.tensor([0, 2])
        loss = t.nn.CrossEntropyLoss()(logits, labels)
        nll = t.nn.functional.nll_loss(logits.log_softmax(1), labels)
        loss.backward()
        picked = logits[t.arange(2), labels]
        masked = logits[logits > 1]
        pred = logits.argmax(1)
        correct = (pred == labels).type(t.float).sum().item()
        return loss, nll, logits.grad, picked, masked, pred, correct, labels.max()

    check(snippet)


def test_bool_masks() -> None:
    def snippet(t: Any) -> Any:
        x = t.tensor(X)
        m = (x > 0) & (x < 2.5)
        return m, ~m, m | (x == 0), m ^ (x > 0), m.sum(), m.any(), m.all(), x[m], (x > 0).all(dim=1)

    check(snippet)
    with pytest.raises(TypeError, match="works on bool and integer tensors"):
        ~autograd.tensor([1.5])


def test_bool_of_a_tensor_as_torch() -> None:
    assert bool(autograd.tensor([2.0]) > 1) and not autograd.tensor(0.0)
    for t in (autograd, torch):
        with pytest.raises(
            RuntimeError, match="Boolean value of Tensor with more than one value is ambiguous"
        ):
            bool(t.tensor([1.0, 2.0]) > 0)


def test_member_errors_are_torchs() -> None:
    x = autograd.tensor(X)
    with pytest.raises(
        RuntimeError, match=r"The expanded size of the tensor \(4\) must match the existing size \(3\)"
    ):
        x.expand(2, 4)
    with pytest.raises(RuntimeError, match="Number of dimensions of repeat dims can not be smaller"):
        x.repeat(2)
    for t in (autograd, torch):
        with pytest.raises(
            TypeError, match='repeat\\(\\) missing 1 required positional arguments: "repeats"'
        ):
            t.tensor(1.0).repeat()
    with pytest.raises(RuntimeError, match=r"t\(\) expects a tensor with <= 2 dimensions, but self is 3D"):
        autograd.tensor(X3).t()
    with pytest.raises(RuntimeError, match="mm: mat2 must be a matrix"):
        x.mm(autograd.tensor(V))
    with pytest.raises(TypeError, match="masked_fill only supports boolean masks"):
        x.masked_fill(autograd.tensor([1, 0, 1]), 0.0)
    with pytest.raises(RuntimeError, match="to\\('cuda'\\): only the CPU is supported"):
        x.to("cuda")
    cast = "add_: result type Float can't be cast to the desired output type Long"  # torch's words
    with pytest.raises(RuntimeError, match=cast):
        autograd.tensor([1, 2]).add_(0.5)
    assert x.cpu() is x and x.contiguous() is x and x.device == "cpu"


def test_in_place_on_a_computed_tensor() -> None:
    """``y += x`` and ``y.add_(x)`` on a tensor computed from others, or on one that does not require
    grad with an operand that does, are recorded in the graph as torch records them (the same
    object; tests/torch_compat/test_inplace_graph.py has the rest)."""

    def snippet(t: Any) -> Any:
        w = t.tensor(V, requires_grad=True)
        total = w * 2
        alias = total
        total += w**2  # the accumulation habit
        total *= 3
        total.add_(w)
        buf = t.zeros(len(V), dtype=t.float64)
        buf.add_(w)
        (total.sum() + buf.sum()).backward()
        return total, w.grad, alias is total, buf.requires_grad

    check(snippet)


def test_tensor_class_constructor_still_makes_floats() -> None:
    """``Tensor(data)`` is torch's ``torch.Tensor(data)``: floats (the default dtype) from anything."""
    assert Tensor([1, 2]).dtype == np.float64 and Tensor([True]).dtype == np.float64
    assert Tensor([1, 2], dtype=autograd.int64).dtype == np.int64
    with pytest.raises(RuntimeError, match="Only Tensors of floating point"):
        Tensor([1, 2], dtype="int64", requires_grad=True)


@pytest.mark.parametrize(
    "call",
    ["new_zeros((2, 3))", "new_zeros(2, 3)", "new_ones(3)", "new_full((2,), 7)", "new_tensor([1, 2])",
     "new_zeros(2, dtype=L.float64)", "new_ones(2, requires_grad=True)", "new_empty((0, 2))"],  # fmt: skip
)
def test_new_factories_take_the_tensors_dtype(call: str) -> None:
    """torch's ``t.new_zeros(...)`` and relatives: the factory in ``t``'s dtype (float32 here)."""
    ours = eval("autograd.tensor([1.0, 2.0], dtype=autograd.float32)." + call.replace("L.", "autograd."))  # noqa: S307
    theirs = eval("torch.tensor([1.0, 2.0])." + call.replace("L.", "torch."))  # noqa: S307
    assert ours.dtype == np.dtype(str(theirs.dtype).removeprefix("torch."))
    assert ours.shape == tuple(theirs.shape) and ours.requires_grad == theirs.requires_grad
    if "empty" not in call:
        assert ours.data.tolist() == theirs.detach().numpy().tolist()
