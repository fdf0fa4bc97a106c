"""The entry of an elementwise operation, and the table that holds one per op.

An :class:`Elementwise` entry is the only place an elementwise op is written: its forward on
arrays and on floats, each input's local derivative ∂out/∂input (a :class:`Rule` in the rule
language of :mod:`autograd.ops.expr`), the gradient masks, the teaching forms, and its names.
``Value``, ``Tensor`` and ``ValueArray`` methods, the numpy dispatch table and the module-level
functions are generated from the entries: each of those modules registers an *installer* with
:func:`generate`, which is run for every entry (and again by :func:`install` when an entry is
replaced, as tests do to show a check catches a wrong rule).
"""

from __future__ import annotations

import ast
import functools
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from inspect import Parameter, Signature
from typing import Any

import numpy as np

from . import expr as E
from .primitive import ARRAYS, Primitive


class _Masked(float):
    """0.0 whose product with anything is 0.0, even with inf or nan (see :data:`MASKED`)."""

    __slots__ = ()

    def __mul__(self, other: object) -> float:
        return 0.0

    __rmul__ = __mul__

    def __repr__(self) -> str:
        return "0.0"


#: The local derivative of an input that does not affect the output here (relu below 0, a clipped
#: value, the smaller of max's inputs, x in x ** 0): 0, and it sends 0 even times an inf or nan
#: gradient, so backward needs no test for it (PyTorch masks these, where 0 · inf would be nan).
MASKED = _Masked(0.0)

#: names a generated method uses itself; an entry's inputs and params must not take them
_RESERVED = {"self", "other", "node", "ns", "g", "out", "pi", "inf", "where", "MASKED"}
#: Python operators, as (method, reflected method) of the classes
DUNDERS = {
    "+": ("__add__", "__radd__"),
    "-": ("__sub__", "__rsub__"),
    "*": ("__mul__", "__rmul__"),
    "/": ("__truediv__", "__rtruediv__"),
    "**": ("__pow__", "__rpow__"),
    "%": ("__mod__", "__rmod__"),
    "//": ("__floordiv__", "__rfloordiv__"),
    "neg": ("__neg__", None),
    "pos": ("__pos__", None),
    "abs": ("__abs__", None),
}


def _per_input(value: Any, n: int, what: str, name: str) -> tuple[Any, ...]:
    out = (value,) if isinstance(value, str) or value is None else tuple(value)
    if len(out) == 1 and n > 1 and value is None:
        out = out * n
    if len(out) != n:
        raise ValueError(f"elementwise op {name!r}: {what} needs one entry per input ({n}), got {len(out)}")
    return out


class Rule:
    """∂out/∂input for one input of an elementwise op.

    ``d``: the local derivative (an :class:`~autograd.ops.expr.Expr`), written in differentiable
    ops so it can be differentiated again; ``keep``: where it is false the input gets exactly 0,
    even from an inf or nan gradient (relu below 0), or None; ``text`` and ``latex``: the same
    rule as people write it, mask included (``σ(x)(1 − σ(x))``, ``\\sigma(x)(1-\\sigma(x))``).
    ``selected``: the derivative is read from the data (a step, a sign, a tie's share), so under
    ``create_graph`` it is a node with derivative 0 (set by the entry's ``check``). The rule is
    parsed when first used (importing the engine parses nothing).
    """

    __slots__ = ("input", "_d", "_keep", "text", "latex", "selected")

    def __init__(self, input: str, d: str, keep: str | None, text: str, latex: str) -> None:
        self.input, self.text, self.latex = input, text, latex
        self._d: E.Expr | str = d
        self._keep: E.Expr | str | None = keep
        self.selected = False

    @property
    def d(self) -> E.Expr:
        if isinstance(self._d, str):
            self._d = E.Expr(self._d)
        return self._d

    @property
    def keep(self) -> E.Expr | None:
        if isinstance(self._keep, str):
            self._keep = E.Expr(self._keep, condition=True)
        return self._keep

    def __repr__(self) -> str:
        keep = "" if self.keep is None else f", keep={self.keep.source!r}"
        return f"Rule(∂/∂{self.input} = {self.d.source!r}{keep})"


