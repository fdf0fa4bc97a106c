"""The shared example helpers: data fallbacks, metrics, optional packages."""

from __future__ import annotations

import sys
from pathlib import Path

import _common
import numpy as np
import pytest
from examples_helpers import run_small


def test_binary_metrics_by_hand() -> None:
    y_true = np.array([1, 1, 1, 0, 0, 0, 0, 0])
    y_pred = np.array([1, 0, 0, 1, 0, 0, 0, 0])  # tp 1, fn 2, fp 1, tn 4
    m = _common.binary_metrics(y_true, y_pred)
    assert m == pytest.approx({"accuracy": 5 / 8, "precision": 0.5, "recall": 1 / 3, "f1": 0.4})
    assert _common.binary_metrics([0, 0], [0, 0])["f1"] == 0.0  # no positives: 0, not a crash


def test_confusion_matrix_counts_pairs() -> None:
    C = _common.confusion_matrix([0, 1, 2, 2, 2], [0, 2, 2, 2, 1], 3)
    np.testing.assert_array_equal(C, [[1, 0, 0], [0, 0, 1], [0, 1, 2]])


def test_moons_without_scikit_learn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    X, y = _common.make_moons(51, noise=0.1, seed=3)
    assert X.shape == (51, 2) and sorted(set(y.tolist())) == [0, 1]
    assert abs(int(y.sum()) - 25.5) <= 1
    X2, _ = _common.make_moons(51, noise=0.1, seed=3)
    np.testing.assert_array_equal(X, X2)  # seeded
    # the upper moon (y = 0) sits higher on average than the lower one
    assert X[y == 0, 1].mean() > X[y == 1, 1].mean()


def test_without_matplotlib_plots_are_skipped_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = run_small("imbalanced_classification", tmp_path)
    out = capsys.readouterr().out
    assert out.count("pip install matplotlib") == 1
    assert result["plots"] == [] and not list(tmp_path.iterdir())
