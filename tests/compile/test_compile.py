"""autograd.compile: what a call does, what it shows, when it traces again, the modes, the refusals."""

from __future__ import annotations

import math
import threading
from typing import Any

import numpy as np
import pytest
import torch
from engine_helpers import bytes_grown

import autograd as ag
from autograd import Tensor, Value, ValueArray
from autograd.compiled import CheckError, Compiled, CompileError
from autograd.graph import TracingError


def _mlp(dtype: Any = np.float64, seed: int = 0) -> tuple[list[Tensor], Tensor, Tensor]:
    rng = np.random.default_rng(seed)
    params = [
        Tensor(rng.normal(size=s).astype(dtype), requires_grad=True, label=n)
        for n, s in (("W1", (2, 8)), ("b1", (8,)), ("W2", (8, 1)), ("b2", (1,)))
    ]
    X = Tensor(rng.normal(size=(10, 2)).astype(dtype), label="X")
    y = Tensor(rng.normal(size=(10, 1)).astype(dtype), label="y")
    return params, X, y


def _mse(params: list[Tensor], X: Tensor, y: Tensor) -> Tensor:
    W1, b1, W2, b2 = params
    return (((X @ W1 + b1).tanh() @ W2 + b2 - y) ** 2).mean()


def _same(a: Any, b: Any) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def test_a_call_returns_the_loss_and_fills_grad_as_backward_does() -> None:
    params, X, y = _mlp()
    eager = [Tensor(p.data.copy(), requires_grad=True) for p in params]
    step = ag.compile(lambda: _mse(params, X, y))
    for _ in range(2):  # twice without zeroing: gradients accumulate, as backward()'s do
        loss = step()
        want = _mse(eager, X, y)
        want.backward()
        assert _same(loss.data, want.data)
        assert all(_same(p.grad, q.grad) for p, q in zip(params, eager))
    assert step.trace_count == 1
    assert loss.requires_grad is False and not loss._prev  # the output is detached


def test_the_source_reads_as_the_backward_pass() -> None:
    params, X, y = _mlp()
    step = ag.compile(lambda: _mse(params, X, y))
    assert "not traced yet" in step.source
    step()
    src = step.source
    assert "# -- forward" in src and "# -- backward" in src
    for name in ("W1", "b1", "W2", "b2", "X", "y"):  # variables named after the labels
        assert f"{name} = {name}_.data" in src
    assert "np.tanh(" in src and "@ W1" in src
    assert "# ∂" in src and "1 − tanh(" in src  # each backward line carries its rule
    assert "W1_._grad = " in src  # (the array behind W1.grad)
    assert step.sources == {step.signatures[0]: src}


def test_value_code_is_float_arithmetic_named_after_labels() -> None:
    w, b = Value(0.5, "w"), Value(-0.2, "b")

    def loss() -> Value:
        z = w * 2.0 + b
        z.label = "z"
        a = z.sigmoid()
        a.label = "a"
        return (a - 1.0) ** 2

    step = ag.compile(loss)
    out = step()
    ew, eb = Value(0.5), Value(-0.2)
    eager = ((ew * 2.0 + eb).sigmoid() - 1.0) ** 2
    eager.backward()
    assert (out.data, w.grad, b.grad) == (eager.data, ew.grad, eb.grad)
    src = step.source
    assert "a = _sigmoid(z)" in src and "z = v1 + b" in src
    assert "w_.grad += " in src and "σ(z)(1 − σ(z))" in src


def test_decorator_forms() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)

    @ag.compile
    def f() -> Tensor:
        return (x * x).sum()

    @ag.compile(check=True)
    def g() -> Tensor:
        return (x * x).sum()

    assert isinstance(f, Compiled) and isinstance(g, Compiled) and g.check
    f()
    g()
    assert x.grad.tolist() == [4.0, 8.0]
    with pytest.raises(TypeError, match="expected a function"):
        ag.compile(3)


