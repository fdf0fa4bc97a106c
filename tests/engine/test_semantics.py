"""Backward semantics: accumulation, repeated backward, zero_grad, no_grad, array protocol, deep graphs."""

from __future__ import annotations

import gc
import random
import time
import warnings

import numpy as np
import pytest
import torch
from engine_helpers import close

import autograd as ag
from autograd import Tensor, Value, no_grad


def test_value_used_several_times_accumulates() -> None:
    a = Value(3.0)
    b = a + a  # 2a
    c = b * b  # 4a²
    d = c * a + b  # 4a³ + 2a
    d.backward()
    assert d.data == 4 * 27 + 6
    assert a.grad == 12 * 9 + 2
    t = torch.tensor(3.0, dtype=torch.float64, requires_grad=True)
    tb = t + t
    ((tb * tb) * t + tb).backward()
    assert a.grad == t.grad.item()


def test_tensor_used_several_times_accumulates() -> None:
    x = np.array([[0.5, -1.0], [2.0, 0.25]])
    a = Tensor(x, requires_grad=True)
    b = a * a
    out = (b @ a + a.T * b - a.sum(0)).sum()
    out.backward()
    t = torch.tensor(x, requires_grad=True)
    tb = t * t
    (tb @ t + t.T * tb - t.sum(0)).sum().backward()
    close(a.grad, t.grad)


def test_second_backward_accumulates_into_value_leaves_like_torch() -> None:
    a, b = Value(2.0), Value(-3.0)
    mid = a * b
    out = mid.tanh() + a
    out.backward()
    first_a, first_b, first_mid = a.grad, b.grad, mid.grad
    out.backward()
    ta = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(-3.0, dtype=torch.float64, requires_grad=True)
    tout = (ta * tb).tanh() + ta
    tout.backward(retain_graph=True)
    tout.backward()
    close([a.grad, b.grad], [ta.grad.item(), tb.grad.item()])
    close([a.grad, b.grad], [2 * first_a, 2 * first_b], rtol=1e-15, atol=0)
    assert mid.grad == first_mid  # intermediate nodes show the latest pass only
    assert out.grad == 1.0


def test_second_backward_accumulates_into_tensor_leaves_like_torch() -> None:
    x = np.array([0.3, -1.2, 2.0])
    a = Tensor(x, requires_grad=True)
    mid = a.exp()
    out = (mid * a).sum()
    out.backward()
    first, first_mid = a.grad.clone(), mid.grad.clone()
    out.backward()
    t = torch.tensor(x, requires_grad=True)
    tout = (t.exp() * t).sum()
    tout.backward(retain_graph=True)
    tout.backward()
    close(a.grad, t.grad)
    close(a.grad, 2 * first, rtol=1e-15, atol=0)
    close(mid.grad, first_mid, rtol=0, atol=0)  # latest pass only


def test_backward_from_a_different_root_adds_to_leaves() -> None:
    a = Value(1.5)
    (a * 2).backward()
    (a * a).backward()
    assert a.grad == 2.0 + 3.0


def test_backward_seed_value() -> None:
    a = Value(2.0)
    (a * a).backward(3.0)
    assert a.grad == 12.0
    t = Tensor([1.0, 2.0], requires_grad=True)
    (t * t).backward(np.array([1.0, -1.0]))
    assert t.grad.tolist() == [2.0, -4.0]


def test_leaf_grad_is_not_shared_with_other_arrays() -> None:
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = Tensor([3.0, 4.0], requires_grad=True)
    out = a + b
    out.backward(np.array([1.0, 1.0]))
    a.grad *= 10  # in-place edits (e.g. gradient clipping) must not leak into b or the graph
    assert b.grad.tolist() == [1.0, 1.0] and out.grad.tolist() == [1.0, 1.0]
    c = Tensor([1.0, 2.0], requires_grad=True)
    (c.sum() * 2).backward()
    c.grad[0] = 100.0
    assert c.grad.tolist() == [100.0, 2.0]


def test_zero_grad_helpers() -> None:
    a, b = Value(2.0), Value(3.0)
    out = a * b + a
    out.backward()
    assert a.grad != 0 and b.grad != 0
    ag.zero_grad([a])
    assert a.grad == 0.0 and b.grad == 2.0
    ag.zero_grad(out)  # a root: every node of its graph
    assert a.grad == b.grad == out.grad == 0.0
    out.backward()
    assert (a.grad, b.grad) == (4.0, 2.0)  # fresh, not accumulated
    ag.zero_grad(b)
    assert b.grad == 0.0

    t = Tensor([1.0, 2.0], requires_grad=True)
    (t * t).sum().backward()
    t.zero_grad()
    assert t.grad is None
    (t * t).sum().backward()
    assert t.grad.tolist() == [2.0, 4.0]


