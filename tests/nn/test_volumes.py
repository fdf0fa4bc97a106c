"""The 3-d layers against torch 2.13 in float64: F.conv3d over a grid of strides, paddings
("same", "valid"), dilations and groups; max_pool3d (indices, ceil mode, dilation, ties, nan and
-inf), avg_pool3d (count_include_pad, divisor_override), the adaptive pools; second derivatives;
Conv3d (padding modes, state dicts both ways), the pool modules' reprs, BatchNorm3d; a compiled 3-d
CNN step equal to eager; bad input; a kernel read depth-reversed caught."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from test_conv_transpose import _same_seed_init

import autograd
import autograd.nn.functional as F
from autograd import Tensor, nn
from autograd.nn.functional import volumes

torch = pytest.importorskip("torch")
torch.set_num_threads(1)  # (tiny inputs: torch's thread pool only adds waiting on a loaded machine)
TF = torch.nn.functional
RNG = np.random.default_rng(5)
TOL = dict(rtol=1e-12, atol=1e-12)


def _compare(ours, theirs, arrays, second=False):
    """Both on copies of ``arrays``: the output (and indices), every gradient for one random
    upstream gradient, with ``second`` the gradients of Σ(grad²)."""
    A = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    T = [torch.tensor(a, requires_grad=True) for a in arrays]
    o, t = ours(*A), theirs(*T)
    if isinstance(t, tuple):
        np.testing.assert_array_equal(o[1].data, t[1].numpy(), err_msg="indices")
        o, t = o[0], t[0]
    np.testing.assert_allclose(o.data, t.detach().numpy(), err_msg="value", **TOL)
    g = RNG.normal(size=t.shape)
    if not second:
        (o * Tensor(g)).sum().backward()
        t.backward(torch.tensor(g))
        for i, (a, b) in enumerate(zip(A, T)):
            np.testing.assert_allclose(a.grad.data, b.grad.numpy(), err_msg=f"grad {i}", **TOL)
        return
    G, GT = Tensor(g, requires_grad=True), torch.tensor(g, requires_grad=True)
    ga = autograd.grad((o * G).sum(), A, create_graph=True)
    gt = torch.autograd.grad((t * GT).sum(), T, create_graph=True)
    sa, st = sum((x * x).sum() for x in ga), sum((x * x).sum() for x in gt)
    mine = autograd.grad(sa, [*A, G], allow_unused=True)
    for i, (x, y) in enumerate(zip(mine, torch.autograd.grad(st, [*T, GT], allow_unused=True))):
        if y is None or x is None:  # (a gradient that depends on nothing: None or zeros)
            assert not np.any(0 if x is None else x.data) and not np.any(0 if y is None else y.numpy())
        else:
            np.testing.assert_allclose(x.data, y.numpy(), rtol=1e-10, atol=1e-10, err_msg=f"second {i}")


CONV3D = [
    (s, p, d, g)
    for s, p, d, g in itertools.product(
        [1, 2, (1, 2, 3)], [0, 1, (1, 0, 2), "same", "valid"], [1, (2, 1, 1)], [1, 2]
    )
    if not (p == "same" and s != 1)
]


@pytest.mark.parametrize("stride,padding,dilation,groups", CONV3D, ids=str)
def test_conv3d(stride, padding, dilation, groups):
    arrays = [
        RNG.normal(size=(2, 4, 5, 4, 6)),
        RNG.normal(size=(4, 4 // groups, 2, 3, 2)),
        RNG.normal(size=4),
    ]
    with _quiet():  # (torch warns of a padded copy for an even kernel with padding="same")
        _compare(
            lambda x, w, b: F.conv3d(x, w, b, stride, padding, dilation, groups),
            lambda x, w, b: TF.conv3d(x, w, b, stride, padding, dilation, groups),
            arrays,
        )


class _quiet:
    def __enter__(self):
        import warnings

        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc):
        self._w.__exit__(*exc)


MAXPOOL = list(itertools.product([None, 1, (2, 1, 2)], [0, 1], [1, 2], [False, True]))


@pytest.mark.parametrize("stride,padding,dilation,ceil_mode", MAXPOOL, ids=str)
def test_max_pool3d(stride, padding, dilation, ceil_mode):
    _compare(
        lambda x: F.max_pool3d(x, (3, 2, 3), stride, padding, dilation, ceil_mode, True),
        lambda x: TF.max_pool3d(x, (3, 2, 3), stride, padding, dilation, ceil_mode, True),
        [RNG.normal(size=(2, 2, 5, 6, 5))],
    )


@pytest.mark.parametrize("padding,dilation", [(0, 1), (1, 1), (1, 2)])
def test_max_pool3d_ties_nan_and_minus_inf(padding, dilation):
    """Ties: the first maximum; nan is the maximum; a window of -infs sends its gradient to its first
    element inside the input (also when dilated and beginning in the padding, as in 2-d)."""
    x = RNG.integers(-1, 2, size=(2, 2, 5, 5, 5)).astype(np.float64)
    x[0, 0, 1, 2, 2] = np.nan
    x[1, 1, :3, :3, :3] = -np.inf
    x[0, 1] = -np.inf
    A, T = Tensor(x.copy(), requires_grad=True), torch.tensor(x, requires_grad=True)
    (o, i), (t, j) = (
        F.max_pool3d(A, 3, 2, padding, dilation, return_indices=True),
        TF.max_pool3d(T, 3, 2, padding, dilation, return_indices=True),
    )
    np.testing.assert_array_equal(o.data, t.detach().numpy())
    np.testing.assert_array_equal(i.data, j.numpy())
    o.sum().backward()
    t.sum().backward()
    np.testing.assert_array_equal(A.grad.data, T.grad.numpy())


AVGPOOL = list(itertools.product([None, 1, 2], [0, 1], [False, True], [False, True], [None, 5]))


@pytest.mark.parametrize("stride,padding,ceil_mode,count_include_pad,divisor", AVGPOOL, ids=str)
def test_avg_pool3d(stride, padding, ceil_mode, count_include_pad, divisor):
    _compare(
        lambda x: F.avg_pool3d(x, (3, 2, 3), stride, padding, ceil_mode, count_include_pad, divisor),
        lambda x: TF.avg_pool3d(x, (3, 2, 3), stride, padding, ceil_mode, count_include_pad, divisor),
        [RNG.normal(size=(2, 2, 5, 6, 7))],
    )


@pytest.mark.parametrize("out", [1, 2, (3, None, 2), (4, 3, 5), (5, 6, 7)], ids=str)
def test_adaptive_pools3d(out):
    x = RNG.normal(size=(2, 2, 5, 6, 7))
    _compare(lambda a: F.adaptive_avg_pool3d(a, out), lambda a: TF.adaptive_avg_pool3d(a, out), [x])
    _compare(
        lambda a: F.adaptive_max_pool3d(a, out, True), lambda a: TF.adaptive_max_pool3d(a, out, True), [x]
    )


def test_second_derivatives_and_unbatched():
    x, w, b = RNG.normal(size=(2, 2, 4, 3, 4)), RNG.normal(size=(3, 2, 2, 2, 3)), RNG.normal(size=3)
    opts = dict(stride=(2, 1, 1), padding=1, dilation=(1, 2, 1))
    _compare(
        lambda x, w, b: F.conv3d(x, w, b, **opts), lambda x, w, b: TF.conv3d(x, w, b, **opts), [x, w, b], True
    )
    _compare(lambda x: F.max_pool3d(x, 2, 1, 1), lambda x: TF.max_pool3d(x, 2, 1, 1), [x], True)
    _compare(lambda x: F.avg_pool3d(x, 2, 1, 1), lambda x: TF.avg_pool3d(x, 2, 1, 1), [x], True)
    _compare(
        lambda x: F.conv3d(x, Tensor(w)), lambda x: TF.conv3d(x, torch.tensor(w)), [x[0]]
    )  # (C, D, H, W)
    _compare(lambda x: F.max_pool3d(x, 2), lambda x: TF.max_pool3d(x, 2), [x[0]])
    _compare(lambda x: F.adaptive_avg_pool3d(x, 2), lambda x: TF.adaptive_avg_pool3d(x, 2), [x[0]])


@pytest.mark.parametrize("padding_mode", ["zeros", "reflect", "replicate", "circular"])
def test_conv3d_module(padding_mode):
    kw = dict(stride=(1, 2, 1), padding=(1, 0, 2), dilation=1, groups=2, padding_mode=padding_mode)
    ours, theirs = (
        nn.Conv3d(4, 6, (2, 3, 3), **kw),
        torch.nn.Conv3d(4, 6, (2, 3, 3), dtype=torch.float64, **kw),
    )
    assert repr(ours) == repr(theirs)
    bound = 1 / np.sqrt(4 // 2 * 18)
    assert all(np.abs(p.data).max() <= bound for p in ours.parameters())
    theirs.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in ours.state_dict().items()})
    x = RNG.normal(size=(2, 4, 3, 5, 4))
    _compare(ours, theirs, [x])
    same = nn.Conv3d(2, 2, 3, padding="same", padding_mode=padding_mode)
    tsame = torch.nn.Conv3d(2, 2, 3, padding="same", padding_mode=padding_mode, dtype=torch.float64)
    tsame.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in same.state_dict().items()})
    _compare(same, tsame, [RNG.normal(size=(1, 2, 3, 4, 5))])
    _same_seed_init(lambda: nn.Conv3d(4, 2, 2, groups=2), lambda: torch.nn.Conv3d(4, 2, 2, groups=2), 4)


def test_pool_modules_and_batchnorm3d():
    for ours, theirs in [
        (nn.MaxPool3d(2, 1, 1, return_indices=True), torch.nn.MaxPool3d(2, 1, 1, return_indices=True)),
        (nn.AvgPool3d((2, 1, 2), ceil_mode=True), torch.nn.AvgPool3d((2, 1, 2), ceil_mode=True)),
        (nn.AdaptiveAvgPool3d((2, None, 3)), torch.nn.AdaptiveAvgPool3d((2, None, 3))),
        (nn.AdaptiveMaxPool3d(2), torch.nn.AdaptiveMaxPool3d(2)),
    ]:
        assert repr(ours) == repr(theirs)
        _compare(ours, theirs, [RNG.normal(size=(2, 3, 4, 5, 3))])
    ours, theirs = nn.BatchNorm3d(3), torch.nn.BatchNorm3d(3, dtype=torch.float64)
    assert repr(ours) == repr(theirs)
    for _ in range(2):
        _compare(ours, theirs, [RNG.normal(size=(2, 3, 2, 3, 2)) * 2 + 1])
    for key, value in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[key], value.numpy(), err_msg=key, **TOL)
    ours.eval()
    theirs.eval()
    _compare(ours, theirs, [RNG.normal(size=(2, 3, 2, 3, 2))])
    with pytest.raises(ValueError, match="expected a 5-d input"):
        ours(np.zeros((2, 3, 4, 4)))


def test_compiled_3d_cnn_step_is_eager_bit_for_bit():
    w1 = Tensor(RNG.normal(size=(3, 2, 3, 3, 3)) * 0.3, requires_grad=True)
    w2 = Tensor(RNG.normal(size=(3, 2, 2, 2, 2)) * 0.3, requires_grad=True)

    def loss(x):
        h = F.max_pool3d(F.conv3d(x, w1, padding=1).relu(), 2, ceil_mode=True)
        h = (
            F.avg_pool3d(h, (1, 3, 1), 1, (0, 1, 0))
            + F.adaptive_avg_pool3d(h, h.shape[2:])
            + F.adaptive_max_pool3d(h, 2).mean()
        )
        return F.conv_transpose3d(h, w2, stride=2).square().mean()

    step = autograd.compile(loss)
    for _ in range(3):
        x = Tensor(RNG.normal(size=(2, 2, 4, 5, 4)))
        eager = loss(x)
        eager.backward()
        want = [w1.grad.data.copy(), w2.grad.data.copy()]
        w1.grad = w2.grad = None
        np.testing.assert_array_equal(step(x).data, eager.data)
        np.testing.assert_array_equal(w1.grad.data, want[0])
        np.testing.assert_array_equal(w2.grad.data, want[1])
        w1.grad = w2.grad = None
    assert step.trace_count == 1


def test_a_wrong_depth_order_is_caught(monkeypatch):
    """unfold3d with the kernel's depths read in reverse order (a true convolution in depth, not
    torch's cross-correlation): caught."""
    right = volumes.unfold3d

    def wrong(x, kernel, dilation, padding, stride):
        cols = right(x, kernel, dilation, padding, stride)
        n, k, length = cols.shape
        reverse = np.arange(kernel[0])[::-1].copy()
        return (
            cols.reshape((n, x.shape[1], kernel[0], -1, length))
            .index_select(2, reverse)
            .reshape((n, k, length))
        )

    arrays = [RNG.normal(size=(1, 2, 4, 3, 3)), RNG.normal(size=(2, 2, 2, 2, 2))]
    opts = dict(stride=(2, 1, 1))
    _compare(lambda x, w: F.conv3d(x, w, **opts), lambda x, w: TF.conv3d(x, w, **opts), arrays)
    monkeypatch.setattr(volumes, "unfold3d", wrong)
    with pytest.raises(AssertionError):
        _compare(lambda x, w: F.conv3d(x, w, **opts), lambda x, w: TF.conv3d(x, w, **opts), arrays)


