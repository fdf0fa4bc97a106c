"""Backpropagation through a 2-2-1 network
=======================================

Backpropagation through a 2-2-1 sigmoid network, every step visible and checked.

The network and numbers are the worked example of the teaching notes: inputs
x = [1, 0], label y = 1, binary cross-entropy loss. The engine computes the
forward and backward pass; this script prints them step by step, takes one
gradient-descent step, draws the graph, checks every number the notes state
(and finds where their arithmetic slips), then trains the network.

    python examples/backprop_221.py [--out DIR] [--steps N]
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import _common  # noqa: E402, F401  (puts the repository root on sys.path)

from autograd import Claim, StepThrough, Value, compile, draw_graph, render, trace  # noqa: E402
from autograd.visual.text import num  # noqa: E402
from losses import binary_cross_entropy  # noqa: E402
from optimizers import SGD  # noqa: E402

INITIAL = {
    "w11": 0.2,
    "w21": 0.4,
    "b1": 0.1,
    "w12": 0.3,
    "w22": 0.1,
    "b2": 0.2,
    "w13": 0.7,
    "w23": 0.5,
    "b3": 0.3,
}
X, Y, LR = (1.0, 0.0), 1.0, 0.1
PAGE_TITLE = "2-2-1 network, step by step: the engine's numbers and the notes'"


# -- the network
def labelled(v: Value, label: str) -> Value:
    v.label = label
    return v


def neuron(w: tuple[Value, Value], x: tuple[Value, Value], b: Value, k: int) -> tuple[Value, Value]:
    """z_k = w·x + b and a_k = σ(z_k), every intermediate labelled."""
    terms = [labelled(wi * xi, f"{wi.label}·{xi.label}") for wi, xi in zip(w, x)]
    s = labelled(terms[0] + terms[1], f"{terms[0].label}+{terms[1].label}")
    z = labelled(s + b, f"z{k}")
    return z, labelled(z.sigmoid(), "ŷ" if k == 3 else f"a{k}")


def forward(p: dict[str, Value], x: tuple[float, float] = X, y: float = Y) -> dict[str, Value]:
    """All named nodes of the network and loss, for parameters ``p``."""
    n = {"x1": Value(x[0], "x1"), "x2": Value(x[1], "x2"), "y": Value(y, "y")}
    xs = (n["x1"], n["x2"])
    n["z1"], n["a1"] = neuron((p["w11"], p["w21"]), xs, p["b1"], 1)
    n["z2"], n["a2"] = neuron((p["w12"], p["w22"]), xs, p["b2"], 2)
    n["z3"], n["ŷ"] = neuron((p["w13"], p["w23"]), (n["a1"], n["a2"]), p["b3"], 3)
    n["L"] = labelled(binary_cross_entropy(n["y"], n["ŷ"]), "L")
    return n


def parameters(values: dict[str, float] = INITIAL) -> dict[str, Value]:
    return {name: Value(v, name) for name, v in values.items()}


def descend(params: list[Value], lr: float) -> None:
    """One gradient-descent step p ← p − lr·∂L/∂p."""
    SGD(params, lr=lr).step()


# -- checking the notes
@dataclass(frozen=True)
class Reading:
    """Where the engine keeps a number the notes state: ``of`` of the node named ``key``:
    its "data", its "grad", its "local" derivative (∂a/∂z, stored by a sigmoid node) or its
    data "after step" (a parameter after one gradient-descent step)."""

    of: str
    key: str

    def node(self, n: dict[str, Value], p: dict[str, Value]) -> Value:
        return n[self.key] if self.key in n else p[self.key]

    def __call__(self, n: dict[str, Value], p: dict[str, Value]) -> float:
        node = self.node(n, p)
        if self.of == "grad":
            return node.grad
        return node.local_grads[0] if self.of == "local" else node.data


@dataclass(frozen=True)
class Stated:
    """A number the notes state, where the engine keeps the truth, and the same step
    redone from the notes' own earlier numbers (None for a step with no earlier numbers)."""

    symbol: str
    stated: str
    truth: Reading
    from_notes: Callable[[dict[str, Value]], Value] | None


