"""The fast paths of max(dim)/min(dim) (a reduction, the first extreme found by passes over a short
axis) and of fold for windows that do not overlap (a max pool's backward), each against the
general path on the same inputs bit for bit and against torch: values, gradients, second
derivatives, compiled = eager; ties, signed zeros, nan and -inf windows; and a wrong fast path
caught."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import autograd.nn.functional as F
from autograd import Tensor, ops
from autograd.ops import shape as shape_ops
from autograd.ops import windows

torch = pytest.importorskip("torch")
TF = torch.nn.functional
RNG = np.random.default_rng(11)
KINDS = ["normal", "ties", "relu", "signed_zeros", "nan", "minus_inf", "inf"]


def _data(shape: tuple[int, ...], kind: str, dtype: type = np.float64) -> np.ndarray:
    """Numbers of ``kind``: ties (-1, 0, 1), relu'd (many zero maxima), +0.0 and -0.0 mixed, or a
    seventh of the elements nan, -inf or inf (several in some windows)."""
    if kind == "normal":
        x = RNG.normal(size=shape)
    elif kind == "relu":
        x = np.maximum(RNG.normal(size=shape), 0)
    elif kind == "signed_zeros":
        x = np.where(RNG.random(shape) < 0.5, -0.0, 0.0) - (RNG.random(shape) < 0.3)
    else:
        x = RNG.integers(-1, 2, size=shape).astype(np.float64)
    if kind in ("nan", "minus_inf", "inf"):
        special = {"nan": np.nan, "minus_inf": -np.inf, "inf": np.inf}[kind]
        x[RNG.random(shape) < 1 / 7] = special
        if kind == "minus_inf":
            x[0, 0] = -np.inf  # (whole windows of -infs)
    return x.astype(dtype)


def _general(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every max(dim)/min(dim) and fold through the general path (argmax, the loop of adds)."""
    monkeypatch.setattr(shape_ops, "_short", lambda a, axis: False)
    monkeypatch.setattr(windows, "disjoint", lambda kernel, dilation, stride: False)


def _run(fn, x: np.ndarray, g: np.ndarray) -> dict[str, np.ndarray]:
    """Values, gradient, a second derivative and the compiled step's gradient of ``Σ g·fn(x)``."""
    a = Tensor(x.copy(), requires_grad=True)
    out = fn(a)
    (out * Tensor(g)).sum().backward()
    b = Tensor(x.copy(), requires_grad=True)
    (gb,) = autograd.grad((fn(b) * Tensor(np.nan_to_num(g))).sum(), [b], create_graph=True)
    (second,) = autograd.grad((gb * gb * Tensor(np.nan_to_num(x))).sum(), [b], allow_unused=True)
    c = Tensor(x.copy(), requires_grad=True)
    step = autograd.compile(lambda t: (fn(t) * Tensor(g)).sum())
    step(c)
    compiled = c.grad.data.copy()
    c.grad = None
    step(c)  # (the second call runs the generated code alone)
    np.testing.assert_array_equal(c.grad.data, compiled)
    return {
        "value": out.data,
        "grad": a.grad.data,
        "second": np.zeros(0) if second is None else np.asarray(getattr(second, "data", second)),
        "compiled": compiled,
    }


def _bitwise(x: np.ndarray, y: np.ndarray) -> None:
    assert x.dtype == y.dtype and x.shape == y.shape
    same = x.tobytes() == y.tobytes()  # (a bool: pytest would diff the two byte strings, for minutes)
    assert same, "not the same bits"


