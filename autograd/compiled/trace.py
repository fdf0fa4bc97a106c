"""Tracing: run the function once, eagerly, and read the graph it built.

The arguments are flattened (tuples, lists and dicts; a ValueArray into its Values). A Tensor
argument that does not require grad is passed as a stand-in that does (sharing its array), so
every operation on it is recorded too; a numpy array passed as an argument is followed where the
graph holds it as a parameter (an index). The graph's leaves are then

- arguments, bound by their position;
- captured objects the function reached (a model's parameters, a closed-over Tensor): held by
  reference, their ``.data`` read at every call, their ``.grad`` filled;
- constants: leaves the function made itself (``x * 2.0``'s 2.0, ``Value(x)`` of a number), which
  nothing but the graph refers to once the function has returned (their reference count says so);
  their values are part of the generated code, as the trace saw them.

The computed nodes are listed in the order the engine's own backward pass walks them, so the
generated backward adds up each gradient in the same order, and gives the same bits.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import _hooks, random_state
from .._tensor import Tensor, toposort
from ..grad_mode import enable_grad, record_all
from ..graph import CompileError, Effect, tracing
from ..pytree import TreeSpec, tree_flatten
from ..value import Value, _computed_nodes
from ..value_array import ValueArray

NODES = (Tensor, Value)


@dataclass
class Leaf:
    """A leaf of the traced graph: ``role`` "argument" (``position`` in the flattened arguments),
    "captured" or "constant"; ``grad``: its ``.grad`` is filled."""

    node: Any
    role: str
    grad: bool
    position: int | None = None


@dataclass
class Bound:
    """A numpy array argument found as a parameter of a node: ``node._params[key]`` (or an item of
    that tuple, ``item``) is argument ``position``."""

    position: int
    node: Any
    key: str
    item: int | None


@dataclass
class Trace:
    """What one eager run of the function built."""

    nodes: list[Any]  # computed nodes, each after its inputs (the loss's first, then the rest)
    loss_nodes: list[Any]  # the computed nodes the loss's backward walks, inputs first
    leaves: dict[int, Leaf]  # by id of the leaf node
    loss: Any  # the loss node (a Tensor or a Value)
    outputs: list[Any]  # the flattened outputs (nodes, or None)
    out_spec: TreeSpec
    out_kinds: list[Any]  # per output: None, "value", "tensor", or ("value_array", shape)
    bound: list[Bound] = field(default_factory=list)
    unbound_arrays: list[int] = field(default_factory=list)  # array arguments keyed by value
    effects: list[Effect] = field(default_factory=list)  # in-place updates of state, in their order
    watched: list[tuple[Any, str, Any]] = field(default_factory=list)  # (object, attribute, value)
    guards: list[tuple[Callable[..., bool], tuple[Any, ...], str]] = field(default_factory=list)
    draws: list[Any] = field(default_factory=list)  # random nodes (dropout masks), in the order drawn
    rng_start: Any = None  # the default generator's state before the trace, where it drew


def flatten_arguments(args: tuple, kwargs: dict) -> tuple[list[Any], TreeSpec]:
    """The leaves of ``(args, kwargs)``; a ValueArray counts as one leaf here."""
    return tree_flatten((args, kwargs))


def run(fn: Callable[..., Any], args: tuple, kwargs: dict, scalar: bool = True) -> Trace:
    """Run ``fn`` once with recording on and read its graph (see the module docstring); its first
    output is the loss (a scalar, unless ``scalar`` is False: then it is seeded by the caller)."""
    flat, spec = flatten_arguments(args, kwargs)
    positions: dict[int, int] = {}  # id(leaf node of an argument) -> position
    call_leaves = []
    for i, x in enumerate(flat):
        if isinstance(x, Tensor) and not x.requires_grad and not x._prev:
            stand_in = Tensor._node(x.data, True)
            stand_in.label = x.label
            positions[id(stand_in)] = i
            call_leaves.append(stand_in)
            continue
        if isinstance(x, (Tensor, Value)):
            positions[id(x)] = i
        elif isinstance(x, ValueArray):
            for v in x.values.flat:
                positions.setdefault(id(v), i)
        call_leaves.append(x)
    from ..pytree import tree_unflatten

    call_args, call_kwargs = tree_unflatten(call_leaves, spec)
    before, start = _random_state(), random_state.default_generator().get_state()
    with enable_grad(), tracing() as recording, record_all():
        recording.stand_ins.update(id(x) for x, y in zip(call_leaves, flat) if x is not y)
        result = fn(*call_args, **call_kwargs)
    if not _only_recorded_draws(before, _random_state(), recording.rng):
        raise CompileError(
            "compile: the function drew random numbers while being traced (randn, random.random, a "
            "generator of its own ...); a compiled step would replay the same numbers at every call. "
            "Call it uncompiled, or pass the random numbers as an argument (dropout masks are drawn "
            "at every call)"
        )
    outputs, out_spec, out_kinds = _outputs(result, scalar)
    loss = outputs[0]
    effects = recording.effects
    trace = _walk(loss, [o for o in outputs if o is not None], [n for e in effects for n in e.nodes])
    tensors = [leaf.node for leaf in trace.leaves.values()] + trace.nodes
    _hooks.check_trace(t for t in tensors if isinstance(t, Tensor))  # (a compiled step runs no hooks)
    del tensors  # (before _classify: a leaf referred to from elsewhere is captured, not a constant)
    trace.outputs, trace.out_spec, trace.out_kinds = outputs, out_spec, out_kinds
    trace.effects, trace.watched = effects, list(recording.watched.values())
    trace.guards, trace.draws = recording.guards, recording.draws
    trace.rng_start = start if recording.draws else None
    del call_args, call_kwargs, result
    _classify(trace, positions, flat)
    _bind_arrays(trace, flat)
    return trace


def _outputs(result: Any, scalar: bool = True) -> tuple[list[Any], TreeSpec, list[Any]]:
    leaves, spec = tree_flatten(result)
    outputs, kinds = [], []
    for k, x in enumerate(leaves):
        if isinstance(x, ValueArray):
            outputs.extend(x.values.flat)
            kinds.append(("value_array", x.shape))
        elif isinstance(x, Value):
            outputs.append(x)
            kinds.append("value")
        elif isinstance(x, Tensor):
            outputs.append(x)
            kinds.append("tensor")
        elif x is None and k:
            outputs.append(None)
            kinds.append(None)
        else:
            what = "the loss (its first output)" if not k else f"output {k}"
            raise CompileError(
                f"compile: {what} is a {type(x).__name__}, not a Value, Tensor or ValueArray. A compiled "
                "step replays the graph, so it can only return nodes: a number computed from the data "
                "would be the trace's number at every call. Compute it outside the compiled function"
            )
    loss = outputs[0]
    size = 1 if isinstance(loss, Value) else loss.data.size
    if scalar and (
        size != 1 or (kinds[0] not in ("value", "tensor") and kinds[0][1] != (1,) * len(kinds[0][1]))
    ):
        raise CompileError(
            "compile: the function must return a scalar loss (a Value, or a one-element Tensor or "
            f"ValueArray) first; got shape {getattr(leaves[0], 'shape', ())}"
        )
    if isinstance(loss, Tensor) and not loss.requires_grad:
        raise CompileError(
            "compile: the loss does not depend on anything that requires grad (no parameter reached it)"
        )
    return outputs, spec, kinds


def _walk(loss: Any, outputs: list[Any], read: list[Any]) -> Trace:
    """The computed nodes (the loss's, then the other outputs' and those the effects ``read``,
    each after its inputs), the loss's in its backward order (through the nodes that require grad
    only, as the eager backward walks them), and the leaves."""
    loss_nodes = _computed(loss, grad_only=True)
    nodes: list[Any] = []
    seen: set[int] = set()
    for out in [loss, *outputs[1:], *read]:
        for n in _computed(out):
            if id(n) not in seen:
                seen.add(id(n))
                nodes.append(n)
    leaves: dict[int, Leaf] = {}
    for n in nodes:
        for c in _children(n):
            if _is_leaf(c) and id(c) not in leaves:
                leaves[id(c)] = Leaf(c, "", False)
    for out in [*outputs, *read]:
        if _is_leaf(out) and id(out) not in leaves:
            leaves[id(out)] = Leaf(out, "", False)
    return Trace(nodes, loss_nodes, leaves, loss, [], TreeSpec(), [])


def _computed(root: Any, grad_only: bool = False) -> list[Any]:
    if isinstance(root, Value):
        return _computed_nodes([root])
    return toposort(root, leaves=False, grad_only=grad_only)


def _children(node: Any) -> tuple[Any, ...]:
    if isinstance(node, Value):
        a, b = node._a, node._b
        return () if a is None else (a,) if b is None else (a, b)
    return node._prev


def _is_leaf(node: Any) -> bool:
    return node._a is None if isinstance(node, Value) else not node._prev


def _classify(trace: Trace, positions: dict[int, int], flat: list[Any]) -> None:
    """Each leaf's role (see the module docstring) and whether its ``.grad`` is filled."""
    uses = _uses(trace.nodes)
    for key in list(trace.leaves):
        leaf = trace.leaves[key]
        if key in positions:
            leaf.role, leaf.position = "argument", positions[key]
            original = flat[positions[key]]
            leaf.grad = isinstance(leaf.node, Value) or (original is leaf.node and leaf.node.requires_grad)
        elif _held_elsewhere(leaf, uses.get(key, 0)):
            leaf.role = "captured"
            leaf.grad = isinstance(leaf.node, Value) or leaf.node.requires_grad
        else:
            leaf.role = "constant"