X5, W5 = np.ones((1, 2, 4, 4, 4)), np.ones((2, 2, 3, 3, 3))


@pytest.mark.parametrize(
    "call,error,message",
    [
        (lambda: F.conv3d(np.ones((1, 3, 4, 4, 4)), W5), RuntimeError, "the input has 3 channels"),
        (lambda: F.conv3d(np.ones((1, 2, 2, 4, 4)), W5), RuntimeError, "no window fits"),
        (lambda: F.conv3d(X5, W5, stride=2, padding="same"), ValueError, "strided"),
        (lambda: F.conv3d(X5, W5, padding="full"), ValueError, "'valid' or 'same'"),
        (lambda: F.conv3d(np.ones((4, 4, 4)), W5), ValueError, "expected a 4-d .* or 5-d"),
        (lambda: F.conv3d(X5, np.ones((2, 2, 3, 3))), RuntimeError, "expected a 5-d weight"),
        (lambda: F.conv3d(X5, W5, stride=(1, 2)), ValueError, "stride must be an int or a tuple of 3"),
        (lambda: F.conv3d(X5, W5, np.ones(3)), RuntimeError, "bias of shape"),
        (
            lambda: F.conv3d(np.ones((1, 4, 4, 4, 4)), np.ones((3, 2, 3, 3, 3)), groups=2),
            RuntimeError,
            "divisible",
        ),
        (lambda: F.max_pool3d(X5, 3, padding=2), ValueError, "at most half of effective kernel size"),
        (lambda: F.max_pool3d(np.ones((1, 1, 2, 4, 4)), 3), ValueError, "output would be empty"),
        (lambda: F.avg_pool3d(X5, 2, divisor_override=0), ValueError, "divisor_override"),
        (
            lambda: F.avg_pool3d(np.ones((1, 1, 1, 3, 3)), 2, 1, 1),
            RuntimeError,
            r"input image \(T: 1 H: 3 W: 3\) smaller",
        ),
        (lambda: F.adaptive_avg_pool3d(X5, (2, 2)), ValueError, "output_size must be an int or 3 ints"),
        (lambda: F.adaptive_max_pool3d(X5, 0), ValueError, "output_size must be positive"),
        (lambda: nn.Conv3d(2, 3, 3, groups=2), ValueError, "divisible by groups"),
    ],
)
def test_bad_input_names_the_problem(call, error, message):
    with pytest.raises(error, match=message):
        call()
