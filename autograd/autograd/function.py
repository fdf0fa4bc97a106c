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

With several differentiable outputs, their nodes hang off one hidden node (no numbers of its own):
each output's VJP keeps its gradient, and the hidden node, which the backward pass reaches after
every output, calls ``backward`` once with all of them.

Check a hand-written ``backward`` against the engine's finite differences with
:func:`autograd.gradcheck` (and ``gradgradcheck`` for its derivative).

Differences from PyTorch: ``ctx.mark_dirty`` (an input changed in place and returned) works for an
input that does not require grad (a buffer): it becomes the output itself; one computed from
others that requires grad is refused, since the graph here keeps the data its backward pass reads
(a leaf that requires grad gets torch's error). Graphs are never freed, so ``ctx.saved_tensors``
stays readable after ``backward``.

In a compiled step (``autograd.compile``) the generated code calls ``forward`` at every call (a new
ctx: ``backward`` reads this call's saved tensors) and ``backward`` in the backward pass, once per
call; what ``forward`` computes from the numbers in Python and keeps on ctx is computed at every
call too. A ``backward`` run under ``create_graph=True`` inside the step is recorded at the trace,
as any derivative, and replayed as code. A function that marks an input dirty is refused there
(CompileError).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from .._tensor import Tensor
from .._versions import CLOCK, version
from ..grad_mode import enable_grad, is_grad_enabled, no_grad
from ..graph import CompileError, is_tracing, recording_of_trace
from ..ops import ARRAYS, PerInput, Primitive
from . import forward_ad

__all__ = ["Function", "FunctionCtx", "once_differentiable"]


class FunctionCtx:
    """What ``forward`` hands to ``backward`` (torch's ``ctx``): tensors saved with
    ``save_for_backward``, any attribute set on it (``ctx.constant = 2``), and
    ``needs_input_grad``, one bool per input of ``forward`` (whether it is a Tensor that requires grad)."""

    def __init__(self, needs_input_grad: tuple[bool, ...]) -> None:
        self.needs_input_grad = needs_input_grad
        self._saved: tuple[Any, ...] = ()
        #: the saved tensors' versions when ``forward`` returned (None before)
        self._versions: tuple[Any, ...] | None = None
        self._non_differentiable: set[int] = set()
        self._dirty: tuple[Any, ...] = ()
        self.materialize_grads = True
        #: (several outputs) this pass's gradient of each output it reached, by output index
        self._got: dict[int, Any] = {}
        #: [the gradient given, backward's result, the inputs' VJPs still to read it]
        self._held: list[Any] | None = None
        #: the tensors given to ``save_for_forward``, and whether ``jvp`` is running (it reads them)
        self._for_forward: tuple[Any, ...] | None = None
        self._in_jvp = False

    def save_for_backward(self, *tensors: Any) -> None:
        """Keep ``tensors`` (inputs or outputs of ``forward``, or None) for ``backward``.

        Raises:
            TypeError: one of them is neither a Tensor nor None (torch's check).
        """
        self._saved = _tensors_or_none(tensors, "save_for_backward can only save variables, but argument")

    def save_for_forward(self, *tensors: Any) -> None:
        """Keep ``tensors`` (inputs or outputs of ``forward``, or None) for ``jvp``, which reads them as
        ``ctx.saved_tensors`` (forward AD, :mod:`.forward_ad`)."""
        self._for_forward = _tensors_or_none(
            tensors, "save_for_forward expects all arguments to be tensors; argument"
        )

    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        """The tensors given to ``save_for_backward``, in order.

        Raises:
            RuntimeError: one was changed in place since ``forward`` returned (torch's error).
        """
        if self._in_jvp and self._for_forward is not None:
            return self._for_forward
        for t, saved in zip(self._saved, self._versions or ()):
            if t is not None and version(t.data) != saved:
                kind = _TORCH_TYPES.get(t.data.dtype.name, t.data.dtype.name)
                raise RuntimeError(
                    "one of the variables needed for gradient computation has been modified by an inplace "
                    f"operation: [torch.{kind} {list(t.data.shape)}] is at version {version(t.data)}; "
                    f"expected version {saved} instead. Hint: change it after backward(), or change a "
                    "clone() of it"
                )
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


#: torch's names of the tensor types, in its error messages
_TORCH_TYPES = {"float64": "DoubleTensor", "float32": "FloatTensor", "int64": "LongTensor",
                "int32": "IntTensor", "bool": "BoolTensor"}  # fmt: skip


def _tensors_or_none(tensors: tuple[Any, ...], refusal: str) -> tuple[Any, ...]:
    """``tensors``, each a Tensor or None; else a TypeError: ``refusal`` (torch's words), then which
    argument and its type."""
    for i, t in enumerate(tensors):
        if t is not None and not isinstance(t, Tensor):
            raise TypeError(
                f"{refusal} {i} is of type {type(t).__name__}; keep other objects as attributes of ctx "
                "(ctx.value = ...)"
            )
    return tensors


class _CustomPrimitive(Primitive):
    """The graph operation of one custom :class:`Function` with ``n`` tensor inputs: each VJP calls
    the user's ``backward`` (once per backward pass for all inputs) and picks its input's gradient."""

    __slots__ = ("backward_name",)


class _Call:
    """One call of a :class:`Function`, as its nodes read it: ``ctx``; ``like``, each output's
    numbers (None for a non-Tensor); ``single``, the index of the only differentiable output (whose
    node calls ``backward``), or None where several hang off a hidden node; ``positions``, those of
    the tensor inputs among the ``n_args`` arguments; ``args`` (None for a tensor) and ``kwargs``,
    to run ``forward`` again at each call of a compiled step (:meth:`run`), which replaces ``ctx``
    and ``outputs``."""

    __slots__ = ("cls", "ctx", "like", "single", "positions", "n_args", "args", "kwargs", "outputs")

    def __init__(self, cls: type, ctx: FunctionCtx, args: tuple, kwargs: dict, outputs: tuple) -> None:
        self.cls, self.ctx, self.kwargs, self.outputs = cls, ctx, kwargs, outputs
        self.args = tuple(None if isinstance(a, Tensor) else a for a in args)
        self.positions = tuple(i for i, a in enumerate(args) if isinstance(a, Tensor))
        self.n_args = len(args)
        self.like = tuple(o.data if isinstance(o, Tensor) else None for o in outputs)
        self.single: int | None = None

    def run(self, arrays: tuple) -> tuple:
        """``forward`` again, on the tensor inputs' ``arrays`` (a compiled step's call): this call's
        ctx and outputs, kept for its backward.

        Raises:
            TypeError: ``arrays`` are a compiled step's symbols, not arrays (the step then writes
            a line that calls this).
        """
        if not all(type(a) is np.ndarray for a in arrays):
            raise TypeError(f"{self.cls.__name__}: a custom Function's forward runs on arrays")
        args = list(self.args)
        for p, a in zip(self.positions, arrays):
            args[p] = Tensor._node(a)
        ctx = FunctionCtx(self.ctx.needs_input_grad)
        output = _forward(self.cls, ctx, tuple(args), self.kwargs)
        self.ctx, self.outputs = ctx, output if isinstance(output, tuple) else (output,)
        return self.outputs


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

    @staticmethod
    def jvp(ctx: Any, *grad_inputs: Any) -> Any:
        """Forward AD (:mod:`.forward_ad`): one tangent per output of ``forward``, from one per input
        (zeros for a Tensor without tangent, None for a non-Tensor); read what ``forward`` kept with
        ``ctx.save_for_forward`` as ``ctx.saved_tensors``."""
        raise NotImplementedError(
            "You must implement the jvp function for custom autograd.Function to use it with forward mode AD."
        )

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run ``forward`` on ``args`` and record its Tensor outputs as nodes whose rule is
        ``backward``; return what ``forward`` returns.

        Raises
        ------
        CompileError
            A function that marks an input dirty, in a step being compiled by ``autograd.compile``.
        RuntimeError
            torch's errors for ``ctx.mark_dirty``: a tensor marked dirty that ``forward`` does not
            return, or a leaf that requires grad; and this library's for one computed from others.
        """
        recording = recording_of_trace()  # (a compiled step's stand-in for an argument: as the argument)
        standing = recording.stand_ins if recording is not None else ()
        needs = tuple(isinstance(a, Tensor) and a.requires_grad and id(a) not in standing for a in args)
        ctx = FunctionCtx(needs)
        grad = is_grad_enabled() and any(isinstance(a, Tensor) and a.requires_grad for a in args)
        dual = forward_ad.has_tangents(args)  # (forward AD: forward sees no tangents; jvp gives them)
        with forward_ad.paused():
            output = _forward(cls, ctx, args, kwargs)
        outputs = output if isinstance(output, tuple) else (output,)
        dirty = _dirty_inputs(ctx, args, outputs)
        if dirty and is_tracing():
            raise CompileError(
                f"compile: the custom autograd.Function {cls.__name__} changes an input in place "
                "(ctx.mark_dirty), which a compiled step cannot replay; call the step uncompiled"
            )
        if grad or recording is not None:
            # (while tracing, a node even where no gradient flows: the step runs forward at every call)
            made = _record(_Call(cls, ctx, args, kwargs, outputs), args, dirty, grad)
            output = tuple(made) if isinstance(output, tuple) else made[0]
        if dual:
            forward_ad.function_tangents(cls, ctx, args, output)
        return output


def _forward(cls: type, ctx: FunctionCtx, args: tuple, kwargs: dict) -> Any:
    """``cls.forward`` on ``args``, without recording a graph (then ``setup_context``, in torch 2's form)."""
    new_style = cls.setup_context is not Function.setup_context
    with no_grad():
        output = cls.forward(*args, **kwargs) if new_style else cls.forward(ctx, *args, **kwargs)
        if new_style:
            cls.setup_context(ctx, args, output)
    ctx._versions = tuple(None if t is None else version(t.data) for t in ctx._saved)
    return output


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


def _record(call: _Call, args: tuple, dirty: dict[int, Tensor], grad: bool) -> list:
    """The outputs, each differentiable one as a graph node (that requires grad if ``grad``): the
    node that calls ``backward`` for a single one; with several, each hangs off one hidden node
    that does."""
    for t in dirty.values():
        if t.requires_grad:
            raise RuntimeError(
                "a leaf Variable that requires grad has been used in an in-place operation."
                if not t._prev
                else "mark_dirty: this input was computed from others (it requires grad), and the graph "
                "here keeps the data its backward pass reads, so it cannot change in place; return a "
                "new tensor instead"
            )
    ctx, outputs = call.ctx, call.outputs
    # (an input marked dirty becomes an output: its old self, a constant, stands for it among the inputs)
    inputs = tuple(Tensor._node(a.data) if id(a) in dirty else a for a in args if isinstance(a, Tensor))
    flowing = [
        k
        for k, o in enumerate(outputs)
        if isinstance(o, Tensor) and id(o) not in ctx._non_differentiable and o.data.dtype.kind == "f"
    ]
    made = list(outputs)
    if not flowing:
        return made
    prim = _primitive(call.cls, len(inputs))
    if len(flowing) == 1:
        (k,) = flowing
        call.single = k
        made[k] = _node(_output(outputs[k], dirty), inputs, prim, {"call": call}, grad)
    else:  # (the hidden node: no numbers of its own; its gradient only says that one came)
        hub = _node(Tensor._node(np.zeros(0)), inputs, prim, {"call": call}, grad)
        part = _primitive(call.cls, -1)
        for k in flowing:
            made[k] = _node(_output(outputs[k], dirty), (hub,), part, {"call": call, "k": k}, grad)
    nodes = {id(outputs[k]): made[k] for k in flowing}
    ctx._saved = tuple(nodes.get(id(t), t) for t in ctx._saved)  # (a saved output: its node)
    return made


def _output(o: Tensor, dirty: dict[int, Tensor]) -> Tensor:
    """The Tensor that stands for output ``o``: a new one on ``o``'s memory (``o`` itself, whoever
    holds it, stays as it is), or ``o`` itself if it is an input marked dirty."""
    return o if id(o) in dirty else Tensor._node(o.data)


def _node(node: Tensor, prev: tuple, op: Primitive, params: dict, grad: bool) -> Tensor:
    """``node``, made the result of ``op`` on ``prev`` (requiring grad if ``grad``)."""
    node.requires_grad = grad
    node._prev, node._op, node._args, node._params = prev, op, tuple(x.data for x in prev), params
    node._made = CLOCK.now
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
        if n < 0:
            prim = _CustomPrimitive(cls.__name__, _output_forward, (_output_vjp,), ("g, kept for backward",))
        else:
            text = f"backward of {cls.__name__} (hand-written)"
            prim = _CustomPrimitive(cls.__name__, _rerun, PerInput(lambda i: _vjp(cls, i)), (text,) * n)
        prim.backward_name = f"{cls.__name__}Backward"
        found[n] = prim
    return prim


def _rerun(*arrays: np.ndarray, call: _Call) -> np.ndarray:
    """The node's numbers again (a compiled step's forward): ``forward`` run on ``arrays``; the
    hidden node of several outputs has none."""
    outputs = call.run(arrays)
    return np.zeros(0) if call.single is None else outputs[call.single].data


def _output_forward(hub: np.ndarray, *, call: _Call, k: int) -> np.ndarray:
    """(One of several outputs) output ``k``'s numbers, from the hidden node's run of ``forward``."""
    _numbers_only(hub, call)
    return call.outputs[k].data


def _output_vjp(ns: Any, g: Any, out: Any, hub: Any, *, call: _Call, k: int) -> np.ndarray:
    """(One of several outputs) keep this pass's gradient ``g`` of output ``k`` for ``backward``, and
    send the hidden node an (empty) gradient, so that it calls ``backward`` after every output's."""
    _numbers_only(ns, call)
    call.ctx._got[k] = g
    return np.zeros(0)


def _numbers_only(x: Any, call: _Call) -> None:
    """Refuse a compiled step's symbols (arrays or ``ns``), which would write the user's code out
    line by line once: the step then writes one line calling the rule, run at every call."""
    if x is not ARRAYS and getattr(x, "name", None) != "tensors" and type(x) is not np.ndarray:
        raise TypeError(f"{call.cls.__name__}: a custom Function runs on numbers")


_output_vjp.shapes_only = True  # type: ignore[attr-defined]


def _vjp(cls: type, i: int) -> Callable[..., Any]:
    """The VJP of tensor input ``i``: ``backward``'s gradient at that input's position."""

    def vjp(ns: Any, g: Any, out: Any, *inputs: Any, call: _Call) -> Any:
        _numbers_only(ns, call)
        grads = _backward(ns, g, call)
        position = call.positions[i]
        gx = grads[position]
        if gx is None:
            return None
        x = inputs[i]
        shape = x.shape if ns is ARRAYS else x.data.shape
        numbers = gx.data
        if numbers.shape != shape and not _reducible(numbers.shape, shape):
            raise RuntimeError(
                f"Function {cls.__name__}Backward returned an invalid gradient at index {position} - got "
                f"{list(numbers.shape)} but expected shape compatible with {list(shape)}"
            )
        if ns is ARRAYS:  # (a copy: the array may be an input's, a saved tensor's or g's)
            return np.array(numbers, copy=True)
        return gx

    vjp.shapes_only = True  # type: ignore[attr-defined]  # (backward reads its saved tensors only)
    return vjp


def _reducible(got: tuple[int, ...], shape: tuple[int, ...]) -> bool:
    """Whether a gradient of shape ``got`` is one of ``shape`` broadcast (summed back, as torch)."""
    if len(got) < len(shape):
        return False
    return all(s == 1 or s == g for s, g in zip(shape, got[len(got) - len(shape) :]))


def _backward(ns: Any, g: Any, call: _Call) -> tuple:
    """The user's ``backward`` for this pass's gradient ``g`` (of the only output, or of the hidden
    node), called once: every input's VJP of the node reads the same result."""
    ctx = call.ctx
    held = ctx._held
    if held is not None and held[0] is g:
        held[2] -= 1
        if not held[2]:  # (the last input's: a later pass calls backward again, even with this g)
            ctx._held = None
        return held[1]
    cls, n_args = call.cls, call.n_args
    got, ctx._got = ctx._got, {}
    graph = ns is not ARRAYS  # (create_graph: backward runs recorded, on nodes)
    with enable_grad(graph):
        result = _user_backward(cls)(ctx, *_grad_outputs(g, call, got))
    grads = result if isinstance(result, tuple) else (result,)
    if len(grads) > n_args and all(x is None for x in grads[n_args:]):
        grads = grads[:n_args]
    if len(grads) != n_args:
        raise RuntimeError(
            f"function {cls.__name__}Backward returned an incorrect number of gradients (expected "
            f"{n_args}, got {len(grads)})"
        )
    for j, x in enumerate(grads):
        if x is not None and not isinstance(x, Tensor):
            t = type(x)
            what = t.__name__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__qualname__}"
            raise RuntimeError(
                f"expected Variable or None (got {what}): function {cls.__name__}Backward returned it at "
                f"position {j}; return a Tensor"
            )
        if x is not None and j not in call.positions:
            raise RuntimeError(
                f"function {cls.__name__}Backward returned a gradient different than None at position "
                f"{j + 1}, but the corresponding forward input was not a Variable"
            )
    waiting = sum(ctx.needs_input_grad) - 1
    ctx._held = [g, grads, waiting] if waiting else None
    return grads


def _grad_outputs(g: Any, call: _Call, got: dict[int, Any]) -> list[Any]:
    """``backward``'s arguments: each output's gradient in this pass (``g`` for the only
    differentiable one, else what ``got`` kept); zeros (or None, without materialized grads) for an
    output that got none, None for one that is no Tensor."""
    if call.single is not None:
        got = {call.single: g}
    materialize = call.ctx.materialize_grads
    grads: list[Any] = []
    for k, a in enumerate(call.like):
        gk = got.get(k)
        if gk is not None:
            grads.append(gk if isinstance(gk, Tensor) else Tensor._node(np.asarray(gk)))
        else:
            grads.append(None if a is None or not materialize else Tensor._node(np.zeros_like(a)))
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
    node._made = CLOCK.now
    return node
