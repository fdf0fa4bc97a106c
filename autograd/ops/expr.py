"""The rule language: each local derivative is written once, as a small Python expression.

A rule is an expression over the op's inputs (``x``, ``y``), its result ``out``, its
parameters (``min``, ``max``) and the constants ``pi`` and ``inf``, with

- the operators ``+ - * / **`` and unary ``-``;
- calls of the table's elementwise ops by name (``exp(x)``, ``sigmoid(x)``, ``sign(x)``) and
  ``where(cond, a, b)``;
- conditions: comparisons (chains too, ``min <= x <= max``) joined by ``and``, ``or``, ``not``.

Conditions, and the arguments of ops with plain results (``sign``, ``floor``), are read from
the data: they select and carry no derivative (a mask, a sign, a tie's share). Everything else
is made of differentiable ops, so a rule can be differentiated again.

:class:`Expr` parses a rule once (with :mod:`ast`); the compilers below turn it into

- :func:`float_tree`: Python on floats, for the generated ``Value`` methods;
  division and powers go through the table's float forwards, so 1/0 = inf, never an exception;
- :func:`ns_tree`: Python in a number system ``ns`` (``ns.exp``, ``ns.num``, ``ns.where``),
  run on ndarrays (the first-order Tensor backward), on Tensors or on Values (``create_graph``);
- :func:`to_sympy`: a sympy expression (the teaching-form check, derivative-by-sympy tests).
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Collection, Mapping
from typing import Any

_BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)
_COMPARE = (ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq)
_CONDITION = (ast.Compare, ast.BoolOp)
#: the names every rule may use besides its op's inputs and parameters
OUT, PI, INF = "out", "pi", "inf"
#: the constants among them
CONSTANTS = {PI: math.pi, INF: math.inf}


class Expr:
    """A rule (or a condition) of the rule language, parsed and checked once.

    ``source`` is the text as written; ``tree`` the checked expression. ``condition``: whether
    it is a condition (a mask) rather than a number.
    """

    __slots__ = ("source", "tree", "condition", "folded")

    def __init__(self, source: str, condition: bool = False) -> None:
        try:
            tree = ast.parse(source.strip(), mode="eval").body
        except SyntaxError as e:
            raise ValueError(f"rule {source!r}: not an expression ({e.msg})") from None
        _check(tree, source, condition)
        self.source, self.tree, self.condition = source, tree, condition
        self.folded: ast.expr | None = None  # (the tree with constants folded: see elementwise._folded)

    def __repr__(self) -> str:
        return f"Expr({self.source!r})"

    def names(self, values_only: bool = False, plain: Collection[str] = ()) -> set[str]:
        """The names the rule reads; ``values_only``: only where they are numbers, not data read
        by a condition or by an op of ``plain`` (a rule with no input there is a selection)."""
        found: set[str] = set()
        _walk_names(self.tree, values_only, found, plain)
        return found

    def calls(self) -> set[str]:
        """The ops the rule calls (``where`` excluded)."""
        return {n.func.id for n in ast.walk(self.tree) if isinstance(n, ast.Call) and n.func.id != "where"}

    def reads_data(self, plain: Collection[str]) -> bool:
        """Whether part of the rule is read from the data (a condition, or an op of ``plain``)."""
        return self.condition or any(
            isinstance(n, (ast.Compare, ast.BoolOp)) or (isinstance(n, ast.Call) and n.func.id in plain)
            for n in ast.walk(self.tree)
        )


def _fail(source: str, node: ast.AST, why: str) -> ValueError:
    return ValueError(f"rule {source!r}: {why} (at {ast.unparse(node)!r})")


def _check(node: ast.AST, source: str, condition: bool) -> None:
    """Only the rule language's constructs; numbers where numbers go, conditions where conditions go."""
    if condition:
        if isinstance(node, ast.Compare):
            if not all(isinstance(op, _COMPARE) for op in node.ops):
                raise _fail(source, node, "only <, <=, >, >=, ==, != compare")
            for operand in (node.left, *node.comparators):
                _check_data(operand, source)
        elif isinstance(node, ast.BoolOp):
            for v in node.values:
                _check(v, source, True)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            _check(node.operand, source, True)
        else:
            raise _fail(source, node, "expected a condition (a comparison, and/or/not)")
        return
    if isinstance(node, ast.Constant):
        if type(node.value) not in (int, float):
            raise _fail(source, node, "only numbers are constants")
    elif isinstance(node, ast.Name):
        pass
    elif isinstance(node, ast.BinOp):
        if not isinstance(node.op, _BINOPS):
            raise _fail(source, node, "only + - * / ** combine numbers")
        _check(node.left, source, False)
        _check(node.right, source, False)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            raise _fail(source, node, "a condition where a number is expected: use where(cond, a, b)")
        _check(node.operand, source, False)
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.keywords:
            raise _fail(source, node, "only ops of the table are called, by name, without keywords")
        if node.func.id == "where":
            if len(node.args) != 3:
                raise _fail(source, node, "where takes (condition, a, b)")
            _check(node.args[0], source, True)
            _check(node.args[1], source, False)
            _check(node.args[2], source, False)
        else:
            for a in node.args:
                _check(a, source, False)
    elif isinstance(node, _CONDITION):
        raise _fail(source, node, "a condition where a number is expected: use where(cond, a, b)")
    else:
        raise _fail(source, node, f"{type(node).__name__} is not part of the rule language")


