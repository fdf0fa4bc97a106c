"""What each part of a node's box says: its data, its gradient, the derivative on each input
edge with its rule, and the claims set beside them.

The drawing, the step-through captions and the trace take these texts from here, so a cell
reads the same everywhere. An edge's derivative is :func:`derivation`: the rule from the
operation table (``autograd.ops``) with the edge's names, and its factors' numbers. It is written
as steps from rule to number (:func:`local_steps`: ``σ(z1)(1 − σ(z1)) = 0.5744 × 0.4256 =
0.2445``), as the box's cell (:func:`local_lines`) and as a term of the chain rule in a caption
(:func:`chain_term`).

How a rule is written:

- the table's teaching form of the op's rule on that input, its variables (``x``, ``y``) replaced by
  the names of the node's inputs (``out`` by the node's own; a name longer than :data:`RULE_NAME`
  characters is cut with ``…``; an expression is put in parentheses, except as the argument of a
  call), and a constant parameter by its number (clip's bounds, the exponent of ``x ** 2``);
- the factors of its product (``notation.factors``) evaluated at the numbers the forward saw,
  shown when there are two or more and their product is the engine's number; a rule that reads
  no input (``1``, ``−1``) is its number; a mask shows its condition (``[z > 0] = 1``);
- a Tensor's cell holds the gradient sent to the input, written with g = ∂L/∂out
  (``g·σ(z)(1 − σ(z))``), without numbers: they are arrays, and the input's box shows what arrived;
- operations outside the table (matmul, sum, getitem, a custom node) keep their own text, and a
  loss drawn as one box its chain rule through the loss;
- a Value's drawn cell longer than :data:`CELL_WIDTH` characters wraps before its ``=`` steps, a
  Tensor's longer than :data:`SHAPES_WIDTH` puts its shapes on their own line.
"""

from __future__ import annotations

import math
import re
from functools import cache
from typing import Any, NamedTuple

import numpy as np

from .. import ops
from ..ops import notation
from ..ops.elementwise import vjp_text
from .claims import Claim
from .text import cell, num, printable
from .walk import Edge, Node, Walk, grad_of, is_tensor

#: significant digits in captions: enough that a product visibly matches its factors
DIGITS = 6
#: significant digits in a box
BOX_DIGITS = 4
#: the one grey state: no number to show (not needed, or not computed yet)
NONE = "—"
#: the most characters of an input's name a rule writes (``σ(w11·x1+w21…)``)
RULE_NAME = 12
#: a Value's drawn cell longer than this wraps before its "= ..." steps (a product's ``∂/∂w11 = x1``
#: over ``= 1``: four of them side by side made the 2-2-1 drawing too wide for 12 px text on GitHub)
CELL_WIDTH = 14
#: a Tensor's cell longer than this puts its shapes on a line of their own
SHAPES_WIDTH = 30
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def data_text(node: Node, digits: int = BOX_DIGITS) -> str:
    """The node's value: a number, or an array's values or summary."""
    return cell(node.data, digits)


def grad_text(node: Node, digits: int = BOX_DIGITS) -> str:
    """The node's gradient (a ``create_graph`` gradient by its numbers); ``None`` when it has none."""
    g = grad_of(node)
    return "None" if g is None else cell(g, digits)


def local_shown(walk: Walk, edge: Edge) -> bool:
    """Whether ``edge``'s cell shows a derivative: backward skips a Tensor input that no
    parameter needs, and its cell says so in grey instead."""
    return not (is_tensor(edge.child) and edge.child not in walk.needs_grad)


class Derivation(NamedTuple):
    """The derivative on an edge as the pictures write it. ``rule``: the op table's rule with the
    edge's names (for a Tensor the gradient sent, with g); "" where a Value's derivative is only
    its number (no rule in the table, a constant rule, a loss box). ``factors``: the numbers of
    the rule's factors, when it has two or more (Values only)."""

    rule: str
    factors: tuple[float, ...] = ()


def derivation(walk: Walk, edge: Edge) -> Derivation:
    """The rule on ``edge`` with its names and numbers: the one source of every text that shows
    an edge's derivative (cell, caption, trace). Made once per edge of ``walk``."""
    found = walk.memo.get(id(edge))
    if found is None:
        found = walk.memo[id(edge)] = _derive(walk, edge)
    return found


