"""A differential hunt of ``autograd.nn.functional``'s losses against ``torch.nn.functional``: each
loss with its keywords, in float32 and float64, on a batch, one sample, an empty batch, a 0-d input
where torch takes one, a non-contiguous (transposed) input, and nan/inf/±1e4 entries. Compared:
the value, its dtype and shape, the gradient of every input torch differentiates and the second
order (the gradient of <grad, v>, where torch has one), and the class of torch's errors."""

# ruff: noqa: B023 (each lambda is called at once, inside its loop)
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import autograd

torch.set_num_threads(1)
nan, inf = float("nan"), float("inf")
DTYPES = [np.float64, np.float32]
REDUCTIONS = ["mean", "sum", "none"]
Call = Callable[..., Any]


def _tensors(lib: Any, arrays: list[np.ndarray], grad: tuple[int, ...]) -> list[Any]:
    out = []
    for i, a in enumerate(arrays):
        t = autograd.tensor(a) if lib is autograd else torch.from_numpy(a)  # (a view: strides kept)
        out.append(t.requires_grad_(True) if i in grad else t)
    return out


def _numpy(t: Any) -> np.ndarray:
    if isinstance(t, torch.Tensor):
        return np.zeros(tuple(t.shape)) if t._is_zerotensor() else t.detach().numpy()
    return np.asarray(t.data if isinstance(t, autograd.Tensor) else t)


def _run(lib: Any, fn: Call, arrays: list[np.ndarray], grad: tuple[int, ...]) -> dict[str, Any]:
    """The value, its dtype, the first-order gradients (upstream w) and the gradients of
    <first-order gradients, v> (None where torch has no double backward)."""
    ts = _tensors(lib, arrays, grad)
    out = fn(lib.nn.functional, *ts)
    value = _numpy(out)
    result: dict[str, Any] = {"value": value, "dtype": str(out.dtype).removeprefix("torch.")}
    inputs = [ts[i] for i in grad]
    w = np.linspace(0.5, 1.5, value.size).reshape(value.shape).astype(value.dtype)
    upstream = autograd.tensor(w) if lib is autograd else torch.from_numpy(w)
    firsts = lib.autograd.grad(out, inputs, grad_outputs=upstream, create_graph=True, allow_unused=True)
    result["grad"] = [None if g is None else _numpy(g) for g in firsts]
    terms = []
    for g in firsts:
        if g is not None and g.requires_grad:
            v = np.cos(np.arange(g.numel())).reshape(tuple(g.shape)).astype(value.dtype)
            terms.append((g * (autograd.tensor(v) if lib is autograd else torch.from_numpy(v))).sum())
    result["grad2"] = None
    if terms:
        try:
            seconds = lib.autograd.grad(sum(terms[1:], terms[0]), inputs, allow_unused=True)
        except (RuntimeError, NotImplementedError):  # (torch: "derivative ... not implemented")
            return result
        result["grad2"] = [None if g is None else _numpy(g) for g in seconds]
    return result


def _close(
    ours: np.ndarray | None, theirs: np.ndarray | None, dtype: type, what: str, order: int = 1
) -> None:
    if ours is None and theirs is None:
        return
    ours = np.zeros_like(theirs) if ours is None else ours
    theirs = np.zeros_like(ours) if theirs is None else theirs
    assert ours.shape == theirs.shape, what
    rtol, atol = (1e-9 * 100 ** (order - 1), 1e-11) if dtype == np.float64 else (3e-5 * order, 3e-6)
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol, equal_nan=True, err_msg=what)


def _same(fn: Call, arrays: list[np.ndarray], grad: tuple[int, ...]) -> None:
    """Both libraries on the same arrays: equal values, dtypes, shapes and gradients (first and
    second order), or the same class of error."""
    dtype = next((a.dtype.type for a in arrays if a.dtype.kind == "f"), np.float64)
    try:
        theirs = _run(torch, fn, arrays, grad)
    except Exception as e:  # (torch refuses: so must we, with an exception of its class)
        with pytest.raises(type(e)):
            _run(autograd, fn, arrays, grad)
        return
    ours = _run(autograd, fn, arrays, grad)
    assert ours["dtype"] == theirs["dtype"]
    _close(ours["value"], theirs["value"], dtype, "value")
    for i, (g, h) in enumerate(zip(ours["grad"], theirs["grad"])):
        _close(g, h, dtype, f"gradient of input {grad[i]}")
    if theirs["grad2"] is not None:  # (ours is None where the first order is constant: zeros)
        for i, (g, h) in enumerate(zip(ours["grad2"] or [None] * len(grad), theirs["grad2"])):
            _close(g, h, dtype, f"second-order gradient of input {grad[i]}", order=2)


