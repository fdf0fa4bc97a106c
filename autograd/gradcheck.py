"""Gradient checking: the engine's gradients against central finite differences."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from .mode import no_grad
from .tensor import Tensor
from .value import Value
from .value_array import ValueArray


class GradcheckError(AssertionError):
    """Raised by :func:`gradcheck` when an analytic and a numeric derivative disagree."""


def _outputs(result: Any) -> tuple[list[Any], np.ndarray]:
    """The output's scalar nodes (to call backward on) and its data."""
    if isinstance(result, Value):
        return [result], np.array([result.data])
    if isinstance(result, ValueArray):
        return list(result.values.flat), result.data.ravel()
    if isinstance(result, Tensor):
        return [result], result.data.ravel().copy()
    raise TypeError(f"gradcheck: f must return a Value, ValueArray or Tensor, got {type(result).__name__}")


class _Slot:
    """One checked input: a Value, a Tensor, or a ValueArray (its elements)."""

    def __init__(self, node: Value | Tensor | ValueArray, position: int) -> None:
        self.node, self.position = node, position
        label = getattr(node, "label", None)
        self.name = f"input {position}" + (f" ('{label}')" if label else "")
        self.elements = list(node.values.flat) if isinstance(node, ValueArray) else [node]
        self.size = node.data.size if isinstance(node, Tensor) else len(self.elements)

    def get(self, i: int) -> float:
        return float(self.node.data.flat[i]) if isinstance(self.node, Tensor) else self.elements[i].data

    def set(self, i: int, x: float) -> None:
        if isinstance(self.node, Tensor):
            self.node.data.flat[i] = x
        else:
            self.elements[i].data = x

    def grad(self) -> np.ndarray:
        if not isinstance(self.node, Tensor):
            return np.array([v.grad for v in self.elements])
        g = self.node.grad
        return np.zeros(self.size) if g is None else g.ravel().astype(np.float64)

    def save(self) -> list[Any]:
        return [self.node.grad] if isinstance(self.node, Tensor) else [v.grad for v in self.elements]

    def restore(self, saved: list[Any]) -> None:
        if isinstance(self.node, Tensor):
            self.node.grad = saved[0]
        else:
            for v, g in zip(self.elements, saved):
                v.grad = g

    def clear(self) -> None:
        self.restore([None] if isinstance(self.node, Tensor) else [0.0] * self.size)

    def where(self, i: int) -> str:
        if isinstance(self.node, Value):
            return self.name
        shape = self.node.data.shape if isinstance(self.node, Tensor) else self.node.shape
        return f"{self.name}, element {tuple(int(k) for k in np.unravel_index(i, shape))}"


def _slots(inputs: tuple[Any, ...]) -> Iterator[_Slot]:
    for k, x in enumerate(inputs):
        if isinstance(x, (Value, ValueArray)) or (isinstance(x, Tensor) and x.requires_grad):
            if isinstance(x, Tensor) and x.data.dtype != np.float64:
                raise ValueError(
                    f"gradcheck: input {k} has dtype {x.data.dtype}; finite differences need float64 "
                    "(create it with dtype='float64')"
                )
            yield _Slot(x, k)


def gradcheck(
    f: Callable[..., Any],
    *inputs: Any,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    """Check ∂f/∂input for every Value and every Tensor with ``requires_grad``.

    Each element of the full Jacobian is compared with the central difference
    ``(f(x + eps) - f(x - eps)) / (2 eps)``; they agree when
    ``|analytic - numeric| <= atol + rtol * |numeric|``. On the first
    disagreement a :class:`GradcheckError` names the input, the element, the
    output element and both numbers (or ``False`` is returned when
    ``raise_exception=False``). Like ``torch.autograd.gradcheck``.
    """
    slots = list(_slots(inputs))
    if not slots:
        raise ValueError(
            "gradcheck: expected at least one Value, ValueArray or Tensor with requires_grad=True among "
            f"the inputs, got {[type(x).__name__ for x in inputs]}"
        )
    saved = [s.save() for s in slots]
    try:
        # analytic Jacobian, one output element at a time
        nodes, out = _outputs(f(*inputs))
        analytic = [np.zeros((out.size, s.size)) for s in slots]
        for j in range(out.size):
            for s in slots:
                s.clear()
            if isinstance(nodes[0], Tensor):
                seed = np.zeros(out.size)
                seed[j] = 1.0
                nodes[0].backward(seed.reshape(nodes[0].data.shape))
            else:
                nodes[j].backward()
            for s, jac in zip(slots, analytic):
                jac[j] = s.grad()
        # numeric Jacobian by central differences
        with no_grad():
            for s, jac in zip(slots, analytic):
                for i in range(s.size):
                    x = s.get(i)
                    s.set(i, x + eps)
                    plus = _outputs(f(*inputs))[1]
                    s.set(i, x - eps)
                    minus = _outputs(f(*inputs))[1]
                    s.set(i, x)
                    numeric = (plus - minus) / (2 * eps)
                    bad = np.flatnonzero(~(np.abs(jac[:, i] - numeric) <= atol + rtol * np.abs(numeric)))
                    if bad.size:
                        j = bad[0]
                        if not raise_exception:
                            return False
                        raise GradcheckError(
                            f"gradcheck: d(output[{j}])/d({s.where(i)}) disagrees: "
                            f"analytic {float(jac[j, i])!r}, numeric {float(numeric[j])!r} "
                            f"(|difference| {abs(jac[j, i] - numeric[j]):.3g} > "
                            f"atol {atol} + rtol {rtol} * |numeric|)"
                        )
        return True
    finally:
        for s, g in zip(slots, saved):
            s.restore(g)
