"""A text trace of backpropagation: the forward pass, then every step of the backward pass.

The backward table has one row per edge, in the order the engine walks them:
``grad(input) += local × grad(output)``, where ``local`` is the derivative the
operation stored in the forward pass. For Values the running sums repeat the
engine's own float operations, so the last row of each node is its ``.grad``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, TextIO

import numpy as np

from .draw import Node, local_text, names, num, summarize
from .graph import toposort
from .tensor import Tensor


@dataclass(frozen=True)
class ForwardRow:
    """One node of the forward pass: ``value = op(inputs)``."""

    node: Node
    name: str
    op: str
    inputs: tuple[str, ...]
    value: Any


@dataclass(frozen=True)
class BackwardRow:
    """One step of the backward pass: ``node`` receives ``local × incoming`` from ``output``
    (described by ``source``, e.g. ``"a1 (sigmoid)"``).

    ``grad`` is node's gradient after the step (None where it is not known yet: a
    Tensor's partial sums are not kept). The root's row has no output and source ``"seed"``.
    """

    node: Node
    name: str
    output: Node | None
    source: str
    local: float | str | None
    incoming: Any
    grad: Any


@dataclass(frozen=True)
class Trace:
    forward: list[ForwardRow]
    backward: list[BackwardRow]


def ensure_backward(root: Node) -> None:
    """Run ``root.backward()`` unless it has already run (the output has a gradient)."""
    if isinstance(root, Tensor) and root.grad is None:
        root.backward()
    elif not isinstance(root, Tensor) and root.grad == 0.0:
        root.backward()


def consumers(topo: list[Node]) -> dict[Node, list[tuple[Node, int]]]:
    """For every node, the (output, input position) pairs it feeds, in backward order."""
    users: dict[Node, list[tuple[Node, int]]] = {node: [] for node in topo}
    for node in reversed(topo):
        for i, child in enumerate(node.children):
            users[child].append((node, i))
    return users


def trace_rows(root: Node) -> Trace:
    """The forward and backward rows for the graph of ``root`` (runs backward if needed)."""
    ensure_backward(root)
    topo = toposort(root)
    name = names(topo)
    forward = [ForwardRow(n, name[n], n.op, tuple(name[c] for c in n.children), n.data) for n in topo]
    users = consumers(topo)
    backward = [BackwardRow(root, name[root], None, "seed", None, None, root.grad)]
    for node in reversed(topo[:-1]):
        backward += _backward_rows(node, users[node], name)
    return Trace(forward, backward)


def _backward_rows(node: Node, users: list[tuple[Node, int]], name: dict[Node, str]) -> list[BackwardRow]:
    if isinstance(node, Tensor):
        if node.grad is None:
            return [BackwardRow(node, name[node], None, "(no gradient: constant)", None, None, None)]
        last = len(users) - 1
        return [
            BackwardRow(
                node,
                name[node],
                out,
                f"{name[out]} ({out.op})",
                local_text(out, i),
                out.grad,
                node.grad if k == last else None,
            )
            for k, (out, i) in enumerate(users)
        ]
    rows, total = [], 0.0
    for out, i in users:
        local = out.local_grads[i]
        total += local * out.grad
        rows.append(BackwardRow(node, name[node], out, f"{name[out]} ({out.op})", local, out.grad, total))
    return rows


def _cell(x: Any, digits: int) -> str:
    if x is None:
        return ""
    if isinstance(x, str):
        return x
    if isinstance(x, np.ndarray):
        return summarize(x, digits)
    return num(float(x), digits)


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[j]) for r in [header, *rows]) for j in range(len(header))]
    lines = [header, ["-" * w for w in widths], *rows]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in lines)


def format_trace(t: Trace, digits: int = 6) -> str:
    """The two tables of a :class:`Trace` as text."""
    fwd = [[r.name, r.op or "leaf", ", ".join(r.inputs), _cell(r.value, digits)] for r in t.forward]
    bwd = [
        [r.name, r.source, _cell(r.local, digits), _cell(r.incoming, digits), _cell(r.grad, digits)]
        for r in t.backward
    ]
    return (
        "Forward pass (topological order): value = op(inputs)\n"
        + _table(["node", "op", "inputs", "value"], fwd)
        + "\n\nBackward pass (reverse order): grad(node) += local derivative × incoming gradient\n"
        + _table(
            ["node", "gets gradient from", "local ∂out/∂node", "incoming gradient", "resulting gradient"], bwd
        )
        + "\n"
    )


def trace(root: Node, file: TextIO | None = None, digits: int = 6) -> str:
    """Print the forward and backward pass of ``root``'s graph as tables and return the text.

    Runs ``root.backward()`` first unless it has already run. Numbers are shown with
    ``digits`` significant digits; :func:`trace_rows` gives the exact values.
    """
    text = format_trace(trace_rows(root), digits)
    print(text, end="", file=file or sys.stdout)
    return text