D, G = (lambda k: Reading("data", k)), (lambda k: Reading("grad", k))
# The numbers as the notes write them; `truth` reads the engine, `from_notes` recomputes.
CLAIMS = [
    Stated("z1", "0.3", D("z1"), None),
    Stated("a1", "0.574", D("a1"), lambda s: s["z1"].sigmoid()),
    Stated("z2", "0.5", D("z2"), None),
    Stated("a2", "0.622", D("a2"), lambda s: s["z2"].sigmoid()),
    Stated("z3", "1.086", D("z3"), lambda s: s["w13"] * s["a1"] + s["w23"] * s["a2"] + s["b3"]),
    Stated("ŷ", "0.748", D("ŷ"), lambda s: s["z3"].sigmoid()),
    Stated("L", "0.289", D("L"), lambda s: binary_cross_entropy(s["y"], s["ŷ"])),
    Stated("δ3 = ∂L/∂z3", "-0.252", G("z3"), lambda s: s["ŷ"] - s["y"]),
    Stated("∂L/∂w13", "-0.145", G("w13"), lambda s: s["δ3 = ∂L/∂z3"] * s["a1"]),
    Stated("∂L/∂w23", "-0.157", G("w23"), lambda s: s["δ3 = ∂L/∂z3"] * s["a2"]),
    Stated("∂L/∂b3", "-0.252", G("b3"), lambda s: s["δ3 = ∂L/∂z3"]),
    Stated("σ'(z1)", "0.244", Reading("local", "a1"), lambda s: s["a1"] * (1 - s["a1"])),
    Stated("δ1 = ∂L/∂z1", "-0.043", G("z1"), lambda s: s["w13"] * s["δ3 = ∂L/∂z3"] * s["σ'(z1)"]),
    Stated("σ'(z2)", "0.235", Reading("local", "a2"), lambda s: s["a2"] * (1 - s["a2"])),
    Stated("δ2 = ∂L/∂z2", "-0.030", G("z2"), lambda s: s["w23"] * s["δ3 = ∂L/∂z3"] * s["σ'(z2)"]),
    Stated("∂L/∂w11", "-0.043", G("w11"), lambda s: s["δ1 = ∂L/∂z1"] * s["x1"]),
    Stated("∂L/∂w21", "0", G("w21"), lambda s: s["δ1 = ∂L/∂z1"] * s["x2"]),
    Stated("∂L/∂b1", "-0.043", G("b1"), lambda s: s["δ1 = ∂L/∂z1"]),
    Stated("∂L/∂w12", "-0.030", G("w12"), lambda s: s["δ2 = ∂L/∂z2"] * s["x1"]),
    Stated("∂L/∂w22", "0", G("w22"), lambda s: s["δ2 = ∂L/∂z2"] * s["x2"]),
    Stated("∂L/∂b2", "-0.030", G("b2"), lambda s: s["δ2 = ∂L/∂z2"]),
]
STEP_CLAIM = Stated(
    "w13 after one step", "0.7145", Reading("after step", "w13"), lambda s: s["w13"] - LR * s["∂L/∂w13"]
)


@dataclass(frozen=True)
class Check:
    symbol: str
    stated: str
    true: float
    from_notes: float | None
    verdict: str  # "ok", "slip" (wrong even given the notes' earlier numbers) or "inherited"


def agrees(x: float, stated: str) -> bool:
    """Whether ``x`` rounds to ``stated`` at the precision ``stated`` is written with."""
    decimals = len(stated.partition(".")[2])
    return abs(x - float(stated)) <= 0.5 * 10.0**-decimals * (1 + 1e-9)


def check(claim: Stated, true: float, notes: dict[str, Value]) -> Check:
    """Judge one claim; ``notes`` holds the givens and the notes' earlier numbers as Values."""
    own = None if claim.from_notes is None else claim.from_notes(notes).data
    if agrees(true, claim.stated):
        verdict = "ok"
    else:
        verdict = "inherited" if own is not None and agrees(own, claim.stated) else "slip"
    notes[claim.symbol] = Value(float(claim.stated))
    return Check(claim.symbol, claim.stated, true, own, verdict)


