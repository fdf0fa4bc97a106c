"""LaTeX hand formulas: every construct reads as written (checked in numbers), the parser's hazards
are closed, anything not understood raises an error that marks the token, and the formula prints
back as text and LaTeX. A round trip through sympy's LaTeX printer checks the reader on random
formulas."""

from __future__ import annotations

import sys

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import losses
from autograd import check_derivative
from autograd.formulas import Formula, FormulaError, compile_formula, parse_latex, sigmoid

Y = np.array([0.5, -1.0, 2.0, 0.25])
P = np.array([0.75, 0.5, -1.5, 0.25])
NAMES = ["y_true", "y_pred"]


def value(latex: str, symbols: dict | None = None, y: np.ndarray = Y, p: np.ndarray = P) -> np.ndarray:
    return np.broadcast_to(compile_formula(latex, NAMES, symbols)(y, p), np.shape(p))


def sig(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


n = Y.size
CONSTRUCTS = [
    (r"\frac{2}{n}(\hat{y}_i - y_i)", 2 / n * (P - Y)),
    (r"\frac{2}{n} \sum_{i=1}^{n} (\hat{y}_i - y_i)", 2 / n * (P - Y).sum()),
    (r"\frac{1}{n}\sum_i (y_i - \hat{y}_i)^2", ((Y - P) ** 2).mean()),  # never truncated to 1/n
    (r"y \cdot \hat{y} \times 3", Y * P * 3),
    (r"\hat y^2 + y^{3} - \hat{y}^{-1}", P**2 + Y**3 - 1 / P),
    (r"x^23", None),  # TeX reads x^2·3 (checked below with x bound)
    (r"\log(y^2 + 1) + \ln(\hat{y}^2)", np.log(Y**2 + 1) + np.log(P**2)),  # \log is natural
    (r"\log_{10}(y^2)", np.log10(Y**2)),
    (r"\exp(\hat{y}) + e^{-y} + e", np.exp(P) + np.exp(-Y) + np.e),
    (
        r"\sigma(\hat{y}) - \sigma'(y) + \tanh(y) \tanh'(\hat{y})",
        sig(P) - sig(Y) * (1 - sig(Y)) + np.tanh(Y) * (1 - np.tanh(P) ** 2),
    ),
    (
        r"\max(0, 1 - y \hat{y}) + \min(y, \hat{y}, 0)",
        np.maximum(0, 1 - Y * P) + np.minimum(np.minimum(Y, P), 0),
    ),
    (r"|y - \hat{y}| + \left| y \right|", np.abs(Y - P) + np.abs(Y)),
    (
        r"\text{sign}(\hat{y} - y) + \operatorname{sign}(y) + \mathrm{sgn}(\hat{y})",
        np.sign(P - Y) + np.sign(Y) + np.sign(P),
    ),
    (r"-y_i \mathbb{1}[y_i \hat{y}_i < 1] + \mathbb{1}_{y > 0}", -Y * (Y * P < 1) + (Y > 0)),
    (
        r"\begin{cases} y - \hat{y} & \text{if } |y - \hat{y}| \le 1 \\ "
        r"\operatorname{sign}(y - \hat{y}) & \text{otherwise} \end{cases}",
        np.where(np.abs(Y - P) <= 1, Y - P, np.sign(Y - P)),
    ),
    (r"\left( \hat{y} - y \right) \cdot \left[ 2 + y \right]", (P - Y) * (2 + Y)),
    (r"\frac{\partial L}{\partial \hat{y}_i} = \hat{y}_i - y_i", P - Y),
    (r"$\sqrt{y^2} + \sqrt[3]{8}$.", np.abs(Y) + 2),
    (r"\dfrac{1}{2}y + 2\frac{1}{2}", Y / 2 + 1),  # 2\frac{1}{2} is 2·½, never the mixed number 2½
    (r"y(1 - y) + \hat{y}(y)", Y * (1 - Y) + P * Y),  # products, never function calls
]


@pytest.mark.parametrize(
    "latex, expected", [c for c in CONSTRUCTS if c[1] is not None], ids=lambda x: str(x)[:40]
)
def test_every_construct_reads_as_written(latex: str, expected: np.ndarray) -> None:
    np.testing.assert_allclose(value(latex), np.broadcast_to(expected, P.shape), rtol=1e-12)


def test_the_parsers_known_hazards_are_closed() -> None:
    assert value(r"\gamma", {r"\gamma": 2.0})[0] == 2.0  # not Euler's constant 0.577
    assert value(r"I + E", {"I": 1.0, "E": 10.0})[0] == 11.0  # not the imaginary unit; E is not e
    assert value(r"x^23", {"x": 2.0})[0] == 12.0
    parsed = parse_latex(r"\hat{y} - \hat y")
    assert parsed.expr == 0 and [i.key for i in parsed.identifiers.values()] == [r"\hat{y}"]
    for latex in (r"1.5e-3 y", r"y'", r"y!", r"a, b", r"y < 1", r"\foo(y)", r"\int y dy"):
        with pytest.raises(FormulaError):
            parse_latex(latex)


@pytest.mark.parametrize(
    "latex, message, marked",
    [
        (r"2(y - \hat{y}) \cdot \foo", r"\\foo is not read here", r"\foo"),
        (r"y' - \hat{y}", "a prime here: only \\\\sigma' and \\\\tanh' are read", "'"),
        (r"2.5e-3 y", "scientific notation reads as a product with e", "2.5e-"),
        (r"y = \hat{y} = 1", "more than one '='", "="),
        (r"(y - \hat{y}", "never closed", "("),
        (r"y - \hat{y})", "'\\)' closes nothing", ")"),
        (r"\max y", "needs its argument\\(s\\) in parentheses", r"\max"),
        (r"y, \hat{y}", "a comma outside", ","),
        (r"\text{relu}(y)", "the word 'relu' is not read here", r"\text{relu}"),
        (r"y < \hat{y}", "a comparison outside a condition", r"y < \hat{y}"),
        (r"\sum y_i", "\\\\sum needs its index", r"\sum"),
        (r"\frac{1}{y", "never closed", "{"),
        (r"\begin{cases} 1 & y > 0 \\ 0 \end{cases}", "a cases row reads 'value & condition'", "0"),
        (
            r"\begin{cases} 0 & \text{otherwise} \\ 1 & y > 0 \end{cases}",
            "'otherwise' before the last case",
            "0",
        ),
    ],
)
def test_a_formula_not_understood_raises_and_marks_the_token(latex: str, message: str, marked: str) -> None:
    with pytest.raises(FormulaError, match=message) as info:
        parse_latex(latex)
    lines = str(info.value).splitlines()
    assert lines[1] == f"  {latex}"
    start = lines[2].index("^")
    assert latex[start - 2 : start - 2 + len(marked)] == marked, str(info.value)


def test_variables_bind_explicitly_or_fail_with_the_inputs_named() -> None:
    with pytest.raises(
        FormulaError, match=r"w_\{13\} stands for nothing: f's inputs are \(y_true, y_pred\); bind it"
    ):
        compile_formula(r"w_{13} \hat{y}", NAMES)
    f = compile_formula(
        r"w_{13} \hat{y} + y_{pred} + \delta", ["y", "w13", "y_pred"], {r"\delta": "y", r"\hat y": "w13"}
    )
    np.testing.assert_allclose(f(1.0, 2.0, 3.0), 2 * 2 + 3 + 1)
    kinds = {
        "a": 2.0,
        "b": np.array([1.0, 2.0, 3.0, 4.0]),
        "c": lambda y, p: p.sum(),
        "d": r"\sigma(\hat{y})",
        "e": sympy.Symbol("y_true") * 2,
    }
    np.testing.assert_allclose(
        value("a + b + c + d + e", kinds), 2 + np.arange(1, 5) + P.sum() + sig(P) + 2 * Y
    )
    with pytest.raises(FormulaError, match=r"in a circle: a -> b -> a"):
        compile_formula("a", NAMES, {"a": "b + 1", "b": "2 a"})
    with pytest.raises(TypeError, match=r"symbols\['a'\] must be an input's name, a number or array"):
        compile_formula("a", NAMES, {"a": object()})
    with pytest.raises(FormulaError, match="the sum over i has nothing with the subscript i"):
        value(r"\sum_i y")
    with pytest.raises(FormulaError, match="has 2 indices but y has shape"):
        value(r"y_{i,c}")


def test_subscripts_index_elements_and_axes() -> None:
    y, p = np.arange(6.0).reshape(2, 3), np.ones((2, 3))
    np.testing.assert_allclose(value(r"\sum_c y_{i,c} \hat{y}_{i,c}", y=y, p=p), [[3.0] * 3, [12.0] * 3])
    np.testing.assert_allclose(value(r"\sum_i y_{i,c}", y=y, p=p), [[3.0, 5.0, 7.0]] * 2)
    np.testing.assert_allclose(
        value(r"\sum_i y_i", y=y, p=p), np.full((2, 3), 15.0)
    )  # one index: every element
    np.testing.assert_allclose(value(r"n", y=y, p=p), 6.0)


def test_the_left_side_gives_the_input_and_the_order() -> None:
    f = compile_formula(r"\frac{\partial L}{\partial w} = 1", ["x", "w"])
    assert f.wrt == (1,) and f.order == 1
    f = compile_formula(r"\frac{\partial^2 L}{\partial x \partial w} = 1", ["x", "w"])
    assert f.wrt == (0, 1) and f.order == 2
    assert compile_formula(r"\frac{dL}{dx} = 1", ["x", "w"]).wrt == (0,)
    assert compile_formula(r"\nabla_{w} L = 1", ["x", "w"]).wrt == (1,)
    assert compile_formula(r"\delta_3 = 1", ["x", "w"]).wrt == (
        1,
    )  # no derivative on the left: the last input
    with pytest.raises(FormulaError, match=r"left side differentiates by x, but wrt names w"):
        compile_formula(r"\frac{\partial L}{\partial x} = 1", ["x", "w"], wrt=(1,))
    with pytest.raises(FormulaError, match=r"left side differentiates by a, which stands for a = 2"):
        compile_formula(r"\frac{\partial L}{\partial a} = 1", ["x", "w"], {"a": 2.0})
    report = check_derivative(
        losses.mse, r"\frac{\partial L}{\partial y_i} = \frac{2}{n}(y_i - \hat{y}_i)", Y, P
    )
    assert report and report.title == "∂mse/∂y_true"


def test_the_report_prints_the_formula_back() -> None:
    report = check_derivative(losses.mse, r"\frac{\partial L}{\partial \hat{y}_i} = 2(y_i - \hat{y}_i)", Y, P)
    text = str(report)
    assert "  formula: 2*y_i - 2*ŷ_i\n" in text
    assert "  LaTeX:   2 y_{i} - 2 \\hat{y}_{i}\n" in text
    assert "  where:   y = y_true; ŷ = y_pred\n" in text
    report = check_derivative(losses.mse, r"\frac{2}{n}(\hat{y} - y)", Y, P)
    assert "n = the number of elements of y_pred" in report.checked and report


def test_sympy_expressions_are_accepted() -> None:
    yhat, y, i = sympy.Symbol("yhat_i", real=True), sympy.Symbol("y_i", real=True), sympy.Symbol("i")
    assert check_derivative(losses.mse, 2 * (yhat - y) / sympy.Symbol("n"), Y, P)
    assert check_derivative(losses.mse, 2 * (sympy.Symbol("y_pred") - sympy.Symbol("y_true")) / 4, Y, P)
    f = compile_formula(sympy.Sum(yhat, (i, 1, sympy.Symbol("n"))), NAMES)
    assert isinstance(f, Formula) and f(Y, P).item() == pytest.approx(P.sum())
    with pytest.raises(FormulaError, match="is not supported here"):
        compile_formula(sympy.gamma(y), NAMES)


def test_without_the_extra_the_error_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "latex2sympy2_extended", None)
    with pytest.raises(
        ImportError, match=r'pip install "gradscope\[formulas\]" \(missing: latex2sympy2_extended\)'
    ):
        check_derivative(losses.mse, r"\frac{2}{n}(\hat{y} - y)", Y, P)
    assert check_derivative(losses.mse, lambda y, p: 2 * (p - y) / 4, Y, P)  # functions need no extra


