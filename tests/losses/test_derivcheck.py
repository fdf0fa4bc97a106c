"""check_derivative: agreement is truthy; each usual slip is named; Values work like Tensors."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import losses
from autograd import Tensor, Value, ValueArray
from autograd.derivcheck import check_derivative

Y = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
P = Y + np.array([[0.5, -0.3, 0.2], [-0.4, 0.6, -0.1]])
n = Y.size


def right(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    return 2 * (p - y) / y.size


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
        (lambda y, p: (p - y) / y.size, "factor 2 too small", 0.5),
        (lambda y, p: 4 * (p - y) / y.size, "factor 2 too large", 2.0),
        (lambda y, p: 2 * (y - p), "sign flipped; missing 1/n (n = 6, the number of elements)", -6.0),
        (lambda y, p: 2 * (p - y) / y.size**2, "extra 1/n (n = 6, the number of elements)", 1 / 6),
    ],
)
def test_constant_slips_are_named(formula, expected: str, factor: float) -> None:
    report = check_derivative(losses.mse, formula, Y, P)
    assert not report
    assert report.diagnosis == expected
    assert report.factor == pytest.approx(factor)
    np.testing.assert_allclose(report.ratio, factor)
    assert "WRONG" in str(report) and "✗" in str(report)


def test_a_batch_of_two_is_not_also_a_factor_2() -> None:
    """Ratio 2 on a batch of 2 reads as a missing 1/n or a factor 2: the check repeats the batch
    (a 1/n doubles, a 2 stays) and names the one the numbers show, with no spurious "also"."""
    y, p = np.eye(3)[[0, 2]], np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])
    report = check_derivative(losses.categorical_cross_entropy, lambda y, p: -y / p, y, p)
    assert report.explanations == ("missing 1/n (n = 2, the batch size, axis 0)",)
    report = check_derivative(losses.categorical_cross_entropy, lambda y, p: -2 * y / p / len(y), y, p)
    assert report.explanations == ("factor 2 too large",)


def test_when_the_batch_cannot_grow_both_readings_are_listed_as_equivalent() -> None:
    fixed = lambda y, p: losses.mse(y, p.reshape(2, 3))  # noqa: E731 (refuses a batch of 4)
    report = check_derivative(fixed, lambda y, p: 2 * (p - y) / 3, Y, P)
    assert report.explanations == ("missing 1/n (n = 2, the batch size, axis 0)", "factor 2 too large")
    assert "\n  equivalently: factor 2 too large\n" in str(report)


def test_sign_flip_of_an_even_loss_is_the_same_error_as_a_swap() -> None:
    """For MSE, flipping the sign and swapping y and ŷ are one error, reported once with its
    equivalent; ∂/∂y_true gives the same numbers, so it is no separate cause."""
    report = check_derivative(losses.mse, lambda y, p: -right(y, p), Y, P)
    assert report.explanations == ("sign flipped", "y_true and y_pred swapped in the formula")
    assert "with respect to" not in str(report) and "also" not in str(report)


def test_the_derivative_with_respect_to_the_other_argument() -> None:
    y, p = np.array([0.2, 0.9, 0.4]), np.array([0.6, 0.3, 0.5])
    d_dy = lambda y, p: (np.log(1 - p) - np.log(p)) / 3  # noqa: E731 (∂bce/∂y_true)
    report = check_derivative(losses.binary_cross_entropy, d_dy, y, p)
    assert report.explanations == ("the derivative with respect to y_true",)


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
    assert "no single factor, sign, swap or chain-rule factor" in report.diagnosis
    assert "formula/engine from" in report.diagnosis


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
    with pytest.raises(TypeError, match="symbols= binds the variables of a LaTeX or sympy formula"):
        check_derivative(losses.mse, right, Y, P, symbols={"n": 6})
    with pytest.raises(TypeError, match="formula must be a function, LaTeX"):
        check_derivative(losses.mse, 3.0, Y, P)


def test_a_formula_of_the_wrong_arity_gets_a_clear_error() -> None:
    message = (
        r"the formula takes 1 argument \(p\), but f has 2 inputs \(y_true, y_pred\): the formula is "
        r"called with every input of f, in f's order, e.g. lambda y_true, y_pred: \.\.\.$"
    )
    with pytest.raises(TypeError, match=message):
        check_derivative(losses.mse, lambda p: 2 * p, Y, P)
    with pytest.raises(TypeError, match=r"the formula takes 3 arguments \(a, b, c\)"):
        check_derivative(losses.mse, lambda a, b, c: a, Y, P, order=2)
    with pytest.raises(TypeError, match=r"f takes 1 positional argument \(z\), but 2 inputs were given"):
        check_derivative(lambda z: z.sum(), lambda y, z: 1.0, Y, P)
    assert check_derivative(losses.mse, lambda *a: right(*a), Y, P)  # *args takes any number


@pytest.mark.parametrize(
    ("wrt", "error", "message"),
    [
        (3, ValueError, r"wrt=3 names input 3, but f has 2 inputs \(y_true, y_pred\): expected a position "
         r"from -2 to 1$"),
        (-3, ValueError, r"wrt=-3 names input -3, but f has 2 inputs"),
        ((0, 2), ValueError, r"wrt=\(0, 2\) names input 2, but f has 2 inputs"),
        ("y_pred", TypeError, r"wrt must be the position of an input \(an int\) or a pair \(i, j\) of them; "
         r"got str 'y_pred'$"),
        (1.0, TypeError, r"wrt must be the position of an input .* got float 1\.0"),
        (True, TypeError, r"wrt must be the position of an input .* got bool True"),
    ],
)
def test_a_wrt_that_names_no_input_gets_a_clear_error(wrt: Any, error: type, message: str) -> None:
    order = 2 if isinstance(wrt, tuple) else 1
    with pytest.raises(error, match=f"^check_derivative: {message}"):
        check_derivative(losses.mse, right, Y, P, wrt=wrt, order=order)


def test_wrt_counts_from_the_end_as_python_does() -> None:
    assert check_derivative(losses.mse, right, Y, P, wrt=-1).title == "∂mse/∂y_pred"
    assert check_derivative(losses.mse, lambda y, p: -right(y, p), Y, P, wrt=np.int64(0))


def test_tables_print_no_negative_zero_and_a_lambda_title_names_the_argument() -> None:
    y, p = np.eye(3)[[0, 2, 1]], np.full((3, 3), 0.5)
    report = check_derivative(losses.categorical_cross_entropy, lambda y, p: -y / p, y, p)
    assert np.signbit(report.formula[report.formula == 0]).any()  # the table has -0.0 to print
    assert not re.search(r"(?<![\d.e])-0(?![\d.])", str(report)), str(report)
    tanh = check_derivative(lambda z: z.tanh().sum(), lambda z: 1 - np.tanh(z) ** 2, P)
    assert str(tanh).startswith("∂f/∂z: OK")


def test_a_missing_chain_rule_factor_is_named() -> None:
    """A formula that leaves out σ′(z) (the printed ratios are 1/σ′(z)) is told so, on Tensors and
    on Values; so are an extra factor and a missing tanh′."""
    y, z = np.array([1.0, 0.0, 1.0]), np.array([0.3, -1.2, 2.0])
    s = 1 / (1 + np.exp(-z))
    f = lambda y, z: losses.binary_cross_entropy(y, z.sigmoid())  # noqa: E731
    d_dp = lambda y, z: (-y / s + (1 - y) / (1 - s)) / 3  # noqa: E731 (∂L/∂ŷ: no σ′)
    for z_in in (z, ValueArray(z)):
        report = check_derivative(f, d_dp, y, z_in)
        assert (
            report.diagnosis == "missing chain-rule factor σ′(z) = σ(z)(1 − σ(z)) (formula/engine = 1/σ′(z))"
        )
        np.testing.assert_allclose(report.ratio, 1 / (s * (1 - s)))
    twice = lambda y, z: (s - y) / 3 * s * (1 - s)  # noqa: E731
    assert check_derivative(f, twice, y, z).diagnosis.startswith("extra chain-rule factor σ′(z)")
    tanh = check_derivative(lambda z: z.tanh().sum(), lambda z: np.ones_like(z), z)
    assert tanh.diagnosis == "missing chain-rule factor tanh′(z) = 1 − tanh²(z) (formula/engine = 1/tanh′(z))"


X2 = np.array([1.0, 0.5])
THETA = np.array([0.2, 0.4, 0.1, 0.3, 0.1, 0.2, 0.7, 0.5, 0.3])


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def net_221(t: Any, label: str | None = None) -> Any:
    """A 2-2-1 sigmoid network's BCE loss, its 9 parameters in one vector (z1 labelled)."""
    z1 = t[0] * X2[0] + t[1] * X2[1] + t[2]
    z1.label = label
    a2 = (t[3] * X2[0] + t[4] * X2[1] + t[5]).sigmoid()
    return losses.binary_cross_entropy(1.0, (t[6] * z1.sigmoid() + t[7] * a2 + t[8]).sigmoid())