def givens(n: dict[str, Value]) -> dict[str, Value]:
    """What the notes start from: the inputs, the label and the initial weights, as Values."""
    return {k: Value(n[k].data) for k in ("x1", "x2", "y")} | {k: Value(v) for k, v in INITIAL.items()}


def check_notes(
    n: dict[str, Value],
    p: dict[str, Value],
    claims: list[Stated] = CLAIMS,
    notes: dict[str, Value] | None = None,
) -> list[Check]:
    """Every claim in order, against the graph after backward (and, for STEP_CLAIM, after one
    gradient-descent step); ``notes`` carries the notes' numbers from one call to the next."""
    notes = givens(n) if notes is None else notes
    return [check(c, c.truth(n, p), notes) for c in claims]


def page_claims(checks: list[Check], n: dict[str, Value], p: dict[str, Value]) -> list[Claim]:
    """The checked numbers that are a node's value or gradient, for the step-through page; a
    wrong one says whether the slip is there or comes from an earlier wrong number."""
    claims = []
    for claim, c in zip(CLAIMS, checks):
        if claim.truth.of in ("data", "grad"):
            if c.verdict == "slip":
                own = "" if c.from_notes is None else f": the notes' own numbers give {c.from_notes:.4f}"
                note = f"The slip is here{own}."
            else:
                note = "Follows from an earlier wrong number." if c.verdict == "inherited" else ""
            claims.append(Claim(claim.truth.node(n, p), c.stated, of=claim.truth.of, note=note))
    return claims


def format_checks(checks: list[Check]) -> str:
    head = ["quantity", "notes say", "true (same precision)", "engine", "notes' own numbers give", "verdict"]
    rows = [head]
    words = {"ok": "ok", "slip": "WRONG: the slip is here", "inherited": "WRONG: inherited from a slip"}
    for c in checks:
        decimals = len(c.stated.partition(".")[2])
        own = "" if c.from_notes is None else f"{c.from_notes + 0.0:.{decimals + 1}f}"  # no -0.0
        rows.append([c.symbol, c.stated, f"{c.true:.{decimals}f}", num(c.true, 6), own, words[c.verdict]])
    widths = [max(len(r[j]) for r in rows) for j in range(len(rows[0]))]
    return "\n".join("  ".join(x.ljust(w) for x, w in zip(r, widths)).rstrip() for r in rows)


# -- training
def train(steps: int, lr: float, target: float) -> list[float]:
    """Losses of gradient descent from the initial weights, stopping once below ``target``."""
    p = parameters()
    losses: list[float] = []
    while True:
        for v in p.values():
            v.grad = 0.0
        loss = forward(p)["L"]
        losses.append(loss.data)
        if loss.data < target or len(losses) > steps:
            return losses
        loss.backward()
        descend(list(p.values()), lr)


