"""Every elementwise op's teaching forms against its code, and its code against sympy.

For each entry of the table (``autograd/ops``) and each input: the rule's text form (read by
``ops.notation``) and its LaTeX (read by latex2sympy2_extended) must equal the code's rule (mask
included), and the code's rule must equal sympy's derivative of the op's forward. Each pair is
compared symbolically where sympy proves it; otherwise at random points (both signs, no ties), where
both sides are real. The last tests show the check fails on a wrong rule and on a wrong teaching form.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import sympy
from latex2sympy2_extended import latex2sympy

from autograd import ops
from autograd.ops import notation
from autograd.ops.elementwise import Elementwise, sympy_call
from autograd.ops.expr import to_sympy

NAMES = ("x", "y", "min", "max", "nan", "posinf", "neginf", "n")
S = {n: sympy.Symbol(n, real=True) for n in NAMES}
PARAMS = {"min": -1.0, "max": 1.0, "nan": 0.0, "posinf": 9.0, "neginf": -9.0, "n": 2}  # at the random points
#: the entries with rules of their own (a composed op, ``square``, has its ops' rules)
RULED = [name for name, entry in ops.TABLE.items() if entry.rules]
RNG = np.random.default_rng(0)
POINTS = [
    {"x": a, "y": b}
    for a, b in RNG.choice([-1, 1], (12, 2)) * RNG.uniform(0.2, 2.5, (12, 2))
]


def _args(entry: Elementwise) -> list[Any]:
    return [S[n] for n in (*entry.inputs, *entry.params)]


def code_rule(entry: Elementwise, i: int) -> Any:
    return entry.sympy_rule(i, *_args(entry))


def text_rule(entry: Elementwise, i: int) -> Any:
    symbols = dict(zip((*entry.inputs, *entry.params), _args(entry)))
    return to_sympy(notation.parse(entry.rules[i].text), symbols, sympy_call)


#: LaTeX calls latex2sympy2_extended does not read (or reads only on a lone symbol), and the Iverson
#: bracket \mathbb{1}[cond], as sympy functions of what they enclose
LATEX_CALLS = {
    r"\mathbb{1}[": lambda c: sympy.Piecewise((1, c), (0, True)),
    r"\sigma(": lambda a: 1 / (1 + sympy.exp(-a)),
    r"\operatorname{sign}(": sympy.sign,
    r"\operatorname{trunc}(": lambda a: sympy.sign(a) * sympy.floor(sympy.Abs(a)),
    r"\operatorname{erfinv}(": sympy.erfinv,
    r"\operatorname{ndtri}(": lambda a: sympy.sqrt(2) * sympy.erfinv(2 * a - 1),
    r"\Phi(": lambda a: (1 + sympy.erf(a / sympy.sqrt(2))) / 2,
    r"\psi(": sympy.digamma,
    r"\psi^{(1)}(": lambda a: sympy.polygamma(1, a),
    r"\psi^{(n+1)}(": lambda a: sympy.polygamma(S["n"] + 1, a),
    r"I_0(": lambda a: sympy.besseli(0, a),
    r"I_1(": lambda a: sympy.besseli(1, a),
}


def latex_rule(entry: Elementwise, i: int) -> Any:
    """The LaTeX form, read by latex2sympy2_extended (the calls of ``LATEX_CALLS`` read here)."""
    return read_latex(entry.rules[i].latex)


def read_latex(latex: str) -> Any:
    """``latex`` as sympy: each call of ``LATEX_CALLS`` (innermost first) becomes a placeholder
    symbol for the function of its argument, read the same way."""
    values: dict[Any, Any] = {}
    while True:
        starts = [(latex.find(head), head) for head in LATEX_CALLS if head in latex]
        if not starts:
            break
        start, head = min(starts)
        opening, closing = head[-1], {"(": ")", "[": "]"}[head[-1]]
        depth, end = 0, start + len(head) - 1
        while True:
            depth += {opening: 1, closing: -1}.get(latex[end], 0)
            if depth == 0:
                break
            end += 1
        argument = read_latex(latex[start + len(head) : end])
        values[sympy.Symbol(f"w_{len(values)}")] = LATEX_CALLS[head](argument)
        latex = f"{latex[:start]} w_{{{len(values) - 1}}} {latex[end + 1 :]}"
    return _names(latex2sympy(latex)).subs(values)


def _names(expr: Any) -> Any:
    """latex2sympy's symbols as the test's (real) ones."""
    return expr.subs({sympy.Symbol(n): S[n] for n in NAMES})


def _value(expr: Any, point: dict[str, float]) -> complex | None:
    try:
        values = {**PARAMS, **point}
        v = complex(expr.subs({S[n]: values[n] for n in NAMES if n in values}).evalf())
    except TypeError:  # (not a number there)
        return None
    return v


def agree(a: Any, b: Any, domain: Any = None) -> str | None:
    """None where a equals b (symbolically, or at every random point where both are real numbers,
    and so is ``domain``, the op's forward); else where they differ."""
    difference = sympy.simplify(a - b) if not (a.has(sympy.Piecewise) or b.has(sympy.Piecewise)) else None
    if difference == 0:
        return None
    compared = 0
    for point in POINTS:
        f = 0j if domain is None else _value(domain, point)
        if f is None or f.imag or not np.isfinite(f.real):
            continue  # (arccosh below -1: sympy's complex branch)
        u, v = _value(a, point), _value(b, point)
        if u is None or v is None or u.imag or v.imag or not (np.isfinite(u.real) and np.isfinite(v.real)):
            continue
        compared += 1
        if abs(u.real - v.real) > 1e-9 * max(1.0, abs(v.real)):
            return f"at {point}: {u.real} vs {v.real}"
    return None if compared >= 4 else f"compared at only {compared} points"


def problems(entry: Elementwise) -> list[str]:
    """Every disagreement between the entry's teaching forms, its code and sympy's derivative."""
    found = []
    forward = entry.sympy(*_args(entry))
    for i, rule in enumerate(entry.rules):
        code = code_rule(entry, i)
        for form, parsed in (("text", text_rule(entry, i)), ("latex", latex_rule(entry, i))):
            why = agree(parsed, code, forward)
            if why:
                found.append(f"{entry.name} ∂/∂{rule.input}: {form} form {parsed} ≠ code {code} ({why})")
        if entry.plain:  # a step function: derivative 0 between its steps
            why = None if code == 0 else f"the rule is {code}"
            steps = [_value(forward, p) for p in POINTS]
            moved = [{**p, rule.input: p[rule.input] + 1e-7} for p in POINTS]
            if any(_value(forward, p) != v for p, v in zip(moved, steps)):
                why = "the forward is not constant between steps"
            derivative = 0
        else:  # (the steps floor, sign... inside a formula have derivative 0: remainder's floor(x/y))
            derivative = sympy.diff(forward, _args(entry)[i]).replace(
                lambda e: isinstance(e, sympy.Derivative) and e.expr.func in (sympy.floor, sympy.sign),
                lambda e: sympy.S.Zero,
            ).doit()
            why = agree(derivative, code, forward)
        if why:
            found.append(f"{entry.name} ∂/∂{rule.input}: code {code} ≠ sympy's {derivative} ({why})")
    return found


@pytest.mark.parametrize("name", RULED)
def test_teaching_forms_and_code_agree_with_sympy(name: str) -> None:
    assert problems(ops.TABLE[name]) == []


def test_the_check_catches_a_wrong_rule() -> None:
    wrong = ops.TABLE["tanh"].replace(d="1 - out")  # 1 - tanh, not 1 - tanh²
    found = problems(wrong)
    assert any("code" in p and "sympy's" in p for p in found) and any("text form" in p for p in found)


def test_the_check_catches_a_wrong_teaching_form() -> None:
    wrong = ops.TABLE["sigmoid"].replace(text="σ(x)(1 + σ(x))", latex=r"\sigma(x)(1-\sigma(x))")
    found = problems(wrong)
    assert len(found) == 1 and "text form" in found[0]
    wrong = ops.TABLE["divide"].replace(latex=(r"\frac{1}{y}", r"\frac{x}{y^2}"))  # a sign slip
    found = problems(wrong)
    assert len(found) == 1 and "latex form" in found[0] and "∂/∂y" in found[0]
    # inside a call the reader reads itself: trunc(y/x) for trunc(x/y), σ(y − x) for σ(x − y)
    wrong = ops.TABLE["fmod"].replace(latex=("1", r"-\operatorname{trunc}(y/x)"))
    assert [p for p in problems(wrong) if "latex form" in p]
    wrong = ops.TABLE["logaddexp"].replace(latex=(r"\sigma(y - x)", r"\sigma(y - x)"))
    found = problems(wrong)
    assert len(found) == 1 and "latex form" in found[0] and "∂/∂x" in found[0]


def test_a_wrong_mask_is_caught() -> None:
    wrong = ops.TABLE["relu"].replace(keep="not x < 0")  # the same away from 0: only a tie shows it
    assert problems(wrong) == []  # (random points never hit 0: the edge tests against torch do)
    wrong = ops.TABLE["relu"].replace(keep="x < 0")
    assert problems(wrong)


@pytest.mark.parametrize(
    "name,values,expected",
    [
        ("sigmoid", {"x": 0.3}, ["σ(x)", "(1 − σ(x))"]),
        ("power", {"x": 2.0, "y": 3.0}, ["y", "x^(y − 1)"]),
        ("tanh", {"x": -0.7}, ["1 − tanh(x)²"]),
        ("maximum", {"x": [1.0, 2.0, 3.0], "y": 2.0}, ["[x > y] + ½[x = y]"]),
    ],
)
def test_teaching_form_factors_multiply_to_the_local_derivative(name: str, values: dict, expected: list) -> None:  # noqa: E501
    """What a drawing shows on an edge: the teaching form's factors, each evaluated, whose product is
    the local derivative the engine computes (``σ(z)(1 − σ(z)) = 0.5744 × 0.4256 = 0.2445``)."""
    entry = ops.TABLE[name]
    text = entry.rules[0].text
    assert notation.factors(text) == expected
    product = np.prod([notation.evaluate(f, values) for f in expected], axis=0)
    np.testing.assert_allclose(product, notation.evaluate(text, values), rtol=1e-15)
    x = ops.ARRAYS  # the code's rule, as the Tensor backward runs it (g = 1)
    args = [np.asarray(values[n], dtype=np.float64) for n in entry.inputs]
    out = entry.forward(*args)
    np.testing.assert_allclose(entry.vjps[0](x, np.ones_like(out), out, *args), product, rtol=1e-15)


def test_rule_of_a_node_gives_the_teaching_form_and_its_numbers() -> None:
    """What issue 18's drawings read: ∂a/∂z = σ(z)(1 − σ(z)) = 0.5744 × 0.4256 = 0.2445."""
    from autograd import Tensor, Value

    z = Value(0.3)
    a = z.sigmoid()
    rule, values = ops.rule_of(a, 0)
    assert rule.text == "σ(x)(1 − σ(x))" and values == {"x": 0.3, "out": a.data}
    numbers = [float(notation.evaluate(f, values)) for f in notation.factors(rule.text)]
    assert numbers[0] * numbers[1] == pytest.approx(a.local_grads[0], rel=1e-15)
    c = Value(2.0).clip(-1.0, 1.0)  # params, read from the node
    assert ops.rule_of(c, 0)[1] == {"x": 2.0, "min": -1.0, "max": 1.0, "out": 1.0}
    t = Tensor([0.5, 2.0], requires_grad=True) ** 3.0
    rule, values = ops.rule_of(t, 1)
    assert rule.text == "x^y·ln(x)" and values["y"] == 3.0 and np.array_equal(values["x"], [0.5, 2.0])
    assert ops.rule_of(Value(1.0), 0) is None and ops.rule_of(Tensor([[1.0]]) @ Tensor([[2.0]]), 0) is None
