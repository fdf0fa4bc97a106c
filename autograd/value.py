"""``Value``: a scalar node of the computation graph (micrograd-compatible).

Every operation computes its result and, right beside it, the local
derivatives ``∂out/∂input`` for each input. ``backward`` multiplies them along
the graph (the chain rule).

The operations' methods are generated from the table of elementwise ops
(:mod:`autograd.ops`): each is Python source with the op's float forward and its
rules inlined, so building a node costs no call beyond the method itself. The
floats they store serve the fast first-order ``backward``. When a gradient is
itself to be differentiated (``backward(create_graph=True)``,
:func:`autograd.grad`), backward evaluates the same rules on the nodes
(``Elementwise.locals``), so the local derivatives come out as Values, recorded
in the graph.

Edge cases follow PyTorch: ``relu'(0) = 0``, ``abs'(0) = 0``, ``x ** 0`` has
gradient 0 everywhere (also at ``x = 0``), ``log(0) = -inf``, division by zero
gives ``±inf``/``nan``, a negative base with a fractional exponent gives
``nan`` (never a complex number), overflow gives ``inf``, and nan propagates
through ``relu``, ``maximum`` and ``minimum``. Where PyTorch's backward masks
(relu, clip, maximum/minimum, ``x ** 0``) the local derivative is :data:`MASKED`:
that input gets no gradient at all, even when the incoming one is inf or nan.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from numbers import Real
from types import SimpleNamespace
from typing import Any, Union

import numpy as np

from . import grad_mode as mode
from . import ops
from .graph import collector_paused, is_tracing, refuse_backward, toposort
from .ops.elementwise import MASKED, Composed, Elementwise, FloatCode, define, methods_of, named

Number = Union[int, float]
_new_value = object.__new__
_mode = mode.state  # the context's mode flags: 0 = record, no anomaly checks

__all__ = ["MASKED", "Op", "Value", "as_value", "vjp_pass", "zero_grad"]


def _as_float(x: object, what: str) -> float:
    if type(x) is not int and (isinstance(x, bool) or not isinstance(x, Real)):  # (bool is no int here)
        raise TypeError(f"{what}: expected a real number (int or float), got {type(x).__name__} {x!r}")
    try:
        return float(x)
    except OverflowError:
        digits = len(str(abs(int(x))))
        raise OverflowError(
            f"{what}: expected a real number within float range (|x| < 1.8e308), got an int of "
            f"{digits} digits ({str(x)[:12]}...)"
        ) from None


def _number(x: object, op: str) -> float:
    """An operand of the op ``op`` with a plain result, as a float."""
    return x.data if isinstance(x, Value) else _as_float(x, f"Value {op} operand")


def _constant(x: object, op: str) -> Value:
    """A plain number used as an operand of ``op``, as a leaf Value (a Value that numpy code wrapped
    in a 0-d object array, as ``np.sinc(v)`` does, as itself)."""
    if type(x) is not float:
        if isinstance(x, np.ndarray) and x.dtype == object and x.ndim == 0 and isinstance(x[()], Value):
            return x[()]
        x = _as_float(x, f"Value {op} operand")
    leaf = _new_value(Value)
    leaf.data = x
    leaf.grad = 0.0
    leaf.label = None
    leaf._op = LEAF
    leaf._a = leaf._b = None
    leaf._da = leaf._db = 0.0
    return leaf


_NOT_SELECTED = (False, False)
_OBJECT = np.dtype(object)


class Op:
    """The operation a node records: ``entry``, the elementwise op whose rules give its local
    derivatives, with its parameters ``params``. A custom node (no entry) is named ``label`` and
    keeps the local derivatives it was given in ``params``."""

    __slots__ = ("label", "entry", "params", "selected")

    def __init__(self, label: str, entry: Elementwise | None, params: tuple[Any, ...] = ()) -> None:
        self.label, self.entry, self.params = label, entry, params
        self.selected = _NOT_SELECTED if entry is None else entry.selected

    @property
    def name(self) -> str:
        """The op's name as a node shows it (``+``, ``tanh``, ``**2``)."""
        return self.label.format(*self.params) if self.params and self.entry else self.label

    def __repr__(self) -> str:
        return f"Op({self.name!r})"


