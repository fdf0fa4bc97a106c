"""Frames of the forward and backward pass, their captions, and the step-through page."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from linecount import lines_run

from autograd import Claim, StepThrough, Tensor, Value, backward_html, backward_steps
from autograd.graph import toposort
from autograd.visual.steps import DIGITS
from autograd.visual.text import num


def n6(x: float) -> str:
    return num(x, DIGITS)


def test_one_backward_frame_per_node_in_backward_order(net221: Any) -> None:
    _, n = net221
    topo = toposort(n["L"])
    frames = backward_steps(n["L"], expand_losses=True)
    assert [f.node for f in frames] == topo[::-1] and [f.step for f in frames] == list(range(len(topo)))
    assert all(f.value == f.node.grad and f.phase == "backward" for f in frames)


def test_captions_spell_out_the_chain_rule_with_parentheses(net221: Any) -> None:
    p, n = net221
    frames = {f.node: f.explanation for f in backward_steps(n["L"], params=p.values())}
    assert frames[n["L"]] == "grad(L) = 1: the seed, ∂L/∂L"
    a1, z1 = n["a1"], n["z1"]
    assert frames[z1] == (  # the chain rule, its term with the rule from the op table, with numbers
        f"grad(z1) = ∂a1/∂z1 · grad(a1) = σ(z1)(1 − σ(z1)) · grad(a1) = {n6(a1.data)} × {n6(1 - a1.data)} × "
        f"({n6(a1.grad)}) = {n6(z1.grad)}"
    )
    w11x1 = n["z1"].children[0].children[0]
    assert frames[p["w11"]] == (
        f"grad(w11) = ∂(w11·x1)/∂w11 · grad(w11·x1) = x1 · grad(w11·x1) = 1 × ({n6(w11x1.grad)}) = "
        f"{n6(p['w11'].grad)}"
    )
    s3 = next(node for node in toposort(n["L"]) if node.label == "w13·a1+w23·a2")
    assert frames[s3].startswith("grad(w13·a1+w23·a2) = ∂z3/∂(w13·a1+w23·a2) · grad(z3) = 1 × (")
    assert frames[n["x1"]] == "grad(x1) = —: not needed, no parameter depends on x1"  # as its box: grad —


def test_forward_frames_then_backward_frames(net221: Any) -> None:
    p, n = net221
    st = StepThrough(n["L"], params=p.values())
    phases = [f.phase for f in st.frames]
    k = phases.index("backward")
    assert set(phases[:k]) == {"forward"} and set(phases[k:]) == {"backward"}
    captions = {f.node.label: f.explanation for f in st.frames if f.phase == "forward"}
    w13, a1 = p["w13"], n["a1"]
    assert (
        captions["w13·a1"]
        == f"w13·a1 = w13 · a1 = {n6(w13.data)} × {n6(a1.data)} = {n6(w13.data * a1.data)}"
    )
    assert captions["a1"] == f"a1 = sigmoid(z1) = sigmoid({n6(n['z1'].data)}) = {n6(a1.data)}"
    assert captions["L"] == (
        f"L = binary_cross_entropy(ŷ, y) = binary_cross_entropy({n6(n['ŷ'].data)}, 1) = {n6(n['L'].data)}"
    )
    # collapsed: ŷ gets ∂L/∂ŷ, the chain rule through the loss, = -y/ŷ
    back = {f.node: f.explanation for f in st.frames if f.phase == "backward"}
    assert back[n["ŷ"]] == f"grad(ŷ) = ∂L/∂ŷ · grad(L) = ({n6(-1 / n['ŷ'].data)}) × 1 = {n6(n['ŷ'].grad)}"


def test_a_node_used_many_times_gets_a_short_caption() -> None:
    x = Value(2.0, "x")
    y = x
    for _ in range(10):
        y = y * x
    frames = {f.node: f.explanation for f in backward_steps(y)}
    terms = frames[x].split(" = ")
    assert terms[1].count(" · grad(") == 3 and "… (8 more terms: see the trace table)" in terms[1]
    assert terms[2].count(" · grad(") == 3 and terms[2].endswith(" + …")  # each term with its rule
    assert terms[3].endswith(" + …") and terms[4] == n6(x.grad) == n6(11 * 2.0**10)  # x**11


def test_tensor_frames() -> None:
    W = Tensor(np.eye(2), requires_grad=True, label="W")
    x = Tensor([1.0, 2.0], label="x")
    out = (W @ x).sum()
    frames = {f.node: f.explanation for f in backward_steps(out)}
    assert frames[W] == "grad(W) = [g @ bᵀ] with g = grad(#2) = [1, 2, 1, 2]"
    assert frames[x] == "grad(x) = —: a constant (requires_grad=False), which backward skips"


def page_state(page: str) -> dict[str, Any]:
    return json.loads(re.search(r'<script id="state" type="application/json">(.*?)</script>', page, re.S)[1])


def test_the_page_is_one_drawing_and_frames(net221: Any, tmp_path: Path) -> None:
    p, n = net221
    path = backward_html(n["L"], tmp_path / "steps.html", title="2-2-1 <net>", params=p.values())
    page = path.read_text(encoding="utf-8")
    state = page_state(page)
    st = StepThrough(n["L"], params=p.values())
    assert page.count("<svg") == 1 and len(state["frames"]) == len(st.frames)
    assert [f["caption"] for f in state["frames"]] == [f.explanation for f in st.frames]
    assert "<title>2-2-1 &lt;net&gt;</title>" in page and "<?xml" not in page
    assert not re.search(r'(src|href)="(http|//)', page)  # offline: nothing to fetch
    assert "ArrowLeft" in page and "Home" in page and len(page) < 300_000


def chain(n: int) -> Value:
    x = Value(1.0001, "x")
    y = x
    for _ in range(n):
        y = y * x
        y = y + x
    return y


def test_page_size_and_work_grow_linearly() -> None:
    """Frames, captions and trace rows of a chain reusing one leaf: doubling the graph doubles the
    work (time bounds: benchmarks/bench_visual.py)."""
    work = [lines_run(lambda n=n: StepThrough(chain(n)).state()) for n in (100, 200)]
    assert work[1] / work[0] < 2.2, work
    work = [lines_run(lambda n=n: backward_steps(chain(n))) for n in (100, 200)]
    assert work[1] / work[0] < 2.2, work
    page = StepThrough(chain(200)).html()  # 401 nodes, 802 frames
    assert len(page) < 2_000_000 and page.count("<svg") == 1


def test_tensor_forward_captions_show_shapes() -> None:
    W = Tensor(np.ones((2, 3)), requires_grad=True, label="W")
    x = Tensor([1.0, 2.0, 3.0], label="x")
    u = (W @ x).exp().sum()
    captions = [f.explanation for f in StepThrough(u).frames if f.phase == "forward"]
    assert captions[0] == "#2 = W @ x, shape (2, 3) @ (3,) → (2,): [6, 6]"
    assert captions[1] == f"#3 = exp(#2), shape (2,) → (2,): [{n6(np.exp(6))}, {n6(np.exp(6))}]"
    assert captions[2] == f"#4 = sum(#3), shape (2,) → (): {n6(2 * np.exp(6))}"


BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_no_label_title_or_claim_can_end_the_pages_json_or_turn_its_text() -> None:
    """The state is JSON inside a <script>: every <, > and & in it is escaped, so no label opens a
    tag or a comment (``<!--<script>`` stopped the page). Bidi controls are escaped in the title,
    the labels and the claims, so none turns the text around it (U+202E stayed raw in the title)."""
    a = Value(2.0, "<!--<script>\u202e")
    out = a * Value(3.0, "</script>&amp;")
    out.label = "-->]]>"
    claims = [Claim(a, "2", note="<!--<script> note \u202e")]
    page = StepThrough(out, title=f"{BIDI} <!--<script> t", claims=claims, claimed_by="<!--").html()
    raw = re.search(r'<script id="state" type="application/json">(.*?)</script>', page, re.S)[1]
    assert not re.search("[<>&]", raw)
    state = json.loads(raw)
    assert any("<!--<script>" in f["caption"] for f in state["frames"])
    assert any("-->]]>" in f["caption"] for f in state["frames"])
    assert "<!--<script> note" in json.dumps(state, ensure_ascii=False)
    assert not [c for c in page if c in BIDI]
    title = re.search(r"<title>(.*?)</title>", page)[1]
    assert title.startswith("\\u202a\\u202b") and "&lt;!--&lt;script&gt; t" in title


def test_a_claim_is_judged_at_the_precision_it_is_written_with(net221: Any) -> None:
    p, n = net221
    z3 = n["z3"]  # 1.01334...
    assert Claim(z3, "1.013").agrees() and not Claim(z3, "1.086").agrees()
    assert Claim(z3, "1.0133").agrees() and not Claim(z3, "1.0134").agrees()
    assert Claim(z3, 1.0133).agrees() and Claim(z3, "1").agrees() and not Claim(z3, 2).agrees()
    assert Claim(p["w21"], "0", of="grad").agrees() and Claim(z3, "-0.266", of="grad").agrees()
    assert Claim(z3, "1.013e0").tolerance == pytest.approx(5e-4)
    for bad, error, words in [
        ({"stated": "abc"}, ValueError, "stated must be a number or its text; got 'abc'"),
        ({"stated": "nan"}, ValueError, "stated must be finite; got 'nan'"),
        ({"stated": None}, TypeError, "stated must be a number or its text; got NoneType"),
        ({"stated": True}, TypeError, "stated must be a number or its text; got bool"),
        ({"stated": "1", "of": "value"}, ValueError, "of must be 'data' or 'grad'; got 'value'"),
        ({"stated": "1", "note": 3}, TypeError, "note must be str; got int"),
    ]:
        with pytest.raises(error, match=re.escape(f"Claim: {words}")):
            Claim(z3, **bad)
    with pytest.raises(TypeError, match="Claim: node must be a Value or Tensor; got float"):
        Claim(1.0, "1")
    with pytest.raises(TypeError, match="the node's data must be one number; it has 2 elements"):
        Claim(Tensor([1.0, 2.0]), "1").agrees()


def test_claims_on_the_page(net221: Any) -> None:
    """Each claim is judged at the frame where its node gets that number; the wrong ones are
    marked in their boxes; the page is a snapshot, so a later optimizer step changes nothing."""
    p, n = net221
    claims = [
        Claim(n["z3"], "1.086", note="The slip is here."),
        Claim(n["z3"], "-0.266", of="grad"),
        Claim(p["w13"], "0.7"),
    ]
    st = StepThrough(n["L"], params=p.values(), claims=claims, claimed_by="notes")
    state = st.state()
    said = {(f["node"], f["phase"]): f["claims"] for f in state["frames"] if f["claims"]}
    z3 = f"n{st.walk.index[n['z3']]}"
    assert said[z3, "forward"] == [
        {"text": "✗ notes: z3 = 1.086; the engine: 1.01334. The slip is here.", "ok": False}
    ]
    ok = "✓ notes: grad(z3) = -0.266, as the engine computes."
    assert said[z3, "backward"] == [{"text": ok, "ok": True}]
    first = state["frames"][0]["node"]  # a leaf's value is given: judged at the first frame
    assert said[first, "forward"][0] == {"text": "✓ notes: w13 = 0.7, as the engine computes.", "ok": True}
    assert state["marks"] == {z3: [{"of": "data", "text": "notes 1.086 ✗"}]}
    assert "notes 1.086 ✗" in st.drawing.source and "purple ✗" in st.drawing.source
    before = st.html()
    p["w13"].data = 5.0  # an optimizer step after the page was made
    assert st.html() == before
    with pytest.raises(ValueError, match="inside a collapsed loss: pass expand_losses=True"):
        inner = n["L"].children[0]
        StepThrough(n["L"], claims=[Claim(inner, "1")])
    StepThrough(n["L"], claims=[Claim(n["L"].children[0], "1")], expand_losses=True)  # drawn: fine
    with pytest.raises(ValueError, match="a claim's node is not in the graph of root"):
        StepThrough(n["L"], claims=[Claim(Value(1.0), "1")])
    with pytest.raises(TypeError, match="claims must be Claim objects; got tuple"):
        StepThrough(n["L"], claims=[(n["z3"], "1.086")])
