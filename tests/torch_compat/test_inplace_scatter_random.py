"""In-place writes of torch's index/scatter family, ``fill_diagonal_`` and the random fills on
tensors computed from others, recorded in the graph as torch records them (autograd/_rebase.py),
and writes of a value that requires grad into a view taken without grad (torch's CopySlices on the
view's base). Each program runs on both libraries (float64) and must give the same values,
gradients (first and second order), ``requires_grad``, versions, and raise where torch raises."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import autograd
from autograd.graph import CompileError
from tests.torch_compat.side_by_side import caught, same
from tests.torch_compat.test_inplace_graph import outcome


def _leaf(t: Any, values: Any = (1.0, -2.0, 3.0, 0.5)) -> Any:
    return t.tensor(values, requires_grad=True)


def _mat(t: Any) -> Any:
    return t.tensor([[1.0, -2.0, 3.0], [0.5, 4.0, -1.5], [2.0, 0.25, -3.0]], requires_grad=True)


def _both_orders(t: Any, x: Any, leaves: list[Any]) -> Any:
    """``x``'s values, version and ``requires_grad``, the gradients of Σ x³ (kept as a graph) and of
    Σ those gradients squared (second order: the leaves' ``grad``)."""
    first = t.autograd.grad((x * x * x).sum(), leaves, create_graph=True, allow_unused=True)
    live = [g for g in first if g is not None and g.requires_grad]
    if live:
        sum((g * g).sum() for g in live).backward()
    first = [g.detach() if g is not None else None for g in first]
    return x.detach(), x._version, x.requires_grad, first, [leaf.grad for leaf in leaves]


# -- the index / scatter family on a computed tensor (item: they used to be refused)
def index_add_(t: Any) -> Any:
    a, b = _mat(t), _leaf(t, (1.0, 2.0, -1.0))
    x = a * 2
    x.index_add_(0, t.tensor([2, 0, 2]), b.reshape(3, 1).expand(3, 3) * b, alpha=1.5)
    return _both_orders(t, x, [a, b])


def index_copy_(t: Any) -> Any:
    a, b = _mat(t), _leaf(t, (1.0, 2.0, -1.0))
    x = a * a
    x.index_copy_(1, t.tensor([2, 0]), (b.reshape(3, 1) * t.tensor([[1.0, 2.0]])) ** 2)
    return _both_orders(t, x, [a, b])


def index_fill_(t: Any) -> Any:
    a = _mat(t)
    x = a * a
    x.index_fill_(1, t.tensor([0, 2]), -1.5)
    return _both_orders(t, x, [a])


def index_fill_by_a_tensor(t: Any) -> Any:
    a, b = _mat(t), _leaf(t, (1.0, 2.0))
    x = a * a
    x.index_fill_(0, t.tensor([1]), b[1] * b[0])
    return _both_orders(t, x, [a, b])


def index_put_(t: Any) -> Any:
    a, b = _mat(t), _leaf(t, (1.0, 2.0, -1.0))
    x = a * a
    x.index_put_((t.tensor([0, 2, 0]), t.tensor([1, 1, 1])), b * b, accumulate=True)
    x.index_put_((t.tensor([1]),), b * 3)
    return _both_orders(t, x, [a, b])


def index_reduce_(t: Any) -> Any:
    a, b = _mat(t), _leaf(t, (1.0, 2.0, -1.0))
    x = a * 1.5
    x.index_reduce_(0, t.tensor([1, 1, 0]), b.reshape(3, 1) * a, "prod")
    return _both_orders(t, x, [a, b])


def scatter_(t: Any) -> Any:
    a, b = _mat(t), _leaf(t, (1.0, 2.0, -1.0))
    x = a * a
    x.scatter_(1, t.tensor([[2], [0], [1]]), (b * b).reshape(3, 1))
    x.scatter_(0, t.tensor([[1, 2, 0]]), 0.25)
    return _both_orders(t, x, [a, b])


def scatter_add_(t: Any) -> Any:
    a, b = _mat(t), _leaf(t, (1.0, 2.0, -1.0))
    x = a * a
    x.scatter_add_(0, t.tensor([[2, 2, 0], [2, 1, 1]]), t.stack([b, b * b]))
    return _both_orders(t, x, [a, b])


@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce_(reduce: str, include_self: bool) -> None:
    def program(t: Any) -> Any:
        a, b = _mat(t), _leaf(t, (1.0, 2.0, -1.0))
        x = a * a
        src = (b.reshape(3, 1) * a)[:, :2]
        x.scatter_reduce_(1, t.tensor([[0, 0], [2, 1], [1, 1]]), src, reduce, include_self=include_self)
        return _both_orders(t, x, [a, b])

    def written_again(t: Any) -> Any:  # (torch's node saves its result, for every reduction)
        a, b = _mat(t), _leaf(t, (1.0, 2.0, -1.0))
        x = a * a
        x.scatter_reduce_(0, t.tensor([[1, 0, 2]]), b.reshape(1, 3) * 2, reduce, include_self=include_self)
        x.add_(1.0)
        x.sum().backward()

    ours = outcome(program, autograd)
    same(ours, outcome(program, torch))
    assert not isinstance(ours[0], str)
    assert outcome(written_again, autograd) == outcome(written_again, torch) == ("raises", "version")


def scatter_with_reduce_raises(t: Any) -> Any:
    a = _leaf(t)
    x = a * 2
    x.scatter_(0, t.tensor([0, 2]), t.tensor([9.0, 8.0]), reduce="add")
    x.sum().backward()


def masked_fill_(t: Any) -> Any:
    a, b = _mat(t), _leaf(t, (1.0, 2.0))
    x = a * a
    x.masked_fill_(x > 3, b[0] * b[1])
    x.masked_fill_(t.tensor([True, False, True]), 0.5)
    return _both_orders(t, x, [a, b])


def masked_scatter_(t: Any) -> Any:
    a, b = _mat(t), _leaf(t, (1.0, 2.0, -1.0, 4.0, 5.0))
    x = a * a
    x.masked_scatter_(a > 0.4, b * b)
    return _both_orders(t, x, [a, b])


def put_(t: Any) -> Any:
    a, b = _mat(t), _leaf(t, (1.0, 2.0, -1.0))
    x = a * a
    x.put_(t.tensor([8, 0, -1]), b * b, accumulate=True)
    x.put_(t.tensor([4]), b[1:2] * 3)
    return _both_orders(t, x, [a, b])


def fill_diagonal_(t: Any) -> Any:
    a = _mat(t)
    x = a * a
    x.fill_diagonal_(-7.5)
    return _both_orders(t, x, [a])


def fill_diagonal_wrapped(t: Any) -> Any:
    a = t.tensor(np.linspace(-2.0, 3.0, 14).reshape(7, 2), requires_grad=True)
    x = a * a
    x.fill_diagonal_(0.5, wrap=True)
    return _both_orders(t, x, [a])


def fill_diagonal_of_plain_tensors(t: Any) -> Any:
    x, y, z = t.zeros(7, 2), t.zeros(3, 4), t.zeros(2, 2, 2)
    x.fill_diagonal_(1.0, wrap=True)
    y.fill_diagonal_(2.0, wrap=True)
    z.fill_diagonal_(3.0)
    return [(v, v._version) for v in (x, y, z)]


def scatter_into_a_plain_tensor(t: Any) -> Any:
    b = _leaf(t, (1.0, 2.0, -1.0))
    buf = t.zeros(3, 3)
    buf.index_add_(0, t.tensor([0, 2, 0]), b.reshape(3, 1) * t.ones(3, 3))
    buf.scatter_(1, t.tensor([[1], [2], [0]]), (b * b).reshape(3, 1))
    return _both_orders(t, buf, [b])


def through_a_view(t: Any) -> Any:
    a, b = _mat(t), _leaf(t, (1.0, 2.0, -1.0))
    x = a * a
    x[1:].index_copy_(1, t.tensor([1]), (b[:2] * b[1:]).reshape(2, 1))
    x.T[0].put_(t.tensor([2]), b[2:] * 5)
    return _both_orders(t, x, [a, b])


def source_overlapping_the_tensor(t: Any) -> Any:
    a = _leaf(t)
    x = a * 2
    x[1:].index_copy_(0, t.tensor([2, 0, 1]), x[:-1])  # (torch: "refer to a single memory location")


def source_overlapping_a_plain_tensor(t: Any) -> Any:
    x = t.tensor([1.0, 2.0, 3.0, 4.0])
    x.put_(t.tensor([0, 1]), x[2:], accumulate=True)


def source_sharing_memory_not_densely(t: Any) -> Any:
    a = _mat(t)
    x = a * 2
    x[:, 0].scatter_add_(0, t.tensor([2, 2, 0]), x[:, 0] * 1)  # (a new tensor: allowed)
    x[:, 1].scatter_(0, t.tensor([1, 0, 2]), x[:, 2])  # (columns: torch does not tell, allowed)
    return _both_orders(t, x, [a])


def saved_then_scattered(t: Any) -> Any:
    a = _leaf(t)
    x = a.exp()  # (exp's backward reads its output: the write makes backward() refuse)
    x.index_fill_(0, t.tensor([1]), 0.0)
    x.sum().backward()


def leaf_scattered(t: Any) -> Any:
    a = _leaf(t)
    a.index_fill_(0, t.tensor([1]), 0.0)


def zero_d_and_empty(t: Any) -> Any:
    a, e = t.tensor(2.0, requires_grad=True), t.zeros(0, requires_grad=True)
    x, y = a * 3, e * 3
    x.scatter_(0, t.tensor(0), a * a)
    x.masked_fill_(t.tensor(True), a)
    y.index_fill_(0, t.tensor([], dtype=t.int64), 1.0)
    y.put_(t.tensor([], dtype=t.int64), e[:0])
    return _both_orders(t, x, [a]), _both_orders(t, y, [e])


def nan_and_inf(t: Any) -> Any:
    a = _leaf(t, (float("nan"), float("inf"), -float("inf"), 0.0))
    x = a * 1
    x.index_add_(0, t.tensor([0, 3]), a[1:3] * 2)
    x.masked_fill_(t.tensor([False, True, False, False]), a[0])
    return _both_orders(t, x, [a])


# -- the random fills: the values written are cut from the graph (their gradient is 0)
@pytest.fixture(autouse=True)
def _float64_streams() -> Any:
    """The library draws torch's float64 streams for float64 tensors after an explicit
    ``set_default_dtype(float64)`` (as ``outcome`` sets torch's); restored after each test."""
    flag = autograd.dtypes._set_by_user[0]
    autograd.set_default_dtype(autograd.float64)
    yield
    autograd.dtypes._set_by_user[0] = flag


def _seeded(t: Any) -> None:
    t.manual_seed(11)


def uniform_normal_(t: Any) -> Any:
    _seeded(t)
    a = _mat(t)
    x, y = a * 2, a * 3
    x.uniform_(-1.0, 2.0)
    y.normal_(0.5, 2.0)
    z = x * a + y * a
    return _both_orders(t, z, [a]), x._version, y._version, x.requires_grad, y.requires_grad


def bernoulli_exponential_random_(t: Any) -> Any:
    _seeded(t)
    a = _mat(t)
    x, y, z, w = a * 2, a * 3, a * 4, a * 5
    x.bernoulli_(0.3)
    y.exponential_(2.0)
    z.random_(0, 10)
    w.random_(7)
    s = (x + y + z + w) * a
    return _both_orders(t, s, [a]), [v._version for v in (x, y, z, w)], x.detach(), z.detach()


def random_fills_of_float32(t: Any) -> Any:
    _seeded(t)
    a = t.tensor([[1.0, -2.0, 3.0], [0.5, 4.0, -1.5]], dtype=t.float32, requires_grad=True)
    x, y = a * 2, a * 3
    x.uniform_(-1.0, 2.0)
    y[1:].normal_(0.5, 2.0)
    (x + y).sum().backward()  # (float32: 0 where drawn, 3 elsewhere)
    return x, y, a.grad, x._version, y._version


def bernoulli_by_probabilities_that_require_grad(t: Any) -> Any:
    _seeded(t)
    w, p = _mat(t), t.tensor([0.0, 1.0, 0.5], requires_grad=True)
    x, buf = w * 2, t.zeros(3, 3)
    x.bernoulli_(p)  # (p broadcast; torch: p and the old numbers get gradient 0)
    buf.bernoulli_(p * 1.0)
    (x * 3.0 + buf * w).sum().backward()
    return x, buf, buf.requires_grad, w.grad, p.grad, x._version, buf._version


def random_fill_through_a_view(t: Any) -> Any:
    _seeded(t)
    a = _mat(t)
    x = a * 2
    x[1:].uniform_()
    x.T[0].normal_()
    return _both_orders(t, x * a, [a]), x._version


def random_fill_of_a_leaf(t: Any) -> Any:
    a = _leaf(t)
    a.uniform_()


def random_fill_after_a_saving_op(t: Any) -> Any:
    a = _leaf(t)
    x = a.sigmoid()
    x.normal_()
    x.sum().backward()


# -- a value that requires grad written into a view taken without grad
def view_taken_without_grad(t: Any) -> Any:
    w = _leaf(t, (1.0, 2.0, 3.0))
    buf = t.zeros(4)
    v = buf[1:]
    v.copy_(w * w)
    return _both_orders(t, buf, [w]), v.detach(), v.requires_grad, v._version


def view_written_directly(t: Any) -> Any:
    w = _leaf(t, (1.0, 2.0, 3.0))
    buf = t.ones(2, 4)
    buf.T[1:, 0].mul_(w)
    buf[1].view(2, 2)[1].add_(w[:2] * w[1:])
    return _both_orders(t, buf, [w])


def view_of_a_float32_buffer(t: Any) -> Any:
    w = t.tensor([1.0, 2.0, 3.0], dtype=t.float32, requires_grad=True)
    buf = t.zeros(2, 3, dtype=t.float32)
    buf[:, 1:].T.index_copy_(1, t.tensor([1]), (w[:2] * w[1:]).reshape(2, 1))
    return _both_orders(t, buf, [w])


def views_taken_before_the_write(t: Any) -> Any:
    w = _leaf(t, (1.0, 2.0, 3.0))
    buf = t.zeros(4, 3)
    rows = [buf[i] for i in range(4)]
    flat = buf.view(-1)
    rows[1].copy_(w * w)  # (torch: every view of buf now requires grad, its grad_fn regenerated)
    loss = sum((r * r * (k + 1.0)).sum() for k, r in enumerate(rows)) + (flat * 2.0).sum()
    return _both_orders(t, loss, [w]), [r.requires_grad for r in rows], flat.requires_grad, flat._version


def view_used_before_the_write(t: Any) -> Any:
    w = _leaf(t, (1.0, 2.0, 3.0))
    buf = t.ones(2, 3)
    top = buf[0]
    y = top * w  # (mul saves top, whose memory the write changes: torch refuses backward())
    buf[1].copy_(w)
    y.sum().backward()


def view_made_under_no_grad_of_a_leaf(t: Any) -> Any:
    a, w = _leaf(t), _leaf(t, (1.0, 2.0))
    with t.no_grad():
        v = a[2:]
    v.copy_(w)


def view_made_under_no_grad_of_a_computed_tensor(t: Any) -> Any:
    a, w = _leaf(t), _leaf(t, (1.0, 2.0))
    x = a * 2
    with t.no_grad():
        v = x[2:]
    v.mul_(w)


PROGRAMS: list[Callable[[Any], Any]] = [
    index_add_, index_copy_, index_fill_, index_fill_by_a_tensor, index_put_,
    index_reduce_, scatter_, scatter_add_, scatter_with_reduce_raises, masked_fill_, masked_scatter_, put_,
    fill_diagonal_, fill_diagonal_wrapped, fill_diagonal_of_plain_tensors, scatter_into_a_plain_tensor,
    through_a_view, source_overlapping_the_tensor, source_overlapping_a_plain_tensor,
    source_sharing_memory_not_densely, saved_then_scattered, leaf_scattered, zero_d_and_empty, nan_and_inf,
    uniform_normal_,
    bernoulli_exponential_random_, random_fill_through_a_view, random_fill_of_a_leaf,
    random_fill_after_a_saving_op, view_taken_without_grad, view_written_directly, view_of_a_float32_buffer,
    view_made_under_no_grad_of_a_leaf, view_made_under_no_grad_of_a_computed_tensor,
]  # fmt: skip

#: what each program must do on both libraries: raise (with torch's kind of error) or not
RAISES = {
    "scatter_with_reduce_raises": "not implemented",
    "source_overlapping_the_tensor": "overlap",
    "source_overlapping_a_plain_tensor": "overlap",
    "saved_then_scattered": "version",
    "leaf_scattered": "leaf",
    "random_fill_of_a_leaf": "leaf",
    "random_fill_after_a_saving_op": "version",
    "view_made_under_no_grad_of_a_leaf": "no_grad view",
    "view_made_under_no_grad_of_a_computed_tensor": "no_grad view",
}


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda f: f.__name__)
def test_in_place_programs_as_torch(program: Callable[[Any], Any]) -> None:
    ours, theirs = outcome(program, autograd), outcome(program, torch)
    same(ours, theirs)
    raised = isinstance(ours[0], str) and ours[0] == "raises"
    assert raised == (program.__name__ in RAISES), ours
    assert not raised or ours[1] == RAISES[program.__name__]


