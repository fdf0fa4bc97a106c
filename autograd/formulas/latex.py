"""LaTeX to sympy: a hand formula as teaching notes write it, read without silent changes.

The arithmetic (``\\frac``, ``\\sum``, powers, implicit products, ``|x|``) is read by the maintained
parser latex2sympy2-extended. :class:`_Reader` walks the tokens first and hands the parser only what
it reads safely:

- every variable becomes a placeholder ``Q_{k}``, so ``\\hat{y}`` is never ``hat·y``, ``\\gamma``
  never Euler's constant, ``I`` never the imaginary unit and ``y(1 - y)`` never a function call;
- every function application (``\\log`` and ``\\ln`` natural, ``\\exp``, ``\\tanh``, ``\\sigma``,
  ``\\sigma'``, ``\\max``, ``\\min``, sign, ``\\sqrt``), every ``\\mathbb{1}[...]`` and every
  ``cases`` block is read here, its parts parsed one by one;
- the parser's readings that change a formula are avoided: ``2\\frac{1}{2}`` is given as 2·½ (the
  parser reads the mixed number 2½ whatever its setting), names keep their case, and its
  normalisation (which drops text and units) is not run.

Anything else raises :class:`FormulaError`, which shows the formula and marks the token.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import sympy
from sympy.core.relational import Relational
from sympy.logic.boolalg import Boolean, BooleanAtom

#: A subscript of these letters (``y_i``, ``\\hat{y}_{i,c}``) indexes elements; any other subscript is
#: part of the name (``w_{13}``, ``p_t``, ``\\delta_3``). Comma-separated letters are indices too.
INDEX_LETTERS = frozenset("ijkc")
GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ",
    "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ",
    "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}  # fmt: skip
ACCENTS = {"hat": "hat", "widehat": "hat", "bar": "bar", "overline": "bar", "tilde": "tilde"}
_ACCENT_MARK = {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303"}
FUNCTIONS = {
    "log": sympy.log, "ln": sympy.log, "exp": sympy.exp, "tanh": sympy.tanh, "cosh": sympy.cosh,
    "sinh": sympy.sinh, "sign": sympy.sign, "sgn": sympy.sign, "sqrt": sympy.sqrt, "sigma": None,
    "max": sympy.Max, "min": sympy.Min,
}  # fmt: skip
#: ``\\text{...}`` / ``\\operatorname{...}`` / ``\\mathrm{...}`` words read as functions.
WORD_FUNCTIONS = {"sign": "sign", "sgn": "sign", "sigmoid": "sigma", "exp": "exp", "log": "log", "ln": "ln"}
_BRACED = ("text", "operatorname", "mathrm", "textrm", "mathbb", "mathbf", "mathit", "boldsymbol")
_BRACED += ("begin", "end")
#: Spacing, display style and ``\[ ... \]``: nothing to read.
_DROPPED = {",", ";", ":", "!", " ", "quad", "qquad", "displaystyle", "textstyle", "limits", "nolimits"}
_DROPPED |= {"[", "]"}
_SIZES = {"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr"}
_RENAMED = {
    "dfrac": "frac", "tfrac": "frac", "leq": "le", "leqslant": "le", "geq": "ge", "geqslant": "ge",
    "neq": "ne", "ast": "cdot", "lt": "<", "gt": ">", "lvert": "|", "rvert": "|", "vert": "|",
    "lbrace": "{", "rbrace": "}",
}  # fmt: skip
_RELATIONS = {"<": "<", ">": ">", "=": "=", "le": r"\le", "ge": r"\ge", "ne": r"\ne"}
_CONDITION_WORDS = ("if", "for", "when", "where")
_OTHERWISE = ("otherwise", "else", "o.w.", "elsewhere")
_PLACEHOLDER = re.compile(r"Q_\{?(\d+)\}?$")
_OPEN = {"(": ")", "[": "]", "{": "}"}


class FormulaError(ValueError):
    """A formula that cannot be read as written; the message shows the formula and marks the token."""


@dataclass(frozen=True)
class Token:
    """One token: a command (``\\frac``; ``arg`` holds the text of ``\\text{...}`` and the like), a
    number, or one character; ``pos``/``end`` locate it in the formula."""

    kind: str  # "cmd", "num" or "char"
    value: str
    pos: int
    end: int
    arg: str | None = None

    def is_(self, kind: str, value: str) -> bool:
        return self.kind == kind and self.value == value


@dataclass(frozen=True)
class Identifier:
    """A variable: ``base`` (``y``, ``delta``), an ``accent`` (``hat``), a ``sub`` that is part of the
    name (``13`` in ``w_{13}``) and element ``indices`` (``("i",)`` in ``y_i``)."""

    base: str
    accent: str | None = None
    sub: str | None = None
    indices: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The variable as LaTeX without element indices (``\\hat{y}``, ``w_{13}``, ``\\delta_{3}``)."""
        base = f"\\{self.base}" if self.base in GREEK else self.base
        text = f"\\{self.accent}{{{base}}}" if self.accent else base
        return f"{text}_{{{self.sub}}}" if self.sub else text

    @property
    def text(self) -> str:
        """The variable as text with its indices (``ŷ_i``, ``w_13``, ``δ_3``)."""
        text = GREEK.get(self.base, self.base) + (_ACCENT_MARK[self.accent] if self.accent else "")
        subs = ([self.sub] if self.sub else []) + list(self.indices)
        text = unicodedata.normalize("NFC", text)  # ŷ as one character
        return text + (f"_{','.join(subs)}" if subs else "")

    @property
    def python_names(self) -> tuple[str, ...]:
        """The parameter names it matches (``\\hat{y}`` is ``y_hat`` or ``yhat``, ``w_{13}`` is
        ``w_13`` or ``w13``)."""
        names = [f"{self.base}_{self.accent}", f"{self.base}{self.accent}"] if self.accent else [self.base]
        if self.sub:
            names = [f"{n}_{self.sub}" for n in names] + [f"{n}{self.sub}" for n in names]
        return tuple(names)

    def plain(self) -> Identifier:
        """The same variable without element indices."""
        return Identifier(self.base, self.accent, self.sub)

    def symbol(self) -> sympy.Symbol:
        """Its sympy symbol, named in sympy's convention (``yhat_i``), so ``sympy.latex`` prints
        ``\\hat{y}_{i}``."""
        subs = ([self.sub] if self.sub else []) + list(self.indices)
        name = self.base + (self.accent or "") + (f"_{','.join(subs)}" if subs else "")
        return sympy.Symbol(name, real=True)


