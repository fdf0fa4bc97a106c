"""Imbalanced classification: BCE, weighted BCE and focal loss
===========================================================

Imbalanced classification: plain BCE vs positive-weighted BCE vs focal loss, 5% positives.

A logistic model (logit = x·w + b, w and b Tensors) is trained three times on the same
2-D data in which only 5% of the points are positive, and the two classes overlap:

* plain binary cross-entropy is dominated by the many negatives: the boundary hugs the
  positive cluster and most positives are missed (high precision, low recall);
* ``pos_weight = #negatives / #positives`` makes both classes weigh the same in the
  loss, and the boundary moves towards the negatives (recall goes up, precision down);
* focal loss (gamma = 2, alpha = 0.75) down-weights the easy, confidently right points,
  most of which are negatives, so the hard positives count more.

Precision, recall and F1 (threshold 0.5) on a held-out test split are computed with numpy.

    python examples/imbalanced_classification.py [--out DIR] [--small]

writes ``imbalanced_classification.png`` (the three decision boundaries).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from _common import (
    binary_metrics,
    fit,
    make_parser,
    out_dir,
    plot_decision_boundary,
    print_table,
    pyplot,
    save_figure,
    train_test_split,
)

import losses
from autograd import Tensor
from optimizers import Adam

POSITIVE_FRACTION = 0.05
FOCAL_GAMMA, FOCAL_ALPHA = 2.0, 0.75


def make_data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Negatives around (0, 0), positives around (1.8, 1.8), both with unit spread; labels 0/1."""
    rng = np.random.default_rng(seed)
    n_pos = int(round(POSITIVE_FRACTION * n))
    X = np.concatenate([rng.normal(0.0, 1.0, (n - n_pos, 2)), rng.normal(1.8, 1.0, (n_pos, 2))])
    y = np.r_[np.zeros(n - n_pos), np.ones(n_pos)]
    return X, y


def loss_functions(pos_weight: float) -> dict[str, Callable[[np.ndarray, Any], Any]]:
    """The three training losses, all on logits."""
    return {
        "bce": lambda y, z: losses.binary_cross_entropy(y, z, from_logits=True),
        f"weighted bce (pos_weight={pos_weight:.1f})": lambda y, z: losses.binary_cross_entropy(
            y, z, from_logits=True, pos_weight=pos_weight
        ),
        f"focal (gamma={FOCAL_GAMMA:g}, alpha={FOCAL_ALPHA:g})": lambda y, z: losses.binary_focal(
            y, z, gamma=FOCAL_GAMMA, alpha=FOCAL_ALPHA, from_logits=True
        ),
    }


class Logistic:
    """logit(x) = x·w + b, with w, b Tensors starting at zero."""

    def __init__(self, n_features: int) -> None:
        self.w = Tensor(np.zeros(n_features), requires_grad=True)
        self.b = Tensor(0.0, requires_grad=True)

    def __call__(self, X: np.ndarray) -> Tensor:
        return Tensor(X) @ self.w + self.b

    def parameters(self) -> list[Tensor]:
        return [self.w, self.b]


def plot_boundaries(
    plt: Any,
    X: np.ndarray,
    y: np.ndarray,
    params: dict[str, dict[str, Any]],
    metrics: dict[str, dict[str, float]],
) -> Any:
    """One panel per loss: the test points and the boundary logit = x·w + b = 0 (p = 0.5)."""
    fig, axes = plt.subplots(1, len(params), figsize=(5 * len(params), 5.4), squeeze=False)
    for ax, (name, p) in zip(axes[0], params.items()):
        m = metrics[name]
        title = f"{name}\nprecision {m['precision']:.2f}, recall {m['recall']:.2f}, F1 {m['f1']:.2f}"
        w, b = np.asarray(p["w"]), p["b"]
        plot_decision_boundary(ax, X, y, lambda P, w=w, b=b: P @ w + b, title)
    return fig


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = make_parser(__doc__).parse_args(argv)
    n, steps = (1500, 150) if args.small else (6000, 400)
    X, y = make_data(n, args.seed)
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.4, args.seed)
    pos_weight = float((y_train == 0).sum() / (y_train == 1).sum())

    models: dict[str, Logistic] = {}
    metrics: dict[str, dict[str, float]] = {}
    for name, loss in loss_functions(pos_weight).items():
        model = models[name] = Logistic(2)
        fit(Adam(model.parameters(), lr=0.1), lambda m=model, f=loss: f(y_train, m(X_train)), steps)
        predicted = model(X_test).data > 0  # p > 0.5  <=>  logit > 0
        metrics[name] = binary_metrics(y_test, predicted)

    print(
        f"{len(X_train)} training points ({int(y_train.sum())} positive), "
        f"{len(X_test)} test points ({int(y_test.sum())} positive); {steps} Adam steps"
    )
    print_table(
        [[name, m["precision"], m["recall"], m["f1"], m["accuracy"]] for name, m in metrics.items()],
        ["loss (test set, threshold 0.5)", "precision", "recall", "F1", "accuracy"],
    )

    result: dict[str, Any] = {
        "pos_weight": pos_weight,
        "metrics": metrics,
        "params": {name: {"w": m.w.data.tolist(), "b": m.b.item()} for name, m in models.items()},
        "test_data": {"X": X_test, "y": y_test},
        "plots": [],
    }
    plt = pyplot()
    if plt is not None:
        fig = plot_boundaries(plt, X_test, y_test, result["params"], metrics)
        result["plots"].append(save_figure(fig, out_dir(args.out), "imbalanced_classification.png"))
    return result


if __name__ == "__main__":
    main()
