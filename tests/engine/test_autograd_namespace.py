"""``autograd.autograd`` against ``torch.autograd``: ``grad`` with torch's signature, defaults and
exception classes, ``backward``, and ``functional``'s jacobian, hessian, vjp, jvp, hvp, vhp with
torch.autograd.functional's calling and return conventions (float64)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
import torch.autograd.functional as TAF
import torch.utils._pytree as tree
from engine_helpers import close

import autograd as ours_torch
from autograd import Tensor, Value, ValueArray
from autograd.gradients import numbers_of
from autograd.pytree import tree_flatten

AF = ours_torch.autograd.functional
R = np.random.default_rng(29)
X3, Y0 = R.normal(size=3), np.array(0.7)


def t64(x: Any, requires_grad: bool = False) -> torch.Tensor:
    return torch.tensor(np.asarray(x), dtype=torch.float64, requires_grad=requires_grad)


def same(ours: Any, theirs: Any) -> None:
    mine, spec = tree_flatten(ours)
    ref, _ = tree.tree_flatten(theirs)
    assert len(mine) == len(ref), (spec, theirs)
    assert isinstance(ours, tuple) == isinstance(theirs, (tuple, list))  # (torch's forward mode gives lists)
    for a, b in zip(mine, ref):
        assert np.shape(numbers_of(a)) == tuple(b.shape)
        close(numbers_of(a), b)


# ---------------------------------------------------------------------------
# torch.autograd.grad
# ---------------------------------------------------------------------------
def test_grad_matches_torch_positionally_and_twice() -> None:
    x, y = Tensor(X3, requires_grad=True), Tensor(Y0, requires_grad=True)
    tx, ty = t64(X3, True), t64(Y0, True)
    f = lambda x, y: ((x * y).tanh(), (x.exp() * y).sum())  # noqa: E731
    seeds = [R.normal(size=3), 1.5]
    # torch's positional order: grad_outputs, retain_graph, create_graph
    ours = ours_torch.autograd.grad(f(x, y), [x, y], seeds, None, True)
    theirs = torch.autograd.grad(f(tx, ty), [tx, ty], [t64(s) for s in seeds], None, True)
    assert all(isinstance(g, Tensor) and g.requires_grad for g in ours)
    same(ours, theirs)
    same(ours_torch.autograd.grad(ours[0].sum(), [y]), torch.autograd.grad(theirs[0].sum(), [ty]))
    same(ours_torch.grad(f(x, y)[1], x), torch.autograd.grad(f(tx, ty)[1], tx))  # the top-level name too


def test_grad_is_grads_batched_like_torch() -> None:
    x, tx = Tensor(X3, requires_grad=True), t64(X3, True)
    ours = ours_torch.autograd.grad(x.tanh(), x, np.eye(3), is_grads_batched=True)
    same(ours, torch.autograd.grad(tx.tanh(), tx, torch.eye(3, dtype=torch.float64), is_grads_batched=True))


def test_materialize_grads_implies_allow_unused_as_torch() -> None:  # issue 21, defect 11
    x, unused = Tensor(X3, requires_grad=True), Tensor(X3, requires_grad=True)
    tx, tunused = t64(X3, True), t64(X3, True)
    same(
        ours_torch.autograd.grad((x * x).sum(), [x, unused], materialize_grads=True),
        torch.autograd.grad((tx * tx).sum(), [tx, tunused], materialize_grads=True),
    )
    a, b = Value(1.5), Value(2.0)
    assert ours_torch.grad(a * a, [a, b], materialize_grads=True) == (3.0, 0.0)
    with pytest.raises(ValueError, match="Expected allow_unused to be True or not passed"):
        torch.autograd.grad((tx * tx).sum(), [tx, tunused], materialize_grads=True, allow_unused=False)
    with pytest.raises(ValueError, match="Expected allow_unused to be True or not passed"):
        ours_torch.grad((x * x).sum(), [x, unused], materialize_grads=True, allow_unused=False)


BAD_SEEDS: dict[str, tuple[Callable[[Any], Any], Any]] = {
    "a seed of the wrong shape": (lambda node: node * 2.0, np.ones(2)),
    "no seed for a non-scalar output": (lambda node: node * 2.0, None),
    "fewer seeds than outputs": (lambda node: [node * 2.0, node * 3.0], [np.ones(3)]),
}


@pytest.mark.parametrize("engine", ["Tensor", "ValueArray"])
@pytest.mark.parametrize("case", list(BAD_SEEDS))
def test_bad_grad_outputs_raise_torchs_exception_class(case: str, engine: str) -> None:  # issue 21, defect 16
    f, seeds = BAD_SEEDS[case]
    tx = t64(X3, True)
    with pytest.raises(Exception) as theirs:
        torch.autograd.grad(f(tx), [tx], None if seeds is None else tree.tree_map(t64, seeds))
    x = Tensor(X3, requires_grad=True) if engine == "Tensor" else ValueArray(X3)
    with pytest.raises(Exception) as mine:
        ours_torch.autograd.grad(f(x), [x], seeds)
    assert type(mine.value) is type(theirs.value) is RuntimeError
    assert "grad_outputs" in str(mine.value) and "output" in str(mine.value)


# ---------------------------------------------------------------------------
# torch.autograd.backward
# ---------------------------------------------------------------------------
def test_backward_accumulates_like_torch() -> None:
    x, tx = Tensor(X3, requires_grad=True), t64(X3, True)
    g = R.normal(size=3)
    ours_torch.autograd.backward([(x * x).sum(), x.tanh()], [None, g])
    torch.autograd.backward([(tx * tx).sum(), tx.tanh()], [None, t64(g)])
    close(x.grad, tx.grad)
    v = ValueArray(X3)
    ours_torch.autograd.backward(v.tanh(), g)
    close(v.grad, tx.grad.numpy() - 2 * X3)
    with pytest.raises(
        RuntimeError, match=r"backward: Mismatch in shape: grad_tensors\[0\] has a shape of \(2,\)"
    ):
        ours_torch.autograd.backward(x * 2, np.ones(2))
    with pytest.raises(RuntimeError, match="only for scalar outputs"):
        ours_torch.autograd.backward(x * 2)
    y, ty = Tensor(X3, requires_grad=True), t64(X3, True)
    before = x.grad.clone()
    ours_torch.autograd.backward((x * y).sum(), inputs=[y])  # into y only, as torch
    torch.autograd.backward((tx * ty).sum(), inputs=[ty])
    close(y.grad, ty.grad)
    close(x.grad, before)
    with pytest.raises(NotImplementedError, match=r"autograd\.grad\(tensors, inputs"):
        ours_torch.autograd.backward(v.sum().to_value(), inputs=[v])


# ---------------------------------------------------------------------------
# torch.autograd.functional
# ---------------------------------------------------------------------------
def f2(x: Any, y: Any) -> Any:
    return (x * y).tanh()


def scalar2(x: Any, y: Any) -> Any:
    return (x.exp() * y).sum() * y


def test_functional_vjp_jvp_conventions() -> None:
    xs, txs = (Tensor(X3), Tensor(Y0)), (t64(X3), t64(Y0))
    u, t = R.normal(size=3), (R.normal(size=3), np.array(-0.4))
    same(AF.vjp(f2, xs, u), TAF.vjp(f2, txs, t64(u)))
    same(AF.jvp(f2, xs, t), TAF.jvp(f2, txs, tuple(map(t64, t))))
    one = lambda x: (x * x).sum()  # noqa: E731
    same(AF.vjp(one, Tensor(X3)), TAF.vjp(one, t64(X3)))  # v may be None for a one-element output
    result = AF.vjp(one, Tensor(X3))
    assert isinstance(result[1], Tensor) and not result[1].requires_grad  # one input: no tuple; cut
    same(AF.jvp(lambda x: x.exp(), Tensor(Y0)), TAF.jvp(lambda x: x.exp(), t64(Y0)))  # v None, one element
    two = lambda x: (x.exp(), x.sum())  # noqa: E731
    cot = (R.normal(size=3), np.array(2.0))
    same(AF.vjp(two, Tensor(X3), cot), TAF.vjp(two, t64(X3), tuple(map(t64, cot))))


@pytest.mark.parametrize("strategy", ["reverse-mode", "forward-mode"])
def test_functional_jacobian_and_hessian(strategy: str) -> None:
    xs, txs = (Tensor(X3), Tensor(Y0)), (t64(X3), t64(Y0))
    vec = strategy == "forward-mode"  # (torch computes forward mode only vectorised)
    same(AF.jacobian(f2, xs, strategy=strategy), TAF.jacobian(f2, txs, vectorize=vec, strategy=strategy))
    two = lambda x: (x.exp(), x.sum())  # noqa: E731
    same(AF.jacobian(two, Tensor(X3), strategy=strategy), TAF.jacobian(two, t64(X3)))
    same(AF.jacobian(lambda x: x.tanh(), Tensor(X3)), TAF.jacobian(lambda x: x.tanh(), t64(X3)))
    kw = {"outer_jacobian_strategy": strategy}
    same(AF.hessian(scalar2, xs, **kw), TAF.hessian(scalar2, txs, vectorize=vec, **kw))
    h1 = lambda x: (x.exp() * x).sum()  # noqa: E731
    same(AF.hessian(h1, Tensor(X3), **kw), TAF.hessian(h1, t64(X3)))


def test_functional_hvp_vhp() -> None:
    xs, txs = (Tensor(X3), Tensor(Y0)), (t64(X3), t64(Y0))
    v = (R.normal(size=3), np.array(2.0))
    tv = tuple(map(t64, v))
    same(AF.hvp(scalar2, xs, v), TAF.hvp(scalar2, txs, tv))
    same(AF.vhp(scalar2, xs, v), TAF.vhp(scalar2, txs, tv))
    cube = lambda x: (x**3).sum()  # noqa: E731
    same(AF.hvp(cube, Tensor(X3), v[0]), TAF.hvp(cube, t64(X3), tv[0]))


def test_functional_create_graph_and_numbers() -> None:
    x, tx = Tensor(X3, requires_grad=True), t64(X3, True)
    h1 = lambda x: (x.exp() * x.tanh()).sum()  # noqa: E731
    H = AF.hessian(h1, x, create_graph=True)
    tH = TAF.hessian(h1, tx, create_graph=True)
    assert isinstance(H, Tensor) and H.requires_grad
    same(ours_torch.autograd.grad(H.sum(), x), torch.autograd.grad(tH.sum(), tx))  # a third derivative
    cut = AF.hessian(h1, x)
    assert isinstance(cut, Tensor) and not cut.requires_grad
    plain = AF.hessian(h1, X3)  # numbers in, numbers out
    assert isinstance(plain, np.ndarray)
    close(plain, tH.detach())
    value, hv = AF.hvp(lambda v: v * v * v, Value(0.5), 1.0)
    assert isinstance(value, Value) and isinstance(hv, Value) and hv.data == pytest.approx(3.0)
    close(AF.jacobian(lambda v: v.exp(), ValueArray(X3)).data, np.diag(np.exp(X3)))


def test_functional_errors_as_torch() -> None:
    xs = (Tensor(X3), Tensor(Y0))
    with pytest.raises(RuntimeError, match="v can only be None if the output .* single element"):
        AF.vjp(f2, xs)
    with pytest.raises(RuntimeError, match="v can only be None if the input .* single element"):
        AF.jvp(f2, xs)
    with pytest.raises(RuntimeError, match=r"hvp: v has invalid size: should be \(3,\) but got \(2,\)"):
        AF.hvp(scalar2, xs, (np.ones(2), 1.0))
    with pytest.raises(RuntimeError, match=r"vjp: v has invalid size: should be \(3,\) but got \(4,\)"):
        AF.vjp(f2, xs, np.ones(4))
    with pytest.raises(ValueError, match="strategy must be 'reverse-mode' or 'forward-mode', got 'x'"):
        AF.jacobian(f2, xs, strategy="x")
    with pytest.raises(NotImplementedError, match="strict=True"):
        AF.vjp(f2, xs, np.ones(3), strict=True)
