"""draw_graph: names, data, gradients, each input's derivative in its own cell, colours, loss
groups, escaping, capping and speed."""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from linecount import lines_run
from svgtext import EDGE, cells, drawn, node_texts

import losses
from autograd import StepThrough, Tensor, Value, draw_graph, render
from autograd.graph import toposort
from autograd.visual import render as rnd
from autograd.visual.draw import COLORS
from autograd.visual.label import INK
from autograd.visual.text import num
from autograd.visual.walk import Walk


def test_221_drawing_shows_every_parameter_loss_and_gradient(net221: Any, torch221: dict) -> None:
    p, n = net221
    texts, fill, _ = drawn(draw_graph(n["L"], params=p.values()))
    for k, v in p.items():
        assert v.grad == pytest.approx(torch221[k], abs=1e-10)
        assert texts[k] == [k, f"data {num(v.data)}", f"grad {num(torch221[k])}"]
        assert fill[k] == COLORS["parameter"]
    assert texts["L"][-4:] == ["L", "loss binary_cross_entropy", f"data {num(torch221['L'])}", "grad 1"]
    assert fill["L"] == COLORS["output"]
    assert f"grad {num(torch221['dz1'])}" in texts["z1"]
    assert fill["x1"] == COLORS["input"] and fill["z3"] == COLORS["intermediate"]


def test_inputs_and_targets_show_that_no_gradient_is_needed(net221: Any) -> None:
    p, n = net221
    texts, _, _ = drawn(draw_graph(n["L"], params=p.values()))
    for k in ("x1", "x2", "y"):
        assert texts[k] == [k, f"data {num(n[k].data)}", "grad —"]


def test_no_red_gradient_where_backward_computed_none(example_loader: Any) -> None:
    """``examples/backward_graph.py`` draws y = tanh(x²) and dy/dx, whose ``.grad`` no backward pass
    set: every box showed a red ``grad 0``. A gradient not computed is the grey ``grad —``."""
    d = example_loader("backward_graph").derivatives(0.7)
    for root in (d["y"], d["dy_dx"]):
        texts, _, _ = drawn(draw_graph(root))
        assert all(t[-1] == "grad —" for t in texts.values()), texts
        source = draw_graph(root).source
        assert source.count(INK["grad"]) == 1  # the legend's line only
        assert "grey —: not computed: backward has not run" in source
    fresh = Value(2.0, "w") * Value(3.0, "x")
    assert all(t[-1] == "grad —" for t in drawn(draw_graph(fresh))[0].values())
    fresh.backward()  # now computed: red, and a true 0 is shown as 0
    zero = Value(0.0, "w") * Value(3.0, "x")
    zero.backward()
    texts = drawn(draw_graph(zero))[0]  # ∂(w·x)/∂x = w = 0, computed
    assert texts["x"][-1] == "grad 0" and drawn(draw_graph(fresh))[0]["w"][-1] == "grad 3"
    W = Tensor(np.ones(2), requires_grad=True, label="W")
    assert drawn(draw_graph((W * 2.0).sum()))[0]["W"][-1] == "grad —"  # a Tensor before backward


def test_each_input_has_its_own_cell_with_its_local_derivative(net221: Any) -> None:
    p, n = net221
    g = draw_graph(n["L"], params=p.values(), expand_losses=True)
    texts, _, ids = drawn(g)
    walk = Walk(n["L"], collapse=False)
    for node in walk.nodes:  # each cell: ∂/∂input = its rule = ... = the engine's local derivative
        shown = cells(texts[walk.name[node]])
        assert len(shown) == len(node.children)
        for text, c, d in zip(shown, node.children, node.local_grads):
            assert text.startswith(f"∂/∂{walk.ref(c)} = ") and text.endswith(f" = {num(d)}"), text
    # every edge ends at the cell of its own input: position i of the op is input i
    for child_id, out_id, i in EDGE.findall(g.source):
        out = walk.nodes[[walk.index[x] for x in walk.nodes].index(int(out_id[1:]))]
        assert walk.index[out.children[int(i)]] == int(child_id[1:])
    assert cells(texts["w13·a1"]) == ["∂/∂w13 = a1 = 0.5744", "∂/∂a1 = w13 = 0.7"]  # two inputs: a cell each


