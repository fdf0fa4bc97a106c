"""Helpers shared by the examples: command line, optional plotting/progress bars, data, metrics, training.

matplotlib, tqdm and scikit-learn are optional (``pip install gradscope[examples]``):
without matplotlib the examples compute everything and skip the PNGs, without tqdm
there is no progress bar, and without scikit-learn the moons come from a numpy copy
of ``make_moons`` (only ``digits.py`` needs scikit-learn, for its bundled data set).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

# The examples run as scripts from the repository root (``python examples/NAME.py``):
# make the library importable without installing it.
_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from autograd import no_grad  # noqa: E402

# --------------------------------------------------------------------------- command line


def make_parser(doc: str | None) -> argparse.ArgumentParser:
    """A parser with the options every example has: ``--out DIR`` and ``--small``."""
    parser = argparse.ArgumentParser(
        description=(doc or "").strip().splitlines()[0] if doc else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--out", default="out", help="folder for the PNG plots (default: ./out)")
    parser.add_argument("--small", action="store_true", help="a smaller, faster run (used by the tests)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    return parser


def out_dir(path: str | Path) -> Path:
    """``path`` as a Path, created if needed."""
    p = Path(path)
    p.mkdir(parents=True, exist_ok=True)
    return p


# --------------------------------------------------------------------------- optional packages


def pyplot() -> Any:
    """``matplotlib.pyplot`` with a file-only backend, or None (and one line saying so)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib not installed: skipping plots (pip install matplotlib)")
        return None
    return plt


def save_figure(fig: Any, folder: Path, name: str) -> str:
    """Save ``fig`` as ``folder/name`` (a PNG), close it, print and return the path."""
    path = folder / name
    fig.tight_layout()
    fig.savefig(path, dpi=110, bbox_inches="tight")  # legends outside the axes are kept whole
    import matplotlib.pyplot as plt

    plt.close(fig)
    print(f"wrote {path}")
    return str(path)


def progress(iterable: Iterable[Any], **kwargs: Any) -> Iterable[Any]:
    """``tqdm(iterable, **kwargs)`` if tqdm is installed, else the iterable unchanged."""
    try:
        from tqdm import tqdm
    except ImportError:
        print("tqdm not installed: no progress bar (pip install tqdm)")
        return iterable
    return tqdm(iterable, **kwargs)


# --------------------------------------------------------------------------- data


