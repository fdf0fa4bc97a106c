"""``retain_grad()`` as torch 2.13's: a marked computed tensor's ``.grad`` accumulates over backward
passes (``backward``, ``retain_graph``, ``create_graph``, ``inputs=``, ``autograd.grad``) and owns
its memory, so an in-place edit of one gradient never changes another's (``a + b`` hands both
the same array). Each scenario runs on both libraries, float64, and every marked tensor's
gradient is compared after every step (to a few ulps: the two engines add several paths'
gradients in different orders).
"""

from __future__ import annotations

import gc
import itertools
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import autograd
from autograd import _retained

torch = pytest.importorskip("torch")

X0 = np.array([0.5, -1.25, 2.0])


def graph(lib: Any) -> dict[str, Any]:
    """A leaf, and computed tensors that share gradients: ``a + b`` gives both one array."""
    x = lib.tensor(X0, requires_grad=True)
    a = x * 2.0
    b = x.exp()
    s = a + b
    m = s * a
    loss = (m.sum() + s.sum()) * 1.5
    return {"x": x, "a": a, "b": b, "s": s, "m": m, "loss": loss}


def grads(t: dict[str, Any], names: str) -> list[Any]:
    return [None if t[k].grad is None else np.array(t[k].grad.detach().numpy() if hasattr(t[k].grad, "detach")
            and not isinstance(t[k].grad, autograd.Tensor) else t[k].grad.data) for k in names]  # fmt: skip


def backward(t: dict[str, Any], lib: Any) -> None:
    t["loss"].backward(retain_graph=True)


def backward_create(t: dict[str, Any], lib: Any) -> None:
    t["loss"].backward(create_graph=True)


def backward_inputs_leaf(t: dict[str, Any], lib: Any) -> None:
    t["loss"].backward(inputs=[t["x"]], retain_graph=True)


def backward_inputs_marked(t: dict[str, Any], lib: Any) -> None:
    t["loss"].backward(inputs=[t["s"]], retain_graph=True)


def grad_of_leaf(t: dict[str, Any], lib: Any) -> None:
    lib.autograd.grad(t["loss"], t["x"], retain_graph=True)


def grad_of_marked(t: dict[str, Any], lib: Any) -> None:
    lib.autograd.grad(t["loss"], [t["a"], t["s"]], retain_graph=True)


def edit_in_place(t: dict[str, Any], lib: Any) -> None:
    with lib.no_grad():
        if t["a"].grad is not None:
            t["a"].grad.mul_(10.0)
        if t["s"].grad is not None:
            t["s"].grad.zero_()


def clear(t: dict[str, Any], lib: Any) -> None:
    t["b"].grad = None


STEPS: list[Callable[[dict[str, Any], Any], None]] = [
    backward, backward_create, backward_inputs_leaf, backward_inputs_marked, grad_of_leaf, grad_of_marked,
    edit_in_place, clear,
]  # fmt: skip
SEQUENCES = [seq for seq in itertools.product(STEPS, repeat=3) if seq[0] is not clear]


def run(lib: Any, marked: str, steps: tuple) -> list[list[Any]]:
    t = graph(lib)
    for k in marked:
        t[k].retain_grad()
    seen = []
    for step in steps:
        step(t, lib)
        seen.append(grads(t, marked + "x"))
    return seen


@pytest.mark.parametrize("steps", SEQUENCES[::3], ids=lambda s: "-".join(f.__name__ for f in s))
def test_marked_gradients_equal_torchs_after_every_step(steps: tuple) -> None:
    ours, theirs = run(autograd, "absm", steps), run(torch, "absm", steps)
    for i, (o, t) in enumerate(zip(ours, theirs)):
        for name, go, gt in zip("absmx", o, t):
            if gt is None:
                assert go is None, (i, name)
            else:
                # (the summation order of several paths' gradients differs: a few ulps)
                where = f"step {i} ({steps[i].__name__}), {name}"
                np.testing.assert_allclose(go, gt, rtol=1e-14, err_msg=where)


def test_one_shared_array_is_copied_for_each_marked_tensor() -> None:
    t = graph(autograd)
    for k in "ab":
        t[k].retain_grad()
    t["loss"].backward()
    assert not np.shares_memory(t["a"].grad.data, t["b"].grad.data)
    t["a"].grad.zero_()
    assert (t["b"].grad.data != 0).all()


def test_retains_grad_and_errors() -> None:
    for lib in (autograd, torch):
        t = graph(lib)
        t["a"].retain_grad()
        t["x"].retain_grad()  # a leaf: nothing to do
        assert (t["a"].retains_grad, t["b"].retains_grad, t["x"].retains_grad) == (True, False, False)
        with pytest.raises(RuntimeError, match="can't retain_grad on Tensor that has requires_grad=False"):
            lib.tensor([1.0]).retain_grad()


def test_unmarked_computed_tensors_keep_the_last_pass_only() -> None:
    t = graph(autograd)
    t["loss"].backward(retain_graph=True)
    first = t["a"].grad.data.copy()
    t["loss"].backward()
    np.testing.assert_array_equal(t["a"].grad.data, first)  # (documented: test_known_differences)


def test_a_mark_does_not_keep_its_tensor_alive() -> None:
    t = graph(autograd)
    t["a"].retain_grad()
    ref = weakref.ref(t["a"])
    assert id(t["a"]) in _retained.MARKED
    key = id(t["a"])
    del t
    gc.collect()
    assert ref() is None and key not in _retained.MARKED
