"""``autograd.Function`` outputs as torch 2.13 treats them: with several outputs ``backward`` runs once
per pass with every output's gradient (zeros, or None without materialized grads, for the ones no
gradient reached; None for a non-Tensor output), at first and second order; ``ctx.mark_dirty``
makes the changed input the output itself; ``vjp`` is ``backward``'s other name. Each behaviour is
run on both libraries and compared: values, gradients, the arguments of every ``backward`` call."""

from __future__ import annotations

import re
import warnings
from typing import Any

import numpy as np
import pytest
import torch

import autograd

LIBS = {"ours": autograd, "torch": torch}
RNG = np.random.default_rng(1)
X, W, V = RNG.normal(size=(3,)), RNG.normal(size=(3,)), RNG.normal(size=(3,))


def numbers(lib: Any, t: Any) -> np.ndarray:
    return t.detach().numpy() if lib is torch else np.asarray(t.data)


def multi(lib: Any, log: list, materialize: bool) -> Any:
    """A function with a float64 output, a float32 one, an index (not differentiable) and a number;
    its backward notes the gradients it receives."""

    class Multi(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, scale, w):
            ctx.set_materialize_grads(materialize)
            e = x.exp()
            idx = x.argmax()
            ctx.mark_non_differentiable(idx)
            ctx.save_for_backward(x, w, e)
            ctx.scale = scale
            return e, (x * w * scale).float(), idx, scale

        @staticmethod
        def backward(ctx, ge, gf, gi, gs):
            log.append((ctx.needs_input_grad, *(_noted(lib, g) for g in (ge, gf, gi, gs))))
            x, w, e = ctx.saved_tensors
            gx = 0 if ge is None else ge * e
            if gf is not None:
                gx = gx + gf.double() * w * ctx.scale
            gw = None if gf is None else gf.double() * x * ctx.scale
            return gx, None, gw

    return Multi


def _noted(lib: Any, g: Any) -> Any:
    """A gradient ``backward`` received: None, or its dtype, numbers and whether it requires grad."""
    return None if g is None else (str(numbers(lib, g).dtype), numbers(lib, g).tolist(), g.requires_grad)


#: losses of Multi's outputs (e, f) and a constant y; "apart": two roots in one pass
LOSSES = {
    "first only": lambda e, f, y: [(e * y).sum()],
    "second only": lambda e, f, y: [(f * f).sum()],
    "both": lambda e, f, y: [(e * y).sum() + (f.double() * 2).sum()],
    "each used twice": lambda e, f, y: [(e * e).sum() + (e * f.double()).sum() + f.sum()],
    "apart": lambda e, f, y: [(e * y).sum(), (f**3).sum()],
}


def _run(lib: Any, loss: str, order: int, materialize: bool) -> list[Any]:
    log: list = []
    x, w = lib.tensor(X, requires_grad=True), lib.tensor(W, requires_grad=True)
    e, f, idx, scale = multi(lib, log, materialize).apply(x, 0.5, w)
    roots = LOSSES[loss](e, f, lib.tensor(V))
    (gx,) = lib.autograd.grad(roots, x, create_graph=order == 2)
    if order == 2:
        (gx * lib.tensor(V)).sum().backward()
    grads = [None if t.grad is None else numbers(lib, t.grad).tolist() for t in (x, w)]
    return [numbers(lib, e).tolist(), numbers(lib, f).tolist(), int(idx), scale, numbers(lib, gx).tolist(),
            str(f.dtype).split(".")[-1], idx.requires_grad, grads, log]  # fmt: skip


@pytest.mark.parametrize("materialize", [True, False])
@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("loss", list(LOSSES))
def test_backward_runs_once_per_pass_with_all_gradients(loss: str, order: int, materialize: bool) -> None:
    ours, theirs = _run(autograd, loss, order, materialize), _run(torch, loss, order, materialize)
    assert len(ours[-1]) == len(theirs[-1])  # (the number of backward calls)
    _same(ours, theirs)  # (values, gradients, and each call's arguments: dtype, numbers, requires_grad)


def _same(a: Any, b: Any) -> None:
    """``a`` (ours) and ``b`` (torch's) are equal: nested lists and tuples item by item, numbers
    to float32's precision (one output is float32), anything else exactly."""
    if isinstance(a, (list, tuple)) and a and not isinstance(a[0], (int, float)):
        assert isinstance(b, (list, tuple)) and len(a) == len(b), (a, b)
        for x, y in zip(a, b):
            _same(x, y)
    elif isinstance(a, list):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-12)
    else:
        assert a == b, (a, b)


