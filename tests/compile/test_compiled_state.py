"""Compiled steps that update state or depend on a mode: batch norm's running statistics in
training (an effect the generated code repeats at every call), ``train()``/``eval()`` (a watched
attribute: the step traces once per mode and keeps both), and integer labels given as a Tensor
(read at every call, guarded: a batch whose labels the trace's path does not fit traces again).
Each is compared bit for bit with the eager engine, and the training runs with torch."""

from __future__ import annotations

import re

import numpy as np
import pytest

import autograd
import autograd.nn.functional as F
import optimizers
from autograd import Tensor, nn
from autograd.compiled import CompileError, program

torch = pytest.importorskip("torch")
RNG = np.random.default_rng(11)
BATCHES = [
    (Tensor(RNG.normal(size=(6, 1, 6, 6))), autograd.tensor(RNG.integers(0, 3, 6))) for _ in range(5)
]


def _model(momentum: float | None = 0.1) -> nn.Module:
    model = nn.Sequential(
        nn.Conv2d(1, 2, 3),
        nn.BatchNorm2d(2),
        nn.ReLU(),
        nn.Flatten(),
        nn.Linear(2 * 4 * 4, 3),
        nn.BatchNorm1d(3, momentum=momentum),
    )
    rng = np.random.default_rng(5)
    for p in model.parameters():
        p.data[...] = rng.normal(size=p.shape) * 0.5
    return model


def _train(model: nn.Module, step, batches=BATCHES) -> list[float]:
    opt = optimizers.SGD(model.parameters(), lr=0.1, momentum=0.9)
    losses = []
    for x, y in batches:
        opt.zero_grad()
        losses.append(step(x, y).item())
        opt.step()
    return losses


def _eager_step(model: nn.Module):
    def step(x, y):
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        return loss

    return step


def _state(model: nn.Module) -> dict[str, np.ndarray]:
    return {k: np.array(v) for k, v in model.state_dict().items()}


@pytest.mark.parametrize("momentum", [0.1, None])
def test_a_compiled_training_step_updates_the_running_statistics_as_eager_does(momentum):
    eager, compiled = _model(momentum), _model(momentum)
    step = autograd.compile(lambda x, y: F.cross_entropy(compiled(x), y))
    assert _train(compiled, step) == _train(eager, _eager_step(eager))
    assert step.trace_count == 1
    want, got = _state(eager), _state(compiled)
    for key in want:
        np.testing.assert_array_equal(got[key], want[key], err_msg=key)
    assert int(got["1.num_batches_tracked"]) == len(BATCHES)
    assert "running statistics" in step.source
    assert re.search(r"update\w*\(t\d+, t\d+\)", step.source)


def test_the_compiled_training_matches_torch():
    ours = _model(None)
    theirs = torch.nn.Sequential(
        torch.nn.Conv2d(1, 2, 3),
        torch.nn.BatchNorm2d(2),
        torch.nn.ReLU(),
        torch.nn.Flatten(),
        torch.nn.Linear(2 * 4 * 4, 3),
        torch.nn.BatchNorm1d(3, momentum=None),
    ).double()
    theirs.load_state_dict({k: torch.tensor(v) for k, v in _state(ours).items()})
    step = autograd.compile(lambda x, y: F.cross_entropy(ours(x), y))
    got = _train(ours, step)
    opt = torch.optim.SGD(theirs.parameters(), lr=0.1, momentum=0.9)
    want = []
    for x, y in BATCHES:
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(theirs(torch.tensor(x.data)), torch.tensor(y.data))
        loss.backward()
        opt.step()
        want.append(loss.item())
    np.testing.assert_allclose(got, want, rtol=1e-12)
    for key, value in theirs.state_dict().items():
        np.testing.assert_allclose(_state(ours)[key], value.numpy(), rtol=1e-10, atol=1e-12, err_msg=key)


def test_check_mode_runs_the_update_once():
    eager, checked = _model(None), _model(None)
    step = autograd.compile(lambda x, y: F.cross_entropy(checked(x), y), check=True)
    assert _train(checked, step) == _train(eager, _eager_step(eager))
    want, got = _state(eager), _state(checked)
    for key in want:
        np.testing.assert_array_equal(got[key], want[key], err_msg=key)


def test_a_step_that_drops_the_update_is_caught(monkeypatch):
    monkeypatch.setattr(program, "_effects", lambda code, tcode, vcode, effects: [])
    model = _model()
    step = autograd.compile(lambda x, y: F.cross_entropy(model(x), y), check=True)
    with pytest.raises(autograd.compiled.CheckError, match="updated in place"):
        step(*BATCHES[0])