def _check_label(label: object, what: str) -> None:
    if label is not None and not isinstance(label, str):
        raise TypeError(f"{what}: label must be a str or None, got {type(label).__name__} {label!r}")


class Value:
    """A scalar that remembers how it was computed.

    ``data`` is the float value, ``grad`` the accumulated ∂root/∂self (0.0
    until ``backward``; a Value after ``backward(create_graph=True)``),
    ``label`` an optional name used in drawings, ``op`` the operation that
    produced it and ``children`` its inputs, in order.

    A node has at most two inputs, ``_a`` and ``_b``, with the local
    derivatives ``_da`` = ∂data/∂a and ``_db`` = ∂data/∂b beside them: plain
    slots rather than tuples, so each node is one object (less memory, and
    less work for Python's garbage collector). ``_op`` is the :class:`Op`.
    A custom operation can be made with ``Value(data, label, children,
    local_grads, op)``; give its local derivatives as Values to differentiate
    it more than once (plain numbers are taken as constants).

    The elementwise operations (``+ - * / **``, ``exp``, ``tanh``, ``relu``,
    ``maximum``, ``sin``, ... with their PyTorch spellings) are generated from
    :mod:`autograd.ops`; each method's docstring gives its rule.
    """

    __slots__ = ("data", "grad", "label", "_op", "_a", "_b", "_da", "_db")

    def __init__(
        self,
        data: Number,
        label: str | None = None,
        _prev: tuple[Value, ...] = (),
        _local: tuple[Any, ...] = (),
        _op: str = "",
    ) -> None:
        if type(data) is not float:
            data = _as_float(data, "Value(data)")
        if label is not None:
            _check_label(label, "Value")
        self.data, self.grad, self.label = data, 0.0, label
        if not _prev or _mode() & mode.NO_GRAD:
            self._op, self._a, self._b, self._da, self._db = LEAF, None, None, 0.0, 0.0
            return
        if len(_prev) > 2 or len(_local) != len(_prev):
            raise ValueError(
                f"Value: a node takes one or two inputs with one local derivative each, got "
                f"{len(_prev)} input(s) and {len(_local)} derivative(s)"
            )
        what = f"Value op '{_op}' local derivative"
        floats = [x.data if isinstance(x, Value) else _as_float(x, what) for x in _local]
        a, b = (*_prev, None)[:2]
        da, db = (*floats, 0.0)[:2]
        self._op, self._a, self._b, self._da, self._db = Op(_op, None, tuple(_local)), a, b, da, db
        if _mode() & mode.ANOMALY and not math.isfinite(data):
            raise mode.anomaly_error(_op, "forward", f"result {data}")

    # -- graph structure, read-only
    @property
    def op(self) -> str:
        """Name of the operation that produced this node ('' for a leaf)."""
        return self._op.name

    @property
    def _prev(self) -> tuple[Value, ...]:
        a, b = self._a, self._b
        return () if a is None else (a,) if b is None else (a, b)

    @property
    def children(self) -> tuple[Value, ...]:
        """The inputs of the operation that produced this node, in order."""
        return self._prev

    @property
    def local_grads(self) -> tuple[float, ...]:
        """∂self/∂child for each child, as computed in the forward pass."""
        a, b = self._a, self._b
        return () if a is None else (self._da,) if b is None else (self._da, self._db)

    @property
    def shape(self) -> tuple[()]:
        """``()``: a Value is a scalar (as a 0-d array)."""
        return ()

    @property
    def ndim(self) -> int:
        """0, as a 0-d array's (numpy functions ask for it)."""
        return 0

    @property
    def size(self) -> int:
        """1, as a 0-d array's."""
        return 1

    @property
    def real(self) -> Value:
        """The Value itself, its own real part (as a Python float's ``real``)."""
        return self

    @property
    def imag(self) -> float:
        """0.0, the imaginary part of a real number, a constant (as a Python float's ``imag``)."""
        return 0.0

    @property
    def dtype(self) -> np.dtype:
        """``object``: a Value is an element of an object array to numpy, which asks for the dtype
        (``np.sinc(v)``). (With float64, np.mean and np.average of Values would convert their result
        to a plain float: the graph silently dropped.)"""
        return _OBJECT

    def _local_values(self) -> tuple[Any, ...]:
        """∂self/∂child for each child as Values (or constant floats) that depend on the children:
        the op's rules evaluated on the nodes."""
        op = self._op
        if op.entry is None:  # a custom node: the derivatives it was given
            return op.params
        return op.entry.locals(VALUES, self, *self._prev, *op.params)

    def __repr__(self) -> str:
        name = f", label={self.label!r}" if self.label else ""
        grad = self.grad if type(self.grad) is float else float(self.grad)
        return f"Value(data={self.data:.6g}, grad={grad:.6g}{name})"

    # -- comparisons compare data and return plain bools; == stays identity
    def __lt__(self, other: Value | Number) -> bool:
        return self.data < (other.data if isinstance(other, Value) else other)

    def __le__(self, other: Value | Number) -> bool:
        return self.data <= (other.data if isinstance(other, Value) else other)

    def __gt__(self, other: Value | Number) -> bool:
        return self.data > (other.data if isinstance(other, Value) else other)

    def __ge__(self, other: Value | Number) -> bool:
        return self.data >= (other.data if isinstance(other, Value) else other)

    def __float__(self) -> float:
        return float(self.data)

    def __format__(self, spec: str) -> str:
        """Formats ``data`` (so ``f"{v:.3g}"`` works, e.g. on a gradient that is a Value)."""
        return format(self.data, spec) if spec else repr(self)

    # -- reverse mode
    def backward(self, grad: Number | Value = 1.0, create_graph: bool = False) -> None:
        """Accumulate ∂self/∂node into ``node.grad`` for every node of the graph.

        Gradients accumulate: leaves keep what earlier ``backward`` calls left
        in ``.grad`` and add to it (as in PyTorch), so call ``zero_grad``
        between training steps. Intermediate nodes show this pass's gradient.
        With ``create_graph=True`` the gradients are Values, built by the same
        rules, that can be differentiated again (as in PyTorch).
        """
        if is_tracing():
            refuse_backward("Value.backward()")
        if create_graph or isinstance(grad, Value):
            return _backward_graph(self, grad)
        seed = _as_float(grad, "Value.backward(grad)")
        with collector_paused():
            topo = _backward_order(self)  # (each of them has grad 0.0 now)
            self.grad += seed
            if _mode() & mode.ANOMALY:
                return _backward_checked(topo)
            for node in reversed(topo):  # chain rule: each input gets ∂node/∂input · grad(node)
                g, b = node.grad, node._b
                node._a.grad += node._da * g
                if b is not None:
                    b.grad += node._db * g

    def item(self) -> float:
        """The value as a Python float (as ``torch.Tensor.item``)."""
        return self.data


