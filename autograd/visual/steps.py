"""Step through a forward and backward pass one node at a time: as data, or as one HTML page.

Each frame's caption is the node's step written out with its numbers: the
forward formula (``z3 = s + b3 = 0.4312 + 0.3 = 0.7312``), then the chain rule, each
term with its rule from the operation table and its numbers (``grad(z1) = ∂a1/∂z1 ·
grad(a1) = σ(z1)(1 − σ(z1)) · grad(a1) = 0.5744 × 0.4256 × (-0.1864) = -0.0456``). The page
holds the drawing once and the frames as JSON; its script shows values node by
node, then gradients, highlights the node and its inputs, and zooms to them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import page
from . import render as rnd
from .cells import (
    DIGITS,
    chain_term,
    claim_mark,
    claim_verdict,
    data_text,
    grad_text,
    local_lines,
    local_shown,
    signed,
)
from .claims import Claim
from .draw import draw_walk, node_id
from .text import num
from .trace import ensure_backward, rows
from .walk import Node, Walk, as_root, grad_of, is_tensor

MAX_TERMS = 4  # a node used more often gets its first terms and a count (all are in the trace table)
_INFIX = {
    "+": ("+", "+"),
    "-": ("-", "-"),
    "*": ("·", "×"),
    "/": ("/", "/"),
    "@": ("@", "@"),
    "**": ("**", "**"),
}


@dataclass(frozen=True)
class Frame:
    """Step ``step`` of the pass ``phase`` ("forward" or "backward"): ``node`` has just got
    its value (forward) or its final gradient (backward), as ``explanation`` spells out."""

    step: int
    phase: str
    node: Node
    value: Any
    explanation: str


def _forward_text(walk: Walk, node: Node) -> str:
    me, edges, op = walk.name[node], walk.inputs[node], walk.op_name(node)
    refs = [walk.ref(e.child) for e in edges]
    if is_tensor(node):
        shapes = [str(e.child.shape) for e in edges]
        if op in _INFIX and len(edges) == 2:
            sym = _INFIX[op][0]
            formula, shapes_ = f"{refs[0]} {sym} {refs[1]}", f"{shapes[0]} {sym} {shapes[1]}"
        else:
            formula, shapes_ = f"{op}({', '.join(refs)})", ", ".join(shapes)
        return f"{me} = {formula}, shape {shapes_} → {node.shape}: {data_text(node, DIGITS)}"
    vals = [signed(e.child.data) for e in edges]
    if op in _INFIX and len(edges) == 2:
        sym, times = _INFIX[op]
        return f"{me} = {refs[0]} {sym} {refs[1]} = {vals[0]} {times} {vals[1]} = {num(node.data, DIGITS)}"
    if op.startswith("**") and len(edges) == 1:
        return f"{me} = {refs[0]}{op} = {vals[0]}{op} = {num(node.data, DIGITS)}"
    return f"{me} = {op}({', '.join(refs)}) = {op}({', '.join(vals)}) = {num(node.data, DIGITS)}"


def _backward_text(walk: Walk, node: Node) -> str:
    """``grad(node) = Σ ∂out/∂node · grad(out)``, then each term with its rule from the operation
    table, then with its numbers; ``= —`` and why, for a gradient the page does not show (the
    box shows ``grad —`` too)."""
    me, users, ref = walk.name[node], walk.users[node], walk.ref(node)
    if not users:
        return f"grad({me}) = {grad_text(node, DIGITS)}: the seed, ∂{ref}/∂{ref}"
    if node not in walk.shows_grad:
        if is_tensor(node) and grad_of(node) is None:
            return f"grad({me}) = —: a constant (requires_grad=False), which backward skips"
        return f"grad({me}) = —: not needed, no parameter depends on {me}"
    shown = users if len(users) <= MAX_TERMS else users[: MAX_TERMS - 1]
    more = len(users) - len(shown)
    rest = f" + … ({more} more terms: see the trace table)" if more else ""
    terms = [chain_term(walk, e) for e in shown]
    stages = [" + ".join(t.symbolic for t in terms) + rest]
    if is_tensor(node):
        return f"grad({me}) = {stages[0]} = {grad_text(node, DIGITS)}"
    if any(t.rule for t in terms):
        stages.append(" + ".join(t.rule or t.symbolic for t in terms) + (" + …" if more else ""))
    stages.append(" + ".join(t.numbers for t in terms) + (" + …" if more else ""))
    return f"grad({me}) = {' = '.join(stages)} = {num(grad_of(node), DIGITS)}"


def forward_frames(walk: Walk) -> list[Frame]:
    """One frame per computed node, in the order forward computes them."""
    computed = [n for n in walk.nodes if walk.inputs[n]]
    return [Frame(k, "forward", n, n.data, _forward_text(walk, n)) for k, n in enumerate(computed)]


def backward_frames(walk: Walk) -> list[Frame]:
    """One frame per node, in the order backward finishes their gradients (output first)."""
    order = list(reversed(walk.nodes))
    return [Frame(k, "backward", n, grad_of(n), _backward_text(walk, n)) for k, n in enumerate(order)]


def backward_steps(
    root: Node, *, params: Iterable[Node] | None = None, expand_losses: bool = False
) -> list[Frame]:
    """The backward pass as frames, one per node, in the order backward finishes their gradients.

    Parameters
    ----------
    root : Value, Tensor or ValueArray
        The output node (a one-element ValueArray stands for its Value); ``backward()`` runs
        first unless it has run.
    params : iterable of nodes, optional
        The nodes whose gradients are needed, coloured as parameters (default: labelled Value
        leaves and Tensor leaves with ``requires_grad``); nodes no parameter needs show ``grad —``.
    expand_losses : bool
        Step through a loss's inside node by node; by default (False) a loss is one frame, as in
        the drawing and the trace.

    Returns
    -------
    list of Frame
        Each with the node, its gradient and the caption that spells out the chain-rule step,
        e.g. ``grad(z1) = ∂a1/∂z1 · grad(a1) = 0.244458 × (-0.186429) = -0.0455741``.

    Raises
    ------
    TypeError
        If ``root`` is not a Value, a Tensor or a one-element ValueArray.
    ValueError
        If ``root`` is a ValueArray of several elements.
    """
    root = as_root(root, "backward_steps")
    ensure_backward(root)
    return backward_frames(Walk(root, params, collapse=not expand_losses))


class StepThrough:
    """The forward and backward pass of ``root`` as frames, shown as one interactive page (in
    Jupyter inline; :meth:`~autograd.StepThrough.save` writes it to a file).

    The page is a snapshot: numbers are read when it is made, so a later optimizer step does not
    change it. ``claims`` are numbers someone states for nodes of the graph, e.g. teaching notes:
    each is judged at the frame where its node gets that number, ✓ or ✗ beside the engine's, and
    a wrong one stays marked in the node's box.

    Parameters
    ----------
    root : Value, Tensor or ValueArray
        The output node (a one-element ValueArray stands for its Value); ``backward()`` runs
        first unless it has run.
    params : iterable of nodes, optional
        The nodes whose gradients are needed, coloured as parameters (default: labelled Value
        leaves and Tensor leaves with ``requires_grad``); nodes no parameter needs show ``grad —``.
    expand_losses : bool
        Step through a loss's inside node by node; by default (False) a loss is one node, as in
        the drawing and the trace.
    title : str
        The page's title.
    rankdir : {"TB", "LR", "BT", "RL"}
        The drawing's direction (default top to bottom), as in :func:`~autograd.draw_graph`.
    max_nodes : int or None
        Draw at most this many nodes (default 1000; None: all).
    claims : iterable of Claim
        Numbers to judge against the engine's (see :class:`~autograd.Claim`).
    claimed_by : str
        Who made the claims, as the page labels them (default ``"claimed"``; e.g. ``"notes"``).

    Raises
    ------
    TypeError
        If ``root`` is not a Value, a Tensor or a one-element ValueArray; a claim is not a
        :class:`~autograd.Claim`, or its number is not one number (a Tensor of several elements).
    ValueError
        If ``root`` is a ValueArray of several elements, or a claim's node is not drawn (inside a
        collapsed loss, or beyond ``max_nodes``).
    """

    def __init__(
        self,
        root: Node,
        *,
        params: Iterable[Node] | None = None,
        expand_losses: bool = False,
        title: str = "Backpropagation, step by step",
        rankdir: str = "TB",
        max_nodes: int | None = 1000,
        claims: Iterable[Claim] = (),
        claimed_by: str = "claimed",
    ) -> None:
        root = as_root(root, "StepThrough")
        ensure_backward(root)
        self.walk = Walk(root, params, collapse=not expand_losses)
        self.title = title
        self.claims = list(claims)
        self.claimed_by = claimed_by
        self._verdicts = [self._judge(c) for c in self.claims]  # read now: the page is a snapshot
        self.frames = forward_frames(self.walk) + backward_frames(self.walk)
        self.drawing = draw_walk(self.walk, rankdir=rankdir, max_nodes=max_nodes, claims=self._marks())
        self.trace = rows(self.walk)

    def _judge(self, c: Claim) -> tuple[bool, str]:
        """Whether ``c`` agrees with the engine, and the verdict as the caption says it."""
        if not isinstance(c, Claim):
            raise TypeError(f"StepThrough: claims must be Claim objects; got {type(c).__name__}")
        if c.node not in self.walk.inputs:
            hidden = c.node in self.walk.index
            why = " (it is inside a collapsed loss: pass expand_losses=True)" if hidden else ""
            raise ValueError(f"StepThrough: a claim's node is not in the graph of root{why}")
        return c.agrees(), claim_verdict(self.walk, c, self.claimed_by)

    def _marks(self) -> dict[Node, list[tuple[str, str]]]:
        """Per node, the (data or grad, text) of each wrong claim, for its box."""
        marks: dict[Node, list[tuple[str, str]]] = {}
        for c, (ok, _) in zip(self.claims, self._verdicts):
            if not ok:
                marks.setdefault(c.node, []).append((c.of, claim_mark(c, self.claimed_by)))
        return marks

    def state(self) -> dict[str, Any]:
        """What the page's script needs: per node its id; per frame the node, its neighbours,
        the caption, the verdicts on claims and the trace rows to highlight; per node the
        marks of wrong claims."""
        walk, ids = self.walk, {n: node_id(self.walk, n) for n in self.walk.nodes}
        fwd_row = {r.node: k for k, r in enumerate(self.trace.forward)}
        bwd_rows: dict[Node, list[int]] = {}
        for k, r in enumerate(self.trace.backward):
            bwd_rows.setdefault(r.node, []).append(k)
        verdicts: dict[tuple[Node, str], list[dict[str, Any]]] = {}
        for c, (ok, text) in zip(self.claims, self._verdicts):
            verdicts.setdefault((c.node, c.of), []).append({"text": text, "ok": ok})
        frames = []
        for f in self.frames:
            if f.phase == "forward":
                edges = walk.inputs[f.node]
                near = [ids[e.child] for e in edges]
                row = [f"f{fwd_row[f.node]}"]
            else:
                edges = walk.users[f.node]
                near = [ids[e.out] for e in edges]
                row = [f"b{k}" for k in bwd_rows.get(f.node, [])]
            edge_ids = [f"e{walk.index[e.child]}_{walk.index[e.out]}_{e.position}" for e in edges]
            frames.append(
                {
                    "node": ids[f.node],
                    "near": near,
                    "edges": edge_ids,
                    "caption": f.explanation,
                    "phase": f.phase,
                    "rows": row,
                    "claims": verdicts.get((f.node, "data" if f.phase == "forward" else "grad"), []),
                }
            )
        if frames:  # a leaf's value is given, not computed: claims about it are judged at the start
            given = [(node, of) for node, of in verdicts if of == "data" and not walk.inputs[node]]
            frames[0]["claims"] = [v for key in given for v in verdicts[key]] + frames[0]["claims"]
        return {
            "leaves": [ids[n] for n in walk.nodes if not walk.inputs[n]],
            "order": [ids[f.node] for f in self.frames if f.phase == "forward"],
            "frames": frames,
            "marks": {ids[n]: [{"of": of, "text": t} for of, t in m] for n, m in self._marks().items()},
            # each line of the input cells before their operation has run, in the order the box shows them
            "pending": {
                ids[n]: [
                    line for e in walk.inputs[n] if local_shown(walk, e) for line in local_lines(walk, e)[1]
                ]
                for n in walk.nodes
                if walk.inputs[n]
            },
        }

    def html(self) -> str:
        """The page as one self-contained HTML document (raises RenderError without a renderer)."""
        return page.build(self.drawing.svg(), self.title, self.state(), self.trace.html())

    def save(self, path: str | Path) -> Path | None:
        """Write the page to ``path``; without a renderer print one line saying what to install
        and return None."""
        try:
            text = self.html()
        except rnd.RenderError as e:
            print(f"The step-through page needs a drawing: {e}", file=sys.stderr)
            return None
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def _repr_html_(self) -> str:
        try:
            return page.embed(self.html(), height=640)
        except rnd.RenderError as e:
            return f"<pre>{e}</pre>"

    def __repr__(self) -> str:
        return f"<StepThrough of {len(self.walk.nodes)} nodes: {len(self.frames)} frames>"


def backward_html(
    root: Node, path: str | Path, title: str = "Backpropagation, step by step", **options: Any
) -> Path | None:
    """Write the step-through page of ``root``'s forward and backward pass to one HTML file.

    The page holds the drawing once and one frame per node: forward frames show values appearing
    node by node, backward frames gradients, each with a caption that spells out the step with its
    numbers. It zooms to the active node, highlights its rows in the trace table, and works
    offline (its script and style are inlined).

    Parameters
    ----------
    root : Value, Tensor or ValueArray
        The output node (a one-element ValueArray stands for its Value); ``backward()`` runs
        first unless it has run.
    path : str or pathlib.Path
        The file to write (folders are created).
    title : str
        The page's title.
    **options
        Passed to :class:`~autograd.StepThrough` (``params``, ``expand_losses``,
        ``rankdir``, ``max_nodes``).

    Returns
    -------
    pathlib.Path or None
        The path written, or None without a Graphviz renderer (one line says what to install).

    Raises
    ------
    TypeError
        If ``root`` is not a Value, a Tensor or a one-element ValueArray.
    ValueError
        If ``root`` is a ValueArray of several elements; ``options`` raise as in
        :class:`~autograd.StepThrough`.
    """
    return StepThrough(as_root(root, "backward_html"), title=title, **options).save(path)
