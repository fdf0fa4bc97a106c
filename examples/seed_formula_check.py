"""The teaching notes' derivative formulas, checked
================================================

The notes state derivatives of losses twice: as mathematics (the formula sections, and the worked
backpropagation of the 2-2-1 network and of one neuron) and as code (the ``derivative`` methods of
the Python classes). Each is written here in LaTeX, as the notes write mathematics, and compared
element by element with the gradient the engine computes from the loss alone
(``autograd.check_derivative``, which reads LaTeX with the ``formulas`` extra). Where a formula
is wrong the checker names the slip: a flipped sign, a missing ``1/n`` of the mean, an extra
``1/n``, a factor 2, swapped arguments, a missing chain-rule factor.

Run: ``python examples/seed_formula_check.py [--tables]``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import _common  # noqa: E402, F401  (puts the repository root on sys.path)
import numpy as np

import losses  # noqa: E402
from autograd import Value  # noqa: E402
from autograd.derivcheck import DerivativeReport, check_derivative  # noqa: E402

# The notes' own example data, plus regression targets with large errors so that both
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
IMB_WEIGHTS = np.where(Y_IMB == 1, 5.0, 1.0)  # the notes' WeightedCrossEntropy, class_weights=[1, 5]
BLEND_ALPHA, HUBER_DELTA, DICE_SMOOTH = 0.5, 1.0, 1e-6


@dataclass(frozen=True)
class SeedFormula:
    """One stated derivative: where it is, what it says (in words and in LaTeX), the loss it
    claims to differentiate, and what its other symbols stand for."""

    key: str
    source: str
    stated: str
    loss: Callable[..., Any]  # the loss as the notes define it, written with engine operations
    latex: str  # the stated derivative
    inputs: tuple[Any, ...]
    symbols: dict[str, Any] = field(default_factory=dict)


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


# -- the 2-2-1 network (sigmoid units, BCE) at the notes' input x = (1, 0), label y = 1
X_221, Y_221 = np.array([1.0, 0.0]), 1.0
PARAMS_221 = {
    "w11": 0.2,
    "w21": 0.4,
    "b1": 0.1,
    "w12": 0.3,
    "w22": 0.1,
    "b2": 0.2,
    "w13": 0.7,
    "w23": 0.5,
    "b3": 0.3,
}
THETA_221 = np.array(list(PARAMS_221.values()))


def net_221_loss(
    y: Any, w11: Any, w21: Any, b1: Any, w12: Any, w22: Any, b2: Any, w13: Any, w23: Any, b3: Any
) -> Any:
    """The notes' 2-2-1 network and its BCE loss, one input per parameter (Values)."""
    a1 = (w11 * X_221[0] + w21 * X_221[1] + b1).sigmoid()
    a2 = (w12 * X_221[0] + w22 * X_221[1] + b2).sigmoid()
    return losses.binary_cross_entropy(y, (w13 * a1 + w23 * a2 + b3).sigmoid())


#: The notes' forward pass and their backpropagation rules, δ3 = ŷ - y and δ_h = w_h3·δ3·σ'(z_h).
NET_221 = {
    "x_1": X_221[0],
    "x_2": X_221[1],
    "z_1": r"w_{11} x_1 + w_{21} x_2 + b_1",
    "z_2": r"w_{12} x_1 + w_{22} x_2 + b_2",
    "a_1": r"\sigma(z_1)",
    "a_2": r"\sigma(z_2)",
    "z_3": r"w_{13} a_1 + w_{23} a_2 + b_3",
    r"\hat{y}": r"\sigma(z_3)",
    r"\delta_3": r"\hat{y} - y",
    r"\delta_1": r"w_{13} \delta_3 \sigma'(z_1)",
    r"\delta_2": r"w_{23} \delta_3 \sigma'(z_2)",
}
BACKPROP_221 = {
    "w13": r"\delta_3 \cdot a_1", "w23": r"\delta_3 \cdot a_2", "b3": r"\delta_3",
    "w11": r"\delta_1 \cdot x_1", "w21": r"\delta_1 \cdot x_2", "b1": r"\delta_1",
    "w12": r"\delta_2 \cdot x_1", "w22": r"\delta_2 \cdot x_2", "b2": r"\delta_2",
}  # fmt: skip


def _partial(name: str) -> str:
    """``∂L/∂w_{13}`` for the parameter ``w13``, in LaTeX."""
    return rf"\frac{{\partial L}}{{\partial {name[0]}_{{{name[1:]}}}}}"


