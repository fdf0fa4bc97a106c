"""The teaching notation of the rules (``σ(x)(1 − σ(x))``, ``1 − tanh(x)²``, ``[x > 0]``), read back.

A rule's ``text`` is written for people: ``−``, ``·``, ``×``, ``²``, ``^``, ``√``, ``π``, ``∞``,
``σ``, ``ln``, ``½``, ``≤ ≥ ≠``, ``ψ`` and ``ψ⁽ⁿ⁾`` (digamma, polygamma), ``I₀``, ``I₁``,
juxtaposition for a product, and ``[cond]`` for 1 where cond holds, else 0 (Iverson's bracket).
:func:`to_rule` turns it into the rule language, so the teaching form can be checked against the
code (``tests/engine/test_teaching_forms.py``) and evaluated; :func:`factors` splits it into the
factors of its product, which a drawing shows with the numbers substituted (``σ(z1)(1 − σ(z1)) =
0.5744 × 0.4256 = 0.2445``).
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Mapping
from typing import Any

import numpy as np

from . import expr as E

_CHARS = {
    "−": "-", "·": "*", "×": "*", "²": "**2", "³": "**3", "^": "**", "π": " pi ", "∞": " inf ",
    "σ": "sigmoid", "½": "(1/2)", "≤": "<=", "≥": ">=", "≠": "!=", "[": " where(", "]": ", 1, 0)",
    "ψ": " digamma", "₀": "0", "₁": "1",
}  # fmt: skip
_NAMES = {"ln": "log", "I0": "i0", "I1": "i1"}
#: the superscripts of an order, ψ⁽ⁿ⁺¹⁾(x): polygamma(x, n + 1)
_ORDER = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹ⁿ⁺⁻", "0123456789n+-")
_ATOM_START = "([√σπ"


def to_rule(text: str) -> str:
    """The teaching form ``text`` in the rule language (``σ(x)(1 − σ(x))`` →
    ``sigmoid(x) * (1 - sigmoid(x))``)."""
    out = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "√":  # √x, √π, √(…): the square root of the atom after it
            j = i + 1
            if j < len(text) and text[j] == "(":
                depth, k = 0, j
                while True:
                    depth += {"(": 1, ")": -1}.get(text[k], 0)
                    if depth == 0:
                        break
                    k += 1
                atom, i = text[j + 1 : k], k + 1
            else:
                k = j
                while k < len(text) and (text[k].isalnum() or text[k] in "π_"):
                    k += 1
                atom, i = text[j:k], k
            out.append(f"sqrt({to_rule(atom)})")
            continue
        if c == "ψ" and text[i + 1 : i + 2] == "⁽":  # ψ⁽ᵏ⁾(…): the polygamma of order k
            close = text.index("⁾", i)
            order = text[i + 2 : close].translate(_ORDER)
            depth, k = 0, close + 1
            while True:
                depth += {"(": 1, ")": -1}.get(text[k], 0)
                if depth == 0:
                    break
                k += 1
            out.append(f" polygamma({to_rule(text[close + 2 : k])}, {order})")
            i = k + 1
            continue
        if c == "=" and (i == 0 or text[i - 1] not in "<>!=") and text[i + 1 : i + 2] != "=":
            out.append("==")
        else:
            out.append(_CHARS.get(c, c))
        i += 1
    return _juxtaposed("".join(out))


def _juxtaposed(source: str) -> str:
    """``source`` with ``*`` between two operands written side by side (``2 sqrt(x)``, ``)(``);
    a name before ``(`` that is not a variable is a call."""
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    out: list[str] = []
    previous = None
    for tok in tokens:
        if tok.type in (tokenize.NEWLINE, tokenize.ENDMARKER, tokenize.NL):
            continue
        string = _NAMES.get(tok.string, tok.string) if tok.type == tokenize.NAME else tok.string
        operand_start = tok.type in (tokenize.NAME, tokenize.NUMBER) or string == "("
        if previous is not None and operand_start:
            ends_operand = previous.type == tokenize.NUMBER or previous.string == ")" or (
                previous.type == tokenize.NAME and not (string == "(" and previous.string not in _VARIABLES)
                and previous.string not in ("not", "and", "or")
            )
            if ends_operand and tok.string not in ("and", "or", "not", "if", "else"):
                out.append("*")
        out.append(string)
        previous = tok
    return ast.unparse(ast.parse(" ".join(out).strip(), mode="eval").body)


#: names that are numbers, never calls, in the teaching forms
_VARIABLES = {"x", "y", "out", "pi", "inf", "min", "max", "k", "n"}


def parse(text: str) -> E.Expr:
    """The teaching form ``text`` as a rule."""
    return E.Expr(to_rule(text))


def factors(text: str) -> list[str]:
    """The factors of the teaching form's product, as written (``σ(x)(1 − σ(x))`` →
    ``["σ(x)", "(1 − σ(x))"]``); a sum, or a form with a leading minus, is one factor."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c in "([":
            if depth == 0 and i > start and text[i - 1] in ")]" and start < i:
                parts.append(text[start:i])
                start = i
            depth += 1
        elif c in ")]":
            depth -= 1
        elif depth == 0 and (c == "+" or (c in "−-" and i > 0 and text[i - 1] == " ")):
            return [text]  # a sum (a binary minus is written with spaces around it)
        elif depth == 0 and c in "·×":
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def evaluate(text: str, values: Mapping[str, Any]) -> Any:
    """The teaching form (or a factor of it) at ``values`` (names → numbers or arrays), computed
    with numpy by the table's ops."""
    from .primitive import ARRAYS

    rule = parse(text)
    tree = E.ns_tree(rule.tree, False, E.Names(values, (), _plain()), scalar=False, like="_like")
    scope = {name: np.asarray(v, dtype=np.float64) for name, v in values.items()}
    scope["_like"] = np.asarray(0.0)
    scope["ns"] = ARRAYS
    return eval(compile(ast.Expression(ast.fix_missing_locations(tree)), text, "eval"), scope)  # noqa: S307


def _plain() -> set[str]:
    from .elementwise import PLAIN

    return PLAIN
