"""One compiled signature: the generated function, its source, and how a call feeds it.

:func:`build` turns a :class:`~.trace.Trace` into Python source (forward, then backward, then the
gradients stored), compiles it, and keeps what a call needs: which arguments and captured objects
are the function's parameters. It keeps neither the traced graph nor the example arrays.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import linecache
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .. import grad_mode as mode
from .._gemm import add_matmul_, one_call
from .._tensor import Tensor
from ..graph import Effect
from ..pytree import tree_unflatten
from ..value import Value
from ..value_array import ValueArray
from .code import FORWARD, Code, Line, Var, live, name, var_name
from .symbolic import Sym, literal
from .tensor_code import TensorCode
from .trace import Trace

_serial = itertools.count(1)
LEAVES = "the leaves: arguments and captured objects, read at every call"
SGD_SECTION = "the optimizer's step (SGD) inside each weight's gradient product: no .grad made"


class Stale(Exception):
    """A captured object changed shape, dtype or requires_grad since the trace: trace again."""


class Program:
    """The generated code of one signature.

    ``source``: the forward and backward pass; ``run(flat)`` fills ``.grad`` and returns the
    outputs; ``forward(flat)`` only computes them (under ``no_grad``).
    """

    def __init__(self, source: str, forward_source: str, scope: dict[str, Any], locators: list[Any],
                 trace: Trace, fn_name: str) -> None:  # fmt: skip
        self.source, self.forward_source = source, forward_source
        # per parameter: ("arg", i) or ("element", i, j) for the arguments', then the captured objects
        self.locators = [loc for loc in locators if loc[0] != "captured"]
        self.captured = tuple(loc[1] for loc in locators if loc[0] == "captured")
        self._positions = (
            [loc[1] for loc in self.locators] if all(loc[0] == "arg" for loc in self.locators) else None
        )
        self.out_spec, self.out_kinds = trace.out_spec, trace.out_kinds
        self.by_value = tuple(trace.unbound_arrays)
        self.watched = tuple(trace.watched)  # (object, attribute, value) the trace's path took
        self.targets = tuple(t for e in trace.effects for t in e.targets)  # what its effects write
        self.draws = bool(trace.draws)  # it draws random numbers (dropout masks) at every call
        self.step = _define(source, scope, fn_name, "step")
        self._forward_scope = scope
        self._forward: Callable[..., Any] | None = None
        self._fn_name = fn_name
        self.fast = self._specialised()
        self.sgd: FusedSGD | None = None  # (with an optimizer: its step fused in, see build)

    def _specialised(self) -> Callable[[Sequence[Any]], Any]:
        """:meth:`run` for the common program: leaves only among the positional arguments, one
        Tensor out. The same steps in fewer calls (in a 1 ms step, each µs around the generated
        code shows: a training loop calls this every step)."""
        step, captured, positions = self.step, self.captured, self._positions
        if positions is None or list(self.out_kinds) != ["tensor"] or self.out_spec.kind is not None:
            return self.run
        quiet, loud, node = mode.quiet, mode.loud, Tensor._node

        def run(flat: Sequence[Any]) -> Tensor:
            token = quiet()
            try:
                (v,) = step(*[flat[i] for i in positions], *captured) if positions else step(*captured)
            finally:
                loud(token)
            return node(v if type(v) is np.ndarray else np.asarray(v))

        return run

    def arguments(self, flat: Sequence[Any]) -> tuple[Any, ...]:
        """The generated function's arguments: the leaves among the call's arguments, then the
        captured objects."""
        if self._positions is not None:
            return (*[flat[i] for i in self._positions], *self.captured) if self._positions else self.captured
        out = [flat[loc[1]] if loc[0] == "arg" else flat[loc[1]].values.flat[loc[2]] for loc in self.locators]
        return (*out, *self.captured)

    def run(self, flat: Sequence[Any]) -> Any:
        token = mode.quiet()  # (as the engine computes: inf and nan are results, not warnings)
        try:
            return self.outputs(self.step(*self.arguments(flat)))
        finally:
            mode.loud(token)

    def run_sgd(self, flat: Sequence[Any], rates: tuple[float, ...]) -> Any:
        """:meth:`run` with the optimizer's SGD step fused in (``self.sgd``; ``rates``: its
        learning rates): the fused parameters are updated, the others' ``.grad`` filled."""
        assert self.sgd is not None
        token = mode.quiet()
        try:
            values = self.sgd.step(*self.arguments(flat), *rates)
        finally:
            mode.loud(token)
        Tensor._changed_in_place([p.data for p, _ in self.sgd.params])  # (as opt.step() counts it)
        return self.outputs(values)

    def forward(self, flat: Sequence[Any]) -> Any:
        if self._forward is None:
            self._forward = _define(self.forward_source, self._forward_scope, self._fn_name, "forward")
        token = mode.quiet()
        try:
            return self.outputs(self._forward(*self.arguments(flat)))
        finally:
            mode.loud(token)

    def outputs(self, values: tuple) -> Any:
        """The function's result, its nodes as new leaves (no graph)."""
        items = iter(values)
        leaves = []
        for kind in self.out_kinds:
            if kind is None:
                leaves.append(None)
            elif kind == "tensor":
                v = next(items)
                leaves.append(Tensor._node(v if type(v) is np.ndarray else np.asarray(v)))
            elif kind == "value":
                leaves.append(Value(next(items)))
            else:
                shape = kind[1]
                n = int(np.prod(shape))
                leaves.append(
                    ValueArray(np.array([next(items) for _ in range(n)], dtype=np.float64).reshape(shape))
                )
        return tree_unflatten(leaves, self.out_spec)


