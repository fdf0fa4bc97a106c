"""trace: the forward and backward tables hold exactly the engine's numbers."""

from __future__ import annotations

import io
import re
from typing import Any

import numpy as np
import pytest

from autograd import Tensor, Value, trace, trace_rows
from autograd.graph import toposort
from autograd.visual.text import num


def parse(text: str) -> tuple[list[list[str]], list[list[str]]]:
    """The forward and backward tables of a trace as lists of non-empty cells."""
    tables = []
    for block in text.split("\n\n"):
        lines = block.strip("\n").splitlines()[3:]  # title, header, rule
        tables.append([re.split(r"\s{2,}", line.strip()) for line in lines])
    return tables[0], tables[1]


def test_rows_hold_the_engines_numbers(net221: Any) -> None:
    _, n = net221
    root = n["L"]
    t = trace_rows(root, expand_losses=True)
    topo = toposort(root)
    assert [r.node for r in t.forward] == topo
    assert all(r.value == r.node.data for r in t.forward)
    last = {}
    for r in t.backward[1:]:
        inputs = r.output.children
        assert (
            r.incoming == r.output.grad
            and r.source == f"{r.output.label or '#' + str(topo.index(r.output))} ({r.output.op})"
        )
        assert r.local in [d for c, d in zip(inputs, r.output.local_grads) if c is r.node]
        last[r.node] = r.grad
    assert t.backward[0].source == "seed" and t.backward[0].grad == 1.0
    assert all(last[node] == node.grad for node in topo[:-1])  # the running sums are the engine's grads


def test_a_loss_is_one_named_row_as_in_the_drawing(net221: Any) -> None:
    """The printed trace groups the loss's internals as the drawing does: one row ``L``
    (binary_cross_entropy) instead of ten unnamed ``#`` rows; ``expand_losses=True`` lists them."""
    p, n = net221
    t = trace(n["L"], params=p.values())
    names = [r.name for r in t.forward]
    assert not [x for x in names if x.startswith("#")] and names[-1] == "L"
    loss = t.forward[-1]
    assert loss.op == "binary_cross_entropy" and loss.inputs == ("ŷ", "y") and loss.value == n["L"].data
    y_hat = next(r for r in t.backward if r.node is n["ŷ"])  # the chain rule through the loss: -y/ŷ
    assert y_hat.source == "L (binary_cross_entropy)" and y_hat.local == pytest.approx(-1 / n["ŷ"].data)
    last = {r.node: r.grad for r in t.backward}
    assert all(g == node.grad for node, g in last.items())  # still the engine's numbers, exactly
    assert re.search(r"^L +binary_cross_entropy +ŷ, y +0\.309692$", str(t), re.M)
    expanded = trace(n["L"], expand_losses=True)
    assert len(expanded.forward) - len(t.forward) == 10 and not t.backward[-1].needed


def test_text_shows_the_engines_numbers(net221: Any, torch221: dict) -> None:
    _, n = net221
    fwd, bwd = parse(str(trace(n["L"])))
    values = {row[0]: row[-1] for row in fwd}
    for name in ("z1", "a1", "z2", "a2", "z3", "ŷ", "L"):
        assert values[name] == num(n[name].data, 6) == num(torch221[name], 6)
    final = {row[0]: row[-1] for row in bwd}  # the last row of each node: its gradient
    for name, key in (("z1", "dz1"), ("z2", "dz2"), ("z3", "dz3"), ("a1", "da1"), ("ŷ", "dŷ")):
        assert final[name] == num(n[name].grad, 6) == num(torch221[key], 6)
    z1 = next(row for row in bwd if row[0] == "z1")  # δ1 = σ'(z1) · ∂L/∂a1, as the notes write it
    assert z1[1:] == [  # the rule from the op table, its factors, the engine's number
        "a1 (sigmoid)",
        f"σ(z1)(1 − σ(z1)) = {num(torch221['a1'], 6)} × {num(1 - torch221['a1'], 6)} = "
        + num(n["a1"].local_grads[0], 6),
        num(torch221["da1"], 6),
        num(torch221["dz1"], 6),
    ]


def test_trace_shows_once_as_its_repr(net221: Any, capsys: Any) -> None:
    _, n = net221
    t = trace(n["L"])
    assert capsys.readouterr().out == ""  # nothing printed: the REPL or Jupyter shows the repr, once
    text = str(t)
    assert repr(t) == text and text.startswith("Forward pass") and "Backward pass" in text
    assert "<table class='trace'>" in t._repr_html_()
    written = io.StringIO()
    trace(n["L"], file=written)
    assert written.getvalue() == text


def test_trace_runs_backward_once() -> None:
    a = Value(3.0, "a")
    out = a * a
    trace(out, file=io.StringIO())
    assert a.grad == 6.0
    trace(out, file=io.StringIO())  # already done: no second backward, no accumulation
    assert a.grad == 6.0


def test_a_shared_input_gets_one_row_per_use() -> None:
    a = Value(3.0, "a")
    out = a * a + a
    rows = [r for r in trace_rows(out).backward if r.node is a]
    assert [r.local for r in rows] == [1.0, 3.0, 3.0] and [r.grad for r in rows] == [1.0, 4.0, 7.0]


def test_tensor_trace_shows_rules_and_summaries() -> None:
    W = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True, label="W")
    x = Tensor([1.0, -1.0], label="x")
    out = (W @ x).sum()
    out.label = "out"
    t = trace_rows(out)
    w_row = next(r for r in t.backward if r.node is W)
    assert w_row.local == "g @ bᵀ" and np.array_equal(w_row.grad, W.grad)
    assert next(r for r in t.backward if r.node is x).source == "(no gradient: constant)"
    text = str(trace(out))
    assert "[1, -1, 1, -1]" in text and "g @ bᵀ" in text


def test_digits_option() -> None:
    out = Value(2.0, "a").sqrt()
    assert "1.41421356" in str(trace(out, digits=9))
    assert "1.41421356" not in str(trace(out))


def test_trace_of_a_matrix_is_torchs_trace() -> None:
    """One name, two uses: a loss's backward pass as tables, or (given a matrix, which is not a loss)
    torch's ``trace``, the sum of the diagonal, with its gradient."""
    import numpy as np
    import torch

    import autograd

    m = autograd.tensor(np.arange(12.0).reshape(3, 4), requires_grad=True)
    tm = torch.tensor(np.arange(12.0).reshape(3, 4), requires_grad=True)
    ours, theirs = autograd.trace(m), torch.trace(tm)
    assert float(ours) == float(theirs) == 15.0
    ours.backward()
    theirs.backward()
    assert m.grad.tolist() == tm.grad.tolist()
    assert "Backward pass" in str(autograd.trace((m * m).sum()))
