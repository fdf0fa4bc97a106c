"""A read formula bound to a checked function's inputs, evaluated with numpy.

Each variable of the formula stands for one thing (:class:`Binding`): an input of the function, the
number of elements ``n``, a constant, a function of the inputs, or a definition (another formula,
such as ``a_1 = \\sigma(z_1)``). :func:`compile_formula` finds them, in this order: the ``symbols``
mapping the caller gives, a parameter of the same name (``w_{13}`` is ``w13`` or ``w_13``,
``\\hat{y}`` is ``y_hat``), then the defaults (``\\hat{y}`` is ``y_pred``, ``y`` is ``y_true``, ``n``
and ``N`` the number of elements, ``e`` Euler's number, ``\\pi`` π). A variable found nowhere is an
error, never a guess.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy
from sympy.printing.str import StrPrinter

from .latex import (
    INDEX_LETTERS,
    ElementSum,
    FormulaError,
    Identifier,
    Parsed,
    _Reader,
    _unsupported,
    parse_latex,
    sigmoid,
    tokenize,
)

#: A variable's default meaning when the checked function has a parameter of that name.
DEFAULT_INPUTS = {r"\hat{y}": "y_pred", "y": "y_true"}
COUNTS = ("n", "N")


@dataclass(frozen=True)
class Binding:
    """What one variable stands for: ``kind`` is "input" (``value`` its index), "count" (the number
    of elements of the input differentiated by), "constant" (an array), "function" (of the inputs),
    "definition" (a sympy expression) or "number" (e or π); ``text`` says so for the report, unless
    it goes without saying (``shown`` False)."""

    kind: str
    value: Any
    text: str
    shown: bool = True  # False for an input of the same name (w_{13} = w13 goes without saying)


class Formula:
    """A hand formula bound to the inputs of a checked function (made by :func:`compile_formula`).

    Call it with the inputs as float arrays, in the function's order: it returns the formula's
    value (numpy broadcasting, so an elementwise formula gives an array). ``text`` and ``latex``
    print it back, and ``describe()`` adds what each variable stands for.

    Parameters
    ----------
    expr : sympy.Expr
        The right-hand side.
    identifiers : mapping
        Each sympy symbol of ``expr`` and the :class:`Identifier` it was read from.
    bindings : mapping
        Each variable (by its LaTeX name) and the :class:`Binding` saying what it stands for.
    names : sequence of str
        The checked function's input names, in order.
    wrt : tuple of int
        The inputs it differentiates by (one, or two for a second derivative).
    order : int or None
        The derivative's order its left side states (None when it has none).

    Raises
    ------
    TypeError
        When called with another number of inputs than ``names``.
    FormulaError
        When called, if an element index runs over different axes in two variables.
    """

    def __init__(
        self,
        expr: sympy.Expr,
        identifiers: Mapping[sympy.Symbol, Identifier],
        bindings: Mapping[str, Binding],
        names: Sequence[str],
        wrt: tuple[int, ...],
        order: int | None,
    ) -> None:
        self.expr = expr
        self.identifiers = dict(identifiers)
        self.bindings = dict(bindings)
        self.names = list(names)
        self.wrt = wrt
        self.order = order

    def __call__(self, *arrays: np.ndarray) -> np.ndarray:
        if len(arrays) != len(self.names):
            raise TypeError(
                f"formula: expected {len(self.names)} inputs ({', '.join(self.names)}), got {len(arrays)}"
            )
        arrays = tuple(np.asarray(a, dtype=np.float64) for a in arrays)
        values: dict[str, np.ndarray] = {}
        axes = self._axes(arrays, values)
        with np.errstate(all="ignore"):
            return np.asarray(
                _evaluate(self.expr, lambda s: self._value(s, arrays, values), axes), dtype=np.float64
            )

    def _value(
        self, s: sympy.Symbol, arrays: tuple[np.ndarray, ...], values: dict[str, np.ndarray]
    ) -> np.ndarray:
        key = self.identifiers[s].key
        if key not in values:
            b = self.bindings[key]
            if b.kind == "input":
                values[key] = arrays[b.value]
            elif b.kind == "count":
                values[key] = np.asarray(float(arrays[self.wrt[0]].size))
            elif b.kind in ("function", "definition"):
                values[key] = np.asarray(b.value(*arrays), dtype=np.float64)
            else:
                values[key] = np.asarray(b.value, dtype=np.float64)
        return values[key]

    def _axes(self, arrays: tuple[np.ndarray, ...], values: dict[str, np.ndarray]) -> dict[str, tuple]:
        """Each element index's axes and the shape they index: ``y_i`` of a vector is axis 0, of a
        matrix every axis; ``y_{i,c}`` of a matrix is axis 0 for i and 1 for c; a number indexed
        (``\\hat{y}_i`` for one prediction shared by all) is the same for every i."""
        found: dict[str, tuple[tuple[int, ...], tuple[int, ...], str]] = {}
        for s, ident in self.identifiers.items():
            if not ident.indices or s not in self.expr.free_symbols:
                continue
            shape = self._value(s, arrays, values).shape
            if not shape:
                continue
            if len(ident.indices) == 1:
                pairs = [(ident.indices[0], tuple(range(len(shape))))]
            elif len(ident.indices) == len(shape):
                pairs = [(index, (k,)) for k, index in enumerate(ident.indices)]
            else:
                raise FormulaError(
                    f"formula: {ident.text} has {len(ident.indices)} indices but {ident.key} has shape "
                    f"{shape}"
                )
            for index, axes in pairs:
                if index in found and found[index][:2] != (axes, shape):
                    raise FormulaError(
                        f"formula: the index {index} runs over axes {axes} of shape {shape} in {ident.text} "
                        f"but over axes {found[index][0]} of shape {found[index][1]} in {found[index][2]}"
                    )
                found[index] = (axes, shape, ident.text)
        return {index: (axes, shape) for index, (axes, shape, _) in found.items()}

    @property
    def text(self) -> str:
        """The formula as text (``2*(ŷ_i - y_i)/n``)."""
        return _TextPrinter({s: i.text for s, i in self.identifiers.items()}).doprint(self._printable())

    @property
    def latex(self) -> str:
        """The formula as LaTeX, as sympy prints it."""
        return sympy.latex(self._printable())

    def _printable(self) -> sympy.Expr:
        numbers = {"e": sympy.E, r"\pi": sympy.pi}
        return self.expr.xreplace(
            {
                s: numbers[i.key]
                for s, i in self.identifiers.items()
                if self.bindings.get(i.key, Binding("", None, "")).kind == "number"
            }
        )

    def describe(self) -> str:
        """The formula as text and LaTeX, and what each variable stands for."""
        kinds = ("input", "count", "constant", "function", "definition")
        used = {self.identifiers[s].key for s in self.expr.free_symbols if s in self.identifiers}
        for b in self.bindings.values():  # and what its definitions use
            if b.kind == "definition":
                used |= {
                    b.value.identifiers[s].key for s in b.value.expr.free_symbols if s in b.value.identifiers
                }
        shown = sorted(
            (self.bindings[k] for k in used if self.bindings[k].kind in kinds and self.bindings[k].shown),
            key=lambda b: (kinds.index(b.kind), b.value if b.kind == "input" else 0, b.text),
        )
        meaning = "; ".join(
            f"{b.text} of {self.names[self.wrt[0]]}" if b.kind == "count" else b.text for b in shown
        )
        return f"formula: {self.text}\nLaTeX:   {self.latex}" + (f"\nwhere:   {meaning}" if meaning else "")

    def without_sums(self) -> Formula | None:
        """The same formula with each ``Σ_i f_i`` replaced by ``f_i`` (None when it has no sum)."""
        if not self.expr.has(ElementSum):
            return None
        expr = self.expr.replace(lambda e: isinstance(e, ElementSum), lambda e: e.args[0])
        return Formula(expr, self.identifiers, self.bindings, self.names, self.wrt, self.order)

    def __repr__(self) -> str:
        return f"Formula({self.text})"


class _TextPrinter(StrPrinter):
    def __init__(self, names: Mapping[sympy.Symbol, str]) -> None:
        super().__init__()
        self.names = names

    def _print_Symbol(self, expr: sympy.Symbol) -> str:  # the variable as text: ŷ_i
        return self.names.get(expr, expr.name)

    def _print_Exp1(self, expr: Any) -> str:
        return "e"

    def _print_Abs(self, expr: Any) -> str:
        return f"|{self._print(expr.args[0])}|"

    def _print_Piecewise(self, expr: Any) -> str:
        parts = [
            self._print(value) if cond is sympy.true else f"{self._print(value)} if {self._print(cond)}"
            for value, cond in expr.args
        ]
        return "(" + " else ".join(parts) + ")"

    def _print_Relational(self, expr: Any) -> str:
        op = {"==": "=", "!=": "≠", "<=": "≤", ">=": "≥"}.get(expr.rel_op, expr.rel_op)
        return f"{self._print(expr.lhs)} {op} {self._print(expr.rhs)}"


def compile_formula(
    source: str | sympy.Basic,
    names: Sequence[str],
    symbols: Mapping[str, Any] | None = None,
    wrt: tuple[int, ...] | None = None,
) -> Formula:
    r"""Read ``source`` (LaTeX, or a sympy expression) and bind its variables to a function's inputs.

    Parameters
    ----------
    source : str or sympy.Expr
        The formula: LaTeX such as ``\frac{\partial L}{\partial \hat{y}_i} = \frac{2}{n}(\hat{y}_i
        - y_i)``, or a sympy expression (its symbols named as parameters, or in sympy's
        convention: ``yhat_i`` is ``\hat{y}_i``).
    names : sequence of str
        The checked function's input names, in order.
    symbols : mapping, optional
        What variables stand for, by LaTeX name (``"\hat{y}"``, ``"w_{13}"``, ``"\delta"``) or
        parameter-style name (``"y_hat"``): an input (its name), a number or array, a function of
        the inputs (called with all of them as arrays), or a definition (a LaTeX string or a sympy
        expression in the same variables).
    wrt : tuple of int, optional
        The inputs differentiated by, when the caller says so (one index, or two for a second
        derivative); else the left side says it, else the last input.

    Returns
    -------
    Formula
        Callable on the inputs as arrays; prints itself back as text and LaTeX.

    Raises
    ------
    FormulaError
        If the formula cannot be read, a variable is bound to nothing (the message lists the
        inputs and how to bind it), definitions refer to each other in a circle, or the left side
        differentiates by something other than ``wrt`` or than an input.
    TypeError
        If a ``symbols`` value is of an unusable kind.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd.formulas import compile_formula
    >>> f = compile_formula(r"\frac{2}{n}(\hat{y}_i - y_i)", ["y_true", "y_pred"])
    >>> f.text
    '2*(-y_i + ŷ_i)/n'
    >>> f(np.array([1.0, 2.0]), np.array([1.5, 1.0]))
    array([ 0.5, -1. ])
    """
    names = list(names)
    parsed = _parsed(source)
    binder = _Binder(names, dict(symbols or {}))
    order = len(parsed.wrt) or None
    stated = tuple(binder.input_of(ident) for ident in parsed.wrt)
    if wrt is not None and stated and _one_if_same(tuple(wrt)) != _one_if_same(stated):
        raise FormulaError(
            f"formula: its left side differentiates by {', '.join(names[k] for k in stated)}, but wrt "
            f"names {', '.join(names[k] for k in wrt)}"
        )
    final = stated or (tuple(wrt) if wrt is not None else (len(names) - 1,))
    bindings = binder.bind_all(parsed.expr, parsed.identifiers)
    for b in bindings.values():
        if b.kind == "definition":
            b.value.wrt = final  # its n counts the same input
    return Formula(parsed.expr, parsed.identifiers, bindings, names, final, order)


def _one_if_same(wrt: tuple[int, ...]) -> tuple[int, ...]:
    """``(k, k)`` (a Hessian) as ``(k,)``."""
    return wrt[:1] if len(set(wrt)) == 1 else wrt


def _parsed(source: str | sympy.Basic) -> Parsed:
    if isinstance(source, str):
        return parse_latex(source)
    if isinstance(source, sympy.Basic):
        expr = source.replace(lambda e: isinstance(e, sympy.Sum), lambda e: _element_sum(e))
        bad = _unsupported(expr)
        if bad is not None:
            raise FormulaError(f"formula: {sympy.sstr(bad)} in {sympy.sstr(source)} is not supported here")
        indices = {str(e.args[1]) for e in sympy.preorder_traversal(expr) if isinstance(e, ElementSum)}
        identifiers = {s: _identifier(s) for s in expr.free_symbols if s.name not in indices}
        return Parsed(sympy.sstr(source), expr, identifiers)
    raise TypeError(f"formula: expected LaTeX (a str) or a sympy expression, got {type(source).__name__}")


def _element_sum(e: sympy.Sum) -> ElementSum:
    if len(e.limits) != 1:
        raise FormulaError(f"formula: a sum over several indices at once: {sympy.sstr(e)}")
    return ElementSum(e.function, e.limits[0][0])


def _identifier(s: sympy.Symbol) -> Identifier:
    """The variable a sympy symbol names, in sympy's convention: ``yhat_i`` is ``\\hat{y}_i``,
    ``w_13`` is ``w_{13}``, ``y_pred`` is ``y`` with the name part ``pred``."""
    from sympy.printing.conventions import split_super_sub

    base, supers, subs = split_super_sub(s.name)
    if supers:
        raise FormulaError(f"formula: the symbol {s.name} has a superscript")
    accent = next((a for a in ("hat", "bar", "tilde") if base.endswith(a) and len(base) > len(a)), None)
    base = base[: -len(accent)] if accent else base
    parts = [p for sub in subs for p in sub.split(",")]
    if parts and all(len(p) == 1 and p in INDEX_LETTERS for p in parts):
        return Identifier(base, accent, None, tuple(parts))
    return Identifier(base, accent, "_".join(subs) or None)


class _Binder:
    """Finds what each variable stands for (see the module docstring)."""

    def __init__(self, names: list[str], symbols: dict[str, Any]) -> None:
        self.names = names
        self.symbols = symbols
        self.keys = {key: _symbol_key(key) for key in symbols}
        for key, latex in self.keys.items():
            if latex is None and not key.isidentifier():  # a typo would leave the variable to a default
                raise FormulaError(
                    f"formula: symbols key {key!r} is no variable name (LaTeX such as '\\hat{{y}}' or "
                    "'w_{13}', or a parameter-style name such as 'y_hat')"
                )
        self.bindings: dict[str, Binding] = {}
        self.defining: list[str] = []

    def user_value(self, ident: Identifier) -> tuple[str, Any] | None:
        for key, value in self.symbols.items():
            if self.keys[key] == ident.key or key in ident.python_names:
                return key, value
        return None

    def input_of(self, ident: Identifier) -> int:
        """The input a left side's ``∂x`` refers to."""
        b = self.bind(ident)
        if b.kind != "input":
            raise FormulaError(
                f"formula: its left side differentiates by {ident.key}, which stands for {b.text}, not for "
                f"one of the inputs ({', '.join(self.names)})"
            )
        return b.value

    def bind_all(
        self, expr: sympy.Basic, identifiers: Mapping[sympy.Symbol, Identifier]
    ) -> dict[str, Binding]:
        for s in sorted(expr.free_symbols, key=str):
            if s in identifiers:
                self.bind(identifiers[s])
        return self.bindings

    def bind(self, ident: Identifier) -> Binding:
        key = ident.key
        if key in self.bindings:
            return self.bindings[key]
        found = self.user_value(ident)
        if found is not None:
            binding = self.from_value(ident, *found)
        elif name := next((n for n in ident.python_names if n in self.names), None):
            binding = Binding("input", self.names.index(name), f"{ident.plain().text} = {name}", shown=False)
        elif DEFAULT_INPUTS.get(key) in self.names:
            binding = Binding(
                "input",
                self.names.index(DEFAULT_INPUTS[key]),
                f"{ident.plain().text} = {DEFAULT_INPUTS[key]}",
            )
        elif key in COUNTS:
            binding = Binding("count", None, f"{key} = the number of elements")
        elif key in ("e", r"\pi"):
            binding = Binding(
                "number", np.e if key == "e" else np.pi, f"{key} = {'Euler' if key == 'e' else 'π'}"
            )
        else:
            raise FormulaError(
                f"formula: {key} stands for nothing: f's inputs are ({', '.join(self.names)}); bind it with "
                f"symbols={{{key!r}: ...}} (an input's name, a number, an array, a function of the "
                "inputs, or a LaTeX definition)"
            )
        self.bindings[key] = binding
        return binding

    def from_value(self, ident: Identifier, key: str, value: Any) -> Binding:
        text = ident.plain().text
        if isinstance(value, bool):
            raise TypeError(
                f"formula: symbols[{key!r}] is a bool; expected an input, a number or a definition"
            )
        if isinstance(value, str) and value in self.names:
            return Binding("input", self.names.index(value), f"{text} = {value}")
        if isinstance(value, (str, sympy.Basic)):
            return self.definition(ident, key, value)
        if callable(value):
            return Binding("function", value, f"{text} = {getattr(value, '__name__', 'a function')}(inputs)")
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(
                f"formula: symbols[{key!r}] must be an input's name, a number or array, a function "
                f"of the inputs, or a definition (LaTeX or sympy); got {type(value).__name__}"
            ) from None
        shown = f"{float(array):g}" if array.ndim == 0 else f"an array of shape {array.shape}"
        return Binding("constant", array, f"{text} = {shown}")

    def definition(self, ident: Identifier, key: str, value: str | sympy.Basic) -> Binding:
        if ident.key in self.defining:
            circle = " -> ".join([*self.defining[self.defining.index(ident.key) :], ident.key])
            raise FormulaError(f"formula: the definitions refer to each other in a circle: {circle}")
        self.defining.append(ident.key)
        try:
            parsed = _parsed(value)
            self.bind_all(parsed.expr, parsed.identifiers)
        finally:
            self.defining.pop()
        inner = Formula(parsed.expr, parsed.identifiers, self.bindings, self.names, (0,), None)
        return Binding("definition", inner, f"{ident.plain().text} = {inner.text}")


