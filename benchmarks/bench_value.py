"""Scalar ``Value`` engine vs micrograd: time and memory per graph node.

Workloads (the identical code runs on both engines; only ``Value`` / ``MLP`` differ):

(a) chain: ``x = Value(0.99); y = x`` then N/2 times ``y = y * x; y = y + x``,
    then ``y.backward()``: N operations, N + 1 nodes, build + backward timed.
(b) micrograd's demo step (its ``demo.ipynb``): ``MLP(2, [16, 16, 1])`` on 100
    make_moons-like points, SVM hinge loss ``(1 + -yi*scorei).relu()`` averaged,
    L2 ``1e-4 * sum(p*p)``, accuracy, ``zero_grad``, ``backward``, SGD update with
    the notebook's learning-rate schedule; steps run back to back as in training.
(m) memory: tracemalloc over building the chain / one demo-step graph plus its
    backward, divided by the number of nodes in the graph.

The cyclic garbage collector stays on (as users run); gc-off numbers are printed
for reference. micrograd's recursive topological sort needs a raised recursion
limit and a big thread stack for the 100k chain: it runs in such a thread.

    python benchmarks/bench_value.py                # full run (~2 min)
    python benchmarks/bench_value.py --quick        # smoke run (~15 s)
    python benchmarks/bench_value.py --clock cpu    # process CPU time (steadier on a busy machine)
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

try:
    from benchmarks import _harness as H
except ImportError:  # run as a script
    import _harness as H  # type: ignore[no-redef]

import numpy as np

import autograd
import autograd.nn

try:
    import micrograd.engine
    import micrograd.nn
except ImportError:  # pragma: no cover
    micrograd = None  # type: ignore[assignment]

OURS = SimpleNamespace(name="autograd", Value=autograd.Value, MLP=autograd.nn.MLP)
MICRO = (
    SimpleNamespace(name="micrograd 0.1.0", Value=micrograd.engine.Value, MLP=micrograd.nn.MLP)
    if micrograd
    else None
)
ENGINES = (MICRO, OURS)


# ---------------------------------------------------------------------------
# Workloads: written once, run on either engine.
# ---------------------------------------------------------------------------
def chain(engine: Any, n: int) -> tuple[Any, Any]:
    """(a) n alternating Value ops ``y = y * x; y = y + x`` and a backward pass."""
    x = engine.Value(0.99)
    y = chain_forward(x, n)
    y.backward()
    return x, y


def chain_forward(x: Any, n: int) -> Any:
    """(a)'s forward pass from ``x``."""
    y = x
    for _ in range(n // 2):
        y = y * x
        y = y + x
    return y


def make_moons(n: int = 100, noise: float = 0.1, seed: int = 0) -> tuple[list[list[float]], list[float]]:
    """Two interleaving half circles (as sklearn.datasets.make_moons), labels -1 / +1, as Python floats."""
    rng = np.random.default_rng(seed)
    n_out, n_in = n // 2, n - n // 2
    t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
    X = np.concatenate(
        [np.stack([np.cos(t_out), np.sin(t_out)], 1), np.stack([1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5], 1)]
    )
    X += rng.normal(scale=noise, size=X.shape)
    y = np.concatenate([np.zeros(n_out), np.ones(n_in)]) * 2 - 1
    return X.tolist(), y.tolist()


def demo_model(engine: Any, seed: int = 1337) -> Any:
    random.seed(seed)  # both engines draw their weights from the `random` module
    return engine.MLP(2, [16, 16, 1])


def demo_loss(engine: Any, model: Any, X: list[list[float]], y: list[float]) -> tuple[Any, float]:
    """The notebook's ``loss()``: SVM max-margin loss + L2 regularization, and accuracy."""
    total_loss, scores = demo_loss_scores(engine, model, X, y)
    return total_loss, demo_accuracy(scores, y)


def demo_loss_scores(engine: Any, model: Any, X: list[list[float]], y: list[float]) -> tuple[Any, list[Any]]:
    """The notebook's loss and the scores it is made of (a function of nodes only: it compiles)."""
    Value = engine.Value
    inputs = [list(map(Value, xrow)) for xrow in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    alpha = 1e-4
    reg_loss = alpha * sum(p * p for p in model.parameters())
    return data_loss + reg_loss, scores


def demo_accuracy(scores: list[Any], y: list[float]) -> float:
    accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores)]
    return sum(accuracy) / len(accuracy)


