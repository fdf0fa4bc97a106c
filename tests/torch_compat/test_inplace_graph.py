"""In-place operations recorded in the graph, against torch 2.13 (autograd/_rebase.py): on a tensor
computed from others, on one that does not require grad with an operand that does, and through
views (torch's CopySlices). Each program runs on both libraries (float64) and must give the same
values, gradients (first and second order), versions, object identities, and raise where torch
raises ("modified by an inplace operation", the leaf errors). Where the library's rules read other
saved arrays than torch's nodes, the difference is listed in ``KNOWN`` with the reason and asserted
to still differ."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autograd
from autograd import _rebase
from autograd.graph import CompileError
from tests.torch_compat.side_by_side import caught, same


def _leaf(t: Any, values: Any = (1.0, 2.0, 3.0)) -> Any:
    return t.tensor(values, requires_grad=True)


def _mat(t: Any) -> Any:
    return t.tensor([[1.0, -2.0, 3.0], [0.5, 4.0, -1.5]], requires_grad=True)


# -- the programs: each returns what is compared (values, .grad, versions, identities)
def add_(t: Any) -> Any:
    a, b = _leaf(t), _leaf(t, (0.5, -1.0, 2.0))
    x = a * 2
    same_object = x.add_(b, alpha=3) is x
    (x * x).sum().backward()
    return x, a.grad, b.grad, x._version, same_object, x.grad_fn.name()


def sub_mul_div_(t: Any) -> Any:
    a, b = _leaf(t), _leaf(t, (0.5, -1.0, 2.0))
    x = a * 1.0
    x.sub_(b)
    x.mul_(b)
    x.div_(4.0)
    (x * x).sum().backward()
    return x, a.grad, b.grad, x._version


def mul_by_tensor_saves_the_old_self(t: Any) -> Any:
    a, b = _leaf(t), _leaf(t, (2.0, 3.0, 4.0))
    x = a * 2
    x.mul_(b)  # (torch saves the original self for b's gradient)
    x.sum().backward()
    return a.grad, b.grad


def clamp_(t: Any) -> Any:
    a = _leaf(t, (-2.0, 0.5, 3.0))
    x = a * 2
    x.clamp_(-1.0, 2.0)
    (x * a).sum().backward()
    return x, a.grad


def relu_exp_(t: Any) -> Any:
    a = _leaf(t, (-1.0, 0.5, 2.0))
    x = a * 2
    x.relu_()
    y = a * 1
    y.exp_()
    (x * y).sum().backward()
    return x, y, a.grad, x._version, y._version


def relu_then_changed(t: Any) -> Any:
    a = _leaf(t, (-1.0, 0.5, 2.0))
    x = a * 2
    x.relu_()  # (relu saves its result)
    x.mul_(2)  # changes it: backward refuses
    x.sum().backward()
    return a.grad


def exp_then_changed(t: Any) -> Any:
    a = _leaf(t)
    x = a.exp()
    x.add_(1)
    x.sum().backward()
    return a.grad


def sqrt_then_changed(t: Any) -> Any:
    a = _leaf(t)
    x = a * 2
    x.sqrt_()
    x.add_(1)
    x.sum().backward()
    return a.grad


def saved_input_changed(t: Any) -> Any:
    a = _leaf(t)
    x = a * 2
    y = x * x  # (reads x)
    x.add_(1)
    y.sum().backward()
    return a.grad


def consumer_made_before_keeps_the_old_history(t: Any) -> Any:
    a = _leaf(t)
    x = a * 2
    y = x + 1  # (reads nothing: its gradient goes to x's history before the write)
    x.mul_(3)
    (y * 5 + x).sum().backward()
    return y, x, a.grad


def operand_is_the_tensor_written(t: Any) -> Any:
    a = _leaf(t)
    x = a * 2
    x.mul_(x)  # (torch saves x as the operand, and the write changes it)
    x.sum().backward()
    return a.grad


def copy_zero_fill_(t: Any) -> Any:
    a, b = _leaf(t), _leaf(t, (0.5, -1.0, 2.0))
    x, y, z = a * 2, a * 3, a * 4
    x.copy_(b * b)
    y.zero_()
    z.fill_(b[1])
    (x * a + y * a + z * a).sum().backward()
    return x, y, z, a.grad, b.grad, [v._version for v in (x, y, z)]


def masked_fill_(t: Any) -> Any:
    a = _leaf(t, (1.0, 4.0, -2.0))
    x = a * 2
    x.masked_fill_(x > 3, 0.5)
    (x * x).sum().backward()
    return x, a.grad


def setitem_basic(t: Any) -> Any:
    a, b = _mat(t), _leaf(t)
    x = a * 1
    x[0] = b * 2
    x[:, 1] = 7.0
    x[1, 2] = b[0]
    (x * x).sum().backward()
    return x, a.grad, b.grad, x._version


def setitem_int_array_and_mask(t: Any) -> Any:
    a, b = _leaf(t, (1.0, 2.0, 3.0, 4.0)), _leaf(t, (5.0, 6.0))
    x = a * 1
    x[t.tensor([3, 0])] = b
    x[x > 4.5] = b[1] * 10
    (x * x).sum().backward()
    return x, a.grad, b.grad, x._version


def setitem_makes_a_buffer_require_grad(t: Any) -> Any:
    a = _leaf(t)
    buf = t.zeros(3)
    buf[0] = a[0] * 2
    buf[1:] = a[1:] ** 2
    (buf * buf).sum().backward()
    return buf, buf.requires_grad, a.grad, buf._version, buf.grad_fn.name()


def add_into_a_buffer(t: Any) -> Any:
    a = _leaf(t)
    buf = t.ones(3)
    buf.add_(a)
    buf.mul_(a)
    buf.sum().backward()
    return buf, a.grad


def view_slice(t: Any) -> Any:
    a = _leaf(t)
    x = a * 2
    v = x[1:]
    v.mul_(3)
    (x * x).sum().backward()
    return x, v, a.grad, x._version, v._version


def view_select_method(t: Any) -> Any:
    a, b = _mat(t), _leaf(t)
    x = a * 1
    x[1].mul_(b)
    (x * x).sum().backward()
    return x, a.grad, b.grad


def view_column_setitem(t: Any) -> Any:
    a = _mat(t)
    b = t.tensor([2.0, 3.0], requires_grad=True)
    x = a * 1
    x[:, 0] = b * b
    (x * x).sum().backward()
    return x, a.grad, b.grad


def view_transpose_zero(t: Any) -> Any:
    a = _mat(t)
    x = a * 1
    x.T[0].zero_()
    x.T.mul_(2)
    (x * a).sum().backward()
    return x, a.grad, x._version


def view_reshape_flat(t: Any) -> Any:
    a = _mat(t)
    x = a * 1
    x.view(-1).add_(1)
    x.reshape(6)[1:].mul_(a.reshape(6)[:5])
    (x**2).sum().backward()
    return x, a.grad


def view_used_after_a_write_into_its_base(t: Any) -> Any:
    a = _leaf(t)
    x = a * 2
    u = x[:2]  # (made before the write: torch regenerates its grad_fn from the new base)
    x[1:].mul_(3)
    (u * u).sum().backward()
    return u, a.grad


def view_saved_before_a_write_into_its_base(t: Any) -> Any:
    a = _leaf(t)
    x = a * 2
    y = x[:2] * 1  # (reads nothing of x: its gradient is the old history's)
    x.mul_(3)
    (y * y + x[:2]).sum().backward()
    return y, a.grad


def chain_of_writes(t: Any) -> Any:
    a, b = _leaf(t), _leaf(t, (0.5, -1.0, 2.0))
    x = a * 1
    x.add_(b)
    x.mul_(2)
    x.sub_(b, alpha=2)
    x.clamp_(-1, 5)
    x[0] = x[2] * b[1]
    x.sum().backward()
    return x, a.grad, b.grad, x._version


def chain_after_div(t: Any) -> Any:
    a, b = _leaf(t), _leaf(t, (0.5, -1.0, 2.0))
    x = a * 1
    x.div_(b)
    x.clamp_(-1, 5)  # (torch's div saved a and b; the library's rule reads the quotient, changed)
    x.sum().backward()
    return a.grad, b.grad


def operators_keep_the_object(t: Any) -> Any:
    a = _leaf(t)
    x = a * 2
    alias = x
    x += a
    x -= 1
    x *= a
    x /= 2
    x.sum().backward()
    return alias is x, x, a.grad, x._version


def plain_tensor_plus_grad_operand(t: Any) -> Any:
    a = _leaf(t)
    acc = t.zeros(3)
    alias = acc
    for k in range(3):
        acc += a * k
    acc.sum().backward()
    return alias is acc, acc, acc.requires_grad, a.grad


def math_methods(t: Any) -> Any:
    a = _leaf(t, (0.25, 0.5, 0.75))
    x, y, z = a * 1, a * 2, a * 3
    x.sin_()
    y.pow_(3)
    z.tanh_()
    x.sigmoid_()
    (x + y + z).sum().backward()
    return x, y, z, a.grad


def detach_(t: Any) -> Any:
    a = _leaf(t)
    x = a * 2
    y = x * 3  # (made before: its gradient still reaches a)
    same_object = x.detach_() is x
    y.sum().backward()
    return same_object, x.requires_grad, x.grad_fn is None, a.grad, x._version


def detach_of_a_view(t: Any) -> Any:
    a = _leaf(t)
    (a * 2)[1:].detach_()


def leaf_written(t: Any) -> Any:
    a = _leaf(t)
    a.add_(1)


def view_of_leaf_written(t: Any) -> Any:
    a = _leaf(t)
    a[1:].mul_(2)


def leaf_plus_equals(t: Any) -> Any:
    a = _leaf(t)
    a += 1


def under_no_grad(t: Any) -> Any:
    a = _leaf(t)
    x = a * 2
    with t.no_grad():
        x.add_(1)
        x[0] = 9.0
    return x, x._version, x.grad_fn is not None


def zero_d_and_empty(t: Any) -> Any:
    a = t.tensor(2.0, requires_grad=True)
    e = t.zeros(0, requires_grad=True)
    x, y = a * 3, e * 3
    x.mul_(a)
    x += 1
    y.add_(1)
    y[y > 0] = 5.0
    (x + y.sum()).backward()
    return x, y, a.grad, e.grad, x._version


def nan_and_inf(t: Any) -> Any:
    a = _leaf(t, (math.nan, math.inf, -math.inf, 0.0))
    x = a * 1
    x.mul_(2)
    x.add_(a)
    x[1:3] = a[:2] * 3
    (x * 1.0).sum().backward()
    return x, a.grad


def double_backward(t: Any) -> Any:
    a = _leaf(t)
    x = a * 2
    x.mul_(a)
    x[1:].mul_(a[:2])
    x.exp_()
    (g,) = t.autograd.grad(x.sum(), a, create_graph=True)
    g.sum().backward()
    return g, a.grad


def double_backward_setitem(t: Any) -> Any:
    a = _mat(t)
    b = _leaf(t)
    x = a * a
    x[1] = b * b * b
    x.T[0].mul_(b[:2])
    (g,) = t.autograd.grad((x * x).sum(), b, create_graph=True)
    (g * g).sum().backward()
    return g, a.grad, b.grad


def relu_inplace_in_a_model(t: Any) -> Any:
    t.manual_seed(0)
    model = t.nn.Sequential(
        t.nn.Linear(3, 4),
        t.nn.ReLU(inplace=True),
        t.nn.Linear(4, 4),
        t.nn.ReLU(inplace=True),
        t.nn.Linear(4, 1),
    )
    with t.no_grad():  # (the same weights on both sides)
        for k, p in enumerate(model.parameters()):
            p.copy_(t.tensor(np.cos(np.arange(p.numel()) + k).reshape(tuple(p.shape))))
    x = t.tensor(np.sin(np.arange(15.0)).reshape(5, 3))
    h = model[0](x)
    out = model[1](h)  # (in place: the same object)
    loss = model[4](model[3](model[2](out))).pow(2).sum()
    loss.backward()
    return out is h, loss, [p.grad for p in model.parameters()]


def relu_inplace_after_a_relu(t: Any) -> Any:
    a = _leaf(t, (-1.0, 0.5, 2.0))
    x = t.relu(a * 2)
    t.nn.functional.relu(x, inplace=True)  # (changes relu's saved result)
    x.sum().backward()
    return a.grad


PROGRAMS: list[Callable[[Any], Any]] = [
    add_, sub_mul_div_, mul_by_tensor_saves_the_old_self, clamp_, relu_exp_, relu_then_changed,
    exp_then_changed, sqrt_then_changed, saved_input_changed, consumer_made_before_keeps_the_old_history,
    operand_is_the_tensor_written, copy_zero_fill_, masked_fill_, setitem_basic, setitem_int_array_and_mask,
    setitem_makes_a_buffer_require_grad, add_into_a_buffer, view_slice, view_select_method,
    view_column_setitem, view_transpose_zero, view_reshape_flat, view_used_after_a_write_into_its_base,
    view_saved_before_a_write_into_its_base, chain_of_writes, chain_after_div, operators_keep_the_object,
    plain_tensor_plus_grad_operand, math_methods, detach_, detach_of_a_view, leaf_written,
    view_of_leaf_written, leaf_plus_equals, under_no_grad, zero_d_and_empty, nan_and_inf, double_backward,
    double_backward_setitem, relu_inplace_in_a_model, relu_inplace_after_a_relu,
]  # fmt: skip

#: programs where this library and torch differ, with the reason (asserted to still differ)
KNOWN: dict[str, str] = {}


#: the errors torch raises, by what they say
ERRORS = {
    "modified by an inplace operation": "version",
    "A view was created in no_grad mode": "no_grad view",
    "is not implemented": "not implemented",
    "refer to a single memory location": "overlap",
    "a leaf Variable that requires grad": "leaf",
    "a view of a leaf Variable that requires grad": "leaf",
    "Can't detach views in-place": "detach view",
}


def outcome(program: Callable[[Any], Any], t: Any) -> Any:
    """("raises", kind) for a RuntimeError torch raises too (kind from ``ERRORS``), else the result."""
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        return program(t)
    except RuntimeError as e:
        kinds = [kind for says, kind in ERRORS.items() if says in str(e)]
        assert kinds, f"an unexpected RuntimeError: {e}"
        return ("raises", kinds[0])
    finally:
        torch.set_default_dtype(previous)


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda f: f.__name__)
def test_in_place_programs_as_torch(program: Callable[[Any], Any]) -> None:
    ours, theirs = outcome(program, autograd), outcome(program, torch)
    if program.__name__ in KNOWN:
        with pytest.raises(AssertionError):
            same(ours, theirs)
        return
    same(ours, theirs)


def test_the_node_taken_is_the_operations_and_its_input_the_old_history() -> None:
    a = autograd.tensor([1.0, 2.0], requires_grad=True)
    x = a * 2
    old_op = x.op
    x.add_(1)
    assert x.op == "+" and x._prev[0].op == old_op == "*" and x._prev[0] is not x
    assert x._prev[0]._prev[0] is a
    v = x[1:]
    v.mul_(3)
    assert x.op == "copy_slices" and x._prev[0].op == "+"  # (the base: torch's CopySlices)
    assert v.op == "getitem" and v._prev[0] is x  # (the view: a view of the new base)


def test_a_compiled_step_refuses_an_in_place_write_in_the_graph() -> None:
    w = autograd.tensor([1.0, 2.0], requires_grad=True)

    def loss(x: Any) -> Any:
        h = w * x
        h.add_(1)
        return h.sum()

    step = autograd.compile(loss)
    with pytest.raises(
        CompileError, match="add_ writes in place into a tensor that requires grad.*out of place"
    ):
        step(autograd.tensor([3.0, 4.0]))


def test_a_compiled_step_with_inplace_activations_equals_eager_bit_for_bit() -> None:
    def run_steps(compiled: bool) -> Any:
        autograd.manual_seed(0)
        nn = autograd.nn
        model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(inplace=True), nn.Linear(4, 1))
        x = autograd.randn(6, 3)

        def loss(x: Any) -> Any:
            return model(x).pow(2).mean()

        step = autograd.compile(loss) if compiled else loss
        for p in model.parameters():
            p.grad = None
        out = step(x)
        if not compiled:
            out.backward()
        return float(out), [p.grad.data.copy() for p in model.parameters()]

    (eager_loss, eager_grads), (loss_c, grads_c) = run_steps(False), run_steps(True)
    assert eager_loss == loss_c
    for e, c in zip(eager_grads, grads_c):
        assert e.tobytes() == c.tobytes()


def test_bad_writes_say_what_is_wrong() -> None:
    a = autograd.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x = a * 2
    with pytest.raises(
        RuntimeError, match=r"output with shape \[3\] doesn't match the broadcast shape \[2, 3\]"
    ):
        x.add_(autograd.ones(2, 3, requires_grad=True))
    with pytest.raises(RuntimeError, match=r"value tensor of shape \[2\] cannot be broadcast.*\[3\]"):
        x[:] = a[:2]
    plain = autograd.zeros(4)
    shared = plain.detach()  # (two tensors hold the memory: which one the view was taken from is unknown)
    with pytest.raises(RuntimeError, match="memory belongs to an array that no one tensor holds.*x\\[i\\]"):
        plain[1:].copy_(a)
    del shared
    with pytest.raises(RuntimeError, match="memory belongs to an array that no one tensor holds"):
        autograd.from_numpy(np.zeros(4))[1:].copy_(a[1:])  # (numpy's memory)
    ints = autograd.zeros(3, dtype=autograd.int64)
    with pytest.raises(RuntimeError, match="only float tensors can require grad.*int64"):
        ints.add_(a)
    assert np.array_equal(x.data, [2.0, 4.0, 6.0]) and x._version == 0  # (refused before writing)


# -- mutations: the differential test catches a broken rebase
def _fails(program: Callable[[Any], Any]) -> bool:
    return caught(test_in_place_programs_as_torch, program)


def test_a_missing_fix_up_of_older_nodes_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without pointing nodes made before a write at the old history, their gradient goes through
    the new node (multiplied by 3 here): the differential test fails."""
    monkeypatch.setattr(autograd.graph, "fix_up", lambda root: None)
    assert _fails(consumer_made_before_keeps_the_old_history)
    assert _fails(view_used_after_a_write_into_its_base)


