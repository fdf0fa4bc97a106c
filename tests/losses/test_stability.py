"""Extreme inputs give the exact finite answer and finite gradients: logits of ±1000, predicted
probabilities of exactly 0 and 1, zero entries in distributions, float32 inputs."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import losses
from autograd import Tensor, Value, ValueArray, detect_anomaly


def value_and_grad(fn: Any, y: Any, p: np.ndarray, **kwargs: Any) -> tuple[np.ndarray, np.ndarray]:
    x = Tensor(p, requires_grad=True)
    out = fn(y, x, reduction="none", **kwargs)
    out.sum().backward()
    return out.data, x.grad


def test_bce_logits_at_plus_minus_1000_are_exact() -> None:
    y = np.array([1.0, 0.0, 1.0, 0.0])
    x = np.array([1000.0, 1000.0, -1000.0, -1000.0])
    loss, grad = value_and_grad(losses.binary_cross_entropy, y, x, from_logits=True)
    np.testing.assert_array_equal(loss, [0.0, 1000.0, 1000.0, 0.0])
    np.testing.assert_array_equal(grad, [0.0, 1.0, -1.0, 0.0])  # σ(x) - y


def test_bce_logits_with_pos_weight_at_extremes() -> None:
    y, x = np.array([1.0, 1.0]), np.array([1000.0, -1000.0])
    loss, grad = value_and_grad(losses.binary_cross_entropy, y, x, from_logits=True, pos_weight=3.0)
    np.testing.assert_array_equal(loss, [0.0, 3000.0])
    np.testing.assert_array_equal(grad, [0.0, -3.0])


def test_bce_probabilities_exactly_0_and_1_are_finite_and_torch_valued() -> None:
    """The value equals PyTorch's (logs clamped at -100). The gradient of a clamped term is 0 (the
    true derivative of the clamped function); PyTorch's fused backward gives ±1e12 there instead."""
    y = np.array([1.0, 0.0, 0.0, 1.0, 0.5])
    p = np.array([0.0, 1.0, 0.0, 1.0, 0.0])
    loss, grad = value_and_grad(losses.binary_cross_entropy, y, p)
    ref = F.binary_cross_entropy(torch.tensor(p), torch.tensor(y), reduction="none").numpy()
    np.testing.assert_array_equal(loss, ref)
    np.testing.assert_array_equal(loss, [100.0, 100.0, 0.0, 0.0, 50.0])
    np.testing.assert_array_equal(grad, [0.0, 0.0, 1.0, -1.0, 0.5])


def test_bce_float32_prediction_of_one_is_finite() -> None:
    x = Tensor(np.array([1.0, 0.0, 0.5], dtype=np.float32), requires_grad=True)
    out = losses.binary_cross_entropy(np.array([0.0, 1.0, 1.0]), x)
    out.backward()
    assert out.dtype == np.float32 and np.isfinite(out.data) and np.isfinite(x.grad).all()
    assert out.item() == pytest.approx((100 + 100 + math.log(2)) / 3, rel=1e-6)


@pytest.mark.parametrize("from_logits", [True, False])
def test_binary_focal_extremes_are_finite(from_logits: bool) -> None:
    y = np.array([1.0, 0.0, 1.0, 0.0])
    p = np.array([1000.0, 1000.0, -1000.0, -1000.0]) if from_logits else np.array([1.0, 1.0, 0.0, 0.0])
    loss, grad = value_and_grad(losses.binary_focal, y, p, from_logits=from_logits)
    assert np.isfinite(loss).all() and np.isfinite(grad).all()
    expected = [0.0, 1000.0, 1000.0, 0.0] if from_logits else [0.0, 100.0, 100.0, 0.0]
    np.testing.assert_array_equal(loss, expected)


def test_categorical_cross_entropy_logits_at_extremes() -> None:
    y = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.2, 0.3, 0.5]])
    x = np.array([[1000.0, -1000.0, 0.0], [1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 1000.0]])
    loss, grad = value_and_grad(losses.categorical_cross_entropy, y, x, from_logits=True)
    np.testing.assert_allclose(loss, [0.0, 2000.0, 0.2 * 2000 + math.log(2)], rtol=1e-15)
    np.testing.assert_allclose(grad, [[0, 0, 0], [1, -1, 0], [-0.2, 0.5 - 0.3, 0.5 - 0.5]], atol=1e-15)