class Elementwise:
    """One elementwise operation (see the package docstring for how to add one).

    Parameters (keyword-only after ``name``):
        name: the numpy spelling; also the method name.
        forward: the numpy function on arrays (a ufunc, or a function of the inputs and params).
        forward_float: the same on Python floats, IEEE as torch (log(0) = -inf, overflow = inf,
            never an exception): a function, or a Python expression over the input and parameter
            names that the generated ``Value`` method inlines (``"x + y"``).
        d, text, latex: per input, the local derivative in the rule language, and its teaching
            forms (one string for a single input).
        inputs: the input names (``("x",)``; ``("x", "y")``; ``("y", "x")`` for arctan2).
        keep: per input, a gradient mask in the rule language, or None.
        params: names of constant parameters (``("min", "max")``), passed after the inputs.
        prepare: ``prepare(op, kind, *params) -> params``: checks and normalizes the parameters
            (``kind`` is "Value", "Tensor" or "ValueArray"); raises a clear error.
        ufuncs: the numpy ufuncs that dispatch to this op (default: ``forward`` if it is one), and
            numpy functions that are no ufunc (``np.sinc``, ``np.nan_to_num``: bound by their
            signature, the op's params passed by name).
        torch: PyTorch's names for it; aliases: other spellings (methods and functions too).
        operator: the Python operator it implements (``"+"``, ``"**"``, ``"%"``, ``"neg"``, ``"abs"``).
        label: the op name a node shows (default: the operator, else ``name``).
        formula: the forward in the rule language with sympy's functions, for the symbolic
            checks (default: sympy's function called ``name``).
        plain: the result is a plain number or array (no node): derivative 0 (sign, floor).
        doc: the one-line summary of the generated methods' docstrings.
        scalar: for a binary op whose second operand may be a constant: the keyword arguments
            (``forward_float``, ``label``) of the one-input variant ``Value`` uses then (``x ** 2``).
        grad_first: the Tensor VJP of a rule ``a * b`` (``a / b``) is ``(g * a) * b`` (``(g * a) / b``),
            as torch computes it, instead of ``g * (a * b)`` (the two overflow differently).
    """

    def __init__(
        self,
        name: str,
        *,
        forward: Callable[..., Any],
        forward_float: Callable[..., float] | str,
        d: str | Sequence[str],
        text: str | Sequence[str],
        latex: str | Sequence[str],
        inputs: Sequence[str] = ("x",),
        keep: str | None | Sequence[str | None] = None,
        params: Sequence[str] = (),
        prepare: Callable[..., tuple[Any, ...]] | None = None,
        ufuncs: Sequence[np.ufunc] | None = None,
        torch: Sequence[str] = (),
        aliases: Sequence[str] = (),
        operator: str | None = None,
        label: str | None = None,
        formula: str | None = None,
        plain: bool = False,
        doc: str = "",
        scalar: dict[str, Any] | None = None,
        grad_first: bool = False,
    ) -> None:
        self._given = dict(
            forward=forward, forward_float=forward_float, d=d, text=text, latex=latex, inputs=inputs,
            keep=keep, params=params, prepare=prepare, ufuncs=ufuncs, torch=torch, aliases=aliases,
            operator=operator, label=label, formula=formula, plain=plain, doc=doc, scalar=scalar,
            grad_first=grad_first,
        )  # fmt: skip
        self.name, self.inputs, self.params = name, tuple(inputs), tuple(params)
        clash = (set(self.inputs) | set(self.params)) & _RESERVED
        if clash:
            raise ValueError(f"elementwise op {name!r}: the names {sorted(clash)} are reserved")
        n = len(self.inputs)
        ds, texts, latexes = (
            _per_input(v, n, what, name) for v, what in ((d, "d"), (text, "text"), (latex, "latex"))
        )
        keeps = _per_input(keep, n, "keep", name)
        self.rules = tuple(Rule(*args) for args in zip(self.inputs, ds, keeps, texts, latexes))
        self.forward, self.forward_float = forward, forward_float
        self.prepare, self.plain, self.formula, self.grad_first = prepare, plain, formula, grad_first
        if ufuncs is None:
            ufuncs = (forward,) if isinstance(forward, np.ufunc) else ()
        self.ufuncs = tuple(ufuncs)
        self.torch, self.operator = tuple(torch), operator
        self.names = tuple(dict.fromkeys((name, *torch, *aliases)))
        self.label = label or (operator if operator in DUNDERS and operator not in ("neg", "abs") else None)
        self.label = self.label or {"neg": "neg", "abs": "abs"}.get(operator or "", name)
        self.doc = doc or f"{name}, elementwise."
        self.key = name  # (how rules and generated code refer to it: FloatCode.helper)
        self._checked, self._compiled = False, {}
        self.scalar = None if scalar is None else self._with_constant(**scalar)

    def replace(self, **changes: Any) -> Elementwise:
        """A new entry: this one with the given constructor arguments changed (``d=...``)."""
        return Elementwise(self.name, **{**self._given, **changes})

    def _with_constant(self, **kwargs: Any) -> Elementwise:
        """The variant whose last input is a constant parameter, with the same rules (no copy)."""
        variant = Elementwise.__new__(Elementwise)
        variant.__dict__.update(self.__dict__)
        variant.inputs, variant.params = self.inputs[:-1], self.params + self.inputs[-1:]
        variant.rules, variant.scalar, variant.ufuncs, variant._compiled = self.rules[:-1], None, (), {}
        variant.forward_float, variant.label = kwargs["forward_float"], kwargs["label"]
        variant.key = f"{self.name}_scalar"
        return variant

    def __repr__(self) -> str:
        return f"Elementwise({self.name!r})"

    @property
    def arity(self) -> int:
        return len(self.inputs)

    def _names(self) -> E.Names:
        return E.Names(self.inputs, self.params, PLAIN)

    def check(self) -> None:
        """Every rule reads only known names and calls only ops of the table (a clear error names
        the rule); sets which derivatives are selected by the data. Run before the entry's code is
        first generated."""
        if self._checked:
            return
        names = self._names()
        for rule in self.rules:
            for ex in (rule.d, rule.keep):
                if ex is not None:
                    names.check(ex, BY_NAME)
            rule.selected = not (rule.d.names(values_only=True, plain=PLAIN) & names.inputs) and (
                rule.keep is not None or rule.d.reads_data(PLAIN)
            )
        self.selected = tuple(r.selected for r in self.rules) + (False,) * (2 - self.arity)
        if self.scalar is not None:
            self.scalar.selected = self.selected[: self.scalar.arity] + (False,)
            self.scalar._checked = True
        self._checked = True

    # -- the forward on floats
    def float_callable(self) -> Callable[..., float]:
        """``forward_float`` as a function of the inputs and params."""
        f = self.forward_float
        if not isinstance(f, str):
            return f
        if "callable" not in self._compiled:
            args = ", ".join((*self.inputs, *self.params))
            self._compiled["callable"] = eval(f"lambda {args}: {f}", {"math": math})  # noqa: S307
        return self._compiled["callable"]

    def float_forward(self, code: FloatCode) -> str:
        """The forward as Python source on the local floats named as the inputs and params."""
        if isinstance(self.forward_float, str):
            return f"({self.forward_float})"
        return f"{code.helper(self.key)}({', '.join((*self.inputs, *self.params))})"

    def float_local(self, i: int, code: FloatCode) -> str:
        """∂out/∂input ``i`` as Python source on floats (MASKED where the mask is off)."""
        self.check()
        rule, names = self.rules[i], self._names()
        d = E.float_tree(_folded(rule.d), names, code.helper)
        if rule.keep is not None:
            keep = E.float_tree(rule.keep.tree, names, code.helper)
            d = ast.IfExp(test=keep, body=d, orelse=ast.Name(id="MASKED", ctx=ast.Load()))
        return ast.unparse(d)

    # -- the rules in a number system (ndarrays, Tensors, Values)
    def vjp_source(self, i: int) -> str:
        """The vector-Jacobian product of input ``i``, ``g · ∂out/∂input`` (masked by ``keep``),
        as an expression in ``ns`` over ``g``, ``out``, the inputs and params (``g / y`` for a
        rule ``1 / y``, as torch computes it)."""
        self.check()
        rule, names = self.rules[i], self._names()
        d, g = _folded(rule.d), ast.Name(id="g", ctx=ast.Load())
        value = _constant(d)
        if value == 1.0:
            vjp: ast.expr = g
        elif value == -1.0:
            vjp = ast.UnaryOp(op=ast.USub(), operand=g)
        elif isinstance(d, ast.BinOp) and isinstance(d.op, ast.Div) and _is_one(d.left):
            vjp = ast.BinOp(left=g, op=ast.Div(), right=E.ns_tree(d.right, False, names, scalar=False))
        elif self.grad_first and isinstance(d, ast.BinOp) and isinstance(d.op, (ast.Mult, ast.Div)):
            first = ast.BinOp(left=g, op=ast.Mult(), right=E.ns_tree(d.left, False, names, scalar=False))
            vjp = ast.BinOp(left=first, op=d.op, right=E.ns_tree(d.right, False, names, scalar=False))
        else:
            vjp = ast.BinOp(left=g, op=ast.Mult(), right=E.ns_tree(d, False, names, scalar=False))
        if rule.keep is not None:
            keep = E.ns_tree(rule.keep.tree, True, names, scalar=False)
            mask = ast.Attribute(value=ast.Name(id="ns", ctx=ast.Load()), attr="mask", ctx=ast.Load())
            if _divides(d):  # g masked too: ∂/∂g (a JVP's double-VJP trick) is then 0, not 0·inf, where
                # the masked derivative is not finite (sinc's 0/0 at 0)
                vjp = _with_g(vjp, ast.Call(func=mask, args=[g, keep], keywords=[]))
            vjp = ast.Call(func=mask, args=[vjp, keep], keywords=[])
        return ast.unparse(vjp)

    def locals_source(self) -> str:
        """The local derivatives as one tuple expression in a scalar ``ns`` (Values: create_graph),
        MASKED where a mask is off."""
        self.check()
        names, parts = self._names(), []
        for rule in self.rules:
            d = E.ns_tree(_folded(rule.d), False, names, scalar=True)
            if rule.keep is not None:
                keep = E.ns_tree(rule.keep.tree, True, names, scalar=True)
                d = ast.IfExp(test=keep, body=d, orelse=ast.Name(id="MASKED", ctx=ast.Load()))
            parts.append(d)
        return ast.unparse(ast.Tuple(elts=parts, ctx=ast.Load()))

    def _signature(self, *first: str) -> str:
        return ", ".join((*first, *self.inputs, *self.params))

    def _compile(self, what: str) -> Any:
        """The compiled ``what`` ("vjps" or "locals"), made on first use (importing the engine
        compiles nothing that is not used)."""
        if what not in self._compiled:
            _compile_rules([self], what)
        return self._compiled[what]

    @property
    def vjps(self) -> tuple[Callable[..., Any], ...]:
        """One VJP per input: ``vjp(ns, g, out, *inputs, *params)``."""
        return self._compile("vjps")

    @property
    def locals(self) -> Callable[..., tuple[Any, ...]]:
        """``locals(ns, out, *inputs, *params)``: the local derivatives of a Value node as nodes
        (or constants, MASKED where masked): what ``create_graph`` multiplies by."""
        return self._compile("locals")

    @property
    def primitive(self) -> Primitive:
        """The Tensor primitive made from this entry (its VJPs are compiled when first called)."""
        if "primitive" not in self._compiled:
            local = tuple(vjp_text(r.text) for r in self.rules)
            prim = Primitive(self.label, self.forward, (), local, self)
            prim.vjps = tuple(self._first_vjp(prim, i) for i in range(self.arity))
            self._compiled["primitive"] = prim
        return self._compiled["primitive"]

    def _first_vjp(self, prim: Primitive, i: int) -> Callable[..., Any]:
        def vjp(*args: Any, **kwargs: Any) -> Any:
            prim.vjps = self.vjps  # (compiled now; the backward reads prim.vjps at every node)
            return prim.vjps[i](*args, **kwargs)

        return vjp

    # -- sympy (tests, teaching forms)
    def sympy(self, *args: Any) -> Any:
        """The forward as a sympy expression of ``args`` (inputs, then params)."""
        import sympy

        if self.formula is None:
            return getattr(sympy, self.name)(*args)
        symbols = dict(zip((*self.inputs, *self.params), args))
        # (a formula calling the op by another name, atan2 for arctan2, means sympy's function)
        call = lambda op, a: getattr(sympy, op)(*a) if op in self.names else sympy_call(op, a)  # noqa: E731
        return E.to_sympy(E.Expr(self.formula), symbols, call)

    def sympy_rule(self, i: int, *args: Any) -> Any:
        """Rule ``i`` (mask included) as a sympy expression of ``args`` (inputs, then params)."""
        import sympy

        rule = self.rules[i]
        symbols = dict(zip((*self.inputs, *self.params), args))
        symbols[E.OUT] = self.sympy(*args)
        d = E.to_sympy(rule.d, symbols, sympy_call)
        if rule.keep is None:
            return d
        return sympy.Piecewise((d, E.to_sympy(rule.keep, symbols, sympy_call)), (0, True))