LEAF = Op("", None)
SELECTED_1 = Op("selected", None, (MASKED,))
SELECTED_2 = Op("selected", None, (MASKED, MASKED))


# ---------------------------------------------------------------------------
# The operations, generated from the table (autograd/ops): one method per op, with the float
# forward and the local derivatives inlined and _node's work written out (no call per node).
# ---------------------------------------------------------------------------
_NODE = """\
    node = _new(Value)
    node.data = out
    node.grad = 0.0
    node.label = None
    if _mode():
        return _special(node, {op}, {a}, da, {b}, {db})
    node._op = {op}
    node._a = {a}
    node._b = {b}
    node._da = da
    node._db = {db}
    return node
"""


def _body(entry: Elementwise, code: FloatCode, op: str, a: str, b: str, indent: str = "") -> str:
    """The lines computing ``out`` and the local derivatives, then the node, from locals named as
    the entry's inputs and params."""
    lines = [f"    out = {entry.float_forward(code)}"]
    lines += [f"    d{'ab'[i]} = {entry.float_local(i, code)}" for i in range(entry.arity)]
    db = "db" if entry.arity == 2 else "0.0"
    body = "\n".join(lines) + "\n" + _NODE.format(op=op, a=a, b=b, db=db)
    return "".join(indent + line for line in body.splitlines(keepends=True))


def _unary_source(entry: Elementwise, name: str, code: FloatCode) -> str:
    (x,) = entry.inputs
    params = "".join(f", {p}=None" for p in entry.params)
    lines = [f"def _{name}_(self{params}):"]
    if entry.plain:
        return "\n".join([*lines, f"    {x} = self.data", f"    return {entry.float_forward(code)}"]) + "\n"
    op = f"_op_{entry.name}"
    if entry.params:
        names = ", ".join(entry.params)
        lines.append(f"    ({names},) = _prepare({name!r}, 'Value', {names})")
        lines.append(f"    op = Op(_label_{entry.name}, _entry_{entry.name}, ({names},))")
        op = "op"
    lines.append(f"    {x} = self.data")
    return "\n".join(lines) + "\n" + _body(entry, code, op, "self", "None")