def _uses(nodes: list[Any]) -> dict[int, int]:
    """How many references the graph's nodes hold to each node (``x * x`` holds two)."""
    uses: dict[int, int] = {}
    for n in nodes:
        for c in _children(n):
            uses[id(c)] = uses.get(id(c), 0) + 1
    return uses


def _held_elsewhere(leaf: Leaf, uses: int) -> bool:
    """Whether anything but the graph refers to the leaf's node: its reference count is the graph's
    references, the Leaf's own, and getrefcount's argument, for a leaf the function made itself."""
    return sys.getrefcount(leaf.node) - uses - 2 > 0


def _bind_arrays(trace: Trace, flat: list[Any]) -> None:
    """Find numpy array arguments, and Tensor arguments' arrays, among the nodes' parameters (an
    index: ``x[rows, labels]``). An array argument found nowhere, or a Tensor argument neither in
    the graph nor found, is keyed by its value (a new one traces again): the trace may have
    copied its numbers."""
    arrays = {id(x): i for i, x in enumerate(flat) if isinstance(x, np.ndarray)}
    arrays.update({id(x.data): i for i, x in enumerate(flat) if isinstance(x, Tensor)})
    if not arrays:
        return
    found: set[int] = set()
    for n in trace.nodes:
        for key, value in getattr(n, "_params", {}).items() if isinstance(n, Tensor) else ():
            items = value if type(value) is tuple else (value,)
            for j, v in enumerate(items):
                if isinstance(v, np.ndarray) and id(v) in arrays:
                    trace.bound.append(Bound(arrays[id(v)], n, key, j if type(value) is tuple else None))
                    found.add(id(v))
                    if v.dtype == np.bool_:  # (a mask: the result's shape is its count of True)
                        trace.guards.append((_counts(int(np.count_nonzero(v))), (v,), "the mask's count"))
    in_graph = {leaf.position for leaf in trace.leaves.values() if leaf.role == "argument"}
    constants = [leaf.node.data for leaf in trace.leaves.values() if leaf.role == "constant"]
    for key, i in arrays.items():
        x = flat[i]
        if isinstance(x, Tensor) and (i in in_graph or key in found or x.requires_grad):
            continue
        x = np.asarray(x.data if isinstance(x, Tensor) else x)
        copied = any(
            np.shape(c) == x.shape and np.array_equal(c, x) for c in constants if isinstance(c, np.ndarray)
        )
        if key not in found or copied:
            trace.unbound_arrays.append(i)


def _counts(count: int) -> Callable[[np.ndarray], bool]:
    """Whether a bound mask still holds ``count`` True (the shape of what it selects); else the
    step traces again."""

    def holds(mask: np.ndarray) -> bool:
        return int(np.count_nonzero(mask)) == count

    return holds


def _only_recorded_draws(before: tuple, after: tuple, draws: list[tuple[bytes, bytes]]) -> bool:
    """Whether the random states moved only by the recorded draws (the default generator's state
    before each draw the one after the previous, or the trace's start)."""
    if not draws:
        return after == before
    steps = [before[-1], *(s for d in draws for s in d), after[-1]]
    return after[:-1] == before[:-1] and all(a == b for a, b in zip(steps[::2], steps[1::2]))


def _random_state() -> tuple[Any, ...]:
    legacy = np.random.get_state()
    return (
        random.getstate(),
        legacy[1].tobytes(), legacy[2:],
        random_state.default_generator().get_state().data.tobytes(),
    )  # fmt: skip