def test_a_wrong_view_position_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """CopySlices one element off (the view's offset lost): values and gradients differ."""
    positions = _rebase._positions
    monkeypatch.setattr(_rebase, "_positions", lambda chain, base: np.roll(positions(chain, base), 1))
    assert _fails(view_slice)
    assert _fails(view_transpose_zero)


def test_a_dropped_rebase_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The numbers written but the node not taken (the old history kept): gradients differ."""

    def write_only(target: Any, snap: Any, result: Any, *rest: Any) -> None:
        np.copyto(target.data, result.data)
        autograd._versions.bump(target.data)

    monkeypatch.setattr(_rebase, "write", write_only)
    assert _fails(add_)
    assert _fails(view_slice)
    assert _fails(setitem_basic)


def test_an_unsaved_original_self_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the node holding the numbers before the write (torch's original_self), a second
    derivative, whose rules read the nodes, reads the product instead of the factor."""
    monkeypatch.setattr(_rebase, "_holding", lambda p, numbers, clock: p)
    assert _fails(double_backward)


# -- random programs mixing in-place and out-of-place operations
SHAPES = [(), (0,), (3,), (2, 3)]
NUMBERS = st.one_of(
    st.floats(-3, 3, allow_nan=False), st.sampled_from([math.nan, math.inf, -math.inf, 0.0, -0.0])
)


