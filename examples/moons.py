"""micrograd's moons demo, on Values and on Tensors
================================================

micrograd's moons demo, twice: an MLP(2, [16, 16, 1]) on scalar Values and the same on Tensors.

Both models start from the same weights (micrograd's U(-1, 1) draw, copied into the
Tensor layers), so the two engines should produce the same loss at every step.

Two interleaving half moons, labels y = ±1. The model's score s(x) should have the
sign of y; the loss is micrograd's: the SVM hinge loss mean(max(0, 1 - y·s)) via
``losses.hinge``, plus an L2 penalty 1e-4·Σw². Training is full-batch SGD from
``optimizers`` with micrograd's learning rate 1.0 → 0.1 (a ``LambdaLR`` schedule).

The scalar model builds one graph node per multiply and add (about 69,000 Values per
step at 100 points), which is what makes backpropagation visible; the Tensor model runs
the same computation as a handful of matrix operations.

    python examples/moons.py [--out DIR] [--small]

prints the accuracy of both models and writes ``moons.png`` (the two decision
boundaries side by side).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from _common import fit, make_moons, make_parser, out_dir, plot_decision_boundary, pyplot, save_figure

import losses
from autograd import Tensor, Value, collector_paused
from autograd.nn import MLP, TensorMLP
from optimizers import SGD, LambdaLR

ALPHA = 1e-4  # L2 strength, as in micrograd's demo


def l2(params: Sequence[Any]) -> Any:
    """Σ p² over all parameters (Values or Tensors)."""
    return sum((p * p).sum() if isinstance(p, Tensor) else p * p for p in params)


def train(model: Any, scores: Any, y: np.ndarray, steps: int, desc: str | None = None) -> list[float]:
    """Full-batch SGD on hinge + L2, lr decaying linearly from 1.0 to 0.1 (micrograd's schedule)."""
    params = list(model.parameters())  # (used twice: a Module gives a generator, as torch)
    opt = SGD(params, lr=1.0)
    sched = LambdaLR(opt, lambda k: 1.0 - 0.9 * k / steps)
    return fit(opt, lambda: losses.hinge(y, scores()) + ALPHA * l2(params), steps, sched, desc=desc)


def tensor_copy(model: MLP) -> TensorMLP:
    """A Tensor MLP holding the same weights: both have the same state-dict keys and shapes."""
    nouts = [len(layer.neurons) for layer in model.layers]
    copy = TensorMLP(len(model.layers[0].neurons[0].w), nouts, activation=model.activation)
    copy.load_state_dict(model.state_dict())
    return copy


def value_scores(model: MLP, X: np.ndarray) -> list[Value]:
    return [model([float(a), float(b)]) for a, b in X]


def accuracy(y: np.ndarray, s: np.ndarray) -> float:
    return float(np.mean((np.asarray(s) > 0) == (y > 0)))


def plot_boundaries(
    plt: Any, X: np.ndarray, y: np.ndarray, panels: Sequence[tuple[str, Callable[[np.ndarray], Any], int]]
) -> Any:
    """One panel per (title, score function, grid size): the side of score > 0 shaded, and the moons."""
    fig, axes = plt.subplots(1, len(panels), figsize=(5.5 * len(panels), 5.4), squeeze=False)
    for ax, (title, score, n) in zip(axes[0], panels):
        plot_decision_boundary(ax, X, y, score, title, n=n)
    return fig


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = make_parser(__doc__).parse_args(argv)
    n, steps, grid = (40, 30, 30) if args.small else (100, 100, 60)
    X, y01 = make_moons(n, noise=0.1, seed=args.seed)
    y = 2.0 * y01 - 1.0  # labels -1 / +1

    value_model = MLP(2, [16, 16, 1], rng=random.Random(args.seed))
    tensor_model = tensor_copy(value_model)  # same start, so both runs should agree step by step

    start = time.perf_counter()
    # The scalar graph is tens of thousands of Values without reference cycles: pause Python's
    # cyclic garbage collector, which would otherwise rescan it many times per step (~3x slower).
    with collector_paused():
        value_history = train(value_model, lambda: value_scores(value_model, X), y, steps, "Value MLP")
    value_seconds = time.perf_counter() - start
    value_acc = accuracy(y, [s.data for s in value_scores(value_model, X)])

    start = time.perf_counter()
    tensor_history = train(tensor_model, lambda: tensor_model(Tensor(X)).reshape(-1), y, steps)
    tensor_seconds = time.perf_counter() - start
    tensor_acc = accuracy(y, tensor_model(Tensor(X)).data.ravel())
    loss_gap = float(np.max(np.abs(np.subtract(value_history, tensor_history))))

    n_params = len(value_model.parameters())
    print(f"{n} moons, {steps} SGD steps, MLP(2, [16, 16, 1]) with {n_params} parameters")
    for name, hist, acc, sec in (
        ("Value ", value_history, value_acc, value_seconds),
        ("Tensor", tensor_history, tensor_acc, tensor_seconds),
    ):
        print(
            f"{name} model: final loss {hist[-1]:.4f}, accuracy {acc:.1%}, {1000 * sec / steps:.1f} ms/step"
        )
    print(f"largest difference between the two loss curves: {loss_gap:.1e}")

    result: dict[str, Any] = {
        "value": {"accuracy": value_acc, "loss": value_history, "seconds": value_seconds},
        "tensor": {"accuracy": tensor_acc, "loss": tensor_history, "seconds": tensor_seconds},
        "max_loss_difference": loss_gap,
        "n_params": n_params,
        "data": {"X": X, "y": y},
        "models": {"value": value_model, "tensor": tensor_model},
        "plots": [],
    }
    plt = pyplot()
    if plt is not None:
        panels = [
            (
                f"Values (scalar graph): accuracy {value_acc:.0%}",
                lambda P: [s.data for s in value_scores(value_model, P)],
                grid,
            ),
            (f"Tensors: accuracy {tensor_acc:.0%}", lambda P: tensor_model(Tensor(P)).data, 100),
        ]
        fig = plot_boundaries(plt, X, y, panels)
        result["plots"].append(save_figure(fig, out_dir(args.out), "moons.png"))
    return result


if __name__ == "__main__":
    main()
