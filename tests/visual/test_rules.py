"""The rule on every edge: each local derivative shown with its rule from the operation table and its
numbers substituted, the same text in the drawing, the step-through captions and the trace.

``tests/engine/test_teaching_forms.py`` checks each entry's teaching form against its code (sympy,
random points). Here: what the pictures make of it. For every op of the table, at random points inside
its domain (and at the non-finite inputs its rule is about), the displayed rule, with the drawing's
names put in for the table's variables, evaluates to the engine's local derivative, and the numbers
shown for its factors multiply to it; a wrong teaching form and a wrong substitution are caught.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from svgtext import cells, drawn

import losses
from autograd import StepThrough, Tensor, Value, backward_steps, draw_graph, ops, trace, trace_rows
from autograd.ops import notation
from autograd.ops.elementwise import Composed, Elementwise
from autograd.visual import cells as C
from autograd.visual.text import num
from autograd.visual.walk import Walk

PARAMS: dict[str, dict[str, float]] = {"clip": {"min": -1.0, "max": 2.0}, "polygamma": {"n": 1}}
RNG = np.random.default_rng(18)
#: random points, both signs, away from 0 and from ties
POINTS = [tuple(p) for p in RNG.choice([-1, 1], (10, 2)) * RNG.uniform(0.2, 2.5, (10, 2))]
#: the ops defined on part of the line: a random point's first input moved into the domain
DOMAINS: dict[str, Callable[[float], float]] = {
    "arcsin": lambda x: x / 2.6,  # |x| < 1
    "erfinv": lambda x: x / 2.6,
    "ndtri": lambda x: 0.5 + x / 5.2,  # 0 < x < 1
    "arccos": lambda x: x / 2.6,
    "arctanh": lambda x: x / 2.6,
    "arccosh": lambda x: 1 + abs(x),  # x > 1
    "log": abs,
    "log2": abs,
    "log10": abs,
    "sqrt": abs,
    "log1p": lambda x: abs(x) - 0.19,  # x > -1
}
#: the ops whose rule is about non-finite inputs: those, beside the random points
NON_FINITE = {"nan_to_num": [math.inf, -math.inf, math.nan]}
#: composed ops that are their input itself (positive, conjugate): no node, so no edge to draw
IDENTITIES = [e for e in ops.TABLE.values() if isinstance(e, Composed) and e.of.source == "x"]


def _one_node(entry: Elementwise | Composed) -> bool:
    """Whether the op makes one node from its inputs (a composed op of several, such as ndtr's
    (1 + erf(x/√2))·0.5, draws each of its nodes with that node's own entry's rule, checked there)."""
    if not isinstance(entry, Composed):
        return True
    u, v = Value(0.5, "u"), Value(0.25, "v")
    out = getattr(u, entry.name)(*[v][: entry.arity - 1], **PARAMS.get(entry.name, {}))
    return all(c is u or c is v or not c._prev for c in out._prev)


#: every op with an edge (sign, floor...: plain numbers, no edge); a composed one draws its node's rule
ENTRIES = [e for e in ops.TABLE.values() if not e.plain and e not in IDENTITIES and _one_node(e)]


def points_of(entry: Elementwise | Composed) -> list[tuple[float, float]]:
    """The random points inside ``entry``'s domain, and its non-finite ones."""
    inside = DOMAINS.get(entry.name, float)
    return [(inside(u), v) for u, v in POINTS] + [(x, 1.0) for x in NON_FINITE.get(entry.name, [])]


def n6(x: float) -> str:
    return num(x, C.DIGITS)


#: constant exponents (shown in the rule as written: a number of at most six digits)
EXPONENTS = [2.0, 2.5, -0.5, 3.0, 0.25, -1.5, 1.0, 4.0, -2.0, 0.5]


def edges_of(
    entry: Elementwise | Composed, point: tuple[float, float], constant: float | None = None
) -> tuple[Walk, Any]:
    """The op (labelled w) on Values labelled u (and v) at ``point``; with ``constant`` its second
    operand that number (``u ** 2.5``: the variant whose exponent is a parameter)."""
    u, v = Value(point[0], "u"), Value(point[1], "v")
    rest = [constant] if constant is not None else [v][: entry.arity - 1]
    out = getattr(u, entry.name)(*rest, **PARAMS.get(entry.name, {}))
    out.label = "w"
    walk = Walk(out)
    return walk, out


