"""Graph traversal shared by ``Value`` and ``Tensor``: an iterative topological sort; and whether a
function is being traced for a compiled step (:mod:`autograd.compile`), in this thread/task."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

#: set while ``autograd.compile`` runs a function once to record its graph (per thread/task)
_tracing: ContextVar[bool] = ContextVar("autograd_tracing", default=False)
is_tracing = _tracing.get


class TracingError(RuntimeError):
    """A traced function did what a compiled step cannot replay (its own backward pass)."""


@contextmanager
def tracing() -> Iterator[None]:
    """Mark this thread/task as tracing a function for a compiled step, inside the block."""
    token = _tracing.set(True)
    try:
        yield
    finally:
        _tracing.reset(token)


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


def toposort(root: Any, leaves: bool = True) -> list[Any]:
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

    Returns
    -------
    list
        The nodes, inputs first, ``root`` last.
    """
    if not root._prev:
        return [root] if leaves else []
    order: list[Any] = []
    visited: set[Any] = {root}
    add, done = visited.add, order.append
    # the nodes from the root down to (not including) the one being expanded, and where each of
    # them is in its inputs; the node being expanded and its inputs left are kept in variables
    path: list[Any] = []
    inputs_left: list[Iterator[Any]] = []
    node, inputs = root, iter(root._prev)
    while True:
        for child in inputs:
            if child._prev:
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