def test_a_loss_is_one_box_or_a_framed_group(net221: Any) -> None:
    p, n = net221
    collapsed = drawn(draw_graph(n["L"], params=p.values()))[0]
    expanded_graph = draw_graph(n["L"], params=p.values(), expand_losses=True)
    expanded = drawn(expanded_graph)[0]
    assert len(expanded) - len(collapsed) == len(toposort(n["L"])) - len(collapsed) > 5
    assert "subgraph cluster_0" in expanded_graph.source and "binary_cross_entropy" in expanded_graph.source
    # the collapsed box's derivative is the chain rule through the loss: dL/dŷ = -y/ŷ for y = 1
    assert collapsed["L"][0] == f"∂/∂ŷ = {num(-1 / n['ŷ'].data)}"


def test_groups_follow_the_loss_not_the_ids() -> None:
    from autograd.visual import groups

    y_hat = Tensor([0.2, 0.7], requires_grad=True, label="p")
    loss = losses.mse([0.0, 1.0], y_hat)
    assert Walk(loss).groups[0].name == "mse"
    other = (y_hat * 2.0).sum()  # not a loss
    assert Walk(other).groups == []
    for _ in range(groups.CAPACITY + 10):  # a training loop does not grow the registry
        losses.mae([0.0, 1.0], y_hat)
    assert len(groups._registry) <= groups.CAPACITY
    n = groups.MAX_INPUTS // 2 + 1  # Values: every element is an input (targets too)
    big = losses.mse([0.0] * n, [Value(1.0, "p") for _ in range(n)])
    assert Walk(big).groups == []  # too many inputs to remember: drawn expanded, nothing stored
    small = losses.mse([0.0] * (n - 1), [Value(1.0, "p") for _ in range(n - 1)])
    assert [g.name for g in Walk(small).groups] == ["mse"]
    # it holds no node (so keeps no graph alive): only names, ids and numbers
    held = [x for e in groups._registry.values() for x in (e.name, *e.inputs, *e.fingerprint)]
    assert not any(isinstance(x, (Tensor, Value, np.ndarray)) for x in held)
    for _ in range(100):  # losses that fail after prepare leave at most a bounded stack
        with pytest.raises(ValueError, match="axis must be a class axis"):
            losses.kl_divergence([[0.5, 0.5]], Tensor([[0.5, 0.5]]), axis=3)
    assert 0 < len(groups._local.stack) <= groups._MAX_OPEN
    assert Walk(losses.mse([0.0, 1.0], y_hat)).groups[0].name == "mse"  # and groups still work


def test_groups_survive_numpy_scalars_and_nan() -> None:
    p = Value(0.3, "p")
    loss = losses.mse([Value(1.0, "t")], [p])
    loss.data = np.float64(loss.data)  # what an optimizer's arithmetic can leave in a Value
    assert [g.name for g in Walk(loss).groups] == ["mse"]
    bad = losses.mse([1.0], [Value(float("nan"), "p")])
    assert [g.name for g in Walk(bad).groups] == ["mse"]
    from autograd.visual import groups

    v = Value(1.0) * 2.0  # a reused id that last belonged to a Tensor loss
    v.data = np.float64(2.0)
    groups._registry[id(v)] = groups._Entry("stale", frozenset(), ("*", (1, (2,)), 1, 1))
    assert groups.group_of(v) is None
    del groups._registry[id(v)]


def test_a_value_loss_is_one_group_named_after_it() -> None:
    p = Value(0.3, "p")
    for loss, name in [
        (losses.binary_cross_entropy(Value(1.0, "t"), p), "binary_cross_entropy"),
        (losses.mse([Value(1.0, "t")], [p]), "mse"),
        (losses.huber([1.0], [p]), "huber"),
    ]:
        walk = Walk(loss)
        assert [g.name for g in walk.groups] == [name] and walk.nodes[-1] is loss
        assert p in walk.groups[0].inputs and len(walk.nodes) <= 4  # p, the target (maybe), the loss