def test_a_compiled_step_still_refuses_these_writes() -> None:
    w = autograd.tensor([1.0, 2.0, 3.0], requires_grad=True)
    writes = {
        "index_add_": lambda h: h.index_add_(0, autograd.tensor([0]), w[:1]),
        "scatter_": lambda h: h.scatter_(0, autograd.tensor([1]), 2.0),
        "masked_fill_": lambda h: h.masked_fill_(h > 2, 0.0),
        "put_": lambda h: h.put_(autograd.tensor([2]), w[:1]),
        "fill_diagonal_": lambda h: h.reshape(1, 3).fill_diagonal_(0.0),
        "uniform_": lambda h: h.uniform_(),
        "bernoulli_": lambda h: h.bernoulli_(0.5),
    }
    for name, write in writes.items():

        def loss(x: Any, write: Any = write) -> Any:
            h = w * x
            write(h)
            return h.sum()

        with pytest.raises(CompileError, match=f"{name} writes in place into a tensor that requires grad"):
            autograd.compile(loss)(autograd.tensor([3.0, 4.0, 5.0]))


# -- later writes into a tensor a node saved: only where torch's node saved it (not erfinv's output:
# its rule reads it here, see autograd/ops/special.py)
def quotient_written(t: Any) -> Any:
    a, b = _leaf(t), _leaf(t, (0.5, -1.0, 2.0, 4.0))
    x = (a * 1).div_(b)  # (torch's DivBackward0 saves a and b, not the quotient)
    x.clamp_(-1.0, 5.0)
    y = a / b
    y.mul_(2.0)
    return _both_orders(t, x + y, [a, b])


