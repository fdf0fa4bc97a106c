"""Value graphs as straight-line float arithmetic: one line per node, one per chain-rule step.

A node's line is its op's float forward from the table (``entry.float_forward``: ``x * y``,
``_tanh(x)``, the IEEE-safe helpers of ``FloatCode``) with its inputs' variables in place of the
rule's names; a backward line adds ``local · g`` to the input's gradient, ``local`` being the op's
``entry.float_local`` (the same expression the ``Value`` method evaluates in the forward pass, so
the same float). The order of the lines is the engine's: ``Value.backward`` walks the same nodes and
adds up each gradient in the same order.
"""

from __future__ import annotations

import ast
from typing import Any

from ..ops import FloatCode
from .code import BACKWARD, FORWARD, Code, Var, comment_text, number
from .trace import CompileError, Leaf

_A, _B, _OUT, _G = "__in_a__", "__in_b__", "__out__", "__grad__"


class ValueCode:
    """Writes the lines of a Value graph into ``code``; ``env`` maps a node's id to its variable or,
    for a constant, its literal."""

    def __init__(self, code: Code) -> None:
        self.code = code
        self.floats = FloatCode()
        self.env: dict[int, Var | str] = {}
        self.shown: dict[int, str] = {}  # a constant's label, where it has one (for the comments)
        self._templates: dict[tuple[Any, ...], tuple[str, tuple[str, ...]]] = {}  # (forward, locals · g)
        self._comments: dict[tuple[Any, ...], str] = {}

    def leaf(self, leaf: Leaf, param: Var | None, hint: str) -> None:
        node = leaf.node
        if leaf.role == "constant":
            self.env[id(node)] = _literal(node.data)
            if node.label:
                self.shown[id(node)] = node.label
            return
        var = self.code.var(hint)
        self.code.add(var, f"{param.name}.data", [param])
        self.env[id(node)] = var

    def forward(self, node: Any, hint: str) -> None:
        op = node._op
        entry = op.entry
        if entry is None:
            raise CompileError(
                f"compile: the Value node {op.name!r} was made with custom local derivatives "
                "(Value(data, _prev=..., _local=...)); its value and derivatives were computed outside "
                "the table of operations, so a trace cannot replay it. Call the function uncompiled"
            )
        forward, _ = self._template(entry, op.params)
        inputs = self._inputs(node)
        if not any(isinstance(x, Var) for x in inputs):  # constants in: a constant (the trace's number)
            self.env[id(node)] = _literal(node.data)
            return
        var = Var(hint)
        self.code.section = FORWARD
        self.code.add(var, _fill(forward, inputs, ""), [v for v in inputs if isinstance(v, Var)])
        self.env[id(node)] = var

    def backward(self, loss: Any, nodes: list[Any], params: dict[int, Var]) -> None:
        """The lines of ``loss.backward()`` (``nodes``: the computed nodes, inputs first, as the engine
        walks them; ``params``: the variable of each leaf whose ``.grad`` is filled)."""
        code = self.code
        code.section = BACKWARD
        grads: dict[int, Var] = {}
        if id(loss) in params:
            code.add(
                None, f"{params[id(loss)].name}.grad += 1.0", [params[id(loss)]], "the seed", BACKWARD, True
            )
        elif nodes and isinstance(self.env[id(loss)], Var):
            g = code.var(f"g_{self.env[id(loss)]}")
            code.add(g, "1.0", [], "the seed: ∂loss/∂loss = 1", BACKWARD)
            grads[id(loss)] = g
        for node in reversed(nodes):
            g = grads.get(id(node))
            if g is None:  # (a constant: made of constants only)
                continue
            entry, params_ = node._op.entry, node._op.params
            _, locals_ = self._template(entry, params_)
            inputs = self._inputs(node)
            out = self.env[id(node)]
            for i, child in enumerate((node._a,) if node._b is None else (node._a, node._b)):
                local = locals_[i]
                if id(child) in params:
                    target = params[id(child)]
                    kind = "leaf"
                elif not isinstance(self.env[id(child)], Var):
                    continue  # a constant: its gradient is seen by no one
                else:
                    target = grads.get(id(child))
                    kind = "first" if target is None else "add"
                text = _fill(local, inputs, out.name).replace(_G, g.name)
                reads = [v for v, p in zip((*inputs, out, g), (_A, _B, _OUT, _G)[: len(inputs)] + (_OUT, _G))
                         if isinstance(v, Var) and p in local]  # fmt: skip
                comment = self._comment(entry, i, node, child, params_)
                if kind == "leaf":
                    code.add(None, f"{target.name}.grad += {text}", [target, *reads], comment, BACKWARD, True)
                elif kind == "first":
                    var = code.var(f"g_{self.env[id(child)]}")
                    code.add(var, text, reads, comment, BACKWARD)
                    grads[id(child)] = var
                else:
                    code.add(target, f"{target.name} + {text}", [target, *reads], comment, BACKWARD)

    # -- the rules as text
    def _template(self, entry: Any, params: tuple[Any, ...]) -> tuple[str, tuple[str, ...]]:
        """(forward, locals) of ``entry`` with ``params`` filled in and the inputs as placeholders."""
        key = (entry.key, params)
        found = self._templates.get(key)
        if found is None:
            names = {x: ast.Name(id=p, ctx=ast.Load()) for x, p in zip(entry.inputs, (_A, _B))}
            names.update({p: self._parameter(v) for p, v in zip(entry.params, params)})
            names["out"] = ast.Name(id=_OUT, ctx=ast.Load())
            forward = _substitute(entry.float_forward(self.floats), names, self.floats.scope)
            locals_ = tuple(
                _contribution(entry.float_local(i, self.floats), names, self.floats.scope)
                for i in range(entry.arity)
            )
            found = self._templates[key] = (forward, locals_)
            self.code.scope.update(self.floats.scope)
        return found

    def _parameter(self, value: Any) -> ast.expr:
        """An op's parameter in the code: a float as its literal, ``None``/ints/bools as written,
        anything else a global of the code."""
        if isinstance(value, float):
            return number(value)
        if value is None or type(value) in (int, bool, str):
            return ast.Constant(value=value)
        return ast.Name(id=self.code.glob(value, "param").id, ctx=ast.Load())

    def _inputs(self, node: Any) -> list[Var | str]:
        a, b = node._a, node._b
        return [self.env[id(a)]] + ([] if b is None else [self.env[id(b)]])

    def _comment(self, entry: Any, i: int, node: Any, child: Any, params: tuple[Any, ...]) -> str:
        """``∂out/∂input = rule`` with the node's names (the rule's text, placeholders filled in)."""
        key = (entry.key, i, params)
        template = self._comments.get(key)
        if template is None:
            names = dict(zip(entry.inputs, (_A, _B)))
            shown = {p: f"{v:g}" if isinstance(v, float) else repr(v) for p, v in zip(entry.params, params)}
            names.update(shown)
            names["out"] = _OUT
            template = self._comments[key] = f"∂{_OUT}/∂{_G} = {comment_text(entry.rules[i].text, names)}"
        text = template.replace(_OUT, self._shown(node)).replace(_G, self._shown(child))
        text = text.replace(_A, self._shown(node._a))
        return text.replace(_B, self._shown(node._b)) if node._b is not None else text

    def _shown(self, n: Any) -> str:
        return self.shown.get(id(n)) or _shown(self.env[id(n)])