class Composed:
    """An op that is other ops of the table, as PyTorch composes it: ``square`` is ``x ** 2`` (a
    power node, torch's PowBackward), ``positive`` is ``x`` itself. It has names, numpy ufuncs and a
    docstring of its own and no rule: its nodes are those of the ops it is written with.

    Parameters (keyword-only after ``name``): ``of``, the op in the rule language over the input
    ``x`` (operators and calls of the table's ops); ``torch``, ``aliases``, ``ufuncs``, ``operator``
    and ``doc`` as for :class:`Elementwise`.
    """

    inputs, params, rules, prepare, plain, arity = ("x",), (), (), None, False, 1

    def __init__(
        self,
        name: str,
        *,
        of: str,
        torch: Sequence[str] = (),
        aliases: Sequence[str] = (),
        ufuncs: Sequence[np.ufunc] = (),
        operator: str | None = None,
        doc: str = "",
    ) -> None:
        self.name, self.of, self.ufuncs, self.operator = name, E.Expr(of), tuple(ufuncs), operator
        self.torch, self.names = tuple(torch), tuple(dict.fromkeys((name, *torch, *aliases)))
        self.doc, self.label, self.key, self.formula = doc or f"{name}, elementwise.", name, name, of
        names = E.Names(self.inputs, (), ())
        self.forward = eval(  # noqa: S307  (numpy's forward: the expression in ARRAYS)
            f"lambda x: {ast.unparse(E.ns_tree(self.of.tree, False, names, scalar=False))}", {"ns": ARRAYS}
        )
        self._float: Callable[[float], float] | None = None

    def __repr__(self) -> str:
        return f"Composed({self.name!r}, of={self.of.source!r})"

    def check(self) -> None:
        """The expression calls only ops of the table."""
        E.Names(self.inputs, (), ()).check(self.of, BY_NAME)

    def float_callable(self) -> Callable[[float], float]:
        """The op on a Python float (the float forwards of the ops it is written with)."""
        if self._float is None:
            code = FloatCode()
            tree = E.float_tree(self.of.tree, E.Names(self.inputs, (), PLAIN), code.helper)
            self._float = eval(f"lambda x: {ast.unparse(tree)}", code.scope)  # noqa: S307
        return self._float

    def method(self) -> Callable[[Any], Any]:
        """A new function ``(self) -> the op``, written with the node's own operators and methods
        (``self ** 2.0``; ``self``): the same code serves Value, Tensor and ValueArray."""

        def emit(node: ast.expr) -> ast.expr:
            if isinstance(node, ast.Name):
                return ast.Name(id="self", ctx=ast.Load())
            if isinstance(node, ast.Constant):
                return ast.Constant(value=float(node.value))
            if (
                isinstance(node, ast.BinOp)
                and isinstance(node.op, ast.Pow)
                and isinstance(node.right, ast.Constant)
            ):
                # an integer power as written (torch's square of an int64 tensor stays int64)
                return ast.BinOp(left=emit(node.left), op=node.op, right=node.right)
            if isinstance(node, ast.BinOp):
                return ast.BinOp(left=emit(node.left), op=node.op, right=emit(node.right))
            if isinstance(node, ast.UnaryOp):
                return ast.UnaryOp(op=node.op, operand=emit(node.operand))
            if isinstance(node, ast.Call) and node.func.id != "where":
                receiver, *rest = (emit(a) for a in node.args)
                func = ast.Attribute(value=receiver, attr=node.func.id, ctx=ast.Load())
                return ast.Call(func=func, args=rest, keywords=[])
            raise ValueError(f"composed op {self.name!r}: {ast.unparse(node)!r} has no method form")

        body = ast.unparse(emit(self.of.tree))
        return define([(self.name, f"def _{self.name}_(self): return {body}")], {}, "", __name__)[self.name]

    def sympy(self, x: Any) -> Any:
        """The op as a sympy expression of ``x``."""
        return E.to_sympy(self.of, {"x": x}, sympy_call)


