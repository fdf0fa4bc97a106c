"""Batch, stochastic and mini-batch gradient descent
=================================================

Batch, stochastic and mini-batch gradient descent on one linear regression.

Each variant fits y = X @ W + b with the autograd Tensor engine and
``optimizers.SGD``; only the batch size (and a suitable lr) differs:

    batch GD       batch_size = len(X)   one exact-gradient step per epoch
    stochastic GD  batch_size = 1        len(X) noisy steps per epoch
    mini-batch GD  batch_size = 16       a few moderately noisy steps per epoch

``optimizers.batches`` yields the shuffled (X_batch, y_batch) pairs of an epoch.

    python examples/gradient_descent_variants.py [--out DIR] [--small]

prints the final full-data loss per variant and, with matplotlib, writes
``gradient_descent_variants.png`` (full-data loss per epoch).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from _common import integer_ticks, line_styles, make_parser, out_dir, pyplot, save_figure

from autograd import Tensor
from optimizers import SGD, batches

# name -> (batch size, or None for the whole data set; learning rate)
VARIANTS = {"batch": (None, 0.1), "stochastic": (1, 0.01), "mini-batch": (16, 0.05)}


def make_data(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    X = rng.normal(size=(n, 2))
    y = X @ np.array([[2.0], [-3.0]]) + 0.5 + 0.1 * rng.normal(size=(n, 1))
    return X, y


def mse(X: np.ndarray, y: np.ndarray, W: Tensor, b: Tensor) -> Tensor:
    return ((Tensor(X) @ W + b - Tensor(y)) ** 2).mean()


def train(X: np.ndarray, y: np.ndarray, batch_size: int, lr: float, epochs: int, seed: int) -> list[float]:
    """Full-data loss after each epoch."""
    W, b = Tensor(np.zeros((2, 1)), requires_grad=True), Tensor(np.zeros(1), requires_grad=True)
    opt = SGD([W, b], lr=lr)
    history = []
    for epoch in range(epochs):
        for X_batch, y_batch in batches(X, y, batch_size, seed=seed + epoch):
            opt.zero_grad()
            mse(X_batch, y_batch, W, b).backward()  # the engine fills W.grad and b.grad
            opt.step()  # SGD: p <- p - lr * p.grad
        history.append(mse(X, y, W, b).item())
    return history


def plot_curves(plt: Any, curves: dict[str, list[float]], n: int) -> Any:
    """Full-data loss per epoch of each variant (log scale); batch size and lr in the legend.

    Stochastic and mini-batch GD end on the same noise floor: their lines differ in style.
    """
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for (name, losses), style in zip(curves.items(), line_styles(len(curves))):
        batch_size, lr = VARIANTS[name]
        label = f"{name} GD (batch {batch_size or n}, lr {lr:g})"
        ax.plot(range(1, len(losses) + 1), losses, label=label, **style)
    ax.set(xlabel="epoch", ylabel="full-data MSE", yscale="log", title="Gradient descent variants")
    integer_ticks(ax.xaxis)
    ax.legend(loc="upper right", fontsize=8)
    return fig


def main(argv: list[str] | None = None) -> dict[str, list[float]]:
    args = make_parser(__doc__).parse_args(argv)
    rng = np.random.default_rng(args.seed)
    X, y = make_data(32 if args.small else 64, rng)
    epochs = 10 if args.small else 30
    curves = {}
    for name, (batch_size, lr) in VARIANTS.items():
        size = batch_size or len(X)
        curves[name] = train(X, y, size, lr, epochs, args.seed)
        print(f"{name:>10} GD  batch_size={size:<3} lr={lr:<5} final loss {curves[name][-1]:.5f}")

    plt = pyplot()
    if plt is not None:
        save_figure(plot_curves(plt, curves, len(X)), out_dir(args.out), "gradient_descent_variants.png")
    return curves


if __name__ == "__main__":
    main()
