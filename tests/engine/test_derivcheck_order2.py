"""check_derivative(order=2): hand-derived Hessians of the losses against the engine's, and the slips
(sign, 1/n, factor 2, transposed) named as for first derivatives."""

from __future__ import annotations

import numpy as np
import pytest

import losses
from autograd import ValueArray, check_derivative

Y = np.array([0.5, -1.0, 2.0, 0.3])
P = np.array([0.1, 0.7, 1.5, -0.2])
B = np.array([1.0, 0.0, 1.0, 0.0])
N = len(P)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


def mse_hessian(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    return 2 / len(p) * np.eye(len(p))


def bce_logits(y: np.ndarray, z: np.ndarray) -> object:
    return losses.binary_cross_entropy(y, z, from_logits=True)


def bce_hessian(y: np.ndarray, z: np.ndarray) -> np.ndarray:
    s = sigmoid(z)
    return np.diag(s * (1 - s)) / len(z)


def test_the_good_cases_agree() -> None:
    assert check_derivative(losses.mse, mse_hessian, Y, P, order=2)
    assert check_derivative(losses.mse, mse_hessian, Y, ValueArray(P), order=2)  # on scalar Values too
    assert check_derivative(bce_logits, bce_hessian, B, P, order=2)
    z = np.array([[0.3, -1.0, 2.0]])
    p = softmax(z[0])
    ce = lambda y, z: losses.sparse_categorical_cross_entropy(y, z, from_logits=True)  # noqa: E731
    assert check_derivative(
        ce, lambda y, z: (np.diag(p) - np.outer(p, p)).reshape(1, 3, 1, 3), [1], z, order=2
    )
    e = np.array([-2.0, -0.3, 0.2, 1.5])  # δ = 1: the second derivative is 1/n inside and 0 outside
    inside = np.diag((np.abs(e) < 1.0) / len(e))
    assert check_derivative(losses.huber, lambda y, p: inside, np.zeros(4), e, order=2)
    assert check_derivative(
        lambda x: (x * x * x).exp(), lambda x: (6 * x + 9 * x**4) * np.exp(x**3), 0.4, order=2
    )


@pytest.mark.parametrize(
    "scale,diagnosis",
    [(-1.0, "sign flipped"), (N, "missing 1/n (n = 4, the number of elements)"), (2.0, "factor 2 too large")],
)
def test_slips_are_named(scale: float, diagnosis: str) -> None:
    report = check_derivative(losses.mse, lambda y, p: scale * mse_hessian(y, p), Y, P, order=2)
    assert not report
    assert report.explanations == (diagnosis,)  # one cause: ∂²/∂y_true² is the same numbers, no cause
    assert "∂²mse/∂y_pred²" in str(report)


def test_a_transposed_mixed_derivative_is_named() -> None:
    A = np.array([[1.0, 2.0, 0.5], [0.0, 3.0, -1.0]])

    def f(x: object, y: object) -> object:
        return ((x @ A) * y).tanh().sum()  # type: ignore[operator]

    def mixed(x: np.ndarray, y: np.ndarray) -> np.ndarray:  # ∂²f/∂x_i∂y_j
        u = x @ A
        t = np.tanh(u * y)
        return A * ((1 - t**2) * (1 - 2 * u * y * t))

    x, y = np.array([0.3, -0.2]), np.array([0.5, 1.0, -0.4])
    assert check_derivative(f, mixed, x, y, wrt=(0, 1), order=2)
    report = check_derivative(f, lambda x, y: mixed(x, y).T, x, y, wrt=(0, 1), order=2)
    assert not report and report.diagnosis == "transposed"
    square = np.array([[1.0, 2.0], [0.5, -1.0]])
    g = lambda a, b: ((a @ square) * b).sum() ** 2  # noqa: E731
    a, b = np.array([0.3, 0.8]), np.array([1.1, -0.4])

    def right(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        u = a @ square
        s = (u * b).sum()
        return 2 * (np.outer(square @ b, u) + s * square)

    assert check_derivative(g, right, a, b, wrt=(0, 1), order=2)
    report = check_derivative(g, lambda a, b: right(a, b).T, a, b, wrt=(0, 1), order=2)
    assert not report and report.diagnosis == "transposed"


def test_bad_order() -> None:
    with pytest.raises(ValueError, match="order must be 1 or 2, got 3"):
        check_derivative(losses.mse, mse_hessian, Y, P, order=3)
    with pytest.raises(ValueError, match=r"wrt=\(i, j\) names a mixed second derivative"):
        check_derivative(losses.mse, mse_hessian, Y, P, wrt=(0, 1), order=1)


def test_a_batch_of_two_is_not_also_a_factor_2() -> None:
    """For a Hessian too, a ratio of 2 on a batch of 2 is decided by the batch repeated twice."""
    y, p = Y[:2], P[:2]
    missing = check_derivative(losses.mse, lambda y, p: 2 * np.eye(len(p)), y, p, order=2)
    assert missing.explanations == ("missing 1/n (n = 2, the number of elements)",)
    doubled = check_derivative(losses.mse, lambda y, p: 4 / len(p) * np.eye(len(p)), y, p, order=2)
    assert doubled.explanations == ("factor 2 too large",)


def test_a_latex_hessian() -> None:
    """The left side ∂²L/∂ŷ_i² makes it a second derivative; an elementwise one is the diagonal."""
    assert check_derivative(losses.mse, r"\frac{\partial^2 L}{\partial \hat{y}_i^2} = \frac{2}{n}", Y, P)
    report = check_derivative(losses.mse, r"\frac{\partial^2 L}{\partial \hat{y}_i^2} = 2", Y, P)
    assert report.diagnosis == "missing 1/n (n = 4, the number of elements)" and report.engine.shape == (4, 4)
    sig = r"\frac{1}{n} \sigma(z_i)(1 - \sigma(z_i))"
    assert check_derivative(bce_logits, r"\frac{\partial^2 L}{\partial z^2} = " + sig, B, P)
    assert check_derivative(bce_logits, sig, B, P, order=2)


def test_order_two_titles_and_arity() -> None:
    report = check_derivative(lambda x: (x * x * x).sum(), lambda x: np.diag(6 * x), P, order=2)
    assert str(report).startswith("∂²f/∂x²: OK")
    with pytest.raises(TypeError, match=r"the formula takes 1 argument \(p\), but f has 2 inputs"):
        check_derivative(losses.mse, lambda p: np.eye(4), Y, P, order=2)


def test_the_left_side_and_order_must_agree() -> None:
    with pytest.raises(ValueError, match="left side is a derivative of order 2, but order=1"):
        check_derivative(losses.mse, r"\frac{\partial^2 L}{\partial \hat{y}_i^2} = 2 / n", Y, P, order=1)
