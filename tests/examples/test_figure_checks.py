"""The figure checks catch each defect they are meant to catch, and pass the fixed pattern."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

plt = pytest.importorskip("matplotlib.pyplot")
import _common  # noqa: E402
from figure_checks import (  # noqa: E402
    assert_inside_limits,
    assert_integer_ticks,
    assert_labelled,
    assert_legends_clear,
    assert_overlaps_distinguishable,
    overlap_fraction,
)


@pytest.fixture
def ax() -> Iterator[Any]:
    _common.pyplot()  # the Agg backend
    fig, ax = plt.subplots(figsize=(5, 4))
    yield ax
    plt.close(fig)


def test_legend_over_the_data_is_caught_and_outside_passes(ax: Any) -> None:
    x = np.linspace(0, 1, 50)
    ax.plot(x, np.ones_like(x), label="flat at the top")
    ax.plot(x, x, label="rising")
    ax.set(xlabel="x", ylabel="y")
    ax.legend(loc="upper right")  # sits on the flat line
    with pytest.raises(AssertionError, match="covers .* plotted points"):
        assert_legends_clear(ax.figure)
    _common.legend_outside(ax, "right")
    assert_legends_clear(ax.figure)
    _common.legend_outside(ax, "below", ncol=2)
    assert_legends_clear(ax.figure)


def test_a_legend_over_a_line_segment_between_far_vertices_is_caught(ax: Any) -> None:
    ax.plot([0, 1], [0, 1], label="two vertices only")  # no vertex under the legend, but the line is
    ax.set(xlim=(0, 1), ylim=(0, 1))
    ax.legend(loc="center")
    with pytest.raises(AssertionError, match="covers"):
        assert_legends_clear(ax.figure)


def test_a_legend_over_scatter_points_and_a_legend_on_a_label_are_caught(ax: Any) -> None:
    ax.scatter([0.9], [0.9], label="point")
    ax.set(xlim=(0, 1), ylim=(0, 1), xlabel="x", ylabel="y")
    ax.legend(loc="upper right")
    with pytest.raises(AssertionError, match="covers 1 plotted points"):
        assert_legends_clear(ax.figure)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.02))  # on the tick labels
    with pytest.raises(AssertionError, match="covers the text"):
        assert_legends_clear(ax.figure)


def test_missing_axis_labels_are_caught(ax: Any) -> None:
    ax.set_xlabel("x")
    with pytest.raises(AssertionError, match="no y label"):
        assert_labelled(ax)
    ax.set_ylabel("y")
    assert_labelled(ax)


def test_a_line_leaving_the_axes_is_caught(ax: Any) -> None:
    ax.plot([0, 1, 2], [0, 1, 2.1], label="escapes")
    ax.set(xlim=(0, 2), ylim=(0, 2))
    with pytest.raises(AssertionError, match="'escapes' leaves .* at point 2"):
        assert_inside_limits(ax)
    ax.set_ylim(0, 2.2)
    assert_inside_limits(ax)


def test_coinciding_lines_with_one_style_are_caught_and_the_shared_styles_pass(ax: Any) -> None:
    x = np.linspace(0, 1, 100)
    a = ax.plot(x, x**2, label="a")[0]
    b = ax.plot(x, x**2 + 1e-4, label="b")[0]  # hidden under a
    ax.plot(x, 1 - x, label="crossing")  # meets the others at one point only: not an overlap
    with pytest.raises(AssertionError, match="'a' and 'b' coincide"):
        assert_overlaps_distinguishable(ax)
    assert overlap_fraction(a, b) == 1.0
    for line, style in zip(ax.get_lines(), _common.line_styles(3)):
        line.set(**style)
    assert_overlaps_distinguishable(ax)


def test_fractional_ticks_are_caught(ax: Any) -> None:
    ax.plot([1, 2, 3, 4], [4, 3, 2, 1])
    ax.figure.canvas.draw()
    with pytest.raises(AssertionError, match="fractional"):
        assert_integer_ticks(ax.xaxis)
    _common.integer_ticks(ax.xaxis)
    ax.figure.canvas.draw()
    assert_integer_ticks(ax.xaxis)


def test_line_styles_differ_pairwise() -> None:
    styles = _common.line_styles(7)
    assert len({str(s["linestyle"]) for s in styles}) == 7
    assert len({s["marker"] for s in styles}) == 7
    widths = [s["linewidth"] for s in styles]
    assert widths == sorted(widths, reverse=True)  # earlier (lower) lines are wider
    with pytest.raises(ValueError, match="where must be"):
        _common.legend_outside(None, "left")