def _compile_rules(entries: Sequence[Elementwise], what: str) -> None:
    """Compile the VJPs (``what="vjps"``) or the node-level local derivatives (``"locals"``) of
    ``entries`` from their rules, in one go."""
    lines = []
    for k, e in enumerate(entries):
        if what == "vjps":
            signature = e._signature("ns", "g", "out")
            lines += [f"def _{k}_{i}({signature}): return {e.vjp_source(i)}" for i in range(e.arity)]
        else:
            lines.append(f"def _{k}_0(ns, {e._signature('out')}): return {e.locals_source()}")
    scope: dict[str, Any] = {"MASKED": MASKED}
    exec(compile("\n".join(lines), f"<autograd.ops rules: {what}>", "exec"), scope)  # noqa: S102
    for k, e in enumerate(entries):
        functions = tuple(scope[f"_{k}_{i}"] for i in range(e.arity if what == "vjps" else 1))
        e._compiled[what] = functions if what == "vjps" else functions[0]


def sympy_call(op: str, args: list[Any]) -> Any:
    """A call in a rule or formula: an op of the table, else sympy's function of that name."""
    import sympy

    entry = BY_NAME.get(op)
    return entry.sympy(*args) if entry is not None else getattr(sympy, op)(*args)


def rule_of(node: Any, i: int) -> tuple[Rule, dict[str, Any]] | None:
    """The rule on the edge from ``node``'s input ``i`` (a Value or Tensor node made by a table op),
    with the numbers it reads: the entry's input and parameter names and ``out``, as the forward
    saw them. None where the node's op is no table entry (a leaf, matmul, a custom node).

    For a drawing: ``rule.text`` is the teaching form; ``notation.factors(rule.text)`` its factors,
    each evaluated at these numbers by ``notation.evaluate``.
    """
    op = node._op
    entry = getattr(op, "entry", None)
    if entry is None:
        return None
    params = getattr(op, "params", None)  # (a Value node's Op; a Tensor node keeps them by name)
    params = tuple(node._params[p] for p in entry.params) if params is None else params
    values: dict[str, Any] = dict(zip(entry.inputs, (c.data for c in node.children)))
    values.update(zip(entry.params, params))
    values["out"] = node.data
    return entry.rules[i], values


