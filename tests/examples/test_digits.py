"""digits: a Tensor MLP with cross-entropy and Adam reaches >= 90% test accuracy in a few epochs."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from examples_helpers import assert_plots, load_example, run_small
from figure_checks import assert_integer_ticks, assert_labelled, renderer

# Skipped without scikit-learn; found, not imported: collecting the suite in each worker imported it (~2 s)
pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("sklearn") is None, reason="the digits data set comes with scikit-learn"
)


@pytest.fixture(scope="module")
def result(out_dir: Path) -> dict[str, Any]:
    return run_small("digits", out_dir)


def test_accuracy(result: dict[str, Any]) -> None:
    assert result["test_accuracy"] >= 0.9
    assert result["epoch_losses"][-1] < result["epoch_losses"][0]


def test_confusion_matrix_matches_the_accuracy(result: dict[str, Any]) -> None:
    C = result["confusion_matrix"]
    assert C.shape == (10, 10)
    assert C.sum() == 359  # 20% of 1797 images
    assert np.trace(C) / C.sum() == pytest.approx(result["test_accuracy"])


def test_plots(result: dict[str, Any], out_dir: Path) -> None:
    assert_plots(result, out_dir, ["digits.png"])


def test_runs_without_tqdm_and_matplotlib(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = run_small("digits", tmp_path, "--epochs", "1")
    out = capsys.readouterr().out
    assert "pip install tqdm" in out and "pip install matplotlib" in out
    assert result["plots"] == [] and list(tmp_path.iterdir()) == []
    assert result["epochs"] == 1


@pytest.mark.parametrize("epochs", [3, 4, 7, 20])
def test_epoch_axis_has_whole_number_ticks(result: dict[str, Any], epochs: int) -> None:
    plt = pytest.importorskip("matplotlib.pyplot")
    losses = list(np.geomspace(2.0, 0.05, epochs))
    fig = load_example("digits").plot_training(plt, losses, result["confusion_matrix"], 0.9)
    try:
        renderer(fig)
        ax_loss, ax_cm = fig.axes
        assert_integer_ticks(ax_loss.xaxis)  # 3 or 4 epochs gave 1.0, 1.5, 2.0, ... before
        for ax in fig.axes:
            assert_labelled(ax)
        np.testing.assert_array_equal(ax_loss.get_lines()[0].get_xdata(), np.arange(1, epochs + 1))
    finally:
        plt.close(fig)