def test_a_new_signature_traces_again() -> None:
    w = Tensor(np.ones((2, 1)), requires_grad=True)
    step = ag.compile(lambda x: ((x @ w) ** 2).sum())
    for rows, dtype, traces in (
        (3, np.float64, 1),
        (5, np.float64, 2),
        (3, np.float32, 3),
        (3, np.float64, 3),
    ):
        x = Tensor(np.arange(rows * 2, dtype=dtype).reshape(rows, 2))
        w.grad = None
        loss = step(x)
        ew = Tensor(np.ones((2, 1)), requires_grad=True)
        want = ((x @ ew) ** 2).sum()
        want.backward()
        assert _same(loss.data, want.data) and _same(w.grad, ew.grad)
        assert step.trace_count == traces
    assert len(step.signatures) == 3 and "Tensor(5, 2) float64" in step.signatures[1]
    step(Tensor(np.ones((3, 2)), requires_grad=True))  # requires_grad is part of the signature
    assert step.trace_count == 4


def test_numbers_are_part_of_the_signature_and_index_arrays_are_read_at_every_call() -> None:
    logits = Tensor(np.random.default_rng(0).normal(size=(4, 3)), requires_grad=True)
    rows = np.arange(4)

    @ag.compile
    def nll(labels: np.ndarray, scale: float) -> Tensor:
        return -logits.log_softmax(-1)[rows, labels].mean() * scale

    for labels, scale, traces in (([0, 1, 2, 0], 1.0, 1), ([2, 2, 1, 0], 1.0, 1), ([2, 2, 1, 0], 2.0, 2)):
        labels = np.array(labels)
        logits.grad = None
        loss = nll(labels, scale)
        e = Tensor(logits.data, requires_grad=True)
        want = -e.log_softmax(-1)[rows, labels].mean() * scale
        want.backward()
        assert _same(loss.data, want.data) and _same(logits.grad, e.grad)
        assert nll.trace_count == traces


def test_tracing_again_and_again_is_explained() -> None:
    w = Tensor([1.0], requires_grad=True)
    step = ag.compile(lambda lr: (w * lr).sum())
    with pytest.warns(RuntimeWarning, match="traced 8 times.*lr=0.7"):
        for k in range(8):
            step(0.1 * k)


def test_an_array_made_into_a_tensor_inside_is_keyed_by_its_value() -> None:
    w = Tensor([1.0, -1.0], requires_grad=True)
    step = ag.compile(lambda data: (Tensor(data) * w).sum())
    assert step(np.array([1.0, 2.0])).item() == -1.0
    assert step(np.array([3.0, 2.0])).item() == 1.0  # a new array: traced again, not the old numbers
    assert step.trace_count == 2


def test_captured_parameters_are_read_at_every_call() -> None:
    params, X, y = _mlp()
    step = ag.compile(lambda: _mse(params, X, y))
    first = step().item()
    params[0].data -= 0.5  # in place, as an optimizer does
    params[2].data = params[2].data * 2.0  # a new array
    second = step().item()
    assert second == _mse(params, X, y).item() != first
    assert step.trace_count == 1


REBOUND = Tensor(np.ones(3), requires_grad=True)


def test_a_name_bound_to_a_new_tensor_traces_again() -> None:
    """``w = Tensor(...)`` again after the trace (a global or a closure variable): the step uses the
    new tensor (it kept using the old one, silently), as ``torch.compile`` guards its globals."""
    global REBOUND
    w = Tensor(np.ones(3), requires_grad=True)
    step = ag.compile(lambda: (w * REBOUND).sum())
    assert step().item() == 3.0 and REBOUND.grad.tolist() == [1.0, 1.0, 1.0]
    old_global = REBOUND
    REBOUND = Tensor(np.full(3, 2.0), requires_grad=True)
    assert step().item() == 6.0 and REBOUND.grad.tolist() == [1.0, 1.0, 1.0]
    assert old_global.grad.tolist() == [1.0, 1.0, 1.0] and step.trace_count == 2
    w = Tensor(np.full(3, 5.0), requires_grad=True)  # (the closure's cell)
    assert step().item() == 30.0 and w.grad.tolist() == [2.0, 2.0, 2.0] and step.trace_count == 3
    step()
    assert step.trace_count == 3  # (nothing rebound: the program is reused)