def _define(source: str, scope: dict[str, Any], fn_name: str, what: str) -> Callable[..., Any]:
    filename = f"<autograd.compile {fn_name} #{next(_serial)} {what}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)  # (tracebacks)
    namespace = dict(scope)
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102
    return namespace[what]


class Generated:
    """The code of a trace before it is rendered: its lines, the generated function's parameters
    (with where each comes from), its results, and the gradients collected instead of stored."""

    def __init__(self, code: Code, params: list[Var], locators: list[Any], results: list[ast.expr],
                 reads: list[Var], header: list[str], collected: dict[int, Any],
                 tcode: TensorCode) -> None:  # fmt: skip
        self.code, self.params, self.locators, self.results = code, params, locators, results
        self.reads, self.header, self.collected = reads, header, collected
        self.stores, self.env = tcode.stores, tcode.env  # (the gradients stored, the nodes' arrays)


def build(trace: Trace, fn: Callable[..., Any], flat: Sequence[Any], spec_names: list[str],
          sgd: dict[int, tuple[int, int]] | None = None) -> Program:  # fmt: skip
    """Generate, compile and return the program of ``trace``. ``spec_names``: a name per flattened
    argument (from the function's signature); ``sgd``: the parameters of an optimizer whose step
    may be fused into the code (see :func:`_sgd_lines`), by id: (group, position in the group)."""
    gen = generate(trace, fn, flat, spec_names)
    code, params = gen.code, [p.name for p in gen.params]
    if trace.watched:
        _watch_guard(code, trace.watched)
    inline = any(
        ln.target is not None and ln.target.temp for ln in code.lines
    )  # (Value code has no temporaries)
    fused = _sgd_lines(gen, trace, sgd) if sgd else None
    source = code.render("step", params, gen.results, gen.reads, gen.header, inline=inline, reuse=True)
    head, _, tail = source.partition("    # -- backward\n")
    # (under no_grad: the same code without its backward section)
    forward_source = (
        "def forward" + head[len("def step") :] + (tail[tail.rindex("    return ") :] if tail else "")
    )
    fn_name = getattr(fn, "__name__", "fn")
    program = Program(source, forward_source, code.scope, gen.locators, trace, fn_name)
    if fused is not None:
        lines, rates, updated = fused
        shown = ", ".join(name_ for _, _, name_ in updated)
        header = [*gen.header, f"with the optimizer's SGD step: {shown} updated in their gradients' products"]
        fused_source = code.render("step", params + [r.name for r in rates], gen.results, gen.reads, header,
                                   inline=inline, lines=lines, reuse=True)  # fmt: skip
        step = _define(fused_source, code.scope, fn_name, "step")
        program.sgd = FusedSGD(step, fused_source, [(node, place) for node, place, _ in updated])
    return program


