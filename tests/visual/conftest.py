"""Fixtures for the drawing, trace and example tests: the 2-2-1 network of the teaching
notes (built by ``examples/backprop_221.py``), its PyTorch reference, and ways to run
with and without Graphviz's ``dot``."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import chromium
import pytest
from example_loader import load_example

ROOT = Path(__file__).resolve().parents[2]
# The network of the notes, written out here independently of the example.
WEIGHTS = {
    "w11": 0.2,
    "w21": 0.4,
    "b1": 0.1,
    "w12": 0.3,
    "w22": 0.1,
    "b2": 0.2,
    "w13": 0.7,
    "w23": 0.5,
    "b3": 0.3,
}


@pytest.fixture(scope="session")
def example_loader() -> Callable[[str], ModuleType]:
    return load_example


@pytest.fixture(scope="session")
def weights221() -> dict[str, float]:
    return dict(WEIGHTS)


@pytest.fixture(scope="session")
def ex221() -> ModuleType:
    return load_example("backprop_221")


@pytest.fixture(scope="session")
def ex_single() -> ModuleType:
    return load_example("single_neuron")


@pytest.fixture
def net221(ex221: ModuleType) -> tuple[dict[str, Any], dict[str, Any]]:
    """Fresh (parameters, named nodes) of the 2-2-1 network after ``backward``."""
    p = ex221.parameters()
    n = ex221.forward(p)
    n["L"].backward()
    return p, n


@pytest.fixture(scope="session")
def torch221() -> dict[str, float]:
    """Values and gradients of the 2-2-1 network computed by PyTorch in float64."""
    torch = pytest.importorskip("torch")
    w = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in WEIGHTS.items()}
    x1, x2 = 1.0, 0.0
    z1 = w["w11"] * x1 + w["w21"] * x2 + w["b1"]
    z2 = w["w12"] * x1 + w["w22"] * x2 + w["b2"]
    a1, a2 = torch.sigmoid(z1), torch.sigmoid(z2)
    z3 = w["w13"] * a1 + w["w23"] * a2 + w["b3"]
    y_hat = torch.sigmoid(z3)
    for t in (z1, z2, z3, a1, a2, y_hat):
        t.retain_grad()
    loss = torch.nn.functional.binary_cross_entropy(y_hat, torch.tensor(1.0, dtype=torch.float64))
    loss.backward()
    out = {k: v.grad.item() for k, v in w.items()}
    out |= {"z1": z1.item(), "z2": z2.item(), "z3": z3.item(), "a1": a1.item(), "a2": a2.item()}
    out |= {"ŷ": y_hat.item(), "L": loss.item(), "dz1": z1.grad.item(), "dz2": z2.grad.item()}
    out |= {"dz3": z3.grad.item(), "da1": a1.grad.item(), "da2": a2.grad.item(), "dŷ": y_hat.grad.item()}
    return out


@pytest.fixture
def no_dot(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Simulate a machine without Graphviz: nothing on the PATH."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


@pytest.fixture
def require_dot() -> None:
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for every browser test (skipped with the reason where none is installed)."""
    yield from chromium.session()
