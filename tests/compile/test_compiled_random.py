"""Dropout in compiled steps: each mask is a random node the generated code draws at every call,
in the order the eager run drew them, from the library's generator (torch's stream). After the
same seed, a compiled training run gives the eager run's masks, losses and gradients bit for
bit, and torch's own numbers; the generator ends where eager leaves it. Draws the trace cannot
repeat (``randn`` in the function, Python's ``random``) are still refused."""

from __future__ import annotations

import random

import numpy as np
import pytest

import autograd
import autograd.nn.functional as F
from autograd import Tensor
from autograd.compiled import CompileError

torch = pytest.importorskip("torch")
DATA = np.random.default_rng(4)
BATCHES = [(DATA.normal(size=(8, 4)), DATA.integers(0, 3, 8)) for _ in range(4)]


def _model(lib):
    return lib.nn.Sequential(
        lib.nn.Linear(4, 16), lib.nn.ReLU(), lib.nn.Dropout(0.3), lib.nn.Linear(16, 16), lib.nn.Dropout(0.5),
        lib.nn.Linear(16, 3),
    )  # fmt: skip


def _train(compiled: bool, check: bool = False) -> tuple[list[float], list[np.ndarray], np.ndarray]:
    autograd.manual_seed(0)
    model = _model(autograd)
    opt = autograd.optim.SGD(model.parameters(), lr=0.1)

    def loss_fn(x, y):
        return F.cross_entropy(model(x), y)

    step = autograd.compile(loss_fn, check=check) if compiled else None
    losses, grads = [], []
    for x, y in BATCHES:
        x, y = autograd.tensor(x), autograd.tensor(y)
        opt.zero_grad()
        if step is None:
            loss = loss_fn(x, y)
            loss.backward()
        else:
            loss = step(x, y)
        losses.append(loss.item())
        grads.append(model[0].weight.grad.data.copy())
        opt.step()
    if step is not None:
        assert step.trace_count == 1
    return losses, grads, autograd.rand(3).data  # (where the stream stands afterwards)


@pytest.mark.parametrize("check", [False, True])
def test_a_compiled_dropout_network_draws_the_eager_masks(check):
    eager, compiled = _train(False), _train(True, check)
    assert compiled[0] == eager[0]
    for a, b in zip(compiled[1], eager[1]):
        assert a.tobytes() == b.tobytes()
    assert compiled[2].tobytes() == eager[2].tobytes()


def test_and_torchs_numbers_after_the_same_seed():
    ours = _train(True)[0]
    torch.manual_seed(0)
    model = _model(torch).double()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    theirs = []
    for x, y in BATCHES:
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(torch.tensor(x)), torch.tensor(y))
        loss.backward()
        opt.step()
        theirs.append(loss.item())
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)  # (float32 weights drawn, trained in float64)


def test_branches_draw_in_the_eager_order():
    w = Tensor(DATA.normal(size=(4, 4)), requires_grad=True)

    def f(x):
        a = F.dropout(x @ w, 0.5)  # (two masks the graph does not order: a's is drawn first)
        b = F.dropout(x, 0.5) @ w
        return (a * b).sum()

    x, results = Tensor(DATA.normal(size=(3, 4))), []
    for compiled in (False, True):
        autograd.manual_seed(3)
        step = autograd.compile(f) if compiled else None
        results.append([(step(x) if step else f(x)).item() for _ in range(3)])
    assert results[0] == results[1]


def test_eval_mode_draws_nothing_and_switching_back_draws_again():
    autograd.manual_seed(1)
    model = _model(autograd)
    step = autograd.compile(lambda x: model(x).sum())
    x = autograd.tensor(BATCHES[0][0])
    model.eval()
    state = autograd.get_rng_state()
    step(x)
    assert autograd.get_rng_state().data.tobytes() == state.data.tobytes()
    model.train()
    step(x)
    assert autograd.get_rng_state().data.tobytes() != state.data.tobytes()
    assert step.trace_count == 2


def test_draws_the_trace_cannot_repeat_are_refused():
    w = Tensor(np.ones(3), requires_grad=True)
    for draw in (lambda: autograd.randn(3), lambda: Tensor(np.full(3, random.random()))):
        with pytest.raises(CompileError, match="drew random numbers"):
            autograd.compile(lambda d=draw: (w * d()).sum())()
    g = autograd.Generator().manual_seed(0)  # (a generator of its own: the trace cannot watch it)
    for draw in (
        lambda: autograd.randn(3, generator=g),
        lambda: autograd.nn.init.normal_(Tensor(np.ones(3)), generator=g),
    ):
        with pytest.raises(CompileError, match="generator of its own"):
            autograd.compile(lambda d=draw: (w * d()).sum())()


def test_a_step_that_does_not_take_back_the_traces_draws_is_caught(monkeypatch):
    """Without the generator set back after the trace, the generated code's draws are not the
    trace's: the check of every replayed line against the trace refuses it."""
    monkeypatch.setattr(autograd.random_state.Generator, "set_state", lambda self, state: self)
    with pytest.raises(CompileError, match="other numbers than the trace"):
        _train(True)
