"""PyTorch's tutorials that load data, run as written with only their import lines changed:
"Learn the Basics → Optimizing Model Parameters" (a DataLoader over a dataset, ``train_loop`` and
``test_loop``, the device line of "Build the Model") and the ``TensorDataset``/``DataLoader`` steps
of "What is torch.nn really?" (``get_data``, ``loss_batch``, ``fit``).

Each page's code is kept as text, as torch code. It runs once on PyTorch, to show it is
PyTorch's code, and once with the import lines rewritten (``import torch`` →
``import autograd as torch``, ...), on small synthetic data in place of the downloads: random
1×28×28 "images" whose class (0..9) sets a bright patch, so a model can learn it. Both runs print
the same progress lines (counters, sizes, number of batches); the losses differ (the random
initial weights do) but fall on both sides.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

import numpy as np
import pytest

import autograd

torch = pytest.importorskip("torch")
torch.set_num_threads(1)  # small models: torch's thread pool only adds waiting on a loaded machine

IMPORTS = {
    "import torch\n": "import autograd as torch\n",
    "from torch import nn\n": "from autograd import nn\n",
    "from torch import optim\n": "from autograd import optim\n",
    "import torch.nn.functional as F\n": "import autograd.nn.functional as F\n",
    "import torch.nn as nn\n": "import autograd.nn as nn\n",
    "import torch.optim as optim\n": "import autograd.optim as optim\n",
    "from torch.utils.data import DataLoader\n": "from autograd.utils.data import DataLoader\n",
    "from torch.utils.data import TensorDataset\n": "from autograd.utils.data import TensorDataset\n",
}


def ours(code: str) -> str:
    """The page's code with its import lines, and only those, changed."""
    changed = code
    for theirs, mine in IMPORTS.items():
        changed = changed.replace(theirs, mine)
    assert [a for a, b in zip(code.splitlines(), changed.splitlines(), strict=True) if a != b] == [
        line for line in code.splitlines() if line + "\n" in IMPORTS
    ]
    return changed


