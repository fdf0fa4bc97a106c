"""The two loss examples run and report what they should."""

from __future__ import annotations

import pytest
from example_loader import load_example


@pytest.fixture(scope="module")
def seed_findings() -> dict:
    return {f.key: f for f in load_example("seed_formula_check").main([])}


WRONG = {
    "mse": ("sign flipped", "missing 1/n"),
    "mae": ("missing 1/n",),
    "huber": ("sign flipped", "missing 1/n"),
    "log_cosh": ("sign flipped", "missing 1/n"),
    "bce": ("missing 1/n",),
    "cce": ("missing 1/n (n = 3, the batch size",),
    "hinge": ("missing 1/n",),
    "huber_code": ("sign flipped",),
    "focal_code": ("sign flipped on 2 of 10 elements",),
    "dice_code": ("extra 1/n (n = 10",),
}


def test_seed_check_flags_exactly_the_wrong_formulas(seed_findings: dict) -> None:
    assert {k for k, f in seed_findings.items() if not f.ok} == set(WRONG)
    assert {
        "bce_sigmoid_delta",
        *(f"backprop_221_{w}" for w in ("w11", "w21", "b1", "w12", "w22", "b2", "w13", "w23", "b3")),
        "single_neuron",
        "mse_code",
        "mae_code",
        "bce_code",
        "cce_code",
        "weighted_ce_code",
        "mse_mae_blend_code",
    } <= {k for k, f in seed_findings.items() if f.ok}


@pytest.mark.parametrize("key", sorted(WRONG))
def test_seed_check_says_how_each_formula_is_wrong(seed_findings: dict, key: str) -> None:
    diagnosis = seed_findings[key].diagnosis
    for phrase in WRONG[key]:
        assert phrase in diagnosis
    if "sign flipped" not in WRONG[key]:
        assert "sign flipped;" not in diagnosis


def test_seed_check_focal_flips_exactly_the_positive_examples(seed_findings: dict) -> None:
    report = seed_findings["focal_code"].report
    seed = load_example("seed_formula_check")
    assert ((report.ratio < 0) == (seed.Y_IMB == 1)).all()


def test_seed_check_prints_where_the_notes_are_wrong(
    seed_findings: dict, capsys: pytest.CaptureFixture
) -> None:
    load_example("seed_formula_check").main([])
    out = capsys.readouterr().out
    assert "10 of 27 stated derivatives are wrong" in out
    assert "002 math, mse: the notes say 2(y - ŷ); that is wrong: sign flipped" in out


def test_custom_loss_example() -> None:
    result = load_example("custom_loss").main([])
    assert result["blend_gradcheck"] and result["boundary_gradcheck"]
    assert result["blend_formula_ok"] and result["edge_formula_ok"] and result["boundary_formula_ok"]
    assert not result["slipped_formula_ok"] and result["slipped_diagnosis"] == "sign flipped"
    assert result["edge_term_at_target"] == 0.0
    assert result["seed_style_term_flat_prediction"] < 0
