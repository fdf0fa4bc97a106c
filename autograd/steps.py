"""Step through the backward pass one node at a time, as pictures or as one HTML page."""

from __future__ import annotations

import html
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import graphviz

from .draw import Node, dot_available, draw_graph, grad_text, local_text, names, num
from .graph import toposort
from .tensor import Tensor
from .trace import consumers, ensure_backward


@dataclass(frozen=True)
class BackwardFrame:
    """Step ``step`` of the backward pass: ``node`` has just got its final gradient ``grad``.

    ``graph`` highlights the node and shows gradients only for the nodes done so far;
    ``explanation`` says in one line how the gradient was obtained.
    """

    step: int
    node: Node
    grad: Any
    graph: graphviz.Digraph
    explanation: str


def _explain(node: Node, users: list[tuple[Node, int]], name: dict[Node, str]) -> str:
    """``grad(node) = Σ ∂out/∂node · grad(out)`` written out with this node's numbers."""
    me = name[node]
    if not users:
        return f"grad({me}) = {grad_text(node)}: the seed, ∂{me}/∂{me}"
    if isinstance(node, Tensor):
        if node.grad is None:
            return f"grad({me}) = None: a constant (requires_grad=False), backward skips it"
        terms = " + ".join(f"[{local_text(out, i)}] with g = grad({name[out]})" for out, i in users)
        return f"grad({me}) = {terms} = {grad_text(node)}"
    rule = " + ".join(f"∂{name[out]}/∂{me} · grad({name[out]})" for out, _ in users)
    nums = " + ".join(f"{num(out.local_grads[i])} × {num(out.grad)}" for out, i in users)
    return f"grad({me}) = {rule} = {nums} = {grad_text(node)}"


def backward_steps(root: Node, **draw_options: Any) -> list[BackwardFrame]:
    """One frame per node, in the order backward finishes their gradients (output first).

    Runs ``root.backward()`` first unless it has already run; ``draw_options`` go to
    :func:`autograd.draw.draw_graph`.
    """
    ensure_backward(root)
    topo = toposort(root)
    users, name = consumers(topo), names(topo)
    frames, done = [], set()
    for step, node in enumerate(reversed(topo)):
        done.add(node)
        graph = draw_graph(root, current=node, grads_shown=set(done), **draw_options)
        frames.append(BackwardFrame(step, node, node.grad, graph, _explain(node, users[node], name)))
    return frames


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5em; }}
nav {{ display: flex; gap: 1em; align-items: center; margin-bottom: .5em; }}
button {{ font-size: 1em; padding: .3em 1em; }}
.caption {{ font-family: ui-monospace, monospace; background: #fff8e1; padding: .5em; }}
svg {{ max-width: 100%; height: auto; }}
</style></head><body>
<h1>{title}</h1>
<nav><button id="prev">&larr; previous</button><button id="next">next &rarr;</button>
<span id="count"></span><span>(arrow keys work too)</span></nav>
{frames}
<script>
const frames = document.querySelectorAll(".frame");
let k = 0;
function show(i) {{
  k = Math.max(0, Math.min(frames.length - 1, i));
  frames.forEach((f, j) => {{ f.hidden = j !== k; }});
  document.getElementById("count").textContent = `step ${{k + 1}} of ${{frames.length}}`;
}}
document.getElementById("prev").onclick = () => show(k - 1);
document.getElementById("next").onclick = () => show(k + 1);
document.addEventListener("keydown", (e) => {{
  if (e.key === "ArrowLeft") show(k - 1);
  if (e.key === "ArrowRight") show(k + 1);
}});
show(0);
</script></body></html>
"""


def _svg(graph: graphviz.Digraph) -> str:
    """The graph as an inline ``<svg>`` element (XML prolog and doctype dropped)."""
    svg = graph.pipe(format="svg", encoding="utf-8")
    return svg[svg.index("<svg") :]


def backward_html(
    root: Node, path: str | Path, title: str = "Backpropagation, step by step", **draw_options: Any
) -> Path | None:
    """Write one self-contained HTML page stepping through the backward pass.

    Needs Graphviz's ``dot`` to draw the frames; without it, prints one line saying
    how to install it and returns None.
    """
    if not dot_available():
        print(
            "The step-through page needs Graphviz's `dot` to draw its pictures: install Graphviz "
            "(apt-get install graphviz, brew install graphviz or conda install graphviz) and run "
            "again; the text version is autograd.trace.trace(root).",
            file=sys.stderr,
        )
        return None
    frames = backward_steps(root, **draw_options)
    with ThreadPoolExecutor(os.cpu_count()) as pool:
        svgs = list(pool.map(_svg, (f.graph for f in frames)))
    sections = "\n".join(
        f'<section class="frame" hidden><p class="caption">step {f.step + 1}: '
        f"{html.escape(f.explanation)}</p>\n{svg}</section>"
        for f, svg in zip(frames, svgs)
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_PAGE.format(title=html.escape(title), frames=sections), encoding="utf-8")
    return path
