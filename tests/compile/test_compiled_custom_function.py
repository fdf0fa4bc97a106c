"""A compiled step with a hand-written ``autograd.Function``: its generated code runs ``forward`` once
per call (a new ctx, this call's saved tensors) and the user's ``backward`` once per call, with every
output's gradient; values and gradients equal the eager engine's bit for bit, on the traced inputs
and on new ones, and torch's to rounding."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import autograd
from autograd.compiled import CompileError

RNG = np.random.default_rng(3)
P, Q = RNG.normal(size=(3,)), RNG.normal(size=(3,))
INPUTS = [RNG.normal(size=(3,)) for _ in range(3)]


def functions(lib: Any, calls: dict[str, int]) -> dict[str, Any]:
    """One input and one output (saving its input); several outputs, a number among the inputs
    and outputs, an index that is not differentiable, a float32 output."""

    class Legendre3(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            calls["forward"] += 1
            ctx.save_for_backward(x)
            return 0.5 * (5 * x**3 - 3 * x)

        @staticmethod
        def backward(ctx, g):
            calls["backward"] += 1
            (x,) = ctx.saved_tensors
            return g * 1.5 * (5 * x**2 - 1)

    class Multi(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, scale, w):
            calls["forward"] += 1
            e = x.exp()
            idx = x.argmax()
            ctx.mark_non_differentiable(idx)
            ctx.save_for_backward(x, w, e)
            ctx.scale = scale
            return e, (x * w * scale).float(), idx, scale

        @staticmethod
        def backward(ctx, ge, gf, gi, gs):
            calls["backward"] += 1
            x, w, e = ctx.saved_tensors
            return ge * e + gf.double() * w * ctx.scale, None, gf.double() * x * ctx.scale

    return {"Legendre3": Legendre3, "Multi": Multi}


def _grad_of_grad(lib: Any, F: Any, p: Any, q: Any, x: Any) -> Any:  # noqa: N803
    """Σ ∂loss/∂p · x, whose gradient differentiates the user's backward again."""
    e, f, _, _ = F["Multi"].apply(p * x, 0.5, q)
    (gp,) = lib.autograd.grad((e * e).sum() + (f.double() * x).sum(), p, create_graph=True)
    return (gp * x).sum()


LOSSES = {
    "one output": lambda lib, F, p, q, x: (F["Legendre3"].apply(p * x) * q).sum(),
    "several outputs": lambda lib, F, p, q, x: (
        lambda e, f, i, s: (e * e).sum() + (f.double() * x).sum() * s
    )(*F["Multi"].apply(p * x, 0.5, q)),
    "used twice": lambda lib, F, p, q, x: (F["Legendre3"].apply(p) * F["Legendre3"].apply(q * x)).sum(),
    "grad of grad": _grad_of_grad,
}  # fmt: skip


def _eager_and_torch(lib: Any, loss: Any, x: np.ndarray) -> list[np.ndarray]:
    calls = {"forward": 0, "backward": 0}
    p, q = lib.tensor(P, requires_grad=True), lib.tensor(Q, requires_grad=True)
    out = loss(lib, functions(lib, calls), p, q, lib.tensor(x))
    out.backward()
    return [np.asarray(t.detach().numpy() if lib is torch else t.data) for t in (out, p.grad, q.grad)]


@pytest.mark.parametrize("case", list(LOSSES))
def test_compiled_step_equals_eager_bit_for_bit_and_torch(case: str) -> None:
    loss = LOSSES[case]
    calls = {"forward": 0, "backward": 0}
    F = functions(autograd, calls)  # noqa: N806
    p, q = autograd.tensor(P, requires_grad=True), autograd.tensor(Q, requires_grad=True)
    step = autograd.compile(lambda x: loss(autograd, F, p, q, x))
    for i, x in enumerate(INPUTS):  # (the traced inputs, then new ones: this call's saved tensors)
        p.grad = q.grad = None
        before = dict(calls)
        out = step(autograd.tensor(x))
        ran = {k: calls[k] - before[k] for k in calls}
        got = [np.asarray(out.data), p.grad.data.copy(), q.grad.data.copy()]
        eager = _eager_and_torch(autograd, loss, x)
        for a, b in zip(got, eager):
            assert a.dtype == b.dtype and a.tobytes() == b.tobytes()
        for a, b in zip(got, _eager_and_torch(torch, loss, x)):
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-12)
        if i:  # (after the trace: forward and backward once per call and apply; at second order the
            # create_graph pass's backward, recorded at the trace, is code: the call left is the final
            # backward's, through the saved output e)
            applies = 2 if case == "used twice" else 1
            assert ran == {"forward": applies, "backward": applies}
    assert step.trace_count == 1


