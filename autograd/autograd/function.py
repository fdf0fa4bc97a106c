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

``forward`` runs without recording a graph; its Tensor outputs become graph nodes whose rule is
``backward``: once per backward pass it receives one gradient per output of ``forward`` (zeros for
an output no gradient reached, or None after ``ctx.set_materialize_grads(False)``; None for an
output that is no Tensor) and returns one per input (None for an input that needs none), as in
PyTorch. Written with Tensor operations, ``backward`` is itself differentiable: under
``backward(create_graph=True)`` it runs with the graph recorded, so second derivatives
(``gradgradcheck``) go through it. :func:`once_differentiable` marks a backward that is not.

With several differentiable outputs, the outputs hang off one hidden node (their numbers laid end
to end) whose gradient holds all of theirs, so ``backward`` runs once for all of them.

Check a hand-written ``backward`` against the engine's finite differences with
:func:`autograd.gradcheck` (and ``gradgradcheck`` for its derivative).

Differences from PyTorch: ``ctx.mark_dirty`` (an input changed in place and returned) works for an
input that does not require grad (a buffer): it becomes the output itself; one computed from
others that requires grad is refused, since the graph here keeps the data its backward pass reads
(a leaf that requires grad gets torch's error). Graphs are never freed, so ``ctx.saved_tensors``
stays readable after ``backward``. A compiled step (``autograd.compile``) refuses a custom function.
"""

from __future__ import annotations

import warnings
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
    ``needs_input_grad``, one bool per input of ``forward`` (whether it is a Tensor that requires grad)."""

    def __init__(self, needs_input_grad: tuple[bool, ...]) -> None:
        self.needs_input_grad = needs_input_grad
        self._saved: tuple[Any, ...] = ()
        self._non_differentiable: set[int] = set()
        self._dirty: tuple[Any, ...] = ()
        self.materialize_grads = True
        #: (several outputs) this pass's gradient of each output it reached, by output index
        self._got: dict[int, Any] = {}
        #: [the gradient given, backward's result, the inputs' VJPs still to read it]
        self._held: list[Any] | None = None

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
        """The inputs ``forward`` changed in place; each must be among its outputs, and becomes that
        output itself (``apply`` returns the same object, now computed by this function), as torch.
        Only an input that does not require grad (a buffer) can be one here."""
        self._dirty = tensors


class _CustomPrimitive(Primitive):
    """The graph operation of one custom :class:`Function` with ``n`` tensor inputs: each VJP calls
    the user's ``backward`` (once per backward pass for all inputs) and picks its input's gradient."""

    __slots__ = ("backward_name",)


class _Spec:
    """One call's outputs as ``backward`` sees them: ``like``, each output's numbers (None for a
    non-Tensor); ``single``, the index of the only differentiable output (whose node calls
    ``backward``), or None where several hang off a hidden node; the positions of the tensor inputs
    among ``n_args``."""

    __slots__ = ("cls", "like", "positions", "n_args", "single")

    def __init__(self, cls: type, like: tuple, positions: tuple, n_args: int, single: int | None) -> None:
        self.cls, self.like, self.positions, self.n_args, self.single = cls, like, positions, n_args, single


class Function:
    """Base class of an operation with a hand-written backward pass (``torch.autograd.Function``).

    Define ``forward(ctx, *args)`` and ``backward(ctx, *grad_outputs)`` (or ``vjp``, its other
    name) as static methods (or ``forward(*args)`` with ``setup_context(ctx, inputs, output)``,
    PyTorch 2's form), then call ``MyFunction.apply(*args)``. See the module's docstring for an
    example.
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
        """Run ``forward`` on ``args`` and record its Tensor outputs as nodes whose rule is
        ``backward``; return what ``forward`` returns.

        Raises
        ------
        CompileError
            Inside a function being compiled by ``autograd.compile``.
        RuntimeError
            torch's errors for ``ctx.mark_dirty``: a tensor marked dirty that ``forward`` does not
            return, or a leaf that requires grad; and this library's for one computed from others.
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
        outputs = output if isinstance(output, tuple) else (output,)
        dirty = _dirty_inputs(ctx, args, outputs)
        if not any(needs) or not is_grad_enabled():
            return output
        made = _record(cls, ctx, args, outputs, dirty)
        return tuple(made) if isinstance(output, tuple) else made[0]


def _dirty_inputs(ctx: FunctionCtx, args: tuple, outputs: tuple) -> dict[int, Tensor]:
    """The inputs marked dirty, by id (torch's error if one is not returned, its warning for a
    tensor marked dirty that is no input)."""
    returned = {id(o) for o in outputs}
    inputs = {id(a) for a in args if isinstance(a, Tensor)}
    dirty: dict[int, Tensor] = {}
    for t in ctx._dirty:
        if id(t) not in returned:
            raise RuntimeError(
                "Some elements marked as dirty during the forward method were not returned as output. The "
                "inputs that are modified inplace must all be outputs of the Function."
            )
        if id(t) in inputs:
            dirty[id(t)] = t
        else:
            warnings.warn(
                "ctx.mark_dirty() received a tensor that was not an input. Only input Tensors that have "
                "been mutated should be passed to ctx.mark_dirty().",
                UserWarning,
                stacklevel=4,
            )
    return dirty


def _record(cls: type, ctx: FunctionCtx, args: tuple, outputs: tuple, dirty: dict[int, Tensor]) -> list:
    """The outputs, each differentiable one as a graph node: the node that calls ``backward`` for a
    single one; with several, each hangs off one hidden node (their numbers end to end) that does."""
    for t in dirty.values():
        if t.requires_grad:
            raise RuntimeError(
                "a leaf Variable that requires grad has been used in an in-place operation."
                if not t._prev
                else "mark_dirty: this input was computed from others (it requires grad), and the graph "
                "here keeps the data its backward pass reads, so it cannot change in place; return a "
                "new tensor instead"
            )
    # (an input marked dirty becomes an output: its old self, a constant, stands for it among the inputs)
    inputs = tuple(Tensor._node(a.data) if id(a) in dirty else a for a in args if isinstance(a, Tensor))
    positions = tuple(i for i, a in enumerate(args) if isinstance(a, Tensor))
    like = tuple(o.data if isinstance(o, Tensor) else None for o in outputs)
    flowing = [
        k
        for k, o in enumerate(outputs)
        if isinstance(o, Tensor) and id(o) not in ctx._non_differentiable and o.data.dtype.kind == "f"
    ]
    made = list(outputs)
    if not flowing:
        return made
    prim = _primitive(cls, len(inputs))
    if len(flowing) == 1:
        (k,) = flowing
        spec = _Spec(cls, like, positions, len(args), k)
        made[k] = _node(_output(outputs[k], dirty), inputs, prim, {"ctx": ctx, "spec": spec})
    else:  # (the hidden node: no numbers of its own; its gradient only says that one came)
        spec = _Spec(cls, like, positions, len(args), None)
        hub = _node(Tensor._node(np.zeros(0)), inputs, prim, {"ctx": ctx, "spec": spec})
        part = _primitive(cls, -1)
        for k in flowing:
            made[k] = _node(_output(outputs[k], dirty), (hub,), part, {"ctx": ctx, "k": k})
    nodes = {id(outputs[k]): made[k] for k in flowing}
    ctx._saved = tuple(nodes.get(id(t), t) for t in ctx._saved)  # (a saved output: its node)
    return made


def _output(o: Tensor, dirty: dict[int, Tensor]) -> Tensor:
    """The Tensor that stands for output ``o``: a new one on ``o``'s memory (``o`` itself, whoever
    holds it, stays as it is), or ``o`` itself if it is an input marked dirty."""
    return o if id(o) in dirty else Tensor._node(o.data)


def _node(node: Tensor, prev: tuple, op: Primitive, params: dict) -> Tensor:
    """``node``, made the result of ``op`` on ``prev``."""
    node.requires_grad = True
    node._prev, node._op, node._args, node._params = prev, op, tuple(x.data for x in prev), params
    return node


def _primitive(cls: type, n: int) -> _CustomPrimitive:
    """The primitive of ``cls`` with ``n`` tensor inputs, or (``n`` = -1) that of one of several
    outputs, hanging off the hidden node (made once, kept on the class)."""
    found = cls.__dict__.get("_primitives")
    if found is None:
        found = {}
        type.__setattr__(cls, "_primitives", found)
    prim = found.get(n)
    if prim is None:

        def forward(*arrays: np.ndarray, **_: Any) -> np.ndarray:
            raise NotImplementedError(
                f"{cls.__name__}: a custom Function's node cannot be recomputed from its input arrays"
            )

        if n < 0:
            prim = _CustomPrimitive(cls.__name__, forward, (_output_vjp,), ("g, kept for backward",))
        else:
            text = f"backward of {cls.__name__} (hand-written)"
            prim = _CustomPrimitive(cls.__name__, forward, PerInput(lambda i: _vjp(cls, i)), (text,) * n)
        prim.backward_name = f"{cls.__name__}Backward"
        found[n] = prim
    return prim


def _output_vjp(ns: Any, g: Any, out: Any, hub: Any, *, ctx: FunctionCtx, k: int) -> np.ndarray:
    """(One of several outputs) keep this pass's gradient ``g`` of output ``k`` for ``backward``, and
    send the hidden node an (empty) gradient, so that it calls ``backward`` after every output's."""
    ctx._got[k] = g
    return np.zeros(0)


_output_vjp.shapes_only = True  # type: ignore[attr-defined]


def _vjp(cls: type, i: int) -> Callable[..., Any]:
    """The VJP of tensor input ``i``: ``backward``'s gradient at that input's position."""

    def vjp(ns: Any, g: Any, out: Any, *inputs: Any, ctx: FunctionCtx, spec: _Spec) -> Any:
        grads = _backward(ns, g, ctx, spec)
        position = spec.positions[i]
        gx = grads[position]
        if gx is None:
            return None
        x = inputs[i]
        shape = x.shape if ns is ARRAYS else x.data.shape
        if not isinstance(gx, Tensor) and not isinstance(gx, (np.ndarray, float, int)):
            raise TypeError(
                f"function {cls.__name__}Backward returned a {type(gx).__name__} at position {position}; "
                "expected a Tensor (or None)"
            )
        numbers = gx.data if isinstance(gx, Tensor) else np.asarray(gx)
        if numbers.shape != shape and not _reducible(numbers.shape, shape):
            raise RuntimeError(
                f"Function {cls.__name__}Backward returned an invalid gradient at index {position} - got "
                f"{list(numbers.shape)} but expected shape compatible with {list(shape)}"
            )
        if ns is ARRAYS:  # (a copy: the array may be an input's, a saved tensor's or g's)
            return np.array(numbers, copy=True)
        return gx if isinstance(gx, Tensor) else Tensor._node(np.array(numbers))

    vjp.shapes_only = True  # type: ignore[attr-defined]  # (backward reads its saved tensors only)
    return vjp


def _reducible(got: tuple[int, ...], shape: tuple[int, ...]) -> bool:
    """Whether a gradient of shape ``got`` is one of ``shape`` broadcast (summed back, as torch)."""
    if len(got) < len(shape):
        return False
    return all(s == 1 or s == g for s, g in zip(shape, got[len(got) - len(shape) :]))


def _backward(ns: Any, g: Any, ctx: FunctionCtx, spec: _Spec) -> tuple:
    """The user's ``backward`` for this pass's gradient ``g`` (of the only output, or of the hidden
    node), called once: every input's VJP of the node reads the same result."""
    held = ctx._held
    if held is not None and held[0] is g:
        held[2] -= 1
        if not held[2]:  # (the last input's: a later pass calls backward again, even with this g)
            ctx._held = None
        return held[1]
    cls, n_args = spec.cls, spec.n_args
    got, ctx._got = ctx._got, {}
    graph = ns is not ARRAYS  # (create_graph: backward runs recorded, on nodes)
    with enable_grad(graph):
        result = _user_backward(cls)(ctx, *_grad_outputs(ns, g, ctx, spec, got))
    grads = result if isinstance(result, tuple) else (result,)
    if len(grads) > n_args and all(x is None for x in grads[n_args:]):
        grads = grads[:n_args]
    if len(grads) != n_args:
        raise RuntimeError(
            f"function {cls.__name__}Backward returned an incorrect number of gradients (expected "
            f"{n_args}, got {len(grads)})"
        )
    for j, x in enumerate(grads):
        if x is not None and j not in spec.positions:
            raise RuntimeError(
                f"function {cls.__name__}Backward returned a gradient different than None at position "
                f"{j + 1}, but the corresponding forward input was not a Variable"
            )
    waiting = sum(ctx.needs_input_grad) - 1
    ctx._held = [g, grads, waiting] if waiting else None
    return grads


def _grad_outputs(ns: Any, g: Any, ctx: FunctionCtx, spec: _Spec, got: dict[int, Any]) -> list[Any]:
    """``backward``'s arguments: each output's gradient in this pass (``g`` for the only
    differentiable one, else what ``got`` kept); zeros (or None, without materialized grads) for an
    output that got none, None for one that is no Tensor."""
    if spec.single is not None:
        got = {spec.single: g}
    grads: list[Any] = []
    for k, a in enumerate(spec.like):
        gk = got.get(k)
        if gk is not None:
            grads.append(gk if isinstance(gk, Tensor) else Tensor._node(np.asarray(gk)))
        else:
            grads.append(None if a is None or not ctx.materialize_grads else Tensor._node(np.zeros_like(a)))
    return grads


def _user_backward(cls: type) -> Callable[..., Any]:
    """``cls.backward``, or ``cls.vjp`` where that is the one written (torch's error for both)."""
    backward, vjp = cls.backward, cls.vjp
    if vjp is Function.vjp:
        return backward
    if backward is not Function.backward:
        raise RuntimeError(
            "Implementing both 'backward' and 'vjp' for a custom Function is not allowed. You should only "
            "implement one of them."
        )
    return vjp


def once_differentiable(backward: Callable[..., Any]) -> Callable[..., Any]:
    """Decorator of a ``backward`` that is not itself differentiable (torch's): it runs without
    recording a graph even under ``create_graph=True``; there, where a gradient it receives requires
    grad, differentiating its results again raises torch's RuntimeError (no silent zero)."""

    def wrapped(ctx: Any, *grad_outputs: Any) -> Any:
        with no_grad():
            result = backward(ctx, *grad_outputs)
        upstream = tuple(g for g in grad_outputs if isinstance(g, Tensor) and g.requires_grad)
        if not is_grad_enabled() or not upstream:
            return result
        if not isinstance(result, tuple):
            return _delayed_error(result, upstream)
        return tuple(_delayed_error(r, upstream) for r in result)

    wrapped.__name__, wrapped.__doc__ = backward.__name__, backward.__doc__
    return wrapped


def _differentiated_twice(*_: Any, **__: Any) -> Any:
    raise RuntimeError("trying to differentiate twice a function that was marked with @once_differentiable")


_differentiated_twice.shapes_only = True  # type: ignore[attr-defined]
#: torch's DelayedError node: a result of a once-differentiable backward, whose VJPs raise
_DELAYED_ERROR = _CustomPrimitive(
    "Error",
    _differentiated_twice,
    PerInput(lambda i: _differentiated_twice),
    PerInput(lambda i: "differentiating it again raises (@once_differentiable)"),  # type: ignore[arg-type]
)
_DELAYED_ERROR.backward_name = "torch::autograd::Error"


def _delayed_error(gx: Any, upstream: tuple[Tensor, ...]) -> Any:
    """``gx`` (a gradient from a once-differentiable backward) as a node that raises if a gradient
    reaches it (a number or None as it is)."""
    if not isinstance(gx, Tensor):
        return gx
    node = Tensor._node(gx.data, True)
    node._prev, node._op, node._args = upstream, _DELAYED_ERROR, tuple(g.data for g in upstream)
    return node
