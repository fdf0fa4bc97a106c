"""The teaching notes' derivative formulas, checked
================================================

Every derivative formula in the teaching notes, checked against the engine.

The notes state derivatives of losses twice: as mathematics (002's
formula sections, 000's and 001's worked backpropagation) and as code (the ``derivative``
methods of 002's Python classes). Each is re-typed here as a numpy function of the same inputs
and compared, element by element, with the gradient the engine computes from the loss alone
(``autograd.check_derivative``). Where a formula is wrong the checker says how: a flipped sign,
a missing ``1/n`` of the mean, an extra ``1/n``, a factor 2, swapped arguments.

Run: ``python examples/seed_formula_check.py [--tables]``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import _common  # noqa: E402, F401  (puts the repository root on sys.path)
import numpy as np

import losses  # noqa: E402
from autograd import Value  # noqa: E402
from autograd.derivcheck import DerivativeReport, check_derivative  # noqa: E402

# The notes' own example data (002), plus regression targets with large errors so that both
# branches of the Huber loss are used (the notes' errors are all below δ = 1).
Y_REG = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
P_REG = np.array([1.1, 1.9, 3.2, 3.8, 7.5])
Y_CLS = np.array([1.0, 0.0, 1.0, 0.0])
P_CLS = np.array([0.9, 0.1, 0.8, 0.2])
Y_IMB = np.array([1.0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
P_IMB = np.array([0.9, 0.1, 0.8, 0.2, 0.3, 0.1, 0.2, 0.1, 0.1, 0.2])
Y_ONEHOT = np.eye(3)[[0, 2, 1]]
P_SOFTMAX = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.25, 0.5, 0.25]])
Y_SIGN, F_SCORE = np.array([1.0, -1.0, 1.0, -1.0]), np.array([0.4, 0.3, 1.7, -2.0])
IMB_WEIGHTS = np.where(Y_IMB == 1, 5.0, 1.0)  # 002's WeightedCrossEntropy, class_weights=[1, 5]
BLEND_ALPHA, HUBER_DELTA, DICE_SMOOTH = 0.5, 1.0, 1e-6


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


@dataclass(frozen=True)
class SeedFormula:
    """One stated derivative: where it is, what it says, the loss it claims to differentiate."""

    key: str
    source: str
    stated: str
    loss: Callable[..., Any]  # the loss as the notes define it, written with engine operations
    formula: Callable[..., np.ndarray]  # the stated derivative, as numpy
    inputs: tuple[Any, ...]
    wrt: int = -1


@dataclass(frozen=True)
class Finding:
    key: str
    source: str
    stated: str
    report: DerivativeReport

    @property
    def ok(self) -> bool:
        return self.report.ok

    @property
    def diagnosis(self) -> str:
        return self.report.diagnosis


# -- the 2-2-1 network of 000 (sigmoid units, BCE), its 9 parameters in one vector
X_221, Y_221 = np.array([1.0, 0.0]), 1.0
THETA_221 = np.array([0.2, 0.4, 0.1, 0.3, 0.1, 0.2, 0.7, 0.5, 0.3])  # w11 w21 b1 w12 w22 b2 w13 w23 b3


def net_221_loss(y: Any, theta: Any) -> Any:
    w11, w21, b1, w12, w22, b2, w13, w23, b3 = (theta[i] for i in range(9))
    a1 = (w11 * X_221[0] + w21 * X_221[1] + b1).sigmoid()
    a2 = (w12 * X_221[0] + w22 * X_221[1] + b2).sigmoid()
    return losses.binary_cross_entropy(y, (w13 * a1 + w23 * a2 + b3).sigmoid())


def net_221_backprop(y: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """000's rules: δ3 = ŷ - y, ∂L/∂w = δ·input, δ_h = w_h3·δ3·σ'(z_h)."""
    w11, w21, b1, w12, w22, b2, w13, w23, b3 = theta
    x1, x2 = X_221
    a1, a2 = sigmoid(w11 * x1 + w21 * x2 + b1), sigmoid(w12 * x1 + w22 * x2 + b2)
    d3 = sigmoid(w13 * a1 + w23 * a2 + b3) - y
    d1, d2 = w13 * d3 * a1 * (1 - a1), w23 * d3 * a2 * (1 - a2)
    return np.array([d1 * x1, d1 * x2, d1, d2 * x1, d2 * x2, d2, d3 * a1, d3 * a2, d3])


def _huber_stated(y: np.ndarray, y_hat: np.ndarray) -> np.ndarray:
    """002's Huber derivative, with e = y - ŷ (the math and the code say the same)."""
    e = y - y_hat
    return np.where(np.abs(e) <= HUBER_DELTA, e, HUBER_DELTA * np.sign(e))


