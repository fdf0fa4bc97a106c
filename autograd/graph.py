"""Graph traversal shared by ``Value`` and ``Tensor``: an iterative topological sort."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def toposort(root: Any) -> list[Any]:
    """Nodes reachable from ``root``, every node after all of its inputs.

    Iterative (an explicit stack), so graphs of any depth work. Inputs are
    visited in their fixed order, so the result is deterministic: the order of
    a recursive depth-first search.
    """
    order: list[Any] = []
    visited: set[Any] = {root}
    # the path from the root to the current node, and where each is in its inputs
    path: list[Any] = [root]
    inputs_left: list[Iterator[Any]] = [iter(root._prev)]
    append, add, descend, resume = order.append, visited.add, path.append, inputs_left.append
    while inputs_left:
        for child in inputs_left[-1]:
            if child not in visited:
                add(child)
                if not child._prev:  # a leaf: done at once
                    append(child)
                    continue
                descend(child)  # go down; come back to this node's other inputs later
                resume(iter(child._prev))
                break
        else:  # every input done: the node is done
            inputs_left.pop()
            append(path.pop())
    return order


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector inside the block (restored afterwards).

    ``backward`` uses it: it allocates many short-lived objects but creates no
    reference cycles, so collections triggered meanwhile would only re-scan the
    whole live graph. Wrap a training loop on large scalar ``Value`` graphs in
    it for the same reason (micrograd's demo step runs about 2x faster): the
    engine's graphs hold no cycles, and reference counting still frees each
    step's graph as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
