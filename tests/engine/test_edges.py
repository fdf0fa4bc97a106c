"""Rules at the edges (issue 10): masks against non-finite gradients, nan propagation, 0-d and empty
tensors, errors from numpy, labels, grad modes per thread/task, and the cases more exact than torch."""

from __future__ import annotations

import asyncio
import math
import threading

import mpmath
import numpy as np
import pytest
import torch
from engine_helpers import close, tt

import autograd as ag
from autograd import Tensor, Value, ValueArray
from autograd.value import MASKED

NAN, INF = math.nan, math.inf


def torch_grads(fn, *xs):  # noqa: ANN001, ANN201
    ts = [tt(x) for x in xs]
    out = fn(*ts)
    out.sum().backward()
    return out.detach().numpy(), [t.grad.numpy() for t in ts]


# --- a zero local derivative times an inf/nan gradient: 0, as torch's masks
MASKED_CASES = {
    "relu": (lambda v: v.relu().log(), lambda t: t.relu().log(), [-1.0, 0.0, 2.0]),
    "clip": (lambda v: v.clip(0.0, 1.0).log(), lambda t: t.clamp(0.0, 1.0).log(), [-1.0, 0.5, 2.0]),
    "maximum": (lambda v: v.maximum(0.0).log(), lambda t: t.clamp(min=0.0).log(), [-1.0, 2.0]),
    "minimum": (lambda v: (-(-v).minimum(0.0)).log(), lambda t: (-(-t).clamp(max=0.0)).log(), [-1.0, 2.0]),
    "pow 0": (lambda v: (v**0 - 1).log() * 0 + v, lambda t: (t**0 - 1).log() * 0 + t, [0.0, 3.0]),
    "pow 0 log": (lambda v: (v**0 * 0).log(), lambda t: (t**0 * 0).log(), [0.0, 3.0]),
}


@pytest.mark.parametrize("name", list(MASKED_CASES))
def test_masked_derivative_beats_an_infinite_gradient_value_and_tensor(name: str) -> None:
    ours, theirs, points = MASKED_CASES[name]
    want_out, (want_grad,) = torch_grads(theirs, np.array(points))
    # Value
    vs = [Value(x) for x in points]
    for v in vs:
        ours(v).backward()
    close([v.grad for v in vs], want_grad, what=f"Value {name}")
    # Tensor
    x = Tensor(np.array(points), requires_grad=True)
    out = ours(x)
    close(out.data, want_out)
    out.sum().backward()
    close(x.grad, want_grad, what=f"Tensor {name}")
    # ValueArray (made of Values)
    xa = ValueArray(np.array(points))
    ours(xa).sum().backward()
    close(xa.grad, want_grad, what=f"ValueArray {name}")


def test_issue_repro_relu_log() -> None:
    x = Value(-1.0)
    x.relu().log().backward()
    assert x.grad == 0.0
    t = Tensor([-1.0], requires_grad=True)
    t.relu().log().sum().backward()
    assert t.grad.tolist() == [0.0]
    assert x.relu().local_grads == (0.0,) and x.relu().local_grads[0] is MASKED


def test_where_masks_an_infinite_gradient() -> None:
    x = Tensor([0.0, 2.0], requires_grad=True)
    ag.where(np.array([False, True]), x, 1.0).log().sum().backward()
    t = tt([0.0, 2.0])
    torch.where(torch.tensor([False, True]), t, 1.0).log().sum().backward()
    close(x.grad, t.grad)


def test_non_mask_zero_times_inf_stays_nan_like_torch() -> None:
    # a computed 0 (mul by 0, tanh saturated) is multiplied, as torch does: 0 · inf = nan
    x = Value(1.0)
    (x * 0.0).log().backward()
    assert math.isnan(x.grad)
    t = Tensor([30.0], requires_grad=True)
    (t.tanh() - 1).log().sum().backward()
    tr = tt([30.0])
    (tr.tanh() - 1).log().sum().backward()
    close(t.grad, tr.grad)


# --- nan propagation
def test_value_nan_propagates_like_torch() -> None:
    for ours, theirs, args in [
        (lambda a: a.relu(), torch.relu, [NAN]),
        (lambda a: a.abs(), torch.abs, [NAN]),
        (lambda a, b: a.maximum(b), torch.maximum, [NAN, 2.0]),
        (lambda a, b: a.maximum(b), torch.maximum, [2.0, NAN]),
        (lambda a, b: a.minimum(b), torch.minimum, [NAN, 2.0]),
        (lambda a, b: a.minimum(b), torch.minimum, [2.0, NAN]),
        (lambda a: a.clip(0.0, 1.0), lambda t: t.clamp(0.0, 1.0), [NAN]),
    ]:
        vs = [Value(x) for x in args]
        out = ours(*vs)
        out.backward()
        want, grads = torch_grads(theirs, *[np.array(x) for x in args])
        close(out.data, want)
        close([v.grad for v in vs], grads)
        # the Tensor rules agree
        ts = [Tensor(np.array(x), requires_grad=True) for x in args]
        out = ours(*ts)
        out.backward()
        close(out.data, want)
        close([t.grad for t in ts], grads)


