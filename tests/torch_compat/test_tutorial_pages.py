"""PyTorch's beginner tutorial pages run as written, with only their import lines changed: "Learn
the Basics" (all eight pages), the 60 Minute Blitz (tensors, autograd, the CIFAR10 classifier) and
"Introduction to PyTorch" (the YouTube series), their code kept as text in ``tutorial_pages.py``.

Each page runs twice, in a fresh namespace and a temporary directory (the pages write
``model.pth``): as torch code on PyTorch, and with its import lines rewritten (``import torch`` →
``import autograd as torch``, ``from torch.x import y`` → ``from autograd.x import y``, ...; the
rewrite asserts that no other line changed). Both runs start from ``manual_seed(0)``, and this
library draws torch's numbers, so the pages' random tensors, initial weights and shuffles are
the same on both sides, and what the pages print is compared number by number: every number and
``True``/``False`` in the printed text, in order, to its last printed digit (and 1e-5 relative:
this library computes in float64 where torch's default is float32), with a summarised tensor
(``...``) on either side matching any run of numbers. Losses and accuracies too: training is the same
arithmetic on the same numbers.

What the test supplies (see ``torchvision_standin.py``): torchvision's datasets (FashionMNIST,
CIFAR10: small synthetic sets), transforms, ``make_grid``, ``read_image`` and models (resnet18,
vgg16: small networks of the same kind, no pretrained weights), and a pandas without
``read_csv``; matplotlib draws with the Agg backend (``plt.show()`` shows nothing). Nothing else
on a page is changed; the lines this library refuses are listed in ``EDITS``, with the reason and
the error it gives, and what runs in their place.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import torchvision_standin
import tutorial_pages as pages

import autograd

torch = pytest.importorskip("torch")
matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (after the backend is chosen)

torch.set_num_threads(1)  # (small models: torch's threads only wait on a loaded machine)

#: The lines this library refuses, by page: (the line as written, what runs here instead, why, the
#: library's error). Each refusal is checked: the page's code up to that line raises that error.
_DTYPES = "tensors hold float32, float64, int64 or bool here"
EDITS: dict[str, list[tuple[str, str, str, str]]] = {
    "SAVE_LOAD": [
        (
            "torch.save(model, 'model.pth')",
            "pass",
            "a whole module is pickled by torch.save; autograd.save stores data only (no pickle: safe to "
            "load from strangers), so the state_dict lines of the page are the way here",
            r"TypeError: obj: expected a Tensor, .* got torchvision_standin.VGG_autograd \(save its "
            r"state_dict\(\) instead\)",
        ),
        ("model = torch.load('model.pth', weights_only=False)", "pass", "(the file above)", ""),
    ],
    "BLITZ_AUTOGRAD_EARLIER": [
        (
            "while y.data.norm() < 1000:",
            "while y.detach().norm() < 1000:",
            "t.data is the numpy array here (torch: a Tensor), a documented difference",
            "AttributeError: 'numpy.ndarray' object has no attribute 'norm'",
        ),
    ],
    "INTROYT": [
        (
            "i = torch.ones((5, 3), dtype=torch.int16)",
            "i = torch.ones((5, 3), dtype=torch.int64)",
            _DTYPES,
            "AttributeError: module 'autograd' has no attribute 'int16': use autograd.int64",
        ),
    ],
    "INTROYT_TENSORS": [
        (
            "a = torch.ones((2, 3), dtype=torch.int16)",
            "a = torch.ones((2, 3), dtype=torch.int64)",
            _DTYPES,
            "AttributeError: module 'autograd' has no attribute 'int16': use autograd.int64",
        ),
        (
            "c = b.to(torch.int32)",
            "c = b.to(torch.int64)",
            _DTYPES,
            "AttributeError: module 'autograd' has no attribute 'int32': use autograd.int64",
        ),
    ],
    "INTROYT_AUTOGRAD": [
        (
            "with torch.autograd.profiler.profile(use_cuda=run_on_gpu) as prf:",
            "if True:",
            "the autograd profiler (per-operation timings) is not part of this library; the block runs",
            "AttributeError: module 'autograd.autograd' has no attribute 'profiler'",
        ),
        ("print(prf.key_averages().table(sort_by='self_cpu_time_total'))", "pass", "(its table)", ""),
        (
            "while y.data.norm() < 1000:",
            "while y.detach().norm() < 1000:",
            "t.data is the numpy array here (torch: a Tensor), a documented difference",
            "AttributeError: 'numpy.ndarray' object has no attribute 'norm'",
        ),
        (
            "    while y.data.norm() < 1000:",
            "    while y.detach().norm() < 1000:",
            "(the same, in do_some_doubling)",
            "",
        ),
    ],
    "INTROYT_TRAINING": [
        (
            "from autograd.utils.tensorboard import SummaryWriter",
            "from summary_writer import SummaryWriter",
            "TensorBoard logging is not part of this library (the test's writer keeps the scalars)",
            "ModuleNotFoundError: No module named 'autograd.utils.tensorboard'",
        ),
    ],
}

#: What torch prints and this library does not (an ``EDITS`` line's output), left out of the
#: comparison: by page, the first and the last line of the block (regular expressions).
TORCH_ONLY = {"INTROYT_AUTOGRAD": (r"^-{5,} +-{5,}", r"^Self CPU time total")}



def ours(code: str) -> str:
    """``code`` with its import lines, and only those, importing this library in place of torch."""
    changed = []
    for line in code.split("\n"):
        whole = re.match(r"^(\s*)import torch(\s*(#.*)?)$", line)
        if whole:
            line = f"{whole[1]}import autograd as torch{whole[2]}"
        else:
            line = re.sub(r"^(\s*)from torch((\.\w+)*) import ", r"\1from autograd\2 import ", line)
            line = re.sub(r"^(\s*)import torch((\.\w+)+) as ", r"\1import autograd\2 as ", line)
        changed.append(line)
    assert all(
        a == b or re.match(r"\s*(import|from) ", a)
        for a, b in zip(code.split("\n"), changed, strict=True)
    )
    return "\n".join(changed)


def run_page(code: str, lib: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], dict]:
    """Run ``code`` with the stand-ins for ``lib``; what it printed (lines) and its namespace."""
    with monkeypatch.context() as patch:
        for name, module in torchvision_standin.modules(lib).items():
            patch.setitem(sys.modules, name, module)
        folder = tmp_path / lib.__name__
        folder.mkdir()
        patch.chdir(folder)
        printed: list[str] = []
        namespace: dict[str, Any] = {
            "__name__": "__tutorial__",
            "print": lambda *args, **kwargs: printed.append(" ".join(str(a) for a in args)),
        }
        lib.manual_seed(0)
        try:
            exec(compile(code, "<tutorial page>", "exec"), namespace)
        finally:
            plt.close("all")
    return "\n".join(printed).split("\n"), namespace


def edited(page: str, upto: int | None = None) -> str:
    """The page's code for this library: imports rewritten and ``EDITS`` applied (the first ``upto``
    of them; then the code up to the next edit's line and its block, that line kept as written)."""
    code = ours(getattr(pages, page))
    for k, (line, instead, _, _) in enumerate(EDITS.get(page, [])):
        assert code.count(f"\n{line}\n") == 1, line  # (a whole line, indentation included)
        at = code.index(f"\n{line}\n") + 1
        if upto is not None and k == upto:  # (to the end of the line's block: the next empty line)
            return code[: code.find("\n\n", at)]
        code = code[:at] + instead + code[at + len(line) :]
    return code