class sigmoid(sympy.Function):  # noqa: N801 (named as sympy names its functions)
    r"""The logistic function :math:`\sigma(z) = 1 / (1 + e^{-z})` as a sympy function, printed as σ;
    its derivative is :math:`\sigma(z)(1 - \sigma(z))`.

    Called as ``sigmoid(z)``: ``*args`` is the one argument.
    """

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return sigmoid(self.args[0]) * (1 - sigmoid(self.args[0]))

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        power = f"^{{{exp}}}" if exp else ""
        return rf"\sigma{power}\left({printer._print(self.args[0])}\right)"

    def _sympystr(self, printer: Any) -> str:
        return f"σ({printer._print(self.args[0])})"


class ElementSum(sympy.Function):
    r""":math:`\sum_i \text{summand}`, the sum over the elements (axes) that the index ``i`` runs
    over, as a sympy function.

    Called as ``ElementSum(summand, i)``: ``*args`` are the summand and the index's symbol.
    """

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        summand, index = self.args
        text = rf"\sum_{{{printer._print(index)}}} {printer.parenthesize(summand, 45)}"
        return rf"\left({text}\right)^{{{exp}}}" if exp else text

    def _sympystr(self, printer: Any) -> str:
        summand, index = self.args
        return f"Σ_{printer._print(index)}({printer._print(summand)})"


@dataclass(frozen=True)
class Parsed:
    """A formula read from LaTeX by :func:`parse_latex`.

    Parameters
    ----------
    source : str
        The LaTeX as written.
    expr : sympy.Expr
        The right-hand side.
    identifiers : dict
        Each sympy symbol of ``expr`` and the :class:`Identifier` it was read from.
    wrt : tuple of Identifier
        What the left-hand side differentiates by (one, or two for a second derivative; empty
        without a left side).
    """

    source: str
    expr: sympy.Expr
    identifiers: dict[sympy.Symbol, Identifier]
    wrt: tuple[Identifier, ...] = ()


@functools.lru_cache(maxsize=256)
def parse_latex(source: str) -> Parsed:
    r"""Read a derivative formula written in LaTeX (see :mod:`autograd.formulas`).

    Surrounding ``$``, ``\[...\]`` and a final period are ignored.

    Parameters
    ----------
    source : str
        The right-hand side, or ``lhs = rhs`` where the left-hand side, such as
        ``\frac{\partial L}{\partial \hat{y}_i}`` or ``\frac{\partial^2 L}{\partial x \partial y}``,
        tells which variables it differentiates by.

    Returns
    -------
    Parsed
        Kept in a cache: the same source gives the same object (do not change it).

    Raises
    ------
    FormulaError
        If a token is not read, a construct has another meaning than the one written (a set, a
        factorial, scientific notation, a prime other than σ' and tanh'), groups are unbalanced,
        or there is more than one ``=``.
    TypeError
        If ``source`` is not a str.
    """
    if not isinstance(source, str):
        raise TypeError(f"parse_latex: the formula must be a str, got {type(source).__name__}")
    toks = [t for t in tokenize(source) if not t.is_("char", "$")]
    while toks and toks[-1].kind == "char" and toks[-1].value in ".,;":
        toks = toks[:-1]
    reader = _Reader(source)
    sides = reader.split(toks, ("char", "="))
    if len(sides) > 2:
        second = [t for t in toks if t.is_("char", "=")][1]
        raise reader.error("more than one '=': write one derivative and one expression", second)
    lhs, rhs = sides if len(sides) == 2 else ([], sides[0])
    wrt = reader.left_side(lhs)
    expr = reader.parse(rhs, "right-hand side")
    return Parsed(source, expr, dict(reader.identifiers), wrt)