def methods_of(entry: Elementwise | Composed) -> list[tuple[str, tuple[str, ...], str]]:
    """(name, other names of the same method, kind) of the methods a class generates for ``entry``;
    kind is "composed" (``entry.method()``), "plain" (a plain result, of one or two operands),
    "unary", "binary" or "reflected" (of a plain op too). An operator's method is also its named
    method (``__add__`` is ``add``, ``__abs__`` is ``abs``)."""
    if isinstance(entry, Composed):
        kind = "composed"
    else:
        kind = "plain" if entry.plain else "unary" if entry.arity == 1 else "binary"
    dunder, reflected = DUNDERS.get(entry.operator or "", (None, None))
    if dunder is None:
        return [(entry.name, entry.names[1:], kind)]
    return [(dunder, entry.names, kind)] + ([(reflected, (), "reflected")] if reflected else [])


def signature(entry: Elementwise, first: str = "self") -> Signature:
    """The signature of a generated method (``first="self"``) or function (``first="input"``)."""
    return _signature(first, entry.arity, entry.params)


@functools.cache
def _signature(first: str, arity: int, params: tuple[str, ...]) -> Signature:
    positional = Parameter.POSITIONAL_OR_KEYWORD
    parameters = [Parameter(first, positional)] + ([Parameter("other", positional)] if arity == 2 else [])
    return Signature(parameters + [Parameter(p, positional, default=None) for p in params])


