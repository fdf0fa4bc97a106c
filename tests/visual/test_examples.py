"""The two worked examples: their numbers, the notes' numbers they flag, and their files."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DELTAS = {"δ3 = ∂L/∂z3": "dz3", "δ1 = ∂L/∂z1": "dz1", "δ2 = ∂L/∂z2": "dz2"}


def reference(symbol: str, t: dict[str, float], weights: dict[str, float]) -> float:
    """The true value of a number the notes state, from the PyTorch reference ``t``."""
    if symbol.startswith("σ'(z"):
        a = t["a" + symbol[-2]]
        return a * (1 - a)
    if symbol == "w13 after one step":
        return weights["w13"] - 0.1 * t["w13"]
    return t[DELTAS.get(symbol, symbol.removeprefix("∂L/∂"))]


def rounds_to(x: float, stated: str) -> bool:
    decimals = len(stated.split(".")[1]) if "." in stated else 0
    return round(x, decimals) == round(float(stated), decimals)


@pytest.fixture(scope="module")
def run221(ex221: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, str]:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        result = ex221.main(["--out", str(tmp_path_factory.mktemp("out221")), "--small"])
    return result, printed.getvalue()


def test_221_gradients_and_step_match_torch(run221: Any, torch221: dict, weights221: dict) -> None:
    result, _ = run221
    for k, w in weights221.items():
        assert result.grads[k] == pytest.approx(torch221[k], abs=1e-10)
        assert result.new_weights[k] == pytest.approx(w - 0.1 * torch221[k], abs=1e-12)
    assert result.loss == pytest.approx(torch221["L"], abs=1e-12)


def test_221_flags_exactly_the_notes_numbers_that_differ(
    run221: Any, torch221: dict, weights221: dict
) -> None:
    result, text = run221
    true = {c.symbol: reference(c.symbol, torch221, weights221) for c in result.checks}
    differ = [c.symbol for c in result.checks if not rounds_to(true[c.symbol], c.stated)]
    assert result.wrong == differ
    assert all(c.true == pytest.approx(true[c.symbol], abs=1e-10) for c in result.checks)
    assert len(result.checks) == 22 and len(differ) == 14
    # the two places where the notes' arithmetic does not follow from their own earlier numbers
    assert result.slips == ["z3", "L"]
    assert "σ'(z1)" not in result.wrong and "σ'(z2)" not in result.wrong
    assert "WRONG: the slip is here" in text and "z3 (notes 1.086, their own numbers give 1.0128)" in text


def test_221_trains_and_writes_its_files(run221: Any) -> None:
    result, text = run221
    assert len(result.losses) == 51 and result.losses[-1] < result.losses[0] / 3
    assert all(b < a for a, b in zip(result.losses, result.losses[1:]))
    assert all(Path(p).is_file() for p in result.files.values())
    assert result.files["graph"].suffix == ".svg" and result.files["steps"].suffix == ".html"
    edge = result.files["edge"].read_text(encoding="utf-8")  # the docs' picture of one edge's rule
    assert "∂/∂z1 = σ(z1)(1 − σ(z1))" in edge and edge.count('class="node"') == 2
    assert "Backward pass" in text and "∂L/∂w13 = -0.152989" in text


def test_221_page_marks_the_notes_numbers_where_they_go_wrong(run221: Any) -> None:
    """The page the script writes judges the notes' numbers at their frames, as its printout does:
    the slips at z3 and then L, the rest as following from them."""
    import json
    import re

    result, _ = run221
    page = result.files["steps"].read_text(encoding="utf-8")
    state = json.loads(re.search(r'<script id="state" type="application/json">(.*?)</script>', page, re.S)[1])
    said = [(f["phase"], c["text"]) for f in state["frames"] for c in f["claims"]]
    slips = [text.split(":")[1].split("=")[0].strip() for _, text in said if "The slip is here" in text]
    assert slips == ["z3", "L"]
    wrong = [text for _, text in said if text.startswith("✗")]
    assert len(wrong) == 13 and sum("Follows from an earlier wrong number." in t for t in wrong) == 11
    assert len(said) == 19 and ("forward", "✓ notes: a1 = 0.574, as the engine computes.") in said
    assert sum(len(m) for m in state["marks"].values()) == 13


def test_221_without_any_renderer(ex221: ModuleType, tmp_path: Path, monkeypatch: Any, capsys: Any) -> None:
    from autograd.visual import render

    monkeypatch.setattr(render, "find", lambda program: None)
    result = ex221.main(["--out", str(tmp_path), "--small"])
    assert not {"graph", "edge", "steps"} & set(result.files)
    assert (tmp_path / "backprop_221.gv").is_file()
    err = capsys.readouterr().err
    assert err.count("\n") == 3 and err.count("pip install graphviz-pure") == 3 and "Traceback" not in err


def test_single_neuron_readings(ex_single: ModuleType, tmp_path: Path, capsys: Any) -> None:
    r = ex_single.main(["--out", str(tmp_path)])
    own, stated, other = r["own inputs"], r["stated ŷ"], r["x = 0.75"]
    assert (own.y_hat, own.loss, own.grad) == (2.0, 0.5, -1.0) and own.new_w == pytest.approx(2.1, abs=1e-15)
    assert (stated.y_hat, stated.loss, stated.grad) == (1.5, 1.125, -1.5)
    assert stated.new_w == pytest.approx(2.15, abs=1e-15)
    assert other.grad == -1.125 and other.new_w == pytest.approx(2.1125, abs=1e-15)
    text = capsys.readouterr().out
    assert "ŷ = 1.5 does not follow from W = 2 and x = 1" in text
    assert "the step gives W = 2.1 (not 2.15)" in text
    assert any(p.name.startswith("single_neuron.") for p in tmp_path.iterdir())


@pytest.mark.parametrize("script", ["backprop_221.py", "single_neuron.py"])
def test_examples_run_as_scripts_from_the_repo_root(script: str, tmp_path: Path) -> None:
    """Run as the README's first command does, on a machine without Graphviz's dot: graphviz-pure draws."""
    args = [sys.executable, f"examples/{script}", "--out", str(tmp_path)] + (
        ["--small"] if "221" in script else []
    )
    env = {**os.environ, "PATH": str(tmp_path / "no-bin")}
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and "Backward pass" in done.stdout
    if "221" in script:
        svg = (tmp_path / "backprop_221.svg").read_text()
        assert ">binary_cross_entropy<" not in svg and "loss binary_cross_entropy" in svg
        assert (tmp_path / "backprop_221_steps.html").stat().st_size < 300_000


def test_an_example_runs_as_a_module_too() -> None:
    """``python -m examples.backprop_221`` (a reader's other habit) runs the script: examples/__init__.py
    puts the folder on the path for its ``import _common``. Without it: ModuleNotFoundError."""
    args = [sys.executable, "-m", "examples.backprop_221", "--help"]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "--out" in done.stdout and "--steps" in done.stdout
