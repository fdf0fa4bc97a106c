"""torch's scatter and index-writing family (autograd/scatter_ops.py, the primitive in
autograd/ops/scatter.py) against torch 2.13: values bit for bit, first and second derivatives, on
float64 and float32, with repeated indices, ties, zeros, nan and inf, 0-d tensors, empty indices and
negative dims; finite differences; the in-place forms under the library's in-place rules; bad input."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from engine_helpers import close

import autograd as ag

NAN, INF = float("nan"), float("inf")
DTYPES = {"float64": (np.float64, torch.float64), "float32": (np.float32, torch.float32)}


def _lib_index(L: Any, a: Any) -> Any:
    return L.tensor(np.asarray(a))


def _leaves(L: Any, arrays: list[np.ndarray], tdtype: Any) -> list[Any]:
    if L is torch:
        return [torch.tensor(a, dtype=tdtype, requires_grad=True) for a in arrays]
    return [ag.tensor(a, requires_grad=True) for a in arrays]


def _same(ours: Any, theirs: Any, what: str) -> None:
    """Bit for bit (nan matches nan; +0.0 and -0.0 compare equal, as torch's own tests compare)."""
    theirs = np.zeros(theirs.shape) if theirs._is_zerotensor() else theirs.detach().numpy()
    ours = np.asarray(ours)
    assert ours.shape == theirs.shape, (what, ours.shape, theirs.shape)
    assert ours.dtype == theirs.dtype, (what, ours.dtype, theirs.dtype)
    assert np.array_equal(ours, theirs, equal_nan=True), f"{what}: {ours} (torch {theirs})"


def against_torch(
    f: Callable[..., Any],
    arrays: list[np.ndarray],
    dtype: str = "float64",
    second: bool = True,
    exact: bool = True,
) -> None:
    """``f(L, *leaves)`` with L torch and autograd: the value, the gradients of a weighted sum, and
    (``second``) the gradients of the weighted gradients (create_graph)."""
    npd, tdtype = DTYPES[dtype]
    arrays = [np.asarray(a, npd) for a in arrays]
    xs, ts = _leaves(ag, arrays, tdtype), _leaves(torch, arrays, tdtype)
    out, ref = f(ag, *xs), f(torch, *ts)
    check = _same if exact else lambda o, t, w: close(o, t, 1e-5 if dtype == "float32" else 1e-12, 1e-6, w)
    check(out.data, ref, "value")
    rng = np.random.default_rng(7)
    w = rng.standard_normal(ref.shape).astype(npd)
    gs = ag.grad((out * ag.tensor(w)).sum(), xs, create_graph=second, allow_unused=True)
    gt = torch.autograd.grad((ref * torch.tensor(w)).sum(), ts, create_graph=second, allow_unused=True)
    for k, (g, t) in enumerate(zip(gs, gt)):
        check(
            np.zeros(arrays[k].shape, npd) if g is None else g.data,
            torch.zeros(arrays[k].shape, dtype=tdtype) if t is None else t,
            f"grad {k}",
        )
    if not second:
        return
    # (a gradient torch does not record, the engine may record as depending on the numbers it was
    # selected by, with derivative 0: both give no second derivative there)
    weights = [rng.standard_normal(np.shape(t)).astype(npd) for t in gt]
    terms = [(g * ag.tensor(v)).sum() for g, v in zip(gs, weights) if g is not None and g.requires_grad]
    tterms = [(t * torch.tensor(v)).sum() for t, v in zip(gt, weights) if t is not None and t.requires_grad]
    g2 = ag.grad(sum(terms[1:], terms[0]), xs, allow_unused=True) if terms else [None] * len(xs)
    t2 = (
        torch.autograd.grad(sum(tterms[1:], tterms[0]), ts, allow_unused=True) if tterms else [None] * len(ts)
    )
    for k, (g, t) in enumerate(zip(g2, t2)):
        tol = (1e-5, 1e-6) if dtype == "float32" else (1e-12, 1e-12)
        close(0.0 if g is None else g.data, 0.0 if t is None else t, *tol, f"second-order grad {k}")


# values with ties, zeros, signed zeros, nan and inf
EDGY = np.array([0.0, -0.0, 1.0, -1.0, 2.0, 2.0, 0.5, -3.0, NAN, INF, -INF, 1.0])


def _edgy(rng: np.random.Generator, shape: tuple[int, ...], p: float = 0.4) -> np.ndarray:
    x = rng.standard_normal(shape)
    pick = rng.random(shape) < p
    x[pick] = rng.choice(EDGY, size=int(pick.sum()))
    return x


X = np.array([[1.0, -2.0, 0.0, 4.0], [2.0, 2.0, NAN, -1.0], [0.5, -0.0, 3.0, INF]])
IDX0 = np.array([[0, 1, 2, 0], [2, 2, 1, 0]])  # (along dim 0: repeated positions)
SRC0 = np.array([[5.0, 2.0, 0.0, 1.0], [-1.0, 2.0, 7.0, 1.0]])
IDX1 = np.array([[3, 3, 0], [1, 1, 1], [0, 2, 2]])  # (along dim 1 / -1)
SRC1 = np.array([[2.0, 2.0, 5.0], [0.0, -INF, 1.0], [3.0, 3.0, NAN]])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "dim,index,src", [(0, IDX0, SRC0), (1, IDX1, SRC1), (-1, IDX1, SRC1), (-2, IDX0, SRC0)]
)
def test_scatter_and_scatter_add(dtype: str, dim: int, index: np.ndarray, src: np.ndarray) -> None:
    """Of repeated positions the last value stays (torch's CPU); every src element gets the gradient
    at its position, and self's gradient is 0 where a value was written."""
    against_torch(lambda L, x, s: x.scatter(dim, _lib_index(L, index), s), [X, src], dtype)
    against_torch(lambda L, x: x.scatter(dim, _lib_index(L, index), -2.5), [X], dtype)
    against_torch(lambda L, x, s: x.scatter_add(dim, _lib_index(L, index), s), [X, src], dtype)
    against_torch(lambda L, x, s: L.scatter(x, dim, _lib_index(L, index), s) * 2.0, [X, src], dtype)
    against_torch(lambda L, x, s: L.scatter_add(x, dim, _lib_index(L, index), s), [X, src], dtype)


