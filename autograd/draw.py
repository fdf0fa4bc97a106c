"""Draw a computation graph with Graphviz: values, gradients and the local derivatives.

Every value node is a record ``name | data | grad``; the operation that made it is a
small oval in front of it. The edge from each input to that oval carries the local
derivative ∂out/∂in, the factor that ``backward`` multiplies the gradient by on
its way back along that edge, so the chain rule can be read off the picture.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Union

import graphviz
import numpy as np

from .graph import toposort
from .tensor import Tensor
from .value import Value

Node = Union[Value, Tensor]

COLORS = {
    "parameter": "#c8e6c9",
    "input": "#eceff1",
    "intermediate": "#ffffff",
    "output": "#ffcdd2",
    "current": "#ffd54f",
}
_MAX_LABEL = 40
_RECORD_SPECIAL = str.maketrans({c: "\\" + c for c in "{}|<>"})


# -- naming and formatting, shared with the text trace and the step-through
def num(x: float, digits: int = 4) -> str:
    """A float with ``digits`` significant digits (``-0`` shown as ``0``)."""
    return f"{x + 0.0:.{digits}g}"


def summarize(a: np.ndarray, digits: int = 4) -> str:
    """A short description of an array: its values if it has at most 4, else mean/min/max."""
    a = np.asarray(a)  # (a gradient built with create_graph=True is a Tensor)
    if a.ndim == 0:
        return num(float(a), digits)
    if a.size <= 4:
        return "[" + ", ".join(num(float(v), digits) for v in a.ravel()) + "]"
    return f"mean {num(a.mean(), digits)} min {num(a.min(), digits)} max {num(a.max(), digits)}"


def names(topo: list[Node]) -> dict[Node, str]:
    """Each node's label, or ``#i`` (its position in topological order) when it has none."""
    return {node: node.label or f"#{i}" for i, node in enumerate(topo)}


def is_parameter(node: Node) -> bool:
    """A leaf that is trained: a labelled Value, or a Tensor with ``requires_grad``."""
    if node.children:
        return False
    return node.requires_grad if isinstance(node, Tensor) else bool(node.label)


def local_text(node: Node, i: int) -> str:
    """∂node/∂(input i): the number for a Value, the rule for a Tensor."""
    local = node.local_grads
    if isinstance(node, Tensor):
        return local[min(i, len(local) - 1)]  # a variadic op has one rule for all inputs
    return num(local[i])


def grad_text(node: Node, digits: int = 4) -> str:
    """The gradient of ``node`` as text (``None`` for a Tensor that has none)."""
    if isinstance(node, Tensor):
        return "None" if node.grad is None else summarize(node.grad, digits)
    return num(node.grad, digits)


def data_text(node: Node, digits: int = 4) -> str:
    """The value of ``node`` as text."""
    return summarize(node.data, digits) if isinstance(node, Tensor) else num(node.data, digits)


# -- DOT escaping
def short(text: str) -> str:
    """``text`` cut to at most 40 characters (user labels can be anything)."""
    return text if len(text) <= _MAX_LABEL else text[: _MAX_LABEL - 1] + "…"


def escape(text: str, record: bool = False) -> graphviz.quoting.NoHtml:
    """``text`` as a DOT string that shows literally: backslashes, quotes, newlines and
    (in record labels) ``{}|<>`` are escaped."""
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    if record:
        text = text.translate(_RECORD_SPECIAL)
    text = "".join(c if c.isprintable() or c == "\n" else " " for c in text)
    return graphviz.nohtml(text.replace("\n", "\\n"))


# -- the drawing
def _kind(node: Node, root: Node, param_ids: set[int] | None) -> str:
    if node is root:
        return "output"
    if node.children:
        return "intermediate"
    trained = is_parameter(node) if param_ids is None else id(node) in param_ids
    return "parameter" if trained else "input"


def _value_label(name: str, node: Node, show_grad: bool, rankdir: str) -> graphviz.quoting.NoHtml:
    """Record fields stacked vertically (a record flips orientation with ``rankdir``)."""
    fields = [escape(short(name), True)]
    if isinstance(node, Tensor):
        fields.append(escape(f"shape {node.shape} {node.dtype}", True))
    fields.append(escape(f"data {data_text(node)}", True))
    fields.append(escape(f"grad {grad_text(node)}" if show_grad else "grad ?", True))
    body = " | ".join(fields)
    return graphviz.nohtml(body if rankdir in ("LR", "RL") else "{ " + body + " }")


def _select(root: Node, topo: list[Node], max_nodes: int | None) -> list[Node]:
    """The ``max_nodes`` nodes nearest the output (breadth first), in topological order."""
    if max_nodes is None or len(topo) <= max_nodes:
        return topo
    kept, frontier = {root}, [root]
    while frontier and len(kept) < max_nodes:
        nxt = []
        for node in frontier:
            for child in node.children:
                if child not in kept and len(kept) < max_nodes:
                    kept.add(child)
                    nxt.append(child)
        frontier = nxt
    return [node for node in topo if node in kept]


def _legend(g: graphviz.Digraph, current: bool) -> None:
    """One fixed HTML-table node: the colours, and what the edge labels mean."""
    kinds = ["parameter", "input", "intermediate", "output"] + (["current"] if current else [])
    text = {"input": "input / constant", "current": "being computed"}
    cells = "".join(f'<td bgcolor="{COLORS[k]}">{text.get(k, k)}</td>' for k in kinds)
    note = "edge label: local derivative ∂out/∂in, the factor backward multiplies by"
    note = f'<font color="#1565c0">{note}</font>'
    g.node(
        "legend",
        f'<<table border="0" cellborder="1" cellspacing="0" cellpadding="4">'
        f'<tr>{cells}</tr><tr><td colspan="{len(kinds)}" border="0">{note}</td></tr></table>>',
        shape="plaintext",
        fontsize="10",
    )