def test_a_captured_array_that_changed_shape_or_requires_grad_traces_again() -> None:
    w = Tensor(np.ones(3), requires_grad=True)
    c = Tensor(np.ones(3), requires_grad=True)
    step = ag.compile(lambda: (w * c).sum())
    step()
    w.data = np.ones(4)  # a new shape: the guard sees it
    c.data = np.ones(4)
    w.grad = c.grad = None
    assert step().item() == 4.0 and step.trace_count == 2
    c.requires_grad_(False)  # frozen: no gradient for it any more, as backward() would
    c.grad = None
    step()
    assert step.trace_count == 3 and c.grad is None


def test_under_no_grad_only_the_forward_runs() -> None:
    params, X, y = _mlp()
    step = ag.compile(lambda: _mse(params, X, y))
    with ag.no_grad():
        loss = step()  # traced here (recording on inside), then the forward code runs
    assert all(p.grad is None for p in params)
    assert _same(loss.data, _mse(params, X, y).data)
    assert "def forward" in step._last[1].forward_source and ".grad" not in step._last[1].forward_source


def test_under_detect_anomaly_the_eager_engine_runs() -> None:
    x = Tensor([0.0, 1.0], requires_grad=True)
    step = ag.compile(lambda: x.log().sum())
    with ag.detect_anomaly(), pytest.raises(FloatingPointError, match="'log'"):
        step()
    assert step.trace_count == 0
    assert np.isinf(step().data) and x.grad[0] == math.inf  # compiled, outside


@pytest.mark.parametrize("optimizer", [False, True])
def test_inside_saved_tensor_hooks_the_eager_engine_runs(optimizer: bool) -> None:
    """A step traced before a ``saved_tensors_hooks`` block, called inside it: the eager engine
    runs (the pack hook sees x, as torch's, and the backward computes with what unpack returns, here
    x · 10), with or without ``optimizer=``; outside the block the code runs again."""
    w = Tensor([0.5, -1.0], requires_grad=True)
    x = Tensor([2.0, 3.0])
    opt = ag.optim.SGD([w], lr=0.0) if optimizer else None
    step = ag.compile(lambda x: (w * x).sum(), optimizer=opt)
    step(x)
    w.grad = None
    log: list[str] = []

    def pack(t: Tensor) -> Tensor:
        log.append("pack")
        return t

    def unpack(t: Tensor) -> Tensor:
        log.append("unpack")
        return t * 10

    with ag.autograd.graph.saved_tensors_hooks(pack, unpack):
        step(x)
    assert log == ["pack", "unpack"]  # (torch's: mul packs x, the other operand of w, and unpacks it)
    if not optimizer:
        assert w.grad.tolist() == [20.0, 30.0]
        w.grad = None
    step(x)
    assert log == ["pack", "unpack"] and step.trace_count == 1
    if not optimizer:
        assert w.grad.tolist() == [2.0, 3.0]


def test_a_gradient_penalty_with_create_graph_compiles() -> None:
    w = Tensor([0.3, -0.7], requires_grad=True)
    x = Tensor([1.5, 2.0])

    def loss(w: Tensor) -> Tensor:
        out = ((x * w).tanh()).sum()
        (g,) = ag.grad(out, w, create_graph=True)
        return out + (g * g).sum()

    step = ag.compile(loss, check=True)
    step(w)
    e = Tensor(w.data, requires_grad=True)
    loss(e).backward()
    assert _same(w.grad, e.grad)


