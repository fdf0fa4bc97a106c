"""Graph traversal shared by ``Value`` and ``Tensor``: an iterative topological sort; and whether a
function is being traced for a compiled step (:mod:`autograd.compile`), in this thread/task, with
what the trace must replay besides the graph: in-place updates of state (:func:`effect`, a batch
norm's running statistics) and attributes the step's path depends on (:func:`watch`, a module's
``training``)."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from ._rebase import REBASED, fix_up

#: set while ``autograd.compile`` runs a function once to record its graph (per thread/task)
_tracing: ContextVar[bool] = ContextVar("autograd_tracing", default=False)
is_tracing = _tracing.get
_recording: ContextVar[Recording | None] = ContextVar("autograd_recording", default=None)


class TracingError(RuntimeError):
    """A traced function did what a compiled step cannot replay (its own backward pass)."""


class CompileError(TypeError):
    """Raised by :func:`autograd.compile`'s step when its function cannot be compiled as it is: it
    returns a number computed from the data, draws random numbers, runs a backward pass itself or
    takes a computed node as an argument (the message says why and what to do instead)."""


class Effect:
    """An in-place update of state outside the graph: ``update(*arrays)`` with the arrays of
    ``nodes``; ``targets``: the Tensors it writes; ``what``: what it does, in words."""

    def __init__(
        self, update: Callable[..., None], nodes: tuple[Any, ...], targets: tuple[Any, ...], what: str
    ) -> None:
        self.update, self.nodes, self.targets, self.what = update, nodes, targets, what


class Recording:
    """What a trace saw besides the graph: effects in the order they happened, and the watched
    attributes with the values the trace took its path by. (Plain classes, not dataclasses: making
    one costs as much as importing a module.)"""

    def __init__(self) -> None:
        self.effects: list[Effect] = []
        self.watched: dict[tuple[int, str], tuple[Any, str, Any]] = {}
        self.guards: list[tuple[Callable[..., bool], tuple[Any, ...], str]] = []
        self.draws: list[Any] = []  # the random nodes, in the order drawn
        self.rng: list[tuple[bytes, bytes]] = []  # the generator's state around each draw
        #: ids of the stand-ins that require grad for Tensor arguments that do not (see compiled/trace.py)
        self.stand_ins: set[int] = set()


@contextmanager
def tracing() -> Iterator[Recording]:
    """Mark this thread/task as tracing a function for a compiled step, inside the block; yields
    the :class:`Recording` of its effects and watched attributes."""
    recording = Recording()
    token, token_r = _tracing.set(True), _recording.set(recording)
    try:
        yield recording
    finally:
        _recording.reset(token_r)
        _tracing.reset(token)


def recording_of_trace() -> Recording | None:
    """The :class:`Recording` of the trace running in this thread/task, or None."""
    return _recording.get()


def effect(update: Callable[..., None], *nodes: Any, targets: tuple[Any, ...] = (), what: str = "") -> None:
    """Update state in place from the arrays of ``nodes``: ``update(*arrays)``, now; or, while a
    function is traced, at every call of its compiled step (recorded, not run: the step runs it
    once its nodes are computed, as eager code would). ``targets`` are the Tensors it writes.

    Parameters
    ----------
    update : callable
        Takes one array per node; writes into the targets' arrays.
    *nodes : Tensor
        The graph's nodes whose values it reads.
    targets : tuple of Tensor
        What it writes (compared by ``compile(check=True)``).
    what : str
        A comment for the generated code.
    """
    recording = _recording.get()
    if recording is None:
        update(*[n.data for n in nodes])
    else:
        recording.effects.append(Effect(update, nodes, targets, what))


def guard(check: Callable[..., bool], *arrays: Any, what: str = "") -> None:
    """While a function is traced: the path it took holds only while ``check(*arrays)`` is true
    (labels in range, none ignored). A compiled step that reads these arrays at every call (an
    argument's) checks it first and traces again where it is false. No-op otherwise.

    Parameters
    ----------
    check : callable
        Takes the arrays, returns whether the traced path still applies.
    *arrays : numpy.ndarray
        The arrays it reads.
    what : str
        A comment for the generated code.
    """
    recording = _recording.get()
    if recording is not None:
        recording.guards.append((check, arrays, what))


def watch(obj: Any, attr: str) -> None:
    """While a function is traced: its compiled step is valid only while ``obj.attr`` keeps the
    value it has now (checked at every call; a change traces again). No-op otherwise.

    Parameters
    ----------
    obj : object
        Holds the attribute (a Module).
    attr : str
        The attribute's name (``"training"``).
    """
    recording = _recording.get()
    if recording is not None:
        recording.watched.setdefault((id(obj), attr), (obj, attr, getattr(obj, attr)))


def refuse_backward(what: str) -> None:
    """Raise :class:`TracingError` if a function being traced runs a backward pass itself (``what``
    names it): a compiled step does the backward, and writes ``.grad``, itself."""
    if _tracing.get():
        raise TracingError(
            f"compile: the function called {what} while being traced. A compiled step runs the backward "
            "pass itself: return the loss instead. To differentiate inside the step (a gradient "
            "penalty), use autograd.grad(..., create_graph=True), which compiles; backward() and "
            "create_graph=False gradients inside the function stay eager-only (call it uncompiled)"
        )


def computed_while_tracing(x: Any) -> bool:
    """Whether ``x`` is a node the traced function computed (recorded in the graph: its numbers
    change from call to call), not a leaf (an argument, a captured or a constant array)."""
    return _tracing.get() and getattr(x, "_op", None) is not None


def refuse_numbers_shape(what: str, instead: str) -> None:
    """Raise :class:`~autograd.compiled.CompileError` for ``what``: an operation whose result's shape
    depends on numbers the traced function computed (a compiled step's code has the trace's
    shapes); ``instead``: what to write. Call it where :func:`computed_while_tracing` holds."""
    raise CompileError(
        f"compile: {what} has a shape that depends on numbers the function computes (the trace's "
        f"count would be kept at every call), so a compiled step cannot replay it. {instead}"
    )


def toposort(root: Any, leaves: bool = True, grad_only: bool = False) -> list[Any]:
    """Nodes reachable from ``root``, every node after all of its inputs.

    Iterative (an explicit stack), so graphs of any depth work. Inputs are visited in their fixed
    order, so the result is deterministic: the order of a recursive depth-first search.

    Parameters
    ----------
    root : Value or Tensor
        The output node.
    leaves : bool
        Include the leaves (default True); False lists only computed nodes, what a backward pass
        walks.
    grad_only : bool
        Treat a Tensor that does not require grad as a leaf even where it was computed (a graph
        recorded while tracing for a compiled step holds such nodes): the backward pass's order.

    Returns
    -------
    list
        The nodes, inputs first, ``root`` last.
    """
    if not root._prev:
        return [root] if leaves else []
    if REBASED:  # (a tensor was written in place in a graph: nodes made before use its old history)
        fix_up(root)
    order: list[Any] = []
    visited: set[Any] = {root}
    add, done = visited.add, order.append
    # the nodes from the root down to (not including) the one being expanded, and where each of
    # them is in its inputs; the node being expanded and its inputs left are kept in variables
    path: list[Any] = []
    inputs_left: list[Iterator[Any]] = []
    node, inputs = root, iter(root._prev)
    every = not grad_only
    while True:
        for child in inputs:
            if child._prev and (every or child.requires_grad):
                if child not in visited:
                    add(child)
                    path.append(node)  # go down; come back to this node's other inputs later
                    inputs_left.append(inputs)
                    node, inputs = child, iter(child._prev)
                    break
            elif leaves and child not in visited:  # a leaf: done at once
                add(child)
                done(child)
        else:  # every input done: the node is done
            done(node)
            if not path:
                return order
            node, inputs = path.pop(), inputs_left.pop()


class collector_paused:  # noqa: N801 (used like a function: `with collector_paused():`)
    """Context manager that pauses Python's cyclic garbage collector inside the block (restored
    afterwards).

    ``backward`` uses it: it allocates many short-lived objects but creates no reference cycles,
    so collections triggered meanwhile would only re-scan the whole live graph. Wrap a training
    loop on large scalar ``Value`` graphs in it for the same reason (micrograd's demo step runs
    about 1.4x faster): the engine's graphs hold no cycles, and reference counting still frees
    each step's graph as usual.
    """

    __slots__ = ("was_enabled",)

    def __enter__(self) -> None:
        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.was_enabled:
            gc.enable()