def _rng(*key: Any) -> np.random.Generator:
    return np.random.default_rng(abs(hash(key)) % 2**32)


#: the batch shapes drawn for each loss: a batch, one sample, an empty batch; "T" a transposed view
SHAPES = {"batch": (4, 3), "one": (1, 3), "empty": (0, 3), "transposed": (3, 4)}


def _draw(kind: str, dtype: type, low: float = -2.0, high: float = 2.0, seed: int = 0) -> np.ndarray:
    a = _rng(kind, seed).uniform(low, high, SHAPES[kind]).astype(dtype)
    return a.T if kind == "transposed" else a  # (4, 3), strides of the transpose


# -------------------------------------------------------------------------------------------------
# elementwise losses of (input, target) of one shape
ELEMENTWISE: dict[str, tuple[Call, float, float]] = {
    "mse": (lambda F, x, y, r: F.mse_loss(x, y, reduction=r), -2.0, 2.0),
    "l1": (lambda F, x, y, r: F.l1_loss(x, y, reduction=r), -2.0, 2.0),
    "huber": (lambda F, x, y, r: F.huber_loss(x, y, reduction=r, delta=0.7), -2.0, 2.0),
    "smooth_l1": (lambda F, x, y, r: F.smooth_l1_loss(x, y, reduction=r, beta=0.5), -2.0, 2.0),
    "smooth_l1_beta0": (lambda F, x, y, r: F.smooth_l1_loss(x, y, reduction=r, beta=0.0), -2.0, 2.0),
    "bce_logits": (lambda F, x, y, r: F.binary_cross_entropy_with_logits(x, y, reduction=r), 0.0, 1.0),
    "kl_div": (lambda F, x, y, r: F.kl_div(x.log_softmax(-1), y.softmax(-1), reduction=r), -2.0, 2.0),
    "kl_div_log_target": (
        lambda F, x, y, r: F.kl_div(x.log_softmax(-1), y.log_softmax(-1), reduction=r, log_target=True),
        -2.0,
        2.0,
    ),
    "poisson": (lambda F, x, y, r: F.poisson_nll_loss(x, (y * 3).floor(), reduction=r), 0.0, 2.0),
    "poisson_full": (
        lambda F, x, y, r: F.poisson_nll_loss(x.exp(), (y * 3).floor(), False, True, reduction=r),
        0.0,
        2.0,
    ),
    "gaussian_nll": (lambda F, x, y, r: F.gaussian_nll_loss(x, y, y.abs() + 0.1, reduction=r), -2.0, 2.0),
    "gaussian_nll_full": (
        lambda F, x, y, r: F.gaussian_nll_loss(x, y, (x * y).exp(), full=True, reduction=r),
        -2.0,
        2.0,
    ),
    "multilabel_soft_margin": (
        lambda F, x, y, r: F.multilabel_soft_margin_loss(x, y.round(), reduction=r),
        0.0,
        1.0,
    ),
}


@pytest.mark.filterwarnings("ignore:reduction. 'mean' divides the total loss")
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_elementwise_losses(name: str, reduction: str, dtype: type) -> None:
    fn, low, high = ELEMENTWISE[name]
    for kind in SHAPES:
        x = _draw(kind, dtype, seed=1)
        y = _draw(kind, dtype, low, high, seed=2)
        _same(lambda F, a, b: fn(F, a, b, reduction), [x, y], (0, 1))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", ["mse", "l1", "huber", "smooth_l1", "smooth_l1_beta0", "bce_logits"])