# -- a round trip: random formulas, printed by sympy's LaTeX printer, read back, give the same numbers
_y, _p = sympy.Symbol("y", real=True), sympy.Symbol("yhat", real=True)
_UNARY = [sympy.exp, sympy.tanh, sympy.Abs, sympy.sign, sigmoid, lambda a: sympy.log(a**2 + 1)]
_BINARY = [
    lambda a, b: a + b,
    lambda a, b: a - b,
    lambda a, b: a * b,
    lambda a, b: a / (b**2 + 1),
    lambda a, b: sympy.Max(a, b),
    lambda a, b: sympy.Min(a, b),
]
_LEAVES = [_y, _p, sympy.Integer(2), sympy.Rational(1, 2), sympy.Float(0.75)]


def _formulas(depth: int) -> st.SearchStrategy:
    leaves = st.sampled_from(_LEAVES)
    if depth == 0:
        return leaves
    smaller = _formulas(depth - 1)
    return st.one_of(
        leaves,
        st.tuples(leaves, leaves, leaves).map(lambda t: sympy.Piecewise((t[0], t[1] < t[2]), (t[2], True))),
        st.tuples(st.sampled_from(_UNARY), smaller).map(lambda t: t[0](t[1])),
        st.tuples(st.sampled_from(_BINARY), smaller, smaller).map(lambda t: t[0](t[1], t[2])),
        st.tuples(smaller, st.integers(2, 3)).map(lambda t: t[0] ** t[1]),
    )


