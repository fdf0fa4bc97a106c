"""Masks are computed at every call of a compiled step: comparisons, ``where``, ``detach``, the
rounding ops and the masks the library makes from the numbers (the activations' pieces, norms,
clamped logarithms) are graph operations no gradient passes through, recorded while tracing.
Before, each was computed once at the trace and kept: a LeakyReLU network gave the first batch's
slopes to every later batch. Each case runs on new inputs, against the eager engine bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import autograd.nn.functional as F
from autograd import Tensor, nn

torch = pytest.importorskip("torch")
RNG = np.random.default_rng(21)


def _same_on_new_inputs(fn, shapes, calls=4, scale=3.0):
    """``fn``'s value and gradients, compiled and eager, on ``calls`` new inputs: equal bits."""
    step = autograd.compile(fn)
    for _ in range(calls):
        arrays = [RNG.normal(size=s) * scale for s in shapes]
        got_in = [Tensor(a, requires_grad=True) for a in arrays]
        want_in = [Tensor(a, requires_grad=True) for a in arrays]
        got = step(*got_in)
        want = fn(*want_in)
        want.backward()
        assert got.data.tobytes() == want.data.tobytes()
        for g, w in zip(got_in, want_in):
            assert g.grad.data.tobytes() == w.grad.data.tobytes()
    assert step.trace_count == 1


ACTIVATIONS = {
    "leaky_relu": lambda x: F.leaky_relu(x, 0.1),
    "elu": F.elu,
    "celu": lambda x: F.celu(x, 0.7),
    "selu": F.selu,
    "hardtanh": lambda x: F.hardtanh(x, -1.5, 2.0),
    "relu6": F.relu6,
    "hardsigmoid": F.hardsigmoid,
    "hardswish": F.hardswish,
    "threshold": lambda x: F.threshold(x, 0.3, -2.0),
    "softplus": lambda x: F.softplus(x, beta=2.0, threshold=3.0),
    "nn.LeakyReLU": nn.LeakyReLU(0.2),
    "nn.ELU": nn.ELU(),
}


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_each_piecewise_activation_selects_by_each_calls_numbers(name):
    act = ACTIVATIONS[name]
    _same_on_new_inputs(lambda x, w: act(x @ w).sum(), [(6, 3), (3, 4)])


def test_a_leaky_relu_network_trains_compiled_as_eager():
    def make():
        rng = np.random.default_rng(0)
        model = nn.Sequential(nn.Linear(3, 8), nn.LeakyReLU(0.1), nn.Linear(8, 1))
        for p in model.parameters():
            p.data[...] = rng.normal(size=p.shape)
        return model

    eager, compiled = make(), make()
    step = autograd.compile(lambda x, y: F.mse_loss(compiled(x), y))
    for _ in range(5):
        x, y = Tensor(RNG.normal(size=(16, 3))), Tensor(RNG.normal(size=(16, 1)))
        got = step(x, y).item()
        want = F.mse_loss(eager(x), y)
        want.backward()
        assert got == want.item()
        for a, b in zip(compiled.parameters(), eager.parameters()):
            assert a.grad.data.tobytes() == b.grad.data.tobytes()
            a.data -= 0.01 * a.grad.data
            b.data -= 0.01 * b.grad.data
            a.grad = b.grad = None


def test_torch_style_where_and_masks_in_user_code():
    def f(x, w):
        z = x @ w
        leaky = autograd.where(z > 0, z, 0.1 * z)
        band = ((z > -1) & (z < 1)) | (z == 0)
        return (leaky * band + z.masked_fill(z < -2, 0.0) + z * z.sign() + z.floor()).sum()

    _same_on_new_inputs(f, [(5, 3), (3, 4)])


