"""Generated Tensor code writes an elementwise result into an operand array it made and no longer
reads (``np.add(t1, b1, out=t1)``, ``mask(g, keep=..., out=g)``): never into a leaf, a constant, a
view, a gradient a leaf holds, an array read later, or one of another shape or dtype. A mask whose
next line sums all of it is checked for nan through that sum."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import autograd as ag
import autograd.compiled.code as code_module
from autograd import Tensor
from autograd.compiled import CheckError


def _same(a: Any, b: Any) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def _relu_step() -> tuple[Any, list[Tensor], Any]:
    rng = np.random.default_rng(0)
    shapes = ((6, 8), (8,), (8, 3), (3,))
    W1, b1, W2, b2 = (Tensor(rng.normal(size=s).astype(np.float32), requires_grad=True) for s in shapes)
    X = Tensor(rng.normal(size=(5, 6)).astype(np.float32))
    rows, labels = np.arange(5), np.array([0, 2, 1, 1, 0])

    def loss() -> Tensor:
        h = (X @ W1 + b1).relu()
        return -(h @ W2 + b2).log_softmax(-1)[rows, labels].mean()

    return loss, [W1, b1, W2, b2], X


def test_a_relu_step_writes_into_its_dead_temporaries_and_keeps_the_eager_bits() -> None:
    loss, params, X = _relu_step()
    step = ag.compile(loss, check=True)  # (check: the eager step too, compared bit for bit)
    before = [p.data.copy() for p in params] + [X.data.copy()]
    for _ in range(3):
        step()
    src = step.source
    assert "np.add(t1, b1, out=t1)" in src  # X @ W1 (dead after) takes the bias
    assert "t3 = np.maximum(0.0, t2, out=t2)" in src  # relu in place: its mask reads its output
    # relu's mask into the dead incoming gradient, its nan check through the bias's sum (next line)
    assert "g_t2 = mask_product(g_t3, keep=t3 != 0.0, out=g_t3)" in src
    assert "if np.isnan(np.add.reduce(g_b1, axis=None)):" in src
    assert all(_same(a, p.data) for a, p in zip(before, [*params, X]))  # no leaf written


HEADS = {
    "+inf": lambda h: h.sqrt().sum(),  # (the slope of sqrt at the relu's zeros: +inf)
    "-inf": lambda h: -h.sqrt().sum(),
    "nan": lambda h: (h.sqrt() - h.sqrt() + h).sum(),  # (inf - inf)
    "finite": lambda h: (h * h).sum(),
}


@pytest.mark.parametrize("incoming", list(HEADS))
def test_a_mask_checked_through_its_sum_gives_the_eager_bits_where_the_gradient_is_not_finite(
    incoming: str,
) -> None:
    """Where the gradient reaching a relu is inf or nan at its zeros, ``x · keep`` is nan there:
    the bias's sum shows it, and the selection is redone (as eager's mask does: 0 there)."""
    rng = np.random.default_rng(2)
    W1 = Tensor(rng.normal(size=(6, 8)).astype(np.float32), requires_grad=True)
    b1 = Tensor(rng.normal(size=8).astype(np.float32), requires_grad=True)
    X = Tensor(rng.normal(size=(5, 6)).astype(np.float32))

    def loss() -> Tensor:
        return HEADS[incoming]((X @ W1 + b1).relu())

    step = ag.compile(loss)
    for _ in range(2):
        W1.grad = b1.grad = None
        step()
        compiled = [W1.grad.numpy().copy(), b1.grad.numpy().copy()]
        W1.grad = b1.grad = None
        loss().backward()
        assert _same(compiled[0], W1.grad.numpy()) and _same(compiled[1], b1.grad.numpy())
    assert "mask_product(" in step.source and "if np.isnan(" in step.source
    assert np.isfinite(compiled[1]).all()  # (without the redo: nan wherever a unit was 0 somewhere)
    assert (compiled[0] == 0).any()


def test_an_operand_read_later_held_by_a_grad_or_returned_is_not_overwritten() -> None:
    rng = np.random.default_rng(1)
    a = Tensor(rng.normal(size=(4, 3)), requires_grad=True)
    b = Tensor(rng.normal(size=(4, 3)), requires_grad=True)

    def f() -> Tensor:
        t = a * 2.0
        u = t + b  # t is read again below: u gets an array of its own
        v = (u * t).tanh() + u  # u's gradient is b's: b.grad holds it
        return (v * v).sum()

    step = ag.compile(f, check=True)
    step()
    step()  # (accumulating into the stored gradients)

    def g() -> tuple[Tensor, Tensor]:
        t = a * 2.0
        return ((t + 1.0) ** 2).sum(), t  # t, read last by t + 1.0, is an output

    outputs = ag.compile(g, check=True)()
    assert _same(outputs[1].data, a.data * 2.0)


def test_other_shapes_and_dtypes_get_arrays_of_their_own() -> None:
    x32 = Tensor(np.linspace(-1, 1, 3, dtype=np.float32), requires_grad=True)
    y64 = Tensor(np.linspace(0, 2, 3), requires_grad=True)
    m = Tensor(np.ones((2, 3)), requires_grad=True)

    def f() -> Tensor:
        promoted = x32 * 2.0 + y64  # float32 temporary + float64: a float64 result
        wider = (y64 * 3.0) + m  # (3,) temporary + (2, 3): a (2, 3) result
        return (promoted.sum() + wider.sum()) * promoted.mean()

    step = ag.compile(f, check=True)
    step()
    step()
    src = step.source
    assert "out=" not in src.split("# -- backward")[0]  # neither operand fits the result


def test_the_compile_check_catches_a_pass_that_ignores_liveness(monkeypatch: pytest.MonkeyPatch) -> None:
    """The guards are needed: writing into every fresh operand of the right shape breaks the numbers."""
    original = code_module._write_into

    def careless(expr: Any, free: Any, scope: dict[str, Any]) -> Any:
        def any_fresh(v: Any) -> bool:
            value = getattr(v, "value", None)
            return type(value) is np.ndarray and value.ndim > 0 and v.name.startswith(("t", "g_"))

        return original(expr, any_fresh, scope)

    monkeypatch.setattr(code_module, "_write_into", careless)
    rng = np.random.default_rng(2)
    a = Tensor(rng.normal(size=(4, 3)), requires_grad=True)

    def f() -> Tensor:
        t = a * 2.0
        return ((t + 1.0) * t).sum()  # t + 1.0 would overwrite t, read again by the product

    with pytest.raises(CheckError):
        ag.compile(f, check=True)()


def test_a_mask_written_into_its_gradient_still_gives_0_for_inf_and_nan() -> None:
    x = Tensor(np.array([-1.0, 2.0, -3.0, 4.0, -0.0]), requires_grad=True)
    c = Tensor(np.array([np.inf, 1.0, np.nan, -np.inf, np.inf]))

    def f(c: Tensor) -> Tensor:
        return ((x * 1.5).relu() * (c * 2.0)).sum()

    step = ag.compile(f, check=True)
    step(c)
    assert "out=" in next(ln for ln in step.source.splitlines() if "mask(" in ln)
    assert _same(x.grad.data, np.array([0.0, 3.0, 0.0, -np.inf, 0.0]))  # 0 where masked, also from inf, nan


def test_an_operand_of_another_layout_is_not_written_into() -> None:
    """``t = x.T * 3`` is a new array in Fortran order; ``t + y`` as a new array is laid out as
    numpy lays it out, and a sum then adds in that memory order. Writing the sum into ``t`` (its
    operand, free after) would keep ``t``'s order and change a later reduction's bits (55 of 200
    shapes here did, before operands were compared by their strides too)."""
    rng = np.random.default_rng(0)
    for _ in range(60):
        m, n = (int(k) for k in rng.integers(2, 40, 2))
        x = Tensor(rng.normal(size=(m, n)) * 1e3, requires_grad=True)
        y = Tensor(rng.normal(size=(n, m)), requires_grad=True)

        def f(x: Tensor, y: Tensor) -> Tensor:
            u = x.T * 3.0 + y
            return (u * u).sum(0).sum() + u.sum(1).sum()

        assert ag.compile(f)(x, y).data.tobytes() == f(x, y).data.tobytes()


def _holders(params: list[Tensor], others: dict[str, Any]) -> list[str]:
    """Which pairs share memory among the parameters' ``.grad`` arrays, the parameters' and other
    leaves' data and the outputs."""
    grads = {f"{i}.grad": p.grad.data for i, p in enumerate(params) if p.grad is not None}
    arrays = {**{f"{i}.data": p.data for i, p in enumerate(params)}, **others, **grads}
    pairs = [(a, g, b, o) for a, g in grads.items() for b, o in arrays.items() if a != b]
    return [f"{a} ~ {b}" for a, g, b, o in pairs if np.shares_memory(g, o)]


