"""regression_outliers: Huber and MAE resist the outliers that tilt the MSE fit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from examples_helpers import EXAMPLES, assert_plots, run_small


@pytest.fixture(scope="module")
def result(out_dir: Path) -> dict[str, Any]:
    return run_small("regression_outliers", out_dir)


def test_robust_losses_are_closer_to_the_truth(result: dict[str, Any]) -> None:
    fits = result["fits"]
    for robust in ("huber", "mae"):
        assert fits[robust]["distance_to_truth"] < 0.3, fits[robust]
        assert fits[robust]["distance_to_truth"] < fits["mse"]["distance_to_truth"] / 4
    assert abs(fits["mse"]["w"] - result["true"]["w"]) > 0.3  # the outliers really tilt MSE


def test_mse_fit_is_the_least_squares_line(result: dict[str, Any]) -> None:
    mse = result["fits"]["mse"]
    assert mse["w"] == pytest.approx(result["lstsq"]["w"], abs=1e-3)
    assert mse["b"] == pytest.approx(result["lstsq"]["b"], abs=1e-3)


def test_training_reduced_every_loss(result: dict[str, Any]) -> None:
    for name, f in result["fits"].items():
        assert f["history"][-1] < 0.5 * f["history"][0], name


def test_plots(result: dict[str, Any], out_dir: Path) -> None:
    assert_plots(result, out_dir, ["regression_outliers.png"])


def test_runs_as_a_script(tmp_path: Path) -> None:
    script = EXAMPLES / "regression_outliers.py"
    run = subprocess.run(
        [sys.executable, str(script), "--small", "--out", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "huber" in run.stdout and "true" in run.stdout
