"""Draw a computation graph with Graphviz: values, gradients and the derivative on every edge.

Every node is one box: its name and operation, its data and its gradient, and
one cell per input where that input's arrow ends. For a ``Value`` the cell holds
the local derivative ∂out/∂in (backward multiplies the gradient by it), from the
operation table's rule to its number (``∂/∂z1 = σ(z1)(1 − σ(z1)) = 0.5744 × 0.4256
= 0.2445``, :mod:`.cells` says how); for a ``Tensor`` it holds the vector-Jacobian
product, the gradient sent to that input written with ``g = ∂L/∂out``, and the
shapes when they differ. A loss is
one box named after it (``expand_losses=True`` shows its inside, framed). A
gradient is shown only where one was computed and is needed: nodes whose gradient
no parameter needs (inputs, targets, constants and what is computed only from
them), and every node before backward has run, show ``grad —`` in grey.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import graphviz

from . import label as lbl
from . import page
from . import render as rnd
from .cells import NONE, data_text, grad_text, local_lines, local_shown, skipped_text
from .text import short
from .walk import Edge, Node, Walk, as_root, is_tensor

COLORS = lbl.COLORS
#: a gradient not shown: not needed, or not computed (yet); one grey state everywhere
NONE_GRAD = f"grad {NONE}"
#: a leaf feeding more ops than this is drawn once per use: Graphviz lays out fan-outs slowly
SHARE_LIMIT = 4
__all__ = ["draw_graph", "render", "dot_available", "Drawing", "draw_walk", "node_id"]


class Drawing(graphviz.Digraph):
    """The result of :func:`~autograd.draw_graph`: a ``graphviz.Digraph`` that shows inline in Jupyter
    (as SVG and as a zoomable page) through ``autograd.visual.render``, so it needs no
    system Graphviz and never raises when none is installed."""

    def svg(self) -> str:
        """The drawing as an ``<svg>`` element (raises :class:`autograd.visual.render.RenderError`)."""
        return rnd.svg(self.source)

    def pipe(self, format: str | None = None, *args: Any, encoding: str | None = None, **kwargs: Any) -> Any:
        """The image as bytes (text with ``encoding``), laid out by dot or graphviz-pure."""
        image = rnd.pipe(self.source, format or "svg")
        return image.decode(encoding) if encoding else image

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **kwargs: Any) -> dict[str, str]:
        try:
            svg = self.svg()
        except rnd.RenderError as e:
            return {"text/plain": str(e)}
        return {"image/svg+xml": svg, "text/html": page.embed(page.build(svg, "computation graph"))}

    def _repr_svg_(self) -> str | None:
        return self._repr_mimebundle_().get("image/svg+xml")

    def _repr_html_(self) -> str | None:
        return self._repr_mimebundle_().get("text/html")


def _select(walk: Walk, max_nodes: int | None) -> list[Node]:
    """The ``max_nodes`` nodes nearest the output (breadth first), in topological order."""
    if max_nodes is None or len(walk.nodes) <= max_nodes:
        return walk.nodes
    kept, frontier = {walk.root}, [walk.root]
    while frontier and len(kept) < max_nodes:
        nxt = []
        for node in frontier:
            for edge in walk.inputs[node]:
                if edge.child not in kept and len(kept) < max_nodes:
                    kept.add(edge.child)
                    nxt.append(edge.child)
        frontier = nxt
    return [node for node in walk.nodes if node in kept]


def _only(walk: Walk, nodes: Iterable[Node]) -> list[Node]:
    """``nodes``, in topological order (each must be drawn: in the graph, not inside a collapsed loss)."""
    wanted = {id(n) for n in nodes}
    drawn = [n for n in walk.nodes if id(n) in wanted]
    if len(drawn) < len(wanted):
        missing = wanted - {id(n) for n in drawn}
        hidden = any(id(n) in missing for n in walk.index)
        why = "; a node inside a collapsed loss is drawn with expand_losses=True" if hidden else ""
        raise ValueError(f"draw_graph: nodes must be nodes of root's graph{why}")
    return drawn


def node_id(walk: Walk, node: Node) -> str:
    """The id of ``node``'s box in the DOT source and the SVG (``n`` and its topological index)."""
    return f"n{walk.index[node]}"