def rows(y_true: np.ndarray, y_pred: np.ndarray) -> int:
    """The number of samples (rows) of a batch of class distributions."""
    return y_true.shape[0]


HUBER_MATH = (
    r"\begin{cases} y_i - \hat{y}_i & |y_i - \hat{y}_i| \leq \delta \\ "
    r"\delta \cdot \text{sign}(y_i - \hat{y}_i) & \text{otherwise} \end{cases}"
)
P_T = r"\begin{cases} \hat{y} & y = 1 \\ 1 - \hat{y} & \text{otherwise} \end{cases}"

SEED_FORMULAS: tuple[SeedFormula, ...] = (
    # ---- the formula sections: L = (1/n) Σ loss_i, and the stated ∂L/∂ŷ_i
    SeedFormula(
        "mse", "002 math", "2(y - ŷ)", losses.mse,
        r"\frac{\partial L_{MSE}}{\partial \hat{y}_i} = 2(y_i - \hat{y}_i)", (Y_REG, P_REG),
    ),
    SeedFormula(
        "mae", "002 math", "1 if ŷ > y, -1 if ŷ < y, 0 if equal", losses.mae,
        r"\begin{cases} 1 & \hat{y}_i > y_i \\ -1 & \hat{y}_i < y_i \\ 0 & \hat{y}_i = y_i \end{cases}",
        (Y_REG, P_REG),
    ),
    SeedFormula(
        "huber", "002 math", "y - ŷ if |y - ŷ| ≤ δ else δ·sign(y - ŷ)",
        lambda y, y_hat: losses.huber(y, y_hat, delta=HUBER_DELTA), HUBER_MATH, (Y_REG, P_REG),
        {r"\delta": HUBER_DELTA},
    ),
    SeedFormula(
        "log_cosh", "002 math", "tanh(y - ŷ)", losses.log_cosh, r"\tanh(y_i - \hat{y}_i)", (Y_REG, P_REG)
    ),
    SeedFormula(
        "bce", "002 math", "-y/ŷ + (1 - y)/(1 - ŷ)", losses.binary_cross_entropy,
        r"-\frac{y_i}{\hat{y}_i} + \frac{1-y_i}{1-\hat{y}_i}", (Y_CLS, P_CLS),
    ),
    SeedFormula(
        "cce", "002 math", "-y_c/ŷ_c", losses.categorical_cross_entropy,
        r"\frac{\partial L_{CCE}}{\partial \hat{y}_{i,c}} = -\frac{y_{i,c}}{\hat{y}_{i,c}}",
        (Y_ONEHOT, P_SOFTMAX),
    ),
    SeedFormula(
        "hinge", "002 math", "-y if y·ŷ < 1 else 0", losses.hinge,
        r"\begin{cases} -y_i & y_i \hat{y}_i < 1 \\ 0 & \text{otherwise} \end{cases}", (Y_SIGN, F_SCORE),
    ),
    # ---- the worked backpropagation
    SeedFormula(
        "bce_sigmoid_delta", "000 backprop", "∂L/∂z3 = ŷ - y for ŷ = σ(z3)",
        lambda y, z3: losses.binary_cross_entropy(y, z3.sigmoid()),
        r"\frac{\partial L}{\partial z_3} = \hat{y} - y", (Y_221, 1.0128), {r"\hat{y}": r"\sigma(z_3)"},
    ),
    *(
        SeedFormula(
            f"backprop_221_{name}", "000 backprop", "∂L/∂w = δ·input, δ_h = w_h3·δ3·σ'(z_h)", net_221_loss,
            f"{_partial(name)} = {rule}", (Y_221, *map(Value, THETA_221)), NET_221,
        )
        for name, rule in BACKPROP_221.items()
    ),
    SeedFormula(
        "single_neuron", "001 example", "∂L/∂W = -(y - ŷ)·x for L = ½(y - ŷ)², ŷ = W·x",
        lambda y, x, W: 0.5 * (y - W * x) ** 2,  # noqa: N803 (the notes' W)
        r"\frac{\partial L}{\partial W} = -(y - \hat{y}) \cdot x",
        (3.0, 1.0, Value(2.0)), {r"\hat{y}": "W x"},
    ),
    # ---- the derivative() methods of the Python classes (L = np.mean(...) unless noted)
    SeedFormula(
        "mse_code", "002 code", "2(ŷ - y)/n", losses.mse, r"\frac{2(\hat{y} - y)}{n}", (Y_REG, P_REG)
    ),
    SeedFormula(
        "mae_code", "002 code", "sign(ŷ - y)/n", losses.mae, r"\frac{\operatorname{sign}(\hat{y} - y)}{n}",
        (Y_REG, P_REG),
    ),
    SeedFormula(
        "huber_code", "002 code", "e = y - ŷ; (e if |e| ≤ δ else δ·sign e)/n",
        lambda y, y_hat: losses.huber(y, y_hat, delta=HUBER_DELTA),
        r"\frac{1}{n} \begin{cases} e & |e| \le \delta \\ \delta \, \text{sign}(e) & "
        r"\text{otherwise} \end{cases}",
        (Y_REG, P_REG), {"e": r"y - \hat{y}", r"\delta": HUBER_DELTA},
    ),
    SeedFormula(
        "bce_code", "002 code", "(ŷ - y)/(ŷ(1 - ŷ))/n", losses.binary_cross_entropy,
        r"\frac{\hat{y} - y}{\hat{y}(1 - \hat{y})\, n}", (Y_CLS, P_CLS),
    ),
    SeedFormula(
        "cce_code", "002 code", "-y/ŷ/N (N rows; L = mean over rows of Σ_c)",
        losses.categorical_cross_entropy,
        r"-\frac{y}{\hat{y} N}", (Y_ONEHOT, P_SOFTMAX), {"N": rows},
    ),
    SeedFormula(
        "focal_code", "002 code", "-α(1 - p_t)^γ (γ·p_t·log p_t + p_t - 1)/(p_t(1 - p_t))/n, α = 1, γ = 2",
        lambda y, y_hat: losses.binary_focal(y, y_hat, gamma=2.0),
        r"-\frac{\alpha (1 - p_t)^{\gamma} (\gamma p_t \log p_t + p_t - 1)}{p_t (1 - p_t) \, n}",
        (Y_IMB, P_IMB), {"p_t": P_T, r"\alpha": 1.0, r"\gamma": 2.0},
    ),
    SeedFormula(
        "dice_code", "002 code",
        "-2(U·y - I)/(U + s)²/n, I = Σyŷ, U = Σy + Σŷ (L = 1 - (2I + s)/(U + s), no mean)",
        lambda y, y_hat: losses.dice(y, y_hat, smooth=DICE_SMOOTH),
        r"-\frac{2 (U y - I)}{(U + s)^2 \, n}", (Y_IMB, P_IMB),
        {"I": r"\sum_i y_i \hat{y}_i", "U": r"\sum_i y_i + \sum_i \hat{y}_i", "s": DICE_SMOOTH},
    ),
    SeedFormula(
        "weighted_ce_code", "002 code", "w(ŷ - y)/(ŷ(1 - ŷ))/n, w = 5 for y = 1, else 1",
        lambda y, y_hat: losses.binary_cross_entropy(y, y_hat, weight=IMB_WEIGHTS),
        r"\frac{w_i (\hat{y}_i - y_i)}{\hat{y}_i (1 - \hat{y}_i) \, n}", (Y_IMB, P_IMB), {"w": IMB_WEIGHTS},
    ),
    SeedFormula(
        "mse_mae_blend_code", "002 code", "α·2(ŷ - y)/n + (1 - α)·sign(ŷ - y)/n, α = ½",
        lambda y, y_hat: BLEND_ALPHA * losses.mse(y, y_hat) + (1 - BLEND_ALPHA) * losses.mae(y, y_hat),
        r"\frac{\alpha \cdot 2 (\hat{y} - y) + (1 - \alpha) \operatorname{sign}(\hat{y} - y)}{n}",
        (Y_REG, P_REG), {r"\alpha": BLEND_ALPHA},
    ),
)  # fmt: skip


NOTES = {
    "focal_code": "the flipped elements are those with y = 1: the stated expression is minus ∂L/∂p_t, "
    "and it also leaves out ∂p_t/∂ŷ = -1 for y = 0, where the two slips cancel",
    "dice_code": "the Dice loss is no mean over elements, so there is no 1/n to divide by",
}


def check(seed: SeedFormula) -> Finding:
    """Run the checker on one stated formula (tolerances far below any slip's size)."""
    report = check_derivative(
        seed.loss, seed.latex, *seed.inputs, symbols=seed.symbols, atol=1e-9, rtol=1e-4, title=seed.key
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