def both(page: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[tuple, tuple]:
    """``run_page`` on PyTorch (the page as written; ``torch.empty`` and ``empty_like`` give zeros,
    as this library's do, in place of whatever the memory held), then on this library (``edited``)."""
    with monkeypatch.context() as patch:  # (torch's empty tensors: zeros, as this library's)
        patch.setattr(torch, "empty", torch.zeros)
        patch.setattr(torch, "empty_like", torch.zeros_like)
        theirs = run_page(getattr(pages, page), torch, tmp_path, monkeypatch)
    return theirs, run_page(edited(page), autograd, tmp_path, monkeypatch)


_DECORATION = re.compile(
    r"0x[0-9a-f]+|requires_grad=True|(torch\.)?(float|int|uint|bfloat|complex)(8|16|32|64|128)\b"
    r"|torch\.(long|double|float)\b"
)
_TOKEN = re.compile(r"(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|\b(?:nan|inf|True|False)\b|\.\.\.")


class Number(float):
    """A printed number and ``step``, the unit of its last printed digit (0.0001 for ``0.1234``)."""

    step: float


def _number(word: str) -> Number:
    mantissa, _, exponent = word.partition("e")
    digits = len(mantissa.partition(".")[2])
    n = Number(word)
    n.step = 10.0 ** (int(exponent or 0) - digits)
    return n


def tokens(lines: list[str]) -> list[Any]:
    """The numbers (``Number``), ``True``/``False`` and ``...`` in printed lines, in order (dtype
    names and object addresses left out)."""
    found: list[Any] = []
    for word in _TOKEN.findall(_DECORATION.sub(" ", "\n".join(lines))):
        found.append(word if word in ("True", "False", "...") else _number(word))
    return found


def _agree(a: Any, b: Any) -> bool:
    """Equal strings; or numbers equal to the coarser one's last printed digit (each side rounds
    once: 1.5 units) and float32's rounding (torch computes in float32, this library in float64:
    1e-5 relative, 1e-6 absolute, as sin(2π) is -2.4e-16 here and 1.7e-7 in torch)."""
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    atol = max(1.5 * a.step, 1.5 * b.step, 1e-6)
    return bool(np.isclose(a, b, rtol=1e-5, atol=atol, equal_nan=True))


def same_printout(mine: list[str], theirs: list[str]) -> None:
    """Assert the printed tokens agree in order; ``...`` on one side matches any numbers on the other."""
    a, b = tokens(mine), tokens(theirs)
    memo: dict[tuple[int, int], bool] = {}
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4 * (len(a) + len(b)) + 100))

    def match(i: int, j: int) -> bool:
        if (i, j) not in memo:
            if i == len(a) or j == len(b):
                rest = a[i:] + b[j:]
                memo[i, j] = all(t == "..." for t in rest)
            elif a[i] == "...":
                memo[i, j] = match(i + 1, j) or (not isinstance(b[j], str) and match(i, j + 1))
            elif b[j] == "...":
                memo[i, j] = match(i, j + 1) or (not isinstance(a[i], str) and match(i + 1, j))
            else:
                memo[i, j] = _agree(a[i], b[j]) and match(i + 1, j + 1)
        return memo[i, j]

    if not match(0, 0):
        k = next((k for k, (x, y) in enumerate(zip(a, b)) if "..." in (x, y) or not _agree(x, y)), 0)
        raise AssertionError(
            f"the printed numbers part at token {k}: ours {a[k : k + 8]}, torch's {b[k : k + 8]}\n"
            f"ours:\n" + "\n".join(mine) + "\n\ntorch's:\n" + "\n".join(theirs)
        )