Marks = dict[Node, list[tuple[str, str]]]


def _label(walk: Walk, node: Node, show_grad: bool, show_local: bool, across: bool, marks: Marks) -> str:
    """A node's box: name and op; data and gradient (grey ``—`` where none is shown), each
    followed by the marks of wrong claims about it; one cell per input."""
    group = walk.group(node) if walk.collapsed else None
    head = [lbl.font(walk.name[node], "data", bold=True)]
    if group is not None:
        head.append(lbl.font(f"loss {group.name}", "op"))
    elif node.op:
        head.append(lbl.font(f"op {short(node.op, 20)}", "op"))
    if is_tensor(node):
        head.append(lbl.font(f"{node.shape} {node.dtype}", "op"))
    claims = marks.get(node, [])
    body = [lbl.font(f"data {data_text(node)}", "data")]
    body += [lbl.font(text, "claim") for of, text in claims if of == "data"]
    if show_grad:
        shown = node in walk.shows_grad
        body.append(lbl.font(f"grad {grad_text(node)}", "grad") if shown else lbl.font(NONE_GRAD, "none"))
        body += [lbl.font(text, "claim") for of, text in claims if of == "grad"]
    ports = [_cell(walk, e) if show_local else "" for e in walk.inputs[node]]
    return lbl.table(head, body, ports, COLORS[walk.kind(node)], across)


def _cell(walk: Walk, edge: Edge) -> str:
    """An input's cell: its derivative in blue, one line per step where it is long, or grey where
    backward skips the input."""
    if not local_shown(walk, edge):
        return lbl.font(skipped_text(walk, edge), "none")
    return "<br/>".join(lbl.font(line, "local") for line in local_lines(walk, edge)[0])


def _legend(g: graphviz.Digraph, walk: Walk, claimed: bool, below_root: bool) -> None:
    """One HTML-table node (below the output where it is drawn): the colours, and what the inks mean."""
    kinds = ["parameter", "input", "intermediate", "output"]
    cells = "".join(
        f'<td bgcolor="{COLORS[k]}">{"input / constant" if k == "input" else k}</td>' for k in kinds
    )
    local = (
        "vector-Jacobian product: gradient sent to this input (g = ∂L/∂out); shapes out→in when they differ"
        if is_tensor(walk.root)
        else "local derivative ∂out/∂in (rule = factors = number), in the cell where that input's arrow ends"
    )
    grey = "not needed (no parameter depends on it) or not computed yet"
    notes = [
        lbl.font(f"blue: {local}", "local"),
        lbl.font("red: gradient ∂L/∂node", "grad"),
        lbl.font(f"grey —: {grey if walk.backward_ran else 'not computed: backward has not run'}", "none"),
    ]
    if claimed:
        notes.append(lbl.font("purple ✗: a stated number that differs from the engine's", "claim"))
    rows = "".join(f'<tr><td colspan="{len(kinds)}" border="0" align="left">{n}</td></tr>' for n in notes)
    g.node(
        "legend",
        f'<<table border="0" cellborder="1" cellspacing="0" cellpadding="4"><tr>{cells}</tr>{rows}</table>>',
        shape="plaintext",
    )
    if below_root:  # below the output, not beside the graph
        g.edge(node_id(walk, walk.root), "legend", style="invis")