def _derive(walk: Walk, edge: Edge) -> Derivation:
    out, tensor = edge.out, is_tensor(edge.out)
    entry = getattr(out._op, "entry", None)  # (the table's entry: ops.rule_of reads it so too)
    if entry is None or (walk.collapsed and walk.group(out) is not None):  # (a loss box's edges)
        return Derivation(edge.local if tensor else "")
    text = entry.rules[edge.position].text
    parts = _parts(text, (*entry.inputs, *entry.params, "out"))
    if len(parts) == 1 and not tensor:
        return Derivation("")  # a constant: its number says it
    several = not tensor and len(_factor_texts(text)) > 1
    values = ops.rule_of(out, edge.position)[1] if entry.params or several else {}
    names = dict(zip(entry.inputs, out.children), out=out)  # (each variable's node, or its number)
    numbers = {p: v for p in entry.params if (v := values[p]) is not None and np.ndim(v) == 0}
    names |= {p: num(v, DIGITS) for p, v in numbers.items()}  # (None, nan_to_num's posinf: its name)
    shown = "".join(p if isinstance(p, str) else _put(walk, names, *p) for p in parts)
    if tensor:
        return Derivation(vjp_text(shown))
    return Derivation(shown, _factors(text, values, edge.local) if several else ())


def _rule_name(walk: Walk, node: Node) -> str:
    name = walk.name[node]  # (printable already)
    return name if len(name) <= RULE_NAME else name[: RULE_NAME - 1] + "…"


@cache
def _parts(text: str, variables: tuple[str, ...]) -> tuple[Any, ...]:
    """``text`` split at its variables: text, (before, variable, after), text, ... (one part: none)."""
    parts: list[Any] = []
    start = 0
    for m in _WORD.finditer(text):
        if m[0] in variables:
            parts += [
                text[start : m.start()],
                (text[m.start() - 1 : m.start()], m[0], text[m.end() : m.end() + 1]),
            ]
            start = m.end()
    return (*parts, text[start:])


def _put(walk: Walk, names: dict[str, Any], before: str, variable: str, after: str) -> str:
    """The name of ``variable`` (its node's, or its number): in parentheses where it is an
    expression or a negative number, except as the only argument of a call (``σ(a+b)``)."""
    name = names.get(variable, variable)
    if not isinstance(name, str):
        name = _rule_name(walk, name)
    if (before, after) == ("(", ")") or name.replace("_", "").isalnum() or name.startswith("#"):
        return name
    if _is_number(name) and (not name.startswith("-") or before in ("", "(", "[", " ")):
        return name
    return f"({name})"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@cache
def _factor_texts(text: str) -> tuple[str, ...]:
    return tuple(notation.factors(text))


def _factors(text: str, values: dict[str, Any], local: float) -> tuple[float, ...]:
    """The numbers of the rule's (two or more) factors at ``values``, when their product is the
    engine's ``local`` (it may not be where a mask or an inf takes over)."""
    parts = _factor_texts(text)
    try:  # (a form notation cannot read shows its number alone; tests/visual/test_rules.py finds it)
        with np.errstate(all="ignore"):
            numbers = tuple(float(notation.evaluate(p, values)) for p in parts)
    except (ValueError, TypeError, ArithmeticError, LookupError, NameError, AttributeError, SyntaxError):
        return ()
    product = math.prod(numbers)
    agrees = product == local or math.isclose(product, local, rel_tol=1e-9, abs_tol=1e-300)
    return numbers if agrees else ()


def signed(x: float, digits: int = DIGITS) -> str:
    """A number, in parentheses when negative (``a × (-b)`` reads unambiguously)."""
    s = num(x, digits)
    return f"({s})" if s.startswith("-") else s


def local_steps(walk: Walk, edge: Edge, digits: int = BOX_DIGITS) -> list[str]:
    """``edge``'s derivative from rule to number: ``["σ(z1)(1 − σ(z1))", "0.5744 × 0.4256",
    "0.2445"]`` (read joined by " = "); ``["x1", "1"]``; ``["1"]``. A Tensor's: its rule."""
    return _steps(derivation(walk, edge), edge, digits)


def _steps(d: Derivation, edge: Edge, digits: int) -> list[str]:
    if isinstance(edge.local, str):
        return [d.rule]
    steps = [d.rule] if d.rule else []
    if d.factors:
        steps.append(" × ".join(signed(f, digits) for f in d.factors))
    return [*steps, num(edge.local, digits)]


