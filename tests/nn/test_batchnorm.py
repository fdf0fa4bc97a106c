"""BatchNorm1d/2d, F.batch_norm and Module buffers against torch: training steps (values,
gradients, running statistics), evaluation, momentum None, the options, state dicts both ways,
second derivatives, dtype casts, compiled steps and bad input."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import autograd.nn.functional as F
from autograd import Tensor, nn

torch = pytest.importorskip("torch")
RNG = np.random.default_rng(3)


def _pair(cls: str, **options):
    ours = getattr(nn, cls)(3, **options)
    theirs = getattr(torch.nn, cls)(3, dtype=torch.float64, **options)
    if ours.weight is not None:
        ours.weight.data[...] = RNG.normal(size=3)
        theirs.weight.data[...] = torch.tensor(ours.weight.data)
    if ours.bias is not None:
        ours.bias.data[...] = RNG.normal(size=3)
        theirs.bias.data[...] = torch.tensor(ours.bias.data)
    return ours, theirs


CASES = [
    ("BatchNorm1d", (6, 3), {}),
    ("BatchNorm1d", (4, 3, 5), {"momentum": None}),
    ("BatchNorm2d", (4, 3, 5, 2), {"momentum": 0.3, "eps": 1e-3}),
    ("BatchNorm2d", (2, 3, 3, 3), {"affine": False}),
    ("BatchNorm1d", (5, 3), {"bias": False}),
    ("BatchNorm2d", (3, 3, 2, 2), {"track_running_stats": False}),
]


@pytest.mark.parametrize("cls,shape,options", CASES, ids=str)
def test_training_then_evaluation_as_torch(cls, shape, options):
    ours, theirs = _pair(cls, **options)
    assert repr(ours) == repr(theirs)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    for _ in range(3):
        x, g = RNG.normal(size=shape) * 2 + 1, RNG.normal(size=shape)
        a, t = Tensor(x.copy(), requires_grad=True), torch.tensor(x, requires_grad=True)
        out, want = ours(a), theirs(t)
        np.testing.assert_allclose(out.data, want.detach().numpy(), rtol=1e-12, atol=1e-12)
        (out * Tensor(g)).sum().backward()
        want.backward(torch.tensor(g))
        np.testing.assert_allclose(a.grad.data, t.grad.numpy(), rtol=1e-10, atol=1e-12)
        for p, q in zip(ours.parameters(), theirs.parameters()):
            np.testing.assert_allclose(p.grad.data, q.grad.numpy(), rtol=1e-10, atol=1e-12)
        ours.zero_grad()
        theirs.zero_grad()
    mine, torchs = ours.state_dict(), theirs.state_dict()
    assert list(mine) == list(torchs)
    for key in mine:
        np.testing.assert_allclose(mine[key], torchs[key].numpy(), rtol=1e-13, atol=1e-15)
        assert mine[key].dtype == torchs[key].numpy().dtype
    ours.eval()
    theirs.eval()
    x = RNG.normal(size=shape)
    np.testing.assert_allclose(
        ours(Tensor(x)).data, theirs(torch.tensor(x)).detach().numpy(), rtol=1e-12, atol=1e-12
    )


def test_state_dicts_load_both_ways_and_buffers_are_listed():
    ours, theirs = _pair("BatchNorm2d")
    theirs(torch.tensor(RNG.normal(size=(4, 3, 2, 2))))  # (torch's running statistics move)
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    assert int(ours.num_batches_tracked.data) == 1 and ours.num_batches_tracked.dtype == np.int64
    np.testing.assert_array_equal(ours.running_var.data, theirs.running_var.numpy())
    fresh = torch.nn.BatchNorm2d(3, dtype=torch.float64)
    fresh.load_state_dict({k: torch.tensor(v.numpy()) for k, v in ours.state_dict().items()})
    assert [n for n, _ in ours.named_buffers()] == ["running_mean", "running_var", "num_batches_tracked"]
    model = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    assert [n for n, _ in model.named_buffers()] == [
        "1.running_mean",
        "1.running_var",
        "1.num_batches_tracked",
    ]
    assert list(model.state_dict())[-3:] == ["1.running_mean", "1.running_var", "1.num_batches_tracked"]
    model.to(np.float32)
    assert model[1].running_mean.dtype == np.float32 and model[1].num_batches_tracked.dtype == np.int64


def test_register_buffer():
    class WithBuffers(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(Tensor(np.ones(2)))
            self.register_buffer("kept", Tensor(np.arange(2.0)))
            self.register_buffer("scratch", Tensor(np.zeros(2)), persistent=False)
            self.register_buffer("absent", None)

    m = WithBuffers()
    assert [n for n, _ in m.named_buffers()] == ["kept", "scratch"]
    assert list(m.state_dict()) == ["w", "kept"]
    assert [n for n, _ in m.named_parameters()] == ["w"]
    with pytest.raises(ValueError, match="nothing was loaded"):
        m.load_state_dict({"w": np.ones(2), "kept": np.ones(3)})
    np.testing.assert_array_equal(m.kept.data, [0.0, 1.0])  # (all or nothing)
    with pytest.raises(TypeError, match="a Tensor or None is required"):
        m.register_buffer("bad", np.ones(2))


@pytest.mark.parametrize("training", [True, False])
def test_functional_batch_norm_and_its_second_derivatives(training):
    x, g = RNG.normal(size=(5, 3, 4)), RNG.normal(size=(5, 3, 4))
    w, b = RNG.normal(size=3), RNG.normal(size=3)
    rm, rv = RNG.normal(size=3), RNG.uniform(0.5, 2, size=3)
    A = [Tensor(v.copy(), requires_grad=True) for v in (x, w, b)]
    T = [torch.tensor(v, requires_grad=True) for v in (x, w, b)]
    stats, tstats = [Tensor(rm.copy()), Tensor(rv.copy())], [torch.tensor(rm), torch.tensor(rv)]
    out = F.batch_norm(A[0], *stats, A[1], A[2], training=training, momentum=0.2)
    want = torch.nn.functional.batch_norm(T[0], *tstats, T[1], T[2], training=training, momentum=0.2)
    np.testing.assert_allclose(out.data, want.detach().numpy(), rtol=1e-12, atol=1e-12)
    for s, ts in zip(stats, tstats):
        np.testing.assert_allclose(s.data, ts.numpy(), rtol=1e-14)
    G, GT = Tensor(g, requires_grad=True), torch.tensor(g, requires_grad=True)
    first = autograd.grad((out * G).sum(), A, create_graph=True)
    tfirst = torch.autograd.grad((want * GT).sum(), T, create_graph=True)
    for p, q in zip(first, tfirst):
        np.testing.assert_allclose(p.data, q.detach().numpy(), rtol=1e-10, atol=1e-12)
    second = autograd.grad(sum((p * p).sum() for p in first), [*A, G], allow_unused=True)
    tsecond = torch.autograd.grad(sum((q * q).sum() for q in tfirst), [*T, GT], allow_unused=True)
    for p, q in zip(second, tsecond):
        if q is None:  # (the bias: its first derivative is Σg, which it does not enter)
            assert p is None
        else:
            np.testing.assert_allclose(p.data, q.numpy(), rtol=1e-9, atol=1e-10)


def test_a_wrong_variance_is_caught():
    """The comparison catches the running variance updated with the biased variance."""
    x = RNG.normal(size=(4, 3))
    stats, tstats = (
        [Tensor(np.zeros(3)), Tensor(np.ones(3))],
        [torch.zeros(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64)],
    )
    F.batch_norm(Tensor(x), *stats, training=True)
    torch.nn.functional.batch_norm(torch.tensor(x), *tstats, training=True)
    np.testing.assert_allclose(stats[1].data, tstats[1].numpy(), rtol=1e-14)
    biased = 0.9 + 0.1 * x.var(0)
    assert not np.allclose(biased, tstats[1].numpy(), rtol=1e-6)


def test_compiled_steps_in_eval_mode():  # (training mode: tests/compile/test_compiled_state.py)
    model = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.ReLU(), nn.Linear(3, 1))
    X = Tensor(RNG.normal(size=(8, 2)))
    model(X)  # (one training batch moves the running statistics)
    model.eval()
    step = autograd.compile(lambda x: model(x).square().mean())
    eager = model(X).square().mean()
    eager.backward()
    want = [p.grad.data.copy() for p in model.parameters()]
    model.zero_grad()
    np.testing.assert_array_equal(step(X).data, eager.data)
    for p, w in zip(model.parameters(), want):
        np.testing.assert_array_equal(p.grad.data, w)
    model.train()
    model(X)  # (the running statistics move: the compiled eval step reads them at every call)
    model.eval()
    np.testing.assert_array_equal(step(X).data, model(X).square().mean().data)


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda: nn.BatchNorm1d(3)(Tensor(np.ones((1, 3)))), "more than 1 value per channel"),
        (lambda: nn.BatchNorm2d(3)(Tensor(np.ones((2, 3, 4)))), "expected a 4-d input"),
        (lambda: nn.BatchNorm1d(3)(Tensor(np.ones((2, 4)))), r"running_mean of shape \(4,\)"),
        (lambda: F.batch_norm(Tensor(np.ones((2, 3))), None, None), "required when not training"),
        (lambda: F.batch_norm(Tensor(np.ones(3)), None, None, training=True), r"shape \(N, C, \*\)"),
        (lambda: nn.BatchNorm1d(0), "num_features"),
    ],
)
def test_bad_input_names_the_problem(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()
