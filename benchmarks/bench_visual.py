"""Time and size of the pictures against the bounds docs/guides/drawings.md states.

    python benchmarks/bench_visual.py

Prints one markdown table: draw_graph + render at the default node cap with each
renderer (the system ``dot`` and graphviz-pure), the step-through page's build time
and size, draw_graph of 40,001 nodes without a cap (the DOT source, no layout), and
``backward_steps`` on 2,000 nodes. Exits 1 when a bound is missed.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))

from autograd import StepThrough, Tensor, Value, backward_steps, draw_graph, render  # noqa: E402
from autograd.graph import toposort  # noqa: E402
from autograd.visual import render as rnd  # noqa: E402


def reused_leaf(n: int = 400) -> Value:
    """The benchmark's chain ``y = y*x; y = y+x``: one leaf used 2n times."""
    x = Value(1.0001, "x")
    y = x
    for _ in range(n):
        y = y * x
        y = y + x
    return y


def wide(n: int = 300) -> Value:
    return sum((Value(float(i), f"x{i}") ** 2 for i in range(n)), Value(0.0))


def tensor_stack(layers: int = 60) -> Tensor:
    W = Tensor(np.random.default_rng(0).normal(size=(3, 3)), requires_grad=True, label="W")
    h = Tensor(np.ones((4, 3)))
    for _ in range(layers):
        h = (h @ W).tanh() * 0.5 + h
    return h.sum()


def net221() -> Value:
    import backprop_221 as ex

    p = ex.parameters()
    return ex.forward(p)["L"]


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main() -> int:
    rows, ok = [], True

    def row(what: str, seconds: float | None, size: str, bound: str, good: bool) -> None:
        nonlocal ok
        ok &= good
        shown = "n/a" if seconds is None else f"{seconds:.2f} s"
        rows.append(f"| {what} | {shown} | {size} | {bound} | {'ok' if good else 'MISSED'} |")

    out = Path(tempfile.mkdtemp())
    for program in ("dot", "graphviz-pure"):
        if rnd.find(program) is None:
            continue
        rnd.FORMATS["svg"] = (program,)
        for name, make in (("reused leaf", reused_leaf), ("wide", wide), ("Tensor", tensor_stack)):
            root = make()
            root.backward()
            t, path = timed(lambda root=root: render(draw_graph(root), out / "g.svg"))
            what = f"draw + render, {name}: {len(toposort(root))} nodes (200 drawn), {program}"
            row(what, t, "", "≤ 5 s", path is not None and t <= 5)
        t, page = timed(lambda: StepThrough(net221()).html())
        size = f"{len(page) / 1000:.0f} kB"
        row(f"step-through page, 2-2-1, {program}", t, size, "< 300 kB", len(page) < 300_000)
        t, page = timed(lambda: StepThrough(reused_leaf(200)).html())
        size = f"{len(page) / 1e6:.1f} MB"
        row(f"step-through page, 401-node chain (802 frames), {program}", t, size, "≤ 3 s", t <= 3)
    rnd.FORMATS["svg"] = ("dot", "graphviz-pure")
    shared = reused_leaf(20_000)
    t, drawing = timed(lambda: draw_graph(shared, max_nodes=None))
    what = f"draw_graph(max_nodes=None), one leaf used 40,000 times: {len(toposort(shared))} nodes (DOT)"
    row(what, t, f"{len(drawing.source) / 1e6:.0f} MB", "≤ 10 s", t <= 10)
    x = Value(0.5, "x")
    chain = x
    for _ in range(667):
        chain = chain * 0.999 + x
    t, frames = timed(lambda: backward_steps(chain))
    row(f"backward_steps, {len(frames)} nodes", t, "", "≤ 2 s", t <= 2)
    print("| what | time | size | bound | |\n|---|---|---|---|---|")
    print("\n".join(rows))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