@pytest.mark.parametrize(
    "body, message",
    [
        (lambda x: (x * 2.0).sum().backward(), "backward"),
        (lambda x: ag.grad((x * x).sum(), x)[0].sum() * x.sum(), "as numbers"),
    ],
)
def test_a_backward_pass_inside_the_function_is_refused(body: Any, message: str) -> None:
    with pytest.raises(TracingError, match=message):
        ag.compile(body)(Tensor([1.0, 2.0], requires_grad=True))


def test_functions_that_cannot_be_traced_are_refused_clearly() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(CompileError, match="random numbers"):
        ag.compile(lambda: (x * ag.randn(2)).sum())()
    with pytest.raises(CompileError, match="output 1 is a float"):
        ag.compile(lambda: ((x * x).sum(), float(x.data.sum())))()
    with pytest.raises(CompileError, match="scalar loss"):
        ag.compile(lambda: x * 2.0)()
    with pytest.raises(CompileError, match="computed Tensor"):
        ag.compile(lambda t: t.sum())(x * 2.0)
    v = Value(1.0)
    with pytest.raises(CompileError, match="custom local derivatives"):
        ag.compile(lambda: Value(2.0, None, (v,), (3.0,), "mine") * 1.0)()


def test_outputs_keep_their_structure_without_a_graph() -> None:
    x = Tensor([1.0, -2.0], requires_grad=True)
    v = Value(0.5)
    step = ag.compile(lambda: ((x * x).sum(), {"h": x.relu(), "v": v * 3.0, "va": ValueArray([v, v * v])}))
    loss, aux = step()
    assert loss.item() == 5.0 and aux["h"].data.tolist() == [1.0, 0.0] and aux["v"].data == 1.5
    assert aux["va"].data.tolist() == [0.5, 0.25] and not aux["h"]._prev and aux["v"]._a is None
    assert x.grad.tolist() == [2.0, -4.0] and v.grad == 0.0  # (v reaches no part of the loss)


def test_value_and_value_array_arguments() -> None:
    step = ag.compile(lambda a, xs: (xs * a).sum().to_value() if isinstance(xs, ValueArray) else None)
    a, xs = Value(2.0), ValueArray([1.0, -3.0])
    assert step(a, xs).data == -4.0 and a.grad == -2.0 and xs.grad.tolist() == [2.0, 2.0]
    b, ys = Value(0.5), ValueArray([4.0, 2.0])
    assert step(b, ys).data == 3.0 and b.grad == 6.0 and step.trace_count == 1


def test_check_mode_raises_where_the_trace_fixed_a_number() -> None:
    """A mask computed from the numbers in Python (here ``x.data > 0``) is fixed at the trace;
    check=True compares with the eager engine at every call and says so."""
    x = Tensor([1.0, -1.0], requires_grad=True)
    step = ag.compile(lambda t: t.where(t.data > 0, 0.0).sum(), check=True)
    step(x)
    with pytest.raises(CheckError, match="differs from the eager one"):
        step(Tensor([-1.0, 1.0], requires_grad=True))


def test_a_compiled_function_called_while_tracing_is_traced_through() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    inner = ag.compile(lambda t: (t * t).sum())
    outer = ag.compile(lambda: inner(x) * 3.0)
    assert outer().item() == 15.0 and x.grad.tolist() == [6.0, 12.0] and inner.trace_count == 0


def test_tracing_is_per_thread() -> None:
    """A trace in one thread does not make backward() refuse in another."""
    x = Tensor([1.0], requires_grad=True)
    started, done = threading.Event(), threading.Event()

    def slow() -> Tensor:
        started.set()
        done.wait(10)
        return (x * x).sum()

    t = threading.Thread(target=ag.compile(slow))
    t.start()
    started.wait(10)
    (x * 2.0).sum().backward()  # not inside the trace
    done.set()
    t.join()
    assert x.grad.tolist() == [4.0]


