"""optimizer_race: real optimizers moving Tensor parameters over three landscapes; lr schedules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from examples_helpers import assert_plots, run_small

import optimizers
from autograd import Tensor

NAMES = {"GD", "SGD (noisy)", "momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam"}


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
    }
    for land, runs in result["landscapes"].items():
        assert set(runs) == NAMES, land
        for name, r in runs.items():
            assert type(r["optimizer"]) is expected[name]
            assert isinstance(r["param"], Tensor) and r["param"].shape == (2,)
            (group,) = r["optimizer"].param_groups
            assert group["params"] == [r["param"]] or group["params"][0] is r["param"]
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


def test_saddle_adaptive_methods_and_noise_escape(result: dict[str, Any]) -> None:
    runs = result["landscapes"]["saddle"]
    assert abs(runs["GD"]["final"][1]) < 0.05  # barely left the ridge y = 0
    for name in ("RMSprop", "Adam", "AdaGrad"):
        assert abs(runs[name]["final"][1]) > 1.0, name
    assert abs(runs["SGD (noisy)"]["final"][1]) > 5 * abs(runs["GD"]["final"][1])
    assert all(r["loss"] < runs["GD"]["loss"] for n, r in runs.items() if n != "GD")


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
