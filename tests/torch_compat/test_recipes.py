"""PyTorch's beginner recipes and the "Autograd mechanics" note run with only their import lines
changed, beside PyTorch, their printed numbers compared as in ``test_tutorial_pages.py``.

The programs are written here after the pages' steps, with the pages' calls in their order, not
copied (as in ``test_learn_the_basics.py``), from pytorch/tutorials ``recipes_source/recipes/``:
"Defining a neural network", "Zeroing out gradients", "What is a state_dict", "Saving and loading
models for inference", "Saving and loading a general checkpoint", "Saving and loading multiple
models in one file", "Saving and loading models across devices" (its CPU lines), "Warmstarting a
model using parameters from a different model" and the ``torch.load(mmap=True)`` lines of "Tips
for loading an nn.Module from a checkpoint"; "Transfer learning for computer vision" and
"Adversarial example generation" (``beginner_source/transfer_learning_tutorial.py``,
``fgsm_tutorial.py``) and "Hooks for autograd saved tensors"
(``intermediate_source/autograd_saved_tensors_hooks_tutorial.py``, but its GPU and memory parts);
and from pytorch/pytorch ``docs/source/notes/autograd.rst``: ``requires_grad`` through a graph,
freezing a pretrained network, the ways to turn gradients off (``no_grad``, ``set_grad_enabled``,
``inference_mode``, ``requires_grad_`` on a module, ``eval``), backward passes in threads and
"Hooks for saved tensors" (a ``SavedTensor``'s hooks, hooks saving to files). Each runs twice, from
``manual_seed(0)``: as torch code on PyTorch, and with its import lines rewritten (``ours``), on
torchvision's stand-ins (``torchvision_standin.py``: a small synthetic CIFAR10, a small resnet18).

What these pages do that this library refuses or lacks is in ``REFUSED``, each with the error
the line as written raises here (checked): a whole module pickled by ``torch.save`` (data only
here), ``data.grad.data.sign()`` (``t.data`` is the numpy array here) and ``eval`` of a Tensor's
repr (it names numpy's dtype, ``dtype=float64``).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from test_tutorial_pages import ours, run_page, same_printout

import autograd

torch = pytest.importorskip("torch")

#: the recipes' network (the blitz's LeNet for 3 x 32 x 32 images), defined once per program
NET = """
class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.flatten(start_dim=1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)
"""

IMPORTS = """
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
"""

DEFINING_A_NEURAL_NETWORK = (
    IMPORTS
    + """
class MnistNet(nn.Module):
    def __init__(self):
        super(MnistNet, self).__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout2d(0.25)
        self.dropout2 = nn.Dropout2d(0.5)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = F.max_pool2d(x, 2)
        x = self.dropout1(x)
        x = x.flatten(start_dim=1)
        x = F.relu(self.fc1(x))
        x = self.dropout2(x)
        x = self.fc2(x)
        return F.log_softmax(x, dim=1)

my_nn = MnistNet()
print(my_nn)
random_data = torch.rand((2, 1, 28, 28))
result = my_nn(random_data)
print(result)
print(result.exp().sum(dim=1))
my_nn.eval()
print(my_nn(random_data))
"""
)

ZEROING_OUT_GRADIENTS = (
    IMPORTS
    + """
import torchvision
import torchvision.transforms as transforms

transform = transforms.Compose(
    [transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))]
)
trainset = torchvision.datasets.CIFAR10(root="./data", train=True, download=True, transform=transform)
trainloader = torch.utils.data.DataLoader(trainset, batch_size=4, shuffle=True, num_workers=0)
"""
    + NET
    + """
net = Net()
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)

for epoch in range(2):
    running_loss = 0.0
    for i, data in enumerate(trainloader, 0):
        inputs, labels = data
        optimizer.zero_grad()
        outputs = net(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
        if i % 5 == 4:
            print("[%d, %5d] loss: %.5f" % (epoch + 1, i + 1, running_loss / 5))
            running_loss = 0.0
print("Finished Training")
print(net.fc3.bias)

net.zero_grad()
print([p.grad for p in net.parameters()][:2])
loss = criterion(net(inputs), labels)
loss.backward()
first = net.fc3.bias.grad.clone()
loss = criterion(net(inputs), labels)
loss.backward()
print(torch.allclose(net.fc3.bias.grad, 2 * first))
optimizer.zero_grad(set_to_none=False)
print(net.fc3.bias.grad)
"""
)

WHAT_IS_A_STATE_DICT = (
    IMPORTS
    + NET
    + """
net = Net()
print(net)
optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)