def test_a_part_of_the_graph_is_drawn_as_in_the_whole(net221: Any) -> None:
    """``nodes=[z1, a1]``: the two boxes as the whole drawing shows them and the one arrow between
    them (the docs' picture of an edge and its rule); no note of what is left out."""
    p, n = net221
    whole = drawn(draw_graph(n["L"], params=p.values()))[0]
    part_graph = draw_graph(n["L"], params=p.values(), nodes=[n["a1"], n["z1"]], legend=False)
    part = drawn(part_graph)[0]
    assert part == {"z1": whole["z1"], "a1": whole["a1"]}
    assert len(EDGE.findall(part_graph.source)) == 1 and "omitted" not in part_graph.source
    with pytest.raises(ValueError, match="nodes must be nodes of root's graph$"):
        draw_graph(n["L"], nodes=[Value(1.0)])
    inner = n["L"].children[0]
    with pytest.raises(ValueError, match="inside a collapsed loss is drawn with expand_losses=True"):
        draw_graph(n["L"], nodes=[inner])
    alone = draw_graph(n["L"], nodes=[inner], expand_losses=True)  # in its loss's frame
    assert len(drawn(alone)[0]) == 1 and alone.source.count("subgraph cluster_") == 1


def test_options_hide_gradients_and_local_derivatives(net221: Any) -> None:
    _, n = net221
    source = draw_graph(n["L"], show_grad=False, show_local=False, legend=False, rankdir="LR").source
    assert "grad" not in source and "∂/∂" not in source and "legend" not in source and "rankdir=LR" in source
    with pytest.raises(ValueError, match="rankdir must be"):
        draw_graph(n["L"], rankdir="up")


def test_without_params_labelled_leaves_are_parameters(net221: Any) -> None:
    _, n = net221
    assert drawn(draw_graph(n["L"]))[1]["x1"] == COLORS["parameter"]


NASTY = ["a<b>{c}|d", '"quoted"', "back\\slash\\", "<html>", '\\"', "{", "}|", "\\n", "&amp;"]


def test_nasty_labels_reach_the_svg_literally() -> None:
    leaves = [Value(float(i), label) for i, label in enumerate(NASTY)]
    out = leaves[0]
    for leaf in leaves[1:]:
        out = out + leaf
    out.label = 'out "} <'
    texts = [t for ts in node_texts(rnd.svg(draw_graph(out).source)).values() for t in ts]
    for label in [*NASTY, 'out "} <']:
        assert label in texts


def test_control_characters_are_escaped_everywhere() -> None:
    from autograd import trace

    a = Value(1.0, "esc\x1b[31m nul\x00 tab\t")
    out = a * 2.0
    source = draw_graph(out).source
    assert "\x1b" not in source and "\x00" not in source and "esc\\\\x1b[31m nul\\\\x00 tab" in source
    svg = rnd.svg(source)
    assert "\x1b" not in svg and "esc\\x1b[31m nul\\x00" in svg
    text = str(trace(out))
    assert "\x1b" not in text and "\x00" not in text and "esc\\x1b[31m" in text
    page = StepThrough(out).html()
    assert "\x1b" not in page and "\x00" not in page and "esc\\x1b[31m" in page


def test_a_label_that_is_not_text_is_a_clear_type_error() -> None:
    v = Value(1.0) * 2.0
    v.label = 5  # the engine may reject this at construction; drawing checks again
    with pytest.raises(TypeError, match="label must be str or None; got int 5"):
        draw_graph(v)


@pytest.mark.parametrize("label", ["]", "]]", "x]", "[", "\\N", "<b>", "&#93;"])
def test_labels_graphviz_misreads_render_as_written(label: str) -> None:
    """A label of ``]`` alone made Graphviz 2.43 reject the node's table (found by the property
    below): the drawing shows each label's own characters."""
    a = Tensor([1.0, 2.0], requires_grad=True, label=label)
    out = (a * 3.0).sum()
    out.label = label
    svg = rnd.svg(draw_graph(out).source)
    assert svg.startswith("<svg")
    assert f">{html.escape(label, quote=False)}</text>" in svg