def results_written(t: Any) -> Any:
    a, b = _leaf(t), _leaf(t, (0.5, -1.0, 2.0, 4.0))
    outs = [a.maximum(b), a.atan2(b), a.pow(3), a.minimum(b * 2)]
    for k, y in enumerate(outs):
        y.add_(k)  # (the rules read the inputs, as torch's nodes save them)
    return _both_orders(t, sum(outs), [a, b])


def dividend_written(t: Any) -> Any:
    a, b = _leaf(t), _leaf(t, (0.5, -1.0, 2.0, 4.0))
    x = a * 1
    y = x / b  # (torch saves x for b's gradient: a write into x makes backward() refuse)
    x.add_(1.0)
    y.sum().backward()


PROGRAMS += [quotient_written, results_written, dividend_written, random_fills_of_float32]
PROGRAMS += [views_taken_before_the_write, view_used_before_the_write]
PROGRAMS += [bernoulli_by_probabilities_that_require_grad]
RAISES["dividend_written"] = RAISES["view_used_before_the_write"] = "version"


# -- mutations: the differential tests catch each fix undone
def _fails(program: Callable[[Any], Any]) -> bool:
    return caught(test_in_place_programs_as_torch, program)


def test_the_scatter_family_refused_again_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    def refusing(self: Any, op: str, compute: Any, operand: Any) -> Any:
        data = self._written(op, operand)
        if data is None:  # (as before: refused)
            raise RuntimeError(f"{op}: writes in place into a tensor that requires grad are refused")
        data[...] = compute().data
        return self

    monkeypatch.setattr(autograd.Tensor, "_scattered_", refusing)
    assert _fails(index_add_) and _fails(scatter_into_a_plain_tensor) and _fails(masked_scatter_)