print("Model's state_dict:")
for param_tensor in net.state_dict():
    print(param_tensor, "\\t", net.state_dict()[param_tensor].size())
print()
print("Optimizer's state_dict:")
for var_name in optimizer.state_dict():
    print(var_name, "\\t", optimizer.state_dict()[var_name])
"""
)

#: inference, a general checkpoint, several models in one file, across devices (the CPU's lines)
SAVING_AND_LOADING = (
    IMPORTS
    + NET
    + """
net = Net()
optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
images, labels = torch.rand(4, 3, 32, 32), torch.tensor([1, 0, 3, 9])
for step in range(3):
    optimizer.zero_grad()
    loss = F.cross_entropy(net(images), labels)
    loss.backward()
    optimizer.step()
print(loss.item())

PATH = "state_dict_model.pt"
torch.save(net.state_dict(), PATH)
model = Net()
print(model.load_state_dict(torch.load(PATH)))
model.eval()
print(model(images[:1]))
print(torch.equal(model(images), net(images)))

EPOCH, LOSS = 5, 0.4
PATH = "model.pt"
torch.save({
    "epoch": EPOCH,
    "model_state_dict": net.state_dict(),
    "optimizer_state_dict": optimizer.state_dict(),
    "loss": LOSS,
}, PATH)
model = Net()
optimizer2 = optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
checkpoint = torch.load(PATH)
print(model.load_state_dict(checkpoint["model_state_dict"]))
optimizer2.load_state_dict(checkpoint["optimizer_state_dict"])
epoch = checkpoint["epoch"]
loss = checkpoint["loss"]
print(epoch, loss, type(epoch).__name__, type(loss).__name__)
model.train()
for m, opt in ((net, optimizer), (model, optimizer2)):
    opt.zero_grad()
    F.cross_entropy(m(images), labels).backward()
    opt.step()
print(torch.equal(model.fc3.weight, net.fc3.weight), model.fc3.bias)

netA, netB = Net(), Net()
optimizerA = optim.SGD(netA.parameters(), lr=0.001, momentum=0.9)
optimizerB = optim.SGD(netB.parameters(), lr=0.001, momentum=0.9)
torch.save({
    "modelA_state_dict": netA.state_dict(),
    "modelB_state_dict": netB.state_dict(),
    "optimizerA_state_dict": optimizerA.state_dict(),
    "optimizerB_state_dict": optimizerB.state_dict(),
}, PATH)
modelA, modelB = Net(), Net()
optimModelA = optim.SGD(modelA.parameters(), lr=0.001, momentum=0.9)
optimModelB = optim.SGD(modelB.parameters(), lr=0.001, momentum=0.9)
checkpoint = torch.load(PATH)
print(modelA.load_state_dict(checkpoint["modelA_state_dict"]))
print(modelB.load_state_dict(checkpoint["modelB_state_dict"]))
optimModelA.load_state_dict(checkpoint["optimizerA_state_dict"])
optimModelB.load_state_dict(checkpoint["optimizerB_state_dict"])
modelA.eval()
modelB.eval()
print(torch.equal(modelA(images), netA(images)), torch.equal(modelB(images), netA(images)))
print(optimModelA.state_dict()["param_groups"][0]["momentum"])

device = torch.device("cpu")
PATH = "across.pt"
torch.save(net.state_dict(), PATH)
model = Net()
print(model.load_state_dict(torch.load(PATH, map_location=device)))
model.to(device)
print(model.load_state_dict(torch.load(PATH, map_location="cpu", weights_only=True)))
print(model.load_state_dict(torch.load(PATH, mmap=True)))
print(torch.equal(model(images), net(images)))
"""
)

WARMSTARTING = (
    IMPORTS
    + NET.replace("class Net(", "class NetA(").replace("super(Net,", "super(NetA,")
    + """