def _check_data(node: ast.AST, source: str) -> None:
    """An operand of a comparison: names, numbers and arithmetic (read from the data)."""
    if isinstance(node, (ast.Name, ast.Constant)):
        _check(node, source, False)
    elif isinstance(node, ast.BinOp):
        _check(node, source, False)
        _check_data(node.left, source)
        _check_data(node.right, source)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        _check_data(node.operand, source)
    else:
        raise _fail(source, node, "a comparison reads names, numbers and + - * / ** of them")


def _walk_names(node: ast.AST, values_only: bool, found: set[str], plain: Collection[str] = ()) -> None:
    if isinstance(node, ast.Name):
        found.add(node.id)
    elif values_only and (
        isinstance(node, _CONDITION)
        or (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not))
        or (isinstance(node, ast.Call) and node.func.id in plain)
    ):
        return
    elif values_only and isinstance(node, ast.Call) and node.func.id == "where":
        _walk_names(node.args[1], values_only, found, plain)
        _walk_names(node.args[2], values_only, found, plain)
    elif isinstance(node, ast.Call):
        for a in node.args:
            _walk_names(a, values_only, found, plain)
    else:
        for child in ast.iter_child_nodes(node):
            _walk_names(child, values_only, found, plain)


# ---------------------------------------------------------------------------- compilers
class Names:
    """What the names of a rule are, for one compiled use: the op's ``inputs`` (numbers that are
    nodes when run on nodes), its ``params`` (plain numbers) and the ops that give ``plain`` results."""

    __slots__ = ("inputs", "params", "plain")

    def __init__(self, inputs: Collection[str], params: Collection[str], plain: Collection[str]) -> None:
        self.inputs, self.params, self.plain = frozenset(inputs) | {OUT}, frozenset(params), frozenset(plain)

    def check(self, expr: Expr, known_calls: Collection[str]) -> None:
        unknown = expr.names() - self.inputs - self.params - CONSTANTS.keys()
        if unknown:
            raise ValueError(f"rule {expr.source!r}: unknown name(s) {sorted(unknown)}")
        missing = expr.calls() - set(known_calls)
        if missing:
            raise ValueError(f"rule {expr.source!r}: calls {sorted(missing)}, which the table does not have")


def _name(id_: str) -> ast.Name:
    return ast.Name(id=id_, ctx=ast.Load())


def _call(func: str, *args: ast.expr) -> ast.Call:
    return ast.Call(func=_name(func), args=list(args), keywords=[])


def _attr(obj: str, attr: str, *args: ast.expr) -> ast.Call:
    func = ast.Attribute(value=_name(obj), attr=attr, ctx=ast.Load())
    return ast.Call(func=func, args=list(args), keywords=[])


def _number(value: float) -> ast.expr:
    value = float(value)
    if value < 0 or (value == 0 and math.copysign(1.0, value) < 0):
        return ast.UnaryOp(op=ast.USub(), operand=ast.Constant(value=-value))
    return ast.Constant(value=value)


