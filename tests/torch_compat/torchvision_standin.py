"""The test's stand-ins for what PyTorch's beginner tutorials take from torchvision (and pandas),
for ``test_tutorial_pages.py``: substitutions of the test, not part of the library.

``modules(lib)`` builds modules named ``torchvision``, ``torchvision.datasets``,
``torchvision.transforms``, ``torchvision.utils``, ``torchvision.io``, ``torchvision.models``,
``pandas`` and a TensorBoard writer, whose tensors and modules are ``lib``'s (PyTorch or this
library), with only what the pages call:

- ``datasets.FashionMNIST`` / ``datasets.CIFAR10``: small synthetic sets in place of the downloads
  (``SIZES``), uint8 images (28×28, 32×32×3) made by numpy from a fixed seed, whose class sets a
  bright band, so a model can learn them; ``transform``/``target_transform`` applied as
  torchvision's.
- ``transforms.ToTensor`` (uint8 H×W[×C] → float32 C×H×W in [0, 1], as torchvision's),
  ``Normalize``, ``Compose``, ``Lambda``; ``utils.make_grid`` (torchvision's layout: 8 to a row,
  2 pixels of padding, 0 between); ``io.read_image`` (a PNG read by PIL).
- ``models.resnet18`` / ``models.vgg16``: small networks of the same kind (convolutions,
  batch norms, ``ReLU(inplace=True)``, a residual ``out += identity``, dropout, ``fc`` of 512
  inputs, 1000 classes) built by ``lib.nn``; ``weights=`` gives their random initialisation (no
  download). Their classes are module-level names here, so ``torch.save(model)`` can pickle them.
- ``pandas``: a module whose ``read_csv`` raises (the Datasets page defines a class that would
  call it but never makes one).
- ``torch.utils.tensorboard`` (on torch's side: the tensorboard package is not installed) and
  ``summary_writer`` (what this library's side imports instead): a ``SummaryWriter`` that keeps the
  scalars it is given.
"""

from __future__ import annotations

import importlib.machinery
import sys
import types
from typing import Any

import numpy as np

SIZES = {"FashionMNIST": (64, 30), "CIFAR10": (40, 20)}  # (train, test) images