@settings(max_examples=25, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=30))
def test_any_label_gives_valid_dot(label: str) -> None:
    a = Tensor([1.0, 2.0], requires_grad=True, label=label)
    out = (a * 3.0).sum()
    out.label = label
    v = Value(1.0, label) * 2.0
    v.label = label
    for root in (out, v):
        assert rnd.svg(draw_graph(root).source).startswith("<svg")


def test_large_graph_is_capped_with_a_note() -> None:
    x = Value(0.5, "x")
    y = x
    for _ in range(500):
        y = (y * 0.9 + x).tanh()
    total = len(toposort(y))
    source = draw_graph(y, max_nodes=40).source
    assert len({m for m in EDGE.findall(source)}) > 0
    assert f"{total - 40} more nodes not shown (max_nodes=40)" in source
    assert f"{total - 40} of {total} nodes omitted" in source and "omitted ->" in source


def test_tensor_nodes_show_shapes_and_vector_jacobian_products() -> None:
    W = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True, label="W")
    x = Tensor(np.ones(3, dtype=np.float32), label="x", dtype="float32")
    b = Tensor([1.0, 2.0], requires_grad=True, label="b")
    h = ((W @ x) + b[:, None]).tanh().sum()
    h.label = "h"
    h.backward()
    texts, fill, _ = drawn(draw_graph(h))
    assert texts["W"][:3] == ["W", "(2, 3) float64", "data mean 2.5 min 0 max 5"]
    assert texts["W"][3] == f"grad mean {num(W.grad.mean())} min {num(W.grad.min())} max {num(W.grad.max())}"
    assert fill["W"] == COLORS["parameter"] and fill["x"] == COLORS["input"]
    assert texts["x"][-1] == "grad —" and "(3,) float32" in texts["x"]
    assert "() float64" in texts["h"]
    cells = [t for ts in texts.values() for t in ts if ": " in t]
    assert any(t.startswith("W: ") for t in cells)
    assert any(t.endswith("(2, 2)→(2, 1)") for t in cells)  # a broadcast input shows both shapes
    legend = draw_graph(h).source
    assert "vector-Jacobian product: gradient sent to this input (g = ∂L/∂out)" in legend


def chain(n: int) -> Value:
    x = Value(1.0001, "x")
    y = x
    for _ in range(n):
        y = y * x
        y = y + x
    return y


def wide(n: int) -> Value:
    return sum((Value(float(i), f"x{i}") ** 2 for i in range(n)), Value(0.0))


def tensor_stack() -> Tensor:
    W = Tensor(np.random.default_rng(0).normal(size=(3, 3)), requires_grad=True, label="W")
    h = Tensor(np.ones((4, 3)))
    for _ in range(60):
        h = (h @ W).tanh() * 0.5 + h
    return h.sum()


def test_drawing_every_node_is_linear_in_the_graph_even_with_a_shared_leaf() -> None:
    """One leaf used by every other node (the drawing benchmark's chain): the work of drawing all
    of it (``max_nodes=None``) doubles when the graph doubles. It grew quadratically when each
    edge rescanned its input's uses; the time is bounded in benchmarks/bench_visual.py."""
    small, large = chain(150), chain(300)
    work = [lines_run(lambda root=root: draw_graph(root, max_nodes=None)) for root in (small, large)]
    assert work[1] / work[0] < 2.2, work
    assert draw_graph(large, max_nodes=None, legend=False).source.count(" -> ") == 4 * 300  # every edge


@pytest.mark.parametrize(
    "make", [lambda: chain(400), lambda: wide(300), tensor_stack], ids=["chain", "wide", "tensor"]
)
def test_large_graphs_render_capped(make: Any, tmp_path: Any) -> None:
    root = make()
    root.backward()
    assert render(draw_graph(root), tmp_path / "g.svg") == tmp_path / "g.svg"  # bounds: bench_visual.py
