"""Scale to PyTorch: one script, three engines
============================================

A model and its training loop, written once in PyTorch's words. As it stands it trains on this
library. Change its two import lines to ``import torch`` and ``from torch import nn`` and it
trains on PyTorch, with the same losses step for step from the same initial weights. Run that
PyTorch version with ``--ddp`` and it trains under PyTorch's DistributedDataParallel on two CPU
processes (gloo, localhost): each process takes half of every batch, DDP averages the gradients,
and the losses and weights are those of the single-process run.

That is how code outgrows one machine: on PyTorch's own distributed engine, unchanged.

    python examples/scale_to_torch.py [--steps N]          # this library (or PyTorch, once swapped)
    python scale_to_torch_pytorch.py --ddp [--steps N]     # the swapped copy, on 2 processes
"""

from __future__ import annotations

import argparse
import json
import socket

import numpy as np

import autograd as torch  # PyTorch: import torch
from autograd import nn  # PyTorch: from torch import nn

F = nn.functional
FEATURES, HIDDEN, CLASSES, SAMPLES = 4, 16, 3, 64
STEPS, LR = 8, 0.2


class Net(nn.Module):
    """A two-layer classifier: Linear, tanh, Linear."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(FEATURES, HIDDEN)
        self.fc2 = nn.Linear(HIDDEN, CLASSES)

    def forward(self, x):  # noqa: ANN001, ANN201 (as a PyTorch user writes it)
        return self.fc2(torch.tanh(self.fc1(x)))


def dataset(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """SAMPLES points with FEATURES features and a class each (numpy: the same on every engine)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(SAMPLES, FEATURES))
    y = np.argmax(X @ rng.normal(size=(FEATURES, CLASSES)) + 0.3 * rng.normal(size=(SAMPLES, CLASSES)), 1)
    return X, y


def initial_weights(seed: int = 1) -> dict[str, np.ndarray]:
    """nn.Linear's initial distribution, U(-1/√fan_in, 1/√fan_in), drawn by numpy once for every engine."""
    rng = np.random.default_rng(seed)
    weights = {}
    for name, (n_out, n_in) in {"fc1": (HIDDEN, FEATURES), "fc2": (CLASSES, HIDDEN)}.items():
        bound = 1 / np.sqrt(n_in)
        weights[f"{name}.weight"] = rng.uniform(-bound, bound, (n_out, n_in))
        weights[f"{name}.bias"] = rng.uniform(-bound, bound, n_out)
    return weights


def build() -> Net:
    """The model in float64, with the initial weights loaded."""
    torch.set_default_dtype(torch.float64)  # (this library's default; PyTorch's is float32)
    model = Net()
    weights = initial_weights()
    with torch.no_grad():
        for name, param in model.named_parameters():
            param.copy_(torch.from_numpy(weights[name]))
    return model


def train(model, X, y, steps: int = STEPS, report=lambda loss: loss.item()) -> list[float]:  # noqa: ANN001
    """Full-batch SGD with momentum; the loss of each step, as ``report`` gives it."""
    optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(report(loss))
    return losses


def run(steps: int = STEPS) -> dict[str, list]:
    """Train in this process: the losses and the final weights."""
    X, y = dataset()
    model = build()
    losses = train(model, torch.from_numpy(X), torch.from_numpy(y), steps)
    return {"losses": losses, "weights": {k: v.tolist() for k, v in model.state_dict().items()}}


def _ddp_worker(rank: int, world_size: int, port: int, steps: int, out: str) -> None:
    """One process of the DDP run (PyTorch only): half of each batch, gradients averaged by DDP."""
    torch.set_num_threads(1)
    dist = torch.distributed
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world_size)
    try:
        X, y = dataset()
        part = slice(rank * SAMPLES // world_size, (rank + 1) * SAMPLES // world_size)
        model = nn.parallel.DistributedDataParallel(build())

        def mean_over_processes(loss) -> float:  # noqa: ANN001
            total = loss.detach().clone()
            dist.all_reduce(total)
            return total.item() / world_size

        X_part, y_part = torch.from_numpy(X[part]), torch.from_numpy(y[part])
        losses = train(model, X_part, y_part, steps, mean_over_processes)
        if rank == 0:
            weights = {k: v.tolist() for k, v in model.module.state_dict().items()}
            with open(out, "w", encoding="utf-8") as f:
                json.dump({"losses": losses, "weights": weights}, f)
    finally:
        dist.destroy_process_group()


def run_ddp(steps: int = STEPS, world_size: int = 2, out: str = "ddp_result.json") -> dict[str, list]:
    """Train under DistributedDataParallel on ``world_size`` CPU processes (PyTorch only)."""
    with socket.socket() as s:  # a free port on localhost
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    torch.multiprocessing.spawn(_ddp_worker, args=(world_size, port, steps, out), nprocs=world_size)
    with open(out, encoding="utf-8") as f:
        return json.load(f)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=STEPS, help="training steps (default %(default)s)")
    parser.add_argument("--ddp", action="store_true", help="DistributedDataParallel on 2 processes (PyTorch)")
    parser.add_argument("--json", help="also write the losses and final weights to this file")
    args = parser.parse_args()
    result = run_ddp(args.steps) if args.ddp else run(args.steps)
    for step, loss in enumerate(result["losses"]):
        print(f"step {step}: loss {loss:.12f}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(result, f)


if __name__ == "__main__":
    main()
