"""PyTorch's "Learn the Basics" pages (tensors; automatic differentiation; build the model; the
optimization loop) as a new user types them, with ``torch`` bound to this library and to PyTorch:
every printed value, gradient and loss compared in float64.

The code is written here after the pages' steps, not copied (the pages' own code runs as written
in ``test_tutorial_pages.py``). Synthetic 8×8 "images" of 10
classes stand in for FashionMNIST, a list of batches for the DataLoader, and weights and
random draws come in as numpy arrays (the two libraries' random streams differ), loaded the
torch way (``p.copy_(torch.from_numpy(w))`` under ``no_grad``). The CUDA lines are left out.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from side_by_side import check, run, same

RNG = np.random.default_rng(17)
SIDE = 8  # the images are SIDE × SIDE
IMAGES = RNG.random((24, SIDE, SIDE))
LABELS = RNG.integers(0, 10, 24)


# ---------------------------------------------------------------------------------------------
# Tensors
# ---------------------------------------------------------------------------------------------
def test_tensors_page() -> None:
    def page(torch: Any) -> Any:
        seen = []
        # initializing: from data, from numpy, from another tensor, from a shape
        data = [[1, 2], [3, 4]]
        x_data = torch.tensor(data)
        np_array = np.array(data)
        x_np = torch.from_numpy(np_array)
        x_ones = torch.ones_like(x_data)
        x_rand = torch.rand_like(x_data, dtype=torch.float)
        seen += [x_data, x_np, x_ones, (x_rand.shape, x_rand.dtype)]
        shape = (2, 3)
        seen += [torch.ones(shape), torch.zeros(shape), torch.rand(shape).shape]
        # attributes
        tensor = torch.rand(3, 4)
        seen += [tensor.shape, tensor.dtype, str(tensor.device)]
        # indexing and slicing
        tensor = torch.ones(4, 4)
        seen += [tensor[0], tensor[:, 0], tensor[..., -1]]
        tensor[:, 1] = 0
        seen.append(tensor)
        # joining
        t1 = torch.cat([tensor, tensor, tensor], dim=1)
        seen.append(t1)
        # arithmetic: three ways to a matrix product and to an elementwise product
        tensor = torch.tensor(np.arange(16.0).reshape(4, 4) / 3 - 2)
        y1 = tensor @ tensor.T
        y2 = tensor.matmul(tensor.T)
        y3 = torch.rand_like(y1)
        torch.matmul(tensor, tensor.T, out=y3)
        z1 = tensor * tensor
        z2 = tensor.mul(tensor)
        z3 = torch.rand_like(tensor)
        torch.mul(tensor, tensor, out=z3)
        seen += [y1, y2, y3, z1, z2, z3]
        # single-element tensors
        agg = tensor.sum()
        agg_item = agg.item()
        seen += [agg_item, type(agg_item).__name__]
        # in-place
        tensor.add_(5)
        seen.append(tensor)
        # bridge with numpy: the two share memory
        t = torch.ones(5)
        n = t.numpy()
        t.add_(1)
        seen.append(n.tolist())
        n = np.ones(5)
        t = torch.from_numpy(n)
        np.add(n, 1, out=n)
        seen.append(t)
        return seen

    check(page)


# ---------------------------------------------------------------------------------------------
# Automatic differentiation with torch.autograd
# ---------------------------------------------------------------------------------------------
W0 = RNG.normal(size=(5, 3))
B0 = RNG.normal(size=3)


def test_autograd_page() -> None:
    def page(torch: Any, w0: np.ndarray, b0: np.ndarray) -> Any:
        x = torch.ones(5)  # input tensor
        y = torch.zeros(3)  # expected output
        w = torch.tensor(w0, requires_grad=True)
        b = torch.tensor(b0, requires_grad=True)
        z = torch.matmul(x, w) + b
        loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
        names = [z.grad_fn.name(), repr(z.grad_fn).split(" ")[0], loss.grad_fn is not None, w.grad_fn]
        loss.backward()
        grads = [loss, w.grad, b.grad]
        # disabling gradient tracking
        z = torch.matmul(x, w) + b
        tracking = [z.requires_grad]
        with torch.no_grad():
            z = torch.matmul(x, w) + b
        tracking.append(z.requires_grad)
        z_det = (torch.matmul(x, w) + b).detach()
        tracking.append(z_det.requires_grad)
        # tensor gradients and Jacobian products
        inp = torch.eye(4, 5, requires_grad=True)
        out = (inp + 1).pow(2).t()
        out.backward(torch.ones_like(out), retain_graph=True)
        first = inp.grad.clone()
        out.backward(torch.ones_like(out), retain_graph=True)
        second = inp.grad.clone()  # gradients accumulate
        inp.grad.zero_()
        out.backward(torch.ones_like(out), retain_graph=True)
        return names, grads, tracking, first, second, inp.grad

    ours, theirs = check(page, W0, B0)
    assert ours[0][:2] == ["AddBackward0", "<AddBackward0"]


# ---------------------------------------------------------------------------------------------
# Build the neural network
# ---------------------------------------------------------------------------------------------
def network(torch: Any) -> Any:
    """The page's NeuralNetwork class, for SIDE × SIDE images and 10 classes."""
    nn = torch.nn

    class NeuralNetwork(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.flatten = nn.Flatten()
            self.linear_relu_stack = nn.Sequential(
                nn.Linear(SIDE * SIDE, 32),
                nn.ReLU(),
                nn.Linear(32, 32),
                nn.ReLU(),
                nn.Linear(32, 10),
            )

        def forward(self, x: Any) -> Any:
            x = self.flatten(x)
            logits = self.linear_relu_stack(x)
            return logits

    return NeuralNetwork()


def weights_of(torch: Any, model: Any, arrays: dict[str, np.ndarray]) -> None:
    """Load numpy arrays into the model, torch's way."""
    with torch.no_grad():
        for name, param in model.named_parameters():
            param.copy_(torch.from_numpy(arrays[name]))


def initial_weights(seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    shapes = {"0": (32, SIDE * SIDE), "2": (32, 32), "4": (10, 32)}
    arrays = {}
    for k, (n_out, n_in) in shapes.items():
        bound = 1 / np.sqrt(n_in)
        arrays[f"linear_relu_stack.{k}.weight"] = rng.uniform(-bound, bound, (n_out, n_in))
        arrays[f"linear_relu_stack.{k}.bias"] = rng.uniform(-bound, bound, n_out)
    return arrays


def test_build_the_model_page() -> None:
    def page(torch: Any, arrays: dict[str, np.ndarray]) -> Any:
        nn = torch.nn
        model = network(torch)
        weights_of(torch, model, arrays)
        X = torch.from_numpy(IMAGES[:1])
        logits = model(X)
        pred_probab = nn.Softmax(dim=1)(logits)
        y_pred = pred_probab.argmax(1)
        # the layers one by one
        input_image = torch.from_numpy(IMAGES[:3])
        flatten = nn.Flatten()
        flat_image = flatten(input_image)
        layer1 = model.linear_relu_stack[0]
        hidden1 = layer1(flat_image)
        hidden1 = nn.ReLU()(hidden1)
        seq_modules = nn.Sequential(flatten, layer1, nn.ReLU(), model.linear_relu_stack[2])
        softmax = nn.Softmax(dim=1)
        probs = softmax(seq_modules(input_image))
        # the parameters
        params = [(name, param.size(), param[:2]) for name, param in model.named_parameters()]
        return logits, pred_probab, y_pred, flat_image.size(), hidden1, probs, params

    ours, theirs = check(page, initial_weights())
    assert [p[0] for p in ours[-1]] == list(initial_weights())


# ---------------------------------------------------------------------------------------------
# Optimizing the model parameters
# ---------------------------------------------------------------------------------------------
def batches(torch: Any, size: int = 8) -> list[tuple[Any, Any]]:
    """What the DataLoader hands out: (images, int64 labels) pairs."""
    return [
        (torch.from_numpy(IMAGES[i : i + size]), torch.from_numpy(LABELS[i : i + size]))
        for i in range(0, len(IMAGES), size)
    ]


def test_optimization_loop_page() -> None:
    def page(torch: Any, arrays: dict[str, np.ndarray]) -> Any:
        nn = torch.nn
        learning_rate, epochs = 0.5, 3
        losses, scores = [], []

        def train_loop(dataloader: Any, model: Any, loss_fn: Any, optimizer: Any) -> None:
            model.train()
            for batch, (X, y) in enumerate(dataloader):
                pred = model(X)
                loss = loss_fn(pred, y)
                loss.backward()
                optimizer.step()
                optimizer.zero_grad()
                losses.append((batch, loss.item()))

        def test_loop(dataloader: Any, model: Any, loss_fn: Any) -> None:
            model.eval()
            size, num_batches = sum(len(X) for X, _ in dataloader), len(dataloader)
            test_loss, correct = 0, 0
            with torch.no_grad():
                for X, y in dataloader:
                    pred = model(X)
                    test_loss += loss_fn(pred, y).item()
                    correct += (pred.argmax(1) == y).type(torch.float).sum().item()
            scores.append((test_loss / num_batches, correct / size))

        model = network(torch)
        weights_of(torch, model, arrays)
        loss_fn = nn.CrossEntropyLoss()
        optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
        data = batches(torch)
        for _ in range(epochs):
            train_loop(data, model, loss_fn, optimizer)
            test_loop(data, model, loss_fn)
        return losses, scores, dict(model.named_parameters())

    ours, theirs = check(page, initial_weights(), rtol=1e-10, atol=1e-12)
    assert ours[0][-1][1] < ours[0][0][1]  # it learns


@pytest.mark.parametrize("optimizer", ["SGD momentum", "Adam"])
def test_optimization_loop_with_other_optimizers(optimizer: str) -> None:
    """The page's "other optimizers" remark: the same loop with SGD's momentum and with Adam."""

    def loop(torch: Any, arrays: dict[str, np.ndarray]) -> Any:
        model = network(torch)
        weights_of(torch, model, arrays)
        if optimizer == "Adam":
            opt = torch.optim.Adam(model.parameters(), lr=1e-2)
        else:
            opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        loss_fn = torch.nn.CrossEntropyLoss()
        seen = []
        for X, y in batches(torch) * 2:
            loss = loss_fn(model(X), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            seen.append(loss.item())
        return seen, [p for p in model.parameters()]

    check(loop, initial_weights(1), rtol=1e-9, atol=1e-12)


def test_the_pages_catch_a_wrong_step() -> None:
    """The comparison is live: a loop that skips ``zero_grad`` on one side differs from torch's."""

    def loop(torch: Any, arrays: dict[str, np.ndarray]) -> Any:
        model = network(torch)
        weights_of(torch, model, arrays)
        opt = torch.optim.SGD(model.parameters(), lr=0.5)
        seen = []
        for X, y in batches(torch):
            loss = torch.nn.CrossEntropyLoss()(model(X), y)
            loss.backward()
            opt.step()
            if torch.__name__ == "torch":
                opt.zero_grad()
            seen.append(loss.item())
        return seen

    ours, theirs = run(loop, initial_weights())
    with pytest.raises(AssertionError):
        same(ours, theirs)
