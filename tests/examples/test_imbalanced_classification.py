"""imbalanced_classification: weighting the positives raises recall."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from examples_helpers import assert_plots, load_example, run_small
from figure_checks import assert_labelled, assert_legends_clear, renderer


@pytest.fixture(scope="module")
def result(out_dir: Path) -> dict[str, Any]:
    return run_small("imbalanced_classification", out_dir)


def by_prefix(metrics: dict[str, Any], prefix: str) -> dict[str, float]:
    (name,) = [k for k in metrics if k.startswith(prefix)]
    return metrics[name]


def test_weighting_improves_recall(result: dict[str, Any]) -> None:
    m = result["metrics"]
    plain, weighted, focal = m["bce"], by_prefix(m, "weighted bce"), by_prefix(m, "focal")
    assert weighted["recall"] > plain["recall"] + 0.2
    assert focal["recall"] > plain["recall"]
    assert weighted["precision"] < plain["precision"]  # the price: more false positives


def test_pos_weight_balances_the_classes(result: dict[str, Any]) -> None:
    assert 15 < result["pos_weight"] < 25  # about 95 / 5


def test_metrics_are_consistent(result: dict[str, Any]) -> None:
    for m in result["metrics"].values():
        assert 0 <= m["precision"] <= 1 and 0 <= m["recall"] <= 1
        p, r = m["precision"], m["recall"]
        assert m["f1"] == pytest.approx(2 * p * r / (p + r))


def test_plots(result: dict[str, Any], out_dir: Path) -> None:
    assert_plots(result, out_dir, ["imbalanced_classification.png"])


def test_boundary_figure_labelled_with_legends_off_the_points(result: dict[str, Any]) -> None:
    plt = pytest.importorskip("matplotlib.pyplot")
    from matplotlib.collections import PathCollection

    X, y = result["test_data"]["X"], result["test_data"]["y"]
    fig = load_example("imbalanced_classification").plot_boundaries(
        plt, X, y, result["params"], result["metrics"]
    )
    try:
        r = renderer(fig)
        assert len(fig.axes) == 3
        for ax in fig.axes:
            assert_labelled(ax)
            shown = np.concatenate([c.get_offsets() for c in ax.collections if isinstance(c, PathCollection)])
            assert len(shown) == len(X)  # every test point is drawn
            labels = [t.get_text() for t in ax.get_legend().get_texts()]
            assert labels[:2] == ["y = 0", "y = 1"] and labels[2].startswith("decision boundary")
        assert_legends_clear(fig, r)
    finally:
        plt.close(fig)
