"""Function transforms (grad, value_and_grad, jacobian, hessian, hvp, jvp, vjp) against torch.func, on
random compositions, on the losses, and for Value, Tensor and ValueArray inputs; nesting."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import torch
import torch.func as tf
import torch.nn.functional as F
from engine_helpers import close

import losses
from autograd import Tensor, Value, ValueArray, grad, hessian, hvp, jacobian, jvp, value_and_grad, vjp
from autograd.func import jacfwd

R = np.random.default_rng(3)
W0, V0 = R.normal(size=4), R.normal(size=4)
X = R.normal(size=(5, 4))


def t64(x: np.ndarray) -> torch.Tensor:
    return torch.tensor(x, dtype=torch.float64)


def _softplus(w):  # noqa: ANN001, ANN202
    return w.softplus() if isinstance(w, Tensor) else F.softplus(w, threshold=40.0)


def _max(w):  # noqa: ANN001, ANN202
    return w.max() if isinstance(w, Tensor) else w.amax()


def _x(w):  # noqa: ANN001, ANN202
    return Tensor(X) if isinstance(w, Tensor) else t64(X)


# each written once for both engines (the method names agree)
COMPOSITIONS: dict[str, Callable] = {
    "tanh quadratic": lambda w: ((w * w).sum() * w.sum()).tanh(),
    "logsumexp of a matmul": lambda w: (_x(w) @ w).logsumexp(-1),
    "softplus sigmoid": lambda w: (
        ((w.sigmoid() * 3).exp().sum() + (_softplus(w) * w).sum()) / (1 + (w * w).sum())
    ),
    "log_softmax max": lambda w: (w.log_softmax(-1) * w).sum() + _max(w * w),
    "pow sqrt clip": lambda w: ((w * w + 1) ** 1.5).sqrt().sum() + (w.clip(-0.5, 0.5) * w).sum(),
}


@pytest.mark.parametrize("name", list(COMPOSITIONS))
def test_transforms_match_torch_func(name: str) -> None:
    ours = theirs = COMPOSITIONS[name]
    w = t64(W0)
    close(grad(ours)(W0), tf.grad(theirs)(w), what="grad")
    value, g = value_and_grad(ours)(W0)
    close(value, theirs(w).item(), what="value")
    close(g, tf.grad(theirs)(w), what="value_and_grad")
    close(hessian(ours)(W0), tf.hessian(theirs)(w), what="hessian")
    close(hvp(ours, W0, V0), tf.hessian(theirs)(w) @ t64(V0), what="hvp")
    out, tangent = jvp(ours, (W0,), (V0,))
    tout, ttangent = tf.jvp(theirs, (w,), (t64(V0),))
    close(out, tout, what="jvp value")
    close(tangent, ttangent, what="jvp tangent")
    out, fn = vjp(ours, W0)
    tout, tfn = tf.vjp(theirs, w)
    close(fn(2.5)[0], tfn(torch.tensor(2.5, dtype=torch.float64))[0], what="vjp")


def test_jacobian_of_a_vector_function_and_two_arguments() -> None:
    def f(a, b):  # noqa: ANN001, ANN202
        return (a * b).tanh() @ X.T if isinstance(a, Tensor) else (a * b).tanh() @ t64(X).T

    a0, b0 = R.normal(size=4), R.normal(size=4)
    for n in (0, 1):
        J = jacobian(f, argnum=n)(a0, b0)
        assert J.shape == (5, 4)
        close(J, tf.jacrev(f, argnums=n)(t64(a0), t64(b0)))
    out, tangent = jvp(f, (a0, b0), (V0, -V0))
    close(tangent, tf.jvp(f, (t64(a0), t64(b0)), (t64(V0), -t64(V0)))[1])
    out, fn = vjp(f, a0, b0)
    u = R.normal(size=5)
    for ours, theirs in zip(fn(u), tf.vjp(f, t64(a0), t64(b0))[1](t64(u))):
        close(ours, theirs)


def test_scalar_value_transforms() -> None:
    f = lambda x: (x * x).tanh() * x.exp()  # noqa: E731
    t = torch.tensor(0.7, dtype=torch.float64)
    assert isinstance(grad(f)(0.7), float)
    close(grad(f)(0.7), tf.grad(f)(t))
    close(grad(grad(f))(0.7), tf.grad(tf.grad(f))(t))
    close(grad(grad(grad(f)))(0.7), tf.grad(tf.grad(tf.grad(f)))(t))
    close(hessian(f)(0.7), tf.hessian(f)(t))
    # a Value in gives a Value out: part of the graph
    x = Value(0.7)
    g = grad(f)(x)
    assert isinstance(g, Value) and g.children
    close(grad(g, [x])[0], tf.grad(tf.grad(f))(t))


def test_value_array_inputs() -> None:
    f = lambda w: ((w * w).sum() * w.sum()).tanh()  # noqa: E731
    w = t64(W0)
    H = hessian(f)(ValueArray(W0))
    assert isinstance(H, ValueArray) and H.shape == (4, 4)
    close(H.data, tf.hessian(f)(w))
    close(hvp(f, ValueArray(W0), V0).data, tf.hessian(f)(w) @ t64(V0))
    close(jvp(f, (ValueArray(W0),), (V0,))[1].data, tf.jvp(f, (w,), (t64(V0),))[1])


def test_nested_transforms_do_not_confuse_variables() -> None:
    # d/dx [x · d/dy (x·y)] = d/dx x² = 2x (perturbation confusion would give x)
    assert grad(lambda x: x * grad(lambda y: x * y)(1.0))(2.0) == pytest.approx(4.0)


def test_transform_errors() -> None:
    with pytest.raises(TypeError, match=r"grad: f must return a scalar .*shape \(4,\).*use jacrev"):
        grad(lambda w: w * w)(W0)
    with pytest.raises(ValueError, match=r"grad: argnums=3 is out of range: f was called with 1 positional"):
        grad(lambda w: w.sum(), argnum=3)(W0)
    with pytest.raises(RuntimeError, match=r"hvp\(v\): Mismatch in shape: got \(3,\), expected \(4,\)"):
        hvp(lambda w: (w * w).sum(), W0, np.ones(3))
    assert np.array_equal(grad(lambda w: (w * 0.0).sum() + 3.0)(W0), np.zeros(4))


# ---------------------------------------------------------------------------
# Losses: Hessians against torch.func and against the closed forms of the issue
# ---------------------------------------------------------------------------
Y = R.normal(size=6)
P6 = R.normal(size=6)
LABELS = np.array([0, 2, 1])
LOGITS = R.normal(size=(3, 4))
B01 = (R.random(6) > 0.5).astype(float)

LOSSES: dict[str, tuple[Callable, Callable, np.ndarray]] = {
    "mse": (lambda p: losses.mse(Y, p), lambda p: F.mse_loss(p, t64(Y)), P6),
    "mae": (lambda p: losses.mae(Y, p), lambda p: F.l1_loss(p, t64(Y)), P6),
    "huber": (lambda p: losses.huber(Y, p, delta=0.5), lambda p: F.huber_loss(p, t64(Y), delta=0.5), P6),
    "smooth_l1": (
        lambda p: losses.smooth_l1(Y, p, beta=0.7),
        lambda p: F.smooth_l1_loss(p, t64(Y), beta=0.7),
        P6,
    ),
    "bce logits": (
        lambda p: losses.binary_cross_entropy(B01, p, from_logits=True),
        lambda p: F.binary_cross_entropy_with_logits(p, t64(B01)),
        P6,
    ),
    "bce": (
        lambda p: losses.binary_cross_entropy(B01, p.sigmoid()),
        lambda p: F.binary_cross_entropy(p.sigmoid(), t64(B01)),
        P6,
    ),
    "cross entropy": (
        lambda z: losses.sparse_categorical_cross_entropy(LABELS, z, from_logits=True),
        lambda z: F.cross_entropy(z, torch.tensor(LABELS)),
        LOGITS,
    ),
    "cross entropy smoothed": (
        lambda z: losses.sparse_categorical_cross_entropy(LABELS, z, from_logits=True, label_smoothing=0.1),
        lambda z: F.cross_entropy(z, torch.tensor(LABELS), label_smoothing=0.1),
        LOGITS,
    ),
    "kl": (
        lambda z: losses.kl_divergence(np.full((3, 4), 0.25), z.softmax(-1)),
        lambda z: F.kl_div(
            z.log_softmax(-1), torch.full((3, 4), 0.25, dtype=torch.float64), reduction="batchmean"
        ),
        LOGITS,
    ),
}


@pytest.mark.parametrize("name", list(LOSSES))
def test_loss_hessians_match_torch(name: str) -> None:
    ours, theirs, x0 = LOSSES[name]
    x = t64(x0)
    value = ours(Tensor(x0))
    ref = theirs(x)
    close(value.data, ref, what="loss")
    close(grad(ours)(x0), tf.grad(theirs)(x), what="gradient")
    H = hessian(ours)(x0)
    close(H, tf.hessian(theirs)(x), what="hessian")
    v = R.normal(size=x0.shape)
    close(hvp(ours, x0, v), torch.autograd.functional.hvp(theirs, x, t64(v))[1], what="hvp")
    # and on ValueArray inputs (the same expression on scalar Values)
    close(hessian(ours)(ValueArray(x0)).data, H, what="ValueArray hessian")


def test_loss_hessians_closed_forms() -> None:
    n = len(P6)
    close(hessian(lambda p: losses.mse(Y, p))(P6), 2 / n * np.eye(n))
    s = 1 / (1 + np.exp(-P6))
    bce = hessian(lambda z: losses.binary_cross_entropy(B01, z, from_logits=True))(P6)
    close(bce, np.diag(s * (1 - s)) / n)
    z = LOGITS[0]
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    H = hessian(lambda z: losses.sparse_categorical_cross_entropy([1], z.reshape(1, 4), from_logits=True))(z)
    close(H, np.diag(p) - np.outer(p, p))
    e = np.array([-2.0, -0.3, 0.2, 1.5])  # errors; huber δ = 1: 1/n inside, 0 outside
    close(hessian(lambda p: losses.huber(np.zeros(4), p))(e), np.diag([0.0, 0.25, 0.25, 0.0]))


# ---------------------------------------------------------------- the transforms fuzzer's findings
# (tests/engine/test_transforms_fuzz.py; each failed before its fix)
def test_derivatives_at_a_0d_array_are_0d_arrays_as_torch_gives_0d_tensors() -> None:
    """A 0-d array in: 0-d arrays out, in its dtype (they were floats and numpy scalars), and the
    value of value_and_grad too; a float in: floats out."""
    cube = lambda x: x * x * x  # noqa: E731
    for dtype in (np.float64, np.float32):
        x = np.array(2.0, dtype)
        results = {
            "grad": grad(cube)(x),
            "hessian": hessian(cube)(x),
            "hvp": hvp(cube, x, np.array(1.0, dtype)),
            "jacobian": jacobian(cube)(x),
            "value": value_and_grad(cube)(x)[0],
            "jvp": jvp(cube, (x,), (np.array(1.0, dtype),))[1],
        }
        want = {"grad": 12.0, "hessian": 12.0, "hvp": 12.0, "jacobian": 12.0, "value": 8.0, "jvp": 12.0}
        for name, r in results.items():
            assert type(r) is np.ndarray and r.shape == () and r.dtype == dtype, (name, r)
            assert r == want[name], name
    t = tf.hessian(lambda x: x * x * x)(torch.tensor(2.0, dtype=torch.float64))
    assert t.shape == () and t.item() == 12.0
    for r in (grad(cube)(2.0), hessian(cube)(2.0), hvp(cube, 2.0, 1.0), value_and_grad(cube)(2.0)[0]):
        assert type(r) is float


def test_zero_blocks_of_a_constant_output_are_in_x_dtype() -> None:
    x = np.array([1.0, 2.0], np.float32)
    J = jacobian(lambda x: (x * 2.0).detach())(x)
    assert J.dtype == np.float32 and J.shape == (2, 2) and not J.any()
    _, tangent = jvp(lambda x: Tensor(np.ones(2, np.float32)), (x,), (x,))
    assert tangent.dtype == np.float32 and tangent.shape == (2,) and not tangent.any()


def test_jvp_and_jacfwd_through_logcumsumexp() -> None:
    """The double-VJP trick's seed was 0, where logcumsumexp's rule (g's positive and negative parts
    summed in logs) is flat: J·t came out 0."""
    x, t = np.array([-0.8, 0.3, 1.2]), np.array([1.0, -2.0, 0.5])
    f = lambda x: x.logcumsumexp(0)  # noqa: E731
    _, want = tf.jvp(lambda x: torch.logcumsumexp(x, 0), (t64(x),), (t64(t),))
    close(jvp(f, (x,), (t,))[1], want.numpy(), what="jvp")
    J = jacfwd(f)(x)
    assert J.shape == (3, 3)
    close(J, tf.jacfwd(lambda x: torch.logcumsumexp(x, 0))(t64(x)), what="jacfwd")


def test_jvp_and_jacfwd_through_sinc_at_zero() -> None:
    """sinc's rule masks ∂/∂x at 0 (0/0 there): differentiated by its seed g (the double-VJP trick),
    the mask met 0·nan and J·t was nan; g is masked too now."""
    x, t = np.array([0.0, 0.5, -1.0]), np.array([1.0, 1.0, 1.0])
    _, want = tf.jvp(lambda x: torch.sinc(x), (t64(x),), (t64(t),))
    got = jvp(lambda x: x.sinc(), (x,), (t,))[1]
    np.testing.assert_allclose(got, want.numpy(), rtol=1e-15)
    want_j = tf.jacfwd(torch.sinc)(t64(x)).numpy()
    np.testing.assert_allclose(jacfwd(lambda x: x.sinc())(x), want_j, rtol=1e-15)


def test_bad_input_to_the_transforms_names_the_argument() -> None:
    from autograd import func

    x = np.ones(3)
    square = lambda x: (x * x).sum()  # noqa: E731
    with pytest.raises(RuntimeError, match=r"hvp\(v\): Mismatch in shape: got \(4,\), expected \(3,\)"):
        hvp(square, x, np.ones(4))
    with pytest.raises(RuntimeError, match=r"jvp\(tangents, leaf 0\): Mismatch in shape: got \(2,\)"):
        jvp(square, (x,), (np.ones(2),))
    for call in (lambda: hvp(lambda x: x * x, x, x), lambda: func.grad(lambda x: x * x)(x)):
        with pytest.raises(TypeError, match=r"f must return a scalar .* got Tensor of shape \(3,\)"):
            call()
    with pytest.raises(ValueError, match=r"grad: argnums=2 is out of range: f was called with 1 positional"):
        func.grad(square, argnums=2)(x)
    with pytest.raises(ValueError, match=r"hessian: argnums=\(0, 3\) is out of range"):
        hessian(square, argnums=(0, 3))(x)
    with pytest.raises(TypeError, match="hvp: f must be a function, got int 3"):
        hvp(3, x, x)
    for name, call in [
        ("hessian", lambda: hessian(3)), ("jacobian", lambda: jacobian(None)),
        ("jacrev", lambda: func.jacrev("f")), ("jacfwd", lambda: func.jacfwd(3)),
        ("value_and_grad", lambda: value_and_grad(3)), ("grad_and_value", lambda: func.grad_and_value(3)),
        ("vjp", lambda: vjp(3, x)), ("jvp", lambda: jvp(3, (x,), (x,))),
    ]:  # fmt: skip
        with pytest.raises(TypeError, match=f"^{name}: func must be a function, got "):
            call()
    with pytest.raises(TypeError, match=r"grad: pass a function, grad\(f\), or outputs and inputs"):
        grad(3)