def _binary_source(entry: Elementwise, name: str, symbol: str, code: FloatCode, reflected: bool) -> str:
    x, y = entry.inputs
    lines = [f"def _{name}_(self, other):"]
    a, b = ("other", "self") if reflected else ("self", "other")
    if entry.plain:  # (a plain result: the number, no node)
        lines += [f"    {x} = _number({a}, {symbol!r})", f"    {y} = _number({b}, {symbol!r})"]
        return "\n".join([*lines, f"    return {entry.float_forward(code)}"]) + "\n"
    # an operator given an array (v * np.array([...])) leaves it to numpy's reflected operator, an
    # object array of Values, as `array * v` is (HIPS autograd's `scale * x` with a float scale)
    to_numpy = ["        if type(other) is _ndarray:", "            return NotImplemented"]
    to_numpy = to_numpy if name.startswith("__") else []
    if reflected:  # (a number on the left: a Value there goes to the left operand's method)
        lines.append(f"    other = _constant(other, {symbol!r})")
    elif entry.scalar is None:
        lines += [
            "    if not isinstance(other, Value):",
            *to_numpy,
            f"        other = _constant(other, {symbol!r})",
        ]
    else:  # a constant right operand: a node with one input, the variant's (x ** 2)
        variant = entry.scalar
        (k,) = variant.params
        lines += [
            "    if not isinstance(other, Value):",
            *to_numpy,
            f"        {k} = _as_float(other, 'Value {symbol} exponent')",
            f"        {x} = self.data",
            f"        op = Op(_label_{variant.key}, _entry_{variant.key}, ({k},))",
            _body(variant, code, "op", "self", "None", indent="    ").rstrip(),
        ]
    lines += [f"    {x} = {a}.data", f"    {y} = {b}.data"]
    return "\n".join(lines) + "\n" + _body(entry, code, f"_op_{entry.name}", a, b)


def _materialize(entry: Elementwise) -> None:
    """Generate the Value methods of ``entry`` as source, compile them (in one go) and set them."""
    entry.check()
    code = FloatCode()
    scope = code.scope
    scope.update(Value=Value, Op=Op, _new=_new_value, _mode=_mode, _special=_special)
    scope.update(_constant=_constant, _as_float=_as_float, _number=_number, _prepare=entry.prepare)
    scope.update(_ndarray=np.ndarray)
    for e in (entry, entry.scalar):
        if e is not None:
            scope[f"_op_{e.key}"] = Op(e.label, e)
            scope[f"_label_{e.key}"], scope[f"_entry_{e.key}"] = e.label, e
    sources = []
    for name, _, kind in methods_of(entry):
        if entry.arity == 1:
            sources.append((name, _unary_source(entry, name, code)))
        else:
            symbol = entry.operator if name.startswith("__") else entry.name
            sources.append((name, _binary_source(entry, name, symbol, code, kind == "reflected")))
    methods = define(sources, scope, "Value", __name__)
    for name, aliases, _ in methods_of(entry):
        method = named(methods[name], name, "Value", __name__, entry)
        for n in (name, *aliases):
            setattr(Value, n, method)
    vars(VALUES)[entry.name] = entry.float_callable() if entry.plain else getattr(Value, entry.name)


def _install(entries: Sequence[Elementwise | Composed]) -> None:
    """Set the Value methods of ``entries``. Each is compiled when one of its entry's methods is
    first called (so importing the engine compiles only what is used): until then a stub with the
    method's name, signature and docstring stands in. A composed op's method calls its ops."""
    for entry in entries:
        for name, aliases, kind in methods_of(entry):
            method = named(entry.method(), name, "Value", __name__, entry) if kind == "composed" else None
            method = method or _stub(entry, name)
            for n in (name, *aliases):
                setattr(Value, n, method)
        plain = entry.float_callable() if entry.plain else None
        vars(VALUES)[entry.name] = plain or getattr(Value, entry.name)