def float_tree(tree: ast.expr, names: Names, helper: Callable[[str], str]) -> ast.expr:
    """A rule's ``tree`` as a Python expression on floats (the names are local floats).

    ``helper(op)`` names the float forward of table op ``op`` in the generated code's globals:
    calls, ``/`` (``helper("divide")``, unless by a non-zero number) and ``**``
    (``helper("power")``; ``helper("power_scalar")`` when the exponent reads only parameters:
    a constant exponent, as ``Value ** 0.5``, is a square root).
    """

    def emit(node: ast.expr) -> ast.expr:
        if isinstance(node, ast.Constant):
            return _number(node.value)
        if isinstance(node, ast.Name):
            return _number(CONSTANTS[node.id]) if node.id in CONSTANTS else node
        if isinstance(node, ast.BinOp):
            left, right = emit(node.left), emit(node.right)
            if isinstance(node.op, ast.Div) and not (isinstance(right, ast.Constant) and right.value):
                return _call(helper("divide"), left, right)
            if isinstance(node.op, ast.Pow):
                by_params = not (_free(node.right) & names.inputs)
                return _call(helper("power_scalar" if by_params else "power"), left, right)
            return ast.BinOp(left=left, op=node.op, right=right)
        if isinstance(node, ast.UnaryOp):
            return ast.UnaryOp(op=node.op, operand=emit(node.operand))
        if isinstance(node, ast.Call):
            args = [emit(a) for a in node.args]
            if node.func.id == "where":
                return ast.IfExp(test=args[0], body=args[1], orelse=args[2])
            return _call(helper(node.func.id), *args)
        if isinstance(node, ast.Compare):
            right = [emit(c) for c in node.comparators]
            return ast.Compare(left=emit(node.left), ops=node.ops, comparators=right)
        if isinstance(node, ast.BoolOp):
            return ast.BoolOp(op=node.op, values=[emit(v) for v in node.values])
        raise AssertionError(node)  # (checked by Expr)

    return emit(tree)


def ns_tree(tree: ast.expr, condition_: bool, names: Names, scalar: bool, like: str = OUT) -> ast.expr:
    """A rule's ``tree`` as an expression in a number system ``ns``, where the input names are nodes or
    arrays (``condition_``: the tree is a condition).

    Numbers are computed with operators and ``ns.<op>``; what is read from the data (conditions,
    the arguments of plain ops) goes through ``ns.num``. ``scalar``: conditions are Python bools
    (``and``, ``if``), else boolean arrays (``&``, ``ns.where(cond, a, b, like)``, in ``like``'s
    dtype).
    """

    def data(node: ast.expr) -> ast.expr:
        if isinstance(node, ast.Name) and node.id in names.inputs:
            return _attr("ns", "num", node)
        if isinstance(node, ast.BinOp) and scalar and isinstance(node.op, (ast.Div, ast.Pow)):
            return _attr("ns", "num", value(node))  # (the nodes' / and **: IEEE, where floats' raise)
        if isinstance(node, ast.BinOp):
            return ast.BinOp(left=data(node.left), op=node.op, right=data(node.right))
        if isinstance(node, ast.UnaryOp):
            return ast.UnaryOp(op=node.op, operand=data(node.operand))
        return value(node)

    def condition(node: ast.expr) -> ast.expr:
        if isinstance(node, ast.Compare):
            operands = [data(o) for o in (node.left, *node.comparators)]
            if scalar:
                return ast.Compare(left=operands[0], ops=node.ops, comparators=operands[1:])
            pairs = [
                ast.Compare(left=a, ops=[op], comparators=[b])
                for a, op, b in zip(operands, node.ops, operands[1:])
            ]
            return _join(pairs, ast.BitAnd())
        if isinstance(node, ast.BoolOp):
            parts = [condition(v) for v in node.values]
            if scalar:
                return ast.BoolOp(op=node.op, values=parts)
            return _join(parts, ast.BitAnd() if isinstance(node.op, ast.And) else ast.BitOr())
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return ast.UnaryOp(op=ast.Not() if scalar else ast.Invert(), operand=condition(node.operand))
        raise AssertionError(node)

    def value(node: ast.expr) -> ast.expr:
        if isinstance(node, ast.Constant):
            return _number(node.value)
        if isinstance(node, ast.Name):
            return _number(CONSTANTS[node.id]) if node.id in CONSTANTS else node
        if isinstance(node, ast.BinOp):
            left, right = value(node.left), value(node.right)
            if isinstance(node.op, ast.Pow):
                return _attr("ns", "pow", left, right)
            return ast.BinOp(left=left, op=node.op, right=right)
        if isinstance(node, ast.UnaryOp):
            return ast.UnaryOp(op=node.op, operand=value(node.operand))
        if isinstance(node, ast.Call):
            f = node.func.id
            if f == "where":
                test, a, b = condition(node.args[0]), value(node.args[1]), value(node.args[2])
                if scalar:
                    return ast.IfExp(test=test, body=a, orelse=b)
                return _attr("ns", "where", test, a, b, _name(like))
            args = [data(a) if f in names.plain else value(a) for a in node.args]
            return _attr("ns", f, *args)
        raise AssertionError(node)

    return condition(tree) if condition_ else value(tree)