def test_backward_with_side_effects_sees_one_call_with_both_gradients() -> None:
    """The user story: a backward that counts its calls and checks which gradients are zero."""
    for lib in LIBS.values():
        log: list = []
        x, w = lib.tensor(X, requires_grad=True), lib.tensor(W, requires_grad=True)
        e, f, _, _ = multi(lib, log, True).apply(x, 2.0, w)
        (e.sum() + f.sum()).backward()
        assert len(log) == 1 and log[0][2][1] == [1.0, 1.0, 1.0]


def dirty(lib: Any) -> dict[str, Any]:
    """In-place functions (``buf += w * w``), as torch's docs write them."""
    Function = lib.autograd.Function  # noqa: N806 (torch's name)

    class AddSquare(Function):
        @staticmethod
        def forward(ctx, buf, w):
            ctx.save_for_backward(w)
            buf.add_(w * w)
            ctx.mark_dirty(buf)
            return buf

        @staticmethod
        def backward(ctx, g):
            (w,) = ctx.saved_tensors
            return g, 2 * g * w

    class AddSquareAndTriple(Function):  # (two outputs, the first the changed input)
        @staticmethod
        def forward(ctx, buf, w):
            ctx.save_for_backward(w)
            buf.add_(w * w)
            ctx.mark_dirty(buf)
            return buf, w * 3

        @staticmethod
        def backward(ctx, g, g3):
            (w,) = ctx.saved_tensors
            return g, 2 * g * w + 3 * g3

    class NotReturned(Function):
        @staticmethod
        def forward(ctx, buf, w):
            buf.mul_(2)
            ctx.mark_dirty(buf)
            return w * 2

        @staticmethod
        def backward(ctx, g):
            return None, 2 * g

    class NoInput(Function):
        @staticmethod
        def forward(ctx, w):
            out = w * 2
            ctx.mark_dirty(out)
            return out

        @staticmethod
        def backward(ctx, g):
            return 2 * g

    return {"AddSquare": AddSquare, "AddSquareAndTriple": AddSquareAndTriple, "NotReturned": NotReturned,
            "NoInput": NoInput}  # fmt: skip


def _run_dirty(lib: Any, name: str, order: int) -> list[Any]:
    buf, w = lib.zeros(3, dtype=lib.float64), lib.tensor(W, requires_grad=True)
    out = dirty(lib)[name].apply(buf, w)
    y, z = out if isinstance(out, tuple) else (out, w)
    facts = [y is buf, buf.requires_grad, buf.is_leaf, buf.grad_fn.name(), numbers(lib, buf).tolist()]
    loss = (buf * buf * z).sum()
    (gw,) = lib.autograd.grad(loss, w, create_graph=order == 2)
    if order == 2:
        (gw * lib.tensor(V)).sum().backward()
        facts.append(numbers(lib, w.grad).tolist())
    return [*facts, numbers(lib, gw).tolist()]


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("name", ["AddSquare", "AddSquareAndTriple"])
def test_mark_dirty_makes_the_changed_input_the_output(name: str, order: int) -> None:
    ours, theirs = _run_dirty(autograd, name, order), _run_dirty(torch, name, order)
    assert ours[:4] == theirs[:4] == [True, True, False, f"{name}Backward"]
    for a, b in zip(ours[4:], theirs[4:]):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_mark_dirty_without_grad_returns_the_input_unrecorded() -> None:
    for lib in LIBS.values():
        buf, w = lib.zeros(3, dtype=lib.float64), lib.tensor(W)
        y = dirty(lib)["AddSquare"].apply(buf, w)
        assert y is buf and not y.requires_grad and y.grad_fn is None
        np.testing.assert_allclose(numbers(lib, buf), W * W, rtol=1e-15)


def _error(lib: Any, make: Any) -> str:
    with pytest.raises(RuntimeError) as info:
        make(lib)
    return str(info.value)


@pytest.mark.parametrize(
    ("what", "make", "pattern"),
    [
        (
            "a leaf that requires grad",
            lambda lib: dirty(lib)["AddSquare"].apply(
                lib.zeros(3, dtype=lib.float64, requires_grad=True), lib.tensor(W)
            ),
            r"^a leaf Variable that requires grad has been used in an in-place operation\.$",
        ),
        (
            "not returned",
            lambda lib: dirty(lib)["NotReturned"].apply(
                lib.zeros(3, dtype=lib.float64), lib.tensor(W, requires_grad=True)
            ),
            r"^Some elements marked as dirty during the forward method were not returned as output\.",
        ),
        (
            "not returned, no grad",
            lambda lib: dirty(lib)["NotReturned"].apply(lib.zeros(3, dtype=lib.float64), lib.tensor(W)),
            r"were not returned as output",
        ),
    ],  # fmt: skip
)
def test_mark_dirty_errors_are_torchs(what: str, make: Any, pattern: str) -> None:
    assert re.search(pattern, _error(torch, make))
    assert re.search(pattern, _error(autograd, make))


