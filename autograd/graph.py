"""Graph traversal shared by ``Value`` and ``Tensor``: an iterative topological sort."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def toposort(root: Any) -> list[Any]:
    """Nodes reachable from ``root``, every node after all of its inputs.

    Iterative (an explicit stack), so graphs of any depth work. Inputs are
    visited in their fixed order, so the result is deterministic.
    """
    order: list[Any] = []
    visited: set[Any] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    push, pop, append, add = stack.append, stack.pop, order.append, visited.add
    while stack:
        node, expanded = pop()
        if expanded:
            append(node)
            continue
        if node in visited:
            continue
        add(node)
        push((node, True))
        for child in reversed(node._prev):
            if child not in visited:
                push((child, False))
    return order


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the duration of a backward pass.

    Backward allocates many short-lived objects but creates no reference
    cycles, so collections triggered meanwhile would only re-scan the whole
    (live) graph. Reference counting still frees memory as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
