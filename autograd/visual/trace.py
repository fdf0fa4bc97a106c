"""A text trace of backpropagation: the forward pass, then every step of the backward pass.

The backward table has one row per edge, in the order the engine walks them:
``grad(input) += local × grad(output)``, where ``local`` is the derivative the
operation stored in the forward pass, written from its rule in the operation table
to its number as the drawing's cell (``σ(z1)(1 − σ(z1)) = 0.574443 × 0.425557 =
0.244458``; :mod:`.cells`). A node with several users gets one row per user, each
with its rule, and the running sum of their terms. For Values the running sums repeat the
engine's own float operations, so the last row of each node is its ``.grad``.
A loss is one row named after it, as in the drawing (``expand_losses=True``
lists its inside): its local derivatives are the chain rule through the loss.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TextIO

from .cells import local_steps
from .text import cell
from .walk import Node, Walk, as_root, backward_ran, grad_of, is_tensor


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
    ``needed`` is False when no parameter depends on ``node`` (the engine computes its
    gradient, but nothing uses it; the page greys the row). ``derivative``: ``local`` as the
    table shows it, the steps from its rule to its number (``cells.local_steps``), read joined
    by " = ".
    """

    node: Node
    name: str
    output: Node | None
    source: str
    local: float | str | None
    incoming: Any
    grad: Any
    needed: bool = True
    derivative: tuple[str, ...] = ()


FORWARD_HEAD = ["node", "op", "inputs", "value"]
BACKWARD_HEAD = ["node", "gets gradient from", "local ∂out/∂node", "incoming gradient", "resulting gradient"]
#: the columns holding numbers (never wrapped in HTML)
FORWARD_NUMBERS = {3}
BACKWARD_NUMBERS = {3, 4}
#: the column of rules with their numbers (wrapped in HTML at spaces and after operators, never
#: inside a number)
BACKWARD_RULES = {2}
#: where a name may wrap in HTML: after an operator or an underscore
_BREAKS = re.compile(r"([+·*/@_,]|&amp;)")


@dataclass(frozen=True)
class Trace:
    """The forward and backward rows; shows as the two tables (``digits`` significant digits)."""

    forward: list[ForwardRow]
    backward: list[BackwardRow]
    digits: int = 6

    def cells(self) -> tuple[list[list[str]], list[list[str]]]:
        d = self.digits
        fwd = [[r.name, r.op or "leaf", ", ".join(r.inputs), cell(r.value, d)] for r in self.forward]
        bwd = [
            [
                r.name,
                r.source,
                " = ".join(r.derivative) or cell(r.local, d),
                cell(r.incoming, d),
                cell(r.grad, d),
            ]
            for r in self.backward
        ]
        return fwd, bwd

    def __str__(self) -> str:
        fwd, bwd = self.cells()
        return (
            "Forward pass (topological order): value = op(inputs)\n"
            + _table(FORWARD_HEAD, fwd)
            + "\n\nBackward pass (reverse order): grad(node) += local derivative × incoming gradient\n"
            + _table(BACKWARD_HEAD, bwd)
            + "\n"
        )

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return self.html()

    def html(self) -> str:
        """Both tables as HTML. Forward row ``k`` has the id ``f{k}``, backward row ``k`` the id
        ``b{k}`` (the step-through page highlights rows by it); rows of gradients no parameter
        needs have the class ``none``, number cells the class ``num``."""
        fwd, bwd = self.cells()
        for row, r in zip(bwd, self.backward):
            row[2] = list(r.derivative) or row[2]  # (its steps: each wraps as one piece where it fits)
        grey = [not r.needed for r in self.backward]
        return html_table("Forward pass", FORWARD_HEAD, fwd, "f", FORWARD_NUMBERS) + html_table(
            "Backward pass", BACKWARD_HEAD, bwd, "b", BACKWARD_NUMBERS, grey, BACKWARD_RULES
        )


def ensure_backward(root: Node) -> None:
    """Run ``root.backward()`` unless it has already run (the output has a gradient)."""
    if not backward_ran(root):
        root.backward()


def rows(walk: Walk, digits: int = 6) -> Trace:
    """The rows of ``walk``'s graph (backward must have run)."""
    name = walk.name
    forward = [
        ForwardRow(n, name[n], walk.op_name(n), tuple(name[e.child] for e in walk.inputs[n]), n.data)
        for n in walk.nodes
    ]
    root = walk.root
    backward = [
        BackwardRow(root, name[root], None, "seed", None, None, grad_of(root), root in walk.needs_grad)
    ]
    for node in reversed(walk.nodes[:-1]):
        backward += _backward_rows(walk, node, digits)
    return Trace(forward, backward, digits)


def _backward_rows(walk: Walk, node: Node, digits: int) -> list[BackwardRow]:
    name, users, needed = walk.name, walk.users[node], node in walk.needs_grad
    if is_tensor(node) and grad_of(node) is None:
        return [BackwardRow(node, name[node], None, "(no gradient: constant)", None, None, None, needed)]
    rows_, total = [], 0.0
    for k, e in enumerate(users):
        source = f"{name[e.out]} ({walk.op_name(e.out)})"
        incoming = grad_of(e.out)
        if is_tensor(node):
            grad = grad_of(node) if k == len(users) - 1 else None
        else:
            total += e.local * incoming
            grad = total
        derivative = tuple(local_steps(walk, e, digits))
        rows_.append(
            BackwardRow(node, name[node], e.out, source, e.local, incoming, grad, needed, derivative)
        )
    return rows_


