"""moons: micrograd's demo on Values and on Tensors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from examples_helpers import assert_plots, load_example, run_small
from figure_checks import assert_labelled, assert_legends_clear, renderer

from autograd import Tensor


@pytest.fixture(scope="module")
def result(out_dir: Path) -> dict[str, Any]:
    return run_small("moons", out_dir)


def test_both_models_classify_the_moons(result: dict[str, Any]) -> None:
    assert result["value"]["accuracy"] >= 0.9
    assert result["tensor"]["accuracy"] >= 0.9
    assert result["n_params"] == 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1


def test_the_two_engines_agree_step_by_step(result: dict[str, Any]) -> None:
    # same initial weights, same data, same optimizer: only summation order differs
    assert result["max_loss_difference"] < 1e-9
    assert result["value"]["loss"][-1] < 0.5 * result["value"]["loss"][0]


def test_plots(result: dict[str, Any], out_dir: Path) -> None:
    assert_plots(result, out_dir, ["moons.png"])


def test_boundary_figure_labelled_with_legends_off_the_points(result: dict[str, Any]) -> None:
    plt = pytest.importorskip("matplotlib.pyplot")
    X, y = result["data"]["X"], result["data"]["y"]
    model = result["models"]["tensor"]
    panels = [(f"panel {i}", lambda P: model(Tensor(P)).data, 20) for i in range(2)]
    fig = load_example("moons").plot_boundaries(plt, X, y, panels)
    try:
        r = renderer(fig)
        for ax in fig.axes:
            assert_labelled(ax)
            assert sum(len(c.get_offsets()) for c in ax.collections[-2:]) == len(X)
            assert [t.get_text() for t in ax.get_legend().get_texts()][:2] == ["y = -1", "y = 1"]
        assert_legends_clear(fig, r)
        assert np.array_equal(np.unique(y), [-1.0, 1.0])
    finally:
        plt.close(fig)