POOLS = [
    dict(kernel_size=2),
    dict(kernel_size=(2, 3)),
    dict(kernel_size=3, stride=2, padding=1),
    dict(kernel_size=2, stride=3),
    dict(kernel_size=2, ceil_mode=True),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_max_pool_fast_paths_are_the_general_path_bit_for_bit(kind, dtype, monkeypatch):
    """Max pools big enough for the fast paths: the same bits as the general path, also in the
    second derivative and the compiled step (which is the eager one)."""
    x = _data((8, 6, 13, 12), kind, dtype)
    for options in POOLS:
        fn = lambda t, o=options: F.max_pool2d(t, **o)  # noqa: E731
        g = RNG.normal(size=F.max_pool2d(Tensor(x), **options).shape).astype(dtype)
        g.reshape(-1)[::5] *= -1
        g.reshape(-1)[1] = np.nan  # (an upstream nan reaches only its window's choice)
        fast = _run(fn, x, g)
        with monkeypatch.context() as m:
            _general(m)
            general = _run(fn, x, g)
        for key in fast:
            _bitwise(fast[key], general[key])
        _bitwise(fast["compiled"], fast["grad"])


@pytest.mark.parametrize("kind", KINDS)
def test_max_pool_fast_paths_against_torch(kind):
    """Values, returned indices and gradients as torch's (float64): the gradient to each window's
    first maximum, or its last nan (several in some windows), +0.0 elsewhere."""
    x = _data((8, 6, 12, 12), kind)
    a, t = Tensor(x.copy(), requires_grad=True), torch.tensor(x, requires_grad=True)
    (o, i), (u, j) = F.max_pool2d(a, 2, return_indices=True), TF.max_pool2d(t, 2, return_indices=True)
    np.testing.assert_array_equal(o.data, u.detach().numpy())
    np.testing.assert_array_equal(i.data, j.numpy())
    g = RNG.normal(size=o.shape)
    (o * Tensor(g)).sum().backward()
    u.backward(torch.tensor(g))
    _bitwise(a.grad.data, t.grad.numpy())  # (+0.0 where nothing is chosen, as torch's)
    if kind in ("normal", "ties", "relu"):  # second derivatives: of Σ grad² · x, by x and by g
        b, G = Tensor(x.copy(), requires_grad=True), Tensor(g, requires_grad=True)
        tb, tG = torch.tensor(x, requires_grad=True), torch.tensor(g, requires_grad=True)
        (ga,) = autograd.grad((F.max_pool2d(b, 2) * G).sum(), [b], create_graph=True)
        (gt,) = torch.autograd.grad((TF.max_pool2d(tb, 2) * tG).sum(), [tb], create_graph=True)
        mine = autograd.grad((ga * ga * Tensor(x)).sum(), [b, G], allow_unused=True)
        theirs = torch.autograd.grad((gt * gt * torch.tensor(x)).sum(), [tb, tG], allow_unused=True)
        for m, th in zip(mine, theirs):  # (by x: 0, a selection's derivative; None where unused)
            m = np.zeros(th.shape) if m is None else np.asarray(getattr(m, "data", m))
            np.testing.assert_allclose(m, th.numpy(), rtol=1e-12, atol=1e-12)
        assert np.any(mine[1])


#: every max pool with its indices, as (name, shape, options): torch's kernels take a window's last
#: nan (1d, 2d, 3d, adaptive; overlapping, padded, dilated and ceil-mode windows)
NAN_POOLS = [
    ("max_pool1d", (3, 4, 23), dict(kernel_size=3, stride=2, padding=1)),
    ("max_pool1d", (3, 4, 23), dict(kernel_size=4, stride=1, dilation=2, ceil_mode=True)),
    ("max_pool2d", (4, 5, 13, 12), dict(kernel_size=2)),
    ("max_pool2d", (4, 5, 13, 12), dict(kernel_size=(3, 2), stride=1, padding=1)),
    ("max_pool2d", (4, 5, 13, 12), dict(kernel_size=3, stride=2, dilation=2, padding=1, ceil_mode=True)),
    ("max_pool3d", (2, 3, 6, 7, 8), dict(kernel_size=2)),
    ("max_pool3d", (2, 3, 6, 7, 8), dict(kernel_size=3, stride=2, padding=1)),
    ("adaptive_max_pool1d", (3, 4, 23), dict(output_size=5)),
    ("adaptive_max_pool2d", (4, 5, 13, 12), dict(output_size=(4, 5))),
    ("adaptive_max_pool3d", (2, 3, 6, 7, 8), dict(output_size=(2, 3, 3))),
]


def _nans(shape: tuple[int, ...], dtype: type) -> np.ndarray:
    """Half the elements nan, of both signs (a nan's bits tell which one was taken), some -inf."""
    x = RNG.normal(size=shape)
    x[RNG.random(shape) < 0.5] = np.nan
    x[RNG.random(shape) < 0.1] = -np.inf
    x = x.astype(dtype)
    x[(RNG.random(shape) < 0.5) & np.isnan(x)] = np.copysign(np.nan, -1)  # (-nan: the sign bit set)
    return x


@pytest.mark.parametrize("name, shape, options", NAN_POOLS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("path", ["fast", "general"])
def test_several_nans_in_a_window_choose_the_last_as_torch(name, shape, options, dtype, path, monkeypatch):
    """Of several nans in a window, every max pool takes the last, as torch's kernels
    (``val > max || isnan(val)``; torch.max(dim) would take the first): its bits as the value,
    its position as the index, the gradient to it alone; in the fast path (a reduction over a short
    axis) and the general one (argmax), eager and compiled."""
    if path == "general":
        _general(monkeypatch)
    x = _nans(shape, dtype)
    mine, theirs = getattr(F, name), getattr(TF, name)
    a, t = Tensor(x.copy(), requires_grad=True), torch.tensor(x, requires_grad=True)
    (o, i), (u, j) = mine(a, **options, return_indices=True), theirs(t, **options, return_indices=True)
    _bitwise(o.data, u.detach().numpy())  # (the last nan's bits: a -nan where that was the last)
    np.testing.assert_array_equal(i.data, j.numpy())
    g = RNG.normal(size=o.shape).astype(dtype)
    (o * Tensor(g)).sum().backward()
    u.backward(torch.tensor(g))
    assert ((a.grad.data != 0) == (t.grad.numpy() != 0)).all()  # (the same elements chosen)
    tol = 1e-6 if dtype == np.float32 else 1e-14  # (overlapping windows: sums in another order)
    np.testing.assert_allclose(a.grad.data, t.grad.numpy(), rtol=tol, atol=tol)
    step = autograd.compile(lambda v, w: (mine(v, **options) * w).sum())
    for _ in range(2):  # (the second call runs the generated code: new nans, chosen anew)
        y = _nans(shape, dtype)
        c, tc = Tensor(y.copy(), requires_grad=True), torch.tensor(y, requires_grad=True)
        step(c, Tensor(g))
        theirs(tc, **options).backward(torch.tensor(g))
        np.testing.assert_allclose(c.grad.data, tc.grad.numpy(), rtol=tol, atol=tol)
        assert ((c.grad.data != 0) == (tc.grad.numpy() != 0)).all()


def test_a_window_of_two_nans_chooses_the_second():
    """The smallest case: windows of two nans side by side give the second one's index, bits and
    gradient; one nan is chosen wherever it is; the first maximum of a tie is kept."""
    x = np.zeros((8, 6, 12, 12))
    x[:, :, 0, :] = np.nan  # (each window of the first row: two nans side by side)
    x[:, :, 0, 1::4] = np.copysign(np.nan, -1)  # (the second of every other window a -nan)
    x[:, :, 2, 3] = np.nan  # (one nan among zeros, the second element of window (1, 1))
    a = Tensor(x.copy(), requires_grad=True)
    o, i = F.max_pool2d(a, 2, return_indices=True)
    o.sum().backward()
    assert (i.data[:, :, 0] == np.arange(1, 12, 2)).all()
    assert (np.signbit(o.data[:, :, 0]) == (np.arange(6) % 2 == 0)).all()
    assert (a.grad.data[:, :, 0, 1::2] == 1).all() and (a.grad.data[:, :, 0, ::2] == 0).all()
    assert (i.data[:, :, 1, 1] == 2 * 12 + 3).all() and (a.grad.data[:, :, 2, 3] == 1).all()
    _, j = TF.max_pool2d(torch.tensor(x), 2, return_indices=True)
    np.testing.assert_array_equal(i.data, j.numpy())


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("op", ["max", "min"])
def test_max_and_min_along_a_short_axis_against_torch_and_the_general_path(kind, op, monkeypatch):
    """torch's max(dim)/min(dim) along each axis of a (6, 5, 9, 16) array: values, indices and
    gradients as torch's, and the same bits as the general path (values, gradients, second
    derivatives, compiled)."""
    x = _data((6, 5, 9, 16), kind)
    for dim in range(4):
        assert shape_ops._short(x, dim)  # (the fast path runs)
        a, t = Tensor(x.copy(), requires_grad=True), torch.tensor(x, requires_grad=True)
        (v, i), (w, j) = getattr(a, op)(dim=dim), getattr(t, op)(dim=dim)
        _bitwise(v.data, w.detach().numpy())  # (the first extreme's bits: its zero's sign too)
        np.testing.assert_array_equal(i.data, j.numpy())
        g = RNG.normal(size=v.shape)
        (v * Tensor(g)).sum().backward()
        w.backward(torch.tensor(g))
        np.testing.assert_array_equal(a.grad.data, t.grad.numpy())
        fn = lambda s, d=dim: getattr(s, op)(dim=d, keepdim=True)[0]  # noqa: E731
        gk = np.expand_dims(g, dim)
        fast = _run(fn, x, gk)
        with monkeypatch.context() as m:
            _general(m)
            general = _run(fn, x, gk)
        for key in fast:
            _bitwise(fast[key], general[key])


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.bool_])
def test_integer_and_bool_extremes(dtype):
    """Integer and bool arrays take the fast path too: torch's values and indices."""
    x = RNG.integers(0, 3, size=(40, 4, 9)).astype(dtype)
    for dim in range(3):
        v, i = Tensor(x).max(dim=dim)
        w, j = torch.tensor(x).max(dim=dim)
        np.testing.assert_array_equal(v.data, w.numpy())
        np.testing.assert_array_equal(i.data, j.numpy())