def test_scatter_src_larger_than_index_reads_its_leading_block() -> None:
    """torch reads src's leading block of the index's shape (its backward refuses to return the
    gradient of a larger src: here src's other elements get 0, the derivative)."""
    x, src = (
        ag.zeros(3, 3, requires_grad=True),
        ag.tensor(np.arange(1.0, 10.0).reshape(3, 3), requires_grad=True),
    )
    out = x.scatter(0, ag.tensor([[0, 1], [2, 0]]), src)
    ref = (
        torch.zeros(3, 3)
        .double()
        .scatter(0, torch.tensor([[0, 1], [2, 0]]), torch.arange(1.0, 10.0).reshape(3, 3).double())
    )
    _same(out.data, ref, "value")
    (out * ag.tensor(np.arange(9.0).reshape(3, 3))).sum().backward()
    assert np.array_equal(src.grad.data, [[0.0, 4.0, 0.0], [6.0, 1.0, 0.0], [0.0, 0.0, 0.0]])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce(dtype: str, reduce: str, include_self: bool) -> None:
    """torch's gradients: mean divided by the counts, amax/amin shared evenly among ties (self's
    included), prod through the product of the others at a single zero; include_self=False."""
    second = reduce != "prod"  # (prod with two zeros in one product: see below)
    for dim, index, src in [(0, IDX0, SRC0), (-1, IDX1, SRC1)]:
        f = lambda L, x, s: x.scatter_reduce(dim, _lib_index(L, index), s, reduce, include_self=include_self)  # noqa: E731, B023 (called at once)
        against_torch(f, [X, src], dtype, second=second)
    # finite values with ties and zeros (one zero per product: prod's second order is torch's too)
    x = np.array([[3.0, 0.0, 2.0], [1.0, 2.0, -1.0]])
    index = np.array([[0, 0, 1, 1], [2, 0, 2, 2]])
    s = np.array([[3.0, 1.0, 0.0, 2.0], [2.0, 1.0, 2.0, 5.0]])
    f = lambda L, x, s: x.scatter_reduce(1, _lib_index(L, index), s, reduce, include_self=include_self)  # noqa: E731
    against_torch(f, [x, s], dtype)


@pytest.mark.parametrize("reduce", ["amax", "amin", "mean", "prod", "sum"])
def test_scatter_reduce_on_random_edge_values(reduce: str) -> None:
    rng = np.random.default_rng(3)
    for trial in range(30):
        shape = tuple(rng.integers(1, 4, size=rng.integers(1, 4)))
        dim = int(rng.integers(-len(shape), len(shape)))
        ishape = tuple(
            int(rng.integers(0, n + 1)) if k != dim % len(shape) else int(rng.integers(0, 6))
            for k, n in enumerate(shape)
        )
        index = rng.integers(0, shape[dim], size=ishape)
        x, s = _edgy(rng, shape), _edgy(rng, ishape)
        inc = bool(trial % 2)
        f = lambda L, x, s: x.scatter_reduce(dim, _lib_index(L, index), s, reduce, include_self=inc)  # noqa: E731, B023 (called at once)
        against_torch(f, [x, s], second=False)