def demo_step(engine: Any, model: Any, X: list[list[float]], y: list[float], k: int) -> Any:
    """(b) one optimization step of the notebook's training loop."""
    total_loss, acc = demo_loss(engine, model, X, y)
    model.zero_grad()
    total_loss.backward()
    learning_rate = 1.0 - 0.9 * k / 100
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    return total_loss


def compiled_demo_step(model: Any, X: list[list[float]], y: list[float]) -> Callable[[int], Any]:
    """(b) on this engine with the loss compiled (``autograd.compile``: forward and backward as
    generated float code): ``step(k)`` zeroes the gradients, runs it, takes the accuracy and the
    same SGD update as ``demo_step``."""
    loss = autograd.compile(lambda: demo_loss_scores(OURS, model, X, y))

    def step(k: int) -> Any:
        model.zero_grad()
        total_loss, scores = loss()
        demo_accuracy(scores, y)
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        return total_loss

    step.compiled = loss  # type: ignore[attr-defined]
    return step


# ---------------------------------------------------------------------------
# Harness
# ---------------------------------------------------------------------------
def in_big_stack(fn: Callable[[], Any]) -> Any:
    """Run ``fn`` in a thread with a 512 MB stack and a high recursion limit (micrograd only)."""
    result: list[Any] = []
    error: list[BaseException] = []
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old_limit, 1_000_000))
    old_size = threading.stack_size(512 * 1024 * 1024)

    def target() -> None:
        try:
            result.append(fn())
        except BaseException as e:  # noqa: BLE001 - re-raised in the caller
            error.append(e)

    try:
        t = threading.Thread(target=target)
        t.start()
        t.join()
    finally:
        threading.stack_size(old_size)
        sys.setrecursionlimit(old_limit)
    if error:
        raise error[0]
    return result[0]


def run(engine: Any, fn: Callable[[], Any]) -> Any:
    return in_big_stack(fn) if engine is MICRO else fn()


def count_nodes(root: Any) -> int:
    seen, stack = {id(root)}, [root]
    while stack:
        for child in stack.pop()._prev:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return len(seen)


def memory_per_node(engine: Any, build: Callable[[], Any]) -> tuple[float, int]:
    """Bytes allocated (and still held) per graph node by ``build()`` (graph + backward)."""

    def measure() -> tuple[float, int]:
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            root = build()
            held = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
        n = count_nodes(root)
        del root
        gc.collect()
        return held / n, n

    return run(engine, measure)


def _timed(fn: Callable[[], Any], gc_on: bool) -> tuple[float, float]:
    """(wall, cpu) seconds of one call of ``fn``, with the collector on or off."""
    gc.collect()
    (gc.enable if gc_on else gc.disable)()
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        return time.perf_counter() - t0, time.process_time() - c0
    finally:
        gc.enable()


def time_chain(n: int, repeat: int, gc_on: bool) -> dict[str, dict[str, list[float]]]:
    """Build + backward of the chain, engines alternating run by run, each from a collected heap."""
    out = {e.name: {"wall": [], "cpu": []} for e in ENGINES}
    for eng in ENGINES:  # warm up
        run(eng, lambda e=eng: chain(e, n))
    for i in range(repeat):
        for eng in ENGINES if i % 2 == 0 else ENGINES[::-1]:
            w, c = run(eng, lambda e=eng: _timed(lambda: chain(e, n), gc_on))
            out[eng.name]["wall"].append(w)
            out[eng.name]["cpu"].append(c)
    gc.collect()
    return out