@pytest.fixture(autouse=True)
def _default_device_back() -> Iterator[None]:
    yield
    autograd.set_default_device("cpu")


PAGES = [
    "QUICKSTART", "TENSORS", "DATA", "TRANSFORMS", "BUILD_MODEL", "AUTOGRAD_QS", "OPTIMIZATION", "SAVE_LOAD",
    "BLITZ_TENSORS", "BLITZ_AUTOGRAD", "BLITZ_AUTOGRAD_EARLIER", "CIFAR10",
    "INTROYT", "INTROYT_TENSORS", "INTROYT_AUTOGRAD", "INTROYT_MODELS", "INTROYT_TRAINING",
]  # fmt: skip


@pytest.mark.parametrize("page", PAGES)
def test_the_page_runs_and_prints_torchs_numbers(page: str, tmp_path: Any, monkeypatch: Any) -> None:
    (theirs, _), (mine, _) = both(page, tmp_path, monkeypatch)
    if page in TORCH_ONLY:
        first, last = TORCH_ONLY[page]
        start = next(i for i, line in enumerate(theirs) if re.match(first, line))
        end = next(i for i, line in enumerate(theirs) if i > start and re.match(last, line))
        theirs = theirs[:start] + theirs[end + 1 :]
    same_printout(mine, theirs)
    test_losses = [float(x) for x in re.findall(r"Avg loss: +([\d.]+)", "\n".join(mine))]
    assert all(b < a for a, b in zip(test_losses, test_losses[1:])), test_losses  # (the loss falls)
    assert len(test_losses) == {"QUICKSTART": 5, "OPTIMIZATION": 10}.get(page, 0)


@pytest.mark.parametrize(
    ("page", "k"), [(page, k) for page, edits in EDITS.items() for k, edit in enumerate(edits) if edit[3]]
)
def test_a_line_this_library_refuses_says_why(page: str, k: int, tmp_path: Any, monkeypatch: Any) -> None:
    with pytest.raises(Exception) as info:
        run_page(edited(page, upto=k), autograd, tmp_path, monkeypatch)
    assert re.search(EDITS[page][k][3], f"{type(info.value).__name__}: {info.value}")


def test_the_transforms_pages_one_hot_targets_are_torchs(tmp_path: Any, monkeypatch: Any) -> None:
    """The Transforms page builds its dataset and ``target_transform`` without calling them: here they
    are called (``scatter_`` with a 0-d index and ``value=``)."""
    (_, theirs), (_, mine) = both("TRANSFORMS", tmp_path, monkeypatch)
    for ns in (mine, theirs):
        image, one_hot = ns["ds"][3]
        assert tuple(image.shape) == (1, 28, 28) and str(image.dtype).endswith("float32")
        label = ns["ds"].targets[3]
        assert one_hot.tolist() == [float(k == label) for k in range(10)]
        assert ns["target_transform"](7).tolist() == [float(k == 7) for k in range(10)]
        assert str(one_hot.dtype).endswith("float32")  # (torch.float is float32 here too)