def test_scatter_reduce_prod_with_two_zeros_is_once_differentiable() -> None:
    """torch's first derivative (0 for both zeros), and its error for the second."""
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    s = ag.tensor([0.0, 0.0, 2.0], requires_grad=True)
    out = x.scatter_reduce(0, ag.tensor([0, 0, 1]), s, "prod")
    gx, gs = ag.grad(out.sum(), (x, s), create_graph=True)
    assert np.array_equal(gs.data, [0.0, 0.0, 2.0]) and np.array_equal(gx.data, [0.0, 2.0, 1.0])
    with pytest.raises(RuntimeError, match="Double backward is unsupported for src when >1 zeros"):
        ag.grad(gs.sum(), (x, s))
    assert ag.grad(gx.sum(), s)[0] is not None  # (self's gradient is differentiable)


I1 = np.array([0, 2, 2, 1])  # (repeated)


@pytest.mark.parametrize("dtype", DTYPES)
def test_index_add_copy_fill(dtype: str) -> None:
    src0, src1 = _edgy(np.random.default_rng(1), (4, 4)), _edgy(np.random.default_rng(2), (3, 4))
    against_torch(lambda L, x, s: x.index_add(0, _lib_index(L, I1[:3]), s[:3]), [X, src0], dtype)
    against_torch(lambda L, x, s: x.index_add(-1, _lib_index(L, I1), s, alpha=-2.0), [X, src1], dtype)
    against_torch(lambda L, x, s: L.index_add(x, 1, _lib_index(L, I1), s), [X, src1], dtype)
    against_torch(lambda L, x, s: x.index_copy(1, _lib_index(L, I1), s), [X, src1], dtype)
    against_torch(lambda L, x, s: L.index_copy(x, 0, _lib_index(L, [2, 0]), s[:2]), [X, src0], dtype)
    against_torch(lambda L, x: x.index_fill(1, _lib_index(L, [0, 3, -1, 3]), -1.5), [X], dtype)
    against_torch(lambda L, x, v: x.index_fill(0, _lib_index(L, [2, 0, 2]), v), [X, np.array(3.0)], dtype)
    against_torch(
        lambda L, x, v: L.index_fill(x, -1, _lib_index(L, [1]), v * 2.0), [X, np.array(-INF)], dtype
    )


def test_index_add_with_alpha_on_a_matrix_rounds_alpha_times_source_first() -> None:
    """torch's kernel fuses alpha·source + self (one rounding) for tensors of 2+ dims; here
    alpha·source is rounded first: the last bit may differ (the 1-d form is torch's bit for bit)."""
    rng = np.random.default_rng(4)
    x, s = rng.random((50, 3)).astype(np.float32), rng.random((40, 3)).astype(np.float32)
    index = rng.integers(0, 50, 40)
    against_torch(
        lambda L, x, s: x.index_add(0, _lib_index(L, index), s, alpha=0.3), [x, s], "float32", exact=False
    )
    against_torch(
        lambda L, x, s: x.index_add(0, _lib_index(L, index), s, alpha=0.3), [x[:, 0], s[:, 0]], "float32"
    )