def test_sparse_cross_entropy_logits_at_extremes() -> None:
    x = Tensor(np.array([[1000.0, -1000.0], [1000.0, -1000.0]]), requires_grad=True)
    out = losses.sparse_categorical_cross_entropy([0, 1], x, from_logits=True, reduction="none")
    out.sum().backward()
    np.testing.assert_array_equal(out.data, [0.0, 2000.0])
    np.testing.assert_array_equal(x.grad, [[0.0, 0.0], [1.0, -1.0]])


@pytest.mark.parametrize("fn", [losses.categorical_cross_entropy, losses.categorical_focal])
def test_categorical_probabilities_with_zeros_are_finite(fn: Any) -> None:
    y = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    p = np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
    loss, grad = value_and_grad(fn, y, p)
    assert np.isfinite(loss).all() and np.isfinite(grad).all()
    assert loss[0] == 100.0 and loss[1] == 0.0


@pytest.mark.parametrize("fn", [losses.kl_divergence, losses.js_divergence])
def test_divergences_with_zero_entries_have_finite_values_and_gradients(fn: Any) -> None:
    y = Tensor(np.array([[0.0, 0.5, 0.5], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]), requires_grad=True)
    p = Tensor(np.array([[0.0, 0.5, 0.5], [0.5, 0.5, 0.0], [0.0, 1.0, 0.0]]), requires_grad=True)
    out = fn(y, p, reduction="none")
    out.sum().backward()
    assert np.isfinite(out.data).all() and np.isfinite(y.grad).all() and np.isfinite(p.grad).all()
    assert out.data[0] == 0.0  # identical distributions, zeros included: 0·log 0 = 0
    if fn is losses.kl_divergence:
        assert out.data[1] == pytest.approx(math.log(2))
        assert out.data[2] == pytest.approx(100.0)  # log(1/0) clamped: log p ≥ -100
    else:
        assert out.data[2] == pytest.approx(math.log(2))  # disjoint supports: JS = log 2


def test_kl_zero_targets_on_values() -> None:
    p = [Value(0.0), Value(0.25), Value(0.75)]
    out = losses.kl_divergence([0.0, 0.5, 0.5], p)
    out.backward()
    assert math.isfinite(out.data) and all(math.isfinite(v.grad) for v in p)
    assert p[0].grad == 0.0


def test_log_cosh_of_huge_errors_does_not_overflow() -> None:
    loss, grad = value_and_grad(losses.log_cosh, np.zeros(3), np.array([1e4, -800.0, 0.0]))
    np.testing.assert_allclose(loss, [1e4 - math.log(2), 800 - math.log(2), 0.0], rtol=1e-15)
    np.testing.assert_array_equal(grad, [1.0, -1.0, 0.0])


def test_value_path_logits_at_extremes() -> None:
    x = ValueArray([1000.0, -1000.0])
    out = losses.binary_cross_entropy([0.0, 0.0], x, from_logits=True, reduction="sum")
    out.backward()
    assert out.data == 1000.0 and list(x.grad) == [1.0, 0.0]


@pytest.mark.parametrize(
    "fn, y, p",
    [
        (losses.binary_cross_entropy, [1.0, 0.0, 0.3], [0.0, 1.0, 1.0]),
        (losses.binary_focal, [1.0, 0.0, 0.3], [0.0, 1.0, 1.0]),
        (losses.kl_divergence, [[0.0, 1.0], [0.5, 0.5]], [[0.0, 1.0], [1.0, 0.0]]),
        (losses.js_divergence, [[0.0, 1.0], [0.5, 0.5]], [[0.0, 1.0], [1.0, 0.0]]),
        (losses.categorical_cross_entropy, [[0.0, 1.0], [1.0, 0.0]], [[1.0, 0.0], [1.0, 0.0]]),
    ],
)
def test_no_inf_or_nan_anywhere_in_forward_or_backward(fn: Any, y: list, p: list) -> None:
    """detect_anomaly raises at the first non-finite value of any operation, either pass."""
    x = Tensor(p, requires_grad=True)
    with detect_anomaly():
        fn(y, x).backward()
