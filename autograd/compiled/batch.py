"""The lines of generated code rewritten for a batch: arrays with one more axis in front.

The second part of a compiled Hessian-vector product is linear in ``v``; for the full Hessian it
runs on every unit vector. Rewritten here, it runs on a stack of directions at once: each line that
reads a batched array (shape ``(B,) + shape``) applies its operation to all of them. Elementwise
operations broadcast once the batched operand has a length-1 axis for each one it lacks; reductions,
reshapes, transposes and indexing shift their axes by one; ``a @ b`` batches as numpy's stacked
matmul. A line this module does not know is called once per direction (``each``), so every line
works; the rewritten code is shown by ``SecondOrder.batch_source``.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..ops import ARRAYS, SCATTER_ADD
from .code import Code, Line, name
from .symbolic import Sym, _Method, literal


def lift(x: np.ndarray, axes: int) -> np.ndarray:
    """A batched array with ``axes`` length-1 axes after its batch axis (it then broadcasts like the
    unbatched operands of higher rank)."""
    return x.reshape(x.shape[:1] + (1,) * axes + x.shape[1:])


def matvec(a: Any, b: np.ndarray) -> np.ndarray:
    """``a @ b`` for a batch of vectors ``b`` (shape ``(B, k)``)."""
    return np.matmul(a, b[..., None])[..., 0]


def each(fn: Callable[..., Any], flags: tuple[bool, ...], *args: Any, **kwargs: Any) -> np.ndarray:
    """``fn`` applied direction by direction: the arguments flagged batched are indexed."""
    count = next(len(a) for a, f in zip(args, flags) if f)
    rows = [fn(*(a[i] if f else a for a, f in zip(args, flags)), **kwargs) for i in range(count)]
    return np.stack([np.asarray(r) for r in rows])


_BINARY = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.Pow: operator.pow, ast.MatMult: operator.matmul, ast.BitAnd: operator.and_, ast.BitOr: operator.or_,
}  # fmt: skip
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Invert: operator.invert}
_COMPARE = {
    ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
    ast.Eq: operator.eq, ast.NotEq: operator.ne,
}  # fmt: skip
#: functions of the number system that are elementwise in their first arguments
_ELEMENTWISE = {ARRAYS.mask: 2, ARRAYS.where: 3, np.where: 3}
_REDUCTIONS = {np.max, np.min, np.sum, np.amax, np.amin}


class Batcher:
    """Rewrites lines of ``code`` whose variables in ``batched`` (ids) hold a batch."""

    def __init__(self, code: Code, batched: set[int]) -> None:
        self.code, self.batched = code, batched

    def line(self, line: Line) -> Line:
        expr = line.expr
        try:
            new = self._rewrite(expr, line.target.value.ndim)
        except _Unknown:
            new = self._each(expr)
        return Line(line.target, ast.fix_missing_locations(new), line.reads, line.comment, line.section)

    # -- what an operand is
    def _is_batched(self, node: ast.expr) -> bool:
        return isinstance(node, ast.Name) and id(getattr(node, "var", None)) in self.batched

    def _ndim(self, node: ast.expr) -> int:
        """The unbatched rank of a variable (or a constant's rank)."""
        v = getattr(node, "var", None)
        if isinstance(v, Sym):
            return np.ndim(v.value)
        if isinstance(node, ast.Name) and node.id in self.code.scope:
            return np.ndim(self.code.scope[node.id])
        return 0

    def _lifted(self, node: ast.expr, ndim: int) -> ast.expr:
        missing = ndim - self._ndim(node)
        if not self._is_batched(node) or missing <= 0:
            return node
        return _call(self.code.glob(lift, "lift"), node, ast.Constant(missing))

    def _value(self, node: ast.expr) -> Any:
        """A constant operand's value (a literal or a global)."""
        expression = ast.Expression(ast.fix_missing_locations(node))
        try:
            return eval(compile(expression, "<constant>", "eval"), dict(self.code.scope))  # noqa: S307
        except Exception:  # noqa: BLE001 (not a constant: a variable of the code)
            raise _Unknown from None

    # -- the rules
    def _rewrite(self, expr: ast.expr, ndim: int) -> ast.expr:
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.MatMult):
            return self._matmul(expr)
        if isinstance(expr, ast.BinOp):
            return ast.BinOp(
                left=self._lifted(expr.left, ndim), op=expr.op, right=self._lifted(expr.right, ndim)
            )
        if isinstance(expr, ast.UnaryOp):
            return expr
        if isinstance(expr, ast.Compare) and len(expr.ops) == 1:
            left, right = self._lifted(expr.left, ndim), self._lifted(expr.comparators[0], ndim)
            return ast.Compare(left=left, ops=expr.ops, comparators=[right])
        if isinstance(expr, ast.Subscript) and self._is_batched(expr.value):
            index = expr.slice.elts if isinstance(expr.slice, ast.Tuple) else [expr.slice]
            full = ast.Tuple(elts=[ast.Slice(), *index], ctx=ast.Load())
            return ast.Subscript(value=expr.value, slice=full, ctx=ast.Load())
        if isinstance(expr, ast.Attribute) and self._is_batched(expr.value):
            if expr.attr == "mT" and self._ndim(expr.value) >= 2:
                return expr
            if expr.attr == "T":
                return self._transpose(expr.value, None)
            raise _Unknown
        if isinstance(expr, ast.Call):
            return self._call(expr, ndim)
        raise _Unknown

    def _matmul(self, expr: ast.BinOp) -> ast.expr:
        a, b = self._is_batched(expr.left), self._is_batched(expr.right)
        if a and not b:
            return expr
        if b and not a and self._ndim(expr.right) >= 2:
            return expr
        if b and not a:
            return _call(self.code.glob(matvec, "matvec"), expr.left, expr.right)
        raise _Unknown

    def _call(self, expr: ast.Call, ndim: int) -> ast.expr:
        method = isinstance(expr.func, ast.Attribute) and self._is_batched(expr.func.value)
        if method:
            x, attr = expr.func.value, expr.func.attr
            if attr == "reshape" and len(expr.args) == 1 and not expr.keywords:
                return self._reshape(x, expr.args[0])
            if attr == "transpose" and len(expr.args) <= 1 and not expr.keywords:
                return self._transpose(x, expr.args[0] if expr.args else None)
            if attr in ("astype", "copy"):
                return expr
            if attr in ("sum", "max", "min") and len(expr.args) <= 1:
                return self._reduction(expr, x, expr.args[:1])
            raise _Unknown
        fn = self._value(expr.func)
        args = expr.args
        if fn is np.asarray and len(args) == 1 and not expr.keywords:
            return args[0]
        if fn is np.zeros_like and len(args) == 1 and not expr.keywords and self._is_batched(args[0]):
            return expr  # (zeros of the batch's shape)
        if isinstance(fn, np.ufunc) and not expr.keywords:
            return ast.Call(func=expr.func, args=[self._lifted(a, ndim) for a in args], keywords=[])
        if fn in _ELEMENTWISE and not expr.keywords:
            k = _ELEMENTWISE[fn]
            return ast.Call(
                func=expr.func, args=[self._lifted(a, ndim) for a in args[:k]] + args[k:], keywords=[]
            )
        reduce_ = getattr(fn, "__name__", "") == "reduce" and isinstance(
            getattr(fn, "__self__", None), np.ufunc
        )
        if (reduce_ or fn in _REDUCTIONS) and 1 <= len(args) <= 2 and self._is_batched(args[0]):
            return self._reduction(expr, args[0], args[1:2])
        if fn is np.reshape and len(args) == 2 and self._is_batched(args[0]):
            return self._reshape(args[0], args[1])
        if fn is np.transpose and self._is_batched(args[0]) and len(args) <= 2:
            return self._transpose(args[0], args[1] if len(args) == 2 else None)
        if fn is ARRAYS.broadcast_to and len(args) == 2 and self._is_batched(args[0]):
            shape = tuple(self._value(args[1]))
            batch = _shape_of(args[0], literal(self.code, shape))
            return ast.Call(func=expr.func, args=[self._lifted(args[0], len(shape)), batch], keywords=[])
        if fn is SCATTER_ADD.forward and len(args) == 3 and self._is_batched(args[0]):
            index = self._value(args[1])
            index = (slice(None), *(index if type(index) is tuple else (index,)))
            shape = literal(self.code, tuple(self._value(args[2])))
            return ast.Call(
                func=expr.func,
                args=[args[0], literal(self.code, index), _shape_of(args[0], shape)],
                keywords=[],
            )
        raise _Unknown

    def _reduction(self, expr: ast.Call, x: ast.expr, axis_args: Sequence[ast.expr]) -> ast.expr:
        nd = self._ndim(x)
        keywords = {k.arg: k.value for k in expr.keywords}
        axis_node = keywords.get("axis", axis_args[0] if axis_args else ast.Constant(None))
        axis = self._value(axis_node)
        axes = tuple(range(nd)) if axis is None else axis if isinstance(axis, tuple) else (axis,)
        shifted = tuple(int(a) % max(nd, 1) + 1 for a in axes)
        keywords["axis"] = literal(self.code, shifted)
        func = expr.func
        args = [x] if not isinstance(func, ast.Attribute) or not self._is_batched(func.value) else []
        return ast.Call(
            func=func, args=args, keywords=[ast.keyword(arg=k, value=v) for k, v in keywords.items()]
        )

    def _reshape(self, x: ast.expr, shape: ast.expr) -> ast.expr:
        target = self._value(shape)
        target = tuple(target) if isinstance(target, (tuple, list)) else (target,)
        reshape = ast.Attribute(value=x, attr="reshape", ctx=ast.Load())
        return ast.Call(func=reshape, args=[_shape_of(x, literal(self.code, target))], keywords=[])

    def _transpose(self, x: ast.expr, axes: ast.expr | None) -> ast.expr:
        nd = self._ndim(x)
        value = None if axes is None else self._value(axes)
        perm = tuple(range(nd))[::-1] if value is None else tuple(int(a) for a in value)
        transposed = ast.Attribute(value=x, attr="transpose", ctx=ast.Load())
        return ast.Call(func=transposed, args=[literal(self.code, (0, *(a + 1 for a in perm)))], keywords=[])

    # -- anything else: direction by direction
    def _each(self, expr: ast.expr) -> ast.expr:
        if isinstance(expr, ast.Call):
            if isinstance(expr.func, ast.Attribute) and self._is_batched(expr.func.value):
                method = _Method(expr.func.attr)
                fn_ast, args = (
                    self.code.glob(method, f"method_{expr.func.attr}"),
                    [expr.func.value, *expr.args],
                )
            else:
                fn_ast, args = expr.func, list(expr.args)
            keywords = expr.keywords
        elif isinstance(expr, ast.BinOp):
            fn_ast, args, keywords = self.code.glob(_BINARY[type(expr.op)], "op"), [expr.left, expr.right], []
        elif isinstance(expr, ast.UnaryOp):
            fn_ast, args, keywords = self.code.glob(_UNARY[type(expr.op)], "op"), [expr.operand], []
        elif isinstance(expr, ast.Compare):
            fn_ast, args, keywords = (
                self.code.glob(_COMPARE[type(expr.ops[0])], "op"),
                [expr.left, expr.comparators[0]],
                [],
            )
        elif isinstance(expr, ast.Subscript):
            fn_ast, args, keywords = (
                self.code.glob(operator.getitem, "getitem"),
                [expr.value, _index_value(expr.slice)],
                [],
            )
        elif isinstance(expr, ast.Attribute):
            fn_ast, args, keywords = self.code.glob(operator.attrgetter(expr.attr), "get"), [expr.value], []
        else:  # pragma: no cover - every line of the generated code is one of these
            raise TypeError(f"compile: cannot batch {ast.unparse(expr)}")
        flags = tuple(self._is_batched(a) for a in args)
        call_args = [fn_ast, literal(self.code, flags), *args]
        return ast.Call(func=self.code.glob(each, "each"), args=call_args, keywords=keywords)


class _Unknown(Exception):
    """A line the rules do not cover: it runs direction by direction."""


def _call(func: ast.expr, *args: ast.expr) -> ast.Call:
    return ast.Call(func=func, args=list(args), keywords=[])


def _shape_of(x: ast.expr, rest: ast.expr) -> ast.expr:
    """``x.shape[:1] + rest``: the batch's length, then ``rest``."""
    shape = ast.Attribute(value=x, attr="shape", ctx=ast.Load())
    first = ast.Subscript(value=shape, slice=ast.Slice(upper=ast.Constant(1)), ctx=ast.Load())
    return ast.BinOp(left=first, op=ast.Add(), right=rest)


def _index_value(node: ast.expr) -> ast.expr:
    """An index as an expression (``x[1:2, c]`` → ``(slice(1, 2, None), c)``)."""
    if isinstance(node, ast.Slice):
        parts = [p if p is not None else ast.Constant(None) for p in (node.lower, node.upper, node.step)]
        return _call(name("slice"), *parts)
    if isinstance(node, ast.Tuple):
        return ast.Tuple(elts=[_index_value(e) for e in node.elts], ctx=ast.Load())
    return node