def _symbol_key(key: str) -> str | None:
    """A ``symbols`` key as a variable's LaTeX key (``"\\hat y"`` is ``\\hat{y}``), or None when it
    is no LaTeX variable (then it can only match a parameter-style name)."""
    if not isinstance(key, str):
        raise TypeError(f"formula: symbols keys are variable names (str), got {type(key).__name__}")
    try:
        toks = tokenize(key)
        ident, end = _Reader(key).read_identifier(toks, 0) if toks else (None, 0)
    except FormulaError:
        return None
    return ident.plain().key if ident is not None and end == len(toks) else None


def _evaluate(
    expr: sympy.Basic, value: Callable[[sympy.Symbol], np.ndarray], axes: Mapping[str, tuple]
) -> Any:
    """``expr`` in numpy, each symbol's array from ``value``; ``Σ_i`` sums over index i's axes."""
    ev = functools.partial(_evaluate, value=value, axes=axes)
    if isinstance(expr, sympy.Symbol):
        return value(expr)
    if isinstance(expr, (sympy.Number, sympy.NumberSymbol)):
        return float(expr)
    if isinstance(expr, sympy.Add):
        return functools.reduce(np.add, map(ev, expr.args))
    if isinstance(expr, sympy.Mul):
        return functools.reduce(np.multiply, map(ev, expr.args))
    if isinstance(expr, sympy.Pow):
        base, power = ev(expr.args[0]), ev(expr.args[1])
        return np.power(np.asarray(base, dtype=np.float64), power)
    if isinstance(expr, ElementSum):
        summand, index = expr.args
        if str(index) not in axes:
            raise FormulaError(
                f"formula: the sum over {index} has nothing with the subscript {index} in it "
                f"(write y_{index}, not y, inside Σ_{index})"
            )
        over, shape = axes[str(index)]
        x = np.asarray(ev(summand), dtype=np.float64)
        x = np.broadcast_to(x, np.broadcast_shapes(x.shape, shape))
        return x.sum(axis=tuple(a + x.ndim - len(shape) for a in over), keepdims=True)
    if isinstance(expr, sympy.Piecewise):
        conds = [np.asarray(ev(c), dtype=bool) for _, c in expr.args]
        values = [np.asarray(ev(v), dtype=np.float64) for v, _ in expr.args]
        both = np.broadcast_arrays(*conds, *values)
        return np.select(both[: len(conds)], both[len(conds) :], default=np.nan)
    if isinstance(expr, sympy.logic.boolalg.BooleanTrue):
        return True
    if isinstance(expr, sympy.logic.boolalg.BooleanFalse):
        return False
    if isinstance(expr, sympy.core.relational.Relational):
        a, b = ev(expr.lhs), ev(expr.rhs)
        return _COMPARE[expr.rel_op](a, b)
    if isinstance(expr, sympy.And):
        return functools.reduce(np.logical_and, map(ev, expr.args))
    if isinstance(expr, sympy.Or):
        return functools.reduce(np.logical_or, map(ev, expr.args))
    if isinstance(expr, sympy.Not):
        return np.logical_not(ev(expr.args[0]))
    if isinstance(expr, (sympy.Max, sympy.Min)):
        return functools.reduce(np.maximum if isinstance(expr, sympy.Max) else np.minimum, map(ev, expr.args))
    if isinstance(expr, sigmoid):
        x = np.asarray(ev(expr.args[0]), dtype=np.float64)
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    if type(expr) in _UNARY:
        return _UNARY[type(expr)](ev(expr.args[0]))
    raise FormulaError(f"formula: {sympy.sstr(expr)} cannot be evaluated here")


_COMPARE = {
    "<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal, "==": np.equal,
    "!=": np.not_equal,
}  # fmt: skip
_UNARY = {
    sympy.exp: np.exp, sympy.log: np.log, sympy.tanh: np.tanh, sympy.cosh: np.cosh, sympy.sinh: np.sinh,
    sympy.Abs: np.abs, sympy.sign: np.sign,
}  # fmt: skip