class FusedSGD:
    """A program's code with the optimizer's SGD step written into it: each listed parameter updated
    by ``add_matmul_`` where its gradient's product was (its ``.grad`` never made).

    ``step(*leaves, *lrs)``: the code, one learning rate per group of ``groups`` (in their order);
    ``params``: (the parameter, (its group, its position in the group)) in the order the code
    updates them."""

    def __init__(
        self, step: Callable[..., Any], source: str, params: list[tuple[Any, tuple[int, int]]]
    ) -> None:
        self.step, self.source, self.params = step, source, params
        self.groups = sorted({place[0] for _, place in params})

    def rates(self, optimizer: Any) -> tuple[float, ...] | None:
        """The learning rates to pass, one per group of the fused parameters, if every fused
        parameter's update is now ``p.add_(grad, alpha=-lr)`` (``optimizer.linear_step``), the
        parameter is still where it was in its group, and has no gradient yet (else None)."""
        groups = optimizer.param_groups
        rates = []
        for k in self.groups:
            if k >= len(groups):
                return None
            alpha = optimizer.linear_step(groups[k])
            if alpha is None:
                return None
            rates.append(-alpha)
        for p, (k, i) in self.params:
            params = groups[k]["params"]
            if i >= len(params) or params[i] is not p or p._grad is not None:
                return None
        return tuple(rates)


def _sgd_lines(gen: Generated, trace: Trace, sgd: dict[int, tuple[int, int]]) -> Any:
    """The lines of ``gen`` with an SGD step fused into them, the learning rates' variables, and the
    parameters updated ((node, place, name)); None if no parameter qualifies.

    A parameter qualifies when it is captured (a model's weight), in ``sgd``, and its gradient is
    one matrix product (a linear layer's ``xᵀ @ g``), stored once and read by nothing else, of a
    shape and layout where ``add_matmul_`` makes one BLAS call (:func:`~autograd._gemm.one_call`):
    the product and its store are replaced by ``add_matmul_(W, x.mT, g, -lr)``, the weight read
    and written once, no gradient array made, with ``opt.step()``'s numbers. These lines come after
    every other (the backward may still read the weight). Other parameters keep their ``.grad``
    and ``opt.step()`` (which batches small updates: one call each here would cost more)."""
    code = gen.code
    reads: dict[int, int] = {}
    for ln in live(code.lines, gen.results):  # (not the lines dropped: a view nothing uses)
        for v in ln.reads:
            reads[id(v)] = reads.get(id(v), 0) + 1
    for v in gen.reads:
        reads[id(v)] = reads.get(id(v), 0) + 1
    stores: dict[int, int] = {}
    for leaf, _, _ in gen.stores:
        stores[id(leaf)] = stores.get(id(leaf), 0) + 1
    made_by = {id(ln.target): ln for ln in code.lines if ln.target is not None}
    dropped: set[int] = set()
    fused: list[tuple[Any, tuple[int, int], Sym, Line]] = []
    for leaf, gx, store in gen.stores:
        role = trace.leaves.get(id(leaf))
        data = gen.env.get(id(leaf))
        made = made_by.get(id(gx))
        if (
            id(leaf) not in sgd
            or stores[id(leaf)] != 1
            or role is None
            or role.role != "captured"
            or not isinstance(data, Sym)
            or not isinstance(gx, Sym)
            or reads.get(id(gx)) != 1  # (the store only)
            or made is None
            or not isinstance(made.expr, ast.BinOp)
            or not isinstance(made.expr.op, ast.MatMult)
            or not one_call(leaf.data, _example(code, made.expr.left), _example(code, made.expr.right))
        ):
            continue
        fused.append(
            (leaf, sgd[id(leaf)], data, made, "; ".join(c for c in (made.comment, store.comment) if c))
        )
        dropped |= {id(made), id(store)}
    if not fused:
        return None
    groups = sorted({place[0] for _, place, _, _, _ in fused})
    rates = {k: code.var("lr" if len(groups) == 1 else f"lr_{k}") for k in groups}
    lines = [ln for ln in code.lines if id(ln) not in dropped]
    update = code.glob(add_matmul_, "add_matmul_")
    for _, place, data, made, why in fused:
        lr = rates[place[0]]
        alpha = ast.UnaryOp(op=ast.USub(), operand=var_name(lr))
        args = [var_name(data), made.expr.left, made.expr.right, alpha]
        line = ast.fix_missing_locations(ast.Expr(value=ast.Call(func=update, args=args, keywords=[])))
        comment = f"{why}; SGD: {data.name} −= {lr.name} · that"
        lines.append(Line(None, line, [data, *made.reads, lr], comment, SGD_SECTION, keep=True))
    updated = [(leaf, place, data.name) for leaf, place, data, _, _ in fused]
    return lines, [rates[k] for k in groups], updated