@pytest.mark.parametrize("reduce", ["prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
def test_index_reduce(reduce: str, include_self: bool) -> None:
    x = np.array([[3.0, 0.0, 2.0], [1.0, 2.0, -1.0], [2.0, 2.0, 2.0]])
    s = np.array([[3.0, 1.0, 0.0], [2.0, 1.0, 2.0], [1.0, 2.0, 5.0], [2.0, NAN, 2.0]])
    index = np.array([0, 2, 0, 2])
    f = lambda L, x, s: x.index_reduce(0, _lib_index(L, index), s, reduce, include_self=include_self)  # noqa: E731
    against_torch(f, [x, s], second=False)
    f = lambda L, x, s: x.index_reduce(0, _lib_index(L, index[:3]), s[:3], reduce, include_self=include_self)  # noqa: E731
    against_torch(f, [x, s], second=reduce != "prod")


@pytest.mark.parametrize("dtype", DTYPES)
def test_index_put_masked_scatter_put(dtype: str) -> None:
    rows, cols = np.array([0, 0, 2, -1]), np.array([1, 1, 3, 0])
    against_torch(
        lambda L, x, v: x.index_put((_lib_index(L, rows), _lib_index(L, cols)), v),
        [X, [1.0, 2.0, NAN, 4.0]],
        dtype,
    )
    against_torch(
        lambda L, x, v: x.index_put((_lib_index(L, rows),), v, accumulate=True),
        [X, [1.0, -2.0, 3.0, 0.5]],
        dtype,
    )
    against_torch(lambda L, x, v: L.index_put(x, [_lib_index(L, [True, False, True])], v), [X, 2.0], dtype)
    against_torch(
        lambda L, x, v: x.index_put((_lib_index(L, rows[:2]),), v, True), [X, [[1.0], [2.0]]], dtype
    )
    mask = np.array([[True, False, True, True], [False, False, False, True], [True, True, False, False]])
    against_torch(lambda L, x, s: x.masked_scatter(_lib_index(L, mask), s), [X, np.arange(10.0) - 3], dtype)
    against_torch(
        lambda L, x, s: L.masked_scatter(x, _lib_index(L, mask[0]), s),
        [X, np.arange(9.0).reshape(3, 3)],
        dtype,
    )
    against_torch(
        lambda L, x, s: x.put(_lib_index(L, [[0, -1], [0, 5]]), s), [X, [[1.0, 2.0], [3.0, INF]]], dtype
    )
    against_torch(
        lambda L, x, s: L.put(x, _lib_index(L, [0, -12, 0]), s, accumulate=True), [X, [1.0, 2.0, -4.0]], dtype
    )


def test_zero_dimensional_tensors_and_empty_indices() -> None:
    scalar, src = np.array(2.0), np.array(5.0)
    against_torch(lambda L, x, s: x.scatter(0, _lib_index(L, 0), s), [scalar, src])
    against_torch(lambda L, x, s: x.scatter_add(-1, _lib_index(L, 0), s), [scalar, src])
    against_torch(
        lambda L, x, s: x.scatter_reduce(0, _lib_index(L, 0), s, "amax", include_self=False), [scalar, src]
    )
    against_torch(lambda L, x, s: x.index_add(0, _lib_index(L, [0]), s), [scalar, src])
    against_torch(lambda L, x, s: x.put(_lib_index(L, [0]), s), [scalar, src[None]])
    empty = np.zeros((0, 4), np.int64)
    against_torch(lambda L, x, s: x.scatter(0, _lib_index(L, empty), s), [X, SRC0[:0]])
    against_torch(lambda L, x, s: x.scatter_reduce(1, _lib_index(L, empty), s, "mean"), [X, SRC0[:0]])
    against_torch(
        lambda L, x, s: x.index_add(1, _lib_index(L, np.zeros(0, np.int64)), s), [X, np.zeros((3, 0))]
    )
    against_torch(lambda L, x, s: x.index_put((_lib_index(L, np.zeros(0, np.int64)),), s), [X, 1.0])
    against_torch(lambda L, x: x.index_fill(0, _lib_index(L, np.zeros(0, np.int64)), 1.0), [X])
    against_torch(lambda L, x, s: x.masked_scatter(_lib_index(L, np.zeros((3, 4), bool)), s), [X, [1.0]])
    against_torch(
        lambda L, x, s: x.scatter_add(0, _lib_index(L, np.zeros((1, 0), np.int64)), s),
        [np.zeros((2, 0)), np.zeros((1, 0))],
    )


def test_integer_tensors_one_hot_and_scalar_casts() -> None:
    labels = ag.tensor([2, 0, 3])
    one_hot = ag.zeros(3, 4).scatter_(1, labels.unsqueeze(1), 1.0)
    ref = torch.zeros(3, 4).double().scatter_(1, torch.tensor([2, 0, 3]).unsqueeze(1), 1.0)
    _same(one_hot.data, ref, "one-hot")
    longs = ag.zeros(3, dtype=ag.int64).scatter(0, ag.tensor([1]), 7.5)
    _same(longs.data, torch.zeros(3, dtype=torch.long).scatter(0, torch.tensor([1]), 7.5), "int64 value")
    added = ag.zeros(3, dtype=ag.int64).index_add(0, ag.tensor([1]), ag.tensor([2]), alpha=1.5)
    _same(
        added.data,
        torch.zeros(3, dtype=torch.long).index_add(0, torch.tensor([1]), torch.tensor([2]), alpha=1.5),
        "alpha",
    )
    counts = ag.zeros(4, dtype=ag.int64).scatter_add(0, ag.tensor([1, 1, 3]), ag.tensor([1, 1, 1]))
    assert counts.data.tolist() == [0, 2, 0, 1]
    means = ag.tensor([1, 2, 3]).scatter_reduce(0, ag.tensor([0, 0]), ag.tensor([2, 2]), "mean")
    _same(
        means.data,
        torch.tensor([1, 2, 3]).scatter_reduce(0, torch.tensor([0, 0]), torch.tensor([2, 2]), "mean"),
        "int mean",
    )


@pytest.mark.parametrize("dtype", DTYPES)
def test_gnn_message_passing_matches_torch_on_a_larger_graph(dtype: str) -> None:
    """scatter_add with an expanded index (torch's sorted fast path) and index_add: the same sums."""
    rng = np.random.default_rng(5)
    messages, edges = rng.standard_normal((300, 8)), rng.integers(0, 20, 300)
    expanded = np.broadcast_to(edges[:, None], (300, 8))
    nodes = np.zeros((20, 8))
    against_torch(lambda L, n, m: n.scatter_add(0, _lib_index(L, expanded), m), [nodes, messages], dtype)
    against_torch(lambda L, n, m: n.index_add(0, _lib_index(L, edges), m), [nodes, messages], dtype)
    for reduce in ("amax", "mean"):
        f = lambda L, n, m: n.scatter_reduce(0, _lib_index(L, expanded), m, reduce, include_self=False)  # noqa: E731, B023 (called at once)
        against_torch(f, [nodes, messages], dtype)


def test_finite_differences() -> None:
    rng = np.random.default_rng(6)
    x = ag.tensor(rng.standard_normal((3, 4)) + 2.0, requires_grad=True)
    s = ag.tensor(rng.standard_normal((2, 4)) + 2.0, requires_grad=True)
    index = ag.tensor(IDX0)
    for reduce in ["sum", "prod", "mean", "amax", "amin"]:
        for inc in (True, False):
            assert ag.gradcheck(lambda x, s: x.scatter_reduce(0, index, s, reduce, include_self=inc), x, s)  # noqa: B023 (called at once)
    # (no position written twice: a value written over gets torch's gradient all the same)
    distinct = ag.tensor([[0, 1, 2, 1], [2, 0, 1, 0]])
    assert ag.gradcheck(lambda x, s: x.scatter(0, distinct, s), x, s)
    assert ag.gradcheck(
        lambda x, s: x.index_add(1, ag.tensor([0, 3, 3]), s[:, :3] * 1.0, alpha=0.5), x[:2] * 1.0, s
    )
    mask = ag.tensor(np.arange(12).reshape(3, 4) % 2 == 0)
    assert ag.gradcheck(lambda x, s: x.masked_scatter(mask, s), x, s)
    assert ag.gradgradcheck(lambda x, s: x.scatter_reduce(0, index, s, "prod") * x.sum(), x, s)
    assert ag.gradgradcheck(lambda x, s: x.scatter_reduce(0, index, s, "mean").exp(), x, s)


# ---------------------------------------------------------------------------- in place
def test_in_place_forms_follow_the_in_place_rules() -> None:
    w = ag.zeros(3, 4, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        w.scatter_(1, ag.tensor([[0], [1], [2]]), 1.0)
    before = w._version
    with ag.no_grad():
        assert w.index_add_(0, ag.tensor([2, 2]), ag.ones(2, 4)) is w
    assert w._version == before + 1 and w.data[2].tolist() == [2.0] * 4
    y = ag.tensor([1.0, 2.0, 3.0])
    src = ag.tensor([5.0, 6.0], requires_grad=True)
    y.index_copy_(0, ag.tensor([0, 1]), src)  # (recorded in the graph, as torch's)
    assert y.requires_grad and y._version == 1 and y.grad_fn.name() == "IndexCopyBackward0"

    def f(L: Any, values: list) -> Any:  # (float64 on both sides)
        return L.tensor(values, dtype=L.float64)

    checks = [
        ("scatter_", lambda L, t: t.scatter_(0, L.tensor([0, 0]), f(L, [2.0, 3.0]), reduce="multiply")),
        ("scatter_add_", lambda L, t: t.scatter_add_(0, L.tensor([2, 2]), f(L, [2.0, 3.0]))),
        (
            "scatter_reduce_",
            lambda L, t: t.scatter_reduce_(0, L.tensor([1, 1]), f(L, [2.0, 3.0]), "amax", include_self=False),
        ),
        ("index_fill_", lambda L, t: t.index_fill_(0, L.tensor([-1]), 9.0)),
        ("index_put_", lambda L, t: t.index_put_((L.tensor([0, 0]),), f(L, 1.0), accumulate=True)),
        ("masked_scatter_", lambda L, t: t.masked_scatter_(L.tensor([True, False, True]), f(L, [7.0, 8.0]))),
        ("put_", lambda L, t: t.put_(L.tensor([-1]), f(L, [4.0]))),
        ("index_reduce_", lambda L, t: t.index_reduce_(0, L.tensor([0, 0]), f(L, [2.0, 3.0]), "prod")),
    ]
    for name, write in checks:
        ours, theirs = f(ag, [1.0, 2.0, 3.0]), f(torch, [1.0, 2.0, 3.0])
        assert write(ag, ours) is ours
        write(torch, theirs)
        _same(ours.data, theirs, name)


CHANGED_AFTER = {  # op -> (does torch raise, does the engine raise) when src changes after the forward pass
    "scatter": (lambda L, x, s: x.scatter(0, L.tensor([0, 0]), s), False, False),
    "scatter_add": (lambda L, x, s: x.scatter_add(0, L.tensor([0, 0]), s), False, False),
    "index_put": (lambda L, x, s: x.index_put((L.tensor([0, 0]),), s, accumulate=True), False, False),
    "masked_scatter": (lambda L, x, s: x.masked_scatter(L.tensor([True, False, True]), s), False, False),
    "scatter_reduce prod": (lambda L, x, s: x.scatter_reduce(0, L.tensor([0, 0]), s, "prod"), True, True),
    "scatter_reduce amax": (lambda L, x, s: x.scatter_reduce(0, L.tensor([0, 0]), s, "amax"), True, True),
    "scatter_reduce mean": (lambda L, x, s: x.scatter_reduce(0, L.tensor([0, 0]), s, "mean"), True, True),
    # torch's node saves src, which its formula does not read (ops/scatter.py's _TORCH_SAVES: checked too)
    "scatter_reduce sum": (lambda L, x, s: x.scatter_reduce(0, L.tensor([0, 0]), s, "sum"), True, True),
    "index_add": (lambda L, x, s: x.index_add(0, L.tensor([0, 0]), s), True, True),
    "put": (lambda L, x, s: x.put(L.tensor([0, 0]), s, accumulate=True), True, True),
    "put, not accumulated": (lambda L, x, s: x.put(L.tensor([0, 1]), s), True, True),
    "index_copy": (lambda L, x, s: x.index_copy(0, L.tensor([0, 2]), s), True, True),
    "index_fill": (lambda L, x, s: x.index_fill(0, L.tensor([0, 2]), s[0]), False, False),
}


@pytest.mark.parametrize("name", CHANGED_AFTER)
def test_a_value_changed_in_place_after_the_forward_pass(name: str) -> None:
    """The version counter: a backward pass whose rule reads the numbers of a changed src raises
    torch's error; a write or a sum reads only positions and shapes."""
    made, torch_raises, engine_raises = CHANGED_AFTER[name]
    for L, raises in ((torch, torch_raises), (ag, engine_raises)):
        s = L.tensor([1.0, 5.0], dtype=L.float64, requires_grad=True)
        out = made(L, L.tensor([1.0, 2.0, 3.0], dtype=L.float64, requires_grad=True) * 1.0, s)
        with L.no_grad():
            s.mul_(2.0)
        if raises:
            with pytest.raises(RuntimeError, match="modified by an inplace operation"):
                out.sum().backward()
        else:
            out.sum().backward()


def test_scatter_with_reduce_has_no_derivative_as_torch() -> None:
    x = ag.ones(3, requires_grad=True)
    out = x.scatter(0, ag.tensor([0, 0]), ag.tensor([2.0, 3.0]), reduce="multiply")
    assert out.data.tolist() == [6.0, 1.0, 1.0]
    with pytest.raises(RuntimeError, match="derivative for 'scatter' with reduce= is not implemented"):
        out.sum().backward()


GRAD_FNS = {
    "ScatterBackward0": lambda L, x, s: x.scatter(0, L.tensor([[0, 1]]), s[:1, :2]),
    "ScatterAddBackward0": lambda L, x, s: x.scatter_add(0, L.tensor([[0, 1]]), s[:1, :2]),
    "ScatterReduceBackward0": lambda L, x, s: x.scatter_reduce(0, L.tensor([[0, 1]]), s[:1, :2], "amax"),
    "IndexAddBackward0": lambda L, x, s: x.index_add(0, L.tensor([1]), s[:1]),
    "IndexCopyBackward0": lambda L, x, s: x.index_copy(0, L.tensor([1]), s[:1]),
    "IndexFillBackward0": lambda L, x, s: x.index_fill(0, L.tensor([1]), 2.0),
    "IndexPutBackward0": lambda L, x, s: x.index_put((L.tensor([1]),), s[0]),
    "MaskedScatterBackward0": lambda L, x, s: x.masked_scatter(L.tensor([True, False]), s.reshape(-1)),
    "PutBackward0": lambda L, x, s: x.put(L.tensor([1]), s[0, :1]),
    "IndexReduceBackward0": lambda L, x, s: x.index_reduce(0, L.tensor([1]), s[:1], "prod"),
}


@pytest.mark.parametrize("name", GRAD_FNS)
def test_grad_fn_is_named_as_torch_names_it(name: str) -> None:
    made = GRAD_FNS[name]
    assert (
        made(ag, ag.ones(2, 2, requires_grad=True), ag.ones(2, 2, requires_grad=True)).grad_fn.name() == name
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # (torch: index_reduce is in beta)
        ref = made(torch, torch.ones(2, 2, requires_grad=True), torch.ones(2, 2, requires_grad=True))
    assert ref.grad_fn.name() == name


# ---------------------------------------------------------------------------- compiled steps
def test_compiled_steps_replay_the_family_bit_for_bit() -> None:
    """Positions the function computes (an argmax) and index arguments are read at every call."""
    rng = np.random.default_rng(8)
    w = ag.tensor(rng.standard_normal((4, 3)), requires_grad=True)

    def loss(x: Any, index: Any) -> Any:
        h = x @ w
        hot = ag.zeros(h.shape).scatter(1, h.argmax(1, keepdim=True), 1.0)
        pooled = ag.zeros(3, 3).index_add(0, index, h * hot + h)
        peak = ag.zeros(3, 3).scatter_reduce(0, index[:, None].expand(-1, 3), h, "amax", include_self=False)
        mean = h.scatter_reduce(0, index[:, None].expand(-1, 3), h * 0.5, "mean")
        return (pooled.tanh().sum() + peak.sum() + (mean * mean).sum()).sum()

    step = ag.compile(loss)
    for k in range(3):
        x, index = ag.tensor(rng.standard_normal((5, 4))), ag.tensor(rng.integers(0, 3, 5))
        w.grad = None
        eager = loss(x, index)
        eager.backward()
        expected = w.grad.data.copy()
        w.grad = None
        got = step(x, index)
        assert np.array_equal(got.data, eager.data) and np.array_equal(w.grad.data, expected), k
    assert step.trace_count == 1  # (replayed: not traced again for new positions)


@pytest.mark.parametrize("reduce", [None, "sum", "mean", "prod", "amax", "amin", "masked"])
def test_compiled_second_derivatives_select_by_each_calls_positions(reduce: str | None) -> None:
    """A create_graph gradient (an hvp-like step) selects by nodes computed from each call's index
    (the positions, the written elements, the counts, the ties, the zeros), never the trace's."""
    rng = np.random.default_rng(9)
    w = ag.tensor(rng.standard_normal(6), requires_grad=True)

    def f(index: Any) -> Any:
        if reduce == "masked":
            y = (w * 0.5).masked_scatter(index > 0, w * w * w)
        elif reduce is None:
            y = (w[:3] * 0.5).scatter(0, index, w * w * w)
        else:
            y = (w[:3] * 0.5).scatter_reduce(0, index, w * w * w, reduce, include_self=False)
        g = ag.autograd.grad((y * y).sum(), w, create_graph=True)[0]
        return (g * g).sum()

    step = ag.compile(f)
    for index in ([1, 1, 1, 1, 1, 1], [0, 2, 0, 2, 2, 0], [1, 2, 1, 0, 2, 2]):  # (first: all written)
        w.grad = None
        eager = f(ag.tensor(index))
        eager.backward()
        expected = w.grad.data.copy()
        w.grad = None
        got = step(ag.tensor(index))
        assert np.array_equal(got.data, eager.data) and np.array_equal(w.grad.data, expected), index
    assert step.trace_count == 1


def test_compiled_masks_masked_scatter_replays_index_put_refuses() -> None:
    """masked_scatter's positions keep one shape whatever the mask (source elements past its count
    are not written), so a mask the function computes is read at every call; index_put by such a
    mask would keep the trace's count, and is refused."""
    w = ag.tensor([0.5, -1.0, 2.0, -3.0], requires_grad=True)
    step = ag.compile(lambda: w.masked_scatter(w > 0, w * 2.0).sum())
    for _ in range(2):
        assert np.array_equal(step().data, w.masked_scatter(w > 0, w * 2.0).sum().data)
        with ag.no_grad():
            w.data[:] = -w.data
    assert step.trace_count == 1
    refused = ag.compile(lambda: w.index_put((w > 0,), ag.tensor(0.0)).sum())
    with pytest.raises(ag.compiled.CompileError, match="index_put by a bool mask the function computed"):
        refused()


# ---------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "call,error,match",
    [
        (
            lambda x: x.scatter(0, ag.tensor([[0.0]]), ag.ones(1, 1)),
            RuntimeError,
            "Expected dtype int64 for index",
        ),
        (
            lambda x: x.scatter(0, ag.tensor([[5]]), ag.ones(1, 1)),
            RuntimeError,
            "index 5 is out of bounds for dimension 0 with size 3",
        ),
        (lambda x: x.scatter(1, ag.tensor([[-1]]), ag.ones(1, 1)), RuntimeError, "index -1 is out of bounds"),
        (
            lambda x: x.scatter(0, ag.tensor([0]), ag.ones(1)),
            RuntimeError,
            "same number of dimensions as self",
        ),
        (
            lambda x: x.scatter(0, ag.tensor([[0, 0, 0, 0, 0]]), ag.ones(1, 5)),
            RuntimeError,
            "no larger than self",
        ),
        (lambda x: x.scatter(0, ag.tensor([[0, 0]]), ag.ones(1, 1)), RuntimeError, "no larger size than src"),
        (
            lambda x: x.scatter(0, ag.tensor([[0]]), ag.ones(1, 1, dtype=ag.float32)),
            RuntimeError,
            "Expected self.dtype to be equal to src.dtype",
        ),
        (lambda x: x.scatter(2, ag.tensor([[0]]), ag.ones(1, 1)), IndexError, "Dimension out of range"),
        (
            lambda x: x.scatter(0, ag.tensor([[0]]), ag.ones(1, 1), reduce="mean"),
            RuntimeError,
            "either add or multiply",
        ),
        (lambda x: x.scatter(0, ag.tensor([[0]])), TypeError, "missing src"),
        (
            lambda x: x.scatter_reduce(0, ag.tensor([[0]]), ag.ones(1, 1), "add"),
            RuntimeError,
            "sum, prod, mean, amax or amin, got add",
        ),
        (
            lambda x: x.index_add(0, ag.tensor([[0]]), ag.ones(1, 4)),
            IndexError,
            "Index is supposed to be a vector",
        ),
        (
            lambda x: x.index_add(0, ag.tensor([0]), ag.ones(1, 3)),
            RuntimeError,
            "source tensor shape must match self tensor shape",
        ),
        (
            lambda x: x.index_add(0, ag.tensor([0, 1]), ag.ones(1, 4)),
            RuntimeError,
            r"Number of indices \(2\) should be equal to source.size\(dim\): \(1\)",
        ),
        (
            lambda x: x.index_add(0, ag.tensor([3]), ag.ones(1, 4)),
            RuntimeError,
            "index 3 is out of bounds for dimension 0 with size 3",
        ),
        (lambda x: x.index_copy(0, ag.tensor([-1]), ag.ones(1, 4)), IndexError, "index -1 is out of bounds"),
        (
            lambda x: x.index_fill(1, ag.tensor([0]), ag.ones(1)),
            RuntimeError,
            "only supports a 0-dimensional value tensor",
        ),
        (
            lambda x: x.index_fill(1, ag.tensor([4]), 1.0),
            RuntimeError,
            "index 4 is out of bounds for dimension 1 with size 4",
        ),
        (
            lambda x: x.index_reduce(0, ag.tensor([0]), ag.ones(1, 4), "sum"),
            RuntimeError,
            "one of prod, mean, amax or amin but got sum",
        ),
        (
            lambda x: x.index_put((ag.tensor([3]),), ag.ones(4)),
            IndexError,
            "index 3 is out of bounds for dimension 0 with size 3",
        ),
        (
            lambda x: x.index_put((ag.tensor([0, 1]),), ag.ones(3)),
            RuntimeError,
            "shape mismatch: value tensor of shape",
        ),
        (lambda x: x.index_put(ag.tensor([0]), ag.ones(4)), TypeError, "indices must be a tuple"),
        (
            lambda x: x.masked_scatter(ag.tensor([True, True, True, True]), ag.ones(2)),
            RuntimeError,
            "Number of elements of source < number of ones in mask",
        ),
        (
            lambda x: x.masked_scatter(ag.tensor([1, 0, 1, 0]), ag.ones(4)),
            RuntimeError,
            "only supports boolean masks",
        ),
        (lambda x: x.put(ag.tensor([0, 1]), ag.ones(3)), IndexError, "same number of elements"),
        (
            lambda x: x.put(ag.tensor([12]), ag.ones(1)),
            IndexError,
            "tried to access index 12 on a tensor of 12 elements",
        ),
    ],
)
def test_bad_input_is_named(call: Callable[[Any], Any], error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        call(ag.zeros(3, 4))