def tokenize(source: str) -> list[Token]:
    """The tokens of ``source``: spacing dropped, aliases merged (``\\leq`` is ``\\le``, ``\\left(``
    is ``(``, ``\\dfrac`` is ``\\frac``, ``*`` is ``\\cdot``)."""
    tokens: list[Token] = []
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c.isspace() or c == "~":
            i += 1
        elif c == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", source[i:], re.S)
            if m is None:
                raise FormulaError(_marked("a lone backslash at the end", source, i, i + 1))
            name, end, arg = m.group(1), i + m.end(), None
            if name in _BRACED:
                braced = re.match(r"\s*\{([^{}]*)\}", source[end:])
                if braced is None:
                    raise FormulaError(_marked(f"\\{name} needs a {{...}} argument", source, i, end))
                arg, end = braced.group(1).strip(), end + braced.end()
            name = _RENAMED.get(name, name)
            if name in _SIZES:  # \left( is (, \left. is nothing
                if re.match(r"\s*\.", source[end:]):
                    end += re.match(r"\s*\.", source[end:]).end()
            elif name == "|":
                tokens.append(Token("char", "|", i, end))
            elif name not in _DROPPED and not (name == "text" and not arg):
                tokens.append(Token("cmd", name, i, end, arg))
            i = end
        elif m := re.match(r"\d+(?:\.\d+)?|\.\d+", source[i:]):
            tokens.append(Token("num", m.group(0), i, i + m.end()))
            i += m.end()
        elif c == "*":
            tokens.append(Token("cmd", "cdot", i, i + 1))
            i += 1
        else:
            tokens.append(Token("char", c, i, i + 1))
            i += 1
    return tokens


def _marked(what: str, source: str, start: int, end: int) -> str:
    end = max(end, start + 1)
    return f"cannot read the formula: {what}\n  {source}\n  {' ' * start}{'^' * (end - start)}"