def test_tensor_maximum_minimum_abs_at_nan_like_torch() -> None:
    a, b = np.array([NAN, 1.0, 2.0, NAN, 0.0]), np.array([1.0, NAN, 2.0, NAN, -0.0])
    for ours, theirs in [
        (lambda x, y: x.maximum(y) * 3, lambda x, y: torch.maximum(x, y) * 3),
        (lambda x, y: x.minimum(y) * 3, lambda x, y: torch.minimum(x, y) * 3),
        (lambda x, y: (x * y).abs(), lambda x, y: (x * y).abs()),
    ]:
        xs = [Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)]
        out = ours(*xs)
        out.sum().backward()
        want, grads = torch_grads(theirs, a, b)
        close(out.data, want)
        close([x.grad for x in xs], grads)


# --- 0-d and empty
def test_zero_d_tensors() -> None:
    x = Tensor(3.0, requires_grad=True)
    x.logsumexp(axis=None).backward()
    assert type(x.grad) is Tensor and type(x.grad.data) is np.ndarray and x.grad.shape == () and x.grad == 1.0
    t = tt(3.0)
    for ours, theirs in [
        (lambda v: v.logsumexp(0), lambda v: v.logsumexp(0)),
        (lambda v: v.softmax(), lambda v: v.softmax(-1)),
        (lambda v: v.log_softmax(0) + v, lambda v: v.log_softmax(0) + v),
        (lambda v: (v * v).sum(0), lambda v: (v * v).sum(0)),
        (lambda v: (v * v).mean(-1), lambda v: (v * v).mean(-1)),
    ]:
        x = Tensor(3.0, requires_grad=True)
        out = ours(x)
        out.backward()
        t = tt(3.0)
        ref = theirs(t)
        ref.backward()
        close(out.data, ref)
        assert type(x.grad.data) is np.ndarray  # (an array, never a numpy scalar)
        close(x.grad, t.grad)
    with pytest.raises(ValueError, match="axis 1 is out of range for an array with 0 dimension"):
        Tensor(2.0).sum(1)


def test_empty_tensors_like_torch() -> None:
    x = Tensor(np.zeros(0), requires_grad=True)
    out = x.log_softmax()
    assert out.shape == (0,)
    out.sum().backward()
    assert x.grad.shape == (0,)
    y = Tensor(np.zeros((2, 0)), requires_grad=True)
    lse = y.logsumexp(1)
    assert lse.data.tolist() == [-INF, -INF]
    assert torch.logsumexp(torch.zeros(2, 0, dtype=torch.float64), 1).tolist() == [-INF, -INF]
    lse.sum().backward()
    assert y.grad.shape == (2, 0)
    assert y.softmax(1).shape == (2, 0)


# --- errors and labels
def test_numpy_exception_classes_are_rewrapped_with_op_and_shapes() -> None:
    with pytest.raises(IndexError, match=r"Tensor op 'getitem' on shape\(s\) \(2,\): index 5 is out"):
        Tensor([1.0, 2.0])[5]
    with pytest.raises(ValueError, match=r"Tensor op '@' on shape\(s\) \(2, 3\), \(2, 3\)"):
        Tensor(np.ones((2, 3))) @ Tensor(np.ones((2, 3)))


def test_labels_must_be_strings() -> None:
    with pytest.raises(TypeError, match=r"Value: label must be a str or None, got int 5"):
        Value(1.0, label=5)
    with pytest.raises(TypeError, match=r"Tensor: label must be a str or None, got int 5"):
        Tensor([1.0], label=5)
    assert Value(1.0, label="w").label == "w"


