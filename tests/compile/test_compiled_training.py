"""Training with compiled steps: every optimizer, a schedule, clipping and a checkpoint see the same
``.grad`` and ``.data`` as with ``loss.backward()``, so the parameters after many steps are the
eager ones, bit for bit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import autograd as ag
import optimizers as O
from autograd import Tensor, Value
from autograd.nn import MLP

OPTIMIZERS = {
    "SGD": lambda p: O.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
    "Adagrad": lambda p: O.Adagrad(p, lr=0.1),
    "RMSprop": lambda p: O.RMSprop(p, lr=0.01, momentum=0.5, centered=True),
    "Adam": lambda p: O.Adam(p, lr=0.01, amsgrad=True),
    "AdamW": lambda p: O.AdamW(p, lr=0.01),
    "Adamax": lambda p: O.Adamax(p, lr=0.01),
    "NAdam": lambda p: O.NAdam(p, lr=0.01),
    "RAdam": lambda p: O.RAdam(p, lr=0.01),
    "Adadelta": lambda p: O.Adadelta(p, lr=1.0),
    "Rprop": lambda p: O.Rprop(p, lr=0.01),
    "ASGD": lambda p: O.ASGD(p, lr=0.01),
    "Adafactor": lambda p: O.Adafactor(p, lr=0.01),
    "Lion": lambda p: O.Lion(p, lr=0.001),
    "LBFGS": lambda p: O.LBFGS(p, lr=0.5, max_iter=3, history_size=3),
}


def _model(seed: int = 0, dtype: Any = np.float32) -> list[Tensor]:
    rng = np.random.default_rng(seed)
    return [
        Tensor(rng.normal(size=s).astype(dtype), requires_grad=True) for s in ((3, 6), (6,), (6, 2), (2,))
    ]


DATA = np.random.default_rng(1)
X = Tensor(DATA.normal(size=(16, 3)).astype(np.float32))
LABELS = DATA.integers(0, 2, 16)
ROWS = np.arange(16)


def _loss(params: list[Tensor]) -> Tensor:
    W1, b1, W2, b2 = params
    logits = (X @ W1 + b1).relu() @ W2 + b2
    return -logits.log_softmax(-1)[ROWS, LABELS].mean()


def _train(params: list[Tensor], make: Any, step: Any, n: int) -> list[float]:
    opt = make(params)
    losses = []
    for _ in range(n):
        if isinstance(opt, O.LBFGS):

            def closure() -> Any:
                opt.zero_grad()
                return step()

            losses.append(float(opt.step(closure)))
        else:
            opt.zero_grad()
            losses.append(float(step()))
            opt.step()
    return losses


def _eager_step(params: list[Tensor]) -> Any:
    def step() -> Tensor:
        loss = _loss(params)
        loss.backward()
        return loss

    return step


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_optimizer_steps_the_same_parameters(name: str) -> None:
    eager, compiled = _model(), _model()
    want = _train(eager, OPTIMIZERS[name], _eager_step(eager), 6)
    step = ag.compile(lambda: _loss(compiled))
    got = _train(compiled, OPTIMIZERS[name], step, 6)
    assert got == want
    for p, q in zip(compiled, eager):
        assert p.data.tobytes() == q.data.tobytes()
    assert step.trace_count == 1


def test_a_schedule_and_clipping_work_unchanged() -> None:
    runs = []
    for compiled in (False, True):
        params = _model(3)
        opt = O.SGD(params, lr=0.5)
        sched = O.StepLR(opt, step_size=2, gamma=0.5)
        step = ag.compile(lambda p=params: _loss(p)) if compiled else _eager_step(params)
        for _ in range(6):
            opt.zero_grad()
            step()
            O.clip_grad_norm(params, 0.1)  # (in place on .grad: compiled gradients are owned arrays)
            opt.step()
            sched.step()
        runs.append(b"".join(p.data.tobytes() for p in params))
    assert runs[0] == runs[1]


def test_a_checkpoint_saved_and_resumed_between_compiled_steps(tmp_path: Path) -> None:
    params = _model(5)
    opt = O.Adam(params, lr=0.01)
    step = ag.compile(lambda: _loss(params))
    _train_with(opt, step, 3)
    O.save_checkpoint(tmp_path / "ckpt.npz", params, opt, epoch=3)
    after = _train_with(opt, step, 4)
    final = [p.data.copy() for p in params]
    O.load_checkpoint(tmp_path / "ckpt.npz", params, opt)  # in place: the compiled step reads it
    again = _train_with(opt, step, 4)
    assert again == after
    assert all(p.data.tobytes() == q.tobytes() for p, q in zip(params, final))
    fresh, fresh_opt = _model(9), None
    fresh_opt = O.Adam(fresh, lr=0.01)
    O.load_checkpoint(tmp_path / "ckpt.npz", fresh, fresh_opt)  # into other objects, a new compiled step
    assert _train_with(fresh_opt, ag.compile(lambda: _loss(fresh)), 4) == after
    assert step.trace_count == 1


def _train_with(opt: Any, step: Any, n: int) -> list[float]:
    losses = []
    for _ in range(n):
        opt.zero_grad()
        losses.append(float(step()))
        opt.step()
    return losses


def test_micrograd_style_values_train_the_same() -> None:
    import random

    data = [([0.5, -1.0], 1.0), ([-0.3, 0.8], -1.0), ([1.2, 0.1], 1.0), ([-1.5, -0.4], -1.0)]
    runs = []
    for compiled in (False, True):
        random.seed(4)
        model = MLP(2, [4, 4, 1])

        def loss(model: MLP = model) -> Value:
            scores = [model([Value(x) for x in xs]) for xs, _ in data]
            hinge = [(1 + -y * s).relu() for (_, y), s in zip(data, scores)]
            return sum(hinge) * (1.0 / len(hinge)) + 1e-4 * sum(p * p for p in model.parameters())

        step = ag.compile(loss) if compiled else None
        for k in range(5):
            model.zero_grad()
            if compiled:
                total = step()
            else:
                total = loss()
                total.backward()
            for p in model.parameters():
                p.data -= (1.0 - 0.9 * k / 100) * p.grad
        runs.append([p.data for p in model.parameters()] + [total.data])
    assert runs[0] == runs[1]


def test_float64_and_float32_parameters() -> None:
    for dtype in (np.float32, np.float64):
        eager, compiled = _model(7, dtype), _model(7, dtype)
        x = Tensor(X.data.astype(dtype))

        def loss(params: list[Tensor], x: Tensor = x) -> Tensor:
            W1, b1, W2, b2 = params
            return (((x @ W1 + b1).sigmoid() @ W2 + b2) ** 2).mean()

        loss(eager).backward()
        ag.compile(lambda compiled=compiled: loss(compiled))()
        for p, q in zip(compiled, eager):
            assert p.grad.dtype == dtype and p.grad.numpy().tobytes() == q.grad.numpy().tobytes()
