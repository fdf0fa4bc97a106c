"""Generated code being written: its variables, constants, lines, and the Python source made of them.

A :class:`Code` collects the lines of one generated function. A line assigns one expression (an
``ast`` tree whose names are variables, globals or literals) to a variable, or is a statement
(storing a gradient). Rendering writes the source: a variable used once by a later line is written
into that line (``g_z = g_h * (1.0 - h * h)`` rather than three lines), lines whose value nothing
uses are dropped, and each line keeps its comment.

Variables are :class:`Var`\\ s: named after node labels where they exist (made into unique Python
identifiers), else ``t12``/``v12``, gradients ``g_<name>``.
"""

from __future__ import annotations

import ast
import copy
import functools
import keyword
import math
import re
import struct
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from ..ops.primitive import mask, mask_product, reselect

FORWARD, BACKWARD = "forward", "backward"


class Var:
    """A variable of the generated code. ``temp``: an intermediate with no name of its own (it may
    be written into the line that uses it)."""

    __slots__ = ("name", "temp")

    def __init__(self, name: str, temp: bool = False) -> None:
        self.name, self.temp = name, temp

    def __repr__(self) -> str:
        return self.name


class Line:
    """``target = expr`` (or the statement ``expr`` when target is None), with the variables it
    reads, a comment and the section it belongs to. ``keep``: never dropped (a gradient stored)."""

    __slots__ = ("target", "expr", "reads", "comment", "section", "keep")

    def __init__(
        self,
        target: Var | None,
        expr: ast.expr | ast.stmt | str,
        reads: Sequence[Var],
        comment: str = "",
        section: str = FORWARD,
        keep: bool = False,
    ) -> None:
        self.target, self.expr, self.reads = target, expr, tuple(reads)
        self.comment, self.section, self.keep = comment, section, keep


_IDENTIFIER = re.compile(r"[^0-9A-Za-z_]+")


_PLAIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*")


def identifier(text: str) -> str:
    """``text`` as a Python identifier: letters (Unicode ones too, as Python reads them), digits
    and ``_``; anything else becomes ``_`` (``w11·x1`` → ``w11_x1``)."""
    if _PLAIN_NAME.fullmatch(text) and not keyword.iskeyword(text):  # (the common case: t12, g_W1)
        return text
    text = unicodedata.normalize("NFKC", text)
    out = "".join(c if (c + "a").isidentifier() or c.isdigit() else "_" for c in text)
    out = re.sub("_+", "_", out).strip("_") or "v"
    if not out.isidentifier() or out[0].isdigit():
        out = "v_" + out
    return out + "_" if keyword.iskeyword(out) else out