def _views(shape: tuple[int, ...]) -> list[str]:
    """The views a step may write through for a tensor of ``shape``."""
    views = ["", ".view(-1)"]
    if len(shape) >= 1:
        views += ["[1:]", "[:1]"]
    if len(shape) == 2:
        views += [".T", "[:, 0]", "[1]", ".T[1:]", ".reshape(6)[::2]"]
    return views


#: in-place steps: V is the view written into, W the operand viewed the same way (T: the library);
#: the rules' reads agree with torch's saved tensors for each
IN_PLACE = [
    "V.add_(W)", "V.sub_(W, alpha=2.0)", "V.mul_(W)", "V.mul_(-1.5)", "V.div_(4.0)", "V.exp_()",
    "V.sigmoid_()", "V.clamp_(-1.0, 2.0)", "V.copy_(W)", "V.zero_()", "V.fill_(0.5)", "V += W", "V *= W",
    "V[...] = W * 2", "V[V > 0] = 1.5", "V.masked_fill_(W > 1, -2.0)", "V.div_(W)", "V.pow_(2.0)",
    # the index/scatter family, fill_diagonal_ and the random fills (here with constant numbers)
    "V.masked_fill_(W < 0, W.sum())", "V.masked_scatter_(W > 0, W * 2)",
    "V.put_(T.arange(V.numel()).flip(0), W * 3, accumulate=True)",
    "if V.dim(): V.index_put_((W > 0,), W[W > 0] * 0.5)",  # (0-d: torch's IndexError for a False mask)
    "V.scatter_add_(0, T.zeros(V.shape, dtype=T.int64), W)",
    "V.scatter_(0, T.zeros(V.shape, dtype=T.int64), 2.5)",
    "V.scatter_reduce_(0, T.zeros(V.shape, dtype=T.int64), W, 'sum')",
    "V.scatter_reduce_(0, T.zeros(V.shape, dtype=T.int64), W * 2, 'mean', include_self=False)",
    "V.index_fill_(0, T.tensor([0] if V.numel() else [], dtype=T.int64), W.sum())",
    "V.index_copy_(0, T.arange(V.shape[0] if V.dim() else 1).flip(0), W)",
    "V.index_add_(0, T.zeros(V.shape[0] if V.dim() else 1, dtype=T.int64), W)",
    "if V.dim() == 2: V.fill_diagonal_(-1.0)", "V.uniform_(2.0, 2.0)", "V.normal_(1.5, 0.0)",
    "V.bernoulli_(1.0)", "V.random_(3, 4)",
]  # fmt: skip
OUT_OF_PLACE = ["{x} * {y}", "{x} + {y}", "{x}.exp()", "{x}.sin()", "({x} * 0.5).tanh()"]


