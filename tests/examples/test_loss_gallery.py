"""loss_gallery: the derivatives drawn come from backward and match the closed forms."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from examples_helpers import assert_plots, run_small


@pytest.fixture(scope="module")
def result(out_dir: Path) -> dict[str, Any]:
    return run_small("loss_gallery", out_dir)


def curves(result: dict[str, Any], family: str) -> tuple[np.ndarray, dict[str, Any]]:
    return result[family]["x"], result[family]["curves"]


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def test_regression_derivatives_match_closed_forms(result: dict[str, Any]) -> None:
    e, c = curves(result, "regression")
    off_kinks = np.abs(np.abs(e) - 0.5) > 1e-9  # smooth_l1 (beta=0.5) has kinks at ±0.5
    off_kinks &= (np.abs(e) > 1e-9) & (np.abs(np.abs(e) - 1.0) > 1e-9)
    expected = {
        "mse": 2 * e,
        "mae": np.sign(e),
        "huber(delta=1)": np.clip(e, -1.0, 1.0),  # clipped at ±delta
        "smooth_l1(beta=0.5)": np.clip(e / 0.5, -1.0, 1.0),
        "log_cosh": np.tanh(e),
        "quantile(q=0.25)": np.where(e > 0, 0.75, -0.25),
        "quantile(q=0.75)": np.where(e > 0, 0.25, -0.75),
    }
    assert set(c) == set(expected)
    for name, grad in expected.items():
        np.testing.assert_allclose(c[name]["grad"][off_kinks], grad[off_kinks], atol=1e-12, err_msg=name)


def test_regression_losses_match_closed_forms(result: dict[str, Any]) -> None:
    e, c = curves(result, "regression")
    a = np.abs(e)
    np.testing.assert_allclose(c["mse"]["loss"], e**2, atol=1e-12)
    np.testing.assert_allclose(c["huber(delta=1)"]["loss"], np.where(a < 1, 0.5 * e**2, a - 0.5), atol=1e-12)
    np.testing.assert_allclose(c["log_cosh"]["loss"], np.log(np.cosh(e)), atol=1e-12)


def test_positive_target_derivatives(result: dict[str, Any]) -> None:
    p, c = curves(result, "positive")  # y = 1
    np.testing.assert_allclose(c["msle"]["grad"], 2 * (np.log1p(p) - np.log(2)) / (1 + p), rtol=1e-9)
    np.testing.assert_allclose(c["poisson (ŷ is the rate)"]["grad"], 1 - 1 / (p + 1e-8), rtol=1e-9)
    np.testing.assert_allclose(c["gaussian_nll(var=0.5)"]["grad"], (p - 1) / 0.5, atol=1e-12)


def test_probability_derivatives(result: dict[str, Any]) -> None:
    p, c = curves(result, "probability")  # y = 1
    np.testing.assert_allclose(c["bce"]["grad"], -1 / p, rtol=1e-9)
    # label smoothing 0.1: target 0.95, so the loss is smallest at p = 0.95, not at p = 1
    t = 0.95
    np.testing.assert_allclose(c["bce(label_smoothing=0.1)"]["grad"], -t / p + (1 - t) / (1 - p), rtol=1e-9)
    g = 2.0  # d/dp of -(1-p)^g log p
    focal = g * (1 - p) ** (g - 1) * np.log(p) - (1 - p) ** g / p
    np.testing.assert_allclose(c["focal(gamma=2)"]["grad"], focal, rtol=1e-9)


def test_margin_derivatives(result: dict[str, Any]) -> None:
    m, c = curves(result, "margin")  # y = 1, score = margin
    away = np.abs(m - 1) > 1e-9
    np.testing.assert_allclose(c["hinge"]["grad"][away], np.where(m < 1, -1.0, 0.0)[away])
    np.testing.assert_allclose(c["squared_hinge"]["grad"], -2 * np.maximum(0, 1 - m), atol=1e-12)
    np.testing.assert_allclose(c["logistic (bce from logits)"]["grad"], -sigmoid(-m), rtol=1e-9)
    np.testing.assert_allclose(c["logistic (bce from logits)"]["loss"], np.log1p(np.exp(-m)), rtol=1e-9)


def test_value_engine_gives_the_same_derivatives(result: dict[str, Any]) -> None:
    assert max(result["value_vs_tensor_max_diff"].values()) < 1e-12


def test_plots(result: dict[str, Any], out_dir: Path) -> None:
    assert_plots(result, out_dir, ["loss_gallery_regression.png", "loss_gallery_classification.png"])