def draw_graph(
    root: Node,
    *,
    rankdir: str = "TB",
    show_grad: bool = True,
    show_local: bool = True,
    max_nodes: int | None = 200,
    params: Iterable[Node] | None = None,
    legend: bool = True,
    expand_losses: bool = False,
    nodes: Iterable[Node] | None = None,
) -> Drawing:
    """Draw the graph that computed ``root``: every value, gradient and local derivative.

    Each node is one box: its name and operation, its data and, in red, its gradient. Each input
    has a cell where its arrow ends, holding the local derivative ∂out/∂in (a Value) or the
    vector-Jacobian product sent to that input (a Tensor).

    Parameters
    ----------
    root : Value, Tensor or ValueArray
        The output node (a one-element ValueArray stands for its Value); run ``backward()``
        first to see gradients.
    rankdir : {"TB", "LR", "BT", "RL"}
        The layout direction (default top to bottom).
    show_grad : bool
        Show each node's gradient (default True).
    show_local : bool
        Show the local derivative on each input (default True).
    max_nodes : int or None
        Draw at most this many nodes, those nearest the output, and say how many were left out
        (default 200; None draws all).
    params : iterable of nodes, optional
        The nodes to colour as parameters (default: labelled Value leaves and Tensor leaves with
        ``requires_grad``); nodes no parameter needs show ``grad —``.
    legend : bool
        Add the legend of colours and cells (default True).
    expand_losses : bool
        Show a loss's inside, framed, instead of one box named after it.
    nodes : iterable of nodes, optional
        Draw only these nodes of the graph and the arrows between them, exactly as they are in
        the whole drawing (one edge: ``nodes=[z1, a1]``).

    Returns
    -------
    Drawing
        A ``graphviz.Digraph``: shown inline in Jupyter (a zoomable SVG), written to a file by
        :func:`~autograd.render`.

    Raises
    ------
    TypeError
        If ``root`` is not a Value, a Tensor or a one-element ValueArray.
    ValueError
        If ``root`` is a ValueArray of several elements, ``rankdir`` is not one of the four, or
        a node of ``nodes`` is not drawn.
    """
    root = as_root(root, "draw_graph")
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"draw_graph: rankdir must be 'LR', 'TB', 'RL' or 'BT'; got {rankdir!r}")
    walk = Walk(root, params, collapse=not expand_losses)
    return draw_walk(
        walk,
        rankdir=rankdir,
        show_grad=show_grad,
        show_local=show_local,
        max_nodes=max_nodes,
        legend=legend,
        nodes=nodes,
    )


def draw_walk(
    walk: Walk,
    *,
    rankdir: str = "TB",
    show_grad: bool = True,
    show_local: bool = True,
    max_nodes: int | None = 200,
    legend: bool = True,
    claims: Marks | None = None,
    nodes: Iterable[Node] | None = None,
) -> Drawing:
    """The drawing of an already walked graph (:func:`draw_graph` walks it first); ``claims``:
    per node the (``"data"`` or ``"grad"``, text) of each wrong claim, marked in its box."""
    drawn = _select(walk, max_nodes) if nodes is None else _only(walk, nodes)
    across = rankdir in ("LR", "RL")
    side = {"LR": "w", "RL": "e", "TB": "n", "BT": "s"}[rankdir]
    g = Drawing(
        "backprop",
        graph_attr={"rankdir": rankdir, "fontname": "Helvetica", "nodesep": "0.1", "ranksep": "0.12"},
        node_attr={"fontname": "Helvetica", "shape": "plaintext", "fontsize": "12", "margin": "0"},
        edge_attr={"arrowsize": "0.6", "color": "#546e7a"},
    )
    kept = set(drawn)
    clusters = {} if walk.collapsed else {id(gr): gr for gr in walk.groups if gr.members & kept}
    subgraphs = {key: graphviz.Digraph(f"cluster_{i}") for i, key in enumerate(clusters)}
    for key, sub in subgraphs.items():
        sub.attr(
            label=lbl.text_label(short(clusters[key].name)),
            style="rounded,dashed",
            color="#1565c0",
            fontcolor="#1565c0",
        )
    source: dict[int, str] = {}  # id(edge) -> the id of the drawn copy its arrow starts from
    for node in drawn:
        group = walk.member_of.get(node)
        target = subgraphs.get(id(group), g) if group is not None else g
        uses = [e for e in walk.users[node] if e.out in kept]
        nid = node_id(walk, node)
        text = _label(walk, node, show_grad, show_local, across, claims or {})
        if walk.inputs[node] or len(uses) <= SHARE_LIMIT:
            target.node(nid, text, id=nid)
            source.update((id(e), nid) for e in uses)
        else:  # one copy per use keeps the layout fast
            for k, e in enumerate(uses):
                target.node(f"{nid}_{k}", text, id=f"{nid}_{k}")
                source[id(e)] = f"{nid}_{k}"
    for sub in subgraphs.values():
        g.subgraph(sub)
    for node in drawn:
        _draw_inputs(g, walk, node, source, side, nodes is None)
    if len(drawn) < len(walk.nodes) and nodes is None:
        omitted = len(walk.nodes) - len(drawn)
        g.node(
            "omitted",
            f"… {omitted} more nodes not shown (max_nodes={max_nodes})",
            shape="note",
            style="filled",
            fillcolor="#fff3e0",
        )
        g.attr(label=f"{omitted} of {len(walk.nodes)} nodes omitted", labelloc="t")
    if legend:
        _legend(g, walk, bool(claims), walk.root in kept)
    return g