class NetB(nn.Module):
    def __init__(self):
        super(NetB, self).__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.head = nn.Linear(84, 5)

netA = NetA()
netB = NetB()
PATH = "model.pt"
torch.save(netA.state_dict(), PATH)
print(netB.load_state_dict(torch.load(PATH), strict=False))
print(torch.equal(netB.fc2.weight, netA.fc2.weight), torch.equal(netB.conv1.bias, netA.conv1.bias))
print(netB.head.bias)
state = torch.load(PATH)
state["head.weight"], state["head.bias"] = state.pop("fc3.weight")[:5], state.pop("fc3.bias")[:5]
print(netB.load_state_dict(state))
print(netB.head.bias)
try:
    netB.load_state_dict(torch.load(PATH))
except RuntimeError:
    print("RuntimeError")
"""
)

AUTOGRAD_MECHANICS = """
import threading
import torch
import torch.nn as nn
import torch.optim as optim
import torchvision

x = torch.randn(5, 5)
y = torch.randn(5, 5)
z = torch.randn((5, 5), requires_grad=True)
a = x + y
print(a.requires_grad)
b = a + z
print(b.requires_grad)

model = torchvision.models.resnet18(weights=None)
for param in model.parameters():
    param.requires_grad = False
model.fc = nn.Linear(512, 100)
optimizer = optim.SGD(model.fc.parameters(), lr=1e-2, momentum=0.9)
out = model(torch.randn(2, 3, 32, 32))
out.sum().backward()
print([name for name, p in model.named_parameters() if p.grad is not None])
print(out.requires_grad, out.grad_fn is not None, model.conv1.weight.grad)
optimizer.step()
print(model.fc.bias[:4])

w = torch.randn(3, requires_grad=True)
with torch.no_grad():
    v = w * 2
print(v.requires_grad, v.grad_fn, torch.is_grad_enabled())

@torch.no_grad()
def doubled(t):
    return t * 2

print(doubled(w).requires_grad)
torch.set_grad_enabled(False)
print((w * 2).requires_grad, torch.is_grad_enabled())
torch.set_grad_enabled(True)
print(torch.is_inference_mode_enabled())
with torch.inference_mode():
    u = w * 2
    print(torch.is_inference_mode_enabled(), torch.is_grad_enabled())
    with torch.enable_grad():
        print(torch.is_inference_mode_enabled(), torch.is_grad_enabled())
    with torch.inference_mode(False):
        print(torch.is_inference_mode_enabled(), torch.is_grad_enabled())
print(u.requires_grad, torch.is_inference_mode_enabled())
model.requires_grad_()
print(all(p.requires_grad for p in model.parameters()))
model.requires_grad_(False)
print(any(p.requires_grad for p in model.parameters()))
model.eval()
print(model.training, model.bn1.training, model.layer1[0].bn2.training)
model.train()
print(model.training, model.bn1.training)

results = []
def train_fn():
    x = torch.ones(5, 5, requires_grad=True)
    y = (x + 3) * (x + 4) * 0.5
    y.sum().backward()
    results.append(x.grad.sum().item())

threads = []
for _ in range(10):
    p = threading.Thread(target=train_fn, args=())
    p.start()
    threads.append(p)
for p in threads:
    p.join()
print(results)

def in_inference_mode():
    results.append(torch.is_inference_mode_enabled())

with torch.inference_mode():
    p = threading.Thread(target=in_inference_mode)
    p.start()
    p.join()
print(results[-1])
"""

#: "Transfer learning for computer vision" (beginner_source/transfer_learning_tutorial.py): its
#: ``train_model`` (``copy.deepcopy`` of the best state dict, ``set_grad_enabled(phase == "train")``,
#: ``torch.sum(preds == labels.data)``, ``.double()``, ``StepLR``), fine-tuning and a frozen base, on
#: the stand-in CIFAR10 in place of the page's ImageFolder of ants and bees
TRANSFER_LEARNING = """
import copy
import torch
import torch.nn as nn
import torch.optim as optim
from torch.optim import lr_scheduler
import torchvision
from torchvision import datasets, models, transforms

