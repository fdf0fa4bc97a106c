"""The one walk of a graph that the drawing, the trace and the step-through page share.

A :class:`Walk` lists the nodes in topological order and knows, for each node,
its name, the edges into it (with the local derivative each carries) and the
edges out of it in the order backward uses them, which loss group it belongs
to, whether any parameter needs its gradient, and whether backward has computed
it (:attr:`Walk.shows_grad`: the pictures show no other gradient). With ``collapse=True`` every
loss group is one node: its output, whose inputs are the loss's inputs and whose
local derivatives are the chain rule through the group (a number for Values,
the vector-Jacobian product's name for Tensors).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Union

from .._tensor import Tensor
from ..graph import toposort
from ..value import Value
from ..value_array import ValueArray
from .groups import Group, group_of
from .text import check_label, short

Node = Union[Value, Tensor]


@dataclass(frozen=True)
class Edge:
    """``child`` is input ``position`` of ``out``; ``local`` is ∂out/∂child for a Value (a
    number) or, for a Tensor, the rule giving the gradient sent to ``child`` (text)."""

    child: Node
    out: Node
    position: int
    local: float | str


def is_tensor(node: object) -> bool:
    return isinstance(node, Tensor)


def is_node(x: object) -> bool:
    """Whether ``x`` is a graph node (a Value or a Tensor)."""
    return isinstance(x, (Value, Tensor))


def as_root(root: object, op: str) -> Node:
    """``root`` as the output node a picture starts from: a Value or a Tensor as given, a
    one-element ValueArray as its Value; a TypeError or ValueError naming ``op`` otherwise."""
    if is_node(root):
        return root
    if isinstance(root, ValueArray):
        if root.values.size == 1:
            return root.to_value()
        raise ValueError(
            f"{op}: root must be one output node; got a ValueArray of shape {root.shape} "
            "(pass its sum, or one element)"
        )
    shown = repr(root) if len(repr(root)) <= 40 else repr(root)[:37] + "..."
    raise TypeError(
        f"{op}: root must be a Value, a Tensor or a one-element ValueArray (the output of a "
        f"computation); got {type(root).__name__} {shown}"
    )


def _tensor_rule(node: Tensor, i: int) -> str:
    rules = node.local_grads
    return rules[min(i, len(rules) - 1)] if rules else ""  # a variadic op has one rule for all inputs


def grad_of(node: Node) -> Any:
    """``node``'s gradient as numbers: a float (Value), an ndarray (Tensor) or None (none computed).
    A ``create_graph`` gradient is itself a graph node: its numbers. The visual tools read every
    gradient through here."""
    g = node.grad
    return g.data if is_node(g) else g


def backward_ran(root: Node) -> bool:
    """Whether backward has run from ``root``: its gradient is set (a Value's starts at 0)."""
    g = root.grad  # (whether it is set: a create_graph gradient is a node, even a 0 one)
    return g is not None if is_tensor(root) else is_node(g) or g != 0.0


class Walk:
    """The graph of ``root`` as the pictures show it (see the module docstring)."""

    def __init__(self, root: Node, params: Iterable[Node] | None = None, collapse: bool = True) -> None:
        topo = toposort(root)
        for node in topo:
            check_label(node.label)
        self.root = root
        self.index = {node: i for i, node in enumerate(topo)}
        self.name = {node: short(node.label) if node.label else f"#{i}" for i, node in enumerate(topo)}
        self.groups = self._find_groups(topo)
        self.member_of = {m: g for g in self.groups for m in g.members}
        hidden = {m for g in self.groups for m in g.members if m is not g.output} if collapse else set()
        self.collapsed = collapse
        #: what the texts of an edge are made from, once per edge (``cells.derivation``), by id(edge)
        self.memo: dict[int, Any] = {}
        self.nodes = [node for node in topo if node not in hidden]
        self.inputs: dict[Node, list[Edge]] = {}
        for node in self.nodes:
            group = self.group(node)
            if collapse and group is not None:
                self.inputs[node] = self._group_edges(group)
            else:
                self.inputs[node] = [
                    Edge(c, node, i, self._local(node, i)) for i, c in enumerate(node.children)
                ]
        self.users: dict[Node, list[Edge]] = {node: [] for node in self.nodes}
        for node in reversed(self.nodes):
            for edge in self.inputs[node]:
                self.users[edge.child].append(edge)
        param_ids = None if params is None else {id(p) for p in params}
        self.parameters = {n for n in self.nodes if not n.children and self._is_param(n, param_ids)}
        self.needs_grad = self._needing_grad()
        #: the nodes whose gradient is shown: needed, and computed by a backward pass from the root
        self.backward_ran = backward_ran(root)
        self.shows_grad = (
            {n for n in self.needs_grad if grad_of(n) is not None} if self.backward_ran else set()
        )

    # -- structure
    @staticmethod
    def _find_groups(topo: list[Node]) -> list[Group]:
        groups: list[Group] = []
        inside: set[Node] = set()
        for node in reversed(topo):  # outermost first: a loss built from another is one group
            if node.children and node not in inside:
                group = group_of(node)
                if group is not None:
                    groups.append(group)
                    inside |= group.members
        return groups

    def group(self, node: Node) -> Group | None:
        """The loss group whose output is ``node``."""
        g = self.member_of.get(node)
        return g if g is not None and g.output is node else None

    @staticmethod
    def _local(node: Node, i: int) -> float | str:
        return _tensor_rule(node, i) if is_tensor(node) else node.local_grads[i]

    def _group_edges(self, group: Group) -> list[Edge]:
        """Edges input → group output; for Values the local derivative is the chain rule
        through the group (the sum over paths of the products of local derivatives)."""
        if is_tensor(group.output):
            return [Edge(x, group.output, i, f"g through {group.name}") for i, x in enumerate(group.inputs)]
        adjoint: dict[Node, float] = {group.output: 1.0}
        for node in sorted(group.members, key=self.index.__getitem__, reverse=True):
            a = adjoint.get(node, 0.0)
            for i, child in enumerate(node.children):
                adjoint[child] = adjoint.get(child, 0.0) + a * node.local_grads[i]
        return [Edge(x, group.output, i, adjoint.get(x, 0.0)) for i, x in enumerate(group.inputs)]

    @staticmethod
    def _is_param(node: Node, param_ids: set[int] | None) -> bool:
        if param_ids is not None:
            return id(node) in param_ids
        return node.requires_grad if is_tensor(node) else bool(node.label)

    def _needing_grad(self) -> set[Node]:
        """Parameters and every node computed from one: the nodes whose gradient is needed."""
        needs: set[Node] = set()
        for node in self.nodes:
            if node in self.parameters or any(e.child in needs for e in self.inputs[node]):
                needs.add(node)
        return needs

    def kind(self, node: Node) -> str:
        """'output', 'parameter', 'input' (a leaf nobody trains) or 'intermediate'."""
        if node is self.root:
            return "output"
        if not self.inputs[node]:
            return "parameter" if node in self.parameters else "input"
        return "intermediate"

    # -- text
    def ref(self, node: Node) -> str:
        """The node's name, in parentheses when it is an expression (``(w13·a1+w23·a2)``)."""
        name = self.name[node]
        return name if name.replace("_", "").isalnum() or name.startswith("#") else f"({name})"

    def op_name(self, node: Node) -> str:
        """The operation that made ``node``: its op, or the loss's name for a collapsed group."""
        group = self.group(node) if self.collapsed else None
        return group.name if group is not None else node.op
