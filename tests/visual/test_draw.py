"""draw_graph: labels, data, gradients, local derivatives, colours, escaping and capping."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Tensor, Value
from autograd.draw import COLORS, draw_graph, num
from autograd.graph import toposort

NODE = re.compile(r'^\t(n\d+) \[label="(.*)" fillcolor="([^"]+)"', re.MULTILINE)
EDGE = re.compile(r"^\t(n\d+) -> (n\d+)op \[label=(\"[^\"]*\"|\S+)", re.MULTILINE)


def records(source: str) -> dict[str, tuple[list[str], str]]:
    """Node id -> (record fields, fill colour) from DOT source written by draw_graph."""
    return {nid: (label.split(" | "), fill) for nid, label, fill in NODE.findall(source)}


def by_name(source: str) -> dict[str, tuple[list[str], str]]:
    return {fields[0]: (fields, fill) for fields, fill in records(source).values()}


def svg_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_221_drawing_shows_every_parameter_loss_and_gradient(net221: Any, torch221: dict) -> None:
    p, n = net221
    nodes = by_name(draw_graph(n["L"], params=p.values()).source)
    for k, v in p.items():
        assert v.grad == pytest.approx(torch221[k], abs=1e-10)
        fields, fill = nodes[k]
        assert fields == [k, f"data {num(v.data)}", f"grad {num(torch221[k])}"]
        assert fill == COLORS["parameter"]
    fields, fill = nodes["L"]
    assert fields == ["L", f"data {num(torch221['L'])}", "grad 1"] and fill == COLORS["output"]
    assert nodes["z1"][0][2] == f"grad {num(torch221['dz1'])}"
    assert nodes["x1"][1] == COLORS["input"] and nodes["z3"][1] == COLORS["intermediate"]


def test_221_svg_shows_every_parameter_loss_and_gradient(
    net221: Any, torch221: dict, require_dot: None
) -> None:
    p, n = net221
    texts = svg_texts(draw_graph(n["L"], params=p.values()).pipe(format="svg", encoding="utf-8"))
    for k in p:
        i = texts.index(k)
        assert texts[i + 2] == f"grad {num(torch221[k])}"
    assert texts[texts.index("L") + 2] == "grad 1"


def test_edges_carry_the_local_derivatives(net221: Any) -> None:
    p, n = net221
    topo = toposort(n["L"])
    ids = {f"n{i}": node for i, node in enumerate(topo)}
    edges = EDGE.findall(draw_graph(n["L"]).source)
    assert len(edges) == sum(len(node.children) for node in topo)
    for child_id, out_id, label in edges:
        out = ids[out_id]
        locals_ = [num(d) for c, d in zip(out.children, out.local_grads) if c is ids[child_id]]
        assert label.strip('"') in locals_
    sigmoid_edge = [lab for c, o, lab in edges if ids[c] is n["z1"]]
    assert sigmoid_edge == [num(n["a1"].local_grads[0])] == ["0.2445"]


def test_options_hide_gradients_and_local_derivatives(net221: Any) -> None:
    p, n = net221
    source = draw_graph(n["L"], show_grad=False, show_local=False, legend=False, rankdir="TB").source
    assert "grad ?" in source and "grad -" not in source
    assert not EDGE.findall(source) and "legend" not in source and "rankdir=TB" in source


def test_without_params_labelled_leaves_are_parameters(net221: Any) -> None:
    _, n = net221
    assert by_name(draw_graph(n["L"]).source)["x1"][1] == COLORS["parameter"]


NASTY = [
    "a<b>{c}|d",
    '"quoted"',
    "back\\slash\\",
    "new\nline",
    "<html>",
    '\\"',
    "tab\there",
    "{",
    "}|",
    "\\n",
]


def test_nasty_labels_reach_the_svg_literally(require_dot: None) -> None:
    leaves = [Value(float(i), label) for i, label in enumerate(NASTY)]
    out = leaves[0]
    for leaf in leaves[1:]:
        out = out + leaf
    out.label = 'out "} <'
    source = draw_graph(out).source
    done = subprocess.run(["dot", "-Tsvg"], input=source, capture_output=True, text=True, check=True)
    assert done.stderr == ""
    texts = svg_texts(done.stdout)
    expected = [label.replace("\t", " ") for label in NASTY if "\n" not in label] + [
        'out "} <',
        "new",
        "line",
    ]
    for label in expected:
        assert label in texts


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
@settings(max_examples=30)
@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=30))
def test_any_label_gives_valid_dot(label: str) -> None:
    a = Tensor([1.0, 2.0], requires_grad=True, label=label)
    out = (a * 3.0).sum()
    out.label = label
    v = Value(1.0, label) * 2.0
    v.label = label
    for root in (out, v):
        done = subprocess.run(["dot", "-Tsvg"], input=draw_graph(root).source, capture_output=True, text=True)
        assert done.returncode == 0 and done.stderr == "", (label, done.stderr)


def test_large_graph_is_capped_with_a_note() -> None:
    x = Value(0.5, "x")
    y = x
    for _ in range(500):
        y = (y * 0.9 + x).tanh()
    total = len(toposort(y))
    source = draw_graph(y, max_nodes=40).source
    assert len(records(source)) == 40
    assert f"{total - 40} more nodes not shown (max_nodes=40)" in source
    assert f"{total - 40} of {total} nodes omitted" in source
    assert "omitted ->" in source
    assert len(records(draw_graph(y, max_nodes=None).source)) == total


def test_small_graph_is_not_capped(net221: Any) -> None:
    _, n = net221
    source = draw_graph(n["L"]).source
    assert len(records(source)) == len(toposort(n["L"])) and "omitted" not in source


def test_tensor_nodes_show_shape_dtype_summary_and_rules() -> None:
    W = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True, label="W")
    x = Tensor(np.ones(3, dtype=np.float32), label="x", dtype="float32")
    h = (W @ x).tanh().sum()
    h.label = "h"
    h.backward()
    nodes = by_name(draw_graph(h).source)
    fields, fill = nodes["W"]
    assert fields[1] == "shape (2, 3) float64" and fill == COLORS["parameter"]
    assert fields[2] == "data mean 2.5 min 0 max 5"
    assert nodes["x"][0][1:3] == ["shape (3,) float32", "data [1, 1, 1]"] and nodes["x"][1] == COLORS["input"]
    assert nodes["x"][0][3] == "grad None"
    assert nodes["h"][0][1] == "shape () float64"
    labels = {lab.strip('"') for _, _, lab in EDGE.findall(draw_graph(h).source)}
    assert {"g @ bᵀ", "aᵀ @ g", "g·(1−tanh²a)"} <= labels
