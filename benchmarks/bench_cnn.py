"""A small CNN's training step on this engine (eager and compiled) against PyTorch, both on one
CPU thread, in the same run: interleaved blocks, the median of paired ratios and its bootstrap 95%
interval.

The model is LeNet-like on 28x28 single-channel images, batch 64: Conv2d(1, 8, 5) - ReLU -
MaxPool2d(2) - Conv2d(8, 16, 5) - ReLU - MaxPool2d(2) - Flatten - Linear(256, 10), cross-entropy,
SGD; float32, the same initial weights and data on every side (checked to give the same loss to
1e-5 before anything is timed). A convolution here is unfold (im2col) and one matrix product.

    python benchmarks/bench_cnn.py [--blocks 21] [--clock cpu]
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

import autograd  # noqa: E402
import optimizers  # noqa: E402
from autograd import nn  # noqa: E402

try:
    import torch  # noqa: E402

    torch.set_num_threads(1)
except ImportError:  # pragma: no cover - an optional peer
    torch = None  # type: ignore[assignment]

BATCH = 64


def model(lib: Any, **kw: Any) -> Any:
    return lib.Sequential(
        lib.Conv2d(1, 8, 5, **kw),
        lib.ReLU(),
        lib.MaxPool2d(2),
        lib.Conv2d(8, 16, 5, **kw),
        lib.ReLU(),
        lib.MaxPool2d(2),
        lib.Flatten(),
        lib.Linear(256, 10, **kw),
    )


def ours(weights: list[np.ndarray], X: np.ndarray, y: np.ndarray, compiled: bool) -> Callable[[], float]:
    net = model(nn, dtype=np.float32)
    for p, w in zip(net.parameters(), weights):
        p.data[...] = w
    opt = optimizers.SGD(net.parameters(), lr=0.01)
    Xt, yt = autograd.tensor(X), autograd.tensor(y)
    loss_fn = nn.CrossEntropyLoss()

    def loss(x: Any, labels: Any) -> Any:
        return loss_fn(net(x), labels)

    step_loss = autograd.compile(loss) if compiled else None

    def step() -> float:
        if step_loss is None:
            value = loss(Xt, yt)
            value.backward()
        else:
            value = step_loss(Xt, yt)
        opt.step()
        opt.zero_grad()
        return value.item()

    return step


def theirs(weights: list[np.ndarray], X: np.ndarray, y: np.ndarray) -> Callable[[], float]:
    net = model(torch.nn)
    with torch.no_grad():
        for p, w in zip(net.parameters(), weights):
            p.copy_(torch.from_numpy(w))
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step() -> float:
        value = loss_fn(net(Xt), yt)
        value.backward()
        opt.step()
        opt.zero_grad()
        return value.item()

    return step


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--blocks", type=int, default=21, help="interleaved blocks")
    ap.add_argument("--per-block", type=int, default=5, help="steps per block")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="cpu")
    args = ap.parse_args(argv)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(BATCH, 1, 28, 28)).astype(np.float32)
    y = rng.integers(0, 10, BATCH)
    net = model(nn, dtype=np.float32)
    weights = [p.data.copy() for p in net.parameters()]
    steps = {"eager": ours(weights, X, y, False), "compiled": ours(weights, X, y, True)}
    if torch is not None:
        steps["torch"] = theirs(weights, X, y)
    first = {name: s() for name, s in steps.items()}
    if max(first.values()) - min(first.values()) > 1e-5:
        raise AssertionError(f"the steps disagree on the first loss: {first}")
    print(f"`{H.command_line()}`\n\n{H.machine()}, numpy {np.__version__}; load {H.load()} before; "
          f"{args.clock} time, {args.blocks} interleaved blocks of {args.per_block} steps.\n")  # fmt: skip
    from bench_compiled import interleaved, ratio  # (the same interleaving and statistics)

    times = interleaved(steps, args.blocks, args.per_block, args.clock)
    rows = [[name, H.fmt_time(statistics.median(t))] for name, t in times.items()]
    print(H.table(["LeNet-like CNN step, batch 64, float32", "median time per step"], rows))
    if torch is not None:
        print()
        out = []
        for name in ("eager", "compiled"):
            r, sp, _, _ = ratio(times, name, "torch")
            out.append([f"{name} / torch", f"{r:.2f}x", sp])
        print(H.table(["ratio", "median of paired ratios", "middle half; 95% interval"], out))
    print(f"\nload {H.load()} after")


if __name__ == "__main__":
    main()