def test_train_and_eval_each_trace_once_and_are_kept():
    eager, compiled = _model(), _model()
    step = autograd.compile(lambda x, y: F.cross_entropy(compiled(x), y))
    eager_step = _eager_step(eager)
    for _epoch in range(3):
        for model in (eager, compiled):
            model.train()
        assert _train(compiled, step, BATCHES[:2]) == _train(eager, eager_step, BATCHES[:2])
        for model in (eager, compiled):
            model.eval()
        x, y = BATCHES[4]
        with autograd.no_grad():
            assert step(x, y).item() == F.cross_entropy(eager(x), y).item()
        np.testing.assert_array_equal(_state(compiled)["1.running_mean"], _state(eager)["1.running_mean"])
    assert step.trace_count == 2


def test_no_grad_in_training_mode_still_updates_the_statistics():
    eager, compiled = _model(), _model()
    step = autograd.compile(lambda x: compiled(x).sum())
    with autograd.no_grad():
        step(BATCHES[0][0])
        eager(BATCHES[0][0])
    for key, value in _state(eager).items():
        np.testing.assert_array_equal(_state(compiled)[key], value, err_msg=key)


def test_hvp_refuses_a_function_that_updates_state():
    bn = nn.BatchNorm1d(2)

    x = Tensor(RNG.normal(size=(4, 2)))
    f = autograd.compile(lambda w: bn(x * w).square().sum())
    with pytest.raises(CompileError, match="running statistics"):
        autograd.hvp(f, Tensor(np.ones(2)), Tensor(np.ones(2)))


# ---------------------------------------------------------------- labels given as a Tensor
def _linear():
    model = nn.Linear(4, 3)
    model.weight.data[...] = RNG.normal(size=(3, 4))
    return model


def test_tensor_labels_are_read_at_every_call():
    model = _linear()
    step = autograd.compile(lambda x, y: F.cross_entropy(model(x), y))
    for _ in range(4):
        x, y = Tensor(RNG.normal(size=(5, 4))), autograd.tensor(RNG.integers(0, 3, 5))
        got = step(x, y)
        grad = model.weight.grad.data.copy()
        model.zero_grad()
        want = F.cross_entropy(model(x), y)
        want.backward()
        assert got.item() == want.item()
        np.testing.assert_array_equal(grad, model.weight.grad.data)
        model.zero_grad()
    assert step.trace_count == 1
    assert "if not holds(y):" in step.source


def test_labels_out_of_range_or_ignored_trace_again():
    model = _linear()
    step = autograd.compile(lambda x, y: F.cross_entropy(model(x), y))
    x = Tensor(RNG.normal(size=(5, 4)))
    step(x, autograd.tensor([0, 1, 2, 0, 1]))
    with pytest.raises(ValueError, match=r"class labels in \[0, 2\]"):
        step(x, autograd.tensor([0, 1, 3, 0, 1]))
    ignored = autograd.tensor([0, -100, 2, 0, 1])
    got = step(x, ignored).item()
    assert got == F.cross_entropy(model(x), ignored).item()


def test_a_tensor_argument_whose_numbers_the_trace_copied_is_keyed_by_value():
    model = _linear()
    step = autograd.compile(lambda x, t: (model(x) - Tensor(t.data * 2.0)).square().mean())
    x = Tensor(RNG.normal(size=(5, 4)))
    for k in range(3):
        t = Tensor(np.full((5, 3), float(k)))
        assert step(x, t).item() == (model(x) - Tensor(t.data * 2.0)).square().mean().item()
    assert step.trace_count == 3


# ---------------------------------------------------------------- captured Tensors without grad
def test_a_captured_tensor_without_grad_is_read_at_every_call_through_its_ops():
    w = Tensor(np.array([1.0, -2.0, 0.5]), requires_grad=True)
    scale = Tensor(np.ones(3))  # (a buffer: no grad, changed in place between calls)
    step = autograd.compile(lambda: (w * scale.exp().reshape(3)).sum())
    for k in range(3):
        scale.data[...] = float(k)
        got = step().item()
        assert got == (w * scale.exp().reshape(3)).sum().item()
        np.testing.assert_array_equal(w.grad.data, np.exp(np.full(3, float(k))))
        w.grad = None
    assert step.trace_count == 1


def test_a_tensor_the_function_computed_written_in_place_is_refused_while_tracing():
    """The trace cannot replay the write: the tensor would become a constant of the trace, and a
    later call with another ``w`` would silently read the trace's mask (2.5 where eager gives 5.0)."""
    w = Tensor(np.array([1.0, -2.0, 0.5]), requires_grad=True)

    def f():
        mask = (w.detach() > 0).float()
        assert mask.is_leaf and mask.grad_fn is None  # (eager: a leaf, as in torch)
        mask[0] = 3.0
        return (w * mask).sum()

    assert f().item() == 3.5
    with pytest.raises(CompileError, match=r"setitem \(x\[i\] = v\) writes in place into a tensor"):
        autograd.compile(f)()


