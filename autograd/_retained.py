"""Computed tensors on which ``retain_grad()`` was called: their gradients follow torch's rules.

Every computed tensor keeps the gradient of the last backward pass here (the drawings show it).
One marked with ``retain_grad()`` gets torch's semantics instead: its ``.grad`` *accumulates* over
backward passes, as a leaf's does, and owns its memory (torch stores a clone), so
``a.grad.zero_()`` never changes another tensor's gradient (``a + b`` hands both the same array).

The marks are kept by identity with weak references, so a marked tensor is freed as usual; the
backward pass looks at them only when there are any (one truth test per pass).
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

#: id(tensor) -> a weak reference to a computed tensor marked with ``retain_grad()``
MARKED: dict[int, weakref.ref] = {}


def mark(tensor: Any) -> None:
    """Mark a computed tensor (``retain_grad()``)."""
    key = id(tensor)
    if key not in MARKED:
        MARKED[key] = weakref.ref(tensor, lambda _, key=key: MARKED.pop(key, None))


def is_marked(tensor: Any) -> bool:
    """Whether ``retain_grad()`` was called on this computed tensor (torch's ``retains_grad``)."""
    ref = MARKED.get(id(tensor))
    return ref is not None and ref() is tensor


def before_pass(nodes: list[Any]) -> list[tuple[Any, Any]]:
    """The marked tensors among ``nodes`` (a backward pass's computed nodes) with their gradients
    before it, for :func:`after_pass`."""
    return [(node, node._grad) for node in nodes if id(node) in MARKED and is_marked(node)]


def after_pass(kept: list[tuple[Any, Any]]) -> None:
    """Each marked node's gradient after a pass that set it anew: its old one plus this pass's."""
    for node, old in kept:
        node._grad = total(old, node._grad)


def add(grads: dict[int, Any], topo: list[Any], inputs: list[Any], skip_inputs: bool = False) -> None:
    """A pass to chosen ``inputs`` that leaves ``.grad`` alone (``autograd.grad``, and
    ``backward(inputs=...)`` for its other nodes): torch still adds its gradient into each marked
    tensor that is one of ``inputs`` or computed from one (the part of the graph it runs), unless
    ``skip_inputs``. ``grads``: id(node) -> gradient; ``topo``: the pass's computed nodes, inputs first."""
    wanted = {id(x) for x in inputs}
    reached = set(wanted)
    for node in topo:
        if any(id(x) in reached for x in node._prev):
            reached.add(id(node))
    for key, ref in list(MARKED.items()):
        node, g = ref(), grads.get(key)
        if node is not None and g is not None and key in reached and not (skip_inputs and key in wanted):
            node._grad = total(node._grad, g)


def total(old: Any, new: Any) -> Any:
    """``old + new`` where both are gradients (None: none), in memory that nothing else holds."""
    if new is None:
        return old
    if old is not None:
        summed = old + new
        return np.asarray(summed) if isinstance(summed, np.generic) else summed
    # (a Tensor after create_graph=True: its clone stays in the graph)
    return np.array(new, copy=True) if isinstance(new, (np.ndarray, np.generic)) else new.clone()