def _substitute(source: str, names: dict[str, ast.expr], scope: dict[str, Any]) -> str:
    """``source`` with ``names`` put in, and what is then made of constants alone computed (a
    parameter's ``2.0 - 1.0``, ``x if 2.0 != 0.0 else MASKED``), as Python would at every call."""
    tree = ast.parse(source, mode="eval").body

    class Swap(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> Any:  # noqa: N802
            return names.get(node.id, node)

    return ast.unparse(_fold(Swap().visit(tree), scope))


def _constant(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) or (
        isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and _constant(node.operand)
    ) or (isinstance(node, ast.Name) and node.id in ("inf", "nan"))  # fmt: skip


def _fold(node: ast.expr, scope: dict[str, Any]) -> ast.expr:
    """Subexpressions of constants only, evaluated (a helper of ``scope`` called on constants too)."""
    for field, value in ast.iter_fields(node):
        if isinstance(value, ast.expr):
            setattr(node, field, _fold(value, scope))
        elif isinstance(value, list):
            setattr(node, field, [_fold(v, scope) if isinstance(v, ast.expr) else v for v in value])
    if isinstance(node, ast.IfExp) and _constant(node.test):
        return node.body if _evaluate(node.test, scope) else node.orelse
    parts = [v for v in ast.iter_child_nodes(node) if isinstance(v, ast.expr)]
    foldable = isinstance(node, (ast.BinOp, ast.Compare, ast.BoolOp)) or (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in scope
    ) or (isinstance(node, ast.UnaryOp) and not _constant(node))  # fmt: skip
    operands = node.args if isinstance(node, ast.Call) else parts
    if foldable and operands and all(_constant(p) for p in operands):
        try:
            value = _evaluate(node, scope)
        except Exception:  # noqa: BLE001 (left to run as written)
            return node
        if type(value) is bool:
            return ast.Constant(value=value)
        if type(value) is float:
            return number(value)
    return node


def _evaluate(node: ast.expr, scope: dict[str, Any]) -> Any:
    expression = ast.Expression(ast.fix_missing_locations(node))
    return eval(
        compile(expression, "<constant>", "eval"), {"inf": float("inf"), "nan": float("nan"), **scope}
    )  # noqa: S307


def _fill(template: str, inputs: list[Var | str], out: str) -> str:
    """The template with its placeholders replaced (a literal that is not an atom is parenthesized)."""
    text = template.replace(_A, _atom(inputs[0]))
    if len(inputs) > 1:
        text = text.replace(_B, _atom(inputs[1]))
    return text.replace(_OUT, out) if out else text


def _atom(x: Var | str) -> str:
    if isinstance(x, Var):
        return x.name
    return f"({x})" if x.startswith("-") else x


def _literal(x: float) -> str:
    return ast.unparse(number(x))


def _shown(x: Var | str) -> str:
    return x.name if isinstance(x, Var) else x


def _contribution(local: str, names: dict[str, ast.expr], scope: dict[str, Any]) -> str:
    """``local · g`` as the engine computes it (``_da * g``), with ``g`` a placeholder; a local of
    exactly 1 gives g (the same float, nan included), a masked one 0.0 (what MASKED · g is)."""
    tree = ast.parse(_substitute(local, names, scope), mode="eval").body
    text = ast.unparse(tree)
    if text == "1.0":
        return _G
    if text == "MASKED":
        return "0.0"
    atomic = isinstance(tree, (ast.Name, ast.Constant, ast.Call, ast.Attribute))
    return f"{text} * {_G}" if atomic else f"({text}) * {_G}"