def display_problems(entry: Elementwise | Composed) -> list[str]:
    """Where the drawn rule of ``entry`` disagrees with the engine: the rule with the drawing's names
    evaluated at the inputs' numbers, the factors' numbers and their product, at every point. The
    rule is that of the node the op makes: its own, or for a composed op (``square``: ``x ** 2``)
    that of the op it is written with."""
    found, compared = [], 0
    for point, exponent in zip(points_of(entry), EXPONENTS * 2):
        for constant in [None] + ([exponent] if getattr(entry, "scalar", None) is not None else []):
            walk, out = edges_of(entry, point, constant)
            made = out._op.entry  # (the entry of the node the op made)
            for edge, local in zip(walk.inputs[out], out.local_grads):
                if not math.isfinite(local):
                    continue
                compared += 1
                d, rule = C.derivation(walk, edge), made.rules[edge.position]
                where = (
                    f"{entry.name} ∂/∂{rule.input} at {point}{' (exponent {constant})' if constant else ''}"
                )
                if not d.rule:  # the rule is its number: it reads no input
                    if set(re.findall(r"[A-Za-z_]\w*", rule.text)) & {*made.inputs, *made.params}:
                        found.append(f"{where}: the rule {rule.text!r} is not shown")
                    continue
                names = {**PARAMS.get(entry.name, {}), "u": point[0], "v": point[1], "w": out.data}
                shown = float(notation.evaluate(d.rule, names))
                if not (shown == local or math.isclose(shown, local, rel_tol=1e-9, abs_tol=1e-12)):
                    found.append(f"{where}: the cell's rule {d.rule!r} is {shown}, the engine's {local}")
                if len(notation.factors(rule.text)) > 1:
                    product = math.prod(d.factors) if d.factors else None
                    if product is None or not math.isclose(product, local, rel_tol=1e-12, abs_tol=1e-300):
                        found.append(f"{where}: the factors {d.factors} of {d.rule!r} do not give {local}")
    return found if compared >= 5 else [*found, f"{entry.name}: compared at only {compared} points"]


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_the_drawn_rule_and_its_factors_give_the_engines_local_derivative(entry: Elementwise) -> None:
    assert display_problems(entry) == []


def test_a_composed_op_is_drawn_as_the_node_it_makes() -> None:
    """A composed entry has no rule of its own: its node is the op it is written with, as in torch,
    and its edge shows that op's rule. ``square`` is ``x ** 2``, a power node (torch's PowBackward):
    the cell of ``u ** 2``, 2·u^(2 − 1) with its numbers. ``positive`` and ``conjugate`` are x
    itself: no node, so no edge (torch returns the same tensor)."""
    u = Value(1.5, "u")
    square, power = (drawn(draw_graph(node))[0]["#1"] for node in (u.square(), u**2))
    assert cells(square) == cells(power) == ["∂/∂u = 2·u^(2 − 1) = 2 × 1.5 = 3"]
    assert [e.name for e in IDENTITIES] == ["positive", "conjugate"]
    assert all(getattr(u, e.name)() is u for e in IDENTITIES)


def test_nan_to_num_is_drawn_with_its_default_replacements() -> None:
    """nan_to_num's posinf and neginf default to None (the dtype's extremes): the cell is drawn (it
    once raised on the None), its rule reading only the input."""
    texts = drawn(draw_graph(Value(math.inf, "u").nan_to_num()))[0]["#1"]
    assert cells(texts) == ["∂/∂u = [−∞ < u < ∞] = 0"]


def test_a_wrong_teaching_form_is_caught() -> None:
    """σ(x)(1 + σ(x)): the drawn rule no longer evaluates to the engine's number, and its factors
    (which would not multiply to it) are not shown."""
    with ops.replaced(ops.TABLE["sigmoid"].replace(text="σ(x)(1 + σ(x))")):
        found = display_problems(ops.TABLE["sigmoid"])
    assert any("the cell's rule 'σ(u)(1 + σ(u))'" in p for p in found)
    assert any("the factors () of" in p for p in found)
    assert display_problems(ops.TABLE["sigmoid"]) == []  # (the table is back)


def test_a_form_written_with_the_result_names_the_node() -> None:
    """A teaching form may read the op's result (``1 − out²``): the node's own name is put in."""
    with ops.replaced(ops.TABLE["tanh"].replace(text="1 − out²")):
        assert display_problems(ops.TABLE["tanh"]) == []
        a = Value(0.5, "z").tanh()
        a.label = "a"
        assert cells(drawn(draw_graph(a))[0]["a"]) == [f"∂/∂z = 1 − a² = {num(1 - a.data**2)}"]


def test_a_wrong_substitution_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """arctan2's inputs are (y, x): a drawing that put the names in by position of the letters,
    not of the inputs, would show ∂/∂u = u/(u² + v²)."""
    assert display_problems(ops.TABLE["arctan2"]) == []
    swapped = {"u": "v", "v": "u"}
    monkeypatch.setattr(C, "_rule_name", lambda walk, node: swapped.get(walk.name[node], walk.name[node]))
    found = display_problems(ops.TABLE["arctan2"])
    assert found and all("the cell's rule" in p for p in found)