def test_detach_and_the_rounding_ops_are_replayed():
    def f(x, w):
        z = x @ w
        target = (z * 2.0).detach()  # (held fixed: no gradient, but the new call's numbers)
        return ((z - target) ** 2).mean() + (z * (z // 0.5)).sum() + (z * z.round()).sum()

    _same_on_new_inputs(f, [(5, 3), (3, 4)])


@pytest.mark.parametrize(
    "loss",
    [
        lambda p, t: F.huber_loss(p, t, delta=0.5),
        lambda p, t: F.smooth_l1_loss(p, t, beta=0.7),
        lambda p, t: F.binary_cross_entropy(p.sigmoid(), t.sigmoid()),
        lambda p, t: F.kl_div(p.log_softmax(1), t.softmax(1), reduction="batchmean"),
        lambda p, t: F.cosine_similarity(p, t).sum(),
        lambda p, t: autograd.linalg.vector_norm(p - t, 1, dim=1).sum(),
        lambda p, t: (p - t).std(),
        lambda p, t: F.normalize(p - t).sum(),
    ],
    ids=["huber", "smooth_l1", "bce", "kl_div", "cosine_similarity", "vector_norm", "std", "normalize"],
)
def test_the_losses_and_norms_masks_follow_each_call(loss):
    _same_on_new_inputs(loss, [(5, 3), (5, 3)], scale=1.0)


def test_comparisons_with_a_python_number_use_the_tensors_dtype_as_torch():
    x = np.array([0.1, 0.2, 0.3], dtype=np.float32)
    for op in ("__gt__", "__ge__", "__lt__", "__le__", "__eq__", "__ne__"):
        got = getattr(Tensor(x, dtype=np.float32), op)(0.1).data
        want = getattr(torch.tensor(x), op)(0.1).numpy()
        np.testing.assert_array_equal(got, want)
    assert not (Tensor(x, dtype=np.float32) > 0.1).requires_grad


def test_a_mask_read_from_the_data_is_the_traces_and_check_catches_it():
    """What the library no longer does, and what a user's own ``.data`` mask still does: the trace
    keeps that mask (as jax.jit keeps a Python branch); ``check=True`` names the difference."""

    def f(x):
        return x.where(x.data > 0, 0.1 * x).sum()  # (the mask read from the numbers)

    step = autograd.compile(f, check=True)
    step(Tensor(np.array([1.0, -1.0]), requires_grad=True))
    with pytest.raises(autograd.compiled.CheckError, match="differs"):
        step(Tensor(np.array([-1.0, 1.0]), requires_grad=True))


def test_an_attention_mask_given_as_a_tensor_is_read_at_every_call():
    q, k, v = (Tensor(RNG.normal(size=(2, 3, 4)), requires_grad=True) for _ in range(3))
    step = autograd.compile(lambda m: F.scaled_dot_product_attention(q, k, v, attn_mask=m).sum())
    for mask in (RNG.random((3, 3)) > 0.4, np.zeros((3, 3), bool), np.eye(3, dtype=bool)):
        got = step(autograd.tensor(mask)).item()
        grads = [t.grad.data.copy() for t in (q, k, v)]
        for t in (q, k, v):
            t.grad = None
        want = F.scaled_dot_product_attention(q, k, v, attn_mask=autograd.tensor(mask)).sum()
        want.backward()
        assert got == want.item() or (np.isnan(got) and np.isnan(want.item()))
        for g, t in zip(grads, (q, k, v)):
            assert g.tobytes() == t.grad.data.tobytes()
            t.grad = None
    assert step.trace_count == 1


def test_one_hot_of_tensor_labels_is_made_at_every_call():
    w = Tensor(RNG.normal(size=(4, 3)), requires_grad=True)
    step = autograd.compile(lambda x, y: ((x @ w - F.one_hot(y, 3)) ** 2).mean())
    for _ in range(3):
        x, y = Tensor(RNG.normal(size=(5, 4))), autograd.tensor(RNG.integers(0, 3, 5))
        assert step(x, y).item() == ((x @ w - F.one_hot(y, 3)) ** 2).mean().item()
    assert step.trace_count == 1


def test_what_the_function_computes_under_no_grad_is_computed_at_every_call():
    """A teacher's outputs, a target network's values: no gradient passes through them, but they
    are the new call's numbers (a trace kept them as constants before)."""
    student, teacher = nn.Linear(3, 2), nn.Linear(3, 2)

    def loss(x):
        with autograd.no_grad():
            target = teacher(x).softmax(-1)
            bootstrap = student(x).max(-1)  # (from the trained parameters, held fixed)
        return F.kl_div(student(x).log_softmax(-1), target, reduction="batchmean") + bootstrap.mean()

    step = autograd.compile(loss)
    for _ in range(4):
        x = Tensor(RNG.normal(size=(6, 3)))
        got = step(x).item()
        grads = [p.grad.data.copy() for p in student.parameters()]
        student.zero_grad()
        want = loss(x)
        want.backward()
        assert got == want.item()
        for g, p in zip(grads, student.parameters()):
            assert g.tobytes() == p.grad.data.tobytes()
        student.zero_grad()
        assert teacher.weight.grad is None
    assert step.trace_count == 1