@st.composite
def programs(draw: Any) -> tuple[tuple[int, ...], list[list[float]], list[tuple[str, ...]]]:
    shape = draw(st.sampled_from(SHAPES))
    n = int(np.prod(shape))
    inputs = [draw(st.lists(NUMBERS, min_size=n, max_size=n)) for _ in range(2)]
    steps = []
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.booleans()):
            steps.append(("in", draw(st.sampled_from(IN_PLACE)), draw(st.sampled_from(_views(shape)))))
        else:
            steps.append(("out", draw(st.sampled_from(OUT_OF_PLACE)), ""))
        steps[-1] += (str(draw(st.integers(0, 9))), str(draw(st.integers(0, 9))))
    return shape, inputs, steps


def _program(t: Any, shape: tuple[int, ...], inputs: list[list[float]], steps: list[tuple[str, ...]]) -> Any:
    """Leaves a, b; computed tensors x = a * 1, y = b * 2 and a buffer z (no grad); each step writes
    into one of x, y, z (through a view: of z, one taken without grad) or appends a computed tensor;
    then the weighted sum of all goes backward. Returns the values, versions, gradients."""
    a = t.tensor(np.array(inputs[0]).reshape(shape), requires_grad=True)
    b = t.tensor(np.array(inputs[1]).reshape(shape), requires_grad=True)
    pool = [a * 1, b * 2, t.ones(shape)]
    for kind, code, view, i, j in steps:
        x, y = pool[int(i) % len(pool)], pool[int(j) % len(pool)]
        if kind == "in":
            x = pool[int(i) % 3]
            scope = {"X": x, "Y": y, "T": t}
            exec(f"V, W = X{view}, Y{view}\n{code}", {}, scope)  # noqa: S102 (the drawn program)
        else:
            pool.append(eval(code.format(x="x", y="y"), {}, {"x": x, "y": y}))  # noqa: S307
    loss = sum((p * (k + 1.0)).sum() for k, p in enumerate(pool) if p.requires_grad)
    if isinstance(loss, (t.Tensor,)) and loss.requires_grad:
        loss.backward()
    return [p.detach() for p in pool], [p._version for p in pool], a.grad, b.grad


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_random_programs_as_torch(program: Any) -> None:
    shape, inputs, steps = program
    ours = outcome(lambda t: _program(t, shape, inputs, steps), autograd)
    theirs = outcome(lambda t: _program(t, shape, inputs, steps), torch)
    same(ours, theirs)