data_transforms = transforms.Compose(
    [transforms.ToTensor(), transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]
)
image_datasets = {
    x: datasets.CIFAR10("data", train=(x == "train"), download=True, transform=data_transforms)
    for x in ["train", "val"]
}
dataloaders = {
    x: torch.utils.data.DataLoader(image_datasets[x], batch_size=4, shuffle=True, num_workers=0)
    for x in ["train", "val"]
}
dataset_sizes = {x: len(image_datasets[x]) for x in ["train", "val"]}
class_names = image_datasets["train"].classes
device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
print(dataset_sizes, device)

def train_model(model, criterion, optimizer, scheduler, num_epochs=25):
    best_model_wts = copy.deepcopy(model.state_dict())
    best_acc = 0.0
    for epoch in range(num_epochs):
        print(f"Epoch {epoch}/{num_epochs - 1}")
        for phase in ["train", "val"]:
            if phase == "train":
                model.train()
            else:
                model.eval()
            running_loss = 0.0
            running_corrects = 0
            for inputs, labels in dataloaders[phase]:
                inputs = inputs.to(device)
                labels = labels.to(device)
                optimizer.zero_grad()
                with torch.set_grad_enabled(phase == "train"):
                    outputs = model(inputs)
                    _, preds = torch.max(outputs, 1)
                    loss = criterion(outputs, labels)
                    if phase == "train":
                        loss.backward()
                        optimizer.step()
                running_loss += loss.item() * inputs.size(0)
                running_corrects += torch.sum(preds == labels.data)
            if phase == "train":
                scheduler.step()
            epoch_loss = running_loss / dataset_sizes[phase]
            epoch_acc = running_corrects.double() / dataset_sizes[phase]
            print(f"{phase} Loss: {epoch_loss:.4f} Acc: {epoch_acc:.4f}")
            if phase == "val" and epoch_acc > best_acc:
                best_acc = epoch_acc
                best_model_wts = copy.deepcopy(model.state_dict())
    print(f"Best val Acc: {best_acc:4f}")
    model.load_state_dict(best_model_wts)
    return model

model_ft = models.resnet18(weights="IMAGENET1K_V1")
model_ft.fc = nn.Linear(model_ft.fc.in_features, 10)
model_ft = model_ft.to(device)
criterion = nn.CrossEntropyLoss()
optimizer_ft = optim.SGD(model_ft.parameters(), lr=0.001, momentum=0.9)
exp_lr_scheduler = lr_scheduler.StepLR(optimizer_ft, step_size=1, gamma=0.1)
model_ft = train_model(model_ft, criterion, optimizer_ft, exp_lr_scheduler, num_epochs=2)
print(optimizer_ft.param_groups[0]["lr"])

model_conv = torchvision.models.resnet18(weights="IMAGENET1K_V1")
for param in model_conv.parameters():
    param.requires_grad = False
model_conv.fc = nn.Linear(model_conv.fc.in_features, 10)
optimizer_conv = optim.SGD(model_conv.fc.parameters(), lr=0.001, momentum=0.9)
exp_lr_scheduler = lr_scheduler.StepLR(optimizer_conv, step_size=7, gamma=0.1)
model_conv = train_model(model_conv, criterion, optimizer_conv, exp_lr_scheduler, num_epochs=1)
model_conv.eval()
with torch.no_grad():
    inputs, labels = next(iter(dataloaders["val"]))
    _, preds = torch.max(model_conv(inputs), 1)
print(preds, [class_names[p] for p in preds])
"""

#: "Adversarial example generation" (beginner_source/fgsm_tutorial.py): the page's LeNet (untrained,
#: saved and loaded with ``map_location`` and ``weights_only``), ``data.requires_grad = True``,
#: ``output.max(1, keepdim=True)[1]``, the FGSM step, ``denorm``, ``transforms.Normalize`` on a
#: tensor, on the stand-in FashionMNIST
FGSM = """
import itertools
import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision import datasets, transforms