def test_cells_write_the_rule_with_names_and_numbers(net221: Any) -> None:
    """The 2-2-1 drawing's cells: ∂/∂z1 = σ(z1)(1 − σ(z1)) = 0.5744 × 0.4256 = 0.2445 (wrapped
    before its factors and its number), ∂/∂w11 = x1 = 1 (before its number); a rule that reads no
    input is its number."""
    p, n = net221
    texts = drawn(draw_graph(n["L"], params=p.values()))[0]
    a1 = n["a1"].data
    assert texts["a1"][:3] == [
        "∂/∂z1 = σ(z1)(1 − σ(z1))",
        f"= {num(a1)} × {num(1 - a1)}",
        f"= {num(a1 * (1 - a1))}",
    ]
    assert texts["w11·x1"][:4] == ["∂/∂w11 = x1", "= 1", "∂/∂x1 = w11", "= 0.2"]
    walk = Walk(n["L"])  # before sigmoid has run: one "= —" for both lines of numbers
    assert C.local_lines(walk, walk.inputs[n["a1"]][0])[1] == ["∂/∂z1 = σ(z1)(1 − σ(z1))", "= —", ""]
    assert cells(texts["w11·x1"]) == ["∂/∂w11 = x1 = 1", "∂/∂x1 = w11 = 0.2"]
    assert cells(texts["z1"]) == ["∂/∂(w11·x1+w21·x2) = 1", "∂/∂b1 = 1"]
    assert cells(texts["L"]) == [
        f"∂/∂ŷ = {num(-1 / n['ŷ'].data)}",
        f"∂/∂y = {num(n['y'].grad)}",
    ]  # a loss box


def test_masks_show_their_condition_and_parameters_their_numbers() -> None:
    z = Value(0.5, "z")
    for x, expected in [(0.5, "∂/∂z = [z > 0] = 1"), (-0.5, "∂/∂z = [z > 0] = 0")]:
        z.data = x
        out = z.relu()
        assert cells(drawn(draw_graph(out))[0]["#1"]) == [expected]
    assert cells(drawn(draw_graph(z.clip(-1.0, 0.25)))[0]["#1"]) == ["∂/∂z = [-1 ≤ z ≤ 0.25] = 1"]
    z.data = 0.5
    assert cells(drawn(draw_graph(z.clip(-1.0, 0.25)))[0]["#1"]) == ["∂/∂z = [-1 ≤ z ≤ 0.25] = 0"]
    z.data = 1.5
    texts = drawn(draw_graph(z**2.5))[0]["#1"]
    assert cells(texts) == [f"∂/∂z = 2.5·z^(2.5 − 1) = 2.5 × {num(1.5**1.5)} = {num(2.5 * 1.5**1.5)}"]
    texts = drawn(draw_graph(z**-0.5))[0]["#1"]  # a negative number in parentheses where it multiplies
    assert cells(texts)[0].startswith("∂/∂z = -0.5·z^(-0.5 − 1) = (-0.5) × ")


def test_names_in_rules_are_cut_and_parenthesised() -> None:
    a, b = Value(0.3, "a"), Value(0.4, "b")
    s = a + b
    s.label = "a+b"
    walk = Walk((s * a).sigmoid() * s)
    rules = {
        (walk.name[n], walk.name[e.child]): C.derivation(walk, e).rule
        for n in walk.nodes
        for e in walk.inputs[n]
    }
    assert rules["#3", "a+b"] == "a" and rules["#3", "a"] == "(a+b)"  # an expression, parenthesised
    assert rules["#4", "#3"] == "σ(#3)(1 − σ(#3))"
    s.label = "s"
    walk = Walk(s.sigmoid())
    s.label = "a+b"  # the only argument of a call: no parentheses of its own
    assert C.derivation(walk, walk.inputs[walk.root][0]).rule == "σ(s)(1 − σ(s))"
    walk = Walk(s.sigmoid())
    assert C.derivation(walk, walk.inputs[walk.root][0]).rule == "σ(a+b)(1 − σ(a+b))"
    long = Value(0.3, "a_very_long_input_name")
    walk = Walk(long.sigmoid())
    rule = C.derivation(walk, walk.inputs[walk.root][0]).rule
    assert rule == "σ(a_very_long…)(1 − σ(a_very_long…))" and len("a_very_long…") == C.RULE_NAME
    out = long.tanh()
    lines, pending = C.local_lines(Walk(out), Walk(out).inputs[out][0])
    assert all(len(line) <= C.CELL_WIDTH for line in lines[1:]) and len(lines) == len(pending) == 2
    assert pending == [lines[0], "= —"]  # before the op has run: the rule, no number