class _Reader:
    """Reads one formula's tokens into sympy; see the module docstring."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.parts: dict[int, sympy.Basic] = {}  # placeholder number -> what it stands for
        self.identifiers: dict[sympy.Symbol, Identifier] = {}

    def error(self, what: str, start: Token, end: Token | None = None) -> FormulaError:
        return FormulaError(_marked(what, self.source, start.pos, (end or start).end))

    # -- groups
    def close(self, toks: list[Token], i: int) -> int:
        """The index of the token that closes the group opened at ``toks[i]``."""
        opener = toks[i]
        if opener.kind == "cmd":  # \begin{...} ... \end{...}, or \{ ... \}
            kind, left, right = ("cmd", "begin", "end") if opener.value == "begin" else ("cmd", "{", "}")
        else:
            kind, left, right = "char", opener.value, _OPEN[opener.value]
        depth = 0
        for j in range(i, len(toks)):
            t = toks[j]
            if t.kind == kind and t.value == left:
                depth += 1
            elif t.kind == kind and t.value == right:
                depth -= 1
                if depth == 0:
                    if left == "begin" and t.arg != opener.arg:
                        raise self.error(f"\\begin{{{opener.arg}}} ends with \\end{{{t.arg}}}", t)
                    return j
        what = f"\\begin{{{opener.arg}}}" if left == "begin" else f"'{opener.value}'"
        raise self.error(f"{what} is never closed", opener)

    def opens(self, t: Token) -> bool:
        return (t.kind == "char" and t.value in _OPEN) or t.is_("cmd", "{") or t.is_("cmd", "begin")

    def split(self, toks: list[Token], sep: tuple[str, str]) -> list[list[Token]]:
        """``toks`` split at the separators outside any group (and outside nested environments)."""
        parts: list[list[Token]] = [[]]
        i = 0
        while i < len(toks):
            t = toks[i]
            if self.opens(t):
                j = self.close(toks, i)
                parts[-1] += toks[i : j + 1]
                i = j + 1
                continue
            if t.kind in ("char", "cmd") and t.value in ")]}" and not t.is_("cmd", "}"):
                raise self.error(f"'{t.value}' closes nothing", t)
            if t.kind == sep[0] and t.value == sep[1]:
                parts.append([])
            else:
                parts[-1].append(t)
            i += 1
        return parts

    def argument(self, toks: list[Token], i: int, what: str) -> tuple[list[Token], int]:
        """The argument at ``toks[i]``: a braced group's inside, or one token (one digit of a number:
        ``x^23`` is x²·3, as TeX reads it). Returns it and the index after it."""
        if i >= len(toks) or (toks[i].kind == "char" and toks[i].value in "}])"):
            raise self.error(f"{what} needs an argument", toks[min(i, len(toks) - 1)])
        t = toks[i]
        if t.is_("char", "{"):
            j = self.close(toks, i)
            return toks[i + 1 : j], j + 1
        if t.kind == "num" and len(t.value) > 1:
            toks[i] = Token("num", t.value[1:], t.pos + 1, t.end)
            return [Token("num", t.value[0], t.pos, t.pos + 1)], i
        return [t], i + 1

    # -- the left-hand side
    def left_side(self, toks: list[Token]) -> tuple[Identifier, ...]:
        """What ``∂L/∂x``, ``∂²L/∂x²``, ``∂²L/∂x∂y``, ``dL/dx`` or ``∇_x L`` differentiates by
        (nothing for a left side such as ``\\delta_3``)."""
        if toks and toks[0].is_("cmd", "frac"):  # dL/dx: the d's are ∂'s
            num, j = self.argument(toks, 1, "\\frac")
            den, _ = self.argument(toks, j, "\\frac")
            if num and den and _is_d(num[0]) and _is_d(den[0]):
                for t in (num[0], *[t for t in den if _is_d(t)]):
                    toks[toks.index(t)] = Token("cmd", "partial", t.pos, t.end)
        found: list[tuple[Identifier | None, int, Token]] = []
        i = 0
        while i < len(toks):
            t = toks[i]
            if t.is_("cmd", "nabla") and i + 1 < len(toks) and toks[i + 1].is_("char", "_"):
                arg, i = self.argument(toks, i + 2, "\\nabla_")
                found += [(None, 1, t), (self.read_identifier(arg, 0)[0].plain(), 1, t)]
            elif t.is_("cmd", "partial"):
                power, i = self.power(toks, i + 1)
                ident = None
                if i < len(toks) and _starts_identifier(toks[i]):
                    ident, i = self.read_identifier(toks, i)
                    more, i = self.power(toks, i)
                    power = max(power, more)
                found.append((ident.plain() if ident else None, power, t))
            else:
                i += 1
        if not found:
            return ()
        (_, order, top), variables = found[0], found[1:]
        wrt = tuple(v for v, p, _ in variables for _ in range(p) if v is not None)
        if not 1 <= order <= 2:
            raise self.error(
                f"a derivative of order {order}: first and second ones are checked", top, toks[-1]
            )
        if len(wrt) != order:
            what = f"order {order} by {len(wrt)} variable{'s' if len(wrt) != 1 else ''}"
            raise self.error(f"the left side reads as a derivative of {what}", top, toks[-1])
        return wrt

    def power(self, toks: list[Token], i: int) -> tuple[int, int]:
        if i < len(toks) and toks[i].is_("char", "^"):
            arg, j = self.argument(toks, i + 1, "^")
            if len(arg) == 1 and arg[0].kind == "num" and arg[0].value.isdigit():
                return int(arg[0].value), j
            raise self.error("the order of a derivative must be a number", toks[i], toks[j - 1])
        return 1, i

    # -- the parser
    def parse(self, toks: list[Token], what: str) -> sympy.Basic:
        """``toks`` read into sympy, the placeholders replaced."""
        if not toks:
            raise self.error(f"an empty {what}", Token("char", "", len(self.source), len(self.source)))
        out: list[tuple[str, Token]] = []
        i = 0
        while i < len(toks):
            i = self.emit(toks, i, out)
        text = "".join(s for s, _ in out)
        where = [t for s, t in out for _ in s]
        expr = self.run_parser(text, where, toks)
        for s in sympy.preorder_traversal(expr):
            if (
                isinstance(s, sympy.Symbol)
                and not _PLACEHOLDER.match(s.name)
                and s.name not in self.indices(expr)
            ):
                raise self.error(f"an unexpected symbol {s.name}", toks[0], toks[-1])
        expr = expr.replace(
            lambda e: isinstance(e, sympy.Sum), lambda e: ElementSum(e.function, e.limits[0][0])
        )
        expr = expr.xreplace(
            {s: self.parts[int(m.group(1))] for s in expr.free_symbols if (m := _PLACEHOLDER.match(s.name))}
        )
        bad = _unsupported(expr, in_condition=what.endswith("condition"))
        if bad is not None:
            kind = "a comparison outside a condition" if isinstance(bad, Boolean) else sympy.sstr(bad)
            raise self.error(f"it reads as {kind}, which is not a formula here", toks[0], toks[-1])
        return expr

    @staticmethod
    def indices(expr: sympy.Basic) -> set[str]:
        return {str(e.limits[0][0]) for e in sympy.preorder_traversal(expr) if isinstance(e, sympy.Sum)} | {
            "M"
        }

    def run_parser(self, text: str, where: list[Token], toks: list[Token]) -> Any:
        try:
            expr = _parser(text)
        except Exception as e:  # the parser raises bare Exceptions, with a ~~~^ marker line
            lines = str(e).splitlines()
            column = lines[-1].find("^") if len(lines) >= 3 else -1
            at = where[min(column, len(where) - 1)] if column >= 0 and where else toks[0]
            raise self.error(f"{lines[0] if lines else e}", at) from None
        if not isinstance(expr, sympy.Basic):
            raise self.error(f"it reads as {type(expr).__name__}, not an expression", toks[0], toks[-1])
        return expr

    def placeholder(self, value: sympy.Basic) -> str:
        k = 10 + len(self.parts)
        self.parts[k] = value
        return f"Q_{{{k}}} "

    # -- parser-safe LaTeX, token by token
    def emit(self, toks: list[Token], i: int, out: list[tuple[str, Token]]) -> int:
        """Append the parser-safe LaTeX of the item at ``toks[i]`` to ``out`` (with the token each
        character comes from); return the index after it."""
        t = toks[i]
        if t.kind == "num":
            if i + 2 < len(toks) and toks[i + 1].kind == "char" and toks[i + 1].value in "eE":
                after = toks[i + 2]
                if after.kind == "num" or (after.kind == "char" and after.value in "+-"):
                    raise self.error(
                        "scientific notation reads as a product with e: write 10^{...}", t, after
                    )
            out.append((t.value, t))
            return self.product_follows(toks, i + 1, out)
        if _starts_identifier(t) and not (t.is_("cmd", "sigma") and self.is_applied(toks, i + 1)):
            if t.kind == "cmd" and t.value in ("mathbb", "mathbf") and t.arg in ("1", "I"):
                return self.emit_indicator(toks, i, out)
            ident, j = self.read_identifier(toks, i)
            sym = ident.symbol()
            self.identifiers[sym] = ident
            out.append((self.placeholder(sym), t))
            return self.product_follows(toks, j, out)
        if t.kind == "cmd" and t.value in ("mathbb", "mathbf") and t.arg in ("1", "I"):
            return self.emit_indicator(toks, i, out)
        if t.kind == "char":
            return self.emit_char(toks, i, out)
        v = t.value
        if v in ("text", "operatorname", "mathrm", "textrm") and t.arg in WORD_FUNCTIONS:
            return self.emit_function(toks, i, out, WORD_FUNCTIONS[t.arg])
        if v in FUNCTIONS:
            return self.emit_function(toks, i, out, v)
        if v == "frac":
            num, j = self.argument(toks, i + 1, "\\frac")
            den, j = self.argument(toks, j, "\\frac")
            out.append(("\\frac{", t))
            self.emit_all(num, out)
            out.append(("}{", t))
            self.emit_all(den, out)
            out.append(("}", t))
            return self.product_follows(toks, j, out)
        if v == "sum":
            return self.emit_sum(toks, i, out)
        if v in ("cdot", "times", "div"):
            out.append((f" \\{v} ", t))
            return i + 1
        if v in _RELATIONS:
            out.append((f" {_RELATIONS[v]} ", t))
            return i + 1
        if v == "begin" and t.arg == "cases":
            return self.emit_cases(toks, i, out)
        if v == "{":
            return self.emit_group(toks, i, out)
        if v in ("text", "operatorname", "mathrm", "textrm"):
            raise self.error(f"the word '{t.arg}' is not read here (functions: sign, sgn, sigmoid)", t)
        if v in ("partial", "nabla", "int", "prod"):
            raise self.error(f"\\{v} on the right-hand side: write the derivative's expression", t)
        raise self.error(f"\\{v}{{{t.arg}}} is not read here" if t.arg else f"\\{v} is not read here", t)

    def emit_all(self, toks: list[Token], out: list[tuple[str, Token]]) -> None:
        if not toks:
            raise self.error("an empty group", out[-1][1] if out else Token("char", "", 0, 0))
        i = 0
        while i < len(toks):
            i = self.emit(toks, i, out)

    def emit_char(self, toks: list[Token], i: int, out: list[tuple[str, Token]]) -> int:
        t = toks[i]
        if t.value in "([{":
            return self.emit_group(toks, i, out)
        if t.value == "|":
            j = self.close_bar(toks, i)
            out.append((self.placeholder(sympy.Abs(self.parse(toks[i + 1 : j], "absolute value"))), t))
            return self.product_follows(toks, j + 1, out)
        if t.value in "+-/":
            out.append((t.value, t))
            return i + 1
        if t.value == "^":
            if _is_prime(toks, i):
                raise self.error("a prime here: only \\sigma' and \\tanh' are read", t)
            arg, j = self.argument(toks, i + 1, "^")
            out.append(("^{", t))
            self.emit_all(arg, out)
            out.append(("}", t))
            return self.product_follows(toks, j, out)
        if t.value in "<>=":
            out.append((f" {t.value} ", t))
            return i + 1
        if t.value == "'":
            raise self.error("a prime here: only \\sigma' and \\tanh' are read", t)
        if t.value == ",":
            raise self.error("a comma outside \\max(...) or \\min(...)", t)
        if t.value == "_":
            raise self.error("a subscript with nothing to attach to", t)
        if t.value in ")]}":
            raise self.error(f"'{t.value}' closes nothing", t)
        raise self.error(f"'{t.value}' is not read here", t)

    def close_bar(self, toks: list[Token], i: int) -> int:
        """The index of the '|' that closes the absolute value opened at ``toks[i]``: a bar where an
        operand is expected opens (``|a - |b||``), one after an operand closes."""
        depth, operand_expected, j = 0, True, i + 1
        while j < len(toks):
            t = toks[j]
            if self.opens(t):
                j, operand_expected = self.close(toks, j) + 1, False
                continue
            if t.is_("char", "|"):
                if operand_expected:
                    depth += 1
                elif depth == 0:
                    return j
                else:
                    depth, operand_expected = depth - 1, False
                j += 1
                continue
            operand_expected = (t.kind == "char" and t.value in "+-/^_,<>=&") or (
                t.kind == "cmd" and t.value not in GREEK and t.value not in ("}",)
            )
            j += 1
        raise self.error("'|' is never closed", toks[i])

    def emit_group(self, toks: list[Token], i: int, out: list[tuple[str, Token]]) -> int:
        j = self.close(toks, i)
        out.append(("(", toks[i]))
        self.emit_all(toks[i + 1 : j], out)
        out.append((")", toks[j]))
        return self.product_follows(toks, j + 1, out)

    def product_follows(self, toks: list[Token], j: int, out: list[tuple[str, Token]]) -> int:
        """After a factor, another factor is an explicit product: ``y(1 - y)`` is never a function
        call, and ``2\\frac{1}{2}`` is 2·½, never the mixed number 2½ (the parser's reading, whatever
        its setting)."""
        if j < len(toks) and _starts_factor(toks[j]):
            out.append((" \\cdot ", toks[j]))
        return j

    def read_identifier(self, toks: list[Token], i: int) -> tuple[Identifier, int]:
        """The variable at ``toks[i]`` (``y``, ``\\hat y``, ``\\hat{y}_i``, ``\\hat{y_i}``, ``w_{13}``,
        ``\\mathbf{x}``); returns it and the index after it."""
        t = toks[i]
        if t.kind == "cmd" and t.value in ACCENTS:
            arg, j = self.argument(toks, i + 1, f"\\{t.value}")
            if not arg or not _is_letter(arg[0]):
                raise self.error(f"\\{t.value}{{...}} of something other than a letter", t, toks[j - 1])
            inner, k = self.read_identifier(arg, 0)
            if k != len(arg) or inner.accent:
                raise self.error(f"\\{t.value}{{...}} of more than one variable", t, toks[j - 1])
            ident = Identifier(inner.base, ACCENTS[t.value], inner.sub, inner.indices)
        elif t.kind == "cmd" and t.value in ("mathbf", "mathit", "boldsymbol", "mathrm"):
            if not t.arg or not re.fullmatch(r"[A-Za-z]", t.arg):
                raise self.error(f"\\{t.value}{{{t.arg}}}: one letter expected", t)
            ident, j = Identifier(t.arg), i + 1
        elif _is_letter(t):
            ident, j = Identifier(t.value), i + 1
        else:
            raise self.error("a variable expected", t)
        if j < len(toks) and toks[j].is_("char", "_"):
            if ident.sub or ident.indices:
                raise self.error("a second subscript", toks[j])
            arg, j = self.argument(toks, j + 1, "_")
            sub, indices = self.subscript(arg)
            ident = Identifier(ident.base, ident.accent, sub, indices)
        if j < len(toks) and toks[j].is_("char", "'"):
            raise self.error("a prime here: only \\sigma' and \\tanh' are read", toks[j])
        return ident, j

    def subscript(self, arg: list[Token]) -> tuple[str | None, tuple[str, ...]]:
        """A subscript's name part or element indices."""
        if not arg or any(a.kind == "cmd" and a.value not in GREEK for a in arg):
            raise self.error(
                "a subscript that is not a name or element indices",
                arg[0] if arg else Token("char", "", 0, 0),
                arg[-1] if arg else None,
            )
        parts = [a.value for a in arg if not a.is_("char", ",")]
        if len(parts) != len(arg) or all(len(p) == 1 and p in INDEX_LETTERS for p in parts):
            if len(parts) != len(arg) and not all(len(p) == 1 and p.isalpha() for p in parts):
                raise self.error("element indices are single letters: y_{i,c}", arg[0], arg[-1])
            return None, tuple(parts)
        return "".join(parts), ()

    def is_applied(self, toks: list[Token], j: int) -> bool:
        """Whether ``\\sigma`` at ``j - 1`` is the sigmoid: followed by '(' or a prime, or by a power
        and then '(' (``\\sigma^2(z)``)."""
        if j < len(toks) and toks[j].is_("char", "^") and not _is_prime(toks, j):
            j = self.argument(list(toks), j + 1, "^")[1]
        return j < len(toks) and (toks[j].is_("char", "(") or toks[j].is_("char", "'") or _is_prime(toks, j))

    def emit_function(self, toks: list[Token], i: int, out: list[tuple[str, Token]], name: str) -> int:
        t = toks[i]
        j, base, power, prime = i + 1, None, None, False
        if name == "sqrt":
            if j < len(toks) and toks[j].is_("char", "["):
                k = self.close(toks, j)
                base, j = self.parse(toks[j + 1 : k], "root's degree"), k + 1
            arg, j = self.argument(toks, j, "\\sqrt")
            x = self.parse(arg, "square root")
            out.append((self.placeholder(sympy.root(x, base) if base is not None else sympy.sqrt(x)), t))
            return self.product_follows(toks, j, out)
        if name == "log" and j < len(toks) and toks[j].is_("char", "_"):
            arg, j = self.argument(toks, j + 1, "\\log_")
            base = self.parse(arg, "logarithm's base")
        if j < len(toks) and toks[j].is_("char", "^") and not _is_prime(toks, j):
            arg, j = self.argument(toks, j + 1, "^")
            power = self.parse(arg, "power")
        if j < len(toks) and (toks[j].is_("char", "'") or _is_prime(toks, j)):
            if name not in ("sigma", "tanh"):
                raise self.error(f"\\{name}': only \\sigma' and \\tanh' are read", t, toks[j])
            prime = True
            j = j + 1 if toks[j].is_("char", "'") else self.argument(toks, j + 1, "^")[1]
        arg, j = self.function_argument(toks, j, name, t)
        if name in ("max", "min"):
            parts = self.split(arg, ("char", ","))
            if len(parts) < 2 or not all(parts):
                raise self.error(f"\\{name} needs two or more arguments, separated by commas", t, toks[j - 1])
            value = FUNCTIONS[name](*[self.parse(p, f"argument of \\{name}") for p in parts], evaluate=False)
        else:
            x = self.parse(arg, f"argument of \\{name}")
            if name == "sigma":
                value = sigmoid(x) * (1 - sigmoid(x)) if prime else sigmoid(x)
            elif prime:
                value = 1 - sympy.tanh(x) ** 2
            elif base is not None:
                value = sympy.log(x) / sympy.log(base)
            else:
                value = FUNCTIONS[name](x)
        out.append((self.placeholder(value if power is None else value**power), t))
        return self.product_follows(toks, j, out)

    def function_argument(self, toks: list[Token], j: int, name: str, t: Token) -> tuple[list[Token], int]:
        """A function's argument: parenthesised, or one variable, number, fraction or braced group."""
        if j < len(toks) and toks[j].kind == "char" and toks[j].value in "([":
            k = self.close(toks, j)
            return toks[j + 1 : k], k + 1
        if name in ("max", "min") or j >= len(toks):
            raise self.error(f"\\{name} needs its argument(s) in parentheses", t)
        u = toks[j]
        if u.is_("cmd", "frac"):
            _, k = self.argument(toks, j + 1, "\\frac")
            _, k = self.argument(toks, k, "\\frac")
            return toks[j:k], k
        if u.is_("char", "{"):
            k = self.close(toks, j)
            return toks[j + 1 : k], k + 1
        if _starts_identifier(u):
            _, k = self.read_identifier(toks, j)
            return toks[j:k], k
        if u.kind == "num":
            return toks[j : j + 1], j + 1
        raise self.error(f"\\{name}: write its argument in parentheses", t, u)

    def condition(self, toks: list[Token], what: str) -> sympy.Basic:
        """A condition: comparisons, joined by ``\\text{and}`` or ``,``; ``\\text{otherwise}`` is True.
        A leading ``\\text{if}`` is dropped."""
        while toks and (toks[0].is_("char", ",") or _word(toks[0]) in _CONDITION_WORDS):
            toks = toks[1:]
        if not toks:
            raise self.error(f"an empty {what}", Token("char", "", len(self.source), len(self.source)))
        if len(toks) == 1 and _word(toks[0]) in _OTHERWISE:
            return sympy.true
        for t in toks:
            if t.kind == "cmd" and t.value in ("text", "mathrm") and _word(t) != "and":
                raise self.error(f"the word '{t.arg}' in a condition", t)
        parts = [p for q in self.split(toks, ("char", ",")) for p in _split_words(q, "and")]
        return sympy.And(*[self.parse(p, what) for p in parts])

    def emit_indicator(self, toks: list[Token], i: int, out: list[tuple[str, Token]]) -> int:
        t, j = toks[i], i + 1
        if j < len(toks) and toks[j].is_("char", "_"):
            cond, j = self.argument(toks, j + 1, "\\mathbb{1}_")
        elif j < len(toks) and (
            (toks[j].kind == "char" and toks[j].value in "([") or toks[j].is_("cmd", "{")
        ):
            k = self.close(toks, j)
            cond, j = toks[j + 1 : k], k + 1
        else:
            raise self.error("\\mathbb{1} needs its condition: \\mathbb{1}[y \\hat{y} < 1]", t)
        value = sympy.Piecewise((1, self.condition(cond, "indicator's condition")), (0, True))
        out.append((self.placeholder(value), t))
        return self.product_follows(toks, j, out)

    def emit_cases(self, toks: list[Token], i: int, out: list[tuple[str, Token]]) -> int:
        j = self.close(toks, i)
        rows = [r for r in self.split(toks[i + 1 : j], ("cmd", "\\")) if r]
        if not rows:
            raise self.error("an empty cases block", toks[i], toks[j])
        pieces = []
        for k, row in enumerate(rows):
            cells = self.split(row, ("char", "&"))
            if len(cells) != 2 or not cells[0]:
                raise self.error("a cases row reads 'value & condition'", row[0], row[-1])
            value, cond = cells
            while value and value[-1].is_("char", ","):
                value = value[:-1]
            pieces.append((self.parse(value, "case's value"), self.condition(cond, "case's condition")))
            if pieces[-1][1] is sympy.true and k != len(rows) - 1:
                raise self.error("'otherwise' before the last case", row[0], row[-1])
        out.append((self.placeholder(sympy.Piecewise(*pieces)), toks[i]))
        return self.product_follows(toks, j + 1, out)

    def emit_sum(self, toks: list[Token], i: int, out: list[tuple[str, Token]]) -> int:
        """``\\sum_i``, ``\\sum_{i}``, ``\\sum_{i=1}^{n}``: a sum over the elements index i runs over
        (the bounds are that whole range)."""
        t, j = toks[i], i + 1
        if j >= len(toks) or not toks[j].is_("char", "_"):
            raise self.error("\\sum needs its index: \\sum_i or \\sum_{i=1}^{n}", t)
        arg, j = self.argument(toks, j + 1, "\\sum_")
        if not (arg[0].kind == "char" and arg[0].value.isalpha() and len(arg[0].value) == 1):
            raise self.error("\\sum's index must be one letter", arg[0])
        if len(arg) > 1 and not (len(arg) == 3 and arg[1].is_("char", "=") and arg[2].value in ("0", "1")):
            raise self.error("\\sum's subscript reads i or i=1", arg[0], arg[-1])
        if j < len(toks) and toks[j].is_("char", "^"):
            _, j = self.argument(toks, j + 1, "\\sum^")
        out.append((f"\\sum_{{{arg[0].value}=1}}^{{M}} ", t))
        return j


