"""Robust regression with outliers
===============================

Robust regression: one straight line fitted with MSE, MAE and Huber to data with outliers.

The data are y = 2x + 1 plus small noise, with a few points far below the line at
large x. MSE squares the residuals, so those points dominate its gradient and tilt
the fit; MAE's derivative is ±1 whatever the residual, and Huber's is clipped at
±delta, so neither lets a few outliers pull far. The model is ŷ = w·x + b with w and
b as Tensors, trained by ``optimizers.Adam`` with a cosine-annealed learning rate;
gradients come from ``backward()`` through ``losses.mse/mae/huber``.

    python examples/regression_outliers.py [--out DIR] [--small]

prints the fitted slope/intercept per loss next to the true ones (and the closed-form
least-squares line, which the MSE fit should reproduce) and writes
``regression_outliers.png``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from _common import (
    fit,
    legend_outside,
    line_styles,
    make_parser,
    out_dir,
    print_table,
    pyplot,
    save_figure,
)

import losses
from autograd import Tensor
from optimizers import Adam, CosineAnnealingLR

TRUE_W, TRUE_B = 2.0, 1.0
HUBER_DELTA = 1.0

LOSSES: dict[str, Callable[[Any, Any], Any]] = {
    "mse": losses.mse,
    "mae": losses.mae,
    "huber": lambda y, p: losses.huber(y, p, delta=HUBER_DELTA),
}


def make_data(n: int, outlier_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``x, y, is_outlier``: the line plus N(0, 0.5²) noise; outliers sit 15-25 below it at x > 6."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 10, n)
    y = TRUE_W * x + TRUE_B + rng.normal(0, 0.5, n)
    candidates = np.flatnonzero(x > 6)
    n_out = min(len(candidates), int(round(outlier_fraction * n)))
    out = rng.choice(candidates, n_out, replace=False)
    y[out] -= rng.uniform(15, 25, n_out)
    is_outlier = np.zeros(n, dtype=bool)
    is_outlier[out] = True
    return x, y, is_outlier


def fit_line(loss: Callable[[Any, Any], Any], x: np.ndarray, y: np.ndarray, steps: int) -> dict[str, Any]:
    """Minimise ``loss(y, w·x + b)`` over the Tensors w, b; returns the fit and the loss history."""
    w, b = Tensor(0.0, requires_grad=True), Tensor(0.0, requires_grad=True)
    X = Tensor(x)
    opt = Adam([w, b], lr=0.5)
    sched = CosineAnnealingLR(opt, T_max=steps)
    history = fit(opt, lambda: loss(y, X * w + b), steps, sched)
    return {"w": w.item(), "b": b.item(), "history": history}


def plot_fits(
    plt: Any, x: np.ndarray, y: np.ndarray, is_outlier: np.ndarray, fits: dict[str, dict[str, Any]]
) -> Any:
    """Left: the data and the fitted lines. Right: each loss over the Adam steps, on log-log axes.

    MAE's and Huber's lines nearly coincide: each line has its own width, dashes and markers.
    The losses settle within tens of steps, so the step axis is logarithmic (on a linear one,
    nearly all of it would be a flat line).
    """
    fig, (ax, ax_loss) = plt.subplots(1, 2, figsize=(12, 5.4))
    ax.scatter(x[~is_outlier], y[~is_outlier], s=12, c="grey", label="data")
    ax.scatter(x[is_outlier], y[is_outlier], s=25, c="red", marker="x", label="outliers")
    grid = np.linspace(0, 10, 41)  # vertices for the markers along the lines
    for (name, f), style in zip(fits.items(), line_styles(len(fits))):
        ax.plot(grid, f["w"] * grid + f["b"], label=f"{name}: y = {f['w']:.2f}x + {f['b']:.2f}", **style)
        steps = np.arange(1, len(f["history"]) + 1)
        ax_loss.plot(steps, f["history"], label=name, **style)
    true = f"true: y = {TRUE_W:g}x + {TRUE_B:g}"
    ax.plot(grid, TRUE_W * grid + TRUE_B, "k--", lw=1.2, zorder=3, label=true)
    ax.set(title="the same line fitted with three losses", xlabel="x", ylabel="y")
    legend_outside(ax, "below", ncol=3, fontsize=8)
    ax_loss.set(
        title="training loss (each in its own units)",
        xlabel="Adam step (log scale)",
        ylabel="loss (log scale)",
        xscale="log",
        yscale="log",
    )
    legend_outside(ax_loss, "below", ncol=3, fontsize=8)
    return fig


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = make_parser(__doc__).parse_args(argv)
    n, steps = (60, 400) if args.small else (200, 1500)
    x, y, is_outlier = make_data(n, 0.1, args.seed)

    fits = {name: fit_line(loss, x, y, steps) for name, loss in LOSSES.items()}
    lstsq_w, lstsq_b = np.polyfit(x, y, 1)
    for f in fits.values():
        f["distance_to_truth"] = float(np.hypot(f["w"] - TRUE_W, f["b"] - TRUE_B))

    print(f"{n} points, {int(is_outlier.sum())} outliers; {steps} Adam steps per loss")
    rows = [["true", TRUE_W, TRUE_B, 0.0]]
    rows += [[name, f["w"], f["b"], f["distance_to_truth"]] for name, f in fits.items()]
    rows.append(["least squares (closed form)", float(lstsq_w), float(lstsq_b), ""])
    print_table(rows, ["fit", "slope w", "intercept b", "distance to (w, b) true"])

    result: dict[str, Any] = {
        "true": {"w": TRUE_W, "b": TRUE_B},
        "fits": fits,
        "lstsq": {"w": float(lstsq_w), "b": float(lstsq_b)},
        "n_outliers": int(is_outlier.sum()),
        "data": {"x": x, "y": y, "is_outlier": is_outlier},
        "plots": [],
    }
    plt = pyplot()
    if plt is not None:
        fig = plot_fits(plt, x, y, is_outlier, fits)
        result["plots"].append(save_figure(fig, out_dir(args.out), "regression_outliers.png"))
    return result


if __name__ == "__main__":
    main()
