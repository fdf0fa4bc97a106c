"""gradient_descent_variants: the figure (the run itself is tested in tests/optimizers)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from examples_helpers import load_example
from figure_checks import (
    assert_integer_ticks,
    assert_labelled,
    assert_legends_clear,
    assert_overlaps_distinguishable,
    data_lines,
    overlap_fraction,
    renderer,
)


@pytest.fixture(scope="module")
def figure(tmp_path_factory: pytest.TempPathFactory) -> Any:
    plt = pytest.importorskip("matplotlib.pyplot")
    mod = load_example("gradient_descent_variants")
    # the full run (a second or two): only there do the curves meet on the noise floor
    curves = mod.main(["--out", str(tmp_path_factory.mktemp("gd"))])
    fig = mod.plot_curves(plt, curves, 64)
    fig.checks_renderer = renderer(fig)
    yield fig
    plt.close(fig)


def test_loss_figure_is_readable(figure: Any) -> None:
    (ax,) = figure.axes
    assert_labelled(ax)
    assert_integer_ticks(ax.xaxis)
    assert_legends_clear(figure, figure.checks_renderer)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "batch GD (batch 64, lr 0.1)",
        "stochastic GD (batch 1, lr 0.01)",
        "mini-batch GD (batch 16, lr 0.05)",
    ]


def test_curves_on_the_same_noise_floor_are_told_apart(figure: Any) -> None:
    (ax,) = figure.axes
    lines = data_lines(ax)
    np.testing.assert_array_equal(lines[0].get_xdata(), np.arange(1, 31))
    assert overlap_fraction(lines[1], lines[2]) > 0.3  # stochastic and mini-batch end together
    assert_overlaps_distinguishable(ax)