def local_lines(walk: Walk, edge: Edge) -> tuple[list[str], list[str]]:
    """The cell of ``edge`` in its box, as lines: ``∂/∂z1 = σ(z1)(1 − σ(z1))``, ``= 0.5744 ×
    0.4256``, ``= 0.2445`` for a Value; the rule and the shapes when they differ for a Tensor. Returns
    the lines, and the same lines before the operation has run (its numbers ``—``)."""
    ref, d = walk.ref(edge.child), derivation(walk, edge)
    if isinstance(edge.local, str):
        shapes = [] if edge.child.shape == edge.out.shape else [f"{edge.out.shape}→{edge.child.shape}"]
        return _wrap([(p, p) for p in [f"{ref}: {d.rule}", *shapes]], SHAPES_WIDTH)
    steps = _steps(d, edge, BOX_DIGITS)
    pieces = [(f"∂/∂{ref} = {s}", f"∂/∂{ref} = {s if d.rule else NONE}") for s in steps[:1]]
    pieces += [(f"= {s}", f"= {NONE}") for s in steps[1:]]
    return _wrap(pieces, CELL_WIDTH)


def _wrap(pieces: list[tuple[str, str]], width: int) -> tuple[list[str], list[str]]:
    """Pieces (text, text before the operation ran) joined into lines of at most ``width``
    characters where they fit; before the operation ran, one ``= —`` stands for all the numbers
    (the lines after it are blank)."""
    known, pending = [pieces[0][0]], [pieces[0][1]]
    for (text, before), (_, previous) in zip(pieces[1:], pieces):
        if len(known[-1]) + 1 + len(text) <= width:
            known[-1] += " " + text
            pending[-1] += "" if before == previous else " " + before
        else:
            known.append(text)
            pending.append("" if before == previous else before)  # one "= —", not one per line
    return known, pending


def skipped_text(walk: Walk, edge: Edge) -> str:
    """The grey cell of an input backward skips (see :func:`local_shown`)."""
    return f"{walk.ref(edge.child)}: not needed"


class Term(NamedTuple):
    """The term an edge adds to its input's gradient in a caption: ``symbolic`` (``∂a1/∂z1 ·
    grad(a1)``), ``rule`` (``σ(z1)(1 − σ(z1)) · grad(a1)``, "" where the rule is its number) and,
    for a Value, ``numbers`` (``0.574443 × 0.425557 × (-0.186429)``)."""

    symbolic: str
    rule: str
    numbers: str


def chain_term(walk: Walk, edge: Edge) -> Term:
    """The chain-rule term ``edge`` adds to its input's gradient (see :class:`Term`); for a Tensor,
    the vector-Jacobian product ``[g·σ(z)(1 − σ(z))] with g = grad(a)``."""
    out, d = walk.name[edge.out], derivation(walk, edge)
    if isinstance(edge.local, str):
        return Term(f"[{d.rule}] with g = grad({out})", "", "")
    symbolic = f"∂{walk.ref(edge.out)}/∂{walk.ref(edge.child)} · grad({out})"
    rule = f"{_grouped(d.rule)} · grad({out})" if d.rule else ""
    factors = [signed(f) for f in d.factors] or [signed(edge.local)]
    return Term(symbolic, rule, " × ".join([*factors, signed(grad_of(edge.out))]))


def _grouped(rule: str) -> str:
    """``rule`` in parentheses where it is a sum (``(1 − tanh(z)²) · grad(a)``)."""
    depth = 0
    for i, c in enumerate(rule):
        depth += (c in "([") - (c in ")]")
        if depth == 0 and c in "+−-" and rule[i - 1 : i] == " ":
            return f"({rule})"
    return rule


def claim_mark(claim: Claim, by: str) -> str:
    """A wrong claim in its node's box: ``notes 1.086 ✗``."""
    return f"{printable(by)} {claim.text} ✗"


def claim_verdict(walk: Walk, claim: Claim, by: str) -> str:
    """A claim judged, for the caption: ``✗ notes: z3 = 1.086; the engine: 1.01334. <note>``."""
    name = walk.name[claim.node]
    what = name if claim.of == "data" else f"grad({name})"
    note = f" {printable(claim.note)}" if claim.note else ""
    if claim.agrees():
        return f"✓ {printable(by)}: {what} = {claim.text}, as the engine computes.{note}"
    return f"✗ {printable(by)}: {what} = {claim.text}; the engine: {num(claim.engine(), DIGITS)}.{note}"
