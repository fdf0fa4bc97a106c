"""``torch.autograd.Function``: an operation whose backward pass you write yourself.

Subclass :class:`Function` with two static methods, as in PyTorch::

    class LegendrePolynomial3(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return 0.5 * (5 * x**3 - 3 * x)

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * 1.5 * (5 * x**2 - 1)

    y = LegendrePolynomial3.apply(x)

``forward`` runs without recording a graph; each Tensor it returns becomes one node of the graph,
whose rule is ``backward``: it receives one gradient per output and returns one per input of
``forward`` (None for an input that needs none). Written with Tensor operations, ``backward`` is
itself differentiable: under ``backward(create_graph=True)`` it runs with the graph recorded, so
second derivatives (``gradgradcheck``) go through it, as in PyTorch. :func:`once_differentiable`
marks a backward that is not.

Check a hand-written ``backward`` against the engine's finite differences with
:func:`autograd.gradcheck` (and ``gradgradcheck`` for its derivative).

Differences from PyTorch: a function with several differentiable outputs calls ``backward`` once
per output that receives a gradient (the others' gradients as zeros, or None after
``ctx.set_materialize_grads(False)``), which by linearity gives the same gradients; ``mark_dirty``
(in-place outputs) is not supported; a compiled step (``autograd.compile``) refuses a custom
function.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._tensor import Tensor
from ..graph import CompileError, is_tracing
from ..mode import enable_grad, is_grad_enabled, no_grad
from ..ops import ARRAYS, PerInput, Primitive

__all__ = ["Function", "FunctionCtx", "once_differentiable"]


class FunctionCtx:
    """What ``forward`` hands to ``backward`` (torch's ``ctx``): tensors saved with
    ``save_for_backward``, any attribute set on it (``ctx.constant = 2``), and
    ``needs_input_grad``, one bool per input of ``forward`` (whether it requires grad)."""

    def __init__(self, needs_input_grad: tuple[bool, ...]) -> None:
        self.needs_input_grad = needs_input_grad
        self._saved: tuple[Any, ...] = ()
        self._non_differentiable: set[int] = set()
        self.materialize_grads = True
        #: per output k: [the gradient given, backward's result, the inputs' VJPs still to read it]
        self._cache: dict[int, list[Any]] = {}

    def save_for_backward(self, *tensors: Any) -> None:
        """Keep ``tensors`` (inputs or outputs of ``forward``, or None) for ``backward``.

        Raises:
            TypeError: one of them is neither a Tensor nor None (torch's check).
        """
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(
                    f"save_for_backward can only save variables, but argument {i} is of type "
                    f"{type(t).__name__}; keep other objects as attributes of ctx (ctx.value = ...)"
                )
        self._saved = tensors

    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        """The tensors given to ``save_for_backward``, in order."""
        return self._saved

    def mark_non_differentiable(self, *outputs: Any) -> None:
        """Outputs of ``forward`` no gradient flows back from (indices, a mask): they do not require grad."""
        self._non_differentiable.update(id(t) for t in outputs)

    def set_materialize_grads(self, value: bool) -> None:
        """Whether the gradients of outputs nothing used reach ``backward`` as zeros (the default,
        True) or as None."""
        self.materialize_grads = bool(value)

    def mark_dirty(self, *tensors: Any) -> None:
        """Not supported: a custom function here returns new tensors (no in-place outputs)."""
        raise NotImplementedError(
            "mark_dirty: a custom Function cannot change its inputs in place here; return a new tensor"
        )


class _CustomPrimitive(Primitive):
    """The graph operation of one custom :class:`Function` with ``n`` tensor inputs: each VJP calls
    the user's ``backward`` (once per output and backward pass) and picks its input's gradient."""

    __slots__ = ("backward_name",)


class Function:
    """Base class of an operation with a hand-written backward pass (``torch.autograd.Function``).

    Define ``forward(ctx, *args)`` and ``backward(ctx, *grad_outputs)`` as static methods (or
    ``forward(*args)`` with ``setup_context(ctx, inputs, output)``, PyTorch 2's form), then call
    ``MyFunction.apply(*args)``. See the module's docstring for an example.
    """

    @staticmethod
    def forward(ctx: Any, *args: Any, **kwargs: Any) -> Any:
        """The outputs of the operation, computed without recording a graph."""
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def setup_context(ctx: FunctionCtx, inputs: tuple[Any, ...], output: Any) -> Any:
        """With a ``forward`` that takes no ``ctx``: save what ``backward`` needs."""
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        """One gradient per input of ``forward`` (None where there is none), from one per output."""
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom autograd.Function to "
            "use it with backward mode AD."
        )

    vjp = backward

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run ``forward`` on ``args`` and record each Tensor output as a node whose rule is
        ``backward``; return what ``forward`` returns.

        Raises
        ------
        CompileError
            Inside a function being compiled by ``autograd.compile``.
        """
        if is_tracing():
            raise CompileError(
                f"compile: the custom autograd.Function {cls.__name__}: its forward and backward are "
                "Python code a trace cannot write as lines of its own; call the step uncompiled"
            )
        needs = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        ctx = FunctionCtx(needs)
        new_style = cls.setup_context is not Function.setup_context
        with no_grad():
            output = cls.forward(*args, **kwargs) if new_style else cls.forward(ctx, *args, **kwargs)
            if new_style:
                cls.setup_context(ctx, args, output)
        if not any(needs) or not is_grad_enabled():
            return output
        outputs = output if isinstance(output, tuple) else (output,)
        inputs = tuple(a for a in args if isinstance(a, Tensor))
        positions = tuple(i for i, a in enumerate(args) if isinstance(a, Tensor))
        prim = _primitive(cls, len(inputs))
        like = tuple(o.data if isinstance(o, Tensor) else None for o in outputs)  # (zeros of their shapes)
        made: list[Any] = []
        for k, o in enumerate(outputs):
            if not isinstance(o, Tensor) or id(o) in ctx._non_differentiable or o.data.dtype.kind != "f":
                made.append(o)
                continue
            node = Tensor._node(o.data, True)  # (o's memory; o itself, whoever holds it, stays as it is)
            node._prev, node._op, node._args = inputs, prim, tuple(x.data for x in inputs)
            node._params = {"ctx": ctx, "k": k, "like": like, "positions": positions, "n_args": len(args)}
            ctx._saved = tuple(node if t is o else t for t in ctx._saved)  # (a saved output: its node)
            made.append(node)
        return tuple(made) if isinstance(output, tuple) else made[0]


def _primitive(cls: type, n: int) -> _CustomPrimitive:
    """The primitive of ``cls`` with ``n`` tensor inputs (made once, kept on the class)."""
    found = cls.__dict__.get("_primitives")
    if found is None:
        found = {}
        type.__setattr__(cls, "_primitives", found)
    prim = found.get(n)
    if prim is None:
        text = f"backward of {cls.__name__} (hand-written)"

        def forward(*arrays: np.ndarray, ctx: FunctionCtx, k: int, **_: Any) -> np.ndarray:
            raise NotImplementedError(
                f"{cls.__name__}: a custom Function's node cannot be recomputed from its input arrays"
            )

        vjps = PerInput(lambda i: _vjp(cls, i))
        prim = found[n] = _CustomPrimitive(cls.__name__, forward, vjps, (text,) * n)
        prim.backward_name = f"{cls.__name__}Backward"
    return prim


def _vjp(cls: type, i: int) -> Callable[..., Any]:
    """The VJP of tensor input ``i``: ``backward``'s gradient at that input's position."""

    def vjp(ns: Any, g: Any, out: Any, *inputs: Any, ctx: FunctionCtx, k: int, like: tuple,
            positions: tuple, n_args: int) -> Any:  # fmt: skip
        grads = _backward(cls, ctx, ns, g, k, like, positions, n_args)
        gx = grads[positions[i]]
        if gx is None:
            return None
        x = inputs[i]
        shape = x.shape if ns is ARRAYS else x.data.shape
        if not isinstance(gx, Tensor) and not isinstance(gx, (np.ndarray, float, int)):
            raise TypeError(
                f"function {cls.__name__}Backward returned a {type(gx).__name__} at position {positions[i]}; "
                "expected a Tensor (or None)"
            )
        numbers = gx.data if isinstance(gx, Tensor) else np.asarray(gx)
        if numbers.shape != shape and not _reducible(numbers.shape, shape):
            raise RuntimeError(
                f"Function {cls.__name__}Backward returned an invalid gradient at index {positions[i]} - got "
                f"{list(numbers.shape)} but expected shape compatible with {list(shape)}"
            )
        if ns is ARRAYS:  # (a copy: the array may be an input's, a saved tensor's or g's)
            return np.array(numbers, copy=True)
        return gx if isinstance(gx, Tensor) else Tensor._node(np.array(numbers))

    return vjp


def _reducible(got: tuple[int, ...], shape: tuple[int, ...]) -> bool:
    """Whether a gradient of shape ``got`` is one of ``shape`` broadcast (summed back, as torch)."""
    if len(got) < len(shape):
        return False
    return all(s == 1 or s == g for s, g in zip(shape, got[len(got) - len(shape) :]))


def _backward(cls: type, ctx: FunctionCtx, ns: Any, g: Any, k: int, like: tuple, positions: tuple,
              n_args: int) -> tuple:  # fmt: skip
    """The user's ``backward`` for output ``k``'s gradient ``g`` (the other outputs' as zeros or
    None), called once per gradient: every input's VJP of this node reads the same result."""
    held = ctx._cache.get(k)
    if held is not None and held[0] is g:
        held[2] -= 1
        if not held[2]:  # (the last input's: a later pass calls backward again, even with this g)
            del ctx._cache[k]
        return held[1]
    graph = ns is not ARRAYS  # (create_graph: backward runs recorded, on nodes)
    grad_outputs = [
        (g if graph else Tensor._node(g))
        if j == k
        else None
        if a is None or not ctx.materialize_grads
        else Tensor._node(np.zeros_like(a))
        for j, a in enumerate(like)
    ]
    with enable_grad(graph):
        result = cls.backward(ctx, *grad_outputs)
    grads = result if isinstance(result, tuple) else (result,)
    if len(grads) > n_args and all(x is None for x in grads[n_args:]):
        grads = grads[:n_args]
    if len(grads) != n_args:
        raise RuntimeError(
            f"function {cls.__name__}Backward returned an incorrect number of gradients (expected "
            f"{n_args}, got {len(grads)})"
        )
    for j, x in enumerate(grads):
        if x is not None and j not in positions:
            raise RuntimeError(
                f"function {cls.__name__}Backward returned a gradient different than None at position "
                f"{j + 1}, but the corresponding forward input was not a Variable"
            )
    waiting = sum(ctx.needs_input_grad) - 1
    if waiting:
        ctx._cache[k] = [g, grads, waiting]
    return grads


def once_differentiable(backward: Callable[..., Any]) -> Callable[..., Any]:
    """Decorator of a ``backward`` that is not itself differentiable (torch's): it runs without
    recording a graph even under ``create_graph=True``, so its gradients are constants there."""

    def wrapped(ctx: Any, *grad_outputs: Any) -> Any:
        with no_grad():
            return backward(ctx, *(g.detach() if isinstance(g, Tensor) else g for g in grad_outputs))

    wrapped.__name__, wrapped.__doc__ = backward.__name__, backward.__doc__
    return wrapped