def make_moons(n: int, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles, labels 0/1: scikit-learn's, or the same construction in numpy."""
    try:
        from sklearn.datasets import make_moons as sk_make_moons
    except ImportError:
        rng = np.random.default_rng(seed)
        n_out, n_in = n // 2, n - n // 2
        t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
        X = np.concatenate(
            [np.c_[np.cos(t_out), np.sin(t_out)], np.c_[1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5]]
        )
        y = np.r_[np.zeros(n_out, dtype=int), np.ones(n_in, dtype=int)]
        X += rng.normal(scale=noise, size=X.shape)
        order = rng.permutation(n)
        return X[order], y[order]
    return sk_make_moons(n_samples=n, noise=noise, random_state=seed)


def train_test_split(
    X: np.ndarray, y: np.ndarray, test_fraction: float, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A shuffled split ``X_train, X_test, y_train, y_test``."""
    order = np.random.default_rng(seed).permutation(len(X))
    n_test = int(round(test_fraction * len(X)))
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


# --------------------------------------------------------------------------- metrics


def binary_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """Accuracy, precision, recall and F1 of 0/1 predictions (0 where undefined)."""
    y_true, y_pred = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    tp = int(np.sum(y_true & y_pred))
    fp = int(np.sum(~y_true & y_pred))
    fn = int(np.sum(y_true & ~y_pred))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "accuracy": float(np.mean(y_true == y_pred)),
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> np.ndarray:
    """``C[i, j]`` = number of samples of true class i predicted as class j."""
    C = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(C, (np.asarray(y_true, dtype=int), np.asarray(y_pred, dtype=int)), 1)
    return C


# --------------------------------------------------------------------------- training


def train_step(optimizer: Any, compute_loss: Callable[[], Any]) -> float:
    """One step: zero the gradients, forward, backward (the engine's chain rule), optimizer update."""
    optimizer.zero_grad()
    loss = compute_loss()
    loss.backward()
    optimizer.step()
    return float(loss.data)


def fit(
    optimizer: Any,
    compute_loss: Callable[[], Any],
    steps: int,
    scheduler: Any = None,
    after_step: Callable[[int], None] | None = None,
    desc: str | None = None,
) -> list[float]:
    """``steps`` full-batch training steps; returns the loss before each update.

    With ``desc``, a progress bar of that name shows the steps (if tqdm is installed).
    """
    history = []
    for k in progress(range(steps), desc=desc, leave=False) if desc else range(steps):
        history.append(train_step(optimizer, compute_loss))
        if scheduler is not None:
            scheduler.step()
        if after_step is not None:
            after_step(k)
    return history


# --------------------------------------------------------------------------- plot styling

# Lines that coincide in places (GD and Nesterov along a valley, MAE and Huber fits, derivatives
# that are all 1 past a kink) must stay visible. Each line of a plot gets its own colour, dash
# pattern and marker, and earlier lines are drawn wider and lower, so a later line lying on an
# earlier one leaves that one's edges, dashes and markers showing.
_DASHES: list[Any] = [
    "-",
    (0, (6, 2)),
    (0, (1, 1.5)),
    (0, (6, 2, 1, 2)),
    (0, (3, 1.5)),
    (0, (8, 2, 1, 2, 1, 2)),
    (0, (1, 3.5)),
    (0, (10, 3)),
    (0, (4, 2, 4, 2, 1, 2)),
]
_MARKERS = ["o", "s", "^", "v", "D", "P", "X", "*", "h"]


def line_styles(n: int) -> list[dict[str, Any]]:
    """``ax.plot`` keyword arguments that tell ``n`` (possibly coinciding) lines apart.

    Markers sit at equal distances along each line (``markevery`` as a fraction of the axes
    diagonal), staggered between lines so that coinciding lines show each other's markers.
    """
    widths = np.linspace(min(4.5, 1.2 + 0.9 * (n - 1)), 1.2, n) if n > 1 else np.array([1.8])
    return [
        {
            "color": f"C{i % 10}",
            "linestyle": _DASHES[i % len(_DASHES)],
            "linewidth": float(widths[i]),
            "marker": _MARKERS[i % len(_MARKERS)],
            "markersize": 6,
            "markeredgecolor": "white",
            "markeredgewidth": 0.6,
            "markevery": (0.02 + 0.1 * i / n, 0.1),
            "zorder": 2 + i / n,
        }
        for i in range(n)
    ]


def legend_outside(ax: Any, where: str = "right", **kwargs: Any) -> Any:
    """A legend beside the axes (``where="right"``) or under its x label (``"below"``), off the data."""
    if where == "right":
        return ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, **kwargs)
    if where != "below":
        raise ValueError(f"legend_outside: where must be 'right' or 'below'; got {where!r}")
    from matplotlib.transforms import ScaledTranslation

    # Anchored a fixed distance (in points) under the axes, clear of tick labels and x label,
    # whatever size the layout later gives the axes.
    below = ax.transAxes + ScaledTranslation(0, -36 / 72, ax.figure.dpi_scale_trans)
    return ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), bbox_transform=below, **kwargs)


def integer_ticks(axis: Any) -> None:
    """Only whole-number ticks on ``axis`` (``ax.xaxis``), e.g. epochs."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))


# --------------------------------------------------------------------------- 2-D plots


def grid_over(X: np.ndarray, n: int = 100, pad: float = 0.5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """An ``n`` x ``n`` grid covering the points ``X`` (2 columns): ``xx, yy`` and the points as rows."""
    lo, hi = X.min(axis=0) - pad, X.max(axis=0) + pad
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n))
    return xx, yy, np.c_[xx.ravel(), yy.ravel()]


def decision_scores(score: Callable[[np.ndarray], np.ndarray], points: np.ndarray) -> np.ndarray:
    """``score(points)`` as a flat float array, computed without recording a graph."""
    with no_grad():
        return np.asarray(score(points), dtype=float).ravel()


def plot_decision_boundary(
    ax: Any,
    X: np.ndarray,
    y: np.ndarray,
    score: Callable[[np.ndarray], np.ndarray],
    title: str,
    threshold: float = 0.0,
    n: int = 100,
) -> None:
    """Shade the two sides of ``score > threshold`` on a grid, draw the boundary and the points."""
    xx, yy, points = grid_over(X, n)
    zz = decision_scores(score, points).reshape(xx.shape)
    ax.contourf(xx, yy, zz > threshold, levels=[-0.5, 0.5, 1.5], colors=["#c6dbef", "#fdd0a2"], alpha=0.8)
    ax.contour(xx, yy, zz, levels=[threshold], colors="k", linewidths=1)
    for label, color, marker in zip(np.unique(y), ["#2171b5", "#d94801"], ["o", "^"]):
        ax.scatter(*X[y == label].T, s=12, c=color, marker=marker, label=f"y = {label:g}")
    ax.plot([], [], "k-", lw=1, label=f"decision boundary (score = {threshold:g})")
    ax.set(title=title, xlabel="feature x₁", ylabel="feature x₂")
    legend_outside(ax, "below", ncol=3, fontsize=8)


def print_table(rows: Sequence[Sequence[Any]], header: Sequence[str]) -> None:
    """Print rows as an aligned text table (floats with 4 decimals)."""
    cells = [[f"{c:.4f}" if isinstance(c, float) else str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(header)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    for r in cells:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))