def _example(code: Code, operand: ast.expr) -> Any:
    """The traced array an operand of a generated line stands for: a variable's, or a constant's of
    the code (None for anything else)."""
    v = getattr(operand, "var", None)
    if isinstance(v, Sym):
        return v.value
    return code.scope.get(operand.id) if isinstance(operand, ast.Name) and v is None else None


def generate(trace: Trace, fn: Callable[..., Any], flat: Sequence[Any], spec_names: list[str],
             seed: Any = None, collect: Sequence[int] = ()) -> Generated:  # fmt: skip
    """The lines of ``trace``'s forward and backward pass. ``seed(code)``: the loss's gradient (ones
    if None); ``collect``: ids of leaves whose gradients are results (the only ones computed), rather
    than stored in ``.grad``."""
    from .value_code import ValueCode

    code = Code(reserved={"step", "forward"})
    tcode, vcode = TensorCode(code), ValueCode(code)
    hints = _hints(fn)
    params: list[Var] = []
    locators: list[Any] = []
    grad_params: dict[int, Var] = {}
    code.section = LEAVES
    watched: list[tuple[Sym, Any, Var]] = []  # captured Tensors: (their array, the node, its parameter)
    for leaf in _ordered_leaves(trace):
        node = leaf.node
        hint = (
            node.label
            or hints.get(id(node))
            or (spec_names[leaf.position] if leaf.role == "argument" else None)
        )
        hint = hint or ("p" if leaf.role == "captured" else "c")
        param = None
        if leaf.role != "constant":
            param = code.var(hint, suffix="_")
            params.append(param)
            if leaf.role == "captured":
                locators.append(("captured", node))
            elif isinstance(flat[leaf.position], ValueArray):
                j = next(k for k, v in enumerate(flat[leaf.position].values.flat) if v is node)
                locators.append(("element", leaf.position, j))
            else:
                locators.append(("arg", leaf.position))
            if leaf.grad and (not collect or id(node) in collect):
                grad_params[id(node)] = param
        if isinstance(node, Value):
            vcode.leaf(leaf, param, hint)
        else:
            tcode.leaf(leaf, param, hint)
            if leaf.role == "captured":
                watched.append((tcode.env[id(node)], node, param))
    if watched:
        reads = [v for sym, _, param in watched for v in (sym, param)]
        code.add(None, _guard(code, watched), reads, "a captured array changed: trace again", keep=True)
    for b in trace.bound:
        array = b.node._params[b.key] if b.item is None else b.node._params[b.key][b.item]
        if id(array) in tcode.env:
            continue
        hint = spec_names[b.position]
        if isinstance(flat[b.position], Tensor):  # (a Tensor argument's array: read its .data)
            param = code.var(hint, suffix="_")
            sym = Sym(code, code.unique(hint), array, temp=False)
            code.add(sym, ast.Attribute(value=name(param.name), attr="data", ctx=ast.Load()), [param])
        else:
            param = sym = Sym(code, code.unique(hint), array, temp=False)
        params.append(param)
        locators.append(("arg", b.position))
        tcode.bind(array, sym)
    # (a Tensor argument that is a leaf of the graph is read by its node: its array is that Sym too)
    leaf_arrays = {
        id(leaf.node.data): tcode.env.get(id(leaf.node))
        for leaf in trace.leaves.values()
        if leaf.role == "argument" and isinstance(leaf.node, Tensor)
    }
    for check, arrays, what in trace.guards:
        syms = [tcode.env.get(id(a), leaf_arrays.get(id(a))) for a in arrays]
        if syms and all(isinstance(v, Sym) for v in syms):  # (arrays the code reads at every call)
            holds = ast.Call(func=code.glob(check, "holds"), args=[var_name(v) for v in syms], keywords=[])
            test = ast.UnaryOp(op=ast.Not(), operand=holds)
            raise_ = ast.Raise(exc=code.glob(Stale, "Stale"), cause=None)
            line = ast.fix_missing_locations(ast.If(test=test, body=[raise_], orelse=[]))
            code.add(None, line, syms, f"{what}, else trace again", keep=True)
    # forward
    counter = itertools.count(1)
    effects = _effects(code, tcode, vcode, list(trace.effects))
    for node in trace.nodes:
        label = node.label
        if isinstance(node, Value):
            vcode.forward(node, code.unique(label or f"v{next(counter)}"))
        else:
            tcode.forward(node, code.unique(label or f"t{next(counter)}"))
        if effects:
            effects = _effects(code, tcode, vcode, effects)
    # backward
    loss = trace.loss
    if isinstance(loss, Value):
        vcode.backward(loss, trace.loss_nodes, grad_params)
    else:
        wanted = _wanted(trace, grad_params)
        tcode.backward(
            loss, trace.loss_nodes, wanted, grad_params, seed and seed(code), set(collect), trace.outputs
        )
    # results
    results, reads = [], []
    for out in trace.outputs:
        if out is None:
            continue
        value = (vcode.env if isinstance(out, Value) else tcode.env)[id(out)]
        if isinstance(value, Var):
            results.append(var_name(value))
            reads.append(value)
        elif isinstance(value, str):
            results.append(ast.parse(value, mode="eval").body)
        else:
            results.append(literal(code, value))
    fn_name = getattr(fn, "__name__", "fn")
    header = _header(fn_name, trace, code)
    order = sorted(range(len(params)), key=lambda k: locators[k][0] == "captured")
    params, locators = [params[k] for k in order], [locators[k] for k in order]
    return Generated(code, params, locators, results, reads, header, tcode.collected, tcode)