def time_demo(blocks: int, per_block: int, gc_on: bool) -> dict[str, dict[str, list[float]]]:
    """Consecutive training steps, engines alternating block by block. Each engine keeps its
    own model; a block starts with one untimed step so that the timed ones run in steady state
    (with the previous step's garbage in the heap, as in a real training loop)."""
    X, y = make_moons()
    models = {e.name: demo_model(e) for e in ENGINES}
    k = {e.name: 0 for e in ENGINES}
    out = {e.name: {"wall": [], "cpu": []} for e in ENGINES}

    def block(eng: Any) -> None:
        model = models[eng.name]
        gc.collect()
        (gc.enable if gc_on else gc.disable)()
        try:
            for j in range(per_block + 1):
                t0, c0 = time.perf_counter(), time.process_time()
                demo_step(eng, model, X, y, k[eng.name] % 100)
                k[eng.name] += 1
                if j:
                    out[eng.name]["wall"].append(time.perf_counter() - t0)
                    out[eng.name]["cpu"].append(time.process_time() - c0)
        finally:
            gc.enable()

    for i in range(blocks):
        for eng in ENGINES if i % 2 == 0 else ENGINES[::-1]:
            run(eng, lambda e=eng: block(e))
    gc.collect()
    return out


def time_teardown(engine: Any, n: int) -> float:
    """Time to release the chain's graph: ``del`` plus ``gc.collect()``
    (micrograd's graphs are reference cycles, freed only by the collector)."""

    def once() -> float:
        gc.collect()
        x, y = chain(engine, n)
        t0 = time.perf_counter()
        del x, y
        gc.collect()
        return time.perf_counter() - t0

    return min(run(engine, once) for _ in range(2))