def trace_rows(root: Node, *, params: Iterable[Node] | None = None, expand_losses: bool = False) -> Trace:
    """The forward and backward rows of ``root``'s graph, as data.

    Parameters
    ----------
    root : Value, Tensor or ValueArray
        The output node (a one-element ValueArray stands for its Value); ``backward()`` runs
        first unless it has run.
    params : iterable of nodes, optional
        The nodes whose gradients are needed, coloured as parameters (default: labelled Value
        leaves and Tensor leaves with ``requires_grad``); nodes no parameter needs show ``grad —``.
    expand_losses : bool
        List a loss's inside node by node; by default (False) a loss is one row named after it, as
        in the drawing.

    Returns
    -------
    Trace
        ``forward`` (:class:`~autograd.visual.trace.ForwardRow`) and ``backward``
        (:class:`~autograd.visual.trace.BackwardRow`) lists.

    Raises
    ------
    TypeError
        If ``root`` is not a Value, a Tensor or a one-element ValueArray.
    ValueError
        If ``root`` is a ValueArray of several elements.
    """
    root = as_root(root, "trace_rows")
    ensure_backward(root)
    return rows(Walk(root, params, collapse=not expand_losses))


def trace(
    root: Node,
    file: TextIO | None = None,
    digits: int = 6,
    *,
    params: Iterable[Node] | None = None,
    expand_losses: bool = False,
) -> Trace:
    """The forward and backward pass of ``root``'s graph as two text tables; given a matrix (a Tensor
    of 2 or more dimensions and several elements), ``torch.trace``: the sum of its diagonal.

    The forward table lists the nodes in topological order, ``value = op(inputs)``; the backward
    table has one row per edge: ``grad(node) += local ∂out/∂node × incoming gradient``. One name
    with two uses, as ``autograd.grad``: a matrix has no backward pass to show (it is not a loss),
    so ``autograd.trace(m)`` is torch's ``trace(m)``, as ``m.trace()``.

    Parameters
    ----------
    root : Value, Tensor or ValueArray
        The output node (a one-element ValueArray stands for its Value); ``backward()`` runs
        first unless it has run.
    file : text file, optional
        Also write the tables there.
    digits : int
        Significant digits of the numbers (default 6).
    params : iterable of nodes, optional
        As in :func:`trace_rows`.
    expand_losses : bool
        List a loss's inside node by node; by default (False) a loss is one row named after it,
        as in the drawing.

    Returns
    -------
    Trace or Tensor
        Prints as the two tables (``print(trace(loss))``); in Jupyter a cell's last expression
        shows them once. For a matrix, the sum of its diagonal (a 0-d Tensor).

    Raises
    ------
    TypeError
        If ``root`` is not a Value, a Tensor or a one-element ValueArray.
    ValueError
        If ``root`` is a ValueArray of several elements.
    """
    if is_tensor(root) and root.data.ndim >= 2 and root.data.size != 1:  # (torch.trace(m))
        from ..products import trace as diagonal_sum

        return diagonal_sum(root)
    root = as_root(root, "trace")
    ensure_backward(root)
    t = rows(Walk(root, params, collapse=not expand_losses), digits)
    if file is not None:
        file.write(str(t))
    return t


def _table(header: list[str], rows_: list[list[str]]) -> str:
    widths = [max(len(r[j]) for r in [header, *rows_]) for j in range(len(header))]
    lines = [header, ["-" * w for w in widths], *rows_]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in lines)


def _wrappable(name: str) -> str:
    """``name`` escaped for HTML, with a line-break opportunity after each operator."""
    return _BREAKS.sub(r"\1<wbr>", html.escape(name))


def _steps(steps: str | list[str]) -> str:
    """A rule's steps, ``= `` before each after the first, each one piece that wraps inside only
    where it is wider than the column."""
    if isinstance(steps, str):
        return _wrappable(steps)
    return " ".join(
        f'<span class="step">{_wrappable(("= " if k else "") + s)}</span>' for k, s in enumerate(steps)
    )


def html_table(
    title: str,
    header: list[str],
    rows_: list[list[Any]],
    prefix: str,
    numbers: set[int] = frozenset(),
    grey: list[bool] | None = None,
    rules: set[int] = frozenset(),
) -> str:
    """One table as HTML; row ``k`` has the id ``{prefix}{k}``, the class ``none`` where
    ``grey[k]``, the columns ``numbers`` the class ``num`` and the columns ``rules`` the class
    ``rule``; a rule's cell may be its steps (a list), each kept on one line where it fits."""
    cls = [
        ' class="num"' if j in numbers else ' class="rule"' if j in rules else "" for j in range(len(header))
    ]
    head = "".join(f"<th{c}>{html.escape(h)}</th>" for c, h in zip(cls, header))
    body = []
    for k, r in enumerate(rows_):
        row_cls = ' class="none"' if grey and grey[k] else ""
        cells = "".join(
            f"<td{c}>{html.escape(x) if j in numbers else _steps(x) if j in rules else _wrappable(x)}</td>"
            for j, (c, x) in enumerate(zip(cls, r))
        )
        body.append(f'<tr id="{prefix}{k}"{row_cls}>{cells}</tr>')
    caption = f"<caption>{html.escape(title)}</caption>"
    return f"<table class='trace'>{caption}<tr>{head}</tr>{''.join(body)}</table>"