def test_random_fills_refused_again_are_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    def refusing(self: Any, op: str, fill: Any, *operands: Any) -> Any:
        data = self._written(op)
        if data is None:  # (as before: refused)
            raise RuntimeError(f"{op}: writes in place into a tensor that requires grad are refused")
        fill(data)
        return self

    monkeypatch.setattr(autograd.Tensor, "_drawn_", refusing)
    assert _fails(uniform_normal_) and _fails(bernoulli_exponential_random_)


def test_a_view_without_grad_refused_again_or_misplaced_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    from autograd import _rebase

    positions = _rebase._strided_positions
    monkeypatch.setattr(_rebase, "_strided_positions", lambda view, owner: np.roll(positions(view, owner), 1))
    assert _fails(view_written_directly) and _fails(view_of_a_float32_buffer)
    monkeypatch.setattr(_rebase, "adopt_views", lambda base, written, kind: None)
    assert _fails(views_taken_before_the_write)
    monkeypatch.setattr(_rebase, "viewed_base", lambda view, kind: None)
    assert _fails(view_taken_without_grad)


def test_reads_of_the_output_for_its_dtype_counted_again_are_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """Counting ``where(..., out)``'s ``out`` (its dtype) as a read: writes into a maximum, an atan2
    or a power refuse backward() here only."""
    from autograd import _versions

    monkeypatch.setattr(_versions, "_READS", {})
    monkeypatch.setattr(_versions, "_names_read_in", lambda source: {"out", "x", "y", "g", "ns"})
    assert _fails(results_written)


def test_torchs_saved_tensors_of_the_scatter_family_dropped_are_caught(monkeypatch: Any) -> None:
    """Without the tensors torch's scatter_reduce node saves (sum: the rules read none), a write into
    its result after the forward pass no longer refuses backward() here."""
    from autograd.ops import scatter

    monkeypatch.setattr(scatter, "_TORCH_SAVES", {})
    kept = {k: v for k, v in scatter._AS.items() if v in (scatter.SCATTER, scatter.SCATTER_REDUCED)}
    monkeypatch.setattr(scatter, "_AS", kept)  # (made again, without them)
    monkeypatch.setattr(autograd._versions, "_READS", {})
    with pytest.raises(AssertionError):
        test_scatter_reduce_("sum", True)


def test_the_overlap_check_dropped_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    from autograd import scatter_ops

    monkeypatch.setattr(scatter_ops, "_NO_OVERLAP", frozenset())
    assert _fails(source_overlapping_the_tensor) and _fails(source_overlapping_a_plain_tensor)
