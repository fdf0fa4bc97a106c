"""moons: micrograd's demo on Values and on Tensors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from examples_helpers import assert_plots, run_small


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