def draw_graph(
    root: Node,
    *,
    rankdir: str = "LR",
    show_grad: bool = True,
    show_local: bool = True,
    max_nodes: int | None = 200,
    params: Iterable[Node] | None = None,
    legend: bool = True,
    current: Node | None = None,
    grads_shown: Collection[Node] | None = None,
) -> graphviz.Digraph:
    """The graph that computed ``root`` as a ``graphviz.Digraph``.

    ``params`` are coloured as parameters (default: labelled Value leaves and
    Tensor leaves with ``requires_grad``). At most ``max_nodes`` value nodes are
    drawn, those nearest the output; the rest are collapsed into one note.
    ``current`` is highlighted, and when ``grads_shown`` is given only those
    nodes show their gradient (used by :func:`autograd.steps.backward_steps`).
    """
    topo = toposort(root)
    drawn = _select(root, topo, max_nodes)
    name, ids = names(topo), {node: f"n{i}" for i, node in enumerate(topo)}
    param_ids = None if params is None else {id(p) for p in params}
    g = graphviz.Digraph(
        "backprop",
        graph_attr={"rankdir": rankdir, "fontname": "Helvetica"},
        node_attr={"fontname": "Helvetica"},
        edge_attr={"fontname": "Helvetica"},
    )
    for node in drawn:
        label = _value_label(
            name[node], node, show_grad and (grads_shown is None or node in grads_shown), rankdir
        )
        _draw_node(g, node, ids[node], label, _kind(node, root, param_ids), node is current)
    kept = set(drawn)
    for node in drawn:
        _draw_inputs(g, node, ids, kept, show_local, current)
    if len(drawn) < len(topo):
        omitted = len(topo) - len(drawn)
        g.node(
            "omitted",
            escape(f"… {omitted} more nodes not shown (max_nodes={max_nodes})"),
            shape="note",
            style="filled",
            fillcolor="#fff3e0",
        )
        g.attr(label=escape(f"{omitted} of {len(topo)} nodes omitted"), labelloc="t")
    if legend:
        _legend(g, current is not None)
    return g


def _draw_node(g: graphviz.Digraph, node: Node, nid: str, label: str, kind: str, is_current: bool) -> None:
    style = {
        "fillcolor": COLORS["current" if is_current else kind],
        "style": "filled",
        "penwidth": "3" if is_current else "1",
    }
    g.node(nid, label, shape="record", **style)
    if node.op:
        g.node(nid + "op", escape(short(node.op)), shape="ellipse", fontsize="11", width="0.3", height="0.3")
        g.edge(nid + "op", nid)


def _draw_inputs(
    g: graphviz.Digraph,
    node: Node,
    ids: dict[Node, str],
    kept: set[Node],
    show_local: bool,
    current: Node | None,
) -> None:
    """Edges input → op of ``node``, labelled with the local derivatives; omitted inputs
    are represented by one dashed edge from the 'omitted' note."""
    if any(child not in kept for child in node.children):
        g.edge("omitted", ids[node] + "op", style="dashed", color="#9e9e9e")
    for i, child in enumerate(node.children):
        if child not in kept:
            continue
        attrs = {"color": "#e65100", "penwidth": "2.5"} if child is current else {}
        if show_local:
            attrs |= {"label": escape(local_text(node, i)), "fontcolor": "#1565c0", "fontsize": "10"}
        g.edge(ids[child], ids[node] + "op", **attrs)


# -- rendering
def dot_available() -> bool:
    """Whether Graphviz's ``dot`` program is on the PATH."""
    return shutil.which("dot") is not None


def missing_dot_hint(gv_path: Path, format: str = "svg") -> str:
    """The one line printed when ``dot`` is missing."""
    out = gv_path.with_suffix(f".{format}")
    return (
        f"Graphviz's `dot` is not installed, so only the graph source was written to {gv_path}; "
        "to get a picture install Graphviz (apt-get install graphviz, brew install graphviz or "
        f"conda install graphviz) and run `dot -T{format} {gv_path} -o {out}`, "
        "or paste the .gv file into any online Graphviz viewer."
    )


def render(graph_or_root: graphviz.Digraph | Node, path: str | Path, format: str = "svg") -> Path:
    """Write ``path`` + ``.gv`` (the DOT source) and, with Graphviz's ``dot``, the image.

    ``path`` may end in ``.{format}`` or not. Returns the image's path; when ``dot`` is
    missing, prints one line on how to get an image and returns the ``.gv`` path.
    """
    graph = graph_or_root if isinstance(graph_or_root, graphviz.Digraph) else draw_graph(graph_or_root)
    path = Path(path)
    stem = path.parent / path.name.removesuffix(f".{format}")
    stem.parent.mkdir(parents=True, exist_ok=True)
    gv = stem.parent / (stem.name + ".gv")
    gv.write_text(graph.source, encoding="utf-8")
    if dot_available():
        return Path(graphviz.render("dot", format, gv, outfile=stem.parent / f"{stem.name}.{format}"))
    print(missing_dot_hint(gv, format), file=sys.stderr)
    return gv
