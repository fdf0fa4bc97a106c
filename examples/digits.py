"""Handwritten digits with a Tensor MLP
====================================

Handwritten digits: a Tensor MLP (64-64-10) trained with cross-entropy, Adam and minibatches.

scikit-learn's bundled 8x8 digits (1,797 images, no download) are split 80/20; the
network maps 64 pixel intensities to 10 logits, and ``losses.sparse_categorical_cross_entropy``
(from logits, integer labels) is minimised by ``optimizers.Adam`` on shuffled minibatches
from ``optimizers.batches``. A tqdm bar shows the epochs (if tqdm is installed).

    python examples/digits.py [--out DIR] [--small] [--epochs N]

prints the test accuracy and the confusion matrix (rows: true digit, columns:
predicted) and writes ``digits.png`` (training loss and the confusion matrix).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from _common import (
    confusion_matrix,
    integer_ticks,
    make_parser,
    out_dir,
    progress,
    pyplot,
    save_figure,
    train_step,
    train_test_split,
)

import losses
from autograd import Tensor, no_grad
from autograd.nn import TensorMLP
from optimizers import Adam, batches


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """Pixels scaled to [0, 1] (64 columns) and integer labels 0-9."""
    try:
        from sklearn.datasets import load_digits as sk_load_digits
    except ImportError:
        raise SystemExit(
            "digits.py needs scikit-learn for its bundled data set: pip install scikit-learn"
        ) from None
    data = sk_load_digits()
    return data.data / 16.0, data.target.astype(np.int64)


def plot_training(plt: Any, epoch_losses: list[float], C: np.ndarray, test_acc: float) -> Any:
    """Left: mean training loss per epoch (whole-number epoch ticks). Right: the confusion matrix."""
    fig, (ax_loss, ax_cm) = plt.subplots(1, 2, figsize=(11, 4.6))
    epochs = np.arange(1, len(epoch_losses) + 1)
    ax_loss.plot(epochs, epoch_losses, "o-")
    ax_loss.set(title="mean training loss per epoch", xlabel="epoch", ylabel="cross-entropy", yscale="log")
    integer_ticks(ax_loss.xaxis)
    ax_loss.grid(alpha=0.3)
    ax_cm.imshow(C, cmap="Blues")
    for (i, j), v in np.ndenumerate(C):
        if v:
            color = "white" if v > C.max() / 2 else "k"
            ax_cm.text(j, i, str(v), ha="center", va="center", fontsize=8, color=color)
    ax_cm.set(
        title=f"confusion matrix, test accuracy {test_acc:.1%}",
        xlabel="predicted digit",
        ylabel="true digit",
        xticks=range(10),
        yticks=range(10),
    )
    return fig


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = make_parser(__doc__)
    parser.add_argument("--epochs", type=int, default=None, help="epochs (default: 20, or 4 with --small)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=3e-3)
    args = parser.parse_args(argv)
    epochs = args.epochs or (4 if args.small else 20)

    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.2, args.seed)
    model = TensorMLP(64, [64, 10], activation="relu", rng=args.seed)
    opt = Adam(model.parameters(), lr=args.lr)

    epoch_losses = []
    bar = progress(range(epochs), desc="digits", unit="epoch")
    for epoch in bar:
        batch_losses = [
            train_step(
                opt,
                lambda xb=xb, yb=yb: losses.sparse_categorical_cross_entropy(
                    yb, model(Tensor(xb)), from_logits=True
                ),
            )
            for xb, yb in batches(X_train, y_train, args.batch_size, shuffle=True, seed=args.seed + epoch)
        ]
        epoch_losses.append(float(np.mean(batch_losses)))
        if hasattr(bar, "set_postfix"):
            bar.set_postfix(loss=f"{epoch_losses[-1]:.4f}")

    with no_grad():
        predicted = model(Tensor(X_test)).data.argmax(axis=1)
        train_acc = float(np.mean(model(Tensor(X_train)).data.argmax(axis=1) == y_train))
    test_acc = float(np.mean(predicted == y_test))
    C = confusion_matrix(y_test, predicted, 10)

    print(f"{len(X_train)} training / {len(X_test)} test images, {epochs} epochs of batch {args.batch_size}")
    print(f"train accuracy {train_acc:.1%}, test accuracy {test_acc:.1%}")
    print("confusion matrix (rows: true digit, columns: predicted digit)")
    print("     " + " ".join(f"{d:3d}" for d in range(10)))
    for d, row in enumerate(C):
        print(f"{d:3d}  " + " ".join(f"{v:3d}" for v in row))

    result: dict[str, Any] = {
        "epochs": epochs,
        "epoch_losses": epoch_losses,
        "train_accuracy": train_acc,
        "test_accuracy": test_acc,
        "confusion_matrix": C,
        "plots": [],
    }
    plt = pyplot()
    if plt is not None:
        fig = plot_training(plt, epoch_losses, C, test_acc)
        result["plots"].append(save_figure(fig, out_dir(args.out), "digits.png"))
    return result


if __name__ == "__main__":
    main()