def test_a_compiled_step_calls_the_users_code_and_forward_only_runs_forward() -> None:
    calls = {"forward": 0, "backward": 0}
    F = functions(autograd, calls)  # noqa: N806
    p = autograd.tensor(P, requires_grad=True)
    step = autograd.compile(lambda x: F["Legendre3"].apply(p * x).sum())
    step(autograd.tensor(INPUTS[0]))
    assert "Legendre3_forward(" in step.source and "Legendre3_vjp(" in step.source
    before = dict(calls)
    with autograd.no_grad():
        out = step(autograd.tensor(INPUTS[1]))
    assert calls["forward"] == before["forward"] + 1 and calls["backward"] == before["backward"]
    assert float(out) == float(F["Legendre3"].apply(autograd.tensor(P * INPUTS[1])).sum())


def test_a_compiled_step_refuses_an_in_place_function() -> None:
    class AddInto(autograd.autograd.Function):
        @staticmethod
        def forward(ctx, buf, w):
            buf.add_(w)
            ctx.mark_dirty(buf)
            return buf

        @staticmethod
        def backward(ctx, g):
            return g, g

    w = autograd.tensor(P, requires_grad=True)
    step = autograd.compile(lambda: AddInto.apply(autograd.zeros(3, dtype=autograd.float64), w).sum())
    with pytest.raises(CompileError, match=r"AddInto changes an input in place \(ctx.mark_dirty\)"):
        step()


def _train(compiled: bool, steps: int = 5) -> list[np.ndarray]:
    """A layer whose activation is the hand-written Legendre3, trained with torch-style SGD."""
    calls = {"forward": 0, "backward": 0}
    F = functions(autograd, calls)  # noqa: N806
    layer = autograd.nn.Linear(3, 2, dtype=autograd.float64)
    with autograd.no_grad():
        layer.weight.copy_(autograd.tensor(np.linspace(-0.5, 0.5, 6).reshape(2, 3)))
        layer.bias.copy_(autograd.tensor([0.1, -0.2]))
    opt = autograd.optim.SGD(layer.parameters(), lr=0.05, momentum=0.9)
    x, y = autograd.tensor(np.stack(INPUTS)), autograd.tensor(np.ones((3, 2)))

    def loss() -> Any:
        return ((F["Legendre3"].apply(layer(x)) - y) ** 2).mean()

    step = autograd.compile(loss) if compiled else None
    for _ in range(steps):
        opt.zero_grad()
        if step is not None:
            step()
        else:
            loss().backward()
        opt.step()
    return [layer.weight.data.copy(), layer.bias.data.copy()]


def test_a_compiled_training_loop_with_a_function_equals_eager_bit_for_bit() -> None:
    """Parameters changed in place by the optimizer between calls: each call's forward reads them."""
    for a, b in zip(_train(True), _train(False)):
        assert a.tobytes() == b.tobytes()


def test_a_function_of_inputs_that_need_no_grad_runs_at_every_call() -> None:
    """A forward written in numpy (as torch's tutorials write one) on a captured buffer and on an
    argument, neither requiring grad: the step runs it at every call (not the trace's numbers), with
    the eager ``needs_input_grad``; its backward is never needed."""
    seen: list[Any] = []

    class NumpyCube(autograd.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            seen.append(ctx.needs_input_grad)
            ctx.save_for_backward(x)
            return autograd.tensor(np.asarray(x.data) ** 3)

        @staticmethod
        def backward(ctx, g):
            raise AssertionError("no gradient flows to a buffer or an argument that needs none")

    buf, w = autograd.tensor([1.0, 2.0]), autograd.tensor([0.5, 0.25], requires_grad=True)

    def loss(a: Any) -> Any:
        return (NumpyCube.apply(buf) * w).sum() + (NumpyCube.apply(a) * w).sum()

    step = autograd.compile(loss)
    for i in range(3):
        a = autograd.tensor([1.0 + i, -1.0])
        w.grad = None
        compiled = [float(step(a)), w.grad.data.copy()]
        w.grad = None
        eager = loss(a)
        eager.backward()
        assert compiled[0] == float(eager) and compiled[1].tobytes() == w.grad.data.tobytes()
        with autograd.no_grad():
            buf.mul_(2)  # (a running statistic's kind of change: seen at the next call)
    assert set(seen) == {(False,)}
