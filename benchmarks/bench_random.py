"""torch's CPU random streams on this engine (``autograd._mt_stream``, bit for bit torch's numbers)
against torch itself, and optionally against the engine at an earlier git ref, in the same run:
interleaved blocks (the order turns each block), the median of the paired ratios and its
bootstrap 95% interval.

Before anything is timed, each workload is drawn once on every side after the same seed and
compared bit for bit (an engine at ``--base`` included).

    python benchmarks/bench_random.py [--blocks 21] [--clock cpu] [--base 0345693]

Workloads: ``randn(784, 256)`` float32 (Box–Muller in float32, torch's AVX2 kernel),
``randn(1000, 1000)`` float64 (glibc's log, sin and cos), ``rand(784, 256)``,
``randint(0, 10, (128, 256))``, ``randperm(60000)`` (an epoch's shuffle of MNIST),
``bernoulli_(0.5)`` of a (128, 256) float32 batch (a dropout mask) and ``nn.Linear(784, 256)``
(its weights' and bias's ``kaiming_uniform_``; torch's float32 numbers held in float64 here);
and small draws, where the calls' overhead is the cost: ``rand(5)``, ``randn(20)``,
``randperm(10)``, ``nn.Linear(3, 2)``.
"""

from __future__ import annotations

try:
    from benchmarks import _harness as H
except ImportError:  # run as a script
    import _harness as H  # type: ignore[no-redef]

H.single_thread()  # before numpy and torch are imported

import argparse  # noqa: E402
import statistics  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

import autograd  # noqa: E402

torch.set_num_threads(1)

#: name -> (calls per timed block, the draw given a library: autograd, its copy at --base, or torch)
WORKLOADS: dict[str, tuple[int, Callable[[Any], Any]]] = {
    "randn(784, 256) float32": (5, lambda lib: lib.randn(784, 256, dtype=lib.float32)),
    "randn(1000, 1000) float64": (1, lambda lib: lib.randn(1000, 1000, dtype=lib.float64)),
    "rand(784, 256) float32": (30, lambda lib: lib.rand(784, 256, dtype=lib.float32)),
    "randint(0, 10, (128, 256))": (100, lambda lib: lib.randint(0, 10, (128, 256))),
    "randperm(60000)": (10, lambda lib: lib.randperm(60000)),
    "bernoulli_(0.5) of (128, 256) float32": (
        100,
        lambda lib: lib.zeros(128, 256, dtype=lib.float32).bernoulli_(0.5),
    ),
    "nn.Linear(784, 256)": (20, lambda lib: lib.nn.Linear(784, 256)),
    # small draws, where the calls' overhead is the cost
    "rand(5) float32": (500, lambda lib: lib.rand(5, dtype=lib.float32)),
    "randn(20) float32": (100, lambda lib: lib.randn(20, dtype=lib.float32)),
    "randperm(10)": (500, lambda lib: lib.randperm(10)),
    "nn.Linear(3, 2)": (200, lambda lib: lib.nn.Linear(3, 2)),
}


def numbers(out: Any) -> np.ndarray:
    """A draw's numbers as a float64 or int64 array (a Linear: its weight and bias, concatenated)."""
    if hasattr(out, "weight"):
        return np.concatenate([numbers(out.weight).ravel(), numbers(out.bias).ravel()])
    if isinstance(out, torch.Tensor):
        out = out.detach().numpy()
    arr = np.asarray(getattr(out, "data", out))
    return arr.astype(np.float64) if arr.dtype.kind == "f" else arr.astype(np.int64)


def check_same(name: str, draw: Callable[[Any], Any], libs: dict[str, Any]) -> None:
    """Every library draws the same numbers after the same seed (bit for bit)."""
    results = {}
    for side, lib in libs.items():
        lib.manual_seed(1234)
        results[side] = numbers(draw(lib)).tobytes()
    if len(set(results.values())) != 1:
        raise AssertionError(f"{name}: the sides draw different numbers ({', '.join(results)})")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--blocks", type=int, default=21, help="interleaved blocks per workload")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="cpu")
    ap.add_argument("--base", default=None, help="also time the engine at this git ref (before/after)")
    args = ap.parse_args(argv)
    libs: dict[str, Any] = {"this engine": autograd, "torch": torch}
    if args.base:
        libs[f"base ({args.base})"] = H.package_at(args.base, "autograd")
    from bench_compiled import interleaved, ratio  # (the same interleaving and statistics)

    print(f"`{H.command_line()}`\n\n{H.machine()}, numpy {np.__version__}, torch {torch.__version__}; "
          f"load {H.load()} before; {args.clock} time, {args.blocks} interleaved blocks.\n")  # fmt: skip
    rows = []
    for name, (per_block, draw) in WORKLOADS.items():
        check_same(name, draw, libs)
        times = interleaved(
            {side: (lambda d=draw, lib=lib: d(lib)) for side, lib in libs.items()},
            args.blocks,
            per_block,
            args.clock,
        )
        r, spread, _, _ = ratio(times, "this engine", "torch")
        row = [
            name,
            H.fmt_time(statistics.median(times["torch"])),
            H.fmt_time(statistics.median(times["this engine"])),
        ]
        row += [f"{r:.2f}x", spread]
        if args.base:
            base = f"base ({args.base})"
            rb, spread_b, _, _ = ratio(times, "this engine", base)
            row[2:2] = [H.fmt_time(statistics.median(times[base]))]
            row += [f"{rb:.3f}", spread_b]
        rows.append(row)
        print(rows[-1], flush=True)
    head = ["draw", "torch", "this engine", "this / torch (median of pairs)", "middle half; 95% interval"]
    if args.base:
        head[2:2] = [f"base ({args.base})"]
        head += ["this / base (median of pairs)", "middle half; 95% interval"]
    print()
    print(H.table(head, rows))
    print(f"\nload {H.load()} after")


if __name__ == "__main__":
    main()