_NODE_TYPES = "Tensor, ValueArray, Value or array_like"


def docstring(entry: Elementwise | Composed, first: str = "self") -> str:
    """The docstring of a generated method (``first="self"``) or function (``first="input"``): the
    summary, the local derivatives (a composed op's composition), then the parameters and the
    result in numpy style."""
    if isinstance(entry, Composed):
        rules = f"Composed: {entry.of.source}, so its derivatives are those of its ops."
    else:
        rules = "Local derivatives: " + "; ".join(f"∂/∂{r.input} = {r.text}" for r in entry.rules) + "."
    function = first != "self"
    params = []
    if function:
        plain = " (a number or an array gives the plain result)"
        params.append(f"{first} : {_NODE_TYPES}\n    ``{entry.inputs[0]}`` above{plain}.")
    if entry.arity == 2:
        what = f"``{entry.inputs[1]}`` above" if function else "The other operand"
        params.append(f"other : {_NODE_TYPES}\n    {what} (a number is a constant).")
    if entry.params:
        params.append(f"{', '.join(entry.params)} : float, optional\n    As above.")
    if entry.plain:
        result = "float or numpy.ndarray\n    Plain numbers, never a node: the derivative is 0."
    elif function:
        result = "Tensor, ValueArray, Value, float or numpy.ndarray\n    Of the inputs' kind and shape."
    else:
        result = "Tensor, ValueArray or Value\n    Of this node's kind, recording the operation."
    sections = [f"Parameters\n----------\n{chr(10).join(params)}"] if params else []
    sections.append(f"Returns\n-------\n{result}")
    return "\n\n".join([entry.doc, rules, *sections])