@pytest.mark.parametrize(
    "size,kernel,dilation,padding,stride",
    [
        ((12, 12), (2, 2), (1, 1), (0, 0), (2, 2)),  # tiled: every element in one window
        ((13, 11), (2, 3), (1, 1), (0, 0), (2, 3)),  # a last row and column in no window
        ((12, 12), (2, 2), (1, 1), (1, 1), (3, 3)),  # gaps between windows, padding
        ((12, 13), (2, 2), (2, 3), (0, 1), (3, 4)),  # dilated, still disjoint
    ],
)
def test_fold_of_disjoint_windows_is_torchs_and_the_loops(
    size, kernel, dilation, padding, stride, monkeypatch
):
    """fold where no two windows overlap: torch's F.fold bit for bit (an entry -0.0 comes out as
    0 + -0.0 = +0.0, as torch's sum) and the loop over the kernel's positions; unfold then fold
    with second derivatives."""
    assert windows.disjoint(kernel, dilation, stride)
    n_windows = TF.unfold(torch.zeros(1, 1, *size), kernel, dilation, padding, stride).shape[-1]
    cols = RNG.normal(size=(3, 4 * kernel[0] * kernel[1], n_windows))
    cols[0, 0, :4] = [-0.0, np.nan, -np.inf, np.inf]
    ours = F.fold(Tensor(cols), size, kernel, dilation, padding, stride).data
    _bitwise(ours, TF.fold(torch.tensor(cols), size, kernel, dilation, padding, stride).numpy())
    with monkeypatch.context() as m:
        _general(m)
        _bitwise(ours, F.fold(Tensor(cols), size, kernel, dilation, padding, stride).data)
    x = RNG.normal(size=(3, 4, *size))
    fn = lambda t: F.unfold(t, kernel, dilation, padding, stride) ** 2  # noqa: E731
    g = RNG.normal(size=fn(Tensor(x)).shape)
    fast = _run(fn, x, g)
    with monkeypatch.context() as m:
        _general(m)
        general = _run(fn, x, g)
    for key in fast:
        _bitwise(fast[key], general[key])