def test_elementwise_losses_at_nan_inf_and_huge(name: str, reduction: str, dtype: type) -> None:
    fn = ELEMENTWISE[name][0]
    x = np.array([nan, 1.0, inf, -inf, 1e4, -1e4, 0.0, 2.0, 40.0, -40.0], dtype=dtype)
    y = np.array([1.0, nan, inf, 1.0, 0.0, 1.0, 0.0, 2.0, 0.0, 1.0], dtype=dtype)
    if name == "bce_logits":  # (targets outside [0, 1] are refused here: the losses' rule)
        y = np.clip(np.nan_to_num(y, nan=0.5, posinf=1.0), 0.0, 1.0)
    _same(lambda F, a, b: fn(F, a, b, reduction), [x, y], (0, 1))
    _same(lambda F, a, b: fn(F, a, b, reduction), [np.asarray(x[1]), np.asarray(y[1])], (0, 1))  # 0-d


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_poisson_full_at_targets_of_0_and_1(reduction: str, dtype: type) -> None:
    """Stirling's term is torch's, masked where y <= 1: the target's gradient is nan at y = 0
    (0 · (log 0 + 1)), 0 times a finite number elsewhere below 1; it was finite at 0."""
    x = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], dtype=dtype)
    y = np.array([0.0, 0.5, 1.0, 2.0, 3.0, 7.0], dtype=dtype)
    for log_input in (True, False):
        call = lambda F, a, b: F.poisson_nll_loss(a, b, log_input, True, reduction=reduction)  # noqa: E731
        _same(call, [x, y], (0, 1))
    (grad,) = autograd.autograd.grad(
        autograd.nn.functional.poisson_nll_loss(
            autograd.tensor(x), t := autograd.tensor(y, requires_grad=True), full=True, reduction="sum"
        ),
        t,
    )
    assert np.isnan(grad[0]) and np.isfinite(grad[1:]).all()


# -------------------------------------------------------------------------------------------------
# binary cross-entropy of probabilities, weights and pos_weight
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy_and_weights(reduction: str, dtype: type) -> None:
    for kind in SHAPES:
        p, y = _draw(kind, dtype, 0.02, 0.98, 1), _draw(kind, dtype, 0.0, 1.0, 2)
        w = _draw(kind, dtype, 0.1, 2.0, 3)
        pw = np.linspace(0.5, 2.0, p.shape[-1]).astype(dtype)
        _same(lambda F, a, b: F.binary_cross_entropy(a, b, reduction=reduction), [p, y], (0, 1))
        _same(lambda F, a, b, c: F.binary_cross_entropy(a, b, c, reduction=reduction), [p, y, w], (0, 1))
        _same(
            lambda F, a, b, c, d: F.binary_cross_entropy_with_logits(
                a, b, c, reduction=reduction, pos_weight=d
            ),
            [4 * p - 2, y, w, pw],
            (0, 1),
        )


@pytest.mark.parametrize(
    "call, grad",
    [
        (lambda F, p, y, w: F.binary_cross_entropy(p, y, w), (0, 2)),
        (lambda F, p, y, w: F.binary_cross_entropy_with_logits(p, y, w), (0, 2)),
        (lambda F, p, y, w: F.binary_cross_entropy_with_logits(p, y, pos_weight=w), (0, 2)),
        (lambda F, p, y, w: F.nll_loss(p, torch_labels(F), w[0]), (0, 2)),
        (lambda F, p, y, w: F.cross_entropy(p, torch_labels(F), w[0], label_smoothing=0.1), (0, 2)),
        (lambda F, p, y, w: F.multi_margin_loss(p, torch_labels(F), weight=w[0]), (0, 2)),
        (lambda F, p, y, w: F.soft_margin_loss(p, y * 2 - 1), (0, 1)),
    ],
    ids=[
        "bce_weight",
        "bce_logits_weight",
        "bce_logits_pos_weight",
        "nll",
        "cross_entropy",
        "multi_margin",
        "soft_margin",
    ],
)
def test_torchs_refusal_of_a_gradient_its_kernel_does_not_give(call: Call, grad: tuple[int, ...]) -> None:
    """A weight (soft_margin_loss: a target) that requires grad where torch's fused kernel has no
    gradient for it: torch's RuntimeError at the call; it was a silent gradient of 0 (or none)."""
    p, y = _draw("batch", np.float64, 0.05, 0.95, 1), _draw("batch", np.float64, 0.0, 1.0, 2).round()
    w = _draw("batch", np.float64, 0.5, 1.5, 3)
    with pytest.raises(RuntimeError, match="is not differentiable with respect to argument"):
        _run(torch, call, [p, y, w], grad)
    with pytest.raises(RuntimeError, match="is not differentiable with respect to argument") as ours:
        _run(autograd, call, [p, y, w], grad)
    assert str(ours.value) == str(_error(torch, call, [p, y, w], grad))
    with autograd.no_grad():  # (grad mode off: no graph, no refusal, as torch's)
        call(autograd.nn.functional, *_tensors(autograd, [p, y, w], grad))