def _stub(entry: Elementwise, name: str) -> Any:
    def method(self: Value, *args: Any, **kwargs: Any) -> Any:
        if getattr(Value, name) is method or vars(VALUES).get(entry.name) is method:
            _materialize(entry)
        return getattr(Value, name)(self, *args, **kwargs)

    return named(method, name, "Value", __name__, entry)


def _special(out: Value, op: Op, a: Value, da: Any, b: Value | None, db: Any) -> Value:
    flags = _mode()
    if flags & mode.NO_GRAD:
        out._op, out._a, out._b, out._da, out._db = LEAF, None, None, 0.0, 0.0
    else:
        out._op, out._a, out._b, out._da, out._db = op, a, b, da, db
    if flags & mode.ANOMALY and not math.isfinite(out.data):
        raise mode.anomaly_error(op.name, "forward", f"result {out.data}")
    return out


def _node(data: float, op: Op, a: Value, da: Any, b: Value | None = None, db: Any = 0.0) -> Value:
    """The result ``data`` of ``op`` on inputs a (and b), with ∂data/∂a (and ∂data/∂b)."""
    out = _new_value(Value)
    out.data, out.grad, out.label = data, 0.0, None
    if _mode():  # no_grad or detect_anomaly
        return _special(out, op, a, da, b, db)
    out._op, out._a, out._b, out._da, out._db = op, a, b, da, db
    return out


def _num(x: Any) -> Any:
    return x.data if isinstance(x, Value) else x


#: the number system the rules run in on Value nodes (create_graph): each table op by name (the
#: Value method; a plain op's float forward, applied to ``num(x)``), ``num`` (a node's number)
_VALUES_BASE = {"name": "values", "num": _num, "pow": lambda a, b: a**b}
VALUES = SimpleNamespace(**_VALUES_BASE)
ops.generate(_install)


def _computed_nodes(roots: Iterable[Value]) -> list[Value]:
    """The non-leaf nodes reachable from ``roots``, each after its inputs.

    An iterative depth-first search (any depth works) that visits ``a``
    before ``b``: the order :func:`autograd.graph.toposort` gives, without
    the leaves. It reads the ``_a``/``_b`` slots directly; the shared sort,
    which goes through the ``_prev`` tuple each node builds on request, takes
    2.8x as long on a 100,000-node chain. (``backward`` walks the same way
    with :func:`_backward_order`, which keeps no set.)
    """
    order: list[Value] = []
    visited: set[Value] = set()
    seen, done = visited.add, order.append
    for root in roots:
        if root._a is None or root in visited:
            continue
        seen(root)
        path: list[Value] = []
        descend, ascend = path.append, path.pop
        node = root
        while True:
            a = node._a
            if a._a is not None and a not in visited:
                seen(a)
                descend(node)
                node = a
                continue
            b = node._b
            if b is not None and b._a is not None and b not in visited:
                seen(b)
                descend(node)
                node = b
                continue
            done(node)
            if not path:
                break
            node = ascend()
    return order


class _Zero(float):
    """0.0, one object per backward pass: a computed node's ``grad`` is set to it when the walk
    reaches the node, which both marks it visited and starts its sum (see :func:`_backward_order`)."""

    __slots__ = ()


def _backward_order(root: Value) -> list[Value]:
    """:func:`_computed_nodes` of ``root`` (the same nodes, in the same order), with every node's
    ``grad`` set to 0.0 on the way: what ``backward`` needs, a third faster.

    The visited set is the ``grad`` slot itself: a node is visited when its grad is this pass's
    zero object, so no set is built and no separate loop resets the gradients. (A pass interrupted
    midway leaves that zero in some grads; the next pass has its own, so it walks them again.)
    """
    order: list[Value] = []
    if root._a is None:
        return order
    zero = _Zero(0.0)
    root.grad = zero
    path: list[Value] = []  # the nodes from the root down to (not including) the one being expanded
    descend, ascend, done = path.append, path.pop, order.append
    node = root
    while True:
        a = node._a
        if a._a is not None and a.grad is not zero:
            a.grad = zero
            descend(node)
            node = a
            continue
        b = node._b
        if b is not None and b._a is not None and b.grad is not zero:
            b.grad = zero
            descend(node)
            node = b
            continue
        done(node)  # (its inputs are done: it comes after them)
        if not path:
            return order
        node = ascend()