@settings(max_examples=25)
@given(_formulas(3))
def test_sympys_latex_reads_back_to_the_same_numbers(expr: sympy.Expr) -> None:
    latex = sympy.latex(expr)
    reference = sympy.lambdify([_y, _p], expr, modules=[{"sigmoid": sig}, "numpy"])
    with np.errstate(all="ignore"):
        expected = np.broadcast_to(np.asarray(reference(Y, P), dtype=float), P.shape)
    np.testing.assert_allclose(value(latex), expected, rtol=1e-9, atol=1e-12, err_msg=latex)


def test_a_sum_over_a_shared_prediction() -> None:
    """∂L/∂ŷ = -2/n Σ_i (y_i - ŷ_i) is right when ŷ is one number shared by all elements, and a
    Σ that does not belong when ŷ has one element per y."""
    formula = r"\frac{\partial L}{\partial \hat{y}} = -\frac{2}{n_y} \sum_i (y_i - \hat{y}_i)"
    shared = lambda y_true, y_pred: losses.mse(y_true, y_pred * np.ones(4))  # noqa: E731
    assert check_derivative(shared, formula, Y, 0.3, symbols={"n_y": 4})
    report = check_derivative(losses.mse, formula, Y, P, symbols={"n_y": 4})
    assert report.diagnosis.startswith("a sum Σ that does not belong")


def test_a_misspelt_symbols_key_is_an_error() -> None:
    with pytest.raises(FormulaError, match=r"symbols key '\\\\hatt\{y\}' is no variable name"):
        compile_formula(r"\hat{y}", NAMES, {r"\hatt{y}": 1.0})
    assert value(r"\hat{y} + y", {"y_hat": 1.0, "y": 2.0})[0] == 3.0  # parameter-style names work
