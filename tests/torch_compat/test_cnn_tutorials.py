"""PyTorch's convolutional tutorials run with only their import lines changed: "What is torch.nn
really?" from "Switch to CNN" on (``Mnist_CNN`` with ``F.avg_pool2d``, ``nn.Sequential`` with a
``Lambda`` module and ``nn.AvgPool2d``, the ``WrappedDataLoader`` and ``nn.AdaptiveAvgPool2d``), and
the 60-minute blitz's "Neural Networks" page (LeNet with ``F.max_pool2d``, ``torch.flatten``,
``out.backward(torch.randn(1, 10))``, ``grad_fn``, ``optim.SGD``), where one line,
``f.data.sub_(...)``, is written as the From-PyTorch guide says (``t.data`` is the numpy array).

As in ``test_data_tutorials``, each page runs once on PyTorch and once here, on synthetic images
whose class brightens a band of rows; the printed lines have the same form and the validation
loss falls on both sides.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_data_tutorials import NN_REALLY_PAGE, images, ours, run_page

import autograd

torch = pytest.importorskip("torch")

#: the page's loss_batch, fit and get_data, as "What is torch.nn really?" wrote them before the CNN
FIT = NN_REALLY_PAGE[
    NN_REALLY_PAGE.index("def loss_batch") : NN_REALLY_PAGE.index("train_dl, valid_dl = get_data(")
]

CNN_PAGE = (
    """
import torch
import torch.nn.functional as F
from torch import nn
from torch import optim
from torch.utils.data import TensorDataset
from torch.utils.data import DataLoader

x_train, y_train, x_valid, y_valid = map(torch.tensor, (x_train, y_train, x_valid, y_valid))
train_ds = TensorDataset(x_train, y_train)
valid_ds = TensorDataset(x_valid, y_valid)
loss_func = F.cross_entropy

"""
    + FIT
    + """
train_dl, valid_dl = get_data(train_ds, valid_ds, bs)

class Mnist_CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1)
        self.conv2 = nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1)
        self.conv3 = nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1)

    def forward(self, xb):
        xb = xb.view(-1, 1, 28, 28)
        xb = F.relu(self.conv1(xb))
        xb = F.relu(self.conv2(xb))
        xb = F.relu(self.conv3(xb))
        xb = F.avg_pool2d(xb, 4)
        return xb.view(-1, xb.size(1))

lr = 0.1

model = Mnist_CNN()
opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9)

fit(epochs, model, loss_func, opt, train_dl, valid_dl)

class Lambda(nn.Module):
    def __init__(self, func):
        super().__init__()
        self.func = func

    def forward(self, x):
        return self.func(x)


def preprocess(x):
    return x.view(-1, 1, 28, 28)

model = nn.Sequential(
    Lambda(preprocess),
    nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1),
    nn.ReLU(),
    nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1),
    nn.ReLU(),
    nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1),
    nn.ReLU(),
    nn.AvgPool2d(4),
    Lambda(lambda x: x.view(x.size(0), -1)),
)

opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9)

fit(epochs, model, loss_func, opt, train_dl, valid_dl)

def preprocess(x, y):
    return x.view(-1, 1, 28, 28), y


class WrappedDataLoader:
    def __init__(self, dl, func):
        self.dl = dl
        self.func = func

    def __len__(self):
        return len(self.dl)

    def __iter__(self):
        for b in self.dl:
            yield (self.func(*b))

train_dl, valid_dl = get_data(train_ds, valid_ds, bs)
train_dl = WrappedDataLoader(train_dl, preprocess)
valid_dl = WrappedDataLoader(valid_dl, preprocess)

model = nn.Sequential(
    nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1),
    nn.ReLU(),
    nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1),
    nn.ReLU(),
    nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1),
    nn.ReLU(),
    nn.AdaptiveAvgPool2d(1),
    Lambda(lambda x: x.view(x.size(0), -1)),
)

opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9)