def check_same_workload() -> None:
    """Both engines must compute the same numbers, else the comparison is void."""
    X, y = make_moons()
    a = demo_step(OURS, demo_model(OURS), X, y, 0).data
    b = demo_step(MICRO, demo_model(MICRO), X, y, 0).data
    if not math.isclose(a, b, rel_tol=1e-12):
        raise SystemExit(f"demo step: engines disagree on the loss ({a} vs {b}); workload differs")
    xa, _ = chain(OURS, 1000)
    xb, _ = run(MICRO, lambda: chain(MICRO, 1000))
    if not math.isclose(xa.grad, xb.grad, rel_tol=1e-12):
        raise SystemExit(f"chain: engines disagree on dy/dx ({xa.grad} vs {xb.grad})")


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="a 20k chain, fewer repeats (smoke run)")
    ap.add_argument("--no-gc-off", action="store_true", help="skip the gc-off reference numbers")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall", help="wall-clock or process CPU time")
    args = ap.parse_args(argv)
    if MICRO is None:
        raise SystemExit("micrograd is not installed: pip install micrograd==0.1.0")

    n = 20_000 if args.quick else 100_000
    repeat, blocks, per_block = (3, 2, 2) if args.quick else (9, 6, 3)
    check_same_workload()
    load_before = H.load()
    res: dict[str, Any] = {"chain": time_chain(n, repeat, True), "demo": time_demo(blocks, per_block, True)}
    res["per_block"] = per_block
    if not args.no_gc_off:
        res["chain_off"] = time_chain(n, repeat, False)
        res["demo_off"] = time_demo(max(blocks // 2, 1), per_block, False)
    moons = make_moons()
    for eng in ENGINES:
        res[eng.name] = {
            "teardown": time_teardown(eng, n),
            "mem_chain": memory_per_node(eng, lambda e=eng: chain(e, n)[1]),
            "mem_demo": memory_per_node(eng, lambda e=eng: demo_step(e, demo_model(e), *moons, 0)),
        }
    report(res, n, args, repeat, blocks * per_block, load_before)
    return res


def report(res: dict[str, Any], n: int, args: Any, repeat: int, steps: int, load0: str) -> None:
    clock = args.clock

    def times(eng: Any, key: str) -> list[float]:
        return res[key][eng.name][clock]

    m, o = res[MICRO.name], res[OURS.name]
    demo_nodes = o["mem_demo"][1]
    print(f"## Value engine vs micrograd\n\n`{H.command_line()}`\n")
    print(
        f"{H.machine()}; load average {load0} before, {H.load()} after; {clock} time. "
        f"(a) chain: {n:,} ops (`y = y * x; y = y + x`) + backward, best of {repeat}, each from a "
        f"collected heap. (b) micrograd's demo step: MLP(2,[16,16,1]) on 100 points, {demo_nodes:,} graph "
        f"nodes per step, median of {steps} consecutive training steps. gc on (the default) unless noted; "
        f"the engines alternate run by run (block by block for (b)); the speed-up is the median of the "
        f"paired ratios (robust to the machine's speed drifting).\n"
    )
    rows, speedup = [], {}
    for key, label, nodes in (
        ("chain", "(a) chain, build + backward", n),
        ("demo", "(b) demo step", demo_nodes),
    ):
        stat = H.best if key == "chain" else H.median
        variants = [(key, "")] + ([] if args.no_gc_off else [(key + "_off", " (gc off, reference)")])
        for k, suffix in variants:
            tm, to = stat(times(MICRO, k)), stat(times(OURS, k))
            group = 1 if key == "chain" else res["per_block"]
            speedup[k] = H.paired_speedup(times(MICRO, k), times(OURS, k), group)
            rows.append(
                [
                    label + suffix,
                    H.fmt_time(tm),
                    H.fmt_time(to),
                    H.fmt_time(tm / nodes),
                    H.fmt_time(to / nodes),
                    f"{speedup[k]:.1f}x",
                ]
            )
    tm, to = m["teardown"], o["teardown"]
    rows.append(
        [
            "(a) chain teardown: del + gc.collect()",
            H.fmt_time(tm),
            H.fmt_time(to),
            H.fmt_time(tm / n),
            H.fmt_time(to / n),
            f"{tm / to:.1f}x",
        ]
    )
    print(
        H.table(
            ["workload", "micrograd", "autograd", "micrograd / node", "autograd / node", "speed-up"], rows
        )
    )
    print("\nMemory per node (tracemalloc over building the graph and its backward, / node count):\n")
    mem_rows = [
        [label, f"{m[k][0]:.0f} B", f"{o[k][0]:.0f} B", f"{m[k][0] / o[k][0]:.1f}x less"]
        for k, label in (("mem_chain", "(a) chain"), ("mem_demo", "(b) demo step graph"))
    ]
    print(H.table(["graph", "micrograd", "autograd", "autograd uses"], mem_rows))
    print()
    sa, sb = speedup["chain"], speedup["demo"]

    def verdict(ok: bool) -> str:  # the targets are defined on the full-size run
        return "(quick run: indicative only)" if args.quick else H.verdict(ok)

    mem_ok = o["mem_chain"][0] < m["mem_chain"][0] and o["mem_demo"][0] < m["mem_demo"][0]
    mem = (
        f"{o['mem_chain'][0]:.0f} / {o['mem_demo'][0]:.0f} B vs "
        f"{m['mem_chain'][0]:.0f} / {m['mem_demo'][0]:.0f} B"
    )
    print(
        H.table(
            ["target", "result", "status"],
            [
                ["(a) chain ≥ 3x faster than micrograd (aim 5x), gc on", f"{sa:.1f}x", verdict(sa >= 3)],
                [
                    "(b) demo step ≥ 3x faster than micrograd (aim 5x), gc on",
                    f"{sb:.1f}x",
                    verdict(sb >= 3),
                ],
                ["memory per node below micrograd's", mem, verdict(mem_ok)],
            ],
        )
    )
    print()


if __name__ == "__main__":
    main()