def named(
    function: Any, name: str, owner: str, module: str, entry: Elementwise | Composed, first: str = "self"
) -> Any:
    """``function`` as the generated ``owner.name`` of ``entry``: name, docstring, signature."""
    function.__name__, function.__module__ = name, module
    function.__qualname__ = f"{owner}.{name}" if owner else name
    function.__doc__, function.__signature__ = docstring(entry, first), signature(entry, first)
    return function


def define(
    sources: Sequence[tuple[str, str]], scope: dict[str, Any], owner: str, module: str
) -> dict[str, Any]:
    """Compile generated functions in one go. ``sources``: (name, source defining ``_name_``; the
    generated code never names a function as a builtin its inlined rules may call). Returns each
    function by name, named ``owner.name`` in ``module`` (for tracebacks and documentation)."""
    code = compile("\n".join(source for _, source in sources), f"<{module}: generated>", "exec")
    exec(code, scope)  # noqa: S102
    out = {}
    for name, _ in sources:
        function = scope[f"_{name}_"]
        function.__name__, function.__module__ = name, module
        function.__qualname__ = f"{owner}.{name}" if owner else name
        out[name] = function
    return out


def vjp_text(text: str) -> str:
    """A rule's teaching form as the gradient an input receives, written with g (drawings)."""
    if text == "1":
        return "g"
    if text == "−1":
        return "−g"
    if text.startswith("1/"):
        return "g" + text[1:]
    if text.startswith("−") and "+" not in text and " − " not in text:
        return "−" + vjp_text(text[1:])
    depth, top_sum = 0, False
    for i, c in enumerate(text):
        depth += c in "([" and 1 or -(c in ")]")
        top_sum |= depth == 0 and c in "+−-" and i > 0
    return f"g·({text})" if top_sum else f"g·{text}"


def _divides(d: ast.expr) -> bool:
    """Whether a derivative divides (it may be inf or nan where it is masked)."""
    return any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.Div) for n in ast.walk(d))