@pytest.mark.parametrize(
    "case",
    ["times a leaf", "times each other", "times a reshaped leaf", "times an output", "both sides of a sum",
     "times a constant"],  # fmt: skip
)
def test_a_stored_gradient_shares_memory_with_nothing_else(case: str) -> None:
    """Where the chain rule's gradient is an array the code already has (``∂(W·X)/∂W = X`` with an
    upstream gradient of ones), ``.grad`` gets a copy, as the eager engine's does: ``W.grad.zero_()``
    must not zero ``X``."""
    rng = np.random.default_rng(2)
    W = Tensor(rng.normal(size=(3, 4)), requires_grad=True)
    V = Tensor(rng.normal(size=(3, 4)), requires_grad=True)
    X = Tensor(rng.normal(size=(3, 4)))
    h = Tensor(rng.normal(size=(3, 4)))
    fns = {
        "times a leaf": lambda: (W * X).sum(),
        "times each other": lambda: (W * V).sum(),
        "times a reshaped leaf": lambda: (W.reshape(12) * X.reshape(12)).sum(),
        "times an output": lambda: ((W * (t := X * 2.0)).sum(), t),
        "both sides of a sum": lambda: ((W + V) * (X * 2.0)).sum(),
        "times a constant": lambda: (W * h).sum(),
    }
    step = ag.compile(fns[case], check=True)
    for _ in range(2):
        W.grad = V.grad = None
        out = step()
        outs = out if isinstance(out, tuple) else (out,)
        others = {"X": X.data, "h": h.data, **{f"output {i}": o.data for i, o in enumerate(outs)}}
        assert _holders([W, V], others) == []
    W.grad.zero_()  # (as zero_grad(set_to_none=False) does)
    assert np.abs(X.data).min() > 0 and np.abs(h.data).min() > 0 and np.abs(V.data).min() > 0
