"""``group_norm``, ``instance_norm``, ``rms_norm``, ``local_response_norm``, ``lp_pool1d``/``2d``/``3d``
and ``rrelu`` and their modules against torch 2.13: values, gradients and second derivatives
(float64 and float32; bit for bit where the operation order is torch's, else to rtol 1e-12 /
1e-6), nan/inf/0-d/empty edges, torch's errors, reprs and state dicts (torch's loads into ours and
gives its outputs; running statistics move as torch's). ``rrelu`` in training draws torch's slopes
after the same seed, bit for bit, and leaves the generator where torch leaves it."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import autograd
import autograd.nn as nn
import autograd.nn.functional as F
from autograd import Tensor, Value, ValueArray
from autograd.gradcheck import gradgradcheck

INF = float("inf")
MEAN, VAR = np.array([0.3, -0.2, 0.1]), np.array([0.5, 2.0, 1.5])

# name: (ours, torch's, argument shapes; the first is the input), each called on the arguments
CASES: dict[str, tuple[Callable[..., Any], Callable[..., Any], list[tuple[int, ...]]]] = {
    "group_norm": (
        lambda x, w, b: F.group_norm(x, 3, w, b),
        lambda x, w, b: TF.group_norm(x, 3, w, b),
        [(3, 6, 5), (6,), (6,)],
    ),
    "group_norm-4d": (
        lambda x: F.group_norm(x, 1, eps=0.1),
        lambda x: TF.group_norm(x, 1, eps=0.1),
        [(2, 2, 3, 2)],
    ),
    "instance_norm": (
        lambda x, w, b: F.instance_norm(x, weight=w, bias=b),
        lambda x, w, b: TF.instance_norm(x, weight=w, bias=b),
        [(3, 4, 5), (4,), (4,)],
    ),
    "instance_norm-eval": (
        lambda x: F.instance_norm(x, Tensor(MEAN), Tensor(VAR), use_input_stats=False),
        lambda x: TF.instance_norm(x, torch.tensor(MEAN), torch.tensor(VAR), use_input_stats=False),
        [(2, 3, 2, 2)],
    ),
    "rms_norm": (
        lambda x, w: F.rms_norm(x, (6, 5), w),
        lambda x, w: TF.rms_norm(x, (6, 5), w),
        [(3, 6, 5), (6, 5)],
    ),
    "rms_norm-eps": (lambda x: F.rms_norm(x, 5, eps=0.1), lambda x: TF.rms_norm(x, (5,), eps=0.1), [(3, 5)]),
    "local_response_norm": (
        lambda x: F.local_response_norm(x, 3, 0.1),
        lambda x: TF.local_response_norm(x, 3, 0.1),
        [(3, 6, 5)],
    ),
    "local_response_norm-4d": (
        lambda x: F.local_response_norm(x, 2, 0.3, 0.5, 2.0),
        lambda x: TF.local_response_norm(x, 2, 0.3, 0.5, 2.0),
        [(2, 5, 3, 4)],
    ),
    "lp_pool1d-p2": (lambda x: F.lp_pool1d(x, 2, 2), lambda x: TF.lp_pool1d(x, 2, 2), [(3, 6, 5)]),
    "lp_pool1d-p1.5": (
        lambda x: F.lp_pool1d(x.abs(), 1.5, 3, 2, True),
        lambda x: TF.lp_pool1d(x.abs(), 1.5, 3, 2, True),
        [(3, 6, 8)],
    ),
    "lp_pool2d-p3": (
        lambda x: F.lp_pool2d(x.abs(), 3, (2, 3)),
        lambda x: TF.lp_pool2d(x.abs(), 3, (2, 3)),
        [(2, 2, 4, 6)],
    ),
    "lp_pool2d-inf": (lambda x: F.lp_pool2d(x, INF, 2), lambda x: TF.lp_pool2d(x, INF, 2), [(2, 2, 4, 6)]),
    "lp_pool3d-p2": (
        lambda x: F.lp_pool3d(x, 2, 2, 1),
        lambda x: TF.lp_pool3d(x, 2, 2, 1),
        [(1, 2, 3, 4, 3)],
    ),
    "lp_pool1d--inf": (lambda x: F.lp_pool1d(x, -INF, 2), lambda x: TF.lp_pool1d(x, -INF, 2), [(2, 3, 6)]),
    "rrelu-eval": (lambda x: F.rrelu(x, 0.1, 0.6), lambda x: TF.rrelu(x, 0.1, 0.6), [(4, 5)]),
}
#: the cases whose float64 value and gradient are torch's bit for bit (torch's operation order; the
#: others' 1/p-th power or square root is torch's SLEEF one, 1 ulp from the rounded root in ~1% of values)
BITWISE = {"lp_pool2d-inf", "lp_pool1d--inf", "rrelu-eval"}


def _arrays(shapes: list[tuple[int, ...]], seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s) for s in shapes]


def _close(ours: np.ndarray, theirs: np.ndarray, rtol: float, where: Any) -> None:
    """Equal to ``rtol`` of the largest magnitude (cancellation leaves small entries less exact)."""
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype, where
    scale = np.max(np.abs(theirs), initial=0.0)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=rtol * scale, err_msg=str(where))


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_values_gradients_and_second_derivatives_are_torchs(name: str, dtype: type) -> None:
    ours_fn, torch_fn, shapes = CASES[name]
    rtol = 1e-12 if dtype == np.float64 else 1e-6
    for seed in range(3):
        arrays = [a.astype(dtype) for a in _arrays(shapes, seed)]
        xo = [Tensor(a, requires_grad=True) for a in arrays]
        xt = [torch.tensor(a, requires_grad=True) for a in arrays]
        yo, yt = ours_fn(*xo), torch_fn(*xt)
        u = np.random.default_rng(seed + 10).standard_normal(yt.shape).astype(dtype)
        go = autograd.grad((yo * Tensor(u)).sum(), xo, create_graph=True)
        gt = torch.autograd.grad((yt * torch.tensor(u)).sum(), xt, create_graph=True)
        where = (name, np.dtype(dtype).name, seed)
        _close(yo.data, yt.detach().numpy(), rtol, where)
        for a, b in zip(go, gt):
            _close(a.data, b.detach().numpy(), rtol, where)
        if name in BITWISE and dtype == np.float64:
            assert yo.data.tobytes() == yt.detach().numpy().tobytes(), where
            assert all(a.data.tobytes() == b.detach().numpy().tobytes() for a, b in zip(go, gt)), where
        if dtype == np.float64 and any(g.requires_grad for g in go):  # second derivatives: v·H
            v = [np.random.default_rng(seed + 20).standard_normal(a.shape) for a in arrays]
            hv_o = autograd.grad(sum((g * Tensor(w)).sum() for g, w in zip(go, v)), xo, allow_unused=True)
            vt = sum((g * torch.tensor(w)).sum() for g, w in zip(gt, v))
            hv_t = torch.autograd.grad(vt, xt, allow_unused=True) if vt.requires_grad else [None] * len(xt)
            for a, b, x in zip(hv_o, hv_t, arrays):  # (None: no dependence, zeros)
                a = np.zeros_like(x) if a is None else np.asarray(getattr(a, "data", a))
                _close(a, np.zeros_like(x) if b is None else b.numpy(), 1e-10, (*where, "second"))


@pytest.mark.parametrize("name", list(CASES))
def test_second_derivatives_pass_gradgradcheck(name: str) -> None:
    ours_fn, _, shapes = CASES[name]
    arrays = _arrays(shapes, 7)
    if name.startswith("lp_pool1d-p1.5"):
        arrays[0] = arrays[0] + np.sign(arrays[0]) * 0.3  # away from |x| = 0, where p = 1.5 has a kink
    assert gradgradcheck(lambda *xs: ours_fn(*xs), *[Tensor(a, requires_grad=True) for a in arrays])


@pytest.mark.parametrize("name", list(CASES))
def test_nan_inf_zero_and_empty_inputs_give_torchs_values_and_gradients(name: str) -> None:
    ours_fn, torch_fn, shapes = CASES[name]
    arrays = _arrays(shapes, 3)
    x = arrays[0]
    specials = [x.copy(), np.zeros_like(x), np.zeros((0, *x.shape[1:]))]
    specials[0].reshape(-1)[:4] = [np.nan, np.inf, -np.inf, -0.0]
    for s in specials:
        xo, xt = Tensor(s, requires_grad=True), torch.tensor(s, requires_grad=True)
        rest_o = [Tensor(a, requires_grad=True) for a in arrays[1:]]
        rest_t = [torch.tensor(a, requires_grad=True) for a in arrays[1:]]
        if s.size == 0 and name == "instance_norm":  # (torch's affine instance_norm fails on N = 0)
            with pytest.raises(IndexError):
                torch_fn(xt, *rest_t)
            assert ours_fn(xo, *rest_o).shape == s.shape
            continue
        yo, yt = ours_fn(xo, *rest_o), torch_fn(xt, *rest_t)
        u = np.random.default_rng(4).standard_normal(yt.shape)
        (yo * Tensor(u)).sum().backward()
        (yt * torch.tensor(u)).sum().backward()
        for ours, theirs in ((yo.data, yt.detach().numpy()), (xo.grad.data, xt.grad.numpy())):
            np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs), err_msg=name)
            finite = np.isfinite(theirs)
            _close(np.where(finite, ours, 0.0), np.where(finite, theirs, 0.0), 1e-12, name)
            np.testing.assert_array_equal(ours[~finite], theirs[~finite], err_msg=name)


# ---------------------------------------------------------------------------------------------- rrelu
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("lower, upper", [(1 / 8, 1 / 3), (0.1, 0.7), (-1.3, 2.9), (0.25, 0.25), (0.0, 1e-7)])
def test_rrelu_training_draws_torchs_slopes_bit_for_bit(dtype: type, lower: float, upper: float) -> None:
    rng = np.random.default_rng(1)
    for shape in [(), (7,), (3, 4, 5), (0, 3), (300,)]:
        x = rng.standard_normal(shape).astype(dtype)
        if x.size > 4:
            x.reshape(-1)[:4] = [np.nan, 0.0, -0.0, -np.inf]
        g = rng.standard_normal(shape).astype(dtype)
        torch.manual_seed(11)
        autograd.manual_seed(11)
        xt, xo = torch.tensor(x, requires_grad=True), Tensor(x, requires_grad=True)
        theirs, ours = TF.rrelu(xt, lower, upper, True), F.rrelu(xo, lower, upper, True)
        theirs.backward(torch.tensor(g))
        (ours * Tensor(g)).sum().backward()
        where = (shape, np.dtype(dtype).name, lower, upper)
        assert ours.data.dtype == dtype and ours.data.tobytes() == theirs.detach().numpy().tobytes(), where
        assert xo.grad.data.tobytes() == xt.grad.numpy().tobytes(), where
        assert autograd.rand(3).data.tobytes() == torch.rand(3).double().numpy().tobytes(), where


def test_rrelu_training_second_derivatives_pass_gradgradcheck() -> None:
    def f(x: Tensor) -> Tensor:  # the same slopes at every evaluation
        autograd.manual_seed(12)
        return F.rrelu(x, 0.1, 0.9, True) ** 2

    x = np.random.default_rng(3).standard_normal((3, 4))
    assert gradgradcheck(f, Tensor(x, requires_grad=True))


def test_rrelu_module_trains_with_random_slopes_and_evaluates_with_their_mean() -> None:
    x = np.random.default_rng(2).standard_normal((4, 6))
    ours, theirs = nn.RReLU(0.2, 0.5), torch.nn.RReLU(0.2, 0.5).double()
    torch.manual_seed(3)
    autograd.manual_seed(3)
    for _ in range(2):
        assert ours(Tensor(x)).data.tobytes() == theirs(torch.tensor(x)).numpy().tobytes()
    ours.eval()
    theirs.eval()
    assert ours(Tensor(x)).data.tobytes() == theirs(torch.tensor(x)).numpy().tobytes()
    np.testing.assert_array_equal(ours(Tensor(x)).data, np.where(x > 0, x, 0.35 * x))


def test_rrelu_takes_values_and_value_arrays() -> None:
    torch.manual_seed(4)
    autograd.manual_seed(4)
    v = Value(-2.0)
    y = F.rrelu(v, training=True)
    y.backward()
    t = TF.rrelu(torch.tensor(-2.0, dtype=torch.float64), training=True)
    assert isinstance(y, Value) and y.data == t.item() and v.grad == t.item() / -2.0
    va = F.rrelu(ValueArray(np.array([-1.0, 2.0, -3.0])), training=True)
    theirs = TF.rrelu(torch.tensor([-1.0, 2.0, -3.0]).double(), training=True)
    np.testing.assert_array_equal(va.data, theirs.numpy())


# ------------------------------------------------------------------------------------------- modules
MODULES: dict[str, Callable[[Any], Any]] = {  # (the library's nn or torch.nn) -> a module
    "GroupNorm": lambda n: n.GroupNorm(2, 4),
    "GroupNorm-no-affine": lambda n: n.GroupNorm(1, 3, eps=1e-3, affine=False),
    "GroupNorm-no-bias": lambda n: n.GroupNorm(2, 4, bias=False),
    "InstanceNorm1d": lambda n: n.InstanceNorm1d(3),
    "InstanceNorm2d-affine": lambda n: n.InstanceNorm2d(3, affine=True),
    "InstanceNorm3d-stats": lambda n: n.InstanceNorm3d(2, momentum=0.3, track_running_stats=True),
    "InstanceNorm1d-all": lambda n: n.InstanceNorm1d(4, affine=True, track_running_stats=True),
    "RMSNorm": lambda n: n.RMSNorm([3, 4]),
    "RMSNorm-eps": lambda n: n.RMSNorm(3, eps=1e-6, elementwise_affine=False),
    "LocalResponseNorm": lambda n: n.LocalResponseNorm(2),
    "LPPool1d": lambda n: n.LPPool1d(1.5, 3, 2, True),
    "LPPool2d": lambda n: n.LPPool2d(2, 3),
    "LPPool3d": lambda n: n.LPPool3d(3, (1, 2, 2)),
    "RReLU": lambda n: n.RReLU(),
    "RReLU-inplace": lambda n: n.RReLU(0.1, 0.3, True),
}
INPUTS = {
    "GroupNorm": (2, 4, 5),
    "GroupNorm-no-affine": (2, 3, 2, 2),
    "GroupNorm-no-bias": (2, 4, 3),
    "InstanceNorm1d": (2, 3, 5),
    "InstanceNorm2d-affine": (3, 4, 4),
    "InstanceNorm3d-stats": (2, 2, 3, 2, 2),
    "InstanceNorm1d-all": (3, 4, 6),
    "RMSNorm": (2, 3, 4),
    "RMSNorm-eps": (5, 3),
    "LocalResponseNorm": (2, 4, 3),
    "LPPool1d": (2, 3, 8),
    "LPPool2d": (2, 2, 6, 6),
    "LPPool3d": (1, 2, 3, 4, 4),
    "RReLU": (3, 4),
    "RReLU-inplace": (3, 4),
}


@pytest.mark.parametrize("name", list(MODULES))
def test_repr_and_state_dict_keys_are_torchs(name: str) -> None:
    ours, theirs = MODULES[name](nn), MODULES[name](torch.nn)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())


@pytest.mark.parametrize("name", list(MODULES))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_torchs_state_dict_loads_and_gives_torchs_outputs_and_running_statistics(
    name: str, dtype: type
) -> None:
    torch.manual_seed(0)
    theirs = MODULES[name](torch.nn).to(torch.float64 if dtype == np.float64 else torch.float32)
    with torch.no_grad():
        for p in theirs.parameters():
            p.normal_()
    ours = MODULES[name](nn).to(dtype)
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    rtol = 1e-12 if dtype == np.float64 else 2e-6
    rng = np.random.default_rng(1)
    for mode in ("train", "train", "eval"):
        getattr(ours, mode)()
        getattr(theirs, mode)()
        x = (rng.standard_normal(INPUTS[name]) + 0.5).astype(dtype)
        if name.startswith("LPPool"):
            x = np.abs(x)
        torch.manual_seed(9)
        autograd.manual_seed(9)
        yo, yt = ours(Tensor(x)), theirs(torch.tensor(x))
        _close(yo.data, yt.detach().numpy(), rtol, (name, mode))
        for key, value in theirs.state_dict().items():
            mine = ours.state_dict()[key]
            _close(np.asarray(getattr(mine, "data", mine)), value.numpy(), rtol, (name, mode, key))


def test_instance_norm_tracks_no_batches_and_momentum_none_keeps_the_statistics() -> None:
    x = np.random.default_rng(0).standard_normal((2, 3, 4))
    m = nn.InstanceNorm1d(3, track_running_stats=True, momentum=None)
    m(Tensor(x))
    assert int(m.num_batches_tracked.data) == 0
    np.testing.assert_array_equal(m.running_mean.data, np.zeros(3))
    m = nn.InstanceNorm1d(3, track_running_stats=True)
    m(Tensor(x))
    unbiased = x.var(2, ddof=1)
    np.testing.assert_allclose(m.running_mean.data, (0.1 * x.mean(2)).mean(0), rtol=1e-14)
    np.testing.assert_allclose(m.running_var.data, (0.9 + 0.1 * unbiased).mean(0), rtol=1e-14)


def test_instance_norm_of_an_empty_batch_makes_the_running_statistics_nan_as_torch() -> None:
    ours = [Tensor(np.zeros(3)), Tensor(np.ones(3))]
    theirs = [torch.zeros(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert F.instance_norm(Tensor(np.zeros((0, 3, 4))), *ours).shape == (0, 3, 4)
    TF.instance_norm(torch.zeros(0, 3, 4, dtype=torch.float64), *theirs)
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a.data, b.numpy())


def test_unbatched_instance_norm_is_the_batched_one_squeezed() -> None:
    x = np.random.default_rng(0).standard_normal((3, 4, 5))
    m = nn.InstanceNorm2d(3, affine=True)
    np.testing.assert_array_equal(m(Tensor(x)).data, m(Tensor(x[None])).data[0])


def test_instance_norm_warns_as_torch_when_the_channels_differ_without_affine() -> None:
    with pytest.warns(UserWarning, match="does not match num_features"):
        nn.InstanceNorm1d(3)(Tensor(np.ones((2, 4, 5)) + np.arange(5)))


# -------------------------------------------------------------------------------------------- errors
def _x(*shape: int) -> np.ndarray:
    return np.random.default_rng(0).standard_normal(shape)


ERRORS: list[tuple[str, Callable[[Any, Any, Any], Any]]] = [  # (lib, functional, to_tensor) -> call
    ("group_norm-groups", lambda n, f, t: f.group_norm(t(_x(2, 6, 4)), 4)),
    ("group_norm-1d", lambda n, f, t: f.group_norm(t(_x(6)), 1)),
    ("group_norm-weight", lambda n, f, t: f.group_norm(t(_x(2, 6, 4)), 3, t(np.ones(5)))),
    ("group_norm-bias", lambda n, f, t: f.group_norm(t(_x(2, 6, 4)), 3, None, t(np.ones(5)))),
    ("group_norm-one-value", lambda n, f, t: f.group_norm(t(_x(1, 6, 1)), 6)),
    ("GroupNorm-divisible", lambda n, f, t: n.GroupNorm(4, 6)),
    ("instance_norm-spatial", lambda n, f, t: f.instance_norm(t(_x(2, 3, 1)))),
    ("instance_norm-stats", lambda n, f, t: f.instance_norm(t(_x(2, 3, 4)), use_input_stats=False)),
    ("InstanceNorm1d-rank", lambda n, f, t: n.InstanceNorm1d(3)(t(_x(2, 3, 4, 5)))),
    ("InstanceNorm3d-rank", lambda n, f, t: n.InstanceNorm3d(3)(t(_x(2, 3, 4)))),
    ("InstanceNorm1d-features", lambda n, f, t: n.InstanceNorm1d(3, affine=True)(t(_x(2, 4, 5)))),
    ("rms_norm-shape", lambda n, f, t: f.rms_norm(t(_x(2, 6, 4)), (5,))),
    ("rms_norm-weight", lambda n, f, t: f.rms_norm(t(_x(2, 6, 4)), (4,), t(np.ones(3)))),
    ("rms_norm-empty", lambda n, f, t: f.rms_norm(t(_x(2, 6, 4)), ())),
    ("local_response_norm-2d", lambda n, f, t: f.local_response_norm(t(_x(2, 3)), 2)),
    ("rrelu-bounds", lambda n, f, t: f.rrelu(t(_x(3)), 0.5, 0.2, True)),
    ("rrelu-bounds-eval", lambda n, f, t: f.rrelu(t(_x(3)), 0.5, 0.2, False)),
]


def _text(message: str) -> str:
    """A message without our ``op: `` or ``Module: `` prefix (where it has one), torch's padding
    spaces and ``torch.Size(...)`` (ours prints the list)."""
    message = re.sub(r"torch\.Size\((\[.*?\])\)", r"\1", " ".join(message.split()))
    head = message.split(": ", 1)[0]
    return message.split(": ", 1)[1] if " " not in head and head else message


@pytest.mark.parametrize("name", [n for n, _ in ERRORS])
def test_errors_are_torchs(name: str) -> None:
    call = dict(ERRORS)[name]
    with pytest.raises(Exception) as theirs:
        call(torch.nn, TF, torch.tensor)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(type(theirs.value)) as ours:
            call(nn, F, Tensor)
    expected = _text(str(theirs.value))
    if name == "group_norm-bias":  # (torch's message shows the weight's shape, here [0], for the bias's)
        expected = expected.split(" but got ")[0]
    assert _text(str(ours.value)).startswith(expected), (str(ours.value), str(theirs.value))


def test_bad_arguments_name_the_argument() -> None:
    with pytest.raises(TypeError, match="num_groups must be an int"):
        F.group_norm(Tensor(_x(2, 4)), 2.0)
    with pytest.raises(TypeError, match="training must be a bool"):
        F.rrelu(Tensor(_x(3)), training=1)
    with pytest.raises(TypeError, match="lower must be a real number"):
        F.rrelu(Tensor(_x(3)), "a")
    with pytest.raises(TypeError, match="norm_type must be a real number"):
        F.lp_pool1d(Tensor(_x(2, 3, 4)), None, 2)
    with pytest.raises(TypeError, match="num_groups must be a positive int"):
        nn.GroupNorm(0, 4)
    with pytest.raises(RuntimeError, match="size must be a positive int"):
        F.local_response_norm(Tensor(_x(2, 3, 4)), 0)


def test_the_hints_no_longer_call_these_layers_missing() -> None:
    from autograd.torch_hints import FUNCTIONAL, NN

    assert not {"GroupNorm", "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "RMSNorm"} & set(NN)
    assert not {"group_norm", "instance_norm", "rms_norm", "lp_pool2d", "rrelu"} & set(FUNCTIONAL)
    for name in ("GroupNorm", "InstanceNorm3d", "LocalResponseNorm", "LPPool1d", "RReLU"):
        assert name in nn.__all__ and getattr(nn, name).__module__.startswith("autograd.nn.")
    for name in ("group_norm", "instance_norm", "rms_norm", "local_response_norm", "lp_pool3d", "rrelu"):
        assert name in F.__all__ and getattr(F, name).__module__ == "autograd.nn.functional"