def backprop_221(t: np.ndarray, hidden: tuple[bool, bool]) -> np.ndarray:
    """Its gradient by hand; ``hidden[k]`` False leaves σ′ out of hidden unit k's delta."""
    a1, a2 = sigmoid(t[0] * X2[0] + t[1] * X2[1] + t[2]), sigmoid(t[3] * X2[0] + t[4] * X2[1] + t[5])
    d3 = sigmoid(t[6] * a1 + t[7] * a2 + t[8]) - 1.0
    d1 = t[6] * d3 * (a1 * (1 - a1) if hidden[0] else 1)
    d2 = t[7] * d3 * (a2 * (1 - a2) if hidden[1] else 1)
    return np.array([d1 * X2[0], d1 * X2[1], d1, d2 * X2[0], d2 * X2[1], d2, d3 * a1, d3 * a2, d3])


def test_a_chain_factor_missing_on_some_elements_names_it() -> None:
    """The 2-2-1 network's hidden deltas without σ′: the gradients of the unit(s) concerned are off
    by exactly that unit's σ′, the others are right; a labelled node is named."""
    assert check_derivative(net_221, lambda t: backprop_221(t, (True, True)), [Value(v) for v in THETA])
    report = check_derivative(net_221, lambda t: backprop_221(t, (False, False)), [Value(v) for v in THETA])
    assert report.diagnosis.startswith(
        "missing chain-rule factor σ′(z) = σ(z)(1 − σ(z)) (formula/engine = 1/σ′(z)) on 6 of 9 elements"
    )
    labelled = lambda t: net_221(t, "z1")  # noqa: E731
    report = check_derivative(labelled, lambda t: backprop_221(t, (False, True)), [Value(v) for v in THETA])
    assert report.diagnosis.startswith(
        "missing chain-rule factor σ′(z1) = σ(z1)(1 − σ(z1)) (formula/engine = 1/σ′(z1)) on 3 of 9"
    )


