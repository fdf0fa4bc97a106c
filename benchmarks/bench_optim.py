"""Paired A/B of an optimizer step, ``opt.step(); opt.zero_grad()``: this checkout's optimizers
against those at a git ref.

The optimizers at ``--base`` (default ``main``) are exported from git into a temporary
directory as the package ``optimizers_base`` (beside a link to this checkout's engine, which both
sides share) and imported beside ``optimizers``. Both update their own copies of the same float32
Tensor parameters from the same gradients (stored into ``.grad`` as the backward pass stores
them), alternating block by block. Reported: the median step of each, the median over blocks of
(this step / the base's step), the middle half of those paired ratios and a bootstrap 95%
interval of their median.

    python benchmarks/bench_optim.py                 # ~1 min
    python benchmarks/bench_optim.py --base HEAD~1 --blocks 41 --clock cpu

Workloads: SGD (lr 0.01), SGD with momentum 0.9, and Adam, on the parameter shapes of the
784-256-10 MLP (a 784x256 weight: the update's temporaries are the cost) and of the 2-16-16-1
MLP (six small arrays: the step's per-parameter Python work is the cost); and the whole SGD
training step of the 784-256-10 MLP (relu, batch 128, cross-entropy: forward and backward on the
engine, which both sides share, then the step), where the update's temporaries meet the memory
the backward pass churns.
"""

from __future__ import annotations

try:
    from benchmarks import _harness as H
except ImportError:  # run as a script
    import _harness as H  # type: ignore[no-redef]

H.single_thread()  # before numpy is imported

import argparse  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

import autograd  # noqa: E402
import optimizers  # noqa: E402

SHAPES = {
    "784-256-10": [(784, 256), (256,), (256, 10), (10,)],
    "2-16-16-1": [(2, 16), (16,), (16, 16), (16,), (16, 1), (1,)],
}
OPTIMIZERS: dict[str, tuple[str, dict[str, Any]]] = {
    "SGD": ("SGD", {"lr": 0.01}),
    "SGD momentum 0.9": ("SGD", {"lr": 0.01, "momentum": 0.9}),
    "Adam": ("Adam", {"lr": 1e-3}),
}
#: steps per timed block (a block takes a few milliseconds)
PER_BLOCK = {"784-256-10": 20, "2-16-16-1": 200, "whole step": 5}


def load_base(ref: str) -> Any:
    """The ``optimizers`` package at git ``ref``, imported as ``optimizers_base`` (beside this
    checkout's engine, which both sides share)."""
    return H.package_at(ref, "optimizers")


def stepper(package: Any, optimizer: str, shapes: str) -> tuple[Callable[[], None], list[Any]]:
    """One ``step(); zero_grad()`` of ``optimizer`` from ``package`` on fresh parameters, and them."""
    rng = np.random.default_rng(0)
    params = [
        autograd.Tensor(rng.standard_normal(s).astype(np.float32), requires_grad=True) for s in SHAPES[shapes]
    ]
    grads = [rng.standard_normal(s).astype(np.float32) for s in SHAPES[shapes]]
    name, kwargs = OPTIMIZERS[optimizer]
    opt = getattr(package, name)(params, **kwargs)
    pairs = list(zip(params, grads))

    def step() -> None:
        for p, g in pairs:  # as backward stores a gradient
            p._grad = g
        opt.step()
        opt.zero_grad()

    return step, params


def training_step(package: Any) -> tuple[Callable[[], None], list[Any]]:
    """The whole SGD step of the 784-256-10 MLP: ``loss.backward(); opt.step(); opt.zero_grad()``."""
    rng = np.random.default_rng(0)
    shapes = SHAPES["784-256-10"]
    params = [
        autograd.Tensor(rng.uniform(-0.05, 0.05, s).astype(np.float32), requires_grad=True) for s in shapes
    ]
    x = autograd.Tensor(rng.standard_normal((128, 784)).astype(np.float32))
    labels, rows = rng.integers(0, 10, 128), np.arange(128)
    opt = package.SGD(params, lr=0.01)
    w1, b1, w2, b2 = params

    def step() -> None:
        logits = (x @ w1 + b1).relu() @ w2 + b2
        (-logits.log_softmax(-1)[rows, labels].mean()).backward()
        opt.step()
        opt.zero_grad()

    return step, params


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", default="main", help="git ref of the optimizers to compare with (default main)")
    ap.add_argument("--blocks", type=int, default=31, help="interleaved blocks per workload")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    args = ap.parse_args(argv)
    base = load_base(args.base)
    print(f"`{H.command_line()}`\n\n{H.machine()}, numpy {np.__version__}; load {H.load()} before; "
          f"{args.clock} time, {args.blocks} interleaved blocks.\n")  # fmt: skip
    workloads = {
        f"{optimizer}, {shapes}": (shapes, lambda pkg, o=optimizer, s=shapes: stepper(pkg, o, s))
        for shapes in SHAPES
        for optimizer in OPTIMIZERS
    }
    workloads["SGD, whole 784-256-10 training step"] = ("whole step", training_step)
    rows = []
    for name, (size, make) in workloads.items():
        new, new_params = make(optimizers)
        old, old_params = make(base)
        for _ in range(3):  # the same numbers (up to rounding: a base may round twice where this
            new(), old()  # checkout rounds once) before anything is timed
        if not all(np.allclose(a.data, b.data, rtol=1e-5, atol=1e-6) for a, b in zip(new_params, old_params)):
            raise AssertionError(f"{name}: the two steps give different parameters")
        t_new, t_old, ratios = H.paired(new, old, args.blocks, PER_BLOCK[size], args.clock)
        rows.append(H.ab_row(name, t_new, t_old, ratios))
        print(rows[-1], flush=True)
    print()
    print(H.ab_table("step(); zero_grad()", args.base, "this checkout", rows))
    print(f"\nload {H.load()} after")


if __name__ == "__main__":
    main()
