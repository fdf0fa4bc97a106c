"""Transposed convolutions against torch 2.13 in float64: F.conv_transpose1d/2d/3d over a grid of
strides, paddings, output paddings, dilations and groups (values and the gradients of input,
weight and bias; the combinations torch refuses refused too), second derivatives, hypothesis-drawn
shapes, ConvTranspose1d/2d/3d (init, repr, state dicts both ways, ``output_size=``), a small
autoencoder trained side by side with torch, a compiled step equal to eager, bad input, and two
deliberately wrong versions caught."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import autograd.nn.functional as F
import optimizers
from autograd import Tensor, nn, ops

torch = pytest.importorskip("torch")
torch.set_num_threads(1)  # (tiny inputs: torch's thread pool only adds waiting on a loaded machine)
TF = torch.nn.functional
RNG = np.random.default_rng(11)
TOL = dict(rtol=1e-12, atol=1e-12)


def _compare(ours, theirs, arrays, second=False, tol=1e-12):
    """Both on copies of ``arrays`` (float64): the output, every input's gradient for one random
    upstream gradient and, with ``second``, the gradients of Σ(grad²) (second derivatives).
    Where torch refuses the options (RuntimeError), ours must refuse them too."""
    A = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    T = [torch.tensor(a, requires_grad=True) for a in arrays]
    try:
        t = theirs(*T)
    except RuntimeError:
        with pytest.raises(RuntimeError):
            ours(*A)
        return False
    o = ours(*A)
    assert o.shape == tuple(t.shape)
    np.testing.assert_allclose(o.data, t.detach().numpy(), rtol=tol, atol=tol, err_msg="value")
    g = RNG.normal(size=t.shape)
    if not second:
        (o * Tensor(g)).sum().backward()
        t.backward(torch.tensor(g))
        for i, (a, b) in enumerate(zip(A, T)):
            np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=tol, atol=tol, err_msg=f"grad {i}")
        return True
    G, GT = Tensor(g, requires_grad=True), torch.tensor(g, requires_grad=True)
    ga = autograd.grad((o * G).sum(), A, create_graph=True)
    gt = torch.autograd.grad((t * GT).sum(), T, create_graph=True)
    sa, st_ = sum((x * x).sum() for x in ga), sum((x * x).sum() for x in gt)
    mine = autograd.grad(sa, [*A, G], allow_unused=True)
    for i, (x, y) in enumerate(zip(mine, torch.autograd.grad(st_, [*T, GT], allow_unused=True))):
        if y is None:  # (the bias: its gradient does not depend on anything)
            assert x is None or not np.any(x.data)
        else:
            np.testing.assert_allclose(x.data, y.numpy(), rtol=1e-10, atol=1e-10, err_msg=f"second {i}")
    return True


GRID2 = list(itertools.product([1, 2, 3], [0, 2], [0, 1, 2], [1, 2], [1, 2]))


@pytest.mark.parametrize("stride,padding,output_padding,dilation,groups", GRID2)
def test_conv_transpose2d_grid(stride, padding, output_padding, dilation, groups):
    arrays = [RNG.normal(size=(2, 4, 3, 4)), RNG.normal(size=(4, 6 // groups, 3, 2)), RNG.normal(size=6)]
    options = (stride, padding, output_padding, groups, dilation)
    ran = _compare(
        lambda x, w, b: F.conv_transpose2d(x, w, b, *options),
        lambda x, w, b: TF.conv_transpose2d(x, w, b, *options),
        arrays,
    )
    # torch refuses exactly an output padding as large as both the stride and the dilation
    assert ran == (output_padding < stride or output_padding < dilation)


@pytest.mark.parametrize(
    "options",
    [
        dict(stride=(2, 1), padding=(1, 0), output_padding=(1, 0), dilation=(1, 3)),
        dict(stride=(1, 3), padding=(0, 2), output_padding=(0, 2), groups=3),
        dict(stride=2, padding=3, dilation=2),  # (the padding crops more than a window's overlap)
    ],
    ids=str,
)
def test_conv_transpose2d_pairs_and_no_bias(options):
    x, w = RNG.normal(size=(2, 3, 4, 5)), RNG.normal(size=(3, 2, 2, 3))
    _compare(
        lambda x, w: F.conv_transpose2d(x, w, **options),
        lambda x, w: TF.conv_transpose2d(x, w, **options),
        [x, w],
    )


@pytest.mark.parametrize("stride,padding,output_padding,dilation,groups", [
    (1, 0, 0, 1, 1), (2, 1, 1, 1, 1), (3, 2, 2, 2, 2), (1, 1, 1, 2, 2), (2, 0, 0, 3, 1),
])  # fmt: skip
def test_conv_transpose1d(stride, padding, output_padding, dilation, groups):
    arrays = [RNG.normal(size=(2, 4, 6)), RNG.normal(size=(4, 3, 3)), RNG.normal(size=3 * groups)]
    options = (stride, padding, output_padding, groups, dilation)
    assert _compare(
        lambda x, w, b: F.conv_transpose1d(x, w, b, *options),
        lambda x, w, b: TF.conv_transpose1d(x, w, b, *options),
        arrays,
    )


@pytest.mark.parametrize("stride,padding,output_padding,dilation,groups", [
    (1, 0, 0, 1, 1), (2, 1, 1, 1, 2), ((1, 2, 3), (0, 1, 2), (0, 1, 2), 1, 1),
    (2, (1, 0, 1), 1, (1, 2, 2), 1),
    (1, 1, 1, 2, 1),  # (output padding ≥ the stride, below the dilation: folded whole, then cropped)
])  # fmt: skip
def test_conv_transpose3d(stride, padding, output_padding, dilation, groups):
    arrays = [RNG.normal(size=(2, 2, 3, 2, 4)), RNG.normal(size=(2, 2, 2, 3, 2)), RNG.normal(size=2 * groups)]
    options = (stride, padding, output_padding, groups, dilation)
    assert _compare(
        lambda x, w, b: F.conv_transpose3d(x, w, b, *options),
        lambda x, w, b: TF.conv_transpose3d(x, w, b, *options),
        arrays,
    )


@pytest.mark.parametrize("spatial", [1, 2, 3])
def test_second_derivatives(spatial):
    x = RNG.normal(size=(2, 2, *(3,) * spatial))
    w = RNG.normal(size=(2, 3, *(2,) * spatial))
    b = RNG.normal(size=3)
    ours, theirs = getattr(F, f"conv_transpose{spatial}d"), getattr(TF, f"conv_transpose{spatial}d")
    assert _compare(
        lambda x, w, b: ours(x, w, b, stride=2, padding=1, output_padding=1),
        lambda x, w, b: theirs(x, w, b, stride=2, padding=1, output_padding=1),
        [x, w, b],
        second=True,
    )


@settings(max_examples=25, deadline=None)
@given(
    size=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    kernel=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    stride=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    padding=st.tuples(st.integers(0, 2), st.integers(0, 2)),
    output_padding=st.tuples(st.integers(0, 2), st.integers(0, 2)),
    dilation=st.tuples(st.integers(1, 2), st.integers(1, 2)),
    groups=st.sampled_from([1, 2]),
    batched=st.booleans(),
)
def test_drawn_shapes_and_options(size, kernel, stride, padding, output_padding, dilation, groups, batched):
    """Any shapes and options: the same numbers as torch, or refused as torch refuses them."""
    x = RNG.normal(size=((2,) if batched else ()) + (2, *size))
    w, b = RNG.normal(size=(2, 2, *kernel)), RNG.normal(size=2 * groups)
    options = (stride, padding, output_padding, groups, dilation)
    _compare(
        lambda x, w, b: F.conv_transpose2d(x, w, b, *options),
        lambda x, w, b: TF.conv_transpose2d(x, w, b, *options),
        [x, w, b],
    )


def test_edges_nan_inf_empty_and_float32():
    x = RNG.normal(size=(1, 2, 3, 3))
    x[0, 0, 1, 1], x[0, 1, 0, 2] = np.nan, np.inf
    w = RNG.normal(size=(2, 1, 2, 2))
    o = F.conv_transpose2d(Tensor(x), Tensor(w), stride=2)
    t = TF.conv_transpose2d(torch.tensor(x), torch.tensor(w), stride=2)
    np.testing.assert_allclose(o.data, t.numpy(), **TOL)  # (nan where torch's is, the same infs)
    empty = F.conv_transpose2d(Tensor(np.zeros((0, 2, 3, 3))), Tensor(w))
    assert empty.shape == tuple(
        TF.conv_transpose2d(torch.zeros(0, 2, 3, 3, dtype=torch.float64), torch.tensor(w)).shape
    )
    x32, w32 = RNG.normal(size=(2, 3, 3)).astype(np.float32), RNG.normal(size=(2, 3, 3, 3)).astype(np.float32)
    o = F.conv_transpose2d(Tensor(x32), Tensor(w32), stride=2, padding=1)  # (unbatched too)
    t = TF.conv_transpose2d(torch.tensor(x32), torch.tensor(w32), stride=2, padding=1)
    assert o.dtype == np.float32 and o.shape == tuple(t.shape)
    np.testing.assert_allclose(o.data, t.numpy(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("spatial", [1, 2, 3])
def test_modules_as_torch(spatial):
    cls = f"ConvTranspose{spatial}d"
    kw = dict(stride=2, padding=1, output_padding=1, groups=2, dilation=1, bias=True)
    ours = getattr(nn, cls)(4, 6, 3, **kw)
    theirs = getattr(torch.nn, cls)(4, 6, 3, dtype=torch.float64, **kw)
    assert repr(ours) == repr(theirs)
    assert [(k, v.shape) for k, v in ours.state_dict().items()] == [
        (k, tuple(v.shape)) for k, v in theirs.state_dict().items()
    ]
    bound = 1 / np.sqrt(6 // 2 * 3**spatial)  # torch's fan-in of this layout: out / groups · kernel
    for p in ours.parameters():
        assert np.abs(p.data).max() <= bound
    # the weight's 36+ draws all below bound / 2 has odds 2^-36; the 6 biases' would have 1/64
    # (it failed CI once), so the biases' bound is checked bit for bit by _same_seed_init below
    assert np.abs(ours.weight.data).max() > bound / 2
    theirs.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in ours.state_dict().items()})
    x = RNG.normal(size=(2, 4, *(3,) * spatial))
    np.testing.assert_allclose(ours(Tensor(x)).data, theirs(torch.tensor(x)).detach().numpy(), **TOL)
    for p in theirs.parameters():  # and the other way round
        p.data.normal_()
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    np.testing.assert_allclose(ours(Tensor(x)).data, theirs(torch.tensor(x)).detach().numpy(), **TOL)
    # output_size picks the output padding: the spatial sizes, or with N and C
    for size in [(6,) * spatial, (5,) * spatial, (2, 6, *(5,) * spatial)]:
        o, t = ours(Tensor(x), output_size=size), theirs(torch.tensor(x), output_size=list(size))
        assert o.shape == tuple(t.shape)
        np.testing.assert_allclose(o.data, t.detach().numpy(), **TOL)
    with pytest.raises(ValueError, match="requested an output size of") as ours_err:
        ours(Tensor(x), output_size=(7,) * spatial)
    with pytest.raises(ValueError, match="requested an output size of"):
        theirs(torch.tensor(x), output_size=[7] * spatial)
    assert "valid sizes range from [5" in str(ours_err.value)
    assert "bias=False" in repr(getattr(nn, cls)(2, 2, 1, bias=False))
    _same_seed_init(
        lambda: getattr(nn, cls)(4, 6, 2, groups=2), lambda: getattr(torch.nn, cls)(4, 6, 2, groups=2), 3
    )


def _same_seed_init(make_ours, make_theirs, seed: int) -> None:
    """Ours and torch's module built after the same seed give the same initial weights, bit for bit.
    Both draw float64 meanwhile (torch's float64 stream; pinned, as another test may have left a
    default dtype set), then the defaults are restored."""
    previous, ours_previous = torch.get_default_dtype(), autograd.get_default_dtype()
    by_user = autograd.dtypes._set_by_user[0]
    torch.set_default_dtype(torch.float64)
    autograd.set_default_dtype(autograd.float64)
    try:
        autograd.manual_seed(seed)
        ours = make_ours()
        torch.manual_seed(seed)
        theirs = make_theirs()
    finally:
        torch.set_default_dtype(previous)
        autograd.set_default_dtype(ours_previous)
        autograd.dtypes._set_by_user[0] = by_user
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        np.testing.assert_array_equal(p.data, q.detach().numpy())


def test_autoencoder_trains_as_torch():
    """Conv2d down, ConvTranspose2d up: the same losses as torch's for eight Adam steps from one
    state dict, and the same parameters after them."""

    def model(lib):
        return lib.nn.Sequential(
            lib.nn.Conv2d(1, 4, 3, stride=2, padding=1),
            lib.nn.ReLU(),
            lib.nn.Conv2d(4, 8, 3, stride=2, padding=1),
            lib.nn.Tanh(),
            lib.nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1, output_padding=1),
            lib.nn.ReLU(),
            lib.nn.ConvTranspose2d(4, 1, 3, stride=2, padding=1, output_padding=1),
            lib.nn.Sigmoid(),
        )

    torch.manual_seed(0)  # (torch's initial weights, which ours load)
    ours, theirs = model(autograd), model(torch).double()
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    opt, topt = optimizers.Adam(ours.parameters(), lr=1e-2), torch.optim.Adam(theirs.parameters(), lr=1e-2)
    images = np.random.default_rng(0).uniform(size=(8, 1, 8, 8))
    losses, tlosses = [], []
    for step in range(8):
        batch = images[step % 2 * 4 : step % 2 * 4 + 4]
        opt.zero_grad()
        topt.zero_grad()
        x, tx = Tensor(batch), torch.tensor(batch)
        loss, tloss = F.mse_loss(ours(x), x), TF.mse_loss(theirs(tx), tx)
        loss.backward()
        tloss.backward()
        opt.step()
        topt.step()
        losses.append(float(loss.data))
        tlosses.append(float(tloss.detach()))
    np.testing.assert_allclose(losses, tlosses, rtol=0, atol=1e-10)
    assert losses[-2] < losses[0] and losses[-1] < losses[1]  # (it learns: each batch's loss falls)
    for (k, v), t in zip(ours.state_dict().items(), theirs.state_dict().values()):
        np.testing.assert_allclose(v, t.numpy(), rtol=1e-9, atol=1e-10, err_msg=k)


def test_compiled_step_is_eager_bit_for_bit():
    w1 = Tensor(RNG.normal(size=(2, 3, 3, 3)) * 0.3, requires_grad=True)
    w2 = Tensor(RNG.normal(size=(3, 2, 2)) * 0.3, requires_grad=True)

    def loss(x):
        h = F.conv_transpose2d(x, w1, stride=2, padding=1, output_padding=1).tanh()
        y = F.conv_transpose1d(h.mean(2), w2, stride=2, output_padding=1, dilation=2)
        return y.square().mean()

    step = autograd.compile(loss)
    for _ in range(3):
        x = Tensor(RNG.normal(size=(4, 2, 4, 4)))
        eager = loss(x)
        eager.backward()
        want = [w1.grad.data.copy(), w2.grad.data.copy()]
        w1.grad = w2.grad = None
        np.testing.assert_array_equal(step(x).data, eager.data)
        np.testing.assert_array_equal(w1.grad.data, want[0])
        np.testing.assert_array_equal(w2.grad.data, want[1])
        w1.grad = w2.grad = None
    assert step.trace_count == 1


def test_wrong_versions_are_caught(monkeypatch):
    """The comparison catches a fold rule one part in 10⁴ off, and an output padding put on the
    near side (top, left) instead of the far side."""
    arrays = [RNG.normal(size=(1, 2, 3, 3)), RNG.normal(size=(2, 2, 3, 3))]
    opts = dict(stride=2, padding=1, output_padding=1)
    theirs = lambda x, w: TF.conv_transpose2d(x, w, **opts)  # noqa: E731
    near_side = lambda x, w: F.pad(F.conv_transpose2d(x, w, stride=2, padding=1), (1, 0, 1, 0))  # noqa: E731
    with pytest.raises(AssertionError):
        _compare(near_side, theirs, arrays)
    right = ops.FOLD.vjps[0]
    monkeypatch.setattr(ops.FOLD, "vjps", (lambda ns, g, out, a, **p: right(ns, g, out, a, **p) * 1.0001,))
    with pytest.raises(AssertionError, match="grad"):
        _compare(lambda x, w: F.conv_transpose2d(x, w, **opts), theirs, arrays)
    monkeypatch.setattr(ops.FOLD, "vjps", (right,))
    assert _compare(lambda x, w: F.conv_transpose2d(x, w, **opts), theirs, arrays)


X4, W4 = np.ones((1, 2, 4, 4)), np.ones((2, 2, 3, 3))


@pytest.mark.parametrize(
    "call,error,message",
    [
        (lambda: F.conv_transpose2d(np.ones((1, 3, 4, 4)), W4), RuntimeError,
         "expects an input of 2 channels .* got 3 channels"),
        (lambda: F.conv_transpose2d(X4, W4, output_padding=1), RuntimeError,
         "output padding must be smaller than either stride or dilation"),
        (lambda: F.conv_transpose2d(np.ones((1, 2, 1, 1)), np.ones((2, 2, 1, 1)), padding=1), RuntimeError,
         "output's size .* is too small"),
        (lambda: F.conv_transpose2d(np.ones((1, 3, 4, 4)), np.ones((3, 2, 3, 3)), groups=2), RuntimeError,
         "not divisible by groups=2"),
        (lambda: F.conv_transpose2d(X4, np.ones((2, 2, 3))), RuntimeError, "expected a 4-d weight"),
        (lambda: F.conv_transpose2d(np.ones((4, 4)), W4), ValueError, "expected a 3-d"),
        (lambda: F.conv_transpose2d(X4, W4, np.ones(3)), RuntimeError, r"bias of shape \(2,\)"),
        (lambda: F.conv_transpose2d(X4, W4, stride=0), ValueError, "stride"),
        (lambda: F.conv_transpose2d(X4, W4, padding="same"), TypeError, "padding must be an int or a tuple"),
        (lambda: F.conv_transpose1d(np.ones((1, 2, 4)), np.ones((2, 2, 3)), dilation=(1, 2)), ValueError,
         "dilation must be an int or 1 ints"),
        (lambda: F.conv_transpose3d(np.ones((1, 2, 4, 4, 4)), np.ones((2, 2, 3, 3, 3)), groups=0), ValueError,
         "groups must be a positive int"),
        (lambda: nn.ConvTranspose2d(3, 4, 3, groups=2), ValueError, "divisible by groups"),
        (lambda: nn.ConvTranspose2d(2, 4, 3, padding_mode="reflect"), ValueError, 'only "zeros" padding'),
        (lambda: nn.ConvTranspose2d(2, 4, 3, padding="same"), ValueError, "no 'same'"),
        (lambda: nn.ConvTranspose2d(2, 4, 3)(np.ones((1, 2, 3, 3)), output_size=(1, 5, 5, 5, 5)), ValueError,
         "output_size must have 2 or 4 elements"),
    ],
)  # fmt: skip
def test_bad_input_names_the_problem(call, error, message):
    with pytest.raises(error, match=message):
        call()
