"""Gradient checking: the engine's gradients against central finite differences."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from ._tensor import Tensor
from .grad_mode import no_grad
from .value import Value
from .value_array import ValueArray

_NODES = (Value, Tensor, ValueArray)


class GradcheckError(AssertionError):
    """Raised by :func:`gradcheck` when an analytic and a numeric derivative disagree."""


def _outputs(result: Any, picked: tuple[int, ...] | None = None) -> tuple[list[Any], np.ndarray]:
    """The output's nodes to call backward on (a Value's elements; the Tensors) and its data, one
    flat array. A tuple of Tensors (torch's several outputs): those at ``picked``, end to end."""
    if isinstance(result, Value):
        return [result], np.array([result.data])
    if isinstance(result, ValueArray):
        return list(result.values.flat), result.data.ravel()
    if isinstance(result, Tensor):
        return [result], result.data.ravel().copy()
    if isinstance(result, tuple) and picked is not None and all(isinstance(t, Tensor) for t in result):
        nodes = [result[k] for k in picked]
        return nodes, np.concatenate([np.ravel(t.data).astype(np.float64) for t in nodes] or [np.zeros(0)])
    raise TypeError(
        f"gradcheck: f must return a Value, ValueArray or Tensor, got {type(result).__name__} (or a tuple "
        "of Tensors, as a custom Function's several outputs)"
    )


def _differentiable(result: Any) -> tuple[int, ...] | None:
    """(A tuple of Tensors) the positions of the outputs that require grad, as torch checks them."""
    if not isinstance(result, tuple):
        return None
    return tuple(k for k, t in enumerate(result) if isinstance(t, Tensor) and t.requires_grad)


def _output_name(nodes: list[Any], picked: tuple[int, ...] | None, j: int) -> str:
    """``output[j]``, or for several Tensor outputs ``output k[index]``."""
    if picked is None:
        return f"output[{j}]"
    k, i = _element(nodes, j)
    index = tuple(int(n) for n in np.unravel_index(i, nodes[k].data.shape))
    return f"output {picked[k]}{list(index)}"


def _element(nodes: list[Any], j: int) -> tuple[int, int]:
    """Element ``j`` of several Tensor outputs laid end to end: (which output, its flat index)."""
    for k, t in enumerate(nodes):
        if j < t.data.size:
            return k, j
        j -= t.data.size
    raise IndexError(j)


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
        g = self.node._grad
        return np.zeros(self.size) if g is None else np.ravel(g).astype(np.float64)

    def save(self) -> list[Any]:
        return [self.node._grad] if isinstance(self.node, Tensor) else [v.grad for v in self.elements]

    def restore(self, saved: list[Any]) -> None:
        if isinstance(self.node, Tensor):
            self.node._grad = saved[0]
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


def _first_mismatch(
    f: Callable[..., Any], inputs: tuple[Any, ...], slots: list[_Slot], eps: float, atol: float, rtol: float
) -> tuple[int, _Slot, int, float, float, str] | None:
    """The first (output element, slot, input element, analytic, numeric, the output element's name)
    that disagree, or None."""
    # analytic Jacobian, one output element at a time
    result = f(*inputs)
    picked = _differentiable(result)
    nodes, out = _outputs(result, picked)
    analytic = [np.zeros((out.size, s.size)) for s in slots]
    for j in range(out.size):
        for s in slots:
            s.clear()
        if isinstance(nodes[0], Tensor):
            k, i = _element(nodes, j)
            if not nodes[k].requires_grad:  # (depends on no input)
                continue
            seed = np.zeros(nodes[k].data.size)
            seed[i] = 1.0
            nodes[k].backward(seed.reshape(nodes[k].data.shape))
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
                plus = _outputs(f(*inputs), picked)[1]
                s.set(i, x - eps)
                minus = _outputs(f(*inputs), picked)[1]
                s.set(i, x)
                numeric = (plus - minus) / (2 * eps)
                bad = np.flatnonzero(~(np.abs(jac[:, i] - numeric) <= atol + rtol * np.abs(numeric)))
                if bad.size:
                    j = int(bad[0])
                    return j, s, i, float(jac[j, i]), float(numeric[j]), _output_name(nodes, picked, j)
    return None


def _torch_form(inputs: tuple[Any, ...]) -> tuple[Any, ...]:
    """torch's spelling ``gradcheck(f, (x, y))``, one tuple of the inputs, as this module's
    ``gradcheck(f, x, y)``."""
    if len(inputs) == 1 and isinstance(inputs[0], tuple) and any(isinstance(x, _NODES) for x in inputs[0]):
        return inputs[0]
    return inputs


def _check_inputs(inputs: tuple[Any, ...], what: str) -> list[_Slot]:
    slots = list(_slots(inputs))
    if not slots:
        raise ValueError(
            f"{what}: expected at least one Value, ValueArray or Tensor with requires_grad=True among "
            f"the inputs, got {[type(x).__name__ for x in inputs]}"
        )
    return slots


def gradcheck(
    f: Callable[..., Any],
    *inputs: Any,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    r"""Check the engine's first derivatives against central finite differences
    (``torch.autograd.gradcheck``).

    Every element of the Jacobian of ``f`` with respect to each Value, and each Tensor with
    ``requires_grad``, is compared with

    .. math::

        \frac{f(x + \varepsilon) - f(x - \varepsilon)}{2 \varepsilon}, \qquad
        |\text{analytic} - \text{numeric}| \le \text{atol} + \text{rtol}\,|\text{numeric}|.

    Parameters
    ----------
    f : callable
        A function of the inputs (any output shape), or of several Tensor outputs (a tuple, as a
        custom ``Function`` returns): those that require grad are checked, as in torch.
    *inputs : Value, Tensor, ValueArray or array_like
        The arguments; the differentiable ones are checked, the rest passed as they are. torch's
        form, one tuple of them (``gradcheck(f, (x, y))``), is read the same way.
    eps : float
        The finite-difference step (default 1e-6).
    atol, rtol : float
        The absolute and relative tolerances (default 1e-5, 1e-3).
    raise_exception : bool
        Raise on the first disagreement (default); else return False.

    Returns
    -------
    bool
        True when every element agrees.

    Raises
    ------
    GradcheckError
        On the first disagreement: it names the input, the element, the output element and
        both numbers.
    ValueError
        If no input is differentiable.
    """
    inputs = _torch_form(inputs)
    slots = _check_inputs(inputs, "gradcheck")
    saved = [s.save() for s in slots]
    try:
        found = _first_mismatch(f, inputs, slots, eps, atol, rtol)
    finally:
        for s, g in zip(slots, saved):
            s.restore(g)
    if found is None:
        return True
    if not raise_exception:
        return False
    j, s, i, analytic, numeric, output = found
    raise GradcheckError(
        f"gradcheck: d({output})/d({s.where(i)}) disagrees: analytic {analytic!r}, numeric {numeric!r} "
        f"(|difference| {abs(analytic - numeric):.3g} > atol {atol} + rtol {rtol} * |numeric|)"
    )


def gradgradcheck(
    f: Callable[..., Any],
    *inputs: Any,
    grad_outputs: Any = None,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    seed: int = 0,
) -> bool:
    r"""Check second derivatives against central finite differences of the gradient
    (``torch.autograd.gradgradcheck``).

    The gradient :math:`\langle u, \partial f / \partial x \rangle` is built with
    ``create_graph=True`` and its derivative compared, element by element, with finite differences
    of that gradient.

    Parameters
    ----------
    f : callable
        A function of the inputs (a tuple of Tensors: those that require grad are checked).
    *inputs : Value, Tensor, ValueArray or array_like
        The arguments; the differentiable ones are checked. torch's form, one tuple of them and
        optionally ``grad_outputs`` after it (``gradgradcheck(f, (x,), (u,))``), is read the same way.
    grad_outputs : array_like, optional
        The vector :math:`u` of ``f``'s output shape, one per checked output for a tuple (default:
        random numbers from ``seed``).
    eps : float
        The finite-difference step (default 1e-6).
    atol, rtol : float
        The absolute and relative tolerances (default 1e-5, 1e-3).
    raise_exception : bool
        Raise on the first disagreement (default); else return False.
    seed : int
        The seed of the default ``grad_outputs``.

    Returns
    -------
    bool
        True when every element agrees.

    Raises
    ------
    GradcheckError
        On the first disagreement: it names which input's gradient and element, which input and
        element it was differentiated by, and both numbers.
    ValueError
        If no input is differentiable.
    """
    from .functional import grad  # (functional imports this module's neighbours)
    from .grad_mode import enable_grad

    if len(inputs) == 2 and isinstance(inputs[0], tuple) and grad_outputs is None:  # (torch's form)
        inputs, grad_outputs = _torch_form(inputs[:1]), inputs[1]
    inputs = _torch_form(inputs)
    slots = _check_inputs(inputs, "gradgradcheck")
    wrt = [s.node for s in slots]
    out = f(*inputs)
    if isinstance(grad_outputs, tuple) and len(grad_outputs) == 1 and not isinstance(out, tuple):
        grad_outputs = grad_outputs[0]  # (torch's: one per output)
    picked = _differentiable(out)  # (several Tensor outputs: u is one array per differentiable one)
    if picked is not None:
        shape: Any = [out[k].shape for k in picked]
        rng = np.random.default_rng(seed)
        u = [rng.normal(size=sh) for sh in shape] if grad_outputs is None else list(grad_outputs)
    else:
        shape = out.shape if isinstance(out, (Tensor, ValueArray)) else ()
        u = np.random.default_rng(seed).normal(size=shape) if grad_outputs is None else grad_outputs
    if isinstance(out, ValueArray) and isinstance(u, np.ndarray) and u.dtype != object:
        u = u.astype(np.float64)

    def first_order(*xs: Any) -> Any:
        with enable_grad():
            result = f(*xs)
            outs = result if picked is None else [result[k] for k in picked]
            gs = grad(outs, wrt, u, create_graph=True, allow_unused=True, materialize_grads=True)
        if isinstance(gs[0], Tensor):
            from ._tensor import concatenate

            return concatenate([g.reshape(-1) for g in gs])
        flat: list[Any] = []
        for g in gs:
            flat += list(g.values.flat) if isinstance(g, ValueArray) else [g]
        return ValueArray(flat)

    saved = [s.save() for s in slots]
    try:
        found = _first_mismatch(first_order, inputs, slots, eps, atol, rtol)
    finally:
        for s, g in zip(slots, saved):
            s.restore(g)
    if found is None:
        return True
    if not raise_exception:
        return False
    j, s, i, analytic, numeric, _ = found
    for k in slots:  # which input's gradient holds element j of the concatenated gradients
        if j < k.size:
            break
        j -= k.size
    raise GradcheckError(
        f"gradgradcheck: d(∂L/∂({k.where(j)}))/d({s.where(i)}) disagrees: analytic {analytic!r}, "
        f"numeric {numeric!r} (|difference| {abs(analytic - numeric):.3g} > atol {atol} + rtol {rtol} * "
        f"|numeric|; L = ⟨grad_outputs, f⟩)"
    )
