"""Read what a drawing shows: the texts of each node of its SVG, and its DOT edges."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from autograd.visual import render

SVG = "{http://www.w3.org/2000/svg}"
EDGE = re.compile(r"^\t(n\d+)(?:_\d+)? -> (n\d+):i(\d+):\w \[id=", re.MULTILINE)


def node_texts(svg: str) -> dict[str, list[str]]:
    """SVG node id -> its texts, top to bottom as Graphviz wrote them."""
    root = ET.fromstring(svg)
    return {
        g.get("id"): [t.text or "" for t in g.iter(f"{SVG}text")]
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "node"
    }


def fills(svg: str) -> dict[str, str]:
    """SVG node id -> the fill of its table (its first polygon)."""
    root = ET.fromstring(svg)
    return {
        g.get("id"): next(g.iter(f"{SVG}polygon")).get("fill")
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "node"
    }


def cells(texts: list[str]) -> list[str]:
    """The input cells of one node's texts, each cell's lines joined (a long cell wraps before
    its ``= ...`` steps)."""
    out: list[str] = []
    for t in texts:
        if t.startswith("∂/∂"):
            out.append(t)
        elif t.startswith("= ") and out:
            out[-1] += " " + t
    return out


def drawn(graph) -> tuple[dict[str, list[str]], dict[str, str], dict[str, str]]:
    """(name -> texts, name -> fill, name -> node id) of a drawing's nodes (legend and notes left out)."""
    svg = render.svg(graph.source)
    texts, fill = node_texts(svg), fills(svg)
    by_name, colour, ids = {}, {}, {}
    for nid, t in texts.items():
        if re.fullmatch(r"n\d+(_\d+)?", nid or ""):
            name = next(x for x in t if not x.startswith(("∂/∂", "= ")) and ": " not in x)
            by_name[name], colour[name], ids[name] = t, fill[nid], nid
    return by_name, colour, ids