def _backward_checked(topo: list[Value]) -> None:
    for node in topo:  # (plain floats: a masked input is skipped below, and would keep the marker)
        node.grad = float(node.grad)
    for node in reversed(topo):
        g = node.grad
        for child, local in zip(node._prev, node.local_grads):
            if local is MASKED:
                continue
            contribution = local * g
            if not math.isfinite(contribution):
                raise mode.anomaly_error(
                    node._op.name, "backward", f"local derivative {local} times incoming gradient {g}"
                )
            child.grad += contribution


# ---------------------------------------------------------------------------
# Differentiable backward (create_graph=True, autograd.grad): local derivatives as Values.
# ---------------------------------------------------------------------------
def _times(local: Any, g: Any) -> Any:
    """local · g, without a graph node for a factor of 1 or -1."""
    if type(local) is float:
        if local == 1.0:
            return g
        if local == -1.0:
            return -g
    if type(g) is float and g == 1.0:
        return local
    return local * g


def vjp_pass(roots: list[Value], seeds: list[Any], create_graph: bool) -> tuple[dict[int, Any], list[Value]]:
    """∂(Σ seed·root)/∂node for the nodes reachable from ``roots``, keyed by ``id(node)``.

    Returns that dict and the computed nodes (inputs first); an input reached only through
    masked edges is absent. With ``create_graph`` the local derivatives are Values (recorded
    even under ``no_grad``, as PyTorch does), otherwise the floats stored in the forward pass.
    """
    if not create_graph and is_tracing():
        refuse_backward("a gradient as numbers (create_graph=False)")
    topo = _computed_nodes(roots)
    grads: dict[int, Any] = {}
    for root, seed in zip(roots, seeds):
        old = grads.get(id(root))
        grads[id(root)] = seed if old is None else old + seed
    check = bool(_mode() & mode.ANOMALY)
    with mode.enable_grad(create_graph), collector_paused():
        for node in reversed(topo):
            g = grads.get(id(node))
            if g is None:
                continue
            locals_ = node._local_values() if create_graph else node.local_grads
            selects = node._op.selected if create_graph else (False, False)
            for child, local, selected in zip(node._prev, locals_, selects):
                if selected and type(local) is not Value:  # (a float, or MASKED: a masked share is 0)
                    c = _selected(0.0, node) if local is MASKED else _times(_selected(local, node), g)
                elif local is MASKED:
                    continue
                else:
                    c = _times(local, g)
                if check and not math.isfinite(float(c)):
                    raise mode.anomaly_error(
                        node._op.name, "backward",
                        f"local derivative {float(local)} times incoming gradient {float(g)}",
                    )  # fmt: skip
                old = grads.get(id(child))
                grads[id(child)] = c if old is None else old + c
    return grads, topo


def _selected(local: float, node: Value) -> Value:
    """The constant ``local`` as a node depending on ``node``'s inputs with derivative 0 (relu's
    step, abs's sign, a clip or max mask): as in PyTorch, the create_graph gradient of a
    piecewise-linear function is a node, and its own derivative is 0."""
    a, b = node._a, node._b
    return _node(float(local), SELECTED_1 if b is None else SELECTED_2, a, MASKED, b, MASKED)


def _backward_graph(root: Value, grad: Any) -> None:
    """``root.backward(grad, create_graph=True)``: every ``.grad`` becomes a Value."""
    seed = grad if isinstance(grad, Value) else _as_float(grad, "Value.backward(grad)")
    grads, topo = vjp_pass([root], [seed], create_graph=True)
    leaves = {id(x): x for node in topo for x in node._prev if x._a is None}
    if root._a is None:
        leaves[id(root)] = root
    for node in topo:
        node.grad = as_value(grads.get(id(node), 0.0))
    for key, leaf in leaves.items():
        if key in grads:
            old, g = leaf.grad, grads[key]
            leaf.grad = as_value(g if type(old) is float and old == 0.0 else old + g)


def as_value(x: Any) -> Value:
    """``x`` as a Value (a number becomes a constant leaf)."""
    return x if isinstance(x, Value) else Value(x)


def zero_grad(nodes: Iterable[Value] | Value) -> None:
    """Set ``.grad`` to 0.0 on the given Value(s), or on every node of a graph's root."""
    if isinstance(nodes, Value):
        nodes = toposort(nodes)
    for node in nodes:
        node.grad = 0.0