def _effects(code: Code, tcode: TensorCode, vcode: Any, effects: list[Effect]) -> list[Effect]:
    """Write the line of each effect, in their order, as soon as the nodes it reads are computed
    (where the eager run did it); return those still waiting."""
    while effects:
        values = []
        for n in effects[0].nodes:
            env = vcode.env if isinstance(n, Value) else tcode.env
            if id(n) not in env:
                return effects
            values.append(env[id(n)])
        e = effects.pop(0)
        args = [var_name(v) if isinstance(v, Var) else code.glob(v, "c") for v in values]
        call = ast.Expr(value=ast.Call(func=code.glob(e.update, "update"), args=args, keywords=[]))
        reads = [v for v in values if isinstance(v, Var)]
        code.add(None, ast.fix_missing_locations(call), reads, e.what, section=FORWARD, keep=True)
    return effects


def _watch_guard(code: Code, watched: list[tuple[Any, str, Any]]) -> None:
    """First line: ``if (m.training, ...) != WATCHED: raise Stale``, the attributes the trace's path
    depended on (a module's train/eval mode) still as traced."""
    now = ast.Tuple(
        elts=[_attr_of(code.glob(obj, type(obj).__name__.lower()), attr) for obj, attr, _ in watched],
        ctx=ast.Load(),
    )
    then = code.glob(tuple(value for _, _, value in watched), "WATCHED")
    test = ast.Compare(left=now, ops=[ast.NotEq()], comparators=[then])
    raise_ = ast.Raise(exc=code.glob(Stale, "Stale"), cause=None)
    guard = ast.fix_missing_locations(ast.If(test=test, body=[raise_], orelse=[]))
    code.add(None, guard, [], "traced in another mode (train/eval): trace again", LEAVES, keep=True)
    code.lines.insert(0, code.lines.pop())


def _attr_of(obj: ast.expr, attr: str) -> ast.Attribute:
    return ast.Attribute(value=obj, attr=attr, ctx=ast.Load())


def _ordered_leaves(trace: Trace) -> list[Any]:
    """The leaves in the order the forward pass first uses them."""
    from .trace import _children

    seen, out = set(), []
    for node in trace.nodes:
        for c in _children(node):
            leaf = trace.leaves.get(id(c))
            if leaf is not None and id(c) not in seen:
                seen.add(id(c))
                out.append(leaf)
    for key, leaf in trace.leaves.items():
        if key not in seen:
            out.append(leaf)
    return out