@functools.lru_cache(maxsize=1024)
def _parser(text: str) -> Any:
    """latex2sympy2-extended on parser-safe LaTeX, with the settings that change formulas off (its
    ANTLR parser takes a tenth of a second per new shape: results are kept, one placeholder alone
    needs no parser)."""
    if _PLACEHOLDER.match(text.strip()):
        return sympy.Symbol(text.strip())
    from latex2sympy2_extended.latex2sympy2 import ConversionConfig, latex2sympy

    config = ConversionConfig(
        interpret_as_mixed_fractions=False,
        interpret_simple_eq_as_assignment=False,
        interpret_contains_as_eq=False,
        lowercase_symbols=False,
    )
    return latex2sympy(text, normalization_config=None, conversion_config=config)


def _starts_factor(t: Token) -> bool:
    if t.kind == "num" or (t.kind == "char" and (t.value in "([{" or t.value.isalpha())):
        return True
    return t.kind == "cmd" and (
        t.value in GREEK
        or t.value in ACCENTS
        or t.value in FUNCTIONS
        or t.value in ("frac", "sum", "begin", "{")
        or t.value in ("text", "operatorname", "mathrm", "textrm", "mathbb", "mathbf", "mathit", "boldsymbol")
    )


def _is_letter(t: Token) -> bool:
    return (t.kind == "char" and len(t.value) == 1 and t.value.isalpha()) or (
        t.kind == "cmd" and t.value in GREEK
    )


