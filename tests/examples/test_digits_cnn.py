"""digits_cnn: a small CNN written as PyTorch code (Conv2d, BatchNorm2d, MaxPool2d, DataLoader)
learns the 8x8 digits, and its model is torch's: the same layers print the same, and with its
weights and running statistics copied into torch the same logits come out."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from examples_helpers import assert_plots, run_small

# Skipped without scikit-learn; found, not imported: collecting the suite in each worker imported it (~2 s)
pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("sklearn") is None, reason="the digits data set comes with scikit-learn"
)


@pytest.fixture(scope="module")
def result(out_dir: Path) -> dict[str, Any]:
    return run_small("digits_cnn", out_dir)


def test_it_learns(result: dict[str, Any]) -> None:
    assert result["test_accuracy"] >= 0.85
    assert result["epoch_losses"][-1] < result["epoch_losses"][0] / 2


def test_plots(result: dict[str, Any], out_dir: Path) -> None:
    assert_plots(result, out_dir, ["digits_cnn.png"])


def test_the_trained_model_is_torchs(result: dict[str, Any]) -> None:
    torch = pytest.importorskip("torch")
    model = result["model"]
    twin = torch.nn.Sequential(
        torch.nn.Conv2d(1, 8, 3, padding=1),
        torch.nn.BatchNorm2d(8),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(8, 16, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(64, 10),
    ).double()
    assert repr(model) == repr(twin)
    twin.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in model.state_dict().items()})
    twin.eval()
    x = np.random.default_rng(0).random((5, 1, 8, 8))
    from autograd import Tensor, no_grad

    with no_grad():
        ours = model(Tensor(x)).data
    np.testing.assert_allclose(ours, twin(torch.from_numpy(x)).detach().numpy(), rtol=1e-10, atol=1e-12)
