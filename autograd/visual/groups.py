"""Which nodes a loss made, so that a drawing can show a loss as one named box.

A loss calls :func:`begin` with its inputs (``losses._core.prepare``) and
:func:`end` with its output (``losses._core.reduce``). Nothing is recorded per
graph node, so the engine's hot path pays nothing. The registry holds no node:
it maps ``id(output)`` to the loss's name, the output's op and the ids of its
inputs (at most :data:`MAX_INPUTS`), and keeps only the most recent
:data:`CAPACITY` losses, so a training loop never grows it. Ids can be
reused once a node is freed; :func:`group_of` therefore checks the output's
op and value and the group's size before it trusts an entry.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

CAPACITY = 256
#: a loss on more input elements than this is not grouped (far beyond what a drawing shows)
MAX_INPUTS = 4096
_MAX_OPEN = 32


@dataclass(frozen=True)
class _Entry:
    name: str
    inputs: frozenset[int]
    fingerprint: tuple[Any, ...]


def _fingerprint(output: Any, members: int, reached: int) -> tuple[Any, ...]:
    """What must match before a reused id is trusted: op, value, size of the group."""
    data = output.data
    # an array by identity and shape; a number (float, numpy scalar, nan) by its exact bits
    value = (id(data), data.shape) if isinstance(data, np.ndarray) else float(data).hex()
    return (output.op, value, members, reached)


def _collect(output: Any, inputs: frozenset[int]) -> tuple[set[Any], dict[Any, None]]:
    """The nodes between ``output`` and the nodes whose ids are ``inputs``, and the inputs reached."""
    members, reached, stack = {output}, {}, [output]
    while stack:
        for child in stack.pop().children:
            if id(child) in inputs:
                reached[child] = None
            elif child not in members:
                members.add(child)
                stack.append(child)
    return members, reached


_registry: OrderedDict[int, _Entry] = OrderedDict()
_local = threading.local()
_lock = threading.Lock()


def _leaves_of(node: Any) -> Iterable[Any]:
    """The graph nodes of a loss argument: a Tensor or Value itself, a ValueArray's elements."""
    values = getattr(node, "values", None)
    return values.flat if values is not None and hasattr(values, "flat") else (node,)


def begin(name: str, inputs: Iterable[Any]) -> None:
    """A loss called ``name`` starts, on these (already converted) input nodes."""
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    del stack[: max(0, len(stack) - _MAX_OPEN + 1)]  # losses that raised between begin and end
    ids = frozenset(id(leaf) for node in inputs for leaf in _leaves_of(node))
    stack.append((name, ids if len(ids) <= MAX_INPUTS else None))


def end(output: Any) -> None:
    """The innermost open loss produced ``output`` (a Value or Tensor; other results are not grouped)."""
    stack = getattr(_local, "stack", None)
    if not stack:
        return
    name, inputs = stack.pop()
    if inputs is None or not hasattr(output, "children") or hasattr(output, "values") or not output.children:
        return
    members, reached = _collect(output, inputs)
    with _lock:
        _registry[id(output)] = _Entry(name, inputs, _fingerprint(output, len(members), len(reached)))
        _registry.move_to_end(id(output))
        while len(_registry) > CAPACITY:
            _registry.popitem(last=False)


@dataclass(frozen=True)
class Group:
    """The nodes a loss made: ``output``, its ``inputs`` (outside the group) and ``members``
    (every node between them, ``output`` included)."""

    name: str
    output: Any
    inputs: tuple[Any, ...]
    members: frozenset[Any]


def group_of(output: Any) -> Group | None:
    """The group whose output is ``output``, or None."""
    entry = _registry.get(id(output))
    if entry is None or entry.fingerprint[:2] != _fingerprint(output, 0, 0)[:2]:
        return None
    members, inputs = _collect(output, entry.inputs)
    if not inputs or entry.fingerprint != _fingerprint(output, len(members), len(inputs)):
        return None
    return Group(entry.name, output, tuple(inputs), frozenset(members))