def _focal_pt(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    return np.where(y == 1, p, 1 - p)


def _dice_terms(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    return float((y * p).sum()), float(y.sum() + p.sum())


SEED_FORMULAS: tuple[SeedFormula, ...] = (
    # ---- 002, mathematics: L = (1/n) Σ loss_i, and the stated ∂L/∂ŷ_i
    SeedFormula("mse", "002 math", "2(y - ŷ)", losses.mse, lambda y, y_hat: 2 * (y - y_hat), (Y_REG, P_REG)),
    SeedFormula(
        "mae", "002 math", "sign(ŷ - y)", losses.mae, lambda y, y_hat: np.sign(y_hat - y), (Y_REG, P_REG)
    ),
    SeedFormula(
        "huber",
        "002 math",
        "y - ŷ if |y - ŷ| ≤ δ else δ·sign(y - ŷ)",
        lambda y, y_hat: losses.huber(y, y_hat, delta=HUBER_DELTA),
        _huber_stated,
        (Y_REG, P_REG),
    ),
    SeedFormula(
        "log_cosh",
        "002 math",
        "tanh(y - ŷ)",
        losses.log_cosh,
        lambda y, y_hat: np.tanh(y - y_hat),
        (Y_REG, P_REG),
    ),
    SeedFormula(
        "bce",
        "002 math",
        "-y/ŷ + (1 - y)/(1 - ŷ)",
        losses.binary_cross_entropy,
        lambda y, y_hat: -y / y_hat + (1 - y) / (1 - y_hat),
        (Y_CLS, P_CLS),
    ),
    SeedFormula(
        "cce",
        "002 math",
        "-y_c/ŷ_c",
        losses.categorical_cross_entropy,
        lambda y, y_hat: -y / y_hat,
        (Y_ONEHOT, P_SOFTMAX),
    ),
    SeedFormula(
        "hinge",
        "002 math",
        "-y if y·ŷ < 1 else 0",
        losses.hinge,
        lambda y, y_hat: np.where(y * y_hat < 1, -y, 0.0),
        (Y_SIGN, F_SCORE),
    ),
    # ---- 000 and 001, worked backpropagation
    SeedFormula(
        "bce_sigmoid_delta",
        "000 backprop",
        "∂L/∂z3 = ŷ - y for ŷ = σ(z3)",
        lambda y, z: losses.binary_cross_entropy(y, z.sigmoid()),
        lambda y, z: sigmoid(z) - y,
        (Y_221, 1.0128),
    ),
    SeedFormula(
        "backprop_221",
        "000 backprop",
        "∂L/∂w = δ·input, δ_h = w_h3·δ3·σ'(z_h), for all 9 parameters",
        net_221_loss,
        net_221_backprop,
        (Y_221, THETA_221),
    ),
    SeedFormula(
        "single_neuron",
        "001 example",
        "∂L/∂W = -(y - ŷ)·x for L = ½(y - ŷ)², ŷ = W·x",
        lambda y, x, w: 0.5 * (y - w * x) ** 2,
        lambda y, x, w: -(y - w * x) * x,
        (3.0, 1.0, Value(2.0)),
    ),
    # ---- 002, the derivative() methods of the Python classes (L = np.mean(...) unless noted)
    SeedFormula(
        "mse_code",
        "002 code",
        "2(ŷ - y)/n",
        losses.mse,
        lambda y, y_hat: 2 * (y_hat - y) / y.size,
        (Y_REG, P_REG),
    ),
    SeedFormula(
        "mae_code",
        "002 code",
        "sign(ŷ - y)/n",
        losses.mae,
        lambda y, y_hat: np.sign(y_hat - y) / y.size,
        (Y_REG, P_REG),
    ),
    SeedFormula(
        "huber_code",
        "002 code",
        "e = y - ŷ; (e if |e| ≤ δ else δ·sign e)/n",
        lambda y, y_hat: losses.huber(y, y_hat, delta=HUBER_DELTA),
        lambda y, y_hat: _huber_stated(y, y_hat) / y.size,
        (Y_REG, P_REG),
    ),
    SeedFormula(
        "bce_code",
        "002 code",
        "(ŷ - y)/(ŷ(1 - ŷ))/n",
        losses.binary_cross_entropy,
        lambda y, y_hat: (y_hat - y) / (y_hat * (1 - y_hat)) / y.size,
        (Y_CLS, P_CLS),
    ),
    SeedFormula(
        "cce_code",
        "002 code",
        "-y/ŷ/N (N rows; L = mean over rows of Σ_c)",
        losses.categorical_cross_entropy,
        lambda y, y_hat: -y / y_hat / y.shape[0],
        (Y_ONEHOT, P_SOFTMAX),
    ),
    SeedFormula(
        "focal_code",
        "002 code",
        "-α(1 - p_t)^γ (γ·p_t·log p_t + p_t - 1)/(p_t(1 - p_t))/n, α = 1, γ = 2",
        lambda y, y_hat: losses.binary_focal(y, y_hat, gamma=2.0),
        lambda y, y_hat: (
            -((1 - _focal_pt(y, y_hat)) ** 2)
            * (2 * _focal_pt(y, y_hat) * np.log(_focal_pt(y, y_hat)) + _focal_pt(y, y_hat) - 1)
            / (_focal_pt(y, y_hat) * (1 - _focal_pt(y, y_hat)))
            / y.size
        ),
        (Y_IMB, P_IMB),
    ),
    SeedFormula(
        "dice_code",
        "002 code",
        "-2(U·y - I)/(U + s)²/n, I = Σyŷ, U = Σy + Σŷ (L = 1 - (2I + s)/(U + s), no mean)",
        lambda y, y_hat: losses.dice(y, y_hat, smooth=DICE_SMOOTH),
        lambda y, y_hat: (
            -2
            * (_dice_terms(y, y_hat)[1] * y - _dice_terms(y, y_hat)[0])
            / (_dice_terms(y, y_hat)[1] + DICE_SMOOTH) ** 2
            / y.size
        ),
        (Y_IMB, P_IMB),
    ),
    SeedFormula(
        "weighted_ce_code",
        "002 code",
        "w(ŷ - y)/(ŷ(1 - ŷ))/n, w = 5 for y = 1, else 1",
        lambda y, y_hat: losses.binary_cross_entropy(y, y_hat, weight=IMB_WEIGHTS),
        lambda y, y_hat: IMB_WEIGHTS * (y_hat - y) / (y_hat * (1 - y_hat)) / y.size,
        (Y_IMB, P_IMB),
    ),
    SeedFormula(
        "mse_mae_blend_code",
        "002 code",
        "α·2(ŷ - y)/n + (1 - α)·sign(ŷ - y)/n, α = ½",
        lambda y, y_hat: BLEND_ALPHA * losses.mse(y, y_hat) + (1 - BLEND_ALPHA) * losses.mae(y, y_hat),
        lambda y, y_hat: (BLEND_ALPHA * 2 * (y_hat - y) + (1 - BLEND_ALPHA) * np.sign(y_hat - y)) / y.size,
        (Y_REG, P_REG),
    ),
)


NOTES = {
    "focal_code": "the flipped elements are those with y = 1: the stated expression is minus ∂L/∂p_t, "
    "and it also leaves out ∂p_t/∂ŷ = -1 for y = 0, where the two slips cancel",
    "dice_code": "the Dice loss is no mean over elements, so there is no 1/n to divide by",
}


def check(seed: SeedFormula) -> Finding:
    """Run the checker on one stated formula (tolerances far below any slip's size)."""
    report = check_derivative(
        seed.loss, seed.formula, *seed.inputs, wrt=seed.wrt, atol=1e-9, rtol=1e-4, title=f"{seed.key}"
    )
    return Finding(seed.key, seed.source, seed.stated, report)


def main(argv: Sequence[str] | None = None) -> list[Finding]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tables", action="store_true", help="print the element-by-element table of every check"
    )
    args = parser.parse_args(argv)

    findings = [check(seed) for seed in SEED_FORMULAS]
    width = max(len(f.key) for f in findings)
    print(f"{'formula':<{width}}  {'source':<13} verdict  finding")
    for f in findings:
        print(f"{f.key:<{width}}  {f.source:<13} {'right  ' if f.ok else 'WRONG  '}  {f.diagnosis}")

    wrong = [f for f in findings if not f.ok]
    print(f"\n{len(wrong)} of {len(findings)} stated derivatives are wrong:")
    for f in wrong:
        print(f"- {f.source}, {f.key}: the notes say {f.stated}; that is wrong: {f.diagnosis}.")
        if "missing 1/n" in f.diagnosis and ";" not in f.diagnosis:
            print("  (right for one sample's loss; the mean the notes define needs the 1/n)")
        if f.key in NOTES:
            print(f"  ({NOTES[f.key]})")
    for f in findings if args.tables else wrong:
        print(f"\n{f.report}")
    return findings


if __name__ == "__main__":
    main()
