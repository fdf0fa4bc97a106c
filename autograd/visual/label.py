"""HTML-like Graphviz labels: one table per node with its inputs' derivatives in their own cells."""

from __future__ import annotations

import html

from .text import printable

COLORS = {
    "parameter": "#c8e6c9",
    "input": "#eceff1",
    "intermediate": "#ffffff",
    "output": "#ffcdd2",
}
#: text colours: the page's script finds a node's data, gradient and derivatives by them
INK = {
    "data": "#000000",
    "grad": "#b71c1c",
    "local": "#1565c0",
    "none": "#5c5c5c",  # 4.7:1 even on the highlighted node (WCAG AA asks 4.5)
    "op": "#37474f",
    "claim": "#6a1b9a",
}


def esc(text: str) -> str:
    """``text`` safe inside an HTML-like label: control characters escaped, ``<&>"`` as entities,
    a leading ``]`` as one too (Graphviz 2.43 rejects a ``]`` right after a tag, as in ``<b>]</b>``),
    and each backslash doubled (Graphviz reads ``\\N``, ``\\G``, ``\\E``, ... in a label as the
    node's, graph's or edge's name, and ``\\\\`` as one backslash)."""
    out = html.escape(printable(text), quote=True).replace("\\", "\\\\")
    return "&#93;" + out[1:] if out.startswith("]") else out


def text_label(text: str) -> str:
    """``text`` as a whole label (an HTML-like one, so it is escaped the same way)."""
    return f"<{esc(text)}>"


def font(text: str, ink: str, bold: bool = False) -> str:
    body = f"<b>{esc(text)}</b>" if bold else esc(text)
    return f'<font color="{INK[ink]}">{body}</font>'


def table(head: list[str], body: list[str], ports: list[str], fill: str, across: bool) -> str:
    """A node: one cell per input (``ports``: the derivative text of each), then the
    head cell (name over op) and the body cell (data over grad). ``across``: inputs arrive from
    the left (rankdir LR), else from the top, with head and body side by side below them (two
    short lines each: a narrow box, so the whole drawing keeps 12 px text in an 830 px column)."""
    head_cell = "<br/>".join(head)
    body_cell = "<br/>".join(body)
    open_ = f'<table border="0" cellborder="1" cellspacing="0" cellpadding="3" bgcolor="{fill}">'
    if not ports:
        return f"<{open_}<tr><td>{head_cell}</td><td>{body_cell}</td></tr></table>>"
    cells = [f'<td port="i{i}" bgcolor="#f5f9ff">{p}</td>' for i, p in enumerate(ports)]
    n = len(cells)
    if across:
        rows = [f'<tr>{cells[0]}<td rowspan="{n}">{head_cell}</td><td rowspan="{n}">{body_cell}</td></tr>']
        rows += [f"<tr>{c}</tr>" for c in cells[1:]]
    else:
        line = "".join(f"<td>{x}</td>" for x in (head_cell, body_cell))
        inner = f'<table border="0" cellspacing="0" cellpadding="2"><tr>{line}</tr></table>'
        rows = [f"<tr>{''.join(cells)}</tr>", f'<tr><td colspan="{n}">{inner}</td></tr>']
    return f"<{open_}{''.join(rows)}</table>>"
