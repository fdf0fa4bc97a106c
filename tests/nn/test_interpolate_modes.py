"""interpolate's "bicubic", "trilinear" and "area" modes against torch 2.13 in float64: sizes and
scale factors up and down, align_corners both ways, recompute_scale_factor, the values and the
input's gradient; nan and inf; float32; second derivatives; Upsample with these modes; a compiled
step equal to eager; antialias and the other bad arguments; a wrong cubic constant caught."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import autograd
import autograd.nn.functional as F
from autograd import Tensor, nn
from autograd.nn.functional import vision

torch = pytest.importorskip("torch")
torch.set_num_threads(1)  # (tiny inputs: torch's thread pool only adds waiting on a loaded machine)
TF = torch.nn.functional
RNG = np.random.default_rng(9)
TOL = dict(rtol=1e-12, atol=1e-13)


def _compare(x, second=False, **kw):
    A, T = Tensor(x.copy(), requires_grad=True), torch.tensor(x, requires_grad=True)
    o, t = F.interpolate(A, **kw), TF.interpolate(T, **kw)
    assert o.shape == tuple(t.shape)
    np.testing.assert_allclose(o.data, t.detach().numpy(), err_msg="value", **TOL)
    g = RNG.normal(size=t.shape)
    if not second:
        (o * Tensor(g)).sum().backward()
        t.backward(torch.tensor(g))
        np.testing.assert_allclose(A.grad.data, T.grad.numpy(), err_msg="gradient", **TOL)
        return
    # interpolate is linear: the second derivative of Σ g·y² is 2 ∂y/∂x ᵀ diag(g) ∂y/∂x
    (ga,) = autograd.grad((o * o * Tensor(g)).sum(), [A], create_graph=True)
    (gt,) = torch.autograd.grad((t * t * torch.tensor(g)).sum(), [T], create_graph=True)
    (ha,) = autograd.grad((ga * ga).sum(), [A])
    (ht,) = torch.autograd.grad((gt * gt).sum(), [T])
    np.testing.assert_allclose(ha.data, ht.numpy(), rtol=1e-10, atol=1e-10, err_msg="second")


SIZES = {
    2: [dict(size=(3, 4)), dict(size=(9, 11)), dict(size=1), dict(size=(5, 7))],
    3: [dict(size=(3, 4, 2)), dict(size=(6, 9, 5)), dict(size=1)],
}
SCALES = [
    dict(scale_factor=2.0),
    dict(scale_factor=(1.7, 0.6)),
    dict(scale_factor=0.5),
    dict(scale_factor=1.0),
]
SCALES3 = [dict(scale_factor=2.0), dict(scale_factor=(1.5, 0.6, 2.5)), dict(scale_factor=0.5)]


@pytest.mark.parametrize(
    "spec,align_corners,recompute",
    [
        (s, a, r)
        for s, a, r in itertools.product(SIZES[2] + SCALES, [None, False, True], [None, True])
        if not (r and "size" in s)
    ],
    ids=str,
)
def test_bicubic(spec, align_corners, recompute):
    _compare(
        RNG.normal(size=(2, 3, 5, 7)),
        mode="bicubic",
        align_corners=align_corners,
        recompute_scale_factor=recompute,
        **spec,
    )


@pytest.mark.parametrize(
    "spec,align_corners,recompute",
    [
        (s, a, r)
        for s, a, r in itertools.product(SIZES[3] + SCALES3, [None, True], [None, True])
        if not (r and "size" in s)
    ],
    ids=str,
)
def test_trilinear(spec, align_corners, recompute):
    _compare(
        RNG.normal(size=(2, 2, 4, 5, 3)),
        mode="trilinear",
        align_corners=align_corners,
        recompute_scale_factor=recompute,
        **spec,
    )


@pytest.mark.parametrize(
    "shape,spec",
    [
        ((2, 3, 9), dict(size=4)),
        ((2, 3, 9), dict(scale_factor=0.4)),
        ((2, 3, 7, 9), dict(size=(3, 4))),
        ((2, 3, 7, 9), dict(size=(10, 12))),
        ((2, 3, 7, 9), dict(scale_factor=(0.5, 1.5))),
        ((1, 2, 5, 7, 6), dict(size=(2, 3, 4))),
        ((1, 2, 5, 7, 6), dict(scale_factor=0.7)),
    ],
    ids=str,
)
def test_area(shape, spec):
    _compare(RNG.normal(size=shape), mode="area", **spec)


@pytest.mark.parametrize(
    "mode,shape", [("bicubic", (1, 2, 4, 5)), ("trilinear", (1, 2, 3, 4, 3)), ("area", (1, 2, 6, 5))]
)
def test_second_derivatives(mode, shape):
    _compare(RNG.normal(size=shape), second=True, mode=mode, scale_factor=1.5 if mode != "area" else 0.5)


@pytest.mark.parametrize("mode", ["bicubic", "bilinear"])
def test_nan_and_inf_as_torch(mode):
    """A nan or an inf spreads where torch's weights reach it (an exact zero weight times inf is
    nan, as in torch); the gradient where the upstream gradient is finite."""
    x = RNG.normal(size=(1, 2, 4, 5))
    x[0, 0, 1, 2], x[0, 1, 3, 0] = np.nan, np.inf
    for kw in (dict(scale_factor=2.0), dict(size=(4, 5)), dict(size=(3, 7), align_corners=True)):
        o = F.interpolate(Tensor(x), mode=mode, **kw)
        t = TF.interpolate(torch.tensor(x), mode=mode, **kw)
        np.testing.assert_allclose(o.data, t.numpy(), **TOL)


def test_float32_and_empty_batch():
    x = RNG.normal(size=(2, 3, 5, 4)).astype(np.float32)
    o = F.interpolate(Tensor(x), scale_factor=1.5, mode="bicubic")
    t = TF.interpolate(torch.tensor(x), scale_factor=1.5, mode="bicubic")
    assert o.dtype == np.float32
    np.testing.assert_allclose(o.data, t.numpy(), rtol=1e-5, atol=1e-5)
    e = F.interpolate(Tensor(np.zeros((0, 2, 3, 4, 5))), size=(2, 3, 4), mode="trilinear")
    assert e.shape == (0, 2, 2, 3, 4)


@pytest.mark.parametrize(
    "kw,shape",
    [
        (dict(scale_factor=2.0, mode="bicubic", align_corners=True), (1, 2, 3, 4)),
        (dict(size=(2, 6, 3), mode="trilinear"), (1, 2, 3, 4, 5)),
        (dict(scale_factor=0.5, mode="area"), (1, 2, 6, 4, 4)),
        (dict(size=(3, 3), mode="area"), (1, 2, 7, 5)),
    ],
    ids=str,
)
def test_upsample_modules(kw, shape):
    ours, theirs = nn.Upsample(**kw), torch.nn.Upsample(**kw)
    assert repr(ours) == repr(theirs)
    x = RNG.normal(size=shape)
    np.testing.assert_allclose(ours(Tensor(x)).data, theirs(torch.tensor(x)).numpy(), **TOL)


def test_compiled_step_is_eager_bit_for_bit():
    w = Tensor(RNG.normal(size=(1, 2, 1, 1)), requires_grad=True)

    def loss(x):
        y = F.interpolate(x * w, scale_factor=1.5, mode="bicubic", align_corners=False)
        z = F.interpolate(y, size=(3, 3), mode="area")
        v = F.interpolate(x.unsqueeze(2), size=(2, 3, 5), mode="trilinear", align_corners=True)
        return z.square().mean() + v.mean()

    step = autograd.compile(loss)
    for _ in range(3):
        x = Tensor(RNG.normal(size=(2, 2, 4, 6)))
        eager = loss(x)
        eager.backward()
        want = w.grad.data.copy()
        w.grad = None
        np.testing.assert_array_equal(step(x).data, eager.data)
        np.testing.assert_array_equal(w.grad.data, want)
        w.grad = None
    assert step.trace_count == 1


def test_a_wrong_cubic_constant_is_caught(monkeypatch):
    """a = -0.5 (the other common choice, OpenCV's is -0.75 as torch's): caught."""
    x = RNG.normal(size=(1, 1, 4, 5))
    _compare(x, mode="bicubic", scale_factor=2.0)
    monkeypatch.setattr(vision, "_A", -0.5)
    with pytest.raises(AssertionError, match="value"):
        _compare(x, mode="bicubic", scale_factor=2.0)


@pytest.mark.parametrize(
    "shape,kw,error,message",
    [
        ((1, 2, 4, 4), dict(size=3, mode="bicubic", antialias=True), NotImplementedError, "antialias=True"),
        ((1, 2, 4, 4), dict(size=3, mode="bilinear", antialias=True), NotImplementedError, "mode='area'"),
        (
            (1, 2, 4, 4),
            dict(size=3, mode="nearest", antialias=True),
            ValueError,
            "restricted to bilinear and bicubic",
        ),
        ((1, 2, 4), dict(size=3, mode="bicubic"), NotImplementedError, "'bicubic' needs a 4-d input"),
        ((1, 2, 4, 4), dict(size=3, mode="trilinear"), NotImplementedError, "'trilinear' needs a 5-d input"),
        ((1, 2, 4, 4), dict(size=3, mode="area", align_corners=False), ValueError, "align_corners option"),
        ((1, 2, 4, 4), dict(size=(3, 3, 3), mode="area"), ValueError, "sequence of 2"),
        ((1, 2, 4, 4), dict(size=3, mode="cubic"), ValueError, "'bicubic', 'trilinear', 'area'"),
        ((1, 2, 4, 4), dict(scale_factor=0.1, mode="area"), ValueError, "must be positive"),
    ],
)
def test_bad_arguments(shape, kw, error, message):
    with pytest.raises(error, match=message):
        F.interpolate(Tensor(np.zeros(shape)), **kw)
    if error is ValueError and kw.get("mode") != "cubic" and "scale_factor" not in kw:  # as torch
        # (torch's area mode gives an empty output for a size rounded down to 0; this refuses it)
        with pytest.raises((ValueError, RuntimeError)):
            TF.interpolate(torch.zeros(shape), **kw)