def _wanted(trace: Trace, grad_params: dict[int, Var]) -> set[int]:
    """Ids of the Tensor nodes whose gradient reaches a leaf whose ``.grad`` is filled."""
    from .trace import _children

    wanted = set(grad_params)
    for node in trace.nodes:  # (a Tensor node that needs no grad passes none: recorded by record_all)
        if (isinstance(node, Value) or node.requires_grad) and any(id(c) in wanted for c in _children(node)):
            wanted.add(id(node))
    return wanted


def _guard(code: Code, watched: list[tuple[Sym, Any, Var]]) -> ast.stmt:
    """``if (x.shape, ...) != SHAPES or (x.dtype, ...) != DTYPES or (x_.requires_grad, ...) != FLAGS:
    raise Stale``: the captured arrays are as traced."""
    parts = []
    for attr, of, value in (
        ("shape", 0, lambda n: n.data.shape),
        ("dtype", 0, lambda n: n.data.dtype),
        ("requires_grad", 2, lambda n: n.requires_grad),
    ):
        now = ast.Tuple(elts=[_attr(w[of].name, attr) for w in watched], ctx=ast.Load())
        then = code.glob(
            tuple(value(w[1]) for w in watched), attr.upper() + "S" if attr != "requires_grad" else "FLAGS"
        )
        parts.append(ast.Compare(left=now, ops=[ast.NotEq()], comparators=[then]))
    raise_ = ast.Raise(exc=code.glob(Stale, "Stale"), cause=None)
    return ast.fix_missing_locations(
        ast.If(test=ast.BoolOp(op=ast.Or(), values=parts), body=[raise_], orelse=[])
    )


def _attr(obj: str, attr: str) -> ast.Attribute:
    return _attr_of(name(obj), attr)


def _header(fn_name: str, trace: Trace, code: Code) -> list[str]:
    roles = {"argument": 0, "captured": 0, "constant": 0}
    for leaf in trace.leaves.values():
        roles[leaf.role] += 1
    lines = [
        f"{fn_name}, compiled: {len(trace.nodes)} nodes; leaves: {roles['argument']} from the arguments, "
        f"{roles['captured']} captured (read at every call), {roles['constant']} constants of the trace",
    ]
    arrays = [(k, v) for k, v in code.scope.items() if isinstance(v, np.ndarray)]
    for k, v in arrays:
        flat = v.reshape(-1)
        shown = (
            f"all {flat[0]:g}"
            if v.size and (flat == flat[0]).all()
            else f"min {v.min():g}, max {v.max():g}"
            if v.size and v.dtype.kind in "fiu"
            else ""
        )
        lines.append(f"{k}: constant {v.dtype} array of shape {v.shape}{', ' + shown if shown else ''}")
    return lines


def _hints(fn: Callable[..., Any]) -> dict[int, str]:
    """Names the function itself gives its captured nodes: closure variables and globals it reads
    (``W1``; an item of a list ``P`` is ``P_0``; a module's parameters by their names)."""
    found: dict[int, str] = {}

    def note(obj: Any, label: str, depth: int = 0) -> None:
        if isinstance(obj, (Tensor, Value)):
            found.setdefault(id(obj), label)
        elif isinstance(obj, (list, tuple)) and depth < 2 and len(obj) <= 10_000:
            for i, x in enumerate(obj):
                note(x, f"{label}_{i}", depth + 1)
        elif isinstance(obj, ValueArray):
            for i, x in enumerate(obj.values.flat):
                found.setdefault(id(x), f"{label}_{i}")
        elif hasattr(obj, "named_parameters") and depth == 0:
            try:
                for n, p in obj.named_parameters():
                    found.setdefault(id(p), f"{label}_{n}")
            except Exception:  # noqa: BLE001 (a naming nicety only)
                pass

    target = inspect.unwrap(fn)
    code_ = getattr(target, "__code__", None)
    if code_ is None:
        return found
    for var, cell in zip(code_.co_freevars, getattr(target, "__closure__", None) or ()):
        try:
            note(cell.cell_contents, var)
        except ValueError:  # (an empty cell)
            pass
    globals_ = getattr(target, "__globals__", {})
    for var in code_.co_names:
        if var in globals_:
            note(globals_[var], var)
    return found
