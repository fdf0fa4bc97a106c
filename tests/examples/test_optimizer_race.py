"""optimizer_race: real optimizers moving Tensor parameters over three landscapes; lr schedules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from examples_helpers import assert_plots, load_example, run_small
from figure_checks import (
    assert_inside_limits,
    assert_labelled,
    assert_legends_clear,
    assert_overlaps_distinguishable,
    data_lines,
    legends,
    overlap_fraction,
    renderer,
)

import optimizers
from autograd import Tensor

NAMES = {"GD", "SGD (noisy)", "momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam", "LBFGS", "Newton"}


@pytest.fixture(scope="module")
def result(out_dir: Path) -> dict[str, Any]:
    return run_small("optimizer_race", out_dir)


def test_parameters_are_tensors_updated_by_the_real_optimizers(result: dict[str, Any]) -> None:
    expected = {
        "GD": optimizers.SGD,
        "SGD (noisy)": optimizers.SGD,
        "momentum": optimizers.SGD,
        "Nesterov": optimizers.SGD,
        "AdaGrad": optimizers.Adagrad,
        "RMSprop": optimizers.RMSprop,
        "Adam": optimizers.Adam,
        "LBFGS": optimizers.LBFGS,
    }
    for land, runs in result["landscapes"].items():
        assert set(runs) == NAMES, land
        for name, r in runs.items():
            if name == "Newton":
                assert r["optimizer"].param is r["param"]
                continue
            assert type(r["optimizer"]) is expected[name]
            assert isinstance(r["param"], Tensor) and r["param"].shape == (2,)
            (group,) = r["optimizer"].param_groups
            assert group["params"] == [r["param"]] or group["params"][0] is r["param"]
            if name != "LBFGS":  # L-BFGS's last (converged) step may move p by < 1e-12
                assert np.array_equal(r["param"].data, r["trajectory"][-1])
                assert r["final"] == tuple(r["trajectory"][-1])
    group = result["landscapes"]["rosenbrock"]["Nesterov"]["optimizer"].param_groups[0]
    assert group["momentum"] == 0.9 and group["nesterov"]


def test_rosenbrock_adam_and_momentum_reach_the_minimum(result: dict[str, Any]) -> None:
    runs = result["landscapes"]["rosenbrock"]
    assert len(runs["Adam"]["trajectory"]) == 1001  # start + 1000 steps
    for name in ("Adam", "momentum", "Nesterov"):
        assert runs[name]["distance_to_min"] < 0.05, (name, runs[name]["final"])
        assert runs[name]["loss"] < 1e-3
    assert runs["GD"]["distance_to_min"] > 0.5  # plain GD is still crawling


def test_lbfgs_counts_every_closure_call_and_matches_torch(result: dict[str, Any]) -> None:
    torch = pytest.importorskip("torch")
    runs = result["landscapes"]
    for land, r in ((land, runs[land]["LBFGS"]) for land in runs):
        group = r["optimizer"].param_groups[0]
        assert group["line_search_fn"] == "strong_wolfe" and group["max_iter"] == 1, land
        # the legend's count is the optimizer's own count of closure calls (line search included)
        assert r["evals"] == r["optimizer"].state[r["param"]]["func_evals"] > r["steps"], land
    rosen = runs["rosenbrock"]["LBFGS"]
    assert rosen["distance_to_min"] < 1e-4 and rosen["evals"] < 150
    assert rosen["evals"] < runs["rosenbrock"]["Adam"]["evals"] / 5
    # the same run in torch: same points, step by step
    p = torch.tensor([-1.5, 2.0], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([p], lr=1, max_iter=1, max_eval=25, line_search_fn="strong_wolfe")

    def closure() -> Any:
        opt.zero_grad()
        loss = (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2
        loss.backward()
        return loss

    for k, point in enumerate(rosen["trajectory"][1:20]):
        opt.step(closure)
        np.testing.assert_allclose(p.detach().numpy(), point, rtol=1e-9, atol=1e-12, err_msg=f"step {k}")
    # on the saddle (unbounded below) its line search runs off; the run stops and says so
    saddle = runs["saddle"]["LBFGS"]
    assert saddle["ran_away"] and np.abs(saddle["final"]).max() > 1e6 and saddle["steps"] <= 3


def test_newton_uses_the_engine_hessian_and_turns_away_from_the_saddle(result: dict[str, Any]) -> None:
    mod = load_example("optimizer_race")
    runs = result["landscapes"]
    # a quadratic: one Newton step lands on the least-squares minimum
    lin = runs["linear model (w, b)"]["Newton"]
    assert lin["steps"] == 1 and lin["distance_to_min"] < 1e-9
    rosen = runs["rosenbrock"]["Newton"]
    assert rosen["distance_to_min"] < 1e-9 and rosen["steps"] <= 10
    assert rosen["optimizer"].indefinite_steps == 0
    # Rosenbrock's Hessian in closed form: the Newton direction is H⁻¹∇f
    x, y = 0.3, -0.4
    H = np.array([[2 - 400 * (y - x**2) + 800 * x**2, -400 * x], [-400 * x, 200.0]])
    g = np.array([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)])
    direction = rosen["optimizer"].direction(np.array([x, y]))
    np.testing.assert_allclose(direction, np.linalg.solve(H, g), rtol=1e-12)
    # the saddle: plain Newton jumps onto the saddle point; the |λ| step leaves it, y growing by 1 + lr
    assert result["plain_newton_on_saddle"] == pytest.approx((0.0, 0.0), abs=1e-15)
    sad = runs["saddle"]["Newton"]
    assert sad["optimizer"].indefinite_steps == sad["steps"] == 60
    lr = mod.landscapes(small=True)[1].lrs["Newton"]
    assert sad["final"] == pytest.approx((0.9**60, 1e-3 * (1 + lr) ** 60), rel=1e-9)


def test_saddle_adaptive_methods_and_noise_escape(result: dict[str, Any]) -> None:
    runs = result["landscapes"]["saddle"]
    assert abs(runs["GD"]["final"][1]) < 0.05  # barely left the ridge y = 0
    for name in ("RMSprop", "Adam", "AdaGrad"):
        assert abs(runs[name]["final"][1]) > 1.0, name
    assert abs(runs["SGD (noisy)"]["final"][1]) > 5 * abs(runs["GD"]["final"][1])
    assert all(r["loss"] < runs["GD"]["loss"] for n, r in runs.items() if n != "GD")
    assert runs["Newton"]["final"][1] > 10 * abs(runs["GD"]["final"][1])


def test_linear_model_landscape_minimum_is_least_squares(result: dict[str, Any]) -> None:
    runs = result["landscapes"]["linear model (w, b)"]
    for name in ("momentum", "Nesterov", "Adam"):
        assert runs[name]["distance_to_min"] < 0.1, name
    best = min(r["loss"] for r in runs.values())
    assert all(r["loss"] >= best for r in runs.values())


def test_schedules(result: dict[str, Any]) -> None:
    lrs = {name.split("(")[0].split()[0]: np.array(v) for name, v in result["schedules"].items()}
    assert set(lrs) == {
        "StepLR",
        "ExponentialLR",
        "CosineAnnealingLR",
        "CosineAnnealingWarmRestarts",
        "LinearLR",
        "OneCycleLR",
    }
    assert all(len(v) == 100 for v in lrs.values())
    assert lrs["StepLR"][[0, 24, 25, 50, 99]] == pytest.approx([0.1, 0.1, 0.05, 0.025, 0.0125])
    assert lrs["ExponentialLR"][10] == pytest.approx(0.1 * 0.97**10)
    assert lrs["CosineAnnealingLR"][[0, 50]] == pytest.approx([0.1, 0.05])
    assert lrs["CosineAnnealingWarmRestarts"][[0, 5, 10, 30]] == pytest.approx([0.1, 0.05, 0.1, 0.1])
    assert lrs["LinearLR"][[0, 10, 20, 99]] == pytest.approx([0.01, 0.055, 0.1, 0.1])
    one = lrs["OneCycleLR"]
    assert one[0] == pytest.approx(0.1 / 25) and one.max() == pytest.approx(0.1, rel=1e-3)
    assert one[-1] < 1e-5


def test_plots(result: dict[str, Any], out_dir: Path) -> None:
    assert_plots(result, out_dir, ["optimizer_race.png", "lr_schedules.png"])


@pytest.fixture(scope="module")
def race_figure(result: dict[str, Any]) -> Any:
    mod = load_example("optimizer_race")
    plt = pytest.importorskip("matplotlib.pyplot")
    fig = mod.plot_race(plt, mod.landscapes(small=True), result["landscapes"])
    fig.checks_renderer = renderer(fig)
    yield fig
    plt.close(fig)


def test_race_trajectories_stay_inside_labelled_axes(race_figure: Any, result: dict[str, Any]) -> None:
    saddle = race_figure.axes[1]
    assert saddle.get_title().startswith("saddle")
    # AdaGrad and RMSprop run down the slope to y > 2: the view grows to show them
    assert max(r["trajectory"][:, 1].max() for r in result["landscapes"]["saddle"].values()) > 2.0
    for ax in race_figure.axes:
        assert_inside_limits(ax)
        assert len(data_lines(ax)) >= len(NAMES)
        assert_labelled(ax)
    assert race_figure.axes[2].get_xlabel().startswith("w")


def test_race_legends_name_learning_rates_and_sit_outside(race_figure: Any) -> None:
    for ax, land in zip(race_figure.axes, load_example("optimizer_race").landscapes(small=True)):
        texts = [t.get_text() for t in ax.get_legend().get_texts()]
        for name in NAMES:
            assert any(t.startswith(f"{name} (lr={land.lrs[name]:g})") for t in texts), (name, texts)
        (lbfgs,) = [t for t in texts if t.startswith("LBFGS")]
        assert "f+∇f evals" in lbfgs or "ran away" in lbfgs
        (newton,) = [t for t in texts if t.startswith("Newton")]
        assert "∇f +" in newton and " H" in newton
    assert_legends_clear(race_figure, race_figure.checks_renderer)


def test_race_coinciding_paths_are_told_apart(race_figure: Any) -> None:
    lines = {line.get_label().split(" (")[0]: line for line in data_lines(race_figure.axes[1])}
    # the defects seen on the saddle: GD under Nesterov, AdaGrad under RMSprop
    assert overlap_fraction(lines["GD"], lines["Nesterov"]) > 0.5
    assert overlap_fraction(lines["RMSprop"], lines["AdaGrad"]) > 0.5
    for ax in race_figure.axes:
        assert_overlaps_distinguishable(ax)


def test_schedules_figure_has_one_titled_panel_per_schedule(result: dict[str, Any]) -> None:
    plt = pytest.importorskip("matplotlib.pyplot")
    fig = load_example("optimizer_race").plot_schedules(plt, result["schedules"])
    try:
        r = renderer(fig)
        panels = [ax for ax in fig.axes if ax.get_visible()]
        assert len(panels) == len(result["schedules"])
        for ax, name in zip(panels, result["schedules"]):
            assert ax.get_title().replace("\n", "").replace(" (", "(") == name.replace(" (", "(")
            (line,) = data_lines(ax)
            np.testing.assert_array_equal(line.get_ydata(), result["schedules"][name])
            assert_inside_limits(ax)
        assert not legends(fig)  # none to cover a curve: each panel's title names its schedule
        assert_legends_clear(fig, r)
        assert all(ax.get_xlabel() == "step" for ax in panels[-3:])
        assert all(ax.get_ylabel() == "lr" for ax in panels[::3])
    finally:
        plt.close(fig)
