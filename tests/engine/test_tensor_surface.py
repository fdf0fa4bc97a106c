"""The familiar Tensor surface (issue 13): torch's ``dim``/``keepdim`` beside numpy's ``axis``/``keepdims``,
the composed statistics and shape methods, factories, conversions, ``==``, and the 0-d cases of issue 10.
Values and gradients are compared with torch 2.13 in float64."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from engine_helpers import close, compare_tensor_fn, tt

import autograd as ag
from autograd import Tensor, Value, ValueArray

RNG = np.random.default_rng(7)
X = RNG.normal(size=(3, 4))
X3 = RNG.normal(size=(2, 3, 4))


# ------------------------------------------------------------------ dim beside axis
@pytest.mark.parametrize(
    "ours, theirs",
    [
        (lambda x: x.sum(dim=1), lambda x: x.sum(dim=1)),
        (lambda x: x.sum(dim=(0, 2), keepdim=True), lambda x: x.sum(dim=(0, 2), keepdim=True)),
        (lambda x: x.mean(dim=-1), lambda x: x.mean(dim=-1)),
        (lambda x: x.mean(dim=0, keepdim=True), lambda x: x.mean(dim=0, keepdim=True)),
        (lambda x: x.max(axis=1), lambda x: x.amax(dim=1)),
        (lambda x: x.max(dim=1).values, lambda x: x.max(dim=1).values),
        (lambda x: x.min(dim=2, keepdim=True).values, lambda x: x.min(dim=2, keepdim=True).values),
        (lambda x: x.logsumexp(dim=0), lambda x: x.logsumexp(dim=0)),
        (lambda x: x.softmax(dim=1), lambda x: x.softmax(dim=1)),
        (lambda x: x.log_softmax(dim=0), lambda x: x.log_softmax(dim=0)),
        (lambda x: x.var(), lambda x: x.var()),
        (lambda x: x.var(dim=1), lambda x: x.var(dim=1)),
        (
            lambda x: x.var(dim=(0, 2), correction=0, keepdim=True),
            lambda x: x.var((0, 2), correction=0, keepdim=True),
        ),
        (lambda x: x.var(1, unbiased=False), lambda x: x.var(1, unbiased=False)),
        (lambda x: x.var(dim=2, correction=2), lambda x: x.var(dim=2, correction=2)),
        (lambda x: x.std(dim=0), lambda x: x.std(dim=0)),
        (lambda x: x.std(axis=-1, keepdims=True), lambda x: x.std(dim=-1, keepdim=True)),
        (lambda x: x.flatten(), lambda x: x.flatten()),
        (lambda x: x.flatten(1), lambda x: x.flatten(1)),
        (lambda x: x.flatten(0, 1), lambda x: x.flatten(0, 1)),
        (lambda x: x.unsqueeze(1), lambda x: x.unsqueeze(1)),
        (lambda x: x.unsqueeze(dim=-1), lambda x: x.unsqueeze(dim=-1)),
        (lambda x: x[:1].squeeze(), lambda x: x[:1].squeeze()),
        (lambda x: x[:, :1].squeeze(dim=1), lambda x: x[:, :1].squeeze(dim=1)),
        (lambda x: x.squeeze(0), lambda x: x.squeeze(0)),  # a longer axis is kept, as torch
        (lambda x: ag.cat([x, 2 * x], dim=1), lambda x: torch.cat([x, 2 * x], dim=1)),
        (lambda x: ag.stack([x, x * x], dim=-1), lambda x: torch.stack([x, x * x], dim=-1)),
        (lambda x: ag.concatenate([x, x], axis=2), lambda x: torch.cat([x, x], dim=2)),
    ],
)
def test_torch_spellings_match_torch(ours, theirs) -> None:
    compare_tensor_fn(ours, theirs, [X3])


def test_max_with_dim_returns_values_and_indices_as_torch() -> None:
    x = np.array([[1.0, 3.0, 3.0], [np.nan, 0.0, 2.0], [-np.inf, -np.inf, -5.0]])
    for name in ("max", "min"):
        ours = Tensor(x, requires_grad=True)
        theirs = tt(x)
        res, ref = getattr(ours, name)(dim=1), getattr(theirs, name)(dim=1)
        assert res.indices.dtype == np.int64 and isinstance(res.indices, Tensor)  # int64, as torch's
        assert not res.indices.requires_grad
        np.testing.assert_array_equal(res.indices, ref.indices.numpy())
        close(res.values.data, ref.values)
        res.values.backward(np.arange(3.0))
        ref.values.backward(torch.arange(3.0, dtype=torch.float64))
        close(ours.grad, theirs.grad)  # the whole gradient goes to the first extreme, as torch
        values, indices = getattr(Tensor(x), name)(dim=0, keepdim=True)
        assert values.shape == (1, 3) and indices.shape == (1, 3)


def test_argmax_argmin_are_int64_tensors_without_grad() -> None:
    x = np.array([[1.0, 5.0, 5.0], [np.nan, 0.0, 2.0]])
    t = Tensor(x, requires_grad=True)
    for name in ("argmax", "argmin"):
        for kwargs, tkwargs in [
            ({}, {}),
            ({"dim": 1}, {"dim": 1}),
            ({"axis": 0, "keepdims": True}, {"dim": 0, "keepdim": True}),
        ]:
            got = getattr(t, name)(**kwargs)
            want = getattr(torch.tensor(x), name)(**tkwargs).numpy()
            assert isinstance(got, Tensor) and got.dtype == np.int64 and not got.requires_grad
            np.testing.assert_array_equal(got, want)
    assert int(Tensor(2.0).argmax(0)) == 0
    with pytest.raises(ValueError, match="argmax: .*empty"):
        Tensor(np.zeros((2, 0))).argmax(dim=1)


@pytest.mark.parametrize(
    "call",
    [
        lambda t: t.sum(axis=0, dim=0),
        lambda t: t.mean(1, dim=1),
        lambda t: t.softmax(-1, dim=0),
        lambda t: t.log_softmax(axis=0, dim=0),
        lambda t: t.logsumexp(0, dim=1),
        lambda t: t.var(0, dim=0),
        lambda t: t.sum(0, keepdims=True, keepdim=True),
        lambda t: t.argmax(0, dim=0),
        lambda t: t.squeeze(0, dim=0),
        lambda t: ag.cat([t, t], 0, dim=0),
        lambda t: t.var(0, unbiased=True, correction=0),
    ],
)
def test_both_spellings_at_once_is_refused(call) -> None:
    with pytest.raises(TypeError, match="both"):
        call(Tensor(X))


def test_valuearray_takes_the_same_spellings() -> None:
    va, t = ValueArray(X), tt(X)
    close(va.sum(dim=0).data, t.sum(dim=0))
    close(va.var(dim=1).data, t.var(dim=1))
    close(va.std(dim=0, correction=0).data, t.std(dim=0, correction=0))
    close(va.softmax(dim=0).data, t.softmax(dim=0))
    close(va.max(dim=1).values.data, t.max(dim=1).values)
    assert va.flatten().shape == (12,) and va.unsqueeze(0).shape == (1, 3, 4)
    out = va.var(dim=0).sum()
    out.backward()
    t.var(dim=0).sum().backward()
    close(va.grad, t.grad)


# ------------------------------------------------------------------ 0-d tensors (issue 10)
def test_zero_d_tensors_follow_torch() -> None:
    s = ag.stack([Tensor(3.14), Tensor(3.14)])
    assert s.shape == (2,)
    a = Tensor(2.0, requires_grad=True)
    for axis in (0, -1):
        out = a.sum(axis) + a.sum(dim=axis, keepdim=True) + a.mean(axis) + a.max(axis)
        assert out.shape == ()
    with pytest.raises(ValueError, match=r"axis 1 is out of range .*\[-1, 0\]"):
        a.sum(1)
    assert a.flatten().shape == (1,) and a.unsqueeze(0).shape == (1,) and a.squeeze(0).shape == ()
    values, indices = a.max(dim=0)
    assert values.shape == () and int(indices) == 0
    with pytest.raises(ValueError, match="0-d"):
        ag.cat([a, a])


# ------------------------------------------------------------------ factories
@pytest.mark.parametrize(
    "ours, theirs",
    [
        (lambda: ag.zeros(2, 3), lambda: torch.zeros(2, 3)),
        (lambda: Tensor.zeros((2, 3)), lambda: torch.zeros((2, 3))),
        (lambda: ag.ones(4), lambda: torch.ones(4)),
        (lambda: Tensor.ones(), lambda: torch.ones(())),
        (lambda: ag.full((2, 2), 1.5), lambda: torch.full((2, 2), 1.5)),
        (lambda: Tensor.arange(5), lambda: torch.arange(5)),
        (lambda: ag.arange(1, 2, 0.25), lambda: torch.arange(1, 2, 0.25)),
        (lambda: ag.arange(5, 0, -2), lambda: torch.arange(5, 0, -2)),
        (lambda: ag.eye(3), lambda: torch.eye(3)),
        (lambda: Tensor.eye(2, 3), lambda: torch.eye(2, 3)),
        (lambda: ag.zeros_like(Tensor(X)), lambda: torch.zeros_like(torch.tensor(X))),
        (lambda: Tensor.ones_like(X), lambda: torch.ones_like(torch.tensor(X))),
    ],
)
def test_factories_match_torch(ours, theirs) -> None:
    t, ref = ours(), theirs()
    # torch's dtype, with the default float dtype float64 here (torch: float32); int arguments: int64
    assert isinstance(t, Tensor) and t.dtype == (np.int64 if ref.dtype == torch.int64 else np.float64)
    assert not t.requires_grad
    np.testing.assert_array_equal(t.data, ref.numpy())


def test_factory_options() -> None:
    w = ag.randn(3, 2, seed=0, requires_grad=True)
    assert w.requires_grad and w.shape == (3, 2)
    # seed=0 is torch.Generator().manual_seed(0): torch's float32 numbers, held in float64
    theirs = torch.randn(3, 2, generator=torch.Generator().manual_seed(0))
    np.testing.assert_array_equal(w.data, theirs.double())
    gen = np.random.default_rng(5)
    a, b = Tensor.rand(4, seed=gen), Tensor.rand(4, seed=gen)
    assert not np.array_equal(a.data, b.data) and (0 <= a.data).all() and (a.data < 1).all()
    assert ag.zeros(2, dtype="float32").dtype == np.float32
    assert ag.zeros_like(Tensor([1.0], dtype="float32")).dtype == np.float32
    assert ag.ones(2, dtype=np.float32, requires_grad=True).requires_grad
    with pytest.raises(TypeError, match="zeros: size must be non-negative ints"):
        ag.zeros(2.5)
    with pytest.raises(TypeError, match="randn: seed must be"):
        ag.randn(2, seed="x")
    assert ag.ones(2, dtype="int64").dtype == np.int64  # data, as torch's (cannot require grad)
    with pytest.raises(TypeError, match="dtype must be float32, float64, an integer dtype"):
        ag.ones(2, dtype="float16")
    with pytest.raises(ValueError, match="arange: step must be nonzero"):
        ag.arange(0, 3, 0)


# ------------------------------------------------------------------ methods and conversions
def test_requires_grad_conversions_and_item() -> None:
    w = Tensor([1.0, 2.0])
    assert w.requires_grad_() is w and w.requires_grad
    (w * w).sum().backward()
    close(w.grad, [2.0, 4.0])
    with pytest.raises(RuntimeError, match="detach"):
        (w * 2).requires_grad_(False)
    assert float(Tensor(3.5)) == 3.5 and int(Tensor([[4.7]])) == 4
    with pytest.raises(TypeError, match=r"float\(\): only a tensor with one element .* shape \(2,\)"):
        float(w)
    with pytest.raises(TypeError, match=r"int\(\)"):
        int(Tensor(np.zeros(0)))
    v = Value(2.5)
    assert v.item() == 2.5 and type(v.item()) is float


def test_equality_is_elementwise_and_hashing_by_identity() -> None:
    a, b = Tensor([1.0, 2.0]), Tensor([1.0, 3.0])
    np.testing.assert_array_equal(a == b, [True, False])
    np.testing.assert_array_equal(a != b, [False, True])
    np.testing.assert_array_equal(a == np.array([1.0, 2.0]), [True, True])
    assert np.mean(Tensor([0.0, 1.0, 1.0]) == np.array([0, 1, 0])) == pytest.approx(2 / 3)
    va = ValueArray([1.0, 2.0])
    np.testing.assert_array_equal(va == ValueArray([1.0, 5.0]), [True, False])
    np.testing.assert_array_equal(va != 2.0, [True, False])
    same = Tensor([1.0, 2.0])
    assert len({a, same, va}) == 3 and {a: 1}[a] == 1  # hashing by identity
    assert Value(1.0) != Value(1.0)  # Value keeps micrograd's identity semantics


def test_nothing_relies_on_tensor_identity_equality() -> None:
    """The graph walks, drawings and optimizers keep nodes in sets/dicts (identity), never
    `in` on lists: equal tensors in one graph must stay distinct nodes."""
    from optimizers import SGD

    a, b = Tensor([1.0, 2.0], requires_grad=True), Tensor([1.0, 2.0], requires_grad=True)
    out = (a * b + a).sum()
    out.backward()
    assert len(ag.toposort(out)) == 5
    ag.draw_graph(out)
    opt = SGD([a, b], lr=0.5)
    opt.step()
    close(a.grad, [2.0, 3.0])
    close(b.grad, [1.0, 2.0])
    close(a.data, [0.0, 0.5])
    close(b.data, [0.5, 1.0])