def _join(parts: list[ast.expr], op: ast.operator) -> ast.expr:
    out = parts[0]
    for p in parts[1:]:
        out = ast.BinOp(left=out, op=op, right=p)
    return out


def _free(node: ast.AST) -> set[str]:
    """The names ``node`` reads (not the names of the ops it calls)."""
    called = {id(n.func) for n in ast.walk(node) if isinstance(n, ast.Call)}
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and id(n) not in called}


def fold(tree: ast.expr, evaluate: Callable[[ast.expr], float]) -> ast.expr:
    """``tree`` with its constant subexpressions (``2 / sqrt(pi)``, ``-1``) replaced by the number
    ``evaluate`` gives for each (in float arithmetic); ``tree`` itself is left as it is."""

    def go(node: ast.expr) -> tuple[ast.expr, bool]:
        """(the node folded, whether it is a number that reads no name but the constants)."""
        if isinstance(node, ast.Constant):
            return node, True
        if isinstance(node, ast.Name):
            return node, node.id in CONSTANTS
        if isinstance(node, ast.BinOp):
            (left, a), (right, b) = go(node.left), go(node.right)
            new: ast.expr = ast.BinOp(left=left, op=node.op, right=right)
            constant = a and b
        elif isinstance(node, ast.UnaryOp):
            operand, constant = go(node.operand)
            new = ast.UnaryOp(op=node.op, operand=operand)
            constant = constant and isinstance(node.op, ast.USub)  # (not: a condition; +: kept)
        elif isinstance(node, ast.Call):
            parts = [go(a) for a in node.args]
            new = ast.Call(func=node.func, args=[p for p, _ in parts], keywords=[])
            constant = node.func.id != "where" and all(c for _, c in parts)
        elif isinstance(node, ast.Compare):
            parts = [go(o)[0] for o in (node.left, *node.comparators)]
            return ast.Compare(left=parts[0], ops=node.ops, comparators=parts[1:]), False
        else:  # (a BoolOp)
            return ast.BoolOp(op=node.op, values=[go(v)[0] for v in node.values]), False
        if constant:
            return _number(evaluate(new)), True
        return new, False

    return go(tree)[0]


def to_sympy(
    expr: Expr, symbols: Mapping[str, Any], function: Callable[[str, list[Any]], Any]
) -> Any:
    """``expr`` as a sympy expression: names from ``symbols`` (``out`` included), op calls from
    ``function(op, args)``, ``where`` as ``Piecewise``, conditions as relations."""
    import sympy

    ops = {
        ast.Add: lambda a, b: a + b,
        ast.Sub: lambda a, b: a - b,
        ast.Mult: lambda a, b: a * b,
        ast.Div: lambda a, b: a / b,
        ast.Pow: lambda a, b: a**b,
    }
    compare = {
        ast.Lt: sympy.Lt, ast.LtE: sympy.Le, ast.Gt: sympy.Gt, ast.GtE: sympy.Ge,
        ast.Eq: sympy.Eq, ast.NotEq: sympy.Ne,
    }  # fmt: skip

    def go(node: ast.AST) -> Any:
        if isinstance(node, ast.Constant):
            return sympy.Integer(node.value) if type(node.value) is int else sympy.nsimplify(node.value)
        if isinstance(node, ast.Name):
            constants = {PI: sympy.pi, INF: sympy.oo}
            return constants[node.id] if node.id in constants else symbols[node.id]
        if isinstance(node, ast.BinOp):
            return ops[type(node.op)](go(node.left), go(node.right))
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                return sympy.Not(go(node.operand))
            return -go(node.operand) if isinstance(node.op, ast.USub) else go(node.operand)
        if isinstance(node, ast.Compare):
            operands = [go(o) for o in (node.left, *node.comparators)]
            return sympy.And(*(compare[type(op)](a, b) for a, op, b in zip(operands, node.ops, operands[1:])))
        if isinstance(node, ast.BoolOp):
            return (sympy.And if isinstance(node.op, ast.And) else sympy.Or)(*(go(v) for v in node.values))
        if isinstance(node, ast.Call):
            args = [go(a) for a in node.args]
            if node.func.id == "where":
                return sympy.Piecewise((args[1], args[0]), (args[2], True))
            return function(node.func.id, args)
        raise AssertionError(node)

    return go(expr.tree)