def _images(shape: tuple[int, ...], n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` uint8 images of ``shape`` (H, W[, C]) and labels 0..9, each label as often (n/10 times,
    in a random order): label k brightens rows 2k..2k+3."""
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n) % 10)
    x = rng.integers(0, 128, (n, *shape))
    for i, k in enumerate(labels):
        x[i, 2 * k : 2 * k + 4] += 127
    return x.astype(np.uint8), labels


def modules(lib: Any) -> dict[str, types.ModuleType]:
    """The stand-in modules (by their import names) for the library ``lib``."""
    name = lib.__name__
    nn = lib.nn

    class _VisionDataset:
        shape: tuple[int, ...] = ()
        classes: list[str] = []

        def __init__(self, root: str, train: bool = True, download: bool = False, transform: Any = None,
                     target_transform: Any = None) -> None:  # fmt: skip
            n = SIZES[type(self).__name__][0 if train else 1]
            self.data, targets = _images(self.shape, n, seed=0 if train else 1)
            self.targets = [int(t) for t in targets]
            self.root, self.train = root, train
            self.transform, self.target_transform = transform, target_transform

        def __len__(self) -> int:
            return len(self.data)

        def __getitem__(self, index: int) -> tuple[Any, Any]:
            img, target = self.data[index], self.targets[index]
            if self.transform is not None:
                img = self.transform(img)
            if self.target_transform is not None:
                target = self.target_transform(target)
            return img, target

    class FashionMNIST(_VisionDataset):
        shape = (28, 28)
        classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
                   "Bag", "Ankle boot"]  # fmt: skip

    class CIFAR10(_VisionDataset):
        shape = (32, 32, 3)
        classes = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]

    class ToTensor:
        def __call__(self, pic: np.ndarray) -> Any:
            chw = pic[None] if pic.ndim == 2 else pic.transpose(2, 0, 1)
            return lib.from_numpy(np.ascontiguousarray(chw, dtype=np.float32) / np.float32(255))

    class Normalize:
        def __init__(self, mean: Any, std: Any) -> None:
            self.mean, self.std = mean, std

        def __call__(self, tensor: Any) -> Any:
            mean = lib.tensor(self.mean, dtype=tensor.dtype).view(-1, 1, 1)
            std = lib.tensor(self.std, dtype=tensor.dtype).view(-1, 1, 1)
            return (tensor - mean) / std

    class Compose:
        def __init__(self, transforms: list[Any]) -> None:
            self.transforms = transforms

        def __call__(self, img: Any) -> Any:
            for t in self.transforms:
                img = t(img)
            return img

    class Lambda:
        def __init__(self, lambd: Any) -> None:
            self.lambd = lambd

        def __call__(self, img: Any) -> Any:
            return self.lambd(img)

    def make_grid(tensor: Any, nrow: int = 8, padding: int = 2, pad_value: float = 0.0) -> Any:
        batch = tensor.numpy()
        n, c, h, w = batch.shape
        cols = min(nrow, n)
        rows = -(-n // cols)
        grid = np.full((c, rows * (h + padding) + padding, cols * (w + padding) + padding), pad_value,
                       dtype=batch.dtype)  # fmt: skip
        for k in range(n):
            top, left = (k // cols) * (h + padding) + padding, (k % cols) * (w + padding) + padding
            grid[:, top : top + h, left : left + w] = batch[k]
        return lib.from_numpy(grid)

    def read_image(path: str) -> Any:
        from PIL import Image

        pixels = np.asarray(Image.open(path))
        chw = pixels[None] if pixels.ndim == 2 else pixels.transpose(2, 0, 1)
        return lib.from_numpy(np.ascontiguousarray(chw))

    class BasicBlock(nn.Module):
        def __init__(self, channels: int) -> None:
            super().__init__()
            self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
            self.bn1 = nn.BatchNorm2d(channels)
            self.relu = nn.ReLU(inplace=True)
            self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
            self.bn2 = nn.BatchNorm2d(channels)

        def forward(self, x: Any) -> Any:
            identity = x
            out = self.conv1(x)
            out = self.bn1(out)
            out = self.relu(out)
            out = self.conv2(out)
            out = self.bn2(out)
            out += identity
            out = self.relu(out)
            return out

    class ResNet(nn.Module):
        def __init__(self, num_classes: int = 1000) -> None:
            super().__init__()
            self.conv1 = nn.Conv2d(3, 8, kernel_size=7, stride=2, padding=3, bias=False)
            self.bn1 = nn.BatchNorm2d(8)
            self.relu = nn.ReLU(inplace=True)
            self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
            self.layer1 = nn.Sequential(BasicBlock(8))
            self.layer4 = nn.Sequential(nn.Conv2d(8, 512, 1, stride=2, bias=False), nn.BatchNorm2d(512))
            self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
            self.fc = nn.Linear(512, num_classes)

        def forward(self, x: Any) -> Any:
            x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
            x = self.layer4(self.layer1(x))
            return self.fc(lib.flatten(self.avgpool(x), 1))

    class VGG(nn.Module):
        def __init__(self, num_classes: int = 1000) -> None:
            super().__init__()
            self.features = nn.Sequential(
                nn.Conv2d(3, 8, kernel_size=3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(2, 2),
                nn.Conv2d(8, 16, kernel_size=3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(2, 2),
            )  # fmt: skip
            self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
            self.classifier = nn.Sequential(
                nn.Linear(16 * 7 * 7, 64), nn.ReLU(True), nn.Dropout(),
                nn.Linear(64, 64), nn.ReLU(True), nn.Dropout(),
                nn.Linear(64, num_classes),
            )  # fmt: skip

        def forward(self, x: Any) -> Any:
            x = self.avgpool(self.features(x))
            return self.classifier(lib.flatten(x, 1))

    class ResNet18_Weights:  # noqa: N801 (torchvision's name)
        DEFAULT = IMAGENET1K_V1 = "IMAGENET1K_V1"

    def resnet18(weights: Any = None) -> Any:
        return ResNet()

    def vgg16(weights: Any = None) -> Any:
        return VGG()

    for cls in (BasicBlock, ResNet, VGG):  # (pickled by name: torch.save(model))
        cls.__qualname__ = cls.__name__ = f"{cls.__name__}_{name}"
        cls.__module__ = __name__
        setattr(sys.modules[__name__], cls.__name__, cls)

    class SummaryWriter:
        def __init__(self, log_dir: str | None = None) -> None:
            self.log_dir, self.scalars = log_dir, []

        def add_scalar(self, tag: str, value: Any, step: int) -> None:
            self.scalars.append((tag, float(value), step))

        def add_scalars(self, tag: str, values: dict[str, Any], step: int) -> None:
            self.scalars += [(f"{tag}/{k}", float(v), step) for k, v in values.items()]

        def flush(self) -> None:
            pass

    def read_csv(*args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("the tutorial test's pandas stand-in has no read_csv")

    found: dict[str, types.ModuleType] = {}
    for module_name, members in {
        "torchvision.datasets": {"FashionMNIST": FashionMNIST, "CIFAR10": CIFAR10},
        "torchvision.transforms": {"ToTensor": ToTensor, "Normalize": Normalize, "Compose": Compose,
                                   "Lambda": Lambda},
        "torchvision.utils": {"make_grid": make_grid},
        "torchvision.io": {"read_image": read_image},
        "torchvision.models": {"resnet18": resnet18, "vgg16": vgg16, "ResNet18_Weights": ResNet18_Weights},
        "pandas": {"read_csv": read_csv},
        "summary_writer": {"SummaryWriter": SummaryWriter},
        **({"torch.utils.tensorboard": {"SummaryWriter": SummaryWriter}} if name == "torch" else {}),
    }.items():  # fmt: skip
        module = types.ModuleType(module_name, f"The tutorial test's stand-in for {module_name}.")
        module.__dict__.update(members)
        module.__spec__ = importlib.machinery.ModuleSpec(module_name, None)  # (torch._dynamo looks)
        found[module_name] = module
    vision = types.ModuleType("torchvision", "The tutorial test's stand-in for torchvision.")
    for module_name in list(found):
        if module_name.startswith("torchvision."):
            setattr(vision, module_name.split(".")[1], found[module_name])
    vision.__spec__ = importlib.machinery.ModuleSpec("torchvision", None, is_package=True)
    found["torchvision"] = vision
    return found