# ---------------------------------------------------------------- every loss's target, new each call
def _targets(kind: str, rng: np.random.Generator) -> Tensor:
    if kind == "labels":
        return autograd.tensor(rng.integers(0, 3, 5))
    if kind == "float labels":
        return Tensor(rng.integers(0, 3, 5).astype(np.float64))
    if kind == "probabilities":
        p = rng.random((5, 3))
        return Tensor(p / p.sum(1, keepdims=True))
    if kind == "unit":
        return Tensor(rng.random((5, 3)))
    if kind == "signs":
        return Tensor(rng.choice([-1.0, 1.0], (5, 3)))
    if kind == "index lists":  # class indices padded with -1 (repeats, and numbers after the -1)
        return autograd.tensor(np.sort(rng.integers(-1, 3, (5, 3)), axis=1)[:, ::-1].copy())
    if kind == "0/1":
        return Tensor(rng.integers(0, 2, (5, 3)).astype(np.float64))
    return Tensor(rng.normal(size=(5, 3)))


LOSSES = [
    ("cross_entropy", "labels", lambda out, t: F.cross_entropy(out, t)),
    ("cross_entropy (float labels)", "float labels", lambda out, t: F.cross_entropy(out, t.long())),
    ("cross_entropy (probabilities)", "probabilities", lambda out, t: F.cross_entropy(out, t)),
    ("cross_entropy (smoothing, weight)", "labels",
     lambda out, t: F.cross_entropy(out, t, label_smoothing=0.1, weight=Tensor(np.array([1.0, 2.0, 0.5])))),
    ("nll_loss", "labels", lambda out, t: F.nll_loss(out.log_softmax(1), t)),
    ("mse_loss", "normal", F.mse_loss),
    ("l1_loss", "normal", F.l1_loss),
    ("huber_loss", "normal", F.huber_loss),
    ("smooth_l1_loss", "normal", F.smooth_l1_loss),
    ("binary_cross_entropy", "unit", lambda out, t: F.binary_cross_entropy(out.sigmoid(), t)),
    ("binary_cross_entropy_with_logits", "unit", F.binary_cross_entropy_with_logits),
    ("kl_div", "probabilities", lambda out, t: F.kl_div(out.log_softmax(1), t, reduction="batchmean")),
    ("soft_margin_loss", "signs", F.soft_margin_loss),
    ("hinge_embedding_loss", "signs", F.hinge_embedding_loss),
    ("poisson_nll_loss", "unit", F.poisson_nll_loss),
    ("gaussian_nll_loss", "normal", lambda out, t: F.gaussian_nll_loss(out, t, out.exp())),
    ("multi_margin_loss", "labels", F.multi_margin_loss),
    ("multi_margin_loss (p=2, margin, weight)", "labels",
     lambda out, t: F.multi_margin_loss(out, t, p=2, margin=0.5, weight=Tensor(np.array([1.0, 2.0, 0.5])))),
    ("multilabel_margin_loss", "index lists", F.multilabel_margin_loss),
    ("multilabel_soft_margin_loss", "0/1",
     lambda out, t: F.multilabel_soft_margin_loss(out, t, weight=Tensor(np.array([1.0, 2.0, 0.5])))),
]  # fmt: skip


@pytest.mark.parametrize("name,kind,loss", LOSSES, ids=[n for n, _, _ in LOSSES])
def test_a_new_target_at_every_call_gives_the_eager_numbers(name, kind, loss):
    """The bug class of Tensor labels read once at the trace: each loss's target is an argument
    that changes at every call; the compiled step must give the eager loss and gradients."""
    model = _linear()
    step = autograd.compile(lambda x, t: loss(model(x), t))
    rng = np.random.default_rng(len(name))
    for _ in range(3):
        x, t = Tensor(rng.normal(size=(5, 4))), _targets(kind, rng)
        got = step(x, t).item()
        grads = [p.grad.data.copy() for p in model.parameters()]
        model.zero_grad()
        want = loss(model(x), t)
        want.backward()
        assert got == want.item()
        for g, p in zip(grads, model.parameters()):
            np.testing.assert_array_equal(g, p.grad.data)
        model.zero_grad()


def test_float_labels_trace_at_every_batch_and_the_warning_says_why():
    model = _linear()
    step = autograd.compile(lambda x, y: F.cross_entropy(model(x), y))
    x = Tensor(RNG.normal(size=(5, 4)))
    with pytest.warns(RuntimeWarning, match=r"traced 8 times.*numbers of y are copied.*int64 labels"):
        for k in range(8):
            y = Tensor(np.array([k % 3, k // 3, 0, 1, 2], dtype=np.float64))  # (floats: copied)
            assert step(x, y).item() == F.cross_entropy(model(x), y).item()
    assert step.trace_count == 8