class Code:
    """The lines, variables and globals of one generated function."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self.lines: list[Line] = []
        self.scope: dict[str, Any] = {"np": np, "inf": math.inf, "nan": math.nan, "_nan_bits": nan_bits}
        self.taken: set[str] = set(self.scope) | set(reserved) | set(dir(__builtins__))
        self._globals: dict[int, str] = {}
        self._counts: dict[str, int] = {}
        self.section = FORWARD  # (the section new lines go to)
        # id(var) -> (what it transposes, the axes, the var itself: held, so the id stays its own)
        self.transposes: dict[int, tuple[Any, tuple[int, ...], Any]] = {}
        self.computed: dict[
            Any, tuple[Any, ...]
        ] = {}  # an operation -> (its variable, its line's index, operands)
        #: ids of constant index arrays -> (the arrays, held; their flat positions: ``symbolic._gather``)
        self.gathers: dict[tuple[int, ...], tuple[tuple[Any, ...], np.ndarray]] = {}

    # -- names
    def unique(self, hint: str, suffix: str = "") -> str:
        """A fresh identifier made from ``hint`` and ``suffix`` (``x``, ``x_2``, ``x_3``...)."""
        base = identifier(hint) + suffix
        name, n = base, self._counts.get(base, 1)
        while name in self.taken:
            n += 1
            name = f"{base}_{n}"
        self._counts[base] = n
        self.taken.add(name)
        return name

    def var(self, hint: str, temp: bool = False, suffix: str = "") -> Var:
        return Var(self.unique(hint, suffix), temp)

    def glob(self, obj: Any, hint: str) -> ast.expr:
        """A global of the generated code holding ``obj`` (one name per object)."""
        name = self._globals.get(id(obj))
        if name is None or self.scope.get(name) is not obj:
            name = self.unique(hint)
            self.scope[name] = obj
            self._globals[id(obj)] = name
        return ast.Name(id=name, ctx=ast.Load())

    # -- lines
    def add(
        self,
        target: Var | None,
        expr: ast.expr | ast.stmt,
        reads: Sequence[Var],
        comment: str = "",
        section: str | None = None,
        keep: bool = False,
    ) -> Line:
        line = Line(target, expr, reads, comment, self.section if section is None else section, keep)
        self.lines.append(line)
        return line

    # -- rendering
    def render(
        self,
        name: str,
        params: Sequence[str],
        results: Sequence[ast.expr],
        results_read: Sequence[Var],
        header: Sequence[str] = (),
        inline: bool = True,
        lines: list[Line] | None = None,
        reuse: bool = False,
    ) -> str:
        """The source of ``def name(params): <lines>; return results``. Lines nothing reads are
        dropped (unless kept); with ``inline``, a temporary read once is written into its reader;
        with ``reuse``, an elementwise line writes into an operand array the code made and no
        longer reads (see :func:`_reused`), and a mask summed by the next line is checked through
        that sum (see :func:`_checked_by_sum`)."""
        lines = live(self.lines if lines is None else lines, results_read)
        self._unshadow(lines, results_read)
        refresh = _Refresh()
        for line in lines:
            if not isinstance(line.expr, str):
                refresh.visit(line.expr)
        for r in results:
            refresh.visit(r)
        body = _inlined(lines, results_read) if inline else [(ln, ln.expr) for ln in lines]
        if reuse:
            body = _checked_by_sum(_reused(body, results_read, self.scope), self)
        out = [f"def {name}({', '.join(params)}):"]
        out += [f"    # {h}" if h else "" for h in header]
        section = None
        for line, expr in body:
            if line.section != section:
                section = line.section
                out.append(f"    # -- {section}")
            out.append("    " + _statement(line, expr).replace("\n", "\n    "))
        returned = ", ".join(ast.unparse(r) for r in results)
        out.append(f"    return {returned}," if results else "    return ()")
        return "\n".join(out) + "\n"

    def _unshadow(self, lines: list[Line], results: Sequence[Var]) -> None:
        """Where a line assigns a name again (``g_x = g_x + ...``) while the value the name held is
        still read later, give the new value a name of its own."""
        last: dict[int, int] = {}
        for i, line in enumerate(lines):
            for v in line.reads:
                last[id(v)] = i
        for v in results:
            last[id(v)] = len(lines)
        bound: dict[str, Var] = {}
        for i, line in enumerate(lines):
            target = line.target
            if target is None:
                continue
            held = bound.get(target.name)
            if held is not None and held is not target and last.get(id(held), -1) > i:
                target.name = self.unique(target.name)
            bound[target.name] = target


def _statement(line: Line, expr: Any) -> str:
    if isinstance(expr, str):  # (Value code is written as text)
        text = expr if line.target is None else f"{line.target.name} = {expr}"
    elif isinstance(expr, ast.stmt):
        text = ast.unparse(expr)
    elif line.target is None:
        text = ast.unparse(expr)
    else:
        text = f"{line.target.name} = {ast.unparse(expr)}"
    if line.comment:
        pad = max(1, 56 - len(text))
        text += " " * pad + "# " + line.comment
    return text


def live(lines: list[Line], results: Sequence[Var]) -> list[Line]:
    """The lines whose values are used (by a kept line or the results), in order."""
    needed = {id(v) for v in results}
    out = []
    for line in reversed(lines):
        if line.keep or (line.target is not None and id(line.target) in needed):
            out.append(line)
            needed.update(id(v) for v in line.reads)
    out.reverse()
    return out


def _inlined(lines: list[Line], results: Sequence[Var]) -> list[tuple[Line, Any]]:
    """(line, expression) to write: each temporary read exactly once, by a later line, is written
    into that line's expression (numpy calls have no side effects, so where it is computed does not
    change a number), unless a line in between assigns a name it reads."""
    uses: dict[int, int] = {}
    for line in lines:
        for v in line.reads:
            uses[id(v)] = uses.get(id(v), 0) + 1
    for v in results:
        uses[id(v)] = uses.get(id(v), 0) + 1
    assigned: dict[str, list[int]] = {}  # where each name is assigned (g_x = g_x + ... assigns again)
    for i, line in enumerate(lines):
        if line.target is not None:
            assigned.setdefault(line.target.name, []).append(i)
    # id(temporary) -> (its position in out, its line's index, its expression, the names it reads)
    pending: dict[int, tuple[int, int, Any, set[str]]] = {}
    out: list[tuple[Line, Any] | None] = []
    for i, line in enumerate(lines):
        expr, reads = line.expr, {v.name for v in line.reads}
        swaps = {}
        for v in line.reads:
            held = pending.get(id(v))
            if held is not None and not any(held[1] < k < i for n in held[3] for k in assigned.get(n, ())):
                swaps[v.name] = held[2]
                reads |= held[3]
                out[held[0]] = None
                del pending[id(v)]
        if swaps:
            keep = {id(n.var): n.var for n in ast.walk(expr) if hasattr(n, "var")}  # (shared, not copied)
            expr = _Substitute(swaps).visit(copy.deepcopy(expr, keep))
        if line.target is not None and line.target.temp and uses.get(id(line.target), 0) == 1:
            pending[id(line.target)] = (len(out), i, expr, reads)
        out.append((line, expr))
    return [x for x in out if x is not None]


#: the operators whose result is a new array, with their ufuncs where they may write into an operand
_FRESH_OPERATORS = {ast.Add: "add", ast.Sub: "subtract", ast.Mult: "multiply", ast.Div: "true_divide",
                    ast.MatMult: None}  # fmt: skip


def _reused(
    body: list[tuple[Line, Any]], results: Sequence[Var], scope: dict[str, Any]
) -> list[tuple[Line, Any]]:
    """``body`` with each elementwise line that can write into an operand doing so: ``t2 = t1 + b1``
    becomes ``t2 = np.add(t1, b1, out=t1)``, ``mask(g, keep)`` ``mask(g, keep, out=g)``. The same
    ufunc on the same operands: the same bits, without allocating (and faulting in) a new array.

    An operand qualifies when it is an array the code itself made (by an arithmetic operator or a
    ufunc: no view, no leaf, no constant) of the result's shape, dtype and memory layout (a new
    array's: a reduction adds in memory order), that no later line and no
    result reads, that no gradient store reads (a leaf's ``.grad`` may hold it), and that no line made
    a possible view of (every line reading it makes a new array)."""
    if any(isinstance(expr, str) for _, expr in body):  # (Value code: floats)
        return body
    reads_at: dict[str, list[int]] = {}  # (by name: a name assigned again counts as the same, cautiously)
    made: dict[int, int] = {}
    never = {v.name for v in results}
    for i, (line, expr) in enumerate(body):
        names = {n.id for n in ast.walk(expr) if isinstance(n, ast.Name)} | {v.name for v in line.reads}
        for n in names:
            reads_at.setdefault(n, []).append(i)
        if line.target is None or not isinstance(expr, ast.expr):
            never |= names
        else:
            made[id(line.target)] = i
    fresh: set[int] = set()  # the lines whose result is an array of their own

    def free(v: Any, i: int, like: Any) -> bool:
        value = getattr(v, "value", None)
        return (
            v.name not in never
            and made.get(id(v)) in fresh
            and type(value) is np.ndarray
            and value.shape == like.shape
            and value.dtype == like.dtype
            and value.strides == like.strides  # (the layout a new array gets: a later sum's order)
            and max(reads_at[v.name]) == i
            and all(k in fresh for k in reads_at[v.name] if k != i)
        )

    out = []
    for i, (line, expr) in enumerate(body):
        like = getattr(line.target, "value", None)
        if line.target is not None and type(like) is np.ndarray and like.ndim > 0:
            written = _write_into(expr, lambda v, i=i, like=like: free(v, i, like), scope)
            if written is not expr or _fresh(expr, scope):
                fresh.add(i)
            expr = written
        out.append((line, expr))
    return out


def _checked_by_sum(body: list[tuple[Line, Any]], code: Code) -> list[tuple[Line, Any]]:
    """``body`` with each mask whose next line sums all of it checked through that sum: ``g =
    mask(x, keep)`` then ``s = np.add.reduce(g, axis=...)`` (a relu's gradient, then its bias's)
    become ``g = mask_product(x, keep=keep)``, the sum, and ``if np.isnan(np.add.reduce(s, axis=None)):
    g = reselect(g, keep); s = <the sum again>``. A nan in the product is a nan in every sum of all
    of it, so the mask's own check (a pass over the product) is a pass over the sum: the same
    numbers, one scan of a bias instead of one of the activations."""
    out = []
    for i, (line, expr) in enumerate(body):
        out.append((line, expr))
        made, parts = (body[i - 1][0].target, _mask_parts(body[i - 1][1], code.scope)) if i else (None, None)
        if parts is None or made is None or line.target is None or not _sums_all_of(expr, made):
            continue
        x, keep, written = parts
        if written is not None and written.id in {n.id for n in ast.walk(keep) if isinstance(n, ast.Name)}:
            continue  # (the product is written over what the mask reads: it cannot be recomputed)
        keywords = [ast.keyword(arg="keep", value=keep)]
        keywords += [] if written is None else [ast.keyword(arg="out", value=written)]
        product = ast.Call(func=code.glob(mask_product, "mask_product"), args=[x], keywords=keywords)
        out[-2] = (body[i - 1][0], product)
        g, total = var_name(made), var_name(line.target)
        redo = ast.Call(func=code.glob(reselect, "reselect"), args=[g, keep], keywords=[])
        test = call_np(
            "isnan",
            ast.Call(
                func=_np_attr("add", "reduce"),
                args=[total],
                keywords=[ast.keyword(arg="axis", value=ast.Constant(None))],
            ),
        )
        check = ast.If(test=test, orelse=[], body=[
            ast.Assign(targets=[ast.Name(id=made.name, ctx=ast.Store())], value=redo),
            ast.Assign(targets=[ast.Name(id=line.target.name, ctx=ast.Store())], value=expr),
        ])  # fmt: skip
        ast.fix_missing_locations(check)
        out.append((Line(None, check, (made, line.target), "", line.section), check))
    return out


def _mask_parts(expr: Any, scope: dict[str, Any]) -> tuple[ast.expr, ast.expr, ast.Name | None] | None:
    """``(x, keep, out)`` of a line ``mask(x, keep[, out=...])`` (out: None), else None."""
    if not (
        isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and scope.get(expr.func.id) is mask
    ):
        return None
    kw = {k.arg: k.value for k in expr.keywords}
    args = [*expr.args, *(kw[k] for k in ("keep",) if k in kw)]
    written = kw.get("out")
    if len(args) != 2 or set(kw) - {"keep", "out"} or not (written is None or isinstance(written, ast.Name)):
        return None
    return args[0], args[1], written


def _sums_all_of(expr: Any, v: Var) -> bool:
    """Whether ``expr`` is ``np.add.reduce(v, ...)``: a sum over axes of all of ``v``."""
    return (
        isinstance(expr, ast.Call)
        and ast.unparse(expr.func) == "np.add.reduce"
        and len(expr.args) >= 1
        and isinstance(expr.args[0], ast.Name)
        and getattr(expr.args[0], "var", None) is v
        and all(k.arg in ("axis", "keepdims") for k in expr.keywords)
    )


def _np_attr(*path: str) -> ast.expr:
    node: ast.expr = name("np")
    for attr in path:
        node = ast.Attribute(value=node, attr=attr, ctx=ast.Load())
    return node


def call_np(fn: str, *args: ast.expr) -> ast.Call:
    """The expression ``np.fn(*args)``."""
    return ast.Call(func=_np_attr(fn), args=list(args), keywords=[])


def _fresh(expr: Any, scope: dict[str, Any]) -> bool:
    """Whether ``expr`` makes a new array (or writes into one the code no longer reads)."""
    if isinstance(expr, ast.BinOp):
        return type(expr.op) in _FRESH_OPERATORS
    if isinstance(expr, ast.Call):  # (not a mask: a 0-d one gives its operand back)
        return isinstance(_ufunc(expr.func), np.ufunc)
    return False


def _ufunc(func: ast.expr) -> Any:
    """The numpy function ``np.<name>`` names, else None."""
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "np":
        return getattr(np, func.attr, None)
    return None


def _write_into(expr: Any, free: Any, scope: dict[str, Any]) -> Any:
    """``expr`` writing its result into its first operand that ``free`` accepts (unchanged if none)."""
    keywords: list[ast.keyword] = []
    if isinstance(expr, ast.BinOp):
        ufunc = _FRESH_OPERATORS.get(type(expr.op))
        if ufunc is None:  # (a matmul, a power...: written as it is)
            return expr
        operands = [expr.left, expr.right]
        func: ast.expr = ast.Attribute(value=name("np"), attr=ufunc, ctx=ast.Load())
    elif isinstance(expr, ast.Call) and not expr.keywords:
        operands, func = list(expr.args), expr.func
        if isinstance(func, ast.Name) and scope.get(func.id) is mask and len(operands) == 2:
            operands = operands[:1]  # (mask(g, keep): g only)
            keywords = [ast.keyword(arg="keep", value=expr.args[1])]
        else:
            found = _ufunc(func)
            if not isinstance(found, np.ufunc) or found.nout != 1 or found.nin != len(operands):
                return expr
    else:
        return expr
    for x in operands:
        v = getattr(x, "var", None)
        if isinstance(x, ast.Name) and v is not None and free(v):
            out = ast.keyword(arg="out", value=var_name(v))
            return ast.Call(func=func, args=operands, keywords=[*keywords, out])  # (mask: keep, out)
    return expr


class _Substitute(ast.NodeTransformer):
    def __init__(self, swaps: dict[str, ast.expr]) -> None:
        self.swaps = swaps

    def visit_Name(self, node: ast.Name) -> Any:  # noqa: N802 (ast's visitor naming)
        return self.swaps.get(node.id, node)


def name(id_: str) -> ast.Name:
    return ast.Name(id=id_, ctx=ast.Load())


def var_name(v: Var) -> ast.Name:
    """A reference to ``v`` in an expression: written with the name ``v`` has when the code is
    rendered (a variable may be renamed after it is read: see ``Code._unshadow``)."""
    node = ast.Name(id=v.name, ctx=ast.Load())
    node.var = v  # type: ignore[attr-defined]
    return node


class _Refresh(ast.NodeVisitor):
    def visit_Name(self, node: ast.Name) -> None:  # noqa: N802
        v = getattr(node, "var", None)
        if v is not None:
            node.id = v.name


def number(value: float) -> ast.expr:
    """A float as a literal, the same bits: ``1.5``, ``-0.0``, ``inf``, ``-inf``, ``nan``, ``-nan``
    (a nan of another payload is :func:`float.fromhex`-less: written from its bits)."""
    value = float(value)
    negative = math.copysign(1.0, value) < 0
    if value != value:
        bits = struct.unpack("<Q", struct.pack("<d", value))[0] & ~(1 << 63)
        if bits != 0x7FF8000000000000:
            return ast.Call(
                func=name("_nan_bits"),
                args=[ast.Constant(struct.unpack("<Q", struct.pack("<d", value))[0])],
                keywords=[],
            )
        body: ast.expr = name("nan")
    else:
        body = name("inf") if math.isinf(value) else ast.Constant(value=abs(value))
    return ast.UnaryOp(op=ast.USub(), operand=body) if negative else body


def nan_bits(bits: int) -> float:
    """The float with these 64 bits (a nan whose payload is not the usual one)."""
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


def comment_text(text: str, names: dict[str, str]) -> str:
    """A rule's teaching form with its generic names (x, y, out, params) replaced by the
    variables they stand for (``1 − tanh(x)²`` → ``1 − tanh(z1)²``)."""
    if not names:
        return text
    return _names_in(tuple(sorted(names, key=len, reverse=True))).sub(lambda m: names[m.group(1)], text)


@functools.lru_cache(maxsize=256)
def _names_in(names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, names)) + r")(?![A-Za-z0-9_])")