def torch_labels(F: Any) -> Any:
    """The class labels of a (4, 3) batch, as the library of ``F`` holds them."""
    return (torch if F is torch.nn.functional else autograd).tensor([0, 2, 1, 2])


def _error(lib: Any, call: Call, arrays: list[np.ndarray], grad: tuple[int, ...]) -> Exception:
    try:
        _run(lib, call, arrays, grad)
    except Exception as e:
        return e
    raise AssertionError("no error")


# -------------------------------------------------------------------------------------------------
# cross-entropy and nll: class indices (ignore_index, label smoothing, weights), probabilities
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("layout", ["(N,C)", "(C,)", "(N,C,d)", "(0,C)", "(1,C)"])
def test_cross_entropy_and_nll(layout: str, reduction: str, dtype: type) -> None:
    shape, target_shape = {
        "(N,C)": ((4, 5), (4,)),
        "(C,)": ((5,), ()),
        "(N,C,d)": ((2, 5, 3), (2, 3)),
        "(0,C)": ((0, 5), (0,)),
        "(1,C)": ((1, 5), (1,)),
    }[layout]
    rng = _rng(layout, reduction, str(dtype))
    x = rng.uniform(-3, 3, shape).astype(dtype)
    labels = rng.integers(0, 5, target_shape)
    if labels.size:
        labels.flat[0] = 1
    w = rng.uniform(0.2, 2.0, 5).astype(dtype)
    probs = rng.uniform(0, 1, shape).astype(dtype)
    for ignore_index in (-100, 1):
        for ls in (0.0, 0.2):
            _same(
                lambda F, a, b, c: F.cross_entropy(
                    a, b, c, ignore_index=ignore_index, reduction=reduction, label_smoothing=ls
                ),
                [x, labels, w],
                (0,),
            )
        _same(lambda F, a, b: F.cross_entropy(a, b, reduction=reduction), [x, labels], (0,))
        _same(
            lambda F, a, b, c: F.nll_loss(a, b, c, ignore_index=ignore_index, reduction=reduction),
            [x, labels, w],
            (0,),
        )
    for ls in (0.0, 0.3):  # class probabilities: torch's gradient reaches the target and the weight
        _same(
            lambda F, a, b, c: F.cross_entropy(a, b, c, reduction=reduction, label_smoothing=ls),
            [x, probs, w],
            (0, 1, 2),
        )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_of_extreme_logits_and_all_ignored(reduction: str, dtype: type) -> None:
    x = np.array(
        [[1e4, -1e4, 0.0], [inf, 0.0, 1.0], [-inf, 0.0, 1.0], [nan, 0.0, 1.0], [-1e4, -1e4, -1e4]],
        dtype=dtype,
    )
    labels = np.array([1, 0, 0, 2, 1])
    for ls in (0.0, 0.1):
        _same(
            lambda F, a, b: F.cross_entropy(a, b, reduction=reduction, label_smoothing=ls), [x, labels], (0,)
        )
    ignored = np.array([1, 1, 1, 1, 1])
    _same(
        lambda F, a, b: F.cross_entropy(a[1:2], b[:1], ignore_index=1, reduction=reduction),
        [x, ignored],
        (0,),
    )
    _same(
        lambda F, a, b: F.nll_loss(a, b, ignore_index=1, reduction=reduction), [x[:1] * 0, ignored[:1]], (0,)
    )