# --- grad modes per thread and per asyncio task
def test_no_grad_in_one_thread_does_not_leak_into_another() -> None:
    """A enters no_grad, B enters, A exits, B exits (forced by events); each sees only its own mode."""
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, list[bool]] = {"A": [], "B": [], "C": []}

    def thread_a() -> None:
        with ag.no_grad():
            seen["A"].append(ag.is_grad_enabled())
            a_in.set()
            b_in.wait(5)
        seen["A"].append(ag.is_grad_enabled())
        a_out.set()

    def thread_b() -> None:
        a_in.wait(5)
        with ag.no_grad():
            b_in.set()
            a_out.wait(5)
            seen["B"].append(ag.is_grad_enabled())
            seen["B"].append(bool((Value(1.0) * 2).children))
        seen["B"].append(ag.is_grad_enabled())

    def thread_c() -> None:  # never enters no_grad: builds graphs throughout
        a_in.wait(5)
        seen["C"].append(bool((Value(1.0) * 2).children))
        seen["C"].append(Tensor([1.0], requires_grad=True).exp().requires_grad)

    threads = [threading.Thread(target=f) for f in (thread_a, thread_b, thread_c)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == {"A": [False, True], "B": [False, False, True], "C": [True, True]}
    assert ag.is_grad_enabled() and not ag.grad_mode.is_anomaly_enabled()


def test_modes_are_per_asyncio_task_and_nest() -> None:
    async def main() -> list:
        log = []
        entered = asyncio.Event()
        release = asyncio.Event()

        async def quiet() -> None:
            with ag.no_grad(), ag.detect_anomaly():
                entered.set()
                await release.wait()
                log.append(("quiet", ag.is_grad_enabled(), ag.grad_mode.is_anomaly_enabled()))

        async def loud() -> None:
            await entered.wait()
            log.append(("loud", ag.is_grad_enabled(), ag.grad_mode.is_anomaly_enabled()))
            release.set()

        await asyncio.gather(quiet(), loud())
        return log

    assert asyncio.run(main()) == [("loud", True, False), ("quiet", False, True)]
    with ag.no_grad():
        with ag.no_grad():
            assert not ag.is_grad_enabled()
        assert not ag.is_grad_enabled()
        with ag.enable_grad():
            assert ag.is_grad_enabled()
        assert not ag.is_grad_enabled()
    assert ag.is_grad_enabled()


# --- deliberately more exact than torch (listed in docs/guides/numerics.md)
def test_sigmoid_keeps_subnormal_results() -> None:
    exact = float(1 / (1 + mpmath.exp(740)))  # 4.2e-322, a subnormal
    v = Value(-740.0)
    s = v.sigmoid()
    s.backward()
    assert s.data == exact and v.grad == exact  # σ(1-σ) = σ here
    t = Tensor([-740.0], requires_grad=True)
    t.sigmoid().sum().backward()
    assert t.sigmoid().data[0] == exact and t.grad[0] == exact
    assert torch.sigmoid(torch.tensor(-740.0, dtype=torch.float64)).item() == 0.0  # torch flushes it


def test_logsumexp_gradient_at_huge_equal_logits_is_one_over_n() -> None:
    x = Tensor([1e308] * 3, requires_grad=True)
    x.logsumexp(0).backward()
    assert x.grad.tolist() == [1 / 3] * 3  # softmax of equal logits; torch gives [1, 1, 1]


def test_value_relu_masked_local_derivative_is_a_zero() -> None:
    assert MASKED == 0.0 and MASKED * INF == 0.0 and NAN * MASKED == 0.0 and repr(MASKED) == "0.0"


# --- non-finite inputs where the engine once differed from torch (issue 21)
def test_softmax_and_log_softmax_of_a_slice_with_inf_are_nan_as_torch() -> None:
    cases = (([INF, 1.0, 1.0], "softmax"), ([INF, 1.0, 2.0], "log_softmax"), ([1.0, INF], "log_softmax"))
    for values, fn in cases:
        ref = torch.tensor(values, dtype=torch.float64, requires_grad=True)
        out_ref = getattr(torch, fn)(ref, 0)
        (out_ref * torch.arange(len(values))).sum().backward()
        assert torch.isnan(out_ref).all() and torch.isnan(ref.grad).all()
        for x in (Tensor(values, requires_grad=True), ValueArray(values)):
            out = getattr(x, fn)(0)
            total = (out * np.arange(len(values))).sum()
            (total if isinstance(x, Tensor) else total.to_value()).backward()
            assert np.isnan(out.data).all() and np.isnan(x.grad).all(), (fn, type(x))
    t = Tensor([INF, 1.0], requires_grad=True)  # logsumexp keeps torch's inf (and its gradient)
    t.logsumexp(0).backward()
    assert t.logsumexp(0).data == INF and np.isnan(t.grad[0]) and t.grad[1] == 0.0


def test_zero_to_the_nan_has_a_nan_exponent_gradient_as_torch() -> None:
    for x, y in ((Tensor([0.0, 0.0], requires_grad=True), Tensor([NAN, 2.0], requires_grad=True)),):
        (x**y).sum().backward()
        assert np.isnan(y.grad[0]) and y.grad[1] == 0.0 and np.isnan(x.grad[0]) and x.grad[1] == 0.0
    a, b = Value(0.0), Value(NAN)
    (a**b).backward()
    assert math.isnan(b.grad) and math.isnan(a.grad)
