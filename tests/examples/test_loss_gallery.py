"""loss_gallery: the derivatives and curvatures drawn come from backward and match the closed forms."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from examples_helpers import assert_plots, load_example, run_small
from figure_checks import (
    assert_labelled,
    assert_legends_clear,
    assert_overlaps_distinguishable,
    data_lines,
    data_pixels,
    renderer,
)


@pytest.fixture(scope="module")
def result(out_dir: Path) -> dict[str, Any]:
    return run_small("loss_gallery", out_dir)


def curves(result: dict[str, Any], family: str) -> tuple[np.ndarray, dict[str, Any]]:
    return result[family]["x"], result[family]["curves"]


REGRESSION_NAMES = (
    "mse",
    "mae",
    "huber(delta=1)",
    "smooth_l1(beta=0.5)",
    "log_cosh",
    "quantile(q=0.25)",
    "quantile(q=0.75)",
)


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


def test_curvatures_match_closed_forms_and_torch(result: dict[str, Any]) -> None:
    e, c = curves(result, "regression")
    a = np.abs(e)
    off = (np.abs(a - 0.5) > 1e-9) & (np.abs(a - 1.0) > 1e-9)  # not at Huber's / smooth_l1's ±δ
    expected = {
        "mse": np.full_like(e, 2.0),
        "mae": np.zeros_like(e),  # 0 off the kink; the delta at 0 is not a number
        "huber(delta=1)": np.where(a < 1.0, 1.0, 0.0),
        "smooth_l1(beta=0.5)": np.where(a < 0.5, 1 / 0.5, 0.0),
        "log_cosh": 1 / np.cosh(e) ** 2,  # sech²(e), 1 at e = 0
        "quantile(q=0.25)": np.zeros_like(e),
        "quantile(q=0.75)": np.zeros_like(e),
    }
    for name, curv in expected.items():
        np.testing.assert_allclose(c[name]["curvature"][off], curv[off], atol=1e-12, err_msg=name)
    assert c["log_cosh"]["curvature"][np.argmin(a)] == pytest.approx(1.0, abs=1e-12)  # e = 0 is on the grid
    m, c = curves(result, "margin")
    s = sigmoid(m)
    np.testing.assert_allclose(c["logistic (bce from logits)"]["curvature"], s * (1 - s), rtol=1e-10)
    np.testing.assert_allclose(c["squared_hinge"]["curvature"][m < 0.99], 2.0, atol=1e-12)
    p, c = curves(result, "probability")
    np.testing.assert_allclose(c["bce"]["curvature"], 1 / p**2, rtol=1e-10)
    x, c = curves(result, "positive")
    # ŷ − y·log(ŷ + eps), torch's poisson_nll_loss(log_input=False) with eps = 1e-8
    np.testing.assert_allclose(c["poisson (ŷ is the rate)"]["curvature"], 1 / (x + 1e-8) ** 2, rtol=1e-10)
    np.testing.assert_allclose(c["gaussian_nll(var=0.5)"]["curvature"], 1 / 0.5, rtol=1e-12)
    # torch's double backward of its own losses gives the same curvatures
    for name, torch_loss, xs, target in (
        ("huber(delta=1)", lambda t, y: torch.nn.functional.huber_loss(t, y, reduction="sum"), e, 0.0),
        ("smooth_l1(beta=0.5)",
         lambda t, y: torch.nn.functional.smooth_l1_loss(t, y, reduction="sum", beta=0.5), e, 0.0),
        ("logistic (bce from logits)",
         lambda t, y: torch.nn.functional.binary_cross_entropy_with_logits(t, y, reduction="sum"), m, 1.0),
    ):  # fmt: skip
        family = "margin" if name.startswith("logistic") else "regression"
        t = torch.tensor(xs, requires_grad=True)
        (g,) = torch.autograd.grad(torch_loss(t, torch.full_like(t, target)), [t], create_graph=True)
        (h,) = torch.autograd.grad(g.sum(), [t])
        np.testing.assert_allclose(
            result[family]["curves"][name]["curvature"], h.numpy(), atol=1e-12, err_msg=name
        )


def test_convex_losses_have_curvature_at_least_zero_and_log_cosh_fades(result: dict[str, Any]) -> None:
    convex = {
        "regression": list(REGRESSION_NAMES),
        "positive": ["poisson (ŷ is the rate)", "gaussian_nll(var=0.5)", "mape / 100"],
        "probability": ["bce", "bce(label_smoothing=0.1)"],
        "margin": ["hinge", "squared_hinge", "logistic (bce from logits)"],
    }
    for family, names in convex.items():
        for name in names:
            assert result[family]["curves"][name]["curvature"].min() >= 0.0, (family, name)
    e, c = curves(result, "regression")
    right = e >= 0
    assert np.all(np.diff(c["log_cosh"]["curvature"][right]) < 0)  # shrinks as the error grows
    assert c["log_cosh"]["curvature"][-1] < 0.01
    # not convex: the focal loss from logits curves down for badly wrong margins
    m, c = curves(result, "margin")
    focal = c["focal from logits (gamma=2)"]["curvature"]
    assert focal[0] == pytest.approx(-0.0201, abs=1e-4) and focal[m > -2.7].min() > 0


def test_value_engine_gives_the_same_derivatives(result: dict[str, Any]) -> None:
    assert max(result["value_vs_tensor_max_diff"].values()) < 1e-12


def test_plots(result: dict[str, Any], out_dir: Path) -> None:
    assert_plots(result, out_dir, ["loss_gallery_regression.png", "loss_gallery_classification.png"])


# Where each derivative jumps (the loss has a kink): the plotted line must be cut there.
KINKS = {
    "regression": {"mae": 0.0, "quantile(q=0.25)": 0.0, "quantile(q=0.75)": 0.0},
    "positive": {"mape / 100": 1.0},
    "probability": {},
    "margin": {"hinge": 1.0},
}


# Where each curvature jumps (the derivative has a kink).
CURVATURE_KINKS = {
    "regression": {"huber(delta=1)": (-1.0, 1.0), "smooth_l1(beta=0.5)": (-0.5, 0.5)},
    "positive": {},
    "probability": {},
    "margin": {"squared_hinge": (1.0,)},
}


@pytest.mark.parametrize(("key", "table"), [("jumps", KINKS), ("curvature_jumps", CURVATURE_KINKS)])
def test_jumps_found_exactly_at_the_kinks(result: dict[str, Any], key: str, table: dict[str, Any]) -> None:
    for family, kinks in table.items():
        x, c = curves(result, family)
        for name, curve in c.items():
            found = x[:-1][curve[key]], x[1:][curve[key]]
            if name not in kinks:
                assert not curve[key].any(), (name, found)  # continuous: huber, smooth_l1, ...
                continue
            assert curve[key].any(), name
            # every jump interval touches a kink (two when the kink is a grid point: sign(0) = 0)
            points = np.atleast_1d(kinks[name])
            touches = [(found[0] <= k) & (found[1] >= k) for k in points]
            assert np.all(np.any(touches, axis=0)), (name, found)
            assert all(t.any() for t in touches), (name, found)  # and every kink is found


def test_a_jump_is_cut_with_nan_and_smooth_curves_are_not() -> None:
    mod = load_example("loss_gallery")
    x = np.linspace(-1.0, 1.0, 5)  # 0 is a grid point: MAE's derivative is -1, -1, 0, 1, 1
    c = mod.curve(mod.REGRESSION["mae"], 0.0, x)
    np.testing.assert_array_equal(c["jumps"], [False, True, True, False])
    bx, bg = mod.broken_at(x, c["grad"], c["jumps"])
    np.testing.assert_array_equal(bx, [-1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0])
    np.testing.assert_array_equal(np.isnan(bg), [False, False, True, False, True, False, False])
    # a steep but continuous derivative (poisson's 1 - 1/ŷ near 0) is not a jump
    steep = mod.curve(mod.POSITIVE["poisson (ŷ is the rate)"], 1.0, np.linspace(0.01, 0.2, 7))
    assert not steep["jumps"].any()
    # the detector itself catches a made-up step that a coarse grid hides between two points
    step = mod.curve(lambda t, p, reduction: ((p - 0.3).relu() * 2.0 + p).sum() * 1.0, 0.0, x)
    assert step["jumps"].tolist() == [False, False, True, False]


@pytest.fixture(scope="module")
def figures(result: dict[str, Any]) -> Any:
    plt = pytest.importorskip("matplotlib.pyplot")
    figs = load_example("loss_gallery").plot_gallery(plt, result)
    yield [(fig, renderer(fig)) for fig in figs]
    for fig in figs:
        plt.close(fig)


def test_derivative_panels_have_legends_labels_and_distinct_styles(figures: Any) -> None:
    for fig, r in figures:
        for ax in fig.axes:
            assert_labelled(ax)
            assert_overlaps_distinguishable(ax)
        loss_axes, grad_axes, curvature_axes = fig.axes[0::3], fig.axes[1::3], fig.axes[2::3]
        for la, ga, ca in zip(loss_axes, grad_axes, curvature_axes):
            assert ga.get_ylabel().startswith("dloss/d") and ca.get_ylabel().startswith("d²loss/d")
            legend = [t.get_text() for t in ca.get_legend().get_texts()]
            assert legend == [line.get_label() for line in data_lines(la)]
            assert [line.get_label() for line in data_lines(ca)][: len(legend)] == legend
        assert_legends_clear(fig, r)


def test_no_vertical_jumps_drawn(figures: Any) -> None:
    for fig, _ in figures:
        for ax in [ax for i, ax in enumerate(fig.axes) if i % 3]:  # derivative and curvature panels
            for line in data_lines(ax):
                xy = line.get_transform().transform(line.get_xydata())
                dx, dy = np.abs(np.diff(xy, axis=0)).T
                vertical = (dy > 15) & (dx < 3)  # a near-vertical stroke of at least 15 px
                inside = np.isfinite(dy) & (np.abs(xy[1:, 1]) < 1e6)
                assert not (vertical & inside & (xy[1:, 1] > ax.bbox.y0) & (xy[1:, 1] < ax.bbox.y1)).any(), (
                    line.get_label()
                )


def test_gaussian_nll_minimum_is_explained_and_matches_torch(result: dict[str, Any], figures: Any) -> None:
    x, c = curves(result, "positive")
    nll = c["gaussian_nll(var=0.5)"]["loss"]
    t = torch.nn.functional.gaussian_nll_loss(
        torch.tensor(x),
        torch.ones(len(x), dtype=torch.float64),
        torch.full((len(x),), 0.5, dtype=torch.float64),
        reduction="none",
    )
    np.testing.assert_allclose(nll, t.numpy(), rtol=1e-12)
    np.testing.assert_allclose(nll, 0.5 * (np.log(0.5) + (x - 1) ** 2 / 0.5), rtol=1e-12)
    assert nll.min() < 0
    fig, r = figures[0]
    ax = fig.axes[3]
    (note,) = [t for t in ax.texts if "gaussian_nll" in t.get_text()]
    text = note.get_text()
    assert "½(log var + (ŷ − y)²/var)" in text and "var < 1" in text and "½ log 2π" in text
    assert f"{0.5 * np.log(0.5):.3f}" in text
    assert note.xy == pytest.approx((x[np.argmin(nll)], nll.min()))  # points at the minimum
    box = note.get_bbox_patch().get_window_extent(r)  # the text's box, without its arrow
    pts = data_pixels(ax)
    inside = (pts[:, 0] > box.x0) & (pts[:, 0] < box.x1) & (pts[:, 1] > box.y0) & (pts[:, 1] < box.y1)
    assert not inside.any()  # the note covers no curve
