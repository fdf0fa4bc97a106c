"""``autograd.autograd.Function``: an operation with a hand-written backward, as
``torch.autograd.Function``. Each function is written once and run on both libraries; values and
gradients (first and second order) are torch's, torch's error messages come out for wrong backwards,
and ``gradcheck`` catches a wrong hand derivation."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pytest
import torch

import autograd
from autograd import Tensor

LIBS = {"ours": autograd, "torch": torch}


def functions(lib: Any) -> dict[str, Any]:
    """The same custom functions, written against ``lib`` (autograd or torch)."""
    Function = lib.autograd.Function  # noqa: N806 (torch's name)

    class Legendre3(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return 0.5 * (5 * x**3 - 3 * x)

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 1.5 * (5 * x**2 - 1)

    class Exp(Function):  # (saves its output, as torch's docs' example)
        @staticmethod
        def forward(ctx, x):
            result = x.exp()
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx, g):
            (result,) = ctx.saved_tensors
            return g * result

    class ScaledMul(Function):  # (a number among the inputs, ctx attributes, needs_input_grad)
        @staticmethod
        def forward(ctx, x, scale, y):
            ctx.scale = scale
            ctx.save_for_backward(x, y)
            return x * y * scale

        @staticmethod
        def backward(ctx, g):
            x, y = ctx.saved_tensors
            gx = g * y * ctx.scale if ctx.needs_input_grad[0] else None
            gy = g * x * ctx.scale if ctx.needs_input_grad[2] else None
            return gx, None, gy

    class SplitExp(Function):  # (two outputs, and an index output no gradient flows from)
        @staticmethod
        def forward(ctx, x):
            e = x.exp()
            idx = x.argmax()
            ctx.mark_non_differentiable(idx)
            ctx.save_for_backward(x, e)
            return e, x * 2, idx

        @staticmethod
        def backward(ctx, g_e, g_2, g_idx):
            x, e = ctx.saved_tensors
            return g_e * e + g_2 * 2

    class BroadcastAdd(Function):  # (backward returns a gradient of the broadcast shape)
        @staticmethod
        def forward(ctx, x, b):
            return x + b

        @staticmethod
        def backward(ctx, g):
            return g, g  # (b's is summed back to b's shape, as torch)

    class Cube(Function):  # (torch 2's form: forward without ctx, setup_context)
        @staticmethod
        def forward(x):
            return x**3

        @staticmethod
        def setup_context(ctx, inputs, output):
            (x,) = inputs
            ctx.save_for_backward(x)

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * g * x**2

    return {"Legendre3": Legendre3, "Exp": Exp, "ScaledMul": ScaledMul, "SplitExp": SplitExp,
            "BroadcastAdd": BroadcastAdd, "Cube": Cube}  # fmt: skip


RNG = np.random.default_rng(0)
X, Y, B = RNG.normal(size=(2, 3)), RNG.normal(size=(2, 3)), RNG.normal(size=(3,))
CASES = {
    "Legendre3": lambda F, x, y, b: F["Legendre3"].apply(x * 0.7).sum(),
    "Exp": lambda F, x, y, b: (F["Exp"].apply(x) * y).sum(),
    "ScaledMul": lambda F, x, y, b: F["ScaledMul"].apply(x, 2.5, y).tanh().sum(),
    "ScaledMul only x": lambda F, x, y, b: F["ScaledMul"].apply(x, -1.0, y.detach()).sum(),
    "SplitExp both": lambda F, x, y, b: (
        lambda e, d, i: (e * y).sum() + (d * d).sum() + i * 0
    )(*F["SplitExp"].apply(x)),
    "SplitExp first only": lambda F, x, y, b: F["SplitExp"].apply(x)[0].sum(),
    "BroadcastAdd": lambda F, x, y, b: (F["BroadcastAdd"].apply(x, b) ** 2).sum(),
    "Cube": lambda F, x, y, b: (F["Cube"].apply(x) * y).sum(),
    "used twice": lambda F, x, y, b: (F["Legendre3"].apply(x) * F["Legendre3"].apply(x)).sum(),
}  # fmt: skip


def _run(lib: Any, case: str, order: int) -> list[np.ndarray]:
    """The loss and the gradients of x, y and b (and with ``order`` 2, ∂(Σ ∂loss/∂x · v)/∂(x, y, b))."""
    F = functions(lib)  # noqa: N806
    x, y, b = (lib.tensor(a, requires_grad=True) for a in (X, Y, B))
    loss = CASES[case](F, x, y, b)
    if order == 1:
        loss.backward()
        grads = [t.grad for t in (x, y, b)]
    else:
        (gx,) = lib.autograd.grad(loss, x, create_graph=True)
        if gx.requires_grad:  # (else ∂loss/∂x is a constant: no second derivative, in both)
            (gx * lib.tensor(Y)).sum().backward()
        grads = [t.grad for t in (x, y, b)]
    return [np.asarray(loss.detach().numpy() if lib is torch else loss.data)] + [
        None if g is None else np.asarray(g.detach().numpy() if lib is torch else g.data) for g in grads
    ]


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("case", list(CASES))
def test_custom_functions_give_torchs_values_and_gradients(case: str, order: int) -> None:
    ours, theirs = _run(autograd, case, order), _run(torch, case, order)
    for a, b in zip(ours, theirs):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_gradcheck_catches_a_wrong_hand_derivation() -> None:
    """The user story: write a backward by hand, check it against finite differences."""

    class Wrong(autograd.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.sin() * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * x.cos() * x  # (the product rule's x.sin() term forgotten)

    class Right(autograd.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.sin() * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * (x.cos() * x + x.sin())

    x = autograd.tensor(RNG.normal(size=(4,)), requires_grad=True)
    assert autograd.autograd.gradcheck(Right.apply, (x,))  # torch's spelling: a tuple of inputs
    assert autograd.autograd.gradgradcheck(Right.apply, (x,))  # (its backward is differentiable)
    with pytest.raises(autograd.GradcheckError, match=r"disagrees"):
        autograd.autograd.gradcheck(Wrong.apply, (x,))
    assert autograd.gradcheck(Wrong.apply, x, raise_exception=False) is False


def test_once_differentiable_and_materialize_grads() -> None:
    seen: list[Any] = []

    class Twice(autograd.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x * 2, x * 3

        @staticmethod
        @autograd.autograd.function.once_differentiable
        def backward(ctx, g1, g2):
            seen.append((g1 is None, g2 is None))
            return (0 if g1 is None else g1 * 2) + (0 if g2 is None else g2 * 3)

    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    Twice.apply(x)[1].sum().backward()
    assert x.grad.tolist() == [3.0, 3.0] and seen == [(True, False)]  # (None, not zeros)
    (g,) = autograd.autograd.grad(Twice.apply(x)[0].sum(), x, create_graph=True)
    assert g.tolist() == [2.0, 2.0] and not g.requires_grad  # (once_differentiable: a constant)


def test_the_graph_names_and_draws_the_custom_node() -> None:
    F = functions(autograd)  # noqa: N806
    x = autograd.tensor([0.5, -1.0], requires_grad=True)
    y = F["Legendre3"].apply(x)
    assert (
        y.grad_fn.name()
        == "Legendre3Backward"
        == functions(torch)["Legendre3"].apply(torch.tensor([0.5], requires_grad=True)).grad_fn.name()
    )
    assert y.grad_fn.next_functions[0][0].name() == "torch::autograd::AccumulateGrad"
    loss = y.sum()
    loss.backward()
    source = autograd.draw_graph(loss).source
    assert "Legendre3" in source


def _message(lib: Any, make: Any) -> str:
    with pytest.raises(Exception) as info:  # noqa: PT011
        make(lib)
    return str(info.value)


@pytest.mark.parametrize(
    ("what", "backward", "pattern"),
    [
        (
            "too many",
            lambda ctx, g: (g, g),
            r"returned an incorrect number of gradients \(expected 1, got 2\)",
        ),
        (
            "wrong shape",
            lambda ctx, g: g.sum(),
            r"returned an invalid gradient at index 0 - got \[\] but expected shape compatible with \[2\]",
        ),
        ("a number", lambda ctx, g: 2.0, r"^expected Variable or None \(got float\)"),
        ("an array", lambda ctx, g: np.ones(2), r"^expected Variable or None \(got numpy.ndarray\)"),
    ],  # fmt: skip
)
def test_a_wrong_backward_gets_torchs_error(what: str, backward: Any, pattern: str) -> None:
    def make(lib: Any) -> None:
        class Bad(lib.autograd.Function):
            forward = staticmethod(lambda ctx, x: x * 2)

        Bad.backward = staticmethod(backward)
        Bad.apply(lib.tensor([1.0, 2.0], requires_grad=True)).sum().backward()

    assert re.search(pattern, _message(torch, make))
    assert re.search(pattern, _message(autograd, make))


def test_a_gradient_for_a_number_and_bad_saves_are_refused() -> None:
    class NumberGrad(autograd.autograd.Function):
        forward = staticmethod(lambda ctx, x, k: x * k)
        backward = staticmethod(lambda ctx, g: (g, g))

    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="returned a gradient different than None at position 2"):
        NumberGrad.apply(x, 2.0).sum().backward()

    class BadSave(autograd.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x, 3.0)
            return x

    with pytest.raises(
        TypeError, match="save_for_backward can only save variables, but argument 1 is of type float"
    ):
        BadSave.apply(x)

    class BadForwardSave(autograd.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_forward(None, x, [1.0])
            return x

    with pytest.raises(
        TypeError, match="save_for_forward expects all arguments to be tensors; argument 2 is of type list"
    ):
        BadForwardSave.apply(x)


def test_no_graph_without_grad() -> None:
    F = functions(autograd)  # noqa: N806
    x = autograd.tensor([0.5, -1.0])
    assert not F["Legendre3"].apply(x).requires_grad  # (no input requires grad: a plain result)
    w = autograd.tensor([0.5, -1.0], requires_grad=True)
    with autograd.no_grad():
        assert not F["Legendre3"].apply(w).requires_grad
    assert math.isclose(float(F["Legendre3"].apply(Tensor(1.0))), 1.0)


def test_backward_runs_once_per_pass_for_all_inputs() -> None:
    calls: list[int] = []

    class Mul(autograd.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(x, y)
            return x * y

        @staticmethod
        def backward(ctx, g):
            calls.append(1)
            x, y = ctx.saved_tensors
            return g * y, g * x

    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    y = autograd.tensor([3.0, 4.0], requires_grad=True)
    out = Mul.apply(x, y)
    seed = np.array([1.0, 1.0])
    out.backward(seed)
    assert len(calls) == 1 and x.grad.tolist() == [3.0, 4.0] and y.grad.tolist() == [1.0, 2.0]
    y.data *= 10  # (a later pass with the same seed object reads the new numbers: no stale result; a
    out.backward(seed)  # write into .data is not counted as a change in place, as torch's y.data)
    assert len(calls) == 2 and x.grad.tolist() == [33.0, 44.0]


def _sin_cos(lib: Any, sign: float, detach: bool) -> Any:
    """sin and cos of x: a right backward (sign -1), one with cos's sign wrong (+1), or one whose
    first derivative is right but whose second is not (``detach``)."""

    class SinCos(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.sin(), x.cos()

        @staticmethod
        def backward(ctx, g_sin, g_cos):
            (x,) = ctx.saved_tensors
            return g_sin * (x.detach() if detach else x).cos() + sign * g_cos * x.sin()

    return SinCos


@pytest.mark.parametrize(
    ("sign", "detach", "first", "second"),
    [(-1.0, False, True, True), (1.0, False, False, True), (-1.0, True, True, False)],
)
def test_gradcheck_of_several_outputs(sign: float, detach: bool, first: bool, second: bool) -> None:
    """torch's gradcheck and gradgradcheck take a tuple of outputs (each checked); both libraries
    give the same verdicts (gradgradcheck checks the backward's own derivative: a wrong but smooth
    backward passes it, as in torch), and ours names the output that disagrees."""
    for lib in LIBS.values():
        x = lib.tensor(RNG.normal(size=(3,)), requires_grad=True)
        f = _sin_cos(lib, sign, detach).apply
        assert lib.autograd.gradcheck(f, (x,), raise_exception=False) is first
        assert lib.autograd.gradgradcheck(f, (x,), raise_exception=False) is second
    if not first:
        x = autograd.tensor(X[0], requires_grad=True)
        with pytest.raises(autograd.GradcheckError, match=r"d\(output 1\[0\]\)/d\(input 0, element \(0,\)\)"):
            autograd.autograd.gradcheck(_sin_cos(autograd, sign, detach).apply, (x,))