def test_cross_entropy_of_probabilities_differentiates_the_weight_to_second_order() -> None:
    """The class weight of a cross-entropy against probabilities (and of multilabel_soft_margin_loss)
    is a factor torch differentiates: it was a constant here (gradient 0, and the target's second
    order wrong)."""
    x, probs = _draw("batch", np.float64, seed=4), _draw("batch", np.float64, 0.0, 1.0, 5)
    w = np.array([0.5, 1.0, 2.0])
    _same(lambda F, a, b, c: F.cross_entropy(a, b, c), [x, probs, w], (0, 1, 2))
    _same(lambda F, a, b, c: F.multilabel_soft_margin_loss(a, b.round(), c), [x, probs, w], (0, 1, 2))
    x_, p_ = autograd.tensor(x), autograd.tensor(probs)
    w_ = autograd.tensor(w, requires_grad=True)
    autograd.nn.functional.cross_entropy(x_, p_, w_, reduction="sum").backward()
    expected = -(probs * (x - np.log(np.exp(x).sum(1, keepdims=True)))).sum(0)  # Σ_n -y_nc log p_nc
    np.testing.assert_allclose(w_.grad, expected, rtol=1e-12)


@pytest.mark.parametrize("name", ["cross_entropy", "nll_loss"])
@pytest.mark.parametrize(
    "labels, error",
    [([0, 4, 1], IndexError), ([0, -1, 1], IndexError), ([0, 1], ValueError), ([[0, 1, 2]], ValueError)],
    ids=["above", "negative", "short batch", "2-d"],
)
def test_bad_class_labels_raise_torchs_class(name: str, labels: list[Any], error: type) -> None:
    """A label out of range is torch's IndexError (it was only a ValueError), with torch's words;
    a batch of another size torch's ValueError. Both stay ValueErrors (the losses' rule)."""
    x = np.zeros((3, 4))
    with pytest.raises(error):
        getattr(torch.nn.functional, name)(torch.tensor(x), torch.tensor(labels))
    with pytest.raises(error) as ours:
        getattr(autograd.nn.functional, name)(autograd.tensor(x), autograd.tensor(labels))
    assert isinstance(ours.value, ValueError)
    if error is IndexError:
        assert f"Target {labels[1]} is out of bounds." in str(ours.value)


@pytest.mark.parametrize("p", [0.5, nan, -0.1, 1.5])
def test_probabilities_out_of_range_raise_torchs_runtime_error(p: float) -> None:
    x, y = np.array([0.3, p]), np.array([0.0, 1.0])
    with pytest.raises(RuntimeError, match="between 0 and 1") if p != 0.5 else _nothing():
        torch.nn.functional.binary_cross_entropy(torch.tensor(x), torch.tensor(y))
    with (
        pytest.raises(RuntimeError, match=r"y_pred must be probabilities") if p != 0.5 else _nothing() as ours
    ):
        autograd.nn.functional.binary_cross_entropy(autograd.tensor(x), autograd.tensor(y))
    assert ours is None or isinstance(ours.value, ValueError)


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


# -------------------------------------------------------------------------------------------------
# margin and embedding losses
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_margin_and_embedding_losses(reduction: str, dtype: type) -> None:
    r = reduction
    for kind in SHAPES:
        x1, x2, x3 = (_draw(kind, dtype, seed=s) for s in (1, 2, 3))
        sign = np.where(_draw(kind, dtype, seed=4) > 0, 1.0, -1.0).astype(dtype)
        rows = sign[:, 0].copy()
        labels = _rng(kind).integers(0, 3, x1.shape[0])
        w = np.array([0.5, 1.0, 2.0], dtype=dtype)
        for m in (0.0, 0.5):
            _same(
                lambda F, a, b, c: F.margin_ranking_loss(a, b, c, m, reduction=r), [x1, x2, sign], (0, 1, 2)
            )
            _same(lambda F, a, b: F.hinge_embedding_loss(a, b, 1.0 + m, reduction=r), [x1, sign], (0, 1))
            _same(
                lambda F, a, b, c: F.cosine_embedding_loss(a, b, c, m - 0.3, reduction=r),
                [x1, x2, rows],
                (0, 1),
            )
        _same(lambda F, a, b: F.soft_margin_loss(a, b, reduction=r), [x1, sign], (0,))
        for p, swap in ((1.0, False), (2.0, True), (3.0, False)):
            _same(
                lambda F, a, b, c: F.triplet_margin_loss(a, b, c, 0.7, p, swap=swap, reduction=r),
                [x1, x2, x3],
                (0, 1, 2),
            )
        if kind == "empty":  # (torch's sum or mean over an empty batch is uninitialised memory)
            continue
        for p in (1, 2):
            _same(lambda F, a, b, c: F.multi_margin_loss(a, b, p, 0.3, c, reduction=r), [x1, labels, w], (0,))
        targets = np.full(x1.shape, -1)
        targets[:, 0], targets[:, 1] = 2, 0
        _same(lambda F, a, b: F.multilabel_margin_loss(a, b, reduction=r), [x1, targets], (0,))