def _starts_identifier(t: Token) -> bool:
    return _is_letter(t) or (
        t.kind == "cmd" and (t.value in ACCENTS or t.value in ("mathbf", "mathit", "boldsymbol"))
    )


def _is_d(t: Token) -> bool:
    return t.is_("char", "d") or (t.is_("cmd", "mathrm") and t.arg == "d") or t.is_("cmd", "partial")


def _is_prime(toks: list[Token], j: int) -> bool:
    """``^\\prime`` or ``^{\\prime}`` at ``toks[j]``."""
    if j + 1 >= len(toks) or not toks[j].is_("char", "^"):
        return False
    nxt = toks[j + 1]
    return nxt.is_("cmd", "prime") or (
        nxt.is_("char", "{") and j + 2 < len(toks) and toks[j + 2].is_("cmd", "prime")
    )


def _word(t: Token) -> str:
    return (t.arg or "").strip().lower() if t.kind == "cmd" and t.value in ("text", "mathrm") else ""


def _split_words(toks: list[Token], word: str) -> list[list[Token]]:
    parts: list[list[Token]] = [[]]
    for t in toks:
        if _word(t) == word:
            parts.append([])
        else:
            parts[-1].append(t)
    return [p for p in parts if p]


_EXPRESSIONS = (
    sympy.Symbol, sympy.Number, sympy.Add, sympy.Mul, sympy.Pow, sympy.exp, sympy.log, sympy.tanh,
    sympy.cosh, sympy.sinh, sympy.Abs, sympy.sign, sympy.Max, sympy.Min, sympy.Piecewise, sigmoid,
    ElementSum, sympy.core.numbers.Exp1, sympy.core.numbers.Pi,
)  # fmt: skip


def _unsupported(expr: sympy.Basic, in_condition: bool = False) -> sympy.Basic | None:
    """The first part of ``expr`` that is not arithmetic of the functions read here (a comparison
    counts only inside a condition); None when there is none."""
    stack = [(expr, in_condition)]
    while stack:
        e, condition = stack.pop()
        if isinstance(e, sympy.Piecewise):
            stack += [x for value, cond in e.args for x in ((value, False), (cond, True))]
        elif isinstance(e, (Relational, sympy.And, sympy.Or, sympy.Not, BooleanAtom)):
            if not condition:
                return e
            stack += [(a, isinstance(e, (sympy.And, sympy.Or, sympy.Not))) for a in e.args]
        elif not isinstance(e, _EXPRESSIONS) or isinstance(
            e, (sympy.core.numbers.Infinity, sympy.core.numbers.NegativeInfinity, sympy.core.numbers.NaN)
        ):
            return e
        else:
            stack += [(a, False) for a in e.args]
    return None
