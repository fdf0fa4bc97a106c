"""Paired A/B of the four benchmark workloads (and a fifth): this checkout's engine against an earlier one.

The earlier engine (``--base``, a git ref; default ``main``) is exported from git into a
temporary directory as the package ``autograd_base`` and imported beside ``autograd``, so
both run in one process on the same inputs, alternating block by block. Reported: the
median over blocks of (this engine's time / the base's time): 1.03 means 3% slower; and the
spread of those paired ratios (the middle half, 25th to 75th percentile, and a bootstrap 95%
interval of the median), so a budget counts as met only when the interval clears it.

    python benchmarks/ab_engine.py                 # ~3 min
    python benchmarks/ab_engine.py --base HEAD~3 --blocks 31 --clock cpu

Workloads (see docs/guides/performance.md): (a) the 100,000-op Value chain, build + backward, gc on;
(b) micrograd's demo step (MLP(2, [16, 16, 1]), 100 points); (c) the 784-256-10 Tensor step
(relu, batch 128, float32); (d) the 2-16-16-1 tanh Tensor step (batch 100, float32); and (e) a
2-64-3 relu classifier step (batch 1000, float32), whose softmax cross-entropy is over 3 classes.
"""

from __future__ import annotations

try:
    from benchmarks import _harness as H
except ImportError:  # run as a script
    import _harness as H  # type: ignore[no-redef]

H.single_thread()  # before numpy is imported

import argparse  # noqa: E402
import gc  # noqa: E402
import importlib  # noqa: E402
from collections.abc import Callable  # noqa: E402
from types import SimpleNamespace  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

import autograd  # noqa: E402
import autograd.nn  # noqa: E402

try:
    from benchmarks import bench_value as BV
except ImportError:  # run as a script
    import bench_value as BV  # type: ignore[no-redef]


def load_base(ref: str) -> Any:
    """The ``autograd`` package at git ``ref``, imported as ``autograd_base``."""
    base = H.package_at(ref, "autograd")
    importlib.import_module("autograd_base.nn")
    return base


def engine(pkg: Any) -> SimpleNamespace:
    # The Tensor steps update each parameter from its stored gradient array, as the optimizers do
    # (optimizers/_params.py): an engine whose `.grad` wraps that array in a Tensor keeps it in
    # `_grad`. So both sides do the same numpy update, and the A/B times the engines' forward and
    # backward passes, not the wrapper a user's `p.grad` builds.
    stored = "_grad" if "_grad" in getattr(pkg.Tensor, "__slots__", ()) else "grad"
    return SimpleNamespace(
        name=pkg.__name__, Value=pkg.Value, MLP=pkg.nn.MLP, Tensor=pkg.Tensor, grad_slot=stored
    )


def chain(eng: SimpleNamespace) -> Callable[[], Any]:
    return lambda: BV.chain(eng, 100_000)


def demo(eng: SimpleNamespace) -> Callable[[], Any]:
    X, y = BV.make_moons()
    model = BV.demo_model(eng)
    k = iter(range(10**9))
    return lambda: BV.demo_step(eng, model, X, y, next(k) % 100)


def mlp_step(eng: SimpleNamespace, sizes: list[int], batch: int, act: str, loss: str) -> Callable[[], Any]:
    rng = np.random.default_rng(0)
    Tensor = eng.Tensor
    params = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        bound = 1 / np.sqrt(a)
        params += [rng.uniform(-bound, bound, shape).astype(np.float32) for shape in ((a, b), b)]
    P = [Tensor(p, requires_grad=True) for p in params]
    X = Tensor(rng.normal(size=(batch, sizes[0])).astype(np.float32))
    labels = rng.integers(0, sizes[-1], batch)
    target = Tensor(rng.normal(size=(batch, sizes[-1])).astype(np.float32))
    rows = np.arange(batch)
    slot = eng.grad_slot

    def step() -> float:
        h = X
        for i in range(0, len(P) - 2, 2):
            h = getattr(h @ P[i] + P[i + 1], act)()
        out = h @ P[-2] + P[-1]
        value = -out.log_softmax(-1)[rows, labels].mean() if loss == "ce" else ((out - target) ** 2).mean()
        value.backward()
        for p in P:
            p.data -= 0.01 * getattr(p, slot)
            setattr(p, slot, None)
        return value.item()

    return step


WORKLOADS: dict[str, tuple[Callable[[SimpleNamespace], Callable[[], Any]], int]] = {
    "(a) Value chain, 100k ops, build + backward": (chain, 1),
    # (5 steps a block: with the collector on, a full collection lands in some steps and not others)
    "(b) micrograd demo step, MLP(2,[16,16,1])": (demo, 5),
    "(c) Tensor 784-256-10 relu step, batch 128": (
        lambda e: mlp_step(e, [784, 256, 10], 128, "relu", "ce"),
        10,
    ),
    "(d) Tensor 2-16-16-1 tanh step, batch 100": (
        lambda e: mlp_step(e, [2, 16, 16, 1], 100, "tanh", "mse"),
        100,
    ),
    "(e) Tensor 2-64-3 relu CE step, batch 1000": (
        lambda e: mlp_step(e, [2, 64, 3], 1000, "relu", "ce"),
        50,
    ),
}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", default="main", help="git ref of the engine to compare with (default: main)")
    ap.add_argument("--blocks", type=int, default=21, help="interleaved blocks per workload")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    ap.add_argument("--only", default="", help="run only workloads whose name contains this")
    ap.add_argument(
        "--gc",
        choices=("on", "off"),
        default="on",
        help="off: the collector paused throughout; isolates the engine's own work from how the "
        "cyclic collector meets the rest of the heap (it moves (b) by up to 15%% with the same engine)",
    )
    args = ap.parse_args(argv)
    if args.gc == "off":
        gc.disable()
    new, old = engine(autograd), engine(load_base(args.base))
    print(f"`{H.command_line()}`\n\n{H.machine()}, numpy {np.__version__}; load {H.load()} before; "
          f"{args.clock} time, {args.blocks} interleaved blocks, gc {args.gc}.\n")  # fmt: skip
    rows = []
    for name, (make, per_block) in WORKLOADS.items():
        if args.only and args.only not in name:
            continue
        t_new, t_old, ratios = H.paired(make(new), make(old), args.blocks, per_block, args.clock)
        rows.append(H.ab_row(name, t_new, t_old, ratios))
        print(rows[-1], flush=True)
    print()
    print(H.ab_table("workload", args.base, "this engine", rows))
    print(f"\nload {H.load()} after")


if __name__ == "__main__":
    main()