epsilons = [0, .1]
N = 6  # (the page attacks each of the 10,000 test images)
torch.manual_seed(42)
device = torch.accelerator.current_accelerator() if torch.accelerator.is_available() else "cpu"
print(f"Using {device} device")

class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv2(F.relu(self.conv1(x)))), 2)
        x = torch.flatten(self.dropout1(x), 1)
        x = self.fc2(self.dropout2(F.relu(self.fc1(x))))
        return F.log_softmax(x, dim=1)

normalize = transforms.Normalize((0.1307,), (0.3081,))
test_loader = torch.utils.data.DataLoader(
    datasets.FashionMNIST("data", train=False, download=True,
                          transform=transforms.Compose([transforms.ToTensor(), normalize])),
    batch_size=1, shuffle=True)
model = Net().to(device)
torch.save(model.state_dict(), "lenet.pth")
model.load_state_dict(torch.load("lenet.pth", map_location=device, weights_only=True))
model.eval()

def fgsm_attack(image, epsilon, data_grad):
    return torch.clamp(image + epsilon * data_grad.sign(), 0, 1)

def denorm(batch, mean=[0.1307], std=[0.3081]):
    mean, std = torch.tensor(mean).to(device), torch.tensor(std).to(device)
    return batch * std.view(1, -1, 1, 1) + mean.view(1, -1, 1, 1)

def test(model, device, test_loader, epsilon):
    correct, adv_examples = 0, []
    for data, target in itertools.islice(test_loader, N):
        data, target = data.to(device), target.to(device)
        data.requires_grad = True
        output = model(data)
        init_pred = output.max(1, keepdim=True)[1]
        loss = F.nll_loss(output, target)
        model.zero_grad()
        loss.backward()
        data_grad = data.grad.data
        perturbed_data = fgsm_attack(denorm(data), epsilon, data_grad)
        final_pred = model(normalize(perturbed_data)).max(1, keepdim=True)[1]
        correct += final_pred.item() == target.item()
        if len(adv_examples) < 3:
            adv_ex = perturbed_data.squeeze().detach().cpu().numpy()
            adv_examples.append((init_pred.item(), final_pred.item(), adv_ex))
    print(f"Epsilon: {epsilon}\tTest Accuracy = {correct} / {N} = {correct / float(N)}")
    return adv_examples

for eps in epsilons:
    examples = test(model, device, test_loader, eps)
    print([example[:2] for example in examples], examples[0][2].shape, examples[0][2].sum())
"""

#: the note's "Hooks for saved tensors" (docs/source/notes/autograd.rst): a SavedTensor's own hooks,
#: then default hooks that keep the saved tensors in files which delete themselves
SAVED_TENSOR_HOOKS_NOTE = """
import os
import tempfile
import uuid
import torch

def pack_hook(x):
    print("Packing", x)
    return x

def unpack_hook(x):
    print("Unpacking", x)
    return x

x = torch.randn(5, requires_grad=True)
y = x.pow(2)
y.grad_fn._raw_saved_self.register_hooks(pack_hook, unpack_hook)
print(y.grad_fn._saved_self)
y.sum().backward()
print(x.grad)

tmp_dir_obj = tempfile.TemporaryDirectory()
tmp_dir = tmp_dir_obj.name

class SelfDeletingTempFile():
    def __init__(self):
        self.name = os.path.join(tmp_dir, str(uuid.uuid4()))

    def __del__(self):
        os.remove(self.name)

def pack_hook(tensor):
    temp_file = SelfDeletingTempFile()
    torch.save(tensor, temp_file.name)
    return temp_file

def unpack_hook(temp_file):
    return torch.load(temp_file.name)