def _draw_inputs(
    g: graphviz.Digraph, walk: Walk, node: Node, source: dict[int, str], side: str, noted: bool
) -> None:
    """Edges input → the input's cell of ``node``; omitted inputs get one dashed edge from the note
    (``noted``), or none."""
    nid = node_id(walk, node)
    for edge in walk.inputs[node]:
        head = f"{nid}:i{edge.position}:{side}"
        if id(edge) not in source:  # the input is not drawn
            if noted:
                g.edge("omitted", head, style="dashed", color="#9e9e9e")
            continue
        g.edge(source[id(edge)], head, id=f"e{walk.index[edge.child]}_{walk.index[node]}_{edge.position}")


# -- rendering
def dot_available() -> bool:
    """Whether a Graphviz renderer is installed: the system ``dot`` or the pip package
    ``graphviz-pure``.

    Returns
    -------
    bool
    """
    return rnd.available("svg")


def render(
    graph_or_root: graphviz.Digraph | Node, path: str | Path, *, timeout: float = rnd.TIMEOUT
) -> Path | None:
    """Write a drawing to ``path``, in the format its extension names, with its DOT source beside it.

    The layout uses the system ``dot`` when installed, else ``graphviz-pure`` (SVG and PNG). When
    no renderer can draw the format, or the layout takes longer than ``timeout`` seconds, one line
    says why and what to install, and the result is None: nothing raises.

    Parameters
    ----------
    graph_or_root : Drawing or node
        A :func:`~autograd.draw_graph` result, or a node to draw with the defaults.
    path : str or pathlib.Path
        The image file: ``.svg``, ``.png`` or ``.pdf`` (PDF needs ``dot``). The ``.gv`` source is
        written beside it.
    timeout : float
        The most seconds the layout may take (default 20).

    Returns
    -------
    pathlib.Path or None
        The image's path, or None when it could not be drawn.

    Raises
    ------
    ValueError
        If ``path`` does not end in ``.svg``, ``.png`` or ``.pdf``.
    """
    graph = graph_or_root if isinstance(graph_or_root, graphviz.Digraph) else draw_graph(graph_or_root)
    path = Path(path)
    format = path.suffix.lower().lstrip(".")
    if format not in rnd.FORMATS:
        raise ValueError(f"render: path must end in .svg, .png or .pdf; got {str(path)!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.with_suffix(".gv").write_text(graph.source, encoding="utf-8")
    try:
        image = rnd.pipe(graph.source, format, timeout)
    except rnd.RenderError as e:
        print(f"{e} (the DOT source is in {path.with_suffix('.gv')})", file=sys.stderr)
        return None
    path.write_bytes(image)
    return path