def _with_g(vjp: ast.expr, g: ast.expr) -> ast.expr:
    """``vjp`` with its name ``g`` replaced by ``g``'s expression."""

    class Replace(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.expr:
            return g if node.id == "g" else node

    return Replace().visit(vjp)


def _is_one(node: ast.expr) -> bool:
    return _constant(node) == 1.0


def _constant(node: ast.expr) -> float | None:
    """The number a (folded) rule is, where it reads no name: ``1``, ``-1``."""
    sign = 1.0
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node, sign = node.operand, -1.0
    return sign * float(node.value) if isinstance(node, ast.Constant) else None


def _folded(ex: E.Expr) -> ast.expr:
    if ex.folded is None:
        ex.folded = E.fold(ex.tree, evaluate_float)
    return ex.folded


class FloatCode:
    """The globals of generated float code: ``helper(op)`` names op's float forward there."""

    def __init__(self) -> None:
        self.scope: dict[str, Any] = {"MASKED": MASKED}

    def helper(self, op: str) -> str:
        name = f"_{op}"
        if name not in self.scope:
            base, scalar = (op[: -len("_scalar")], True) if op.endswith("_scalar") else (op, False)
            entry = BY_NAME[base].scalar if scalar else BY_NAME[base]
            self.scope[name] = entry.float_callable()
        return name


def evaluate_float(node: ast.expr) -> float:
    """The value of a constant rule expression (no names but ``pi`` and ``inf``), in float arithmetic."""
    code = FloatCode()
    tree = E.float_tree(node, E.Names((), (), PLAIN), code.helper)
    expression = ast.Expression(ast.fix_missing_locations(tree))
    return float(eval(compile(expression, "<constant>", "eval"), code.scope))  # noqa: S307


# ---------------------------------------------------------------------------- the table
#: every entry, by name, in the order the families define them
TABLE: dict[str, Elementwise | Composed] = {}
#: every spelling (name, torch names, aliases) of every entry
BY_NAME: dict[str, Elementwise | Composed] = {}
#: the ops whose results are plain numbers (derivative 0): read from the data in rules
PLAIN: set[str] = set()
_installers: list[Callable[[Sequence[Elementwise]], None]] = []


def collect(*modules: Any) -> None:
    """Enter the entries defined in ``modules`` (in order) into the table. (Each is checked before
    its code is first generated; tests/engine/test_teaching_forms.py checks them all.)"""
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, (Elementwise, Composed)):
                _enter(value)


def _enter(entry: Elementwise | Composed) -> None:
    old = TABLE.get(entry.name)
    if old is not None:
        for n in old.names:
            BY_NAME.pop(n, None)
    taken = [n for n in entry.names if n in BY_NAME]
    if taken:
        raise ValueError(f"elementwise op {entry.name!r}: the names {taken} belong to another op")
    TABLE[entry.name] = entry
    BY_NAME.update(dict.fromkeys(entry.names, entry))
    (PLAIN.add if entry.plain else PLAIN.discard)(entry.name)
    vars(ARRAYS)[entry.name] = entry.forward
    if entry.name == "power":
        ARRAYS.pow = entry.forward


def generate(installer: Callable[[Sequence[Elementwise]], None]) -> None:
    """Run ``installer`` on the table's entries now (all at once: it may compile their code in one
    go), and on every entry :func:`install` adds later."""
    _installers.append(installer)
    installer(list(TABLE.values()))


def install(entry: Elementwise) -> None:
    """Add ``entry`` to the table (replacing the op of the same name) and generate everything
    from it: methods, primitives, dispatch, functions."""
    _enter(entry)
    entry.check()
    for installer in _installers:
        installer([entry])


@contextmanager
def replaced(entry: Elementwise) -> Iterator[Elementwise]:
    """Use ``entry`` instead of the op of its name inside the block (a test shows that a check
    catches a wrong rule this way)."""
    old = TABLE[entry.name]
    install(entry)
    try:
        yield entry
    finally:
        install(old)


def entries() -> Iterable[Elementwise]:
    return TABLE.values()
