"""backward_steps and backward_html: one frame per node, in backward order."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

from autograd import Tensor
from autograd.draw import COLORS, num
from autograd.graph import toposort
from autograd.steps import backward_html, backward_steps


def test_one_frame_per_node_in_backward_order(net221: Any) -> None:
    _, n = net221
    topo = toposort(n["L"])
    frames = backward_steps(n["L"])
    assert len(frames) == len(topo)
    assert [f.node for f in frames] == topo[::-1]
    assert [f.step for f in frames] == list(range(len(topo)))
    assert all(f.grad == f.node.grad for f in frames)


def test_frames_highlight_the_node_and_show_only_finished_gradients(net221: Any) -> None:
    _, n = net221
    frames = backward_steps(n["L"], legend=False)
    for f in frames:
        source = f.graph.source
        assert source.count(f'fillcolor="{COLORS["current"]}"') == 1
        current = re.search(rf'\[label="([^|"]*) \|[^\]]*fillcolor="{COLORS["current"]}"', source)
        assert current.group(1) == (f.node.label or f"#{toposort(n['L']).index(f.node)}")
        assert source.count("grad ?") == len(frames) - f.step - 1


def test_explanations_spell_out_the_chain_rule(net221: Any) -> None:
    _, n = net221
    frames = {f.node: f for f in backward_steps(n["L"])}
    assert frames[n["L"]].explanation == "grad(L) = 1: the seed, ∂L/∂L"
    a1, z1 = n["a1"], n["z1"]
    assert frames[z1].explanation == (
        f"grad(z1) = ∂a1/∂z1 · grad(a1) = {num(a1.local_grads[0])} × {num(a1.grad)} = {num(z1.grad)}"
    )


def test_tensor_frames() -> None:
    W = Tensor(np.eye(2), requires_grad=True, label="W")
    x = Tensor([1.0, 2.0], label="x")
    out = (W @ x).sum()
    frames = backward_steps(out)
    assert len(frames) == len(toposort(out)) == 4
    by_node = {f.node: f.explanation for f in frames}
    assert by_node[W] == "grad(W) = [g @ bᵀ] with g = grad(#2) = [1, 2, 1, 2]"
    assert by_node[x].startswith("grad(x) = None: a constant")


def test_html_page_steps_through_every_frame(net221: Any, tmp_path: Path, require_dot: None) -> None:
    _, n = net221
    path = backward_html(n["L"], tmp_path / "steps.html", title="2-2-1 <net>")
    assert path == tmp_path / "steps.html"
    page = path.read_text(encoding="utf-8")
    count = len(toposort(n["L"]))
    assert page.count('<section class="frame" hidden>') == page.count("<svg") == count
    assert 'id="prev"' in page and 'id="next"' in page and "ArrowLeft" in page and "ArrowRight" in page
    assert "<title>2-2-1 &lt;net&gt;</title>" in page and "<?xml" not in page
    assert not re.search(r'(src|href)="(http|//|[^#"])', page)  # self-contained: nothing to fetch
    assert "grad(z1) = ∂a1/∂z1 · grad(a1)" in page
