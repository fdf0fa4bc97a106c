"""Tensor graphs as numpy statements: each node's forward, then each chain-rule step of the backward.

Every rule comes from the engine's one table of operations: a node's forward is its primitive's
``forward`` and an input's gradient its primitive's VJP, both run on :class:`~.symbolic.Sym`\\ s, so
what they do is written down as numpy lines (the rule's code inlined; an elementwise rule reads as
its ``vjp_source``), or, where a function follows the numbers, as one line calling it. The backward
repeats the engine's driver (``_tensor._backward``): the same node order, the same VJP calls, the
same sums back to each input's shape and dtype, the same order of accumulation, so the numbers are
the engine's bit for bit. What the static shapes decide is decided once (no ``unbroadcast`` where
shapes already agree, no gradient for an input that reaches no parameter).
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..ops import unbroadcast
from ..ops.elementwise import vjp_text
from .code import BACKWARD, FORWARD, Code, Line, Var, call_np, comment_text, name
from .symbolic import RecordingNamespace, Sym, call, literal
from .trace import CompileError, Leaf

#: the attribute holding a Tensor's gradient array (the one place the generated code names it)
GRAD = "_grad"  # the stored array behind Tensor.grad (what the engine's _accumulate writes)


class TensorCode:
    """Writes the lines of a Tensor graph into ``code``; ``env`` maps a node's id to its value (a
    Sym, or a constant array)."""

    def __init__(self, code: Code) -> None:
        self.code = code
        self.env: dict[int, Any] = {}
        self.names: dict[int, str] = {}  # id(node) -> its variable's name
        self.ns = RecordingNamespace(code)
        self.collected: dict[int, Any] = {}  # leaf id -> its gradient (backward's ``collect``)
        self.held: set[int] = set()  # ids of the Syms someone else holds: outputs, stored gradients
        self.stores: list[tuple[Any, Any, Line]] = []  # (leaf node, its gradient, the line storing it)

    # -- leaves
    def leaf(self, leaf: Leaf, param: Var | None, hint: str) -> None:
        """A leaf: a constant (its array) or the ``.data`` of the parameter ``param``."""
        node = leaf.node
        if leaf.role == "constant":
            self.env[id(node)] = node.data
            self.names[id(node)] = f"{float(node.data):g}" if node.data.ndim == 0 else hint
            return
        sym = Sym(self.code, self.code.unique(hint), node.data, temp=False)
        self.code.add(sym, ast.Attribute(value=name(param.name), attr="data", ctx=ast.Load()), [param])
        self.env[id(node)] = sym
        self.names[id(node)] = sym.name

    def bind(self, value: Any, sym: Sym) -> None:
        """An array argument standing where the trace saw ``value`` (a node's parameter)."""
        self.env[id(value)] = sym

    # -- forward
    def forward(self, node: Any, hint: str) -> None:
        """The node's value: its primitive's forward on its inputs (``hint``: a fresh name for it)."""
        code = self.code
        code.section = FORWARD
        prim = node._op
        inputs = [self.env[id(c)] for c in node._prev]
        params = self.parameters(node)
        value = call(code, prim.forward, tuple(inputs), params, "t", f"{_ident(prim.name)}_forward")
        if not isinstance(value, Sym):  # (constants in, constant out)
            value = np.asarray(value)
        elif _scalar(value):  # (as the engine: a 0-d result is an array, not a numpy scalar, whose
            value = call(code, np.asarray, (value,), {}, "t")  # arithmetic picks nan's sign otherwise)
        self._name(value, hint)
        got = value.value if isinstance(value, Sym) else value
        if not (got.dtype == node.data.dtype and got.shape == node.data.shape
                and got.tobytes() == node.data.tobytes()):  # fmt: skip
            raise CompileError(
                f"compile: replaying '{prim.name}' gave other numbers than the trace (a function whose "
                "result changes from call to call cannot be compiled)"
            )
        self.env[id(node)] = value
        self.names[id(node)] = value.name if isinstance(value, Sym) else hint

    def parameters(self, node: Any) -> dict[str, Any]:
        params = dict(node._params)
        for key, v in params.items():
            if isinstance(v, np.ndarray) and id(v) in self.env:
                params[key] = self.env[id(v)]
            elif type(v) is tuple and any(isinstance(i, np.ndarray) and id(i) in self.env for i in v):
                params[key] = tuple(self.env.get(id(i), i) if isinstance(i, np.ndarray) else i for i in v)
        return params

    def _name(self, value: Any, name_: str) -> None:
        """Give a value made by the last line the name ``name_`` (unique; a value made earlier, an
        input passed on, keeps its own), or by the line before a last one that only views it (the
        ``(gᵀ @ a)ᵀ`` of a rule, whose view a transpose undid)."""
        lines = self.code.lines
        if (
            isinstance(value, Sym)
            and value.temp
            and lines
            and (lines[-1].target is value or _views(lines[-1], value))
        ):
            value.name, value.temp = name_, False

    # -- backward
    def backward(self, loss: Any, nodes: list[Any], wanted: set[int], params: dict[int, Var],
                 seed: Any = None, collect: set[int] = frozenset(),
                 outputs: Sequence[Any] = ()) -> None:  # fmt: skip
        """The lines of ``loss.backward(seed)``: ``nodes`` as the engine's backward walks them (inputs
        first); ``wanted``: ids of the nodes whose gradient is needed; ``params``: the variable
        holding each leaf whose ``.grad`` is filled, except those in ``collect``, whose gradients
        are kept in ``self.collected`` (as ``autograd.grad`` returns them); ``outputs``: the function's
        results (a gradient that is one of them is stored as a copy)."""
        code = self.code
        code.section = BACKWARD
        self.held = {id(self.env.get(id(o))) for o in outputs if o is not None}
        seed = np.ones(loss.data.shape, loss.data.dtype) if seed is None else seed
        grads: dict[int, Any] = {}
        gnames: dict[int, str] = {}
        stored: set[int] = set()
        if id(loss) in params:  # the loss is itself a parameter
            self._store(loss, params[id(loss)], seed, None, stored, "seed")
        else:
            grads[id(loss)] = seed
        for node in reversed(nodes):
            g = grads.get(id(node))
            if g is None:
                continue
            prim = node._op
            out = self.env[id(node)]
            args = [self.env[id(c)] for c in node._prev]
            kw = self.parameters(node)
            for i, x in enumerate(node._prev):
                if id(x) not in wanted:
                    continue
                fname = f"{_ident(prim.name)}_vjp{i if len(node._prev) > 1 else ''}"
                mark = len(code.lines)
                gx = call(code, prim.vjps[i], (self.ns, g, out, *args), kw, "t", fname)
                if gx is None:  # (no gradient flows there: a selection's link)
                    continue
                if _scalar(gx):  # (as the engine)
                    gx = call(code, np.asarray, (gx,), {}, "t")
                fitted = self._fit(gx, x)
                comment = self._comment(node, i) + (", summed to its shape" if fitted is not gx else "")
                gx = fitted
                if id(x) in params and id(x) not in collect:
                    self._store(x, params[id(x)], gx, g, stored, comment)
                    continue
                gname = gnames.get(id(x)) or gnames.setdefault(id(x), code.unique(f"g_{self.names[id(x)]}"))
                old = grads.get(id(x))
                if old is None:
                    self._name(gx, gname)
                    grads[id(x)] = gx
                else:
                    total = old + gx
                    if type(total.value if isinstance(total, Sym) else total) is not np.ndarray:
                        total = call(code, np.asarray, (total,), {}, "t")
                    self._name(total, gname)
                    grads[id(x)] = total
                line = _made_by(code, mark, grads[id(x)])
                if line is not None:
                    written_transposed = line is not code.lines[-1]
                    line.comment = comment + (
                        ", written transposed (its layout)" if written_transposed else ""
                    )
        self.collected = {k: grads.get(k) for k in collect}

    def _fit(self, gx: Any, x: Any) -> Any:
        """The engine's ``_fit``: summed back to x's shape, in x's dtype."""
        code = self.code
        example = gx.value if isinstance(gx, Sym) else np.asarray(gx)
        if example.shape != x.data.shape:
            gx = call(code, unbroadcast, (gx, x.data.shape), {}, "t")
        example = gx.value if isinstance(gx, Sym) else gx
        if example.dtype != x.data.dtype:
            gx = call(code, _astype, (gx, x.data.dtype), {}, "t")
        return gx

    def _store(self, leaf: Any, param: Var, gx: Any, source: Any, stored: set[int], comment: str) -> None:
        """``leaf.grad`` accumulates ``gx`` as the engine's ``_accumulate`` does: the first gradient of
        this pass is stored (a copy where it may share memory), a later one added."""
        code = self.code
        self._name(gx, code.unique(f"g_{param.name.rstrip('_')}"))
        line = _made_by(code, 0, gx)
        if line is not None:
            line.comment, comment = comment, ""
        target = ast.Attribute(value=name(param.name), attr=GRAD, ctx=ast.Load())
        g_ast = literal(code, gx)
        reads = [param] + ([gx] if isinstance(gx, Sym) else [])
        total: ast.expr = ast.BinOp(left=target, op=ast.Add(), right=g_ast)
        if leaf.data.ndim == 0:  # (numpy gives a scalar for a 0-d sum)
            total = call_np("asarray", total)
        if id(leaf) in stored:
            value = total
        else:
            stored.add(id(leaf))
            first = g_ast
            if not self._fresh(gx, source):
                copy = ast.Attribute(value=g_ast, attr="copy", ctx=ast.Load())
                first = ast.Call(func=copy, args=[], keywords=[])
            elif isinstance(gx, Sym):
                self.held.add(id(gx))  # (a second leaf given the same array gets a copy)
            none = ast.Compare(left=target, ops=[ast.Is()], comparators=[ast.Constant(None)])
            value = ast.IfExp(test=none, body=first, orelse=total)
        assign = ast.Assign(
            targets=[ast.Attribute(value=name(param.name), attr=GRAD, ctx=ast.Store())], value=value
        )
        ast.fix_missing_locations(assign)
        self.stores.append((leaf, gx, code.add(None, assign, reads, comment, BACKWARD, keep=True)))

    def _fresh(self, gx: Any, source: Any) -> bool:
        """Whether ``gx`` is an array no one else holds: computed by a line of its own (not a leaf's
        ``.data``), not a view, not the node's own gradient, not a constant of the code, not an output
        and not stored in another leaf's ``.grad`` (else the leaf gets a copy: a ``.grad`` may be
        changed in place, ``zero_()``, clipping, and must not change another array)."""
        if not isinstance(gx, Sym) or gx is source or id(gx) in self.held or not self.code.lines:
            return False
        made = next((ln for ln in reversed(self.code.lines) if ln.target is gx), None)
        if made is None or not isinstance(made.expr, ast.expr):
            return False
        if isinstance(made.expr, (ast.Attribute, ast.Name)):  # (a leaf's .data, another name)
            return False
        if isinstance(made.expr, ast.Call) and isinstance(made.expr.func, ast.Name):
            return False  # (a function of the engine called as it is: it may return one of its inputs)
        return (
            isinstance(gx.value, np.generic) or gx.value.base is None
        )  # (a numpy scalar, as the engine stores)

    def _comment(self, node: Any, i: int) -> str:
        """The rule this line applies, in its teaching form with the node's names."""
        prim = node._op
        out = self.names.get(id(node), "out")
        inputs = [self.names.get(id(c), "?") for c in node._prev]
        entry = prim.entry
        if entry is not None:
            names = dict(zip(entry.inputs, inputs))
            names.update({p: _short(node._params.get(p)) for p in entry.params})
            names["out"] = out
            rule = comment_text(entry.rules[i].text, names)
            return f"∂{out}/∂{inputs[i]} = {rule}"
        local = prim.local[min(i, len(prim.local) - 1)] if prim.local else vjp_text("1")
        op = f" {prim.name} ".join(inputs) if prim.name == "@" else f"{prim.name}({', '.join(inputs)})"
        return f"{out} = {op}: {inputs[i]} gets {local}"


def _scalar(x: Any) -> bool:
    """Whether ``x`` may be a numpy scalar where the engine makes it an array: it is one, or it is 0-d
    and made by a function whose result's type depends on the numbers (``x if keep else zeros``)."""
    example = x.value if isinstance(x, Sym) else x
    return type(example) is not np.ndarray or (isinstance(x, Sym) and x.opaque and example.ndim == 0)


def _astype(g: Any, dtype: Any) -> Any:
    return g.astype(dtype)


def _ident(text: str) -> str:
    from .code import identifier

    return identifier({"@": "matmul", "+": "add", "-": "subtract", "*": "multiply", "/": "divide",
                       "**": "power"}.get(text, text))  # fmt: skip


def _short(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:g}"
    if isinstance(x, np.ndarray):  # (an array parameter on one comment line, not numpy's rows)
        return f"array of shape {x.shape}" if x.size > 6 else " ".join(np.array2string(x).split())
    return " ".join(str(x).split())


def _made_by(code: Code, mark: int, v: Any) -> Line | None:
    """The line after ``mark`` that a VJP's comment goes on: the last, if it makes ``v``; where that
    is a view of an uncommented product made after ``mark`` (a rule's ``(gᵀ @ a)ᵀ``, which the next
    transpose undoes, so the view is dropped), the product's line."""
    lines = code.lines
    if len(lines) <= mark or lines[-1].target is not v:
        return None
    last = lines[-1]
    made = next((ln for ln in reversed(lines[mark:-1]) if _views(last, ln.target)), None)
    return made if made is not None and not made.comment else last


def _views(line: Line, v: Any) -> bool:
    """Whether ``line`` is only a matrix transpose of ``v`` (``v.mT``, ``v.T``)."""
    expr = line.expr
    return (
        v is not None
        and isinstance(expr, ast.Attribute)
        and expr.attr in ("mT", "T")
        and len(line.reads) == 1
        and line.reads[0] is v
    )