def test_a_wrong_engine_rule_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check trusts the engine: with a deliberately wrong tanh rule in the engine, the right
    hand formula no longer agrees."""
    z = ValueArray(P[0])
    assert check_derivative(lambda z: z.tanh().sum(), lambda z: 1 - np.tanh(z) ** 2, z)
    monkeypatch.setattr(
        Value, "tanh", lambda self: Value(float(np.tanh(self.data)), None, (self,), (1.0,), "tanh")
    )
    assert not check_derivative(lambda z: z.tanh().sum(), lambda z: 1 - np.tanh(z) ** 2, z)


def test_long_tables_are_cut() -> None:
    y = np.zeros(30)
    text = str(check_derivative(losses.mse, lambda y, p: 2 * p / 30, y, np.arange(30.0)))
    assert "(18 more elements)" in text


def test_the_engine_does_not_import_the_losses() -> None:
    """No module of the engine imports ``losses`` (not even inside a function): the warning the
    losses give lives beside the check that silences it, and ``losses`` re-exports it."""
    import autograd.derivcheck

    for path in Path(autograd.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "losses" not in text and "optimizers" not in text:  # (no import of them: not parsed)
            continue
        for node in ast.walk(ast.parse(text)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            assert not [n for n in names if n.split(".")[0] in ("losses", "optimizers")], path
    assert losses.ArgumentOrderWarning is autograd.derivcheck.ArgumentOrderWarning