def test_mark_dirty_of_no_input_warns_as_torch() -> None:
    for lib in LIBS.values():
        w = lib.tensor(W, requires_grad=True)
        with pytest.warns(UserWarning, match=r"ctx.mark_dirty\(\) received a tensor that was not an input"):
            y = dirty(lib)["NoInput"].apply(w)
        y.sum().backward()
        np.testing.assert_allclose(numbers(lib, w.grad), [2.0] * 3)


def test_mark_dirty_of_a_computed_tensor_is_refused_here() -> None:
    """torch changes it in place and records the function on it; the graph here keeps the data its
    backward pass reads, so an in-place change of a tensor computed from others is refused."""

    class Double(autograd.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.data *= 2  # (x.mul_(2) is refused already, by the in-place rule)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return 2 * g

    a = autograd.tensor(W, requires_grad=True) * 1.0
    with pytest.raises(RuntimeError, match=r"mark_dirty: this input was computed from others"):
        Double.apply(a)


def _vjp_only(lib: Any, both: bool) -> Any:
    class Twice(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def vjp(ctx, g):
            return g * 2

    if both:
        Twice.backward = staticmethod(lambda ctx, g: g * 2)
    x = lib.tensor(W, requires_grad=True)
    Twice.apply(x).sum().backward()
    return numbers(lib, x.grad).tolist()


def test_vjp_is_backwards_other_name() -> None:
    assert _vjp_only(autograd, False) == _vjp_only(torch, False) == [2.0] * 3
    message = r"^Implementing both 'backward' and 'vjp' for a custom Function is not allowed\."
    for lib in LIBS.values():
        with pytest.raises(RuntimeError, match=message):
            _vjp_only(lib, True)


def test_a_non_tensor_output_and_input() -> None:
    """A number among the outputs comes back as it is; its gradient and the number input's
    ``needs_input_grad`` are None and False, as torch (checked in the calls above too)."""
    for lib in LIBS.values():
        log: list = []
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            x = lib.tensor(X, requires_grad=True)
            e, f, idx, scale = multi(lib, log, True).apply(x, 0.25, lib.tensor(W))
        assert scale == 0.25 and type(scale) is float and not idx.requires_grad
        e.sum().backward()
        assert log[0][0] == (True, False, False) and log[0][4] is None


def _square_once(lib: Any) -> Any:
    class Square(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @lib.autograd.function.once_differentiable
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * g * x

    return Square


def test_once_differentiable_refuses_a_second_derivative_through_it() -> None:
    """Where the gradient reaching a once-differentiable backward requires grad (``y * y``), its
    result is torch's Error node: differentiating it again raises, never a silent zero."""
    for lib in LIBS.values():
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = _square_once(lib).apply(x)
        (g,) = lib.autograd.grad((y * y).sum(), x, create_graph=True)
        assert numbers(lib, g).tolist() == [4.0, 32.0] and g.requires_grad
        assert g.grad_fn.name() == "torch::autograd::Error"
        with pytest.raises(RuntimeError, match=r"^trying to differentiate twice a function that was marked"):
            g.sum().backward()
        (g,) = lib.autograd.grad(_square_once(lib).apply(x).sum(), x, create_graph=True)
        assert not g.requires_grad  # (the seed needs no grad: a constant, in both)


def _changed_after_forward(lib: Any, read: bool) -> list[float]:
    class Scale(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, w):
            ctx.save_for_backward(w)
            return x * w

        @staticmethod
        def backward(ctx, g):
            return (g * ctx.saved_tensors[0] if read else g * 2.0), None

    x, w = lib.tensor([1.0, 2.0], requires_grad=True), lib.tensor([2.0, 3.0])
    y = Scale.apply(x, w)
    with lib.no_grad():
        w.mul_(10)
    y.sum().backward()
    return numbers(lib, x.grad).tolist()


def test_a_saved_tensor_changed_in_place_raises_where_backward_reads_it() -> None:
    """torch's version check on ``ctx.saved_tensors``: reading one changed in place since ``forward``
    raises; a backward that does not read it runs."""
    message = (
        r"^one of the variables needed for gradient computation has been modified by an inplace "
        r"operation: \[torch.(Double|Float)Tensor \[2\]\] is at version 1; expected version 0 instead\."
    )
    for lib in LIBS.values():
        with pytest.raises(RuntimeError, match=message):
            _changed_after_forward(lib, read=True)
        assert _changed_after_forward(lib, read=False) == [2.0, 2.0]