def test_tensor_cells_hold_the_rule_with_g() -> None:
    """A Tensor's cell: the table rule as the gradient sent (g = ∂L/∂out), with the names, no numbers;
    ops outside the table keep their own text; a loss box its chain rule."""
    W = Tensor([[1.0, -2.0], [0.5, 1.0]], requires_grad=True, label="W")
    x = Tensor([1.0, 2.0], label="x")
    z = W @ x
    z.label = "z"
    a = z.sigmoid()
    a.label = "a"
    out = (a * a).sum()
    out.backward()
    walk = Walk(out)
    rules = {
        (walk.name[e.out], walk.name[e.child]): C.derivation(walk, e).rule
        for n in walk.nodes
        for e in walk.inputs[n]
    }
    assert rules[("a", "z")] == "g·σ(z)(1 − σ(z))" and rules[("z", "W")] == "g @ bᵀ"
    assert [C.derivation(walk, e).rule for e in walk.inputs[walk.nodes[-2]]] == ["g·a", "g·a"]
    frames = {f.node: f.explanation for f in backward_steps(out)}
    assert frames[z] == f"grad(z) = [g·σ(z)(1 − σ(z))] with g = grad(a) = {C.grad_text(z, C.DIGITS)}"
    loss = losses.mse(Tensor([0.0, 1.0]), a)
    assert C.derivation(Walk(loss), Walk(loss).inputs[loss][1]).rule == "g through mse"


def test_a_node_with_several_users_sums_their_terms_each_with_its_rule(net221: Any) -> None:
    """grad(x1) = ∂(w12·x1)/∂x1 · grad(w12·x1) + ∂(w11·x1)/∂x1 · grad(w11·x1) = w12 · grad(w12·x1) +
    w11 · grad(w11·x1) = 0.3 × (-0.0312939) + 0.2 × (-0.0455741) = -0.0185 (x1 a parameter here; the
    terms in the order backward adds them)."""
    _, n = net221
    frames = {f.node: f.explanation for f in backward_steps(n["L"])}  # every labelled leaf a parameter
    x1 = n["x1"]
    w11x1, w12x1 = _products(n)
    assert frames[x1] == (
        "grad(x1) = ∂(w12·x1)/∂x1 · grad(w12·x1) + ∂(w11·x1)/∂x1 · grad(w11·x1) = "
        "w12 · grad(w12·x1) + w11 · grad(w11·x1) = "
        f"0.3 × ({n6(w12x1.grad)}) + 0.2 × ({n6(w11x1.grad)}) = {n6(x1.grad)}"
    )
    assert x1.grad == 0.3 * w12x1.grad + 0.2 * w11x1.grad
    rows = [r for r in trace_rows(n["L"]).backward if r.node is x1]  # the trace: one row per user
    assert [r.derivative for r in rows] == [("w12", "0.3"), ("w11", "0.2")] and rows[-1].grad == x1.grad


def _products(n: dict[str, Any]) -> tuple[Value, Value]:
    """The nodes w11·x1 and w12·x1 of the 2-2-1 network."""
    return n["z1"].children[0].children[0], n["z2"].children[0].children[0]


def test_drawing_captions_and_trace_write_the_same_rule(net221: Any) -> None:
    """For every edge of a graph of many table ops, the drawing's cell, the step-through caption of
    its input and the trace's row hold the same rule (``cells.derivation`` makes all three)."""
    u, v = Value(0.7, "u"), Value(-1.3, "v")
    h = (u * v).tanh() + (u / v).sigmoid() * u.exp() - v.maximum(u) ** 2.0 + u.arctan2(v).relu()
    h.label = "h"
    p, n = net221
    for root, params in [(h, None), (n["L"], p.values())]:
        st = StepThrough(root, params=params)
        walk, texts = st.walk, drawn(st.drawing)[0]
        captions = {f.node: f.explanation for f in st.frames if f.phase == "backward"}
        rows = {(r.node, r.output): r for r in st.trace.backward[1:]}
        checked = 0
        for node in walk.nodes:
            for k, e in enumerate(walk.inputs[node]):
                rule = C.derivation(walk, e).rule
                cell = cells(texts[walk.name[node]])[k]
                row = rows[e.child, node]
                assert cell.startswith(
                    f"∂/∂{walk.ref(e.child)} = {rule} = " if rule else f"∂/∂{walk.ref(e.child)} = "
                )
                assert row.derivative[0] == (rule or num(e.local, 6)) and cell.endswith(num(e.local))
                term = f"∂{walk.ref(node)}/∂{walk.ref(e.child)} · grad({walk.name[node]})"
                if rule and e.child in walk.shows_grad and term in captions[e.child]:  # (at most 4 terms)
                    assert f" {rule} · grad({walk.name[node]})" in captions[e.child] or (
                        f"({rule}) · grad({walk.name[node]})" in captions[e.child]
                    )
                    checked += 1
        assert checked >= 6
    text = str(trace(h))
    assert "1 − tanh(#2)² = " in text and "σ(#4)(1 − σ(#4)) = " in text and "[v > u] + ½[v = u] = " in text