def sparkline(values: list[float], width: int = 60) -> str:
    bars = "▁▂▃▄▅▆▇█"
    picked = [values[i * (len(values) - 1) // max(width - 1, 1)] for i in range(min(width, len(values)))]
    lo, hi = min(picked), max(picked)
    return "".join(bars[int((v - lo) / (hi - lo or 1) * (len(bars) - 1))] for v in picked)


def plot_losses(losses: list[float], path: Path) -> Path | None:
    """The loss curve as a PNG, or None when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(range(len(losses)), losses)
    ax.set(xlabel="gradient-descent step", ylabel="loss (BCE)", title="2-2-1 network, x = [1, 0], y = 1")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


# -- the script
@dataclass
class Result:
    loss: float
    grads: dict[str, float]
    new_weights: dict[str, float]
    checks: list[Check]
    losses: list[float]
    files: dict[str, Path] = field(default_factory=dict)

    @property
    def wrong(self) -> list[str]:
        """The notes' numbers that the engine flags as wrong."""
        return [c.symbol for c in self.checks if c.verdict != "ok"]

    @property
    def slips(self) -> list[str]:
        """The wrong numbers that do not even follow from the notes' own earlier numbers."""
        return [c.symbol for c in self.checks if c.verdict == "slip"]


def _section(title: str) -> None:
    print(f"\n== {title} " + "=" * max(0, 70 - len(title)))


def main(argv: list[str] | None = None) -> Result:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("out"), help="output folder (default ./out)")
    ap.add_argument("--steps", type=int, default=1000, help="most training steps (default 1000)")
    ap.add_argument("--target", type=float, default=0.01, help="train until the loss is below this")
    ap.add_argument("--small", action="store_true", help="train for at most 50 steps (used by the tests)")
    args = ap.parse_args(argv)
    steps = min(args.steps, 50) if args.small else args.steps
    args.out.mkdir(parents=True, exist_ok=True)

    p = parameters()
    n = forward(p)
    _section("Forward and backward pass, as the engine runs them")
    print(trace(n["L"], params=p.values()))
    grads = {k: v.grad for k, v in p.items()}
    print_backward_code(grads)
    notes = givens(n)
    checks = check_notes(n, p, CLAIMS, notes)

    page = StepThrough(
        n["L"], params=p.values(), claims=page_claims(checks, n, p), claimed_by="notes", title=PAGE_TITLE
    )
    edge = draw_graph(n["L"], params=p.values(), nodes=[n["z1"], n["a1"]], legend=False)  # one edge, its rule
    drawn = {
        "graph": render(draw_graph(n["L"], params=p.values()), args.out / "backprop_221.svg"),
        "edge": render(edge, args.out / "backprop_221_edge.svg"),
        "steps": page.save(args.out / "backprop_221_steps.html"),
    }
    files = {k: v for k, v in drawn.items() if v is not None}  # None: no renderer, said in one line

    descend(list(p.values()), LR)
    _section(f"Gradients and one gradient-descent step (lr = {LR})")
    print("\n".join(f"{k:>4}  {INITIAL[k]:<4}  ∂L/∂{k} = {grads[k]:+.6f}  ->  {p[k].data:.6f}" for k in p))
    checks += check_notes(n, p, [STEP_CLAIM], notes)

    _section("The notes' numbers, checked by the engine")
    print(format_checks(checks))
    _explain_slips(checks)

    losses = train(steps, LR, args.target)
    _section(f"Training (lr = {LR}, until the loss is below {args.target})")
    print(f"loss {losses[0]:.4f} -> {losses[-1]:.4f} in {len(losses) - 1} steps   {sparkline(losses)}")
    png = plot_losses(losses, args.out / "backprop_221_loss.png")
    if png is None:
        print(
            "(matplotlib is not installed, so the loss curve is only the sparkline above: "
            "pip install matplotlib for a PNG)"
        )
    else:
        files["loss curve"] = png

    _section("Files")
    print("\n".join(f"{k:>10}: {v}" for k, v in files.items()))
    return Result(n["L"].data, grads, {k: v.data for k, v in p.items()}, checks, losses, files)


# -- the backward pass as code: one compiled step of the network (autograd.compile)
def backward_code() -> tuple[str, dict[str, float]]:
    """The backward pass of a compiled step of this network, as the generated Python it runs (one
    line per chain-rule step, the rule as a comment), and the gradients it gives (fresh weights)."""
    q = parameters()
    step = compile(lambda: forward(q)["L"])
    step()
    backward = step.source.split("# -- backward\n")[1].rsplit("    return", 1)[0]
    return textwrap.dedent(backward), {k: v.grad for k, v in q.items()}


def print_backward_code(grads: dict[str, float]) -> None:
    code, same = backward_code()
    _section("The same backward pass as code (autograd.compile; step.source shows it all)")
    print(code.rstrip())
    print(f"\nIts gradients are the trace's, bit for bit: {same == grads}")


def _explain_slips(checks: list[Check]) -> None:
    wrong = [c for c in checks if c.verdict != "ok"]
    if not wrong:
        print("\nEvery number in the notes is right.")
        return
    slips = ", ".join(
        f"{c.symbol} (notes {c.stated}, their own numbers give {c.from_notes:.4f})"
        if c.from_notes is not None
        else c.symbol
        for c in wrong
        if c.verdict == "slip"
    )
    print(f"\n{len(wrong)} of {len(checks)} numbers are wrong. Where the arithmetic slips: {slips}.")
    print("The other wrong numbers follow correctly from an earlier wrong one.")


if __name__ == "__main__":
    main()