x = torch.randn(5, requires_grad=True)
w = torch.randn(5, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
    y = (x * w).exp()
print(len(os.listdir(tmp_dir)))
y.sum().backward()
print(x.grad, w.grad)
del y
print(len(os.listdir(tmp_dir)))

SAVE_ON_DISK_THRESHOLD = 1000

def pack_hook(x):
    if x.numel() < SAVE_ON_DISK_THRESHOLD:
        return x.detach()
    temp_file = SelfDeletingTempFile()
    torch.save(x, temp_file.name)
    return temp_file

def unpack_hook(tensor_or_sctf):
    if isinstance(tensor_or_sctf, torch.Tensor):
        return tensor_or_sctf
    return torch.load(tensor_or_sctf.name)

x = torch.randn(40, 30, requires_grad=True)
w = torch.randn(30, 2, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
    y = (x @ w).tanh()
print(len(os.listdir(tmp_dir)))
y.sum().backward()
print(x.grad.sum(), w.grad)
del y
print(len(os.listdir(tmp_dir)))

message = "saved tensors default hooks are disabled"
with torch.autograd.graph.disable_saved_tensors_hooks(message):
    try:
        with torch.autograd.graph.save_on_cpu():
            pass
    except RuntimeError as e:
        print(str(e) == message)
"""

#: PyTorch's tutorial "Hooks for autograd saved tensors" (intermediate_source/
#: autograd_saved_tensors_hooks_tutorial.py) without its GPU and memory-measuring parts
SAVED_TENSOR_HOOKS_TUTORIAL = """
import os
import tempfile
import uuid
import torch
import torch.nn as nn

a = torch.randn(5, requires_grad=True)
b = torch.ones(5, requires_grad=True)
y = a * b
print(y.grad_fn._saved_self)
print(y.grad_fn._saved_other)
print(y.grad_fn._saved_self is a)
print(y.grad_fn._saved_other is b)

def f(x):
    return x * x

x = torch.randn(5, requires_grad=True)
y = f(f(f(x)))
print(y.grad_fn._saved_self.equal(f(f(x))))

a = torch.randn(5, requires_grad=True)
y = torch.exp(a)
print(y.grad_fn._saved_result.equal(y))
print(y.grad_fn._saved_result is y)

def pack_hook(x):
    print("Packing", x)
    return x

def unpack_hook(x):
    print("Unpacking", x)
    return x

a = torch.ones(5, requires_grad=True)
b = torch.ones(5, requires_grad=True) * 2
with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
    y = a * b
y.sum().backward()
print(a.grad)

x = torch.randn(5, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(lambda x: x * 4, lambda x: x / 4):
    y = torch.pow(x, 2)
y.sum().backward()
print(x.grad.equal(2 * x))

storage = []

def pack(x):
    storage.append(x)
    return len(storage) - 1

def unpack(x):
    return storage[x]

x = torch.randn(5, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
    y = x * x
y.sum().backward()
print(len(storage), x.grad.equal(2 * x))

def pack(x):
    delta = torch.randn(*x.size())
    return x - delta, lambda x: x + delta

def unpack(packed):
    x, f = packed
    return f(x)

x = torch.randn(5, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
    y = x * x
y.sum().backward()
print(torch.allclose(x.grad, 2 * x))

x = torch.randn(5, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(lambda x: repr(x), lambda x: eval("torch." + x)):
    y = x * x
y.sum().backward()
print(bool(torch.all(x.grad - 2 * x <= 1e-4)))

def pack_hook(x):
    return (x.device, x.cpu())

def unpack_hook(packed):
    device, tensor = packed
    return tensor.to(device)

x = torch.randn(5, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
    y = x * x
y.sum().backward()
print(torch.allclose(x.grad, (2 * x)))

class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(5))

    def forward(self, x):
        with torch.autograd.graph.save_on_cpu(pin_memory=True):
            return self.w * x

x = torch.randn(5)
model = Model()
loss = model(x).sum()
loss.backward()
print(model.w.grad)

class SaveToCpu(nn.Module):
    def __init__(self, module):
        super().__init__()
        self.module = module

    def forward(self, *args, **kwargs):
        with torch.autograd.graph.save_on_cpu(pin_memory=True):
            return self.module(*args, **kwargs)

model = nn.Sequential(
    nn.Linear(10, 100),
    SaveToCpu(nn.Linear(100, 100)),
    nn.Linear(100, 10),
)
x = torch.randn(10)
loss = model(x).sum()
loss.backward()
print(loss, model[1].module.weight.grad.sum(), model[0].bias.grad[:4])

tmp_dir_obj = tempfile.TemporaryDirectory()
tmp_dir = tmp_dir_obj.name

def pack_hook(tensor):
    name = os.path.join(tmp_dir, str(uuid.uuid4()))
    torch.save(tensor, name)
    return name

def unpack_hook(name):
    tensor = torch.load(name)
    os.remove(name)
    return tensor

x = torch.ones(5, requires_grad=True)
with torch.autograd.graph.saved_tensors_hooks(pack_hook, unpack_hook):
    y = x.pow(2)
print(y.grad_fn._saved_self)
try:
    print(y.grad_fn._saved_self)
    print("Double access succeeded!", True)
except:
    print("Double access failed!", False)

x = torch.randn(5, requires_grad=True)
y = x.pow(2)
y.grad_fn._raw_saved_self.register_hooks(lambda x: x * 2, lambda x: x)
print(y.grad_fn._saved_self.equal(2 * x))
y.sum().backward()
print(x.grad.equal(4 * x))
"""

PROGRAMS = {
    "DEFINING_A_NEURAL_NETWORK": DEFINING_A_NEURAL_NETWORK,
    "ZEROING_OUT_GRADIENTS": ZEROING_OUT_GRADIENTS,
    "WHAT_IS_A_STATE_DICT": WHAT_IS_A_STATE_DICT,
    "SAVING_AND_LOADING": SAVING_AND_LOADING,
    "WARMSTARTING": WARMSTARTING,
    "AUTOGRAD_MECHANICS": AUTOGRAD_MECHANICS,
    "TRANSFER_LEARNING": TRANSFER_LEARNING,
    "FGSM": FGSM,
    "SAVED_TENSOR_HOOKS_NOTE": SAVED_TENSOR_HOOKS_NOTE,
    "SAVED_TENSOR_HOOKS_TUTORIAL": SAVED_TENSOR_HOOKS_TUTORIAL,
}

#: What the pages write and this library refuses, by program: (the line as the page writes it, what
#: runs here instead, why, the error the line raises here). The line itself is run in ``REFUSED_RUNS``.
REFUSED: dict[str, list[tuple[str, str, str, str]]] = {
    "SAVED_TENSOR_HOOKS_TUTORIAL": [
        (
            'with torch.autograd.graph.saved_tensors_hooks(lambda x: repr(x), lambda x: eval("torch." + x)):',
            "with torch.autograd.graph.saved_tensors_hooks(\n"
            "    lambda x: repr(x),\n"
            '    lambda x: eval("torch." + x, {"torch": torch, "float64": torch.float64}),\n'
            "):",
            "a Tensor's repr here is Tensor([...], dtype=float64): numpy's dtype name, unqualified",
            r"NameError: name 'float64' is not defined",
        ),
    ],
    "FGSM": [
        (
            "        data_grad = data.grad.data",
            "        data_grad = data.grad",
            "t.data is the numpy array here (torch: a Tensor), a documented difference",
            r"AttributeError: 'numpy.ndarray' object has no attribute 'sign'",
        ),
    ],
}

#: the refused lines of pages not in ``PROGRAMS`` (with the code that sets them up), and the error
REFUSED_RUNS = {
    "a whole module pickled (saving_and_loading_models_for_inference)": (
        IMPORTS + NET + 'net = Net()\ntorch.save(net, "entire_model.pt")\n',
        r"TypeError: obj: expected a Tensor, .* got __tutorial__.Net \(save its state_dict\(\) instead\)",
    ),
}


#: What torch prints and this library does not, by program: text left out of torch's printout
#: before the comparison (each must be there once). The optimizers' param_groups here hold no
#: flags of torch's kernels (``foreach``, ``differentiable``, ``fused``: one implementation here).
TORCH_ONLY = {"WHAT_IS_A_STATE_DICT": "'foreach': None, 'differentiable': False, 'fused': None, "}


def edited(name: str) -> str:
    """The program for this library: its imports rewritten and the ``REFUSED`` lines replaced."""
    code = ours(PROGRAMS[name])
    for line, instead, _, _ in REFUSED.get(name, []):
        assert code.count(f"\n{line}\n") == 1, line
        code = code.replace(line, instead)
    return code


def both(name: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """What the program printed on PyTorch (as written) and here (``edited``)."""
    theirs, _ = run_page(PROGRAMS[name], torch, tmp_path, monkeypatch)
    mine, _ = run_page(edited(name), autograd, tmp_path, monkeypatch)
    return mine, theirs


#: Whole lines each program prints, on both sides, as torch prints them: ``load_state_dict``'s result
#: (``<All keys matched successfully>``, or a ``strict=False`` load's ``_IncompatibleKeys``), the
#: error class of a strict load with other keys, and gradients after ``zero_grad()`` (None).
LINES = {
    "WARMSTARTING": [
        "_IncompatibleKeys(missing_keys=['head.weight', 'head.bias'], "
        "unexpected_keys=['fc3.weight', 'fc3.bias'])",
        "<All keys matched successfully>",
        "RuntimeError",
    ],
    "SAVING_AND_LOADING": ["<All keys matched successfully>"] * 7,
    "ZEROING_OUT_GRADIENTS": ["[None, None]", "Finished Training"],
    "TRANSFER_LEARNING": ["Epoch 0/1", "Epoch 1/1", "Epoch 0/0"],
}


@pytest.mark.filterwarnings("ignore:dropout2d. Received a 2-D input")
@pytest.mark.parametrize("name", list(PROGRAMS))
def test_the_recipe_runs_and_prints_torchs_numbers(name: str, tmp_path: Any, monkeypatch: Any) -> None:
    mine, theirs = both(name, tmp_path, monkeypatch)
    if name in TORCH_ONLY:
        assert sum(line.count(TORCH_ONLY[name]) for line in theirs) == 1
        theirs = [line.replace(TORCH_ONLY[name], "") for line in theirs]
    same_printout(mine, theirs)
    assert len(mine) == len(theirs) > 4
    for line in set(LINES.get(name, [])):
        assert mine.count(line) == theirs.count(line) == LINES[name].count(line), line
    losses = [float(x) for x in re.findall(r"\] loss: ([\d.]+)", "\n".join(mine))]
    assert len(losses) == (4 if name == "ZEROING_OUT_GRADIENTS" else 0)


@pytest.mark.parametrize(("name", "k"), [(n, k) for n, lines in REFUSED.items() for k in range(len(lines))])
def test_a_line_this_library_refuses_raises(name: str, k: int, tmp_path: Any, monkeypatch: Any) -> None:
    assert k == 0 and len(REFUSED[name]) == 1  # (the program as written stops at its refused line)
    with pytest.raises(Exception) as info:
        run_page(ours(PROGRAMS[name]), autograd, tmp_path, monkeypatch)
    assert re.search(REFUSED[name][k][3], f"{type(info.value).__name__}: {info.value}")


@pytest.mark.parametrize("what", list(REFUSED_RUNS))
def test_what_the_pages_do_and_this_library_lacks(what: str, tmp_path: Any, monkeypatch: Any) -> None:
    code, error = REFUSED_RUNS[what]
    with pytest.raises(Exception) as info:
        run_page(ours(code), autograd, tmp_path, monkeypatch)
    assert re.search(error, f"{type(info.value).__name__}: {info.value}")


def test_load_with_mmap_as_torchs(tmp_path: Any) -> None:
    """``torch.load(path, mmap=True)`` (the checkpoint tips' recipe) loads; ``mmap=True`` on a file
    object is torch's ValueError, ``mmap=False`` on one loads."""
    for lib in (torch, autograd):
        path = tmp_path / f"{lib.__name__}.pt"
        lib.save({"w": lib.arange(3.0)}, path)
        assert lib.load(path, mmap=True)["w"].tolist() == [0.0, 1.0, 2.0]
        with open(path, "rb") as f:
            assert lib.load(f, mmap=False)["w"].tolist() == [0.0, 1.0, 2.0]
        with open(path, "rb") as f, pytest.raises(ValueError, match="^f must be a file path in order to"):
            lib.load(f, mmap=True)
