"""What each part of a node's box says: its data, its gradient, the derivative on each input
edge, and the claims set beside them.

The drawing, the step-through captions and the page take these texts from here, so
a cell reads the same everywhere. An edge is written by :func:`local_text` (its cell
in the box) and :func:`chain_term` (its term of the chain rule in a caption).
"""

from __future__ import annotations

from .claims import Claim
from .text import cell, num, printable
from .walk import Edge, Node, Walk, is_node, is_tensor

#: significant digits in captions: enough that a product visibly matches its factors
DIGITS = 6
#: the one grey state: no number to show (not needed, or not computed yet)
NONE = "—"


def data_text(node: Node, digits: int = 4) -> str:
    """The node's value: a number, or an array's values or summary."""
    return cell(node.data, digits)


def grad_text(node: Node, digits: int = 4) -> str:
    """The node's gradient (a ``create_graph`` gradient by its numbers); ``None`` when it has none."""
    g = node.grad
    if is_node(g):  # a create_graph gradient is itself a graph node: show its numbers
        g = g.data
    return "None" if g is None else cell(g, digits)


def local_shown(walk: Walk, edge: Edge) -> bool:
    """Whether ``edge``'s cell shows a derivative: backward skips a Tensor input that no
    parameter needs, and its cell says so in grey instead."""
    return not (is_tensor(edge.child) and edge.child not in walk.needs_grad)


def local_text(walk: Walk, edge: Edge, known: bool = True) -> str:
    """The cell of ``edge``: ``∂/∂a = 0.5`` for a Value, the rule and shapes for a Tensor; with
    ``known=False`` the same cell before its operation has run (``∂/∂a = —``, ``a: —``)."""
    if isinstance(edge.local, str):
        shapes = "" if edge.child.shape == edge.out.shape else f"  {edge.out.shape}→{edge.child.shape}"
        return f"{walk.ref(edge.child)}: {edge.local}{shapes}" if known else f"{walk.ref(edge.child)}: {NONE}"
    return f"∂/∂{walk.ref(edge.child)} = {num(edge.local) if known else NONE}"


def skipped_text(walk: Walk, edge: Edge) -> str:
    """The grey cell of an input backward skips (see :func:`local_shown`)."""
    return f"{walk.ref(edge.child)}: not needed"


def signed(x: float) -> str:
    """A number with caption digits, in parentheses when negative (``a × (-b)`` reads unambiguously)."""
    s = num(x, DIGITS)
    return f"({s})" if s.startswith("-") else s


def chain_term(walk: Walk, edge: Edge) -> tuple[str, str]:
    """The chain-rule term ``edge`` adds to its input's gradient: as a rule
    (``∂a1/∂z1 · grad(a1)``) and, for a Value, with its numbers (``0.2445 × (-0.1767)``)."""
    out = walk.name[edge.out]
    if isinstance(edge.local, str):  # a Tensor's vector-Jacobian product
        return f"[{edge.local}] with g = grad({out})", ""
    return f"∂{walk.ref(edge.out)}/∂{walk.ref(edge.child)} · grad({out})", (
        f"{signed(edge.local)} × {signed(edge.out.grad)}"
    )


def claim_mark(claim: Claim, by: str) -> str:
    """A wrong claim in its node's box: ``notes 1.086 ✗``."""
    return f"{printable(by)} {claim.text} ✗"


def claim_verdict(walk: Walk, claim: Claim, by: str) -> str:
    """A claim judged, for the caption: ``✗ notes: z3 = 1.086; the engine: 1.01334. <note>``."""
    name = walk.name[claim.node]
    what = name if claim.of == "data" else f"grad({name})"
    note = f" {printable(claim.note)}" if claim.note else ""
    if claim.agrees():
        return f"✓ {printable(by)}: {what} = {claim.text}, as the engine computes.{note}"
    return f"✗ {printable(by)}: {what} = {claim.text}; the engine: {num(claim.engine(), DIGITS)}.{note}"