fit(epochs, model, loss_func, opt, train_dl, valid_dl)
print(model)
"""
)


def cnn_page(module_name: str) -> list[str]:
    code = CNN_PAGE if module_name == "torch" else ours(CNN_PAGE)
    (x_train, y_train), (x_valid, y_valid) = images(640, 4), images(160, 5)
    namespace = {
        "x_train": x_train.reshape(-1, 784).astype(np.float32),
        "y_train": y_train,
        "x_valid": x_valid.reshape(-1, 784).astype(np.float32),
        "y_valid": y_valid,
        "bs": 64,
        "epochs": 6,
    }
    return run_page(code, namespace)


def test_the_cnn_part_of_nn_really_runs_and_learns() -> None:
    torch.manual_seed(0)
    autograd.manual_seed(0)
    theirs, mine = cnn_page("torch"), cnn_page("autograd")
    assert mine[18:] == theirs[18:]  # the printed model: the same layers, the same reprs
    for lines in (mine, theirs):
        epochs = [line.split() for line in lines[:18]]
        assert [e[0] for e in epochs] == [str(k) for k in range(6)] * 3
        for model in range(3):  # each of the three models learns: below chance, and falling
            losses = [float(e[1]) for e in epochs[6 * model : 6 * model + 6]]
            assert losses[-1] < losses[0] and losses[-1] < np.log(10)


BLITZ_PAGE = """
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):

    def __init__(self):
        super(Net, self).__init__()
        # 1 input image channel, 6 output channels, 5x5 square convolution
        # kernel
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        # an affine operation: y = Wx + b
        self.fc1 = nn.Linear(16 * 5 * 5, 120)  # 5*5 from image dimension
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, input):
        c1 = F.relu(self.conv1(input))
        s2 = F.max_pool2d(c1, (2, 2))
        c3 = F.relu(self.conv2(s2))
        s4 = F.max_pool2d(c3, 2)
        s4 = torch.flatten(s4, 1)
        f5 = F.relu(self.fc1(s4))
        f6 = F.relu(self.fc2(f5))
        output = self.fc3(f6)
        return output


net = Net()
print(net)

params = list(net.parameters())
print(len(params))
print(params[0].size())  # conv1's .weight

input = torch.randn(1, 1, 32, 32)
out = net(input)
print(out.shape)

net.zero_grad()
out.backward(torch.randn(1, 10))

output = net(input)
target = torch.randn(10)  # a dummy target, for example
target = target.view(1, -1)  # make it the same shape as output
criterion = nn.MSELoss()

loss = criterion(output, target)
print(loss.shape)

print(loss.grad_fn is not None)

net.zero_grad()     # zeroes the gradient buffers of all parameters

print('conv1.bias.grad before backward')
print(net.conv1.bias.grad)

loss.backward()

print('conv1.bias.grad after backward')
print(net.conv1.bias.grad.shape)

learning_rate = 0.01
for f in net.parameters():
    f.data.sub_(f.grad.data * learning_rate)

import torch.optim as optim

# create your optimizer
optimizer = optim.SGD(net.parameters(), lr=0.01)

# in your training loop:
before = criterion(net(input), target).item()
for _ in range(20):
    optimizer.zero_grad()   # zero the gradient buffers
    output = net(input)
    loss = criterion(output, target)
    loss.backward()
    optimizer.step()    # Does the update
print(loss.item() < before)
"""

#: the one line the From-PyTorch guide writes otherwise: ``t.data`` is the numpy array here
DATA_SUB = ("    f.data.sub_(f.grad.data * learning_rate)\n", "    f.data -= f.grad.data * learning_rate\n")


def test_the_blitz_neural_networks_page_runs() -> None:
    torch.manual_seed(0)
    autograd.manual_seed(0)
    theirs = run_page(BLITZ_PAGE, {})
    mine_code = ours(BLITZ_PAGE).replace(*DATA_SUB)
    changed = [a for a, b in zip(BLITZ_PAGE.splitlines(), mine_code.splitlines(), strict=True) if a != b]
    assert changed == [
        "import torch",
        "import torch.nn as nn",
        "import torch.nn.functional as F",
        DATA_SUB[0].rstrip("\n"),
        "import torch.optim as optim",
    ]
    mine = run_page(mine_code, {})
    assert mine[:7] == theirs[:7]  # the model's repr and its 10 parameters
    assert theirs[8] == "torch.Size([6, 1, 5, 5])" and mine[8] == "Size([6, 1, 5, 5])"
    assert mine[9:] == ["(1, 10)", "()", "True", "conv1.bias.grad before backward", "None",
                        "conv1.bias.grad after backward", "(6,)", "True"]  # fmt: skip
    assert theirs[-1] == "True"
    with pytest.raises(AttributeError, match="sub_"):  # the line as the page writes it
        run_page(ours(BLITZ_PAGE.split("import torch.optim")[0]), {})