def test_a_wrong_fast_path_is_caught(monkeypatch):
    """The checks catch a fast path that trusts the reduction's zero at a tie of signed zeros (it
    may be +0.0 where the first maximum is -0.0), one that sends the gradient to the last of tied
    maxima, and a fold that forgets the 0 + entry (-0.0 stays -0.0)."""
    x = np.zeros((8, 6, 12, 12))
    x[:, :, ::2, ::2] = -0.0  # (each window: -0.0 first, then +0.0s)
    t = torch.tensor(x)
    with monkeypatch.context() as m:
        m.setattr(shape_ops, "_ties_are_one", lambda m_, a: True)
        with pytest.raises(AssertionError):
            _bitwise(F.max_pool2d(Tensor(x), 2).data, TF.max_pool2d(t, 2).numpy())
    _bitwise(F.max_pool2d(Tensor(x), 2).data, TF.max_pool2d(t, 2).numpy())

    right = shape_ops.first_chosen

    def last(a, out, axis):
        chosen = right(a, out, axis)
        return None if chosen is None else np.flip(right(np.flip(a, axis), out, axis), axis)

    x = RNG.integers(0, 2, size=(8, 6, 12, 12)).astype(np.float64)  # (many tied maxima)
    a, tt = Tensor(x.copy(), requires_grad=True), torch.tensor(x, requires_grad=True)
    TF.max_pool2d(tt, 2).sum().backward()
    with monkeypatch.context() as m:
        m.setattr(shape_ops, "first_chosen", last)
        F.max_pool2d(a, 2).sum().backward()
        with pytest.raises(AssertionError):
            np.testing.assert_array_equal(a.grad.data, tt.grad.numpy())

    cols = np.full((1, 4, 36), -0.0)
    want = TF.fold(torch.tensor(cols), 12, 2, stride=2).numpy()
    with monkeypatch.context() as m:
        m.setattr(np, "add", lambda x_, y, out: np.copyto(out, x_))
        with pytest.raises(AssertionError):
            _bitwise(ops.FOLD.forward(cols, (12, 12), (2, 2), (1, 1), (0, 0), (2, 2)), want)
    _bitwise(ops.FOLD.forward(cols, (12, 12), (2, 2), (1, 1), (0, 0), (2, 2)), want)


