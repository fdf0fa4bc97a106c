"""nn.functional's convolutions and pooling against torch: values, first and second derivatives,
torch's gradient at ties, nan and -inf in max pools, every option, compiled steps, bad input."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import autograd
import autograd.nn.functional as F
from autograd import Tensor, ops

torch = pytest.importorskip("torch")
TF = torch.nn.functional
RNG = np.random.default_rng(7)


def _compare(ours, theirs, arrays, tol=1e-12, second=False):
    """Run both on copies of ``arrays`` (float64), compare the output, the gradients for a random
    upstream gradient and, with ``second``, the gradient of Σ(grad²) (a second derivative)."""
    A = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    T = [torch.tensor(a, requires_grad=True) for a in arrays]
    try:
        t = theirs(*T)
    except RuntimeError:  # torch refuses these options: so do we, by name
        with pytest.raises((ValueError, TypeError)):
            ours(*A)
        return
    o = ours(*A)
    if isinstance(t, tuple):
        np.testing.assert_array_equal(o[1].data, t[1].numpy())
        o, t = o[0], t[0]
    np.testing.assert_allclose(o.data, t.detach().numpy(), rtol=tol, atol=tol)
    g = RNG.normal(size=t.shape)
    if not second:
        (o * Tensor(g)).sum().backward()
        t.backward(torch.tensor(g))
        for a, b in zip(A, T):
            np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=tol, atol=tol)
        return
    G, GT = Tensor(g, requires_grad=True), torch.tensor(g, requires_grad=True)
    ga = autograd.grad((o * G).sum(), A, create_graph=True)
    gt = torch.autograd.grad((t * GT).sum(), T, create_graph=True)
    sa = sum((x * x).sum() for x in ga)
    st = sum((x * x).sum() for x in gt)
    mine = autograd.grad(sa, [*A, G], allow_unused=True)
    for x, y in zip(mine, torch.autograd.grad(st, [*T, GT], allow_unused=True)):
        if y is None:
            assert x is None or not np.any(x.data)
        else:
            np.testing.assert_allclose(x.data, y.numpy(), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize(
    "size,kernel,dilation,padding,stride",
    [
        ((5, 6), (2, 3), (1, 1), (0, 0), (1, 1)),
        ((7, 7), (3, 3), (2, 1), (1, 2), (2, 3)),
        ((4, 4), (1, 1), (1, 1), (0, 0), (2, 2)),
    ],
)
def test_unfold_and_fold_are_torchs_bit_for_bit(size, kernel, dilation, padding, stride):
    x = RNG.normal(size=(2, 3, *size))
    o = F.unfold(Tensor(x), kernel, dilation, padding, stride)
    t = TF.unfold(torch.tensor(x), kernel, dilation, padding, stride)
    np.testing.assert_array_equal(o.data, t.numpy())
    cols = RNG.normal(size=t.shape)
    np.testing.assert_array_equal(
        F.fold(Tensor(cols), size, kernel, dilation, padding, stride).data,
        TF.fold(torch.tensor(cols), size, kernel, dilation, padding, stride).numpy(),
    )
    _compare(
        lambda a: F.unfold(a, kernel, dilation, padding, stride),
        lambda a: TF.unfold(a, kernel, dilation, padding, stride),
        [x],
        second=True,
    )
    _compare(
        lambda a: F.fold(a, size, kernel, dilation, padding, stride),
        lambda a: TF.fold(a, size, kernel, dilation, padding, stride),
        [cols],
        second=True,
    )


CONV2D = [
    dict(stride=s, padding=p, dilation=d, groups=g)
    for s, p, d, g in itertools.product([1, 2], [0, 1, "same", "valid"], [1, 2], [1, 2])
    if not (p == "same" and s != 1)
]


@pytest.mark.parametrize("options", CONV2D, ids=str)
@pytest.mark.parametrize("kernel", [1, 3, (2, 3)])
def test_conv2d(options, kernel):
    kk = (kernel, kernel) if isinstance(kernel, int) else kernel
    arrays = [
        RNG.normal(size=(2, 4, 7, 6)),
        RNG.normal(size=(6, 4 // options["groups"], *kk)),
        RNG.normal(size=6),
    ]
    with _nothing():  # (torch warns of a padded copy for an even kernel with padding="same")
        _compare(
            lambda x, w, b: F.conv2d(x, w, b, **options),
            lambda x, w, b: TF.conv2d(x, w, b, **options),
            arrays,
        )


class _nothing:
    def __enter__(self):
        import warnings

        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc):
        self._w.__exit__(*exc)


@pytest.mark.parametrize(
    "options", [dict(stride=2, padding=1), dict(padding="same", dilation=2), dict(groups=3)], ids=str
)
def test_conv1d_and_second_order(options):
    arrays = [
        RNG.normal(size=(2, 3, 9)),
        RNG.normal(size=(6, 3 // options.get("groups", 1), 3)),
        RNG.normal(size=6),
    ]
    with _nothing():
        _compare(
            lambda x, w, b: F.conv1d(x, w, b, **options),
            lambda x, w, b: TF.conv1d(x, w, b, **options),
            arrays,
            second=True,
        )
    arrays2 = [RNG.normal(size=(2, 3, 5, 5)), RNG.normal(size=(4, 3, 2, 2)), RNG.normal(size=4)]
    _compare(
        lambda x, w, b: F.conv2d(x, w, b, padding=1),
        lambda x, w, b: TF.conv2d(x, w, b, padding=1),
        arrays2,
        second=True,
    )


def test_unbatched_and_float32():
    x, w = RNG.normal(size=(3, 6, 5)).astype(np.float32), RNG.normal(size=(2, 3, 3, 3)).astype(np.float32)
    o = F.conv2d(Tensor(x), Tensor(w))
    t = TF.conv2d(torch.tensor(x), torch.tensor(w))
    assert o.shape == tuple(t.shape) and o.dtype == np.float32
    np.testing.assert_allclose(o.data, t.numpy(), rtol=1e-5, atol=1e-5)


MAXPOOL = [
    dict(stride=s, padding=p, dilation=d, ceil_mode=c, return_indices=r)
    for s, p, d, c, r in itertools.product([None, 1, 2], [0, 1], [1, 2], [False, True], [False, True])
]


@pytest.mark.parametrize("options", MAXPOOL, ids=str)
@pytest.mark.parametrize("size", [(5, 6), (4, 4)])
def test_max_pool(options, size):
    _compare(
        lambda x: F.max_pool2d(x, 3, **options),
        lambda x: TF.max_pool2d(x, 3, **options),
        [RNG.normal(size=(2, 3, *size))],
    )
    _compare(
        lambda x: F.max_pool1d(x, 2, **options),
        lambda x: TF.max_pool1d(x, 2, **options),
        [RNG.normal(size=(2, 3, size[1]))],
    )


@pytest.mark.parametrize("padding,dilation", [(0, 1), (1, 1), (1, 2)])
def test_max_pool_ties_nan_and_minus_inf_as_torch(padding, dilation):
    """Ties: the gradient to the first maximum; nan is a maximum; a window of -infs (beginning in
    the padding, when undilated) sends its gradient to its first element."""
    x = RNG.integers(-1, 2, size=(2, 2, 6, 6)).astype(np.float64)
    x[0, 0, 1, 2] = np.nan
    x[1, 1, :3, :3] = -np.inf
    x[0, 1] = -np.inf
    ours = lambda a: F.max_pool2d(a, 3, stride=2, padding=padding, dilation=dilation, return_indices=True)  # noqa: E731
    theirs = lambda a: TF.max_pool2d(a, 3, stride=2, padding=padding, dilation=dilation, return_indices=True)  # noqa: E731
    A, T = Tensor(x.copy(), requires_grad=True), torch.tensor(x, requires_grad=True)
    (o, i), (t, j) = ours(A), theirs(T)
    np.testing.assert_array_equal(o.data, t.detach().numpy())
    np.testing.assert_array_equal(i.data, j.numpy())
    o.sum().backward()
    t.sum().backward()
    # (a dilated window of -infs that begins in the padding too: its first element inside the input)
    np.testing.assert_array_equal(A.grad.data, T.grad.numpy())


AVGPOOL = [
    dict(stride=s, padding=p, ceil_mode=c, count_include_pad=i)
    for s, p, c, i in itertools.product([None, 1, 2], [0, 1], [False, True], [False, True])
]


@pytest.mark.parametrize("options", AVGPOOL, ids=str)
def test_avg_pool(options):
    _compare(
        lambda x: F.avg_pool2d(x, 3, **options),
        lambda x: TF.avg_pool2d(x, 3, **options),
        [RNG.normal(size=(2, 3, 7, 6))],
    )
    _compare(
        lambda x: F.avg_pool2d(x, 2, divisor_override=3, **options),
        lambda x: TF.avg_pool2d(x, 2, divisor_override=3, **options),
        [RNG.normal(size=(2, 3, 5, 5))],
    )
    _compare(
        lambda x: F.avg_pool1d(x, 3, **options),
        lambda x: TF.avg_pool1d(x, 3, **options),
        [RNG.normal(size=(2, 3, 7))],
    )


@pytest.mark.parametrize("out", [1, 2, 3, (2, None), (4, 3)])
def test_adaptive_pools(out):
    x = RNG.normal(size=(2, 3, 7, 8))
    _compare(lambda a: F.adaptive_avg_pool2d(a, out), lambda a: TF.adaptive_avg_pool2d(a, out), [x])
    _compare(
        lambda a: F.adaptive_max_pool2d(a, out, True), lambda a: TF.adaptive_max_pool2d(a, out, True), [x]
    )
    if isinstance(out, int):
        _compare(
            lambda a: F.adaptive_avg_pool1d(a, out), lambda a: TF.adaptive_avg_pool1d(a, out), [x[:, :, 0]]
        )
        _compare(
            lambda a: F.adaptive_max_pool1d(a, out, True),
            lambda a: TF.adaptive_max_pool1d(a, out, True),
            [x[:, :, 0]],
        )


def test_compiled_cnn_step_is_eager_bit_for_bit():
    """A small CNN's compiled step gives the eager numbers, also for a new batch (the windows'
    maxima are chosen again at every call)."""
    w1 = Tensor(RNG.normal(size=(3, 2, 3, 3)) * 0.3, requires_grad=True)
    w2 = Tensor(RNG.normal(size=(5, 12)) * 0.3, requires_grad=True)

    def loss(x):
        h = F.max_pool2d(F.conv2d(x, w1, padding=1).relu(), 2)
        h = F.adaptive_avg_pool2d(h, 2).reshape((4, 12))
        return (h @ w2.T).square().mean()

    step = autograd.compile(loss)
    for _ in range(3):
        x = Tensor(RNG.normal(size=(4, 2, 8, 8)))
        eager = loss(x)
        eager.backward()
        want = [w1.grad.data.copy(), w2.grad.data.copy()]
        w1.grad = w2.grad = None
        np.testing.assert_array_equal(step(x).data, eager.data)
        np.testing.assert_array_equal(w1.grad.data, want[0])
        np.testing.assert_array_equal(w2.grad.data, want[1])
        w1.grad = w2.grad = None
    assert step.trace_count == 1


def test_a_wrong_unfold_rule_is_caught(monkeypatch):
    """The comparison catches an unfold rule one part in 10⁴ off, and one that folds back with
    the windows' spacing forgotten (stride 1)."""
    right = ops.UNFOLD.vjps[0]
    arrays = [RNG.normal(size=(1, 2, 5, 5)), RNG.normal(size=(1, 2, 2, 2))]
    for wrong in (
        lambda ns, g, out, a, **p: right(ns, g, out, a, **p) * 1.0001,
        lambda ns, g, out, a, **p: right(ns, g, out, a, **{**p, "stride": (1, 1)}),
    ):
        monkeypatch.setattr(ops.UNFOLD, "vjps", (wrong,))
        with pytest.raises((AssertionError, ValueError)):
            _compare(lambda x, w: F.conv2d(x, w, stride=2), lambda x, w: TF.conv2d(x, w, stride=2), arrays)
    monkeypatch.setattr(ops.UNFOLD, "vjps", (right,))
    _compare(lambda x, w: F.conv2d(x, w, stride=2), lambda x, w: TF.conv2d(x, w, stride=2), arrays)


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda: F.conv2d(np.ones((1, 3, 5, 5)), np.ones((2, 2, 3, 3))), "3 channels"),
        (lambda: F.conv2d(np.ones((1, 2, 2, 2)), np.ones((2, 2, 3, 3))), "no window fits"),
        (lambda: F.conv2d(np.ones((1, 2, 5, 5)), np.ones((2, 2, 3, 3)), stride=2, padding="same"), "strided"),
        (lambda: F.conv2d(np.ones((1, 2, 5, 5)), np.ones((2, 2, 3, 3)), padding="full"), "'valid' or 'same'"),
        (lambda: F.conv2d(np.ones((5, 5)), np.ones((2, 2, 3, 3))), "expected a 3-d"),
        (lambda: F.conv2d(np.ones((1, 2, 5, 5)), np.ones((2, 2, 3, 3)), stride=0), "stride"),
        (lambda: F.conv2d(np.ones((1, 4, 5, 5)), np.ones((3, 2, 3, 3)), groups=2), "divisible"),
        (lambda: F.conv2d(np.ones((1, 2, 5, 5)), np.ones((2, 2, 3, 3)), np.ones(3)), "bias of shape"),
        (lambda: F.max_pool2d(np.ones((1, 1, 5, 5)), 3, padding=2), "half the kernel"),
        (lambda: F.max_pool2d(np.ones((1, 1, 2, 2)), 3), "output would be empty"),
        (lambda: F.avg_pool2d(np.ones((1, 1, 4, 4)), 2, divisor_override=0), "divisor_override"),
        (lambda: F.fold(np.ones((1, 5, 4)), 3, 2), "expected input of shape"),
        (lambda: F.adaptive_avg_pool2d(np.ones((1, 1, 4, 4)), 0), "output_size"),
    ],
)
def test_bad_input_names_the_problem(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


def test_mixed_dtypes_promote_as_a_matrix_product_does() -> None:
    """float32 images into a float64 layer (numpy data, this library's default dtype) give float64,
    as Linear does; each gradient comes back in its input's dtype."""
    x = Tensor(RNG.normal(size=(1, 2, 5, 5)).astype(np.float32), requires_grad=True)
    w = Tensor(RNG.normal(size=(2, 2, 3, 3)), requires_grad=True)
    out = F.conv2d(x, w)
    assert out.dtype == np.float64
    out.sum().backward()
    assert x.grad.dtype == np.float32 and w.grad.dtype == np.float64
    want = F.conv2d(Tensor(x.data.astype(np.float64)), Tensor(w.data))
    np.testing.assert_array_equal(out.data, want.data)