def test_module_zero_grad() -> None:
    mlp = ag.nn.MLP(2, [3, 1], activation="tanh", rng=random.Random(0))
    out = mlp([Value(1.0), Value(-2.0)])
    (out * out).backward()
    assert any(p.grad != 0.0 for p in mlp.parameters())
    mlp.zero_grad()
    assert all(p.grad == 0.0 and isinstance(p.grad, float) for p in mlp.parameters())

    tm = ag.nn.TensorMLP(2, [3, 1], rng=0)
    tm(Tensor([[1.0, -2.0]])).sum().backward()
    assert all(p.grad is not None for p in tm.parameters())
    tm.zero_grad()
    assert all(p.grad is None for p in tm.parameters())


def test_no_grad_builds_no_value_graph() -> None:
    a = Value(2.0)
    with no_grad():
        b = (a * 3).exp().tanh() + a**2
    assert b.children == () and b.op == "" and b.local_grads == ()
    assert b.data == pytest.approx(np.tanh(np.exp(6.0)) + 4.0, rel=1e-15)
    b.backward()
    assert a.grad == 0.0
    c = a * 3  # recording is back on
    assert c.children[0] is a


def test_no_grad_builds_no_tensor_graph_and_restores_on_error() -> None:
    a = Tensor([1.0, 2.0], requires_grad=True)
    with no_grad():
        b = (a * a).sum()
    assert not b.requires_grad and b.children == () and b.op == ""
    assert b.item() == 5.0
    with pytest.raises(RuntimeError, match="does not require grad"):
        b.backward()
    with pytest.raises(ZeroDivisionError):
        with no_grad():
            _ = 1 / 0
    assert (a * a).requires_grad


def test_nested_no_grad() -> None:
    a = Value(1.0)
    with no_grad():
        with no_grad():
            pass
        assert (a + 1).children == ()
    assert (a + 1).children != ()


def test_tensors_without_requires_grad_get_no_gradient() -> None:
    a = Tensor([1.0, 2.0], requires_grad=True)
    c = Tensor([3.0, 4.0])
    out = (a * c).sum()
    assert out.requires_grad and not (c * 2).requires_grad
    out.backward()
    assert a.grad.tolist() == [3.0, 4.0] and c.grad is None


def test_detach_stops_gradient() -> None:
    a = Tensor([1.0, 2.0], requires_grad=True)
    out = (a * a.detach()).sum()
    out.backward()
    assert a.grad.tolist() == [1.0, 2.0]


def test_array_protocol() -> None:
    t = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    arr = np.asarray(t.detach())
    assert isinstance(arr, np.ndarray) and arr.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert np.asarray(Tensor(t.data), dtype=np.float32).dtype == np.float32
    assert np.array(t.detach()).sum() == 10.0
    with pytest.raises(TypeError, match=r"requires grad .*autograd\.stack.*t\.detach\(\)"):
        np.asarray(t)
    assert t.detach().numpy() is t.data  # (numpy() on a tensor that requires grad raises, as torch)
    assert len(t) == 2 and t.shape == (2, 2) and t.ndim == 2 and t.numel() == 4 and t.dtype == np.float64
    assert (t > 2).tolist() == [[False, False], [True, True]]
    assert isinstance(np.ones(2) + Tensor([1.0, 2.0]), Tensor)  # ndarray defers to Tensor


def test_non_scalar_backward_without_gradient_raises() -> None:
    t = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(
        RuntimeError,
        match=r"backward: grad can be implicitly created only for scalar outputs: the output has shape "
        r"\(2,\).*explicit gradient",
    ):
        (t * 2).backward()
    (t * 2).sum().backward()  # fine
    one = Tensor([[3.0]], requires_grad=True)
    (one * 2).backward()  # a single element needs no gradient argument
    assert one.grad.tolist() == [[2.0]]


