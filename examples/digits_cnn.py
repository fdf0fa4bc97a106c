"""A small CNN on handwritten digits, written as PyTorch code
===========================================================

Handwritten digits with a convolutional network, in PyTorch's words: ``nn.Conv2d``,
``nn.BatchNorm2d``, ``nn.MaxPool2d``, a ``TensorDataset`` and a ``DataLoader``, ``CrossEntropyLoss``
and ``optim``-style SGD with momentum. Only the import lines differ from the same script on torch.

scikit-learn's bundled 8x8 digits (1,797 images) are split 80/20. Each convolution is the image's
windows as columns (``unfold``) times the kernels as a matrix, so its gradient is the chain rule
through a matrix product; the max pools send each window's gradient to its maximum.

    python examples/digits_cnn.py [--out DIR] [--small] [--epochs N]

prints the test accuracy and writes ``digits_cnn.png``: the training loss per epoch and the
first layer's eight 3x3 kernels after training.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from _common import integer_ticks, make_parser, out_dir, progress, pyplot, save_figure, train_test_split
from digits import load_digits

import autograd as torch
import optimizers as optim
from autograd import nn
from autograd.utils.data import DataLoader, TensorDataset


def make_model() -> nn.Module:
    """Two 3x3 convolutions (8 and 16 channels), batch norm, max pools: 8x8 → 4x4 → 2x2 → 10 logits."""
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1),
        nn.BatchNorm2d(8),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 2 * 2, 10),
    )


def plot_training(plt: Any, epoch_losses: list[float], kernels: np.ndarray, test_acc: float) -> Any:
    """Left: mean training loss per epoch. Right: the first layer's kernels, one panel each."""
    fig = plt.figure(figsize=(11, 4.4))
    grid = fig.add_gridspec(2, 6, width_ratios=[3, 3, 1, 1, 1, 1])
    ax_loss = fig.add_subplot(grid[:, :2])
    epochs = np.arange(1, len(epoch_losses) + 1)
    ax_loss.plot(epochs, epoch_losses, "o-")
    ax_loss.set(
        title=f"training loss (test accuracy {test_acc:.1%})",
        xlabel="epoch",
        ylabel="cross-entropy",
        yscale="log",
    )
    integer_ticks(ax_loss.xaxis)
    ax_loss.grid(alpha=0.3)
    bound = float(np.abs(kernels).max())
    for k, kernel in enumerate(kernels[:8]):
        ax = fig.add_subplot(grid[k // 4, 2 + k % 4])
        ax.imshow(kernel, cmap="RdBu_r", vmin=-bound, vmax=bound)
        ax.set(xticks=[], yticks=[], title=f"kernel {k}")
    fig.suptitle("conv1's 3x3 kernels after training (red +, blue -)", x=0.72, y=0.98, fontsize=10)
    return fig


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = make_parser(__doc__)
    parser.add_argument("--epochs", type=int, default=None, help="epochs (default: 12, or 4 with --small)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=0.05)
    args = parser.parse_args(argv)
    epochs = args.epochs or (4 if args.small else 12)
    torch.manual_seed(args.seed)

    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.2, args.seed)
    images = lambda a: torch.tensor(a.reshape(-1, 1, 8, 8))  # noqa: E731
    train_loader = DataLoader(
        TensorDataset(images(X_train), torch.tensor(y_train)), batch_size=args.batch_size, shuffle=True
    )
    model = make_model()
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)

    epoch_losses = []
    for _ in progress(range(epochs), desc="digits_cnn", unit="epoch"):
        model.train()
        total = 0.0
        for xb, yb in train_loader:
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            total += loss.item() * len(xb)
        epoch_losses.append(total / len(train_loader.dataset))

    model.eval()
    with torch.no_grad():
        predicted = model(images(X_test)).argmax(1).numpy()
    test_acc = float(np.mean(predicted == y_test))
    print(f"{len(X_train)} training / {len(X_test)} test images, {epochs} epochs of batch {args.batch_size}")
    print(model)
    print(f"test accuracy {test_acc:.1%}")

    result: dict[str, Any] = {
        "epochs": epochs,
        "epoch_losses": epoch_losses,
        "test_accuracy": test_acc,
        "model": model,
        "plots": [],
    }
    plt = pyplot()
    if plt is not None:
        kernels = model[0].weight.data[:, 0]
        fig = plot_training(plt, epoch_losses, kernels, test_acc)
        result["plots"].append(save_figure(fig, out_dir(args.out), "digits_cnn.png"))
    return result


if __name__ == "__main__":
    main()
