"""edge_of_stability: λ_max by hvp power iteration equals the exact eigenvalue; GD converges below
2/λ_max and diverges above it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from examples_helpers import assert_plots, load_example, run_small
from figure_checks import assert_inside_limits, assert_labelled, assert_legends_clear, data_lines, renderer


@pytest.fixture(scope="module")
def result(out_dir: Path) -> dict[str, Any]:
    return run_small("edge_of_stability", out_dir)


def test_lambda_max_by_power_iteration_equals_the_exact_eigenvalue(result: dict[str, Any]) -> None:
    X, _ = result["data"]
    H = 2 / len(X) * X.T @ X  # the Hessian of mean((Xw − y)²), closed form
    exact = np.linalg.eigvalsh(H)
    np.testing.assert_allclose(result["eigenvalues"], exact, rtol=1e-12)
    assert result["lambda_exact"] == pytest.approx(exact[-1], rel=1e-12)
    assert result["lambda_max"] == pytest.approx(exact[-1], rel=1e-10)
    v = result["eigenvector"]
    np.testing.assert_allclose(H @ v, result["lambda_max"] * v, atol=1e-5)
    assert len(result["power_history"]) < 100


def test_hvp_is_the_hessian_times_v() -> None:
    mod = load_example("edge_of_stability")
    X, y = mod.make_data(15, seed=3)
    f = mod.least_squares(X, y)
    v = np.arange(X.shape[1], dtype=float) - 1.5
    np.testing.assert_allclose(mod.hvp(f, np.ones(X.shape[1]), v), 2 / 15 * X.T @ X @ v, rtol=1e-12)


def test_power_iteration_finds_a_planted_top_eigenvalue() -> None:
    mod = load_example("edge_of_stability")
    from autograd import Tensor

    H = np.diag([1.0, 3.0, 7.5, 7.0])  # f(w) = ½ wᵀHw: λ_max 7.5, next 7.0 (slow ratio)
    lam, v, history = mod.power_iteration(lambda w: (w * (Tensor(H) @ w)).sum() * 0.5, np.ones(4))
    assert lam == pytest.approx(7.5, rel=1e-9)
    assert abs(v[2]) == pytest.approx(1.0, abs=1e-4)
    assert len(history) > 20  # needed many products: the check above is not trivially met


def test_gd_converges_below_two_over_lambda_and_diverges_above(result: dict[str, Any]) -> None:
    lam, runs, floor = result["lambda_max"], result["runs"], result["min_loss"]
    assert set(runs) == {0.95, 1.0, 1.05}
    for factor, r in runs.items():
        assert r["lr"] == pytest.approx(factor * 2 / lam, rel=1e-12)
        assert len(r["loss"]) == 101  # 100 steps at --small, and the loss after the last
    below, at, above = (runs[k]["loss"] - floor for k in (0.95, 1.0, 1.05))
    assert below[-1] < 1e-6 * below[0] and runs[0.95]["verdict"] == "converges"
    assert above[-1] > 1e6 * above[0] and runs[1.05]["verdict"] == "diverges"
    # above: the top component grows by |1 − lr·λ| = 1.1 per step, the loss by its square
    assert above[-1] / above[-2] == pytest.approx((1 - runs[1.05]["lr"] * lam) ** 2, rel=1e-6)
    # at exactly 2/λ_max the top component keeps its size: the loss levels off above the minimum
    assert 1e-2 * at[0] < at[-1] < at[0] and at[-1] == pytest.approx(at[-2], rel=1e-6)
    assert np.all(np.isfinite(above))


def test_plot(result: dict[str, Any], out_dir: Path) -> None:
    assert_plots(result, out_dir, ["edge_of_stability.png"])
    plt = pytest.importorskip("matplotlib.pyplot")
    fig = load_example("edge_of_stability").plot(plt, result)
    try:
        r = renderer(fig)
        (ax,) = fig.axes
        assert ax.get_yscale() == "log"
        assert_labelled(ax)
        assert_inside_limits(ax)
        assert len(data_lines(ax)) == 3
        texts = [t.get_text() for t in ax.get_legend().get_texts()]
        assert any("converges" in t for t in texts) and any("diverges" in t for t in texts)
        assert f"{result['lambda_max']:.4f}" in ax.get_title()
        assert_legends_clear(fig, r)
    finally:
        plt.close(fig)