def images(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` 1×28×28 images in [0, 1) and their labels 0..9: label k brightens rows 2k..2k+3."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n)
    x = rng.random((n, 1, 28, 28)) * 0.5
    for i, k in enumerate(labels):
        x[i, 0, 2 * k : 2 * k + 4, :] += 0.5
    return x, labels


def run_page(code: str, namespace: dict[str, Any]) -> list[str]:
    """Run ``code`` in ``namespace``; the lines it printed."""
    printed: list[str] = []
    namespace["print"] = lambda *args, **kwargs: printed.append(" ".join(str(a) for a in args))
    exec(compile(code, "<tutorial>", "exec"), namespace)
    return "\n".join(printed).splitlines()


# ---------------------------------------------------------------------------------------------
# Learn the Basics → Optimizing Model Parameters
# ---------------------------------------------------------------------------------------------
OPTIMIZATION_PAGE = """
import torch
from torch import nn
from torch.utils.data import DataLoader

# (the datasets: FashionMNIST with ToTensor() on the page; a TensorDataset of the same shapes here)
training_data = make_dataset(torch, *TRAIN)
test_data = make_dataset(torch, *TEST)

train_dataloader = DataLoader(training_data, batch_size=64)
test_dataloader = DataLoader(test_data, batch_size=64)

# (the device line of "Build the Model")
device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
print(f"Using {device} device")

class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(28*28, 512),
            nn.ReLU(),
            nn.Linear(512, 512),
            nn.ReLU(),
            nn.Linear(512, 10),
        )

    def forward(self, x):
        x = self.flatten(x)
        logits = self.linear_relu_stack(x)
        return logits

model = NeuralNetwork().to(device)

learning_rate = 1e-3
batch_size = 64
epochs = 5

loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)

def train_loop(dataloader, model, loss_fn, optimizer):
    size = len(dataloader.dataset)
    # Set the model to training mode - important for batch normalization and dropout layers
    # Unnecessary in this situation but added for best practices
    model.train()
    for batch, (X, y) in enumerate(dataloader):
        # Compute prediction and loss
        pred = model(X)
        loss = loss_fn(pred, y)

        # Backpropagation
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()

        if batch % 100 == 0:
            loss, current = loss.item(), batch * batch_size + len(X)
            print(f"loss: {loss:>7f}  [{current:>5d}/{size:>5d}]")


def test_loop(dataloader, model, loss_fn):
    # Set the model to evaluation mode - important for batch normalization and dropout layers
    # Unnecessary in this situation but added for best practices
    model.eval()
    size = len(dataloader.dataset)
    num_batches = len(dataloader)
    test_loss, correct = 0, 0

    # Evaluating the model with torch.no_grad() ensures that no gradients are computed during test mode
    # also serves to reduce unnecessary gradient computations and memory usage for tensors with
    # requires_grad=True
    with torch.no_grad():
        for X, y in dataloader:
            pred = model(X)
            test_loss += loss_fn(pred, y).item()
            correct += (pred.argmax(1) == y).type(torch.float).sum().item()

    test_loss /= num_batches
    correct /= size
    print(f"Test Error: \\n Accuracy: {(100*correct):>0.1f}%, Avg loss: {test_loss:>8f} \\n")


loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)

epochs = 10
for t in range(epochs):
    print(f"Epoch {t+1}\\n-------------------------------")
    train_loop(train_dataloader, model, loss_fn, optimizer)
    test_loop(test_dataloader, model, loss_fn)
print("Done!")
"""


def make_dataset(torch: Any, x: np.ndarray, labels: np.ndarray) -> Any:
    """What ``datasets.FashionMNIST(..., transform=ToTensor())`` hands out: default-dtype images
    of shape 1×28×28 and int64 labels."""
    return torch.utils.data.TensorDataset(torch.tensor(x, dtype=torch.float), torch.tensor(labels))


def optimization_page(module_name: str) -> list[str]:
    code = OPTIMIZATION_PAGE if module_name == "torch" else ours(OPTIMIZATION_PAGE)
    namespace = {"make_dataset": make_dataset, "TRAIN": images(640, 0), "TEST": images(128, 1)}
    return run_page(code, namespace)


def test_the_optimization_page_runs_and_learns() -> None:
    torch.manual_seed(0)
    autograd.manual_seed(0)
    theirs = optimization_page("torch")
    mine = optimization_page("autograd")
    assert mine[0] == theirs[0] == "Using cpu device"

    def progress(lines: list[str]) -> list[str]:
        """The printed lines with the numbers that depend on the weights taken out."""
        return [re.sub(r"loss: +[\d.]+|Accuracy: +[\d.]+%|Avg loss: +[\d.]+", "#", line) for line in lines]

    assert progress(mine) == progress(theirs)
    assert "#  [   64/  640]" in progress(mine) and mine[-1] == "Done!"
    for lines in (mine, theirs):
        test_losses = [float(m) for m in re.findall(r"Avg loss: +([\d.]+)", "\n".join(lines))]
        assert len(test_losses) == 10 and all(
            b < a for a, b in zip(test_losses, test_losses[1:], strict=False)
        )


# ---------------------------------------------------------------------------------------------
# What is torch.nn really? (the TensorDataset and DataLoader steps, then get_data and fit)
# ---------------------------------------------------------------------------------------------
NN_REALLY_PAGE = """
import torch
import torch.nn.functional as F
from torch import nn
from torch import optim
from torch.utils.data import TensorDataset
from torch.utils.data import DataLoader

x_train, y_train, x_valid, y_valid = map(
    torch.tensor, (x_train, y_train, x_valid, y_valid)
)
n, c = x_train.shape
print(x_train.shape, y_train.min(), y_train.max())

loss_func = F.cross_entropy

class Mnist_Logistic(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(784, 10)

    def forward(self, xb):
        return self.lin(xb)

def get_model():
    model = Mnist_Logistic()
    return model, optim.SGD(model.parameters(), lr=lr)

train_ds = TensorDataset(x_train, y_train)
train_dl = DataLoader(train_ds, batch_size=bs)

model, opt = get_model()

for epoch in range(epochs):
    for xb, yb in train_dl:
        pred = model(xb)
        loss = loss_func(pred, yb)

        loss.backward()
        opt.step()
        opt.zero_grad()

print(loss_func(model(xb), yb))

train_ds = TensorDataset(x_train, y_train)
train_dl = DataLoader(train_ds, batch_size=bs, shuffle=True)

valid_ds = TensorDataset(x_valid, y_valid)
valid_dl = DataLoader(valid_ds, batch_size=bs * 2)

def loss_batch(model, loss_func, xb, yb, opt=None):
    loss = loss_func(model(xb), yb)

    if opt is not None:
        loss.backward()
        opt.step()
        opt.zero_grad()

    return loss.item(), len(xb)

import numpy as np

def fit(epochs, model, loss_func, opt, train_dl, valid_dl):
    for epoch in range(epochs):
        model.train()
        for xb, yb in train_dl:
            loss_batch(model, loss_func, xb, yb, opt)

        model.eval()
        with torch.no_grad():
            losses, nums = zip(
                *[loss_batch(model, loss_func, xb, yb) for xb, yb in valid_dl]
            )
        val_loss = np.sum(np.multiply(losses, nums)) / np.sum(nums)

        print(epoch, val_loss)

def get_data(train_ds, valid_ds, bs):
    return (
        DataLoader(train_ds, batch_size=bs, shuffle=True),
        DataLoader(valid_ds, batch_size=bs * 2),
    )

train_dl, valid_dl = get_data(train_ds, valid_ds, bs)
model, opt = get_model()
fit(epochs, model, loss_func, opt, train_dl, valid_dl)
print(len(train_dl), len(valid_dl), len(train_dl.dataset))
"""


def nn_really_page(module_name: str) -> list[str]:
    code = NN_REALLY_PAGE if module_name == "torch" else ours(NN_REALLY_PAGE)
    (x_train, y_train), (x_valid, y_valid) = images(500, 2), images(200, 3)
    namespace = {
        # the page's MNIST arrays: float32 rows of 784 pixels and int64 labels
        "x_train": x_train.reshape(-1, 784).astype(np.float32),
        "y_train": y_train,
        "x_valid": x_valid.reshape(-1, 784).astype(np.float32),
        "y_valid": y_valid,
        "bs": 64,
        "lr": 0.5,
        "epochs": 4,
    }
    return run_page(code, namespace)


def test_the_nn_really_page_runs_and_learns() -> None:
    torch.manual_seed(0)
    autograd.manual_seed(0)
    theirs = nn_really_page("torch")
    mine = nn_really_page("autograd")
    assert mine[0].endswith("(500, 784) Tensor(0, dtype=int64) Tensor(9, dtype=int64)")
    assert theirs[0] == "torch.Size([500, 784]) tensor(0) tensor(9)"
    assert mine[1].startswith("Tensor(") and "requires_grad=True" in mine[1]
    assert mine[-1] == theirs[-1] == "8 2 500"
    for lines in (mine, theirs):
        val_losses = [float(line.split()[1]) for line in lines[2:-1]]
        assert [line.split()[0] for line in lines[2:-1]] == ["0", "1", "2", "3"]
        assert val_losses[-1] < val_losses[0] < 2.3  # below chance (log 10) after one epoch, and falling


def test_the_import_rewrite_changes_only_import_lines() -> None:
    with pytest.raises(AssertionError):
        ours("import torch\nx = 1  # import torch\n")  # (a comment is no import line)
    assert ours(textwrap.dedent("import torch\nx = 1\n")) == "import autograd as torch\nx = 1\n"