@pytest.mark.parametrize("dtype", DTYPES)
def test_trained_weights_compiled_equal_eager_bit_for_bit(dtype: type) -> None:
    """A compiled step of the two losses whose weight torch differentiates fills the weight's
    gradient as the eager step, bit for bit, at the traced numbers and at new ones (finite: on nan
    scores the two can give nans of other sign bits, see fuzz_programs.LOSS17_OPS)."""
    F = autograd.nn.functional

    def step(x: Any, p: Any, w: Any) -> Any:
        return F.cross_entropy(x, p, w, label_smoothing=0.1) + F.multilabel_soft_margin_loss(x, p.round(), w)

    compiled = autograd.compile(step)
    for seed in (6, 7):
        arrays = [_draw("batch", dtype, seed=seed), _draw("batch", dtype, 0.0, 1.0, seed + 10)]
        arrays.append(np.array([0.5, 1.0, 2.0], dtype=dtype) * (seed - 5))
        results = []
        for run in (step, compiled):
            x, p, w = (autograd.tensor(a, requires_grad=True) for a in arrays)
            out = run(x, p, w)
            if run is step:
                out.backward()
            results.append([out.data.tobytes()] + [np.asarray(t.grad).tobytes() for t in (x, p, w)])
        assert results[0] == results[1]
        assert np.asarray(w.grad).any()


@pytest.mark.parametrize(
    "call",
    [
        lambda F, x: F.huber_loss(x, x * 2, delta=0.0),
        lambda F, x: F.huber_loss(x, x * 2, delta=-1.0),
        lambda F, x: F.smooth_l1_loss(x, x * 2, beta=-0.5),
        lambda F, x: F.binary_cross_entropy(x, x * 0.5),
        lambda F, x: F.cross_entropy(x.reshape(2, 2), (x[:2] * 2).long()),
    ],
    ids=["huber delta 0", "huber delta < 0", "smooth_l1 beta < 0", "bce of -1", "label 2 of 2 classes"],
)
def test_options_and_numbers_out_of_range_raise_torchs_class(call: Call) -> None:
    """torch's RuntimeError (IndexError for a label) where it refuses; here also a ValueError."""
    x = np.array([-1.0, 1.0, 0.5, 0.25])
    with pytest.raises(Exception) as theirs:  # noqa: PT011 (its class is the point)
        call(torch.nn.functional, torch.tensor(x))
    with pytest.raises(type(theirs.value)) as ours:
        call(autograd.nn.functional, autograd.tensor(x))
    assert isinstance(ours.value, ValueError)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("p", [0.5, 1.5, inf])  # (p = 0: the engine's 0-norm has no graph; torch's has)
@pytest.mark.parametrize("shape", [(3, 4), (2, 3, 4), (4,)])
def test_triplet_margin_loss_of_every_norm_order_and_more_axes(
    shape: tuple[int, ...], p: float, dtype: type
) -> None:
    """torch takes every order p >= 0 (inf too: pairwise_distance's vector norm) and embeddings
    with more batch axes; here p < 1, inf and 3-d inputs were refused."""
    a, q, n = (_rng(shape, s).normal(size=shape).astype(dtype) for s in range(3))
    for swap in (False, True):
        _same(
            lambda F, x, y, z: F.triplet_margin_loss(x, y, z, 0.5, p, swap=swap, reduction="sum"),
            [a, q, n],
            (0, 1, 2),
        )