DILATED_PADDED = [
    ("max_pool1d", (3, 4, 23), dict(kernel_size=3, stride=2, dilation=3, padding=1, ceil_mode=True)),
    ("max_pool2d", (4, 5, 13, 12), dict(kernel_size=3, stride=2, dilation=2, padding=1, ceil_mode=True)),
    ("max_pool2d", (2, 3, 9, 10), dict(kernel_size=(2, 3), stride=(1, 2), dilation=(1, 3), padding=(1, 1))),
    (
        "max_pool3d",
        (2, 2, 5, 6, 7),
        dict(kernel_size=(2, 3, 2), stride=1, padding=(1, 1, 0), dilation=(2, 1, 3)),
    ),
]


@pytest.mark.parametrize("name, shape, options", DILATED_PADDED)
@pytest.mark.parametrize("path", ["fast", "general"])
def test_a_window_of_infs_gives_its_gradient_to_its_index_not_to_padding(
    name, shape, options, path, monkeypatch
):
    """A dilated window is padded with -inf; torch never takes a padding element, so where every
    element of a window is -inf its index names its first element inside the input, and the gradient
    goes there. Here the first maximum of the padded window was a padding -inf: the index was torch's
    but the gradient went to the padding (lost), on 20-90% of random inputs with -infs. Eager and
    compiled, values, indices and gradients against torch."""
    if path == "general":
        _general(monkeypatch)
    x = np.full(shape, -np.inf, np.float32)
    x[RNG.random(shape) < 0.2] = RNG.normal(size=shape)[RNG.random(shape) < 0.2][:1]  # (a few numbers)
    mine, theirs = getattr(F, name), getattr(TF, name)
    a, t = Tensor(x.copy(), requires_grad=True), torch.tensor(x, requires_grad=True)
    (o, i), (u, j) = mine(a, **options, return_indices=True), theirs(t, **options, return_indices=True)
    np.testing.assert_array_equal(o.data, u.detach().numpy())
    np.testing.assert_array_equal(i.data, j.numpy())
    g = RNG.normal(size=o.shape).astype(np.float32)
    (o * Tensor(g)).sum().backward()
    u.backward(torch.tensor(g))
    np.testing.assert_allclose(a.grad.data, t.grad.numpy(), rtol=1e-6, atol=1e-6)
    eager = a.grad.data.copy()
    a.grad = None
    autograd.compile(lambda: (mine(a, **options) * Tensor(g)).sum())()
    np.testing.assert_array_equal(a.grad.data, eager)
