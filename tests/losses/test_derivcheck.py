"""check_derivative: agreement is truthy; each usual slip is named; Values work like Tensors."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

import losses
from autograd import Tensor, Value, ValueArray
from autograd.derivcheck import check_derivative

Y = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
P = Y + np.array([[0.5, -0.3, 0.2], [-0.4, 0.6, -0.1]])
n = Y.size


def right(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    return 2 * (p - y) / n


def test_agreement_is_truthy_and_prints_a_table() -> None:
    report = check_derivative(losses.mse, right, Y, P)
    assert report and report.ok and report.factor == 1.0
    text = str(report)
    assert text.startswith("∂mse/∂y_pred: OK")
    assert "element" in text and "engine" in text and "formula" in text and "ratio" in text
    assert len(text.splitlines()) == 2 + n
    np.testing.assert_allclose(report.engine, right(Y, P))


@pytest.mark.parametrize(
    "formula, expected, factor",
    [
        (lambda y, p: -right(y, p), "sign flipped", -1.0),
        (lambda y, p: 2 * (p - y), "missing 1/n (n = 6, the number of elements)", 6.0),
        (lambda y, p: 2 * (p - y) / 3, "missing 1/n (n = 2, the batch size, axis 0)", 2.0),
        (lambda y, p: 2 * (p - y) / 3, "factor 2 too large", 2.0),  # the same 2, read twice
        (lambda y, p: (p - y) / n, "factor 2 too small", 0.5),
        (lambda y, p: 4 * (p - y) / n, "factor 2 too large", 2.0),
        (lambda y, p: 2 * (y - p), "sign flipped; missing 1/n (n = 6", -6.0),
        (lambda y, p: 2 * (p - y) / n / n, "extra 1/n (n = 6", 1 / 6),
    ],
)
def test_constant_slips_are_named(formula, expected: str, factor: float) -> None:
    report = check_derivative(losses.mse, formula, Y, P)
    assert not report
    assert expected in report.diagnosis or expected in report.explanations
    assert report.factor == pytest.approx(factor)
    np.testing.assert_allclose(report.ratio, factor)
    assert "WRONG" in str(report) and "✗" in str(report)


def test_sign_flip_of_an_odd_loss_is_also_a_swap() -> None:
    report = check_derivative(losses.mse, lambda y, p: -right(y, p), Y, P)
    assert report.explanations == (
        "sign flipped",
        "y_true and y_pred swapped in the formula",
        "the derivative with respect to y_true",
    )


def test_swapped_arguments_of_an_asymmetric_loss() -> None:
    y, p = np.array([0.2, 0.9, 0.4]), np.array([0.6, 0.3, 0.5])
    report = check_derivative(losses.binary_cross_entropy, lambda y, p: (y - p) / (y * (1 - y)) / 3, y, p)
    assert report.diagnosis == "y_true and y_pred swapped in the formula"


def test_sign_flipped_on_some_elements() -> None:
    report = check_derivative(losses.mse, lambda y, p: np.abs(right(y, p)), Y, P)
    assert report.diagnosis.startswith("sign flipped on 3 of 6 elements")
    assert report.factor is None


def test_no_simple_relation_reports_the_ratio_range() -> None:
    report = check_derivative(losses.mse, lambda y, p: right(y, p) + 1, Y, P)
    assert "no single factor, sign or swap" in report.diagnosis and "formula/engine from" in report.diagnosis


def test_value_inputs() -> None:
    report = check_derivative(lambda x: (x * x).exp(), lambda x: 2 * x * np.exp(x * x), Value(0.7))
    assert report and report.engine.shape == ()
    nested = [[Value(v) for v in row] for row in P]
    assert check_derivative(losses.mse, right, Y.tolist(), nested)
    assert check_derivative(losses.mse, right, Y, ValueArray(P))
    assert "missing 1/n" in check_derivative(losses.mse, lambda y, p: 2 * (p - y), Y, nested).diagnosis


def test_inputs_are_left_untouched() -> None:
    p, v = Tensor(P, requires_grad=True), [Value(1.0), Value(2.0)]
    check_derivative(losses.mse, right, Y, p)
    check_derivative(losses.mse, lambda y, p: p - y, [0.0, 0.0], v)
    assert p.grad is None and [x.grad for x in v] == [0.0, 0.0]


def test_wrt_selects_the_input() -> None:
    y, p, v = np.ones(3), np.array([1.5, 0.5, 2.0]), np.array([0.5, 2.0, 1.0])
    formula = lambda y, p, v: 0.5 * (1 / v - (p - y) ** 2 / v**2) / 3  # noqa: E731
    assert check_derivative(losses.gaussian_nll, formula, y, p, v, wrt=2)
    assert check_derivative(losses.gaussian_nll, formula, y, p, v).title == "∂gaussian_nll/∂var"


def test_misuse_is_reported() -> None:
    with pytest.raises(ValueError, match="f must return a scalar"):
        check_derivative(lambda y, p: (p - y) ** 2, right, Y, P)
    with pytest.raises(ValueError, match=r"formula returned shape \(4,\)"):
        check_derivative(losses.mse, lambda y, p: np.ones(4), Y, P)
    with pytest.raises(ValueError, match="at least one input"):
        check_derivative(losses.mse, right)


def test_long_tables_are_cut() -> None:
    y = np.zeros(30)
    text = str(check_derivative(losses.mse, lambda y, p: 2 * p / 30, y, np.arange(30.0)))
    assert "(18 more elements)" in text



def test_the_engine_does_not_import_the_losses() -> None:
    """No module of the engine imports ``losses`` (not even inside a function): the warning the
    losses give lives beside the check that silences it, and ``losses`` re-exports it."""
    import autograd.derivcheck

    for path in Path(autograd.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            assert not [n for n in names if n.split(".")[0] in ("losses", "optimizers")], path
    assert losses.ArgumentOrderWarning is autograd.derivcheck.ArgumentOrderWarning
