"""regression_outliers: Huber and MAE resist the outliers that tilt the MSE fit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from examples_helpers import EXAMPLES, assert_plots, load_example, run_small
from figure_checks import (
    assert_inside_limits,
    assert_labelled,
    assert_legends_clear,
    assert_overlaps_distinguishable,
    data_lines,
    overlap_fraction,
    renderer,
)


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


@pytest.fixture(scope="module")
def figure(result: dict[str, Any]) -> Any:
    plt = pytest.importorskip("matplotlib.pyplot")
    d = result["data"]
    fig = load_example("regression_outliers").plot_fits(plt, d["x"], d["y"], d["is_outlier"], result["fits"])
    fig.checks_renderer = renderer(fig)
    yield fig
    plt.close(fig)


def flat_fraction(line: Any, tol_px: float = 2.0) -> float:
    """The share of the axes' width over which the drawn curve stays within tol_px of its final height."""
    xy = line.get_transform().transform(line.get_xydata())
    moving = np.flatnonzero(np.abs(xy[:, 1] - xy[-1, 1]) > tol_px)
    flat_from = xy[moving[-1] + 1, 0] if len(moving) else xy[0, 0]
    box = line.axes.bbox
    return float((box.x1 - flat_from) / box.width)


def test_fits_figure_readable(figure: Any) -> None:
    ax_fit, ax_loss = figure.axes
    for ax in figure.axes:
        assert_labelled(ax)
        assert_inside_limits(ax)
        assert_overlaps_distinguishable(ax)
    assert_legends_clear(figure, figure.checks_renderer)
    fits = {line.get_label().split(":")[0]: line for line in data_lines(ax_fit)}
    assert overlap_fraction(fits["mae"], fits["huber"]) > 0.5  # the lines that used to hide each other


def test_loss_curves_show_their_dynamics_not_a_flat_line(figure: Any) -> None:
    ax_loss = figure.axes[1]
    lines = data_lines(ax_loss)
    assert [line.get_label() for line in lines] == ["mse", "mae", "huber"]
    for line in lines:
        assert flat_fraction(line) < 0.6, (line.get_label(), flat_fraction(line))
    # on a linear step axis the same curves are flat almost everywhere (the defect this guards)
    ax_loss.set_xscale("linear")
    ax_loss.set_xlim(0, len(lines[0].get_xdata()))
    assert max(flat_fraction(line) for line in lines) > 0.9
    ax_loss.set_xscale("log")


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