def test_memory_does_not_grow_over_many_steps() -> None:
    params, X, y = _mlp()
    step = ag.compile(lambda: _mse(params, X, y))
    values = [Value(0.1 * i) for i in range(20)]
    vstep = ag.compile(lambda: sum((v * v).tanh() for v in values))

    def run(n: int) -> None:
        for _ in range(n):
            for p in params:
                p.grad = None
            step()
            vstep()

    grown = bytes_grown(run)
    assert grown < 20_000, f"{grown} bytes more after 500 steps"


def test_pow_identities_the_generated_code_relies_on() -> None:
    """x ** 1 is x and x ** 0 is 1, bit for bit, for every float (nan payloads, subnormals, inf):
    the code generator writes them so (a platform whose pow differs fails here)."""
    rng = np.random.default_rng(0)
    for dtype, bits in ((np.float64, np.uint64), (np.float32, np.uint32)):
        x = rng.integers(0, np.iinfo(bits).max, 200_000, dtype=bits, endpoint=True).view(dtype)
        x = np.concatenate([x, np.array([0.0, -0.0, np.inf, -np.inf, np.nan, -np.nan, 5e-324], dtype)])
        with np.errstate(all="ignore"):
            assert np.power(x, 1.0).tobytes() == x.tobytes()
            assert (np.power(x, 0.0) == 1).all()


def _compiled_matches_eager_and_torch(loss: Any, torch_loss: Any, inputs: list[Any]) -> Any:
    """Compile ``loss``, call it on each input in turn: its value and gradient equal the eager
    engine's bit for bit, and the gradient equals torch's (``torch_loss``); one trace in all."""
    step = ag.compile(loss)
    for data in inputs:
        eager, compiled = Tensor(data, requires_grad=True), Tensor(data, requires_grad=True)
        want = loss(eager)
        want.backward()
        got = step(compiled)
        assert got.data.tobytes() == want.data.tobytes()
        assert compiled.grad.data.tobytes() == eager.grad.data.tobytes()
        t = torch.tensor(np.asarray(data, dtype=float), requires_grad=True)
        torch_loss(t).backward()
        np.testing.assert_array_equal(eager.grad.data, t.grad.numpy())
    assert step.trace_count == 1
    return step


@pytest.mark.parametrize("descending", [False, True])
def test_sort_orders_each_call_s_own_numbers(descending: bool) -> None:
    """sort is a primitive: the compiled step sorts at every call (the permutation is not a number
    of the trace), forward and backward, bit for bit as the eager engine; nan and ties as torch."""
    w = np.arange(12.0).reshape(2, 6)
    edges = [[3.0, np.nan, -0.0, 0.0, 1.0, 1.0], [2, 2, -1, np.inf, -np.inf, 0]]
    step = _compiled_matches_eager_and_torch(
        lambda x: (x.sort(1, descending=descending).values * Tensor(w)).sum(),
        lambda t: (t.sort(1, descending=descending).values * torch.tensor(w)).sum(),
        [np.random.default_rng(0).normal(size=(2, 6)), edges],
    )
    assert "np.argsort" in step.source


@pytest.mark.parametrize("op", ["max", "min"])
def test_max_and_min_along_a_dim_find_each_call_s_own_extremes(op: str) -> None:
    """torch's ``x.max(dim)`` sends the gradient to each row's first maximum: the compiled step finds
    it at every call (it was a position fixed at the trace), bit for bit as the eager engine."""
    w = np.array([1.0, 2.0, 3.0])
    _compiled_matches_eager_and_torch(
        lambda x: (getattr(x, op)(dim=1).values * Tensor(w)).sum(),
        lambda t: (getattr(t, op)(dim=1).values * torch.tensor(w)).sum(),
        [[[3.0, 5.0, 5.0], [7.0, 2.0, 1.0], [0.0, -1.0, 4.0]], [[9, 1, 0], [np.nan, 2, 8], [1, 1, 1]]],
    )