def test_gradient_argument_of_wrong_shape_raises() -> None:
    t = Tensor([[1.0, 2.0]], requires_grad=True)
    out = t * 2
    for bad in (np.ones(2), np.ones((2, 1)), 1.0, np.ones((1, 2, 1))):
        with pytest.raises(
            RuntimeError,
            match=r"backward: Mismatch in shape: gradient must have the output's shape \(1, 2\), got",
        ):
            out.backward(bad)
    assert t.grad is None


def test_graph_introspection() -> None:
    a = Tensor([1.0, 2.0], requires_grad=True, label="a")
    b = a * 3
    assert b.op == "*" and b.children[0] is a and len(b.local_grads) == 2
    assert a.op == "" and a.children == ()
    total = b.sum()
    order = ag.toposort(total)
    position = {id(node): i for i, node in enumerate(order)}  # (== is elementwise: not list.index)
    assert position[id(a)] < position[id(b)] < position[id(total)] == len(order) - 1
    assert ag.toposort(total, leaves=False) == [b, total]  # what backward walks
    assert ag.toposort(a) == [a] and ag.toposort(a, leaves=False) == []


# --- the numpy state the engine touches is restored


@pytest.mark.parametrize("enter,exit", [(ag.grad_mode.quiet, ag.grad_mode.loud),
                                        (ag.grad_mode._errstate_enter, ag.grad_mode._errstate_exit)],
                         ids=["contextvar", "np.errstate"])  # fmt: skip
def test_quiet_floating_point_state_is_restored(enter, exit) -> None:
    # (the second pair is the fallback for numpy 1.x)
    before = np.geterr()
    with np.errstate(divide="raise"):
        token = enter()
        assert set(np.geterr().values()) == {"ignore"}
        exit(token)
        assert np.geterr()["divide"] == "raise"
    assert np.geterr() == before


def test_numpy_2_uses_the_fast_floating_point_state() -> None:
    if int(np.__version__.split(".")[0]) >= 2:
        assert ag.grad_mode.quiet is not ag.grad_mode._errstate_enter  # the context-variable path was taken


def test_engine_results_raise_no_numpy_warnings_and_keep_the_users_error_state() -> None:
    x = Tensor([0.0, 1.0, 1000.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning would fail the test
        with np.errstate(all="raise"):
            y = x.log() + x.exp() + 1 / x + (x * 0).log()
            y.sum().backward()
            with pytest.raises(ValueError, match="Tensor op '@'"):
                x @ Tensor(np.ones(2))
            assert set(np.geterr().values()) == {"raise"}  # restored after success and after an error
    tx = torch.tensor([0.0, 1.0, 1000.0], dtype=torch.float64, requires_grad=True)
    ty = tx.log() + tx.exp() + 1 / tx + (tx * 0).log()
    ty.sum().backward()
    np.testing.assert_array_equal(y.data, ty.detach().numpy())  # nan, -inf, nan
    np.testing.assert_array_equal(x.grad, tx.grad.numpy())


def test_collector_paused_restores_the_collector() -> None:
    was = gc.isenabled()
    try:
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            with ag.collector_paused():
                assert not gc.isenabled()
            assert gc.isenabled() == enabled
        gc.enable()
        with pytest.raises(KeyError), ag.collector_paused():
            raise KeyError
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()


# --- deep graphs: the backward pass is iterative


def test_million_node_value_chain() -> None:
    n = 1_000_000
    start = time.perf_counter()
    x = Value(0.5)
    y = x
    for _ in range(n - 1):
        y = y + x  # each step is one node: y = k * x
    y.backward()
    assert y.data == n * 0.5
    assert x.grad == float(n)
    del y
    elapsed = time.perf_counter() - start
    print(f"1,000,000-node chain: {elapsed:.2f} s")  # informative only; no timing assertion


def test_deep_product_chain_closed_form() -> None:
    n = 200_000
    x, c = Value(1.0), Value(1.000001)
    y = x
    for _ in range(n):
        y = y * c  # y = x c^n
    y.backward()
    close(y.data, 1.000001**n, rtol=1e-9, atol=0)
    close(x.grad, 1.000001**n, rtol=1e-9, atol=0)
    close(c.grad, n * 1.000001 ** (n - 1), rtol=1e-9, atol=0)  # d(x c^n)/dc


def test_deep_tensor_chain() -> None:
    x = Tensor([1.0, -2.0], requires_grad=True)
    y = x
    for _ in range(20_000):
        y = y + x
    y.sum().backward()
    assert x.grad.tolist() == [20_001.0, 20_001.0]
