"""``Value``: a scalar node of the computation graph (micrograd-compatible).

Every operation computes its result and, right beside it, the local
derivatives ``∂out/∂input`` for each input, in input order. ``backward``
multiplies them along the graph (the chain rule); nothing else about
derivatives is written anywhere.

Edge cases follow PyTorch: ``relu'(0) = 0``, ``abs'(0) = 0``, ``x ** 0`` has
gradient 0 everywhere (also at ``x = 0``), ``log(0) = -inf``, division by zero
gives ``±inf``/``nan``, a negative base with a fractional exponent gives
``nan`` (never a complex number), and overflow gives ``inf``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Real
from typing import Union

from . import mode
from .graph import collector_paused, toposort

Number = Union[int, float]
INF = math.inf
NAN = math.nan


# --- IEEE-style float helpers: Python's math raises where PyTorch returns inf/nan.
def _div(a: float, b: float) -> float:
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0 or a != a:
            return NAN
        return math.copysign(INF, a) * math.copysign(1.0, b)


def _odd_integer(b: float) -> bool:
    return math.isfinite(b) and b == int(b) and int(b) % 2 == 1


def _pow(a: float, b: float) -> float:
    try:
        r = a**b
    except ZeroDivisionError:  # 0.0 ** negative
        return math.copysign(INF, a) if _odd_integer(b) else INF
    except OverflowError:  # (a negative base with a fractional exponent overflows as a complex)
        return NAN if (a < 0 and b != int(b)) else -INF if (a < 0 and _odd_integer(b)) else INF
    return NAN if isinstance(r, complex) else r


def _log(a: float) -> float:
    if a > 0:
        return math.log(a)
    return -INF if a == 0 else NAN


def _exp(a: float) -> float:
    try:
        return math.exp(a)
    except OverflowError:
        return INF


def _sigmoid(a: float) -> float:
    if a >= 0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)


def _as_float(x: object, what: str) -> float:
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"{what}: expected a real number (int or float), got {type(x).__name__} {x!r}")
    return float(x)


class Value:
    """A scalar that remembers how it was computed.

    ``data`` is the float value, ``grad`` the accumulated ∂root/∂self (0.0
    until ``backward``), ``label`` an optional name used in drawings, ``op``
    the operation that produced it and ``children`` its inputs, in order.
    """

    __slots__ = ("data", "grad", "label", "_prev", "_local", "_op")

    def __init__(
        self,
        data: Number,
        label: str | None = None,
        _prev: tuple[Value, ...] = (),
        _local: tuple[float, ...] = (),
        _op: str = "",
    ) -> None:
        if type(data) is not float:
            data = _as_float(data, "Value(data)")
        self.data = data
        self.grad = 0.0
        self.label = label
        if mode.recording:
            self._prev, self._local, self._op = _prev, _local, _op
        else:
            self._prev, self._local, self._op = (), (), ""
        if mode.anomaly and _prev and not math.isfinite(data):
            raise mode.anomaly_error(_op, "forward", f"result {data}")

    # -- graph structure, read-only
    @property
    def op(self) -> str:
        """Name of the operation that produced this node ('' for a leaf)."""
        return self._op

    @property
    def children(self) -> tuple[Value, ...]:
        """The inputs of the operation that produced this node, in order."""
        return self._prev

    @property
    def local_grads(self) -> tuple[float, ...]:
        """∂self/∂child for each child, as computed in the forward pass."""
        return self._local

    def __repr__(self) -> str:
        name = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{name})"

    # -- arithmetic: out = f(a, b), followed by (∂out/∂a, ∂out/∂b)
    def __add__(self, other: Value | Number) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, None, (self, other), (1.0, 1.0), "+")

    def __sub__(self, other: Value | Number) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data - other.data, None, (self, other), (1.0, -1.0), "-")

    def __mul__(self, other: Value | Number) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, None, (self, other), (other.data, self.data), "*")

    def __truediv__(self, other: Value | Number) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        out, inv = _div(self.data, other.data), _div(1.0, other.data)
        return Value(out, None, (self, other), (inv, -out * inv), "/")

    def __pow__(self, other: Value | Number) -> Value:
        if not isinstance(other, Value):  # a ** k with a constant k
            k = _as_float(other, "Value ** exponent")
            a = self.data
            local = 0.0 if k == 0 else k * _pow(a, k - 1)
            return Value(_pow(a, k), None, (self,), (local,), f"**{other:g}")
        a, b = self.data, other.data
        out = _pow(a, b)
        d_a = 0.0 if b == 0 else b * _pow(a, b - 1)
        d_b = 0.0 if (a == 0 and b >= 0) else out * _log(a)
        return Value(out, None, (self, other), (d_a, d_b), "**")

    def __neg__(self) -> Value:
        return Value(-self.data, None, (self,), (-1.0,), "neg")

    def __radd__(self, other: Number) -> Value:
        return Value(other) + self

    def __rsub__(self, other: Number) -> Value:
        return Value(other) - self

    def __rmul__(self, other: Number) -> Value:
        return Value(other) * self

    def __rtruediv__(self, other: Number) -> Value:
        return Value(other) / self

    def __rpow__(self, other: Number) -> Value:
        return Value(other) ** self

    # -- unary functions: out = f(a), followed by (f'(a),)
    def exp(self) -> Value:
        out = _exp(self.data)
        return Value(out, None, (self,), (out,), "exp")

    def log(self) -> Value:
        a = self.data
        return Value(_log(a), None, (self,), (_div(1.0, a),), "log")

    def log1p(self) -> Value:
        a = self.data
        out = math.log1p(a) if a > -1 else (-INF if a == -1 else NAN)
        return Value(out, None, (self,), (_div(1.0, 1.0 + a),), "log1p")

    def sqrt(self) -> Value:
        a = self.data
        out = math.sqrt(a) if a >= 0 else NAN
        return Value(out, None, (self,), (_div(0.5, out),), "sqrt")

    def tanh(self) -> Value:
        out = math.tanh(self.data)
        return Value(out, None, (self,), (1.0 - out * out,), "tanh")

    def sigmoid(self) -> Value:
        out = _sigmoid(self.data)
        return Value(out, None, (self,), (out * (1.0 - out),), "sigmoid")

    def relu(self) -> Value:
        a = self.data
        return Value(a if a > 0 else 0.0, None, (self,), (1.0 if a > 0 else 0.0,), "relu")

    def abs(self) -> Value:
        a = self.data
        sign = 1.0 if a > 0 else (-1.0 if a < 0 else 0.0)
        return Value(abs(a), None, (self,), (sign,), "abs")

    __abs__ = abs

    def softplus(self) -> Value:
        """log(1 + e^a), computed as max(a, 0) + log1p(e^-|a|)."""
        a = self.data
        out = max(a, 0.0) + math.log1p(math.exp(-abs(a)))
        return Value(out, None, (self,), (_sigmoid(a),), "softplus")

    def clip(self, min: Number | None = None, max: Number | None = None) -> Value:
        """Clamp into [min, max]; the gradient is 1 inside (bounds included), 0 outside."""
        a, out = self.data, self.data
        if min is not None and a < min:
            out = float(min)
        if max is not None and out > max:  # min > max gives max, as torch.clamp
            out = float(max)
        inside = (min is None or a >= min) and (max is None or a <= max)
        return Value(out, None, (self,), (1.0 if inside else 0.0,), "clip")

    def maximum(self, other: Value | Number) -> Value:
        """Elementwise max; at a tie the gradient is split evenly (as PyTorch)."""
        other = other if isinstance(other, Value) else Value(other)
        a, b = self.data, other.data
        d = (1.0, 0.0) if a > b else (0.0, 1.0) if a < b else (0.5, 0.5)
        return Value(a if a >= b else b, None, (self, other), d, "max")

    def minimum(self, other: Value | Number) -> Value:
        """Elementwise min; at a tie the gradient is split evenly (as PyTorch)."""
        other = other if isinstance(other, Value) else Value(other)
        a, b = self.data, other.data
        d = (1.0, 0.0) if a < b else (0.0, 1.0) if a > b else (0.5, 0.5)
        return Value(a if a <= b else b, None, (self, other), d, "min")

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
        return self.data

    # -- reverse mode
    def backward(self, grad: Number = 1.0) -> None:
        """Accumulate ∂self/∂node into ``node.grad`` for every node of the graph.

        Gradients accumulate: leaves keep what earlier ``backward`` calls left
        in ``.grad`` and add to it (as in PyTorch), so call ``zero_grad``
        between training steps. Intermediate nodes show this pass's gradient.
        """
        seed = _as_float(grad, "Value.backward(grad)")
        with collector_paused():
            topo = toposort(self)
            for node in topo:
                if node._prev:
                    node.grad = 0.0
            self.grad += seed
            if mode.anomaly:
                return _backward_checked(topo)
            for node in reversed(topo):
                g, children = node.grad, node._prev
                if len(children) == 2:  # binary ops, the common case: unrolled (zip costs 2x)
                    (a, b), (local_a, local_b) = children, node._local
                    a.grad += local_a * g
                    b.grad += local_b * g
                    continue
                for child, local in zip(children, node._local):
                    child.grad += local * g


def _backward_checked(topo: list[Value]) -> None:
    for node in reversed(topo):
        g = node.grad
        for child, local in zip(node._prev, node._local):
            contribution = local * g
            if not math.isfinite(contribution):
                raise mode.anomaly_error(
                    node._op, "backward", f"local derivative {local} times incoming gradient {g}"
                )
            child.grad += contribution


def zero_grad(nodes: Iterable[Value] | Value) -> None:
    """Set ``.grad`` to 0.0 on the given Value(s), or on every node of a graph's root."""
    if isinstance(nodes, Value):
        nodes = toposort(nodes)
    for node in nodes:
        node.grad = 0.0
